//! A Duckling-style corpus of French date, time and place expressions.
//!
//! Every group is one expected result followed by every phrasing that must produce it;
//! then phrases that must produce no event. All against one reference date: a release
//! published on Friday 27 October 2023. Positive phrasings are read inside the sentence
//! "La rencontre se tiendra {phrase}."; negative phrases are read as written.

use std::path::PathBuf;

use agenda::agenda::{Extraction, Status};
use agenda::content::{Document, Front, Published, Segment, SegmentOrigin};
use agenda::extract::extract;
use jiff::civil::{date, Date};

const REFERENCE: (i16, i8, i8) = (2023, 10, 27);

fn doc_with(text: &str) -> Document {
    Document {
        path: PathBuf::from("test.md"),
        rel: "communiques/test.md".into(),
        collection: "communiques".into(),
        slug: "test".into(),
        title: "Communiqué de test".into(),
        published: Some(Published {
            date: date(REFERENCE.0, REFERENCE.1, REFERENCE.2),
            timestamp: jiff::Timestamp::UNIX_EPOCH,
        }),
        front: Front::default(),
        body: text.to_string(),
        body_line: 1,
        segments: vec![Segment {
            origin: SegmentOrigin::Body,
            text: text.to_string(),
            lines: vec![(0, 1)],
        }],
        diagnostics: Vec::new(),
    }
}

fn run(text: &str) -> Extraction {
    extract(&doc_with(text))
}

fn wrap(phrase: &str) -> String {
    format!("La rencontre se tiendra {phrase}.")
}

/// The phrase in the middle of a long paragraph whose other sentences hold figures but no
/// date: the extractor reads only some sentences of long paragraphs, and must still find
/// every expression.
fn in_long_paragraph(phrase: &str) -> String {
    format!(
        "Plus de 367 administrations se sont engagées dans la démarche, avec 12 000 agents. \
         Doté de 7 millions d'euros, le fonds soutient 31 projets dans 18 régions. {} \
         57 % des élus locaux déclarent souhaiter davantage de services en ligne. Les 12 \
         lauréats présenteront leurs travaux aux 250 participants. Au total, 4 ateliers et \
         2 tables rondes rythmeront les échanges entre les 40 intervenants.",
        wrap(phrase)
    )
}

/// (start, end) of every event.
fn days(x: &Extraction) -> Vec<(Date, Date)> {
    x.events.iter().map(|e| (e.start, e.end)).collect()
}

fn d(m: i8, day: i8) -> Date {
    let y = if m >= 10 { 2023 } else { 2024 };
    date(y, m, day)
}

fn hm(t: Option<jiff::civil::Time>) -> Option<(i8, i8)> {
    t.map(|t| (t.hour(), t.minute()))
}

