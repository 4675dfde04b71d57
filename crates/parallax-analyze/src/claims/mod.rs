//! `claims` layer: a check-worthiness score in [0, 1] for every sentence.
//!
//! "Check-worthy" describes the sentence, not its truth: it reads as a
//! factual claim that someone could verify (numbers, events, records,
//! comparisons), as opposed to opinion, greeting, question or rhetoric.
//! Parallax never says whether the claim is true.
//!
//! The model ([`model`]) is a logistic regression over hashed word, bigram
//! and cue features, trained in pure Rust on the CLEF CheckThat! 2024 Task 1
//! English training data ([`data`] has the TSV reader and the seeded split).
//! The shipped model is embedded from `models/checkworthy/model.bin`; its
//! card is `models/checkworthy/README.md`.

pub mod data;
pub mod model;

use model::Model;
use once_cell::sync::Lazy;
use parallax_core::{Document, Span};
use serde::Serialize;

/// Name and version of the embedded model, written into every layer.
pub const MODEL_NAME: &str = "checkworthy-lr-v2";

static MODEL_BYTES: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../models/checkworthy/model.bin"
));

static MODEL: Lazy<Model> = Lazy::new(|| {
    Model::from_bytes(MODEL_BYTES).expect("embedded models/checkworthy/model.bin is valid")
});

/// The embedded model.
pub fn embedded_model() -> &'static Model {
    &MODEL
}

/// Number of cues kept per sentence.
const CUES: usize = 3;

/// A feature that raised a sentence's score, e.g. `w:percent` (word),
/// `b:<num> percent` (bigram), `c:number` (cue), `len:16-25` (length),
/// `e:sentence-meaning` (the sentence embedding as a whole: what the
/// sentence is about, beyond its words).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Cue {
    pub feature: String,
    pub weight: f32,
}

/// One sentence and its score.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ClaimSentence {
    /// Index into the document's sentences.
    pub sentence: usize,
    pub span: Span,
    pub text: String,
    /// `check-worthy` when `score >= 0.5`, else `not-check-worthy`.
    pub label: &'static str,
    /// Model probability that the sentence is a check-worthy claim.
    pub score: f32,
    /// The features that pushed the score up most (empty when none did).
    pub cues: Vec<Cue>,
}

/// The `claims` layer.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ClaimsLayer {
    pub model: &'static str,
    /// Scores at or above this are labeled `check-worthy`.
    pub threshold: f32,
    /// How many sentences are labeled `check-worthy`.
    pub check_worthy: usize,
    pub sentences: Vec<ClaimSentence>,
}

/// `model` of a layer whose scores came from a fine-tuned encoder
/// (`parallax analyze --claims-model-dir`), and the one cue its sentences carry.
pub const ENCODER_MODEL_NAME: &str = "checkworthy-finetuned-encoder";
pub const ENCODER_CUE: &str = "m:fine-tuned-encoder";

impl ClaimsLayer {
    /// Replaces the sentences' scores, in order, with `scores` from an
    /// outside model such as the fine-tuned encoder (its threshold folded
    /// in, so 0.5 stays the call). Such a model gives no per-word reasons:
    /// each sentence's cues become the one cue [`ENCODER_CUE`] whose weight
    /// is the model's log-odds for the sentence.
    pub fn rescore(&mut self, model: &'static str, scores: &[f32]) {
        assert_eq!(scores.len(), self.sentences.len(), "one score per sentence");
        for (s, &p) in self.sentences.iter_mut().zip(scores) {
            let p = p.clamp(0.0, 1.0);
            s.score = p;
            s.label = if p >= self.threshold {
                LABEL_YES
            } else {
                LABEL_NO
            };
            s.cues = vec![Cue {
                feature: ENCODER_CUE.to_string(),
                weight: log_odds(p),
            }];
        }
        self.model = model;
        self.check_worthy = self
            .sentences
            .iter()
            .filter(|s| s.label == LABEL_YES)
            .count();
    }

