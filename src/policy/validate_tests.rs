//! Tests for the validator and the structural findings of lowering: every finding code with a
//! policy that triggers it (its severity and the text its span points at), policies of every
//! type that must come out clean, and the size quotas.

use super::*;
use crate::policy::Severity;
use crate::policy::redundancy::pattern_covers;

// ---------------------------------------------------------------------------------------------
// Helpers

fn run(ty: PolicyType, text: &str) -> Report {
    validate(text, &Options::new(ty))
}

/// Every finding as `code severity «spanned text»`, for failure messages.
fn describe(text: &str, findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "  {} {} «{}» {}\n",
                f.code,
                f.severity,
                text.get(f.span.start..f.span.end).unwrap_or("<bad span>"),
                f.message
            )
        })
        .collect()
}

fn codes(report: &Report) -> Vec<&'static str> {
    report.findings.iter().map(|f| f.code).collect()
}

/// Asserts that validating `text` as `ty` gives `code` exactly at the spans `at` (in order),
/// each with `severity`. Returns those findings.
#[track_caller]
fn expect_at(
    ty: PolicyType,
    text: &str,
    code: &str,
    severity: Severity,
    at: &[&str],
) -> Vec<Finding> {
    let report = run(ty, text);
    let hits: Vec<Finding> = report
        .findings
        .iter()
        .filter(|f| f.code == code)
        .cloned()
        .collect();
    let spanned: Vec<&str> = hits
        .iter()
        .map(|f| {
            assert!(
                f.span.start <= f.span.end && f.span.end <= text.len(),
                "`{code}` span {:?} is outside the text",
                f.span
            );
            &text[f.span.start..f.span.end]
        })
        .collect();
    assert_eq!(
        spanned,
        at,
        "`{code}` as {}: spans differ in\n{text}\nfindings:\n{}",
        ty.name(),
        describe(text, &report.findings)
    );
    for f in &hits {
        assert_eq!(
            f.severity, severity,
            "`{code}` has the wrong severity: {}",
            f.message
        );
        assert!(!f.message.is_empty(), "`{code}` has no message");
    }
    hits
}

/// [`expect_at`] for a single finding.
#[track_caller]
fn expect(ty: PolicyType, text: &str, code: &str, severity: Severity, at: &str) -> Finding {
    expect_at(ty, text, code, severity, &[at]).remove(0)
}

#[track_caller]
fn expect_none(ty: PolicyType, text: &str, code: &str) {
    let report = run(ty, text);
    assert!(
        !report.findings.iter().any(|f| f.code == code),
        "unexpected `{code}` as {} in\n{text}\nfindings:\n{}",
        ty.name(),
        describe(text, &report.findings)
    );
}

#[track_caller]
fn assert_clean(ty: PolicyType, text: &str) {
    let report = run(ty, text);
    assert!(
        report.findings.is_empty(),
        "expected no findings as {} in\n{text}\ngot:\n{}",
        ty.name(),
        describe(text, &report.findings)
    );
    assert!(report.policy.is_some());
}

/// An identity policy with one statement allowing `action` on `resource` (JSON-quoted here).
fn identity(action: &str, resource: &str) -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": {action}, "Resource": {resource}}}]}}"#
    )
}

/// An identity policy allowing `action` on `resource` under the condition block `condition`.
fn with_condition(action: &str, resource: &str, condition: &str) -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "{action}", "Resource": "{resource}", "Condition": {condition}}}]}}"#
    )
}

/// Checks each case in turn: `Type text => code Severity [spans]` expects exactly those findings
/// of `code` ([`expect_at`]), `=> !code` none of them, `=> clean` no finding at all. A failure
/// names the type, the text and the code.
macro_rules! findings {
    () => {};
    ($ty:ident $text:expr => clean; $($rest:tt)*) => {
        assert_clean($ty, &$text);
        findings!($($rest)*);
    };
    ($ty:ident $text:expr => !$code:literal; $($rest:tt)*) => {
        expect_none($ty, &$text, $code);
        findings!($($rest)*);
    };
    ($ty:ident $text:expr => $code:literal $severity:ident [$($at:expr),+]; $($rest:tt)*) => {
        expect_at($ty, &$text, $code, $severity, &[$($at),+]);
        findings!($($rest)*);
    };
}

use PolicyType::{Boundary, Identity, Resource, Scp, Session, Trust};
use Severity::{Error, SecurityWarning, Suggestion, Warning};

// ---------------------------------------------------------------------------------------------
// One case per finding code. The macro also lists the codes, so that a test can check that every
// code the validator and the lowering can emit has a case here.

macro_rules! code_cases {
    ($($name:ident: $code:literal, $severity:ident, $ty:ident, $text:expr, [$($at:expr),+ $(,)?];)+) => {
        const CASE_CODES: &[&str] = &[$($code),+];
        $(
            #[test]
            fn $name() {
                expect_at($ty, $text, $code, $severity, &[$($at),+]);
            }
        )+
    };
}

