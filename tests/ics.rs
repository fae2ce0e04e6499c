//! iCalendar output: what calendar clients read from `agenda.ics` and
//! `events/<uid>.ics`, parsed back with the `icalendar` crate's parser.

use agenda::agenda::{Entry, Event, Origin, Source, Status};
use agenda::publish::ics::{self, CalendarMeta};
use agenda::publish::ics_text;
use icalendar::parser::{read_calendar, unfold};
use icalendar::{Component, EventLike};
use jiff::civil::{date, time, Date, Time};
use jiff::SignedDuration;
use proptest::prelude::*;

fn meta() -> CalendarMeta {
    CalendarMeta {
        name: "Agenda de la DINUM".into(),
        description: "Salons, forums et conférences où nous rencontrer".into(),
        prodid: "-//DINUM//agenda//FR".into(),
        refresh: SignedDuration::from_hours(6),
        default_tz: "Europe/Paris".into(),
        domain: "agenda.example.org".into(),
    }
}

fn entry(uid: &str, title: &str, start: Date, end: Date) -> Entry {
    Entry {
        uid: uid.into(),
        url: format!("https://www.example.org/agenda/{uid}/"),
        event: Event {
            title: title.into(),
            start,
            end,
            start_time: None,
            end_time: None,
            tz: "Europe/Paris".into(),
            location: None,
            address: None,
            stand: None,
            online: false,
            status: Status::Confirmed,
            description: None,
            origin: Origin::FrontMatter,
            evidence: Vec::new(),
            confidence: 1.0,
        },
        sources: vec![source(
            &format!("evenements/{uid}.md"),
            &format!("https://www.example.org/agenda/{uid}/"),
        )],
        tags: Vec::new(),
        modified: "2026-10-02T08:30:00Z".parse().expect("valid timestamp"),
        summary: None,
        sequence: 0,
    }
}

fn source(doc: &str, url: &str) -> Source {
    Source {
        doc: doc.into(),
        url: url.into(),
        published: "2026-10-01T07:00:00Z".parse().expect("valid timestamp"),
    }
}

fn timed(mut e: Entry, start: Time, end: Option<Time>) -> Entry {
    e.event.start_time = Some(start);
    e.event.end_time = end;
    e
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// The unfolded content lines of a file.
fn lines(ics: &str) -> Vec<String> {
    unfold(ics).split("\r\n").map(str::to_string).collect()
}

/// Parses with the `icalendar` crate and returns its events.
fn events(ics: &str) -> Vec<icalendar::Event> {
    let unfolded = unfold(ics);
    let parsed = read_calendar(&unfolded).expect("icalendar parses the output");
    let cal: icalendar::Calendar = parsed.into();
    cal.events().cloned().collect()
}

fn one(ics: &str) -> icalendar::Event {
    let mut evs = events(ics);
    assert_eq!(evs.len(), 1, "{ics}");
    evs.remove(0)
}

fn prop(ev: &icalendar::Event, key: &str) -> String {
    ev.properties()
        .get(key)
        .map(|p| p.value().to_string())
        .unwrap_or_default()
}

fn has_line(ics: &str, line: &str) -> bool {
    lines(ics).iter().any(|l| l == line)
}

fn assert_bytes_are_valid_ics(ics: &str) {
    assert!(!ics.starts_with('\u{feff}'), "no byte order mark");
    assert!(ics.ends_with("\r\n"), "last line ends in CRLF");
    for (i, line) in ics.split("\r\n").enumerate() {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line end on line {i}: {line:?}"
        );
        assert!(
            line.len() <= 75,
            "line {i} has {} octets: {line:?}",
            line.len()
        );
        assert!(
            !line.chars().any(|c| c.is_control()),
            "control character on line {i}: {line:?}"
        );
    }
}

#[test]
fn calendar_properties_are_ours_only() {
    let e = entry("salon", "Salon", date(2026, 11, 21), date(2026, 11, 21));
    let ics = text(&ics::calendar(&[&e], &meta()));
    assert_bytes_are_valid_ics(&ics);
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//DINUM//agenda//FR\r\n"));
    assert_eq!(
        ics.matches("PRODID").count(),
        1,
        "the crate's PRODID is gone"
    );
    for line in [
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "NAME:Agenda de la DINUM",
        "X-WR-CALNAME:Agenda de la DINUM",
        "X-WR-CALDESC:Salons\\, forums et conférences où nous rencontrer",
        "X-WR-TIMEZONE:Europe/Paris",
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
        "X-PUBLISHED-TTL:PT6H",
    ] {
        assert!(has_line(&ics, line), "missing {line}\n{ics}");
    }
    assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
}

