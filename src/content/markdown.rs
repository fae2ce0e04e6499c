//! Markdown -> plain-text segments, one per paragraph, heading, list item, blockquote
//! paragraph or table row, each with a map back to file lines.
//!
//! Emphasis markers, link targets, images (their file names often hold dates), raw HTML tags,
//! kramdown attribute lists (`{: .text-center}`) and Liquid tags are dropped; link text,
//! code text and emoji are kept.

use std::borrow::Cow;
use std::sync::OnceLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;

use super::html::{self, Piece};
use super::{Segment, SegmentOrigin};

fn blank_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // kramdown attribute lists (`{: .x}`), heading ids and classes (`{#id}`, `{.x}`), and
    // Liquid tags / outputs or Hugo shortcodes, on one line.
    RE.get_or_init(|| {
        Regex::new(r"\{:[^}\n]*\}|\{[#.][A-Za-z][^}\n]*\}|\{%[^\n]*?%\}|\{\{[^\n]*?\}\}")
            .unwrap_or_else(|e| panic!("static regex: {e}"))
    })
}

fn md_image_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"!\[[^\]\n]*\]\([^)\n]*\)").unwrap_or_else(|e| panic!("static regex: {e}"))
    })
}

fn md_link_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\[([^\]\n]*)\]\([^)\n]*\)|\*\*|__")
            .unwrap_or_else(|e| panic!("static regex: {e}"))
    })
}

/// Markdown left as is inside HTML blocks: images dropped, links to their text, strong
/// markers dropped.
fn markdown_in_html(t: &str) -> String {
    if !t.contains(['[', '*', '_']) {
        return t.to_string();
    }
    let t = md_image_re().replace_all(t, "");
    md_link_re().replace_all(&t, "$1").into_owned()
}

fn url_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r#"(?i)\b(?:https?://|www\.)(?:www\.)?([a-z0-9][a-z0-9.-]*[a-z0-9])[^\s<>"'«»]*"#,
        )
        .unwrap_or_else(|e| panic!("static regex: {e}"))
    })
}

/// A web address in the text becomes its host name: paths and file names often hold dates
/// ("/2023/11/20/", "CP_2023-11-20.pdf") that are not the event's.
fn shorten_urls(t: &str) -> Cow<'_, str> {
    if !(t.contains("://") || t.contains("www.")) {
        return Cow::Borrowed(t);
    }
    url_re().replace_all(t, |c: &regex::Captures<'_>| {
        let whole = c.get(0).map_or("", |m| m.as_str());
        let host = c.get(1).map_or("", |m| m.as_str());
        // Keep sentence punctuation that followed the address.
        let tail: String = whole
            .chars()
            .rev()
            .take_while(|ch| matches!(ch, '.' | ',' | ';' | ':' | '!' | '?' | ')'))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("{host}{tail}")
    })
}

/// Drop the strong markers that CommonMark left as text ("**À propos **:" is strong for
/// kramdown), shifting the line map.
fn drop_stray_markers(text: &str, lines: &mut [(usize, u32)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut removed: Vec<usize> = Vec::new(); // source offsets of removed markers
    let mut rest = text;
    let mut at = 0;
    while let Some(i) = rest.find("**") {
        out.push_str(&rest[..i]);
        removed.push(at + i);
        at += i + 2;
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    for p in lines.iter_mut() {
        let before = removed.partition_point(|&r| r < p.0);
        p.0 = p.0.saturating_sub(2 * before);
    }
    out
}

/// Replace kramdown attribute lists and Liquid tags by spaces of the same byte length, so
/// that offsets into the result are offsets into the source.
pub fn blank_markup(src: &str) -> Cow<'_, str> {
    if !src.contains('{') {
        return Cow::Borrowed(src);
    }
    let mut out = String::new();
    let mut last = 0;
    for m in blank_re().find_iter(src) {
        if out.is_empty() {
            out.reserve(src.len());
        }
        out.push_str(&src[last..m.start()]);
        out.extend(std::iter::repeat_n(' ', m.len()));
        last = m.end();
    }
    if last == 0 {
        // No match (a match is never empty).
        return Cow::Borrowed(src);
    }
    out.push_str(&src[last..]);
    Cow::Owned(out)
}

/// Maps a byte offset of the Markdown source to a 1-based file line.
pub struct LineMap {
    /// Source offsets where a line starts, sorted; the first is 0.
    starts: Vec<usize>,
    /// The file line of each start; empty when lines follow each other from `first`.
    lines: Vec<u32>,
    first: u32,
}

impl LineMap {
    /// Lines of `src` numbered from `first_line`.
    pub fn of_text(src: &str, first_line: u32) -> LineMap {
        let mut starts = Vec::with_capacity(src.len() / 64 + 1);
        starts.push(0);
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        LineMap {
            starts,
            lines: Vec::new(),
            first: first_line,
        }
    }

    /// An explicit map (offsets sorted, first at 0).
    pub fn from_points(points: Vec<(usize, u32)>) -> LineMap {
        let first = points.first().map_or(1, |p| p.1);
        let mut starts = Vec::with_capacity(points.len() + 1);
        let mut lines = Vec::with_capacity(points.len() + 1);
        if points.first().map(|p| p.0) != Some(0) {
            starts.push(0);
            lines.push(first);
        }
        for (o, l) in points {
            starts.push(o);
            lines.push(l);
        }
        LineMap {
            starts,
            lines,
            first,
        }
    }

    /// The file line of the `i`-th start.
    fn line_of(&self, i: usize) -> u32 {
        if self.lines.is_empty() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            self.first.saturating_add(i)
        } else {
            self.lines.get(i).copied().unwrap_or(1)
        }
    }

    /// The line starts strictly inside `start..end`, with their file lines.
    fn starts_within(&self, start: usize, end: usize) -> impl Iterator<Item = (usize, u32)> + '_ {
        let a = self.starts.partition_point(|&o| o <= start);
        let b = self.starts.partition_point(|&o| o < end).max(a);
        (a..b).map(move |i| (self.starts[i], self.line_of(i)))
    }

    pub fn line(&self, offset: usize) -> u32 {
        let i = self.starts.partition_point(|&o| o <= offset);
        if i == 0 {
            1
        } else {
            self.line_of(i - 1)
        }
    }
}

