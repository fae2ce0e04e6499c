//! What a dated mention is: an event, a deadline, a period, a past happening;
//! and whether it is cancelled or postponed. Decided from the words around it.

use super::normalize::{Kind, Tok};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cues {
    /// "jusqu'au", "avant le", "au plus tard", "date limite", "clôture".
    pub deadline: bool,
    /// "à partir du", "dès le", "à compter du", "depuis le".
    pub period: bool,
    /// A call, application or consultation window ("candidatures", "appel à projets").
    pub call: bool,
    /// Past tense or "dernier" ("a eu lieu", "s'est tenu", "ont signé").
    pub past: bool,
    /// Names a happening people attend ("salon", "webinaire", "rencontre", "se tiendra").
    pub event: bool,
    /// A programme milestone, not a public happening ("jury", "résultats", "arrivée").
    pub milestone: bool,
    /// Names the happening itself ("salon", "se tient", "a lieu").
    pub strong_event: bool,
    pub cancelled: bool,
    pub postponed: bool,
    /// The old date of a rescheduled happening ("initialement prévu le 25 mars").
    pub superseded: bool,
    /// A service notice: a closing, a maintenance, a reopening.
    pub notice: bool,
    /// A line of dates under a head ("Prochaines dates :", "Save the date :").
    pub list_head: bool,
    /// Names a happening that lasts weeks (an exhibition, a festival, a "Mois du ...").
    pub long_event: bool,
}

const EVENT_WORDS: &[&str] = &[
    "revient",
    "reviennent",
    "salon",
    "salons",
    "forum",
    "forums",
    "congres",
    "conference",
    "conferences",
    "webinaire",
    "webinaires",
    "webinar",
    "webinars",
    "meetup",
    "rencontre",
    "rencontres",
    "atelier",
    "ateliers",
    "hackathon",
    "journee",
    "journees",
    "seminaire",
    "colloque",
    "sommet",
    "rendez",
    "session",
    "sessions",
    "formation",
    "ceremonie",
    "demo",
    "visioconference",
    "live",
    "assises",
    "festival",
    "evenement",
    "evenements",
    "evenement",
    "inauguration",
    "presentation",
    "cafe",
    "matinee",
    "soiree",
    "stand",
    "tiendra",
    "tiendront",
    "tient",
    "deroulera",
    "derouleront",
    "organise",
    "organisee",
    "organisera",
    "invite",
    "convie",
    "participer",
    "inscrire",
    "inscription",
    "inscriptions",
    "inscrivez",
    "retrouvez",
    "retrouver",
    "rejoignez",
    "reunion",
    "keynote",
    "pitch",
    "masterclass",
    "exposition",
    "debat",
    "debats",
    "visite",
    "lancera",
    "accueillera",
    "table",
    "plenieres",
    "pleniere",
    "conferencier",
    "intervenants",
    "intervenant",
    "hackathons",
    "barcamp",
    "datathon",
    "challenge",
    "remise",
    "temoignages",
    "echanger",
    "meetups",
    "workshop",
    "tables",
    "marathon",
    "concertation",
    "consultation",
    "ouvert",
    "ouverte",
    "gratuit",
    "gratuite",
    "presents",
    "presentes",
    "presente",
    "presentera",
    "presenteront",
    "interviendra",
    "interviendront",
    "animera",
    "anime",
    "animee",
    "lieu",
    "diffuse",
    "direct",
    "replay",
    "meeting",
    "seance",
    "seances",
    "restitution",
    "cloture",
    // what towns, villages and associations hold
    "convies",
    "conviees",
    "invites",
    "invitees",
    "attendons",
    "repas",
    "loto",
    "concert",
    "concerts",
    "spectacle",
    "spectacles",
    "fete",
    "fetes",
    "kermesse",
    "brocante",
    "braderie",
    "vide-grenier",
    "vide-greniers",
    "bourse",
    "marche",
    "randonnee",
    "balade",
    "tournoi",
    "competition",
    "championnat",
    "championnats",
    "stage",
    "stages",
    "bal",
    "projection",
    "permanence",
    "commemoration",
    "collecte",
    "portes",
    "apero",
    "aperitif",
    "galette",
    "gouter",
    "veillee",
    "course",
    "trail",
    "cross",
    "triathlon",
    "assemblee",
    "vernissage",
    "dedicace",
    "dedicaces",
    "lecture",
];

