//! Agenda entries packed into one byte buffer each while a build holds them.
//!
//! A build keeps every entry of the agenda from extraction to the last output. As
//! [`Entry`] values they cost about twice their text: a struct of 344 bytes, a vector per
//! list and a heap block per string (about 15 per entry). Packed, an entry is one block
//! holding its texts and fields; it is unpacked, briefly, each time an output needs it.
//!
//! Layout (lengths and counts as LEB128): start, end, start time (the sort key and what
//! the plan reads, first, so that [`head`] reads them without unpacking), uid, tags,
//! sources, url (empty when it is the first source's), modified, summary, sequence, then
//! the rest of the event. Unpacking never panics: bytes this module did not write give
//! default values.

use std::sync::RwLock;

use jiff::civil::{Date, Time};
use jiff::Timestamp;

use crate::agenda::{Entry, Event, Evidence, Origin, Source, Status};

/// An entry packed by [`pack`].
pub type Packed = Box<[u8]>;

/// Evidence field names ("start", "location"...): few and static, stored as an index.
static FIELDS: RwLock<Vec<&'static str>> = RwLock::new(Vec::new());

/// The evidence fields the extractor writes, with indexes fixed in every process, so that
/// packed entries can be kept between builds (see [`super::cache`]). Any other name gets
/// an index after these, in the order the process first meets it.
const FIXED_FIELDS: [&str; 9] = [
    "start",
    "end",
    "start_time",
    "end_time",
    "location",
    "address",
    "stand",
    "online",
    "title",
];

fn field_index(name: &'static str) -> usize {
    if let Some(i) = FIXED_FIELDS.iter().position(|f| *f == name) {
        return i;
    }
    let known = |fields: &[&'static str]| fields.iter().position(|f| *f == name);
    let i = match FIELDS.read().ok().and_then(|f| known(&f)) {
        Some(i) => i,
        None => match FIELDS.write() {
            Ok(mut f) => known(&f).unwrap_or_else(|| {
                f.push(name);
                f.len() - 1
            }),
            Err(_) => return usize::MAX,
        },
    };
    FIXED_FIELDS.len() + i
}

fn field_name(i: usize) -> &'static str {
    if let Some(name) = FIXED_FIELDS.get(i) {
        return name;
    }
    FIELDS
        .read()
        .ok()
        .and_then(|f| f.get(i - FIXED_FIELDS.len()).copied())
        .unwrap_or("")
}

/// Whether every entry packed so far by this process means the same in any other process:
/// no evidence field outside [`FIXED_FIELDS`] was met.
pub fn portable() -> bool {
    FIELDS.read().is_ok_and(|f| f.is_empty())
}

/// Writes the values [`R`] reads.
pub(super) struct W(pub(super) Vec<u8>);

impl W {
    pub(super) fn n(&mut self, mut v: u64) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(b);
                return;
            }
            self.0.push(b | 0x80);
        }
    }
    pub(super) fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    pub(super) fn str(&mut self, s: &str) {
        self.n(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }
    pub(super) fn opt(&mut self, s: &Option<String>) {
        match s {
            None => self.u8(0),
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
        }
    }
    pub(super) fn date(&mut self, d: Date) {
        self.0.extend_from_slice(&d.year().to_le_bytes());
        self.u8(d.month() as u8);
        self.u8(d.day() as u8);
    }
    pub(super) fn time(&mut self, t: Option<Time>) {
        match t {
            None => self.u8(0),
            Some(t) => {
                self.u8(1);
                self.u8(t.hour() as u8);
                self.u8(t.minute() as u8);
                self.u8(t.second() as u8);
                self.0
                    .extend_from_slice(&t.subsec_nanosecond().to_le_bytes());
            }
        }
    }
    pub(super) fn timestamp(&mut self, t: Timestamp) {
        self.0.extend_from_slice(&t.as_second().to_le_bytes());
        self.0
            .extend_from_slice(&t.subsec_nanosecond().to_le_bytes());
    }
}

/// Reads what [`W`] wrote; bytes it did not write give default values, never a panic.
pub(super) struct R<'a> {
    pub(super) b: &'a [u8],
    pub(super) at: usize,
}

