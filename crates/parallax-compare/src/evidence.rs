//! Light, rule-based evidence the comparison needs when the richer analyzer
//! layers are absent: numbers and dates with their values, negation and
//! antonym cues, attribution cues, quotations and capitalized names.
//! Every item keeps its byte range in the sentence's document.

use once_cell::sync::Lazy;
use regex::Regex;
use serde::Serialize;

/// What kind of quantity a value is; values compare only within a kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// A year or a decade ("1984", "the 1970s"): a range of years.
    Year,
    Percent,
    Money,
    Count,
}

/// A number or date found in a sentence, normalized to a closed range.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Value {
    pub kind: ValueKind,
    pub lo: f64,
    pub hi: f64,
    /// Byte range in the document.
    #[serde(skip)]
    pub bytes: (usize, usize),
    pub text: String,
}

impl Value {
    /// Same value or overlapping ranges (1984 is within the 1980s); amounts
    /// agree within 2%.
    pub fn compatible(&self, o: &Value) -> bool {
        if self.kind != o.kind {
            return false;
        }
        match self.kind {
            ValueKind::Year => self.lo <= o.hi && o.lo <= self.hi,
            _ => {
                let m = self.lo.abs().max(o.lo.abs()).max(1e-9);
                (self.lo - o.lo).abs() / m <= 0.02
            }
        }
    }
}

static NUM: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?ix)
        (?P<cur>[$€£]\s?)?
        (?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)
        (?P<dec>'?s\b)?
        (?:\s?(?P<pct>%|percent\b|per\ cent\b))?
        (?:\s(?P<mag>thousand|million|billion|trillion)\b)?",
    )
    .unwrap()
});

/// Numbers, years and decades in `text[s..e]` (byte offsets into `text`).
pub fn values(text: &str, s: usize, e: usize) -> Vec<Value> {
    let mut out = Vec::new();
    let sub = &text[s..e];
    for c in NUM.captures_iter(sub) {
        let m = c.get(0).unwrap();
        // skip digits glued to letters ("F-16", "COVID19") and ordinals
        let before = sub[..m.start()].chars().next_back();
        if before.is_some_and(|b| b.is_alphabetic() || b == '-' && c.name("cur").is_none()) {
            continue;
        }
        let after = &sub[m.end()..];
        if after.starts_with(|ch: char| ch.is_alphabetic())
            && c.name("dec").is_none()
            && c.name("pct").is_none()
            && c.name("mag").is_none()
        {
            continue;
        }
        let raw = c.name("n").unwrap().as_str().replace(',', "");
        let Ok(mut n) = raw.parse::<f64>() else {
            continue;
        };
        let mag = c.name("mag").map(|m| m.as_str().to_ascii_lowercase());
        n *= match mag.as_deref() {
            Some("thousand") => 1e3,
            Some("million") => 1e6,
            Some("billion") => 1e9,
            Some("trillion") => 1e12,
            _ => 1.0,
        };
        let is_int = !raw.contains('.');
        let (kind, lo, hi) = if c.name("pct").is_some() {
            (ValueKind::Percent, n, n)
        } else if c.name("cur").is_some() {
            (ValueKind::Money, n, n)
        } else if c.name("dec").is_some()
            && is_int
            && (1000.0..2100.0).contains(&n)
            && n % 10.0 == 0.0
        {
            (ValueKind::Year, n, n + 9.0)
        } else if is_int && mag.is_none() && raw.len() == 4 && (1800.0..2100.0).contains(&n) {
            (ValueKind::Year, n, n)
        } else {
            (ValueKind::Count, n, n)
        };
        // keep the match without trailing whitespace
        let mt = m.as_str().trim_end();
        out.push(Value {
            kind,
            lo,
            hi,
            bytes: (s + m.start(), s + m.start() + mt.len()),
            text: mt.to_string(),
        });
    }
    out
}

const NEGATIONS: &[&str] = &[
    "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot",
    "deny", "denies", "denied", "refuse", "refused", "refuses", "reject", "rejected", "rejects",
];

