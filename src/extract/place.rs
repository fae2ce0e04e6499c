//! Places: venues, towns, addresses, stands, online events and the time zone of a place.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

use regex::Regex;

use super::lexicon::fold;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub text: String,
    /// Byte span in the searched text.
    pub start: usize,
    pub end: usize,
}

/// Venues a town names by their common noun alone: "à la médiathèque", "au gymnase".
const LANDMARKS: &[&str] = &[
    "mediatheque",
    "bibliotheque",
    "mairie",
    "chateau",
    "preau",
    "gymnase",
    "eglise",
    "stade",
    "piscine",
    "cinema",
    "foyer",
    "fablab",
    "musee",
    "boulodrome",
    "lavoir",
    "kiosque",
    "halle",
    "halles",
    "abbaye",
    "chapelle",
    "plage",
    "port",
];

/// Words that open a venue name ("Palais des Congrès", "Lieu de la transformation publique").
const VENUE_HEADS: &[&str] = &[
    "lieu",
    "palais",
    "centre",
    "cite",
    "maison",
    "parc",
    "hotel",
    "salle",
    "espace",
    "halle",
    "grande",
    "musee",
    "institut",
    "campus",
    "theatre",
    "auditorium",
    "carreau",
    "station",
    "village",
    "dock",
    "docks",
    "pavillon",
    "mobilier",
    "galerie",
    "bibliotheque",
    "universite",
    "mairie",
    "prefecture",
    "ministere",
    "arena",
    "stade",
    "chateau",
    "abbaye",
    "couvent",
    "grand",
    "tour",
    "manufacture",
    "mediatheque",
    "fablab",
    "foyer",
    "gymnase",
    "preau",
    "eglise",
    "chapelle",
    "jardin",
    "jardins",
    "ecole",
    "college",
    "lycee",
    "mjc",
    "lac",
    "plage",
    "etang",
    "moulin",
    "grange",
    "piscine",
    "boulodrome",
    "lieu-dit",
    "tiers-lieu",
    "pre",
    "cimetiere",
    "cinema",
    "amphitheatre",
    "amphi",
    "carrousel",
    "batiment",
    "immeuble",
    "siege",
    "ecole",
    "lycee",
    "college",
    "hall",
    "parc",
    "zenith",
    "dome",
    "le",
    "square",
    "jardin",
    "gare",
    "caserne",
    "conservatoire",
    "opera",
    "faculte",
    "base",
    "place",
    "parvis",
    "kiosque",
    "jardins",
    "foyer",
    "gymnase",
    "locaux",
    "laboratoire",
    "salons",
    "esplanade",
    "cour",
    "mediatheque",
    "hub",
    "halles",
    "complexe",
    "piscine",
    "eglise",
    "chapelle",
    "cathedrale",
    "plage",
    "quai",
    "tiers-lieu",
    "fablab",
    "pole",
    "agora",
    "archives",
    "hemicycle",
    "domaine",
    "ferme",
    "marche",
    "technopole",
    "chapiteau",
    "monument",
    "eglise",
    "temple",
    "stade",
    "expo",
    "technopark",
    "incubateur",
];

/// Lower-case words that carry on a capitalised venue name ("Hub numérique de Nantes",
/// "Assemblée nationale"): adjectives by their ending.
fn is_adjective(w: &str) -> bool {
    let f = fold(w.trim_end_matches([',', '.']));
    f.len() > 3
        && !f.ends_with("ra")
        && [
            "ique", "ale", "al", "aux", "ales", "elle", "el", "if", "ive", "aire", "ien", "ienne",
            "ais", "aise", "ois", "oise", "eur", "ienne", "iste",
        ]
        .iter()
        .any(|e| f.ends_with(e))
}

/// A lower-case head word is a venue only with its complement: "place de l'Église",
/// "gymnase municipal", not "lieu" ("a lieu") or "bâtiment" alone.
fn head_ok(first: &str, rest: &str) -> bool {
    if first.chars().next().is_some_and(|c| c.is_uppercase()) {
        return true;
    }
    match fold(first).as_str() {
        "lieu" | "le" | "grand" | "grande" | "tour" | "base" | "cour" | "ferme" | "marche"
        | "mobilier" | "pole" | "place" => {
            // "place de l'Église", "centre Pompidou": a capitalised complement, or a
            // landmark ("place de la mairie", "cour de l'école")
            let r = rest.trim_start();
            let r = ["de la ", "de l'", "de l’", "des ", "du ", "de ", "d'"]
                .iter()
                .find_map(|p| r.strip_prefix(p))
                .unwrap_or(r);
            let next = r.split([' ', ',', '.', ';']).next().unwrap_or("");
            r.chars().next().is_some_and(|c| c.is_uppercase())
                || LANDMARKS.contains(&fold(next).as_str())
                || matches!(
                    fold(next).as_str(),
                    "ecole" | "village" | "marche" | "gare" | "salle"
                )
        }
        _ => true,
    }
}

/// Capitalized words after "à" that are not places.
const NOT_PLACES: &[&str] = &[
    "etat",
    "dinum",
    "dinsic",
    "direction",
    "ministre",
    "monsieur",
    "madame",
    "mme",
    "compter",
    "partir",
    "noter",
    "retenir",
    "travers",
    "nous",
    "vous",
    "ce",
    "cette",
    "chaque",
    "tous",
    "toutes",
    "tout",
    "savoir",
    "suivre",
    "decouvrir",
    "ces",
    "france",
    "europe",
    "l",
    "la",
    "le",
    "les",
    "un",
    "une",
    "son",
    "sa",
    "ses",
    "leur",
    "leurs",
    "votre",
    "vos",
    "notre",
    "nos",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
    "midi",
    "minuit",
    "premier",
    "premiere",
    "ministere",
    "gouvernement",
    "administration",
    "agents",
    "beta",
    "etalab",
    "celles",
    "ceux",
    "celle",
    "celui",
    "chacun",
    "plus",
    "moins",
    "travers",
    "cet",
    "ma",
    "mon",
    "mes",
    "titre",
    "terme",
    "horizon",
    "quoi",
    "propos",
    "cause",
    "distance",
    "domicile",
    "priori",
    "posteriori",
    "hauteur",
    "destination",
    "date",
    "heure",
    "ete",
    "ses",
    "suite",
    "l'etat",
    "commencer",
    "faire",
];

