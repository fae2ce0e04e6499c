//! VTIMEZONE components built from a zone's real transitions (jiff).
//!
//! Why by hand: `icalendar` 0.17 has no VTIMEZONE type, and writing one as a
//! generic component adds a random UID and the current DTSTAMP to it and to
//! its STANDARD/DAYLIGHT blocks, which RFC 5545 does not allow there. So the
//! BEGIN/END lines are written here; every property line still goes through
//! the crate's `Property` and [`super::ics_text`] for folding.
//!
//! Shape: the one Google and Thunderbird emit and that Outlook reads best.
//! A zone with daylight saving time gets a STANDARD and a DAYLIGHT block,
//! each a yearly RRULE found from the transitions themselves (month, weekday
//! rank or "weekday on or after day N", local wall-clock time); when the
//! rule already held at the start of the covered years, its DTSTART is the
//! matching day of 1970. A rule that changes inside the covered years ends
//! with an UNTIL (UTC) and the next rule starts at its first real
//! transition; an irregular transition becomes a block with a DTSTART only.
//! A zone without transitions in the covered years (America/Guadeloupe,
//! Indian/Reunion, Pacific/Noumea, America/Cayenne...) gets a single
//! STANDARD block.

use icalendar::Property;
use jiff::civil::{date, Date, DateTime, Weekday};
use jiff::tz::{Offset, TimeZone};
#[cfg(test)]
use jiff::SignedDuration;
use jiff::Timestamp;

use super::ics_text::property_lines;

/// The VTIMEZONE for `tzid`, covering the years `first_year..=last_year`
/// (and the year after, to tell an ongoing rule from one that stops), as
/// CRLF-terminated folded lines. `None` when the zone is unknown.
pub fn vtimezone(tzid: &str, first_year: i16, last_year: i16) -> Option<String> {
    let tz = TimeZone::get(tzid).ok()?;
    Some(write(tzid, &tz, first_year, last_year))
}

/// Like [`vtimezone`], for an already resolved zone.
pub fn write(tzid: &str, tz: &TimeZone, first_year: i16, last_year: i16) -> String {
    let first_year = first_year.clamp(1, 9996);
    let last_year = last_year.clamp(first_year, 9996);
    let start = utc_new_year(first_year);
    let end = utc_new_year(last_year + 2);

    let initial = tz.to_offset_info(start);
    let mut previous = initial.offset();
    let mut transitions = Vec::new();
    for t in tz.following(start) {
        if t.timestamp() >= end {
            break;
        }
        let from = previous;
        previous = t.offset();
        transitions.push(Transition {
            at: t.timestamp(),
            local: from.to_datetime(t.timestamp()),
            from,
            to: t.offset(),
            name: t.abbreviation().to_string(),
            daylight: t.dst().is_dst(),
        });
    }

    let mut blocks = Vec::new();
    if transitions.is_empty() {
        let offset = initial.offset();
        blocks.push(Block {
            daylight: false,
            start: date(1970, 1, 1).at(0, 0, 0, 0),
            rule: None,
            rrule: None,
            from: offset,
            to: offset,
            name: initial.abbreviation().to_string(),
        });
    } else {
        for daylight in [false, true] {
            let kind: Vec<&Transition> = transitions
                .iter()
                .filter(|t| t.daylight == daylight)
                .collect();
            blocks.extend(blocks_of_kind(&kind, last_year));
        }
        start_rules_in_1970(&mut blocks, first_year, initial.offset());
        // Clients take a time before every onset as UTC (ical.js) or guess:
        // declare the offset in force at the start of the covered years.
        let local_start = initial.offset().to_datetime(start);
        if !blocks.iter().any(|b| b.start <= local_start) {
            blocks.insert(
                0,
                Block {
                    daylight: initial.dst().is_dst(),
                    start: date(1970, 1, 1).at(0, 0, 0, 0),
                    rule: None,
                    rrule: None,
                    from: initial.offset(),
                    to: initial.offset(),
                    name: initial.abbreviation().to_string(),
                },
            );
        }
    }

    let mut out = String::new();
    out.push_str("BEGIN:VTIMEZONE\r\n");
    out.push_str(&property_lines(Property::new("TZID", tzid)));
    out.push_str(&property_lines(Property::new("X-LIC-LOCATION", tzid)));
    for block in &blocks {
        let kind = if block.daylight {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        out.push_str(&format!("BEGIN:{kind}\r\n"));
        out.push_str(&property_lines(Property::new(
            "DTSTART",
            block.start.strftime("%Y%m%dT%H%M%S").to_string(),
        )));
        if let Some(rrule) = &block.rrule {
            out.push_str(&property_lines(Property::new("RRULE", rrule.as_str())));
        }
        out.push_str(&property_lines(Property::new(
            "TZNAME",
            block.name.as_str(),
        )));
        out.push_str(&property_lines(Property::new(
            "TZOFFSETFROM",
            format_offset(block.from),
        )));
        out.push_str(&property_lines(Property::new(
            "TZOFFSETTO",
            format_offset(block.to),
        )));
        out.push_str(&format!("END:{kind}\r\n"));
    }
    out.push_str("END:VTIMEZONE\r\n");
    out
}

struct Transition {
    at: Timestamp,
    /// Wall-clock time of the transition, in the offset before it.
    local: DateTime,
    from: Offset,
    to: Offset,
    name: String,
    daylight: bool,
}

struct Block {
    daylight: bool,
    start: DateTime,
    rule: Option<DayRule>,
    rrule: Option<String>,
    from: Offset,
    to: Offset,
    name: String,
}

/// Which day of its month a yearly transition falls on.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum DayRule {
    /// The n-th (1..=4) or, with -1, the last `weekday` of the month.
    Rank(i8, Weekday),
    /// The first `weekday` on or after this day of the month.
    OnOrAfter(i8, Weekday),
}

