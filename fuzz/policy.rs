//! Bounded-time fuzzing of the policy engine on the stable toolchain (cargo fuzz needs nightly).
//!
//! Two input sources, interleaved:
//! - structure-aware: policies generated from IAM's grammar with a vocabulary of real and broken
//!   actions, ARNs, principals, operators, keys and values, written with random layout;
//! - mutation: real policies (every policy of the evaluation corpus in `tests/policy-cases/`)
//!   with characters deleted, inserted (multi-byte ones too), duplicated, swapped and spliced
//!   from other policies.
//!
//! Each input goes through parse, validate (every policy type, with and without a size limit)
//! and, when it parses, evaluate (in every layer of a policy set, against generated requests).
//! The checks: no panic; every finding's and every deciding statement's span lies inside the
//! text on character boundaries, and turns into a line:column; a statement that denies
//! everything added to the identity policies turns any decision into `ExplicitDeny`.
//!
//! Run: `cargo test --release --test fuzz_policy -- --nocapture`. `IAMTUI_FUZZ_SECONDS` sets the
//! budget (default 20), `IAMTUI_FUZZ_SEED` replays a run; a failing input is written to
//! `target/fuzz-failures/` and its seed printed.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use iamtui::policy::eval::{Context, Outcome, PolicySet, Request, evaluate};
use iamtui::policy::json::{LineIndex, Span};
use iamtui::policy::operator::BaseOperator;
use iamtui::policy::parse_policy;
use iamtui::policy::validate::{Options, PolicyType, validate};

/// xorshift64*: small, fast, and reproducible from one seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

// --- vocabulary ------------------------------------------------------------------------------

