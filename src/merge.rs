//! One event, one entry: group the announcements of one real-world event made by
//! several documents (a release, the agenda page it links to, a later news item,
//! another site's release) into a single agenda entry.
//!
//! Pure: entries in, entries out. The rules, in order:
//! - only announcements of the same days (start and end) from different documents
//!   are candidates;
//! - evidence against wins: an online event and an in-person one, two different
//!   named events, two different hours on a one-day event, two different places;
//! - evidence for: a link from one document to the other's page, the same named
//!   event, or the same place (the venue, not just the town).
//!
//! Two events on the same day in the same town are not the same event by that
//! fact alone.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;

use crate::agenda::{Entry, Origin};

/// What the merge needs to know of a document besides its entries (a build keeps one per
/// announcing document until the merge: compact, no spare capacity).
#[derive(Debug, Clone, Default)]
pub struct DocInfo {
    /// The document's title (an event titled like its document carries no name of its own).
    pub title: Box<str>,
    /// Every page the document links to, as normalized keys (see [`url_key`]), sorted.
    links: Box<[Box<str>]>,
}

impl DocInfo {
    pub fn new(title: &str, links: BTreeSet<String>) -> DocInfo {
        DocInfo {
            title: title.into(),
            links: links.into_iter().map(String::into_boxed_str).collect(),
        }
    }

    /// Every page the document links to, as keys (see [`url_key`]), sorted.
    pub fn links(&self) -> &[Box<str>] {
        &self.links
    }

    /// Whether the document links to the page of this key (see [`url_key`]).
    pub fn links_to(&self, key: &str) -> bool {
        self.links.binary_search_by(|l| (**l).cmp(key)).is_ok()
    }
}

/// Two sources of one merged entry that disagree on a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub uid: String,
    pub field: &'static str,
    pub doc_a: String,
    pub value_a: String,
    pub doc_b: String,
    pub value_b: String,
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} « {} » but {} says « {} » (same event {})",
            self.doc_a, self.field, self.value_a, self.doc_b, self.value_b, self.uid
        )
    }
}

static LINK_MD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\]\(\s*<?([^()\s<>]+)"#).unwrap_or_else(|e| panic!("link pattern: {e}"))
});
static LINK_HTML: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"href\s*=\s*["']([^"']+)["']"#).unwrap_or_else(|e| panic!("href pattern: {e}"))
});
static LIQUID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{[^}]*\}\}").unwrap_or_else(|e| panic!("liquid pattern: {e}"))
});

/// The pages a Markdown text links to, as normalized keys: site-relative links are
/// resolved against `base_url`; fragments, queries, schemes and `www.` are dropped.
pub fn links_in(markdown: &str, base_url: &str) -> BTreeSet<String> {
    LINK_MD
        .captures_iter(markdown)
        .chain(LINK_HTML.captures_iter(markdown))
        .filter_map(|c| c.get(1))
        .filter_map(|m| {
            let href = LIQUID.replace_all(m.as_str(), "");
            let href = href.trim();
            if href.starts_with("http://") || href.starts_with("https://") {
                Some(url_key(href))
            } else if href.starts_with('/') && !href.starts_with("//") {
                Some(url_key(&format!(
                    "{}{}",
                    base_url.trim_end_matches('/'),
                    href
                )))
            } else {
                None
            }
        })
        .collect()
}

/// A comparable form of a URL: no scheme, no `www.`, lower-case host, no query or
/// fragment, no trailing `/` or `index.html`.
pub fn url_key(url: &str) -> String {
    let s = url.split_once("://").map(|(_, rest)| rest).unwrap_or(url);
    let s = s.split(['#', '?']).next().unwrap_or("");
    let (host, path) = s.split_once('/').unwrap_or((s, ""));
    let host = host.trim_start_matches("www.").to_lowercase();
    let path = path.trim_end_matches("index.html").trim_end_matches('/');
    if path.is_empty() {
        host
    } else {
        format!("{host}/{path}")
    }
}

