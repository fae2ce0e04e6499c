//! The build kept in memory between rebuilds, for `agenda serve`: every document's digest,
//! the agenda merged day span by day span, each entry's VEVENT, own calendar and
//! `events.json` object rendered once, and every output file with the key of what it was
//! made from.
//!
//! An update reads only the documents that changed (the paths the watcher reported, or
//! those whose size or time changed when it is told nothing), takes their entries out of
//! the day spans they were in and puts the new ones in, merges those spans again, and
//! renders again only the files whose inputs changed: the whole calendars and
//! `events.json` are joined from the kept pieces. The files are the bytes `agenda build`
//! writes for the same content and the same previous state (tested); [`Live::write`] then
//! writes what changed to the output folder as `agenda build` does.
//!
//! A change of the settings (or of the program) reads everything again; a change of the
//! templates renders the pages again; a new day plans every file again (from the kept
//! pieces).

use std::collections::{BTreeMap, BTreeSet};

/// Maps and sets keyed by hashes and output paths, looked up thousands of times per
/// update: a fast hasher (the keys are not chosen by a client).
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use rayon::prelude::*;
use twox_hash::XxHash3_128;

use super::pages::{self, Pages};
use super::{
    cache, check_folders, digest_bytes, digest_file, load_settings, own_key, packed, rekeyed,
    release_items, Context, Digest, Kind, Plan, Rendered, Store,
};
use crate::config::Settings;
use crate::merge::{self, DocInfo};
use crate::output::{self, State};
use crate::publish::html::Templates;
use crate::publish::{events_json, ics};

/// What an update is told of the content.
#[derive(Debug, Clone, Default)]
pub enum Changes {
    /// Look at every document (its size and modification time).
    #[default]
    Rescan,
    /// Only these paths changed (files or folders, under the content folder or not).
    Paths(BTreeSet<PathBuf>),
}

/// What an update changed.
#[derive(Debug, Default)]
pub struct Update {
    /// Output files whose bytes changed (new ones included), with their bytes.
    pub changed: Vec<(Arc<str>, Body)>,
    /// Output files no longer produced.
    pub removed: Vec<Arc<str>>,
    /// Every file was made (`changed` holds them all): the build was opened.
    pub whole: bool,
    /// Documents read and extracted again.
    pub extracted: usize,
    /// Documents, skipped documents and agenda entries after the update.
    pub documents: usize,
    pub skipped: usize,
    pub entries: usize,
}

/// One document as the build knows it.
struct Doc {
    path: PathBuf,
    /// (size, modification time in ns): what a rescan compares.
    stamp: (u64, i128),
    hash: u128,
    digest: Digest,
    /// Its `collection/slug` (before any other document's claim on it).
    id_path: Option<String>,
    /// Its entries as the merge takes them (keys made unique), with their day spans.
    inputs: Vec<(Span, Arc<[u8]>)>,
}

type Span = (Date, Date);

/// An entry as the merge takes it: its document, its index there, its bytes.
type Input<'a> = (Arc<str>, usize, &'a Arc<[u8]>);

/// An entry of the agenda: the merge's output for one event.
struct Item {
    packed: Arc<[u8]>,
    /// Hash of the packed bytes.
    id: u128,
    /// Its SEQUENCE, once the state gave it.
    sequence: Option<u32>,
}

/// The agenda's order: first day, start time, uid, then the input the entry is keyed by
/// (document and index there), as a build orders ties.
type Order = (Date, Option<jiff::civil::Time>, Arc<str>, Arc<str>, usize);

/// One output file and the key of what it was made from.
struct Output {
    key: u128,
    bytes: Body,
    /// The keys of the blocks it is made of (calendars and `events.json`).
    blocks: Vec<u128>,
}

/// A file made by an update: its bytes and the keys of its blocks.
type Made = (Body, Vec<u128>);

/// A file's bytes, in parts laid end to end: one for most files; the calendars and
/// `events.json` are made of blocks of entries, kept from one update to the next.
pub type Body = Arc<[Bytes]>;

/// Blocks of entries end after an entry whose render id has these low bits all zero (one
/// entry in 64 on average: where blocks end depends only on the entries, so an entry
/// added or changed makes one new block, not a shift of every block after it)...
const BLOCK_END_MASK: u128 = 63;
/// ...or after this many entries.
const BLOCK_MAX: usize = 512;

/// Blocks made while rendering, to keep for the next update.
type MadeBlocks = std::sync::Mutex<Vec<(u128, Bytes)>>;

/// Pieces of each entry, by its render key (its bytes and SEQUENCE).
#[derive(Default)]
struct Pieces {
    vevent: HashMap<u128, Option<Arc<ics::Prepared>>>,
    single: HashMap<u128, Bytes>,
    json: HashMap<u128, Arc<str>>,
}