#[test]
fn dates() {
    type Group<'a> = (&'a [(Date, Date)], &'a [&'a str]);
    let groups: &[Group] = &[
        (
            &[(d(11, 9), d(11, 9))],
            &[
                "le 9 novembre 2023",
                "le jeudi 9 novembre 2023",
                "jeudi 9 novembre",
                "le 9 novembre",
                "9 novembre 2023",
                "le 09/11/2023",
                "le 9/11/2023",
                "le 09/11/23",
                "le 09/11",
                "le jeudi 09/11",
                "le 9 nov. 2023",
                "le 9 novembre prochain",
                "le 09-11-2023",
                "jeu. 9 novembre",
                "le 2023-11-09",
                "le 9.11.2023",
                "le Jeudi 9 Novembre",
                "LE JEUDI 9 NOVEMBRE",
                "le 9\u{a0}novembre",
                "le jeudi\u{a0}9\u{202f}novembre 2023",
                "ce jeudi 9 novembre",
            ],
        ),
        (
            &[(d(12, 1), d(12, 1))],
            &[
                "le 1er décembre",
                "le 1 er décembre",
                "le 1re décembre",
                "le 1ère décembre",
                "le premier décembre",
                "vendredi 1er décembre",
                "le vendredi 1er décembre 2023",
                "le 01/12",
                "le 1er décembre 2023",
                "le 1/12/2023",
                "le 1er déc. 2023",
            ],
        ),
        (
            &[(d(11, 21), d(11, 23))],
            &[
                "du 21 au 23 novembre",
                "du mardi 21 au jeudi 23 novembre",
                "du 21 au 23 novembre 2023",
                "21-23 novembre",
                "21 – 23 novembre 2023",
                "du 21/11 au 23/11",
                "du 21/11/2023 au 23/11/2023",
                "les 21, 22 et 23 novembre",
                "les 21, 22 et 23 novembre 2023",
                "du 21 novembre au 23 novembre",
                "du 21 jusqu'au 23 novembre",
                "du mardi 21 novembre au jeudi 23 novembre 2023",
                "du 21 au 23 novembre prochain",
                "les 21, 22, 23 novembre",
                "les 21, 22 & 23 novembre",
            ],
        ),
        (
            &[(d(11, 30), d(12, 2))],
            &[
                "du 30 novembre au 2 décembre",
                "du jeudi 30 novembre au samedi 2 décembre",
                "30 novembre - 2 décembre 2023",
                "30 novembre – 2 décembre",
                "les 30 novembre, 1er et 2 décembre",
                "du 30/11 au 02/12",
                "du 30 novembre au 2 décembre 2023",
                "du 30/11/2023 au 2/12/2023",
            ],
        ),
        (
            &[(date(2023, 12, 28), date(2024, 1, 3))],
            &[
                "du 28 décembre au 3 janvier",
                "du 28 décembre 2023 au 3 janvier 2024",
                "du 28 décembre au 3 janvier 2024",
                "du jeudi 28 décembre au mercredi 3 janvier",
                "28 décembre – 3 janvier 2024",
            ],
        ),
        (
            &[
                (d(3, 12), d(3, 12)),
                (d(3, 19), d(3, 19)),
                (d(3, 26), d(3, 26)),
            ],
            &[
                "le 12, le 19 et le 26 mars",
                "les 12, 19 et 26 mars",
                "les 12, 19 et 26 mars 2024",
                "le 12, le 19 et le 26 mars 2024",
                "les mardis 12, 19 et 26 mars",
                "le 12/03, le 19/03 et le 26/03",
            ],
        ),
        (
            &[(d(3, 31), d(4, 1))],
            &[
                "les 31 mars et 1er avril",
                "les 31 mars et 1er avril 2024",
                "du 31 mars au 1er avril",
                "du dimanche 31 mars au lundi 1er avril",
                "31 mars - 1er avril 2024",
            ],
        ),
        (
            &[(d(1, 15), d(1, 15))],
            &[
                "le 15 janvier",
                "le lundi 15 janvier",
                "le 15 janvier 2024",
                "le 15/01",
                "le 15/01/2024",
                "le 15/01/24",
                "le 15 janv. 2024",
                "lundi 15 janvier",
            ],
        ),
        (
            &[(date(2024, 11, 2), date(2024, 11, 2))],
            &[
                "le samedi 2 novembre",
                "samedi 2 novembre",
                "le samedi 2 novembre 2024",
            ],
        ),
        (
            &[(d(10, 31), d(10, 31))],
            &[
                "mardi prochain",
                "le mardi 31 octobre",
                "ce mardi",
                "ce mardi 31 octobre",
                "le 31 octobre",
                "le 31/10",
                "le 31 octobre prochain",
                "le 31 octobre 2023",
            ],
        ),
        (
            &[(d(10, 27), d(10, 27))],
            &[
                "aujourd'hui",
                "aujourd\u{2019}hui",
                "ce jour",
                "ce vendredi",
                "le 27 octobre",
                "ce vendredi 27 octobre",
                "le vendredi 27 octobre 2023",
            ],
        ),
        (
            &[(d(2, 29), d(2, 29))],
            &["le 29 février", "le jeudi 29 février", "le 29/02/2024"],
        ),
        (
            &[(d(6, 7), d(6, 9))],
            &[
                "les 7, 8 et 9 juin",
                "du 7 au 9 juin",
                "du 7 au 9 juin 2024",
                "7-9 juin 2024",
                "du vendredi 7 au dimanche 9 juin",
            ],
        ),
        (
            &[(d(5, 22), d(5, 25))],
            &[
                "du 22 au 25 mai 2024",
                "du 22 au 25 mai",
                "du mercredi 22 au samedi 25 mai",
                "les 22, 23, 24 et 25 mai",
                "22-25 mai 2024",
                "du 22/05 au 25/05",
                "du 22/05/2024 au 25/05/2024",
                "du mercredi 22 mai au samedi 25 mai 2024",
            ],
        ),
        (
            &[(d(12, 6), d(12, 6))],
            &[
                "le 6 décembre",
                "le mercredi 6 décembre",
                "le 6 decembre",
                "le 06/12",
                "le 6/12/2023",
                "le 6 déc. 2023",
                "mercredi 6 décembre 2023",
                "le 6 DÉCEMBRE",
            ],
        ),
        (
            &[(d(11, 14), d(11, 14)), (d(11, 28), d(11, 28))],
            &[
                "le 14 et le 28 novembre",
                "les 14 et 28 novembre",
                "le mardi 14 et le mardi 28 novembre",
                "les 14/11 et 28/11",
                "le 14 novembre et le 28 novembre 2023",
            ],
        ),
    ];
    let mut n = 0;
    for (want, phrasings) in groups {
        for p in *phrasings {
            n += 1;
            let x = run(&wrap(p));
            assert_eq!(days(&x), want.to_vec(), "« {p} »: {:?}", x.warnings);
            let x = run(&in_long_paragraph(p));
            assert_eq!(days(&x), want.to_vec(), "« {p} » in a long paragraph");
        }
    }
    assert!(n >= 120, "{n}");
}

