//! Accounts built from `aws iam get-account-authorization-details` output.
//!
//! The input is the JSON the AWS CLI prints for that call: one object whose `UserDetailList`,
//! `GroupDetailList`, `RoleDetailList` and `Policies` hold every page (the CLI merges them). A
//! snapshot taken with `--filter` holds only some of the lists; any list may be missing or empty.
//!
//! What an import carries over:
//! - users, groups and roles with their ids, paths, creation dates, tags, inline policies,
//!   attached managed policies and permissions boundaries; group memberships (by name); each
//!   role's trust policy and last use (date and region);
//! - instance profiles, as they appear in each role's `InstanceProfileList` (a profile without a
//!   role is not in the output, so it is not imported);
//! - customer managed policies with every version and the default version id (the next version
//!   id is one past the highest imported, as IAM never reuses one); AWS managed policies the
//!   snapshot lists (those attached to something) go into [`Account::aws_policies`] with all their
//!   versions and take precedence over the embedded copies.
//!
//! What the output does not hold, so the imported account has none of it: access keys, MFA
//! devices (virtual or not), console passwords (login profiles) and when a password was last
//! used, SAML and OpenID Connect providers, the password policy, account aliases, tags on managed
//! policies, and the service a role was last used by. `RoleDetail` has no `Description` nor
//! `MaxSessionDuration`: both are taken from the copy of the role inside one of its instance
//! profiles (a full `Role`) when there is one, else the role has no description and a maximum
//! session of 3600 s (IAM's default). Attachment and boundary counts are not read: the local
//! account counts them itself.
//!
//! Policy documents may be JSON objects (the CLI decodes them) or strings, URL-encoded (the raw
//! API) or not; either way they are stored as compact JSON text that keeps the original key order
//! and escapes (the document's own text with insignificant whitespace removed).
//!
//! The account id is the one every ARN of the file names (two different ones are an error); a
//! file without any ARN of the account gets a random one. The account's creation date is the
//! earliest creation date of its own entities; an entity without an id or a date gets a new
//! IAM-shaped id and the import's time. Names, paths and ARNs are checked against IAM's rules,
//! and names must be unique without regard to case, as [`Table`] keeps them.
//!
//! Malformed input is refused with an [`ImportError`] that names where the problem is, as a JSON
//! path (`RoleDetailList[3].RoleName: missing`). What imports but deserves a look comes back as
//! [`Imported::warnings`]: attached policies (or boundaries) that are neither in the snapshot nor
//! among the embedded AWS managed policies (kept, though offline their documents are unknown),
//! memberships of groups the snapshot does not hold (dropped), a policy marked not attachable
//! (the local account has no such notion), a truncated page.

use std::collections::HashMap;

use crate::iam::types::{Tag, Timestamp, is_aws_managed_arn};
use crate::policy::json::{self, Kind, LineIndex, Value};

use super::aws_policies::aws_policies;
use super::call::iam_arn;
use super::model::{
    Account, GroupRecord, InlinePolicyRecord, InstanceProfileRecord, LastUsed, PolicyRecord,
    PolicyVersionRecord, RoleRecord, Table, UserRecord, key,
};
use super::names;

/// Why a file cannot be imported. Every variant but [`ImportError::NotJson`] names where in the
/// input the problem is, as a JSON path such as `UserDetailList[2].Tags[0].Key`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The text is not JSON.
    #[error(
        "not JSON: {message} at line {line}, column {column} (save the output of `aws iam get-account-authorization-details --output json`)"
    )]
    NotJson {
        message: String,
        line: usize,
        column: usize,
    },
    /// JSON, but not what `get-account-authorization-details` prints.
    #[error("not `aws iam get-account-authorization-details` output: {0}")]
    NotAuthorizationDetails(String),
    /// A value is missing, has the wrong type or is malformed.
    #[error("{path}: {problem}")]
    Invalid { path: String, problem: String },
    /// Two entities of one kind share a name (IAM names are unique without regard to case).
    #[error(
        "{path}: the {kind} name `{name}` appears twice (first at {first}); IAM names are unique without regard to case"
    )]
    Duplicate {
        path: String,
        kind: &'static str,
        name: String,
        first: String,
    },
    /// ARNs of two different accounts.
    #[error(
        "{path}: `{arn}` is in account {found}, but {first_path} is in account {expected}; a snapshot holds one account"
    )]
    AccountMismatch {
        path: String,
        arn: String,
        found: String,
        expected: String,
        first_path: String,
    },
}

/// An imported account and what the import noticed on the way (see the module docs).
#[derive(Debug, Clone)]
pub struct Imported {
    pub account: Account,
    pub warnings: Vec<String>,
}

type R<T> = Result<T, ImportError>;

