//! A fine-tuned encoder as a word tagger beside the linear span tagger of
//! the `techniques` layer (issue #5's slot for a transformer-based model).
//!
//! The encoder (all-MiniLM-L6-v2 fine-tuned by [`super::tune::finetune_tokens`],
//! `parallax train techniques-encoder`) reads each line of an article as
//! words (`\w+` runs and single marks), cut into windows of whole words
//! that fit [`WINDOW_PIECES`]; every word piece carries its word's label,
//! and a word's probability is the mean of its pieces'. [`EncoderFused`]
//! mixes that probability into the linear tagger's token probabilities in
//! log-odds (`z = (1 - mix) · logit(tagger) + mix · logit(encoder)`, the
//! encoder's value for a token the mean of the words it overlaps) and
//! decodes the result as the linear model does (threshold, gap, fill,
//! peak, edge trimming); the technique of each span comes from the linear
//! model. The mix and the decoding are chosen on dev articles that
//! neither the encoder nor the tagger was trained on ([`tune_fusion`]).

use super::tune::Net;
use super::{ClassifyInputs, FullModel};
use once_cell::sync::Lazy;
use parallax_analyze::techniques::features::DocCtx;
use parallax_analyze::techniques::metric::{Fragment, Score, Task};
use parallax_analyze::techniques::model::LinearModel;
use parallax_analyze::techniques::{Classified, Evidence, TechniqueModel, DEFAULT_MODEL};
use parallax_core::{Document, Span};
use regex::Regex;

/// Longest encoder input in word pieces, [CLS] and [SEP] included; a
/// longer line is cut into several windows of whole words.
pub const WINDOW_PIECES: usize = 128;

static WORD: Lazy<Regex> = Lazy::new(|| Regex::new(r"\w+|[^\w\s]").expect("word pattern"));

/// A word of a text, in code points (the PTC offsets) and bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Word {
    pub cp_start: usize,
    pub cp_end: usize,
    pub start: usize,
    pub end: usize,
}

/// The words of `text`, line by line (`\w+` runs or one mark that is
/// neither a word character nor white space; lines split at `\n`).
pub fn words(text: &str) -> Vec<Vec<Word>> {
    let mut out = Vec::new();
    // code points before byte `at`, counted forward as the matches go
    let (mut at, mut cp) = (0usize, 0usize);
    let mut cp_of = |b: usize| {
        cp += text[at..b].chars().count();
        at = b;
        cp
    };
    let mut line_start = 0;
    for line in text.split('\n') {
        let ws: Vec<Word> = WORD
            .find_iter(line)
            .map(|m| {
                let (s, e) = (line_start + m.start(), line_start + m.end());
                let cs = cp_of(s);
                let ce = cp_of(e);
                Word {
                    cp_start: cs,
                    cp_end: ce,
                    start: s,
                    end: e,
                }
            })
            .collect();
        if !ws.is_empty() {
            out.push(ws);
        }
        line_start += line.len() + 1;
    }
    out
}

/// Encoder inputs of one text: windows of `[CLS] pieces [SEP]`, and for
/// each position the index of its word in `words` (`u32::MAX` for [CLS]
/// and [SEP]).
pub struct Inputs {
    pub words: Vec<Word>,
    pub seqs: Vec<Vec<u32>>,
    pub word_of: Vec<Vec<u32>>,
}

/// The inputs of `text` (see [`Inputs`]); a word longer than a window keeps
/// its first pieces.
pub fn inputs(tok: &ClassifyInputs, text: &str) -> Inputs {
    let (cls, sep) = tok.specials();
    let room = WINDOW_PIECES - 2;
    let mut all = Vec::new();
    let mut seqs = Vec::new();
    let mut word_of = Vec::new();
    for line in words(text) {
        let mut ids = vec![cls];
        let mut of = vec![u32::MAX];
        for w in line {
            let mut p = tok.pieces(&text[w.start..w.end]);
            p.truncate(room);
            if ids.len() - 1 + p.len() > room {
                ids.push(sep);
                of.push(u32::MAX);
                seqs.push(std::mem::replace(&mut ids, vec![cls]));
                word_of.push(std::mem::replace(&mut of, vec![u32::MAX]));
            }
            let wi = all.len() as u32;
            of.extend(std::iter::repeat_n(wi, p.len()));
            ids.extend(p);
            all.push(w);
        }
        if ids.len() > 1 {
            ids.push(sep);
            of.push(u32::MAX);
            seqs.push(ids);
            word_of.push(of);
        }
    }
    Inputs {
        words: all,
        seqs,
        word_of,
    }
}

