//! The demo account's seed (`data/demo/account.json`, described in the README) and its loader:
//! the account as data, with dates relative to the moment it is loaded, `{…}` placeholders for
//! the account id and other minted values, and no ids, secrets or seeds, which an [`IdSource`]
//! mints.

use std::collections::BTreeMap;
use std::fmt;

use chrono::Duration;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::iam::types::{KeyStatus, PasswordPolicy, Tag, Timestamp};

use super::super::call::iam_arn;
use super::super::model::{
    AccessKeyRecord, Account, GroupRecord, InlinePolicyRecord, InstanceProfileRecord, LastUsed,
    LoginProfile, MfaAssignmentRecord, OidcProviderRecord, PolicyRecord, PolicyVersionRecord,
    RoleRecord, SamlProviderRecord, Secret, Table, UserRecord, VirtualMfaRecord,
};
use super::super::names::IdSource;
use super::{saml_metadata_from, uuid_from, whole_seconds};

/// The seed built into the binary.
pub const SEED: &str = include_str!("../../../../data/demo/account.json");

/// Why a seed does not load.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// Not the seed's JSON shape: serde's message (it names a missing or unknown field) and
    /// the line it points at.
    #[error("line {line}: {message} (at `{text}`)")]
    Syntax {
        line: usize,
        message: String,
        text: String,
    },
    #[error("line {line}: unknown placeholder `{{{name}}}`")]
    Placeholder { line: usize, name: String },
    /// Well-formed, but inconsistent (a default version that is not a version, …).
    #[error("{0}")]
    Invalid(String),
}

/// A time relative to the moment the seed is loaded: a sign and days, hours, minutes and
/// seconds, in that order, each optional (`-400d`, `-3d4h`, `-17m`, `+1095d`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rel(Duration);

impl Rel {
    fn parse(text: &str) -> Option<Rel> {
        let (sign, mut rest) = match text.as_bytes().first()? {
            b'-' => (-1, &text[1..]),
            b'+' => (1, &text[1..]),
            _ => return None,
        };
        if rest.is_empty() {
            return None;
        }
        let mut total = Duration::zero();
        for (unit, seconds) in [('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)] {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 && rest[digits..].starts_with(unit) {
                let n: i64 = rest[..digits].parse().ok()?;
                total += Duration::seconds(n.checked_mul(seconds)?);
                rest = &rest[digits + 1..];
            }
        }
        rest.is_empty().then_some(Rel(total * sign))
    }

    fn at(self, now: Timestamp) -> Timestamp {
        now + self.0
    }
}

impl<'de> Deserialize<'de> for Rel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Rel::parse(&text).ok_or_else(|| {
            de::Error::custom(format!(
                "invalid relative date `{text}` (a sign and days, hours, minutes, seconds: -400d, -3d4h, +75d)"
            ))
        })
    }
}

/// A JSON object read in order (tags keep the order the seed gives them).
#[derive(Debug, Default)]
struct Ordered<V>(Vec<(String, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Ordered<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
            type Value = Ordered<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V2(std::marker::PhantomData))
    }
}

type Tags = Ordered<String>;
type Inline = Ordered<Box<RawValue>>;

