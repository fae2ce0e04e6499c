//! Typing the front matter: title, publication date, structured agenda fields, the editor's
//! `agenda:` override, and plain-text segments for the text-bearing fields.

use jiff::civil::{Date, Time};

use super::fmdate::{self, DateError};
use super::front::{KeyLines, Yaml};
use super::markdown::{self, LineMap};
use super::{
    AgendaOverride, Attachment, Diagnostic, FmDateTime, Front, InfoField, OverrideEvent, Published,
    Segment, SegmentOrigin,
};

/// Keys that name the publication date, most specific first; `date` comes last because
/// Hugo-style agenda pages may use it for the event.
const PUBLISHED_KEYS: &[&str] = &[
    "publishedDate",
    "published_date",
    "datePublished",
    "date_published",
    "publishDate",
    "publish_date",
    "publicationDate",
    "publication_date",
    "date_publication",
    "datePublication",
    "date_publie",
    "date_publiee",
    "pubDate",
    "published",
    "date",
    "created",
];

const CHAPEAU_KEYS: &[&str] = &[
    "chapeau-text",
    "chapeau",
    "chapo",
    "description",
    "summary",
    "excerpt",
    "resume",
    "résumé",
    "lead",
];

const EVENT_START_KEYS: &[&str] = &[
    "event_start_date",
    "eventStartDate",
    "event_start",
    "event_date",
    "eventDate",
    "start_date",
    "startDate",
    "date_debut",
    "dateDebut",
];
const EVENT_END_KEYS: &[&str] = &[
    "event_end_date",
    "eventEndDate",
    "event_end",
    "date_fin",
    "dateFin",
];
const UPDATED_KEYS: &[&str] = &[
    "last_modified_at",
    "lastmod",
    "lastMod",
    "updated",
    "updated_at",
    "modified",
    "dateModified",
    "date_modification",
];
/// Hugo-style end keys: with them, `date` is the event's start on an agenda page.
const HUGO_END_KEYS: &[&str] = &["date_end", "end_date", "enddate", "endDate", "dateEnd"];

/// Collections whose pages are agenda entries.
pub fn is_events_collection(collection: &str) -> bool {
    matches!(
        collection.to_lowercase().as_str(),
        "evenements" | "évènements" | "événements" | "evenement" | "events" | "event" | "agenda"
    )
}

/// What the front matter gives.
#[derive(Debug, Default)]
pub struct Typed {
    pub title: Option<String>,
    pub published: Option<Published>,
    /// The publication date came from the front matter (not the file name).
    pub published_in_front: bool,
    pub front: Front,
    pub segments: Vec<Segment>,
    pub diagnostics: Vec<Diagnostic>,
}

struct Ctx<'a> {
    fm: &'a Yaml,
    keys: &'a KeyLines<'a>,
    path: &'a str,
    /// File line of the opening `---`.
    top_line: u32,
    diags: Vec<Diagnostic>,
}

impl<'a> Ctx<'a> {
    fn line(&self, key: &str) -> u32 {
        self.keys.line(key).unwrap_or(self.top_line)
    }

    fn diag(&mut self, line: u32, message: String) {
        self.diags.push(Diagnostic {
            path: self.path.to_string(),
            line: Some(line),
            column: None,
            message,
        });
    }

    /// The first of `keys` present with a non-null value.
    fn first<'k>(&self, keys: &[&'k str]) -> Option<(&'k str, &'a Yaml)> {
        keys.iter().find_map(|k| match self.fm.get(k) {
            None | Some(Yaml::Null) => None,
            Some(v) => Some((*k, v)),
        })
    }

    /// A date-time field; a bad value is reported and kept with `datetime: None`.
    fn datetime(&mut self, key: &str, v: &Yaml) -> Option<FmDateTime> {
        let line = self.line(key);
        let Some(raw) = v.as_text() else {
            self.diag(
                line,
                format!("`{key}`: expected a date, found {}", v.kind()),
            );
            return None;
        };
        match fmdate::fm_datetime(&raw, line) {
            Ok(d) => Some(d),
            Err(e) => {
                self.diag(line, date_message(key, &raw, &e));
                Some(FmDateTime {
                    raw,
                    line,
                    datetime: None,
                    date_only: false,
                    offset_seconds: None,
                })
            }
        }
    }

    /// A one-line text field (venue, address, label): lines joined, spaces collapsed.
    fn line_text(&mut self, keys: &[&str]) -> Option<(String, u32, &'static str)> {
        let (key, v) = self.first(keys)?;
        let line = self.line(key);
        let Some(raw) = v.as_text() else {
            self.diag(line, format!("`{key}`: expected text, found {}", v.kind()));
            return None;
        };
        let text = one_line(&strip_inline_markup(&raw));
        if text.is_empty() {
            return None;
        }
        let key: &'static str = KNOWN_TEXT_KEYS
            .iter()
            .find(|k| **k == key)
            .copied()
            .unwrap_or("");
        Some((text, line, key))
    }

    /// A multi-line text field: its markdown converted, with lines mapped into the file.
    fn text_segments(&self, key: &str, value: &str) -> Vec<Segment> {
        let map = value_line_map(value, self.keys.block_lines(key), self.line(key));
        markdown::segments(value, &map, SegmentOrigin::Field(key.to_string()))
    }
}

const KNOWN_TEXT_KEYS: &[&str] = &[
    "lieu",
    "venue",
    "location",
    "adresse",
    "address",
    "dateLabel",
    "date_label",
    "datelabel",
];

fn date_message(key: &str, raw: &str, e: &DateError) -> String {
    match e {
        DateError::Format => format!(
            "`{key}`: cannot read {raw:?} as a date (expected YYYY-MM-DD [HH:MM[:SS]] [+HH:MM])"
        ),
        DateError::Impossible(why) => format!("`{key}`: impossible date {raw:?}: {why}"),
    }
}

