//! A kubectl interpreter over the simulated cluster, shared by the page's terminal and the native
//! command: same verbs, flags, output columns, messages and exit codes as real kubectl.

use crate::model::Cluster;

/// The result of one command line.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct CmdOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

impl CmdOutput {
    pub fn ok(stdout: impl Into<String>) -> CmdOutput {
        CmdOutput { stdout: stdout.into(), stderr: String::new(), exit_code: 0 }
    }
    pub fn err(stderr: impl Into<String>, code: i32) -> CmdOutput {
        CmdOutput { stdout: String::new(), stderr: stderr.into(), exit_code: code }
    }
}

/// Files a command may read (`-f name`), by name; `-` is stdin.
pub type Files<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Runs one `kubectl ...` command line against the cluster.
pub fn execute(c: &mut Cluster, line: &str, stdin: Option<&str>, files: Files) -> CmdOutput {
    let _ = (c, stdin, files);
    CmdOutput::err(format!("error: unknown command {line:?}\n"), 1)
}
