//! Front matter date-time values ("2023-11-20 17:43:00 +01:00", "2022-11-21T14:00:00Z",
//! "2023-11-20", "20/11/2023") read with jiff, keeping what was written.

use std::sync::OnceLock;

use jiff::civil::{Date, DateTime, Time};
use regex::Regex;

use super::FmDateTime;

fn iso_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?x)^
            (?P<y>[0-9]{4})-(?P<mo>[0-9]{1,2})-(?P<d>[0-9]{1,2})
            (?:
              (?:[Tt]|[\ \t]+)
              (?P<h>[0-9]{1,2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2})(?:[.,](?P<frac>[0-9]{1,9}))?)?
            )?
            (?:[\ \t]*(?P<off>[Zz]|UTC|GMT|[+-][0-9]{1,2}(?::?[0-9]{2})?))?
            $",
        )
        .unwrap_or_else(|e| panic!("static regex: {e}"))
    })
}

fn french_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^(?P<d>[0-9]{1,2})/(?P<mo>[0-9]{1,2})/(?P<y>[0-9]{4})(?:[ \t]+(?P<h>[0-9]{1,2})[:h](?P<mi>[0-9]{2}))?$",
        )
        .unwrap_or_else(|e| panic!("static regex: {e}"))
    })
}

fn french_words_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)^(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?(?P<d>[0-9]{1,2})(?:er|re)?\s+(?P<mo>[a-zéèûô]+)\.?\s+(?P<y>[0-9]{4})(?:\s+(?:à\s+)?(?P<h>[0-9]{1,2})\s*[:h]\s*(?P<mi>[0-9]{2})?)?$",
        )
        .unwrap_or_else(|e| panic!("static regex: {e}"))
    })
}

fn french_month(name: &str) -> Option<i64> {
    let n = name.to_lowercase();
    let months = [
        ("janv", 1),
        ("févr", 2),
        ("fevr", 2),
        ("mars", 3),
        ("avr", 4),
        ("mai", 5),
        ("juin", 6),
        ("juil", 7),
        ("août", 8),
        ("aout", 8),
        ("sept", 9),
        ("oct", 10),
        ("nov", 11),
        ("déc", 12),
        ("dec", 12),
    ];
    months
        .iter()
        .find(|(p, _)| n.starts_with(p))
        .map(|&(_, m)| m)
}

/// Why a value could not be read as a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not a date format at all.
    Format,
    /// A date format with impossible numbers ("2023-02-31", "25:70").
    Impossible(String),
}

fn num(c: &regex::Captures<'_>, name: &str) -> Option<i64> {
    c.name(name).and_then(|m| m.as_str().parse::<i64>().ok())
}

fn parse_offset(s: &str) -> Option<i32> {
    match s {
        "Z" | "z" | "UTC" | "GMT" => return Some(0),
        _ => {}
    }
    let sign = if s.starts_with('-') { -1 } else { 1 };
    let digits: String = s[1..].chars().filter(|c| c.is_ascii_digit()).collect();
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        3 => (
            digits[..1].parse::<i32>().ok()?,
            digits[1..].parse::<i32>().ok()?,
        ),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if h > 25 || m > 59 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60))
}

/// The parts of an ISO-like date-time: year, month, day, hour, minute, second, fraction
/// and offset as written.
type IsoParts = (
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
);

/// The parts read by [`iso_re`].
fn iso(s: &str) -> Option<IsoParts> {
    let c = iso_re().captures(s)?;
    Some((
        num(&c, "y"),
        num(&c, "mo"),
        num(&c, "d"),
        num(&c, "h"),
        num(&c, "mi"),
        num(&c, "s"),
        c.name("frac").map(|m| m.as_str().to_string()),
        c.name("off").map(|m| m.as_str().to_string()),
    ))
}

/// [`iso`] without the regex for the shapes front matter nearly always has: `YYYY-MM-DD`,
/// then maybe ` HH:MM[:SS]` (or `T`), then maybe `Z` or ` +HH:MM`; None for anything else.
fn fixed_iso(s: &str) -> Option<IsoParts> {
    let b = s.as_bytes();
    let digits = |from: usize, n: usize| -> Option<i64> {
        let part = b.get(from..from + n)?;
        part.iter().all(u8::is_ascii_digit).then(|| {
            part.iter()
                .fold(0i64, |acc, &c| acc * 10 + i64::from(c - b'0'))
        })
    };
    let y = digits(0, 4)?;
    let mo = digits(5, 2)?;
    let d = digits(8, 2)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    if b.len() == 10 {
        return Some((Some(y), Some(mo), Some(d), None, None, None, None, None));
    }
    if !matches!(b.get(10), Some(b' ' | b'T' | b't')) || b.get(13) != Some(&b':') {
        return None;
    }
    let h = digits(11, 2)?;
    let mi = digits(14, 2)?;
    let (sec, rest) = if b.get(16) == Some(&b':') {
        (Some(digits(17, 2)?), 19)
    } else {
        (None, 16)
    };
    let off = match &s[rest..] {
        "" => None,
        "Z" => Some("Z".to_string()),
        tail => {
            let o = tail.strip_prefix(' ').unwrap_or(tail);
            let ob = o.as_bytes();
            let shape = ob.len() == 6
                && matches!(ob[0], b'+' | b'-')
                && ob[1].is_ascii_digit()
                && ob[2].is_ascii_digit()
                && ob[3] == b':'
                && ob[4].is_ascii_digit()
                && ob[5].is_ascii_digit();
            if !shape {
                return None;
            }
            Some(o.to_string())
        }
    };
    Some((
        Some(y),
        Some(mo),
        Some(d),
        Some(h),
        Some(mi),
        sec,
        None,
        off,
    ))
}

