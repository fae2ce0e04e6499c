//! What a front matter key means, whatever the site's spelling: `date_debut`, `dateDebut`,
//! `startDate`, `_lieu` and `Lieu` all name the same thing. A key is folded (accents and
//! case dropped, separators removed) and looked up in one table of meanings.

/// What a front matter key holds, as far as the agenda is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The event's first day, maybe with its time.
    EventStart,
    /// The event's last day, maybe with its time.
    EventEnd,
    /// The event's start time of day alone.
    StartTime,
    /// The event's end time of day alone.
    EndTime,
    /// Free text about the hours ("9h-17h", "14h, accueil à partir de 13h30").
    Hours,
    /// The venue.
    Venue,
    /// A street address.
    Address,
    /// A town.
    Town,
    /// A date written in words for readers ("Samedi 14 juillet, 10h").
    DateLabel,
    /// The event's own name (Wowchemy's `event`), which marks the page as one event.
    EventName,
    /// Anything that is not text about an event: links, images, identifiers, layout...
    NotText,
}

/// The key folded: lower case, accents dropped, only letters and digits kept.
pub fn fold(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        let base = match c {
            'à' | 'â' | 'ä' | 'À' | 'Â' | 'Ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
            'î' | 'ï' | 'Î' | 'Ï' => 'i',
            'ô' | 'ö' | 'Ô' | 'Ö' => 'o',
            'ù' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' => 'u',
            'ç' | 'Ç' => 'c',
            c => c,
        };
        if base.is_alphanumeric() {
            out.extend(base.to_lowercase());
        }
    }
    out
}

/// Folded keys by meaning. Short generic words (`start`, `end`, `from`, `debut`) are here
/// too: the caller reads them as dates only when their value is one.
const TABLE: &[(Role, &[&str])] = &[
    (
        Role::EventStart,
        &[
            "eventstartdate",
            "eventstart",
            "eventdate",
            "eventdatetime",
            "eventstartdatetime",
            "startdate",
            "startdatetime",
            "datestart",
            "datedebut",
            "debutdate",
            "dateevenement",
            "dateevent",
            "datedelevenement",
            "start",
            "starts",
            "startsat",
            "startat",
            "begin",
            "begins",
            "from",
            "debut",
            "quand",
            "when",
            "jour",
        ],
    ),
    (
        Role::EventEnd,
        &[
            "eventenddate",
            "eventend",
            "eventenddatetime",
            "enddate",
            "enddatetime",
            "dateend",
            "datefin",
            "findate",
            "end",
            "ends",
            "endsat",
            "endat",
            "to",
            "until",
            "fin",
            "jusquau",
        ],
    ),
    (
        Role::StartTime,
        &[
            "starttime",
            "timestart",
            "heuredebut",
            "debutheure",
            "heure",
            "heuredepart",
            "displayhour",
            "eventtime",
        ],
    ),
    (
        Role::EndTime,
        &["endtime", "timeend", "heurefin", "finheure"],
    ),
    (
        Role::Hours,
        &[
            "horaire", "horaires", "heures", "hours", "time", "times", "schedule", "duration",
            "duree", "creneau", "creneaux",
        ],
    ),
    (
        Role::Venue,
        &[
            "lieu",
            "lieux",
            "venue",
            "location",
            "place",
            "where",
            "ou",
            "salle",
            "endroit",
            "lieuevenement",
            "eventlocation",
            "eventplace",
            "eventvenue",
        ],
    ),
    (
        Role::Address,
        &["adresse", "address", "streetaddress", "rue", "street"],
    ),
    (
        Role::Town,
        &["ville", "city", "commune", "town", "localite"],
    ),
    (
        Role::DateLabel,
        &[
            "datelabel",
            "datetext",
            "datetexte",
            "datesaffichees",
            "dates",
        ],
    ),
    (Role::EventName, &["event", "evenement", "eventname"]),
    (
        Role::NotText,
        &[
            "layout",
            "slug",
            "permalink",
            "url",
            "aliases",
            "alias",
            "type",
            "template",
            "lang",
            "language",
            "langue",
            "weight",
            "draft",
            "published",
            "author",
            "authors",
            "auteur",
            "auteurs",
            "authorimage",
            "tags",
            "tag",
            "categories",
            "category",
            "categorie",
            "keywords",
            "image",
            "images",
            "thumbnail",
            "cover",
            "banner",
            "header",
            "icon",
            "logo",
            "featured",
            "featuredimage",
            "preview",
            "id",
            "uid",
            "uuid",
            "menu",
            "sitemap",
            "comments",
            "share",
            "visible",
            "hidden",
            "order",
            "filename",
            "file",
            "files",
            "pdf",
            "link",
            "links",
            "lien",
            "urls",
            "eventurl",
            "facebook",
            "twitter",
            "instagram",
            "email",
            "mail",
            "telephone",
            "tel",
            "phone",
            "prix",
            "tarif",
            "price",
            "title",
            "titre",
            "date",
            "lastmod",
            "publishdate",
            "expirydate",
            "allday",
        ],
    ),
];