/// The build in memory.
pub struct Live {
    content: PathBuf,
    out: PathBuf,
    config: Option<PathBuf>,
    settings: Settings,
    /// The settings and program, as the extraction cache keys them.
    identity: String,
    tz: TimeZone,
    templates: Templates,
    templates_key: u128,
    today: Date,
    docs: BTreeMap<String, Doc>,
    /// `collection/slug` -> documents claiming it.
    claims: BTreeMap<String, BTreeSet<String>>,
    infos: BTreeMap<String, DocInfo>,
    /// Day span -> documents with an entry on it, and the order keys of its merged
    /// entries; spans to merge again.
    span_docs: BTreeMap<Span, BTreeSet<String>>,
    merged: BTreeMap<Span, Vec<Order>>,
    dirty: BTreeSet<Span>,
    /// The merged agenda in its order.
    agenda: BTreeMap<Order, Item>,
    state: State,
    pieces: Pieces,
    /// Blocks of entries of the calendars and `events.json`, by key (see [`Body`]).
    blocks: HashMap<u128, Bytes>,
    /// The file name of each entry's own calendar, by its id.
    names: HashMap<u128, Arc<str>>,
    files: HashMap<Arc<str>, Output>,
    /// Files written to the output folder by the last [`Live::write`] (or found there).
    written: BTreeSet<String>,
    /// Changes to files other than documents (attached files' sizes): the release feeds
    /// are made again.
    others: u64,
}

fn hash_parts(parts: &[&[u8]]) -> u128 {
    let mut h = XxHash3_128::new();
    for p in parts {
        h.write(&(p.len() as u64).to_le_bytes());
        h.write(p);
    }
    h.finish_128()
}

/// Whether two bodies hold the same bytes: compared when whole; made of blocks, when
/// they share every block (a new block with the bytes of an old one, rare, makes the file
/// count as changed: its ETag, a hash of the bytes, stays the same).
fn same_bytes(a: &Body, b: &Body) -> bool {
    match (&a[..], &b[..]) {
        ([x], [y]) => x == y,
        _ => {
            a.len() == b.len()
                && a.iter()
                    .zip(b.iter())
                    .all(|(x, y)| x.len() == y.len() && (x.as_ptr() == y.as_ptr() || x == y))
        }
    }
}

/// What an entry is rendered from: its bytes (their hash `id`) and its SEQUENCE.
fn render_id(id: u128, sequence: u32) -> u128 {
    id ^ u128::from(sequence).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835)
}

fn stamp(path: &Path) -> (u64, i128) {
    std::fs::metadata(path).map_or((0, 0), |m| {
        let t = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        (m.len(), t)
    })
}

fn settings_identity(settings: &Settings, content: &Path) -> String {
    format!(
        "{:?}\n{settings:?}",
        cache::identity(settings, content).unwrap_or(0)
    )
}

/// Hash of the template files beside the content folder (0 when there are none).
fn templates_key(dir: &Path) -> u128 {
    let mut parts = Vec::new();
    for (name, _) in crate::publish::html::DEFAULTS {
        if let Ok(b) = std::fs::read(dir.join(name)) {
            parts.push(name.as_bytes().to_vec());
            parts.push(b);
        }
    }
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    hash_parts(&refs)
}

impl Live {
    /// Read and extract every document (those the extraction cache holds unchanged are
    /// decoded from it) and make every file. Err when the build cannot run.
    pub fn open(
        content: &Path,
        out: &Path,
        config: Option<&Path>,
        today: Date,
        use_cache: bool,
    ) -> Result<(Live, Update), String> {
        let (settings, tz) = load_settings(config)?;
        check_folders(content, out)?;
        let dir = pages::templates_dir(content);
        let templates = pages::load_templates(&dir)?;
        let mut live = Live {
            content: content.to_path_buf(),
            out: out.to_path_buf(),
            config: config.map(Path::to_path_buf),
            identity: settings_identity(&settings, content),
            settings,
            tz,
            templates,
            templates_key: templates_key(&dir),
            today,
            docs: BTreeMap::new(),
            claims: BTreeMap::new(),
            infos: BTreeMap::new(),
            span_docs: BTreeMap::new(),
            merged: BTreeMap::new(),
            dirty: BTreeSet::new(),
            agenda: BTreeMap::new(),
            state: State::read(out),
            pieces: Pieces::default(),
            blocks: HashMap::default(),
            names: HashMap::default(),
            files: HashMap::default(),
            written: BTreeSet::new(),
            others: 0,
        };
        live.written = std::mem::take(&mut live.state.files);
        let (files, walk_errors) =
            crate::content::discover_with_errors(std::slice::from_ref(&live.content));
        for d in &walk_errors {
            eprintln!("{d}");
        }
        if files.is_empty() {
            return Err(format!("no document (*.md) in {}", content.display()));
        }
        if out.is_dir() {
            output::remove_leftover_temps(out, &["events", "tags"]);
        }
        let read = live.read_all(&files, use_cache);
        let rels: BTreeSet<String> = read.keys().cloned().collect();
        let mut keys = BTreeSet::new();
        for (rel, doc) in read {
            keys.extend(live.put(rel, Some(doc)));
        }
        let mut update = live.refresh(&rels, &keys)?;
        update.extracted = rels.len();
        update.whole = true;
        Ok((live, update))
    }

    /// Every document read and digested in parallel, from the extraction cache where it
    /// holds, which is written again.
    fn read_all(&self, files: &[(PathBuf, String)], use_cache: bool) -> BTreeMap<String, Doc> {
        let id = use_cache
            .then(|| cache::identity(&self.settings, &self.content))
            .flatten();
        let mut old = id.map(|id| cache::Old::open(&self.out, id));
        let jobs: Vec<_> = files
            .iter()
            .map(|file| (file, old.as_mut().and_then(|o| o.take(&file.1))))
            .collect();
        drop(old);
        let read: Vec<(String, Doc, Option<Vec<u8>>)> = jobs
            .into_par_iter()
            .map(|((path, rel), recorded)| {
                let (digest, hash, body) = digest_file(path, rel, &self.settings, recorded, true);
                let doc = self.doc(path, digest, hash.unwrap_or(0));
                (rel.clone(), doc, body)
            })
            .collect();
        if let Some(id) = id {
            if std::fs::create_dir_all(&self.out).is_ok() {
                self.write_cache(id, &read);
            }
        }
        read.into_iter()
            .map(|(rel, doc, _)| {
                for w in &doc.digest.warnings {
                    eprintln!("{w}");
                }
                (rel, doc)
            })
            .collect()
    }

