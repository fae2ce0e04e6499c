//! Hostile and broken releases through the real `agenda build`.
//!
//! Each test writes a content folder with one good release and one hostile document, builds
//! it, and checks what a user would notice: a clear error naming the file (or a sane result),
//! the good release's event still published in `events.json`, and every output file valid
//! (RSS and Atom through roxmltree and feed-rs, JSON through serde_json, iCalendar through the
//! `icalendar` parser), with nothing injected into it.

use std::path::{Path, PathBuf};
use std::process::Command;

const GOOD_NAME: &str = "2024-03-01-salon-bon.md";
const GOOD: &str = "---\ntitle: L'Agence au Salon des maires\ndate: 2024-03-01\n---\n\
L'Agence sera présente au Salon des maires le mardi 12 mars 2024 à 14h, \
à Paris Expo Porte de Versailles (stand A40).\n";

/// One build of a content folder.
struct Run {
    code: i32,
    stderr: String,
    out: PathBuf,
    _dir: tempfile::TempDir,
}

/// A site with the good release and these extra documents (name, bytes) in `communiques/`.
fn build_site(docs: &[(&str, &[u8])], config: Option<&str>) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("content/communiques");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join(GOOD_NAME), GOOD).unwrap();
    for (name, bytes) in docs {
        std::fs::write(folder.join(name), bytes).unwrap();
    }
    if let Some(c) = config {
        std::fs::write(dir.path().join("agenda.toml"), c).unwrap();
    }
    let output = Command::new(env!("CARGO_BIN_EXE_agenda"))
        .args([
            "build",
            "--content",
            "content",
            "--out",
            "out",
            "--today",
            "2024-01-01",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        out: dir.path().join("out"),
        _dir: dir,
    };
    assert!(!run.stderr.contains("panicked"), "panic:\n{}", run.stderr);
    assert!(
        run.code == 0 || run.code == 1,
        "the build must publish the good release (exit {}):\n{}",
        run.code,
        run.stderr
    );
    assert_good_published(&run);
    assert_outputs_valid(&run.out);
    run
}

fn build_with(name: &str, bytes: &[u8]) -> Run {
    build_site(&[(name, bytes)], None)
}

/// The good release's event is in events.json.
fn assert_good_published(run: &Run) {
    let events = events(&run.out);
    let good = format!("communiques/{GOOD_NAME}");
    assert!(
        events.iter().any(|e| {
            e["start"] == "2024-03-12"
                && e["sources"]
                    .as_array()
                    .is_some_and(|s| s.iter().any(|s| s["doc"] == good.as_str()))
        }),
        "the good release's event is missing from events.json:\n{}\n{}",
        run.stderr,
        serde_json::to_string_pretty(&events).unwrap()
    );
}

