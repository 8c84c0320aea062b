//! The local account as it is stored: one JSON document, versioned, readable by people.
//!
//! Entities are kept in [`Table`]s keyed by their lower-cased name (IAM names are unique without
//! regard to case) and written as arrays sorted by name, so the file diffs well. Secrets (secret
//! access keys, session secrets and tokens, MFA seeds) are [`Secret`]s: stored in the file, which
//! is created 0600, but never printed by `Debug`.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::iam::types::{KeyStatus, PasswordPolicy, RoleDeletion, Tag, Timestamp};

/// The `format` field of every account file: a foreign JSON file is recognised at once.
pub const FORMAT: &str = "iamtui-local-account";
/// The newest `format_version` this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// A secret kept in the file; `Debug` shows only that it is there.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Entities with a name that IAM keeps unique without regard to case.
pub trait Named {
    /// The name the table is keyed by.
    fn table_key(&self) -> &str;
}

/// `impl Named` for records keyed by one of their fields.
macro_rules! named_by {
    ($field:ident: $($ty:ty),+) => {
        $(impl Named for $ty {
            fn table_key(&self) -> &str {
                &self.$field
            }
        })+
    };
}
named_by!(
    name: InlinePolicyRecord,
    UserRecord,
    GroupRecord,
    RoleRecord,
    PolicyRecord,
    InstanceProfileRecord,
    SamlProviderRecord
);
// Serial numbers are unique; two devices may share a name under different paths.
named_by!(serial_number: VirtualMfaRecord);
named_by!(url: OidcProviderRecord);
named_by!(access_key_id: SessionRecord);

/// A name-keyed collection, serialized as an array sorted by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table<T> {
    items: BTreeMap<String, T>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self {
            items: BTreeMap::new(),
        }
    }
}

/// The key a name is stored under.
pub fn key(name: &str) -> String {
    name.to_ascii_lowercase()
}

impl<T: Named> Table<T> {
    pub fn get(&self, name: &str) -> Option<&T> {
        self.items.get(&key(name))
    }
    pub fn get_mut(&mut self, name: &str) -> Option<&mut T> {
        self.items.get_mut(&key(name))
    }
    pub fn contains(&self, name: &str) -> bool {
        self.items.contains_key(&key(name))
    }
    /// Inserts or replaces the entity under its own name.
    pub fn insert(&mut self, item: T) {
        self.items.insert(key(item.table_key()), item);
    }
    pub fn remove(&mut self, name: &str) -> Option<T> {
        self.items.remove(&key(name))
    }
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        self.items.retain(|_, v| keep(v));
    }
    pub fn len(&self) -> usize {
        self.items.len()
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    /// In name order (case-insensitive).
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.items.values()
    }
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.items.values_mut()
    }
    /// Entities whose key sorts after `marker` (a key as [`Table::marker_of`] returns it).
    pub fn after<'a>(&'a self, marker: Option<&str>) -> Box<dyn Iterator<Item = &'a T> + 'a> {
        match marker {
            None => Box::new(self.items.values()),
            Some(m) => Box::new(
                self.items
                    .range::<str, _>((std::ops::Bound::Excluded(m), std::ops::Bound::Unbounded))
                    .map(|(_, v)| v),
            ),
        }
    }
    pub fn marker_of(item: &T) -> String {
        key(item.table_key())
    }
}

/// `table[name]`: the entity named `name`, which the caller has checked is there (panics if not).
impl<T: Named, K: AsRef<str> + ?Sized> std::ops::Index<&K> for Table<T> {
    type Output = T;
    fn index(&self, name: &K) -> &T {
        self.get(name.as_ref()).expect("checked to exist")
    }
}

impl<T: Named, K: AsRef<str> + ?Sized> std::ops::IndexMut<&K> for Table<T> {
    fn index_mut(&mut self, name: &K) -> &mut T {
        self.get_mut(name.as_ref()).expect("checked to exist")
    }
}

impl<T: Named + Serialize> Serialize for Table<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.items.values())
    }
}