impl Inputs {
    /// Training labels: each piece gets 1 when its word overlaps one of
    /// the `gold` code-point ranges, else 0; [CLS] and [SEP] get -1.
    pub fn labels(&self, gold: &[(usize, usize)]) -> Vec<Vec<f32>> {
        let inside: Vec<bool> = self
            .words
            .iter()
            .map(|w| gold.iter().any(|&(s, e)| w.cp_start < e && w.cp_end > s))
            .collect();
        self.word_of
            .iter()
            .map(|of| {
                of.iter()
                    .map(|&wi| match wi {
                        u32::MAX => -1.0,
                        wi => inside[wi as usize] as u8 as f32,
                    })
                    .collect()
            })
            .collect()
    }

    /// Each word's probability: the mean of its pieces' (`probs` as
    /// [`Net::token_scores`] gives them for `seqs`); 0 for a word with no
    /// piece.
    pub fn word_probs(&self, probs: &[Vec<f32>]) -> Vec<f32> {
        let mut sum = vec![0f32; self.words.len()];
        let mut n = vec![0u32; self.words.len()];
        for (of, p) in self.word_of.iter().zip(probs) {
            for (&wi, &q) in of.iter().zip(p) {
                if wi != u32::MAX {
                    sum[wi as usize] += q;
                    n[wi as usize] += 1;
                }
            }
        }
        sum.iter()
            .zip(&n)
            .map(|(s, &k)| if k == 0 { 0.0 } else { s / k as f32 })
            .collect()
    }
}

/// The fine-tuned word tagger: tokenizer and weights.
pub struct EncoderTagger {
    tok: ClassifyInputs,
    net: Net,
}

impl EncoderTagger {
    pub fn new(model: FullModel) -> EncoderTagger {
        EncoderTagger {
            net: Net::from_model(&model, 0, 0),
            tok: model.classify_inputs(),
        }
    }

    /// The words of `text` and each one's probability of lying inside a
    /// technique span.
    pub fn word_probs(&self, text: &str) -> (Vec<Word>, Vec<f32>) {
        let inp = inputs(&self.tok, text);
        let probs = self.net.token_scores(&inp.seqs);
        let p = inp.word_probs(&probs);
        (inp.words, p)
    }

    /// The encoder's probability for each token of `doc` (the mean of the
    /// words that overlap it; `fallback[i]` where none does).
    pub fn token_probs(&self, doc: &Document, fallback: &[f32]) -> Vec<f32> {
        let (ws, p) = self.word_probs(&doc.text);
        on_tokens(doc, &ws, &p, fallback)
    }
}

/// Word probabilities carried onto the tokens of `doc`: each token gets
/// the mean of the words whose bytes overlap its own (words and tokens are
/// both in text order), else `fallback[i]`.
pub fn on_tokens(doc: &Document, ws: &[Word], p: &[f32], fallback: &[f32]) -> Vec<f32> {
    let mut first = 0;
    doc.segments
        .tokens
        .iter()
        .zip(fallback)
        .map(|(t, &fb)| {
            while first < ws.len() && ws[first].end <= t.span.start {
                first += 1;
            }
            let (mut s, mut n) = (0f32, 0u32);
            let mut k = first;
            while k < ws.len() && ws[k].start < t.span.end {
                if ws[k].end > t.span.start {
                    s += p[k];
                    n += 1;
                }
                k += 1;
            }
            if n == 0 {
                fb
            } else {
                s / n as f32
            }
        })
        .collect()
}

