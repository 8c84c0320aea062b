//! The moto IAM/STS emulator as a test fixture.
//!
//! `moto[server]` is installed on first use into a Python virtualenv under the cargo target
//! directory (`target/moto-venv`), guarded by a file lock so parallel test threads and test
//! binaries never race, and marked complete only after a successful install (a half-finished
//! one is wiped and redone). Every test then starts its own server on a free port, waits until
//! it answers, and kills it when the handle is dropped (also during a panic).
//!
//! Nothing here skips: a missing python3, a failed install or a server that does not come up
//! fails the test with a message that says why.
//!
//! Environment:
//! - `IAMTUI_MOTO_VENV`: use this virtualenv directory instead of `<target>/moto-venv` (point it
//!   at an empty directory to try a fresh install).
//! - `IAMTUI_PYTHON`: the interpreter that creates the virtualenv (default `python3`).
//! - `IAMTUI_MOTO_MAX_SERVERS`: servers running at once per test process (default 4).
//!
//! One moto server must not be sent concurrent requests: moto is not thread-safe (two CreateRole
//! calls at once can fail with HTTP 500, "dictionary changed size during iteration").

use std::fs::{self, File};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use iamtui::backend::aws::{AwsBackend, AwsOptions, Retries};
use iamtui::iam::{Backend, Credentials};
use secrecy::SecretString;

use super::tail;
use super::venv::{PinnedVenv, dir_from_env};

/// The pinned emulator. Its behaviour (and its differences from IAM) is what the suite asserts.
pub const MOTO_REQUIREMENT: &str = "moto[server]==5.2.5";
pub const MOTO_VERSION: &str = "5.2.5";
/// moto's default account.
pub const ACCOUNT_ID: &str = "123456789012";

/// Written into the virtualenv once the install has fully succeeded.
const MARKER: &str = ".iamtui-moto-installed";
/// How long a server may take to answer `GET /moto-api/`.
const READY_DEADLINE: Duration = Duration::from_secs(30);
/// Servers running at once in this process (each is a ~100 MB Python process).
const DEFAULT_MAX_SERVERS: usize = 4;

// --- installation -----------------------------------------------------------------------------

/// The `moto_server` executable, installing moto first if needed. Runs the install at most once
/// per process; every caller gets the same outcome (a failure panics in every test).
pub fn moto_server_bin() -> PathBuf {
    static INSTALLED: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let venv = PinnedVenv {
        dir: dir_from_env("IAMTUI_MOTO_VENV", "moto-venv"),
        requirement: MOTO_REQUIREMENT,
        version: MOTO_VERSION,
        executable: "moto_server",
        marker: MARKER,
        label: "moto emulator",
        version_of: installed_version,
        // A venv made by hand (or by an older harness) is adopted when it holds the right moto.
        adopt_matching: true,
    };
    venv.ensure_once(&INSTALLED)
}

/// The moto version the venv's Python imports, with the modules the server needs.
fn installed_version(venv: &Path, _bin: &Path) -> Option<String> {
    let out = Command::new(venv.join("bin").join("python"))
        .args([
            "-c",
            "import moto, moto.server, moto.iam, moto.sts, flask; print(moto.__version__)",
        ])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

// --- concurrency limit ------------------------------------------------------------------------

struct Slots {
    used: Mutex<usize>,
    freed: Condvar,
}

fn slots() -> &'static Slots {
    static SLOTS: OnceLock<Slots> = OnceLock::new();
    SLOTS.get_or_init(|| Slots {
        used: Mutex::new(0),
        freed: Condvar::new(),
    })
}

