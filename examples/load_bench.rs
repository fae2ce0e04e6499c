//! Loading throughput: `cargo run --release --example load_bench -- [--digest] PATH...`
//!
//! Reads every document under the paths with the library's loader (as `agenda extract` and
//! `agenda build` do) and prints counts. With `--digest`, also prints a hash of every
//! document as read, so that two versions of the loader can be compared on a corpus.
//! With `--raw`, every file under the paths (any name, as in a fuzzing corpus) is decoded
//! and read as `communiques/x.md` and `evenements/x.md`, and only the digest is printed.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;

// The allocator of the `agenda` binary, so that the figures match it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut digest = false;
    let mut raw = false;
    let mut paths = Vec::new();
    for a in std::env::args().skip(1) {
        if a == "--digest" {
            digest = true;
        } else if a == "--raw" {
            raw = true;
        } else {
            paths.push(PathBuf::from(a));
        }
    }
    if paths.is_empty() {
        eprintln!("usage: load_bench [--digest] PATH...");
        std::process::exit(2);
    }
    if raw {
        raw_digest(&paths);
        return;
    }
    let (docs, errors) = agenda::content::load_all(&paths);
    let segments: usize = docs.iter().map(|d| d.segments.len()).sum();
    let text: usize = docs
        .iter()
        .flat_map(|d| &d.segments)
        .map(|s| s.text.len())
        .sum();
    let diagnostics: usize = docs.iter().map(|d| d.diagnostics.len()).sum();
    println!(
        "{} documents, {} unreadable, {} segments ({} bytes of text), {} diagnostics",
        docs.len(),
        errors.len(),
        segments,
        text,
        diagnostics
    );
    if digest {
        let mut h = DefaultHasher::new();
        for d in &docs {
            format!("{d:?}").hash(&mut h);
        }
        for e in &errors {
            e.to_string().hash(&mut h);
        }
        println!("digest {:016x}", h.finish());
    }
}

fn raw_digest(paths: &[PathBuf]) {
    let mut files: Vec<PathBuf> = paths
        .iter()
        .flat_map(|p| walkdir::WalkDir::new(p).sort_by_file_name())
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    let mut h = DefaultHasher::new();
    for f in &files {
        let Ok(bytes) = std::fs::read(f) else {
            continue;
        };
        match agenda::content::load::decode(&bytes, "x.md") {
            Ok((text, warning)) => {
                format!("{warning:?}").hash(&mut h);
                for rel in ["communiques/x.md", "evenements/x.md"] {
                    let doc =
                        agenda::content::parse_document(std::path::Path::new(rel), rel, &text);
                    format!("{doc:?}").hash(&mut h);
                }
            }
            Err(e) => e.to_string().hash(&mut h),
        }
    }
    println!("{} files, digest {:016x}", files.len(), h.finish());
}
