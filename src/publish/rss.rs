//! RSS 2.0, written with the `rss` crate: `atom:link rel="self"`, language, lastBuildDate
//! (the newest item's date), items with a stable guid (isPermaLink="false"), RFC 2822 pubDate,
//! description, content:encoded, categories, one enclosure.

use std::collections::BTreeMap;

use rss::extension::{Extension, ExtensionMap};
use rss::{Category, Channel, Enclosure, Guid, Item};

use super::text::{clean, encode_url, one_line};
use super::{rfc2822, FeedItem, FeedMeta};

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

/// The feed as UTF-8 XML bytes.
pub fn write(meta: &FeedMeta, items: &[FeedItem]) -> Vec<u8> {
    let mut channel = Channel {
        title: one_line(&meta.title),
        link: encode_url(&meta.home_url),
        description: one_line(&meta.description),
        language: Some(one_line(&meta.language)),
        last_build_date: Some(rfc2822(meta.updated, &meta.tz)),
        managing_editor: meta
            .author
            .email
            .as_deref()
            .map(|e| format!("{} ({})", one_line(e), one_line(&meta.author.name))),
        ..Channel::default()
    };
    channel
        .namespaces
        .insert("atom".to_string(), ATOM_NS.to_string());
    channel.extensions = self_link(&meta.feed_url);
    channel.items = items.iter().map(|i| item(i, meta)).collect();

    let mut out = Vec::with_capacity(4096 + items.len() * 2048);
    match channel.pretty_write_to(&mut out, b' ', 1) {
        Ok(_) => {}
        // Writing into a Vec cannot fail for I/O reasons; keep what was written.
        Err(_) => return out,
    }
    out.push(b'\n');
    out
}

fn self_link(feed_url: &str) -> ExtensionMap {
    let mut attrs = BTreeMap::new();
    attrs.insert("href".to_string(), encode_url(feed_url));
    attrs.insert("rel".to_string(), "self".to_string());
    attrs.insert("type".to_string(), "application/rss+xml".to_string());
    let link = Extension {
        name: "atom:link".to_string(),
        value: None,
        attrs,
        children: BTreeMap::new(),
    };
    let mut by_name = BTreeMap::new();
    by_name.insert("link".to_string(), vec![link]);
    let mut map = ExtensionMap::new();
    map.insert("atom".to_string(), by_name);
    map
}

fn item(i: &FeedItem, meta: &FeedMeta) -> Item {
    let title = one_line(&i.title);
    let description = match i.summary.as_deref().map(clean) {
        Some(s) if !s.trim().is_empty() => s,
        _ => title.clone(),
    };
    let enclosure = i
        .attachments
        .first()
        .map(|a| Enclosure {
            url: encode_url(&a.url),
            length: a.length.to_string(),
            mime_type: one_line(&a.mime_type),
        })
        .or_else(|| {
            i.image.as_ref().map(|url| Enclosure {
                url: encode_url(url),
                length: "0".to_string(),
                mime_type: super::text::mime_type(url).to_string(),
            })
        });
    Item {
        title: Some(title),
        link: Some(encode_url(&i.url)),
        description: Some(description),
        guid: Some(Guid {
            value: one_line(&i.id),
            permalink: false,
        }),
        pub_date: Some(rfc2822(i.published, &meta.tz)),
        content: i.content_html.as_deref().map(clean),
        categories: i
            .categories
            .iter()
            .map(|c| one_line(c))
            .filter(|c| !c.is_empty())
            .map(|name| Category { name, domain: None })
            .collect(),
        enclosure,
        ..Item::default()
    }
}