#[test]
fn times() {
    type Hm = Option<(i8, i8)>;
    let groups: &[((Hm, Hm), &[&str])] = &[
        (
            (Some((14, 0)), None),
            &[
                "le 9 novembre à 14h",
                "le 9 novembre à 14 h",
                "le 9 novembre à 14H",
                "le 9 novembre à 14h00",
                "le 9 novembre à 14:00",
                "le 9 novembre à 14 heures",
                "le jeudi 9 novembre 2023 à 14h",
                "à 14h, le 9 novembre",
                "le 9/11 à 14h",
                "le 9 novembre, à 14 h",
            ],
        ),
        (
            (Some((14, 30)), None),
            &[
                "le 9 novembre à 14 h 30",
                "le 9 novembre à 14h30",
                "le 9 novembre à 14:30",
                "le 9 novembre à 14 heures 30",
                "le 9 novembre à 14H30",
                "le 9 novembre vers 14h30",
            ],
        ),
        (
            (Some((9, 30)), None),
            &[
                "le 9 novembre à 9 h 30",
                "le 9 novembre à 09h30",
                "le 9 novembre à 9 heure 30",
                "le 9 novembre à 9h30",
                "le 9 novembre à 09:30",
            ],
        ),
        (
            (Some((9, 30)), Some((12, 0))),
            &[
                "le 9 novembre de 9h30 à 12h",
                "le 9 novembre, 9h30 - 12h",
                "le 9 novembre de 09h30 à 12h00",
                "le 9 novembre, 9h30-12h",
                "le 9 novembre entre 9h30 et 12h",
                "le 9 novembre de 9 h 30 à 12 h",
                "le 9 novembre, 09:30 - 12:00",
                "le 9 novembre de 9h30 à midi",
                "le 9 novembre de 9h30 jusqu'à 12h",
            ],
        ),
        (
            (Some((18, 30)), Some((21, 30))),
            &[
                "le 9 novembre, 18h30-21h30",
                "le 9 novembre de 18h30 à 21h30",
                "le 9 novembre, 18h30 – 21h30",
                "le jeudi 9 novembre de 18 h 30 à 21 h 30",
            ],
        ),
        (
            (Some((14, 0)), None),
            &[
                "le 9 novembre à partir de 14h",
                "le 9 novembre dès 14h",
                "le 9 novembre, à partir de 14 h",
            ],
        ),
        (
            (Some((10, 0)), Some((13, 0))),
            &[
                "le 9 novembre, 10h / 13h",
                "le 9 novembre de 10h à 13h",
                "le 9 novembre, 10:00-13:00",
            ],
        ),
        (
            (Some((18, 0)), None),
            &["le 9 novembre à 18H", "le 9 novembre à 18h00"],
        ),
        (
            (Some((8, 45)), Some((10, 45))),
            &[
                "le 9 novembre de 8h45 à 10h45",
                "le 9 novembre, de 8 h 45 à 10 h 45",
                "le 9 novembre de 08:45 à 10:45",
                "le jeudi 9 novembre 2023, 8h45-10h45",
            ],
        ),
    ];
    for ((st, et), phrasings) in groups {
        for p in *phrasings {
            for text in [wrap(p), in_long_paragraph(p)] {
                let x = run(&text);
                assert_eq!(days(&x), vec![(d(11, 9), d(11, 9))], "« {text} »");
                let e = &x.events[0];
                assert_eq!((hm(e.start_time), hm(e.end_time)), (*st, *et), "« {text} »");
            }
        }
    }
    let x = run(&wrap(
        "du jeudi 9 novembre 2023 à 9h au vendredi 10 novembre 2023 à 17h",
    ));
    assert_eq!(days(&x), vec![(d(11, 9), d(11, 10))]);
    assert_eq!(hm(x.events[0].start_time), Some((9, 0)));
    assert_eq!(hm(x.events[0].end_time), Some((17, 0)));
    let x = run(&wrap("les 14 et 15 décembre prochains"));
    assert_eq!(days(&x), vec![(d(12, 14), d(12, 15))]);
    // daily hours of a several-day event
    let x = run(&wrap("du 21 au 23 novembre de 9h à 19h"));
    assert_eq!(days(&x), vec![(d(11, 21), d(11, 23))]);
    assert_eq!(hm(x.events[0].start_time), Some((9, 0)));
    assert_eq!(hm(x.events[0].end_time), Some((19, 0)));
}

