//! Finding documents and reading one file into a [`Document`]: size limit, encodings,
//! line ends, Unicode normalization, then front matter and body.

use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::fields;
use super::fmdate;
use super::front::{self, KeyLines};
use super::markdown::{self, LineMap};
use super::split;
use super::{Diagnostic, Document, Front, Published, SegmentOrigin};

/// Files larger than this are refused (a release is a few kilobytes).
pub const MAX_FILE_BYTES: u64 = 5_000_000;

fn diag(path: &str, line: Option<u32>, message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        path: path.to_string(),
        line,
        column: None,
        message: message.into(),
    }
}

/// A path for messages, with '/' separators.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    let s = if std::path::MAIN_SEPARATOR == '\\' {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    };
    one_line_text(s)
}

/// Control characters (a line break in a file name or a YAML key) would split a message
/// over several lines: they become '?'.
fn one_line_text(s: String) -> String {
    if s.chars().any(char::is_control) {
        s.chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect()
    } else {
        s
    }
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
        .unwrap_or(false)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .map(|s| s.starts_with('.') && s != "." && s != "..")
        .unwrap_or(false)
}

/// Every Markdown document under `paths` (files or folders, recursive), as (path on disk,
/// path relative to the folder given, or the path as given for a single file), sorted by
/// relative path then path. Also the problems met while walking (missing paths, unreadable
/// folders).
pub fn discover_with_errors(paths: &[PathBuf]) -> (Vec<(PathBuf, String)>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        match std::fs::metadata(root) {
            Err(e) => errors.push(diag(&display_path(root), None, format!("cannot read: {e}"))),
            Ok(m) if m.is_file() => found.push((root.clone(), display_path(root))),
            Ok(_) => {
                let walker = walkdir::WalkDir::new(root)
                    .follow_links(true)
                    .into_iter()
                    .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
                for entry in walker {
                    match entry {
                        Ok(e) => {
                            if e.file_type().is_file() && is_markdown(e.path()) {
                                let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                                found.push((e.path().to_path_buf(), display_path(rel)));
                            }
                        }
                        Err(e) => {
                            let p = e.path().map_or_else(|| display_path(root), display_path);
                            let msg = match e.io_error() {
                                Some(io) => format!("cannot read: {io}"),
                                None => format!("cannot read: {e}"),
                            };
                            errors.push(diag(&p, None, msg));
                        }
                    }
                }
            }
        }
    }
    if paths.len() > 1 {
        // Overlapping arguments ("content" and "content/communiques"): each file once, under
        // the first argument that reached it.
        let mut seen = std::collections::HashSet::new();
        found.retain(|(p, _)| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())));
    }
    found.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    errors.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.message.cmp(&b.message)));
    (found, errors)
}

/// Every Markdown document under `paths`; see [`discover_with_errors`].
pub fn discover(paths: &[PathBuf]) -> Vec<(PathBuf, String)> {
    discover_with_errors(paths).0
}

/// Read every document under `paths` in parallel. Documents come sorted by `rel`; the
/// diagnostics are those of the files that could not be read at all (the documents carry
/// their own).
pub fn load_all(paths: &[PathBuf]) -> (Vec<Document>, Vec<Diagnostic>) {
    load_all_with_limit(paths, MAX_FILE_BYTES)
}

/// [`load_all`] with an explicit size limit in bytes.
pub fn load_all_with_limit(paths: &[PathBuf], limit: u64) -> (Vec<Document>, Vec<Diagnostic>) {
    let (files, mut errors) = discover_with_errors(paths);
    let results: Vec<Result<Document, Diagnostic>> = files
        .par_iter()
        .map(|(path, rel)| load_file_with_limit(path, rel, limit))
        .collect();
    let mut docs = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(d) => docs.push(d),
            Err(e) => errors.push(e),
        }
    }
    (docs, errors)
}

/// Read one document. `rel` is its path relative to the content folder (or as given).
pub fn load_file(path: &Path, rel: &str) -> Result<Document, Diagnostic> {
    load_file_with_limit(path, rel, MAX_FILE_BYTES)
}

/// [`load_file`] with an explicit size limit in bytes.
pub fn load_file_with_limit(path: &Path, rel: &str, limit: u64) -> Result<Document, Diagnostic> {
    let bytes = read_file_with_limit(path, limit)?;
    load_bytes(path, rel, &bytes)
}

