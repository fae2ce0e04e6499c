//! Reading the content folder: documents, front matter, Markdown to plain text with a line map.
//!
//! Everything the extractor and the publishers need from a file is in [`Document`];
//! nothing downstream reads files.
//!
//! The steps, one module each:
//!
//! - [`load`]: find `*.md` / `*.markdown` files (recursively, hidden folders and Hugo
//!   Hugo `_index.md` section pages read like any page, sorted by relative path), read at most
//!   [`MAX_FILE_BYTES`], then decode: byte-order marks dropped, UTF-16 read, NUL bytes
//!   refused, invalid UTF-8 read as Windows-1252 with a warning, CRLF and CR made LF,
//!   control characters made spaces, everything normalized to NFC. Files are read in
//!   parallel.
//! - [`split`]: the front matter between `---` lines (or Hugo's TOML between `+++`).
//! - [`front`]: the only place that parses YAML (`serde_yaml`) or TOML; it hands out
//!   library-independent [`front::Yaml`] values and the file line of each key. A key
//!   written twice keeps its last value, as Jekyll does, with a warning.
//! - [`fmdate`]: front matter dates as written (`2023-11-20 17:43:00 +01:00`,
//!   `2022-11-21T14:00:00Z`, `2023-11-20`, `20/11/2023`, RFC 2822, "20 novembre 2023").
//! - [`fields`]: the typed [`Front`]: title, publication date (`date`, `publishedDate`,
//!   `date_publie`... else the `YYYY-MM-DD-` file name prefix), the agenda schema of the
//!   real site (`event_start_date`, `event_end_date`, `lieu`, `adresse`, `dateLabel`,
//!   `champs_informations`), Hugo-style `date` + `date_end` on agenda pages, the editor's
//!   `agenda:` override, and plain-text segments for the text-bearing fields.
//! - [`markdown`] and [`html`]: the body as plain-text segments, one per paragraph,
//!   heading, list item, quote paragraph or table row, with a map back to file lines.
//!   Emphasis, link targets, images, raw HTML tags, comments, kramdown attribute lists and
//!   Liquid tags are dropped; web addresses are shortened to their host name, so that no
//!   file name or URL path is ever read as a date.
//!
//! Nothing here panics on bad input: a file that cannot be read gives one [`Diagnostic`]
//! (file, line and column when known) and the other files are still read; problems that
//! do not prevent reading are kept in [`Document::diagnostics`].

use std::path::PathBuf;

use jiff::civil::{Date, DateTime, Time};

pub mod fields;
pub mod fmdate;
pub mod front;
pub mod html;
pub mod keys;
pub mod load;
pub mod markdown;
pub mod meaning;
pub mod split;

pub use load::display_path;
pub use load::{
    discover, discover_with_errors, load_all, load_all_with_limit, load_bytes, load_file,
    load_file_with_limit, parse_document, read_file_with_limit, MAX_FILE_BYTES,
};

/// A problem with one file, reported to the editor: one line, with file and line when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{}:{}: {}", self.path, l, c, self.message),
            (Some(l), None) => write!(f, "{}:{}: {}", self.path, l, self.message),
            _ => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// When a document was published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    /// Local calendar day of publication (the extractor's reference date).
    pub date: Date,
    /// Exact instant when the front matter gives a time (with its offset, else Europe/Paris);
    /// midnight Europe/Paris of `date` otherwise.
    pub timestamp: jiff::Timestamp,
}

/// Where a plain-text segment comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SegmentOrigin {
    /// The Markdown body.
    Body,
    /// A front matter text field, by key ("chapeau-text", "champs_informations: Date et horaires"...).
    Field(String),
}

/// One paragraph-like block of plain text (Markdown removed), with a map back to file lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub origin: SegmentOrigin,
    /// NFC plain text: no Markdown markers, no HTML tags, no kramdown attribute lines,
    /// link text kept, image names dropped.
    pub text: String,
    /// (byte offset in `text`, 1-based file line), sorted by offset; the first entry has offset 0.
    pub lines: Vec<(usize, u32)>,
}

impl Segment {
    /// The 1-based file line of a byte offset in `text`.
    pub fn line_at(&self, offset: usize) -> u32 {
        let i = self.lines.partition_point(|&(o, _)| o <= offset);
        self.lines
            .get(i.saturating_sub(1))
            .map(|&(_, l)| l)
            .unwrap_or(1)
    }
}

