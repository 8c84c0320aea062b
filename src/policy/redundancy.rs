//! Redundant statements: a statement whose actions and resources are all covered by another
//! statement with the same effect and principal, neither with conditions, adds nothing.
//!
//! Comparing every pair of statements is quadratic (8,000 statements took 23 s). Instead the
//! statements are indexed by their patterns, and a statement is compared only with those that
//! hold a pattern able to cover one of its items: a plain pattern covers only the same text, and
//! a wildcard pattern only text that starts with its literal prefix (the part before its first
//! `*` or `?`). Of all its items, the one with the fewest such candidates is used.
//!
//! Patterns can still share prefixes without covering each other (thousands of `s3:Get*X1`,
//! `s3:Get*X2`, ...), which makes the comparisons quadratic again; so the search stops after a
//! fixed amount of work, several times what the largest policy IAM accepts can need.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use super::ast::{Effect, ListClause, PrincipalType, PrincipalValue, Statement};
use super::eval::wildcard::{wildcard_match, wildcard_match_ignore_ascii_case};

/// Work allowed for the whole search, in characters compared (a pattern comparison costs the
/// product of the lengths when both sides have wildcards). A policy within IAM's largest size
/// limit needs at most twice the square of its length, about 2 × 10⁸.
const BUDGET: u64 = 1 << 28;

/// For each redundant statement, in order: its position in `statements` and the position of
/// the first statement that covers it (one that covers it without being covered back, or an
/// earlier identical one).
pub fn redundant_statements(statements: &[Statement]) -> Vec<(usize, usize)> {
    redundant_within(statements, BUDGET)
}

fn redundant_within(statements: &[Statement], mut budget: u64) -> Vec<(usize, usize)> {
    let index = Index::new(statements);
    let mut out = Vec::new();
    for (i, a) in index.statements.iter().enumerate() {
        let Some(a) = a else { continue };
        let Some(candidates) = index.candidates(a, &mut budget) else {
            break;
        };
        for j in candidates.iter() {
            if i == j {
                continue;
            }
            let Some(b) = &index.statements[j] else {
                continue;
            };
            let found = match index.covers(b, a, &mut budget) {
                Some(false) => false,
                Some(true) if j < i => true,
                Some(true) => match index.covers(a, b, &mut budget) {
                    Some(back) => !back,
                    None => return out,
                },
                None => return out,
            };
            if found {
                out.push((i, j));
                break;
            }
        }
    }
    out
}

fn spend(budget: &mut u64, cost: usize) -> Option<()> {
    *budget = budget.checked_sub(cost as u64 + 1)?;
    Some(())
}

/// Text compared as actions are (ignoring ASCII case) or as resources are (exactly).
#[derive(Clone, Copy)]
struct Text<'a> {
    text: &'a str,
    fold: bool,
}

impl PartialEq for Text<'_> {
    fn eq(&self, other: &Self) -> bool {
        if self.fold {
            self.text.eq_ignore_ascii_case(other.text)
        } else {
            self.text == other.text
        }
    }
}

impl Eq for Text<'_> {}

impl Hash for Text<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        if self.fold {
            for b in self.text.bytes() {
                state.write_u8(b.to_ascii_lowercase());
            }
        } else {
            state.write(self.text.as_bytes());
        }
        state.write_u8(0xff);
    }
}

/// An action or resource pattern, measured once.
#[derive(Clone, Copy)]
struct Pattern<'a> {
    text: &'a str,
    /// Whether it has a `*` or `?`.
    wild: bool,
    /// Bytes before the first wildcard (the whole text when there is none).
    prefix: u32,
    /// Bytes after the last wildcard.
    suffix: u32,
}

impl<'a> Pattern<'a> {
    fn new(text: &'a str) -> Self {
        let first = text.find(['*', '?']);
        let last = text.rfind(['*', '?']);
        // Lengths past 4 GiB do not occur: the whole document is a `String` read in one piece.
        let length = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self {
            text,
            wild: first.is_some(),
            prefix: length(first.unwrap_or(text.len())),
            suffix: length(last.map_or(text.len(), |n| text.len() - n - 1)),
        }
    }

    fn prefix(&self) -> usize {
        self.prefix as usize
    }

    fn suffix(&self) -> usize {
        self.suffix as usize
    }

    fn literal_prefix(&self) -> &'a str {
        &self.text[..self.prefix()]
    }
}

/// A statement's Action or Resource as the comparison sees it.
#[derive(Clone, Copy)]
enum Side {
    Absent,
    /// NotAction / NotResource: it neither covers nor is covered.
    Negated,
    /// Its patterns: `start..end` in the index's table, the plain ones before the wildcards
    /// (their order does not change what covers what), which start at `wild`.
    List {
        start: u32,
        wild: u32,
        end: u32,
    },
}