#[test]
fn refresh_interval_is_a_valid_duration() {
    let mut m = meta();
    m.refresh = SignedDuration::from_secs(90 * 60) + SignedDuration::from_millis(500);
    let ics = text(&ics::calendar(&[], &m));
    assert!(
        has_line(&ics, "REFRESH-INTERVAL;VALUE=DURATION:PT1H30M"),
        "{ics}"
    );
    assert!(has_line(&ics, "X-PUBLISHED-TTL:PT1H30M"), "{ics}");
    m.refresh = SignedDuration::ZERO;
    let ics = text(&ics::calendar(&[], &m));
    assert!(has_line(&ics, "X-PUBLISHED-TTL:PT6H"), "{ics}");
}

#[test]
fn calendar_name_with_commas_is_escaped_once() {
    let mut m = meta();
    m.name = "Agenda, salons; forums".into();
    let ics = text(&ics::calendar(&[], &m));
    assert!(has_line(&ics, "NAME:Agenda\\, salons\\; forums"), "{ics}");
    assert!(
        has_line(&ics, "X-WR-CALNAME:Agenda\\, salons\\; forums"),
        "{ics}"
    );
}

#[test]
fn all_day_one_day_has_exclusive_end() {
    let e = entry("journee", "Journée", date(2026, 3, 13), date(2026, 3, 13));
    let ics = text(&ics::single(&e, &meta()));
    assert!(has_line(&ics, "DTSTART;VALUE=DATE:20260313"), "{ics}");
    assert!(has_line(&ics, "DTEND;VALUE=DATE:20260314"), "{ics}");
    assert!(!ics.contains("TZID"), "no zone for dates");
    assert!(!ics.contains("VTIMEZONE"));
}

#[test]
fn all_day_several_days_ends_the_day_after_the_last() {
    let e = entry(
        "salon",
        "Salon des maires",
        date(2026, 11, 21),
        date(2026, 11, 23),
    );
    let ics = text(&ics::single(&e, &meta()));
    assert!(has_line(&ics, "DTSTART;VALUE=DATE:20261121"), "{ics}");
    assert!(has_line(&ics, "DTEND;VALUE=DATE:20261124"), "{ics}");
    assert!(!ics.contains("RRULE"));
    // The end of a month and of a year.
    let e = entry(
        "reveillon",
        "Réveillon",
        date(2026, 12, 30),
        date(2026, 12, 31),
    );
    let ics = text(&ics::single(&e, &meta()));
    assert!(has_line(&ics, "DTEND;VALUE=DATE:20270101"), "{ics}");
}

#[test]
fn event_identity_and_dates_come_from_the_content() {
    let mut e = entry(
        "salon-2026",
        "Salon",
        date(2026, 11, 21),
        date(2026, 11, 21),
    );
    e.sequence = 3;
    let ev = one(&text(&ics::single(&e, &meta())));
    assert_eq!(ev.get_uid(), Some("salon-2026@agenda.example.org"));
    assert_eq!(prop(&ev, "DTSTAMP"), "20261002T083000Z");
    assert_eq!(prop(&ev, "LAST-MODIFIED"), "20261002T083000Z");
    assert_eq!(ev.get_sequence(), Some(3));
    assert_eq!(
        ev.get_url(),
        Some("https://www.example.org/agenda/salon-2026/")
    );
    assert_eq!(prop(&ev, "STATUS"), "CONFIRMED");
    // A uid that already names its domain is kept as it is.
    e.uid = "salon-2026@numerique.gouv.fr".into();
    let ev = one(&text(&ics::single(&e, &meta())));
    assert_eq!(ev.get_uid(), Some("salon-2026@numerique.gouv.fr"));
}

#[test]
fn timed_event_has_tzid_and_its_vtimezone() {
    let e = timed(
        entry("conf", "Conférence", date(2026, 3, 13), date(2026, 3, 13)),
        time(14, 30, 0, 0),
        Some(time(16, 0, 0, 0)),
    );
    let ics = text(&ics::single(&e, &meta()));
    assert!(
        has_line(&ics, "DTSTART;TZID=Europe/Paris:20260313T143000"),
        "{ics}"
    );
    assert!(
        has_line(&ics, "DTEND;TZID=Europe/Paris:20260313T160000"),
        "{ics}"
    );
    assert!(has_line(&ics, "TZID:Europe/Paris"), "{ics}");
    assert!(
        ics.contains("BEGIN:STANDARD") && ics.contains("BEGIN:DAYLIGHT"),
        "{ics}"
    );
    assert!(
        has_line(&ics, "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"),
        "{ics}"
    );
    assert!(
        has_line(&ics, "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"),
        "{ics}"
    );
    // The VTIMEZONE comes before the events that use it.
    assert!(ics.find("BEGIN:VTIMEZONE") < ics.find("BEGIN:VEVENT"));
}

#[test]
fn timed_event_without_end_lasts_one_hour() {
    let e = timed(
        entry(
            "point",
            "Point presse",
            date(2026, 3, 13),
            date(2026, 3, 13),
        ),
        time(9, 30, 0, 0),
        None,
    );
    let ics = text(&ics::single(&e, &meta()));
    assert!(
        has_line(&ics, "DTSTART;TZID=Europe/Paris:20260313T093000"),
        "{ics}"
    );
    assert!(
        has_line(&ics, "DTEND;TZID=Europe/Paris:20260313T103000"),
        "{ics}"
    );
}

