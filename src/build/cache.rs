//! The extraction cache, `.agenda-cache` in the output folder: what the last build made of
//! each document, so that a rebuild reads every document but extracts only those that
//! changed.
//!
//! The file is an identity line, then one record per document in the order of their paths:
//! the path, a 128-bit hash of the file's bytes (XXH3), the digest (release, what the merge
//! needs, the packed entries, the warnings) and a checksum of that digest. A record is used
//! only when its path and the hash of the bytes read now are the ones recorded.
//!
//! The identity covers everything else a digest depends on: the format of this file, the
//! program (its version, and the size and modification time of the executable, which any
//! rebuilt program changes), the settings and the content folder as given (warnings name
//! it). Another identity and the whole file is ignored. A file that cannot be read, or a
//! cut or damaged record, ends the use of the cache at that record: the documents after it
//! are extracted as without a cache. Nothing in the file is trusted beyond its checksums:
//! decoding never panics.
//!
//! The file is written like every output (temporary file, rename) and replaced only when
//! its bytes change: a rebuild of unchanged content leaves it as it is.

use std::fs;
use std::io::{self, BufReader, Read, Write};
use std::path::Path;

use twox_hash::{XxHash3_128, XxHash3_64};

use super::packed::{self, R, W};
use super::{Digest, Release};
use crate::config::Settings;
use crate::content::Diagnostic;
use crate::merge::DocInfo;
use crate::output;

/// The cache's name in the output folder.
pub const CACHE_FILE: &str = ".agenda-cache";

/// The first bytes of the file; a new layout changes them.
const MAGIC: &[u8; 16] = b"agenda-cache v2\n";

/// The largest record a reader accepts (a document is at most a few MB; its digest less).
const MAX_RECORD: u32 = 64 << 20;

/// The hash of a document's bytes that decides whether its record still holds.
pub fn content_hash(bytes: &[u8]) -> u128 {
    XxHash3_128::oneshot(bytes)
}

/// What a cache must have been written under to be used by this build; `None` when the
/// program cannot be identified (then no cache is read or written).
pub fn identity(settings: &Settings, content: &Path) -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let meta = fs::metadata(exe).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    let text = format!(
        "{}\n{}\n{}\n{}\n{settings:?}\n{}",
        String::from_utf8_lossy(MAGIC),
        env!("CARGO_PKG_VERSION"),
        meta.len(),
        modified.as_nanos(),
        content.display(),
    );
    Some(XxHash3_64::oneshot(text.as_bytes()))
}

/// A document's record: the hash of its bytes and its digest bytes ([`encode`]).
pub type Record = (u128, Vec<u8>);

/// The previous build's records, read in order as the documents are met.
pub struct Old {
    file: Option<BufReader<fs::File>>,
    /// The next record, read but not yet asked for: path, hash, digest bytes.
    next: Option<(String, u128, Vec<u8>)>,
}

impl Old {
    /// The cache of the output folder `out`, or an empty one when there is none, it cannot
    /// be read or it was written under another identity.
    pub fn open(out: &Path, identity: u64) -> Old {
        let file = fs::File::open(out.join(CACHE_FILE)).ok().and_then(|f| {
            let mut r = BufReader::with_capacity(1 << 16, f);
            let mut head = [0u8; MAGIC.len() + 8];
            r.read_exact(&mut head).ok()?;
            let (magic, id) = head.split_at(MAGIC.len());
            (magic == MAGIC && id == identity.to_le_bytes()).then_some(r)
        });
        Old { file, next: None }
    }

    /// The record of document `rel`: the hash of its bytes then, and its digest bytes
    /// (to be used only when the bytes read now have that hash). Documents must be asked
    /// for in increasing order of `rel`, as they are recorded.
    pub fn take(&mut self, rel: &str) -> Option<Record> {
        loop {
            if self.next.is_none() {
                self.next = self.read_record();
            }
            let (recorded, _, _) = self.next.as_ref()?;
            match recorded.as_str().cmp(rel) {
                // A document that is gone.
                std::cmp::Ordering::Less => self.next = None,
                std::cmp::Ordering::Greater => return None,
                std::cmp::Ordering::Equal => {
                    let (_, hash, digest) = self.next.take()?;
                    return Some((hash, digest));
                }
            }
        }
    }

