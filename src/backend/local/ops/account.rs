//! Account-wide settings and resources: aliases, the password policy, identity providers, tags
//! and the credential report.

use crate::iam::error::Result;
use crate::iam::types::*;

use super::super::call::{Call, split_iam_arn};
use super::super::managed::{self, PolicyRef};
use super::super::model::{AccessKeyRecord, OidcProviderRecord, SamlProviderRecord};
use super::super::names::{check_alias, check_tags, merge_tags};
use super::identities::{INSTANCE_PROFILES, profile_arn, request_tags, role_arn, user_arn};
use super::{detail_only, quota, range};

pub fn list_account_aliases(c: &mut Call<'_>) -> Result<Vec<String>> {
    c.authorize("iam:ListAccountAliases", "*")?;
    Ok(c.account.aliases.clone())
}

pub fn create_account_alias(c: &mut Call<'_>, alias: &str) -> Result<()> {
    c.authorize("iam:CreateAccountAlias", "*")?;
    check_alias("CreateAccountAlias", alias)?;
    c.account.aliases = vec![alias.to_string()];
    Ok(())
}

pub fn delete_account_alias(c: &mut Call<'_>, alias: &str) -> Result<()> {
    c.authorize("iam:DeleteAccountAlias", "*")?;
    if !c.account.aliases.iter().any(|a| a == alias) {
        return c.fail(
            "NoSuchEntity",
            format!("The account alias {alias} cannot be found."),
        );
    }
    c.account.aliases.retain(|a| a != alias);
    Ok(())
}

// --- account summary --------------------------------------------------------------------------

/// The counts IAM reports, against the quotas the local account enforces.
pub fn get_account_summary(c: &mut Call<'_>) -> Result<AccountSummary> {
    c.authorize("iam:GetAccountSummary", "*")?;
    let a = &c.account;
    let n = |v: usize| v as i64;
    let per_entity = n(super::MANAGED_POLICIES_PER_ENTITY);
    let in_use = a.users.iter().map(|u| u.mfa_devices.len()).sum::<usize>();
    let versions = a.policies.iter().map(|p| p.versions.len()).sum::<usize>();
    let entries = [
        ("Users", n(a.users.len())),
        ("UsersQuota", n(super::USERS)),
        ("Groups", n(a.groups.len())),
        ("GroupsQuota", n(super::GROUPS)),
        ("Roles", n(a.roles.len())),
        ("RolesQuota", n(super::ROLES)),
        ("Policies", n(a.policies.len())),
        ("PoliciesQuota", n(super::CUSTOMER_POLICIES)),
        ("InstanceProfiles", n(a.instance_profiles.len())),
        ("InstanceProfilesQuota", n(INSTANCE_PROFILES)),
        ("Providers", n(a.saml_providers.len())),
        ("MFADevices", n(a.virtual_mfa_devices.len())),
        ("MFADevicesInUse", n(in_use)),
        ("PolicyVersionsInUse", n(versions)),
        ("GroupsPerUserQuota", n(super::GROUPS_PER_USER)),
        ("AccessKeysPerUserQuota", n(super::ACCESS_KEYS_PER_USER)),
        ("AttachedPoliciesPerUserQuota", per_entity),
        ("AttachedPoliciesPerGroupQuota", per_entity),
        ("AttachedPoliciesPerRoleQuota", per_entity),
        ("VersionsPerPolicyQuota", n(super::VERSIONS_PER_POLICY)),
    ];
    Ok(AccountSummary {
        entries: entries.into_iter().map(|(k, v)| (k.into(), v)).collect(),
    })
}

// --- password policy --------------------------------------------------------------------------

pub fn get_password_policy(c: &mut Call<'_>) -> Result<Option<PasswordPolicy>> {
    c.authorize("iam:GetAccountPasswordPolicy", "*")?;
    Ok(c.account.password_policy.clone())
}

