//! `agenda.toml` -> validated [`Settings`].
//!
//! The file is optional: every key has a working default. Unknown keys and invalid values are
//! errors naming the key, so a typo never silently publishes with a default.
//!
//! ```toml
//! title = "Agenda du numérique public"
//! description = "Communiqués et rendez-vous"
//! base_url = "https://agenda.example.org"
//! language = "fr"
//! timezone = "Europe/Paris"
//! feed_size = 50                 # items in releases.* feeds
//! past_days = 365                # agenda.ics keeps events from today - past_days onward
//! calendar_name = "Agenda"       # X-WR-CALNAME (default: title)
//! calendar_description = "..."   # X-WR-CALDESC (default: description)
//! refresh_hours = 6              # REFRESH-INTERVAL / X-PUBLISHED-TTL
//! max_document_size = 5000000    # bytes; larger documents are skipped with an error
//!
//! [permalinks]                   # per collection; :collection, :slug, :year, :month, :day
//! communiques = "/espace-presse/:slug/"
//!
//! [publisher]
//! name = "Agence"
//! email = "presse@example.org"
//! url = "https://example.org"
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

/// The file as written: every key optional, unknown keys refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    timezone: Option<String>,
    permalinks: Option<BTreeMap<String, String>>,
    feed_size: Option<i64>,
    past_days: Option<i64>,
    calendar_name: Option<String>,
    calendar_description: Option<String>,
    refresh_hours: Option<i64>,
    max_document_size: Option<i64>,
    publisher: Option<RawPublisher>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPublisher {
    name: Option<String>,
    email: Option<String>,
    url: Option<String>,
}

/// Who publishes the feeds (Atom author, RSS managingEditor, JSON Feed authors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publisher {
    pub name: String,
    pub email: Option<String>,
    pub url: Option<String>,
}

/// Validated settings of one site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub title: String,
    pub description: String,
    /// Absolute http(s) URL without a trailing slash.
    pub base_url: String,
    /// Host of `base_url`: the domain of UIDs and tag: ids.
    pub domain: String,
    pub language: String,
    /// IANA zone name, known to jiff.
    pub timezone: String,
    /// Permalink pattern per collection; [`Settings::permalink`] falls back to `/:collection/:slug/`.
    pub permalinks: BTreeMap<String, String>,
    pub feed_size: usize,
    pub past_days: u32,
    pub calendar_name: String,
    pub calendar_description: String,
    pub refresh_hours: u32,
    pub max_document_size: u64,
    pub publisher: Publisher,
}

pub const DEFAULT_PERMALINK: &str = "/:collection/:slug/";

impl Default for Settings {
    fn default() -> Self {
        resolve(Raw::default()).unwrap_or_else(|_| unreachable!("the defaults are valid"))
    }
}

/// An invalid configuration: the message names the file and the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl Settings {
    /// Read `path` when given (it must exist), else `agenda.toml` when present, else defaults.
    pub fn load(path: Option<&Path>) -> Result<Settings, ConfigError> {
        match path {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .map_err(|e| ConfigError(format!("{}: cannot read: {e}", p.display())))?;
                Settings::parse(&text, &p.display().to_string())
            }
            None => {
                let p = Path::new("agenda.toml");
                if p.is_file() {
                    Settings::load(Some(p))
                } else {
                    Ok(Settings::default())
                }
            }
        }
    }

    /// Parse and validate the text of a configuration file; `name` labels errors.
    pub fn parse(text: &str, name: &str) -> Result<Settings, ConfigError> {
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let msg = e.message().trim().to_string();
            match e.span() {
                Some(span) => {
                    let start = span.start.min(text.len());
                    let line = text.as_bytes()[..start]
                        .iter()
                        .filter(|&&b| b == b'\n')
                        .count()
                        + 1;
                    match key_at(text, line) {
                        Some(key) if !msg.contains(&key) => {
                            ConfigError(format!("{name}:{line}: {key}: {msg}"))
                        }
                        _ => ConfigError(format!("{name}:{line}: {msg}")),
                    }
                }
                None => ConfigError(format!("{name}: {msg}")),
            }
        })?;
        resolve(raw).map_err(|e| ConfigError(format!("{name}: {e}")))
    }

    /// The absolute URL of a document's page from its collection's permalink pattern.
    pub fn permalink(
        &self,
        collection: &str,
        slug: &str,
        date: Option<jiff::civil::Date>,
    ) -> String {
        let pattern = self
            .permalinks
            .get(collection)
            .map(String::as_str)
            .unwrap_or(DEFAULT_PERMALINK);
        let (y, m, d) = match date {
            Some(d) => (
                format!("{:04}", d.year()),
                format!("{:02}", d.month()),
                format!("{:02}", d.day()),
            ),
            None => (String::new(), String::new(), String::new()),
        };
        let path = pattern
            .replace(":collection", collection)
            .replace(":slug", slug)
            .replace(":year", &y)
            .replace(":month", &m)
            .replace(":day", &d);
        // A collection-less document must not produce "//".
        let mut clean = String::with_capacity(path.len());
        for c in path.chars() {
            if c == '/' && clean.ends_with('/') {
                continue;
            }
            clean.push(c);
        }
        format!("{}{}", self.base_url, clean)
    }

    /// A tag: URI (RFC 4151) under the site's domain: `tag:<domain>,2024:<specific>`.
    pub fn tag_uri(&self, specific: &str) -> String {
        format!("tag:{},2024:{}", self.domain, specific)
    }

    /// The absolute URL of an output file (`releases.rss`, `tags/x.ics`).
    pub fn output_url(&self, rel: &str) -> String {
        format!("{}/{}", self.base_url, rel)
    }

    /// The ISO 8601 duration of the refresh hints ("PT6H").
    pub fn refresh(&self) -> String {
        format!("PT{}H", self.refresh_hours)
    }
}

