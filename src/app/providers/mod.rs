//! Identity providers in the console. `n` on `:providers` asks SAML or OIDC, then a form: a
//! SAML provider is its name and the IdP's metadata XML file (read on Enter); an OIDC provider
//! is its issuer URL, client ids (audiences) and optional thumbprints. `u` on a provider gives
//! a SAML provider a new metadata file (UpdateSAMLProvider), or edits an OIDC provider's client
//! ids and thumbprints and sends the calls that make it so, one after another. Deleting is
//! browse's ctrl-d (the kind descriptor names the call; the confirmation names the roles that
//! trust the provider, from its Trusted by tab).

mod form;

use crate::app::shell::calls::{Call, Reply};
use crate::app::shell::loads;
use crate::app::shell::message::Effect;
use crate::app::shell::nav::Screen;
use crate::app::shell::overlay::{FormDialog, FormFor, Overlay, PickFor};
use crate::app::shell::state::App;
use crate::commands::PromptCommand;
use crate::commands::palette::ViewKind;
use crate::iam::{BackendError, OidcProvider};

/// The picker step of making a provider: which kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    Kind,
}

/// What a providers form is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormPurpose {
    NewSaml,
    NewOidc,
    /// A new metadata document for this SAML provider.
    UpdateSaml {
        arn: String,
    },
    /// The client ids and thumbprints the OIDC provider has now (as the calls sent so far
    /// left them).
    UpdateOidc {
        arn: String,
        client_ids: Vec<String>,
        thumbprints: Vec<String>,
    },
}

/// One change of an OIDC provider, a call each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Add(String),
    Remove(String),
    Thumbprints(Vec<String>),
}

impl Step {
    fn call(&self, arn: &str) -> Call {
        let arn = arn.to_string();
        match self {
            Step::Add(id) => Call::AddOidcClientId {
                arn,
                client_id: id.clone(),
            },
            Step::Remove(id) => Call::RemoveOidcClientId {
                arn,
                client_id: id.clone(),
            },
            Step::Thumbprints(t) => Call::UpdateOidcThumbprints {
                arn,
                thumbprints: t.clone(),
            },
        }
    }

    fn said(&self) -> String {
        match self {
            Step::Add(id) => format!("added client id {id}"),
            Step::Remove(id) => format!("removed client id {id}"),
            Step::Thumbprints(t) if t.is_empty() => "removed the thumbprints".into(),
            Step::Thumbprints(t) => format!("set {} thumbprint(s)", t.len()),
        }
    }
}

/// What a providers reply is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// CreateSAMLProvider / CreateOpenIDConnectProvider of the form.
    Created { kind: &'static str },
    /// UpdateSAMLProvider of the form.
    UpdatedSaml { arn: String },
    /// The OIDC provider as it is, for the update form.
    Current { arn: String },
    /// A change of an OIDC provider; `left` follow it, `done` went before.
    Step {
        arn: String,
        step: Step,
        left: Vec<Step>,
        done: Vec<String>,
    },
}

const KINDS: [(&str, &str); 2] = [
    (
        "SAML 2.0: an IdP that signs in your workforce (Okta, Entra ID, AD FS, …)",
        "saml",
    ),
    (
        "OpenID Connect: tokens of an issuer (GitHub Actions, EKS, GitLab, …)",
        "oidc",
    ),
];

/// `n` on `:providers`: which kind?
pub fn create(app: &mut App) -> Vec<Effect> {
    app.overlay = Some(Overlay::picker(
        "New identity provider: which kind?",
        PickFor::Providers(Pick::Kind),
    ));
    Vec::new()
}

pub fn picker_items(_: &Pick) -> Vec<(String, String)> {
    KINDS
        .iter()
        .map(|(label, value)| (label.to_string(), value.to_string()))
        .collect()
}

pub fn picked(app: &mut App, _: Pick, value: String) -> Vec<Effect> {
    let (title, intro, form, purpose) = match value.as_str() {
        "saml" => (
            "New SAML provider",
            vec![
                "IAM trusts the SAML assertions your IdP signs; roles name the provider as \
                 their Federated principal."
                    .to_string(),
                "The metadata file is the XML document the IdP exports (an EntityDescriptor); \
                 it is read when you press Enter."
                    .into(),
            ],
            form::new_saml(),
            FormPurpose::NewSaml,
        ),
        _ => (
            "New OpenID Connect provider",
            vec![
                "IAM trusts the tokens this issuer signs for the listed audiences; roles name \
                 the provider as their Federated principal."
                    .to_string(),
            ],
            form::new_oidc(),
            FormPurpose::NewOidc,
        ),
    };
    open(app, title.into(), intro, form, purpose);
    Vec::new()
}