fn events(out: &Path) -> Vec<serde_json::Value> {
    let bytes = std::fs::read(out.join("events.json")).expect("events.json is written");
    let v: serde_json::Value = serde_json::from_slice(&bytes).expect("events.json is JSON");
    v["events"].as_array().cloned().unwrap_or_default()
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Every output parses back, and carries no active markup and no injected calendar lines.
fn assert_outputs_valid(out: &Path) {
    let all = files(out);
    assert!(
        all.iter().any(|p| p.ends_with("agenda.ics")),
        "no agenda.ics"
    );
    for path in all {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        let shown = path.display();
        if name.starts_with('.') {
            assert!(
                name == ".agenda-state.json" || name == ".agenda-cache",
                "stray file {shown}"
            );
            if name == ".agenda-cache" {
                // The extraction cache: binary, not an output.
                continue;
            }
        }
        let text = std::str::from_utf8(&bytes).unwrap_or_else(|e| panic!("{shown}: {e}"));
        match path.extension().and_then(|e| e.to_str()) {
            Some("rss" | "atom") => assert_valid_feed(text, &shown.to_string()),
            Some("json") => {
                let v: serde_json::Value =
                    serde_json::from_str(text).unwrap_or_else(|e| panic!("{shown}: not JSON: {e}"));
                if name == "releases.json" {
                    for item in v["items"].as_array().unwrap() {
                        if let Some(h) = item["content_html"].as_str() {
                            assert_inert_html(h, &shown.to_string());
                        }
                    }
                }
            }
            Some("ics") => assert_valid_ics(text, &shown.to_string()),
            Some("html") => {
                // The agenda page: its one script is its JSON-LD, which parses; the rest
                // is inert.
                let (head, rest) = text
                    .split_once("<script type=\"application/ld+json\">")
                    .unwrap_or((text, "</script>"));
                let (ld, tail) = rest.split_once("</script>").unwrap_or(("", rest));
                if !ld.is_empty() {
                    serde_json::from_str::<serde_json::Value>(ld)
                        .unwrap_or_else(|e| panic!("{shown}: JSON-LD: {e}"));
                }
                assert_inert_html(&format!("{head}{tail}"), &shown.to_string());
            }
            _ => panic!("unexpected output file {shown}"),
        }
    }
}

fn assert_valid_feed(text: &str, shown: &str) {
    let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{shown}: XML: {e}"));
    feed_rs::parser::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{shown}: feed-rs: {e}"));
    for n in doc.descendants().filter(|n| n.is_element()) {
        let tag = n.tag_name().name().to_ascii_lowercase();
        assert!(
            !matches!(tag.as_str(), "script" | "iframe" | "object" | "embed"),
            "{shown}: a <{tag}> element was injected into the feed"
        );
        if matches!(tag.as_str(), "encoded" | "content") {
            let html: String = n.children().filter_map(|c| c.text()).collect();
            assert_inert_html(&html, shown);
        }
    }
}

/// Feed HTML carries no script, no event handler and no javascript: URL in an attribute.
fn assert_inert_html(html: &str, shown: &str) {
    let lower = html.to_ascii_lowercase();
    for bad in ["<script", "<iframe", "<object", "<embed", "<svg"] {
        assert!(!lower.contains(bad), "{shown}: {bad} in HTML: {html}");
    }
    let handler = regex::Regex::new(r"(?i)<[a-z][^>]*\son[a-z]+\s*=").unwrap();
    assert!(
        !handler.is_match(html),
        "{shown}: event handler in HTML: {html}"
    );
    let url =
        regex::Regex::new(r#"(?i)<[^>]*\b(href|src)\s*=\s*["']?\s*(javascript|vbscript|data)\s*:"#)
            .unwrap();
    assert!(!url.is_match(html), "{shown}: script URL in HTML: {html}");
}

fn assert_valid_ics(text: &str, shown: &str) {
    for line in text.split_terminator("\r\n") {
        assert!(line.len() <= 75, "{shown}: line over 75 octets: {line:?}");
        assert!(!line.contains(['\r', '\n']), "{shown}: bare line break");
        let name = line.split([':', ';']).next().unwrap_or_default();
        assert!(
            !matches!(name, "ATTENDEE" | "ORGANIZER" | "BEGIN:VALARM"),
            "{shown}: injected {line:?}"
        );
    }
    let unfolded = icalendar::parser::unfold(text);
    let cal = icalendar::parser::read_calendar(&unfolded)
        .unwrap_or_else(|e| panic!("{shown}: icalendar: {e}"));
    let vevents = cal.components.iter().filter(|c| c.name == "VEVENT").count();
    let begins = unfolded
        .lines()
        .filter(|l| l.trim_end() == "BEGIN:VEVENT")
        .count();
    let ends = unfolded
        .lines()
        .filter(|l| l.trim_end() == "END:VEVENT")
        .count();
    assert!(
        vevents == begins && begins == ends,
        "{shown}: {vevents} VEVENTs, {begins} BEGIN, {ends} END"
    );
}

/// The document was refused with one clear line naming it.
fn assert_refused(run: &Run, name: &str, words: &str) {
    assert_eq!(run.code, 1, "{}", run.stderr);
    let path = format!("content/communiques/{name}");
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with(&path))
        .collect();
    assert!(
        lines.iter().any(|l| l.contains(words)),
        "expected an error naming {path} with {words:?}:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("(1 skipped)"),
        "the document must be skipped:\n{}",
        run.stderr
    );
}

/// The front matter was refused with one clear line naming the file, and what its
/// plain lines and its body say was still read, without expanding anything.
fn assert_reported_and_read(run: &Run, name: &str, words: &str, title: &str) {
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = format!("content/communiques/{name}");
    assert!(
        run.stderr
            .lines()
            .any(|l| l.starts_with(&path) && l.contains(words)),
        "expected an error naming {path} with {words:?}:\n{}",
        run.stderr
    );
    assert!(
        release_titles(&run.out).iter().any(|t| t == title),
        "the document's title must still be read:\n{}",
        run.stderr
    );
}

/// The document was read, and no event of it is on an impossible day.
fn events_of(run: &Run, name: &str) -> Vec<serde_json::Value> {
    let doc = format!("communiques/{name}");
    events(&run.out)
        .into_iter()
        .filter(|e| {
            e["sources"]
                .as_array()
                .is_some_and(|s| s.iter().any(|s| s["doc"] == doc.as_str()))
        })
        .collect()
}

fn release_titles(out: &Path) -> Vec<String> {
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("releases.json")).unwrap()).unwrap();
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn doc(front: &str, body: &str) -> Vec<u8> {
    format!("---\n{front}\n---\n{body}\n").into_bytes()
}

