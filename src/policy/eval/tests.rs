//! Decision paths of the evaluator, one documented rule per test.

use super::*;
use crate::policy::lower::parse_policy;
use Outcome::{Allowed, ExplicitDeny, ImplicitDeny};

const ACCT: &str = "111122223333";
const OTHER: &str = "444455556666";
const ALICE: &str = "arn:aws:iam::111122223333:user/alice";
const ERIN: &str = "arn:aws:iam::444455556666:user/erin";
const ROLE: &str = "arn:aws:iam::111122223333:role/Dev";
const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/Dev/alice-session";
const OBJECT: &str = "arn:aws:s3:::corp-data/reports/q1.csv";
const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn p(text: &str) -> Policy {
    let parsed = parse_policy(text);
    parsed
        .policy
        .unwrap_or_else(|| panic!("{:?}", parsed.findings))
}

/// A 2012-10-17 policy with one statement (a JSON object body without braces).
fn stmt(body: &str) -> Policy {
    p(&format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{{body}}}]}}"#
    ))
}

fn allow(action: &str, resource: &str) -> Policy {
    stmt(&format!(
        r#""Effect": "Allow", "Action": "{action}", "Resource": "{resource}""#
    ))
}

fn deny(action: &str, resource: &str) -> Policy {
    stmt(&format!(
        r#""Sid": "NoWay", "Effect": "Deny", "Action": "{action}", "Resource": "{resource}""#
    ))
}

/// A resource-based policy allowing `action` to one principal (`AWS` value).
fn grant(principal: &str, action: &str) -> Policy {
    stmt(&format!(
        r#""Sid": "Grant", "Effect": "Allow", "Principal": {{"AWS": "{principal}"}}, "Action": "{action}", "Resource": "*""#
    ))
}

fn req(principal: &str, action: &str, resource: &str) -> Request {
    Request::new(principal, action, resource).with_resource_account(ACCT)
}

fn get_object(principal: &str) -> Request {
    req(principal, "s3:GetObject", OBJECT)
}

fn sources(d: &Decision) -> Vec<PolicySource> {
    d.deciding.iter().map(|r| r.source).collect()
}

/// Evaluates `r` against `set`, asserting the outcome and that the reason contains
/// `reason_part` (empty: any reason).
#[track_caller]
fn check(set: &PolicySet<'_>, r: &Request, outcome: Outcome, reason_part: &str) -> Decision {
    let d = evaluate(set, r);
    assert_outcome(&d, outcome, reason_part);
    d
}

#[track_caller]
fn assert_outcome(d: &Decision, outcome: Outcome, reason_part: &str) {
    assert_eq!(d.outcome, outcome, "{}", d.reason);
    assert!(
        d.reason.contains(reason_part),
        "reason {:?} lacks {reason_part:?}",
        d.reason
    );
}

/// Evaluates each case, `set, request => outcome`, naming the case when the outcome differs.
macro_rules! outcomes {
    ($($set:expr, $r:expr => $outcome:expr;)+) => {
        $(
            let d = evaluate(&$set, &$r);
            let case = concat!(stringify!($set), " for ", stringify!($r));
            assert_eq!(d.outcome, $outcome, "{case}: {}", d.reason);
        )+
    };
}

// --- explicit deny -------------------------------------------------------------------------