pub fn update_password_policy(c: &mut Call<'_>, policy: &PasswordPolicy) -> Result<()> {
    range(
        c,
        "minimumPasswordLength",
        policy.minimum_password_length,
        6,
        128,
    )?;
    range(c, "maxPasswordAge", policy.max_password_age, 1, 1095)?;
    range(
        c,
        "passwordReusePrevention",
        policy.password_reuse_prevention,
        1,
        24,
    )?;
    c.authorize("iam:UpdateAccountPasswordPolicy", "*")?;
    let stored = PasswordPolicy {
        // IAM's defaults for what the request leaves out.
        minimum_password_length: Some(policy.minimum_password_length.unwrap_or(8)),
        // Derived, as IAM derives it.
        expire_passwords: policy.max_password_age.is_some(),
        hard_expiry: Some(policy.hard_expiry.unwrap_or(false)),
        ..policy.clone()
    };
    c.account.password_policy = Some(stored);
    Ok(())
}

pub fn delete_password_policy(c: &mut Call<'_>) -> Result<()> {
    c.authorize("iam:DeleteAccountPasswordPolicy", "*")?;
    if c.account.password_policy.take().is_none() {
        return c.fail(
            "NoSuchEntity",
            format!(
                "The Password Policy with domain name {} cannot be found.",
                c.account_id()
            ),
        );
    }
    Ok(())
}

// --- SAML providers ---------------------------------------------------------------------------

fn saml_arn(c: &Call<'_>, name: &str) -> String {
    c.arn("saml-provider", "/", name)
}

fn saml_of(c: &Call<'_>, p: &SamlProviderRecord, detail: bool) -> SamlProvider {
    SamlProvider {
        arn: saml_arn(c, &p.name),
        create_date: Some(p.create_date),
        valid_until: p.valid_until,
        metadata_document: detail.then(|| p.metadata_document.clone()),
        tags: detail_only(detail, &p.tags),
    }
}

fn saml_name<'a>(c: &Call<'_>, arn: &'a str) -> Result<&'a str> {
    match split_iam_arn(arn, c.account_id(), "saml-provider") {
        Some(("/", name)) if c.account.saml_providers.contains(name) => Ok(name),
        _ => c.fail("NoSuchEntity", format!("Manifest not found for arn {arn}")),
    }
}

pub fn list_saml_providers(c: &mut Call<'_>) -> Result<Vec<SamlProvider>> {
    c.authorize("iam:ListSAMLProviders", "*")?;
    Ok(c.account
        .saml_providers
        .iter()
        .map(|p| saml_of(c, p, false))
        .collect())
}

pub fn get_saml_provider(c: &mut Call<'_>, arn: &str) -> Result<SamlProvider> {
    c.authorize("iam:GetSAMLProvider", arn)?;
    let name = saml_name(c, arn)?;
    Ok(saml_of(c, &c.account.saml_providers[name], true))
}

/// `validUntil="…"` of the metadata's EntityDescriptor, when present.
fn valid_until(metadata: &str) -> Option<Timestamp> {
    let at = metadata.find("validUntil=\"")? + "validUntil=\"".len();
    let end = metadata[at..].find('"')?;
    chrono::DateTime::parse_from_rfc3339(&metadata[at..at + end])
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// IAM's rules for a SAML metadata document: 1,000 to 10,000,000 characters, and XML it can
/// read an EntityDescriptor from.
fn check_metadata(c: &Call<'_>, metadata: &str) -> Result<()> {
    if metadata.len() < 1000 || metadata.len() > 10_000_000 {
        return c.fail(
            "ValidationError",
            "1 validation error detected: Value at 'sAMLMetadataDocument' failed to satisfy constraint: Member must have length between 1000 and 10000000",
        );
    }
    if !metadata.contains("EntityDescriptor") {
        return c.fail(
            "InvalidInput",
            "Could not parse metadata: no EntityDescriptor element",
        );
    }
    Ok(())
}

pub fn create_saml_provider(
    c: &mut Call<'_>,
    name: &str,
    metadata: &str,
    tags: &[Tag],
) -> Result<String> {
    let name_ok = !name.is_empty()
        && name.len() <= 128
        && name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "._-".contains(ch));
    if !name_ok {
        return c.fail(
            "ValidationError",
            format!("1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w._-]+"),
        );
    }
    check_metadata(c, metadata)?;
    check_tags(c.operation, tags)?;
    let arn = saml_arn(c, name);
    c.authorize_with("iam:CreateSAMLProvider", &arn, |ctx| {
        request_tags(ctx, tags)
    })?;
    if c.account.saml_providers.contains(name) {
        return c.fail(
            "EntityAlreadyExists",
            format!("SAMLProvider {name} already exists"),
        );
    }
    quota(
        c,
        c.account.saml_providers.len(),
        super::SAML_PROVIDERS,
        "SAMLProvidersPerAccount",
    )?;
    c.account.saml_providers.insert(SamlProviderRecord {
        name: name.to_string(),
        metadata_document: metadata.to_string(),
        create_date: c.now,
        valid_until: valid_until(metadata),
        tags: tags.to_vec(),
    });
    Ok(arn)
}