    fn write_cache(&self, id: u64, read: &[(String, Doc, Option<Vec<u8>>)]) {
        let Ok(mut new) = cache::New::create(&self.out, id) else {
            return;
        };
        for (rel, doc, body) in read {
            if doc.digest.skipped && doc.hash == 0 {
                continue;
            }
            let encoded = body.clone().or_else(|| cache::encode(&doc.digest));
            if let Some(e) = encoded {
                if new.push(rel, doc.hash, &e).is_err() {
                    return;
                }
            }
        }
        if let Err(e) = new.commit() {
            eprintln!(
                "{}: cannot write the extraction cache: {e}",
                self.out.join(cache::CACHE_FILE).display()
            );
        }
    }

    fn doc(&self, path: &Path, digest: Digest, hash: u128) -> Doc {
        let id_path = digest.release.as_ref().map(|r| r.id_path.clone());
        Doc {
            path: path.to_path_buf(),
            stamp: stamp(path),
            hash,
            digest,
            id_path,
            inputs: Vec::new(),
        }
    }

    /// Bring the build up to date with the content, the settings and `today`. Err when
    /// the build cannot run (the build in memory is then unchanged, or must be opened
    /// again: see [`Live::needs_reopen`]).
    pub fn update(&mut self, changes: Changes, today: Date) -> Result<Update, String> {
        check_folders(&self.content, &self.out)?;
        let dir = pages::templates_dir(&self.content);
        let key = templates_key(&dir);
        if key != self.templates_key {
            self.templates = pages::load_templates(&dir)?;
            self.templates_key = key;
        }
        self.today = today;
        let phases = crate::phases::Phases::start();
        let touched = self.find_changes(changes);
        phases.mark("live: changes found");
        let mut rels = BTreeSet::new();
        let mut keys = BTreeSet::new();
        for (rel, path) in touched {
            let doc = match path {
                Some(path) => match self.read_again(&rel, &path) {
                    Some(doc) => Some(doc),
                    // The same bytes (a save without change, a file touched).
                    None => continue,
                },
                None => None,
            };
            rels.insert(rel.clone());
            keys.extend(self.put(rel, doc));
        }
        phases.mark("live: documents read");
        let mut update = self.refresh(&rels, &keys)?;
        update.extracted = rels.len();
        phases.mark("live: updated");
        Ok(update)
    }

    /// Whether the settings (or the program) changed since the build was opened: the
    /// whole build must then be opened again. Err when they cannot be read.
    pub fn needs_reopen(&self) -> Result<bool, String> {
        let (settings, _) = load_settings(self.config.as_deref())?;
        Ok(settings_identity(&settings, &self.content) != self.identity)
    }

