//! `agenda check`: every problem an editor must see, one line each with file and line.
//!
//! Unreadable files, invalid front matter, missing publication dates, the extractor's
//! warnings (front matter against text, weekday against date, unresolved dates) and events
//! without a place. Output is sorted by file, line, column and message, so that two runs
//! on the same content print the same lines.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::content::{self, Diagnostic, Document};

/// What a check found.
#[derive(Debug, Default)]
pub struct Report {
    /// Documents read (possibly with problems).
    pub read: usize,
    /// Files or folders that could not be read at all.
    pub not_read: usize,
    /// Every problem, sorted.
    pub problems: Vec<Diagnostic>,
}

/// Every problem found under `paths`, sorted. Documents are read and checked in parallel.
pub fn check(paths: &[PathBuf]) -> Report {
    check_with_limit(paths, content::MAX_FILE_BYTES)
}

/// [`check`] with a document size limit in bytes (`max_document_size` of `agenda.toml`).
/// Each document is read, checked and dropped in one step: only its problems stay in memory.
pub fn check_with_limit(paths: &[PathBuf], limit: u64) -> Report {
    let (files, mut out) = content::discover_with_errors(paths);
    let per_file: Vec<(bool, Vec<Diagnostic>)> = files
        .par_iter()
        .map(
            |(path, rel)| match content::load_file_with_limit(path, rel, limit) {
                Ok(doc) => (true, guarded_problems(&doc)),
                Err(d) => (false, vec![d]),
            },
        )
        .collect();
    let read = per_file.iter().filter(|(ok, _)| *ok).count();
    let not_read = out.len() + per_file.len() - read;
    out.extend(per_file.into_iter().flat_map(|(_, d)| d));
    if read == 0 && not_read == 0 {
        for p in paths {
            out.push(Diagnostic {
                path: content::load::display_path(p),
                line: None,
                column: None,
                message: "no Markdown document (*.md, *.markdown) found".to_string(),
            });
        }
    }
    sort(&mut out);
    Report {
        read,
        not_read,
        problems: out,
    }
}

/// Sort problems by file, line, column, message; drop exact duplicates.
pub fn sort(out: &mut Vec<Diagnostic>) {
    out.sort_by(|a, b| {
        a.path
            .cmp(&b.path)
            .then_with(|| a.line.unwrap_or(0).cmp(&b.line.unwrap_or(0)))
            .then_with(|| a.column.unwrap_or(0).cmp(&b.column.unwrap_or(0)))
            .then_with(|| a.message.cmp(&b.message))
    });
    out.dedup();
}

/// [`document_problems`], but a defect in the extractor on one document is reported as a
/// problem of that document instead of stopping the whole check.
fn guarded_problems(doc: &Document) -> Vec<Diagnostic> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| document_problems(doc))) {
        Ok(problems) => problems,
        Err(payload) => {
            let why = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let mut out = doc.diagnostics.clone();
            out.push(Diagnostic {
                path: content::load::display_path(&doc.path),
                line: None,
                column: None,
                message: format!(
                    "internal error while extracting this document ({}); please report it",
                    why.lines().next().unwrap_or("no detail")
                ),
            });
            out
        }
    }
}

/// The problems of one read document: its own diagnostics, the extractor's warnings, and
/// events without a place.
pub fn document_problems(doc: &Document) -> Vec<Diagnostic> {
    let path = content::load::display_path(&doc.path);
    let mut out = doc.diagnostics.clone();
    let ex = crate::extract::extract(doc);
    for w in &ex.warnings {
        if repeats_a_loading_problem(doc, w) {
            continue;
        }
        out.push(Diagnostic {
            path: path.clone(),
            line: w.line,
            column: None,
            message: w.message.clone(),
        });
    }
    for ev in &ex.events {
        let has_place = ev.online
            || ev.location.as_deref().is_some_and(|l| !l.trim().is_empty())
            || ev.address.as_deref().is_some_and(|a| !a.trim().is_empty());
        if !has_place {
            let line = ev
                .evidence
                .iter()
                .find(|e| e.field == "start")
                .or_else(|| ev.evidence.first())
                .map(|e| e.line);
            let days = if ev.end != ev.start {
                format!("{} to {}", ev.start, ev.end)
            } else {
                ev.start.to_string()
            };
            out.push(Diagnostic {
                path: path.clone(),
                line,
                column: None,
                message: format!(
                    "event on {days} has no place (no venue, town or online mention; add one to the text or to the front matter)"
                ),
            });
        }
    }
    out
}

/// The extractor may warn again about what loading already reported: a missing publication
/// date, or a front matter value already found unreadable on the same line.
fn repeats_a_loading_problem(doc: &Document, w: &crate::agenda::Warning) -> bool {
    if doc.published.is_none() && w.message.starts_with("no publication date") {
        return true;
    }
    match w.line {
        Some(line) if line < doc.body_line => doc.diagnostics.iter().any(|d| d.line == Some(line)),
        _ => false,
    }
}

/// Returns 0 when clean, 1 when something needs a human, 2 when the check could not run.
pub fn run(paths: &[PathBuf]) -> u8 {
    let missing: Vec<&PathBuf> = paths.iter().filter(|p| !p.exists()).collect();
    if !missing.is_empty() {
        for p in missing {
            eprintln!(
                "agenda check: {}: no such file or folder",
                content::load::display_path(p)
            );
        }
        return 2;
    }
    // The same size limit as `agenda build`, from agenda.toml when present.
    let limit = match crate::config::Settings::load(None) {
        Ok(settings) => settings.max_document_size,
        Err(e) => {
            eprintln!("agenda check: {e}");
            return 2;
        }
    };
    let report = check_with_limit(paths, limit);
    let mut text = String::new();
    for p in &report.problems {
        text.push_str(&p.to_string());
        text.push('\n');
    }
    print!("{text}");
    let read = report.read;
    let docs = if read == 1 { "document" } else { "documents" };
    let not_read = match report.not_read {
        0 => String::new(),
        n => format!(", {n} not read"),
    };
    if report.problems.is_empty() {
        eprintln!("agenda check: {read} {docs} read{not_read}, no problem");
        0
    } else {
        let n = report.problems.len();
        let what = if n == 1 { "problem" } else { "problems" };
        eprintln!("agenda check: {read} {docs} read{not_read}, {n} {what} to look at");
        1
    }
}
