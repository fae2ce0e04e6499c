//! Which sentences of a paragraph the parsers need to see. Most sentences of a release
//! hold no date: tokenizing only the others is most of the extractor's speed.
//!
//! A sentence is *dated* when it may hold a date or a time: a day number followed by a
//! month ("21 novembre", "1er déc."), a month opening the sentence (the rest of "le 9\n
//! novembre"), a numeric date ("21/11", "21.11.2023", "2024-03-12"), a clock time ("14h",
//! "9 h 30", "14:00"), a relative day ("aujourd'hui", "ce soir", "mardi prochain") or a
//! weekday. Such sentences are kept, and so are their neighbours that may hold a date (a
//! day number cut from its month by a line break, "il se tiendra au 12 quai ..." after a
//! date): the sentences before and after a date are read for its hours and place. Other
//! sentences ("Plus de 367 administrations se sont engagées.") are skipped.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::lexicon::{fold_with, month};
use super::normalize::Small;

/// Words that may make a text hold a date without a digit: relative days and weekdays,
/// as texts write them (a case-sensitive search can use a SIMD prefilter).
const RELATIVE: &[&str] = &[
    "ujourd", "e jour", "e soir", "e matin", "rochain", "ernier", "remier", "UJOURD", "ROCHAIN",
    "REMIER", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "Lundi",
    "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche", "demain", "Demain",
];

// Leftmost-first matching lets the search use its SIMD prefilter (the standard kind of
// match did not, and cost 6% of the extractor).
static RELATIVE_AC: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .build(RELATIVE)
        .ok()
});

fn has_relative_word(text: &str) -> bool {
    match &*RELATIVE_AC {
        Some(ac) => ac.is_match(text),
        None => true,
    }
}

/// May this text hold a date at all? Every date needs a digit, except the relative ones
/// ("aujourd'hui", "ce jour", "mardi prochain") and "premier".
pub fn may_hold_dates(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit()) || has_relative_word(text)
}

/// Is the word starting at byte `at` of `text` a month ("novembre", "Déc", "AOÛT")?
fn month_at(text: &str, at: usize) -> bool {
    let Some(rest) = text.get(at..) else {
        return false;
    };
    let end = rest
        .char_indices()
        .find(|&(_, c)| !c.is_alphabetic())
        .map_or(rest.len(), |(i, _)| i);
    if end == 0 || end > 20 {
        return false;
    }
    let mut w = Small::new();
    fold_with(&rest[..end], |c| w.push(c));
    month(w.as_str()).is_some()
}

/// Does this sentence look like it holds a date or a time (see the module text)?
/// It may say yes wrongly ("à 12 h" of a distance, "l'an dernier"); it never says no to a
/// sentence that holds one.
pub fn looks_dated(text: &str) -> bool {
    has_date_or_time(text) || has_relative_word(text)
}

/// `looks_dated` without the relative words: the figures and months of the text.
fn has_date_or_time(text: &str) -> bool {
    let b = text.as_bytes();
    // a month opening the sentence: the rest of a date cut by a line break
    if starts_with_month(text) {
        return true;
    }
    let mut run = 0; // length of the current run of digits
    for (i, &c) in b.iter().enumerate() {
        if c.is_ascii_digit() {
            run += 1;
            continue;
        }
        let digits = std::mem::take(&mut run);
        if digits == 0 {
            continue;
        }
        // "21/11", "21.11.2023", "2024-03-12"
        if matches!(c, b'/' | b'.' | b'-') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            return true;
        }
        // spaces between a number and its unit or month ("9 h", "1 er", "12  mars")
        let skip = |mut k: usize| {
            while b.get(k).is_some_and(|&c| c == b' ' || c == b'\t') {
                k += 1;
            }
            k
        };
        let j = skip(i);
        if digits <= 2 {
            // an hour: "14h", "9 h 30", "14:00", "10 HEURES", "9 hrs" (not "12 000 habitants")
            match b.get(j) {
                Some(b':') => return true,
                Some(b'h' | b'H') => {
                    let rest = &b[j + 1..];
                    let word_ends = rest.first().is_none_or(|n| !n.is_ascii_alphabetic());
                    let unit =
                        |w: &[u8]| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w);
                    if word_ends || unit(b"eure") || unit(b"r") {
                        return true;
                    }
                }
                _ => {}
            }
        }
        // a day and its month: "21 novembre", "1er déc.", "1 er mars"
        let mut k = j;
        for mark in [&b"er"[..], b"re", "ère".as_bytes(), b"e"] {
            if b[k..].starts_with(mark) {
                k = skip(k + mark.len());
                break;
            }
        }
        if month_at(text, k) {
            return true;
        }
    }
    // "à midi", "jusqu'à minuit": hours written as words
    has_hour_word(text)
}

/// Does `text` hold "midi" or "minuit" (any ASCII case)?
fn has_hour_word(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(4).enumerate().any(|(i, w)| {
        (w.eq_ignore_ascii_case(b"midi") || w.eq_ignore_ascii_case(b"minu"))
            && (i == 0 || !b[i - 1].is_ascii_alphabetic())
    })
}

