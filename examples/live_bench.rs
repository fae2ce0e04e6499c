//! One-release edits on the build kept in memory, as `agenda serve` makes them, without the
//! watcher, the debounce or HTTP: `cargo run --release --example live_bench -- CONTENT OUT
//! TODAY EDITS`.
//!
//! Opens the build of CONTENT (a copy: it is edited), then EDITS times: one release gets a
//! new chapeau (the first `chapeau-text: '` line of a file given on standard input, one
//! path relative to CONTENT a line), the build is updated with that one path, and a new
//! snapshot is made from the previous one; then the changes are written to OUT. Prints each
//! update's time to the snapshot and to the end of the writing, then their medians, and the
//! time of opening the whole build for comparison.

use std::collections::BTreeSet;
use std::io::BufRead;
use std::path::PathBuf;
use std::time::Instant;

use agenda::build::live::{Changes, Live};
use agenda::serve::Snapshot;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, content, out, today, edits] = &args[..] else {
        eprintln!("usage: live_bench CONTENT OUT TODAY EDITS < files");
        std::process::exit(2);
    };
    let content = PathBuf::from(content);
    let today: jiff::civil::Date = today.parse().expect("TODAY as YYYY-MM-DD");
    let edits: usize = edits.parse().expect("EDITS as a number");
    let files: Vec<String> = std::io::stdin()
        .lock()
        .lines()
        .map_while(Result::ok)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!files.is_empty(), "no file to edit on standard input");

    let t = Instant::now();
    let (mut live, update) =
        Live::open(&content, out.as_ref(), None, today, false).expect("the build opens");
    let mut snapshot = Snapshot::from_live(&Snapshot::default(), &update, 0);
    let open_ms = t.elapsed().as_secs_f64() * 1000.0;
    live.write(&update).expect("written");
    println!("open: {open_ms:.1} ms, {} files", snapshot.len());

    let (mut served, mut total) = (Vec::new(), Vec::new());
    for n in 0..edits {
        let rel = &files[n % files.len()];
        let path = content.join(rel);
        let text = std::fs::read_to_string(&path).expect("readable file");
        let edited = text.replacen(
            "chapeau-text: '",
            &format!("chapeau-text: 'Édition {n}. "),
            1,
        );
        std::fs::write(&path, edited).expect("written file");
        let path = std::fs::canonicalize(&path).expect("file");
        let t = Instant::now();
        let update = live
            .update(Changes::Paths(BTreeSet::from([path])), today)
            .expect("updated");
        snapshot = Snapshot::from_live(&snapshot, &update, 0);
        let swapped = t.elapsed().as_secs_f64() * 1000.0;
        live.write(&update).expect("written");
        let written = t.elapsed().as_secs_f64() * 1000.0;
        println!(
            "edit {n:>3}: {} files changed; snapshot after {swapped:6.1} ms, written after {written:6.1} ms",
            update.changed.len()
        );
        served.push(swapped);
        total.push(written);
    }
    println!(
        "median of {edits}: snapshot {:.1} ms, written {:.1} ms; opening the build {open_ms:.1} ms",
        median(served),
        median(total)
    );
}
