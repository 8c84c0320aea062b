//! End to end: the real binary in a real terminal. tmux gives the binary a pty and lets the
//! test read the screen (`capture-pane`) and the pane's modes (`#{alternate_on}`).
//!
//! These tests need tmux and fail, rather than skip, without it: a skipped terminal test would
//! hide exactly the regressions (a terminal left in raw mode) they exist to catch.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_iamtui");
/// The SDK retries a refused connection with backoff before it reports it.
const NETWORK_ERROR_DEADLINE: Duration = Duration::from_secs(90);
const DEADLINE: Duration = Duration::from_secs(20);

/// A tmux server of our own running the binary in one pane; killed on drop, pass or fail.
struct Session {
    socket: String,
    dir: tempfile::TempDir,
}

impl Session {
    /// Starts `iamtui <args>` through a wrapper script that records the binary's pid and, once
    /// it exits, prints its exit status and the terminal's line settings into the same pane.
    fn start(args: &[&str]) -> Self {
        Self::start_with(args, |_| {})
    }

    /// Like `start`, with `setup` preparing the session's home directory first.
    fn start_with(args: &[&str], setup: impl FnOnce(&Path)) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let socket = format!(
            "iamtui-e2e-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let dir = tempfile::tempdir().unwrap();
        setup(dir.path());
        let session = Self { socket, dir };
        let script = session.write_wrapper(args);
        session.tmux(&[
            "new-session",
            "-d",
            "-x",
            "100",
            "-y",
            "30",
            "-s",
            "e2e",
            script.to_str().unwrap(),
        ]);
        session
    }

    fn write_wrapper(&self, args: &[&str]) -> PathBuf {
        let dir = self.dir.path();
        let quoted: Vec<String> = args.iter().map(|a| shell_quote(a)).collect();
        let script = format!(
            r#"#!/bin/sh
# No real AWS configuration, profile or endpoint may leak into the test.
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ENDPOINT_URL AWS_REGION AWS_DEFAULT_REGION AWS_SESSION_TOKEN
export HOME={home}
export IAMTUI_DATA_DIR={data}
export IAMTUI_CONFIG_DIR={config}
# A test that writes $HOME/.aws/credentials signs with its profiles; the others with dummy keys.
[ -e "$HOME/.aws/credentials" ] || export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_EC2_METADATA_DISABLED=true
sh -c 'echo $$ > "$0.tmp" && mv "$0.tmp" "$0" && exec "$@"' {pid} {bin} {args}
status=$?
echo "iamtui exited with $status"
echo "stty: $(stty -a | tr ' ;' '\n\n' | grep -Ex -- '-?(icanon|echo)' | tr '\n' ' ')"
exec sleep 3600
"#,
            home = shell_quote(dir.to_str().unwrap()),
            data = shell_quote(dir.join("data").to_str().unwrap()),
            config = shell_quote(dir.join("config").to_str().unwrap()),
            pid = shell_quote(self.pid_file().to_str().unwrap()),
            bin = shell_quote(BIN),
            args = quoted.join(" "),
        );
        let path = dir.join("run.sh");
        std::fs::write(&path, script).unwrap();
        make_executable(&path);
        path
    }

    fn pid_file(&self) -> PathBuf {
        self.dir.path().join("iamtui.pid")
    }

    fn log_file(&self) -> PathBuf {
        self.dir.path().join("data").join("iamtui.log")
    }

