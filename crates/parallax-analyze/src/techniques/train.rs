//! Training the default model on PTC articles, and scoring any
//! [`TechniqueModel`] on labelled articles.

use super::dense::{DensePieces, BLOCKS, TC_BLOCKS};
use super::features::{DocCtx, HashSink};
use super::labels::Technique;
use super::linear::{Linear, SgdConfig};
use super::metric::{merge, Fragment, Score, Task};
use super::model::{token_range, LinearModel, ModelMeta, SI_BITS, TC_BITS};
use super::ptc::{split, Article};
use super::TechniqueModel;
use crate::embed::StaticEmbedder;
use parallax_core::{Document, TokenKind};
use std::collections::BTreeMap;

/// Training settings (defaults are the documented ones).
#[derive(Clone, Debug)]
pub struct TrainConfig {
    pub seed: u64,
    /// Share of articles held out for validation.
    pub valid_share: f64,
    /// Share of the training articles used to tune threshold and gap
    /// (then the final model is refit on all training articles).
    pub tune_share: f64,
    pub si_epochs: usize,
    pub tc_epochs: usize,
    pub si_bits: u32,
    pub tc_bits: u32,
    /// Scale of the tagger's dense embedding inputs (0: none; `dense.rs`).
    pub dense_scale: f32,
    /// With `folds >= 2`, the decoding (threshold, gap, fill) is tuned on
    /// out-of-fold token probabilities of all training articles (each fold
    /// scored by a tagger fit on the others) instead of on one tuning slice.
    pub folds: usize,
    /// Token weights by gold span length ([`span_weight`]): pivot (0: all
    /// weights 1) and power.
    pub span_pivot: f32,
    pub span_power: f32,
    /// Scale of the technique classifier's dense inputs (0: none;
    /// `DensePieces::span_input`).
    pub tc_dense_scale: f32,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            seed: 20200911,
            valid_share: 0.1,
            tune_share: 0.1,
            si_epochs: 6,
            tc_epochs: 12,
            si_bits: SI_BITS,
            tc_bits: TC_BITS,
            // chosen by the out-of-fold decoded SI F1 of the 334 training
            // articles (5 folds): 0 -> 0.350, 0.35 -> 0.385, 0.5 -> 0.386,
            // 0.7 -> 0.382
            dense_scale: 0.5,
            folds: 5,
            // chosen by out-of-fold SI F1 (peak decoding re-tuned each
            // time): off -> 0.4005; power 0.3/0.5/0.75/1 at pivot 6 ->
            // 0.415/0.418/0.419/0.416; pivot 3/12/24 at power 0.75 ->
            // 0.418/0.424/0.424
            span_pivot: 12.0,
            span_power: 0.75,
            // chosen by out-of-fold TC F1 (334 articles, 5 folds): 0 ->
            // 0.5746, 0.5 -> 0.6109, 1 -> 0.6254, 1.5 -> 0.6292, 2 ->
            // 0.6296, 3 -> 0.6169, 4 -> 0.6026
            tc_dense_scale: 2.0,
        }
    }
}

/// A labelled article ready for training.
pub struct Example {
    pub doc: Document,
    pub gold: Vec<Fragment>,
}

pub fn examples(articles: &[Article], labels: &BTreeMap<String, Vec<Fragment>>) -> Vec<Example> {
    articles
        .iter()
        .map(|a| Example {
            doc: Document::from_text(&a.id, &a.text),
            gold: labels.get(&a.id).cloned().unwrap_or_default(),
        })
        .collect()
}

