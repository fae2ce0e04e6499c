//! Mentions -> events: classify each dated mention, attach times and places,
//! merge what several mentions say of one event, add the structured front matter
//! when it is sane, and apply the editor's override.

use jiff::civil::{Date, Time};
use jiff::ToSpan;

use crate::agenda::{Deadline, Event, Evidence, Extraction, Origin, Status, Warning};
use crate::content::{AgendaOverride, Document, FmDateTime, Segment, SegmentOrigin};

use super::classify::{cues, Cues};
use super::dates::{find_dates, find_dates_in, DateMention, Hint, MonthContext, Shape};
use super::normalize::{normalize, tokenize, tokenize_into, Kind, Norm, Tok};
use super::place::{self, Online};
use super::refine::{resolve, Resolved};
use super::sieve;
use super::times::{find_times, Clock, TimeMention};

/// One segment, normalized and tokenized.
struct Seg<'a> {
    seg: &'a Segment,
    norm: Norm,
    toks: Vec<Tok>,
    /// Sentence token ranges.
    sentences: Vec<(usize, usize)>,
    dates: Vec<DateMention>,
    /// What the words around each date say of it (one per date).
    cues: Vec<Cues>,
    times: Vec<TimeMention>,
    /// The first labelled place line of the segment ("Lieu : ..."), computed once.
    labelled: std::cell::OnceCell<Option<place::Found>>,
}

impl Seg<'_> {
    fn line(&self, byte: usize) -> u32 {
        self.seg.line_at(self.norm.orig(byte))
    }
    fn sentence_of(&self, tok: usize) -> (usize, usize) {
        let i = self.sentences.partition_point(|&(_, e)| e <= tok);
        self.sentences
            .get(i)
            .copied()
            .filter(|&(s, e)| s <= tok && tok < e)
            .unwrap_or((0, self.toks.len()))
    }
    fn text(&self, a: usize, b: usize) -> &str {
        self.norm.text.get(a..b).unwrap_or("")
    }
    fn evidence(&self, field: &'static str, a: usize, b: usize) -> Evidence {
        Evidence {
            field,
            line: self.line(a),
            text: self.text(a, b).trim().to_string(),
        }
    }
    /// A place found in the segment's raw text, with its evidence.
    fn raw_place(&self, f: place::Found) -> (String, Evidence) {
        let ev = Evidence {
            field: "location",
            line: self.seg.line_at(f.start),
            text: self.seg.text.get(f.start..f.end).unwrap_or("").to_string(),
        };
        (f.text, ev)
    }
    fn is_field(&self, key: &str) -> bool {
        matches!(&self.seg.origin, SegmentOrigin::Field(k) if k.to_lowercase().contains(key))
    }
}

/// Does a date expression start within tokens [a, b)? (dates are sorted)
fn dates_between(g: &Seg, a: usize, b: usize) -> bool {
    let i = g.dates.partition_point(|d| d.first < a);
    g.dates.get(i).is_some_and(|d| d.first < b)
}

fn split_sentences(toks: &[Tok]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = 0;
    for (i, t) in toks.iter().enumerate() {
        if i > s && t.line_break_before {
            out.push((s, i));
            s = i;
        }
        let end = match t.norm.as_str() {
            "!" | "?" | ";" => true,
            "." => {
                // not inside "2.115", not after an abbreviation like "sept." or "av."
                let next_glued = toks.get(i + 1).is_some_and(|n| !n.space_before);
                let prev_short =
                    i > 0 && toks[i - 1].kind == Kind::Word && toks[i - 1].norm.len() <= 4;
                let next_lower = toks.get(i + 1).is_some_and(|n| {
                    n.kind == Kind::Num
                        || n.norm.chars().next().is_some_and(|c| c.is_lowercase())
                            && n.kind == Kind::Word
                            && !n.space_before
                });
                !(next_glued || prev_short && next_lower)
            }
            _ => false,
        };
        if end {
            out.push((s, i + 1));
            s = i + 1;
        }
    }
    if s < toks.len() {
        out.push((s, toks.len()));
    }
    out
}

/// Tokens of the sentences the parsers need (see `sieve`), and of no other: most
/// sentences of a release hold no date. A sentence cut off from the previous tokens
/// starts on a break.
fn tokenize_dated_sentences(text: &str) -> Vec<Tok> {
    if text.len() < 400 {
        return tokenize(text);
    }
    let mut toks = Vec::new();
    let mut prev_end = None;
    for (start, end) in sieve::sentences_to_read(text) {
        let before = toks.len();
        tokenize_into(text, start, end, &mut toks);
        if prev_end != Some(start) {
            if let Some(t) = toks.get_mut(before) {
                t.line_break_before = true;
            }
        }
        prev_end = Some(end);
    }
    toks
}

fn prepare(seg: &Segment) -> Seg<'_> {
    prepare_in(seg, MonthContext::default())
}

/// A segment prepared with the month its context gives to days written without one.
fn prepare_in(seg: &Segment, ctx: MonthContext) -> Seg<'_> {
    let norm = if sieve::may_hold_dates(&seg.text) || ctx.month.is_some() {
        normalize(&seg.text)
    } else {
        normalize("")
    };
    let toks = tokenize_dated_sentences(&norm.text);
    let sentences = split_sentences(&toks);
    let dates = find_dates_in(&toks, ctx);
    let times = find_times(&toks);
    let mut sg = Seg {
        seg,
        norm,
        toks,
        sentences,
        dates,
        cues: Vec::new(),
        times,
        labelled: std::cell::OnceCell::new(),
    };
    sg.cues = sg
        .dates
        .iter()
        .map(|d| {
            let (s, e) = sg.sentence_of(d.first);
            cues(&sg.toks, s, e, d.first, d.last)
        })
        .collect();
    sg
}

/// How many segments a month heading ("**Février**") serves.
const MONTH_HEADING_REACH: usize = 8;

/// Every segment prepared in order, a month heading giving its month to the days
/// written without one in the segments under it.
fn prepare_all(segments: &[Segment]) -> Vec<Seg<'_>> {
    let mut out: Vec<Seg> = Vec::with_capacity(segments.len());
    let mut heading: Option<(MonthContext, usize)> = None;
    for seg in segments {
        let ctx = match heading {
            Some((c, age)) if age < MONTH_HEADING_REACH && seg.origin == SegmentOrigin::Body => c,
            _ => MonthContext::default(),
        };
        let sg = prepare_in(seg, ctx);
        // a heading is short and holds no day: the date sieve may have left it untokenized
        let short = if sg.toks.is_empty() && seg.text.len() < 40 {
            tokenize(&normalize(&seg.text).text)
        } else {
            Vec::new()
        };
        let toks = if sg.toks.is_empty() { &short } else { &sg.toks };
        let found = (seg.text.len() < 40)
            .then(|| super::dates::month_heading(toks))
            .flatten();
        heading = match found {
            Some(c) => Some((c, 0)),
            None => heading.map(|(c, age)| (c, age + 1)),
        };
        out.push(sg);
    }
    out
}

/// A dated mention after classification.
#[derive(Debug, Clone)]
struct Cand {
    seg: usize,

    res: Resolved,
    cues: Cues,
    time: Option<(Clock, Option<Clock>, usize, usize)>,
    place: Option<(String, usize, usize)>,
    online: Online,
    online_ev: Option<(usize, usize)>,
    stand: Option<(String, usize, usize)>,
    /// The happening's own name in the sentence, with its byte span.
    name: Option<(String, usize, usize)>,
    /// Byte span of the mention.
    span: (usize, usize),
    /// An entry of a dated list under a month heading or label.
    listed: bool,
    /// Place and time said after the date's sentence (labelled line, next sentence).
    far_place: Option<(String, Evidence)>,
    far_time: Option<(Clock, Option<Clock>, Evidence)>,
    /// Street address said in the date's sentence or on the place's labelled line.
    address: Option<(String, Evidence)>,
}

type FarPlace = Option<(String, Evidence)>;
type FarTime = Option<(Clock, Option<Clock>, Evidence)>;

