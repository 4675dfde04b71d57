//! The default technique model: a token tagger for span identification
//! (logistic regression over hashed token features, thresholded and joined
//! into spans) and a multinomial classifier over span features for the
//! technique. Both are [`Linear`] models stored in one file.

use super::dense::{DensePieces, DenseScorer};
use super::features::{bucket, hash_feature, DocCtx, HashSink, Sink};
use super::labels::Technique;
use super::lexicon;
use super::linear::{add_dense_scores, sigmoid, softmax, Linear, Reader};
use super::{Classified, Evidence, TechniqueModel};
use parallax_core::{Document, Span, TokenKind};
use serde::{Deserialize, Serialize};
use std::ops::Range;

pub const MAGIC: &[u8; 8] = b"PLXTECH1";
pub const SI_BITS: u32 = 20;
pub const TC_BITS: u32 = 18;

/// What the model file says about how it was made.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ModelMeta {
    /// Token probability at or above which a token is inside a span.
    pub threshold: f32,
    /// Runs of positive tokens separated by at most this many tokens are joined.
    pub gap: usize,
    /// A sentence whose share of positive tokens reaches this becomes one
    /// whole-sentence span (values above 1 turn this off).
    #[serde(default = "no_fill")]
    pub fill: f32,
    /// A span is kept only when its most confident token reaches this
    /// (hysteresis: spans grow over tokens at `threshold` but must peak
    /// at `peak`; at or below `threshold` there is no filter).
    #[serde(default)]
    pub peak: f32,
    pub seed: u64,
    pub valid_share: f64,
    pub si_epochs: usize,
    pub tc_epochs: usize,
    /// Articles the final model was trained on.
    pub train_ids: Vec<String>,
    /// Held-out articles (never trained on): `parallax eval techniques --held-out`.
    pub validation_ids: Vec<String>,
    /// Scale of the tagger's dense embedding inputs (`dense.rs`); 0: none.
    #[serde(default)]
    pub dense_scale: f32,
    /// Scale of the technique classifier's dense inputs (the span's and its
    /// sentence's mean embedding, `dense::span_input`); 0: none.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub tc_dense_scale: f32,
}

fn is_zero(x: &f32) -> bool {
    *x == 0.0
}

/// A block of f32 weights in the model file: `n u32`, then `n` values.
fn write_f32s(w: &[f32], out: &mut Vec<u8>) {
    out.extend_from_slice(&(w.len() as u32).to_le_bytes());
    for x in w {
        out.extend_from_slice(&x.to_le_bytes());
    }
}

/// Reads a block written by [`write_f32s`] that must hold `want` values.
fn read_f32s(r: &mut Reader, want: usize, what: &str) -> Result<Vec<f32>, String> {
    let n = r.u32()? as usize;
    if n != want {
        return Err(format!("model has {n} {what}, expected {want}"));
    }
    (0..n).map(|_| Ok(f32::from_bits(r.u32()?))).collect()
}

fn no_fill() -> f32 {
    2.0
}

/// The default (linear) model.
#[derive(Clone, Debug)]
pub struct LinearModel {
    pub meta: ModelMeta,
    pub si: Linear,
    pub tc: Linear,
    /// Weights of the tagger's dense inputs (token, then sentence embedding;
    /// empty when `meta.dense_scale` is 0).
    pub si_dense: Vec<f32>,
    /// `si_dense` as per-vocabulary-id scores (built from it).
    pub dense_scorer: Option<DenseScorer>,
    /// Dense weights of the technique classifier (`classes × TC_BLOCKS·dim`;
    /// empty when `meta.tc_dense_scale` is 0).
    pub tc_dense: Vec<f32>,
}

/// A span the tagger found: token range, byte span, confidence.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub toks: Range<usize>,
    pub span: Span,
    pub confidence: f32,
}

