//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`, any context key, with an
//! optional default (`${aws:PrincipalTag/team, 'company-wide'}`), and the escapes `${*}`,
//! `${?}` and `${$}` for a literal `*`, `?` and `$`.
//!
//! Only policies with `"Version": "2012-10-17"` have variables; in older ones `${…}` is text.
//! Substituted values are literal: a `*` in a user name is not a wildcard. A key that is absent
//! (and has no default) or multivalued leaves the variable unresolved, and then the value or
//! resource that contains it matches nothing.

use std::borrow::Cow;

use super::context::{Context, ContextValue};
use super::wildcard::Piece;

/// The variable could not be resolved (absent key without default, or a multivalued key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unresolved;

/// True when the text may hold a variable.
#[inline]
pub fn has_variables(text: &str) -> bool {
    text.as_bytes().windows(2).any(|w| w == b"${")
}

/// One `${…}` reference, parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Var<'a> {
    /// `${*}`, `${?}`, `${$}`.
    Escape(&'a str),
    Key {
        name: &'a str,
        default: Option<&'a str>,
    },
}

/// Parses the variable starting at `text[start..]` (which begins with `${`). Returns it and the
/// offset just past the closing `}`; `None` when it is not well formed (then it is plain text).
fn parse_var(text: &str, start: usize) -> Option<(Var<'_>, usize)> {
    let body_start = start + 2;
    let rest = &text[body_start..];
    // The name runs to `,` or `}`.
    let name_len = rest.find([',', '}'])?;
    let name = rest[..name_len].trim();
    let after_name = body_start + name_len;
    if text.as_bytes()[after_name] == b'}' {
        let var = match name {
            "*" => Var::Escape("*"),
            "?" => Var::Escape("?"),
            "$" => Var::Escape("$"),
            "" => return None,
            _ => Var::Key {
                name,
                default: None,
            },
        };
        return Some((var, after_name + 1));
    }
    // `, 'default'}`
    let rest = text[after_name + 1..].trim_start();
    let rest = rest.strip_prefix('\'')?;
    let close = rest.find('\'')?;
    let default = &rest[..close];
    let tail = rest[close + 1..].trim_start();
    if !tail.starts_with('}') || name.is_empty() {
        return None;
    }
    let end = text.len() - tail.len() + 1;
    Some((
        Var::Key {
            name,
            default: Some(default),
        },
        end,
    ))
}

fn lookup<'a>(
    ctx: &'a Context,
    name: &str,
    default: Option<&'a str>,
) -> Result<&'a str, Unresolved> {
    match ctx.get(name) {
        Some(ContextValue::Single(v)) => Ok(v),
        Some(ContextValue::Multi(_)) => Err(Unresolved),
        None => default.ok_or(Unresolved),
    }
}

/// Splits a pattern into glob and literal pieces, substituting variables.
pub fn resolve_pieces<'a>(
    text: &'a str,
    ctx: &'a Context,
    out: &mut Vec<Piece<'a>>,
) -> Result<(), Unresolved> {
    let bytes = text.as_bytes();
    let mut run = 0; // start of the pending glob text
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'$'
            && bytes[i + 1] == b'{'
            && let Some((var, end)) = parse_var(text, i)
        {
            if run < i {
                out.push(Piece::Glob(&text[run..i]));
            }
            out.push(Piece::Literal(match var {
                Var::Escape(s) => s,
                Var::Key { name, default } => lookup(ctx, name, default)?,
            }));
            i = end;
            run = end;
            continue;
        }
        i += 1;
    }
    if run < text.len() {
        out.push(Piece::Glob(&text[run..]));
    }
    Ok(())
}

/// Substitutes variables into a plain string (for operators without wildcards).
pub fn resolve_string<'a>(text: &'a str, ctx: &'a Context) -> Result<Cow<'a, str>, Unresolved> {
    if !has_variables(text) {
        return Ok(Cow::Borrowed(text));
    }
    let mut pieces = Vec::new();
    resolve_pieces(text, ctx, &mut pieces)?;
    let mut out = String::with_capacity(text.len());
    for p in pieces {
        match p {
            Piece::Glob(s) | Piece::Literal(s) => out.push_str(s),
        }
    }
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Context {
        Context::new()
            .with("aws:username", "alice")
            .with("aws:PrincipalTag/team", "data")
            .with("weird", "a*b?")
            .with_multi("aws:TagKeys", ["x"])
    }

    fn pieces<'a>(text: &'a str, ctx: &'a Context) -> Result<Vec<Piece<'a>>, Unresolved> {
        let mut v = Vec::new();
        resolve_pieces(text, ctx, &mut v).map(|()| v)
    }

    #[test]
    fn substitutes_keys_case_insensitively() {
        let c = ctx();
        assert_eq!(
            pieces("home/${aws:username}/*", &c).unwrap(),
            [
                Piece::Glob("home/"),
                Piece::Literal("alice"),
                Piece::Glob("/*")
            ]
        );
        assert_eq!(resolve_string("${AWS:UserName}", &c).unwrap(), "alice");
        assert_eq!(
            resolve_string("${aws:principaltag/team}-x", &c).unwrap(),
            "data-x"
        );
    }

    #[test]
    fn escapes_are_literal_characters() {
        let c = ctx();
        assert_eq!(
            pieces("what${?}${*}${$}", &c).unwrap(),
            [
                Piece::Glob("what"),
                Piece::Literal("?"),
                Piece::Literal("*"),
                Piece::Literal("$")
            ]
        );
        assert_eq!(resolve_string("a${*}b", &c).unwrap(), "a*b");
    }

    #[test]
    fn defaults_and_missing_keys() {
        let c = ctx();
        assert_eq!(
            resolve_string("bucket-${aws:PrincipalTag/dept, 'company-wide'}", &c).unwrap(),
            "bucket-company-wide"
        );
        assert_eq!(
            resolve_string("${aws:PrincipalTag/team, 'company-wide'}", &c).unwrap(),
            "data",
            "the default only applies when the key is absent"
        );
        assert_eq!(resolve_string("${x,'a}b'}", &c).unwrap(), "a}b");
        assert_eq!(resolve_string("${x, ''}", &c).unwrap(), "");
        assert_eq!(
            resolve_string("${aws:PrincipalTag/dept}", &c),
            Err(Unresolved)
        );
        assert_eq!(
            resolve_string("${aws:TagKeys}", &c),
            Err(Unresolved),
            "multivalued"
        );
        assert_eq!(resolve_string("${aws:TagKeys, 'd'}", &c), Err(Unresolved));
    }

    #[test]
    fn substituted_values_are_not_wildcards() {
        let c = ctx();
        assert_eq!(pieces("${weird}", &c).unwrap(), [Piece::Literal("a*b?")]);
    }

    #[test]
    fn malformed_references_are_text() {
        let c = ctx();
        assert_eq!(resolve_string("a${b", &c).unwrap(), "a${b");
        assert_eq!(resolve_string("${}", &c).unwrap(), "${}");
        assert_eq!(resolve_string("${x, nope}", &c).unwrap(), "${x, nope}");
        assert_eq!(resolve_string("$$", &c).unwrap(), "$$");
        assert_eq!(
            pieces("${a, 'b' x}", &c).unwrap(),
            [Piece::Glob("${a, 'b' x}")]
        );
        assert!(!has_variables("plain * text"));
        assert!(has_variables("x${y}"));
    }
}