/// The hours and the online mode said just before a line of dates under a head
/// ("de 12h30 à 13h30, en visio.\n\nProchaines dates : 6 novembre, 4 décembre"): the
/// previous sentence or paragraph, when it holds no date and one time.
fn lead_in(segs: &[Seg], si: usize, sent: (usize, usize)) -> (FarTime, Online) {
    let Some(sg) = segs.get(si) else {
        return (None, Online::None);
    };
    let i = sg.sentences.partition_point(|&(_, e)| e <= sent.0);
    let (g, (a, b)) = match i.checked_sub(1).and_then(|j| sg.sentences.get(j)) {
        Some(&r) => (sg, r),
        None => {
            let Some(p) = si.checked_sub(1).and_then(|j| segs.get(j)) else {
                return (None, Online::None);
            };
            if !matches!(p.seg.origin, SegmentOrigin::Body) {
                return (None, Online::None);
            }
            (p, (0, p.toks.len()))
        }
    };
    if dates_between(g, a, b) {
        return (None, Online::None);
    }
    let time = one_time(g, a, b);
    let x = g.toks.get(a).map(|t| t.start).unwrap_or(0);
    let y = g.toks.get(b.saturating_sub(1)).map(|t| t.end).unwrap_or(0);
    let (online, _) = place::online_in_sentence(g.text(x, y));
    (time, online)
}

/// The one valid time of tokens [a, b) of a segment, with its evidence; None when there is
/// none or more than one.
fn one_time(g: &Seg, a: usize, b: usize) -> FarTime {
    let mut times = g
        .times
        .iter()
        .filter(|t| t.first >= a && t.first < b && t.is_valid());
    match (times.next(), times.next()) {
        (Some(t), None) => Some((
            t.start,
            t.end,
            g.evidence("start_time", t.start_byte, t.end_byte),
        )),
        _ => None,
    }
}

/// The hours and place said once for a dated list, in the paragraph above it ("Chaque
/// séance a lieu à la Maison des associations de 18h à 20h." above "Mars : jeudi 6 et
/// jeudi 20", "Avril : ..."): the first paragraph before the list's entries and
/// month headings, when it holds no date.
fn series_lead(segs: &[Seg], si: usize) -> (FarTime, FarPlace) {
    let mut i = si;
    for _ in 0..12 {
        let Some(j) = i.checked_sub(1) else { break };
        i = j;
        let g = &segs[i];
        if !matches!(g.seg.origin, SegmentOrigin::Body) {
            break;
        }
        let entry = !g.dates.is_empty() && g.dates.iter().all(|d| d.listed);
        let heading = g.dates.is_empty() && g.seg.text.len() < 40 && g.times.is_empty();
        if entry || heading {
            continue;
        }
        if !g.dates.is_empty() {
            break;
        }
        let time = one_time(g, 0, g.toks.len());
        let place = place::find_places(&g.norm.text)
            .into_iter()
            .next()
            .map(|f| (f.text.clone(), g.evidence("location", f.start, f.end)));
        return (time, place);
    }
    (None, None)
}

/// The hours of a day heading's programme ("### Vendredi 12.09.2025" above "9h-10h : accueil",
/// "15h-16h30 : table ronde"; "Dimanche 14/12" above "Marché de Noël (10h-18h)"): from the
/// first time to the last one of the entries under it, up to the next dated entry.
fn programme_hours(segs: &[Seg], si: usize) -> FarTime {
    let sg = segs.get(si)?;
    if !is_date_heading(sg) {
        return None;
    }
    let mut first: Option<(Clock, Evidence)> = None;
    let mut last: Option<Clock> = None;
    for g in segs.iter().skip(si + 1).take(15) {
        if !g.dates.is_empty() || !matches!(g.seg.origin, SegmentOrigin::Body) {
            break;
        }
        let Some(t) = g.times.iter().find(|t| t.is_valid()) else {
            continue;
        };
        if first.is_none() {
            first = Some((t.start, g.evidence("start_time", t.start_byte, t.end_byte)));
        }
        let end = t.end.unwrap_or(t.start);
        if last.is_none_or(|l| (end.hour, end.minute) > (l.hour, l.minute)) {
            last = Some(end);
        }
    }
    let (start, ev) = first?;
    let end = last.filter(|e| (e.hour, e.minute) > (start.hour, start.minute));
    Some((start, end, ev))
}

/// A heading that dates what follows: one date, no hour, short, no closing punctuation
/// ("### Vendredi 12.09.2025", "Atelier le 3 octobre : initiation à la soudure").
fn is_date_heading(sg: &Seg) -> bool {
    let t = sg.seg.text.trim_end();
    sg.dates.len() == 1
        && sg.times.is_empty()
        && t.len() <= 120
        && !t.ends_with(['.', '!', '?', ';', ','])
        && matches!(sg.seg.origin, SegmentOrigin::Body)
}

/// The place said in the paragraphs under a date heading, before the next dated one.
fn heading_place(segs: &[Seg], si: usize) -> FarPlace {
    if !is_date_heading(segs.get(si)?) {
        return None;
    }
    for g in segs.iter().skip(si + 1).take(3) {
        if !g.dates.is_empty() || !matches!(g.seg.origin, SegmentOrigin::Body) {
            break;
        }
        if let Some(f) = place::find_places(&g.seg.text).into_iter().next() {
            return Some(g.raw_place(f));
        }
    }
    None
}

/// What follows a dated sentence about its event: a labelled place line of the paragraph
/// or of the next one ("Lieu :", "Où ?", "📍"), and the next sentence when it holds no
/// date and speaks of the event as "il"/"elle" ("Il se tiendra à la halle ... de 9 h 30
/// à 17 h", "À 9 h 30, il inaugurera ...").
fn follow_up(segs: &[Seg], si: usize, sent: (usize, usize)) -> (FarPlace, FarTime) {
    let Some(sg) = segs.get(si) else {
        return (None, None);
    };
    let labelled = |g: &Seg| {
        g.labelled
            .get_or_init(|| place::labelled_places(&g.seg.text).into_iter().next())
            .clone()
            .map(|f| g.raw_place(f))
    };
    let next_seg = segs
        .get(si + 1)
        .filter(|n| matches!(n.seg.origin, SegmentOrigin::Body));
    let mut far_place = labelled(sg);
    if far_place.is_none() {
        far_place = next_seg.filter(|n| n.dates.is_empty()).and_then(labelled);
    }
    // the next sentence of the paragraph, else the first of the next paragraph
    let i = sg.sentences.partition_point(|&(_, e)| e <= sent.0);
    let (g, range) = match sg.sentences.get(i + 1) {
        Some(&r) => (sg, r),
        None => match next_seg.and_then(|n| n.sentences.first().map(|&r| (n, r))) {
            Some(x) => x,
            None => return (far_place, None),
        },
    };
    let (a, b) = range;
    let toks = &g.toks[a.min(g.toks.len())..b.min(g.toks.len())];
    // a date of its own before its first time makes it another event's sentence
    let k = g.times.partition_point(|t| t.first < a);
    let first_time = g.times[k.min(g.times.len())..]
        .iter()
        .take_while(|t| t.first < b)
        .find(|t| t.is_valid())
        .map(|t| t.first)
        .unwrap_or(b);
    let dated = dates_between(g, a, first_time);
    let about_it = toks.iter().enumerate().any(|(k, t)| {
        t.is_word("il")
            || t.is_word("elle")
            || t.is_word("ils")
            || t.is_word("elles")
            || t.is_word("se")
                && toks
                    .get(k + 1)
                    .is_some_and(|n| n.norm.starts_with("tiendr") || n.norm.starts_with("deroul"))
    });
    if dated || !about_it {
        return (far_place, None);
    }
    let far_time = g
        .times
        .iter()
        .find(|t| t.first >= a && t.first < b && t.is_valid())
        .map(|t| {
            (
                t.start,
                t.end,
                g.evidence("start_time", t.start_byte, t.end_byte),
            )
        });
    if far_place.is_none() {
        let x = g.toks.get(a).map(|t| t.start).unwrap_or(0);
        let y = g.toks.get(b.saturating_sub(1)).map(|t| t.end).unwrap_or(0);
        // the place after the verb: "Après l'édition 2024 à Nantes, les Rencontres se
        // tiendront à Lyon"
        let verb = toks
            .iter()
            .find(|t| t.norm.starts_with("tiendr") || t.norm.starts_with("deroul"))
            .map(|t| t.start - x)
            .unwrap_or(0);
        let places = place::find_places(g.text(x, y));
        far_place = places
            .iter()
            .find(|f| f.start >= verb)
            .or(places.first())
            .map(|f| {
                (
                    f.text.clone(),
                    g.evidence("location", x + f.start, x + f.end),
                )
            });
    }
    (far_place, far_time)
}

