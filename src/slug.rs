//! Slugs: the lower-case ASCII names of documents, tags and events in uids, file names and
//! URLs. Used by the agenda model (uids) and the publishers (file names), below both.

use unicode_normalization::UnicodeNormalization;

/// A lower-case ASCII slug: accents dropped, every other run of characters becomes `-`.
/// Never empty: `fallback` when nothing is left.
pub fn slugify(s: &str, fallback: &str) -> String {
    if is_slug(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'œ' | 'Œ' => {
                out.push_str(if dash && !out.is_empty() { "-oe" } else { "oe" });
                dash = false;
                continue;
            }
            'æ' | 'Æ' => {
                out.push_str(if dash && !out.is_empty() { "-ae" } else { "ae" });
                dash = false;
                continue;
            }
            'ß' => 's',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        fallback.to_string()
    } else {
        out
    }
}

/// Whether `s` is already what [`slugify`] makes of it: lower-case ASCII letters and
/// digits in runs joined by single dashes (the uids and tags of most sites).
fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slugify("Données publiques", "x"), "donnees-publiques");
        assert_eq!(slugify("  Œuvre & Cœur ", "x"), "oeuvre-coeur");
        assert_eq!(slugify("???", "tag"), "tag");
    }

    #[test]
    fn slugs_already_made_are_kept_and_others_made() {
        for (text, slug) in [
            ("salon-2026", "salon-2026"),
            ("a", "a"),
            ("-salon", "salon"),
            ("salon-", "salon"),
            ("salon--2026", "salon-2026"),
            ("Salon-2026", "salon-2026"),
            ("salon_2026", "salon-2026"),
            ("", "x"),
        ] {
            assert_eq!(slugify(text, "x"), slug, "{text:?}");
        }
    }
}