/// Antonym pairs: one sentence using the first where the other uses the
/// second reads as the opposite claim.
const ANTONYMS: &[(&str, &str)] = &[
    ("increase", "decrease"),
    ("increased", "decreased"),
    ("rose", "fell"),
    ("rise", "fall"),
    ("up", "down"),
    ("more", "less"),
    ("win", "lose"),
    ("won", "lost"),
    ("support", "oppose"),
    ("supported", "opposed"),
    ("supports", "opposes"),
    ("ally", "enemy"),
    ("allowed", "banned"),
    ("legal", "illegal"),
    ("true", "false"),
    ("accept", "reject"),
    ("accepted", "rejected"),
    ("approve", "disapprove"),
    ("approved", "vetoed"),
    ("agree", "disagree"),
    ("success", "failure"),
    ("peaceful", "violent"),
    ("higher", "lower"),
    ("gained", "lost"),
    ("strengthened", "weakened"),
];

/// The words of a text as written: runs of letters, digits and
/// apostrophes.
pub fn word_pieces(t: &str) -> impl Iterator<Item = &str> {
    t.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
}

/// Lowercased word tokens of a text (apostrophe contractions split as `n't`).
pub fn words(t: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in word_pieces(t) {
        let w = w.to_lowercase().replace('’', "'");
        if let Some(stem) = w.strip_suffix("n't") {
            if !stem.is_empty() {
                out.push(stem.to_string());
            }
            out.push("not".into());
        } else {
            out.push(w.trim_matches('\'').to_string());
        }
    }
    out
}

/// Number of negation cues and the cues themselves.
pub fn negations(ws: &[String]) -> Vec<String> {
    ws.iter()
        .filter(|w| NEGATIONS.contains(&w.as_str()))
        .cloned()
        .collect()
}

/// An antonym pair separating the two word lists, as (word in a, word in b).
pub fn antonym_between(a: &[String], b: &[String]) -> Option<(String, String)> {
    let has = |ws: &[String], w: &str| ws.iter().any(|x| x == w);
    for (x, y) in ANTONYMS {
        for (p, q) in [(x, y), (y, x)] {
            if has(a, p) && !has(a, q) && has(b, q) && !has(b, p) {
                return Some((p.to_string(), q.to_string()));
            }
        }
    }
    None
}

static ATTRIB: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?i)\b(according to|said|says|say|told|tells|stated|states|reported|reports|wrote|writes|affirms|affirmed|claims|claimed|announced|quoted|quoting|cited|citing|testified|insisted|noted|argued|acknowledged|confirmed)\b",
    )
    .unwrap()
});

/// The attribution cue in a sentence, if any ("according to", "said", ...).
pub fn attribution_cue(t: &str) -> Option<(usize, usize)> {
    ATTRIB.find(t).map(|m| (m.start(), m.end()))
}

/// Pairs of opening/closing quotation marks.
static QUOTE: Lazy<Regex> = Lazy::new(|| Regex::new(r#"“([^”]{2,}?)”|"([^"\n]{2,}?)""#).unwrap());

/// Quotations in a text: byte range of the quoted words (without marks).
pub fn quotations(t: &str) -> Vec<(usize, usize)> {
    QUOTE
        .captures_iter(t)
        .filter_map(|c| c.get(1).or(c.get(2)))
        .filter(|m| m.as_str().split_whitespace().count() >= 4)
        .map(|m| (m.start(), m.end()))
        .collect()
}

static NAME: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"\b(?:[A-Z][\p{L}'’\-]*\.?)(?:\s+(?:of\s+|the\s+|al-|bin\s+)?[A-Z][\p{L}'’\-]*\.?)*",
    )
    .unwrap()
});