fn to_time(c: Clock) -> Option<Time> {
    if c.hour == 24 && c.minute == 0 {
        return Time::new(23, 59, 0, 0).ok();
    }
    Time::new(c.hour as i8, c.minute as i8, 0, 0).ok()
}

/// The time that belongs to the date mention `d` in its sentence.
fn time_for<'a>(sg: &'a Seg, di: usize) -> Option<&'a TimeMention> {
    let d = &sg.dates[di];
    let (s, e) = sg.sentence_of(d.first);
    let next_date = sg.dates.get(di + 1).map(|n| n.first).unwrap_or(usize::MAX);
    let prev_date = if di > 0 { sg.dates[di - 1].last } else { 0 };
    let k = sg.times.partition_point(|t| t.first < d.last);
    sg.times
        .get(k)
        .filter(|t| t.first < e && t.first < next_date)
        .or_else(|| {
            let j = sg.times.partition_point(|t| t.last <= d.first);
            j.checked_sub(1)
                .and_then(|j| sg.times.get(j))
                .filter(|t| t.last <= d.first && t.first >= s && t.first >= prev_date)
        })
}

fn place_for(
    sg: &Seg,
    span: (usize, usize),
    sent: (usize, usize),
) -> Option<(String, usize, usize)> {
    let (s, e) = sent;
    let a = sg.toks.get(s).map(|t| t.start).unwrap_or(0);
    let b = sg.toks.get(e.saturating_sub(1)).map(|t| t.end).unwrap_or(0);
    let text = sg.text(a, b);
    let places = place::find_places(text);
    // prefer the place after the date, then the nearest before
    let after = places.iter().find(|p| a + p.start >= span.1);
    let best = after
        .or_else(|| places.iter().rev().find(|p| a + p.end <= span.0))
        .or(places.first())?;
    Some((best.text.clone(), a + best.start, a + best.end))
}

fn is_online_place(s: &str) -> bool {
    let f = super::lexicon::fold(s);
    (f.contains("en ligne")
        || f.contains("webinaire")
        || f.contains("visio")
        || f.contains("youtube")
        || f.contains("discord")
        || f.contains("twitch")
        || f.contains("jitsi")
        || f.contains("zoom")
        || f.contains("teams")
        || f.contains("distanciel")
        || f.contains("virtuel"))
        && !f.contains(" et en ligne")
        && !f.contains("ou en ligne")
        && !f.contains("hybride")
}

/// The overseas zone whose offset at that moment is the one written with a front matter
/// date-time ("2024-03-12T08:00:00+11:00" is Nouméa), if any: such a date-time is the
/// civil time of the event's place. UTC ("Z") and Paris offsets name no zone.
fn offset_zone(v: &FmDateTime) -> Option<&'static str> {
    let off = v.offset_seconds.filter(|o| ![0, 3600, 7200].contains(o))?;
    let dt = v.datetime.filter(|_| !v.date_only)?;
    let ts = jiff::tz::Offset::from_seconds(off)
        .ok()?
        .to_timestamp(dt)
        .ok()?;
    place::overseas_zones()
        .find(|z| jiff::tz::TimeZone::get(z).is_ok_and(|tz| tz.to_offset(ts).seconds() == off))
}

/// The calendar day and time of a front matter date-time: as written with a Paris or an
/// overseas offset, else (UTC, a foreign offset) in Paris time.
fn fm_date(v: &FmDateTime) -> Option<(Date, Option<Time>)> {
    let dt = v.datetime?;
    if v.date_only {
        return Some((dt.date(), None));
    }
    // Paris offsets and overseas ones are the place's civil time, as written; any other
    // (UTC exports, a foreign offset) is read as a moment and given in Paris time
    let local = match v.offset_seconds {
        // "Z" on an event key is how site editors store the wall-clock time they typed
        Some(off) if off != 0 && off != 3600 && off != 7200 && offset_zone(v).is_none() => {
            let offset = jiff::tz::Offset::from_seconds(off).ok()?;
            let ts = offset.to_timestamp(dt).ok()?;
            ts.to_zoned(jiff::tz::TimeZone::get("Europe/Paris").ok()?)
                .datetime()
        }
        _ => dt,
    };
    let t = local.time();
    // 00:00 is "no time"; 16:42:19 is the moment the page was saved, not an event's hour
    let t = if t.hour() == 0 && t.minute() == 0 || t.minute() % 5 != 0 {
        None
    } else {
        Some(t)
    };
    Some((local.date(), t))
}

/// The year a sentence opens on ("En 2024, ..."), when it comes before token `before`.
fn opening_year(toks: &[Tok], s: usize, before: usize) -> Option<i16> {
    let (en, y) = (toks.get(s)?, toks.get(s + 1)?);
    let year = en.is_word("en")
        && y.kind == Kind::Num
        && y.digits() == 4
        && (1900..=2199).contains(&y.value)
        && s + 1 < before;
    year.then_some(y.value as i16)
}

/// Is the date given after a label that says it is the event's ("📅 Samedi 6 juin",
/// "Date : 12 mars", "Quand ? le 3 mai")?
fn labelled_date(text: &str, start: usize) -> bool {
    let before = text.get(..start).unwrap_or("");
    let line = before.rsplit('\n').next().unwrap_or(before);
    let label: String = line
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '📅' | '📆' | '🗓'))
        .collect();
    let f = super::lexicon::fold(&label);
    matches!(
        f.as_str(),
        "📅" | "📆" | "🗓" | "date" | "dates" | "quand" | "le" | "datele" | "quandle"
    ) && !line.trim().is_empty()
        && (line.contains([':', '?']) || line.contains(['📅', '📆', '🗓']))
}

/// The year written just before a date, apart from it by a dash ("Journées 2026 - 3 et 4
/// avril", "Saison 2024 – 5 et 6 avril"); not a colon: "France 2030 : mercredi 20
/// janvier" names a programme.
fn year_before(toks: &[Tok], first: usize) -> Option<i16> {
    let sep = toks.get(first.checked_sub(1)?)?;
    let y = toks.get(first.checked_sub(2)?)?;
    let dash = sep.is_punct('-') || sep.is_punct('–');
    let year = dash && y.kind == Kind::Num && y.digits() == 4 && (1900..=2199).contains(&y.value);
    year.then_some(y.value as i16)
}

fn sane_year(d: Date, published: Date) -> bool {
    d.year() >= published.year() - 1 && d.year() <= published.year() + 3
}

/// Time range given by a front matter field such as `Horaires` or `Date et horaires`.
fn info_times(doc: &Document) -> Option<(Clock, Option<Clock>, u32, String)> {
    // a front matter key about hours ("duration: 9h-17h", "horaires: de 9h à 12h")
    for sg in &doc.segments {
        let SegmentOrigin::Field(k) = &sg.origin else {
            continue;
        };
        if crate::content::keys::role(k) != Some(crate::content::keys::Role::Hours) {
            continue;
        }
        let n = normalize(&sg.text);
        let toks = tokenize(&n.text);
        if let Some(t) = find_times(&toks).into_iter().find(|t| t.is_valid()) {
            return Some((t.start, t.end, sg.line_at(0), sg.text.trim().to_string()));
        }
    }
    for info in &doc.front.infos {
        let label = super::lexicon::fold(&info.label);
        if !(label.contains("horaire") || label.contains("heure") || label.contains("date")) {
            continue;
        }
        let n = normalize(&info.content);
        let toks = tokenize(&n.text);
        let dates = find_dates(&toks);
        if let Some(t) = find_times(&toks)
            .into_iter()
            .find(|t| t.is_valid() && !dates.iter().any(|d| t.first >= d.first && t.first < d.last))
        {
            return Some((t.start, t.end, info.line, info.content.trim().to_string()));
        }
    }
    None
}

