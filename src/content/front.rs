//! The one module that reads front matter: YAML with `serde_yaml` (and Hugo's TOML with
//! `toml`). Everything else sees [`Yaml`] values and [`KeyLines`], so that a move to another
//! YAML library stays a change to this file.

use serde_yaml::Value;

/// A YAML value, library-independent. Mapping keys keep their order.
#[derive(Debug, Clone, PartialEq)]
pub enum Yaml {
    Null,
    Bool(bool),
    /// A number as written (so that `2023` stays readable as text).
    Num(String),
    Str(String),
    Seq(Vec<Yaml>),
    Map(Vec<(String, Yaml)>),
}

impl Yaml {
    /// The value under `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Yaml> {
        match self {
            Yaml::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A scalar as text (strings, numbers, booleans); None for null, lists and maps.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Yaml::Str(s) | Yaml::Num(s) => Some(s.clone()),
            Yaml::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A short description of the value's kind, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Yaml::Null => "nothing",
            Yaml::Bool(_) => "a boolean",
            Yaml::Num(_) => "a number",
            Yaml::Str(_) => "a string",
            Yaml::Seq(_) => "a list",
            Yaml::Map(_) => "a mapping",
        }
    }
}

fn convert(v: Value) -> Yaml {
    match v {
        Value::Null => Yaml::Null,
        Value::Bool(b) => Yaml::Bool(b),
        Value::Number(n) => Yaml::Num(n.to_string()),
        Value::String(s) => Yaml::Str(s),
        Value::Sequence(s) => Yaml::Seq(s.into_iter().map(convert).collect()),
        Value::Mapping(m) => Yaml::Map(
            m.into_iter()
                .filter_map(|(k, v)| {
                    let key = match k {
                        Value::String(s) => s,
                        Value::Number(n) => n.to_string(),
                        Value::Bool(b) => b.to_string(),
                        _ => return None,
                    };
                    Some((key, convert(v)))
                })
                .collect(),
        ),
        Value::Tagged(t) => convert(t.value),
    }
}

/// [`Yaml`] is read straight from the parser's events: the same values and the same errors
/// as reading a `serde_yaml::Value` and converting it, without building the `Value` (its
/// hashed mappings) first.
mod direct {
    use std::collections::HashSet;
    use std::fmt;

    use serde::de::value::{EnumAccessDeserializer, MapAccessDeserializer, SeqAccessDeserializer};
    use serde::de::{self, Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};
    use serde_yaml::{Number, Value};

    use super::{convert, Yaml};

    impl<'de> Deserialize<'de> for Yaml {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Yaml, D::Error> {
            deserializer.deserialize_any(YamlVisitor)
        }
    }

    /// The same calls and messages as `serde_yaml::Value`'s visitor (no 128-bit integers).
    struct YamlVisitor;