impl LinearModel {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        let header = serde_json::to_vec(&self.meta).expect("serializable");
        out.extend_from_slice(&(header.len() as u32).to_le_bytes());
        out.extend_from_slice(&header);
        self.si.to_bytes(&mut out);
        self.tc.to_bytes(&mut out);
        if self.meta.dense_scale > 0.0 {
            write_f32s(&self.si_dense, &mut out);
        }
        if self.meta.tc_dense_scale > 0.0 {
            write_f32s(&self.tc_dense, &mut out);
        }
        out
    }

    /// The model with dense tagger weights `w` at `scale` (0: none).
    pub fn with_dense(mut self, w: Vec<f32>, scale: f32) -> Self {
        self.meta.dense_scale = scale;
        self.dense_scorer = (scale > 0.0).then(|| DenseScorer::new(&w, scale));
        self.si_dense = w;
        self
    }

    pub fn from_bytes(b: &[u8]) -> Result<Self, String> {
        let mut r = Reader(b);
        if r.take(8)? != MAGIC {
            return Err("not a Parallax techniques model (bad magic)".into());
        }
        let n = r.u32()? as usize;
        let meta: ModelMeta =
            serde_json::from_slice(r.take(n)?).map_err(|e| format!("model header: {e}"))?;
        let (si, rest) = Linear::from_bytes(r.0)?;
        let (tc, rest) = Linear::from_bytes(rest)?;
        let mut r = Reader(rest);
        let dim = crate::embed::StaticEmbedder::get().dimension();
        let dense = if meta.dense_scale > 0.0 {
            read_f32s(&mut r, super::dense::BLOCKS * dim, "dense weights")?
        } else {
            Vec::new()
        };
        let tc_dense = if meta.tc_dense_scale > 0.0 {
            let want = Technique::ALL.len() * super::dense::TC_BLOCKS * dim;
            read_f32s(&mut r, want, "classifier dense weights")?
        } else {
            Vec::new()
        };
        if !r.0.is_empty() || si.k != 1 || tc.k != Technique::ALL.len() {
            return Err("model file has an unexpected layout".into());
        }
        let scale = meta.dense_scale;
        Ok(LinearModel {
            meta,
            si,
            tc,
            si_dense: Vec::new(),
            dense_scorer: None,
            tc_dense,
        }
        .with_dense(dense, scale))
    }

    /// Probability that each token lies inside a technique span.
    pub fn token_probs(&self, ctx: &DocCtx) -> Vec<f32> {
        self.token_probs_with(ctx, self.pieces(ctx).as_ref())
    }

    /// The word pieces of `ctx` when a dense input needs them.
    pub fn pieces(&self, ctx: &DocCtx) -> Option<DensePieces> {
        (self.dense_scorer.is_some() || self.meta.tc_dense_scale > 0.0)
            .then(|| DensePieces::new(ctx))
    }

    /// [`LinearModel::token_probs`] with the pieces already cut.
    fn token_probs_with(&self, ctx: &DocCtx, pieces: Option<&DensePieces>) -> Vec<f32> {
        let mut sink = HashSink {
            bits: self.si.bits,
            out: Vec::with_capacity(64),
        };
        let dense = match (&self.dense_scorer, pieces) {
            (Some(d), Some(p)) => Some(d.scores(p)),
            _ => None,
        };
        (0..ctx.toks.len())
            .map(|i| {
                sink.out.clear();
                ctx.si_features(i, &mut sink);
                let d = dense.as_ref().map_or(0.0, |d| d[i]);
                sigmoid(self.si.score(&sink.out) + d)
            })
            .collect()
    }

    /// Joins tokens at or above `threshold` into spans within sentences;
    /// keeps the spans whose highest token probability reaches `peak`.
    pub fn decode(
        ctx: &DocCtx,
        probs: &[f32],
        threshold: f32,
        gap: usize,
        fill: f32,
        peak: f32,
    ) -> Vec<Candidate> {
        let peaks = |a: usize, b: usize| probs[a..=b].iter().any(|&p| p >= peak);
        let mut out = Vec::new();
        let toks = &ctx.doc.segments.tokens;
        for s in &ctx.sents {
            if s.toks.is_empty() {
                continue;
            }
            let pos = s.toks.clone().filter(|&i| probs[i] >= threshold).count();
            if pos as f32 >= fill * s.toks.len() as f32 {
                // Most of the sentence is positive: take all of it.
                let (a, b) = (s.toks.start, s.toks.end - 1);
                let mut a2 = a;
                let mut b2 = b;
                while a2 < b2 && toks[a2].kind == TokenKind::Punct {
                    a2 += 1;
                }
                while b2 > a2 && toks[b2].kind == TokenKind::Punct {
                    b2 -= 1;
                }
                if !peaks(a, b) {
                    continue;
                }
                let conf = probs[a..=b].iter().sum::<f32>() / (b - a + 1) as f32;
                out.push(Candidate {
                    toks: a2..b2 + 1,
                    span: ctx.doc.span(toks[a2].span.start, toks[b2].span.end),
                    confidence: conf,
                });
                continue;
            }
            let mut run: Option<(usize, usize)> = None; // first, last positive
            let flush = |run: Option<(usize, usize)>, out: &mut Vec<Candidate>| {
                let Some((a, b)) = run else { return };
                // Trim punctuation at the edges, and the function words
                // that PTC spans hardly ever end with (`of terror` ->
                // `terror`; `an end to the Zionist occupation of` ends at
                // `occupation`; in the 6,129 training spans 0-12 end on
                // each of them, 4-40 start on those trimmed at the start,
                // while `the`, `a`, `to` often start a span and are kept).
                let (mut a, mut b) = (a, b);
                loop {
                    let before = (a, b);
                    while a <= b && toks[a].kind == TokenKind::Punct {
                        a += 1;
                    }
                    while b > a && toks[b].kind == TokenKind::Punct {
                        b -= 1;
                    }
                    if a < b && LEADING_TRIM.contains(&ctx.toks[a].lower.as_str()) {
                        a += 1;
                    }
                    if a < b && TRAILING_TRIM.contains(&ctx.toks[b].lower.as_str()) {
                        b -= 1;
                    }
                    if (a, b) == before {
                        break;
                    }
                }
                if a > b || toks[a].kind == TokenKind::Punct || !peaks(a, b) {
                    return;
                }
                let conf = probs[a..=b].iter().sum::<f32>() / (b - a + 1) as f32;
                out.push(Candidate {
                    toks: a..b + 1,
                    span: ctx.doc.span(toks[a].span.start, toks[b].span.end),
                    confidence: conf,
                });
            };
            for i in s.toks.clone() {
                if probs[i] >= threshold {
                    run = match run {
                        Some((a, b)) if i - b <= gap + 1 => Some((a, i)),
                        other => {
                            flush(other, &mut out);
                            Some((i, i))
                        }
                    };
                }
            }
            flush(run, &mut out);
        }
        out
    }

    pub fn identify_ctx(&self, ctx: &DocCtx) -> Vec<Candidate> {
        self.identify_with(ctx, self.pieces(ctx).as_ref())
    }

    fn identify_with(&self, ctx: &DocCtx, pieces: Option<&DensePieces>) -> Vec<Candidate> {
        let p = self.token_probs_with(ctx, pieces);
        Self::decode(
            ctx,
            &p,
            self.meta.threshold,
            self.meta.gap,
            self.meta.fill,
            self.meta.peak,
        )
    }

    /// Technique probabilities for the span over tokens `r`.
    pub fn classify_toks(&self, ctx: &DocCtx, r: Range<usize>) -> Vec<f32> {
        let x = self.tc_input(self.pieces(ctx).as_ref(), r.clone());
        self.classify_with(ctx, r, &x)
    }

    /// The classifier's dense input for tokens `r` (empty without one).
    fn tc_input(&self, pieces: Option<&DensePieces>, r: Range<usize>) -> Vec<f32> {
        match pieces {
            Some(p) if self.meta.tc_dense_scale > 0.0 => {
                let mut x = vec![0f32; self.tc_dense.len() / self.tc.k];
                p.span_input(r, self.meta.tc_dense_scale, &mut x);
                x
            }
            _ => Vec::new(),
        }
    }

    /// [`LinearModel::classify_toks`] with the dense input `x` given.
    fn classify_with(&self, ctx: &DocCtx, r: Range<usize>, x: &[f32]) -> Vec<f32> {
        let mut sink = HashSink {
            bits: self.tc.bits,
            out: Vec::with_capacity(128),
        };
        ctx.tc_features(r, &mut sink);
        let mut p = vec![0.0; self.tc.k];
        self.tc.scores(&sink.out, &mut p);
        if !x.is_empty() {
            add_dense_scores(&self.tc_dense, x, &mut p);
        }
        softmax(&mut p);
        p
    }

    /// Why the classifier chose `class` for tokens `r`: the features that
    /// pushed it most towards that class, in words.
    pub fn explain(&self, ctx: &DocCtx, r: Range<usize>, class: usize) -> Vec<Evidence> {
        let x = self.tc_input(self.pieces(ctx).as_ref(), r.clone());
        self.explain_with(ctx, r, class, &x)
    }

    /// [`LinearModel::explain`] with the dense input `x` given.
    fn explain_with(
        &self,
        ctx: &DocCtx,
        r: Range<usize>,
        class: usize,
        x: &[f32],
    ) -> Vec<Evidence> {
        // Only the features that pushed towards `class` get a name (the
        // others are hashed and dropped without building strings).
        let mut sink = CueSink {
            bits: self.tc.bits,
            w: &self.tc.w,
            k: self.tc.k,
            class,
            out: Vec::new(),
        };
        ctx.tc_features(r.clone(), &mut sink);
        let mut scored: Vec<(f32, &str, &str)> = sink
            .out
            .iter()
            .map(|(w, tpl, parts)| (*w, tpl.as_str(), parts.as_str()))
            .collect();
        // The dense inputs' share: what the span and its sentence are about.
        if !x.is_empty() {
            let dim = x.len();
            let row = &self.tc_dense[class * dim..(class + 1) * dim];
            let half = dim / super::dense::TC_BLOCKS;
            for (block, tpl) in ["emb_span", "emb_sent"].into_iter().enumerate() {
                let part = block * half..(block + 1) * half;
                let w: f32 = row[part.clone()]
                    .iter()
                    .zip(&x[part])
                    .map(|(a, b)| a * b)
                    .sum();
                if w > 0.0 {
                    scored.push((w, tpl, ""));
                }
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)).then(a.2.cmp(b.2)));
        let span_text = ctx.doc.text[ctx.doc.segments.tokens[r.start].span.start
            ..ctx.doc.segments.tokens[r.end - 1].span.end]
            .to_string();
        let words: Vec<&str> = r
            .clone()
            .filter(|&i| ctx.toks[i].kind == TokenKind::Word)
            .map(|i| ctx.toks[i].text)
            .collect();
        let lex_words = || -> Vec<(String, String)> {
            r.clone()
                .filter_map(|i| {
                    let t = &ctx.toks[i];
                    t.lex
                        .filter(|l| l.strong() || l.subjective())
                        .map(|l| (t.text.to_string(), l.describe()))
                })
                .collect()
        };
        let mut ev: Vec<Evidence> = Vec::new();
        let push = |e: Evidence, ev: &mut Vec<Evidence>| {
            if !ev.iter().any(|x| x.kind == e.kind && x.cue == e.cue) {
                ev.push(e);
            }
        };
        for (w, tpl, parts) in scored {
            if ev.len() >= 4 {
                break;
            }
            // A function word or a punctuation mark is real weight but no
            // explanation ("phrase: and", "context: ."): the next feature
            // says more.
            if matches!(
                tpl,
                "u" | "bg" | "first" | "last" | "prev1" | "prev2" | "next1" | "sw"
            ) && uninformative(parts)
            {
                continue;
            }
            let weight = (w * 1000.0).round() / 1000.0;
            match tpl {
                "u" | "bg" | "first" | "last" => {
                    let first = parts.split(' ').next().unwrap_or(parts);
                    match lexicon::lookup(first).filter(|_| tpl == "u") {
                        Some(l) => push(
                            Evidence::new("lexicon", parts, &l.describe(), weight),
                            &mut ev,
                        ),
                        None => push(
                            Evidence::new("phrase", parts, "word in the span", weight),
                            &mut ev,
                        ),
                    }
                }
                "lexstrong" | "lexneg" | "lexpos" | "lexsubj" | "shortstrong" => {
                    for (word, d) in lex_words() {
                        push(
                            Evidence::new("lexicon", &word.to_lowercase(), &d, weight),
                            &mut ev,
                        );
                    }
                }
                "occ" => {
                    let n = ctx.occurrences(r.clone());
                    let note = format!("occurs {n} times in the article");
                    push(
                        Evidence::new("repetition", &span_text, &note, weight),
                        &mut ev,
                    );
                }
                "repin" => {
                    // The longest recurring n-gram inside the span.
                    let cue = repeated_part(ctx, r.clone()).unwrap_or_else(|| span_text.clone());
                    push(
                        Evidence::new(
                            "repetition",
                            &cue,
                            "recurs elsewhere in the article",
                            weight,
                        ),
                        &mut ev,
                    );
                }
                "emb_span" => push(
                    Evidence::new(
                        "meaning",
                        &span_text,
                        "what the phrase is about (its mean word embedding) leans to this technique",
                        weight,
                    ),
                    &mut ev,
                ),
                "emb_sent" => push(
                    Evidence::new(
                        "meaning",
                        "its sentence",
                        "what the sentence around the phrase is about (its mean word embedding) leans to this technique",
                        weight,
                    ),
                    &mut ev,
                ),
                "prev1" | "prev2" | "next1" | "sw"
                    if parts.contains("<s>") || parts.contains("</s>") =>
                {
                    push(
                        Evidence::new(
                            "pattern",
                            "at a sentence edge",
                            &format!("{tpl}={parts}"),
                            weight,
                        ),
                        &mut ev,
                    );
                }
                "prev1" | "prev2" | "next1" | "sw" => {
                    push(
                        Evidence::new(
                            "context",
                            parts,
                            "word next to the span or in its sentence",
                            weight,
                        ),
                        &mut ev,
                    );
                }
                _ => {
                    let note = match tpl {
                        "excl" => "exclamation mark",
                        "quest" => "question",
                        "squest" => "in a question",
                        "caps" => "all-caps word",
                        "inq" => "inside a quotation",
                        "title" => "in the headline",
                        _ => "pattern",
                    };
                    push(
                        Evidence::new("pattern", note, &format!("{tpl}={parts}"), weight),
                        &mut ev,
                    );
                }
            }
        }
        let _ = words;
        ev
    }
}

