//! Floors of a build: `cargo run --release --example floor_bench -- CONTENT BUILT FRESH`
//!
//! Measures, in one run and on both cores as `agenda build` uses them, what a build cannot
//! avoid doing:
//! - reading every document of CONTENT (the bytes only, as `cat` does);
//! - loading them (reading, front matter, Markdown segments: the library's loader, a
//!   batch at a time as the build does);
//! - writing every file of a finished build folder BUILT into the new folder FRESH, each
//!   through a temporary file and a rename, as `agenda build` writes its outputs.
//!
//! Prints the wall time and the process CPU time of each step.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn measure<T>(label: &str, f: impl FnOnce() -> T) -> T {
    let cpu = || agenda::phases::cpu_seconds().unwrap_or(f64::NAN);
    let before = cpu();
    let wall = Instant::now();
    let out = f();
    println!(
        "{label:<40} wall {:>7.3} s   cpu {:>7.3} s",
        wall.elapsed().as_secs_f64(),
        cpu() - before
    );
    out
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let args: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let [content, built, fresh] = args.as_slice() else {
        eprintln!("usage: floor_bench CONTENT BUILT FRESH");
        std::process::exit(2);
    };
    if fresh.exists() {
        eprintln!("{} exists: give a new folder", fresh.display());
        std::process::exit(2);
    }
    let mut docs = Vec::new();
    files_under(content, &mut docs);
    docs.retain(|p| p.extension().is_some_and(|e| e == "md"));
    let bytes: usize = measure("read documents (bytes only)", || {
        docs.par_iter()
            .map(|p| std::fs::read(p).map(|b| b.len()).unwrap_or(0))
            .sum()
    });
    println!("  {} documents, {bytes} bytes", docs.len());
    // As the build reads them: 4,096 documents at a time, both cores, each dropped after.
    let loaded = measure("load documents (front matter, segments)", || {
        let (files, _) = agenda::content::discover_with_errors(std::slice::from_ref(content));
        let mut loaded = 0;
        for batch in files.chunks(4096) {
            loaded += batch
                .par_iter()
                .filter(|(path, rel)| {
                    agenda::content::load_file_with_limit(
                        path,
                        rel,
                        agenda::content::MAX_FILE_BYTES,
                    )
                    .is_ok()
                })
                .count();
        }
        loaded
    });
    println!("  {loaded} loaded");

    let mut outputs = Vec::new();
    files_under(built, &mut outputs);
    let outputs: Vec<(String, Vec<u8>)> = outputs
        .iter()
        .filter_map(|p| {
            let rel = p.strip_prefix(built).ok()?.to_str()?.to_string();
            Some((rel, std::fs::read(p).ok()?))
        })
        .collect();
    let written: usize = measure("write outputs (temporary file, rename)", || {
        outputs
            .par_iter()
            .filter(|(rel, bytes)| {
                agenda::output::write_file(fresh, rel, bytes).unwrap_or_else(|e| {
                    eprintln!("{rel}: {e}");
                    false
                })
            })
            .count()
    });
    println!("  {written} files written");
}