const VERSIONS: &[&str] = &["2012-10-17", "2008-10-17", "2012-10-18", "", "latest"];
const EFFECTS: &[&str] = &["Allow", "Deny", "allow", "DENY", "Permit", ""];
const ACTIONS: &[&str] = &[
    "*",
    "*:*",
    "s3:GetObject",
    "s3:Get*",
    "s3:*Object*",
    "S3:getobject",
    "s3:?etObject",
    "iam:PassRole",
    "iam:*",
    "iam:CreateUser",
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "ec2:Describe*",
    "ec2:RunInstances",
    "kms:Decrypt",
    "dynamodb:GetItem",
    "lambda:InvokeFunction",
    "notaservice:Do",
    "s3:NoSuchAction",
    "s3",
    ":",
    "s3:",
    ":GetObject",
    "s3:Get:Object",
    "ec2:${aws:username}",
    "ünïcode:Ä",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::bucket",
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::bucket/home/${aws:username}/*",
    "arn:aws:s3:::${aws:PrincipalTag/team, 'none'}-*",
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::111122223333:role/*",
    "arn:aws:iam::*:role/app/?",
    "arn:aws:ec2:*:111122223333:instance/*",
    "arn:aws:kms:eu-west-1:111122223333:key/1234",
    "arn:aws-cn:s3:::b",
    "arn:aws:s3",
    "arn:",
    "arn:aws:iam::12345:user/x",
    "arn:aws:sts::111122223333:assumed-role/Dev/s",
    "bucket/*",
    "${*}${?}${$}",
    "${aws:username",
    "${",
    "arn:aws:s3:::a/${aws:userid}/${aws:PrincipalTag/x}",
];
const PRINCIPALS: &[&str] = &[
    "*",
    "111122223333",
    "arn:aws:iam::111122223333:root",
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::444455556666:role/Dev",
    "arn:aws:sts::111122223333:assumed-role/Dev/s",
    "arn:aws:iam::111122223333:saml-provider/Okta",
    "ec2.amazonaws.com",
    "cognito-identity.amazonaws.com",
    "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
    "arn:aws:iam::*:user/*",
    "not-an-arn",
    "",
];
const PRINCIPAL_TYPES: &[&str] = &["AWS", "Service", "Federated", "CanonicalUser", "aws", "X"];
const KEYS: &[&str] = &[
    "aws:SourceIp",
    "aws:username",
    "aws:userid",
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalOrgID",
    "aws:PrincipalTag/team",
    "aws:RequestTag/${aws:username}",
    "aws:TagKeys",
    "aws:MultiFactorAuthPresent",
    "aws:MultiFactorAuthAge",
    "aws:CurrentTime",
    "aws:EpochTime",
    "aws:SecureTransport",
    "aws:SourceVpce",
    "s3:prefix",
    "s3:x-amz-acl",
    "sts:ExternalId",
    "iam:PassedToService",
    "kms:ViaService",
    "token.actions.githubusercontent.com:sub",
    "aws:NoSuchKey",
    "nocolon",
    "",
];
const VALUES: &[&str] = &[
    "true",
    "false",
    "TRUE",
    "10.0.0.0/8",
    "10.1.2.3",
    "2001:db8::/32",
    "::1",
    "300.1.1.1/40",
    "2026-11-23T12:00:00Z",
    "2026-11-23",
    "1700000000",
    "1.5",
    "-0",
    "1e400",
    "abc",
    "*",
    "?",
    "a*b?c",
    "${aws:username}",
    "${aws:PrincipalTag/team, 'x'}",
    "${*}",
    "arn:aws:iam::111122223333:user/*",
    "QmluYXJ5",
    "",
    "ü",
];

// --- structure-aware generation --------------------------------------------------------------

/// A JSON value to print with random layout.
enum J {
    Str(String),
    Raw(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

fn s(v: &str) -> J {
    J::Str(v.to_string())
}

fn string_or_list(rng: &mut Rng, vocab: &[&str]) -> J {
    match rng.below(10) {
        0 => J::Arr(Vec::new()),
        1..=5 => s(rng.pick(vocab)),
        _ => J::Arr((0..1 + rng.below(4)).map(|_| s(rng.pick(vocab))).collect()),
    }
}

fn scalar(rng: &mut Rng) -> J {
    match rng.below(12) {
        0 => J::Raw(
            rng.pick(&["true", "false", "null", "0", "-1.5", "1e3", "12"])
                .to_string(),
        ),
        1 => J::Obj(vec![("k".into(), s("v"))]),
        _ => s(rng.pick(VALUES)),
    }
}

fn operator(rng: &mut Rng) -> String {
    let mut op = String::new();
    if rng.chance(20) {
        op.push_str(rng.pick(&["ForAllValues:", "ForAnyValue:", "ForSomeValues:"]));
    }
    // Every operator IAM has, then two it has not.
    let bases = BaseOperator::ALL.map(BaseOperator::name);
    op.push_str(rng.pick(&[&bases[..], &["StringEqualz", ""]].concat()));
    if rng.chance(20) {
        op.push_str("IfExists");
    }
    op
}

fn condition(rng: &mut Rng) -> J {
    let ops = (0..rng.below(4))
        .map(|_| {
            let keys = (0..rng.below(4))
                .map(|_| {
                    let v = if rng.chance(60) {
                        scalar(rng)
                    } else {
                        J::Arr((0..rng.below(4)).map(|_| scalar(rng)).collect())
                    };
                    (rng.pick(KEYS).to_string(), v)
                })
                .collect();
            (operator(rng), J::Obj(keys))
        })
        .collect();
    J::Obj(ops)
}

fn principal(rng: &mut Rng) -> J {
    if rng.chance(25) {
        return s(rng.pick(&["*", "111122223333", "arn:aws:iam::111122223333:root"]));
    }
    J::Obj(
        (0..1 + rng.below(3))
            .map(|_| {
                (
                    rng.pick(PRINCIPAL_TYPES).to_string(),
                    string_or_list(rng, PRINCIPALS),
                )
            })
            .collect(),
    )
}

fn statement(rng: &mut Rng) -> J {
    let mut fields: Vec<(String, J)> = Vec::new();
    if rng.chance(50) {
        fields.push(("Sid".into(), s(rng.pick(&["A", "B", "Read", "", "1"]))));
    }
    if rng.chance(95) {
        fields.push(("Effect".into(), s(rng.pick(EFFECTS))));
    }
    let not = |rng: &mut Rng, name: &str| {
        if rng.chance(20) {
            format!("Not{name}")
        } else {
            name.to_string()
        }
    };
    if rng.chance(90) {
        let k = not(rng, "Action");
        fields.push((k, string_or_list(rng, ACTIONS)));
    }
    if rng.chance(85) {
        let k = not(rng, "Resource");
        fields.push((k, string_or_list(rng, RESOURCES)));
    }
    if rng.chance(35) {
        let k = not(rng, "Principal");
        fields.push((k, principal(rng)));
    }
    if rng.chance(50) {
        fields.push(("Condition".into(), condition(rng)));
    }
    if rng.chance(5) {
        fields.push((
            rng.pick(&["Sid", "Effect", "Extra", "action"]).to_string(),
            scalar(rng),
        ));
    }
    shuffle(rng, &mut fields);
    J::Obj(fields)
}

fn policy(rng: &mut Rng) -> J {
    let mut top: Vec<(String, J)> = Vec::new();
    if rng.chance(90) {
        top.push(("Version".into(), s(rng.pick(VERSIONS))));
    }
    if rng.chance(10) {
        top.push(("Id".into(), s("id-1")));
    }
    let statements = if rng.chance(15) {
        statement(rng)
    } else {
        J::Arr((0..rng.below(6)).map(|_| statement(rng)).collect())
    };
    if rng.chance(95) {
        top.push(("Statement".into(), statements));
    }
    if rng.chance(3) {
        top.push(("Version".into(), s("2012-10-17")));
    }
    J::Obj(top)
}

fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = rng.below(i + 1);
        items.swap(i, j);
    }
}

fn escape(out: &mut String, v: &str) {
    out.push('"');
    for c in v.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write(j: &J, depth: usize, pretty: bool, out: &mut String) {
    let newline = |out: &mut String, d: usize| {
        if pretty {
            out.push('\n');
            out.push_str(&"  ".repeat(d));
        }
    };
    match j {
        J::Str(v) => escape(out, v),
        J::Raw(v) => out.push_str(v),
        J::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write(item, depth + 1, pretty, out);
            }
            newline(out, depth);
            out.push(']');
        }
        J::Obj(fields) => {
            out.push('{');
            for (i, (k, v)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                escape(out, k);
                out.push_str(if pretty { ": " } else { ":" });
                write(v, depth + 1, pretty, out);
            }
            newline(out, depth);
            out.push('}');
        }
    }
}

fn generated(rng: &mut Rng) -> String {
    let p = policy(rng);
    let mut out = String::new();
    let pretty = rng.chance(50);
    write(&p, 0, pretty, &mut out);
    out
}

// --- mutation --------------------------------------------------------------------------------

const INSERTS: &[&str] = &[
    "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "/*", "//", "\n", "\t", " ", "*",
    "?", "${", "}", "é", "€", "𝄞", "\u{feff}", "\0", "-", "1e", "null", "true",
];

/// Mutates at character positions, so the result is always valid UTF-8 (the engine takes &str).
fn mutated(rng: &mut Rng, seeds: &[String]) -> String {
    let mut chars: Vec<char> = seeds[rng.below(seeds.len())].chars().collect();
    for _ in 0..1 + rng.below(4) {
        let len = chars.len();
        let at = rng.below(len + 1);
        match rng.below(6) {
            0 if len > 0 => {
                let start = at.min(len - 1);
                let end = (start + 1 + rng.below(8)).min(len);
                chars.drain(start..end);
            }
            1 => {
                let ins: Vec<char> = rng.pick(INSERTS).chars().collect();
                chars.splice(at..at, ins);
            }
            2 if len > 1 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(16)).min(len);
                let piece: Vec<char> = chars[a..b].to_vec();
                let at = rng.below(chars.len() + 1);
                chars.splice(at..at, piece);
            }
            3 if len > 1 => {
                let a = rng.below(len);
                let b = rng.below(len);
                chars.swap(a, b);
            }
            4 => {
                // Splice a run of another seed in.
                let other: Vec<char> = seeds[rng.below(seeds.len())].chars().collect();
                if !other.is_empty() {
                    let a = rng.below(other.len());
                    let b = (a + 1 + rng.below(64)).min(other.len());
                    chars.splice(at..at, other[a..b].iter().copied());
                }
            }
            _ => {
                if let Some(c) = chars.get_mut(at) {
                    *c = char::from_u32(rng.below(0x250) as u32).unwrap_or('x');
                }
            }
        }
    }
    chars.into_iter().collect()
}

/// Every policy document in the evaluation corpus, as compact and as pretty text.
fn corpus_policies() -> Vec<String> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/policy-cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(root)
        .expect("the corpus directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&f).expect("read")).expect("json");
        for case in v.as_array().expect("an array of cases") {
            let mut docs: Vec<&serde_json::Value> = Vec::new();
            for key in ["identity_policies", "scps"] {
                if let Some(a) = case[key].as_array() {
                    docs.extend(a);
                }
            }
            for key in ["resource_policy", "permissions_boundary", "session_policy"] {
                if case[key].is_object() {
                    docs.push(&case[key]);
                }
            }
            for d in docs {
                out.push(serde_json::to_string(d).expect("serialise"));
                out.push(serde_json::to_string_pretty(d).expect("serialise"));
            }
        }
    }
    assert!(out.len() > 500, "only {} seed policies", out.len());
    out
}

// --- checks ----------------------------------------------------------------------------------

fn check_span(text: &str, index: &LineIndex, span: Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {span:?} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} splits a character"
    );
    let a = index.position(text, span.start);
    let b = index.position(text, span.end);
    assert!(
        (a.line, a.column) <= (b.line, b.column),
        "{what}: positions out of order"
    );
}

fn request(rng: &mut Rng) -> Request {
    let principal = rng.pick(&[
        "arn:aws:iam::111122223333:user/alice",
        "arn:aws:iam::111122223333:root",
        "arn:aws:sts::111122223333:assumed-role/Dev/s",
        "arn:aws:iam::444455556666:user/erin",
        "ec2.amazonaws.com",
        "",
    ]);
    let action = rng.pick(ACTIONS);
    let resource = rng.pick(RESOURCES);
    let mut ctx = Context::new();
    for _ in 0..rng.below(6) {
        let key = rng.pick(KEYS);
        if rng.chance(30) {
            let n = rng.below(4);
            ctx.insert(key, (0..n).map(|_| rng.pick(VALUES)).collect::<Vec<_>>());
        } else {
            ctx.insert(key, rng.pick(VALUES));
        }
    }
    let mut r = Request::new(principal, action, resource).with_context(ctx);
    if rng.chance(70) {
        r = r.with_resource_account(rng.pick(&["111122223333", "444455556666", ""]));
    }
    r
}

const DENY_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}"#;

/// Runs every check on one input; whether it parsed into a policy.
fn exercise(rng: &mut Rng, text: &str, deny_all: &iamtui::policy::Policy) -> bool {
    let index = LineIndex::new(text);
    let parsed = parse_policy(text);
    for f in &parsed.findings {
        check_span(text, &index, f.span, f.code);
    }
    for ty in PolicyType::ALL {
        let mut options = Options::new(ty);
        if rng.chance(30) {
            options = options.with_limit(rng.below(400));
        }
        for f in &validate(text, &options).findings {
            check_span(text, &index, f.span, f.code);
            assert!(!f.message.is_empty(), "{}: empty message", f.code);
        }
    }
    let Some(policy) = parsed.policy else {
        return false;
    };
    for _ in 0..3 {
        let req = request(rng);
        let layer = rng.below(5);
        let mut set = PolicySet::new();
        match layer {
            0 => set = set.identity(&policy),
            1 => set.resource = Some(&policy),
            2 => set.boundary = Some(&policy),
            3 => set.scps.push(&policy),
            _ => set.session = Some(&policy),
        }
        if layer != 0 && rng.chance(50) {
            set = set.identity(&policy);
        }
        let d = evaluate(&set, &req);
        assert!(!d.reason.is_empty(), "a decision without a reason");
        // Every layer holds the same document, so every deciding span points into `text`.
        for st in &d.deciding {
            check_span(text, &index, st.span, "deciding statement");
        }
        // Metamorphic: a Deny of everything among the identity policies always wins.
        set.identity.push(deny_all);
        let denied = evaluate(&set, &req);
        assert_eq!(
            denied.outcome,
            Outcome::ExplicitDeny,
            "Deny * on * did not deny {req:?}"
        );
    }
    true
}

#[test]
fn fuzz_parse_validate_evaluate() {
    let seconds: u64 = std::env::var("IAMTUI_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let seed: u64 = std::env::var("IAMTUI_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        })
        | 1;
    let seeds = corpus_policies();
    let deny_all = parse_policy(DENY_ALL).policy.expect("deny-all parses");
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut executions: u64 = 0;
    let (mut generated_n, mut mutated_n, mut parsed_n) = (0u64, 0u64, 0u64);
    while Instant::now() < deadline {
        // One seed per input, so any failure replays alone.
        let input_seed = seed.wrapping_add(executions.wrapping_mul(0x9e37_79b9_7f4a_7c15)) | 1;
        let mut rng = Rng(input_seed);
        let text = if rng.chance(50) {
            generated_n += 1;
            generated(&mut rng)
        } else {
            mutated_n += 1;
            mutated(&mut rng, &seeds)
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| exercise(&mut rng, &text, &deny_all)));
        match outcome {
            Ok(true) => parsed_n += 1,
            Ok(false) => {}
            Err(panic) => {
                let dir =
                    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target/fuzz-failures"));
                let _ = std::fs::create_dir_all(&dir);
                let file = dir.join(format!("{input_seed}.json"));
                let _ = std::fs::write(&file, &text);
                let msg = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                panic!(
                    "input {input_seed} failed after {executions} executions: {msg}\n\
                 input written to {}\n{text}",
                    file.display()
                );
            }
        }
        executions += 1;
    }
    println!(
        "fuzz: seed {seed}, {executions} inputs in {seconds} s ({generated_n} generated, \
         {mutated_n} mutated; {parsed_n} parsed into a policy)"
    );
    assert!(executions > 100, "only {executions} inputs ran");
    assert!(
        parsed_n > executions / 20,
        "few inputs parsed: the generator is broken"
    );
}
