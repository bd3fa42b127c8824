//! The simulated container runtime (containerd): which images exist and how big they are, what a
//! container's command does (`sleep 5`, `exit 1`, `echo hi`, `sh -c "…"`, servers that run forever),
//! and the deterministic IDs and durations the kubelet reports.

use crate::model::clock::fnv32a;

/// Official Docker Hub images the simulation knows (a one-word name outside this list is taken
/// for a typo and cannot be pulled, as `ngnix` cannot).
const LIBRARY: &[(&str, u64, Kind)] = &[
    ("nginx", 72_195_292, Kind::Server),
    ("httpd", 58_127_360, Kind::Server),
    ("redis", 52_377_098, Kind::Server),
    ("mysql", 167_623_441, Kind::Server),
    ("postgres", 158_432_706, Kind::Server),
    ("mongo", 295_561_312, Kind::Server),
    ("mariadb", 120_214_980, Kind::Server),
    ("memcached", 33_201_465, Kind::Server),
    ("rabbitmq", 94_183_112, Kind::Server),
    ("tomcat", 191_624_018, Kind::Server),
    ("wordpress", 260_114_877, Kind::Server),
    ("traefik", 52_833_214, Kind::Server),
    ("haproxy", 39_015_626, Kind::Server),
    ("caddy", 21_441_870, Kind::Server),
    ("registry", 10_352_814, Kind::Server),
    ("elasticsearch", 652_441_112, Kind::Server),
    ("cassandra", 145_201_003, Kind::Server),
    ("zookeeper", 141_201_332, Kind::Server),
    ("consul", 71_002_114, Kind::Server),
    ("vault", 159_114_002, Kind::Server),
    ("ghost", 201_114_877, Kind::Server),
    ("busybox", 2_223_685, Kind::Shell),
    ("alpine", 3_653_068, Kind::Shell),
    ("ubuntu", 29_754_422, Kind::Shell),
    ("debian", 48_494_272, Kind::Shell),
    ("centos", 83_518_086, Kind::Shell),
    ("fedora", 64_237_118, Kind::Shell),
    ("bash", 6_510_337, Kind::Shell),
    ("python", 412_339_113, Kind::Shell),
    ("node", 399_521_118, Kind::Shell),
    ("golang", 293_881_117, Kind::Shell),
    ("perl", 318_112_004, Kind::Shell),
    ("ruby", 338_992_101, Kind::Shell),
    ("php", 187_420_118, Kind::Shell),
    ("openjdk", 325_114_212, Kind::Shell),
    ("eclipse-temurin", 192_114_002, Kind::Shell),
    ("hello-world", 3_208, Kind::Hello),
];

/// Registries a node can reach.
const REGISTRIES: &[&str] = &[
    "docker.io", "registry.k8s.io", "k8s.gcr.io", "gcr.io", "quay.io", "ghcr.io", "mcr.microsoft.com", "public.ecr.aws",
    "us-docker.pkg.dev", "registry.gitlab.com", "docker.elastic.co", "nvcr.io", "registry-1.docker.io",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Runs until stopped.
    Server,
    /// A shell image: runs its command, or exits at once without one.
    Shell,
    /// Prints a greeting and exits 0.
    Hello,
}

/// A parsed image reference, as containerd normalizes it.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageRef {
    /// `docker.io/library/nginx:latest` (or `…@sha256:…`).
    pub full: String,
    pub registry: String,
    /// `library/nginx`.
    pub repo: String,
    /// Last path component: `nginx`.
    pub short: String,
    pub tag: String,
}

/// An image reference's parts, borrowed from it: what `parse_image` would allocate, for the
/// kubelet's per-sync questions (present? pullable? which program?) that need none of it owned.
#[derive(Clone, Copy, Debug)]
pub struct ImageParts<'a> {
    pub registry: &'a str,
    /// The repository as written; `library/` goes before it for a one-word Docker Hub name.
    repo: &'a str,
    library: bool,
    pub tag: &'a str,
    digest: Option<&'a str>,
}

