//! Content loading: discovery, collections and slugs, encodings, and the real corpus.

use std::path::{Path, PathBuf};

use agenda::content::{self, AgendaOverride, Document, SegmentOrigin};

fn write(root: &Path, rel: &str, bytes: &[u8]) -> PathBuf {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, bytes).unwrap();
    p
}

const DOC: &str = "---\ntitle: T\ndate: 2023-11-20 17:43:00 +01:00\n---\n\nTexte.\n";

#[test]
fn discovers_markdown_files_recursively_in_a_stable_order() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "_communiques/b.md", DOC.as_bytes());
    write(root, "_communiques/2023/a.markdown", DOC.as_bytes());
    write(root, "actualites/A.MD", DOC.as_bytes());
    write(root, "evenements/notes.txt", b"x");
    write(root, ".git/x.md", DOC.as_bytes());
    write(root, "racine.md", DOC.as_bytes());
    let found = content::discover(&[root.to_path_buf()]);
    let rels: Vec<&str> = found.iter().map(|(_, r)| r.as_str()).collect();
    assert_eq!(
        rels,
        vec![
            "_communiques/2023/a.markdown",
            "_communiques/b.md",
            "actualites/A.MD",
            "racine.md"
        ]
    );
    assert!(found.iter().all(|(p, r)| p.ends_with(r)));

    let (docs, errors) = content::load_all(&[root.to_path_buf()]);
    assert!(errors.is_empty(), "{errors:?}");
    let got: Vec<(&str, &str, &str)> = docs
        .iter()
        .map(|d| (d.rel.as_str(), d.collection.as_str(), d.slug.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("_communiques/2023/a.markdown", "communiques", "a"),
            ("_communiques/b.md", "communiques", "b"),
            ("actualites/A.MD", "actualites", "A"),
            ("racine.md", "", "racine"),
        ]
    );
}

#[test]
fn page_bundles_languages_and_section_pages() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "evenements/_index.md", b"---\ntitle: Agenda\n---\n");
    write(root, "evenements/salon-2024/index.md", DOC.as_bytes());
    write(root, "communiques/2024-03-01-forum.fr.md", DOC.as_bytes());
    write(root, "_drafts/projet.md", DOC.as_bytes());
    let (docs, errors) = content::load_all(&[root.to_path_buf()]);
    assert!(errors.is_empty(), "{errors:?}");
    let got: Vec<(&str, &str, &str, bool)> = docs
        .iter()
        .map(|d| {
            (
                d.rel.as_str(),
                d.collection.as_str(),
                d.slug.as_str(),
                d.front.draft,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("_drafts/projet.md", "drafts", "projet", true),
            (
                "communiques/2024-03-01-forum.fr.md",
                "communiques",
                "forum",
                false
            ),
            // a Hugo section page is a document: its slug is its folder's name
            ("evenements/_index.md", "evenements", "evenements", false),
            (
                "evenements/salon-2024/index.md",
                "evenements",
                "salon-2024",
                false
            ),
        ]
    );
}

#[test]
fn site_folders_above_collections() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "ville-saint-aubin/agenda/atelier.md", DOC.as_bytes());
    write(
        root,
        "prefecture/_posts/2025-07-15-nomination.md",
        DOC.as_bytes(),
    );
    write(root, "region/dossiers/plan.md", DOC.as_bytes());
    write(root, "communiques/2023/rapport.md", DOC.as_bytes());
    write(root, "evenements/salon-2024/index.md", DOC.as_bytes());
    let (docs, errors) = content::load_all(&[root.to_path_buf()]);
    assert!(errors.is_empty(), "{errors:?}");
    let got: Vec<(&str, &str)> = docs
        .iter()
        .map(|d| (d.rel.as_str(), d.collection.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("communiques/2023/rapport.md", "communiques"),
            ("evenements/salon-2024/index.md", "evenements"),
            ("prefecture/_posts/2025-07-15-nomination.md", "posts"),
            ("region/dossiers/plan.md", "region"),
            ("ville-saint-aubin/agenda/atelier.md", "agenda"),
        ]
    );
    // A file given alone: the nearest well-known folder above it.
    let p = root.join("evenements/salon-2024/index.md");
    let doc = content::load_file(&p, &p.to_string_lossy()).unwrap();
    assert_eq!(doc.collection, "evenements");
}