static PLACE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?:^|[\s(,])
        (?P<prep>à|a|au|aux|dans|sur|chez|À|en|sous|devant|Devant)\s+
        (?:(?:la|le|les)\s+|l'|d')?
        (?P<p>
          [\p{Lu}\p{Ll}][\p{L}'\-]*
          (?:\s+(?:(?:de|du|des|d'|de\s+la|de\s+l'|la|le|les|l'|et|sur|en)\s*)?[\p{Lu}\d][\p{L}\d'\-.]*)*
        )",
    )
    .expect("valid place regex")
});

static VENUE_TAIL_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\p{L}\d'\- \n]{0,80}").expect("valid tail regex"));

static TOWN_AFTER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:,|-)?\s*(?:à\s+|a\s+)?(?P<t>\p{Lu}[\p{L}'\-]+(?:\s+(?:de\s+|du\s+|d')?\p{Lu}[\p{L}'\-]+)*)(?:\s*\((?:\d{2,3}|\d{1,2}e|[^)]{0,12})\))?")
        .expect("valid town regex")
});

static DEPT_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\((?:\d{2,3}|\d{1,2}e|2A|2B)\)").expect("valid"));

static ADDRESS_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)\d{1,4}(?:\s?(?:bis|ter|[a-d](?-u:\b)))?,?\s+(?:rue|avenue|av\.|bd|boulevard|place|quai|allée|allee|chemin|cours|impasse|route|square|esplanade|parvis|rond-point|promenade|villa|passage)\s+[^,\n.;()<>]{2,60}(?:(?:,|-)?\s*\d{5}\s+\p{Lu}[\p{L}'\-]+(?:\s+\p{Lu}[\p{L}'\-]+)?)?",
    )
    .expect("valid address regex")
});

static STAND_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)stands?\s*(?:n\s?°|n\s?º|no\.?|num[ée]ro|num\.)?\s*(?P<s>[A-Z]{0,2}\s?\d{1,3}[A-Z]?|[A-Z]\d?-\d{1,3})(?-u:\b)",
    )
    .expect("valid stand regex")
});

static STAND_ADJ_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:(?-u:\b)stands?)\s+(?:\p{Ll}[\p{L}\-]*\s+){1,2}(?P<s>[A-Z]{1,2}\d{1,3}[A-Z]?)(?-u:\b)")
        .expect("valid stand regex")
});

static STAND_PAREN_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)stand(?-u:\b)[^.()\n]{0,80}\((?P<s>[A-Z]{1,2}\s?\d{1,3}[A-Z]?)\)")
        .expect("valid stand regex")
});

static POSTCODE_TOWN_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)\d{5}\s+(?P<t>\p{Lu}[\p{L}'\-]+(?:\s+\p{Lu}[\p{L}'\-]+)?)").expect("valid")
});

fn is_venue_head(w: &str) -> bool {
    let f = fold(w);
    VENUE_HEADS.contains(&f.as_str())
}

/// Words that end a place name.
const NAME_STOPS: &[&str] = &[
    "et",
    "en",
    "pour",
    "avec",
    "dans",
    "qui",
    "que",
    "ou",
    "afin",
    "est",
    "sont",
    "a",
    "ont",
    "sera",
    "seront",
    "sur",
    "par",
    "ce",
    "cette",
    "lors",
    "puis",
    "mais",
    "aux",
    "au",
    "pendant",
    "des",
    "depuis",
    "entre",
    "vers",
    "chez",
    "dont",
    "se",
    "s",
    "y",
    "il",
    "elle",
    "ils",
    "elles",
    "on",
    "nous",
    "vous",
    "je",
    "organise",
    "organisee",
];

/// Trim a captured name at the words that end a place name: a conjunction or
/// preposition, a verb in the future tense, an article before a lower-case word.
fn trim_name(s: &str) -> &str {
    let mut end = 0;
    let mut words = 0;
    let mut iter = s.split_inclusive(char::is_whitespace).peekable();
    let mut pos = 0;
    while let Some(w) = iter.next() {
        let word = w.trim();
        let f = fold(word);
        let next_lower = iter
            .peek()
            .and_then(|n| n.trim().chars().next())
            .is_some_and(|c| !c.is_uppercase());
        let first_upper = word.chars().next().is_some_and(|c| c.is_uppercase());
        let stop = words > 0
            && !first_upper
            && (NAME_STOPS.contains(&f.as_str()) && !(f == "des" && pos < s.len() && words == 1)
                || (f.len() > 4
                    && (f.ends_with("ra") || f.ends_with("ront") || f.ends_with("rait")))
                || (matches!(f.as_str(), "le" | "les") && next_lower)
                || (f == "du" && next_is_date(iter.peek().copied()))
                // "salle des fêtes de 12 à 16h", "Maison des associations à 18h"
                || (matches!(f.as_str(), "de" | "a" | "des" | "dès" | "le" | "les")
                    && iter
                        .peek()
                        .is_some_and(|n| n.trim_start().starts_with(|c: char| c.is_ascii_digit()))));
        if stop || words >= 8 {
            break;
        }
        if !word.is_empty() {
            words += 1;
            end = pos + w.trim_end().len();
        }
        pos += w.len();
    }
    s[..end].trim_end_matches([' ', '-', '\'', '.', '\n'])
}

/// Does this word start a date ("du 5", "du lundi", "du 1er")?
fn next_is_date(w: Option<&str>) -> bool {
    let Some(w) = w else { return false };
    let f = fold(w.trim());
    f.starts_with(|c: char| c.is_ascii_digit())
        || super::lexicon::weekday(&f).is_some()
        || super::lexicon::month(&f).is_some()
        || f == "premier"
}

