//! Completion for a policy being typed.
//!
//! A document being edited is rarely valid JSON (an unclosed string, a missing comma), so this
//! does not use the strict parser: a tolerant scanner walks the text, keeping a stack of open
//! objects and arrays and the key each value belongs to, and notes where the cursor's string
//! literal sits. The scan goes on past the cursor so that keys and actions written later in the
//! same statement (an `Action` below the `Condition` being edited) count too.
//!
//! Tolerance rules: a string ends at its closing quote or at the end of its line (JSON strings
//! cannot span lines, so an unclosed one is not allowed to swallow the rest of the document); a
//! string where a comma is missing still counts as the next key or element; a `}` or `]` closes
//! the nearest open container of its kind.

use std::collections::HashSet;

use super::catalog::{Catalog, ConditionKey, catalog};
use super::json::Span;
use super::lower::{STATEMENT_KEYS, TOP_LEVEL_KEYS};
use super::operator::{OperandType, Operator, SetQualifier};

/// At most this many candidates are returned; the editor shows a scrolling list.
pub const MAX_ITEMS: usize = 200;

/// What to offer at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The bytes of the partial word inside the string literal: from the opening quote to the
    /// cursor, extended over the rest of the word after the cursor so that completing in the
    /// middle of a word replaces it whole. Quotes are never inside.
    pub replace: Span,
    /// Best first: prefix matches, then other matches, each alphabetical. Empty when the place
    /// is completable but nothing matches.
    pub items: Vec<Candidate>,
    /// Whether the literal has its closing quote on its line; when not, whoever inserts a
    /// candidate adds it (the token being typed is rarely closed yet).
    pub closed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The text to put in place of `replace`, without quotes.
    pub text: String,
    /// A short description: service name, access level, key type, ...
    pub detail: String,
}

/// Completes the string literal the cursor (a byte offset, floored to a character boundary) is
/// in. `resources` are ARNs known in the account, offered under `Resource`. `None` when the
/// cursor is not inside a string literal, or the literal is not one this completes (a `Sid`,
/// a condition value, ...).
pub fn complete(text: &str, cursor: usize, resources: &[String]) -> Option<Completion> {
    let cursor = text.floor_char_boundary(cursor.min(text.len()));
    let scan = Scanner::run(text, cursor);
    let target = scan.target?;
    let typed = &text[target.content_start..cursor];
    let replace = Span::new(target.content_start, word_end(text, cursor));
    let cat = catalog();
    let mut items = Items::default();
    match target.slot {
        Slot::TopKey(obj) => keys(
            &mut items,
            typed,
            &TOP_LEVEL_KEYS,
            &scan.objects[obj].keys,
            &[],
        ),
        Slot::StatementKey(obj) => keys(
            &mut items,
            typed,
            &STATEMENT_KEYS,
            &scan.objects[obj].keys,
            &[
                ("Principal", "NotPrincipal"),
                ("Action", "NotAction"),
                ("Resource", "NotResource"),
            ],
        ),
        Slot::PrincipalKey(obj) => keys(
            &mut items,
            typed,
            &PRINCIPAL_KEYS,
            &scan.objects[obj].keys,
            &[],
        ),
        Slot::Version => items.push(typed, "2012-10-17", 0, || {
            "current policy language (policy variables)".into()
        }),
        Slot::Effect => {
            items.push(typed, "Allow", 0, || {
                "grants what the statement names".into()
            });
            items.push(typed, "Deny", 0, || {
                "refuses it, overriding any Allow".into()
            });
        }
        Slot::Action => actions(&mut items, cat, typed),
        Slot::Resource(stmt) => resource_items(
            &mut items,
            cat,
            typed,
            resources,
            &scan.objects[stmt].actions,
        ),
        Slot::Operator => {
            for name in Operator::all_names() {
                if let Some(rank) = rank(&name, typed) {
                    let detail = Operator::parse(&name).map(describe_operator);
                    items.add(rank, 0, name, detail.unwrap_or_default());
                }
            }
        }
        Slot::ConditionKey(stmt) => {
            condition_keys(&mut items, cat, typed, &scan.objects[stmt].actions)
        }
    }
    let resolve_resource = |arn: &str| {
        let types = cat.resource_types_matching_arn(arn);
        match types.first() {
            Some((prefix, name)) => format!("{prefix} {name} in this account"),
            None => "in this account".to_string(),
        }
    };
    Some(Completion {
        replace,
        items: items.finish(resolve_resource),
        closed: target.closed,
    })
}

const PRINCIPAL_KEYS: [&str; 4] = ["AWS", "Service", "Federated", "CanonicalUser"];

// ---------------------------------------------------------------------------------------------
// The tolerant scanner
// ---------------------------------------------------------------------------------------------

/// What an open container is in the policy grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Root,
    /// The top-level `Statement` array.
    Statements,
    /// A statement object (its index in `Scanner::objects`).
    Statement(usize),
    /// An Action/NotAction array of statement `.0`; `.1` is false for NotAction, whose actions
    /// say nothing about the resources and keys that apply.
    Actions(usize, bool),
    Resources(usize),
    Principal,
    Condition(usize),
    /// An operator's object inside a statement's Condition.
    Operator(usize),
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    Key,
    Colon,
    Value,
    Comma,
}