#[test]
fn places_stands_online_zones_status() {
    let places: &[(&str, &[&str])] = &[
        (
            "Paris Porte de Versailles",
            &[
                "du 21 au 23 novembre, à Paris Porte de Versailles",
                "du 21 au 23 novembre à Paris Porte de Versailles, au sein d'un stand dédié (A40)",
            ],
        ),
        (
            "Paris Expo Porte de Versailles",
            &["le 9 novembre à Paris Expo Porte de Versailles"],
        ),
        (
            "Lieu de la transformation publique",
            &[
                "le 9 novembre au Lieu de la transformation publique",
                "le 9 novembre à 14h au Lieu de la transformation publique, à Paris",
            ],
        ),
        (
            "Lille",
            &["le 9 novembre au 1 boulevard des Cités Unies 59777 Lille"],
        ),
        (
            "dock Pullmann, Aubervilliers",
            &["le 9 novembre au dock Pullmann, Aubervilliers"],
        ),
        ("Ploufragan (22)", &["le 9 novembre à Ploufragan (22)"]),
        (
            "Bordeaux",
            &[
                "à Bordeaux du 19 au 20 novembre",
                "le 9 novembre à Bordeaux",
            ],
        ),
        (
            "palais des Congrès de Paris",
            &["le 9 novembre au palais des Congrès de Paris"],
        ),
        // lower-case venue heads, and venues after a comma without a preposition
        (
            "place de l'Église",
            &["les samedi 11 et dimanche 12 novembre, de 10 h à 19 h, place de l'Église"],
        ),
        (
            "kiosque du parc Bellevue",
            &["le dimanche 12 novembre à 17 h au kiosque du parc Bellevue"],
        ),
        (
            "foyer rural de Rochebrune",
            &["le jeudi 9/11 à 18H, foyer rural de Rochebrune"],
        ),
        (
            "parc des expositions de Rennes",
            &["le 5 décembre, parc des expositions de Rennes"],
        ),
        ("gymnase municipal", &["le 5 décembre de 9h à 17h, au gymnase municipal"]),
        (
            "campus du Pont-Neuf",
            &["le 17/11/2023 à 14h, campus du Pont-Neuf"],
        ),
        (
            "amphithéâtre Marie-Curie",
            &["mardi 14 novembre, de 18 heures à 20 heures, amphithéâtre Marie-Curie (bâtiment B3)"],
        ),
        (
            "place des Cocotiers",
            &["le 9 novembre à 8 heures, place des Cocotiers, à Nouméa"],
        ),
        (
            "médiathèque Louise-Michel",
            &["le 9 novembre à la médiathèque Louise-Michel, 8 rue de la République"],
        ),
        // capitalised names that go on in lower case
        ("Hub numérique de Nantes", &["le 9 novembre au Hub numérique de Nantes"]),
        ("Assemblée nationale", &["le 9 novembre à l'Assemblée nationale"]),
        // the venue an inauguration is about
        (
            "Maison de l'emploi numérique de Saint-Pierre",
            &["le 9 novembre : le ministre inaugurera la Maison de l'emploi numérique de Saint-Pierre"],
        ),
        // "en" and "sous" before a venue, a venue after a dash
        ("salle du conseil", &["le 9 novembre à 19h en salle du conseil"]),
        ("église Saint-Martin", &["le 9 novembre à 17h en l'église Saint-Martin"]),
        ("chapiteau du parc Bellevue", &["le 9 novembre sous le chapiteau du parc Bellevue"]),
        ("Salle du conseil", &["le 9 novembre de 18h à 20h – Salle du conseil, Hôtel de ville"]),
        // a town and a venue word after a comma
        (
            "Paris Expo Porte de Versailles",
            &["au Salon de l'agriculture du 9 au 12 novembre, Paris Expo Porte de Versailles, Hall 3"],
        ),
        (
            "Maison du numérique de Nouville",
            &["le 9 novembre à la Maison du numérique de Nouville, à Nouméa"],
        ),
    ];
    for (want, phrasings) in places {
        for p in *phrasings {
            let x = run(&wrap(p));
            let loc = x
                .events
                .first()
                .and_then(|e| e.location.clone())
                .unwrap_or_default();
            assert!(loc.contains(want), "« {p} »: got {loc:?}");
        }
    }
    let stands: &[(&str, &str)] = &[
        ("le 9 novembre, stand A40", "A40"),
        ("le 9 novembre, stand n°J59", "J59"),
        ("le 9 novembre, Pavillon A, Stand A40", "A40"),
        ("le 9 novembre, stands A12 et A14", "A12"),
        ("le 9 novembre, au sein d'un stand dédié (A40)", "A40"),
        ("le 9 novembre sur le stand interministériel L57", "L57"),
    ];
    for (p, want) in stands {
        let x = run(&wrap(p));
        assert_eq!(
            x.events.first().and_then(|e| e.stand.clone()).as_deref(),
            Some(*want),
            "« {p} »"
        );
    }
    let online: &[(&str, bool)] = &[
        ("le 9 novembre en ligne, de 14h à 16h", true),
        ("le 9 novembre en visioconférence", true),
        ("le 9 novembre en direct sur YouTube", true),
        ("sous forme de webinaire le 9 novembre", true),
        ("le 9 novembre, 100 % en ligne", true),
        ("le 9 novembre en présentiel et en ligne", false),
        ("le 9 novembre à Paris ou en visioconférence", false),
        ("le 9 novembre à Paris", false),
        // held at a place and broadcast too
        (
            "le 9 novembre au Centre des congrès de Pau. Elle sera également retransmise en direct sur YouTube",
            false,
        ),
    ];
    for (p, want) in online {
        let x = run(&wrap(p));
        assert_eq!(x.events.first().map(|e| e.online), Some(*want), "« {p} »");
    }
    let zones: &[(&str, &str)] = &[
        ("le 9 novembre à Pointe-à-Pitre", "America/Guadeloupe"),
        (
            "le 9 novembre à Saint-Denis de La Réunion",
            "Indian/Reunion",
        ),
        ("le 9 novembre à Nouméa", "Pacific/Noumea"),
        ("le 9 novembre à Cayenne", "America/Cayenne"),
        ("le 9 novembre à Fort-de-France", "America/Martinique"),
        ("le 9 novembre à Lyon", "Europe/Paris"),
    ];
    for (p, want) in zones {
        let x = run(&wrap(p));
        assert_eq!(
            x.events.first().map(|e| e.tz.as_str()),
            Some(*want),
            "« {p} »"
        );
    }
    let x = run("Le forum du 9 novembre est annulé.");
    assert_eq!(x.events.first().map(|e| e.status), Some(Status::Cancelled));
    let x = run("Le forum prévu le 9 novembre est reporté à une date ultérieure.");
    assert_eq!(x.events.first().map(|e| e.status), Some(Status::Postponed));
}