    /// Adds to sentence `i`, after its encoder cue, the words whose removal
    /// lowers its score most: `w:<word>` with the drop in log-odds as the
    /// weight, at most 3, only drops above 0.1. `occluded`: the words of
    /// [`occlusions`] and the model's score of the sentence without each.
    pub fn explain_by_occlusion(&mut self, i: usize, occluded: &[(String, f32)]) {
        let s = &mut self.sentences[i];
        let base = log_odds(s.score);
        let mut drops: Vec<(f32, &str)> = occluded
            .iter()
            .map(|(w, p)| (base - log_odds(*p), w.as_str()))
            .filter(|(d, _)| *d > 0.1)
            .collect();
        drops.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        s.cues.extend(drops.into_iter().take(3).map(|(d, w)| Cue {
            feature: format!("w:{w}"),
            weight: d,
        }));
    }
}

/// The words of a sentence an occlusion explanation tries, each with the
/// sentence as it reads without it: whitespace-separated tokens stripped
/// of surrounding punctuation, the first [`OCCLUDE_MAX_WORDS`] of them
/// (the encoder reads about that many), each distinct word once (its
/// first occurrence).
pub fn occlusions(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut at = 0;
    for tok in text.split_whitespace().take(OCCLUDE_MAX_WORDS) {
        let start = at + text[at..].find(tok).expect("a token of the text");
        at = start + tok.len();
        let core = tok.trim_matches(|c: char| !c.is_alphanumeric());
        if core.is_empty() {
            continue;
        }
        let word = core.to_lowercase();
        if out.iter().any(|(w, _)| *w == word) {
            continue;
        }
        let cs = start + tok.find(core).expect("the core of the token");
        let without = format!("{}{}", &text[..cs], &text[cs + core.len()..]);
        out.push((
            word,
            without.split_whitespace().collect::<Vec<_>>().join(" "),
        ));
    }
    out
}

/// How many words of a sentence [`occlusions`] tries at most.
pub const OCCLUDE_MAX_WORDS: usize = 60;

/// Log-odds of a probability, clamped away from 0 and 1.
fn log_odds(p: f32) -> f32 {
    (p.max(1e-6) / (1.0 - p).max(1e-6)).ln()
}

pub const LABEL_YES: &str = "check-worthy";
pub const LABEL_NO: &str = "not-check-worthy";

/// Scores every sentence of a document with the embedded model.
pub fn analyze(doc: &Document) -> ClaimsLayer {
    analyze_with(doc, embedded_model())
}

