//! Command-line parsing as kubectl (cobra + pflag) does it: shell-like word splitting, the
//! command path, long and short flags with their values, `--` and cobra's error wording.

use std::collections::BTreeMap;

/// Longest command line and most words accepted (anything longer is refused, never slow).
pub const MAX_LINE: usize = 64 * 1024;
pub const MAX_WORDS: usize = 2_000;

/// Splits a line into words like a POSIX shell: quotes, backslash escapes, no expansions.
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    if line.len() > MAX_LINE {
        return Err("error: command line too long".into());
    }
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => cur.push(ch),
                        None => return Err("error: unterminated quote in command line".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(ch @ ('"' | '\\' | '$' | '`')) => cur.push(ch),
                            Some(ch) => {
                                cur.push('\\');
                                cur.push(ch);
                            }
                            None => return Err("error: unterminated quote in command line".into()),
                        },
                        Some(ch) => cur.push(ch),
                        None => return Err("error: unterminated quote in command line".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(ch) = chars.next() {
                    cur.push(ch);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                    if words.len() > MAX_WORDS {
                        return Err("error: too many words in command line".into());
                    }
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// One flag kubectl knows: long name, shorthand, whether it takes a value.
pub struct FlagSpec {
    pub name: &'static str,
    pub short: Option<char>,
    pub value: bool,
}

macro_rules! flags {
    ($( $name:expr, $short:expr, $value:expr; )*) => {
        pub static FLAGS: &[FlagSpec] = &[ $( FlagSpec { name: $name, short: $short, value: $value }, )* ];
    };
}

flags! {
    "namespace", Some('n'), true;
    "all-namespaces", Some('A'), false;
    "as", None, true;
    "as-group", None, true;
    "context", None, true;
    "kubeconfig", None, true;
    "request-timeout", None, true;
    "output", Some('o'), true;
    "selector", Some('l'), true;
    "field-selector", None, true;
    "filename", Some('f'), true;
    "recursive", Some('R'), false;
    "show-labels", None, false;
    "label-columns", Some('L'), true;
    "sort-by", None, true;
    "no-headers", None, false;
    "watch", Some('w'), false;
    "watch-only", None, false;
    "show-kind", None, false;
    "ignore-not-found", None, false;
    "all", None, false;
    "cascade", None, true;
    "grace-period", None, true;
    "force", None, false;
    "now", None, false;
    "wait", None, false;
    "timeout", None, true;
    "dry-run", None, true;
    "image", None, true;
    "replicas", Some('r'), true;
    "port", None, true;
    "target-port", None, true;
    "protocol", None, true;
    "type", None, true;
    "name", None, true;
    "labels", None, true;
    "restart", None, true;
    "command", None, false;
    "env", None, true;
    "rm", None, false;
    "stdin", Some('i'), false;
    "tty", Some('t'), false;
    "from-literal", None, true;
    "from-file", None, true;
    "from-env-file", None, true;
    "cert", None, true;
    "key", None, true;
    "tcp", None, true;
    "node-port", None, true;
    "schedule", None, true;
    "from", None, true;
    "verb", None, true;
    "resource", None, true;
    "resource-name", None, true;
    "clusterrole", None, true;
    "role", None, true;
    "user", None, true;
    "group", None, true;
    "serviceaccount", None, true;
    "overwrite", None, false;
    "current-replicas", None, true;
    "container", Some('c'), true;
    "previous", Some('p'), false;
    "tail", None, true;
    "follow", Some('f'), false;
    "timestamps", None, false;
    "since", None, true;
    "all-containers", None, false;
    "prefix", None, false;
    "revision", None, true;
    "to-revision", None, true;
    "ignore-daemonsets", None, false;
    "delete-emptydir-data", None, false;
    "disable-eviction", None, false;
    "list", None, false;
    "subresource", None, true;
    "current", None, false;
    "minify", None, false;
    "raw", None, false;
    "client", None, false;
    "short", None, false;
    "api-group", None, true;
    "namespaced", None, false;
    "verbs", None, true;
    "sort-by-api", None, true;
    "help", Some('h'), false;
    "record", None, false;
    "validate", None, true;
    "server-side", None, false;
    "field-manager", None, true;
    "types", None, false;
    "for", None, true;
    "local", None, false;
    "containers", None, false;
    "ignore-errors", None, false;
    "show-events", None, true;
    "chunk-size", None, true;
    "pod-selector", None, true;
    "external-name", None, true;
    "cluster-ip", None, true;
    "expose", None, false;
    "api-version", None, true;
    "save-config", None, false;
    "show-managed-fields", None, false;
    "quiet", Some('q'), false;
    "env-from", None, true;
    "external-ip", None, true;
    "session-affinity", None, true;
    "selector-override", None, true;
    "docker-server", None, true;
    "docker-username", None, true;
    "docker-password", None, true;
    "docker-email", None, true;
    "pod-running-timeout", None, true;
    "attach", None, false;
    "privileged", None, false;
    "limits", None, true;
    "requests", None, true;
    "clusterip", None, true;
    "aggregation-rule", None, true;
    "non-resource-url", None, true;
    "overrides", None, true;
    "image-pull-policy", None, true;
    "annotations", None, true;
    "no-prefix", None, false;
    "max-log-requests", None, true;
    "limit-bytes", None, true;
    "since-time", None, true;
}

pub fn spec(name: &str) -> Option<&'static FlagSpec> {
    FLAGS.iter().find(|f| f.name == name)
}

/// Flags every command accepts (kubectl's global flags).
pub const GLOBAL: &[&str] = &["namespace", "as", "as-group", "context", "kubeconfig", "request-timeout", "help"];

/// A parsed command line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Args {
    /// Positional words (the command path removed).
    pub pos: Vec<String>,
    /// Flag name → values in order (bool flags hold "true"/"false").
    pub flags: BTreeMap<String, Vec<String>>,
    /// Words after a bare `--`.
    pub rest: Vec<String>,
    pub saw_dashdash: bool,
}