/// Words that name a kind of event or are too common to tell two events apart.
const GENERIC: &[&str] = &[
    "salon",
    "salons",
    "forum",
    "forums",
    "sommet",
    "journee",
    "journees",
    "conference",
    "conferences",
    "atelier",
    "ateliers",
    "webinaire",
    "webinar",
    "rencontre",
    "rencontres",
    "numerique",
    "numeriques",
    "public",
    "publics",
    "publique",
    "publiques",
    "edition",
    "festival",
    "semaine",
    "congres",
    "colloque",
    "seminaire",
    "session",
    "sessions",
    "evenement",
    "lancement",
    "presentation",
    "france",
    "national",
    "nationale",
    "nationaux",
    "international",
    "internationale",
    "grand",
    "grande",
    "premier",
    "premiere",
    "nouvelle",
    "nouveau",
    "etat",
    "dinum",
    "ministere",
    "direction",
    "paris",
];

const STOP: &[&str] = &[
    "les", "des", "une", "pour", "sur", "par", "dans", "avec", "aux", "son", "ses", "leur",
    "leurs", "qui", "que", "est", "sont", "vous", "nous", "notre", "nos", "votre", "vos", "the",
    "and", "for", "cette", "entre", "lors", "tout", "tous", "plus",
];

fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The distinctive words of a text: folded, 3+ letters, no stop words.
fn words(text: &str) -> BTreeSet<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3 && !STOP.contains(w))
        .map(str::to_string)
        .collect()
}