struct Frame {
    is_object: bool,
    next: Next,
    /// The object's last key: the one the coming value belongs to.
    key: Option<String>,
    role: Role,
    /// Index in `Scanner::objects` (objects only).
    obj: usize,
}

#[derive(Default)]
struct ObjectInfo {
    /// Every key written in the object (before and after the cursor), not the one being typed.
    keys: Vec<String>,
    /// For a statement: the strings of its Action element.
    actions: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    TopKey(usize),
    StatementKey(usize),
    PrincipalKey(usize),
    Version,
    Effect,
    Action,
    Resource(usize),
    Operator,
    ConditionKey(usize),
}

struct Target {
    slot: Slot,
    content_start: usize,
    closed: bool,
}

#[derive(Default)]
struct Scanner {
    stack: Vec<Frame>,
    objects: Vec<ObjectInfo>,
    target: Option<Target>,
}

impl Scanner {
    fn run(text: &str, cursor: usize) -> Self {
        let mut s = Scanner::default();
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut cursor_seen = false;
        while i < bytes.len() {
            match bytes[i] {
                b' ' | b'\t' | b'\n' | b'\r' => i += 1,
                b'"' => {
                    let (end, next) = string_end(bytes, i + 1);
                    s.key_if_colon_follows(bytes, next);
                    let inside = !cursor_seen && i < cursor && cursor <= end;
                    if inside {
                        cursor_seen = true;
                        s.target = s.slot().map(|slot| Target {
                            slot,
                            content_start: i + 1,
                            closed: next == end + 1,
                        });
                        s.consume_string(None);
                    } else {
                        s.consume_string(Some(&text[i + 1..end]));
                    }
                    i = next;
                }
                b'{' | b'[' => {
                    s.open(bytes[i] == b'{');
                    i += 1;
                }
                b'}' | b']' => {
                    let object = bytes[i] == b'}';
                    if let Some(at) = s.stack.iter().rposition(|f| f.is_object == object) {
                        s.stack.truncate(at);
                        s.after_value();
                    }
                    i += 1;
                }
                b':' => {
                    if let Some(f) = s.stack.last_mut().filter(|f| f.is_object) {
                        f.next = Next::Value;
                    }
                    i += 1;
                }
                b',' => {
                    if let Some(f) = s.stack.last_mut() {
                        f.next = if f.is_object { Next::Key } else { Next::Value };
                    }
                    i += 1;
                }
                _ => {
                    // A number, literal or stray word: skip it whole.
                    while i < bytes.len() && !is_delimiter(bytes[i]) {
                        i += 1;
                    }
                    s.after_value();
                }
            }
            // Once the cursor's string is found, only its statement's later keys and actions
            // matter; scanning on to the end is cheap (documents are at most tens of KB).
            if cursor_seen && s.target.is_none() {
                break;
            }
        }
        s
    }

    /// A string followed by a colon where an object expects a colon or a value is the next key:
    /// the key before it has no value yet (just completed, or being written).
    fn key_if_colon_follows(&mut self, bytes: &[u8], after: usize) {
        let colon = bytes[after..]
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b':');
        if let Some(f) = self.stack.last_mut().filter(|f| f.is_object)
            && colon
            && matches!(f.next, Next::Colon | Next::Value)
        {
            f.next = Next::Key;
        }
    }

    /// Whether a string here is a key of the innermost object.
    fn at_key(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|f| f.is_object && matches!(f.next, Next::Key | Next::Comma))
    }

    /// The key the value at this point belongs to (`None` in an array or at the root).
    fn value_key(&self) -> Option<&str> {
        self.stack
            .last()
            .filter(|f| f.is_object)
            .and_then(|f| f.key.as_deref())
    }

    fn slot(&self) -> Option<Slot> {
        let top = self.stack.last()?;
        if self.at_key() {
            return match top.role {
                Role::Root => Some(Slot::TopKey(top.obj)),
                Role::Statement(_) => Some(Slot::StatementKey(top.obj)),
                Role::Principal => Some(Slot::PrincipalKey(top.obj)),
                Role::Condition(_) => Some(Slot::Operator),
                Role::Operator(stmt) => Some(Slot::ConditionKey(stmt)),
                _ => None,
            };
        }
        match (top.role, self.value_key()) {
            (Role::Root, Some("Version")) => Some(Slot::Version),
            (Role::Statement(_), Some("Effect")) => Some(Slot::Effect),
            (Role::Statement(_), Some("Action" | "NotAction")) => Some(Slot::Action),
            (Role::Statement(s), Some("Resource" | "NotResource")) => Some(Slot::Resource(s)),
            (Role::Actions(..), _) if !top.is_object => Some(Slot::Action),
            (Role::Resources(s), _) if !top.is_object => Some(Slot::Resource(s)),
            _ => None,
        }
    }

    /// Records a string just read (`None`: the one being completed, which is not recorded).
    fn consume_string(&mut self, content: Option<&str>) {
        if self.at_key() {
            let f = self.stack.last_mut().expect("at_key implies a frame");
            if let Some(key) = content {
                self.objects[f.obj].keys.push(key.to_string());
                f.key = Some(key.to_string());
            } else {
                f.key = None;
            }
            f.next = Next::Colon;
            return;
        }
        if let (Some(value), Some(top)) = (content, self.stack.last()) {
            let stmt = match (top.role, top.is_object, top.key.as_deref()) {
                (Role::Statement(s), true, Some("Action")) => Some(s),
                (Role::Actions(s, true), false, _) => Some(s),
                _ => None,
            };
            if let Some(s) = stmt {
                self.objects[s].actions.push(value.to_string());
            }
        }
        self.after_value();
    }

    fn after_value(&mut self) {
        if let Some(f) = self.stack.last_mut() {
            f.next = Next::Comma;
        }
    }

    fn open(&mut self, is_object: bool) {
        let key = if self.at_key() {
            None // garbage where a key belongs: keep the structure, forget the meaning
        } else {
            self.value_key()
        };
        let parent = self.stack.last().map(|f| (f.role, f.is_object));
        let obj = self.objects.len();
        let role = match (parent, key, is_object) {
            (None, _, true) => Role::Root,
            (Some((Role::Root, true)), Some("Statement"), true) => Role::Statement(obj),
            (Some((Role::Root, true)), Some("Statement"), false) => Role::Statements,
            (Some((Role::Statements, false)), _, true) => Role::Statement(obj),
            (Some((Role::Statement(s), _)), Some("Action"), false) => Role::Actions(s, true),
            (Some((Role::Statement(s), _)), Some("NotAction"), false) => Role::Actions(s, false),
            (Some((Role::Statement(s), _)), Some("Resource" | "NotResource"), false) => {
                Role::Resources(s)
            }
            (Some((Role::Statement(_), _)), Some("Principal" | "NotPrincipal"), true) => {
                Role::Principal
            }
            (Some((Role::Statement(s), _)), Some("Condition"), true) => Role::Condition(s),
            (Some((Role::Condition(s), _)), Some(_), true) => Role::Operator(s),
            _ => Role::Other,
        };
        self.after_value();
        if is_object {
            self.objects.push(ObjectInfo::default());
        }
        self.stack.push(Frame {
            is_object,
            next: if is_object { Next::Key } else { Next::Value },
            key: None,
            role,
            obj,
        });
    }
}

