//! Domain types shared by the console and both backends.
//!
//! Policy documents are always held decoded (plain JSON text): IAM sends them URL-encoded and
//! each backend decodes exactly once.

use std::fmt;

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

pub type Timestamp = DateTime<Utc>;

/// Who the backend is acting as (STS GetCallerIdentity).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub account: String,
    pub arn: String,
    pub user_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

impl Tag {
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: value.into(),
        }
    }
}

/// An IAM identity that can hold policies: a user, a group or a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntityKind {
    User,
    Group,
    Role,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Group => "group",
            Self::Role => "role",
        }
    }
}

/// A user, group or role by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EntityRef {
    pub kind: EntityKind,
    pub name: String,
}

impl EntityRef {
    pub fn new(kind: EntityKind, name: impl Into<String>) -> Self {
        Self {
            kind,
            name: name.into(),
        }
    }
    pub fn user(name: impl Into<String>) -> Self {
        Self::new(EntityKind::User, name)
    }
    pub fn group(name: impl Into<String>) -> Self {
        Self::new(EntityKind::Group, name)
    }
    pub fn role(name: impl Into<String>) -> Self {
        Self::new(EntityKind::Role, name)
    }
}

/// Something IAM can tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TagTarget {
    User(String),
    Role(String),
    /// Customer-managed policy, by ARN.
    Policy(String),
    /// Virtual MFA device, by serial number.
    MfaDevice(String),
    OidcProvider(String),
    SamlProvider(String),
    /// Instance profile, by name.
    InstanceProfile(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub name: String,
    pub user_id: String,
    pub arn: String,
    pub path: String,
    pub create_date: Timestamp,
    pub password_last_used: Option<Timestamp>,
    /// ARN of the permissions boundary, if any.
    pub permissions_boundary: Option<String>,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub name: String,
    pub group_id: String,
    pub arn: String,
    pub path: String,
    pub create_date: Timestamp,
}

/// A group with every member (GetGroup, all pages).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupDetail {
    pub group: Group,
    pub members: Vec<User>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleLastUsed {
    pub date: Option<Timestamp>,
    pub region: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub name: String,
    pub role_id: String,
    pub arn: String,
    pub path: String,
    pub create_date: Timestamp,
    pub description: Option<String>,
    /// Seconds; IAM's default is 3600.
    pub max_session_duration: i32,
    /// The trust policy, decoded JSON.
    pub assume_role_policy: Option<String>,
    pub permissions_boundary: Option<String>,
    pub tags: Vec<Tag>,
    /// Present on GetRole; list calls leave it empty.
    pub last_used: Option<RoleLastUsed>,
}

/// An instance profile: how an EC2 instance carries a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceProfile {
    pub name: String,
    pub instance_profile_id: String,
    pub arn: String,
    pub path: String,
    pub create_date: Timestamp,
    /// Names of the roles in it (IAM allows one).
    pub roles: Vec<String>,
    /// Present on GetInstanceProfile and ListInstanceProfiles.
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// GetAccountSummary's map: entity counts (`Users`) and quotas (`UsersQuota`) by IAM's key names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub entries: std::collections::BTreeMap<String, i64>,
}

/// A user's console password, without the password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginProfile {
    pub user_name: String,
    pub create_date: Timestamp,
    pub password_reset_required: bool,
}

/// A console password on its way to IAM: `Debug` never shows it, and it is not kept.
#[derive(Clone)]
pub struct Password(SecretString);

impl Password {
    pub fn new(text: impl Into<String>) -> Self {
        Password(SecretString::from(text.into()))
    }

    pub fn expose(&self) -> &str {
        secrecy::ExposeSecret::expose_secret(&self.0)
    }
}

