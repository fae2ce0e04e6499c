//! Every input saved by the fuzzers (`fuzz/corpus/<target>/*`, `fuzz/artifacts/<target>/*`)
//! replays here through the same checks as the fuzz targets (`fuzz/src/checks.rs`), so a
//! crash found once stays fixed and the corpus keeps guarding the pipeline under `cargo test`.

use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "../fuzz/src/checks.rs"]
mod checks;

fn inputs(folder: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(folder)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file()
                        && !p
                            .file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.starts_with('.'))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Run one target's check on every file of a folder; report every failing file at once.
fn replay(target: &str, folder: &Path) -> usize {
    let check = checks::target(target).unwrap_or_else(|| panic!("no fuzz target {target}"));
    let files = inputs(folder);
    let mut failed = Vec::new();
    for file in &files {
        let data = match std::fs::read(file) {
            Ok(d) => d,
            // A running fuzzer may replace a corpus file while this test reads the folder.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => panic!("{}: {e}", file.display()),
        };
        let result = std::panic::catch_unwind(|| check(&data));
        if result.is_err() {
            failed.push(file.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{target}: {} of {} saved inputs fail: {failed:#?}",
        failed.len(),
        files.len()
    );
    files.len()
}

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

fn replay_target(target: &str) {
    let corpus = replay(target, &fuzz_dir().join("corpus").join(target));
    let artifacts = replay(target, &fuzz_dir().join("artifacts").join(target));
    assert!(
        corpus > 0,
        "fuzz/corpus/{target} holds no input: the saved corpus must replay"
    );
    println!("{target}: {corpus} corpus inputs, {artifacts} crash inputs replayed");
}

#[test]
fn every_target_has_a_replay_test() {
    let names: Vec<&str> = checks::TARGETS.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        [
            "front_matter",
            "yaml",
            "markdown",
            "extract",
            "feeds",
            "ics",
            "events_json"
        ]
    );
}

#[test]
fn front_matter_corpus_replays() {
    replay_target("front_matter");
}

#[test]
fn yaml_corpus_replays() {
    replay_target("yaml");
}

#[test]
fn markdown_corpus_replays() {
    replay_target("markdown");
}

#[test]
fn extract_corpus_replays() {
    replay_target("extract");
}

#[test]
fn feeds_corpus_replays() {
    replay_target("feeds");
}

#[test]
fn ics_corpus_replays() {
    replay_target("ics");
}

#[test]
fn events_json_corpus_replays() {
    replay_target("events_json");
}
