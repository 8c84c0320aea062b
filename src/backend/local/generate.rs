//! Synthetic accounts of a given size, for benchmarks and large-account tests.
//!
//! `generated_account(n, now)` holds `n` users (at most IAM's 5,000), as many roles and
//! customer-managed policies, and `n / 16` groups (at least one, at most 300). The structure
//! is deterministic — user `i` is always the same name, path, groups and attachments — while
//! ids, keys, secrets and MFA seeds are random. The shape follows real accounts:
//!
//! - users spread over seven paths and one to three groups each (service accounts, named
//!   `svc-…`, one group and no console); about half have an access key (one in ten two, some
//!   inactive), most of them with last-used data; a third of the people have an enabled
//!   virtual MFA device and most a console password; some have inline policies, directly
//!   attached policies or the account's permissions boundary (the first customer policy);
//! - policies of eight kinds (S3, DynamoDB with leading-key conditions, EC2 by resource tag,
//!   Lambda, KMS via a service, logs and metrics, queues and topics, deny guards), with one to
//!   three versions, the default sometimes not the newest;
//! - roles trusted by EC2 (with an instance profile), Lambda, ECS tasks, the account, a partner
//!   account with an external id, the account with MFA, GitHub Actions (OIDC) and a SAML
//!   identity provider, each with one to three attached policies and some inline ones;
//! - groups with AWS and customer managed policies, the first being `Admins`.
//! - the GitHub Actions OIDC provider and a SAML provider (which the federated trusts name), a
//!   password policy, and `origin` "generated N" with N the number of users it holds.
//!
//! Building 5,000 users takes well under a second in a release build (about 60 ms on two
//! cores): every step is linear in the size, and names of referenced entities are computed,
//! never searched.

use std::sync::LazyLock;

use chrono::Duration;

use crate::iam::types::{KeyStatus, PasswordPolicy, Tag, Timestamp};

use super::call::iam_arn;
use super::demo::{
    GITHUB_OIDC, GITHUB_THUMBPRINTS, aws, saml_metadata, trust_services, uuid_like, whole_seconds,
};
use super::model::{
    AccessKeyRecord, Account, GroupRecord, InlinePolicyRecord, InstanceProfileRecord, LastUsed,
    LoginProfile, MfaAssignmentRecord, OidcProviderRecord, PolicyRecord, PolicyVersionRecord,
    RoleRecord, SamlProviderRecord, Secret, Table, UserRecord, VirtualMfaRecord,
};
use super::names;
use super::ops;

/// Partner accounts that cross-account trust policies name (fictional).
pub const PARTNER_ACCOUNTS: [&str; 3] = ["210987654321", "345678901234", "456789012345"];

/// The people's first and last names, one a line: user `i` is `FIRST[i % 50]` and
/// `LAST[(i / 50) % 100]`, so the first 5,000 users all differ.
static FIRST: LazyLock<Vec<&str>> = LazyLock::new(|| {
    include_str!("../../../data/generate/first-names.txt")
        .lines()
        .collect()
});
static LAST: LazyLock<Vec<&str>> = LazyLock::new(|| {
    include_str!("../../../data/generate/last-names.txt")
        .lines()
        .collect()
});

const TEAMS: [&str; 12] = [
    "payments", "checkout", "search", "platform", "data", "mobile", "identity", "billing",
    "growth", "infra", "ml", "support",
];

const USER_PATHS: [&str; 7] = [
    "/",
    "/engineering/",
    "/engineering/platform/",
    "/finance/",
    "/sales/",
    "/contractors/",
    "/service-accounts/",
];

const GROUP_NAMES: [&str; 10] = [
    "Admins",
    "Developers",
    "ReadOnly",
    "Finance",
    "Security-Auditors",
    "Support",
    "DataEngineering",
    "Contractors",
    "Operations",
    "QA",
];

/// AWS managed policies the generator attaches (all in the embedded set).
const AWS_POLICIES: [&str; 12] = [
    "ReadOnlyAccess",
    "PowerUserAccess",
    "job-function/Billing",
    "SecurityAudit",
    "IAMUserChangePassword",
    "AmazonS3ReadOnlyAccess",
    "AmazonEC2ReadOnlyAccess",
    "CloudWatchReadOnlyAccess",
    "AmazonDynamoDBReadOnlyAccess",
    "job-function/ViewOnlyAccess",
    "AWSSupportAccess",
    "AmazonSQSFullAccess",
];

const REGIONS: [&str; 4] = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"];
const SERVICES: [&str; 8] = [
    "s3",
    "ec2",
    "sts",
    "dynamodb",
    "lambda",
    "iam",
    "cloudformation",
    "sqs",
];

/// The kinds of role trust the generator cycles through.
const TRUSTS: [&str; 8] = [
    "ec2", "lambda", "ecs", "account", "partner", "mfa", "github", "saml",
];

/// The identity provider names the federated trust policies refer to.
const SAML_PROVIDER: &str = "CorpIdP";

/// A cheap deterministic mix of an index, for spreading values that should not all line up
/// with `i % k`.
fn mix(i: usize, salt: u64) -> u64 {
    let mut h = (i as u64 ^ salt).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    h ^= h >> 29;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^ (h >> 32)
}

fn document(statements: &[String]) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    )
}

struct Gen {
    account: String,
    now: Timestamp,
    policies: usize,
    groups: usize,
}

impl Gen {
    fn at(&self, days: u64, i: usize) -> Timestamp {
        self.now - Duration::days(days as i64) - Duration::minutes((mix(i, 7) % 600) as i64)
    }

    fn arn(&self, kind: &str, path: &str, name: &str) -> String {
        iam_arn(&self.account, kind, path, name)
    }