    /// The next record; at the end, or at a bad record, `None` from then on.
    fn read_record(&mut self) -> Option<(String, u128, Vec<u8>)> {
        let r = self.file.as_mut()?;
        let record = (|| {
            let rel = String::from_utf8(read_block(r)?).ok()?;
            let mut hash = [0u8; 16];
            r.read_exact(&mut hash).ok()?;
            let digest = read_block(r)?;
            let mut check = [0u8; 8];
            r.read_exact(&mut check).ok()?;
            (u64::from_le_bytes(check) == XxHash3_64::oneshot(&digest)).then_some((
                rel,
                u128::from_le_bytes(hash),
                digest,
            ))
        })();
        if record.is_none() {
            self.file = None;
        }
        record
    }
}

fn read_block(r: &mut impl Read) -> Option<Vec<u8>> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len).ok()?;
    let len = u32::from_le_bytes(len);
    if len > MAX_RECORD {
        return None;
    }
    let mut block = vec![0u8; len as usize];
    r.read_exact(&mut block).ok()?;
    Some(block)
}

/// The cache this build writes, a record per document as they are digested.
pub struct New {
    stream: output::Stream,
}

impl New {
    /// Start the cache of the output folder `out` (created when missing).
    pub fn create(out: &Path, identity: u64) -> io::Result<New> {
        let mut stream = output::Stream::open(out, CACHE_FILE)?;
        stream.write_all(MAGIC)?;
        stream.write_all(&identity.to_le_bytes())?;
        Ok(New { stream })
    }

    /// Record document `rel`, whose bytes hash to `hash`, and its digest bytes ([`encode`]).
    pub fn push(&mut self, rel: &str, hash: u128, digest: &[u8]) -> io::Result<()> {
        let len = |n: usize| {
            u32::try_from(n)
                .ok()
                .filter(|&n| n <= MAX_RECORD)
                .ok_or_else(|| io::Error::other("cache record too large"))
        };
        let w = &mut self.stream;
        w.write_all(&len(rel.len())?.to_le_bytes())?;
        w.write_all(rel.as_bytes())?;
        w.write_all(&hash.to_le_bytes())?;
        w.write_all(&len(digest.len())?.to_le_bytes())?;
        w.write_all(digest)?;
        w.write_all(&XxHash3_64::oneshot(digest).to_le_bytes())
    }

    /// Put the cache in place (only when its bytes changed).
    pub fn commit(self) -> io::Result<bool> {
        self.stream.commit()
    }
}

/// A digest as cache bytes; `None` when it cannot be kept between processes (see
/// [`packed::portable`]).
pub fn encode(d: &Digest) -> Option<Vec<u8>> {
    if !packed::portable() {
        return None;
    }
    let mut w = W(Vec::with_capacity(
        256 + d.entries.iter().map(|e| e.len() + 4).sum::<usize>(),
    ));
    w.u8(u8::from(d.skipped));
    match &d.release {
        None => w.u8(0),
        Some(r) => {
            w.u8(1);
            w.str(&r.rel);
            w.str(&r.id_path);
            w.timestamp(r.published);
        }
    }
    match &d.info {
        None => w.u8(0),
        Some((rel, info)) => {
            w.u8(1);
            w.str(rel);
            w.str(&info.title);
            w.n(info.links().len() as u64);
            info.links().iter().for_each(|l| w.str(l));
        }
    }
    w.n(d.entries.len() as u64);
    for e in &d.entries {
        w.n(e.len() as u64);
        w.0.extend_from_slice(e);
    }
    w.n(d.warnings.len() as u64);
    for x in &d.warnings {
        w.str(&x.path);
        for n in [x.line, x.column] {
            match n {
                None => w.u8(0),
                Some(n) => {
                    w.u8(1);
                    w.n(u64::from(n));
                }
            }
        }
        w.str(&x.message);
    }
    w.n(d.deadlines.len() as u64);
    for x in &d.deadlines {
        w.date(x.date);
        w.str(&x.text);
        w.str(&x.title);
        w.str(&x.url);
    }
    Some(w.0)
}

/// A digest from bytes [`encode`] wrote (checked by the record's checksum); `None` when
/// they do not hold one whole.
pub fn decode(bytes: &[u8]) -> Option<Digest> {
    let mut r = R { b: bytes, at: 0 };
    let skipped = r.u8() != 0;
    let release = (r.u8() != 0).then(|| Release {
        rel: r.string(),
        id_path: r.string(),
        published: r.timestamp(),
    });
    let info = if r.u8() != 0 {
        let rel = r.string();
        let title = r.string();
        let links = list(&mut r, |r| Some(r.string()))?;
        Some((rel, DocInfo::new(&title, links.into_iter().collect())))
    } else {
        None
    };
    let entries = list(&mut r, |r| {
        let len = r.len();
        let e = r.take(len);
        (e.len() == len).then(|| e.into())
    })?;
    let warnings = list(&mut r, |r| {
        let path = r.string();
        let mut number = || (r.u8() != 0).then(|| u32::try_from(r.n()).unwrap_or(u32::MAX));
        let (line, column) = (number(), number());
        Some(Diagnostic {
            path,
            line,
            column,
            message: r.string(),
        })
    })?;
    let deadlines = list(&mut r, |r| {
        Some(crate::publish::page::Deadline {
            date: r.date(),
            text: r.string(),
            title: r.string(),
            url: r.string(),
        })
    })?;
    (r.at == bytes.len()).then_some(Digest {
        release,
        entries,
        info,
        deadlines,
        warnings,
        skipped,
    })
}