impl Args {
    pub fn has(&self, name: &str) -> bool {
        self.flags.contains_key(name)
    }
    pub fn get(&self, name: &str) -> Option<&str> {
        self.flags.get(name).and_then(|v| v.last()).map(String::as_str)
    }
    pub fn all(&self, name: &str) -> Vec<String> {
        self.flags.get(name).cloned().unwrap_or_default()
    }
    pub fn bool(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| v != "false")
    }
}

/// Parses the words after the command path with the flags `allowed` (plus the global ones).
/// `cmd` is the command path for cobra's "See 'kubectl get --help' for usage." line.
pub fn parse(words: &[String], allowed: &[&str], cmd: &str) -> Result<Args, String> {
    let ok = |n: &str| GLOBAL.contains(&n) || allowed.contains(&n);
    // cobra's flag errors come back capitalised (`Error: unknown flag: --x`).
    let usage = |msg: String| format!("Error: {msg}\nSee 'kubectl {cmd} --help' for usage.\n");
    let mut a = Args::default();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        i += 1;
        if a.saw_dashdash {
            a.rest.push(w.clone());
            continue;
        }
        if w == "--" {
            a.saw_dashdash = true;
            continue;
        }
        if let Some(body) = w.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let Some(sp) = spec(name).filter(|s| ok(s.name)) else {
                return Err(usage(format!("unknown flag: --{name}")));
            };
            let val = if sp.value {
                match inline {
                    Some(v) => v,
                    None => match words.get(i) {
                        Some(v) => {
                            i += 1;
                            v.clone()
                        }
                        None => return Err(usage(format!("flag needs an argument: --{name}"))),
                    },
                }
            } else {
                match inline.as_deref() {
                    None | Some("true") | Some("1") | Some("t") | Some("T") | Some("TRUE") | Some("True") => "true".into(),
                    Some("false") | Some("0") | Some("f") | Some("F") | Some("FALSE") | Some("False") => "false".into(),
                    Some(v) => {
                        return Err(usage(format!("invalid argument \"{v}\" for \"--{name}\" flag: strconv.ParseBool: parsing \"{v}\": invalid syntax")))
                    }
                }
            };
            a.flags.entry(sp.name.to_string()).or_default().push(val);
            continue;
        }
        if w.len() > 1 && w.starts_with('-') {
            // Shorthands, possibly combined: -Aw, -nkube-system, -n=dev.
            let chars: Vec<char> = w[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let ch = chars[j];
                j += 1;
                let Some(sp) = FLAGS.iter().find(|s| s.short == Some(ch) && ok(s.name)) else {
                    return Err(usage(format!("unknown shorthand flag: '{ch}' in {w}")));
                };
                if sp.value {
                    let rest: String = chars[j..].iter().collect();
                    let val = if !rest.is_empty() {
                        rest.strip_prefix('=').map(str::to_string).unwrap_or(rest)
                    } else {
                        match words.get(i) {
                            Some(v) => {
                                i += 1;
                                v.clone()
                            }
                            None => return Err(usage(format!("flag needs an argument: '{ch}' in -{ch}"))),
                        }
                    };
                    a.flags.entry(sp.name.to_string()).or_default().push(val);
                    break;
                }
                a.flags.entry(sp.name.to_string()).or_default().push("true".into());
            }
            continue;
        }
        a.pos.push(w.clone());
    }
    Ok(a)
}