pub fn delete_saml_provider(c: &mut Call<'_>, arn: &str) -> Result<()> {
    c.authorize("iam:DeleteSAMLProvider", arn)?;
    let name = saml_name(c, arn)?.to_string();
    c.account.saml_providers.remove(&name);
    Ok(())
}

pub fn update_saml_provider(c: &mut Call<'_>, arn: &str, metadata: &str) -> Result<String> {
    check_metadata(c, metadata)?;
    c.authorize("iam:UpdateSAMLProvider", arn)?;
    let name = saml_name(c, arn)?.to_string();
    let until = valid_until(metadata);
    let p = &mut c.account.saml_providers[&name];
    p.metadata_document = metadata.to_string();
    p.valid_until = until;
    Ok(arn.to_string())
}

// --- OIDC providers ---------------------------------------------------------------------------

fn oidc_arn(c: &Call<'_>, url: &str) -> String {
    format!("arn:aws:iam::{}:oidc-provider/{url}", c.account_id())
}

fn oidc_url<'a>(c: &Call<'_>, arn: &'a str) -> Result<&'a str> {
    let prefix = format!("arn:aws:iam::{}:oidc-provider/", c.account_id());
    match arn.strip_prefix(prefix.as_str()) {
        Some(url) if c.account.oidc_providers.contains(url) => Ok(url),
        _ => c.fail(
            "NoSuchEntity",
            format!("OpenIDConnect Provider not found for arn {arn}"),
        ),
    }
}

fn oidc_of(c: &Call<'_>, p: &OidcProviderRecord, detail: bool) -> OidcProvider {
    OidcProvider {
        arn: oidc_arn(c, &p.url),
        url: detail.then(|| p.url.clone()),
        client_ids: detail_only(detail, &p.client_ids),
        thumbprints: detail_only(detail, &p.thumbprints),
        create_date: detail.then_some(p.create_date),
        tags: detail_only(detail, &p.tags),
    }
}

pub fn list_oidc_providers(c: &mut Call<'_>) -> Result<Vec<OidcProvider>> {
    c.authorize("iam:ListOpenIDConnectProviders", "*")?;
    Ok(c.account
        .oidc_providers
        .iter()
        .map(|p| oidc_of(c, p, false))
        .collect())
}

pub fn get_oidc_provider(c: &mut Call<'_>, arn: &str) -> Result<OidcProvider> {
    c.authorize("iam:GetOpenIDConnectProvider", arn)?;
    let url = oidc_url(c, arn)?;
    Ok(oidc_of(c, &c.account.oidc_providers[url], true))
}

pub fn create_oidc_provider(c: &mut Call<'_>, req: CreateOidcProvider) -> Result<String> {
    let Some(rest) = req.url.strip_prefix("https://") else {
        return c.fail(
            "ValidationError",
            "The URL of an OpenID Connect provider must begin with https://",
        );
    };
    let url = rest.trim_end_matches('/').to_string();
    if url.is_empty() || req.url.len() > 255 || url.contains(['?', '#']) {
        return c.fail(
            "ValidationError",
            format!("1 validation error detected: Value '{}' at 'url' failed to satisfy constraint: Member must be an https URL of at most 255 characters, without query or fragment", req.url),
        );
    }
    if req.client_ids.len() > 100
        || req
            .client_ids
            .iter()
            .any(|id| id.is_empty() || id.len() > 255)
    {
        return c.fail(
            "ValidationError",
            "1 validation error detected: Value at 'clientIDList' failed to satisfy constraint: at most 100 client ids of 1 to 255 characters",
        );
    }
    check_thumbprints(c, &req.thumbprints)?;
    check_tags(c.operation, &req.tags)?;
    let arn = oidc_arn(c, &url);
    c.authorize_with("iam:CreateOpenIDConnectProvider", &arn, |ctx| {
        request_tags(ctx, &req.tags)
    })?;
    if c.account.oidc_providers.contains(&url) {
        return c.fail(
            "EntityAlreadyExists",
            format!("Provider with url {} already exists.", req.url),
        );
    }
    quota(
        c,
        c.account.oidc_providers.len(),
        super::OIDC_PROVIDERS,
        "OpenIdConnectProvidersPerAccount",
    )?;
    c.account.oidc_providers.insert(OidcProviderRecord {
        url,
        client_ids: req.client_ids,
        thumbprints: req.thumbprints,
        create_date: c.now,
        tags: req.tags,
    });
    Ok(arn)
}

