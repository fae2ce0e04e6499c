//! `agenda extract`: per document, the events found and the evidence for each field.

use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Jsonl,
}

/// Returns the exit status.
pub fn run_extract(_paths: &[PathBuf], _format: Format) -> u8 {
    eprintln!("agenda extract: not implemented yet");
    2
}
