//! Text normalization and tokens.
//!
//! Typographic apostrophes become `'`, no-break and thin spaces become spaces, dashes
//! become `-`; every byte of the normalized text maps back to a byte of the original,
//! so that evidence can be located in the source file. Tokens carry the folded form
//! (lower case, no accents) the parsers match against; ordinals "1er", "1 er", "1re"
//! become a day number with an ordinal mark.

use super::lexicon::fold_with;

/// A short folded word kept inline (no allocation); longer words are cut at 30 bytes,
/// which no table word reaches.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Small {
    buf: [u8; 30],
    len: u8,
}

impl Small {
    pub fn new() -> Self {
        Small {
            buf: [0; 30],
            len: 0,
        }
    }
    pub fn push(&mut self, c: char) {
        let mut tmp = [0u8; 4];
        let e = c.encode_utf8(&mut tmp).as_bytes();
        let at = self.len as usize;
        if at + e.len() <= self.buf.len() {
            self.buf[at..at + e.len()].copy_from_slice(e);
            self.len += e.len() as u8;
        } else {
            // full: later characters are dropped
            self.len = self.buf.len() as u8;
        }
    }
    pub fn from_str_cut(s: &str) -> Self {
        let mut x = Small::new();
        for c in s.chars() {
            x.push(c);
        }
        x
    }
    pub fn bytes(&self) -> &[u8] {
        &self.buf[..self.len as usize]
    }
    pub fn as_str(&self) -> &str {
        let b = &self.buf[..self.len as usize];
        debug_assert!(std::str::from_utf8(b).is_ok());
        // SAFETY: `buf` starts as zero bytes and `push` only ever copies whole UTF-8
        // encoded characters into it, so `buf[..len]` is always valid UTF-8 (a full
        // buffer ends in zero bytes, which are valid too). Checking it on every call cost
        // 5% of the extractor's time: every word comparison goes through here.
        unsafe { std::str::from_utf8_unchecked(b) }
    }
}

impl Default for Small {
    fn default() -> Self {
        Small::new()
    }
}

