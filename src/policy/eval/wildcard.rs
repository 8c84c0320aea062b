//! Wildcard matching as IAM does it: `*` matches any run of characters (also none) and `?`
//! exactly one character. Nothing else is special: no `[]`, `{}` or `\` escapes. A literal `*`,
//! `?` or `$` is written `${*}`, `${?}`, `${$}` (see [`super::variables`]), and values substituted
//! for policy variables are literal too, so a pattern is a sequence of [`Piece`]s: glob text, in
//! which `*` and `?` are wildcards, and literal text, in which they are not.
//!
//! The matcher is the classic greedy two-pointer algorithm with one backtrack point (the last
//! `*`): linear on typical patterns, never exponential, and it does not allocate.

/// A run of pattern text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text in which `*` and `?` are wildcards.
    Glob(&'a str),
    /// Text matched character for character (a substituted variable, a `${*}` escape).
    Literal(&'a str),
}

impl<'a> Piece<'a> {
    fn text(&self) -> &'a str {
        match self {
            Piece::Glob(s) | Piece::Literal(s) => s,
        }
    }
}

/// Case-sensitive match of a whole string against a glob pattern.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    match_bytes(pattern.as_bytes(), text.as_bytes(), false)
}

/// Match ignoring ASCII case (actions: `S3:GETOBJECT` matches `s3:Get*`).
pub fn wildcard_match_ignore_ascii_case(pattern: &str, text: &str) -> bool {
    match_bytes(pattern.as_bytes(), text.as_bytes(), true)
}

/// Case-sensitive match of a pattern made of pieces.
pub fn pieces_match(pieces: &[Piece<'_>], text: &str) -> bool {
    match pieces {
        [] => text.is_empty(),
        [Piece::Glob(p)] => wildcard_match(p, text),
        [Piece::Literal(l)] => *l == text,
        _ => match_range(PatternRange::whole(pieces), text.as_bytes()),
    }
}

/// Length of the UTF-8 character starting with byte `b` (1 for a stray continuation byte).
#[inline]
fn char_len(b: u8) -> usize {
    match b {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xff => 4,
        _ => 1,
    }
}

#[inline]
fn byte_eq(a: u8, b: u8, fold: bool) -> bool {
    a == b || (fold && a.eq_ignore_ascii_case(&b))
}

/// The fast path: one glob pattern, no literal pieces.
fn match_bytes(pat: &[u8], text: &[u8], fold: bool) -> bool {
    // Exact and "*" patterns are the common case for actions and resources.
    if pat == b"*" {
        return true;
    }
    let (mut p, mut s) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if p < pat.len() {
            match pat[p] {
                b'*' => {
                    p += 1;
                    star = Some((p, s));
                    continue;
                }
                b'?' if s < text.len() => {
                    s += char_len(text[s]).min(text.len() - s);
                    p += 1;
                    continue;
                }
                c if s < text.len() && c != b'?' && byte_eq(c, text[s], fold) => {
                    p += 1;
                    s += 1;
                    continue;
                }
                _ => {}
            }
        } else if s == text.len() {
            return true;
        }
        // Mismatch: let the last `*` swallow one more character, or fail.
        if !backtrack(&mut star, text, &mut p, &mut s) {
            return false;
        }
    }
}

/// After a mismatch, lets the last `*` (pattern position and text offset) swallow one more
/// character and resumes there; false when there is no `*` or no text left.
#[inline]
fn backtrack<P: Copy>(
    star: &mut Option<(P, usize)>,
    text: &[u8],
    p: &mut P,
    s: &mut usize,
) -> bool {
    match *star {
        Some((sp, ss)) if ss < text.len() => {
            let ns = ss + char_len(text[ss]).min(text.len() - ss);
            *star = Some((sp, ns));
            (*p, *s) = (sp, ns);
            true
        }
        _ => false,
    }
}

/// A position inside a piece list: piece index and byte offset in that piece.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pos {
    piece: usize,
    off: usize,
}

/// A contiguous part of a piece list, e.g. one colon-separated segment of an ARN pattern.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PatternRange<'p, 'a> {
    pieces: &'p [Piece<'a>],
    start: Pos,
    end: Pos,
}

enum Elem {
    Star,
    One,
    Byte(u8),
}

