//! Saving: the diff first; documents with errors are not sent (IAM would refuse them) and
//! warnings ask; a managed policy gets a new default version (at IAM's five-version limit the
//! oldest non-default one is offered for deletion first); inline policies are put and trust
//! policies updated. On failure IAM's message is shown and the text stays in the editor.

use super::{EditTarget, Editor, Popup, Step, issue};
pub use crate::app::model::diff::diff;
use crate::app::shell::calls::{Call, Reply};
use crate::app::shell::intent::Intent;
use crate::app::shell::loads;
use crate::app::shell::message::Effect;
use crate::app::shell::state::App;
use crate::iam::{BackendError, PolicyVersion};
use crate::policy::Severity;

/// IAM keeps at most this many versions of a managed policy.
pub const MAX_VERSIONS: usize = 5;

/// Re-validates; with errors, says so (`refuser` would refuse them) and returns true.
fn refused(e: &mut Editor, prefix: &str, refuser: &str) -> bool {
    e.changed();
    let errors = e.analysis.count(Severity::Error);
    if errors > 0 {
        e.warn(format!(
            "{prefix}{errors} error{} that {refuser} would refuse; ctrl-n goes to the next finding",
            if errors == 1 { "" } else { "s" }
        ));
    }
    errors > 0
}

/// `ctrl-s`: checks, then shows the diff.
pub fn request(app: &mut App) -> Vec<Effect> {
    // A session policy is not saved anywhere (so read-only mode does not stop it): with no
    // error it goes back into the assume dialog.
    if let Some(e) = app
        .editor
        .as_mut()
        .filter(|e| e.target == EditTarget::SessionPolicy)
    {
        if refused(e, "", "STS") {
            return Vec::new();
        }
        return keep_session_policy(app);
    }
    let read_only = app.read_only().then(|| app.read_only_reason());
    let Some(e) = app.editor.as_mut() else {
        return Vec::new();
    };
    if let Some(reason) = read_only {
        e.warn(format!("refused: {reason}; nothing is saved"));
        return Vec::new();
    }
    if e.read_only.is_some() {
        // An AWS managed policy: saved as a customer managed copy, under a name asked for.
        let name = match &e.target {
            EditTarget::Managed { arn, .. } => format!("{}-copy", super::short(arn)),
            _ => String::new(),
        };
        app.prompt = Some(crate::app::shell::overlay::Prompt::new(
            crate::app::shell::overlay::PromptKind::PolicyName {
                template: String::new(),
                purpose: super::templates_ui::TemplateFor::CopyInEditor,
            },
            &name,
        ));
        return Vec::new();
    }
    if e.loading.is_some() || e.busy.is_some() {
        return Vec::new();
    }
    if refused(e, "not saved: ", "IAM") {
        return Vec::new();
    }
    if e.saved.as_deref() == Some(e.text.as_str()) {
        e.say("no changes to save");
        return Vec::new();
    }
    let before = e.saved.clone().unwrap_or_default();
    let warnings =
        e.analysis.count(Severity::SecurityWarning) + e.analysis.count(Severity::Warning);
    e.popup = Some(Popup::Diff {
        lines: diff(&before, &e.text),
        scroll: 0,
        warnings,
    });
    Vec::new()
}

/// The session policy goes back into the assume dialog, compact (IAM's limit ignores
/// whitespace, the dialog's field is one line).
fn keep_session_policy(app: &mut App) -> Vec<Effect> {
    let Some(e) = app.editor.take() else {
        return Vec::new();
    };
    let compact = crate::policy::format::compact_policy(&e.text).unwrap_or_else(|_| e.text.clone());
    app.ask(Intent::KeepSessionPolicy { text: compact });
    Vec::new()
}

/// Enter on the diff: saves (after the prune question, at the version limit).
pub fn confirm(app: &mut App) -> Vec<Effect> {
    let Some(e) = app.editor.as_mut() else {
        return Vec::new();
    };
    e.popup = None;
    if let EditTarget::Managed { .. } = &e.target
        && let Some(v) = e.versions.as_ref().filter(|v| v.len() >= MAX_VERSIONS)
    {
        match oldest_non_default(v) {
            Some(old) => {
                e.popup = Some(Popup::Prune {
                    version_id: old.version_id.clone(),
                });
                return Vec::new();
            }
            None => {
                e.warn("IAM keeps five versions and none can be deleted");
                return Vec::new();
            }
        }
    }
    send(app)
}

pub fn oldest_non_default(versions: &[PolicyVersion]) -> Option<&PolicyVersion> {
    versions
        .iter()
        .filter(|v| !v.is_default)
        .min_by_key(|v| (v.create_date, version_number(&v.version_id)))
}

fn version_number(id: &str) -> u64 {
    id.trim_start_matches(['v', 'V']).parse().unwrap_or(0)
}

/// `y` on the prune question: delete that version, then save.
pub fn prune(app: &mut App) -> Vec<Effect> {
    let Some(e) = app.editor.as_mut() else {
        return Vec::new();
    };
    let Some(Popup::Prune { version_id }) = e.popup.take() else {
        return Vec::new();
    };
    let EditTarget::Managed { arn, .. } = &e.target else {
        return Vec::new();
    };
    let call = Call::DeletePolicyVersion {
        arn: arn.clone(),
        version_id: version_id.clone(),
    };
    e.busy = Some(format!("deleting version {version_id}…"));
    let generation = e.generation;
    issue(app, generation, [(Step::Prune, call)])
}

