//! Speed of the policy engine: validation on every keystroke, evaluation for "who can" questions
//! over large accounts, the catalog's start-up cost, and `iamtui simulate` as a whole process.
//!
//! Run: `cargo bench --bench policy_engine` (criterion prints the median of each). Figures and
//! the machine they were taken on are in the README.

use std::hint::black_box;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

use iamtui::policy::catalog::Catalog;
use iamtui::policy::eval::{Context, PolicySet, Request, evaluate};
use iamtui::policy::parse_policy;
use iamtui::policy::validate::{Options, PolicyType, policy_size, validate};

/// Statements of the kind people write: many services, wildcards, ARNs with variables, and
/// conditions that make the validator consult the catalog. `NNN` is replaced by a number.
const STATEMENTS: [&str; 8] = [
    r#"{"Sid": "ReadBucketsNNN", "Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:GetBucketLocation"], "Resource": ["arn:aws:s3:::corp-data-NNN", "arn:aws:s3:::corp-data-NNN/home/${aws:username}/*"], "Condition": {"Bool": {"aws:SecureTransport": "true"}, "StringLike": {"s3:prefix": ["home/${aws:username}/*", "shared/*"]}}}"#,
    r#"{"Sid": "Ec2ReadNNN", "Effect": "Allow", "Action": ["ec2:Describe*", "ec2:GetConsoleOutput"], "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}}"#,
    r#"{"Sid": "StartStopNNN", "Effect": "Allow", "Action": ["ec2:StartInstances", "ec2:StopInstances"], "Resource": "arn:aws:ec2:*:111122223333:instance/*", "Condition": {"StringEquals": {"aws:ResourceTag/Team": "${aws:PrincipalTag/Team}"}}}"#,
    r#"{"Sid": "DenyOutsideNNN", "Effect": "Deny", "NotAction": ["iam:*", "sts:*", "support:*"], "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}, "BoolIfExists": {"aws:ViaAWSService": "false"}}}"#,
    r#"{"Sid": "TablesNNN", "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"], "Resource": "arn:aws:dynamodb:eu-west-1:111122223333:table/orders-NNN", "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${aws:userid}"]}}}"#,
    r#"{"Sid": "KeysNNN", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Condition": {"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}, "DateLessThan": {"aws:CurrentTime": "2027-01-01T00:00:00Z"}}}"#,
    r#"{"Sid": "PassNNN", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/app/worker-NNN", "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}}"#,
    r#"{"Sid": "LogsNNN", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "arn:aws:logs:*:111122223333:log-group:/app/NNN:*", "Condition": {"NumericLessThanEquals": {"aws:MultiFactorAuthAge": "3600"}}}"#,
];

/// A customer-managed policy at IAM's managed-policy limit (6,144 characters without
/// whitespace).
fn policy_at_the_managed_limit() -> String {
    let statements = STATEMENTS;
    let mut body: Vec<String> = Vec::new();
    let wrap = |b: &[String]| {
        format!(
            "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {}\n  ]\n}}\n",
            b.join(",\n    ")
        )
    };
    for i in 0.. {
        let next = statements[i % statements.len()].replace("NNN", &format!("{i:03}"));
        body.push(next);
        if policy_size(&wrap(&body)) > 6_144 {
            body.pop();
            break;
        }
    }
    let text = wrap(&body);
    let size = policy_size(&text);
    assert!((5_600..=6_144).contains(&size), "size {size}");
    text
}

fn validation(c: &mut Criterion) {
    let text = policy_at_the_managed_limit();
    let options = Options::new(PolicyType::Identity);
    let report = validate(&text, &options);
    assert!(!report.has_errors(), "{:#?}", report.findings);
    let mut g = c.benchmark_group("validate");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("parse a 6,144-character policy", |b| {
        b.iter(|| parse_policy(black_box(&text)))
    });
    g.bench_function("validate a 6,144-character policy", |b| {
        b.iter(|| validate(black_box(&text), &options))
    });
    g.finish();
}

/// `n` statements, one per line, cycling through [`STATEMENTS`] and statements without a
/// condition (which the redundancy check compares); every 100th repeats the one before it
/// under another Sid.
fn many_statements(n: usize) -> String {
    let body: Vec<String> = (0..n)
        .map(|i| {
            let number = if i % 100 == 99 { i - 1 } else { i };
            let template = match i % 10 {
                8 | 9 => r#"{"Sid": "ListNNN", "Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": "arn:aws:s3:::corp-data-NNN"}"#,
                k => STATEMENTS[k],
            };
            // The Sid (the first `NNN`) is always the statement's own.
            template
                .replacen("NNN", &i.to_string(), 1)
                .replace("NNN", &number.to_string())
        })
        .collect();
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {}\n  ]\n}}\n",
        body.join(",\n    ")
    )
}

/// Validation grows linearly with the number of statements: compare the medians.
fn validation_growth(c: &mut Criterion) {
    let options = Options::new(PolicyType::Identity).with_limit(usize::MAX);
    let mut g = c.benchmark_group("validate growth");
    g.sample_size(10);
    for n in [1_000, 4_000, 16_000] {
        let text = many_statements(n);
        let report = validate(&text, &options);
        assert!(!report.has_errors(), "{:#?}", &report.findings[..3]);
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.code == "redundant-statement")
        );
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(
            BenchmarkId::from_parameter(format!("{n} statements")),
            &text,
            |b, text| b.iter(|| validate(black_box(text), &options)),
        );
    }
    g.finish();
}