impl<'p, 'a> PatternRange<'p, 'a> {
    pub(crate) fn whole(pieces: &'p [Piece<'a>]) -> Self {
        let mut r = Self {
            pieces,
            start: Pos { piece: 0, off: 0 },
            end: Pos {
                piece: pieces.len(),
                off: 0,
            },
        };
        r.start = r.normalize(r.start);
        r
    }

    /// Skips past the ends of pieces so that equal positions compare equal.
    fn normalize(&self, mut pos: Pos) -> Pos {
        while pos.piece < self.pieces.len() && pos.off >= self.pieces[pos.piece].text().len() {
            pos = Pos {
                piece: pos.piece + 1,
                off: 0,
            };
        }
        pos
    }

    fn peek(&self, pos: Pos) -> Option<Elem> {
        if pos == self.end {
            return None;
        }
        let piece = self.pieces.get(pos.piece)?;
        let b = piece.text().as_bytes()[pos.off];
        Some(match (piece, b) {
            (Piece::Glob(_), b'*') => Elem::Star,
            (Piece::Glob(_), b'?') => Elem::One,
            _ => Elem::Byte(b),
        })
    }

    fn advance(&self, pos: Pos) -> Pos {
        self.normalize(Pos {
            piece: pos.piece,
            off: pos.off + 1,
        })
    }

    /// Splits at the first `n` colons that appear in the pattern (in any piece). Returns how
    /// many ranges were written to `out` (at most `n + 1`).
    pub(crate) fn split_colons<const N: usize>(
        &self,
        out: &mut [PatternRange<'p, 'a>; N],
    ) -> usize {
        let mut count = 0;
        let mut seg_start = self.start;
        let mut pos = self.start;
        while pos != self.end && count + 1 < N {
            let piece = &self.pieces[pos.piece];
            if piece.text().as_bytes()[pos.off] == b':' {
                out[count] = PatternRange {
                    pieces: self.pieces,
                    start: seg_start,
                    end: pos,
                };
                count += 1;
                pos = self.advance(pos);
                seg_start = pos;
            } else {
                pos = self.advance(pos);
            }
        }
        out[count] = PatternRange {
            pieces: self.pieces,
            start: seg_start,
            end: self.end,
        };
        count + 1
    }

    /// True when the range is exactly one `*` in glob text.
    pub(crate) fn is_single_star(&self) -> bool {
        matches!(self.peek(self.start), Some(Elem::Star)) && self.advance(self.start) == self.end
    }

    pub(crate) fn empty(pieces: &'p [Piece<'a>]) -> Self {
        let end = Pos {
            piece: pieces.len(),
            off: 0,
        };
        Self {
            pieces,
            start: end,
            end,
        }
    }
}

/// The general matcher over a range of pieces.
pub(crate) fn match_range(range: PatternRange<'_, '_>, text: &[u8]) -> bool {
    let mut p = range.start;
    let mut s = 0usize;
    let mut star: Option<(Pos, usize)> = None;
    loop {
        match range.peek(p) {
            Some(Elem::Star) => {
                p = range.advance(p);
                star = Some((p, s));
                continue;
            }
            Some(Elem::One) if s < text.len() => {
                s += char_len(text[s]).min(text.len() - s);
                p = range.advance(p);
                continue;
            }
            Some(Elem::Byte(b)) if s < text.len() && b == text[s] => {
                s += 1;
                p = range.advance(p);
                continue;
            }
            None if s == text.len() => return true,
            _ => {}
        }
        if !backtrack(&mut star, text, &mut p, &mut s) {
            return false;
        }
    }
}

#[cfg(test)]
pub(crate) mod reference {
    //! A deliberately naive recursive matcher over characters, for property tests.

    #[derive(Debug, Clone, Copy, PartialEq)]
    pub enum Tok {
        Star,
        One,
        Char(char),
    }