    fn tmux(&self, args: &[&str]) -> Output {
        let output = Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| {
                panic!("cannot run tmux ({e}); these tests need it: apt-get install tmux")
            });
        assert!(
            output.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "e2e"]).stdout).into()
    }

    /// Whether the pane shows the alternate screen (where full-screen programs draw).
    fn alternate_on(&self) -> bool {
        let out = self.tmux(&["display-message", "-p", "-t", "e2e", "#{alternate_on}"]);
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }

    /// Sends keys (tmux key names), or `text` typed literally.
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        self.tmux(&args);
        // Escape followed at once by a key reads as Alt+key.
        if keys.last() == Some(&"Escape") {
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    /// Sends `keys`, then waits for every needle.
    fn press(&self, keys: &[&str], needles: &[&str]) -> String {
        self.keys(keys);
        self.wait_for(needles, DEADLINE)
    }

    /// Quits with `q` and checks the terminal is restored.
    fn quit(&self) {
        self.keys(&["q"]);
        self.assert_restored(0);
    }

    fn text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "e2e", "-l", text]);
    }

    /// Polls the screen until no needle is on it.
    fn wait_gone(&self, needles: &[&str], deadline: Duration) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if !needles.iter().any(|n| screen.contains(n)) {
                return screen;
            }
            assert!(
                start.elapsed() < deadline,
                "waited {deadline:?} for {needles:?} to go; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Polls the screen until every needle is on it.
    fn wait_for(&self, needles: &[&str], deadline: Duration) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if needles.iter().all(|n| screen.contains(n)) {
                return screen;
            }
            assert!(
                start.elapsed() < deadline,
                "waited {deadline:?} for {needles:?}; the screen shows:\n{screen}\n--- log:\n{}",
                std::fs::read_to_string(self.log_file()).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn pid(&self) -> String {
        let start = Instant::now();
        loop {
            if let Ok(pid) = std::fs::read_to_string(self.pid_file()) {
                return pid.trim().to_string();
            }
            assert!(start.elapsed() < DEADLINE, "the wrapper never wrote a pid");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// After the binary exits: it left the alternate screen, its screen is gone, and the
    /// terminal is back in canonical mode with echo.
    fn assert_restored(&self, exit_status: i32) {
        let screen = self.wait_for(
            &[&format!("iamtui exited with {exit_status}"), "stty: "],
            DEADLINE,
        );
        assert!(!self.alternate_on(), "still on the alternate screen");
        assert!(
            !screen.contains("q quit") && !screen.contains("Caller identity"),
            "the console's screen is still visible:\n{screen}"
        );
        let stty = screen
            .lines()
            .find_map(|l| l.strip_prefix("stty: "))
            .unwrap();
        let flags: Vec<&str> = stty.split_whitespace().collect();
        assert!(
            flags.contains(&"icanon") && flags.contains(&"echo"),
            "terminal left in raw mode: stty shows {flags:?}"
        );
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .stderr(Stdio::null())
            .status();
    }
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A local port nothing listens on: bound, then released.
fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[test]
fn shows_the_network_error_and_quits_on_q() {
    let endpoint = closed_port_url();
    let session = Session::start(&["--endpoint-url", &endpoint]);

    let screen = session.wait_for(
        &[
            &format!("iamtui │ aws: endpoint {endpoint} │ us-east-1"),
            // The failed list says which call failed and what to do; the status bar names the
            // failed identity call.
            "ListUsers failed: network: cannot reach the endpoint",
            "GetCallerIdentity failed: network: cannot reach the endpoint",
        ],
        NETWORK_ERROR_DEADLINE,
    );
    assert!(!screen.contains("[RO]"));
    assert!(
        session.alternate_on(),
        "the console should draw on the alternate screen"
    );

    session.quit();

    let log = std::fs::read_to_string(session.log_file()).unwrap();
    assert!(log.contains("iamtui starting"), "log:\n{log}");
    assert!(log.contains("whoami failed"), "log:\n{log}");
    assert!(
        !log.contains("testing"),
        "the secret key must not be logged:\n{log}"
    );
}

#[test]
fn sigterm_restores_the_terminal() {
    let session = Session::start(&["--endpoint-url", &closed_port_url(), "--read-only"]);
    session.wait_for(&["iamtui [RO] │ aws: endpoint", "Users"], DEADLINE);
    assert!(session.alternate_on());

    let status = Command::new("kill")
        .args(["-TERM", &session.pid()])
        .status()
        .unwrap();
    assert!(status.success());
    session.assert_restored(143);

    let log = std::fs::read_to_string(session.log_file()).unwrap();
    assert!(
        log.contains("quitting on signal signal=\"SIGTERM\""),
        "log:\n{log}"
    );
}

/// A signal that ends the console gives the status a shell reports for a process the signal
/// ended, 128 + its number, after the terminal is restored. SIGINT is sent with kill: in the
/// console's raw mode ctrl-c is a key, not a signal.
#[test]
fn each_shutdown_signal_exits_128_plus_its_number_on_the_local_account() {
    for (signal, status) in [("TERM", 143), ("HUP", 129), ("INT", 130)] {
        let dir = tempfile::tempdir().unwrap();
        let account = dir.path().join("account.json");
        let session = Session::start(&["--account", account.to_str().unwrap()]);
        session.wait_for(&["iamtui │ local", "Users (35)"], DEADLINE);
        assert!(session.alternate_on());

        let sent = Command::new("kill")
            .args([&format!("-{signal}"), &session.pid()])
            .status()
            .unwrap();
        assert!(sent.success());
        session.assert_restored(status);
        let log = std::fs::read_to_string(session.log_file()).unwrap();
        assert!(
            log.contains(&format!("quitting on signal signal=\"SIG{signal}\"")),
            "log:\n{log}"
        );
    }
}

// --- without a terminal ----------------------------------------------------------------------

#[test]
fn refuses_to_start_when_stdout_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .env("IAMTUI_DATA_DIR", dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim(),
        "iamtui: standard output is not a terminal; run iamtui in an interactive terminal"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn usage_errors_exit_2_without_a_backtrace() {
    for args in [&["--bogus"][..], &["--endpoint-url", "localhost:5000"]] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

// --- the local account ------------------------------------------------------------------------

/// The README's first command: `--local` with no account yet seeds the demo in the data
/// directory and shows who the console acts as; a second console on the same account opens
/// read-only and says so; `--as` acts as one of its users.
#[test]
fn local_account_seeds_the_demo_and_a_second_console_is_read_only() {
    let first = Session::start(&["--local"]);
    let screen = first.wait_for(&["iamtui │ local", "Users (35)"], DEADLINE);
    first.press(&[":whoami", "Enter"], &["Caller identity", ":root"]);
    assert!(!screen.contains("[RO]"), "{screen}");
    let account = first.dir.path().join("data").join("account.json");
    let text = std::fs::read_to_string(&account).expect("the account file was created");
    assert!(text.contains("\"origin\": \"demo\""), "not the demo");

    // The second console shares the first's data directory through --account.
    let second = Session::start(&["--account", account.to_str().unwrap(), "--as", "sysadmin"]);
    second.wait_for(&["iamtui [RO] │ local", "Users (35)"], DEADLINE);
    second.press(&[":me", "Enter"], &[":user/sysadmin"]);
    second.quit();
    first.quit();
}

#[test]
fn a_foreign_account_file_is_an_error_before_the_console_starts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("not-an-account.json");
    std::fs::write(&path, r#"{"users": []}"#).unwrap();
    let out = Command::new(BIN)
        .args(["--account", path.to_str().unwrap()])
        .env("IAMTUI_DATA_DIR", dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("not-an-account.json") && stderr.contains("not an iamtui account file"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), r#"{"users": []}"#);
}

// --- the console at work ----------------------------------------------------------------------

/// A person's path through the console on the demo account: open users, filter, drill into a
/// user, follow its group link, go back, open help, switch theme, quit.
#[test]
fn browse_the_demo_account_by_keyboard() {
    let s = Session::start(&["--local"]);
    s.wait_for(&["Users (35)", "aaron.bell"], DEADLINE);
    s.press(&["/", "daniel"], &["/daniel", "daniel.okafor"]);
    s.press(
        &["Enter", "Enter"],
        &[
            "Users › user daniel.okafor",
            "Permissions",
            "via group Developers",
        ],
    );
    s.keys(&["Tab"]);
    // The Groups tab lists the groups with their ARNs.
    s.wait_for(
        &[":group/AllStaff", ":group/engineering/Developers"],
        DEADLINE,
    );
    s.press(
        &["Enter"],
        &["Users › user daniel.okafor › group Developers"],
    );
    let screen = s.press(&["Escape"], &["Users › user daniel.okafor "]);
    assert!(!screen.contains("› group"), "{screen}");
    s.press(&["?"], &["Help (Esc closes)", "Quit iamtui"]);
    // It scrolls: further down are the actions of the views.
    let mut pages = 0;
    while !s.screen().contains("Delete the selection") {
        assert!(pages < 8, "no delete in the help:\n{}", s.screen());
        s.keys(&["PageDown"]);
        pages += 1;
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(pages > 0, "the help's first page already shows the actions");
    // Separate sends: tmux reads an Escape followed at once by a key as Alt+key.
    s.press(&["Escape"], &["Security credentials"]);
    s.press(
        &[":roles /break", "Enter"],
        &["Roles (1/16) /break", "BreakGlassAdmin", "(MFA)"],
    );
    s.press(&[":theme light", "Enter"], &["theme light"]);
    s.quit();
}

mod common;

/// The console on the emulator, once it shows `first` (the first list, loaded).
fn console_on(moto: &common::moto::Moto, first: &[&str]) -> Session {
    let url = moto.server.url();
    let s = Session::start(&["--endpoint-url", &url]);
    s.wait_for(first, NETWORK_ERROR_DEADLINE);
    s
}

/// A runtime for the test's own SDK calls, and the emulator started on it.
fn emulator() -> (tokio::runtime::Runtime, common::moto::Moto) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let moto = rt.block_on(common::moto::Moto::start());
    (rt, moto)
}

/// The same views against the AWS backend on the moto emulator.
#[test]
fn browse_an_account_on_the_emulator() {
    let (rt, moto) = emulator();
    let b = moto.backend();
    rt.block_on(async {
        for name in ["alice", "bob", "carol"] {
            common::create_user(&*b, name).await;
        }
        b.create_group("devs", None).await.unwrap();
        b.add_user_to_group("devs", "bob").await.unwrap();
        b.create_access_key(Some("alice")).await.unwrap();
    });
    let url = moto.server.url();
    let s = Session::start(&["--endpoint-url", &url]);
    s.wait_for(
        &["Users (3)", "alice", "bob", "devs"],
        NETWORK_ERROR_DEADLINE,
    );
    s.press(&[":groups", "Enter"], &["Groups (1)", "devs"]);
    s.press(&["Enter", "Tab"], &["Groups › group devs", "bob"]);
    s.press(&[":keys", "Enter"], &["Access keys (1)", "alice", "AKIA"]);
    s.quit();
    drop(moto);
}

/// A broken theme file is reported with its file and line, and the default theme is used.
#[test]
fn a_broken_theme_is_reported_and_the_default_used() {
    let dir = tempfile::tempdir().unwrap();
    let theme = dir.path().join("broken.toml");
    std::fs::write(
        &theme,
        "[palette]\nblue = \"#89b4fa\"\n[scopes]\n\"ui.text\" = { fg = \"no-such-colour\" }\n",
    )
    .unwrap();
    let s = Session::start(&["--local", "--theme", theme.to_str().unwrap()]);
    s.wait_for(
        &[
            "Users (35)",
            "broken.toml:4:20: unknown colour `no-such-colour`",
        ],
        DEADLINE,
    );
    s.quit();
    let log = std::fs::read_to_string(s.log_file()).unwrap();
    assert!(log.contains("using the default theme"), "log:\n{log}");
}

/// The console assumes a role on the emulator: everything reloads as the role, `:whoami`
/// names the assumed-role session, its credentials go into a profile, and U returns.
#[test]
fn assume_a_role_on_the_emulator_and_return() {
    let (rt, moto) = emulator();
    let b = moto.backend();
    rt.block_on(async {
        common::create_user(&*b, "zoe").await;
        b.create_role(iamtui::iam::CreateRole {
            name: "Deployer".into(),
            assume_role_policy: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#.into(),
            ..Default::default()
        })
        .await
        .unwrap();
    });
    let s = console_on(&moto, &["Users (1)", "zoe"]);
    s.press(&[":roles", "Enter"], &["Roles (1)", "Deployer"]);
    s.press(&["A"], &["Assume role", "role/Deployer", "prediction:"]);
    s.keys(&["Enter"]);
    s.wait_for(
        &[
            "now working as arn:aws:sts::123456789012:assumed-role/Deployer/",
            "expires in",
        ],
        NETWORK_ERROR_DEADLINE,
    );
    // Lists reload with the role's credentials; GetCallerIdentity says who the console is.
    s.press(&[":users", "Enter"], &["Users (1)", "zoe"]);
    s.press(
        &[":whoami", "Enter"],
        &["Caller identity", ":assumed-role/Deployer/"],
    );
    s.keys(&["Escape"]);
    // Into a profile of the credentials file ($HOME/.aws/credentials in the test's home).
    s.press(&["X"], &["Hand the credentials on", "ASIA"]);
    s.press(&["p"], &["profile name: Deployer"]);
    s.press(&["Enter"], &["written to profile [Deployer]"]);
    let creds = std::fs::read_to_string(s.dir.path().join(".aws").join("credentials")).unwrap();
    assert!(
        creds.starts_with("[Deployer]\naws_access_key_id = ASIA"),
        "{}",
        creds.lines().next().unwrap_or_default()
    );
    assert!(creds.contains("aws_session_token = "));
    s.keys(&["Escape"]);
    s.press(&["U"], &["back to "]);
    let screen = s.press(&[":whoami", "Enter"], &["Caller identity"]);
    assert!(!screen.contains("assumed-role"), "{screen}");
    s.keys(&["Escape"]);
    s.quit();
    let log = std::fs::read_to_string(s.log_file()).unwrap();
    let secret = creds
        .lines()
        .find_map(|l| l.strip_prefix("aws_secret_access_key = "))
        .unwrap();
    assert!(
        !log.contains(secret),
        "the session's secret must not be logged"
    );
    drop(moto);
}

/// A start-up profile that assumes a role with MFA: the console connects as the source
/// profile, opens the dialog filled from the profile, asks for the code and switches.
#[test]
fn a_role_profile_with_mfa_asks_for_the_code_at_start_up() {
    let (rt, moto) = emulator();
    let b = moto.backend();
    rt.block_on(async {
        b.create_role(iamtui::iam::CreateRole {
            name: "Auditor".into(),
            assume_role_policy: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"},"StringEquals":{"sts:ExternalId":"ext-42"}}}]}"#.into(),
            ..Default::default()
        })
        .await
        .unwrap();
    });
    let url = moto.server.url();
    let s = Session::start_with(&["--profile", "audit", "--endpoint-url", &url], |home| {
        let aws = home.join(".aws");
        std::fs::create_dir_all(&aws).unwrap();
        std::fs::write(
            aws.join("config"),
            "[profile base]\nregion = us-east-1\n\n[profile audit]\n\
             role_arn = arn:aws:iam::123456789012:role/Auditor\nsource_profile = base\n\
             mfa_serial = arn:aws:iam::123456789012:mfa/zoe\nexternal_id = ext-42\n\
             duration_seconds = 1800\nrole_session_name = zoe-audits\n",
        )
        .unwrap();
        std::fs::write(
            aws.join("credentials"),
            "[base]\naws_access_key_id = testing\naws_secret_access_key = testing\n",
        )
        .unwrap();
    });
    let screen = s.wait_for(
        &[
            "Assume role",
            "role/Auditor",
            "ext-42",
            "1800",
            "zoe-audits",
        ],
        NETWORK_ERROR_DEADLINE,
    );
    assert!(screen.contains("mfa/zoe"), "{screen}");
    // The code field has the focus; it is masked as typed.
    let screen = s.press(&["246810"], &["••••••"]);
    assert!(!screen.contains("246810"), "{screen}");
    s.keys(&["Enter"]);
    s.wait_for(
        &["now working as arn:aws:sts::123456789012:assumed-role/Auditor/zoe-audits"],
        NETWORK_ERROR_DEADLINE,
    );
    s.quit();
    drop(moto);
}

/// The policy editor on the local account: type an error, see its marker and message, fix it,
/// make a change, save through the diff and the five-version question, see the new version.
#[test]
fn edit_a_managed_policy_on_the_local_account() {
    let s = Session::start(&["--local"]);
    s.wait_for(&["Users ("], NETWORK_ERROR_DEADLINE);
    s.press(
        &[":policies DeveloperAccess", "Enter"],
        &["DeveloperAccess", "customer"],
    );
    s.press(
        &["e"],
        &[
            "managed policy DeveloperAccess v6",
            "\"Version\": \"2012-10-17\",",
        ],
    );
    // An error: a stray character after the Version line.
    s.keys(&["Down", "End"]);
    s.text("x");
    let screen = s.wait_for(&["✖", "error "], DEADLINE);
    assert!(screen.contains("· modified"), "{screen}");
    s.keys(&["BSpace"]);
    s.wait_gone(&["✖", "· modified"], DEADLINE);
    // A change: an Id element on a new line (Enter keeps the line's indentation).
    s.keys(&["Enter"]);
    s.text("\"Id\": \"e2e-edit\",");
    s.wait_for(&["· modified"], DEADLINE);
    s.press(
        &["C-s"],
        &[
            "Save managed policy DeveloperAccess",
            "+     \"Id\": \"e2e-edit\",",
        ],
    );
    s.keys(&["Enter"]);
    // DeveloperAccess has five versions: the oldest non-default one goes first.
    s.wait_for(
        &["IAM keeps five versions of a policy. Delete v3"],
        DEADLINE,
    );
    s.press(&["y"], &["saved as version v8, now the default"]);
    s.keys(&["Escape"]);
    s.wait_gone(&["managed policy DeveloperAccess"], DEADLINE);
    let screen = s.press(&["Enter"], &["Versions", "v8", "default"]);
    assert!(!screen.contains("v3 "), "v3 was deleted:\n{screen}");
    s.quit();
}

/// The editor's three save paths on the emulator: a managed policy's new version, an inline
/// policy put, a trust policy update; each checked through the SDK afterwards.
#[test]
fn the_editor_saves_on_the_emulator() {
    let (rt, moto) = emulator();
    let b = moto.backend();
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}"#;
    let arn = rt.block_on(async {
        common::create_user(&*b, "zoe").await;
        b.put_inline_policy(&iamtui::iam::EntityRef::user("zoe"), "ListBuckets", doc)
            .await
            .unwrap();
        b.create_role(iamtui::iam::CreateRole {
            name: "Builder".into(),
            assume_role_policy: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#.into(),
            ..Default::default()
        })
        .await
        .unwrap();
        b.create_policy(iamtui::iam::CreatePolicy {
            name: "ZoeTools".into(),
            document: doc.into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .arn
    });
    let s = console_on(&moto, &["Users (1)", "zoe"]);
    let add_id = |id: &str| {
        s.keys(&["Down", "End", "Enter"]);
        s.text(&format!("    \"Id\": \"{id}\","));
        s.wait_for(&["· modified"], DEADLINE);
        s.press(&["C-s"], &["Enter saves"]);
        s.keys(&["Enter"]);
    };
    // The managed policy: a new default version.
    s.keys(&[":policies ZoeTools", "Enter"]);
    s.wait_for(&["ZoeTools  customer"], NETWORK_ERROR_DEADLINE);
    s.press(
        &["e"],
        &["managed policy ZoeTools v1", "s3:ListAllMyBuckets"],
    );
    add_id("managed-edit");
    s.wait_for(&["saved as version v2, now the default"], DEADLINE);
    s.keys(&["Escape"]);
    // The inline policy of a user.
    s.press(&[":users", "Enter"], &["Users (1)"]);
    s.press(&["Enter"], &["inline", "ListBuckets"]);
    s.press(&["e"], &["inline policy ListBuckets of user zoe"]);
    add_id("inline-edit");
    s.wait_for(&["inline policy ListBuckets of user zoe saved"], DEADLINE);
    s.keys(&["Escape"]);
    // The trust policy of a role.
    s.press(&[":roles", "Enter"], &["Roles (1)", "Builder"]);
    s.press(&["Enter"], &["Trust"]);
    s.press(&["Tab"], &["trust policy"]);
    s.press(
        &["e"],
        &["trust policy of role Builder", "codebuild.amazonaws.com"],
    );
    add_id("trust-edit");
    s.wait_for(&["trust policy of role Builder updated"], DEADLINE);
    s.keys(&["Escape"]);
    s.quit();
    rt.block_on(async {
        let versions = b.list_policy_versions(&arn).await.unwrap();
        let default = versions.iter().find(|v| v.is_default).unwrap();
        assert_eq!(default.version_id, "v2");
        let v2 = b.get_policy_version(&arn, "v2").await.unwrap();
        assert!(v2.document.unwrap().contains("managed-edit"));
        let inline = b
            .get_inline_policy(&iamtui::iam::EntityRef::user("zoe"), "ListBuckets")
            .await
            .unwrap();
        assert!(
            inline.document.contains("inline-edit"),
            "{}",
            inline.document
        );
        let role = b.get_role("Builder").await.unwrap();
        assert!(role.assume_role_policy.unwrap().contains("trust-edit"));
    });
    drop(moto);
}

/// The console's rotation (`R`) through a fault proxy: the first CreateAccessKey's reply is
/// lost and, once the old key is retired, the endpoint stops answering the check. The dialog
/// tells the truth (the orphan deleted, the new key kept because it worked), the profile holds
/// a key that works, and no key is left whose secret nobody has.
#[test]
fn the_consoles_rotation_survives_a_lost_reply_and_a_dead_check() {
    use common::fault_proxy::{Fault, FaultProxy};
    let (rt, moto) = emulator();
    let admin = moto.backend();
    let old = rt.block_on(async { common::user_with_key(&*admin, "kim").await });
    let proxy = FaultProxy::start(&moto.server.url());
    let url = proxy.url();
    let s = Session::start_with(&["--profile", "kim", "--endpoint-url", &url], |home| {
        let aws = home.join(".aws");
        std::fs::create_dir_all(&aws).unwrap();
        std::fs::write(aws.join("config"), "[profile kim]\nregion = us-east-1\n").unwrap();
        // A short limit, so the check that never answers is given up soon.
        std::fs::create_dir_all(home.join("config")).unwrap();
        std::fs::write(
            home.join("config").join("config.toml"),
            "rotation_wait_seconds = 10\n",
        )
        .unwrap();
        std::fs::write(
            aws.join("credentials"),
            format!("# kim's keys\n{}", common::profile_section("kim", &old)),
        )
        .unwrap();
    });
    s.wait_for(&["Users (1)", "kim"], NETWORK_ERROR_DEADLINE);
    s.press(&["R"], &["Rotate access key", "Enter rotates"]);
    // From now on: the first create's reply is lost; the check after the retirement (the
    // second GetCallerIdentity) never gets an answer.
    proxy.fail("CreateAccessKey", 0, 1, Fault::LostReply);
    proxy.fail("GetCallerIdentity", 1, 1_000, Fault::Reset);
    s.keys(&["Enter"]);
    let screen = s.wait_for(
        &[
            "cannot check the new key again",
            "keys of kim",
            "Esc closes",
        ],
        Duration::from_secs(180),
    );
    assert!(
        screen.contains("created by an earlier try whose"),
        "{screen}"
    );
    proxy.clear();
    let file = s.dir.path().join(".aws").join("credentials");
    let creds = std::fs::read_to_string(&file).unwrap();
    assert!(
        creds.starts_with("# kim's keys\n"),
        "the file keeps its comment"
    );
    let new_id = creds
        .lines()
        .find_map(|l| l.strip_prefix("aws_access_key_id = "))
        .unwrap()
        .to_string();
    let new_secret = creds
        .lines()
        .find_map(|l| l.strip_prefix("aws_secret_access_key = "))
        .unwrap()
        .to_string();
    assert_ne!(
        new_id, old.key.access_key_id,
        "the profile took the new key"
    );
    rt.block_on(async {
        let keys = admin.list_access_keys(Some("kim")).await.unwrap();
        assert_eq!(keys.len(), 2, "the orphan was deleted: {keys:?}");
        for k in &keys {
            let want = if k.access_key_id == new_id {
                iamtui::iam::KeyStatus::Active
            } else {
                iamtui::iam::KeyStatus::Inactive
            };
            assert_eq!(k.status, want, "{keys:?}");
        }
        let me = admin
            .with_credentials(common::credentials(&new_id, &new_secret, None))
            .unwrap()
            .whoami()
            .await
            .unwrap();
        assert!(me.arn.ends_with(":user/kim"), "{}", me.arn);
    });
    // The console signs with the profile's new key and keeps working.
    s.press(&["Escape"], &["Users (1)", "kim"]);
    s.press(&[":whoami", "Enter"], &["Caller identity", ":user/kim"]);
    s.keys(&["Escape"]);
    s.quit();
    let log = std::fs::read_to_string(s.log_file()).unwrap();
    assert!(
        !log.contains(&new_secret),
        "the new secret must not be logged"
    );
    drop(proxy);
    drop(moto);
}

/// A console password set and deleted from the console on the emulator, read back with the SDK.
#[test]
fn a_console_password_is_set_and_deleted_on_the_emulator() {
    let (rt, moto) = emulator();
    let b = moto.backend();
    rt.block_on(common::create_user(&*b, "zoe"));
    let s = console_on(&moto, &["Users (1)", "zoe"]);
    s.press(
        &["P"],
        &[
            "Console password for zoe",
            "has no console password",
            "IAM's default",
        ],
    );
    s.press(&["Enter"], &["Console password set for zoe"]);
    assert!(rt.block_on(b.get_login_profile("zoe")).unwrap().is_some());
    s.keys(&["Escape"]);
    s.press(&["Enter", "Tab", "Tab"], &["console password", "set "]);
    s.press(&["C-d"], &["Delete the console password of zoe?"]);
    s.press(&["y"], &["Deleted the console password of zoe"]);
    assert_eq!(rt.block_on(b.get_login_profile("zoe")).unwrap(), None);
    s.quit();
    drop(moto);
}

/// A role's permissions boundary set and removed from the console on the emulator, read back
/// with the SDK.
#[test]
fn a_roles_boundary_is_set_and_removed_on_the_emulator() {
    let (rt, moto) = emulator();
    let b = moto.backend();
    let policy = rt.block_on(async {
        b.create_role(iamtui::iam::CreateRole {
            name: "app".into(),
            assume_role_policy: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#.into(),
            ..Default::default()
        })
        .await
        .unwrap();
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
        b.create_policy(iamtui::iam::CreatePolicy {
            name: "Bound".into(),
            document: doc.into(),
            ..Default::default()
        })
        .await
        .unwrap()
    });
    let boundary = || rt.block_on(b.get_role("app")).unwrap().permissions_boundary;
    let s = console_on(&moto, &["Users (0)"]);
    s.press(&[":roles", "Enter"], &["Roles (1)", "app"]);
    s.press(&["B"], &["Permissions boundary for role app"]);
    s.text("Bound");
    s.wait_for(&["Bound  (customer)"], DEADLINE);
    s.press(
        &["Enter"],
        &["Set Bound as the permissions boundary of role app"],
    );
    assert_eq!(boundary().as_deref(), Some(policy.arn.as_str()));
    s.press(&["Enter"], &["Roles › role app", "boundary  Bound"]);
    s.keys(&["End"]);
    s.press(
        &["x"],
        &["Remove the permissions boundary Bound from role app?"],
    );
    s.press(&["y"], &["Removed the permissions boundary of role app"]);
    assert_eq!(boundary(), None);
    s.quit();
    drop(moto);
}

/// A role made from the console on the emulator (another account's principals, with an
/// ExternalId and MFA, a description and a two-hour session), then edited with `u`; each read
/// back with the SDK.
#[test]
fn a_role_is_made_and_edited_on_the_emulator() {
    let (rt, moto) = emulator();
    let b = moto.backend();
    let s = console_on(&moto, &["Users (0)"]);
    s.press(&[":roles", "Enter"], &["Roles (0)"]);
    s.press(&["n"], &["New role: who may assume it?"]);
    s.press(&["Down", "Enter"], &["principals of an account assume it"]);
    s.text("partner-audit");
    s.keys(&["Tab", "C-u"]);
    s.text("444455556666");
    s.keys(&["Tab"]);
    s.text("audit-2026");
    s.press(&["Tab", "Space"], &["[x]"]);
    s.keys(&["Tab"]);
    s.text("Partner audit");
    s.keys(&["Tab", "Tab", "C-u"]);
    s.text("2");
    s.press(
        &["Enter"],
        &["new role partner-audit", "444455556666:root", "audit-2026"],
    );
    s.press(&["C-s"], &["Enter saves"]);
    s.press(&["Enter"], &["created role arn:aws:iam::"]);
    let role = rt.block_on(b.get_role("partner-audit")).unwrap();
    assert_eq!(role.description.as_deref(), Some("Partner audit"));
    assert_eq!(role.max_session_duration, 7200);
    let trust = role.assume_role_policy.unwrap();
    assert!(trust.contains("audit-2026") && trust.contains("aws:MultiFactorAuthPresent"));
    assert!(trust.contains("arn:aws:iam::444455556666:root"), "{trust}");

    s.keys(&["Escape"]);
    s.press(&["Escape"], &["Roles (1)", "partner-audit"]);
    s.press(&["u"], &["Edit role partner-audit"]);
    s.keys(&["C-u"]);
    s.text("Partner audit, reviewed");
    s.keys(&["Tab", "C-u"]);
    s.text("6");
    s.press(&["Enter"], &["Updated role partner-audit"]);
    let role = rt.block_on(b.get_role("partner-audit")).unwrap();
    assert_eq!(role.description.as_deref(), Some("Partner audit, reviewed"));
    assert_eq!(role.max_session_duration, 6 * 3600);
    s.quit();
    drop(moto);
}

/// An OIDC provider made from the console on the emulator, updated with `u` and deleted with
/// ctrl-d; each step read back with the SDK. moto 5.2.5 does not implement
/// AddClientIDToOpenIDConnectProvider: the form says so and keeps what was typed, and the
/// thumbprint change (which moto does) goes through.
#[test]
fn an_oidc_provider_is_made_updated_and_deleted_on_the_emulator() {
    let (rt, moto) = emulator();
    let b = moto.backend();
    let arn = "arn:aws:iam::123456789012:oidc-provider/ci.example.com";
    let s = console_on(&moto, &["Users (0)"]);
    s.press(&[":providers", "Enter"], &["Identity providers (0)"]);
    s.press(&["n"], &["New identity provider: which kind?"]);
    s.press(&["Down", "Enter"], &["New OpenID Connect provider"]);
    s.keys(&["C-u"]);
    s.text("https://ci.example.com");
    s.keys(&["Tab", "C-u"]);
    s.text("sts.amazonaws.com");
    s.keys(&["Tab"]);
    let first = "0123456789abcdef0123456789abcdef01234567";
    s.text(first);
    s.press(
        &["Enter"],
        &["Created OIDC provider", "Identity providers (1)"],
    );
    let got = rt.block_on(b.get_oidc_provider(arn)).unwrap();
    assert_eq!(got.client_ids, ["sts.amazonaws.com"]);
    assert_eq!(got.thumbprints, [first]);

    s.press(&["u"], &["Update OIDC provider ci.example.com"]);
    s.keys(&["C-u"]);
    s.text("sts.amazonaws.com deploy");
    s.press(&["Enter"], &["stopped, not added client id deploy"]);
    s.wait_for(&["sts.amazonaws.com deploy"], DEADLINE);
    s.keys(&["C-u"]);
    s.text("sts.amazonaws.com");
    s.keys(&["Tab", "C-u"]);
    let next = "fedcba9876543210fedcba9876543210fedcba98";
    s.text(next);
    s.press(&["Enter"], &["Updated ci.example.com: set 1 thumbprint(s)"]);
    let got = rt.block_on(b.get_oidc_provider(arn)).unwrap();
    assert_eq!(got.client_ids, ["sts.amazonaws.com"]);
    assert_eq!(got.thumbprints, [next]);

    s.press(&["C-d"], &["Type ci.example.com and press Enter"]);
    s.text("ci.example.com");
    // The status says it as the call goes out: the list's count says it is done.
    s.press(
        &["Enter"],
        &["Deleted provider ci.example.com", "Identity providers (0)"],
    );
    assert!(rt.block_on(b.get_oidc_provider(arn)).is_err());
    s.quit();
    drop(moto);
}

/// A managed policy's versions on the emulator: one made the default again (a roll-back),
/// another deleted, two compared; each change read back with the SDK.
#[test]
fn policy_versions_are_rolled_back_deleted_and_compared_on_the_emulator() {
    let (rt, moto) = emulator();
    let b = moto.backend();
    let doc = |actions: &[&str]| {
        serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]
        })
        .to_string()
    };
    let arn = rt.block_on(async {
        let p = b
            .create_policy(iamtui::iam::CreatePolicy {
                name: "Staged".into(),
                document: doc(&["s3:GetObject"]),
                ..Default::default()
            })
            .await
            .unwrap();
        for actions in [
            &["s3:GetObject", "s3:PutObject"][..],
            &["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        ] {
            b.create_policy_version(&p.arn, &doc(actions), true)
                .await
                .unwrap();
        }
        p.arn
    });
    let listed = || -> Vec<String> {
        let v = rt.block_on(b.list_policy_versions(&arn)).unwrap();
        v.into_iter().map(|v| v.version_id).collect()
    };
    let default = || rt.block_on(b.get_policy(&arn)).unwrap().default_version_id;
    assert_eq!(default(), "v3");
    let s = console_on(&moto, &["Users (0)"]);
    s.keys(&[":policies Staged", "Enter"]);
    s.wait_for(&["Staged  customer"], NETWORK_ERROR_DEADLINE);
    s.press(&["Enter"], &["Policies › policy Staged", "v3", "default"]);
    // The rows are in the order the backend lists them.
    let go = |id: &str| {
        let at = listed().iter().position(|v| v == id).unwrap();
        s.keys(&["Home"]);
        for _ in 0..at {
            s.keys(&["Down"]);
        }
    };
    go("v1");
    s.press(
        &["D"],
        &[
            "Make v1 the default version of policy Staged?",
            "rolls back",
        ],
    );
    s.press(&["y"], &["v1 is now the default version of Staged"]);
    assert_eq!(default(), "v1");
    // The view reloaded: v1's row says default.
    s.wait_for(&["v1    default"], DEADLINE);

    go("v3");
    s.press(&["C-d"], &["Delete version v3 of policy Staged?"]);
    s.press(&["y"], &["Deleted version v3 of Staged"]);
    s.wait_for(&["v1    default"], DEADLINE);
    let mut left = listed();
    left.sort();
    assert_eq!(left, ["v1", "v2"]);
    assert_eq!(default(), "v1");

    go("v1");
    s.press(&["="], &["compare v1 with"]);
    go("v2");
    let screen = s.press(&["="], &["Versions of Staged", "--- v1", "+++ v2"]);
    assert!(
        screen
            .lines()
            .any(|l| l.contains("+ ") && l.contains("\"s3:PutObject\"")),
        "{screen}"
    );
    let screen = s.press(&["s"], &["(side by side)"]);
    assert!(
        screen
            .lines()
            .any(|l| l.contains(" > ") && l.contains("\"s3:PutObject\"")),
        "{screen}"
    );
    s.keys(&["Escape"]);
    s.wait_gone(&["Versions of Staged"], DEADLINE);
    s.quit();
    drop(moto);
}

/// The password policy and the account alias set from the console on the emulator, read back
/// with the SDK.
#[test]
fn the_password_policy_and_alias_are_set_on_the_emulator() {
    let (rt, moto) = emulator();
    let b = moto.backend();
    let s = console_on(&moto, &["Users (0)"]);
    s.press(
        &[":passwordpolicy", "Enter"],
        &["none: IAM's defaults apply"],
    );
    s.press(&["u"], &["The account has no password policy"]);
    s.keys(&["C-u"]);
    s.text("12");
    // Expire after 60 days (the seventh field).
    s.keys(&["Tab", "Tab", "Tab", "Tab", "Tab", "Tab"]);
    s.text("60");
    s.press(&["Enter"], &["Saved the password policy", "60 days"]);
    let p = rt.block_on(b.get_password_policy()).unwrap().unwrap();
    assert_eq!(p.minimum_password_length, Some(12));
    assert_eq!(p.max_password_age, Some(60));
    assert!(p.require_symbols && p.require_uppercase_characters);

    s.press(
        &[":summary", "Enter"],
        &["AccountAlias", "none (u sets one)"],
    );
    s.press(&["u"], &["Account alias", "sign-in address"]);
    s.text("acme-prod");
    s.press(&["Enter"], &["The account alias is now acme-prod"]);
    assert_eq!(
        rt.block_on(b.list_account_aliases()).unwrap(),
        ["acme-prod"]
    );
    s.quit();
    drop(moto);
}

/// IAM's five-version limit on the emulator: saving a sixth version from the editor offers to
/// delete the oldest non-default version first; read back with the SDK.
#[test]
fn the_editor_prunes_the_oldest_version_at_the_limit_on_the_emulator() {
    const ACTIONS: [&str; 5] = [
        "s3:GetObject",
        "s3:PutObject",
        "s3:ListBucket",
        "s3:DeleteObject",
        "s3:GetBucketLocation",
    ];
    let (rt, moto) = emulator();
    let b = moto.backend();
    let doc = |n: usize| {
        serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ACTIONS[n - 1], "Resource": "*"}]
        })
        .to_string()
    };
    let arn = rt.block_on(async {
        let p = b
            .create_policy(iamtui::iam::CreatePolicy {
                name: "Full".into(),
                document: doc(1),
                ..Default::default()
            })
            .await
            .unwrap();
        for n in 2..=5 {
            b.create_policy_version(&p.arn, &doc(n), n == 5)
                .await
                .unwrap();
        }
        p.arn
    });
    let s = console_on(&moto, &["Users (0)"]);
    s.keys(&[":policies Full", "Enter"]);
    s.wait_for(&["Full  customer"], NETWORK_ERROR_DEADLINE);
    s.press(&["e"], &["managed policy Full v5", "s3:GetBucketLocation"]);
    s.keys(&["Down", "End", "Enter"]);
    s.text("\"Id\": \"sixth\",");
    s.wait_for(&["· modified"], DEADLINE);
    s.press(&["C-s"], &["Enter saves"]);
    s.keys(&["Enter"]);
    s.wait_for(
        &["IAM keeps five versions of a policy. Delete v1"],
        DEADLINE,
    );
    s.press(&["y"], &["saved as version v6, now the default"]);
    s.keys(&["Escape"]);
    s.quit();
    rt.block_on(async {
        let mut ids: Vec<String> = b
            .list_policy_versions(&arn)
            .await
            .unwrap()
            .into_iter()
            .map(|v| v.version_id)
            .collect();
        ids.sort();
        assert_eq!(ids, ["v2", "v3", "v4", "v5", "v6"]);
        assert_eq!(b.get_policy(&arn).await.unwrap().default_version_id, "v6");
    });
    drop(moto);
}

/// Two users marked with space, tagged and added to a group together from the console on the
/// emulator; read back with the SDK (the unmarked third user is left alone).
#[test]
fn marked_users_are_tagged_and_added_to_a_group_on_the_emulator() {
    let (rt, moto) = emulator();
    let b = moto.backend();
    rt.block_on(async {
        for u in ["ann", "ben", "cat"] {
            common::create_user(&*b, u).await;
        }
        b.create_group("crew", None).await.unwrap();
    });
    let s = console_on(&moto, &["Users (3)", "ann", "ben", "cat"]);
    s.press(&["Space", "Space"], &["Users (3) · 2 marked"]);
    s.press(&["t"], &["Tags of 2 marked users", "tags>"]);
    s.text("team=blue");
    s.press(
        &["Enter"],
        &["user ben: TagUser team=blue", "Enter or y runs them"],
    );
    s.press(&["y"], &["done: 2/2 rows"]);
    s.keys(&["Escape"]);
    s.wait_gone(&["done: 2/2 rows"], DEADLINE);
    // The picker lists the groups once they have loaded.
    s.press(&["m"], &["Add 2 marked users to a group", "crew"]);
    s.text("crew");
    s.press(&["Enter"], &["user ann: AddUserToGroup crew"]);
    s.press(&["y"], &["done: 2/2 rows"]);
    use iamtui::iam::{Tag, TagTarget};
    let read = |u: &str| {
        rt.block_on(async {
            let tags = b.list_tags(&TagTarget::User(u.into())).await.unwrap();
            let groups = b.list_groups_for_user(u).await.unwrap();
            let groups: Vec<String> = groups.into_iter().map(|g| g.name).collect();
            (tags, groups)
        })
    };
    for u in ["ann", "ben"] {
        let (tags, groups) = read(u);
        assert_eq!(tags, [Tag::new("team", "blue")], "{u}");
        assert_eq!(groups, ["crew"], "{u}");
    }
    assert_eq!(read("cat"), (Vec::new(), Vec::new()));
    s.keys(&["Escape"]);
    s.quit();
    drop(moto);
}

/// Cascade delete on the emulator: a user with an access key, a console password, a group and
/// an attached policy goes in one step (ctrl-d, the name, Enter), every call listed first; read
/// back with the SDK.
#[test]
fn a_user_with_everything_in_its_way_is_deleted_in_one_step_on_the_emulator() {
    let (rt, moto) = emulator();
    let b = moto.backend();
    rt.block_on(async {
        b.create_user(iamtui::iam::CreateUser {
            name: "leaver".into(),
            ..Default::default()
        })
        .await
        .unwrap();
        b.create_access_key(Some("leaver")).await.unwrap();
        b.create_login_profile(
            "leaver",
            &iamtui::iam::Password::new("Cascade-Delete-2026!"),
            false,
        )
        .await
        .unwrap();
        b.create_group("devs", None).await.unwrap();
        b.add_user_to_group("devs", "leaver").await.unwrap();
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#;
        let p = b
            .create_policy(iamtui::iam::CreatePolicy {
                name: "Reader".into(),
                document: doc.into(),
                ..Default::default()
            })
            .await
            .unwrap();
        b.attach_policy(&iamtui::iam::EntityRef::user("leaver"), &p.arn)
            .await
            .unwrap();
    });
    let s = console_on(&moto, &["Users (1)", "leaver"]);
    s.press(
        &["C-d"],
        &[
            "Delete user leaver",
            "DeleteLoginProfile (leaver)",
            "DeleteAccessKey AKIA",
            "DetachUserPolicy Reader (leaver)",
            "RemoveUserFromGroup devs (leaver)",
            "DeleteUser leaver",
            "Type leaver and press Enter to make these 5 calls",
        ],
    );
    // Nothing happens before the name is typed.
    assert!(rt.block_on(b.get_user(Some("leaver"))).is_ok());
    s.text("leaver");
    s.press(&["Enter"], &["Deleted user leaver (5 calls)", "Users (0)"]);
    let gone = rt.block_on(b.get_user(Some("leaver"))).unwrap_err();
    assert!(
        matches!(gone.kind, iamtui::iam::ErrorKind::NotFound(_)),
        "{gone:?}"
    );
    assert!(rt.block_on(b.get_group("devs")).unwrap().members.is_empty());
    s.quit();
    drop(moto);
}

/// A service-linked role made from the console on the emulator and deleted with ctrl-d (its
/// service's DeleteServiceLinkedRole, then the task's status); read back with the SDK.
#[test]
fn a_service_linked_role_is_made_and_deleted_on_the_emulator() {
    let (rt, moto) = emulator();
    let b = moto.backend();
    let s = console_on(&moto, &["Users (0)"]);
    s.press(&[":roles", "Enter"], &["Roles (0)"]);
    s.press(&["n"], &["New role: who may assume it?"]);
    s.press(
        &["Down", "Down", "Down", "Down", "Enter"],
        &["New service-linked role"],
    );
    s.text("elasticbeanstalk.amazonaws.com");
    s.press(
        &["Enter"],
        &["Created service-linked role AWSServiceRoleForElasticBeanstalk"],
    );
    let role = rt
        .block_on(b.get_role("AWSServiceRoleForElasticBeanstalk"))
        .unwrap();
    assert_eq!(
        role.path,
        "/aws-service-role/elasticbeanstalk.amazonaws.com/"
    );
    s.wait_for(&["Roles (1)"], DEADLINE);
    s.press(
        &["C-d"],
        &["DeleteServiceLinkedRole AWSServiceRoleForElasticBeanstalk"],
    );
    s.text("AWSServiceRoleForElasticBeanstalk");
    s.press(
        &["Enter"],
        &["Deleted role AWSServiceRoleForElasticBeanstalk (1 calls)"],
    );
    assert!(
        rt.block_on(b.get_role("AWSServiceRoleForElasticBeanstalk"))
            .is_err()
    );
    s.quit();
    drop(moto);
}

/// A managed policy made from a template in the console on the emulator, with a path, a
/// description and tags from the form; read back with the SDK.
#[test]
fn a_managed_policy_is_made_with_path_description_and_tags_on_the_emulator() {
    let (rt, moto) = emulator();
    let b = moto.backend();
    let s = console_on(&moto, &["Users (0)"]);
    s.press(&[":policies", "Enter"], &["Policies"]);
    s.press(&["N"], &["New managed policy from a template"]);
    s.text("s3-bucket");
    s.press(
        &["Enter"],
        &["New managed policy", "From the template s3-bucket"],
    );
    s.text("Artifacts");
    s.keys(&["Tab", "C-u"]);
    s.text("/build/");
    s.keys(&["Tab"]);
    s.text("Build artifacts");
    s.keys(&["Tab"]);
    s.text("team=ci");
    s.press(&["Enter"], &["new managed policy Artifacts"]);
    s.press(&["C-s"], &["Enter saves"]);
    s.press(&["Enter"], &["created policy arn:aws:iam::"]);
    let arn = format!(
        "arn:aws:iam::{}:policy/build/Artifacts",
        common::moto::ACCOUNT_ID
    );
    let p = rt.block_on(b.get_policy(&arn)).unwrap();
    assert_eq!(p.path, "/build/");
    assert_eq!(p.description.as_deref(), Some("Build artifacts"));
    let tags = rt
        .block_on(b.list_tags(&iamtui::iam::TagTarget::Policy(arn.clone())))
        .unwrap();
    assert_eq!(tags, [iamtui::iam::Tag::new("team", "ci")]);
    s.keys(&["Escape"]);
    s.quit();
    drop(moto);
}

/// An instance profile made from the console on the emulator, given a role, emptied and
/// deleted; each step read back with the SDK.
#[test]
fn an_instance_profile_is_made_given_a_role_and_deleted_on_the_emulator() {
    let (rt, moto) = emulator();
    let b = moto.backend();
    rt.block_on(async {
        b.create_role(iamtui::iam::CreateRole {
            name: "web".into(),
            assume_role_policy: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#.into(),
            ..Default::default()
        })
        .await
        .unwrap();
    });
    let profile = || rt.block_on(b.get_instance_profile("web-hosts"));
    let s = console_on(&moto, &["Users (0)"]);
    s.press(&[":instanceprofiles", "Enter"], &["Instance profiles (0)"]);
    s.press(&["n"], &["new instance profile ([/path/]name):"]);
    s.text("/hosts/web-hosts");
    s.press(&["Enter"], &["Created instance profile web-hosts"]);
    assert_eq!(profile().unwrap().path, "/hosts/");
    s.wait_for(&["Instance profiles (1)", "web-hosts"], DEADLINE);
    s.press(&["m"], &["Add a role to instance profile web-hosts"]);
    s.text("web");
    // The picker's row (the input line starts with `>`): the roles have loaded.
    s.wait_for(&["│web "], DEADLINE);
    s.press(
        &["Enter"],
        &["Added role web to instance profile web-hosts"],
    );
    assert_eq!(profile().unwrap().roles, ["web"]);
    s.press(
        &["C-d"],
        &[
            "RemoveRoleFromInstanceProfile web-hosts (web)",
            "DeleteInstanceProfile web-hosts",
        ],
    );
    s.text("web-hosts");
    s.press(
        &["Enter"],
        &["Deleted instance profile web-hosts (2 calls)"],
    );
    assert!(profile().is_err());
    assert!(rt.block_on(b.get_role("web")).is_ok());
    s.quit();
    drop(moto);
}

/// The changes made from the console on the emulator land in the audit trail of the data
/// directory (caller, operation, resource, outcome) and `:audit` lists them, newest first.
#[test]
fn changes_on_the_emulator_are_recorded_in_the_audit_trail() {
    let (rt, moto) = emulator();
    let b = moto.backend();
    let caller = rt.block_on(b.whoami()).unwrap().arn;
    let policy = rt.block_on(async {
        b.create_role(iamtui::iam::CreateRole {
            name: "app".into(),
            assume_role_policy: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#.into(),
            ..Default::default()
        })
        .await
        .unwrap();
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
        b.create_policy(iamtui::iam::CreatePolicy {
            name: "Bound".into(),
            document: doc.into(),
            ..Default::default()
        })
        .await
        .unwrap()
    });
    let s = console_on(&moto, &["Users (0)"]);
    s.press(&[":roles", "Enter"], &["Roles (1)", "app"]);
    s.press(&["B"], &["Permissions boundary for role app"]);
    s.text("Bound");
    s.wait_for(&["Bound  (customer)"], DEADLINE);
    s.press(
        &["Enter"],
        &["Set Bound as the permissions boundary of role app"],
    );
    assert_eq!(
        rt.block_on(b.get_role("app")).unwrap().permissions_boundary,
        Some(policy.arn.clone())
    );
    s.press(
        &[":audit", "Enter"],
        &["Audit trail", "PutRolePermissionsBoundary"],
    );
    s.wait_for(&["role/app"], DEADLINE);

    let text = std::fs::read_to_string(s.dir.path().join("data/audit.jsonl")).unwrap();
    let records: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 1, "{text}");
    let r = &records[0];
    assert_eq!(r["operation"], "PutRolePermissionsBoundary");
    assert_eq!(r["resource"], "role/app");
    assert_eq!(r["outcome"], "ok");
    assert_eq!(r["backend"], "aws");
    assert_eq!(r["caller"], caller.as_str());
    s.quit();
    drop(moto);
}
