//! How sites other than a ministry's write their events: other front matter schemas,
//! event pages, dates in titles, programmes under day headings, days under month
//! headings, weekdays without a month, local venues and towns in brackets.
//!
//! Each case is a whole file (front matter and body) read as `agenda extract` reads it,
//! and the events a reader would put in their calendar: (start, end, start time, end
//! time, location). Locations are compared by their words, as a reader would: the
//! expected words must all be in the found location.

use std::path::Path;

use agenda::content::load_bytes;
use agenda::extract::extract;

/// (start, end, start time, end time, words of the location)
type Want<'a> = (
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    &'a [&'a str],
);

/// (start, end, start time, end time, location) as found.
type Got = (String, String, Option<String>, Option<String>, String);

fn events_of(rel: &str, file: &str) -> Vec<Got> {
    let doc = load_bytes(Path::new(rel), rel, file.as_bytes()).expect("readable");
    extract(&doc)
        .events
        .into_iter()
        .map(|e| {
            let hm = |t: Option<jiff::civil::Time>| {
                t.map(|t| format!("{:02}:{:02}", t.hour(), t.minute()))
            };
            (
                e.start.to_string(),
                e.end.to_string(),
                hm(e.start_time),
                hm(e.end_time),
                e.location.unwrap_or_default(),
            )
        })
        .collect()
}

fn check(cases: &[(&str, &str, &[Want])]) {
    for (rel, file, want) in cases {
        let got = events_of(rel, file);
        assert_eq!(got.len(), want.len(), "{rel}: {got:?}");
        for (g, w) in got.iter().zip(want.iter()) {
            assert_eq!((g.0.as_str(), g.1.as_str()), (w.0, w.1), "{rel}: {got:?}");
            assert_eq!(g.2.as_deref(), w.2, "{rel}: start time, {got:?}");
            assert_eq!(g.3.as_deref(), w.3, "{rel}: end time, {got:?}");
            for word in w.4 {
                assert!(
                    g.4.contains(word),
                    "{rel}: location {:?} lacks {word:?}",
                    g.4
                );
            }
        }
    }
}

#[test]
fn front_matter_schemas_read_by_meaning() {
    check(&[
        (
            "site/content/agenda/loto.md",
            "---\ntitle: Grand loto\ndate: 2025-03-01\nplace: Salle du Clos Fleuri\nstart: 20-00\nend: 23-30\n---\n\nVenez nombreux !\n",
            &[("2025-03-01", "2025-03-01", Some("20:00"), Some("23:30"), &["Clos", "Fleuri"])],
        ),
        (
            "site/_posts/2024-05-02-vide-grenier.md",
            "---\ntitle: Vide-grenier\ndate: 2024-05-02\ndateDebut: 2024-05-19\n_lieu: Place du Champ de Foire\nhoraires: 7h-18h\n---\n\nInscriptions en mairie.\n",
            &[("2024-05-19", "2024-05-19", Some("07:00"), Some("18:00"), &["Champ", "Foire"])],
        ),
        (
            "lab/content/talk/seminaire.md",
            "---\ntitle: Surfaces et courbes\ndate: 2024-02-08\nevent: Séminaire de géométrie\nlocation: Université de Rennes\n---\n\nRésumé de l'exposé.\n",
            &[("2024-02-08", "2024-02-08", None, None, &["Rennes"])],
        ),
        (
            // a CMS that stores the typed hour with a Z, and says where in its own key
            "asso/content/actus/atelier/index.md",
            "---\ntitle: Atelier réparation\neventDate: 2024-11-16T14:00:00.000Z\npublishDate: 2024-11-02T10:11:12.000Z\npresenceAgenda: true\n---\n\nApportez vos objets.\n",
            &[("2024-11-16", "2024-11-16", Some("14:00"), None, &[])],
        ),
        (
            // the same schema for a post that is not in the agenda
            "asso/content/actus/bilan/index.md",
            "---\ntitle: Bilan de l'année\neventDate: 2024-12-20T09:47:31.000Z\npublishDate: 2024-12-20T09:47:31.000Z\npresenceAgenda: false\n---\n\nMerci à tous.\n",
            &[],
        ),
        (
            // TOML front matter, an online talk
            "lab/content/event/visio.md",
            "+++\ntitle = \"Exposé\"\ndate = 2024-04-04\nonline = true\n+++\n\nLien communiqué aux inscrits.\n",
            &[("2024-04-04", "2024-04-04", None, None, &[])],
        ),
    ]);
}