    fn team(i: usize) -> &'static str {
        TEAMS[i % TEAMS.len()]
    }

    fn user_name(i: usize) -> String {
        if USER_PATHS[i % USER_PATHS.len()] == "/service-accounts/" {
            return format!("svc-{}-{i:04}", Self::team(i));
        }
        // A bijection of 0..5,000 onto first × last names.
        format!(
            "{}.{}",
            FIRST[i % FIRST.len()],
            LAST[(i / FIRST.len()) % LAST.len()]
        )
    }

    fn policy_path(i: usize) -> String {
        if i.is_multiple_of(3) {
            "/".into()
        } else {
            format!("/teams/{}/", Self::team(i / 8))
        }
    }

    fn policy_name(i: usize) -> String {
        if i == 0 {
            return "GeneratedPermissionsBoundary".into();
        }
        let kind = [
            "s3",
            "dynamodb",
            "ec2",
            "lambda",
            "kms",
            "logs",
            "messaging",
            "guard",
        ][i % 8];
        format!("{}-{kind}-access-{i:04}", Self::team(i / 8))
    }

    fn policy_arn(&self, i: usize) -> String {
        self.arn("policy", &Self::policy_path(i), &Self::policy_name(i))
    }

    /// The customer policy a `salt`-indexed slot of entity `i` attaches, if there are any.
    fn some_policy(&self, i: usize, salt: u64) -> Option<String> {
        (self.policies > 1)
            .then(|| self.policy_arn(1 + (mix(i, salt) as usize) % (self.policies - 1)))
    }

    fn group_name(k: usize) -> String {
        match GROUP_NAMES.get(k) {
            Some(n) => n.to_string(),
            None => format!(
                "{}-{}-{k:03}",
                Self::team(k),
                ["devs", "ops", "readers"][k % 3]
            ),
        }
    }

    /// The statements of policy `i`'s kind; `extra` adds statements as versions evolve.
    fn statements(&self, i: usize, extra: usize) -> Vec<String> {
        let a = &self.account;
        let team = Self::team(i / 8);
        let region = REGIONS[i % REGIONS.len()];
        let mut s = match i % 8 {
            0 => vec![
                format!(
                    r#"{{"Sid":"ReadWriteBucket","Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:ListBucket"],"Resource":["arn:aws:s3:::{team}-data-{i}","arn:aws:s3:::{team}-data-{i}/*"],"Condition":{{"Bool":{{"aws:SecureTransport":"true"}}}}}}"#
                ),
                r#"{"Sid":"ListAllBuckets","Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}"#.to_string(),
            ],
            1 => vec![format!(
                r#"{{"Sid":"OwnItems","Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem","dynamodb:Query","dynamodb:UpdateItem"],"Resource":"arn:aws:dynamodb:{region}:{a}:table/{team}-{i}","Condition":{{"ForAllValues:StringEquals":{{"dynamodb:LeadingKeys":["${{aws:username}}"]}}}}}}"#
            )],
            2 => vec![
                r#"{"Sid":"Describe","Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}"#.to_string(),
                format!(
                    r#"{{"Sid":"StartStopTeamInstances","Effect":"Allow","Action":["ec2:StartInstances","ec2:StopInstances","ec2:RebootInstances"],"Resource":"arn:aws:ec2:{region}:{a}:instance/*","Condition":{{"StringEquals":{{"aws:ResourceTag/Team":"{team}"}}}}}}"#
                ),
            ],
            3 => vec![format!(
                r#"{{"Sid":"InvokeTeamFunctions","Effect":"Allow","Action":["lambda:InvokeFunction","lambda:GetFunction"],"Resource":"arn:aws:lambda:{region}:{a}:function:{team}-*"}}"#
            )],
            4 => vec![format!(
                r#"{{"Sid":"DecryptViaS3","Effect":"Allow","Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"arn:aws:kms:{region}:{a}:key/*","Condition":{{"StringEquals":{{"kms:ViaService":"s3.{region}.amazonaws.com"}}}}}}"#
            )],
            5 => vec![
                format!(
                    r#"{{"Sid":"WriteLogs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:{region}:{a}:log-group:/{team}/*"}}"#
                ),
                format!(
                    r#"{{"Sid":"PutMetrics","Effect":"Allow","Action":"cloudwatch:PutMetricData","Resource":"*","Condition":{{"StringEquals":{{"cloudwatch:namespace":"{team}"}}}}}}"#
                ),
            ],
            6 => vec![
                format!(
                    r#"{{"Sid":"Queues","Effect":"Allow","Action":["sqs:SendMessage","sqs:ReceiveMessage","sqs:DeleteMessage"],"Resource":"arn:aws:sqs:{region}:{a}:{team}-*"}}"#
                ),
                format!(
                    r#"{{"Sid":"Topics","Effect":"Allow","Action":"sns:Publish","Resource":"arn:aws:sns:{region}:{a}:{team}-events-{i}"}}"#
                ),
            ],
            _ => vec![
                r#"{"Sid":"ReadEverything","Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}"#.to_string(),
                format!(
                    r#"{{"Sid":"NeverDelete","Effect":"Deny","Action":["s3:DeleteBucket","s3:DeleteObject*"],"Resource":"*","Condition":{{"StringNotEquals":{{"aws:PrincipalTag/Team":"{team}"}}}}}}"#
                ),
            ],
        };
        let additions = [
            format!(
                r#"{{"Sid":"ReadParameters","Effect":"Allow","Action":"ssm:GetParameter*","Resource":"arn:aws:ssm:{region}:{a}:parameter/{team}/*"}}"#
            ),
            r#"{"Sid":"DenyInsecureTransport","Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#.to_string(),
        ];
        s.extend(additions.into_iter().take(extra));
        s
    }

    fn boundary_document(&self) -> String {
        document(&[
            r#"{"Sid":"Ceiling","Effect":"Allow","Action":["s3:*","dynamodb:*","lambda:*","logs:*","cloudwatch:*","sqs:*","sns:*","ec2:Describe*","ssm:GetParameter*","kms:Decrypt","sts:AssumeRole","iam:Get*","iam:List*","iam:ChangePassword"],"Resource":"*"}"#.to_string(),
            r#"{"Sid":"NoEscalation","Effect":"Deny","Action":["iam:CreateUser","iam:CreateRole","iam:PutUserPermissionsBoundary","iam:PutRolePermissionsBoundary","iam:DeleteUserPermissionsBoundary","iam:DeleteRolePermissionsBoundary","organizations:*"],"Resource":"*"}"#.to_string(),
        ])
    }

    fn policy(&self, i: usize) -> PolicyRecord {
        let versions = if i == 0 { 2 } else { 1 + i % 3 };
        let created = 60 + mix(i, 11) % 1200;
        let records: Vec<PolicyVersionRecord> = (0..versions)
            .map(|v| PolicyVersionRecord {
                version_id: format!("v{}", v + 1),
                document: if i == 0 {
                    self.boundary_document()
                } else {
                    document(&self.statements(i, v))
                },
                create_date: self.at(created - (v as u64) * created / 3, i),
            })
            .collect();
        // One in seven policies with several versions keeps an older one as the default.
        let default = if versions > 1 && i.is_multiple_of(7) {
            versions - 1
        } else {
            versions
        };
        let update_date = records[default - 1].create_date;
        PolicyRecord {
            name: Self::policy_name(i),
            policy_id: names::unique_id("ANPA"),
            path: Self::policy_path(i),
            description: i
                .is_multiple_of(2)
                .then(|| format!("Generated policy {i} for the {} team.", Self::team(i / 8))),
            create_date: records[0].create_date,
            update_date,
            default_version_id: format!("v{default}"),
            next_version: versions as u32 + 1,
            versions: records,
            tags: if i.is_multiple_of(4) {
                vec![
                    Tag::new("Team", Self::team(i / 8)),
                    Tag::new("ManagedBy", "terraform"),
                ]
            } else {
                Vec::new()
            },
        }
    }

    fn group(&self, k: usize) -> GroupRecord {
        let mut attached = Vec::new();
        let mut inline = Table::default();
        if k == 0 {
            attached.push(aws("AdministratorAccess"));
        } else {
            attached.push(aws(AWS_POLICIES[k % AWS_POLICIES.len()]));
            for salt in 0..(1 + k % 3) as u64 {
                if let Some(p) = self.some_policy(k, 100 + salt)
                    && !attached.contains(&p)
                {
                    attached.push(p);
                }
            }
        }
        if k % 4 == 1 {
            let team = Self::team(k);
            inline.insert(InlinePolicyRecord {
                name: "AssumeTeamRoles".into(),
                document: document(&[format!(
                    r#"{{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::{}:role/teams/{team}/*"}}"#,
                    self.account
                )]),
            });
        }
        GroupRecord {
            name: Self::group_name(k),
            group_id: names::unique_id("AGPA"),
            path: if k < GROUP_NAMES.len() {
                "/"
            } else {
                "/teams/"
            }
            .to_string(),
            create_date: self.at(1500 - (k as u64 % 300), k),
            attached_policies: attached,
            inline_policies: inline,
        }
    }

    fn user(&self, i: usize, devices: &mut Vec<VirtualMfaRecord>) -> UserRecord {
        let name = Self::user_name(i);
        let path = USER_PATHS[i % USER_PATHS.len()];
        let age = 30 + mix(i, 1) % 1400;
        let created = self.at(age, i);
        let service_account = path == "/service-accounts/";

        let mut groups = Vec::new();
        let wanted = if service_account { 1 } else { 1 + i % 3 };
        for j in 0..wanted {
            let g = Self::group_name((mix(i, 20 + j as u64) as usize) % self.groups);
            // Only the first users of the account are administrators.
            if g == "Admins" && i >= 20 {
                continue;
            }
            if !groups.contains(&g) {
                groups.push(g);
            }
        }

        let mut keys = Vec::new();
        let key_count = if i.is_multiple_of(10) {
            2
        } else if i.is_multiple_of(2) || service_account {
            1
        } else {
            0
        };
        for k in 0..key_count {
            let key_age = (mix(i, 30 + k) % age.min(400)).max(1);
            let key_created = self.at(key_age, i + k as usize);
            let used = (!mix(i, 40 + k).is_multiple_of(4)).then(|| mix(i, 50 + k) % key_age);
            keys.push(AccessKeyRecord {
                access_key_id: names::access_key_id("AKIA"),
                secret_access_key: Secret(names::secret_access_key()),
                status: if k == 1 && i.is_multiple_of(20) {
                    KeyStatus::Inactive
                } else {
                    KeyStatus::Active
                },
                create_date: key_created,
                last_used: match used {
                    Some(days) => LastUsed {
                        date: Some(self.now - Duration::days(days as i64)),
                        service: Some(SERVICES[(mix(i, 60 + k) % 8) as usize].into()),
                        region: Some(REGIONS[(mix(i, 70 + k) % 4) as usize].into()),
                    },
                    None => LastUsed::default(),
                },
            });
        }

        let mut mfa = Vec::new();
        if i.is_multiple_of(3) && !service_account {
            let enabled = created + Duration::days((mix(i, 80) % age) as i64 / 2);
            let serial = self.arn("mfa", "/", &name);
            devices.push(VirtualMfaRecord {
                name: name.clone(),
                path: "/".into(),
                serial_number: serial.clone(),
                seed_base32: Secret(names::totp_seed()),
                create_date: enabled - Duration::seconds(30),
                user: Some(name.clone()),
                enable_date: Some(enabled),
                ..Default::default()
            });
            mfa.push(MfaAssignmentRecord {
                serial_number: serial,
                enable_date: enabled,
            });
        }

        let console = i % 4 != 3 && !service_account;
        let mut inline = Table::default();
        if i.is_multiple_of(7) {
            inline.insert(InlinePolicyRecord {
                name: "PersonalScratchBucket".into(),
                document: document(&[format!(
                    r#"{{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::scratch-{i}","arn:aws:s3:::scratch-{i}/${{aws:username}}/*"]}}"#
                )]),
            });
        }
        let mut attached = Vec::new();
        if i.is_multiple_of(5)
            && let Some(p) = self.some_policy(i, 90)
        {
            attached.push(p);
        }
        if i.is_multiple_of(50) {
            attached.push(aws(AWS_POLICIES[(i / 50) % AWS_POLICIES.len()]));
        }
        UserRecord {
            name,
            user_id: names::unique_id("AIDA"),
            path: path.to_string(),
            create_date: created,
            password_last_used: (console && i % 8 != 1)
                .then(|| self.now - Duration::hours((mix(i, 3) % (age * 24)) as i64)),
            login_profile: console.then_some(LoginProfile {
                create_date: created,
                password_reset_required: i.is_multiple_of(97),
            }),
            permissions_boundary: (i % 10 == 5 && self.policies > 0).then(|| self.policy_arn(0)),
            tags: vec![
                Tag::new("Team", Self::team(i)),
                Tag::new("CostCenter", format!("CC-{}", 1000 + (i % 40) * 10)),
            ],
            groups,
            attached_policies: attached,
            inline_policies: inline,
            access_keys: keys,
            mfa_devices: mfa,
            ..UserRecord::default()
        }
    }

    fn trust(&self, i: usize) -> String {
        let a = &self.account;
        match TRUSTS[i % TRUSTS.len()] {
            "ec2" => trust_services(&["ec2.amazonaws.com"]),
            "lambda" => trust_services(&["lambda.amazonaws.com"]),
            "ecs" => document(&[format!(
                r#"{{"Effect":"Allow","Principal":{{"Service":"ecs-tasks.amazonaws.com"}},"Action":"sts:AssumeRole","Condition":{{"StringEquals":{{"aws:SourceAccount":"{a}"}}}}}}"#
            )]),
            "account" => document(&[format!(
                r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{a}:root"}},"Action":"sts:AssumeRole"}}"#
            )]),
            "partner" => document(&[format!(
                r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{}:root"}},"Action":"sts:AssumeRole","Condition":{{"StringEquals":{{"sts:ExternalId":"{}"}}}}}}"#,
                PARTNER_ACCOUNTS[i % PARTNER_ACCOUNTS.len()],
                uuid_like()
            )]),
            "mfa" => document(&[format!(
                r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{a}:root"}},"Action":"sts:AssumeRole","Condition":{{"Bool":{{"aws:MultiFactorAuthPresent":"true"}}}}}}"#
            )]),
            "github" => document(&[format!(
                r#"{{"Effect":"Allow","Principal":{{"Federated":"arn:aws:iam::{a}:oidc-provider/{GITHUB_OIDC}"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"{GITHUB_OIDC}:aud":"sts.amazonaws.com"}},"StringLike":{{"{GITHUB_OIDC}:sub":"repo:example-corp/{}-{i}:*"}}}}}}"#,
                Self::team(i)
            )]),
            _ => document(&[format!(
                r#"{{"Effect":"Allow","Principal":{{"Federated":"arn:aws:iam::{a}:saml-provider/{SAML_PROVIDER}"}},"Action":"sts:AssumeRoleWithSAML","Condition":{{"StringEquals":{{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}}}}"#
            )]),
        }
    }

    fn role(&self, i: usize) -> RoleRecord {
        let kind = TRUSTS[i % TRUSTS.len()];
        let team = Self::team(i / TRUSTS.len());
        let path = match i % 3 {
            0 => "/".to_string(),
            1 => format!("/teams/{team}/"),
            _ => "/service-role/".to_string(),
        };
        let mut attached = Vec::new();
        let managed = match kind {
            "ec2" => "AmazonEC2ReadOnlyAccess",
            "lambda" => "service-role/AWSLambdaBasicExecutionRole",
            "ecs" => "service-role/AmazonECSTaskExecutionRolePolicy",
            "partner" => "SecurityAudit",
            "mfa" => "AdministratorAccess",
            "github" => "PowerUserAccess",
            "saml" => "ReadOnlyAccess",
            _ => "job-function/ViewOnlyAccess",
        };
        attached.push(aws(managed));
        for salt in 0..(i % 3) as u64 {
            if let Some(p) = self.some_policy(i, 200 + salt)
                && !attached.contains(&p)
            {
                attached.push(p);
            }
        }
        let mut inline = Table::default();
        if i.is_multiple_of(4) {
            inline.insert(InlinePolicyRecord {
                name: format!("{team}-runtime"),
                document: document(&self.statements(i, 1)),
            });
        }
        let age = 20 + mix(i, 300) % 1400;
        let created = self.at(age, i);
        RoleRecord {
            name: format!("{team}-{kind}-role-{i:04}"),
            role_id: names::unique_id("AROA"),
            path,
            create_date: created,
            description: (i % 2 == 1).then(|| format!("Generated {kind} role for {team}.")),
            max_session_duration: if i.is_multiple_of(5) { 43_200 } else { 3600 },
            assume_role_policy: self.trust(i),
            permissions_boundary: (i.is_multiple_of(9) && self.policies > 0)
                .then(|| self.policy_arn(0)),
            tags: if i.is_multiple_of(3) {
                vec![
                    Tag::new("Team", team),
                    Tag::new("Environment", ["production", "staging", "dev"][i % 3]),
                ]
            } else {
                Vec::new()
            },
            attached_policies: attached,
            inline_policies: inline,
            last_used: if i % 6 == 5 {
                LastUsed::default()
            } else {
                LastUsed {
                    date: Some(self.now - Duration::hours((mix(i, 310) % (age * 24)) as i64)),
                    service: None,
                    region: Some(REGIONS[i % 4].into()),
                }
            },
        }
    }
}

