//! Grouping the mentions of one entity within a document.
//!
//! Rules (in this order):
//! 1. A *full form* is a mention whose words are not a strict part of a
//!    longer mention of the same family (persons; everything else). Full
//!    forms with the same words (case-insensitive, leading "the" and a
//!    possessive dropped) are one entity.
//! 2. A *short form* ("Kim", "Commission") is a person or organization
//!    mention whose words occur, in order, inside one or more full forms.
//!    One compatible entity: linked to it. Several ("Kim" with both "Kim Jong
//!    Un" and "Kim Il Sung" in the text): linked to the one mentioned most
//!    recently before it, with a lower confidence and the others listed as
//!    alternatives; when none was mentioned before it, it stays unresolved
//!    (its own entity, marked `unresolved`, alternatives listed).
//!    Locations and miscellaneous names link only by identical words
//!    ("Korea" is not silently "North Korea").
//! 3. An all-capitals single-word entity whose letters are the initials of
//!    exactly one other entity ("DPRK" and "Democratic People's Republic of
//!    Korea") is merged into it.
//!
//! Different people who share a name stay apart: "Kim Il Sung" and "Kim Jong
//! Un" are different full forms, so they are different entities.

use serde::Serialize;
use std::collections::HashMap;

/// What grouping needs of a mention.
#[derive(Clone, Debug)]
pub struct MentionKey {
    /// Normalized lowercase words (no leading "the", no possessive).
    pub words: Vec<String>,
    /// Original-case words (for acronyms).
    pub cased: Vec<String>,
    pub label: &'static str,
    /// Surface text as in the document.
    pub text: String,
}

/// How a mention was tied to its entity.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Link {
    /// `full-form`, `short-form`, `ambiguous-short-form`, `unresolved`, `acronym`.
    pub cue: &'static str,
    pub confidence: f32,
    /// Other entities this mention could also name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<usize>,
}

/// One surface form of an entity and how often it is used.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Form {
    pub text: String,
    pub count: usize,
}

/// An entity of the document: its mentions and every form used for it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Entity {
    pub id: usize,
    /// Most frequent mention label.
    pub label: &'static str,
    /// The longest full form (most words; ties: most frequent, then first).
    pub name: String,
    pub forms: Vec<Form>,
    /// Indices into the layer's `mentions`.
    pub mentions: Vec<usize>,
    /// True for an ambiguous short form that could not be tied to one entity.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unresolved: bool,
}

fn family(label: &str) -> u8 {
    u8::from(label == "PER")
}

fn links_by_part(label: &str) -> bool {
    label == "PER" || label == "ORG"
}

/// True when `short` occurs as a contiguous run inside `long` (strictly shorter).
pub fn is_part(short: &[String], long: &[String]) -> bool {
    short.len() < long.len() && !short.is_empty() && long.windows(short.len()).any(|w| w == short)
}

fn initials(cased: &[String]) -> String {
    cased
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .filter_map(|w| w.chars().next())
        .collect()
}

