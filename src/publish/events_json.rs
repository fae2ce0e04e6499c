//! `events.json`: the whole agenda as data (schema in the README).
//!
//! One object `{"version": 1, "title", "home_page_url", "timezone", "events": [...]}`,
//! events in agenda order (start, start time, uid). Each event holds the fields of
//! `agenda extract` ([`crate::report::event_json`]: start, end, start_time, end_time,
//! location, stand, online, title, timezone, address, status, description, evidence,
//! confidence) plus `uid`, `url`, `summary`, `tags`, `sequence`, `modified` (RFC 3339, UTC)
//! and `sources` (`[{doc, url, published}]`, every document announcing the event).

use serde::Serialize;

use crate::agenda::Entry;
use crate::report::{event_fields, Field, Object};

use super::Entries;

use super::text::{clean, encode_url, one_line};

/// What the file says about the site.
pub struct Meta<'a> {
    pub title: &'a str,
    pub home_page_url: &'a str,
    pub timezone: &'a str,
}

#[derive(Serialize)]
struct File<'a> {
    version: u32,
    title: String,
    home_page_url: String,
    timezone: &'a str,
    events: Events<'a>,
}

/// The events, turned into JSON one at a time while writing (never all at once).
struct Events<'a>(&'a dyn Entries);

impl Serialize for Events<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for i in 0..self.0.len() {
            let entry = self.0.get(i);
            seq.serialize_element(&Object(&entry_fields(&entry)))?;
        }
        seq.end()
    }
}

/// The fields of one entry's object, sorted by key: the event's ([`event_fields`]) and
/// the entry's own.
fn entry_fields(e: &Entry) -> Vec<(&'static str, Field<'_>)> {
    let mut fields = event_fields(&e.event);
    fields.extend([
        ("uid", Field::Str(e.uid.as_str().into())),
        ("url", Field::Str(encode_url(&e.url).into())),
        (
            "summary",
            Field::Opt(e.summary.as_deref().map(|s| clean(s).into())),
        ),
        (
            "tags",
            Field::List(e.tags.iter().map(|t| one_line(t)).collect()),
        ),
        ("sequence", Field::Unsigned(u64::from(e.sequence))),
        ("modified", Field::Str(e.modified.to_string().into())),
        (
            "sources",
            Field::Objects(
                e.sources
                    .iter()
                    .map(|s| {
                        vec![
                            ("doc", Field::Str(s.doc.as_str().into())),
                            ("published", Field::Str(s.published.to_string().into())),
                            ("url", Field::Str(encode_url(&s.url).into())),
                        ]
                    })
                    .collect(),
            ),
        ),
    ]);
    fields.sort_by_key(|f| f.0);
    fields
}

/// The agenda as pretty-printed JSON bytes, ending with a newline.
pub fn write(meta: &Meta<'_>, entries: &[&Entry]) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024 + entries.len() * 2048);
    // Writing into a Vec cannot fail.
    let _ = write_to(meta, entries, &mut out);
    out
}

/// [`write`] into any writer, one event at a time (for large agendas).
pub fn write_to(
    meta: &Meta<'_>,
    entries: &[&Entry],
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    write_entries(meta, &entries, w)
}

/// [`write_to`] from entries made one at a time.
pub fn write_entries(
    meta: &Meta<'_>,
    entries: &dyn Entries,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let file = File {
        version: 1,
        title: one_line(meta.title),
        home_page_url: encode_url(meta.home_page_url),
        timezone: meta.timezone,
        events: Events(entries),
    };
    serde_json::to_writer_pretty(&mut *w, &file).map_err(std::io::Error::other)?;
    w.write_all(b"\n")
}

/// One entry's object as `events.json` writes it among the events (pretty, indented for
/// its place in the list, no separator): kept by a server between builds, joined by
/// [`write_fragments`] into the bytes [`write_entries`] writes.
pub fn fragment(e: &Entry) -> String {
    let mut one = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = serde_json::to_writer_pretty(&mut one, &Object(&entry_fields(e)));
    // JSON strings hold no raw newline: every line break is the formatter's.
    let text = String::from_utf8_lossy(&one);
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(FRAGMENT_INDENT);
        out.push_str(line);
    }
    out
}

/// Where the pretty printer puts an event: inside the file's object and its list.
const FRAGMENT_INDENT: &str = "    ";

/// What goes before the first event's [`fragment`].
pub const FIRST: &[u8] = b"\n";
/// What goes before each other event's fragment.
pub const NEXT: &[u8] = b",\n";

/// The file around its list of events: what comes before the first event (each after
/// [`FIRST`] or [`NEXT`]), and what comes after the last; with no event, the whole file
/// then nothing.
pub fn frame(meta: &Meta<'_>, any: bool) -> (Vec<u8>, Vec<u8>) {
    let mut whole = Vec::new();
    let none: &[&Entry] = &[];
    // Writing into a Vec cannot fail.
    let _ = write_entries(meta, &none, &mut whole);
    if !any {
        return (whole, Vec::new());
    }
    const EMPTY: &[u8] = b"\"events\": []";
    let Some(at) = whole
        .windows(EMPTY.len())
        .rposition(|w| w == EMPTY)
        .map(|i| i + EMPTY.len() - 1)
    else {
        return (whole, Vec::new());
    };
    let mut after = b"\n  ".to_vec();
    after.extend_from_slice(&whole[at..]);
    whole.truncate(at);
    (whole, after)
}

/// [`write_entries`] from the events' [`fragment`]s, in agenda order.
pub fn write_fragments(
    meta: &Meta<'_>,
    fragments: &[&str],
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let (before, after) = frame(meta, !fragments.is_empty());
    w.write_all(&before)?;
    for (i, f) in fragments.iter().enumerate() {
        w.write_all(if i == 0 { FIRST } else { NEXT })?;
        w.write_all(f.as_bytes())?;
    }
    w.write_all(&after)
}