/// An account with `users` users and proportionate roles, groups and policies, within IAM's
/// quotas.
pub fn generated_account(users: usize, now: Timestamp) -> Account {
    let n = users.min(ops::USERS);
    let g = Gen {
        account: names::account_id(),
        now,
        policies: n.min(ops::CUSTOMER_POLICIES),
        groups: (n / 16).clamp(1, ops::GROUPS),
    };
    let mut a = Account::empty(g.account.clone(), now - Duration::days(2000));
    a.origin = format!("generated {n}");

    for i in 0..g.policies {
        a.policies.insert(g.policy(i));
    }
    for k in 0..g.groups {
        a.groups.insert(g.group(k));
    }
    let mut devices = Vec::new();
    for i in 0..n {
        a.users.insert(g.user(i, &mut devices));
    }
    for d in devices {
        a.virtual_mfa_devices.insert(d);
    }
    for i in 0..n.min(ops::ROLES) {
        let r = g.role(i);
        if TRUSTS[i % TRUSTS.len()] == "ec2" {
            a.instance_profiles.insert(InstanceProfileRecord {
                name: r.name.clone(),
                instance_profile_id: names::unique_id("AIPA"),
                path: r.path.clone(),
                create_date: r.create_date,
                roles: vec![r.name.clone()],
                tags: Vec::new(),
            });
        }
        a.roles.insert(r);
    }

    a.password_policy = Some(PasswordPolicy {
        minimum_password_length: Some(12),
        require_symbols: true,
        require_numbers: true,
        require_uppercase_characters: true,
        require_lowercase_characters: true,
        allow_users_to_change_password: true,
        expire_passwords: false,
        max_password_age: None,
        password_reuse_prevention: Some(5),
        hard_expiry: Some(false),
    });
    let valid_until = whole_seconds(now + Duration::days(365));
    a.saml_providers.insert(SamlProviderRecord {
        name: SAML_PROVIDER.into(),
        metadata_document: saml_metadata(
            "https://idp.example.com/saml/metadata",
            "https://idp.example.com/saml/sso",
            valid_until,
        ),
        create_date: now - Duration::days(900),
        valid_until: Some(valid_until),
        tags: Vec::new(),
    });
    a.oidc_providers.insert(OidcProviderRecord {
        url: GITHUB_OIDC.into(),
        client_ids: vec!["sts.amazonaws.com".into()],
        thumbprints: GITHUB_THUMBPRINTS.iter().map(|t| t.to_string()).collect(),
        create_date: now - Duration::days(400),
        tags: Vec::new(),
    });
    a
}

