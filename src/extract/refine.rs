//! Refiners: resolve implicit years (the date nearest on or after publication, the
//! weekday picks the year when given), check weekdays, reject impossible dates.

use jiff::civil::{Date, Weekday};
use jiff::ToSpan;

use super::dates::{DateMention, DayRef, Hint, Relative, Shape};
use super::lexicon::weekday_name;

/// Concrete days of a date expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub shape: Shape,
    /// Range: [first, last]; List: every day, sorted; Single: one day.
    pub days: Vec<Date>,
    /// Every item had its year written.
    pub year_stated: bool,
}

impl Resolved {
    pub fn first(&self) -> Date {
        self.days[0]
    }
    pub fn last(&self) -> Date {
        self.days[self.days.len() - 1]
    }
}

fn make(y: i16, m: u8, d: u8) -> Option<Date> {
    Date::new(y, m as i8, d as i8).ok()
}

fn days_in(y: i16, m: u8) -> u8 {
    make(y, m, 1).map(|d| d.days_in_month() as u8).unwrap_or(31)
}

/// The date with this month and day nearest on or after `reference` (or before it with `Hint::Last`).
fn nearest(m: u8, d: u8, reference: Date, hint: Option<Hint>) -> Option<Date> {
    let y = reference.year();
    if hint == Some(Hint::Last) {
        for yy in [y, y - 1, y - 2, y - 3, y - 4] {
            if let Some(x) = make(yy, m, d) {
                if x <= reference {
                    return Some(x);
                }
            }
        }
        return None;
    }
    for yy in y..=y + 4 {
        if let Some(x) = make(yy, m, d) {
            if x >= reference {
                return Some(x);
            }
        }
    }
    None
}

fn describe(r: &DayRef) -> String {
    format!("{} {}", r.day, month_name(r.month.unwrap_or(0)))
}

pub fn month_name(m: u8) -> &'static str {
    const N: [&str; 13] = [
        "?",
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    N.get(m as usize).copied().unwrap_or("?")
}

/// Resolve a date mention against the publication date. Problems (impossible dates,
/// weekday against date) are pushed to `warnings`; an impossible date gives None.
pub fn resolve(m: &DateMention, published: Date, warnings: &mut Vec<String>) -> Option<Resolved> {
    if let Some(rel) = m.relative {
        let day = match rel {
            Relative::Today => published,
            Relative::InDays(n) => published.checked_add(i64::from(n).days()).ok()?,
            Relative::Weekday(w) => next_weekday(published, w),
            Relative::LastWeekday(w) => {
                let mut d = published.checked_sub(1.day()).ok()?;
                while d.weekday() != w {
                    d = d.checked_sub(1.day()).ok()?;
                }
                d
            }
        };
        return Some(Resolved {
            shape: Shape::Single,
            days: vec![day],
            year_stated: false,
        });
    }
    // "mercredi 16", no month anywhere: the month, from publication on, where the 16th
    // is a Wednesday
    let filled;
    let m = if m.items.iter().any(|r| r.month.is_none()) {
        filled = month_by_weekday(m, published)?;
        &filled
    } else {
        m
    };
    // Impossible days.
    for r in &m.items {
        let month = r.month?;
        let y = r.year.unwrap_or(2000); // a leap year: "29 février" stays possible
        if r.day == 0 || r.day > days_in(y, month) {
            warnings.push(format!("impossible date « {} »", describe(r)));
            return None;
        }
    }
    let anchor = m.items.last()?;
    let year_stated = m.items.iter().all(|r| r.year.is_some());
    let anchor_date = match anchor.year {
        Some(y) => make(y, anchor.month?, anchor.day)?,
        None => {
            let default = nearest(anchor.month?, anchor.day, published, m.hint)?;
            choose_year(m, default)
        }
    };
    let mut days = Vec::with_capacity(m.items.len());
    for r in &m.items {
        let month = r.month?;
        let d = match r.year {
            Some(y) => make(y, month, r.day),
            None => {
                let y = if (month, r.day) > (anchor.month?, anchor.day) {
                    anchor_date.year() - 1
                } else {
                    anchor_date.year()
                };
                make(y, month, r.day)
            }
        };
        let Some(d) = d else {
            warnings.push(format!("impossible date « {} »", describe(r)));
            return None;
        };
        if let Some(w) = r.weekday {
            if d.weekday() != w {
                warnings.push(format!(
                    "weekday against date: « {} {} » but {} is a {}",
                    weekday_name(w),
                    describe(r),
                    d,
                    weekday_name(d.weekday())
                ));
            }
        }
        days.push(d);
    }
    if m.shape == Shape::Range && days.len() == 2 && days[1] < days[0] {
        // "du 21 au 3 novembre": not a range we can read
        warnings.push("range ends before it starts".to_string());
        return None;
    }
    if m.shape == Shape::List {
        days.sort();
        days.dedup();
    }
    Some(Resolved {
        shape: m.shape,
        days,
        year_stated,
    })
}

