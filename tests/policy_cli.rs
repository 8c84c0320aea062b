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

// --- validate on large input ------------------------------------------------------------------

/// A one-line policy whose statement repeats `"Effect": "Allow"` `n` times: `n - 1` duplicate
/// keys on one long line.
fn one_line_with_duplicate_keys(n: usize) -> String {
    let effects = vec![r#""Effect": "Allow""#; n].join(", ");
    format!(
        r#"{{"Version": "2012-10-17", "Statement": {{{effects}, "Action": "s3:GetObject", "Resource": "*"}}}}"#
    )
}

#[test]
fn validate_output_stays_proportional_to_a_one_line_input_with_thousands_of_findings() {
    let dir = tempfile::tempdir().unwrap();
    let text = one_line_with_duplicate_keys(3_000);
    let file = write_temp(dir.path(), "one-line.json", &text);
    let o = iamtui(&["validate", &file]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        out.len() <= 2 * text.len(),
        "{} bytes of output for {} bytes of input",
        out.len(),
        text.len()
    );
    // The first few are shown, the rest counted by kind; the summary still counts all (and
    // the size limit).
    assert_eq!(out.matches(": error[duplicate-key]: ").count(), 10, "{out}");
    assert!(
        out.contains(&format!(
            "{file}: and 2,989 more duplicate keys (error[duplicate-key])"
        )),
        "{out}"
    );
    assert!(out.ends_with(&format!("{file}: 3,000 errors\n")), "{out}");
}

#[test]
fn validate_shows_a_window_of_a_long_line_with_the_caret_under_the_span() {
    // A long line with multi-byte characters on both sides of the finding.
    let before = format!(r#""Sid": "{}", "#, "é".repeat(300));
    let text = format!(
        r#"{{"Version": "2012-10-17", "Statement": {{{before}"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "arn:aws:s3:::{}"}}}}"#,
        "€".repeat(300)
    );
    let o = iamtui_stdin(&["validate", "--type", "resource", "-"], &text);
    let out = stdout(&o);
    let block: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.contains("error[unknown-action]"))
        .skip(2)
        .take(2)
        .collect();
    let [source, caret] = block[..] else {
        panic!("{out}")
    };
    let shown = source.split_once(" | ").unwrap().1;
    assert!(shown.starts_with('…') && shown.ends_with('…'), "{out}");
    assert!(shown.chars().count() <= 130, "{shown}");
    assert!(shown.contains("é\", \"Effect\": \"Allow\""), "{shown}");
    // The caret starts under the opening quote of the action and covers it.
    let underline = caret.split_once(" | ").unwrap().1;
    let at = underline.find('^').unwrap();
    let under: String = shown.chars().skip(at).take(14).collect();
    assert_eq!(under, "\"s3:GetObjekt\"", "{shown}\n{underline}");
    assert_eq!(underline.trim_start().len(), 14, "{underline}");
}

#[test]
fn validate_prints_every_finding_of_a_normal_document() {
    let text = r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["s3:GetObjekt", "s3:PutObjekt", "s3:ListBuckit"], "Resource": "*"},
  {"Effect": "Allow", "Action": ["ec2:DescribeInstanzes", "iam:GetUsr"], "Resource": "*"},
  {"Effect": "Alow", "Action": "sqs:SendMessage", "Resource": "*"}
]}"#;
    let o = iamtui_stdin(&["validate", "-"], text);
    let out = stdout(&o);
    assert_eq!(out.matches("error[unknown-action]").count(), 5, "{out}");
    assert_eq!(out.matches("error[invalid-effect]").count(), 1, "{out}");
    // Each finding shows its whole source line.
    let lines: Vec<&str> = text.lines().collect();
    for (line, findings) in [(2, 3), (3, 2), (4, 1)] {
        let shown = format!("\n{line} | {}\n", lines[line - 1]);
        assert_eq!(out.matches(&shown).count(), findings, "{out}");
    }
    assert!(!out.contains("more"), "{out}");
    assert!(!out.contains('…'), "{out}");
}

#[test]
fn validate_json_messages_do_not_copy_other_parts_of_the_document() {
    // A statement whose many resources each mismatch its actions of many services, and a long
    // Sid that covers hundreds of later statements.
    let actions: Vec<String> = (0..300).map(|i| format!("\"svc{i}:Get\"")).collect();
    let resources: Vec<String> = (0..300)
        .map(|i| format!("\"arn:aws:zzz:::r{i}\""))
        .collect();
    let mut statements = vec![
        format!(
            r#"{{"Effect": "Allow", "Action": [{}], "Resource": [{}]}}"#,
            actions.join(", "),
            resources.join(", ")
        ),
        format!(
            r#"{{"Sid": "{}", "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}}"#,
            "A".repeat(5_000)
        ),
    ];
    for i in 0..300 {
        statements.push(format!(
            r#"{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/{i}"}}"#
        ));
    }
    let text = format!(
        "{{\"Version\": \"2012-10-17\", \"Statement\": [\n{}\n]}}",
        statements.join(",\n")
    );
    let o = iamtui_stdin(
        &["validate", "--format", "json", "--limit", "1000000", "-"],
        &text,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let findings = v.as_array().unwrap();
    let count = |code: &str| findings.iter().filter(|f| f["code"] == code).count();
    assert_eq!(count("resource-service-mismatch"), 300);
    assert_eq!(count("redundant-statement"), 300);
    for f in findings {
        let message = f["message"].as_str().unwrap();
        let span = (f["end_column"].as_u64().unwrap() - f["column"].as_u64().unwrap()) as usize;
        assert!(
            message.chars().count() <= 300 + span,
            "a {}-character message for a {span}-character span: {message}",
            message.chars().count()
        );
    }
    assert!(
        o.stdout.len() <= 20 * text.len(),
        "{} bytes",
        o.stdout.len()
    );
}

/// A policy of `n` statements as people write them, one per line; every 1,000th repeats the
/// one before it (a redundant statement).
fn statements(n: usize) -> String {
    let body: Vec<String> = (0..n)
        .map(|i| {
            let b = if i % 1_000 == 999 { i - 1 } else { i };
            format!(
                r#"    {{"Sid": "S{i}", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::bucket-{b}/*"}}"#
            )
        })
        .collect();
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n{}\n  ]\n}}\n",
        body.join(",\n")
    )
}

#[test]
fn validate_reads_100k_statements_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_temp(dir.path(), "big.json", &statements(100_000));
    let started = std::time::Instant::now();
    let o = iamtui(&["validate", "--format", "json", &file]);
    let took = started.elapsed();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let findings = v.as_array().unwrap();
    let count = |code: &str| findings.iter().filter(|f| f["code"] == code).count();
    assert_eq!(count("redundant-statement"), 100);
    assert_eq!(count("policy-too-large"), 1);
    assert_eq!(findings.len(), 101, "{v:#}");
    // Linear work takes seconds even in a debug build on a busy machine; the quadratic
    // validator took hours.
    assert!(took.as_secs() < 120, "took {took:?}");
}
