//! `agenda build`: content folder -> agenda -> every output, written atomically.
//!
//! Steps: settings (nothing is written when they are invalid) -> documents, read and
//! extracted in parallel, each reduced at once to what the outputs need -> one entry per
//! event, merged across documents -> SEQUENCE from the state of the previous build ->
//! every output rendered and written (only files whose bytes change are touched) ->
//! files of the previous build that are no longer produced are removed.
//!
//! Outputs, under the output folder:
//! - `releases.rss`, `releases.atom`, `releases.json`: the newest `feed_size` documents of
//!   every collection (newest first; ties by path);
//! - `agenda.ics`: every entry whose last day is on or after `today - past_days`;
//!   `events/<uid>.ics`: one calendar per such entry (the uid's part before `@`);
//! - `agenda.rss`, `agenda.atom`: the next `feed_size` upcoming entries (last day on or
//!   after `today`), dated by their announcement's publication, days in the title, days,
//!   hours and place in the summary;
//! - `tags/<tag-slug>.ics|.rss|.atom`: the same for each tag of an entry of `agenda.ics`;
//! - `events.json`: every entry (see [`crate::publish::events_json`]);
//! - `index.html`, `tags/<tag-slug>.html`: the agenda pages (see [`pages`]), from the
//!   templates built in or those of `templates/` beside the content folder;
//! - `.agenda-state.json`: the files this build wrote and each uid's SEQUENCE record.
//!
//! Nothing here reads the clock: `today` only decides what is upcoming and how far back
//! the calendars go.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use rayon::prelude::*;

use crate::agenda::{self, Entry};
use crate::announce;
use crate::config::Settings;
use crate::content::{Diagnostic, Document};
use crate::merge::{self, DocInfo};
use crate::output::{self, State};
use crate::publish::{
    self, atom, events_json, fr, ics, json_feed, markdown, rss, text, Attachment, Entries,
    FeedItem, FeedMeta, Person,
};

mod cache;
pub mod live;
mod packed;
mod pages;
use packed::Packed;

pub struct BuildArgs {
    pub content: PathBuf,
    pub out: PathBuf,
    pub config: Option<PathBuf>,
    /// Decides what is "upcoming"; nothing else depends on it.
    pub today: jiff::civil::Date,
    /// Read and write the extraction cache ([`cache::CACHE_FILE`] in the output folder):
    /// a document whose bytes did not change since the last build is not extracted again.
    pub cache: bool,
}

/// What a build did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub documents: usize,
    pub skipped: usize,
    /// Documents taken from the extraction cache (unchanged since the last build).
    pub cached: usize,
    pub releases: usize,
    pub entries: usize,
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Run a build; returns the exit status: 0 clean, 1 built with skipped documents, 2 nothing built.
pub fn run(args: &BuildArgs) -> u8 {
    match build(args) {
        Ok(s) => {
            eprintln!(
                "agenda build: {} documents ({} skipped), {} releases, {} agenda entries; \
                 {} files written, {} unchanged, {} removed in {}; \
                 {} documents unchanged since the last build (not extracted again)",
                s.documents,
                s.skipped,
                s.releases,
                s.entries,
                s.written,
                s.unchanged,
                s.removed,
                args.out.display(),
                s.cached,
            );
            if s.skipped > 0 {
                1
            } else {
                0
            }
        }
        Err(e) => {
            eprintln!("agenda build: {e}");
            eprintln!("agenda build: nothing was written");
            2
        }
    }
}

/// Documents read and extracted in parallel before their digests are gathered.
const DIGEST_BATCH: usize = 4096;

/// A release, reduced to what the feeds need (its body is read again only for the newest).
struct Release {
    /// Path relative to the content folder.
    rel: String,
    id_path: String,
    published: Timestamp,
}

/// One document after reading and extraction.
struct Digest {
    release: Option<Release>,
    entries: Vec<Packed>,
    /// What the merge needs of the document; only kept when it announces entries.
    info: Option<(String, DocInfo)>,
    /// Its closing dates, with its title and URL, for the page's "Dates limites".
    deadlines: Vec<publish::page::Deadline>,
    warnings: Vec<Diagnostic>,
    skipped: bool,
}

