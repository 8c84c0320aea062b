//! The one registry of what the console can do. Each command has a name (what keymaps write), a
//! line of help, the contexts it may be bound in, whether it changes the account (mutating:
//! refused in read-only mode and left out of its help) and the room that handles it. The
//! registry generates `Command`, one variant per room holding that room's own enum, so a room's
//! handler matches its commands exhaustively and a command without a handler does not compile.

pub mod palette;

/// Where a command applies. Keymaps have one section per context; `Global` keys work
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

    /// Where a command bound here works, for "not here" messages.
    pub fn place(self) -> &'static str {
        match self {
            Context::Global => "any view",
            Context::List => "a list",
            Context::Detail => "a detail view",
            Context::Prompt => "a prompt or dialog",
            Context::Editor => "the policy editor",
        }
    }
}

use Context::{Detail, Editor, Global, List, Prompt};

const ANY_VIEW: &[Context] = &[Global, List, Detail];
const VIEWS: &[Context] = &[List, Detail];

/// What the registry says about one command.
struct Spec {
    name: &'static str,
    help: &'static str,
    contexts: &'static [Context],
    mutating: bool,
}

macro_rules! commands {
    ($($room:ident $sub:ident {
        $($variant:ident $name:literal, $ctx:expr, $mutating:literal, $help:literal;)*
    })*) => {
        /// The part of the console that handles a command.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Room { $($room,)* }

        $(
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            pub enum $sub { $($variant,)* }
        )*

        /// A command, tagged with the room that handles it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Command { $($room($sub),)* }

        impl Command {
            /// Every command, in registry order.
            pub const ALL: &[Command] = &[$($(Command::$room($sub::$variant),)*)*];

            fn spec(self) -> Spec {
                match self {
                    $($(Command::$room($sub::$variant) => Spec {
                        name: $name,
                        help: $help,
                        contexts: $ctx,
                        mutating: $mutating,
                    },)*)*
                }
            }

            pub fn room(self) -> Room {
                match self {
                    $(Command::$room(_) => Room::$room,)*
                }
            }
        }

        $(
            impl $sub {
                pub fn name(self) -> &'static str {
                    Command::$room(self).name()
                }
            }

            impl From<$sub> for Command {
                fn from(c: $sub) -> Command {
                    Command::$room(c)
                }
            }
        )*
    };
}

