//! `events.json`: the whole agenda as data (schema in the README).
//!
//! One object `{"version": 1, "title", "home_page_url", "timezone", "events": [...]}`;
//! each event carries the extractor's fields (start, end, start_time, end_time, tz,
//! location, address, stand, online, status, title, description, origin, confidence)
//! plus uid, url, sequence, modified, summary, tags and sources `[{doc, url}]`.

use serde::Serialize;

use crate::agenda::{Entry, Event, Origin};

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
    events: Vec<Record>,
}

#[derive(Serialize)]
struct Source {
    doc: String,
    url: String,
}

#[derive(Serialize)]
struct Record {
    uid: String,
    url: String,
    #[serde(flatten)]
    event: EventFields,
    summary: Option<String>,
    tags: Vec<String>,
    sequence: u32,
    modified: String,
    sources: Vec<Source>,
}

/// The fields of one extracted event, as `agenda extract` names them.
#[derive(Serialize)]
pub struct EventFields {
    pub title: String,
    pub start: String,
    pub end: String,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub tz: String,
    pub location: Option<String>,
    pub address: Option<String>,
    pub stand: Option<String>,
    pub online: bool,
    pub status: &'static str,
    pub description: Option<String>,
    pub origin: &'static str,
    pub confidence: f32,
}

impl EventFields {
    pub fn of(e: &Event) -> Self {
        let hm = |t: jiff::civil::Time| format!("{:02}:{:02}", t.hour(), t.minute());
        EventFields {
            title: one_line(&e.title),
            start: e.start.to_string(),
            end: e.end.to_string(),
            start_time: e.start_time.map(hm),
            end_time: e.end_time.map(hm),
            tz: e.tz.clone(),
            location: e.location.as_deref().map(one_line),
            address: e.address.as_deref().map(one_line),
            stand: e.stand.as_deref().map(one_line),
            online: e.online,
            status: e.status.as_str(),
            description: e.description.as_deref().map(clean),
            origin: match e.origin {
                Origin::Text => "text",
                Origin::FrontMatter => "front_matter",
                Origin::Override => "override",
            },
            // Two decimals keep the file stable across float formatting details.
            confidence: (e.confidence * 100.0).round() / 100.0,
        }
    }
}

/// The agenda as pretty-printed JSON bytes, ending with a newline.
pub fn write(meta: &Meta<'_>, entries: &[&Entry]) -> Vec<u8> {
    let file = File {
        version: 1,
        title: one_line(meta.title),
        home_page_url: encode_url(meta.home_page_url),
        timezone: meta.timezone,
        events: entries
            .iter()
            .map(|e| Record {
                uid: e.uid.clone(),
                url: encode_url(&e.url),
                event: EventFields::of(&e.event),
                summary: e.summary.as_deref().map(clean),
                tags: e.tags.iter().map(|t| one_line(t)).collect(),
                sequence: e.sequence,
                modified: e.modified.to_string(),
                sources: e
                    .sources
                    .iter()
                    .map(|s| Source {
                        doc: s.doc.clone(),
                        url: encode_url(&s.url),
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut out = serde_json::to_vec_pretty(&file).unwrap_or_default();
    out.push(b'\n');
    out
}