/// At most 5 thumbprints, each 40 hexadecimal characters (a SHA-1 hash).
fn check_thumbprints(c: &Call<'_>, thumbprints: &[String]) -> Result<()> {
    let thumb_ok = |t: &String| t.len() == 40 && t.bytes().all(|b| b.is_ascii_hexdigit());
    if thumbprints.len() > 5 || !thumbprints.iter().all(thumb_ok) {
        return c.fail(
            "ValidationError",
            "1 validation error detected: Value at 'thumbprintList' failed to satisfy constraint: at most 5 thumbprints of 40 hexadecimal characters",
        );
    }
    Ok(())
}

fn check_client_id(c: &Call<'_>, client_id: &str) -> Result<()> {
    if client_id.is_empty() || client_id.len() > 255 {
        return c.fail(
            "ValidationError",
            format!("1 validation error detected: Value '{client_id}' at 'clientID' failed to satisfy constraint: Member must have length between 1 and 255"),
        );
    }
    Ok(())
}

/// Idempotent, as in IAM: adding a client id the provider has changes nothing.
pub fn add_oidc_client_id(c: &mut Call<'_>, arn: &str, client_id: &str) -> Result<()> {
    check_client_id(c, client_id)?;
    c.authorize("iam:AddClientIDToOpenIDConnectProvider", arn)?;
    let url = oidc_url(c, arn)?.to_string();
    let ids = &c.account.oidc_providers[&url].client_ids;
    if ids.iter().any(|id| id == client_id) {
        return Ok(());
    }
    if ids.len() >= 100 {
        return c.fail(
            "LimitExceeded",
            "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100",
        );
    }
    c.account.oidc_providers[&url]
        .client_ids
        .push(client_id.to_string());
    Ok(())
}

/// Idempotent, as in IAM: removing a client id the provider lacks changes nothing.
pub fn remove_oidc_client_id(c: &mut Call<'_>, arn: &str, client_id: &str) -> Result<()> {
    check_client_id(c, client_id)?;
    c.authorize("iam:RemoveClientIDFromOpenIDConnectProvider", arn)?;
    let url = oidc_url(c, arn)?.to_string();
    c.account.oidc_providers[&url]
        .client_ids
        .retain(|id| id != client_id);
    Ok(())
}

/// The list replaces the provider's thumbprints (IAM does not merge them).
pub fn update_oidc_thumbprints(c: &mut Call<'_>, arn: &str, thumbprints: &[String]) -> Result<()> {
    check_thumbprints(c, thumbprints)?;
    c.authorize("iam:UpdateOpenIDConnectProviderThumbprint", arn)?;
    let url = oidc_url(c, arn)?.to_string();
    c.account.oidc_providers[&url].thumbprints = thumbprints.to_vec();
    Ok(())
}

pub fn delete_oidc_provider(c: &mut Call<'_>, arn: &str) -> Result<()> {
    c.authorize("iam:DeleteOpenIDConnectProvider", arn)?;
    let url = oidc_url(c, arn)?.to_string();
    c.account.oidc_providers.remove(&url);
    Ok(())
}

// --- tags -------------------------------------------------------------------------------------

/// The IAM action suffix and resource ARN of a tag target.
fn tag_target(c: &Call<'_>, target: &TagTarget) -> (&'static str, String) {
    match target {
        TagTarget::User(n) => ("User", user_arn(c, n)),
        TagTarget::Role(n) => ("Role", role_arn(c, n)),
        TagTarget::Policy(arn) => ("Policy", arn.clone()),
        TagTarget::MfaDevice(serial) => ("MFADevice", serial.clone()),
        TagTarget::OidcProvider(arn) => ("OpenIDConnectProvider", arn.clone()),
        TagTarget::SamlProvider(arn) => ("SAMLProvider", arn.clone()),
        TagTarget::InstanceProfile(n) => ("InstanceProfile", profile_arn(c, n)),
    }
}

