//! The extractor never panics, whatever the text, and its evidence points at real lines.

use std::path::PathBuf;

use agenda::content::{Document, Front, Published, Segment, SegmentOrigin};
use agenda::extract::extract;
use jiff::civil::date;
use proptest::prelude::*;

fn doc_with(text: &str) -> Document {
    let mut lines = vec![(0usize, 1u32)];
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            lines.push((i + 1, lines.len() as u32 + 1));
        }
    }
    Document {
        path: PathBuf::from("x.md"),
        rel: "communiques/x.md".into(),
        collection: "communiques".into(),
        slug: "x".into(),
        title: "Titre".into(),
        published: Some(Published {
            date: date(2023, 10, 27),
            timestamp: jiff::Timestamp::UNIX_EPOCH,
        }),
        front: Front::default(),
        body: text.to_string(),
        body_line: 1,
        segments: vec![Segment {
            origin: SegmentOrigin::Body,
            text: text.to_string(),
            lines,
        }],
        diagnostics: Vec::new(),
    }
}

fn check(text: &str) {
    let x = extract(&doc_with(text));
    let max_line = text.lines().count().max(1) as u32;
    for e in &x.events {
        assert!(e.start <= e.end);
        for ev in &e.evidence {
            assert!(
                ev.line >= 1 && ev.line <= max_line,
                "line {} of {max_line}",
                ev.line
            );
        }
    }
}

const PIECES: &[&str] = &[
    "le",
    "du",
    "au",
    "les",
    "et",
    ",",
    " ",
    "\n",
    "1er",
    "1 er",
    "31",
    "29",
    "0",
    "99",
    "2023",
    "février",
    "novembre",
    "décembre",
    "lundi",
    "à",
    "14h",
    "25h70",
    "h",
    ":",
    "/",
    "-",
    "–",
    "12/13/2023",
    "jusqu'au",
    "salon",
    "webinaire",
    "stand",
    "A40",
    "(",
    ")",
    "à Paris",
    "aujourd'hui",
    "prochain",
    "dernier",
    "de",
    "9 h 30",
    "midi",
    "\u{a0}",
    "’",
    "é",
    "🎉",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_text_is_safe(s in "\\PC{0,300}") {
        check(&s);
    }

    #[test]
    fn date_like_soup_is_safe(parts in proptest::collection::vec(0..PIECES.len(), 0..60)) {
        let s: String = parts.iter().map(|&i| PIECES[i]).collect::<Vec<_>>().join(" ");
        check(&s);
    }
}

#[test]
fn impossible_values_warn() {
    for s in [
        "Le salon aura lieu le 31 février 2024.",
        "Le salon aura lieu le 30 février.",
        "Rendez-vous le 9 novembre à 25h70 pour le salon.",
    ] {
        let x = extract(&doc_with(s));
        assert!(!x.warnings.is_empty(), "{s}");
    }
}

#[test]
fn a_large_text_is_read_whole() {
    let para = "Le salon se tiendra du 21 au 23 novembre de 9h à 19h à Paris Porte de Versailles, stand A40. Candidatures jusqu'au 3 novembre.\n";
    let text = para.repeat(8_000);
    let x = extract(&doc_with(&text));
    assert_eq!(x.events.len(), 1);
    assert_eq!(x.deadlines.len(), 1);
}