impl<'de, T: Named + Deserialize<'de>> Deserialize<'de> for Table<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let list = Vec::<T>::deserialize(d)?;
        let mut table = Table::default();
        for item in list {
            if table.contains(item.table_key()) {
                return Err(serde::de::Error::custom(format!(
                    "the name `{}` appears twice (IAM names are unique without regard to case)",
                    item.table_key()
                )));
            }
            table.insert(item);
        }
        Ok(table)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InlinePolicyRecord {
    pub name: String,
    pub document: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastUsed {
    pub date: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessKeyRecord {
    pub access_key_id: String,
    /// Sensitive: the secret access key.
    pub secret_access_key: Secret,
    pub status: KeyStatus,
    pub create_date: Timestamp,
    #[serde(default)]
    pub last_used: LastUsed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginProfile {
    pub create_date: Timestamp,
    #[serde(default)]
    pub password_reset_required: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRecord {
    pub name: String,
    pub user_id: String,
    pub path: String,
    pub create_date: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_last_used: Option<Timestamp>,
    /// A console password exists (the password itself is not kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_profile: Option<LoginProfile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<String>,
    #[serde(default)]
    pub tags: Vec<Tag>,
    /// Names of the groups the user belongs to, in the order they were joined.
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub attached_policies: Vec<String>,
    #[serde(default)]
    pub inline_policies: Table<InlinePolicyRecord>,
    #[serde(default)]
    pub access_keys: Vec<AccessKeyRecord>,
    /// Serial numbers of the MFA devices enabled for the user.
    #[serde(default)]
    pub mfa_devices: Vec<MfaAssignmentRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ssh_public_keys: Vec<SshKeyRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signing_certificates: Vec<SigningCertRecord>,
}

/// An SSH public key uploaded for a user (public: kept as uploaded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SshKeyRecord {
    pub id: String,
    pub body: String,
    pub fingerprint: String,
    pub status: KeyStatus,
    pub upload_date: Timestamp,
}

/// A signing certificate uploaded for a user (public: kept as uploaded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningCertRecord {
    pub id: String,
    pub body: String,
    pub status: KeyStatus,
    pub upload_date: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaAssignmentRecord {
    pub serial_number: String,
    pub enable_date: Timestamp,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRecord {
    pub name: String,
    pub group_id: String,
    pub path: String,
    pub create_date: Timestamp,
    #[serde(default)]
    pub attached_policies: Vec<String>,
    #[serde(default)]
    pub inline_policies: Table<InlinePolicyRecord>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRecord {
    pub name: String,
    pub role_id: String,
    pub path: String,
    pub create_date: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub max_session_duration: i32,
    pub assume_role_policy: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<String>,
    #[serde(default)]
    pub tags: Vec<Tag>,
    #[serde(default)]
    pub attached_policies: Vec<String>,
    #[serde(default)]
    pub inline_policies: Table<InlinePolicyRecord>,
    #[serde(default)]
    pub last_used: LastUsed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyVersionRecord {
    pub version_id: String,
    pub document: String,
    pub create_date: Timestamp,
}

/// A managed policy. Customer-managed ones are keyed by name; AWS-managed ones (only those an
/// import brought in, which override the embedded copies) by their ARN's path and name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyRecord {
    pub name: String,
    pub policy_id: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub create_date: Timestamp,
    pub update_date: Timestamp,
    pub default_version_id: String,
    /// The number the next version gets (`v{n}`): IAM never reuses a version id.
    pub next_version: u32,
    pub versions: Vec<PolicyVersionRecord>,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

impl PolicyRecord {
    pub fn default_document(&self) -> Option<&str> {
        self.versions
            .iter()
            .find(|v| v.version_id == self.default_version_id)
            .map(|v| v.document.as_str())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceProfileRecord {
    pub name: String,
    pub instance_profile_id: String,
    pub path: String,
    pub create_date: Timestamp,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VirtualMfaRecord {
    /// The device's name (the last part of its serial number).
    pub name: String,
    pub path: String,
    pub serial_number: String,
    /// Sensitive: the TOTP seed, Base32.
    pub seed_base32: Secret,
    pub create_date: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_date: Option<Timestamp>,
    /// The last 30-second step whose code was accepted: a code is good once (RFC 6238 §5.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_step: Option<u64>,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SamlProviderRecord {
    pub name: String,
    pub metadata_document: String,
    pub create_date: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Timestamp>,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OidcProviderRecord {
    /// The URL without its scheme, as it appears in the ARN.
    pub url: String,
    pub client_ids: Vec<String>,
    pub thumbprints: Vec<String>,
    pub create_date: Timestamp,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// Who a set of temporary credentials belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SessionPrincipal {
    /// AssumeRole: a role session, limited by its session policies.
    Role {
        role: String,
        session_name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        policy: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        policy_arns: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        tags: Vec<Tag>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source_identity: Option<String>,
    },
    /// GetSessionToken by an IAM user: the user's own permissions.
    User { user: String },
    /// GetSessionToken by the account's root identity.
    Root,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    pub access_key_id: String,
    /// Sensitive.
    pub secret_access_key: Secret,
    /// Sensitive.
    pub session_token: Secret,
    pub issued: Timestamp,
    pub expiration: Timestamp,
    /// When MFA was presented for the session (`aws:MultiFactorAuthPresent` and `...Age`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_authenticated: Option<Timestamp>,
    pub principal: SessionPrincipal,
}

/// The whole account file. (`Default` has no format or id: start from [`Account::empty`].)
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub format: String,
    pub format_version: u32,
    pub account_id: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub created: Timestamp,
    /// Where the account came from: "empty", "demo", "import of FILE", "generated N".
    #[serde(default)]
    pub origin: String,
    #[serde(default)]
    pub users: Table<UserRecord>,
    #[serde(default)]
    pub groups: Table<GroupRecord>,
    #[serde(default)]
    pub roles: Table<RoleRecord>,
    /// Customer-managed policies.
    #[serde(default)]
    pub policies: Table<PolicyRecord>,
    /// AWS-managed policies that an import carried (they override the embedded copies, so an
    /// offline snapshot shows the versions its account really had).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aws_policies: Vec<PolicyRecord>,
    #[serde(default)]
    pub instance_profiles: Table<InstanceProfileRecord>,
    #[serde(default)]
    pub virtual_mfa_devices: Table<VirtualMfaRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_policy: Option<PasswordPolicy>,
    #[serde(default)]
    pub saml_providers: Table<SamlProviderRecord>,
    #[serde(default)]
    pub oidc_providers: Table<OidcProviderRecord>,
    /// Live temporary credentials (expired ones are dropped on the next write).
    #[serde(default)]
    pub sessions: Table<SessionRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_report_generated: Option<Timestamp>,
    /// Deletions of service-linked roles, by task id (GetServiceLinkedRoleDeletionStatus).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub role_deletions: BTreeMap<String, RoleDeletion>,
    /// Top-level fields this build does not know (a newer writer's, of the same format
    /// version), kept as they are so a write here does not drop them.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Account {
    /// An account with nothing in it.
    pub fn empty(account_id: impl Into<String>, now: Timestamp) -> Self {
        Self {
            format: FORMAT.to_string(),
            format_version: FORMAT_VERSION,
            account_id: account_id.into(),
            created: now,
            origin: "empty".into(),
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct N(String);
    impl Named for N {
        fn table_key(&self) -> &str {
            &self.0
        }
    }

    #[test]
    fn tables_ignore_case_and_keep_sorted_order() {
        let mut t = Table::default();
        for n in ["bob", "Alice", "carol"] {
            t.insert(N(n.into()));
        }
        assert!(t.contains("ALICE"));
        assert_eq!(t.get("alice").unwrap().0, "Alice");
        let names: Vec<&str> = t.iter().map(|n| n.0.as_str()).collect();
        assert_eq!(names, ["Alice", "bob", "carol"]);
        let after: Vec<&str> = t.after(Some("alice")).map(|n| n.0.as_str()).collect();
        assert_eq!(after, ["bob", "carol"]);
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#"["Alice","bob","carol"]"#);
        let back: Table<N> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, t);
        let dup = serde_json::from_str::<Table<N>>(r#"["a","A"]"#).unwrap_err();
        assert!(dup.to_string().contains("appears twice"), "{dup}");
    }

    #[test]
    fn secrets_do_not_print() {
        let s = Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into());
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            r#""wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY""#
        );
    }
}
