//! A release body as HTML for `content:encoded` and Atom/JSON Feed content: Markdown rendered
//! with pulldown-cmark, kramdown attribute lists (`{: .class}`) removed, links and images made
//! absolute against the site's base URL, raw HTML kept as the source has it, then the whole
//! fragment passed through an allow-list sanitizer (`ammonia`): only harmless elements and
//! attributes remain, and links keep only http, https, mailto and tel URLs, so no
//! `javascript:` link, script or event handler reaches a feed reader, however it is spelled.

use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};
use regex::Regex;

use super::text::{absolute_url, clean, encode_url};

fn kramdown_ial() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // A whole line made of attribute lists ("{: .encadre}", "> {: .text-center}"),
    // or one trailing a span ("[texte](url){:target=\"blank\"}").
    RE.get_or_init(|| {
        Regex::new(r#"\{:[^}\n]*\}"#).unwrap_or_else(|_| unreachable!("constant pattern"))
    })
}

fn raw_html_attr() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"(?i)\b(href|src)\s*=\s*("([^"]*)"|'([^']*)')"#)
            .unwrap_or_else(|_| unreachable!("constant pattern"))
    })
}

/// Remove kramdown attribute lists; a line left empty (or holding only `>`) by that is dropped.
pub fn strip_kramdown(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    for line in body.lines() {
        if line.contains("{:") {
            let stripped = kramdown_ial().replace_all(line, "");
            let rest = stripped.trim().trim_start_matches('>').trim();
            if rest.is_empty() {
                continue;
            }
            out.push_str(&stripped);
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// Render a Markdown body to HTML with every link and image absolute.
/// `page` is the absolute URL of the page the body belongs to.
pub fn to_html(body: &str, base_url: &str, page: &str) -> String {
    let source = strip_kramdown(&clean(body));
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let parser = Parser::new_ext(&source, options).map(|event| match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: absolute(&dest_url, base_url, page),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: absolute(&dest_url, base_url, page),
            title,
            id,
        }),
        // Active markup (scripts, frames, event handlers) is shown as text, never run.
        Event::Html(raw) | Event::InlineHtml(raw) if is_active(&raw) => Event::Text(raw),
        Event::Html(raw) => Event::Html(absolute_in_html(&raw, base_url, page)),
        Event::InlineHtml(raw) => Event::InlineHtml(absolute_in_html(&raw, base_url, page)),
        other => other,
    });
    let mut out = String::with_capacity(source.len() + source.len() / 2);
    html::push_html(&mut out, parser);
    clean(&sanitizer().clean(&out).to_string())
}

/// The allow-list applied to every rendered body: ammonia's default elements and attributes,
/// URLs limited to safe schemes, links left without an added `rel`, relative URLs (already
/// made absolute above) kept as they are.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
            .link_rel(None)
            .url_relative(ammonia::UrlRelative::PassThrough);
        b
    })
}

fn active_html() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)<\s*/?\s*(script|iframe|object|embed|style|form|base|meta|link)\b|\bon[a-z]+\s*=|javascript:")
            .unwrap_or_else(|_| unreachable!("constant pattern"))
    })
}

/// Raw HTML that could run code or change the page in a reader.
fn is_active(raw: &str) -> bool {
    active_html().is_match(raw)
}

fn absolute<'a>(link: &str, base_url: &str, page: &str) -> CowStr<'a> {
    CowStr::from(encode_url(&absolute_url(link, base_url, page)))
}