pub fn assemble(doc: &Document) -> Extraction {
    let mut out = Extraction::default();
    let Some(published) = doc.published.map(|p| p.date) else {
        out.warnings.push(Warning {
            line: None,
            message: "no publication date: the document is left out of the agenda".into(),
        });
        return out;
    };
    match &doc.front.agenda {
        AgendaOverride::Disabled => return out,
        AgendaOverride::Events(list) => {
            for o in list {
                let Some(start) = o.start else {
                    out.warnings.push(Warning {
                        line: Some(o.line),
                        message: "agenda override without a start date".into(),
                    });
                    continue;
                };
                let status = match o.status.as_deref() {
                    Some("cancelled") => Status::Cancelled,
                    Some("postponed") => Status::Postponed,
                    _ => Status::Confirmed,
                };
                let location = o.location.clone();
                let tz = location
                    .as_deref()
                    .map(place::zone_of)
                    .unwrap_or(place::DEFAULT_ZONE);
                let ev = Evidence {
                    field: "start",
                    line: o.line,
                    text: "agenda (front matter)".into(),
                };
                out.events.push(Event {
                    title: o.title.clone().unwrap_or_else(|| doc.title.clone()),
                    start,
                    end: o.end.unwrap_or(start).max(start),
                    start_time: o.start_time,
                    end_time: o.end_time,
                    tz: tz.to_string(),
                    location,
                    address: o.address.clone(),
                    stand: o.stand.clone(),
                    online: o.online.unwrap_or(false),
                    status,
                    description: None,
                    origin: Origin::Override,
                    evidence: vec![ev],
                    confidence: 1.0,
                });
            }
            return out;
        }
        AgendaOverride::Auto => {}
    }

    let title_seg = Segment {
        origin: SegmentOrigin::Field("title".into()),
        text: doc.title.clone(),
        lines: vec![(0, 1)],
    };
    let mut segs = prepare_all(&doc.segments);
    // an agenda page by its folder or by its structured fields, whatever the folder
    let is_agenda_page = doc.collection.contains("evenement")
        || doc.collection.contains("agenda")
        || doc.front.event_page
        || doc.front.event_start.is_some()
        || doc.front.event_end.is_some();
    // An agenda page without structured dates may give its day in its title only.
    // Any page may date its event in its title ("Atelier junior samedi 30 avril 14-17h",
    // "Réunion publique du 12/03", "2ème rencontre ce jeudi").
    let title_read = doc.front.event_start.is_none();
    if title_read {
        segs.push(prepare(&title_seg));
    }

    // Days written with their year somewhere in the document (title included) give
    // that year to the same day written without one.
    let title_prep = (!title_read).then(|| prepare(&title_seg));
    let mut explicit: std::collections::HashMap<(u8, u8), i16> = std::collections::HashMap::new();
    for sg in segs.iter().chain(title_prep.iter()) {
        // the title names the event: its years count whatever its words
        let title = sg.is_field("title");
        for (d, c) in sg.dates.iter().zip(&sg.cues) {
            if (!c.event || c.past) && !title {
                continue;
            }
            for r in &d.items {
                if let (Some(m), Some(y), false) = (r.month, r.year, r.month_implied && !title) {
                    explicit.entry((m, r.day)).or_insert(y);
                }
            }
        }
    }

    // ... and so do the front matter's event days, when a dedicated key gives them
    if !doc.front.event_start_from_date {
        for d in [&doc.front.event_start, &doc.front.event_end]
            .into_iter()
            .flatten()
            .filter_map(|f| f.date())
        {
            explicit
                .entry((d.month() as u8, d.day() as u8))
                .or_insert(d.year());
        }
    }

    // 1. classify every dated mention
    let mut cands: Vec<Cand> = Vec::new();
    // without them, no past day can be the page's main event (step 3)
    let front_dates = doc.front.event_start.is_some() || doc.front.event_end.is_some();
    for (si, sg) in segs.iter().enumerate() {
        let paragraph_online = if sg.dates.is_empty() || sg.dates.len() > 3 {
            (Online::None, None)
        } else {
            place::online(&sg.norm.text)
        };
        for t in &sg.times {
            if !t.is_valid() {
                out.warnings.push(Warning {
                    line: Some(sg.line(t.start_byte)),
                    message: format!("impossible time « {} »", sg.text(t.start_byte, t.end_byte)),
                });
            }
        }
        for (di, d) in sg.dates.iter().enumerate() {
            let (s, e) = sg.sentence_of(d.first);
            let c = sg.cues[di];
            let mut m = d.clone();
            if let Some(last) = m.items.last_mut() {
                if last.year.is_none() {
                    if let Some((_, &y)) = last
                        .month
                        .and_then(|mo| explicit.get_key_value(&(mo, last.day)))
                    {
                        last.year = Some(y);
                    }
                }
            }
            // "En 2024, ... la journée organisée le 15 octobre": a sentence that opens on
            // its year gives it to the days it writes without one
            if let Some(y) = opening_year(&sg.toks, s, d.first).or_else(|| {
                year_before(&sg.toks, d.first)
                    .filter(|y| (published.year() - 1..=published.year() + 2).contains(y))
            }) {
                for r in m.items.iter_mut().filter(|r| r.year.is_none()) {
                    r.year = Some(y);
                }
            }
            if m.relative == Some(super::dates::Relative::Today) {
                let prev = d.first.checked_sub(1).and_then(|i| sg.toks.get(i));
                let prev2 = d.first.checked_sub(2).and_then(|i| sg.toks.get(i));
                // "à ce jour", "de ce jour", "dès aujourd'hui", "les défis d'aujourd'hui"
                let to_date = prev.is_some_and(|p| {
                    p.is_word("a") || p.is_word("de") || p.is_word("jusqu") || p.is_word("des")
                }) || (prev.is_some_and(|p| p.is_punct('\''))
                    && prev2.is_some_and(|p| p.is_word("d") || p.is_word("jusqu")));
                if to_date || !c.strong_event || c.past {
                    continue;
                }
            }
            let yearless = m.items.iter().any(|r| r.year.is_none()) && m.relative.is_none();
            if yearless && c.past && m.hint.is_none() && !c.event {
                m.hint = Some(Hint::Last);
            }
            let mut warns = Vec::new();
            let res = resolve(&m, published, &mut warns);
            for w in warns {
                out.warnings.push(Warning {
                    line: Some(sg.line(d.start)),
                    message: format!("{w} (« {} »)", sg.text(d.start, d.end)),
                });
            }
            let Some(res) = res else { continue };
            // A mention that can only be a deadline or nothing (a closing date, a period,
            // an old date, a past day of a page without front matter dates) needs no
            // place, name or hours: only its days and words count (steps 2 and 3).
            if c.deadline || c.period || c.superseded || (res.last() < published && !front_dates) {
                cands.push(Cand {
                    name: None,
                    stand: None,
                    seg: si,
                    res,
                    cues: c,
                    time: None,
                    place: None,
                    online: Online::None,
                    online_ev: None,
                    span: (d.start, d.end),
                    listed: d.listed || d.entry || labelled_date(&sg.norm.text, d.start),
                    address: None,
                    far_place: None,
                    far_time: None,
                });
                continue;
            }
            let mut time = time_for(sg, di)
                .filter(|t| t.is_valid())
                .map(|t| (t.start, t.end, t.start_byte, t.end_byte));
            // a card of labelled lines ("Samedi 8 février 2025 / ⏰ 17h30 / 📍 Salle ..."):
            // the segment's one time goes with its one date
            if time.is_none() && sg.dates.len() == 1 {
                if let [t] = &sg.times[..] {
                    // on a line of its own
                    let own_line = (t.first.saturating_sub(2)..=t.first)
                        .any(|k| sg.toks.get(k).is_some_and(|x| x.line_break_before));
                    time = (t.is_valid() && own_line).then_some((
                        t.start,
                        t.end,
                        t.start_byte,
                        t.end_byte,
                    ));
                }
            }
            // "du 5 décembre à 9h au 6 décembre à 17h"
            let k = sg.times.partition_point(|t| t.first < d.first);
            if let Some(inner) = sg.times.get(k).filter(|t| t.last <= d.last && t.is_valid()) {
                let end = match time {
                    Some((a, None, _, y)) => Some((a, y)),
                    _ => None,
                };
                time = Some((
                    inner.start,
                    end.map(|e| e.0).or(inner.end),
                    inner.start_byte,
                    end.map(|e| e.1).unwrap_or(inner.end_byte),
                ));
            }
            let span = (d.start, d.end);
            let near = place_for(sg, span, (s, e));
            let (far_place, far_time) = if near.is_none() || time.is_none() {
                follow_up(&segs, si, (s, e))
            } else {
                (None, None)
            };
            let (far_place, far_time) = if d.listed && (far_place.is_none() || far_time.is_none()) {
                let (t, p) = series_lead(&segs, si);
                (far_place.or(p), far_time.or(t))
            } else {
                (far_place, far_time)
            };
            let far_time = far_time.or_else(|| programme_hours(&segs, si));
            let far_place = far_place.or_else(|| heading_place(&segs, si));
            let far_place = far_place.filter(|_| near.is_none());
            let mut far_time = far_time.filter(|_| time.is_none());
            let mut lead_online = Online::None;
            if c.list_head && time.is_none() {
                let (t, o) = lead_in(&segs, si, (s, e));
                far_time = far_time.or(t);
                lead_online = o;
            }
            let place = near.or_else(|| {
                if far_place.is_some() {
                    return None;
                }
                let a = sg.toks.get(s).map(|t| t.start).unwrap_or(0);
                let b = sg.toks.get(e.saturating_sub(1)).map(|t| t.end).unwrap_or(0);
                let addr = place::find_addresses(sg.text(a, b));
                if let Some(f) = addr.first() {
                    return Some((f.text.clone(), a + f.start, a + f.end));
                }
                // the next lines of the same paragraph, when it holds this date only
                if sg.dates.len() == 1 {
                    let rest = sg.text(span.1, sg.norm.text.len());
                    if let Some(f) = place::find_places(rest).first() {
                        return Some((f.text.clone(), span.1 + f.start, span.1 + f.end));
                    }
                    if let Some(f) = place::find_addresses(rest).first() {
                        return Some((f.text.clone(), span.1 + f.start, span.1 + f.end));
                    }
                }
                None
            });
            let a = sg.toks.get(s).map(|t| t.start).unwrap_or(0);
            let b = sg.toks.get(e.saturating_sub(1)).map(|t| t.end).unwrap_or(0);
            let (mut online, mut oev) = place::online_in_sentence(sg.text(a, b));
            if online == Online::None {
                // the paragraph may say it once for all its dates
                let (o, f) = paragraph_online.clone();
                if o != Online::None && sg.dates.len() <= 3 {
                    online = o;
                    oev = f.map(|f| Found2::shift(f, 0));
                } else {
                    oev = None;
                }
            } else {
                oev = oev.map(|f| Found2::shift(f, a));
            }
            if online == Online::None {
                online = lead_online;
            }
            let stand = place::find_stand(sg.text(a, b))
                .map(|f| (f.text, a + f.start, a + f.end))
                .or_else(|| {
                    place::find_stand(&sg.norm.text)
                        .filter(|_| sg.dates.len() == 1)
                        .map(|f| (f.text, f.start, f.end))
                });
            // the name nearest before the date ("le Sommet des GovTech (12 novembre) et le
            // Forum ... (12 au 14 novembre)"), else the first of the sentence
            let name = {
                let text = sg.text(a, b);
                let upto = span.0.saturating_sub(a).min(text.len());
                // not past the previous date of the sentence: its name is its own
                let after_prev = di
                    .checked_sub(1)
                    .and_then(|p| sg.dates.get(p))
                    .filter(|p| p.start >= a && p.end <= span.0)
                    .map(|p| p.end - a);
                let mut best = None;
                let mut from = after_prev.unwrap_or(0).min(upto);
                while let Some(n) = text.get(from..upto).and_then(super::title::event_name) {
                    let Some(i) = text[from..upto].find(n.as_str()).map(|i| i + from) else {
                        break;
                    };
                    from = i + n.len();
                    best = Some((n, i));
                }
                // a name after this date and before the next one of the sentence is the next
                // date's ("le Paris Peace Forum (11 novembre) et le sommet des GovTech (12 novembre)")
                let next_date = sg
                    .dates
                    .get(di + 1)
                    .filter(|n| n.start >= span.1 && n.end <= b)
                    .map(|n| n.start - a);
                best.or_else(|| {
                    if after_prev.is_some() {
                        return None;
                    }
                    let n = super::title::event_name(text)?;
                    let i = text.find(n.as_str())?;
                    if i >= upto && next_date.is_some_and(|nd| i < nd) {
                        return None;
                    }
                    Some((n, i))
                })
                .map(|(n, i)| {
                    let l = n.len();
                    (n, a + i, a + i + l)
                })
            };
            cands.push(Cand {
                name,
                stand,
                seg: si,

                res,
                cues: c,
                time,
                place,
                online,
                online_ev: oev.map(|f| (f.start, f.end)),
                span,
                listed: d.listed || d.entry || labelled_date(&sg.norm.text, d.start),
                address: place::street_address(sg.text(a, b))
                    .map(|f| {
                        let ev = sg.evidence("address", a + f.start, a + f.end);
                        (f.text, ev)
                    })
                    .or_else(|| {
                        let (_, ev) = far_place.as_ref()?;
                        let f = place::street_address(&ev.text)?;
                        Some((
                            f.text,
                            Evidence {
                                field: "address",
                                ..ev.clone()
                            },
                        ))
                    }),
                far_place,
                far_time,
            });
        }
    }

    // 2. deadlines
    for c in &cands {
        if c.cues.deadline || (c.cues.call && c.res.shape == Shape::Range && !c.cues.event) {
            let sg = &segs[c.seg];
            out.deadlines.push(Deadline {
                date: c.res.last(),
                line: sg.line(c.span.0),
                text: sg.text(c.span.0, c.span.1).to_string(),
            });
        }
    }
    out.deadlines.sort_by_key(|d| (d.date, d.line));
    out.deadlines.dedup_by_key(|d| d.date);

    // 3. the main event of an agenda page, from the front matter when sane
    let mut main: Option<MainDates> = None;
    if let Some(fs) = &doc.front.event_start {
        let start = fm_date(fs);
        let end = doc.front.event_end.as_ref().and_then(fm_date);
        match start {
            Some((sd, st)) if sane_year(sd, published) => {
                let (ed, et) = match end {
                    Some((ed, et)) if ed >= sd && (ed - sd).get_days() <= 60 => (ed, et),
                    _ => (sd, None),
                };
                main = Some((sd, ed, st, et, fs.line));
            }
            _ => out.warnings.push(Warning {
                line: Some(fs.line),
                message: format!(
                    "front matter event date « {} » is not plausible: the text is used",
                    fs.raw
                ),
            }),
        }
    } else if let Some((ed, et)) = doc.front.event_end.as_ref().and_then(fm_date) {
        // Hugo `date` + `date_end` in a folder not known as an agenda: the page's date is
        // the event's first day
        if ed >= published && (ed - published).get_days() <= 60 {
            let line = doc.front.event_end.as_ref().map(|f| f.line).unwrap_or(1);
            main = Some((published, ed, None, et, line));
        }
    }
    // The text wins over a front matter date it contradicts (same day and month, another year).
    if let Some((sd, ed, _, _, line)) = main {
        let text_days: Vec<Date> = cands
            .iter()
            .filter(|c| !c.cues.deadline)
            .map(|c| c.res.first())
            .collect();
        // only a year the text writes can contradict the front matter's
        let stated_days: Vec<Date> = cands
            .iter()
            .filter(|c| !c.cues.deadline && c.res.year_stated)
            .map(|c| c.res.first())
            .collect();
        if !text_days.contains(&sd) {
            if let Some(&other) = stated_days.iter().find(|d| {
                d.month() == sd.month()
                    && d.day() == sd.day()
                    && d.year() != sd.year()
                    && **d >= published
            }) {
                out.warnings.push(Warning {
                    line: Some(line),
                    message: format!(
                        "front matter says {sd} but the text says {other}: the text is used"
                    ),
                });
                let len = ed - sd;
                let ne = other.checked_add(len).unwrap_or(other);
                if let Some(m) = main.as_mut() {
                    m.0 = other;
                    m.1 = ne;
                }
            }
        }
    }

    // An event page's `date` is its event's unless the text dates the event otherwise. A
    // page whose keys give the event's hours or venue keeps them: a text date a few days
    // off corrects its day; a date far off is another event ("le prochain, le 25").
    if let (Some(m), true) = (main.as_mut(), doc.front.event_start_from_date) {
        if text_dates_event_elsewhere(&cands, m.0, published) {
            let keyed = doc.front.venue.is_some()
                || doc.front.event_start_time.is_some()
                || info_times(doc).is_some();
            match nearest_announced(&cands, m.0, published).filter(|_| keyed) {
                Some(day) => {
                    let len = m.1 - m.0;
                    m.0 = day;
                    m.1 = day.checked_add(len).unwrap_or(day);
                }
                None if keyed => {}
                None => main = None,
            }
        }
    }

    // 4. text events
    // days a service notice closes are not event days ("fermés le 9 juin ... les
    // rendez-vous prévus le 9 juin seront reportés")
    let notice_days: Vec<Date> = cands
        .iter()
        .filter(|c| c.cues.notice)
        .map(|c| c.res.first())
        .collect();
    let mut events: Vec<Event> = Vec::new();
    let any_hour = segs.iter().any(|g| g.times.iter().any(|t| t.is_valid()));
    for c in &cands {
        if !c.cues.strong_event && notice_days.contains(&c.res.first()) {
            continue;
        }
        let first = c.res.first();
        let last = c.res.last();
        let sg = &segs[c.seg];
        let is_main = main.is_some_and(|m| m.0 == first);
        if c.cues.deadline || c.cues.period || c.cues.superseded {
            continue;
        }
        if c.cues.call && c.res.shape == Shape::Range && !c.cues.event {
            continue;
        }
        // weeks-long windows are periods, not happenings, unless the sentence names the
        // happening itself (an exhibition, a festival, a "Mois du ...")
        let long = (last - first).get_days() > if c.cues.long_event { 92 } else { 10 };
        if c.res.shape == Shape::Range && long && !is_main {
            continue;
        }
        // a day without its year, a few months before publication, is a past happening
        // (a happening months ahead is announced with its year): 60 days, 120 when its
        // sentence speaks of it in the past
        if !c.res.year_stated && first.year() > published.year() && !is_main {
            if let Ok(same) = Date::new(published.year(), first.month(), first.day()) {
                let window = if c.cues.past { 120 } else { 60 };
                if same < published && (published - same).get_days() <= window {
                    continue;
                }
            }
        }
        // a title dated on its publication day, with no hour anywhere in the page,
        // reports the day's news
        if sg.is_field("title") && first == published && c.time.is_none() && !is_main && !any_hour {
            continue;
        }
        if last < published && !(is_main) {
            continue;
        }
        if first < published && c.res.shape != Shape::Range && !is_main {
            continue;
        }
        // the publication day: an announced happening, or one given its hour
        let timed_today = c.time.is_some() && !c.cues.past;
        if first == published && (c.cues.past || !c.cues.event) && !is_main && !timed_today {
            continue;
        }
        let has_time = c.time.is_some() || c.far_time.is_some();
        let field_seg = sg.is_field("horaire") || sg.is_field("date");
        let eventish = c.cues.event
            || c.listed
            || has_time
            || is_main
            || field_seg
            || (is_agenda_page && main.is_none());
        if !eventish || (c.cues.milestone && !c.cues.event && !is_main) {
            continue;
        }
        if c.cues.past && !c.cues.event && c.res.year_stated && !is_main && !has_time {
            continue;
        }
        // days: a range, or runs of consecutive days of a list
        let mut runs: Vec<(Date, Date)> = Vec::new();
        match c.res.shape {
            Shape::Range => runs.push((first, last)),
            _ => {
                for &d in &c.res.days {
                    match runs.last_mut() {
                        Some(r) if r.1.checked_add(1.day()).ok() == Some(d) => r.1 = d,
                        _ => runs.push((d, d)),
                    }
                }
            }
        }
        // a headline "reporté au 12 mars" gives the new date, which is on
        let headline = sg.is_field("title");
        let status = if c.cues.cancelled {
            Status::Cancelled
        } else if c.cues.postponed && !headline {
            Status::Postponed
        } else {
            Status::Confirmed
        };
        for (s, e) in runs {
            if e < published && !is_main {
                continue;
            }
            let mut evidence = vec![sg.evidence("start", c.span.0, c.span.1)];
            if s != e {
                evidence.push(sg.evidence("end", c.span.0, c.span.1));
            }
            let (mut st, mut et) = (None, None);
            if let Some((a, b, x, y)) = c.time {
                st = to_time(a);
                et = b.and_then(to_time);
                evidence.push(sg.evidence("start_time", x, y));
                if et.is_some() {
                    evidence.push(sg.evidence("end_time", x, y));
                }
            } else if let Some((a, b, ev)) = &c.far_time {
                st = to_time(*a);
                et = b.and_then(to_time);
                if et.is_some() {
                    evidence.push(Evidence {
                        field: "end_time",
                        ..ev.clone()
                    });
                }
                evidence.push(ev.clone());
            }
            let mut online = c.online == Online::Only;
            let mut location = None;
            if let Some((p, a, b)) = &c.place {
                if !is_online_place(p) {
                    location = Some(p.clone());
                    evidence.push(sg.evidence("location", *a, *b));
                    // held at a place and broadcast too: not online-only
                    let broadcast = c.online_ev.is_some_and(|(x, y)| {
                        let w = super::lexicon::fold(sg.text(x, y));
                        ["retransmi", "direct", "diffus", "live", "youtube"]
                            .iter()
                            .any(|k| w.contains(k))
                    });
                    online = online && !(broadcast && *a >= c.span.1);
                }
            } else if let Some((p, ev)) = &c.far_place {
                if !is_online_place(p) {
                    location = Some(p.clone());
                    evidence.push(ev.clone());
                }
            }
            if let (true, Some((a, b))) = (online, c.online_ev) {
                evidence.push(sg.evidence("online", a, b));
            }
            let mut address = None;
            if let (Some((t, ev)), false) = (&c.address, online) {
                address = Some(t.clone());
                evidence.push(ev.clone());
            }
            let mut stand = None;
            if let Some((st_id, a, b)) = &c.stand {
                stand = Some(st_id.clone());
                evidence.push(sg.evidence("stand", *a, *b));
            }
            let mut title = doc.title.clone();
            if let Some((n, a, b)) = &c.name {
                title = n.clone();
                evidence.push(sg.evidence("title", *a, *b));
            }
            let confidence: f32 = 0.4
                + if c.cues.event { 0.2 } else { 0.0 }
                + if st.is_some() { 0.15 } else { 0.0 }
                + if location.is_some() || online {
                    0.15
                } else {
                    0.0
                }
                + if is_main { 0.1 } else { 0.0 };
            events.push(Event {
                title,
                start: s,
                end: e,
                start_time: st,
                end_time: et,
                tz: place::DEFAULT_ZONE.to_string(),
                location,
                address,
                stand,
                online,
                status,
                // held in a place and online too: in person, and said so
                description: (c.online == Online::Hybrid).then(|| "Aussi en ligne.".to_string()),
                origin: Origin::Text,
                evidence,
                confidence: confidence.min(1.0),
            });
        }
    }

    // 5. the front matter main event
    if let Some((sd, ed, st, et, line)) = main {
        let mut ev = Event {
            title: doc.title.clone(),
            start: sd,
            end: ed,
            start_time: None,
            end_time: None,
            tz: place::DEFAULT_ZONE.to_string(),
            location: None,
            address: None,
            stand: None,
            online: false,
            status: Status::Confirmed,
            description: None,
            origin: Origin::FrontMatter,
            evidence: vec![Evidence {
                field: "start",
                line,
                text: doc
                    .front
                    .event_start
                    .as_ref()
                    .map(|f| f.raw.clone())
                    .unwrap_or_else(|| format!("date: {published}")),
            }],
            confidence: 0.8,
        };
        if let Some((a, b, l, text)) = info_times(doc) {
            ev.start_time = to_time(a);
            ev.end_time = b.and_then(to_time);
            ev.evidence.push(Evidence {
                field: "start_time",
                line: l,
                text,
            });
        } else if let Some(t) = events
            .iter()
            .find(|e| e.start == sd && e.start_time.is_some())
        {
            ev.start_time = t.start_time;
            ev.end_time = t.end_time;
        } else {
            ev.start_time = st;
            ev.end_time = et.filter(|_| st.is_some());
        }
        if let (Some(s), None, Some((e, _))) =
            (ev.start_time, ev.end_time, doc.front.event_end_time)
        {
            ev.end_time = Some(e).filter(|e| *e > s);
        }
        if ev.end_time.is_none() {
            if let (Some(_), Some(e)) = (ev.start_time, et) {
                if Some(e) > ev.start_time {
                    ev.end_time = Some(e);
                }
            }
        }
        if doc.front.online == Some(true) {
            ev.online = true;
        }
        if let Some((loc, online, l, raw)) = lieu_location(doc) {
            if online {
                ev.online = true;
            } else if let Some(loc) = loc {
                ev.location = Some(loc);
                ev.evidence.push(Evidence {
                    field: "location",
                    line: l,
                    text: raw,
                });
            }
        }
        if let Some((addr, l)) = &doc.front.address {
            let a = addr.split_whitespace().collect::<Vec<_>>().join(" ");
            if !a.is_empty() {
                ev.address = Some(a.clone());
                ev.evidence.push(Evidence {
                    field: "address",
                    line: *l,
                    text: a,
                });
            }
        }
        // merge what the text says of the same days
        let mut rest = Vec::new();
        for e in events.drain(..) {
            // a differently named happening of other days that starts the same day is its own
            // ("le sommet des GovTech (12 novembre)" on the page of a 12-14 November forum)
            let named_other = e.end < ev.end
                && e.evidence.iter().any(|x| x.field == "title")
                && super::lexicon::fold(&e.title) != super::lexicon::fold(&ev.title);
            if e.start == ev.start && !named_other {
                // a page dated by its first day only: the text gives the last ("date:
                // 2025-05-17" and "les 17 et 18 mai 2025")
                if ev.end == ev.start && e.end > ev.end && doc.front.event_end.is_none() {
                    ev.end = e.end;
                }
                if ev.location.is_none() && !ev.online {
                    ev.location = e.location.clone();
                }
                // the text may complete the front matter venue with its town
                if let (Some(fm), Some(tx)) = (&ev.location, &e.location) {
                    let (f, t) = (super::lexicon::fold(fm), super::lexicon::fold(tx));
                    if t.len() > f.len() && t.starts_with(&f) {
                        ev.location = e.location.clone();
                    }
                }
                if !ev.online && ev.location.is_none() && e.online {
                    ev.online = true;
                }
                if ev.start_time.is_none() {
                    ev.start_time = e.start_time;
                    ev.end_time = e.end_time;
                }
                if e.status != Status::Confirmed {
                    ev.status = e.status;
                }
                if ev.stand.is_none() {
                    ev.stand = e.stand.clone();
                }
                if ev.address.is_none() {
                    ev.address = e.address.clone();
                }
                ev.evidence.extend(
                    e.evidence
                        .into_iter()
                        .filter(|x| x.field != "end" || e.end == ev.end),
                );
            } else {
                rest.push(e);
            }
        }
        if !ev.online && ev.location.is_none() {
            let (o, _) = place::online(&doc.title);
            if o == Online::Only {
                ev.online = true;
            }
        }
        rest.insert(0, ev);
        events = rest;
    }

    // An agenda page whose front matter date is unusable: its first event is the page's own.
    if main.is_none() && is_agenda_page {
        if let (Some(ev), Some((loc, online, l, raw))) = (events.first_mut(), lieu_location(doc)) {
            if online && ev.location.is_none() {
                ev.online = true;
            } else if let Some(loc) = loc {
                let keep_text = ev
                    .location
                    .as_ref()
                    .is_some_and(|t| t.split_whitespace().count() > 2);
                if !keep_text {
                    ev.location = Some(loc);
                    ev.evidence.push(Evidence {
                        field: "location",
                        line: l,
                        text: raw,
                    });
                }
            }
        }
    }

    // The document's first place given after a label ("Lieu : ...", "📍 ...").
    let labelled = if events.is_empty() {
        None
    } else {
        segs.iter().find_map(|sg| {
            place::find_labelled_place(&sg.seg.text).map(|f| (f.text, sg.seg.line_at(f.start)))
        })
    };
    // It serves the events that have no place.
    if let Some((text, line)) = labelled.clone() {
        for ev in events
            .iter_mut()
            .filter(|e| e.location.is_none() && !e.online)
        {
            ev.location = Some(text.clone());
            ev.evidence.push(Evidence {
                field: "location",
                line,
                text: text.clone(),
            });
        }
    }

    // A town said in the date's sentence ("revient à Genas ce dimanche") and a venue on a
    // labelled line ("📍 Lieu : Pôle de loisirs ..."): the venue, in that town.
    if let Some((venue, line)) = labelled {
        for ev in events.iter_mut().filter(|e| !e.online) {
            let Some(town) = ev.location.clone() else {
                continue;
            };
            if !super::communes::is_commune(&town) || fold_has(&venue, &town) {
                continue;
            }
            ev.location = Some(format!("{venue}, {town}"));
            ev.evidence.push(Evidence {
                field: "location",
                line,
                text: venue.clone(),
            });
        }
    }

    // 6. merge mentions of the same days, fold sessions into the event that holds them
    events = merge(events);

    undated_hours(&segs, &mut events);
    undated_place(&segs, &mut events);

    // Other dates of an online agenda page are online too, unless a place is given.
    if is_agenda_page && events.first().is_some_and(|e| e.online) {
        for ev in events.iter_mut().skip(1) {
            if ev.location.is_none() {
                ev.online = true;
            }
        }
    }

    // stand: the document's first stand goes to its first in-person event
    if let Some((stand, line, text)) = segs.iter().find_map(|sg| {
        place::find_stand(&sg.norm.text).map(|f| {
            (
                f.text.clone(),
                sg.line(f.start),
                sg.text(f.start, f.end).to_string(),
            )
        })
    }) {
        let any_stand = events.iter().any(|e| e.stand.is_some());
        if let Some(ev) = events
            .iter_mut()
            .find(|e| !e.online)
            .filter(|e| e.stand.is_none() && !any_stand)
        {
            ev.stand = Some(stand);
            ev.evidence.push(Evidence {
                field: "stand",
                line,
                text,
            });
        }
    }
    // an overseas document (its title, venue or address says where) gives its zone to
    // the events whose place does not say
    let doc_zone = [
        Some(doc.title.as_str()).filter(|_| !events.is_empty()),
        doc.front.venue.as_ref().map(|v| v.0.as_str()),
        doc.front.address.as_ref().map(|a| a.0.as_str()),
    ]
    .into_iter()
    .flatten()
    .map(place::zone_of)
    .find(|z| *z != place::DEFAULT_ZONE)
    .or_else(|| {
        // else the overseas UTC offset of its front matter event dates
        [&doc.front.event_start, &doc.front.event_end]
            .into_iter()
            .flatten()
            .find_map(offset_zone)
    });
    for ev in &mut events {
        if let Some(l) = &ev.location {
            ev.tz = place::zone_of(l).to_string();
        }
        if let (Some(z), true) = (doc_zone, ev.tz == place::DEFAULT_ZONE) {
            ev.tz = z.to_string();
        }
        if ev.online {
            ev.location = None;
        }
    }
    events.sort_by_key(|e| (e.start, e.end, e.start_time));
    out.events = events;
    out
}

