//! Training the NER tagger: an averaged perceptron over the features of
//! [`super::features`], trained with greedy decoding (the model learns from
//! its own previous predictions, as it will be used), seeded and
//! reproducible.
//!
//! Gazetteers come from the training labels. To keep the model from
//! trusting them blindly (on its own training data every entity would be in
//! the gazetteer), each training document sees a gazetteer built from the
//! *other* folds only (jackknifing); the saved model carries the full one.

use super::conll::{self, ConllDoc};
use super::features::{self, seq_key, word_key, Resources, TokInfo};
use super::model::{self, tag_index, DocHistory, KeyMap, Model, Packed, NTAGS};
use std::collections::HashMap;

/// Training settings. `Default` is the configuration of the shipped model.
#[derive(Clone, Debug)]
pub struct TrainConfig {
    pub epochs: usize,
    pub seed: u64,
    /// Gazetteer jackknife folds.
    pub folds: usize,
    /// Features whose averaged weights are all below this are dropped.
    pub prune: f32,
    /// Word clusters (coarse, fine) computed from the training text; 0 = none.
    pub clusters: [usize; 2],
    /// Exchange-algorithm passes for the clusters.
    pub cluster_iters: usize,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 12,
            seed: 13,
            folds: 5,
            prune: 0.05,
            clusters: [64, 400],
            cluster_iters: 4,
        }
    }
}

/// The seeded generator of training shuffles.
pub use parallax_core::rng::SplitMix as Rng;

fn lower(w: &str) -> String {
    features::normalize_token(w)
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_ascii_digit() { '0' } else { c })
        .collect()
}

/// Gazetteer of the entity strings in `docs`, skipping documents for which
/// `skip` is true.
fn gazetteer(docs: &[ConllDoc], skip: impl Fn(usize) -> bool) -> (HashMap<u64, u8>, usize) {
    let mut g: HashMap<u64, u8> = HashMap::new();
    let mut max_len = 0;
    for (di, d) in docs.iter().enumerate() {
        if skip(di) {
            continue;
        }
        for s in &d.sentences {
            for c in conll::chunks(&s.tags) {
                let Some(ty) = features::TYPES.iter().position(|t| *t == c.label) else {
                    continue;
                };
                let words: Vec<String> =
                    s.tokens[c.start..c.end].iter().map(|w| lower(w)).collect();
                *g.entry(seq_key(&words)).or_default() |= 1 << ty;
                max_len = max_len.max(words.len());
            }
        }
    }
    (g, max_len.min(8))
}

/// Words written lowercase more often than capitalized (sentence-initial
/// tokens aside) in the training text.
fn lower_common(docs: &[ConllDoc]) -> std::collections::HashSet<u64> {
    let mut c: HashMap<String, (u32, u32)> = HashMap::new();
    for d in docs {
        for s in &d.sentences {
            for w in s.tokens.iter().skip(1) {
                let Some(f) = w.chars().next() else { continue };
                if !f.is_alphabetic() {
                    continue;
                }
                let e = c.entry(lower(w)).or_default();
                if f.is_lowercase() {
                    e.0 += 1;
                } else {
                    e.1 += 1;
                }
            }
        }
    }
    c.into_iter()
        .filter(|(_, (l, u))| *l >= 2 && l > u)
        .map(|(w, _)| word_key(&w))
        .collect()
}

struct Perceptron {
    index: KeyMap<u32>,
    w: Vec<[f32; NTAGS]>,
    tot: Vec<[f64; NTAGS]>,
    ts: Vec<[u32; NTAGS]>,
    i: u32,
}

impl Perceptron {
    fn new() -> Self {
        Perceptron {
            index: KeyMap::default(),
            w: Vec::new(),
            tot: Vec::new(),
            ts: Vec::new(),
            i: 0,
        }
    }

    fn score(&self, feats: &[u64], s: &mut [f32; NTAGS]) {
        *s = [0.0; NTAGS];
        for f in feats {
            if let Some(&r) = self.index.get(f) {
                for (x, w) in s.iter_mut().zip(&self.w[r as usize]) {
                    *x += w;
                }
            }
        }
    }

    fn upd(&mut self, row: usize, c: usize, v: f32) {
        let dt = (self.i - self.ts[row][c]) as f64;
        self.tot[row][c] += dt * self.w[row][c] as f64;
        self.ts[row][c] = self.i;
        self.w[row][c] += v;
    }

    fn update(&mut self, truth: u8, guess: u8, feats: &[u64]) {
        for f in feats {
            let row = match self.index.get(f) {
                Some(&r) => r as usize,
                None => {
                    let r = self.w.len();
                    self.index.insert(*f, r as u32);
                    self.w.push([0.0; NTAGS]);
                    self.tot.push([0.0; NTAGS]);
                    self.ts.push([self.i; NTAGS]);
                    r
                }
            };
            self.upd(row, truth as usize, 1.0);
            self.upd(row, guess as usize, -1.0);
        }
    }