/// A short field value without HTML tags, entities or strong markers ("Lille<br>Grand
/// Palais", "l&rsquo;Hôtel", "**Paris**").
pub fn strip_inline_markup(raw: &str) -> String {
    let mut s = if raw.bytes().any(|b| b == b'<' || b == b'&') {
        let mut skip = None;
        let mut out = String::new();
        for p in super::html::pieces(raw, &mut skip) {
            match p {
                super::html::Piece::Text(t, _) => out.push_str(&t),
                super::html::Piece::Break | super::html::Piece::Block => out.push('\n'),
            }
        }
        out
    } else {
        raw.to_string()
    };
    if s.contains("**") {
        s = s.replace("**", "");
    }
    s
}

/// Lines joined with ", " (no doubled commas), runs of spaces collapsed.
pub fn one_line(s: &str) -> String {
    // Already one trimmed line with single spaces (the usual title or place): as is.
    if !s.bytes().any(|b| b == b'\n' || b == b'\t') && !s.contains("  ") && s.trim() == s {
        return s.to_string();
    }
    join_lines(s)
}

/// [`one_line`] the long way: each line trimmed, joined, runs of spaces and tabs collapsed.
fn join_lines(s: &str) -> String {
    let mut out = String::new();
    for part in s.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() {
            if out.ends_with([',', ';', '-', '–']) {
                out.push(' ');
            } else {
                out.push_str(", ");
            }
        }
        let mut prev_space = false;
        for c in part.chars() {
            if c == ' ' || c == '\t' {
                if !prev_space {
                    out.push(' ');
                }
                prev_space = true;
            } else {
                out.push(c);
                prev_space = false;
            }
        }
    }
    out
}

/// Map offsets of a (possibly folded or block) YAML string value back to the file lines of
/// its block: each source line's text is looked up, in order, in the value.
fn value_line_map(value: &str, block: &[(&str, u32)], key_line: u32) -> LineMap {
    let mut points = vec![(0usize, key_line)];
    let mut cursor = 0usize;
    for (i, (text, line)) in block.iter().enumerate() {
        let content = if i == 0 {
            match text.find(':') {
                Some(p) => &text[p + 1..],
                None => continue,
            }
        } else {
            text
        };
        let content = content.trim().trim_matches(['\'', '"']).trim();
        if content.is_empty() || matches!(content, "|" | "|-" | "|+" | ">" | ">-" | ">+") {
            continue;
        }
        let mut probe_end = content.len().min(24);
        while !content.is_char_boundary(probe_end) {
            probe_end -= 1;
        }
        let probe = &content[..probe_end];
        // Look near the cursor only, so that a huge value stays linear.
        let mut window_end = (cursor + 4096 + 2 * content.len()).min(value.len());
        while !value.is_char_boundary(window_end) {
            window_end -= 1;
        }
        // Most often the line's text starts right at the cursor: no search then.
        let found = value.get(cursor..window_end).and_then(|rest| {
            if rest.starts_with(probe) {
                Some(0)
            } else {
                rest.find(probe)
            }
        });
        if let Some(p) = found {
            let at = cursor + p;
            if points.last().map(|q| q.0) == Some(at) {
                points.pop();
            }
            points.push((at, *line));
            cursor = at + probe.chars().next().map_or(1, char::len_utf8);
        }
    }
    LineMap::from_points(points)
}

fn strings(v: &Yaml) -> Vec<String> {
    match v {
        Yaml::Seq(items) => items
            .iter()
            .filter_map(Yaml::as_text)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        Yaml::Str(s) => s
            .split(',')
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect(),
        Yaml::Num(n) => vec![n.clone()],
        _ => Vec::new(),
    }
}

fn image_of(v: &Yaml) -> Option<String> {
    match v {
        Yaml::Str(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Yaml::Map(_) => ["image", "path", "src", "url", "file"]
            .iter()
            .find_map(|k| v.get(k).and_then(Yaml::as_text))
            .filter(|s| !s.trim().is_empty()),
        Yaml::Seq(items) => items.iter().find_map(image_of),
        _ => None,
    }
}

/// Read a time of day as editors write it: "14:00", "14h", "14h30", "9 h 30", "14:00:00".
pub fn parse_time(s: &str) -> Option<Time> {
    let t: String = s
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let (h, m) = if let Some((h, m)) = t.split_once(':') {
        let m = m.split(':').next().unwrap_or("0");
        (h, m)
    } else if let Some((h, m)) = t.split_once('h') {
        (h, m)
    } else {
        (t.as_str(), "")
    };
    let h: i8 = h.parse().ok()?;
    let m: i8 = if m.is_empty() { 0 } else { m.parse().ok()? };
    Time::new(h, m, 0, 0).ok()
}

fn parse_status(s: &str) -> Option<&'static str> {
    match s.trim().to_lowercase().as_str() {
        "confirmed" | "confirmé" | "confirme" | "scheduled" | "" => Some("confirmed"),
        "cancelled" | "canceled" | "annulé" | "annule" | "annulée" => Some("cancelled"),
        "postponed" | "reporté" | "reporte" | "reportée" => Some("postponed"),
        _ => None,
    }
}