/// Run the build; Err when it cannot run (nothing is written then).
pub fn build(args: &BuildArgs) -> Result<Summary, String> {
    let (settings, tz) = load_settings(args.config.as_deref())?;
    check_folders(&args.content, &args.out)?;
    let templates = pages::load_templates(&pages::templates_dir(&args.content))?;

    let (files, walk_errors) =
        crate::content::discover_with_errors(std::slice::from_ref(&args.content));
    for d in &walk_errors {
        eprintln!("{d}");
    }
    if files.is_empty() {
        return Err(format!("no document (*.md) in {}", args.content.display()));
    }
    let documents = files.len();
    let phases = crate::phases::Phases::start();
    // Each document is read, extracted and reduced in one step, in parallel, a batch at a
    // time: only what the outputs need stays in memory, never every document's digest.
    let mut skipped = 0;
    let mut releases: Vec<Release> = Vec::with_capacity(files.len());
    let mut arena = packed::Arena::default();
    let mut entries: Vec<packed::Ref> = Vec::with_capacity(files.len());
    let mut infos = BTreeMap::new();
    let mut deadlines = Vec::new();
    // The leftovers of an interrupted build are removed first: this build's own temporary
    // files (the cache's, from now on) must not be taken for them.
    let out_existed = args.out.is_dir();
    if out_existed {
        output::remove_leftover_temps(&args.out, &["events", "tags"]);
    }
    // The cache of the last build, and the one this build writes.
    let identity = args
        .cache
        .then(|| cache::identity(&settings, &args.content))
        .flatten();
    let hashing = identity.is_some();
    let mut old_cache = identity.map(|id| cache::Old::open(&args.out, id));
    let mut new_cache = identity.and_then(|id| cache::New::create(&args.out, id).ok());
    let mut reused = 0;
    let mut cache_error = None;
    for batch in files.chunks(DIGEST_BATCH) {
        // The batch's records of the last build, in order; then, in parallel, each document
        // is read and hashed, and extracted unless its record holds for these bytes.
        let jobs: Vec<_> = batch
            .iter()
            .map(|file| (file, old_cache.as_mut().and_then(|old| old.take(&file.1))))
            .collect();
        // Each digest; the hash of its bytes for the new cache, with the record's digest
        // bytes when it came from the old one; and whether it did.
        let digests: Vec<(Digest, Option<cache::Record>, bool)> = jobs
            .into_par_iter()
            .map(|((path, rel), recorded)| {
                let (d, hash, hit) = digest_file(path, rel, &settings, recorded, hashing);
                // Encoded for the new cache only when it is written, one at a time: the
                // records of a whole batch, held at once, raised the peak.
                let record = hash.map(|h| (h, hit.unwrap_or_default()));
                let hit = record.as_ref().is_some_and(|r| !r.1.is_empty());
                (d, record, hit)
            })
            .collect();
        for ((d, record, hit), (_, rel)) in digests.into_iter().zip(batch) {
            reused += usize::from(hit);
            if let (Some(cache), Some((hash, recorded))) = (new_cache.as_mut(), record) {
                let encoded = if hit {
                    Some(recorded)
                } else {
                    cache::encode(&d)
                };
                if let Err(e) = encoded.map_or(Ok(()), |e| cache.push(rel, hash, &e)) {
                    cache_error = Some(e);
                    new_cache = None;
                }
            }
            for w in &d.warnings {
                eprintln!("{w}");
            }
            skipped += usize::from(d.skipped);
            releases.extend(d.release);
            deadlines.extend(d.deadlines);
            // The merge looks documents up only through the entries they announce.
            if let Some((rel, info)) = d.info {
                infos.insert(rel, info);
            }
            entries.extend(d.entries.iter().map(|p| arena.push(p)));
        }
    }
    drop(old_cache);
    drop(files);
    phases.mark("read and extract");
    if releases.is_empty() {
        // Nothing is written: not even the cache, nor the output folder it made.
        drop(new_cache);
        if !out_existed {
            let _ = std::fs::remove_dir(&args.out);
        }
        return Err(format!(
            "no publishable document in {}",
            args.content.display()
        ));
    }
    // The cache is in place before any output is written: a build interrupted later still
    // leaves the next one the documents already extracted.
    if let Some(e) = cache_error.or_else(|| new_cache.map(cache::New::commit)?.err()) {
        eprintln!(
            "{}: cannot write the extraction cache: {e}",
            args.out.join(cache::CACHE_FILE).display()
        );
    }
    dedupe_keys(&mut releases, &mut arena, &mut entries);
    let newest_content = releases
        .iter()
        .map(|r| r.published)
        .max()
        .unwrap_or(Timestamp::UNIX_EPOCH);

    let merged = merge_packed(&mut arena, entries, &infos);
    drop(infos);
    let mut agenda = Store::new(Backing::Arena(arena, merged));
    phases.mark("merge");

    // Read only now: held from the start, its many small allocations raised the peak of a
    // rebuild of 100,000 releases by 50 MB.
    // The release feeds first: their releases are then dropped before the state is read.
    let ctx = Context {
        settings: &settings,
        content: &args.content,
        tz: &tz,
        newest_content,
    };
    let release_count = releases.len();
    let release_feed = release_items(&ctx, &mut releases);
    drop(releases);

    let plan = Plan::new(&settings, &agenda, args.today);
    let new_files: BTreeSet<&str> = plan.file_names();

    let mut state = State::read(&args.out);
    let old_files = std::mem::take(&mut state.files);
    // Fingerprints made in parallel, a batch at a time (all at once, they would be held
    // beside the whole state).
    let mut sequences = Vec::with_capacity(agenda.len());
    for start in (0..agenda.len()).step_by(DIGEST_BATCH) {
        let end = agenda.len().min(start + DIGEST_BATCH);
        let fingerprints: Vec<String> = (start..end)
            .into_par_iter()
            .map(|i| agenda::fingerprint(&agenda.shown(i).event))
            .collect();
        sequences.extend(
            (start..end)
                .zip(&fingerprints)
                .map(|(i, f)| state.sequence(agenda.head(i).uid, f)),
        );
    }
    agenda.sequences = sequences;
    let pages = pages::render(&ctx, &plan, &agenda, &deadlines, &templates, args.today)?;
    drop(deadlines);
    phases.mark("pages");

    // Record every file this build may write before writing any, so that an interrupted
    // build never leaves a file the next one does not know it wrote.
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    output::write_stream(&args.out, output::STATE_FILE, |w| {
        state.write_with_files(&old_files, &new_files, w)
    })
    .map_err(|e| format!("cannot write {}: {e}", args.out.display()))?;
    // Its events are on disk now: the end of the build only changes the file list.
    drop(state);

    let rendered = Rendered {
        ctx: &ctx,
        plan: &plan,
        agenda: &agenda,
        releases: release_feed,
        pages,
        calendar: calendar_meta(&settings),
    };
    phases.mark("plan and release feeds");
    let write = |job: &Job| -> Result<bool, String> {
        let result = if rendered.is_big(job) {
            output::write_stream(&args.out, &job.name, |w| rendered.stream(job, w))
        } else {
            output::write_file(&args.out, &job.name, &rendered.file(job))
        };
        result.map_err(|e| format!("{}: cannot write: {e}", args.out.join(&*job.name).display()))
    };
    // Files that hold the whole agenda (or a tag's) are rendered one at a time, to bound
    // memory, while the many small ones are written in parallel. The large calendars are
    // written together, each event rendered once for all of them.
    let (big, small): (Vec<&Job>, Vec<&Job>) = plan.jobs.iter().partition(|j| rendered.is_big(j));
    let (calendars, big): (Vec<&Job>, Vec<&Job>) = big
        .into_iter()
        .partition(|j| matches!(j.kind, Kind::AgendaIcs | Kind::TagIcs(_)));
    type Results = Vec<Result<bool, String>>;
    let (mut results, small): (Results, Results) = rayon::join(
        || {
            let mut done: Results = big.into_iter().map(write).collect();
            phases.mark("events.json");
            done.extend(rendered.calendars(&args.out, &calendars));
            phases.mark("whole-agenda files");
            done
        },
        || small.par_iter().map(|job| write(job)).collect(),
    );
    results.extend(small);
    phases.mark("every file");
    let mut written = 0;
    let mut unchanged = 0;
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(true) => written += 1,
            Ok(false) => unchanged += 1,
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }
    let removed = output::remove_stale(&args.out, &old_files, &new_files).len();
    State::rewrite_files(&args.out, &new_files)
        .map_err(|e| format!("cannot write {}: {e}", args.out.display()))?;

    Ok(Summary {
        documents,
        skipped,
        cached: reused,
        releases: release_count,
        entries: agenda.len(),
        written,
        unchanged,
        removed,
    })
}

