//! French wording of an event's days, hours and place, for feed titles and summaries.

use jiff::civil::{Date, Time, Weekday};

use crate::agenda::{Event, Status};

const MONTHS: [&str; 12] = [
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

fn weekday(d: Date) -> &'static str {
    match d.weekday() {
        Weekday::Monday => "lundi",
        Weekday::Tuesday => "mardi",
        Weekday::Wednesday => "mercredi",
        Weekday::Thursday => "jeudi",
        Weekday::Friday => "vendredi",
        Weekday::Saturday => "samedi",
        Weekday::Sunday => "dimanche",
    }
}

fn day(d: Date) -> String {
    if d.day() == 1 {
        "1er".to_string()
    } else {
        d.day().to_string()
    }
}

fn month(d: Date) -> &'static str {
    MONTHS[(d.month() as usize).saturating_sub(1) % 12]
}

/// "9 h", "9 h 30".
pub fn time(t: Time) -> String {
    if t.minute() == 0 {
        format!("{} h", t.hour())
    } else {
        format!("{} h {:02}", t.hour(), t.minute())
    }
}

/// "27 juin 2023", "du 21 au 23 novembre 2023", "du 30 novembre au 2 décembre 2023",
/// "du 30 décembre 2023 au 2 janvier 2024".
pub fn days(start: Date, end: Date) -> String {
    span(start, end, false)
}

/// A day or a range of days in words, the days of a range with their weekday or not; a
/// single day always has its weekday ("mardi 27 juin 2023").
fn span(start: Date, end: Date, weekdays: bool) -> String {
    let d = |x: Date| {
        if weekdays {
            format!("{} {}", weekday(x), day(x))
        } else {
            day(x)
        }
    };
    if end <= start {
        format!(
            "{} {} {} {}",
            weekday(start),
            day(start),
            month(start),
            start.year()
        )
    } else if start.year() != end.year() {
        format!(
            "du {} {} {} au {} {} {}",
            d(start),
            month(start),
            start.year(),
            d(end),
            month(end),
            end.year()
        )
    } else if start.month() != end.month() {
        format!(
            "du {} {} au {} {} {}",
            d(start),
            month(start),
            d(end),
            month(end),
            end.year()
        )
    } else {
        format!(
            "du {} au {} {} {}",
            d(start),
            d(end),
            month(end),
            end.year()
        )
    }
}

/// "de 9 h 30 à 18 h", "à 11 h", or "" when no time is known.
pub fn hours(start: Option<Time>, end: Option<Time>) -> String {
    match (start, end) {
        (Some(s), Some(e)) if e != s => format!("de {} à {}", time(s), time(e)),
        (Some(s), _) => format!("à {}", time(s)),
        _ => String::new(),
    }
}

/// "Paris Porte de Versailles, stand A40, 1 place de la Porte de Versailles", "en ligne", or "".
pub fn place(event: &Event) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(l) = event
        .location
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        parts.push(l.to_string());
    }
    if let Some(s) = event
        .stand
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        parts.push(format!("stand {s}"));
    }
    if let Some(a) = event
        .address
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        if !parts.iter().any(|p| p.contains(a)) {
            parts.push(a.to_string());
        }
    }
    if event.online && !parts.iter().any(|p| p.to_lowercase().contains("ligne")) {
        parts.push("en ligne".to_string());
    }
    parts.join(", ")
}

/// "mardi 27 juin 2023 de 11 h à 12 h 30, Webinaire 100% en ligne".
pub fn when_where(event: &Event) -> String {
    let mut s = days(event.start, event.end);
    let h = hours(event.start_time, event.end_time);
    if !h.is_empty() {
        if event.end > event.start {
            s.push_str(", ");
        } else {
            s.push(' ');
        }
        s.push_str(&h);
    }
    let p = place(event);
    if !p.is_empty() {
        s.push_str(", ");
        s.push_str(&p);
    }
    s
}

/// The prefix of a cancelled or postponed event's title ("Annulé : ", "Reporté : ").
pub fn status_prefix(status: Status) -> &'static str {
    match status {
        Status::Confirmed => "",
        Status::Cancelled => "Annulé : ",
        Status::Postponed => "Reporté : ",
    }
}