/// Token rows of the span tagger (features, inside a gold span), and for
/// each row the number of tokens of the merged gold span holding it (0
/// outside spans).
fn si_data(exs: &[&Example], bits: u32) -> (Vec<(Vec<u32>, u16)>, Vec<u32>) {
    let mut data = Vec::new();
    let mut span_len = Vec::new();
    for ex in exs {
        let doc = &ex.doc;
        let ctx = DocCtx::new(doc);
        // Gold spans merged, as byte ranges.
        let gold: Vec<(usize, usize)> = merge(&ex.gold)
            .iter()
            .filter_map(|f| Some((doc.byte_of_cp(f.start)?, doc.byte_of_cp(f.end)?)))
            .collect();
        // The merged gold span each token overlaps, and each span's size.
        let held: Vec<Option<usize>> = doc
            .segments
            .tokens
            .iter()
            .map(|t| {
                gold.iter()
                    .position(|&(s, e)| s < t.span.end && t.span.start < e)
            })
            .collect();
        let mut tokens_in = vec![0u32; gold.len()];
        for g in held.iter().flatten() {
            tokens_in[*g] += 1;
        }
        for (i, t) in doc.segments.tokens.iter().enumerate() {
            let inside: usize = gold
                .iter()
                .map(|&(s, e)| e.min(t.span.end).saturating_sub(s.max(t.span.start)))
                .sum();
            let y = (inside * 2 >= t.span.len()) as u16;
            let mut sink = HashSink {
                bits,
                out: Vec::new(),
            };
            ctx.si_features(i, &mut sink);
            data.push((sink.out, y));
            span_len.push(match (y, held[i]) {
                (1, Some(g)) => tokens_in[g],
                _ => 0,
            });
        }
    }
    (data, span_len)
}

/// Training weight of a token row: 1 outside spans; inside a gold span of
/// `n` tokens, `(pivot / n)^power` (clamped to 1/4..4), so that short spans
/// weigh more per token and long ones less: the metric scores each span,
/// not each token. `pivot` 0: all 1.
pub fn span_weight(n: u32, pivot: f32, power: f32) -> f32 {
    if n == 0 || pivot <= 0.0 {
        1.0
    } else {
        (pivot / n as f32).powf(power).clamp(0.25, 4.0)
    }
}

/// Technique classifier rows of the gold spans of `exs`: hashed
/// features and technique, and with `dense_scale > 0` each row's dense
/// input ([`DensePieces::span_input`], `TC_BLOCKS·dim` values per row,
/// concatenated).
fn tc_data(exs: &[&Example], bits: u32, dense_scale: f32) -> (Vec<(Vec<u32>, u16)>, Vec<f32>) {
    let mut data = Vec::new();
    let mut dense = Vec::new();
    let dim = TC_BLOCKS * StaticEmbedder::get().dimension();
    let mut x = vec![0f32; dim];
    for ex in exs {
        let doc = &ex.doc;
        let ctx = DocCtx::new(doc);
        let pieces = (dense_scale > 0.0).then(|| DensePieces::new(&ctx));
        for f in &ex.gold {
            let Some(t) = f.label.as_deref().and_then(Technique::from_ptc) else {
                continue;
            };
            let Some(span) = doc.span_from_cp(f.start, f.end) else {
                continue;
            };
            let r = token_range(doc, &span);
            if r.is_empty() {
                continue;
            }
            let mut sink = HashSink {
                bits,
                out: Vec::new(),
            };
            ctx.tc_features(r.clone(), &mut sink);
            data.push((sink.out, t.index() as u16));
            if let Some(p) = &pieces {
                p.span_input(r, dense_scale, &mut x);
                dense.extend_from_slice(&x);
            }
        }
    }
    (data, dense)
}

/// The tagger's dense inputs for the rows of [`si_data`] (same order):
/// token pieces per document and the scaled sentence means.
struct DenseRows {
    docs: Vec<(DensePieces, Vec<f32>)>,
    /// (document, token) of each row.
    rows: Vec<(u32, u32)>,
    dim: usize,
    scale: f32,
}

impl DenseRows {
    fn new(exs: &[&Example], scale: f32) -> Self {
        let mut docs = Vec::with_capacity(exs.len());
        let mut rows = Vec::new();
        for (di, ex) in exs.iter().enumerate() {
            let p = DensePieces::new(&DocCtx::new(&ex.doc));
            let means = p.sentence_means(scale);
            rows.extend((0..ex.doc.segments.tokens.len()).map(|i| (di as u32, i as u32)));
            docs.push((p, means));
        }
        DenseRows {
            docs,
            rows,
            dim: StaticEmbedder::get().dimension(),
            scale,
        }
    }

