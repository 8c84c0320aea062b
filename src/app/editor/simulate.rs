//! The simulate pane: an action, a resource and context keys, evaluated by the engine against
//! the document being edited together with the principal's other policies (its inline and
//! managed policies, its groups' policies, its permissions boundary), so the decision is the
//! one that principal would get. Re-evaluated on every change of the text or of a field.

use super::{Exclude, Step};
use crate::app::model::detail::Detail;
use crate::app::model::table::Target;
use crate::app::shell::calls::{Call, Reply};
use crate::app::shell::overlay::Input;
use crate::app::shell::state::App;
use crate::commands::palette::ViewKind;
use crate::credentials::assume;
use crate::iam::BackendError;
use crate::policy::eval::{Context, ContextValue, PolicySet, Request, evaluate};
use crate::policy::eval::{Decision, PolicySource, StatementRef};
use crate::policy::validate::PolicyType;
use crate::policy::{Policy, parse_policy};

pub const ACTION: usize = 0;
pub const RESOURCE: usize = 1;
pub const CONTEXT: usize = 2;
pub const PRINCIPAL: usize = 3;
pub const FIELDS: [&str; 4] = ["action", "resource", "context", "principal"];

/// A role's trust policy, for the STS actions IAM decides with it (`sts:AssumeRole` on a role).
#[derive(Debug, Clone)]
pub enum Trust {
    /// Asked of the backend.
    Loading,
    Loaded {
        text: String,
        policy: Option<Policy>,
    },
    Failed(String),
}

/// How another policy takes part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    Identity,
    Boundary,
}

/// One of the principal's other policies.
#[derive(Debug, Clone)]
pub struct Other {
    /// "inline deploy", "attached ReadOnly", "group dev: inline x".
    pub label: String,
    pub layer: Layer,
    /// `None` while it loads (managed policies), or when it failed (`error`).
    pub policy: Option<Policy>,
    pub arn: Option<String>,
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Pane {
    pub fields: Vec<Input>,
    pub field: usize,
    /// Whose request it is, in words ("user alice"), or why the document is evaluated alone.
    pub whose: String,
    pub others: Vec<Other>,
    /// The decision for the current text and fields; `None` while the document does not parse
    /// or no action is given.
    pub result: Option<Decision>,
    /// Lines of the edited document's statements that decided, for the gutter.
    pub deciding_lines: Vec<usize>,
    /// Action names matching the action typed, shown under it.
    pub suggestions: Vec<String>,
    /// Where the edited document sits in the evaluation.
    pub edited_source: Option<PolicySource>,
    /// Roles' trust policies by role ARN, loaded as requests on roles need them.
    pub trusts: std::collections::BTreeMap<String, Trust>,
    /// What the target role's trust policy says to the principal (`iamtui assume`'s
    /// prediction), or why it could not be read, or that it is loading.
    pub trust_note: Option<String>,
}

impl Default for Pane {
    fn default() -> Self {
        Pane {
            fields: vec![Input::default(); FIELDS.len()],
            field: 0,
            whose: "the document alone (open it from a user or role to add their policies)".into(),
            others: Vec::new(),
            result: None,
            deciding_lines: Vec::new(),
            suggestions: Vec::new(),
            edited_source: None,
            trusts: std::collections::BTreeMap::new(),
            trust_note: None,
        }
    }
}

impl Pane {
    fn with_fields(action: &str, resource: &str, principal: &str, whose: String) -> Self {
        let mut fields = vec![Input::default(); FIELDS.len()];
        fields[ACTION] = Input::with(action);
        fields[RESOURCE] = Input::with(resource);
        fields[PRINCIPAL] = Input::with(principal);
        Pane {
            fields,
            whose,
            ..Pane::default()
        }
    }

    /// A trust policy decides who may assume the role: the caller by default.
    pub fn for_trust(app: &App, detail: &Detail) -> Self {
        let caller = match app.identity.state() {
            crate::app::shell::loadable::Load::Loaded(id) => id.arn.clone(),
            _ => String::new(),
        };
        let role = detail
            .main::<crate::iam::Role>()
            .map(|r| r.arn.clone())
            .unwrap_or_default();
        Pane::with_fields(
            "sts:AssumeRole",
            &role,
            &caller,
            "the trust policy alone: the principal's own policies must allow too".into(),
        )
    }