#[test]
fn no_event() {
    let phrases: &[&str] = &[
        "Les candidatures sont ouvertes jusqu'au 3 novembre.",
        "En 2022, plus de 300 personnes avaient participé à la journée organisée le 15 novembre.",
        "Candidatez jusqu\u{2019}au 10 novembre, 17h.",
        "Les dossiers sont à envoyer avant le 8 décembre 2023.",
        "Réponses attendues au plus tard le 15 novembre.",
        "Date limite : 20 novembre 2023.",
        "Date limite de dépôt des dossiers : le 20 novembre.",
        "Clôture des candidatures le 30 novembre.",
        "Le programme démarrera fin avril.",
        "La sélection aura lieu mi-janvier.",
        "Les lauréats seront connus à la rentrée 2024.",
        "Le rapport sera publié en novembre.",
        "Le service ouvrira en décembre 2023.",
        "Une permanence se tient tous les premiers lundis du mois.",
        "Le rapport remis le 9 octobre a été salué.",
        "Le 6 octobre dernier, la DINUM a réuni ses partenaires.",
        "La conférence a eu lieu le 12 septembre.",
        "Depuis le 1er janvier 2020, le service est ouvert.",
        "Le service sera accessible à partir du 7 novembre.",
        "Ces règles s'appliquent à compter du 1er décembre.",
        "Dès le 7 novembre, les agents pourront s'inscrire.",
        "Le dispositif sera généralisé en 2024.",
        "Le déploiement est prévu début 2024.",
        "Tous les services seront accessibles d'ici fin 2023.",
        "Le programme se poursuivra l'été 2024.",
        "La plateforme ouvrira courant décembre.",
        "Le décret du 21 février 2022 précise ces règles.",
        "La loi du 7 octobre 2016 pour une République numérique.",
        "La version 4.1 du référentiel est publiée.",
        "Rendez-vous salle 2.115.",
        "Le salon se tiendra le 31 février.",
        "Le salon se tiendra le 30 février 2024.",
        "Rendez-vous à 14h30.",
        "Les étapes 1/2/3/4 sont décrites.",
        "Les ateliers des 5 et 6 octobre ont réuni 200 personnes.",
        "Lundi dernier, le ministre a visité le salon.",
        "Hier, le ministre a ouvert le forum.",
        "À ce jour, 300 services sont en ligne.",
        "Aujourd'hui, la DINUM publie son rapport annuel.",
        "Le 26 avril dernier, le Premier ministre a présenté la feuille de route.",
        "Du 4 avril au 6 mai : pré-sélection des candidats au programme.",
        "Du 7 au 13 novembre : jury de sélection des candidats.",
        "Le 12 décembre : arrivée des lauréats et démarrage de la promotion.",
        "L'appel à projets est ouvert du 30 octobre au 15 décembre 2023.",
        "Les inscriptions sont ouvertes du 1er novembre au 20 décembre.",
        "Le rapport a été remis le 9 novembre 2022.",
        "En 2021, 35 projets ont été retenus.",
        "Une journée de novembre 2023.",
        "Ils étaient 200 le 10 octobre.",
        "Le forum parle des défis d'aujourd'hui.",
        "Dès aujourd'hui, inscrivez-vous au salon.",
        "Inscriptions du 1er au 15 novembre pour le salon.",
        "Ouverture des inscriptions au forum le 3 novembre.",
        "Fin des inscriptions au forum le 20 novembre.",
        "Lancé le 9 novembre 2022, le programme a déjà permis d'aider 300 communes.",
        // service notices and rules coming into force
        "Une opération de maintenance est programmée le samedi 25 novembre de 8 h à 12 h.",
        "Les services seront exceptionnellement fermés le lundi 13 novembre 2023.",
        "Réouverture aux horaires habituels le mardi 14 novembre à 7 h 30.",
        "Plusieurs mesures entreront en vigueur au 1er janvier 2024, dont la gratuité des transports.",
        "Le 9 novembre, nous irons en France et en Conseil des ministres.",
        "La piscine municipale sera fermée du 13 au 19 novembre pour vidange.",
    ];
    assert!(phrases.len() >= 40);
    for p in phrases {
        let x = run(p);
        assert!(x.events.is_empty(), "« {p} » gave {:?}", days(&x));
    }
}