#[test]
fn timed_event_ending_after_midnight_ends_the_next_day() {
    let e = timed(
        entry("nuit", "Nuit du code", date(2026, 3, 13), date(2026, 3, 13)),
        time(20, 0, 0, 0),
        Some(time(2, 0, 0, 0)),
    );
    let ics = text(&ics::single(&e, &meta()));
    assert!(
        has_line(&ics, "DTEND;TZID=Europe/Paris:20260314T020000"),
        "{ics}"
    );
}

#[test]
fn timed_event_in_the_spring_gap_still_ends_after_it_starts() {
    // 02:30 does not exist in Paris on 29 March 2026.
    let e = timed(
        entry(
            "gap",
            "Au changement d'heure",
            date(2026, 3, 29),
            date(2026, 3, 29),
        ),
        time(2, 30, 0, 0),
        None,
    );
    let ics = text(&ics::single(&e, &meta()));
    // Written as the time that exists, which every client reads the same way.
    assert!(
        has_line(&ics, "DTSTART;TZID=Europe/Paris:20260329T033000"),
        "{ics}"
    );
    assert!(
        has_line(&ics, "DTEND;TZID=Europe/Paris:20260329T043000"),
        "{ics}"
    );
}

#[test]
fn several_days_with_daily_hours_is_a_daily_recurrence() {
    let e = timed(
        entry(
            "salon",
            "Salon des maires",
            date(2026, 11, 21),
            date(2026, 11, 23),
        ),
        time(9, 0, 0, 0),
        Some(time(19, 0, 0, 0)),
    );
    let ics = text(&ics::single(&e, &meta()));
    assert!(
        has_line(&ics, "DTSTART;TZID=Europe/Paris:20261121T090000"),
        "{ics}"
    );
    assert!(
        has_line(&ics, "DTEND;TZID=Europe/Paris:20261121T190000"),
        "{ics}"
    );
    assert!(has_line(&ics, "RRULE:FREQ=DAILY;COUNT=3"), "{ics}");
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
}

#[test]
fn overseas_zone_gets_a_single_standard_block() {
    let mut e = timed(
        entry(
            "pointe",
            "Forum à Pointe-à-Pitre",
            date(2026, 5, 6),
            date(2026, 5, 6),
        ),
        time(10, 0, 0, 0),
        Some(time(12, 0, 0, 0)),
    );
    e.event.tz = "America/Guadeloupe".into();
    let paris = timed(
        entry("paris", "Forum à Paris", date(2026, 5, 6), date(2026, 5, 6)),
        time(10, 0, 0, 0),
        None,
    );
    let ics = text(&ics::calendar(&[&e, &paris], &meta()));
    assert!(
        has_line(&ics, "DTSTART;TZID=America/Guadeloupe:20260506T100000"),
        "{ics}"
    );
    assert_eq!(ics.matches("BEGIN:VTIMEZONE").count(), 2);
    let guadeloupe = &ics[ics.find("TZID:America/Guadeloupe").expect("zone")..];
    let guadeloupe = &guadeloupe[..guadeloupe.find("END:VTIMEZONE").expect("end")];
    assert_eq!(
        guadeloupe.matches("BEGIN:STANDARD").count(),
        1,
        "{guadeloupe}"
    );
    assert!(!guadeloupe.contains("DAYLIGHT"));
    assert!(guadeloupe.contains("TZOFFSETFROM:-0400\r\nTZOFFSETTO:-0400\r\n"));
}

#[test]
fn every_tzid_has_its_vtimezone() {
    let zones = [
        "Indian/Reunion",
        "Pacific/Noumea",
        "America/Cayenne",
        "Europe/Paris",
    ];
    let entries: Vec<Entry> = zones
        .iter()
        .enumerate()
        .map(|(i, tz)| {
            let mut e = timed(
                entry(
                    &format!("e{i}"),
                    "Réunion",
                    date(2026, 6, 1),
                    date(2026, 6, 2),
                ),
                time(9, 0, 0, 0),
                Some(time(17, 0, 0, 0)),
            );
            e.event.tz = (*tz).into();
            e
        })
        .collect();
    let refs: Vec<&Entry> = entries.iter().collect();
    let ics = text(&ics::calendar(&refs, &meta()));
    for tz in zones {
        assert!(has_line(&ics, &format!("TZID:{tz}")), "{tz}");
        assert!(ics.contains(&format!("DTSTART;TZID={tz}:")), "{tz}");
    }
}

#[test]
fn unknown_zone_falls_back_to_the_calendar_zone() {
    let mut e = timed(
        entry("x", "Réunion", date(2026, 6, 1), date(2026, 6, 1)),
        time(9, 0, 0, 0),
        None,
    );
    e.event.tz = "Atlantis/Capital".into();
    let ics = text(&ics::single(&e, &meta()));
    assert!(
        has_line(&ics, "DTSTART;TZID=Europe/Paris:20260601T090000"),
        "{ics}"
    );
    assert!(has_line(&ics, "TZID:Europe/Paris"), "{ics}");
}

