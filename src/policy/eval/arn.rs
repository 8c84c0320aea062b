//! ARNs: `arn:partition:service:region:account-id:resource`. The resource part is everything
//! after the fifth colon and may itself contain colons and slashes.
//!
//! Matching (Resource/NotResource elements and the `Arn*` condition operators) checks each of
//! the six colon-delimited parts separately; `*` and `?` match within a part, so `*` in the
//! region never swallows the account. In the resource part `*` matches across `/` and `:`.
//! Matching is case-sensitive.

use std::fmt;

use super::wildcard::{self, PatternRange, Piece};

/// A borrowed, parsed ARN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Parses `arn:…` with at least six colon-delimited parts; `None` otherwise.
    pub fn parse(text: &'a str) -> Option<Self> {
        let mut parts = text.splitn(6, ':');
        if parts.next()? != "arn" {
            return None;
        }
        Some(Self {
            partition: parts.next()?,
            service: parts.next()?,
            region: parts.next()?,
            account: parts.next()?,
            resource: parts.next()?,
        })
    }

    /// The account id, when the ARN names one (S3 bucket ARNs do not).
    pub fn account_id(&self) -> Option<&'a str> {
        (!self.account.is_empty()).then_some(self.account)
    }
}

impl fmt::Display for Arn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:{}:{}:{}:{}",
            self.partition, self.service, self.region, self.account, self.resource
        )
    }
}

/// Splits into at most six parts on the first five colons.
fn split6(text: &str) -> ([&str; 6], usize) {
    let mut out = [""; 6];
    let mut n = 0;
    for part in text.splitn(6, ':') {
        out[n] = part;
        n += 1;
    }
    (out, n)
}

/// A request resource split once for matching against many patterns.
#[derive(Debug, Clone, Copy)]
pub struct SplitArn<'a> {
    text: &'a str,
    parts: [&'a str; 6],
    count: usize,
}

impl<'a> SplitArn<'a> {
    pub fn new(text: &'a str) -> Self {
        let (parts, count) = split6(text);
        Self { text, parts, count }
    }
}

/// Matches an ARN pattern (as written in Resource or an `ArnLike` value) against an ARN.
///
/// `"*"` matches anything. When both sides have six parts, each part is matched on its own.
/// Otherwise (a non-ARN resource such as the `*` of a wildcard-only action) the pattern is
/// matched against the whole text.
pub fn arn_match(pattern: &str, text: &str) -> bool {
    arn_match_split(pattern, &SplitArn::new(text))
}

/// [`arn_match`] against a text split beforehand.
pub fn arn_match_split(pattern: &str, text: &SplitArn<'_>) -> bool {
    if pattern == "*" {
        return true;
    }
    // Without wildcards, part-by-part equality is string equality.
    if memchr::memchr2(b'*', b'?', pattern.as_bytes()).is_none() {
        return pattern == text.text;
    }
    let (pp, pn) = split6(pattern);
    if pn == 6 && text.count == 6 {
        pp.iter()
            .zip(text.parts.iter())
            .all(|(p, t)| wildcard::wildcard_match(p, t))
    } else {
        wildcard::wildcard_match(pattern, text.text)
    }
}

