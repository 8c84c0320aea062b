//! The demo account a newcomer's first `iamtui --local` is seeded with: Example Corp, a
//! fictional company of about 35 people and services, with the IAM an account of a few years'
//! age collects. It is data, `data/demo/account.json`, built into the binary and loaded by
//! [`load`] (the format is in the README). Ids, secrets, MFA seeds and the account id come
//! from an [`IdSource`]: random for a real account, sequential for tests; dates are relative
//! to the moment the account is made.
//!
//! What it holds:
//!
//! - **Users** (35) under `/engineering/` (and `/engineering/platform/`, `/engineering/data/`),
//!   `/finance/`, `/security/`, `/support/`, `/sales/`, `/contractors/`, `/service-accounts/`
//!   and `/`, tagged with their department, team and cost centre. Most have a console password
//!   and sign-in history; 15 have a virtual MFA device; access keys from a month to 400 days
//!   old, most with last-used data (date, service, region). `daniel.okafor` is mid-rotation
//!   with two keys, the old one inactive; `nadia.rahman` is a new hire who must reset her
//!   password; the four contractors (named by e-mail address) carry the `EngineeringBoundary`
//!   permissions boundary.
//! - **Groups** (9): `Admins` (AdministratorAccess), `Developers` (ReadOnlyAccess, the
//!   customer `DeveloperAccess` and `RegionRestriction`, and an inline policy allowing
//!   `sts:AssumeRole` on `role/engineering/*`), `DataEngineering`, `ReadOnly`, `Finance`
//!   (job-function/Billing), `Security-Auditors` (SecurityAudit, ViewOnlyAccess, may assume
//!   `SecurityAuditRole`), `Support`, `Contractors` and `AllStaff` (IAMUserChangePassword and
//!   the customer `SelfManageCredentials`).
//! - **Roles** (16): EC2 roles with instance profiles (`WebAppInstanceRole`,
//!   `BastionHostRole`), a Lambda role, ECS task and execution roles (one with `aws:SourceArn`
//!   and `aws:SourceAccount` conditions); `VendorMonitoringRole`, trusted by another account
//!   with an `sts:ExternalId`; `BreakGlassAdmin`, trusted by the account's users with MFA
//!   (`aws:MultiFactorAuthPresent`, `aws:MultiFactorAuthAge`); `DeveloperSandbox` (under
//!   `/engineering/`, trusted by the account, bounded by `EngineeringBoundary`: what the
//!   Developers group may assume) and `SecurityAuditRole`; `GitHubActionsDeploy`, federated
//!   through the GitHub Actions OIDC provider with `aud`/`sub` conditions; `OktaEngineering`
//!   and `OktaReadOnly`, federated through the Okta SAML provider; three service-linked roles
//!   under `/aws-service-role/`; and `OldDataPipelineRole`, never used.
//! - **Customer-managed policies** (10) with descriptions and tags: `DeveloperAccess` has the
//!   maximum five versions (v3–v7, the newest not the default), `DataLakeReadAccess` a newer
//!   draft than its default, `SelfManageCredentials` and `EngineeringBoundary` two each.
//! - **Account settings**: the alias `example-corp`, a strict password policy, an Okta SAML
//!   provider (with `validUntil`), the GitHub Actions OIDC provider, and an unassigned virtual
//!   MFA device (`chloe.kim` began setting one up).
//!
//! And what an auditor should find: `sysadmin` has AdministratorAccess attached directly, a
//! console password and no MFA; `jenkins-ci` holds `LegacyDeployAutomation`, which allows
//! `iam:PassRole` on `*`, with a 400-day-old key; `legacy-reporting` and a departed
//! contractor have keys that were never used; `kofi.mensah` keeps an expired temporary grant;
//! `OldDataPipelineRole` has AmazonS3FullAccess and has never been used; and 20 of the 35
//! users have no MFA.

use crate::iam::types::Timestamp;

use super::model::Account;
use super::names::{IdSource, RandomIds};

mod seed;

pub use seed::{SEED, SeedError, load};

/// The account the partner trust of `VendorMonitoringRole` names (fictional).
pub const VENDOR_ACCOUNT: &str = "210987654321";