/// The settings and their time zone; Err says what is wrong with them.
fn load_settings(config: Option<&Path>) -> Result<(Settings, TimeZone), String> {
    let settings = Settings::load(config).map_err(|e| e.to_string())?;
    let tz = TimeZone::get(&settings.timezone)
        .map_err(|e| format!("timezone {:?}: {e}", settings.timezone))?;
    Ok((settings, tz))
}

/// Err when the content folder is not one, or the output path is not a folder.
fn check_folders(content: &Path, out: &Path) -> Result<(), String> {
    if !content.is_dir() {
        return Err(format!(
            "content folder {} does not exist or is not a folder",
            content.display()
        ));
    }
    if out.exists() && !out.is_dir() {
        return Err(format!("output {} is not a folder", out.display()));
    }
    Ok(())
}

/// One document read and digested; with `hashing`, the hash of its bytes (None when it
/// cannot be read: not recorded, tried again next time) and, when its bytes are those of
/// `recorded` (its record in the last build's cache), the recorded digest bytes, the digest
/// then decoded from them rather than extracted again.
fn digest_file(
    path: &Path,
    rel: &str,
    settings: &Settings,
    recorded: Option<cache::Record>,
    hashing: bool,
) -> (Digest, Option<u128>, Option<Vec<u8>>) {
    let bytes = match crate::content::read_file_with_limit(path, settings.max_document_size) {
        Ok(bytes) => bytes,
        Err(d) => return (Digest::failed(d), None, None),
    };
    let hash = if hashing {
        cache::content_hash(&bytes)
    } else {
        0
    };
    if let Some((h, body)) = recorded.filter(|(h, _)| hashing && *h == hash) {
        if let Some(d) = cache::decode(&body) {
            return (d, Some(h), Some(body));
        }
    }
    (
        digest_bytes(path, rel, &bytes, settings),
        hashing.then_some(hash),
        None,
    )
}

/// A document's bytes, loaded and digested.
fn digest_bytes(path: &Path, rel: &str, bytes: &[u8], settings: &Settings) -> Digest {
    match crate::content::load_bytes(path, rel, bytes) {
        Ok(doc) => digest(doc, settings),
        Err(d) => Digest::failed(d),
    }
}

/// What the calendars say of themselves.
fn calendar_meta(settings: &Settings) -> ics::CalendarMeta {
    ics::CalendarMeta {
        name: settings.calendar_name.clone(),
        description: settings.calendar_description.clone(),
        prodid: format!("-//{}//agenda//FR", settings.domain),
        refresh: jiff::SignedDuration::from_hours(i64::from(settings.refresh_hours)),
        default_tz: settings.timezone.clone(),
        domain: settings.domain.clone(),
    }
}

/// Read one document again (the newest releases: only they need their body and fields).
fn read_one(path: &Path, rel: &str, limit: u64) -> Option<Document> {
    crate::content::load_file_with_limit(path, rel, limit).ok()
}

/// Make document keys unique: when several files share `collection/slug`, all but the first
/// (by relative path) take their relative path instead, in release ids and event uids.
fn dedupe_keys(releases: &mut [Release], arena: &mut packed::Arena, entries: &mut [packed::Ref]) {
    let mut first: BTreeMap<&str, &str> = BTreeMap::new();
    for r in releases.iter() {
        let e = first.entry(r.id_path.as_str()).or_insert(r.rel.as_str());
        if r.rel.as_str() < *e {
            *e = r.rel.as_str();
        }
    }
    let mut renamed: BTreeMap<String, (String, String)> = BTreeMap::new();
    for r in releases.iter() {
        if first.get(r.id_path.as_str()).copied() != Some(r.rel.as_str()) {
            renamed.insert(r.rel.clone(), (r.id_path.clone(), own_key(&r.rel)));
        }
    }
    if renamed.is_empty() {
        return;
    }
    for r in releases.iter_mut() {
        if let Some((_, path)) = renamed.get(&r.rel) {
            r.id_path = path.clone();
        }
    }
    for r in entries.iter_mut() {
        let e = packed::unpack(arena.get(*r));
        let Some(doc) = e.sources.first().map(|s| s.doc.clone()) else {
            continue;
        };
        if let Some((id_path, path)) = renamed.get(&doc) {
            if let Some(e) = rekeyed(e, id_path, path) {
                *r = arena.push(&packed::pack(&e));
            }
        }
    }
}