/// The bytes of the file at `path`, refused when there are more than `limit`: what
/// [`load_file_with_limit`] reads.
pub fn read_file_with_limit(path: &Path, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    read_limited(path, limit).map_err(|e| diag(&display_path(path), None, e))
}

/// The document of the bytes read from `path` ([`read_file_with_limit`]):
/// `load_bytes(path, rel, &read_file_with_limit(path, limit)?)` is
/// `load_file_with_limit(path, rel, limit)`.
pub fn load_bytes(path: &Path, rel: &str, bytes: &[u8]) -> Result<Document, Diagnostic> {
    let shown = display_path(path);
    let (text, warning) = decode_borrowed(bytes, &shown)?;
    let mut doc = parse_shown(path, rel, &text, shown)?;
    if let Some(w) = warning {
        doc.diagnostics.insert(0, w);
    }
    Ok(doc)
}

fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let capacity = usize::try_from(size.min(limit).saturating_add(1)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "file is larger than the {} limit; not read",
            human_size(limit)
        ));
    }
    Ok(bytes)
}

fn human_size(n: u64) -> String {
    if n >= 1_000_000 && n.is_multiple_of(1_000_000) {
        format!("{} MB", n / 1_000_000)
    } else if n >= 1_000 && n.is_multiple_of(1_000) {
        format!("{} kB", n / 1_000)
    } else {
        format!("{n} bytes")
    }
}

fn line_of_byte(bytes: &[u8], at: usize) -> u32 {
    let n = bytes[..at.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    u32::try_from(n).unwrap_or(u32::MAX - 1) + 1
}

/// Windows-1252 for bytes 0x80..0x9F; Latin-1 elsewhere.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

fn decode_cp1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9f => CP1252_HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

fn decode_utf16(bytes: &[u8], big_endian: bool) -> String {
    let units = bytes.chunks(2).map(|c| {
        let pair = [c[0], c.get(1).copied().unwrap_or(0)];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// Control characters that no feed format accepts (XML 1.0 forbids most C0 controls,
/// and C1 controls are mis-decoded bytes), and the Unicode line and paragraph separators
/// (YAML counts them as line breaks, editors mostly do not): they become spaces.
fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{fffe}' | '\u{ffff}' | '\u{2028}' | '\u{2029}')
}

/// Bytes -> text: byte-order marks removed, UTF-16 read, NUL bytes refused, invalid UTF-8
/// read as Windows-1252 (with a warning), line ends made LF, text normalized to NFC.
pub fn decode(bytes: &[u8], shown: &str) -> Result<(String, Option<Diagnostic>), Diagnostic> {
    decode_borrowed(bytes, shown).map(|(text, warning)| (text.into_owned(), warning))
}

/// [`decode`], taking the buffer.
pub fn decode_owned(
    bytes: Vec<u8>,
    shown: &str,
) -> Result<(String, Option<Diagnostic>), Diagnostic> {
    decode(&bytes, shown)
}

/// [`decode`], borrowing the bytes when they already are the text (UTF-8, LF line ends, no
/// control characters, NFC: the usual case), so that nothing is copied.
pub fn decode_borrowed<'a>(
    bytes: &'a [u8],
    shown: &str,
) -> Result<(Cow<'a, str>, Option<Diagnostic>), Diagnostic> {
    let mut warning = None;
    let utf16 = if let Some(rest) = bytes.strip_prefix(&[0xff, 0xfe]) {
        Some(decode_utf16(rest, false))
    } else {
        bytes
            .strip_prefix(&[0xfe, 0xff])
            .map(|rest| decode_utf16(rest, true))
    };
    // What the scan of the bytes found, when they are the text.
    let mut found = None;
    let text: Cow<'a, str> = if let Some(text) = utf16 {
        if text.contains('\0') {
            return Err(diag(
                shown,
                None,
                "contains NUL characters: not a text file; not read",
            ));
        }
        Cow::Owned(text)
    } else {
        let bytes = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(bytes);
        let scanned = scan(bytes);
        if scanned.nul {
            let at = bytes.iter().position(|&b| b == 0).unwrap_or(0);
            return Err(diag(
                shown,
                Some(line_of_byte(bytes, at)),
                "contains NUL bytes: not a text file; not read",
            ));
        }
        // simdutf8 checks French text (an accented letter every few bytes) many times
        // faster than the standard library; the standard library tells where it fails.
        match simdutf8::basic::from_utf8(bytes) {
            Ok(s) => {
                found = Some(scanned);
                Cow::Borrowed(s)
            }
            Err(_) => {
                let at = std::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), |s| s.len());
                warning = Some(diag(
                    shown,
                    Some(line_of_byte(bytes, at)),
                    format!(
                        "not valid UTF-8 (byte 0x{:02X}); read as Windows-1252, save the file as UTF-8",
                        bytes.get(at).copied().unwrap_or(0)
                    ),
                ));
                Cow::Owned(decode_cp1252(bytes))
            }
        }
    };
    if text.trim().is_empty() {
        return Err(diag(shown, None, "empty file; not read"));
    }
    let Scan {
        cr, control, nfc, ..
    } = found.unwrap_or_else(|| scan(text.as_bytes()));
    let text = if cr {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        text
    };
    let text = if control {
        Cow::Owned(
            text.chars()
                .map(|c| if is_forbidden_control(c) { ' ' } else { c })
                .collect(),
        )
    } else {
        text
    };
    let text = if nfc {
        text
    } else {
        match is_nfc_quick(text.chars()) {
            IsNormalized::Yes => text,
            _ => Cow::Owned(text.nfc().collect()),
        }
    };
    Ok((text, warning))
}

