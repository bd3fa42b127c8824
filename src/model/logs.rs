//! Simulated container logs for `kubectl logs`: a server image's start-up lines (nginx's
//! docker-entrypoint, httpd, redis, …), what a shell command echoed, and the API server's
//! refusals worded as real (`is waiting to start`, `previous terminated container … not found`).

use super::controllers::containers::{self, ms_of, program_for};
use super::controllers::runtime::parse_image;
use super::object::{ObjExt, Object};
use super::store::Store;
use super::Kind;
use crate::value::Value;

/// `2026/01/05 09:00:02` as nginx and httpd stamp lines.
fn stamp(ms: u64, fmt: u8) -> String {
    let ts = containers::ts(ms);
    let (date, time) = (&ts[0..10], &ts[11..19]);
    match fmt {
        0 => format!("{} {time}", date.replace('-', "/")),
        _ => format!("{date}T{time}"),
    }
}

fn server_lines(image: &str, started: u64) -> Vec<String> {
    let short = parse_image(image).short;
    let t = stamp(started, 0);
    match short.as_str() {
        "nginx" => {
            let mut v: Vec<String> = [
                "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
                "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
                "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
                "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
                "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
                "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
                "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
                "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
                "/docker-entrypoint.sh: Configuration complete; ready for start up",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            for l in [
                "using the \"epoll\" event method",
                "nginx/1.29.3",
                "built by gcc 12.2.0 (Debian 12.2.0-14+deb12u1) ",
                "OS: Linux 6.8.0-85-generic",
                "getrlimit(RLIMIT_NOFILE): 1048576:1048576",
                "start worker processes",
                "start worker process 29",
                "start worker process 30",
            ] {
                v.push(format!("{t} [notice] 1#1: {l}"));
            }
            v
        }
        "httpd" => vec![
            "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using 10.244.1.2. Set the 'ServerName' directive globally to suppress this message".into(),
            format!("[{}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.65 (Unix) configured -- resuming normal operations", containers::ts(started)),
            format!("[{}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'", containers::ts(started)),
        ],
        "redis" => vec![
            "1:C 05 Jan 2026 09:00:02.000 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo".into(),
            "1:C 05 Jan 2026 09:00:02.000 * Redis version=8.2.3, bits=64, commit=00000000, modified=1, pid=1, just started".into(),
            "1:M 05 Jan 2026 09:00:02.001 * Server initialized".into(),
            "1:M 05 Jan 2026 09:00:02.001 * Ready to accept connections tcp".into(),
        ],
        "postgres" => vec![
            format!("{} UTC [1] LOG:  starting PostgreSQL 18.1 (Debian 18.1-1.pgdg13+2) on x86_64-pc-linux-gnu", stamp(started, 1).replace('T', " ")),
            format!("{} UTC [1] LOG:  listening on IPv4 address \"0.0.0.0\", port 5432", stamp(started, 1).replace('T', " ")),
            format!("{} UTC [1] LOG:  database system is ready to accept connections", stamp(started, 1).replace('T', " ")),
        ],
        "mysql" => vec![
            format!("{}.000000Z 0 [System] [MY-015015] [Server] MySQL Server - start.", stamp(started, 1)),
            format!("{}.000000Z 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '9.5.0'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.", stamp(started, 1)),
        ],
        _ => vec![],
    }
}

/// The lines one run of a container printed.
fn run_output(spec: &Value, started: u64, in_job: bool) -> String {
    let image = spec.str_at("image").unwrap_or("");
    let p = program_for(spec, in_job);
    let mut lines = if p.server && spec.arr_at("command").is_empty() { server_lines(image, started) } else { vec![] };
    if lines.is_empty() && spec.arr_at("command").is_empty() && spec.arr_at("args").is_empty() {
        lines = server_lines(image, started);
    }
    lines.extend(p.output);
    let mut s = lines.join("\n");
    if !s.is_empty() {
        s.push('\n');
    }
    s
}

/// `kubectl logs POD [-c CONTAINER] [--previous]`. `container` None picks the first (kubectl's
/// default, or the `kubectl.kubernetes.io/default-container` annotation). Err carries the message
/// as kubectl prints it on stderr.
pub fn logs(store: &Store, namespace: &str, pod: &str, container: Option<&str>, previous: bool) -> Result<String, String> {
    let p: &Object = store.get_by(Kind::Pod, namespace, pod).ok_or_else(|| format!("Error from server (NotFound): pods \"{pod}\" not found"))?;
    let default = p.annotation("kubectl.kubernetes.io/default-container").map(str::to_string);
    let name = match container.map(str::to_string).or(default) {
        Some(n) => n,
        None => p.arr_at("spec.containers").first().and_then(|c| c.str_at("name")).unwrap_or("").to_string(),
    };
    let spec = p
        .arr_at("spec.containers")
        .iter()
        .chain(p.arr_at("spec.initContainers"))
        .find(|c| c.str_at("name") == Some(name.as_str()))
        .ok_or_else(|| format!("Error from server (BadRequest): container {name} is not valid for pod {pod}"))?;
    let status = p
        .arr_at("status.containerStatuses")
        .iter()
        .chain(p.arr_at("status.initContainerStatuses"))
        .find(|s| s.str_at("name") == Some(name.as_str()));
    let in_job = p.arr_at("metadata.ownerReferences").iter().any(|o| o.str_at("kind") == Some("Job"));
    if previous {
        let st = status.and_then(|s| s.path("lastState.terminated"));
        return match st {
            Some(t) => Ok(run_output(spec, ms_of(t.str_at("startedAt")).unwrap_or(0), in_job)),
            None => Err(format!("Error from server (BadRequest): previous terminated container \"{name}\" in pod \"{pod}\" not found")),
        };
    }
    let Some(st) = status else {
        return Err(format!("Error from server (BadRequest): container \"{name}\" in pod \"{pod}\" is waiting to start: ContainerCreating"));
    };
    match containers::state_kind(st) {
        "running" => Ok(run_output(spec, ms_of(st.str_at("state.running.startedAt")).unwrap_or(0), in_job)),
        "terminated" => Ok(run_output(spec, ms_of(st.str_at("state.terminated.startedAt")).unwrap_or(0), in_job)),
        _ => {
            let reason = containers::waiting_reason(st);
            if let Some(t) = st.path("lastState.terminated") {
                // CrashLoopBackOff: the last run's output is still there.
                return Ok(run_output(spec, ms_of(t.str_at("startedAt")).unwrap_or(0), in_job));
            }
            let why = match reason {
                "ErrImagePull" | "ImagePullBackOff" => "trying and failing to pull image",
                "" => "ContainerCreating",
                r => r,
            };
            Err(format!("Error from server (BadRequest): container \"{name}\" in pod \"{pod}\" is waiting to start: {why}"))
        }
    }
}