fn open(
    app: &mut App,
    title: String,
    intro: Vec<String>,
    form: crate::app::shell::form::Form,
    purpose: FormPurpose,
) {
    app.overlay = Some(Overlay::Form(Box::new(FormDialog {
        title,
        intro,
        form,
        purpose: FormFor::Providers(purpose),
        busy: false,
        message: None,
    })));
}

/// The provider ARN selected in `:providers`, or of the detail open.
fn selected(app: &App) -> Option<String> {
    match app.nav.current() {
        Screen::List(l) if l.kind == ViewKind::Providers => l
            .selected_row()
            .and_then(|r| r.target.as_ref())
            .map(|t| t.id.clone()),
        Screen::Detail(d) if d.target.kind.view == ViewKind::Providers => Some(d.target.id.clone()),
        _ => None,
    }
}

/// `u` on a provider: a SAML provider's metadata, an OIDC provider's client ids and
/// thumbprints.
pub fn edit(app: &mut App) -> Vec<Effect> {
    let Some(arn) = selected(app) else {
        app.set_error("edit: select a provider in :providers, or open it");
        return Vec::new();
    };
    let name = arn
        .split_once('/')
        .map_or(arn.as_str(), |x| x.1)
        .to_string();
    if arn.contains(":saml-provider/") {
        open(
            app,
            format!("Update SAML provider {name}"),
            vec![
                arn.clone(),
                "A new metadata document replaces the provider's (the IdP's new signing \
                 certificate, its new endpoints). It is read when you press Enter."
                    .into(),
            ],
            form::update_saml(),
            FormPurpose::UpdateSaml { arn },
        );
        return Vec::new();
    }
    // The list does not carry client ids and thumbprints (ListOpenIDConnectProviders answers
    // ARNs): the detail has them, else GetOpenIDConnectProvider is asked.
    let known = match app.nav.current() {
        Screen::Detail(d) => d.detail.main::<OidcProvider>().cloned(),
        _ => None,
    };
    match known {
        Some(p) => {
            open_oidc(app, &p);
            Vec::new()
        }
        None => {
            app.set_status(format!("reading {name}…"));
            let call = Call::GetOidcProvider { arn: arn.clone() };
            loads::issue(app, Purpose::Current { arn }, call)
        }
    }
}

fn open_oidc(app: &mut App, p: &OidcProvider) {
    let name = p.arn.split_once('/').map_or(p.arn.as_str(), |x| x.1);
    open(
        app,
        format!("Update OIDC provider {name}"),
        vec![
            p.arn.clone(),
            "Client ids added or removed, and a changed thumbprint list, are each one call to \
             IAM; its URL cannot change."
                .into(),
        ],
        form::update_oidc(&p.client_ids, &p.thumbprints),
        FormPurpose::UpdateOidc {
            arn: p.arn.clone(),
            client_ids: p.client_ids.clone(),
            thumbprints: p.thumbprints.clone(),
        },
    );
}

