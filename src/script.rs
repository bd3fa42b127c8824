//! Session scripts for `kubelab run`: one command per line, `#` comments, `kubectl …` lines with
//! heredocs (`<<EOF` … `EOF`), and `advance 30s` to move the simulated clock. The transcript tests
//! and the lesson solutions are written in this format.

use crate::kubectl::{self, CmdOutput};
use crate::model::clock::parse_duration_ms;
use crate::model::Cluster;
use std::path::{Path, PathBuf};

/// One executed step of a script.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Step {
    pub command: String,
    pub exit_code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A parsed script line: the command and its heredoc body, if any.
#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    pub line: String,
    pub stdin: Option<String>,
}

/// Splits a script into commands. Heredoc markers may be quoted (`<<'EOF'`, `<<"EOF"`).
pub fn parse(text: &str) -> Vec<Command> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(raw) = lines.next() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(pos) = line.find("<<") {
            let marker = line[pos + 2..].trim().trim_start_matches('-').trim_matches(|c| c == '\'' || c == '"').to_string();
            let cmd = line[..pos].trim_end().to_string();
            let mut body = String::new();
            for l in lines.by_ref() {
                if l.trim() == marker {
                    break;
                }
                body.push_str(l);
                body.push('\n');
            }
            out.push(Command { line: cmd, stdin: Some(body) });
        } else {
            out.push(Command { line: line.to_string(), stdin: None });
        }
    }
    out
}

/// Runs one command (kubectl or a script built-in) against the cluster.
pub fn run_command(c: &mut Cluster, cmd: &Command, base: Option<&Path>) -> CmdOutput {
    let words: Vec<&str> = cmd.line.split_whitespace().collect();
    match words.first().copied() {
        Some("advance") => match words.get(1).and_then(|d| parse_duration_ms(d)) {
            Some(ms) => {
                c.advance(ms);
                CmdOutput::ok("")
            }
            None => CmdOutput::err("error: advance needs a duration such as 30s, 5m or 1h\n", 1),
        },
        Some("kubectl") => {
            let base: Option<PathBuf> = base.map(Path::to_path_buf);
            let read = move |name: &str| -> Option<String> {
                let p = match &base {
                    Some(b) => b.join(name),
                    None => PathBuf::from(name),
                };
                read_file(&p)
            };
            kubectl::execute(c, &cmd.line, cmd.stdin.as_deref(), &read)
        }
        _ => CmdOutput::err(format!("error: unknown command {:?}: scripts run `kubectl …` and `advance DURATION`\n", cmd.line), 1),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn read_file(p: &Path) -> Option<String> {
    std::fs::read_to_string(p).ok()
}
#[cfg(target_arch = "wasm32")]
fn read_file(_p: &Path) -> Option<String> {
    None
}

/// Runs a whole script against a cluster. `base` resolves `-f FILE` paths.
pub fn run(c: &mut Cluster, text: &str, base: Option<&Path>) -> Vec<Step> {
    parse(text)
        .iter()
        .map(|cmd| {
            let o = run_command(c, cmd, base);
            Step { command: cmd.line.clone(), exit_code: o.exit_code, stdout: o.stdout, stderr: o.stderr }
        })
        .collect()
}

/// The transcript form: each command after `$ `, then what it printed (stderr after stdout),
/// and a `[exit N]` line when it failed.
pub fn transcript(steps: &[Step]) -> String {
    let mut s = String::new();
    for st in steps {
        s.push_str("$ ");
        s.push_str(&st.command);
        s.push('\n');
        s.push_str(&st.stdout);
        s.push_str(&st.stderr);
        if st.exit_code != 0 {
            s.push_str(&format!("[exit {}]\n", st.exit_code));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn heredocs_and_comments() {
        let cmds = parse("# hi\nkubectl apply -f - <<'EOF'\nkind: Pod\n  x: 1\nEOF\n\nadvance 5s\n");
        assert_eq!(cmds.len(), 2);
        assert_eq!(cmds[0].line, "kubectl apply -f -");
        assert_eq!(cmds[0].stdin.as_deref(), Some("kind: Pod\n  x: 1\n"));
        assert_eq!(cmds[1].line, "advance 5s");
    }
    #[test]
    fn advance_moves_the_clock() {
        let mut c = Cluster::new();
        let steps = run(&mut c, "advance 1m\nadvance soon\n", None);
        assert_eq!(c.now_ms(), 60_000);
        assert_eq!(steps[1].exit_code, 1);
    }
}