/// Ten statements with conditions; the request matches some of them and needs all conditions
/// checked before the decision.
fn ten_statements() -> String {
    r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "S1", "Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": ["arn:aws:s3:::data-*", "arn:aws:s3:::data-*/*"], "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
  {"Sid": "S2", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::data-${aws:username}/*", "Condition": {"StringEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}},
  {"Sid": "S3", "Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16", "2001:db8::/32"]}}},
  {"Sid": "S4", "Effect": "Allow", "Action": "ec2:*", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}, "ForAllValues:StringLike": {"aws:TagKeys": ["team-*", "cost-*"]}}},
  {"Sid": "S5", "Effect": "Deny", "Action": ["iam:*", "organizations:*"], "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}},
  {"Sid": "S6", "Effect": "Allow", "Action": "dynamodb:*", "Resource": "arn:aws:dynamodb:*:111122223333:table/${aws:PrincipalTag/team}-*", "Condition": {"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}},
  {"Sid": "S7", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}, "NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}},
  {"Sid": "S8", "Effect": "Deny", "NotAction": ["s3:*", "ec2:*", "dynamodb:*", "kms:*", "sts:*"], "Resource": "*"},
  {"Sid": "S9", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data-*/reports/*", "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:user/*"}, "StringEqualsIgnoreCase": {"aws:PrincipalTag/team": "ANALYTICS"}}},
  {"Sid": "S10", "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::111122223333:role/${aws:PrincipalTag/team}-*", "Condition": {"Null": {"aws:TokenIssueTime": "false"}}}
]}"#
    .to_string()
}

fn evaluation(c: &mut Criterion) {
    let text = ten_statements();
    let policy = parse_policy(&text).policy.expect("the policy parses");
    let context = Context::new()
        .with("aws:SecureTransport", "true")
        .with("aws:SourceIp", "10.1.2.3")
        .with("aws:username", "alice")
        .with("aws:PrincipalArn", "arn:aws:iam::111122223333:user/alice")
        .with("aws:PrincipalTag/team", "analytics")
        .with("aws:MultiFactorAuthPresent", "true")
        .with("aws:MultiFactorAuthAge", "120")
        .with("aws:CurrentTime", "2026-11-23T12:00:00Z");
    let allowed = Request::new(
        "arn:aws:iam::111122223333:user/alice",
        "s3:GetObject",
        "arn:aws:s3:::data-lake/reports/2026/q3.csv",
    )
    .with_resource_account("111122223333")
    .with_context(context.clone());
    let denied = Request::new(
        "arn:aws:iam::111122223333:user/alice",
        "s3:GetObject",
        "arn:aws:s3:::data-lake/reports/2026/q3.csv",
    )
    .with_resource_account("111122223333")
    .with_context(context.with("aws:SourceIp", "203.0.113.9"));
    let set = PolicySet::new().identity(&policy);
    assert!(evaluate(&set, &allowed).is_allowed());
    assert!(!evaluate(&set, &denied).is_allowed());
    let mut g = c.benchmark_group("evaluate");
    g.throughput(Throughput::Elements(1));
    g.bench_function("10 statements with conditions, allowed", |b| {
        b.iter(|| evaluate(black_box(&set), black_box(&allowed)))
    });
    g.bench_function("10 statements with conditions, explicit deny", |b| {
        b.iter(|| evaluate(black_box(&set), black_box(&denied)))
    });
    g.finish();
}

fn catalog_load(c: &mut Criterion) {
    let text: &'static str = include_str!("../data/catalog/catalog.txt");
    let global: &'static str = include_str!("../data/catalog/global-keys.txt");
    let mut g = c.benchmark_group("catalog");
    g.sample_size(20);
    g.bench_function("parse the embedded catalog", |b| {
        b.iter(|| Catalog::parse(black_box(text), global).expect("catalog"))
    });
    g.finish();
}

/// 30,000 cases drawn (deterministically) from the repository's evaluation corpus, with
/// unique ids, pretty-printed as people write them.
fn thirty_thousand_cases() -> Vec<u8> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/policy-cases");
    let mut files: Vec<_> = std::fs::read_dir(root)
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut corpus: Vec<serde_json::Value> = Vec::new();
    for f in files {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(f).expect("read")).expect("json");
        corpus.extend(v.as_array().expect("array").iter().cloned());
    }
    // A fixed linear congruential sequence: the same file on every run.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let cases: Vec<serde_json::Value> = (0..30_000)
        .map(|i| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let mut c = corpus[(state >> 33) as usize % corpus.len()].clone();
            c["id"] = format!("case-{i}").into();
            c
        })
        .collect();
    serde_json::to_vec_pretty(&cases).expect("serialise")
}

fn simulate_process(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("cases.json");
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(&thirty_thousand_cases()))
        .expect("write cases");
    let run = || {
        let out = Command::new(env!("CARGO_BIN_EXE_iamtui"))
            .args(["simulate", "--check"])
            .arg(&path)
            .stdout(Stdio::piped())
            .output()
            .expect("run iamtui");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        out
    };
    let out = run();
    assert!(String::from_utf8_lossy(&out.stdout).ends_with("30000 passed, 0 failed\n"));
    let mut g = c.benchmark_group("simulate");
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(8));
    g.throughput(Throughput::Elements(30_000));
    g.bench_function(
        "iamtui simulate --check, 30,000 cases, whole process",
        |b| b.iter_batched(|| (), |()| run(), BatchSize::PerIteration),
    );
    g.finish();
}

criterion_group!(
    benches,
    validation,
    validation_growth,
    evaluation,
    catalog_load,
    simulate_process
);
criterion_main!(benches);