#[test]
fn deadlines_are_reported_apart() {
    let x = run("Les candidatures sont ouvertes jusqu'au 3 novembre.");
    assert_eq!(x.deadlines.first().map(|d| d.date), Some(d(11, 3)));
    let x = run("Date limite : 20 novembre 2023.");
    assert_eq!(x.deadlines.first().map(|d| d.date), Some(d(11, 20)));
}

#[test]
fn impossible_dates_and_times_warn_without_panic() {
    let x = run("Le salon se tiendra le 31 février.");
    assert!(x.events.is_empty());
    assert!(
        x.warnings
            .iter()
            .any(|w| w.message.contains("impossible date")),
        "{:?}",
        x.warnings
    );
    let x = run("Le salon se tiendra le 9 novembre à 25h70.");
    assert!(
        x.warnings
            .iter()
            .any(|w| w.message.contains("impossible time")),
        "{:?}",
        x.warnings
    );
    assert!(x.events.iter().all(|e| e.start_time.is_none()));
    let x = run("Le forum se tiendra le mardi 9 novembre 2023.");
    assert!(
        x.warnings.iter().any(|w| w.message.contains("weekday")),
        "{:?}",
        x.warnings
    );
}

/// Happenings announced with a verb or a word the date's own sentence does not hold.
#[test]
fn events_written_as_verbs_and_rescheduled() {
    let cases: &[(&str, Date)] = &[
        ("Le ministre se rendra à Lyon le lundi 13 novembre 2023.", d(11, 13)),
        ("Déplacement du ministre à Lyon le lundi 13 novembre 2023.", d(11, 13)),
        (
            "Le préfet inaugurera le lundi 13 novembre 2023 la nouvelle gendarmerie de Kourou.",
            d(11, 13),
        ),
        (
            "La journée portes ouvertes s'adresse aux personnes en reprise d'études le samedi 18 novembre 2023.",
            d(11, 18),
        ),
        (
            "Le salon, initialement prévu le 9 novembre, est reporté au mardi 12 décembre 2023.",
            d(12, 12),
        ),
    ];
    for (p, want) in cases {
        let x = run(p);
        assert_eq!(days(&x), vec![(*want, *want)], "« {p} »");
    }
    let x =
        run("Le salon, initialement prévu le 9 novembre, est reporté au mardi 12 décembre 2023.");
    assert_eq!(x.events.first().map(|e| e.status), Some(Status::Confirmed));
    let x = run("La médiathèque est inaugurée aujourd'hui, vendredi 27 octobre, à 11 h.");
    assert_eq!(days(&x), vec![(d(10, 27), d(10, 27))]);
    let x = run("Le meetup revient ce soir, 18h30-21h30, à la Fabrique des Docks, Aubervilliers.");
    assert_eq!(days(&x), vec![(d(10, 27), d(10, 27))]);
}

/// A phrasing, the place and the start time it must give.
type PlaceTimeCase<'a> = (&'a str, &'a str, Option<(i8, i8)>);

