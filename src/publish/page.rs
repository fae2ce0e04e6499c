//! The agenda page (`index.html`, `tags/<tag>.html`) as data: what the templates of
//! [`super::html`] show. Pure: no I/O, no clock (`today` is an argument).
//!
//! Every text is passed as it is written; escaping is the templates' job (auto-escaping
//! is on for `.html`). The one piece of markup made here is the schema.org JSON-LD, whose
//! `<`, `>` and `&` are written as JSON escapes so that it cannot end its `<script>`.
//!
//! Choices:
//! - An ongoing event is listed under the current month, flagged "en cours".
//! - A cancelled or postponed event shows its status and no "add to my calendar"
//!   action: adding an event that will not take place helps nobody.
//! - Google Agenda gets the first day's hours and, for several days, a daily
//!   recurrence (as in the `.ics`); Outlook.com's link takes no recurrence, so it
//!   spans from the first start to the last end.

use jiff::civil::Date;
use serde::Serialize;
use serde_json::{json, Value};

use super::ics::{self, Span};
use super::{fr, text};
use crate::agenda::{Entry, Status};

/// A feed linked from the page and announced in its `<head>`.
#[derive(Debug, Clone, Serialize)]
pub struct Feed {
    pub title: String,
    /// `application/rss+xml`, `application/atom+xml`, `application/feed+json`.
    pub media_type: &'static str,
    /// Absolute URL.
    pub url: String,
}

/// A tag page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagLink {
    pub name: String,
    /// The page, relative to the output folder (`tags/salon.html`).
    pub path: String,
}

/// A closing date with the release that states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub date: Date,
    /// The sentence part that gives it ("candidatures jusqu'au 3 avril").
    pub text: String,
    /// Title and absolute URL of the release.
    pub title: String,
    pub url: String,
}

/// What the page says about itself and its site.
#[derive(Debug, Clone)]
pub struct PageMeta {
    /// The site's title.
    pub site_title: String,
    pub description: String,
    pub language: String,
    /// The site's home page (absolute URL).
    pub home_url: String,
    /// Absolute URL of this page.
    pub page_url: String,
    /// From this page to the output folder: "" for `index.html`, "../" for a tag page.
    pub root: String,
    /// The tag of a tag page.
    pub tag: Option<String>,
    /// Absolute https URL of the calendar to subscribe to.
    pub calendar_url: String,
    /// The page's feeds, announced in the `<head>`.
    pub feeds: Vec<Feed>,
    /// The tag pages the build writes (only these are linked).
    pub tags: Vec<TagLink>,
    /// The organizer of every event (schema.org), the site's publisher.
    pub organizer: String,
    pub organizer_url: Option<String>,
    /// The site's zone: an event elsewhere says which zone its hours are in.
    pub timezone: String,
}

/// What the page lists.
pub struct Listing<'a> {
    /// Upcoming entries shown, in agenda order.
    pub upcoming: &'a [Entry],
    /// Upcoming entries left out of the page (they are in the calendars and feeds).
    pub more_upcoming: usize,
    /// Past entries shown, the most recent first.
    pub past: &'a [Entry],
    /// Upcoming deadlines, soonest first.
    pub deadlines: &'a [Deadline],
    pub today: Date,
}

/// The page as its templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub lang: String,
    /// `<title>` and `<h1>`.
    pub title: String,
    pub site_title: String,
    pub description: String,
    pub home_url: String,
    pub page_url: String,
    pub root: String,
    pub tag: Option<String>,
    pub calendar_url: String,
    pub webcal_url: String,
    pub feeds: Vec<Feed>,
    pub tags: Vec<TagLink>,
    pub months: Vec<Month>,
    pub upcoming_count: usize,
    pub more_upcoming: usize,
    pub past: Vec<EventView>,
    pub deadlines: Vec<DeadlineView>,
    pub organizer: String,
    /// A JSON array of schema.org Events, safe inside `<script>`; empty when there is none.
    pub json_ld: String,
}

/// A month of upcoming events.
#[derive(Debug, Clone, Serialize)]
pub struct Month {
    /// "novembre 2023".
    pub title: String,
    /// "2023-11": for anchors.
    pub id: String,
    pub events: Vec<EventView>,
}

