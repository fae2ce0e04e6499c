//! Atom 1.0, written with `atom_syndication`: tag: ids, updated (content dates, the newest
//! entry's for the feed), author, summary, html content, categories, self/alternate links.
//! chrono appears only here, at the crate's edge.

use atom_syndication::{
    Category, Content, Entry, Feed, FixedDateTime, Link, Person as AtomPerson, Text, WriteConfig,
};
use chrono::{FixedOffset, Offset as _, TimeZone as _};
use jiff::tz::TimeZone;
use jiff::Timestamp;

use super::text::{clean, encode_url, one_line};
use super::{FeedItem, FeedMeta};

/// The feed as UTF-8 XML bytes.
pub fn write(meta: &FeedMeta, items: &[FeedItem]) -> Vec<u8> {
    let feed = Feed {
        title: Text::plain(one_line(&meta.title)),
        id: one_line(&meta.id),
        updated: datetime(meta.updated, &meta.tz),
        authors: vec![person(meta)],
        links: vec![
            link(&meta.feed_url, "self", Some("application/atom+xml")),
            link(&meta.home_url, "alternate", Some("text/html")),
        ],
        subtitle: Some(Text::plain(one_line(&meta.description))),
        lang: Some(one_line(&meta.language)),
        entries: items.iter().map(|i| entry(i, meta)).collect(),
        ..Feed::default()
    };
    let mut out = Vec::with_capacity(4096 + items.len() * 2048);
    let config = WriteConfig {
        write_document_declaration: true,
        indent_size: Some(1),
    };
    if feed.write_with_config(&mut out, config).is_err() {
        // Writing into a Vec cannot fail for I/O reasons; keep what was written.
        return out;
    }
    out.push(b'\n');
    out
}

fn person(meta: &FeedMeta) -> AtomPerson {
    AtomPerson {
        name: one_line(&meta.author.name),
        email: meta.author.email.as_deref().map(one_line),
        uri: meta.author.uri.as_deref().map(encode_url),
        ..AtomPerson::default()
    }
}

fn link(href: &str, rel: &str, mime: Option<&str>) -> Link {
    Link {
        href: encode_url(href),
        rel: rel.to_string(),
        mime_type: mime.map(str::to_string),
        ..Link::default()
    }
}

fn entry(i: &FeedItem, meta: &FeedMeta) -> Entry {
    let mut links = vec![link(&i.url, "alternate", Some("text/html"))];
    for a in &i.attachments {
        let mut l = link(&a.url, "enclosure", Some(&a.mime_type));
        if a.length > 0 {
            l.length = Some(a.length.to_string());
        }
        l.title = a.title.as_deref().map(one_line);
        links.push(l);
    }
    if let Some(img) = &i.image {
        links.push(link(img, "enclosure", Some(super::text::mime_type(img))));
    }
    Entry {
        title: Text::plain(one_line(&i.title)),
        id: one_line(&i.id),
        updated: datetime(i.updated.max(i.published), &meta.tz),
        published: Some(datetime(i.published, &meta.tz)),
        links,
        summary: i
            .summary
            .as_deref()
            .map(clean)
            .filter(|s| !s.trim().is_empty())
            .map(Text::plain),
        content: i.content_html.as_deref().map(|html| Content {
            value: Some(clean(html)),
            content_type: Some("html".to_string()),
            ..Content::default()
        }),
        categories: i
            .categories
            .iter()
            .map(|c| one_line(c))
            .filter(|c| !c.is_empty())
            .map(|term| Category {
                term,
                ..Category::default()
            })
            .collect(),
        ..Entry::default()
    }
}

/// A timestamp with the zone's offset at that instant, as chrono wants it.
fn datetime(ts: Timestamp, tz: &TimeZone) -> FixedDateTime {
    let utc = chrono::Utc.fix();
    let offset = FixedOffset::east_opt(tz.to_offset(ts).seconds()).unwrap_or(utc);
    offset
        .timestamp_opt(ts.as_second(), 0)
        .single()
        .unwrap_or_else(|| chrono::DateTime::UNIX_EPOCH.with_timezone(&utc))
}