/// The key of a document whose `collection/slug` an earlier one (by path) has: its path
/// without the extension.
fn own_key(rel: &str) -> String {
    rel.strip_suffix(".md")
        .or_else(|| rel.strip_suffix(".markdown"))
        .unwrap_or(rel)
        .to_string()
}

/// An entry of a document keyed `id_path` as the document keyed `path` announces it (its
/// uid starts with the new key); None when its uid does not start with the old one.
fn rekeyed(mut e: Entry, id_path: &str, path: &str) -> Option<Entry> {
    let rest = e.uid.strip_prefix(&text::slugify(id_path, "document"))?;
    e.uid = format!("{}{rest}", text::slugify(path, "document"));
    Some(e)
}

/// [`merge::merge`] of packed entries, in the same order: entries of different days never
/// merge, so each day span is merged on its own (in parallel), and only spans announced
/// more than once are unpacked.
fn merge_packed(
    arena: &mut packed::Arena,
    entries: Vec<packed::Ref>,
    infos: &BTreeMap<String, DocInfo>,
) -> Vec<packed::Ref> {
    /// An entry of the merge: an input left alone, or one made of several.
    enum Out {
        Kept(packed::Ref),
        Made(Packed),
    }
    let mut spans: BTreeMap<(Date, Date), Vec<(usize, packed::Ref)>> = BTreeMap::new();
    for (i, r) in entries.into_iter().enumerate() {
        let h = packed::head(arena.get(r));
        spans.entry((h.start, h.end)).or_default().push((i, r));
    }
    let spans: Vec<Vec<(usize, packed::Ref)>> = spans.into_values().collect();
    let input: &packed::Arena = arena;
    let merged: Vec<(usize, Out)> = spans
        .into_par_iter()
        .flat_map_iter(|span| {
            if span.len() == 1 {
                return span.into_iter().map(|(i, r)| (i, Out::Kept(r))).collect();
            }
            let unpacked = span
                .iter()
                .map(|&(_, r)| packed::unpack(input.get(r)))
                .collect();
            let (keyed, _conflicts) = merge::merge_keyed(unpacked, infos);
            keyed
                .into_iter()
                .filter_map(|m| {
                    let &(i, r) = span.get(m.key)?;
                    Some(if m.alone {
                        (i, Out::Kept(r))
                    } else {
                        (i, Out::Made(packed::pack(&m.entry)))
                    })
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let merged: Vec<(usize, packed::Ref)> = merged
        .into_iter()
        .map(|(i, out)| match out {
            Out::Kept(r) => (i, r),
            Out::Made(p) => (i, arena.push(&p)),
        })
        .collect();
    // The agenda's order (start, start time, uid), ties as merge::merge leaves them.
    let arena: &packed::Arena = arena;
    let mut keyed: Vec<_> = merged
        .into_iter()
        .map(|(i, r)| {
            let h = packed::head(arena.get(r));
            ((h.start, h.start_time, h.uid, i), r)
        })
        .collect();
    keyed.sort_unstable_by_key(|(k, _)| *k);
    keyed.into_iter().map(|(_, r)| r).collect()
}

/// The agenda, packed (see [`packed`]), in its order (start, start time, uid), with the
/// last day and the SEQUENCE of each entry.
struct Store {
    backing: Backing,
    ends: Vec<Date>,
    sequences: Vec<u32>,
}

/// Where a store's packed entries are.
enum Backing {
    /// Laid end to end in an arena (a build).
    Arena(packed::Arena, Vec<packed::Ref>),
    /// Each shared with the build kept in memory (see [`live`]).
    Shared(Vec<std::sync::Arc<[u8]>>),
}

impl Store {
    fn new(backing: Backing) -> Store {
        let mut store = Store {
            backing,
            ends: Vec::new(),
            sequences: Vec::new(),
        };
        store.ends = (0..store.len())
            .map(|i| packed::end(store.bytes(i)))
            .collect();
        store
    }

    fn len(&self) -> usize {
        match &self.backing {
            Backing::Arena(_, entries) => entries.len(),
            Backing::Shared(entries) => entries.len(),
        }
    }

    fn bytes(&self, i: usize) -> &[u8] {
        match &self.backing {
            Backing::Arena(arena, entries) => entries.get(i).map_or(&[], |r| arena.get(*r)),
            Backing::Shared(entries) => entries.get(i).map_or(&[], |e| e),
        }
    }

    /// Entry `i` whole (for `events.json`).
    fn entry(&self, i: usize) -> Entry {
        let mut e = packed::unpack(self.bytes(i));
        e.sequence = self.sequences.get(i).copied().unwrap_or(0);
        e
    }

    /// Entry `i` as calendars and feeds show it (no evidence, no confidence).
    fn shown(&self, i: usize) -> Entry {
        let mut e = packed::unpack_for_people(self.bytes(i));
        e.sequence = self.sequences.get(i).copied().unwrap_or(0);
        e
    }

    fn head(&self, i: usize) -> packed::Head<'_> {
        packed::head(self.bytes(i))
    }

    /// The last day of entry `i`.
    fn end(&self, i: usize) -> Date {
        self.ends.get(i).copied().unwrap_or(Date::MIN)
    }
}

/// Some entries of the store, by index (all of them when `ix` is None), whole or as
/// calendars show them.
struct Picked<'a> {
    store: &'a Store,
    ix: Option<&'a [usize]>,
    whole: bool,
}

impl Entries for Picked<'_> {
    fn len(&self) -> usize {
        self.ix.map_or(self.store.len(), <[usize]>::len)
    }
    fn get(&self, i: usize) -> std::borrow::Cow<'_, Entry> {
        let i = self
            .ix
            .map_or(i, |ix| ix.get(i).copied().unwrap_or(usize::MAX));
        std::borrow::Cow::Owned(if self.whole {
            self.store.entry(i)
        } else {
            self.store.shown(i)
        })
    }
}