/// What one pass over a file's bytes finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Scan {
    /// A NUL byte.
    nul: bool,
    /// A carriage return.
    cr: bool,
    /// A character of [`is_forbidden_control`] other than the carriage return (C0 controls
    /// but tab and line feed, DEL, C1 controls, U+2028, U+2029, U+FFFE, U+FFFF).
    control: bool,
    /// The text is surely NFC already: only characters below U+0300 (Latin letters with
    /// their precomposed accents) and general punctuation from U+2002 to U+206F (typographic
    /// apostrophes and quotes, dashes, narrow no-break space) and €, all stable under NFC;
    /// any other text goes through the full normalization check.
    nfc: bool,
}

/// One pass over the bytes of a file, see [`Scan`]. `nul` and `cr` hold for any bytes;
/// `control` and `nfc` only when the bytes are UTF-8 (a NUL byte stops the pass early).
fn scan(b: &[u8]) -> Scan {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOWS: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    /// High bit of each byte of `x` that is zero (exact: no borrow between bytes).
    fn zeros(x: u64) -> u64 {
        !(((x & LOWS) + LOWS) | x) & HIGHS
    }
    let mut found = Scan {
        nul: false,
        cr: false,
        control: false,
        nfc: true,
    };
    // In valid UTF-8 a byte's class does not depend on where it lies: continuation bytes
    // (0x80..0xBF) and the lead bytes of U+00C0..U+02FF (0xC3..0xCB) never matter, so
    // blocks of 16 bytes without any other byte are skipped whole.
    fn word_mask(chunk: &[u8]) -> u64 {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let low = x & LOWS;
        // Below 0x20 but line feed; DEL; 0xC2 (C1 controls, U+0080..U+00BF);
        // 0xCC and above (combining marks, other scripts, punctuation, U+FFFE).
        let below_space = !((low + 0x60 * ONES) | x) & HIGHS & !zeros(x ^ (0x0a * ONES));
        let del = zeros(x ^ (0x7f * ONES));
        let c2 = zeros(x ^ (0xc2 * ONES));
        let high = (low + 0x34 * ONES) & x & HIGHS;
        below_space | del | c2 | high
    }
    let mut i = 0;
    while i < b.len() {
        // 16 bytes at a time; the last ones one by one.
        let mut mask: u128 = match (b.get(i..i + 8), b.get(i + 8..i + 16)) {
            (Some(lo), Some(hi)) => u128::from(word_mask(lo)) | (u128::from(word_mask(hi)) << 64),
            _ => (0..b.len() - i).fold(0, |m, k| m | (0x80 << (8 * k))),
        };
        while mask != 0 {
            let at = i + (mask.trailing_zeros() / 8) as usize;
            mask &= mask - 1;
            let c = b[at];
            match c {
                0 => found.nul = true,
                b'\r' => found.cr = true,
                b'\n' | b'\t' => {}
                1..=0x1f | 0x7f => found.control = true,
                0x20..=0x7e => {}
                0xc2 => {
                    if b.get(at + 1).is_some_and(|n| (0x80..=0x9f).contains(n)) {
                        found.control = true;
                    }
                }
                0x80..=0xcb => {}
                0xe2 => match (b.get(at + 1), b.get(at + 2)) {
                    (Some(0x80), Some(0xa8 | 0xa9)) => found.control = true,
                    (Some(0x80), Some(&n)) if n >= 0x82 => {}
                    (Some(0x81), Some(&n)) if n <= 0xaf => {}
                    (Some(0x82), Some(0xac)) => {}
                    _ => found.nfc = false,
                },
                _ => {
                    if c == 0xef
                        && b.get(at + 1) == Some(&0xbf)
                        && b.get(at + 2).is_some_and(|n| *n >= 0xbe)
                    {
                        found.control = true;
                    }
                    found.nfc = false;
                }
            }
        }
        if found.nul {
            break;
        }
        i += 16;
    }
    found
}