// ---------------------------------------------------------------------------------------------
// Encodings and bytes

#[test]
fn latin1_release_is_decoded_with_a_warning_naming_the_file() {
    let bytes = b"---\ntitle: Caf\xe9 des \xe9lus\ndate: 2024-03-02\n---\nR\xe9union le jeudi 14 mars 2024 \xe0 10h \xe0 Lille.\n";
    let run = build_with("latin1.md", bytes);
    assert!(
        run.stderr
            .lines()
            .any(|l| l.starts_with("content/communiques/latin1.md") && l.contains("UTF-8")),
        "{}",
        run.stderr
    );
    assert!(
        release_titles(&run.out).contains(&"Café des élus".to_string()),
        "the Latin-1 title is decoded"
    );
    let evs = events_of(&run, "latin1.md");
    assert!(evs.iter().any(|e| e["start"] == "2024-03-14"), "{evs:?}");
}

#[test]
fn nul_bytes_are_refused() {
    let run = build_with(
        "nul.md",
        b"---\ntitle: Binaire\ndate: 2024-03-02\n---\nLe 14 mars\0 2024.\n",
    );
    assert_refused(&run, "nul.md", "NUL");
}

#[test]
fn bom_and_crlf_are_read() {
    let mut bytes = vec![0xef, 0xbb, 0xbf];
    bytes.extend_from_slice(
        "---\r\ntitle: Atelier BOM\r\ndate: 2024-03-02\r\n---\r\nAtelier le jeudi 14 mars 2024 à 10h à Lille.\r\n"
            .as_bytes(),
    );
    let run = build_with("bom.md", &bytes);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(release_titles(&run.out).contains(&"Atelier BOM".to_string()));
    let evs = events_of(&run, "bom.md");
    assert!(evs.iter().any(|e| e["start"] == "2024-03-14"), "{evs:?}");
}

// ---------------------------------------------------------------------------------------------
// Size and shape

