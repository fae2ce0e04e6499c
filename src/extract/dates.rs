//! Date expression parsers over tokens: single days, ranges, lists, numeric dates,
//! relative days. Years are left as written; `refine` resolves them.

use jiff::civil::Weekday;

use super::lexicon::{month, weekday};
use super::normalize::{Kind, Tok};

/// One day as written: day number, month and year when stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRef {
    pub day: u8,
    pub month: Option<u8>,
    pub year: Option<i16>,
    pub weekday: Option<Weekday>,
    /// The month was taken from a later item of the same expression.
    pub month_implied: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One day.
    Single,
    /// First and last day ("du 21 au 23 novembre").
    Range,
    /// Several days ("les 7, 8 et 9 septembre", "le 12, le 19 et le 26 mars").
    List,
}

/// Days said relative to the publication date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relative {
    /// "aujourd'hui", "ce jour".
    Today,
    /// "lundi prochain", "ce lundi" (without a day number).
    Weekday(Weekday),
    /// "lundi dernier".
    LastWeekday(Weekday),
    /// "demain" (1), "après-demain" (2).
    InDays(u8),
}

/// Direction hint written after a date: "le 15 mai prochain", "le 6 décembre dernier".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    Next,
    Last,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DateMention {
    pub shape: Shape,
    pub items: Vec<DayRef>,
    pub relative: Option<Relative>,
    pub hint: Option<Hint>,
    /// Token range [first, last).
    pub first: usize,
    pub last: usize,
    /// Byte span in the normalized text.
    pub start: usize,
    pub end: usize,
    /// The month came from a month heading or label: an entry of a dated list.
    pub listed: bool,
    /// The date opens a line and its happening's name follows a colon ("21 et 22 mars
    /// 2026 : stage de poterie"): an entry of a calendar.
    pub entry: bool,
}

/// The month a document's context gives to days written without one: a month heading
/// or list label ("**Février**", "Mars : jeudi 6 et jeudi 20", "en avril : le 9").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MonthContext {
    pub month: Option<u8>,
    pub year: Option<i16>,
    /// The month label opens the same text ("En avril : ... le 9, ... le 16"): a day after
    /// "le" takes it too.
    pub local: bool,
}

fn tok(t: &[Tok], i: usize) -> Option<&Tok> {
    t.get(i)
}

fn is_time_unit(t: &[Tok], i: usize) -> bool {
    match tok(t, i + 1) {
        Some(n) if n.kind == Kind::Word => {
            matches!(n.norm.as_str(), "h" | "heure" | "heures" | "hrs" | "hr")
        }
        Some(n) if n.is_punct(':') && !n.space_before => true,
        _ => false,
    }
}

/// A day number: 1 to 31 (out-of-range values up to 39 are kept so that
/// "31 février" or "35 mai" can be reported), "1er", or "premier".
fn day_number(t: &[Tok], i: usize) -> Option<u8> {
    let x = tok(t, i)?;
    match x.kind {
        Kind::Num if x.digits() <= 2 && (1..=39).contains(&x.value) && !is_time_unit(t, i) => {
            Some(x.value as u8)
        }
        Kind::Word if x.norm == "premier" => Some(1),
        _ => None,
    }
}

fn month_at(t: &[Tok], i: usize) -> Option<(u8, usize)> {
    let x = tok(t, i)?;
    if x.kind != Kind::Word {
        return None;
    }
    let m = month(&x.norm)?;
    let mut j = i + 1;
    // abbreviations: "sept.", "déc."
    if x.norm.len() <= 5 && tok(t, j).is_some_and(|p| p.is_punct('.') && !p.space_before) {
        j += 1;
    }
    Some((m, j))
}

fn year_at(t: &[Tok], i: usize) -> Option<i16> {
    let x = tok(t, i)?;
    if x.kind == Kind::Num && x.digits() == 4 && (1900..=2199).contains(&x.value) {
        // "2023" followed by a time unit is not a year.
        if is_time_unit(t, i) {
            return None;
        }
        Some(x.value as i16)
    } else {
        None
    }
}