impl<'a> ImageParts<'a> {
    /// Last path component of the repository: `nginx`.
    pub fn short(&self) -> &'a str {
        self.repo.rsplit('/').next().unwrap_or("")
    }
    fn repo_into(&self, s: &mut String) {
        if self.library {
            s.push_str("library/");
        }
        s.push_str(self.repo);
    }
    /// `docker.io/library/nginx:latest` (or `…@sha256:…`): `ImageRef::full`.
    pub fn full(&self) -> String {
        let (sep, suffix) = match self.digest {
            Some(d) => ('@', d),
            None => (':', self.tag),
        };
        let mut full = String::with_capacity(self.registry.len() + self.repo.len() + suffix.len() + 10);
        full.push_str(self.registry);
        full.push('/');
        self.repo_into(&mut full);
        full.push(sep);
        full.push_str(suffix);
        full
    }
}

/// `parse_image` without allocating.
pub fn image_parts(image: &str) -> ImageParts<'_> {
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    let (registry, rest) = match name.split_once('/') {
        Some((first, rest)) if first.contains('.') || first.contains(':') || first == "localhost" => (first, rest),
        _ => ("docker.io", name),
    };
    let (repo, tag) = match rest.rsplit_once(':') {
        Some((r, t)) if !t.contains('/') => (r, t),
        _ => (rest, "latest"),
    };
    ImageParts { registry, repo, library: registry == "docker.io" && !repo.contains('/'), tag, digest }
}

pub fn parse_image(image: &str) -> ImageRef {
    let p = image_parts(image);
    let mut repo = String::with_capacity(p.repo.len() + 8);
    p.repo_into(&mut repo);
    ImageRef { full: p.full(), registry: p.registry.to_string(), short: p.short().to_string(), repo, tag: p.tag.to_string() }
}

/// What a pull of `image` gives: the image size, or the error containerd reports.
pub fn pull(image: &str) -> Result<u64, String> {
    // The pull that succeeds (every sync that starts a container asks) reads borrowed parts; the
    // errors below are worded from the parsed reference.
    let p = image_parts(image);
    let known = LIBRARY.iter().find(|(n, _, _)| *n == p.short());
    let in_library = p.library || p.repo.starts_with("library/");
    if REGISTRIES.contains(&p.registry) && !(p.registry == "docker.io" && in_library && known.is_none()) && tag_plausible(p.tag) {
        return Ok(known.map(|(_, s, _)| *s).unwrap_or_else(|| 20_000_000 + fnv32a(p.full().as_bytes()) as u64 % 180_000_000));
    }
    let r = parse_image(image);
    let head = format!("failed to pull and unpack image \"{}\": failed to resolve reference \"{}\"", r.full, r.full);
    if !REGISTRIES.contains(&r.registry.as_str()) {
        let host = r.registry.split(':').next().unwrap_or("");
        return Err(format!(
            "{head}: failed to do request: Head \"https://{}/v2/{}/manifests/{}\": dial tcp: lookup {host} on 10.0.0.2:53: no such host",
            r.registry, r.repo, r.tag
        ));
    }
    if r.registry == "docker.io" && r.repo.starts_with("library/") && !LIBRARY.iter().any(|(n, _, _)| *n == r.short) {
        return Err(format!("{head}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"));
    }
    if !tag_plausible(&r.tag) {
        return Err(format!("{head}: {}: not found", r.full));
    }
    Ok(LIBRARY.iter().find(|(n, _, _)| *n == r.short).map(|(_, s, _)| *s).unwrap_or(20_000_000 + fnv32a(r.full.as_bytes()) as u64 % 180_000_000))
}

