//! Writing a build to disk: atomically, only what changed, and removing only what an earlier
//! build wrote.
//!
//! Each file is written to a temporary file in its own folder, flushed, then renamed over the
//! old one, so a reader (or a web server) sees the old version or the new one, never half a
//! file. A file whose bytes did not change is not touched (mtime and ETag stay stable).
//!
//! The state file [`STATE_FILE`] records what the build wrote (the manifest) and, per event
//! UID, the fingerprint of its days, times, place and status with its iCalendar SEQUENCE.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, BufRead, Read, Seek, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Name of the state file in the output folder.
pub const STATE_FILE: &str = ".agenda-state.json";

/// What an event looked like at the last build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventState {
    /// Days, times, zone, place and status, as one readable string.
    pub fingerprint: String,
    pub sequence: u32,
}

/// The state kept between builds in [`STATE_FILE`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// Files (relative to the output folder, `/`-separated) written by the last build.
    #[serde(default)]
    pub files: BTreeSet<String>,
    /// Every event ever published, by UID (kept after removal, so a returning event's
    /// SEQUENCE still grows).
    #[serde(default)]
    pub events: BTreeMap<String, EventState>,
}

impl State {
    /// Read the state of an output folder; an absent or unreadable file gives an empty state
    /// (the next build then rewrites what differs and cannot remove stale files it did not record).
    pub fn read(out: &Path) -> State {
        // Parsed from a buffered reader: the file is as large as the agenda (tens of MB), and
        // it is read when every entry is in memory.
        match fs::File::open(out.join(STATE_FILE)) {
            Ok(f) => serde_json::from_reader(io::BufReader::with_capacity(1 << 16, f))
                .unwrap_or_default(),
            Err(_) => State::default(),
        }
    }