#[test]
fn overlapping_arguments_read_each_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let a = write(root, "communiques/a.md", DOC.as_bytes());
    write(root, "actualites/b.md", DOC.as_bytes());
    let found = content::discover(&[root.to_path_buf(), root.join("communiques"), a.clone()]);
    let rels: Vec<&str> = found.iter().map(|(_, r)| r.as_str()).collect();
    assert_eq!(rels, vec!["actualites/b.md", "communiques/a.md"]);
}

#[test]
fn a_single_file_keeps_its_path_and_its_folder_as_collection() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "_evenements/2023-10-19-salon-des-maires.md",
        b"---\ntitle: Salon\n---\n\nTexte.\n",
    );
    let found = content::discover(std::slice::from_ref(&p));
    assert_eq!(found, vec![(p.clone(), p.to_string_lossy().into_owned())]);
    let doc = content::load_file(&p, &found[0].1).unwrap();
    assert_eq!(doc.collection, "evenements");
    assert_eq!(doc.slug, "salon-des-maires");
    // No date in the front matter: the file name gives it.
    assert_eq!(doc.published.unwrap().date.to_string(), "2023-10-19");
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
}

#[test]
fn missing_paths_are_reported_by_load_all() {
    let (docs, errors) = content::load_all(&[PathBuf::from("/nonexistent/agenda-content")]);
    assert!(docs.is_empty());
    assert_eq!(errors.len(), 1);
    assert!(errors[0]
        .to_string()
        .starts_with("/nonexistent/agenda-content: cannot read"));
}

#[test]
fn crlf_bom_and_decomposed_accents_are_normalized() {
    let dir = tempfile::tempdir().unwrap();
    // "Réunion" written with a combining acute accent, CRLF line ends, a BOM.
    let text = "\u{feff}---\r\ntitle: \"Re\u{301}union publique\"\r\ndate: 2023-11-20\r\n---\r\n\r\nLa re\u{301}union a lieu le **13 mars 2025**\u{a0}!\r\nÀ 14h.\r\n";
    let p = write(dir.path(), "communiques/r.md", text.as_bytes());
    let doc = content::load_file(&p, "communiques/r.md").unwrap();
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
    assert_eq!(doc.title, "Réunion publique");
    assert_eq!(doc.body_line, 5);
    assert!(!doc.body.contains('\r'));
    let body: Vec<&Document> = vec![&doc];
    let seg = &body[0].segments[0];
    assert_eq!(seg.origin, SegmentOrigin::Body);
    assert_eq!(seg.text, "La réunion a lieu le 13 mars 2025\u{a0}! À 14h.");
    assert_eq!(seg.line_at(0), 6);
    assert_eq!(seg.line_at(seg.text.find("À 14h").unwrap()), 7);
}

#[test]
fn no_front_matter_takes_the_first_heading_as_title() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "communiques/sans-entete.md",
        "Intro.\n\n## Le **salon** des maires\n\nTexte.\n".as_bytes(),
    );
    let doc = content::load_file(&p, "communiques/sans-entete.md").unwrap();
    assert_eq!(doc.title, "Le salon des maires");
    assert_eq!(doc.published, None);
    let msgs: Vec<String> = doc.diagnostics.iter().map(|d| d.message.clone()).collect();
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(msgs[0].starts_with("no front matter"));
    assert!(msgs[1].starts_with("no publication date"));
}