/// The tags of a target, mutably; the error IAM gives when it does not exist.
fn tags_mut<'a>(c: &'a mut Call<'_>, target: &TagTarget) -> Result<&'a mut Vec<Tag>> {
    let missing = |c: &Call<'_>, what: String| {
        c.error("NoSuchEntity", format!("The {what} cannot be found."))
    };
    match target {
        TagTarget::User(n) => {
            let e = missing(c, format!("user with name {n}"));
            c.account.users.get_mut(n).map(|u| &mut u.tags).ok_or(e)
        }
        TagTarget::Role(n) => {
            let e = missing(c, format!("role with name {n}"));
            c.account.roles.get_mut(n).map(|r| &mut r.tags).ok_or(e)
        }
        TagTarget::Policy(arn) => match managed::find(c.account, arn) {
            Some(PolicyRef::Customer(p)) => {
                let name = p.name.clone();
                Ok(&mut c.account.policies[&name].tags)
            }
            Some(_) => c.fail(
                "AccessDenied",
                format!("Policy {arn} is an AWS managed policy; only AWS can tag it."),
            ),
            None => Err(missing(c, format!("policy {arn}"))),
        },
        TagTarget::MfaDevice(serial) => {
            let e = missing(c, format!("MFA device {serial}"));
            c.account
                .virtual_mfa_devices
                .get_mut(serial)
                .map(|d| &mut d.tags)
                .ok_or(e)
        }
        TagTarget::OidcProvider(arn) => {
            let url = oidc_url(c, arn)?.to_string();
            Ok(&mut c.account.oidc_providers[&url].tags)
        }
        TagTarget::SamlProvider(arn) => {
            let name = saml_name(c, arn)?.to_string();
            Ok(&mut c.account.saml_providers[&name].tags)
        }
        TagTarget::InstanceProfile(n) => {
            let e = missing(c, format!("Instance Profile {n}"));
            c.account
                .instance_profiles
                .get_mut(n)
                .map(|p| &mut p.tags)
                .ok_or(e)
        }
    }
}

pub fn list_tags(c: &mut Call<'_>, target: &TagTarget) -> Result<Vec<Tag>> {
    let (kind, arn) = tag_target(c, target);
    c.authorize(&format!("iam:List{kind}Tags"), &arn)?;
    Ok(tags_mut(c, target)?.clone())
}

pub fn tag(c: &mut Call<'_>, target: &TagTarget, tags: &[Tag]) -> Result<()> {
    let (kind, arn) = tag_target(c, target);
    c.authorize_with(&format!("iam:Tag{kind}"), &arn, |ctx| {
        request_tags(ctx, tags)
    })?;
    let op = c.operation;
    let existing = tags_mut(c, target)?;
    merge_tags(op, existing, tags)
}

pub fn untag(c: &mut Call<'_>, target: &TagTarget, keys: &[String]) -> Result<()> {
    let (kind, arn) = tag_target(c, target);
    c.authorize_with(&format!("iam:Untag{kind}"), &arn, |ctx| {
        if !keys.is_empty() {
            ctx.insert("aws:TagKeys", keys.to_vec());
        }
    })?;
    tags_mut(c, target)?.retain(|t| !keys.iter().any(|k| k.eq_ignore_ascii_case(&t.key)));
    Ok(())
}

// --- credential report ------------------------------------------------------------------------

pub fn generate_credential_report(c: &mut Call<'_>) -> Result<ReportState> {
    c.authorize("iam:GenerateCredentialReport", "*")?;
    // The local account builds the report on demand, so it is complete at once; IAM answers
    // STARTED to the first request.
    let first = c.account.credential_report_generated.is_none();
    c.account.credential_report_generated = Some(c.now);
    Ok(if first {
        ReportState::Started
    } else {
        ReportState::Complete
    })
}

fn iso(t: Option<Timestamp>, none: &str) -> String {
    t.map(|t| t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string())
        .unwrap_or_else(|| none.to_string())
}