/// How the two taggers are combined and decoded.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fusion {
    /// Weight of the encoder in log-odds (0: the linear tagger alone, 1:
    /// the encoder alone).
    pub mix: f32,
    pub threshold: f32,
    pub gap: usize,
    pub fill: f32,
    pub peak: f32,
}

fn logit(p: f32) -> f32 {
    let p = p.clamp(1e-6, 1.0 - 1e-6);
    (p / (1.0 - p)).ln()
}

impl Fusion {
    /// The mixed token probabilities.
    pub fn mix(&self, tagger: &[f32], encoder: &[f32]) -> Vec<f32> {
        tagger
            .iter()
            .zip(encoder)
            .map(|(&t, &e)| {
                let z = (1.0 - self.mix) * logit(t) + self.mix * logit(e);
                1.0 / (1.0 + (-z).exp())
            })
            .collect()
    }

    /// Spans (with confidences) decoded from the two taggers' token
    /// probabilities.
    pub fn decode(&self, ctx: &DocCtx, tagger: &[f32], encoder: &[f32]) -> Vec<(Span, f32)> {
        let p = self.mix(tagger, encoder);
        LinearModel::decode(ctx, &p, self.threshold, self.gap, self.fill, self.peak)
            .into_iter()
            .map(|c| (c.span, c.confidence))
            .collect()
    }

    /// SI totals over articles given as (document, gold, tagger
    /// probabilities, encoder probabilities).
    pub fn score(&self, set: &[FusionRow]) -> Score {
        let mut sc = Score::default();
        for r in set {
            let pred: Vec<Fragment> = self
                .decode(&r.ctx, &r.tagger, &r.encoder)
                .iter()
                .map(|(s, _)| Fragment::new(s.cp_start, s.cp_end, None))
                .collect();
            sc.add_article(&pred, r.gold, Task::Si);
        }
        sc
    }
}

/// One article for [`tune_fusion`] and [`Fusion::score`].
pub struct FusionRow<'a> {
    /// The article's context (built once: every setting tried decodes it).
    pub ctx: DocCtx<'a>,
    pub gold: &'a [Fragment],
    pub tagger: Vec<f32>,
    pub encoder: Vec<f32>,
}

/// Mixes tried by [`tune_fusion`]: 0, 0.1, …, 1.
pub const MIXES: usize = 11;

/// Chooses the mix, threshold and peak with the best SI F1 on `dev` (gap
/// and fill as given: those of the linear model), in a fixed order (the
/// first best wins: lower mix, then lower threshold, then lower peak).
/// Returns the setting and, for each mix, its best (F1, setting).
pub fn tune_fusion(dev: &[FusionRow], gap: usize, fill: f32) -> (Fusion, Vec<(f64, Fusion)>) {
    let peaks = [0.0f32, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];
    let mut per_mix = Vec::new();
    for mi in 0..MIXES {
        let mut best: Option<(f64, Fusion)> = None;
        for t in 0..15 {
            let threshold = 0.05 + 0.05 * t as f32;
            for &peak in peaks.iter().filter(|&&p| p == 0.0 || p > threshold + 1e-6) {
                let f = Fusion {
                    mix: mi as f32 / (MIXES - 1) as f32,
                    threshold,
                    gap,
                    fill,
                    peak,
                };
                let s = f.score(dev).f1();
                if best.as_ref().is_none_or(|b| s > b.0) {
                    best = Some((s, f));
                }
            }
        }
        per_mix.push(best.expect("a grid"));
    }
    // the first best: a later mix must be strictly better
    let mut chosen = per_mix[0];
    for &(f1, f) in &per_mix[1..] {
        if f1 > chosen.0 {
            chosen = (f1, f);
        }
    }
    (chosen.1, per_mix)
}

/// Where a model folder's `config.json` keeps the mix and decoding
/// (`parallax train techniques-encoder` writes it).
pub const CONFIG_KEY: &str = "parallax_techniques_encoder";

