//! A strict JSON parser (RFC 8259) that keeps the byte span of every key and value.
//!
//! serde_json drops positions and silently keeps the last of duplicate keys; the editor needs
//! both, so this parser keeps every object entry in order and leaves duplicate detection to
//! the caller. It rejects comments, trailing commas, a BOM and anything else RFC 8259 does.

use std::fmt;

/// A half-open byte range `[start, end)` into the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }
    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    /// The number as written; IAM treats condition numbers as text until an operator reads them.
    Number(String),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(Key, Value)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: Kind,
    pub span: Span,
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_object(&self) -> Option<&[(Key, Value)]> {
        match &self.kind {
            Kind::Object(o) => Some(o),
            _ => None,
        }
    }
    pub fn as_array(&self) -> Option<&[Value]> {
        match &self.kind {
            Kind::Array(a) => Some(a),
            _ => None,
        }
    }
    /// First entry with this key (case-sensitive).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?
            .iter()
            .find(|(k, _)| k.text == key)
            .map(|(_, v)| v)
    }
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "a boolean",
            Kind::Number(_) => "a number",
            Kind::String(_) => "a string",
            Kind::Array(_) => "an array",
            Kind::Object(_) => "an object",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

/// Deeper nesting than any policy needs; bounds recursion on hostile input.
const MAX_DEPTH: usize = 128;

pub fn parse(text: &str) -> Result<Value, ParseError> {
    let mut p = Parser {
        src: text.as_bytes(),
        text,
        pos: 0,
        depth: 0,
        items: Vec::new(),
        entries: Vec::new(),
    };
    p.skip_ws();
    if p.pos == p.src.len() {
        return Err(p.error_at(p.pos, p.pos, "the document is empty"));
    }
    let value = p.value()?;
    p.skip_ws();
    if p.pos < p.src.len() {
        return Err(p.unexpected("after the end of the document"));
    }
    Ok(value)
}

struct Parser<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    depth: usize,
    /// The items of the arrays being read, innermost last (see [`Elements`]).
    items: Vec<Value>,
    /// The same for the entries of objects.
    entries: Vec<(Key, Value)>,
}

/// Containers up to this many elements are gathered on the parser's shared stack.
const GATHERED: usize = 1024;

/// The elements of one array or object being read. While few, they wait on a stack the parser
/// shares between containers and then move to a vector of exactly their number: a vector grown
/// one push at a time would leave up to half of itself unused, and the many small arrays and
/// objects of a large document would hold a third more memory than they need. A container
/// with many elements gets a vector of its own, so that it is never held twice.
struct Elements<T> {
    base: usize,
    own: Option<Vec<T>>,
}

impl<T> Elements<T> {
    fn new(stack: &[T]) -> Self {
        Self {
            base: stack.len(),
            own: None,
        }
    }

    fn push(&mut self, stack: &mut Vec<T>, element: T) {
        match &mut self.own {
            Some(own) => own.push(element),
            None if stack.len() - self.base < GATHERED => stack.push(element),
            None => {
                let mut own: Vec<T> = stack.drain(self.base..).collect();
                own.push(element);
                self.own = Some(own);
            }
        }
    }

    fn finish(self, stack: &mut Vec<T>) -> Vec<T> {
        match self.own {
            Some(own) => own,
            None => stack.drain(self.base..).collect(),
        }
    }
}