/// [`arn_match`] for a pattern in which policy variables were substituted.
pub fn arn_match_pieces(pieces: &[Piece<'_>], text: &str) -> bool {
    if let [Piece::Glob(p)] = pieces {
        return arn_match(p, text);
    }
    let whole = PatternRange::whole(pieces);
    if whole.is_single_star() {
        return true;
    }
    let mut segs = [PatternRange::empty(pieces); 6];
    let pn = whole.split_colons(&mut segs);
    let (tp, tn) = split6(text);
    if pn == 6 && tn == 6 {
        segs.iter()
            .zip(tp.iter())
            .all(|(p, t)| wildcard::match_range(*p, t.as_bytes()))
    } else {
        wildcard::match_range(whole, text.as_bytes())
    }
}

/// The byte offset where the resource part starts (after the fifth colon), if there is one.
pub fn resource_part_offset(text: &str) -> Option<usize> {
    let mut colons = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b':' {
            colons += 1;
            if colons == 5 {
                return Some(i + 1);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_formats() {
        let a = Arn::parse("arn:aws:lambda:us-east-1:111122223333:function:processor").unwrap();
        assert_eq!(a.service, "lambda");
        assert_eq!(a.account_id(), Some("111122223333"));
        assert_eq!(a.resource, "function:processor");
        assert_eq!(
            a.to_string(),
            "arn:aws:lambda:us-east-1:111122223333:function:processor"
        );
        let s3 = Arn::parse("arn:aws:s3:::corp-data/reports/q1.csv").unwrap();
        assert_eq!(s3.account_id(), None);
        assert_eq!(s3.resource, "corp-data/reports/q1.csv");
        assert!(Arn::parse("*").is_none());
        assert!(Arn::parse("arn:aws:s3::").is_none());
        assert!(Arn::parse("urn:aws:s3:::x").is_none());
    }

    #[test]
    fn wildcards_stay_within_a_part() {
        // The documented example: StringLike would match, ArnLike does not.
        let pat = "arn:aws:someservice:*:111122223333:finance/*";
        let text = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
        assert!(!arn_match(pat, text));
        assert!(wildcard::wildcard_match(pat, text));
        assert!(arn_match(
            "arn:aws:someservice:*:111122223333:finance/*",
            "arn:aws:someservice:us-east-2:111122223333:finance/document.txt"
        ));
    }

    #[test]
    fn resource_part_spans_slashes_and_colons() {
        assert!(arn_match(
            "arn:aws:lambda:*:*:function:*",
            "arn:aws:lambda:us-east-1:1:function:f:PROD"
        ));
        assert!(arn_match(
            "arn:aws:s3:::corp-data/*",
            "arn:aws:s3:::corp-data/reports/2024/q1.csv"
        ));
        assert!(arn_match(
            "arn:aws:s3:::*/home/*",
            "arn:aws:s3:::b/home/alice/x"
        ));
        assert!(!arn_match(
            "arn:aws:s3:::corp-data/*",
            "arn:aws:s3:::corp-data"
        ));
        assert!(arn_match(
            "arn:aws:dynamodb:*:*:table/Orders*",
            "arn:aws:dynamodb:us-east-1:111122223333:table/Orders/index/ByCustomer"
        ));
        assert!(arn_match(
            "arn:aws:ec2:us-east-1:*:*",
            "arn:aws:ec2:us-east-1:1:instance/i-1"
        ));
        assert!(!arn_match(
            "arn:aws:ec2:us-east-1:*:*",
            "arn:aws:ec2:us-west-2:1:instance/i-1"
        ));
    }

    #[test]
    fn case_sensitive_and_question_mark() {
        assert!(!arn_match(
            "arn:aws:iam::111122223333:role/dev",
            "arn:aws:iam::111122223333:role/Dev"
        ));
        assert!(arn_match(
            "arn:aws:iam::1111222233?3:role/Dev",
            "arn:aws:iam::111122223333:role/Dev"
        ));
        assert!(!arn_match(
            "arn:aws:iam::?:role/Dev",
            "arn:aws:iam::12:role/Dev"
        ));
        assert!(
            arn_match("arn:aws:iam::*:role/Dev", "arn:aws:iam:::role/Dev"),
            "* matches an empty part"
        );
    }

    #[test]
    fn star_and_non_arns() {
        assert!(arn_match("*", "*"));
        assert!(arn_match("*", "arn:aws:s3:::x"));
        assert!(arn_match("*", "not an arn"));
        assert!(!arn_match("arn:aws:s3:::*", "*"));
        assert!(
            arn_match("arn:*", "arn:aws:s3:::x"),
            "a short pattern matches the whole text"
        );
    }

    #[test]
    fn pieces_split_like_text() {
        let p = [
            Piece::Glob("arn:aws:s3:::corp-data/home/"),
            Piece::Literal("alice"),
            Piece::Glob("/*"),
        ];
        assert!(arn_match_pieces(
            &p,
            "arn:aws:s3:::corp-data/home/alice/notes.txt"
        ));
        assert!(!arn_match_pieces(
            &p,
            "arn:aws:s3:::corp-data/home/bob/notes.txt"
        ));
        let p = [Piece::Glob("arn:aws:s3:::b/"), Piece::Literal("*")];
        assert!(arn_match_pieces(&p, "arn:aws:s3:::b/*"));
        assert!(!arn_match_pieces(&p, "arn:aws:s3:::b/x"));
        assert!(arn_match_pieces(&[Piece::Glob("*")], "anything"));
        assert!(arn_match_pieces(
            &[Piece::Glob("*"), Piece::Literal("")],
            "anything"
        ));
        let p = [
            Piece::Glob("arn:aws:sqs:"),
            Piece::Literal("us-east-1"),
            Piece::Glob(":*:q"),
        ];
        assert!(arn_match_pieces(&p, "arn:aws:sqs:us-east-1:1:q"));
        assert!(!arn_match_pieces(&p, "arn:aws:sqs:us-east-1:1:q2"));
        assert_eq!(resource_part_offset("arn:aws:s3:::b/x"), Some(13));
        assert_eq!(resource_part_offset("*"), None);
    }

    fn part() -> impl Strategy<Value = String> {
        "[a-z0-9-]{0,12}"
    }

    proptest! {
        #[test]
        fn parse_format_round_trip(
            partition in part(), service in part(), region in part(), account in "[0-9]{0,12}",
            resource in "[a-zA-Z0-9/:*?._-]{0,30}",
        ) {
            let text = format!("arn:{partition}:{service}:{region}:{account}:{resource}");
            let arn = Arn::parse(&text).unwrap();
            prop_assert_eq!(arn.partition, partition.as_str());
            prop_assert_eq!(arn.service, service.as_str());
            prop_assert_eq!(arn.region, region.as_str());
            prop_assert_eq!(arn.account, account.as_str());
            prop_assert_eq!(arn.resource, resource.as_str());
            prop_assert_eq!(arn.to_string(), text.clone());
            let formatted = arn.to_string();
            prop_assert_eq!(Arn::parse(&formatted), Some(arn));
            // Every ARN matches itself when it has no wildcard characters.
            if !text.contains(['*', '?']) {
                prop_assert!(arn_match(&text, &text));
            }
        }

        #[test]
        fn per_part_star_never_crosses_a_colon(
            region in "[a-z0-9-]{1,10}", account in "[0-9]{1,12}", extra in "[a-z]{1,5}",
        ) {
            let pat = format!("arn:aws:svc:*:{account}:thing");
            let text = format!("arn:aws:svc:{region}:{extra}:{account}:thing");
            // A StringLike would let `*` swallow "region:extra"; ArnLike must not.
            prop_assert!(!arn_match(&pat, &text));
            let plain = format!("arn:aws:svc:{region}:{account}:thing");
            prop_assert!(arn_match(&pat, &plain));
        }
    }
}