/// Read a date-time as written. Returns the civil date-time, whether only a date was
/// written, and the UTC offset in seconds when one was written.
pub fn parse_datetime(raw: &str) -> Result<(DateTime, bool, Option<i32>), DateError> {
    let s = raw.trim();
    let (y, mo, d, h, mi, sec, frac, off) = if let Some(f) = fixed_iso(s).or_else(|| iso(s)) {
        f
    } else if let Some(c) = french_re().captures(s) {
        (
            num(&c, "y"),
            num(&c, "mo"),
            num(&c, "d"),
            num(&c, "h"),
            num(&c, "mi"),
            None,
            None,
            None,
        )
    } else if let Some(c) = french_words_re().captures(s) {
        let mo = c.name("mo").and_then(|m| french_month(m.as_str()));
        if mo.is_none() {
            return Err(DateError::Format);
        }
        (
            num(&c, "y"),
            mo,
            num(&c, "d"),
            num(&c, "h"),
            num(&c, "mi"),
            None,
            None,
            None,
        )
    } else if let Ok(z) = jiff::fmt::rfc2822::parse(s) {
        return Ok((z.datetime(), false, Some(z.offset().seconds())));
    } else {
        return Err(DateError::Format);
    };
    let (Some(y), Some(mo), Some(d)) = (y, mo, d) else {
        return Err(DateError::Format);
    };
    let date = i16::try_from(y)
        .ok()
        .zip(i8::try_from(mo).ok())
        .zip(i8::try_from(d).ok())
        .and_then(|((y, mo), d)| Date::new(y, mo, d).ok())
        .ok_or_else(|| {
            DateError::Impossible(format!("{y:04}-{mo:02}-{d:02} is not a calendar date"))
        })?;
    let date_only = h.is_none();
    let time = match h {
        None => Time::midnight(),
        Some(h) => {
            let mi = mi.unwrap_or(0);
            let sec = sec.unwrap_or(0);
            let nanos = frac
                .map(|f| {
                    let padded = format!("{f:0<9}");
                    padded.parse::<i32>().unwrap_or(0)
                })
                .unwrap_or(0);
            i8::try_from(h)
                .ok()
                .zip(i8::try_from(mi).ok())
                .zip(i8::try_from(sec).ok())
                .and_then(|((h, mi), sec)| Time::new(h, mi, sec.min(59), nanos).ok())
                .ok_or_else(|| {
                    DateError::Impossible(format!("{h:02}:{mi:02} is not a time of day"))
                })?
        }
    };
    let offset = match off {
        None => None,
        Some(o) => Some(
            parse_offset(&o)
                .ok_or_else(|| DateError::Impossible(format!("{o} is not a UTC offset")))?,
        ),
    };
    Ok((date.to_datetime(time), date_only, offset))
}

/// Read a front matter value (already a string) into an [`FmDateTime`].
pub fn fm_datetime(raw: &str, line: u32) -> Result<FmDateTime, DateError> {
    let (datetime, date_only, offset_seconds) = parse_datetime(raw)?;
    Ok(FmDateTime {
        raw: raw.to_string(),
        line,
        datetime: Some(datetime),
        date_only,
        offset_seconds,
    })
}

/// The instant a front matter date-time stands for: its written offset, else Europe/Paris;
/// midnight Europe/Paris for a bare date.
pub fn instant(dt: &FmDateTime) -> Option<jiff::Timestamp> {
    let civil = dt.datetime?;
    if let Some(off) = dt.offset_seconds {
        let offset = jiff::tz::Offset::from_seconds(off).ok()?;
        return offset.to_timestamp(civil).ok();
    }
    let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC);
    tz.to_ambiguous_zoned(civil)
        .compatible()
        .ok()
        .map(|z| z.timestamp())
}