/// The front matter venue as a location (`lieu`, with the town of `adresse`), whether it
/// says the event is online, its line and its raw text.
fn lieu_location(doc: &Document) -> Option<(Option<String>, bool, u32, String)> {
    let (lieu, l) = doc.front.venue.as_ref()?;
    let lieu = lieu.split_whitespace().collect::<Vec<_>>().join(" ");
    if lieu.is_empty() {
        return None;
    }
    if is_online_place(&lieu) {
        return Some((None, true, *l, lieu));
    }
    // "Direction ... de l'État (DINSIC), salle 2.115": the acronym is the usual name
    let mut loc = lieu.clone();
    if let (Some(i), Some(j)) = (lieu.find('('), lieu.find(')')) {
        let inner = &lieu[i + 1..j.max(i + 1)];
        if j > i && inner.len() >= 2 && inner.chars().all(|c| c.is_uppercase() || c == '-') {
            loc = format!("{}{}", inner, &lieu[j + 1..]);
        }
    }
    // the venue with its address, as the page gives them ("Quimper" and "Halle Saint-
    // François, 29000 Quimper" -> "Halle Saint-François, 29000 Quimper")
    if let Some((addr, _)) = &doc.front.address {
        let addr = addr.split_whitespace().collect::<Vec<_>>().join(" ");
        let (fl, fa) = (super::lexicon::fold(&loc), super::lexicon::fold(&addr));
        if fa.contains(&fl) {
            loc = addr;
        } else if !fl.contains(&fa) {
            loc = format!("{loc}, {addr}");
        }
    }
    Some((Some(loc), false, *l, lieu))
}