fn override_event(
    v: &Yaml,
    line: u32,
    key_line: impl Fn(&str) -> u32,
) -> Result<OverrideEvent, (u32, String)> {
    let Yaml::Map(m) = v else {
        return Err((
            line,
            format!("`agenda`: each event must be a mapping, found {}", v.kind()),
        ));
    };
    let mut ev = OverrideEvent {
        line,
        ..OverrideEvent::default()
    };
    let date = |k: &str, v: &Yaml| -> Result<(Date, Option<Time>), (u32, String)> {
        let raw = v.as_text().unwrap_or_default();
        match fmdate::parse_datetime(&raw) {
            Ok((dt, date_only, _)) => {
                Ok((dt.date(), if date_only { None } else { Some(dt.time()) }))
            }
            Err(e) => Err((key_line(k), date_message(&format!("agenda: {k}"), &raw, &e))),
        }
    };
    let text = |k: &str, v: &Yaml| -> Result<Option<String>, (u32, String)> {
        match v {
            Yaml::Null => Ok(None),
            _ => match v.as_text() {
                Some(s) => Ok(Some(one_line(&s)).filter(|s| !s.is_empty())),
                None => Err((
                    key_line(k),
                    format!("`agenda: {k}`: expected text, found {}", v.kind()),
                )),
            },
        }
    };
    for (k, val) in m {
        match k.as_str() {
            "start" | "date" => {
                let (d, t) = date(k, val)?;
                ev.start = Some(d);
                if ev.start_time.is_none() {
                    ev.start_time = t;
                }
            }
            "end" => {
                let (d, t) = date(k, val)?;
                ev.end = Some(d);
                if ev.end_time.is_none() {
                    ev.end_time = t;
                }
            }
            "start_time" | "end_time" => {
                if matches!(val, Yaml::Null) {
                    continue;
                }
                let raw = val.as_text().unwrap_or_default();
                let t = parse_time(&raw).ok_or_else(|| {
                    (
                        key_line(k),
                        format!(
                            "`agenda: {k}`: cannot read {raw:?} as a time of day (expected HH:MM)"
                        ),
                    )
                })?;
                if k == "start_time" {
                    ev.start_time = Some(t);
                } else {
                    ev.end_time = Some(t);
                }
            }
            "location" | "lieu" => ev.location = text(k, val)?,
            "address" | "adresse" => ev.address = text(k, val)?,
            "stand" => ev.stand = text(k, val)?,
            "title" | "titre" => ev.title = text(k, val)?,
            "online" | "en_ligne" => match val {
                Yaml::Bool(b) => ev.online = Some(*b),
                Yaml::Null => {}
                _ => {
                    return Err((
                        key_line(k),
                        format!(
                            "`agenda: {k}`: expected true or false, found {}",
                            val.kind()
                        ),
                    ))
                }
            },
            "status" | "statut" => {
                let raw = val.as_text().unwrap_or_default();
                let s = parse_status(&raw).ok_or_else(|| {
                    (key_line(k), format!("`agenda: status`: {raw:?} is not one of confirmed, cancelled, postponed"))
                })?;
                ev.status = Some(s.to_string());
            }
            other => {
                return Err((key_line(other), format!("`agenda`: unknown key `{other}` (known: start, end, start_time, end_time, location, address, stand, online, title, status)")));
            }
        }
    }
    let Some(start) = ev.start else {
        return Err((line, "`agenda`: an event needs a `start` date".to_string()));
    };
    if let Some(end) = ev.end {
        if end < start {
            return Err((
                key_line("end"),
                format!("`agenda`: end {end} is before start {start}"),
            ));
        }
    }
    Ok(ev)
}

fn agenda_override(cx: &mut Ctx<'_>) -> AgendaOverride {
    let Some(v) = cx.fm.get("agenda") else {
        return AgendaOverride::Auto;
    };
    let line = cx.line("agenda");
    let items: Vec<Yaml> = match v {
        Yaml::Null | Yaml::Bool(true) => return AgendaOverride::Auto,
        Yaml::Bool(false) => return AgendaOverride::Disabled,
        Yaml::Seq(items) if items.is_empty() => return AgendaOverride::Disabled,
        Yaml::Seq(items) => items.clone(),
        Yaml::Map(_) => vec![v.clone()],
        other => {
            let msg = format!(
                "`agenda`: expected false or a list of events, found {}; ignored",
                other.kind()
            );
            cx.diag(line, msg);
            return AgendaOverride::Auto;
        }
    };
    let item_lines = cx.keys.items("agenda");
    let mut events = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let il = item_lines.get(i).cloned().unwrap_or_default();
        let item_line = if il.line == 0 { line } else { il.line };
        match override_event(item, item_line, |k| {
            let l = il.key(k);
            if l == 0 {
                item_line
            } else {
                l
            }
        }) {
            Ok(ev) => events.push(ev),
            Err((l, msg)) => {
                cx.diag(l, format!("{msg}; the `agenda` override is ignored"));
                return AgendaOverride::Auto;
            }
        }
    }
    AgendaOverride::Events(events)
}