/// One event as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    /// Unique on the page, usable as an id.
    pub anchor: String,
    pub title: String,
    /// "le mardi 5 mars 2024, de 9 h 30 à 12 h".
    pub when: String,
    /// The first day, `YYYY-MM-DD`.
    pub date: String,
    /// "heure de Nouméa (UTC+11)" when the event is not in the site's zone and has hours.
    pub zone: Option<String>,
    pub location: Option<String>,
    pub address: Option<String>,
    pub stand: Option<String>,
    pub online: bool,
    /// "annulé", "reporté".
    pub status: Option<&'static str>,
    pub ongoing: bool,
    pub summary: Option<String>,
    /// The announcing release (absolute URL).
    pub url: String,
    /// The event's own calendar, relative to the output folder.
    pub ics: String,
    pub google: Option<String>,
    pub outlook: Option<String>,
    pub tags: Vec<TagLink>,
}

/// A deadline as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DeadlineView {
    /// "le vendredi 3 avril 2026".
    pub when: String,
    pub date: String,
    pub text: String,
    pub title: String,
    pub url: String,
}

/// The page of these entries.
pub fn page(meta: &PageMeta, listing: &Listing<'_>) -> Page {
    let mut months: Vec<Month> = Vec::new();
    let mut ld = Vec::with_capacity(listing.upcoming.len());
    for e in listing.upcoming {
        let view = event_view(meta, e, listing.today);
        let shown = e.event.start.max(listing.today);
        let id = format!("{:04}-{:02}", shown.year(), shown.month());
        match months.last_mut() {
            Some(m) if m.id == id => m.events.push(view),
            _ => months.push(Month {
                title: fr::month_year(shown),
                id,
                events: vec![view],
            }),
        }
        ld.push(json_ld(meta, e));
    }
    let title = match &meta.tag {
        Some(t) => format!("{} : {}", meta.site_title, text::one_line(t)),
        None => meta.site_title.clone(),
    };
    Page {
        lang: meta.language.clone(),
        title,
        site_title: meta.site_title.clone(),
        description: meta.description.clone(),
        home_url: meta.home_url.clone(),
        page_url: meta.page_url.clone(),
        root: meta.root.clone(),
        tag: meta.tag.as_deref().map(text::one_line),
        webcal_url: webcal(&meta.calendar_url),
        calendar_url: meta.calendar_url.clone(),
        feeds: meta.feeds.clone(),
        tags: meta.tags.clone(),
        months,
        upcoming_count: listing.upcoming.len(),
        more_upcoming: listing.more_upcoming,
        past: listing
            .past
            .iter()
            .map(|e| event_view(meta, e, listing.today))
            .collect(),
        deadlines: listing
            .deadlines
            .iter()
            .map(|d| DeadlineView {
                when: fr::long_days(d.date, d.date),
                date: d.date.to_string(),
                text: text::one_line(&d.text),
                title: text::one_line(&d.title),
                url: text::encode_url(&d.url),
            })
            .collect(),
        organizer: meta.organizer.clone(),
        json_ld: if ld.is_empty() {
            String::new()
        } else {
            script_json(&Value::Array(ld))
        },
    }
}

/// `webcal://host/path` for an http(s) URL (the same address, opened as a subscription).
pub fn webcal(url: &str) -> String {
    match url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        Some(rest) => format!("webcal://{rest}"),
        None => url.to_string(),
    }
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(text::one_line).filter(|s| !s.is_empty())
}

fn event_view(meta: &PageMeta, e: &Entry, today: Date) -> EventView {
    let ev = &e.event;
    let title = text::one_line(&ev.title);
    let span = ics::span(e, &meta.timezone);
    let zone = match &span {
        Some(Span::Timed { tzid, start, .. }) if *tzid != meta.timezone => Some(format!(
            "{} ({})",
            fr::zone_name(tzid),
            utc_offset(start.offset())
        )),
        _ => None,
    };
    let bookable = ev.status == Status::Confirmed;
    // The stand once, when the place already names it ("Pavillon B, stand B12").
    let stand = non_empty(ev.stand.as_deref()).filter(|s| {
        !ev.location
            .as_deref()
            .is_some_and(|l| l.to_lowercase().contains(&s.to_lowercase()))
    });
    let place = if stand.is_none() && ev.stand.is_some() {
        let mut without = ev.clone();
        without.stand = None;
        fr::place(&without)
    } else {
        fr::place(ev)
    };
    let details = details(e);
    let tags = e
        .tags
        .iter()
        .filter_map(|t| {
            let slug = text::slugify(&text::one_line(t), "tag");
            let path = format!("tags/{slug}.html");
            meta.tags.iter().find(|l| l.path == path).cloned()
        })
        .fold(Vec::new(), |mut v: Vec<TagLink>, t| {
            if !v.contains(&t) {
                v.push(t);
            }
            v
        });
    EventView {
        anchor: ics::event_file(&e.uid)
            .trim_start_matches("events/")
            .trim_end_matches(".ics")
            .to_string(),
        when: fr::long_when(ev),
        date: ev.start.to_string(),
        zone,
        location: non_empty(ev.location.as_deref()),
        address: non_empty(ev.address.as_deref()).filter(|a| {
            !ev.location
                .as_deref()
                .is_some_and(|l| l.contains(a.as_str()))
        }),
        stand,
        online: ev.online,
        status: fr::status_word(ev.status),
        ongoing: ev.start < today && ev.end >= today,
        summary: non_empty(e.summary.as_deref()),
        url: text::encode_url(&e.url),
        ics: ics::event_file(&e.uid),
        google: span
            .as_ref()
            .filter(|_| bookable)
            .map(|s| google_link(&title, &details, &place, s)),
        outlook: span
            .as_ref()
            .filter(|_| bookable)
            .map(|s| outlook_link(&title, &details, &place, s)),
        title,
        tags,
    }
}