/// Builds an account from the JSON `aws iam get-account-authorization-details` prints.
pub fn import_authorization_details(json: &str) -> Result<Imported, ImportError> {
    let src = json.strip_prefix('\u{feff}').unwrap_or(json);
    let root = json::parse(src).map_err(|e| {
        let pos = LineIndex::new(src).position(src, e.span.start);
        ImportError::NotJson {
            message: e.message,
            line: pos.line,
            column: pos.column,
        }
    })?;
    let Some(entries) = root.as_object() else {
        return Err(ImportError::NotAuthorizationDetails(format!(
            "the top level is {}, not an object",
            root.type_name()
        )));
    };
    let root = Obj {
        entries,
        path: String::new(),
    };
    const LISTS: [&str; 4] = [
        "UserDetailList",
        "GroupDetailList",
        "RoleDetailList",
        "Policies",
    ];
    if !LISTS.iter().any(|k| root.has(k)) {
        let why = if root.get("format").and_then(Value::as_str) == Some(super::model::FORMAT) {
            "this is already an iamtui local account file".to_string()
        } else {
            format!("it has none of {}", LISTS.join(", "))
        };
        return Err(ImportError::NotAuthorizationDetails(why));
    }

    let mut cx = Context::new(src);
    if root.bool("IsTruncated")? == Some(true) {
        cx.warnings.push(
            "IsTruncated is true: this is one page of the answer, so whatever later pages hold \
             is missing (the AWS CLI fetches every page unless told --no-paginate)"
                .into(),
        );
    }
    if root.has("NextToken") {
        cx.warnings.push(
            "NextToken is present: the output was cut short with --max-items, so whatever \
             comes after it is missing"
                .into(),
        );
    }

    let mut users = Table::default();
    let mut user_seen = Seen::new("user");
    let mut memberships = Vec::new();
    for u in root.objects("UserDetailList")? {
        let (record, groups) = user(&u, &mut cx)?;
        user_seen.claim(&record.name, &u.path("UserName"))?;
        memberships.push((record.name.clone(), groups));
        users.insert(record);
    }

    let mut groups = Table::default();
    let mut group_seen = Seen::new("group");
    for g in root.objects("GroupDetailList")? {
        let record = group(&g, &mut cx)?;
        group_seen.claim(&record.name, &g.path("GroupName"))?;
        groups.insert(record);
    }
    resolve_memberships(&mut users, &groups, memberships, &mut cx);

    let mut drafts = Vec::new();
    let mut role_seen = Seen::new("role");
    let mut profiles = Profiles::default();
    let mut nested = HashMap::new();
    for r in root.objects("RoleDetailList")? {
        let draft = role(&r, &mut cx, &mut profiles, &mut nested)?;
        role_seen.claim(&draft.0.name, &r.path("RoleName"))?;
        drafts.push(draft);
    }
    // RoleDetail has neither Description nor MaxSessionDuration; the role's copy in an instance
    // profile (a full Role) has both.
    let mut roles = Table::default();
    for (mut r, max_session_known) in drafts {
        if let Some(copy) = nested.get(&key(&r.name)) {
            if r.description.is_none() {
                r.description = copy.description.clone();
            }
            if !max_session_known && let Some(m) = copy.max_session_duration {
                r.max_session_duration = m;
            }
        }
        roles.insert(r);
    }

    let mut policies = Table::default();
    let mut policy_seen = Seen::new("customer managed policy");
    let mut aws: Vec<PolicyRecord> = Vec::new();
    let mut aws_seen: HashMap<String, String> = HashMap::new();
    for p in root.objects("Policies")? {
        let (is_aws, record) = policy(&p, &mut cx)?;
        if is_aws {
            let arn = iam_arn("aws", "policy", &record.path, &record.name);
            if let Some(first) = aws_seen.get(&arn) {
                return invalid(
                    p.path("Arn"),
                    format!("the AWS managed policy `{arn}` appears twice (first at {first})"),
                );
            }
            aws_seen.insert(arn, p.path.clone());
            aws.push(record);
        } else {
            policy_seen.claim(&record.name, &p.path("PolicyName"))?;
            policies.insert(record);
        }
    }

    let account_id = match &cx.account {
        Some((id, _)) => id.clone(),
        None => names::account_id(),
    };
    cx.check_references(&account_id, &policies, &aws);

    let created = cx.earliest.unwrap_or(cx.now);
    let mut account = Account::empty(account_id, created);
    account.origin = "import".into();
    account.users = users;
    account.groups = groups;
    account.roles = roles;
    account.policies = policies;
    account.aws_policies = aws;
    account.instance_profiles = profiles.finish(&account.roles);
    Ok(Imported {
        account,
        warnings: cx.warnings,
    })
}

// --- reading the JSON ---------------------------------------------------------------------------

/// An object of the input and where it is.
struct Obj<'a> {
    entries: &'a [(json::Key, Value)],
    path: String,
}

fn invalid<T>(path: impl Into<String>, problem: impl Into<String>) -> R<T> {
    Err(ImportError::Invalid {
        path: path.into(),
        problem: problem.into(),
    })
}

fn expected<T>(path: impl Into<String>, what: &str, found: &Value) -> R<T> {
    invalid(
        path,
        format!("expected {what}, found {}", found.type_name()),
    )
}

impl<'a> Obj<'a> {
    fn new(v: &'a Value, path: String) -> R<Self> {
        match v.as_object() {
            Some(entries) => Ok(Self { entries, path }),
            None => expected(path, "an object", v),
        }
    }

    fn path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The value under `key`; `null` counts as absent.
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.entries
            .iter()
            .find(|(k, _)| k.text == key)
            .map(|(_, v)| v)
            .filter(|v| !matches!(v.kind, Kind::Null))
    }

    fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn req(&self, key: &str) -> R<&'a Value> {
        match self.get(key) {
            Some(v) => Ok(v),
            None => invalid(self.path(key), "missing"),
        }
    }

    /// `read` of the value under `key` and its path, when there is one.
    fn opt<T>(&self, key: &str, read: impl FnOnce(&'a Value, String) -> R<T>) -> R<Option<T>> {
        self.get(key).map(|v| read(v, self.path(key))).transpose()
    }

    fn str(&self, key: &str) -> R<Option<&'a str>> {
        self.opt(key, |v, path| match v.as_str() {
            Some(s) => Ok(s),
            None => expected(path, "a string", v),
        })
    }

    fn req_str(&self, key: &str) -> R<&'a str> {
        match self.str(key)? {
            Some(s) => Ok(s),
            None => invalid(self.path(key), "missing"),
        }
    }

    fn bool(&self, key: &str) -> R<Option<bool>> {
        self.opt(key, |v, path| match v.kind {
            Kind::Bool(b) => Ok(b),
            _ => expected(path, "true or false", v),
        })
    }

    fn int(&self, key: &str) -> R<Option<i64>> {
        self.opt(key, |v, path| match &v.kind {
            Kind::Number(n) => n
                .parse()
                .or_else(|_| invalid(path, format!("`{n}` is not a whole number"))),
            _ => expected(path, "a number", v),
        })
    }

    fn date(&self, key: &str) -> R<Option<Timestamp>> {
        self.opt(key, |v, path| parse_date(v, &path))
    }

    fn obj(&self, key: &str) -> R<Option<Obj<'a>>> {
        self.opt(key, Obj::new)
    }

    fn array(&self, key: &str) -> R<&'a [Value]> {
        match self.get(key) {
            None => Ok(&[]),
            Some(v) => match v.as_array() {
                Some(a) => Ok(a),
                None => expected(self.path(key), "an array", v),
            },
        }
    }

    /// The objects of the array under `key` (none when it is absent).
    fn objects(&self, key: &str) -> R<Vec<Obj<'a>>> {
        let base = self.path(key);
        self.array(key)?
            .iter()
            .enumerate()
            .map(|(i, v)| Obj::new(v, format!("{base}[{i}]")))
            .collect()
    }

    /// The strings of the array under `key`, each with its path.
    fn strings(&self, key: &str) -> R<Vec<(String, &'a str)>> {
        let base = self.path(key);
        self.array(key)?
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let path = format!("{base}[{i}]");
                match v.as_str() {
                    Some(s) => Ok((path, s)),
                    None => expected(path, "a string", v),
                }
            })
            .collect()
    }
}