/// Peak memory (KB) of a child process, measured by python3 (skipped when it is absent).
fn max_rss_kb_of_build(dir: &Path) -> Option<u64> {
    let script = "import resource, subprocess, sys\n\
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n\
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n";
    let out = Command::new("python3")
        .args(["-c", script, env!("CARGO_BIN_EXE_agenda"), "build"])
        .args([
            "--content",
            "content",
            "--out",
            "out2",
            "--today",
            "2024-01-01",
        ])
        .current_dir(dir)
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

#[test]
fn a_50_mb_file_is_skipped_without_being_read() {
    let mut bytes = doc(
        "title: Énorme\ndate: 2024-03-02",
        "Le 14 mars 2024 à Lille.",
    )
    .to_vec();
    bytes.resize(50 * 1024 * 1024, b'a');
    let run = build_with("huge.md", &bytes);
    assert_refused(&run, "huge.md", "limit");
    // The loader reads at most the limit (5 MB) and a byte: the build's peak memory with the
    // 50 MB file is that of the same build without it, give or take the limit.
    let site = run.out.parent().unwrap();
    let with_huge = max_rss_kb_of_build(site);
    std::fs::remove_file(site.join("content/communiques/huge.md")).unwrap();
    let without = max_rss_kb_of_build(site);
    match (with_huge, without) {
        (Some(a), Some(b)) => assert!(
            a < b + 20 * 1024,
            "peak memory {a} KB with a 50 MB file, {b} KB without it"
        ),
        _ => println!("python3 is absent: peak memory not measured"),
    }
}

#[test]
fn max_document_size_is_configurable() {
    let mut big = doc("title: Long\ndate: 2024-03-02", "Le 14 mars 2024 à Lille.");
    big.resize(4000, b'a');
    let run = build_site(&[("long.md", &big)], Some("max_document_size = 2000\n"));
    assert_refused(&run, "long.md", "limit");
}

#[test]
fn a_front_matter_of_10000_lines_is_read() {
    let mut front = String::from("title: Dix mille lignes\ndate: 2024-03-02\n");
    for i in 0..10_000 {
        front.push_str(&format!("cle_{i}: valeur {i}\n"));
    }
    let run = build_with(
        "long-front.md",
        &doc(
            front.trim_end(),
            "Réunion le jeudi 14 mars 2024 à 10h à Lille.",
        ),
    );
    assert!(release_titles(&run.out).contains(&"Dix mille lignes".to_string()));
}

#[test]
fn yaml_alias_bomb_is_refused_and_the_plain_lines_read() {
    let front = "title: Bombe\ndate: 2024-03-02\n\
a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n\
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n\
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n\
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n\
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n\
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n\
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n\
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n\
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]";
    let run = build_with("bomb.md", &doc(front, "Le 14 mars 2024."));
    assert_reported_and_read(&run, "bomb.md", "front matter", "Bombe");
}

#[test]
fn deeply_nested_yaml_is_refused_and_the_plain_lines_read() {
    let front = format!(
        "title: Profond\ndate: 2024-03-02\nx: {}1{}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let run = build_with("deep.md", &doc(&front, "Le 14 mars 2024."));
    assert_reported_and_read(&run, "deep.md", "front matter", "Profond");
}

#[test]
fn unterminated_front_matter_is_refused() {
    let run = build_with(
        "open.md",
        b"---\ntitle: Ouvert\ndate: 2024-03-02\nLe 14 mars 2024 \xc3\xa0 Lille.\n",
    );
    assert_refused(&run, "open.md", "never closed");
}

#[test]
fn front_matter_that_is_a_list_is_refused() {
    let run = build_with("list.md", b"---\n- un\n- deux\n---\nLe 14 mars 2024.\n");
    assert_refused(&run, "list.md", "list");
}

#[test]
fn front_matter_that_is_a_scalar_is_refused() {
    let run = build_with(
        "scalar.md",
        b"---\njuste une phrase\n---\nLe 14 mars 2024.\n",
    );
    assert_refused(&run, "scalar.md", "front matter");
}

// ---------------------------------------------------------------------------------------------
// Impossible dates and times

#[test]
fn date_0000_00_00_is_reported_and_no_event_is_invented() {
    let run = build_with(
        "zero.md",
        &doc(
            "title: Zéro\ndate: 0000-00-00\nevent_start_date: 0000-00-00",
            "Texte sans date.",
        ),
    );
    assert!(
        run.stderr.contains("content/communiques/zero.md"),
        "{}",
        run.stderr
    );
    assert!(events_of(&run, "zero.md").is_empty());
}

#[test]
fn february_31_gives_no_event() {
    let run = build_with(
        "fevrier-31.md",
        &doc(
            "title: Février\ndate: 2024-01-10",
            "Le salon aura lieu le 31 février 2024 à Lille.",
        ),
    );
    for e in events_of(&run, "fevrier-31.md") {
        assert_ne!(
            e["start"].as_str().unwrap_or_default().get(5..),
            Some("02-31")
        );
    }
}

#[test]
fn february_29_of_a_non_leap_year_gives_no_such_day() {
    let run = build_with(
        "fevrier-29.md",
        &doc(
            "title: Bissextile\ndate: 2023-01-10",
            "La rencontre aura lieu le 29 février 2023 à Lille.",
        ),
    );
    for e in events_of(&run, "fevrier-29.md") {
        assert_ne!(e["start"], "2023-02-29");
        assert_ne!(e["start"], "2023-03-01", "the day must not roll over: {e}");
    }
}

#[test]
fn year_99999_is_not_published() {
    let run = build_with(
        "an-99999.md",
        &doc(
            "title: Lointain\ndate: 2024-01-10\nevent_start_date: 99999-01-01",
            "La rencontre aura lieu le 1er janvier 99999 à Lille.",
        ),
    );
    for e in events_of(&run, "an-99999.md") {
        let year: i64 = e["start"].as_str().unwrap()[..4].parse().unwrap_or(0);
        assert!((1..=9999).contains(&year), "{e}");
    }
}

#[test]
fn hour_25h70_is_not_a_time() {
    let run = build_with(
        "heure.md",
        &doc(
            "title: Heure\ndate: 2024-01-10",
            "Rendez-vous le jeudi 14 mars 2024 à 25h70 à Lille.",
        ),
    );
    for e in events_of(&run, "heure.md") {
        for key in ["start_time", "end_time"] {
            if let Some(t) = e[key].as_str() {
                let (h, m) = t.split_once(':').unwrap();
                let (h, m): (u32, u32) = (h.parse().unwrap(), m.parse().unwrap());
                assert!(h < 24 && m < 60, "{e}");
            }
        }
    }
}

#[test]
fn range_without_a_month_is_sane() {
    let run = build_with(
        "sans-mois.md",
        &doc(
            "title: Sans mois\ndate: 2024-01-10",
            "Le festival se tiendra du 30 au 2 à Lille.",
        ),
    );
    for e in events_of(&run, "sans-mois.md") {
        assert!(e["start"].as_str() <= e["end"].as_str(), "{e}");
    }
}

#[test]
fn text_made_only_of_emoji_is_read() {
    let run = build_with(
        "emoji.md",
        &doc("title: 🎉🎉🎉\ndate: 2024-01-10", "📅🎉🚀🇫🇷👍🏽👨‍👩‍👧‍👦\n\n🔥🔥🔥"),
    );
    assert!(release_titles(&run.out).contains(&"🎉🎉🎉".to_string()));
    assert!(events_of(&run, "emoji.md").is_empty());
}

// ---------------------------------------------------------------------------------------------
// Injection

const INJECTION_BODY: &str = "Le salon se tiendra le mardi 12 mars 2024 à 14h à Lille.\n\n\
<script>alert(1)</script>\n\n\
[programme](javascript:alert(1)) [bis](JaVaScRiPt:alert(2)) \
<a href=\"jav&#x61;script:alert(3)\">ter</a> <img src=x onerror=alert(4)>\n\n\
<div\nonclick=alert(5)//\n>bloc</div>\n\n]]> <![CDATA[ x ]]> \"},{\"uid\":\"x\"}";

fn injected(title_yaml: &str) -> Run {
    let front = format!(
        "title: {title_yaml}\ndate: 2024-03-02\nchapeau-text: {title_yaml}\ntags: [{title_yaml}]"
    );
    let run = build_with("injection.md", &doc(&front, INJECTION_BODY));
    assert!(
        !events_of(&run, "injection.md").is_empty(),
        "the injection release still announces its event:\n{}",
        run.stderr
    );
    run
}

#[test]
fn xml_injection_in_a_title_stays_text() {
    let run = injected("\"Salon </title><script>alert(1)</script><title> 2024\"");
    let rss = std::fs::read_to_string(run.out.join("releases.rss")).unwrap();
    let doc = roxmltree::Document::parse(&rss).unwrap();
    let items: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("item"))
        .collect();
    // One item per release: the title opened no element and closed none.
    assert_eq!(items.len(), 2, "{rss}");
    let title = items
        .iter()
        .find(|i| {
            i.children().any(|c| {
                c.has_tag_name("link") && c.text().is_some_and(|t| t.contains("injection"))
            })
        })
        .and_then(|i| i.children().find(|c| c.has_tag_name("title")))
        .and_then(|t| t.text())
        .unwrap_or_default();
    // Carried as text, or with its markup removed by the loader: never as elements.
    assert!(
        title == "Salon </title><script>alert(1)</script><title> 2024"
            || (title.starts_with("Salon") && !title.contains('<')),
        "{title:?}"
    );
}

#[test]
fn cdata_end_in_a_title_stays_text() {
    let run = injected("\"a ]]> b <![CDATA[ c\"");
    assert!(release_titles(&run.out).contains(&"a ]]> b <![CDATA[ c".to_string()));
}

#[test]
fn ics_line_injection_stays_in_one_property() {
    let run = injected(
        "\"Salon\\r\\nEND:VEVENT\\r\\nBEGIN:VEVENT\\r\\nATTENDEE:mailto:x@example.org\\nEND:VCALENDAR\"",
    );
    let ics = std::fs::read_to_string(run.out.join("agenda.ics")).unwrap();
    let n = events(&run.out).len();
    let unfolded = icalendar::parser::unfold(&ics);
    assert_eq!(
        unfolded
            .lines()
            .filter(|l| l.trim_end() == "BEGIN:VEVENT")
            .count(),
        n,
        "{ics}"
    );
    assert_eq!(
        unfolded
            .lines()
            .filter(|l| l.trim_end() == "END:VCALENDAR")
            .count(),
        1
    );
}

#[test]
fn json_injection_stays_in_one_string() {
    let run = injected("'\"},{\"uid\":\"x\",\"title\":\"y'");
    for e in events(&run.out) {
        assert_ne!(e["uid"], "x");
    }
    assert!(release_titles(&run.out).contains(&"\"},{\"uid\":\"x\",\"title\":\"y".to_string()));
}

#[test]
fn scripts_and_javascript_links_in_bodies_are_inert() {
    // assert_outputs_valid (run by every build) checks content:encoded, Atom content and
    // JSON Feed content_html; here the readable text of the body must survive.
    let run = injected("Programme");
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.out.join("releases.json")).unwrap()).unwrap();
    let html = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == "Programme")
        .and_then(|i| i["content_html"].as_str())
        .unwrap_or_default()
        .to_string();
    assert!(html.contains("programme"), "{html}");
    assert!(html.contains("bloc"), "{html}");
}

