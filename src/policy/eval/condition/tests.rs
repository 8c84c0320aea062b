use super::*;
use crate::policy::lower::parse_policy;
use crate::policy::operator::{BaseOperator, Operator};

/// Evaluates a Condition element (JSON text) against a context.
fn cond_v(version: &str, condition: &str, ctx: &Context) -> bool {
    let text = format!(
        r#"{{"Version": "{version}", "Statement": {{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {condition}}}}}"#
    );
    let parsed = parse_policy(&text);
    let policy = parsed.policy.expect("policy");
    let block = policy.statements[0].condition.as_ref().expect("condition");
    condition_block_matches(block, policy.effective_version(), ctx)
}

fn cond(condition: &str, ctx: &Context) -> bool {
    cond_v("2012-10-17", condition, ctx)
}

fn one(op: &str, key: &str, value: &str, ctx: &Context) -> bool {
    cond(&format!(r#"{{"{op}": {{"{key}": "{value}"}}}}"#), ctx)
}

fn single(v: &str) -> Context {
    Context::new().with("k", v)
}

fn multi(v: &[&str]) -> Context {
    Context::new().with_multi("k", v.iter().copied())
}

/// For every operator: a policy value, a request value for which the operator holds, and one
/// for which it does not.
fn samples(op: BaseOperator) -> (&'static str, &'static str, &'static str) {
    use BaseOperator::*;
    match op {
        StringEquals => ("abc", "abc", "abd"),
        StringNotEquals => ("abc", "abd", "abc"),
        StringEqualsIgnoreCase => ("ABC", "abc", "abd"),
        StringNotEqualsIgnoreCase => ("ABC", "abd", "aBc"),
        StringLike => ("a*c", "abbbc", "abd"),
        StringNotLike => ("a*c", "abd", "abbbc"),
        NumericEquals => ("10", "10.0", "11"),
        NumericNotEquals => ("10", "11", "10"),
        NumericLessThan => ("10", "9.5", "10"),
        NumericLessThanEquals => ("10", "10", "10.01"),
        NumericGreaterThan => ("10", "11", "10"),
        NumericGreaterThanEquals => ("10", "10", "9"),
        DateEquals => (
            "2024-01-01T00:00:00Z",
            "2024-01-01T01:00:00+01:00",
            "2024-01-01T00:00:01Z",
        ),
        DateNotEquals => (
            "2024-01-01T00:00:00Z",
            "2024-01-01T00:00:01Z",
            "2024-01-01T01:00:00+01:00",
        ),
        DateLessThan => ("2024-01-01", "2023-12-31T23:59:59Z", "2024-01-01T00:00:00Z"),
        DateLessThanEquals => (
            "2024-01-01",
            "2024-01-01T00:00:00Z",
            "2024-01-01T00:00:00.001Z",
        ),
        DateGreaterThan => ("2024-01-01T00:00:00Z", "1704067201", "1704067200"),
        DateGreaterThanEquals => ("2024-01-01T00:00:00Z", "1704067200", "1704067199"),
        Bool => ("true", "TRUE", "false"),
        BinaryEquals => ("QmluYXJ5", "QmluYXJ5", "QmluYXJ6"),
        IpAddress => ("10.0.0.0/8", "10.1.2.3", "11.0.0.1"),
        NotIpAddress => ("10.0.0.0/8", "11.0.0.1", "10.1.2.3"),
        ArnEquals | ArnLike => ("arn:aws:s3:::b/*", "arn:aws:s3:::b/k", "arn:aws:s3:::c/k"),
        ArnNotEquals | ArnNotLike => ("arn:aws:s3:::b/*", "arn:aws:s3:::c/k", "arn:aws:s3:::b/k"),
        Null => unreachable!(),
    }
}

#[test]
fn every_operator_in_every_form() {
    let empty = Context::new();
    let empty_list = multi(&[]);
    for base in BaseOperator::ALL {
        if base == BaseOperator::Null {
            continue;
        }
        let name = base.name();
        let (pv, yes, no) = samples(base);
        let negated = base.is_negated();
        let check = |op: &str, ctx: &Context, want: bool, what: &str| {
            assert_eq!(
                one(op, "k", pv, ctx),
                want,
                "{op} {what} (policy value {pv:?})"
            );
            assert!(Operator::parse(op).is_some(), "{op}");
        };
        // Plain.
        check(name, &single(yes), true, "holds");
        check(name, &single(no), false, "does not hold");
        // Missing key: positive false, negated true.
        check(name, &empty, negated, "with the key missing");
        // IfExists: as plain when present, true when missing.
        let if_exists = format!("{name}IfExists");
        check(&if_exists, &single(yes), true, "holds");
        check(&if_exists, &single(no), false, "does not hold");
        check(&if_exists, &empty, true, "with the key missing");
        // ForAllValues: every request value must hold; missing or empty is true.
        let all = format!("ForAllValues:{name}");
        check(&all, &multi(&[yes, yes]), true, "all hold");
        check(&all, &multi(&[yes, no]), false, "one does not hold");
        check(&all, &empty, true, "with the key missing");
        check(&all, &empty_list, true, "with an empty set");
        check(
            &format!("ForAllValues:{name}IfExists"),
            &empty,
            true,
            "with the key missing",
        );
        // ForAnyValue: some request value must hold; missing or empty is false.
        let any = format!("ForAnyValue:{name}");
        check(&any, &multi(&[no, yes]), true, "one holds");
        check(&any, &multi(&[no, no]), false, "none holds");
        check(&any, &empty, false, "with the key missing");
        check(&any, &empty_list, false, "with an empty set");
        check(
            &format!("ForAnyValue:{name}IfExists"),
            &empty,
            true,
            "with the key missing",
        );
        // A multivalued key with a single-valued operator: a positive operator holds when any
        // value matches; a negated one when none matches its positive form.
        check(
            name,
            &multi(&[no, yes]),
            !negated,
            "on a multivalued key with both values",
        );
        check(
            name,
            &multi(&[yes, yes]),
            true,
            "on a multivalued key where all hold",
        );
    }
}

#[test]
fn values_are_ored_keys_and_operators_anded() {
    let ctx = Context::new()
        .with("aws:PrincipalTag/team", "data")
        .with("aws:RequestedRegion", "us-east-1");
    assert!(one("StringEquals", "aws:PrincipalTag/team", "data", &ctx));
    assert!(cond(
        r#"{"StringEquals": {"aws:PrincipalTag/team": ["eng", "data"]}}"#,
        &ctx
    ));
    assert!(!cond(
        r#"{"StringEquals": {"aws:PrincipalTag/team": ["eng", "ops"]}}"#,
        &ctx
    ));
    assert!(cond(
        r#"{"StringEquals": {"aws:PrincipalTag/team": "data", "aws:RequestedRegion": "us-east-1"}}"#,
        &ctx
    ));
    assert!(!cond(
        r#"{"StringEquals": {"aws:PrincipalTag/team": "eng", "aws:RequestedRegion": "us-east-1"}}"#,
        &ctx
    ));
    assert!(!cond(
        r#"{"StringEquals": {"aws:PrincipalTag/team": "data"}, "StringLike": {"aws:RequestedRegion": "eu-*"}}"#,
        &ctx
    ));
    assert!(cond(r#"{}"#, &ctx), "an empty Condition holds");
    // Negated operators with several values: none may match (a logical AND).
    assert!(!cond(
        r#"{"StringNotEquals": {"aws:PrincipalTag/team": ["eng", "data"]}}"#,
        &ctx
    ));
    assert!(cond(
        r#"{"StringNotEquals": {"aws:PrincipalTag/team": ["eng", "ops"]}}"#,
        &ctx
    ));
}

#[test]
fn key_names_ignore_case_values_do_not() {
    let ctx = Context::new().with("aws:username", "johndoe");
    assert!(one("StringEquals", "AWS:UserName", "johndoe", &ctx));
    assert!(!one("StringEquals", "aws:username", "JohnDoe", &ctx));
    assert!(one(
        "StringEqualsIgnoreCase",
        "aws:username",
        "JohnDoe",
        &ctx
    ));
    let ctx = Context::new().with("k", "Straße");
    assert!(one("StringEqualsIgnoreCase", "k", "straße", &ctx));
    assert!(one("StringEqualsIgnoreCase", "k", "STRAßE", &ctx));
}

#[test]
fn string_like_wildcards() {
    let ctx = Context::new().with("aws:RequestedRegion", "us-east-1");
    assert!(one("StringLike", "aws:RequestedRegion", "us-*-1", &ctx));
    assert!(!one("StringLike", "aws:RequestedRegion", "us-???-1", &ctx));
    assert!(one("StringLike", "aws:RequestedRegion", "us-????-1", &ctx));
    assert!(
        !one("StringLike", "aws:RequestedRegion", "US-*", &ctx),
        "case-sensitive"
    );
    assert!(
        !one("StringEquals", "aws:RequestedRegion", "us-*", &ctx),
        "StringEquals has no wildcards"
    );
    let star = Context::new().with("k", "a*");
    assert!(one("StringEquals", "k", "a*", &star));
}

#[test]
fn numbers_compare_exactly() {
    assert!(numeric_cmp("9007199254740993", "9007199254740992") == Some(Ordering::Greater));
    assert_eq!(numeric_cmp("1e3", "1000"), Some(Ordering::Equal));
    assert_eq!(numeric_cmp("-0", "0"), Some(Ordering::Equal));
    assert_eq!(numeric_cmp("0.5", ".5"), Some(Ordering::Equal));
    assert_eq!(numeric_cmp("-2", "-10"), Some(Ordering::Greater));
    assert_eq!(numeric_cmp("-2.5", "1"), Some(Ordering::Less));
    assert_eq!(numeric_cmp("0.05", "0.5"), Some(Ordering::Less));
    assert_eq!(numeric_cmp("100", "99.999"), Some(Ordering::Greater));
    assert_eq!(numeric_cmp("007", "7"), Some(Ordering::Equal));
    assert_eq!(numeric_cmp("abc", "1"), None);
    assert_eq!(numeric_cmp("1.2.3", "1"), None);
    assert_eq!(numeric_cmp("", "1"), None);
    let ctx = Context::new().with("aws:MultiFactorAuthAge", "1200");
    assert!(one(
        "NumericLessThan",
        "aws:MultiFactorAuthAge",
        "3600",
        &ctx
    ));
    assert!(!one(
        "NumericGreaterThan",
        "aws:MultiFactorAuthAge",
        "3600",
        &ctx
    ));
    // Numbers written as JSON numbers are read as their text.
    assert!(cond(
        r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": 3600}}"#,
        &ctx
    ));
    assert!(!one(
        "NumericEquals",
        "aws:MultiFactorAuthAge",
        "not-a-number",
        &ctx
    ));
}

#[test]
fn dates_in_every_documented_form() {
    let t = |s: &str| parse_date(s).unwrap_or_else(|| panic!("{s}"));
    let base = t("2024-01-01T00:00:00Z");
    assert_eq!(base, 1_704_067_200 * 1_000_000_000);
    assert_eq!(t("2024-01-01"), base);
    assert_eq!(t("2024-01"), base);
    assert_eq!(
        t("2024"),
        2024 * 1_000_000_000,
        "all digits are epoch seconds"
    );
    assert_eq!(t("1704067200"), base);
    assert_eq!(t("1704067200.5"), base + 500_000_000);
    assert_eq!(t("2024-01-01T00:00Z"), base);
    assert_eq!(t("2024-01-01T00:00:00"), base, "no zone is UTC");
    assert_eq!(t("2024-01-01T02:00:00+02:00"), base);
    assert_eq!(t("2023-12-31T19:00:00-05:00"), base);
    assert_eq!(t("2024-01-01T02:00:00+0200"), base);
    assert_eq!(t("2024-01-01T00:00:00.250Z"), base + 250_000_000);
    assert_eq!(t("2024-01-01T00:00:00.123456789123Z"), base + 123_456_789);
    assert_eq!(t("1970-01-01T00:00:00Z"), 0);
    assert!(t("1969-12-31T23:59:59Z") < 0);
    assert_eq!(t("2024-02-29"), base + 59 * 86_400 * 1_000_000_000);
    for bad in [
        "2023-02-29",
        "2024-13-01",
        "2024-01-01T25:00Z",
        "2024-01-01T00:00:00X",
        "yesterday",
        "",
        "2024-1-1",
    ] {
        assert_eq!(parse_date(bad), None, "{bad}");
    }
    let ctx = Context::new().with("aws:CurrentTime", "2024-01-01T00:00:00Z");
    assert!(
        !one(
            "DateGreaterThan",
            "aws:CurrentTime",
            "2024-01-01T00:00:00Z",
            &ctx
        ),
        "equal is not greater"
    );
    assert!(one(
        "DateGreaterThanEquals",
        "aws:CurrentTime",
        "2024-01-01",
        &ctx
    ));
    assert!(one(
        "DateLessThan",
        "aws:CurrentTime",
        "2024-01-01T00:00:00.001Z",
        &ctx
    ));
    assert!(!one("DateEquals", "aws:CurrentTime", "garbage", &ctx));
}

#[test]
fn bool_binary_null() {
    let ctx = Context::new().with("aws:SecureTransport", "false");
    assert!(one("Bool", "aws:SecureTransport", "false", &ctx));
    assert!(one("Bool", "aws:SecureTransport", "False", &ctx));
    assert!(!one("Bool", "aws:SecureTransport", "true", &ctx));
    assert!(!one("Bool", "aws:SecureTransport", "no", &ctx));
    assert!(
        cond(r#"{"Bool": {"aws:SecureTransport": false}}"#, &ctx),
        "a JSON boolean"
    );
    assert!(
        !one("Bool", "aws:MultiFactorAuthPresent", "false", &ctx),
        "missing key"
    );
    assert!(one(
        "BoolIfExists",
        "aws:MultiFactorAuthPresent",
        "false",
        &ctx
    ));

    assert_eq!(
        base64_decode("QmluYXJ5VmFsdWVJbkJhc2U2NA==").unwrap(),
        b"BinaryValueInBase64"
    );
    assert_eq!(base64_decode("QQ").unwrap(), b"A");
    assert_eq!(base64_decode("").unwrap(), b"");
    assert!(base64_decode("Q").is_none());
    assert!(base64_decode("Q*==").is_none());
    let raw = Context::new().with("k", "BinaryValueInBase64");
    assert!(
        one("BinaryEquals", "k", "QmluYXJ5VmFsdWVJbkJhc2U2NA==", &raw),
        "raw request bytes"
    );
    let encoded = Context::new().with("k", "QmluYXJ5VmFsdWVJbkJhc2U2NA");
    assert!(one(
        "BinaryEquals",
        "k",
        "QmluYXJ5VmFsdWVJbkJhc2U2NA==",
        &encoded
    ));
    assert!(!one("BinaryEquals", "k", "not base64!", &raw));

    let ctx = Context::new()
        .with("aws:TokenIssueTime", "2024-01-01T00:00:00Z")
        .with_multi("aws:TagKeys", Vec::<String>::new())
        .with("blank", "");
    assert!(one("Null", "aws:TokenIssueTime", "false", &ctx));
    assert!(!one("Null", "aws:TokenIssueTime", "true", &ctx));
    assert!(one("Null", "aws:SourceVpce", "true", &ctx));
    assert!(one("Null", "aws:SourceVpce", "TRUE", &ctx));
    assert!(!one("Null", "aws:SourceVpce", "false", &ctx));
    assert!(
        one("Null", "aws:TagKeys", "true", &ctx),
        "an empty set is null"
    );
    assert!(
        one("Null", "blank", "true", &ctx),
        "an empty string is null"
    );
    assert!(!one("Null", "aws:SourceVpce", "maybe", &ctx));
    assert!(cond(
        r#"{"Null": {"aws:SourceVpce": ["false", "true"]}}"#,
        &ctx
    ));
    assert!(cond(r#"{"Null": {"aws:SourceVpce": true}}"#, &ctx));
}

#[test]
fn ip_addresses_v4_v6() {
    assert!(
        ip_in_cidr("203.0.113.45", "203.0.113.45"),
        "a plain address is /32"
    );
    assert!(!ip_in_cidr("203.0.113.46", "203.0.113.45"));
    assert!(ip_in_cidr("203.0.113.200", "203.0.113.0/24"));
    assert!(
        ip_in_cidr("192.168.1.1", "192.168.1.77/24"),
        "host bits in the block are ignored"
    );
    assert!(ip_in_cidr("8.8.8.8", "0.0.0.0/0"));
    assert!(ip_in_cidr(
        "2001:db8:1234:5678::1",
        "2001:DB8:1234:5678::/64"
    ));
    assert!(!ip_in_cidr(
        "2001:db8:1234:5679::1",
        "2001:DB8:1234:5678::/64"
    ));
    assert!(ip_in_cidr("2001:db8::5", "2001:db8::5"));
    assert!(ip_in_cidr("::1", "::/0"));
    assert!(!ip_in_cidr("2001:db8::5", "10.0.0.0/8"));
    assert!(!ip_in_cidr("10.1.1.1", "2001:db8::/32"));
    assert!(
        ip_in_cidr("::ffff:10.1.2.3", "10.0.0.0/8"),
        "IPv4-mapped IPv6"
    );
    assert!(!ip_in_cidr("10.1.2.3", "10.0.0.0/33"));
    assert!(!ip_in_cidr("not-an-ip", "10.0.0.0/8"));
    assert!(!ip_in_cidr("10.1.2.3", "10.0.0.0/x"));
    let v6 = Context::new().with("aws:SourceIp", "2001:db8::5");
    assert!(cond(
        r#"{"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]}}"#,
        &v6
    ));
    assert!(!cond(
        r#"{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]}}"#,
        &v6
    ));
    assert!(cond(
        r#"{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}}"#,
        &v6
    ));
}

#[test]
fn arn_operators_match_per_part() {
    let ctx = Context::new().with(
        "aws:SourceArn",
        "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt",
    );
    let pat = "arn:aws:someservice:*:111122223333:finance/*";
    assert!(
        one("StringLike", "aws:SourceArn", pat, &ctx),
        "StringLike matches across colons"
    );
    assert!(
        !one("ArnLike", "aws:SourceArn", pat, &ctx),
        "ArnLike does not"
    );
    assert!(one("ArnNotLike", "aws:SourceArn", pat, &ctx));
    assert!(one(
        "ArnEquals",
        "aws:SourceArn",
        "arn:aws:someservice:us-east-2:*:store/*",
        &ctx
    ));
    assert!(!one(
        "ArnEquals",
        "aws:SourceArn",
        "arn:aws:SomeService:us-east-2:*:store/*",
        &ctx
    ));
}

#[test]
fn set_operators_with_negated_operators() {
    let ctx = multi(&["a", "b"]);
    // Every value must differ from all policy values.
    assert!(!one("ForAllValues:StringNotEquals", "k", "a", &ctx));
    assert!(one("ForAllValues:StringNotEquals", "k", "c", &ctx));
    // Some value must differ from all policy values.
    assert!(one("ForAnyValue:StringNotEquals", "k", "a", &ctx));
    assert!(!cond(
        r#"{"ForAnyValue:StringNotEquals": {"k": ["a", "b"]}}"#,
        &ctx
    ));
    // Documented examples.
    let tags = Context::new().with_multi("aws:TagKeys", ["a", "tmp-1"]);
    assert!(!one(
        "ForAnyValue:StringLike",
        "aws:TagKeys",
        "temp-*",
        &tags
    ));
    assert!(one("ForAnyValue:StringLike", "aws:TagKeys", "tmp-*", &tags));
    let via = Context::new().with_multi(
        "aws:CalledVia",
        ["cloudformation.amazonaws.com", "athena.amazonaws.com"],
    );
    assert!(!one(
        "ForAllValues:StringEquals",
        "aws:CalledVia",
        "athena.amazonaws.com",
        &via
    ));
    assert!(cond(
        r#"{"ForAllValues:StringEquals": {"aws:CalledVia": ["athena.amazonaws.com", "cloudformation.amazonaws.com"]}}"#,
        &via
    ));
    // A single-valued key under a set operator is a set of one.
    assert!(one("ForAnyValue:StringEquals", "k", "x", &single("x")));
    assert!(one("ForAllValues:StringEquals", "k", "x", &single("x")));
}

#[test]
fn unknown_operators_never_hold() {
    let ctx = single("x");
    assert!(!one("StringEqualz", "k", "x", &ctx));
    assert!(!one("NullIfExists", "k", "true", &ctx));
}

#[test]
fn policy_variables_in_condition_values() {
    let ctx = Context::new()
        .with("aws:username", "alice")
        .with("s3:prefix", "home/alice/docs")
        .with("owner", "alice")
        .with("literal", "${aws:username}")
        .with("star", "a*b")
        .with("aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:alice")
        .with("region", "us-east-1")
        .with("n", "5")
        .with_multi("aws:TagKeys", ["x"]);
    assert!(one("StringEquals", "owner", "${aws:username}", &ctx));
    assert!(one(
        "StringLike",
        "s3:prefix",
        "home/${aws:username}/*",
        &ctx
    ));
    assert!(
        !one(
            "StringLike",
            "s3:prefix",
            "home/${aws:PrincipalTag/x}/*",
            &ctx
        ),
        "unresolved"
    );
    assert!(
        one(
            "StringLike",
            "s3:prefix",
            "home/${aws:PrincipalTag/x, 'alice'}/*",
            &ctx
        ),
        "default"
    );
    assert!(one(
        "StringEqualsIgnoreCase",
        "owner",
        "${AWS:USERNAME}",
        &ctx
    ));
    assert!(one(
        "ArnLike",
        "aws:SourceArn",
        "arn:aws:sns:${region}:*:${aws:username}",
        &ctx
    ));
    assert!(one("StringEquals", "star", "a${*}b", &ctx));
    assert!(!one("StringLike", "star", "a${*}c", &ctx));
    assert!(
        one("StringLike", "star", "a${*}*", &ctx),
        "escape literal, then a wildcard"
    );
    // Inverted operators match a variable with no value.
    assert!(one(
        "StringNotEquals",
        "owner",
        "${aws:PrincipalTag/x}",
        &ctx
    ));
    assert!(!one("StringNotEquals", "owner", "${aws:username}", &ctx));
    // A multivalued key is not a variable.
    assert!(!one("StringEquals", "owner", "${aws:TagKeys}", &ctx));
    // 2008-10-17: `${...}` is plain text.
    let c = r#"{"StringEquals": {"literal": "${aws:username}"}}"#;
    assert!(cond_v("2008-10-17", c, &ctx));
    assert!(!cond_v("2012-10-17", c, &ctx));
    let c = r#"{"StringEquals": {"owner": "${aws:username}"}}"#;
    assert!(!cond_v("2008-10-17", c, &ctx));
    // No variables in numeric values.
    let ctx = ctx.with("five", "5");
    assert!(!one("NumericEquals", "n", "${five}", &ctx));
}
