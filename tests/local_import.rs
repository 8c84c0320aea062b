//! Importing a real snapshot: the moto emulator is populated through the AWS backend, the real
//! AWS CLI (`common::awscli`, pinned) takes `aws iam get-account-authorization-details` of it,
//! and the local account imported from that output must show, through the same `Backend` trait,
//! what moto shows.
//!
//! Where the snapshot cannot carry something moto reports, the test says so and pins it:
//! `RoleDetail` has no `Description` nor `MaxSessionDuration` (the import takes them from a
//! role's copy inside an instance profile, when there is one), and moto 5.2.5 leaves
//! `PolicyName` and `PolicyId` out of `Policies` (the name comes from the ARN; the id is made
//! up) and does not keep users' permissions boundaries at all.

mod common;
#[path = "suite/util.rs"]
mod util;

use std::collections::BTreeMap;
use std::sync::Arc;

use common::awscli;
use common::moto::{ACCOUNT_ID, Moto, MotoConfig};
use iamtui::backend::local::LocalBackend;
use iamtui::backend::local::import::{Imported, import_authorization_details};
use iamtui::iam::backend::{all_groups, all_policies, all_roles, all_users};
use iamtui::iam::*;
use serde_json::{Value, json};
use util::{allow, parse, sorted, sorted_tags, tricky_doc};

const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const IAM_READ_ONLY: &str = "arn:aws:iam::aws:policy/IAMReadOnlyAccess";
const LAMBDA_BASIC: &str = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

/// Written by hand, compact and with its keys out of alphabetical order: the import must keep
/// it byte for byte.
const ORDERED_DOC: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"ReadLogs","Effect":"Allow","Action":["logs:GetLogEvents","logs:DescribeLogStreams"],"Resource":"*"}]}"#;

fn trust(principal: Value) -> String {
    json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]
    })
    .to_string()
}

async fn customer_policy(b: &Arc<dyn Backend>, name: &str, path: &str, doc: &str) -> String {
    b.create_policy(CreatePolicy {
        name: name.into(),
        path: Some(path.into()),
        document: doc.into(),
        description: Some(format!("the {name} policy")),
        tags: Vec::new(),
    })
    .await
    .unwrap_or_else(|e| panic!("create policy {name}: {e}"))
    .arn
}