/// A count, then that many items read by `one`. Each item takes at least a byte: a count
/// larger than the bytes left is a lie, and ends the decoding at once.
fn list<'a, T>(r: &mut R<'a>, mut one: impl FnMut(&mut R<'a>) -> Option<T>) -> Option<Vec<T>> {
    let count = r.len();
    let mut items = Vec::new();
    for _ in 0..count {
        if r.at >= r.b.len() {
            return None;
        }
        items.push(one(r)?);
    }
    Some(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    fn digest() -> Digest {
        let mut links = std::collections::BTreeSet::new();
        links.insert("example.org/agenda/salon".to_string());
        Digest {
            release: Some(Release {
                rel: "communiques/2026-10-01-salon.md".into(),
                id_path: "espace-presse/salon".into(),
                published: Timestamp::new(1_790_000_000, 5).unwrap_or(Timestamp::UNIX_EPOCH),
            }),
            entries: vec![vec![1u8, 2, 3].into(), Vec::new().into()],
            info: Some((
                "communiques/2026-10-01-salon.md".into(),
                DocInfo::new("Salon", links),
            )),
            deadlines: vec![crate::publish::page::Deadline {
                date: jiff::civil::date(2026, 9, 30),
                text: "jusqu'au 30 septembre".into(),
                title: "Salon".into(),
                url: "https://example.org/salon/".into(),
            }],
            warnings: vec![Diagnostic {
                path: "content/communiques/2026-10-01-salon.md".into(),
                line: Some(3),
                column: None,
                message: "front matter: unknown key".into(),
            }],
            skipped: false,
        }
    }

    #[test]
    fn a_digest_comes_back_as_it_was_recorded() {
        let d = digest();
        let bytes = encode(&d).expect("portable");
        let back = decode(&bytes).expect("decodes");
        assert_eq!(encode(&back).as_deref(), Some(&bytes[..]));
        assert_eq!(back.warnings, d.warnings);
        assert_eq!(back.deadlines, d.deadlines);
        assert_eq!(back.entries, d.entries);
        let (r, b) = (d.release.expect("release"), back.release.expect("release"));
        assert_eq!(
            (r.rel, r.id_path, r.published),
            (b.rel, b.id_path, b.published)
        );
    }

    #[test]
    fn cut_or_padded_bytes_are_no_digest() {
        let bytes = encode(&digest()).expect("portable");
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut padded = bytes.clone();
        padded.push(0);
        assert!(decode(&padded).is_none());
        // Counts far beyond the bytes end the decoding at once.
        for huge in [
            vec![0u8, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f],
            vec![0, 0, 1, 0, 0, 0xff, 0xff, 0x7f],
        ] {
            assert!(decode(&huge).is_none());
        }
    }

    #[test]
    fn records_are_found_in_order_until_a_damaged_one() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let mut new = New::create(dir.path(), 7).expect("create");
        for (rel, hash) in [("a.md", 1u128), ("b.md", 2), ("d.md", 4)] {
            new.push(rel, hash, rel.as_bytes()).expect("push");
        }
        assert!(new.commit().expect("commit"));
        assert!(
            Old::open(dir.path(), 8).take("a.md").is_none(),
            "other identity"
        );
        let mut old = Old::open(dir.path(), 7);
        assert_eq!(old.take("a.md"), Some((1, b"a.md".to_vec())));
        assert_eq!(old.take("c.md"), None, "new document");
        assert_eq!(
            old.take("d.md"),
            Some((4, b"d.md".to_vec())),
            "b.md was passed"
        );
        assert_eq!(old.take("e.md"), None);

        // A damaged record ends the use of the cache there.
        let path = dir.path().join(CACHE_FILE);
        let mut bytes = fs::read(&path).expect("cache");
        let last = bytes.len() - 9;
        bytes[last] ^= 1;
        fs::write(&path, &bytes).expect("write");
        let mut old = Old::open(dir.path(), 7);
        assert!(old.take("a.md").is_some());
        assert!(old.take("d.md").is_none());
    }
}
