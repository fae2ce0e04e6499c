//! Time expression parsers: "à 14h", "14 h 30", "09h30", "14:30", "9 heure 30",
//! "de 9h30 à 12h", "9h30 - 12h", "à partir de 14h", "10h / 13h", "midi".

use super::lexicon::day_part;
use super::normalize::{Kind, Tok};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub hour: u8,
    pub minute: u8,
}

impl Clock {
    pub fn is_valid(self) -> bool {
        self.hour <= 23 && self.minute <= 59 || (self.hour == 24 && self.minute == 0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeMention {
    pub start: Clock,
    pub end: Option<Clock>,
    /// "à partir de 14h", "dès 9h".
    pub from: bool,
    /// Token range [first, last).
    pub first: usize,
    pub last: usize,
    pub start_byte: usize,
    pub end_byte: usize,
}

impl TimeMention {
    pub fn is_valid(&self) -> bool {
        self.start.is_valid() && self.end.is_none_or(|e| e.is_valid())
    }
}

fn is_hour_word(x: &Tok) -> bool {
    x.kind == Kind::Word && matches!(x.norm.as_str(), "h" | "heure" | "heures" | "hrs" | "hr")
}

/// One clock time at token `i`.
pub fn clock_at(t: &[Tok], i: usize) -> Option<(Clock, usize)> {
    let x = t.get(i)?;
    if x.kind == Kind::Word {
        let h = day_part(&x.norm)?;
        return Some((Clock { hour: h, minute: 0 }, i + 1));
    }
    if x.kind != Kind::Num || x.digits() > 2 {
        return None;
    }
    let hour = x.value.min(99) as u8;
    let u = t.get(i + 1)?;
    if is_hour_word(u) {
        // "14h", "14 h 30", "9 heure 30", "14h00"
        if let Some(m) = t.get(i + 2) {
            if m.kind == Kind::Num && m.digits() == 2 && !m.line_break_before {
                return Some((
                    Clock {
                        hour,
                        minute: m.value.min(99) as u8,
                    },
                    i + 3,
                ));
            }
        }
        return Some((Clock { hour, minute: 0 }, i + 2));
    }
    if u.is_punct(':') && !u.space_before {
        let m = t.get(i + 2)?;
        if m.kind == Kind::Num && m.digits() == 2 && !m.space_before {
            let mut j = i + 3;
            // seconds "14:30:00"
            if t.get(j).is_some_and(|s| s.is_punct(':') && !s.space_before)
                && t.get(j + 1)
                    .is_some_and(|s| s.kind == Kind::Num && s.digits() == 2)
            {
                j += 2;
            }
            return Some((
                Clock {
                    hour,
                    minute: m.value.min(99) as u8,
                },
                j,
            ));
        }
    }
    None
}

fn range_sep(t: &[Tok], i: usize) -> Option<usize> {
    let x = t.get(i)?;
    if x.is_word("a") || x.is_word("et") || x.is_punct('-') || x.is_punct('/') || x.is_punct('>') {
        return Some(i + 1);
    }
    if x.is_word("jusqu")
        && t.get(i + 1).is_some_and(|a| a.is_punct('\''))
        && t.get(i + 2).is_some_and(|a| a.is_word("a"))
    {
        return Some(i + 3);
    }
    None
}

/// A bare hour that opens a range whose end says "h" ("de 17 à 19h", "14-17h", "entre 14
/// et 16 heures"): the start's hour, and the token after it.
fn bare_hour_before_range(t: &[Tok], j: usize) -> Option<(Clock, usize)> {
    let x = t.get(j)?;
    if x.kind != Kind::Num || x.digits() > 2 || x.value > 24 {
        return None;
    }
    let s = range_sep(t, j + 1)?;
    let (end, _) = clock_at(t, s)?;
    let spoken = t.get(s + 1).is_some_and(is_hour_word);
    (spoken && u32::from(end.hour) > x.value && end.hour <= 24).then_some((
        Clock {
            hour: x.value as u8,
            minute: 0,
        },
        j + 1,
    ))
}

/// A dash written between two numbers without spaces ("14-17h").
fn glued_dash(t: &[Tok], i: usize) -> bool {
    t.get(i).is_some_and(|d| d.is_punct('-') && !d.space_before)
        && t.get(i + 1).is_some_and(|n| !n.space_before)
}

/// A time expression at token `i` (a single time or a range).
pub fn time_at(t: &[Tok], i: usize) -> Option<TimeMention> {
    let mut j = i;
    let mut from = false;
    // "à partir de", "dès", "de", "entre", "à"
    let x = t.get(j)?;
    if x.is_word("a")
        && t.get(j + 1).is_some_and(|a| a.is_word("partir"))
        && t.get(j + 2)
            .is_some_and(|a| a.is_word("de") || a.is_word("d"))
    {
        from = true;
        j += 3;
        if t.get(j).is_some_and(|a| a.is_punct('\'')) {
            j += 1;
        }
    } else if x.is_word("des") {
        from = true;
        j += 1;
    } else if x.is_word("de") || x.is_word("entre") || x.is_word("a") || x.is_word("vers") {
        j += 1;
    }
    // "un créneau de 1h", "pendant 2h", "durée : 1h30": a length, not an hour
    let length_word = |k: usize| {
        t.get(k).is_some_and(|p| {
            matches!(
                p.norm.as_str(),
                "creneau" | "creneaux" | "duree" | "pendant" | "durant" | "seance" | "seances"
            )
        })
    };
    let after_length = (i > 0 && length_word(i - 1))
        || (i > 1 && (t[i - 1].is_word("de") || t[i - 1].is_punct(':')) && length_word(i - 2));
    if x.is_word("pendant") || x.is_word("durant") {
        return None;
    }
    let (start, mut k) = match clock_at(t, j) {
        Some(c) => c,
        // "de 17 à 19h", "entre 14 et 16h", "14-17h" (not "jeudi 16 à 18h15")
        None if x.is_word("de") || x.is_word("entre") || glued_dash(t, j + 1) => {
            bare_hour_before_range(t, j)?
        }
        None => return None,
    };
    // a bare word time ("midi") only after a preposition
    if t[j].kind == Kind::Word && j == i {
        return None;
    }
    let mut end = None;
    if let Some(s) = range_sep(t, k) {
        if let Some((e, k2)) = clock_at(t, s) {
            end = Some(e);
            k = k2;
        }
    }
    // a single value after a length word is a length; a range is still the hours
    if after_length && end.is_none() {
        return None;
    }
    Some(TimeMention {
        start,
        end,
        from: from && end.is_none(),
        first: i,
        last: k,
        start_byte: t[j].start,
        end_byte: t[k - 1].end,
    })
}

pub fn find_times(t: &[Tok]) -> Vec<TimeMention> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        match time_at(t, i) {
            Some(m) => {
                i = m.last;
                out.push(m);
            }
            None => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod length_tests {
    use super::super::normalize::{normalize, tokenize};
    use super::*;

    /// (hour, minute, end) of a time found.
    type Found = (u8, u8, Option<(u8, u8)>);

    /// A length is not an hour; a bare hour opening a range is one.
    #[test]
    fn lengths_and_bare_hours() {
        let table: &[(&str, &[Found])] = &[
            ("un créneau de 1h par famille", &[]),
            ("pendant 2h", &[]),
            ("durée : 1h30", &[]),
            ("de 17 à 19h", &[(17, 0, Some((19, 0)))]),
            ("atelier 14-17h", &[(14, 0, Some((17, 0)))]),
            ("jeudi 16 à 18h15", &[(18, 15, None)]),
            ("séance de 10h à 12h", &[(10, 0, Some((12, 0)))]),
        ];
        for (text, want) in table {
            let got: Vec<Found> = find_times(&tokenize(&normalize(text).text))
                .iter()
                .map(|m| {
                    (
                        m.start.hour,
                        m.start.minute,
                        m.end.map(|e| (e.hour, e.minute)),
                    )
                })
                .collect();
            assert_eq!(got, want.to_vec(), "{text}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::normalize::{normalize, tokenize};
    use super::*;

    type Hm = (u8, u8, Option<(u8, u8)>, bool);

    fn hm(s: &str) -> Vec<Hm> {
        find_times(&tokenize(&normalize(s).text))
            .into_iter()
            .map(|m| {
                (
                    m.start.hour,
                    m.start.minute,
                    m.end.map(|e| (e.hour, e.minute)),
                    m.from,
                )
            })
            .collect()
    }

    #[test]
    fn examples() {
        let table: &[(&str, &[Hm])] = &[
            ("à 14h", &[(14, 0, None, false)]),
            ("14 h 30", &[(14, 30, None, false)]),
            ("9 h 30", &[(9, 30, None, false)]),
            ("09h30", &[(9, 30, None, false)]),
            ("14:30", &[(14, 30, None, false)]),
            ("de 9h30 à 12h", &[(9, 30, Some((12, 0)), false)]),
            ("9h30 - 12h", &[(9, 30, Some((12, 0)), false)]),
            ("18h30-21h30", &[(18, 30, Some((21, 30)), false)]),
            ("à partir de 14h", &[(14, 0, None, true)]),
            ("10h / 13h", &[(10, 0, Some((13, 0)), false)]),
            ("9 heure 30", &[(9, 30, None, false)]),
            ("à 18H", &[(18, 0, None, false)]),
            ("de 10h à midi", &[(10, 0, Some((12, 0)), false)]),
            ("entre 14h et 16h", &[(14, 0, Some((16, 0)), false)]),
            ("le 3 mai 2023", &[]),
            ("25h70", &[(25, 70, None, false)]),
        ];
        for (s, want) in table {
            assert_eq!(&hm(s), want, "{s}");
        }
    }

    #[test]
    fn impossible_time_is_invalid() {
        let t = find_times(&tokenize("à 25h70"));
        assert!(!t[0].is_valid());
    }
}