struct Builder<'m> {
    origin: SegmentOrigin,
    map: &'m LineMap,
    text: String,
    lines: Vec<(usize, u32)>,
    out: Vec<Segment>,
}

impl Builder<'_> {
    /// Append `s`, which comes from source offset `src`; when `verbatim` (s is the source
    /// text itself) each source line inside it is mapped too. Runs of spaces collapse, and a
    /// line is marked at the first visible character that comes from it.
    fn push(&mut self, s: &str, src: usize, verbatim: bool) {
        if s.is_empty() {
            return;
        }
        let map = self.map;
        let mut line = map.line(src);
        let mut start = 0;
        if verbatim {
            for (o, l) in map.starts_within(src, src + s.len()) {
                let cut = o - src;
                if s.is_char_boundary(cut) {
                    self.push_chunk(&s[start..cut], line);
                    start = cut;
                    line = l;
                }
            }
        }
        self.push_chunk(&s[start..], line);
    }

    fn push_chunk(&mut self, s: &str, line: u32) {
        let s = if self.text.is_empty() || self.text.ends_with([' ', '\n']) {
            s.trim_start_matches(' ')
        } else {
            s
        };
        match s.find(|c: char| !c.is_whitespace()) {
            None => self.push_collapsed(s),
            Some(i) => {
                self.push_collapsed(&s[..i]);
                self.mark_line(line);
                self.push_collapsed(&s[i..]);
            }
        }
    }

    fn push_collapsed(&mut self, s: &str) {
        let doubled = s.contains("  ") || (s.starts_with(' ') && self.text.ends_with([' ', '\n']));
        if !doubled {
            self.text.push_str(s);
            return;
        }
        for c in s.chars() {
            if c == ' ' && (self.text.is_empty() || self.text.ends_with([' ', '\n'])) {
                continue;
            }
            self.text.push(c);
        }
    }

    fn mark_line(&mut self, line: u32) {
        if self.lines.last().map(|p| p.1) != Some(line) {
            match self.lines.last_mut() {
                Some(last) if last.0 == self.text.len() => last.1 = line,
                _ => self.lines.push((self.text.len(), line)),
            }
        }
    }

    fn space(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with(char::is_whitespace) {
            self.text.push(' ');
        }
    }

    fn newline(&mut self) {
        if !self.text.is_empty() {
            while self.text.ends_with([' ', '\t']) {
                self.text.pop();
            }
            self.text.push('\n');
        }
    }

    fn flush(&mut self) {
        if self.text.is_empty() {
            self.lines.clear();
            return;
        }
        if let Some(seg) = make_segment(self.origin.clone(), &self.text, &self.lines) {
            self.out.push(seg);
        }
        // The buffers are kept for the next segment.
        self.text.clear();
        self.lines.clear();
    }
}