#[test]
fn cancelled_and_postponed_events() {
    let mut cancelled = entry("a", "Forum", date(2026, 6, 1), date(2026, 6, 1));
    cancelled.event.status = Status::Cancelled;
    let ev = one(&text(&ics::single(&cancelled, &meta())));
    assert_eq!(prop(&ev, "STATUS"), "CANCELLED");
    assert_eq!(ev.get_summary(), Some("Annulé : Forum"));

    let mut postponed = entry("b", "Forum", date(2026, 6, 1), date(2026, 6, 1));
    postponed.event.status = Status::Postponed;
    let ev = one(&text(&ics::single(&postponed, &meta())));
    assert_eq!(prop(&ev, "STATUS"), "CANCELLED");
    assert_eq!(ev.get_summary(), Some("Reporté : Forum"));
}

#[test]
fn status_prefix_is_not_doubled() {
    let mut e = entry("a", "ANNULÉ - Forum", date(2026, 6, 1), date(2026, 6, 1));
    e.event.status = Status::Cancelled;
    let ev = one(&text(&ics::single(&e, &meta())));
    assert_eq!(ev.get_summary(), Some("ANNULÉ - Forum"));
}

#[test]
fn subscriptions_leave_time_free_and_single_events_do_not() {
    let e = entry("a", "Forum", date(2026, 6, 1), date(2026, 6, 1));
    let subscription = text(&ics::calendar(&[&e], &meta()));
    assert!(has_line(&subscription, "TRANSP:TRANSPARENT"));
    let single = text(&ics::single(&e, &meta()));
    assert!(!single.contains("TRANSP"));
}

#[test]
fn description_location_and_categories() {
    let mut e = entry(
        "salon",
        "Salon des maires",
        date(2026, 11, 21),
        date(2026, 11, 23),
    );
    e.summary = Some("La DINUM sera présente au salon.".into());
    e.event.description = Some("Table ronde le 22 à 14h.".into());
    e.event.location = Some("Paris Expo Porte de Versailles".into());
    e.event.stand = Some("A40".into());
    e.event.address = Some("1 place de la Porte de Versailles, 75015 Paris".into());
    e.sources.push(source(
        "communiques/salon.md",
        "https://www.example.org/espace-presse/salon/",
    ));
    e.tags = vec![
        "collectivités".into(),
        "salon, forum".into(),
        "collectivités".into(),
    ];
    let ev = one(&text(&ics::single(&e, &meta())));
    assert_eq!(
        ev.get_description(),
        Some(
            "La DINUM sera présente au salon.\n\nTable ronde le 22 à 14h.\n\nSources :\n\
             https://www.example.org/agenda/salon/\n\
             https://www.example.org/espace-presse/salon/"
        )
    );
    assert_eq!(
        ev.get_location(),
        Some("Paris Expo Porte de Versailles, stand A40, 1 place de la Porte de Versailles, 75015 Paris")
    );
    assert_eq!(
        ev.get_categories(),
        Some(vec![
            "collectivités".to_string(),
            "salon, forum".to_string()
        ])
    );

    let mut online = entry("webinaire", "Webinaire", date(2026, 6, 1), date(2026, 6, 1));
    online.event.online = true;
    let ev = one(&text(&ics::single(&online, &meta())));
    assert_eq!(ev.get_location(), Some("En ligne"));
    assert_eq!(
        ev.get_description(),
        Some("Source : https://www.example.org/agenda/webinaire/")
    );
}

const HOSTILE: &str = "Salon; « rencontres », C:\\dossier\\fichier\nEND:VEVENT\r\nATTENDEE:mailto:x@example.org\rBEGIN:VEVENT\u{0}\u{7}\u{1b}[0m\t]]> <b>&amp;</b> \\, \\; \\n fin";

#[test]
fn hostile_text_stays_inside_its_property() {
    let mut e = entry("hostile", HOSTILE, date(2026, 6, 1), date(2026, 6, 1));
    e.event.description = Some(HOSTILE.into());
    e.event.location = Some(HOSTILE.into());
    e.summary = Some(format!(
        "{} {}",
        "Émission très longue à écouter sur les ondes ".repeat(6),
        "é"
    ));
    e.tags = vec![HOSTILE.into(), "a,b;c\\d".into()];
    let ics = text(&ics::single(&e, &meta()));
    assert_bytes_are_valid_ics(&ics);
    let all = lines(&ics);
    assert_eq!(all.iter().filter(|l| *l == "BEGIN:VEVENT").count(), 1);
    assert_eq!(all.iter().filter(|l| *l == "END:VEVENT").count(), 1);
    assert!(
        !lines(&ics).iter().any(|l| l.starts_with("ATTENDEE")),
        "{ics}"
    );

    let ev = one(&ics);
    let cleaned = ics_text::clean_text(HOSTILE);
    assert_eq!(ev.get_summary(), Some(ics_text::one_line(HOSTILE).as_str()));
    assert_eq!(
        ev.get_location(),
        Some(ics_text::one_line(HOSTILE).as_str())
    );
    let description = ev.get_description().unwrap_or_default().to_string();
    assert!(description.contains(&cleaned), "{description:?}");
    assert!(description.starts_with("Émission très longue"));
    assert_eq!(
        ev.get_categories(),
        Some(vec![ics_text::one_line(HOSTILE), "a,b;c\\d".to_string()])
    );
}

