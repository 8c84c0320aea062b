//! Detail views: what to load for a resource, the tabs it has, and each tab's rows. A detail
//! loads in parts (several calls, some following from others); the view shows each part as it
//! arrives.

use crate::commands::palette::ViewKind;
use std::collections::{BTreeMap, HashMap};

use crate::iam::*;

use super::data::Unavailable;
use super::kinds;
use super::table::{Target, trust_summary};
use crate::app::shell::calls::{Call, Reply};

/// Which part of a detail a reply fills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Main,
    Attached,
    InlineNames,
    InlineDoc(String),
    UserGroups,
    GroupAttached(String),
    GroupInlineNames(String),
    GroupInlineDoc(String, String),
    Keys,
    KeyLastUsed(String),
    Mfa,
    Login,
    Profiles,
    Versions,
    VersionDoc(String),
    Entities,
    BoundaryOf,
    Tags,
    SshKeys,
    SigningCerts,
    /// A page of the account's roles, read for those whose trust policy names the provider.
    TrustedBy,
}

/// A group's policies as seen from one of its members.
#[derive(Debug, Clone, Default)]
pub struct Inherited {
    pub attached: Option<Vec<AttachedPolicy>>,
    pub inline: Option<Vec<String>>,
    pub docs: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default)]
pub struct Detail {
    /// The resource itself, as its kind's Get call answered (see [`Detail::main`]).
    pub main: Option<Reply>,
    pub attached: Option<Vec<AttachedPolicy>>,
    pub inline: Option<Vec<String>>,
    pub inline_docs: BTreeMap<String, String>,
    pub groups: Option<Vec<Group>>,
    pub inherited: BTreeMap<String, Inherited>,
    pub keys: Option<Vec<AccessKey>>,
    pub last_used: HashMap<String, AccessKeyLastUsed>,
    pub mfa: Option<Vec<MfaDevice>>,
    pub login: Option<Option<LoginProfile>>,
    pub profiles: Option<Vec<InstanceProfile>>,
    pub versions: Option<Vec<PolicyVersion>>,
    pub version_docs: BTreeMap<String, String>,
    pub entities: Option<PolicyEntities>,
    pub boundary_of: Option<PolicyEntities>,
    pub tags: Option<Vec<Tag>>,
    pub ssh_keys: Option<Vec<SshPublicKey>>,
    pub signing_certs: Option<Vec<SigningCertificate>>,
    /// The roles whose trust policy names the provider as a `Federated` principal, once every
    /// page of ListRoles has been read; `trusting` gathers them page by page until then.
    pub trusted_by: Option<Vec<Role>>,
    pub trusting: Vec<Role>,
    /// Calls that failed, as the status shows them.
    pub errors: Vec<String>,
    /// The parts whose call failed, and why: what they would have shown says so.
    pub failures: Vec<(Part, Unavailable)>,
    /// Calls still in flight.
    pub pending: usize,
}

/// A resource a kind's Get call answers with: each kind says which, with [`main_reply!`].
pub trait MainReply {
    fn of(reply: &Reply) -> Option<&Self>;
}

/// Declares the reply variant that carries a kind's resource.
macro_rules! main_reply {
    ($t:ty, $variant:ident) => {
        impl $crate::app::model::detail::MainReply for $t {
            fn of(reply: &Reply) -> Option<&Self> {
                match reply {
                    Reply::$variant(x) => Some(x),
                    _ => None,
                }
            }
        }
    };
}
pub(crate) use main_reply;

impl Detail {
    /// The resource, once its Get call has answered.
    pub fn main<T: MainReply>(&self) -> Option<&T> {
        self.main.as_ref().and_then(T::of)
    }

    /// Why a part will not arrive, once its call has failed.
    pub fn unavailable(&self, part: &Part) -> Option<Unavailable> {
        self.failures
            .iter()
            .find(|(p, _)| p == part)
            .map(|(_, why)| *why)
    }

    /// Records a part whose call failed.
    pub fn failed(&mut self, part: Part, e: &BackendError) {
        self.errors.push(crate::ui::error_text(e));
        self.failures.push((part, Unavailable::of(e)));
    }
}