/// Folder names that hold releases, news or agenda pages on the sites we read.
const KNOWN_COLLECTIONS: &[&str] = &[
    "communiques",
    "communique",
    "communiques-de-presse",
    "actualites",
    "actualite",
    "actus",
    "evenements",
    "evenement",
    "événements",
    "évènements",
    "agenda",
    "events",
    "event",
    "presse",
    "press",
    "espace-presse",
    "salle-de-presse",
    "posts",
    "news",
    "articles",
    "blog",
    "publications",
    "releases",
    "drafts",
];

fn collection_name(folder: &str) -> String {
    folder.strip_prefix('_').unwrap_or(folder).to_string()
}

fn is_known_collection(folder: &str) -> bool {
    let name = folder.strip_prefix('_').unwrap_or(folder);
    if name.is_ascii() {
        // The known names are lower case: ASCII ones compare without a lower-cased copy.
        KNOWN_COLLECTIONS
            .iter()
            .any(|k| name.eq_ignore_ascii_case(k))
    } else {
        KNOWN_COLLECTIONS.contains(&name.to_lowercase().as_str())
    }
}

/// The collection of a document: the first folder of `rel`, leading underscore dropped
/// ("" when none). When `rel` starts with another folder (a site's own folder, as in
/// `ville-saint-aubin/agenda/x.md`), a deeper folder with a well-known collection name
/// (`agenda`, `communiques`, `_posts`...) is taken instead. A file given alone (`rel` is
/// its own path) takes the nearest well-known folder above it, else its parent folder.
fn collection_of(path: &Path, rel: &str) -> String {
    let rel_path = Path::new(rel);
    if rel_path == path {
        let folders: Vec<String> = path
            .parent()
            .map(|p| {
                p.components()
                    .filter_map(|c| c.as_os_str().to_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let known = folders.iter().rev().find(|f| is_known_collection(f));
        return known
            .or(folders.last())
            .map(|f| collection_name(f))
            .unwrap_or_default();
    }
    let folders: Vec<&str> = rel
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    let Some((_, folders)) = folders.split_last() else {
        return String::new();
    };
    let Some(first) = folders.first() else {
        return String::new();
    };
    let chosen = if is_known_collection(first) {
        first
    } else {
        folders
            .iter()
            .copied()
            .find(|f| is_known_collection(f))
            .unwrap_or(first)
    };
    collection_name(chosen)
}

fn first_heading(body: &str) -> Option<String> {
    let events = pulldown_cmark::Parser::new(body);
    let mut in_heading = false;
    let mut text = String::new();
    for ev in events {
        match ev {
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Heading { .. }) => in_heading = true,
            pulldown_cmark::Event::End(pulldown_cmark::TagEnd::Heading(_)) => {
                let t = fields::one_line(&markdown::plain(&text));
                if !t.is_empty() {
                    return Some(t);
                }
                in_heading = false;
                text.clear();
            }
            pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) if in_heading => {
                text.push_str(&t)
            }
            _ => {}
        }
    }
    None
}

/// The name a document is known by: the file stem without a language suffix
/// (`salon.fr.md`), or the folder's name for a page bundle (`salon/index.md`).
fn stem_of(path: &Path) -> String {
    let mut stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string_lossy().into_owned());
    if let Some((base, lang)) = stem.rsplit_once('.') {
        if lang.len() == 2 && lang.chars().all(|c| c.is_ascii_lowercase()) && !base.is_empty() {
            stem = base.to_string();
        }
    }
    // a page bundle (`salon/index.md`) or a Hugo section page (`agenda/_index.md`, a
    // document like any other: a village's page of its yearly fête)
    if stem == "index" || stem == "_index" {
        if let Some(folder) = path.parent().and_then(|p| p.file_name()) {
            stem = folder.to_string_lossy().into_owned();
        }
    }
    stem
}