/// Function words shown as no evidence (with punctuation and sentence-edge
/// marks): see [`uninformative`].
const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "from",
    "with", "as", "that", "this", "it", "its", "is", "are", "was", "were", "be", "been", "has",
    "have", "had", "do", "does", "did", "not", "no", "so", "if", "than", "then", "there", "their",
    "they", "he", "she", "his", "her", "we", "our", "you", "your", "i", "my", "me", "which", "who",
    "what", "when", "where", "how", "all", "also", "just", "very", "more", "most", "some", "any",
    "would", "will", "can", "could", "should", "may", "might", "must", "about", "into", "over",
    "up", "out", "s", "’s", "'s", "well", "far",
];

/// A feature made only of function words, punctuation or sentence-edge
/// marks: true weight in the model, but no explanation for a reader.
fn uninformative(parts: &str) -> bool {
    parts.split(' ').all(|w| {
        w.is_empty()
            || w.chars().all(|c| !c.is_alphanumeric())
            || w == "<s>"
            || w == "</s>"
            || FUNCTION_WORDS.contains(&w.to_lowercase().as_str())
    })
}

/// Words a decoded span does not start with (see [`LinearModel::decode`]).
const LEADING_TRIM: &[&str] = &[
    "of", "and", "or", "on", "at", "by", "from", "with", "for", "in", "which", "’s", "'s", "’", "'",
];