#[test]
fn explicit_deny_in_every_layer() {
    let everything = allow("*", "*");
    let no = deny("s3:GetObject", "*");
    let bucket_deny =
        stmt(r#""Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*""#);
    let r = get_object(SESSION);
    let base = || PolicySet::new().identity(&everything);
    let cases: Vec<(PolicySet<'_>, PolicySource)> = vec![
        (base().identity(&no), PolicySource::Identity(1)),
        (base().resource(&bucket_deny), PolicySource::Resource),
        (base().boundary(&no), PolicySource::Boundary),
        (base().scp(&everything).scp(&no), PolicySource::Scp(1)),
        (base().session(&no), PolicySource::Session),
    ];
    for (set, source) in &cases {
        let d = check(set, &r, ExplicitDeny, "explicitly denies s3:GetObject");
        assert_eq!(sources(&d), [*source]);
    }
}

#[test]
fn every_matching_deny_is_listed_and_deny_beats_a_direct_grant() {
    let everything = allow("*", "*");
    let d1 = deny("s3:*", "*");
    let d2 = deny("s3:Get*", "arn:aws:s3:::corp-data/*");
    let direct = grant(ALICE, "s3:GetObject");
    let set = PolicySet::new()
        .identity(&everything)
        .identity(&d1)
        .identity(&d2)
        .resource(&direct);
    let d = evaluate(&set, &get_object(ALICE));
    assert_outcome(&d, ExplicitDeny, "(and 1 more Deny statement)");
    assert_eq!(
        sources(&d),
        [PolicySource::Identity(1), PolicySource::Identity(2)]
    );
    assert_eq!(d.deciding[0].sid.as_deref(), Some("NoWay"));
    assert!(
        d.reason
            .starts_with("statement `NoWay` of identity policy 2"),
        "{}",
        d.reason
    );
}

#[test]
fn deciding_spans_point_at_statements() {
    let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}, {"Sid": "Get", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
    let policy = p(text);
    let d = evaluate(&PolicySet::new().identity(&policy), &get_object(ALICE));
    assert_outcome(
        &d,
        Allowed,
        "statement `Get` of identity policy 1 allows s3:GetObject",
    );
    let r = &d.deciding[0];
    assert_eq!(
        (r.source, r.statement_index),
        (PolicySource::Identity(0), 1)
    );
    assert!(text[r.span.start..r.span.end].starts_with(r#"{"Sid": "Get""#));
}

// --- SCPs ----------------------------------------------------------------------------------

#[test]
fn every_scp_level_must_allow() {
    let everything = allow("*", "*");
    let s3 = allow("s3:*", "*");
    let ec2 = allow("ec2:*", "*");
    let r = get_object(ALICE);
    let ok = PolicySet::new()
        .identity(&everything)
        .scp(&everything)
        .scp(&s3);
    let d = check(&ok, &r, Allowed, "allows s3:GetObject");
    assert_eq!(
        sources(&d),
        [
            PolicySource::Identity(0),
            PolicySource::Scp(0),
            PolicySource::Scp(1)
        ]
    );
    let blocked = PolicySet::new()
        .identity(&everything)
        .scp(&everything)
        .scp(&ec2)
        .scp(&s3);
    let d = evaluate(&blocked, &r);
    assert_outcome(&d, ImplicitDeny, "no SCP at level 2 allows s3:GetObject");
    let d = evaluate(&PolicySet::new().identity(&everything).scp(&ec2), &r);
    assert_outcome(
        &d,
        ImplicitDeny,
        "no SCP at level 1 (the organization root) allows",
    );
}

#[test]
fn scps_limit_resource_policy_grants_too() {
    let direct = grant(ALICE, "s3:GetObject");
    let ec2 = allow("ec2:*", "*");
    let d = evaluate(
        &PolicySet::new().resource(&direct).scp(&ec2),
        &get_object(ALICE),
    );
    assert_outcome(&d, ImplicitDeny, "no SCP at level 1");
}

// --- same account: identity and resource policies -------------------------------------------

#[test]
fn identity_allow_alone_suffices_in_one_account() {
    let a = allow("s3:GetObject", "arn:aws:s3:::corp-data/*");
    outcomes! { PolicySet::new().identity(&a), get_object(ALICE) => Allowed; }
    let d = evaluate(&PolicySet::new(), &get_object(ALICE));
    assert_outcome(
        &d,
        ImplicitDeny,
        "no identity-based policy allows s3:GetObject on",
    );
    assert!(d.deciding.is_empty());
}

#[test]
fn resource_allow_alone_suffices_in_one_account() {
    for principal in [ALICE, SESSION] {
        let direct = grant(principal, "s3:GetObject");
        let d = evaluate(&PolicySet::new().resource(&direct), &get_object(principal));
        assert_outcome(&d, Allowed, "directly");
        assert_eq!(sources(&d), [PolicySource::Resource]);
    }
    // A role ARN grants to the role's sessions.
    let to_role = grant(ROLE, "s3:GetObject");
    let d = evaluate(&PolicySet::new().resource(&to_role), &get_object(SESSION));
    assert_outcome(&d, Allowed, "for the role");
    // Principal "*" grants to everyone, directly.
    let public = stmt(
        r#""Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::corp-data/*""#,
    );
    outcomes! { PolicySet::new().resource(&public), get_object(ALICE) => Allowed; }
    // A grant to somebody else does nothing.
    let other = grant("arn:aws:iam::111122223333:user/bob", "s3:GetObject");
    let d = evaluate(&PolicySet::new().resource(&other), &get_object(ALICE));
    assert_outcome(
        &d,
        ImplicitDeny,
        "no identity-based or resource-based policy allows",
    );
}

#[test]
fn account_principal_delegates_and_does_not_grant_alone() {
    for form in [ACCT, "arn:aws:iam::111122223333:root"] {
        let to_account = grant(form, "s3:GetObject");
        let d = evaluate(&PolicySet::new().resource(&to_account), &get_object(ALICE));
        assert_outcome(&d, ImplicitDeny, "only delegates to the account");
        assert_eq!(
            sources(&d),
            [PolicySource::Resource],
            "the delegating statement is the closest info"
        );
        let id = allow("s3:GetObject", "*");
        let d = evaluate(
            &PolicySet::new().identity(&id).resource(&to_account),
            &get_object(ALICE),
        );
        assert_eq!(d.outcome, Allowed);
    }
}

// --- boundaries and session policies ---------------------------------------------------------

#[test]
fn boundary_limits_identity_policies() {
    let id = allow("s3:*", "*");
    let ec2_only = allow("ec2:*", "*");
    let s3_only = allow("s3:*", "*");
    let d = check(
        &PolicySet::new().identity(&id).boundary(&ec2_only),
        &get_object(ALICE),
        ImplicitDeny,
        "the permissions boundary does not allow s3:GetObject",
    );
    assert_eq!(sources(&d), [PolicySource::Identity(0)]);
    let d = evaluate(
        &PolicySet::new().identity(&id).boundary(&s3_only),
        &get_object(ALICE),
    );
    assert_outcome(&d, Allowed, "within the permissions boundary");
    assert_eq!(
        sources(&d),
        [PolicySource::Identity(0), PolicySource::Boundary]
    );
    // A boundary grants nothing on its own.
    let d = evaluate(&PolicySet::new().boundary(&s3_only), &get_object(ALICE));
    assert_outcome(&d, ImplicitDeny, "no identity-based policy allows");
}

#[test]
fn session_policy_limits_identity_policies() {
    let id = allow("*", "*");
    let corp_data = allow("s3:*", "arn:aws:s3:::corp-data/*");
    let logs = req(SESSION, "s3:GetObject", "arn:aws:s3:::corp-logs/app.log");
    let d = evaluate(&PolicySet::new().identity(&id).session(&corp_data), &logs);
    assert_outcome(&d, ImplicitDeny, "the session policy does not allow");
    let d = evaluate(
        &PolicySet::new().identity(&id).session(&corp_data),
        &get_object(SESSION),
    );
    assert_outcome(&d, Allowed, "within the session policy");
    assert_eq!(
        sources(&d),
        [PolicySource::Identity(0), PolicySource::Session]
    );
    // Boundary and session policy together: all three must allow.
    let ec2 = allow("ec2:*", "*");
    check(
        &PolicySet::new()
            .identity(&id)
            .boundary(&ec2)
            .session(&corp_data),
        &get_object(SESSION),
        ImplicitDeny,
        "permissions boundary",
    );
    check(
        &PolicySet::new()
            .identity(&id)
            .boundary(&id)
            .session(&corp_data),
        &get_object(SESSION),
        Allowed,
        "within the permissions boundary and the session policy",
    );
}

#[test]
fn federated_user_needs_a_session_policy() {
    let fed = "arn:aws:sts::111122223333:federated-user/bob";
    let id = allow("*", "*");
    let d = evaluate(&PolicySet::new().identity(&id), &get_object(fed));
    assert_outcome(
        &d,
        ImplicitDeny,
        "federated user session without a session policy",
    );
    let d = evaluate(
        &PolicySet::new().identity(&id).session(&id),
        &get_object(fed),
    );
    assert_eq!(d.outcome, Allowed);
    // A grant naming the federated-user session directly is not limited.
    let direct = grant(fed, "s3:GetObject");
    outcomes! { PolicySet::new().resource(&direct), get_object(fed) => Allowed; }
}

#[test]
fn user_arn_grant_is_not_limited_by_the_boundary() {
    let ec2 = allow("ec2:*", "*");
    let direct = grant(ALICE, "s3:GetObject");
    let d = evaluate(
        &PolicySet::new().resource(&direct).boundary(&ec2),
        &get_object(ALICE),
    );
    assert_outcome(&d, Allowed, "directly");
    assert_eq!(sources(&d), [PolicySource::Resource]);
}

#[test]
fn session_arn_grant_is_not_limited_by_boundary_or_session_policy() {
    let ec2 = allow("ec2:*", "*");
    let direct = grant(SESSION, "s3:GetObject");
    let set = PolicySet::new()
        .resource(&direct)
        .boundary(&ec2)
        .session(&ec2);
    check(&set, &get_object(SESSION), Allowed, "directly");
}

#[test]
fn role_arn_grant_is_limited_by_boundary_and_session_policy() {
    let ec2 = allow("ec2:*", "*");
    let s3 = allow("s3:*", "*");
    let to_role = grant(ROLE, "s3:GetObject");
    let r = get_object(SESSION);
    let d = evaluate(&PolicySet::new().resource(&to_role).boundary(&ec2), &r);
    assert_outcome(
        &d,
        ImplicitDeny,
        "allows the role, but the permissions boundary does not allow",
    );
    let d = evaluate(&PolicySet::new().resource(&to_role).session(&ec2), &r);
    assert_outcome(
        &d,
        ImplicitDeny,
        "allows the role, but the session policy does not allow",
    );
    // Not by the identity-based policies: the boundary and session policy allowing is enough.
    let d = check(
        &PolicySet::new()
            .resource(&to_role)
            .boundary(&s3)
            .session(&s3),
        &r,
        Allowed,
        "for the role within the permissions boundary and the session policy",
    );
    assert_eq!(
        sources(&d),
        [
            PolicySource::Resource,
            PolicySource::Boundary,
            PolicySource::Session
        ]
    );
}

// --- cross account -------------------------------------------------------------------------

#[test]
fn cross_account_needs_both_sides() {
    let id = allow("s3:GetObject", "*");
    let to_erin = grant(ERIN, "s3:GetObject");
    let r = get_object(ERIN);
    let d = evaluate(&PolicySet::new().identity(&id), &r);
    assert_outcome(&d, ImplicitDeny, "has no resource-based policy");
    let d = evaluate(&PolicySet::new().resource(&to_erin), &r);
    assert_outcome(
        &d,
        ImplicitDeny,
        "cross-account request: no identity-based policy allows",
    );
    let d = evaluate(&PolicySet::new().identity(&id).resource(&to_erin), &r);
    assert_outcome(&d, Allowed, "cross-account");
    assert_eq!(
        sources(&d),
        [PolicySource::Resource, PolicySource::Identity(0)]
    );
    // The account principal suffices for the resource side.
    let to_account = grant(OTHER, "s3:GetObject");
    outcomes! { PolicySet::new().identity(&id).resource(&to_account), r => Allowed; }
    // A grant to a third account does not.
    let to_third = grant("777788889999", "s3:GetObject");
    let d = evaluate(&PolicySet::new().identity(&id).resource(&to_third), &r);
    assert_outcome(&d, ImplicitDeny, "does not grant s3:GetObject to");
    // The identity side includes the boundary.
    let ec2 = allow("ec2:*", "*");
    check(
        &PolicySet::new()
            .identity(&id)
            .boundary(&ec2)
            .resource(&to_erin),
        &r,
        ImplicitDeny,
        "permissions boundary",
    );
}

#[test]
fn resource_account_comes_from_the_request_or_the_arn() {
    let id = allow("sqs:*", "*");
    let queue = "arn:aws:sqs:us-east-1:444455556666:jobs";
    // No resource_account: the ARN's account makes this cross-account.
    let r = Request::new(ALICE, "sqs:SendMessage", queue);
    assert_eq!(r.effective_resource_account(), Some(OTHER));
    outcomes! { PolicySet::new().identity(&id), r => ImplicitDeny; }
    // An S3 ARN names no account: same account unless resource_account says otherwise.
    let r = Request::new(ALICE, "sqs:SendMessage", "arn:aws:s3:::b/k");
    outcomes! { PolicySet::new().identity(&id), r => Allowed; }
    let r = r.with_resource_account(OTHER);
    outcomes! { PolicySet::new().identity(&id), r => ImplicitDeny; }
}

// --- KMS key policies and role trust policies ------------------------------------------------

#[test]
fn kms_key_policy_must_allow() {
    let id = allow("kms:Decrypt", "*");
    let r = req(ALICE, "kms:Decrypt", KEY);
    // Without a key policy in the set nothing grants on the key side: IAM alone is not enough.
    let d = evaluate(&PolicySet::new().identity(&id), &r);
    assert_outcome(&d, ImplicitDeny, "key policy");
    // A key policy that does not mention the caller: denied even though IAM allows.
    let other = grant("arn:aws:iam::111122223333:user/bob", "kms:*");
    let d = evaluate(&PolicySet::new().identity(&id).resource(&other), &r);
    assert_outcome(&d, ImplicitDeny, "the key policy does not allow");
    // Delegation to the account root: the identity side must allow too.
    let root = grant("arn:aws:iam::111122223333:root", "kms:*");
    let d = evaluate(&PolicySet::new().identity(&id).resource(&root), &r);
    assert_outcome(&d, Allowed, "the key policy delegates to the account");
    let d = evaluate(&PolicySet::new().resource(&root), &r);
    assert_outcome(
        &d,
        ImplicitDeny,
        "the key policy delegates to the account, but no identity-based policy allows",
    );
    // Naming the user directly needs no IAM policy.
    let direct = grant(ALICE, "kms:Decrypt");
    outcomes! { PolicySet::new().resource(&direct), r => Allowed; }
    // Delegation still passes through the boundary.
    let other_region = allow("kms:*", "arn:aws:kms:us-west-2:111122223333:key/*");
    check(
        &PolicySet::new()
            .identity(&id)
            .resource(&root)
            .boundary(&other_region),
        &r,
        ImplicitDeny,
        "delegates to the account, but the permissions boundary",
    );
}

#[test]
fn role_trust_policy_must_allow() {
    let trust_account = p(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole"}]}"#,
    );
    let trust_alice = p(
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": ["sts:AssumeRole", "sts:TagSession"]}}"#,
    );
    let trust_ec2 = p(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
    );
    let id = allow("sts:AssumeRole", ROLE);
    let r = req(ALICE, "sts:AssumeRole", ROLE);
    // The trust policy names the account: the caller's IAM policy must allow too.
    outcomes! { PolicySet::new().identity(&id).resource(&trust_account), r => Allowed; }
    let d = evaluate(&PolicySet::new().resource(&trust_account), &r);
    assert_outcome(
        &d,
        ImplicitDeny,
        "the role trust policy delegates to the account",
    );
    // Naming the user directly is enough.
    outcomes! { PolicySet::new().resource(&trust_alice), r => Allowed; }
    let tag = req(ALICE, "sts:TagSession", ROLE);
    outcomes! { PolicySet::new().resource(&trust_alice), tag => Allowed; }
    // An IAM allow does not make up for a trust policy that does not name the caller.
    let d = evaluate(&PolicySet::new().identity(&id).resource(&trust_ec2), &r);
    assert_outcome(&d, ImplicitDeny, "the role trust policy does not allow");
    // A service principal.
    let svc = Request::new("ec2.amazonaws.com", "sts:AssumeRole", ROLE);
    outcomes! { PolicySet::new().resource(&trust_ec2), svc => Allowed; }
    // Cross-account: the other account's user needs both its IAM allow and the trust policy.
    let trust_other = p(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}]}"#,
    );
    let x = req(ERIN, "sts:AssumeRole", ROLE);
    outcomes! {
        PolicySet::new().identity(&id).resource(&trust_other), x => Allowed;
        PolicySet::new().resource(&trust_other), x => ImplicitDeny;
    }
    // Other actions on a role are ordinary: an IAM allow is enough.
    let get_role = allow("iam:GetRole", "*");
    let g = req(ALICE, "iam:GetRole", ROLE);
    outcomes! { PolicySet::new().identity(&get_role).resource(&trust_ec2), g => Allowed; }
}