/// A date-time value of the front matter as written, and what could be read from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FmDateTime {
    pub raw: String,
    pub line: u32,
    /// Local civil date-time as written (before any offset conversion).
    pub datetime: Option<DateTime>,
    /// True when only a date was written.
    pub date_only: bool,
    /// UTC offset in seconds when written ("+01:00", "Z").
    pub offset_seconds: Option<i32>,
}

impl FmDateTime {
    pub fn date(&self) -> Option<Date> {
        self.datetime.map(|d| d.date())
    }
    pub fn time(&self) -> Option<Time> {
        if self.date_only {
            None
        } else {
            self.datetime.map(|d| d.time())
        }
    }
}

/// A `champs_informations` entry of the real site's agenda pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InfoField {
    pub label: String,
    pub content: String,
    pub link: Option<String>,
    pub line: u32,
}

/// An event given by the editor in the front matter `agenda:` list (always wins).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OverrideEvent {
    pub title: Option<String>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub start_time: Option<Time>,
    pub end_time: Option<Time>,
    pub location: Option<String>,
    pub address: Option<String>,
    pub stand: Option<String>,
    pub online: Option<bool>,
    /// "confirmed", "cancelled", "postponed"
    pub status: Option<String>,
    pub line: u32,
}

/// The editor's `agenda:` key.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum AgendaOverride {
    /// No `agenda:` key: extract from the text and structured fields.
    #[default]
    Auto,
    /// `agenda: false`: this document announces nothing.
    Disabled,
    /// `agenda: [...]`: exactly these events.
    Events(Vec<OverrideEvent>),
}

/// A file attached to a release (front matter `files`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub url: String,
    pub name: Option<String>,
}

/// Structured front matter of a document, typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Front {
    /// `chapeau-text` (or `description`, `summary`), plain text.
    pub chapeau: Option<String>,
    pub tags: Vec<String>,
    pub categories: Vec<String>,
    /// First image (`une-ou-diaporama[].image`, `image`).
    pub image: Option<String>,
    pub files: Vec<Attachment>,
    /// `event_start_date` or Hugo-style event `date` when the document is an agenda page.
    pub event_start: Option<FmDateTime>,
    /// `event_end_date` or `date_end`.
    pub event_end: Option<FmDateTime>,
    /// `lieu`
    pub venue: Option<(String, u32)>,
    /// `adresse`
    pub address: Option<(String, u32)>,
    /// `dateLabel`
    pub date_label: Option<(String, u32)>,
    pub infos: Vec<InfoField>,
    pub agenda: AgendaOverride,
    /// `published: false` or `draft: true`: the site itself does not publish this page.
    pub draft: bool,
    /// Last modification (`last_modified_at`, `lastmod`, `updated`, `modified`), when given.
    pub updated: Option<FmDateTime>,
    /// The page is one event's page (its folder, layout or keys say so).
    pub event_page: bool,
    /// `event_start` is the page's `date`, not a dedicated key: the text may say otherwise.
    pub event_start_from_date: bool,
    /// A start time of day given alone (`heure: 14h`, `start: 19-00`), with its line.
    pub event_start_time: Option<(Time, u32)>,
    /// An end time of day given alone (`heure_fin`, `end: 21-00`), with its line.
    pub event_end_time: Option<(Time, u32)>,
    /// A yes/no key saying whether the event is held online (`online: true`).
    pub online: Option<bool>,
}

/// One release, news item or agenda page, read and typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Path on disk.
    pub path: PathBuf,
    /// Path relative to the content folder with '/' separators (as given when read alone).
    pub rel: String,
    /// First folder of `rel`, leading underscore dropped; "" when none.
    pub collection: String,
    /// File stem without a leading `YYYY-MM-DD-`.
    pub slug: String,
    pub title: String,
    /// None when neither front matter nor file name gives a date (left out of the agenda).
    pub published: Option<Published>,
    pub front: Front,
    /// The Markdown body as written (NFC, LF line ends), for the publishers.
    pub body: String,
    /// 1-based file line of the first body line.
    pub body_line: u32,
    /// Plain text of the text-bearing front matter fields, then of the body, paragraph by paragraph.
    pub segments: Vec<Segment>,
    /// Problems that did not stop the document from being read.
    pub diagnostics: Vec<Diagnostic>,
}