/// Hours said without a date ("chaque jour de 10h à 19h", "Ouverture des portes à 20h,
/// entrée libre") belong to the document's one event without hours: one range, else
/// one time, said in sentences that hold no date.
fn undated_hours(segs: &[Seg], events: &mut [Event]) {
    let claimed: Vec<Option<Time>> = events.iter().map(|e| e.start_time).collect();
    let mut hourless = events.iter_mut().filter(|e| e.start_time.is_none());
    let (Some(ev), None) = (hourless.next(), hourless.next()) else {
        return;
    };
    let mut ranges: Vec<(Clock, Option<Clock>, usize, usize, usize)> = Vec::new();
    let mut singles = ranges.clone();
    // (segment, byte) of the single hours written "dès 19h", "à partir de 19h"
    let mut from_hours: Vec<(usize, usize)> = Vec::new();
    for (si, sg) in segs.iter().enumerate() {
        for t in sg.times.iter().filter(|t| t.is_valid()) {
            let (s0, e0) = sg.sentence_of(t.first);
            if dates_between(sg, s0, e0) {
                continue;
            }
            let list = if t.end.is_some() {
                &mut ranges
            } else {
                &mut singles
            };
            if !list.iter().any(|r| (r.0, r.1) == (t.start, t.end)) {
                list.push((t.start, t.end, si, t.start_byte, t.end_byte));
                if t.from {
                    from_hours.push((si, t.start_byte));
                }
            }
        }
    }
    // several single hours: the one the happening starts at ("Dès 19 h, ...")
    let starts: Vec<_> = singles
        .iter()
        .filter(|s| from_hours.contains(&(s.2, s.3)))
        .copied()
        .collect();
    let one = match (&ranges[..], &singles[..], &starts[..]) {
        ([r], _, _) => *r,
        ([], [t], _) => *t,
        ([], _, [t]) => *t,
        _ => return,
    };
    let (a, b, si, x, y) = one;
    // hours another event of the document already has are that event's
    if claimed.contains(&to_time(a)) {
        return;
    }
    ev.start_time = to_time(a);
    ev.end_time = b.and_then(to_time);
    ev.evidence.push(segs[si].evidence("start_time", x, y));
}

