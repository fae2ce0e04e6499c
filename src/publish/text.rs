//! Text helpers shared by the publishers: the one place where text is made safe for XML,
//! and URLs made absolute (slugs for file names are [`crate::slug`]'s).

/// Whether XML 1.0 allows this character in a document.
fn xml_allowed(c: char) -> bool {
    matches!(c,
        '\u{9}' | '\u{A}' | '\u{D}'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
        // C1 controls and noncharacters are legal but break strict readers.
        && !matches!(c, '\u{7F}'..='\u{9F}' | '\u{FDD0}'..='\u{FDEF}')
}

/// Remove every character XML 1.0 forbids (and C1 controls), and turn CR/CRLF into LF.
/// All text entering a feed goes through this function.
pub fn clean(s: &str) -> String {
    let s = s.replace("\r\n", "\n");
    s.chars()
        .map(|c| if c == '\r' { '\n' } else { c })
        .filter(|&c| xml_allowed(c))
        .collect()
}

/// [`clean`], then every run of whitespace (line breaks included) becomes one space; trimmed.
/// For titles and other one-line values.
pub fn one_line(s: &str) -> String {
    clean(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

pub use crate::slug::slugify;

/// Make a link absolute against the site's base URL (`https://host` or `https://host/prefix`,
/// without a trailing slash). Absolute URLs, `mailto:`, `tel:` and fragments are kept as they are;
/// `//host/...` takes the base's scheme; `/path` is joined to the base; other relative paths
/// are resolved against `page` (the absolute URL of the page holding the link).
pub fn absolute_url(link: &str, base_url: &str, page: &str) -> String {
    let link = link.trim();
    if link.is_empty() || link.starts_with('#') {
        return if link.is_empty() {
            page.to_string()
        } else {
            format!("{page}{link}")
        };
    }
    if has_scheme(link) {
        return link.to_string();
    }
    if let Some(rest) = link.strip_prefix("//") {
        let scheme = base_url.split("://").next().unwrap_or("https");
        return format!("{scheme}://{rest}");
    }
    if link.starts_with('/') {
        return format!("{}{}", origin(base_url), link);
    }
    // Relative to the page's folder.
    let dir = match page.rfind('/') {
        Some(i) if i + 1 > scheme_end(page) => &page[..=i],
        _ => page,
    };
    let mut joined = format!("{dir}{link}");
    if !joined.contains("://") {
        joined = format!("{}/{}", base_url.trim_end_matches('/'), link);
    }
    remove_dot_segments(&joined)
}

/// Resolve `.` and `..` path segments of an absolute URL (RFC 3986 5.2.4, simplified:
/// the query and fragment are kept as they are).
fn remove_dot_segments(url: &str) -> String {
    let o = origin(url);
    let rest = &url[o.len()..];
    let split = rest.find(['?', '#']).unwrap_or(rest.len());
    let (path, tail) = rest.split_at(split);
    if !path.split('/').any(|s| s == "." || s == "..") {
        return url.to_string();
    }
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {
                if i == last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("{o}/{}{tail}", out.join("/"))
}

/// `https://host` of a URL (without path).
pub fn origin(url: &str) -> &str {
    let start = scheme_end(url);
    match url[start..].find('/') {
        Some(i) => &url[..start + i],
        None => url,
    }
}

/// The host of an absolute URL (`agenda.example.org`), without port or user.
pub fn host(url: &str) -> &str {
    let o = origin(url);
    let h = &o[scheme_end(o)..];
    let h = h.rsplit('@').next().unwrap_or(h);
    h.split(':').next().unwrap_or(h)
}

fn scheme_end(url: &str) -> usize {
    url.find("://").map(|i| i + 3).unwrap_or(0)
}

fn has_scheme(link: &str) -> bool {
    match link.find(':') {
        Some(i) => {
            let scheme = &link[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Percent-encode what may not appear raw in a URL (spaces, quotes, angle brackets, controls,
/// non-ASCII); existing `%XX` escapes and reserved characters are kept.
pub fn encode_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_ascii_graphic()
            && !matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}')
        {
            out.push(c);
        } else if xml_allowed(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// Undo `%XX` escapes (for finding an attached file on disk); invalid escapes are kept.
pub fn decode_url_path(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let hex = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Escape text for HTML content (`&`, `<`, `>`, `"`, `'`), after [`clean`].
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in clean(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A media type from a file name's extension; `application/octet-stream` when unknown.
pub fn mime_type(path: &str) -> &'static str {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let ext = path
        .rsplit('/')
        .next()
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        "zip" => "application/zip",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "odp" => "application/vnd.oasis.opendocument.presentation",
        "csv" => "text/csv",
        "txt" => "text/plain",
        "ics" => "text/calendar",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_drops_what_xml_forbids() {
        assert_eq!(clean("a\u{0}b\u{1b}c\u{FFFE}d\r\ne\rf\u{85}"), "abcd\ne\nf");
        assert_eq!(clean("é < & ]]> \t"), "é < & ]]> \t");
    }

    #[test]
    fn one_line_collapses_whitespace() {
        assert_eq!(one_line("  Salon\n des\tmaires \u{7} "), "Salon des maires");
    }

    #[test]
    fn links_become_absolute() {
        let base = "https://agenda.example.org";
        let page = "https://agenda.example.org/agenda/salon/";
        assert_eq!(
            absolute_url("/uploads/a.pdf", base, page),
            "https://agenda.example.org/uploads/a.pdf"
        );
        assert_eq!(absolute_url("https://x.fr/y", base, page), "https://x.fr/y");
        assert_eq!(absolute_url("mailto:a@b.fr", base, page), "mailto:a@b.fr");
        assert_eq!(
            absolute_url("plan.png", base, page),
            "https://agenda.example.org/agenda/salon/plan.png"
        );
        assert_eq!(absolute_url("#top", base, page), format!("{page}#top"));
        assert_eq!(
            absolute_url("../autre/", base, page),
            "https://agenda.example.org/agenda/autre/"
        );
        assert_eq!(
            absolute_url("./a/../b.png?x=../y", base, page),
            "https://agenda.example.org/agenda/salon/b.png?x=../y"
        );
        assert_eq!(absolute_url("//cdn.fr/x", base, page), "https://cdn.fr/x");
        assert_eq!(
            absolute_url("/x", "https://h.fr/site", page),
            "https://h.fr/x"
        );
    }

    #[test]
    fn urls_are_encoded_once() {
        assert_eq!(
            encode_url("/uploads/CP BAN é.pdf"),
            "/uploads/CP%20BAN%20%C3%A9.pdf"
        );
        assert_eq!(encode_url("/uploads/CP%20BAN.pdf"), "/uploads/CP%20BAN.pdf");
        assert_eq!(
            decode_url_path("/uploads/CP%20BAN%C3%A9.pdf"),
            "/uploads/CP BANé.pdf"
        );
        assert_eq!(decode_url_path("100%"), "100%");
    }

    #[test]
    fn hosts() {
        assert_eq!(
            host("https://agenda.example.org:8080/x"),
            "agenda.example.org"
        );
        assert_eq!(host("https://h.fr"), "h.fr");
    }

    #[test]
    fn mime_types_by_extension() {
        assert_eq!(mime_type("/uploads/Dossier.PDF"), "application/pdf");
        assert_eq!(mime_type("/a/b"), "application/octet-stream");
    }
}
