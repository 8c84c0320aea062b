//! Simulation cases: the file format `iamtui simulate` reads.
//!
//! A file holds one case object or an array of them:
//!
//! ```json
//! {"id": "rbp-058",
//!  "identity_policies": [{...}], "resource_policy": {...} | null,
//!  "permissions_boundary": {...} | null, "scps": [{...}, ...], "session_policy": {...} | null,
//!  "request": {"principal": "arn:…", "action": "svc:Action", "resource": "arn:…",
//!              "resource_account": "111122223333",
//!              "context": {"aws:SourceIp": "10.1.2.3", "aws:TagKeys": ["a", "b"]}},
//!  "expected": "Allowed" | "ExplicitDeny" | "ImplicitDeny", "tags": ["..."]}
//! ```
//!
//! Every field but `request` is optional. The file is read with our JSON parser, and the
//! embedded policy documents are lowered in place, so every span (of statements, of findings)
//! points into the case file. Structural findings in a policy do not stop evaluation (IAM would
//! refuse such a policy; a simulation evaluates what it can): they are collected for the caller
//! to show.

use std::fmt;

use super::ast::Policy;
use super::eval::{self, Context, Decision, Outcome, PolicySet, PolicySource, Request};
use super::finding::{Finding, hint};
use super::json::{self, Kind, LineIndex, Span, Value};
use super::lower;

pub const CASE_KEYS: [&str; 9] = [
    "id",
    "identity_policies",
    "resource_policy",
    "permissions_boundary",
    "scps",
    "session_policy",
    "request",
    "expected",
    "tags",
];
pub const REQUEST_KEYS: [&str; 5] = [
    "principal",
    "action",
    "resource",
    "resource_account",
    "context",
];

/// One simulation case.
#[derive(Debug, Clone, Default)]
pub struct Case {
    /// Position in the file (0 for a lone case object).
    pub index: usize,
    pub id: Option<String>,
    pub identity_policies: Vec<Policy>,
    pub resource_policy: Option<Policy>,
    pub permissions_boundary: Option<Policy>,
    /// One policy per organization level, root first.
    pub scps: Vec<Policy>,
    pub session_policy: Option<Policy>,
    pub request: Request,
    pub expected: Option<Outcome>,
    pub tags: Vec<String>,
    /// Findings from lowering the embedded policies, and unknown keys of the case itself.
    pub findings: Vec<CaseFinding>,
    /// The case object in the file.
    pub span: Span,
}

/// A finding inside a case; its span points into the case file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFinding {
    /// The policy it is about (`None` for the case object itself).
    pub policy: Option<PolicySource>,
    pub finding: Finding,
}

/// A case's id, or `#N` (1-based position) when it has none.
fn case_name(id: &Option<String>, index: usize) -> String {
    id.clone().unwrap_or_else(|| format!("#{}", index + 1))
}

impl Case {
    /// The id, or `#N` (1-based position) when the case has none.
    pub fn name(&self) -> String {
        case_name(&self.id, self.index)
    }

    /// The case's policies, borrowed.
    pub fn policy_set(&self) -> PolicySet<'_> {
        PolicySet {
            identity: self.identity_policies.iter().collect(),
            resource: self.resource_policy.as_ref(),
            boundary: self.permissions_boundary.as_ref(),
            scps: self.scps.iter().collect(),
            session: self.session_policy.as_ref(),
        }
    }

    pub fn evaluate(&self) -> Decision {
        eval::evaluate(&self.policy_set(), &self.request)
    }
}

