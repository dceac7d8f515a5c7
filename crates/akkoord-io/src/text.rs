//! Checks on raw input bytes, and splitting delimited lines into fields with their byte spans.
//!
//! Every reader goes through [`decode`] first, so that an empty, binary, oversized or
//! non-UTF-8 file is refused the same way whatever its format.

use std::ops::Range;

/// The largest input accepted, in bytes. Real scenarios are a few hundred kilobytes; the
/// limit keeps memory bounded on hostile input.
pub const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

/// Why input bytes are not text a reader can work on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextProblem {
    /// Nothing but whitespace.
    Empty,
    /// Larger than [`MAX_INPUT_BYTES`].
    TooLarge(usize),
    /// Not valid UTF-8 from this byte offset.
    NotUtf8(usize),
    /// Holds a NUL or other control byte at this offset: not a text file.
    Binary(usize),
}

impl TextProblem {
    /// A message for the analyst.
    pub fn message(&self) -> String {
        match self {
            Self::Empty => "the file is empty; expected a scenario".into(),
            Self::TooLarge(n) => format!(
                "the file is {n} bytes; scenarios larger than {MAX_INPUT_BYTES} bytes are refused"
            ),
            Self::NotUtf8(at) => format!("the file is not valid UTF-8 (byte {at})"),
            Self::Binary(at) => {
                format!("the file holds binary data (control byte at offset {at}); expected text")
            }
        }
    }

    /// How to fix it.
    pub fn hint(&self) -> &'static str {
        match self {
            Self::Empty => "write a scenario (see docs/scenario-format.md) or pass another file",
            Self::TooLarge(_) => "split the scenario, or check that this is the file you meant",
            Self::NotUtf8(_) => "save the file as UTF-8",
            Self::Binary(_) => "pass a TOML scenario, a Decide file or a BDM table",
        }
    }
}

/// Checks input bytes and returns them as text without a byte-order mark.
pub fn decode(bytes: &[u8]) -> Result<&str, TextProblem> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(TextProblem::TooLarge(bytes.len()));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| TextProblem::NotUtf8(e.valid_up_to()))?;
    if let Some(at) = text
        .bytes()
        .position(|b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
    {
        return Err(TextProblem::Binary(at));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(TextProblem::Empty);
    }
    Ok(text)
}

/// One field of a delimited line: its text without quotes, and where it lies in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field<'a> {
    /// The text, without surrounding quotes and spaces.
    pub text: &'a str,
    /// Byte range in the whole input.
    pub span: Range<usize>,
}

/// A line of the input with its byte offset.
pub struct Line<'a> {
    /// 1-based line number.
    pub number: usize,
    /// Byte offset of the line's start.
    pub offset: usize,
    /// The text, without the line ending.
    pub text: &'a str,
}

/// The lines of `text`, with their offsets.
pub fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut offset = 0;
    text.split_inclusive('\n').enumerate().map(move |(n, raw)| {
        let line = Line {
            number: n + 1,
            offset,
            text: raw.trim_end_matches(['\n', '\r']),
        };
        offset += raw.len();
        line
    })
}

/// Splits a line at `delimiter`. A field wrapped in a matching pair of `'` or `"` loses the
/// quotes, and may then contain the delimiter. Spaces around fields are dropped.
pub fn split_fields<'a>(line: &Line<'a>, delimiter: char) -> Vec<Field<'a>> {
    let text = line.text;
    let mut fields = Vec::new();
    let mut start = 0;
    loop {
        let rest = &text[start..];
        let is_padding = |c: char| (c == ' ' || c == '\t') && c != delimiter;
        let leading = rest.len() - rest.trim_start_matches(is_padding).len();
        let body_start = start + leading;
        let body = &text[body_start..];
        let quote = body.chars().next().filter(|c| *c == '\'' || *c == '"');
        let (field_text, field_span, next) =
            match quote.and_then(|q| body[1..].find(q).map(|end| (q, end))) {
                Some((_, end)) => {
                    let inner = &body[1..=end];
                    let after = body_start + end + 2;
                    let next = text[after..].find(delimiter).map(|d| after + d);
                    (inner, body_start + 1..body_start + 1 + inner.len(), next)
                }
                None => {
                    let next = body.find(delimiter).map(|d| body_start + d);
                    let raw = &text[body_start..next.unwrap_or(text.len())];
                    let trimmed = raw.trim_end();
                    (trimmed, body_start..body_start + trimmed.len(), next)
                }
            };
        fields.push(Field {
            text: field_text,
            span: line.offset + field_span.start..line.offset + field_span.end,
        });
        match next {
            Some(d) => start = d + delimiter.len_utf8(),
            None => break,
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str, delimiter: char) -> Vec<&str> {
        let line = Line {
            number: 1,
            offset: 0,
            text,
        };
        split_fields(&line, delimiter)
            .into_iter()
            .map(|f| f.text)
            .collect()
    }

    #[test]
    fn quoted_and_bare_fields_split_alike() {
        assert_eq!(
            fields("'#A'\t'USA'\t'United States'\t''", '\t'),
            ["#A", "USA", "United States", ""]
        );
        assert_eq!(
            fields("#D\tUSA\tControl\t10", '\t'),
            ["#D", "USA", "Control", "10"]
        );
        assert_eq!(
            fields("\"#A\";\"EU, incl Norway\";x", ';'),
            ["#A", "EU, incl Norway", "x"]
        );
        assert_eq!(
            fields("#A, 'EU, Norway' , y,", ','),
            ["#A", "EU, Norway", "y", ""]
        );
    }

    #[test]
    fn spans_point_into_the_whole_input() {
        let line = Line {
            number: 3,
            offset: 100,
            text: "'#M'\t'x'\t50",
        };
        let f = split_fields(&line, '\t');
        assert_eq!(f[1].span, 106..107);
        assert_eq!(f[2].span, 109..111);
    }

    #[test]
    fn bad_bytes_are_refused() {
        assert_eq!(decode(b"  \n"), Err(TextProblem::Empty));
        assert_eq!(decode(b"a\0b"), Err(TextProblem::Binary(1)));
        assert_eq!(decode(&[b'a', 0xff]), Err(TextProblem::NotUtf8(1)));
        assert_eq!(decode("\u{feff}x = 1".as_bytes()), Ok("x = 1"));
    }
}