/// The text of a prefilled calendar event: the release's address (the summary would make
/// each link, and so the page, several times longer).
fn details(e: &Entry) -> String {
    format!("Annonce : {}", e.url)
}

/// "UTC+11", "UTC-3", "UTC+5:30".
fn utc_offset(o: jiff::tz::Offset) -> String {
    let secs = o.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let (h, m) = (secs.abs() / 3600, secs.abs() % 3600 / 60);
    if m == 0 {
        format!("UTC{sign}{h}")
    } else {
        format!("UTC{sign}{h}:{m:02}")
    }
}

/// Percent-encode a query value: everything but RFC 3986's unreserved characters.
fn q(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in text::clean(s).bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
    out
}

fn compact_date(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// A Google Agenda link that opens the event, prefilled, for the reader to save.
pub fn google_link(title: &str, details: &str, place: &str, span: &Span) -> String {
    let (dates, extra) = match span {
        Span::AllDay { start, end } => (
            format!("{}/{}", compact_date(*start), compact_date(*end)),
            String::new(),
        ),
        Span::Timed {
            tzid,
            start,
            end,
            days,
            ..
        } => {
            let local = |z: &jiff::Zoned| {
                format!(
                    "{}T{:02}{:02}{:02}",
                    compact_date(z.date()),
                    z.hour(),
                    z.minute(),
                    z.second()
                )
            };
            let mut extra = format!("&ctz={}", q(tzid));
            if *days > 1 {
                extra.push_str(&format!(
                    "&recur={}",
                    q(&format!("RRULE:FREQ=DAILY;COUNT={days}"))
                ));
            }
            (format!("{}/{}", local(start), local(end)), extra)
        }
    };
    let mut url = format!(
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}&dates={}",
        q(title),
        q(&dates)
    );
    url.push_str(&extra);
    url.push_str(&format!("&details={}", q(details)));
    if !place.is_empty() {
        url.push_str(&format!("&location={}", q(place)));
    }
    url
}

/// An Outlook.com link that opens the event, prefilled, for the reader to save.
pub fn outlook_link(title: &str, details: &str, place: &str, span: &Span) -> String {
    let (start, end, all_day) = match span {
        Span::AllDay { start, end } => (start.to_string(), end.to_string(), "true"),
        Span::Timed {
            start, last_end, ..
        } => (rfc3339(start), rfc3339(last_end), "false"),
    };
    let mut url = format!(
        "https://outlook.live.com/calendar/0/action/compose?rru=addevent&allday={all_day}\
         &startdt={}&enddt={}&subject={}&body={}",
        q(&start),
        q(&end),
        q(title),
        q(details)
    );
    if !place.is_empty() {
        url.push_str(&format!("&location={}", q(place)));
    }
    url
}

/// "2024-03-05T09:30:00+01:00".
fn rfc3339(z: &jiff::Zoned) -> String {
    z.timestamp().display_with_offset(z.offset()).to_string()
}

