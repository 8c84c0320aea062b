//! Pretty-printing a policy the way the AWS console shows one: four-space indentation, one
//! array element per line, and IAM's customary key order (`Version`, `Id`, `Statement` at the
//! top; `Sid`, `Effect`, `Principal`, `NotPrincipal`, `Action`, `NotAction`, `Resource`,
//! `NotResource`, `Condition` in a statement). Every value is kept as written: numbers keep
//! their text, duplicate keys stay, a one-element array stays an array. Keys the order does not
//! name follow in their written order, and everything below a statement's keys (Condition
//! blocks, Principal maps) keeps its order, since people order those on purpose.

use std::fmt::Write;

use super::json::{Key, Kind, Value, parse};
use super::lower::{STATEMENT_KEYS, TOP_LEVEL_KEYS};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at byte {offset})")]
pub struct FormatError {
    pub message: String,
    pub offset: usize,
}

/// The formatted document, ending with a newline.
pub fn format_policy(text: &str) -> Result<String, FormatError> {
    let value = parse_json(text)?;
    let mut out = String::with_capacity(text.len() * 2);
    write_value(&mut out, &value, 0, Level::Top, true);
    out.push('\n');
    Ok(out)
}

/// The same document on one line, with no whitespace outside strings (for a one-line field
/// such as the assume dialog's session policy), in the same key order.
pub fn compact_policy(text: &str) -> Result<String, FormatError> {
    let value = parse_json(text)?;
    let mut out = String::with_capacity(text.len());
    write_value(&mut out, &value, 0, Level::Top, false);
    Ok(out)
}

/// A document for reading (the console's detail panes and overlays): formatted as above when
/// it is JSON, as given otherwise. Pretty-printing through `serde_json::Value` instead would
/// sort every object's keys (its map is a BTreeMap without the `preserve_order` feature) and
/// show `Action` before `Effect`; this parser keeps the written order.
pub fn pretty(text: &str) -> String {
    match format_policy(text) {
        Ok(mut f) => {
            f.truncate(f.trim_end_matches('\n').len());
            f
        }
        Err(_) => text.to_string(),
    }
}

fn parse_json(text: &str) -> Result<Value, FormatError> {
    parse(text).map_err(|e| FormatError {
        message: e.message,
        offset: e.span.start,
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Top,
    /// The value of the top-level `Statement`: an object, or an array of them.
    Statements,
    Statement,
    Other,
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("    ");
    }
}

/// Entries in the order the level prefers; stable for the rest.
fn ordered<'a>(entries: &'a [(Key, Value)], order: &[&str]) -> Vec<&'a (Key, Value)> {
    let rank = |k: &str| order.iter().position(|o| *o == k).unwrap_or(order.len());
    let mut v: Vec<&(Key, Value)> = entries.iter().collect();
    v.sort_by_key(|(k, _)| rank(&k.text));
    v
}

fn write_value(out: &mut String, v: &Value, depth: usize, level: Level, pretty: bool) {
    let newline = |out: &mut String, depth: usize| {
        if pretty {
            out.push('\n');
            indent(out, depth);
        }
    };
    match &v.kind {
        Kind::Null => out.push_str("null"),
        Kind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Kind::Number(n) => out.push_str(n),
        Kind::String(s) => write_string(out, s),
        Kind::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            let inner = if level == Level::Statements {
                Level::Statement
            } else {
                Level::Other
            };
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                newline(out, depth + 1);
                write_value(out, item, depth + 1, inner, pretty);
                if i + 1 < items.len() {
                    out.push(',');
                }
            }
            newline(out, depth);
            out.push(']');
        }
        Kind::Object(entries) => {
            if entries.is_empty() {
                out.push_str("{}");
                return;
            }
            let (entries, statement_level) = match level {
                Level::Top => (ordered(entries, &TOP_LEVEL_KEYS), true),
                Level::Statements | Level::Statement => (ordered(entries, &STATEMENT_KEYS), false),
                Level::Other => (entries.iter().collect(), false),
            };
            out.push('{');
            let n = entries.len();
            for (i, (k, value)) in entries.into_iter().enumerate() {
                newline(out, depth + 1);
                write_string(out, &k.text);
                out.push_str(if pretty { ": " } else { ":" });
                let child = if statement_level && k.text == "Statement" {
                    Level::Statements
                } else {
                    Level::Other
                };
                write_value(out, value, depth + 1, child, pretty);
                if i + 1 < n {
                    out.push(',');
                }
            }
            newline(out, depth);
            out.push('}');
        }
    }
}