/// Venues and towns introduced by a preposition ("à Bordeaux", "au palais des Congrès de Paris").
pub fn find_places(text: &str) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    for c in PLACE_RE.captures_iter(text) {
        let Some(p) = c.name("p") else { continue };
        if out.last().is_some_and(|l| p.start() < l.end) {
            continue;
        }
        // "à Toulouse, au centre de congrès Pierre-Baudis": one place
        let joined_to_prev = out.last().is_some_and(|l| {
            let gap = &text[l.end..c.get(0).map(|m| m.start()).unwrap_or(l.end).max(l.end)];
            gap.trim().is_empty() || gap.trim() == ","
        }) && text[..p.start()]
            .trim_end()
            .ends_with(|ch: char| ch.is_alphabetic() || ch == '\'')
            && text[out.last().map(|l| l.end).unwrap_or(0)..p.start()].contains(',');
        let first = p.as_str().split([' ', '\'']).next().unwrap_or("");
        let starts_upper = first.chars().next().is_some_and(|c| c.is_uppercase());
        let head = is_venue_head(first) && head_ok(first, &text[p.start() + first.len()..]);
        if !starts_upper && !head {
            continue;
        }
        // "en salle du conseil", "sous le chapiteau": a venue only ("en France", "en
        // Conseil des ministres" are not places)
        if c.name("prep")
            .is_some_and(|x| matches!(x.as_str(), "en" | "sous"))
            && !head
        {
            continue;
        }
        if NOT_PLACES.contains(&fold(first).as_str()) {
            continue;
        }
        // "initiation au Python", "Troc aux Plantes": after "au"/"aux", a capitalised word is a place
        // only as a town ("au Havre", "aux Mureaux"), a venue or the head of a longer name
        if c.name("prep")
            .is_some_and(|x| matches!(x.as_str(), "au" | "aux"))
            && !head
            && !after_place_cue(&text[..c.name("prep").map_or(0, |x| x.start())])
            // "à Montpellier, au Corum": the venue of the town just said
            && !joined_to_prev
            && !article_town(c.name("prep").map_or("", |x| x.as_str()), p.as_str())
            && !p.as_str().trim().contains(char::is_whitespace)
        {
            continue;
        }
        let mut start = p.start();
        let mut end = p.end();
        if head {
            // a venue name may go on in lower case: "Lieu de la transformation publique"
            if let Some(m) = VENUE_TAIL_RE.find(&text[start..]) {
                let name = trim_name(m.as_str());
                let words = name.split_whitespace().count();
                // longer ("Lieu de la transformation publique") or shorter ("mairie
                // de Quimper le 5 juin" -> "mairie de Quimper")
                if words <= 8 && !name.is_empty() {
                    end = start + name.len();
                }
            }
            // a lower-case head alone is a common noun ("dans le bâtiment qui"), but for
            // the places every village has ("à la médiathèque", "devant la mairie")
            if !starts_upper
                && !text[start..end].trim().contains(char::is_whitespace)
                && !LANDMARKS.contains(&fold(first).as_str())
            {
                continue;
            }
        } else {
            let name = trim_name(&text[start..end]);
            end = start + name.len();
            // "Hub numérique de Nantes", "Assemblée nationale"
            if !name.contains(char::is_whitespace)
                && text[end..]
                    .strip_prefix(' ')
                    .and_then(|r| r.split_whitespace().next())
                    .is_some_and(|w| w.starts_with(char::is_lowercase) && is_adjective(w))
            {
                if let Some(m) = VENUE_TAIL_RE.find(&text[start..]) {
                    let name = trim_name(m.as_str());
                    if name.len() > end - start {
                        end = start + name.len();
                    }
                }
            }
        }
        if end <= start {
            continue;
        }
        // ", Paris", " à Paris", " (22)" after a venue
        if let Some(t) = TOWN_AFTER_RE.captures(&text[end..]) {
            if let Some(tw) = t.name("t") {
                let tf = fold(tw.as_str().split([' ', '\'']).next().unwrap_or(""));
                if !NOT_PLACES.contains(&tf.as_str()) && (head || text[end..].starts_with(" (")) {
                    end += t.get(0).map(|m| m.end()).unwrap_or(0);
                } else if !NOT_PLACES.contains(&tf.as_str()) && text[end..].starts_with(" (") {
                    end += t.get(0).map(|m| m.end()).unwrap_or(0);
                }
            }
        }
        if let Some(m) = DEPT_RE.find(&text[end..]) {
            end += m.end();
        } else if let Some(m) = REGION_PAREN_RE.find(&text[end..]) {
            // "Saint-Denis (La Réunion)"
            end += m.end();
        }
        let name = text[start..end].trim().trim_end_matches([',', ' ', '.']);
        if name.chars().filter(|c| c.is_alphabetic()).count() < 3 {
            continue;
        }
        // "Le Lieu ..." keeps the article out
        if let Some(rest) = name.strip_prefix("Le ") {
            start += 3;
            let _ = rest;
        }
        if joined_to_prev {
            if let Some(l) = out.last_mut() {
                if end > l.end {
                    l.text = text[l.start..end]
                        .trim()
                        .trim_end_matches([',', ' '])
                        .to_string();
                    l.end = end;
                }
                continue;
            }
        }
        // "à la salle polyvalente, 3 rue des Lilas, 97110 Pointe-à-Pitre": venue and address
        let name_end = start + name.len().min(end - start);
        let (found, end) = if address_after(&text[name_end..])
            .or_else(|| town_in_brackets(&text[name_end..]))
            .is_some()
        {
            venue_with_address(text, start, name_end)
        } else {
            let found = text[start..name_end]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            (found, end)
        };
        out.push(Found {
            text: found,
            start,
            end,
        });
    }
    for t in bracketed_towns(text) {
        // "(Bourg-sur-Gironde)" holds "Gironde" found after "sur"
        out.retain(|o| !(t.start <= o.start && o.end <= t.end));
        if !out.iter().any(|o| o.start < t.end && t.start < o.end) {
            let at = out.partition_point(|o| o.start < t.start);
            out.insert(at, t);
        }
    }
    // "il inaugurera la Maison de l'emploi numérique de Saint-Pierre"
    if out.is_empty() && (text.contains("naugur") || text.contains("isite")) {
        out.extend(object_venue(text));
    }
    if text.contains([',', '|', ':', '–', '—'])
        || text.contains(" - ")
        || text.contains(|c: char| c.is_ascii_digit())
    {
        for v in comma_venues(text) {
            // "place des Cocotiers, à Nouméa" holds the town found alone
            out.retain(|o| !(v.start <= o.start && o.end <= v.end));
            if !out.iter().any(|o| o.start < v.end && v.start < o.end) {
                let at = out.partition_point(|o| o.start < v.start);
                out.insert(at, v);
            }
        }
    }
    out
}