#[test]
fn policy_decision_checks_a_trust_policy_against_a_caller() {
    let trust = p(r#"{"Version": "2012-10-17", "Statement": [
        {"Sid": "Dev", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Dev"}, "Action": "sts:AssumeRole",
         "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}},
        {"Sid": "NoErin", "Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::444455556666:user/erin"}, "Action": "sts:*"}]}"#);
    let r = req(
        SESSION,
        "sts:AssumeRole",
        "arn:aws:iam::111122223333:role/Target",
    )
    .with_key("aws:MultiFactorAuthPresent", "true");
    let d = policy_decision(&trust, &r, PolicySource::Resource);
    assert_eq!(d.outcome, PolicyOutcome::Allow);
    assert_eq!(d.allows.len(), 1);
    assert_eq!(d.allows[0].1, PrincipalGrant::Role);
    assert_eq!(d.allows[0].0.sid.as_deref(), Some("Dev"));
    let no_mfa = req(
        SESSION,
        "sts:AssumeRole",
        "arn:aws:iam::111122223333:role/Target",
    );
    assert_eq!(
        policy_decision(&trust, &no_mfa, PolicySource::Resource).outcome,
        PolicyOutcome::NotApplicable
    );
    let erin = req(
        ERIN,
        "sts:AssumeRole",
        "arn:aws:iam::111122223333:role/Target",
    );
    let d = policy_decision(&trust, &erin, PolicySource::Resource);
    assert_eq!(d.outcome, PolicyOutcome::Deny);
    assert_eq!(d.denies[0].sid.as_deref(), Some("NoErin"));
    // Read as an identity policy, Principal is ignored.
    assert_eq!(
        policy_decision(&trust, &erin, PolicySource::Identity(0)).outcome,
        PolicyOutcome::Deny
    );
    let alice = req(
        ALICE,
        "sts:AssumeRole",
        "arn:aws:iam::111122223333:role/Target",
    );
    assert_eq!(
        policy_decision(&trust, &alice, PolicySource::Resource).outcome,
        PolicyOutcome::NotApplicable
    );
    assert!(statement_applies(
        &trust.statements[1],
        trust.effective_version(),
        &erin,
        PolicySource::Resource
    ));
    assert!(!statement_applies(
        &trust.statements[1],
        trust.effective_version(),
        &alice,
        PolicySource::Resource
    ));
    assert_eq!(
        statement_match(
            &trust.statements[0],
            trust.effective_version(),
            &r,
            PolicySource::Resource
        ),
        Some(PrincipalGrant::Role)
    );
}