code_cases! {
    // --- lowering: JSON and grammar ---
    code_json_syntax: "json-syntax", Error, Identity,
        r#"{"Version": "2012-10-17", "Statement": [],}"#, ["}"];
    code_root_not_object: "root-not-object", Error, Identity,
        r#"["Version", "2012-10-17"]"#, [r#"["Version", "2012-10-17"]"#];
    code_duplicate_key: "duplicate-key", Error, Identity,
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Effect": "Deny", "Resource": "*"}}"#,
        [r#""Effect""#];
    code_unknown_top_level_key: "unknown-top-level-key", Error, Identity,
        r#"{"Version": "2012-10-17", "Statment": [], "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#,
        [r#""Statment""#];
    code_unknown_statement_key: "unknown-statement-key", Error, Identity,
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condtion": {}}}"#,
        [r#""Condtion""#];
    code_invalid_element_type: "invalid-element-type", Error, Identity,
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ["s3:GetObject", 7], "Resource": "*"}}"#,
        ["7"];
    code_invalid_effect: "invalid-effect", Error, Identity,
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}}"#,
        [r#""allow""#];
    code_missing_effect: "missing-effect", Error, Identity,
        r#"{"Version": "2012-10-17", "Statement": [{"Action": "s3:GetObject", "Resource": "*"}]}"#,
        ["{"];
    code_action_and_notaction: "action-and-notaction", Error, Identity,
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "s3:GetObject", "NotAction": "s3:PutObject", "Resource": "*"}}"#,
        [r#""NotAction""#];
    code_resource_and_notresource: "resource-and-notresource", Error, Identity,
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::a/*", "Resource": "*"}}"#,
        [r#""Resource""#];
    code_principal_and_notprincipal: "principal-and-notprincipal", Error, Resource,
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Principal": {"AWS": "123456789012"}, "NotPrincipal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#,
        [r#""NotPrincipal""#];
    code_unknown_principal_type: "unknown-principal-type", Error, Resource,
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Aws": "123456789012"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#,
        [r#""Aws""#];
    code_invalid_principal: "invalid-principal", Error, Resource,
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": ["alice", "123456789012"], "Service": "ec2", "CanonicalUser": "abc123"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#,
        [r#""alice""#, r#""ec2""#, r#""abc123""#];

    // --- version and statements ---
    code_missing_version: "missing-version", Warning, Identity,
        r#"{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#,
        ["{"];
    code_unknown_version: "unknown-version", Error, Identity,
        r#"{"Version": "2012-10-18", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#,
        [r#""2012-10-18""#];
    code_old_version: "old-version", Suggestion, Identity,
        r#"{"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#,
        [r#""2008-10-17""#];
    code_missing_statement: "missing-statement", Error, Identity,
        r#"{"Version": "2012-10-17", "Statement": []}"#, ["[]"];
    code_duplicate_sid: "duplicate-sid", Error, Identity,
        r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"}, {"Sid": "Read", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"}]}"#,
        [r#""Read""#];
    code_invalid_sid: "invalid-sid", Error, Identity,
        r#"{"Version": "2012-10-17", "Statement": {"Sid": "read objects", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#,
        [r#""read objects""#];

    // --- elements the policy type requires or forbids ---
    code_principal_not_allowed: "principal-not-allowed", Error, Identity,
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "s3:GetObject", "Resource": "*"}}"#,
        [r#""Principal""#];
    code_missing_principal: "missing-principal", Error, Resource,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#,
        ["{"];
    code_missing_action: "missing-action", Error, Identity,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*"}]}"#,
        ["{"];
    code_missing_resource: "missing-resource", Error, Identity,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}]}"#,
        ["{"];
    code_resource_not_allowed: "resource-not-allowed", Error, Trust,
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*"}}"#,
        [r#""Resource""#];

    // --- principals ---
    code_empty_principal: "empty-principal", Error, Resource,
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#,
        ["{}"];
    code_wildcard_in_principal: "wildcard-in-principal", Error, Trust,
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/*"}, "Action": "sts:AssumeRole"}}"#,
        [r#""arn:aws:iam::123456789012:role/*""#];
    code_allow_with_not_principal: "allow-with-not-principal", SecurityWarning, Resource,
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#,
        [r#""NotPrincipal""#];

    // --- actions ---
    code_duplicate_action: "duplicate-action", Suggestion, Identity,
        &identity(r#"["s3:GetObject", "s3:PutObject", "S3:getobject"]"#, r#""arn:aws:s3:::b/*""#),
        [r#""S3:getobject""#];
    code_malformed_action: "malformed-action", Error, Identity,
        &identity(r#"["s3GetObject", "s3:Get Object", "s3:GetObject:x"]"#, r#""*""#),
        [r#""s3GetObject""#, r#""s3:Get Object""#, r#""s3:GetObject:x""#];
    code_unknown_service: "unknown-service", Error, Identity,
        &identity(r#"["s4:GetObject", "zzz*:Get*"]"#, r#""*""#),
        [r#""s4:GetObject""#, r#""zzz*:Get*""#];
    code_undocumented_service: "undocumented-service", Warning, Identity,
        &identity(r#""cloudwatchlogs:describeLogGroups""#, r#""*""#),
        [r#""cloudwatchlogs:describeLogGroups""#];
    code_undocumented_action: "undocumented-action", Warning, Identity,
        &identity(r#""ec2:DescribeVpcAttributes""#, r#""*""#),
        [r#""ec2:DescribeVpcAttributes""#];
    code_unknown_action: "unknown-action", Error, Identity,
        &identity(r#"["s3:GetObjekt", "s3:Fly*", "s3:GetObject"]"#, r#""*""#),
        [r#""s3:GetObjekt""#, r#""s3:Fly*""#];
    code_invalid_trust_action: "invalid-trust-action", Error, Trust,
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": ["sts:AssumeRole", "s3:GetObject", "sts:GetCallerIdentity"]}}"#,
        [r#""s3:GetObject""#, r#""sts:GetCallerIdentity""#];

    // --- resources ---
    code_malformed_arn: "malformed-arn", Error, Identity,
        &identity(r#""s3:GetObject""#, r#"["my-bucket/*", "arn:amazon:s3:::b/*", "arn:aws::us-east-1:123456789012:x", "arn:aws:s3"]"#),
        [r#""my-bucket/*""#, r#""arn:amazon:s3:::b/*""#, r#""arn:aws::us-east-1:123456789012:x""#, r#""arn:aws:s3""#];
    code_resource_service_mismatch: "resource-service-mismatch", Warning, Identity,
        &identity(r#"["s3:GetObject", "s3:PutObject"]"#, r#"["arn:aws:s3:::b/*", "arn:aws:dynamodb:us-east-1:123456789012:table/Orders"]"#),
        [r#""arn:aws:dynamodb:us-east-1:123456789012:table/Orders""#];
    code_variable_in_old_version: "variable-in-old-version", Error, Identity,
        r#"{"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::home/${aws:username}/*", "Condition": {"StringLike": {"s3:prefix": "home/${aws:username}/*"}}}}"#,
        [r#""arn:aws:s3:::home/${aws:username}/*""#, r#""home/${aws:username}/*""#];

    // --- conditions ---
    code_unknown_condition_operator: "unknown-condition-operator", Error, Identity,
        &with_condition("s3:GetObject", "*", r#"{"StringEqual": {"aws:username": "alice"}, "NullIfExists": {"aws:TokenIssueTime": "true"}}"#),
        [r#""StringEqual""#, r#""NullIfExists""#];
    code_invalid_condition_value: "invalid-condition-value", Error, Identity,
        &with_condition("s3:GetObject", "*", r#"{"Bool": {"aws:SecureTransport": "yes"}}"#),
        [r#""yes""#];
    code_unknown_condition_key: "unknown-condition-key", Warning, Identity,
        &with_condition("s3:ListBucket", "arn:aws:s3:::b", r#"{"StringEquals": {"s3:prefixes": "a/", "username": "alice"}}"#),
        [r#""s3:prefixes""#, r#""username""#];
    code_unknown_global_condition_key: "unknown-global-condition-key", Warning, Identity,
        &with_condition("s3:GetObject", "*", r#"{"IpAddress": {"aws:SourceIpAddress": "203.0.113.0/24"}}"#),
        [r#""aws:SourceIpAddress""#];
    code_condition_key_not_supported: "condition-key-not-supported", Warning, Identity,
        &with_condition("s3:GetObject", "arn:aws:s3:::b/*", r#"{"StringLike": {"s3:prefix": "home/*"}}"#),
        [r#""s3:prefix""#];
    code_set_operator_on_single_valued_key: "set-operator-on-single-valued-key", Warning, Identity,
        &with_condition("ec2:RunInstances", "*", r#"{"ForAllValues:StringEquals": {"aws:RequestedRegion": "eu-west-1"}}"#),
        [r#""ForAllValues:StringEquals""#];
    code_missing_set_operator: "missing-set-operator", Warning, Identity,
        &with_condition("ec2:CreateTags", "*", r#"{"StringEquals": {"aws:TagKeys": ["Project", "Owner"]}}"#),
        [r#""StringEquals""#];
    code_empty_array: "empty-array", Warning, Resource,
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": []}, "Action": [], "Resource": [], "Condition": {"StringEquals": {"aws:PrincipalOrgID": []}}}}"#,
        [r#""AWS": []"#, "[]", "[]", "[]"];

    // --- security ---
    code_allow_with_not_action: "allow-with-not-action", SecurityWarning, Identity,
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}"#,
        [r#""NotAction""#];
    code_allow_with_not_resource: "allow-with-not-resource", SecurityWarning, Identity,
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"}}"#,
        [r#""NotResource""#];
    code_allow_all_actions_all_resources: "allow-all-actions-all-resources", SecurityWarning, Identity,
        &identity(r#"["s3:GetObject", "*"]"#, r#"["arn:aws:s3:::b/*", "*"]"#),
        [r#""*""#];
    code_pass_role_all_resources: "pass-role-all-resources", SecurityWarning, Identity,
        &identity(r#"["ec2:RunInstances", "iam:PassRole"]"#, r#""*""#),
        [r#""iam:PassRole""#];
    code_trust_any_principal: "trust-any-principal", SecurityWarning, Trust,
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}}"#,
        [r#"{"AWS": "*"}"#];
    code_public_access: "public-access", SecurityWarning, Resource,
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#,
        [r#""*""#];

    // --- redundancy and size ---
    code_redundant_statement: "redundant-statement", Suggestion, Identity,
        r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Narrow", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/reports/*"}, {"Sid": "Broad", "Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::b/*"}]}"#,
        ["{"];
    code_policy_too_large: "policy-too-large", Error, Trust,
        &format!(
            r#"{{"Version": "2012-10-17", "Statement": {{"Sid": "{}", "Effect": "Allow", "Principal": {{"Service": "ec2.amazonaws.com"}}, "Action": "sts:AssumeRole"}}}}"#,
            "A".repeat(2048)
        ),
        ["{"];
}

/// Every string literal in the validator, lowering and parser sources that looks like a finding
/// code (kebab-case), except the partition names and the element level in a message.
fn codes_in_source() -> Vec<String> {
    const NOT_CODES: [&str; 1] = ["top-level"];
    let sources = [
        include_str!("validate.rs"),
        include_str!("lower.rs"),
        include_str!("json.rs"),
    ];
    let mut out: Vec<String> = Vec::new();
    for source in sources {
        for piece in source.split('"') {
            let is_code = piece.contains('-')
                && !piece.starts_with('-')
                && !piece.ends_with('-')
                && !piece.contains("--")
                && piece.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
            if is_code
                && !piece.starts_with("aws-")
                && !NOT_CODES.contains(&piece)
                && !out.iter().any(|c| c == piece)
            {
                out.push(piece.to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_code_has_a_plural_noun() {
    // `validate` names the kind of the findings it does not show ("and 9,990 more duplicate
    // keys").
    let missing: Vec<&&str> = CASE_CODES
        .iter()
        .filter(|c| crate::policy::finding::plural_noun(c).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a plural noun: {missing:?}"
    );
}

#[test]
fn every_code_in_the_source_has_a_case() {
    let found = codes_in_source();
    // The scan itself works: it sees codes from all three layers.
    for code in [
        "json-syntax",
        "duplicate-key",
        "unknown-action",
        "policy-too-large",
    ] {
        assert!(found.iter().any(|c| c == code), "scan missed {code}");
    }
    let missing: Vec<&String> = found
        .iter()
        .filter(|c| !CASE_CODES.contains(&c.as_str()))
        .collect();
    assert!(missing.is_empty(), "codes without a test case: {missing:?}");
    let stale: Vec<&&str> = CASE_CODES
        .iter()
        .filter(|c| !found.iter().any(|f| f == *c))
        .collect();
    assert!(stale.is_empty(), "cases for codes nothing emits: {stale:?}");
}

// ---------------------------------------------------------------------------------------------
// Clean policies: nothing to report for correct policies of every type.

/// One test per policy that must come out clean as its type.
macro_rules! clean_cases {
    ($($name:ident: $ty:ident, $text:expr;)+) => {
        $(
            #[test]
            fn $name() {
                assert_clean($ty, $text);
            }
        )+
    };
}

clean_cases! {
    clean_identity_policy: Identity,
        r#"{
  "Version": "2012-10-17",
  "Id": "ReadReports",
  "Statement": [
    {"Sid": "ListReports", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::reports"},
    {"Sid": "ReadReports", "Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"], "Resource": "arn:aws:s3:::reports/*"},
    {"Sid": "NoDeletes", "Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}
  ]
}"#;
    clean_s3_bucket_policy: Resource,
        r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowReader",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::123456789012:role/Reader"},
      "Action": ["s3:GetObject", "s3:ListBucket"],
      "Resource": ["arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/*"]
    },
    {
      "Sid": "DenyInsecureTransport",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:*",
      "Resource": ["arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/*"],
      "Condition": {"Bool": {"aws:SecureTransport": "false"}}
    }
  ]
}"#;
    // Everyone, but only from the organization: the condition narrows the principal.
    clean_public_read_with_a_condition_is_not_public_access: Resource,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abcdef1234"}}}]}"#;
    clean_trust_policy_with_a_service_principal: Trust,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"]}, "Action": "sts:AssumeRole"}]}"#;
    clean_cross_account_trust_with_external_id: Trust,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "444455556666"]}, "Action": ["sts:AssumeRole", "sts:TagSession"], "Condition": {"StringEquals": {"sts:ExternalId": "Unique-1234"}}}]}"#;
    // GitHub Actions: the condition keys are named after the provider's URL.
    clean_oidc_trust_policy: Trust,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringLike": {"token.actions.githubusercontent.com:sub": "repo:octo-org/octo-repo:*"}}}]}"#;
    // An EKS cluster's provider URL has a path.
    clean_oidc_trust_policy_with_a_path: Trust,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub": "system:serviceaccount:default:app"}}}]}"#;
    clean_scp_denying_other_regions: Scp,
        r#"{"Version": "2012-10-17", "Statement": [{"Sid": "DenyOutsideEU", "Effect": "Deny", "NotAction": ["iam:*", "organizations:*", "sts:*", "support:*"], "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}}]}"#;
    clean_permissions_boundary_with_dates: Boundary,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ec2:Describe*", "cloudwatch:GetMetricData"], "Resource": "*", "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2024-01-01T00:00:00Z"}, "DateLessThan": {"aws:CurrentTime": "2030-12-31T23:59:59Z"}}}]}"#;
    clean_session_policy_with_tag_keys: Session,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "arn:aws:ec2:*:*:instance/*", "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": ["Project", "Owner"]}}}]}"#;
    clean_policy_variables_in_2012: Identity,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:ChangePassword", "iam:GetUser"], "Resource": "arn:aws:iam::*:user/${aws:username}"}]}"#;
    clean_string_like_with_wildcards: Identity,
        &with_condition("s3:ListBucket", "arn:aws:s3:::home", r#"{"StringLike": {"s3:prefix": ["home/${aws:username}/*", "public/*", "tmp/??/*"]}}"#);
    clean_ip_address_with_ipv4_and_ipv6: Identity,
        &with_condition("s3:GetObject", "arn:aws:s3:::b/*", r#"{"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.7", "2001:DB8:1234:5678::/64"]}}"#);
    clean_bool_numeric_date_arn_and_null_values: Identity,
        r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": false}}},
  {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b", "Condition": {"NumericLessThanEquals": {"s3:max-keys": ["10", 25]}}},
  {"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*", "Condition": {"DateGreaterThan": {"aws:TokenIssueTime": "1700000000"}, "Null": {"aws:TokenIssueTime": "false"}}},
  {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:123456789012:q", "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:123456789012:*"}}}
]}"#;
}

#[test]
fn clean_full_aws_access_scp_and_open_boundary() {
    // AWS's default SCP and an "allow everything" boundary grant nothing by themselves.
    let everything = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;
    findings! {
        Scp everything => clean;
        Boundary everything => clean;
        Session everything => clean;
        // The same statement in an identity policy is administrator access.
        Identity everything => "allow-all-actions-all-resources" SecurityWarning [r#""*""#];
    }
}

// ---------------------------------------------------------------------------------------------
// Rules in more detail.

#[test]
fn json_errors_stop_before_validation() {
    let report = run(Identity, "");
    assert_eq!(codes(&report), ["json-syntax"]);
    assert!(report.policy.is_none() && report.has_errors());
    let text = r#"{"Version": "2012-10-17" "Statement": []}"#;
    findings! { Identity text => "json-syntax" Error [r#"""#]; }
    assert_eq!(codes(&run(Identity, text)), ["json-syntax"]);
}

#[test]
fn missing_statement_without_the_element_points_at_the_document() {
    findings! { Identity r#"{"Version": "2012-10-17"}"# => "missing-statement" Error ["{"]; }
}

#[test]
fn principal_is_forbidden_outside_resource_and_trust_policies() {
    for ty in [Identity, Scp, Boundary, Session] {
        let text = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "NotPrincipal": {"AWS": "123456789012"}, "Action": "s3:GetObject", "Resource": "*"}}"#;
        findings! { ty text => "principal-not-allowed" Error [r#""NotPrincipal""#]; }
    }
    for ty in [Resource, Trust] {
        let text = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole"}}"#;
        findings! {
            ty text => "missing-principal" Error ["{"];
            ty text => !"principal-not-allowed";
        }
    }
}

#[test]
fn trust_policies_need_no_resource_but_others_do() {
    let text = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}}"#;
    findings! {
        Trust text => !"missing-resource";
        Resource text => "missing-resource" Error ["{"];
    }
}

#[test]
fn sids_may_be_free_text_in_resource_policies_only() {
    findings! {
        Resource r#"{"Version": "2012-10-17", "Statement": {"Sid": "read-only access", "Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#
            => !"invalid-sid";
        Trust r#"{"Version": "2012-10-17", "Statement": {"Sid": "read-only", "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}}"#
            => "invalid-sid" Error [r#""read-only""#];
    }
}

#[test]
fn federated_and_canonical_principals() {
    findings! {
        Resource r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Federated": "", "CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#
            => "invalid-principal" Error [r#""""#];
        // An account id, an IAM ARN and an STS session ARN are all AWS principals.
        Resource r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": ["123456789012", "arn:aws:iam::123456789012:user/alice", "arn:aws:sts::123456789012:assumed-role/R/s"]}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#
            => clean;
        // An ARN of another service, or with a region, is not.
        Resource r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:s3:::b", "arn:aws:iam:us-east-1:123456789012:user/alice"]}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#
            => "invalid-principal" Error [r#""arn:aws:s3:::b""#, r#""arn:aws:iam:us-east-1:123456789012:user/alice""#];
    }
}

#[test]
fn allow_with_not_principal_only_for_allow() {
    findings! {
        Resource r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}}"#
            => !"allow-with-not-principal";
    }
}

#[test]
fn actions_are_case_insensitive_and_wildcards_must_match_something() {
    findings! {
        Identity identity(r#"["S3:GETOBJECT", "s3:Get*", "s3:*Object?"]"#, r#""*""#) => clean;
        // A wildcard service with a known action is fine; one that matches nothing is unknown.
        Identity identity(r#""*:GetObject""#, r#""*""#) => !"unknown-service";
    }
    let f = expect(
        Identity,
        &identity(r#""s3:GetObjekt""#, r#""*""#),
        "unknown-action",
        Error,
        r#""s3:GetObjekt""#,
    );
    assert!(f.message.contains("s3:GetObject"), "{}", f.message);
    let f = expect(
        Identity,
        &identity(r#""ec3:RunInstances""#, r#""*""#),
        "unknown-service",
        Error,
        r#""ec3:RunInstances""#,
    );
    assert!(f.message.contains("`ec2`"), "{}", f.message);
}

#[test]
fn trust_actions_accept_session_actions_and_deny_anything() {
    let allow = |action: &str| {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow", "Principal": {{"Service": "ec2.amazonaws.com"}}, "Action": "{action}"}}}}"#
        )
    };
    for action in [
        "sts:AssumeRole",
        "sts:AssumeRoleWithSAML",
        "sts:AssumeRoleWithWebIdentity",
        "sts:TagSession",
        "sts:SetSourceIdentity",
        "sts:SetContext",
        "sts:AssumeRole*",
    ] {
        expect_none(Trust, &allow(action), "invalid-trust-action");
    }
    findings! {
        Trust allow("iam:PassRole") => "invalid-trust-action" Error [r#""iam:PassRole""#];
        // A Deny statement in a trust policy may name any action.
        Trust r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}, {"Effect": "Deny", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "s3:GetObject"}]}"#
            => !"invalid-trust-action";
    }
}

#[test]
fn resources_in_any_partition_with_variables_or_wildcards() {
    findings! {
        Identity identity(r#""s3:GetObject""#, r#"["arn:aws-cn:s3:::b/*", "arn:aws-us-gov:s3:::b/*", "arn:*:s3:::c/*", "arn:aws:s3:::home/${aws:username}/*"]"#)
            => clean;
        // Variables (with their colons) in the region and account parts.
        Identity identity(r#""sqs:SendMessage""#, r#""arn:aws:sqs:${aws:RequestedRegion}:${aws:PrincipalAccount}:jobs-*""#)
            => clean;
    }
}

#[test]
fn resource_service_mismatch_knows_cross_service_resources() {
    findings! {
        // ssm:SendCommand acts on EC2 instances; sts:AssumeRole on IAM roles.
        Identity identity(r#""ssm:SendCommand""#, r#"["arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0", "arn:aws:ssm:us-east-1::document/AWS-RunShellScript"]"#)
            => clean;
        Identity identity(r#""sts:AssumeRole""#, r#""arn:aws:iam::123456789012:role/Deploy""#) => clean;
        // A wildcard service in the action makes the set open-ended: no finding.
        Identity identity(r#""*:Get*""#, r#""arn:aws:dynamodb:us-east-1:123456789012:table/T""#)
            => !"resource-service-mismatch";
    }
}

#[test]
fn variables_need_version_2012() {
    // No Version reads as 2008-10-17: the variable is plain text.
    let text = r#"{"Statement": {"Effect": "Allow", "Action": "iam:ChangePassword", "Resource": "arn:aws:iam::*:user/${aws:username}"}}"#;
    findings! {
        Identity text => "missing-version" Warning ["{"];
        Identity text => "variable-in-old-version" Error [r#""arn:aws:iam::*:user/${aws:username}""#];
    }
    // An unknown Version is reported as such, and also reads as 2008-10-17.
    let text = r#"{"Version": "2012-10-17 ", "Statement": {"Effect": "Allow", "Action": "iam:ChangePassword", "Resource": "arn:aws:iam::*:user/${aws:username}"}}"#;
    findings! {
        Identity text => "unknown-version" Error [r#""2012-10-17 ""#];
        Identity text => "variable-in-old-version" Error [r#""arn:aws:iam::*:user/${aws:username}""#];
    }
}

#[test]
fn condition_values_are_checked_against_the_operator_type() {
    let cases: [(&str, &str, &str); 9] = [
        ("Bool", "aws:SecureTransport", r#""yes""#),
        ("BoolIfExists", "aws:MultiFactorAuthPresent", "1"),
        ("NumericLessThan", "s3:max-keys", r#""ten""#),
        ("DateGreaterThan", "aws:CurrentTime", r#""next tuesday""#),
        (
            "DateLessThan",
            "aws:CurrentTime",
            r#""2024-13-01T00:00:00Z""#,
        ),
        ("IpAddress", "aws:SourceIp", r#""10.0.0.0/33""#),
        ("NotIpAddress", "aws:SourceIp", r#""10.0.0.256""#),
        ("ArnLike", "aws:SourceArn", r#""my-topic""#),
        ("Null", "aws:TokenIssueTime", r#""maybe""#),
    ];
    for (op, key, value) in cases {
        let text = with_condition(
            "s3:ListBucket",
            "*",
            &format!(r#"{{"{op}": {{"{key}": {value}}}}}"#),
        );
        let f = expect(Identity, &text, "invalid-condition-value", Error, value);
        assert!(
            f.message.contains(op.trim_end_matches("IfExists")),
            "{}",
            f.message
        );
    }
    findings! {
        Identity with_condition("s3:GetObject", "*", r#"{"BinaryEquals": {"aws:UserAgent": "not base64!"}}"#)
            => "invalid-condition-value" Error [r#""not base64!""#];
        // Each bad value in a list is reported; the good ones are not.
        Identity with_condition("s3:GetObject", "*", r#"{"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "localhost", "::1", "10.1.2.3/8/8"]}}"#)
            => "invalid-condition-value" Error [r#""localhost""#, r#""10.1.2.3/8/8""#];
    }
}

#[test]
fn condition_values_accept_every_documented_form() {
    for (op, key, value) in [
        ("Bool", "aws:SecureTransport", "true"),
        ("Bool", "aws:SecureTransport", r#""TRUE""#),
        ("NumericEquals", "s3:max-keys", "-3"),
        ("NumericGreaterThan", "s3:max-keys", r#""1.5""#),
        ("DateEquals", "aws:CurrentTime", r#""2024-02-29""#),
        (
            "DateLessThan",
            "aws:CurrentTime",
            r#""2024-02-29T10:00:00.123+02:00""#,
        ),
        ("DateLessThan", "aws:EpochTime", "1700000000"),
        ("IpAddress", "aws:SourceIp", r#""2001:db8::1""#),
        ("ArnEquals", "aws:SourceArn", r#""*""#),
        ("StringEquals", "aws:username", "12"),
    ] {
        let text = with_condition(
            "s3:ListBucket",
            "arn:aws:s3:::b",
            &format!(r#"{{"{op}": {{"{key}": {value}}}}}"#),
        );
        expect_none(Identity, &text, "invalid-condition-value");
    }
    // A variable is replaced at request time, so its type is unknown until then.
    findings! {
        Identity with_condition("sqs:SendMessage", "*", r#"{"ArnEquals": {"aws:SourceArn": "${aws:PrincipalArn}"}}"#)
            => !"invalid-condition-value";
    }
}

#[test]
fn condition_keys_ignore_case_and_accept_tag_keys() {
    findings! {
        Identity with_condition("ec2:StartInstances", "*", r#"{"StringEquals": {"AWS:ResourceTag/team": "red", "aws:principaltag/team": "red"}}"#)
            => clean;
    }
    let f = expect(
        Identity,
        &with_condition(
            "s3:GetObject",
            "*",
            r#"{"IpAddress": {"aws:SourceIP2": "203.0.113.0/24"}}"#,
        ),
        "unknown-global-condition-key",
        Warning,
        r#""aws:SourceIP2""#,
    );
    assert!(f.message.contains("aws:SourceIp"), "{}", f.message);
}

#[test]
fn condition_key_support_is_checked_against_the_actions() {
    findings! {
        // s3:prefix belongs to ListBucket, not GetObject; with both it is fine.
        Identity r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*", "Condition": {"StringLike": {"s3:prefix": "a/*"}}}]}"#
            => !"condition-key-not-supported";
        // Resource-type keys and keys of another service the action documents count too.
        Identity with_condition("s3:GetObject", "*", r#"{"StringEquals": {"s3:ExistingObjectTag/team": "red"}}"#)
            => !"condition-key-not-supported";
        Identity with_condition("iam:PassRole", "*", r#"{"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}"#)
            => !"condition-key-not-supported";
        Identity with_condition("kms:Decrypt", "*", r#"{"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}"#)
            => !"condition-key-not-supported";
        Identity with_condition("ec2:RunInstances", "*", r#"{"StringEquals": {"ec2:InstanceType": "t3.micro"}}"#)
            => !"condition-key-not-supported";
        // With NotAction the actions are open-ended: nothing to check.
        Identity r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "NotAction": "s3:GetObject", "Resource": "*", "Condition": {"StringLike": {"s3:prefix": "a/*"}}}}"#
            => !"condition-key-not-supported";
    }
}

#[test]
fn set_qualifiers_follow_the_key() {
    findings! {
        // Null takes no qualifier either way.
        Identity with_condition("ec2:CreateTags", "*", r#"{"Null": {"aws:TagKeys": "false"}}"#)
            => !"missing-set-operator";
        Identity with_condition("ec2:CreateTags", "*", r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["Project"]}}"#)
            => clean;
    }
    let f = expect(
        Identity,
        &with_condition(
            "s3:GetObject",
            "*",
            r#"{"ForAnyValue:IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#,
        ),
        "set-operator-on-single-valued-key",
        Warning,
        r#""ForAnyValue:IpAddress""#,
    );
    assert!(f.message.contains("ForAnyValue"), "{}", f.message);
}

// ---------------------------------------------------------------------------------------------
// Security warnings in more detail.

#[test]
fn security_warnings_are_for_allow_only() {
    let text = r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Deny", "NotAction": "s3:GetObject", "NotResource": "arn:aws:s3:::b/*"},
  {"Effect": "Deny", "Action": ["*", "iam:PassRole"], "Resource": "*"}
]}"#;
    let report = run(Identity, text);
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.severity == SecurityWarning),
        "{}",
        describe(text, &report.findings)
    );
}

#[test]
fn full_admin_is_reported_once_and_wins_over_pass_role() {
    let text = identity(r#"["iam:PassRole", "*:*"]"#, r#""*""#);
    findings! {
        Identity text => "allow-all-actions-all-resources" SecurityWarning [r#""*:*""#];
        Identity text => !"pass-role-all-resources";
        // Every action on some resources is not full administrator access.
        Identity identity(r#""*""#, r#""arn:aws:s3:::b/*""#) => !"allow-all-actions-all-resources";
    }
}

#[test]
fn pass_role_on_star_includes_wildcard_actions() {
    for action in [
        "iam:PassRole",
        "IAM:passrole",
        "iam:*",
        "iam:Pass*",
        "iam:PassRol?",
    ] {
        let quoted = format!("\"{action}\"");
        findings! { Identity identity(&quoted, r#""*""#) => "pass-role-all-resources" SecurityWarning [quoted.as_str()]; }
    }
    findings! {
        // Other actions, and PassRole on named roles, are fine.
        Identity identity(r#""iam:Get*""#, r#""*""#) => !"pass-role-all-resources";
        Identity identity(r#""iam:PassRole""#, r#""arn:aws:iam::123456789012:role/app-*""#)
            => !"pass-role-all-resources";
    }
}

#[test]
fn trust_in_everyone_needs_a_condition() {
    for principal in [r#""*""#, r#"{"AWS": ["123456789012", "*"]}"#] {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow", "Principal": {principal}, "Action": "sts:AssumeRole"}}}}"#
        );
        findings! {
            Trust text => "trust-any-principal" SecurityWarning [principal];
            Trust text => !"public-access";
        }
    }
    findings! {
        // An empty condition block limits nothing.
        Trust r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {}}}"#
            => "trust-any-principal" SecurityWarning [r#"{"AWS": "*"}"#];
        // A real condition does.
        Trust r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abcdef1234"}}}}"#
            => clean;
    }
}

#[test]
fn public_access_in_resource_policies() {
    let text = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:123456789012:q", "Condition": {}}}"#;
    findings! {
        Resource text => "public-access" SecurityWarning [r#"{"AWS": "*"}"#];
        Resource text => !"trust-any-principal";
    }
}

// ---------------------------------------------------------------------------------------------
// Redundant statements.

fn two_statements(first: &str, second: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{first}, {second}]}}"#)
}

#[test]
fn the_narrower_statement_is_the_redundant_one() {
    let narrow = r#"{"Sid": "Narrow", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#;
    let broad =
        r#"{"Sid": "Broad", "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}"#;
    for text in [two_statements(narrow, broad), two_statements(broad, narrow)] {
        let f = expect(Identity, &text, "redundant-statement", Suggestion, "{");
        assert_eq!(
            f.span.start,
            text.find(narrow).unwrap(),
            "the narrow statement is reported"
        );
        assert!(
            f.message.contains("(Narrow) is covered by") && f.message.contains("(Broad)"),
            "{}",
            f.message
        );
    }
}

#[test]
fn of_two_identical_statements_the_later_is_redundant() {
    let st = r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#;
    let text = two_statements(st, st);
    let f = expect(Identity, &text, "redundant-statement", Suggestion, "{");
    assert_eq!(f.span.start, text.rfind(st).unwrap());
}

#[test]
fn statements_that_differ_are_not_redundant() {
    let base = r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}"#;
    for other in [
        // A different effect.
        r#"{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#,
        // A resource outside the other's.
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::c/*"}"#,
        // A condition.
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}"#,
        // NotAction.
        r#"{"Effect": "Allow", "NotAction": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#,
        // Resources are case-sensitive.
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::B/*"}"#,
    ] {
        findings! { Identity two_statements(base, other) => !"redundant-statement"; }
    }
    // `?` is one character: `s3:GetObject?` does not cover `s3:GetObject*`, but `*` covers `?`.
    let one = r#"{"Effect": "Allow", "Action": "s3:GetObject?", "Resource": "*"}"#;
    let any = r#"{"Effect": "Allow", "Action": "s3:GetObject*", "Resource": "*"}"#;
    let text = two_statements(any, one);
    let f = expect(Identity, &text, "redundant-statement", Suggestion, "{");
    assert_eq!(f.span.start, text.find(one).unwrap());
}

#[test]
fn a_statement_covered_by_several_patterns_is_redundant() {
    let text = two_statements(
        r#"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": ["arn:aws:s3:::a/*", "arn:aws:s3:::b/x"]}"#,
        r#"{"Effect": "Allow", "Action": ["s3:Get*", "s3:Put*"], "Resource": ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"]}"#,
    );
    let f = expect(Identity, &text, "redundant-statement", Suggestion, "{");
    assert_eq!(f.span.start, text.find(r#"{"Effect""#).unwrap());
}

#[test]
fn pattern_coverage() {
    for (outer, inner, ci, covers) in [
        ("s3:*", "s3:GetObject", true, true),
        ("s3:GetObject", "s3:*", true, false),
        ("S3:GET*", "s3:getobject*", true, true),
        ("a*", "a*", false, true),
        ("a?", "a*", false, false),
        ("a*", "a?", false, true),
        ("a??", "a?b", false, true),
        ("a?b", "a??", false, false),
        ("*", "", false, true),
        ("", "", false, true),
        ("a", "A", false, false),
        ("a", "A", true, true),
        (
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::b/${aws:username}/*",
            false,
            true,
        ),
        ("*a*b", "xxaxxb", false, true),
        ("*a*b", "xxbxxa", false, false),
    ] {
        assert_eq!(
            pattern_covers(outer, inner, ci),
            covers,
            "{outer} covers {inner}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Sizes.

/// A policy of exactly `size` characters not counting whitespace, pretty-printed so that
/// whitespace would matter if it were counted.
fn policy_of_size(size: usize) -> String {
    let make = |pad: usize| {
        format!(
            "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\n      \"Sid\": \"{}\",\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"arn:aws:s3:::b/*\"\n    }}\n  ]\n}}\n",
            "S".repeat(pad)
        )
    };
    let base = policy_size(&make(0));
    assert!(size > base);
    let text = make(size - base);
    assert_eq!(policy_size(&text), size);
    text
}

#[test]
fn the_quotas_are_iams() {
    assert_eq!(limits::MANAGED, 6_144);
    assert_eq!(limits::USER_INLINE, 2_048);
    assert_eq!(limits::GROUP_INLINE, 5_120);
    assert_eq!(limits::ROLE_INLINE, 10_240);
    assert_eq!(limits::SCP, 5_120);
    assert_eq!(Identity.default_size_limit(), Some(limits::MANAGED));
    assert_eq!(Boundary.default_size_limit(), Some(limits::MANAGED));
    assert_eq!(Trust.default_size_limit(), Some(limits::TRUST));
    assert_eq!(Scp.default_size_limit(), Some(limits::SCP));
    assert_eq!(Session.default_size_limit(), Some(limits::SESSION));
    assert_eq!(Resource.default_size_limit(), None);
}

#[test]
fn policy_size_ignores_whitespace_and_counts_characters() {
    assert_eq!(policy_size("{ \"a\" :\n\t1 }\r\n"), 7);
    assert_eq!(policy_size(""), 0);
    // Characters, not bytes.
    assert_eq!(policy_size("\"é€\""), 4);
    // Whitespace inside strings is whitespace too.
    assert_eq!(policy_size("\"a b\""), 4);
}

#[test]
fn each_size_limit_allows_exactly_its_quota() {
    let options = [
        (Options::new(Identity), limits::MANAGED),
        (
            Options::new(Identity).with_limit(limits::USER_INLINE),
            2_048,
        ),
        (
            Options::new(Identity).with_limit(limits::GROUP_INLINE),
            5_120,
        ),
        (
            Options::new(Identity).with_limit(limits::ROLE_INLINE),
            10_240,
        ),
        (Options::new(Boundary), 6_144),
        (Options::new(Scp), 5_120),
        (Options::new(Session), 2_048),
    ];
    for (opts, limit) in options {
        let at = policy_of_size(limit);
        let report = validate(&at, &opts);
        assert!(
            report.findings.is_empty(),
            "{limit}: {}",
            describe(&at, &report.findings)
        );
        let over = policy_of_size(limit + 1);
        let report = validate(&over, &opts);
        let f: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.code == "policy-too-large")
            .collect();
        assert_eq!(f.len(), 1, "{limit}: {}", describe(&over, &report.findings));
        assert_eq!(f[0].severity, Error);
        assert_eq!(&over[f[0].span.start..f[0].span.end], "{");
        assert!(
            f[0].message.contains(&(limit + 1).to_string())
                && f[0].message.contains(&limit.to_string()),
            "{}",
            f[0].message
        );
    }
}

#[test]
fn size_limit_can_be_turned_off_and_resource_policies_have_none() {
    let big = policy_of_size(20_000);
    let opts = Options::new(Identity).with_limit(usize::MAX);
    assert!(validate(&big, &opts).findings.is_empty());
    let big_resource = big.replace(
        "\"Effect\"",
        "\"Principal\": {\"AWS\": \"123456789012\"},\n      \"Effect\"",
    );
    assert_clean(Resource, &big_resource);
    // Even a document that does not parse is measured.
    let text = format!("[{}", "1,".repeat(4_000));
    let report = run(Scp, &text);
    let mut found = codes(&report);
    found.sort_unstable();
    assert_eq!(found, ["json-syntax", "policy-too-large"]);
}

#[test]
fn the_size_finding_spans_a_whole_first_character() {
    // Found by fuzzing: a text that starts with a multi-byte character.
    let text = format!("é{}", "1".repeat(6_200));
    let report = run(Identity, &text);
    let f = report
        .findings
        .iter()
        .find(|f| f.code == "policy-too-large")
        .expect("too large");
    assert_eq!(&text[f.span.start..f.span.end], "é");
}

// ---------------------------------------------------------------------------------------------
// The report as a whole.

#[test]
fn findings_come_sorted_by_position_and_never_stop_at_the_first() {
    let text = r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "bucket"},
  {"Effect": "Maybe", "Action": "s4:Get", "Resource": "*"}
]}"#;
    let report = run(Identity, text);
    assert_eq!(
        codes(&report),
        [
            "unknown-action",
            "malformed-arn",
            "invalid-effect",
            "unknown-service"
        ],
        "{}",
        describe(text, &report.findings)
    );
    let starts: Vec<usize> = report.findings.iter().map(|f| f.span.start).collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]));
    assert!(report.has_errors());
    assert!(report.policy.is_some_and(|p| p.statements.len() == 2));
}

#[test]
fn statement_findings_point_at_the_statements_brace() {
    let second = r#"{"Sid": "Two"}"#;
    let text = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"AWS": "123456789012"}}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}, {second}]}}"#
    );
    let at = text.find(second).unwrap();
    let report = run(Resource, &text);
    for code in [
        "missing-effect",
        "missing-principal",
        "missing-action",
        "missing-resource",
    ] {
        let f = report
            .findings
            .iter()
            .find(|f| f.code == code)
            .unwrap_or_else(|| panic!("no {code}: {}", describe(&text, &report.findings)));
        assert_eq!(f.span, Span::new(at, at + 1), "{code}");
    }
    // Only the second statement lacks them.
    assert_eq!(
        report.findings.len(),
        4,
        "{}",
        describe(&text, &report.findings)
    );
}

#[test]
fn warnings_alone_are_not_errors() {
    let report = run(
        Identity,
        r#"{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#,
    );
    assert_eq!(codes(&report), ["missing-version"]);
    assert!(!report.has_errors());
}

#[test]
fn policy_type_names_round_trip() {
    for ty in PolicyType::ALL {
        assert_eq!(PolicyType::from_name(ty.name()), Some(ty));
    }
    assert_eq!(PolicyType::from_name("bucket"), None);
}

// ---------------------------------------------------------------------------------------------
// Large documents: every rule is linear in the size of the document. Each of these took minutes
// or hours when a rule compared every pair of keys, actions, statements or condition keys; the
// bounds are far above what linear work needs even in a debug build on a busy machine.

/// Validates `text` as an identity policy without a size limit, within `seconds`.
#[track_caller]
fn validate_within(seconds: u64, text: &str) -> Report {
    let started = std::time::Instant::now();
    let report = validate(text, &Options::new(Identity).with_limit(usize::MAX));
    let took = started.elapsed();
    assert!(took.as_secs() < seconds, "took {took:?}");
    report
}

fn count(report: &Report, code: &str) -> usize {
    report.findings.iter().filter(|f| f.code == code).count()
}

#[test]
fn an_object_with_300k_keys() {
    // Every key twice: 150,000 duplicate keys, each also an unknown statement key.
    let keys: Vec<String> = (0..300_000)
        .map(|i| format!(r#""K{}": 1"#, i / 2))
        .collect();
    let text = format!(
        r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", {}}}}}"#,
        keys.join(", ")
    );
    let report = validate_within(60, &text);
    assert_eq!(count(&report, "duplicate-key"), 150_000);
    assert_eq!(count(&report, "unknown-statement-key"), 300_000);
    // Each duplicate is the second of its pair.
    let f = report
        .findings
        .iter()
        .find(|f| f.code == "duplicate-key")
        .unwrap();
    assert_eq!(&text[f.span.start..f.span.end], r#""K0""#);
    assert!(f.span.start > text.find(r#""K0""#).unwrap());
}

#[test]
fn a_statement_with_40k_actions_and_2k_resources_of_another_service() {
    // 20,000 distinct patterns, each written twice (the second time in capitals), and resources
    // of a service none of the actions uses.
    let mut actions: Vec<String> = (0..20_000).map(|i| format!(r#""s3:Get*X{i}""#)).collect();
    actions.extend((0..20_000).map(|i| format!(r#""S3:GET*X{i}""#)));
    let resources: Vec<String> = (0..2_000)
        .map(|i| format!(r#""arn:aws:zzz:::r{i}""#))
        .collect();
    let text = format!(
        r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow", "Action": [{}], "Resource": [{}]}}}}"#,
        actions.join(", "),
        resources.join(", ")
    );
    let report = validate_within(60, &text);
    assert_eq!(count(&report, "duplicate-action"), 20_000);
    assert_eq!(count(&report, "unknown-action"), 20_000);
    assert_eq!(count(&report, "resource-service-mismatch"), 2_000);
}

#[test]
fn a_statement_with_5k_actions_and_5k_condition_keys() {
    // The one action that supports the keys comes last.
    let mut actions: Vec<String> = (0..5_000).map(|i| format!(r#""s3:Get*X{i}""#)).collect();
    actions.push(r#""s3:GetObject""#.to_string());
    let keys: Vec<String> = (0..5_000)
        .map(|i| format!(r#""s3:ExistingObjectTag/k{i}": "v""#))
        .collect();
    let text = format!(
        r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow", "Action": [{}], "Resource": "*", "Condition": {{"StringEquals": {{{}}}}}}}}}"#,
        actions.join(", "),
        keys.join(", ")
    );
    let report = validate_within(60, &text);
    assert_eq!(count(&report, "unknown-action"), 5_000);
    assert_eq!(count(&report, "condition-key-not-supported"), 0);
    assert_eq!(count(&report, "unknown-condition-key"), 0);
    // Without the supporting action, every key is reported.
    let text = text.replace(r#", "s3:GetObject""#, "");
    let report = validate_within(60, &text);
    assert_eq!(count(&report, "condition-key-not-supported"), 5_000);
}

#[test]
fn a_two_megabyte_action_name() {
    let name = "A".repeat(2_000_000);
    let text = identity(&format!(r#""s3:{name}""#), r#""*""#);
    let report = validate_within(60, &text);
    assert_eq!(codes(&report), ["unknown-action"]);
    assert!(!report.findings[0].message.contains("did you mean"));
}

#[test]
fn statements_whose_patterns_share_a_prefix_but_never_cover_each_other() {
    // Every statement is a candidate for every other (same prefix `s3:Get`, Resource "*"), and
    // none covers another.
    let statements: Vec<String> = (0..20_000)
        .map(|i| format!(r#"{{"Effect": "Allow", "Action": "s3:Get*X{i}*Y{i}", "Resource": "*"}}"#))
        .collect();
    let text = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
        statements.join(", ")
    );
    let report = validate_within(60, &text);
    assert_eq!(count(&report, "redundant-statement"), 0);
    assert_eq!(count(&report, "unknown-action"), 20_000);
}

#[test]
fn redundant_statements_among_100k() {
    // Distinct statements, each 100th repeating the one before, and each 1,000th covered by a
    // broader statement further on.
    let mut statements: Vec<String> = (0..100_000)
        .map(|i| {
            let b = if i % 100 == 99 { i - 1 } else { i };
            format!(
                r#"{{"Sid": "S{i}", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::b-{b}/*"}}"#
            )
        })
        .collect();
    statements.push(
        r#"{"Sid": "Broad", "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b-1*"}"#
            .to_string(),
    );
    let text = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
        statements.join(", ")
    );
    let report = validate_within(60, &text);
    let redundant: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.code == "redundant-statement")
        .collect();
    // 1,000 repeats, and the 11,111 statements on buckets whose number starts with 1 (b-1,
    // b-10..b-19, ..., b-10000..b-19999), of which 111 are also repeats.
    assert_eq!(redundant.len(), 1_000 + 11_111 - 111, "{}", redundant.len());
    assert!(
        redundant[0]
            .message
            .starts_with("statement 1 (S1) is covered by statement 100000 (Broad)"),
        "{}",
        redundant[0].message
    );
}