    /// Row `ix`'s input ([`DensePieces::input`]).
    fn input(&self, ix: usize, x: &mut [f32]) {
        let (d, i) = self.rows[ix];
        let (p, means) = &self.docs[d as usize];
        p.input(i as usize, self.scale, means, x);
    }
}

/// The span tagger fit on `exs`: sparse weights and dense weights (empty
/// without dense inputs).
fn fit_si(exs: &[&Example], cfg: &TrainConfig) -> (Linear, Vec<f32>) {
    let si_cfg = SgdConfig {
        epochs: cfg.si_epochs,
        lr: 0.05,
        seed: cfg.seed,
        pos_weight: 1.0,
        min_count: 2,
    };
    let (data, span_len) = si_data(exs, cfg.si_bits);
    let weights: Vec<f32> = span_len
        .iter()
        .map(|&n| span_weight(n, cfg.span_pivot, cfg.span_power))
        .collect();
    let weight = |ix: usize| weights[ix];
    if cfg.dense_scale > 0.0 {
        let dense = DenseRows::new(exs, cfg.dense_scale);
        assert_eq!(dense.rows.len(), data.len());
        Linear::train_binary_dense(
            cfg.si_bits,
            &data,
            BLOCKS * dense.dim,
            &|ix, x| dense.input(ix, x),
            &weight,
            &si_cfg,
        )
    } else {
        let none = |_: usize, _: &mut [f32]| {};
        let (si, _) = Linear::train_binary_dense(cfg.si_bits, &data, 0, &none, &weight, &si_cfg);
        (si, Vec::new())
    }
}

/// The model of span tagger `si` and a technique classifier fit on `exs`.
fn with_classifier(exs: &[&Example], cfg: &TrainConfig, si: (Linear, Vec<f32>)) -> LinearModel {
    let (data, dense) = tc_data(exs, cfg.tc_bits, cfg.tc_dense_scale);
    let dim = if cfg.tc_dense_scale > 0.0 {
        TC_BLOCKS * StaticEmbedder::get().dimension()
    } else {
        0
    };
    let (tc, tc_dense) = Linear::train_multi_dense(
        cfg.tc_bits,
        Technique::ALL.len(),
        &data,
        dim,
        &|ix, x| x.copy_from_slice(&dense[ix * dim..(ix + 1) * dim]),
        &SgdConfig {
            epochs: cfg.tc_epochs,
            lr: 0.05,
            seed: cfg.seed ^ 0x7c,
            pos_weight: 1.0,
            min_count: 2,
        },
    );
    let mut m = assemble(exs, cfg, si, tc);
    if dim > 0 {
        m.meta.tc_dense_scale = cfg.tc_dense_scale;
        m.tc_dense = tc_dense;
    }
    m
}

/// The model of span tagger `si` and technique classifier `tc`, with a
/// placeholder decoding (threshold 0.5, no gap, fill or peak) until the
/// tuned one is set ([`Tuned::apply`]).
fn assemble(
    exs: &[&Example],
    cfg: &TrainConfig,
    (si, si_dense): (Linear, Vec<f32>),
    tc: Linear,
) -> LinearModel {
    LinearModel {
        meta: ModelMeta {
            threshold: 0.5,
            gap: 0,
            fill: 2.0,
            peak: 0.0,
            seed: cfg.seed,
            valid_share: cfg.valid_share,
            si_epochs: cfg.si_epochs,
            tc_epochs: cfg.tc_epochs,
            train_ids: exs.iter().map(|e| e.doc.meta.id.clone()).collect(),
            validation_ids: Vec::new(),
            dense_scale: 0.0,
            tc_dense_scale: 0.0,
        },
        si,
        tc,
        si_dense: Vec::new(),
        dense_scorer: None,
        tc_dense: Vec::new(),
    }
    .with_dense(si_dense, cfg.dense_scale)
}