/// Words a decoded span does not end with.
const TRAILING_TRIM: &[&str] = &[
    "the", "a", "an", "of", "to", "in", "and", "or", "for", "on", "with", "as", "at", "by", "from",
    "but", "that", "which",
];

impl TechniqueModel for LinearModel {
    fn name(&self) -> &str {
        "linear-v2.3"
    }

    fn identify(&self, doc: &Document) -> Vec<(Span, f32)> {
        let ctx = DocCtx::new(doc);
        self.identify_ctx(&ctx)
            .into_iter()
            .map(|c| (c.span, c.confidence))
            .collect()
    }

    fn classify(&self, doc: &Document, spans: &[Span]) -> Vec<Classified> {
        let ctx = DocCtx::new(doc);
        let pieces = self.pieces(&ctx);
        spans
            .iter()
            .map(|s| {
                let r = token_range(doc, s);
                let x = self.tc_input(pieces.as_ref(), r.clone());
                let probs = self.classify_with(&ctx, r.clone(), &x);
                let best = argmax(&probs);
                Classified {
                    evidence: if r.is_empty() {
                        Vec::new()
                    } else {
                        self.explain_with(&ctx, r, best, &x)
                    },
                    probs,
                }
            })
            .collect()
    }

    fn analyze(&self, doc: &Document) -> Vec<(Span, f32, Classified)> {
        let ctx = DocCtx::new(doc);
        let pieces = self.pieces(&ctx);
        self.identify_with(&ctx, pieces.as_ref())
            .into_iter()
            .map(|c| {
                let x = self.tc_input(pieces.as_ref(), c.toks.clone());
                let probs = self.classify_with(&ctx, c.toks.clone(), &x);
                let best = argmax(&probs);
                let evidence = self.explain_with(&ctx, c.toks.clone(), best, &x);
                (c.span, c.confidence, Classified { probs, evidence })
            })
            .collect()
    }
}