    pub fn tokens(pieces: &[super::Piece<'_>]) -> Vec<Tok> {
        let mut out = Vec::new();
        for p in pieces {
            match p {
                super::Piece::Glob(s) => out.extend(s.chars().map(|c| match c {
                    '*' => Tok::Star,
                    '?' => Tok::One,
                    c => Tok::Char(c),
                })),
                super::Piece::Literal(s) => out.extend(s.chars().map(Tok::Char)),
            }
        }
        out
    }

    pub fn matches(pat: &[Tok], text: &[char], fold: bool) -> bool {
        match pat.first() {
            None => text.is_empty(),
            Some(Tok::Star) => (0..=text.len()).any(|i| matches(&pat[1..], &text[i..], fold)),
            Some(Tok::One) => !text.is_empty() && matches(&pat[1..], &text[1..], fold),
            Some(Tok::Char(c)) => {
                !text.is_empty()
                    && (*c == text[0] || (fold && c.eq_ignore_ascii_case(&text[0])))
                    && matches(&pat[1..], &text[1..], fold)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn star_and_question_mark() {
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("*", "anything at all"));
        assert!(wildcard_match("s3:Get*", "s3:GetObject"));
        assert!(!wildcard_match("s3:Get*", "s3:PutObject"));
        assert!(
            !wildcard_match("us-???-1", "us-east-1"),
            "? is exactly one character"
        );
        assert!(wildcard_match("us-???-1", "us-gov-1"));
        assert!(wildcard_match("us-*-1", "us-east-1"));
        assert!(wildcard_match("*.csv", "reports/2024/q1.csv"));
        assert!(wildcard_match("a*b*c", "aXXbYYc"));
        assert!(!wildcard_match("a*b*c", "aXXbYY"));
        assert!(wildcard_match("?", "é"), "? is one character, not one byte");
        assert!(!wildcard_match("??", "é"));
        assert!(wildcard_match("*é*", "café au lait"));
        assert!(!wildcard_match("", "x"));
        assert!(wildcard_match("", ""));
        assert!(wildcard_match("**", ""));
    }

    #[test]
    fn case_rules() {
        assert!(!wildcard_match("s3:getobject", "s3:GetObject"));
        assert!(wildcard_match_ignore_ascii_case(
            "S3:GETOBJECT",
            "s3:GetObject"
        ));
        assert!(wildcard_match_ignore_ascii_case("IAM:*", "iam:GetUser"));
        assert!(wildcard_match_ignore_ascii_case("kms:De*", "kms:Decrypt"));
    }

    #[test]
    fn literal_pieces_are_not_wildcards() {
        let p = [Piece::Glob("corp-data/what"), Piece::Literal("?")];
        assert!(pieces_match(&p, "corp-data/what?"));
        assert!(!pieces_match(&p, "corp-data/whatX"));
        let p = [
            Piece::Glob("home/"),
            Piece::Literal("a*"),
            Piece::Glob("/*"),
        ];
        assert!(pieces_match(&p, "home/a*/x"));
        assert!(!pieces_match(&p, "home/abc/x"));
        assert!(pieces_match(&[], ""));
        assert!(!pieces_match(&[], "x"));
        let p = [Piece::Glob(""), Piece::Literal(""), Piece::Glob("*")];
        assert!(pieces_match(&p, "abc"));
    }

    #[test]
    fn split_colons_across_pieces() {
        let p = [
            Piece::Glob("arn:aws:s3:"),
            Piece::Literal("x:y"),
            Piece::Glob(":z"),
        ];
        let r = PatternRange::whole(&p);
        let mut out = [PatternRange::empty(&p); 6];
        let n = r.split_colons(&mut out);
        assert_eq!(n, 6);
        assert!(match_range(out[0], b"arn"));
        assert!(match_range(out[3], b"x"));
        assert!(match_range(out[4], b"y"));
        assert!(match_range(out[5], b"z"));
        let mut out = [PatternRange::empty(&p); 3];
        assert_eq!(r.split_colons(&mut out), 3);
        assert!(match_range(out[2], b"s3:x:y:z"));
    }

    fn pattern_strategy() -> impl Strategy<Value = String> {
        proptest::collection::vec(prop_oneof!["\\*", "\\?", "[abAB/:]", "é"], 0..8)
            .prop_map(|v| v.concat())
    }

    fn text_strategy() -> impl Strategy<Value = String> {
        proptest::collection::vec(prop_oneof!["[abAB/:]", "é", "\\*"], 0..10)
            .prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn agrees_with_reference(pat in pattern_strategy(), text in text_strategy()) {
            let chars: Vec<char> = text.chars().collect();
            let toks = reference::tokens(&[Piece::Glob(&pat)]);
            prop_assert_eq!(wildcard_match(&pat, &text), reference::matches(&toks, &chars, false));
            prop_assert_eq!(
                wildcard_match_ignore_ascii_case(&pat, &text),
                reference::matches(&toks, &chars, true)
            );
        }

        #[test]
        fn pieces_agree_with_reference(
            a in pattern_strategy(),
            lit in text_strategy(),
            b in pattern_strategy(),
            text in text_strategy(),
        ) {
            let pieces = [Piece::Glob(&a), Piece::Literal(&lit), Piece::Glob(&b)];
            let chars: Vec<char> = text.chars().collect();
            let toks = reference::tokens(&pieces);
            prop_assert_eq!(pieces_match(&pieces, &text), reference::matches(&toks, &chars, false));
            prop_assert_eq!(
                match_range(PatternRange::whole(&pieces), text.as_bytes()),
                reference::matches(&toks, &chars, false)
            );
        }

        #[test]
        fn a_pattern_matches_its_own_literal_text(text in text_strategy()) {
            prop_assert!(pieces_match(&[Piece::Literal(&text)], &text));
            let escaped: String = text.chars().map(|c| if c == '*' { '?' } else { c }).collect();
            prop_assert!(wildcard_match(&escaped, &text));
        }
    }
}
