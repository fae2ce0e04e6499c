//! Splitting a file into its front matter block and its Markdown body.

/// The language of a front matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Between `---` lines (Jekyll, Hugo, Decap CMS...).
    Yaml,
    /// Between `+++` lines (Hugo).
    Toml,
    /// A JSON object opening the file (Hugo).
    Json,
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
        Lang::Json => false,
    }
}

/// Split `text` (LF line ends, no BOM). A front matter starts on the first line with `---`
/// and ends at the next line that is exactly `---` (or `...`); Hugo's TOML front matter
/// uses `+++` lines.
pub fn split(text: &str) -> Result<Split<'_>, Unterminated> {
    if text.starts_with('{') {
        return split_json(text);
    }
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

/// Hugo's JSON front matter: an object opening the file, up to its closing brace.
fn split_json(text: &str) -> Result<Split<'_>, Unterminated> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    let end = i + 1;
                    let rest = &text[end..];
                    // the rest of the closing line, then the body
                    let body_start = end + rest.find('\n').map_or(rest.len(), |n| n + 1);
                    let lines = u32::try_from(text[..body_start].matches('\n').count())
                        .unwrap_or(u32::MAX - 1);
                    return Ok(Split {
                        yaml: Some(&text[..end]),
                        lang: Lang::Json,
                        yaml_line: 1,
                        body: &text[body_start..],
                        body_line: lines + 1,
                    });
                }
            }
            _ => {}
        }
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
    fn json_front_matter() {
        let s = split("{\n  \"title\": \"a}b\",\n  \"date\": \"2024-01-02\"\n}\nbody\n").unwrap();
        assert_eq!(s.lang, Lang::Json);
        assert_eq!(
            s.yaml,
            Some("{\n  \"title\": \"a}b\",\n  \"date\": \"2024-01-02\"\n}")
        );
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 5);
        assert_eq!(split("{\"a\": 1"), Err(Unterminated { line: 1 }));
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