const NOT_NAMES: &[&str] = &[
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "It",
    "Its",
    "This",
    "That",
    "These",
    "Those",
    "He",
    "She",
    "We",
    "They",
    "Our",
    "Their",
    "His",
    "Her",
    "But",
    "And",
    "Or",
    "If",
    "As",
    "While",
    "When",
    "Since",
    "After",
    "Before",
    "Like",
    "Just",
    "Most",
    "Some",
    "Such",
    "Further",
    "However",
    "Meanwhile",
    "Currently",
    "Initially",
    "Only",
    "Both",
    "Besides",
    "Through",
    "To",
    "From",
    "By",
    "For",
    "With",
    "Under",
    "Over",
    "Around",
    "Despite",
    "There",
    "What",
    "Why",
    "How",
    "Who",
    "Yes",
    "No",
    "Not",
    "My",
    "I",
    "You",
    "Your",
    "Whenever",
    "During",
    "Shortly",
    "Because",
    "Also",
    "Even",
    "Then",
    "Here",
    "Now",
    "So",
    "Quoting",
    "According",
    "Pre",
    "None",
    "One",
    "Two",
    "Along",
    "About",
    "Former",
    "Photo",
    "Credit",
    "Glory",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Capitalized word sequences that look like names (a light stand-in for
/// the entities layer): byte ranges within `t`.
pub fn names(t: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for m in NAME.find_iter(t) {
        let mut s = m.start();
        let mut e = m.end();
        let txt = &t[s..e];
        // drop a leading function word ("The Kim regime" -> "Kim")
        let first = txt.split_whitespace().next().unwrap_or("");
        if NOT_NAMES.contains(&first.trim_end_matches('.')) {
            match txt.char_indices().find(|(_, c)| c.is_whitespace()) {
                Some((k, c)) => s += k + c.len_utf8(),
                None => continue,
            }
            while s < e && t[s..].starts_with(char::is_whitespace) {
                s += t[s..].chars().next().map_or(1, char::len_utf8);
            }
        }
        let tt = &t[s..e];
        let tt2 = tt.trim_end_matches(['.', '’', '\'', '-']);
        let tt2 = tt2
            .strip_suffix("’s")
            .or(tt2.strip_suffix("'s"))
            .unwrap_or(tt2);
        e = s + tt2.len();
        if e <= s || !t[s..].starts_with(|c: char| c.is_uppercase()) {
            continue;
        }
        // "north Korea", "south Korea": a lowercase direction word belongs to the name
        for d in ["north ", "south ", "east ", "west "] {
            if s >= d.len() && t.is_char_boundary(s - d.len()) && &t[s - d.len()..s] == d {
                let before = t[..s - d.len()].chars().next_back();
                if before.is_none_or(|c| !c.is_alphanumeric()) {
                    s -= d.len();
                }
                break;
            }
        }
        let tt = &t[s..e];
        if tt.len() < 2
            || NOT_NAMES.contains(&tt)
            || tt.chars().all(|c| c.is_uppercase()) && tt.len() > 6
        {
            continue;
        }
        out.push((s, e));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_years_decades_money() {
        let t = "In the 1970s and 1980s, $3.8 billion and 30 percent; 1984 and 120,000 men.";
        let v = values(t, 0, t.len());
        let kinds: Vec<_> = v.iter().map(|x| (x.kind, x.lo)).collect();
        assert_eq!(
            kinds,
            vec![
                (ValueKind::Year, 1970.0),
                (ValueKind::Year, 1980.0),
                (ValueKind::Money, 3.8e9),
                (ValueKind::Percent, 30.0),
                (ValueKind::Year, 1984.0),
                (ValueKind::Count, 120000.0)
            ]
        );
        assert!(v[1].compatible(&v[4]));
        assert!(!v[0].compatible(&v[4]));
        assert_eq!(&t[v[2].bytes.0..v[2].bytes.1], "$3.8 billion");
    }

    #[test]
    fn negation_and_antonyms() {
        let a = words("The bill didn't pass.");
        assert_eq!(negations(&a), vec!["not"]);
        let x = words("Exports rose sharply");
        let y = words("Exports fell sharply");
        assert_eq!(
            antonym_between(&x, &y),
            Some(("rose".into(), "fell".into()))
        );
        assert_eq!(
            antonym_between(&y, &x),
            Some(("fell".into(), "rose".into()))
        );
    }

    #[test]
    fn quotes_and_names() {
        let t = "Kim Il Sung states: “Israel is a Middle Eastern outpost of aggression.” The Kim regime said so.";
        let q = quotations(t);
        assert_eq!(
            &t[q[0].0..q[0].1],
            "Israel is a Middle Eastern outpost of aggression."
        );
        let n: Vec<&str> = names(t).into_iter().map(|(s, e)| &t[s..e]).collect();
        assert!(n.contains(&"Kim Il Sung"));
        assert!(n.contains(&"Kim"));
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_spans_are_boundaries(t in "[ A-Za-z0-9\u{a0}\u{2019}“”'\".,$%:-]{0,80}") {
            for (a, b) in names(&t).into_iter().chain(quotations(&t)) {
                proptest::prop_assert!(t.is_char_boundary(a) && t.is_char_boundary(b) && a < b);
            }
            for v in values(&t, 0, t.len()) {
                proptest::prop_assert_eq!(&t[v.bytes.0..v.bytes.1], v.text.as_str());
            }
            let _ = crate::rules::descriptive_refs(&t);
        }
    }
}
