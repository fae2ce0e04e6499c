//! French text -> events. Pure: no I/O, no clock; the publication date is the reference.
//!
//! Small expression parsers (`dates`, `times`, `place`), each beside its table of
//! examples, then refiners (`refine`: years, weekdays, impossible dates), a classifier
//! of the words around each date (`classify`), and `assemble`, which turns the
//! mentions into events with evidence.

pub mod assemble;
pub mod classify;
pub mod communes;
pub mod dates;
pub mod lexicon;
pub mod normalize;
pub mod place;
pub mod refine;
pub mod sieve;
pub mod times;
pub mod title;

use crate::agenda::Extraction;
use crate::content::Document;

/// Extract the agenda events, deadlines and warnings of one document.
pub fn extract(doc: &Document) -> Extraction {
    assemble::assemble(doc)
}