/// The account the snapshot is taken of.
async fn populate(b: &Arc<dyn Backend>, endpoint: &str) {
    // Customer managed policies: one with several versions whose default is not the latest (and
    // a gap where a version was deleted), a boundary, and a plain one.
    let multi = customer_policy(b, "multi", "/team/", &allow("s3:GetObject", "*")).await;
    b.create_policy_version(&multi, &allow("s3:*", "*"), true)
        .await
        .unwrap();
    b.create_policy_version(&multi, &allow("s3:PutObject", "*"), false)
        .await
        .unwrap();
    b.create_policy_version(&multi, ORDERED_DOC, false)
        .await
        .unwrap();
    b.delete_policy_version(&multi, "v3").await.unwrap();
    let boundary = customer_policy(b, "boundary", "/boundaries/", &allow("*", "*")).await;
    let plain = customer_policy(b, "plain", "/", &tricky_doc("Plain")).await;

    // Groups.
    b.create_group("devs", None).await.unwrap();
    b.create_group("ops", Some("/ops/")).await.unwrap();
    b.create_group("empty", Some("/x/y/")).await.unwrap();
    b.put_inline_policy(&EntityRef::group("devs"), "dev-read", ORDERED_DOC)
        .await
        .unwrap();
    b.attach_policy(&EntityRef::group("devs"), &plain)
        .await
        .unwrap();
    b.attach_policy(&EntityRef::group("devs"), IAM_READ_ONLY)
        .await
        .unwrap();
    b.attach_policy(&EntityRef::group("ops"), &multi)
        .await
        .unwrap();

    // Users (moto ignores a boundary given to CreateUser and cannot put one afterwards).
    for (name, path, tags) in [
        (
            "alice",
            "/eng/",
            vec![Tag::new("team", "blue"), Tag::new("env", "dev")],
        ),
        ("bob", "/", vec![]),
        (
            "carol",
            "/contractors/ext/",
            vec![Tag::new("company", "ACME & Sons")],
        ),
    ] {
        b.create_user(CreateUser {
            name: name.into(),
            path: Some(path.into()),
            permissions_boundary: None,
            tags,
        })
        .await
        .unwrap();
    }
    b.add_user_to_group("devs", "alice").await.unwrap();
    b.add_user_to_group("ops", "alice").await.unwrap();
    b.add_user_to_group("devs", "bob").await.unwrap();
    let alice = EntityRef::user("alice");
    b.put_inline_policy(&alice, "own-bucket", &tricky_doc("Own"))
        .await
        .unwrap();
    b.attach_policy(&alice, &multi).await.unwrap();
    b.attach_policy(&alice, READ_ONLY).await.unwrap();
    let carol = EntityRef::user("carol");
    b.put_inline_policy(&carol, "one", &allow("sqs:*", "*"))
        .await
        .unwrap();
    b.put_inline_policy(&carol, "two", &allow("sns:Publish", "arn:aws:sns:*:*:t"))
        .await
        .unwrap();

    // Roles: one in an instance profile, with a boundary; one that is not in a profile.
    b.create_role(CreateRole {
        name: "web".into(),
        path: Some("/service/".into()),
        assume_role_policy: trust(json!({"Service": "ec2.amazonaws.com"})),
        description: Some("web servers".into()),
        max_session_duration: Some(7200),
        permissions_boundary: Some(boundary.clone()),
        tags: vec![Tag::new("app", "web")],
    })
    .await
    .unwrap();
    let web = EntityRef::role("web");
    b.put_inline_policy(&web, "web-inline", &allow("ec2:Describe*", "*"))
        .await
        .unwrap();
    b.attach_policy(&web, &multi).await.unwrap();
    b.attach_policy(&web, READ_ONLY).await.unwrap();
    b.create_role(CreateRole {
        name: "ci".into(),
        path: None,
        assume_role_policy: trust(json!({"AWS": format!("arn:aws:iam::{ACCOUNT_ID}:root")})),
        description: Some("builds".into()),
        max_session_duration: Some(10800),
        permissions_boundary: None,
        tags: vec![],
    })
    .await
    .unwrap();
    b.create_role(CreateRole {
        name: "fn".into(),
        path: Some("/lambda/".into()),
        assume_role_policy: trust(json!({"Service": "lambda.amazonaws.com"})),
        ..CreateRole::default()
    })
    .await
    .unwrap();
    b.attach_policy(&EntityRef::role("fn"), LAMBDA_BASIC)
        .await
        .unwrap();

    // The Backend trait has no instance profiles: the CLI makes one.
    awscli::aws(
        endpoint,
        &[
            "iam",
            "create-instance-profile",
            "--instance-profile-name",
            "web-profile",
            "--path",
            "/ip/",
            "--tags",
            "Key=tier,Value=front",
        ],
    );
    awscli::aws(
        endpoint,
        &[
            "iam",
            "add-role-to-instance-profile",
            "--instance-profile-name",
            "web-profile",
            "--role-name",
            "web",
        ],
    );
}

/// A moto server (with the AWS managed policies) holding the [`populate`]d account.
async fn populated_moto() -> (Moto, Arc<dyn Backend>) {
    let moto = Moto::start_with(MotoConfig {
        load_managed_policies: true,
    })
    .await;
    let m = moto.backend();
    populate(&m, &moto.server.url()).await;
    (moto, m)
}

fn snapshot(endpoint: &str, filter: &[&str]) -> String {
    let mut args = vec!["iam", "get-account-authorization-details"];
    if !filter.is_empty() {
        args.push("--filter");
        args.extend_from_slice(filter);
    }
    awscli::aws(endpoint, &args)
}

fn import(json: &str) -> Imported {
    import_authorization_details(json).unwrap_or_else(|e| {
        let head: String = json.chars().take(2000).collect();
        panic!("import failed: {e}\n--- the snapshot begins ---\n{head}")
    })
}

/// The imported account opened as the local backend, in its own temporary directory.
fn open(imported: &Imported) -> (tempfile::TempDir, Arc<dyn Backend>, LocalBackend) {
    let dir = tempfile::tempdir().expect("tempdir");
    let account = imported.account.clone();
    let local = LocalBackend::open(&dir.path().join("account.json"), move || account)
        .expect("open the imported account");
    (dir, Arc::new(local.clone()), local)
}

async fn attached(b: &Arc<dyn Backend>, e: &EntityRef) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = b
        .list_attached_policies(e)
        .await
        .unwrap_or_else(|err| panic!("attached policies of {e:?}: {err}"))
        .into_iter()
        .map(|p| (p.arn, p.name))
        .collect();
    v.sort();
    v
}

async fn inline(b: &Arc<dyn Backend>, e: &EntityRef) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for name in b.list_inline_policies(e).await.unwrap() {
        let p = b.get_inline_policy(e, &name).await.unwrap();
        out.insert(name, parse(&p.document));
    }
    out
}