#[cfg(test)]
pub(super) mod tests {
    use std::collections::HashSet;

    use chrono::Utc;

    use super::*;
    use crate::iam::types::PageRequest;
    use crate::iam::{Backend, collect_pages};
    use crate::policy::Severity;
    use crate::policy::validate::{Options, PolicyType, limits, policy_size, validate};

    use super::super::LocalBackend;
    use super::super::managed;
    use super::super::names::{check_name, check_path, check_tags};

    /// Error findings of `text` validated as `ty` (at the type's size limit, or `limit`).
    fn errors(text: &str, ty: PolicyType, limit: Option<usize>) -> Vec<String> {
        let mut options = Options::new(ty);
        if let Some(l) = limit {
            options = options.with_limit(l);
        }
        validate(text, &options)
            .findings
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| format!("{}: {}", f.code, f.message))
            .collect()
    }

    /// The account field of every `arn:aws:SERVICE:REGION:ACCOUNT:` in `text`.
    fn arn_accounts(text: &str) -> Vec<&str> {
        text.match_indices("arn:aws:")
            .filter_map(|(at, _)| text[at..].split(':').nth(4))
            .collect()
    }

    /// Every rule the local account's operations enforce, and the consistency between
    /// records they keep; one line per violation. `external` lists the other accounts that
    /// documents may name.
    pub(crate) fn problems(a: &Account, now: Timestamp, external: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        let mut bad = |what: String| out.push(what);
        let id = a.account_id.as_str();
        if a.format != super::super::model::FORMAT || a.format_version != 1 {
            bad("format".into());
        }
        if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
            bad(format!("account id {id}"));
        }
        for (count, limit, what) in [
            (a.users.len(), ops::USERS, "users"),
            (a.roles.len(), ops::ROLES, "roles"),
            (a.groups.len(), ops::GROUPS, "groups"),
            (a.policies.len(), ops::CUSTOMER_POLICIES, "policies"),
            (
                a.saml_providers.len(),
                ops::SAML_PROVIDERS,
                "SAML providers",
            ),
            (
                a.oidc_providers.len(),
                ops::OIDC_PROVIDERS,
                "OIDC providers",
            ),
        ] {
            if count > limit {
                bad(format!("{count} {what} (quota {limit})"));
            }
        }
        let mut ids = HashSet::new();
        let mut unique = |bad: &mut dyn FnMut(String), id: &str, prefix: &str, len: usize| {
            if !id.starts_with(prefix)
                || id.len() != len
                || !id[4..]
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
            {
                bad(format!("id {id} is not {prefix}…"));
            }
            if !ids.insert(id.to_string()) {
                bad(format!("id {id} twice"));
            }
        };
        let arns_ok = |text: &str| {
            arn_accounts(text)
                .into_iter()
                .all(|acct| ["", "*", "aws", id].contains(&acct) || external.contains(&acct))
        };
        let resolves = |arn: &str| {
            managed::find(a, arn).is_some()
                && (arn.starts_with("arn:aws:iam::aws:policy/")
                    || arn.starts_with(&format!("arn:aws:iam::{id}:policy/")))
        };
        let identity = |bad: &mut dyn FnMut(String), owner: &str, text: &str, limit| {
            for e in errors(text, PolicyType::Identity, limit) {
                bad(format!("{owner}: {e}"));
            }
            if !arns_ok(text) {
                bad(format!("{owner}: an ARN names a foreign account"));
            }
        };
        let inline = |bad: &mut dyn FnMut(String),
                      owner: &str,
                      t: &Table<InlinePolicyRecord>,
                      limit: usize| {
            let mut total = 0;
            for p in t.iter() {
                if check_name("Put", "policyName", &p.name, 128).is_err() {
                    bad(format!("{owner}: inline policy name {}", p.name));
                }
                identity(
                    bad,
                    &format!("{owner}/{}", p.name),
                    &p.document,
                    Some(usize::MAX),
                );
                total += policy_size(&p.document);
            }
            if total > limit {
                bad(format!("{owner}: inline policies of {total} characters"));
            }
        };
        let attached = |bad: &mut dyn FnMut(String), owner: &str, list: &[String]| {
            if list.len() > ops::MANAGED_POLICIES_PER_ENTITY {
                bad(format!("{owner}: {} attached policies", list.len()));
            }
            let distinct: HashSet<&String> = list.iter().collect();
            if distinct.len() != list.len() {
                bad(format!("{owner}: a policy attached twice"));
            }
            for arn in list {
                if !resolves(arn) {
                    bad(format!("{owner}: attached {arn} does not resolve"));
                }
            }
        };
        let tagged = |bad: &mut dyn FnMut(String), owner: &str, tags: &[Tag]| {
            if check_tags("Tag", tags).is_err() || tags.len() > 50 {
                bad(format!("{owner}: tags {tags:?}"));
            }
        };
        let named = |bad: &mut dyn FnMut(String), owner: &str, name: &str, path: &str, max| {
            if check_name("Create", "name", name, max).is_err()
                || check_path("Create", "path", path).is_err()
            {
                bad(format!("{owner}: name or path {path}"));
            }
        };
        let described = |bad: &mut dyn FnMut(String), owner: &str, d: &Option<String>| {
            if d.as_ref().is_some_and(|d| d.chars().count() > 1000) {
                bad(format!("{owner}: description"));
            }
        };
        let past = |bad: &mut dyn FnMut(String), owner: &str, what: &str, t: Timestamp| {
            if t > now || t < a.created {
                bad(format!(
                    "{owner}: {what} {t} is not in the account's lifetime"
                ));
            }
        };

        for u in a.users.iter() {
            let who = format!("user {}", u.name);
            let bad = &mut bad;
            named(bad, &who, &u.name, &u.path, 64);
            unique(bad, &u.user_id, "AIDA", 21);
            past(bad, &who, "creation", u.create_date);
            tagged(bad, &who, &u.tags);
            if u.groups.len() > ops::GROUPS_PER_USER {
                bad(format!("{who}: in {} groups", u.groups.len()));
            }
            let distinct: HashSet<String> = u.groups.iter().map(|g| g.to_lowercase()).collect();
            if distinct.len() != u.groups.len() {
                bad(format!("{who}: in a group twice"));
            }
            for g in &u.groups {
                if a.groups.get(g).is_none_or(|r| &r.name != g) {
                    bad(format!("{who}: group {g} does not exist"));
                }
            }
            attached(bad, &who, &u.attached_policies);
            inline(bad, &who, &u.inline_policies, limits::USER_INLINE);
            if let Some(b) = &u.permissions_boundary
                && !resolves(b)
            {
                bad(format!("{who}: boundary {b}"));
            }
            if u.access_keys.len() > ops::ACCESS_KEYS_PER_USER {
                bad(format!("{who}: {} keys", u.access_keys.len()));
            }
            for k in &u.access_keys {
                if !k.access_key_id.starts_with("AKIA") || k.access_key_id.len() != 20 {
                    bad(format!("{who}: key id {}", k.access_key_id));
                }
                if k.secret_access_key.expose().len() != 40 {
                    bad(format!("{who}: secret length"));
                }
                if k.create_date < u.create_date || k.create_date > now {
                    bad(format!(
                        "{who}: key {} created out of order",
                        k.access_key_id
                    ));
                }
                if let Some(d) = k.last_used.date
                    && (d < k.create_date || d > now)
                {
                    bad(format!("{who}: key {} used out of order", k.access_key_id));
                }
                if k.last_used.date.is_none()
                    && (k.last_used.service.is_some() || k.last_used.region.is_some())
                {
                    bad(format!("{who}: key last used with no date"));
                }
            }
            if let Some(l) = &u.login_profile {
                if l.create_date < u.create_date || l.create_date > now {
                    bad(format!("{who}: password set out of order"));
                }
                if let Some(p) = u.password_last_used
                    && (p < l.create_date || p > now)
                {
                    bad(format!("{who}: password used out of order"));
                }
            } else if u.password_last_used.is_some() {
                bad(format!("{who}: password used but none set"));
            }
            if u.mfa_devices.len() > ops::MFA_DEVICES_PER_USER {
                bad(format!("{who}: {} MFA devices", u.mfa_devices.len()));
            }
            for m in &u.mfa_devices {
                match a.virtual_mfa_devices.get(&m.serial_number) {
                    Some(d)
                        if d.user.as_deref() == Some(u.name.as_str())
                            && d.enable_date == Some(m.enable_date) => {}
                    _ => bad(format!(
                        "{who}: MFA {} not assigned to them",
                        m.serial_number
                    )),
                }
                if m.enable_date < u.create_date || m.enable_date > now {
                    bad(format!("{who}: MFA enabled out of order"));
                }
            }
        }

        for d in a.virtual_mfa_devices.iter() {
            let who = format!("MFA device {}", d.serial_number);
            let bad = &mut bad;
            if check_name("CreateVirtualMFADevice", "name", &d.name, 226).is_err()
                || check_path("CreateVirtualMFADevice", "path", &d.path).is_err()
                || d.serial_number != iam_arn(id, "mfa", &d.path, &d.name)
            {
                bad(format!("{who}: name, path or serial"));
            }
            if crate::iam::totp::decode_seed(d.seed_base32.expose()).is_none_or(|k| k.len() < 20) {
                bad(format!("{who}: seed"));
            }
            past(bad, &who, "creation", d.create_date);
            match (&d.user, d.enable_date) {
                (None, None) => {}
                (Some(user), Some(enabled)) => {
                    let listed = a.users.get(user).is_some_and(|u| {
                        &u.name == user
                            && u.mfa_devices
                                .iter()
                                .any(|m| m.serial_number == d.serial_number)
                    });
                    if !listed {
                        bad(format!("{who}: user {user} does not list it"));
                    }
                    if enabled < d.create_date {
                        bad(format!("{who}: enabled before it was created"));
                    }
                }
                _ => bad(format!("{who}: user and enable date disagree")),
            }
        }

        for g in a.groups.iter() {
            let who = format!("group {}", g.name);
            let bad = &mut bad;
            named(bad, &who, &g.name, &g.path, 128);
            unique(bad, &g.group_id, "AGPA", 21);
            past(bad, &who, "creation", g.create_date);
            attached(bad, &who, &g.attached_policies);
            inline(bad, &who, &g.inline_policies, limits::GROUP_INLINE);
        }

        for r in a.roles.iter() {
            let who = format!("role {}", r.name);
            let bad = &mut bad;
            named(bad, &who, &r.name, &r.path, 64);
            unique(bad, &r.role_id, "AROA", 21);
            past(bad, &who, "creation", r.create_date);
            tagged(bad, &who, &r.tags);
            if !(3600..=43_200).contains(&r.max_session_duration) {
                bad(format!("{who}: max session {}", r.max_session_duration));
            }
            described(bad, &who, &r.description);
            for e in errors(&r.assume_role_policy, PolicyType::Trust, None) {
                bad(format!("{who} trust: {e}"));
            }
            if !arns_ok(&r.assume_role_policy) {
                bad(format!("{who} trust: an ARN names a foreign account"));
            }
            // Federated principals are the account's own identity providers.
            let trust: serde_json::Value =
                serde_json::from_str(&r.assume_role_policy).unwrap_or_default();
            for st in trust["Statement"].as_array().into_iter().flatten() {
                if let Some(f) = st["Principal"]["Federated"].as_str() {
                    let oidc = f
                        .strip_prefix(&format!("arn:aws:iam::{id}:oidc-provider/"))
                        .is_some_and(|url| a.oidc_providers.contains(url));
                    let saml = f
                        .strip_prefix(&format!("arn:aws:iam::{id}:saml-provider/"))
                        .is_some_and(|name| a.saml_providers.contains(name));
                    if !oidc && !saml {
                        bad(format!("{who} trust: no provider {f}"));
                    }
                }
            }
            attached(bad, &who, &r.attached_policies);
            inline(bad, &who, &r.inline_policies, limits::ROLE_INLINE);
            if let Some(b) = &r.permissions_boundary
                && !resolves(b)
            {
                bad(format!("{who}: boundary {b}"));
            }
            if let Some(d) = r.last_used.date
                && (d < r.create_date || d > now)
            {
                bad(format!("{who}: used out of order"));
            }
        }

        for p in a.policies.iter() {
            let who = format!("policy {}", p.name);
            let bad = &mut bad;
            named(bad, &who, &p.name, &p.path, 128);
            unique(bad, &p.policy_id, "ANPA", 21);
            past(bad, &who, "creation", p.create_date);
            tagged(bad, &who, &p.tags);
            described(bad, &who, &p.description);
            if p.versions.is_empty() || p.versions.len() > ops::VERSIONS_PER_POLICY {
                bad(format!("{who}: {} versions", p.versions.len()));
            }
            if p.default_document().is_none() {
                bad(format!(
                    "{who}: no default version {}",
                    p.default_version_id
                ));
            }
            let mut seen = HashSet::new();
            for v in &p.versions {
                let n = managed::version_number(&v.version_id);
                if n == 0 || n >= p.next_version || !seen.insert(n) {
                    bad(format!(
                        "{who}: version {} (next {})",
                        v.version_id, p.next_version
                    ));
                }
                if v.create_date < p.create_date || v.create_date > now {
                    bad(format!("{who}: version {} out of order", v.version_id));
                }
                identity(bad, &format!("{who} {}", v.version_id), &v.document, None);
            }
            if p.update_date < p.create_date || p.update_date > now {
                bad(format!("{who}: updated out of order"));
            }
        }

        for ip in a.instance_profiles.iter() {
            let who = format!("instance profile {}", ip.name);
            let bad = &mut bad;
            named(bad, &who, &ip.name, &ip.path, 128);
            unique(bad, &ip.instance_profile_id, "AIPA", 21);
            if ip.roles.len() > 1 || ip.roles.iter().any(|r| !a.roles.contains(r)) {
                bad(format!("{who}: roles {:?}", ip.roles));
            }
        }

        let mut keys = HashSet::new();
        for k in a.users.iter().flat_map(|u| &u.access_keys) {
            if !keys.insert(&k.access_key_id) {
                bad(format!("access key {} twice", k.access_key_id));
            }
        }

        if let Some(pp) = &a.password_policy {
            let in_range = |v: Option<i32>, lo, hi| v.is_none_or(|v| (lo..=hi).contains(&v));
            if !in_range(pp.minimum_password_length, 6, 128)
                || !in_range(pp.max_password_age, 1, 1095)
                || !in_range(pp.password_reuse_prevention, 1, 24)
                || pp.expire_passwords != pp.max_password_age.is_some()
            {
                bad(format!("password policy {pp:?}"));
            }
        }
        for s in a.saml_providers.iter() {
            let name_ok = !s.name.is_empty()
                && s.name.len() <= 128
                && s.name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
            let m = &s.metadata_document;
            let valid = m.find("validUntil=\"").and_then(|at| {
                let rest = &m[at + 12..];
                let text = &rest[..rest.find('"')?];
                chrono::DateTime::parse_from_rfc3339(text).ok()
            });
            if !name_ok
                || m.len() < 1000
                || !m.contains("EntityDescriptor")
                || valid.map(|t| t.with_timezone(&Utc)) != s.valid_until
            {
                bad(format!("SAML provider {}", s.name));
            }
        }
        for o in a.oidc_providers.iter() {
            let thumbs_ok = o.thumbprints.len() <= 5
                && o.thumbprints
                    .iter()
                    .all(|t| t.len() == 40 && t.bytes().all(|b| b.is_ascii_hexdigit()));
            let clients_ok = o.client_ids.len() <= 100
                && o.client_ids.iter().all(|c| (1..=255).contains(&c.len()));
            if o.url.contains("://") || o.url.len() > 247 || !thumbs_ok || !clients_ok {
                bad(format!("OIDC provider {}", o.url));
            }
        }
        out
    }

    /// Panics listing the first problems of an account.
    pub(crate) fn assert_sound(a: &Account, now: Timestamp, external: &[&str]) {
        let p = problems(a, now, external);
        assert!(
            p.is_empty(),
            "{} problems, first:\n{}",
            p.len(),
            p.iter().take(30).cloned().collect::<Vec<_>>().join("\n")
        );
    }

    pub(crate) fn assert_round_trips(a: &Account) {
        let json = serde_json::to_string(a).expect("serialises");
        let back: Account = serde_json::from_str(&json).expect("deserialises");
        assert!(back == *a, "the account changed in a JSON round trip");
    }

    /// The checker is only worth its silence if it speaks up: every corruption is reported.
    #[test]
    fn the_checker_reports_broken_accounts() {
        let now = Utc::now();
        let base = generated_account(40, now);
        assert_sound(&base, now, &PARTNER_ACCOUNTS);
        let id = base.account_id.clone();
        let first_user = base.users.iter().next().unwrap().name.clone();
        let with_mfa = base
            .users
            .iter()
            .find(|u| !u.mfa_devices.is_empty())
            .unwrap()
            .name
            .clone();
        let a_role = base.roles.iter().next().unwrap().name.clone();
        let a_policy = base.policies.iter().nth(1).unwrap().name.clone();
        type Corruption<'a> = (&'a str, &'a str, Box<dyn Fn(&mut Account) + 'a>);
        let corruptions: Vec<Corruption> = vec![
            (
                "unknown AWS policy",
                "NoSuchPolicy does not resolve",
                Box::new(|a| {
                    let u = a.users.get_mut(&first_user).unwrap();
                    u.attached_policies
                        .push("arn:aws:iam::aws:policy/NoSuchPolicy".into());
                }),
            ),
            (
                "customer policy of another account",
                "does not resolve",
                Box::new(|a| {
                    let p = a.policies.get(&a_policy).unwrap();
                    let arn = iam_arn("999999999999", "policy", &p.path, &p.name);
                    a.users
                        .get_mut(&first_user)
                        .unwrap()
                        .attached_policies
                        .push(arn);
                }),
            ),
            (
                "a third key",
                "3 keys",
                Box::new(|a| {
                    let u = a.users.get_mut(&first_user).unwrap();
                    while u.access_keys.len() < 3 {
                        u.access_keys.push(AccessKeyRecord {
                            access_key_id: names::access_key_id("AKIA"),
                            secret_access_key: Secret(names::secret_access_key()),
                            status: KeyStatus::Active,
                            create_date: now,
                            last_used: LastUsed::default(),
                        });
                    }
                }),
            ),
            (
                "malformed document",
                "invalid-effect",
                Box::new(|a| {
                    let p = a.policies.get_mut(&a_policy).unwrap();
                    p.versions[0].document = p.versions[0].document.replace("Allow", "Permit");
                }),
            ),
            (
                "foreign account in a trust",
                "trust: an ARN names a foreign account",
                Box::new(move |a| {
                    let r = a.roles.get_mut(&a_role).unwrap();
                    r.assume_role_policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"sts:AssumeRole"}]}"#.to_string();
                }),
            ),
            (
                "device forgets its user",
                "not assigned to them",
                Box::new(|a| {
                    let serial = a.users.get(&with_mfa).unwrap().mfa_devices[0]
                        .serial_number
                        .clone();
                    let d = a.virtual_mfa_devices.get_mut(&serial).unwrap();
                    d.user = None;
                    d.enable_date = None;
                }),
            ),
            (
                "unknown group",
                "group Nope does not exist",
                Box::new(|a| {
                    let u = a.users.get_mut(&first_user).unwrap();
                    u.groups.push("Nope".into());
                }),
            ),
            (
                "bad path",
                "name or path",
                Box::new(|a| a.users.get_mut(&first_user).unwrap().path = "engineering".into()),
            ),
            (
                "a duplicate id",
                "twice",
                Box::new(|a| {
                    let other = a.users.iter().nth(1).unwrap().user_id.clone();
                    a.users.get_mut(&first_user).unwrap().user_id = other;
                }),
            ),
            (
                "six versions",
                "6 versions",
                Box::new(|a| {
                    let p = a.policies.get_mut(&a_policy).unwrap();
                    while p.versions.len() < 6 {
                        let mut v = p.versions[0].clone();
                        v.version_id = format!("v{}", p.next_version);
                        p.next_version += 1;
                        p.versions.push(v);
                    }
                }),
            ),
            (
                "a federated trust without its provider",
                "no provider",
                Box::new(|a| {
                    a.oidc_providers.remove(GITHUB_OIDC);
                }),
            ),
            (
                "an ARN with another account",
                "an ARN names a foreign account",
                Box::new(|a| {
                    let p = a.policies.get_mut(&a_policy).unwrap();
                    for v in &mut p.versions {
                        v.document = v.document.replace(&id, "999999999999");
                    }
                }),
            ),
        ];
        for (what, why, corrupt) in corruptions {
            let mut a = base.clone();
            corrupt(&mut a);
            let found = problems(&a, now, &PARTNER_ACCOUNTS);
            assert!(
                found.iter().any(|p| p.contains(why)),
                "{what} is not reported as {why:?}: {found:?}"
            );
        }
    }

    #[test]
    fn sizes_follow_the_user_count_within_quotas() {
        let now = Utc::now();
        for (asked, users, groups) in [
            (0, 0, 1),
            (1, 1, 1),
            (100, 100, 6),
            (5_000, 5_000, 300),
            (6_000, 5_000, 300),
        ] {
            let a = generated_account(asked, now);
            assert_eq!(a.users.len(), users, "{asked}");
            assert_eq!(a.roles.len(), users, "{asked}");
            assert_eq!(a.policies.len(), users, "{asked}");
            assert_eq!(a.groups.len(), groups, "{asked}");
            assert_eq!(a.origin, format!("generated {users}"));
            let p = problems(&a, now, &PARTNER_ACCOUNTS);
            assert!(p.is_empty(), "{asked}: {:?}", &p[..p.len().min(20)]);
        }
    }

    #[test]
    fn a_generated_account_is_sound_and_varied() {
        let now = Utc::now();
        let a = generated_account(400, now);
        assert_sound(&a, now, &PARTNER_ACCOUNTS);
        assert_round_trips(&a);

        let users: Vec<&UserRecord> = a.users.iter().collect();
        let with_keys = users.iter().filter(|u| !u.access_keys.is_empty()).count();
        assert!(
            (150..=250).contains(&with_keys),
            "{with_keys} users with keys"
        );
        assert!(users.iter().any(|u| u.access_keys.len() == 2));
        assert!(users.iter().any(|u| {
            u.access_keys
                .iter()
                .any(|k| k.status == KeyStatus::Inactive)
        }));
        let mfa = users.iter().filter(|u| !u.mfa_devices.is_empty()).count();
        assert!(mfa > 50 && mfa < 200, "{mfa} with MFA");
        assert_eq!(mfa, a.virtual_mfa_devices.len());
        assert!(users.iter().any(|u| !u.inline_policies.is_empty()));
        assert!(users.iter().any(|u| u.permissions_boundary.is_some()));
        let paths: HashSet<&str> = users.iter().map(|u| u.path.as_str()).collect();
        assert!(paths.len() >= 5, "{paths:?}");
        let most_groups = users.iter().map(|u| u.groups.len()).max().unwrap();
        assert!((2..=10).contains(&most_groups));

        let versions: HashSet<usize> = a.policies.iter().map(|p| p.versions.len()).collect();
        assert_eq!(versions, HashSet::from([1, 2, 3]));
        assert!(
            a.policies.iter().any(|p| {
                p.versions.last().map(|v| &v.version_id) != Some(&p.default_version_id)
            })
        );
        assert!(
            a.policies
                .iter()
                .any(|p| p.default_document().unwrap().contains("Condition"))
        );
        let trusts: Vec<&str> = a
            .roles
            .iter()
            .map(|r| r.assume_role_policy.as_str())
            .collect();
        for needle in [
            "ec2.amazonaws.com",
            "lambda.amazonaws.com",
            "ecs-tasks.amazonaws.com",
            "sts:ExternalId",
            "aws:MultiFactorAuthPresent",
            "sts:AssumeRoleWithWebIdentity",
            "sts:AssumeRoleWithSAML",
        ] {
            assert!(
                trusts.iter().any(|t| t.contains(needle)),
                "no trust with {needle}"
            );
        }
        assert!(a.roles.iter().any(|r| !r.inline_policies.is_empty()));
        assert!(a.roles.iter().any(|r| r.attached_policies.len() >= 3));
        assert!(a.groups.iter().any(|g| !g.inline_policies.is_empty()));
        assert!(!a.instance_profiles.is_empty());
    }

    #[test]
    fn structure_is_deterministic_and_secrets_are_not() {
        let now = Utc::now();
        let (a, b) = (generated_account(50, now), generated_account(50, now));
        let names = |x: &Account| x.users.iter().map(|u| u.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&a), names(&b));
        assert_ne!(
            a.users.iter().next().unwrap().user_id,
            b.users.iter().next().unwrap().user_id
        );
    }

    #[test]
    fn five_thousand_users_serialise() {
        let now = Utc::now();
        let started = std::time::Instant::now();
        let a = generated_account(5_000, now);
        let built = started.elapsed();
        let json = serde_json::to_string(&a).unwrap();
        assert!(json.len() > 5_000_000, "{} bytes", json.len());
        let back: Account = serde_json::from_str(&json).unwrap();
        assert_eq!(back.users.len(), 5_000);
        assert!(back == a);
        eprintln!(
            "generated 5,000 users in {built:?}; {} MB of JSON",
            json.len() / 1_000_000
        );
    }

    #[tokio::test]
    async fn the_local_backend_pages_through_a_generated_account() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("account.json");
        let b = LocalBackend::open(&path, || generated_account(300, Utc::now())).unwrap();
        let account = b.snapshot();

        let mut pages = 0;
        let users = collect_pages("ListUsers", |marker| {
            pages += 1;
            b.list_users(PageRequest::after(marker))
        });
        let names: Vec<String> = users.await.unwrap().into_iter().map(|u| u.name).collect();
        assert_eq!(pages, 3);
        assert_eq!(names.len(), 300);
        assert_eq!(names.iter().collect::<HashSet<_>>().len(), 300);

        let me = b.whoami().await.unwrap();
        assert_eq!(me.account, account.account_id);
        assert_eq!(me.arn, format!("arn:aws:iam::{}:root", account.account_id));
        let user = account.users.iter().next().unwrap();
        let them = b.acting_as(&user.name).whoami().await.unwrap();
        assert_eq!(them.user_id, user.user_id);
        assert!(
            them.arn
                .ends_with(&format!("user{}{}", user.path, user.name))
        );
    }
}
