//! `agenda build` as operators run it: the real binary on a copy of the fixture site.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{copy_dir, fixture, read_tree};

const TODAY: &str = "2026-03-01";

/// A copy of tests/fixtures/site in a temporary folder, with an output folder beside it.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().expect("temporary folder");
        copy_dir(&fixture(), dir.path());
        Site { dir }
    }
    fn root(&self) -> &Path {
        self.dir.path()
    }
    fn content(&self) -> PathBuf {
        self.root().join("content")
    }
    fn out(&self) -> PathBuf {
        self.root().join("feeds")
    }
    fn build(&self) -> Output {
        self.build_on(TODAY)
    }
    fn build_on(&self, today: &str) -> Output {
        self.build_with(today, "feeds", &[])
    }
    /// A build into `out` (a folder of the site) with more arguments.
    fn build_with(&self, today: &str, out: &str, more: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_agenda"));
        cmd.current_dir(self.root()).args([
            "build",
            "--content",
            "content",
            "--out",
            out,
            "--config",
            "agenda.toml",
            "--today",
            today,
        ]);
        cmd.args(more);
        cmd.output().expect("agenda runs")
    }
    fn files(&self) -> BTreeMap<String, Vec<u8>> {
        read_tree(&self.out())
    }
    fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.content().join(rel);
        let text = fs::read_to_string(&path).expect("fixture file");
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        fs::write(&path, text.replacen(from, to, 1)).expect("write fixture");
    }
}

fn mtimes(dir: &Path) -> BTreeMap<String, std::time::SystemTime> {
    read_tree(dir)
        .into_keys()
        .map(|k| {
            let m = fs::metadata(dir.join(&k))
                .and_then(|m| m.modified())
                .expect("mtime");
            (k, m)
        })
        .collect()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The build's own files in the output folder (its state and its extraction cache), not
/// outputs.
fn is_bookkeeping(name: &str) -> bool {
    name == ".agenda-state.json" || name == ".agenda-cache"
}

fn changed(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut names: Vec<String> = a.keys().chain(b.keys()).cloned().collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|n| a.get(n) != b.get(n) && !is_bookkeeping(n))
        .collect()
}

const EXPECTED_FILES: &[&str] = &[
    "releases.rss",
    "releases.atom",
    "releases.json",
    "agenda.ics",
    "agenda.rss",
    "agenda.atom",
    "events.json",
    "events/communiques-salon-des-maires-2026.ics",
    "events/evenements-atelier-donnees.ics",
    "events/evenements-webinaire-annule.ics",
    "tags/salon.ics",
    "tags/salon.rss",
    "tags/salon.atom",
    "tags/donnees-publiques.ics",
    "index.html",
    "tags/salon.html",
];

#[test]
fn builds_every_output_with_a_clean_exit() {
    let site = Site::new();
    let o = site.build();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let files = site.files();
    for name in EXPECTED_FILES {
        assert!(
            files.contains_key(*name),
            "{name} missing: {:?}",
            files.keys()
        );
    }
    // No temporary file is left behind.
    assert!(
        files.keys().all(|k| !k.contains(".tmp")),
        "{:?}",
        files.keys()
    );
}

#[test]
fn two_builds_are_byte_identical_and_the_second_touches_nothing() {
    let site = Site::new();
    assert_eq!(site.build().status.code(), Some(0));
    let first = site.files();
    let first_mtimes = mtimes(&site.out());
    std::thread::sleep(std::time::Duration::from_millis(20));
    let o = site.build();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(first, site.files());
    assert_eq!(
        first_mtimes,
        mtimes(&site.out()),
        "unchanged files were rewritten"
    );

    // A build into a fresh folder gives the same bytes too.
    let other = Site::new();
    assert_eq!(other.build().status.code(), Some(0));
    assert_eq!(first, other.files());
}

#[test]
fn the_clock_does_not_leak_into_the_output() {
    // Only what is upcoming depends on --today: the releases feeds and events.json do not.
    let site = Site::new();
    assert_eq!(site.build().status.code(), Some(0));
    let a = site.files();
    let other = Site::new();
    assert_eq!(other.build_on("2026-04-20").status.code(), Some(0));
    let b = other.files();
    for name in [
        "releases.rss",
        "releases.atom",
        "releases.json",
        "events.json",
        "agenda.ics",
    ] {
        assert!(a.get(name) == b.get(name), "{name} depends on --today");
    }
    assert!(
        a.get("agenda.rss") != b.get("agenda.rss"),
        "agenda.rss ignores --today"
    );
}