/// Read a document from its decoded text (LF line ends, NFC).
pub fn parse_document(path: &Path, rel: &str, text: &str) -> Result<Document, Diagnostic> {
    parse_shown(path, rel, text, display_path(path))
}

/// [`parse_document`], with the path as shown in messages.
fn parse_shown(path: &Path, rel: &str, text: &str, shown: String) -> Result<Document, Diagnostic> {
    let collection = collection_of(path, rel);
    let stem = stem_of(path);
    let (name_date, slug) = match fmdate::date_prefix(&stem) {
        Some((d, rest)) if !rest.is_empty() => (Some(d), rest.to_string()),
        Some((d, _)) => (Some(d), stem.clone()),
        None => (None, stem.clone()),
    };
    let parts = split::split(text).map_err(|u| {
        let fence = if text.starts_with("+++") { "+++" } else { "---" };
        diag(
            &shown,
            Some(u.line),
            format!("front matter opened with `{fence}` is never closed (add a `{fence}` line after it)"),
        )
    })?;

    let mut diagnostics = Vec::new();
    let mut segments = Vec::new();
    let mut title = None;
    let mut published: Option<Published> = None;
    let mut front = Front::default();
    match parts.yaml {
        None => diagnostics.push(diag(
            &shown,
            Some(1),
            "no front matter (the file should start with a `---` line, then `title:` and `date:`)",
        )),
        Some(yaml) => {
            let to_diag = |e: front::FrontError| Diagnostic {
                path: shown.clone(),
                line: e.line,
                column: e.column,
                message: one_line_text(e.message),
            };
            let parsed = match parts.lang {
                split::Lang::Yaml => front::parse_lenient(yaml, parts.yaml_line),
                split::Lang::Toml => {
                    front::parse_toml(yaml, parts.yaml_line).map(|fm| (fm, Vec::new()))
                }
                split::Lang::Json => {
                    front::parse_json(yaml, parts.yaml_line).map(|fm| (fm, Vec::new()))
                }
            };
            // a front matter that does not parse is reported, and what its other lines say
            // is still read with the body: the event is not lost to a typo
            let broken = parsed.is_err();
            let (fm, warnings) = match parsed {
                Ok(x) => x,
                Err(e) => (front::salvage(yaml), vec![e]),
            };
            diagnostics.extend(warnings.into_iter().map(to_diag));
            let keys = KeyLines::new(yaml, parts.yaml_line);
            let in_event_folder = rel
                .rsplit_once('/')
                .is_some_and(|(folders, _)| folders.split('/').any(super::keys::is_event_folder));
            let mut typed = fields::typed(&fm, &keys, &shown, 1, &collection, in_event_folder);
            if broken {
                // the parse error says why; a missing title is its consequence
                typed
                    .diagnostics
                    .retain(|d| !d.message.starts_with("no `title`"));
            }
            title = typed.title;
            published = typed.published;
            front = typed.front;
            // Jekyll's `_drafts/` folder holds pages the site does not publish yet.
            front.draft |= rel.starts_with("_drafts/");
            segments = typed.segments;
            diagnostics.extend(typed.diagnostics);
        }
    }
    if published.is_none() {
        if let Some(d) = name_date {
            let ts = jiff::tz::TimeZone::get("Europe/Paris")
                .ok()
                .and_then(|tz| {
                    tz.to_ambiguous_zoned(d.to_datetime(jiff::civil::Time::midnight()))
                        .compatible()
                        .ok()
                })
                .map(|z| z.timestamp());
            if let Some(ts) = ts {
                published = Some(Published {
                    date: d,
                    timestamp: ts,
                });
            }
        }
    }
    if published.is_none() {
        diagnostics.push(diag(
            &shown,
            Some(1),
            "no publication date (front matter `date:` or a YYYY-MM-DD- file name prefix); left out of the agenda",
        ));
    }
    for d in &mut diagnostics {
        d.message = one_line_text(std::mem::take(&mut d.message));
    }
    let title = title
        .or_else(|| first_heading(parts.body))
        .filter(|t| !t.trim().is_empty())
        .or_else(|| Some(slug.clone()).filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| rel.to_string());
    let body_map = LineMap::of_text(parts.body, parts.body_line);
    segments.extend(markdown::segments(
        parts.body,
        &body_map,
        SegmentOrigin::Body,
    ));
    Ok(Document {
        path: path.to_path_buf(),
        rel: rel.to_string(),
        collection,
        slug,
        title,
        published,
        front,
        body: parts.body.to_string(),
        body_line: parts.body_line,
        segments,
        diagnostics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Pieces that exercise every branch of the loader when shuffled together.
    const PIECES: &[&str] = &[
        "---\n",
        "---",
        "...\n",
        "\n",
        "\r\n",
        "\r",
        "title: ",
        "date: ",
        "2023-11-20",
        " 17:43:00 +01:00",
        "2023-02-31",
        "25:70",
        "agenda:",
        " false",
        "\n- start: ",
        "  end: ",
        "  start_time: ",
        "14h30",
        "chapeau-text: |-\n  ",
        "champs_informations:\n- intitule: ",
        "  contenu: ",
        "lieu: ",
        "'",
        "\"",
        "&a [1,2]",
        "*a",
        ": ",
        "- ",
        "  ",
        "\t",
        "# ",
        "## Titre",
        "**",
        "*",
        "_",
        "`",
        "```\n",
        "<br>",
        "<div>",
        "</div>",
        "<p>",
        "</p>",
        "<!--",
        "-->",
        "<script>",
        "</script>",
        "&nbsp;",
        "&amp;",
        "&#",
        "&#x1F4C5;",
        "![image](/uploads/2023-11-20.jpg)",
        "[lien](https://x.fr)",
        "](",
        "[",
        "]",
        "(",
        ")",
        "{: .text-center}",
        "{:",
        "}",
        "{%",
        "%}",
        "|",
        "| a | b |\n|---|---|\n",
        "> ",
        "1. ",
        "~~",
        "é",
        "e\u{301}",
        "’",
        "\u{a0}",
        "📅",
        "\u{feff}",
        "le 13 mars 2025",
        "à 14h",
        "\\",
        "\u{0}",
    ];

    fn document_text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                4 => prop::sample::select(PIECES).prop_map(str::to_string),
                1 => ".{0,8}",
            ],
            0..60,
        )
        .prop_map(|v| v.concat())
    }

    fn check_document(doc: &Document, text: &str) {
        let last_line = u32::try_from(text.lines().count()).unwrap_or(u32::MAX) + 2;
        for seg in &doc.segments {
            assert!(!seg.text.is_empty());
            assert_eq!(seg.lines.first().map(|p| p.0), Some(0), "{seg:?}");
            assert!(seg.lines.windows(2).all(|w| w[0].0 < w[1].0), "{seg:?}");
            for &(off, line) in &seg.lines {
                assert!(
                    off < seg.text.len() && seg.text.is_char_boundary(off),
                    "{seg:?}"
                );
                assert!(
                    (1..=last_line).contains(&line),
                    "{seg:?} in {last_line} lines"
                );
            }
        }
        for d in &doc.diagnostics {
            assert!(d.line.is_none_or(|l| (1..=last_line).contains(&l)), "{d}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// No input makes the loader panic, and every line it quotes exists.
        #[test]
        fn any_text_loads_or_is_refused_without_panic(text in document_text()) {
            let path = Path::new("communiques/x.md");
            if let Ok((text, _)) = decode(text.as_bytes(), "x.md") {
                match parse_document(path, "communiques/x.md", &text) {
                    Ok(doc) => check_document(&doc, &text),
                    Err(e) => {
                        let last = u32::try_from(text.lines().count()).unwrap_or(u32::MAX) + 2;
                        prop_assert!(e.line.is_none_or(|l| (1..=last).contains(&l)), "{e}");
                    }
                }
            }
        }

        /// The one-pass scan agrees with the character-by-character definitions.
        #[test]
        fn scan_agrees_with_definitions(text in "[\\u{0}-\\u{2ff}\\u{2000}-\\u{2070}€\\u{fffd}-\\u{ffff}\\u{301}\\u{1F4C5}a-z]{0,40}") {
            let found = scan(text.as_bytes());
            let (control, nfc) = (found.control, found.nfc);
            prop_assert_eq!(found.nul, text.contains('\0'));
            if !found.nul {
                prop_assert_eq!(found.cr, text.contains('\r'));
                prop_assert_eq!(
                    control,
                    text.chars().any(|c| c != '\r' && is_forbidden_control(c))
                );
            }
            let surely_nfc = text
                .chars()
                .all(|c| c < '\u{300}' || ('\u{2002}'..='\u{206f}').contains(&c) || c == '€');
            // A NUL byte stops the pass (the file is refused).
            if !found.nul {
                prop_assert_eq!(nfc, surely_nfc);
                if nfc {
                    prop_assert_eq!(text.nfc().collect::<String>(), text);
                }
            }
        }

        /// The fast NFC pass accepts the characters of French text.
        #[test]
        fn french_text_is_surely_nfc(text in "[\\u{20}-\\u{7e}\\u{a0}-\\u{2ff}\\u{2002}-\\u{206f}€\\n]{0,60}") {
            prop_assert!(scan(text.as_bytes()).nfc);
        }

        /// Arbitrary bytes decode or are refused without panic.
        #[test]
        fn any_bytes_decode_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            if let Ok((text, _)) = decode(&bytes, "x.md") {
                prop_assert!(!text.contains('\r'));
                let _ = parse_document(Path::new("x.md"), "x.md", &text);
            }
        }
    }

    #[test]
    fn decoding() {
        let ok = |b: &[u8]| decode(b, "x.md").map(|(t, w)| (t, w.map(|d| d.to_string())));
        assert_eq!(
            ok(b"\xef\xbb\xbfa\r\nb\rc"),
            Ok(("a\nb\nc".to_string(), None))
        );
        assert_eq!(
            ok("Re\u{301}union".as_bytes()),
            Ok(("Réunion".to_string(), None))
        );
        assert_eq!(
            ok(b"ok\nl\x92\xe9t\xe9"),
            Ok((
                "ok\nl’été".to_string(),
                Some("x.md:2: not valid UTF-8 (byte 0x92); read as Windows-1252, save the file as UTF-8".to_string())
            ))
        );
        assert_eq!(ok(b"\xff\xfea\x00\xe9\x00"), Ok(("aé".to_string(), None)));
        assert_eq!(ok(b"\xfe\xff\x00a\x00\xe9"), Ok(("aé".to_string(), None)));
        assert!(ok(b"a\n\nb\0")
            .unwrap_err()
            .to_string()
            .starts_with("x.md:3: contains NUL"));
        assert_eq!(
            ok(b" \n\t").unwrap_err().to_string(),
            "x.md: empty file; not read"
        );
        assert_eq!(
            ok("a\x0cb\x1bc\u{85}d\u{7f}".as_bytes()),
            Ok(("a b c d ".to_string(), None))
        );
    }
}

