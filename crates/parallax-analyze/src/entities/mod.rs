//! The `entities` layer: named-entity mentions (PER, ORG, LOC, MISC), the
//! entities they group into within the document, and descriptive references
//! that stand for an entity ("the regime", "the Israeli state").
//!
//! - [`model`]: an averaged-perceptron tagger with greedy IOB2 decoding,
//!   trained on CoNLL-2003 ([`train`]), embedded from `models/ner/ner.bin`.
//! - [`features`]: word shape, affixes, casing, context words, gazetteers,
//!   word clusters ([`clusters`]), document history.
//! - [`group`]: within-document grouping ("Kim Jong Un" / "Kim", but not
//!   "Kim Il Sung").
//! - [`naming`]: descriptive references as candidate naming variants.
//! - [`conll`]: CoNLL reading and the conlleval entity-level metric.
//!
//! The tagger runs on the document's own tokens (`parallax_core` segments):
//! typographic quotes and dashes are mapped to ASCII first, since the CoNLL
//! text is ASCII; a possessive `'s` is its own token in both.

pub mod clusters;
pub mod conll;
pub mod features;
pub mod group;
pub mod model;
pub mod naming;
pub mod places;
pub mod train;

use model::DocHistory;
pub use model::Model;
use once_cell::sync::Lazy;
use parallax_core::{Document, Span, TokenKind};
use serde::Serialize;

/// The model shipped in the binary (`models/ner/`, see its README).
static MODEL_BYTES: &[u8] = include_bytes!("../../../../models/ner/ner.bin");

/// The embedded model, decoded once.
pub static MODEL: Lazy<Model> =
    Lazy::new(|| Model::from_bytes(MODEL_BYTES).expect("embedded NER model is valid"));

/// One named-entity mention.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Mention {
    pub span: Span,
    pub text: String,
    /// PER, ORG, LOC or MISC.
    pub label: &'static str,
    /// Mean per-token softmax of the tagger's scores (a ranking signal,
    /// not a calibrated probability).
    pub confidence: f32,
    /// Index into the layer's `entities`.
    pub entity: usize,
    /// How the mention was tied to its entity.
    pub link: group::Link,
}

/// The entities layer of one document.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct EntitiesLayer {
    /// Model name and version.
    pub model: &'static str,
    pub mentions: Vec<Mention>,
    pub entities: Vec<group::Entity>,
    /// Descriptive references and metonyms: candidate naming variants.
    pub naming: Vec<naming::NamingVariant>,
}

pub const MODEL_NAME: &str = "parallax-ner-perceptron-conll2003-v1";

/// Tags a document with the embedded model.
pub fn analyze(doc: &Document) -> EntitiesLayer {
    analyze_with(&MODEL, doc)
}

fn is_possessive(w: &str) -> bool {
    matches!(w, "'s" | "’s" | "'S" | "’S" | "'" | "’")
}

fn is_bracket(w: &str) -> bool {
    matches!(w, "[" | "]")
}

/// A chunk the tagger read across brackets stays whole only when the
/// brackets open it, as an editor's insertion of a first word (`[Mike]
/// Pompeo`, `[North] Korean`); otherwise (`DNC [Democratic National
/// Committee]`, `Bureau of Labor Statistics [BLS]`) it is cut at each
/// bracket.
fn bracket_pieces(words: &[&str], (start, end): (usize, usize)) -> Vec<(usize, usize)> {
    let inside: Vec<usize> = (start..end).filter(|&i| is_bracket(words[i])).collect();
    let opens = start > 0 && words[start - 1] == "[";
    if inside.is_empty() || (opens && inside.len() == 1 && words[inside[0]] == "]") {
        return vec![(start, end)];
    }
    let mut cuts = Vec::new();
    let mut from = start;
    for i in inside {
        cuts.push((from, i));
        from = i + 1;
    }
    cuts.push((from, end));
    // a piece opens on a name word: `of Christ` of `Imitation [of
    // Christ]` and the footnote `3` of `II[3]` are no mentions
    let capital = |i: usize| words[i].chars().next().is_some_and(char::is_uppercase);
    cuts.into_iter()
        .filter_map(|(mut a, b)| {
            while a < b && !capital(a) {
                a += 1;
            }
            (a < b).then_some((a, b))
        })
        .collect()
}

/// A mention holding a bracket whose partner lies just outside it
/// (`North] Korean` of "[North] Korean") takes the partner in, so that
/// its text reads as written: `[North] Korean`.
fn balance_brackets(words: &[&str], (mut start, mut end): (usize, usize)) -> (usize, usize) {
    let depth = words[start..end].iter().fold(0i32, |d, w| match *w {
        "[" => d + 1,
        "]" => d - 1,
        _ => d,
    });
    if depth < 0 && start > 0 && words[start - 1] == "[" {
        start -= 1;
    } else if depth > 0 && end < words.len() && words[end] == "]" {
        end += 1;
    }
    (start, end)
}