/// The first calls of a detail: the kind's, then an identity's policies.
pub fn initial_calls(target: &Target) -> Vec<(Part, Call)> {
    let entity = target.entity();
    let mut calls = (target.kind.calls)(&target.id);
    if let Some(entity) = entity {
        calls.push((
            Part::Attached,
            Call::Attached {
                entity: entity.clone(),
            },
        ));
        calls.push((Part::InlineNames, Call::InlineNames { entity }));
    }
    calls
}

/// Records a reply; returns the calls that follow from it (documents of inline policies,
/// each group's policies, each key's last use, the default version's document).
pub fn apply(d: &mut Detail, target: &Target, part: Part, reply: Reply) -> Vec<(Part, Call)> {
    let mut next = Vec::new();
    match (part, reply) {
        (Part::Main, resource) => d.main = Some(resource),
        (Part::Attached, Reply::Attached(a)) => d.attached = Some(a),
        (Part::InlineNames, Reply::Names(names)) => {
            if let Some(entity) = target.entity() {
                for n in &names {
                    next.push((
                        Part::InlineDoc(n.clone()),
                        Call::InlineDocument {
                            entity: entity.clone(),
                            name: n.clone(),
                        },
                    ));
                }
            }
            d.inline = Some(names);
        }
        (Part::InlineDoc(name), Reply::Inline(p)) => {
            d.inline_docs.insert(name, p.document);
        }
        (Part::UserGroups, Reply::GroupList(groups)) => {
            for g in &groups {
                let e = EntityRef::group(g.name.clone());
                next.push((
                    Part::GroupAttached(g.name.clone()),
                    Call::Attached { entity: e.clone() },
                ));
                next.push((
                    Part::GroupInlineNames(g.name.clone()),
                    Call::InlineNames { entity: e },
                ));
            }
            d.groups = Some(groups);
        }
        (Part::GroupAttached(g), Reply::Attached(a)) => {
            d.inherited.entry(g).or_default().attached = Some(a);
        }
        (Part::GroupInlineNames(g), Reply::Names(names)) => {
            for n in &names {
                next.push((
                    Part::GroupInlineDoc(g.clone(), n.clone()),
                    Call::InlineDocument {
                        entity: EntityRef::group(g.clone()),
                        name: n.clone(),
                    },
                ));
            }
            d.inherited.entry(g).or_default().inline = Some(names);
        }
        (Part::GroupInlineDoc(g, n), Reply::Inline(p)) => {
            d.inherited.entry(g).or_default().docs.insert(n, p.document);
        }
        (Part::Keys, Reply::AccessKeys(keys)) => {
            for k in &keys {
                next.push((
                    Part::KeyLastUsed(k.access_key_id.clone()),
                    Call::KeyLastUsed {
                        key_id: k.access_key_id.clone(),
                    },
                ));
            }
            d.keys = Some(keys);
        }
        (Part::KeyLastUsed(id), Reply::KeyLastUsed(l)) => {
            d.last_used.insert(id, l);
        }
        (Part::Mfa, Reply::MfaDevices(m)) => d.mfa = Some(m),
        (Part::Login, Reply::LoginProfile(l)) => d.login = Some(l),
        (Part::Profiles, Reply::InstanceProfiles(p)) => d.profiles = Some(p),
        (Part::Versions, Reply::Versions(v)) => {
            if let Some(arn) = target.is(ViewKind::Policies) {
                // The default version's document first; the others load when selected.
                if let Some(def) = v.iter().find(|v| v.is_default) {
                    next.push((
                        Part::VersionDoc(def.version_id.clone()),
                        Call::PolicyVersion {
                            arn: arn.to_string(),
                            version_id: def.version_id.clone(),
                        },
                    ));
                }
            }
            d.versions = Some(v);
        }
        (Part::VersionDoc(id), Reply::Version(v)) => {
            if let Some(doc) = v.document {
                d.version_docs.insert(id, doc);
            }
        }
        (Part::Entities, Reply::Entities(e)) => d.entities = Some(e),
        (Part::BoundaryOf, Reply::Entities(e)) => d.boundary_of = Some(e),
        (Part::Tags, Reply::Tags(t)) => d.tags = Some(t),
        (Part::SshKeys, Reply::SshKeys(k)) => d.ssh_keys = Some(k),
        (Part::SigningCerts, Reply::SigningCerts(c)) => d.signing_certs = Some(c),
        (Part::TrustedBy, Reply::Roles(page)) => {
            let provider = target.id.as_str();
            d.trusting.extend(page.items.into_iter().filter(|r| {
                r.assume_role_policy.as_deref().is_some_and(|doc| {
                    crate::policy::trust::federated_principals(doc)
                        .iter()
                        .any(|p| p == provider)
                })
            }));
            match page.next_marker {
                Some(marker) => next.push((
                    Part::TrustedBy,
                    Call::ListRoles {
                        marker: Some(marker),
                    },
                )),
                None => d.trusted_by = Some(std::mem::take(&mut d.trusting)),
            }
        }
        (part, reply) => {
            tracing::warn!(?part, ?reply, "a reply that fits no part of the detail");
        }
    }
    next
}