/// The meaning of a key, when it has one for the agenda.
pub fn role(key: &str) -> Option<Role> {
    let f = fold(key);
    TABLE
        .iter()
        .find(|(_, keys)| keys.contains(&f.as_str()))
        .map(|(r, _)| *r)
        .or_else(|| {
            // a link, a picture, its caption or an identifier under any name
            let ends = [
                "url",
                "image",
                "img",
                "photo",
                "link",
                "lien",
                "id",
                "slug",
                "icon",
                "pdf",
                "credit",
                "credits",
                "copyright",
            ];
            // (an image's alternative text or caption is text: a poster's words)
            let starts = ["url", "img", "photo", "link", "lien"];
            (ends.iter().any(|e| f.ends_with(e)) || starts.iter().any(|e| f.starts_with(e)))
                .then_some(Role::NotText)
        })
}

/// Layouts and types that make a page one event's page.
pub fn is_event_layout(value: &str) -> bool {
    matches!(
        fold(value).as_str(),
        "event"
            | "events"
            | "evenement"
            | "evenements"
            | "agenda"
            | "rendezvous"
            | "manifestation"
            | "conference"
            | "seminaire"
            | "atelier"
            | "talk"
    )
}

/// Folder names whose pages are one event each.
pub fn is_event_folder(folder: &str) -> bool {
    matches!(
        fold(folder).as_str(),
        "event"
            | "events"
            | "evenement"
            | "evenements"
            | "agenda"
            | "agendas"
            | "rendezvous"
            | "manifestations"
            | "calendrier"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_read_by_meaning_whatever_their_spelling() {
        let table: &[(&str, Option<Role>)] = &[
            ("date_debut", Some(Role::EventStart)),
            ("dateDebut", Some(Role::EventStart)),
            ("startDate", Some(Role::EventStart)),
            ("event_date", Some(Role::EventStart)),
            ("eventDate", Some(Role::EventStart)),
            ("start", Some(Role::EventStart)),
            ("date_fin", Some(Role::EventEnd)),
            ("end", Some(Role::EventEnd)),
            ("endDate", Some(Role::EventEnd)),
            ("heure", Some(Role::StartTime)),
            ("displayHour", Some(Role::StartTime)),
            ("heure_fin", Some(Role::EndTime)),
            ("horaires", Some(Role::Hours)),
            ("duration", Some(Role::Hours)),
            ("_lieu", Some(Role::Venue)),
            ("Lieu", Some(Role::Venue)),
            ("place", Some(Role::Venue)),
            ("venue", Some(Role::Venue)),
            ("adresse", Some(Role::Address)),
            ("ville", Some(Role::Town)),
            ("dateLabel", Some(Role::DateLabel)),
            ("event", Some(Role::EventName)),
            ("event_url", Some(Role::NotText)),
            ("featured_image", Some(Role::NotText)),
            ("url_slides", Some(Role::NotText)),
            ("alternative-textuelle", None),
            ("caption", None),
            ("summary", None),
            ("description", None),
        ];
        for (key, want) in table {
            assert_eq!(role(key), *want, "{key}");
        }
    }

    #[test]
    fn event_layouts_and_folders() {
        for v in ["event", "evenement", "Événement", "agenda", "talk"] {
            assert!(is_event_layout(v), "{v}");
        }
        for v in ["post", "page", "default", "news"] {
            assert!(!is_event_layout(v), "{v}");
        }
        for f in ["_events", "evenements", "agenda", "event", "_evenements"] {
            assert!(is_event_folder(f), "{f}");
        }
        for f in ["_posts", "actualites", "blog", "talk"] {
            assert!(!is_event_folder(f), "{f}");
        }
    }
}