#[test]
fn editing_one_release_changes_only_the_files_that_depend_on_it() {
    let site = Site::new();
    assert_eq!(site.build().status.code(), Some(0));
    let before = site.files();
    site.edit(
        "evenements/atelier-donnees.md",
        "un atelier pour publier vos données.",
        "un atelier pour publier et réutiliser vos données.",
    );
    assert_eq!(site.build().status.code(), Some(0));
    let after = site.files();
    // Only the body changed: the releases feeds carry it; nothing of the agenda changes.
    assert_eq!(
        changed(&before, &after),
        vec!["releases.atom", "releases.json", "releases.rss"]
    );

    site.edit(
        "evenements/atelier-donnees.md",
        "chapeau-text: Un atelier pratique",
        "chapeau-text: Un atelier très pratique",
    );
    assert_eq!(site.build().status.code(), Some(0));
    let again = site.files();
    assert_eq!(
        changed(&after, &again),
        vec![
            "agenda.atom",
            "agenda.ics",
            "agenda.rss",
            "events.json",
            "events/evenements-atelier-donnees.ics",
            "index.html",
            "releases.atom",
            "releases.json",
            "releases.rss",
            "tags/donnees-publiques.atom",
            "tags/donnees-publiques.html",
            "tags/donnees-publiques.ics",
            "tags/donnees-publiques.rss",
        ]
    );
}

fn ics_line<'a>(ics: &'a str, key: &str) -> Option<&'a str> {
    ics.lines()
        .find(|l| l.starts_with(key))
        .map(|l| l.trim_end())
}

#[test]
fn moving_an_event_keeps_its_uid_and_raises_its_sequence() {
    let site = Site::new();
    assert_eq!(site.build().status.code(), Some(0));
    let name = "events/evenements-atelier-donnees.ics";
    let before = String::from_utf8(site.files()[name].clone()).expect("utf-8");
    assert_eq!(ics_line(&before, "SEQUENCE:"), Some("SEQUENCE:0"));

    site.edit(
        "evenements/atelier-donnees.md",
        "  start_time: \"14:00\"",
        "  start_time: \"15:00\"",
    );
    assert_eq!(site.build().status.code(), Some(0));
    let after = String::from_utf8(site.files()[name].clone()).expect("utf-8");
    assert_eq!(ics_line(&after, "UID:"), ics_line(&before, "UID:"));
    assert_eq!(ics_line(&after, "SEQUENCE:"), Some("SEQUENCE:1"));

    // Rebuilding without a change keeps the sequence.
    assert_eq!(site.build().status.code(), Some(0));
    let again = String::from_utf8(site.files()[name].clone()).expect("utf-8");
    assert_eq!(after, again);
}

#[test]
fn the_files_of_a_removed_event_are_removed_and_only_those() {
    let site = Site::new();
    assert_eq!(site.build().status.code(), Some(0));
    // A file the build did not write must survive.
    fs::write(site.out().join("events/README.txt"), "kept").expect("write");
    fs::write(site.out().join("index.html"), "kept").expect("write");
    fs::remove_file(site.content().join("evenements/webinaire-annule.md")).expect("rm");
    let o = site.build();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let files = site.files();
    assert!(!files.contains_key("events/evenements-webinaire-annule.ics"));
    assert!(!files.contains_key("tags/identite-numerique.ics"));
    assert!(!files.contains_key("tags/identite-numerique.rss"));
    assert!(files.contains_key("events/README.txt"));
    assert!(files.contains_key("index.html"));
    assert!(files.contains_key("events/evenements-atelier-donnees.ics"));
}

#[test]
fn a_bad_configuration_leaves_the_previous_output_untouched() {
    let site = Site::new();
    assert_eq!(site.build().status.code(), Some(0));
    let before = site.files();
    let before_mtimes = mtimes(&site.out());
    let config = site.root().join("agenda.toml");
    let text = fs::read_to_string(&config).expect("config");
    fs::write(&config, text.replace("feed_size = 50", "feed_size = -3")).expect("write");
    // Also change the content: nothing may be published from it.
    fs::remove_file(site.content().join("evenements/webinaire-annule.md")).expect("rm");
    let o = site.build();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("feed_size"), "{}", stderr(&o));
    assert_eq!(before, site.files());
    assert_eq!(before_mtimes, mtimes(&site.out()));

    fs::write(site.root().join("agenda.toml"), "titre = \"x\"\n").expect("write");
    let o = site.build();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("titre"), "{}", stderr(&o));
    assert_eq!(before, site.files());
}

#[test]
fn a_missing_content_folder_builds_nothing() {
    let site = Site::new();
    assert_eq!(site.build().status.code(), Some(0));
    let before = site.files();
    fs::rename(site.content(), site.root().join("moved")).expect("mv");
    let o = site.build();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("content"), "{}", stderr(&o));
    assert_eq!(before, site.files());
}