#[cfg(test)]
mod pathological {
    use super::*;

    /// Inputs built to hit quadratic paths; each must load (or be refused) without panic.
    #[test]
    fn pathological_bodies_load() {
        let n = 40_000;
        let bodies: Vec<(&str, String)> = vec![
            ("stars", "**a ".repeat(n / 4)),
            ("brackets", "[".repeat(n)),
            ("links", "[a](".repeat(n / 4)),
            ("angles", "<".repeat(n)),
            ("ial", "{:".repeat(n / 2)),
            ("backticks", "`".repeat(n)),
            ("quotes", "> ".repeat(n / 2)),
            ("lists", "- ".repeat(n / 2)),
            (
                "nested lists",
                (0..2000)
                    .map(|i| format!("{}- a\n", "  ".repeat(i)))
                    .collect(),
            ),
            ("entities", "&#".repeat(n / 2)),
            ("html lines", "<div>\n".repeat(n / 6)),
            ("comment", format!("<!--{}", "x\n".repeat(n / 2))),
            ("urls", "https://a.fr/".repeat(n / 13)),
            (
                "table",
                format!("|a|b|\n|-|-|\n{}", "|x|y|\n".repeat(n / 6)),
            ),
            ("emphasis", "*a _b ".repeat(n / 6)),
        ];
        for (name, body) in bodies {
            let text = format!(
                "---\ntitle: x\ndate: 2023-11-20\nchapeau-text: |\n{}\n---\n{body}",
                "  a\n".repeat(n / 4)
            );
            let doc = parse_document(Path::new("x.md"), "x.md", &text);
            assert!(doc.is_ok(), "{name}: {:?}", doc.err());
        }
    }
}
