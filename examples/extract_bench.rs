//! Extraction throughput on one core: `cargo run --release --example extract_bench -- PATH...`
//!
//! Loads every document first (not timed), then runs the extractor over all of them on
//! the current thread and reports MB/s of source files.

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let paths: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        eprintln!("usage: extract_bench PATH...");
        std::process::exit(2);
    }
    let (docs, errors) = agenda::content::load_all(&paths);
    let bytes: u64 = docs
        .iter()
        .map(|d| std::fs::metadata(&d.path).map(|m| m.len()).unwrap_or(0))
        .sum();
    let rounds = if bytes < 5_000_000 { 20 } else { 1 };
    let started = Instant::now();
    let mut events = 0usize;
    for _ in 0..rounds {
        for d in &docs {
            events += agenda::extract::extract(d).events.len();
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let mb = (bytes as f64 * rounds as f64) / 1e6;
    println!(
        "{} documents ({:.1} MB, {} unreadable), {} rounds: {} events, {:.3} s, {:.1} MB/s on one core",
        docs.len(),
        bytes as f64 / 1e6,
        errors.len(),
        rounds,
        events / rounds,
        secs,
        mb / secs
    );
}
