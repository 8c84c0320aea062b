//! The `:` command line: view commands with aliases and an optional filter argument
//! (`:roles /admin`), a few console commands, and completion over all their names.

pub use crate::app::model::kinds::ViewKind;

/// What a command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaletteCommand {
    /// Open a view, filtered by the argument when there is one.
    Open {
        view: ViewKind,
        filter: Option<String>,
    },
    /// Switch theme (`None`: the next one).
    Theme(Option<String>),
    /// Assume a role (an ARN or a role name; `None`: the selected role).
    Assume(Option<String>),
    /// The roles assumed lately, to switch to quickly.
    Contexts,
    Help,
    /// Every message the status bar showed, in full, with its time.
    Messages,
    Quit,
}

const CONSOLE_COMMANDS: &[&str] = &["theme", "assume", "ctx", "help", "messages", "quit", "q"];

/// Reads a command line (without the leading `:`).
pub fn parse(line: &str) -> Result<PaletteCommand, String> {
    let line = line.trim();
    let (word, rest) = match line.split_once(char::is_whitespace) {
        Some((w, r)) => (w, r.trim()),
        None => (line, ""),
    };
    let word_lc = word.to_ascii_lowercase();
    let arg = (!rest.is_empty()).then(|| rest.to_string());
    match word_lc.as_str() {
        "" => return Err("type a command, e.g. :users".into()),
        "q" | "quit" | "q!" => return Ok(PaletteCommand::Quit),
        "help" | "?" => return Ok(PaletteCommand::Help),
        "messages" | "mes" | "log" => return Ok(PaletteCommand::Messages),
        "theme" => return Ok(PaletteCommand::Theme(arg)),
        "assume" => return Ok(PaletteCommand::Assume(arg)),
        "ctx" | "context" | "contexts" => return Ok(PaletteCommand::Contexts),
        _ => {}
    }
    let Some(view) = ViewKind::ALL
        .into_iter()
        .find(|v| v.names().contains(&word_lc.as_str()))
    else {
        let hint = crate::policy::finding::did_you_mean(&word_lc, all_names())
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        return Err(format!("unknown command `{word}`{hint}"));
    };
    // `:roles /admin` and `:roles admin` both filter; the slash is k9s's habit.
    let filter = arg.map(|a| a.strip_prefix('/').unwrap_or(&a).to_string());
    Ok(PaletteCommand::Open {
        view,
        filter: filter.filter(|f| !f.is_empty()),
    })
}

fn all_names() -> impl Iterator<Item = &'static str> {
    ViewKind::ALL
        .into_iter()
        .flat_map(|v| v.names().iter().copied())
        .chain(CONSOLE_COMMANDS.iter().copied())
}

/// Command names that start with what was typed: canonical view names first, then console
/// commands, then aliases. Only the first word completes.
pub fn complete(typed: &str) -> Vec<&'static str> {
    let typed = typed.trim_start().to_ascii_lowercase();
    if typed.contains(char::is_whitespace) {
        return Vec::new();
    }
    let canonical = ViewKind::ALL.into_iter().map(ViewKind::name);
    let aliases = ViewKind::ALL
        .into_iter()
        .flat_map(|v| v.names()[1..].iter().copied());
    let mut out: Vec<&'static str> = Vec::new();
    for n in canonical
        .chain(CONSOLE_COMMANDS.iter().copied())
        .chain(aliases)
    {
        if n.starts_with(&typed) && !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_open_by_name_or_alias_with_an_optional_filter() {
        let open = |view, filter: Option<&str>| {
            let filter = filter.map(str::to_string);
            Ok(PaletteCommand::Open { view, filter })
        };
        assert_eq!(parse("users"), open(ViewKind::Users, None));
        assert_eq!(
            parse("  ROLES /admin "),
            open(ViewKind::Roles, Some("admin"))
        );
        assert_eq!(
            parse("pol ReadOnly"),
            open(ViewKind::Policies, Some("ReadOnly"))
        );
        assert_eq!(parse("r /"), open(ViewKind::Roles, None));
        assert_eq!(parse("q"), Ok(PaletteCommand::Quit));
        assert_eq!(
            parse("theme light"),
            Ok(PaletteCommand::Theme(Some("light".into())))
        );
        let e = parse("rolez").unwrap_err();
        assert!(e.contains("did you mean `roles`"), "{e}");
        assert!(parse("").is_err());
    }

    #[test]
    fn every_name_is_unique() {
        let mut names: Vec<&str> = all_names().collect();
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(n, names.len());
    }

    #[test]
    fn completion_prefers_canonical_names() {
        assert_eq!(complete("ro"), ["roles", "role"]);
        assert_eq!(complete("p")[..2], ["policies", "providers"]);
        assert!(complete("pa").contains(&"passwordpolicy"));
        assert!(complete("users x").is_empty());
        assert_eq!(complete("").len(), all_names().count());
        assert_eq!(complete("th"), ["theme"]);
        assert_eq!(complete("as"), ["assume"]);
        assert_eq!(
            parse("assume arn:aws:iam::1:role/x"),
            Ok(PaletteCommand::Assume(Some("arn:aws:iam::1:role/x".into())))
        );
        assert_eq!(parse("ctx"), Ok(PaletteCommand::Contexts));
    }
}
