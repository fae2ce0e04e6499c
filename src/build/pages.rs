//! The agenda pages of a build: `index.html` and `tags/<tag>.html`, rendered before any
//! file is written (a template error stops the build with nothing written).
//!
//! Each page stays light whatever the size of the agenda: at most [`UPCOMING`] upcoming
//! events (the rest are in the calendars and feeds, and on the tags' pages), the
//! [`PAST`] most recent past events, the [`DEADLINES`] soonest deadlines (index only).

use std::path::Path;

use jiff::civil::Date;
use rayon::prelude::*;

use super::{Context, Plan, Store};
use crate::publish::html::{Templates, DEFAULTS};
use crate::publish::page::{self, Deadline, Feed, Listing, PageMeta, TagLink};

/// Upcoming events listed on a page.
pub const UPCOMING: usize = 100;
/// Past events in a page's "Événements passés".
pub const PAST: usize = 50;
/// Deadlines in the index's "Dates limites".
pub const DEADLINES: usize = 20;

/// The folder of templates that replace the built-in ones: `templates/` beside the
/// content folder (the site's root).
pub fn templates_dir(content: &Path) -> std::path::PathBuf {
    content
        .parent()
        .unwrap_or_else(|| Path::new(""))
        .join("templates")
}

/// The built-in templates, with those of `dir` in their place. Err names the file, and the
/// line of a syntax error.
pub fn load_templates(dir: &Path) -> Result<Templates, String> {
    let mut overrides = Vec::new();
    for (name, _) in DEFAULTS {
        let path = dir.join(name);
        match std::fs::read_to_string(&path) {
            Ok(source) => overrides.push((name.to_string(), path.display().to_string(), source)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("{}: cannot read: {e}", path.display())),
        }
    }
    Templates::new(overrides)
}

/// Which entries each page lists, by index in the agenda.
pub struct Selection {
    pub upcoming: Vec<usize>,
    pub more_upcoming: usize,
    /// The most recent first.
    pub past: Vec<usize>,
}

/// The entries of a page among `ix` (agenda order).
pub fn select(
    agenda: &Store,
    ix: impl DoubleEndedIterator<Item = usize> + Clone,
    today: Date,
) -> Selection {
    let mut upcoming = Vec::new();
    let mut more_upcoming = 0;
    for i in ix.clone() {
        if agenda.head(i).end >= today {
            if upcoming.len() < UPCOMING {
                upcoming.push(i);
            } else {
                more_upcoming += 1;
            }
        }
    }
    let past = ix
        .rev()
        .filter(|&i| agenda.head(i).end < today)
        .take(PAST)
        .collect();
    Selection {
        upcoming,
        more_upcoming,
        past,
    }
}

/// Every page's bytes: the index first, then one per tag of the plan, in its order.
pub fn render(
    ctx: &Context<'_>,
    plan: &Plan,
    agenda: &Store,
    deadlines: &[Deadline],
    templates: &Templates,
    today: Date,
) -> Result<Vec<Vec<u8>>, String> {
    let s = ctx.settings;
    let tag_links: Vec<TagLink> = plan
        .tags
        .iter()
        .map(|t| TagLink {
            name: t.name.clone(),
            path: format!("tags/{}.html", t.slug),
        })
        .collect();
    let feed = |title: String, media_type, rel: &str| Feed {
        title,
        media_type,
        url: s.output_url(rel),
    };
    let releases = || {
        vec![
            feed(
                "Communiqués (RSS)".into(),
                "application/rss+xml",
                "releases.rss",
            ),
            feed(
                "Communiqués (Atom)".into(),
                "application/atom+xml",
                "releases.atom",
            ),
            feed(
                "Communiqués (JSON Feed)".into(),
                "application/feed+json",
                "releases.json",
            ),
        ]
    };
    let meta = |tag: Option<&super::Tag>| {
        let mut feeds = match tag {
            None => vec![
                feed(
                    "Rendez-vous (RSS)".into(),
                    "application/rss+xml",
                    "agenda.rss",
                ),
                feed(
                    "Rendez-vous (Atom)".into(),
                    "application/atom+xml",
                    "agenda.atom",
                ),
            ],
            Some(t) => vec![
                feed(
                    format!("Rendez-vous « {} » (RSS)", t.name),
                    "application/rss+xml",
                    &format!("tags/{}.rss", t.slug),
                ),
                feed(
                    format!("Rendez-vous « {} » (Atom)", t.name),
                    "application/atom+xml",
                    &format!("tags/{}.atom", t.slug),
                ),
            ],
        };
        feeds.extend(releases());
        PageMeta {
            site_title: s.title.clone(),
            description: s.description.clone(),
            language: s.language.clone(),
            home_url: s
                .publisher
                .url
                .clone()
                .unwrap_or_else(|| format!("{}/", s.base_url)),
            page_url: match tag {
                None => format!("{}/", s.base_url),
                Some(t) => s.output_url(&format!("tags/{}.html", t.slug)),
            },
            root: if tag.is_some() { "../" } else { "" }.to_string(),
            tag: tag.map(|t| t.name.clone()),
            calendar_url: match tag {
                None => s.output_url("agenda.ics"),
                Some(t) => s.output_url(&format!("tags/{}.ics", t.slug)),
            },
            feeds,
            tags: tag_links.clone(),
            organizer: s.publisher.name.clone(),
            organizer_url: s.publisher.url.clone(),
            timezone: s.timezone.clone(),
        }
    };
    let mut soon: Vec<Deadline> = deadlines
        .iter()
        .filter(|d| d.date >= today)
        .cloned()
        .collect();
    soon.sort_by(|a, b| (a.date, &a.url, &a.text).cmp(&(b.date, &b.url, &b.text)));
    soon.dedup();
    soon.truncate(DEADLINES);

    // The index (None) then each tag.
    let pages: Vec<Option<usize>> = std::iter::once(None)
        .chain((0..plan.tags.len()).map(Some))
        .collect();
    pages
        .par_iter()
        .map(|&t| {
            let tag = t.map(|t| &plan.tags[t]);
            let selection = match tag {
                None => select(agenda, 0..agenda.len(), today),
                Some(tag) => select(agenda, tag.calendar.iter().copied(), today),
            };
            let upcoming: Vec<_> = selection
                .upcoming
                .iter()
                .map(|&i| agenda.shown(i))
                .collect();
            let past: Vec<_> = selection.past.iter().map(|&i| agenda.shown(i)).collect();
            let page = page::page(
                &meta(tag),
                &Listing {
                    upcoming: &upcoming,
                    more_upcoming: selection.more_upcoming,
                    past: &past,
                    deadlines: if tag.is_none() { &soon } else { &[] },
                    today,
                },
            );
            templates.render(&page)
        })
        .collect()
}