#[test]
fn an_event_page_date_gives_way_to_the_text() {
    check(&[(
        // the page's date is when it was written; the text dates the event
        "mairie/_agenda/2024-06-01-ceremonie.md",
        "---\ntitle: Cérémonie\ndate: 2024-06-01 10:12:00\n---\n\nLa cérémonie aura lieu le 18 juin à 11h devant le monument aux morts.\n",
        &[("2024-06-18", "2024-06-18", Some("11:00"), None, &[])],
    )]);
}

#[test]
fn dates_in_titles() {
    check(&[
        (
            "club/_posts/2023-04-20-tournoi.md",
            "---\ntitle: Tournoi de pétanque samedi 29 avril 14-18h\ndate: 2023-04-20\n---\n\nOuvert à tous.\n",
            &[("2023-04-29", "2023-04-29", Some("14:00"), Some("18:00"), &[])],
        ),
        (
            // published on a Monday: "ce vendredi" is that week's Friday
            "club/_posts/2023-05-08-repas.md",
            "---\ntitle: Repas des anciens ce vendredi\ndate: 2023-05-08\n---\n\nRendez-vous à la salle des fêtes de 12 à 16h.\n",
            &[("2023-05-12", "2023-05-12", Some("12:00"), Some("16:00"), &["salle", "fêtes"])],
        ),
    ]);
}

#[test]
fn days_under_month_headings_and_labels() {
    check(&[
        (
            "club/_posts/2024-01-10-calendrier.md",
            "---\ntitle: Calendrier du club\ndate: 2024-01-10\n---\n\n## Agenda\n\n- **Février**\n\n    3 et 4 : Tournoi régional (Francheville)\n\n- **Mars**\n\n    16 et 17 : Rencontres interclubs (Lannion)\n",
            &[
                ("2024-02-03", "2024-02-04", None, None, &["Francheville"]),
                ("2024-03-16", "2024-03-17", None, None, &["Lannion"]),
            ],
        ),
        (
            "asso/content/programme/sessions.md",
            "---\ntitle: Sessions\ndate: 2024-01-05\n---\n\nToutes les sessions ont lieu à la Maison des associations de 18h à 20h.\n\n* Janvier : mardi 16 et mardi 30\n* Février : mardi 13\n",
            &[
                ("2024-01-16", "2024-01-16", Some("18:00"), Some("20:00"), &["Maison", "associations"]),
                ("2024-01-30", "2024-01-30", Some("18:00"), Some("20:00"), &["Maison", "associations"]),
                ("2024-02-13", "2024-02-13", Some("18:00"), Some("20:00"), &["Maison", "associations"]),
            ],
        ),
    ]);
}

#[test]
fn weekday_and_day_without_a_month() {
    check(&[(
        // published on Monday 9 September 2024: "jeudi 12" is that week's Thursday
        "fablab/_posts/2024-09-09-rentree.md",
        "---\ntitle: Rentrée\ndate: 2024-09-09\n---\n\nPremière soirée portes ouvertes jeudi 12 à 19h30.\n",
        &[("2024-09-12", "2024-09-12", Some("19:30"), None, &[])],
    )]);
}

#[test]
fn programme_under_a_day_heading() {
    check(&[(
        "tiers-lieu/content/actus/fete/index.md",
        "---\ntitle: Fête du jardin\ndate: 2024-05-20\n---\n\n### Samedi 08.06.2024\n\n* 10h-12h : plantations\n* 14h-17h30 : ateliers\n",
        &[("2024-06-08", "2024-06-08", Some("10:00"), Some("17:30"), &[])],
    )]);
}

#[test]
fn places_and_addresses_as_local_sites_write_them() {
    check(&[
        (
            "asso/_posts/2024-03-01-ag.md",
            "---\ntitle: Assemblée générale\ndate: 2024-03-01\n---\n\nL'assemblée générale aura lieu le samedi 16 mars à 10h à la MJC des Tilleuls au 12 rue des Écoles.\n",
            &[("2024-03-16", "2024-03-16", Some("10:00"), None, &["MJC", "Tilleuls", "12", "Écoles"])],
        ),
        (
            // "au" before a subject is not a place
            "asso/_posts/2024-03-02-formation.md",
            "---\ntitle: Formation\ndate: 2024-03-02\n---\n\n#### Formation le 12 mars : initiation au Python\n\nÀ la médiathèque Jules-Verne à 14h.\n",
            &[("2024-03-12", "2024-03-12", Some("14:00"), None, &["médiathèque", "Jules-Verne"])],
        ),
    ]);
}

#[test]
fn a_webinar_written_with_its_accent_is_online() {
    let rel = "reseau/_posts/2024-10-01-lettre.md";
    let file = "---\ntitle: Lettre\ndate: 2024-10-01\n---\n\nLe prochain wébinaire aura lieu le 15 octobre à 11h.\n";
    let doc = load_bytes(Path::new(rel), rel, file.as_bytes()).expect("readable");
    let x = extract(&doc);
    assert_eq!(x.events.len(), 1);
    assert!(x.events[0].online);
}