/// The tabs of a detail view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Permissions,
    Groups,
    Members,
    Trust,
    Roles,
    Versions,
    AttachedTo,
    Credentials,
    Tags,
    Json,
    /// The roles that trust an identity provider.
    TrustedBy,
}

impl Tab {
    pub fn title(self) -> &'static str {
        match self {
            Tab::Permissions => "Permissions",
            Tab::Groups => "Groups",
            Tab::Members => "Members",
            Tab::Trust => "Trust",
            Tab::Roles => "Roles",
            Tab::Versions => "Versions",
            Tab::AttachedTo => "Attached to",
            Tab::Credentials => "Security credentials",
            Tab::Tags => "Tags",
            Tab::Json => "JSON",
            Tab::TrustedBy => "Trusted by",
        }
    }
}

pub fn tabs(target: &Target) -> &'static [Tab] {
    target.kind.tabs
}

/// The summary strip of a detail: its kind's facts, each known, loading (`…`) or unavailable.
pub fn facts(d: &Detail, target: &Target) -> Vec<(&'static str, String)> {
    (target.kind.facts)(d)
}

/// What a detail row lets you do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowRef {
    /// An attached managed policy (detach it, open it).
    Attached(String),
    /// An inline policy by name.
    Inline(String),
    /// A group the user is in (open, leave).
    Group(String),
    /// A member (open, remove): a user of the group, the role of the instance profile.
    Member(String),
    /// A policy version by id.
    Version(String),
    /// The principal's permissions boundary (a managed policy ARN).
    Boundary(String),
    /// An access key of the user, by id.
    Key(String),
    /// An MFA device of the user, by serial number.
    Mfa(String),
    /// The user's console password.
    Password,
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DetailRow {
    pub cells: Vec<String>,
    /// Where Enter goes.
    pub link: Option<Target>,
    /// The document shown beside the rows when this row is selected.
    pub document: Option<String>,
    pub what: RowRef,
}

impl DetailRow {
    fn new(cells: Vec<String>) -> DetailRow {
        DetailRow {
            cells,
            link: None,
            document: None,
            what: RowRef::Other,
        }
    }

    fn link(self, link: Target) -> DetailRow {
        DetailRow {
            link: Some(link),
            ..self
        }
    }

    fn document(self, document: Option<String>) -> DetailRow {
        DetailRow { document, ..self }
    }

    fn what(self, what: RowRef) -> DetailRow {
        DetailRow { what, ..self }
    }
}

fn waiting<T>(v: &Option<T>) -> bool {
    v.is_none()
}

use super::kinds::date;