/// Numeric date: "17/06/2021", "14/11/23", "21/11", "21.11.2023".
fn numeric_at(t: &[Tok], i: usize) -> Option<(DayRef, usize)> {
    let d = tok(t, i)?;
    let s1 = tok(t, i + 1)?;
    let m = tok(t, i + 2)?;
    if d.kind != Kind::Num || d.digits() > 2 || m.kind != Kind::Num || m.digits() > 2 {
        return None;
    }
    // the tail of a longer chain ("1/2/3/4")
    if i > 0 && !d.space_before && (t[i - 1].is_punct('/') || t[i - 1].is_punct('.')) {
        return None;
    }
    let sep = s1.norm.chars().next()?;
    if !(sep == '/' || sep == '.' || sep == '-') || s1.space_before || m.space_before {
        return None;
    }
    if !(1..=31).contains(&d.value) || !(1..=12).contains(&m.value) {
        return None;
    }
    // "4.5" style decimals need a year to count as a date.
    let mut j = i + 3;
    let mut year = None;
    if let (Some(s2), Some(y)) = (tok(t, j), tok(t, j + 1)) {
        if s2.is_punct(sep) && !s2.space_before && !y.space_before && y.kind == Kind::Num {
            year = match y.digits() {
                2 => Some(2000 + y.value as i16),
                4 if (1900..=2199).contains(&y.value) => Some(y.value as i16),
                _ => None,
            };
            if year.is_some() {
                j += 2;
            }
        }
    }
    // "14.02" or "14-02" alone may be a number; inside "du 03-11 au 07-11" it is a day
    let in_range = i > 0 && (t[i - 1].is_word("du") || t[i - 1].is_word("au")) && sep == '-';
    if (sep == '.' || sep == '-') && year.is_none() && !in_range {
        return None;
    }
    // "1/2/3/4" or a fraction followed by more digits is not a date.
    if tok(t, j).is_some_and(|n| (n.is_punct('/') || n.is_punct('.')) && !n.space_before)
        && tok(t, j + 1).is_some_and(|n| n.kind == Kind::Num && !n.space_before)
    {
        return None;
    }
    Some((
        DayRef {
            day: d.value as u8,
            month: Some(m.value as u8),
            year,
            weekday: None,
            month_implied: false,
        },
        j,
    ))
}

/// "lun.", "mar.", ... followed by a day number.
fn weekday_abbreviation(t: &[Tok], i: usize) -> Option<Weekday> {
    let x = tok(t, i)?;
    let dot = tok(t, i + 1)?;
    if x.kind != Kind::Word || !dot.is_punct('.') || dot.space_before {
        return None;
    }
    let w = match x.norm.as_str() {
        "lun" => Weekday::Monday,
        "mar" => Weekday::Tuesday,
        "mer" => Weekday::Wednesday,
        "jeu" => Weekday::Thursday,
        "ven" => Weekday::Friday,
        "sam" => Weekday::Saturday,
        "dim" => Weekday::Sunday,
        _ => return None,
    };
    day_number(t, i + 2).map(|_| w)
}

/// ISO date in the text: "2024-03-12".
fn iso_at(t: &[Tok], i: usize) -> Option<(DayRef, usize)> {
    let y = tok(t, i)?;
    let (s1, m, s2, d) = (
        tok(t, i + 1)?,
        tok(t, i + 2)?,
        tok(t, i + 3)?,
        tok(t, i + 4)?,
    );
    let glued = [s1, m, s2, d].iter().all(|x| !x.space_before);
    if y.kind != Kind::Num
        || y.digits() != 4
        || !(1900..=2199).contains(&y.value)
        || !s1.is_punct('-')
        || !s2.is_punct('-')
        || m.kind != Kind::Num
        || m.digits() != 2
        || d.kind != Kind::Num
        || d.digits() != 2
        || !glued
        || !(1..=12).contains(&m.value)
        || !(1..=31).contains(&d.value)
    {
        return None;
    }
    Some((
        DayRef {
            day: d.value as u8,
            month: Some(m.value as u8),
            year: Some(y.value as i16),
            weekday: None,
            month_implied: false,
        },
        i + 5,
    ))
}