#[test]
fn a_bad_front_matter_is_reported_and_the_rest_of_the_file_read() {
    let site = Site::new();
    fs::write(
        site.content().join("communiques/casse.md"),
        "---\ntitle: Cassé\ndate: 2026-02-01\ntags: [a, b\n---\n\nTexte.\n",
    )
    .expect("write");
    let o = site.build();
    // read with a warning, not skipped: the title and date of the other lines are kept
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("casse.md:5:1: invalid front matter"),
        "no file:line:column in {err}"
    );
    let files = site.files();
    for name in EXPECTED_FILES {
        assert!(files.contains_key(*name), "{name} missing");
    }
    let rss = String::from_utf8(files["releases.rss"].clone()).expect("utf-8");
    assert!(rss.contains("Cassé"));
}

#[test]
fn a_document_that_cannot_be_read_is_reported_and_skipped() {
    let site = Site::new();
    fs::write(
        site.content().join("communiques/casse.md"),
        "---\ntitle: Cassé\ndate: 2026-02-01\n\nTexte sans fin d'en-tête.\n",
    )
    .expect("write");
    let o = site.build();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("casse.md:"), "no file:line in {err}");
    let files = site.files();
    for name in EXPECTED_FILES {
        assert!(files.contains_key(*name), "{name} missing");
    }
    let rss = String::from_utf8(files["releases.rss"].clone()).expect("utf-8");
    assert!(!rss.contains("Cassé"));
}

#[test]
fn a_draft_is_neither_published_nor_in_the_agenda() {
    let site = Site::new();
    fs::write(
        site.content().join("communiques/brouillon.md"),
        "---\ntitle: Brouillon du salon secret\ndate: 2026-02-01\npublished: false\n---\n\n\
         Le salon secret se tiendra le 12 mars 2026 à Lyon.\n",
    )
    .expect("write");
    let o = site.build();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for (name, bytes) in site.files() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("salon secret"),
            "the draft leaks into {name}"
        );
    }
}

#[test]
fn snapshot_of_every_output() {
    let site = Site::new();
    let o = site.build();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for (name, bytes) in site.files() {
        if is_bookkeeping(&name) {
            continue;
        }
        let text = String::from_utf8(bytes).expect("outputs are UTF-8");
        // Line ends are shown as they are: CRLF in .ics matters.
        let text = text.replace("\r\n", "␍\n");
        insta::assert_snapshot!(name.replace('/', "__"), text);
    }
}

/// The outputs of a folder, without the build's own files.
fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = read_tree(dir);
    files.retain(|name, _| !is_bookkeeping(name));
    files
}

#[test]
fn a_rebuild_from_the_extraction_cache_writes_what_a_full_build_writes() {
    let site = Site::new();
    let o = site.build();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("; 0 documents unchanged since the last build"),
        "{}",
        stderr(&o)
    );
    let documents = read_tree(&site.content())
        .keys()
        .filter(|k| k.ends_with(".md") && !k.ends_with("_index.md"))
        .count();

    // Unchanged content: every document comes from the cache.
    let o = site.build();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!(
            "; {documents} documents unchanged since the last build"
        )),
        "{}",
        stderr(&o)
    );

    // One document edited so that its event moves: only it is extracted again, and the
    // outputs are those of a build without the cache.
    site.edit(
        "evenements/atelier-donnees.md",
        "un atelier pour publier vos données.",
        "un atelier pour publier vos données, le 20 mai 2026 à Lille.",
    );
    let o = site.build();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!(
            "; {} documents unchanged since the last build",
            documents - 1
        )),
        "{}",
        stderr(&o)
    );
    let o = site.build_with(TODAY, "fresh", &["--no-cache"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        !site.root().join("fresh/.agenda-cache").exists(),
        "--no-cache writes no cache"
    );
    let (cached, fresh) = (outputs(&site.out()), outputs(&site.root().join("fresh")));
    assert_eq!(
        cached.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &fresh {
        assert!(
            cached[name] == *bytes,
            "{name} differs from a build without the cache"
        );
    }
}

#[test]
fn a_damaged_or_foreign_extraction_cache_is_ignored() {
    let site = Site::new();
    assert_eq!(site.build().status.code(), Some(0));
    let clean = outputs(&site.out());
    let cache = site.out().join(".agenda-cache");
    let bytes = fs::read(&cache).expect("the build writes its cache");
    let damaged: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("cut", bytes[..bytes.len() / 2].to_vec()),
        ("flipped", {
            let mut b = bytes.clone();
            let i = b.len() * 2 / 3;
            b[i] ^= 0x55;
            b
        }),
        ("another identity", {
            let mut b = bytes.clone();
            b[20] ^= 1;
            b
        }),
        (
            "not a cache",
            b"agenda-cache v1\n\xff\xff\xff\xff".repeat(100),
        ),
    ];
    for (what, b) in damaged {
        fs::write(&cache, &b).expect("write cache");
        let o = site.build();
        assert_eq!(o.status.code(), Some(0), "{what}: {}", stderr(&o));
        assert!(outputs(&site.out()) == clean, "{what}: outputs differ");
        assert_eq!(
            fs::read(&cache).expect("cache"),
            bytes,
            "{what}: the cache is written again whole"
        );
    }
}
