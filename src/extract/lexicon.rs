//! One table of French words the parsers need: months, weekdays, number words, parts of day.

use jiff::civil::Weekday;

/// Month names and usual abbreviations (accents already folded), with their number.
pub const MONTHS: &[(&str, u8)] = &[
    ("janvier", 1),
    ("janv", 1),
    ("fevrier", 2),
    ("fevr", 2),
    ("fev", 2),
    ("mars", 3),
    ("avril", 4),
    ("avr", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("juil", 7),
    ("aout", 8),
    ("septembre", 9),
    ("sept", 9),
    ("octobre", 10),
    ("oct", 10),
    ("novembre", 11),
    ("nov", 11),
    ("decembre", 12),
    ("dec", 12),
];

pub const WEEKDAYS: &[(&str, Weekday)] = &[
    ("lundi", Weekday::Monday),
    ("mardi", Weekday::Tuesday),
    ("mercredi", Weekday::Wednesday),
    ("jeudi", Weekday::Thursday),
    ("vendredi", Weekday::Friday),
    ("samedi", Weekday::Saturday),
    ("dimanche", Weekday::Sunday),
];

/// Number words that can stand for a day of the month.
pub const NUMBER_WORDS: &[(&str, u8)] = &[
    ("premier", 1),
    ("deux", 2),
    ("trois", 3),
    ("quatre", 4),
    ("cinq", 5),
    ("six", 6),
    ("sept", 7),
    ("huit", 8),
    ("neuf", 9),
    ("dix", 10),
];

/// Parts of the day with a conventional clock time.
pub const DAY_PARTS: &[(&str, u8)] = &[("midi", 12), ("minuit", 0)];

/// Lower-case a word and drop its accents ("Février" -> "fevrier").
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_with(word, |c| out.push(c));
    out
}

/// Feed the folded characters of `word` to `push`.
pub fn fold_with(word: &str, mut push: impl FnMut(char)) {
    for c in word.chars() {
        fold_char(c, &mut push);
    }
}

/// Feed the folded form of one character to `push` (lower case, no accent; "œ" -> "oe").
pub fn fold_char(c: char, push: &mut impl FnMut(char)) {
    match c {
        'a'..='z' | '0'..='9' => push(c),
        'A'..='Z' => push(c.to_ascii_lowercase()),
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => {
            push('a')
        }
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => push('e'),
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => push('i'),
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => push('o'),
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => push('u'),
        'ç' | 'Ç' => push('c'),
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => push('y'),
        'ñ' | 'Ñ' => push('n'),
        'œ' | 'Œ' => {
            push('o');
            push('e');
        }
        'æ' | 'Æ' => {
            push('a');
            push('e');
        }
        c if c.is_uppercase() => c.to_lowercase().for_each(&mut *push),
        c => push(c),
    }
}

pub fn month(folded: &str) -> Option<u8> {
    MONTHS.iter().find(|(w, _)| *w == folded).map(|&(_, m)| m)
}

pub fn weekday(folded: &str) -> Option<Weekday> {
    WEEKDAYS.iter().find(|(w, _)| *w == folded).map(|&(_, d)| d)
}

pub fn number_word(folded: &str) -> Option<u8> {
    NUMBER_WORDS
        .iter()
        .find(|(w, _)| *w == folded)
        .map(|&(_, n)| n)
}

pub fn day_part(folded: &str) -> Option<u8> {
    DAY_PARTS
        .iter()
        .find(|(w, _)| *w == folded)
        .map(|&(_, h)| h)
}

/// French name of a weekday, for messages.
pub fn weekday_name(d: Weekday) -> &'static str {
    WEEKDAYS
        .iter()
        .find(|(_, w)| *w == d)
        .map(|(n, _)| *n)
        .unwrap_or("?")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(fold("Février"), "fevrier");
        assert_eq!(fold("AOÛT"), "aout");
        assert_eq!(fold("Décembre"), "decembre");
        assert_eq!(fold("cœur"), "coeur");
    }

    #[test]
    fn table_lookups() {
        assert_eq!(month("aout"), Some(8));
        assert_eq!(month("sept"), Some(9));
        assert_eq!(weekday("mercredi"), Some(Weekday::Wednesday));
        assert_eq!(number_word("premier"), Some(1));
        assert_eq!(day_part("midi"), Some(12));
        assert_eq!(month("lundi"), None);
    }
}