    /// The state as pretty JSON bytes (sorted: deterministic).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).unwrap_or_default();
        v.push(b'\n');
        v
    }

    /// The state as [`State::to_bytes`] would write it with another file list (no copy of
    /// the events).
    pub fn to_bytes_with_files(&self, files: &BTreeSet<String>) -> Vec<u8> {
        #[derive(Serialize)]
        struct View<'a> {
            files: &'a BTreeSet<String>,
            events: &'a BTreeMap<String, EventState>,
        }
        let mut v = serde_json::to_vec_pretty(&View {
            files,
            events: &self.events,
        })
        .unwrap_or_default();
        v.push(b'\n');
        v
    }

    /// Write the state as [`State::to_bytes`] gives it, without holding the JSON in memory.
    pub fn write_to(&self, w: &mut dyn Write) -> io::Result<()> {
        self.write_with_files(&self.files, &BTreeSet::<String>::new(), w)
    }

    /// Write the state as [`State::to_bytes_with_files`] gives it with the union of two
    /// file lists (neither copied), without holding the JSON in memory.
    pub fn write_with_files<B: AsRef<str> + Ord>(
        &self,
        a: &BTreeSet<String>,
        b: &BTreeSet<B>,
        w: &mut dyn Write,
    ) -> io::Result<()> {
        struct Union<'a, B>(&'a BTreeSet<String>, &'a BTreeSet<B>);
        impl<B: AsRef<str> + Ord> Serialize for Union<'_, B> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                // Sorted and without duplicates, as a BTreeSet of both would be.
                let mut a = self.0.iter().map(String::as_str).peekable();
                let mut b = self.1.iter().map(AsRef::as_ref).peekable();
                s.collect_seq(std::iter::from_fn(move || match (a.peek(), b.peek()) {
                    (Some(x), Some(y)) if x == y => {
                        b.next();
                        a.next()
                    }
                    (Some(x), Some(y)) if x < y => a.next(),
                    (Some(_), Some(_)) | (None, _) => b.next(),
                    (Some(_), None) => a.next(),
                }))
            }
        }
        #[derive(Serialize)]
        #[serde(bound = "")]
        struct View<'a, B: AsRef<str> + Ord> {
            files: Union<'a, B>,
            events: &'a BTreeMap<String, EventState>,
        }
        serde_json::to_writer_pretty(
            &mut *w,
            &View {
                files: Union(a, b),
                events: &self.events,
            },
        )?;
        w.write_all(b"\n")
    }

    /// Replace the file list of the state file in `dir`, keeping its events as they are
    /// written there: the bytes [`State::write_with_files`] gives for those events and
    /// `files`. A build writes its state before its outputs and changes only the file
    /// list afterwards, so the events need not stay in memory meanwhile.
    pub fn rewrite_files<B: AsRef<str> + Ord>(dir: &Path, files: &BTreeSet<B>) -> io::Result<bool> {
        const EVENTS: &[u8] = b"  \"events\": ";
        let bad = || {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{STATE_FILE}: no event list where this program writes it"),
            )
        };
        let mut old = io::BufReader::with_capacity(1 << 16, fs::File::open(dir.join(STATE_FILE))?);
        // The file list holds one name a line, indented deeper than the events key.
        let mut key = Vec::new();
        loop {
            key.clear();
            if old.read_until(b'\n', &mut key)? == 0 {
                return Err(bad());
            }
            if key.starts_with(EVENTS) {
                break;
            }
        }
        let mut head = Vec::new();
        State::default().write_with_files(&BTreeSet::new(), files, &mut head)?;
        let cut = head
            .windows(EVENTS.len() + 1)
            .rposition(|w| w[0] == b'\n' && &w[1..] == EVENTS)
            .ok_or_else(bad)?
            + 1;
        write_stream(dir, STATE_FILE, |w| {
            w.write_all(&head[..cut])?;
            w.write_all(&key)?;
            io::copy(&mut old, w).map(|_| ())
        })
    }

    /// The SEQUENCE of an event with this fingerprint, updating the record: unchanged -> same,
    /// changed -> one more, new -> 0.
    pub fn sequence(&mut self, uid: &str, fingerprint: &str) -> u32 {
        match self.events.get_mut(uid) {
            Some(s) if s.fingerprint == fingerprint => s.sequence,
            Some(s) => {
                s.sequence += 1;
                s.fingerprint = fingerprint.to_string();
                s.sequence
            }
            None => {
                self.events.insert(
                    uid.to_string(),
                    EventState {
                        fingerprint: fingerprint.to_string(),
                        sequence: 0,
                    },
                );
                0
            }
        }
    }
}

/// Check that a relative output path stays inside the output folder.
fn safe_rel(rel: &str) -> io::Result<()> {
    let ok = !rel.is_empty()
        && !rel.starts_with('/')
        && rel
            .split('/')
            .all(|p| !p.is_empty() && p != "." && p != ".." && !p.contains('\\'));
    if ok {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write outside the output folder: {rel:?}"),
        ))
    }
}