#[test]
fn same_input_gives_same_bytes_whatever_the_order() {
    let a = entry("a", "A", date(2026, 6, 1), date(2026, 6, 1));
    let b = timed(
        entry("b", "B", date(2026, 6, 1), date(2026, 6, 1)),
        time(9, 0, 0, 0),
        None,
    );
    let c = entry("c", "C", date(2026, 5, 1), date(2026, 5, 3));
    let one = ics::calendar(&[&a, &b, &c], &meta());
    let two = ics::calendar(&[&c, &b, &a], &meta());
    assert_eq!(one, two);
    let ics = text(&one);
    let uids: Vec<&str> = ics.lines().filter(|l| l.starts_with("UID:")).collect();
    assert_eq!(
        uids,
        [
            "UID:c@agenda.example.org",
            "UID:a@agenda.example.org",
            "UID:b@agenda.example.org"
        ]
    );
}

#[test]
fn duplicate_uids_are_written_once() {
    let a = entry("a", "A", date(2026, 6, 1), date(2026, 6, 1));
    let again = entry("a", "A bis", date(2026, 6, 2), date(2026, 6, 2));
    let ics = text(&ics::calendar(&[&again, &a], &meta()));
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
    assert!(has_line(&ics, "SUMMARY:A"));
}

#[test]
fn regression_crate_folder_left_a_76_octet_line() {
    // 8 + 142 = 150 octets: the crate's folder wrote 75 + (1 + 75).
    let e = entry("long", &"b".repeat(142), date(2026, 6, 1), date(2026, 6, 1));
    let ics = text(&ics::single(&e, &meta()));
    assert_bytes_are_valid_ics(&ics);
    assert_eq!(one(&ics).get_summary(), Some("b".repeat(142).as_str()));
}

#[test]
fn small_calendar_snapshot() {
    let mut salon = timed(
        entry(
            "salon-des-maires-2026",
            "Salon des maires",
            date(2026, 11, 24),
            date(2026, 11, 26),
        ),
        time(9, 0, 0, 0),
        Some(time(18, 0, 0, 0)),
    );
    salon.event.location = Some("Paris Expo Porte de Versailles".into());
    salon.event.stand = Some("A40".into());
    salon.tags = vec!["collectivités".into()];
    salon.summary = Some("Retrouvez la DINUM sur son stand.".into());
    salon.sequence = 1;
    let mut forum = entry(
        "forum-guadeloupe",
        "Forum numérique",
        date(2026, 12, 3),
        date(2026, 12, 3),
    );
    forum.event.tz = "America/Guadeloupe".into();
    forum.event.start_time = Some(time(8, 30, 0, 0));
    forum.event.location = Some("Pointe-à-Pitre".into());
    let mut cancelled = entry(
        "webinaire",
        "Webinaire FranceConnect",
        date(2026, 10, 15),
        date(2026, 10, 15),
    );
    cancelled.event.status = Status::Cancelled;
    cancelled.event.online = true;
    let journee = entry(
        "journee",
        "Journée portes ouvertes",
        date(2026, 9, 19),
        date(2026, 9, 20),
    );
    let ics = text(&ics::calendar(
        &[&salon, &forum, &cancelled, &journee],
        &meta(),
    ));
    assert_bytes_are_valid_ics(&ics);
    insta::assert_snapshot!(ics.replace("\r\n", "\n"));
}