/// Type a parsed front matter. `top_line` is the line of the opening `---`.
pub fn typed(
    fm: &Yaml,
    keys: &KeyLines<'_>,
    path: &str,
    top_line: u32,
    collection: &str,
    in_event_folder: bool,
) -> Typed {
    let mut cx = Ctx {
        fm,
        keys,
        path,
        top_line,
        diags: Vec::new(),
    };
    let mut out = Typed::default();

    // Title.
    match cx.first(&["title", "titre"]) {
        Some((k, v)) => match v.as_text().map(|t| one_line(&strip_inline_markup(&t))) {
            Some(t) if !t.is_empty() => out.title = Some(t),
            _ => {
                let l = cx.line(k);
                cx.diag(l, format!("`{k}`: expected a title, found {}", v.kind()));
            }
        },
        None => cx.diag(top_line, "no `title` in the front matter".to_string()),
    }

    // Publication date.
    for key in PUBLISHED_KEYS {
        let Some(v) = fm.get(key) else { continue };
        if matches!(v, Yaml::Null | Yaml::Bool(_)) {
            continue; // Jekyll's `published: false` is a flag, not a date.
        }
        if let Some(d) = cx.datetime(key, v) {
            if let (Some(dt), Some(ts)) = (d.datetime, fmdate::instant(&d)) {
                out.published = Some(Published {
                    date: dt.date(),
                    timestamp: ts,
                });
                out.published_in_front = true;
                break;
            }
        }
    }

    // Structured agenda fields.
    let mut front = Front::default();
    if let Some((k, v)) = cx.first(EVENT_START_KEYS) {
        front.event_start = cx.datetime(k, v);
    }
    if let Some((k, v)) = cx.first(EVENT_END_KEYS) {
        front.event_end = cx.datetime(k, v);
    }
    if let Some((k, v)) = cx.first(HUGO_END_KEYS) {
        if front.event_end.is_none() {
            front.event_end = cx.datetime(k, v);
        }
        if front.event_start.is_none() && is_events_collection(collection) {
            if let Some(d) = fm.get("date").filter(|d| !matches!(d, Yaml::Null)) {
                front.event_start = cx.datetime("date", d);
            }
        }
    }
    // Short generic names (`start`/`end`, `from`/`to`) only on agenda pages, and only when
    // they hold a date: elsewhere they may mean anything.
    if is_events_collection(collection) {
        for (keys, slot) in [
            (&["start", "from", "begin", "debut"][..], 0),
            (&["end", "to", "fin"][..], 1),
        ] {
            let target = if slot == 0 {
                &mut front.event_start
            } else {
                &mut front.event_end
            };
            if target.is_some() {
                continue;
            }
            for k in keys {
                let Some(raw) = fm.get(k).and_then(Yaml::as_text) else {
                    continue;
                };
                if let Ok(d) = fmdate::fm_datetime(&raw, cx.line(k)) {
                    *target = Some(d);
                    break;
                }
            }
        }
    }

    let mut field_segments = Vec::new();

    // Chapeau.
    if let Some((k, v)) = cx.first(CHAPEAU_KEYS) {
        match v.as_text() {
            Some(s) => {
                let segs = cx.text_segments(k, &s);
                let plain: Vec<&str> = segs.iter().map(|s| s.text.as_str()).collect();
                if !plain.is_empty() {
                    front.chapeau = Some(plain.join("\n\n"));
                }
                field_segments.extend(segs);
            }
            None => {
                let l = cx.line(k);
                cx.diag(l, format!("`{k}`: expected text, found {}", v.kind()));
            }
        }
    }

    // A structured place (`location: {name, address, city}`) gives a venue and an address.
    for key in ["lieu", "venue", "location", "place"] {
        if let Some(Yaml::Map(_)) = fm.get(key) {
            let v = fm.get(key).cloned().unwrap_or(Yaml::Null);
            let line = cx.line(key);
            let pick = |names: &[&str]| {
                names
                    .iter()
                    .find_map(|n| v.get(n).and_then(Yaml::as_text))
                    .map(|s| one_line(&s))
                    .filter(|s| !s.is_empty())
            };
            let name = pick(&["name", "nom", "title", "titre", "lieu", "venue"]);
            let parts: Vec<String> = [
                pick(&["address", "adresse", "streetAddress", "street", "rue"]),
                pick(&["postal_code", "postalCode", "code_postal", "zip"]),
                pick(&["city", "ville", "addressLocality", "commune"]),
            ]
            .into_iter()
            .flatten()
            .collect();
            let address = Some(parts.join(" ")).filter(|a| !a.is_empty());
            if let Some(n) = &name {
                field_segments.push(Segment {
                    origin: SegmentOrigin::Field(key.to_string()),
                    text: n.clone(),
                    lines: vec![(0, line)],
                });
                front.venue = Some((n.clone(), line));
            }
            if let Some(a) = &address {
                field_segments.push(Segment {
                    origin: SegmentOrigin::Field(format!("{key}: address")),
                    text: a.clone(),
                    lines: vec![(0, line)],
                });
                front.address = Some((a.clone(), line));
            }
            break;
        }
    }

    for (slot, keys) in [
        (0, &["dateLabel", "date_label", "datelabel"][..]),
        (1, &["lieu", "venue", "location", "place"][..]),
        (2, &["adresse", "address"][..]),
    ] {
        if (slot == 1 && front.venue.is_some()) || (slot == 2 && front.address.is_some()) {
            continue;
        }
        if keys.iter().any(|k| matches!(fm.get(k), Some(Yaml::Map(_)))) {
            continue;
        }
        if let Some((text, line, key)) = cx.line_text(keys) {
            field_segments.push(Segment {
                origin: SegmentOrigin::Field(key.to_string()),
                text: text.clone(),
                lines: vec![(0, line)],
            });
            let value = Some((text, line));
            match slot {
                0 => front.date_label = value,
                1 => front.venue = value,
                _ => front.address = value,
            }
        }
    }

    // Free-text schedule and format fields ("time: 9:00 - 18:00", "horaires: de 9h à 12h",
    // "format: en ligne").
    for key in [
        "horaires",
        "horaire",
        "heure",
        "heures",
        "time",
        "hours",
        "schedule",
        "quand",
        "when",
        "format",
        "modalites",
        "modalités",
        "modalite",
        "mode",
    ] {
        let Some(v) = fm.get(key) else { continue };
        let Some(text) = v.as_text().map(|t| one_line(&t)).filter(|t| !t.is_empty()) else {
            continue;
        };
        field_segments.push(Segment {
            origin: SegmentOrigin::Field(key.to_string()),
            text,
            lines: vec![(0, cx.line(key))],
        });
    }

    // A town given apart (`city: Lille`, `ville`, with `street`, `postcode`): an address.
    if front.address.is_none() {
        let get = |names: &[&'static str]| -> Option<(String, &'static str)> {
            names.iter().find_map(|n| {
                fm.get(n)
                    .and_then(Yaml::as_text)
                    .map(|s| one_line(&s))
                    .filter(|s| !s.is_empty())
                    .map(|s| (s, *n))
            })
        };
        let city = get(&["city", "ville", "commune", "town"]);
        if let Some((city, city_key)) = city {
            let parts: Vec<String> = [
                get(&["street", "rue", "streetAddress"]).map(|p| p.0),
                get(&[
                    "postcode",
                    "postal_code",
                    "postalCode",
                    "code_postal",
                    "zip",
                ])
                .map(|p| p.0),
                Some(city),
            ]
            .into_iter()
            .flatten()
            .collect();
            let line = cx.line(city_key);
            let address = parts.join(" ");
            field_segments.push(Segment {
                origin: SegmentOrigin::Field(city_key.to_string()),
                text: address.clone(),
                lines: vec![(0, line)],
            });
            front.address = Some((address, line));
        }
    }

    // champs_informations.
    if let Some(v) = fm.get("champs_informations") {
        let item_lines = keys.items("champs_informations");
        match v {
            Yaml::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    let il = item_lines.get(i).cloned().unwrap_or_default();
                    let item_line = if il.line == 0 {
                        cx.line("champs_informations")
                    } else {
                        il.line
                    };
                    let get = |k: &str| {
                        item.get(k)
                            .and_then(Yaml::as_text)
                            .map(|s| s.trim().to_string())
                    };
                    let label = get("intitule").unwrap_or_default();
                    let content = get("contenu").unwrap_or_default();
                    let link = get("lien").filter(|s| !s.is_empty());
                    if label.is_empty() && content.is_empty() && link.is_none() {
                        continue;
                    }
                    let content_line = if il.line == 0 {
                        item_line
                    } else {
                        il.key("contenu")
                    };
                    let label_line = if il.line == 0 {
                        item_line
                    } else {
                        il.key("intitule")
                    };
                    if !content.is_empty() {
                        // "Label: content", the content's Markdown removed, each of its lines
                        // mapped to the file.
                        let map =
                            value_line_map(&content, keys.value_block(content_line), content_line);
                        let parts = markdown::segments(&content, &map, SegmentOrigin::Body);
                        let mut text = String::new();
                        let mut lines: Vec<(usize, u32)> = Vec::new();
                        if !label.is_empty() {
                            text = format!("{}: ", label.trim_end_matches([':', ' ']));
                            lines.push((0, label_line));
                        }
                        for (i, part) in parts.iter().enumerate() {
                            if i > 0 {
                                text.push('\n');
                            }
                            let base = text.len();
                            lines.extend(part.lines.iter().map(|&(o, l)| (base + o, l)));
                            text.push_str(&part.text);
                        }
                        if parts.is_empty() || text.trim().is_empty() {
                            continue;
                        }
                        lines.dedup_by_key(|p| p.1);
                        field_segments.push(Segment {
                            origin: SegmentOrigin::Field(format!("champs_informations: {label}")),
                            text,
                            lines,
                        });
                    }
                    front.infos.push(InfoField {
                        label,
                        content,
                        link,
                        line: item_line,
                    });
                }
            }
            Yaml::Null => {}
            other => {
                let l = cx.line("champs_informations");
                cx.diag(
                    l,
                    format!(
                        "`champs_informations`: expected a list, found {}",
                        other.kind()
                    ),
                );
            }
        }
    }

    // Tags, categories, image, files.
    for k in ["tags", "tag", "keywords", "mots-cles", "mots_cles"] {
        if let Some(v) = fm.get(k) {
            front.tags.extend(strings(v));
        }
    }
    for k in [
        "categories",
        "category",
        "categorie",
        "catégorie",
        "categories_list",
    ] {
        if let Some(v) = fm.get(k) {
            front.categories.extend(strings(v));
        }
    }
    front.image = [
        "une-ou-diaporama",
        "image",
        "images",
        "cover",
        "thumbnail",
        "featured_image",
        "featuredimage",
        "featuredImage",
        "featured-image",
        "hero",
        "banner",
        "visuel",
    ]
    .iter()
    .find_map(|k| fm.get(k).and_then(image_of));
    if let Some(Yaml::Seq(items)) = fm.get("files") {
        for item in items {
            match item {
                Yaml::Map(_) => {
                    let url = ["file", "url", "path", "lien"]
                        .iter()
                        .find_map(|k| item.get(k).and_then(Yaml::as_text));
                    if let Some(url) = url.filter(|u| !u.trim().is_empty()) {
                        front.files.push(Attachment {
                            url: url.trim().to_string(),
                            name: ["nom", "name", "title", "titre"]
                                .iter()
                                .find_map(|k| item.get(k).and_then(Yaml::as_text))
                                .map(|s| one_line(&s))
                                .filter(|s| !s.is_empty()),
                        });
                    }
                }
                Yaml::Str(s) if !s.trim().is_empty() => front.files.push(Attachment {
                    url: s.trim().to_string(),
                    name: None,
                }),
                _ => {}
            }
        }
    }
    if let Some(url) = fm.get("communique_file").and_then(Yaml::as_text) {
        if !url.trim().is_empty() && !front.files.iter().any(|f| f.url == url.trim()) {
            front.files.push(Attachment {
                url: url.trim().to_string(),
                name: None,
            });
        }
    }

    front.agenda = agenda_override(&mut cx);
    front.draft = matches!(fm.get("published"), Some(Yaml::Bool(false)))
        || matches!(fm.get("draft"), Some(Yaml::Bool(true)));
    if let Some((k, v)) = cx.first(UPDATED_KEYS) {
        front.updated = cx.datetime(k, v);
    }

    super::meaning::read(
        fm,
        keys,
        top_line,
        &mut front,
        &mut field_segments,
        in_event_folder || is_events_collection(collection),
    );
    out.front = front;
    out.segments = field_segments;
    out.diagnostics = cx.diags;
    out
}