    #[allow(clippy::needless_range_loop)] // three parallel arrays
    fn averaged(self) -> (KeyMap<u32>, Vec<[f32; NTAGS]>) {
        let n = self.i.max(1) as f64;
        let mut w = Vec::with_capacity(self.w.len());
        for r in 0..self.w.len() {
            let mut a = [0f32; NTAGS];
            for c in 0..NTAGS {
                let t = self.tot[r][c] + (self.i - self.ts[r][c]) as f64 * self.w[r][c] as f64;
                a[c] = (t / n) as f32;
            }
            w.push(a);
        }
        (self.index, w)
    }
}

/// A document prepared for training: token infos, static features (with its
/// fold's gazetteer) and gold tags, per sentence.
struct Prepared {
    sents: Vec<PreparedSentence>,
}

/// Token infos, static features per token, gold tag indices.
type PreparedSentence = (Vec<TokInfo>, Vec<Vec<u64>>, Vec<u8>);

/// Trains a model on `docs`. `log` receives one line per stage/epoch.
/// `dev`, when given, is tagged after each epoch and its F1 logged.
pub fn train(
    docs: &[ConllDoc],
    dev: Option<&[ConllDoc]>,
    cfg: &TrainConfig,
    mut log: impl FnMut(&str),
) -> Model {
    let t0 = std::time::Instant::now();
    let mut res = Resources {
        lower_common: lower_common(docs),
        ..Default::default()
    };
    if cfg.clusters[0] > 0 {
        let sents: Vec<Vec<String>> = docs
            .iter()
            .flat_map(|d| d.sentences.iter())
            .map(|s| s.tokens.iter().map(|w| lower(w)).collect())
            .collect();
        res.clusters = super::clusters::cluster(&sents, cfg.clusters, cfg.cluster_iters, cfg.seed);
        log(&format!(
            "clusters: {} words in {:?} classes ({:.1}s)",
            res.clusters.len(),
            cfg.clusters,
            t0.elapsed().as_secs_f32()
        ));
    }
    let folds = cfg.folds.max(2);
    let mut prepared: Vec<Prepared> = Vec::with_capacity(docs.len());
    for k in 0..folds {
        let (g, ml) = gazetteer(docs, |di| di % folds == k);
        let fold_res = Resources {
            gazetteer: g,
            gaz_max_len: ml,
            lower_common: res.lower_common.clone(),
            clusters: HashMap::new(),
        };
        for (di, d) in docs.iter().enumerate() {
            if di % folds != k {
                continue;
            }
            let sents = d
                .sentences
                .iter()
                .map(|s| {
                    let toks: Vec<TokInfo> =
                        s.tokens.iter().map(|w| TokInfo::new(w, &res)).collect();
                    // Token infos carry the clusters; static features read the
                    // fold's gazetteer.
                    let stat = features::static_features(&toks, &fold_res);
                    let gold = s.tags.iter().map(|t| tag_index(t)).collect();
                    (toks, stat, gold)
                })
                .collect();
            prepared.push(Prepared { sents });
        }
    }
    let (g, ml) = gazetteer(docs, |_| false);
    res.gazetteer = g;
    res.gaz_max_len = ml;
    log(&format!(
        "prepared {} documents, gazetteer {} entries ({:.1}s)",
        prepared.len(),
        res.gazetteer.len(),
        t0.elapsed().as_secs_f32()
    ));

    let trans = model::observed_transitions(
        prepared
            .iter()
            .flat_map(|d| d.sents.iter())
            .map(|(_, _, g)| g.as_slice()),
    );
    let mut p = Perceptron::new();
    let mut order: Vec<usize> = (0..prepared.len()).collect();
    let mut rng = Rng::new(cfg.seed);
    let mut feats: Vec<u64> = Vec::with_capacity(64);
    let mut scores = [0f32; NTAGS];
    for epoch in 0..cfg.epochs {
        rng.shuffle(&mut order);
        let (mut errors, mut total) = (0usize, 0usize);
        for &di in &order {
            let mut hist = DocHistory::default();
            for (toks, stat, gold) in &prepared[di].sents {
                let (mut prev, mut prev2) = (0u8, 0u8);
                let mut guesses = Vec::with_capacity(toks.len());
                for i in 0..toks.len() {
                    feats.clear();
                    feats.extend_from_slice(&stat[i]);
                    features::dynamic_features(
                        &mut feats,
                        &toks[i],
                        toks.get(i + 1),
                        prev,
                        prev2,
                        hist.get(&toks[i]),
                    );
                    p.score(&feats, &mut scores);
                    let guess = model::best_allowed(&scores, &trans[prev as usize]);
                    p.i += 1;
                    total += 1;
                    if guess != gold[i] {
                        errors += 1;
                        p.update(gold[i], guess, &feats);
                    }
                    guesses.push(guess);
                    prev2 = prev;
                    prev = guess;
                }
                for (t, &g) in toks.iter().zip(&guesses) {
                    hist.record(t, g);
                }
            }
        }
        log(&format!(
            "epoch {:>2}: train token error {:.4}, {} features ({:.1}s)",
            epoch + 1,
            errors as f64 / total.max(1) as f64,
            p.index.len(),
            t0.elapsed().as_secs_f32()
        ));
    }
    let (index, weights) = p.averaged();
    let mut m = Model {
        weights: Packed::from_rows(index.iter().map(|(&k, &i)| (k, weights[i as usize]))),
        res,
        trans,
        meta: String::new(),
    };
    let before = m.weights.len();
    m.prune(cfg.prune);
    log(&format!(
        "pruned {} -> {} features (|w| < {})",
        before,
        m.weights.len(),
        cfg.prune
    ));
    // Quantize exactly as the saved file will be, so scores match the file.
    m = Model::from_bytes(&m.to_bytes()).expect("own format");
    if let Some(dev) = dev {
        let s = evaluate(&m, dev);
        let (pr, re, f) = s.overall();
        log(&format!("dev: precision {pr:.4} recall {re:.4} F1 {f:.4}"));
    }
    m
}