/// The byte ranges of the sentences of `text` the parsers need, in order: the dated
/// ones and, among those that may hold a date (a digit, a relative or date word), the
/// nearest before and after each dated one.
pub fn sentences_to_read(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    // where relative words start, found in one pass over the paragraph
    let relative: Vec<usize> = match &*RELATIVE_AC {
        Some(ac) => ac.find_iter(text).map(|m| m.start()).collect(),
        None => (0..text.len()).collect(),
    };
    let mut next_relative = 0;
    // (start, end, dated) of every sentence that may hold a date
    let mut maybe: Vec<(usize, usize, bool)> = Vec::new();
    let mut start = 0;
    let mut digit = false;
    for i in 0..=bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(b'\n');
        if b.is_ascii_digit() {
            digit = true;
            continue;
        }
        let boundary = i == bytes.len()
            || b == b'\n'
            || (matches!(b, b'.' | b'!' | b'?' | b';')
                && bytes.get(i + 1).is_some_and(|&n| n == b' ' || n == b'\n')
                && !(b == b'.' && abbreviation_dot(bytes, i)));
        if !boundary {
            continue;
        }
        let end = if i == bytes.len() { i } else { i + 1 };
        if let Some(chunk) = text.get(start..end) {
            let k = relative[next_relative..].partition_point(|&r| r < start) + next_relative;
            next_relative = relative[k..].partition_point(|&r| r < end) + k;
            let has_relative = next_relative > k;
            if digit || has_relative || starts_with_month(chunk) {
                maybe.push((start, end, has_relative || has_date_or_time(chunk)));
            }
        }
        start = end;
        digit = false;
    }
    let mut out = Vec::with_capacity(maybe.len());
    for (k, &(s, e, dated)) in maybe.iter().enumerate() {
        let beside_dated = dated
            || k.checked_sub(1).is_some_and(|p| maybe[p].2)
            || maybe.get(k + 1).is_some_and(|n| n.2);
        if beside_dated {
            out.push((s, e));
        }
    }
    out
}

/// Is the dot at `i` the end of an abbreviation inside a sentence ("jeu. 9 novembre",
/// "sept. 2024", "av. de la République")? A short word before it and, after the space,
/// a figure or a lower-case letter (as the parsers' sentence split says).
fn abbreviation_dot(bytes: &[u8], i: usize) -> bool {
    let word = bytes[..i]
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    (1..=4).contains(&word)
        && bytes
            .get(i + 2)
            .is_some_and(|c| c.is_ascii_digit() || c.is_ascii_lowercase())
}

/// Does `text` open on a month name (after spaces)?
fn starts_with_month(text: &str) -> bool {
    let at = first_letter(text);
    // every month starts with one of these letters: most sentences are ruled out at once
    text.as_bytes()
        .get(at)
        .is_some_and(|c| b"jfmasondJFMASOND".contains(c))
        && month_at(text, at)
}

/// The byte offset of the first character of `text` that is not a space.
fn first_letter(text: &str) -> usize {
    text.bytes()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dated_sentences() {
        let table: &[(&str, bool)] = &[
            ("Le salon se tiendra du 21 au 23 novembre.", true),
            ("Rendez-vous le 3 FÉVRIER à la mairie.", true),
            ("Rendez-vous le 3 Février.", true),
            ("Le 14 AOÛT, fête au village.", true),
            ("Clôture le 17/06/2021.", true),
            ("Date : 2024-03-12", true),
            ("Ouverture à 14h.", true),
            ("Accueil de 9 h 30 à 17 h.", true),
            ("Début à 14:00 précises.", true),
            ("Aujourd'hui, la ville inaugure le parc.", true),
            ("Rendez-vous mardi prochain.", true),
            ("Plus de 367 administrations se sont engagées.", false),
            (
                "57 % des élus locaux déclarent souhaiter davantage de services.",
                false,
            ),
            (
                "Doté de 7 millions d'euros, le fonds soutient des projets.",
                false,
            ),
            ("La ville compte 12 000 habitants.", false),
            ("Les 12 hectares du parc.", false),
            ("Le maire de la commune et 3 élus.", false),
            ("Un budget de 2 millions, décidé en conseil.", false),
            ("Rendez-vous à 10 heures.", true),
            ("Le 1er décembre.", true),
            ("Le 1 er décembre.", true),
            ("Le 1 re  avril.", true),
            ("La 1ère semaine d'avril.", false),
            ("Ouverture à 14  h.", true),
            ("OUVERTURE À 10 HEURES.", true),
            ("Ouverture à 9 hrs, 3 salles.", true),
            ("Pique-nique à midi, 12 places.", true),
            ("Jusqu'à MINUIT, 3 concerts.", true),
            ("Les 12 amis du quartier.", false),
            ("Le 1er DÉC. à Lyon", true),
            ("novembre à Lyon.", true),
            ("Le comité du 3 septembre.", true),
            ("Les 7, 8 et 9 sept. à Nantes.", true),
            ("Publié en 2023, le rapport compte 3 volets.", false),
        ];
        for (text, want) in table {
            assert_eq!(looks_dated(text), *want, "{text}");
        }
    }

    fn kept(text: &str) -> Vec<&str> {
        sentences_to_read(text)
            .into_iter()
            .map(|(s, e)| text[s..e].trim())
            .collect()
    }

    #[test]
    fn neighbours_of_a_dated_sentence_are_kept() {
        let text = "Plus de 367 administrations participent. Le forum ouvre le 9 \
                    novembre. Il se tiendra au 12 quai Rambaud. Un budget de 7 millions \
                    d'euros. Doté de 3 millions d'euros, le fonds est prêt.";
        assert_eq!(
            kept(text),
            [
                "Plus de 367 administrations participent.",
                "Le forum ouvre le 9 novembre.",
                "Il se tiendra au 12 quai Rambaud."
            ]
        );
    }

    #[test]
    fn a_day_cut_from_its_month_by_a_line_break_is_kept() {
        assert_eq!(
            kept("Rendez-vous le 9\nnovembre à Lyon."),
            ["Rendez-vous le 9", "novembre à Lyon."]
        );
    }

    #[test]
    fn sentences_without_any_figure_or_date_word_are_skipped() {
        assert_eq!(
            kept("La ville présente son projet. Le 3 mars, vote du budget. Merci à tous."),
            ["Le 3 mars, vote du budget."]
        );
    }
}