impl Side {
    fn of<'a>(clause: &'a Option<ListClause>, table: &mut Vec<Pattern<'a>>) -> Self {
        let position = |table: &Vec<Pattern>| u32::try_from(table.len()).unwrap_or(u32::MAX);
        match clause {
            None => Side::Absent,
            Some(c) if c.negated => Side::Negated,
            Some(c) => {
                let start = position(table);
                let patterns = c.items.iter().map(|i| Pattern::new(&i.value));
                table.extend(patterns.clone().filter(|p| !p.wild));
                let wild = position(table);
                table.extend(patterns.filter(|p| p.wild));
                Side::List {
                    start,
                    wild,
                    end: position(table),
                }
            }
        }
    }

    /// All its patterns, and the wildcard ones.
    fn patterns<'t, 'a>(&self, table: &'t [Pattern<'a>]) -> (&'t [Pattern<'a>], &'t [Pattern<'a>]) {
        match *self {
            Side::List { start, wild, end } => (
                &table[start as usize..end as usize],
                &table[wild as usize..end as usize],
            ),
            _ => (&[], &[]),
        }
    }
}

/// A statement that can cover or be covered: it has an effect and no condition.
struct Entry {
    index: u32,
    group: u32,
    action: Side,
    resource: Side,
}

/// Statements by the patterns of one element (Action or Resource) they hold.
#[derive(Default)]
struct PatternIndex<'a> {
    fold: bool,
    /// Plain patterns: the statements holding exactly this text, ascending.
    plain: HashMap<(u32, Text<'a>), Vec<u32>>,
    /// Wildcard patterns by their literal prefix: the statements holding one, ascending.
    wild: HashMap<(u32, Text<'a>), Vec<u32>>,
    /// The distinct lengths of the prefixes in `wild`, ascending (once finished).
    prefix_lengths: Vec<usize>,
    /// The same while the index is built.
    lengths_seen: HashSet<usize>,
    /// By group, the statements without the element, ascending.
    absent: HashMap<u32, Vec<u32>>,
}

fn push_once(list: &mut Vec<u32>, index: u32) {
    if list.last() != Some(&index) {
        list.push(index);
    }
}

impl<'a> PatternIndex<'a> {
    fn new(fold: bool) -> Self {
        Self {
            fold,
            ..Self::default()
        }
    }

    fn text(&self, text: &'a str) -> Text<'a> {
        Text {
            text,
            fold: self.fold,
        }
    }

    fn add(&mut self, index: u32, group: u32, side: Side, table: &[Pattern<'a>]) {
        match side {
            Side::Absent => push_once(self.absent.entry(group).or_default(), index),
            Side::Negated => {}
            Side::List { .. } => {
                for p in side.patterns(table).0 {
                    let map = if p.wild {
                        self.lengths_seen.insert(p.prefix());
                        &mut self.wild
                    } else {
                        &mut self.plain
                    };
                    let key = (
                        group,
                        Text {
                            text: p.literal_prefix(),
                            fold: self.fold,
                        },
                    );
                    push_once(map.entry(key).or_default(), index);
                }
            }
        }
    }

    fn finish(&mut self) {
        self.prefix_lengths = std::mem::take(&mut self.lengths_seen).into_iter().collect();
        self.prefix_lengths.sort_unstable();
    }

    /// Whether statement `index` holds the plain pattern `text`.
    fn holds_plain(&self, group: u32, index: u32, text: &'a str) -> bool {
        self.plain
            .get(&(group, self.text(text)))
            .is_some_and(|list| list.binary_search(&index).is_ok())
    }

    /// The lists of statements holding a pattern that may cover `item`, or `None` when the
    /// budget ran out.
    fn buckets(&self, group: u32, item: &Pattern<'a>, budget: &mut u64) -> Option<Vec<&[u32]>> {
        let mut out = Vec::new();
        if !item.wild {
            spend(budget, item.text.len())?;
            if let Some(list) = self.plain.get(&(group, self.text(item.text))) {
                out.push(list.as_slice());
            }
        }
        let literal = item.literal_prefix();
        for &len in &self.prefix_lengths {
            if len > literal.len() {
                break;
            }
            if !literal.is_char_boundary(len) {
                continue;
            }
            spend(budget, len)?;
            if let Some(list) = self.wild.get(&(group, self.text(&literal[..len]))) {
                out.push(list.as_slice());
            }
        }
        Some(out)
    }
}

/// A principal as comparable text: negated, and each type with its values. `"*"` reads as
/// `{"AWS": "*"}`.
type PrincipalKey<'a> = Option<(bool, Vec<(PrincipalType, Vec<&'a str>)>)>;

fn principal_key(st: &Statement) -> PrincipalKey<'_> {
    st.principal.as_ref().map(|p| {
        let entries = match &p.value {
            PrincipalValue::Any => vec![(PrincipalType::Aws, vec!["*"])],
            PrincipalValue::Map(m) => m
                .iter()
                .map(|e| (e.kind, e.values.iter().map(|v| v.value.as_str()).collect()))
                .collect(),
        };
        (p.negated, entries)
    })
}