/// JSON text that is also safe inside an HTML `<script>` element.
fn script_json(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_else(|_| "[]".to_string());
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A French address's postal code and town ("75015 Paris"), from its end.
fn postal_parts(address: &str) -> (String, Option<(String, String)>) {
    let words: Vec<&str> = address.split_whitespace().collect();
    for i in (0..words.len()).rev() {
        let w = words[i].trim_end_matches(',');
        if w.len() == 5 && w.bytes().all(|b| b.is_ascii_digit()) && i + 1 < words.len() {
            let street = words[..i]
                .join(" ")
                .trim_end_matches(',')
                .trim()
                .to_string();
            let town = words[i + 1..].join(" ").trim_end_matches('.').to_string();
            return (street, Some((w.to_string(), town)));
        }
    }
    (address.to_string(), None)
}

/// One schema.org Event.
fn json_ld(meta: &PageMeta, e: &Entry) -> Value {
    let ev = &e.event;
    let mut o = serde_json::Map::new();
    o.insert("@context".into(), json!("https://schema.org"));
    o.insert("@type".into(), json!("Event"));
    o.insert("name".into(), json!(text::one_line(&ev.title)));
    match ics::span(e, &meta.timezone) {
        Some(Span::Timed {
            start, last_end, ..
        }) => {
            o.insert("startDate".into(), json!(rfc3339(&start)));
            o.insert("endDate".into(), json!(rfc3339(&last_end)));
        }
        _ => {
            o.insert("startDate".into(), json!(ev.start.to_string()));
            o.insert("endDate".into(), json!(ev.end.max(ev.start).to_string()));
        }
    }
    let status = match ev.status {
        Status::Confirmed => "EventScheduled",
        Status::Cancelled => "EventCancelled",
        Status::Postponed => "EventPostponed",
    };
    o.insert(
        "eventStatus".into(),
        json!(format!("https://schema.org/{status}")),
    );
    let location = non_empty(ev.location.as_deref());
    let address = non_empty(ev.address.as_deref());
    let place = (location.is_some() || address.is_some()).then(|| {
        let mut postal = serde_json::Map::new();
        postal.insert("@type".into(), json!("PostalAddress"));
        match &address {
            Some(a) => {
                let (street, code) = postal_parts(a);
                if !street.is_empty() {
                    postal.insert("streetAddress".into(), json!(street));
                }
                if let Some((code, town)) = code {
                    postal.insert("postalCode".into(), json!(code));
                    postal.insert("addressLocality".into(), json!(town));
                }
            }
            None => {
                postal.insert("addressLocality".into(), json!(location));
            }
        }
        json!({
            "@type": "Place",
            "name": location.clone().or_else(|| address.clone()),
            "address": Value::Object(postal),
        })
    });
    let virtual_location = json!({"@type": "VirtualLocation", "url": text::encode_url(&e.url)});
    let (mode, location) = match (place, ev.online) {
        (Some(p), true) => (
            "MixedEventAttendanceMode",
            Some(json!([p, virtual_location])),
        ),
        (Some(p), false) => ("OfflineEventAttendanceMode", Some(p)),
        (None, true) => ("OnlineEventAttendanceMode", Some(virtual_location)),
        (None, false) => ("OfflineEventAttendanceMode", None),
    };
    o.insert(
        "eventAttendanceMode".into(),
        json!(format!("https://schema.org/{mode}")),
    );
    if let Some(l) = location {
        o.insert("location".into(), l);
    }
    if let Some(s) = non_empty(e.summary.as_deref()) {
        o.insert("description".into(), json!(s));
    }
    o.insert("url".into(), json!(text::encode_url(&e.url)));
    let mut organizer = serde_json::Map::new();
    organizer.insert("@type".into(), json!("Organization"));
    organizer.insert("name".into(), json!(meta.organizer));
    if let Some(u) = &meta.organizer_url {
        organizer.insert("url".into(), json!(u));
    }
    o.insert("organizer".into(), Value::Object(organizer));
    Value::Object(o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn webcal_keeps_host_and_path() {
        assert_eq!(
            webcal("https://agenda.example.org/agenda.ics"),
            "webcal://agenda.example.org/agenda.ics"
        );
    }

    #[test]
    fn script_json_cannot_close_its_script() {
        let s = script_json(&json!(["</script><b>&"]));
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, json!(["</script><b>&"]));
    }

    #[test]
    fn postal_code_and_town_are_found() {
        assert_eq!(
            postal_parts("1 place de la Porte de Versailles, 75015 Paris"),
            (
                "1 place de la Porte de Versailles".to_string(),
                Some(("75015".to_string(), "Paris".to_string()))
            )
        );
        assert_eq!(postal_parts("Hôtel de ville").1, None);
    }

    #[test]
    fn all_day_links_end_the_day_after() {
        let span = Span::AllDay {
            start: date(2026, 11, 24),
            end: date(2026, 11, 27),
        };
        let g = google_link("Salon", "x", "", &span);
        assert!(g.contains("&dates=20261124%2F20261127"), "{g}");
        let o = outlook_link("Salon", "x", "", &span);
        assert!(
            o.contains("allday=true&startdt=2026-11-24&enddt=2026-11-27"),
            "{o}"
        );
    }
}
