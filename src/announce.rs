//! From a read document and its extracted events to agenda entries: what one document
//! contributes to the agenda, and what the merge needs to know of it.
//! Stands on [`crate::agenda`] (the model) and [`crate::merge`] (document facts for merging).

use crate::agenda::{assemble, Announcer, Entry, Event};
use crate::config::Settings;
use crate::content::Document;
use crate::merge::{links_in, DocInfo};
use crate::slug::slugify;

/// `<collection>/<slug>`, or the slug alone: what identifies a document in ids and keys.
pub fn id_path(doc: &Document) -> String {
    if doc.collection.is_empty() {
        doc.slug.clone()
    } else {
        format!("{}/{}", doc.collection, doc.slug)
    }
}

/// What one document contributes to the agenda: its entries, and what the merge needs
/// to know of it (when it announces any). None when it has no publication date.
pub struct Announcement {
    pub entries: Vec<Entry>,
    pub info: Option<(String, DocInfo)>,
}

/// The entries a read document announces, from its extracted events: the one path from a
/// document to agenda entries, shared by `build` and `check`.
pub fn announce(doc: &Document, events: Vec<Event>, settings: &Settings) -> Option<Announcement> {
    let published = doc.published?;
    let id_path = id_path(doc);
    let url = settings.permalink(&doc.collection, &doc.slug, Some(published.date));
    let key = slugify(&id_path, "document");
    let entries = assemble(
        &Announcer {
            rel: &doc.rel,
            key: &key,
            url: &url,
            published: published.timestamp,
            tags: &doc.front.tags,
            summary: doc.front.chapeau.as_deref(),
        },
        events,
        &settings.domain,
    );
    let info = (!entries.is_empty()).then(|| {
        (
            doc.rel.clone(),
            DocInfo::new(&doc.title, links_in(&doc.body, &settings.base_url)),
        )
    });
    Some(Announcement { entries, info })
}
