//! Crash safety of `agenda build`: SIGKILL at random moments, then check the output folder.
//!
//! A corpus from `../shared/bench/gen-corpus` is built twice from scratch, with two `--today`
//! values whose outputs differ (upcoming events, the calendar window, per-event files), to get
//! the two clean versions of every file. Then one output folder is built again and again,
//! alternating the two days, and each build is killed with SIGKILL after a random delay
//! (seeded: the same delays on every run). After each kill, every visible file of the folder
//! must be complete: byte for byte the old version or the new one; an interrupted write may
//! only leave a hidden temporary file. Then the next build must complete and give exactly the
//! bytes of a clean build.
//!
//! `crash_safety_small` (120 releases, 10 kills, the test binary) runs with every `cargo test`.
//! `crash_safety_10000` (10,000 releases, 50 kills) is long in a debug build; `.ci/hostile` runs
//! it with the release binary: `AGENDA_BIN=target/release/agenda cargo test --test crash_safety
//! -- --ignored`. `AGENDA_CRASH_CORPUS` and `AGENDA_CRASH_RUNS` change its size.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TODAY_A: &str = "2024-01-01";
const TODAY_B: &str = "2026-06-01";
const STATE_FILE: &str = ".agenda-state.json";
/// The extraction cache: hidden, but replaced whole like the outputs.
const CACHE_FILE: &str = ".agenda-cache";

fn binary() -> PathBuf {
    match std::env::var_os("AGENDA_BIN") {
        Some(p) => std::fs::canonicalize(&p).unwrap_or_else(|e| panic!("AGENDA_BIN: {e}")),
        None => PathBuf::from(env!("CARGO_BIN_EXE_agenda")),
    }
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A small deterministic generator (xorshift64*), so the kill delays are the same every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A fraction in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A private copy of the binary, so that every build of one test runs the same program even if
/// the binary is rebuilt meanwhile.
fn private_binary(dir: &Path) -> PathBuf {
    let copy = dir.join("agenda-under-test");
    std::fs::copy(binary(), &copy).unwrap();
    copy
}

fn build_command(bin: &Path, content: &Path, out: &Path, today: &str) -> Command {
    let mut c = Command::new(bin);
    c.arg("build")
        .arg("--content")
        .arg(content)
        .arg("--out")
        .arg(out)
        .args(["--today", today])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// A build that runs to the end; returns how long it took.
fn build(bin: &Path, content: &Path, out: &Path, today: &str) -> Duration {
    let start = Instant::now();
    let status = build_command(bin, content, out, today).status().unwrap();
    assert!(
        status.code() == Some(0) || status.code() == Some(1),
        "build into {} failed: {status}",
        out.display()
    );
    start.elapsed()
}

/// Every file under `dir`, by `/`-separated relative path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap_or_default());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn is_hidden(rel: &str) -> bool {
    rel.rsplit('/').next().is_some_and(|n| n.starts_with('.'))
}

/// The clean outputs parse back (so a byte-equal file is a valid one).
fn assert_clean_outputs_valid(files: &BTreeMap<String, Vec<u8>>) {
    for (rel, bytes) in files {
        if rel == CACHE_FILE {
            // Binary; compared byte for byte with the clean builds' cache.
            continue;
        }
        let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
        if rel.ends_with(".rss") || rel.ends_with(".atom") {
            roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{rel}: {e}"));
        } else if rel.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(text)
                .unwrap_or_else(|e| panic!("{rel}: {e}"));
        } else if rel.ends_with(".ics") {
            assert!(
                text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"),
                "{rel}: incomplete calendar"
            );
            if !rel.starts_with("events/") {
                icalendar::parser::read_calendar(&icalendar::parser::unfold(text))
                    .unwrap_or_else(|e| panic!("{rel}: {e}"));
            }
        }
    }
}

/// After a kill: every visible file is one of the two clean versions of that path; hidden
/// files are the state file (complete JSON), the extraction cache (whole, as in a clean
/// build) or temporary files of an interrupted write.
fn assert_complete_after_kill(
    run: usize,
    out: &Path,
    a: &BTreeMap<String, Vec<u8>>,
    b: &BTreeMap<String, Vec<u8>>,
) {
    for (rel, bytes) in snapshot(out) {
        if rel == STATE_FILE {
            serde_json::from_slice::<serde_json::Value>(&bytes)
                .unwrap_or_else(|e| panic!("run {run}: {STATE_FILE} is not complete JSON: {e}"));
            continue;
        }
        if is_hidden(&rel) && rel != CACHE_FILE {
            assert!(
                rel.contains(".tmp"),
                "run {run}: unexpected hidden file {rel}"
            );
            continue;
        }
        let known = [a.get(&rel), b.get(&rel)];
        assert!(
            known.iter().flatten().any(|v| **v == bytes),
            "run {run}: {rel} is neither the old nor the new version ({} bytes; clean: {:?})",
            bytes.len(),
            known.map(|v| v.map(Vec::len))
        );
    }
}