impl Parser<'_> {
    /// An error over `start..end`, widened to whole characters: callers count bytes (`\\u`
    /// plus four), and the text there may hold a multi-byte character.
    fn error_at(&self, start: usize, end: usize, message: impl Into<String>) -> ParseError {
        let mut start = start.min(self.text.len());
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = end.clamp(start, self.text.len());
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        ParseError {
            message: message.into(),
            span: Span::new(start, end),
        }
    }

    /// An error pointing at the character under the cursor.
    fn unexpected(&self, context: &str) -> ParseError {
        match self.text[self.pos..].chars().next() {
            None => self.error_at(
                self.pos,
                self.pos,
                format!("unexpected end of input {context}"),
            ),
            Some(c) => {
                let what = match c {
                    '/' => "a comment (JSON has none)".to_string(),
                    '\u{feff}' => "a byte-order mark".to_string(),
                    c if c.is_control() => format!("control character U+{:04X}", c as u32),
                    c => format!("`{c}`"),
                };
                self.error_at(
                    self.pos,
                    self.pos + c.len_utf8(),
                    format!("unexpected {what} {context}"),
                )
            }
        }
    }

    fn skip_ws(&mut self) {
        while let Some(&b) = self.src.get(self.pos) {
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn value(&mut self) -> Result<Value, ParseError> {
        match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => {
                let start = self.pos;
                let s = self.string()?;
                Ok(Value {
                    kind: Kind::String(s),
                    span: Span::new(start, self.pos),
                })
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", Kind::Bool(true)),
            Some(b'f') => self.literal("false", Kind::Bool(false)),
            Some(b'n') => self.literal("null", Kind::Null),
            _ => Err(self.unexpected("where a value was expected")),
        }
    }

    fn literal(&mut self, word: &str, kind: Kind) -> Result<Value, ParseError> {
        let start = self.pos;
        if self.src[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(Value {
                kind,
                span: Span::new(start, self.pos),
            })
        } else {
            let end = self.src[start..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .map_or(self.src.len(), |n| start + n)
                .max(start + 1);
            let end = self.text.ceil_char_boundary(end);
            Err(self.error_at(
                start,
                end,
                format!(
                    "unknown word `{}` (strings need double quotes)",
                    &self.text[start..end]
                ),
            ))
        }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_at(self.pos, self.pos + 1, "nesting is too deep"));
        }
        Ok(())
    }

    fn object(&mut self) -> Result<Value, ParseError> {
        let (entries, span) = self.container(b'}', |p| &mut p.entries, Self::entry)?;
        Ok(Value {
            kind: Kind::Object(entries),
            span,
        })
    }

    fn array(&mut self) -> Result<Value, ParseError> {
        let (items, span) = self.container(b']', |p| &mut p.items, Self::value)?;
        Ok(Value {
            kind: Kind::Array(items),
            span,
        })
    }

    /// An object or an array, from its opening bracket to `close`: `element` reads each entry or
    /// item, gathered on the parser's `stack` for it.
    fn container<T>(
        &mut self,
        close: u8,
        stack: fn(&mut Self) -> &mut Vec<T>,
        element: fn(&mut Self) -> Result<T, ParseError>,
    ) -> Result<(Vec<T>, Span), ParseError> {
        let start = self.pos;
        self.enter()?;
        self.pos += 1; // `{` or `[`
        let mut elements = Elements::new(stack(self));
        let close_char = char::from(close);
        self.skip_ws();
        if self.peek() == Some(close) {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                // Not the first element: the empty container was handled above.
                if self.peek() == Some(close) {
                    let message = format!("trailing comma before `{close_char}`");
                    return Err(self.error_at(self.pos, self.pos + 1, message));
                }
                let element = element(self)?;
                elements.push(stack(self), element);
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(c) if c == close => {
                        self.pos += 1;
                        break;
                    }
                    _ => {
                        let context = format!("where `,` or `{close_char}` was expected");
                        return Err(self.unexpected(&context));
                    }
                }
            }
        }
        self.depth -= 1;
        Ok((elements.finish(stack(self)), Span::new(start, self.pos)))
    }

    /// `"key": value` in an object.
    fn entry(&mut self) -> Result<(Key, Value), ParseError> {
        if self.peek() != Some(b'"') {
            return Err(self.unexpected("where a key in double quotes was expected"));
        }
        let key_start = self.pos;
        let text = self.string()?;
        let key = Key {
            text,
            span: Span::new(key_start, self.pos),
        };
        self.skip_ws();
        if self.peek() != Some(b':') {
            return Err(self.unexpected("where `:` was expected after a key"));
        }
        self.pos += 1;
        self.skip_ws();
        Ok((key, self.value()?))
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let s = p.pos;
            while matches!(p.peek(), Some(b'0'..=b'9')) {
                p.pos += 1;
            }
            p.pos - s
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(self.error_at(
                        start,
                        self.pos + 1,
                        "numbers cannot have leading zeros",
                    ));
                }
            }
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(self.unexpected("in a number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err(self.unexpected("after a decimal point"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(self.unexpected("in an exponent"));
            }
        }
        Ok(Value {
            kind: Kind::Number(self.text[start..self.pos].to_string()),
            span: Span::new(start, self.pos),
        })
    }

    /// Parses a string starting at `"`, leaving `pos` after the closing quote.
    fn string(&mut self) -> Result<String, ParseError> {
        let start = self.pos;
        self.pos += 1;
        // Fast path: most strings have no escape; find the closing quote with one search.
        if let Some(n) = memchr::memchr2(b'"', b'\\', &self.src[self.pos..]) {
            let end = self.pos + n;
            let run = &self.src[self.pos..end];
            if self.src[end] == b'"' && !run.iter().any(|&b| b < 0x20) {
                let out = self.text[self.pos..end].to_string();
                self.pos = end + 1;
                return Ok(out);
            }
        }
        let mut out = String::new();
        let mut run = self.pos; // start of the unescaped run being copied
        loop {
            let Some(b) = self.peek() else {
                return Err(self.error_at(start, self.pos, "unterminated string"));
            };
            match b {
                b'"' => {
                    out.push_str(&self.text[run..self.pos]);
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(&self.text[run..self.pos]);
                    self.escape(&mut out)?;
                    run = self.pos;
                }
                0x00..=0x1f => {
                    let what = if b == b'\n' {
                        "unterminated string (a line break inside a string must be written \\n)"
                            .to_string()
                    } else {
                        format!("control character U+{b:04X} inside a string (escape it)")
                    };
                    return Err(self.error_at(self.pos, self.pos + 1, what));
                }
                _ => self.pos += 1,
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        let at = self.pos;
        self.pos += 1; // backslash
        let Some(c) = self.peek() else {
            return Err(self.error_at(at, self.pos, "unterminated string"));
        };
        self.pos += 1;
        let ch = match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4(at)?;
                if (0xD800..0xDC00).contains(&hi) {
                    if self.src[self.pos..].starts_with(b"\\u") {
                        self.pos += 2;
                        let lo = self.hex4(at)?;
                        if !(0xDC00..0xE000).contains(&lo) {
                            return Err(self.error_at(at, self.pos, "invalid surrogate pair"));
                        }
                        let code = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                        char::from_u32(code)
                            .ok_or_else(|| self.error_at(at, self.pos, "invalid surrogate pair"))?
                    } else {
                        return Err(self.error_at(
                            at,
                            self.pos,
                            "unpaired surrogate in \\u escape",
                        ));
                    }
                } else {
                    char::from_u32(hi).ok_or_else(|| {
                        self.error_at(at, self.pos, "unpaired surrogate in \\u escape")
                    })?
                }
            }
            _ => {
                let end = self.text.ceil_char_boundary(self.pos);
                return Err(self.error_at(at, end, "invalid escape sequence"));
            }
        };
        out.push(ch);
        Ok(())
    }

    fn hex4(&mut self, at: usize) -> Result<u32, ParseError> {
        let digits = self
            .src
            .get(self.pos..self.pos + 4)
            .filter(|d| d.iter().all(u8::is_ascii_hexdigit))
            .ok_or_else(|| {
                self.error_at(
                    at,
                    (self.pos + 4).min(self.src.len()),
                    "\\u needs four hex digits",
                )
            })?;
        let v = u32::from_str_radix(std::str::from_utf8(digits).unwrap_or("0"), 16).unwrap_or(0);
        self.pos += 4;
        Ok(v)
    }
}

