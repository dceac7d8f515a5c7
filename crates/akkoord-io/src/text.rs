//! Checks on raw input bytes, and splitting delimited lines into fields with their byte spans.
//!
//! Every reader goes through [`decode`] first, so that an empty, binary, oversized or
//! non-UTF-8 file is refused the same way whatever its format.

use std::borrow::Cow;
use std::ops::Range;

/// The largest input accepted, in bytes. Real scenarios are a few hundred kilobytes; the
/// limit keeps memory bounded on hostile input.
pub const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

/// Why input bytes are not text a reader can work on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextProblem {
    /// Nothing but whitespace.
    Empty,
    /// Larger than [`MAX_INPUT_BYTES`]. Readers are given at most one byte past the limit, so
    /// the real size is not known here.
    TooLarge,
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
            Self::TooLarge => format!(
                "the file is larger than {} MiB (the limit); larger inputs are refused",
                MAX_INPUT_BYTES / (1024 * 1024)
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
            Self::TooLarge => "split the scenario, or check that this is the file you meant",
            Self::NotUtf8(_) => "save the file as UTF-8",
            Self::Binary(_) => "pass a TOML scenario, a Decide file or a BDM table",
        }
    }
}

/// Checks input bytes and returns them as text without a byte-order mark, with old Mac line
/// ends (a lone `\r`) made `\n`.
///
/// **Invariant:** the text has the length of the input less the byte-order mark, and every
/// other byte keeps its offset, so spans into the text are spans into the file.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, TextProblem> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(TextProblem::TooLarge);
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
    Ok(unix_line_ends(text))
}

/// `text` with every `\r` that does not start a `\r\n` replaced by `\n`, so that readers,
/// line numbers and snippets all see the same lines.
fn unix_line_ends(text: &str) -> Cow<'_, str> {
    let lone_cr =
        |(at, b): (usize, &u8)| *b == b'\r' && text.as_bytes().get(at + 1) != Some(&b'\n');
    if !text.as_bytes().iter().enumerate().any(lone_cr) {
        return Cow::Borrowed(text);
    }
    let bytes: Vec<u8> = text
        .as_bytes()
        .iter()
        .enumerate()
        .map(|(at, b)| if lone_cr((at, b)) { b'\n' } else { *b })
        .collect();
    // Replacing one ASCII byte with another keeps the text UTF-8.
    Cow::Owned(String::from_utf8(bytes).expect("an ASCII byte replaced by an ASCII byte"))
}

/// The most characters of a user's text quoted in a message.
pub const MAX_QUOTED_CHARS: usize = 40;

/// `text` as quoted in a message: whole when short, else its first [`MAX_QUOTED_CHARS`]
/// characters and how long it is, so that a huge value cannot make huge messages.
pub fn clip(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(MAX_QUOTED_CHARS) {
        None => Cow::Borrowed(text),
        Some((cut, _)) => Cow::Owned(format!(
            "{}… ({} characters)",
            &text[..cut],
            text.chars().count()
        )),
    }
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
    fn long_text_is_clipped_in_messages() {
        assert_eq!(clip("EST"), "EST");
        let long = "x".repeat(200);
        assert_eq!(clip(&long), format!("{}… (200 characters)", "x".repeat(40)));
    }

    #[test]
    fn bad_bytes_are_refused() {
        assert_eq!(decode(b"  \n"), Err(TextProblem::Empty));
        assert_eq!(decode(b"a\0b"), Err(TextProblem::Binary(1)));
        assert_eq!(decode(&[b'a', 0xff]), Err(TextProblem::NotUtf8(1)));
        assert_eq!(decode("\u{feff}x = 1".as_bytes()), Ok("x = 1".into()));
        assert_eq!(decode(b"a\rb\r\nc\r"), Ok("a\nb\r\nc\n".into()));
    }
}