/// Splits off the command path: leading words that are not flags, skipping global flag values
/// placed before the verb (`kubectl -n dev get pods`). Returns (verb words, remaining words).
pub fn split_verb(words: &[String]) -> (Option<String>, Vec<String>) {
    let mut rest = Vec::new();
    let mut verb = None;
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        if verb.is_none() && w.starts_with('-') && w != "-" {
            rest.push(w.clone());
            let takes = if let Some(b) = w.strip_prefix("--") {
                !b.contains('=') && spec(b).is_some_and(|s| s.value)
            } else {
                w.len() == 2 && FLAGS.iter().any(|s| s.short == w.chars().nth(1) && s.value)
            };
            if takes {
                if let Some(v) = words.get(i + 1) {
                    rest.push(v.clone());
                    i += 1;
                }
            }
        } else if verb.is_none() {
            verb = Some(w.clone());
        } else {
            rest.push(w.clone());
        }
        i += 1;
    }
    (verb, rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    fn w(s: &str) -> Vec<String> {
        split_words(s).unwrap()
    }
    #[test]
    fn words_and_quotes() {
        assert_eq!(w(r#"get pods -l 'app in (a, b)' --x="y z""#), vec!["get", "pods", "-l", "app in (a, b)", "--x=y z"]);
        assert!(split_words("echo 'x").is_err());
    }
    #[test]
    fn flags() {
        let a = parse(&w("pods -n dev -owide --show-labels -lapp=web"), &["output", "show-labels", "selector"], "get").unwrap();
        assert_eq!(a.pos, vec!["pods"]);
        assert_eq!(a.get("namespace"), Some("dev"));
        assert_eq!(a.get("output"), Some("wide"));
        assert!(a.bool("show-labels"));
        assert_eq!(a.get("selector"), Some("app=web"));
        let e = parse(&w("pods --bogus"), &[], "get").unwrap_err();
        assert_eq!(e, "Error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n");
        let e = parse(&w("pods -n"), &[], "get").unwrap_err();
        assert!(e.starts_with("Error: flag needs an argument: 'n' in -n"));
        let a = parse(&w("nginx --image nginx -- sleep 10"), &["image"], "run").unwrap();
        assert_eq!(a.rest, vec!["sleep", "10"]);
        let (v, rest) = split_verb(&w("-n dev get pods"));
        assert_eq!(v.as_deref(), Some("get"));
        assert_eq!(rest, vec!["-n", "dev", "pods"]);
    }
}
