//! The native `kubelab` command: runs session scripts against a fresh simulated cluster, makes
//! and reads share links, and runs the benchmarks. Same model code as the page.

use std::process::ExitCode;

const USAGE: &str = "usage:
  kubelab run [--json] SCRIPT     run a session script against a fresh cluster
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        _ => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> ExitCode {
    let json = args.iter().any(|a| a == "--json");
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {path}: {e}");
            return ExitCode::from(1);
        }
    };
    let base = std::path::Path::new(path).parent().map(|p| p.to_path_buf());
    let mut cluster = kubelab::model::Cluster::new();
    let steps = kubelab::script::run(&mut cluster, &text, base.as_deref());
    if json {
        println!("{}", serde_json::to_string_pretty(&steps).unwrap_or_default());
    } else {
        print!("{}", kubelab::script::transcript(&steps));
    }
    ExitCode::SUCCESS
}