/// Statement positions in ascending order: one list as it is, or several merged.
enum Candidates<'i> {
    One(&'i [u32]),
    Merged(Vec<u32>),
}

impl Candidates<'_> {
    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        let list = match self {
            Candidates::One(l) => l,
            Candidates::Merged(v) => v.as_slice(),
        };
        list.iter().map(|&j| j as usize)
    }
}

struct Index<'a> {
    /// By position; `None` for statements that cannot take part.
    statements: Vec<Option<Entry>>,
    /// Every statement's patterns, one after the other.
    table: Vec<Pattern<'a>>,
    actions: PatternIndex<'a>,
    resources: PatternIndex<'a>,
}

impl<'a> Index<'a> {
    fn new(statements: &'a [Statement]) -> Self {
        // Only statements of the same effect and principal can cover each other: a group.
        let mut groups: HashMap<(bool, PrincipalKey<'a>), u32> = HashMap::new();
        let mut actions = PatternIndex::new(true);
        let mut resources = PatternIndex::new(false);
        let mut table = Vec::new();
        let entries = statements
            .iter()
            .enumerate()
            .map(|(i, st)| {
                let effect = st.effect.as_ref()?.value;
                if st.condition.as_ref().is_some_and(|c| !c.clauses.is_empty()) {
                    return None;
                }
                let next = groups.len() as u32;
                let group = *groups
                    .entry((effect == Effect::Allow, principal_key(st)))
                    .or_insert(next);
                let entry = Entry {
                    index: i as u32,
                    group,
                    action: Side::of(&st.action, &mut table),
                    resource: Side::of(&st.resource, &mut table),
                };
                actions.add(entry.index, group, entry.action, &table);
                resources.add(entry.index, group, entry.resource, &table);
                Some(entry)
            })
            .collect();
        actions.finish();
        resources.finish();
        Self {
            statements: entries,
            table,
            actions,
            resources,
        }
    }

    /// The statements that may cover `a`, ascending; `None` when the budget ran out.
    fn candidates(&self, a: &Entry, budget: &mut u64) -> Option<Candidates<'_>> {
        let mut best: Option<Vec<&[u32]>> = None;
        let size = |lists: &[&[u32]]| lists.iter().map(|l| l.len()).sum::<usize>();
        for (side, index) in [(a.action, &self.actions), (a.resource, &self.resources)] {
            let choices: Vec<Vec<&[u32]>> = match side {
                Side::Absent => vec![
                    index
                        .absent
                        .get(&a.group)
                        .map(|l| vec![l.as_slice()])
                        .unwrap_or_default(),
                ],
                // Never covered.
                Side::Negated => return Some(Candidates::One(&[])),
                Side::List { start, end, .. } if start == end => {
                    return Some(Candidates::One(&[]));
                }
                Side::List { .. } => side
                    .patterns(&self.table)
                    .0
                    .iter()
                    .map(|item| index.buckets(a.group, item, budget))
                    .collect::<Option<_>>()?,
            };
            for lists in choices {
                if best.as_ref().is_none_or(|b| size(&lists) < size(b)) {
                    best = Some(lists);
                }
            }
        }
        let lists = best.unwrap_or_default();
        match lists[..] {
            [] => Some(Candidates::One(&[])),
            [one] => Some(Candidates::One(one)),
            _ => {
                let mut merged = lists.concat();
                spend(budget, merged.len())?;
                merged.sort_unstable();
                merged.dedup();
                Some(Candidates::Merged(merged))
            }
        }
    }

    /// Whether every action and resource of `inner` is matched by `outer`'s patterns; `None`
    /// when the budget ran out.
    fn covers(&self, outer: &Entry, inner: &Entry, budget: &mut u64) -> Option<bool> {
        let side = |index, outer_side, inner_side, budget: &mut u64| {
            side_covers(index, &self.table, outer, outer_side, inner_side, budget)
        };
        Some(
            side(&self.actions, outer.action, inner.action, budget)?
                && side(&self.resources, outer.resource, inner.resource, budget)?,
        )
    }
}