/// The text of the recurring (rep > 0) tokens of `r`, first run only.
fn repeated_part(ctx: &DocCtx, r: Range<usize>) -> Option<String> {
    let toks = &ctx.doc.segments.tokens;
    let a = r.clone().find(|&i| ctx.toks[i].rep > 0)?;
    let mut b = a;
    while b + 1 < r.end && ctx.toks[b + 1].rep > 0 {
        b += 1;
    }
    Some(ctx.doc.text[toks[a].span.start..toks[b].span.end].to_string())
}

pub fn argmax(v: &[f32]) -> usize {
    let mut best = 0;
    for (i, x) in v.iter().enumerate() {
        if *x > v[best] {
            best = i;
        }
    }
    best
}

/// Tokens overlapping a byte span.
pub fn token_range(doc: &Document, s: &Span) -> Range<usize> {
    let toks = &doc.segments.tokens;
    let a = toks.partition_point(|t| t.span.end <= s.start);
    let b = toks.partition_point(|t| t.span.start < s.end);
    a..b.max(a)
}

/// Collects, with readable names, the features whose weight for `class`
/// is above the mean of the classes: the cues [`LinearModel::explain`]
/// shows. Structural features (bias, length, coverage, capitalization
/// share, not repeated) shape the decision but are no cue to show.
struct CueSink<'w> {
    bits: u32,
    w: &'w [f32],
    k: usize,
    class: usize,
    out: Vec<(f32, String, String)>,
}