async fn groups_of(b: &Arc<dyn Backend>, user: &str) -> Vec<String> {
    let groups = b.list_groups_for_user(user).await.unwrap();
    sorted(groups.into_iter().map(|g| g.name))
}

/// A managed policy as both backends should show it: everything but the id, with every
/// version's document parsed.
async fn policy_view(b: &Arc<dyn Backend>, arn: &str) -> Value {
    let p = b
        .get_policy(arn)
        .await
        .unwrap_or_else(|e| panic!("{arn}: {e}"));
    let mut versions = Vec::new();
    for v in b.list_policy_versions(arn).await.unwrap() {
        let full = b.get_policy_version(arn, &v.version_id).await.unwrap();
        versions.push(json!({
            "id": v.version_id,
            "default": v.is_default,
            "created": v.create_date,
            "document": parse(full.document.as_deref().expect("a version's document")),
        }));
    }
    versions.sort_by_key(|v| v["id"].as_str().unwrap().to_string());
    json!({
        "name": p.name,
        "arn": p.arn,
        "path": p.path,
        "default": p.default_version_id,
        "description": p.description,
        "created": p.create_date,
        "versions": versions,
    })
}

#[tokio::test]
async fn a_moto_snapshot_taken_with_the_aws_cli_imports_as_moto_shows_it() {
    let (moto, m) = populated_moto().await;
    let endpoint = moto.server.url();

    let text = snapshot(&endpoint, &[]);
    let raw = parse(&text);
    // The CLI prints documents decoded, as JSON objects.
    assert!(raw["RoleDetailList"][0]["AssumeRolePolicyDocument"].is_object());
    // Pinned moto 5.2.5 gaps in the output (if one closes, tighten the comparisons below).
    assert!(
        raw["Policies"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p.get("PolicyName").is_none() && p.get("PolicyId").is_none()),
        "moto now prints PolicyName/PolicyId"
    );
    for r in raw["RoleDetailList"].as_array().unwrap() {
        assert!(r.get("Description").is_none() && r.get("MaxSessionDuration").is_none());
    }

    let imported = import(&text);
    assert_eq!(imported.warnings, Vec::<String>::new());
    let a = &imported.account;
    assert_eq!(a.account_id, ACCOUNT_ID);
    assert_eq!(a.origin, "import");
    let (_dir, l, local) = open(&imported);

    // Users: ids, ARNs, paths, dates, tags, boundaries (moto keeps none for users).
    let mut mu = all_users(m.as_ref()).await.unwrap();
    let mut lu = all_users(l.as_ref()).await.unwrap();
    mu.sort_by(|a, b| a.name.cmp(&b.name));
    lu.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(
        lu.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(),
        ["alice", "bob", "carol"]
    );
    for (mu, lu) in mu.iter().zip(&lu) {
        assert_eq!(
            (&lu.user_id, &lu.arn, &lu.path, lu.create_date),
            (&mu.user_id, &mu.arn, &mu.path, mu.create_date),
            "user {}",
            mu.name
        );
        let mg = m.get_user(Some(&mu.name)).await.unwrap();
        let lg = l.get_user(Some(&mu.name)).await.unwrap();
        assert_eq!(sorted_tags(&lg.tags), sorted_tags(&mg.tags), "{}", mu.name);
        assert_eq!(lg.permissions_boundary, mg.permissions_boundary);
        assert_eq!(groups_of(&l, &mu.name).await, groups_of(&m, &mu.name).await);
        let e = EntityRef::user(&mu.name);
        assert_eq!(attached(&l, &e).await, attached(&m, &e).await, "{e:?}");
        assert_eq!(inline(&l, &e).await, inline(&m, &e).await, "{e:?}");
    }
    assert_eq!(groups_of(&l, "alice").await, ["devs", "ops"]);
    assert_eq!(inline(&l, &EntityRef::user("carol")).await.len(), 2);

    // Groups and their members.
    let mut mg = all_groups(m.as_ref()).await.unwrap();
    let mut lg = all_groups(l.as_ref()).await.unwrap();
    mg.sort_by(|a, b| a.name.cmp(&b.name));
    lg.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(lg, mg);
    assert_eq!(lg.len(), 3);
    for g in &mg {
        let members = |d: GroupDetail| sorted(d.members.into_iter().map(|u| u.name));
        assert_eq!(
            members(l.get_group(&g.name).await.unwrap()),
            members(m.get_group(&g.name).await.unwrap())
        );
        let e = EntityRef::group(&g.name);
        assert_eq!(attached(&l, &e).await, attached(&m, &e).await, "{e:?}");
        assert_eq!(inline(&l, &e).await, inline(&m, &e).await, "{e:?}");
    }
    // The hand-written document is stored byte for byte (key order kept, nothing re-spaced).
    let dev_read = l
        .get_inline_policy(&EntityRef::group("devs"), "dev-read")
        .await
        .unwrap();
    assert_eq!(dev_read.document, ORDERED_DOC);

    // Roles: trust documents, boundaries, tags, attachments, inline documents.
    let mut mr = all_roles(m.as_ref()).await.unwrap();
    mr.sort_by(|a, b| a.name.cmp(&b.name));
    let mut lr = all_roles(l.as_ref()).await.unwrap();
    lr.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(
        lr.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["ci", "fn", "web"]
    );
    for mr in &mr {
        let mg = m.get_role(&mr.name).await.unwrap();
        let lg = l.get_role(&mr.name).await.unwrap();
        assert_eq!(
            (&lg.role_id, &lg.arn, &lg.path, lg.create_date),
            (&mg.role_id, &mg.arn, &mg.path, mg.create_date),
            "role {}",
            mr.name
        );
        assert_eq!(
            parse(lg.assume_role_policy.as_deref().unwrap()),
            parse(mg.assume_role_policy.as_deref().unwrap()),
            "trust policy of {}",
            mr.name
        );
        assert_eq!(
            lg.permissions_boundary, mg.permissions_boundary,
            "{}",
            mr.name
        );
        assert_eq!(sorted_tags(&lg.tags), sorted_tags(&mg.tags), "{}", mr.name);
        let e = EntityRef::role(&mr.name);
        assert_eq!(attached(&l, &e).await, attached(&m, &e).await, "{e:?}");
        assert_eq!(inline(&l, &e).await, inline(&m, &e).await, "{e:?}");
        if mr.name == "ci" {
            // Not in an instance profile: RoleDetail has neither field.
            assert_eq!(
                (mg.description.as_deref(), mg.max_session_duration),
                (Some("builds"), 10800)
            );
            assert_eq!((lg.description, lg.max_session_duration), (None, 3600));
        } else {
            assert_eq!(
                (&lg.description, lg.max_session_duration),
                (&mg.description, mg.max_session_duration),
                "{}",
                mr.name
            );
        }
    }
    let web = l.get_role("web").await.unwrap();
    assert_eq!(
        (web.description.as_deref(), web.max_session_duration),
        (Some("web servers"), 7200)
    );
    assert!(
        web.permissions_boundary
            .as_deref()
            .is_some_and(|b| b.ends_with(":policy/boundaries/boundary"))
    );

    // The instance profile (not in the Backend trait: the account itself, against the CLI).
    let profiles = parse(&awscli::aws(&endpoint, &["iam", "list-instance-profiles"]));
    let [mp] = &profiles["InstanceProfiles"].as_array().unwrap()[..] else {
        panic!("{profiles}")
    };
    let snap = local.snapshot();
    let lp = snap.instance_profiles.get("web-profile").expect("profile");
    assert_eq!(lp.instance_profile_id, mp["InstanceProfileId"]);
    assert_eq!(lp.path, "/ip/");
    assert_eq!(lp.roles, ["web"]);
    // (moto 5.2.5 does not implement ListInstanceProfileTags; GetInstanceProfile has them.)
    let got = parse(&awscli::aws(
        &endpoint,
        &[
            "iam",
            "get-instance-profile",
            "--instance-profile-name",
            "web-profile",
        ],
    ));
    let mtags = &got["InstanceProfile"];
    assert_eq!(mtags["Tags"], json!([{"Key": "tier", "Value": "front"}]));
    assert_eq!(lp.tags, [Tag::new("tier", "front")]);

    // Customer managed policies: every version, the default, documents, dates.
    let ml = all_policies(m.as_ref(), PolicyScope::Local, false)
        .await
        .unwrap();
    let ll = all_policies(l.as_ref(), PolicyScope::Local, false)
        .await
        .unwrap();
    let arns = |v: &[ManagedPolicy]| {
        let mut a: Vec<String> = v.iter().map(|p| p.arn.clone()).collect();
        a.sort();
        a
    };
    assert_eq!(arns(&ll), arns(&ml));
    assert_eq!(ll.len(), 3);
    for arn in arns(&ml) {
        assert_eq!(
            policy_view(&l, &arn).await,
            policy_view(&m, &arn).await,
            "{arn}"
        );
    }
    let multi = format!("arn:aws:iam::{ACCOUNT_ID}:policy/team/multi");
    let versions = l.list_policy_versions(&multi).await.unwrap();
    assert_eq!(
        versions
            .iter()
            .map(|v| (v.version_id.as_str(), v.is_default))
            .collect::<Vec<_>>(),
        [("v4", false), ("v2", true), ("v1", false)]
    );
    let v4 = l.get_policy_version(&multi, "v4").await.unwrap();
    assert_eq!(v4.document.as_deref(), Some(ORDERED_DOC));
    // Attachment counts are the local account's own, and agree.
    for arn in arns(&ml) {
        assert_eq!(
            l.get_policy(&arn).await.unwrap().attachment_count,
            m.get_policy(&arn).await.unwrap().attachment_count,
            "{arn}"
        );
    }

    // AWS managed policies the snapshot carries (the attached ones), with their versions.
    let mut carried: Vec<String> = a
        .aws_policies
        .iter()
        .map(|p| format!("arn:aws:iam::aws:policy{}{}", p.path, p.name))
        .collect();
    carried.sort();
    // IAM lists the AWS managed policies that are attached; moto 5.2.5 lists every one it loaded.
    let listed = raw["Policies"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["Arn"].as_str().unwrap().starts_with("arn:aws:iam::aws:"))
        .count();
    assert_eq!(carried.len(), listed);
    assert!(
        listed > 1000,
        "moto now lists {listed} AWS managed policies"
    );
    for arn in [IAM_READ_ONLY, READ_ONLY, LAMBDA_BASIC] {
        assert!(carried.iter().any(|c| c == arn), "{arn} was not carried");
    }
    for arn in [READ_ONLY, IAM_READ_ONLY, LAMBDA_BASIC] {
        let (lv, mv) = (policy_view(&l, arn).await, policy_view(&m, arn).await);
        assert_eq!(lv["default"], mv["default"], "{arn}");
        assert_eq!(lv["versions"], mv["versions"], "{arn}");
    }

    // The imported account works like any other: IAM never reuses a version id.
    let v5 = l
        .create_policy_version(&multi, &allow("s3:ListBucket", "*"), false)
        .await
        .unwrap();
    assert_eq!(v5.version_id, "v5");
}

