//! Managed policies as the account sees them: its own customer-managed policies, and the AWS
//! managed ones (embedded, or the copies an import brought, which take precedence).

use std::collections::HashMap;

use crate::iam::types::{ManagedPolicy, PolicyVersion, Tag, Timestamp, is_aws_managed_arn};

use super::aws_policies::{AwsPolicy, aws_policies};
use super::call::{iam_arn, split_iam_arn};
use super::model::{Account, PolicyRecord};

/// A managed policy, wherever it is kept.
#[derive(Debug, Clone, Copy)]
pub enum PolicyRef<'a> {
    Customer(&'a PolicyRecord),
    /// An AWS managed policy that an import carried.
    AwsImported(&'a PolicyRecord),
    AwsEmbedded(&'a AwsPolicy),
}

pub fn customer_arn(account: &str, p: &PolicyRecord) -> String {
    iam_arn(account, "policy", &p.path, &p.name)
}

pub fn aws_arn(p: &PolicyRecord) -> String {
    iam_arn("aws", "policy", &p.path, &p.name)
}

/// The policy an ARN names, if the account can see it.
pub fn find<'a>(account: &'a Account, arn: &str) -> Option<PolicyRef<'a>> {
    if is_aws_managed_arn(arn) {
        // Compared by path and name, so a lookup builds no ARN per imported policy.
        let imported = split_iam_arn(arn, "aws", "policy").and_then(|(path, name)| {
            account
                .aws_policies
                .iter()
                .find(|p| p.name == name && p.path == path)
        });
        if let Some(p) = imported {
            return Some(PolicyRef::AwsImported(p));
        }
        return aws_policies().get(arn).map(PolicyRef::AwsEmbedded);
    }
    let (path, name) = split_iam_arn(arn, &account.account_id, "policy")?;
    account
        .policies
        .get(name)
        .filter(|p| p.path == path && p.name == name)
        .map(PolicyRef::Customer)
}

/// The default version's document of the policy an ARN names.
pub fn default_document<'a>(account: &'a Account, arn: &str) -> Option<&'a str> {
    match find(account, arn)? {
        PolicyRef::Customer(p) | PolicyRef::AwsImported(p) => p.default_document(),
        PolicyRef::AwsEmbedded(p) => Some(&p.document),
    }
}

impl<'a> PolicyRef<'a> {
    pub fn arn(&self, account: &str) -> String {
        match self {
            PolicyRef::Customer(p) => customer_arn(account, p),
            PolicyRef::AwsImported(p) => aws_arn(p),
            PolicyRef::AwsEmbedded(p) => p.arn.clone(),
        }
    }
    pub fn name(&self) -> &'a str {
        match self {
            PolicyRef::Customer(p) | PolicyRef::AwsImported(p) => &p.name,
            PolicyRef::AwsEmbedded(p) => &p.name,
        }
    }
    pub fn path(&self) -> &'a str {
        match self {
            PolicyRef::Customer(p) | PolicyRef::AwsImported(p) => &p.path,
            PolicyRef::AwsEmbedded(p) => &p.path,
        }
    }
    pub fn is_aws(&self) -> bool {
        !matches!(self, PolicyRef::Customer(_))
    }

    /// As IAM's GetPolicy shows it, with the account's attachment counts.
    pub fn as_managed(self, account: &str, counts: &Counts) -> ManagedPolicy {
        let arn = self.arn(account);
        let (attachments, boundaries) = counts.get(&arn).copied().unwrap_or((0, 0));
        let (id, default_version_id, description, create, update, tags): (
            &str,
            &str,
            Option<String>,
            Timestamp,
            Timestamp,
            Vec<Tag>,
        ) = match self {
            PolicyRef::Customer(p) | PolicyRef::AwsImported(p) => (
                &p.policy_id,
                &p.default_version_id,
                p.description.clone(),
                p.create_date,
                p.update_date,
                p.tags.clone(),
            ),
            PolicyRef::AwsEmbedded(p) => (
                &p.policy_id,
                &p.default_version_id,
                None,
                p.create_date,
                p.update_date,
                Vec::new(),
            ),
        };
        ManagedPolicy {
            name: self.name().to_string(),
            policy_id: id.to_string(),
            arn,
            path: self.path().to_string(),
            default_version_id: default_version_id.to_string(),
            attachment_count: attachments,
            permissions_boundary_usage_count: boundaries,
            is_attachable: true,
            description,
            create_date: create,
            update_date: update,
            tags,
        }
    }

    /// Every version, newest first, without documents (as ListPolicyVersions).
    pub fn versions(&self) -> Vec<PolicyVersion> {
        match self {
            PolicyRef::Customer(p) | PolicyRef::AwsImported(p) => {
                let mut v: Vec<PolicyVersion> = p
                    .versions
                    .iter()
                    .map(|v| PolicyVersion {
                        version_id: v.version_id.clone(),
                        is_default: v.version_id == p.default_version_id,
                        create_date: v.create_date,
                        document: None,
                    })
                    .collect();
                v.sort_by_key(|v| std::cmp::Reverse(version_number(&v.version_id)));
                v
            }
            PolicyRef::AwsEmbedded(p) => vec![PolicyVersion {
                version_id: p.default_version_id.clone(),
                is_default: true,
                create_date: p.update_date,
                document: None,
            }],
        }
    }

    pub fn version(&self, version_id: &str) -> Option<PolicyVersion> {
        match self {
            PolicyRef::Customer(p) | PolicyRef::AwsImported(p) => p
                .versions
                .iter()
                .find(|v| v.version_id == version_id)
                .map(|v| PolicyVersion {
                    version_id: v.version_id.clone(),
                    is_default: v.version_id == p.default_version_id,
                    create_date: v.create_date,
                    document: Some(v.document.clone()),
                }),
            PolicyRef::AwsEmbedded(p) => {
                (p.default_version_id == version_id).then(|| PolicyVersion {
                    version_id: p.default_version_id.clone(),
                    is_default: true,
                    create_date: p.update_date,
                    document: Some(p.document.clone()),
                })
            }
        }
    }
}

