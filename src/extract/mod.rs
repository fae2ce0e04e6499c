//! French text -> events. Pure: no I/O, no clock; the publication date is the reference.

use crate::agenda::Extraction;
use crate::content::Document;

/// Extract the agenda events, deadlines and warnings of one document.
pub fn extract(_doc: &Document) -> Extraction {
    Extraction::default()
}
