//! Text hygiene and line folding for iCalendar output: the parts the
//! `icalendar` 0.17 writer gets wrong, in one place.
//!
//! What the crate does right, and we rely on: it escapes `\`, `;`, `,` and
//! newlines in the properties its type table knows as TEXT (SUMMARY,
//! DESCRIPTION, LOCATION, UID, X-...), and escapes each CATEGORIES item while
//! keeping the separating commas.
//!
//! What it gets wrong, and this module fixes:
//! - it passes control characters (including a bare CR) through, which ends
//!   the content line early or makes the file unparsable: [`clean_text`] and
//!   [`one_line`] remove them before the text reaches the crate;
//! - it writes RFC 7986 `NAME` (a TEXT property it does not know) unescaped:
//!   [`escape_text`] covers the properties the crate leaves raw, and
//!   [`text_property`] picks exactly one of the two escapers for each key;
//! - its folder stops when at most 75 octets remain, but a continuation line
//!   also carries the leading space: a 150-octet line ends with a 76-octet
//!   physical line. [`refold`] unfolds its output and folds it again, at
//!   most 75 octets per physical line, always between UTF-8 characters.

use std::borrow::Cow;

use icalendar::Property;

/// Maximum length of a physical line, in octets, CRLF excluded (RFC 5545 3.1).
pub const MAX_LINE_OCTETS: usize = 75;

/// Text for a multi-line TEXT value: line breaks normalized to `\n`, every
/// other control character removed (a tab becomes a space).
///
/// Backslashes right before `n`, `N`, `,` or `;` are read as a leftover
/// escape, not as text: `\n` becomes a line break, `\,` and `\;` the bare
/// character (a run of backslashes counts as one). Such sequences come from
/// text that was already escaped upstream (a YAML single-quoted string keeps
/// `\n` as two characters; a Markdown source may write `\,`); writing them
/// as they are would show readers an escape, and calendar validators cannot
/// tell a correctly escaped `\\,` from text escaped twice. Any other
/// backslash is kept.
pub fn clean_text(input: &str) -> String {
    undo_leftover_escapes(strip_controls(input))
}

fn strip_controls(input: &str) -> Cow<'_, str> {
    let Some(first) = first_to_strip(input.as_bytes()) else {
        return Cow::Borrowed(input);
    };
    let mut out = String::with_capacity(input.len());
    out.push_str(&input[..first]);
    let mut chars = input[first..].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            // A byte order mark inside a value is invisible noise.
            '\u{feff}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Byte index of the first character [`strip_controls`] must change: a C0
/// control other than LF, DEL, a C1 control (U+0080..=U+009F, `C2 80..9F`
/// in UTF-8) or a byte order mark (`EF BB BF`). A byte scan: this runs over
/// every text of every event.
fn first_to_strip(bytes: &[u8]) -> Option<usize> {
    bytes.iter().enumerate().position(|(i, &b)| match b {
        b'\n' => false,
        0x00..=0x1f | 0x7f => true,
        0xc2 => matches!(bytes.get(i + 1), Some(0x80..=0x9f)),
        0xef => bytes.get(i + 1..i + 3) == Some(&[0xbb, 0xbf][..]),
        _ => false,
    })
}

fn undo_leftover_escapes(input: Cow<'_, str>) -> String {
    if !input.contains('\\') {
        return input.into_owned();
    }
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let mut run = 1;
        while chars.peek() == Some(&'\\') {
            chars.next();
            run += 1;
        }
        match chars.peek().copied() {
            Some('n' | 'N') => {
                chars.next();
                out.push('\n');
            }
            Some(p @ (',' | ';')) => {
                chars.next();
                out.push(p);
            }
            _ => out.extend(std::iter::repeat_n('\\', run)),
        }
    }
    out
}

