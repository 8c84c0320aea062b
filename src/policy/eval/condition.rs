//! Condition evaluation: every operator of [`crate::policy::operator`], with `...IfExists`,
//! `ForAllValues:`/`ForAnyValue:` and the documented rules for keys missing from the request.
//!
//! A condition block is true when every clause is (operators and keys are ANDed); a clause is
//! true when the key's value matches any of the policy values (values are ORed). A negated
//! operator (`StringNotEquals`, `NotIpAddress`, …) is true when the value matches none of them.
//!
//! Missing key (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>):
//! positive operators are false, negated ones true, `...IfExists` true, `ForAllValues` true,
//! `ForAnyValue` false (true with `IfExists`); `Null` tests presence itself.

use std::cmp::Ordering;
use std::net::IpAddr;

use super::arn;
use super::context::Context;
use super::variables::{self, Unresolved};
use super::wildcard::{self, Piece};
use crate::policy::ast::{ConditionBlock, ConditionClause, ConditionValue, Version};
use crate::policy::operator::{BaseOperator, SetQualifier};

/// True when every clause of the block holds.
pub fn condition_block_matches(block: &ConditionBlock, version: Version, ctx: &Context) -> bool {
    block
        .clauses
        .iter()
        .all(|c| condition_clause_matches(c, version, ctx))
}

/// One `operator: {key: values}` entry. An unknown operator never holds (IAM would refuse the
/// policy; evaluation keeps what it can and treats the statement as not applying).
pub fn condition_clause_matches(clause: &ConditionClause, version: Version, ctx: &Context) -> bool {
    let Some(op) = clause.operator else {
        return false;
    };
    let found = ctx.get(&clause.key.value);
    if op.base == BaseOperator::Null {
        return null_matches(found.map(|v| v.values()), &clause.values);
    }
    let Some(found) = found else {
        return match op.set {
            Some(SetQualifier::ForAllValues) => true,
            Some(SetQualifier::ForAnyValue) => op.if_exists,
            None => op.if_exists || op.base.is_negated(),
        };
    };
    let request_values = found.values();
    let positive = op.base.positive();
    let negated = op.base.is_negated();
    let eval = ValueMatcher {
        op: positive,
        version,
        ctx,
        policy_values: &clause.values,
    };
    // For one request value: does the (possibly negated) operator hold?
    let holds = |rv: &str| eval.any_matches(rv) != negated;
    match op.set {
        Some(SetQualifier::ForAllValues) => request_values.iter().all(|rv| holds(rv)),
        Some(SetQualifier::ForAnyValue) => request_values.iter().any(|rv| holds(rv)),
        // Without a set operator a multivalued key matches when any of its values matches; a
        // negated operator holds when none does.
        None => {
            let any = request_values.iter().any(|rv| eval.any_matches(rv));
            any != negated
        }
    }
}

/// `Null`: `"true"` holds when the key is absent (or has no value), `"false"` when present.
fn null_matches(found: Option<&[String]>, policy_values: &[ConditionValue]) -> bool {
    let absent = found.is_none_or(|v| v.is_empty() || (v.len() == 1 && v[0].is_empty()));
    policy_values.iter().any(|pv| match parse_bool(&pv.text) {
        Some(want_absent) => want_absent == absent,
        None => false,
    })
}

struct ValueMatcher<'a> {
    /// A positive operator.
    op: BaseOperator,
    version: Version,
    ctx: &'a Context,
    policy_values: &'a [ConditionValue],
}

