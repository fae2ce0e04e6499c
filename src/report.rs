//! `agenda extract`: per document, the events found and the evidence for each field.

use std::io::Write;
use std::path::PathBuf;

use rayon::prelude::*;
use serde_json::{json, Map, Value};

use crate::agenda::{Event, Extraction};
use crate::content::{self, Document};
use crate::extract::extract;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Jsonl,
}

fn hm(t: Option<jiff::civil::Time>) -> Value {
    match t {
        Some(t) => Value::String(format!("{:02}:{:02}", t.hour(), t.minute())),
        None => Value::Null,
    }
}

/// One event as JSON, with the field names of the labelled corpus (`start`, `end`,
/// `start_time`, `end_time`, `location`, `stand`, `online`) plus title, time zone,
/// address, status, evidence per field and confidence. Shared with `events.json`.
pub fn event_json(e: &Event) -> Value {
    let mut evidence = Map::new();
    for ev in &e.evidence {
        evidence
            .entry(ev.field.to_string())
            .or_insert_with(|| json!({"line": ev.line, "text": ev.text}));
    }
    json!({
        "start": e.start.to_string(),
        "end": e.end.to_string(),
        "start_time": hm(e.start_time),
        "end_time": hm(e.end_time),
        "location": e.location,
        "stand": e.stand,
        "online": e.online,
        "title": e.title,
        "timezone": e.tz,
        "address": e.address,
        "status": e.status.as_str(),
        "description": e.description,
        "evidence": Value::Object(evidence),
        "confidence": (f64::from(e.confidence) * 100.0).round() / 100.0,
    })
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
