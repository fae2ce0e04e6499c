//! Splitting a file into its front matter block and its Markdown body.

/// The language of a front matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Between `---` lines (Jekyll, Hugo, Decap CMS...).
    Yaml,
    /// Between `+++` lines (Hugo).
    Toml,
}

/// Where the front matter and the body lie in a (LF-normalized) text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The front matter between the fence lines, without them; None when the file has none.
    pub yaml: Option<&'a str>,
    /// The front matter's language.
    pub lang: Lang,
    /// 1-based file line of the first YAML line.
    pub yaml_line: u32,
    /// The Markdown body.
    pub body: &'a str,
    /// 1-based file line of the first body line.
    pub body_line: u32,
}

/// The front matter opening line has no closing `---`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unterminated {
    /// 1-based line of the opening `---`.
    pub line: u32,
}

fn fence(line: &str) -> Option<Lang> {
    match line.trim_end_matches([' ', '\t']) {
        "---" => Some(Lang::Yaml),
        "+++" => Some(Lang::Toml),
        _ => None,
    }
}

fn is_closing(line: &str, lang: Lang) -> bool {
    if !line.starts_with(['-', '.', '+']) {
        return false;
    }
    let t = line.trim_end_matches([' ', '\t']);
    match lang {
        Lang::Yaml => t == "---" || t == "...",
        Lang::Toml => t == "+++",
    }
}

/// Split `text` (LF line ends, no BOM). A front matter starts on the first line with `---`
/// and ends at the next line that is exactly `---` (or `...`); Hugo's TOML front matter
/// uses `+++` lines.
pub fn split(text: &str) -> Result<Split<'_>, Unterminated> {
    let first_end = text.find('\n').unwrap_or(text.len());
    let Some(lang) = fence(&text[..first_end]) else {
        return Ok(Split {
            yaml: None,
            lang: Lang::Yaml,
            yaml_line: 1,
            body: text,
            body_line: 1,
        });
    };
    let yaml_start = (first_end + 1).min(text.len());
    let mut pos = yaml_start;
    let mut line_no: u32 = 2;
    let bytes = text.as_bytes();
    while pos < text.len() {
        // A byte loop: front matter lines are short.
        let end = bytes[pos..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(text.len(), |i| pos + i);
        if is_closing(&text[pos..end], lang) {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                yaml: Some(&text[yaml_start..pos]),
                lang,
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line_no + 1,
            });
        }
        pos = end + 1;
        line_no += 1;
    }
    Err(Unterminated { line: 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let cases: &[(&str, Option<&str>, &str, u32)] = &[
            (
                "---\ntitle: a\n---\nbody\n",
                Some("title: a\n"),
                "body\n",
                4,
            ),
            ("---\n---\nbody", Some(""), "body", 3),
            ("---  \ntitle: a\n--- \n", Some("title: a\n"), "", 4),
            ("---\ntitle: a\n...\nbody", Some("title: a\n"), "body", 4),
            ("no front matter\n---\n", None, "no front matter\n---\n", 1),
            ("", None, "", 1),
            ("---\na: 1\n---", Some("a: 1\n"), "", 4),
            (
                "+++\ntitle = \"a\"\n+++\nbody",
                Some("title = \"a\"\n"),
                "body",
                4,
            ),
            ("+++\na = 1\n---\n+++\n", Some("a = 1\n---\n"), "", 5),
        ];
        for (text, yaml, body, body_line) in cases {
            let s = split(text).unwrap();
            assert_eq!(s.yaml, *yaml, "{text:?}");
            assert_eq!(s.body, *body, "{text:?}");
            assert_eq!(s.body_line, *body_line, "{text:?}");
        }
    }

    #[test]
    fn unterminated_front_matter_is_an_error() {
        assert_eq!(
            split("---\ntitle: a\nbody\n"),
            Err(Unterminated { line: 1 })
        );
        assert_eq!(split("---"), Err(Unterminated { line: 1 }));
        assert_eq!(split("+++\na = 1\n---\n"), Err(Unterminated { line: 1 }));
    }
}