impl Sink for CueSink<'_> {
    fn feat(&mut self, tpl: &str, parts: &[&str]) {
        if matches!(tpl, "b" | "len" | "cover" | "capw" | "once") {
            return;
        }
        let b = bucket(hash_feature(tpl, parts), self.bits) as usize;
        let row = &self.w[b * self.k..(b + 1) * self.k];
        let mean = row.iter().sum::<f32>() / self.k as f32;
        let w = row[self.class] - mean;
        if w > 0.0 {
            self.out.push((w, tpl.to_string(), parts.join(" ")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_words_and_punctuation_are_no_evidence() {
        for p in ["and", ".", "the of", "<s> the", "’s", "Far"] {
            assert!(uninformative(p), "{p}");
        }
        for p in ["savage", "the regime", "kim", "brutality ."] {
            assert!(!uninformative(p), "{p}");
        }
        // on a real span the explanation names no function word
        let doc = parallax_core::Document::from_text(
            "t",
            "The savage and brutal regime crushed the brave people once and for all.",
        );
        let layer = super::super::analyze(&doc);
        for s in &layer.spans {
            for e in &s.evidence {
                if matches!(e.kind, "phrase" | "context") {
                    assert!(!uninformative(&e.cue), "{e:?}");
                }
            }
        }
    }

    #[test]
    fn embedded_model_round_trips_with_its_dense_weights() {
        let m = LinearModel::from_bytes(super::super::MODEL_BYTES).unwrap();
        assert!(m.meta.dense_scale > 0.0 && m.dense_scorer.is_some());
        assert!(m.meta.tc_dense_scale > 0.0);
        assert_eq!(
            m.tc_dense.len(),
            Technique::ALL.len()
                * super::super::dense::TC_BLOCKS
                * crate::embed::StaticEmbedder::get().dimension()
        );
        let b = m.to_bytes();
        assert_eq!(b, super::super::MODEL_BYTES);
        let mut cut = b.clone();
        cut.truncate(b.len() - 4);
        assert!(LinearModel::from_bytes(&cut).is_err());
        let mut extra = b;
        extra.push(0);
        assert!(LinearModel::from_bytes(&extra).is_err());
    }

    /// The classifier's dense inputs count in its probabilities and are
    /// named in its evidence when they push towards the chosen technique.
    #[test]
    fn classifier_meaning_counts_and_is_explained() {
        let m = LinearModel::from_bytes(super::super::MODEL_BYTES).unwrap();
        let doc = Document::from_text(
            "t",
            "The corrupt elites betrayed our great nation and they will pay for it!",
        );
        let ctx = DocCtx::new(&doc);
        let r = 0..ctx.toks.len();
        let with = m.classify_toks(&ctx, r.clone());
        let mut plain = m.clone();
        plain.meta.tc_dense_scale = 0.0;
        let without = plain.classify_toks(&ctx, r.clone());
        assert!((with.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        assert!(with.iter().zip(&without).any(|(a, b)| (a - b).abs() > 1e-3));
        // Over all classes, some explanation names the meaning of the span
        // or its sentence (each class's dense weights push somewhere).
        let named = (0..Technique::ALL.len()).any(|c| {
            m.explain(&ctx, r.clone(), c)
                .iter()
                .any(|e| e.kind == "meaning")
        });
        assert!(named);
    }

    /// Token probabilities for `doc`: 0.05 everywhere, `p` for the first
    /// token equal to each given word.
    fn probs(doc: &Document, words: &[(&str, f32)]) -> Vec<f32> {
        let toks = &doc.segments.tokens;
        let mut out = vec![0.05f32; toks.len()];
        for &(w, p) in words {
            let i = toks
                .iter()
                .position(|t| &doc.text[t.span.range()] == w)
                .unwrap();
            out[i] = p;
        }
        out
    }

    /// The text of each decoded span.
    fn decoded(doc: &Document, p: &[f32], threshold: f32, peak: f32) -> Vec<String> {
        LinearModel::decode(&DocCtx::new(doc), p, threshold, 0, 2.0, peak)
            .iter()
            .map(|c| doc.text[c.span.range()].to_string())
            .collect()
    }

    #[test]
    fn decoded_spans_do_not_end_on_function_words() {
        let doc = Document::from_text("t", "It was an act of terror and of the worst kind. Calm.");
        let p = probs(&doc, &[("of", 0.8), ("terror", 0.8), ("and", 0.8)]);
        assert_eq!(decoded(&doc, &p, 0.2, 0.0), ["terror"]);
        // `the` and `a` may start a span (PTC spans often do)
        let p = probs(&doc, &[("the", 0.8), ("worst", 0.8), ("kind", 0.8)]);
        assert_eq!(decoded(&doc, &p, 0.2, 0.0), ["the worst kind"]);
    }

    #[test]
    fn decode_keeps_only_spans_that_peak() {
        let doc = Document::from_text("t", "A vile and shameful plan. It was a quiet day.");
        // "vile and shameful": one confident token; "quiet": lukewarm only.
        let p = probs(
            &doc,
            &[
                ("vile", 0.8),
                ("and", 0.25),
                ("shameful", 0.3),
                ("quiet", 0.28),
            ],
        );
        assert_eq!(decoded(&doc, &p, 0.2, 0.0), ["vile and shameful", "quiet"]);
        assert_eq!(decoded(&doc, &p, 0.2, 0.3), ["vile and shameful"]);
        // A peak at or below the threshold filters nothing.
        assert_eq!(decoded(&doc, &p, 0.2, 0.2).len(), 2);
    }
}