/// The embedded AWS managed policy ARN of `name` (with its path, e.g. `job-function/Billing`).
pub(super) fn aws(name: &str) -> String {
    format!("arn:aws:iam::aws:policy/{name}")
}

/// Standard Base64 with padding (for the SAML metadata's certificate).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A random id in the 8-4-4-4-12 hexadecimal form of a UUID.
pub(super) fn uuid_like() -> String {
    uuid_from(&RandomIds)
}

/// An id in the 8-4-4-4-12 hexadecimal form of a UUID, from `ids`.
pub(super) fn uuid_from(ids: &dyn IdSource) -> String {
    let mut b = [0u8; 16];
    ids.fill(&mut b);
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// `t` without its fraction of a second (what a `validUntil` attribute can say).
pub(super) fn whole_seconds(t: Timestamp) -> Timestamp {
    chrono::DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
}

/// An identity provider's SAML 2.0 metadata, as Okta publishes it, with a random signing
/// certificate (more than 1,000 characters, as IAM requires).
pub(super) fn saml_metadata(entity_id: &str, sso_url: &str, valid_until: Timestamp) -> String {
    saml_metadata_from(&RandomIds, entity_id, sso_url, valid_until)
}

/// [`saml_metadata`] with the certificate's bytes from `ids`.
pub(super) fn saml_metadata_from(
    ids: &dyn IdSource,
    entity_id: &str,
    sso_url: &str,
    valid_until: Timestamp,
) -> String {
    let mut der = [0u8; 690];
    ids.fill(&mut der);
    // A DER SEQUENCE header, so the certificate at least starts like one ("MIIC…").
    der[..4].copy_from_slice(&[0x30, 0x82, 0x02, 0xae]);
    let cert = base64(&der)
        .as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("\n");
    let valid = valid_until.format("%Y-%m-%dT%H:%M:%SZ");
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{entity_id}" validUntil="{valid}">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
        <ds:X509Data>
          <ds:X509Certificate>{cert}</ds:X509Certificate>
        </ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{sso_url}"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{sso_url}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
"#
    )
}

/// A trust policy letting AWS services assume the role, laid out as the AWS console lays
/// policies out.
pub(super) fn trust_services(services: &[&str]) -> String {
    let quoted: Vec<String> = services.iter().map(|s| format!("\"{s}\"")).collect();
    let list = match quoted.as_slice() {
        [one] => one.clone(),
        many => format!("[{}]", many.join(", ")),
    };
    format!(
        r#"{{
    "Version": "2012-10-17",
    "Statement": [
        {{
            "Effect": "Allow",
            "Principal": {{
                "Service": {list}
            }},
            "Action": "sts:AssumeRole"
        }}
    ]
}}"#
    )
}

/// The GitHub Actions OIDC provider's host and the thumbprints AWS documents for it.
pub(super) const GITHUB_OIDC: &str = "token.actions.githubusercontent.com";
pub(super) const GITHUB_THUMBPRINTS: [&str; 2] = [
    "6938fd4d98bab03faadb97b34396831e3780aea1",
    "1c58a3a8518e8759bf075b76b750d4f2df264fcd",
];

/// A realistic account to explore (see the module docs for what it holds), with random ids,
/// secrets, seeds and account id.
pub fn demo_account(now: Timestamp) -> Account {
    demo_account_with(now, &RandomIds)
}