/// Tags such as `1.27.1alpine` or `latset` do not exist; plain words, versions and `-variants` do.
fn tag_plausible(tag: &str) -> bool {
    const WORDS: &[&str] = &["latest", "stable", "mainline", "alpine", "slim", "bookworm", "bullseye", "jammy", "noble", "focal", "musl", "glibc", "uclibc", "lts", "edge", "perl", "otel", "management", "fpm", "apache"];
    if tag.is_empty() || tag.len() > 128 {
        return false;
    }
    tag.split(['-', '_']).all(|part| {
        let starts_digit = part.starts_with(|c: char| c.is_ascii_digit() || c == 'v');
        let is_version = starts_digit && part.trim_start_matches('v').split('.').all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        is_version || WORDS.contains(&part) || part.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.').len() >= 2 && WORDS.iter().any(|w| part.starts_with(w)) && !part.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// How a container behaves once started.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    /// Exit after this many ms with this code; None: runs until stopped.
    pub exit: Option<(u64, i32)>,
    /// Log lines printed at start (echo output, a server's start-up lines are added by `logs`).
    pub output: Vec<String>,
    /// `sleep` as PID 1 ignores SIGTERM, so deletion waits the whole grace period.
    pub ignores_sigterm: bool,
    pub server: bool,
}

/// Works out what a container does from its image, command and args. `in_job`: unknown commands
/// finish after a few seconds instead of running forever.
pub fn program(image: &str, command: &[String], args: &[String], in_job: bool) -> Program {
    let short = image_parts(image).short();
    let kind = LIBRARY.iter().find(|(n, _, _)| *n == short).map(|(_, _, k)| *k);
    let mut argv: Vec<String> = command.to_vec();
    argv.extend(args.iter().cloned());
    if command.is_empty() && kind == Some(Kind::Server) {
        // Args go to the server's own entrypoint.
        argv.clear();
    }
    if argv.is_empty() {
        return match kind {
            Some(Kind::Shell) => Program { exit: Some((0, 0)), output: vec![], ignores_sigterm: false, server: false },
            Some(Kind::Hello) => Program { exit: Some((0, 0)), output: HELLO.lines().map(str::to_string).collect(), ignores_sigterm: false, server: false },
            _ if in_job => Program { exit: Some((5_000, 0)), output: vec![], ignores_sigterm: false, server: false },
            _ => Program { exit: None, output: vec![], ignores_sigterm: false, server: true },
        };
    }
    let script = if matches!(argv[0].as_str(), "sh" | "/bin/sh" | "bash" | "/bin/bash" | "ash") && argv.get(1).is_some_and(|a| a == "-c" || a == "-ec") {
        argv.get(2).cloned().unwrap_or_default()
    } else {
        argv.iter().map(|a| if a.contains(' ') { format!("'{a}'") } else { a.clone() }).collect::<Vec<_>>().join(" ")
    };
    run_script(&script, in_job)
}

const HELLO: &str = "\nHello from Docker!\nThis message shows that your installation appears to be working correctly.\n";

/// A tiny shell: statements split on `;`, `&&`, newlines; `sleep`, `echo`, `exit`, `true`, `false`,
/// `date`, loops that never end (`while true`), `sleep infinity`, `tail -f`.
fn run_script(script: &str, in_job: bool) -> Program {
    let mut t: u64 = 0;
    let mut out = Vec::new();
    let mut code = 0;
    let first_word = script.split_whitespace().next().unwrap_or("");
    let ignores_sigterm = matches!(first_word, "sleep" | "/bin/sleep");
    if script.contains("while true") || script.contains("while :") || script.contains("sleep infinity") || script.contains("tail -f") {
        // Loop bodies print on every turn: show the first few turns.
        let mut p = Program { exit: None, output: vec![], ignores_sigterm: first_word == "sleep", server: false };
        if let Some(body) = script.split("do").nth(1) {
            for _ in 0..3 {
                for stmt in split_statements(body) {
                    if let Some(s) = echo_text(&stmt) {
                        p.output.push(s);
                    }
                }
            }
        }
        return p;
    }
    for stmt in split_statements(script).into_iter().take(200) {
        let words: Vec<&str> = stmt.split_whitespace().collect();
        let Some(cmd) = words.first() else { continue };
        let cmd = cmd.rsplit('/').next().unwrap_or(cmd);
        match cmd {
            "sleep" => {
                let secs = words.get(1).and_then(|w| parse_sleep(w));
                match secs {
                    Some(ms) => t = t.saturating_add(ms),
                    None => return Program { exit: None, output: out, ignores_sigterm, server: false },
                }
                code = 0;
            }
            "echo" | "printf" => {
                if let Some(s) = echo_text(&stmt) {
                    out.push(s);
                }
                code = 0;
            }
            "exit" => {
                let c = words.get(1).and_then(|w| w.parse::<i32>().ok()).unwrap_or(code);
                return Program { exit: Some((t, c.rem_euclid(256))), output: out, ignores_sigterm, server: false };
            }
            "true" | ":" | "cd" | "export" | "set" | "mkdir" | "touch" | "cp" | "ls" | "env" | "printenv" | "cat" | "wget" | "curl" | "nslookup" => {
                code = 0;
            }
            "false" => code = 1,
            "date" => {
                out.push("Mon Jan  5 09:00:00 UTC 2026".into());
                code = 0;
            }
            "hostname" => code = 0,
            _ if in_job => {
                t = t.saturating_add(5_000);
                code = 0;
            }
            _ => return Program { exit: None, output: out, ignores_sigterm: false, server: true },
        }
    }
    Program { exit: Some((t, code)), output: out, ignores_sigterm, server: false }
}

fn split_statements(s: &str) -> Vec<String> {
    s.replace("&&", ";").replace("||", ";").split([';', '\n']).map(|x| x.trim().to_string()).filter(|x| !x.is_empty() && x != "do" && x != "done").collect()
}

/// `echo hello world` → `hello world` (quotes removed, `$(date)` shown as a date).
fn echo_text(stmt: &str) -> Option<String> {
    let rest = stmt.trim().strip_prefix("echo").or_else(|| stmt.trim().strip_prefix("printf"))?;
    let rest = rest.trim().trim_start_matches("-n ").trim_start_matches("-e ");
    let s: String = rest.chars().filter(|c| *c != '"' && *c != '\'').collect();
    Some(s.replace("$(date)", "Mon Jan  5 09:00:00 UTC 2026").replace("\\n", "").trim_end().to_string())
}

/// `5`, `5s`, `2m`, `1h`, `0.5` → ms. `infinity` → None (runs forever).
fn parse_sleep(w: &str) -> Option<u64> {
    let (num, mult) = match w.chars().last()? {
        's' => (&w[..w.len() - 1], 1000.0),
        'm' => (&w[..w.len() - 1], 60_000.0),
        'h' => (&w[..w.len() - 1], 3_600_000.0),
        'd' => (&w[..w.len() - 1], 86_400_000.0),
        _ => (w, 1000.0),
    };
    let v: f64 = num.parse().ok()?;
    (v.is_finite() && v >= 0.0 && v < 1e12).then(|| (v * mult) as u64)
}

/// 64 hex digits derived from a seed (container IDs, image digests).
pub fn hex64(seed: &str) -> String {
    let mut s = String::with_capacity(64);
    push_hex64(&mut s, fnv32a(seed.as_bytes()));
    s
}

/// `hex64` of a seed whose FNV-1a hash is `h` (`fnv_parts` hashes a seed given in pieces),
/// written onto `s`.
fn push_hex64(s: &mut String, mut h: u32) {
    // `{h:08x}` eight times, written digit by digit: no buffer or string per round.
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for i in 0..8u32 {
        let mut round = [0u8; 8];
        round[..4].copy_from_slice(&h.to_le_bytes());
        round[4..].copy_from_slice(&i.to_le_bytes());
        h = fnv32a(&round);
        for shift in (0..8).rev() {
            s.push(HEX[(h >> (shift * 4)) as usize & 15] as char);
        }
    }
}

/// `fnv32a` of the pieces joined, without joining them.
fn fnv_parts(parts: &[&str]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in parts.iter().flat_map(|p| p.as_bytes()) {
        h ^= *b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The time a pull takes, 600 ms – 2.6 s, stable per pod and container.
pub fn pull_ms(seed: &str) -> u64 {
    pull_ms_of(fnv32a(seed.as_bytes()))
}

/// `pull_ms` of a seed given in pieces (the kubelet's `<uid>/<name>/<image>`, not formatted).
pub fn pull_ms_parts(parts: &[&str]) -> u64 {
    pull_ms_of(fnv_parts(parts))
}

fn pull_ms_of(h: u32) -> u64 {
    600 + h as u64 % 2000
}

/// `containerd://` and `hex64` of `<uid>/<name>/<restarts>`: a container's ID.
pub fn container_id(uid: &str, name: &str, restarts: i64) -> String {
    let n = restarts.to_string();
    let mut s = String::with_capacity(13 + 64);
    s.push_str("containerd://");
    push_hex64(&mut s, fnv_parts(&[uid, "/", name, "/", &n]));
    s
}

/// `imageID` containerd reports: `docker.io/library/nginx@sha256:…`.
pub fn image_id(image: &str) -> String {
    let p = image_parts(image);
    let mut s = String::with_capacity(p.registry.len() + p.repo.len() + 8 + 8 + 64);
    s.push_str(p.registry);
    s.push('/');
    let repo_at = s.len();
    p.repo_into(&mut s);
    // The digest is `hex64` of `<repo>:<tag>`.
    let h = fnv_parts(&[&s[repo_at..], ":", p.tag]);
    s.push_str("@sha256:");
    push_hex64(&mut s, h);
    s
}

/// Go's `time.Duration.String()` truncated to milliseconds: `813ms`, `1.204s`.
pub fn go_duration_ms(ms: u64) -> String {
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let s = format!("{}.{:03}", ms / 1000, ms % 1000);
    format!("{}s", s.trim_end_matches('0').trim_end_matches('.'))
}

#[cfg(test)]
mod tests {
    use super::*;
    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }
    #[test]
    fn images() {
        assert_eq!(parse_image("nginx").full, "docker.io/library/nginx:latest");
        assert_eq!(parse_image("registry.k8s.io/pause:3.10").full, "registry.k8s.io/pause:3.10");
        assert_eq!(parse_image("bitnami/redis:7.2").full, "docker.io/bitnami/redis:7.2");
        assert!(pull("nginx:1.27").is_ok());
        assert!(pull("nginx:1.27-alpine").is_ok());
        assert!(pull("ngnix").unwrap_err().contains("pull access denied"));
        assert!(pull("nginx:1.27.1alpine").unwrap_err().ends_with("docker.io/library/nginx:1.27.1alpine: not found"));
        assert!(pull("myregistry.local/app:1").unwrap_err().contains("no such host"));
        assert_eq!(go_duration_ms(1204), "1.204s");
        assert_eq!(go_duration_ms(1200), "1.2s");
        assert_eq!(go_duration_ms(813), "813ms");
        for image in ["nginx", "nginx:1.27", "bitnami/redis:7.2", "docker.io/library/nginx", "localhost:5000/app@sha256:ab", "ngnix", "myregistry.local/app:1", "quay.io/x/y:latest"] {
            let r = parse_image(image);
            let head = format!("{}/{}@sha256:", r.registry, r.repo);
            assert_eq!(image_id(image), format!("{head}{}", hex64(&format!("{}:{}", r.repo, r.tag))), "{image}");
            assert_eq!(image_parts(image).full(), r.full);
        }
        assert_eq!(container_id("u-1", "web", 3), format!("containerd://{}", hex64("u-1/web/3")));
        assert_eq!(pull_ms_parts(&["u-1", "/web/", "nginx"]), pull_ms("u-1/web/nginx"));
    }
    #[test]
    fn programs() {
        assert_eq!(program("nginx", &[], &[], false).exit, None);
        assert_eq!(program("busybox", &[], &[], false).exit, Some((0, 0)));
        assert_eq!(program("busybox", &v(&["sleep", "3600"]), &[], false).exit, Some((3_600_000, 0)));
        assert!(program("busybox", &v(&["sleep", "30"]), &[], false).ignores_sigterm);
        let p = program("busybox", &v(&["sh", "-c"]), &v(&["echo hello; sleep 5; exit 3"]), false);
        assert_eq!(p.exit, Some((5000, 3)));
        assert_eq!(p.output, vec!["hello"]);
        assert_eq!(program("busybox", &v(&["false"]), &[], false).exit, Some((0, 1)));
        assert_eq!(program("busybox", &v(&["sh", "-c", "while true; do echo hi; sleep 5; done"]), &[], false).exit, None);
        assert_eq!(program("perl", &v(&["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]), &[], true).exit, Some((5000, 0)));
        assert_eq!(program("busybox", &v(&["sleep", "infinity"]), &[], false).exit, None);
    }
}