/// From the first content byte: the end of the content and where scanning resumes. A string
/// ends at its closing quote, or unclosed at a line break or the end of the text.
fn string_end(bytes: &[u8], mut j: usize) -> (usize, usize) {
    while j < bytes.len() {
        match bytes[j] {
            b'"' => return (j, j + 1),
            b'\n' => return (j, j),
            b'\\' if bytes.get(j + 1).is_some_and(|&b| b != b'\n') => j += 2,
            _ => j += 1,
        }
    }
    (bytes.len(), bytes.len())
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'{' | b'}' | b'[' | b']' | b':' | b','
    )
}

/// The end of the word the cursor is in: names, actions and ARNs hold no spaces or JSON
/// punctuation (`:` is part of actions and ARNs).
fn word_end(text: &str, cursor: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = cursor;
    while end < bytes.len()
        && !matches!(
            bytes[end],
            b'"' | b'\\' | b' ' | b'\t' | b'\n' | b'\r' | b',' | b'{' | b'}' | b'[' | b']'
        )
    {
        end += 1;
    }
    end
}

// ---------------------------------------------------------------------------------------------
// Candidates
// ---------------------------------------------------------------------------------------------

/// Candidates with their sort keys: match rank (0 prefix, 1 elsewhere), group (0 more relevant,
/// e.g. the statement's own condition keys), then text. The last field marks an account ARN,
/// whose detail (its resource type) is looked up only if it makes the final list.
#[derive(Default)]
struct Items {
    v: Vec<(u8, u8, Candidate, bool)>,
}

impl Items {
    fn add(&mut self, rank: u8, group: u8, text: String, detail: String) {
        self.v
            .push((rank, group, Candidate { text, detail }, false));
    }

    /// Adds `text` when it matches `typed`; the detail is built only then.
    fn push(&mut self, typed: &str, text: &str, group: u8, detail: impl FnOnce() -> String) {
        if let Some(r) = rank(text, typed) {
            self.add(r, group, text.to_string(), detail());
        }
    }

    fn finish(mut self, resolve_resource: impl Fn(&str) -> String) -> Vec<Candidate> {
        // The same text from two sources: keep the more relevant group.
        self.v
            .sort_by(|a, b| a.2.text.cmp(&b.2.text).then(a.1.cmp(&b.1)));
        self.v
            .dedup_by(|later, earlier| later.2.text == earlier.2.text);
        self.v.sort_by(|a, b| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then_with(|| cmp_ci(&a.2.text, &b.2.text))
                .then_with(|| a.2.text.cmp(&b.2.text))
        });
        self.v.truncate(MAX_ITEMS);
        self.v
            .into_iter()
            .map(|(_, _, mut c, lazy)| {
                if lazy {
                    c.detail = resolve_resource(&c.text);
                }
                c
            })
            .collect()
    }
}

fn cmp_ci(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|b| b.to_ascii_lowercase())
        .cmp(b.bytes().map(|b| b.to_ascii_lowercase()))
}

