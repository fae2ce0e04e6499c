//! `agenda check`: every problem an editor must see, one line each with file and line.
//!
//! Unreadable files, invalid front matter, missing publication dates, the extractor's
//! warnings (front matter against text, weekday against date, unresolved dates) and events
//! without a place, and sources of one merged event that disagree on its hours or place.
//! Output is sorted by file, line, column and message, so that two runs
//! on the same content print the same lines.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::announce::{announce, Announcement};
use crate::config::Settings;
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

/// Every problem found under `paths`, sorted, with the default settings.
pub fn check(paths: &[PathBuf]) -> Report {
    check_with(paths, &Settings::default())
}

/// What one file gives the check: was it read, its problems, what it announces.
type Checked = (bool, Vec<Diagnostic>, Option<Announcement>);

/// [`check`] with the settings of `agenda.toml` (document size limit, permalinks for the
/// links between documents). Each document is read, checked and dropped in one step: only
/// its problems and its agenda entries stay in memory. The entries of all documents are
/// then merged as `build` merges them, and sources of one event that disagree on its hours
/// or place are reported, naming both files.
pub fn check_with(paths: &[PathBuf], settings: &Settings) -> Report {
    let (files, mut out) = content::discover_with_errors(paths);
    let per_file: Vec<Checked> = files
        .par_iter()
        .map(|(path, rel)| {
            match content::load_file_with_limit(path, rel, settings.max_document_size) {
                Ok(doc) => {
                    let (problems, announced) = guarded_problems(&doc, settings);
                    (true, problems, announced)
                }
                Err(d) => (false, vec![d], None),
            }
        })
        .collect();
    let read = per_file.iter().filter(|(ok, _, _)| *ok).count();
    let not_read = out.len() + per_file.len() - read;
    let mut entries = Vec::new();
    let mut infos = BTreeMap::new();
    for (_, problems, announced) in per_file {
        out.extend(problems);
        if let Some(a) = announced {
            entries.extend(a.entries);
            infos.extend(a.info);
        }
    }
    let path_of: BTreeMap<&str, &PathBuf> = files.iter().map(|(p, r)| (r.as_str(), p)).collect();
    let (_, conflicts) = crate::merge::merge(entries, &infos);
    for c in conflicts {
        let path = path_of
            .get(c.doc_b.as_str())
            .map(|p| content::load::display_path(p))
            .unwrap_or_else(|| c.doc_b.clone());
        out.push(Diagnostic {
            path,
            line: None,
            column: None,
            message: format!(
                "same event as {} (uid {}), but its {} is « {} » where {} says « {} »",
                c.doc_a, c.uid, c.field, c.value_b, c.doc_a, c.value_a
            ),
        });
    }
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

/// [`document_problems`] and the document's agenda entries, but a defect in the extractor
/// on one document is reported as a problem of that document instead of stopping the check.
fn guarded_problems(
    doc: &Document,
    settings: &Settings,
) -> (Vec<Diagnostic>, Option<Announcement>) {
    let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let (problems, ex) = problems_of(doc);
        (problems, announce(doc, ex.events, settings))
    }));
    match checked {
        Ok(checked) => checked,
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
            (out, None)
        }
    }
}

/// The problems of one read document: its own diagnostics, the extractor's warnings, and
/// events without a place.
pub fn document_problems(doc: &Document) -> Vec<Diagnostic> {
    problems_of(doc).0
}

/// [`document_problems`], and the extraction they come from.
fn problems_of(doc: &Document) -> (Vec<Diagnostic>, crate::agenda::Extraction) {
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
    (out, ex)
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
    // The same settings as `agenda build`, from agenda.toml when present.
    let settings = match Settings::load(None) {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("agenda check: {e}");
            return 2;
        }
    };
    let report = check_with(paths, &settings);
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