fn dialog(app: &mut App) -> Option<&mut FormDialog> {
    match &mut app.overlay {
        Some(Overlay::Form(d)) if matches!(d.purpose, FormFor::Providers(_)) => Some(d),
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

/// The calls that turn `now` into what the form says.
fn steps(
    (ids_now, thumbs_now): (&[String], &[String]),
    (ids, thumbs): (&[String], &[String]),
) -> Vec<Step> {
    let mut out: Vec<Step> = ids
        .iter()
        .filter(|id| !ids_now.contains(id))
        .map(|id| Step::Add(id.clone()))
        .collect();
    out.extend(
        ids_now
            .iter()
            .filter(|id| !ids.contains(id))
            .map(|id| Step::Remove(id.clone())),
    );
    if thumbs != thumbs_now {
        out.push(Step::Thumbprints(thumbs.to_vec()));
    }
    out
}

fn submit(app: &mut App) -> Vec<Effect> {
    let Some(d) = dialog(app) else {
        return Vec::new();
    };
    let FormFor::Providers(purpose) = d.purpose.clone() else {
        return Vec::new();
    };
    let (purpose, call) = match purpose {
        FormPurpose::NewSaml => {
            let metadata = match form::read_metadata(&d.form.get("file")) {
                Ok(m) => m,
                Err(why) => {
                    d.form.complain("file", why);
                    return Vec::new();
                }
            };
            let call = Call::CreateSamlProvider {
                name: d.form.get("name"),
                metadata_document: metadata,
                tags: form::read_tags(&d.form),
            };
            (Purpose::Created { kind: "SAML" }, call)
        }
        FormPurpose::NewOidc => {
            let req = form::read_oidc(&d.form);
            (
                Purpose::Created { kind: "OIDC" },
                Call::CreateOidcProvider { req },
            )
        }
        FormPurpose::UpdateSaml { arn } => {
            let metadata = match form::read_metadata(&d.form.get("file")) {
                Ok(m) => m,
                Err(why) => {
                    d.form.complain("file", why);
                    return Vec::new();
                }
            };
            let call = Call::UpdateSamlProvider {
                arn: arn.clone(),
                metadata_document: metadata,
            };
            (Purpose::UpdatedSaml { arn }, call)
        }
        FormPurpose::UpdateOidc {
            arn,
            client_ids,
            thumbprints,
        } => {
            let ids = form::words(&d.form.get("client_ids"));
            let thumbs = form::words(&d.form.get("thumbprints"));
            let mut left = steps((&client_ids, &thumbprints), (&ids, &thumbs));
            if left.is_empty() {
                app.overlay = None;
                app.set_status("nothing changed");
                return Vec::new();
            }
            let step = left.remove(0);
            let call = step.call(&arn);
            let purpose = Purpose::Step {
                arn,
                step,
                left,
                done: Vec::new(),
            };
            (purpose, call)
        }
    };
    d.busy = true;
    d.message = Some("saving…".into());
    loads::issue(app, purpose, call)
}

/// IAM refused: the form says why, and keeps everything typed.
fn refused(app: &mut App, what: &str, e: &BackendError) {
    if let Some(d) = dialog(app) {
        d.busy = false;
        d.message = Some(format!("{what}: {}", crate::ui::error_text(e)));
        // A name or URL taken: the field to change takes the focus.
        if matches!(e.kind, crate::iam::ErrorKind::AlreadyExists(_)) {
            let id = match d.form.fields.iter().any(|f| f.id == "url") {
                true => "url",
                false => "name",
            };
            d.form
                .complain(id, "the account has a provider of this name already");
        }
    } else {
        app.set_error(format!("{what}: {}", crate::ui::error_text(e)));
    }
}

pub fn on_reply(
    app: &mut App,
    purpose: Purpose,
    result: Result<Reply, BackendError>,
) -> Vec<Effect> {
    match purpose {
        Purpose::Created { kind } => match result {
            Ok(Reply::Created(arn)) => {
                app.overlay = None;
                app.set_status(format!("Created {kind} provider {arn}"));
                loads::refresh_view(app)
            }
            Ok(_) => {
                app.overlay = None;
                app.set_status(format!("Created {kind} provider"));
                loads::refresh_view(app)
            }
            Err(e) => {
                refused(app, "not created", &e);
                Vec::new()
            }
        },
        Purpose::UpdatedSaml { arn } => match result {
            Ok(_) => {
                app.overlay = None;
                app.set_status(format!("Updated the metadata of {arn}"));
                loads::refresh_view(app)
            }
            Err(e) => {
                refused(app, "not updated", &e);
                Vec::new()
            }
        },
        Purpose::Current { arn } => match result {
            Ok(Reply::Oidc(p)) => {
                app.set_status("");
                open_oidc(app, &p);
                Vec::new()
            }
            Ok(_) => Vec::new(),
            Err(e) => {
                app.set_error(format!("cannot read {arn}: {}", crate::ui::error_text(&e)));
                Vec::new()
            }
        },
        Purpose::Step {
            arn,
            step,
            mut left,
            mut done,
        } => {
            if let Err(e) = result {
                let so_far = match done.is_empty() {
                    true => String::new(),
                    false => format!(" (done: {})", done.join(", ")),
                };
                refused(app, &format!("stopped, not {}{so_far}", step.said()), &e);
                return Vec::new();
            }
            done.push(step.said());
            // What the provider has now, should a later step fail and the form be sent again.
            if let Some(FormFor::Providers(FormPurpose::UpdateOidc {
                client_ids,
                thumbprints,
                ..
            })) = dialog(app).map(|d| &mut d.purpose)
            {
                match &step {
                    Step::Add(id) => client_ids.push(id.clone()),
                    Step::Remove(id) => client_ids.retain(|c| c != id),
                    Step::Thumbprints(t) => *thumbprints = t.clone(),
                }
            }
            if left.is_empty() {
                app.overlay = None;
                let name = arn.split_once('/').map_or(arn.as_str(), |x| x.1);
                app.set_status(format!("Updated {name}: {}", done.join(", ")));
                return loads::refresh_view(app);
            }
            let next = left.remove(0);
            let call = next.call(&arn);
            let purpose = Purpose::Step {
                arn,
                step: next,
                left,
                done,
            };
            loads::issue(app, purpose, call)
        }
    }
}

#[cfg(test)]
mod tests;
