//! Roles in the console. `n` on `:roles` makes one the way the IAM console does: who may
//! assume it (an AWS service, an account, a web identity or SAML provider of the account), then
//! a form (name, path, description, maximum session, permissions boundary, tags), then the
//! trust policy built from those answers opens in the policy editor, checked as a trust policy;
//! saving it creates the role. `u` on a role edits its description and maximum session.

mod form;

use crate::app::shell::calls::{Call, Reply};
use crate::app::shell::intent::Intent;
use crate::app::shell::loads;
use crate::app::shell::message::Effect;
use crate::app::shell::nav::Screen;
use crate::app::shell::overlay::{FormDialog, FormFor, Overlay, PickFor};
use crate::app::shell::state::App;
use crate::commands::PromptCommand;
use crate::commands::palette::ViewKind;
use crate::iam::{BackendError, Role};
use crate::policy::trust::service_principals;

/// A picker step of making a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    /// Who may assume the new role.
    Trust,
    /// Which AWS service.
    Service,
}

/// Who a new role trusts, as chosen in the first picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrustKind {
    Service(String),
    Account,
    WebIdentity,
    Saml,
}

/// What a roles form is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormPurpose {
    NewRole(TrustKind),
    /// Description and maximum session of an existing role.
    EditRole {
        name: String,
    },
    /// A service-linked role for a service.
    ServiceLinked,
}

/// What a roles reply is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// The account's OIDC or SAML providers, for the form's provider choice.
    Providers,
    /// UpdateRole of the edit form.
    Updated { name: String },
    /// CreateServiceLinkedRole.
    Linked,
}

const TRUST_CHOICES: [(&str, &str); 5] = [
    (
        "AWS service: EC2, Lambda, ECS tasks, … act with the role",
        "service",
    ),
    (
        "AWS account: this or another account (ExternalId, MFA)",
        "account",
    ),
    (
        "Web identity: an OIDC provider of the account (GitHub Actions, …)",
        "oidc",
    ),
    (
        "SAML 2.0 federation: a SAML provider of the account",
        "saml",
    ),
    (
        "Service-linked role: one an AWS service defines, uses and alone deletes",
        "linked",
    ),
];

/// `n` on `:roles`: who may assume the new role?
pub fn create(app: &mut App) -> Vec<Effect> {
    app.overlay = Some(Overlay::picker(
        "New role: who may assume it?",
        PickFor::Roles(Pick::Trust),
    ));
    Vec::new()
}

/// The picker's choices: `(label, value)`.
pub fn picker_items(pick: &Pick) -> Vec<(String, String)> {
    match pick {
        Pick::Trust => TRUST_CHOICES
            .iter()
            .map(|(label, value)| (label.to_string(), value.to_string()))
            .collect(),
        Pick::Service => service_principals()
            .map(|(p, what)| (format!("{p}  {what}"), p.to_string()))
            .collect(),
    }
}

pub fn picked(app: &mut App, pick: Pick, value: String) -> Vec<Effect> {
    let kind = match (pick, value.as_str()) {
        (Pick::Trust, "service") => {
            app.overlay = Some(Overlay::picker(
                "New role: which service assumes it?",
                PickFor::Roles(Pick::Service),
            ));
            return Vec::new();
        }
        (Pick::Trust, "account") => TrustKind::Account,
        (Pick::Trust, "oidc") => TrustKind::WebIdentity,
        (Pick::Trust, "linked") => {
            app.overlay = Some(Overlay::Form(Box::new(FormDialog {
                title: "New service-linked role".into(),
                intro: form::linked_role_text(),
                form: form::linked_role(),
                purpose: FormFor::Roles(FormPurpose::ServiceLinked),
                busy: false,
                message: None,
            })));
            return Vec::new();
        }
        (Pick::Trust, _) => TrustKind::Saml,
        (Pick::Service, _) => TrustKind::Service(value),
    };
    let account = app.account_id().unwrap_or_default();
    let (title, intro) = form::new_role_text(&kind);
    app.overlay = Some(Overlay::Form(Box::new(FormDialog {
        title,
        intro,
        form: form::new_role(&kind, &account),
        purpose: FormFor::Roles(FormPurpose::NewRole(kind.clone())),
        busy: false,
        message: None,
    })));
    // The boundary field takes a policy's name: the list resolves it.
    app.ask(Intent::EnsureKind(ViewKind::Policies));
    match kind {
        TrustKind::WebIdentity => loads::issue(app, Purpose::Providers, Call::ListOidcProviders),
        TrustKind::Saml => loads::issue(app, Purpose::Providers, Call::ListSamlProviders),
        _ => Vec::new(),
    }
}

