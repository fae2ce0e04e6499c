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
        if agenda.end(i) >= today {
            if upcoming.len() < UPCOMING {
                upcoming.push(i);
            } else {
                more_upcoming += 1;
            }
        }
    }
    let past = ix
        .rev()
        .filter(|&i| agenda.end(i) < today)
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
    let pages = Pages::new(ctx, plan, agenda, deadlines, templates, today);
    (0..pages.count())
        .into_par_iter()
        .map(|p| pages.render(p, &pages.selection(p)))
        .collect()
}

/// The agenda pages of a build, each rendered on its own: page 0 is the index, page
/// `t + 1` the page of the plan's tag `t`.
pub struct Pages<'a> {
    ctx: &'a Context<'a>,
    plan: &'a Plan,
    agenda: &'a Store,
    templates: &'a Templates,
    today: Date,
    tag_links: Vec<TagLink>,
    /// The deadlines the index lists.
    soon: Vec<Deadline>,
}

impl<'a> Pages<'a> {
    pub fn new<'d>(
        ctx: &'a Context<'a>,
        plan: &'a Plan,
        agenda: &'a Store,
        deadlines: impl IntoIterator<Item = &'d Deadline>,
        templates: &'a Templates,
        today: Date,
    ) -> Pages<'a> {
        let tag_links: Vec<TagLink> = plan
            .tags
            .iter()
            .map(|t| TagLink {
                name: t.name.clone(),
                path: format!("tags/{}.html", t.slug),
            })
            .collect();
        let mut soon: Vec<Deadline> = deadlines
            .into_iter()
            .filter(|d| d.date >= today)
            .cloned()
            .collect();
        soon.sort_by(|a, b| (a.date, &a.url, &a.text).cmp(&(b.date, &b.url, &b.text)));
        soon.dedup();
        soon.truncate(DEADLINES);
        Pages {
            ctx,
            plan,
            agenda,
            templates,
            today,
            tag_links,
            soon,
        }
    }

    pub fn count(&self) -> usize {
        1 + self.plan.tags.len()
    }

    fn tag(&self, p: usize) -> Option<&'a super::Tag> {
        p.checked_sub(1).and_then(|t| self.plan.tags.get(t))
    }

    /// The entries page `p` lists.
    pub fn selection(&self, p: usize) -> Selection {
        match self.tag(p) {
            None => select(self.agenda, 0..self.agenda.len(), self.today),
            Some(tag) => select(self.agenda, tag.calendar.iter().copied(), self.today),
        }
    }

    /// What a page shows besides its entries, as text: the links to every tag's page and,
    /// on the index, the deadlines (a page whose selection and context did not change
    /// renders to the same bytes).
    pub fn context_key(&self, p: usize) -> String {
        let mut key = format!("{p} {}\n", self.today);
        for t in &self.tag_links {
            key.push_str(&format!("{}\t{}\n", t.name, t.path));
        }
        if p == 0 {
            for d in &self.soon {
                key.push_str(&format!("{}\t{}\t{}\t{}\n", d.date, d.url, d.title, d.text));
            }
        }
        key
    }

    /// Page `p`'s bytes, listing `selection` (see [`Pages::selection`]).
    pub fn render(&self, p: usize, selection: &Selection) -> Result<Vec<u8>, String> {
        let tag = self.tag(p);
        let agenda = self.agenda;
        let upcoming: Vec<_> = selection
            .upcoming
            .iter()
            .map(|&i| agenda.shown(i))
            .collect();
        let past: Vec<_> = selection.past.iter().map(|&i| agenda.shown(i)).collect();
        let page = page::page(
            &self.meta(tag),
            &Listing {
                upcoming: &upcoming,
                more_upcoming: selection.more_upcoming,
                past: &past,
                deadlines: if tag.is_none() { &self.soon } else { &[] },
                today: self.today,
            },
        );
        self.templates.render(&page)
    }

    /// What a page says of the site and its feeds.
    fn meta(&self, tag: Option<&super::Tag>) -> PageMeta {
        let s = self.ctx.settings;
        let feed = |title: String, media_type, rel: &str| Feed {
            title,
            media_type,
            url: s.output_url(rel),
        };
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
        feeds.extend([
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
        ]);
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
            tags: self.tag_links.clone(),
            organizer: s.publisher.name.clone(),
            organizer_url: s.publisher.url.clone(),
            timezone: s.timezone.clone(),
        }
    }
}
