//! Maps a source as written ("he", "Mr. Steele", "the senator") to a named
//! speaker mentioned in the text ("Michael Steele").
//!
//! Rules, in order: a name inside the source (titles stripped; a lone
//! surname looked up among the full names of the document); a relative
//! pronoun ("X, who said") takes the name just before it; a personal
//! pronoun takes the speaker of the previous attribution, else the nearest
//! person named before it; "the senator" takes the nearest name titled so.

use super::lexicon::{BODY_WORDS, OUTLET_WORDS, TITLES};
use super::{Attribution, Part};
use parallax_core::{Document, TokenKind};

/// A run of capitalized words: a name of a person or an organization.
#[derive(Clone, Debug)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub name: String,
    /// Last word, for surname look-ups.
    pub last: String,
    /// The title before it (lower case), e.g. `sen.`.
    pub title: Option<String>,
    pub person: bool,
}

/// All name mentions of a document, in text order.
pub struct Names {
    pub mentions: Vec<Mention>,
    /// Grammatical gender the document gives each person (keyed by the
    /// lower-cased last word of the name), when its evidence is clear.
    pub gender: std::collections::HashMap<String, Gender>,
}

/// Which personal pronouns may stand for a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
}

fn pronoun_gender(w: &str) -> Option<Gender> {
    match w {
        "he" | "him" | "his" | "himself" => Some(Gender::Male),
        "she" | "her" | "hers" | "herself" => Some(Gender::Female),
        _ => None,
    }
}

/// Gender evidence from the document itself: titles (`Mr.`, `Mrs.`,
/// `Ms.`) and the pronouns of sentences that name exactly one person (that
/// sentence after the name, and the next sentence when it names nobody).
/// A person gets a gender only when one side has at least twice the votes
/// of the other and at least two.
fn genders(doc: &Document, mentions: &[Mention]) -> std::collections::HashMap<String, Gender> {
    use std::collections::HashMap;
    let mut votes: HashMap<String, [u32; 2]> = HashMap::new();
    for m in mentions.iter().filter(|m| m.person) {
        let g = match m.title.as_deref() {
            Some("mr.") | Some("mr") => Some(0),
            Some("mrs.") | Some("mrs") | Some("ms.") | Some("ms") | Some("miss") => Some(1),
            _ => None,
        };
        if let Some(g) = g {
            votes.entry(m.last.to_lowercase()).or_default()[g] += 2;
        }
    }
    let sents = &doc.segments.sentences;
    let persons_in = |a: usize, b: usize| -> Vec<&Mention> {
        let i = mentions.partition_point(|m| m.start < a);
        mentions[i..]
            .iter()
            .take_while(|m| m.start < b)
            .filter(|m| m.person)
            .collect()
    };
    let count = |a: usize, b: usize| -> [u32; 2] {
        let toks = &doc.segments.tokens;
        let i = toks.partition_point(|t| t.span.start < a);
        let mut c = [0u32; 2];
        for t in toks[i..].iter().take_while(|t| t.span.start < b) {
            match pronoun_gender(&doc.text[t.span.range()].to_lowercase()) {
                Some(Gender::Male) => c[0] += 1,
                Some(Gender::Female) => c[1] += 1,
                None => {}
            }
        }
        c
    };
    for (si, s) in sents.iter().enumerate() {
        let ps = persons_in(s.span.start, s.span.end);
        let Some(first) = ps.first() else { continue };
        let key = first.last.to_lowercase();
        if ps.iter().any(|m| m.last.to_lowercase() != key) {
            continue;
        }
        let mut c = count(first.end, s.span.end);
        if let Some(n) = sents.get(si + 1) {
            if persons_in(n.span.start, n.span.end).is_empty() {
                let d = count(n.span.start, n.span.end);
                c[0] += d[0];
                c[1] += d[1];
            }
        }
        let v = votes.entry(key).or_default();
        v[0] += c[0];
        v[1] += c[1];
    }
    votes
        .into_iter()
        .filter_map(|(k, [m, f])| {
            if m >= 2 && m >= 2 * f {
                Some((k, Gender::Male))
            } else if f >= 2 && f >= 2 * m {
                Some((k, Gender::Female))
            } else {
                None
            }
        })
        .collect()
}

const CAP_STOP: &[&str] = &[
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "but",
    "and",
    "or",
    "if",
    "when",
    "as",
    "according",
    "this",
    "that",
    "these",
    "those",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "his",
    "her",
    "their",
    "our",
    "my",
    "after",
    "before",
    "while",
    "since",
    "for",
    "from",
    "with",
    "by",
    "to",
    "of",
    "yet",
    "so",
    "still",
    "then",
    "now",
    "its",
    "there",
    "what",
    "who",
    "why",
    "how",
    "where",
    "one",
    "some",
    "many",
    "most",
    "all",
    "both",
    "quoting",
    "citing",
    "however",
    "meanwhile",
    "also",
    "said",
    "says",
    "under",
    "during",
    "through",
    "like",
    "just",
    "even",
    "not",
    "no",
    "yes",
    "last",
    "first",
    "former",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "you",
    "your",
    "do",
    "does",
    "did",
    "is",
    "was",
    "are",
    "were",
    "will",
    "would",
    "can",
    "could",
    "should",
    "has",
    "have",
    "had",
    "let",
    "here",
    "every",
];

