//! Completion for a policy as it is typed. The text is usually not valid JSON at that moment
//! (an unclosed string, a missing comma), so the place is found by a tolerant scan of the text
//! before the cursor: the stack of enclosing objects and arrays, the key each value sits under,
//! and the string literal the cursor is in. From that place the catalog offers action names,
//! condition operators and keys, ARNs, and the policy grammar's own keys and values.

use super::catalog::catalog;
use super::json::Span;
use super::operator::Operator;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub text: String,
    /// Why it is offered: an access level, a key type, a resource type.
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The bytes of the string literal's content to replace (the word around the cursor).
    pub replace: Span,
    pub items: Vec<Candidate>,
}

/// At most this many candidates (a popup shows a page of them anyway).
pub const MAX_ITEMS: usize = 200;

#[derive(Debug, Clone)]
struct Frame {
    object: bool,
    /// Object: the last key read (the one whose value follows).
    key: Option<String>,
    /// Object: expecting a key (after `{` or `,`), not a value.
    expect_key: bool,
    /// Keys seen in this object so far.
    keys: Vec<String>,
    /// Byte offset of the `{` or `[`.
    start: usize,
}

/// The string literal the cursor is in, and where it sits.
struct Place {
    frames: Vec<Frame>,
    /// Content start (after the opening quote).
    start: usize,
    is_key: bool,
}