/// Does the text before "au" announce a place: a date, an hour, or a verb of being
/// somewhere ("le 3 mars au Moulin Neuf", "rendez-vous au Hangar", "sera au Quai")?
fn after_place_cue(before: &str) -> bool {
    let Some(w) = before.split_whitespace().last() else {
        return false;
    };
    let f = fold(w.trim_end_matches([',', '*', '_']));
    f.starts_with(|c: char| c.is_ascii_digit())
        || super::lexicon::month(&f).is_some()
        || matches!(
            f.as_str(),
            "est"
                | "sera"
                | "seront"
                | "lieu"
                | "rendez-vous"
                | "retrouvez"
                | "retrouver"
                | "retrouvons"
                | "tiendra"
                | "deroulera"
                | "presents"
                | "presentes"
                | "present"
                | "presente"
                | "serons"
                | "accueillis"
                | "invites"
                | "venez"
                | "direction"
        )
}

/// "au Havre" is Le Havre, "aux Mureaux" is Les Mureaux: a town whose name has an article.
fn article_town(prep: &str, name: &str) -> bool {
    let first = name.split([' ', ',', '.', ';']).next().unwrap_or("");
    let article = if prep == "aux" { "Les" } else { "Le" };
    super::communes::is_commune(&format!("{article} {first}"))
}

static PAREN_TOWN_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\((?P<t>\p{Lu}[^()
]{1,60})\)",
    )
    .expect("valid paren regex")
});

/// Where a sentence ends in a place line: the first ". " that does not follow an
/// abbreviation of a street type or a title ("av.", "bd", "St.", "Dr.").
fn sentence_stop(raw: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = raw[from..].find(". ").map(|i| i + from) {
        let word = raw[..i].rsplit([' ', ',']).next().unwrap_or("");
        let f = fold(word);
        if !matches!(
            f.as_str(),
            "av" | "bd" | "bld" | "st" | "ste" | "dr" | "pl" | "r" | "fg" | "imp" | "rte" | "chem"
        ) {
            return Some(i);
        }
        from = i + 2;
    }
    None
}

/// Towns written alone in brackets after an entry ("Tournoi de printemps
/// (Quimperlé)", "Coupe régionale (Saint-Aubin-du-Cormier)"): known communes only.
pub fn bracketed_towns(text: &str) -> Vec<Found> {
    if !text.contains('(') {
        return Vec::new();
    }
    PAREN_TOWN_RE
        .captures_iter(text)
        .filter_map(|c| {
            let t = c.name("t")?;
            let inner = t.as_str().trim();
            let n = super::communes::longest_commune_prefix(inner)?;
            (n == inner.len()).then(|| Found {
                text: inner.to_string(),
                start: t.start(),
                end: t.start() + inner.len(),
            })
        })
        .collect()
}

static REGION_PAREN_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ \(\p{Lu}[\p{L}' \-]{2,24}\)").expect("valid region regex"));

static CELL_ONLINE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\|\s*(?:en ligne|en visio\S*|visioconf\S*|webinaire|distanciel|à distance)\s*(?:\||$)")
        .expect("valid cell regex")
});

static OBJECT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:inaugur\w*|visiter\w*|visite)\s+(?:la|le|les|l'|l’)\s*(?:(?:nouveau|nouvelle|nouvel|futur|future)\s+)?(?P<p>\p{L}[\p{L}\-]*)")
        .expect("valid object venue regex")
});

/// The venue a visit or an inauguration is about ("inaugurera la Maison de l'emploi").
fn object_venue(text: &str) -> Option<Found> {
    let c = OBJECT_RE.captures(text)?;
    let p = c.name("p")?;
    let first = p.as_str();
    if !is_venue_head(first) || fold(first) == "le" {
        return None;
    }
    let start = p.start();
    let m = VENUE_TAIL_RE.find(&text[start..])?;
    let name = trim_name(m.as_str());
    // a capitalised name or a head with its complement
    if !name.contains(char::is_whitespace) || !name.contains(char::is_uppercase) {
        return None;
    }
    Some(Found {
        text: name.split_whitespace().collect::<Vec<_>>().join(" "),
        start,
        end: start + name.len(),
    })
}

static COMMA_HEAD_RE: LazyLock<Regex> = LazyLock::new(|| {
    // after a comma, a bar, a colon, a dash, or an hour ("à 20h salle Jean-Vilar")
    Regex::new(r"(?:^|[,|:–—]|\s-\s|\d\s?h(?:\d\d)?\s)[ \t]*(?P<p>\p{L}[\p{L}\-]*)")
        .expect("valid comma venue regex")
});

/// Venues written after a comma, a colon or a table bar without a preposition
/// ("le 5 juin, parc des expositions de Rennes", "à 18H, foyer rural de Rochebrune").
pub fn comma_venues(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for c in COMMA_HEAD_RE.captures_iter(text) {
        let Some(p) = c.name("p") else { continue };
        let first = p.as_str();
        let start = p.start();
        let f = fold(first);
        // "Paris Expo Porte de Versailles", "Lille Grand Palais": a town, then a venue word
        let town_venue = first.starts_with(char::is_uppercase)
            && !NOT_PLACES.contains(&f.as_str())
            && text[p.end()..]
                .strip_prefix(' ')
                .and_then(|r| r.split_whitespace().next())
                .is_some_and(|w| w.starts_with(char::is_uppercase) && is_venue_head(w));
        if !town_venue && (!is_venue_head(first) || f == "le" || !head_ok(first, &text[p.end()..]))
        {
            continue;
        }
        let Some(m) = VENUE_TAIL_RE.find(&text[start..]) else {
            continue;
        };
        let name = trim_name(m.as_str());
        if !name.contains(char::is_whitespace) {
            continue;
        }
        let mut end = start + name.len();
        if let Some(t) = TOWN_AFTER_RE.captures(&text[end..]) {
            if let Some(tw) = t.name("t") {
                let tf = fold(tw.as_str().split([' ', '\'']).next().unwrap_or(""));
                if !NOT_PLACES.contains(&tf.as_str()) {
                    end += t.get(0).map(|m| m.end()).unwrap_or(0);
                }
            }
        }
        let name = text[start..end].trim().trim_end_matches([',', ' ', '.']);
        let (found, end) = venue_with_address(text, start, start + name.len());
        out.push(Found {
            text: found,
            start,
            end,
        });
    }
    out
}

static LABELLED_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:(?-u:\b)lieux?\s*:|(?-u:\b)o[ùu]\s*\?\s*:?|📍|(?-u:\b)adresse\s*:)[ \t]*(?P<p>[^\n—–|📅]+)")
        .expect("valid labelled place regex")
});