    /// The principal's other policies from its detail view; managed ones load by [`calls`].
    pub fn for_principal(app: &App, target: &Target, d: &Detail, exclude: &Exclude) -> Self {
        let account = match app.identity.state() {
            crate::app::shell::loadable::Load::Loaded(id) => id.account.clone(),
            _ => String::new(),
        };
        let n = &target.id;
        let (principal, whose) = match target.view() {
            ViewKind::Users => (
                d.main::<crate::iam::User>()
                    .map(|u| u.arn.clone())
                    .unwrap_or_default(),
                format!("user {n}, with its other policies, groups and boundary"),
            ),
            ViewKind::Roles => (
                d.main::<crate::iam::Role>()
                    .map(|r| r.arn.clone())
                    .unwrap_or_default(),
                format!("role {n}, with its other policies and boundary"),
            ),
            ViewKind::Groups => (
                format!("arn:aws:iam::{account}:user/member-of-{n}"),
                format!("a member of group {n}, with the group's other policies"),
            ),
            _ => (String::new(), "the document alone".into()),
        };
        let mut pane = Pane::with_fields("", "", &principal, whose);
        let inline = |label: String, doc: &str| Other {
            label,
            layer: Layer::Identity,
            policy: parse_policy(doc).policy,
            arn: None,
            error: None,
        };
        for (name, doc) in &d.inline_docs {
            if !matches!(exclude, Exclude::Inline(x) if x == name) {
                pane.others.push(inline(format!("inline {name}"), doc));
            }
        }
        let managed = |label: String, arn: &str, layer: Layer, pane: &mut Pane| {
            if matches!(exclude, Exclude::Managed(x) if x == arn) {
                return;
            }
            pane.others.push(Other {
                label,
                layer,
                policy: None,
                arn: Some(arn.to_string()),
                error: None,
            });
        };
        for a in d.attached.iter().flatten() {
            managed(
                format!("attached {}", a.name),
                &a.arn,
                Layer::Identity,
                &mut pane,
            );
        }
        for (g, inh) in &d.inherited {
            for (name, doc) in &inh.docs {
                pane.others
                    .push(inline(format!("group {g}: inline {name}"), doc));
            }
            for a in inh.attached.iter().flatten() {
                managed(
                    format!("group {g}: attached {}", a.name),
                    &a.arn,
                    Layer::Identity,
                    &mut pane,
                );
            }
        }
        let boundary = d
            .main::<crate::iam::User>()
            .and_then(|u| u.permissions_boundary.clone())
            .or_else(|| {
                d.main::<crate::iam::Role>()
                    .and_then(|r| r.permissions_boundary.clone())
            });
        if let Some(b) = boundary {
            let name = b.rsplit('/').next().unwrap_or(&b).to_string();
            managed(format!("boundary {name}"), &b, Layer::Boundary, &mut pane);
        }
        pane
    }

    /// The calls that load the managed policies' documents.
    pub fn calls(&self) -> Vec<(Step, Call)> {
        let mut seen = std::collections::BTreeSet::new();
        self.others
            .iter()
            .filter(|o| o.policy.is_none() && o.error.is_none())
            .filter_map(|o| o.arn.clone())
            .filter(|arn| seen.insert(arn.clone()))
            .map(|arn| (Step::SimPolicy(arn.clone()), Call::GetPolicy { arn }))
            .collect()
    }

    pub fn loading(&self) -> usize {
        self.others
            .iter()
            .filter(|o| o.policy.is_none() && o.error.is_none())
            .count()
    }

