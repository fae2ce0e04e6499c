//! The front matter read by meaning (see [`keys`]): the event's dates, times and place under
//! whatever key names a site uses, whether the page is one event's page, and every other
//! string value as text that may carry a date, a time or a place. Runs after the named
//! schemas of [`fields`](super::fields) and only fills what they left empty.

use jiff::civil::Time;

use super::fields::{one_line, parse_time, strip_inline_markup};
use super::fmdate;
use super::front::{KeyLines, Yaml};
use super::keys::{self, Role};
use super::{FmDateTime, Front, Segment, SegmentOrigin};

/// Short key names that may mean anything on a page that is not an event's.
const GENERIC: &[&str] = &[
    "start", "starts", "begin", "begins", "from", "debut", "quand", "when", "jour", "end", "ends",
    "to", "until", "fin",
];

/// A time of day written alone, as editors and forms write it: "19:00", "19h30", "19-00".
pub fn time_only(raw: &str) -> Option<Time> {
    let t = raw.trim();
    if t.is_empty() || t.len() > 8 {
        return None;
    }
    let dashed = t.replacen('-', ":", 1);
    let t = if t.len() <= 5 && t.contains('-') {
        dashed.as_str()
    } else {
        t
    };
    if !t.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    parse_time(t)
}

fn looks_like_link(s: &str) -> bool {
    let t = s.trim();
    t.starts_with("http://")
        || t.starts_with("https://")
        || t.starts_with('/')
        || t.starts_with("www.")
        || (!t.contains(' ') && (t.contains('/') || t.contains('@')))
}

/// Is the page one event's page: by its folder, its layout or type, or its keys?
pub fn is_event_page(fm: &Yaml, in_event_folder: bool) -> bool {
    if in_event_folder {
        return true;
    }
    let layout = ["layout", "type", "kind", "template"]
        .iter()
        .filter_map(|k| fm.get(k).and_then(Yaml::as_text))
        .any(|v| keys::is_event_layout(&v));
    let Yaml::Map(m) = fm else { return layout };
    let text = |v: &Yaml| matches!(v, Yaml::Str(s) if !s.trim().is_empty());
    let dated = fm.get("date").is_some();
    layout
        || m.iter().any(|(k, v)| {
            let f = keys::fold(k);
            let role = keys::role(k);
            (role == Some(Role::EventName) && text(v))
                || f == "eventurl"
                || f == "allday"
                // a page that gives its hours or its venue in keys (`horaire = "14h à
                // 18h"`, `location = "Salle des fêtes"`) is one happening's page
                || (matches!(role, Some(Role::StartTime | Role::EndTime | Role::Hours))
                    && matches!(v, Yaml::Str(s) if s.contains(|c: char| c.is_ascii_digit())))
                || (dated && role == Some(Role::Venue) && text(v))
        })
}

/// What the front matter says by meaning, added to `front` and `segments`.
pub fn read(
    fm: &Yaml,
    lines: &KeyLines<'_>,
    top_line: u32,
    front: &mut Front,
    segments: &mut Vec<Segment>,
    in_event_folder: bool,
) {
    let Yaml::Map(map) = fm else { return };
    front.event_page = is_event_page(fm, in_event_folder)
        || front.event_start.is_some()
        || front.event_end.is_some();
    let line = |k: &str| lines.line(k).unwrap_or(top_line);
    let mut seen: Vec<String> = segments
        .iter()
        .filter_map(|s| match &s.origin {
            SegmentOrigin::Field(k) => Some(k.split(':').next().unwrap_or(k).trim().to_string()),
            SegmentOrigin::Body => None,
        })
        .collect();
    for (k, v) in map {
        let role = keys::role(k);
        let text = v.as_text();
        match role {
            Some(Role::EventStart | Role::EventEnd) => {
                let Some(raw) = text.as_deref() else { continue };
                let generic = GENERIC.contains(&keys::fold(k).as_str());
                let start = role == Some(Role::EventStart);
                if let Some(t) = time_only(raw) {
                    let slot = if start {
                        &mut front.event_start_time
                    } else {
                        &mut front.event_end_time
                    };
                    slot.get_or_insert((t, line(k)));
                    continue;
                }
                let slot = if start {
                    &mut front.event_start
                } else {
                    &mut front.event_end
                };
                if let Ok(d) = fmdate::fm_datetime(raw, line(k)) {
                    // a date is never read again as text
                    if slot.is_none() && (!generic || front.event_page) {
                        *slot = Some(d);
                        front.event_page = true;
                    }
                    continue;
                }
            }
            Some(Role::StartTime | Role::EndTime) => {
                if let Some(t) = text.as_deref().and_then(time_only) {
                    let slot = if role == Some(Role::StartTime) {
                        &mut front.event_start_time
                    } else {
                        &mut front.event_end_time
                    };
                    slot.get_or_insert((t, line(k)));
                    continue;
                }
            }
            Some(Role::Venue) => {
                if let (None, Some(t)) = (&front.venue, &text) {
                    let t = one_line(&strip_inline_markup(t));
                    if !t.is_empty() && !looks_like_link(&t) {
                        front.venue = Some((t, line(k)));
                    }
                }
            }
            Some(Role::Address | Role::Town) => {
                if let (None, Some(t)) = (&front.address, &text) {
                    let t = one_line(&strip_inline_markup(t));
                    if !t.is_empty() && !looks_like_link(&t) {
                        front.address = Some((t, line(k)));
                    }
                }
            }
            Some(Role::NotText) => continue,
            _ => {}
        }
        // a key that contains "date" and is none of the above is metadata
        if role.is_none() && keys::fold(k).contains("date") {
            continue;
        }
        if seen.iter().any(|s| s == k) {
            continue;
        }
        seen.push(k.clone());
        let block = lines.block_lines(k);
        let at = |value: &str| value_line(block, value).unwrap_or(line(k));
        push_text(k, v, &at, segments, 0);
    }
    flags(map, front);
    if front.event_start.is_none() && front.event_page {
        if let Some(raw) = fm.get("date").and_then(Yaml::as_text) {
            if let Ok(mut d) = fmdate::fm_datetime(&raw, line("date")) {
                // the time a post was written ("16:42:19") is not an event's hour
                let round = d
                    .datetime
                    .is_some_and(|t| t.minute() % 5 == 0 && t.second() == 0);
                if !round {
                    d.date_only = true;
                }
                front.event_start = Some(d);
                front.event_start_from_date = true;
            }
        }
    }
    // a time of day given apart completes a date-only start
    if let (Some(s), Some((t, _))) = (&mut front.event_start, front.event_start_time) {
        set_time(s, t);
    }
    if let (Some(e), Some((t, _))) = (&mut front.event_end, front.event_end_time) {
        set_time(e, t);
    }
}

