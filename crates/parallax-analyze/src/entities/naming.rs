//! Descriptive references: phrases that stand for an entity without naming
//! it ("the regime", "the Israeli state", "the Zionist colonial regime",
//! "the Kim regime", "Tehran's lackeys"), and capitals used for their
//! country ("Pyongyang said"). They are *candidate* naming variants: each
//! carries the entity it most likely stands for, a confidence and the cue
//! that fired, so the compare step can show how each article names Israel,
//! North Korea or Hamas. Nothing here judges the wording; it only records it.
//!
//! A phrase is a determiner ("the", "this", "its", ...) or a possessor
//! ("Tehran's") followed by at most three modifiers and a head noun from
//! [`HEADS`]. Its target is found, in order, from: a name or demonym among
//! its words ([`ANCHORS`], or an entity of the document); an earlier phrase
//! with the same head; the target most often named by the document's other
//! descriptive references. Heads such as "lackeys" or "proxies" name those
//! who depend on the anchor, so their relation is `clients-of`.

use parallax_core::{Document, Span, TokenKind};
use serde::Serialize;

/// Head nouns of descriptive references: (head, relation to the anchor).
pub const HEADS: &[(&str, &str)] = &[
    ("regime", "is"),
    ("regimes", "is"),
    ("state", "is"),
    ("entity", "is"),
    ("government", "is"),
    ("administration", "is"),
    ("authorities", "is"),
    ("leadership", "is"),
    ("occupation", "is"),
    ("occupier", "is"),
    ("occupiers", "is"),
    ("dictatorship", "is"),
    ("dynasty", "is"),
    ("junta", "is"),
    ("kingdom", "is"),
    ("colony", "is"),
    ("republic", "is"),
    ("movement", "is"),
    ("group", "is"),
    ("organization", "is"),
    ("organisation", "is"),
    ("militants", "is"),
    ("terrorists", "is"),
    ("army", "is"),
    ("military", "is"),
    ("forces", "is"),
    ("resistance", "is"),
    ("lackeys", "clients-of"),
    ("proxies", "clients-of"),
    ("proxy", "clients-of"),
    ("puppets", "clients-of"),
    ("puppet", "clients-of"),
    ("clients", "clients-of"),
    ("henchmen", "clients-of"),
    ("allies", "clients-of"),
    ("watchdog", "clients-of"),
];

/// Heads that may inherit a target from context (same head earlier, or the
/// document's most named target) when the phrase itself names none. Other
/// heads ("the resistance", "the army") are too often about someone else.
const STATE_HEADS: &[&str] = &[
    "regime",
    "state",
    "entity",
    "government",
    "administration",
    "authorities",
    "leadership",
    "occupation",
    "occupier",
    "occupiers",
    "dictatorship",
    "dynasty",
    "junta",
    "colony",
];

/// Words that name an entity inside a phrase: (lowercase word, entity).
pub const ANCHORS: &[(&str, &str)] = &[
    ("israeli", "Israel"),
    ("israel", "Israel"),
    ("zionist", "Israel"),
    ("zionists", "Israel"),
    ("jewish", "Israel"),
    ("north", "North Korea"),
    ("dprk", "North Korea"),
    ("pyongyang", "North Korea"),
    ("kim", "North Korea"),
    ("iran", "Iran"),
    ("iranian", "Iran"),
    ("tehran", "Iran"),
    ("mullahs", "Iran"),
    ("hamas", "Hamas"),
    ("hezbollah", "Hezbollah"),
    ("palestinian", "Palestine"),
    ("gaza", "Hamas"),
    ("american", "United States"),
    ("u.s.", "United States"),
    ("us", "United States"),
    ("washington", "United States"),
    ("russian", "Russia"),
    ("kremlin", "Russia"),
    ("moscow", "Russia"),
    ("putin", "Russia"),
    ("chinese", "China"),
    ("beijing", "China"),
    ("syrian", "Syria"),
    ("assad", "Syria"),
    ("damascus", "Syria"),
    ("south", "South Korea"),
    ("seoul", "South Korea"),
    ("ukrainian", "Ukraine"),
    ("kyiv", "Ukraine"),
    ("saudi", "Saudi Arabia"),
    ("riyadh", "Saudi Arabia"),
    ("british", "United Kingdom"),
    ("soviet", "Soviet Union"),
];

/// Capitals and seats of power that stand for their country when used as
/// actors (metonymy).
pub const METONYMS: &[(&str, &str)] = &[
    ("Pyongyang", "North Korea"),
    ("Tehran", "Iran"),
    ("Washington", "United States"),
    ("Moscow", "Russia"),
    ("Kremlin", "Russia"),
    ("Beijing", "China"),
    ("Seoul", "South Korea"),
    ("Damascus", "Syria"),
    ("Kyiv", "Ukraine"),
    ("Riyadh", "Saudi Arabia"),
    ("Ankara", "Turkey"),
    ("Cairo", "Egypt"),
];

const DETERMINERS: &[&str] = &[
    "the", "this", "that", "these", "those", "its", "their", "his", "her", "our",
];