/// Places given on a labelled line: "Lieu : ...", "Où ? ...", "📍 ...", kept as written
/// with their street address ("Halle des manifestations, 12 rue du Port, 97420 Le Port").
pub fn labelled_places(text: &str) -> Vec<Found> {
    if !text.contains([':', '?', '📍']) {
        return Vec::new();
    }
    let full = text;
    let mut out = Vec::new();
    for c in LABELLED_RE.captures_iter(text) {
        let Some(p) = c.name("p") else { continue };
        let raw = p.as_str().trim_end();
        // the label's sentence only: "Où ? Salle des fêtes. Entrée libre." (not "12 av.
        // Jean-Jaurès")
        let raw = match sentence_stop(raw) {
            Some(i) => &raw[..i],
            None => raw,
        };
        let raw = raw.trim().trim_end_matches(['.', ',', ' ', ';']);
        if raw.chars().filter(|c| c.is_alphabetic()).count() < 3 {
            continue;
        }
        let first = raw.split([' ', '\'', ',']).next().unwrap_or("");
        // "Adresse : 12 bis, rue de la Gare 37290 ..." is a place too
        let address = first.starts_with(|c: char| c.is_ascii_digit())
            && ADDRESS_RE.find(raw).is_some_and(|m| m.start() == 0);
        if !first.starts_with(char::is_uppercase) && !is_venue_head(first) && !address {
            continue;
        }
        // "📍 Salle Le Genêt — 2 rue de la République 69740 Genas": with its address
        let (text, end) = venue_with_address(full, p.start(), p.start() + raw.len());
        out.push(Found {
            text,
            start: p.start(),
            end,
        });
    }
    out
}

static ADDRESS_AFTER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^[ \t]*(?:,|-|–|—|\(|au(?-u:\b)|situ[ée]e?s?\s+au(?-u:\b))?[ \t]*(?P<a>\d{1,4}(?:\s?(?:bis|ter|[a-d](?-u:\b)))?,?\s+(?:rue|avenue|av\.|bd|boulevard|place|quai|allée|allee|chemin|cours|impasse|route|square|esplanade|parvis|rond-point|promenade|passage)\s+[^,\n.;()<>|]{2,60})",
    )
    .expect("valid address regex")
});

static TOWN_TAIL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^,?\s*(?:\d{5}\s+)?\p{Lu}[\p{L}'\-]+(?:[ \-]\p{Lu}[\p{L}'\-]+)*(?:\s+\d{1,2}(?:e|er|ème))?(?:\s+(?:Cedex|CEDEX)(?:\s+\d{1,2})?)?(?:\s*[.,;)\n]|\s*$)",
    )
    .expect("valid town tail regex")
});

/// The street address written right after a venue (", 8 rue des Tanneurs à Morlaix",
/// " au 17 rue Victor-Hugo", ", 4 rue Oberkampf, Paris 11e", ", 120 route des
/// Crêtes, 06560 Valbonne"): its byte length in `rest`, up to its town.
pub fn address_after(rest: &str) -> Option<usize> {
    let c = ADDRESS_AFTER_RE.captures(rest)?;
    let a = c.name("a")?;
    // the street's name stops before a date, an hour or a clause
    let mut end = a.start();
    let mut words = 0;
    let body = a.as_str();
    let mut iter = body.split_inclusive(char::is_whitespace).peekable();
    let mut pos = a.start();
    while let Some(w) = iter.next() {
        let word = w.trim();
        let f = fold(word);
        let next_digit = iter
            .peek()
            .is_some_and(|n| n.trim_start().starts_with(|c: char| c.is_ascii_digit()));
        let stop = words > 2
            && (matches!(
                f.as_str(),
                "le" | "les" | "pour" | "afin" | "avec" | "et" | "qui" | "des" | "puis" | "ou"
            ) || (matches!(f.as_str(), "de" | "du" | "a" | "au") && next_digit)
                || super::lexicon::weekday(&f).is_some()
                || super::lexicon::month(&f).is_some()
                || (f.starts_with(|c: char| c.is_ascii_digit()) && f.contains('h')));
        if stop {
            break;
        }
        if !word.is_empty() {
            words += 1;
            end = pos + w.trim_end().len();
        }
        pos += w.len();
    }
    if let Some(m) = TOWN_TAIL_RE.find(&rest[end..]) {
        let t = m
            .as_str()
            .trim_end_matches(|c: char| ".,;)\n".contains(c) || c == ' ');
        end += t.len();
    }
    let text = rest[..end].trim_end_matches([',', ' ', '-']);
    Some(text.len()).filter(|&n| n > 0)
}

static BRACKET_TOWN_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[ \t]*\((?P<t>\p{Lu}[^(),\n]{1,40})").expect("valid regex"));

static ARRONDISSEMENT_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s+\d{1,2}(?:e|er|ème|ième)\b").expect("valid regex"));

/// The town said in brackets after a venue ("au MAS (Paris 13e, métro ...)"): the byte
/// length in `rest` up to the town and its arrondissement, when it is a known commune.
fn town_in_brackets(rest: &str) -> Option<usize> {
    let c = BRACKET_TOWN_RE.captures(rest)?;
    let t = c.name("t")?;
    let n = super::communes::longest_commune_prefix(t.as_str())?;
    let mut end = t.start() + n;
    if let Some(m) = ARRONDISSEMENT_RE.find(&rest[end..]) {
        end += m.end();
    }
    Some(end)
}

/// A venue found in `text` from `start` to `end`, with the street address that follows it.
fn venue_with_address(text: &str, start: usize, end: usize) -> (String, usize) {
    let end = match address_after(&text[end..]).or_else(|| town_in_brackets(&text[end..])) {
        Some(n) => end + n,
        None => end,
    };
    // "école ESGI (12 rue X, 75012 Paris)": the venue, then its address
    let name = text[start..end]
        .replacen(" (", ", ", 1)
        .replacen('(', ", ", 1)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (name, end)
}

/// The street address in a text ("12 rue du Port, 97420 Le Port").
pub fn street_address(text: &str) -> Option<Found> {
    if !text.contains(|c: char| c.is_ascii_digit()) {
        return None;
    }
    ADDRESS_RE.find(text).map(|m| Found {
        text: m.as_str().trim().trim_end_matches([',', ' ']).to_string(),
        start: m.start(),
        end: m.end(),
    })
}

pub fn find_addresses(text: &str) -> Vec<Found> {
    ADDRESS_RE
        .find_iter(text)
        .map(|m| {
            let mut start = m.start();
            // "La Grande Crypte - 69 bis rue Boissière": keep the venue name before it
            if let Some(c) = NAME_BEFORE_RE.captures(&text[..start]) {
                if let Some(n) = c.name("n") {
                    let f = fold(n.as_str().split(' ').next().unwrap_or(""));
                    if !NOT_PLACES.contains(&f.as_str()) || f == "la" || f == "le" {
                        start = n.start();
                    }
                }
            }
            Found {
                text: text[start..m.end()].trim().to_string(),
                start,
                end: m.end(),
            }
        })
        .collect()
}

static NAME_BEFORE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[\n:>»]\s*|\s{2,})(?P<n>\p{Lu}[\p{L}'\-]*(?:\s+[\p{L}'\-]+){0,5})\s*(?:-|,|:)\s*$",
    )
    .expect("valid name regex")
});