impl DayRule {
    /// Candidate rules for a date, the most common shapes first.
    fn candidates(d: Date) -> Vec<DayRule> {
        let (day, days, wd) = (d.day(), d.days_in_month(), d.weekday());
        let mut out = Vec::new();
        if day + 7 > days {
            out.push(DayRule::Rank(-1, wd));
        }
        if day <= 28 {
            out.push(DayRule::Rank((day - 1) / 7 + 1, wd));
        }
        for first in (day - 6).max(1)..=day {
            if first + 6 <= days {
                out.push(DayRule::OnOrAfter(first, wd));
            }
        }
        out
    }

    fn matches(self, d: Date) -> bool {
        let (day, days, wd) = (d.day(), d.days_in_month(), d.weekday());
        match self {
            DayRule::Rank(-1, w) => w == wd && day + 7 > days,
            DayRule::Rank(n, w) => w == wd && (day - 1) / 7 + 1 == n,
            DayRule::OnOrAfter(first, w) => w == wd && first <= day && day <= first + 6,
        }
    }

    fn rrule(self, month: i8, until: Option<Timestamp>) -> String {
        let mut rule = format!("FREQ=YEARLY;BYMONTH={month}");
        match self {
            DayRule::Rank(n, w) => rule.push_str(&format!(";BYDAY={n}{}", weekday_code(w))),
            DayRule::OnOrAfter(first, w) => {
                let days: Vec<String> = (first..first + 7).map(|d| d.to_string()).collect();
                rule.push_str(&format!(
                    ";BYMONTHDAY={};BYDAY={}",
                    days.join(","),
                    weekday_code(w)
                ));
            }
        }
        if let Some(until) = until {
            rule.push_str(&format!(";UNTIL={}", until.strftime("%Y%m%dT%H%M%SZ")));
        }
        rule
    }

    /// The first day of `month` in `year` that the rule selects.
    fn first_in(self, year: i16, month: i8) -> Option<Date> {
        (1..=31)
            .filter_map(|day| Date::new(year, month, day).ok())
            .find(|d| self.matches(*d))
    }
}

/// Groups the transitions of one kind (all to standard time, or all to
/// daylight time) into yearly rules.
fn blocks_of_kind(kind: &[&Transition], last_year: i16) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < kind.len() {
        let head = kind[i];
        let mut best: Option<(DayRule, usize)> = None;
        for rule in DayRule::candidates(head.local.date()) {
            let len = kind[i..]
                .iter()
                .enumerate()
                .take_while(|(k, t)| same_series(head, t, *k) && rule.matches(t.local.date()))
                .count();
            if best.is_none_or(|(_, l)| len > l) {
                best = Some((rule, len));
            }
        }
        let Some((rule, len)) = best.filter(|(_, len)| *len >= 2) else {
            blocks.push(Block {
                daylight: head.daylight,
                start: head.local,
                rule: None,
                rrule: None,
                from: head.from,
                to: head.to,
                name: head.name.clone(),
            });
            i += 1;
            continue;
        };
        let last = kind[i + len - 1];
        let open_ended = i + len == kind.len() && last.local.year() > last_year;
        let until = (!open_ended).then_some(last.at);
        blocks.push(Block {
            daylight: head.daylight,
            start: head.local,
            rule: Some(rule),
            rrule: Some(rule.rrule(head.local.month(), until)),
            from: head.from,
            to: head.to,
            name: head.name.clone(),
        });
        i += len;
    }
    blocks
}

