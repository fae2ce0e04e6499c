//! `events.json`: the whole agenda as data (schema in the README).
//!
//! One object `{"version": 1, "title", "home_page_url", "timezone", "events": [...]}`,
//! events in agenda order (start, start time, uid). Each event holds the fields of
//! `agenda extract` ([`crate::report::event_json`]: start, end, start_time, end_time,
//! location, stand, online, title, timezone, address, status, description, evidence,
//! confidence) plus `uid`, `url`, `summary`, `tags`, `sequence`, `modified` (RFC 3339, UTC)
//! and `sources` (`[{doc, url, published}]`, every document announcing the event).

use serde::Serialize;
use serde_json::{json, Value};

use crate::agenda::Entry;

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
            seq.serialize_element(&entry_json(&self.0.get(i)))?;
        }
        seq.end()
    }
}

/// One entry as JSON.
pub fn entry_json(e: &Entry) -> Value {
    let mut v = crate::report::event_json(&e.event);
    if let Value::Object(map) = &mut v {
        map.insert("uid".into(), Value::String(e.uid.clone()));
        map.insert("url".into(), Value::String(encode_url(&e.url)));
        map.insert(
            "summary".into(),
            e.summary
                .as_deref()
                .map_or(Value::Null, |s| Value::String(clean(s))),
        );
        map.insert(
            "tags".into(),
            Value::Array(e.tags.iter().map(|t| Value::String(one_line(t))).collect()),
        );
        map.insert("sequence".into(), json!(e.sequence));
        map.insert("modified".into(), Value::String(e.modified.to_string()));
        map.insert(
            "sources".into(),
            Value::Array(
                e.sources
                    .iter()
                    .map(|s| {
                        json!({
                            "doc": s.doc,
                            "url": encode_url(&s.url),
                            "published": s.published.to_string(),
                        })
                    })
                    .collect(),
            ),
        );
    }
    v
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