fn has_escape_look(decoded: &str) -> bool {
    decoded
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'\\' && matches!(w[1], b'n' | b'N' | b',' | b';'))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_text_gives_valid_folded_round_tripping_ics(
        title in "\\PC{0,120}|[\\x00-\\x7f]{0,80}|[a-zé,;:nN\\\\\\n\\r\\x00 ]{0,200}",
        desc in any::<String>(),
    ) {
        let mut e = entry("p", &title, date(2026, 6, 1), date(2026, 6, 1));
        e.event.description = Some(desc.clone());
        let ics = text(&ics::single(&e, &meta()));
        for line in ics.split("\r\n") {
            prop_assert!(line.len() <= 75, "{} octets: {:?}", line.len(), line);
            prop_assert!(!line.chars().any(|c| c.is_control() || c == '\u{feff}'), "{:?}", line);
        }
        prop_assert!(ics.ends_with("\r\n"));
        // Unfolding gives back exactly the lines before folding: no octet lost or added.
        let refolded = ics_text::refold(&unfold(&ics));
        prop_assert_eq!(&refolded, &ics);
        let ev = one(&ics);
        let expected_title = match ics_text::one_line(&title) {
            t if t.is_empty() => "Événement".to_string(),
            t => t,
        };
        prop_assert_eq!(ev.get_summary(), Some(expected_title.as_str()));
        let cleaned = ics_text::clean_text(&desc).trim().to_string();
        let description = ev.get_description().unwrap_or_default().to_string();
        prop_assert!(description.starts_with(&cleaned), "{:?} vs {:?}", description, cleaned);
        // Nothing a reader sees looks like an escape (what validators take for double escaping).
        for decoded in [ev.get_summary().unwrap_or_default(), description.as_str()] {
            prop_assert!(!has_escape_look(decoded), "{:?}", decoded);
        }
    }

    #[test]
    fn folding_is_undone_by_unfolding(line in "[^\\r\\n]{0,400}") {
        let mut out = String::new();
        ics_text::fold_into(&line, &mut out);
        for physical in out.trim_end_matches("\r\n").split("\r\n") {
            prop_assert!(physical.len() <= 75);
        }
        prop_assert_eq!(unfold(&out), format!("{line}\r\n"));
    }
}

/// Writes sample files for `check-feeds`: `ICS_SAMPLE_DIR=/tmp/x cargo test
/// --test ics -- --ignored`, then `../shared/tools/check-feeds /tmp/x`.
#[test]
#[ignore]
fn write_samples_for_check_feeds() {
    let Ok(dir) = std::env::var("ICS_SAMPLE_DIR") else {
        println!("ICS_SAMPLE_DIR not set: nothing written");
        return;
    };
    let dir = std::path::Path::new(&dir);
    std::fs::create_dir_all(dir.join("events")).expect("create sample dir");
    let mut all = Vec::new();
    let mut salon = timed(
        entry(
            "salon",
            "Salon des maires",
            date(2026, 11, 24),
            date(2026, 11, 26),
        ),
        time(9, 0, 0, 0),
        Some(time(18, 0, 0, 0)),
    );
    salon.event.location = Some("Paris Expo Porte de Versailles".into());
    salon.event.stand = Some("A40".into());
    salon.tags = vec!["collectivités".into(), "salon, forum".into()];
    all.push(salon);
    all.push(entry(
        "journee",
        "Journée",
        date(2026, 3, 13),
        date(2026, 3, 13),
    ));
    all.push(entry(
        "trois-jours",
        "Trois jours",
        date(2026, 12, 30),
        date(2027, 1, 1),
    ));
    all.push(timed(
        entry("conf", "Conférence", date(2026, 3, 29), date(2026, 3, 29)),
        time(2, 30, 0, 0),
        None,
    ));
    all.push(timed(
        entry(
            "nuit",
            "Nuit du code",
            date(2026, 10, 24),
            date(2026, 10, 25),
        ),
        time(22, 0, 0, 0),
        Some(time(2, 30, 0, 0)),
    ));
    for (i, tz) in [
        "America/Guadeloupe",
        "Indian/Reunion",
        "Pacific/Noumea",
        "America/Cayenne",
        "America/New_York",
        "Australia/Sydney",
    ]
    .iter()
    .enumerate()
    {
        let mut e = timed(
            entry(
                &format!("outre-mer-{i}"),
                "Forum",
                date(2026, 4, 5),
                date(2026, 4, 6),
            ),
            time(10, 0, 0, 0),
            Some(time(12, 0, 0, 0)),
        );
        e.event.tz = (*tz).into();
        all.push(e);
    }
    let mut cancelled = entry("annule", "Forum", date(2026, 6, 1), date(2026, 6, 1));
    cancelled.event.status = Status::Cancelled;
    all.push(cancelled);
    let mut postponed = entry("reporte", "Forum", date(2026, 6, 2), date(2026, 6, 2));
    postponed.event.status = Status::Postponed;
    postponed.event.online = true;
    all.push(postponed);
    let mut hostile = timed(
        entry("hostile", HOSTILE, date(2026, 7, 1), date(2026, 7, 1)),
        time(10, 0, 0, 0),
        None,
    );
    hostile.event.description = Some(format!(
        "{HOSTILE}\n{}",
        "Émission très longue à écouter ".repeat(10)
    ));
    hostile.event.location = Some(HOSTILE.into());
    hostile.tags = vec![HOSTILE.into()];
    all.push(hostile);

    let refs: Vec<&Entry> = all.iter().collect();
    std::fs::write(dir.join("agenda.ics"), ics::calendar(&refs, &meta())).expect("write");

    // A tag or a period without events.
    std::fs::write(dir.join("empty.ics"), ics::calendar(&[], &meta())).expect("write");

    // Zones with unusual rules, over several years in which some changed.
    let mut zoned = Vec::new();
    for (i, tz) in [
        "Africa/Casablanca",
        "America/Santiago",
        "Asia/Tehran",
        "Europe/Dublin",
        "Pacific/Chatham",
        "America/St_Johns",
        "Asia/Kolkata",
        "America/Sao_Paulo",
        "Europe/Moscow",
        "America/Miquelon",
        "Indian/Mayotte",
        "Pacific/Tahiti",
        "UTC",
    ]
    .iter()
    .enumerate()
    {
        for (year, month) in [(2010, 3), (2015, 7), (2019, 10), (2026, 1)] {
            let mut e = timed(
                entry(
                    &format!("zone-{i}-{year}"),
                    tz,
                    date(year, month, 10),
                    date(year, month, 12),
                ),
                time(1, 30, 0, 0),
                Some(time(3, 30, 0, 0)),
            );
            e.event.tz = (*tz).into();
            zoned.push(e);
        }
    }
    let refs: Vec<&Entry> = zoned.iter().collect();
    std::fs::write(dir.join("zones.ics"), ics::calendar(&refs, &meta())).expect("write");
    for e in &all {
        std::fs::write(
            dir.join("events").join(format!("{}.ics", e.uid)),
            ics::single(e, &meta()),
        )
        .expect("write");
    }
}