/// The place said without a date ("Rendez-vous à la salle des fêtes de 12 à 16h.") is the
/// place of the document's one event without a place: one place, said in sentences that
/// hold no date but an hour or a meeting word.
fn undated_place(segs: &[Seg], events: &mut [Event]) {
    let mut placeless = events
        .iter_mut()
        .filter(|e| e.location.is_none() && !e.online);
    let (Some(ev), None) = (placeless.next(), placeless.next()) else {
        return;
    };
    let mut found: Vec<(String, Evidence)> = Vec::new();
    for sg in segs
        .iter()
        .filter(|g| matches!(g.seg.origin, SegmentOrigin::Body))
    {
        for &(a, b) in &sg.sentences {
            if dates_between(sg, a, b) {
                continue;
            }
            let timed = sg
                .times
                .iter()
                .any(|t| t.first >= a && t.first < b && t.is_valid());
            let meeting = sg.toks[a..b.min(sg.toks.len())]
                .iter()
                .any(|t| t.is_word("rendez") || t.is_word("retrouvera") || t.is_word("attend"));
            if !(timed || meeting) {
                continue;
            }
            let x = sg.toks.get(a).map(|t| t.start).unwrap_or(0);
            let y = sg.toks.get(b.saturating_sub(1)).map(|t| t.end).unwrap_or(0);
            for f in place::find_places(sg.text(x, y)) {
                if !found.iter().any(|(t, _)| *t == f.text) {
                    let ev = sg.evidence("location", x + f.start, x + f.end);
                    found.push((f.text, ev));
                }
            }
        }
    }
    if let [(text, evidence)] = &found[..] {
        ev.location = Some(text.clone());
        ev.evidence.push(evidence.clone());
    }
}