/// `u` on a role: its description and maximum session.
pub fn edit(app: &mut App) -> Vec<Effect> {
    let role = match app.nav.current() {
        Screen::List(l) if l.kind == ViewKind::Roles => l
            .selected_row()
            .and_then(|r| r.target.as_ref())
            .and_then(|t| app.data.roles.items.iter().find(|r| r.name == t.id)),
        Screen::Detail(d) => d.detail.main::<Role>(),
        _ => None,
    };
    let Some(role) = role.cloned() else {
        app.set_error("edit: select a role in :roles, or open its detail");
        return Vec::new();
    };
    if role.path.starts_with("/aws-service-role/") {
        app.set_error(
            "edit changes roles you own: a service-linked role is defined by its service",
        );
        return Vec::new();
    }
    app.overlay = Some(Overlay::Form(Box::new(FormDialog {
        title: format!("Edit role {}", role.name),
        intro: vec![
            role.arn.clone(),
            "IAM lets these change after a role is made; its name and path cannot.".into(),
        ],
        form: form::edit_role(&role),
        purpose: FormFor::Roles(FormPurpose::EditRole {
            name: role.name.clone(),
        }),
        busy: false,
        message: None,
    })));
    Vec::new()
}

/// The open roles form, if there is one.
fn dialog(app: &mut App) -> Option<&mut FormDialog> {
    match &mut app.overlay {
        Some(Overlay::Form(d)) if matches!(d.purpose, FormFor::Roles(_)) => Some(d),
        _ => None,
    }
}

pub fn on_form_key(
    app: &mut App,
    key: ratatui::crossterm::event::KeyEvent,
    action: Option<PromptCommand>,
) -> Vec<Effect> {
    match crate::app::shell::form::dialog_key(app, key, action) {
        true => submit(app),
        false => Vec::new(),
    }
}

fn submit(app: &mut App) -> Vec<Effect> {
    let policies: Vec<(String, String)> = app
        .data
        .policies
        .items
        .iter()
        .map(|p| (p.name.clone(), p.arn.clone()))
        .collect();
    let Some(d) = dialog(app) else {
        return Vec::new();
    };
    let FormFor::Roles(purpose) = d.purpose.clone() else {
        return Vec::new();
    };
    match purpose {
        FormPurpose::NewRole(kind) => {
            let Some((req, trusted)) = form::read_new_role(&mut d.form, &kind, &policies) else {
                return Vec::new();
            };
            app.overlay = None;
            app.ask(Intent::EditNewRole {
                req: Box::new(req),
                document: trusted.document(),
            });
            Vec::new()
        }
        FormPurpose::ServiceLinked => {
            let req = form::read_linked_role(&d.form);
            d.busy = true;
            d.message = Some("creating…".into());
            loads::issue(app, Purpose::Linked, Call::CreateServiceLinkedRole { req })
        }
        FormPurpose::EditRole { name } => {
            let (description, hours) = form::read_edit(&d.form);
            d.busy = true;
            d.message = Some("saving…".into());
            let call = Call::UpdateRole {
                name: name.clone(),
                description: Some(description),
                max_session_duration: Some(hours * 3600),
            };
            loads::issue(app, Purpose::Updated { name }, call)
        }
    }
}

pub fn on_reply(
    app: &mut App,
    purpose: Purpose,
    result: Result<Reply, BackendError>,
) -> Vec<Effect> {
    match purpose {
        Purpose::Providers => {
            let Some(d) = dialog(app) else {
                return Vec::new();
            };
            let arns: Vec<String> = match result {
                Ok(Reply::OidcProviders(p)) => p.into_iter().map(|p| p.arn).collect(),
                Ok(Reply::SamlProviders(p)) => p.into_iter().map(|p| p.arn).collect(),
                Ok(_) => Vec::new(),
                Err(e) => {
                    d.form.complain("provider", crate::ui::error_text(&e));
                    return Vec::new();
                }
            };
            form::providers_arrived(&mut d.form, arns);
            Vec::new()
        }
        Purpose::Linked => match result {
            Ok(Reply::Role(r)) => {
                app.overlay = None;
                app.set_status(format!(
                    "Created service-linked role {} ({})",
                    r.name, r.path
                ));
                loads::refresh_view(app)
            }
            Ok(_) => Vec::new(),
            Err(e) => {
                if let Some(d) = dialog(app) {
                    d.busy = false;
                    d.message = Some(format!("not created: {}", crate::ui::error_text(&e)));
                }
                Vec::new()
            }
        },
        Purpose::Updated { name } => {
            match result {
                Ok(_) => {
                    app.overlay = None;
                    app.set_status(format!("Updated role {name}"));
                }
                Err(e) => {
                    if let Some(d) = dialog(app) {
                        d.busy = false;
                        d.message = Some(format!("not saved: {}", crate::ui::error_text(&e)));
                    }
                    return Vec::new();
                }
            }
            loads::refresh_view(app)
        }
    }
}

#[cfg(test)]
mod tests;