    impl<'de> Visitor<'de> for YamlVisitor {
        type Value = Yaml;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any YAML value")
        }
        fn visit_bool<E: de::Error>(self, b: bool) -> Result<Yaml, E> {
            Ok(Yaml::Bool(b))
        }
        fn visit_i64<E: de::Error>(self, i: i64) -> Result<Yaml, E> {
            Ok(Yaml::Num(Number::from(i).to_string()))
        }
        fn visit_u64<E: de::Error>(self, u: u64) -> Result<Yaml, E> {
            Ok(Yaml::Num(Number::from(u).to_string()))
        }
        fn visit_f64<E: de::Error>(self, f: f64) -> Result<Yaml, E> {
            Ok(Yaml::Num(Number::from(f).to_string()))
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<Yaml, E> {
            Ok(Yaml::Str(s.to_owned()))
        }
        fn visit_string<E: de::Error>(self, s: String) -> Result<Yaml, E> {
            Ok(Yaml::Str(s))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Yaml, E> {
            Ok(Yaml::Null)
        }
        fn visit_none<E: de::Error>(self) -> Result<Yaml, E> {
            Ok(Yaml::Null)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Yaml, D::Error> {
            Yaml::deserialize(d)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Yaml, A::Error> {
            // As `Vec<Value>` is read: through a sequence deserializer.
            let items = Vec::<Yaml>::deserialize(SeqAccessDeserializer::new(seq))?;
            Ok(Yaml::Seq(items))
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Yaml, A::Error> {
            MapAccessDeserializer::new(map).deserialize_map(MappingVisitor)
        }
        fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Yaml, A::Error> {
            // A tagged value (`!tag x`), rare: read as serde_yaml reads it, tag dropped.
            let v = Value::deserialize(EnumAccessDeserializer::new(data))?;
            Ok(convert(v))
        }
    }

    /// A mapping key, compared as `serde_yaml::Value` keys are: strings apart (the common
    /// case, kept without a `Value`), anything else as a `Value`.
    #[derive(PartialEq, Eq, Hash)]
    enum Key {
        Str(String),
        Other(Value),
    }

    impl Key {
        /// The key's name in [`Yaml::Map`]; None for null, list, mapping and tagged keys.
        fn name(&self) -> Option<String> {
            match self {
                Key::Str(s) => Some(s.clone()),
                Key::Other(Value::Number(n)) => Some(n.to_string()),
                Key::Other(Value::Bool(b)) => Some(b.to_string()),
                Key::Other(_) => None,
            }
        }

        fn into_name(self) -> Option<String> {
            match self {
                Key::Str(s) => Some(s),
                other => other.name(),
            }
        }
    }

    impl fmt::Display for Key {
        /// serde_yaml's message for a key written twice.
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("duplicate entry ")?;
            match self {
                Key::Str(s) | Key::Other(Value::String(s)) => write!(f, "with key {s:?}"),
                Key::Other(Value::Null) => f.write_str("with null key"),
                Key::Other(Value::Bool(b)) => write!(f, "with key `{b}`"),
                Key::Other(Value::Number(n)) => write!(f, "with key {n}"),
                Key::Other(_) => f.write_str("in YAML map"),
            }
        }
    }

    impl<'de> Deserialize<'de> for Key {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
            deserializer.deserialize_any(KeyVisitor)
        }
    }

    struct KeyVisitor;

    impl<'de> Visitor<'de> for KeyVisitor {
        type Value = Key;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any YAML value")
        }
        fn visit_bool<E: de::Error>(self, b: bool) -> Result<Key, E> {
            Ok(Key::Other(Value::Bool(b)))
        }
        fn visit_i64<E: de::Error>(self, i: i64) -> Result<Key, E> {
            Ok(Key::Other(Value::Number(i.into())))
        }
        fn visit_u64<E: de::Error>(self, u: u64) -> Result<Key, E> {
            Ok(Key::Other(Value::Number(u.into())))
        }
        fn visit_f64<E: de::Error>(self, f: f64) -> Result<Key, E> {
            Ok(Key::Other(Value::Number(f.into())))
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<Key, E> {
            Ok(Key::Str(s.to_owned()))
        }
        fn visit_string<E: de::Error>(self, s: String) -> Result<Key, E> {
            Ok(Key::Str(s))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Key, E> {
            Ok(Key::Other(Value::Null))
        }
        fn visit_none<E: de::Error>(self) -> Result<Key, E> {
            Ok(Key::Other(Value::Null))
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
            Key::deserialize(d)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Key, A::Error> {
            Value::deserialize(SeqAccessDeserializer::new(seq)).map(Key::Other)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Key, A::Error> {
            Value::deserialize(MapAccessDeserializer::new(map)).map(Key::Other)
        }
        fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Key, A::Error> {
            Value::deserialize(EnumAccessDeserializer::new(data)).map(Key::Other)
        }
    }

    /// The entries of a mapping being read, and its keys so far: looked up in the entries
    /// while the mapping is short, in a set once it is long (so that a hostile front matter
    /// with many keys stays linear).
    #[derive(Default)]
    struct Entries {
        entries: Vec<(String, Yaml)>,
        /// For each entry: its key was a string (not a number or a boolean of that name).
        from_str: Vec<bool>,
        /// Keys that are not strings.
        others: Vec<Value>,
        set: Option<HashSet<Key>>,
    }

    impl Entries {
        const FEW: usize = 32;

        fn contains(&self, k: &Key) -> bool {
            if let Some(set) = &self.set {
                return set.contains(k);
            }
            match k {
                Key::Str(s) => self
                    .entries
                    .iter()
                    .zip(&self.from_str)
                    .any(|((name, _), &from_str)| from_str && name == s),
                Key::Other(v) => self.others.contains(v),
            }
        }

        fn push(&mut self, k: Key, value: Yaml) {
            if self.set.is_none() && self.entries.len() + self.others.len() >= Self::FEW {
                let strings = self.entries.iter().zip(&self.from_str);
                let mut set: HashSet<Key> = strings
                    .filter(|(_, &from_str)| from_str)
                    .map(|((name, _), _)| Key::Str(name.clone()))
                    .collect();
                set.extend(self.others.drain(..).map(Key::Other));
                self.set = Some(set);
            }
            let from_str = matches!(k, Key::Str(_));
            let name = match &mut self.set {
                Some(set) => {
                    let name = k.name();
                    set.insert(k);
                    name
                }
                None => {
                    if let Key::Other(v) = &k {
                        self.others.push(v.clone());
                    }
                    k.into_name()
                }
            };
            if let Some(name) = name {
                self.entries.push((name, value));
                self.from_str.push(from_str);
            }
        }
    }

    /// As `serde_yaml::Mapping` is read: a key written twice is an error, raised before its
    /// value is read.
    struct MappingVisitor;

    impl<'de> Visitor<'de> for MappingVisitor {
        type Value = Yaml;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a YAML mapping")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Yaml, E> {
            Ok(Yaml::Map(Vec::new()))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut data: A) -> Result<Yaml, A::Error> {
            let mut entries = Entries::default();
            while let Some(key) = data.next_key::<Key>()? {
                if entries.contains(&key) {
                    return Err(de::Error::custom(key));
                }
                let value: Yaml = data.next_value()?;
                entries.push(key, value);
            }
            Ok(Yaml::Map(entries.entries))
        }
    }
}

/// A front matter that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontError {
    /// 1-based file line, when known.
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

/// Parse the YAML of a front matter whose first line is file line `first_line`.
/// The front matter must be a mapping (or empty).
pub fn parse(yaml: &str, first_line: u32) -> Result<Yaml, FrontError> {
    if yaml.trim().is_empty() {
        return Ok(Yaml::Map(Vec::new()));
    }
    let value: Yaml = serde_yaml::from_str(yaml).map_err(|e| {
        // The file line from the byte index (libyaml also counts U+2028 and U+2029 as
        // line breaks, the file's editors mostly do not).
        let (line, column) = match e.location() {
            Some(loc) => {
                let (l, c) = line_col(yaml, loc.index());
                (Some(first_line.saturating_add(l)), Some(c))
            }
            None => (None, None),
        };
        let msg = e.to_string();
        let (line, column) = match duplicate_line(yaml, &msg, first_line) {
            Some(l) => (Some(l), Some(1)),
            None => match quote_start(&msg) {
                // An unclosed quote is found at the end: point at where it opens.
                Some((l, c)) => (
                    Some(clamp_line(
                        first_line.saturating_add(l).saturating_sub(1),
                        yaml,
                        first_line,
                    )),
                    Some(c),
                ),
                None => (line, column),
            },
        };
        let plain = strip_location(&msg);
        let hint = hint_for(&plain);
        FrontError {
            line,
            column,
            message: format!("invalid front matter: {plain}{hint}"),
        }
    })?;
    match value {
        Yaml::Null => Ok(Yaml::Map(Vec::new())),
        m @ Yaml::Map(_) => Ok(m),
        other => Err(FrontError {
            line: Some(first_line),
            column: None,
            message: format!(
                "invalid front matter: expected a mapping of keys to values, found {}",
                other.kind()
            ),
        }),
    }
}

/// 0-based line and 1-based column (in characters) of a byte index of `text`.
fn line_col(text: &str, index: usize) -> (u32, u32) {
    let mut at = index.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = u32::try_from(before.matches('\n').count()).unwrap_or(u32::MAX / 2);
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count());
    (line, u32::try_from(col + 1).unwrap_or(1))
}

/// A line reported by libyaml, kept within the front matter (up to its closing line).
fn clamp_line(line: u32, yaml: &str, first_line: u32) -> u32 {
    let last = first_line.saturating_add(u32::try_from(yaml.matches('\n').count()).unwrap_or(0));
    line.clamp(first_line, last)
}

/// The YAML line and column where an unclosed quoted string starts, from serde_yaml's
/// "..., while scanning a quoted scalar at line L column C".
fn quote_start(message: &str) -> Option<(u32, u32)> {
    let rest = message
        .split("while scanning a quoted scalar at line ")
        .nth(1)?;
    let (l, rest) = rest.split_once(" column ")?;
    let c: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((l.trim().parse().ok()?, c.parse().ok()?))
}

/// A hint for the YAML mistakes editors make most.
fn hint_for(message: &str) -> &'static str {
    if message.contains("mapping values are not allowed") {
        " (a value that contains \": \" must be put in quotes)"
    } else if message.contains("tab character") {
        " (indent with spaces, not tabs)"
    } else if message.contains("found character that cannot start any token") {
        " (indent with spaces, not tabs; put a value that starts with @, ` or % in quotes)"
    } else if message.contains("while scanning a quoted scalar") {
        " (a quote is not closed)"
    } else if message.contains("did not find expected key")
        || message.contains("did not find expected '-' indicator")
    {
        " (check the indentation of this line and the one before)"
    } else {
        ""
    }
}

/// Like [`parse`], but a key written twice at the top level keeps its last value, as
/// Jekyll (Ruby's YAML) does; each repeated key is returned as a warning.
pub fn parse_lenient(yaml: &str, first_line: u32) -> Result<(Yaml, Vec<FrontError>), FrontError> {
    let mut warnings = Vec::new();
    let mut text = std::borrow::Cow::Borrowed(yaml);
    loop {
        match parse(&text, first_line) {
            Ok(v) => return Ok((v, warnings)),
            Err(e) => {
                let Some(key) = e
                    .message
                    .split("duplicate entry with key \"")
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                    .map(str::to_string)
                else {
                    return Err(e);
                };
                let Some(cleaned) = drop_earlier_blocks(&text, &key) else {
                    return Err(e);
                };
                if warnings.len() > 64 {
                    return Err(e);
                }
                warnings.push(FrontError {
                    line: e.line,
                    column: None,
                    message: format!(
                        "`{key}` is written twice in the front matter; the last value is used"
                    ),
                });
                text = std::borrow::Cow::Owned(cleaned);
            }
        }
    }
}

/// Blank every top-level block of `key` but the last (lines kept, so line numbers hold).
fn drop_earlier_blocks(yaml: &str, key: &str) -> Option<String> {
    let lines: Vec<&str> = yaml.split('\n').collect();
    let mut starts = Vec::new();
    let mut block_of: Vec<Option<usize>> = vec![None; lines.len()];
    let mut current: Option<usize> = None;
    for (i, l) in lines.iter().enumerate() {
        if indent(l) == 0 && !l.starts_with('-') && !l.starts_with('#') {
            if let Some(k) = key_of(l) {
                current = if k == key {
                    starts.push(i);
                    Some(starts.len() - 1)
                } else {
                    None
                };
            }
        }
        block_of[i] = current;
    }
    if starts.len() < 2 {
        return None;
    }
    let last = starts.len() - 1;
    let out: Vec<&str> = lines
        .iter()
        .zip(&block_of)
        .map(|(l, b)| match b {
            Some(n) if *n != last => "",
            _ => l,
        })
        .collect();
    Some(out.join("\n"))
}

fn convert_toml(v: toml::Value) -> Yaml {
    match v {
        toml::Value::String(s) => Yaml::Str(s),
        toml::Value::Integer(i) => Yaml::Num(i.to_string()),
        toml::Value::Float(f) => Yaml::Num(f.to_string()),
        toml::Value::Boolean(b) => Yaml::Bool(b),
        toml::Value::Datetime(d) => Yaml::Str(d.to_string()),
        toml::Value::Array(a) => Yaml::Seq(a.into_iter().map(convert_toml).collect()),
        toml::Value::Table(t) => {
            Yaml::Map(t.into_iter().map(|(k, v)| (k, convert_toml(v))).collect())
        }
    }
}

/// Parse a TOML front matter (Hugo's `+++` block) whose first line is file line `first_line`.
pub fn parse_toml(text: &str, first_line: u32) -> Result<Yaml, FrontError> {
    match text.parse::<toml::Table>() {
        Ok(t) => Ok(convert_toml(toml::Value::Table(t))),
        Err(e) => {
            let (line, column) = match e.span() {
                Some(span) => {
                    let before = &text[..span.start.min(text.len())];
                    let line = u32::try_from(before.matches('\n').count()).unwrap_or(0);
                    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count());
                    (Some(first_line + line), u32::try_from(col + 1).ok())
                }
                None => (None, None),
            };
            Err(FrontError {
                line,
                column,
                message: format!("invalid front matter (TOML): {}", e.message().trim()),
            })
        }
    }
}

fn convert_json(v: serde_json::Value) -> Yaml {
    use serde_json::Value as J;
    match v {
        J::Null => Yaml::Null,
        J::Bool(b) => Yaml::Bool(b),
        J::Number(n) => Yaml::Num(n.to_string()),
        J::String(s) => Yaml::Str(s),
        J::Array(a) => Yaml::Seq(a.into_iter().map(convert_json).collect()),
        J::Object(o) => Yaml::Map(o.into_iter().map(|(k, v)| (k, convert_json(v))).collect()),
    }
}

/// Parse Hugo's JSON front matter whose first line is file line `first_line`.
pub fn parse_json(text: &str, first_line: u32) -> Result<Yaml, FrontError> {
    serde_json::from_str::<serde_json::Value>(text)
        .map(convert_json)
        .map_err(|e| FrontError {
            line: u32::try_from(e.line())
                .ok()
                .map(|l| first_line + l.saturating_sub(1)),
            column: u32::try_from(e.column()).ok(),
            message: format!("invalid front matter (JSON): {e}"),
        })
}

/// What can still be read of a front matter that does not parse: every top-level
/// `key: value` (or TOML `key = value`) line whose value is a plain scalar, so that a typo
/// in one key does not lose the title, the date or the place written on the other lines.
pub fn salvage(text: &str) -> Yaml {
    let mut map: Vec<(String, Yaml)> = Vec::new();
    for line in text.lines() {
        if line.starts_with([' ', '\t', '-', '#']) {
            continue;
        }
        let Some(key) = key_of(line) else { continue };
        let Some(at) = line.find([':', '=']) else {
            continue;
        };
        let value = line[at + 1..].trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value);
        if value.is_empty() || value.starts_with(['[', '{', '|', '>', '&', '*']) {
            continue;
        }
        if !map.iter().any(|(k, _)| k == key) {
            map.push((key.trim().to_string(), Yaml::Str(value.to_string())));
        }
    }
    Yaml::Map(map)
}