/// Words that end the walk back from a head (a phrase never crosses them).
const STOP: &[&str] = &[
    "of", "and", "or", "in", "on", "at", "to", "for", "by", "with", "from", "is", "was", "are",
    "were", "be", "a", "an", "as", "that", "which", "who", "but", "not", "has", "have", "had",
    "against", "under", "over", "into", "about", "after", "before", "between", "through", "during",
    "without", "within", "than", "like", "since", "until", "upon", "via", "toward", "towards",
    "amid", "among", "despite",
];

/// One candidate naming variant.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct NamingVariant {
    pub span: Span,
    pub text: String,
    /// `descriptive` (a noun phrase) or `metonym` (a capital for its country).
    pub kind: &'static str,
    /// The head noun ("regime") or the capital's name.
    pub head: String,
    /// The entity the phrase most likely stands for, when one was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refers_to: Option<String>,
    /// `is`: the phrase names that entity; `clients-of`: it names those who
    /// depend on it ("Tehran's lackeys").
    pub relation: &'static str,
    /// Id of the document entity it stands for, when that entity is named
    /// in the document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<usize>,
    pub confidence: f32,
    /// Why: which word or rule tied it to its target.
    pub cue: String,
}

fn lower(s: &str) -> String {
    super::features::normalize_token(s).to_lowercase()
}