/// `v12` → 12, for ordering versions.
pub fn version_number(id: &str) -> u32 {
    id.trim_start_matches(['v', 'V']).parse().unwrap_or(0)
}

/// Per policy ARN: (attachments, uses as a permissions boundary).
pub type Counts = HashMap<String, (i32, i32)>;

/// Counts every attachment and boundary in the account, in one pass.
pub fn counts(account: &Account) -> Counts {
    let mut c = Counts::new();
    let mut attach = |arn: &String| c.entry(arn.clone()).or_default().0 += 1;
    for u in account.users.iter() {
        u.attached_policies.iter().for_each(&mut attach);
    }
    for g in account.groups.iter() {
        g.attached_policies.iter().for_each(&mut attach);
    }
    for r in account.roles.iter() {
        r.attached_policies.iter().for_each(&mut attach);
    }
    let boundaries = account
        .users
        .iter()
        .filter_map(|u| u.permissions_boundary.as_ref())
        .chain(
            account
                .roles
                .iter()
                .filter_map(|r| r.permissions_boundary.as_ref()),
        );
    for b in boundaries {
        c.entry(b.clone()).or_default().1 += 1;
    }
    c
}

/// Every managed policy the account sees, AWS ones first then customer ones, each in ARN order.
pub fn all(account: &Account) -> Vec<PolicyRef<'_>> {
    let imported: HashMap<String, &PolicyRecord> = account
        .aws_policies
        .iter()
        .map(|p| (aws_arn(p), p))
        .collect();
    let mut out: Vec<PolicyRef<'_>> = Vec::with_capacity(aws_policies().len());
    let mut seen = std::collections::HashSet::new();
    for p in aws_policies().iter() {
        seen.insert(p.arn.as_str());
        out.push(match imported.get(&p.arn) {
            Some(r) => PolicyRef::AwsImported(r),
            None => PolicyRef::AwsEmbedded(p),
        });
    }
    let mut extra: Vec<(&String, &&PolicyRecord)> = imported
        .iter()
        .filter(|(arn, _)| !seen.contains(arn.as_str()))
        .collect();
    extra.sort_by(|a, b| a.0.cmp(b.0));
    out.extend(extra.into_iter().map(|(_, r)| PolicyRef::AwsImported(r)));
    out.extend(account.policies.iter().map(PolicyRef::Customer));
    out
}
