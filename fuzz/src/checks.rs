//! The checks behind every fuzz target, shared with `tests/fuzz_replay.rs` so that each saved
//! input replays as an ordinary test. Each `check_*` function takes raw bytes, runs one stage
//! of the pipeline through the library and panics when the output is invalid.
//!
//! The publisher targets read their structured input (event data, feed items) from the bytes
//! with [`Reader`], a tiny deterministic decoder: the same bytes always give the same data.

use std::path::Path;

use agenda::agenda::{Entry, Event, Origin, Source, Status};
use agenda::content::{self, Document, SegmentOrigin};
use agenda::publish::{
    self, atom, events_json, ics, json_feed, markdown, rss, Attachment, FeedItem, FeedMeta, Person,
};
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::Timestamp;

pub const BASE: &str = "https://agenda.example.org";
pub const PAGE: &str = "https://agenda.example.org/espace-presse/salon/";

/// The check of one target.
pub type Check = fn(&[u8]);

/// Every target, by the name of its corpus folder.
pub const TARGETS: &[(&str, Check)] = &[
    ("front_matter", check_front_matter),
    ("yaml", check_yaml),
    ("markdown", check_markdown),
    ("extract", check_extract),
    ("feeds", check_feeds),
    ("ics", check_ics),
    ("events_json", check_events_json),
];