const STRONG_WORDS: &[&str] = &[
    "salon",
    "forum",
    "congres",
    "conference",
    "webinaire",
    "webinar",
    "meetup",
    "rencontre",
    "atelier",
    "hackathon",
    "journee",
    "seminaire",
    "colloque",
    "sommet",
    "ceremonie",
    "assises",
    "festival",
    "inauguration",
    "visioconference",
    "table",
    "session",
];

/// Past tense around a date: the happening is over.
const PAST_PHRASES: &[&str] = &[
    "a deja",
    "ont deja",
    "lance le",
    "lancee le",
    "cree le",
    "creee le",
    "a eu lieu",
    "ont eu lieu",
    "avait eu lieu",
    "s ' est tenu",
    "s ' est tenue",
    "s ' est deroule",
    "s ' est deroulee",
    "s ' etait",
    "s ' etaient",
    "se sont tenus",
    "se sont tenues",
    "se sont deroules",
    "se sont deroulees",
    "a reuni",
    "ont reuni",
    "a rassemble",
    "ont rassemble",
    "ont signe",
    "a signe",
    "a ete",
    "ont ete",
    "a lance",
    "a presente",
    "a accueilli",
    "a permis",
    "ont participe",
    "a participe",
    "a annonce",
    "a devoile",
    "a remis",
    "ont remis",
    "a inaugure",
    "etait",
    "etaient",
    "avait",
    "avaient",
    "hier",
    "s ' est acheve",
    "s ' est achevee",
    "a marque",
    "a organise",
    "ont pu",
    "a pu",
    "s ' est reuni",
    "s ' est reunie",
    "se sont reunis",
    "se sont reunies",
    "a clos",
    "a cloture",
    "ont echange",
    "a rappele",
    "a salue",
    "ont salue",
    "a ouvert",
    "etions",
    "s ' est bien deroule",
    "s ' est bien deroulee",
    "s ' est bien passe",
    "s ' est bien passee",
    "a bien eu lieu",
    "ont bien eu lieu",
    "etiez",
    "avons ete",
    "avons eu",
    "avons participe",
    "avons accueilli",
    "a ete lancee",
    "a ete lance",
    "ont ete lancees",
];

/// More words of gatherings: who comes, what it gathers.
const GATHERING_WORDS: &[&str] = &[
    "assemblee",
    "matinale",
    "matinales",
    "showroom",
    "soutenance",
    "soutenances",
    "finale",
    "day",
    "salons",
    "congres",
    "symposium",
    "universite",
    "convention",
    "rdv",
    "participants",
    "participantes",
    "nuit",
    "visiteurs",
    "exposants",
    "reunira",
    "reuniront",
    "rassemblera",
    "rassembleront",
    "accueillera",
    "accueilleront",
    "convie",
    "conviee",
];

const MILESTONE_WORDS: &[&str] = &[
    "jury",
    "selection",
    "preselection",
    "resultats",
    "arrivee",
    "demarrage",
    "prise",
    "vigueur",
    "publication",
    "lauréats",
    "laureats",
    "depot",
    "candidats",
    "candidature",
    "candidatures",
    "recrutement",
    "integration",
    "entretiens",
    "entretien",
    "annonce",
    "version",
    "deploiement",
    "generalisation",
    "rapport",
    "loi",
    "decret",
    "arrete",
    "circulaire",
    "ordonnance",
    "ouverture",
    "fermeture",
    "mise",
];

const EVENT: u8 = 1;
const STRONG: u8 = 2;
const MILESTONE: u8 = 4;
const CANCELLED: u8 = 8;
const NOTICE: u8 = 16;

