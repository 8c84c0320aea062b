//! From JSON values to the policy AST, reporting what IAM's grammar rejects: a non-object root,
//! duplicate keys, unknown elements, elements of the wrong JSON type, conflicting elements.
//! Lowering never stops at the first problem: it keeps what it can read so the validator can
//! look at the rest.

use std::collections::HashSet;

use super::ast::*;
use super::finding::{Finding, hint};
use super::json::{self, Kind, Span, Value};
use super::operator::Operator;

pub const TOP_LEVEL_KEYS: [&str; 3] = ["Version", "Id", "Statement"];
pub const STATEMENT_KEYS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// A policy read from text: the AST when the text is JSON, and every structural finding.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub policy: Option<Policy>,
    pub findings: Vec<Finding>,
}

pub fn parse_policy(text: &str) -> Parsed {
    match json::parse(text) {
        Ok(mut value) => {
            // The statements' JSON is freed as each is lowered: a large document is not held
            // twice, as JSON and as AST.
            let statements = take_statements(&mut value);
            let mut findings = Vec::new();
            let policy = lower(&value, statements, &mut findings);
            Parsed { policy, findings }
        }
        Err(e) => Parsed {
            policy: None,
            findings: vec![Finding::error("json-syntax", e.span, e.message)],
        },
    }
}

/// Lowers a JSON value that is a policy document. `None` when the root is not an object.
pub fn lower_policy(value: &Value, findings: &mut Vec<Finding>) -> Option<Policy> {
    lower(value, None, findings)
}

/// Moves the items out of the first `Statement` array, leaving it empty.
fn take_statements(value: &mut Value) -> Option<Vec<Value>> {
    let Kind::Object(entries) = &mut value.kind else {
        return None;
    };
    let (_, statement) = entries.iter_mut().find(|(k, _)| k.text == "Statement")?;
    match &mut statement.kind {
        Kind::Array(items) => Some(std::mem::take(items)),
        _ => None,
    }
}

/// [`lower_policy`], with the items of the first `Statement` array in `taken` when they were
/// moved out of `value`.
fn lower(
    value: &Value,
    mut taken: Option<Vec<Value>>,
    findings: &mut Vec<Finding>,
) -> Option<Policy> {
    let Some(entries) = value.as_object() else {
        findings.push(Finding::error(
            "root-not-object",
            value.span,
            format!("a policy must be a JSON object, not {}", value.type_name()),
        ));
        return None;
    };
    report_duplicates(entries, findings);
    let mut policy = Policy {
        span: value.span,
        ..Policy::default()
    };
    for (key, v) in entries {
        match key.text.as_str() {
            "Version" => {
                if policy.version.is_none() {
                    policy.version = string_of(v, "Version", findings);
                }
            }
            "Id" => {
                if policy.id.is_none() {
                    policy.id = string_of(v, "Id", findings);
                }
            }
            "Statement" => {
                if policy.statement_span.is_some() {
                    continue; // duplicate already reported
                }
                policy.statement_span = Some(v.span);
                policy.statement_key_span = Some(key.span);
                match &v.kind {
                    Kind::Object(_) => {
                        if let Some(s) = lower_statement(0, v, findings) {
                            policy.statements.push(s);
                        }
                    }
                    Kind::Array(items) => {
                        // The items moved out of this array, if they were, else its own.
                        let owned = taken.take();
                        let statements = &mut policy.statements;
                        statements.reserve_exact(owned.as_ref().map_or(items.len(), Vec::len));
                        let mut lower_one = |i, item: &Value| {
                            statements.extend(lower_statement(i, item, findings));
                        };
                        match owned {
                            // Each item is dropped once lowered.
                            Some(owned) => owned
                                .into_iter()
                                .enumerate()
                                .for_each(|(i, item)| lower_one(i, &item)),
                            None => items
                                .iter()
                                .enumerate()
                                .for_each(|(i, item)| lower_one(i, item)),
                        }
                    }
                    _ => findings.push(wrong_type(
                        v,
                        "Statement",
                        "a statement object or an array of them",
                    )),
                }
            }
            other => findings.push(unknown_key(key.span, other, &TOP_LEVEL_KEYS, "top-level")),
        }
    }
    Some(policy)
}

fn unknown_key(span: Span, key: &str, known: &[&str], level: &str) -> Finding {
    let code = if level == "top-level" {
        "unknown-top-level-key"
    } else {
        "unknown-statement-key"
    };
    let hint = hint(key, known.iter().copied());
    Finding::error(
        code,
        span,
        format!("`{key}` is not a {level} policy element{hint}"),
    )
}

fn wrong_type(v: &Value, element: &str, expected: &str) -> Finding {
    Finding::error(
        "invalid-element-type",
        v.span,
        format!("`{element}` must be {expected}, not {}", v.type_name()),
    )
}