#[test]
fn front_matter_in_json_and_section_pages() {
    check(&[
        (
            "village/content/fete/_index.md",
            "{\n  \"title\": \"Fête de la Saint-Jean\",\n  \"date\": \"2024-06-01\"\n}\n\nFeu de la Saint-Jean le samedi 22 juin à 21h sur la place de l'Église.\n",
            &[("2024-06-22", "2024-06-22", Some("21:00"), None, &["Église"])],
        ),
    ]);
}

#[test]
fn a_front_matter_typo_does_not_lose_the_event() {
    // the unclosed quote makes the YAML unreadable; the title, the date and the text are
    // still read, and the error is reported with its line
    let rel = "asso/_posts/2024-09-02-forum.md";
    let file = "---\ntitle: Forum des associations\ndate: 2024-09-02\nauteur: \"Bureau\n---\n\nLe forum des associations se tiendra le samedi 7 septembre de 10h à 17h au gymnase Jean-Moulin.\n";
    let doc = load_bytes(Path::new(rel), rel, file.as_bytes()).expect("readable");
    assert!(
        doc.diagnostics
            .iter()
            .any(|d| d.line == Some(4) && d.message.contains("invalid front matter")),
        "{:?}",
        doc.diagnostics
    );
    assert_eq!(doc.title, "Forum des associations");
    check(&[(
        rel,
        file,
        &[(
            "2024-09-07",
            "2024-09-07",
            Some("10:00"),
            Some("17:00"),
            &["gymnase", "Jean-Moulin"],
        )],
    )]);
}

#[test]
fn a_hybrid_event_is_in_person_and_says_it_is_online_too() {
    let rel = "asso/_posts/2024-01-05-ag.md";
    let file = "---\ntitle: AG\ndate: 2024-01-05\n---\n\nNotre assemblée générale se tiendra le samedi 27 janvier à 10h à la salle Jean-Jaurès et en visio.\n";
    let doc = load_bytes(Path::new(rel), rel, file.as_bytes()).expect("readable");
    let x = extract(&doc);
    assert_eq!(x.events.len(), 1, "{:?}", x.events);
    let e = &x.events[0];
    assert!(!e.online);
    assert!(e
        .location
        .as_deref()
        .is_some_and(|l| l.contains("Jean-Jaurès")));
    assert_eq!(e.description.as_deref(), Some("Aussi en ligne."));
}

#[test]
fn relative_days_anchored_on_the_publication_date() {
    check(&[
        (
            // published on Friday 14 June 2024
            "village/_posts/2024-06-14-feu.md",
            "---\ntitle: Feu de la Saint-Jean\ndate: 2024-06-14\n---\n\nRendez-vous demain à 21h sur la place de la Mairie pour le feu de la Saint-Jean.\n",
            &[("2024-06-15", "2024-06-15", Some("21:00"), None, &["Mairie"])],
        ),
        (
            "asso/_posts/2024-03-28-avril.md",
            "---\ntitle: Nos rendez-vous\ndate: 2024-03-28\n---\n\nEn avril : atelier vélo le 9 à 18h, sortie au lac le 16 à 9h.\n",
            &[
                ("2024-04-09", "2024-04-09", Some("18:00"), None, &[]),
                ("2024-04-16", "2024-04-16", Some("09:00"), None, &[]),
            ],
        ),
    ]);
}

#[test]
fn cards_of_labelled_lines_and_alternative_days() {
    check(&[
        (
            // the town in the sentence, the venue on a labelled line, the hours in a list
            "club/_posts/2025-06-02-fete.md",
            "---\ntitle: Fête du club\ndate: 2025-06-02\n---\n\nLa fête du club revient à Quimperlé ce samedi 14 juin 2025 !\n\n📍 **Lieu** : Salle omnisports Jean-Jaurès\n\n⏰ **Programme** :\n- Dès **18 h**, jeux et buvette\n- À **22 h**, concert\n",
            &[("2025-06-14", "2025-06-14", Some("18:00"), None, &["omnisports", "Quimperlé"])],
        ),
        (
            // either of two days, then the hours and the place as list items
            "mairie/content/blog/distribution/index.md",
            "---\ntitle: Distribution des composteurs\ndate: 2024-04-02\n---\n\nLa distribution des composteurs va avoir lieu.\n\n* le mardi 9 avril ou le samedi 13 avril\n* de 10h00 à 12h00\n* à la salle des fêtes de la mairie\n",
            &[
                ("2024-04-09", "2024-04-09", Some("10:00"), Some("12:00"), &["salle", "fêtes"]),
                ("2024-04-13", "2024-04-13", Some("10:00"), Some("12:00"), &["salle", "fêtes"]),
            ],
        ),
    ]);
}