/// A JSON string literal: quotes, backslashes and control characters escaped, the rest
/// (non-ASCII included) as is.
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse_policy;

    /// What the policy means, without spans: the JSON value tree.
    fn meaning(text: &str) -> serde_json::Value {
        fn strip(v: &Value) -> serde_json::Value {
            match &v.kind {
                Kind::Null => serde_json::Value::Null,
                Kind::Bool(b) => (*b).into(),
                Kind::Number(n) => serde_json::Value::String(format!("#{n}")),
                Kind::String(s) => s.clone().into(),
                Kind::Array(a) => a.iter().map(strip).collect(),
                // Sorted pairs: order is the only thing the formatter may change.
                Kind::Object(o) => {
                    let mut pairs: Vec<serde_json::Value> = o
                        .iter()
                        .map(|(k, v)| serde_json::json!([k.text, strip(v)]))
                        .collect();
                    pairs.sort_by_key(|p| p.to_string());
                    serde_json::Value::Array(pairs)
                }
            }
        }
        strip(&parse(text).unwrap())
    }

    #[test]
    fn iam_key_order_and_console_layout() {
        let text = r#"{"Statement":[{"Resource":"*","Action":["s3:GetObject"],"Effect":"Allow","Sid":"A","Condition":{"StringEquals":{"b":"1","a":"2"}}}],"Version":"2012-10-17"}"#;
        let f = format_policy(text).unwrap();
        assert_eq!(
            f,
            r#"{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "A",
            "Effect": "Allow",
            "Action": [
                "s3:GetObject"
            ],
            "Resource": "*",
            "Condition": {
                "StringEquals": {
                    "b": "1",
                    "a": "2"
                }
            }
        }
    ]
}
"#
        );
    }

    #[test]
    fn values_are_kept_and_formatting_is_idempotent() {
        let odd = [
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":"iam:*","Resource":[],"Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":1e3}}}}"#,
            "{ \"Statement\" : [ ] , \"Id\":\"x\\\"y\\\\z\\u0001é✓\" , \"Version\" : \"2008-10-17\", \"Extra\": {}, \"Flag\": [true, null, -0.50] }",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:b","Action":"c:d","Resource":"*"}]}"#,
        ];
        for text in odd {
            let f = format_policy(text).unwrap();
            assert_eq!(format_policy(&f).unwrap(), f, "{f}");
            assert_eq!(meaning(&f), meaning(text), "{f}");
        }
    }

    #[test]
    fn every_corpus_policy_formats_to_the_same_policy() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/policy-cases");
        let mut checked = 0;
        let mut stack = vec![std::path::PathBuf::from(dir)];
        while let Some(p) = stack.pop() {
            if p.is_dir() {
                stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
                continue;
            };
            // Policies are embedded in the case files as objects with a Statement.
            let mut docs = Vec::new();
            collect_policies(&v, &mut docs);
            for doc in docs {
                let f = format_policy(&doc).unwrap();
                assert_eq!(format_policy(&f).unwrap(), f);
                let a = parse_policy(&doc).policy.map(|p| p.statements.len());
                let b = parse_policy(&f).policy.map(|p| p.statements.len());
                assert_eq!(a, b, "{doc}");
                assert_eq!(meaning(&f), meaning(&doc));
                checked += 1;
            }
        }
        assert!(checked > 100, "only {checked} policies found in {dir}");
    }

    fn collect_policies(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(o) if o.contains_key("Statement") => out.push(v.to_string()),
            serde_json::Value::Object(o) => o.values().for_each(|v| collect_policies(v, out)),
            serde_json::Value::Array(a) => a.iter().for_each(|v| collect_policies(v, out)),
            serde_json::Value::String(s) if s.trim_start().starts_with('{') => {
                if let Ok(inner) = serde_json::from_str::<serde_json::Value>(s) {
                    collect_policies(&inner, out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn compact_is_one_line_in_the_same_order() {
        let text = "{\n  \"Statement\": [ {\"Effect\": \"Allow\", \"Sid\": \"a b\"} ],\n  \"Version\": \"2012-10-17\"\n}";
        let c = compact_policy(text).unwrap();
        assert_eq!(
            c,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"a b","Effect":"Allow"}]}"#
        );
        assert_eq!(meaning(&c), meaning(text));
        assert_eq!(format_policy(&c).unwrap(), format_policy(text).unwrap());
    }

    #[test]
    fn pretty_keeps_iams_order_and_leaves_other_text_alone() {
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Sid":"T","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com","AWS":"*"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#;
        let p = pretty(trust);
        let at = |k: &str| p.find(&format!("\"{k}\"")).unwrap();
        let order = [
            "Version",
            "Statement",
            "Sid",
            "Effect",
            "Principal",
            "Action",
            "Condition",
        ];
        assert!(order.windows(2).all(|w| at(w[0]) < at(w[1])), "{p}");
        // Below the statement's keys, the written order.
        assert!(at("Service") < at("AWS"), "{p}");
        assert!(!p.ends_with('\n'));
        // Any JSON keeps its own order; what is not JSON is shown as it is.
        assert_eq!(
            pretty(r#"{"b":1,"a":2}"#),
            "{\n    \"b\": 1,\n    \"a\": 2\n}"
        );
        assert_eq!(pretty("not json {"), "not json {");
    }

    #[test]
    fn not_json_is_an_error_with_its_offset() {
        let e = format_policy("{\"Version\": }").unwrap_err();
        assert_eq!(e.offset, 12, "{e}");
    }
}
