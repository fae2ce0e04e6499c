//! iCalendar publisher: `agenda.ics`, `tags/<tag>.ics` ([`calendar`]) and
//! `events/<uid>.ics` ([`single`]). Pure: no I/O, no clock.
//!
//! Every property and VEVENT is built with the `icalendar` crate; its gaps
//! are filled in [`super::ics_text`] (control characters, escaping of the
//! properties it leaves raw, folding) and [`super::vtimezone`]. The crate's
//! own defaults are never used where they would break determinism: UID and
//! DTSTAMP are always set explicitly (it would write a random UUID and the
//! current time), all-day DTEND is written as the exclusive next day (its
//! `all_day()` repeats DTSTART), and the calendar starts from an empty
//! property list (`Calendar::new()` adds its own PRODID).
//!
//! Choices:
//! - All-day events: `DTSTART;VALUE=DATE` and an exclusive `DTEND;VALUE=DATE`
//!   (last day + 1). An event with an end time but no start time is all-day.
//! - Timed events: `DTSTART`/`DTEND` with `TZID=<event zone>` and a VTIMEZONE.
//!   Without an end time the event lasts [`DEFAULT_DURATION_HOURS`] hour
//!   (the length calendar applications give a new event); an end time at
//!   or before the start time means the event ends the next day.
//! - A one-off time that does not exist (in the spring daylight-saving
//!   gap) is written as the time clocks show then: 02:30 becomes 03:30.
//! - Several days with daily hours: one VEVENT for the first day and
//!   `RRULE:FREQ=DAILY;COUNT=<days>` (COUNT has none of UNTIL's pitfalls).
//! - A postponed event is `STATUS:CANCELLED` with "Reporté : " before its
//!   title: the announced date no longer holds, and TENTATIVE would still
//!   invite people to come; a new date is a change of the same entry (same
//!   UID, higher SEQUENCE) and makes it CONFIRMED again.
//! - `TRANSP:TRANSPARENT` in subscriptions (they inform and leave the
//!   reader's time free); the single-event file keeps the default OPAQUE,
//!   since whoever adds one event plans to be there.
//! - Unknown zone: the calendar's default zone, else UTC.
//! - Entries are sorted by (first day, start time, last day, UID); a UID seen
//!   twice keeps its first entry, since duplicate UIDs make clients
//!   overwrite one event with the other.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Write};

use rayon::prelude::*;

use icalendar::{CalendarDateTime, Component, EventLike, EventStatus, Property};
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::SignedDuration;

use super::ics_text::{clean_text, one_line, property_lines, refold, text_property};
use super::vtimezone;
use super::Entries;
use crate::agenda::{Entry, Status};

/// Length of a timed event whose end time is not known, in hours.
pub const DEFAULT_DURATION_HOURS: i64 = 1;

/// PRODID used when the configuration gives none.
pub const DEFAULT_PRODID: &str = "-//agenda//agenda//FR";

/// What the calendar says about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarMeta {
    /// X-WR-CALNAME and NAME.
    pub name: String,
    /// X-WR-CALDESC and DESCRIPTION.
    pub description: String,
    /// PRODID (`-//Owner//Product//FR`).
    pub prodid: String,
    /// REFRESH-INTERVAL and X-PUBLISHED-TTL, in whole seconds; 6 hours when
    /// shorter than a second.
    pub refresh: SignedDuration,
    /// X-WR-TIMEZONE, and the zone of events whose own zone is unknown.
    pub default_tz: String,
    /// Appended to entry UIDs that have no `@` (`salon-2026@<domain>`).
    pub domain: String,
}

/// The whole calendar for these entries (`agenda.ics`, `tags/<tag>.ics`).
pub fn calendar(entries: &[&Entry], meta: &CalendarMeta) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = calendar_from(&entries, meta, &mut out);
    out
}

/// [`calendar`], written to `out` as it is rendered: the same bytes, never held whole in
/// memory (a calendar of 100,000 events is over 100 MB).
pub fn calendar_to(entries: &[&Entry], meta: &CalendarMeta, out: &mut dyn Write) -> io::Result<()> {
    calendar_from(&entries, meta, out)
}

