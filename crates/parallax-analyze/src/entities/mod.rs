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
        let infos = m.infos(&words);
        let (tags, confs) = m.tag_sentence(&infos, &mut hist);
        let names: Vec<&str> = tags.iter().map(|&t| model::TAGS[t as usize]).collect();
        for c in conll::chunks(&names) {
            // Never start or end a mention on punctuation or a possessive
            // marker ("[North Korea]", "Hamas’").
            let word = |i: usize| {
                matches!(toks[i].kind, TokenKind::Word | TokenKind::Number)
                    && !is_possessive(words[i])
            };
            let (mut start, mut end) = (c.start, c.end);
            while start < end && !word(start) {
                start += 1;
            }
            while end > start && !word(end - 1) {
                end -= 1;
            }
            if start == end {
                continue;
            }
            let conf = confs[start..end].iter().sum::<f32>() / (end - start) as f32;
            let label = features::TYPES
                .iter()
                .find(|t| **t == c.label)
                .copied()
                .unwrap_or("MISC");
            raw.push((base + start, base + end, label, conf));
        }
    }
    let all = &doc.segments.tokens;
    let keys: Vec<group::MentionKey> = raw
        .iter()
        .map(|&(s, e, label, _)| {
            let mut cased: Vec<String> = all[s..e]
                .iter()
                .map(|t| features::normalize_token(&doc.text[t.span.range()]))
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