#[cfg(test)]
mod tests {
    use super::super::front::{parse, KeyLines};
    use super::*;

    proptest::proptest! {
        /// The short way of [`one_line`] gives what the long way gives.
        #[test]
        fn one_line_shortcut_agrees(s in "[a -\u{a0}\t\r\n\u{2028}\u{b}é]{0,12}") {
            proptest::prop_assert_eq!(one_line(&s), join_lines(&s));
        }
    }

    fn typed_of(yaml: &str, collection: &str) -> Typed {
        let fm = parse(yaml, 2).unwrap();
        let keys = KeyLines::new(yaml, 2);
        typed(&fm, &keys, "x.md", 1, collection, false)
    }

    fn messages(t: &Typed) -> Vec<String> {
        t.diagnostics.iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn publication_dates() {
        let cases: &[(&str, Option<&str>, Option<&str>)] = &[
            (
                "date: 2023-11-20 17:43:00 +01:00",
                Some("2023-11-20"),
                Some("2023-11-20T16:43:00Z"),
            ),
            (
                "date: 2023-11-20 00:30:00 +01:00",
                Some("2023-11-20"),
                Some("2023-11-19T23:30:00Z"),
            ),
            (
                "date: 2022-11-21T14:00:00Z",
                Some("2022-11-21"),
                Some("2022-11-21T14:00:00Z"),
            ),
            (
                "date: 2023-11-20",
                Some("2023-11-20"),
                Some("2023-11-19T23:00:00Z"),
            ),
            (
                "date: '2023-11-20'",
                Some("2023-11-20"),
                Some("2023-11-19T23:00:00Z"),
            ),
            (
                "publishedDate: 2023-05-02\ndate: 2023-06-01",
                Some("2023-05-02"),
                None,
            ),
            ("date_publie: 2023-05-02", Some("2023-05-02"), None),
            (
                "published: false\ndate: 2019-05-31 13:31:00 +02:00",
                Some("2019-05-31"),
                None,
            ),
            ("date: 2023-02-31", None, None),
            ("date: demain", None, None),
            ("foo: bar", None, None),
        ];
        for (yaml, date, ts) in cases {
            let t = typed_of(&format!("title: x\n{yaml}\n"), "communiques");
            assert_eq!(
                t.published.map(|p| p.date.to_string()).as_deref(),
                *date,
                "{yaml}"
            );
            if let Some(ts) = ts {
                assert_eq!(
                    t.published.map(|p| p.timestamp.to_string()).as_deref(),
                    Some(*ts),
                    "{yaml}"
                );
            }
        }
        let t = typed_of("title: x\ndate: 2023-02-31\n", "c");
        assert_eq!(
            messages(&t),
            vec![
                "x.md:3: `date`: impossible date \"2023-02-31\": 2023-02-31 is not a calendar date"
            ]
        );
    }

    #[test]
    fn agenda_page_fields() {
        let y = "title: Demo\ndate: 2021-06-16 09:47:00 +02:00\nchapeau-text: 'Le Demo Day le 17 juin 2021, à partir de 14h.\n  Venez !'\nevent_start_date: 2021-06-17 14:00:00 +02:00\nevent_end_date: 2021-06-17 17:00:00 +02:00\nlieu: En ligne\nadresse: |-\n  20 avenue de Ségur\n  75007,  Paris\ndateLabel: Jeudi 17 juin\nchamps_informations:\n- intitule: 'Horaires '\n  contenu: 14h - 17h\n- intitule: Modalités\n  contenu: Gratuit, sur **inscription**\n  lien: https://x.fr\n- intitule: Plus\n  lien: https://y.fr\nune-ou-diaporama:\n- image: \"/uploads/2021-06-17.jpg\"\n  alternative-textuelle: le 17 juin 2021 à 14h\nfiles:\n- file: /uploads/cp.pdf\n  nom: Télécharger\ntags:\n- EIG\ncategories: Webinaire\n";
        let t = typed_of(y, "evenements");
        assert!(t.diagnostics.is_empty(), "{:?}", t.diagnostics);
        let f = &t.front;
        let start = f.event_start.as_ref().unwrap();
        assert_eq!(start.datetime.unwrap().to_string(), "2021-06-17T14:00:00");
        assert_eq!((start.line, start.offset_seconds), (6, Some(7200)));
        assert_eq!(
            f.event_end.as_ref().unwrap().time().unwrap().to_string(),
            "17:00:00"
        );
        assert_eq!(f.venue, Some(("En ligne".to_string(), 8)));
        assert_eq!(
            f.address,
            Some(("20 avenue de Ségur, 75007, Paris".to_string(), 9))
        );
        assert_eq!(f.date_label, Some(("Jeudi 17 juin".to_string(), 12)));
        assert_eq!(f.infos.len(), 3);
        assert_eq!(f.infos[0].label, "Horaires");
        assert_eq!(f.infos[1].link.as_deref(), Some("https://x.fr"));
        assert_eq!(f.image.as_deref(), Some("/uploads/2021-06-17.jpg"));
        assert_eq!(
            f.files,
            vec![Attachment {
                url: "/uploads/cp.pdf".into(),
                name: Some("Télécharger".into())
            }]
        );
        assert_eq!(f.tags, vec!["EIG"]);
        assert_eq!(f.categories, vec!["Webinaire"]);
        assert_eq!(
            f.chapeau.as_deref(),
            Some("Le Demo Day le 17 juin 2021, à partir de 14h. Venez !")
        );
        let segs: Vec<(String, &str, u32)> = t
            .segments
            .iter()
            .map(|s| match &s.origin {
                SegmentOrigin::Field(k) => (k.clone(), s.text.as_str(), s.line_at(0)),
                SegmentOrigin::Body => (String::new(), s.text.as_str(), 0),
            })
            .collect();
        assert_eq!(
            segs,
            vec![
                (
                    "chapeau-text".to_string(),
                    "Le Demo Day le 17 juin 2021, à partir de 14h. Venez !",
                    4
                ),
                ("dateLabel".to_string(), "Jeudi 17 juin", 12),
                ("lieu".to_string(), "En ligne", 8),
                ("adresse".to_string(), "20 avenue de Ségur, 75007, Paris", 9),
                (
                    "champs_informations: Horaires".to_string(),
                    "Horaires: 14h - 17h",
                    14
                ),
                (
                    "champs_informations: Modalités".to_string(),
                    "Modalités: Gratuit, sur inscription",
                    16
                ),
                // an image's alternative text is read too: a poster's words
                (
                    "une-ou-diaporama: alternative-textuelle".to_string(),
                    "le 17 juin 2021 à 14h",
                    23
                ),
            ]
        );
        // The chapeau's second line maps to file line 5.
        let ch = &t.segments[0];
        assert_eq!(ch.line_at(ch.text.find("Venez").unwrap()), 5);
        // No segment quotes the image or its alternative text.
        assert!(t
            .segments
            .iter()
            .all(|s| !s.text.contains("2021-06-17") && !s.text.contains("à 14h\n")));
    }

    #[test]
    fn multi_line_fields_map_each_line() {
        let y = "title: x\nchapeau-text: |\n  À l’occasion du salon,\n  le 21 novembre.\n\n  Être au stand A40.\nlieu: >-\n  Parc des\n  expositions\n";
        let t = typed_of(y, "c");
        let ch = &t.segments[0];
        assert_eq!(ch.text, "À l’occasion du salon, le 21 novembre.");
        assert_eq!(ch.line_at(0), 4);
        assert_eq!(ch.line_at(ch.text.find("le 21").unwrap()), 5);
        assert_eq!(
            (t.segments[1].text.as_str(), t.segments[1].line_at(0)),
            ("Être au stand A40.", 7)
        );
        assert_eq!(t.front.venue, Some(("Parc des expositions".to_string(), 8)));
    }

    #[test]
    fn other_sites_shapes() {
        let t = typed_of("title: x\nfeaturedimage: /img/jeudis.png\n", "c");
        assert_eq!(t.front.image.as_deref(), Some("/img/jeudis.png"));
        let y = "title: Forum &amp; salon\npubDate: 20 novembre 2023\nstartDate: 2023-12-01T09:00:00+01:00\nendDate: 2023-12-02\nlocation:\n  name: Lille Grand Palais\n  address: 1 boulevard des Cités Unies\n  city: Lille\ndraft: true\nlastmod: 2023-11-22\n";
        let t = typed_of(y, "events");
        assert!(t.diagnostics.is_empty(), "{:?}", t.diagnostics);
        assert_eq!(t.title.as_deref(), Some("Forum & salon"));
        let empty = typed_of("title: \"<b> </b>\"\n", "c");
        assert_eq!(empty.title, None);
        assert_eq!(empty.diagnostics.len(), 1);
        let marked = typed_of("title: \"**Salon** des maires<br>2024 &amp; après\"\n", "c");
        assert_eq!(
            marked.title.as_deref(),
            Some("Salon des maires, 2024 & après")
        );
        assert_eq!(t.published.unwrap().date, Date::constant(2023, 11, 20));
        assert_eq!(
            t.front.event_start.as_ref().unwrap().date(),
            Some(Date::constant(2023, 12, 1))
        );
        assert_eq!(
            t.front.event_end.as_ref().unwrap().date(),
            Some(Date::constant(2023, 12, 2))
        );
        assert_eq!(t.front.venue, Some(("Lille Grand Palais".to_string(), 6)));
        assert_eq!(
            t.front.address,
            Some(("1 boulevard des Cités Unies Lille".to_string(), 6))
        );
        assert!(t.front.draft);
        assert_eq!(
            t.front.updated.as_ref().unwrap().date(),
            Some(Date::constant(2023, 11, 22))
        );
        let t = typed_of("title: x\npublished: false\n", "c");
        assert!(t.front.draft);
        let t = typed_of("title: x\npublished: true\n", "c");
        assert!(!t.front.draft);
    }

    #[test]
    fn generic_event_keys_on_agenda_pages_only() {
        let y = "title: x\ndate: 2024-01-10\nfrom: 2024-11-02\nto: 2024-11-04\nvenue: JRC\nstreet: 2 rue de la Paix\npostcode: 75002\ncity: Paris\ntime: 9:00 - 18:00\n";
        let t = typed_of(y, "events");
        assert!(t.diagnostics.is_empty(), "{:?}", t.diagnostics);
        assert_eq!(
            t.front.event_start.as_ref().unwrap().date(),
            Some(Date::constant(2024, 11, 2))
        );
        assert_eq!(
            t.front.event_end.as_ref().unwrap().date(),
            Some(Date::constant(2024, 11, 4))
        );
        assert_eq!(t.front.venue, Some(("JRC".to_string(), 6)));
        assert_eq!(
            t.front.address,
            Some(("2 rue de la Paix 75002 Paris".to_string(), 9))
        );
        assert!(t
            .segments
            .iter()
            .any(|s| s.text == "9:00 - 18:00" && s.line_at(0) == 10));
        let t = typed_of(
            "title: x\nfrom: Service presse\nstart: 2024-11-02\n",
            "events",
        );
        assert!(t.diagnostics.is_empty(), "{:?}", t.diagnostics);
        assert_eq!(
            t.front.event_start.as_ref().unwrap().date(),
            Some(Date::constant(2024, 11, 2))
        );
        let t = typed_of("title: x\nfrom: 2024-11-02\n", "communiques");
        assert!(t.front.event_start.is_none());
    }

    #[test]
    fn hugo_style_event_dates() {
        let t = typed_of(
            "title: x\ndate: 2024-03-12 10:00\ndate_end: 2024-03-13\n",
            "evenements",
        );
        assert_eq!(
            t.front
                .event_start
                .as_ref()
                .unwrap()
                .date()
                .unwrap()
                .to_string(),
            "2024-03-12"
        );
        assert_eq!(
            t.front
                .event_end
                .as_ref()
                .unwrap()
                .date()
                .unwrap()
                .to_string(),
            "2024-03-13"
        );
        // on an agenda page, `date` alone is the event's
        let t = typed_of("title: x\ndate: 2024-03-12 10:00\n", "evenements");
        assert_eq!(
            t.front
                .event_start
                .as_ref()
                .and_then(|d| d.datetime)
                .map(|d| d.to_string()),
            Some("2024-03-12T10:00:00".to_string())
        );
        assert!(t.front.event_start_from_date);
        let t = typed_of(
            "title: x\ndate: 2024-03-12\nend_date: 2024-03-13\n",
            "communiques",
        );
        // an end date makes the page an event's: its `date` is the first day
        assert!(t.front.event_page && t.front.event_start_from_date);
    }

    #[test]
    fn editor_override() {
        let t = typed_of("title: x\nagenda: false\n", "c");
        assert_eq!(t.front.agenda, AgendaOverride::Disabled);
        let t = typed_of("title: x\n", "c");
        assert_eq!(t.front.agenda, AgendaOverride::Auto);
        let y = "title: x\nagenda:\n- start: 2024-03-12\n  end: 2024-03-14\n  start_time: '9h30'\n  end_time: 18:00\n  location: Lille Grand Palais\n  stand: A40\n  online: false\n  status: reporté\n- start: 2024-04-02 14:00\n  online: true\n  title: Webinaire\n";
        let t = typed_of(y, "c");
        assert!(t.diagnostics.is_empty(), "{:?}", t.diagnostics);
        let AgendaOverride::Events(evs) = &t.front.agenda else {
            panic!("{:?}", t.front.agenda)
        };
        assert_eq!(evs.len(), 2);
        assert_eq!(evs[0].start, Some(Date::constant(2024, 3, 12)));
        assert_eq!(evs[0].end, Some(Date::constant(2024, 3, 14)));
        assert_eq!(evs[0].start_time, Some(Time::constant(9, 30, 0, 0)));
        assert_eq!(evs[0].end_time, Some(Time::constant(18, 0, 0, 0)));
        assert_eq!(evs[0].location.as_deref(), Some("Lille Grand Palais"));
        assert_eq!(evs[0].stand.as_deref(), Some("A40"));
        assert_eq!(evs[0].status.as_deref(), Some("postponed"));
        assert_eq!(evs[0].line, 4);
        assert_eq!(evs[1].start_time, Some(Time::constant(14, 0, 0, 0)));
        assert_eq!(evs[1].online, Some(true));
        assert_eq!(evs[1].line, 12);

        let bad: &[(&str, &str)] = &[
            (
                "agenda: oui\n",
                "x.md:3: `agenda`: expected false or a list of events, found a string; ignored",
            ),
            (
                "agenda:\n- start: 2024-02-30\n",
                "x.md:4: `agenda: start`: impossible date",
            ),
            (
                "agenda:\n- end: 2024-02-03\n",
                "x.md:4: `agenda`: an event needs a `start` date",
            ),
            (
                "agenda:\n- start: 2024-02-03\n  start_time: 25h70\n",
                "x.md:5: `agenda: start_time`: cannot read",
            ),
            (
                "agenda:\n- start: 2024-02-03\n  online: peut-être\n",
                "x.md:5: `agenda: online`",
            ),
            (
                "agenda:\n- start: 2024-02-03\n  lieux: Paris\n",
                "x.md:5: `agenda`: unknown key `lieux`",
            ),
            (
                "agenda:\n- start: 2024-02-03\n  end: 2024-02-01\n",
                "x.md:5: `agenda`: end 2024-02-01 is before start",
            ),
        ];
        for (yaml, want) in bad {
            let t = typed_of(&format!("title: x\n{yaml}"), "c");
            assert_eq!(t.front.agenda, AgendaOverride::Auto, "{yaml}");
            let m = messages(&t);
            assert!(m.len() == 1 && m[0].starts_with(want), "{yaml}: {m:?}");
        }
    }

    #[test]
    fn multi_line_information_fields() {
        let y = "title: x\nchamps_informations:\n- intitule: Date et horaires\n  contenu: |-\n    Mardi 21 novembre : **9h - 18h**\n\n    Mercredi 22 novembre : 9h - 17h\n- contenu: Gratuit\n";
        let t = typed_of(y, "c");
        let s = &t.segments[0];
        assert_eq!(
            s.text,
            "Date et horaires: Mardi 21 novembre : 9h - 18h\nMercredi 22 novembre : 9h - 17h"
        );
        assert_eq!(
            s.origin,
            SegmentOrigin::Field("champs_informations: Date et horaires".into())
        );
        assert_eq!(s.line_at(0), 4);
        assert_eq!(s.line_at(s.text.find("Mardi").unwrap()), 6);
        assert_eq!(s.line_at(s.text.find("Mercredi").unwrap()), 8);
        assert_eq!(
            (t.segments[1].text.as_str(), t.segments[1].line_at(0)),
            ("Gratuit", 9)
        );
    }

    #[test]
    fn short_fields_lose_their_markup() {
        let t = typed_of("title: x\nlieu: '**Lille** Grand Palais<br>Hall&nbsp;A'\nadresse: <p>1 boulevard des Cités Unies</p>\n", "c");
        assert_eq!(
            t.front.venue.map(|v| v.0).as_deref(),
            Some("Lille Grand Palais, Hall\u{a0}A")
        );
        assert_eq!(
            t.front.address.map(|v| v.0).as_deref(),
            Some("1 boulevard des Cités Unies")
        );
    }

    #[test]
    fn times() {
        for (s, want) in [
            ("14:00", Some((14, 0))),
            ("9h30", Some((9, 30))),
            ("9 h 30", Some((9, 30))),
            ("18H", Some((18, 0))),
            ("14:00:00", Some((14, 0))),
            ("25h", None),
            ("midi", None),
        ] {
            assert_eq!(
                parse_time(s),
                want.map(|(h, m)| Time::constant(h, m, 0, 0)),
                "{s}"
            );
        }
    }
}
