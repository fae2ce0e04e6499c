//! `agenda extract`: per document, the events found and the evidence for each field.

use std::io::Write;
use std::path::PathBuf;

use rayon::prelude::*;
use serde_json::{json, Value};

use crate::agenda::{Event, Extraction};
use crate::content::{self, Document};
use crate::extract::extract;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Jsonl,
}

fn hm(t: Option<jiff::civil::Time>) -> Option<String> {
    t.map(|t| format!("{:02}:{:02}", t.hour(), t.minute()))
}

/// A value of an event's JSON object ([`event_fields`]), serialized as it is, without
/// building a `serde_json::Value` (`events.json` holds every entry of the agenda).
pub enum Field<'a> {
    Str(std::borrow::Cow<'a, str>),
    Opt(Option<std::borrow::Cow<'a, str>>),
    Bool(bool),
    Number(f64),
    Unsigned(u64),
    List(Vec<String>),
    /// Per field, the first evidence for it: `{"<field>": {"line", "text"}}`.
    Evidence(&'a [crate::agenda::Evidence]),
    /// Objects whose keys are already sorted.
    Objects(Vec<Vec<(&'static str, Field<'a>)>>),
}

impl serde::Serialize for Field<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Field::Str(v) => s.serialize_str(v),
            Field::Opt(None) => s.serialize_none(),
            Field::Opt(Some(v)) => s.serialize_str(v),
            Field::Bool(v) => s.serialize_bool(*v),
            Field::Number(v) => s.serialize_f64(*v),
            Field::Unsigned(v) => s.serialize_u64(*v),
            Field::List(v) => v.serialize(s),
            Field::Evidence(evidence) => {
                // Sorted by field, the first evidence of each (as a JSON object keeps them).
                let mut first: Vec<&crate::agenda::Evidence> = Vec::with_capacity(evidence.len());
                for ev in evidence.iter() {
                    if !first.iter().any(|f| f.field == ev.field) {
                        first.push(ev);
                    }
                }
                first.sort_by_key(|ev| ev.field);
                let mut map = s.serialize_map(Some(first.len()))?;
                for ev in first {
                    map.serialize_entry(
                        ev.field,
                        &Object(&[
                            ("line", Field::Unsigned(u64::from(ev.line))),
                            ("text", Field::Str(ev.text.as_str().into())),
                        ]),
                    )?;
                }
                map.end()
            }
            Field::Objects(objects) => {
                let mut seq = s.serialize_seq(Some(objects.len()))?;
                for o in objects {
                    seq.serialize_element(&Object(o))?;
                }
                seq.end()
            }
        }
    }
}

/// A JSON object of fields whose keys are sorted (as `serde_json::Map` sorts them).
pub struct Object<'f, 'a>(pub &'f [(&'static str, Field<'a>)]);

impl serde::Serialize for Object<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        debug_assert!(
            self.0.windows(2).all(|w| w[0].0 < w[1].0),
            "keys out of order"
        );
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (key, value) in self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// The fields of one event's JSON object, with the field names of the labelled corpus
/// (`start`, `end`, `start_time`, `end_time`, `location`, `stand`, `online`) plus title,
/// time zone, address, status, evidence per field and confidence; unsorted. Shared with
/// `events.json`.
pub fn event_fields(e: &Event) -> Vec<(&'static str, Field<'_>)> {
    fn opt(v: &Option<String>) -> Field<'_> {
        Field::Opt(v.as_deref().map(Into::into))
    }
    vec![
        ("start", Field::Str(e.start.to_string().into())),
        ("end", Field::Str(e.end.to_string().into())),
        ("start_time", Field::Opt(hm(e.start_time).map(Into::into))),
        ("end_time", Field::Opt(hm(e.end_time).map(Into::into))),
        ("location", opt(&e.location)),
        ("stand", opt(&e.stand)),
        ("online", Field::Bool(e.online)),
        ("title", Field::Str(e.title.as_str().into())),
        ("timezone", Field::Str(e.tz.as_str().into())),
        ("address", opt(&e.address)),
        ("status", Field::Str(e.status.as_str().into())),
        ("description", opt(&e.description)),
        ("evidence", Field::Evidence(&e.evidence)),
        (
            "confidence",
            Field::Number((f64::from(e.confidence) * 100.0).round() / 100.0),
        ),
    ]
}