/// Write `bytes` to `dir/rel` atomically unless the file already holds exactly these bytes.
/// Returns whether the file was (re)written.
pub fn write_file(dir: &Path, rel: &str, bytes: &[u8]) -> io::Result<bool> {
    safe_rel(rel)?;
    let path = dir.join(rel);
    if holds(&path, bytes) {
        return Ok(false);
    }
    let parent = path.parent().unwrap_or(dir);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = parent.join(format!(".{name}.tmp{}", std::process::id()));
    let result = (|| {
        // Create the folder only when it is missing (one system call less per file).
        let mut f = match fs::File::create(&tmp) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::create_dir_all(parent)?;
                fs::File::create(&tmp)?
            }
            other => other?,
        };
        f.write_all(bytes)?;
        // No fsync: the rename is atomic for readers and survives the process being killed;
        // an fsync per file made a first build of 10,000 events 20 times slower.
        drop(f);
        fs::rename(&tmp, &path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map(|_| true)
}

/// Whether the file at `path` holds exactly `bytes` (read in chunks, never whole).
fn holds(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {}
        _ => return false,
    }
    let Ok(mut f) = fs::File::open(path) else {
        return false;
    };
    let mut buf = vec![0u8; (1 << 16).min(bytes.len().max(1))];
    let mut at = 0;
    loop {
        match f.read(&mut buf) {
            Ok(0) => return at == bytes.len(),
            Ok(n) => {
                if at + n > bytes.len() || buf[..n] != bytes[at..at + n] {
                    return false;
                }
                at += n;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// Like [`write_file`] for large files: `fill` writes the content, which is never held in
/// memory whole. While its bytes match the current `dir/rel` they are only compared with it
/// (no temporary file); from the first difference on they go to a temporary file (after the
/// matched prefix, copied back from the old file), which then replaces `dir/rel`.
/// Returns whether the file was (re)written.
pub fn write_stream<F>(dir: &Path, rel: &str, fill: F) -> io::Result<bool>
where
    F: FnOnce(&mut dyn Write) -> io::Result<()>,
{
    let mut stream = Stream::open(dir, rel)?;
    fill(&mut stream)?;
    stream.commit()
}

/// [`write_stream`] for several files filled at the same time: `fill` gets one writer per
/// name, in the order of `rels`. The files are renamed into place only once every one of
/// them has been filled without error: an error while filling changes none of them.
/// Returns, for each file, whether it was (re)written.
pub fn write_streams<F>(dir: &Path, rels: &[&str], fill: F) -> io::Result<Vec<bool>>
where
    F: FnOnce(&mut [&mut dyn Write]) -> io::Result<()>,
{
    let mut streams = rels
        .iter()
        .map(|rel| Stream::open(dir, rel))
        .collect::<io::Result<Vec<Stream>>>()?;
    {
        let mut writers: Vec<&mut dyn Write> =
            streams.iter_mut().map(|w| w as &mut dyn Write).collect();
        fill(&mut writers)?;
    }
    let mut finished = Vec::with_capacity(streams.len());
    for stream in streams {
        finished.push(stream.finish()?);
    }
    finished.into_iter().map(Finished::commit).collect()
}

/// One file written as [`write_stream`] writes it, by a caller that keeps it open: write
/// into it, then [`Stream::commit`]. Dropped without a commit, it leaves the file as it was.
pub struct Stream {
    path: PathBuf,
    w: io::BufWriter<Sink>,
}

/// A [`Stream`] filled without error, not yet in place; dropped, it removes its
/// temporary file.
struct Finished {
    path: PathBuf,
    tmp: PathBuf,
    changed: bool,
}

impl Drop for Finished {
    fn drop(&mut self) {
        if self.changed {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

impl Stream {
    /// Start writing `dir/rel`.
    pub fn open(dir: &Path, rel: &str) -> io::Result<Stream> {
        safe_rel(rel)?;
        let path = dir.join(rel);
        let parent = path.parent().unwrap_or(dir).to_path_buf();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = parent.join(format!(".{name}.tmp{}", std::process::id()));
        let mut sink = Sink {
            parent,
            tmp,
            mode: Mode::Compare {
                old: None,
                matched: 0,
                scratch: Vec::new(),
            },
            keep: false,
        };
        sink.start(&path)?;
        Ok(Stream {
            path,
            w: io::BufWriter::with_capacity(1 << 16, sink),
        })
    }

    /// Put the file in place when its bytes changed; returns whether it was (re)written.
    pub fn commit(self) -> io::Result<bool> {
        self.finish()?.commit()
    }

    fn finish(mut self) -> io::Result<Finished> {
        self.w.flush()?;
        let sink = self.w.get_mut();
        let changed = sink.finish()?;
        let tmp = sink.tmp.clone();
        // Closes the temporary file (the Sink's drop removes it unless it was kept).
        sink.keep = changed;
        Ok(Finished {
            path: std::mem::take(&mut self.path),
            tmp,
            changed,
        })
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.w.write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.w.write_all(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

impl Finished {
    fn commit(mut self) -> io::Result<bool> {
        let changed = self.changed;
        if changed {
            fs::rename(&self.tmp, &self.path)?;
            // In place: nothing left to remove.
            self.changed = false;
        }
        Ok(changed)
    }
}

/// Where [`write_stream`] sends bytes: compared with the old file while they match, then
/// written to the temporary file.
struct Sink {
    parent: PathBuf,
    tmp: PathBuf,
    mode: Mode,
    /// The temporary file is wanted: [`Stream`] renames it into place.
    keep: bool,
}

impl Drop for Sink {
    fn drop(&mut self) {
        if let Mode::Write(_) = self.mode {
            // Closed first: the Mode holds the open file.
            self.mode = Mode::Compare {
                old: None,
                matched: 0,
                scratch: Vec::new(),
            };
            if !self.keep {
                let _ = fs::remove_file(&self.tmp);
            }
        }
    }
}

enum Mode {
    Compare {
        /// The current file; `None` when there is none (then bytes are written at once).
        old: Option<io::BufReader<fs::File>>,
        /// Bytes found equal so far.
        matched: u64,
        scratch: Vec<u8>,
    },
    Write(io::BufWriter<fs::File>),
}

impl Sink {
    /// Open the current file for comparison, or start writing when there is none.
    fn start(&mut self, path: &Path) -> io::Result<()> {
        match fs::File::open(path) {
            Ok(f) if f.metadata().is_ok_and(|m| m.is_file()) => {
                self.mode = Mode::Compare {
                    old: Some(io::BufReader::with_capacity(1 << 16, f)),
                    matched: 0,
                    scratch: Vec::new(),
                };
                Ok(())
            }
            _ => self.diverge(),
        }
    }

    /// Switch to writing: create the temporary file and copy the matched prefix into it.
    fn diverge(&mut self) -> io::Result<()> {
        let Mode::Compare { old, matched, .. } = &mut self.mode else {
            return Ok(());
        };
        let f = match fs::File::create(&self.tmp) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::create_dir_all(&self.parent)?;
                fs::File::create(&self.tmp)?
            }
            other => other?,
        };
        let mut w = io::BufWriter::with_capacity(1 << 16, f);
        if let Some(old) = old.as_mut() {
            if *matched > 0 {
                old.seek(io::SeekFrom::Start(0))?;
                let copied = io::copy(&mut old.by_ref().take(*matched), &mut w)?;
                if copied != *matched {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the previous file changed while it was compared",
                    ));
                }
            }
        }
        self.mode = Mode::Write(w);
        Ok(())
    }

    /// Whether a temporary file holds new content (the old file differs or is longer).
    fn finish(&mut self) -> io::Result<bool> {
        if let Mode::Compare { old, .. } = &mut self.mode {
            let at_end = match old.as_mut() {
                Some(old) => old.fill_buf()?.is_empty(),
                None => false,
            };
            if at_end {
                return Ok(false);
            }
            self.diverge()?;
        }
        if let Mode::Write(w) = &mut self.mode {
            w.flush()?;
        }
        Ok(true)
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Mode::Compare {
            old: Some(old),
            matched,
            scratch,
        } = &mut self.mode
        {
            scratch.resize(buf.len(), 0);
            let mut got = 0;
            while got < buf.len() {
                match old.read(&mut scratch[got..]) {
                    Ok(0) => break,
                    Ok(n) => got += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            if got == buf.len() && scratch[..got] == *buf {
                *matched += got as u64;
                return Ok(buf.len());
            }
            self.diverge()?;
        }
        match &mut self.mode {
            Mode::Write(w) => w.write(buf),
            Mode::Compare { .. } => {
                self.diverge()?;
                self.write(buf)
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.mode {
            Mode::Write(w) => w.flush(),
            Mode::Compare { .. } => Ok(()),
        }
    }
}

/// Remove the files of `old` that are not in `new`, then the folders they leave empty.
/// Only paths recorded in a state file are ever removed. Returns the removed paths.
pub fn remove_stale<S: std::borrow::Borrow<str> + Ord>(
    dir: &Path,
    old: &BTreeSet<String>,
    new: &BTreeSet<S>,
) -> Vec<String> {
    let mut removed = Vec::new();
    for rel in old.iter().filter(|r| !new.contains(r.as_str())) {
        if safe_rel(rel).is_err() || rel == STATE_FILE {
            continue;
        }
        let path = dir.join(rel);
        if fs::remove_file(&path).is_ok() {
            removed.push(rel.clone());
            // Remove folders left empty, up to the output folder.
            let mut p: Option<PathBuf> = path.parent().map(Path::to_path_buf);
            while let Some(folder) = p {
                if folder == dir || fs::remove_dir(&folder).is_err() {
                    break;
                }
                p = folder.parent().map(Path::to_path_buf);
            }
        }
    }
    removed
}

/// Remove temporary files an interrupted build may have left (`.NAME.tmpPID`) in `dir` and
/// its direct subfolders that this program writes.
pub fn remove_leftover_temps(dir: &Path, folders: &[&str]) {
    let mut dirs = vec![dir.to_path_buf()];
    dirs.extend(folders.iter().map(|f| dir.join(f)));
    for d in dirs {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') && name.contains(".tmp") && e.path().is_file() {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_files_are_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_file(dir.path(), "a/b.txt", b"one").unwrap());
        assert!(!write_file(dir.path(), "a/b.txt", b"one").unwrap());
        assert!(write_file(dir.path(), "a/b.txt", b"two").unwrap());
        assert_eq!(fs::read(dir.path().join("a/b.txt")).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path().join("a")).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left");
    }

    #[test]
    fn streamed_files_are_replaced_only_when_they_differ() {
        let dir = tempfile::tempdir().unwrap();
        let w = |bytes: &'static [u8]| {
            write_stream(dir.path(), "big/x.json", move |out| out.write_all(bytes)).unwrap()
        };
        assert!(w(b"one"));
        assert!(!w(b"one"));
        assert!(w(b"two"));
        assert_eq!(fs::read(dir.path().join("big/x.json")).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path().join("big")).unwrap().count(), 1);
    }

    #[test]
    fn streamed_files_keep_or_replace_whole_content() {
        let dir = tempfile::tempdir().unwrap();
        let big: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let w = |bytes: &[u8]| {
            let bytes = bytes.to_vec();
            write_stream(dir.path(), "x.bin", move |out| {
                // Several writes, as a renderer does.
                for part in bytes.chunks(7_000) {
                    out.write_all(part)?;
                }
                Ok(())
            })
            .unwrap()
        };
        let read = || fs::read(dir.path().join("x.bin")).unwrap();
        assert!(w(&big));
        assert_eq!(read(), big);
        assert!(!w(&big), "same bytes: untouched");
        let mut changed = big.clone();
        changed[250_000] ^= 1;
        assert!(w(&changed), "a late difference");
        assert_eq!(read(), changed);
        assert!(w(&changed[..100_000]), "shorter");
        assert_eq!(read(), &changed[..100_000]);
        assert!(w(&changed), "longer");
        assert_eq!(read(), changed);
        assert!(w(b""), "empty");
        assert_eq!(read(), b"");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn files_streamed_together_change_together_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let names = ["a.ics", "tags/b.ics", "tags/c.ics"];
        let fill = |parts: [&'static [u8]; 3]| {
            move |sinks: &mut [&mut dyn Write]| {
                for (sink, part) in sinks.iter_mut().zip(parts) {
                    sink.write_all(part)?;
                }
                Ok(())
            }
        };
        let read = |name: &str| fs::read(dir.path().join(name)).unwrap();
        let written = write_streams(dir.path(), &names, fill([b"a1", b"b1", b"c1"])).unwrap();
        assert_eq!(written, [true, true, true]);
        let written = write_streams(dir.path(), &names, fill([b"a1", b"b2", b"c1"])).unwrap();
        assert_eq!(
            written,
            [false, true, false],
            "only the changed file is replaced"
        );
        assert_eq!(read("tags/b.ics"), b"b2");
        // A failure half-way: every file keeps its bytes, no temporary file is left.
        let failed = write_streams(dir.path(), &names, |sinks: &mut [&mut dyn Write]| {
            sinks[0].write_all(b"a3")?;
            sinks[1].write_all(&[b'x'; 100_000])?;
            Err(io::Error::other("renderer failed"))
        });
        assert!(failed.is_err());
        assert_eq!(
            [read("a.ics"), read("tags/b.ics"), read("tags/c.ics")],
            [b"a1".to_vec(), b"b2".to_vec(), b"c1".to_vec()]
        );
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            2,
            "a.ics and tags/"
        );
        assert_eq!(fs::read_dir(dir.path().join("tags")).unwrap().count(), 2);
    }

    #[test]
    fn paths_outside_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_file(dir.path(), "../x", b"").is_err());
        assert!(write_file(dir.path(), "/etc/x", b"").is_err());
    }

    #[test]
    fn only_recorded_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        write_file(dir.path(), "events/a.ics", b"a").unwrap();
        write_file(dir.path(), "mine.txt", b"m").unwrap();
        fs::write(dir.path().join("events/not-ours.txt"), b"x").unwrap();
        let old: BTreeSet<String> = ["events/a.ics".to_string()].into();
        let removed = remove_stale(dir.path(), &old, &BTreeSet::<String>::new());
        assert_eq!(removed, vec!["events/a.ics".to_string()]);
        assert!(dir.path().join("events/not-ours.txt").exists());
        assert!(dir.path().join("mine.txt").exists());
    }

    #[test]
    fn the_file_list_is_replaced_events_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = State::default();
        let names = |n: &[&str]| -> BTreeSet<String> { n.iter().map(|x| x.to_string()).collect() };
        for files in [names(&[]), names(&["a", "events/\"b\".ics"])] {
            for events in [0, 3] {
                s.events.clear();
                for i in 0..events {
                    s.sequence(&format!("uid-{i}@x"), "2026-01-01|  \"events\": ");
                }
                let before = names(&["old", "x/y"]);
                write_stream(dir.path(), STATE_FILE, |w| {
                    s.write_with_files(&before, &files, w)
                })
                .unwrap();
                State::rewrite_files(dir.path(), &files).unwrap();
                let mut want = Vec::new();
                s.write_with_files(&BTreeSet::new(), &files, &mut want)
                    .unwrap();
                assert_eq!(fs::read(dir.path().join(STATE_FILE)).unwrap(), want);
            }
        }
        fs::write(dir.path().join(STATE_FILE), b"{}").unwrap();
        assert!(State::rewrite_files(dir.path(), &names(&["a"])).is_err());
    }

    #[test]
    fn sequence_grows_only_on_change() {
        let mut s = State::default();
        assert_eq!(s.sequence("u", "a"), 0);
        assert_eq!(s.sequence("u", "a"), 0);
        assert_eq!(s.sequence("u", "b"), 1);
        assert_eq!(s.sequence("u", "b"), 1);
        let back: State = serde_json::from_slice(&s.to_bytes()).unwrap();
        assert_eq!(back, s);
        assert_eq!(s.to_bytes_with_files(&s.files), s.to_bytes());
        let mut streamed = Vec::new();
        s.write_to(&mut streamed).unwrap();
        assert_eq!(streamed, s.to_bytes());
        let one: BTreeSet<String> = ["a".to_string(), "c".to_string()].into();
        let two: BTreeSet<String> = ["b".to_string(), "c".to_string()].into();
        let mut union = Vec::new();
        s.write_with_files(&one, &two, &mut union).unwrap();
        let all: BTreeSet<String> = one.union(&two).cloned().collect();
        assert_eq!(union, s.to_bytes_with_files(&all));
    }
}