impl<'a> R<'a> {
    pub(super) fn take(&mut self, len: usize) -> &'a [u8] {
        let end = self.at.saturating_add(len);
        let out = self.b.get(self.at..end).unwrap_or(&[]);
        self.at = end;
        out
    }
    pub(super) fn array<const N: usize>(&mut self) -> [u8; N] {
        self.take(N).try_into().unwrap_or([0; N])
    }
    pub(super) fn u8(&mut self) -> u8 {
        self.array::<1>()[0]
    }
    pub(super) fn n(&mut self) -> u64 {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8();
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                break;
            }
        }
        v
    }
    pub(super) fn len(&mut self) -> usize {
        usize::try_from(self.n()).unwrap_or(usize::MAX)
    }
    pub(super) fn str(&mut self) -> &'a str {
        let len = self.len();
        std::str::from_utf8(self.take(len)).unwrap_or("")
    }
    pub(super) fn string(&mut self) -> String {
        self.str().to_string()
    }
    pub(super) fn opt(&mut self) -> Option<String> {
        (self.u8() != 0).then(|| self.string())
    }
    pub(super) fn date(&mut self) -> Date {
        let year = i16::from_le_bytes(self.array());
        let (month, day) = (self.u8() as i8, self.u8() as i8);
        Date::new(year, month, day).unwrap_or(Date::MIN)
    }
    pub(super) fn time(&mut self) -> Option<Time> {
        if self.u8() == 0 {
            return None;
        }
        let (h, m, s) = (self.u8() as i8, self.u8() as i8, self.u8() as i8);
        let ns = i32::from_le_bytes(self.array());
        Time::new(h, m, s, ns).ok()
    }
    pub(super) fn timestamp(&mut self) -> Timestamp {
        let s = i64::from_le_bytes(self.array());
        let ns = i32::from_le_bytes(self.array());
        Timestamp::new(s, ns).unwrap_or(Timestamp::UNIX_EPOCH)
    }
}

fn status_code(s: Status) -> u8 {
    match s {
        Status::Confirmed => 0,
        Status::Cancelled => 1,
        Status::Postponed => 2,
    }
}

fn origin_code(o: Origin) -> u8 {
    match o {
        Origin::Text => 0,
        Origin::FrontMatter => 1,
        Origin::Override => 2,
    }
}

/// One entry as one byte buffer.
pub fn pack(e: &Entry) -> Packed {
    let ev = &e.event;
    let mut w = W(Vec::with_capacity(256));
    w.date(ev.start);
    w.date(ev.end);
    w.time(ev.start_time);
    w.str(&e.uid);
    w.n(e.tags.len() as u64);
    e.tags.iter().for_each(|t| w.str(t));
    w.n(e.sources.len() as u64);
    for s in &e.sources {
        w.str(&s.doc);
        w.str(&s.url);
        w.timestamp(s.published);
    }
    // The page of an entry is almost always its first source's: stored once.
    match e.sources.first() {
        Some(s) if s.url == e.url => w.u8(0),
        _ => {
            w.u8(1);
            w.str(&e.url);
        }
    }
    w.timestamp(e.modified);
    w.opt(&e.summary);
    w.n(u64::from(e.sequence));
    w.str(&ev.title);
    w.time(ev.end_time);
    w.str(&ev.tz);
    w.opt(&ev.location);
    w.opt(&ev.address);
    w.opt(&ev.stand);
    w.u8(u8::from(ev.online));
    w.u8(status_code(ev.status));
    w.opt(&ev.description);
    w.u8(origin_code(ev.origin));
    w.n(ev.evidence.len() as u64);
    for x in &ev.evidence {
        w.n(field_index(x.field) as u64);
        w.n(u64::from(x.line));
        w.str(&x.text);
    }
    w.0.extend_from_slice(&ev.confidence.to_le_bytes());
    w.0.into_boxed_slice()
}

/// Packed entries laid end to end in large blocks: no heap block per entry, and none
/// shared with the short-lived allocations of extraction (which would keep partly used
/// pages resident after those are freed).
#[derive(Default)]
pub struct Arena {
    blocks: Vec<Vec<u8>>,
}

/// Where [`Arena::push`] put an entry.
#[derive(Debug, Clone, Copy)]
pub struct Ref {
    block: u32,
    start: u32,
    len: u32,
}