/// The date in a `2023-10-19-slug.md` file name, and the rest of the stem.
pub fn date_prefix(stem: &str) -> Option<(Date, &str)> {
    let b = stem.as_bytes();
    if b.len() < 10 {
        return None;
    }
    let shape = b[..10].iter().enumerate().all(|(i, c)| {
        if i == 4 || i == 7 {
            *c == b'-'
        } else {
            c.is_ascii_digit()
        }
    });
    if !shape {
        return None;
    }
    let date: Date = stem[..10].parse().ok()?;
    let rest = &stem[10..];
    let rest = rest.strip_prefix(['-', '_']).unwrap_or(rest);
    Some((date, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usual_shapes_skip_the_regex() {
        for s in [
            "2015-04-15 14:42:00 +02:00",
            "2023-11-20",
            "2022-11-21T14:00:00Z",
        ] {
            assert!(fixed_iso(s).is_some(), "{s}");
            assert_eq!(fixed_iso(s), iso(s), "{s}");
        }
    }

    proptest::proptest! {
        /// The fixed shapes read without the regex give what the regex gives.
        #[test]
        fn fixed_shapes_agree_with_the_regex(
            s in "[0-9]{4}-[0-9]{2}-[0-9]{2}([ Tt][0-9]{2}:[0-9]{2}(:[0-9]{2})?( ?(Z|[+-][0-9]{2}:[0-9]{2}))?)?",
            noise in "[-0-9 :+TZ.a]{0,3}",
            at in 0usize..30,
        ) {
            proptest::prop_assert!(iso(&s).is_some());
            if let Some(f) = fixed_iso(&s) {
                proptest::prop_assert_eq!(Some(f), iso(&s), "{:?}", s);
            }
            let mut t = s.clone();
            let at = at.min(t.len());
            t.insert_str(at, &noise);
            if let Some(f) = fixed_iso(&t) {
                proptest::prop_assert_eq!(Some(f), iso(&t), "{:?}", t);
            }
        }
    }

    fn dt(s: &str) -> DateTime {
        s.parse().unwrap()
    }

    #[test]
    fn reads_the_formats_editors_write() {
        let cases: &[(&str, &str, bool, Option<i32>)] = &[
            (
                "2023-11-20 17:43:00 +01:00",
                "2023-11-20T17:43:00",
                false,
                Some(3600),
            ),
            (
                "2022-11-21T14:00:00Z",
                "2022-11-21T14:00:00",
                false,
                Some(0),
            ),
            ("2023-11-20", "2023-11-20T00:00:00", true, None),
            ("2023-11-20 17:43", "2023-11-20T17:43:00", false, None),
            (
                "2023-11-20T17:43:00.5+0200",
                "2023-11-20T17:43:00.5",
                false,
                Some(7200),
            ),
            (
                "2019-06-13 09:30:00 -04:00",
                "2019-06-13T09:30:00",
                false,
                Some(-14400),
            ),
            (
                "0007-08-31 23:09:21 +00:09",
                "0007-08-31T23:09:21",
                false,
                Some(540),
            ),
            ("20/11/2023", "2023-11-20T00:00:00", true, None),
            (" 2023-1-5 ", "2023-01-05T00:00:00", true, None),
            (
                "Mon, 20 Nov 2023 17:43:00 +0100",
                "2023-11-20T17:43:00",
                false,
                Some(3600),
            ),
            ("20 novembre 2023", "2023-11-20T00:00:00", true, None),
            (
                "1er décembre 2023 à 14h30",
                "2023-12-01T14:30:00",
                false,
                None,
            ),
            ("Lundi 4 mars 2024 18h", "2024-03-04T18:00:00", false, None),
        ];
        for (raw, want, date_only, off) in cases {
            let got = parse_datetime(raw).unwrap_or_else(|e| panic!("{raw}: {e:?}"));
            assert_eq!(got, (dt(want), *date_only, *off), "{raw}");
        }
    }

    #[test]
    fn refuses_impossible_or_unknown_values() {
        for raw in [
            "2023-02-31",
            "2023-13-01",
            "2023-11-20 25:70",
            "2023-11-20 10:00 +99:00",
        ] {
            assert!(
                matches!(parse_datetime(raw), Err(DateError::Impossible(_))),
                "{raw}"
            );
        }
        assert!(matches!(
            parse_datetime("31 février 2024"),
            Err(DateError::Impossible(_))
        ));
        for raw in [
            "demain",
            "",
            "2023",
            "le 12 mars 2023",
            "2023-11-20 x",
            "12 machin 2023",
        ] {
            assert_eq!(parse_datetime(raw), Err(DateError::Format), "{raw}");
        }
    }

    #[test]
    fn instant_uses_written_offset_else_paris() {
        let a = fm_datetime("2023-11-20 17:43:00 +01:00", 3).unwrap();
        assert_eq!(instant(&a).unwrap().to_string(), "2023-11-20T16:43:00Z");
        let b = fm_datetime("2023-07-01", 3).unwrap();
        assert_eq!(instant(&b).unwrap().to_string(), "2023-06-30T22:00:00Z");
    }

    #[test]
    fn file_name_dates() {
        assert_eq!(
            date_prefix("2023-10-19-salon-des-maires"),
            Some((Date::constant(2023, 10, 19), "salon-des-maires"))
        );
        assert_eq!(date_prefix("2023-02-30-x"), None);
        assert_eq!(date_prefix("salon"), None);
    }
}