/// `calendar_to` writes, piece by piece, exactly the bytes of `calendar`, also past the
/// batch in which VEVENTs are rendered.
#[test]
fn streamed_calendar_has_the_bytes_of_the_calendar() {
    /// A writer that accepts at most a few bytes per call, as a slow file would.
    struct Trickle(Vec<u8>);
    impl std::io::Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let n = buf.len().min(7);
            self.0.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let entries: Vec<Entry> = (0..2500)
        .map(|i| {
            let day = date(2026, 1, 1)
                .checked_add(jiff::Span::new().days(i % 400))
                .expect("in range");
            let mut e = entry(
                &format!("ev-{i}"),
                &format!("Forum n° {i}, édition ; {i}"),
                day,
                day,
            );
            if i % 3 == 0 {
                e.event.start_time = Some(time(9, 30, 0, 0));
                e.event.end_time = Some(time(18, 0, 0, 0));
            }
            e.tags = vec![format!("tag {}", i % 5)];
            e
        })
        .collect();
    let refs: Vec<&Entry> = entries.iter().collect();
    for n in [0, 1, 1023, 1024, 1025, 2500] {
        let whole = ics::calendar(&refs[..n], &meta());
        let mut streamed = Trickle(Vec::new());
        ics::calendar_to(&refs[..n], &meta(), &mut streamed).expect("writes into memory");
        assert_eq!(streamed.0, whole, "{n} entries");
    }
}

