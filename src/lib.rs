//! `agenda`: French press releases in, agenda feeds out.
//!
//! Data flows one way: files -> [`content::Document`] -> [`extract`] ->
//! [`agenda::Event`]s -> [`agenda::Agenda`] -> [`publish`] -> bytes -> [`output`].

pub mod agenda;
pub mod announce;
pub mod build;
pub mod check;
pub mod config;
pub mod content;
pub mod extract;
pub mod merge;
pub mod output;
pub mod phases;
pub mod publish;
pub mod report;
pub mod serve;
pub mod slug;
