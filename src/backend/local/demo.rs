//! The demo account a newcomer's first `iamtui --local` is seeded with: Example Corp, a
//! fictional company of about 35 people and services, with the IAM an account of a few years'
//! age collects. Ids, secrets, MFA seeds and the account id are random; dates are relative to
//! the moment the account is made.
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

use chrono::Duration;

use crate::iam::types::{KeyStatus, PasswordPolicy, Tag, Timestamp};

use super::call::iam_arn;
use super::model::{
    AccessKeyRecord, Account, GroupRecord, InlinePolicyRecord, InstanceProfileRecord, LastUsed,
    LoginProfile, MfaAssignmentRecord, OidcProviderRecord, PolicyRecord, PolicyVersionRecord,
    RoleRecord, SamlProviderRecord, Secret, Table, UserRecord, VirtualMfaRecord,
};
use super::names::{self, IdSource, RandomIds};

mod seed;

pub use seed::{SEED, SeedError, load};

/// The account the partner trust of `VendorMonitoringRole` names (fictional).
pub const VENDOR_ACCOUNT: &str = "210987654321";

/// The embedded AWS managed policy ARN of `name` (with its path, e.g. `job-function/Billing`).
pub(super) fn aws(name: &str) -> String {
    format!("arn:aws:iam::aws:policy/{name}")
}

pub(super) fn tags(pairs: &[(&str, &str)]) -> Vec<Tag> {
    pairs.iter().map(|(k, v)| Tag::new(*k, *v)).collect()
}

pub(super) fn inline(name: &str, document: String) -> InlinePolicyRecord {
    InlinePolicyRecord {
        name: name.to_string(),
        document,
    }
}