// --- root user -----------------------------------------------------------------------------

#[test]
fn root_user_needs_no_identity_policy_but_obeys_scps_and_denies() {
    let root = "arn:aws:iam::111122223333:root";
    let d = evaluate(&PolicySet::new(), &get_object(root));
    assert_outcome(&d, Allowed, "account root user");
    let ec2 = allow("ec2:*", "*");
    outcomes! { PolicySet::new().scp(&ec2), get_object(root) => ImplicitDeny; }
    let no = deny("s3:*", "*");
    let bucket = stmt(r#""Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*""#);
    outcomes! {
        PolicySet::new().resource(&bucket), get_object(root) => ExplicitDeny;
        PolicySet::new().identity(&no), get_object(root) => ExplicitDeny;
    }
}

// --- statement matching --------------------------------------------------------------------

#[test]
fn actions_ignore_case_resources_do_not() {
    let a = allow("S3:GET*", "arn:aws:s3:::corp-data/*");
    outcomes! { PolicySet::new().identity(&a), get_object(ALICE) => Allowed; }
    let a = allow("iam:PassRole", "arn:aws:iam::111122223333:role/dev");
    let r = req(ALICE, "iam:PassRole", ROLE);
    outcomes! { PolicySet::new().identity(&a), r => ImplicitDeny; }
    let a = allow("s3:*", "arn:aws:s3:::corp-data/*.csv");
    outcomes! { PolicySet::new().identity(&a), get_object(ALICE) => Allowed; }
    let a = allow("s3:Get?bject", "*");
    outcomes! { PolicySet::new().identity(&a), get_object(ALICE) => Allowed; }
}

#[test]
fn not_action_and_not_resource() {
    let not_iam = stmt(r#""Effect": "Allow", "NotAction": "IAM:*", "Resource": "*""#);
    let set = PolicySet::new().identity(&not_iam);
    outcomes! {
        set, get_object(ALICE) => Allowed;
        set, req(ALICE, "iam:GetUser", ALICE) => ImplicitDeny;
    }
    let all = allow("dynamodb:*", "*");
    let outside = stmt(
        r#""Effect": "Deny", "Action": "dynamodb:*", "NotResource": "arn:aws:dynamodb:us-east-1:111122223333:table/*""#,
    );
    let set = PolicySet::new().identity(&all).identity(&outside);
    let inside = req(
        ALICE,
        "dynamodb:GetItem",
        "arn:aws:dynamodb:us-east-1:111122223333:table/Orders",
    );
    outcomes! { set, inside => Allowed; }
    let elsewhere = req(
        ALICE,
        "dynamodb:GetItem",
        "arn:aws:dynamodb:eu-west-1:111122223333:table/Orders",
    );
    outcomes! { set, elsewhere => ExplicitDeny; }
}

#[test]
fn wildcard_only_actions_and_missing_elements() {
    let list = allow("s3:ListAllMyBuckets", "*");
    let r = req(ALICE, "s3:ListAllMyBuckets", "*");
    outcomes! { PolicySet::new().identity(&list), r => Allowed; }
    let scoped = allow("s3:ListAllMyBuckets", "arn:aws:s3:::*");
    outcomes! { PolicySet::new().identity(&scoped), r => ImplicitDeny; }
    // No Action: the statement applies to nothing; no Effect: likewise.
    let no_action = stmt(r#""Effect": "Allow", "Resource": "*""#);
    outcomes! { PolicySet::new().identity(&no_action), get_object(ALICE) => ImplicitDeny; }
    let no_effect = stmt(r#""Action": "*", "Resource": "*""#);
    outcomes! { PolicySet::new().identity(&no_effect), get_object(ALICE) => ImplicitDeny; }
    // No Resource: every resource (as in trust policies).
    let no_resource = stmt(r#""Effect": "Allow", "Action": "s3:GetObject""#);
    outcomes! { PolicySet::new().identity(&no_resource), get_object(ALICE) => Allowed; }
    // A resource-policy statement without Principal names nobody.
    let no_principal = stmt(r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": "*""#);
    outcomes! { PolicySet::new().resource(&no_principal), get_object(ALICE) => ImplicitDeny; }
    // Principal in an identity policy is ignored.
    let with_principal = stmt(
        r#""Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999999999999:user/x"}, "Action": "s3:*", "Resource": "*""#,
    );
    outcomes! { PolicySet::new().identity(&with_principal), get_object(ALICE) => Allowed; }
}

#[test]
fn not_principal_deny_spares_only_the_listed() {
    let bucket = stmt(
        r#""Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:root"]}, "Action": "s3:*", "Resource": "*""#,
    );
    let id = allow("s3:*", "*");
    let set = PolicySet::new().identity(&id).resource(&bucket);
    outcomes! {
        set, get_object(ALICE) => Allowed;
        set, get_object(ERIN) => ExplicitDeny;
    }
    // Bob's account is listed but Bob is not: the account entry does not exempt its users.
    let bob = "arn:aws:iam::111122223333:user/bob";
    outcomes! { set, get_object(bob) => ExplicitDeny; }
    // Neither the role nor the session is listed.
    outcomes! { set, get_object(SESSION) => ExplicitDeny; }
    // With a permissions boundary attached, NotPrincipal with Deny denies whatever it lists.
    let with_boundary = PolicySet::new()
        .identity(&id)
        .resource(&bucket)
        .boundary(&id);
    let d = evaluate(&with_boundary, &get_object(ALICE));
    assert_outcome(
        &d,
        ExplicitDeny,
        "statement 1 of the resource-based policy explicitly denies",
    );
}

#[test]
fn not_principal_with_allow_grants_nothing() {
    let everyone_but_bob = stmt(
        r#""Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/bob"}, "Action": "s3:*", "Resource": "*""#,
    );
    check(
        &PolicySet::new().resource(&everyone_but_bob),
        &get_object(ALICE),
        ImplicitDeny,
        "no identity-based or resource-based policy allows",
    );
}

#[test]
fn conditions_decide_whether_statements_apply() {
    let only_tls = stmt(
        r#""Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}"#,
    );
    let deny_outside = stmt(
        r#""Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#,
    );
    let set = PolicySet::new().identity(&only_tls).identity(&deny_outside);
    let inside = get_object(ALICE)
        .with_key("aws:SecureTransport", "true")
        .with_key("aws:SourceIp", "10.1.2.3");
    outcomes! { set, inside => Allowed; }
    let outside = inside.clone().with_key("aws:SourceIp", "192.0.2.1");
    outcomes! { set, outside => ExplicitDeny; }
    let plain = inside.clone().with_key("aws:SecureTransport", "false");
    outcomes! { set, plain => ImplicitDeny; }
    // No context key: the negated operator holds, so the Deny applies.
    let unknown = get_object(ALICE).with_key("aws:SecureTransport", "true");
    outcomes! { set, unknown => ExplicitDeny; }
}

// --- policy variables ----------------------------------------------------------------------

fn self_service(version: &str) -> Policy {
    p(&format!(
        r#"{{"Version": "{version}", "Statement": [{{"Effect": "Allow", "Action": "iam:*AccessKey*", "Resource": "arn:aws:iam::111122223333:user/${{aws:username}}"}}]}}"#
    ))
}

#[test]
fn variables_in_resources() {
    let policy = self_service("2012-10-17");
    let own = req(ALICE, "iam:CreateAccessKey", ALICE).with_key("aws:username", "alice");
    outcomes! { PolicySet::new().identity(&policy), own => Allowed; }
    let bobs = req(
        ALICE,
        "iam:CreateAccessKey",
        "arn:aws:iam::111122223333:user/bob",
    )
    .with_key("aws:username", "alice");
    outcomes! { PolicySet::new().identity(&policy), bobs => ImplicitDeny; }
    // Without the key the resource matches nothing.
    let no_key = req(ALICE, "iam:CreateAccessKey", ALICE);
    outcomes! { PolicySet::new().identity(&policy), no_key => ImplicitDeny; }
    // 2008-10-17 and a missing Version: `${…}` is literal text.
    for v in ["2008-10-17", ""] {
        let old = self_service(v);
        assert_eq!(
            evaluate(&PolicySet::new().identity(&old), &own).outcome,
            ImplicitDeny,
            "{v}"
        );
        let literal = req(
            ALICE,
            "iam:CreateAccessKey",
            "arn:aws:iam::111122223333:user/${aws:username}",
        );
        assert_eq!(
            evaluate(&PolicySet::new().identity(&old), &literal).outcome,
            Allowed,
            "{v}"
        );
    }
}

#[test]
fn variable_defaults_escapes_and_literal_values() {
    let team = allow(
        "s3:GetObject",
        "arn:aws:s3:::bucket-${aws:PrincipalTag/team, 'company-wide'}/*",
    );
    let set = PolicySet::new().identity(&team);
    let tagged = req(ALICE, "s3:GetObject", "arn:aws:s3:::bucket-yellow/x")
        .with_key("aws:PrincipalTag/team", "yellow");
    outcomes! { set, tagged => Allowed; }
    let untagged = req(ALICE, "s3:GetObject", "arn:aws:s3:::bucket-company-wide/x");
    outcomes! { set, untagged => Allowed; }
    let wrong = req(ALICE, "s3:GetObject", "arn:aws:s3:::bucket-yellow/x");
    outcomes! { set, wrong => ImplicitDeny; }

    let escaped = allow("s3:GetObject", "arn:aws:s3:::corp-data/what${?}");
    let set = PolicySet::new().identity(&escaped);
    assert_eq!(
        evaluate(
            &set,
            &req(ALICE, "s3:GetObject", "arn:aws:s3:::corp-data/what?")
        )
        .outcome,
        Allowed
    );
    outcomes! { set, req(ALICE, "s3:GetObject", "arn:aws:s3:::corp-data/whatX") => ImplicitDeny; }
    let dollar_star = allow("s3:GetObject", "arn:aws:s3:::b/${$}${*}");
    let set = PolicySet::new().identity(&dollar_star);
    outcomes! {
        set, req(ALICE, "s3:GetObject", "arn:aws:s3:::b/$*") => Allowed;
        set, req(ALICE, "s3:GetObject", "arn:aws:s3:::b/$x") => ImplicitDeny;
    }

    // A substituted value is literal: a `*` in it is not a wildcard.
    let home = allow("s3:*", "arn:aws:s3:::home/${aws:username}/*");
    let set = PolicySet::new().identity(&home);
    let sneaky =
        |resource: &str| req(ALICE, "s3:GetObject", resource).with_key("aws:username", "*");
    outcomes! {
        set, sneaky("arn:aws:s3:::home/bob/x") => ImplicitDeny;
        set, sneaky("arn:aws:s3:::home/*/x") => Allowed;
    }
    // A multivalued key is no variable.
    let multi = req(ALICE, "s3:GetObject", "arn:aws:s3:::home/a/x")
        .with_context(Context::new().with_multi("aws:username", ["a"]));
    outcomes! { set, multi => ImplicitDeny; }
    // Variables stand only in the resource part of an ARN.
    let in_account = allow("s3:*", "arn:aws:sqs:us-east-1:${aws:PrincipalAccount}:q");
    let r = req(
        ALICE,
        "sqs:SendMessage",
        "arn:aws:sqs:us-east-1:111122223333:q",
    )
    .with_key("aws:PrincipalAccount", ACCT);
    outcomes! { PolicySet::new().identity(&in_account), r => ImplicitDeny; }
    // NotResource with a variable that has no value: the entry matches nothing.
    let deny_others = stmt(
        r#""Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::home/${aws:username}/*""#,
    );
    let all = allow("s3:*", "*");
    let set = PolicySet::new().identity(&all).identity(&deny_others);
    let mine =
        req(ALICE, "s3:GetObject", "arn:aws:s3:::home/alice/x").with_key("aws:username", "alice");
    outcomes! { set, mine => Allowed; }
    let anonymous = req(ALICE, "s3:GetObject", "arn:aws:s3:::home/alice/x");
    outcomes! { set, anonymous => ExplicitDeny; }
}

#[test]
fn request_builders_and_outcome_text() {
    let r = Request::new(ALICE, "s3:GetObject", OBJECT)
        .with_resource_account(ACCT)
        .with_context(Context::new().with("a", "1"))
        .with_key("b", "2");
    assert_eq!(r.context.len(), 2);
    assert_eq!(r.effective_resource_account(), Some(ACCT));
    for o in [Allowed, ExplicitDeny, ImplicitDeny] {
        assert_eq!(o.to_string().parse::<Outcome>(), Ok(o));
    }
    assert!("allowed".parse::<Outcome>().is_err());
    let r = StatementRef {
        source: PolicySource::Scp(2),
        statement_index: 4,
        sid: None,
        span: crate::policy::json::Span::default(),
    };
    assert_eq!(r.to_string(), "statement 5 of the SCP at level 3");
}