#[tokio::test]
async fn partial_snapshots_import() {
    let (moto, m) = populated_moto().await;
    let endpoint = moto.server.url();

    // Only the customer managed policies.
    let text = snapshot(&endpoint, &["LocalManagedPolicy"]);
    let imported = import(&text);
    assert_eq!(imported.warnings, Vec::<String>::new());
    let a = &imported.account;
    assert_eq!(a.account_id, ACCOUNT_ID);
    assert!(a.users.is_empty() && a.groups.is_empty() && a.roles.is_empty());
    assert!(a.aws_policies.is_empty() && a.instance_profiles.is_empty());
    let (_dir, l, _) = open(&imported);
    let ml = all_policies(m.as_ref(), PolicyScope::Local, false)
        .await
        .unwrap();
    assert_eq!(ml.len(), 3);
    for p in &ml {
        assert_eq!(
            policy_view(&l, &p.arn).await,
            policy_view(&m, &p.arn).await,
            "{}",
            p.arn
        );
        // Nothing in this snapshot is attached to it.
        assert_eq!(l.get_policy(&p.arn).await.unwrap().attachment_count, 0);
    }

    // Users and roles without their groups and customer policies: imported, with warnings
    // for what they reference but the snapshot does not hold.
    let text = snapshot(&endpoint, &["User", "Role"]);
    let imported = import(&text);
    let a = &imported.account;
    assert_eq!((a.users.len(), a.roles.len(), a.groups.len()), (3, 3, 0));
    assert!(a.users.get("alice").unwrap().groups.is_empty());
    let w = &imported.warnings;
    assert!(
        w.iter()
            .any(|w| w.contains("group `devs`") && w.contains("dropped")),
        "{w:#?}"
    );
    assert!(
        w.iter()
            .any(|w| w.contains(":policy/team/multi`") && w.contains("not in the snapshot")),
        "{w:#?}"
    );
    // AWS managed policies that were not carried resolve to the embedded copies.
    assert!(!w.iter().any(|w| w.contains("arn:aws:iam::aws:")), "{w:#?}");
    let (_dir, l, _) = open(&imported);
    let alice = attached(&l, &EntityRef::user("alice")).await;
    assert_eq!(alice.len(), 2, "{alice:?}");
}