/// 0 when `candidate` starts with `typed`, 1 when it contains it elsewhere, ignoring ASCII
/// case; `None` otherwise.
fn rank(candidate: &str, typed: &str) -> Option<u8> {
    let (c, t) = (candidate.as_bytes(), typed.as_bytes());
    if c.len() >= t.len() && c[..t.len()].eq_ignore_ascii_case(t) {
        Some(0)
    } else if !t.is_empty() && c.windows(t.len()).any(|w| w.eq_ignore_ascii_case(t)) {
        Some(1)
    } else {
        None
    }
}

fn has_wildcard(s: &str) -> bool {
    s.contains(['*', '?'])
}

/// Element names not yet written; an element whose `Not` form (or positive form) is present
/// is left out too, since a statement cannot have both.
fn keys(
    items: &mut Items,
    typed: &str,
    names: &[&'static str],
    present: &[String],
    pairs: &[(&str, &str)],
) {
    let written = |name: &str| present.iter().any(|p| p == name);
    for &name in names {
        let conflict = pairs
            .iter()
            .any(|&(a, b)| (name == a && written(b)) || (name == b && written(a)));
        if !written(name) && !conflict {
            items.push(typed, name, 0, || element_detail(name).to_string());
        }
    }
}

fn element_detail(name: &str) -> &'static str {
    match name {
        "Version" => "policy language version",
        "Id" => "optional policy identifier",
        "Statement" => "one statement or an array of them",
        "Sid" => "optional statement identifier",
        "Effect" => "Allow or Deny",
        "Principal" => "who the statement applies to",
        "NotPrincipal" => "everyone except these principals",
        "Action" => "actions the statement covers",
        "NotAction" => "every action except these",
        "Resource" => "resources the statement covers",
        "NotResource" => "every resource except these",
        "Condition" => "when the statement applies",
        "AWS" => "accounts, users and roles",
        "Service" => "AWS service principals",
        "Federated" => "identity providers",
        "CanonicalUser" => "S3 canonical user IDs",
        _ => "",
    }
}

fn actions(items: &mut Items, cat: &Catalog, typed: &str) {
    let Some((prefix, part)) = typed.split_once(':') else {
        for service in cat.services() {
            let text = format!("{}:", service.prefix);
            if let Some(r) = rank(service.prefix, typed) {
                items.add(r, 0, text, service.name.to_string());
            }
        }
        return;
    };
    if has_wildcard(prefix) {
        return;
    }
    let Some(service) = cat.service(prefix) else {
        return;
    };
    if has_wildcard(part) {
        for a in cat.matching_actions(typed) {
            items.add(0, 0, a.full_name(), a.access_level().as_str().to_string());
        }
        return;
    }
    if part.is_empty() {
        items.add(
            0,
            0,
            format!("{}:*", service.prefix),
            format!(
                "every action of {}",
                service_label(service.prefix, service.name)
            ),
        );
    }
    for a in service.actions.iter() {
        if let Some(r) = rank(a.name, part) {
            let text = format!("{}:{}", service.prefix, a.name);
            items.add(r, 0, text, a.access_level.as_str().to_string());
        }
    }
}

fn service_label<'a>(prefix: &'a str, name: &'a str) -> &'a str {
    if name.is_empty() { prefix } else { name }
}

/// The actions a statement's Action strings denote, for their resource types and keys. A
/// wildcard service (`*`, `s*:Get*`) is skipped: it would offer the whole catalog.
fn named_actions<'c>(cat: &'c Catalog, actions: &[String]) -> Vec<super::catalog::ActionRef<'c>> {
    let mut out = Vec::new();
    for a in actions {
        match a.split_once(':') {
            Some((prefix, _)) if !has_wildcard(prefix) => out.extend(cat.matching_actions(a)),
            _ => {}
        }
    }
    out
}

fn resource_items(
    items: &mut Items,
    cat: &Catalog,
    typed: &str,
    resources: &[String],
    actions: &[String],
) {
    items.push(typed, "*", 0, || "every resource".into());
    for arn in resources {
        if let Some(r) = rank(arn, typed) {
            let candidate = Candidate {
                text: arn.clone(),
                detail: String::new(),
            };
            items.v.push((r, 0, candidate, true));
        }
    }
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    for action in named_actions(cat, actions) {
        for r in action.resource_types() {
            let rt = r.resource_type;
            if !seen.insert((rt.service.prefix, rt.name())) {
                continue;
            }
            for format in rt.arn_formats() {
                if arn_could_start(format, typed) {
                    let detail = format!(
                        "resource type {} of {}",
                        rt.name(),
                        service_label(rt.service.prefix, rt.service.name)
                    );
                    items.add(0, 0, format.to_string(), detail);
                }
            }
        }
    }
}