static CLASSES: std::sync::LazyLock<std::collections::HashMap<&'static str, u8>> =
    std::sync::LazyLock::new(|| {
        let mut m = std::collections::HashMap::new();
        for (list, class) in [
            (EVENT_WORDS, EVENT),
            (GATHERING_WORDS, EVENT),
            (STRONG_WORDS, STRONG),
            (MILESTONE_WORDS, MILESTONE),
            (NOTICE_WORDS, NOTICE),
        ] {
            for w in list {
                *m.entry(*w).or_insert(0) |= class;
            }
        }
        m
    });

/// The classes of a folded word in the tables above (a bit set).
pub fn word_class(folded: &str) -> u8 {
    let mut c = CLASSES.get(folded).copied().unwrap_or(0);
    if folded.starts_with("annul") {
        c |= CANCELLED;
    }
    c
}

/// Does `words` (folded, space-joined) end with one of `pats`?
/// A pattern only matches whole words: "etudes le" does not end with "des le".
fn ends_with_any(words: &str, pats: &[&str]) -> bool {
    pats.iter().any(|p| {
        words
            .strip_suffix(p)
            .is_some_and(|rest| rest.is_empty() || rest.ends_with(' '))
    })
}

fn joined(t: &[Tok]) -> String {
    let mut s = String::with_capacity(t.len() * 8);
    for x in t {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&x.norm);
    }
    s
}

/// The folded words of `t`, space-joined, with a space before and after.
fn padded(t: &[Tok], after: bool) -> String {
    let mut s = String::with_capacity(t.len() * 8 + 2);
    for x in t {
        s.push(' ');
        s.push_str(&x.norm);
    }
    if after || t.is_empty() {
        s.push(' ');
    }
    s
}

