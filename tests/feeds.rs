//! Every output parses back with the parsers readers use: feed-rs for RSS, Atom and JSON Feed,
//! roxmltree for strict XML, icalendar's parser for ICS; and any text gives valid feeds.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use agenda::publish::{atom, json_feed, rss, Attachment, FeedItem, FeedMeta, Person};
use jiff::Timestamp;
use proptest::prelude::*;

fn build(content: &Path, config: Option<&Path>, today: &str) -> (tempfile::TempDir, i32) {
    let out = tempfile::tempdir().expect("temporary folder");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_agenda"));
    cmd.arg("build")
        .arg("--content")
        .arg(content)
        .arg("--out")
        .arg(out.path())
        .args(["--today", today]);
    if let Some(c) = config {
        cmd.arg("--config").arg(c);
    } else {
        // Without --config, agenda.toml of the current folder would be read: use an empty one.
        cmd.current_dir(out.path());
    }
    let o = cmd.output().expect("agenda runs");
    let code = o.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "build failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    (out, code)
}

fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read output").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .expect("inside")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, fs::read(&p).expect("read"));
            }
        }
    }
    out
}

/// Parse every output file back; returns how many of each kind were checked.
fn parse_all(dir: &Path) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for (name, bytes) in outputs(dir) {
        if name == ".agenda-cache" {
            // The extraction cache: the build's own binary file, not an output.
            continue;
        }
        let text = std::str::from_utf8(&bytes).unwrap_or_else(|e| panic!("{name}: not UTF-8: {e}"));
        assert!(!text.starts_with('\u{feff}'), "{name}: byte order mark");
        let kind = if name.ends_with(".rss") || name.ends_with(".atom") {
            check_xml_feed(&name, &bytes);
            if name.ends_with(".rss") {
                "rss"
            } else {
                "atom"
            }
        } else if name.ends_with(".ics") {
            check_ics(&name, text);
            "ics"
        } else if name == "releases.json" {
            let feed = feed_rs::parser::parse(&bytes[..])
                .unwrap_or_else(|e| panic!("{name}: feed-rs: {e}"));
            let v: serde_json::Value = serde_json::from_str(text).expect("json");
            assert_eq!(v["version"], "https://jsonfeed.org/version/1.1");
            assert_eq!(
                feed.entries.len(),
                v["items"].as_array().map_or(0, Vec::len)
            );
            "json_feed"
        } else if name.ends_with(".json") {
            let v: serde_json::Value =
                serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            if name == "events.json" {
                for e in v["events"].as_array().expect("events array") {
                    for key in ["uid", "url", "start", "end", "sources"] {
                        assert!(!e[key].is_null(), "events.json: {key} missing in {e}");
                    }
                }
            }
            "json"
        } else if name.ends_with(".html") {
            assert!(text.starts_with("<!DOCTYPE html>"), "{name}: no doctype");
            // Its schema.org data, when it lists events, is JSON.
            if let Some(ld) = text.split("<script type=\"application/ld+json\">").nth(1) {
                let ld = ld.split("</script>").next().unwrap_or("");
                serde_json::from_str::<serde_json::Value>(ld)
                    .unwrap_or_else(|e| panic!("{name}: JSON-LD: {e}"));
            }
            "html"
        } else {
            panic!("unexpected output {name}");
        };
        *counts.entry(kind).or_insert(0) += 1;
    }
    counts
}

fn check_xml_feed(name: &str, bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).expect("utf-8");
    let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{name}: roxmltree: {e}"));
    let feed = feed_rs::parser::parse(bytes).unwrap_or_else(|e| panic!("{name}: feed-rs: {e}"));
    let root = doc.root_element();
    if name.ends_with(".rss") {
        assert_eq!(root.tag_name().name(), "rss");
        let self_link = doc.descendants().any(|n| {
            n.tag_name().name() == "link"
                && n.tag_name().namespace() == Some("http://www.w3.org/2005/Atom")
                && n.attribute("rel") == Some("self")
        });
        assert!(self_link, "{name}: no atom:link rel=self");
        let items: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("item"))
            .collect();
        assert_eq!(items.len(), feed.entries.len());
        for item in items {
            let guid = item
                .children()
                .find(|n| n.has_tag_name("guid"))
                .unwrap_or_else(|| panic!("{name}: item without guid"));
            assert_eq!(guid.attribute("isPermaLink"), Some("false"));
            let date = item
                .children()
                .find(|n| n.has_tag_name("pubDate"))
                .and_then(|n| n.text())
                .unwrap_or_else(|| panic!("{name}: item without pubDate"));
            // RFC 2822, English names, four-digit year, numeric zone.
            jiff::fmt::rfc2822::parse(date)
                .unwrap_or_else(|e| panic!("{name}: pubDate {date:?}: {e}"));
            let zone = date.rsplit(' ').next().unwrap_or("");
            assert!(
                zone.len() == 5
                    && (zone.starts_with('+') || zone.starts_with('-'))
                    && zone[1..].chars().all(|c| c.is_ascii_digit()),
                "{name}: pubDate {date:?} has no numeric zone"
            );
        }
    } else {
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/2005/Atom")
        );
        for entry in &feed.entries {
            assert!(entry.id.starts_with("tag:"), "{name}: id {}", entry.id);
            assert!(entry.updated.is_some(), "{name}: entry without updated");
        }
    }
    // Ids are unique.
    let mut ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
    ids.sort();
    let n = ids.len();
    ids.dedup();
    assert_eq!(n, ids.len(), "{name}: duplicate ids");
}