/// Maps byte offsets to 1-based line and column (columns count characters, as editors do).
///
/// Lookups cost O(log lines + BLOCK), whatever the line length: a compact case file is one line
/// of megabytes, and `simulate` asks for thousands of positions in it.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    /// `chars_before[k]`: characters in the first `k * BLOCK` bytes.
    chars_before: Vec<usize>,
}

const BLOCK: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Characters in a byte range: every byte that does not continue a UTF-8 sequence starts one.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let mut chars_before = Vec::with_capacity(text.len() / BLOCK + 1);
        let mut total = 0;
        chars_before.push(0);
        for block in text.as_bytes().chunks(BLOCK) {
            total += count_chars(block);
            chars_before.push(total);
        }
        Self {
            line_starts,
            chars_before,
        }
    }

    /// Characters before byte `offset`.
    fn chars_to(&self, bytes: &[u8], offset: usize) -> usize {
        let k = offset / BLOCK;
        self.chars_before[k] + count_chars(&bytes[k * BLOCK..offset])
    }

    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = text.floor_char_boundary(offset.min(text.len()));
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = if offset - start <= BLOCK {
            count_chars(&text.as_bytes()[start..offset])
        } else {
            self.chars_to(text.as_bytes(), offset) - self.chars_to(text.as_bytes(), start)
        };
        Position {
            line: line + 1,
            column: column + 1,
        }
    }

    /// The byte offset where a 1-based line starts (the end of the text past the last line).
    pub fn line_start(&self, text: &str, line: usize) -> usize {
        self.line_starts
            .get(line.wrapping_sub(1))
            .map_or(text.len(), |&s| s)
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self.line_starts.get(line).map_or(text.len(), |&e| e);
        text[start..end].trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The obvious definition, for comparison.
    fn slow_position(text: &str, offset: usize) -> Position {
        let before = &text[..text.floor_char_boundary(offset.min(text.len()))];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }

    #[test]
    fn positions_count_characters_on_long_and_short_lines() {
        // Long lines with multibyte characters straddling block boundaries.
        let mut text = String::new();
        for i in 0..3 * BLOCK {
            text.push(if i % 7 == 0 { 'é' } else { 'a' });
            if i % 5000 == 4999 {
                text.push('\n');
            }
            if i % 3001 == 0 {
                text.push('€');
            }
        }
        text.push_str("\nlast ✓ line");
        let index = LineIndex::new(&text);
        for offset in (0..=text.len() + 3).step_by(97).chain([text.len()]) {
            assert_eq!(
                index.position(&text, offset),
                slow_position(&text, offset),
                "offset {offset}"
            );
        }
        assert_eq!(index.line_text(&text, 1).len(), text.find('\n').unwrap());
    }

    #[test]
    fn error_spans_cover_whole_characters() {
        // Found by fuzzing: `\u` followed by fewer than four hex digits and a multi-byte
        // character within the next four bytes.
        for text in [
            r#"{"a\uourƄe": 1}"#,
            r#"{"a\u€": 1}"#,
            r#"["\u12"#,
            "[\"\\uƄ",
        ] {
            let e = parse(text).unwrap_err();
            assert!(
                text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end),
                "{text}: {:?}",
                e.span
            );
            assert!(
                e.span.start < e.span.end && e.span.end <= text.len(),
                "{text}"
            );
            assert!(text[e.span.start..].starts_with("\\u"), "{text}");
        }
    }

    #[test]
    fn an_empty_text_is_line_one_column_one() {
        let index = LineIndex::new("");
        assert_eq!(index.position("", 0), Position { line: 1, column: 1 });
        assert_eq!(index.position("", 10), Position { line: 1, column: 1 });
    }
}