commands! {
    Shell ShellCommand {
        Quit "quit", ANY_VIEW, false, "Quit iamtui";
        Help "help", ANY_VIEW, false, "Show or hide this help";
        CommandLine "command", ANY_VIEW, false, "Open the command line (:users, :roles /admin, …)";
        Back "back", ANY_VIEW, false, "Close the overlay, leave the detail view, clear the filter";
        PreviousView "previous_view", ANY_VIEW, false, "Return to the previous view";
        HistoryBack "history_back", ANY_VIEW, false, "Walk back in the view history";
        HistoryForward "history_forward", ANY_VIEW, false, "Walk forward in the view history";
        Refresh "refresh", ANY_VIEW, false, "Reload the current view";
        NextTheme "next_theme", ANY_VIEW, false, "Switch to the next theme";
    }
    Prompt PromptCommand {
        Confirm "confirm", &[Prompt], false, "Accept the prompt";
        Cancel "cancel", &[Prompt], false, "Cancel the prompt";
        Complete "complete", &[Prompt], false, "Complete the command or name";
        EditField "edit_field", &[Prompt], false, "Edit the field in the policy editor (the assume dialog's session policy)";
    }
    Browse BrowseCommand {
        Filter "filter", VIEWS, false, "Filter the rows as you type (fuzzy; /!text inverts)";
        Up "up", VIEWS, false, "Move up";
        Down "down", VIEWS, false, "Move down";
        PageUp "page_up", VIEWS, false, "Move up a page";
        PageDown "page_down", VIEWS, false, "Move down a page";
        Top "top", VIEWS, false, "Go to the first row";
        Bottom "bottom", VIEWS, false, "Go to the last row";
        Open "open", VIEWS, false, "Open the selection (drill in, follow a link)";
        NextTab "next_tab", &[Detail], false, "Next tab";
        PreviousTab "previous_tab", &[Detail], false, "Previous tab";
        SortNext "sort_next", &[List], false, "Sort by the next column";
        SortReverse "sort_reverse", &[List], false, "Reverse the sort order";
        CopyArn "copy_arn", VIEWS, false, "Copy the ARN to the clipboard (OSC 52, works over SSH)";
        ShowJson "show_json", VIEWS, false, "Show the resource as JSON";
        Create "create", VIEWS, true, "Create a resource of this kind";
        Delete "delete", VIEWS, true, "Delete the selection and what stands in its way: every call listed, then type its name";
        AttachPolicy "attach_policy", VIEWS, true, "Attach a managed policy";
        SetBoundary "set_boundary", VIEWS, true, "Set the permissions boundary of a user or role (x on its row removes it)";
        DetachPolicy "detach_policy", VIEWS, true, "Detach the selected policy (in a list: a policy from every marked principal)";
        AddMember "add_member", VIEWS, true, "Add a user to a group, or a role to an instance profile";
        RemoveMember "remove_member", &[Detail], true, "Remove the selected member (a group's user, an instance profile's role)";
        EditTags "edit_tags", VIEWS, true, "Edit tags";
        ToggleMark "toggle_mark", &[List], false, "Mark or unmark the selected row (marked rows take edit_tags, attach_policy, detach_policy, add_member, delete together)";
        MarkAll "mark_all", &[List], false, "Mark every row shown, or clear the marks when all are marked";
    }
    Keys KeysCommand {
        RotateKey "rotate_key", VIEWS, true, "Rotate the selected access key (or the user's key)";
        CreateKey "create_key", VIEWS, true, "Create an access key for the user (the secret is shown once)";
        ToggleKey "toggle_key", VIEWS, true, "Deactivate or reactivate the selected access key";
        EnrolMfa "enrol_mfa", VIEWS, true, "Enrol a virtual MFA device for the user (QR code)";
        ResyncMfa "resync_mfa", VIEWS, true, "Resynchronise the selected MFA device with two codes";
        ConsolePassword "console_password", VIEWS, true, "Set or reset the user's console password (generated to the password policy, or typed)";
    }
    Account AccountCommand {
        Edit "edit", VIEWS, true, "Edit settings: a role's description and maximum session (:roles), the password policy (:passwordpolicy), the account alias (:summary)";
    }
    Assume AssumeCommand {
        AssumeRole "assume_role", VIEWS, false, "Assume the selected role: the whole console works as it";
        ReturnIdentity "return_identity", ANY_VIEW, false, "Return to the identity before the last assumed role";
        ExportCredentials "export_credentials", ANY_VIEW, false, "Hand the current role credentials to a shell or a profile";
    }
    Editor EditorCommand {
        EditPolicy "edit_policy", VIEWS, false, "Edit the selected policy document (validated as you type)";
        NewPolicy "new_policy", VIEWS, true, "New policy from a template (managed in :policies, inline on a principal)";
        Save "editor_save", &[Editor], false, "Save: the diff first; errors are not sent (read-only mode refuses it; a session policy goes back to its dialog)";
        Close "editor_close", &[Editor], false, "Leave the editor (asks before dropping unsaved edits)";
        Complete "editor_complete", &[Editor], false, "Complete the action, condition key, ARN (else indent)";
        NextFinding "editor_next_finding", &[Editor], false, "Go to the next finding";
        PreviousFinding "editor_previous_finding", &[Editor], false, "Go to the previous finding";
        Findings "editor_findings", &[Editor], false, "List every finding; Enter jumps to one";
        Format "editor_format", &[Editor], false, "Format with IAM's key order";
        Simulate "editor_simulate", &[Editor], false, "Open the simulate pane, or move between it and the text";
        HideSimulate "editor_hide_simulate", &[Editor], false, "Show or hide the simulate pane";
    }
    Versions VersionsCommand {
        SetDefaultVersion "set_default_version", &[Detail], true, "Make the selected policy version the default (roll back or forward)";
        DiffVersions "diff_versions", &[Detail], false, "Mark a policy version, then = on another shows their diff (s: side by side)";
    }
}

impl Command {
    /// snake_case, as keymaps name it.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// One line for the help overlay.
    pub fn help(self) -> &'static str {
        self.spec().help
    }

    /// The contexts it may be bound in.
    pub fn contexts(self) -> &'static [Context] {
        self.spec().contexts
    }

    /// Changes the account: refused in read-only mode, and left out of its help.
    pub fn mutating(self) -> bool {
        self.spec().mutating
    }

    /// The command a keymap names.
    pub fn from_name(name: &str) -> Option<Command> {
        Command::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// Where the command works, for a "not here" message: "a list or a detail view".
    pub fn places(self) -> String {
        let places: Vec<&str> = self.contexts().iter().map(|c| c.place()).collect();
        match places.split_last() {
            Some((last, [])) => (*last).to_string(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_snake_case_and_bindable_somewhere() {
        let mut names: Vec<&str> = Command::ALL.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "a command is registered twice");
        for c in Command::ALL {
            assert!(
                c.name()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{}",
                c.name()
            );
            assert!(!c.contexts().is_empty() && !c.help().is_empty(), "{c:?}");
            assert_eq!(Command::from_name(c.name()), Some(*c));
        }
        assert!(Command::from_name("delete").is_some_and(|c| c.mutating()));
        assert_eq!(
            Command::from_name("rotate_key").map(Command::room),
            Some(Room::Keys)
        );
        assert!(Command::from_name("quit").is_some_and(|c| !c.mutating()));
        assert!(Command::from_name("nope").is_none());
        assert_eq!(Context::from_name("list"), Some(Context::List));
        assert_eq!(
            Command::from(BrowseCommand::Delete).places(),
            "a list or a detail view"
        );
    }
}