impl Fusion {
    /// The mix and decoding in a model folder's `config.json` (its
    /// [`CONFIG_KEY`] section); `None` when the section is absent, an
    /// error naming the key when one of its numbers is missing.
    pub fn from_config(cfg: &serde_json::Value) -> Result<Option<Fusion>, String> {
        let c = &cfg[CONFIG_KEY];
        if !c.is_object() {
            return Ok(None);
        }
        let num = |k: &str| {
            c[k].as_f64()
                .map(|x| x as f32)
                .ok_or_else(|| format!("`{CONFIG_KEY}.{k}` is missing"))
        };
        Ok(Some(Fusion {
            mix: num("mix")?,
            threshold: num("threshold")?,
            peak: num("peak")?,
            fill: num("fill")?,
            gap: num("gap")? as usize,
        }))
    }
}

/// The linear model with the fine-tuned encoder mixed into its span
/// tagger (techniques from the linear model).
pub struct EncoderFused<'a> {
    pub linear: &'a LinearModel,
    pub encoder: EncoderTagger,
    pub fusion: Fusion,
    pub name: String,
}

impl EncoderFused<'_> {
    /// Both taggers' token probabilities for `doc`.
    fn taggers(&self, ctx: &DocCtx, doc: &Document) -> (Vec<f32>, Vec<f32>) {
        let pt = self.linear.token_probs(ctx);
        let pe = self.encoder.token_probs(doc, &pt);
        (pt, pe)
    }
}

/// Mean of `p` over the tokens of `doc` inside `s`.
fn mean_inside(doc: &Document, s: &Span, p: &[f32]) -> f32 {
    let (mut sum, mut n) = (0f32, 0u32);
    for (t, &x) in doc.segments.tokens.iter().zip(p) {
        if t.span.start >= s.start && t.span.end <= s.end {
            sum += x;
            n += 1;
        }
    }
    if n == 0 {
        0.0
    } else {
        sum / n as f32
    }
}

impl TechniqueModel for EncoderFused<'_> {
    fn name(&self) -> &str {
        &self.name
    }

    fn identify(&self, doc: &Document) -> Vec<(Span, f32)> {
        let ctx = DocCtx::new(doc);
        let (pt, pe) = self.taggers(&ctx, doc);
        self.fusion.decode(&ctx, &pt, &pe)
    }

    fn classify(&self, doc: &Document, spans: &[Span]) -> Vec<Classified> {
        self.linear.classify(doc, spans)
    }

    /// SI then TC, each span's evidence led by what found it: the two
    /// taggers' mean probabilities over its tokens and their mix.
    fn analyze(&self, doc: &Document) -> Vec<(Span, f32, Classified)> {
        let ctx = DocCtx::new(doc);
        let (pt, pe) = self.taggers(&ctx, doc);
        let found = self.fusion.decode(&ctx, &pt, &pe);
        let spans: Vec<Span> = found.iter().map(|(s, _)| *s).collect();
        let cls = self.linear.classify(doc, &spans);
        found
            .into_iter()
            .zip(cls)
            .map(|((s, c), mut k)| {
                let (e, t) = (mean_inside(doc, &s, &pe), mean_inside(doc, &s, &pt));
                let note = format!(
                    "span found by the fine-tuned encoder (mean word probability {e:.2}) mixed with the linear tagger ({t:.2}) at weight {:.1}",
                    self.fusion.mix
                );
                k.evidence
                    .insert(0, Evidence::new("encoder", doc.slice(&s), &note, e));
                (s, c, k)
            })
            .collect()
    }
}

