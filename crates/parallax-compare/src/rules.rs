//! Small hand-written tables behind the light rules: cited-source cues,
//! country aliases (demonyms, capitals, official names) and descriptive
//! references ("the Israeli state"). Used only when the entities and
//! attributions layers are absent; documented in docs/compare.md.

use once_cell::sync::Lazy;
use regex::Regex;

/// "according to X", "quoting X", "citing X": group 2 is the source phrase.
pub static SOURCE_RE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(according to|quoting|citing|cited by|reported by)\s+([^,.;:“”\x22]{3,80})")
        .unwrap()
});

/// (alias, canonical name). Matching is exact on the mention text.
const ALIASES: &[(&str, &str)] = &[
    ("North Korean", "North Korea"),
    ("North Koreans", "North Korea"),
    ("north Korea", "North Korea"),
    ("north Korean", "North Korea"),
    ("south Korean", "South Korea"),
    ("DPRK", "North Korea"),
    ("Pyongyang", "North Korea"),
    ("Democratic People’s Republic of Korea", "North Korea"),
    ("Democratic People's Republic of Korea", "North Korea"),
    ("South Korean", "South Korea"),
    ("south Korea", "South Korea"),
    ("Seoul", "South Korea"),
    ("Republic of Korea", "South Korea"),
    ("Israeli", "Israel"),
    ("Israelis", "Israel"),
    ("Israeli’s", "Israel"),
    ("Jerusalem", "Israel"),
    ("Palestinian", "Palestine"),
    ("Palestinians", "Palestine"),
    ("Iranian", "Iran"),
    ("Tehran", "Iran"),
    ("Syrian", "Syria"),
    ("Damascus", "Syria"),
    ("Egyptian", "Egypt"),
    ("Cairo", "Egypt"),
    ("Iraqi", "Iraq"),
    ("Baghdad", "Iraq"),
    ("Lebanese", "Lebanon"),
    ("Beirut", "Lebanon"),
    ("Yemeni", "Yemen"),
    ("American", "United States"),
    ("Americans", "United States"),
    ("U.S", "United States"),
    ("U.S.", "United States"),
    ("US", "United States"),
    ("USA", "United States"),
    ("United States of America", "United States"),
    ("Washington", "United States"),
    ("Russian", "Russia"),
    ("Moscow", "Russia"),
    ("Kremlin", "Russia"),
    ("Chinese", "China"),
    ("Beijing", "China"),
    ("Ukrainian", "Ukraine"),
    ("Kyiv", "Ukraine"),
    ("Soviet Union", "Soviet Union"),
    ("Soviet", "Soviet Union"),
    ("USSR", "Soviet Union"),
    ("Japanese", "Japan"),
    ("Korean", "Korea"),
    ("Koreans", "Korea"),
    ("British", "United Kingdom"),
    ("UK", "United Kingdom"),
    ("Britain", "United Kingdom"),
];

/// Canonical name for an alias, if the table knows it.
pub fn alias_of(text: &str) -> Option<&'static str> {
    let t = text.trim_end_matches(['’', '\'']);
    ALIASES.iter().find(|(a, _)| *a == t).map(|(_, c)| *c)
}

/// Modifier words that point a descriptive reference at an entity.
const DESCRIPTORS: &[(&str, &str)] = &[
    ("Israeli", "Israel"),
    ("Zionist", "Israel"),
    ("Kim", "North Korea"),
    ("North Korean", "North Korea"),
    ("Pyongyang", "North Korea"),
    ("Iranian", "Iran"),
    ("Syrian", "Syria"),
    ("American", "United States"),
    ("U.S.", "United States"),
    ("Russian", "Russia"),
    ("Chinese", "China"),
    ("Palestinian", "Palestine"),
];

static DESC_RE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\bthe\s+((?:[\p{L}.’'\-]+\s+){0,2}?)(regime|state|government|entity|occupation|administration|dictatorship|authorities)\b").unwrap()
});

/// Descriptive references ("the Kim regime", "the Zionist colonial
/// regime"): (start, end, canonical entity) as byte offsets into `t`.
pub fn descriptive_refs(t: &str) -> Vec<(usize, usize, &'static str)> {
    let mut out = Vec::new();
    for c in DESC_RE.captures_iter(t) {
        let m = c.get(0).unwrap();
        let mods = c.get(1).unwrap().as_str();
        let hit = DESCRIPTORS.iter().find(|(d, _)| {
            mods.split_whitespace()
                .any(|w| w.trim_end_matches(['’', '\'', 's']) == d.trim_end_matches('.') || w == *d)
                || mods.trim() == *d
        });
        if let Some((_, ent)) = hit {
            out.push((m.start(), m.end(), *ent));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn descriptive() {
        let t = "the Zionist colonial regime carry out; the Kim regime; the state of affairs";
        let r = descriptive_refs(t);
        assert_eq!(r.len(), 2);
        assert_eq!(&t[r[0].0..r[0].1], "the Zionist colonial regime");
        assert_eq!(r[0].2, "Israel");
        assert_eq!(r[1].2, "North Korea");
        assert_eq!(alias_of("DPRK"), Some("North Korea"));
    }
}
