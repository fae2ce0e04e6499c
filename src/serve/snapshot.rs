//! One whole build held in memory: output path -> bytes, content type, ETag, Last-Modified.
//!
//! A snapshot is made from the output folder right after a build succeeded, from the files
//! the build recorded in its state file (never from a path a client sent). A file whose
//! size, modification time and inode are those of the previous snapshot's copy is not read
//! again: the build only touches files whose bytes change. Snapshots are immutable; the
//! server swaps a whole new one in.

/// Output path -> file, looked up at every request (a fast hasher: lookups only, of
/// paths the build made).
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::http::HeaderValue;

use crate::output::State;

/// Files under this size are never compressed: the headers would outweigh the saving.
const COMPRESS_OVER: usize = 512;

/// Brotli quality: fast enough to run on the first request of a fresh file.
const BROTLI_QUALITY: u32 = 5;

/// One output file.
#[derive(Debug)]
pub struct Asset {
    /// The bytes, in parts laid end to end (a large file kept in memory between builds is
    /// made of blocks shared with the last one).
    parts: Vec<Bytes>,
    len: usize,
    /// The parts joined, made on first use (compression, tests).
    joined: OnceLock<Bytes>,
    pub content_type: &'static str,
    /// The hex of the 128-bit xxh3 hash of the bytes (the ETag's opaque part, unquoted).
    pub hash: String,
    /// Seconds since the epoch: the file's modification time, which the build leaves
    /// alone while its bytes stay the same.
    pub modified: u64,
    /// Header values made once: the ETag of each coding (identity, gzip, brotli), the
    /// Last-Modified date and the content type.
    pub etags: [HeaderValue; 3],
    pub last_modified: HeaderValue,
    pub content_type_value: HeaderValue,
    /// (size, modification time in ns, inode) of the file read.
    key: (u64, i128, u64),
    gzip: OnceLock<Option<Bytes>>,
    brotli: OnceLock<Option<Bytes>>,
}

/// How a response body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Identity = 0,
    Gzip = 1,
    Brotli = 2,
}

impl Coding {
    /// The `Content-Encoding` value, and the ETag suffix of this representation.
    pub fn name(self) -> Option<&'static str> {
        match self {
            Coding::Identity => None,
            Coding::Gzip => Some("gzip"),
            Coding::Brotli => Some("br"),
        }
    }
}

impl Asset {
    pub fn new(bytes: Vec<u8>, content_type: &'static str, modified: u64) -> Asset {
        Asset::of_bytes(Bytes::from(bytes), content_type, modified)
    }

    /// [`Asset::new`] of bytes shared with the build in memory (not copied).
    pub fn of_bytes(bytes: Bytes, content_type: &'static str, modified: u64) -> Asset {
        Asset::of_parts(vec![bytes], content_type, modified)
    }

    /// The file made of these parts, laid end to end (not copied).
    pub fn of_parts(parts: Vec<Bytes>, content_type: &'static str, modified: u64) -> Asset {
        let mut hasher = twox_hash::XxHash3_128::new();
        for p in &parts {
            hasher.write(p);
        }
        let hash = format!("{:032x}", hasher.finish_128());
        let len = parts.iter().map(Bytes::len).sum();
        let value = |s: String| {
            HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static("\"\""))
        };
        Asset {
            parts,
            len,
            joined: OnceLock::new(),
            content_type,
            etags: [
                value(format!("\"{hash}\"")),
                value(format!("\"{hash}-gzip\"")),
                value(format!("\"{hash}-br\"")),
            ],
            last_modified: value(http_date(modified)),
            content_type_value: HeaderValue::from_static(content_type),
            hash,
            modified,
            key: (0, 0, 0),
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
        }
    }

    /// The ETag of the body in this coding.
    pub fn etag(&self, coding: Coding) -> &HeaderValue {
        &self.etags[coding as usize]
    }

    /// Length of the bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes, in parts.
    pub fn parts(&self) -> &[Bytes] {
        &self.parts
    }

    /// The bytes, whole (joined on first use when in several parts).
    pub fn bytes(&self) -> Bytes {
        match &self.parts[..] {
            [] => Bytes::new(),
            [one] => one.clone(),
            parts => self
                .joined
                .get_or_init(|| Bytes::from(parts.concat()))
                .clone(),
        }
    }

    /// The body in this coding, compressed on first use; None when that coding does not
    /// make it smaller (identity: the bytes, whole).
    pub fn encoded(&self, coding: Coding) -> Option<Bytes> {
        let smaller = |v: Vec<u8>| (v.len() < self.len).then(|| Bytes::from(v));
        let big = self.len > COMPRESS_OVER;
        match coding {
            Coding::Identity => Some(self.bytes()),
            Coding::Gzip => self
                .gzip
                .get_or_init(|| big.then(|| gzip(&self.parts)).flatten().and_then(smaller))
                .clone(),
            Coding::Brotli => self
                .brotli
                .get_or_init(|| {
                    big.then(|| brotli(&self.bytes()))
                        .flatten()
                        .and_then(smaller)
                })
                .clone(),
        }
    }
}