    pub fn on_reply(
        &mut self,
        step: Step,
        result: Result<Reply, BackendError>,
    ) -> Vec<(Step, Call)> {
        match (step, result) {
            (Step::SimPolicy(arn), Ok(Reply::Policy(p))) => vec![(
                Step::SimDocument(arn.clone()),
                Call::PolicyVersion {
                    arn,
                    version_id: p.default_version_id,
                },
            )],
            (Step::SimDocument(arn), Ok(Reply::Version(v))) => {
                let policy = v.document.as_deref().and_then(|d| parse_policy(d).policy);
                for o in self
                    .others
                    .iter_mut()
                    .filter(|o| o.arn.as_ref() == Some(&arn))
                {
                    o.policy = policy.clone();
                    if policy.is_none() {
                        o.error = Some("its document does not parse".into());
                    }
                }
                Vec::new()
            }
            (Step::SimPolicy(arn) | Step::SimDocument(arn), Err(e)) => {
                for o in self
                    .others
                    .iter_mut()
                    .filter(|o| o.arn.as_ref() == Some(&arn))
                {
                    o.error = Some(crate::ui::error_text(&e));
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// The role whose trust policy the request needs: an STS action on a role, when the
    /// edited document is not itself the resource-based policy.
    pub fn trust_role(&self, policy_type: PolicyType) -> Option<String> {
        if matches!(policy_type, PolicyType::Trust | PolicyType::Resource) {
            return None;
        }
        let action = self.fields[ACTION].text.trim();
        assume::trusted_role(action, self.fields[RESOURCE].text.trim()).map(str::to_string)
    }

    /// The trust policy of `role` arrived (or could not be had).
    pub fn trust_loaded(&mut self, role: &str, result: Result<String, String>) {
        let trust = match result {
            Ok(text) => Trust::Loaded {
                policy: parse_policy(&text).policy,
                text,
            },
            Err(e) => Trust::Failed(e),
        };
        self.trusts.insert(role.to_string(), trust);
    }

    /// Re-evaluates with the document as it is now.
    pub fn refresh(&mut self, edited: Option<&Policy>, policy_type: PolicyType, text: &str) {
        self.result = None;
        self.deciding_lines.clear();
        self.trust_note = None;
        let Some(action) = self.fields.get(ACTION).map(|f| f.text.trim().to_string()) else {
            return;
        };
        self.suggestions = suggestions(&action);
        let Some(edited) = edited else { return };
        if action.is_empty() {
            return;
        }
        let resource = match self.fields[RESOURCE].text.trim() {
            "" => "*".to_string(),
            r => r.to_string(),
        };
        let principal = self.fields[PRINCIPAL].text.trim().to_string();
        let typed = parse_context(&self.fields[CONTEXT].text);
        // An STS action on a role: IAM evaluates the role's trust policy as the resource-based
        // policy, with the request `iamtui assume` predicts from.
        let role = self.trust_role(policy_type);
        let known = role.as_ref().and_then(|r| self.trusts.get(r)).cloned();
        let trust = match (role.as_deref(), &known) {
            (Some(r), None) => {
                self.trust_note = Some(format!(
                    "the trust policy of role {} is read when you leave the field",
                    super::short(r)
                ));
                return;
            }
            (Some(r), Some(Trust::Loading)) => {
                self.trust_note = Some(format!(
                    "loading the trust policy of role {}…",
                    super::short(r)
                ));
                return;
            }
            (Some(r), Some(t)) => Some((r, t)),
            (None, _) => None,
        };
        let mut request = match trust {
            Some((role, _)) => {
                let caller = caller(&principal, &typed);
                assume::trust_request(
                    &caller,
                    &action,
                    role,
                    caller.mfa,
                    caller.external_id.as_deref(),
                )
            }
            None => {
                let mut context = Context::new();
                if let Some(account) = principal.split(':').nth(4).filter(|a| !a.is_empty()) {
                    context.insert("aws:PrincipalAccount", account);
                }
                if !principal.is_empty() {
                    context.insert("aws:PrincipalArn", principal.as_str());
                }
                Request::new(principal.clone(), action.clone(), resource).with_context(context)
            }
        };
        for (k, v) in typed.iter().cloned() {
            request.context.insert(k, v);
        }
        let mut set = PolicySet::new();
        match trust {
            Some((role, Trust::Loaded { text, policy })) => {
                if let Some(p) = policy {
                    set = set.resource(p);
                }
                let said = assume::predict_action(text, &action, role, &caller(&principal, &typed));
                self.trust_note = Some(format!(
                    "trust policy of role {}: {}",
                    super::short(role),
                    said.describe()
                ));
            }
            Some((role, Trust::Failed(why))) => {
                self.trust_note = Some(format!(
                    "the trust policy of role {} cannot be read: {why}",
                    super::short(role)
                ));
            }
            _ => {}
        }
        let source = match policy_type {
            PolicyType::Trust | PolicyType::Resource => {
                set = set.resource(edited);
                PolicySource::Resource
            }
            PolicyType::Boundary => {
                set = set.boundary(edited);
                PolicySource::Boundary
            }
            _ => {
                set = set.identity(edited);
                PolicySource::Identity(0)
            }
        };
        for o in &self.others {
            if let Some(p) = &o.policy {
                set = match o.layer {
                    Layer::Identity => set.identity(p),
                    Layer::Boundary if set.boundary.is_none() => set.boundary(p),
                    Layer::Boundary => set,
                };
            }
        }
        self.edited_source = Some(source);
        let decision = evaluate(&set, &request);
        for s in decision.deciding.iter().filter(|s| s.source == source) {
            self.deciding_lines
                .extend(super::analysis::lines_of(text, s.span));
        }
        self.result = Some(decision);
    }

    /// The labels of the other policies that decided, for the pane.
    pub fn deciding_elsewhere(&self) -> Vec<String> {
        let Some(d) = &self.result else {
            return Vec::new();
        };
        let identity: Vec<&Other> = self
            .others
            .iter()
            .filter(|o| o.layer == Layer::Identity && o.policy.is_some())
            .collect();
        let offset = usize::from(self.edited_source == Some(PolicySource::Identity(0)));
        d.deciding
            .iter()
            .filter_map(|s| match s.source {
                PolicySource::Identity(i) if i >= offset => identity
                    .get(i - offset)
                    .map(|o| format!("{} ({})", o.label, statement_name(s))),
                PolicySource::Boundary if self.edited_source != Some(PolicySource::Boundary) => {
                    self.others
                        .iter()
                        .find(|o| o.layer == Layer::Boundary)
                        .map(|o| format!("{} ({})", o.label, statement_name(s)))
                }
                _ => None,
            })
            .collect()
    }
}

/// The principal field as `iamtui assume` sees a caller: MFA, an ExternalId and a source
/// identity come from the context field.
fn caller(principal: &str, typed: &[(String, ContextValue)]) -> assume::Caller {
    let get = |key: &str| {
        typed
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .and_then(|(_, v)| v.as_single())
            .map(str::to_string)
    };
    assume::Caller {
        arn: principal.to_string(),
        account: principal.split(':').nth(4).unwrap_or_default().to_string(),
        principal_arn: principal.to_string(),
        mfa: get("aws:MultiFactorAuthPresent").is_some_and(|v| v.eq_ignore_ascii_case("true")),
        external_id: get("sts:ExternalId"),
        source_identity: get("sts:SourceIdentity"),
    }
}

pub fn statement_name(s: &StatementRef) -> String {
    match &s.sid {
        Some(sid) if !sid.is_empty() => format!("`{sid}`"),
        _ => format!("statement {}", s.statement_index + 1),
    }
}

/// `key=value` words; `key=a,b` is a multi-valued key.
pub fn parse_context(text: &str) -> Vec<(String, crate::policy::eval::ContextValue)> {
    use crate::policy::eval::ContextValue;
    text.split_whitespace()
        .filter_map(|w| w.split_once('='))
        .map(|(k, v)| {
            let value = if v.contains(',') {
                ContextValue::Multi(v.split(',').map(str::to_string).collect())
            } else {
                ContextValue::Single(v.to_string())
            };
            (k.to_string(), value)
        })
        .collect()
}

/// Full action names (`s3:GetObject`) or service prefixes (`s3:`) that start with `typed`,
/// ignoring case.
fn matching_actions(typed: &str) -> Vec<String> {
    let catalog = crate::policy::catalog::catalog();
    let lower = typed.to_ascii_lowercase();
    match typed.split_once(':') {
        Some((prefix, _)) => {
            let prefix = catalog
                .service(prefix)
                .map_or(prefix.to_string(), |s| s.prefix.to_string());
            catalog
                .action_names(&prefix)
                .map(|a| format!("{prefix}:{a}"))
                .filter(|a| a.to_ascii_lowercase().starts_with(&lower))
                .collect()
        }
        None => catalog
            .service_prefixes()
            .filter(|p| p.starts_with(&lower))
            .map(|p| format!("{p}:"))
            .collect(),
    }
}

/// Catalog actions that start with what was typed, a handful, for the pane.
fn suggestions(typed: &str) -> Vec<String> {
    if typed.len() < 2 || typed.contains(['*', '?']) {
        return Vec::new();
    }
    let mut m = matching_actions(typed);
    if m.len() == 1 && m[0].eq_ignore_ascii_case(typed) {
        return Vec::new();
    }
    m.truncate(6);
    m
}

/// Tab in the action field: the longest common prefix of the matching actions.
pub fn complete_action(typed: &str) -> Option<String> {
    let matches = matching_actions(typed);
    let first = matches.first()?.clone();
    let mut len = first.chars().count();
    for m in &matches[1..] {
        len = first
            .chars()
            .zip(m.chars())
            .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
            .count()
            .min(len);
    }
    let completed: String = first.chars().take(len).collect();
    (completed.len() > typed.len()).then_some(completed)
}
