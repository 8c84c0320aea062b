//! `N`: a new policy from a template. In `:policies` it becomes a customer managed policy; on a
//! user, group or role an inline policy; on a role's Trust tab it replaces the trust policy
//! (saved only after the diff, like any edit).

use super::EditTarget;
use crate::app::shell::form::{Field, Form};
use crate::app::shell::message::Effect;
use crate::app::shell::nav::Screen;
use crate::app::shell::overlay::{FormDialog, FormFor, Overlay, PickFor, Prompt, PromptKind};
use crate::app::shell::state::App;
use crate::commands::palette::ViewKind;
use crate::iam::EntityRef;
use crate::policy::templates::{Template, templates};
use crate::policy::validate::PolicyType;

/// What the new document will be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateFor {
    Managed,
    Inline(EntityRef),
    Trust(String),
    /// The editor's document (an AWS managed policy) becomes a new customer managed policy.
    CopyInEditor,
}

impl TemplateFor {
    fn fits(&self, t: &Template) -> bool {
        match self {
            TemplateFor::Trust(_) => t.policy_type == PolicyType::Trust,
            _ => t.policy_type != PolicyType::Trust,
        }
    }
}

/// The template `index` (into `templates()`) names.
fn template(index: &str) -> Option<&'static Template> {
    index.parse::<usize>().ok().and_then(|i| templates().get(i))
}

pub fn pick(app: &mut App) -> Vec<Effect> {
    let purpose = match app.nav.current() {
        Screen::List(l) if l.kind == ViewKind::Policies => Some(TemplateFor::Managed),
        Screen::Detail(d) => match (d.target.is(ViewKind::Roles), d.tab()) {
            (Some(r), crate::app::model::detail::Tab::Trust) => Some(TemplateFor::Trust(r.into())),
            _ => d.target.entity().map(TemplateFor::Inline),
        },
        _ => None,
    };
    let Some(purpose) = purpose else {
        app.set_error("N makes a policy: in :policies, or on a user, group or role");
        return Vec::new();
    };
    let title = match &purpose {
        TemplateFor::Managed => "New managed policy from a template".to_string(),
        TemplateFor::Inline(e) => format!("New inline policy of {} {}", e.kind.as_str(), e.name),
        TemplateFor::Trust(r) => format!("New trust policy of role {r}"),
        TemplateFor::CopyInEditor => return Vec::new(),
    };
    app.overlay = Some(Overlay::picker(title, PickFor::Template(purpose)));
    Vec::new()
}

/// The picker's choices: `(label, index into templates())`.
pub fn items(purpose: &TemplateFor) -> Vec<(String, String)> {
    templates()
        .iter()
        .enumerate()
        .filter(|(_, t)| purpose.fits(t))
        .map(|(i, t)| (format!("{}: {}", t.name, t.description), i.to_string()))
        .collect()
}

/// A template was chosen: a trust policy opens at once, the others ask for a name.
pub fn chosen(app: &mut App, purpose: TemplateFor, index: &str) -> Vec<Effect> {
    let Some(t) = template(index) else {
        return Vec::new();
    };
    match purpose {
        TemplateFor::Trust(role) => {
            let current = match app.nav.current() {
                Screen::Detail(d) => d
                    .detail
                    .main::<crate::iam::Role>()
                    .and_then(|r| r.assume_role_policy.clone()),
                _ => None,
            };
            let out = super::open_new(app, EditTarget::Trust { role }, t.text);
            if let (Some(e), Some(cur)) = (app.editor.as_mut(), current) {
                // Saved is the role's current trust policy: the diff shows the replacement.
                e.saved = Some(super::shown_text(&cur));
            }
            out
        }
        TemplateFor::Managed => {
            app.overlay = Some(Overlay::Form(Box::new(FormDialog {
                title: "New managed policy".into(),
                intro: vec![format!(
                    "From the template {}: {}. Enter opens it in the editor, checked as you \
                     type; saving it there (ctrl-s) creates the policy.",
                    t.name, t.description
                )],
                form: managed_form(),
                purpose: FormFor::Editor(EditorForm::NewManaged {
                    template: index.to_string(),
                }),
                busy: false,
                message: None,
            })));
            Vec::new()
        }
        purpose => {
            app.prompt = Some(Prompt::new(
                PromptKind::PolicyName {
                    template: index.to_string(),
                    purpose,
                },
                "",
            ));
            Vec::new()
        }
    }
}