/// The place or the time of an event said on a labelled line or in the next sentence.
#[test]
fn place_and_time_after_the_dated_sentence() {
    let cases: &[PlaceTimeCase] = &[
        (
            "Une matinée de conférences aura lieu le jeudi 9 novembre de 9 h à 12 h 30.\n\nLieu : auditorium Simone-Veil, 12 rue de la Convention, 75015 Paris.",
            "auditorium Simone-Veil, 12 rue de la Convention, 75015 Paris",
            Some((9, 0)),
        ),
        (
            "Quand ? Le 9 novembre de 10h à 16h.\n\nOù ? Salle des fêtes, 2 place du Marché, 35000 Vitré.",
            "Salle des fêtes, 2 place du Marché, 35000 Vitré",
            Some((10, 0)),
        ),
        (
            "Forum de l'emploi : mercredi 8 novembre 2023, de 8 h 30 à 16 h 📍 Halle des manifestations, 12 rue du Port, 97420 Le Port",
            "Halle des manifestations, 12 rue du Port, 97420 Le Port",
            Some((8, 30)),
        ),
        (
            "Le salon est reporté au mardi 12 décembre 2023.\n\nIl se tiendra à la halle des expositions de Clermont-Ferrand, de 9 h 30 à 17 h.",
            "halle des expositions de Clermont-Ferrand",
            Some((9, 30)),
        ),
    ];
    for (p, want_loc, want_time) in cases {
        let x = run(p);
        let e = x.events.first();
        assert_eq!(
            e.and_then(|e| e.location.as_deref()),
            Some(*want_loc),
            "« {p} »"
        );
        assert_eq!(e.and_then(|e| hm(e.start_time)), *want_time, "« {p} »");
    }
    let x = run("Le ministre se rendra à Lyon le lundi 13 novembre 2023. À 9 h 30, il inaugurera le campus.");
    assert_eq!(
        x.events.first().and_then(|e| hm(e.start_time)),
        Some((9, 30))
    );
    let x = run("La ministre se rendra en Guyane le lundi 13 novembre 2023.\n\nÀ Cayenne, elle inaugurera à 10 h le centre de données, prévu par le plan du 18 juillet 2023.");
    let e = x.events.first();
    assert_eq!(e.and_then(|e| hm(e.start_time)), Some((10, 0)));
    assert_eq!(e.map(|e| e.tz.as_str()), Some("America/Cayenne"));
    // a range with a time on each end is one event
    let x = run(&wrap(
        "du vendredi 17 novembre (18h) au dimanche 19 novembre (17h) à Station F",
    ));
    assert_eq!(days(&x), vec![(d(11, 17), d(11, 19))]);
    let e = x.events.first();
    assert_eq!(e.and_then(|e| hm(e.start_time)), Some((18, 0)));
    assert_eq!(e.and_then(|e| hm(e.end_time)), Some((17, 0)));
}

/// A verbless line of dates takes its cue from its head, and the hours and online mode
/// said just before it.
#[test]
fn lines_of_dates_under_a_head() {
    let x = run("Les Jeudis du numérique reprennent, de 12h30 à 13h30, en visio.\n\nProchaines dates : 9 novembre, 7 décembre 2023 et 11 janvier 2024.");
    assert_eq!(
        days(&x),
        vec![
            (d(11, 9), d(11, 9)),
            (d(12, 7), d(12, 7)),
            (d(1, 11), d(1, 11))
        ]
    );
    assert!(x
        .events
        .iter()
        .all(|e| e.online && hm(e.start_time) == Some((12, 30))));
    let x = run("Save the date : 21 mars 2024\n\nLes Rencontres nationales se tiendront à Lyon, au Centre de congrès.");
    assert_eq!(days(&x), vec![(d(3, 21), d(3, 21))]);
    assert!(x.events[0]
        .location
        .as_deref()
        .is_some_and(|l| l.contains("Lyon")));
}

/// Long happenings, table cells, places cut at the date, overseas zones.
#[test]
fn long_events_cells_and_zones() {
    let x = run("L'exposition se tient du 10 novembre au 10 décembre 2023 à Caen.");
    assert_eq!(days(&x), vec![(d(11, 10), d(12, 10))]);
    let x = run(
        "La campagne de recensement se déroulera du jeudi 16 novembre au samedi 23 décembre 2023.",
    );
    assert!(x.events.is_empty(), "{:?}", days(&x));
    let x = run(
        "Du lundi 13 au vendredi 17 novembre 2023, la Semaine de l'innovation publique revient.",
    );
    assert_eq!(days(&x), vec![(d(11, 13), d(11, 17))]);
    let x = run("| Jeudi 14 décembre 2023 | 14h00-17h00 | En ligne |");
    assert!(x.events.first().is_some_and(|e| e.online));
    let x = run("Rendez-vous à la mairie de Quimper le 5 décembre.");
    assert_eq!(
        x.events.first().and_then(|e| e.location.as_deref()),
        Some("mairie de Quimper")
    );
    let zones: &[(&str, &str)] = &[
        (
            "Le ministre se rendra à Saint-Denis (La Réunion) le lundi 13 novembre 2023.",
            "Indian/Reunion",
        ),
        (
            "Le forum aura lieu le 5 décembre, 📍 Halle des sports, 3 rue des Lilas, 97160 Le Moule.",
            "America/Guadeloupe",
        ),
        ("Le forum aura lieu le 5 décembre à Capesterre-Belle-Eau.", "America/Guadeloupe"),
    ];
    for (p, want) in zones {
        let x = run(p);
        assert_eq!(
            x.events.first().map(|e| e.tz.as_str()),
            Some(*want),
            "« {p} »"
        );
    }
}

