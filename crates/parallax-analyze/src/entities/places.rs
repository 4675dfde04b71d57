//! Names of countries and territories, and the last words of organization
//! names.
//!
//! Countries and territories (common English short forms, a few
//! official long forms and abbreviations). A mention whose whole text is
//! one of them is a place (`LOC`) whatever the tagger said: the CoNLL-2003
//! training text, Reuters news of 1996, rarely names some of them
//! ("Palestine" came out as a person), and a country name is a place in
//! every sense Parallax uses. `parallax eval ner` scores the tagger alone,
//! without this list.

const PLACES: &[&str] = &[
    "afghanistan",
    "albania",
    "algeria",
    "andorra",
    "angola",
    "antigua and barbuda",
    "argentina",
    "armenia",
    "australia",
    "austria",
    "azerbaijan",
    "bahamas",
    "the bahamas",
    "bahrain",
    "bangladesh",
    "barbados",
    "belarus",
    "belgium",
    "belize",
    "benin",
    "bhutan",
    "bolivia",
    "bosnia",
    "bosnia and herzegovina",
    "botswana",
    "brazil",
    "brunei",
    "bulgaria",
    "burkina faso",
    "burma",
    "burundi",
    "cambodia",
    "cameroon",
    "canada",
    "cape verde",
    "central african republic",
    "chile",
    "china",
    "colombia",
    "comoros",
    "congo",
    "costa rica",
    "croatia",
    "cuba",
    "cyprus",
    "czech republic",
    "czechia",
    "denmark",
    "djibouti",
    "dominica",
    "dominican republic",
    "east timor",
    "ecuador",
    "egypt",
    "el salvador",
    "equatorial guinea",
    "eritrea",
    "estonia",
    "eswatini",
    "ethiopia",
    "fiji",
    "finland",
    "france",
    "gabon",
    "gambia",
    "germany",
    "ghana",
    "greece",
    "grenada",
    "guatemala",
    "guinea",
    "guinea-bissau",
    "guyana",
    "haiti",
    "honduras",
    "hungary",
    "iceland",
    "india",
    "indonesia",
    "iran",
    "iraq",
    "ireland",
    "israel",
    "italy",
    "ivory coast",
    "jamaica",
    "japan",
    "kazakhstan",
    "kenya",
    "kiribati",
    "kosovo",
    "kuwait",
    "kyrgyzstan",
    "laos",
    "latvia",
    "lebanon",
    "lesotho",
    "liberia",
    "libya",
    "liechtenstein",
    "lithuania",
    "luxembourg",
    "madagascar",
    "malawi",
    "malaysia",
    "maldives",
    "mali",
    "malta",
    "mauritania",
    "mauritius",
    "mexico",
    "micronesia",
    "moldova",
    "monaco",
    "mongolia",
    "montenegro",
    "morocco",
    "mozambique",
    "myanmar",
    "namibia",
    "nauru",
    "nepal",
    "netherlands",
    "the netherlands",
    "new zealand",
    "nicaragua",
    "niger",
    "nigeria",
    "north korea",
    "north macedonia",
    "norway",
    "oman",
    "pakistan",
    "palau",
    "palestine",
    "panama",
    "papua new guinea",
    "paraguay",
    "peru",
    "philippines",
    "the philippines",
    "poland",
    "portugal",
    "qatar",
    "romania",
    "russia",
    "rwanda",
    "samoa",
    "san marino",
    "saudi arabia",
    "senegal",
    "serbia",
    "seychelles",
    "sierra leone",
    "singapore",
    "slovakia",
    "slovenia",
    "somalia",
    "south africa",
    "south korea",
    "south sudan",
    "spain",
    "sri lanka",
    "sudan",
    "suriname",
    "sweden",
    "switzerland",
    "syria",
    "taiwan",
    "tajikistan",
    "tanzania",
    "thailand",
    "togo",
    "tonga",
    "trinidad and tobago",
    "tunisia",
    "turkey",
    "türkiye",
    "turkmenistan",
    "tuvalu",
    "uganda",
    "ukraine",
    "united arab emirates",
    "united kingdom",
    "britain",
    "great britain",
    "united states",
    "the united states",
    "united states of america",
    "america",
    "uruguay",
    "uzbekistan",
    "vanuatu",
    "vatican city",
    "venezuela",
    "vietnam",
    "yemen",
    "zambia",
    "zimbabwe",
    "gaza",
    "gaza strip",
    "the gaza strip",
    "west bank",
    "the west bank",
    "golan heights",
    "the golan heights",
    "crimea",
    "kashmir",
    "tibet",
    "hong kong",
    "macau",
    "puerto rico",
    "greenland",
    "western sahara",
    "soviet union",
    "the soviet union",
    "ussr",
    "yugoslavia",
    "korea",
    "dprk",
    "prc",
    "uae",
    "u.s.",
    "u.s",
    "us",
    "usa",
    "u.s.a.",
    "uk",
    "u.k.",
    "democratic people's republic of korea",
    "democratic people’s republic of korea",
    "republic of korea",
    "people's republic of china",
    "people’s republic of china",
    "islamic republic of iran",
    "state of palestine",
    "russian federation",
];

