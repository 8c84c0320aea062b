//! The policy engine's command-line faces, run as a person or a pipeline runs them:
//! `iamtui simulate --check` over the evaluation corpus, and `iamtui validate` output and exit
//! codes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_iamtui");

fn iamtui(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run iamtui")
}

fn iamtui_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run iamtui");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn case_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo("tests/policy-cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files.push(repo("src/policy/eval/testdata/eval-sample.json"));
    files
}

fn count_cases(path: &Path) -> usize {
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    v.as_array().map_or(1, Vec::len)
}

// --- simulate ---------------------------------------------------------------------------------

#[test]
fn the_evaluation_corpus_passes_simulate_check() {
    let files = case_files();
    assert!(files.len() >= 10, "corpus files: {files:?}");
    let mut total = 0;
    let mut failures = Vec::new();
    for file in &files {
        let n = count_cases(file);
        total += n;
        let o = iamtui(&["simulate", "--check", file.to_str().unwrap()]);
        let out = stdout(&o);
        let last = out.lines().last().unwrap_or_default().to_string();
        if o.status.code() != Some(0) || last != format!("{n} passed, 0 failed") {
            failures.push(format!(
                "{} (exit {:?}):\n{out}{}",
                file.display(),
                o.status.code(),
                stderr(&o)
            ));
        }
    }
    assert!(total >= 500, "only {total} cases in the corpus");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const CASE: &str = r#"{
  "id": "get-object",
  "identity_policies": [{"Version": "2012-10-17", "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
    {"Sid": "NoSecrets", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::b/secret/*"}
  ]}],
  "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
              "resource": "arn:aws:s3:::b/secret/k", "resource_account": "111122223333",
              "context": {}},
  "expected": "EXPECTED"
}"#;

#[test]
fn simulate_prints_the_decision_and_the_deciding_statement() {
    let o = iamtui_stdin(
        &["simulate", "-"],
        &CASE.replace("EXPECTED", "ExplicitDeny"),
    );
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(out.starts_with("get-object: ExplicitDeny\n"), "{out}");
    // The Deny statement, on line 5 of the input, decided it.
    assert!(
        out.contains("statement `NoSecrets` of identity policy 1 (<stdin>:5:5)"),
        "{out}"
    );
    assert!(!out.contains("`Read`"), "{out}");
}

#[test]
fn simulate_check_reports_a_mismatch_and_exits_1() {
    let o = iamtui_stdin(
        &["simulate", "--check", "-"],
        &CASE.replace("EXPECTED", "Allowed"),
    );
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("FAIL get-object (<stdin>:1): expected Allowed, got ExplicitDeny"),
        "{out}"
    );
    assert!(out.ends_with("0 passed, 1 failed\n"), "{out}");
}

#[test]
fn simulate_check_counts_a_case_without_expectation_as_failed() {
    let case = CASE.replace(",\n  \"expected\": \"EXPECTED\"", "");
    let o = iamtui_stdin(&["simulate", "--check", "-"], &case);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("no `expected`"), "{}", stdout(&o));
    // Without --check the same file is fine.
    let o = iamtui_stdin(&["simulate", "-"], &case);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn simulate_json_output_has_decisions_and_lines() {
    let input = format!(
        "[{}, {}]",
        CASE.replace("EXPECTED", "ExplicitDeny"),
        CASE.replace("EXPECTED", "ExplicitDeny")
            .replace("get-object", "other")
            .replace("secret/k", "public/k")
            .replace("\"ExplicitDeny\"", "\"Allowed\"")
    );
    let o = iamtui_stdin(&["simulate", "--format", "json", "-"], &input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let runs = v.as_array().unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0]["decision"], "ExplicitDeny");
    assert_eq!(runs[1]["id"], "other");
    assert_eq!(runs[1]["decision"], "Allowed");
    assert_eq!(runs[1]["passed"], true);
    assert_eq!(runs[1]["deciding"][0]["sid"], "Read");
    assert!(runs[1]["deciding"][0]["line"].as_u64().unwrap() > 1);
}

#[test]
fn simulate_rejects_a_broken_case_file_with_its_position() {
    let o = iamtui_stdin(
        &["simulate", "-"],
        "[{\"request\": {\"action\": \"s3:GetObject\",}}]",
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("<stdin>: line 1, column"), "{err}");
    let o = iamtui(&["simulate", "/nonexistent/cases.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read"), "{}", stderr(&o));
}

// --- validate ---------------------------------------------------------------------------------

fn write_temp(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn validate_prints_compiler_style_findings_with_a_caret() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_temp(
        dir.path(),
        "p.json",
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\n    \"Effect\": \"Allow\",\n    \"Action\": \"s3:GetObjekt\",\n    \"Resource\": \"*\"\n  }]\n}\n",
    );
    let o = iamtui(&["validate", &file]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    let expected_head = format!(
        "{file}:5:15: error[unknown-action]: `s3:GetObjekt` matches no s3 action; did you mean `s3:GetObject`?"
    );
    assert!(out.starts_with(&expected_head), "{out}");
    assert!(
        out.contains("5 |     \"Action\": \"s3:GetObjekt\",\n  |               ^^^^^^^^^^^^^^\n"),
        "{out}"
    );
    assert!(out.ends_with(&format!("{file}: 1 error\n")), "{out}");
}

#[test]
fn validate_exit_codes_follow_severity() {
    let dir = tempfile::tempdir().unwrap();
    let clean = write_temp(
        dir.path(),
        "clean.json",
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#,
    );
    let warn = write_temp(
        dir.path(),
        "warn.json",
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}"#,
    );
    let o = iamtui(&["validate", &clean]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stdout(&o), format!("{clean}: no findings\n"));
    // A security warning alone does not fail the run.
    let o = iamtui(&["validate", &warn]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("security-warning[allow-with-not-action]"));
    // An unreadable file is exit 2 even when others are fine.
    let o = iamtui(&["validate", &clean, "/nonexistent/p.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/nonexistent/p.json"));
    // Usage errors are exit 2 too.
    let o = iamtui(&["validate", "--type", "bucket", &clean]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn validate_json_output_lists_every_finding_with_positions() {
    let text = "{\"Version\": \"2012-10-17\", \"Statement\": [\n {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Resource\": \"x\"}\n]}";
    let o = iamtui_stdin(&["validate", "--format", "json", "-"], text);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = v
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "duplicate-key")
        .unwrap_or_else(|| panic!("{v:#}"));
    assert_eq!(f["file"], "<stdin>");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["line"], 2);
    assert_eq!(f["column"], 65);
    assert_eq!(f["end_line"], 2);
    assert_eq!(f["end_column"], 75);
}

#[test]
fn validate_type_changes_the_rules() {
    let trust = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}"#;
    let o = iamtui_stdin(&["validate", "--type", "trust", "-"], trust);
    assert!(
        stdout(&o).contains("security-warning[trust-any-principal]"),
        "{}",
        stdout(&o)
    );
    let o = iamtui_stdin(&["validate", "--type", "identity", "-"], trust);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("error[principal-not-allowed]"),
        "{}",
        stdout(&o)
    );
}