/// Finds the descriptive references of a document. `entity_of_name` maps a
/// target name ("Israel") to a document entity id when one exists.
pub fn find(doc: &Document, entity_of_name: &dyn Fn(&str) -> Option<usize>) -> Vec<NamingVariant> {
    let toks = &doc.segments.tokens;
    let words: Vec<&str> = toks.iter().map(|t| &doc.text[t.span.range()]).collect();
    let lw: Vec<String> = words.iter().map(|w| lower(w)).collect();
    let mut out: Vec<NamingVariant> = Vec::new();
    for si in 0..doc.segments.sentences.len() {
        let r = doc.segments.sentences[si].tokens.clone();
        for h in r.clone() {
            // Metonyms: a capital used as an actor (possessive, or followed
            // by a lowercase word such as a verb).
            if let Some((_, country)) = METONYMS.iter().find(|(c, _)| *c == words[h]) {
                let next = lw.get(h + 1).filter(|_| h + 1 < r.end);
                let actor = next.is_some_and(|n| {
                    n == "'s" || n.chars().all(char::is_lowercase) && !STOP.contains(&n.as_str())
                });
                if actor {
                    out.push(NamingVariant {
                        span: toks[h].span,
                        text: words[h].to_string(),
                        kind: "metonym",
                        head: words[h].to_string(),
                        refers_to: Some(country.to_string()),
                        relation: "is",
                        entity: entity_of_name(country),
                        confidence: 0.6,
                        cue: format!("capital '{}' used as an actor", words[h]),
                    });
                }
            }
            let Some(&(head, relation)) = HEADS.iter().find(|(w, _)| *w == lw[h]) else {
                continue;
            };
            // A head followed by a capitalized name ("the regime Kim built")
            // is fine; one followed by "of" names something else ("the
            // state of emergency") unless a name follows.
            if h + 1 < r.end && lw[h + 1] == "of" {
                continue;
            }
            // Walk back over at most three modifiers to a determiner or possessor.
            let mut start = None;
            let mut k = h;
            let mut mods = 0;
            let mut possessor: Option<(usize, usize)> = None;
            while k > r.start {
                let p = k - 1;
                let w = lw[p].as_str();
                if DETERMINERS.contains(&w) {
                    start = Some(p);
                    break;
                }
                if w == "'s" && p > r.start && toks[p - 1].kind == TokenKind::Word {
                    // Possessor: the word (or a two-word capitalized name) before 's.
                    let mut q = p - 1;
                    if q > r.start
                        && words[q - 1].chars().next().is_some_and(char::is_uppercase)
                        && !STOP.contains(&lw[q - 1].as_str())
                        && !DETERMINERS.contains(&lw[q - 1].as_str())
                    {
                        q -= 1;
                    }
                    start = Some(q);
                    possessor = Some((q, p));
                    break;
                }
                if STOP.contains(&w) || toks[p].kind != TokenKind::Word || mods == 3 {
                    break;
                }
                mods += 1;
                k = p;
            }
            let Some(s) = start else { continue };
            // Sentence-initial "The" with a capitalized head is usually a
            // title ("The Korea Herald"); the head must be lowercase or "State".
            let phrase_span = doc.span(toks[s].span.start, toks[h].span.end);
            let text = doc.slice(&phrase_span).to_string();
            let anchor = (s..h).find_map(|j| {
                ANCHORS
                    .iter()
                    .find(|(a, _)| {
                        *a == lw[j]
                            && (lw[j] != "north" && lw[j] != "south"
                                || lw.get(j + 1).is_some_and(|n| n == "korea" || n == "korean"))
                    })
                    .map(|(a, t)| (words[j].to_string(), a, *t))
            });
            let (refers_to, conf, cue) = match (anchor, possessor) {
                (Some((w, _, t)), _) => {
                    (Some(t.to_string()), 0.85, format!("'{w}' + head '{head}'"))
                }
                (None, Some((a, b))) => {
                    // "Obama's leadership": the possessor is what it names.
                    let who = doc.text[toks[a].span.start..toks[b - 1].span.end].to_string();
                    (
                        Some(who.clone()),
                        0.7,
                        format!("possessor '{who}' + head '{head}'"),
                    )
                }
                (None, None) => (None, 0.0, String::new()),
            };
            let _ = head;
            out.push(NamingVariant {
                span: phrase_span,
                text,
                kind: "descriptive",
                head: head.to_string(),
                refers_to,
                relation,
                entity: None,
                confidence: conf,
                cue,
            });
        }
    }
    // Resolve phrases without an anchor: same head earlier, else the
    // document's most named target, else leave open.
    let mut counts: Vec<(String, usize)> = Vec::new();
    for v in out
        .iter()
        .filter(|v| v.kind == "descriptive" && v.relation == "is")
    {
        if let Some(t) = &v.refers_to {
            match counts.iter_mut().find(|(x, _)| x == t) {
                Some(c) => c.1 += 1,
                None => counts.push((t.clone(), 1)),
            }
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1));
    for i in 0..out.len() {
        if out[i].refers_to.is_some() || out[i].kind != "descriptive" {
            continue;
        }
        if !STATE_HEADS.contains(&out[i].head.as_str()) {
            out[i].confidence = 0.2;
            out[i].cue = format!("head '{}' with no target in the phrase", out[i].head);
            continue;
        }
        let same_head = (0..i).rev().find(|&j| {
            out[j].kind == "descriptive"
                && out[j].head == out[i].head
                && out[j].refers_to.is_some()
                && !out[j].cue.starts_with("most")
        });
        if let Some(j) = same_head {
            out[i].refers_to = out[j].refers_to.clone();
            out[i].confidence = 0.6;
            out[i].cue = format!("same head as earlier '{}'", out[j].text);
        } else if let Some((t, _)) = counts.first().filter(|_| out[i].relation == "is") {
            out[i].refers_to = Some(t.clone());
            out[i].confidence = 0.35;
            out[i].cue = format!(
                "most named target of this document's descriptions ('{}')",
                t
            );
        } else {
            out[i].confidence = 0.2;
            out[i].cue = format!("head '{}' with no target found", out[i].head);
        }
    }
    for v in &mut out {
        if v.entity.is_none() {
            if let Some(t) = &v.refers_to {
                v.entity = entity_of_name(t);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<NamingVariant> {
        let d = Document::from_text("t", text);
        find(&d, &|_| None)
    }

    #[test]
    fn finds_descriptions_with_anchors() {
        let v = run(
            "We have seen the Zionist colonial regime bomb Gaza. The Israeli state has cut power.",
        );
        assert_eq!(v.len(), 2, "{v:?}");
        assert_eq!(v[0].text, "the Zionist colonial regime");
        assert_eq!(v[0].refers_to.as_deref(), Some("Israel"));
        assert_eq!(v[1].text, "The Israeli state");
        assert!(v[1].cue.contains("Israeli"));
    }

    #[test]
    fn bare_head_follows_earlier_phrase_with_same_head() {
        let v = run(
            "Groups sympathetic to the Kim regime reacted. The regime was quick to praise them.",
        );
        assert_eq!(v[0].refers_to.as_deref(), Some("North Korea"));
        assert_eq!(v[1].text, "The regime");
        assert_eq!(v[1].refers_to.as_deref(), Some("North Korea"));
        assert!(v[1].confidence < v[0].confidence);
    }

    #[test]
    fn possessor_and_clients() {
        let v = run("It earned praise from Tehran’s lackeys in Lebanon.");
        let l = v.iter().find(|x| x.kind == "descriptive").unwrap();
        assert_eq!(l.text, "Tehran’s lackeys");
        assert_eq!(l.relation, "clients-of");
        assert_eq!(l.refers_to.as_deref(), Some("Iran"));
        assert!(v.iter().any(|x| x.kind == "metonym" && x.text == "Tehran"));
    }

    #[test]
    fn unrelated_uses_are_skipped() {
        assert!(run("He declared a state of emergency.").is_empty());
        assert!(run("A group met.").is_empty());
        let v = run("They fought the struggle against U.S. military bases.");
        assert!(v.iter().all(|x| !x.text.contains("struggle")), "{v:?}");
    }

    #[test]
    fn possessor_is_the_target_and_generic_heads_do_not_inherit() {
        let v = run("Under President Obama’s leadership, aid grew. The Israeli state agreed. The resistance fought.");
        assert_eq!(v[0].text, "President Obama’s leadership", "{v:?}");
        assert_eq!(v[0].refers_to.as_deref(), Some("President Obama"));
        let r = v.iter().find(|x| x.head == "resistance").unwrap();
        assert_eq!(r.refers_to, None);
    }
}