/// Text for a one-line TEXT value (SUMMARY, LOCATION...): like
/// [`clean_text`], with runs of line breaks and spaces collapsed into one
/// space and the ends trimmed.
pub fn one_line(input: &str) -> String {
    clean_text(input)
        .split(['\n', ' '])
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// RFC 5545 TEXT escaping, for the properties the crate writes raw.
pub fn escape_text(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    for c in input.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// A TEXT property whose value is escaped exactly once: by the crate when
/// its type table knows `key` as TEXT, here otherwise. `value` must already
/// be cleaned.
pub fn text_property(key: &str, value: &str) -> Property {
    let crate_escapes = matches!(
        Property::new(key, "").value_type(),
        Some(icalendar::ValueType::Text)
    ) && !key.eq_ignore_ascii_case("CATEGORIES")
        && !key.eq_ignore_ascii_case("RESOURCES");
    if crate_escapes {
        Property::new(key, value)
    } else {
        Property::new(key, escape_text(value))
    }
}

/// Serializes one property as folded content line(s) ending in CRLF.
pub fn property_lines(property: Property) -> String {
    let written: Result<String, std::fmt::Error> = property.try_into();
    // Writing into a String cannot fail.
    refold(&written.unwrap_or_default())
}

/// Unfolds `ics` (CRLF + one space or tab) and folds every content line
/// again at [`MAX_LINE_OCTETS`], between UTF-8 characters. Lines end in
/// CRLF, the last one included. Values never hold a raw CR or LF (they are
/// escaped or removed before writing), so unfolding is exact.
pub fn refold(ics: &str) -> String {
    let mut out = String::with_capacity(ics.len() + ics.len() / 64 * 3);
    let mut logical = String::new();
    let mut started = false;
    for physical in ics.split("\r\n") {
        if let Some(rest) = physical
            .strip_prefix(' ')
            .or_else(|| physical.strip_prefix('\t'))
        {
            logical.push_str(rest);
            continue;
        }
        if started {
            fold_into(&logical, &mut out);
        }
        logical.clear();
        logical.push_str(physical);
        started = true;
    }
    if started && !logical.is_empty() {
        fold_into(&logical, &mut out);
    }
    out
}

/// Folds one logical content line into `out`, CRLF-terminated.
pub fn fold_into(line: &str, out: &mut String) {
    let mut rest = line;
    let mut limit = MAX_LINE_OCTETS;
    loop {
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        // Continuation lines start with one space.
        limit = MAX_LINE_OCTETS - 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_removed_and_line_breaks_normalized() {
        assert_eq!(
            clean_text("a\r\nb\rc\nd\u{0}e\u{7}\u{1b}\tf\u{7f}"),
            "a\nb\nc\nde f"
        );
        assert_eq!(one_line("  a \r\n\n b\t c  "), "a b c");
    }

    #[test]
    fn leftover_escapes_are_undone_before_escaping() {
        assert_eq!(clean_text("a\\nb\\Nc"), "a\nb\nc");
        assert_eq!(clean_text("a\\, b\\; c\\\\, d"), "a, b; c, d");
        assert_eq!(
            clean_text("C:\\dossier\\fichier\\"),
            "C:\\dossier\\fichier\\"
        );
        assert_eq!(clean_text("a\\\u{0}n\\\u{7},"), "a\n,");
    }

    #[test]
    fn c1_controls_and_byte_order_marks_are_removed() {
        assert_eq!(
            clean_text("a\u{85}b\u{9f}c\u{feff}d«é»\u{a0}"),
            "abcd«é»\u{a0}"
        );
    }

    #[test]
    fn escape_is_rfc5545() {
        assert_eq!(escape_text("a\\b;c,d\ne:f"), "a\\\\b\\;c\\,d\\ne:f");
    }

    #[test]
    fn name_is_escaped_here_and_summary_by_the_crate() {
        let name: String = text_property("NAME", "a,b").try_into().unwrap_or_default();
        assert_eq!(name, "NAME:a\\,b\r\n");
        let summary: String = text_property("SUMMARY", "a,b")
            .try_into()
            .unwrap_or_default();
        assert_eq!(summary, "SUMMARY:a\\,b\r\n");
    }

    #[test]
    fn fold_keeps_every_line_within_75_octets() {
        let line = format!("SUMMARY:{}", "b".repeat(141));
        let mut out = String::new();
        fold_into(&line, &mut out);
        let lines: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].len(), 75);
        assert_eq!(lines[1].len(), 75);
    }

    #[test]
    fn fold_never_splits_a_character() {
        let line = format!("SUMMARY:{}", "é".repeat(100));
        let mut out = String::new();
        fold_into(&line, &mut out);
        for l in out.split("\r\n") {
            assert!(l.len() <= MAX_LINE_OCTETS);
        }
        assert_eq!(out.replace("\r\n ", ""), format!("{line}\r\n"));
    }
}