/// Whether `text` (a mention as written, capitalized) names a country or
/// territory. Names that are also common first names or surnames (Chad,
/// Jordan, Georgia) are left to the tagger.
pub fn is_country(text: &str) -> bool {
    let t = text.trim();
    if !t.chars().next().is_some_and(|c| c.is_uppercase()) {
        return false;
    }
    PLACES.contains(&t.to_lowercase().as_str())
}

/// Whether a lower-case compass word written before a place name makes a
/// country or territory of the list (`north` + `Korea`: `north Korea`, a
/// spelling some writers use on purpose); the pair is then one mention.
pub fn compass_prefix_makes_place(prefix: &str, name: &str) -> bool {
    matches!(prefix, "north" | "south" | "east" | "west")
        && name.chars().next().is_some_and(|c| c.is_uppercase())
        && PLACES.contains(&format!("{prefix} {}", name.to_lowercase()).as_str())
}

/// Last words that make a name an organization ("Riverton City Council",
/// "Workers' Party"), never a person.
const ORG_HEADS: &[&str] = &[
    "council",
    "committee",
    "commission",
    "party",
    "ministry",
    "department",
    "agency",
    "association",
    "university",
    "institute",
    "foundation",
    "corporation",
    "corp.",
    "inc.",
    "inc",
    "ltd",
    "ltd.",
    "company",
    "bank",
    "court",
    "authority",
    "union",
    "army",
    "navy",
    "forces",
    "police",
    "parliament",
    "congress",
    "senate",
    "assembly",
    "office",
    "bureau",
    "service",
    "network",
    "group",
    "coalition",
    "alliance",
    "front",
    "movement",
    "church",
    "school",
    "college",
    "hospital",
    "times",
    "post",
    "news",
    "journal",
    "press",
];

/// Whether a name ends in a word that marks an organization.
pub fn has_org_head(text: &str) -> bool {
    ends_on_head(text, ORG_HEADS)
}

/// Whether a name of two or more words ends on a word of `heads`.
fn ends_on_head(text: &str, heads: &[&str]) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.len() >= 2
        && words
            .last()
            .is_some_and(|w| heads.contains(&w.to_lowercase().as_str()))
}

/// Last words that make a capitalized name an event or a document
/// ("the Yom Kippur War", "the Oslo Accords"), never a person.
const EVENT_HEADS: &[&str] = &[
    "war",
    "revolution",
    "accords",
    "accord",
    "treaty",
    "agreement",
    "act",
    "olympics",
    "games",
    "summit",
    "massacre",
    "uprising",
    "intifada",
    "crisis",
];

/// Whether a name of two or more words ends on an event or document
/// head (`EVENT_HEADS`).
pub fn has_event_head(text: &str) -> bool {
    ends_on_head(text, EVENT_HEADS)
}

#[cfg(test)]
mod tests {
    #[test]
    fn countries_and_not() {
        assert!(super::is_country("Palestine"));
        assert!(super::is_country("North Korea"));
        assert!(super::is_country("Democratic People’s Republic of Korea"));
        assert!(!super::is_country("Kim Il Sung"));
        assert!(!super::is_country("Hamas"));
        assert!(!super::is_country("us"));
        assert!(!super::is_country("Jordan"));
        assert!(super::has_org_head("Riverton City Council"));
        assert!(!super::has_org_head("Council"));
        assert!(!super::has_org_head("Kim Il Sung"));
    }
}
