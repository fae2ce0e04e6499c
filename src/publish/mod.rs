//! Publishers: pure functions from the agenda to bytes.
//!
//! The feed publishers (`rss`, `atom`, `json_feed`) all take the same neutral
//! [`FeedMeta`] + [`FeedItem`]s, built once by the caller for releases and for events;
//! each of them passes every text through [`text::clean`], so any input gives valid output.

pub mod atom;
pub mod events_json;
pub mod fr;
pub mod html;
pub mod ics;
pub mod ics_text;
pub mod json_feed;
pub mod markdown;
pub mod page;
pub mod rss;
pub mod text;
pub mod vtimezone;

use std::borrow::Cow;

use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::agenda::Entry;

/// The entries of a calendar or of `events.json`, in order: a slice, or entries kept in
/// another form and made on demand (a large build packs them, see `build`).
pub trait Entries: Sync {
    fn len(&self) -> usize;
    fn get(&self, i: usize) -> Cow<'_, Entry>;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Entries for &[&Entry] {
    fn len(&self) -> usize {
        <[&Entry]>::len(self)
    }
    fn get(&self, i: usize) -> Cow<'_, Entry> {
        Cow::Borrowed(self[i])
    }
}

/// A person or organisation credited as the feed's author.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Person {
    pub name: String,
    pub email: Option<String>,
    pub uri: Option<String>,
}

/// What a feed says about itself.
#[derive(Debug, Clone)]
pub struct FeedMeta {
    /// Stable feed id (a tag: URI).
    pub id: String,
    pub title: String,
    pub description: String,
    /// The HTML page the feed belongs to.
    pub home_url: String,
    /// The feed's own absolute URL.
    pub feed_url: String,
    pub language: String,
    pub author: Person,
    /// The feed's date: its newest item's, or a content date when it has none. Never the clock.
    pub updated: Timestamp,
    /// Zone in which dates are written (numeric offsets).
    pub tz: TimeZone,
}

/// A file attached to an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub url: String,
    pub mime_type: String,
    /// Size in bytes; 0 when unknown.
    pub length: u64,
    pub title: Option<String>,
}

/// One feed item, a release or an event.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedItem {
    /// Stable forever (a tag: URI).
    pub id: String,
    pub url: String,
    pub title: String,
    /// Plain-text summary (the chapeau, or the event's days and place).
    pub summary: Option<String>,
    pub content_html: Option<String>,
    /// When the item was published (never an event's date).
    pub published: Timestamp,
    /// Its last significant change (equal to `published` unless the content says otherwise).
    pub updated: Timestamp,
    /// Tags then categories, as written.
    pub categories: Vec<String>,
    /// Absolute URL of the item's image.
    pub image: Option<String>,
    pub attachments: Vec<Attachment>,
}

/// The newest date among items (their `updated`), for a feed's own date.
pub fn newest(items: &[FeedItem]) -> Option<Timestamp> {
    items.iter().map(|i| i.updated.max(i.published)).max()
}

/// RFC 3339 with the zone's numeric offset at that instant ("2025-11-10T09:00:00+01:00").
pub fn rfc3339(ts: Timestamp, tz: &TimeZone) -> String {
    let offset = tz.to_offset(ts);
    ts.display_with_offset(offset).to_string()
}

/// RFC 2822 with English names and a numeric zone ("Mon, 10 Nov 2025 09:00:00 +0100").
pub fn rfc2822(ts: Timestamp, tz: &TimeZone) -> String {
    let zoned = ts.to_zoned(tz.clone());
    jiff::fmt::rfc2822::to_string(&zoned).unwrap_or_else(|_| {
        // Only years outside 0..=9999 fail; such a timestamp cannot come from content.
        jiff::fmt::rfc2822::to_string(&Timestamp::UNIX_EPOCH.to_zoned(TimeZone::UTC))
            .unwrap_or_default()
    })
}