    /// The documents to read again (with their path; None: removed).
    fn find_changes(&mut self, changes: Changes) -> Vec<(String, Option<PathBuf>)> {
        let paths = match changes {
            Changes::Paths(paths) => paths,
            Changes::Rescan => return self.rescan(),
        };
        let root = std::fs::canonicalize(&self.content).unwrap_or_else(|_| self.content.clone());
        let mut touched = Vec::new();
        for p in paths {
            let Some(rel) = p
                .strip_prefix(&root)
                .or_else(|_| p.strip_prefix(&self.content))
                .ok()
            else {
                continue;
            };
            if rel
                .components()
                .any(|c| c.as_os_str().to_str().is_some_and(|s| s.starts_with('.')))
            {
                continue;
            }
            let markdown = rel.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown")
            });
            let rel_text = crate::content::display_path(rel);
            let known = self.docs.contains_key(&rel_text);
            match std::fs::metadata(&p) {
                Ok(m) if m.is_dir() => return self.rescan(),
                Ok(m) if markdown && m.is_file() => touched.push((rel_text, Some(p))),
                Err(_) if known => touched.push((rel_text, None)),
                Err(_) if !markdown => {
                    // A folder removed or renamed: its documents went with it.
                    let under = format!("{rel_text}/");
                    if self.docs.keys().any(|d| d.starts_with(&under)) {
                        return self.rescan();
                    }
                    // Gone (an editor's temporary file, mostly): an attached file's size
                    // is looked at again by the next rescan.
                }
                // Another file (an attached file: its size is in the release feeds).
                Ok(_) => self.others += 1,
                Err(_) => {}
            }
        }
        touched
    }

    /// A document read again and digested; None when its bytes are those the build has.
    /// (Its size and time are then taken as they are now.)
    fn read_again(&mut self, rel: &str, path: &Path) -> Option<Doc> {
        let read = crate::content::read_file_with_limit(path, self.settings.max_document_size);
        let (digest, hash) = match read {
            Ok(bytes) => {
                let hash = cache::content_hash(&bytes);
                if let Some(d) = self
                    .docs
                    .get_mut(rel)
                    .filter(|d| d.hash == hash && hash != 0)
                {
                    d.stamp = stamp(path);
                    return None;
                }
                (digest_bytes(path, rel, &bytes, &self.settings), hash)
            }
            // Unreadable: kept as a skipped document, tried again next time.
            Err(d) => (Digest::failed(d), 0),
        };
        for w in &digest.warnings {
            eprintln!("{w}");
        }
        Some(self.doc(path, digest, hash))
    }

    /// Every document of the content compared with the build's by size and time.
    fn rescan(&mut self) -> Vec<(String, Option<PathBuf>)> {
        self.others += 1;
        let (files, errors) =
            crate::content::discover_with_errors(std::slice::from_ref(&self.content));
        for d in &errors {
            eprintln!("{d}");
        }
        let found: BTreeSet<&str> = files.iter().map(|(_, rel)| rel.as_str()).collect();
        let mut touched: Vec<(String, Option<PathBuf>)> = self
            .docs
            .keys()
            .filter(|rel| !found.contains(rel.as_str()))
            .map(|rel| (rel.clone(), None))
            .collect();
        for (path, rel) in &files {
            let same = self
                .docs
                .get(rel)
                .is_some_and(|d| d.path == *path && d.stamp == stamp(path) && d.hash != 0);
            if !same {
                touched.push((rel.clone(), Some(path.clone())));
            }
        }
        touched
    }

    /// Replace (or remove) one document's digest, keeping the claims on keys and the
    /// merge's document table; its entries are placed by [`Live::refresh`]. Returns the
    /// keys (`collection/slug`) it claimed before and claims now.
    fn put(&mut self, rel: String, doc: Option<Doc>) -> Vec<String> {
        let mut keys = Vec::new();
        if let Some(old) = self.docs.remove(&rel) {
            keys.extend(old.id_path.clone());
            if let Some(id) = &old.id_path {
                if let Some(c) = self.claims.get_mut(id) {
                    c.remove(&rel);
                    if c.is_empty() {
                        self.claims.remove(id);
                    }
                }
            }
            self.infos.remove(&rel);
            for (span, _) in &old.inputs {
                self.unplace(*span, &rel);
            }
        }
        if let Some(mut doc) = doc {
            keys.extend(doc.id_path.clone());
            if let Some(id) = &doc.id_path {
                self.claims
                    .entry(id.clone())
                    .or_default()
                    .insert(rel.clone());
            }
            if let Some((r, info)) = doc.digest.info.take() {
                self.infos.insert(r, info);
            }
            self.docs.insert(rel, doc);
        }
        keys
    }

    /// The span no longer holds an entry of `rel` (marked for merging again).
    fn unplace(&mut self, span: Span, rel: &str) {
        if let Some(d) = self.span_docs.get_mut(&span) {
            d.remove(rel);
        }
        self.dirty.insert(span);
    }

    /// Place the entries of the documents `rels` and of every document claiming one of
    /// `keys` (the first claimant by path keeps the key, the others are renamed), merge
    /// the spans they leave or join, and make every file again from the pieces.
    fn refresh(
        &mut self,
        rels: &BTreeSet<String>,
        keys: &BTreeSet<String>,
    ) -> Result<Update, String> {
        let mut affected: BTreeSet<String> = rels.clone();
        for k in keys {
            affected.extend(self.claims.get(k).into_iter().flatten().cloned());
        }
        for rel in &affected {
            self.place(rel);
        }
        self.merge_spans();
        self.render()
    }

    /// Put a document's entries (keys made unique) into their spans.
    fn place(&mut self, rel: &str) {
        let Some(doc) = self.docs.get(rel) else {
            return;
        };
        let renamed = doc.id_path.as_ref().and_then(|id| {
            let first = self.claims.get(id).and_then(|c| c.first())?;
            (first != rel).then(|| (id.clone(), own_key(rel)))
        });
        let inputs: Vec<(Span, Arc<[u8]>)> = doc
            .digest
            .entries
            .iter()
            .map(|p| {
                let bytes: Arc<[u8]> = match &renamed {
                    Some((id, path)) => rekeyed(packed::unpack(p), id, path)
                        .map_or_else(|| Arc::from(&p[..]), |e| Arc::from(packed::pack(&e))),
                    None => Arc::from(&p[..]),
                };
                let h = packed::head(&bytes);
                ((h.start, h.end), bytes)
            })
            .collect();
        let old: Vec<Span> = doc.inputs.iter().map(|(s, _)| *s).collect();
        for span in old {
            self.unplace(span, rel);
        }
        for (span, _) in &inputs {
            self.span_docs
                .entry(*span)
                .or_default()
                .insert(rel.to_string());
            self.dirty.insert(*span);
        }
        if let Some(doc) = self.docs.get_mut(rel) {
            doc.inputs = inputs;
        }
    }

    /// Merge every span changed since it was merged (in parallel), and put its entries in
    /// the agenda in place of its old ones.
    fn merge_spans(&mut self) {
        let todo: Vec<Span> = std::mem::take(&mut self.dirty).into_iter().collect();
        let done: Vec<(Span, Vec<(Order, Item)>)> = todo
            .into_par_iter()
            .map(|span| (span, self.merge_span(span)))
            .collect();
        for (span, items) in done {
            for key in self.merged.remove(&span).into_iter().flatten() {
                self.agenda.remove(&key);
            }
            if items.is_empty() {
                self.span_docs.remove(&span);
                continue;
            }
            let keys = items.iter().map(|(k, _)| k.clone()).collect();
            self.agenda.extend(items);
            self.merged.insert(span, keys);
        }
    }

    /// The merged entries of one span, from its documents' entries in build order.
    fn merge_span(&self, span: Span) -> Vec<(Order, Item)> {
        let mut input: Vec<Input<'_>> = Vec::new();
        for rel in self.span_docs.get(&span).into_iter().flatten() {
            let Some(doc) = self.docs.get(rel) else {
                continue;
            };
            let rel: Arc<str> = Arc::from(rel.as_str());
            for (k, (s, bytes)) in doc.inputs.iter().enumerate() {
                if *s == span {
                    input.push((Arc::clone(&rel), k, bytes));
                }
            }
        }
        let item = |(rel, k, _): &Input<'_>, packed: Arc<[u8]>| {
            let h = packed::head(&packed);
            let order = (h.start, h.start_time, Arc::from(h.uid), Arc::clone(rel), *k);
            let item = Item {
                id: XxHash3_128::oneshot(&packed),
                packed,
                sequence: None,
            };
            (order, item)
        };
        if input.len() == 1 {
            return vec![item(&input[0], Arc::clone(input[0].2))];
        }
        let unpacked = input.iter().map(|(_, _, b)| packed::unpack(b)).collect();
        let (keyed, _conflicts) = merge::merge_keyed(unpacked, &self.infos);
        keyed
            .into_iter()
            .filter_map(|m| {
                let one = input.get(m.key)?;
                let bytes = if m.alone {
                    Arc::clone(one.2)
                } else {
                    Arc::from(packed::pack(&m.entry))
                };
                Some(item(one, bytes))
            })
            .collect()
    }

    /// Make every file from the merged agenda, rendering only what changed.
    fn render(&mut self) -> Result<Update, String> {
        let documents = self.docs.len();
        let skipped = self.docs.values().filter(|d| d.digest.skipped).count();
        let (mut releases, newest) = self.newest_releases();
        let Some(newest_content) = newest else {
            return Err(format!(
                "no publishable document in {}",
                self.content.display()
            ));
        };
        let phases = crate::phases::Phases::start();
        let (store, ids) = self.store();
        phases.mark("live: store");
        let names = &mut self.names;
        if names.len() > 2 * store.len() + 1024 {
            let live: HashSet<u128> = ids.iter().copied().collect();
            names.retain(|id, _| live.contains(id));
        }
        let plan = Plan::with_names(&self.settings, &store, self.today, &mut |i| {
            let name = names
                .entry(ids[i])
                .or_insert_with(|| super::event_file(store.head(i).uid).into());
            Arc::clone(name)
        });
        phases.mark("live: plan");
        let calendar = super::calendar_meta(&self.settings);
        let render_ids: Vec<u128> = ids
            .iter()
            .zip(&store.sequences)
            .map(|(id, seq)| render_id(*id, *seq))
            .collect();
        self.make_pieces(&store, &plan, &render_ids, &calendar);
        phases.mark("live: pieces");
        let ctx = Context {
            settings: &self.settings,
            content: &self.content,
            tz: &self.tz,
            newest_content,
        };

        // The key of each file: what it is made from.
        let deadlines = self.docs.values().flat_map(|d| d.digest.deadlines.iter());
        let pages = Pages::new(&ctx, &plan, &store, deadlines, &self.templates, self.today);
        let selections: HashMap<usize, pages::Selection> = plan
            .jobs
            .iter()
            .filter_map(|j| match j.kind {
                Kind::Page(p) => Some((p, pages.selection(p))),
                _ => None,
            })
            .collect();
        let keys = self.file_keys(
            &plan,
            &pages,
            &selections,
            &render_ids,
            &releases,
            newest_content,
        );
        phases.mark("live: keys");
        // Files whose key changed, rendered in parallel.
        let mut present = 0;
        let stale: Vec<usize> = (0..plan.jobs.len())
            .filter(|&j| match self.files.get(&*plan.jobs[j].name) {
                Some(o) => {
                    present += 1;
                    o.key != keys[j]
                }
                None => true,
            })
            .collect();
        let release_feed = if stale.iter().any(|&j| {
            matches!(
                plan.jobs[j].kind,
                Kind::ReleasesRss | Kind::ReleasesAtom | Kind::ReleasesJson
            )
        }) {
            release_items(&ctx, &mut releases)
        } else {
            Vec::new()
        };
        let rendered = Rendered {
            ctx: &ctx,
            plan: &plan,
            agenda: &store,
            releases: release_feed,
            pages: Vec::new(),
            calendar,
        };
        let made_blocks = std::sync::Mutex::new(Vec::new());
        let one = |b: Vec<u8>| -> Made { (Arc::from([Bytes::from(b)]), Vec::new()) };
        let made: Vec<Result<(usize, Made), String>> = stale
            .par_iter()
            .map(|&j| {
                let job = &plan.jobs[j];
                let made = match &job.kind {
                    Kind::EventIcs(i) => {
                        let single = self.pieces.single.get(&render_ids[*i]);
                        (Arc::from([single.cloned().unwrap_or_default()]), Vec::new())
                    }
                    Kind::AgendaIcs => self.calendar(
                        &plan.calendar,
                        &render_ids,
                        &rendered.calendar,
                        &made_blocks,
                    ),
                    Kind::TagIcs(t) => {
                        let tag = &plan.tags[*t];
                        let meta = rendered.tag_calendar(tag);
                        self.calendar(&tag.calendar, &render_ids, &meta, &made_blocks)
                    }
                    Kind::EventsJson => self.events_json(&render_ids, &made_blocks),
                    Kind::Page(p) => one(pages.render(*p, &selections[p])?),
                    _ => one(rendered.file(job)),
                };
                Ok((j, made))
            })
            .collect();
        phases.mark("live: rendered");
        let mut made_by_job: HashMap<usize, Made> =
            HashMap::with_capacity_and_hasher(made.len(), Default::default());
        for m in made {
            let (j, made) = m?;
            made_by_job.insert(j, made);
        }
        let made_blocks = made_blocks.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut update = Update {
            extracted: 0,
            documents,
            skipped,
            entries: store.len(),
            ..Update::default()
        };
        self.keep(plan, &keys, made_by_job, made_blocks, present, &mut update);
        phases.mark("live: files");
        Ok(update)
    }

    /// The key of each file of the plan: what it is made from (a file whose key did not
    /// change since the last update is not made again).
    fn file_keys(
        &self,
        plan: &Plan,
        pages: &Pages<'_>,
        selections: &HashMap<usize, pages::Selection>,
        render_ids: &[u128],
        releases: &[super::Release],
        newest_content: Timestamp,
    ) -> Vec<u128> {
        let mut release_key = format!("{newest_content} {}\n", self.others);
        for r in releases {
            let hash = self.docs.get(&r.rel).map_or(0, |d| d.hash);
            release_key.push_str(&format!("{} {} {} {hash}\n", r.rel, r.id_path, r.published));
        }
        let ids_key = |ix: &mut dyn Iterator<Item = usize>, extra: &str| {
            let mut h = XxHash3_128::new();
            h.write(extra.as_bytes());
            for i in ix {
                h.write(&render_ids.get(i).copied().unwrap_or(0).to_le_bytes());
            }
            h.finish_128()
        };
        let newest = newest_content.to_string();
        plan.jobs
            .iter()
            .map(|job| {
                let name = &*job.name;
                match &job.kind {
                    Kind::ReleasesRss | Kind::ReleasesAtom | Kind::ReleasesJson => {
                        hash_parts(&[name.as_bytes(), release_key.as_bytes()])
                    }
                    Kind::AgendaIcs => ids_key(&mut plan.calendar.iter().copied(), name),
                    Kind::EventIcs(i) => render_ids[*i],
                    Kind::AgendaRss | Kind::AgendaAtom => ids_key(
                        &mut plan.upcoming.iter().copied(),
                        &format!("{name} {newest}"),
                    ),
                    Kind::TagIcs(t) => {
                        let tag = &plan.tags[*t];
                        ids_key(
                            &mut tag.calendar.iter().copied(),
                            &format!("{name} {}", tag.name),
                        )
                    }
                    Kind::TagRss(t) | Kind::TagAtom(t) => {
                        let tag = &plan.tags[*t];
                        ids_key(
                            &mut tag.upcoming.iter().copied(),
                            &format!("{name} {} {newest}", tag.name),
                        )
                    }
                    Kind::EventsJson => ids_key(&mut (0..render_ids.len()), name),
                    Kind::Page(p) => {
                        let s = &selections[p];
                        let context = format!(
                            "{name} {} {}\n{}",
                            self.templates_key,
                            s.more_upcoming,
                            pages.context_key(*p)
                        );
                        // The upcoming entries, a separator, the past ones.
                        let mut ix = s
                            .upcoming
                            .iter()
                            .copied()
                            .chain([usize::MAX])
                            .chain(s.past.iter().copied());
                        ids_key(&mut ix, &context)
                    }
                }
            })
            .collect()
    }

    /// Take the files made by an update (and drop those the plan no longer has): record
    /// in `update` those whose bytes changed, and keep the blocks the files are made of.
    /// `present`: how many of the plan's files the build already had.
    fn keep(
        &mut self,
        plan: Plan,
        keys: &[u128],
        made: HashMap<usize, Made>,
        made_blocks: Vec<(u128, Bytes)>,
        present: usize,
        update: &mut Update,
    ) {
        if present < self.files.len() {
            let names: HashSet<&str> = plan.jobs.iter().map(|j| &*j.name).collect();
            update.removed = self
                .files
                .keys()
                .filter(|k| !names.contains(&***k))
                .cloned()
                .collect();
            for k in &update.removed {
                self.files.remove(k);
            }
        }
        let reblocked = made_blocks.len()
            + made.values().filter(|m| !m.1.is_empty()).count()
            + update.removed.len();
        for (j, (new, blocks)) in made {
            let job = &plan.jobs[j];
            match self.files.get_mut(&*job.name) {
                Some(old) => {
                    old.key = keys[j];
                    old.blocks = blocks;
                    if !same_bytes(&old.bytes, &new) {
                        old.bytes = Arc::clone(&new);
                        update.changed.push((job.name.clone(), new));
                    }
                }
                None => {
                    update.changed.push((job.name.clone(), Arc::clone(&new)));
                    let output = Output {
                        key: keys[j],
                        bytes: new,
                        blocks,
                    };
                    self.files.insert(job.name.clone(), output);
                }
            }
        }
        if reblocked > 0 {
            // The blocks of the files as they are now, the new ones included.
            self.blocks.extend(made_blocks);
            let used: HashSet<u128> = self
                .files
                .values()
                .flat_map(|o| o.blocks.iter().copied())
                .collect();
            self.blocks.retain(|k, _| used.contains(k));
        }
    }

    /// The newest `feed_size` releases (newest first, ties by path), keyed as the feeds
    /// key them, and the publication of the newest (None when no document is published).
    fn newest_releases(&self) -> (Vec<super::Release>, Option<Timestamp>) {
        let mut all: Vec<(Timestamp, &str, &super::Release)> = self
            .docs
            .iter()
            .filter_map(|(rel, d)| {
                let r = d.digest.release.as_ref()?;
                Some((r.published, rel.as_str(), r))
            })
            .collect();
        let order = |a: &(Timestamp, &str, &super::Release),
                     b: &(Timestamp, &str, &super::Release)| {
            b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1))
        };
        let newest = all.iter().map(|r| r.0).max();
        let n = self.settings.feed_size.min(all.len());
        if n < all.len() {
            all.select_nth_unstable_by(n, order);
            all.truncate(n);
        }
        all.sort_by(order);
        let releases = all
            .into_iter()
            .map(|(published, rel, r)| {
                let first = self.claims.get(&r.id_path).and_then(|c| c.first());
                super::Release {
                    rel: rel.to_string(),
                    id_path: if first.is_some_and(|f| f != rel) {
                        own_key(rel)
                    } else {
                        r.id_path.clone()
                    },
                    published,
                }
            })
            .collect();
        (releases, newest)
    }

    /// The agenda in its order, packed, with each entry's SEQUENCE (the state's records
    /// updated, in agenda order, for new and changed entries), and each entry's id.
    fn store(&mut self) -> (Store, Vec<u128>) {
        // New entries' fingerprints, in parallel.
        let fresh: Vec<(&Order, &Item)> = self
            .agenda
            .iter()
            .filter(|(_, i)| i.sequence.is_none())
            .collect();
        let fingerprints: Vec<(Order, String)> = fresh
            .par_iter()
            .map(|(k, i)| {
                let event = packed::unpack_for_people(&i.packed).event;
                ((*k).clone(), crate::agenda::fingerprint(&event))
            })
            .collect();
        for (key, fingerprint) in fingerprints {
            if let Some(item) = self.agenda.get_mut(&key) {
                item.sequence = Some(self.state.sequence(&key.2, &fingerprint));
            }
        }
        let n = self.agenda.len();
        let (mut entries, mut ids, mut sequences) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for item in self.agenda.values() {
            entries.push(Arc::clone(&item.packed));
            ids.push(item.id);
            sequences.push(item.sequence.unwrap_or(0));
        }
        let mut store = Store::new(super::Backing::Shared(entries));
        store.sequences = sequences;
        (store, ids)
    }

    /// Render the pieces of entries not rendered yet (in parallel); drop those of entries
    /// no longer in the agenda.
    fn make_pieces(
        &mut self,
        store: &Store,
        plan: &Plan,
        render_ids: &[u128],
        calendar: &ics::CalendarMeta,
    ) {
        let mut in_calendar = vec![false; store.len()];
        for &i in &plan.calendar {
            in_calendar[i] = true;
        }
        let todo: Vec<usize> = (0..store.len())
            .filter(|&i| {
                let id = render_ids[i];
                !self.pieces.json.contains_key(&id)
                    || (in_calendar[i] && !self.pieces.vevent.contains_key(&id))
            })
            .collect();
        type Made = (u128, Arc<str>, Option<(Option<Arc<ics::Prepared>>, Bytes)>);
        let made: Vec<Made> = todo
            .par_iter()
            .map(|&i| {
                let whole = store.entry(i);
                let json: Arc<str> = Arc::from(events_json::fragment(&whole));
                let cal = in_calendar[i].then(|| {
                    let shown = store.shown(i);
                    (
                        ics::prepare(&shown, calendar).map(Arc::new),
                        Bytes::from(ics::single(&shown, calendar)),
                    )
                });
                (render_ids[i], json, cal)
            })
            .collect();
        for (id, json, cal) in made {
            self.pieces.json.insert(id, json);
            if let Some((vevent, single)) = cal {
                self.pieces.vevent.insert(id, vevent);
                self.pieces.single.insert(id, single);
            }
        }
        // Pieces of entries gone (each entry has at most one of each).
        let p = &mut self.pieces;
        if p.json.len() > store.len() || p.vevent.len() > plan.calendar.len() {
            let live: HashSet<u128> = render_ids.iter().copied().collect();
            p.json.retain(|id, _| live.contains(id));
            p.vevent.retain(|id, _| live.contains(id));
            p.single.retain(|id, _| live.contains(id));
        }
    }

    /// A calendar of these entries: its head, the blocks of its VEVENTs, its end.
    fn calendar(
        &self,
        ix: &[usize],
        render_ids: &[u128],
        meta: &ics::CalendarMeta,
        made: &MadeBlocks,
    ) -> Made {
        let events: Vec<Option<&ics::Prepared>> = ix
            .iter()
            .map(|&i| {
                self.pieces
                    .vevent
                    .get(&render_ids[i])
                    .and_then(|p| p.as_deref())
            })
            .collect();
        let (head, order) = ics::layout(&events, meta);
        let pieces = order.iter().filter_map(|&k| {
            let id = render_ids[ix[k]];
            Some((id, events[k]?.vevent().as_bytes()))
        });
        let (blocks, keys) = self.blocks_of(pieces, b"", b"", made);
        let mut parts = Vec::with_capacity(blocks.len() + 2);
        parts.push(Bytes::from(head));
        parts.extend(blocks);
        parts.push(Bytes::from_static(ics::CALENDAR_END.as_bytes()));
        (Arc::from(parts), keys)
    }

    /// `events.json`: the file around its list, and the blocks of the entries' objects.
    fn events_json(&self, render_ids: &[u128], made: &MadeBlocks) -> Made {
        let s = &self.settings;
        let meta = events_json::Meta {
            title: &s.title,
            home_page_url: &format!("{}/", s.base_url),
            timezone: &s.timezone,
        };
        let (before, after) = events_json::frame(&meta, !render_ids.is_empty());
        let pieces = render_ids
            .iter()
            .filter_map(|id| Some((*id, self.pieces.json.get(id)?.as_bytes())));
        let (blocks, keys) = self.blocks_of(pieces, events_json::FIRST, events_json::NEXT, made);
        let mut parts = Vec::with_capacity(blocks.len() + 2);
        parts.push(Bytes::from(before));
        parts.extend(blocks);
        parts.push(Bytes::from(after));
        (Arc::from(parts), keys)
    }

    /// Pieces (render id, bytes) laid end to end in blocks, each piece after `lead`
    /// (`first_lead` for the very first): blocks kept from the last update where their
    /// pieces are the same, new ones made (and recorded in `made`).
    fn blocks_of<'p>(
        &self,
        pieces: impl Iterator<Item = (u128, &'p [u8])>,
        first_lead: &[u8],
        lead: &[u8],
        made: &MadeBlocks,
    ) -> (Vec<Bytes>, Vec<u128>) {
        let mut blocks = Vec::new();
        let mut keys = Vec::new();
        let mut run: Vec<(u128, &[u8])> = Vec::new();
        let mut first = true;
        let mut close = |run: &mut Vec<(u128, &[u8])>, first: bool| {
            // The same entries make the same block of the same kind of file (the leads
            // tell calendars from `events.json`).
            let mut h = XxHash3_128::new();
            h.write(&[u8::from(first)]);
            h.write(first_lead);
            h.write(&[0xff]);
            h.write(lead);
            h.write(&[0xff]);
            for (id, _) in run.iter() {
                h.write(&id.to_le_bytes());
            }
            let key = h.finish_128();
            let block = match self.blocks.get(&key) {
                Some(b) => b.clone(),
                None => {
                    let size = run.iter().map(|(_, p)| p.len() + lead.len()).sum();
                    let mut out = Vec::with_capacity(size);
                    for (n, (_, piece)) in run.iter().enumerate() {
                        out.extend_from_slice(if first && n == 0 { first_lead } else { lead });
                        out.extend_from_slice(piece);
                    }
                    let b = Bytes::from(out);
                    made.lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((key, b.clone()));
                    b
                }
            };
            blocks.push(block);
            keys.push(key);
            run.clear();
        };
        for (id, piece) in pieces {
            run.push((id, piece));
            if id & BLOCK_END_MASK == 0 || run.len() >= BLOCK_MAX {
                close(&mut run, first);
                first = false;
            }
        }
        if !run.is_empty() {
            close(&mut run, first);
        }
        (blocks, keys)
    }

    /// Write an update to the output folder as `agenda build` does: the state (SEQUENCE
    /// records and the union of the old and new file lists) first, then the changed files
    /// (each atomically), then the removal of files no longer produced, then the final
    /// file list.
    pub fn write(&mut self, update: &Update) -> Result<(), String> {
        let out = &self.out;
        let fail = |e: std::io::Error| format!("{}: cannot write: {e}", out.display());
        std::fs::create_dir_all(out).map_err(fail)?;
        let new_files: BTreeSet<&str> = self.files.keys().map(|k| &**k).collect();
        output::write_stream(out, output::STATE_FILE, |w| {
            self.state.write_with_files(&self.written, &new_files, w)
        })
        .map_err(fail)?;
        let on_disk: BTreeSet<&str> = self.written.iter().map(String::as_str).collect();
        // New files, and files a static server may have lost: every file absent from the
        // last written list is written.
        let missing: Vec<(&str, &Body)> = self
            .files
            .iter()
            .filter(|(k, _)| !on_disk.contains(&***k))
            .map(|(k, v)| (&**k, &v.bytes))
            .collect();
        let changed = update.changed.iter().map(|(k, v)| (&**k, v));
        let todo: BTreeMap<&str, &Body> = changed.chain(missing).collect();
        let results: Vec<Result<bool, String>> = todo
            .par_iter()
            .map(|(name, body)| {
                match &body[..] {
                    [one] => output::write_file(out, name, one),
                    parts => output::write_stream(out, name, |w| {
                        parts.iter().try_for_each(|p| w.write_all(p))
                    }),
                }
                .map_err(|e| format!("{}: cannot write: {e}", out.join(name).display()))
            })
            .collect();
        if let Some(e) = results.into_iter().find_map(Result::err) {
            return Err(e);
        }
        output::remove_stale(out, &self.written, &new_files);
        output::State::rewrite_files(out, &new_files).map_err(fail)?;
        self.written = new_files.iter().map(|s| s.to_string()).collect();
        Ok(())
    }
}
