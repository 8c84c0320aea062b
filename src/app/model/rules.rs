//! IAM's rules for the fields that several forms share (a name, a path, a description, the
//! tags of a new resource), as form checks: `Err` says what is wrong, in words for the user.

use crate::app::model::tags::tag_words_checked;
use crate::iam::Tag;

/// A name of 1 to `max` characters from letters, digits and `allowed`.
pub fn name(s: &str, what: &str, max: usize, allowed: &str) -> Result<(), String> {
    let n = s.chars().count();
    if n == 0 {
        return Err("type a name".into());
    }
    if n > max {
        return Err(format!("{n} characters: a {what} name has at most {max}"));
    }
    match s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || allowed.contains(*c)))
    {
        Some(c) => Err(format!(
            "`{c}` cannot be in a {what} name (letters, digits and {allowed} only)"
        )),
        None => Ok(()),
    }
}

/// `/`, or `/a/path/` of printable ASCII, at most 512 characters; empty means `/`.
pub fn path(s: &str) -> Result<(), String> {
    if s.is_empty() || s == "/" {
        return Ok(());
    }
    if !(s.starts_with('/') && s.ends_with('/')) {
        return Err("a path starts and ends with / (/teams/web/)".into());
    }
    if s.len() > 512 {
        return Err("a path has at most 512 characters".into());
    }
    match s.chars().find(|c| !('\u{21}'..='\u{7e}').contains(c)) {
        Some(c) => Err(format!("`{c}` cannot be in a path (printable ASCII only)")),
        None => Ok(()),
    }
}

/// The path as a request takes it: `None` for the default `/`.
pub fn path_of(s: String) -> Option<String> {
    (!s.is_empty() && s != "/").then_some(s)
}

/// Up to 1,000 characters of tab, newlines and Latin-1 (IAM's description pattern).
pub fn description(s: &str) -> Result<(), String> {
    let n = s.chars().count();
    if n > 1000 {
        return Err(format!("{n} characters: a description has at most 1,000"));
    }
    let allowed =
        |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{a1}'..='\u{ff}');
    match s.chars().find(|c| !allowed(*c)) {
        Some(c) => Err(format!(
            "`{c}` cannot be in a description (IAM takes Latin-1 letters and symbols)"
        )),
        None => Ok(()),
    }
}

pub fn not_empty(s: &str) -> Result<(), String> {
    match s.is_empty() {
        true => Err("required".into()),
        false => Ok(()),
    }
}

/// The tags of a new resource: `key=value` words with IAM's tag rules, nothing to remove.
pub fn new_tags(s: &str) -> Result<(), String> {
    match tag_words_checked(s)? {
        (_, removed) if !removed.is_empty() => {
            Err("a new resource has no tags to remove: key=value words only".into())
        }
        _ => Ok(()),
    }
}

/// The tags [`new_tags`] accepted.
pub fn new_tags_of(s: &str) -> Vec<Tag> {
    tag_words_checked(s).map(|(t, _)| t).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_rules() {
        assert!(name("deploy-web_1@x", "role", 64, "+=,.@_-").is_ok());
        assert!(name("", "role", 64, "+=,.@_-").is_err());
        assert!(name(&"r".repeat(65), "role", 64, "+=,.@_-").is_err());
        assert!(
            name("has space", "role", 64, "+=,.@_-")
                .unwrap_err()
                .contains("` `")
        );
        assert!(path("/").is_ok() && path("/teams/web/").is_ok() && path("").is_ok());
        assert!(path("teams/").is_err() && path("/teams").is_err());
        assert_eq!(path_of("/".into()), None);
        assert!(description("café").is_ok() && description("emoji 🙂").is_err());
        assert!(new_tags("team=web \"cost center\"=42").is_ok());
        assert!(new_tags("-team").is_err() && new_tags("aws:x=1").is_err());
        assert_eq!(new_tags_of("a=1"), [Tag::new("a", "1")]);
    }
}