impl Digest {
    fn failed(d: Diagnostic) -> Digest {
        Digest {
            release: None,
            entries: Vec::new(),
            info: None,
            deadlines: Vec::new(),
            warnings: vec![d],
            skipped: true,
        }
    }
}

/// Extract one document and keep only what the outputs need.
fn digest(doc: Document, settings: &Settings) -> Digest {
    let mut warnings = doc.diagnostics.clone();
    // A draft (`published: false`, `draft: true`, `_drafts/`) is not published, as with
    // Jekyll and Hugo: no feed item, no agenda entry.
    if doc.front.draft {
        return Digest {
            release: None,
            entries: Vec::new(),
            info: None,
            deadlines: Vec::new(),
            warnings,
            skipped: false,
        };
    }
    let extraction = doc
        .published
        .map(|_| crate::extract::extract(&doc))
        .unwrap_or_default();
    let (Some(published), Some(announced)) = (
        doc.published,
        announce::announce(&doc, extraction.events, settings),
    ) else {
        warnings.push(Diagnostic {
            path: doc.path.display().to_string(),
            line: Some(1),
            column: None,
            message: "no publication date (front matter `date` or a YYYY-MM-DD- file name): \
                      left out of the feeds and the agenda"
                .to_string(),
        });
        return Digest {
            release: None,
            entries: Vec::new(),
            info: None,
            deadlines: Vec::new(),
            warnings,
            skipped: true,
        };
    };
    let entries = announced.entries.iter().map(packed::pack).collect();
    let url = settings.permalink(&doc.collection, &doc.slug, Some(published.date));
    let deadlines = extraction
        .deadlines
        .into_iter()
        .map(|d| publish::page::Deadline {
            date: d.date,
            text: d.text,
            title: doc.title.clone(),
            url: url.clone(),
        })
        .collect();
    let release = Release {
        id_path: announce::id_path(&doc),
        rel: doc.rel,
        published: published.timestamp,
    };
    Digest {
        release: Some(release),
        entries,
        info: announced.info,
        deadlines,
        warnings,
        skipped: false,
    }
}

/// The size of an attached file when it is found beside the content (`/uploads/x.pdf` in the
/// site folder holding `content/`, or in `content/` itself); 0 when unknown.
fn file_size(url: &str, content: &Path) -> u64 {
    if url.contains("://") || url.starts_with("//") {
        return 0;
    }
    let rel = text::decode_url_path(url.split(['?', '#']).next().unwrap_or(url));
    let rel = rel.trim_start_matches('/');
    if rel.is_empty() || rel.split('/').any(|p| p == "..") {
        return 0;
    }
    let site = content.parent().unwrap_or(content);
    [site.join(rel), content.join(rel)]
        .iter()
        .find_map(|p| std::fs::metadata(p).ok().filter(|m| m.is_file()))
        .map_or(0, |m| m.len())
}

/// Settings and content-wide values every renderer needs.
struct Context<'a> {
    settings: &'a Settings,
    /// The content folder (attached files are looked up beside it).
    content: &'a Path,
    tz: &'a TimeZone,
    /// Date of the newest release: the date of a feed with no item.
    newest_content: Timestamp,
}

/// What one output file holds.
enum Kind {
    ReleasesRss,
    ReleasesAtom,
    ReleasesJson,
    AgendaIcs,
    EventIcs(usize),
    AgendaRss,
    AgendaAtom,
    TagIcs(usize),
    TagRss(usize),
    TagAtom(usize),
    EventsJson,
    /// An agenda page: 0 the index, `t + 1` the page of tag `t`.
    Page(usize),
}

struct Job {
    name: std::sync::Arc<str>,
    kind: Kind,
}

/// A tag and the entries carrying it.
struct Tag {
    name: String,
    slug: String,
    /// Indexes into the agenda, in agenda order, within the calendar window.
    calendar: Vec<usize>,
    /// Indexes of upcoming entries (at most `feed_size`).
    upcoming: Vec<usize>,
}

/// Every file a build writes, decided from the agenda before any rendering.
struct Plan {
    jobs: Vec<Job>,
    /// Entries in `agenda.ics` (from today - past_days on).
    calendar: Vec<usize>,
    /// Upcoming entries in the agenda feeds (the next `feed_size`).
    upcoming: Vec<usize>,
    tags: Vec<Tag>,
}

/// The file name of an event's own calendar: its uid's local part, made safe.
pub fn event_file(uid: &str) -> String {
    ics::event_file(uid)
}

impl Plan {
    fn new(settings: &Settings, agenda: &Store, today: Date) -> Plan {
        Plan::with_names(settings, agenda, today, &mut |i| {
            event_file(agenda.head(i).uid).into()
        })
    }