/// [`calendar_to`] from entries made on demand (each is asked for twice: once to plan
/// the calendar, once to write its VEVENT).
pub fn calendar_from(
    entries: &dyn Entries,
    meta: &CalendarMeta,
    out: &mut dyn Write,
) -> io::Result<()> {
    write(
        entries,
        &[Part { meta, member: None }],
        Busy::Free,
        &mut [out],
    )
}

/// One of the calendars [`calendars_from`] writes together.
pub struct Part<'a> {
    pub meta: &'a CalendarMeta,
    /// Which entries the calendar holds, by index in the entries; `None`: all of them.
    pub member: Option<&'a [bool]>,
}

/// Several calendars over the same entries (`agenda.ics` and its tags' calendars), written
/// in one pass: each VEVENT is rendered once and written to every calendar that holds it.
/// `sinks[k]` receives the bytes [`calendar_from`] would write for `parts[k]` alone.
/// Events are rendered with the domain and default zone of the first part's meta: every
/// part must give the same (the parts differ in their names and descriptions).
pub fn calendars_from(
    entries: &dyn Entries,
    parts: &[Part<'_>],
    sinks: &mut [&mut dyn Write],
) -> io::Result<()> {
    debug_assert!(parts
        .iter()
        .all(|p| p.meta.domain == parts[0].meta.domain
            && p.meta.default_tz == parts[0].meta.default_tz));
    write(entries, parts, Busy::Free, sinks)
}

/// A calendar holding one event (`events/<uid>.ics`, "add to my calendar").
pub fn single(entry: &Entry, meta: &CalendarMeta) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = write(
        &&[entry][..],
        &[Part { meta, member: None }],
        Busy::Busy,
        &mut [&mut out],
    );
    out
}

/// VEVENTs rendered at once (in parallel) before they are written out: bounds the memory
/// a large calendar needs while keeping both cores busy.
const VEVENT_BATCH: usize = 1024;

/// Whether events make the reader busy (TRANSP). A subscription informs
/// and leaves time free; an event someone adds on purpose is time they
/// plan to spend there, so it keeps the default (OPAQUE).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Busy {
    Free,
    Busy,
}

fn write(
    entries: &dyn Entries,
    parts: &[Part<'_>],
    busy: Busy,
    sinks: &mut [&mut dyn Write],
) -> io::Result<()> {
    let Some(first) = parts.first() else {
        return Ok(());
    };
    if sinks.len() != parts.len() {
        return Err(one_output_per_calendar());
    }
    let meta = first.meta;
    let default_tz = resolve_zone(&meta.default_tz);
    let mut known: HashMap<String, Option<(String, TimeZone)>> = HashMap::new();
    let mut planned: Vec<Planned> = Vec::with_capacity(entries.len());
    let mut zones = ZoneNames::default();
    for index in 0..entries.len() {
        if parts.iter().all(|p| {
            p.member
                .is_some_and(|m| !m.get(index).copied().unwrap_or(false))
        }) {
            continue;
        }
        let entry = entries.get(index);
        let name = entry.event.tz.as_str();
        if !known.contains_key(name) {
            known.insert(name.to_string(), resolve_zone(name));
        }
        let zone_of = |name: &str| zone_for(&known, &default_tz, name);
        let Some((uid, when)) = plan(&entry, meta, &zone_of) else {
            continue;
        };
        let zone = zones.of(&when);
        planned.push(Planned {
            index,
            start: entry.event.start,
            start_time: entry.event.start_time,
            end: entry.event.end,
            uid: uid.into(),
            zone,
        });
    }
    planned.sort_by(|a, b| a.key().cmp(&b.key()));
    let targets = route(&planned, &zones.names, parts, sinks)?;

    let zone_of = |name: &str| zone_for(&known, &default_tz, name);
    let render = |(p, to): (&Planned<'_>, &Vec<u32>)| {
        if to.is_empty() {
            return String::new();
        }
        // Planned again (as when the calendar was planned): kept whole for every entry
        // of a large calendar, plans took more memory than the entries.
        let entry = entries.get(p.index);
        let Some((uid, when)) = plan(&entry, meta, &zone_of) else {
            return String::new();
        };
        render_vevent(&uid, &when, &entry, busy)
    };
    if planned.len() == 1 {
        send(sinks, &render((&planned[0], &targets[0])), &targets[0])?;
    } else {
        for (batch, to) in planned
            .chunks(VEVENT_BATCH)
            .zip(targets.chunks(VEVENT_BATCH))
        {
            let vevents: Vec<String> = batch.par_iter().zip(to).map(render).collect();
            for (vevent, to) in vevents.iter().zip(to) {
                send(sinks, vevent, to)?;
            }
        }
    }
    finish(sinks)
}

fn one_output_per_calendar() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, "one output per calendar")
}

