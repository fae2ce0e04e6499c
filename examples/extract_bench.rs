//! Extraction throughput on one core: `cargo run --release --example extract_bench -- PATH...`
//!
//! Loads every document first (not timed), then runs the extractor over all of them on
//! the current thread, three times or more, and reports the MB/s of the best run, in CPU
//! time of the thread where the system gives it (Linux), else in wall time.

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
    // The best of several rounds: other processes on the machine only ever add time.
    let (rounds, per_round) = if bytes < 5_000_000 { (5, 20) } else { (3, 1) };
    let mut best = f64::INFINITY;
    let mut events = 0usize;
    for _ in 0..rounds {
        let started = Instant::now();
        let cpu_start = thread_cpu_ns();
        events = 0;
        for _ in 0..per_round {
            for d in &docs {
                events += agenda::extract::extract(d).events.len();
            }
        }
        // CPU time of this thread where the system says it: other processes then only
        // disturb caches, not the figure.
        let secs = match (cpu_start, thread_cpu_ns()) {
            (Some(a), Some(b)) => (b - a) as f64 / 1e9,
            _ => started.elapsed().as_secs_f64(),
        };
        best = best.min(secs);
    }
    let secs = best;
    let mb = (bytes as f64 * per_round as f64) / 1e6;
    let rounds = per_round;
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

/// Nanoseconds this thread has spent on a CPU (Linux: /proc/thread-self/schedstat).
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}