/// ISO 8601 with `Z` or an offset, with or without fractional seconds (`2024-01-02T03:04:05Z`,
/// `2024-01-02T03:04:05.123+00:00`, also with a space for the `T` as Python prints it), or a
/// number of seconds since 1970.
fn parse_date(v: &Value, path: &str) -> R<Timestamp> {
    match &v.kind {
        Kind::String(s) => {
            let t = s.trim();
            chrono::DateTime::parse_from_rfc3339(t)
                .or_else(|_| chrono::DateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f%z"))
                .or_else(|_| chrono::DateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f%z"))
                .map(|d| d.with_timezone(&chrono::Utc))
                .or_else(|_| {
                    invalid(
                        path,
                        format!(
                            "`{s}` is not an ISO 8601 date and time with a time zone (2024-01-02T03:04:05Z)"
                        ),
                    )
                })
        }
        Kind::Number(n) => n
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .and_then(|f| {
                let secs = f.floor();
                let nanos = ((f - secs) * 1e9).round().min(999_999_999.0);
                chrono::DateTime::from_timestamp(secs as i64, nanos as u32)
            })
            .map_or_else(
                || invalid(path, format!("`{n}` is not a date (seconds since 1970)")),
                Ok,
            ),
        _ => expected(path, "a date", v),
    }
}

/// A policy document: a JSON object, or a string holding one (URL-encoded or not). Returns its
/// compact text.
fn document(cx: &Context<'_>, v: &Value, path: &str) -> R<String> {
    match &v.kind {
        Kind::Object(_) => Ok(minify(&cx.src[v.span.start..v.span.end])),
        Kind::String(s) => {
            let text = crate::backend::decode_policy_document(s);
            match json::parse(&text) {
                Ok(doc) if doc.as_object().is_some() => Ok(minify(&text)),
                Ok(doc) => invalid(
                    path,
                    format!("the document is {}, not a JSON object", doc.type_name()),
                ),
                Err(e) => {
                    let pos = LineIndex::new(&text).position(&text, e.span.start);
                    invalid(
                        path,
                        format!(
                            "the document (after URL-decoding) is not JSON: {} at line {}, column {}",
                            e.message, pos.line, pos.column
                        ),
                    )
                }
            }
        }
        _ => expected(
            path,
            "a policy document (a JSON object or a URL-encoded string)",
            v,
        ),
    }
}

/// Valid JSON text without the whitespace outside strings.
fn minify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
        }
    }
    out
}

// --- ARNs, names, the account ---------------------------------------------------------------------

/// An IAM ARN, `arn:aws:iam::ACCOUNT:KIND/PATH/NAME`, in parts.
struct Arn<'a> {
    account: &'a str,
    kind: &'a str,
    /// `/` or `/a/b/`.
    path: &'a str,
    name: &'a str,
}

fn parse_arn<'a>(arn: &'a str, at: &str) -> R<Arn<'a>> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let not_iam = || {
        let why = format!("`{arn}` is not an IAM ARN (arn:aws:iam::ACCOUNT:KIND/PATH/NAME)");
        invalid(at, why)
    };
    let [prefix, partition, service, region, account, resource] = parts[..] else {
        return not_iam();
    };
    if prefix != "arn" || service != "iam" || !region.is_empty() {
        return not_iam();
    }
    if partition != "aws" {
        return invalid(
            at,
            format!(
                "`{arn}` is in the `{partition}` partition; the local account models the `aws` partition only"
            ),
        );
    }
    if account != "aws" && (account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit())) {
        return invalid(
            at,
            format!("`{arn}`: the account id `{account}` is not twelve digits"),
        );
    }
    let Some((kind, rest)) = resource.split_once('/') else {
        return invalid(at, format!("`{arn}` has no `/` after its resource type"));
    };
    let name_at = rest.rfind('/').map_or(0, |i| i + 1);
    let path = &resource[kind.len()..kind.len() + 1 + name_at];
    let name = &rest[name_at..];
    if name.is_empty() {
        return invalid(at, format!("`{arn}` ends without a name"));
    }
    Ok(Arn {
        account,
        kind,
        path,
        name,
    })
}

/// Where managed policies are referenced from (attachments and boundaries), to report those
/// the account cannot resolve.
struct Reference {
    arn: String,
    first: String,
    count: usize,
}

#[derive(Default)]
struct Context<'a> {
    src: &'a str,
    now: Timestamp,
    /// The account id and where it was first seen.
    account: Option<(String, String)>,
    /// The earliest creation date of an entity of the account: the account's own.
    earliest: Option<Timestamp>,
    references: Vec<Reference>,
    reference_index: HashMap<String, usize>,
    warnings: Vec<String>,
}

impl<'a> Context<'a> {
    fn new(src: &'a str) -> Self {
        Self {
            src,
            now: chrono::Utc::now(),
            ..Self::default()
        }
    }

    fn see_account(&mut self, arn: &str, account: &str, path: &str) -> R<()> {
        match &self.account {
            None => {
                self.account = Some((account.to_string(), path.to_string()));
                Ok(())
            }
            Some((id, _)) if id == account => Ok(()),
            Some((id, first)) => Err(ImportError::AccountMismatch {
                path: path.to_string(),
                arn: arn.to_string(),
                found: account.to_string(),
                expected: id.clone(),
                first_path: first.clone(),
            }),
        }
    }

    fn created(&mut self, date: Option<Timestamp>) -> Timestamp {
        let d = date.unwrap_or(self.now);
        if date.is_some() && self.earliest.is_none_or(|e| d < e) {
            self.earliest = Some(d);
        }
        d
    }

    /// An attached policy or boundary ARN: checked, and remembered to resolve at the end.
    fn policy_reference(&mut self, arn: &str, path: &str) -> R<()> {
        let parsed = parse_arn(arn, path)?;
        if parsed.kind != "policy" {
            return invalid(
                path,
                format!("`{arn}` is a {} ARN, not a managed policy's", parsed.kind),
            );
        }
        if parsed.account != "aws" {
            self.see_account(arn, parsed.account, path)?;
        }
        match self.reference_index.get(arn) {
            Some(&i) => self.references[i].count += 1,
            None => {
                self.reference_index
                    .insert(arn.to_string(), self.references.len());
                self.references.push(Reference {
                    arn: arn.to_string(),
                    first: path.to_string(),
                    count: 1,
                });
            }
        }
        Ok(())
    }

    /// Warns about every referenced policy the account will not find.
    fn check_references(
        &mut self,
        account: &str,
        policies: &Table<PolicyRecord>,
        aws: &[PolicyRecord],
    ) {
        let imported: std::collections::HashSet<String> = aws
            .iter()
            .map(|p| iam_arn("aws", "policy", &p.path, &p.name))
            .chain(
                policies
                    .iter()
                    .map(|p| iam_arn(account, "policy", &p.path, &p.name)),
            )
            .collect();
        for r in &self.references {
            let known = imported.contains(&r.arn)
                || (is_aws_managed_arn(&r.arn) && aws_policies().get(&r.arn).is_some());
            if known {
                continue;
            }
            let place = places(&r.first, r.count);
            let why = if is_aws_managed_arn(&r.arn) {
                "is neither in the snapshot's Policies nor among the AWS managed policies this \
                 build embeds"
            } else {
                "is not in the snapshot's Policies (was the snapshot taken with a --filter \
                 without LocalManagedPolicy?)"
            };
            self.warnings.push(format!(
                "the policy `{}`, referenced {place}, {why}: the references are kept, but \
                 offline its document is unknown",
                r.arn
            ));
        }
    }
}

/// `at PATH`, or `at PATH and N more places`.
fn places(first: &str, count: usize) -> String {
    match count {
        1 => format!("at {first}"),
        _ => format!("at {first} and {} more places", count - 1),
    }
}