/// The embedded tagger (`models/techniques-encoder`, see
/// [`super::embedded::techniques_encoder`]) beside the embedded linear
/// model, built once (about a quarter of a second).
pub fn embedded() -> &'static EncoderFused<'static> {
    static M: std::sync::OnceLock<EncoderFused<'static>> = std::sync::OnceLock::new();
    M.get_or_init(|| {
        let (model, fusion) = super::embedded::techniques_encoder();
        let linear: &'static LinearModel = &DEFAULT_MODEL;
        EncoderFused {
            linear,
            encoder: EncoderTagger::new(model),
            fusion,
            name: format!("{}+{}", linear.name(), super::embedded::TECHNIQUES_NAME),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::tiny_model as tiny;
    use super::*;

    #[test]
    fn words_carry_code_point_and_byte_offsets_per_line() {
        let text = "Déjà vu, “they” said.\n\nNext line";
        let ls = words(text);
        assert_eq!(ls.len(), 2);
        let got: Vec<&str> = ls[0].iter().map(|w| &text[w.start..w.end]).collect();
        assert_eq!(got, ["Déjà", "vu", ",", "“", "they", "”", "said", "."]);
        let they = ls[0][4];
        assert_eq!((they.cp_start, they.cp_end), (10, 14));
        let cps: Vec<char> = text.chars().collect();
        for w in ls.iter().flatten() {
            let s: String = cps[w.cp_start..w.cp_end].iter().collect();
            assert_eq!(s, &text[w.start..w.end]);
        }
        assert_eq!(&text[ls[1][0].start..ls[1][0].end], "Next");
    }

    #[test]
    fn long_lines_are_cut_into_windows_of_whole_words() {
        let m = tiny(1);
        let tok = m.classify_inputs();
        let line = vec!["the cat sat on the mat"; 30].join(" ");
        let inp = inputs(&tok, &format!("{line}\nit was"));
        assert!(inp.seqs.len() >= 3, "{}", inp.seqs.len());
        let (cls, sep) = tok.specials();
        for (s, of) in inp.seqs.iter().zip(&inp.word_of) {
            assert!(s.len() <= WINDOW_PIECES && s.len() == of.len());
            assert_eq!((s[0], *s.last().unwrap()), (cls, sep));
            assert_eq!((of[0], *of.last().unwrap()), (u32::MAX, u32::MAX));
        }
        // every word in exactly one window, in order
        let seen: Vec<u32> = inp
            .word_of
            .iter()
            .flatten()
            .copied()
            .filter(|&w| w != u32::MAX)
            .collect();
        let mut dedup = seen.clone();
        dedup.dedup();
        assert_eq!(dedup, (0..inp.words.len() as u32).collect::<Vec<_>>());
        // labels follow the words; word probabilities average the pieces
        let ys = inp.labels(&[(4, 7)]); // "cat"
        assert_eq!(ys[0][0], -1.0);
        assert_eq!(ys[0][1..3], [0.0, 1.0]);
        let probs: Vec<Vec<f32>> = inp
            .word_of
            .iter()
            .map(|of| of.iter().map(|&w| if w == 1 { 0.8 } else { 0.1 }).collect())
            .collect();
        let wp = inp.word_probs(&probs);
        assert_eq!((wp[0], wp[1]), (0.1, 0.8));
    }

    #[test]
    fn word_probabilities_land_on_the_tokens_they_overlap() {
        let doc = Document::from_text("t", "Crooked Hillary’s plan.");
        let ws: Vec<Word> = words(&doc.text).concat();
        let p: Vec<f32> = (0..ws.len()).map(|i| i as f32 / 10.0).collect();
        let fb = vec![0.9; doc.segments.tokens.len()];
        let on = on_tokens(&doc, &ws, &p, &fb);
        assert_eq!(on.len(), doc.segments.tokens.len());
        assert_eq!(on[0], 0.0); // "Crooked" is word 0
                                // every token overlaps some word here: no fallback
        assert!(on.iter().all(|&x| x < 0.9), "{on:?}");
    }

    #[test]
    fn a_mix_of_0_or_1_is_one_tagger_alone() {
        let t = [0.2f32, 0.7];
        let e = [0.9f32, 0.1];
        let f = |mix| Fusion {
            mix,
            threshold: 0.5,
            gap: 0,
            fill: 2.0,
            peak: 0.0,
        };
        for (a, b) in f(0.0).mix(&t, &e).iter().zip(&t) {
            assert!((a - b).abs() < 1e-5);
        }
        for (a, b) in f(1.0).mix(&t, &e).iter().zip(&e) {
            assert!((a - b).abs() < 1e-5);
        }
        let half = f(0.5).mix(&t, &e);
        assert!(half[0] > 0.2 && half[0] < 0.9);
    }
}
