//! Raw HTML inside Markdown: tags dropped, `<br>` and block ends become line breaks,
//! entities decoded, script/style/comment contents dropped.

/// One piece of the plain text read from an HTML fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text, with the byte offset in the fragment where it starts.
    Text(String, usize),
    /// A line break (`<br>`).
    Break,
    /// The end of a block element (`</p>`, `</div>`, `</li>`...): a new paragraph.
    Block,
}

const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "blockquote",
    "section",
    "article",
    "figure",
    "figcaption",
    "dd",
    "dt",
    "dl",
    "header",
    "footer",
    "aside",
    "details",
    "summary",
    "pre",
    "hr",
];

/// Marks an open comment in the carried state.
const COMMENT: &str = "!--";

/// Tags whose content is never text.
const SKIP_TAGS: &[&str] = &["script", "style", "iframe", "svg", "noscript", "template"];

fn tag_name(tag: &str) -> (bool, String) {
    // `tag` is what lies between '<' and '>'.
    let t = tag.trim_start();
    let closing = t.starts_with('/');
    let t = t.trim_start_matches('/');
    let name: String = t
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    (closing, name)
}

/// Read an HTML fragment into pieces. `in_skip` carries a skipped element's name across
/// fragments (pulldown-cmark gives HTML blocks line by line).
pub fn pieces(fragment: &str, in_skip: &mut Option<String>) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut text_start = 0usize;
    let bytes = fragment.as_bytes();
    let mut i = 0usize;
    if in_skip.as_deref() == Some(COMMENT) {
        match fragment.find("-->") {
            Some(j) => {
                i = j + 3;
                *in_skip = None;
            }
            None => return out,
        }
    }
    let flush = |text: &mut String, start: usize, out: &mut Vec<Piece>| {
        if !text.is_empty() {
            out.push(Piece::Text(decode_entities(text), start));
            text.clear();
        }
    };
    // Position of the next '>' at or after `i`, found once and reused, so that text full of
    // '<' stays linear.
    let mut next_gt: Option<usize> = fragment.find('>');
    while i < bytes.len() {
        if next_gt.is_some_and(|g| g < i) {
            next_gt = fragment[i..].find('>').map(|j| i + j);
        }
        if fragment[i..].starts_with("<!--") {
            flush(&mut text, text_start, &mut out);
            match fragment[i + 4..].find("-->") {
                Some(j) => i += 4 + j + 3,
                None => {
                    *in_skip = Some(COMMENT.to_string());
                    return out;
                }
            }
            text_start = i;
            continue;
        }
        if bytes[i] == b'<' {
            let next = bytes.get(i + 1).copied().unwrap_or(b' ');
            if next.is_ascii_alphabetic() || next == b'/' || next == b'!' || next == b'?' {
                if let Some(j) = next_gt.map(|g| g - i) {
                    let (closing, name) = tag_name(&fragment[i + 1..i + j]);
                    flush(&mut text, text_start, &mut out);
                    i += j + 1;
                    text_start = i;
                    if let Some(skip) = in_skip.as_deref() {
                        if closing && name == skip {
                            *in_skip = None;
                        }
                        continue;
                    }
                    let self_closing = fragment[..i].ends_with("/>");
                    if !closing && !self_closing && SKIP_TAGS.contains(&name.as_str()) {
                        *in_skip = Some(name);
                    } else if name == "br" {
                        out.push(Piece::Break);
                    } else if BLOCK_TAGS.contains(&name.as_str()) {
                        out.push(Piece::Block);
                    } else if (name == "td" || name == "th") && closing {
                        out.push(Piece::Text(" | ".to_string(), i));
                    }
                    continue;
                }
            }
        }
        let ch_len = fragment[i..].chars().next().map_or(1, char::len_utf8);
        if in_skip.is_none() {
            if text.is_empty() {
                text_start = i;
            }
            text.push_str(&fragment[i..i + ch_len]);
        }
        i += ch_len;
    }
    flush(&mut text, text_start, &mut out);
    out
}