// ---------------------------------------------------------------------------------------------
// Everything at once, and the feed conformance checker when it is available

fn all_hostile_documents() -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = vec![
        ("latin1.md".into(), b"---\ntitle: Caf\xe9\ndate: 2024-03-02\n---\nR\xe9union le jeudi 14 mars 2024 \xe0 10h.\n".to_vec()),
        ("nul.md".into(), b"---\ntitle: x\n---\na\0b\n".to_vec()),
        ("open.md".into(), b"---\ntitle: Ouvert\n".to_vec()),
        ("list.md".into(), b"---\n- a\n---\nx\n".to_vec()),
        ("scalar.md".into(), b"---\nx\n---\nx\n".to_vec()),
        ("dates.md".into(), doc("title: Dates\ndate: 2023-01-10\nevent_start_date: 0000-00-00", "Le 31 février, le 29 février 2023, le 1er janvier 99999 à 25h70, du 30 au 2.")),
        ("emoji.md".into(), doc("title: 🎉\ndate: 2024-01-10", "📅🎉🚀")),
        ("xml.md".into(), doc("title: \"</title><script>x</script> ]]>\"\ndate: 2024-03-02", INJECTION_BODY)),
        ("ics.md".into(), doc("title: \"a\\r\\nEND:VEVENT\\r\\nATTENDEE:mailto:x@example.org\"\ndate: 2024-03-02", INJECTION_BODY)),
    ];
    let mut crlf = vec![0xef, 0xbb, 0xbf];
    crlf.extend_from_slice(
        b"---\r\ntitle: CRLF\r\ndate: 2024-03-02\r\n---\r\nLe jeudi 14 mars 2024.\r\n",
    );
    v.push(("bom.md".into(), crlf));
    v
}

#[test]
fn all_hostile_documents_together_pass_check_feeds() {
    let docs = all_hostile_documents();
    let refs: Vec<(&str, &[u8])> = docs
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let run = build_site(&refs, None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let checker = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/check-feeds");
    if !checker.exists() {
        println!("skipped: {} is absent", checker.display());
        return;
    }
    if std::env::var_os("AGENDA_CHECK_FEEDS").is_none() {
        println!("check-feeds not run: set AGENDA_CHECK_FEEDS=1 (.ci/hostile does)");
        return;
    }
    let status = Command::new(&checker).arg(&run.out).status().unwrap();
    assert!(status.success(), "check-feeds failed on the hostile site");
}