/// A span tagger fit on `exs` with an empty technique classifier: enough
/// to score tokens while tuning the decoding.
pub fn tagger_only(exs: &[&Example], cfg: &TrainConfig) -> LinearModel {
    let empty = Linear::zeros(1, Technique::ALL.len());
    assemble(exs, cfg, fit_si(exs, cfg), empty)
}

/// What training did, for the log.
#[derive(Debug, Default)]
pub struct TrainReport {
    pub train_articles: usize,
    pub tune_articles: usize,
    pub validation_articles: usize,
    /// Decodings with their SI F1 on the tuning articles, best first.
    pub tuning: Vec<Tuned>,
    /// With folds: SI of the out-of-fold articles when each fold is decoded
    /// with the setting tuned on the *other* folds' articles, so that no
    /// article's labels choose its own decoding (the honest out-of-fold
    /// figure; `tuning[0].f1` is tuned on all of them).
    pub cross_validated: Option<Score>,
    /// With folds: SI F1 of random out-of-fold article sets as large as
    /// the validation set, at the chosen decoding: how much a figure on
    /// that many articles moves by chance.
    pub subsets: Option<Spread>,
    /// With folds: TC (technique of the gold spans) of every training
    /// article by a classifier fit on the other folds.
    pub tc_out_of_fold: Option<Score>,
}

/// Spread of a score over random draws.
#[derive(Clone, Copy, Debug, Default)]
pub struct Spread {
    pub draws: usize,
    pub size: usize,
    pub mean: f64,
    pub sd: f64,
    pub p5: f64,
    pub p95: f64,
}

