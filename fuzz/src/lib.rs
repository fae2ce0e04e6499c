//! Fuzz targets of `agenda`: each target runs one check of [`checks`] on the fuzzer's bytes.
//! `tests/fuzz_replay.rs` includes the same file, so every saved input replays under
//! `cargo test`.

pub mod checks;