/// Yes/no keys of site schemas: whether the page shows in the agenda (`presenceAgenda`,
/// `in_agenda`, `is_event`) and whether its hour means anything (`displayHour`,
/// `show_time`).
fn flags(map: &[(String, Yaml)], front: &mut Front) {
    for (k, v) in map {
        let Yaml::Bool(b) = v else { continue };
        let f = keys::fold(k);
        let about_agenda = ["agenda", "event", "evenement", "calendar", "calendrier"]
            .iter()
            .any(|w| f.contains(w));
        let about_hour = ["hour", "heure", "time", "horaire"]
            .iter()
            .any(|w| f.contains(w));
        if matches!(
            f.as_str(),
            "online" | "enligne" | "distanciel" | "visio" | "webinar" | "webinaire" | "virtual"
        ) {
            front.online = Some(*b);
            continue;
        }
        if about_agenda && !about_hour && !*b && !f.contains("allday") {
            front.event_page = false;
            front.event_start = None;
            front.event_end = None;
            front.event_start_time = None;
            front.event_end_time = None;
        } else if about_agenda && !about_hour && *b && !f.contains("allday") {
            front.event_page = true;
        } else if about_hour && !*b {
            for d in [&mut front.event_start, &mut front.event_end]
                .into_iter()
                .flatten()
            {
                d.date_only = true;
            }
        }
    }
}

fn set_time(d: &mut FmDateTime, t: Time) {
    if let (true, Some(dt)) = (d.date_only, d.datetime) {
        d.datetime = Some(dt.date().to_datetime(t));
        d.date_only = false;
    }
}

/// The file line, in a key's block, where a value starts (its first word found there).
fn value_line(block: &[(&str, u32)], value: &str) -> Option<u32> {
    let first = value.split_whitespace().next()?;
    block
        .iter()
        .find(|(l, _)| l.contains(first))
        .map(|&(_, n)| n)
}

/// A string value (or the strings of a list or mapping) as a text segment.
fn push_text(
    key: &str,
    v: &Yaml,
    line: &dyn Fn(&str) -> u32,
    segments: &mut Vec<Segment>,
    depth: u8,
) {
    match v {
        Yaml::Str(s) => {
            let t = one_line(&strip_inline_markup(s));
            if t.chars().count() < 3 || looks_like_link(&t) {
                return;
            }
            segments.push(Segment {
                origin: SegmentOrigin::Field(key.to_string()),
                lines: vec![(0, line(s))],
                text: t,
            });
        }
        Yaml::Seq(items) if depth < 3 => {
            for item in items {
                push_text(key, item, line, segments, depth + 1);
            }
        }
        Yaml::Map(m) if depth < 3 => {
            for (k, item) in m {
                if matches!(keys::role(k), Some(Role::NotText)) {
                    continue;
                }
                push_text(&format!("{key}: {k}"), item, line, segments, depth + 1);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_written_alone() {
        let table: &[(&str, Option<(i8, i8)>)] = &[
            ("19-00", Some((19, 0))),
            ("19:00", Some((19, 0))),
            ("19h30", Some((19, 30))),
            ("9h", Some((9, 0))),
            ("2026-01-30", None),
            ("samedi", None),
            ("", None),
        ];
        for (raw, want) in table {
            let got = time_only(raw).map(|t| (t.hour(), t.minute()));
            assert_eq!(got, *want, "{raw}");
        }
    }
}