    /// [`Plan::new`], the file name of entry `i`'s own calendar given by `event_name`.
    fn with_names(
        settings: &Settings,
        agenda: &Store,
        today: Date,
        event_name: &mut dyn FnMut(usize) -> std::sync::Arc<str>,
    ) -> Plan {
        let since = today
            .checked_sub((settings.past_days as i64).days())
            .unwrap_or(Date::MIN);
        let calendar: Vec<usize> = (0..agenda.len())
            .filter(|&i| agenda.end(i) >= since)
            .collect();
        let upcoming: Vec<usize> = (0..agenda.len())
            .filter(|&i| agenda.end(i) >= today)
            .take(settings.feed_size)
            .collect();

        // Each spelling of a tag made into a name and a slug once (a few dozen spellings,
        // hundreds of thousands of uses): spelling -> the tag of its slug.
        let mut tags: Vec<Tag> = Vec::new();
        let mut slug_tag: BTreeMap<String, usize> = BTreeMap::new();
        let mut spellings: HashMap<&str, Option<usize>> = HashMap::new();
        let mut of_entry: Vec<usize> = Vec::new();
        for &i in &calendar {
            let end = agenda.end(i);
            of_entry.clear();
            for t in packed::tags(agenda.bytes(i)) {
                let tag = *spellings.entry(t).or_insert_with(|| {
                    let name = text::one_line(t);
                    if name.is_empty() {
                        return None;
                    }
                    let slug = text::slugify(&name, "tag");
                    let n = *slug_tag.entry(slug.clone()).or_insert_with(|| {
                        tags.push(Tag {
                            name: name.clone(),
                            slug,
                            calendar: Vec::new(),
                            upcoming: Vec::new(),
                        });
                        tags.len() - 1
                    });
                    // One name per slug whatever the order of documents: the smallest
                    // spelling.
                    if name < tags[n].name {
                        tags[n].name = name;
                    }
                    Some(n)
                });
                if let Some(n) = tag.filter(|n| !of_entry.contains(n)) {
                    of_entry.push(n);
                    let tag = &mut tags[n];
                    tag.calendar.push(i);
                    if end >= today && tag.upcoming.len() < settings.feed_size {
                        tag.upcoming.push(i);
                    }
                }
            }
        }
        // In the order of their slugs.
        let mut tags: Vec<Option<Tag>> = tags.into_iter().map(Some).collect();
        let tags: Vec<Tag> = slug_tag
            .values()
            .filter_map(|&n| tags.get_mut(n).and_then(Option::take))
            .collect();

        let mut jobs = vec![
            job("releases.rss", Kind::ReleasesRss),
            job("releases.atom", Kind::ReleasesAtom),
            job("releases.json", Kind::ReleasesJson),
            job("agenda.ics", Kind::AgendaIcs),
            job("agenda.rss", Kind::AgendaRss),
            job("agenda.atom", Kind::AgendaAtom),
            job("events.json", Kind::EventsJson),
            job("index.html", Kind::Page(0)),
        ];
        for &i in &calendar {
            jobs.push(job(event_name(i), Kind::EventIcs(i)));
        }
        for (t, tag) in tags.iter().enumerate() {
            jobs.push(job(format!("tags/{}.ics", tag.slug), Kind::TagIcs(t)));
            jobs.push(job(format!("tags/{}.rss", tag.slug), Kind::TagRss(t)));
            jobs.push(job(format!("tags/{}.atom", tag.slug), Kind::TagAtom(t)));
            jobs.push(job(format!("tags/{}.html", tag.slug), Kind::Page(t + 1)));
        }
        // Two uids with one safe name would write one file twice: keep the first.
        let keep: Vec<bool> = {
            let mut seen = std::collections::HashSet::with_capacity(jobs.len());
            jobs.iter().map(|j| seen.insert(&*j.name)).collect()
        };
        let mut keep = keep.into_iter();
        jobs.retain(|_| keep.next().unwrap_or(true));
        Plan {
            jobs,
            calendar,
            upcoming,
            tags,
        }
    }

    fn file_names(&self) -> BTreeSet<&str> {
        self.jobs.iter().map(|j| &*j.name).collect()
    }
}

fn job(name: impl Into<std::sync::Arc<str>>, kind: Kind) -> Job {
    Job {
        name: name.into(),
        kind,
    }
}

/// The newest `feed_size` releases as feed items, their bodies read again and rendered.
fn release_items(ctx: &Context<'_>, releases: &mut [Release]) -> Vec<FeedItem> {
    releases.sort_by(|a, b| {
        b.published
            .cmp(&a.published)
            .then_with(|| a.rel.cmp(&b.rel))
    });
    let n = ctx.settings.feed_size.min(releases.len());
    releases[..n]
        .par_iter()
        .filter_map(|r| {
            let path = ctx.content.join(&r.rel);
            let doc = read_one(&path, &r.rel, ctx.settings.max_document_size)?;
            Some(release_item(ctx, doc, &r.id_path, r.published))
        })
        .collect()
}