fn gzip(parts: &[Bytes]) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for p in parts {
        enc.write_all(p).ok()?;
    }
    enc.finish().ok()
}

fn brotli(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY as i32,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).ok()?;
    Some(out)
}

/// The content type of an output file, from its name.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "ics" => "text/calendar; charset=utf-8",
        "rss" => "application/rss+xml",
        "atom" => "application/atom+xml",
        // The JSON Feed of the releases; events.json is plain JSON.
        "json" if path == "releases.json" => "application/feed+json",
        "json" => "application/json",
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Counts shown by `/healthz`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub documents: usize,
    pub events: usize,
}

/// A whole build.
#[derive(Debug, Default)]
pub struct Snapshot {
    files: HashMap<Arc<str>, Arc<Asset>>,
    pub counts: Counts,
}

impl Snapshot {
    /// A snapshot of given files (tests, and servers of content built elsewhere).
    pub fn from_files(files: Vec<(String, Vec<u8>, u64)>, counts: Counts) -> Snapshot {
        let files = files
            .into_iter()
            .map(|(path, bytes, modified)| {
                let ty = content_type(&path);
                (Arc::from(path), Arc::new(Asset::new(bytes, ty, modified)))
            })
            .collect();
        Snapshot { files, counts }
    }

    /// The files of the build in `out` (those its state file lists), reusing the previous
    /// snapshot's copy of each file that did not change on disk.
    pub fn load(out: &Path, previous: &Snapshot, counts: Counts) -> Result<Snapshot, String> {
        let state = State::read(out);
        if state.files.is_empty() {
            return Err(format!("{}: no build found", out.display()));
        }
        let mut files = HashMap::with_capacity_and_hasher(state.files.len(), Default::default());
        for rel in state.files {
            let path = out.join(&rel);
            let meta = std::fs::metadata(&path)
                .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
            let key = file_key(&meta);
            let asset = match previous.files.get(rel.as_str()).filter(|a| a.key == key) {
                Some(a) => Arc::clone(a),
                None => {
                    let bytes = std::fs::read(&path)
                        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
                    let mut a = Asset::new(
                        bytes,
                        content_type(&rel),
                        key.1.div_euclid(1_000_000_000) as u64,
                    );
                    a.key = key;
                    Arc::new(a)
                }
            };
            files.insert(Arc::from(rel), asset);
        }
        Ok(Snapshot { files, counts })
    }

    /// The files of a build kept in memory after `update`: the previous snapshot with the
    /// files the update changed (new copies, modified `now`) and without those it removed;
    /// when the update made every file (`update.whole`), only those.
    pub fn from_live(
        previous: &Snapshot,
        update: &crate::build::live::Update,
        now: u64,
    ) -> Snapshot {
        let mut files = if update.whole {
            HashMap::with_capacity_and_hasher(update.changed.len(), Default::default())
        } else {
            let mut files = previous.files.clone();
            for rel in &update.removed {
                files.remove(rel);
            }
            files
        };
        for (rel, parts) in &update.changed {
            let asset = Asset::of_parts(parts.to_vec(), content_type(rel), now);
            files.insert(Arc::clone(rel), Arc::new(asset));
        }
        Snapshot {
            files,
            counts: Counts {
                documents: update.documents,
                events: update.entries,
            },
        }
    }

    /// The file at an output path (`events/x.ics`), if the build wrote it.
    pub fn get(&self, rel: &str) -> Option<&Arc<Asset>> {
        self.files.get(rel)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Every output path, sorted.
    pub fn paths(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.files.keys().map(|k| &**k).collect();
        v.sort_unstable();
        v
    }
}

fn file_key(meta: &std::fs::Metadata) -> (u64, i128, u64) {
    use std::os::unix::fs::MetadataExt;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128);
    (meta.len(), mtime, meta.ino())
}

/// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`) of seconds since the epoch.
pub fn http_date(secs: u64) -> String {
    let ts = jiff::Timestamp::from_second(secs as i64).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    ts.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// Seconds since the epoch, now.
pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
