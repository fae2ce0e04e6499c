//! Publishers: pure functions from the agenda to bytes.