/// The demo account at `now`, with ids, secrets, seeds and the account id from `ids`.
pub fn demo_account_with(now: Timestamp, ids: &dyn IdSource) -> Account {
    load(SEED, now, ids).expect("the embedded demo seed loads (a unit test checks it)")
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use std::sync::Arc;

    use chrono::{Duration, Utc};
    use secrecy::ExposeSecret;

    use super::super::LocalBackend;
    use super::super::call::iam_arn;
    use super::super::generate::tests::{assert_round_trips, assert_sound};
    use super::super::model::{AccessKeyRecord, UserRecord};
    use super::super::names::SequentialIds;
    use super::*;
    use crate::iam::types::KeyStatus;
    use crate::iam::types::{AssumeRoleRequest, PageRequest};
    use crate::iam::{Backend, ErrorKind, collect_pages, totp};

    #[test]
    fn the_demo_account_is_sound() {
        let now = Utc::now();
        let a = demo_account(now);
        assert_sound(&a, now, &[VENDOR_ACCOUNT]);
        assert_round_trips(&a);
        // Two demo accounts share their structure, not their ids or secrets.
        let b = demo_account(now);
        assert_ne!(a.account_id, b.account_id);
        assert_eq!(
            a.users.iter().map(|u| &u.name).collect::<Vec<_>>(),
            b.users.iter().map(|u| &u.name).collect::<Vec<_>>()
        );
    }

    /// Every id, key id, secret and seed of `a`.
    fn minted(a: &Account) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        for u in a.users.iter() {
            out.push(("AIDA", u.user_id.clone()));
            for k in &u.access_keys {
                out.push(("AKIA", k.access_key_id.clone()));
                out.push(("secret", k.secret_access_key.expose().to_string()));
            }
        }
        out.extend(a.groups.iter().map(|g| ("AGPA", g.group_id.clone())));
        out.extend(a.roles.iter().map(|r| ("AROA", r.role_id.clone())));
        out.extend(a.policies.iter().map(|p| ("ANPA", p.policy_id.clone())));
        out.extend(
            a.instance_profiles
                .iter()
                .map(|p| ("AIPA", p.instance_profile_id.clone())),
        );
        out.extend(
            a.virtual_mfa_devices
                .iter()
                .map(|d| ("seed", d.seed_base32.expose().to_string())),
        );
        out
    }

    #[test]
    fn two_sequential_loads_are_identical_and_numbered_in_table_order() {
        let now = Utc::now();
        let a = demo_account_with(now, &SequentialIds::new());
        let b = demo_account_with(now, &SequentialIds::new());
        assert_eq!(a, b);
        assert_eq!(a.account_id, "123456789012");
        let first = a.users.iter().next().unwrap();
        assert_eq!(first.user_id, "AIDA00000000000000001");
        // Users and their keys share the counter, then groups, roles, policies, profiles.
        let ids = minted(&a);
        let numbered: Vec<u64> = ids
            .iter()
            .filter(|(kind, _)| kind.starts_with('A'))
            .map(|(kind, id)| id[kind.len()..].parse().unwrap())
            .collect();
        assert_eq!(numbered, (1..=numbered.len() as u64).collect::<Vec<_>>());
        for (kind, value) in &ids {
            match *kind {
                "secret" => assert_eq!(value, &"S".repeat(40)),
                "seed" => assert_eq!(value, &"JBSWY3DPEHPK3PXP".repeat(4)),
                _ => {}
            }
        }
        // The SAML certificate and the external and key ids are the same from load to load.
        let okta = |a: &Account| {
            a.saml_providers
                .get("Okta")
                .unwrap()
                .metadata_document
                .clone()
        };
        assert_eq!(okta(&a), okta(&b));
    }

    #[test]
    fn a_random_load_mints_ids_in_iams_formats_all_different() {
        const BASE32: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let now = Utc::now();
        let a = demo_account(now);
        let b = demo_account(now);
        assert!(a.account_id.len() == 12 && a.account_id.bytes().all(|c| c.is_ascii_digit()));
        let mut seen = HashSet::new();
        for (kind, value) in minted(&a).into_iter().chain(minted(&b)) {
            match kind {
                "secret" => assert_eq!(value.len(), 40, "{kind}"),
                "seed" => {
                    assert_eq!(value.len(), 64);
                    assert!(totp::decode_seed(&value).is_some(), "{value}");
                }
                prefix => {
                    let len = if prefix == "AKIA" { 20 } else { 21 };
                    assert_eq!(value.len(), len, "{value}");
                    assert!(value.starts_with(prefix), "{value}");
                    assert!(value[4..].chars().all(|c| BASE32.contains(c)), "{value}");
                }
            }
            assert!(seen.insert(value.clone()), "{kind} {value} minted twice");
        }
    }

    #[test]
    fn every_placeholder_and_relative_date_of_the_seed_is_resolved() {
        let now = Utc::now();
        let a = demo_account(now);
        let text = serde_json::to_string(&a).unwrap();
        for leftover in ["{account}", "{uuid:", "{date:", "ACCOUNT_ID"] {
            assert!(!text.contains(leftover), "{leftover} left in the account");
        }
        // Policy variables are not placeholders.
        assert!(text.contains("${aws:username}"));
        // The seed's placeholders became the account id, UUIDs and dates.
        let vendor = a.roles.get("VendorMonitoringRole").unwrap();
        let external: serde_json::Value = serde_json::from_str(&vendor.assume_role_policy).unwrap();
        let external = external["Statement"][0]["Condition"]["StringEquals"]["sts:ExternalId"]
            .as_str()
            .unwrap();
        assert_eq!(external.len(), 36);
        assert_eq!(external.matches('-').count(), 4);
        let kofi = a.users.get("kofi.mensah").unwrap();
        let grant = &kofi
            .inline_policies
            .get("TemporaryOrdersDbAccess")
            .unwrap()
            .document;
        let expired = (now - Duration::days(30)).format("%Y-%m-%dT00:00:00Z");
        assert!(grant.contains(&expired.to_string()), "{grant}");
        let sandbox = a.roles.get("DeveloperSandbox").unwrap();
        assert_eq!(
            sandbox.permissions_boundary.as_deref(),
            Some(
                iam_arn(
                    &a.account_id,
                    "policy",
                    "/boundaries/",
                    "EngineeringBoundary"
                )
                .as_str()
            )
        );
        // Every date is a moment of the account's life (or the SAML provider's validity).
        let created = a.created;
        assert_eq!(now - created, Duration::days(1500));
        let mut dates = Vec::new();
        for u in a.users.iter() {
            dates.push(u.create_date);
            dates.extend(u.password_last_used);
            dates.extend(u.login_profile.as_ref().map(|l| l.create_date));
            dates.extend(u.access_keys.iter().map(|k| k.create_date));
            dates.extend(u.access_keys.iter().filter_map(|k| k.last_used.date));
            dates.extend(u.mfa_devices.iter().map(|m| m.enable_date));
        }
        dates.extend(a.groups.iter().map(|g| g.create_date));
        dates.extend(a.roles.iter().map(|r| r.create_date));
        dates.extend(a.roles.iter().filter_map(|r| r.last_used.date));
        for p in a.policies.iter() {
            dates.push(p.create_date);
            dates.extend(p.versions.iter().map(|v| v.create_date));
        }
        dates.extend(a.virtual_mfa_devices.iter().map(|d| d.create_date));
        for d in dates {
            assert!(created <= d && d < now, "{d} outside the account's life");
        }
        let okta = a.saml_providers.get("Okta").unwrap();
        assert!(okta.valid_until.unwrap() > now + Duration::days(1000));
        // Service trusts are laid out as the generator lays them out.
        let pipeline = a.roles.get("OldDataPipelineRole").unwrap();
        assert_eq!(
            pipeline.assume_role_policy,
            trust_services(&[
                "datapipeline.amazonaws.com",
                "elasticmapreduce.amazonaws.com"
            ])
        );
        let web = a.roles.get("WebAppInstanceRole").unwrap();
        assert_eq!(
            web.assume_role_policy,
            trust_services(&["ec2.amazonaws.com"])
        );
    }

    fn load_error(text: &str) -> String {
        load(text, Utc::now(), &SequentialIds::new())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_broken_seed_says_what_is_wrong_and_where() {
        let minimal =
            r#"{"created": "-10d", "users": [{"name": "a", "path": "/", "created": "-1d"}]}"#;
        let a = load(minimal, Utc::now(), &SequentialIds::new()).unwrap();
        assert_eq!(a.users.len(), 1);

        let e = load_error(r#"{"created": "-10d", "users": [{"path": "/", "created": "-1d"}]}"#);
        assert!(e.contains("missing field `name`"), "{e}");
        let e = load_error(
            r#"{"created": "-10d", "users": [{"nmae": "a", "path": "/", "created": "-1d"}]}"#,
        );
        assert!(e.contains("unknown field `nmae`"), "{e}");
        let e = load_error(
            "{\n  \"created\": \"-10d\",\n  \"aliases\": [],\n  \"groups\": [{\"name\": \"g\", \"path\": \"/\", \"created\": \"yesterday\"}]\n}",
        );
        assert!(e.starts_with("line 4:"), "{e}");
        assert!(e.contains("invalid relative date `yesterday`"), "{e}");
        assert!(e.contains(r#""created": "yesterday""#), "{e}");
        let e = load_error(r#"{"created": "-10d", "aliases": ["{acount}"]}"#);
        assert_eq!(e, "line 1: unknown placeholder `{acount}`");
        let e = load_error(r#"{"created": "-10d", "aliases": ["{date:soon}"]}"#);
        assert!(e.contains("unknown placeholder `{date:soon}`"), "{e}");
        let e = load_error(
            r#"{"created": "-10d", "policies": [{"name": "P", "path": "/", "created": "-2d",
                "description": null, "default_version": "v2",
                "versions": [{"id": "v1", "created": "-2d", "document": {}}]}]}"#,
        );
        assert!(
            e.contains("default_version v2 is not one of its versions"),
            "{e}"
        );
    }

    #[tokio::test]
    async fn the_local_backend_mints_what_it_creates_from_its_id_source() {
        let ids = Arc::new(SequentialIds::new());
        let demo = demo_account_with(Utc::now(), ids.as_ref());
        let minted = minted(&demo)
            .iter()
            .filter(|(kind, _)| kind.starts_with('A'))
            .count();
        let dir = tempfile::tempdir().unwrap();
        let b =
            LocalBackend::open_with_ids(&dir.path().join("account.json"), || demo, ids).unwrap();
        let user = b
            .create_user(crate::iam::types::CreateUser {
                name: "new.hire".into(),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(user.user_id, format!("AIDA{:017}", minted + 1));
        let key = b.create_access_key(Some("new.hire")).await.unwrap();
        assert_eq!(key.key.access_key_id, format!("AKIA{:016}", minted + 2));
        assert_eq!(key.secret_access_key.expose_secret(), "S".repeat(40));
    }

    #[test]
    fn the_demo_account_holds_what_the_readme_promises() {
        let now = Utc::now();
        let a = demo_account(now);
        let days = |t: Timestamp| (now - t).num_days();
        assert_eq!(a.origin, "demo");
        assert_eq!(a.aliases, ["example-corp"]);
        // The numbers the module docs (and the README) give.
        assert_eq!(
            (
                a.users.len(),
                a.groups.len(),
                a.roles.len(),
                a.policies.len()
            ),
            (35, 9, 16, 10)
        );
        assert_eq!(
            a.users.iter().filter(|u| !u.mfa_devices.is_empty()).count(),
            15
        );
        assert_eq!(a.instance_profiles.len(), 2);

        // Users.
        let users: Vec<&UserRecord> = a.users.iter().collect();
        assert!((30..=40).contains(&users.len()), "{} users", users.len());
        let paths: HashSet<&str> = users.iter().map(|u| u.path.as_str()).collect();
        for p in [
            "/engineering/",
            "/finance/",
            "/contractors/",
            "/service-accounts/",
        ] {
            assert!(paths.contains(p), "no user under {p}");
        }
        let two = users
            .iter()
            .filter(|u| u.access_keys.len() == 2)
            .collect::<Vec<_>>();
        assert_eq!(two.len(), 1);
        assert!(
            two[0]
                .access_keys
                .iter()
                .any(|k| k.status == KeyStatus::Inactive)
        );
        let keys: Vec<&AccessKeyRecord> = users.iter().flat_map(|u| &u.access_keys).collect();
        let old = keys
            .iter()
            .filter(|k| (100..=400).contains(&days(k.create_date)))
            .count();
        assert!(old >= 8, "{old} old keys");
        assert!(keys.iter().any(|k| k.last_used.service.is_some()
            && k.last_used.region.is_some()
            && days(k.create_date) >= 100));
        assert!(
            keys.iter()
                .any(|k| k.last_used.date.is_none() && days(k.create_date) >= 100)
        );
        let no_mfa = users.iter().filter(|u| u.mfa_devices.is_empty()).count();
        let mfa = users.len() - no_mfa;
        assert!(no_mfa >= 5 && mfa >= 5, "{mfa} with MFA, {no_mfa} without");
        let console = users
            .iter()
            .filter(|u| u.login_profile.is_some() && u.password_last_used.is_some())
            .count();
        assert!(console >= 5);
        assert!(users.iter().any(|u| {
            u.login_profile
                .as_ref()
                .is_some_and(|l| l.password_reset_required)
        }));
        assert!(users.iter().all(|u| !u.tags.is_empty()));
        let assigned = a
            .virtual_mfa_devices
            .iter()
            .filter(|d| d.user.is_some())
            .count();
        assert_eq!(assigned, mfa);
        assert_eq!(
            a.virtual_mfa_devices.len(),
            mfa + 1,
            "one unassigned device"
        );

        // Groups and their policies.
        for g in [
            "Admins",
            "Developers",
            "ReadOnly",
            "Finance",
            "Security-Auditors",
        ] {
            assert!(a.groups.contains(g), "no group {g}");
        }
        let group_arns: HashSet<&str> = a
            .groups
            .iter()
            .flat_map(|g| g.attached_policies.iter().map(String::as_str))
            .collect();
        for p in [
            "AdministratorAccess",
            "ReadOnlyAccess",
            "job-function/Billing",
            "SecurityAudit",
            "IAMUserChangePassword",
        ] {
            assert!(group_arns.contains(aws(p).as_str()), "no group has {p}");
        }
        assert!(
            a.groups
                .iter()
                .filter(|g| !g.inline_policies.is_empty())
                .count()
                >= 3
        );
        let members = |g: &str| {
            users
                .iter()
                .filter(|u| u.groups.iter().any(|m| m == g))
                .count()
        };
        assert!(members("Developers") >= 8);
        assert!(members("Admins") >= 2);

        // Roles.
        let trust = |needle: &str| {
            a.roles
                .iter()
                .filter(|r| r.assume_role_policy.contains(needle))
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>()
        };
        assert!(!trust("ec2.amazonaws.com").is_empty());
        assert!(!trust("lambda.amazonaws.com").is_empty());
        assert!(!trust("ecs-tasks.amazonaws.com").is_empty());
        assert_eq!(trust("sts:ExternalId"), ["VendorMonitoringRole"]);
        assert!(trust(VENDOR_ACCOUNT).contains(&"VendorMonitoringRole"));
        assert_eq!(trust("aws:MultiFactorAuthPresent"), ["BreakGlassAdmin"]);
        assert_eq!(
            trust("sts:AssumeRoleWithWebIdentity"),
            ["GitHubActionsDeploy"]
        );
        assert!(trust("token.actions.githubusercontent.com:sub").contains(&"GitHubActionsDeploy"));
        assert!(trust("sts:AssumeRoleWithSAML").len() >= 2);
        assert!(
            a.roles
                .iter()
                .any(|r| r.path.starts_with("/aws-service-role/"))
        );
        for ip in a.instance_profiles.iter() {
            assert!(
                a.roles
                    .get(&ip.roles[0])
                    .unwrap()
                    .assume_role_policy
                    .contains("ec2.")
            );
        }
        assert!(!a.instance_profiles.is_empty());

        // Managed policies.
        assert!(a.policies.iter().any(|p| p.versions.len() == 5));
        assert!(
            a.policies.iter().any(|p| {
                p.versions.last().map(|v| &v.version_id) != Some(&p.default_version_id)
            })
        );
        assert!(a.policies.iter().all(|p| p.description.is_some()));
        assert!(a.policies.iter().any(|p| !p.tags.is_empty()));
        assert!(a.roles.iter().any(|r| !r.tags.is_empty()));
        let boundary = a.policies.get("EngineeringBoundary").unwrap();
        let boundary_arn = iam_arn(&a.account_id, "policy", &boundary.path, &boundary.name);
        let bounded = |b: &Option<String>| b.as_deref() == Some(boundary_arn.as_str());
        assert!(
            users
                .iter()
                .filter(|u| bounded(&u.permissions_boundary))
                .count()
                >= 2
        );
        assert!(a.roles.iter().any(|r| bounded(&r.permissions_boundary)));

        // Account settings.
        assert!(a.password_policy.is_some());
        assert_eq!(a.saml_providers.len(), 1);
        let oidc = a.oidc_providers.get(GITHUB_OIDC).unwrap();
        assert_eq!(oidc.client_ids, ["sts.amazonaws.com"]);

        // What an auditor should find.
        let sysadmin = a.users.get("sysadmin").unwrap();
        assert!(
            sysadmin
                .attached_policies
                .contains(&aws("AdministratorAccess"))
        );
        assert!(sysadmin.mfa_devices.is_empty() && sysadmin.login_profile.is_some());
        assert!(a.policies.iter().any(|p| {
            let doc: serde_json::Value =
                serde_json::from_str(p.default_document().unwrap()).unwrap();
            doc["Statement"].as_array().unwrap().iter().any(|s| {
                s["Effect"] == "Allow" && s["Action"] == "iam:PassRole" && s["Resource"] == "*"
            })
        }));
    }

    async fn assume(
        b: &LocalBackend,
        role: &str,
        mfa: Option<(String, String)>,
    ) -> crate::iam::error::Result<crate::iam::types::AssumedRole> {
        let a = b.snapshot();
        let r = a.roles.get(role).unwrap();
        let (serial_number, token_code) = mfa.unzip();
        b.assume_role(AssumeRoleRequest {
            role_arn: iam_arn(&a.account_id, "role", &r.path, &r.name),
            session_name: "demo-session".into(),
            serial_number,
            token_code,
            ..Default::default()
        })
        .await
    }

    #[tokio::test]
    async fn the_demo_account_works_through_the_local_backend() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("account.json");
        let b = LocalBackend::open(&path, || demo_account(Utc::now())).unwrap();
        let account = b.snapshot();

        let pages = |marker| {
            let max_items = Some(10);
            b.list_users(PageRequest {
                marker,
                max_items,
                path_prefix: None,
            })
        };
        let users = collect_pages("ListUsers", pages).await.unwrap();
        assert_eq!(users.len(), account.users.len());
        let me = b.whoami().await.unwrap();
        assert_eq!(me.arn, format!("arn:aws:iam::{}:root", account.account_id));

        // A developer may assume the sandbox role, and act as it.
        let dev = b.acting_as("ben.carter");
        let assumed = assume(&dev, "DeveloperSandbox", None).await.unwrap();
        assert_eq!(
            assumed.assumed_role_arn,
            format!(
                "arn:aws:sts::{}:assumed-role/DeveloperSandbox/demo-session",
                account.account_id
            )
        );
        let session = b.with_credentials(assumed.credentials).unwrap();
        assert_eq!(
            session.whoami().await.unwrap().arn,
            assumed.assumed_role_arn
        );

        // Someone in Finance may not.
        let e = assume(&b.acting_as("olivia.brown"), "DeveloperSandbox", None)
            .await
            .unwrap_err();
        assert!(matches!(e.kind, ErrorKind::AccessDenied { .. }), "{e}");

        // The break-glass role wants an administrator with MFA.
        let admin = b.acting_as("alice.nguyen");
        let e = assume(&admin, "BreakGlassAdmin", None).await.unwrap_err();
        assert!(matches!(e.kind, ErrorKind::AccessDenied { .. }), "{e}");
        let serial = iam_arn(&account.account_id, "mfa", "/", "alice.nguyen");
        let seed = account
            .virtual_mfa_devices
            .get(&serial)
            .unwrap()
            .seed_base32
            .expose();
        let key = totp::decode_seed(seed).unwrap();
        let code = totp::code_at(&key, Utc::now().timestamp() as u64);
        assume(&admin, "BreakGlassAdmin", Some((serial, code)))
            .await
            .unwrap();
    }
}