/// After a completed build: exactly the files and bytes of a clean build, no temporary file.
fn assert_same_as_clean(run: usize, out: &Path, clean: &BTreeMap<String, Vec<u8>>) {
    let got = snapshot(out);
    let extra: Vec<&String> = got.keys().filter(|k| !clean.contains_key(*k)).collect();
    let missing: Vec<&String> = clean.keys().filter(|k| !got.contains_key(*k)).collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "run {run}: after recovery, extra files {extra:?}, missing files {missing:?}"
    );
    for (rel, bytes) in clean {
        let mine = &got[rel];
        if mine != bytes {
            let (x, y) = (
                String::from_utf8_lossy(mine),
                String::from_utf8_lossy(bytes),
            );
            let first = x
                .lines()
                .zip(y.lines())
                .enumerate()
                .find(|(_, (l, r))| l != r)
                .map(|(i, (l, r))| format!("line {}: {l:?} (clean: {r:?})", i + 1));
            panic!("run {run}: after recovery, {rel} differs from a clean build: {first:?}");
        }
    }
}

fn crash_safety(count: usize, runs: usize) {
    let gen = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen-corpus");
    if !gen.exists() {
        println!("skipped: {} is absent", gen.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let status = Command::new("python3")
        .arg(&gen)
        .args(["--count", &count.to_string(), "--seed", "7"])
        .arg(&content)
        .stdout(Stdio::null())
        .status();
    match status {
        Ok(s) if s.success() => {}
        other => {
            println!("skipped: gen-corpus could not run ({other:?})");
            return;
        }
    }

    let bin = private_binary(dir.path());
    let clean_a = dir.path().join("clean-a");
    let clean_b = dir.path().join("clean-b");
    build(&bin, &content, &clean_a, TODAY_A);
    build(&bin, &content, &clean_b, TODAY_B);
    let a = snapshot(&clean_a);
    let b = snapshot(&clean_b);
    assert_ne!(a, b, "the two days must give different outputs");
    assert_clean_outputs_valid(&a);
    assert_clean_outputs_valid(&b);

    let out = dir.path().join("out");
    build(&bin, &content, &out, TODAY_A);
    // The kills hit rebuilds of a folder that switch days, which take less than a first
    // build: the delays are drawn from the time of such rebuilds.
    let took = build(&bin, &content, &out, TODAY_B).max(build(&bin, &content, &out, TODAY_A));
    let mut rng = Rng(0x5EED_0FA9_E4DA);
    let mut killed_while_running = 0;
    for run in 0..runs {
        let (today, clean) = if run % 2 == 0 {
            (TODAY_B, &b)
        } else {
            (TODAY_A, &a)
        };
        let delay = took.mul_f64(1.1 * rng.unit());
        let mut child = build_command(&bin, &content, &out, today).spawn().unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            killed_while_running += 1;
        }
        // SIGKILL on Unix.
        let _ = child.kill();
        let _ = child.wait();
        assert_complete_after_kill(run, &out, &a, &b);
        // The next build recovers: it completes and writes exactly a clean build's bytes.
        build(&bin, &content, &out, today);
        assert_same_as_clean(run, &out, clean);
    }
    println!(
        "{runs} builds of {count} releases killed ({killed_while_running} while running), \
         each followed by a complete, valid output folder and a recovering build"
    );
    assert!(
        killed_while_running * 2 >= runs,
        "most kills must land while the build runs ({killed_while_running} of {runs})"
    );
}

#[test]
fn crash_safety_small() {
    crash_safety(120, 10);
}

#[test]
#[ignore = "long with a debug binary: .ci/hostile runs it with the release binary"]
fn crash_safety_10000() {
    crash_safety(
        env_number("AGENDA_CRASH_CORPUS", 10_000),
        env_number("AGENDA_CRASH_RUNS", 50),
    );
}
