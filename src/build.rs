//! `agenda build`: content folder -> agenda -> every output, written atomically.

use std::path::PathBuf;

pub struct BuildArgs {
    pub content: PathBuf,
    pub out: PathBuf,
    pub config: Option<PathBuf>,
    /// Decides what is "upcoming"; nothing else depends on it.
    pub today: jiff::civil::Date,
}

/// Run a build; returns the exit status: 0 clean, 1 built with skipped documents, 2 nothing built.
pub fn run(_args: &BuildArgs) -> u8 {
    eprintln!("agenda build: not implemented yet");
    2
}