/// One item: `[weekday] day [month [year]]` or a numeric date.
fn item_at(t: &[Tok], i: usize) -> Option<(DayRef, usize)> {
    let mut j = i;
    let wd = tok(t, j).and_then(|x| {
        if x.kind == Kind::Word {
            weekday(&x.norm)
        } else {
            None
        }
    });
    let mut wd = wd;
    if wd.is_some() {
        j += 1;
    } else if let Some(w) = weekday_abbreviation(t, j) {
        // "mar. 5 mars", "sam. 12/10"
        wd = Some(w);
        j += 2;
    }
    if let Some((mut r, k)) = iso_at(t, j) {
        r.weekday = wd;
        return Some((r, k));
    }
    if let Some((mut r, k)) = numeric_at(t, j) {
        r.weekday = wd;
        return Some((r, k));
    }
    let day = day_number(t, j)?;
    j += 1;
    let mut r = DayRef {
        day,
        month: None,
        year: None,
        weekday: wd,
        month_implied: false,
    };
    if let Some((m, k)) = month_at(t, j) {
        r.month = Some(m);
        j = k;
        if let Some(y) = year_at(t, j) {
            r.year = Some(y);
            j += 1;
        }
    }
    Some((r, j))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Conn {
    Range,
    List,
}

/// A connector between two items, with optional articles after it.
fn connector_at(t: &[Tok], i: usize) -> Option<(Conn, usize)> {
    let x = tok(t, i)?;
    let (c, mut j) = if x.is_word("au")
        || x.is_word("a")
        || x.is_punct('-')
        || x.is_punct('>')
        || x.is_punct('→')
    {
        (Conn::Range, i + 1)
    } else if x.is_word("jusqu")
        && tok(t, i + 1).is_some_and(|a| a.is_punct('\''))
        && tok(t, i + 2).is_some_and(|a| a.is_word("au"))
    {
        (Conn::Range, i + 3)
    } else if x.is_word("et") || x.is_word("ou") || x.is_punct('&') {
        // "le jeudi 11 juin ou le samedi 13 juin": either day is one of the event's
        (Conn::List, i + 1)
    } else if x.is_punct(',') {
        if tok(t, i + 1).is_some_and(|a| a.is_word("et")) {
            (Conn::List, i + 2)
        } else {
            (Conn::List, i + 1)
        }
    } else {
        return None;
    };
    if tok(t, j).is_some_and(|a| a.is_word("le") || a.is_word("les") || a.is_word("du")) {
        j += 1;
    }
    Some((c, j))
}

fn relative_at(t: &[Tok], i: usize) -> Option<(Relative, usize)> {
    let x = tok(t, i)?;
    if x.is_word("aujourd")
        && tok(t, i + 1).is_some_and(|a| a.is_punct('\''))
        && tok(t, i + 2).is_some_and(|a| a.is_word("hui"))
    {
        return Some((Relative::Today, i + 3));
    }
    // "demain", "après-demain"
    // not "le numérique de demain", "dès demain"
    let of_tomorrow = i > 0
        && tok(t, i - 1).is_some_and(|p| {
            p.is_word("de") || p.is_word("d") || p.is_word("des") || p.is_punct('\'')
        });
    if x.is_word("demain") && !of_tomorrow {
        let after = i > 1
            && tok(t, i - 1).is_some_and(|p| p.is_punct('-'))
            && tok(t, i - 2).is_some_and(|p| p.is_word("apres"));
        return Some((Relative::InDays(if after { 2 } else { 1 }), i + 1));
    }
    if x.is_word("ce") {
        let n = tok(t, i + 1)?;
        // "ce jour", "ce soir", "ce matin"
        if n.is_word("jour") || n.is_word("soir") || n.is_word("matin") {
            return Some((Relative::Today, i + 2));
        }
        if let Some(w) = weekday(&n.norm) {
            // "ce lundi 7 mars" is an ordinary date
            if day_number(t, i + 2).is_some() {
                return None;
            }
            return Some((Relative::Weekday(w), i + 2));
        }
    }
    if let Some(w) = (x.kind == Kind::Word).then(|| weekday(&x.norm)).flatten() {
        let n = tok(t, i + 1)?;
        if n.is_word("prochain") {
            return Some((Relative::Weekday(w), i + 2));
        }
        if n.is_word("dernier") {
            return Some((Relative::LastWeekday(w), i + 2));
        }
        // "RDV dimanche à 15h au stade", "Samedi, à 14h, ...": a weekday alone with its
        // hour is the coming one (not "le samedi à 10h", "tous les samedis")
        let habitual = i > 0
            && tok(t, i - 1).is_some_and(|p| {
                ["le", "les", "chaque", "tous", "du", "au", "un", "ce", "de"]
                    .iter()
                    .any(|w| p.is_word(w))
            });
        let k = i + 1 + usize::from(n.is_punct(','));
        let timed = (k..k + 2).any(|j| super::times::time_at(t, j).is_some())
            && day_number(t, i + 1).is_none();
        if timed && !habitual && x.kind == Kind::Word {
            return Some((Relative::Weekday(w), i + 1));
        }
    }
    None
}

/// Is a day without a month at token `i` a date by its position: after a weekday
/// ("mardi 5"), or opening a line and followed by a colon or a dash ("12 et 13 : ...")?
fn anchored(t: &[Tok], i: usize, items: &[DayRef], end: usize, local: bool) -> bool {
    if items.first().is_some_and(|r| r.weekday.is_some()) {
        return true;
    }
    // "En avril : atelier le 9, sortie le 16"
    if local && i > 0 && (t[i - 1].is_word("le") || t[i - 1].is_word("les")) {
        return true;
    }
    let opens = i == 0 || t[i].line_break_before || tok(t, i - 1).is_some_and(|p| p.is_punct(':'));
    let labels = tok(t, end).is_some_and(|n| n.is_punct(':') || n.is_punct('-') || n.is_punct('–'));
    opens && labels
}

/// Parse the date expression starting at token `i`, if any.
pub fn date_at(t: &[Tok], i: usize) -> Option<DateMention> {
    date_in(t, i, MonthContext::default())
}

/// [`date_at`], with the month the context gives to days written without one.
pub fn date_in(t: &[Tok], i: usize, ctx: MonthContext) -> Option<DateMention> {
    if let Some((rel, j)) = relative_at(t, i) {
        return Some(DateMention {
            shape: Shape::Single,
            items: Vec::new(),
            relative: Some(rel),
            hint: None,
            first: i,
            last: j,
            start: t[i].start,
            end: t[j - 1].end,
            listed: false,
            entry: false,
        });
    }
    let (first, mut j) = item_at(t, i)?;
    let mut items = vec![first];
    let mut ends = vec![j];
    let mut conn: Option<Conn> = None;
    // "du 5 décembre à 9h au 6 décembre à 17h": a time may sit before the range's end
    // or in brackets: "du vendredi 14 mars (18h) au dimanche 16 mars (17h)"
    let open = tok(t, j).is_some_and(|x| x.is_punct('('));
    if let Some(tm) = super::times::time_at(t, j + usize::from(open)) {
        let close = tm.last + usize::from(open);
        let closed = !open || tok(t, tm.last).is_some_and(|x| x.is_punct(')'));
        if let (Some((Conn::Range, k)), true) = (connector_at(t, close), closed) {
            if tm.end.is_none() && item_at(t, k).is_some_and(|(r, _)| r.month.is_some()) {
                j = close;
                let _ = k;
            }
        }
    }
    while let Some((c, k)) = connector_at(t, j) {
        if conn.is_some_and(|p| p != c) || (c == Conn::Range && items.len() > 1) {
            break;
        }
        let Some((r, k2)) = item_at(t, k) else { break };
        // A range ends at a day after its first day, unless the months differ.
        conn = Some(c);
        items.push(r);
        ends.push(k2);
        j = k2;
    }
    let mut listed = false;
    // Days without any month: the context's month when their place makes them dates;
    // after a weekday alone, `refine` finds the month the weekday agrees with.
    if items.iter().all(|r| r.month.is_none()) {
        let end = *ends.last()?;
        if !anchored(t, i, &items, end, ctx.local) {
            items.truncate(1);
            ends.truncate(1);
        }
        let weekday_only = items[0].weekday.is_some();
        listed = ctx.month.is_some();
        match ctx.month {
            Some(m) if anchored(t, i, &items, *ends.last()?, ctx.local) => {
                for r in items.iter_mut() {
                    r.month = Some(m);
                    r.month_implied = true;
                    r.year = ctx.year;
                }
            }
            _ if weekday_only && items.iter().all(|r| r.weekday.is_some()) => {}
            _ => return None,
        }
    }
    // Drop trailing items that have no month (and are not numeric).
    while items.len() > 1 && items.last().is_some_and(|r| r.month.is_none()) {
        items.pop();
        ends.pop();
    }
    let mut j = *ends.last()?;
    // Propagate months and years backwards.
    let mut next_month = None;
    let mut next_year = None;
    for r in items.iter_mut().rev() {
        match r.month {
            Some(m) => {
                if r.year.is_none() && next_year.is_some() && next_month.is_some_and(|n| m <= n) {
                    r.year = next_year;
                } else if r.year.is_none() {
                    if let (Some(y), Some(n)) = (next_year, next_month) {
                        // "du 28 décembre au 3 janvier 2024"
                        if m > n {
                            r.year = Some(y - 1);
                        }
                    }
                }
                next_month = Some(m);
                next_year = r.year.or(next_year);
            }
            None => {
                r.month = next_month;
                r.month_implied = true;
                r.year = next_year;
            }
        }
    }
    let shape = match (items.len(), conn) {
        (1, _) => Shape::Single,
        (2, Some(Conn::Range)) => Shape::Range,
        _ => Shape::List,
    };
    // "21 et 22 mars 2026 : stage de poterie": a date opening a line, then its
    // happening's name, is an entry of a calendar
    let opens = i == 0 || t[i].line_break_before;
    let entry = opens && tok(t, j).is_some_and(|n| n.is_punct(':') || n.is_punct('–'));
    let mut hint = None;
    if let Some(x) = tok(t, j) {
        if matches!(
            x.norm.as_str(),
            "prochain" | "prochaine" | "prochains" | "prochaines"
        ) {
            hint = Some(Hint::Next);
            j += 1;
        } else if matches!(
            x.norm.as_str(),
            "dernier" | "derniere" | "derniers" | "dernieres"
        ) {
            hint = Some(Hint::Last);
            j += 1;
        }
    }
    Some(DateMention {
        shape,
        items,
        relative: None,
        hint,
        first: i,
        last: j,
        start: t[i].start,
        end: t[j - 1].end,
        listed,
        entry,
    })
}

/// Every date expression of a token list, left to right, without overlaps.
pub fn find_dates(t: &[Tok]) -> Vec<DateMention> {
    find_dates_in(t, MonthContext::default())
}

/// [`find_dates`], with the month the context gives to days written without one. A month
/// label that opens the text ("Juillet : ...", "En avril, ...") gives its month to the rest.
pub fn find_dates_in(t: &[Tok], ctx: MonthContext) -> Vec<DateMention> {
    let mut ctx = ctx;
    if let Some(m) = month_label(t) {
        ctx = m;
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        match date_in(t, i, ctx) {
            Some(m) => {
                i = m.last.max(i + 1);
                out.push(m);
            }
            None => i += 1,
        }
    }
    out
}

/// A month label opening a text: "Juillet :", "Février 2022 -", "En avril :".
pub fn month_label(t: &[Tok]) -> Option<MonthContext> {
    let mut i = 0;
    if tok(t, 0).is_some_and(|x| x.is_word("en")) {
        i = 1;
    }
    let (m, mut j) = month_at(t, i)?;
    let mut year = None;
    if let Some(y) = year_at(t, j) {
        year = Some(y);
        j += 1;
    }
    let sep = tok(t, j)?;
    // "Février" on its own line above the days
    let own_line = sep.line_break_before && i == 0;
    (own_line || sep.is_punct(':') || sep.is_punct('-') || sep.is_punct('–') || sep.is_punct(','))
        .then_some(MonthContext {
            month: Some(m),
            year,
            local: true,
        })
}

/// A text that is only a month, maybe with its year ("Février", "**Mars 2024**"):
/// a heading for the days listed under it.
pub fn month_heading(t: &[Tok]) -> Option<MonthContext> {
    let (m, mut j) = month_at(t, 0)?;
    let mut year = None;
    if let Some(y) = year_at(t, j) {
        year = Some(y);
        j += 1;
    }
    if tok(t, j).is_some_and(|x| x.is_punct(':')) {
        j += 1;
    }
    (j == t.len()).then_some(MonthContext {
        month: Some(m),
        year,
        local: false,
    })
}

#[cfg(test)]
mod tests {
    use super::super::normalize::{normalize, tokenize};
    use super::*;

    fn parse(s: &str) -> Vec<DateMention> {
        find_dates(&tokenize(&normalize(s).text))
    }

    type Day = (u8, Option<u8>, Option<i16>);

    fn days_in(s: &str, month: Option<u8>) -> Vec<Day> {
        let ctx = MonthContext {
            month,
            year: None,
            local: false,
        };
        find_dates_in(&tokenize(&normalize(s).text), ctx)
            .into_iter()
            .flat_map(|m| m.items)
            .map(|r| (r.day, r.month, r.year))
            .collect()
    }

    /// Days written without their month take it from a month label or heading when their
    /// place makes them dates; a bare number elsewhere stays a number.
    #[test]
    fn days_under_a_month_label() {
        let table: &[(&str, Option<u8>, &[Day])] = &[
            (
                "Mars : jeudi 6 et jeudi 20",
                None,
                &[(6, Some(3), None), (20, Some(3), None)],
            ),
            (
                "Février 2026 : 12 et 13 : tournoi",
                None,
                &[(12, Some(2), Some(2026)), (13, Some(2), Some(2026))],
            ),
            (
                "12 et 13 : Tournoi de printemps",
                Some(2),
                &[(12, Some(2), None), (13, Some(2), None)],
            ),
            (
                "Samedi 29 - Loto du comité à 14h",
                Some(1),
                &[(29, Some(1), None)],
            ),
            (
                "5 et 6 : Coupe régionale (Quimperlé)",
                Some(3),
                &[(5, Some(3), None), (6, Some(3), None)],
            ),
            // weekday alone: refine finds the month
            (
                "Premier atelier mercredi 16 à 18h15.",
                None,
                &[(16, None, None)],
            ),
            // not dates
            ("Il reste 12 places et 13 inscrits.", Some(2), &[]),
            ("les 3 équipes", Some(2), &[]),
            ("Saison 2 : 12 ateliers", None, &[]),
            // a label opening the text serves the days after "le"
            (
                "En avril : atelier vélo le 9, sortie le 16.",
                None,
                &[(9, Some(4), None), (16, Some(4), None)],
            ),
            ("Il reste le 9 de pique.", Some(4), &[]),
        ];
        for (text, month, want) in table {
            assert_eq!(days_in(text, *month), want.to_vec(), "{text}");
        }
    }

    fn days(s: &str) -> Vec<Day> {
        parse(s)
            .into_iter()
            .flat_map(|m| m.items)
            .map(|r| (r.day, r.month, r.year))
            .collect()
    }

    #[test]
    fn examples() {
        let table: &[(&str, &[Day])] = &[
            ("le 9 novembre 2023", &[(9, Some(11), Some(2023))]),
            ("le 1er juin", &[(1, Some(6), None)]),
            ("le 1 er juin", &[(1, Some(6), None)]),
            ("la 1re mars", &[(1, Some(3), None)]),
            ("le mardi 5 mars", &[(5, Some(3), None)]),
            (
                "du 21 au 23 novembre",
                &[(21, Some(11), None), (23, Some(11), None)],
            ),
            (
                "du 30 novembre au 2 décembre 2023",
                &[(30, Some(11), Some(2023)), (2, Some(12), Some(2023))],
            ),
            (
                "11 avril – 10 mai 2019",
                &[(11, Some(4), Some(2019)), (10, Some(5), Some(2019))],
            ),
            (
                "les 7, 8 et 9 septembre",
                &[(7, Some(9), None), (8, Some(9), None), (9, Some(9), None)],
            ),
            (
                "les 31 mars et 1er avril",
                &[(31, Some(3), None), (1, Some(4), None)],
            ),
            (
                "le 12, le 19 et le 26 mars",
                &[
                    (12, Some(3), None),
                    (19, Some(3), None),
                    (26, Some(3), None),
                ],
            ),
            ("le 17/06/2021", &[(17, Some(6), Some(2021))]),
            ("Le 14/11/23", &[(14, Some(11), Some(2023))]),
            (
                "du 21/11 au 24/11",
                &[(21, Some(11), None), (24, Some(11), None)],
            ),
            ("le mardi 21/11", &[(21, Some(11), None)]),
            (
                "du 28 décembre au 3 janvier 2024",
                &[(28, Some(12), Some(2023)), (3, Some(1), Some(2024))],
            ),
            ("le 21 novembre à 14h", &[(21, Some(11), None)]),
            ("à 14h30 le 3 mai", &[(3, Some(5), None)]),
            ("le 7 sept. 2021", &[(7, Some(9), Some(2021))]),
            ("31 février", &[(31, Some(2), None)]),
            ("le 3 avril, 12 projets", &[(3, Some(4), None)]),
            ("en 2021, 35 projets", &[]),
            ("version 4.1", &[]),
            ("1/2/3/4", &[]),
        ];
        for (s, want) in table {
            assert_eq!(&days(s), want, "{s}");
        }
    }

    #[test]
    fn shapes_and_hints() {
        assert_eq!(parse("du 21 au 23 novembre")[0].shape, Shape::Range);
        assert_eq!(parse("les 7, 8 et 9 septembre")[0].shape, Shape::List);
        assert_eq!(parse("le 15 mai prochain")[0].hint, Some(Hint::Next));
        assert_eq!(parse("le 6 décembre dernier")[0].hint, Some(Hint::Last));
        assert_eq!(
            parse("mardi prochain")[0].relative,
            Some(Relative::Weekday(Weekday::Tuesday))
        );
        assert_eq!(parse("aujourd'hui")[0].relative, Some(Relative::Today));
        assert_eq!(
            parse("ce lundi 7 mars")[0].items[0].weekday,
            Some(Weekday::Monday)
        );
    }
}