impl ValueMatcher<'_> {
    /// Does the request value match any of the policy values under the positive operator?
    fn any_matches(&self, rv: &str) -> bool {
        self.policy_values
            .iter()
            .any(|pv| self.matches_one(&pv.text, rv))
    }

    /// Variables are substituted in string, ARN and Bool values of 2012-10-17 policies only.
    fn substitutes(&self, pv: &str) -> bool {
        self.version == Version::V2012_10_17
            && matches!(
                self.op,
                BaseOperator::StringEquals
                    | BaseOperator::StringEqualsIgnoreCase
                    | BaseOperator::StringLike
                    | BaseOperator::ArnEquals
                    | BaseOperator::ArnLike
                    | BaseOperator::Bool
            )
            && variables::has_variables(pv)
    }

    fn matches_one(&self, pv: &str, rv: &str) -> bool {
        if self.substitutes(pv) {
            return self.matches_with_variables(pv, rv).unwrap_or(false);
        }
        compare(self.op, pv, rv)
    }

    fn matches_with_variables(&self, pv: &str, rv: &str) -> Result<bool, Unresolved> {
        match self.op {
            BaseOperator::StringLike => {
                let mut pieces = Vec::new();
                variables::resolve_pieces(pv, self.ctx, &mut pieces)?;
                Ok(wildcard::pieces_match(&pieces, rv))
            }
            BaseOperator::ArnEquals | BaseOperator::ArnLike => {
                let mut pieces: Vec<Piece<'_>> = Vec::new();
                variables::resolve_pieces(pv, self.ctx, &mut pieces)?;
                Ok(arn::arn_match_pieces(&pieces, rv))
            }
            op => {
                let resolved = variables::resolve_string(pv, self.ctx)?;
                Ok(compare(op, &resolved, rv))
            }
        }
    }
}

/// Compares one policy value with one request value under a positive operator.
pub fn compare(op: BaseOperator, pv: &str, rv: &str) -> bool {
    use BaseOperator::*;
    match op {
        StringEquals => pv == rv,
        StringEqualsIgnoreCase => eq_ignore_case(pv, rv),
        StringLike => wildcard::wildcard_match(pv, rv),
        NumericEquals => numeric_cmp(rv, pv) == Some(Ordering::Equal),
        NumericLessThan => numeric_cmp(rv, pv) == Some(Ordering::Less),
        NumericLessThanEquals => {
            matches!(numeric_cmp(rv, pv), Some(Ordering::Less | Ordering::Equal))
        }
        NumericGreaterThan => numeric_cmp(rv, pv) == Some(Ordering::Greater),
        NumericGreaterThanEquals => {
            matches!(
                numeric_cmp(rv, pv),
                Some(Ordering::Greater | Ordering::Equal)
            )
        }
        DateEquals => date_cmp(rv, pv) == Some(Ordering::Equal),
        DateLessThan => date_cmp(rv, pv) == Some(Ordering::Less),
        DateLessThanEquals => matches!(date_cmp(rv, pv), Some(Ordering::Less | Ordering::Equal)),
        DateGreaterThan => date_cmp(rv, pv) == Some(Ordering::Greater),
        DateGreaterThanEquals => {
            matches!(date_cmp(rv, pv), Some(Ordering::Greater | Ordering::Equal))
        }
        Bool => matches!((parse_bool(pv), parse_bool(rv)), (Some(a), Some(b)) if a == b),
        BinaryEquals => binary_equals(pv, rv),
        IpAddress => ip_in_cidr(rv, pv),
        ArnEquals | ArnLike => arn::arn_match(pv, rv),
        // Negated operators are evaluated through their positive form; Null elsewhere.
        StringNotEquals
        | StringNotEqualsIgnoreCase
        | StringNotLike
        | NumericNotEquals
        | DateNotEquals
        | NotIpAddress
        | ArnNotEquals
        | ArnNotLike => !compare(op.positive(), pv, rv),
        Null => false,
    }
}

/// Case-insensitive equality without allocating (ASCII fast path, Unicode lowercase otherwise).
pub fn eq_ignore_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// `true`/`false` in any case.
pub fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------------
// Numbers: compared exactly as decimals (no float rounding), integers and decimals alike.

/// A decimal number as `sign × 0.d₁d₂… × 10^exp`, digits without leading or trailing zeros.
#[derive(Debug, Clone, Copy)]
struct Decimal<'a> {
    negative: bool,
    /// Integer digits and fraction digits as written.
    int: &'a [u8],
    frac: &'a [u8],
    /// Explicit exponent (`e` notation).
    exp: i64,
}