/// Whether some ARN of `format` (placeholders `${Name}` stand for any text, without `:` before
/// the resource part) starts with `typed`,
/// ignoring ASCII case. Text after a wildcard in `typed` is not checked. A set-of-positions
/// simulation: linear in both lengths, whatever the placeholders.
fn arn_could_start(format: &str, typed: &str) -> bool {
    // Tokens: a literal byte, or a placeholder (which spans `:` only in the resource part:
    // partition, region and account never hold one).
    #[derive(Clone, Copy)]
    enum Tok {
        Lit(u8),
        Any { colons: bool },
    }
    let mut tokens: Vec<Tok> = Vec::with_capacity(format.len());
    let f = format.as_bytes();
    let (mut i, mut colons) = (0, 0);
    while i < f.len() {
        if f[i..].starts_with(b"${")
            && let Some(close) = f[i..].iter().position(|&b| b == b'}')
        {
            tokens.push(Tok::Any {
                colons: colons >= 5,
            });
            i += close + 1;
        } else {
            colons += usize::from(f[i] == b':');
            tokens.push(Tok::Lit(f[i]));
            i += 1;
        }
    }
    let typed = typed.split(['*', '?']).next().unwrap_or("");
    let n = tokens.len();
    let close = |states: &mut Vec<bool>| {
        for p in 0..n {
            if states[p] && matches!(tokens[p], Tok::Any { .. }) {
                states[p + 1] = true;
            }
        }
    };
    let mut states = vec![false; n + 1];
    states[0] = true;
    close(&mut states);
    for c in typed.bytes() {
        let mut next = vec![false; n + 1];
        for p in 0..n {
            if !states[p] {
                continue;
            }
            match tokens[p] {
                Tok::Any { colons } if colons || c != b':' => next[p] = true,
                Tok::Lit(b) if b.eq_ignore_ascii_case(&c) => next[p + 1] = true,
                _ => {}
            }
        }
        close(&mut next);
        if !next.iter().any(|&s| s) {
            return false;
        }
        states = next;
    }
    true
}

fn condition_keys(items: &mut Items, cat: &Catalog, typed: &str, actions: &[String]) {
    let mut add = |key: &ConditionKey, group: u8| {
        let text = if key.is_pattern() {
            key.literal_prefix()
        } else {
            key.name
        };
        items.push(typed, text, group, || {
            if key.is_pattern() {
                format!("{} ({})", key.ty, key.name)
            } else {
                key.ty.as_str().to_string()
            }
        });
    };
    for a in actions {
        let Some((prefix, name)) = a.split_once(':') else {
            continue;
        };
        if has_wildcard(prefix) {
            continue;
        }
        let Some(service) = cat.service(prefix) else {
            continue;
        };
        if name == "*" || (!has_wildcard(name) && service.action(name).is_none()) {
            // Every action of the service, or an unknown one: the service's keys.
            service.condition_keys.iter().for_each(|k| add(k, 0));
        } else {
            for action in cat.matching_actions(a) {
                action
                    .all_condition_keys()
                    .into_iter()
                    .for_each(|k| add(k, 0));
            }
        }
    }
    cat.global_condition_keys().iter().for_each(|k| add(k, 1));
}

