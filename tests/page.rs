//! The agenda page (`index.html`, `tags/<tag>.html`) as a reader, a search engine and an
//! operator meet it: the real binary on a copy of the fixture site, or on a site written
//! by the test.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use regex::Regex;
use serde_json::Value;

mod common;
use common::{copy_dir, fixture};

/// A site folder: `content/`, `agenda.toml`, output in `feeds/`.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    /// A copy of tests/fixtures/site.
    fn fixture() -> Site {
        let dir = tempfile::tempdir().expect("temporary folder");
        copy_dir(&fixture(), dir.path());
        Site { dir }
    }

    /// An empty site with the fixture's settings.
    fn empty() -> Site {
        let dir = tempfile::tempdir().expect("temporary folder");
        fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site/agenda.toml"),
            dir.path().join("agenda.toml"),
        )
        .expect("copy settings");
        Site { dir }
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.dir.path().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }

    fn build(&self, today: &str) -> Output {
        Command::new(env!("CARGO_BIN_EXE_agenda"))
            .current_dir(self.dir.path())
            .args([
                "build",
                "--content",
                "content",
                "--out",
                "feeds",
                "--config",
                "agenda.toml",
                "--today",
                today,
            ])
            .output()
            .expect("agenda runs")
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("feeds")
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn page(&self, today: &str) -> String {
        let o = self.build(today);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        self.read("index.html")
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Each `<article class="event...">...</article>` of a page.
fn articles(html: &str) -> Vec<&str> {
    html.split("<article class=\"event")
        .skip(1)
        .map(|a| a.split("</article>").next().unwrap_or(a))
        .collect()
}

/// The `href`s of a page's `<a>` elements whose text starts with `text`.
fn links<'a>(html: &'a str, text: &str) -> Vec<&'a str> {
    let re = Regex::new(r#"<a [^>]*href="([^"]*)"[^>]*>([^<]*)"#).expect("regex");
    re.captures_iter(html)
        .filter(|c| c[2].starts_with(text))
        .map(|c| c.get(1).map_or("", |m| m.as_str()))
        .collect()
}

/// The schema.org data of a page: the one JSON-LD script, parsed.
fn json_ld(html: &str) -> Vec<Value> {
    let scripts: Vec<&str> = html
        .split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|s| s.split("</script>").next().unwrap_or(s))
        .collect();
    assert_eq!(scripts.len(), 1, "one JSON-LD script");
    match serde_json::from_str(scripts[0]).expect("JSON-LD parses") {
        Value::Array(a) => a,
        other => panic!("not an array: {other}"),
    }
}

/// An HTML attribute value as the page writes it.
fn attr(s: &str) -> String {
    s.replace('&', "&amp;")
}