/// Names already taken, to refuse a second entity of the same name.
struct Seen {
    kind: &'static str,
    first: HashMap<String, String>,
}

impl Seen {
    fn new(kind: &'static str) -> Self {
        Self {
            kind,
            first: HashMap::new(),
        }
    }

    fn claim(&mut self, name: &str, path: &str) -> R<()> {
        if let Some(first) = self.first.get(&key(name)) {
            return Err(ImportError::Duplicate {
                path: path.to_string(),
                kind: self.kind,
                name: name.to_string(),
                first: first.clone(),
            });
        }
        self.first.insert(key(name), path.to_string());
        Ok(())
    }
}

/// The name and path of an entity, from its name and path fields and its ARN (any may be
/// missing, as long as a name can be had; they must agree).
fn identity(
    o: &Obj<'_>,
    cx: &mut Context<'_>,
    name_key: &str,
    kind: &str,
    max_len: usize,
) -> R<(String, String)> {
    let name = o.str(name_key)?;
    let path = o.str("Path")?;
    let mut from_arn = None;
    if let Some(arn) = o.str("Arn")? {
        let at = o.path("Arn");
        let a = parse_arn(arn, &at)?;
        if a.kind != kind {
            return invalid(at, format!("`{arn}` is a {} ARN, not a {kind}'s", a.kind));
        }
        if kind != "policy" || a.account != "aws" {
            cx.see_account(arn, a.account, &at)?;
        }
        if let Some(n) = name
            && n != a.name
        {
            return invalid(
                at,
                format!("`{arn}` names `{}`, but {name_key} is `{n}`", a.name),
            );
        }
        if let Some(p) = path
            && p != a.path
        {
            return invalid(
                at,
                format!("`{arn}` has the path `{}`, but Path is `{p}`", a.path),
            );
        }
        from_arn = Some((a.name, a.path));
    }
    let name = match (name, from_arn) {
        (Some(n), _) => n,
        (None, Some((n, _))) => n,
        (None, None) => return invalid(o.path(name_key), "missing (and there is no Arn)"),
    };
    let path = path.or(from_arn.map(|(_, p)| p)).unwrap_or("/");
    check_name(name, max_len, o.path(name_key))?;
    if names::check_path("import", "Path", path).is_err() {
        return invalid(
            o.path("Path"),
            format!("`{path}` is not an IAM path (`/`, or `/` and printable ASCII and `/`)"),
        );
    }
    Ok((name.to_string(), path.to_string()))
}

/// Refuses a name IAM would refuse, saying where it is.
fn check_name(name: &str, max_len: usize, at: String) -> R<()> {
    match names::check_name("import", "name", name, max_len) {
        Ok(()) => Ok(()),
        Err(_) => invalid(
            at,
            format!("`{name}` is not an IAM name (1 to {max_len} letters, digits and `_+=,.@-`)"),
        ),
    }
}

// --- entities -----------------------------------------------------------------------------------

fn tags(o: &Obj<'_>) -> R<Vec<Tag>> {
    o.objects("Tags")?
        .iter()
        .map(|t| Ok(Tag::new(t.req_str("Key")?, t.str("Value")?.unwrap_or(""))))
        .collect()
}

fn inline_policies(o: &Obj<'_>, cx: &mut Context<'_>, list: &str) -> R<Table<InlinePolicyRecord>> {
    let mut table = Table::default();
    let mut seen = Seen::new("inline policy");
    for p in o.objects(list)? {
        let name = p.req_str("PolicyName")?;
        check_name(name, 128, p.path("PolicyName"))?;
        let doc = document(cx, p.req("PolicyDocument")?, &p.path("PolicyDocument"))?;
        seen.claim(name, &p.path("PolicyName"))?;
        table.insert(InlinePolicyRecord {
            name: name.to_string(),
            document: doc,
        });
    }
    Ok(table)
}

fn attached_policies(o: &Obj<'_>, cx: &mut Context<'_>) -> R<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for a in o.objects("AttachedManagedPolicies")? {
        let arn = a.req_str("PolicyArn")?;
        cx.policy_reference(arn, &a.path("PolicyArn"))?;
        if !out.iter().any(|x| x == arn) {
            out.push(arn.to_string());
        }
    }
    Ok(out)
}

fn boundary(o: &Obj<'_>, cx: &mut Context<'_>) -> R<Option<String>> {
    let Some(b) = o.obj("PermissionsBoundary")? else {
        return Ok(None);
    };
    match b.str("PermissionsBoundaryArn")? {
        // `{}`: no boundary.
        None if !b.has("PermissionsBoundaryType") => Ok(None),
        None => invalid(b.path("PermissionsBoundaryArn"), "missing"),
        Some(arn) => {
            cx.policy_reference(arn, &b.path("PermissionsBoundaryArn"))?;
            Ok(Some(arn.to_string()))
        }
    }
}

fn id(o: &Obj<'_>, field: &str, prefix: &str) -> R<String> {
    Ok(match o.str(field)? {
        Some(id) if !id.is_empty() => id.to_string(),
        _ => names::unique_id(prefix),
    })
}

/// A user, and the groups it names (resolved once the groups are read).
fn user(o: &Obj<'_>, cx: &mut Context<'_>) -> R<(UserRecord, Vec<(String, String)>)> {
    let (name, path) = identity(o, cx, "UserName", "user", 64)?;
    let date = o.date("CreateDate")?;
    let groups = o
        .strings("GroupList")?
        .into_iter()
        .map(|(p, g)| (p, g.to_string()))
        .collect();
    let record = UserRecord {
        user_id: id(o, "UserId", "AIDA")?,
        create_date: cx.created(date),
        permissions_boundary: boundary(o, cx)?,
        tags: tags(o)?,
        attached_policies: attached_policies(o, cx)?,
        inline_policies: inline_policies(o, cx, "UserPolicyList")?,
        name,
        path,
        ..Default::default()
    };
    Ok((record, groups))
}

fn group(o: &Obj<'_>, cx: &mut Context<'_>) -> R<GroupRecord> {
    let (name, path) = identity(o, cx, "GroupName", "group", 128)?;
    let date = o.date("CreateDate")?;
    Ok(GroupRecord {
        group_id: id(o, "GroupId", "AGPA")?,
        create_date: cx.created(date),
        attached_policies: attached_policies(o, cx)?,
        inline_policies: inline_policies(o, cx, "GroupPolicyList")?,
        name,
        path,
    })
}

