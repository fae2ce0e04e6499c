//! JSON Feed 1.1 (https://jsonfeed.org/version/1.1), written with serde_json.

use serde::Serialize;

use super::text::{clean, encode_url, one_line};
use super::{rfc3339, FeedItem, FeedMeta};

#[derive(Serialize)]
struct Feed {
    version: &'static str,
    title: String,
    home_page_url: String,
    feed_url: String,
    description: String,
    language: String,
    authors: Vec<Author>,
    items: Vec<Item>,
}

#[derive(Serialize)]
struct Author {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct Item {
    id: String,
    url: String,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<Attachment>,
}

#[derive(Serialize)]
struct Attachment {
    url: String,
    mime_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size_in_bytes: Option<u64>,
}

/// The feed as UTF-8 JSON bytes (pretty-printed, ending with a newline).
pub fn write(meta: &FeedMeta, items: &[FeedItem]) -> Vec<u8> {
    let feed = Feed {
        version: "https://jsonfeed.org/version/1.1",
        title: one_line(&meta.title),
        home_page_url: encode_url(&meta.home_url),
        feed_url: encode_url(&meta.feed_url),
        description: one_line(&meta.description),
        language: one_line(&meta.language),
        authors: vec![Author {
            name: one_line(&meta.author.name),
            url: meta.author.uri.as_deref().map(encode_url),
        }],
        items: items.iter().map(|i| item(i, meta)).collect(),
    };
    let mut out = serde_json::to_vec_pretty(&feed).unwrap_or_default();
    out.push(b'\n');
    out
}

fn item(i: &FeedItem, meta: &FeedMeta) -> Item {
    let summary = i
        .summary
        .as_deref()
        .map(clean)
        .filter(|s| !s.trim().is_empty());
    let content_html = i.content_html.as_deref().map(clean);
    // Every item needs content: the summary (or title) as text when there is no HTML.
    let content_text = if content_html.is_none() {
        Some(summary.clone().unwrap_or_else(|| one_line(&i.title)))
    } else {
        None
    };
    Item {
        id: one_line(&i.id),
        url: encode_url(&i.url),
        title: one_line(&i.title),
        summary,
        content_html,
        content_text,
        image: i.image.as_deref().map(encode_url),
        date_published: rfc3339(i.published, &meta.tz),
        date_modified: rfc3339(i.updated.max(i.published), &meta.tz),
        tags: i
            .categories
            .iter()
            .map(|c| one_line(c))
            .filter(|c| !c.is_empty())
            .collect(),
        attachments: i
            .attachments
            .iter()
            .map(|a| Attachment {
                url: encode_url(&a.url),
                mime_type: one_line(&a.mime_type),
                title: a.title.as_deref().map(one_line),
                size_in_bytes: (a.length > 0).then_some(a.length),
            })
            .collect(),
    }
}