#[test]
fn upcoming_events_show_their_days_in_words_grouped_by_month() {
    let html = Site::fixture().page("2026-01-10");
    assert!(html.contains("<html lang=\"fr\">"));
    for month in ["Février 2026", "Mars 2026", "Avril 2026", "Mai 2026"] {
        assert!(html.contains(&format!(">{month}</h3>")), "{month}");
    }
    // Soonest first.
    let order: Vec<usize> = [
        "Webinaire sur l’identité numérique",
        "Salon des maires 2026",
        "Atelier « Données ouvertes »",
    ]
    .iter()
    .map(|t| html.find(t).unwrap_or_else(|| panic!("{t}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    for when in [
        "Du mardi 24 au jeudi 26 mars 2026, de 9 h à 18 h",
        "Le mardi 14 avril 2026, de 14 h à 17 h 30",
        "Le jeudi 5 février 2026, de 11 h à 12 h",
        "Le mardi 5 mai 2026",
    ] {
        assert!(html.contains(when), "{when}");
    }
    assert!(html.contains("<span class=\"label\">Stand :</span> A40"));
    assert!(html.contains("<span class=\"badge\">En ligne</span>"));
    // The status in words, not only in a colour.
    assert!(html.contains("<span class=\"status\">Annulé :</span> Webinaire"));
}

#[test]
fn every_bookable_event_has_three_add_to_calendar_actions_and_its_release() {
    let site = Site::fixture();
    let html = site.page("2026-01-10");
    let events = articles(&html);
    assert_eq!(events.len(), 4);
    for a in &events {
        assert_eq!(links(a, "Lire l’annonce").len(), 1, "{a}");
        let release = links(a, "Lire l’annonce")[0];
        assert!(
            release.starts_with("https://agenda.test.example/"),
            "{release}"
        );
        if a.contains("Annulé") {
            // Nobody adds a cancelled event to their calendar.
            assert!(links(a, "Ajouter à mon agenda").is_empty(), "{a}");
            continue;
        }
        let ics = links(a, "Ajouter à mon agenda");
        assert_eq!(ics.len(), 1, "{a}");
        assert!(
            site.out().join(ics[0]).is_file(),
            "{} is not a file of the build",
            ics[0]
        );
        let google = links(a, "Google Agenda");
        assert_eq!(google.len(), 1);
        assert!(google[0]
            .starts_with("https://calendar.google.com/calendar/render?action=TEMPLATE&amp;text="));
        let outlook = links(a, "Outlook.com");
        assert_eq!(outlook.len(), 1);
        assert!(outlook[0].starts_with("https://outlook.live.com/calendar/0/action/compose?"));
    }
    // The three-day salon: each day's hours in Google (a daily recurrence), the whole span
    // in Outlook.com, in Paris time.
    let salon = events
        .iter()
        .find(|a| a.contains("Salon des maires"))
        .expect("salon");
    let google = links(salon, "Google Agenda")[0];
    assert!(google.contains(&attr(
        "&dates=20260324T090000%2F20260324T180000&ctz=Europe%2FParis&recur=RRULE%3AFREQ%3DDAILY%3BCOUNT%3D3"
    )), "{google}");
    let outlook = links(salon, "Outlook.com")[0];
    assert!(outlook.contains(&attr(
        "&allday=false&startdt=2026-03-24T09%3A00%3A00%2B01%3A00&enddt=2026-03-26T18%3A00%3A00%2B01%3A00"
    )), "{outlook}");
    // An all-day event ends the day after in both.
    let all_day = events
        .iter()
        .find(|a| a.contains("Le mardi 5 mai 2026"))
        .expect("all-day event");
    assert!(links(all_day, "Google Agenda")[0].contains("&amp;dates=20260505%2F20260506"));
    assert!(links(all_day, "Outlook.com")[0]
        .contains(&attr("allday=true&startdt=2026-05-05&enddt=2026-05-06")));
}

#[test]
fn json_ld_has_one_event_per_upcoming_event() {
    let html = Site::fixture().page("2026-01-10");
    let events = json_ld(&html);
    assert_eq!(events.len(), articles(&html).len());
    for e in &events {
        assert_eq!(e["@context"], "https://schema.org");
        assert_eq!(e["@type"], "Event");
        assert_eq!(e["organizer"]["name"], "Service de presse de test");
        assert!(e["url"].as_str().is_some_and(|u| u.starts_with("https://")));
        assert!(e["name"].is_string() && e["startDate"].is_string() && e["endDate"].is_string());
    }
    let by_name = |n: &str| {
        events
            .iter()
            .find(|e| e["name"].as_str().is_some_and(|s| s.contains(n)))
            .unwrap_or_else(|| panic!("{n}"))
    };
    let atelier = by_name("Données ouvertes");
    assert_eq!(atelier["startDate"], "2026-04-14T14:00:00+02:00");
    assert_eq!(atelier["endDate"], "2026-04-14T17:30:00+02:00");
    assert_eq!(atelier["location"]["@type"], "Place");
    assert_eq!(atelier["location"]["address"]["@type"], "PostalAddress");
    assert_eq!(atelier["location"]["address"]["postalCode"], "59777");
    assert_eq!(
        atelier["eventAttendanceMode"],
        "https://schema.org/OfflineEventAttendanceMode"
    );
    let webinaire = by_name("Webinaire");
    assert_eq!(
        webinaire["eventStatus"],
        "https://schema.org/EventCancelled"
    );
    assert_eq!(webinaire["location"]["@type"], "VirtualLocation");
    assert_eq!(
        webinaire["eventAttendanceMode"],
        "https://schema.org/OnlineEventAttendanceMode"
    );
    // All-day: dates alone.
    let hostile = by_name("Réunion");
    assert_eq!(hostile["startDate"], "2026-05-05");
    assert_eq!(hostile["endDate"], "2026-05-05");
}

#[test]
fn feeds_are_announced_and_the_agenda_can_be_subscribed_to() {
    let html = Site::fixture().page("2026-01-10");
    for (media_type, url) in [
        (
            "application/rss+xml",
            "https://agenda.test.example/agenda.rss",
        ),
        (
            "application/atom+xml",
            "https://agenda.test.example/agenda.atom",
        ),
        (
            "application/rss+xml",
            "https://agenda.test.example/releases.rss",
        ),
        (
            "application/atom+xml",
            "https://agenda.test.example/releases.atom",
        ),
    ] {
        let re = Regex::new(&format!(
            r#"<link rel="alternate" type="{}" title="[^"]+" href="{}">"#,
            regex::escape(media_type),
            regex::escape(url)
        ))
        .expect("regex");
        assert!(re.is_match(&html), "no autodiscovery of {url}");
    }
    assert_eq!(
        links(&html, "S’abonner à l’agenda"),
        ["webcal://agenda.test.example/agenda.ics"]
    );
    assert!(html.contains("<a href=\"https://agenda.test.example/agenda.ics\">"));
    // No request to another host: no external script, style sheet, image or font.
    let re = Regex::new(r#"<(script|link|img|iframe)[^>]* (src|href)="https?://"#).expect("regex");
    for m in re.find_iter(&html) {
        assert!(
            m.as_str().starts_with("<link rel=\"alternate\"")
                || m.as_str().starts_with("<link rel=\"canonical\""),
            "{}",
            m.as_str()
        );
    }
    assert!(!html.contains("@import") && !html.contains("url("));
}

#[test]
fn text_from_a_release_stays_text() {
    let site = Site::fixture();
    let html = site.page("2026-01-10");
    assert!(html.contains("Réunion &lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
    assert!(!html.contains("<script>alert"));
    // The only scripts are the JSON-LD, which cannot be ended early by a title.
    assert_eq!(html.matches("<script").count(), 1);
    assert_eq!(html.matches("</script>").count(), 1);
    let ld = json_ld(&html);
    assert!(ld
        .iter()
        .any(|e| e["name"] == "Réunion <script>alert(1)</script> & co, ; \\n END:VEVENT"));
    // The tag "A&B <tag>" has its page, and its name is escaped there too.
    let tag = site.read("tags/a-b-tag.html");
    assert!(tag.contains("A&amp;B &lt;tag&gt;"));
    assert!(!tag.contains("A&B <tag>"));
}

#[test]
fn a_tag_page_lists_the_tag_and_subscribes_to_its_calendar() {
    let site = Site::fixture();
    site.page("2026-01-10");
    let html = site.read("tags/salon.html");
    assert_eq!(articles(&html).len(), 1);
    assert!(html.contains("Salon des maires 2026"));
    assert_eq!(
        links(&html, "S’abonner à l’agenda"),
        ["webcal://agenda.test.example/tags/salon.ics"]
    );
    assert!(html.contains("href=\"https://agenda.test.example/tags/salon.rss\""));
    // Relative links climb out of tags/.
    let ics = links(&html, "Ajouter à mon agenda");
    assert_eq!(ics, ["../events/communiques-salon-des-maires-2026.ics"]);
    assert!(site.out().join("tags").join(ics[0]).is_file());
    assert_eq!(links(&html, "Tout l’agenda"), ["../index.html"]);
}

/// A site of `n` one-day events, one a day from 2026-01-01, and a release with a deadline.
fn many_events(n: usize) -> Site {
    let site = Site::empty();
    let first = jiff::civil::date(2026, 1, 1);
    for i in 0..n {
        let day = first
            .checked_add(jiff::Span::new().days(i as i64))
            .expect("date");
        site.write(
            &format!("content/evenements/rencontre-{i:03}.md"),
            &format!(
                "---\ntitle: Rencontre {i:03}\ndate: 2025-12-01 10:00:00 +01:00\nagenda:\n- start: {day}\n  title: Rencontre {i:03}\n  location: Mairie\n---\n\nUne rencontre.\n"
            ),
        );
    }
    site.write(
        "content/communiques/appel.md",
        "---\ntitle: Appel à candidatures\ndate: 2025-12-01 10:00:00 +01:00\n---\n\n\
         Les candidatures sont ouvertes jusqu’au 15 avril 2026.\n",
    );
    site
}

#[test]
fn a_large_agenda_keeps_the_page_bounded_and_past_events_collapsed() {
    let site = many_events(170);
    // 2026-03-02: 60 events are past, 110 to come.
    let html = site.page("2026-03-02");
    assert_eq!(articles(&html).len(), 100);
    assert!(html.contains("Et 10 autres rendez-vous à venir"));
    let past = html
        .split("<details class=\"past\">")
        .nth(1)
        .and_then(|d| d.split("</details>").next())
        .expect("a <details> of past events");
    assert!(past.contains("<summary><h2 id=\"passes\">Événements passés</h2>"));
    let items: Vec<&str> = past.split("<li>").skip(1).collect();
    assert_eq!(items.len(), 50);
    // The most recent first: the day before today, then back.
    assert!(items[0].contains("Rencontre 059") && items[0].contains("Le dimanche 1er mars 2026"));
    assert!(items[49].contains("Rencontre 010"));
    // Nothing past among the upcoming events.
    assert!(!articles(&html).iter().any(|a| a.contains("Rencontre 059")));
    assert_eq!(json_ld(&html).len(), 100);
}

#[test]
fn upcoming_deadlines_link_their_release() {
    let site = many_events(1);
    let html = site.page("2026-01-01");
    let section = html
        .split("<h2 id=\"dates-limites\">Dates limites</h2>")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .expect("a Dates limites section");
    assert!(
        section.contains("<time datetime=\"2026-04-15\">Le mercredi 15 avril 2026</time>"),
        "{section}"
    );
    assert!(section.contains(">Appel à candidatures</a>"));
    assert_eq!(links(section, "Appel").len(), 1);
    // Once the date has passed, the section is gone.
    let later = site.page("2026-04-16");
    assert!(!later.contains("Dates limites"));
}

#[test]
fn templates_beside_the_content_replace_the_built_in_ones() {
    let site = Site::fixture();
    site.write(
        "templates/event.html",
        "<article class=\"event\"><p>{{ event.title }} — {{ event.when }}</p></article>\n",
    );
    let html = site.page("2026-01-10");
    assert!(html.contains(
        "<p>Salon des maires 2026 — du mardi 24 au jeudi 26 mars 2026, de 9 h à 18 h</p>"
    ));
    assert!(
        html.contains("&lt;script&gt;alert(1)"),
        "auto-escaping stays on"
    );
    assert!(links(&html, "Google Agenda").is_empty());
}

#[test]
fn a_broken_template_stops_the_build_before_anything_is_written() {
    let site = Site::fixture();
    let before = site.page("2026-01-10");
    site.write("templates/index.html", "<html>\n{% for x in %}\n</html>\n");
    let o = site.build("2026-01-11");
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "templates{}index.html:2:",
            std::path::MAIN_SEPARATOR
        )),
        "{err}"
    );
    assert_eq!(site.read("index.html"), before);
}