/// The rows of one tab, and whether parts of it are still loading.
pub fn rows(d: &Detail, target: &Target, tab: Tab, now: Timestamp) -> (Vec<DetailRow>, bool) {
    let row = DetailRow::new;
    let mut out = Vec::new();
    let mut loading = false;
    match tab {
        Tab::Permissions => {
            loading |= waiting(&d.attached) || waiting(&d.inline);
            for a in d.attached.iter().flatten() {
                out.push(
                    row(vec!["attached".into(), a.name.clone(), a.arn.clone()])
                        .link(Target::policy(&a.arn))
                        .what(RowRef::Attached(a.arn.clone())),
                );
            }
            for n in d.inline.iter().flatten() {
                loading |= !d.inline_docs.contains_key(n);
                out.push(
                    row(vec!["inline".into(), n.clone(), String::new()])
                        .document(d.inline_docs.get(n).cloned())
                        .what(RowRef::Inline(n.clone())),
                );
            }
            if target.view() == ViewKind::Users {
                loading |= waiting(&d.groups);
                for (g, inh) in &d.inherited {
                    loading |= waiting(&inh.attached) || waiting(&inh.inline);
                    let via = format!("via group {g}");
                    for a in inh.attached.iter().flatten() {
                        out.push(
                            row(vec![via.clone(), a.name.clone(), a.arn.clone()])
                                .link(Target::policy(&a.arn)),
                        );
                    }
                    for n in inh.inline.iter().flatten() {
                        out.push(
                            row(vec![via.clone(), n.clone(), "inline".into()])
                                .link(Target::group(g.clone()))
                                .document(inh.docs.get(n).cloned()),
                        );
                    }
                }
            }
            let boundary = d
                .main::<User>()
                .and_then(|u| u.permissions_boundary.clone())
                .or_else(|| {
                    d.main::<Role>()
                        .and_then(|r| r.permissions_boundary.clone())
                });
            if let Some(b) = boundary {
                let name = b.rsplit('/').next().unwrap_or(&b).to_string();
                out.push(
                    row(vec!["boundary".into(), name, b.clone()])
                        .link(Target::policy(&b))
                        .what(RowRef::Boundary(b.clone())),
                );
            }
            if target.view() == ViewKind::Roles {
                loading |= waiting(&d.profiles);
                for p in d.profiles.iter().flatten() {
                    out.push(row(vec![
                        "instance profile".into(),
                        p.name.clone(),
                        p.arn.clone(),
                    ]));
                }
            }
        }
        Tab::Groups => {
            loading |= waiting(&d.groups);
            for g in d.groups.iter().flatten() {
                out.push(
                    row(vec![g.name.clone(), g.path.clone(), g.arn.clone()])
                        .link(Target::group(g.name.clone()))
                        .what(RowRef::Group(g.name.clone())),
                );
            }
        }
        Tab::Members => {
            loading |= waiting(&d.main);
            for u in d.main::<GroupDetail>().iter().flat_map(|g| &g.members) {
                out.push(
                    row(vec![u.name.clone(), u.path.clone(), u.arn.clone()])
                        .link(Target::user(u.name.clone()))
                        .what(RowRef::Member(u.name.clone())),
                );
            }
        }
        Tab::Trust => {
            loading |= waiting(&d.main);
            if let Some(doc) = d.main::<Role>().and_then(|r| r.assume_role_policy.clone()) {
                out.push(row(vec!["trust policy".into(), trust_summary(&doc)]).document(Some(doc)));
            }
        }
        Tab::Roles => {
            loading |= waiting(&d.main);
            for r in d.main::<InstanceProfile>().iter().flat_map(|p| &p.roles) {
                out.push(
                    row(vec![r.clone()])
                        .link(Target::role(r.clone()))
                        .what(RowRef::Member(r.clone())),
                );
            }
        }
        Tab::Versions => {
            loading |= waiting(&d.versions);
            for v in d.versions.iter().flatten() {
                let default = if v.is_default { "default" } else { "" };
                out.push(
                    row(vec![
                        v.version_id.clone(),
                        default.into(),
                        date(Some(v.create_date)),
                    ])
                    .document(d.version_docs.get(&v.version_id).cloned())
                    .what(RowRef::Version(v.version_id.clone())),
                );
            }
        }
        Tab::TrustedBy => {
            loading |= waiting(&d.trusted_by);
            for r in d.trusted_by.iter().flatten() {
                out.push(
                    row(vec![r.name.clone(), r.path.clone(), r.arn.clone()])
                        .link(Target::role(r.name.clone()))
                        .document(r.assume_role_policy.clone()),
                );
            }
        }
        Tab::AttachedTo => {
            loading |= waiting(&d.entities) || waiting(&d.boundary_of);
            for (how, e) in [("attached", &d.entities), ("boundary", &d.boundary_of)] {
                let Some(e) = e else { continue };
                let kinds = [
                    ("user", &e.users, &super::kinds::users::DETAIL),
                    ("group", &e.groups, &super::kinds::groups::DETAIL),
                    ("role", &e.roles, &super::kinds::roles::DETAIL),
                ];
                for (kind, names, detail) in kinds {
                    for n in names {
                        let target = Target::of_kind(detail, n.clone());
                        out.push(row(vec![how.into(), kind.into(), n.clone()]).link(target));
                    }
                }
            }
        }
        Tab::Credentials => {
            loading |= waiting(&d.keys) || waiting(&d.mfa) || waiting(&d.login);
            let password = match &d.login {
                Some(Some(l)) => Some(vec![
                    format!("set {}", date(Some(l.create_date))),
                    match d.main::<User>() {
                        Some(u) => u
                            .password_last_used
                            .map(|t| format!("last used {}", date(Some(t))))
                            .unwrap_or_else(|| "never used".into()),
                        // When it was used is GetUser's to say.
                        None => format!("last used {}", kinds::why(d, Part::Main)),
                    },
                ]),
                Some(None) => Some(vec!["none".into(), String::new()]),
                None => None,
            };
            if let Some(cells) = password {
                let what = match &d.login {
                    Some(Some(_)) => RowRef::Password,
                    _ => RowRef::Other,
                };
                out.push(row([vec!["console password".into()], cells].concat()).what(what));
            }
            for k in d.keys.iter().flatten() {
                let last = match d.last_used.get(&k.access_key_id) {
                    None => kinds::why(d, Part::KeyLastUsed(k.access_key_id.clone())),
                    Some(l) => match l.date {
                        None => "never used".into(),
                        Some(t) => format!(
                            "last used {} {} {}",
                            date(Some(t)),
                            l.service.clone().unwrap_or_default(),
                            l.region.clone().unwrap_or_default()
                        )
                        .trim_end()
                        .to_string(),
                    },
                };
                let age = (now - k.create_date).num_days().max(0);
                out.push(
                    row(vec![
                        format!("access key {}", k.access_key_id),
                        format!("{}, {age} days old", k.status.as_str()),
                        last,
                    ])
                    .what(RowRef::Key(k.access_key_id.clone())),
                );
            }
            for k in d.ssh_keys.iter().flatten() {
                out.push(row(vec![
                    format!("SSH public key {}", k.ssh_public_key_id),
                    k.status.as_str().to_string(),
                    format!("uploaded {}", date(Some(k.upload_date))),
                ]));
            }
            for c in d.signing_certs.iter().flatten() {
                out.push(row(vec![
                    format!("signing certificate {}", c.certificate_id),
                    c.status.as_str().to_string(),
                    format!("uploaded {}", date(Some(c.upload_date))),
                ]));
            }
            for m in d.mfa.iter().flatten() {
                out.push(
                    row(vec![
                        "MFA device".into(),
                        m.serial_number.clone(),
                        format!("enabled {}", date(m.enable_date)),
                    ])
                    .what(RowRef::Mfa(m.serial_number.clone())),
                );
            }
        }
        Tab::Tags => {
            let tags = d
                .main::<User>()
                .map(|u| u.tags.clone())
                .or_else(|| d.main::<Role>().map(|r| r.tags.clone()))
                .or_else(|| d.main::<InstanceProfile>().map(|p| p.tags.clone()))
                .or_else(|| d.tags.clone());
            match tags {
                None => loading = true,
                Some(tags) => out.extend(tags.into_iter().map(|t| row(vec![t.key, t.value]))),
            }
        }
        Tab::Json => {
            loading |= d.pending > 0;
        }
    }
    (out, loading)
}

/// The resource as JSON, in IAM's API shape: everything loaded about it.
pub fn json(d: &Detail, target: &Target) -> String {
    serde_json::to_string_pretty(&(target.kind.json)(d)).unwrap_or_default()
}

/// What IAM will refuse a delete for, in words; empty when nothing stands in the way. `None`
/// while the detail is still loading.
/// What a delete IAM allows will break, said in its confirmation: the roles that trust an
/// identity provider stop working once it is gone.
pub fn warnings(d: &Detail) -> Vec<String> {
    match &d.trusted_by {
        Some(roles) if !roles.is_empty() => {
            let names: Vec<&str> = roles.iter().map(|r| r.name.as_str()).collect();
            vec![format!(
                "IAM deletes it, but these roles trust it and stop working: {}",
                names.join(", ")
            )]
        }
        _ => Vec::new(),
    }
}