/// Tags every sentence of `docs` (document history reset per document).
pub fn predict(m: &Model, docs: &[ConllDoc]) -> Vec<Vec<Vec<u8>>> {
    docs.iter()
        .map(|d| {
            let mut hist = DocHistory::default();
            d.sentences
                .iter()
                .map(|s| m.tag_sentence(&m.infos(&s.tokens), &mut hist).0)
                .collect()
        })
        .collect()
}

/// The CoNLL entity-level score of `m` on gold `docs`.
pub fn evaluate(m: &Model, docs: &[ConllDoc]) -> conll::Score {
    let pred = predict(m, docs);
    let mut s = conll::Score::default();
    for (d, pd) in docs.iter().zip(&pred) {
        for (sent, p) in d.sentences.iter().zip(pd) {
            let tags: Vec<&str> = p.iter().map(|&t| model::TAGS[t as usize]).collect();
            s.add(&sent.tags, &tags);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(sents: &[&str]) -> ConllDoc {
        // "word/TAG" pairs separated by spaces.
        let mut d = ConllDoc::default();
        for s in sents {
            let mut cs = conll::ConllSentence::default();
            for wt in s.split(' ') {
                let (w, t) = wt.split_once('/').unwrap();
                cs.lines.push(format!("{w} X X {t}"));
                cs.tokens.push(w.to_string());
                cs.tags.push(t.to_string());
            }
            d.sentences.push(cs);
        }
        d
    }

    fn data() -> Vec<ConllDoc> {
        let names = ["Smith", "Jones", "Brown", "Clark", "Lewis", "Adams"];
        let places = ["Paris", "Berlin", "Madrid", "Rome", "Vienna", "Oslo"];
        (0..12)
            .map(|i| {
                let a = format!(
                    "John/B-PER {}/I-PER visited/O {}/B-LOC on/O Monday/O ./O",
                    names[i % 6],
                    places[(i + 1) % 6]
                );
                let b = format!(
                    "The/O bank/O in/O {}/B-LOC said/O Mr/O {}/B-PER left/O ./O",
                    places[i % 6],
                    names[(i + 2) % 6]
                );
                doc(&[&a, &b])
            })
            .collect()
    }

    fn cfg() -> TrainConfig {
        TrainConfig {
            epochs: 5,
            clusters: [2, 4],
            ..Default::default()
        }
    }

    #[test]
    fn learns_a_toy_task_and_is_reproducible() {
        let docs = data();
        let m = train(&docs, None, &cfg(), |_| {});
        let s = evaluate(&m, &docs);
        assert!(s.overall().2 > 0.95, "{}", s.report());
        let again = train(&docs, None, &cfg(), |_| {});
        assert_eq!(m.to_bytes(), again.to_bytes(), "same seed, same bytes");
        // A new sentence with known names in a new order.
        let toks = m.infos(&["John", "Lewis", "visited", "Oslo", "."]);
        let (tags, confs) = m.tag_sentence(&toks, &mut DocHistory::default());
        let names: Vec<&str> = tags.iter().map(|&t| model::TAGS[t as usize]).collect();
        assert_eq!(names, ["B-PER", "I-PER", "O", "B-LOC", "O"]);
        assert!(confs.iter().all(|c| (0.0..=1.0).contains(c)));
    }

    #[test]
    fn jackknifed_gazetteer_excludes_own_fold() {
        let docs = data();
        let (g, _) = gazetteer(&docs, |di| di % 2 == 0);
        let (all, max) = gazetteer(&docs, |_| false);
        assert!(g.len() <= all.len());
        assert_eq!(max, 2);
        assert!(all.contains_key(&seq_key(&["john", "smith"])));
    }

    #[test]
    fn shuffle_is_seeded() {
        let mut a: Vec<u32> = (0..20).collect();
        let mut b = a.clone();
        Rng::new(1).shuffle(&mut a);
        Rng::new(1).shuffle(&mut b);
        assert_eq!(a, b);
        let mut c: Vec<u32> = (0..20).collect();
        Rng::new(2).shuffle(&mut c);
        assert_ne!(a, c);
    }
}