/// Scans `text[..cursor]`; `None` when the cursor is not inside a string literal.
fn place(text: &str, cursor: usize) -> Option<Place> {
    let bytes = text.as_bytes();
    let cursor = cursor.min(text.len());
    let mut frames: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < cursor {
        match bytes[i] {
            b'{' | b'[' => {
                frames.push(Frame {
                    object: bytes[i] == b'{',
                    key: None,
                    expect_key: bytes[i] == b'{',
                    keys: Vec::new(),
                    start: i,
                });
                i += 1;
            }
            b'}' | b']' => {
                frames.pop();
                i += 1;
            }
            b':' => {
                if let Some(f) = frames.last_mut().filter(|f| f.object) {
                    f.expect_key = false;
                }
                i += 1;
            }
            b',' => {
                if let Some(f) = frames.last_mut().filter(|f| f.object) {
                    f.expect_key = true;
                }
                i += 1;
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                let mut closed = None;
                while j < bytes.len() {
                    match bytes[j] {
                        b'\\' => j += 2,
                        b'"' => {
                            closed = Some(j);
                            break;
                        }
                        // A string never spans lines in a policy; an unclosed one ends there.
                        b'\n' => break,
                        _ => j += 1,
                    }
                }
                let is_key = frames.last().is_some_and(|f| f.object && f.expect_key);
                match closed {
                    Some(end) if end < cursor => {
                        if is_key && let Some(f) = frames.last_mut() {
                            let k = text[start..end].to_string();
                            f.keys.push(k.clone());
                            f.key = Some(k);
                        }
                        i = end + 1;
                    }
                    _ if j >= cursor || closed.is_some() => {
                        return Some(Place {
                            frames,
                            start,
                            is_key,
                        });
                    }
                    // Unclosed before the end of its line, and the cursor is further on.
                    _ => i = j,
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// The keys leading to the innermost frame: the key of each object that holds the next frame
/// (arrays are transparent), so `["Statement", "Condition"]` inside a statement's Condition.
fn path(frames: &[Frame]) -> Vec<&str> {
    let mut out = Vec::new();
    for (i, f) in frames.iter().enumerate() {
        if f.object && i + 1 < frames.len() {
            out.push(f.key.as_deref().unwrap_or(""));
        }
    }
    out
}

pub fn complete(text: &str, cursor: usize, resources: &[String]) -> Option<Completion> {
    let cursor = text.floor_char_boundary(cursor.min(text.len()));
    let p = place(text, cursor)?;
    let typed = &text[p.start..cursor];
    // The rest of the word after the cursor is replaced too.
    let rest = text[cursor..]
        .find(['"', '\n'])
        .map_or(text.len(), |n| cursor + n);
    let replace = Span::new(p.start, rest);
    let keys = path(&p.frames);
    let top = p.frames.last()?;
    let in_statement = keys.first() == Some(&"Statement");
    let statement = in_statement.then(|| statement_frame(&p.frames)).flatten();
    let mut items = if p.is_key {
        match keys.as_slice() {
            [] => grammar(&["Version", "Id", "Statement"], &top.keys, "policy element"),
            ["Statement"] => grammar(
                &[
                    "Sid",
                    "Effect",
                    "Principal",
                    "NotPrincipal",
                    "Action",
                    "NotAction",
                    "Resource",
                    "NotResource",
                    "Condition",
                ],
                &top.keys,
                "statement element",
            ),
            ["Statement", "Principal" | "NotPrincipal"] => grammar(
                &["AWS", "Service", "Federated", "CanonicalUser"],
                &top.keys,
                "principal type",
            ),
            ["Statement", "Condition"] => operators(),
            ["Statement", "Condition", _] => {
                condition_keys(&statement.map(|s| actions_of(text, s)).unwrap_or_default())
            }
            _ => return None,
        }
    } else {
        let key = if top.object {
            top.key.as_deref()
        } else {
            keys.last().copied()
        };
        let depth_ok = |n: usize| keys.len() + usize::from(top.object) == n;
        match key {
            Some("Action" | "NotAction") if in_statement => actions(typed),
            Some("Resource" | "NotResource") if in_statement => arns(
                typed,
                resources,
                &statement.map(|s| actions_of(text, s)).unwrap_or_default(),
            ),
            Some("Effect") if in_statement => values(&["Allow", "Deny"], "effect"),
            Some("Version") if depth_ok(1) => values(&["2012-10-17", "2008-10-17"], "version"),
            _ => return None,
        }
    };
    let lower = typed.to_ascii_lowercase();
    items.retain(|c| c.text.to_ascii_lowercase().starts_with(&lower));
    items.sort_by(|a, b| {
        a.text
            .to_ascii_lowercase()
            .cmp(&b.text.to_ascii_lowercase())
    });
    items.dedup_by(|a, b| a.text == b.text);
    items.truncate(MAX_ITEMS);
    Some(Completion { replace, items })
}

fn grammar(names: &[&str], present: &[String], detail: &str) -> Vec<Candidate> {
    names
        .iter()
        .filter(|n| !present.iter().any(|p| p == *n))
        .map(|n| Candidate {
            text: n.to_string(),
            detail: detail.into(),
        })
        .collect()
}

fn values(names: &[&str], detail: &str) -> Vec<Candidate> {
    grammar(names, &[], detail)
}

fn operators() -> Vec<Candidate> {
    Operator::all_names()
        .map(|n| Candidate {
            text: n,
            detail: "condition operator".into(),
        })
        .collect()
}

/// Service prefixes until a colon is typed, then that service's actions.
fn actions(typed: &str) -> Vec<Candidate> {
    let c = catalog();
    match typed.split_once(':') {
        None => c
            .services()
            .map(|s| Candidate {
                text: format!("{}:", s.prefix),
                detail: s.name.to_string(),
            })
            .collect(),
        Some((prefix, _)) => {
            let Some(service) = c.service(prefix) else {
                return Vec::new();
            };
            service
                .actions
                .iter()
                .map(|a| Candidate {
                    text: format!("{}:{}", service.prefix, a.name),
                    detail: a.access_level.as_str().to_string(),
                })
                .collect()
        }
    }
}

/// The account's own ARNs, then the ARN formats of the resource types the statement's actions
/// act on.
fn arns(typed: &str, resources: &[String], actions: &[String]) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = resources
        .iter()
        .filter(|r| r.starts_with(typed))
        .map(|r| Candidate {
            text: r.clone(),
            detail: "in this account".into(),
        })
        .collect();
    for a in actions {
        let Some(action) = catalog().action(a) else {
            continue;
        };
        for rt in action.resource_types() {
            for f in rt.resource_type.arn_formats() {
                out.push(Candidate {
                    text: f.to_string(),
                    detail: format!("{} of {}", rt.name(), action.prefix()),
                });
            }
        }
    }
    out
}

/// The statement's own condition keys first (those its actions support), then the global ones.
fn condition_keys(actions: &[String]) -> Vec<Candidate> {
    let c = catalog();
    let mut out = Vec::new();
    for a in actions {
        if let Some(action) = c.action(a) {
            for k in action.all_condition_keys() {
                out.push(Candidate {
                    text: k.name.to_string(),
                    detail: format!("{} ({})", k.ty.as_str(), action.full_name()),
                });
            }
        }
    }
    for k in c.global_condition_keys() {
        out.push(Candidate {
            text: k.name.to_string(),
            detail: format!("{} (global)", k.ty.as_str()),
        });
    }
    out
}

/// The frame of the statement object the place is in.
fn statement_frame(frames: &[Frame]) -> Option<&Frame> {
    // The root object, then (through an optional array) the statement object.
    frames.iter().skip(1).find(|f| f.object)
}

/// The action names written in the statement starting at `frame.start`, before or after the
/// cursor: a light scan of its `"Action": …` value.
fn actions_of(text: &str, frame: &Frame) -> Vec<String> {
    let body = &text[frame.start..];
    let mut out = Vec::new();
    let Some(at) = body.find("\"Action\"") else {
        return out;
    };
    let after = &body[at + "\"Action\"".len()..];
    let Some(colon) = after.find(':') else {
        return out;
    };
    let value = after[colon + 1..].trim_start();
    let value = if value.starts_with('[') {
        &value[..value.find(']').unwrap_or(value.len())]
    } else {
        &value[..value[1.min(value.len())..]
            .find('"')
            .map_or(value.len(), |n| n + 2)
            .min(value.len())]
    };
    for s in value.split('"').skip(1).step_by(2) {
        if s.contains(':') && !s.contains(['*', '?']) {
            out.push(s.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Completion at the end of `text`.
    fn at_end(text: &str) -> Option<Completion> {
        complete(text, text.len(), &[])
    }

    fn texts(c: &Completion) -> Vec<&str> {
        c.items.iter().map(|i| i.text.as_str()).collect()
    }

    #[test]
    fn actions_in_an_unfinished_document() {
        let text =
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObj"#;
        let c = at_end(text).unwrap();
        let t = texts(&c);
        assert!(t.contains(&"s3:GetObject"), "{t:?}");
        assert!(
            t.iter()
                .all(|a| a.to_ascii_lowercase().starts_with("s3:getobj"))
        );
        assert_eq!(&text[c.replace.start..c.replace.end], "s3:GetObj");
        // No colon yet: service prefixes.
        let c = at_end(r#"{"Statement": {"Action": "ec"#).unwrap();
        assert!(texts(&c).contains(&"ec2:"), "{:?}", texts(&c));
    }

    #[test]
    fn keys_effect_version_and_principal_types() {
        let c = at_end(r#"{"Statement": [{"Effect": "Allow", ""#).unwrap();
        let t = texts(&c);
        assert!(t.contains(&"Action") && t.contains(&"Sid"), "{t:?}");
        assert!(
            !t.contains(&"Effect"),
            "present keys are not offered: {t:?}"
        );
        assert_eq!(
            texts(&at_end(r#"{"Statement": [{"Effect": "D"#).unwrap()),
            ["Deny"]
        );
        assert_eq!(
            texts(&at_end(r#"{"Version": ""#).unwrap()),
            ["2008-10-17", "2012-10-17"]
        );
        assert_eq!(texts(&at_end(r#"{"V"#).unwrap()), ["Version"]);
        let c = at_end(r#"{"Statement": {"Principal": {"S"#).unwrap();
        assert_eq!(texts(&c), ["Service"]);
    }

    #[test]
    fn condition_operators_and_the_statements_keys_first() {
        let c = at_end(r#"{"Statement": {"Condition": {"StringEq"#).unwrap();
        let t = texts(&c);
        assert!(
            t.contains(&"StringEquals") && t.contains(&"StringEqualsIfExists"),
            "{t:?}"
        );
        // Keys: the statement's action (written after the cursor too) brings s3's keys.
        let text = r#"{"Statement": {"Condition": {"StringEquals": {"s3:x"#;
        let full = format!(r#"{text}": "1"}}}}, "Action": "s3:GetObject"}}}}"#);
        let c = complete(&full, text.len() - 1, &[]).unwrap();
        let t = texts(&c);
        assert!(t.iter().any(|k| k.starts_with("s3:")), "{t:?}");
        let c = at_end(r#"{"Statement": {"Condition": {"Bool": {"aws:MultiFactorAuthP"#).unwrap();
        assert_eq!(texts(&c), ["aws:MultiFactorAuthPresent"]);
    }

    #[test]
    fn resources_offer_the_accounts_arns_and_the_actions_formats() {
        let own = vec![
            "arn:aws:iam::123456789012:role/Deployer".to_string(),
            "arn:aws:iam::123456789012:user/alice".to_string(),
        ];
        let text =
            r#"{"Statement": {"Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:r"#;
        let c = complete(text, text.len(), &own).unwrap();
        assert_eq!(texts(&c), ["arn:aws:iam::123456789012:role/Deployer"]);
        let text = r#"{"Statement": {"Action": "iam:PassRole", "Resource": "arn"#;
        let c = complete(text, text.len(), &own).unwrap();
        assert!(
            c.items
                .iter()
                .any(|i| i.text.contains(":role/") && i.detail.contains("role")),
            "{:?}",
            c.items
        );
    }

    #[test]
    fn outside_strings_or_known_places_there_is_nothing() {
        assert!(at_end(r#"{"Statement": [{"Effect": "Allow", "#).is_none());
        assert!(at_end(r#"{"Statement": {"Sid": "x"#).is_none());
        assert!(at_end("").is_none());
        // Multi-byte text before the cursor, and a cursor inside a word.
        let text = r#"{"Id": "é✓", "Statement": {"Action": "s3:GetObjectX"}}"#;
        let at = text.find("Object").unwrap();
        let c = complete(text, at, &[]).unwrap();
        assert_eq!(&text[c.replace.start..c.replace.end], "s3:GetObjectX");
        assert!(texts(&c).contains(&"s3:GetObject"));
    }
}