pub fn get_credential_report(c: &mut Call<'_>) -> Result<CredentialReport> {
    c.authorize("iam:GetCredentialReport", "*")?;
    let Some(generated) = c.account.credential_report_generated else {
        return c.fail(
            "ReportNotPresent",
            "Credential report not present. Call GenerateCredentialReport first.",
        );
    };
    let account = c.account_id().to_string();
    let mut rows = vec![CredentialReportRow {
        user: "<root_account>".into(),
        arn: format!("arn:aws:iam::{account}:root"),
        user_creation_time: iso(Some(c.account.created), "N/A"),
        password_enabled: "not_supported".into(),
        password_last_used: "no_information".into(),
        password_last_changed: "not_supported".into(),
        password_next_rotation: "not_supported".into(),
        mfa_active: "false".into(),
        access_key_1_active: "false".into(),
        access_key_2_active: "false".into(),
        cert_1_active: "false".into(),
        cert_2_active: "false".into(),
        ..blank_row()
    }];
    for u in c.account.users.iter() {
        let key = |i: usize| u.access_keys.get(i);
        let active = |i: usize| {
            key(i)
                .is_some_and(|k| k.status == KeyStatus::Active)
                .to_string()
        };
        // A column of key `i`: N/A without the key or the value.
        let field = |i: usize, f: fn(&AccessKeyRecord) -> Option<String>| {
            key(i).and_then(f).unwrap_or_else(|| "N/A".into())
        };
        let rotated = |k: &AccessKeyRecord| Some(iso(Some(k.create_date), "N/A"));
        let used = |k: &AccessKeyRecord| Some(iso(k.last_used.date, "N/A"));
        let region = |k: &AccessKeyRecord| k.last_used.region.clone();
        let service = |k: &AccessKeyRecord| k.last_used.service.clone();
        let password = u.login_profile.is_some();
        // The signing certificates' columns, as the access keys' (upload date as rotation).
        let cert = |i: usize| u.signing_certificates.get(i);
        let cert_active = |i: usize| {
            cert(i)
                .is_some_and(|c| c.status == KeyStatus::Active)
                .to_string()
        };
        let cert_rotated =
            |i: usize| cert(i).map_or_else(|| "N/A".into(), |c| iso(Some(c.upload_date), "N/A"));
        rows.push(CredentialReportRow {
            user: u.name.clone(),
            arn: c.arn("user", &u.path, &u.name),
            user_creation_time: iso(Some(u.create_date), "N/A"),
            password_enabled: password.to_string(),
            password_last_used: if password {
                iso(u.password_last_used, "no_information")
            } else {
                "N/A".into()
            },
            password_last_changed: if password {
                iso(u.login_profile.as_ref().map(|l| l.create_date), "N/A")
            } else {
                "N/A".into()
            },
            password_next_rotation: "N/A".into(),
            mfa_active: (!u.mfa_devices.is_empty()).to_string(),
            access_key_1_active: active(0),
            access_key_1_last_rotated: field(0, rotated),
            access_key_1_last_used_date: field(0, used),
            access_key_1_last_used_region: field(0, region),
            access_key_1_last_used_service: field(0, service),
            access_key_2_active: active(1),
            access_key_2_last_rotated: field(1, rotated),
            access_key_2_last_used_date: field(1, used),
            access_key_2_last_used_region: field(1, region),
            access_key_2_last_used_service: field(1, service),
            cert_1_active: cert_active(0),
            cert_1_last_rotated: cert_rotated(0),
            cert_2_active: cert_active(1),
            cert_2_last_rotated: cert_rotated(1),
        });
    }
    Ok(CredentialReport {
        generated: Some(generated),
        rows,
    })
}

fn blank_row() -> CredentialReportRow {
    let na = || "N/A".to_string();
    CredentialReportRow {
        access_key_1_last_rotated: na(),
        access_key_1_last_used_date: na(),
        access_key_1_last_used_region: na(),
        access_key_1_last_used_service: na(),
        access_key_2_last_rotated: na(),
        access_key_2_last_used_date: na(),
        access_key_2_last_used_region: na(),
        access_key_2_last_used_service: na(),
        cert_1_last_rotated: na(),
        cert_2_last_rotated: na(),
        ..CredentialReportRow::default()
    }
}