fn describe_operator(op: Operator) -> String {
    let ty = match op.base.operand_type() {
        OperandType::String => "string comparison",
        OperandType::Numeric => "numeric comparison",
        OperandType::Date => "date comparison",
        OperandType::Bool => "boolean test",
        OperandType::Binary => "binary (base64) comparison",
        OperandType::Ip => "IP address range",
        OperandType::Arn => "ARN comparison",
        OperandType::Null => "whether the key is absent",
    };
    let mut s = ty.to_string();
    match op.set {
        Some(SetQualifier::ForAnyValue) => s.push_str(", any of the request's values"),
        Some(SetQualifier::ForAllValues) => s.push_str(", every one of the request's values"),
        None => {}
    }
    if op.if_exists {
        s.push_str(", true when the key is absent");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Completes at the `|` in `doc` (which is removed).
    fn at(doc: &str) -> Option<Completion> {
        at_with(doc, &[])
    }

    fn at_with(doc: &str, resources: &[&str]) -> Option<Completion> {
        let cursor = doc.find('|').expect("a | marks the cursor");
        let text = doc.replacen('|', "", 1);
        let resources: Vec<String> = resources.iter().map(|s| s.to_string()).collect();
        complete(&text, cursor, &resources)
    }

    fn texts(c: &Completion) -> Vec<&str> {
        c.items.iter().map(|i| i.text.as_str()).collect()
    }

    fn item<'c>(c: &'c Completion, text: &str) -> &'c Candidate {
        c.items
            .iter()
            .find(|i| i.text == text)
            .unwrap_or_else(|| panic!("no {text} in {:?}", texts(c)))
    }

    #[test]
    fn service_prefixes_without_a_colon() {
        let doc = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s|"#;
        let c = at(doc).unwrap();
        let start = doc.rfind('"').unwrap() + 1;
        assert_eq!(c.replace, Span::new(start, start + 1));
        let s3 = item(&c, "s3:");
        assert!(!s3.detail.is_empty());
        assert!(
            c.items
                .iter()
                .take_while(|i| i.text.starts_with('s'))
                .count()
                > 10
        );
        assert!(c.items.len() <= MAX_ITEMS);
        // Sorted: prefix matches (alphabetical) before the rest.
        let first_other = c.items.iter().position(|i| !i.text.starts_with('s'));
        if let Some(k) = first_other {
            assert!(c.items[k..].iter().all(|i| !i.text.starts_with('s')));
        }
        let prefixes: Vec<&str> = texts(&c)
            .into_iter()
            .take_while(|t| t.starts_with('s'))
            .collect();
        let mut sorted = prefixes.clone();
        sorted.sort_by(|a, b| cmp_ci(a, b));
        assert_eq!(prefixes, sorted);
    }

    #[test]
    fn actions_of_a_service_in_an_unclosed_document() {
        let c = at(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:Get|"#,
        )
        .unwrap();
        let get = item(&c, "s3:GetObject");
        assert_eq!(get.detail, "Read");
        assert!(texts(&c).iter().all(|t| t.starts_with("s3:")));
        // Prefix matches first: every s3:Get... before anything with Get elsewhere.
        let n = c
            .items
            .iter()
            .take_while(|i| i.text.starts_with("s3:Get"))
            .count();
        assert!(n > 10);
        assert!(c.items[n..].iter().all(|i| !i.text.starts_with("s3:Get")));
        // Case-insensitive, and matches inside the name come after.
        let c = at(r#"{"Statement": {"Action": "S3:object|"}}"#).unwrap();
        assert_eq!(c.items[0].text.to_lowercase().find("object"), Some(3));
        assert!(texts(&c).contains(&"s3:GetObject"));
        // A wildcard expands to the actions it matches.
        let c = at(r#"{"Statement": {"Action": "iam:*User|"}}"#).unwrap();
        assert!(texts(&c).contains(&"iam:CreateUser"));
        assert!(texts(&c).iter().all(|t| t.ends_with("User")));
        // An empty action part offers the service wildcard too.
        let c = at(r#"{"Statement": {"Action": "sqs:|"}}"#).unwrap();
        assert_eq!(c.items[0].text, "sqs:*");
        // NotAction completes the same way; an unknown service has nothing.
        assert!(
            !at(r#"{"Statement": {"NotAction": ["ec2:Desc|"]}}"#)
                .unwrap()
                .items
                .is_empty()
        );
        assert!(
            at(r#"{"Statement": {"Action": "nosuchsvc:|"}}"#)
                .unwrap()
                .items
                .is_empty()
        );
    }

    #[test]
    fn completing_mid_word_replaces_the_whole_word() {
        let doc = r#"{"Statement": {"Action": "s3:Get|Object", "Resource": "*"}}"#;
        let c = at(doc).unwrap();
        let text = doc.replacen('|', "", 1);
        assert_eq!(&text[c.replace.start..c.replace.end], "s3:GetObject");
    }

    #[test]
    fn an_unclosed_literal_completes_like_a_closed_one_and_says_so() {
        let places = [
            // action, statement key, principal type, operator, condition key, ARN
            r#"{"Statement": [{"Effect": "Allow", "Action": "sts:Assu|"#,
            r#"{"Statement": [{"Effect": "Allow", "Acti|"#,
            r#"{"Statement": [{"Principal": {"Serv|"#,
            r#"{"Statement": [{"Action": "s3:GetObject", "Condition": {"StringEq|"#,
            r#"{"Statement": [{"Action": "s3:GetObject", "Condition": {"StringEquals": {"s3:ExistingObjectT|"#,
            r#"{"Statement": [{"Action": "iam:GetRole", "Resource": "arn:aws:iam::|"#,
        ];
        for open in places {
            let unclosed = at(&format!("{open}\n}}]}}")).unwrap();
            assert!(!unclosed.closed, "{open}");
            assert!(!unclosed.items.is_empty(), "{open}");
            let closed = at(&open.replace('|', "|\"")).unwrap();
            assert!(closed.closed, "{open}");
            assert_eq!(texts(&closed), texts(&unclosed), "{open}");
            assert_eq!(closed.replace, unclosed.replace, "{open}");
        }
    }

    #[test]
    fn resources_from_the_account_and_the_statements_actions() {
        let resources = [
            "arn:aws:s3:::logs",
            "arn:aws:s3:::data",
            "arn:aws:iam::111122223333:role/Admin",
        ];
        // The Action comes after the Resource being typed: it counts anyway.
        let doc = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Resource": ["arn:aws:s3|"], "Action": ["s3:GetObject"]},
            {"Effect": "Allow", "Action": "iam:GetRole", "Resource": "*"}]}"#;
        let c = at_with(doc, &resources).unwrap();
        let t = texts(&c);
        assert!(t.contains(&"arn:aws:s3:::logs") && t.contains(&"arn:aws:s3:::data"));
        assert!(!t.contains(&"arn:aws:iam::111122223333:role/Admin"));
        let object = item(&c, "arn:${Partition}:s3:::${BucketName}/${ObjectName}");
        assert_eq!(
            object.detail.split(" of ").next(),
            Some("resource type object")
        );
        // Only the statement's own actions: no IAM role format.
        assert!(!t.iter().any(|t| t.contains(":iam::")));
        assert_eq!(
            item(&c, "arn:aws:s3:::logs").detail,
            "s3 bucket in this account"
        );
        // Empty: `*` and everything.
        let c = at_with(r#"{"Statement": {"Resource": "|"}}"#, &resources).unwrap();
        assert_eq!(c.items[0].text, "*");
        assert_eq!(c.items.len(), 4);
        // Matches inside the ARN (a bucket name) rank after prefix matches.
        let c = at_with(r#"{"Statement": {"NotResource": "Adm|"}}"#, &resources).unwrap();
        assert_eq!(texts(&c), vec!["arn:aws:iam::111122223333:role/Admin"]);
    }

    #[test]
    fn arn_format_prefixes() {
        let f = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
        for typed in [
            "",
            "arn",
            "ARN:aws",
            "arn:aws-cn:s3:::b",
            "arn:aws:s3:::b/k/x",
            "arn:*:iam",
        ] {
            assert!(arn_could_start(f, typed), "{typed}");
        }
        for typed in ["arn:aws:iam", "x", "arn:aws:s3::x", "arn:aws:s3:us-east-1"] {
            assert!(!arn_could_start(f, typed), "{typed}");
        }
    }

    #[test]
    fn condition_operators() {
        let c = at(r#"{"Statement": [{"Effect": "Allow", "Condition": {"Str|"#).unwrap();
        let t = texts(&c);
        for op in ["StringEquals", "StringLike", "StringNotEqualsIfExists"] {
            assert!(t.contains(&op), "{op}");
        }
        let k = t
            .iter()
            .position(|t| *t == "ForAnyValue:StringEquals")
            .unwrap();
        assert!(k > t.iter().position(|t| *t == "StringLike").unwrap());
        assert!(!t.contains(&"Bool"));
        // Every operator the engine knows, when nothing is typed.
        let c = at(r#"{"Statement": {"Condition": {"|": {}}}}"#).unwrap();
        assert_eq!(c.items.len(), Operator::all_names().count());
        assert!(
            item(&c, "ForAllValues:ArnLikeIfExists")
                .detail
                .contains("ARN")
        );
        assert!(!texts(&c).contains(&"NullIfExists"));
    }

    #[test]
    fn condition_keys_of_the_statements_actions_come_first() {
        let doc = r#"{"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow",
            "Action": ["s3:GetObject"],
            "Resource": "*",
            "Condition": {"StringEquals": {"|"#;
        let c = at(doc).unwrap();
        let own = catalog()
            .action("s3:GetObject")
            .unwrap()
            .all_condition_keys();
        let own_names: Vec<&str> = own
            .iter()
            .map(|k| {
                if k.is_pattern() {
                    k.literal_prefix()
                } else {
                    k.name
                }
            })
            .collect();
        assert!(
            own_names.contains(&c.items[0].text.as_str()),
            "{:?}",
            c.items[0]
        );
        assert!(texts(&c).contains(&"aws:SourceIp"));
        assert!(texts(&c).contains(&"aws:RequestTag/"));
        let first_global = texts(&c)
            .iter()
            .position(|t| !own_names.contains(t))
            .unwrap();
        assert!(
            texts(&c)[first_global..]
                .iter()
                .all(|t| !own_names.contains(t) || t.starts_with("aws:"))
        );
        assert_eq!(item(&c, "aws:SourceIp").detail, "IPAddress");
        // A second operator, an Action after the Condition, a service wildcard.
        let doc = r#"{"Statement": {"Condition": {"Bool": {"x": "true"}, "StringLike": {"ec2:Reg|"}}, "Action": "ec2:*"}}"#;
        let c = at(doc).unwrap();
        assert!(texts(&c).contains(&"ec2:Region"));
        // Other statements' actions do not count.
        let doc = r#"{"Statement": [{"Action": "ec2:RunInstances"}, {"Condition": {"StringLike": {"ec2:Reg|"}}}]}"#;
        let c = at(doc).unwrap();
        assert!(!texts(&c).contains(&"ec2:Region"));
    }

    #[test]
    fn effect_version_and_element_names() {
        let c = at(r#"{"Statement": {"Effect": "|"}}"#).unwrap();
        assert_eq!(texts(&c), vec!["Allow", "Deny"]);
        let c = at(r#"{"Statement": {"Effect": "D|"#).unwrap();
        assert_eq!(texts(&c), vec!["Deny"]);
        let c = at(r#"{"Version": "2|"#).unwrap();
        assert_eq!(texts(&c), vec!["2012-10-17"]);
        // Statement keys not yet written (before or after the cursor), nor their counterparts.
        let doc = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "|", "NotAction": "s3:*"}]}"#;
        let c = at(doc).unwrap();
        assert_eq!(
            texts(&c),
            vec![
                "Condition",
                "NotPrincipal",
                "NotResource",
                "Principal",
                "Resource",
                "Sid"
            ]
        );
        // Top level.
        let c = at(r#"{"Version": "2012-10-17", "|"#).unwrap();
        assert_eq!(texts(&c), vec!["Id", "Statement"]);
        let c = at(r#"{"|"#).unwrap();
        assert_eq!(texts(&c), vec!["Id", "Statement", "Version"]);
        // Principal types.
        let c = at(r#"{"Statement": {"Principal": {"AWS": "*", "|"}}}"#).unwrap();
        assert_eq!(texts(&c), vec!["CanonicalUser", "Federated", "Service"]);
        let c = at(r#"{"Statement": {"NotPrincipal": {"Serv|"#).unwrap();
        assert_eq!(texts(&c), vec!["Service"]);
    }

    #[test]
    fn missing_commas_and_colons_are_tolerated() {
        let doc = "{\"Version\": \"2012-10-17\" \"Statement\": [{\"Effect\": \"Allow\" \"Act|";
        assert_eq!(texts(&at(doc).unwrap()), vec!["Action", "NotAction"]);
        let doc = "{\"Statement\": {\"Action\" \"s3:ListBuck|";
        let c = at(doc).unwrap();
        assert_eq!(c.items[0].text, "s3:ListBucket");
        assert!(
            texts(&c)
                .iter()
                .all(|t| t.to_lowercase().starts_with("s3:listbuck"))
        );
        // A key still without its value does not make the next key a value.
        for doc in [
            "{\"Statement\": {\"Condition\"\n \"Action\": [\"s3:GetOb|\"]}}",
            "{\"Statement\": {\"Condition\": \n \"Action\": \"s3:GetOb|\"}}",
            "{\"Statement\": {\"Cond\n \"Action\": \"s3:GetOb|\"}}",
        ] {
            let c = at(doc).unwrap_or_else(|| panic!("{doc}"));
            assert!(texts(&c).contains(&"s3:GetObject"), "{doc}");
        }
        // An unclosed string on an earlier line does not swallow the rest.
        let doc = "{\"Statement\": {\"Sid\": \"unclosed\n \"Effect\": \"Al|";
        assert_eq!(texts(&at(doc).unwrap()), vec!["Allow"]);
        // Strings with escaped quotes.
        let doc = r#"{"Statement": {"Sid": "a\"b\\", "Effect": "|"}}"#;
        assert_eq!(texts(&at(doc).unwrap()), vec!["Allow", "Deny"]);
    }

    #[test]
    fn multibyte_text_before_the_cursor() {
        let doc = r#"{"Id": "Ünïcödé ✓ 日本", "Statement": {"Sid": "é", "Action": "s3:PutObj|"}}"#;
        let c = at(doc).unwrap();
        assert_eq!(c.items[0].text, "s3:PutObject");
        let text = doc.replacen('|', "", 1);
        assert!(text.is_char_boundary(c.replace.start) && text.is_char_boundary(c.replace.end));
        assert_eq!(&text[c.replace.start..c.replace.end], "s3:PutObj");
        // A cursor inside a multi-byte character is floored; nothing panics.
        let text = r#"{"Statement": {"Action": "é"#;
        for cursor in 0..=text.len() + 2 {
            let _ = complete(text, cursor, &[]);
        }
    }

    #[test]
    fn places_that_are_not_completed() {
        // Outside strings.
        assert!(at(r#"{"Statement": {"Effect": |"#).is_none());
        assert!(at(r#"{"Statement": {"Effect": "Allow"|}}"#).is_none());
        assert!(at(r#"|{"Statement": {}}"#).is_none());
        assert!(at(r#"{"Statement": {"Effect": "Allow"}}|"#).is_none());
        // Strings that are not completed: Sid, condition values, unknown elements, Id.
        assert!(at(r#"{"Statement": {"Sid": "S|"}}"#).is_none());
        assert!(
            at(r#"{"Statement": {"Condition": {"Bool": {"aws:SecureTransport": "t|"}}}}"#)
                .is_none()
        );
        assert!(at(r#"{"Id": "|"}"#).is_none());
        assert!(at(r#"{"Other": {"Action": "s3|"}}"#).is_none());
        assert!(at(r#"["|"]"#).is_none());
        assert!(complete("", 0, &[]).is_none());
    }

    #[test]
    fn fast_on_a_large_document() {
        let mut doc = String::from("{\"Version\": \"2012-10-17\", \"Statement\": [");
        for i in 0..100 {
            doc.push_str(&format!(
                "{{\"Sid\": \"S{i}\", \"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"ec2:*\"], \"Resource\": \"*\", \"Condition\": {{\"StringEquals\": {{\"aws:PrincipalTag/team\": \"t\"}}}}}},\n"
            ));
        }
        let cursor = doc.len();
        doc.push_str("{\"Effect\": \"Allow\", \"Action\": \"ec2:*\", \"Condition\": {\"StringEquals\": {\"\"}}}]}");
        assert!(doc.len() > 10_000);
        let cursor = cursor + doc[cursor..].find("{\"\"").unwrap() + 2;
        let start = std::time::Instant::now();
        for _ in 0..20 {
            let c = complete(&doc, cursor, &[]).unwrap();
            assert!(!c.items.is_empty());
        }
        let each = start.elapsed() / 20;
        assert!(
            each < std::time::Duration::from_millis(100),
            "{each:?} per completion"
        );
    }

    // The cases the editor's first completer was written against.

    /// Completion at the end of `text`.
    fn at_end(text: &str) -> Option<Completion> {
        complete(text, text.len(), &[])
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
        assert!(texts(&at_end(r#"{"Version": ""#).unwrap()).contains(&"2012-10-17"));
        assert_eq!(texts(&at_end(r#"{"V"#).unwrap()), ["Version"]);
        let c = at_end(r#"{"Statement": {"Principal": {"S"#).unwrap();
        assert_eq!(texts(&c)[0], "Service", "prefix matches first");
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
        let t = texts(&c);
        assert!(
            t.contains(&"arn:aws:iam::123456789012:role/Deployer"),
            "{t:?}"
        );
        assert!(
            !t.contains(&"arn:aws:iam::123456789012:user/alice"),
            "{t:?}"
        );
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
