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
        let all_if_exists = format!("{all}IfExists");
        check(&all_if_exists, &empty, true, "with the key missing");
        // ForAnyValue: some request value must hold; missing or empty is false.
        let any = format!("ForAnyValue:{name}");
        check(&any, &multi(&[no, yes]), true, "one holds");
        check(&any, &multi(&[no, no]), false, "none holds");
        check(&any, &empty, false, "with the key missing");
        check(&any, &empty_list, false, "with an empty set");
        let any_if_exists = format!("{any}IfExists");
        check(&any_if_exists, &empty, true, "with the key missing");
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

/// Asserts that each case, `Operator key policy-value`, holds in `ctx`, or after a `!` that it
/// does not.
#[track_caller]
fn check(ctx: &Context, cases: &[&str]) {
    for case in cases {
        let (want, text) = match case.strip_prefix('!') {
            Some(text) => (false, text),
            None => (true, *case),
        };
        let mut parts = text.splitn(3, ' ');
        let mut next = || {
            parts
                .next()
                .unwrap_or_else(|| panic!("a malformed case: {case}"))
        };
        let (op, key, value) = (next(), next(), next());
        assert_eq!(one(op, key, value, ctx), want, "{case}");
    }
}

/// Asserts that [`cond`] gives `want` in `ctx` for each Condition element.
#[track_caller]
fn check_conds(ctx: &Context, want: bool, conditions: &[&str]) {
    for condition in conditions {
        assert_eq!(cond(condition, ctx), want, "{condition}");
    }
}

#[test]
fn values_are_ored_keys_and_operators_anded() {
    let ctx = Context::new()
        .with("aws:PrincipalTag/team", "data")
        .with("aws:RequestedRegion", "us-east-1");
    assert!(one("StringEquals", "aws:PrincipalTag/team", "data", &ctx));
    check_conds(
        &ctx,
        true,
        &[
            r#"{"StringEquals": {"aws:PrincipalTag/team": ["eng", "data"]}}"#,
            r#"{"StringEquals": {"aws:PrincipalTag/team": "data", "aws:RequestedRegion": "us-east-1"}}"#,
            // An empty Condition holds.
            r#"{}"#,
            // Negated operators with several values: none may match (a logical AND).
            r#"{"StringNotEquals": {"aws:PrincipalTag/team": ["eng", "ops"]}}"#,
        ],
    );
    check_conds(
        &ctx,
        false,
        &[
            r#"{"StringEquals": {"aws:PrincipalTag/team": ["eng", "ops"]}}"#,
            r#"{"StringEquals": {"aws:PrincipalTag/team": "eng", "aws:RequestedRegion": "us-east-1"}}"#,
            r#"{"StringEquals": {"aws:PrincipalTag/team": "data"}, "StringLike": {"aws:RequestedRegion": "eu-*"}}"#,
            // Negated operators with several values: none may match (a logical AND).
            r#"{"StringNotEquals": {"aws:PrincipalTag/team": ["eng", "data"]}}"#,
        ],
    );
}

#[test]
fn key_names_ignore_case_values_do_not() {
    let ctx = Context::new().with("aws:username", "johndoe");
    check(
        &ctx,
        &[
            "StringEquals AWS:UserName johndoe",
            "!StringEquals aws:username JohnDoe",
            "StringEqualsIgnoreCase aws:username JohnDoe",
        ],
    );
    let ctx = Context::new().with("k", "Straße");
    assert!(one("StringEqualsIgnoreCase", "k", "straße", &ctx));
    assert!(one("StringEqualsIgnoreCase", "k", "STRAßE", &ctx));
}

#[test]
fn string_like_wildcards() {
    let ctx = Context::new().with("aws:RequestedRegion", "us-east-1");
    check(
        &ctx,
        &[
            "StringLike aws:RequestedRegion us-*-1",
            "!StringLike aws:RequestedRegion us-???-1",
            "StringLike aws:RequestedRegion us-????-1",
            // Case-sensitive.
            "!StringLike aws:RequestedRegion US-*",
            // StringEquals has no wildcards.
            "!StringEquals aws:RequestedRegion us-*",
        ],
    );
    let star = Context::new().with("k", "a*");
    assert!(one("StringEquals", "k", "a*", &star));
}

