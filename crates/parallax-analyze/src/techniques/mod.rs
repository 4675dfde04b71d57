//! # Persuasion techniques
//!
//! Finds the phrases that use one of the 14 persuasion techniques of the
//! Propaganda Techniques Corpus (SemEval-2020 Task 11) and names the
//! technique, in two steps as in the shared task: span identification (SI)
//! and technique classification (TC). Each span carries its technique, a
//! confidence and the evidence that fired (lexicon entries, words, patterns,
//! repeated phrases); the layer also gives a per-article profile (count and
//! share of tokens covered per technique).
//!
//! The default model ([`model::LinearModel`]) is trained in pure Rust by
//! `parallax train techniques` and embedded in the binary
//! (`models/techniques/model.bin`, model card beside it). A stronger model
//! (e.g. a transformer behind an optional feature) plugs in by implementing
//! [`TechniqueModel`] and calling [`analyze_with`].
//!
//! Labels describe the text (a loaded phrase, a slogan), never whether a
//! claim is true.

pub mod dense;
pub mod features;
pub mod labels;
pub mod lexicon;
pub mod linear;
pub mod metric;
pub mod model;
pub mod ptc;
pub mod train;

pub use labels::Technique;

use once_cell::sync::Lazy;
use parallax_core::{Document, Span, TokenKind};
use serde::Serialize;

/// Why a span got its technique: one cue that pushed the decision.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Evidence {
    /// `lexicon` (a sentiment/subjectivity lexicon entry), `phrase` (a word
    /// or word pair of the span), `repetition` (the phrase recurs in the
    /// article), `context` (a word around the span), `pattern`
    /// (punctuation, capitalization, quotation, headline, length) or
    /// `meaning` (the mean word embedding of the span or of its sentence).
    pub kind: &'static str,
    /// The word, phrase or pattern.
    pub cue: String,
    /// Details, e.g. the lexicon scores or how often the phrase occurs.
    pub note: String,
    /// How much it pushed towards the technique (model units, > 0).
    pub weight: f32,
}

impl Evidence {
    pub fn new(kind: &'static str, cue: &str, note: &str, weight: f32) -> Self {
        Evidence {
            kind,
            cue: cue.to_string(),
            note: note.to_string(),
            weight,
        }
    }
}

/// A classifier's answer for one span.
#[derive(Clone, Debug)]
pub struct Classified {
    /// Probabilities over [`Technique::ALL`], in that order.
    pub probs: Vec<f32>,
    /// Cues for the most probable technique.
    pub evidence: Vec<Evidence>,
}

/// The slot for technique models. The default is the linear model; a
/// transformer-based model can implement this trait and be passed to
/// [`analyze_with`].
pub trait TechniqueModel: Send + Sync {
    /// Short name, written into the layer (`model`).
    fn name(&self) -> &str;
    /// SI: spans that use some technique, with a confidence in 0..1.
    fn identify(&self, doc: &Document) -> Vec<(Span, f32)>;
    /// TC: the technique of each given span.
    fn classify(&self, doc: &Document, spans: &[Span]) -> Vec<Classified>;
    /// SI then TC. Override to share work between the two steps.
    fn analyze(&self, doc: &Document) -> Vec<(Span, f32, Classified)> {
        let found = self.identify(doc);
        let spans: Vec<Span> = found.iter().map(|(s, _)| *s).collect();
        let cls = self.classify(doc, &spans);
        found
            .into_iter()
            .zip(cls)
            .map(|((s, c), k)| (s, c, k))
            .collect()
    }
}

/// One phrase using a technique.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TechniqueSpan {
    pub span: Span,
    /// The evidence text (`text[span]`).
    pub text: String,
    /// PTC label, e.g. `Loaded_Language`.
    pub technique: Technique,
    /// Readable name, e.g. `Loaded language`.
    pub name: &'static str,
    /// `span_confidence * technique_confidence`.
    pub confidence: f32,
    /// Confidence that the phrase uses some technique (SI).
    pub span_confidence: f32,
    /// Probability of this technique given the phrase (TC).
    pub technique_confidence: f32,
    /// The runner-up technique and its probability.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alternative: Option<Alternative>,
    pub evidence: Vec<Evidence>,
}

/// A runner-up technique.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Alternative {
    pub technique: Technique,
    pub name: &'static str,
    pub probability: f32,
}

/// Per-technique counts for the article.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ProfileEntry {
    pub technique: Technique,
    pub name: &'static str,
    pub count: usize,
    /// Word tokens inside spans of this technique.
    pub tokens: usize,
    /// `tokens / word tokens of the article`.
    pub share: f32,
}