/// One event as JSON: [`event_fields`] as an object.
pub fn event_json(e: &Event) -> Value {
    let mut fields = event_fields(e);
    fields.sort_by_key(|f| f.0);
    serde_json::to_value(Object(&fields)).unwrap_or(Value::Null)
}

/// The `jsonl` line of one document.
pub fn document_json(doc: &Document, x: &Extraction) -> Value {
    json!({
        "doc": doc.rel,
        "published": doc.published.map(|p| p.date.to_string()),
        "title": doc.title,
        "events": x.events.iter().map(event_json).collect::<Vec<_>>(),
        "deadlines": x.deadlines.iter().map(|d| json!({"date": d.date.to_string(), "line": d.line, "text": d.text})).collect::<Vec<_>>(),
        "warnings": x.warnings.iter().map(|w| json!({"line": w.line, "message": w.message})).collect::<Vec<_>>(),
    })
}

/// The text report of one document, for people.
pub fn document_text(doc: &Document, x: &Extraction) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let published = doc
        .published
        .map(|p| p.date.to_string())
        .unwrap_or_else(|| "no date".into());
    let _ = writeln!(s, "{} ({}) {}", doc.rel, published, doc.title);
    if x.events.is_empty() {
        let _ = writeln!(s, "  no event");
    }
    for (i, e) in x.events.iter().enumerate() {
        let when = if e.start == e.end {
            e.start.to_string()
        } else {
            format!("{} to {}", e.start, e.end)
        };
        let hours = match (e.start_time, e.end_time) {
            (Some(a), Some(b)) => format!(
                " {:02}:{:02}-{:02}:{:02}",
                a.hour(),
                a.minute(),
                b.hour(),
                b.minute()
            ),
            (Some(a), None) => format!(" {:02}:{:02}", a.hour(), a.minute()),
            _ => String::new(),
        };
        let _ = writeln!(
            s,
            "  event {}: {when}{hours} [{}] {} (confidence {:.2})",
            i + 1,
            e.tz,
            e.status.as_str(),
            e.confidence
        );
        let _ = writeln!(s, "    title: {}", e.title);
        if let Some(l) = &e.location {
            let _ = writeln!(s, "    location: {l}");
        }
        if let Some(a) = &e.address {
            let _ = writeln!(s, "    address: {a}");
        }
        if let Some(st) = &e.stand {
            let _ = writeln!(s, "    stand: {st}");
        }
        if e.online {
            let _ = writeln!(s, "    online");
        }
        for ev in &e.evidence {
            let _ = writeln!(
                s,
                "    {:<10} {}:{}: « {} »",
                ev.field, doc.rel, ev.line, ev.text
            );
        }
    }
    for d in &x.deadlines {
        let _ = writeln!(
            s,
            "  deadline {}: {}:{}: « {} »",
            d.date, doc.rel, d.line, d.text
        );
    }
    for w in &x.warnings {
        match w.line {
            Some(l) => {
                let _ = writeln!(s, "  warning: {}:{}: {}", doc.rel, l, w.message);
            }
            None => {
                let _ = writeln!(s, "  warning: {}: {}", doc.rel, w.message);
            }
        }
    }
    s
}

/// Returns the exit status: 0, or 1 when a file could not be read.
pub fn run_extract(paths: &[PathBuf], format: Format) -> u8 {
    let (docs, errors) = content::load_all(paths);
    for e in &errors {
        eprintln!("{e}");
    }
    let lines: Vec<String> = docs
        .par_iter()
        .map(|doc| {
            let x = extract(doc);
            match format {
                Format::Jsonl => document_json(doc, &x).to_string() + "\n",
                Format::Text => document_text(doc, &x) + "\n",
            }
        })
        .collect();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for l in lines {
        if out.write_all(l.as_bytes()).is_err() {
            return 1;
        }
    }
    if out.flush().is_err() {
        return 1;
    }
    if errors.is_empty() {
        0
    } else {
        1
    }
}