impl std::ops::Deref for Small {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Small {
    fn eq(&self, other: &str) -> bool {
        self.bytes() == other.as_bytes()
    }
}

impl PartialEq<&str> for Small {
    fn eq(&self, other: &&str) -> bool {
        self.bytes() == other.as_bytes()
    }
}

impl std::fmt::Debug for Small {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

/// Normalized text with a map back to the original byte offsets.
#[derive(Debug, Clone)]
pub struct Norm {
    pub text: String,
    /// Where offsets shift: from normalized byte `.0` on, normalized offset `o` is
    /// original offset `o - .0 + .1` (until the next entry). Only replaced or removed
    /// characters of another length add one; most texts have few.
    shifts: Vec<(u32, u32)>,
    orig_len: usize,
}

impl Norm {
    /// Original byte offset of a normalized byte offset (a character boundary).
    pub fn orig(&self, offset: usize) -> usize {
        if offset >= self.text.len() {
            return self.orig_len;
        }
        let i = self.shifts.partition_point(|&(n, _)| n as usize <= offset);
        match i.checked_sub(1).and_then(|k| self.shifts.get(k)) {
            Some(&(n, o)) => offset - n as usize + o as usize,
            None => offset,
        }
    }
}

fn replacement(c: char) -> Option<char> {
    match c {
        '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{00B4}' | '`' | '\u{2032}' => Some('\''),
        '\u{00A0}' | '\u{202F}' | '\u{2009}' | '\u{2007}' | '\u{2002}' | '\u{2003}'
        | '\u{200A}' | '\t' => Some(' '),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => Some('-'),
        '\u{200B}' | '\u{FEFF}' | '\u{00AD}' => Some('\0'),
        _ => None,
    }
}

pub fn normalize(s: &str) -> Norm {
    let mut text = String::with_capacity(s.len());
    let mut shifts = Vec::new();
    // ASCII runs are copied whole; only the other characters are looked at one by one
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let run = bytes[i..]
            .iter()
            .position(|&b| !b.is_ascii() || b == b'\t' || b == b'`')
            .unwrap_or(bytes.len() - i);
        if run > 0 {
            text.push_str(&s[i..i + run]);
            i += run;
            continue;
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        let len = c.len_utf8();
        match replacement(c) {
            Some('\0') => shifts.push((text.len() as u32, (i + len) as u32)),
            Some(r) => {
                text.push(r);
                if r.len_utf8() != len {
                    shifts.push((text.len() as u32, (i + len) as u32));
                }
            }
            None => text.push(c),
        }
        i += len;
    }
    Norm {
        text,
        shifts,
        orig_len: s.len(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Num,
    Word,
    Punct,
}

#[derive(Debug, Clone)]
pub struct Tok {
    pub kind: Kind,
    /// Byte span in the normalized text.
    pub start: usize,
    pub end: usize,
    /// Folded word, digits, or the punctuation character.
    pub norm: Small,
    /// Numeric value for `Num` (saturating).
    pub value: u32,
    /// Whitespace between the previous token and this one.
    pub space_before: bool,
    /// A day written as an ordinal ("1er", "1 er", "1re").
    pub ordinal: bool,
    /// A newline between the previous token and this one.
    pub line_break_before: bool,
    /// Word classes of the classifier's tables (see `classify::word_class`).
    pub class: u8,
}

impl Tok {
    pub fn is_word(&self, w: &str) -> bool {
        self.kind == Kind::Word && self.norm == w
    }
    pub fn is_punct(&self, c: char) -> bool {
        let mut tmp = [0u8; 4];
        self.kind == Kind::Punct
            && self
                .norm
                .bytes()
                .starts_with(c.encode_utf8(&mut tmp).as_bytes())
    }
    pub fn digits(&self) -> usize {
        if self.kind == Kind::Num {
            self.norm.len()
        } else {
            0
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic()
}

/// Split normalized text into numbers, words and punctuation marks.
pub fn tokenize(text: &str) -> Vec<Tok> {
    let mut toks: Vec<Tok> = Vec::with_capacity(text.len() / 4);
    tokenize_into(text, 0, text.len(), &mut toks);
    toks
}

/// Tokenize `text[from..to]` (char boundaries) and append the tokens, with spans in `text`.
pub fn tokenize_into(text: &str, from: usize, to: usize, toks: &mut Vec<Tok>) {
    let Some(part) = text.get(from..to) else {
        return;
    };
    let mut chars = part.char_indices().map(|(i, c)| (i + from, c)).peekable();
    let mut space = false;
    let mut newline = false;
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            space = true;
            if c == '\n' {
                newline = true;
            }
            continue;
        }
        let (kind, end) = if c.is_ascii_digit() {
            let mut end = i + 1;
            while let Some(&(j, d)) = chars.peek() {
                if d.is_ascii_digit() {
                    end = j + 1;
                    chars.next();
                } else {
                    break;
                }
            }
            (Kind::Num, end)
        } else if is_word_char(c) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if is_word_char(d) {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            (Kind::Word, end)
        } else {
            (Kind::Punct, i + c.len_utf8())
        };
        let raw = &text[i..end];
        let (norm, value) = match kind {
            Kind::Num => (
                Small::from_str_cut(raw),
                raw.bytes().fold(0u32, |a, b| {
                    a.saturating_mul(10).saturating_add(u32::from(b - b'0'))
                }),
            ),
            Kind::Word => {
                let mut w = Small::new();
                fold_with(raw, |c| w.push(c));
                (w, 0)
            }
            Kind::Punct => (Small::from_str_cut(raw), 0),
        };
        // "1er", "1 er", "1re", "1ère": merge the ordinal mark into the number.
        if kind == Kind::Word && matches!(norm.as_str(), "er" | "re" | "ere") {
            if let Some(prev) = toks.last_mut() {
                if prev.kind == Kind::Num && prev.value == 1 && !prev.ordinal {
                    prev.ordinal = true;
                    prev.end = end;
                    space = false;
                    newline = false;
                    continue;
                }
            }
        }
        toks.push(Tok {
            kind,
            start: i,
            end,
            norm,
            value,
            space_before: space,
            ordinal: false,
            line_break_before: newline,
            class: if kind == Kind::Word {
                super::classify::word_class(norm.as_str())
            } else {
                0
            },
        });
        space = false;
        newline = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_maps_back_to_its_source() {
        let s = "a\u{2019}b\u{a0}c\u{200b}d\u{2013}é\te`f\u{feff}\u{202f}g œ 14\u{a0}h";
        let n = normalize(s);
        // the reference: each source character with the text it becomes
        let mut want = Vec::new(); // (normalized offset, original offset)
        let mut o = 0;
        for (i, c) in s.char_indices() {
            match replacement(c) {
                Some('\0') => {}
                Some(r) => {
                    want.push((o, i));
                    o += r.len_utf8();
                }
                None => {
                    want.push((o, i));
                    o += c.len_utf8();
                }
            }
        }
        assert_eq!(n.text.len(), o);
        for (o, i) in want {
            assert_eq!(n.orig(o), i, "normalized offset {o} in {:?}", n.text);
        }
        assert_eq!(n.orig(n.text.len()), s.len());
    }

    #[test]
    fn normalizes_typography_and_keeps_offsets() {
        let s = "jusqu\u{2019}au 3\u{a0}avril \u{2013} 10 mai";
        let n = normalize(s);
        assert_eq!(n.text, "jusqu'au 3 avril - 10 mai");
        let at = n.text.find("avril").unwrap_or(0);
        assert_eq!(&s[n.orig(at)..n.orig(at) + 5], "avril");
    }

    #[test]
    fn ordinals_merge() {
        for s in ["1er juin", "1 er juin", "1re juin", "1ère juin"] {
            let t = tokenize(&normalize(s).text);
            assert_eq!(t.len(), 2, "{s}");
            assert!(t[0].ordinal, "{s}");
            assert_eq!(t[1].norm, "juin");
        }
    }

    #[test]
    fn splits_times() {
        let t = tokenize("14h30 09:15");
        let n: Vec<&str> = t.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(n, ["14", "h", "30", "09", ":", "15"]);
        assert!(!t[1].space_before);
    }
}