/// A word all in lower case ("the", "of", or a verb the tagger ran into):
/// a mention never ends on one ("Standard of the", "Yom Kippur War
/// began").
fn all_lower(w: &str) -> bool {
    w.chars()
        .all(|ch| ch.is_lowercase() || ch == '-' || ch == '\'')
}

/// The mention over `toks[start..end]` of a tagged chunk, trimmed: never
/// starting or ending on punctuation or a possessive marker ("[North
/// Korea]", "Hamas’"), never ending on a word all in lower case; with
/// a lower-case compass word that makes a listed country (`north
/// Korea`); its label checked against the country list and organization
/// heads. Token range, label, mean confidence.
fn mention(
    doc: &Document,
    toks: &[parallax_core::Token],
    words: &[&str],
    confs: &[f32],
    (mut start, mut end): (usize, usize),
    label: &str,
) -> Option<(usize, usize, &'static str, f32)> {
    let word = |i: usize| {
        matches!(toks[i].kind, TokenKind::Word | TokenKind::Number) && !is_possessive(words[i])
    };
    loop {
        while start < end && !word(start) {
            start += 1;
        }
        while end > start && !word(end - 1) {
            end -= 1;
        }
        if end > start + 1 && all_lower(words[end - 1]) {
            end -= 1;
            continue;
        }
        break;
    }
    if start == end {
        return None;
    }
    // `north Korea`: a lower-case compass word that makes a listed
    // country with the name after it belongs to the mention
    if start > 0
        && places::compass_prefix_makes_place(
            words[start - 1],
            &doc.text[toks[start].span.start..toks[end - 1].span.end],
        )
    {
        start -= 1;
    }
    let conf = confs[start..end].iter().sum::<f32>() / (end - start) as f32;
    let label = features::TYPES
        .iter()
        .find(|t| **t == label)
        .copied()
        .unwrap_or("MISC");
    let text = &doc.text[toks[start].span.start..toks[end - 1].span.end];
    let label = if places::is_country(text) {
        "LOC"
    } else if label == "PER" && places::has_org_head(text) {
        "ORG"
    } else if label != "MISC" && places::has_event_head(text) {
        "MISC"
    } else {
        label
    };
    Some((start, end, label, conf))
}