/// SI F1 of `draws` seeded random sets of `size` articles (without
/// replacement) from per-article totals.
pub fn subset_spread(per_article: &[Score], size: usize, draws: usize, seed: u64) -> Spread {
    let mut rng = super::linear::Rng::new(seed);
    let mut idx: Vec<usize> = (0..per_article.len()).collect();
    let size = size.min(idx.len());
    let mut f1s: Vec<f64> = (0..draws)
        .map(|_| {
            rng.shuffle(&mut idx);
            Score::total(idx[..size].iter().map(|&i| &per_article[i])).f1()
        })
        .collect();
    f1s.sort_by(f64::total_cmp);
    let n = f1s.len().max(1) as f64;
    let mean = f1s.iter().sum::<f64>() / n;
    let sd = (f1s.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
    let at = |q: f64| {
        f1s.get(((q * (n - 1.0)).round()) as usize)
            .copied()
            .unwrap_or(0.0)
    };
    Spread {
        draws,
        size,
        mean,
        sd,
        p5: at(0.05),
        p95: at(0.95),
    }
}

/// One decoding setting tried while tuning, and its SI F1.
#[derive(Clone, Copy, Debug)]
pub struct Tuned {
    pub threshold: f32,
    pub gap: usize,
    pub fill: f32,
    pub peak: f32,
    pub f1: f64,
}

impl Tuned {
    /// SI totals of one article whose token probabilities are `probs`,
    /// decoded with this setting.
    fn score(&self, ctx: &DocCtx, probs: &[f32], ex: &Example) -> Score {
        let pred: Vec<Fragment> =
            LinearModel::decode(ctx, probs, self.threshold, self.gap, self.fill, self.peak)
                .iter()
                .map(|c| Fragment::new(c.span.cp_start, c.span.cp_end, None))
                .collect();
        let mut sc = Score::default();
        sc.add_article(&pred, &ex.gold, Task::Si);
        sc
    }

    /// Makes this the model's decoding.
    pub fn apply(&self, meta: &mut ModelMeta) {
        meta.threshold = self.threshold;
        meta.gap = self.gap;
        meta.fill = self.fill;
        meta.peak = self.peak;
    }
}

/// Best decoding first: higher SI F1, then the smaller threshold, gap and
/// peak and the larger fill (a fixed order, so ties do not depend on the
/// grid's order).
fn better_decoding(a: &Tuned, b: &Tuned) -> std::cmp::Ordering {
    b.f1.total_cmp(&a.f1)
        .then(a.threshold.total_cmp(&b.threshold))
        .then(a.gap.cmp(&b.gap))
        .then(b.fill.total_cmp(&a.fill))
        .then(a.peak.total_cmp(&b.peak))
}

/// SI of every fold decoded with the setting that is best on the other
/// folds (`per_fold[i][f]`: setting `tuning[i]`'s totals on fold `f`).
fn cross_validate(tuning: &[Tuned], per_fold: &[Vec<Score>]) -> Score {
    let folds = per_fold.first().map_or(0, |v| v.len());
    let mut out = Score::default();
    for f in 0..folds {
        let others = |i: usize| {
            let mut sc = Score::default();
            (0..folds)
                .filter(|&g| g != f)
                .for_each(|g| sc.absorb(&per_fold[i][g]));
            Tuned {
                f1: sc.f1(),
                ..tuning[i]
            }
        };
        let best = (0..tuning.len())
            .min_by(|&a, &b| better_decoding(&others(a), &others(b)))
            .expect("a decoding grid");
        out.absorb(&per_fold[best][f]);
    }
    out
}

/// Span peaks tried while tuning (0: no peak filter).
const PEAKS: [f32; 11] = [0.0, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7];

/// Trains the default model: seeded split into training and validation
/// articles; threshold and gap tuned on a seeded slice of the training
/// articles; final fit on all training articles.
pub fn train(exs: &[Example], cfg: &TrainConfig) -> (LinearModel, TrainReport) {
    let ids: Vec<String> = exs.iter().map(|e| e.doc.meta.id.clone()).collect();
    let (train_ids, valid_ids) = split(&ids, cfg.seed, cfg.valid_share);
    let (fit_ids, tune_ids) = split(&train_ids, cfg.seed.wrapping_add(1), cfg.tune_share);
    let pick = |set: &[String]| -> Vec<&Example> {
        exs.iter()
            .filter(|e| set.binary_search(&e.doc.meta.id).is_ok())
            .collect()
    };
    let (fit_ex, tune_ex, train_ex) = (pick(&fit_ids), pick(&tune_ids), pick(&train_ids));
    // Token probabilities of the articles the decoding is tuned on, each
    // from a tagger that did not see the article.
    let mut bagged: Option<Vec<(Linear, Vec<f32>)>> = None;
    let mut tc_oof = Score::default();
    // Fold of each tuning article (all 0 without folds).
    let mut fold_of: Vec<usize> = vec![0; tune_ex.len()];
    let (tune_set, probs): (Vec<&Example>, Vec<Vec<f32>>) = if cfg.folds >= 2 {
        let mut order: Vec<&Example> = train_ex.clone();
        super::linear::Rng::new(cfg.seed.wrapping_add(2)).shuffle(&mut order);
        let mut set = Vec::new();
        let mut probs = Vec::new();
        let mut taggers = Vec::new();
        fold_of.clear();
        for f in 0..cfg.folds {
            let in_fold = |i: usize| i % cfg.folds == f;
            let rest: Vec<&Example> = order
                .iter()
                .enumerate()
                .filter(|(i, _)| !in_fold(*i))
                .map(|(_, e)| *e)
                .collect();
            // The fold's tagger, and a classifier fit on the same articles
            // for the out-of-fold TC figure (neither is shipped).
            let m = with_classifier(&rest, cfg, fit_si(&rest, cfg));
            let held: Vec<&Example> = order
                .iter()
                .enumerate()
                .filter(|(i, _)| in_fold(*i))
                .map(|(_, e)| *e)
                .collect();
            tc_oof.absorb(&evaluate(&m, &held, Task::Tc));
            for e in held {
                probs.push(m.token_probs(&DocCtx::new(&e.doc)));
                set.push(e);
                fold_of.push(f);
            }
            taggers.push((m.si, m.si_dense));
        }
        bagged = Some(taggers);
        (set, probs)
    } else {
        let first = tagger_only(&fit_ex, cfg);
        let probs = tune_ex
            .iter()
            .map(|e| first.token_probs(&DocCtx::new(&e.doc)))
            .collect();
        (tune_ex.clone(), probs)
    };
    // Tune the decoding on those articles.
    let ctxs: Vec<DocCtx> = tune_set.iter().map(|e| DocCtx::new(&e.doc)).collect();
    let mut tuning = Vec::new();
    let folds = cfg.folds.max(1);
    // SI totals of each decoding setting, per fold.
    let mut per_fold: Vec<Vec<Score>> = Vec::new();
    for fill in [2.0f32, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2] {
        for gap in [0usize, 1, 2] {
            for t in 0..15 {
                let thr = 0.05 + 0.05 * t as f32;
                // peak 0: every span; above the threshold: only spans
                // with a token that confident.
                for peak in PEAKS
                    .iter()
                    .copied()
                    .filter(|&p| p == 0.0 || p > thr + 1e-6)
                {
                    let mut setting = Tuned {
                        threshold: thr,
                        gap,
                        fill,
                        peak,
                        f1: 0.0,
                    };
                    let mut by_fold = vec![Score::default(); folds];
                    for (((ctx, p), ex), &f) in ctxs.iter().zip(&probs).zip(&tune_set).zip(&fold_of)
                    {
                        by_fold[f].absorb(&setting.score(ctx, p, ex));
                    }
                    setting.f1 = Score::total(&by_fold).f1();
                    per_fold.push(by_fold);
                    tuning.push(setting);
                }
            }
        }
    }
    let cross_validated = (folds >= 2).then(|| cross_validate(&tuning, &per_fold));
    tuning.sort_by(better_decoding);
    let subsets = (folds >= 2).then(|| {
        let per_article: Vec<Score> = ctxs
            .iter()
            .zip(&probs)
            .zip(&tune_set)
            .map(|((ctx, p), ex)| tuning[0].score(ctx, p, ex))
            .collect();
        subset_spread(&per_article, valid_ids.len(), 400, cfg.seed.wrapping_add(3))
    });
    // With folds, the span tagger is the mean of the fold taggers: the
    // decoding was tuned on their probabilities, so the shipped tagger is
    // calibrated like them (a refit on all articles is sharper). The
    // technique classifier is fit on all training articles either way.
    let si = match bagged {
        Some(taggers) => {
            let n = taggers.len() as f32;
            let mut si = Linear::zeros(cfg.si_bits, 1);
            let mut dense = vec![0f32; taggers[0].1.len()];
            for (t, d) in &taggers {
                si.w.iter_mut().zip(&t.w).for_each(|(a, b)| *a += b / n);
                dense.iter_mut().zip(d).for_each(|(a, b)| *a += b / n);
            }
            (si, dense)
        }
        None => fit_si(&train_ex, cfg),
    };
    let mut model = with_classifier(&train_ex, cfg, si);
    tuning[0].apply(&mut model.meta);
    model.meta.validation_ids = valid_ids.clone();
    let report = TrainReport {
        train_articles: train_ex.len(),
        tune_articles: tune_set.len(),
        validation_articles: valid_ids.len(),
        tuning,
        cross_validated,
        subsets,
        tc_out_of_fold: (cfg.folds >= 2).then_some(tc_oof),
    };
    (model, report)
}

/// Predicted fragments (code points, with labels) for one document, end to end.
pub fn predict_fragments(model: &dyn TechniqueModel, doc: &Document) -> Vec<Fragment> {
    model
        .analyze(doc)
        .into_iter()
        .filter(|(s, _, _)| super::shown(doc, s))
        .map(|(s, _, c)| {
            let best = super::model::argmax(&c.probs);
            Fragment::new(s.cp_start, s.cp_end, Some(Technique::ALL[best].ptc_label()))
        })
        .collect()
}

/// Fills in techniques for given spans (the TC task). Spans given more than
/// once with the same offsets get distinct labels, most probable first.
pub fn classify_fragments(
    model: &dyn TechniqueModel,
    doc: &Document,
    spans: &[Fragment],
) -> Vec<Fragment> {
    let bspans: Vec<_> = spans
        .iter()
        .map(|f| {
            doc.span_from_cp(f.start, f.end)
                .unwrap_or_else(|| doc.span(doc.text.len(), doc.text.len()))
        })
        .collect();
    let classified = model.classify(doc, &bspans);
    let mut used: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    spans
        .iter()
        .zip(classified)
        .map(|(f, c)| {
            let mut order: Vec<usize> = (0..c.probs.len()).collect();
            order.sort_by(|&a, &b| c.probs[b].total_cmp(&c.probs[a]).then(a.cmp(&b)));
            let taken = used.entry((f.start, f.end)).or_default();
            let pick = order
                .iter()
                .copied()
                .find(|i| !taken.contains(i))
                .unwrap_or(order[0]);
            taken.push(pick);
            Fragment::new(f.start, f.end, Some(Technique::ALL[pick].ptc_label()))
        })
        .collect()
}

/// Per technique, over the gold spans of `exs` classified by `model`
/// (each gold span against the label predicted for it, as
/// [`classify_fragments`] pairs them): `[gold, predicted, right]` counts,
/// indexed like [`Technique::ALL`].
pub fn tc_per_technique(model: &dyn TechniqueModel, exs: &[&Example]) -> Vec<[usize; 3]> {
    let mut out = vec![[0usize; 3]; Technique::ALL.len()];
    let index = |f: &Fragment| {
        f.label
            .as_deref()
            .and_then(Technique::from_ptc)
            .map(|t| t.index())
    };
    for ex in exs {
        let pred = classify_fragments(model, &ex.doc, &ex.gold);
        for (g, p) in ex.gold.iter().zip(&pred) {
            let (Some(g), Some(p)) = (index(g), index(p)) else {
                continue;
            };
            out[g][0] += 1;
            out[p][1] += 1;
            if g == p {
                out[g][2] += 1;
            }
        }
    }
    out
}

/// SI recall per technique: for the gold spans of each technique, their
/// number and the summed share of their code points that the model's
/// (merged) spans cover, indexed like [`Technique::ALL`]. Says which
/// techniques the span tagger finds and which it misses.
pub fn si_recall_per_technique(model: &dyn TechniqueModel, exs: &[&Example]) -> Vec<(usize, f64)> {
    let mut out = vec![(0usize, 0f64); Technique::ALL.len()];
    for ex in exs {
        let pred = merge(&predict_fragments(model, &ex.doc));
        for g in &ex.gold {
            let Some(t) = g.label.as_deref().and_then(Technique::from_ptc) else {
                continue;
            };
            if g.is_empty() {
                continue;
            }
            let covered: usize = pred.iter().map(|p| p.overlap(g)).sum();
            let o = &mut out[t.index()];
            o.0 += 1;
            o.1 += covered as f64 / g.len() as f64;
        }
    }
    out
}

/// Scores a model on labelled examples for one task. TC is scored on the
/// gold spans (the shared task's setting); SI on the model's own spans.
pub fn evaluate(model: &dyn TechniqueModel, exs: &[&Example], task: Task) -> Score {
    Score::total(&evaluate_per_article(model, exs, task))
}

/// The metric's sums of each article alone (in `exs` order), for
/// intervals over articles.
pub fn evaluate_per_article(
    model: &dyn TechniqueModel,
    exs: &[&Example],
    task: Task,
) -> Vec<Score> {
    exs.iter()
        .map(|ex| {
            let pred = match task {
                Task::Si | Task::Full => predict_fragments(model, &ex.doc),
                Task::Tc => classify_fragments(model, &ex.doc, &ex.gold),
            };
            let mut sc = Score::default();
            sc.add_article(&pred, &ex.gold, task);
            sc
        })
        .collect()
}

/// Share of tokens inside gold spans (for the log).
pub fn positive_share(exs: &[Example]) -> f64 {
    let (mut pos, mut all) = (0usize, 0usize);
    for ex in exs {
        let merged = merge(&ex.gold);
        for t in &ex.doc.segments.tokens {
            if t.kind == TokenKind::Punct {
                continue;
            }
            all += 1;
            if merged
                .iter()
                .any(|f| f.start <= t.span.cp_start && t.span.cp_end <= f.end)
            {
                pos += 1;
            }
        }
    }
    pos as f64 / all.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(p: f64, r: f64) -> Score {
        Score {
            precision_sum: p,
            predicted: 1,
            recall_sum: r,
            gold: 1,
            articles: 1,
        }
    }

    /// Each fold is decoded with the setting best on the other folds, not
    /// with its own best: here each setting wins on one fold only.
    #[test]
    fn cross_validation_takes_the_decoding_from_the_other_folds() {
        let t = |threshold| Tuned {
            threshold,
            gap: 0,
            fill: 2.0,
            peak: 0.0,
            f1: 0.0,
        };
        let tuning = [t(0.1), t(0.2)];
        let per_fold = vec![
            vec![score(0.9, 0.9), score(0.1, 0.1)],
            vec![score(0.2, 0.2), score(0.8, 0.8)],
        ];
        let cv = cross_validate(&tuning, &per_fold);
        // fold 0 gets setting 1 (best on fold 1): 0.2; fold 1 gets setting 0: 0.1
        assert_eq!(cv.articles, 2);
        assert!((cv.f1() - 0.15).abs() < 1e-9, "{}", cv.f1());
        // a setting best everywhere is the in-sample figure
        let per_fold = vec![
            vec![score(0.9, 0.9), score(0.7, 0.7)],
            vec![score(0.2, 0.2), score(0.1, 0.1)],
        ];
        assert!((cross_validate(&tuning, &per_fold).f1() - 0.8).abs() < 1e-9);
    }

    #[test]
    fn subset_spread_is_seeded_and_bounded() {
        let per: Vec<Score> = (0..50).map(|i| score(i as f64 / 50.0, 0.5)).collect();
        let a = subset_spread(&per, 10, 200, 1);
        let b = subset_spread(&per, 10, 200, 1);
        assert_eq!((a.mean, a.sd), (b.mean, b.sd));
        assert!(a.p5 <= a.mean && a.mean <= a.p95 && a.sd > 0.0);
        // all articles every draw: no spread
        let all = subset_spread(&per, 50, 20, 1);
        assert!(all.sd < 1e-12);
    }

    #[test]
    fn span_weight_favours_short_spans_within_bounds() {
        assert_eq!(span_weight(0, 12.0, 0.75), 1.0); // outside spans
        assert_eq!(span_weight(5, 0.0, 0.75), 1.0); // off
        assert_eq!(span_weight(12, 12.0, 0.75), 1.0);
        assert!(span_weight(3, 12.0, 0.75) > span_weight(6, 12.0, 0.75));
        assert!((span_weight(24, 12.0, 1.0) - 0.5).abs() < 1e-6);
        assert_eq!(span_weight(1, 12.0, 1.0), 4.0); // clamped
        assert_eq!(span_weight(1000, 12.0, 1.0), 0.25);
    }

    #[test]
    fn si_rows_know_the_length_of_their_gold_span() {
        let text = "They are vile traitors. The sky is blue.";
        let doc = Document::from_text("a", text);
        // gold: "vile traitors" (code points 9..22)
        let ex = Example {
            doc,
            gold: vec![Fragment::new(9, 22, Some("Name_Calling,Labeling"))],
        };
        let (data, span_len) = si_data(&[&ex], 12);
        assert_eq!(data.len(), span_len.len());
        let inside: Vec<u32> = data
            .iter()
            .zip(&span_len)
            .filter(|((_, y), _)| *y > 0)
            .map(|(_, &n)| n)
            .collect();
        assert_eq!(inside, [2, 2]);
        assert!(data
            .iter()
            .zip(&span_len)
            .all(|((_, y), &n)| (*y > 0) == (n > 0)));
    }
}