/// Strips the indentation common to every non-blank line and the blank lines around the text.
fn dedent(text: &str) -> String {
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    text.trim_matches('\n')
        .lines()
        .map(|l| l.get(indent..).unwrap_or("").trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A 2012-10-17 policy of `statements` (JSON objects, any indentation), laid out as the AWS
/// console lays policies out (four spaces).
pub(super) fn policy_document(statements: &[&str]) -> String {
    let body = statements
        .iter()
        .map(|s| {
            dedent(s)
                .lines()
                .map(|l| format!("        {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect::<Vec<_>>()
        .join(",\n");
    format!("{{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": [\n{body}\n    ]\n}}")
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

/// A trust policy letting AWS services assume the role.
pub(super) fn trust_services(services: &[&str]) -> String {
    let list = if services.len() == 1 {
        format!("\"{}\"", services[0])
    } else {
        format!(
            "[{}]",
            services
                .iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    policy_document(&[&format!(
        r#"{{
    "Effect": "Allow",
    "Principal": {{
        "Service": {list}
    }},
    "Action": "sts:AssumeRole"
}}"#
    )])
}

// --- the people ---------------------------------------------------------------------------------

/// An access key: created `age` days ago; last used (days ago, service, region); active.
struct Key {
    age: i64,
    used: Option<(i64, &'static str, &'static str)>,
    active: bool,
}

const fn key(age: i64, used: Option<(i64, &'static str, &'static str)>) -> Key {
    Key {
        age,
        used,
        active: true,
    }
}

struct Person {
    name: &'static str,
    path: &'static str,
    groups: &'static [&'static str],
    /// Days since the user was created.
    age: i64,
    /// Days since a console password was set, when there is one.
    console: Option<i64>,
    /// Days since the password was last used to sign in.
    signed_in: Option<i64>,
    /// Days since a virtual MFA device was enabled.
    mfa: Option<i64>,
    keys: &'static [Key],
    /// `Team` tag (and the department, from the path).
    team: &'static str,
}

const ENG: &[&str] = &["Developers", "AllStaff"];
const ENG_ADMIN: &[&str] = &["Admins", "Developers", "AllStaff"];
const DATA_ENG: &[&str] = &["Developers", "DataEngineering", "AllStaff"];
const FINANCE: &[&str] = &["Finance", "AllStaff"];
const SECURITY: &[&str] = &["Security-Auditors", "AllStaff"];
const SUPPORT: &[&str] = &["Support", "AllStaff"];
const READ_ONLY: &[&str] = &["ReadOnly", "AllStaff"];
const CONTRACTORS: &[&str] = &["Contractors", "AllStaff"];

const PEOPLE: &[Person] = &[
    // Engineering.
    Person {
        name: "alice.nguyen",
        path: "/engineering/platform/",
        groups: ENG_ADMIN,
        age: 1380,
        console: Some(1380),
        signed_in: Some(0),
        mfa: Some(1375),
        keys: &[key(45, Some((0, "s3", "us-east-1")))],
        team: "platform",
    },
    Person {
        name: "ben.carter",
        path: "/engineering/",
        groups: ENG,
        age: 1100,
        console: Some(1100),
        signed_in: Some(1),
        mfa: Some(1090),
        keys: &[key(120, Some((2, "ecr", "us-east-1")))],
        team: "storefront",
    },
    Person {
        name: "chloe.kim",
        path: "/engineering/",
        groups: ENG,
        age: 980,
        console: Some(975),
        signed_in: Some(3),
        mfa: None,
        keys: &[key(380, Some((250, "lambda", "us-west-2")))],
        team: "storefront",
    },
    Person {
        name: "daniel.okafor",
        path: "/engineering/",
        groups: ENG,
        age: 870,
        console: Some(860),
        signed_in: Some(6),
        mfa: Some(850),
        keys: &[
            Key {
                age: 210,
                used: Some((35, "dynamodb", "eu-west-1")),
                active: false,
            },
            key(30, Some((1, "dynamodb", "eu-west-1"))),
        ],
        team: "checkout",
    },
    Person {
        name: "emma.schmidt",
        path: "/engineering/data/",
        groups: DATA_ENG,
        age: 760,
        console: Some(760),
        signed_in: Some(2),
        mfa: Some(755),
        keys: &[],
        team: "data",
    },
    Person {
        name: "farid.haddad",
        path: "/engineering/",
        groups: ENG,
        age: 640,
        console: Some(640),
        signed_in: Some(14),
        mfa: None,
        keys: &[key(160, Some((9, "cloudformation", "us-east-1")))],
        team: "checkout",
    },
    Person {
        name: "grace.liu",
        path: "/engineering/platform/",
        groups: ENG_ADMIN,
        age: 1200,
        console: Some(1200),
        signed_in: Some(0),
        mfa: Some(1195),
        keys: &[],
        team: "platform",
    },
    Person {
        name: "hiro.tanaka",
        path: "/engineering/platform/",
        groups: ENG,
        age: 530,
        console: Some(530),
        signed_in: Some(4),
        mfa: Some(525),
        keys: &[key(300, Some((0, "ec2", "us-west-2")))],
        team: "platform",
    },
    Person {
        name: "isabel.rossi",
        path: "/engineering/",
        groups: ENG,
        age: 420,
        console: Some(420),
        signed_in: Some(21),
        mfa: None,
        keys: &[],
        team: "storefront",
    },
    Person {
        name: "jamal.wright",
        path: "/engineering/",
        groups: ENG,
        age: 310,
        console: Some(310),
        signed_in: Some(1),
        mfa: Some(305),
        keys: &[key(140, Some((3, "s3", "us-east-1")))],
        team: "checkout",
    },
    Person {
        name: "kofi.mensah",
        path: "/engineering/data/",
        groups: DATA_ENG,
        age: 270,
        console: Some(270),
        signed_in: Some(7),
        mfa: None,
        keys: &[key(105, Some((12, "athena", "us-east-1")))],
        team: "data",
    },
    Person {
        name: "lena.petrov",
        path: "/engineering/data/",
        groups: &["DataEngineering", "AllStaff"],
        age: 190,
        console: Some(190),
        signed_in: Some(5),
        mfa: Some(185),
        keys: &[],
        team: "data",
    },
    Person {
        name: "mateo.fernandez",
        path: "/engineering/",
        groups: ENG,
        age: 95,
        console: Some(95),
        signed_in: Some(2),
        mfa: None,
        keys: &[key(60, None)],
        team: "storefront",
    },
    Person {
        name: "nadia.rahman",
        path: "/engineering/",
        groups: ENG,
        age: 9,
        console: Some(9),
        signed_in: None,
        mfa: None,
        keys: &[],
        team: "checkout",
    },
    // Finance.
    Person {
        name: "olivia.brown",
        path: "/finance/",
        groups: FINANCE,
        age: 1250,
        console: Some(1250),
        signed_in: Some(1),
        mfa: Some(1240),
        keys: &[],
        team: "accounting",
    },
    Person {
        name: "priya.patel",
        path: "/finance/",
        groups: FINANCE,
        age: 900,
        console: Some(900),
        signed_in: Some(3),
        mfa: Some(880),
        keys: &[],
        team: "fp-and-a",
    },
    Person {
        name: "quentin.dubois",
        path: "/finance/",
        groups: &["Finance", "ReadOnly", "AllStaff"],
        age: 610,
        console: Some(610),
        signed_in: Some(45),
        mfa: None,
        keys: &[],
        team: "fp-and-a",
    },
    Person {
        name: "rosa.martinez",
        path: "/finance/",
        groups: FINANCE,
        age: 350,
        console: Some(350),
        signed_in: Some(8),
        mfa: None,
        keys: &[key(200, Some((30, "ce", "us-east-1")))],
        team: "accounting",
    },
    Person {
        name: "sam.oconnor",
        path: "/finance/",
        groups: FINANCE,
        age: 150,
        console: Some(150),
        signed_in: Some(120),
        mfa: None,
        keys: &[],
        team: "accounting",
    },
    // Security.
    Person {
        name: "tomas.novak",
        path: "/security/",
        groups: &["Security-Auditors", "ReadOnly", "AllStaff"],
        age: 1000,
        console: Some(1000),
        signed_in: Some(0),
        mfa: Some(995),
        keys: &[key(110, Some((0, "iam", "us-east-1")))],
        team: "security",
    },
    Person {
        name: "uma.iyer",
        path: "/security/",
        groups: SECURITY,
        age: 480,
        console: Some(480),
        signed_in: Some(2),
        mfa: Some(470),
        keys: &[],
        team: "security",
    },
    Person {
        name: "victor.silva",
        path: "/security/",
        groups: &["Admins", "Security-Auditors", "AllStaff"],
        age: 1300,
        console: Some(1300),
        signed_in: Some(1),
        mfa: Some(1290),
        keys: &[],
        team: "security",
    },
    // Support.
    Person {
        name: "wendy.zhao",
        path: "/support/",
        groups: SUPPORT,
        age: 700,
        console: Some(700),
        signed_in: Some(0),
        mfa: Some(690),
        keys: &[],
        team: "customer-support",
    },
    Person {
        name: "xavier.lopez",
        path: "/support/",
        groups: SUPPORT,
        age: 330,
        console: Some(330),
        signed_in: Some(2),
        mfa: None,
        keys: &[],
        team: "customer-support",
    },
    Person {
        name: "yara.costa",
        path: "/support/",
        groups: SUPPORT,
        age: 60,
        console: Some(60),
        signed_in: Some(1),
        mfa: None,
        keys: &[],
        team: "customer-support",
    },
    // Sales.
    Person {
        name: "zoe.adams",
        path: "/sales/",
        groups: READ_ONLY,
        age: 820,
        console: Some(820),
        signed_in: Some(10),
        mfa: None,
        keys: &[],
        team: "sales-ops",
    },
    Person {
        name: "aaron.bell",
        path: "/sales/",
        groups: READ_ONLY,
        age: 240,
        console: Some(240),
        signed_in: Some(200),
        mfa: None,
        keys: &[],
        team: "sales-ops",
    },
    // Contractors (permissions boundary).
    Person {
        name: "li.wei@northwind-dev.com",
        path: "/contractors/",
        groups: CONTRACTORS,
        age: 200,
        console: Some(200),
        signed_in: Some(3),
        mfa: Some(198),
        keys: &[key(180, Some((1, "s3", "eu-west-1")))],
        team: "storefront",
    },
    Person {
        name: "pablo.ruiz@northwind-dev.com",
        path: "/contractors/",
        groups: CONTRACTORS,
        age: 200,
        console: Some(200),
        signed_in: Some(11),
        mfa: None,
        keys: &[key(180, Some((40, "lambda", "eu-west-1")))],
        team: "storefront",
    },
    Person {
        name: "sara.lind@brightpixel.io",
        path: "/contractors/",
        groups: CONTRACTORS,
        age: 120,
        console: Some(120),
        signed_in: Some(6),
        mfa: None,
        keys: &[],
        team: "design",
    },
    Person {
        name: "tom.baker@brightpixel.io",
        path: "/contractors/",
        groups: CONTRACTORS,
        age: 395,
        console: Some(395),
        signed_in: None,
        mfa: None,
        keys: &[key(390, None)],
        team: "design",
    },
    // Service accounts: keys, no console.
    Person {
        name: "jenkins-ci",
        path: "/service-accounts/",
        groups: &[],
        age: 1400,
        console: None,
        signed_in: None,
        mfa: None,
        keys: &[key(400, Some((0, "ecs", "us-east-1")))],
        team: "platform",
    },
    Person {
        name: "backup-agent",
        path: "/service-accounts/",
        groups: &[],
        age: 600,
        console: None,
        signed_in: None,
        mfa: None,
        keys: &[key(330, Some((0, "s3", "us-east-1")))],
        team: "platform",
    },
    Person {
        name: "legacy-reporting",
        path: "/service-accounts/",
        groups: &[],
        age: 800,
        console: None,
        signed_in: None,
        mfa: None,
        keys: &[key(290, None)],
        team: "data",
    },
    // The account's first administrator, from before anyone thought about IAM.
    Person {
        name: "sysadmin",
        path: "/",
        groups: &[],
        age: 1450,
        console: Some(1450),
        signed_in: Some(2),
        mfa: None,
        keys: &[key(400, Some((5, "ec2", "us-east-1")))],
        team: "it",
    },
];

fn department(path: &str) -> &'static str {
    match path.split('/').nth(1).unwrap_or("") {
        "engineering" | "contractors" => "Engineering",
        "finance" => "Finance",
        "security" => "Security",
        "support" => "Support",
        "sales" => "Sales",
        "service-accounts" => "Platform",
        _ => "IT",
    }
}

fn cost_center(department: &str) -> &'static str {
    match department {
        "Engineering" | "Platform" => "CC-1040",
        "Finance" => "CC-2010",
        "Security" => "CC-1070",
        "Support" => "CC-3020",
        "Sales" => "CC-3010",
        _ => "CC-1000",
    }
}

// --- policy statements --------------------------------------------------------------------------

const SELF_PASSWORD: &str = r#"
    {
        "Sid": "ViewAccountPasswordRequirements",
        "Effect": "Allow",
        "Action": ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"],
        "Resource": "*"
    }"#;

const SELF_KEYS_V1: &str = r#"
    {
        "Sid": "ManageOwnPasswordAndKeys",
        "Effect": "Allow",
        "Action": [
            "iam:ChangePassword",
            "iam:GetUser",
            "iam:CreateAccessKey",
            "iam:DeleteAccessKey",
            "iam:ListAccessKeys",
            "iam:UpdateAccessKey"
        ],
        "Resource": [
            "arn:aws:iam::ACCOUNT_ID:user/${aws:username}",
            "arn:aws:iam::ACCOUNT_ID:user/*/${aws:username}"
        ]
    }"#;

const SELF_KEYS_V2: &str = r#"
    {
        "Sid": "ManageOwnPasswordKeysAndMFA",
        "Effect": "Allow",
        "Action": [
            "iam:ChangePassword",
            "iam:GetUser",
            "iam:GetLoginProfile",
            "iam:CreateAccessKey",
            "iam:DeleteAccessKey",
            "iam:ListAccessKeys",
            "iam:UpdateAccessKey",
            "iam:GetAccessKeyLastUsed",
            "iam:ListMFADevices",
            "iam:EnableMFADevice",
            "iam:ResyncMFADevice"
        ],
        "Resource": [
            "arn:aws:iam::ACCOUNT_ID:user/${aws:username}",
            "arn:aws:iam::ACCOUNT_ID:user/*/${aws:username}"
        ]
    }"#;

const SELF_MFA: &str = r#"
    {
        "Sid": "ManageOwnVirtualMFADevice",
        "Effect": "Allow",
        "Action": ["iam:CreateVirtualMFADevice", "iam:DeleteVirtualMFADevice"],
        "Resource": "arn:aws:iam::ACCOUNT_ID:mfa/${aws:username}"
    }"#;

const DEV_SERVERLESS: &str = r#"
    {
        "Sid": "Serverless",
        "Effect": "Allow",
        "Action": ["lambda:*", "logs:*"],
        "Resource": "*"
    }"#;

const DEV_SERVERLESS_AND_CONTAINERS: &str = r#"
    {
        "Sid": "ServerlessAndContainers",
        "Effect": "Allow",
        "Action": ["lambda:*", "logs:*", "ecs:*", "ecr:*"],
        "Resource": "*"
    }"#;

const DEV_SERVERLESS_CONTAINERS_TRACING: &str = r#"
    {
        "Sid": "ServerlessAndContainers",
        "Effect": "Allow",
        "Action": ["lambda:*", "logs:*", "ecs:*", "ecr:*", "xray:*", "cloudwatch:*"],
        "Resource": "*"
    }"#;

const DEV_TABLES: &str = r#"
    {
        "Sid": "DevTables",
        "Effect": "Allow",
        "Action": "dynamodb:*",
        "Resource": "arn:aws:dynamodb:*:ACCOUNT_ID:table/dev-*"
    }"#;

const DEV_DATA: &str = r#"
    {
        "Sid": "DevData",
        "Effect": "Allow",
        "Action": ["dynamodb:*", "sqs:*", "sns:*"],
        "Resource": [
            "arn:aws:dynamodb:*:ACCOUNT_ID:table/dev-*",
            "arn:aws:sqs:*:ACCOUNT_ID:dev-*",
            "arn:aws:sns:*:ACCOUNT_ID:dev-*"
        ]
    }"#;

const DEV_BUCKETS: &str = r#"
    {
        "Sid": "DevBuckets",
        "Effect": "Allow",
        "Action": "s3:*",
        "Resource": [
            "arn:aws:s3:::example-corp-dev-*",
            "arn:aws:s3:::example-corp-dev-*/*"
        ]
    }"#;

const DEV_PASS_ROLE: &str = r#"
    {
        "Sid": "PassOnlyEngineeringRoles",
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": "arn:aws:iam::ACCOUNT_ID:role/engineering/*",
        "Condition": {
            "StringEquals": {
                "iam:PassedToService": ["lambda.amazonaws.com", "ecs-tasks.amazonaws.com"]
            }
        }
    }"#;

const DEV_BEDROCK: &str = r#"
    {
        "Sid": "GenerativeAIPrototyping",
        "Effect": "Allow",
        "Action": ["bedrock:InvokeModel", "bedrock:ListFoundationModels"],
        "Resource": "*"
    }"#;

const REGION_RESTRICTION: &str = r#"
    {
        "Sid": "DenyOutsideApprovedRegions",
        "Effect": "Deny",
        "NotAction": [
            "iam:*",
            "sts:*",
            "organizations:*",
            "support:*",
            "cloudfront:*",
            "route53:*",
            "budgets:*",
            "ce:*",
            "health:*",
            "trustedadvisor:*"
        ],
        "Resource": "*",
        "Condition": {
            "StringNotEquals": {
                "aws:RequestedRegion": ["us-east-1", "us-west-2", "eu-west-1"]
            }
        }
    }"#;

const BOUNDARY_ALLOW_V1: &str = r#"
    {
        "Sid": "EngineeringServices",
        "Effect": "Allow",
        "Action": [
            "s3:*",
            "dynamodb:*",
            "lambda:*",
            "logs:*",
            "cloudwatch:*",
            "ec2:Describe*",
            "sts:AssumeRole",
            "iam:Get*",
            "iam:List*"
        ],
        "Resource": "*"
    }"#;

const BOUNDARY_ALLOW_V2: &str = r#"
    {
        "Sid": "EngineeringServices",
        "Effect": "Allow",
        "Action": [
            "s3:*",
            "dynamodb:*",
            "lambda:*",
            "logs:*",
            "cloudwatch:*",
            "xray:*",
            "ecs:*",
            "ecr:*",
            "sqs:*",
            "sns:*",
            "athena:*",
            "glue:Get*",
            "ssm:GetParameter*",
            "cloudformation:*",
            "ec2:Describe*",
            "sts:AssumeRole",
            "sts:GetCallerIdentity",
            "iam:Get*",
            "iam:List*",
            "iam:ChangePassword",
            "iam:CreateAccessKey",
            "iam:DeleteAccessKey",
            "iam:UpdateAccessKey",
            "iam:CreateVirtualMFADevice",
            "iam:EnableMFADevice",
            "iam:ResyncMFADevice"
        ],
        "Resource": "*"
    }"#;

const BOUNDARY_PASS_ROLE: &str = r#"
    {
        "Sid": "PassOnlyEngineeringRoles",
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": "arn:aws:iam::ACCOUNT_ID:role/engineering/*"
    }"#;

const BOUNDARY_DENY: &str = r#"
    {
        "Sid": "NoEscalation",
        "Effect": "Deny",
        "Action": [
            "iam:CreateUser",
            "iam:CreateRole",
            "iam:AttachUserPolicy",
            "iam:AttachRolePolicy",
            "iam:PutUserPermissionsBoundary",
            "iam:PutRolePermissionsBoundary",
            "iam:DeleteUserPermissionsBoundary",
            "iam:DeleteRolePermissionsBoundary",
            "organizations:*",
            "account:*"
        ],
        "Resource": "*"
    }"#;

const CONTRACTOR_FUNCTIONS: &str = r#"
    {
        "Sid": "StorefrontFunctions",
        "Effect": "Allow",
        "Action": [
            "lambda:GetFunction",
            "lambda:ListFunctions",
            "lambda:UpdateFunctionCode",
            "lambda:InvokeFunction"
        ],
        "Resource": "arn:aws:lambda:*:ACCOUNT_ID:function:storefront-*"
    }"#;

const CONTRACTOR_ASSETS: &str = r#"
    {
        "Sid": "StorefrontAssets",
        "Effect": "Allow",
        "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
        "Resource": [
            "arn:aws:s3:::example-corp-storefront-assets",
            "arn:aws:s3:::example-corp-storefront-assets/*"
        ]
    }"#;

const CONTRACTOR_LOGS: &str = r#"
    {
        "Sid": "ReadLogs",
        "Effect": "Allow",
        "Action": [
            "logs:DescribeLogGroups",
            "logs:DescribeLogStreams",
            "logs:GetLogEvents",
            "logs:FilterLogEvents"
        ],
        "Resource": "*"
    }"#;

const LEGACY_DEPLOY: &str = r#"
    {
        "Sid": "DeployEverything",
        "Effect": "Allow",
        "Action": [
            "ec2:*",
            "ecs:*",
            "ecr:*",
            "elasticloadbalancing:*",
            "autoscaling:*",
            "cloudformation:*",
            "s3:*"
        ],
        "Resource": "*"
    }"#;

const LEGACY_PASS_ROLE: &str = r#"
    {
        "Sid": "PassAnyRole",
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": "*"
    }"#;

const DEPLOY_ECR_LOGIN: &str = r#"
    {
        "Sid": "RegistryLogin",
        "Effect": "Allow",
        "Action": "ecr:GetAuthorizationToken",
        "Resource": "*"
    }"#;

const DEPLOY_ECR_PUSH: &str = r#"
    {
        "Sid": "PushStorefrontImages",
        "Effect": "Allow",
        "Action": [
            "ecr:BatchCheckLayerAvailability",
            "ecr:InitiateLayerUpload",
            "ecr:UploadLayerPart",
            "ecr:CompleteLayerUpload",
            "ecr:PutImage"
        ],
        "Resource": "arn:aws:ecr:us-east-1:ACCOUNT_ID:repository/storefront"
    }"#;

const DEPLOY_ECS: &str = r#"
    {
        "Sid": "RollOutService",
        "Effect": "Allow",
        "Action": ["ecs:UpdateService", "ecs:DescribeServices"],
        "Resource": "arn:aws:ecs:us-east-1:ACCOUNT_ID:service/storefront-prod/storefront"
    }"#;

const DEPLOY_TASK_DEFINITIONS: &str = r#"
    {
        "Sid": "TaskDefinitions",
        "Effect": "Allow",
        "Action": ["ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition"],
        "Resource": "*"
    }"#;

const DEPLOY_PASS_ROLE: &str = r#"
    {
        "Sid": "PassTaskRoles",
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": [
            "arn:aws:iam::ACCOUNT_ID:role/StorefrontTaskRole",
            "arn:aws:iam::ACCOUNT_ID:role/ecsTaskExecutionRole"
        ],
        "Condition": {
            "StringEquals": {
                "iam:PassedToService": "ecs-tasks.amazonaws.com"
            }
        }
    }"#;

const DEPLOY_ASSETS: &str = r#"
    {
        "Sid": "PublishStaticAssets",
        "Effect": "Allow",
        "Action": ["s3:PutObject", "s3:DeleteObject", "s3:ListBucket"],
        "Resource": [
            "arn:aws:s3:::example-corp-storefront-assets",
            "arn:aws:s3:::example-corp-storefront-assets/*"
        ]
    }"#;

const MONITORING: &str = r#"
    {
        "Sid": "ReadMetricsAndInventory",
        "Effect": "Allow",
        "Action": [
            "cloudwatch:Describe*",
            "cloudwatch:Get*",
            "cloudwatch:List*",
            "ec2:Describe*",
            "ecs:Describe*",
            "ecs:List*",
            "elasticloadbalancing:Describe*",
            "rds:Describe*",
            "lambda:List*",
            "logs:Describe*",
            "logs:FilterLogEvents",
            "sqs:ListQueues",
            "tag:GetResources"
        ],
        "Resource": "*"
    }"#;

const BACKUP_LIST: &str = r#"
    {
        "Sid": "ListBackups",
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": "arn:aws:s3:::example-corp-backups"
    }"#;

const BACKUP_WRITE: &str = r#"
    {
        "Sid": "WriteEncryptedBackups",
        "Effect": "Allow",
        "Action": "s3:PutObject",
        "Resource": "arn:aws:s3:::example-corp-backups/*",
        "Condition": {
            "StringEquals": {
                "s3:x-amz-server-side-encryption": "aws:kms"
            }
        }
    }"#;

const BACKUP_KMS: &str = r#"
    {
        "Sid": "UseBackupKey",
        "Effect": "Allow",
        "Action": ["kms:GenerateDataKey", "kms:Encrypt"],
        "Resource": "arn:aws:kms:us-east-1:ACCOUNT_ID:key/BACKUP_KEY_ID"
    }"#;

const BACKUP_NO_DELETE: &str = r#"
    {
        "Sid": "NeverDeleteBackups",
        "Effect": "Deny",
        "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion"],
        "Resource": "arn:aws:s3:::example-corp-backups/*"
    }"#;

const DATALAKE_S3_V1: &str = r#"
    {
        "Sid": "ReadDataLake",
        "Effect": "Allow",
        "Action": ["s3:GetObject", "s3:ListBucket"],
        "Resource": [
            "arn:aws:s3:::example-corp-datalake",
            "arn:aws:s3:::example-corp-datalake/*"
        ]
    }"#;

const DATALAKE_LIST_CURATED: &str = r#"
    {
        "Sid": "ListCuratedZone",
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": "arn:aws:s3:::example-corp-datalake",
        "Condition": {
            "StringLike": {
                "s3:prefix": ["curated/*"]
            }
        }
    }"#;

const DATALAKE_READ_CURATED: &str = r#"
    {
        "Sid": "ReadCuratedZone",
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::example-corp-datalake/curated/*"
    }"#;

const DATALAKE_QUERY: &str = r#"
    {
        "Sid": "QueryWithAthena",
        "Effect": "Allow",
        "Action": [
            "athena:StartQueryExecution",
            "athena:GetQueryExecution",
            "athena:GetQueryResults",
            "athena:GetWorkGroup",
            "glue:GetDatabase",
            "glue:GetDatabases",
            "glue:GetTable",
            "glue:GetTables",
            "glue:GetPartitions"
        ],
        "Resource": [
            "arn:aws:athena:us-east-1:ACCOUNT_ID:workgroup/analytics",
            "arn:aws:glue:us-east-1:ACCOUNT_ID:catalog",
            "arn:aws:glue:us-east-1:ACCOUNT_ID:database/curated",
            "arn:aws:glue:us-east-1:ACCOUNT_ID:table/curated/*"
        ]
    }"#;

const DATALAKE_LAKE_FORMATION: &str = r#"
    {
        "Sid": "LakeFormationCredentials",
        "Effect": "Allow",
        "Action": "lakeformation:GetDataAccess",
        "Resource": "*"
    }"#;

const ASSUME_ENGINEERING_ROLES: &str = r#"
    {
        "Sid": "AssumeEngineeringRoles",
        "Effect": "Allow",
        "Action": "sts:AssumeRole",
        "Resource": "arn:aws:iam::ACCOUNT_ID:role/engineering/*"
    }"#;

const ASSUME_SECURITY_AUDIT_ROLE: &str = r#"
    {
        "Sid": "AssumeSecurityAuditRole",
        "Effect": "Allow",
        "Action": "sts:AssumeRole",
        "Resource": "arn:aws:iam::ACCOUNT_ID:role/security/SecurityAuditRole"
    }"#;

const ACCESS_ANALYZER_READ: &str = r#"
    {
        "Sid": "ReadAccessAnalyzerFindings",
        "Effect": "Allow",
        "Action": ["access-analyzer:List*", "access-analyzer:Get*"],
        "Resource": "*"
    }"#;

const COST_REPORTS: &str = r#"
    {
        "Sid": "ReadCostAndUsageReports",
        "Effect": "Allow",
        "Action": ["s3:GetObject", "s3:ListBucket"],
        "Resource": [
            "arn:aws:s3:::example-corp-cur",
            "arn:aws:s3:::example-corp-cur/*"
        ]
    }"#;

const SUPPORT_TICKETS_BUCKET: &str = r#"
    {
        "Sid": "CustomerAttachments",
        "Effect": "Allow",
        "Action": ["s3:GetObject", "s3:ListBucket"],
        "Resource": [
            "arn:aws:s3:::example-corp-support-attachments",
            "arn:aws:s3:::example-corp-support-attachments/*"
        ]
    }"#;

const ATHENA_WORKGROUP: &str = r#"
    {
        "Sid": "AnalyticsWorkgroup",
        "Effect": "Allow",
        "Action": "athena:*",
        "Resource": "arn:aws:athena:us-east-1:ACCOUNT_ID:workgroup/analytics"
    }"#;

const TEMPORARY_DB_ACCESS: &str = r#"
    {
        "Sid": "IncidentDatabaseAccess",
        "Effect": "Allow",
        "Action": "rds-db:connect",
        "Resource": "arn:aws:rds-db:us-east-1:ACCOUNT_ID:dbuser:db-ORDERSPRIMARY01/kofi",
        "Condition": {
            "DateLessThan": {
                "aws:CurrentTime": "EXPIRES"
            }
        }
    }"#;

const ARTIFACT_BUCKET: &str = r#"
    {
        "Sid": "BuildArtifacts",
        "Effect": "Allow",
        "Action": ["s3:GetObject", "s3:PutObject"],
        "Resource": "arn:aws:s3:::example-corp-artifacts/*"
    }"#;

const APP_CONFIG: &str = r#"
    {
        "Sid": "ReadAppParameters",
        "Effect": "Allow",
        "Action": ["ssm:GetParameter", "ssm:GetParametersByPath"],
        "Resource": "arn:aws:ssm:us-east-1:ACCOUNT_ID:parameter/webapp/*"
    }"#;

const APP_CONFIG_KMS: &str = r#"
    {
        "Sid": "DecryptParametersViaSSM",
        "Effect": "Allow",
        "Action": "kms:Decrypt",
        "Resource": "arn:aws:kms:us-east-1:ACCOUNT_ID:key/APP_KEY_ID",
        "Condition": {
            "StringEquals": {
                "kms:ViaService": "ssm.us-east-1.amazonaws.com"
            }
        }
    }"#;

const ORDERS_QUEUE: &str = r#"
    {
        "Sid": "ConsumeOrders",
        "Effect": "Allow",
        "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
        "Resource": "arn:aws:sqs:us-east-1:ACCOUNT_ID:orders"
    }"#;

const ORDERS_TABLE: &str = r#"
    {
        "Sid": "WriteOrders",
        "Effect": "Allow",
        "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"],
        "Resource": [
            "arn:aws:dynamodb:us-east-1:ACCOUNT_ID:table/orders",
            "arn:aws:dynamodb:us-east-1:ACCOUNT_ID:table/orders/index/*"
        ]
    }"#;

const STOREFRONT_RUNTIME: &str = r#"
    {
        "Sid": "StorefrontData",
        "Effect": "Allow",
        "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"],
        "Resource": "arn:aws:dynamodb:us-east-1:ACCOUNT_ID:table/storefront-*"
    }"#;

const STOREFRONT_SECRETS: &str = r#"
    {
        "Sid": "StorefrontSecrets",
        "Effect": "Allow",
        "Action": "secretsmanager:GetSecretValue",
        "Resource": "arn:aws:secretsmanager:us-east-1:ACCOUNT_ID:secret:storefront/*"
    }"#;

// --- trust policies -----------------------------------------------------------------------------

const TRUST_ACCOUNT: &str = r#"
    {
        "Effect": "Allow",
        "Principal": {
            "AWS": "arn:aws:iam::ACCOUNT_ID:root"
        },
        "Action": "sts:AssumeRole"
    }"#;

const TRUST_ACCOUNT_WITH_MFA: &str = r#"
    {
        "Sid": "AdminsWithRecentMFA",
        "Effect": "Allow",
        "Principal": {
            "AWS": "arn:aws:iam::ACCOUNT_ID:root"
        },
        "Action": "sts:AssumeRole",
        "Condition": {
            "Bool": {
                "aws:MultiFactorAuthPresent": "true"
            },
            "NumericLessThan": {
                "aws:MultiFactorAuthAge": "3600"
            }
        }
    }"#;

const TRUST_VENDOR: &str = r#"
    {
        "Sid": "VendorWithExternalId",
        "Effect": "Allow",
        "Principal": {
            "AWS": "arn:aws:iam::VENDOR_ACCOUNT:root"
        },
        "Action": "sts:AssumeRole",
        "Condition": {
            "StringEquals": {
                "sts:ExternalId": "EXTERNAL_ID"
            }
        }
    }"#;

const TRUST_ECS_TASKS: &str = r#"
    {
        "Effect": "Allow",
        "Principal": {
            "Service": "ecs-tasks.amazonaws.com"
        },
        "Action": "sts:AssumeRole",
        "Condition": {
            "ArnLike": {
                "aws:SourceArn": "arn:aws:ecs:us-east-1:ACCOUNT_ID:*"
            },
            "StringEquals": {
                "aws:SourceAccount": "ACCOUNT_ID"
            }
        }
    }"#;

const TRUST_GITHUB: &str = r#"
    {
        "Sid": "GitHubActionsStorefrontMain",
        "Effect": "Allow",
        "Principal": {
            "Federated": "arn:aws:iam::ACCOUNT_ID:oidc-provider/token.actions.githubusercontent.com"
        },
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
            "StringEquals": {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com"
            },
            "StringLike": {
                "token.actions.githubusercontent.com:sub": [
                    "repo:example-corp/storefront:ref:refs/heads/main",
                    "repo:example-corp/storefront:environment:production"
                ]
            }
        }
    }"#;

const TRUST_OKTA: &str = r#"
    {
        "Effect": "Allow",
        "Principal": {
            "Federated": "arn:aws:iam::ACCOUNT_ID:saml-provider/Okta"
        },
        "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"],
        "Condition": {
            "StringEquals": {
                "SAML:aud": "https://signin.aws.amazon.com/saml"
            }
        }
    }"#;

/// The GitHub Actions OIDC provider's host and the thumbprints AWS documents for it.
pub(super) const GITHUB_OIDC: &str = "token.actions.githubusercontent.com";
pub(super) const GITHUB_THUMBPRINTS: [&str; 2] = [
    "6938fd4d98bab03faadb97b34396831e3780aea1",
    "1c58a3a8518e8759bf075b76b750d4f2df264fcd",
];

// --- the builder --------------------------------------------------------------------------------

struct Demo {
    a: Account,
    now: Timestamp,
    /// Replacements for the placeholders in the statement texts.
    fills: Vec<(&'static str, String)>,
}

impl Demo {
    /// `days` days ago, a few hours earlier so that times are not all at the same minute
    /// (less than a day earlier, so a later day is always a later time).
    fn at(&self, days: i64) -> Timestamp {
        if days == 0 {
            return self.now - Duration::minutes(17);
        }
        self.now - Duration::days(days) - Duration::minutes((days * 53) % 480)
    }

    fn arn(&self, kind: &str, path: &str, name: &str) -> String {
        iam_arn(&self.a.account_id, kind, path, name)
    }

    /// A policy of `statements` with the account id and the other placeholders filled in.
    fn doc(&self, statements: &[&str]) -> String {
        let mut text = policy_document(statements);
        for (placeholder, value) in &self.fills {
            text = text.replace(placeholder, value);
        }
        text
    }

    fn last_used(&self, days: i64, service: Option<&str>, region: &str) -> LastUsed {
        LastUsed {
            date: Some(self.at(days)),
            service: service.map(str::to_string),
            region: Some(region.to_string()),
        }
    }

    /// A customer-managed policy whose versions are `(days ago, document)`, numbered from
    /// `first` (earlier ones were deleted); `default` is the default version's number.
    fn policy(
        &mut self,
        name: &str,
        path: &str,
        description: &str,
        tag_pairs: &[(&str, &str)],
        (first, default): (u32, u32),
        versions: Vec<(i64, String)>,
    ) -> String {
        let created = versions.first().map_or(0, |v| v.0) + if first > 1 { 60 } else { 0 };
        let records: Vec<PolicyVersionRecord> = versions
            .into_iter()
            .zip(first..)
            .map(|((days, document), n)| PolicyVersionRecord {
                version_id: format!("v{n}"),
                document,
                create_date: self.at(days),
            })
            .collect();
        let default_id = format!("v{default}");
        let update_date = records
            .iter()
            .find(|v| v.version_id == default_id)
            .map(|v| v.create_date)
            .expect("the default version is one of the versions");
        let next_version = first + records.len() as u32;
        self.a.policies.insert(PolicyRecord {
            name: name.to_string(),
            policy_id: names::unique_id("ANPA"),
            path: path.to_string(),
            description: Some(description.to_string()),
            create_date: self.at(created),
            update_date,
            default_version_id: default_id,
            next_version,
            versions: records,
            tags: tags(tag_pairs),
        });
        self.arn("policy", path, name)
    }

    fn group(
        &mut self,
        name: &str,
        path: &str,
        age: i64,
        attached: Vec<String>,
        inline_policies: Vec<InlinePolicyRecord>,
    ) {
        let mut table = Table::default();
        for p in inline_policies {
            table.insert(p);
        }
        self.a.groups.insert(GroupRecord {
            name: name.to_string(),
            group_id: names::unique_id("AGPA"),
            path: path.to_string(),
            create_date: self.at(age),
            attached_policies: attached,
            inline_policies: table,
        });
    }

    fn role(
        &self,
        name: &str,
        path: &str,
        age: i64,
        description: &str,
        trust: String,
    ) -> RoleRecord {
        RoleRecord {
            name: name.to_string(),
            role_id: names::unique_id("AROA"),
            path: path.to_string(),
            create_date: self.at(age),
            description: Some(description.to_string()),
            max_session_duration: 3600,
            assume_role_policy: trust,
            permissions_boundary: None,
            tags: Vec::new(),
            attached_policies: Vec::new(),
            inline_policies: Table::default(),
            last_used: LastUsed::default(),
        }
    }

    fn instance_profile(&mut self, role: &RoleRecord) {
        self.a.instance_profiles.insert(InstanceProfileRecord {
            name: role.name.clone(),
            instance_profile_id: names::unique_id("AIPA"),
            path: role.path.clone(),
            create_date: role.create_date,
            roles: vec![role.name.clone()],
            tags: Vec::new(),
        });
    }

    fn person(&mut self, p: &Person) {
        let created = self.at(p.age);
        let dept = department(p.path);
        let mut user_tags = tags(&[
            ("Department", dept),
            ("Team", p.team),
            ("CostCenter", cost_center(dept)),
        ]);
        let access_keys = p
            .keys
            .iter()
            .map(|k| AccessKeyRecord {
                access_key_id: names::access_key_id("AKIA"),
                secret_access_key: Secret(names::secret_access_key()),
                status: if k.active {
                    KeyStatus::Active
                } else {
                    KeyStatus::Inactive
                },
                create_date: self.at(k.age),
                last_used: match k.used {
                    Some((days, service, region)) => self.last_used(days, Some(service), region),
                    None => LastUsed::default(),
                },
            })
            .collect();
        let mut mfa_devices = Vec::new();
        if let Some(days) = p.mfa {
            let enabled = self.at(days);
            let serial = self.arn("mfa", "/", p.name);
            self.a.virtual_mfa_devices.insert(VirtualMfaRecord {
                name: p.name.to_string(),
                path: "/".into(),
                serial_number: serial.clone(),
                seed_base32: Secret(names::totp_seed()),
                create_date: enabled - Duration::seconds(40),
                user: Some(p.name.to_string()),
                enable_date: Some(enabled),
                last_step: None,
                tags: Vec::new(),
            });
            mfa_devices.push(MfaAssignmentRecord {
                serial_number: serial,
                enable_date: enabled,
            });
        }
        if p.path == "/contractors/" {
            let company = p.name.split('@').nth(1).unwrap_or("");
            user_tags.push(Tag::new("Company", company));
            user_tags.push(Tag::new(
                "ContractEnds",
                (self.now + Duration::days(if p.signed_in.is_some() { 75 } else { -30 }))
                    .format("%Y-%m-%d")
                    .to_string(),
            ));
        }
        if p.path == "/service-accounts/" {
            user_tags.push(Tag::new("Owner", format!("{}-team@example.com", p.team)));
        }
        self.a.users.insert(UserRecord {
            name: p.name.to_string(),
            user_id: names::unique_id("AIDA"),
            path: p.path.to_string(),
            create_date: created,
            password_last_used: p.signed_in.map(|d| self.at(d)),
            login_profile: p.console.map(|d| LoginProfile {
                create_date: self.at(d).max(created),
                password_reset_required: p.signed_in.is_none() && p.age < 30,
            }),
            permissions_boundary: None,
            tags: user_tags,
            groups: p.groups.iter().map(|g| g.to_string()).collect(),
            attached_policies: Vec::new(),
            inline_policies: Table::default(),
            access_keys,
            mfa_devices,
        });
    }

    fn user_mut(&mut self, name: &str) -> &mut UserRecord {
        self.a.users.get_mut(name).expect("a demo user")
    }
}

/// A realistic account to explore (see the module docs for what it holds), with random ids,
/// secrets, seeds and account id.
pub fn demo_account(now: Timestamp) -> Account {
    demo_account_with(now, &RandomIds)
}

/// The demo account at `now`, with ids, secrets, seeds and the account id from `ids`.
pub fn demo_account_with(now: Timestamp, ids: &dyn IdSource) -> Account {
    load(SEED, now, ids).expect("the embedded demo seed loads (a unit test checks it)")
}

/// The old builder (being replaced by the seed).
pub fn built_demo_account(now: Timestamp) -> Account {
    let mut a = Account::empty(names::account_id(), now - Duration::days(1500));
    a.origin = "demo".into();
    a.aliases = vec!["example-corp".into()];
    let account_id = a.account_id.clone();
    let mut d = Demo {
        a,
        now,
        fills: vec![
            ("ACCOUNT_ID", account_id),
            ("VENDOR_ACCOUNT", VENDOR_ACCOUNT.to_string()),
            ("EXTERNAL_ID", uuid_like()),
            ("BACKUP_KEY_ID", uuid_like()),
            ("APP_KEY_ID", uuid_like()),
            (
                "EXPIRES",
                (now - Duration::days(30))
                    .format("%Y-%m-%dT00:00:00Z")
                    .to_string(),
            ),
        ],
    };

    // Customer-managed policies.
    let self_manage = d.policy(
        "SelfManageCredentials",
        "/",
        "Lets every person change their password and manage their own access keys and MFA device.",
        &[("Owner", "security"), ("ManagedBy", "terraform")],
        (1, 2),
        vec![
            (1380, d.doc(&[SELF_PASSWORD, SELF_KEYS_V1])),
            (400, d.doc(&[SELF_PASSWORD, SELF_KEYS_V2, SELF_MFA])),
        ],
    );
    let developer_access = d.policy(
        "DeveloperAccess",
        "/",
        "Day-to-day developer access: serverless, containers, and dev-* data stores and buckets. v7 (Bedrock) awaits security review.",
        &[("Owner", "platform"), ("ManagedBy", "terraform")],
        (3, 6),
        vec![
            (520, d.doc(&[DEV_SERVERLESS, DEV_TABLES])),
            (400, d.doc(&[DEV_SERVERLESS, DEV_DATA, DEV_BUCKETS])),
            (260, d.doc(&[DEV_SERVERLESS_AND_CONTAINERS, DEV_DATA, DEV_BUCKETS])),
            (
                90,
                d.doc(&[
                    DEV_SERVERLESS_CONTAINERS_TRACING,
                    DEV_DATA,
                    DEV_BUCKETS,
                    DEV_PASS_ROLE,
                ]),
            ),
            (
                6,
                d.doc(&[
                    DEV_SERVERLESS_CONTAINERS_TRACING,
                    DEV_DATA,
                    DEV_BUCKETS,
                    DEV_PASS_ROLE,
                    DEV_BEDROCK,
                ]),
            ),
        ],
    );
    let region_restriction = d.policy(
        "RegionRestriction",
        "/",
        "Denies regional services outside us-east-1, us-west-2 and eu-west-1.",
        &[("Owner", "security"), ("ManagedBy", "terraform")],
        (1, 1),
        vec![(700, d.doc(&[REGION_RESTRICTION]))],
    );
    let boundary = d.policy(
        "EngineeringBoundary",
        "/boundaries/",
        "Permissions boundary for contractors and engineering sandboxes: no identity administration, no role passing outside /engineering/.",
        &[("Owner", "security"), ("Purpose", "permissions-boundary")],
        (1, 2),
        vec![
            (600, d.doc(&[BOUNDARY_ALLOW_V1, BOUNDARY_DENY])),
            (
                150,
                d.doc(&[BOUNDARY_ALLOW_V2, BOUNDARY_PASS_ROLE, BOUNDARY_DENY]),
            ),
        ],
    );
    let contractor_access = d.policy(
        "ContractorAccess",
        "/",
        "What storefront contractors work on: the storefront-* functions, the assets bucket and logs.",
        &[("Owner", "storefront")],
        (1, 1),
        vec![(
            400,
            d.doc(&[CONTRACTOR_FUNCTIONS, CONTRACTOR_ASSETS, CONTRACTOR_LOGS]),
        )],
    );
    let legacy_deploy = d.policy(
        "LegacyDeployAutomation",
        "/",
        "Jenkins deploy permissions from the 2021 migration. TODO: scope iam:PassRole down.",
        &[("Owner", "platform")],
        (1, 1),
        vec![(1390, d.doc(&[LEGACY_DEPLOY, LEGACY_PASS_ROLE]))],
    );
    let storefront_deploy = d.policy(
        "StorefrontDeploy",
        "/ci/",
        "Lets the storefront's GitHub Actions workflow push images, publish assets and roll out the ECS service.",
        &[("Owner", "storefront"), ("ManagedBy", "terraform")],
        (1, 1),
        vec![(
            330,
            d.doc(&[
                DEPLOY_ECR_LOGIN,
                DEPLOY_ECR_PUSH,
                DEPLOY_ECS,
                DEPLOY_TASK_DEFINITIONS,
                DEPLOY_PASS_ROLE,
                DEPLOY_ASSETS,
            ]),
        )],
    );
    let monitoring = d.policy(
        "MonitoringReadOnly",
        "/",
        "Read-only metrics and inventory for the monitoring vendor.",
        &[("Owner", "platform"), ("Vendor", "monitoring")],
        (1, 1),
        vec![(720, d.doc(&[MONITORING]))],
    );
    let backup_writer = d.policy(
        "BackupWriter",
        "/",
        "Writes KMS-encrypted backups; can never delete them.",
        &[("Owner", "platform")],
        (1, 1),
        vec![(
            600,
            d.doc(&[BACKUP_LIST, BACKUP_WRITE, BACKUP_KMS, BACKUP_NO_DELETE]),
        )],
    );
    let datalake = d.policy(
        "DataLakeReadAccess",
        "/",
        "Reads the curated zone of the data lake and queries it with Athena. v3 (Lake Formation) is a draft.",
        &[("Owner", "data"), ("ManagedBy", "terraform")],
        (1, 2),
        vec![
            (500, d.doc(&[DATALAKE_S3_V1])),
            (
                250,
                d.doc(&[DATALAKE_LIST_CURATED, DATALAKE_READ_CURATED, DATALAKE_QUERY]),
            ),
            (
                20,
                d.doc(&[
                    DATALAKE_LIST_CURATED,
                    DATALAKE_READ_CURATED,
                    DATALAKE_QUERY,
                    DATALAKE_LAKE_FORMATION,
                ]),
            ),
        ],
    );

    // Groups.
    d.group(
        "Admins",
        "/",
        1450,
        vec![aws("AdministratorAccess")],
        Vec::new(),
    );
    let assume_engineering = d.doc(&[ASSUME_ENGINEERING_ROLES]);
    d.group(
        "Developers",
        "/engineering/",
        1380,
        vec![
            aws("ReadOnlyAccess"),
            developer_access,
            region_restriction.clone(),
        ],
        vec![inline("AssumeEngineeringRoles", assume_engineering)],
    );
    d.group(
        "DataEngineering",
        "/engineering/",
        800,
        vec![aws("AmazonS3ReadOnlyAccess"), datalake.clone()],
        Vec::new(),
    );
    d.group(
        "ReadOnly",
        "/",
        1400,
        vec![aws("ReadOnlyAccess")],
        Vec::new(),
    );
    let cost_reports = d.doc(&[COST_REPORTS]);
    d.group(
        "Finance",
        "/finance/",
        1300,
        vec![aws("job-function/Billing"), aws("AWSBillingReadOnlyAccess")],
        vec![inline("CostAndUsageReports", cost_reports)],
    );
    let (assume_audit, analyzer) = (
        d.doc(&[ASSUME_SECURITY_AUDIT_ROLE]),
        d.doc(&[ACCESS_ANALYZER_READ]),
    );
    d.group(
        "Security-Auditors",
        "/security/",
        1100,
        vec![aws("SecurityAudit"), aws("job-function/ViewOnlyAccess")],
        vec![
            inline("AssumeSecurityAuditRole", assume_audit),
            inline("AccessAnalyzerReadOnly", analyzer),
        ],
    );
    let support_bucket = d.doc(&[SUPPORT_TICKETS_BUCKET]);
    d.group(
        "Support",
        "/support/",
        900,
        vec![aws("AWSSupportAccess"), aws("job-function/ViewOnlyAccess")],
        vec![inline("CustomerAttachments", support_bucket)],
    );
    d.group(
        "Contractors",
        "/contractors/",
        450,
        vec![contractor_access, region_restriction],
        Vec::new(),
    );
    d.group(
        "AllStaff",
        "/",
        1400,
        vec![aws("IAMUserChangePassword"), self_manage],
        Vec::new(),
    );

    // Users.
    for p in PEOPLE {
        d.person(p);
    }
    for p in PEOPLE.iter().filter(|p| p.path == "/contractors/") {
        d.user_mut(p.name).permissions_boundary = Some(boundary.clone());
    }
    d.user_mut("sysadmin").attached_policies = vec![aws("AdministratorAccess")];
    d.user_mut("jenkins-ci").attached_policies =
        vec![legacy_deploy, aws("AmazonEC2ContainerRegistryReadOnly")];
    let artifacts = d.doc(&[ARTIFACT_BUCKET]);
    d.user_mut("jenkins-ci")
        .inline_policies
        .insert(inline("BuildArtifacts", artifacts));
    d.user_mut("backup-agent").attached_policies = vec![backup_writer];
    d.user_mut("legacy-reporting").attached_policies = vec![
        aws("AmazonS3ReadOnlyAccess"),
        aws("AmazonRDSReadOnlyAccess"),
    ];
    let athena = d.doc(&[ATHENA_WORKGROUP]);
    d.user_mut("lena.petrov")
        .inline_policies
        .insert(inline("AnalyticsWorkgroup", athena));
    let incident = d.doc(&[TEMPORARY_DB_ACCESS]);
    d.user_mut("kofi.mensah")
        .inline_policies
        .insert(inline("TemporaryOrdersDbAccess", incident));

    // An MFA device someone began to set up and never enabled.
    let serial = d.arn("mfa", "/", "chloe.kim");
    let abandoned = d.at(12);
    d.a.virtual_mfa_devices.insert(VirtualMfaRecord {
        name: "chloe.kim".into(),
        path: "/".into(),
        serial_number: serial,
        seed_base32: Secret(names::totp_seed()),
        create_date: abandoned,
        user: None,
        enable_date: None,
        last_step: None,
        tags: Vec::new(),
    });

    // Roles.
    let mut r = d.role(
        "WebAppInstanceRole",
        "/",
        1100,
        "Storefront web servers: Session Manager, CloudWatch agent and app parameters.",
        trust_services(&["ec2.amazonaws.com"]),
    );
    r.attached_policies = vec![
        aws("AmazonSSMManagedInstanceCore"),
        aws("CloudWatchAgentServerPolicy"),
    ];
    r.inline_policies.insert(inline(
        "ReadAppConfig",
        d.doc(&[APP_CONFIG, APP_CONFIG_KMS]),
    ));
    r.tags = tags(&[
        ("Team", "storefront"),
        ("Environment", "production"),
        ("ManagedBy", "terraform"),
    ]);
    r.last_used = d.last_used(0, None, "us-east-1");
    d.instance_profile(&r);
    d.a.roles.insert(r);

    let mut r = d.role(
        "BastionHostRole",
        "/",
        1000,
        "Bastion hosts reachable through Session Manager only.",
        trust_services(&["ec2.amazonaws.com"]),
    );
    r.attached_policies = vec![aws("AmazonSSMManagedInstanceCore")];
    r.tags = tags(&[("Team", "platform"), ("Environment", "production")]);
    r.last_used = d.last_used(15, None, "us-east-1");
    d.instance_profile(&r);
    d.a.roles.insert(r);

    let mut r = d.role(
        "OrderProcessorLambda",
        "/service-role/",
        700,
        "Execution role of the order-processor function.",
        trust_services(&["lambda.amazonaws.com"]),
    );
    r.attached_policies = vec![aws("service-role/AWSLambdaBasicExecutionRole")];
    r.inline_policies.insert(inline(
        "OrdersQueueAndTable",
        d.doc(&[ORDERS_QUEUE, ORDERS_TABLE]),
    ));
    r.tags = tags(&[("Team", "checkout"), ("Environment", "production")]);
    r.last_used = d.last_used(0, None, "us-east-1");
    d.a.roles.insert(r);

    let mut r = d.role(
        "ecsTaskExecutionRole",
        "/",
        900,
        "Lets ECS pull images and write container logs.",
        trust_services(&["ecs-tasks.amazonaws.com"]),
    );
    r.attached_policies = vec![aws("service-role/AmazonECSTaskExecutionRolePolicy")];
    r.last_used = d.last_used(0, None, "us-east-1");
    d.a.roles.insert(r);

    let mut r = d.role(
        "StorefrontTaskRole",
        "/",
        880,
        "What the storefront containers may do at run time.",
        d.doc(&[TRUST_ECS_TASKS]),
    );
    r.inline_policies.insert(inline(
        "StorefrontRuntime",
        d.doc(&[STOREFRONT_RUNTIME, STOREFRONT_SECRETS]),
    ));
    r.tags = tags(&[("Team", "storefront"), ("Environment", "production")]);
    r.last_used = d.last_used(0, None, "us-east-1");
    d.a.roles.insert(r);

    let mut r = d.role(
        "VendorMonitoringRole",
        "/",
        720,
        "Assumed by the monitoring vendor's account; the external id is theirs for us.",
        d.doc(&[TRUST_VENDOR]),
    );
    r.attached_policies = vec![monitoring];
    r.tags = tags(&[("Vendor", "monitoring"), ("DataClassification", "internal")]);
    r.last_used = d.last_used(0, None, "us-east-1");
    d.a.roles.insert(r);

    let mut r = d.role(
        "BreakGlassAdmin",
        "/",
        1300,
        "Emergency administrator access. Requires MFA in the last hour; every use is reviewed.",
        d.doc(&[TRUST_ACCOUNT_WITH_MFA]),
    );
    r.attached_policies = vec![aws("AdministratorAccess")];
    r.tags = tags(&[("Owner", "security"), ("Criticality", "high")]);
    r.last_used = d.last_used(94, None, "us-east-1");
    d.a.roles.insert(r);

    let mut r = d.role(
        "DeveloperSandbox",
        "/engineering/",
        600,
        "Power-user access for developers, within the engineering boundary.",
        d.doc(&[TRUST_ACCOUNT]),
    );
    r.max_session_duration = 14_400;
    r.attached_policies = vec![aws("PowerUserAccess")];
    r.permissions_boundary = Some(boundary);
    r.tags = tags(&[("Team", "platform"), ("Environment", "sandbox")]);
    r.last_used = d.last_used(3, None, "us-east-1");
    d.a.roles.insert(r);

    let mut r = d.role(
        "SecurityAuditRole",
        "/security/",
        1100,
        "Read-only security review of the whole account.",
        d.doc(&[TRUST_ACCOUNT]),
    );
    r.attached_policies = vec![aws("SecurityAudit"), aws("job-function/ViewOnlyAccess")];
    r.tags = tags(&[("Owner", "security")]);
    r.last_used = d.last_used(6, None, "us-east-1");
    d.a.roles.insert(r);

    let mut r = d.role(
        "GitHubActionsDeploy",
        "/ci/",
        330,
        "Deploys the storefront from GitHub Actions (main branch and production environment).",
        d.doc(&[TRUST_GITHUB]),
    );
    r.attached_policies = vec![storefront_deploy];
    r.tags = tags(&[
        ("Team", "storefront"),
        ("Repository", "example-corp/storefront"),
    ]);
    r.last_used = d.last_used(0, None, "us-east-1");
    d.a.roles.insert(r);

    let mut r = d.role(
        "OktaEngineering",
        "/sso/",
        800,
        "Engineers signing in through Okta.",
        d.doc(&[TRUST_OKTA]),
    );
    r.max_session_duration = 43_200;
    r.attached_policies = vec![aws("PowerUserAccess")];
    r.tags = tags(&[("IdentityProvider", "okta")]);
    r.last_used = d.last_used(1, None, "us-east-1");
    d.a.roles.insert(r);

    let mut r = d.role(
        "OktaReadOnly",
        "/sso/",
        800,
        "Everyone else signing in through Okta.",
        d.doc(&[TRUST_OKTA]),
    );
    r.max_session_duration = 28_800;
    r.attached_policies = vec![aws("ReadOnlyAccess")];
    r.tags = tags(&[("IdentityProvider", "okta")]);
    r.last_used = d.last_used(12, None, "eu-west-1");
    d.a.roles.insert(r);

    for (name, service, policy, age, used, description) in [
        (
            "AWSServiceRoleForSupport",
            "support.amazonaws.com",
            "aws-service-role/AWSSupportServiceRolePolicy",
            1490,
            40,
            "Enables resource access for AWS to provide billing, administrative and support services",
        ),
        (
            "AWSServiceRoleForTrustedAdvisor",
            "trustedadvisor.amazonaws.com",
            "aws-service-role/AWSTrustedAdvisorServiceRolePolicy",
            1490,
            1,
            "Access for the AWS Trusted Advisor Service to help reduce cost, increase performance, and improve security of your AWS environment.",
        ),
        (
            "AWSServiceRoleForRDS",
            "rds.amazonaws.com",
            "aws-service-role/AmazonRDSServiceRolePolicy",
            1200,
            2,
            "Allows Amazon RDS to manage AWS resources on your behalf",
        ),
    ] {
        let mut r = d.role(
            name,
            &format!("/aws-service-role/{service}/"),
            age,
            description,
            trust_services(&[service]),
        );
        r.attached_policies = vec![aws(policy)];
        r.last_used = d.last_used(used, None, "us-east-1");
        d.a.roles.insert(r);
    }

    let mut r = d.role(
        "OldDataPipelineRole",
        "/",
        1350,
        "Data Pipeline jobs (migrated to Step Functions in 2023).",
        trust_services(&[
            "datapipeline.amazonaws.com",
            "elasticmapreduce.amazonaws.com",
        ]),
    );
    r.attached_policies = vec![aws("AmazonS3FullAccess")];
    d.a.roles.insert(r);

    // Account settings and identity providers.
    d.a.password_policy = Some(PasswordPolicy {
        minimum_password_length: Some(14),
        require_symbols: true,
        require_numbers: true,
        require_uppercase_characters: true,
        require_lowercase_characters: true,
        allow_users_to_change_password: true,
        expire_passwords: true,
        max_password_age: Some(90),
        password_reuse_prevention: Some(24),
        hard_expiry: Some(false),
    });
    let valid_until = whole_seconds(now + Duration::days(3 * 365));
    d.a.saml_providers.insert(SamlProviderRecord {
        name: "Okta".into(),
        metadata_document: saml_metadata(
            "http://www.okta.com/exk8example0corp5d7",
            "https://example-corp.okta.com/app/amazon_aws/exk8example0corp5d7/sso/saml",
            valid_until,
        ),
        create_date: d.at(800),
        valid_until: Some(valid_until),
        tags: tags(&[("Owner", "it")]),
    });
    d.a.oidc_providers.insert(OidcProviderRecord {
        url: GITHUB_OIDC.into(),
        client_ids: vec!["sts.amazonaws.com".into()],
        thumbprints: GITHUB_THUMBPRINTS.iter().map(|t| t.to_string()).collect(),
        create_date: d.at(340),
        tags: tags(&[("Owner", "platform")]),
    });
    d.a
}

#[cfg(test)]
#[path = "demo_seedgen.rs"]
mod seedgen;

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use chrono::Utc;

    use super::super::LocalBackend;
    use super::super::generate::tests::{assert_round_trips, assert_sound};
    use super::*;
    use crate::iam::types::{AssumeRoleRequest, PageRequest};
    use crate::iam::{Backend, ErrorKind, totp};

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

        let mut names = Vec::new();
        let mut marker = None;
        loop {
            let page = b
                .list_users(PageRequest {
                    marker,
                    max_items: Some(10),
                    path_prefix: None,
                })
                .await
                .unwrap();
            names.extend(page.items.into_iter().map(|u| u.name));
            marker = page.next_marker;
            if marker.is_none() {
                break;
            }
        }
        assert_eq!(names.len(), account.users.len());
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