impl Decimal<'_> {
    /// Significant digits (leading and trailing zeros removed), lazily over both slices.
    fn digits(&self) -> impl Iterator<Item = u8> + Clone + '_ {
        let all = self.int.iter().chain(self.frac.iter()).copied();
        let lead = all.clone().take_while(|&d| d == b'0').count();
        let total = self.int.len() + self.frac.len();
        let trail = self
            .frac
            .iter()
            .rev()
            .chain(self.int.iter().rev())
            .take_while(|&&d| d == b'0')
            .count();
        let n = total.saturating_sub(lead + trail);
        all.skip(lead).take(n)
    }

    fn is_zero(&self) -> bool {
        self.int.iter().chain(self.frac.iter()).all(|&d| d == b'0')
    }

    /// Position of the decimal point relative to the first significant digit.
    fn magnitude(&self) -> i64 {
        let lead = self
            .int
            .iter()
            .chain(self.frac.iter())
            .take_while(|&&d| d == b'0')
            .count() as i64;
        self.int.len() as i64 - lead + self.exp
    }
}

fn parse_decimal(s: &str) -> Option<Decimal<'_>> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut negative = false;
    if let Some(&c @ (b'+' | b'-')) = b.first() {
        negative = c == b'-';
        i = 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int = &b[int_start..i];
    let mut frac: &[u8] = &[];
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let fs = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac = &b[fs..i];
    }
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut exp = 0i64;
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let rest = s.get(i + 1..)?;
        exp = rest.parse::<i32>().ok()?.into();
        i = b.len();
    }
    (i == b.len()).then_some(Decimal {
        negative,
        int,
        frac,
        exp,
    })
}

/// Exact comparison of two decimal numbers; `None` when either is not a number.
pub fn numeric_cmp(a: &str, b: &str) -> Option<Ordering> {
    let (x, y) = (parse_decimal(a)?, parse_decimal(b)?);
    let sign = |d: &Decimal<'_>| -> i8 {
        if d.is_zero() {
            0
        } else if d.negative {
            -1
        } else {
            1
        }
    };
    let (sx, sy) = (sign(&x), sign(&y));
    if sx != sy || sx == 0 {
        return Some(sx.cmp(&sy));
    }
    let abs = x
        .magnitude()
        .cmp(&y.magnitude())
        .then_with(|| x.digits().cmp(y.digits()));
    Some(if sx < 0 { abs.reverse() } else { abs })
}

// ---------------------------------------------------------------------------------------------
// Dates: the W3C profile of ISO 8601 (YYYY, YYYY-MM, YYYY-MM-DD, with Thh:mm[:ss[.f]] and Z
// or ±hh:mm) or epoch seconds; compared as instants.

/// Nanoseconds since the epoch.
pub fn parse_date(s: &str) -> Option<i128> {
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    if b.iter().all(u8::is_ascii_digit)
        || (b[0] == b'-' && b.len() > 1 && b[1..].iter().all(u8::is_ascii_digit))
        || is_epoch_with_fraction(b)
    {
        return parse_epoch(s);
    }
    parse_iso8601(b)
}

fn is_epoch_with_fraction(b: &[u8]) -> bool {
    let digits = b.iter().position(|&c| c == b'.');
    match digits {
        Some(dot) => {
            dot > 0
                && b[..dot].iter().all(u8::is_ascii_digit)
                && b.len() > dot + 1
                && b[dot + 1..].iter().all(u8::is_ascii_digit)
        }
        None => false,
    }
}

fn parse_epoch(s: &str) -> Option<i128> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let secs: i128 = int.parse::<i64>().ok()?.into();
    let nanos = frac_nanos(frac.as_bytes());
    Some(secs * 1_000_000_000 + if secs < 0 { -nanos } else { nanos })
}

fn frac_nanos(digits: &[u8]) -> i128 {
    let mut n: i128 = 0;
    for i in 0..9 {
        n = n * 10 + digits.get(i).map_or(0, |d| i128::from(d - b'0'));
    }
    n
}

fn num(b: &[u8], at: usize, len: usize) -> Option<i64> {
    let digits = b.get(at..at + len)?;
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        digits
            .iter()
            .fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0')),
    )
}