#[test]
fn the_places_every_village_has() {
    check(&[
        (
            "village/_posts/2025-03-03-conte.md",
            "---\ntitle: Heure du conte\ndate: 2025-03-03\n---\n\nHeure du conte pour les petits le mercredi 12 mars à 10h30 à la médiathèque.\n",
            &[("2025-03-12", "2025-03-12", Some("10:30"), None, &["médiathèque"])],
        ),
        (
            "village/_posts/2025-04-28-ceremonie.md",
            "---\ntitle: 8 mai\ndate: 2025-04-28\n---\n\nLa cérémonie commémorative aura lieu le jeudi 8 mai à 11h devant la mairie.\n",
            &[("2025-05-08", "2025-05-08", Some("11:00"), None, &["mairie"])],
        ),
    ]);
}

#[test]
fn a_venue_with_its_town_or_address_in_brackets_or_after_a_dash() {
    check(&[
        (
            "meetup/_posts/2025-01-10-meetup.md",
            "---\ntitle: Meetup\ndate: 2025-01-10\n---\n\nLe prochain meetup aura lieu le mardi 21 janvier à 19h au Hangar (Nantes, tram ligne 1).\n",
            &[("2025-01-21", "2025-01-21", Some("19:00"), None, &["Hangar", "Nantes"])],
        ),
        (
            "club/_posts/2025-09-01-ag.md",
            "---\ntitle: AG\ndate: 2025-09-01\n---\n\nAssemblée générale le jeudi 2 octobre 2025 à 20h.\n\n📍 Salle des Tilleuls — 4 rue de la Gare 35500 Vitré\n",
            &[("2025-10-02", "2025-10-02", Some("20:00"), None, &["Tilleuls", "Gare", "Vitré"])],
        ),
    ]);
}

#[test]
fn a_town_then_its_venue_and_a_programme_named_by_a_year() {
    check(&[(
        "communiques/2026-01-05-demo.md",
        "---\ntitle: Demo day\ndate: 2026-01-05\n---\n\n**Demo day du programme Avenir 2030** : mercredi 21 janvier, de 17h30 à 20h, à Montpellier, au Corum.\n",
        &[("2026-01-21", "2026-01-21", Some("17:30"), Some("20:00"), &["Montpellier", "Corum"])],
    )]);
}

#[test]
fn venues_written_as_common_nouns_or_after_the_hour() {
    check(&[
        (
            "village/_posts/2025-04-01-troc.md",
            "---\ntitle: Troc\ndate: 2025-04-01\n---\n\nTroc de graines le samedi 12 avril à 10h sur la place de l'église.\n",
            &[("2025-04-12", "2025-04-12", Some("10:00"), None, &["place", "église"])],
        ),
        (
            "club/_posts/2025-04-01-loto.md",
            "---\ntitle: Loto\ndate: 2025-04-01\n---\n\nLoto du club le samedi 12 avril à 20h salle Jean-Vilar.\n",
            &[("2025-04-12", "2025-04-12", Some("20:00"), None, &["salle", "Jean-Vilar"])],
        ),
    ]);
}

#[test]
fn a_weekday_alone_with_its_hour_is_the_coming_one() {
    check(&[
        (
            // published on Monday 3 March 2025
            "club/_posts/2025-03-03-match.md",
            "---\ntitle: Match\ndate: 2025-03-03\n---\n\nRDV dimanche à 15h au stade municipal pour le match contre Vannes.\n",
            &[("2025-03-09", "2025-03-09", Some("15:00"), None, &["stade", "municipal"])],
        ),
        (
            // a habit, not a date
            "club/_posts/2025-03-04-horaires.md",
            "---\ntitle: Horaires\ndate: 2025-03-04\n---\n\nLes entraînements ont lieu le samedi à 10h et tous les mercredis à 18h.\n",
            &[],
        ),
    ]);
}

#[test]
fn reports_of_the_day_and_of_past_months_are_not_announcements() {
    check(&[
        (
            // a diary post titled with its own day, no hour anywhere
            "collectif/_posts/2024-09-12-concert.md",
            "---\ntitle: 12 septembre, le concert de la place\ndate: 2024-09-12\n---\n\nLe concert annoncé est joué devant une foule nombreuse.\n",
            &[],
        ),
        (
            // four months after it, a day without its year said in the past
            "collectif/_posts/2024-10-02-bilan.md",
            "---\ntitle: Bilan\ndate: 2024-10-02\n---\n\nMerci à tous ceux qui étaient présents à la soirée organisée le 7 juin.\n",
            &[],
        ),
    ]);
}
