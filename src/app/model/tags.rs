//! Tags as the console types them: `key=value` words (quoted where they hold spaces), `-key`
//! removals, and IAM's rules for a tag checked before any call.

use crate::iam::Tag;

/// One word of the tags prompt: `key=value`, or `-key` (a removal).
#[derive(Debug, PartialEq)]
pub enum TagWord {
    Set(String, String),
    Remove(String),
}

/// Splits the prompt's text into words. Quotes (`"…"` or `'…'`, with `\"`, `\'` and `\\`
/// escapes) keep spaces, `=` and a leading `-` inside a key or value.
pub fn tag_words(text: &str) -> Result<Vec<TagWord>, String> {
    let mut words = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(words);
        }
        let mut raw = String::new();
        let mut key = String::new();
        let mut value: Option<String> = None;
        let mut remove = false;
        let mut first = true;
        while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
            raw.push(c);
            let mut piece = String::new();
            match c {
                '"' | '\'' => {
                    let quote = c;
                    loop {
                        match chars.next() {
                            None => {
                                return Err(format!("`{raw}`: a {quote} quote is not closed"));
                            }
                            Some(c) if c == quote => {
                                raw.push(c);
                                break;
                            }
                            Some('\\') => {
                                raw.push('\\');
                                match chars.next() {
                                    Some(e) => {
                                        raw.push(e);
                                        piece.push(e);
                                    }
                                    None => {
                                        return Err(format!(
                                            "`{raw}`: a {quote} quote is not closed"
                                        ));
                                    }
                                }
                            }
                            Some(c) => {
                                raw.push(c);
                                piece.push(c);
                            }
                        }
                    }
                }
                '-' if first => remove = true,
                '=' if value.is_none() => value = Some(String::new()),
                c => piece.push(c),
            }
            value.as_mut().unwrap_or(&mut key).push_str(&piece);
            first = false;
        }
        words.push(match (remove, value) {
            (false, Some(v)) => TagWord::Set(key, v),
            (true, None) if !key.is_empty() => TagWord::Remove(key),
            (true, _) => return Err(format!("`{raw}`: write -key to remove a tag")),
            (false, None) => return Err(format!("`{raw}`: write key=value, or -key to remove")),
        });
    }
}

/// A key or value as the prompt shows it: quoted when it would not read back as itself.
fn quote_tag_part(s: &str, key: bool) -> String {
    let plain = !s.is_empty()
        && !s
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '\\'))
        && !(key && (s.contains('=') || s.starts_with('-')));
    if plain || (!key && s.is_empty()) {
        return s.to_string();
    }
    let mut out = String::from('"');
    for c in s.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// The tags as the prompt's text: `key=value` words, quoted where needed.
pub fn tags_text(tags: &[Tag]) -> String {
    tags.iter()
        .map(|t| {
            format!(
                "{}={}",
                quote_tag_part(&t.key, true),
                quote_tag_part(&t.value, false)
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// IAM's rules for one tag: key 1–128 characters, value 0–256, letters, digits, spaces and
/// `_ . : / = + - @`, keys not starting with `aws:`.
pub fn check_tag(tag: &Tag) -> Result<(), String> {
    let allowed = |c: char| {
        c.is_alphanumeric()
            || c == ' '
            || (c.is_whitespace() && !c.is_control())
            || "_.:/=+-@".contains(c)
    };
    let key = &tag.key;
    let n = key.chars().count();
    if n == 0 {
        return Err(format!("`={}`: a tag needs a key", tag.value));
    }
    if n > 128 {
        return Err(format!(
            "tag key `{key}` is {n} characters long; IAM allows 128"
        ));
    }
    if key.to_lowercase().starts_with("aws:") {
        return Err(format!(
            "tag key `{key}`: keys starting with aws: are reserved for AWS"
        ));
    }
    if let Some(c) = key.chars().find(|c| !allowed(*c)) {
        return Err(format!(
            "tag key `{key}`: `{c}` is not allowed (letters, digits, spaces and _ . : / = + - @ are)"
        ));
    }
    let n = tag.value.chars().count();
    if n > 256 {
        return Err(format!(
            "the value of tag `{key}` is {n} characters long; IAM allows 256"
        ));
    }
    if let Some(c) = tag.value.chars().find(|c| !allowed(*c)) {
        return Err(format!(
            "the value of tag `{key}`: `{c}` is not allowed (letters, digits, spaces and _ . : / = + - @ are)"
        ));
    }
    Ok(())
}

/// The tags `text` sets (IAM's rules checked) and the keys it removes (`-key`).
pub fn tag_words_checked(text: &str) -> Result<(Vec<Tag>, Vec<String>), String> {
    let mut wanted: Vec<Tag> = Vec::new();
    let mut removed: Vec<String> = Vec::new();
    let same = |a: &str, b: &str| a.to_lowercase() == b.to_lowercase();
    for word in tag_words(text)? {
        match word {
            TagWord::Remove(k) => {
                if wanted.iter().any(|w| same(&w.key, &k)) {
                    return Err(format!("tag `{k}` is both set and removed"));
                }
                removed.push(k);
            }
            TagWord::Set(k, v) => {
                let tag = Tag::new(k, v);
                check_tag(&tag)?;
                if wanted.iter().any(|w| same(&w.key, &tag.key)) {
                    return Err(format!(
                        "tag `{}` is given twice (IAM's tag keys ignore case)",
                        tag.key
                    ));
                }
                if removed.iter().any(|r| same(r, &tag.key)) {
                    return Err(format!("tag `{}` is both set and removed", tag.key));
                }
                wanted.push(tag);
            }
        }
    }
    if wanted.len() > 50 {
        return Err(format!(
            "{} tags: IAM allows at most 50 on a resource",
            wanted.len()
        ));
    }
    Ok((wanted, removed))
}

/// The calls that set the `key=value` words of `text` on `target` and remove its `-key` words,
/// leaving its other tags as they are (the tags of marked rows, which differ row by row).
/// IAM's tag rules are checked before any call; removing a key the resource lacks is no error
/// in IAM.
pub fn bulk_tag_calls(
    target: &crate::iam::TagTarget,
    text: &str,
) -> Result<Vec<crate::app::shell::calls::Call>, String> {
    use crate::app::shell::calls::Call;
    let (set, mut removed) = tag_words_checked(text)?;
    let mut seen: Vec<String> = Vec::new();
    removed.retain(|k| {
        let k = k.to_lowercase();
        let first = !seen.contains(&k);
        seen.push(k);
        first
    });
    if set.is_empty() && removed.is_empty() {
        return Err("type key=value to set a tag, or -key to remove one".into());
    }
    let mut calls = Vec::new();
    if !set.is_empty() {
        calls.push(Call::Tag {
            target: target.clone(),
            tags: set,
        });
    }
    if !removed.is_empty() {
        calls.push(Call::Untag {
            target: target.clone(),
            keys: removed,
        });
    }
    Ok(calls)
}