/// Puts each user in the groups it names that the snapshot holds (by their own spelling) and
/// warns about the others.
fn resolve_memberships(
    users: &mut Table<UserRecord>,
    groups: &Table<GroupRecord>,
    memberships: Vec<(String, Vec<(String, String)>)>,
    cx: &mut Context<'_>,
) {
    let mut missing: Vec<(String, String, usize)> = Vec::new();
    for (user, names) in memberships {
        let Some(u) = users.get_mut(&user) else {
            continue;
        };
        for (path, name) in names {
            match groups.get(&name) {
                Some(g) => {
                    if !u.groups.iter().any(|m| m.eq_ignore_ascii_case(&g.name)) {
                        u.groups.push(g.name.clone());
                    }
                }
                None => match missing.iter_mut().find(|m| m.0.eq_ignore_ascii_case(&name)) {
                    Some(m) => m.2 += 1,
                    None => missing.push((name, path, 1)),
                },
            }
        }
    }
    for (name, first, count) in missing {
        let place = places(&first, count);
        cx.warnings.push(format!(
            "the group `{name}`, named {place}, is not in the snapshot's GroupDetailList: those \
             memberships were dropped"
        ));
    }
}

/// What a role's copies inside instance profiles (full `Role` objects) add to its RoleDetail.
struct NestedRole {
    description: Option<String>,
    max_session_duration: Option<i32>,
}

fn max_session(o: &Obj<'_>) -> R<Option<i32>> {
    match o.int("MaxSessionDuration")? {
        None => Ok(None),
        Some(s) => match i32::try_from(s) {
            Ok(s) if s > 0 => Ok(Some(s)),
            _ => invalid(
                o.path("MaxSessionDuration"),
                format!("{s} is not a number of seconds (IAM allows 3600 to 43200)"),
            ),
        },
    }
}

fn role(
    o: &Obj<'_>,
    cx: &mut Context<'_>,
    profiles: &mut Profiles,
    nested: &mut HashMap<String, NestedRole>,
) -> R<(RoleRecord, bool)> {
    let (name, path) = identity(o, cx, "RoleName", "role", 64)?;
    let date = o.date("CreateDate")?;
    let trust = document(
        cx,
        o.req("AssumeRolePolicyDocument")?,
        &o.path("AssumeRolePolicyDocument"),
    )?;
    let description = o.str("Description")?.map(str::to_string);
    let max = max_session(o)?;
    let last_used = match o.obj("RoleLastUsed")? {
        None => LastUsed::default(),
        Some(l) => LastUsed {
            date: l.date("LastUsedDate")?,
            service: None,
            region: l.str("Region")?.map(str::to_string),
        },
    };
    for p in o.objects("InstanceProfileList")? {
        profiles.add(&p, &name, cx, nested)?;
    }
    let record = RoleRecord {
        role_id: id(o, "RoleId", "AROA")?,
        create_date: cx.created(date),
        description,
        max_session_duration: max.unwrap_or(3600),
        assume_role_policy: trust,
        permissions_boundary: boundary(o, cx)?,
        tags: tags(o)?,
        attached_policies: attached_policies(o, cx)?,
        inline_policies: inline_policies(o, cx, "RolePolicyList")?,
        last_used,
        name,
        path,
    };
    Ok((record, max.is_some()))
}

/// Instance profiles, gathered from the roles they hold (one profile may be listed under
/// several roles).
#[derive(Default)]
struct Profiles {
    list: Vec<(InstanceProfileRecord, String)>,
    index: HashMap<String, usize>,
}

impl Profiles {
    fn add(
        &mut self,
        p: &Obj<'_>,
        role: &str,
        cx: &mut Context<'_>,
        nested: &mut HashMap<String, NestedRole>,
    ) -> R<()> {
        let (name, path) = identity(p, cx, "InstanceProfileName", "instance-profile", 128)?;
        let date = p.date("CreateDate")?;
        let profile_id = p.str("InstanceProfileId")?;
        let mut roles = vec![role.to_string()];
        for r in p.objects("Roles")? {
            let (rname, _) = identity(&r, cx, "RoleName", "role", 64)?;
            nested.entry(key(&rname)).or_insert(NestedRole {
                description: r.str("Description")?.map(str::to_string),
                max_session_duration: max_session(&r)?,
            });
            if !roles.iter().any(|x| x.eq_ignore_ascii_case(&rname)) {
                roles.push(rname);
            }
        }
        if let Some(&i) = self.index.get(&key(&name)) {
            let (existing, first) = &mut self.list[i];
            if let Some(pid) = profile_id
                && pid != existing.instance_profile_id
            {
                return invalid(
                    p.path("InstanceProfileId"),
                    format!(
                        "the instance profile `{name}` appears with the id `{}` at {first} and \
                         `{pid}` here",
                        existing.instance_profile_id
                    ),
                );
            }
            for r in roles {
                if !existing.roles.iter().any(|x| x.eq_ignore_ascii_case(&r)) {
                    existing.roles.push(r);
                }
            }
            return Ok(());
        }
        let record = InstanceProfileRecord {
            instance_profile_id: id(p, "InstanceProfileId", "AIPA")?,
            create_date: cx.created(date),
            roles,
            tags: tags(p)?,
            name: name.clone(),
            path,
        };
        self.index.insert(key(&name), self.list.len());
        self.list.push((record, p.path.clone()));
        Ok(())
    }

    /// The profiles, holding only roles the account has (by their own spelling).
    fn finish(self, roles: &Table<RoleRecord>) -> Table<InstanceProfileRecord> {
        let mut table = Table::default();
        for (mut p, _) in self.list {
            p.roles = p
                .roles
                .iter()
                .filter_map(|r| roles.get(r).map(|r| r.name.clone()))
                .collect();
            table.insert(p);
        }
        table
    }
}

// --- managed policies ---------------------------------------------------------------------------