fn side_covers<'a>(
    index: &PatternIndex<'a>,
    table: &[Pattern<'a>],
    outer_entry: &Entry,
    outer: Side,
    inner: Side,
    budget: &mut u64,
) -> Option<bool> {
    let (wild, items) = match (outer, inner) {
        (Side::Absent, Side::Absent) => return Some(true),
        (Side::List { .. }, Side::List { start, end, .. }) if start < end => {
            (outer.patterns(table).1, inner.patterns(table).0)
        }
        _ => return Some(false),
    };
    for x in items {
        if !x.wild {
            spend(budget, x.text.len())?;
            if index.holds_plain(outer_entry.group, outer_entry.index, x.text) {
                continue;
            }
        }
        let mut covered = false;
        for p in wild {
            if costed_pattern_covers(p, x, index.fold, budget)? {
                covered = true;
                break;
            }
        }
        if !covered {
            return Some(false);
        }
    }
    Some(true)
}

/// [`pattern_covers`] for a wildcard `outer`, paying for the work from `budget`. Cheap checks
/// first: `inner` must start with `outer`'s literal prefix and end with its literal suffix.
fn costed_pattern_covers(
    outer: &Pattern,
    inner: &Pattern,
    fold: bool,
    budget: &mut u64,
) -> Option<bool> {
    let (prefix, suffix) = (outer.prefix(), outer.suffix());
    spend(budget, prefix + suffix)?;
    let same = |a: &[u8], b: &[u8]| {
        if fold {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    // The literal ends of `outer` match only literal text of `inner`.
    let fits = inner.prefix() >= prefix
        && inner.suffix() >= suffix
        && same(
            &inner.text.as_bytes()[..prefix],
            &outer.text.as_bytes()[..prefix],
        )
        && same(
            &inner.text.as_bytes()[inner.text.len() - suffix..],
            &outer.text.as_bytes()[outer.text.len() - suffix..],
        );
    if !fits {
        return Some(false);
    }
    let (o, i) = (outer.text.len(), inner.text.len());
    spend(budget, if inner.wild { (o + 1) * (i + 1) } else { o + i })?;
    Some(pattern_covers(outer.text, inner.text, fold))
}

/// Whether every string the wildcard pattern `inner` matches is also matched by `outer` (`*` any
/// run of characters, `?` one character). Sound, not complete: `outer`'s `*` may stand for
/// anything in `inner`, its `?` for one literal character or `?`, its literal characters only
/// for the same literal character; so `s3:Get*` covers `s3:GetObject` and `s3:GetObject*`, and
/// `s3:GetObject?` does not cover `s3:GetObject*`.
pub fn pattern_covers(outer: &str, inner: &str, ignore_case: bool) -> bool {
    if !inner.contains(['*', '?']) {
        // A plain string: covered when the pattern matches it.
        return if ignore_case {
            wildcard_match_ignore_ascii_case(outer, inner)
        } else {
            wildcard_match(outer, inner)
        };
    }
    let o: Vec<char> = outer.chars().collect();
    let i: Vec<char> = inner.chars().collect();
    let same = |a: char, b: char| {
        if ignore_case {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    // prev[j]: o[..row] covers i[..j].
    let mut prev = vec![false; i.len() + 1];
    prev[0] = true;
    let mut cur = vec![false; i.len() + 1];
    for &oc in &o {
        cur[0] = oc == '*' && prev[0];
        for j in 1..=i.len() {
            let ic = i[j - 1];
            cur[j] = match oc {
                '*' => prev[j] || cur[j - 1],
                '?' => prev[j - 1] && ic != '*',
                c => prev[j - 1] && ic != '*' && ic != '?' && same(c, ic),
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[i.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse_policy;

    /// The definition, comparing every pair: what the index must reproduce exactly.
    fn every_pair(statements: &[Statement]) -> Vec<(usize, usize)> {
        fn list_covers(outer: &Option<ListClause>, inner: &Option<ListClause>, ci: bool) -> bool {
            match (outer, inner) {
                (None, None) => true,
                (Some(o), Some(i)) if !o.negated && !i.negated && !i.items.is_empty() => {
                    i.items.iter().all(|x| {
                        o.items
                            .iter()
                            .any(|p| pattern_covers(&p.value, &x.value, ci))
                    })
                }
                _ => false,
            }
        }
        let covers = |o: &Statement, i: &Statement| {
            list_covers(&o.action, &i.action, true) && list_covers(&o.resource, &i.resource, false)
        };
        let conditional =
            |s: &Statement| s.condition.as_ref().is_some_and(|c| !c.clauses.is_empty());
        let same_shape = |a: &Statement, b: &Statement| {
            a.effect.as_ref().map(|e| e.value) == b.effect.as_ref().map(|e| e.value)
                && a.effect.is_some()
                && !conditional(a)
                && !conditional(b)
                && principal_key(a) == principal_key(b)
        };
        let mut out = Vec::new();
        for (i, a) in statements.iter().enumerate() {
            for (j, b) in statements.iter().enumerate() {
                if i != j && same_shape(a, b) && covers(b, a) && (!covers(a, b) || j < i) {
                    out.push((i, j));
                    break;
                }
            }
        }
        out
    }

    /// A fixed pseudo-random sequence.
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) as usize % n
        }
        fn pick<'s>(&mut self, from: &[&'s str]) -> &'s str {
            from[self.below(from.len())]
        }
    }

    fn random_statement(rng: &mut Lcg) -> String {
        const ACTIONS: [&str; 12] = [
            "s3:GetObject",
            "S3:getobject",
            "s3:Get*",
            "s3:*",
            "s3:GetObject?",
            "s3:GetObject*",
            "s3:?etObject",
            "*",
            "ec2:Describe*",
            "ec2:DescribeInstances",
            "s3:*Object",
            "s3:Put*",
        ];
        const RESOURCES: [&str; 10] = [
            "*",
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::b/x",
            "arn:aws:s3:::B/x",
            "arn:aws:s3:::b/?",
            "arn:aws:s3:::*",
            "arn:aws:s3:::b/*/x",
            "arn:aws:s3:::b/x*",
            "arn:aws:s3:::c/é*",
            "arn:aws:s3:::c/é1",
        ];
        const PRINCIPALS: [&str; 4] = [
            "",
            r#""Principal": "*", "#,
            r#""Principal": {"AWS": "*"}, "#,
            r#""Principal": {"AWS": "111122223333"}, "#,
        ];
        let list = |rng: &mut Lcg, from: &[&str], key: &str| -> String {
            match rng.below(20) {
                0 => String::new(),
                1 => format!(r#""Not{key}": "{}", "#, rng.pick(from)),
                2 => format!(r#""{key}": [], "#),
                3..12 => format!(r#""{key}": "{}", "#, rng.pick(from)),
                n => {
                    let items: Vec<String> = (0..n % 3 + 1)
                        .map(|_| format!(r#""{}""#, rng.pick(from)))
                        .collect();
                    format!(r#""{key}": [{}], "#, items.join(", "))
                }
            }
        };
        let effect = match rng.below(8) {
            0 => "",
            1..3 => r#""Effect": "Deny", "#,
            _ => r#""Effect": "Allow", "#,
        };
        let condition = if rng.below(10) == 0 {
            r#""Condition": {"Bool": {"aws:SecureTransport": "true"}}, "#
        } else {
            ""
        };
        format!(
            r#"{{{effect}{}{}{}{condition}"Sid": "S"}}"#,
            rng.pick(&PRINCIPALS),
            list(rng, &ACTIONS, "Action"),
            list(rng, &RESOURCES, "Resource"),
        )
    }

    #[test]
    fn the_index_finds_what_comparing_every_pair_finds() {
        let mut rng = Lcg(7);
        let mut found = 0;
        for _ in 0..3_000 {
            let n = 1 + rng.below(16);
            let statements: Vec<String> = (0..n).map(|_| random_statement(&mut rng)).collect();
            let text = format!(r#"{{"Statement": [{}]}}"#, statements.join(", "));
            let policy = parse_policy(&text).policy.expect("an object");
            let expected = every_pair(&policy.statements);
            found += expected.len();
            assert_eq!(redundant_statements(&policy.statements), expected, "{text}");
        }
        // The documents exercise the rule.
        assert!(found > 1_500, "{found}");
    }

    #[test]
    fn the_search_stops_when_the_work_runs_out() {
        // Each statement is a candidate for every other, and none covers another.
        let statements: Vec<String> = (0..500)
            .map(|i| {
                format!(r#"{{"Effect": "Allow", "Action": "s3:Get*X{i}Y*", "Resource": "*"}}"#)
            })
            .collect();
        let late = r#"{"Effect": "Allow", "Action": "s3:Get*X1Y*", "Resource": "*"}"#;
        let text = format!(r#"{{"Statement": [{}, {late}]}}"#, statements.join(", "));
        let policy = parse_policy(&text).policy.expect("an object");
        // Redundant, but found only with enough work.
        assert_eq!(redundant_within(&policy.statements, 1 << 22), []);
        assert_eq!(redundant_within(&policy.statements, BUDGET), [(500, 1)]);
    }
}