const CONNECTORS: &[&str] = &[
    "bin", "al", "de", "van", "von", "la", "le", "di", "da", "del", "of", "and", "for", "the",
];

fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

impl Names {
    pub fn collect(doc: &Document) -> Names {
        let toks = &doc.segments.tokens;
        let mut mentions = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            let w = &doc.text[toks[i].span.range()];
            if toks[i].kind != TokenKind::Word || !is_cap(w) {
                i += 1;
                continue;
            }
            // Titles before the name.
            let mut title = None;
            let mut j = i;
            while j < toks.len() {
                let wl = doc.text[toks[j].span.range()].to_lowercase();
                if toks[j].kind == TokenKind::Word
                    && TITLES.contains(&wl.as_str())
                    && is_cap(&doc.text[toks[j].span.range()])
                {
                    title = Some(wl);
                    j += 1;
                } else {
                    break;
                }
            }
            let mut s = j;
            while s < toks.len() {
                let wl = doc.text[toks[s].span.range()].to_lowercase();
                if CAP_STOP.contains(&wl.as_str()) {
                    s += 1;
                } else {
                    break;
                }
            }
            let mut e = s;
            while e < toks.len() && toks[e].kind == TokenKind::Word {
                let w = &doc.text[toks[e].span.range()];
                let name_word = is_cap(w) && !CAP_STOP.contains(&w.to_lowercase().as_str());
                // "bin", "de", "of" inside a name ("Osama bin Laden").
                let connector = e > s
                    && CONNECTORS.contains(&w)
                    && e + 1 < toks.len()
                    && is_cap(&doc.text[toks[e + 1].span.range()]);
                if name_word || connector {
                    e += 1;
                } else {
                    break;
                }
            }
            if e > s {
                let start = toks[s].span.start;
                let end = toks[e - 1].span.end;
                let name = doc.text[start..end].to_string();
                let last = doc.text[toks[e - 1].span.range()].to_string();
                let lname = name.to_lowercase();
                let org = lname
                    .split_whitespace()
                    .any(|x| BODY_WORDS.contains(&x) || OUTLET_WORDS.contains(&x));
                let person = !org && (e - s >= 2 || title.is_some()) && e - s <= 4;
                mentions.push(Mention {
                    start,
                    end,
                    name,
                    last,
                    title,
                    person,
                });
                i = e;
            } else {
                i = j.max(i + 1);
            }
        }
        let gender = genders(doc, &mentions);
        Names { mentions, gender }
    }

    /// Whether a pronoun of gender `g` may stand for the person `name`
    /// (yes when the document gives no clear gender).
    pub fn fits(&self, name: &str, g: Option<Gender>) -> bool {
        let Some(g) = g else { return true };
        let last = name
            .split_whitespace()
            .last()
            .unwrap_or(name)
            .to_lowercase();
        self.gender.get(&last).is_none_or(|&x| x == g)
    }

    /// The fullest person name ending in `surname`, preferring mentions before `at`.
    pub fn full_name(&self, surname: &str, at: usize) -> Option<&Mention> {
        let cands = self
            .mentions
            .iter()
            .filter(|m| m.person && m.last == surname && m.name.contains(' '));
        let before = cands.clone().rfind(|m| m.start < at);
        before.or_else(|| cands.clone().next())
    }

    fn nearest_before(&self, at: usize, pred: impl Fn(&Mention) -> bool) -> Option<&Mention> {
        let i = self.mentions.partition_point(|m| m.start < at);
        self.mentions[..i].iter().rev().take(40).find(|m| pred(m))
    }
}

fn title_family(t: &str) -> &str {
    match t {
        "sen." | "senator" => "senator",
        "gov." | "governor" => "governor",
        "rep." | "representative" | "congressman" | "congresswoman" => "representative",
        "dr." | "doctor" => "doctor",
        "gen." | "general" => "general",
        "prof." | "professor" => "professor",
        other => other,
    }
}