/// `v12` → 12; `None` for anything else.
fn version_number(id: &str) -> Option<u32> {
    let digits = id.strip_prefix('v')?;
    if digits.is_empty() || digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// A managed policy: whether it is AWS managed, and its record.
fn policy(o: &Obj<'_>, cx: &mut Context<'_>) -> R<(bool, PolicyRecord)> {
    let is_aws = match o.str("Arn")? {
        Some(arn) => parse_arn(arn, &o.path("Arn"))?.account == "aws",
        None => false,
    };
    let (name, path) = identity(o, cx, "PolicyName", "policy", 128)?;
    let create = o.date("CreateDate")?;
    let create_date = if is_aws {
        create.unwrap_or(cx.now)
    } else {
        cx.created(create)
    };
    let update_date = o.date("UpdateDate")?.unwrap_or(create_date);

    let list_path = o.path("PolicyVersionList");
    if !o.has("PolicyVersionList") {
        return invalid(list_path, "missing");
    }
    let list = o.objects("PolicyVersionList")?;
    if list.is_empty() {
        return invalid(
            list_path,
            "empty: a managed policy has at least one version",
        );
    }
    let mut versions: Vec<(u32, PolicyVersionRecord)> = Vec::new();
    let mut flagged: Vec<(String, String)> = Vec::new();
    for v in &list {
        let vid = v.req_str("VersionId")?;
        let Some(n) = version_number(vid) else {
            return invalid(
                v.path("VersionId"),
                format!("`{vid}` is not a policy version id (v1, v2, …)"),
            );
        };
        if versions.iter().any(|(m, _)| *m == n) {
            return invalid(
                v.path("VersionId"),
                format!("the version `{vid}` appears twice"),
            );
        }
        let document = document(cx, v.req("Document")?, &v.path("Document"))?;
        if v.bool("IsDefaultVersion")? == Some(true) {
            flagged.push((vid.to_string(), v.path("IsDefaultVersion")));
        }
        versions.push((
            n,
            PolicyVersionRecord {
                version_id: vid.to_string(),
                document,
                create_date: v.date("CreateDate")?.unwrap_or(create_date),
            },
        ));
    }
    let known = || {
        versions
            .iter()
            .map(|(_, v)| v.version_id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let default_version_id = match o.str("DefaultVersionId")? {
        Some(d) => {
            if !versions.iter().any(|(_, v)| v.version_id == d) {
                return invalid(
                    o.path("DefaultVersionId"),
                    format!("`{d}` is not in PolicyVersionList ({})", known()),
                );
            }
            if let Some((f, at)) = flagged.iter().find(|(f, _)| f != d) {
                return invalid(
                    at.clone(),
                    format!("true for `{f}`, but DefaultVersionId is `{d}`"),
                );
            }
            d.to_string()
        }
        None => match &flagged[..] {
            [(f, _)] => f.clone(),
            [] => {
                return invalid(
                    o.path("DefaultVersionId"),
                    "missing, and no version has IsDefaultVersion true",
                );
            }
            [_, (_, at), ..] => {
                return invalid(
                    at.clone(),
                    "more than one version has IsDefaultVersion true",
                );
            }
        },
    };
    if o.bool("IsAttachable")? == Some(false) {
        cx.warnings.push(format!(
            "{}: the policy `{name}` is not attachable in the snapshot, but the local account \
             lets every managed policy be attached",
            o.path("IsAttachable")
        ));
    }
    versions.sort_by_key(|(n, _)| *n);
    let next_version = versions.last().map_or(1, |(n, _)| n + 1);
    let policy_id = match o.str("PolicyId")? {
        Some(id) if !id.is_empty() => id.to_string(),
        _ if is_aws => aws_policies()
            .get(&iam_arn("aws", "policy", &path, &name))
            .map_or_else(|| names::unique_id("ANPA"), |p| p.policy_id.clone()),
        _ => names::unique_id("ANPA"),
    };
    Ok((
        is_aws,
        PolicyRecord {
            policy_id,
            description: o.str("Description")?.map(str::to_string),
            create_date,
            update_date,
            default_version_id,
            next_version,
            versions: versions.into_iter().map(|(_, v)| v).collect(),
            tags: Vec::new(),
            name,
            path,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import(json: &str) -> Imported {
        import_authorization_details(json).unwrap_or_else(|e| panic!("import failed: {e}"))
    }

    fn error(json: &str) -> String {
        match import_authorization_details(json) {
            Ok(i) => panic!("expected an error, imported {:?}", i.account),
            Err(e) => e.to_string(),
        }
    }

    const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

    /// A snapshot as the AWS CLI prints it: documents decoded into (pretty-printed) objects.
    const CLI: &str = include_str!("testdata/authorization-details.json");

    #[test]
    fn imports_what_the_cli_prints() {
        let Imported {
            account: a,
            warnings,
        } = import(CLI);
        assert_eq!(warnings, Vec::<String>::new());
        assert_eq!(a.account_id, "123456789012");
        assert_eq!(a.origin, "import");
        assert_eq!(a.format, super::super::model::FORMAT);
        // The earliest entity of the account (the policy of 2021).
        assert_eq!(a.created.to_rfc3339(), "2021-01-01T00:00:00+00:00");

        let u = a.users.get("ALICE").expect("alice");
        assert_eq!((u.name.as_str(), u.path.as_str()), ("alice", "/eng/"));
        assert_eq!(u.user_id, "AIDAEXAMPLEALICE00001");
        assert_eq!(u.create_date.to_rfc3339(), "2023-05-06T07:08:09+00:00");
        // The membership takes the group's own spelling.
        assert_eq!(u.groups, ["devs"]);
        assert_eq!(
            u.attached_policies,
            ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
        );
        assert_eq!(
            u.permissions_boundary.as_deref(),
            Some("arn:aws:iam::123456789012:policy/boundaries/dev-boundary")
        );
        assert_eq!(u.tags, [Tag::new("team", "blue")]);
        // Compact, in the original key order, spaces inside strings kept.
        assert_eq!(
            u.inline_policies.get("own-bucket").unwrap().document,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Z first","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::a b/*"}]}"#
        );
        assert!(u.access_keys.is_empty() && u.mfa_devices.is_empty() && u.login_profile.is_none());

        let g = a.groups.get("devs").unwrap();
        assert_eq!(g.group_id, "AGPAEXAMPLEDEVS000001");
        assert_eq!(g.create_date.to_rfc3339(), "2022-01-02T03:04:05.678+00:00");

        let r = a.roles.get("web").unwrap();
        assert_eq!(r.path, "/service/");
        assert_eq!(r.assume_role_policy, TRUST);
        // Offsets are converted to UTC.
        assert_eq!(r.create_date.to_rfc3339(), "2024-02-03T02:05:06+00:00");
        // From the role's copy in its instance profile.
        assert_eq!(r.description.as_deref(), Some("serves the site"));
        assert_eq!(r.max_session_duration, 7200);
        assert_eq!(r.last_used.region.as_deref(), Some("eu-west-1"));
        assert_eq!(
            r.last_used.date.unwrap().to_rfc3339(),
            "2024-03-01T00:00:00+00:00"
        );

        let p = a.instance_profiles.get("web-profile").unwrap();
        assert_eq!(p.instance_profile_id, "AIPAEXAMPLEWEBPROFILE");
        assert_eq!(p.roles, ["web"]);
        assert_eq!(p.tags, [Tag::new("tier", "front")]);

        let b = a.policies.get("dev-boundary").unwrap();
        assert_eq!(b.path, "/boundaries/");
        assert_eq!(b.policy_id, "ANPAEXAMPLEBOUNDARY01");
        assert_eq!(b.description.as_deref(), Some("what devs may do at most"));
        // Not the latest version: v3 exists but v2 is the default.
        assert_eq!(b.default_version_id, "v2");
        let ids: Vec<&str> = b.versions.iter().map(|v| v.version_id.as_str()).collect();
        assert_eq!(ids, ["v2", "v3"]);
        assert_eq!(b.next_version, 4);
        assert_eq!(
            b.default_document(),
            Some(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#
            )
        );
        assert!(a.aws_policies.is_empty());
        assert!(a.virtual_mfa_devices.is_empty() && a.password_policy.is_none());
        assert!(a.saml_providers.is_empty() && a.oidc_providers.is_empty());
    }

    #[test]
    fn the_imported_account_survives_the_file_format() {
        let a = import(CLI).account;
        let text = serde_json::to_string(&a).unwrap();
        let back: Account = serde_json::from_str(&text).unwrap();
        assert_eq!(back, a);
    }

    #[test]
    fn url_encoded_documents_are_decoded() {
        // As the raw API (and moto's XML) has them; the trust policy as a plain JSON string.
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22sqs%3A%2A%22%2C%22Resource%22%3A%22arn%3Aaws%3Asqs%3A%3A%3Aq%20%25%22%7D%7D";
        let json = format!(
            r#"{{"UserDetailList":[{{"UserName":"u","UserPolicyList":[{{"PolicyName":"p","PolicyDocument":"{encoded}"}}]}}],
                "RoleDetailList":[{{"RoleName":"r","AssumeRolePolicyDocument":"{{ \"Version\": \"2012-10-17\", \"Statement\": [] }}"}}],
                "Policies":[{{"PolicyName":"m","DefaultVersionId":"v1","PolicyVersionList":[{{"VersionId":"v1","Document":"%7B%20%22Version%22%3A%20%222012-10-17%22%20%7D"}}]}}]}}"#
        );
        let a = import(&json).account;
        assert_eq!(
            a.users
                .get("u")
                .unwrap()
                .inline_policies
                .get("p")
                .unwrap()
                .document,
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sqs:*","Resource":"arn:aws:sqs:::q %"}}"#
        );
        assert_eq!(
            a.roles.get("r").unwrap().assume_role_policy,
            r#"{"Version":"2012-10-17","Statement":[]}"#
        );
        assert_eq!(
            a.policies.get("m").unwrap().default_document(),
            Some(r#"{"Version":"2012-10-17"}"#)
        );
    }

    #[test]
    fn escapes_inside_documents_are_kept_as_written() {
        let json = r#"{"RoleDetailList":[{"RoleName":"r","AssumeRolePolicyDocument":
            {"Version" : "2012-10-17", "Statement": [{"Sid": "a\"b\\ c\u00e9", "Effect": "Allow",
             "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}}]}"#;
        let r = import(json).account;
        let doc = &r.roles.get("r").unwrap().assume_role_policy;
        assert_eq!(
            doc,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"a\"b\\ c\u00e9","Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#
        );
        let v: serde_json::Value = serde_json::from_str(doc).unwrap();
        assert_eq!(v["Statement"][0]["Sid"], "a\"b\\ cé");
    }

    #[test]
    fn merged_pages_and_missing_lists_import() {
        // The CLI concatenates the pages' lists: entities arrive in any order, and a filtered
        // snapshot leaves lists out.
        let json = r#"{
            "UserDetailList": [
                {"UserName": "zed", "Arn": "arn:aws:iam::111122223333:user/zed", "GroupList": ["g2", "g1", "G1"]},
                {"UserName": "amy", "Arn": "arn:aws:iam::111122223333:user/amy", "GroupList": []}
            ],
            "GroupDetailList": [
                {"GroupName": "g2", "Arn": "arn:aws:iam::111122223333:group/g2"},
                {"GroupName": "g1", "Arn": "arn:aws:iam::111122223333:group/g1"}
            ],
            "IsTruncated": false
        }"#;
        let Imported { account, warnings } = import(json);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(account.account_id, "111122223333");
        let names: Vec<&str> = account.users.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["amy", "zed"]);
        assert_eq!(account.users.get("zed").unwrap().groups, ["g2", "g1"]);
        assert!(account.roles.is_empty() && account.policies.is_empty());
        // No CreateDate: the import's time; ids of IAM's shape are made up.
        let amy = account.users.get("amy").unwrap();
        assert!(amy.user_id.starts_with("AIDA") && amy.user_id.len() == 21);
        assert_eq!(amy.path, "/");
    }

    #[test]
    fn a_truncated_page_is_reported() {
        let w = import(r#"{"UserDetailList": [], "IsTruncated": true, "Marker": "x"}"#).warnings;
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("IsTruncated is true"), "{w:?}");
        let w = import(r#"{"Policies": [], "NextToken": "abc"}"#).warnings;
        assert!(w[0].contains("--max-items"), "{w:?}");
    }

    #[test]
    fn no_arn_at_all_gets_a_made_up_account() {
        let a = import(r#"{"UserDetailList": [], "Policies": []}"#).account;
        assert_eq!(a.account_id.len(), 12);
        assert!(a.account_id.bytes().all(|b| b.is_ascii_digit()));
        assert!(a.users.is_empty());
    }

    #[test]
    fn aws_managed_policies_keep_all_their_versions() {
        let json = r#"{
            "RoleDetailList": [{"RoleName": "r", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []},
                "AttachedManagedPolicies": [{"PolicyName": "ReadOnlyAccess", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
                                            {"PolicyName": "Custom", "PolicyArn": "arn:aws:iam::aws:policy/service-role/Custom"}]}],
            "Policies": [{
                "PolicyName": "Custom", "PolicyId": "ANPAIEXAMPLECUSTOM", "Arn": "arn:aws:iam::aws:policy/service-role/Custom",
                "Path": "/service-role/", "DefaultVersionId": "v7", "CreateDate": "2015-02-06T18:40:00Z", "UpdateDate": "2019-01-01T00:00:00Z",
                "PolicyVersionList": [
                    {"Document": {"Version": "2012-10-17", "Statement": []}, "VersionId": "v7", "IsDefaultVersion": true, "CreateDate": "2019-01-01T00:00:00Z"},
                    {"Document": {"Version": "2012-10-17"}, "VersionId": "v6", "IsDefaultVersion": false, "CreateDate": "2018-01-01T00:00:00Z"}
                ]}]
        }"#;
        let Imported { account, warnings } = import(json);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(account.policies.is_empty());
        let [p] = &account.aws_policies[..] else {
            panic!("{:?}", account.aws_policies)
        };
        assert_eq!(
            (p.name.as_str(), p.path.as_str()),
            ("Custom", "/service-role/")
        );
        assert_eq!(p.versions.len(), 2);
        assert_eq!((p.default_version_id.as_str(), p.next_version), ("v7", 8));
        // AWS's dates do not make the account older than its own entities.
        assert!(account.created > p.create_date);
        // No ARN of the account itself: a made-up account id.
        assert_eq!(account.account_id.len(), 12);
    }

    #[test]
    fn policies_without_name_or_id_take_them_from_the_arn() {
        // moto 5.2.5 leaves PolicyName and PolicyId out.
        let json = r#"{"Policies": [{"Arn": "arn:aws:iam::123456789012:policy/team/p1", "Path": "/team/",
            "DefaultVersionId": "v1", "PolicyVersionList": [{"Document": {"Version": "2012-10-17"}, "VersionId": "v1", "IsDefaultVersion": true}]}]}"#;
        let a = import(json).account;
        let p = a.policies.get("p1").unwrap();
        assert_eq!((p.name.as_str(), p.path.as_str()), ("p1", "/team/"));
        assert!(p.policy_id.starts_with("ANPA"));
    }

    #[test]
    fn the_default_version_can_come_from_the_flags_alone() {
        let json = r#"{"Policies": [{"PolicyName": "p", "PolicyVersionList": [
            {"Document": {}, "VersionId": "v1", "IsDefaultVersion": false},
            {"Document": {}, "VersionId": "v4", "IsDefaultVersion": true}]}]}"#;
        let p = import(json).account.policies.get("p").unwrap().clone();
        assert_eq!((p.default_version_id.as_str(), p.next_version), ("v4", 5));
    }

    #[test]
    fn unknown_attached_policies_are_kept_and_reported() {
        let json = r#"{
            "UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::123456789012:user/u",
                "GroupList": ["gone"],
                "AttachedManagedPolicies": [{"PolicyName": "x", "PolicyArn": "arn:aws:iam::123456789012:policy/x"},
                                            {"PolicyName": "NoSuch", "PolicyArn": "arn:aws:iam::aws:policy/NoSuchPolicyAtAll"},
                                            {"PolicyName": "ReadOnlyAccess", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]}],
            "RoleDetailList": [{"RoleName": "r", "AssumeRolePolicyDocument": {},
                "AttachedManagedPolicies": [{"PolicyArn": "arn:aws:iam::123456789012:policy/x"}],
                "PermissionsBoundary": {"PermissionsBoundaryType": "PermissionsBoundaryPolicy",
                                        "PermissionsBoundaryArn": "arn:aws:iam::123456789012:policy/x"}}]
        }"#;
        let Imported { account, warnings } = import(json);
        let u = account.users.get("u").unwrap();
        assert_eq!(u.attached_policies.len(), 3);
        assert!(u.groups.is_empty());
        let r = account.roles.get("r").unwrap();
        assert_eq!(r.attached_policies, ["arn:aws:iam::123456789012:policy/x"]);
        assert_eq!(
            r.permissions_boundary.as_deref(),
            Some("arn:aws:iam::123456789012:policy/x")
        );
        assert_eq!(warnings.len(), 3, "{warnings:#?}");
        assert!(
            warnings[0].contains("group `gone`")
                && warnings[0].contains("UserDetailList[0].GroupList[0]")
                && warnings[0].contains("dropped"),
            "{}",
            warnings[0]
        );
        assert!(
            warnings[1].contains("`arn:aws:iam::123456789012:policy/x`")
                && warnings[1].contains(
                    "UserDetailList[0].AttachedManagedPolicies[0].PolicyArn and 2 more places"
                )
                && warnings[1].contains("not in the snapshot's Policies"),
            "{}",
            warnings[1]
        );
        assert!(
            warnings[2].contains("arn:aws:iam::aws:policy/NoSuchPolicyAtAll")
                && warnings[2].contains("embeds"),
            "{}",
            warnings[2]
        );
    }

    #[test]
    fn dates_in_every_iso_form() {
        let t = |s: &str| parse_date(&json::parse(s).unwrap(), "X").map(|d| d.to_rfc3339());
        for (text, date) in [
            (r#""2024-01-02T03:04:05Z""#, "2024-01-02T03:04:05+00:00"),
            (
                r#""2024-01-02T03:04:05+00:00""#,
                "2024-01-02T03:04:05+00:00",
            ),
            (
                r#""2024-01-02T03:04:05.250Z""#,
                "2024-01-02T03:04:05.250+00:00",
            ),
            (r#""2024-01-02T05:04:05+0200""#, "2024-01-02T03:04:05+00:00"),
            (
                r#""2024-01-02 03:04:05.123456+00:00""#,
                "2024-01-02T03:04:05.123456+00:00",
            ),
            ("1704164645", "2024-01-02T03:04:05+00:00"),
        ] {
            assert_eq!(t(text).unwrap(), date, "{text}");
        }
        let e = t(r#""2024-01-02T03:04:05""#).unwrap_err().to_string();
        assert_eq!(
            e,
            "X: `2024-01-02T03:04:05` is not an ISO 8601 date and time with a time zone (2024-01-02T03:04:05Z)"
        );
        assert!(
            t("true")
                .unwrap_err()
                .to_string()
                .contains("expected a date, found a boolean")
        );
    }

    #[test]
    fn bad_input_is_refused_with_where_and_why() {
        // Two that need their own lines; the rest are in testdata.
        let cases = [
            (
                "",
                "not JSON: the document is empty at line 1, column 1 (save the output of `aws iam get-account-authorization-details --output json`)",
            ),
            (
                "{\n  \"UserDetailList\": [,]\n}",
                "not JSON: unexpected `,` where a value was expected at line 2, column 22 (save the output of `aws iam get-account-authorization-details --output json`)",
            ),
        ];
        let refusals = include_str!("testdata/import-refusals.txt");
        let more = refusals.split("\n\n").skip(1);
        let more: Vec<_> = more
            .map(|c| c.trim_end().split_once('\n').unwrap())
            .collect();
        assert_eq!(more.len(), 43, "the cases of the file");
        for (input, want) in cases.into_iter().chain(more) {
            assert_eq!(error(input), want, "input: {input}");
        }
    }

    #[test]
    fn hostile_input_is_an_error_not_a_panic() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(error(&deep).contains("nesting is too deep"));
        let deep_doc = format!(
            r#"{{"RoleDetailList":[{{"RoleName":"r","AssumeRolePolicyDocument":"{}"}}]}}"#,
            "%5B".repeat(1000)
        );
        assert!(error(&deep_doc).starts_with("RoleDetailList[0].AssumeRolePolicyDocument: "));
        for bad in [
            r#"{"UserDetailList": [{"Arn": "arn:aws:iam::123456789012:user/"}]}"#,
            r#"{"UserDetailList": [{"Arn": "arn:aws:iam::123456789012:user"}]}"#,
            r#"{"UserDetailList": [{"Arn": "arn:::::"}]}"#,
            r#"{"UserDetailList": [{"UserName": "u", "CreateDate": 1e300}]}"#,
            r#"{"UserDetailList": [{"UserName": "u", "CreateDate": -1e18}]}"#,
            r#"{"RoleDetailList": [{"RoleName": "r", "AssumeRolePolicyDocument": {}, "MaxSessionDuration": 99999999999}]}"#,
            r#"{"RoleDetailList": [{"RoleName": "r", "AssumeRolePolicyDocument": "%FF%FE"}]}"#,
            r#"{"Policies": [{"PolicyName": "p", "PolicyVersionList": [{"VersionId": "v99999999999", "Document": {}}]}]}"#,
        ] {
            assert!(import_authorization_details(bad).is_err(), "{bad}");
        }
        // A byte-order mark (as some Windows editors write) is not an error.
        assert!(import_authorization_details("\u{feff}{\"UserDetailList\": []}").is_ok());
    }
}
