//! `iamtui audit-log` as a person runs it, on the audit trail of a temporary data directory.

use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_iamtui");

fn audit_log(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("audit-log")
        .args(args)
        .env("IAMTUI_CONFIG_DIR", dir.join("config"))
        .env("IAMTUI_DATA_DIR", dir.join("data"))
        .stdin(Stdio::null())
        .output()
        .expect("run iamtui")
}

const LOG: &str = r#"{"time":"2026-06-01T10:00:00Z","caller":"arn:aws:iam::123456789012:user/admin","backend":"local","source":"account.json","operation":"CreateRole","resource":"deployer","outcome":"ok","document":{"before":null,"after":{"Version":"2012-10-17","Statement":[]}}}
{"time":"2026-06-01T11:00:00Z","caller":null,"backend":"aws","source":"profile dev","operation":"DeleteUser","resource":"bob","outcome":{"error":"DeleteUser failed: not found: no user bob"}}
{"time":"2026-06-02T09:30:00Z","caller":"arn:aws:iam::123456789012:user/admin","backend":"local","source":"account.json","operation":"CreateRole","resource":"reader","outcome":"ok","document":{"before":null,"after":{"Version":"2012-10-17"}}}
"#;

fn with_log() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/audit.jsonl"), LOG).unwrap();
    dir
}

fn stdout(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn json_prints_each_record_as_kept_and_filters_by_time_and_operation() {
    let dir = with_log();
    let all = stdout(&audit_log(dir.path(), &["--format", "json"]));
    let records: Vec<serde_json::Value> = all
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let expected: Vec<serde_json::Value> = LOG
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records, expected);

    let some = stdout(&audit_log(
        dir.path(),
        &[
            "--format",
            "json",
            "--operation",
            "createrole",
            "--since",
            "2026-06-01T10:30:00Z",
        ],
    ));
    let resources: Vec<String> = some
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["resource"].to_string())
        .collect();
    assert_eq!(resources, ["\"reader\""]);
}

#[test]
fn human_prints_one_line_per_change() {
    let dir = with_log();
    let text = stdout(&audit_log(dir.path(), &[]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(
        lines[1],
        "2026-06-01T11:00:00Z  -  DeleteUser  bob  error: DeleteUser failed: not found: no user bob"
    );
    assert!(lines[0].contains("arn:aws:iam::123456789012:user/admin  CreateRole  deployer  ok"));
}

#[test]
fn no_log_yet_prints_nothing_and_a_bad_time_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(stdout(&audit_log(dir.path(), &["--format", "json"])), "");
    let out = audit_log(dir.path(), &["--since", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("RFC 3339"), "{err}");
}