/// `calendars_from` writes `agenda.ics` and its tags' calendars in one pass: each sink gets
/// exactly the bytes of the calendar of its events alone, zones, order and a UID seen twice
/// included.
#[test]
fn calendars_written_together_have_the_bytes_of_each_calendar() {
    let entries: Vec<Entry> = (0..2100)
        .map(|i| {
            let day = date(2026, 1, 1)
                .checked_add(jiff::Span::new().days(i % 500))
                .expect("in range");
            // Every 700th entry repeats the UID of the one before it.
            let uid = if i % 700 == 1 { i - 1 } else { i };
            let mut e = entry(&format!("ev-{uid}"), &format!("Forum n° {i}"), day, day);
            if i % 3 == 0 {
                e = timed(e, time(9, 30, 0, 0), Some(time(18, 0, 0, 0)));
            }
            // Zones only some calendars use.
            if i % 11 == 0 {
                e.event.tz = "America/Cayenne".into();
            }
            if i % 13 == 0 {
                e.event.tz = "Pacific/Noumea".into();
            }
            e
        })
        .collect();
    let refs: Vec<&Entry> = entries.iter().collect();
    // The whole agenda, then subsets: every other entry, a handful, none, the entries that
    // repeat a UID without the first one.
    let picks: Vec<Vec<bool>> = vec![
        (0..refs.len()).map(|i| i % 2 == 0).collect(),
        (0..refs.len()).map(|i| i % 11 == 0).collect(),
        vec![false; refs.len()],
        (0..refs.len()).map(|i| i % 700 == 1).collect(),
    ];
    let mut metas = vec![meta()];
    for k in 0..picks.len() {
        let mut m = meta();
        m.name = format!("Agenda : thème {k}");
        metas.push(m);
    }
    let mut parts = vec![ics::Part {
        meta: &metas[0],
        member: None,
    }];
    for (m, pick) in metas[1..].iter().zip(&picks) {
        parts.push(ics::Part {
            meta: m,
            member: Some(pick),
        });
    }
    let mut outs: Vec<Vec<u8>> = vec![Vec::new(); parts.len()];
    {
        let mut sinks: Vec<&mut dyn std::io::Write> = outs
            .iter_mut()
            .map(|o| o as &mut dyn std::io::Write)
            .collect();
        ics::calendars_from(&&refs[..], &parts, &mut sinks).expect("writes into memory");
    }
    assert_eq!(outs[0], ics::calendar(&refs, &metas[0]), "the whole agenda");
    for (k, pick) in picks.iter().enumerate() {
        let alone: Vec<&Entry> = refs
            .iter()
            .zip(pick)
            .filter(|(_, &p)| p)
            .map(|(e, _)| *e)
            .collect();
        let expected = ics::calendar(&alone, &metas[k + 1]);
        assert_eq!(
            text(&outs[k + 1]),
            text(&expected),
            "calendar {k} ({} events)",
            alone.len()
        );
    }
    // Each calendar has the zones of its own timed events only.
    assert!(text(&outs[0]).contains("BEGIN:VTIMEZONE\r\nTZID:Pacific/Noumea\r\n"));
    assert!(text(&outs[2]).contains("BEGIN:VTIMEZONE\r\nTZID:America/Cayenne\r\n"));
    let few = text(&outs[4]);
    assert!(few.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n"));
    assert!(!few.contains("Cayenne") && !few.contains("Noumea"), "{few}");
}

/// Entries of varied days, hours, zones and UIDs (some shared), for the prepared-calendar
/// property below.
fn varied(specs: &[(u8, u8, Option<u8>, u8, u8)]) -> Vec<Entry> {
    const ZONES: [&str; 4] = ["Europe/Paris", "America/Guadeloupe", "Nowhere/Unknown", ""];
    specs
        .iter()
        .enumerate()
        .map(|(i, &(day, len, hour, zone, uid))| {
            let start = date(2026, 1, 1)
                .checked_add(jiff::Span::new().days(i64::from(day) * 7))
                .expect("in range");
            let end = start
                .checked_add(jiff::Span::new().days(i64::from(len % 4)))
                .expect("in range");
            let mut e = entry(
                &format!("e{}", uid % 6),
                &format!("Événement {i}"),
                start,
                end,
            );
            if let Some(h) = hour {
                e = timed(e, time((h % 24) as i8, 0, 0, 0), Some(time(23, 30, 0, 0)));
            }
            e.event.tz = ZONES[usize::from(zone) % ZONES.len()].into();
            e
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    /// A server keeps each VEVENT rendered between builds: the calendars it assembles
    /// from them are the bytes a build writes, the tags' calendars included.
    #[test]
    fn calendars_of_prepared_events_are_the_calendars_written(
        specs in proptest::collection::vec(
            (0u8..60, 0u8..8, proptest::option::of(0u8..24), 0u8..4, 0u8..12), 0..24),
        member in proptest::collection::vec(any::<bool>(), 24),
    ) {
        let entries = varied(&specs);
        let refs: Vec<&Entry> = entries.iter().collect();
        let m = meta();
        let mut tag = meta();
        tag.name = "Agenda : ateliers".into();
        let member = &member[..entries.len()];
        let parts = [
            ics::Part { meta: &m, member: None },
            ics::Part { meta: &tag, member: Some(member) },
        ];
        let (mut a, mut b) = (Vec::new(), Vec::new());
        ics::calendars_from(&&refs[..], &parts, &mut [&mut a, &mut b]).expect("written");
        let prepared: Vec<Option<ics::Prepared>> =
            entries.iter().map(|e| ics::prepare(e, &m)).collect();
        let prepared: Vec<Option<&ics::Prepared>> = prepared.iter().map(Option::as_ref).collect();
        let (mut pa, mut pb) = (Vec::new(), Vec::new());
        ics::assemble(&prepared, &parts, &mut [&mut pa, &mut pb]).expect("assembled");
        prop_assert_eq!(text(&pa), text(&a));
        prop_assert_eq!(text(&pb), text(&b));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    /// `events.json` joined from events kept as fragments is the file a build writes,
    /// whatever the text (line breaks, quotes, controls) of the events.
    #[test]
    fn events_json_of_fragments_is_the_file_written(
        specs in proptest::collection::vec(
            (0u8..60, 0u8..8, proptest::option::of(0u8..24), 0u8..4, 0u8..12), 0..12),
        words in proptest::collection::vec(any::<String>(), 12),
    ) {
        use agenda::publish::events_json;
        let mut entries = varied(&specs);
        for (e, w) in entries.iter_mut().zip(&words) {
            e.event.description = Some(w.clone());
            e.summary = Some(format!("{w}\n\"{w}\""));
        }
        let refs: Vec<&Entry> = entries.iter().collect();
        let meta = events_json::Meta {
            title: "Agenda \"test\"\n",
            home_page_url: "https://www.example.org/",
            timezone: "Europe/Paris",
        };
        let whole = events_json::write(&meta, &refs);
        let fragments: Vec<String> = entries.iter().map(events_json::fragment).collect();
        let fragments: Vec<&str> = fragments.iter().map(String::as_str).collect();
        let mut joined = Vec::new();
        events_json::write_fragments(&meta, &fragments, &mut joined).expect("written");
        prop_assert_eq!(text(&joined), text(&whole));
    }
}