/// The "1970 + RRULE" shape: when both the standard and the daylight rule
/// already hold in the first covered year, and together they give the
/// offset in force at its start, both series start on their 1970 day.
fn start_rules_in_1970(blocks: &mut [Block], first_year: i16, initial: Offset) {
    let first_rule = |daylight: bool| {
        blocks
            .iter()
            .position(|b| b.daylight == daylight)
            .filter(|&i| blocks[i].rule.is_some() && blocks[i].start.year() == first_year)
    };
    let (Some(std), Some(dst)) = (first_rule(false), first_rule(true)) else {
        return;
    };
    // The later of the two onsets in the year decides the offset on 1 January.
    let later = if blocks[std].start > blocks[dst].start {
        std
    } else {
        dst
    };
    if blocks[later].to != initial {
        return;
    }
    for i in [std, dst] {
        let block = &mut blocks[i];
        if let Some(day) = block
            .rule
            .and_then(|rule| rule.first_in(1970, block.start.month()))
        {
            block.start = day.to_datetime(block.start.time());
        }
    }
}

/// Whether `t` continues the yearly series that starts with `head`, `k`
/// years later, with the same offsets, name, month and wall-clock time.
fn same_series(head: &Transition, t: &Transition, k: usize) -> bool {
    i64::from(t.local.year()) == i64::from(head.local.year()) + k as i64
        && t.local.month() == head.local.month()
        && t.local.time() == head.local.time()
        && t.from == head.from
        && t.to == head.to
        && t.name == head.name
}