fn max_servers() -> usize {
    std::env::var("IAMTUI_MOTO_MAX_SERVERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or(DEFAULT_MAX_SERVERS)
}

/// One running server's share of the limit, given back on drop.
struct Permit;

impl Permit {
    fn acquire() -> Self {
        let s = slots();
        let max = max_servers();
        let mut used = s.used.lock().unwrap_or_else(|e| e.into_inner());
        while *used >= max {
            used = s.freed.wait(used).unwrap_or_else(|e| e.into_inner());
        }
        *used += 1;
        Permit
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let s = slots();
        let mut used = s.used.lock().unwrap_or_else(|e| e.into_inner());
        *used -= 1;
        s.freed.notify_one();
    }
}

// --- the server -------------------------------------------------------------------------------

/// How to start a server.
#[derive(Debug, Clone, Default)]
pub struct MotoConfig {
    /// `MOTO_IAM_LOAD_MANAGED_POLICIES=true`: the ~1,580 AWS managed policies exist (the first
    /// IAM call then takes about 2 s).
    pub load_managed_policies: bool,
}

/// A running moto server, killed (and reaped) on drop.
pub struct MotoServer {
    child: Child,
    port: u16,
    log_path: PathBuf,
    _log_dir: tempfile::TempDir,
    _permit: Permit,
}

impl MotoServer {
    pub fn start() -> Self {
        Self::start_with(&MotoConfig::default())
    }

    pub fn start_with(config: &MotoConfig) -> Self {
        let bin = moto_server_bin();
        let permit = Permit::acquire();
        let log_dir = tempfile::Builder::new()
            .prefix("iamtui-moto-")
            .tempdir()
            .unwrap_or_else(|e| panic!("cannot create a temp dir for the moto log: {e}"));
        let log_path = log_dir.path().join("moto_server.log");

        // The free port is found by binding port 0 and releasing it; another process can take it
        // in between, so a server that dies with "Address already in use" is retried.
        let mut attempt = 0;
        loop {
            attempt += 1;
            let port = free_port();
            let mut child = spawn(&bin, port, config, &log_path);
            match wait_ready(&mut child, port, &log_path) {
                Ok(()) => {
                    return Self {
                        child,
                        port,
                        log_path,
                        _log_dir: log_dir,
                        _permit: permit,
                    };
                }
                Err(why) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    let log = read_log(&log_path);
                    if attempt < 3 && log.contains("Address already in use") {
                        continue;
                    }
                    panic!(
                        "moto_server ({}) on 127.0.0.1:{port} did not come up: {why}\n\
                         --- moto_server output (tail) ---\n{}",
                        bin.display(),
                        tail(&log, 40)
                    );
                }
            }
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Everything the server wrote so far (its request log and tracebacks).
    pub fn log(&self) -> String {
        read_log(&self.log_path)
    }

    /// A plain HTTP/1.0 request to the server: (status, body).
    pub fn http(&self, method: &str, path: &str, content_type: &str, body: &str) -> (u16, String) {
        http_request(
            self.port,
            method,
            path,
            content_type,
            body,
            Duration::from_secs(10),
        )
        .unwrap_or_else(|e| panic!("{method} {path} to moto failed: {e}"))
    }

    /// Turns IAM authorization on from now (`POST /moto-api/reset-auth` with `0`): requests
    /// must then be signed with a key of a user that exists in moto, and are checked against
    /// that user's policies.
    pub fn enable_auth(&self) {
        let (status, body) = self.http("POST", "/moto-api/reset-auth", "text/plain", "0");
        assert_eq!(status, 200, "reset-auth answered {status}: {body}");
        assert!(body.contains("\"ok\""), "reset-auth answered: {body}");
    }

    /// The AWS SDK backend pointed at this server with moto's usual dummy credentials.
    pub async fn backend(&self) -> Arc<dyn Backend> {
        self.backend_with(test_credentials()).await
    }

    /// The AWS SDK backend pointed at this server, signing with `credentials`.
    pub async fn backend_with(&self, credentials: Credentials) -> Arc<dyn Backend> {
        aws_backend(&self.url(), credentials).await
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let panicking = std::thread::panicking();
        if panicking {
            // Werkzeug logs the request line before the traceback of a failed request: give it
            // a moment to finish writing.
            std::thread::sleep(Duration::from_millis(300));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        if panicking {
            let log = read_log(&self.log_path);
            let errors = server_errors(&log);
            eprintln!(
                "--- moto_server on port {}: {} ---\n{}\n--- tail of its log ---\n{}",
                self.port,
                if errors.is_empty() {
                    "no server errors in its log".to_string()
                } else {
                    "server errors in its log".to_string()
                },
                errors,
                tail(&log, 30)
            );
        }
    }
}

/// `testing`/`testing`, the dummy keys moto accepts while authorization is off.
pub fn test_credentials() -> Credentials {
    Credentials {
        access_key_id: "testing".into(),
        secret_access_key: SecretString::from("testing"),
        session_token: None,
        expiration: None,
    }
}

/// The AWS backend as the tests use it: static credentials, us-east-1, no retries (so an
/// unsupported call fails once, fast).
pub async fn aws_backend(endpoint_url: &str, credentials: Credentials) -> Arc<dyn Backend> {
    let backend = AwsBackend::connect(AwsOptions {
        endpoint_url: Some(endpoint_url.to_string()),
        region: Some("us-east-1".into()),
        credentials: Some(credentials),
        retries: Retries::Disabled,
        ..AwsOptions::default()
    })
    .await
    .unwrap_or_else(|e| panic!("AwsBackend::connect({endpoint_url}) failed: {e}"));
    Arc::new(backend)
}

/// A fresh server and a backend talking to it; keep both alive for the whole test.
pub struct Moto {
    pub backend: Arc<dyn Backend>,
    pub server: MotoServer,
}

impl Moto {
    pub async fn start() -> Self {
        Self::start_with(MotoConfig::default()).await
    }

    pub async fn start_with(config: MotoConfig) -> Self {
        let server = MotoServer::start_with(&config);
        let backend = server.backend().await;
        Self { backend, server }
    }

    pub fn backend(&self) -> Arc<dyn Backend> {
        self.backend.clone()
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0")
        .unwrap_or_else(|e| panic!("cannot bind 127.0.0.1:0 to find a free port: {e}"));
    listener
        .local_addr()
        .unwrap_or_else(|e| panic!("no local address for the port probe: {e}"))
        .port()
}

fn spawn(bin: &Path, port: u16, config: &MotoConfig, log_path: &Path) -> Child {
    let log = File::create(log_path)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", log_path.display()));
    let log_err = log
        .try_clone()
        .unwrap_or_else(|e| panic!("cannot duplicate the log handle: {e}"));
    let mut cmd = Command::new(bin);
    cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        // The environment of the test run must not change the emulator's behaviour.
        .env_remove("INITIAL_NO_AUTH_ACTION_COUNT")
        .env_remove("MOTO_ACCOUNT_ID")
        .env("PYTHONUNBUFFERED", "1");
    if config.load_managed_policies {
        cmd.env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true");
    } else {
        cmd.env_remove("MOTO_IAM_LOAD_MANAGED_POLICIES");
    }
    kill_with_parent(&mut cmd);
    cmd.spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()))
}

/// If the test process dies without unwinding (SIGKILL, abort, a timeout in CI), the kernel
/// kills the server too, so no orphan keeps a port and 100 MB.
#[cfg(target_os = "linux")]
fn kill_with_parent(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: prctl is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn kill_with_parent(_cmd: &mut Command) {}

fn wait_ready(child: &mut Child, port: u16, log_path: &Path) -> Result<(), String> {
    let deadline = Instant::now() + READY_DEADLINE;
    loop {
        if let Some(status) = child
            .try_wait()
            .map_err(|e| format!("cannot poll the process: {e}"))?
        {
            return Err(format!("the process exited early with {status}"));
        }
        let last_error =
            match http_request(port, "GET", "/moto-api/", "", "", Duration::from_secs(2)) {
                Ok((200, _)) => return Ok(()),
                Ok((status, body)) => {
                    format!("GET /moto-api/ answered {status}: {}", tail(&body, 5))
                }
                Err(e) => e,
            };
        if Instant::now() >= deadline {
            return Err(format!(
                "no 200 from GET /moto-api/ within {} s (last: {last_error}; log at {})",
                READY_DEADLINE.as_secs(),
                log_path.display()
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn http_request(
    port: u16,
    method: &str,
    path: &str,
    content_type: &str,
    body: &str,
    timeout: Duration,
) -> Result<(u16, String), String> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_millis(500))
        .map_err(|e| format!("connect to {addr}: {e}"))?;
    stream
        .set_read_timeout(Some(timeout))
        .and_then(|()| stream.set_write_timeout(Some(timeout)))
        .map_err(|e| format!("socket timeouts: {e}"))?;
    let mut request = format!(
        "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !content_type.is_empty() {
        request.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("send to {addr}: {e}"))?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .map_err(|e| format!("read from {addr}: {e}"))?;
    let text = String::from_utf8_lossy(&response);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .lines()
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("not an HTTP response: {:?}", tail(head, 3)))?;
    Ok((status, body.to_string()))
}

/// Python tracebacks and 5xx request lines from a server log (the request lines of a busy test
/// would push them out of a plain tail).
fn server_errors(log: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let mut in_traceback = false;
    for line in log.lines() {
        if line.starts_with("Traceback (most recent call last)") {
            in_traceback = true;
        } else if in_traceback && line.starts_with("127.0.0.1 - - [") {
            in_traceback = false;
        }
        if in_traceback || (line.starts_with("127.0.0.1 - - [") && line.contains("\" 5")) {
            out.push(line);
        }
    }
    tail(&out.join("\n"), 120)
}

fn read_log(path: &Path) -> String {
    fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_else(|e| format!("(cannot read {}: {e})", path.display()))
}