/// `href="..."` and `src="..."` in raw HTML blocks, made absolute.
fn absolute_in_html<'a>(raw: &str, base_url: &str, page: &str) -> CowStr<'a> {
    let replaced = raw_html_attr().replace_all(raw, |c: &regex::Captures<'_>| {
        let name = c.get(1).map_or("href", |m| m.as_str());
        let (value, quote) = match (c.get(3), c.get(4)) {
            (Some(v), _) => (v.as_str(), '"'),
            (None, Some(v)) => (v.as_str(), '\''),
            _ => ("", '"'),
        };
        // Raw HTML values are already entity-escaped as written: only make them absolute.
        let abs = if value
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("javascript:")
        {
            String::from("#")
        } else {
            absolute_url(value, base_url, page)
        };
        format!("{name}={quote}{abs}{quote}")
    });
    CowStr::from(replaced.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://agenda.example.org";
    const PAGE: &str = "https://agenda.example.org/espace-presse/salon/";

    #[test]
    fn kramdown_lines_are_removed() {
        let html = to_html(
            "Texte\n{: .encadre role=\"presentation\" }\n\n> Cité\n> {: .text-center}\n",
            BASE,
            PAGE,
        );
        assert!(!html.contains("{:"), "{html}");
        assert!(html.contains("<p>Texte</p>"), "{html}");
        assert!(html.contains("Cité"), "{html}");
    }

    #[test]
    fn trailing_attribute_lists_are_removed() {
        let html = to_html(
            "Le [Forum](https://forum.fr/){:target=\"blank\"} ouvre.",
            BASE,
            PAGE,
        );
        assert_eq!(
            html,
            "<p>Le <a href=\"https://forum.fr/\">Forum</a> ouvre.</p>\n"
        );
    }

    #[test]
    fn relative_links_and_images_become_absolute() {
        let html = to_html(
            "[Programme](/agenda/salon/) ![plan](/uploads/plan 1.png)\n\n<a href=\"/x\">x</a> <img src='/y.png'>",
            BASE,
            PAGE,
        );
        assert!(
            html.contains("href=\"https://agenda.example.org/agenda/salon/\""),
            "{html}"
        );
        assert!(
            html.contains("src=\"https://agenda.example.org/uploads/plan%201.png\"")
                || html.contains("plan 1.png"),
            "{html}"
        );
        assert!(
            html.contains("href=\"https://agenda.example.org/x\""),
            "{html}"
        );
        // The sanitizer writes every attribute value in double quotes.
        assert!(
            html.contains("src=\"https://agenda.example.org/y.png\""),
            "{html}"
        );
    }

    #[test]
    fn scripts_are_shown_as_text() {
        let html = to_html(
            "Avant <script>alert(1)</script> après\n\n<div onclick=\"x()\">y</div>\n",
            BASE,
            PAGE,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<div onclick"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn javascript_links_are_removed_however_they_are_written() {
        let bad = Regex::new(r#"(?i)<[^>]*\b(href|src)\s*=\s*["']?\s*(javascript|vbscript|data)"#)
            .unwrap();
        for body in [
            "[clic](javascript:alert(1))",
            "[clic](JaVaScRiPt:alert(1))",
            "[clic](<javascript:alert(1)>)",
            "[clic][x]\n\n[x]: javascript:alert(1)",
            "<a href=\"jav&#x61;script:alert(1)\">clic</a>",
            "<a href=\"javascript&colon;alert(1)\">clic</a>",
            "<a href=\" javascript:alert(1)\">clic</a>",
            "[clic](vbscript:msgbox(1)) ![x](data:text/html,x)",
        ] {
            let html = to_html(body, BASE, PAGE);
            assert!(!bad.is_match(&html), "{body:?} -> {html}");
        }
    }

    #[test]
    fn event_handlers_split_over_lines_are_removed() {
        let html = to_html(
            "<div\nonclick=alert(1)//\nclass=x>texte</div>\n\n<svg/onload=alert(1)>\n<img src=x onerror=alert(1)>",
            BASE,
            PAGE,
        );
        let handler = Regex::new(r"(?i)<[a-z][^>]*\son[a-z]+\s*=").unwrap();
        assert!(!handler.is_match(&html), "{html}");
        assert!(!html.to_ascii_lowercase().contains("<svg"), "{html}");
    }

    #[test]
    fn forbidden_characters_never_reach_the_html() {
        let html = to_html("a\u{1}b\u{FFFF}", BASE, PAGE);
        assert_eq!(html, "<p>ab</p>\n");
    }
}