fn parse_iso8601(b: &[u8]) -> Option<i128> {
    let year = num(b, 0, 4)?;
    let (mut month, mut day) = (1, 1);
    let mut i = 4;
    if b.get(i) == Some(&b'-') {
        month = num(b, i + 1, 2)?;
        i += 3;
        if b.get(i) == Some(&b'-') {
            day = num(b, i + 1, 2)?;
            i += 3;
        }
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let (mut hour, mut minute, mut second, mut nanos) = (0, 0, 0, 0i128);
    if matches!(b.get(i), Some(b'T' | b't')) {
        hour = num(b, i + 1, 2)?;
        if b.get(i + 3) != Some(&b':') {
            return None;
        }
        minute = num(b, i + 4, 2)?;
        i += 6;
        if b.get(i) == Some(&b':') {
            second = num(b, i + 1, 2)?;
            i += 3;
            if b.get(i) == Some(&b'.') {
                let start = i + 1;
                let mut end = start;
                while end < b.len() && b[end].is_ascii_digit() {
                    end += 1;
                }
                if end == start {
                    return None;
                }
                nanos = frac_nanos(&b[start..end]);
                i = end;
            }
        }
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
    }
    // Time zone designator: Z, ±hh:mm, ±hhmm, ±hh, or none (UTC).
    let offset_secs = match b.get(i) {
        None => 0,
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(&c @ (b'+' | b'-')) => {
            let h = num(b, i + 1, 2)?;
            let m = match b.len() - (i + 3) {
                0 => 0,
                3 if b[i + 3] == b':' => num(b, i + 4, 2)?,
                2 => num(b, i + 3, 2)?,
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let off = h * 3600 + m * 60;
            if c == b'+' { off } else { -off }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_secs;
    Some(i128::from(secs) * 1_000_000_000 + nanos)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn date_cmp(a: &str, b: &str) -> Option<Ordering> {
    Some(parse_date(a)?.cmp(&parse_date(b)?))
}

// ---------------------------------------------------------------------------------------------
// Binary: the policy value is base64. The request value matches when its bytes are the decoded
// value, or when it is the same bytes in base64 (as the simulation APIs take binary values).

/// Standard base64 (with or without `=` padding); `None` when malformed.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // A single leftover character (6 bits) cannot encode a byte.
    if s.len() % 4 == 1 {
        return None;
    }
    Some(out)
}

fn binary_equals(pv: &str, rv: &str) -> bool {
    let Some(want) = base64_decode(pv) else {
        return false;
    };
    rv.as_bytes() == want.as_slice() || base64_decode(rv).is_some_and(|got| got == want)
}

// ---------------------------------------------------------------------------------------------
// IP addresses: the policy value is a CIDR block or a plain address (/32, /128).

/// Parses `addr` or `addr/prefix`.
pub fn parse_cidr(s: &str) -> Option<(IpAddr, u8)> {
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let addr: IpAddr = addr.trim().parse().ok()?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        Some(p) => p.trim().parse::<u8>().ok().filter(|&p| p <= max)?,
        None => max,
    };
    Some((addr, prefix))
}

/// True when the request address lies in the policy's block.
pub fn ip_in_cidr(request: &str, cidr: &str) -> bool {
    let Some((net, prefix)) = parse_cidr(cidr) else {
        return false;
    };
    let Ok(addr) = request.trim().parse::<IpAddr>() else {
        return false;
    };
    match (net, addr) {
        (IpAddr::V4(n), IpAddr::V4(a)) => {
            masked_eq(u32::from(n).into(), u32::from(a).into(), prefix, 32)
        }
        (IpAddr::V4(n), IpAddr::V6(a)) => a
            .to_ipv4_mapped()
            .is_some_and(|a| masked_eq(u32::from(n).into(), u32::from(a).into(), prefix, 32)),
        (IpAddr::V6(n), IpAddr::V6(a)) => masked_eq(u128::from(n), u128::from(a), prefix, 128),
        (IpAddr::V6(_), IpAddr::V4(_)) => false,
    }
}

fn masked_eq(net: u128, addr: u128, prefix: u8, width: u32) -> bool {
    let shift = width - u32::from(prefix);
    if shift >= width {
        return true;
    }
    (net >> shift) == (addr >> shift)
}

#[cfg(test)]
mod tests;