/// Scores every sentence of a document with a given model.
pub fn analyze_with(doc: &Document, m: &Model) -> ClaimsLayer {
    let mut sentences = Vec::with_capacity(doc.segments.sentences.len());
    let sents = &doc.segments.sentences;
    for (i, s) in sents.iter().enumerate() {
        let text = doc.slice(&s.span);
        if text.trim().is_empty() {
            continue;
        }
        let ctx = model::Ctx {
            prev: i.checked_sub(1).map(|j| doc.slice(&sents[j].span)),
            text,
            next: sents.get(i + 1).map(|n| doc.slice(&n.span)),
            vec: None,
        };
        let (score, cues) = m.explain_ctx(&ctx, CUES);
        sentences.push(ClaimSentence {
            sentence: i,
            span: s.span,
            text: text.to_string(),
            label: if score >= 0.5 { LABEL_YES } else { LABEL_NO },
            score,
            cues: cues
                .into_iter()
                .map(|(feature, weight)| Cue { feature, weight })
                .collect(),
        });
    }
    ClaimsLayer {
        model: MODEL_NAME,
        threshold: 0.5,
        check_worthy: sentences.iter().filter(|s| s.label == LABEL_YES).count(),
        sentences,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occlusions_drop_each_word_once_and_keep_punctuation() {
        let o = occlusions("Taxes rose 40 percent, taxes said (Smith).");
        let words: Vec<&str> = o.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(words, ["taxes", "rose", "40", "percent", "said", "smith"]);
        assert_eq!(o[3].1, "Taxes rose 40 , taxes said (Smith).");
        assert_eq!(o[5].1, "Taxes rose 40 percent, taxes said ().");
        assert!(occlusions(" -- ... ").is_empty());
        assert_eq!(occlusions("héllo wörld")[1].1, "héllo");
    }

    #[test]
    fn occlusion_cues_are_the_largest_drops() {
        let doc = parallax_core::Document::from_text("d", "Unemployment fell 4 percent.");
        let mut layer = analyze(&doc);
        layer.rescore(ENCODER_MODEL_NAME, &[0.9]);
        let occ = |w: &str, p: f32| (w.to_string(), p);
        layer.explain_by_occlusion(
            0,
            &[
                occ("unemployment", 0.6),
                occ("fell", 0.89),
                occ("4", 0.3),
                occ("percent", 0.5),
                occ("x", 0.95),
            ],
        );
        let cues: Vec<&str> = layer.sentences[0]
            .cues
            .iter()
            .map(|c| c.feature.as_str())
            .collect();
        // the encoder cue first, then the words by drop; "fell" (a drop
        // under 0.1) and "x" (a rise) are left out
        assert_eq!(cues, [ENCODER_CUE, "w:4", "w:percent", "w:unemployment"]);
        let w = &layer.sentences[0].cues;
        assert!((w[1].weight - (log_odds(0.9) - log_odds(0.3))).abs() < 1e-5);
        assert!(w[1].weight > w[2].weight && w[2].weight > w[3].weight);
    }

    #[test]
    fn rescore_replaces_scores_labels_and_cues() {
        let doc = parallax_core::Document::from_text(
            "t",
            "Unemployment fell to 4 percent in May. I love this town.",
        );
        let mut layer = analyze(&doc);
        assert_eq!(layer.sentences.len(), 2);
        let scores: Vec<f32> = layer
            .sentences
            .iter()
            .map(|s| if s.text.contains("percent") { 0.9 } else { 0.2 })
            .collect();
        layer.rescore(ENCODER_MODEL_NAME, &scores);
        assert_eq!(layer.model, ENCODER_MODEL_NAME);
        assert_eq!(layer.check_worthy, 1);
        let s = &layer.sentences;
        assert_eq!((s[0].score, s[0].label), (0.9, LABEL_YES));
        assert_eq!((s[1].score, s[1].label), (0.2, LABEL_NO));
        assert_eq!(s[0].cues.len(), 1);
        assert_eq!(s[0].cues[0].feature, ENCODER_CUE);
        assert!((s[0].cues[0].weight - 9f32.ln()).abs() < 1e-5);
        assert!(s[1].cues[0].weight < 0.0);
    }

    #[test]
    fn embedded_model_loads_and_scores_in_range() {
        let m = embedded_model();
        assert!(m.bits >= 10);
        for s in ["Thank you.", "Taxes went up 40 percent in 1992.", ""] {
            let x = m.score(s);
            assert!((0.0..=1.0).contains(&x), "{s}: {x}");
        }
    }

    #[test]
    fn embedded_model_ranks_a_numeric_claim_above_a_greeting() {
        let m = embedded_model();
        let claim =
            m.score("Unemployment rose to 10 percent and we lost 3 million jobs last year.");
        let chat = m.score("Thank you very much, it's good to be here tonight.");
        assert!(claim > 0.5, "{claim}");
        assert!(chat < 0.5, "{chat}");
    }

    #[test]
    fn layer_has_one_entry_per_sentence_with_spans() {
        let doc = Document::from_text(
            "t",
            "We spent $3.8 billion on aid in 2022. Thank you all. Is that right?",
        );
        let l = analyze(&doc);
        assert_eq!(l.sentences.len(), doc.segments.sentences.len());
        for s in &l.sentences {
            assert_eq!(doc.slice(&s.span), s.text);
            assert!((0.0..=1.0).contains(&s.score));
            assert_eq!(s.label == LABEL_YES, s.score >= 0.5);
        }
        assert_eq!(
            l.check_worthy,
            l.sentences.iter().filter(|s| s.label == LABEL_YES).count()
        );
        assert!(l.sentences[0].score > l.sentences[1].score);
    }
}