#[test]
fn size_limit_is_configurable_and_reads_no_more_than_needed() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "communiques/x.md", DOC.as_bytes());
    let n = DOC.len() as u64;
    assert!(content::load_file_with_limit(&p, "x.md", n).is_ok());
    let e = content::load_file_with_limit(&p, "x.md", n - 1).unwrap_err();
    assert!(e.message.contains("larger than"), "{e}");
}

#[test]
fn editor_override_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "communiques/x.md",
        b"---\ntitle: T\ndate: 2023-11-20\nagenda:\n- start: 2023-12-01\n  location: Lille Grand Palais\n---\n\nTexte.\n",
    );
    let doc = content::load_file(&p, "communiques/x.md").unwrap();
    let AgendaOverride::Events(evs) = &doc.front.agenda else {
        panic!("{:?}", doc.front.agenda)
    };
    assert_eq!(evs[0].location.as_deref(), Some("Lille Grand Palais"));
    assert_eq!(evs[0].line, 5);
}

/// Text that must never reach a segment: Markdown or HTML syntax, image paths.
const LEFTOVERS: &[&str] = &[
    "{:",
    "**",
    "](",
    "/uploads/",
    "<br",
    "<div",
    "<p>",
    "&nbsp;",
    "&amp;",
];

#[test]
fn every_dev_corpus_file_loads_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dev");
    if !root.is_dir() {
        println!("SKIPPED: {} is absent", root.display());
        return;
    }
    let (docs, errors) = content::load_all(std::slice::from_ref(&root));
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(docs.len() >= 70, "{}", docs.len());
    let gold: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("gold.json")).unwrap()).unwrap();
    let mut checked = 0;
    for doc in &docs {
        // No diagnostic is expected on the real site's files.
        assert!(
            doc.diagnostics.is_empty(),
            "{}: {:?}",
            doc.rel,
            doc.diagnostics
        );
        assert!(!doc.title.is_empty(), "{}", doc.rel);
        assert!(!doc.segments.is_empty(), "{}", doc.rel);
        // The publication date is the one the human readers found.
        if let Some(g) = gold
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["doc"].as_str() == Some(doc.rel.as_str()))
        {
            assert_eq!(
                doc.published.map(|p| p.date.to_string()).as_deref(),
                g["published"].as_str(),
                "{}",
                doc.rel
            );
            checked += 1;
        }
        let file = std::fs::read_to_string(&doc.path).unwrap();
        let nfc: String = unicode_normalization::UnicodeNormalization::nfc(file.as_str()).collect();
        let file_lines: Vec<&str> = nfc.lines().collect();
        for seg in &doc.segments {
            for bad in LEFTOVERS {
                assert!(
                    !seg.text.contains(bad),
                    "{}: {bad:?} in {:?}",
                    doc.rel,
                    seg.text
                );
            }
            assert_eq!(seg.lines.first().map(|p| p.0), Some(0), "{}", doc.rel);
            assert!(
                seg.lines.windows(2).all(|w| w[0].0 < w[1].0),
                "{}: {:?}",
                doc.rel,
                seg.lines
            );
            // Each mapped line holds the first word that starts there.
            for &(off, line) in &seg.lines {
                let line_text = file_lines
                    .get(line as usize - 1)
                    .unwrap_or_else(|| panic!("{}: line {line} out of range", doc.rel));
                let word: String = seg.text[off..]
                    .chars()
                    .skip_while(|c| !c.is_alphanumeric())
                    .take_while(|c| c.is_alphanumeric())
                    .collect();
                if word.chars().count() >= 3 {
                    assert!(
                        line_text.contains(&word),
                        "{}: {word:?} not on line {line}: {line_text:?}",
                        doc.rel
                    );
                }
            }
        }
        // Image alternative texts and names are never text.
        if let Some(img) = &doc.front.image {
            let name = img.rsplit('/').next().unwrap_or(img);
            assert!(
                doc.segments.iter().all(|s| !s.text.contains(name)),
                "{}",
                doc.rel
            );
        }
    }
    assert_eq!(checked, docs.len());
}