/// The town of an address ("75015 Paris" -> "Paris").
pub fn town_of_address(addr: &str) -> Option<String> {
    POSTCODE_TOWN_RE
        .captures(addr)
        .and_then(|c| c.name("t"))
        .map(|t| t.as_str().to_string())
}

pub fn find_stand(text: &str) -> Option<Found> {
    if !text.contains("tand") && !text.contains("TAND") {
        return None;
    }
    let c = STAND_RE
        .captures(text)
        .or_else(|| STAND_ADJ_RE.captures(text))
        .or_else(|| STAND_PAREN_RE.captures(text))?;
    let s = c.name("s")?;
    let id: String = s.as_str().chars().filter(|c| !c.is_whitespace()).collect();
    // a stand id holds a digit, and is not a bare year or a count ("3 stands")
    if !id.chars().any(|c| c.is_ascii_digit()) || id.len() > 6 {
        return None;
    }
    let m = c.get(0)?;
    Some(Found {
        text: id.to_uppercase(),
        start: m.start(),
        end: m.end(),
    })
}

static LABEL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|\n|\|)[ \t*_>-]*(?:📍|(?:lieu|où|ou|adresse|localisation)(?:\s*\(s\))?[ \t*_]*:)[ \t*_]*(?P<p>[^\n|]{3,160})")
        .expect("valid label regex")
});

/// A place given on its own line after a label: "Lieu : Maison de la Mutualité, Paris",
/// "📍 Paris, au Lieu de la transformation publique".
pub fn find_labelled_place(text: &str) -> Option<Found> {
    let c = LABEL_RE.captures(text)?;
    let p = c.name("p")?;
    let mut v = p.as_str();
    if let Some(i) = v.find(". ") {
        v = &v[..i];
    }
    let v = v.trim().trim_end_matches(['.', ',', ';', ' ', '*', '_']);
    let f = fold(v);
    if v.chars().filter(|c| c.is_alphabetic()).count() < 3
        || f.starts_with("en ligne")
        || f.starts_with("a distance")
        || f.starts_with("a definir")
        || f.starts_with("a preciser")
        || f.starts_with("non ")
    {
        return None;
    }
    Some(Found {
        text: v.to_string(),
        start: p.start(),
        end: p.start() + v.len(),
    })
}

/// How a text speaks of an online event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Online {
    /// Nothing said.
    None,
    /// Only online ("webinaire", "100 % en ligne").
    Only,
    /// In person and online ("en présentiel et en ligne", "hybride").
    Hybrid,
}

static ONLINE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:w[ée]binaires?|webinars?|visio-?conf[ée]rences?|en visio(?-u:\b)|en distanciel|100\s?%\s?(?:en ligne|digital|virtuel|num[ée]rique)|(?:forum|salon|[ée]v[ée]nement|rencontre|session|conf[ée]rence|atelier|formation)s?\s+(?:virtuel|en ligne|digital|100 ?% en ligne)|en direct sur|(?:\w*\d|h|heures?|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre|prochain)\s*,?\s+en ligne(?-u:\b)|en live sur|livestream|diffus[ée]e?s? en (?:direct|ligne)|retransmis|se tiendra en ligne|aura lieu en ligne|se d[ée]roulera en ligne|organis[ée]e?s? en ligne|a distance|à distance|via (?:zoom|teams|webex|livestorm)|sur (?:zoom|teams|webex|livestorm|youtube)|livestorm)").expect("valid online regex")
});

static HYBRID_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:hybride|en pr[ée]sentiel (?:et|ou) (?:en ligne|[àa] distance|en visio|en distanciel)|(?:en ligne|[àa] distance|en visio\w*|en distanciel) (?:et|ou) en pr[ée]sentiel|sur place (?:et|ou) (?:en ligne|[àa] distance)|(?:ou|et) (?:en ligne|[àa] distance|en visioconf[ée]rence)|(?:ou|et) en visio|en pr[ée]sentiel)").expect("valid hybrid regex")
});

/// Words one of which every online or hybrid pattern holds ("100" for "100 % numérique").
const ONLINE_CUES: &[&str] = &[
    "ligne",
    "webina",
    "wébina",
    "visio",
    "distan",
    "direct",
    "live",
    "zoom",
    "teams",
    "webex",
    "youtube",
    "virtuel",
    "retransmi",
    "hybride",
    "sentiel",
    "100",
    "digital",
    "sur place",
];

static ONLINE_CUES_AC: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostFirst)
        .build(ONLINE_CUES)
        .ok()
});

/// Cheap test before the online regexes: none of their words is present.
fn may_speak_of_online(text: &str) -> bool {
    match &*ONLINE_CUES_AC {
        Some(ac) => ac.is_match(text),
        None => true,
    }
}

pub fn online(text: &str) -> (Online, Option<Found>) {
    if !may_speak_of_online(text) {
        return (Online::None, None);
    }
    if let Some(m) = HYBRID_RE.find(text) {
        return (
            Online::Hybrid,
            Some(Found {
                text: m.as_str().to_string(),
                start: m.start(),
                end: m.end(),
            }),
        );
    }
    if let Some(m) = ONLINE_RE.find(text) {
        return (
            Online::Only,
            Some(Found {
                text: m.as_str().to_string(),
                start: m.start(),
                end: m.end(),
            }),
        );
    }
    (Online::None, None)
}

static BARE_ONLINE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)([\p{L}]+)[\s,]+en ligne(?-u:\b)").expect("valid online regex")
});