/// What an editor form is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditorForm {
    /// A customer managed policy from the template `template` (an index into `templates()`).
    NewManaged { template: String },
}

fn name_check(s: &str) -> Result<(), String> {
    name_problem(s).map_or(Ok(()), Err)
}

fn managed_form() -> Form {
    Form::new(vec![
        Field::text("name", "Name", "")
            .check(name_check)
            .hint("1–128 of letters, digits and +=,.@_-; unique in the account"),
        Field::text("path", "Path", "/")
            .check(crate::app::model::rules::path)
            .hint("/ or /a/path/: part of the policy's ARN"),
        Field::text("description", "Description", "")
            .check(crate::app::model::rules::description)
            .hint("optional, up to 1,000 characters; IAM never lets it change afterwards"),
        Field::text("tags", "Tags", "")
            .check(crate::app::model::rules::new_tags)
            .hint("optional: key=value words, quoted when they hold spaces"),
    ])
}

/// Keys of the new-policy form: Enter opens the template in the editor, to be saved as the
/// policy the form describes.
pub fn on_form_key(
    app: &mut App,
    key: ratatui::crossterm::event::KeyEvent,
    action: Option<crate::commands::PromptCommand>,
) -> Vec<Effect> {
    if !crate::app::shell::form::dialog_key(app, key, action) {
        return Vec::new();
    }
    let Some(Overlay::Form(d)) = &app.overlay else {
        return Vec::new();
    };
    let FormFor::Editor(EditorForm::NewManaged { template }) = &d.purpose else {
        return Vec::new();
    };
    let Some(t) = self::template(template) else {
        return Vec::new();
    };
    let f = &d.form;
    let optional = |s: String| (!s.is_empty()).then_some(s);
    let req = crate::iam::CreatePolicy {
        name: f.get("name"),
        path: crate::app::model::rules::path_of(f.get("path")),
        document: String::new(),
        description: optional(f.get("description")),
        tags: crate::app::model::rules::new_tags_of(&f.get("tags")),
    };
    app.overlay = None;
    super::open_new(app, EditTarget::NewManaged(Box::new(req)), t.text)
}

/// IAM's rule for policy names: 1–128 of letters, digits and `+=,.@_-`.
pub fn name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("type a name".into());
    }
    if name.chars().count() > 128 {
        return Some("a policy name has at most 128 characters".into());
    }
    name.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "+=,.@_-".contains(*c)))
        .map(|c| format!("`{c}` cannot be in a policy name (letters, digits and +=,.@_- only)"))
}

/// The name was typed: the editor opens on the template.
pub fn named(app: &mut App, template: &str, purpose: TemplateFor, name: String) -> Vec<Effect> {
    if purpose == TemplateFor::CopyInEditor {
        let Some(e) = app.editor.as_mut() else {
            return Vec::new();
        };
        e.title = format!("new managed policy {name} ({})", e.title);
        e.target = EditTarget::NewManaged(Box::new(crate::iam::CreatePolicy {
            name,
            ..Default::default()
        }));
        e.read_only = None;
        e.saved = None;
        e.versions = None;
        return super::save::request(app);
    }
    let Some(t) = self::template(template) else {
        return Vec::new();
    };
    let target = match purpose {
        TemplateFor::Managed => EditTarget::NewManaged(Box::new(crate::iam::CreatePolicy {
            name,
            ..Default::default()
        })),
        TemplateFor::Inline(entity) => EditTarget::Inline {
            entity,
            name,
            new: true,
        },
        TemplateFor::Trust(role) => EditTarget::Trust { role },
        TemplateFor::CopyInEditor => unreachable!("handled above"),
    };
    super::open_new(app, target, t.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_names_follow_iam() {
        assert_eq!(name_problem("Deploy-S3_rw.v2@x"), None);
        assert!(name_problem("").is_some());
        assert!(name_problem("has space").unwrap().contains("` `"));
        assert!(name_problem(&"a".repeat(129)).is_some());
    }

    #[test]
    fn trust_templates_only_for_trust_policies() {
        let trust = items(&TemplateFor::Trust("r".into()));
        let managed = items(&TemplateFor::Managed);
        assert!(!trust.is_empty() && !managed.is_empty());
        for (_, i) in &trust {
            let t = &templates()[i.parse::<usize>().unwrap()];
            assert_eq!(t.policy_type, PolicyType::Trust);
        }
        for (_, i) in &managed {
            let t = &templates()[i.parse::<usize>().unwrap()];
            assert_ne!(t.policy_type, PolicyType::Trust);
        }
    }
}
