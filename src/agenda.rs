//! The agenda model shared by the extractor, the agenda assembly and the publishers.

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