impl PartialEq for Password {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for Password {}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// Which managed policies to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum PolicyScope {
    #[default]
    All,
    /// AWS managed policies.
    Aws,
    /// Customer managed policies.
    Local,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedPolicy {
    pub name: String,
    pub policy_id: String,
    pub arn: String,
    pub path: String,
    pub default_version_id: String,
    pub attachment_count: i32,
    pub permissions_boundary_usage_count: i32,
    pub is_attachable: bool,
    pub description: Option<String>,
    pub create_date: Timestamp,
    pub update_date: Timestamp,
    pub tags: Vec<Tag>,
}

impl ManagedPolicy {
    /// AWS managed policies live under the reserved `aws` account in every partition.
    pub fn is_aws_managed(&self) -> bool {
        is_aws_managed_arn(&self.arn)
    }
}

/// True for `arn:<partition>:iam::aws:policy/...`.
pub fn is_aws_managed_arn(arn: &str) -> bool {
    // Called for every policy row on each rebuild: no allocation.
    let mut p = arn.split(':');
    p.next() == Some("arn")
        && p.next().is_some()
        && p.next() == Some("iam")
        && p.next() == Some("")
        && p.next() == Some("aws")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyVersion {
    pub version_id: String,
    pub is_default: bool,
    pub create_date: Timestamp,
    /// Decoded JSON; `None` from list calls, which do not return documents.
    pub document: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AttachedPolicy {
    pub name: String,
    pub arn: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InlinePolicy {
    pub name: String,
    /// Decoded JSON.
    pub document: String,
}

/// How a managed policy is used by an entity (ListEntitiesForPolicy's PolicyUsageFilter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum PolicyUsage {
    #[default]
    PermissionsPolicy,
    PermissionsBoundary,
}

/// Where a managed policy is attached (names).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyEntities {
    pub users: Vec<String>,
    pub groups: Vec<String>,
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KeyStatus {
    Active,
    Inactive,
}

impl KeyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "Active",
            Self::Inactive => "Inactive",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessKey {
    pub user_name: String,
    pub access_key_id: String,
    pub status: KeyStatus,
    pub create_date: Timestamp,
}

/// GetAccessKeyLastUsed; IAM reports "N/A" for never-used keys, which becomes `None` here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessKeyLastUsed {
    pub date: Option<Timestamp>,
    pub service: Option<String>,
    pub region: Option<String>,
}

/// A freshly created access key: the only moment the secret exists outside AWS.
#[derive(Debug, Clone)]
pub struct NewAccessKey {
    pub key: AccessKey,
    pub secret_access_key: SecretString,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MfaKind {
    Virtual,
    /// FIDO security key or passkey.
    SecurityKey,
    Hardware,
}

impl MfaKind {
    /// IAM encodes the device type in the serial: `...:mfa/name` is virtual, `...:u2f/...` a
    /// FIDO key; anything else (a bare serial like `GAHT12345678`) is a hardware token.
    pub fn from_serial(serial: &str) -> Self {
        if serial.starts_with("arn:") {
            if serial.contains(":u2f/") {
                Self::SecurityKey
            } else {
                Self::Virtual
            }
        } else {
            Self::Hardware
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaDevice {
    pub serial_number: String,
    /// The user the device is assigned to; `None` for an unassigned virtual device.
    pub user_name: Option<String>,
    pub enable_date: Option<Timestamp>,
    pub kind: MfaKind,
}

/// Which virtual MFA devices to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MfaAssignment {
    #[default]
    Any,
    Assigned,
    Unassigned,
}

/// A virtual MFA device just created: its Base32 seed is a secret.
#[derive(Debug, Clone)]
pub struct NewVirtualMfa {
    pub serial_number: String,
    pub seed_base32: SecretString,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    pub minimum_password_length: Option<i32>,
    pub require_symbols: bool,
    pub require_numbers: bool,
    pub require_uppercase_characters: bool,
    pub require_lowercase_characters: bool,
    pub allow_users_to_change_password: bool,
    /// Read-only: IAM derives it from `max_password_age`.
    pub expire_passwords: bool,
    pub max_password_age: Option<i32>,
    pub password_reuse_prevention: Option<i32>,
    pub hard_expiry: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SamlProvider {
    pub arn: String,
    pub create_date: Option<Timestamp>,
    pub valid_until: Option<Timestamp>,
    /// Present on GetSAMLProvider.
    pub metadata_document: Option<String>,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OidcProvider {
    pub arn: String,
    /// Present on GetOpenIDConnectProvider.
    pub url: Option<String>,
    pub client_ids: Vec<String>,
    pub thumbprints: Vec<String>,
    pub create_date: Option<Timestamp>,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateOidcProvider {
    pub url: String,
    pub client_ids: Vec<String>,
    pub thumbprints: Vec<String>,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportState {
    Started,
    InProgress,
    Complete,
}

/// One row of the credential report, with IAM's column names. Values are kept as IAM writes
/// them ("N/A", "not_supported", "no_information" included) so nothing is lost in translation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CredentialReportRow {
    pub user: String,
    pub arn: String,
    pub user_creation_time: String,
    pub password_enabled: String,
    pub password_last_used: String,
    pub password_last_changed: String,
    pub password_next_rotation: String,
    pub mfa_active: String,
    pub access_key_1_active: String,
    pub access_key_1_last_rotated: String,
    pub access_key_1_last_used_date: String,
    pub access_key_1_last_used_region: String,
    pub access_key_1_last_used_service: String,
    pub access_key_2_active: String,
    pub access_key_2_last_rotated: String,
    pub access_key_2_last_used_date: String,
    pub access_key_2_last_used_region: String,
    pub access_key_2_last_used_service: String,
    pub cert_1_active: String,
    pub cert_1_last_rotated: String,
    pub cert_2_active: String,
    pub cert_2_last_rotated: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialReport {
    pub generated: Option<Timestamp>,
    pub rows: Vec<CredentialReportRow>,
}

impl CredentialReport {
    /// Parses the CSV IAM returns. Columns are matched by header name, so a report with extra or
    /// reordered columns still reads.
    pub fn parse_csv(generated: Option<Timestamp>, csv_text: &[u8]) -> Result<Self, csv::Error> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(csv_text);
        let rows = reader
            .deserialize::<CredentialReportRow>()
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { generated, rows })
    }
}

/// AWS credentials. Secrets are wrapped so they never print in logs or panics.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: SecretString,
    pub session_token: Option<SecretString>,
    pub expiration: Option<Timestamp>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssumeRoleRequest {
    pub role_arn: String,
    pub session_name: String,
    pub duration_seconds: Option<i32>,
    pub external_id: Option<String>,
    pub serial_number: Option<String>,
    pub token_code: Option<String>,
    pub source_identity: Option<String>,
    pub tags: Vec<Tag>,
    pub transitive_tag_keys: Vec<String>,
    /// Inline session policy (JSON).
    pub policy: Option<String>,
    /// Managed session policies.
    pub policy_arns: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct AssumedRole {
    pub credentials: Credentials,
    pub assumed_role_arn: String,
    pub assumed_role_id: String,
    /// Percentage (0-100) of the maximum session token size used (session policies, tags).
    pub session_token_utilization: Option<i32>,
    pub source_identity: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct GetSessionTokenRequest {
    pub duration_seconds: Option<i32>,
    pub serial_number: Option<String>,
    pub token_code: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateUser {
    pub name: String,
    pub path: Option<String>,
    pub permissions_boundary: Option<String>,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateServiceLinkedRole {
    /// The service principal, `elasticbeanstalk.amazonaws.com`.
    pub service: String,
    pub description: Option<String>,
    /// Appended to the role's name (`_suffix`), for services that allow several such roles.
    pub suffix: Option<String>,
}

/// Where the deletion of a service-linked role stands (GetServiceLinkedRoleDeletionStatus).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleDeletion {
    /// IAM's word: `SUCCEEDED`, `IN_PROGRESS`, `FAILED` or `NOT_STARTED`.
    pub status: String,
    /// Why it failed, and the resources in each region that still use the role.
    pub reason: Option<String>,
    pub usages: Vec<String>,
}

impl RoleDeletion {
    pub fn finished(&self) -> bool {
        matches!(self.status.as_str(), "SUCCEEDED" | "FAILED")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateRole {
    pub name: String,
    pub path: Option<String>,
    pub assume_role_policy: String,
    pub description: Option<String>,
    pub max_session_duration: Option<i32>,
    pub permissions_boundary: Option<String>,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatePolicy {
    pub name: String,
    pub path: Option<String>,
    pub document: String,
    pub description: Option<String>,
    pub tags: Vec<Tag>,
}

/// Fields of UpdateUser/UpdateGroup: rename and/or move.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rename {
    pub new_name: Option<String>,
    pub new_path: Option<String>,
}

/// One page of a list call and where the next begins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// `Some` while IAM reports more (`IsTruncated` + `Marker`).
    pub next_marker: Option<String>,
}

/// Where a list page starts. IAM pages at 100 items by default, 1,000 at most.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageRequest {
    pub marker: Option<String>,
    pub max_items: Option<i32>,
    pub path_prefix: Option<String>,
}

impl PageRequest {
    pub fn first() -> Self {
        Self::default()
    }
    pub fn after(marker: Option<String>) -> Self {
        Self {
            marker,
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_managed_arns_in_every_partition() {
        assert!(is_aws_managed_arn("arn:aws:iam::aws:policy/ReadOnlyAccess"));
        assert!(is_aws_managed_arn(
            "arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaRole"
        ));
        assert!(!is_aws_managed_arn("arn:aws:iam::123456789012:policy/aws"));
        assert!(!is_aws_managed_arn("not-an-arn"));
    }

    #[test]
    fn mfa_kind_from_serial() {
        assert_eq!(
            MfaKind::from_serial("arn:aws:iam::123456789012:mfa/alice"),
            MfaKind::Virtual
        );
        assert_eq!(
            MfaKind::from_serial("arn:aws:iam::123456789012:u2f/user/alice/key-ABC"),
            MfaKind::SecurityKey
        );
        assert_eq!(MfaKind::from_serial("GAHT12345678"), MfaKind::Hardware);
    }

    #[test]
    fn credential_report_reads_by_header() {
        let csv = "user,arn,user_creation_time,password_enabled,mfa_active,access_key_1_active\n\
                   <root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,true,false\n\
                   alice,arn:aws:iam::123456789012:user/alice,2021-02-03T04:05:06+00:00,true,false,true\n";
        let r = CredentialReport::parse_csv(None, csv.as_bytes()).unwrap();
        assert_eq!(r.rows.len(), 2);
        assert_eq!(r.rows[1].user, "alice");
        assert_eq!(r.rows[1].access_key_1_active, "true");
        assert_eq!(r.rows[0].password_enabled, "not_supported");
        assert_eq!(r.rows[1].cert_1_active, "");
    }
}

/// An SSH public key of a user (ListSSHPublicKeys, UploadSSHPublicKey): IAM keeps it for
/// CodeCommit. The key itself is public; the list carries its id, not its body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SshPublicKey {
    pub user_name: String,
    pub ssh_public_key_id: String,
    /// Set by an upload's answer (ListSSHPublicKeys leaves it out).
    pub fingerprint: Option<String>,
    pub status: KeyStatus,
    pub upload_date: Timestamp,
}

/// An X.509 signing certificate of a user (ListSigningCertificates, UploadSigningCertificate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningCertificate {
    pub user_name: String,
    pub certificate_id: String,
    pub status: KeyStatus,
    pub upload_date: Timestamp,
}