/// The check of a target by name.
pub fn target(name: &str) -> Option<Check> {
    TARGETS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

// ---------------------------------------------------------------------------------------------
// Content loading

/// Number of lines of a text as an editor counts them (at least 1).
fn line_count(text: &str) -> u32 {
    u32::try_from(text.split('\n').count()).unwrap_or(u32::MAX)
}

/// Bytes -> decoded text -> Document; None when the loader refuses the bytes (with a clear
/// one-line message naming the file).
fn load(data: &[u8]) -> Option<(String, Document)> {
    let path = Path::new("content/communiques/2024-03-01-fuzz.md");
    let rel = "communiques/2024-03-01-fuzz.md";
    let text = match content::load::decode(data, rel) {
        Ok((text, _warning)) => text,
        Err(d) => {
            check_diagnostic(&d.to_string(), rel, u32::MAX);
            return None;
        }
    };
    match content::parse_document(path, rel, &text) {
        Ok(doc) => Some((text, doc)),
        Err(d) => {
            check_diagnostic(
                &d.to_string(),
                "content/communiques/2024-03-01-fuzz.md",
                line_count(&text),
            );
            None
        }
    }
}

fn check_diagnostic(shown: &str, path: &str, lines: u32) {
    assert!(
        shown.starts_with(path),
        "error does not name the file: {shown:?}"
    );
    assert!(!shown.contains('\n'), "error is not one line: {shown:?}");
    if let Some(rest) = shown[path.len()..].strip_prefix(':') {
        if let Some(n) = rest.split(':').next().and_then(|n| n.parse::<u32>().ok()) {
            assert!(
                n >= 1 && n <= lines,
                "error line {n} out of 1..={lines}: {shown:?}"
            );
        }
    }
}

fn check_document(text: &str, doc: &Document) {
    let lines = line_count(text);
    assert!(
        doc.body_line >= 1 && doc.body_line <= lines + 1,
        "body line {}",
        doc.body_line
    );
    for d in &doc.diagnostics {
        assert!(!d.message.contains('\n'), "diagnostic is not one line: {d}");
        if let Some(l) = d.line {
            assert!(
                l >= 1 && l <= lines,
                "diagnostic line {l} out of 1..={lines}: {d}"
            );
        }
    }
    for s in &doc.segments {
        check_segment(s, lines);
    }
    assert!(
        !doc.title.contains('\n'),
        "title spans lines: {:?}",
        doc.title
    );
}

fn check_segment(s: &content::Segment, lines: u32) {
    assert!(!s.lines.is_empty(), "segment without a line map: {s:?}");
    assert_eq!(s.lines[0].0, 0, "line map does not start at 0: {s:?}");
    let mut prev = 0;
    for &(offset, line) in &s.lines {
        assert!(offset >= prev, "line map not sorted: {s:?}");
        prev = offset;
        assert!(
            offset <= s.text.len(),
            "offset {offset} past the text: {s:?}"
        );
        assert!(
            line >= 1 && line <= lines,
            "segment line {line} out of 1..={lines}: {s:?}"
        );
    }
}

/// Front matter splitting, YAML and typing: no panic, every line in bounds, errors on one line.
pub fn check_front_matter(data: &[u8]) {
    if let Some((text, doc)) = load(data) {
        check_document(&text, &doc);
    }
}

/// The front matter splitter and the YAML layer alone (the fast path to deep YAML inputs):
/// no panic, errors and key lines within the file.
pub fn check_yaml(data: &[u8]) {
    // Line ends as the loader leaves them (CRLF and CR become LF before splitting).
    let text = String::from_utf8_lossy(data)
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let lines = line_count(&text);
    let Ok(parts) = content::split::split(&text) else {
        return;
    };
    assert!(parts.body_line >= 1 && parts.body_line <= lines + 1);
    let Some(yaml) = parts.yaml else {
        return;
    };
    match content::front::parse(yaml, parts.yaml_line) {
        Ok(_) => {
            let keys = content::front::KeyLines::new(yaml, parts.yaml_line);
            for key in ["title", "date", "agenda", "tags", "champs_informations"] {
                if let Some(l) = keys.line(key) {
                    assert!(l >= 1 && l <= lines, "key line {l} out of 1..={lines}");
                }
            }
        }
        Err(e) => {
            assert!(
                !e.message.contains('\n'),
                "YAML error is not one line: {e:?}"
            );
            if let Some(l) = e.line {
                assert!(
                    l >= 1 && l <= lines,
                    "YAML error line {l} out of 1..={lines}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Markdown

/// Markdown -> plain text (segments) and -> HTML: no panic, lines in bounds, HTML inert.
pub fn check_markdown(data: &[u8]) {
    let src = String::from_utf8_lossy(data);
    let map = content::markdown::LineMap::of_text(&src, 1);
    let lines = line_count(&src);
    for s in content::markdown::segments(&src, &map, SegmentOrigin::Body) {
        check_segment(&s, lines);
    }
    let _ = content::markdown::plain(&src);
    let html = markdown::to_html(&src, BASE, PAGE);
    assert_inert_html(&html);
}

/// What a feed reader could run: script-like elements, event handler attributes and
/// `javascript:`-style URLs. Panics when `html` carries any of them.
pub fn assert_inert_html(html: &str) {
    let lower = html.to_ascii_lowercase();
    for tag in [
        "script", "iframe", "object", "embed", "style", "form", "base", "meta", "link", "svg",
        "math", "frame", "frameset", "applet", "template", "noscript", "input", "button",
        "textarea", "select",
    ] {
        let mut at = 0;
        while let Some(i) = lower[at..].find('<').map(|i| at + i) {
            let rest = lower[i + 1..].trim_start_matches('/');
            if let Some(after) = rest.strip_prefix(tag) {
                let next = after.chars().next();
                assert!(
                    !matches!(
                        next,
                        None | Some(' ' | '\t' | '\n' | '\r' | '\x0c' | '/' | '>')
                    ),
                    "active element <{tag}> in HTML: {html:?}"
                );
            }
            at = i + 1;
        }
    }
    for tag in tags(html) {
        for (name, value) in attributes(&tag) {
            assert!(
                !name.starts_with("on"),
                "event handler attribute {name:?} in HTML: {html:?}"
            );
            if matches!(
                name.as_str(),
                "href"
                    | "src"
                    | "action"
                    | "formaction"
                    | "xlink:href"
                    | "srcset"
                    | "poster"
                    | "data"
                    | "background"
                    | "lowsrc"
                    | "dynsrc"
                    | "cite"
                    | "longdesc"
            ) {
                let url: String = decode_entities(&value)
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                for scheme in ["javascript:", "vbscript:", "data:", "livescript:"] {
                    assert!(!url.starts_with(scheme), "{scheme} URL in HTML: {html:?}");
                }
            }
        }
    }
}

/// The start tags of an HTML fragment as a browser tokenizer sees them (`<` then a letter).
fn tags(html: &str) -> Vec<String> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'<' && bytes.get(i + 1).is_some_and(|b| b.is_ascii_alphabetic()) {
            // Up to the first `>` outside quotes.
            let mut j = i + 1;
            let mut quote = None;
            while j < bytes.len() {
                match (quote, bytes[j]) {
                    (None, b'"' | b'\'') => quote = Some(bytes[j]),
                    (Some(q), b) if b == q => quote = None,
                    (None, b'>') => break,
                    _ => {}
                }
                j += 1;
            }
            out.push(html[i + 1..j.min(html.len())].to_string());
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// The attributes of a start tag's text (after `<`), names lower-cased, values raw.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let b = tag.as_bytes();
    let mut i = 0;
    // The tag name.
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'/' {
        i += 1;
    }
    let mut out = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'/' && b[i] != b'=' {
            i += 1;
        }
        if i == start {
            i += 1;
            continue;
        }
        let name = tag[start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let vs = i + 1;
                i = vs;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                value = tag[vs..i.min(tag.len())].to_string();
                i += 1;
            } else {
                let vs = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = tag[vs..i].to_string();
            }
        }
        out.push((name, value));
    }
    out
}

/// Character references as a browser decodes them in attribute values (numeric ones and the
/// few named ones that matter for URLs).
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        let end = rest
            .char_indices()
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '#'))
            .map_or(rest.len(), |(j, _)| j);
        let name = &rest[..end];
        let decoded = if let Some(num) = name.strip_prefix('#') {
            let n = if let Some(hex) = num.strip_prefix(['x', 'X']) {
                u32::from_str_radix(hex, 16).ok()
            } else {
                num.parse::<u32>().ok()
            };
            n.map(|n| char::from_u32(n).unwrap_or('\u{FFFD}'))
        } else {
            match name.to_ascii_lowercase().as_str() {
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------------
// Extractor

/// Bytes -> Document -> `extract::extract`: no panic, evidence lines in bounds, sane events.
pub fn check_extract(data: &[u8]) {
    let Some((text, doc)) = load(data) else {
        return;
    };
    check_document(&text, &doc);
    let lines = line_count(&text);
    let found = agenda::extract::extract(&doc);
    for e in &found.events {
        assert!(e.start <= e.end, "event ends before it starts: {e:?}");
        assert!(
            (0.0..=1.0).contains(&e.confidence),
            "confidence out of 0..=1: {e:?}"
        );
        assert!(!e.title.trim().is_empty(), "event without a title: {e:?}");
        assert!(TimeZone::get(&e.tz).is_ok(), "unknown zone {:?}", e.tz);
        for ev in &e.evidence {
            assert!(
                ev.line >= 1 && ev.line <= lines,
                "evidence line {} out of 1..={lines}: {ev:?}",
                ev.line
            );
        }
    }
    for d in &found.deadlines {
        assert!(
            d.line >= 1 && d.line <= lines,
            "deadline line out of bounds: {d:?}"
        );
    }
    for w in &found.warnings {
        if let Some(l) = w.line {
            assert!(
                l >= 1 && l <= lines,
                "warning line {l} out of 1..={lines}: {w:?}"
            );
        }
        assert!(!w.message.contains('\n'), "warning is not one line: {w:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Structured input for the publishers

/// Reads typed values from fuzz bytes; past the end every read gives zero / empty.
pub struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data }
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    pub fn u8(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }

    pub fn u16(&mut self) -> u16 {
        u16::from(self.u8()) << 8 | u16::from(self.u8())
    }

    pub fn bool(&mut self) -> bool {
        self.u8() & 1 == 1
    }

    /// A string: one length byte, then that many bytes (lossy UTF-8).
    pub fn text(&mut self) -> String {
        let n = usize::from(self.u8()).min(self.data.len());
        let (s, rest) = self.data.split_at(n);
        self.data = rest;
        String::from_utf8_lossy(s).into_owned()
    }

    /// A longer string: two length bytes.
    pub fn long_text(&mut self) -> String {
        let n = usize::from(self.u16()).min(self.data.len());
        let (s, rest) = self.data.split_at(n);
        self.data = rest;
        String::from_utf8_lossy(s).into_owned()
    }

    pub fn opt_text(&mut self) -> Option<String> {
        if self.bool() {
            Some(self.text())
        } else {
            None
        }
    }

    /// Any date jiff can hold, biased towards the years content has.
    pub fn date(&mut self) -> Date {
        let year = match self.u8() % 4 {
            0 => 2000 + i16::from(self.u8() % 40),
            1 => (self.u16() % 10_000) as i16,
            2 => -9999 + (self.u16() % 19_999) as i16,
            _ => [1, 9998, 9999, 1970, 2024][usize::from(self.u8() % 5)],
        };
        let month = 1 + (self.u8() % 12) as i8;
        let day = 1 + (self.u8() % 31) as i8;
        Date::new(year, month, day)
            .or_else(|_| Date::new(year, month, 28))
            .unwrap_or(Date::constant(2024, 1, 1))
    }

    pub fn time(&mut self) -> Option<Time> {
        if self.bool() {
            Time::new((self.u8() % 24) as i8, (self.u8() % 60) as i8, 0, 0).ok()
        } else {
            None
        }
    }

    pub fn timestamp(&mut self) -> Timestamp {
        let hi = i64::from(self.u16());
        let lo = i64::from(self.u16());
        let secs = match self.u8() % 3 {
            // Around the years content has.
            0 => 1_500_000_000 + (hi << 16 | lo) % 800_000_000,
            1 => Timestamp::MIN.as_second() + (hi << 16 | lo),
            _ => Timestamp::MAX.as_second() - (hi << 16 | lo),
        };
        Timestamp::from_second(secs).unwrap_or(Timestamp::UNIX_EPOCH)
    }

    pub fn zone(&mut self) -> String {
        const ZONES: &[&str] = &[
            "Europe/Paris",
            "America/Guadeloupe",
            "Indian/Reunion",
            "Pacific/Noumea",
            "America/Cayenne",
            "UTC",
            "",
            "Mars/Olympus_Mons",
        ];
        match self.u8() {
            b @ 0..=239 => ZONES[usize::from(b) % ZONES.len()].to_string(),
            _ => self.text(),
        }
    }
}

fn read_event(r: &mut Reader<'_>) -> Event {
    let start = r.date();
    let end = if r.bool() {
        start
            .checked_add(jiff::Span::new().days(i64::from(r.u8() % 40)))
            .unwrap_or(start)
    } else {
        r.date()
    };
    Event {
        title: r.text(),
        start,
        end,
        start_time: r.time(),
        end_time: r.time(),
        tz: r.zone(),
        location: r.opt_text(),
        address: r.opt_text(),
        stand: r.opt_text(),
        online: r.bool(),
        status: match r.u8() % 3 {
            0 => Status::Confirmed,
            1 => Status::Cancelled,
            _ => Status::Postponed,
        },
        description: r.opt_text(),
        origin: match r.u8() % 3 {
            0 => Origin::Text,
            1 => Origin::FrontMatter,
            _ => Origin::Override,
        },
        evidence: Vec::new(),
        confidence: f32::from(r.u8()) / 255.0,
    }
}

/// Between 1 and 4 agenda entries.
pub fn read_entries(r: &mut Reader<'_>) -> Vec<Entry> {
    let n = 1 + usize::from(r.u8() % 4);
    (0..n)
        .map(|i| {
            let uid = if r.bool() {
                r.text()
            } else {
                format!("communiques-fuzz-{i}")
            };
            let url = if r.bool() {
                r.text()
            } else {
                format!("{BASE}/agenda/fuzz-{i}/")
            };
            let event = read_event(r);
            let tags = (0..r.u8() % 3).map(|_| r.text()).collect();
            Entry {
                uid,
                url: url.clone(),
                event,
                sources: vec![Source {
                    doc: r.text(),
                    url,
                    published: r.timestamp(),
                }],
                tags,
                modified: r.timestamp(),
                summary: r.opt_text(),
                sequence: u32::from(r.u8()),
            }
        })
        .collect()
}

fn read_meta(r: &mut Reader<'_>) -> FeedMeta {
    FeedMeta {
        id: format!("tag:agenda.example.org,2024:{}", r.text()),
        title: r.text(),
        description: r.text(),
        home_url: format!("{BASE}/"),
        feed_url: format!("{BASE}/releases.rss"),
        language: if r.bool() { r.text() } else { "fr".to_string() },
        author: Person {
            name: r.text(),
            email: r.opt_text(),
            uri: r.opt_text(),
        },
        updated: r.timestamp(),
        tz: TimeZone::get("Europe/Paris").unwrap_or(TimeZone::UTC),
    }
}

/// Between 1 and 4 feed items; their HTML comes from Markdown bodies through the real renderer.
pub fn read_items(r: &mut Reader<'_>) -> Vec<FeedItem> {
    let n = 1 + usize::from(r.u8() % 4);
    (0..n)
        .map(|i| {
            let url = if r.bool() {
                r.text()
            } else {
                format!("{BASE}/espace-presse/fuzz-{i}/")
            };
            let title = r.text();
            let summary = r.opt_text();
            let content_html = if r.bool() {
                Some(markdown::to_html(&r.long_text(), BASE, &url))
            } else {
                None
            };
            let categories = (0..r.u8() % 3).map(|_| r.text()).collect();
            let image = r.opt_text();
            let attachments = (0..r.u8() % 2)
                .map(|_| Attachment {
                    url: r.text(),
                    mime_type: publish::text::mime_type(&r.text()).to_string(),
                    length: u64::from(r.u16()),
                    title: r.opt_text(),
                })
                .collect();
            FeedItem {
                id: format!("tag:agenda.example.org,2024:fuzz-{i}"),
                url,
                title,
                summary,
                content_html,
                published: r.timestamp(),
                updated: r.timestamp(),
                categories,
                image,
                attachments,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Publishers

fn xml_text(node: roxmltree::Node<'_, '_>) -> String {
    node.children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect()
}

/// RSS, Atom and JSON Feed from any items: strict XML / JSON, one item per input item, titles
/// carried as text (never as markup), HTML content inert.
pub fn check_feeds(data: &[u8]) {
    let mut r = Reader::new(data);
    let meta = read_meta(&mut r);
    let items = read_items(&mut r);
    let titles: Vec<String> = items
        .iter()
        .map(|i| publish::text::one_line(&i.title))
        .collect();
    for i in &items {
        if let Some(h) = &i.content_html {
            assert_inert_html(h);
        }
    }

    let rss_bytes = rss::write(&meta, &items);
    let rss_text = std::str::from_utf8(&rss_bytes).expect("RSS is UTF-8");
    let doc = roxmltree::Document::parse(rss_text)
        .unwrap_or_else(|e| panic!("RSS is not XML: {e}\n{rss_text}"));
    let rss_items: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("item"))
        .collect();
    assert_eq!(rss_items.len(), items.len(), "RSS items\n{rss_text}");
    for (node, title) in rss_items.iter().zip(&titles) {
        let got = node
            .children()
            .find(|c| c.has_tag_name("title"))
            .map(xml_text)
            .unwrap_or_default();
        assert_eq!(got.trim(), title.trim(), "RSS title\n{rss_text}");
        for c in node.children() {
            if c.tag_name().name() == "encoded" {
                assert_inert_html(&xml_text(c));
            }
        }
    }

    let atom_bytes = atom::write(&meta, &items);
    let atom_text = std::str::from_utf8(&atom_bytes).expect("Atom is UTF-8");
    let doc = roxmltree::Document::parse(atom_text)
        .unwrap_or_else(|e| panic!("Atom is not XML: {e}\n{atom_text}"));
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), items.len(), "Atom entries\n{atom_text}");
    for (node, title) in entries.iter().zip(&titles) {
        let got = node
            .children()
            .find(|c| c.has_tag_name("title"))
            .map(xml_text)
            .unwrap_or_default();
        assert_eq!(got.trim(), title.trim(), "Atom title\n{atom_text}");
        if let Some(c) = node.children().find(|c| c.has_tag_name("content")) {
            assert_inert_html(&xml_text(c));
        }
    }

    let json_bytes = json_feed::write(&meta, &items);
    let json: serde_json::Value = serde_json::from_slice(&json_bytes)
        .unwrap_or_else(|e| panic!("JSON Feed is not JSON: {e}"));
    let json_items = json["items"].as_array().expect("JSON Feed items");
    assert_eq!(json_items.len(), items.len(), "JSON Feed items");
    for (item, title) in json_items.iter().zip(&titles) {
        assert_eq!(
            item["title"].as_str().unwrap_or_default().trim(),
            title.trim(),
            "JSON Feed title"
        );
        if let Some(h) = item["content_html"].as_str() {
            assert_inert_html(h);
        }
    }
}

fn calendar_meta(r: &mut Reader<'_>) -> ics::CalendarMeta {
    ics::CalendarMeta {
        name: r.text(),
        description: r.text(),
        prodid: if r.bool() {
            r.text()
        } else {
            ics::DEFAULT_PRODID.to_string()
        },
        refresh: jiff::SignedDuration::from_hours(i64::from(r.u8()) - 8),
        default_tz: r.zone(),
        domain: if r.bool() {
            r.text()
        } else {
            "agenda.example.org".to_string()
        },
    }
}

/// One iCalendar file: CRLF lines of at most 75 octets, parsed back by the `icalendar` crate,
/// at most one VEVENT per entry, nothing but what the publisher writes (no ATTENDEE, no
/// stray END lines).
pub fn assert_valid_ics(bytes: &[u8], max_events: usize) {
    let text = std::str::from_utf8(bytes).expect("ICS is UTF-8");
    assert!(text.ends_with("\r\n"), "ICS does not end with CRLF");
    for line in text.split_terminator("\r\n") {
        assert!(!line.contains(['\r', '\n']), "bare CR or LF in ICS\n{text}");
        assert!(line.len() <= 75, "line over 75 octets: {line:?}");
        assert!(
            line.chars().all(|c| c == '\t' || !c.is_control()),
            "control character in ICS: {line:?}"
        );
    }
    let unfolded = icalendar::parser::unfold(text);
    let cal = icalendar::parser::read_calendar(&unfolded)
        .unwrap_or_else(|e| panic!("icalendar cannot parse: {e}\n{text}"));
    let n_calendars = unfolded
        .lines()
        .filter(|l| l.trim_end() == "BEGIN:VCALENDAR")
        .count();
    assert_eq!(n_calendars, 1, "one VCALENDAR\n{text}");
    let vevents = cal.components.iter().filter(|c| c.name == "VEVENT").count();
    let begins = unfolded
        .lines()
        .filter(|l| l.trim_end() == "BEGIN:VEVENT")
        .count();
    let ends = unfolded
        .lines()
        .filter(|l| l.trim_end() == "END:VEVENT")
        .count();
    assert_eq!(begins, ends, "BEGIN/END:VEVENT\n{text}");
    assert_eq!(vevents, begins, "VEVENT components\n{text}");
    assert!(vevents <= max_events, "more VEVENTs than entries\n{text}");
    for l in unfolded.lines() {
        let name = l.split([':', ';']).next().unwrap_or_default();
        assert!(
            !matches!(name, "ATTENDEE" | "ORGANIZER" | "VALARM" | "ATTACH"),
            "injected property {name}\n{text}"
        );
    }
    for c in &cal.components {
        if c.name != "VEVENT" {
            continue;
        }
        for p in ["UID", "DTSTAMP", "DTSTART", "SUMMARY"] {
            assert!(
                c.properties.iter().any(|q| q.name == p),
                "VEVENT without {p}\n{text}"
            );
        }
    }
}

/// `agenda.ics` and `events/<uid>.ics` from any entries.
pub fn check_ics(data: &[u8]) {
    let mut r = Reader::new(data);
    let meta = calendar_meta(&mut r);
    let entries = read_entries(&mut r);
    let refs: Vec<&Entry> = entries.iter().collect();
    assert_valid_ics(&ics::calendar(&refs, &meta), entries.len());
    for e in &entries {
        assert_valid_ics(&ics::single(e, &meta), 1);
    }
}

/// `events.json` from any entries: JSON, one record per entry, text carried as it was cleaned.
pub fn check_events_json(data: &[u8]) {
    let mut r = Reader::new(data);
    let title = r.text();
    let entries = read_entries(&mut r);
    let refs: Vec<&Entry> = entries.iter().collect();
    let bytes = events_json::write(
        &events_json::Meta {
            title: &title,
            home_page_url: BASE,
            timezone: "Europe/Paris",
        },
        &refs,
    );
    let v: serde_json::Value =
        serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("events.json is not JSON: {e}"));
    let events = v["events"].as_array().expect("events array");
    assert_eq!(events.len(), entries.len());
    for (got, e) in events.iter().zip(&entries) {
        let title = got["title"].as_str().unwrap_or_default();
        assert!(
            title == e.event.title || title == publish::text::one_line(&e.event.title),
            "title of {got}"
        );
        assert_eq!(
            got["uid"].as_str().unwrap_or_default(),
            e.uid,
            "uid of {got}"
        );
        assert_eq!(
            got["start"].as_str(),
            Some(e.event.start.to_string().as_str())
        );
        assert!(got["confidence"].is_number(), "confidence {got}");
    }
}