fn check_ics(name: &str, text: &str) {
    assert!(text.ends_with("\r\n"), "{name}: last line without CRLF");
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "{name}: a line ends without CR"
    );
    let unfolded = icalendar::parser::unfold(text);
    let cal = icalendar::parser::read_calendar(&unfolded)
        .unwrap_or_else(|e| panic!("{name}: icalendar: {e}"));
    let events = cal.components.iter().filter(|c| c.name == "VEVENT").count();
    assert!(events > 0, "{name}: no VEVENT");
}

#[test]
fn every_output_of_the_fixture_site_parses_back() {
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site");
    let (out, code) = build(
        &site.join("content"),
        Some(&site.join("agenda.toml")),
        "2026-03-01",
    );
    assert_eq!(code, 0);
    let counts = parse_all(out.path());
    assert_eq!(counts.get("json_feed"), Some(&1));
    assert!(counts.get("rss").copied().unwrap_or(0) >= 3, "{counts:?}");
    assert!(counts.get("ics").copied().unwrap_or(0) >= 3, "{counts:?}");
}

#[test]
fn release_feeds_carry_what_readers_need() {
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site");
    let (out, _) = build(
        &site.join("content"),
        Some(&site.join("agenda.toml")),
        "2026-03-01",
    );
    let rss = fs::read_to_string(out.path().join("releases.rss")).expect("releases.rss");
    let feed = feed_rs::parser::parse(rss.as_bytes()).expect("parses");
    let salon = feed
        .entries
        .iter()
        .find(|e| e.id == "tag:agenda.test.example,2024:communiques/salon-des-maires-2026")
        .expect("the salon release");
    // The enclosure's length is the attached file's size.
    assert!(rss.contains(r#"url="https://agenda.test.example/uploads/cp-salon.pdf" length="64" type="application/pdf""#));
    let html = salon
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .expect("content:encoded");
    assert!(!html.contains("{:"), "kramdown attributes left: {html}");
    assert!(html.contains(r#"href="https://agenda.test.example/agenda/atelier-donnees/""#));
    assert!(salon.categories.iter().any(|c| c.term == "Collectivités"));
    // Newest first, and the channel's date is the newest item's.
    assert!(rss.contains("<lastBuildDate>Mon, 2 Mar 2026 09:30:00 +0100</lastBuildDate>"));

    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.path().join("releases.json")).expect("releases.json"))
            .expect("json");
    let item = &json["items"][0];
    assert_eq!(item["attachments"][0]["mime_type"], "application/pdf");
    assert_eq!(item["date_published"], "2026-03-02T09:30:00+01:00");
}

#[test]
fn agenda_feeds_date_items_by_publication_and_name_day_and_place() {
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site");
    let (out, _) = build(
        &site.join("content"),
        Some(&site.join("agenda.toml")),
        "2026-03-01",
    );
    let bytes = fs::read(out.path().join("agenda.rss")).expect("agenda.rss");
    let feed = feed_rs::parser::parse(&bytes[..]).expect("parses");
    let salon = feed
        .entries
        .iter()
        .find(|e| {
            e.title
                .as_ref()
                .is_some_and(|t| t.content.contains("Salon des maires"))
        })
        .expect("the salon");
    let title = &salon.title.as_ref().expect("title").content;
    assert!(title.contains("du 24 au 26 mars 2026"), "{title}");
    let summary = &salon.summary.as_ref().expect("summary").content;
    assert!(summary.contains("Paris Porte de Versailles"), "{summary}");
    // The publication of the release, not the first day of the salon.
    assert_eq!(
        salon.published.map(|d| d.to_rfc3339()),
        Some("2026-03-02T08:30:00+00:00".to_string())
    );
    // The cancelled webinar is past on --today: not in the upcoming feed.
    assert!(feed.entries.iter().all(|e| !e
        .title
        .as_ref()
        .is_some_and(|t| t.content.contains("identité"))));
}

#[test]
fn every_output_of_the_dev_corpus_parses_back() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dev");
    if !corpus.is_dir() {
        println!("SKIP: {} is absent", corpus.display());
        return;
    }
    let (out, _) = build(&corpus, None, "2018-01-01");
    let counts = parse_all(out.path());
    assert!(counts.get("ics").copied().unwrap_or(0) > 1, "{counts:?}");
}

// Hostile text: any title, summary, body and category keeps every feed well-formed.

fn item(title: &str, summary: &str, html: &str, category: &str, n: usize) -> FeedItem {
    FeedItem {
        id: format!("tag:agenda.example.org,2024:test/{n}"),
        url: format!("https://agenda.example.org/x/{n}/"),
        title: title.to_string(),
        summary: Some(summary.to_string()),
        content_html: Some(html.to_string()),
        published: Timestamp::from_second(1_700_000_000 + n as i64).expect("valid"),
        updated: Timestamp::from_second(1_700_000_000 + n as i64).expect("valid"),
        categories: vec![category.to_string()],
        image: Some(format!("/img/{title}.png")),
        attachments: vec![Attachment {
            url: format!("https://agenda.example.org/f/{category}.pdf"),
            mime_type: "application/pdf".to_string(),
            length: 0,
            title: Some(title.to_string()),
        }],
    }
}

fn meta(title: &str) -> FeedMeta {
    FeedMeta {
        id: "tag:agenda.example.org,2024:test".to_string(),
        title: title.to_string(),
        description: title.to_string(),
        home_url: "https://agenda.example.org/".to_string(),
        feed_url: "https://agenda.example.org/test.rss".to_string(),
        language: "fr".to_string(),
        author: Person {
            name: title.to_string(),
            email: None,
            uri: None,
        },
        updated: Timestamp::from_second(1_700_000_100).expect("valid"),
        tz: jiff::tz::TimeZone::get("Europe/Paris").expect("zone"),
    }
}

fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[<>&\"'\\]\\[\\x00-\\x1f\\u{7f}-\\u{9f}\\u{fffe}\\u{ffff}a-zé ;,\\n\\r]{0,40}",
        Just("</title><script>alert(1)</script>".to_string()),
        Just("]]>]]]]><![CDATA[".to_string()),
        Just("\r\nEND:VEVENT\r\nATTENDEE:x".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_text_gives_valid_feeds(
        title in hostile(),
        summary in hostile(),
        html in hostile(),
        category in hostile(),
    ) {
        let items = vec![item(&title, &summary, &html, &category, 1), item(&summary, &title, &category, &html, 2)];
        let m = meta(&title);
        for (name, bytes) in [("rss", rss::write(&m, &items)), ("atom", atom::write(&m, &items))] {
            let text = std::str::from_utf8(&bytes).expect("utf-8");
            let doc = roxmltree::Document::parse(text);
            prop_assert!(doc.is_ok(), "{name}: roxmltree: {:?}\n{text}", doc.err());
            let feed = feed_rs::parser::parse(&bytes[..]);
            prop_assert!(feed.is_ok(), "{name}: feed-rs: {:?}\n{text}", feed.err());
            let feed = feed.expect("checked");
            prop_assert_eq!(feed.entries.len(), 2);
            // The title survives, cleaned of what XML forbids and of line breaks.
            let want = agenda::publish::text::one_line(&title);
            let got = feed.entries[0].title.as_ref().map(|t| t.content.clone()).unwrap_or_default();
            if name == "rss" {
                prop_assert_eq!(got.trim(), want.trim());
            }
        }
        let bytes = json_feed::write(&m, &items);
        let v: Result<serde_json::Value, _> = serde_json::from_slice(&bytes);
        prop_assert!(v.is_ok());
        prop_assert!(feed_rs::parser::parse(&bytes[..]).is_ok());
    }
}

#[test]
fn paths_are_plain() {
    // Output file names derived from uids and tags never leave their folder.
    let name = agenda::build::event_file("../../etc/passwd@x");
    assert!(
        name.starts_with("events/") && !name.contains(".."),
        "{name}"
    );
    let _ = PathBuf::from(name);
}