/// A case file that cannot be read. `line` and `column` are 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseError {
    pub message: String,
    /// The case it is in (0-based), when known.
    pub case_index: Option<usize>,
    pub case_id: Option<String>,
    pub span: Span,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for CaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}: ", self.line, self.column)?;
        match (self.case_index, &self.case_id) {
            (Some(i), Some(id)) => write!(f, "case {} (`{id}`): ", i + 1)?,
            (Some(i), None) => write!(f, "case {}: ", i + 1)?,
            _ => {}
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for CaseError {}

/// An error before positions are known.
struct Raw {
    message: String,
    span: Span,
}

fn raw(span: Span, message: impl Into<String>) -> Raw {
    Raw {
        message: message.into(),
        span,
    }
}

/// Reads a case file: one case object or an array of them.
///
/// Large files are read in parallel: the top-level array is split into its elements with a
/// quick scan, and each element is parsed with [`json::parse`] (spans shifted back into the
/// file), checked and lowered on one of a few worker threads.
pub fn load_cases(text: &str) -> Result<Vec<Case>, CaseError> {
    process(text, |case| case)
}

/// The result of running one case, without its policies (small enough to keep 30,000 of).
#[derive(Debug, Clone)]
pub struct CaseRun {
    pub index: usize,
    pub id: Option<String>,
    pub expected: Option<Outcome>,
    pub tags: Vec<String>,
    pub decision: Decision,
    pub findings: Vec<CaseFinding>,
    /// The case object in the file.
    pub span: Span,
}

impl CaseRun {
    /// The id, or `#N` (1-based position) when the case has none.
    pub fn name(&self) -> String {
        case_name(&self.id, self.index)
    }
    /// `Some(true)` when the decision is the expected one, `None` without an expectation.
    pub fn passed(&self) -> Option<bool> {
        self.expected.map(|e| e == self.decision.outcome)
    }
}

/// Reads and evaluates every case of a file (the fast path of `iamtui simulate`): each case is
/// evaluated as soon as it is read and its policies are dropped, on a few worker threads.
pub fn run_cases(text: &str) -> Result<Vec<CaseRun>, CaseError> {
    process(text, CaseRun::from_case)
}

/// Like [`run_cases`], but keeps only what `keep` returns for each run, in file order: a check
/// of 30,000 cases that keeps only the failures holds almost nothing in memory.
pub fn run_cases_with<T: Send>(
    text: &str,
    keep: impl Fn(CaseRun) -> T + Sync,
) -> Result<Vec<T>, CaseError> {
    process(text, |case| keep(CaseRun::from_case(case)))
}

impl CaseRun {
    fn from_case(case: Case) -> Self {
        let decision = case.evaluate();
        CaseRun {
            index: case.index,
            id: case.id,
            expected: case.expected,
            tags: case.tags,
            decision,
            findings: case.findings,
            span: case.span,
        }
    }
}

fn position_error(text: &str, index: Option<usize>, id: Option<String>, e: Raw) -> CaseError {
    let pos = LineIndex::new(text).position(text, e.span.start);
    CaseError {
        message: e.message,
        case_index: index,
        case_id: id,
        span: e.span,
        line: pos.line,
        column: pos.column,
    }
}

/// An error in the case `index`, the value `v` (named by its id when it has one).
fn case_error(text: &str, index: usize, v: &Value, e: Raw) -> CaseError {
    let id = v.get("id").and_then(Value::as_str).map(str::to_string);
    position_error(text, Some(index), id, e)
}

/// Below this size one thread reads the file.
const PARALLEL_THRESHOLD: usize = 256 * 1024;

fn process<T: Send>(text: &str, each: impl Fn(Case) -> T + Sync) -> Result<Vec<T>, CaseError> {
    let Some(ranges) = split_top_level(text) else {
        // Not an object or a well-formed array: the full parser says what is wrong.
        return process_slow(text, each);
    };
    let ranges = match ranges {
        TopLevel::Object(r) => vec![r],
        TopLevel::Array(r) => r,
    };
    let read = |index: usize, (start, end): (usize, usize)| -> Result<T, CaseError> {
        let mut value = json::parse(&text[start..end]).map_err(|e| {
            position_error(
                text,
                Some(index),
                None,
                raw(
                    Span::new(e.span.start + start, e.span.end + start),
                    e.message,
                ),
            )
        })?;
        shift_spans(&mut value, start);
        let case = read_case(index, &value).map_err(|e| case_error(text, index, &value, e))?;
        Ok(each(case))
    };
    let threads = if text.len() < PARALLEL_THRESHOLD {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    };
    if threads <= 1 || ranges.len() < 2 {
        return ranges
            .iter()
            .enumerate()
            .map(|(i, r)| read(i, *r))
            .collect();
    }
    // Contiguous groups of about equal size in bytes, so results stay in file order.
    let per_thread = text.len() / threads + 1;
    let mut groups: Vec<(usize, &[(usize, usize)])> = Vec::with_capacity(threads);
    let (mut first, mut bytes) = (0, 0);
    for (i, (s, e)) in ranges.iter().enumerate() {
        bytes += e - s;
        if bytes >= per_thread && groups.len() + 1 < threads {
            groups.push((first, &ranges[first..=i]));
            first = i + 1;
            bytes = 0;
        }
    }
    if first < ranges.len() {
        groups.push((first, &ranges[first..]));
    }
    let read = &read;
    let results: Vec<Result<Vec<T>, CaseError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = groups
            .iter()
            .map(|&(offset, group)| {
                scope.spawn(move || {
                    group
                        .iter()
                        .enumerate()
                        .map(|(i, r)| read(offset + i, *r))
                        .collect::<Result<Vec<T>, CaseError>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut out = Vec::with_capacity(ranges.len());
    for r in results {
        out.extend(r?);
    }
    Ok(out)
}

/// The whole file through [`json::parse`] at once (small or malformed files).
fn process_slow<T>(text: &str, each: impl Fn(Case) -> T) -> Result<Vec<T>, CaseError> {
    let root =
        json::parse(text).map_err(|e| position_error(text, None, None, raw(e.span, e.message)))?;
    let items: &[Value] = match &root.kind {
        Kind::Array(items) => items,
        Kind::Object(_) => std::slice::from_ref(&root),
        _ => {
            return Err(position_error(
                text,
                None,
                None,
                raw(
                    root.span,
                    format!(
                        "a case file holds a case object or an array of them, not {}",
                        root.type_name()
                    ),
                ),
            ));
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let case = read_case(index, item).map_err(|e| case_error(text, index, item, e))?;
        out.push(each(case));
    }
    Ok(out)
}

/// Moves every span of a value parsed from `text[offset..]` back into `text`.
fn shift_spans(v: &mut Value, offset: usize) {
    v.span.start += offset;
    v.span.end += offset;
    match &mut v.kind {
        Kind::Array(items) => items.iter_mut().for_each(|i| shift_spans(i, offset)),
        Kind::Object(entries) => {
            for (k, val) in entries {
                k.span.start += offset;
                k.span.end += offset;
                shift_spans(val, offset);
            }
        }
        _ => {}
    }
}

enum TopLevel {
    Object((usize, usize)),
    Array(Vec<(usize, usize)>),
}

#[inline]
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// Past the closing quote of the string starting at `b[i] == '"'`.
#[inline]
fn skip_string(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    loop {
        i += memchr::memchr2(b'"', b'\\', b.get(i..)?)?;
        if b[i] == b'"' {
            return Some(i + 1);
        }
        i += 2; // an escape and the character it escapes
    }
}

/// Past the end of the object starting at `b[i] == '{'`: braces balanced, strings skipped.
/// Brackets need no tracking (in valid JSON they nest within braces); the content is checked
/// later by the real parser.
fn skip_object(b: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    loop {
        i += memchr::memchr3(b'"', b'{', b'}', b.get(i..)?)?;
        match b[i] {
            b'"' => {
                i = skip_string(b, i)?;
                continue;
            }
            b'{' => depth += 1,
            _ => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
        }
        i += 1;
    }
}

/// Splits a case file into its cases without parsing them. `None` when the file is not a
/// whitespace-wrapped object or array of objects (the full parser then reports the problem).
fn split_top_level(text: &str) -> Option<TopLevel> {
    let b = text.as_bytes();
    let i = skip_ws(b, 0);
    match b.get(i)? {
        b'{' => {
            let end = skip_object(b, i)?;
            (skip_ws(b, end) == b.len()).then_some(TopLevel::Object((i, end)))
        }
        b'[' => {
            let mut out = Vec::new();
            let mut i = skip_ws(b, i + 1);
            if b.get(i) == Some(&b']') {
                return (skip_ws(b, i + 1) == b.len()).then_some(TopLevel::Array(out));
            }
            loop {
                if b.get(i) != Some(&b'{') {
                    return None;
                }
                let end = skip_object(b, i)?;
                out.push((i, end));
                i = skip_ws(b, end);
                match b.get(i)? {
                    b',' => i = skip_ws(b, i + 1),
                    b']' => {
                        return (skip_ws(b, i + 1) == b.len()).then_some(TopLevel::Array(out));
                    }
                    _ => return None,
                }
            }
        }
        _ => None,
    }
}

fn wrong_type(v: &Value, what: &str, expected: &str) -> Raw {
    raw(
        v.span,
        format!("`{what}` must be {expected}, not {}", v.type_name()),
    )
}

fn unknown_key_finding(key: &json::Key, known: &[&str], level: &str) -> CaseFinding {
    let hint = hint(&key.text, known.iter().copied());
    CaseFinding {
        policy: None,
        finding: Finding::warning(
            "unknown-case-key",
            key.span,
            format!("`{}` is not a {level} field and is ignored{hint}", key.text),
        ),
    }
}

fn read_case(index: usize, v: &Value) -> Result<Case, Raw> {
    let Some(entries) = v.as_object() else {
        return Err(raw(
            v.span,
            format!("a case must be an object, not {}", v.type_name()),
        ));
    };
    let mut case = Case {
        index,
        span: v.span,
        ..Case::default()
    };
    let mut request = None;
    let findings = &mut case.findings;
    for (key, val) in entries {
        let what = key.text.as_str();
        match what {
            "id" => match &val.kind {
                Kind::String(s) | Kind::Number(s) => case.id = Some(s.clone()),
                Kind::Null => {}
                _ => return Err(wrong_type(val, "id", "a string")),
            },
            "identity_policies" => {
                case.identity_policies = policy_list(val, what, findings, PolicySource::Identity)?
            }
            "scps" => case.scps = policy_list(val, what, findings, PolicySource::Scp)?,
            "resource_policy" | "permissions_boundary" | "session_policy" => {
                let (slot, source) = match what {
                    "resource_policy" => (&mut case.resource_policy, PolicySource::Resource),
                    "permissions_boundary" => {
                        (&mut case.permissions_boundary, PolicySource::Boundary)
                    }
                    _ => (&mut case.session_policy, PolicySource::Session),
                };
                *slot = optional_policy(val, what, source, findings)?;
            }
            "request" => request = Some(val),
            "expected" => match &val.kind {
                Kind::String(s) => {
                    case.expected = Some(s.parse::<Outcome>().map_err(|m| raw(val.span, m))?)
                }
                Kind::Null => {}
                _ => {
                    return Err(wrong_type(
                        val,
                        "expected",
                        "`Allowed`, `ExplicitDeny` or `ImplicitDeny`",
                    ));
                }
            },
            "tags" => match &val.kind {
                Kind::Array(items) => {
                    for t in items {
                        match t.as_str() {
                            Some(s) => case.tags.push(s.to_string()),
                            None => return Err(wrong_type(t, "tags", "an array of strings")),
                        }
                    }
                }
                Kind::Null => {}
                _ => return Err(wrong_type(val, "tags", "an array of strings")),
            },
            _ => findings.push(unknown_key_finding(key, &CASE_KEYS, "case")),
        }
    }
    let Some(request) = request else {
        return Err(raw(
            Span::new(v.span.start, v.span.start + 1),
            "the case has no `request` (principal, action, resource)",
        ));
    };
    case.request = read_request(request, &mut case.findings)?;
    Ok(case)
}

fn lower_doc(
    v: &Value,
    what: &str,
    source: PolicySource,
    findings: &mut Vec<CaseFinding>,
) -> Result<Policy, Raw> {
    if v.as_object().is_none() {
        return Err(wrong_type(v, what, "a policy document (an object)"));
    }
    let mut found = Vec::new();
    let policy = lower::lower_policy(v, &mut found)
        .ok_or_else(|| wrong_type(v, what, "a policy document (an object)"))?;
    findings.extend(found.into_iter().map(|finding| CaseFinding {
        policy: Some(source),
        finding,
    }));
    Ok(policy)
}

fn optional_policy(
    v: &Value,
    what: &str,
    source: PolicySource,
    findings: &mut Vec<CaseFinding>,
) -> Result<Option<Policy>, Raw> {
    match v.kind {
        Kind::Null => Ok(None),
        _ => lower_doc(v, what, source, findings).map(Some),
    }
}

fn policy_list(
    v: &Value,
    what: &str,
    findings: &mut Vec<CaseFinding>,
    source: fn(usize) -> PolicySource,
) -> Result<Vec<Policy>, Raw> {
    match &v.kind {
        Kind::Null => Ok(Vec::new()),
        Kind::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| lower_doc(item, &format!("{what}[{i}]"), source(i), findings))
            .collect(),
        _ => Err(wrong_type(v, what, "an array of policy documents")),
    }
}

fn required_string(obj: &Value, key: &str) -> Result<String, Raw> {
    match obj.get(key).map(|v| (v, &v.kind)) {
        Some((_, Kind::String(s))) => Ok(s.clone()),
        Some((other, _)) => Err(wrong_type(other, &format!("request.{key}"), "a string")),
        None => Err(raw(
            Span::new(obj.span.start, obj.span.start + 1),
            format!("the request has no `{key}`"),
        )),
    }
}

fn read_request(v: &Value, findings: &mut Vec<CaseFinding>) -> Result<Request, Raw> {
    let Some(entries) = v.as_object() else {
        return Err(wrong_type(v, "request", "an object"));
    };
    for (key, _) in entries {
        if !REQUEST_KEYS.contains(&key.text.as_str()) {
            findings.push(unknown_key_finding(key, &REQUEST_KEYS, "request"));
        }
    }
    // `null` is as good as absent.
    let given = |key| v.get(key).filter(|x| !matches!(x.kind, Kind::Null));
    let resource_account = match given("resource_account").map(|a| (a, &a.kind)) {
        None => None,
        Some((_, Kind::String(s) | Kind::Number(s))) => Some(s.clone()),
        Some((other, _)) => return Err(wrong_type(other, "request.resource_account", "a string")),
    };
    let context = match given("context") {
        None => Context::new(),
        Some(c) => Context::from_json(c).map_err(|e| raw(e.span, e.message))?,
    };
    Ok(Request {
        principal: required_string(v, "principal")?,
        action: required_string(v, "action")?,
        resource: required_string(v, "resource")?,
        resource_account,
        context,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"{
  "id": "basic",
  "identity_policies": [{"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}],
  "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
              "resource": "arn:aws:s3:::b/k", "context": {"aws:username": "alice"}},
  "expected": "Allowed",
  "tags": ["basic"]
}"#;

    #[test]
    fn loads_one_case_object() {
        let cases = load_cases(ONE).unwrap();
        assert_eq!(cases.len(), 1);
        let c = &cases[0];
        assert_eq!(c.id.as_deref(), Some("basic"));
        assert_eq!(c.expected, Some(Outcome::Allowed));
        assert_eq!(c.tags, ["basic"]);
        assert!(c.resource_policy.is_none() && c.scps.is_empty());
        assert_eq!(
            c.request.context.get("aws:username").unwrap().as_single(),
            Some("alice")
        );
        let d = c.evaluate();
        assert_eq!(d.outcome, Outcome::Allowed);
        // Spans point into the case file.
        let span = d.deciding[0].span;
        assert!(ONE[span.start..span.end].starts_with(r#"{"Sid": "A""#));
        assert_eq!(d.deciding[0].sid.as_deref(), Some("A"));
    }

    #[test]
    fn loads_an_array_with_optional_fields_missing() {
        let text = r#"[{"request": {"principal": "p", "action": "a:b", "resource": "*"}},
                       {"id": "x", "resource_policy": null, "scps": null, "request": {"principal": "p", "action": "a:b", "resource": "*", "resource_account": null, "context": null}}]"#;
        let cases = load_cases(text).unwrap();
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[0].name(), "#1");
        assert_eq!(cases[1].name(), "x");
        assert_eq!(cases[0].expected, None);
        assert_eq!(cases[0].evaluate().outcome, Outcome::ImplicitDeny);
    }

    #[test]
    fn errors_name_the_case_and_position() {
        let text = "[\n{\"id\": \"ok\", \"request\": {\"principal\": \"p\", \"action\": \"a:b\", \"resource\": \"*\"}},\n{\"id\": \"bad\", \"identity_policies\": [\"nope\"], \"request\": {}}\n]";
        let err = load_cases(text).unwrap_err();
        assert_eq!(err.case_index, Some(1));
        assert_eq!(err.case_id.as_deref(), Some("bad"));
        assert_eq!((err.line, err.column), (3, 37));
        let shown = err.to_string();
        assert!(shown.starts_with("line 3, column 37: case 2 (`bad`): `identity_policies[0]` must be a policy document"), "{shown}");

        for (text, message) in [
            (
                r#"{"request": {"principal": "p", "action": 5, "resource": "*"}}"#,
                "`request.action` must be a string",
            ),
            (
                r#"{"request": {"principal": "p", "resource": "*"}}"#,
                "no `action`",
            ),
            (
                r#"{"expected": "Allow", "request": {}}"#,
                "`Allow` is not a decision",
            ),
            (r#"{"id": "n"}"#, "no `request`"),
            ("[1]", "a case must be an object"),
            ("\"x\"", "not a string"),
            ("\u{feff}[]", "byte-order mark"),
            (r#"[{"a": "\"}"#, "unterminated string"),
            (
                r#"{"request": {"principal": "p", "action": "a:b", "resource": "*", "context": {"k": {}}}}"#,
                "context key `k`",
            ),
        ] {
            let err = load_cases(text).unwrap_err();
            assert!(err.message.contains(message), "{text}: {}", err.message);
        }
        let err = load_cases("[{]").unwrap_err();
        assert_eq!((err.line, err.column, err.case_index), (1, 3, None));
        let text =
            r#"[{"request": {"principal": "p", "action": "a:b", "resource": "*"}}, {"a" 1}]"#;
        let err = load_cases(text).unwrap_err();
        let col = text.find(" 1}").unwrap() + 2;
        assert_eq!(
            (err.line, err.column, err.case_index),
            (1, col, Some(1)),
            "{err}"
        );
        assert!(err.message.contains("where `:` was expected"), "{err}");
        let err = load_cases("[{}, ]").unwrap_err();
        assert_eq!((err.line, err.column, err.case_index), (1, 6, None));
        assert!(err.message.contains("trailing comma"), "{}", err.message);
        assert!(load_cases(" [ ] ").unwrap().is_empty());
    }

    #[test]
    fn policy_findings_are_collected_not_fatal() {
        let text = r#"{"identity_policies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Bogus": 1}]}],
                      "sessionpolicy": null,
                      "request": {"principal": "p", "action": "s3:GetObject", "resource": "*", "extra": 1}}"#;
        let cases = load_cases(text).unwrap();
        let c = &cases[0];
        let codes: Vec<_> = c
            .findings
            .iter()
            .map(|f| (f.policy, f.finding.code))
            .collect();
        assert!(
            codes.contains(&(Some(PolicySource::Identity(0)), "unknown-statement-key")),
            "{codes:?}"
        );
        assert!(codes.contains(&(None, "unknown-case-key")), "{codes:?}");
        let hint = c
            .findings
            .iter()
            .find(|f| f.finding.message.contains("sessionpolicy"))
            .unwrap();
        assert!(
            hint.finding
                .message
                .contains("did you mean `session_policy`?"),
            "{}",
            hint.finding.message
        );
        assert_eq!(
            &text[hint.finding.span.start..hint.finding.span.end],
            "\"sessionpolicy\""
        );
        assert_eq!(c.evaluate().outcome, Outcome::Allowed);
    }

    /// Many cases (over the parallel threshold), with escapes and nesting that the quick
    /// top-level split must skip correctly.
    fn big_file(n: usize) -> String {
        let mut text = String::from("[\n");
        for i in 0..n {
            if i > 0 {
                text.push_str(",\n");
            }
            text.push_str(&format!(
                r#"  {{"id": "c{i} \"q\" [x] {{y}}", "identity_policies": [{{"Version": "2012-10-17", "Statement": [{{"Sid": "S{i}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/{i}/*"}}]}}],
   "request": {{"principal": "arn:aws:iam::111122223333:user/u", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/{}/k", "context": {{"k\\": ["a]", "}}"]}}}},
   "expected": "{}"}}"#,
                if i % 3 == 0 { i + 1 } else { i },
                if i % 3 == 0 { "ImplicitDeny" } else { "Allowed" }
            ));
        }
        text.push_str("\n]\n");
        text
    }

    #[test]
    fn large_files_are_read_in_parallel_in_order() {
        let text = big_file(2000);
        assert!(text.len() > PARALLEL_THRESHOLD);
        let fast = load_cases(&text).unwrap();
        let slow = process_slow(&text, |c| c).unwrap();
        assert_eq!(fast.len(), 2000);
        for (a, b) in fast.iter().zip(&slow) {
            assert_eq!(a.index, b.index);
            assert_eq!(a.id, b.id);
            assert_eq!(a.identity_policies, b.identity_policies, "spans agree too");
            assert_eq!(a.request, b.request);
            assert_eq!(a.span, b.span);
        }
        assert_eq!(fast[7].id.as_deref(), Some("c7 \"q\" [x] {y}"));
        let runs = run_cases(&text).unwrap();
        assert_eq!(runs.len(), 2000);
        assert!(runs.iter().all(|r| r.passed() == Some(true)));
        let r = &runs[1999];
        assert_eq!((r.index, r.decision.outcome), (1999, Outcome::Allowed));
        let span = r.decision.deciding[0].span;
        assert!(text[span.start..span.end].starts_with(r#"{"Sid": "S1999""#));
        // An error deep in the file names its case, with the line of the whole file.
        let broken = text.replacen(r#""expected": "Allowed"}"#, r#""expected": "Allow"}"#, 1);
        let err = load_cases(&broken).unwrap_err();
        assert_eq!(err.case_index, Some(1));
        assert_eq!(err.line, 7);
        let late = {
            let mut t = text.clone();
            let at = t.rfind("\"Allowed\"").unwrap();
            t.replace_range(at..at + 9, "7");
            t
        };
        let err = load_cases(&late).unwrap_err();
        assert_eq!(err.case_index, Some(1999));
        assert!(
            err.message.contains("`expected` must be"),
            "{}",
            err.message
        );
    }

    #[test]
    fn sample_file_cases() {
        // The shared sample of simulation cases (a copy of shared/eval-sample.json).
        let text = include_str!("eval/testdata/eval-sample.json");
        let cases = load_cases(text).unwrap();
        assert_eq!(cases.len(), 40);
        let mismatches: Vec<String> = cases
            .iter()
            .filter_map(|c| {
                let d = c.evaluate();
                c.expected.is_some_and(|e| e != d.outcome).then(|| {
                    format!(
                        "{}: expected {:?}, got {} ({})",
                        c.name(),
                        c.expected,
                        d.outcome,
                        d.reason
                    )
                })
            })
            .collect();
        assert!(
            mismatches.is_empty(),
            "{} of {} cases differ:\n{}",
            mismatches.len(),
            cases.len(),
            mismatches.join("\n")
        );
    }
}