/// The mention with the month of its first day set to the first month, from the
/// publication's on (at most three months later), in which its day number falls on its
/// weekday; None when no such month exists.
fn month_by_weekday(m: &DateMention, published: Date) -> Option<DateMention> {
    let first = m.items.first()?;
    let w = first.weekday?;
    let mut y = published.year();
    let mut mo = published.month() as u8;
    for _ in 0..4 {
        if let Some(d) = make(y, mo, first.day) {
            if d >= published && d.weekday() == w {
                let mut out = m.clone();
                for r in out.items.iter_mut().filter(|r| r.month.is_none()) {
                    r.month = Some(mo);
                    r.month_implied = true;
                }
                return Some(out);
            }
        }
        mo += 1;
        if mo > 12 {
            mo = 1;
            y += 1;
        }
    }
    None
}

fn next_weekday(from: Date, w: Weekday) -> Date {
    let mut d = from;
    for _ in 0..7 {
        if d.weekday() == w {
            return d;
        }
        match d.checked_add(1.day()) {
            Ok(n) => d = n,
            Err(_) => return from,
        }
    }
    d
}

/// When a weekday is written and the year is not, the weekday picks the year.
fn choose_year(m: &DateMention, default: Date) -> Date {
    let anchor_md = (default.month() as u8, default.day() as u8);
    let ok = |year: i16| -> bool {
        m.items.iter().all(|r| {
            let Some(w) = r.weekday else { return true };
            let Some(month) = r.month else { return true };
            let y = if r.year.is_some() {
                return true;
            } else if (month, r.day) > anchor_md {
                year - 1
            } else {
                year
            };
            make(y, month, r.day).is_some_and(|d| d.weekday() == w)
        })
    };
    if m.items.iter().all(|r| r.weekday.is_none()) || ok(default.year()) {
        return default;
    }
    for y in [default.year() + 1, default.year() - 1] {
        if ok(y) {
            if let Some(d) = make(y, anchor_md.0, anchor_md.1) {
                return d;
            }
        }
    }
    default
}

#[cfg(test)]
mod tests {
    use super::super::dates::find_dates;
    use super::super::normalize::{normalize, tokenize};
    use super::*;

    fn res(s: &str, pubd: Date) -> (Option<Vec<Date>>, Vec<String>) {
        let t = tokenize(&normalize(s).text);
        let m = find_dates(&t);
        let mut w = Vec::new();
        let r = m.first().and_then(|m| resolve(m, pubd, &mut w));
        (r.map(|r| r.days), w)
    }

    #[test]
    fn years_and_weekdays() {
        let p = jiff::civil::date(2023, 10, 27);
        let d = jiff::civil::date;
        assert_eq!(res("le 21 novembre", p).0, Some(vec![d(2023, 11, 21)]));
        assert_eq!(res("le 9 janvier", p).0, Some(vec![d(2024, 1, 9)]));
        assert_eq!(res("le 27 octobre", p).0, Some(vec![d(2023, 10, 27)]));
        assert_eq!(res("le 6 octobre dernier", p).0, Some(vec![d(2023, 10, 6)]));
        // 2 November 2024 is a Saturday
        assert_eq!(res("samedi 2 novembre", p).0, Some(vec![d(2024, 11, 2)]));
        assert_eq!(
            res("du 28 décembre au 3 janvier", p).0,
            Some(vec![d(2023, 12, 28), d(2024, 1, 3)])
        );
        let (r, w) = res("31 février", p);
        assert_eq!(r, None);
        assert_eq!(w.len(), 1);
        let (_, w) = res("mardi 23 novembre 2023", p);
        assert_eq!(w.len(), 1, "weekday mismatch is reported");
    }
}