/// Words before "en ligne" that speak of services, not of an event held online.
const NOT_ONLINE_BEFORE: &[&str] = &[
    "demarche",
    "demarches",
    "service",
    "services",
    "procedure",
    "procedures",
    "formulaire",
    "formulaires",
    "accessible",
    "accessibles",
    "disponible",
    "disponibles",
    "publie",
    "publiee",
    "publies",
    "publiees",
    "mis",
    "mise",
    "mises",
    "outil",
    "outils",
    "plateforme",
    "site",
    "sites",
    "ressource",
    "ressources",
    "paiement",
    "candidature",
    "candidatures",
    "candidater",
    "inscription",
    "inscriptions",
    "inscrire",
    "consultable",
    "consultables",
    "deposer",
    "remplir",
    "vente",
    "achat",
    "information",
    "informations",
    "donnees",
    "acces",
    "offre",
    "offres",
    "publication",
    "questionnaire",
    "enquete",
    "consultation",
    "contenus",
    "postuler",
    "declaration",
    "declarations",
    "teleservice",
    "guichet",
    "catalogue",
    "version",
    "documentation",
    "presence",
    "fiches",
    "fiche",
    "signalement",
    "carte",
    "annuaire",
    "mettre",
    "disponibilite",
    "exemplaire",
    "commande",
    "ligne",
    "simulateur",
    "rapport",
    "guide",
    "article",
    "articles",
];

/// Like [`online`], and also a bare "en ligne" after a word that is not a service
/// ("des ateliers ... de 10 heures à 13 heures en ligne").
pub fn online_in_sentence(text: &str) -> (Online, Option<Found>) {
    let r = online(text);
    if r.0 != Online::None {
        return r;
    }
    // a table cell: "| Jeudi 12 décembre | 14h00-17h00 | En ligne |"
    if text.contains('|') {
        if let Some(m) = CELL_ONLINE_RE.find(text) {
            return (
                Online::Only,
                Some(Found {
                    text: m.as_str().to_string(),
                    start: m.start(),
                    end: m.end(),
                }),
            );
        }
    }
    if !text.contains("ligne") {
        return r;
    }
    for c in BARE_ONLINE_RE.captures_iter(text) {
        let (Some(w), Some(m)) = (c.get(1), c.get(0)) else {
            continue;
        };
        if !NOT_ONLINE_BEFORE.contains(&fold(w.as_str()).as_str()) {
            return (
                Online::Only,
                Some(Found {
                    text: m.as_str().to_string(),
                    start: m.start(),
                    end: m.end(),
                }),
            );
        }
    }
    (Online::None, None)
}

/// Overseas places and their IANA time zones.
const ZONES: &[(&str, &str)] = &[
    ("pointe-a-pitre", "America/Guadeloupe"),
    ("guadeloupe", "America/Guadeloupe"),
    ("basse-terre", "America/Guadeloupe"),
    ("baie-mahault", "America/Guadeloupe"),
    ("fort-de-france", "America/Martinique"),
    ("martinique", "America/Martinique"),
    ("cayenne", "America/Cayenne"),
    ("guyane", "America/Cayenne"),
    ("kourou", "America/Cayenne"),
    ("saint-denis de la reunion", "Indian/Reunion"),
    ("saint-pierre de la reunion", "Indian/Reunion"),
    ("mamoudzou", "Indian/Mayotte"),
    ("mayotte", "Indian/Mayotte"),
    ("noumea", "Pacific/Noumea"),
    ("nouvelle-caledonie", "Pacific/Noumea"),
    ("papeete", "Pacific/Tahiti"),
    ("tahiti", "Pacific/Tahiti"),
    ("polynesie", "Pacific/Tahiti"),
    ("saint-pierre-et-miquelon", "America/Miquelon"),
    ("miquelon", "America/Miquelon"),
    ("wallis", "Pacific/Wallis"),
    ("mata-utu", "Pacific/Wallis"),
    ("saint-barthelemy", "America/St_Barthelemy"),
    ("gustavia", "America/St_Barthelemy"),
    ("saint-martin", "America/Marigot"),
    ("marigot", "America/Marigot"),
    ("les abymes", "America/Guadeloupe"),
    ("le gosier", "America/Guadeloupe"),
    ("capesterre-belle-eau", "America/Guadeloupe"),
    ("le moule", "America/Guadeloupe"),
    ("saint-francois", "America/Guadeloupe"),
    ("marie-galante", "America/Guadeloupe"),
    ("schoelcher", "America/Martinique"),
    ("le lamentin", "America/Martinique"),
    ("saint-laurent-du-maroni", "America/Cayenne"),
    ("matoury", "America/Cayenne"),
    ("remire-montjoly", "America/Cayenne"),
    ("le tampon", "Indian/Reunion"),
    ("saint-benoit", "Indian/Reunion"),
    ("dzaoudzi", "Indian/Mayotte"),
    ("koungou", "Indian/Mayotte"),
    ("dumbea", "Pacific/Noumea"),
    ("nouville", "Pacific/Noumea"),
    ("tjibaou", "Pacific/Noumea"),
    ("punaauia", "Pacific/Tahiti"),
];

/// Overseas postcode prefixes and their time zones.
const POSTCODE_ZONES: &[(&str, &str)] = &[
    ("971", "America/Guadeloupe"),
    ("972", "America/Martinique"),
    ("973", "America/Cayenne"),
    ("974", "Indian/Reunion"),
    ("975", "America/Miquelon"),
    ("976", "Indian/Mayotte"),
    ("987", "Pacific/Tahiti"),
    ("988", "Pacific/Noumea"),
];

/// The overseas zone of a five-digit postcode written in `text` ("97420 Le Port").
pub fn zone_of_postcode(text: &str) -> Option<&'static str> {
    let b = text.as_bytes();
    let mut i = 0;
    while i + 5 <= b.len() {
        let five = b[i..i + 5].iter().all(u8::is_ascii_digit);
        let before = i == 0 || !b[i - 1].is_ascii_digit();
        let after = b.get(i + 5).is_none_or(|c| !c.is_ascii_digit());
        if five && before && after {
            if let Some((_, z)) = POSTCODE_ZONES
                .iter()
                .find(|(p, _)| b[i..i + 3] == *p.as_bytes())
            {
                return Some(z);
            }
        }
        i += 1;
    }
    None
}

pub const DEFAULT_ZONE: &str = "Europe/Paris";

/// The overseas zones of the place names, each once, in the order of `ZONES`.
pub fn overseas_zones() -> impl Iterator<Item = &'static str> {
    ZONES
        .iter()
        .enumerate()
        .filter(|&(i, (_, z))| !ZONES[..i].iter().any(|(_, y)| y == z))
        .map(|(_, &(_, z))| z)
}