/// Objects up to this size are checked for duplicates by comparing each key with those before
/// it; larger ones with a set, as comparing every pair is quadratic.
const SCAN_KEYS: usize = 16;

fn report_duplicates(entries: &[(json::Key, Value)], findings: &mut Vec<Finding>) {
    let mut seen: HashSet<&str> = HashSet::new();
    for (i, (k, _)) in entries.iter().enumerate() {
        let repeated = if entries.len() <= SCAN_KEYS {
            entries[..i].iter().any(|(p, _)| p.text == k.text)
        } else {
            !seen.insert(&k.text)
        };
        if repeated {
            findings.push(Finding::error(
                "duplicate-key",
                k.span,
                format!(
                    "duplicate key `{}`: IAM rejects the document (a JSON reader would keep only the last one)",
                    k.text
                ),
            ));
        }
    }
}

fn string_of(v: &Value, element: &str, findings: &mut Vec<Finding>) -> Option<Spanned<String>> {
    match v.as_str() {
        Some(s) => Some(Spanned::new(s.to_string(), v.span)),
        None => {
            findings.push(wrong_type(v, element, "a string"));
            None
        }
    }
}

fn lower_statement(index: usize, v: &Value, findings: &mut Vec<Finding>) -> Option<Statement> {
    let Some(entries) = v.as_object() else {
        findings.push(wrong_type(v, "Statement", "an object"));
        return None;
    };
    report_duplicates(entries, findings);
    let mut st = Statement {
        index,
        span: v.span,
        ..Statement::default()
    };
    let mut effect_seen = false;
    for (key, val) in entries {
        let name = key.text.as_str();
        match name {
            "Sid" => {
                if st.sid.is_none() {
                    st.sid = string_of(val, "Sid", findings);
                }
            }
            "Effect" => {
                if effect_seen {
                    continue;
                }
                effect_seen = true;
                match val.as_str() {
                    Some("Allow") => st.effect = Some(Spanned::new(Effect::Allow, val.span)),
                    Some("Deny") => st.effect = Some(Spanned::new(Effect::Deny, val.span)),
                    Some(other) => {
                        let hint = hint(other, ["Allow", "Deny"]);
                        findings.push(Finding::error(
                            "invalid-effect",
                            val.span,
                            format!("Effect must be `Allow` or `Deny`, not `{other}`{hint}"),
                        ));
                    }
                    None => findings.push(wrong_type(val, "Effect", "`Allow` or `Deny`")),
                }
            }
            "Action" | "NotAction" => {
                lower_list(&mut st.action, name, "Action", key.span, val, findings);
            }
            "Resource" | "NotResource" => {
                lower_list(&mut st.resource, name, "Resource", key.span, val, findings);
            }
            "Principal" | "NotPrincipal" => {
                let negated = name == "NotPrincipal";
                if let Some(existing) = &st.principal {
                    if existing.negated != negated {
                        findings.push(Finding::error(
                            "principal-and-notprincipal",
                            key.span,
                            "a statement cannot have both `Principal` and `NotPrincipal`",
                        ));
                    }
                    continue;
                }
                st.principal = lower_principal(negated, key.span, val, findings);
            }
            "Condition" => {
                if st.condition.is_none() {
                    st.condition = lower_condition(key.span, val, findings);
                }
            }
            other => findings.push(unknown_key(key.span, other, &STATEMENT_KEYS, "statement")),
        }
    }
    if !effect_seen {
        findings.push(Finding::error(
            "missing-effect",
            first_line(v.span),
            "the statement has no `Effect` (`Allow` or `Deny`)",
        ));
    }
    Some(st)
}

/// A span for "the statement as a whole" findings: its opening brace, so the editor marks one
/// line rather than the whole block.
fn first_line(span: Span) -> Span {
    Span::new(span.start, span.start + 1)
}

fn lower_list(
    slot: &mut Option<ListClause>,
    name: &str,
    positive: &str,
    key_span: Span,
    val: &Value,
    findings: &mut Vec<Finding>,
) {
    let negated = name != positive;
    if let Some(existing) = slot {
        if existing.negated != negated {
            findings.push(Finding::error(
                if positive == "Action" {
                    "action-and-notaction"
                } else {
                    "resource-and-notresource"
                },
                key_span,
                format!("a statement cannot have both `{positive}` and `Not{positive}`"),
            ));
        }
        return;
    }
    let (items, is_array) = match &val.kind {
        Kind::String(s) => (vec![Spanned::new(s.clone(), val.span)], false),
        Kind::Array(arr) => {
            let mut items = Vec::with_capacity(arr.len());
            for item in arr {
                match item.as_str() {
                    Some(s) => items.push(Spanned::new(s.to_string(), item.span)),
                    None => findings.push(wrong_type(item, name, "a string")),
                }
            }
            (items, true)
        }
        _ => {
            findings.push(wrong_type(val, name, "a string or an array of strings"));
            return;
        }
    };
    *slot = Some(ListClause {
        negated,
        items,
        is_array,
        key_span,
        span: val.span,
    });
}