/// The article's profile: what share of its words use any technique, and each one.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Profile {
    pub word_tokens: usize,
    pub spans: usize,
    /// Share of word tokens inside any technique span.
    pub share: f32,
    /// Techniques found, most tokens first.
    pub techniques: Vec<ProfileEntry>,
}

/// The `techniques` layer.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TechniquesLayer {
    /// Which model produced it.
    pub model: String,
    pub spans: Vec<TechniqueSpan>,
    pub profile: Profile,
}

static MODEL_BYTES: &[u8] = include_bytes!("../../../../models/techniques/model.bin");

/// The embedded default model, loaded once.
pub static DEFAULT_MODEL: Lazy<model::LinearModel> = Lazy::new(|| {
    model::LinearModel::from_bytes(MODEL_BYTES)
        .unwrap_or_else(|e| panic!("embedded models/techniques/model.bin: {e}"))
});

/// Runs the default model on a document.
pub fn analyze(doc: &Document) -> TechniquesLayer {
    analyze_with(&*DEFAULT_MODEL, doc)
}

/// Runs any technique model on a document and builds the layer.
pub fn analyze_with(m: &dyn TechniqueModel, doc: &Document) -> TechniquesLayer {
    let mut spans: Vec<TechniqueSpan> = m
        .analyze(doc)
        .into_iter()
        .filter(|(s, _, _)| shown(doc, s))
        .map(|(span, sc, c)| {
            let mut order: Vec<usize> = (0..c.probs.len()).collect();
            order.sort_by(|&a, &b| c.probs[b].total_cmp(&c.probs[a]).then(a.cmp(&b)));
            let t = Technique::ALL[order[0]];
            let tp = c.probs[order[0]];
            TechniqueSpan {
                span,
                text: doc.slice(&span).to_string(),
                technique: t,
                name: t.name(),
                confidence: round3(sc * tp),
                span_confidence: round3(sc),
                technique_confidence: round3(tp),
                alternative: order.get(1).map(|&i| Alternative {
                    technique: Technique::ALL[i],
                    name: Technique::ALL[i].name(),
                    probability: round3(c.probs[i]),
                }),
                evidence: c.evidence,
            }
        })
        .collect();
    spans.sort_by(|a, b| a.span.cmp(&b.span).then(a.technique.cmp(&b.technique)));
    let profile = profile(doc, &spans);
    TechniquesLayer {
        model: m.name().to_string(),
        spans,
        profile,
    }
}

/// Whether a model's span is shown (and scored by `eval techniques --task
/// si`): not empty, and not made only of function words ("to", "of the"),
/// which say nothing a reader could check.
pub fn shown(doc: &Document, s: &Span) -> bool {
    !s.is_empty() && !only_function_words(doc.slice(s))
}

fn only_function_words(text: &str) -> bool {
    let mut any = false;
    for w in text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’') {
        if w.is_empty() {
            continue;
        }
        any = true;
        if !features::is_stop(&w.to_lowercase()) {
            return false;
        }
    }
    any
}

fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

/// Count and share of word tokens covered, per technique and overall.
pub fn profile(doc: &Document, spans: &[TechniqueSpan]) -> Profile {
    let words: Vec<&Span> = doc
        .segments
        .tokens
        .iter()
        .filter(|t| t.kind != TokenKind::Punct)
        .map(|t| &t.span)
        .collect();
    let n = words.len();
    // Per word, a bit per technique whose spans cover it (one pass over the
    // spans; words are in text order, so each span's words are a range).
    let mut mask = vec![0u32; n];
    for s in spans {
        let bit = 1u32 << s.technique.index();
        let a = words.partition_point(|w| w.start < s.span.start);
        for (m, w) in mask[a..].iter_mut().zip(&words[a..]) {
            if w.start >= s.span.end {
                break;
            }
            if s.span.contains(w) {
                *m |= bit;
            }
        }
    }
    let covered = |bits: u32| mask.iter().filter(|m| *m & bits != 0).count();
    let share = |k: usize| {
        if n == 0 {
            0.0
        } else {
            round3(k as f32 / n as f32)
        }
    };
    let mut techniques: Vec<ProfileEntry> = Technique::ALL
        .into_iter()
        .filter_map(|t| {
            let count = spans.iter().filter(|s| s.technique == t).count();
            (count > 0).then(|| {
                let tokens = covered(1u32 << t.index());
                ProfileEntry {
                    technique: t,
                    name: t.name(),
                    count,
                    tokens,
                    share: share(tokens),
                }
            })
        })
        .collect();
    techniques.sort_by(|a, b| b.tokens.cmp(&a.tokens).then(a.technique.cmp(&b.technique)));
    let any = covered(u32::MAX);
    Profile {
        word_tokens: n,
        spans: spans.len(),
        share: share(any),
        techniques,
    }
}