/// Tags a document with a given model.
pub fn analyze_with(m: &Model, doc: &Document) -> EntitiesLayer {
    let mut hist = DocHistory::default();
    let mut raw: Vec<(usize, usize, &'static str, f32)> = Vec::new(); // token range, label, conf
    for si in 0..doc.segments.sentences.len() {
        let toks = doc.segments.sentence_tokens(si);
        if toks.is_empty() {
            continue;
        }
        let base = doc.segments.sentences[si].tokens.start;
        let words: Vec<&str> = toks.iter().map(|t| &doc.text[t.span.range()]).collect();
        // Editorial brackets ("the [North] Korean people", "the [Yom
        // Kippur] war") are not words of the sentence: the tagger reads it
        // without them, and chunks map back to the tokens as written.
        let kept: Vec<usize> = (0..words.len())
            .filter(|&i| !is_bracket(words[i]))
            .collect();
        let kept_words: Vec<&str> = kept.iter().map(|&i| words[i]).collect();
        let infos = m.infos(&kept_words);
        let (tags, kept_confs) = m.tag_sentence(&infos, &mut hist);
        let mut confs = vec![0.0f32; words.len()];
        for (k, &i) in kept.iter().enumerate() {
            confs[i] = kept_confs[k];
        }
        let names: Vec<&str> = tags.iter().map(|&t| model::TAGS[t as usize]).collect();
        for c in conll::chunks(&names) {
            // A comma inside a chunk separates names the tagger joined
            // ("Hyun-sook Cho, Cathi Choi"): each piece is a mention.
            let mut pieces = Vec::new();
            let mut from = c.start;
            for (k, w) in kept_words.iter().enumerate().take(c.end).skip(c.start) {
                if matches!(*w, "," | ";") {
                    pieces.push((from, k));
                    from = k + 1;
                }
            }
            pieces.push((from, c.end));
            for (start, end) in pieces {
                if start >= end {
                    continue;
                }
                let (start, end) = (kept[start], kept[end - 1] + 1);
                for (start, end) in bracket_pieces(&words, (start, end)) {
                    if let Some(m) = mention(doc, toks, &words, &confs, (start, end), &c.label) {
                        let (s, e) = balance_brackets(&words, (m.0, m.1));
                        raw.push((base + s, base + e, m.2, m.3));
                    }
                }
            }
        }
    }
    let all = &doc.segments.tokens;
    let keys: Vec<group::MentionKey> = raw
        .iter()
        .map(|&(s, e, label, _)| {
            let mut cased: Vec<String> = all[s..e]
                .iter()
                .map(|t| &doc.text[t.span.range()])
                .filter(|w| !is_bracket(w))
                .map(features::normalize_token)
                .collect();
            if cased.len() > 1 && cased[0].eq_ignore_ascii_case("the") {
                cased.remove(0);
            }
            let words = cased.iter().map(|w| w.to_lowercase()).collect();
            group::MentionKey {
                words,
                cased,
                label,
                text: doc.text[all[s].span.start..all[e - 1].span.end].to_string(),
            }
        })
        .collect();
    let (ent_of, links, entities) = group::group(&keys);
    let mentions: Vec<Mention> = raw
        .iter()
        .zip(keys)
        .zip(ent_of.iter().zip(links))
        .map(|((&(s, e, label, conf), k), (&entity, link))| Mention {
            span: doc.span(all[s].span.start, all[e - 1].span.end),
            text: k.text,
            label,
            confidence: (conf * 1000.0).round() / 1000.0,
            entity,
            link,
        })
        .collect();
    let entity_of_name = |name: &str| -> Option<usize> {
        let n = name.to_lowercase();
        entities
            .iter()
            .find(|e| e.forms.iter().any(|f| f.text.to_lowercase() == n))
            .map(|e| e.id)
    };
    let naming = naming::find(doc, &entity_of_name);
    EntitiesLayer {
        model: MODEL_NAME,
        mentions,
        entities,
        naming,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn mentions_never_hold_a_comma_nor_end_on_a_lower_case_word() {
        let d = Document::from_text(
            "t",
            "Senior operatives Hyun-sook Cho, Cathi Choi, and Kathleen Richards signed it. \
             In “Under the Banner of Marxist-Leninist Proletarian Internationalism, While Holding \
             High the Standard of the Anti-Imperialist, Anti-American Struggle, Let Us Accelerate \
             World Revolution,” Kim Il Sung wrote.",
        );
        let l = analyze(&d);
        for m in &l.mentions {
            assert!(!m.text.contains(','), "{m:?}");
            let last = m.text.rsplit(' ').next().unwrap();
            for w in [
                "of", "the", "and", "for", "in", "on", "to", "a", "an", "at", "by",
            ] {
                assert_ne!(last, w, "{m:?}");
            }
            assert!(!all_lower(last), "{m:?}");
        }
        assert!(l.mentions.iter().any(|m| m.text == "Kathleen Richards"));
        // a lower-case verb the tagger ran into is cut; a war is an event
        let d = Document::from_text("t", "The Yom Kippur War began in 1973.");
        let l = analyze(&d);
        let m = l
            .mentions
            .iter()
            .find(|m| m.text.starts_with("Yom Kippur"))
            .expect("the war");
        assert_eq!((m.text.as_str(), m.label), ("Yom Kippur War", "MISC"));
        assert!(super::places::has_event_head("the Oslo Accords"));
        assert!(!super::places::has_event_head("War"));
    }

    #[test]
    fn editorial_brackets_are_read_through_but_not_joined_across() {
        let d = Document::from_text(
            "t",
            "Secretary of State [Mike] Pompeo spoke on Monday. North Korean troops marched. \
             The [North] Korean people stood firm. The DNC [Democratic National Committee] \
             met in Philadelphia.",
        );
        let l = analyze(&d);
        let texts: Vec<&str> = l.mentions.iter().map(|m| m.text.as_str()).collect();
        let m = l.mentions.iter().find(|m| m.text == "[Mike] Pompeo");
        assert_eq!(m.map(|m| m.label), Some("PER"), "{texts:?}");
        let nk = l
            .mentions
            .iter()
            .find(|m| m.text == "North Korean")
            .unwrap();
        let br = l.mentions.iter().find(|m| m.text == "[North] Korean");
        assert_eq!(br.map(|m| m.entity), Some(nk.entity), "{texts:?}");
        assert!(texts.iter().all(|t| !t.contains("DNC [")), "{texts:?}");
        assert!(texts.contains(&"DNC"), "{texts:?}");
        for m in &l.mentions {
            assert_eq!(&d.text[m.span.range()], m.text);
        }
        assert_eq!(bracket_pieces(&["[", "A", "]", "B"], (1, 4)), vec![(1, 4)]);
        assert_eq!(
            bracket_pieces(&["A", "[", "of", "C", "]"], (0, 5)),
            vec![(0, 1), (3, 4)]
        );
        assert_eq!(balance_brackets(&["[", "A", "]", "B"], (1, 4)), (0, 4));
    }

    #[test]
    fn a_lower_case_compass_word_joins_its_country() {
        let d = Document::from_text(
            "t",
            "North Korea tested a missile. The DPRK, or north Korea, says it will test again. He flew north to Korea.",
        );
        let l = analyze(&d);
        let m = l
            .mentions
            .iter()
            .find(|m| m.text == "north Korea")
            .expect("north Korea as one mention");
        assert_eq!(m.label, "LOC");
        let first = l.mentions.iter().find(|m| m.text == "North Korea").unwrap();
        assert_eq!(m.entity, first.entity, "one entity: {:?}", l.entities);
        // a compass word that is a plain direction stays out
        assert!(l
            .mentions
            .iter()
            .all(|m| m.text != "to Korea" && !m.text.starts_with("north to")));
        assert!(super::places::compass_prefix_makes_place("south", "Korea"));
        assert!(!super::places::compass_prefix_makes_place(
            "north", "France"
        ));
        assert!(!super::places::compass_prefix_makes_place("North", "Korea"));
    }

    #[test]
    fn country_names_are_places() {
        let d = Document::from_text(
            "t",
            "Solidarity with Palestine grew. Activists from Palestine spoke in Gaza and the DPRK.",
        );
        let l = analyze(&d);
        for m in l
            .mentions
            .iter()
            .filter(|m| m.text == "Palestine" || m.text == "DPRK")
        {
            assert_eq!(m.label, "LOC", "{m:?}");
        }
        assert!(l.mentions.iter().any(|m| m.text == "Palestine"));
        let d = Document::from_text("t", "The Riverton City Council voted on Monday.");
        for m in analyze(&d)
            .mentions
            .iter()
            .filter(|m| m.text.contains("Council"))
        {
            assert_eq!(m.label, "ORG", "{m:?}");
        }
    }

    #[test]
    fn embedded_model_finds_and_groups_names() {
        let d = Document::from_text(
            "t",
            "North Korean leader Kim Jong Un met officials in Pyongyang. \
             His grandfather Kim Il Sung founded the state. Kim Jong Un later spoke. \
             The Kim regime praised Hamas’ attack on Israel.",
        );
        let l = analyze(&d);
        let names: Vec<&str> = l.entities.iter().map(|e| e.name.as_str()).collect();
        assert!(names.contains(&"Kim Jong Un"), "{names:?}");
        assert!(names.contains(&"Kim Il Sung"), "{names:?}");
        assert!(names.contains(&"Israel"), "{names:?}");
        assert!(names.contains(&"Hamas"), "{names:?}");
        let kju = l.entities.iter().find(|e| e.name == "Kim Jong Un").unwrap();
        let full = kju.forms.iter().find(|f| f.text == "Kim Jong Un").unwrap();
        assert_eq!(full.count, 2);
        // The "Kim" of "The Kim regime" follows the most recent full name.
        let kis = l.entities.iter().find(|e| e.name == "Kim Il Sung").unwrap();
        assert_ne!(kju.id, kis.id);
        assert_eq!(kju.label, "PER");
        // "Hamas’": the possessive apostrophe is not part of the mention.
        assert!(l.mentions.iter().any(|m| m.text == "Hamas"));
        let regime = l
            .naming
            .iter()
            .find(|n| n.text == "The Kim regime")
            .unwrap();
        assert_eq!(regime.refers_to.as_deref(), Some("North Korea"));
    }

    #[test]
    fn layer_is_deterministic() {
        let d = Document::from_text(
            "t",
            "Israel and Hamas fought in Gaza, the United Nations said.",
        );
        assert_eq!(analyze(&d), analyze(&d));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn spans_are_the_evidence(words in proptest::collection::vec(
            prop_oneof![
                Just("Kim"), Just("Jong"), Just("Un"), Just("Israel’s"), Just("the"),
                Just("regime"), Just("“Hamas”"), Just("U.S."), Just("said"), Just("—"),
                Just("Zürich"), Just("."), Just("[North"), Just("Korea]"), Just("état"),
            ], 0..40)) {
            let text = words.join(" ");
            let d = Document::from_text("p", &text);
            let l = analyze(&d);
            let chars: Vec<char> = d.text.chars().collect();
            for m in &l.mentions {
                prop_assert_eq!(d.slice(&m.span), m.text.as_str());
                let s: String = chars[m.span.cp_start..m.span.cp_end].iter().collect();
                prop_assert_eq!(s, m.text.clone());
                prop_assert!(m.entity < l.entities.len());
            }
            for n in &l.naming {
                prop_assert_eq!(d.slice(&n.span), n.text.as_str());
            }
        }
    }
}