fn lower_principal(
    negated: bool,
    key_span: Span,
    val: &Value,
    findings: &mut Vec<Finding>,
) -> Option<PrincipalClause> {
    let element = if negated { "NotPrincipal" } else { "Principal" };
    let value = match &val.kind {
        Kind::String(s) if s == "*" => PrincipalValue::Any,
        Kind::String(s) => {
            findings.push(Finding::error(
                "invalid-principal",
                val.span,
                format!(
                    "`{element}` as a string must be \"*\"; write `{{\"AWS\": \"{s}\"}}` for an account or ARN"
                ),
            ));
            return None;
        }
        Kind::Object(entries) => {
            report_duplicates(entries, findings);
            let mut out = Vec::new();
            for (k, v) in entries {
                let Some(kind) = PrincipalType::from_name(&k.text) else {
                    let hint = hint(&k.text, PrincipalType::ALL.map(PrincipalType::name));
                    findings.push(Finding::error(
                        "unknown-principal-type",
                        k.span,
                        format!(
                            "`{}` is not a principal type (AWS, Service, Federated, CanonicalUser){hint}",
                            k.text
                        ),
                    ));
                    continue;
                };
                let (values, is_array) = match &v.kind {
                    Kind::String(s) => (vec![Spanned::new(s.clone(), v.span)], false),
                    Kind::Array(arr) => (
                        arr.iter()
                            .filter_map(|item| match item.as_str() {
                                Some(s) => Some(Spanned::new(s.to_string(), item.span)),
                                None => {
                                    findings.push(wrong_type(item, kind.name(), "a string"));
                                    None
                                }
                            })
                            .collect(),
                        true,
                    ),
                    _ => {
                        findings.push(wrong_type(
                            v,
                            kind.name(),
                            "a string or an array of strings",
                        ));
                        continue;
                    }
                };
                out.push(PrincipalEntry {
                    kind,
                    kind_span: k.span,
                    values,
                    is_array,
                    span: k.span.join(v.span),
                });
            }
            PrincipalValue::Map(out)
        }
        _ => {
            findings.push(wrong_type(val, element, "\"*\" or an object"));
            return None;
        }
    };
    Some(PrincipalClause {
        negated,
        value,
        key_span,
        span: val.span,
    })
}

fn lower_condition(
    key_span: Span,
    val: &Value,
    findings: &mut Vec<Finding>,
) -> Option<ConditionBlock> {
    let Some(ops) = val.as_object() else {
        findings.push(wrong_type(val, "Condition", "an object of operators"));
        return None;
    };
    report_duplicates(ops, findings);
    let mut clauses = Vec::new();
    for (op_key, keys) in ops {
        let operator = Operator::parse(&op_key.text);
        let Some(entries) = keys.as_object() else {
            findings.push(wrong_type(
                keys,
                &op_key.text,
                "an object of condition keys and values",
            ));
            continue;
        };
        report_duplicates(entries, findings);
        for (cond_key, values) in entries {
            let (vals, is_array) = match &values.kind {
                Kind::Array(arr) => (
                    arr.iter()
                        .filter_map(|v| scalar(v, &cond_key.text, findings))
                        .collect(),
                    true,
                ),
                _ => (
                    scalar(values, &cond_key.text, findings)
                        .into_iter()
                        .collect(),
                    false,
                ),
            };
            clauses.push(ConditionClause {
                operator,
                operator_name: Spanned::new(op_key.text.clone(), op_key.span),
                key: Spanned::new(cond_key.text.clone(), cond_key.span),
                values: vals,
                is_array,
                values_span: values.span,
            });
        }
    }
    Some(ConditionBlock {
        clauses,
        key_span,
        span: val.span,
    })
}

fn scalar(v: &Value, key: &str, findings: &mut Vec<Finding>) -> Option<ConditionValue> {
    let (text, written_as) = match &v.kind {
        Kind::String(s) => (s.clone(), ValueType::String),
        Kind::Number(n) => (n.clone(), ValueType::Number),
        Kind::Bool(b) => (b.to_string(), ValueType::Bool),
        _ => {
            findings.push(wrong_type(v, key, "a string, number or boolean"));
            return None;
        }
    };
    Some(ConditionValue {
        text,
        written_as,
        span: v.span,
    })
}