/// Decode HTML character references (named ones common in French text, decimal, hex).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|e| e + 1);
        let decoded = match end {
            Some(e) if rest[e..].starts_with(';') => entity(&rest[1..e]).map(|c| (c, e + 1)),
            _ => None,
        };
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse::<u32>().ok()?
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "thinsp" => '\u{2009}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "rsquo" => '’',
        "lsquo" => '‘',
        "rdquo" => '”',
        "ldquo" => '“',
        "laquo" => '«',
        "raquo" => '»',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "euro" => '€',
        "deg" => '°',
        "middot" => '·',
        "bull" => '•',
        "copy" => '©',
        "reg" => '®',
        "eacute" => 'é',
        "Eacute" => 'É',
        "egrave" => 'è',
        "Egrave" => 'È',
        "ecirc" => 'ê',
        "Ecirc" => 'Ê',
        "euml" => 'ë',
        "agrave" => 'à',
        "Agrave" => 'À',
        "acirc" => 'â',
        "Acirc" => 'Â',
        "ccedil" => 'ç',
        "Ccedil" => 'Ç',
        "icirc" => 'î',
        "iuml" => 'ï',
        "ocirc" => 'ô',
        "Ocirc" => 'Ô',
        "ucirc" => 'û',
        "ugrave" => 'ù',
        "uuml" => 'ü',
        "oelig" => 'œ',
        "OElig" => 'Œ',
        "aelig" => 'æ',
        "ordm" => 'º',
        "ordf" => 'ª',
        "sup2" => '²',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(html: &str) -> String {
        let mut skip = None;
        pieces(html, &mut skip)
            .into_iter()
            .map(|p| match p {
                Piece::Text(t, _) => t,
                Piece::Break => "\n".to_string(),
                Piece::Block => "¶".to_string(),
            })
            .collect()
    }

    #[test]
    fn html_to_text() {
        let cases = [
            ("<br>", "\n"),
            ("a<br/>b<BR />c", "a\nb\nc"),
            ("<b>le 13 mars</b>", "le 13 mars"),
            ("<p>un</p><p>deux</p>", "¶un¶¶deux¶"),
            (
                "<img src=\"/uploads/2023-11-20.jpg\" alt=\"le 20 novembre\">x",
                "x",
            ),
            (
                "a &amp; b&nbsp;: l&rsquo;État &#233;t&#xE9;",
                "a & b\u{a0}: l’État été",
            ),
            ("<!-- 12 mars -->ok", "ok"),
            ("<script>var d = '12 mars';</script>ok", "ok"),
            ("x < 3 et 4 > 2", "x < 3 et 4 > 2"),
            ("&unknown; &", "&unknown; &"),
        ];
        for (html, want) in cases {
            assert_eq!(text_of(html), want, "{html}");
        }
    }

    #[test]
    fn text_full_of_angle_brackets_is_read_in_one_pass() {
        let text = "<a ".repeat(200_000) + ">x";
        let mut skip = None;
        assert_eq!(
            pieces(&text, &mut skip),
            vec![Piece::Text("x".into(), text.len() - 1)]
        );
        let text = "a<".repeat(200_000);
        assert_eq!(pieces(&text, &mut skip).len(), 1);
    }

    #[test]
    fn comment_spans_fragments() {
        let mut skip = None;
        assert_eq!(
            pieces("a<!-- le", &mut skip),
            vec![Piece::Text("a".into(), 0)]
        );
        assert!(pieces("12 mars", &mut skip).is_empty());
        assert_eq!(pieces("-->b", &mut skip), vec![Piece::Text("b".into(), 3)]);
        assert_eq!(skip, None);
    }

    #[test]
    fn skipped_element_spans_fragments() {
        let mut skip = None;
        assert!(pieces("<style>", &mut skip).is_empty());
        assert!(pieces("p { x: 1 }", &mut skip).is_empty());
        assert!(pieces("</style>", &mut skip).is_empty());
        assert_eq!(pieces("ok", &mut skip), vec![Piece::Text("ok".into(), 0)]);
    }
}