/// serde_yaml ends its messages with " at line L column C"; the caller prints file lines.
fn strip_location(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let after = &after[digits..];
        rest = match after.strip_prefix(" column ") {
            Some(a) => a.trim_start_matches(|c: char| c.is_ascii_digit()),
            None => after,
        };
    }
    out.push_str(rest);
    out
}

/// serde_yaml points a duplicate key error at the mapping; point it at the second key.
fn duplicate_line(yaml: &str, msg: &str, first_line: u32) -> Option<u32> {
    let key = msg
        .split("duplicate entry with key \"")
        .nth(1)?
        .split('"')
        .next()?;
    let mut seen = 0;
    for (i, l) in yaml.lines().enumerate() {
        if indent(l) == 0 && key_of(l) == Some(key) {
            seen += 1;
            if seen == 2 {
                return Some(first_line + u32::try_from(i).ok()?);
            }
        }
    }
    None
}

/// Where keys are written in the front matter text: enough to quote a file line for a
/// field, a list item or a key inside a list item.
#[derive(Debug, Clone, Default)]
pub struct KeyLines<'a> {
    /// (line text, 1-based file line)
    lines: Vec<(&'a str, u32)>,
    /// Top-level keys: (key, index into `lines`).
    top: Vec<(&'a str, usize)>,
}

fn key_of(line: &str) -> Option<&str> {
    let t = line.trim_start();
    if t.starts_with('#') || t.is_empty() {
        return None;
    }
    let t = t.strip_prefix("- ").unwrap_or(t);
    let (k, rest) = if let Some(q) = t.strip_prefix('"') {
        let end = q.find('"')?;
        (&q[..end], &q[end + 1..])
    } else if let Some(q) = t.strip_prefix('\'') {
        let end = q.find('\'')?;
        (&q[..end], &q[end + 1..])
    } else {
        let end = t.find([':', '='])?;
        (t[..end].trim_end(), &t[end..])
    };
    let rest = rest.trim_start();
    if rest.starts_with('=') {
        // TOML: `key = value`
        return Some(k.trim());
    }
    let after = rest.strip_prefix(':')?;
    if !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    Some(k)
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

impl<'a> KeyLines<'a> {
    pub fn new(yaml: &'a str, first_line: u32) -> KeyLines<'a> {
        let mut lines = Vec::with_capacity(yaml.len() / 32 + 1);
        let mut top = Vec::new();
        // The lines of `str::lines`, found with a byte loop: front matter lines are short.
        let bytes = yaml.as_bytes();
        let mut start = 0;
        while start < bytes.len() {
            let end = bytes[start..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(bytes.len(), |p| start + p);
            let mut l = &yaml[start..end];
            if end < bytes.len() {
                l = l.strip_suffix('\r').unwrap_or(l);
            }
            start = end + 1;
            let i = lines.len();
            let n = first_line + u32::try_from(i).unwrap_or(u32::MAX - first_line);
            if indent(l) == 0 && !l.starts_with('-') {
                if let Some(k) = key_of(l) {
                    top.push((k, lines.len()));
                }
            }
            lines.push((l, n));
        }
        KeyLines { lines, top }
    }

    /// The file line of a top-level key.
    pub fn line(&self, key: &str) -> Option<u32> {
        self.top
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|&(_, i)| self.lines.get(i))
            .map(|l| l.1)
    }

    /// Index range (in `lines`) of a top-level key's block: its line up to the next key.
    fn block(&self, key: &str) -> Option<(usize, usize)> {
        let pos = self.top.iter().position(|(k, _)| *k == key)?;
        let start = self.top[pos].1;
        let end = self.top.get(pos + 1).map_or(self.lines.len(), |t| t.1);
        Some((start, end))
    }

    /// The text of a top-level key's block, its value lines, with their file lines.
    pub fn block_lines(&self, key: &str) -> &[(&'a str, u32)] {
        match self.block(key) {
            Some((s, e)) => &self.lines[s..e],
            None => &[],
        }
    }

    /// The lines of the value of the key written on file line `line` (nested or not): that
    /// line and the following ones indented deeper than the key, or blank.
    pub fn value_block(&self, line: u32) -> &[(&'a str, u32)] {
        let Some(start) = self.lines.iter().position(|&(_, n)| n == line) else {
            return &[];
        };
        let first = self.lines[start].0;
        let t = first.trim_start_matches(' ');
        let key_indent = indent(first) + if t.starts_with("- ") { 2 } else { 0 };
        let mut end = start + 1;
        while let Some(&(l, _)) = self.lines.get(end) {
            if !l.trim().is_empty() && indent(l) <= key_indent {
                break;
            }
            end += 1;
        }
        &self.lines[start..end]
    }

    /// For a top-level key holding a list: the file line of each item, and of each key in it.
    pub fn items(&self, key: &str) -> Vec<ItemLines> {
        let Some((s, e)) = self.block(key) else {
            return Vec::new();
        };
        let mut items: Vec<ItemLines> = Vec::new();
        let mut item_indent: Option<usize> = None;
        for (text, n) in &self.lines[s + 1..e] {
            let t = text.trim_start_matches(' ');
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let ind = indent(text);
            if t.starts_with("- ") || t == "-" {
                if item_indent.is_none() {
                    item_indent = Some(ind);
                }
                if Some(ind) == item_indent {
                    items.push(ItemLines {
                        line: *n,
                        keys: Vec::new(),
                    });
                }
            }
            if let Some(item) = items.last_mut() {
                let key_indent = item_indent.unwrap_or(0) + 2;
                let is_item_line =
                    (t.starts_with("- ") && Some(ind) == item_indent) || ind == key_indent;
                if is_item_line {
                    if let Some(k) = key_of(text) {
                        item.keys.push((k.to_string(), *n));
                    }
                }
            }
        }
        items
    }
}

/// File lines of one list item of the front matter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemLines {
    pub line: u32,
    pub keys: Vec<(String, u32)>,
}

impl ItemLines {
    pub fn key(&self, key: &str) -> u32 {
        self.keys
            .iter()
            .find(|(k, _)| k == key)
            .map_or(self.line, |&(_, n)| n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_shapes_of_real_front_matter() {
        let y = "title: 'Garagethon #BlueHats'\nchapeau-text: |-\n  Vous êtes agent ?\n\n  Oui.\nlieu: Direction (DINSIC), salle\n  2.115\ntags:\n- a\n- 2024\npublished: false\n";
        let v = parse(y, 2).unwrap();
        assert_eq!(
            v.get("title"),
            Some(&Yaml::Str("Garagethon #BlueHats".into()))
        );
        assert_eq!(
            v.get("chapeau-text"),
            Some(&Yaml::Str("Vous êtes agent ?\n\nOui.".into()))
        );
        assert_eq!(
            v.get("lieu"),
            Some(&Yaml::Str("Direction (DINSIC), salle 2.115".into()))
        );
        assert_eq!(
            v.get("tags"),
            Some(&Yaml::Seq(vec![
                Yaml::Str("a".into()),
                Yaml::Num("2024".into())
            ]))
        );
        assert_eq!(v.get("published"), Some(&Yaml::Bool(false)));
        // serde_yaml reads timestamps as strings.
        let v = parse("date: 2023-11-20 17:43:00 +01:00\n", 2).unwrap();
        assert_eq!(
            v.get("date"),
            Some(&Yaml::Str("2023-11-20 17:43:00 +01:00".into()))
        );
    }

    #[test]
    fn errors_carry_file_lines() {
        let cases: &[(&str, Option<u32>, &str)] = &[
            ("title: a\ndate: [1, 2\n", Some(4), "invalid front matter"),
            ("title: a\n  b: c\n", Some(3), "invalid front matter"),
            (
                "title: Salon : les dates: 12 mars\n",
                Some(2),
                "must be put in quotes",
            ),
            (
                "title: \"Salon\ndate: 2023\n",
                Some(2),
                "a quote is not closed",
            ),
            ("title: x\n\tdate: 2023\n", Some(3), "not tabs"),
            ("- a\n- b\n", Some(2), "found a list"),
            ("juste du texte\n", Some(2), "found a string"),
            ("title: a\ntitle: b\n", Some(3), "duplicate"),
        ];
        for (yaml, line, msg) in cases {
            let e = parse(yaml, 2).unwrap_err();
            assert_eq!(e.line, *line, "{yaml:?}: {e:?}");
            assert!(e.message.contains(msg), "{yaml:?}: {e:?}");
            assert!(!e.message.contains(" at line "), "{e:?}");
        }
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value() {
        let y = "title: a\ntags:\n- x\n- y\ndate: 2023-11-20\ntags:\n- z\ntitle: b\n";
        let (v, warnings) = parse_lenient(y, 2).unwrap();
        assert_eq!(v.get("title"), Some(&Yaml::Str("b".into())));
        assert_eq!(v.get("tags"), Some(&Yaml::Seq(vec![Yaml::Str("z".into())])));
        assert_eq!(v.get("date"), Some(&Yaml::Str("2023-11-20".into())));
        let w: Vec<(Option<u32>, &str)> = warnings
            .iter()
            .map(|w| (w.line, w.message.as_str()))
            .collect();
        assert_eq!(
            w,
            vec![
                (
                    Some(7),
                    "`tags` is written twice in the front matter; the last value is used"
                ),
                (
                    Some(9),
                    "`title` is written twice in the front matter; the last value is used"
                ),
            ]
        );
        // Other errors are still errors.
        assert!(parse_lenient("a: [\n", 2).is_err());
    }

    #[test]
    fn toml_front_matter() {
        let t = "title = \"Salon\"\ndate = 2023-11-20T17:43:00+01:00\ntags = [\"a\", \"b\"]\ndraft = false\n[params]\nlieu = \"Lille\"\n";
        let v = parse_toml(t, 2).unwrap();
        assert_eq!(v.get("title"), Some(&Yaml::Str("Salon".into())));
        assert_eq!(
            v.get("date"),
            Some(&Yaml::Str("2023-11-20T17:43:00+01:00".into()))
        );
        assert_eq!(v.get("draft"), Some(&Yaml::Bool(false)));
        assert_eq!(
            v.get("params").and_then(|p| p.get("lieu")),
            Some(&Yaml::Str("Lille".into()))
        );
        let k = KeyLines::new(t, 2);
        assert_eq!(k.line("date"), Some(3));
        let e = parse_toml("title = \"a\"\ndate = \n", 2).unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(
            e.message.starts_with("invalid front matter (TOML)"),
            "{e:?}"
        );
    }

    #[test]
    fn error_lines_stay_in_the_front_matter() {
        // libyaml counts U+2028 as a line break; the file has three lines here.
        let y = "ti: a\u{2028}b\u{2028}c [a: 25:\n";
        let e = parse(y, 2).unwrap_err();
        assert!(e.line.is_some_and(|l| (2..=3).contains(&l)), "{e:?}");
    }

    #[test]
    fn alias_bomb_is_refused_without_panic() {
        let mut y = String::from("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
        let mut prev = 'a';
        for c in 'b'..='k' {
            y.push_str(&format!(
                "{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
            prev = c;
        }
        let e = parse(&y, 2).unwrap_err();
        assert!(e.message.contains("repetition limit"), "{e:?}");
    }

    /// Reading straight into [`Yaml`] gives what reading a `Value` then converting gives,
    /// errors included (message and place).
    fn same_as_value(y: &str) {
        let direct = serde_yaml::from_str::<Yaml>(y).map_err(|e| (e.to_string(), e.location()));
        let via_value = serde_yaml::from_str::<Value>(y)
            .map(convert)
            .map_err(|e| (e.to_string(), e.location()));
        let direct = direct.map_err(|(m, l)| (m, l.map(|l| (l.line(), l.column(), l.index()))));
        let via_value =
            via_value.map_err(|(m, l)| (m, l.map(|l| (l.line(), l.column(), l.index()))));
        assert_eq!(direct, via_value, "{y:?}");
    }

    #[test]
    fn direct_reading_matches_value() {
        let many: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        let cases = [
            "title: a\ntags: [x, 2, 2.5, true, null, ~]\n".to_string(),
            "a: 1\na: 2\n".to_string(),
            "1: a\n'1': b\n1: c\n".to_string(),
            "true: a\ntrue: b\n".to_string(),
            "~: a\n: b\nnull: c\n".to_string(),
            "[a, b]: 1\n[a, b]: 2\n".to_string(),
            "{a: 1}: x\n{a: 1}: y\n".to_string(),
            "1.0: a\n1: b\n.nan: c\n.nan: d\n".to_string(),
            "!t x: 1\n!t x: 2\n".to_string(),
            "a: !tag 1\nb: !!str 2\nc: !x [1, 2]\nd: !y {e: f}\ng: ! h\n".to_string(),
            "big: 340282366920938463463374607431768211455\n".to_string(),
            "neg: -170141183460469231731687303715884105728\n".to_string(),
            "x: 0x1f\ny: 0o17\nz: 1e3\nw: -.inf\nv: 012\n".to_string(),
            "a: &a [1, {b: *a}]\n".to_string(),
            "a: &a x\nb: *a\n*a : 1\n".to_string(),
            format!("{many}k3: again\n"),
            format!("{many}k39: again\n"),
            format!("{many}1: a\n'1': b\n1: c\n"),
            "- a\n- b\n".to_string(),
            "".to_string(),
            "a: [1, 2\n".to_string(),
            "--- a\n--- b\n".to_string(),
        ];
        for y in &cases {
            same_as_value(y);
        }
    }

    proptest::proptest! {
        #[test]
        fn direct_reading_matches_value_on_any_text(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "b", "1", "1.0", "true", "~", ": ", ":", "\n", "\n  ", "- ", "[", "]",
                    "{", "}", ", ", "!t ", "!!str ", "&x ", "*x", "'", "\"", "? ", "#", "0x1",
                    "99999999999999999999999", "-", ".nan", "é",
                ]),
                0..30,
            )
        ) {
            same_as_value(&parts.concat());
        }
    }

    #[test]
    fn key_lines() {
        let y = "title: a\nchamps_informations:\n- intitule: Horaires\n  contenu: 9h30 - 12h\n- intitule: Modalités\n  lien: https://x\n  contenu: |-\n    a\n    b\nlieu: Paris\n";
        let k = KeyLines::new(y, 2);
        assert_eq!(k.line("title"), Some(2));
        assert_eq!(k.line("lieu"), Some(11));
        assert_eq!(k.line("absent"), None);
        let items = k.items("champs_informations");
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].line, 4);
        assert_eq!(items[0].key("contenu"), 5);
        assert_eq!(items[1].key("contenu"), 8);
        assert_eq!(items[1].key("absent"), 6);
        let block: Vec<u32> = k.value_block(8).iter().map(|l| l.1).collect();
        assert_eq!(block, vec![8, 9, 10]);
        let block: Vec<u32> = k.value_block(4).iter().map(|l| l.1).collect();
        assert_eq!(block, vec![4]);
    }
}