/// A venue followed by its street address: the venue and the town as the place, the
/// street address as the address.
#[test]
fn venue_and_street_address() {
    let x = run("Le forum aura lieu le 5 décembre à la salle polyvalente, 3 rue des Lilas, 97110 Pointe-à-Pitre.");
    let e = x.events.first();
    assert_eq!(
        e.and_then(|e| e.location.as_deref()),
        Some("salle polyvalente, 3 rue des Lilas, 97110 Pointe-à-Pitre")
    );
    assert_eq!(
        e.and_then(|e| e.address.as_deref()),
        Some("3 rue des Lilas, 97110 Pointe-à-Pitre")
    );
    assert_eq!(e.map(|e| e.tz.as_str()), Some("America/Guadeloupe"));
}

/// An agenda page is known by its structured fields, whatever its folder: Hugo `date` +
/// `date_end` make the page's date the event's first day.
#[test]
fn agenda_page_by_its_fields() {
    let mut doc = doc_with("Une exposition de maquettes et de prototypes.");
    doc.collection = "manifestations".into();
    doc.front.event_end = Some(agenda::content::FmDateTime {
        raw: "2023-11-26".into(),
        line: 4,
        datetime: Some(date(2023, 11, 26).at(0, 0, 0, 0)),
        date_only: true,
        offset_seconds: None,
    });
    let x = extract(&doc);
    assert_eq!(days(&x), vec![(d(10, 27), d(11, 26))]);
}

/// Two named happenings in one sentence stay two events, each with its own name.
#[test]
fn two_named_events_in_one_sentence() {
    let x = run("Rendez-vous avec le Sommet des GovTech (12 novembre) et avec le Forum pour une Gouvernance de l'Internet (12 au 14 novembre) à Paris.");
    assert_eq!(
        days(&x),
        vec![(d(11, 12), d(11, 12)), (d(11, 12), d(11, 14))]
    );
    assert_eq!(x.events[0].title, "Sommet des GovTech");
    assert_ne!(x.events[1].title, "Sommet des GovTech");
}

/// The article "des" before several days is not "dès" (a start).
#[test]
fn des_before_several_days() {
    let x = run("La fête du quartier aura lieu le week-end des 11 et 12 novembre.");
    assert_eq!(days(&x), vec![(d(11, 11), d(11, 12))]);
    let x = run("Dès le 7 novembre, les agents pourront s'inscrire à l'atelier.");
    assert!(x.events.is_empty(), "{:?}", days(&x));
}

/// A front matter date-time written with an overseas offset is the civil time of the
/// place ("+11:00" is Nouméa); UTC is a moment, given in Paris time.
#[test]
fn front_matter_offsets() {
    let at = |raw: &str, h: i8, off: i32| {
        let mut doc = doc_with("Une réunion publique sur le projet de quartier.");
        doc.collection = "agenda".into();
        doc.front.event_start = Some(agenda::content::FmDateTime {
            raw: raw.into(),
            line: 4,
            datetime: Some(date(2023, 11, 9).at(h, 0, 0, 0)),
            date_only: false,
            offset_seconds: Some(off),
        });
        let x = extract(&doc);
        let e = x.events.first().cloned();
        e.map(|e| (e.start, hm(e.start_time), e.tz))
    };
    assert_eq!(
        at("2023-11-09T08:00:00+11:00", 8, 11 * 3600),
        Some((d(11, 9), Some((8, 0)), "Pacific/Noumea".to_string()))
    );
    assert_eq!(
        at("2023-11-09T18:00:00-04:00", 18, -4 * 3600),
        Some((d(11, 9), Some((18, 0)), "America/Guadeloupe".to_string()))
    );
    // "Z" on an event key is the wall-clock time the site's editor typed (CMS forms store
    // it so), not an instant to convert
    assert_eq!(
        at("2023-11-09T08:00:00Z", 8, 0),
        Some((d(11, 9), Some((8, 0)), "Europe/Paris".to_string()))
    );
    assert_eq!(
        at("2023-11-09T14:00:00+01:00", 14, 3600),
        Some((d(11, 9), Some((14, 0)), "Europe/Paris".to_string()))
    );
}