/// The dotted key assigned on a 1-based line ("feed_size", "publisher.email"), for messages.
fn key_at(text: &str, line: usize) -> Option<String> {
    let mut table = String::new();
    for (i, l) in text.lines().enumerate() {
        let t = l.trim();
        if t.starts_with('[') && t.ends_with(']') {
            table = t.trim_matches(|c| c == '[' || c == ']').trim().to_string();
        }
        if i + 1 == line {
            let key = t.split_once('=')?.0.trim().trim_matches('"');
            if key.is_empty() {
                return None;
            }
            return Some(if table.is_empty() {
                key.to_string()
            } else {
                format!("{table}.{key}")
            });
        }
    }
    None
}

fn resolve(raw: Raw) -> Result<Settings, String> {
    let text = |key: &str, v: Option<String>, default: &str| -> Result<String, String> {
        match v {
            None => Ok(default.to_string()),
            Some(s) if s.trim().is_empty() => Err(format!("{key}: must not be empty")),
            Some(s) if s.chars().any(|c| c.is_control() && c != '\t') => Err(format!(
                "{key}: must be one line without control characters"
            )),
            Some(s) => Ok(s.trim().to_string()),
        }
    };
    let title = text("title", raw.title, "Agenda")?;
    let description = text(
        "description",
        raw.description,
        "Communiqués, actualités et événements",
    )?;
    let base_url = text("base_url", raw.base_url, "https://agenda.example.org")?;
    let base_url = base_url.trim_end_matches('/').to_string();
    let rest = base_url
        .strip_prefix("https://")
        .or_else(|| base_url.strip_prefix("http://"))
        .ok_or_else(|| {
            format!("base_url: {base_url:?} is not an absolute http:// or https:// URL")
        })?;
    if rest.is_empty()
        || rest.starts_with('/')
        || rest
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '?' | '#' | '"' | '<' | '>' | '\\'))
    {
        return Err(format!(
            "base_url: {base_url:?} is not a valid URL (expected https://host or https://host/path)"
        ));
    }
    let domain = crate::publish::text::host(&base_url).to_ascii_lowercase();
    if domain.is_empty() {
        return Err(format!("base_url: {base_url:?} has no host"));
    }

    let language = text("language", raw.language, "fr")?;
    if !language
        .split('-')
        .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return Err(format!(
            "language: {language:?} is not a language tag such as \"fr\" or \"fr-FR\""
        ));
    }
    let timezone = text("timezone", raw.timezone, "Europe/Paris")?;
    if jiff::tz::TimeZone::get(&timezone).is_err() {
        return Err(format!(
            "timezone: {timezone:?} is not a known IANA time zone (e.g. \"Europe/Paris\")"
        ));
    }

    let mut permalinks: BTreeMap<String, String> = [
        ("communiques", "/espace-presse/:slug/"),
        ("actualites", "/actualites/:slug/"),
        ("evenements", "/agenda/:slug/"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (collection, pattern) in raw.permalinks.unwrap_or_default() {
        let key = format!("permalinks.{collection}");
        if !pattern.starts_with('/') {
            return Err(format!("{key}: {pattern:?} must start with '/'"));
        }
        if !pattern.contains(":slug") {
            return Err(format!("{key}: {pattern:?} must contain :slug"));
        }
        if pattern.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '"' | '<' | '>')
        }) {
            return Err(format!(
                "{key}: {pattern:?} must be a URL path without spaces, '?' or '#'"
            ));
        }
        permalinks.insert(collection, pattern);
    }

    let int =
        |key: &str, v: Option<i64>, default: i64, min: i64, max: i64| -> Result<i64, String> {
            let n = v.unwrap_or(default);
            if n < min || n > max {
                Err(format!("{key}: {n} is out of range ({min} to {max})"))
            } else {
                Ok(n)
            }
        };
    let feed_size = int("feed_size", raw.feed_size, 50, 1, 100_000)? as usize;
    let past_days = int("past_days", raw.past_days, 365, 0, 36_500)? as u32;
    let refresh_hours = int("refresh_hours", raw.refresh_hours, 6, 1, 24 * 30)? as u32;
    let max_document_size = int(
        "max_document_size",
        raw.max_document_size,
        5_000_000,
        1_000,
        1_000_000_000,
    )? as u64;

    let calendar_name = text("calendar_name", raw.calendar_name, &title)?;
    let calendar_description = text(
        "calendar_description",
        raw.calendar_description,
        &description,
    )?;
    let p = raw.publisher.unwrap_or_default();
    let publisher = Publisher {
        name: text("publisher.name", p.name, &title)?,
        email: match p.email {
            None => None,
            Some(e) => {
                let e = e.trim().to_string();
                if !e.contains('@') || e.chars().any(|c| c.is_whitespace() || c.is_control()) {
                    return Err(format!("publisher.email: {e:?} is not an e-mail address"));
                }
                Some(e)
            }
        },
        url: match p.url {
            None => None,
            Some(u) => {
                let u = u.trim().to_string();
                if !(u.starts_with("https://") || u.starts_with("http://"))
                    || u.chars().any(|c| c.is_whitespace() || c.is_control())
                {
                    return Err(format!(
                        "publisher.url: {u:?} is not an absolute http(s) URL"
                    ));
                }
                Some(u)
            }
        },
    };

    Ok(Settings {
        title,
        description,
        base_url,
        domain,
        language,
        timezone,
        permalinks,
        feed_size,
        past_days,
        calendar_name,
        calendar_description,
        refresh_hours,
        max_document_size,
        publisher,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_without_a_file() {
        let s = Settings::parse("", "agenda.toml").unwrap();
        assert_eq!(s.language, "fr");
        assert_eq!(s.timezone, "Europe/Paris");
        assert_eq!(s.feed_size, 50);
        assert_eq!(s.past_days, 365);
        assert_eq!(
            s.permalink("communiques", "salon", None),
            "https://agenda.example.org/espace-presse/salon/"
        );
        assert_eq!(
            s.permalink("evenements", "salon", None),
            "https://agenda.example.org/agenda/salon/"
        );
        assert_eq!(
            s.permalink("blog", "x", None),
            "https://agenda.example.org/blog/x/"
        );
        assert_eq!(s.permalink("", "x", None), "https://agenda.example.org/x/");
    }

    #[test]
    fn unknown_keys_are_named() {
        let e = Settings::parse("titel = \"x\"\n", "agenda.toml").unwrap_err();
        assert!(e.0.contains("titel"), "{e}");
        assert!(e.0.starts_with("agenda.toml:1:"), "{e}");
    }

    #[test]
    fn invalid_values_are_named() {
        for (text, key) in [
            ("base_url = \"agenda.example.org\"", "base_url"),
            ("timezone = \"Europe/Pariss\"", "timezone"),
            ("feed_size = 0", "feed_size"),
            ("feed_size = \"50\"", "feed_size"),
            (
                "[permalinks]\nevenements = \"agenda/:slug/\"",
                "permalinks.evenements",
            ),
            ("[publisher]\nemail = \"nobody\"", "publisher.email"),
            ("language = \"fr FR\"", "language"),
        ] {
            let e = Settings::parse(text, "agenda.toml").unwrap_err();
            assert!(e.0.contains(key), "{text}: {e}");
        }
    }

    #[test]
    fn permalink_patterns_use_dates() {
        let s = Settings::parse(
            "base_url = \"https://h.fr/site/\"\n[permalinks]\nblog = \"/:year/:month/:slug/\"",
            "agenda.toml",
        )
        .unwrap();
        assert_eq!(
            s.permalink("blog", "x", Some(jiff::civil::date(2024, 3, 5))),
            "https://h.fr/site/2024/03/x/"
        );
        assert_eq!(s.domain, "h.fr");
    }
}