/// One release as a feed item: chapeau as summary, body as HTML, tags then categories,
/// attached files as enclosures.
fn release_item(ctx: &Context<'_>, doc: Document, id_path: &str, published: Timestamp) -> FeedItem {
    let s = ctx.settings;
    let url = s.permalink(&doc.collection, &doc.slug, doc.published.map(|p| p.date));
    let content_html =
        Some(markdown::to_html(&doc.body, &s.base_url, &url)).filter(|h| !h.trim().is_empty());
    let mut categories = doc.front.tags.clone();
    for c in &doc.front.categories {
        if !categories.contains(c) {
            categories.push(c.clone());
        }
    }
    let attachments = doc
        .front
        .files
        .iter()
        .map(|f| {
            let abs = text::absolute_url(&f.url, &s.base_url, &url);
            Attachment {
                mime_type: text::mime_type(&abs).to_string(),
                length: file_size(&f.url, ctx.content),
                url: abs,
                title: f.name.clone(),
            }
        })
        .collect();
    FeedItem {
        id: s.tag_uri(id_path),
        image: doc
            .front
            .image
            .as_deref()
            .map(|i| text::absolute_url(i, &s.base_url, &url)),
        url,
        title: doc.title,
        summary: doc.front.chapeau,
        content_html,
        published,
        updated: published,
        categories,
        attachments,
    }
}