/// Bytes per block (a larger entry gets a block of its own size).
const BLOCK: usize = 4 << 20;

impl Arena {
    pub fn push(&mut self, bytes: &[u8]) -> Ref {
        let fits = self
            .blocks
            .last()
            .is_some_and(|b| b.capacity() - b.len() >= bytes.len());
        if !fits {
            self.blocks.push(Vec::with_capacity(BLOCK.max(bytes.len())));
        }
        let block = self.blocks.len() - 1;
        let b = &mut self.blocks[block];
        let start = b.len();
        b.extend_from_slice(bytes);
        Ref {
            block: u32::try_from(block).unwrap_or(u32::MAX),
            start: u32::try_from(start).unwrap_or(u32::MAX),
            len: u32::try_from(bytes.len()).unwrap_or(u32::MAX),
        }
    }

    /// The bytes of a pushed entry (empty for a reference from another arena).
    pub fn get(&self, r: Ref) -> &[u8] {
        let (start, len) = (r.start as usize, r.len as usize);
        self.blocks
            .get(r.block as usize)
            .and_then(|b| b.get(start..start.saturating_add(len)))
            .unwrap_or(&[])
    }
}

/// What sorting and planning read of a packed entry, without unpacking it.
pub struct Head<'a> {
    pub start: Date,
    pub end: Date,
    pub start_time: Option<Time>,
    pub uid: &'a str,
}

fn head_reader(b: &[u8]) -> (Head<'_>, R<'_>) {
    let mut r = R { b, at: 0 };
    let start = r.date();
    let end = r.date();
    let start_time = r.time();
    let uid = r.str();
    (
        Head {
            start,
            end,
            start_time,
            uid,
        },
        r,
    )
}

/// The last day of a packed entry (what plans and pages test most).
pub fn end(b: &[u8]) -> Date {
    let mut r = R { b, at: 4 };
    r.date()
}

/// The sort key and the days of a packed entry.
pub fn head(b: &[u8]) -> Head<'_> {
    head_reader(b).0
}

/// The tags of a packed entry.
pub fn tags(b: &[u8]) -> Vec<&str> {
    let mut r = head_reader(b).1;
    let n = r.len();
    (0..n)
        .map_while(|_| (r.at < r.b.len()).then(|| r.str()))
        .collect()
}

/// The entry [`pack`] was given.
pub fn unpack(b: &[u8]) -> Entry {
    unpack_with(b, true)
}

/// [`unpack`] without the evidence (left empty) and the confidence (left 0): what only
/// `events.json` shows, not made for the calendars and feeds.
pub fn unpack_for_people(b: &[u8]) -> Entry {
    unpack_with(b, false)
}