/// "le mardi 5 mars 2024", "du mardi 21 au jeudi 23 novembre 2023",
/// "du jeudi 30 novembre au samedi 2 décembre 2023",
/// "du samedi 30 décembre 2023 au mardi 2 janvier 2024": the days of the agenda page.
pub fn long_days(start: Date, end: Date) -> String {
    if end <= start {
        format!("le {}", span(start, end, true))
    } else {
        span(start, end, true)
    }
}

/// [`long_days`] and the hours: "le mardi 5 mars 2024, de 9 h 30 à 12 h".
pub fn long_when(event: &Event) -> String {
    let mut s = long_days(event.start, event.end);
    let h = hours(event.start_time, event.end_time);
    if !h.is_empty() {
        s.push_str(", ");
        s.push_str(&h);
    }
    s
}

/// "novembre 2023": the title of a month of the agenda page (lower case, as French writes it).
pub fn month_year(d: Date) -> String {
    format!("{} {}", month(d), d.year())
}

/// How people name the zone of an overseas place ("heure de Nouméa"); other zones by
/// their IANA name.
pub fn zone_name(tz: &str) -> String {
    let place = match tz {
        "America/Guadeloupe" => "la Guadeloupe",
        "America/Martinique" => "la Martinique",
        "America/Cayenne" => "la Guyane",
        "America/Miquelon" => "Saint-Pierre-et-Miquelon",
        "America/St_Barthelemy" => "Saint-Barthélemy",
        "America/Marigot" => "Saint-Martin",
        "Indian/Reunion" => "La Réunion",
        "Indian/Mayotte" => "Mayotte",
        "Indian/Kerguelen" => "Kerguelen",
        "Pacific/Noumea" => "Nouméa",
        "Pacific/Tahiti" => "Tahiti",
        "Pacific/Marquesas" => "Marquises",
        "Pacific/Gambier" => "Gambier",
        "Pacific/Wallis" => "Wallis-et-Futuna",
        "Europe/Paris" => "Paris",
        _ => return format!("fuseau {tz}"),
    };
    format!("heure de {place}")
}

/// The status of an event in words ("annulé", "reporté"); None when it takes place.
pub fn status_word(status: Status) -> Option<&'static str> {
    match status {
        Status::Confirmed => None,
        Status::Cancelled => Some("annulé"),
        Status::Postponed => Some("reporté"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time as t};

    #[test]
    fn one_day() {
        assert_eq!(
            days(date(2023, 6, 27), date(2023, 6, 27)),
            "mardi 27 juin 2023"
        );
        assert_eq!(
            days(date(2023, 6, 1), date(2023, 6, 1)),
            "jeudi 1er juin 2023"
        );
    }

    #[test]
    fn ranges() {
        assert_eq!(
            days(date(2023, 11, 21), date(2023, 11, 23)),
            "du 21 au 23 novembre 2023"
        );
        assert_eq!(
            days(date(2023, 11, 30), date(2023, 12, 2)),
            "du 30 novembre au 2 décembre 2023"
        );
        assert_eq!(
            days(date(2023, 12, 30), date(2024, 1, 2)),
            "du 30 décembre 2023 au 2 janvier 2024"
        );
    }

    #[test]
    fn hours_in_french() {
        assert_eq!(
            hours(Some(t(9, 30, 0, 0)), Some(t(18, 0, 0, 0))),
            "de 9 h 30 à 18 h"
        );
        assert_eq!(hours(Some(t(11, 0, 0, 0)), None), "à 11 h");
        assert_eq!(hours(None, None), "");
    }
    #[test]
    fn long_days_name_every_weekday() {
        assert_eq!(
            long_days(date(2024, 3, 5), date(2024, 3, 5)),
            "le mardi 5 mars 2024"
        );
        assert_eq!(
            long_days(date(2023, 11, 21), date(2023, 11, 23)),
            "du mardi 21 au jeudi 23 novembre 2023"
        );
        assert_eq!(
            long_days(date(2023, 11, 30), date(2023, 12, 2)),
            "du jeudi 30 novembre au samedi 2 décembre 2023"
        );
        assert_eq!(
            long_days(date(2023, 12, 30), date(2024, 1, 2)),
            "du samedi 30 décembre 2023 au mardi 2 janvier 2024"
        );
    }
}