/// One event as a feed item: days and place in the title and summary; dated by the
/// publication of its earliest announcement, never by the event's own date.
fn entry_item(ctx: &Context<'_>, e: &Entry) -> FeedItem {
    let ev = &e.event;
    let title = format!(
        "{}{} ({})",
        fr::status_prefix(ev.status),
        text::one_line(&ev.title),
        fr::days(ev.start, ev.end)
    );
    let when_where = capitalize(&fr::when_where(ev));
    let mut summary = format!("{when_where}.");
    if let Some(s) = e
        .summary
        .as_deref()
        .map(text::one_line)
        .filter(|s| !s.is_empty())
    {
        summary.push_str("\n\n");
        summary.push_str(&s);
    }
    let mut html: String = summary
        .split("\n\n")
        .map(|p| format!("<p>{}</p>", text::escape_html(p)))
        .collect();
    if let Some(d) = ev
        .description
        .as_deref()
        .map(text::clean)
        .filter(|s| !s.trim().is_empty())
    {
        html.push_str(&format!(
            "<p>{}</p>",
            text::escape_html(&d).replace('\n', "<br>")
        ));
    }
    let links: Vec<String> = e
        .sources
        .iter()
        .map(|s| {
            format!(
                "<a href=\"{}\">{}</a>",
                text::escape_html(&text::encode_url(&s.url)),
                text::escape_html(&s.url)
            )
        })
        .collect();
    if !links.is_empty() {
        html.push_str(&format!("<p>Annoncé par : {}</p>", links.join(", ")));
    }
    let local = e.uid.split('@').next().unwrap_or(&e.uid);
    let published = e
        .sources
        .iter()
        .map(|s| s.published)
        .min()
        .unwrap_or(e.modified);
    FeedItem {
        id: ctx.settings.tag_uri(&format!("event/{local}")),
        url: e.url.clone(),
        title,
        summary: Some(summary),
        content_html: Some(html),
        published,
        updated: e.modified.max(published),
        categories: e.tags.clone(),
        image: None,
        attachments: Vec::new(),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The feed description of a list of items.
fn meta(
    ctx: &Context<'_>,
    id: &str,
    title: String,
    description: String,
    feed: &str,
    items: &[FeedItem],
) -> FeedMeta {
    let s = ctx.settings;
    FeedMeta {
        id: s.tag_uri(id),
        title,
        description,
        home_url: format!("{}/", s.base_url),
        feed_url: s.output_url(feed),
        language: s.language.clone(),
        author: Person {
            name: s.publisher.name.clone(),
            email: s.publisher.email.clone(),
            uri: s
                .publisher
                .url
                .clone()
                .or_else(|| Some(format!("{}/", s.base_url))),
        },
        updated: publish::newest(items).unwrap_or(ctx.newest_content),
        tz: ctx.tz.clone(),
    }
}

/// Everything rendering shares.
struct Rendered<'a> {
    ctx: &'a Context<'a>,
    plan: &'a Plan,
    agenda: &'a Store,
    releases: Vec<FeedItem>,
    /// The pages' bytes: the index, then each tag's (see [`Kind::Page`]).
    pages: Vec<Vec<u8>>,
    calendar: ics::CalendarMeta,
}

/// Calendars with more events than this are streamed to their file rather than rendered in
/// memory first.
const STREAM_OVER: usize = 256;

impl Rendered<'_> {
    /// Whether a file is large enough to be streamed to disk (rendered in parts, never
    /// held whole in memory); such files are written one at a time.
    fn is_big(&self, job: &Job) -> bool {
        match job.kind {
            Kind::EventsJson => true,
            Kind::AgendaIcs => self.plan.calendar.len() > STREAM_OVER,
            Kind::TagIcs(t) => self.plan.tags[t].calendar.len() > STREAM_OVER,
            _ => false,
        }
    }

    /// Write a large file (see [`Rendered::is_big`]) to `w`: the bytes of [`Rendered::file`].
    fn stream(&self, job: &Job, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        match &job.kind {
            Kind::EventsJson => self.events_json(w),
            Kind::AgendaIcs => {
                ics::calendar_from(&self.pick(&self.plan.calendar), &self.calendar, w)
            }
            Kind::TagIcs(t) => {
                let tag = &self.plan.tags[*t];
                ics::calendar_from(&self.pick(&tag.calendar), &self.tag_calendar(tag), w)
            }
            _ => w.write_all(&self.file(job)),
        }
    }

    /// Write the calendars of these jobs (`agenda.ics` and tags' calendars, each a part of
    /// `agenda.ics`) in one pass over the agenda; one result per job.
    fn calendars(&self, out: &Path, jobs: &[&Job]) -> Vec<Result<bool, String>> {
        if jobs.is_empty() {
            return Vec::new();
        }
        // Both lists are in agenda order: a tag's events are found in the whole calendar.
        let members = |ix: &[usize]| {
            let mut member = vec![false; self.plan.calendar.len()];
            for i in ix {
                if let Ok(pos) = self.plan.calendar.binary_search(i) {
                    member[pos] = true;
                }
            }
            member
        };
        let mut metas = Vec::with_capacity(jobs.len());
        let mut member: Vec<Option<Vec<bool>>> = Vec::with_capacity(jobs.len());
        for job in jobs {
            match job.kind {
                Kind::TagIcs(t) => {
                    let tag = &self.plan.tags[t];
                    metas.push(self.tag_calendar(tag));
                    member.push(Some(members(&tag.calendar)));
                }
                _ => {
                    metas.push(self.calendar.clone());
                    member.push(None);
                }
            }
        }
        let parts: Vec<ics::Part<'_>> = metas
            .iter()
            .zip(&member)
            .map(|(meta, member)| ics::Part {
                meta,
                member: member.as_deref(),
            })
            .collect();
        let names: Vec<&str> = jobs.iter().map(|j| &*j.name).collect();
        let entries = self.pick(&self.plan.calendar);
        match output::write_streams(out, &names, |sinks| {
            ics::calendars_from(&entries, &parts, sinks)
        }) {
            Ok(written) => written.into_iter().map(Ok).collect(),
            Err(e) => {
                let e = format!("{}: cannot write: {e}", out.join(&*jobs[0].name).display());
                jobs.iter().map(|_| Err(e.clone())).collect()
            }
        }
    }

    fn pick<'b>(&'b self, ix: &'b [usize]) -> Picked<'b> {
        Picked {
            store: self.agenda,
            ix: Some(ix),
            whole: false,
        }
    }

    /// The calendar description of a tag's calendar.
    fn tag_calendar(&self, tag: &Tag) -> ics::CalendarMeta {
        let s = self.ctx.settings;
        let mut meta = self.calendar.clone();
        meta.name = format!("{} : {}", s.calendar_name, text::one_line(&tag.name));
        meta.description = format!("Les rendez-vous « {} »", text::one_line(&tag.name));
        meta
    }

    /// `events.json`, streamed.
    fn events_json(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        let s = self.ctx.settings;
        events_json::write_entries(
            &events_json::Meta {
                title: &s.title,
                home_page_url: &format!("{}/", s.base_url),
                timezone: &s.timezone,
            },
            &Picked {
                store: self.agenda,
                ix: None,
                whole: true,
            },
            w,
        )
    }

    /// The bytes of one output file.
    fn file(&self, job: &Job) -> Vec<u8> {
        let s = self.ctx.settings;
        let calendar = |ix: &[usize], meta: &ics::CalendarMeta| {
            let mut out = Vec::new();
            // Writing into a Vec cannot fail.
            let _ = ics::calendar_from(&self.pick(ix), meta, &mut out);
            out
        };
        let items = |ix: &[usize]| -> Vec<FeedItem> {
            ix.iter()
                .map(|&i| entry_item(self.ctx, &self.agenda.shown(i)))
                .collect()
        };
        let releases_meta = |feed: &str| {
            meta(
                self.ctx,
                "releases",
                s.title.clone(),
                s.description.clone(),
                feed,
                &self.releases,
            )
        };
        let agenda_meta = |feed: &str, items: &[FeedItem]| {
            meta(
                self.ctx,
                "agenda",
                format!("{} : agenda", s.title),
                format!("Les prochains rendez-vous : {}", s.description),
                feed,
                items,
            )
        };
        let tag_meta = |t: &Tag, feed: &str, items: &[FeedItem]| {
            meta(
                self.ctx,
                &format!("agenda/tag/{}", t.slug),
                format!("{} : {}", s.title, t.name),
                format!("Les prochains rendez-vous « {} »", t.name),
                feed,
                items,
            )
        };
        match &job.kind {
            Kind::ReleasesRss => rss::write(&releases_meta(&job.name), &self.releases),
            Kind::ReleasesAtom => atom::write(&releases_meta(&job.name), &self.releases),
            Kind::ReleasesJson => json_feed::write(&releases_meta(&job.name), &self.releases),
            Kind::AgendaRss => {
                let items = items(&self.plan.upcoming);
                rss::write(&agenda_meta(&job.name, &items), &items)
            }
            Kind::AgendaAtom => {
                let items = items(&self.plan.upcoming);
                atom::write(&agenda_meta(&job.name, &items), &items)
            }
            Kind::TagRss(t) => {
                let tag = &self.plan.tags[*t];
                let items = items(&tag.upcoming);
                rss::write(&tag_meta(tag, &job.name, &items), &items)
            }
            Kind::TagAtom(t) => {
                let tag = &self.plan.tags[*t];
                let items = items(&tag.upcoming);
                atom::write(&tag_meta(tag, &job.name, &items), &items)
            }
            Kind::EventsJson => {
                let mut out = Vec::new();
                // Writing into a Vec cannot fail.
                let _ = self.events_json(&mut out);
                out
            }
            Kind::Page(p) => self.pages.get(*p).cloned().unwrap_or_default(),
            Kind::AgendaIcs => calendar(&self.plan.calendar, &self.calendar),
            Kind::EventIcs(i) => ics::single(&self.agenda.shown(*i), &self.calendar),
            Kind::TagIcs(t) => {
                let tag = &self.plan.tags[*t];
                calendar(&tag.calendar, &self.tag_calendar(tag))
            }
        }
    }
}