/// Fills `speaker` and `speaker_mention` of every attribution.
pub fn resolve_all(doc: &Document, names: &Names, atts: &mut [Attribution]) {
    let mut last_person: Option<(String, Part)> = None;
    for a in atts.iter_mut() {
        let Some(src) = &a.source else { continue };
        let r = resolve_one(doc, names, src, last_person.as_ref());
        if let Some((name, m)) = r {
            let is_person = names.mentions.iter().any(|x| x.name == name && x.person)
                || name.split_whitespace().count() >= 2
                    && !name
                        .to_lowercase()
                        .split_whitespace()
                        .any(|x| BODY_WORDS.contains(&x) || OUTLET_WORDS.contains(&x));
            if is_person {
                last_person = Some((name.clone(), m.clone()));
            }
            a.speaker = Some(name);
            a.speaker_mention = Some(m);
        }
    }
}

fn resolve_one(
    doc: &Document,
    names: &Names,
    src: &Part,
    last_person: Option<&(String, Part)>,
) -> Option<(String, Part)> {
    let sp = src.span;
    let toks: Vec<&str> = doc.segments.tokens[doc
        .segments
        .tokens
        .partition_point(|t| t.span.start < sp.start)
        ..doc
            .segments
            .tokens
            .partition_point(|t| t.span.start < sp.end)]
        .iter()
        .map(|t| &doc.text[t.span.range()])
        .collect();
    let lower = src.text.trim().to_lowercase();
    let mention_part = |m: &Mention| Part::new(doc, m.start, m.end);
    // Mentions inside the source.
    let inside: Vec<&Mention> = names
        .mentions
        .iter()
        .filter(|m| m.start >= sp.start && m.end <= sp.end)
        .collect();
    if !inside.is_empty() {
        // An organization written in capitals as a whole ("South Korea's
        // National Intelligence Service") is kept whole.
        let content: Vec<&&str> = toks
            .iter()
            .filter(|w| {
                !matches!(
                    w.to_lowercase().as_str(),
                    "the" | "a" | "an" | "’s" | "'s" | "of" | "and"
                )
            })
            .collect();
        let all_caps = content.iter().all(|w| is_cap(w));
        // "a Congressional Research Service report": the body before the noun.
        let has_source_noun = toks.iter().any(|w| {
            super::lexicon::SOURCE_NOUNS
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case(w))
        });
        // "Dr. Priya Natarajan, an economist at Lakeshore University, said":
        // in "name, apposition" the name before the first comma speaks;
        // so does the name before a parenthetical ("Rep. Jane Roe (R-Ohio)").
        let before_comma = doc.text[sp.start..sp.end]
            .find([',', '('])
            .and_then(|i| inside.iter().find(|m| m.end <= sp.start + i).copied());
        let m = if let Some(m) = before_comma {
            m
        } else if has_source_noun {
            inside[0]
        } else {
            *inside.last().unwrap()
        };
        if all_caps && inside.len() > 1 && !m.person {
            let first = inside[0];
            let part = Part::new(doc, first.start, m.end);
            return Some((part.text.clone(), part));
        }
        if !m.name.contains(' ') {
            if let Some(full) = names.full_name(&m.last, m.start) {
                return Some((full.name.clone(), mention_part(full)));
            }
        }
        return Some((m.name.clone(), mention_part(m)));
    }
    // An apposition: "Carla Diaz, the union leader, said".
    if !super::lexicon::PRONOUNS.contains(&lower.as_str()) {
        let before = doc.text[..sp.start].trim_end();
        if let Some(b) = before.strip_suffix(',') {
            let b = b.trim_end().len();
            if let Some(m) = names.mentions.iter().rev().find(|m| m.end == b && m.person) {
                return Some((m.name.clone(), mention_part(m)));
            }
        }
    }
    match lower.as_str() {
        "who" | "which" => {
            return names
                .nearest_before(sp.start, |m| sp.start - m.end < 40)
                .map(|m| (m.name.clone(), mention_part(m)));
        }
        "he" | "she" | "him" | "her" => {
            // The previous speaker, else the nearest person named before,
            // whose gender (as the document gives it) fits the pronoun.
            let g = pronoun_gender(&lower);
            if let Some((n, p)) = last_person {
                if sp.start.saturating_sub(p.span.start) < 3000 && names.fits(n, g) {
                    return Some((n.clone(), p.clone()));
                }
            }
            return names
                .nearest_before(sp.start, |m| m.person && names.fits(&m.name, g))
                .map(|m| {
                    let full = names.full_name(&m.last, m.start).unwrap_or(m);
                    (full.name.clone(), mention_part(m))
                });
        }
        _ => {}
    }
    // "the senator", "the former president".
    let last_word = toks.last().map(|w| w.to_lowercase())?;
    if toks.len() <= 4 && TITLES.contains(&last_word.as_str()) {
        let fam = title_family(&last_word).to_string();
        return names
            .nearest_before(sp.start, |m| {
                m.person && m.title.as_deref().is_some_and(|t| title_family(t) == fam)
            })
            .map(|m| {
                let full = names.full_name(&m.last, m.start).unwrap_or(m);
                (full.name.clone(), mention_part(m))
            });
    }
    None
}
