//! The one registry of what the console can do. Every key in a keymap runs one of these named
//! actions; the help overlay lists them from the active keymap; `--read-only` removes the ones
//! marked `mutating` from keys, menus and help.

pub mod palette;

/// Where an action applies. Keymaps have one section per context; `Global` keys work
/// everywhere unless a more specific context binds the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    /// A resource list (users, roles, …).
    List,
    /// A resource's detail view with tabs.
    Detail,
    /// A text prompt: the `:` command line, the `/` filter, a confirmation.
    Prompt,
    /// The policy editor: these keys are commands, every other key is typed.
    Editor,
}

impl Context {
    pub const ALL: [Context; 5] = [
        Context::Global,
        Context::List,
        Context::Detail,
        Context::Prompt,
        Context::Editor,
    ];

    /// The keymap section name.
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Detail => "detail",
            Context::Prompt => "prompt",
            Context::Editor => "editor",
        }
    }

    pub fn from_name(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// A named action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Action {
    /// snake_case, as keymaps name it.
    pub name: &'static str,
    /// One line for the help overlay.
    pub description: &'static str,
    /// The contexts it may be bound in.
    pub contexts: &'static [Context],
    /// Changes the account: hidden and refused in read-only mode.
    pub mutating: bool,
}

use Context::{Detail, Editor, Global, List, Prompt};

const ANY_VIEW: &[Context] = &[Global, List, Detail];
const VIEWS: &[Context] = &[List, Detail];

macro_rules! actions {
    ($($name:literal, $ctx:expr, $mutating:literal, $desc:literal;)*) => {
        /// Every action, in the order the help overlay shows them.
        pub const ACTIONS: &[Action] = &[
            $(Action { name: $name, description: $desc, contexts: $ctx, mutating: $mutating },)*
        ];
    };
}

actions! {
    "quit", ANY_VIEW, false, "Quit iamtui";
    "help", ANY_VIEW, false, "Show or hide this help";
    "command", ANY_VIEW, false, "Open the command line (:users, :roles /admin, …)";
    "filter", VIEWS, false, "Filter the rows as you type (fuzzy; /!text inverts)";
    "back", ANY_VIEW, false, "Close the overlay, leave the detail view, clear the filter";
    "previous_view", ANY_VIEW, false, "Return to the previous view";
    "history_back", ANY_VIEW, false, "Walk back in the view history";
    "history_forward", ANY_VIEW, false, "Walk forward in the view history";
    "refresh", ANY_VIEW, false, "Reload the current view";
    "next_theme", ANY_VIEW, false, "Switch to the next theme";
    "up", VIEWS, false, "Move up";
    "down", VIEWS, false, "Move down";
    "page_up", VIEWS, false, "Move up a page";
    "page_down", VIEWS, false, "Move down a page";
    "top", VIEWS, false, "Go to the first row";
    "bottom", VIEWS, false, "Go to the last row";
    "open", VIEWS, false, "Open the selection (drill in, follow a link)";
    "next_tab", &[Detail], false, "Next tab";
    "previous_tab", &[Detail], false, "Previous tab";
    "sort_next", &[List], false, "Sort by the next column";
    "sort_reverse", &[List], false, "Reverse the sort order";
    "copy_arn", VIEWS, false, "Copy the ARN to the clipboard (OSC 52, works over SSH)";
    "show_json", VIEWS, false, "Show the resource as JSON";
    "create", VIEWS, true, "Create a resource of this kind";
    "delete", VIEWS, true, "Delete the selection (confirm by typing its name)";
    "attach_policy", VIEWS, true, "Attach a managed policy";
    "detach_policy", &[Detail], true, "Detach the selected policy";
    "add_member", VIEWS, true, "Add a user to a group";
    "remove_member", &[Detail], true, "Remove the selected member from the group";
    "edit_tags", VIEWS, true, "Edit tags";
    "rotate_key", VIEWS, true, "Rotate the selected access key (or the user's key)";
    "create_key", VIEWS, true, "Create an access key for the user (the secret is shown once)";
    "toggle_key", VIEWS, true, "Deactivate or reactivate the selected access key";
    "enrol_mfa", VIEWS, true, "Enrol a virtual MFA device for the user (QR code)";
    "resync_mfa", VIEWS, true, "Resynchronise the selected MFA device with two codes";
    "assume_role", VIEWS, false, "Assume the selected role: the whole console works as it";
    "return_identity", ANY_VIEW, false, "Return to the identity before the last assumed role";
    "export_credentials", ANY_VIEW, false, "Hand the current role credentials to a shell or a profile";
    "edit_policy", VIEWS, false, "Edit the selected policy document (validated as you type)";
    "new_policy", VIEWS, true, "New policy from a template (managed in :policies, inline on a principal)";
    "editor_save", &[Editor], false, "Save: the diff first; errors are not sent (read-only mode refuses it; a session policy goes back to its dialog)";
    "editor_close", &[Editor], false, "Leave the editor (asks before dropping unsaved edits)";
    "editor_complete", &[Editor], false, "Complete the action, condition key, ARN (else indent)";
    "editor_next_finding", &[Editor], false, "Go to the next finding";
    "editor_previous_finding", &[Editor], false, "Go to the previous finding";
    "editor_findings", &[Editor], false, "List every finding; Enter jumps to one";
    "editor_format", &[Editor], false, "Format with IAM's key order";
    "editor_simulate", &[Editor], false, "Open the simulate pane, or move between it and the text";
    "editor_hide_simulate", &[Editor], false, "Show or hide the simulate pane";
    "confirm", &[Prompt], false, "Accept the prompt";
    "cancel", &[Prompt], false, "Cancel the prompt";
    "complete", &[Prompt], false, "Complete the command or name";
    "edit_field", &[Prompt], false, "Edit the field in the policy editor (the assume dialog's session policy)";
}

/// The action with that name.
pub fn action(name: &str) -> Option<&'static Action> {
    ACTIONS.iter().find(|a| a.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_snake_case_and_bindable_somewhere() {
        let mut names: Vec<&str> = ACTIONS.iter().map(|a| a.name).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "an action is registered twice");
        for a in ACTIONS {
            assert!(
                a.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{}",
                a.name
            );
            assert!(
                !a.contexts.is_empty() && !a.description.is_empty(),
                "{}",
                a.name
            );
        }
        assert!(action("delete").is_some_and(|a| a.mutating));
        assert!(action("quit").is_some_and(|a| !a.mutating));
        assert!(action("nope").is_none());
        assert_eq!(Context::from_name("list"), Some(Context::List));
    }
}