/// Groups mentions (in document order). Returns the entity of each mention,
/// the link of each mention, and the entities.
pub fn group(ms: &[MentionKey]) -> (Vec<usize>, Vec<Link>, Vec<Entity>) {
    let n = ms.len();
    let full: Vec<bool> = (0..n)
        .map(|i| {
            !links_by_part(ms[i].label)
                || !ms.iter().any(|o| {
                    family(o.label) == family(ms[i].label) && is_part(&ms[i].words, &o.words)
                })
        })
        .collect();
    // Entity slots keyed by (family, words); value = slot index.
    let mut slot_of: HashMap<(u8, Vec<String>), usize> = HashMap::new();
    let mut slot_members: Vec<Vec<usize>> = Vec::new();
    let mut slot_unresolved: Vec<bool> = Vec::new();
    let mut of = vec![usize::MAX; n];
    let mut links: Vec<Option<Link>> = vec![None; n];
    for i in (0..n).filter(|&i| full[i]) {
        let key = (family(ms[i].label), ms[i].words.clone());
        let s = *slot_of.entry(key).or_insert_with(|| {
            slot_members.push(Vec::new());
            slot_unresolved.push(false);
            slot_members.len() - 1
        });
        slot_members[s].push(i);
        of[i] = s;
        links[i] = Some(Link {
            cue: "full-form",
            confidence: 1.0,
            alternatives: Vec::new(),
        });
    }
    for i in (0..n).filter(|&i| !full[i]) {
        let fam = family(ms[i].label);
        let mut cands: Vec<usize> = Vec::new();
        for j in (0..n).filter(|&j| full[j]) {
            if family(ms[j].label) == fam
                && is_part(&ms[i].words, &ms[j].words)
                && !cands.contains(&of[j])
            {
                cands.push(of[j]);
            }
        }
        cands.sort_unstable();
        if cands.len() == 1 {
            of[i] = cands[0];
            links[i] = Some(Link {
                cue: "short-form",
                confidence: 0.9,
                alternatives: Vec::new(),
            });
        } else {
            // Most recent compatible full form before this mention.
            let recent = (0..i)
                .rev()
                .find(|&j| full[j] && cands.contains(&of[j]))
                .map(|j| of[j]);
            match recent {
                Some(s) => {
                    of[i] = s;
                    links[i] = Some(Link {
                        cue: "ambiguous-short-form",
                        confidence: 0.6,
                        alternatives: cands.iter().copied().filter(|&c| c != s).collect(),
                    });
                }
                None => {
                    let key = (fam, ms[i].words.clone());
                    let s = *slot_of.entry(key).or_insert_with(|| {
                        slot_members.push(Vec::new());
                        slot_unresolved.push(true);
                        slot_members.len() - 1
                    });
                    of[i] = s;
                    links[i] = Some(Link {
                        cue: "unresolved",
                        confidence: 0.3,
                        alternatives: cands.clone(),
                    });
                }
            }
            slot_members[of[i]].push(i);
            continue;
        }
        slot_members[of[i]].push(i);
    }
    // Acronyms: merge a one-word all-capitals slot into the single slot
    // whose initials spell it.
    let nslots = slot_members.len();
    let mut merged_into: Vec<usize> = (0..nslots).collect();
    for s in 0..nslots {
        let first = &ms[slot_members[s][0]];
        let w = &first.cased;
        if slot_unresolved[s]
            || w.len() != 1
            || w[0].chars().count() < 2
            || !w[0].chars().all(|c| c.is_uppercase() || c == '.')
        {
            continue;
        }
        let acro: String = w[0].chars().filter(|c| *c != '.').collect();
        let targets: Vec<usize> = (0..nslots)
            .filter(|&t| {
                t != s
                    && !slot_unresolved[t]
                    && slot_members[t]
                        .iter()
                        .any(|&m| ms[m].cased.len() >= 2 && initials(&ms[m].cased) == acro)
            })
            .collect();
        if targets.len() == 1 {
            merged_into[s] = targets[0];
            for &m in &slot_members[s] {
                links[m] = Some(Link {
                    cue: "acronym",
                    confidence: 0.8,
                    alternatives: Vec::new(),
                });
            }
        }
    }
    // Number the surviving slots by first mention and build entities.
    let root = |s: usize| merged_into[s];
    let mut id_of_slot: HashMap<usize, usize> = HashMap::new();
    let mut entities: Vec<Entity> = Vec::new();
    let mut ent_of = vec![0usize; n];
    let mut unresolved_of: Vec<bool> = Vec::new();
    for i in 0..n {
        let r = root(of[i]);
        let id = *id_of_slot.entry(r).or_insert_with(|| {
            entities.push(Entity {
                id: entities.len(),
                label: "",
                name: String::new(),
                forms: Vec::new(),
                mentions: Vec::new(),
                unresolved: false,
            });
            unresolved_of.push(slot_unresolved[r]);
            entities.len() - 1
        });
        ent_of[i] = id;
        let e = &mut entities[id];
        e.mentions.push(i);
        match e.forms.iter_mut().find(|f| f.text == ms[i].text) {
            Some(f) => f.count += 1,
            None => e.forms.push(Form {
                text: ms[i].text.clone(),
                count: 1,
            }),
        }
    }
    for (id, e) in entities.iter_mut().enumerate() {
        e.unresolved = unresolved_of[id];
        let mut counts: HashMap<&'static str, usize> = HashMap::new();
        for &m in &e.mentions {
            *counts.entry(ms[m].label).or_default() += 1;
        }
        let mut labels: Vec<(&'static str, usize)> = counts.into_iter().collect();
        labels.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        e.label = labels[0].0;
        let best = e
            .mentions
            .iter()
            .copied()
            .max_by(|&a, &b| {
                let ca = e
                    .forms
                    .iter()
                    .find(|f| f.text == ms[a].text)
                    .map_or(0, |f| f.count);
                let cb = e
                    .forms
                    .iter()
                    .find(|f| f.text == ms[b].text)
                    .map_or(0, |f| f.count);
                ms[a]
                    .words
                    .len()
                    .cmp(&ms[b].words.len())
                    .then(ca.cmp(&cb))
                    .then(b.cmp(&a))
            })
            .expect("entity has a mention");
        e.name = ms[best].text.clone();
    }
    // Alternatives referred to slots: map them to entity ids.
    let links: Vec<Link> = links
        .into_iter()
        .map(|l| {
            let mut l = l.expect("every mention linked");
            l.alternatives = l
                .alternatives
                .iter()
                .filter_map(|s| id_of_slot.get(&root(*s)).copied())
                .collect();
            l
        })
        .collect();
    (ent_of, links, entities)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str, label: &'static str) -> MentionKey {
        MentionKey {
            words: text.split(' ').map(|w| w.to_lowercase()).collect(),
            cased: text.split(' ').map(String::from).collect(),
            label,
            text: text.to_string(),
        }
    }

    #[test]
    fn kim_jong_un_is_not_kim_il_sung() {
        let ms = vec![
            m("Kim Jong Un", "PER"),
            m("Kim", "PER"),
            m("Kim Il Sung", "PER"),
            m("Kim", "PER"),
            m("Kim Jong Un", "PER"),
        ];
        let (of, links, ents) = group(&ms);
        assert_ne!(of[0], of[2], "different people sharing a name stay apart");
        assert_eq!(of[0], of[4]);
        // The first "Kim" follows "Kim Jong Un"; the second follows "Kim Il Sung".
        assert_eq!(of[1], of[0]);
        assert_eq!(of[3], of[2]);
        assert_eq!(links[1].cue, "ambiguous-short-form");
        assert_eq!(links[1].alternatives, vec![of[2]]);
        let kju = &ents[of[0]];
        assert_eq!(kju.name, "Kim Jong Un");
        assert_eq!(
            kju.forms.len(),
            2,
            "keeps every surface form: {:?}",
            kju.forms
        );
    }

    #[test]
    fn unambiguous_short_form_links_and_earlier_ambiguous_stays_unresolved() {
        let ms = vec![
            m("Kim", "PER"),
            m("Kim Jong Un", "PER"),
            m("Kim Il Sung", "PER"),
            m("Bechtol", "PER"),
            m("Bruce Bechtol", "PER"),
        ];
        let (of, links, ents) = group(&ms);
        assert_eq!(links[0].cue, "unresolved");
        assert!(ents[of[0]].unresolved);
        assert_eq!(links[0].alternatives.len(), 2);
        assert_eq!(of[3], of[4]);
        assert_eq!(links[3].cue, "short-form");
    }

    #[test]
    fn locations_link_only_by_identical_words_and_acronyms_merge() {
        let ms = vec![
            m("North Korea", "LOC"),
            m("Korea", "LOC"),
            m("Democratic People's Republic of Korea", "LOC"),
            m("DPRK", "ORG"),
            m("North Korea", "LOC"),
        ];
        let (of, links, _) = group(&ms);
        assert_ne!(of[0], of[1]);
        assert_eq!(of[0], of[4]);
        assert_eq!(of[3], of[2]);
        assert_eq!(links[3].cue, "acronym");
    }

    #[test]
    fn persons_are_not_parts_of_organizations() {
        let ms = vec![m("Kim Il Sung University", "ORG"), m("Kim Il Sung", "PER")];
        let (of, links, _) = group(&ms);
        assert_ne!(of[0], of[1]);
        assert_eq!(links[1].cue, "full-form");
    }
}