#[test]
fn numbers_compare_exactly() {
    use Ordering::*;
    for (a, b, want) in [
        ("9007199254740993", "9007199254740992", Some(Greater)),
        ("1e3", "1000", Some(Equal)),
        ("-0", "0", Some(Equal)),
        ("0.5", ".5", Some(Equal)),
        ("-2", "-10", Some(Greater)),
        ("-2.5", "1", Some(Less)),
        ("0.05", "0.5", Some(Less)),
        ("100", "99.999", Some(Greater)),
        ("007", "7", Some(Equal)),
        ("abc", "1", None),
        ("1.2.3", "1", None),
        ("", "1", None),
    ] {
        assert_eq!(numeric_cmp(a, b), want, "{a} vs {b}");
    }
    let ctx = Context::new().with("aws:MultiFactorAuthAge", "1200");
    check(
        &ctx,
        &[
            "NumericLessThan aws:MultiFactorAuthAge 3600",
            "!NumericGreaterThan aws:MultiFactorAuthAge 3600",
            "!NumericEquals aws:MultiFactorAuthAge not-a-number",
        ],
    );
    // Numbers written as JSON numbers are read as their text.
    assert!(cond(
        r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": 3600}}"#,
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
    check(
        &ctx,
        &[
            // Equal is not greater.
            "!DateGreaterThan aws:CurrentTime 2024-01-01T00:00:00Z",
            "DateGreaterThanEquals aws:CurrentTime 2024-01-01",
            "DateLessThan aws:CurrentTime 2024-01-01T00:00:00.001Z",
            "!DateEquals aws:CurrentTime garbage",
        ],
    );
}

#[test]
fn bool_binary_null() {
    let ctx = Context::new().with("aws:SecureTransport", "false");
    check(
        &ctx,
        &[
            "Bool aws:SecureTransport false",
            "Bool aws:SecureTransport False",
            "!Bool aws:SecureTransport true",
            "!Bool aws:SecureTransport no",
            // A missing key.
            "!Bool aws:MultiFactorAuthPresent false",
            "BoolIfExists aws:MultiFactorAuthPresent false",
        ],
    );
    assert!(
        cond(r#"{"Bool": {"aws:SecureTransport": false}}"#, &ctx),
        "a JSON boolean"
    );

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
    check(&encoded, &["BinaryEquals k QmluYXJ5VmFsdWVJbkJhc2U2NA=="]);
    assert!(!one("BinaryEquals", "k", "not base64!", &raw));

    let ctx = Context::new()
        .with("aws:TokenIssueTime", "2024-01-01T00:00:00Z")
        .with_multi("aws:TagKeys", Vec::<String>::new())
        .with("blank", "");
    check(
        &ctx,
        &[
            "Null aws:TokenIssueTime false",
            "!Null aws:TokenIssueTime true",
            "Null aws:SourceVpce true",
            "Null aws:SourceVpce TRUE",
            "!Null aws:SourceVpce false",
            // An empty set is null, and so is an empty string.
            "Null aws:TagKeys true",
            "Null blank true",
            "!Null aws:SourceVpce maybe",
        ],
    );
    check_conds(
        &ctx,
        true,
        &[
            r#"{"Null": {"aws:SourceVpce": ["false", "true"]}}"#,
            r#"{"Null": {"aws:SourceVpce": true}}"#,
        ],
    );
}

#[test]
fn ip_addresses_v4_v6() {
    for (ip, cidr, want) in [
        // A plain address is /32.
        ("203.0.113.45", "203.0.113.45", true),
        ("203.0.113.46", "203.0.113.45", false),
        ("203.0.113.200", "203.0.113.0/24", true),
        // Host bits in the block are ignored.
        ("192.168.1.1", "192.168.1.77/24", true),
        ("8.8.8.8", "0.0.0.0/0", true),
        ("2001:db8:1234:5678::1", "2001:DB8:1234:5678::/64", true),
        ("2001:db8:1234:5679::1", "2001:DB8:1234:5678::/64", false),
        ("2001:db8::5", "2001:db8::5", true),
        ("::1", "::/0", true),
        ("2001:db8::5", "10.0.0.0/8", false),
        ("10.1.1.1", "2001:db8::/32", false),
        // IPv4-mapped IPv6.
        ("::ffff:10.1.2.3", "10.0.0.0/8", true),
        ("10.1.2.3", "10.0.0.0/33", false),
        ("not-an-ip", "10.0.0.0/8", false),
        ("10.1.2.3", "10.0.0.0/x", false),
    ] {
        assert_eq!(ip_in_cidr(ip, cidr), want, "{ip} in {cidr}");
    }
    let v6 = Context::new().with("aws:SourceIp", "2001:db8::5");
    check_conds(
        &v6,
        true,
        &[
            r#"{"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]}}"#,
            r#"{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}}"#,
        ],
    );
    assert!(!cond(
        r#"{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]}}"#,
        &v6
    ));
}

#[test]
fn arn_operators_match_per_part() {
    let ctx = Context::new().with(
        "aws:SourceArn",
        "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt",
    );
    check(
        &ctx,
        &[
            // StringLike matches across colons; ArnLike does not.
            "StringLike aws:SourceArn arn:aws:someservice:*:111122223333:finance/*",
            "!ArnLike aws:SourceArn arn:aws:someservice:*:111122223333:finance/*",
            "ArnNotLike aws:SourceArn arn:aws:someservice:*:111122223333:finance/*",
            "ArnEquals aws:SourceArn arn:aws:someservice:us-east-2:*:store/*",
            "!ArnEquals aws:SourceArn arn:aws:SomeService:us-east-2:*:store/*",
        ],
    );
}

#[test]
fn set_operators_with_negated_operators() {
    let ctx = multi(&["a", "b"]);
    check(
        &ctx,
        &[
            // Every value must differ from all policy values.
            "!ForAllValues:StringNotEquals k a",
            "ForAllValues:StringNotEquals k c",
            // Some value must differ from all policy values.
            "ForAnyValue:StringNotEquals k a",
        ],
    );
    assert!(!cond(
        r#"{"ForAnyValue:StringNotEquals": {"k": ["a", "b"]}}"#,
        &ctx
    ));
    // Documented examples.
    let tags = Context::new().with_multi("aws:TagKeys", ["a", "tmp-1"]);
    check(
        &tags,
        &[
            "!ForAnyValue:StringLike aws:TagKeys temp-*",
            "ForAnyValue:StringLike aws:TagKeys tmp-*",
        ],
    );
    let via = Context::new().with_multi(
        "aws:CalledVia",
        ["cloudformation.amazonaws.com", "athena.amazonaws.com"],
    );
    check(
        &via,
        &["!ForAllValues:StringEquals aws:CalledVia athena.amazonaws.com"],
    );
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
    check(
        &ctx,
        &[
            "StringEquals owner ${aws:username}",
            "StringLike s3:prefix home/${aws:username}/*",
            // Unresolved, then with a default.
            "!StringLike s3:prefix home/${aws:PrincipalTag/x}/*",
            "StringLike s3:prefix home/${aws:PrincipalTag/x, 'alice'}/*",
            "StringEqualsIgnoreCase owner ${AWS:USERNAME}",
            "ArnLike aws:SourceArn arn:aws:sns:${region}:*:${aws:username}",
            "StringEquals star a${*}b",
            "!StringLike star a${*}c",
            // Escape literal, then a wildcard.
            "StringLike star a${*}*",
            // Inverted operators match a variable with no value.
            "StringNotEquals owner ${aws:PrincipalTag/x}",
            "!StringNotEquals owner ${aws:username}",
            // A multivalued key is not a variable.
            "!StringEquals owner ${aws:TagKeys}",
        ],
    );
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