/// Trim a segment's text and shift its line map accordingly; None when nothing is left.
pub(crate) fn make_segment(
    origin: SegmentOrigin,
    text: &str,
    lines: &[(usize, u32)],
) -> Option<Segment> {
    let cleaned;
    let shifted;
    let (text, lines) = if text.contains("**") {
        let mut l = lines.to_vec();
        cleaned = drop_stray_markers(text, &mut l);
        shifted = l;
        (cleaned.as_str(), shifted.as_slice())
    } else {
        (text, lines)
    };
    let start = text.len() - text.trim_start().len();
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    let end = start + trimmed.len();
    let mut out: Vec<(usize, u32)> = Vec::with_capacity(lines.len());
    for &(o, l) in lines {
        if o >= end {
            break;
        }
        let o = o.saturating_sub(start);
        match out.last_mut() {
            Some(last) if last.0 == o => last.1 = l,
            Some(last) if last.1 == l => {}
            _ => out.push((o, l)),
        }
    }
    if out.is_empty() {
        out.push((0, 1));
    }
    out[0].0 = 0;
    Some(Segment {
        origin,
        text: trimmed.to_string(),
        lines: out,
    })
}

/// Convert Markdown to plain-text segments. `map` gives the file line of a byte of `src`.
pub fn segments(src: &str, map: &LineMap, origin: SegmentOrigin) -> Vec<Segment> {
    let src = blank_markup(src);
    let mut b = Builder {
        origin,
        map,
        text: String::new(),
        lines: Vec::new(),
        out: Vec::new(),
    };
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_DEFINITION_LIST;
    let mut hidden = 0u32; // inside an image or struck-through text
    let mut in_html_block = false;
    let mut skip_tag: Option<String> = None;
    let mut cell_index = 0usize;
    for (event, range) in Parser::new_ext(&src, opts).into_offset_iter() {
        match event {
            Event::Start(tag) => match tag {
                Tag::Image { .. } | Tag::Strikethrough => hidden += 1,
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::Item
                | Tag::List(_)
                | Tag::BlockQuote(_)
                | Tag::CodeBlock(_)
                | Tag::TableHead
                | Tag::TableRow
                | Tag::FootnoteDefinition(_)
                | Tag::DefinitionList
                | Tag::DefinitionListTitle
                | Tag::DefinitionListDefinition => {
                    b.flush();
                    cell_index = 0;
                }
                Tag::HtmlBlock => {
                    b.flush();
                    in_html_block = true;
                }
                Tag::TableCell => {
                    if cell_index > 0 {
                        b.space();
                        b.text.push_str("| ");
                    }
                    cell_index += 1;
                }
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Image | TagEnd::Strikethrough => hidden = hidden.saturating_sub(1),
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::List(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::TableHead
                | TagEnd::TableRow
                | TagEnd::Table
                | TagEnd::FootnoteDefinition
                | TagEnd::DefinitionList
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition => {
                    b.flush();
                    // An inline <script> or <style> left open ends with its block.
                    skip_tag = None;
                }
                TagEnd::HtmlBlock => {
                    b.flush();
                    in_html_block = false;
                    skip_tag = None;
                }
                _ => {}
            },
            Event::Text(t) | Event::Code(t) if hidden == 0 && skip_tag.is_none() => {
                let verbatim = src.get(range.clone()) == Some(&*t);
                let short = shorten_urls(&t);
                b.push(
                    &short,
                    range.start,
                    verbatim && matches!(short, Cow::Borrowed(_)),
                );
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                for piece in html::pieces(&h, &mut skip_tag) {
                    match piece {
                        Piece::Text(t, off) => {
                            if hidden > 0 {
                                continue;
                            }
                            let t = if in_html_block {
                                markdown_in_html(&t)
                            } else {
                                t
                            };
                            let t = shorten_urls(&t).replace('\n', " ");
                            b.push(&t, range.start + off, false);
                        }
                        Piece::Break => b.newline(),
                        Piece::Block => b.flush(),
                    }
                }
            }
            Event::SoftBreak => b.space(),
            Event::HardBreak => b.newline(),
            Event::Rule => b.flush(),
            _ => {}
        }
    }
    b.flush();
    b.out
}

/// The plain text of a short Markdown string (title, chapeau): segments joined by blank lines.
pub fn plain(src: &str) -> String {
    let map = LineMap::of_text(src, 1);
    segments(src, &map, SegmentOrigin::Body)
        .into_iter()
        .map(|s| s.text)
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(md: &str) -> Vec<String> {
        let map = LineMap::of_text(md, 1);
        segments(md, &map, SegmentOrigin::Body)
            .into_iter()
            .map(|s| s.text)
            .collect()
    }

    #[test]
    fn markdown_to_text() {
        let cases: &[(&str, &[&str])] = &[
            ("le **13 mars 2025** à *14h*", &["le 13 mars 2025 à 14h"]),
            (
                "# Titre\n\nUn paragraphe\nsur deux lignes.",
                &["Titre", "Un paragraphe sur deux lignes."],
            ),
            (
                "voir [le programme](https://x.fr/2023-11-20.pdf \"titre\")",
                &["voir le programme"],
            ),
            (
                "![affiche du 12 mars](/uploads/2023-03-12-affiche.jpg)\n\nTexte",
                &["Texte"],
            ),
            ("avant ![](/uploads/12-mars.png) après", &["avant après"]),
            ("* un\n* deux\n  * trois", &["un", "deux", "trois"]),
            ("1. un\n\n2. deux", &["un", "deux"]),
            ("> citation\n>\n> seconde", &["citation", "seconde"]),
            (
                "Texte centré\n{: .text-center}\n\nSuite",
                &["Texte centré", "Suite"],
            ),
            ("[lien](https://x.fr){:target=\"_blank\"} ok", &["lien ok"]),
            (
                "**Quand ?** 13 juin\n<br>**Où ?** Paris",
                &["Quand ? 13 juin\nOù ? Paris"],
            ),
            ("a<br><br>b", &["a\n\nb"]),
            (
                "<div class=\"x\"><p>Le 12 mars</p><p>à Lille</p></div>",
                &["Le 12 mars", "à Lille"],
            ),
            (
                "<p>Voir [la page](https://x.fr) **ici**</p>",
                &["Voir la page ici"],
            ),
            (
                "| Date | Lieu |\n|---|---|\n| 12 mars | Lille |",
                &["Date | Lieu", "12 mars | Lille"],
            ),
            ("📅 Mercredi 10 mai", &["📅 Mercredi 10 mai"]),
            (
                "Voir https://www.x.gouv.fr/2023/11/20/cp.pdf, ou <https://y.fr/a-2024-01-02>.",
                &["Voir x.gouv.fr, ou y.fr."],
            ),
            ("[https://site.fr/agenda/2023-11-20](https://site.fr/agenda/2023-11-20)", &["site.fr"]),
            ("<p>sur www.youtube.com/live/2023-11-20 !</p>", &["sur youtube.com !"]),
            ("l’État&nbsp;: 9\u{a0}h", &["l’État\u{a0}: 9\u{a0}h"]),
            ("le ~~12~~ 14 mars", &["le 14 mars"]),
            ("{% include bouton.html %}\n\nTexte", &["Texte"]),
            ("## Le programme {#programme}\n\nTexte {.lead}", &["Le programme", "Texte"]),
            ("{{< figure src=\"/a/2023-11-20.jpg\" caption=\"le 20 novembre\" >}}\n\nTexte", &["Texte"]),
            ("Le forum[^1] a lieu à Lille.\n\n[^1]: Le 12 mars.", &["Le forum a lieu à Lille.", "Le 12 mars."]),
            ("Date\n: le 12 mars\n\nLieu\n: Lille", &["Date", "le 12 mars", "Lieu", "Lille"]),
            ("un {objet} et {#} restent", &["un {objet} et {#} restent"]),
            ("`code` et \\*échappé\\*", &["code et *échappé*"]),
            ("**À propos **: la DINUM", &["À propos : la DINUM"]),
            ("- **Dates à retenir :\n- le 3 mars", &["Dates à retenir :", "le 3 mars"]),
            (
                "<br>\n[![Bilan du 2nd semestre](/uploads/couv.jpg)](/uploads/bilan.pdf \"Bilan\")\n{: .text-center}",
                &[],
            ),
            ("<p>[![a](/i.png)](/x) [texte](/y)</p>", &["texte"]),
            ("", &[]),
            ("<!-- commentaire -->", &[]),
            ("Avant <style>p { le: 12 mars }</style> après\n\nSuite", &["Avant après", "Suite"]),
            ("Texte <script>\n\nSuite", &["Texte", "Suite"]),
            ("Avant\n\n<!-- brouillon :\nle 12 mars 2024\n-->\n\nAprès", &["Avant", "Après"]),
        ];
        for (md, want) in cases {
            assert_eq!(texts(md), *want, "{md:?}");
        }
    }

    #[test]
    fn segments_map_offsets_to_file_lines() {
        let md = "Intro\n\nLe salon se tient\ndu 21 au 23 novembre\n\n* à Paris\n";
        let map = LineMap::of_text(md, 10);
        let segs = segments(md, &map, SegmentOrigin::Body);
        assert_eq!(segs.len(), 3);
        assert_eq!(segs[0].line_at(0), 10);
        let s = &segs[1];
        assert_eq!(s.text, "Le salon se tient du 21 au 23 novembre");
        assert_eq!(s.line_at(0), 12);
        assert_eq!(s.line_at(s.text.find("du 21").unwrap()), 13);
        assert_eq!(segs[2].line_at(0), 15);
    }
}