/// The names of `ZONES`, searched in one pass.
static ZONES_AC: LazyLock<Option<AhoCorasick>> =
    LazyLock::new(|| AhoCorasick::new(ZONES.iter().map(|z| z.0)).ok());

static LA_REUNION_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\p{L}])(?:[Ll]a|LA|[ÎIîi]le de la) (?:Réunion|Reunion|RÉUNION)(?P<next>[^\p{L}]*\p{L}?)")
        .expect("valid regex")
});

/// The island, not a meeting: "La Réunion", "île de la Réunion", "Saint-Denis (La
/// Réunion)", but not "la Réunion publique du conseil".
fn names_la_reunion(place: &str) -> bool {
    LA_REUNION_RE.captures_iter(place).any(|c| {
        let next = c.name("next").map_or("", |m| m.as_str());
        // a lower-case word right after is the common noun's complement
        !(next.starts_with(' ') && next.trim_start().starts_with(char::is_lowercase))
    })
}

/// The time zone of a place name, Europe/Paris when it is not overseas.
pub fn zone_of(place: &str) -> &'static str {
    if let Some(z) = zone_of_postcode(place) {
        return z;
    }
    let f = fold(place);
    // "Le Port" of La Réunion: the town alone, or after a venue
    if f == "le port" || f.ends_with(", le port") {
        return "Indian/Reunion";
    }
    if names_la_reunion(place) {
        return "Indian/Reunion";
    }
    // the first name of the table whose first occurrence in the place is a whole word
    let whole_word = |i: usize, len: usize| {
        let before_ok = i == 0 || !f[..i].ends_with(|c: char| c.is_alphanumeric());
        let after_ok = !f[i + len..].starts_with(|c: char| c.is_alphanumeric());
        before_ok && after_ok
    };
    let best = match &*ZONES_AC {
        Some(ac) => ac
            .find_overlapping_iter(&f)
            .filter(|m| {
                let name = ZONES[m.pattern().as_usize()].0;
                f.find(name) == Some(m.start()) && whole_word(m.start(), name.len())
            })
            .map(|m| m.pattern().as_usize())
            .min(),
        None => ZONES
            .iter()
            .position(|(name, _)| f.find(name).is_some_and(|i| whole_word(i, name.len()))),
    };
    if let Some(k) = best {
        return ZONES[k].1;
    }
    DEFAULT_ZONE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn la_reunion_the_island_not_a_meeting() {
        for (place, zone) in [
            ("Saint-Denis, La Réunion", "Indian/Reunion"),
            ("île de la Réunion", "Indian/Reunion"),
            ("Cité des métiers (La Réunion)", "Indian/Reunion"),
            ("Réunion publique du conseil", "Europe/Paris"),
            ("Compte rendu de la Réunion publique", "Europe/Paris"),
            ("salle de la réunion", "Europe/Paris"),
        ] {
            assert_eq!(zone_of(place), zone, "{place}");
        }
    }

    fn places(s: &str) -> Vec<String> {
        find_places(s).into_iter().map(|f| f.text).collect()
    }

    #[test]
    fn venues_and_towns() {
        assert_eq!(
            places("du 21 au 23 novembre à Paris Porte de Versailles, au sein"),
            ["Paris Porte de Versailles"]
        );
        assert_eq!(
            places("se tiendra à Bordeaux du 19 au 20 octobre"),
            ["Bordeaux"]
        );
        assert_eq!(
            places("au Lieu de la transformation publique, à Paris."),
            ["Lieu de la transformation publique, à Paris"]
        );
        assert_eq!(
            places("au palais des Congrès de Paris"),
            ["palais des Congrès de Paris"]
        );
        assert_eq!(
            places("au dock Pullmann, Aubervilliers"),
            ["dock Pullmann, Aubervilliers"]
        );
        assert_eq!(places("à Ploufragan (22) le 3 mai"), ["Ploufragan (22)"]);
        assert_eq!(places("à l'État de simplifier"), Vec::<String>::new());
        assert_eq!(places("à Pointe-à-Pitre"), ["Pointe-à-Pitre"]);
    }

    #[test]
    fn labelled_places() {
        let f = |s: &str| find_labelled_place(s).map(|f| f.text);
        assert_eq!(
            f("Date : 5 juin\nLieu : Maison de la Mutualité, Paris\n"),
            Some("Maison de la Mutualité, Paris".into())
        );
        assert_eq!(
            f("📍 Paris, au Lieu de la transformation publique (15e)."),
            Some("Paris, au Lieu de la transformation publique (15e)".into())
        );
        assert_eq!(
            f("**Lieu :** salle des fêtes de Rezé"),
            Some("salle des fêtes de Rezé".into())
        );
        assert_eq!(f("Lieu : en ligne"), None);
        assert_eq!(f("Le lieu est magnifique."), None);
    }

    #[test]
    fn addresses_stands_online_zones() {
        assert_eq!(
            find_addresses("au 1 boulevard des Cités Unies 59777 Lille")[0].text,
            "1 boulevard des Cités Unies 59777 Lille"
        );
        assert_eq!(
            find_stand("rendez-vous au stand A40.").map(|f| f.text),
            Some("A40".into())
        );
        assert_eq!(
            find_stand("stand n°J59").map(|f| f.text),
            Some("J59".into())
        );
        assert_eq!(
            find_stand("Pavillon A, Stand A40").map(|f| f.text),
            Some("A40".into())
        );
        assert_eq!(
            find_stand("stands A12 et A14").map(|f| f.text),
            Some("A12".into())
        );
        assert_eq!(
            find_stand("au sein d'un stand dédié (A40)").map(|f| f.text),
            Some("A40".into())
        );
        assert_eq!(find_stand("un stand dédié"), None);
        assert_eq!(online("un webinaire de présentation").0, Online::Only);
        assert_eq!(online("en présentiel et en ligne").0, Online::Hybrid);
        assert_eq!(online("à Paris").0, Online::None);
        assert_eq!(zone_of("Pointe-à-Pitre"), "America/Guadeloupe");
        assert_eq!(zone_of("Saint-Denis de La Réunion"), "Indian/Reunion");
        assert_eq!(zone_of("Nouméa"), "Pacific/Noumea");
        assert_eq!(zone_of("Cayenne"), "America/Cayenne");
        assert_eq!(zone_of("Lille"), "Europe/Paris");
    }
}
