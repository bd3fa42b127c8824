//! The native `kubelab` command: runs session scripts against a fresh simulated cluster, makes
//! and reads share links, and runs the benchmarks. Same model code as the page.

use std::process::ExitCode;

/// The system allocator, counting the heap only where `kubelab bench` measures it.
#[global_allocator]
static ALLOC: kubelab::bench::memory::Counting = kubelab::bench::memory::Counting;

const USAGE: &str = "usage:
  kubelab run [--json] SCRIPT     run a session script against a fresh cluster
  kubelab share FILE [--lesson SLUG] [--lang ko|en] [--base URL]
                                  print a share link holding FILE (base URL also from KUBELAB_BASE_URL)
  kubelab unshare URL             print the manifest a share link holds
  kubelab bench [--quick] [--only GROUP]
                                  print simulator, manifest, RBAC and share-codec timings
                                  (--quick skips 10,000 replicas and the 5,000-line manifest;
                                  --only deployment-1000|statefulset|cronjob|rbac|manifest-500|share…)
";

/// Where links point unless told otherwise (`scripts/serve.sh` serves here).
const DEFAULT_BASE: &str = "http://127.0.0.1:8080/";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("share") => share(&args[1..]),
        Some("unshare") => unshare(&args[1..]),
        Some("bench") => {
            let quick = args.iter().any(|a| a == "--quick");
            let only = flag(&args, "--only");
            kubelab::bench::all(quick, only, &mut |f| println!("{}", kubelab::bench::line(f)));
            ExitCode::SUCCESS
        }
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

/// The value after `--name` (or `--name=value`).
fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    let eq = format!("{name}=");
    args.iter().enumerate().find_map(|(i, a)| {
        if a == name {
            args.get(i + 1).map(String::as_str)
        } else {
            a.strip_prefix(&eq)
        }
    })
}

fn share(args: &[String]) -> ExitCode {
    let mut positional = args.iter().enumerate().filter(|(i, a)| !a.starts_with("--") && (*i == 0 || !args[i - 1].starts_with("--") || args[i - 1].contains('=')));
    let Some((_, path)) = positional.next() else {
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
    let lang = flag(args, "--lang").map(str::to_string);
    if lang.as_deref().is_some_and(|l| l != "ko" && l != "en") {
        eprintln!("error: --lang must be ko or en");
        return ExitCode::from(2);
    }
    let lesson = flag(args, "--lesson").map(str::to_string);
    let env_base = std::env::var("KUBELAB_BASE_URL").ok();
    let base = flag(args, "--base").map(str::to_string).or(env_base).unwrap_or_else(|| DEFAULT_BASE.to_string());
    let base = base.trim_end_matches('/');
    let page = match &lesson {
        Some(slug) => format!("{base}/lessons/{slug}"),
        None => format!("{base}/playground"),
    };
    let state = kubelab::share::SharedState { text, lesson, lang, ..Default::default() };
    let url = kubelab::share::link(&page, &state);
    if url.len() > kubelab::share::MAX_LINK {
        eprintln!("warning: the link is {} characters, more than {} that chat apps and browsers handle well; share the file instead", url.len(), kubelab::share::MAX_LINK);
    }
    println!("{url}");
    ExitCode::SUCCESS
}

fn unshare(args: &[String]) -> ExitCode {
    let Some(url) = args.first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    match kubelab::share::decode(url) {
        Ok(state) => {
            print!("{}", state.text);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