fn tags(t: Tags) -> Vec<Tag> {
    t.0.into_iter().map(|(k, v)| Tag::new(k, v)).collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Seed {
    created: Rel,
    #[serde(default)]
    aliases: Vec<String>,
    password_policy: Option<PasswordPolicy>,
    #[serde(default)]
    policies: Vec<SeedPolicy>,
    #[serde(default)]
    groups: Vec<SeedGroup>,
    #[serde(default)]
    users: Vec<SeedUser>,
    #[serde(default)]
    roles: Vec<SeedRole>,
    #[serde(default)]
    unassigned_mfa_devices: Vec<SeedDevice>,
    #[serde(default)]
    saml_providers: Vec<SeedSaml>,
    #[serde(default)]
    oidc_providers: Vec<SeedOidc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedPolicy {
    name: String,
    path: String,
    created: Rel,
    description: Option<String>,
    #[serde(default)]
    tags: Tags,
    default_version: String,
    versions: Vec<SeedVersion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedVersion {
    id: String,
    created: Rel,
    document: Box<RawValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedGroup {
    name: String,
    path: String,
    created: Rel,
    #[serde(default)]
    attached: Vec<String>,
    #[serde(default)]
    inline: Inline,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedUser {
    name: String,
    path: String,
    created: Rel,
    #[serde(default)]
    tags: Tags,
    #[serde(default)]
    groups: Vec<String>,
    password: Option<SeedPassword>,
    mfa: Option<SeedMfa>,
    #[serde(default)]
    access_keys: Vec<SeedKey>,
    #[serde(default)]
    attached: Vec<String>,
    #[serde(default)]
    inline: Inline,
    boundary: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedPassword {
    created: Rel,
    last_used: Option<Rel>,
    #[serde(default)]
    reset_required: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedMfa {
    created: Rel,
    enabled: Rel,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedKey {
    created: Rel,
    #[serde(default = "active")]
    status: KeyStatus,
    last_used: Option<SeedLastUsed>,
}

fn active() -> KeyStatus {
    KeyStatus::Active
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedLastUsed {
    date: Rel,
    service: Option<String>,
    region: Option<String>,
}

impl SeedLastUsed {
    fn at(used: Option<SeedLastUsed>, now: Timestamp) -> LastUsed {
        used.map_or_else(LastUsed::default, |u| LastUsed {
            date: Some(u.date.at(now)),
            service: u.service,
            region: u.region,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedRole {
    name: String,
    path: String,
    created: Rel,
    description: Option<String>,
    #[serde(default = "one_hour")]
    max_session_duration: i32,
    #[serde(default)]
    tags: Tags,
    #[serde(default)]
    instance_profile: bool,
    trust: Box<RawValue>,
    #[serde(default)]
    attached: Vec<String>,
    #[serde(default)]
    inline: Inline,
    boundary: Option<String>,
    last_used: Option<SeedLastUsed>,
}

fn one_hour() -> i32 {
    3600
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedDevice {
    name: String,
    path: String,
    created: Rel,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedSaml {
    name: String,
    entity_id: String,
    sso_url: String,
    created: Rel,
    valid_until: Rel,
    #[serde(default)]
    tags: Tags,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedOidc {
    url: String,
    client_ids: Vec<String>,
    thumbprints: Vec<String>,
    created: Rel,
    #[serde(default)]
    tags: Tags,
}

/// Fills in the placeholders: `{account}`, `{uuid:NAME}` (one random UUID-shaped id per name)
/// and `{date:±N…}` (a calendar date, `YYYY-MM-DD`). `${…}` (a policy variable) is left alone.
fn fill(
    text: &str,
    account: &str,
    now: Timestamp,
    ids: &dyn IdSource,
) -> Result<String, SeedError> {
    let mut uuids: BTreeMap<String, String> = BTreeMap::new();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let (before, after) = rest.split_at(open);
        out.push_str(before);
        rest = &after[1..];
        // JSON's own braces are followed by white space, a quote or a brace.
        if before.ends_with('$') || !rest.starts_with(|c: char| c.is_ascii_lowercase()) {
            out.push('{');
            continue;
        }
        let end = rest
            .find(|c: char| c == '}' || c == '"' || c.is_whitespace())
            .unwrap_or(rest.len());
        let name = &rest[..end];
        let unknown = || SeedError::Placeholder {
            line: text[..text.len() - rest.len()].matches('\n').count() + 1,
            name: name.to_string(),
        };
        if !rest[end..].starts_with('}') {
            return Err(unknown());
        }
        let value = match name.split_once(':') {
            None if name == "account" => account.to_string(),
            Some(("uuid", key)) if !key.is_empty() => uuids
                .entry(key.to_string())
                .or_insert_with(|| uuid_from(ids))
                .clone(),
            Some(("date", rel)) => Rel::parse(rel)
                .ok_or_else(unknown)?
                .at(now)
                .format("%Y-%m-%d")
                .to_string(),
            _ => return Err(unknown()),
        };
        out.push_str(&value);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A policy document as the seed lays it out, without the indentation of where it sits in
/// the seed (its closing brace's).
fn document(raw: &RawValue) -> String {
    let text = raw.get();
    let indent = text
        .lines()
        .last()
        .map_or(0, |l| l.len() - l.trim_start().len());
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            let strip = l.len() - l.trim_start().len();
            if i == 0 { l } else { &l[strip.min(indent)..] }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn inline(policies: Inline) -> Table<InlinePolicyRecord> {
    let mut table = Table::default();
    for (name, raw) in policies.0 {
        table.insert(InlinePolicyRecord {
            name,
            document: document(&raw),
        });
    }
    table
}

/// The account `text` describes, at `now`, with ids, secrets and seeds from `ids`.
pub fn load(text: &str, now: Timestamp, ids: &dyn IdSource) -> Result<Account, SeedError> {
    let account_id = ids.account_id();
    let filled = fill(text, &account_id, now, ids)?;
    let seed: Seed = serde_json::from_str(&filled).map_err(|e| SeedError::Syntax {
        line: e.line(),
        message: e.to_string(),
        text: filled
            .lines()
            .nth(e.line().saturating_sub(1))
            .unwrap_or("")
            .trim()
            .to_string(),
    })?;
    let invalid = |m: String| SeedError::Invalid(m);

    let mut a = Account::empty(account_id.clone(), seed.created.at(now));
    a.origin = "demo".into();
    a.aliases = seed.aliases;
    a.password_policy = seed.password_policy;

    for p in seed.policies {
        let versions: Vec<PolicyVersionRecord> = p
            .versions
            .iter()
            .map(|v| PolicyVersionRecord {
                version_id: v.id.clone(),
                document: document(&v.document),
                create_date: v.created.at(now),
            })
            .collect();
        let numbers = p
            .versions
            .iter()
            .map(|v| v.id.strip_prefix('v').and_then(|n| n.parse::<u32>().ok()))
            .collect::<Option<Vec<u32>>>()
            .ok_or_else(|| invalid(format!("policy {}: version ids are v1, v2, …", p.name)))?;
        let update_date = versions
            .iter()
            .find(|v| v.version_id == p.default_version)
            .map(|v| v.create_date)
            .ok_or_else(|| {
                invalid(format!(
                    "policy {}: default_version {} is not one of its versions",
                    p.name, p.default_version
                ))
            })?;
        a.policies.insert(PolicyRecord {
            name: p.name,
            policy_id: String::new(),
            path: p.path,
            description: p.description,
            create_date: p.created.at(now),
            update_date,
            default_version_id: p.default_version,
            next_version: numbers.iter().max().map_or(1, |n| n + 1),
            versions,
            tags: tags(p.tags),
        });
    }

    for g in seed.groups {
        a.groups.insert(GroupRecord {
            name: g.name,
            group_id: String::new(),
            path: g.path,
            create_date: g.created.at(now),
            attached_policies: g.attached,
            inline_policies: inline(g.inline),
        });
    }

    for u in seed.users {
        let mut mfa_devices = Vec::new();
        if let Some(m) = u.mfa {
            let serial = iam_arn(&account_id, "mfa", "/", &u.name);
            let enabled = m.enabled.at(now);
            a.virtual_mfa_devices.insert(VirtualMfaRecord {
                name: u.name.clone(),
                path: "/".into(),
                serial_number: serial.clone(),
                create_date: m.created.at(now),
                user: Some(u.name.clone()),
                enable_date: Some(enabled),
                ..Default::default()
            });
            mfa_devices.push(MfaAssignmentRecord {
                serial_number: serial,
                enable_date: enabled,
            });
        }
        let (login_profile, password_last_used) = match u.password {
            Some(p) => (
                Some(LoginProfile {
                    create_date: p.created.at(now),
                    password_reset_required: p.reset_required,
                }),
                p.last_used.map(|d| d.at(now)),
            ),
            None => (None, None),
        };
        a.users.insert(UserRecord {
            name: u.name,
            user_id: String::new(),
            path: u.path,
            create_date: u.created.at(now),
            password_last_used,
            login_profile,
            permissions_boundary: u.boundary,
            tags: tags(u.tags),
            groups: u.groups,
            attached_policies: u.attached,
            inline_policies: inline(u.inline),
            access_keys: u
                .access_keys
                .into_iter()
                .map(|k| AccessKeyRecord {
                    access_key_id: String::new(),
                    secret_access_key: Secret(String::new()),
                    status: k.status,
                    create_date: k.created.at(now),
                    last_used: SeedLastUsed::at(k.last_used, now),
                })
                .collect(),
            mfa_devices,
            ..UserRecord::default()
        });
    }

    for r in seed.roles {
        let create_date = r.created.at(now);
        if r.instance_profile {
            a.instance_profiles.insert(InstanceProfileRecord {
                name: r.name.clone(),
                path: r.path.clone(),
                create_date,
                roles: vec![r.name.clone()],
                ..Default::default()
            });
        }
        a.roles.insert(RoleRecord {
            name: r.name,
            role_id: String::new(),
            path: r.path,
            create_date,
            description: r.description,
            max_session_duration: r.max_session_duration,
            assume_role_policy: document(&r.trust),
            permissions_boundary: r.boundary,
            tags: tags(r.tags),
            attached_policies: r.attached,
            inline_policies: inline(r.inline),
            last_used: SeedLastUsed::at(r.last_used, now),
        });
    }

    for d in seed.unassigned_mfa_devices {
        a.virtual_mfa_devices.insert(VirtualMfaRecord {
            serial_number: iam_arn(&account_id, "mfa", &d.path, &d.name),
            name: d.name,
            path: d.path,
            create_date: d.created.at(now),
            ..Default::default()
        });
    }

    for s in seed.saml_providers {
        // validUntil in SAML metadata is to the second.
        let valid_until = whole_seconds(s.valid_until.at(now));
        a.saml_providers.insert(SamlProviderRecord {
            metadata_document: saml_metadata_from(ids, &s.entity_id, &s.sso_url, valid_until),
            name: s.name,
            create_date: s.created.at(now),
            valid_until: Some(valid_until),
            tags: tags(s.tags),
        });
    }

    for o in seed.oidc_providers {
        a.oidc_providers.insert(OidcProviderRecord {
            url: o.url,
            client_ids: o.client_ids,
            thumbprints: o.thumbprints,
            create_date: o.created.at(now),
            tags: tags(o.tags),
        });
    }

    mint(&mut a, ids);
    Ok(a)
}

/// Gives the assembled account its ids, secrets and seeds, in table order (users and their
/// keys, groups, roles, policies, instance profiles, MFA devices), so that a sequential source
/// numbers them the same whatever order the seed lists things in.
fn mint(a: &mut Account, ids: &dyn IdSource) {
    for u in a.users.iter_mut() {
        u.user_id = ids.unique_id("AIDA");
        for k in &mut u.access_keys {
            k.access_key_id = ids.access_key_id("AKIA");
            k.secret_access_key = Secret(ids.secret_access_key());
        }
    }
    for g in a.groups.iter_mut() {
        g.group_id = ids.unique_id("AGPA");
    }
    for r in a.roles.iter_mut() {
        r.role_id = ids.unique_id("AROA");
    }
    for p in a.policies.iter_mut() {
        p.policy_id = ids.unique_id("ANPA");
    }
    for p in a.instance_profiles.iter_mut() {
        p.instance_profile_id = ids.unique_id("AIPA");
    }
    for d in a.virtual_mfa_devices.iter_mut() {
        d.seed_base32 = Secret(ids.totp_seed());
    }
}