fn send(app: &mut App) -> Vec<Effect> {
    let Some(e) = app.editor.as_mut() else {
        return Vec::new();
    };
    let document = e.text.clone();
    let call = match &e.target {
        EditTarget::Managed { arn, .. } => Call::CreatePolicyVersion {
            arn: arn.clone(),
            document,
        },
        EditTarget::Inline { entity, name, .. } => Call::PutInline {
            entity: entity.clone(),
            name: name.clone(),
            document,
        },
        EditTarget::Trust { role } => Call::UpdateTrust {
            role: role.clone(),
            document,
        },
        EditTarget::NewManaged(req) => Call::CreatePolicy {
            req: crate::iam::CreatePolicy {
                document,
                ..(**req).clone()
            },
        },
        EditTarget::NewRole(req) => Call::CreateRole {
            req: crate::iam::CreateRole {
                assume_role_policy: document,
                ..(**req).clone()
            },
        },
        // Kept into the dialog by `request`; never sent.
        EditTarget::SessionPolicy => return Vec::new(),
    };
    e.busy = Some("saving…".into());
    e.message = None;
    let generation = e.generation;
    issue(app, generation, [(Step::Save, call)])
}

pub fn on_reply(app: &mut App, step: Step, result: Result<Reply, BackendError>) -> Vec<Effect> {
    let Some(e) = app.editor.as_mut() else {
        return Vec::new();
    };
    e.busy = None;
    match (step, result) {
        (Step::Prune, Ok(_)) => {
            if let (Some(v), EditTarget::Managed { .. }) = (e.versions.as_mut(), &e.target)
                && let Some(old) = oldest_non_default(v).map(|o| o.version_id.clone())
            {
                v.retain(|x| x.version_id != old);
            }
            send(app)
        }
        (Step::Save, Ok(reply)) => {
            saved(e, reply);
            // The view beneath shows the new policy, version or document once the editor
            // closes.
            loads::refresh_view(app)
        }
        (_, Err(err)) => {
            // The text stays: nothing typed is lost to a refusal.
            e.warn(format!("not saved: {}", crate::ui::error_text(&err)));
            Vec::new()
        }
        (step, Ok(_)) => {
            tracing::warn!(?step, "unexpected save reply");
            Vec::new()
        }
    }
}

fn saved(e: &mut Editor, reply: Reply) {
    e.saved = Some(e.text.clone());
    match (&mut e.target, reply) {
        (EditTarget::Managed { version_id, .. }, Reply::Version(v)) => {
            *version_id = Some(v.version_id.clone());
            if let Some(list) = e.versions.as_mut() {
                for x in list.iter_mut() {
                    x.is_default = false;
                }
                list.push(PolicyVersion {
                    document: None,
                    ..v.clone()
                });
            }
            e.say(format!(
                "saved as version {}, now the default",
                v.version_id
            ));
        }
        (EditTarget::NewManaged { .. }, Reply::Policy(p)) => {
            e.say(format!(
                "created policy {} ({})",
                p.arn, p.default_version_id
            ));
            e.title = format!("managed policy {} {}", p.name, p.default_version_id);
            e.target = EditTarget::Managed {
                arn: p.arn.clone(),
                version_id: Some(p.default_version_id.clone()),
            };
            e.versions = Some(vec![PolicyVersion {
                version_id: p.default_version_id.clone(),
                is_default: true,
                create_date: p.create_date,
                document: None,
            }]);
        }
        (EditTarget::NewRole(_), Reply::Role(r)) => {
            e.say(format!("created role {}", r.arn));
            e.title = format!("trust policy of role {}", r.name);
            e.target = EditTarget::Trust { role: r.name };
        }
        (EditTarget::Inline { name, new, entity }, _) => {
            *new = false;
            let what = format!("{} saved", super::inline_title(entity, name));
            e.title = e.title.replacen("new inline", "inline", 1);
            e.say(what);
        }
        (EditTarget::Trust { role }, _) => {
            let what = format!("trust policy of role {role} updated");
            e.say(what);
        }
        (_, _) => e.say("saved"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_diff_shows_changed_lines_with_context() {
        let before = "a\nb\nc\nd\ne\nf\ng\nh\ni\n";
        let after = "a\nb\nc\nd\nE\nf\ng\nh\ni\n";
        let d = diff(before, after);
        let signs: String = d.iter().map(|l| l.sign).collect();
        assert_eq!(signs, "   -+   ");
        assert_eq!(d[3].text, "e");
        assert_eq!(d[4].text, "E");
    }

    #[test]
    fn the_oldest_non_default_version_is_pruned_first() {
        let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc();
        let v = |id: &str, default: bool, at: &str| PolicyVersion {
            version_id: id.into(),
            is_default: default,
            create_date: t(at),
            document: None,
        };
        let versions = vec![
            v("v1", true, "2026-01-01T00:00:00Z"),
            v("v3", false, "2026-03-01T00:00:00Z"),
            v("v2", false, "2026-02-01T00:00:00Z"),
        ];
        assert_eq!(oldest_non_default(&versions).unwrap().version_id, "v2");
    }
}