/// The zones of a calendar's timed events, each once, in the order first met.
#[derive(Default)]
struct ZoneNames {
    names: Vec<(String, TimeZone)>,
    index: HashMap<String, usize>,
}

impl ZoneNames {
    /// A timed event's zone (its index among the names), first and last year.
    fn of(&mut self, when: &When) -> Option<(usize, i16, i16)> {
        match when {
            When::Timed {
                tzid,
                tz,
                start,
                last_end,
                ..
            } => Some((self.add(tzid, tz), start.year(), last_end.year())),
            When::AllDay { .. } => None,
        }
    }

    fn add(&mut self, tzid: &str, tz: &TimeZone) -> usize {
        if let Some(&i) = self.index.get(tzid) {
            return i;
        }
        let next = self.names.len();
        let i = *self.index.entry(tzid.to_string()).or_insert(next);
        if i == next {
            self.names.push((tzid.to_string(), tz.clone()));
        }
        i
    }
}

/// The calendars each planned entry goes to (a UID seen twice in a calendar keeps its
/// first entry there); writes each calendar's head, with the zones its events need over
/// the years they span, from the first start to the last end.
fn route(
    planned: &[Planned<'_>],
    zone_names: &[(String, TimeZone)],
    parts: &[Part<'_>],
    sinks: &mut [&mut dyn Write],
) -> io::Result<Vec<Vec<u32>>> {
    let mut targets: Vec<Vec<u32>> = Vec::with_capacity(planned.len());
    let mut seen: Vec<HashSet<&str>> = vec![HashSet::new(); parts.len()];
    let mut zones: Vec<BTreeMap<&str, (&TimeZone, i16, i16)>> = vec![BTreeMap::new(); parts.len()];
    for p in planned {
        let zone = p
            .zone
            .and_then(|(i, first, last)| Some((zone_names.get(i)?, first, last)));
        let mut to = Vec::new();
        for (k, part) in parts.iter().enumerate() {
            let holds = part
                .member
                .is_none_or(|m| m.get(p.index).copied().unwrap_or(false));
            if holds && seen[k].insert(&p.uid) {
                to.push(k as u32);
                if let Some(((tzid, tz), first, last)) = zone {
                    let span = zones[k].entry(tzid).or_insert((tz, first, last));
                    span.1 = span.1.min(first);
                    span.2 = span.2.max(last);
                }
            }
        }
        targets.push(to);
    }
    drop(seen);
    for ((part, zones), sink) in parts.iter().zip(&zones).zip(sinks.iter_mut()) {
        let mut head = String::from("BEGIN:VCALENDAR\r\n");
        for property in calendar_properties(part.meta) {
            head.push_str(&property_lines(property));
        }
        for (tzid, (tz, first, last)) in zones {
            head.push_str(&vtimezone::write(tzid, tz, *first, *last));
        }
        sink.write_all(head.as_bytes())?;
    }
    Ok(targets)
}

/// Write one VEVENT to the calendars it goes to.
fn send(sinks: &mut [&mut dyn Write], vevent: &str, to: &[u32]) -> io::Result<()> {
    for &k in to {
        if let Some(sink) = sinks.get_mut(k as usize) {
            sink.write_all(vevent.as_bytes())?;
        }
    }
    Ok(())
}

fn finish(sinks: &mut [&mut dyn Write]) -> io::Result<()> {
    for sink in sinks.iter_mut() {
        sink.write_all(CALENDAR_END.as_bytes())?;
    }
    Ok(())
}

fn render_vevent(uid: &str, when: &When, entry: &Entry, busy: Busy) -> String {
    // Writing into a String cannot fail.
    refold(
        &vevent(uid, when, entry, busy)
            .try_into_string()
            .unwrap_or_default(),
    )
}

/// One entry's VEVENT as subscriptions show it, rendered once and kept, with what a
/// calendar needs to place it: its order, its UID and its zone's years. A calendar made
/// of prepared events ([`assemble`]) has the bytes [`calendars_from`] writes.
#[derive(Debug, Clone)]
pub struct Prepared {
    start: Date,
    start_time: Option<Time>,
    end: Date,
    uid: Box<str>,
    zone: Option<(String, TimeZone, i16, i16)>,
    vevent: String,
}

impl Prepared {
    /// Its VEVENT, folded, as calendars write it.
    pub fn vevent(&self) -> &str {
        &self.vevent
    }

    /// Bytes held (for the memory a cache of them takes).
    pub fn size(&self) -> usize {
        self.vevent.len() + self.uid.len()
    }
}

/// An entry prepared for calendars with this meta's domain and default zone; None when
/// a calendar leaves it out.
pub fn prepare(entry: &Entry, meta: &CalendarMeta) -> Option<Prepared> {
    let default_tz = resolve_zone(&meta.default_tz);
    let zone_of = |name: &str| {
        resolve_zone(name)
            .or_else(|| default_tz.clone())
            .unwrap_or_else(|| ("UTC".to_string(), TimeZone::UTC))
    };
    let (uid, when) = plan(entry, meta, &zone_of)?;
    let zone = match &when {
        When::Timed {
            tzid,
            tz,
            start,
            last_end,
            ..
        } => Some((tzid.clone(), tz.clone(), start.year(), last_end.year())),
        When::AllDay { .. } => None,
    };
    Some(Prepared {
        start: entry.event.start,
        start_time: entry.event.start_time,
        end: entry.event.end,
        vevent: render_vevent(&uid, &when, entry, Busy::Free),
        uid: uid.into_boxed_str(),
        zone,
    })
}

/// [`calendars_from`] of entries already prepared (None: an entry no calendar holds),
/// the parts' `member` indexing `events`.
pub fn assemble(
    events: &[Option<&Prepared>],
    parts: &[Part<'_>],
    sinks: &mut [&mut dyn Write],
) -> io::Result<()> {
    if parts.is_empty() {
        return Ok(());
    }
    if sinks.len() != parts.len() {
        return Err(one_output_per_calendar());
    }
    let (planned, targets) = arrange(events, parts, sinks)?;
    for (p, to) in planned.iter().zip(&targets) {
        if let Some(Some(prepared)) = events.get(p.index) {
            send(sinks, &prepared.vevent, to)?;
        }
    }
    finish(sinks)
}

/// The events of a calendar of prepared events, planned in calendar order, with the
/// calendars each goes to; writes each calendar's head.
fn arrange<'a>(
    events: &[Option<&'a Prepared>],
    parts: &[Part<'_>],
    sinks: &mut [&mut dyn Write],
) -> io::Result<(Vec<Planned<'a>>, Vec<Vec<u32>>)> {
    let mut zones = ZoneNames::default();
    let mut planned: Vec<Planned> = Vec::with_capacity(events.len());
    for (index, p) in events.iter().enumerate() {
        let Some(p) = p else { continue };
        if parts.iter().all(|part| {
            part.member
                .is_some_and(|m| !m.get(index).copied().unwrap_or(false))
        }) {
            continue;
        }
        let zone = p
            .zone
            .as_ref()
            .map(|(tzid, tz, first, last)| (zones.add(tzid, tz), *first, *last));
        planned.push(Planned {
            index,
            start: p.start,
            start_time: p.start_time,
            end: p.end,
            uid: std::borrow::Cow::Borrowed(&p.uid),
            zone,
        });
    }
    planned.sort_by(|a, b| a.key().cmp(&b.key()));
    let targets = route(&planned, &zones.names, parts, sinks)?;
    Ok((planned, targets))
}

/// One calendar of prepared events laid out: its head (properties and time zones), and
/// the events it holds, by index in `events`, in the order it writes their VEVENTs
/// ([`Prepared::vevent`]) before [`CALENDAR_END`]: the pieces of [`assemble`]'s bytes.
pub fn layout(events: &[Option<&Prepared>], meta: &CalendarMeta) -> (Vec<u8>, Vec<usize>) {
    let mut head = Vec::new();
    let parts = [Part { meta, member: None }];
    // Writing into a Vec cannot fail.
    let Ok((planned, targets)) = arrange(events, &parts, &mut [&mut head]) else {
        return (head, Vec::new());
    };
    let order = planned
        .iter()
        .zip(&targets)
        .filter(|(_, to)| !to.is_empty())
        .map(|(p, _)| p.index)
        .collect();
    (head, order)
}

/// The last line of a calendar.
pub const CALENDAR_END: &str = "END:VCALENDAR\r\n";

/// The UID written for an entry: its own uid, qualified with the domain
/// when it has no `@`.
pub fn event_uid(entry: &Entry, domain: &str) -> String {
    let uid = one_line(&entry.uid);
    let domain = one_line(domain);
    if uid.contains('@') || domain.is_empty() {
        uid
    } else {
        format!("{uid}@{domain}")
    }
}

fn calendar_properties(meta: &CalendarMeta) -> Vec<Property> {
    let prodid = match one_line(&meta.prodid) {
        p if p.is_empty() => DEFAULT_PRODID.to_string(),
        p => p,
    };
    let name = one_line(&meta.name);
    let description = clean_text(meta.description.trim());
    // Whole seconds: DURATION values have no fractions.
    let refresh = match SignedDuration::from_secs(meta.refresh.as_secs()) {
        d if d.is_positive() => d,
        _ => SignedDuration::from_hours(6),
    }
    .to_string();
    let mut props = vec![
        Property::new("VERSION", "2.0"),
        text_property("PRODID", &prodid),
        Property::new("CALSCALE", "GREGORIAN"),
        Property::new("METHOD", "PUBLISH"),
    ];
    if !name.is_empty() {
        props.push(text_property("NAME", &name));
        props.push(text_property("X-WR-CALNAME", &name));
    }
    if !description.is_empty() {
        props.push(text_property("DESCRIPTION", &description));
        props.push(text_property("X-WR-CALDESC", &description));
    }
    let tz = one_line(&meta.default_tz);
    if !tz.is_empty() {
        props.push(text_property("X-WR-TIMEZONE", &tz));
    }
    props.push(
        Property::new("REFRESH-INTERVAL", refresh.as_str())
            .add_parameter("VALUE", "DURATION")
            .done(),
    );
    props.push(text_property("X-PUBLISHED-TTL", &refresh));
    props
}

/// One entry of a calendar: its place in the calendar's order, and the years its zone
/// must cover.
struct Planned<'a> {
    /// Where the entry is in the calendar's entries.
    index: usize,
    start: Date,
    start_time: Option<Time>,
    end: Date,
    uid: std::borrow::Cow<'a, str>,
    /// A timed event's zone (index in the calendar's zones), first and last year.
    zone: Option<(usize, i16, i16)>,
}

/// What a VEVENT says of its days and hours.
enum When {
    AllDay {
        start: Date,
        /// Exclusive: the day after the last day.
        end: Date,
    },
    Timed {
        tzid: String,
        tz: TimeZone,
        start: DateTime,
        end: DateTime,
        /// Number of daily occurrences when more than one.
        count: Option<i64>,
        /// End of the last occurrence, for the VTIMEZONE's years.
        last_end: DateTime,
    },
}

impl Planned<'_> {
    fn key(&self) -> (Date, Option<Time>, Date, &str) {
        (self.start, self.start_time, self.end, &self.uid)
    }
}

/// The zone of an event's time zone name: the name resolved before (`known`), else the
/// calendar's default zone, else UTC.
fn zone_for(
    known: &HashMap<String, Option<(String, TimeZone)>>,
    default_tz: &Option<(String, TimeZone)>,
    name: &str,
) -> (String, TimeZone) {
    known
        .get(name)
        .cloned()
        .flatten()
        .or_else(|| default_tz.clone())
        .unwrap_or_else(|| ("UTC".to_string(), TimeZone::UTC))
}

fn resolve_zone(name: &str) -> Option<(String, TimeZone)> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    TimeZone::get(name).ok().map(|tz| (name.to_string(), tz))
}

/// An event's days and hours as its calendars write them, for what shows or prefills them
/// elsewhere (the agenda page's links and schema.org data).
#[derive(Debug, Clone, PartialEq)]
pub enum Span {
    AllDay {
        start: Date,
        /// Exclusive: the day after the last day.
        end: Date,
    },
    Timed {
        /// The zone the times are in (the event's, else `default_tz`, else UTC).
        tzid: String,
        /// First occurrence.
        start: jiff::Zoned,
        end: jiff::Zoned,
        /// Number of daily occurrences (1 for a one-day event).
        days: i64,
        /// End of the last occurrence.
        last_end: jiff::Zoned,
    },
}

/// The [`Span`] of an entry, placed as in `agenda.ics`; None when a calendar would leave it out.
pub fn span(entry: &Entry, default_tz: &str) -> Option<Span> {
    let default_tz = resolve_zone(default_tz);
    let zone_of = |name: &str| {
        resolve_zone(name)
            .or_else(|| default_tz.clone())
            .unwrap_or_else(|| ("UTC".to_string(), TimeZone::UTC))
    };
    let meta = CalendarMeta {
        name: String::new(),
        description: String::new(),
        prodid: String::new(),
        refresh: SignedDuration::ZERO,
        default_tz: String::new(),
        domain: "span".to_string(),
    };
    let (_, when) = plan(entry, &meta, &zone_of)?;
    Some(match when {
        When::AllDay { start, end } => Span::AllDay { start, end },
        When::Timed {
            tzid,
            tz,
            start,
            end,
            count,
            last_end,
        } => {
            let zoned = |dt: DateTime| tz.to_ambiguous_zoned(dt).compatible().ok();
            Span::Timed {
                tzid,
                start: zoned(start)?,
                end: zoned(end)?,
                days: count.unwrap_or(1),
                last_end: zoned(last_end)?,
            }
        }
    })
}

/// The file name of an event's own calendar (`events/<name>.ics`): its uid's local part,
/// made safe.
pub fn event_file(uid: &str) -> String {
    let local = uid.split('@').next().unwrap_or(uid);
    format!("events/{}.ics", super::text::slugify(local, "event"))
}

/// An entry's UID and days, or None when it cannot be written.
fn plan(
    entry: &Entry,
    meta: &CalendarMeta,
    zone_of: &dyn Fn(&str) -> (String, TimeZone),
) -> Option<(String, When)> {
    let event = &entry.event;
    let start = event.start;
    // Dates must stay within four-digit years, the next day included.
    let in_range = |d: Date| (1..=9998).contains(&d.year());
    if !in_range(start) {
        return None;
    }
    let last_day = if event.end >= start && in_range(event.end) {
        event.end
    } else {
        start
    };
    let days = (last_day - start).get_days() as i64 + 1;
    let uid = event_uid(entry, &meta.domain);
    if uid.is_empty() {
        return None;
    }

    let when = match event.start_time {
        None => When::AllDay {
            start,
            end: last_day.tomorrow().ok()?,
        },
        Some(start_time) => {
            let (tzid, tz) = zone_of(&event.tz);
            let mut start_dt = start.to_datetime(start_time);
            let mut end_dt = timed_end(&tz, start_dt, event.end_time)?;
            if days == 1 {
                start_dt = wall_clock(&tz, start_dt);
                end_dt = wall_clock(&tz, end_dt);
            }
            let last_end = end_dt
                .checked_add(jiff::Span::new().days(days - 1))
                .unwrap_or(end_dt);
            When::Timed {
                tzid,
                tz,
                start: start_dt,
                end: end_dt,
                count: (days > 1).then_some(days),
                last_end,
            }
        }
    };
    Some((uid, when))
}

/// The end of a timed occurrence: its end time that day (the next day when
/// at or before the start), else the default duration; always strictly
/// after the start once both are placed in the zone.
fn timed_end(tz: &TimeZone, start: DateTime, end_time: Option<Time>) -> Option<DateTime> {
    let mut end = match end_time {
        Some(t) if t > start.time() => start.date().to_datetime(t),
        Some(t) if t < start.time() => start.date().tomorrow().ok()?.to_datetime(t),
        _ => start
            .checked_add(SignedDuration::from_hours(DEFAULT_DURATION_HOURS))
            .ok()?,
    };
    let instant = |dt: DateTime| {
        tz.to_ambiguous_zoned(dt)
            .compatible()
            .ok()
            .map(|z| z.timestamp())
    };
    // A start inside a daylight-saving gap can land on the same instant.
    for _ in 0..3 {
        match (instant(start), instant(end)) {
            (Some(s), Some(e)) if e > s => break,
            _ => end = end.checked_add(SignedDuration::from_hours(1)).ok()?,
        }
    }
    Some(end)
}

/// The time clocks show at a local time that may not exist: 02:30 in the
/// spring gap of Europe/Paris is 03:30. Clients disagree on how to read a
/// time in the gap (ical.js takes it an hour earlier than RFC 5545 says),
/// so a one-off event is written at the time that exists.
fn wall_clock(tz: &TimeZone, dt: DateTime) -> DateTime {
    tz.to_ambiguous_zoned(dt)
        .compatible()
        .map(|z| z.datetime())
        .unwrap_or(dt)
}

fn vevent(uid: &str, when: &When, entry: &Entry, busy: Busy) -> icalendar::Event {
    let event = &entry.event;
    let mut ev = icalendar::Event::new();
    ev.append_property(text_property("UID", uid));
    let modified = chrono::DateTime::from_timestamp(entry.modified.as_second(), 0)
        .unwrap_or(chrono::DateTime::UNIX_EPOCH);
    ev.timestamp(modified);
    ev.last_modified(modified);
    ev.sequence(entry.sequence);
    ev.append_property(text_property("SUMMARY", &summary(entry)));
    let description = description(entry);
    if !description.is_empty() {
        ev.append_property(text_property("DESCRIPTION", &description));
    }
    let location = location(entry);
    if !location.is_empty() {
        ev.append_property(text_property("LOCATION", &location));
    }
    let url: String = clean_text(&entry.url)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if !url.is_empty() {
        ev.url(&url);
    }
    let tags = categories(entry);
    if !tags.is_empty() {
        ev.categories(tags);
    }
    ev.status(match event.status {
        Status::Confirmed => EventStatus::Confirmed,
        Status::Cancelled | Status::Postponed => EventStatus::Cancelled,
    });
    if busy == Busy::Free {
        ev.add_property("TRANSP", "TRANSPARENT");
    }

    match when {
        When::AllDay { start, end } => {
            if let (Some(s), Some(e)) = (naive_date(*start), naive_date(*end)) {
                ev.starts(s);
                ev.ends(e);
            }
        }
        When::Timed {
            tzid,
            start,
            end,
            count,
            ..
        } => {
            if let (Some(s), Some(e)) = (naive_date_time(*start), naive_date_time(*end)) {
                ev.starts(CalendarDateTime::WithTimezone {
                    date_time: s,
                    tzid: tzid.clone(),
                });
                ev.ends(CalendarDateTime::WithTimezone {
                    date_time: e,
                    tzid: tzid.clone(),
                });
            }
            if let Some(count) = count {
                ev.add_property("RRULE", format!("FREQ=DAILY;COUNT={count}"));
            }
        }
    }
    ev.done()
}

fn summary(entry: &Entry) -> String {
    let title = match one_line(&entry.event.title) {
        t if t.is_empty() => "Événement".to_string(),
        t => t,
    };
    let prefix = match entry.event.status {
        Status::Confirmed => return title,
        Status::Cancelled => "Annulé",
        Status::Postponed => "Reporté",
    };
    // A title that already says it ("ANNULÉ - Forum") is not prefixed twice.
    let already = title
        .get(..prefix.len())
        .is_some_and(|head| head.to_lowercase() == prefix.to_lowercase());
    if already {
        title
    } else {
        format!("{prefix} : {title}")
    }
}

/// The chapeau, then the event's own details, then a link to every source.
fn description(entry: &Entry) -> String {
    let mut parts: Vec<String> = Vec::new();
    for text in [&entry.summary, &entry.event.description]
        .into_iter()
        .flatten()
    {
        let text = clean_text(text).trim().to_string();
        if !text.is_empty() && !parts.contains(&text) {
            parts.push(text);
        }
    }
    let mut urls: Vec<String> = Vec::new();
    for source in &entry.sources {
        let url = one_line(&source.url);
        if !url.is_empty() && !urls.contains(&url) {
            urls.push(url);
        }
    }
    if urls.is_empty() {
        let url = one_line(&entry.url);
        if !url.is_empty() {
            urls.push(url);
        }
    }
    match urls.len() {
        0 => {}
        1 => parts.push(format!("Source : {}", urls[0])),
        _ => parts.push(format!("Sources :\n{}", urls.join("\n"))),
    }
    parts.join("\n\n")
}

/// Venue, stand and address, without repeating a part another one already
/// contains; "En ligne" for an online event.
fn location(entry: &Entry) -> String {
    let event = &entry.event;
    let stand = event.stand.as_deref().map(one_line).map(|s| {
        if s.is_empty() || s.to_lowercase().starts_with("stand") {
            s
        } else {
            format!("stand {s}")
        }
    });
    let candidates = [
        event.location.as_deref().map(one_line),
        stand,
        event.address.as_deref().map(one_line),
    ];
    let mut parts: Vec<String> = Vec::new();
    for part in candidates.into_iter().flatten() {
        if part.is_empty() {
            continue;
        }
        let lower = part.to_lowercase();
        if parts.iter().any(|p| p.to_lowercase().contains(&lower)) {
            continue;
        }
        // A later, longer part that contains an earlier one replaces it.
        parts.retain(|p| !lower.contains(&p.to_lowercase()));
        parts.push(part);
    }
    let place = parts.join(", ");
    match (event.online, place.is_empty()) {
        (true, true) => "En ligne".to_string(),
        (true, false) => format!("{place} (et en ligne)"),
        (false, _) => place,
    }
}

fn categories(entry: &Entry) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in &entry.tags {
        let tag = one_line(tag);
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

fn naive_date(d: Date) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(
        i32::from(d.year()),
        u32::try_from(d.month()).ok()?,
        u32::try_from(d.day()).ok()?,
    )
}

fn naive_date_time(dt: DateTime) -> Option<chrono::NaiveDateTime> {
    let time = chrono::NaiveTime::from_hms_opt(
        u32::try_from(dt.hour()).ok()?,
        u32::try_from(dt.minute()).ok()?,
        u32::try_from(dt.second()).ok()?,
    )?;
    Some(naive_date(dt.date())?.and_time(time))
}
