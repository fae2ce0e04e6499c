//! The agenda model shared by the extractor, the agenda assembly and the publishers.
//! [`crate::merge`] and [`crate::announce`] stand on it; it imports neither.

use jiff::civil::{Date, Time};

/// Where an extracted value comes from: a file line and the quoted text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// Which field this evidence supports: "start", "end", "start_time", "location"...
    pub field: &'static str,
    /// 1-based line in the source file.
    pub line: u32,
    /// The quoted source text (normalized plain text).
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Status {
    #[default]
    Confirmed,
    Cancelled,
    Postponed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::Cancelled => "cancelled",
            Status::Postponed => "postponed",
        }
    }
}

/// How an event was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Origin {
    /// Found in the prose.
    #[default]
    Text,
    /// From structured front matter (event_start_date, date/date_end...), cross-checked with the text.
    FrontMatter,
    /// From an editor's `agenda:` override in the front matter.
    Override,
}

/// One event announced by one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The event's own name when the text gives one, else the document title.
    pub title: String,
    /// First day, local to `tz`.
    pub start: Date,
    /// Last day, inclusive (equal to `start` for a one-day event).
    pub end: Date,
    /// Daily start time, local wall clock; None when all-day or not said.
    pub start_time: Option<Time>,
    pub end_time: Option<Time>,
    /// IANA time zone of the event's place ("Europe/Paris", "America/Guadeloupe"...).
    pub tz: String,
    pub location: Option<String>,
    pub address: Option<String>,
    pub stand: Option<String>,
    pub online: bool,
    pub status: Status,
    /// Extra detail for people (sessions inside the event, with their times).
    pub description: Option<String>,
    pub origin: Origin,
    /// Evidence for each field that was found.
    pub evidence: Vec<Evidence>,
    /// 0.0 to 1.0.
    pub confidence: f32,
}

/// A closing date that is not an event ("candidatures jusqu'au 3 avril").
#[derive(Debug, Clone, PartialEq)]
pub struct Deadline {
    pub date: Date,
    pub line: u32,
    pub text: String,
}

/// Something an editor should look at, found while extracting one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub line: Option<u32>,
    pub message: String,
}

/// What the extractor found in one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extraction {
    pub events: Vec<Event>,
    pub deadlines: Vec<Deadline>,
    pub warnings: Vec<Warning>,
}

/// One agenda entry: an event with its stable identity and its sources.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Stable forever: derived from the source document and the event, never random.
    pub uid: String,
    /// The page that announces it (absolute URL).
    pub url: String,
    pub event: Event,
    /// Every document announcing this event: (path relative to the content folder, absolute URL).
    pub sources: Vec<Source>,
    /// Tags of the source documents.
    pub tags: Vec<String>,
    /// Publication timestamp of the newest source, used for DTSTAMP/LAST-MODIFIED (never the clock).
    pub modified: jiff::Timestamp,
    /// Chapeau or summary of the announcing document.
    pub summary: Option<String>,
    /// iCalendar SEQUENCE: grows each time the event's days, times, place or status change.
    pub sequence: u32,
}

/// A document announcing an entry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Source {
    /// Path relative to the content folder.
    pub doc: String,
    /// Absolute URL of its page.
    pub url: String,
    /// When it was published (the earliest source gives a merged entry its uid).
    pub published: jiff::Timestamp,
}

/// The whole agenda, sorted by (start, start_time, uid).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Agenda {
    pub entries: Vec<Entry>,
}

/// What the agenda assembly needs to know of the document announcing events.
#[derive(Debug, Clone, Copy)]
pub struct Announcer<'a> {
    /// Path relative to the content folder.
    pub rel: &'a str,
    /// The document's identifier, unique in the build (see [`doc_key`]).
    pub key: &'a str,
    /// Absolute URL of the document's page.
    pub url: &'a str,
    pub published: jiff::Timestamp,
    pub tags: &'a [String],
    pub summary: Option<&'a str>,
}

/// The lower-case ASCII identifier of a document: `<collection>-<slug>`, accents dropped,
/// any other character run turned into `-`.
pub fn doc_key(collection: &str, slug: &str) -> String {
    let raw = if collection.is_empty() {
        slug.to_string()
    } else {
        format!("{collection}-{slug}")
    };
    crate::slug::slugify(&raw, "document")
}

/// One entry per event of one document, each with its stable uid.
///
/// UIDs: `<key>@<domain>` for the document's first event (in the order start day, start
/// time, end day, title), where the key is `<collection>-<slug>` ([`doc_key`]; the build
/// falls back to the relative path when two files share it), `<key>-<yyyymmdd>@<domain>` for
/// the others (`-2`, `-3`... when one day has several). The first event's uid carries no
/// date so that postponing a document's event keeps its uid (SEQUENCE grows instead);
/// editing anything else in the document, or in any other document, never changes a uid.
/// The sequence is left at 0; the build sets it from its state.
pub fn assemble(doc: &Announcer<'_>, mut events: Vec<Event>, domain: &str) -> Vec<Entry> {
    events.sort_by(|a, b| {
        (a.start, a.start_time, a.end, &a.title, &a.location).cmp(&(
            b.start,
            b.start_time,
            b.end,
            &b.title,
            &b.location,
        ))
    });
    let key = doc.key;
    let mut seen: std::collections::BTreeMap<String, u32> = std::collections::BTreeMap::new();
    let mut out = Vec::with_capacity(events.len());
    for (i, event) in events.into_iter().enumerate() {
        let mut local = if i == 0 {
            key.to_string()
        } else {
            format!(
                "{key}-{:04}{:02}{:02}",
                event.start.year(),
                event.start.month(),
                event.start.day()
            )
        };
        let n = seen.entry(local.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            local = format!("{local}-{n}");
        }
        out.push(Entry {
            uid: format!("{local}@{domain}"),
            url: doc.url.to_string(),
            event,
            sources: vec![Source {
                doc: doc.rel.to_string(),
                url: doc.url.to_string(),
                published: doc.published,
            }],
            tags: doc.tags.to_vec(),
            modified: doc.published,
            summary: doc.summary.map(str::to_string),
            sequence: 0,
        });
    }
    out
}

/// What makes an event's SEQUENCE grow when it changes: days, times, zone, place, status.
pub fn fingerprint(e: &Event) -> String {
    let t = |t: Option<Time>| {
        t.map(|t| format!("{:02}:{:02}", t.hour(), t.minute()))
            .unwrap_or_default()
    };
    format!(
        "{}|{}|{}|{}|{}|{}|{}|{}|{}|{}",
        e.start,
        e.end,
        t(e.start_time),
        t(e.end_time),
        e.tz,
        e.location.as_deref().unwrap_or(""),
        e.address.as_deref().unwrap_or(""),
        e.stand.as_deref().unwrap_or(""),
        if e.online { "online" } else { "" },
        e.status.as_str()
    )
}

impl Agenda {
    /// Sort entries by (start, start time, uid): the agenda's order.
    pub fn sort(&mut self) {
        self.entries.sort_by(|a, b| {
            (a.event.start, a.event.start_time, &a.uid).cmp(&(
                b.event.start,
                b.event.start_time,
                &b.uid,
            ))
        });
    }
}
