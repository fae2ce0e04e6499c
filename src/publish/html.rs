//! HTML publisher: a [`Page`](super::page::Page) through minijinja templates -> bytes.
//!
//! The default templates are built into the binary; an operator replaces any of them by a
//! file of the same name in the site's `templates/` folder (read by the build, passed here
//! as text), without recompiling. Auto-escaping is on for every `.html` template: a text
//! from a release is always shown as text, never read as markup.

use minijinja::{AutoEscape, Environment, UndefinedBehavior};

use super::page::Page;

/// The templates a page is made of, by name, with their built-in text.
pub const DEFAULTS: [(&str, &str); 3] = [
    ("index.html", include_str!("templates/index.html")),
    ("event.html", include_str!("templates/event.html")),
    ("style.css", include_str!("templates/style.css")),
];

/// The template that renders a page (it includes the others).
const PAGE: &str = "index.html";

/// Compiled templates, ready to render pages (shared by threads).
pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// The built-in templates.
    pub fn builtin() -> Templates {
        // The built-in templates compile: a unit test renders them.
        Templates::new(Vec::new()).unwrap_or_else(|_| Templates {
            env: Environment::new(),
        })
    }

    /// The built-in templates with some replaced: (name, label for messages, source).
    /// Err names the template (its label), the line and what is wrong.
    pub fn new(overrides: Vec<(String, String, String)>) -> Result<Templates, String> {
        let mut env = Environment::new();
        if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
        {
            env.set_syntax(syntax);
        }
        env.set_undefined_behavior(UndefinedBehavior::Chainable);
        env.set_formatter(format_value);
        for (name, source) in DEFAULTS {
            if overrides.iter().any(|(n, _, _)| n == name) {
                continue;
            }
            env.add_template(name, source)
                .map_err(|e| describe(&e, &format!("built-in {name}")))?;
        }
        for (name, label, source) in overrides {
            env.add_template_owned(name, source)
                .map_err(|e| describe(&e, &label))?;
        }
        Ok(Templates { env })
    }

    /// The page's HTML.
    pub fn render(&self, page: &Page) -> Result<Vec<u8>, String> {
        let template = self
            .env
            .get_template(PAGE)
            .map_err(|e| describe(&e, PAGE))?;
        let ctx = minijinja::Value::from(minijinja::value::Serde(page));
        template
            .render(ctx)
            .map(String::into_bytes)
            .map_err(|e| describe(&e, PAGE))
    }
}

/// minijinja's own formatter, except that HTML escaping leaves `/` as it is (URLs stay
/// readable in the page's source); `&`, `<`, `>`, `"` and `'` are escaped.
fn format_value(
    out: &mut minijinja::Output,
    state: &mut minijinja::State,
    value: &minijinja::Value,
) -> Result<(), minijinja::Error> {
    match value.as_str() {
        Some(s) if *state.auto_escape() == AutoEscape::Html && !value.is_safe() => {
            let escaped = super::text::escape_html(s);
            out.write_str(&escaped).map_err(|e| {
                minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string())
            })
        }
        _ => minijinja::escape_formatter(out, state, value),
    }
}

/// "templates/index.html:12: syntax error: unexpected end of input".
fn describe(e: &minijinja::Error, label: &str) -> String {
    let name = e.name().unwrap_or(label);
    let name = if name == label || label.ends_with(name) {
        label.to_string()
    } else {
        name.to_string()
    };
    match e.line() {
        Some(line) => format!("{name}:{line}: {}", e.kind_and_detail()),
        None => format!("{name}: {}", e.kind_and_detail()),
    }
}

trait KindAndDetail {
    fn kind_and_detail(&self) -> String;
}

impl KindAndDetail for minijinja::Error {
    fn kind_and_detail(&self) -> String {
        match self.detail() {
            Some(d) => format!("{}: {d}", self.kind()),
            None => self.kind().to_string(),
        }
    }
}