/// Does `text` hold `p` right after a space (and, when `space_after`, right before one)?
fn has_after_space(text: &str, p: &str, space_after: bool) -> bool {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(k) = text.get(from..).and_then(|rest| rest.find(p)) {
        let i = from + k;
        if i > 0 && b[i - 1] == b' ' && (!space_after || b.get(i + p.len()) == Some(&b' ')) {
            return true;
        }
        // the next occurrence may overlap this one
        from = i + text[i..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// Phrases searched in one pass over a sentence (one automaton per list, built once).
type PhraseSearch = std::sync::LazyLock<Option<aho_corasick::AhoCorasick>>;

static CALL_AC: PhraseSearch =
    PhraseSearch::new(|| aho_corasick::AhoCorasick::new(CALL_WORDS).ok());
static STRONG_AC: PhraseSearch =
    PhraseSearch::new(|| aho_corasick::AhoCorasick::new(STRONG_PHRASES).ok());
static PAST_AC: PhraseSearch =
    PhraseSearch::new(|| aho_corasick::AhoCorasick::new(PAST_PHRASES).ok());
static RESCHEDULED_AC: PhraseSearch =
    PhraseSearch::new(|| aho_corasick::AhoCorasick::new(RESCHEDULED_BEFORE).ok());
static VISIT_AC: PhraseSearch =
    PhraseSearch::new(|| aho_corasick::AhoCorasick::new(VISIT_PHRASES).ok());

/// Does `text` hold one of `list` right after a space (and, when `space_after`, right
/// before one)? Every occurrence counts, overlapping ones included.
fn any_phrase(ac: &PhraseSearch, list: &[&str], text: &str, space_after: bool) -> bool {
    let b = text.as_bytes();
    let bounded = |i: usize, len: usize| {
        i > 0 && b[i - 1] == b' ' && (!space_after || b.get(i + len) == Some(&b' '))
    };
    match &**ac {
        Some(ac) => ac
            .find_overlapping_iter(text)
            .any(|m| bounded(m.start(), m.len())),
        None => list.iter().any(|p| has_after_space(text, p, space_after)),
    }
}

/// Calls for applications or projects ("appel à projets", "candidatures").
const CALL_WORDS: &[&str] = &[
    "candidat",
    "postul",
    "appel a projets",
    "appel a candidatures",
    "appel a manifestation",
    "appel a projet",
    "depot des",
    "deposer",
    "soumettre",
    "consultation",
    "inscriptions sont ouvertes",
    "inscriptions ouvertes",
    "preinscription",
    "pre - inscription",
];

/// Verbs that name the happening itself.
const STRONG_PHRASES: &[&str] = &[
    "se tient",
    "se tiendra",
    "a lieu",
    "aura lieu",
    "se deroule",
    "ouvre ses portes",
    "se retrouve",
    "se retrouvera",
    "se retrouveront",
    "nous retrouver",
    "on vous attend",
    "vous attendons",
    "vous propose",
    "vous proposent",
];

/// Look at the sentence `t[s..e]` around a mention `t[first..last]`.
pub fn cues(t: &[Tok], s: usize, e: usize, first: usize, last: usize) -> Cues {
    let mut c = Cues::default();
    // a mention may run over a sentence end ("le 9\nnovembre")
    let last = last.min(t.len());
    let first = first.min(last);
    let s = s.min(first);
    let e = e.max(last).min(t.len());
    let before = joined(&t[first.saturating_sub(6).max(s)..first]);
    let near_before = joined(&t[first.saturating_sub(3).max(s)..first]);
    let sentence = padded(&t[s..e], true);
    let after = joined(&t[last..(last + 4).min(e)]);

    c.deadline = ends_with_any(
        &before,
        &[
            "jusqu ' au",
            "jusqu ' a",
            "jusqu au",
            "avant le",
            "avant le jeudi",
            "au plus tard le",
            "au plus tard",
            "limite",
            "limite le",
            "limite :",
            "limite de depot :",
            "d ' ici le",
            "butoir",
            "butoir :",
            "cloturees le",
            "seront closes le",
            "clotureront le",
            "closes le",
            "fermera le",
            "se termine le",
            "prend fin le",
            "avant",
        ],
    ) || near_before.contains("limite")
        || after.starts_with("au plus tard")
        || after.starts_with(", au plus tard")
        || sentence.contains("date limite")
        || sentence.contains("au plus tard")
        || sentence.contains("butoir");
    c.period = ends_with_any(
        &before,
        &[
            "a partir du",
            "a partir de",
            "a compter du",
            "a compter de",
            "des le",
            "depuis le",
            "depuis",
            "courant",
            "d ' ici",
            "a partir du mardi",
            "a partir du lundi",
            "des",
        ],
    );
    // "dès" and the article "des" fold alike: "le week-end des 14 et 15 juin" names
    // several days, "dès le 7 mars" or "dès lundi 5 juin" one start
    if c.period
        && ends_with_any(&before, &["des"])
        && t[first..last]
            .iter()
            .any(|x| x.is_word("et") || x.is_word("au") || x.norm == ",")
    {
        c.period = false;
    }
    c.call = any_phrase(&CALL_AC, CALL_WORDS, &sentence, false);
    if before.contains("cloture") && (c.call || sentence.contains("inscription")) {
        c.deadline = true;
    }
    // "Inscriptions du 1er au 15 mars", "ouverture des candidatures le 3 mars"
    let registration = ["inscription", "candidature", "preinscription"]
        .iter()
        .any(|w| {
            let b = before.trim_end_matches([' ', ':', '-']);
            let b = b
                .strip_suffix(" du")
                .or_else(|| b.strip_suffix(" le"))
                .or_else(|| b.strip_suffix(" des le"))
                .or_else(|| b.strip_suffix(" a partir du"))
                .or_else(|| b.strip_suffix(" jusqu ' au"))
                .unwrap_or(b)
                .trim_end_matches([' ', ':', '-']);
            b.ends_with(w)
                || b.strip_suffix('s').is_some_and(|b| b.ends_with(w))
                || b.strip_suffix("s ouvertes").is_some_and(|b| b.ends_with(w))
        });
    let prefix = padded(&t[s..first], false);
    let opening = [
        " ouverture des inscriptions",
        " ouverture des candidatures",
        " ouverture des preinscriptions",
    ]
    .iter()
    .any(|p| prefix.contains(p));
    let closing = [
        " fin des inscriptions",
        " fin des candidatures",
        " cloture des inscriptions",
        " cloture des candidatures",
    ]
    .iter()
    .any(|p| prefix.contains(p));
    if opening {
        c.period = true;
    } else if closing {
        c.deadline = true;
    } else if registration {
        if before.contains("ouverture") || before.contains("ouvertes") && !before.contains("jusqu")
        {
            c.period = true;
        } else {
            c.deadline = true;
        }
    }
    c.past = any_phrase(&PAST_AC, PAST_PHRASES, &sentence, true) || after.starts_with("dernier");
    let classes = t[s..e].iter().fold(0u8, |a, x| a | x.class);
    c.event = classes & EVENT != 0
        || sentence.contains("aura lieu")
        || sentence.contains("auront lieu")
        || sentence.contains("se tiendra")
        || sentence.contains("en ligne");
    c.strong_event =
        classes & STRONG != 0 || any_phrase(&STRONG_AC, STRONG_PHRASES, &sentence, false);
    c.event |= c.strong_event;
    c.milestone = classes & MILESTONE != 0;
    c.cancelled = classes & CANCELLED != 0;
    c.postponed = t[s..e].iter().any(|x| {
        x.kind == Kind::Word
            && (x.norm == "reporte"
                || x.norm == "reportee"
                || x.norm == "reportes"
                || x.norm == "reportees"
                || x.norm == "decale"
                || x.norm == "decalee")
    });
    // visits and inaugurations written as verbs ("se rendra à Lyon", "inaugurera"), and
    // list heads of a verbless date line ("Prochaines dates : 6 novembre, 4 décembre")
    c.long_event = t[s..e].iter().any(|x| {
        x.kind == Kind::Word
            && matches!(
                x.norm.as_str(),
                "exposition"
                    | "expositions"
                    | "festival"
                    | "biennale"
                    | "foire"
                    | "mois"
                    | "quinzaine"
            )
    });
    c.list_head = LIST_HEADS.iter().any(|p| prefix.contains(p)) && !c.past;
    if c.list_head
        || VISIT_AC.as_ref().map_or_else(
            || VISIT_PHRASES.iter().any(|p| sentence.contains(p)),
            |ac| ac.is_match(&sentence),
        )
    {
        c.event = true;
        c.strong_event = true;
    }
    // service notices and rules coming into force are not happenings
    let notice = classes & NOTICE != 0;
    if sentence.contains(" en vigueur ") || notice && !c.strong_event {
        c.event = false;
        c.strong_event = false;
        c.milestone = true;
        c.notice = notice;
    }
    // "initialement prévu le 25 mars, est reporté au 10 juin": the old date is gone,
    // the new one is the live event
    if c.postponed || c.cancelled {
        let b = before.as_str();
        let new_date = any_phrase(&RESCHEDULED_AC, RESCHEDULED_BEFORE, &sentence, true);
        if ends_with_any(b, SUPERSEDED_BEFORE) && c.postponed && new_date {
            c.superseded = true;
        } else if ends_with_any(b, RESCHEDULED_BEFORE)
            && (sentence.contains(" initialement ") || sentence.contains(" prevu"))
        {
            c.postponed = false;
        }
    }
    c
}

/// Heads of a line of dates that announce happenings.
const LIST_HEADS: &[&str] = &[
    " prochaines dates",
    " prochaine date",
    " prochaines sessions",
    " prochaines seances",
    " prochains rendez",
    " save the date",
    " reservez la date",
    " reservez vos dates",
    " a vos agendas",
    " a noter dans vos agendas",
    " quand ?",
    " dates :",
    " date :",
];

/// Words of a service notice: an interruption, a closing, a reopening.
const NOTICE_WORDS: &[&str] = &[
    "maintenance",
    "coupure",
    "coupures",
    "interruption",
    "interrompu",
    "interrompue",
    "interrompus",
    "indisponible",
    "indisponibles",
    "inaccessible",
    "inaccessibles",
    "ferme",
    "fermee",
    "fermes",
    "fermees",
    "fermeture",
    "fermetures",
    "reouverture",
    "travaux",
    "chantier",
    "vidange",
    "deviation",
    "perturbation",
    "perturbations",
    "rouvrira",
    "rouvriront",
];

/// A visit or an inauguration announced with a verb.
const VISIT_PHRASES: &[&str] = &[
    " se rendra ",
    " se rendront ",
    " deplacement ",
    " inaugurera ",
    " inaugureront ",
    " sera inaugure",
    " seront inaugure",
    " est inaugure",
    " sont inaugure",
    " posera la premiere pierre",
    " poseront la premiere pierre",
    " visitera ",
    " visiteront ",
];

/// Words just before the old date of a rescheduled happening.
const SUPERSEDED_BEFORE: &[&str] = &[
    "initialement prevu le",
    "initialement prevue le",
    "initialement prevus le",
    "initialement prevues le",
    "initialement programme le",
    "initialement programmee le",
    "initialement prevu du",
    "initialement prevue du",
    "initialement prevu les",
    "initialement prevue les",
    "prevu le",
    "prevue le",
    "prevus le",
    "prevues le",
    "prevu initialement le",
    "prevue initialement le",
];

/// Words just before the new date of a rescheduled happening.
const RESCHEDULED_BEFORE: &[&str] = &[
    "reporte au",
    "reportee au",
    "reportes au",
    "reportees au",
    "decale au",
    "decalee au",
    "reporte du",
    "reportee du",
    "aura finalement lieu le",
    "se tiendra finalement le",
    "nouvelle date :",
];

#[cfg(test)]
mod tests {
    use super::super::normalize::{normalize, tokenize};
    use super::*;

    /// The one-pass phrase search says what a search of each phrase in turn says.
    #[test]
    fn phrase_search_matches_the_phrase_by_phrase_search() {
        let sentences = [
            " le forum a eu lieu le 3 mars ",
            " le forum aura lieu le 3 mars ",
            " la reunion s ' est tenue hier ",
            " les candidats peuvent postuler ",
            " a eu lieu ",
            "a eu lieu ",
            " il a lieu a a lieu ",
            " initialement prevu le 3 mars , reporte au 10 mai ",
            " le ministre se rendra a lyon ",
            "  ",
        ];
        let lists: [(&PhraseSearch, &[&str]); 5] = [
            (&CALL_AC, CALL_WORDS),
            (&STRONG_AC, STRONG_PHRASES),
            (&PAST_AC, PAST_PHRASES),
            (&RESCHEDULED_AC, RESCHEDULED_BEFORE),
            (&VISIT_AC, VISIT_PHRASES),
        ];
        for text in sentences {
            for (ac, list) in lists {
                for space_after in [false, true] {
                    let each = list.iter().any(|p| has_after_space(text, p, space_after));
                    assert_eq!(any_phrase(ac, list, text, space_after), each, "{text:?}");
                }
            }
        }
    }

    fn at(s: &str, date: &str) -> Cues {
        let t = tokenize(&normalize(s).text);
        let d = tokenize(&normalize(date).text);
        let first = (0..t.len())
            .find(|&i| t[i..].iter().zip(&d).all(|(a, b)| a.norm == b.norm))
            .unwrap_or(0);
        cues(&t, 0, t.len(), first, (first + d.len()).min(t.len()))
    }

    #[test]
    fn context_words() {
        assert!(at("Candidatez jusqu'au 10 mai", "10 mai").deadline);
        assert!(at("à envoyer avant le 8 septembre 2023", "8 septembre 2023").deadline);
        assert!(at("à partir du 7 octobre 2018", "7 octobre 2018").period);
        assert!(at("Dès le 7 mars, les candidats", "7 mars").period);
        assert!(at("le rapport a été remis le 9 novembre", "9 novembre").past);
        assert!(at("Le 6 décembre dernier", "6 décembre").past);
        assert!(
            at(
                "le salon se tiendra du 21 au 23 novembre",
                "21 au 23 novembre"
            )
            .event
        );
        assert!(
            at(
                "Du 7 au 13 juin : jury de sélection des candidats",
                "7 au 13 juin"
            )
            .milestone
        );
        assert!(at("L'atelier du 3 mai est annulé", "3 mai").cancelled);
        assert!(at("Le forum est reporté au 12 mars", "12 mars").postponed);
    }
}