fn name_words(title: &str) -> BTreeSet<String> {
    words(title)
        .into_iter()
        .filter(|w| !GENERIC.contains(&w.as_str()) && !w.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Verdict {
    Same,
    Distinct,
    Unknown,
}

struct View<'a> {
    entry: &'a Entry,
    doc: &'a str,
    url_key: String,
    /// Distinctive words of the event's own name, when it has one.
    name: Option<BTreeSet<String>>,
    place: BTreeSet<String>,
}

fn view<'a>(entry: &'a Entry, docs: &'a BTreeMap<String, DocInfo>) -> View<'a> {
    let doc = entry.sources.first().map(|s| s.doc.as_str()).unwrap_or("");
    let doc_title = docs.get(doc).map(|d| &*d.title).unwrap_or("");
    let own_name = fold(entry.event.title.trim()) != fold(doc_title.trim())
        || entry.event.origin == Origin::FrontMatter;
    let name = Some(name_words(&entry.event.title)).filter(|w| own_name && !w.is_empty());
    let place = entry
        .event
        .location
        .as_deref()
        .map(words)
        .unwrap_or_default();
    View {
        entry,
        doc,
        url_key: url_key(&entry.url),
        name,
        place,
    }
}

fn links_to(docs: &BTreeMap<String, DocInfo>, from: &View, to: &View) -> bool {
    docs.get(from.doc).is_some_and(|d| d.links_to(&to.url_key))
}

/// Jaccard similarity of two word sets.
fn similarity(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let inter = a.intersection(b).count();
    let union = a.union(b).count();
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

fn minutes(t: jiff::civil::Time) -> i32 {
    i32::from(t.hour()) * 60 + i32::from(t.minute())
}

fn verdict(docs: &BTreeMap<String, DocInfo>, a: &View, b: &View) -> Verdict {
    let (ea, eb) = (&a.entry.event, &b.entry.event);
    if a.doc == b.doc || ea.start != eb.start || ea.end != eb.end {
        return Verdict::Distinct;
    }
    if ea.online != eb.online {
        return Verdict::Distinct;
    }
    let linked = links_to(docs, a, b) || links_to(docs, b, a);
    let names = match (&a.name, &b.name) {
        (Some(x), Some(y)) => {
            let shared = x.intersection(y).count();
            let smaller = x.len().min(y.len());
            Some(2 * shared >= smaller && shared > 0)
        }
        _ => None,
    };
    if names == Some(false) && !linked {
        return Verdict::Distinct;
    }
    let hours_differ = ea.start == ea.end
        && matches!((ea.start_time, eb.start_time), (Some(x), Some(y)) if (minutes(x) - minutes(y)).abs() > 60);
    let places_differ = !a.place.is_empty() && !b.place.is_empty() && a.place.is_disjoint(&b.place);
    if linked {
        return Verdict::Same;
    }
    if hours_differ || places_differ {
        return Verdict::Distinct;
    }
    if names == Some(true) {
        return Verdict::Same;
    }
    // The same venue (not just the same town): most of the words of both places.
    if a.place.len() >= 2 && b.place.len() >= 2 && similarity(&a.place, &b.place) >= 0.6 {
        return Verdict::Same;
    }
    // "à Lyon, du 4 au 6 mars" and "Centre de congrès, Lyon, 9h - 18h": one place holds
    // the other's, over several days (or at the same hour of one day)
    if compatible_places(&a.place, &b.place) && (ea.start != ea.end || same_hour(ea, eb)) {
        return Verdict::Same;
    }
    Verdict::Unknown
}

/// One place names the other with more detail: every word of the shorter is in the longer.
fn compatible_places(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    !small.is_empty() && small.is_subset(large)
}

fn same_hour(a: &crate::agenda::Event, b: &crate::agenda::Event) -> bool {
    matches!((a.start_time, b.start_time), (Some(x), Some(y)) if x == y)
}

/// How authoritative an announcement is: the editor's override, then an agenda
/// page's structured fields, then prose; a more confident extraction first.
fn authority(e: &Entry) -> (u8, i64) {
    let origin = match e.event.origin {
        Origin::Override => 0,
        Origin::FrontMatter => 1,
        Origin::Text => 2,
    };
    (origin, -((e.event.confidence * 1000.0) as i64))
}

fn earliest_key(e: &Entry) -> (jiff::Timestamp, String) {
    e.sources
        .iter()
        .map(|s| (s.published, s.doc.clone()))
        .min()
        .unwrap_or((e.modified, e.uid.clone()))
}

fn time_text(t: Option<jiff::civil::Time>) -> String {
    t.map(|t| format!("{:02}:{:02}", t.hour(), t.minute()))
        .unwrap_or_default()
}

/// Merge the entries of the same event. Each input entry has one source; the output
/// has one entry per real-world event, every source kept, sorted by
/// (start, start time, uid). The uid of a merged entry is that of its earliest
/// announcement, so a later announcement never changes it.
pub fn merge(entries: Vec<Entry>, docs: &BTreeMap<String, DocInfo>) -> (Vec<Entry>, Vec<Conflict>) {
    let (keyed, conflicts) = merge_keyed(entries, docs);
    let mut out: Vec<Entry> = keyed.into_iter().map(|m| m.entry).collect();
    out.sort_by(|x, y| {
        (x.event.start, x.event.start_time, &x.uid).cmp(&(
            y.event.start,
            y.event.start_time,
            &y.uid,
        ))
    });
    (out, conflicts)
}

/// One entry of [`merge_keyed`].
pub struct Keyed {
    /// The index, in the input, of one of the entries it was made of.
    pub key: usize,
    /// Whether it is the input entry `key` unchanged (no other announced the event).
    pub alone: bool,
    pub entry: Entry,
}

/// [`merge`] before its final sort, in the order of the keys (the order [`merge`] sorts
/// stably). Entries with different days never merge, so merging each group of same-day
/// entries on its own gives the same entries, and keys in the same order.
pub fn merge_keyed(
    entries: Vec<Entry>,
    docs: &BTreeMap<String, DocInfo>,
) -> (Vec<Keyed>, Vec<Conflict>) {
    let views: Vec<View> = entries.iter().map(|e| view(e, docs)).collect();
    // Candidates share the same days: bucket by them.
    let mut buckets: BTreeMap<(jiff::civil::Date, jiff::civil::Date), Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        buckets
            .entry((e.event.start, e.event.end))
            .or_default()
            .push(i);
    }
    let mut group_of: Vec<usize> = (0..entries.len()).collect();
    let mut groups: BTreeMap<usize, Vec<usize>> =
        (0..entries.len()).map(|i| (i, vec![i])).collect();
    for members in buckets.values() {
        for (k, &i) in members.iter().enumerate() {
            for &j in &members[k + 1..] {
                let (gi, gj) = (group_of[i], group_of[j]);
                if gi == gj || verdict(docs, &views[i], &views[j]) != Verdict::Same {
                    continue;
                }
                // Join two groups only when nothing in one contradicts the other.
                let (a, b) = (&groups[&gi], &groups[&gj]);
                let compatible = a.iter().all(|&x| {
                    b.iter()
                        .all(|&y| verdict(docs, &views[x], &views[y]) != Verdict::Distinct)
                });
                if !compatible {
                    continue;
                }
                let moved = groups.remove(&gj).unwrap_or_default();
                for &m in &moved {
                    group_of[m] = gi;
                }
                groups.entry(gi).or_default().extend(moved);
            }
        }
    }
    drop(views);

    let mut slots: Vec<Option<Entry>> = entries.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(groups.len());
    let mut conflicts = Vec::new();
    for (first, members) in groups {
        let mut group: Vec<Entry> = members.iter().filter_map(|&i| slots[i].take()).collect();
        if group.len() == 1 {
            out.extend(group.into_iter().map(|entry| Keyed {
                key: first,
                alone: true,
                entry,
            }));
            continue;
        }
        group.sort_by(|x, y| {
            authority(x)
                .cmp(&authority(y))
                .then_with(|| earliest_key(x).cmp(&earliest_key(y)))
        });
        let uid = group
            .iter()
            .min_by_key(|e| earliest_key(e))
            .map(|e| e.uid.clone())
            .unwrap_or_default();
        let mut merged = group[0].clone();
        merged.uid = uid;
        for other in &group[1..] {
            let (m, o) = (&mut merged.event, &other.event);
            let first_doc = group[0]
                .sources
                .first()
                .map(|s| s.doc.clone())
                .unwrap_or_default();
            let other_doc = other
                .sources
                .first()
                .map(|s| s.doc.clone())
                .unwrap_or_default();
            if let (Some(x), Some(y)) = (m.start_time, o.start_time) {
                if x != y {
                    conflicts.push(Conflict {
                        uid: merged.uid.clone(),
                        field: "start_time",
                        doc_a: first_doc.clone(),
                        value_a: time_text(Some(x)),
                        doc_b: other_doc.clone(),
                        value_b: time_text(Some(y)),
                    });
                }
            }
            if let (Some(x), Some(y)) = (&m.location, &o.location) {
                // a town is no conflict with a venue whose address is in that town
                let mine = format!("{x} {}", m.address.as_deref().unwrap_or(""));
                let theirs = format!("{y} {}", o.address.as_deref().unwrap_or(""));
                if words(&mine).is_disjoint(&words(&theirs)) {
                    conflicts.push(Conflict {
                        uid: merged.uid.clone(),
                        field: "location",
                        doc_a: first_doc,
                        value_a: x.clone(),
                        doc_b: other_doc,
                        value_b: y.clone(),
                    });
                }
            }
            if m.start_time.is_none() && o.start_time.is_some() {
                m.start_time = o.start_time;
                m.end_time = o.end_time;
            }
            if m.end_time.is_none() && m.start_time == o.start_time {
                m.end_time = o.end_time;
            }
            // the more precise place: the one that holds the other's words and more
            if let (Some(x), Some(y)) = (&m.location, &o.location) {
                let (wx, wy) = (words(x), words(y));
                if wy.len() > wx.len() && wx.is_subset(&wy) {
                    m.location = Some(y.clone());
                }
            }
            for (mine, theirs) in [
                (&mut m.location, &o.location),
                (&mut m.address, &o.address),
                (&mut m.stand, &o.stand),
                (&mut m.description, &o.description),
            ] {
                if mine.is_none() {
                    mine.clone_from(theirs);
                }
            }
            merged.sources.extend(other.sources.iter().cloned());
            merged.tags.extend(other.tags.iter().cloned());
            merged.modified = merged.modified.max(other.modified);
            if merged.summary.is_none() {
                merged.summary.clone_from(&other.summary);
            }
        }
        merged
            .sources
            .sort_by(|x, y| (x.published, &x.doc).cmp(&(y.published, &y.doc)));
        merged.sources.dedup_by(|x, y| x.doc == y.doc);
        merged.tags.sort();
        merged.tags.dedup();
        out.push(Keyed {
            key: first,
            alone: false,
            entry: merged,
        });
    }
    (out, conflicts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agenda::{Event, Source, Status};
    use jiff::civil::{date, time, Date};

    const BASE: &str = "https://www.example.gouv.fr";

    fn event(title: &str, start: Date, end: Date, location: Option<&str>) -> Event {
        Event {
            title: title.to_string(),
            start,
            end,
            start_time: None,
            end_time: None,
            tz: "Europe/Paris".into(),
            location: location.map(str::to_string),
            address: None,
            stand: None,
            online: false,
            status: Status::Confirmed,
            description: None,
            origin: Origin::Text,
            evidence: vec![],
            confidence: 0.8,
        }
    }

    fn entry(doc: &str, url_path: &str, published: &str, event: Event) -> Entry {
        let published: jiff::Timestamp = published.parse().unwrap();
        let url = format!("{BASE}{url_path}");
        Entry {
            uid: format!("{}-{}@example.gouv.fr", doc.replace('/', "-"), event.start),
            url: url.clone(),
            event,
            sources: vec![Source {
                doc: doc.into(),
                url,
                published,
            }],
            tags: vec![],
            modified: published,
            summary: None,
            sequence: 0,
        }
    }

    fn info(title: &str, body: &str) -> DocInfo {
        DocInfo::new(title, links_in(body, BASE))
    }

    #[test]
    fn links_resolve_relative_absolute_and_html() {
        let links = links_in(
            "voir [le programme](/agenda/salon/) et <a href=\"https://example.gouv.fr/actualites/x/#top\">ici</a> ou [ext](http://other.org/a?b=1)",
            BASE,
        );
        assert!(links.contains("example.gouv.fr/agenda/salon"));
        assert!(links.contains("example.gouv.fr/actualites/x"));
        assert!(links.contains("other.org/a"));
    }

    #[test]
    fn release_linking_to_its_agenda_page_is_one_entry() {
        let days = (date(2026, 11, 21), date(2026, 11, 23));
        let mut page_event = event(
            "Salon des maires",
            days.0,
            days.1,
            Some("Paris Expo Porte de Versailles"),
        );
        page_event.origin = Origin::FrontMatter;
        page_event.stand = Some("A40".into());
        page_event.start_time = Some(time(9, 0, 0, 0));
        let page = entry(
            "evenements/salon.md",
            "/agenda/salon/",
            "2026-10-27T10:00:00Z",
            page_event,
        );
        let release = entry(
            "communiques/cp.md",
            "/espace-presse/cp/",
            "2026-11-02T10:00:00Z",
            event("Communiqué", days.0, days.1, Some("Paris")),
        );
        let mut docs = BTreeMap::new();
        docs.insert("evenements/salon.md".into(), info("Salon des maires", ""));
        docs.insert(
            "communiques/cp.md".into(),
            info(
                "Communiqué",
                "[consulter le programme complet](/agenda/salon/)",
            ),
        );
        let page_uid = page.uid.clone();
        let (out, _) = merge(vec![release, page], &docs);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].sources.len(), 2);
        assert_eq!(out[0].uid, page_uid, "uid of the earliest announcement");
        assert_eq!(
            out[0].event.stand.as_deref(),
            Some("A40"),
            "agenda page fields win"
        );
        assert_eq!(out[0].url, format!("{BASE}/agenda/salon/"));
        assert_eq!(out[0].modified, "2026-11-02T10:00:00Z".parse().unwrap());
    }

    #[test]
    fn two_sites_announcing_one_named_salon_merge() {
        let d = date(2027, 3, 12);
        let a = entry(
            "communiques/a.md",
            "/espace-presse/a/",
            "2027-03-01T09:00:00Z",
            event(
                "Salon « Choisir le service public »",
                d,
                d,
                Some("Cité internationale universitaire de Paris"),
            ),
        );
        let b = entry(
            "site-b/communiques/b.md",
            "/b/",
            "2027-03-05T09:00:00Z",
            event("salon Choisir le service public", d, d, None),
        );
        let mut docs = BTreeMap::new();
        docs.insert("communiques/a.md".into(), info("Plus de 4 000 offres", ""));
        docs.insert(
            "site-b/communiques/b.md".into(),
            info("Femmes et numérique", ""),
        );
        let (out, _) = merge(vec![a, b], &docs);
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0].event.location.as_deref(),
            Some("Cité internationale universitaire de Paris")
        );
    }

    #[test]
    fn a_town_and_a_venue_in_that_town_over_the_same_days_merge() {
        let days = (date(2027, 3, 4), date(2027, 3, 6));
        let release = entry(
            "communiques/cp.md",
            "/espace-presse/cp/",
            "2027-02-01T09:00:00Z",
            event("Communiqué", days.0, days.1, Some("Lyon")),
        );
        let mut page_event = event(
            "Rencontres des territoires",
            days.0,
            days.1,
            Some("Centre de congrès, Lyon"),
        );
        page_event.origin = Origin::FrontMatter;
        page_event.start_time = Some(time(9, 0, 0, 0));
        page_event.end_time = Some(time(18, 0, 0, 0));
        let page = entry(
            "evenements/rencontres.md",
            "/agenda/rencontres/",
            "2027-01-20T09:00:00Z",
            page_event,
        );
        // a look-alike: the same days in another town
        let other = entry(
            "communiques/autre.md",
            "/espace-presse/autre/",
            "2027-02-03T09:00:00Z",
            event("Autre salon", days.0, days.1, Some("Lille")),
        );
        let mut docs = BTreeMap::new();
        docs.insert("communiques/cp.md".into(), info("Communiqué", ""));
        docs.insert(
            "evenements/rencontres.md".into(),
            info("Rencontres des territoires", ""),
        );
        docs.insert("communiques/autre.md".into(), info("Autre", ""));
        let (out, _) = merge(vec![release, page, other], &docs);
        assert_eq!(out.len(), 2, "{out:#?}");
        let lyon = out
            .iter()
            .find(|e| e.sources.len() == 2)
            .expect("the two Lyon announcements are one entry");
        assert_eq!(
            lyon.event.location.as_deref(),
            Some("Centre de congrès, Lyon")
        );
        assert_eq!(lyon.event.start_time, Some(time(9, 0, 0, 0)));
    }

    #[test]
    fn two_events_same_day_same_town_stay_apart() {
        let d = date(2027, 6, 1);
        let mut roadmap = event(
            "Lancement de la feuille de route",
            d,
            d,
            Some("Cité internationale universitaire de Paris"),
        );
        roadmap.origin = Origin::FrontMatter;
        roadmap.start_time = Some(time(14, 0, 0, 0));
        let mut forum = event("Forum de la transition numérique", d, d, Some("Paris"));
        forum.origin = Origin::FrontMatter;
        forum.start_time = Some(time(9, 0, 0, 0));
        let a = entry(
            "evenements/roadmap.md",
            "/agenda/roadmap/",
            "2027-05-12T09:00:00Z",
            roadmap,
        );
        let b = entry(
            "evenements/forum.md",
            "/agenda/forum/",
            "2027-03-27T09:00:00Z",
            forum,
        );
        let mut docs = BTreeMap::new();
        docs.insert(
            "evenements/roadmap.md".into(),
            info("Lancement de la feuille de route", ""),
        );
        docs.insert(
            "evenements/forum.md".into(),
            info("Forum de la transition numérique", ""),
        );
        let (out, conflicts) = merge(vec![a, b], &docs);
        assert_eq!(out.len(), 2);
        assert!(conflicts.is_empty());
    }

    #[test]
    fn webinar_and_workshop_on_the_same_day_stay_apart() {
        let d = date(2027, 2, 4);
        let mut webinar = event("Webinaire API Particulier", d, d, None);
        webinar.online = true;
        let workshop = event(
            "Atelier API Particulier",
            d,
            d,
            Some("Lieu de la transformation publique"),
        );
        let a = entry(
            "evenements/webinaire.md",
            "/agenda/webinaire/",
            "2027-01-10T09:00:00Z",
            webinar,
        );
        let b = entry(
            "evenements/atelier.md",
            "/agenda/atelier/",
            "2027-01-11T09:00:00Z",
            workshop,
        );
        let mut docs = BTreeMap::new();
        docs.insert(
            "evenements/webinaire.md".into(),
            info("x", "[atelier](/agenda/atelier/)"),
        );
        docs.insert("evenements/atelier.md".into(), info("y", ""));
        let (out, _) = merge(vec![a, b], &docs);
        assert_eq!(
            out.len(),
            2,
            "a link does not fuse an online and an in-person event"
        );
    }

    #[test]
    fn a_late_announcement_does_not_change_the_uid() {
        let days = (date(2027, 5, 22), date(2027, 5, 25));
        let mut page_event = event(
            "VivaTechnology 2027",
            days.0,
            days.1,
            Some("Paris Expo Porte de Versailles"),
        );
        page_event.origin = Origin::FrontMatter;
        let page = entry(
            "evenements/vivatech.md",
            "/agenda/vivatech/",
            "2027-04-01T09:00:00Z",
            page_event,
        );
        let release = entry(
            "communiques/cp.md",
            "/espace-presse/cp/",
            "2027-05-16T09:00:00Z",
            event(
                "VivaTechnology 2027",
                days.0,
                days.1,
                Some("Paris Expo Porte de Versailles, stand J59"),
            ),
        );
        let news = entry(
            "actualites/retour.md",
            "/actualites/retour/",
            "2027-05-21T09:00:00Z",
            event("VivaTechnology", days.0, days.1, None),
        );
        let mut docs = BTreeMap::new();
        docs.insert(
            "evenements/vivatech.md".into(),
            info("La DINUM à VivaTechnology", ""),
        );
        docs.insert(
            "communiques/cp.md".into(),
            info("Programme", "[agenda](/agenda/vivatech/)"),
        );
        docs.insert("actualites/retour.md".into(), info("Retour", ""));
        let (two, _) = merge(vec![page.clone(), release.clone()], &docs);
        let (three, _) = merge(vec![news, release, page], &docs);
        assert_eq!(two.len(), 1);
        assert_eq!(three.len(), 1);
        assert_eq!(three[0].sources.len(), 3);
        assert_eq!(two[0].uid, three[0].uid);
    }

    #[test]
    fn conflicting_hours_of_linked_sources_are_reported() {
        let d = date(2027, 1, 20);
        let mut page_event = event(
            "Meetup design",
            d,
            d,
            Some("Lieu de la transformation publique"),
        );
        page_event.origin = Origin::FrontMatter;
        page_event.start_time = Some(time(18, 30, 0, 0));
        let mut prose = event("x", d, d, Some("Lieu de la transformation publique"));
        prose.start_time = Some(time(14, 0, 0, 0));
        let page = entry(
            "evenements/meetup.md",
            "/agenda/meetup/",
            "2027-01-09T09:00:00Z",
            page_event,
        );
        let release = entry(
            "actualites/m.md",
            "/actualites/m/",
            "2027-01-10T09:00:00Z",
            prose,
        );
        let mut docs = BTreeMap::new();
        docs.insert("evenements/meetup.md".into(), info("Meetup design", ""));
        docs.insert(
            "actualites/m.md".into(),
            info("x", "[inscription](/agenda/meetup/)"),
        );
        let (out, conflicts) = merge(vec![page, release], &docs);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].event.start_time, Some(time(18, 30, 0, 0)));
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].field, "start_time");
        assert!(conflicts[0].to_string().contains("actualites/m.md"));
    }
}