/// Does `text` hold `part`, accents and case aside?
fn fold_has(text: &str, part: &str) -> bool {
    super::lexicon::fold(text).contains(&super::lexicon::fold(part))
}

/// The day the text announces an event nearest to `day`, within a week of it.
fn nearest_announced(cands: &[Cand], day: Date, published: Date) -> Option<Date> {
    cands
        .iter()
        .filter(|c| c.cues.event && !c.cues.past && !c.cues.deadline && c.res.last() >= published)
        .map(|c| c.res.first())
        .filter(|d| (*d - day).get_days().abs() <= 7)
        .min_by_key(|d| (*d - day).get_days().abs())
}

/// Does the text announce its event on other days than `day`, and never on `day` itself?
fn text_dates_event_elsewhere(cands: &[Cand], day: Date, published: Date) -> bool {
    let announced = |c: &&Cand| {
        c.cues.event
            && !c.cues.past
            && !c.cues.deadline
            && !c.cues.period
            && c.res.last() >= published
    };
    let mut any_other = false;
    for c in cands.iter().filter(announced) {
        if c.res.first() <= day && day <= c.res.last() {
            return false;
        }
        any_other = true;
    }
    any_other
}

/// Start, end, start time, end time and line of the front matter's event dates.
type MainDates = (Date, Date, Option<Time>, Option<Time>, u32);

/// Helper to move a found span by an offset.
struct Found2;
impl Found2 {
    fn shift(f: place::Found, by: usize) -> place::Found {
        place::Found {
            text: f.text,
            start: f.start + by,
            end: f.end + by,
        }
    }
}

fn merge(events: Vec<Event>) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    let mut index: std::collections::HashMap<(Date, Date), usize> =
        std::collections::HashMap::new();
    for e in events {
        if let Some(o) = index.get(&(e.start, e.end)).and_then(|&i| out.get_mut(i)) {
            let holds = |a: Option<Time>, b: Option<Time>, t: Option<Time>| matches!((a, b, t), (Some(a), Some(b), Some(t)) if a <= t && t < b);
            if o.start_time.is_none() {
                o.start_time = e.start_time;
                o.end_time = e.end_time;
            } else if o.end_time.is_none() && e.start_time == o.start_time {
                o.end_time = e.end_time;
            } else if o.end_time.is_none() && holds(e.start_time, e.end_time, o.start_time) {
                // a session at 14h inside the day's 13h30-18h30: the day's hours
                o.start_time = e.start_time;
                o.end_time = e.end_time;
            }
            match (&o.location, &e.location) {
                (None, Some(_)) if !o.online => o.location = e.location.clone(),
                (Some(a), Some(b)) if b.len() > a.len() && b.contains(a.as_str()) => {
                    o.location = e.location.clone()
                }
                _ => {}
            }
            o.online |= e.online && o.location.is_none();
            if o.stand.is_none() {
                o.stand = e.stand.clone();
            }
            if o.status == Status::Confirmed {
                o.status = e.status;
            }
            o.confidence = o.confidence.max(e.confidence);
            for ev in e.evidence {
                if !o.evidence.iter().any(|x| x.field == ev.field) {
                    o.evidence.push(ev);
                }
            }
            continue;
        }
        index.insert((e.start, e.end), out.len());
        out.push(e);
    }
    // a session inside a multi-day event of the same document belongs to it
    let spans: Vec<(Date, Date)> = out
        .iter()
        .filter(|e| e.start != e.end)
        .map(|e| (e.start, e.end))
        .collect();
    // ... unless both are named and their names differ (two happenings of one sentence)
    let named: Vec<(Date, Date, String)> = out
        .iter()
        .filter(|e| e.start != e.end)
        .map(|e| (e.start, e.end, e.title.clone()))
        .collect();
    out.into_iter()
        .filter(|e| {
            !spans.iter().zip(&named).any(|(&(s, en), (_, _, t))| {
                s <= e.start
                    && e.end <= en
                    && (s, en) != (e.start, e.end)
                    && !(e.evidence.iter().any(|x| x.field == "title") && *t != e.title)
            })
        })
        .collect()
}