fn unpack_with(b: &[u8], evidence: bool) -> Entry {
    let (head, mut r) = head_reader(b);
    // Counts are bounded by the bytes left: unknown bytes never allocate without end.
    let count = |r: &mut R<'_>| r.len().min(r.b.len().saturating_sub(r.at));
    let n = count(&mut r);
    let tags = (0..n).map(|_| r.string()).collect();
    let n = count(&mut r);
    let sources: Vec<Source> = (0..n)
        .map(|_| Source {
            doc: r.string(),
            url: r.string(),
            published: r.timestamp(),
        })
        .collect();
    let url = if r.u8() == 0 {
        sources.first().map(|s| s.url.clone()).unwrap_or_default()
    } else {
        r.string()
    };
    let modified = r.timestamp();
    let summary = r.opt();
    let sequence = u32::try_from(r.n()).unwrap_or(u32::MAX);
    let title = r.string();
    let end_time = r.time();
    let tz = r.string();
    let location = r.opt();
    let address = r.opt();
    let stand = r.opt();
    let online = r.u8() != 0;
    let status = match r.u8() {
        1 => Status::Cancelled,
        2 => Status::Postponed,
        _ => Status::Confirmed,
    };
    let description = r.opt();
    let origin = match r.u8() {
        1 => Origin::FrontMatter,
        2 => Origin::Override,
        _ => Origin::Text,
    };
    let (evidence, confidence) = if evidence {
        let n = count(&mut r);
        let evidence = (0..n)
            .map(|_| Evidence {
                field: field_name(r.len()),
                line: u32::try_from(r.n()).unwrap_or(u32::MAX),
                text: r.string(),
            })
            .collect();
        (evidence, f32::from_le_bytes(r.array()))
    } else {
        (Vec::new(), 0.0)
    };
    Entry {
        uid: head.uid.to_string(),
        url,
        event: Event {
            title,
            start: head.start,
            end: head.end,
            start_time: head.start_time,
            end_time,
            tz,
            location,
            address,
            stand,
            online,
            status,
            description,
            origin,
            evidence,
            confidence,
        },
        sources,
        tags,
        modified,
        summary,
        sequence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn sample() -> Entry {
        Entry {
            uid: "communiques-salon@example.gouv.fr".into(),
            url: "https://example.gouv.fr/espace-presse/salon/".into(),
            event: Event {
                title: "Salon « des maires » ; 2026".into(),
                start: date(2026, 11, 24),
                end: date(2026, 11, 26),
                start_time: Some(time(9, 30, 0, 0)),
                end_time: Some(time(18, 0, 15, 123)),
                tz: "America/Guadeloupe".into(),
                location: Some("Paris Expo".into()),
                address: None,
                stand: Some("B42".into()),
                online: true,
                status: Status::Postponed,
                description: Some("Table ronde\nà 10 h".into()),
                origin: Origin::FrontMatter,
                evidence: vec![
                    Evidence {
                        field: "start",
                        line: 12,
                        text: "du 24 au 26 novembre".into(),
                    },
                    Evidence {
                        field: "location",
                        line: 300_000,
                        text: String::new(),
                    },
                ],
                confidence: 0.85,
            },
            sources: vec![
                Source {
                    doc: "communiques/2026-10-01-salon.md".into(),
                    url: "https://example.gouv.fr/espace-presse/salon/".into(),
                    published: "2026-10-01T08:00:00.5Z".parse().unwrap(),
                },
                Source {
                    doc: "actualites/salon.md".into(),
                    url: "https://example.gouv.fr/actualites/salon/".into(),
                    published: "2026-10-02T08:00:00Z".parse().unwrap(),
                },
            ],
            tags: vec!["collectivités".into(), String::new()],
            modified: "2026-10-02T08:00:00Z".parse().unwrap(),
            summary: Some("Chapeau.".into()),
            sequence: 3,
        }
    }

    #[test]
    fn entries_come_back_unchanged() {
        let e = sample();
        assert_eq!(unpack(&pack(&e)), e);
        let mut lite = e.clone();
        lite.event.evidence.clear();
        lite.event.confidence = 0.0;
        assert_eq!(unpack_for_people(&pack(&e)), lite);
        let mut other = e.clone();
        other.url = "https://example.gouv.fr/agenda/salon/".into();
        other.sources.clear();
        other.summary = None;
        other.event.start_time = None;
        other.event.end_time = None;
        other.event.evidence.clear();
        assert_eq!(unpack(&pack(&other)), other);
    }

    #[test]
    fn head_and_tags_read_without_unpacking() {
        let e = sample();
        let p = pack(&e);
        let h = head(&p);
        assert_eq!(
            (h.start, h.end, h.start_time),
            (e.event.start, e.event.end, e.event.start_time)
        );
        assert_eq!(h.uid, e.uid);
        assert_eq!(tags(&p), vec!["collectivités", ""]);
    }

    #[test]
    fn arena_gives_back_what_it_was_given() {
        let mut arena = Arena::default();
        let big = vec![7u8; BLOCK + 1];
        let refs: Vec<(Ref, Vec<u8>)> = [&b"one"[..], &big, b"", b"two"]
            .into_iter()
            .map(|b| (arena.push(b), b.to_vec()))
            .collect();
        for (r, b) in &refs {
            assert_eq!(arena.get(*r), &b[..]);
        }
        assert_eq!(Arena::default().get(refs[0].0), b"");
    }

    #[test]
    fn foreign_bytes_give_defaults_never_a_panic() {
        for bytes in [&[][..], &[0xff; 40][..], &pack(&sample())[..30]] {
            let _ = unpack(bytes);
            let _ = tags(bytes);
            let _ = head(bytes);
        }
    }
}