fn utc_new_year(year: i16) -> Timestamp {
    date(year, 1, 1)
        .to_zoned(TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

fn weekday_code(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "MO",
        Weekday::Tuesday => "TU",
        Weekday::Wednesday => "WE",
        Weekday::Thursday => "TH",
        Weekday::Friday => "FR",
        Weekday::Saturday => "SA",
        Weekday::Sunday => "SU",
    }
}

/// `+0100`, `-0300`, or `+053045` when the offset has seconds.
pub fn format_offset(offset: Offset) -> String {
    let total = offset.seconds();
    let sign = if total < 0 { '-' } else { '+' };
    let abs = total.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs % 3600 / 60, abs % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tz(name: &str, from: i16, to: i16) -> String {
        vtimezone(name, from, to).unwrap_or_default()
    }

    /// Onsets (UTC instant, offset after) of every observance of a VTIMEZONE
    /// we wrote, expanded the way a client does, for the RRULE forms we emit.
    fn onsets(vtimezone: &str, until_year: i16) -> Vec<(Timestamp, i32)> {
        let mut out = Vec::new();
        for block in vtimezone.split("BEGIN:").skip(2) {
            let field = |key: &str| {
                block
                    .lines()
                    .find_map(|l| l.strip_prefix(key))
                    .unwrap_or_default()
                    .to_string()
            };
            let offset = |v: String| {
                let sign = if v.starts_with('-') { -1 } else { 1 };
                let n = |r: std::ops::Range<usize>| {
                    v.get(r).and_then(|x| x.parse::<i32>().ok()).unwrap_or(0)
                };
                sign * (n(1..3) * 3600 + n(3..5) * 60 + n(5..7))
            };
            let from = offset(field("TZOFFSETFROM:"));
            let to = offset(field("TZOFFSETTO:"));
            let start = DateTime::strptime("%Y%m%dT%H%M%S", field("DTSTART:")).expect("DTSTART");
            let to_utc = |local: DateTime| {
                local
                    .to_zoned(TimeZone::fixed(Offset::from_seconds(from).expect("offset")))
                    .expect("in range")
                    .timestamp()
            };
            let rrule = field("RRULE:");
            if rrule.is_empty() {
                out.push((to_utc(start), to));
                continue;
            }
            let part = |key: &str| {
                rrule
                    .split(';')
                    .find_map(|p| p.strip_prefix(key))
                    .unwrap_or_default()
                    .to_string()
            };
            let month: i8 = part("BYMONTH=").parse().expect("BYMONTH");
            let byday = part("BYDAY=");
            let (rank, code) = byday.split_at(byday.len() - 2);
            let monthdays: Vec<i8> = part("BYMONTHDAY=")
                .split(',')
                .filter_map(|d| d.parse().ok())
                .collect();
            let until = part("UNTIL=");
            let until = (!until.is_empty()).then(|| {
                DateTime::strptime("%Y%m%dT%H%M%SZ", &until)
                    .expect("UNTIL")
                    .to_zoned(TimeZone::UTC)
                    .expect("in range")
                    .timestamp()
            });
            for year in start.year()..=until_year {
                let days: Vec<Date> = (1..=31)
                    .filter_map(|d| Date::new(year, month, d).ok())
                    .filter(|d| weekday_code(d.weekday()) == code)
                    .collect();
                let day = if !monthdays.is_empty() {
                    days.iter().copied().find(|d| monthdays.contains(&d.day()))
                } else {
                    match rank.parse::<i32>().expect("rank") {
                        -1 => days.last().copied(),
                        n => days.get(n as usize - 1).copied(),
                    }
                };
                let Some(day) = day else { continue };
                let at = to_utc(day.to_datetime(start.time()));
                if at < to_utc(start) || until.is_some_and(|u| at > u) {
                    continue;
                }
                out.push((at, to));
            }
        }
        out.sort();
        out
    }

    #[test]
    fn vtimezone_gives_the_zone_offset_at_every_instant_of_the_covered_years() {
        let zones = [
            "Europe/Paris",
            "America/New_York",
            "Australia/Sydney",
            "America/Santiago",
            "America/St_Johns",
            "Europe/Moscow",
            "Africa/Casablanca",
            "Asia/Tehran",
            "Pacific/Chatham",
            "Europe/Dublin",
            "America/Sao_Paulo",
            "America/Guadeloupe",
            "Indian/Reunion",
            "Pacific/Noumea",
            "America/Miquelon",
            "Europe/Lisbon",
        ];
        for name in zones {
            let zone = TimeZone::get(name).expect("known zone");
            for (first, last) in [(2026, 2026), (2005, 2012), (2018, 2027)] {
                let out = write(name, &zone, first, last);
                let onsets = onsets(&icalendar::parser::unfold(&out), last + 2);
                let mut t = utc_new_year(first);
                let end = utc_new_year(last + 1);
                while t < end {
                    let expected = zone.to_offset(t).seconds();
                    let got = onsets
                        .iter()
                        .rev()
                        .find(|(at, _)| *at <= t)
                        .map(|(_, to)| *to);
                    assert_eq!(got, Some(expected), "{name} {first}-{last} at {t}\n{out}");
                    t = t
                        .checked_add(SignedDuration::from_mins(173))
                        .expect("in range");
                }
            }
        }
    }

    #[test]
    fn paris_has_standard_and_daylight_rules_from_1970() {
        let out = tz("Europe/Paris", 2025, 2026);
        assert!(out.contains(
            "BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZNAME:CEST\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\n"
        ), "{out}");
        assert!(out.contains(
            "BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZNAME:CET\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
        ), "{out}");
        assert_eq!(out.matches("BEGIN:STANDARD").count(), 1);
        assert_eq!(out.matches("BEGIN:DAYLIGHT").count(), 1);
    }

    #[test]
    fn zones_without_dst_get_one_standard_block() {
        for (name, offset) in [
            ("America/Guadeloupe", "-0400"),
            ("Indian/Reunion", "+0400"),
            ("Pacific/Noumea", "+1100"),
            ("America/Cayenne", "-0300"),
        ] {
            let out = tz(name, 2024, 2026);
            assert_eq!(out.matches("BEGIN:STANDARD").count(), 1, "{name}");
            assert!(!out.contains("DAYLIGHT"), "{name}");
            assert!(
                out.contains(&format!("TZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\n")),
                "{name}: {out}"
            );
        }
    }

    #[test]
    fn new_york_uses_second_and_first_sunday() {
        let out = tz("America/New_York", 2026, 2026);
        assert!(
            out.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n"),
            "{out}"
        );
        assert!(
            out.contains("RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n"),
            "{out}"
        );
    }

    #[test]
    fn a_rule_change_inside_the_span_ends_with_until() {
        // The United States moved their DST dates in 2007.
        let out = tz("America/New_York", 2005, 2008);
        assert!(out.contains("BYMONTH=4;BYDAY=1SU;UNTIL=2006"), "{out}");
        assert!(
            out.contains("DTSTART:20070311T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n"),
            "{out}"
        );
    }

    #[test]
    fn southern_hemisphere_zone() {
        let out = tz("Australia/Sydney", 2026, 2026);
        assert_eq!(out.matches("BEGIN:STANDARD").count(), 1, "{out}");
        assert_eq!(out.matches("BEGIN:DAYLIGHT").count(), 1, "{out}");
        assert!(out.contains("BYMONTH=10;BYDAY=1SU"), "{out}");
        assert!(out.contains("BYMONTH=4;BYDAY=1SU"), "{out}");
    }

    #[test]
    fn unknown_zone_is_none() {
        assert!(vtimezone("Mars/Olympus_Mons", 2026, 2026).is_none());
    }

    #[test]
    fn offsets_are_formatted() {
        assert_eq!(format_offset(Offset::constant(1)), "+0100");
        assert_eq!(format_offset(Offset::constant(-3)), "-0300");
        assert_eq!(
            format_offset(Offset::from_seconds(-(9 * 3600 + 30 * 60)).unwrap_or(Offset::UTC)),
            "-0930"
        );
    }
}
