//! Story clustering: groups articles about the same story, with no fixed
//! number of groups.
//!
//! Each article becomes a tf-idf vector of its content words cut to 5
//! letters and one of the character 5- and 6-grams of its content words
//! (idf over the batch), the mean of its sentences' static embeddings
//! (centered on the batch mean) and the set of names it uses. Similarity =
//! 0.4·word tf-idf cosine + 0.4·gram tf-idf cosine + 0.2·embedding cosine
//! (+ `wn`·idf-weighted name cosine, 0 by default). On PolNeAR train parts
//! the grams and the sentence mean raised B-cubed F1 from 0.7466 to 0.7515
//! (parts of 3) and 0.5401 to 0.5582 (parts of 6); dev 0.8796 -> 0.8811.
//!
//! Similarity levels differ a lot between crowded topics (every campaign
//! article shares "Trump", "voters", "poll") and rare ones, so one global
//! cut either splits rare stories or lumps crowded ones. A pair is scored
//! instead by *local scaling* (CSLS, Conneau et al. 2018): its similarity
//! minus the mean of the two articles' background `r` (the mean similarity
//! of each one's 10 nearest neighbours). Each article links to its `k`
//! nearest neighbours whose score reaches the threshold (0.1: the two are
//! clearly closer to each other than to their usual neighbours, chosen on
//! labelled same-event stories, `bench/cluster_events/`); links are merged
//! strongest first with an average-linkage check (two groups merge only
//! while the mean score of their cross pairs stays over threshold −
//! `link_margin`), so one loose link does not chain two stories. A second
//! pass lets an article left alone join the best group among its
//! neighbours' groups when its mean score to it reaches threshold −
//! `attach_margin`. A story larger than the background's 10 neighbours is
//! its own background and scores about 0 under local scaling, so two
//! articles at similarity `sure_link` (0.6) or more link whatever their
//! background, and groups whose mean similarity reaches it merge.
//!
//! Neighbours: the 4k best by a dense proxy of the similarity (embedding +
//! a signed hashed sketch of the sparse vectors; parallel brute force),
//! re-scored exactly. 10,000 articles take seconds (BENCHMARKS.md).

use crate::embed::{normalize, StaticEmbedder};
use crate::evidence;
use parallax_core::Document;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Clone, Debug)]
pub struct ClusterOptions {
    /// Score two articles need to be linked: their similarity minus λ times
    /// their mean background similarity (see [`cluster`]); 0 = "closer to
    /// each other than to their usual neighbours".
    pub threshold: f32,
    /// Neighbours per article that can be linked.
    pub k: usize,
    /// Weight of the idf-weighted cosine of the name sets (0 by default: on
    /// PolNeAR train it added nothing over the content words, which include
    /// the names).
    pub name_weight: f32,
    /// Weight of the tf-idf cosine of content words.
    pub term_weight: f32,
    /// Weight of the tf-idf cosine of character 5- and 6-grams of content
    /// words (the rest, 1 − name − term − gram weight: embedding cosine).
    pub gram_weight: f32,
    /// Local scaling: how many nearest neighbours make an article's
    /// background similarity `r` (0: none).
    pub scale_k: usize,
    /// Local scaling strength λ: score = sim − λ·(r_i + r_j)/2.
    pub scale: f32,
    /// Cap on an article's background `r` (none by default). In a story with
    /// more articles than `scale_k` the nearest neighbours are the story
    /// itself; a cap keeps such a story whole, but at 0.4 it also merged
    /// distinct source texts in the bench (B-cubed P 0.999 -> 0.854), so
    /// `scale_k` is 10 instead (fewer articles per story than that are
    /// scored against other stories).
    pub bg_cap: f32,
    /// Link only mutual neighbours.
    pub mutual: bool,
    /// Two groups merge only while the mean score of their cross pairs
    /// stays over `threshold − link_margin` (average linkage).
    pub link_margin: f32,
    /// Second pass: an article left alone joins the group of its nearest
    /// neighbours when its mean score to that group reaches
    /// `threshold − attach_margin` (None: no second pass).
    pub attach_margin: Option<f32>,
    /// Two articles whose similarity reaches this link (and their groups
    /// merge while their mean similarity does) whatever their background:
    /// a story larger than `scale_k` is its own background, so its members
    /// score about 0 under local scaling (1 or more: off).
    pub sure_link: f32,
    /// Up to this many articles the neighbour search compares every pair;
    /// above it, it probes an inverted file (about 12/√n of the pairs).
    pub exact_up_to: usize,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            // chosen on the tune split of the labelled same-event stories
            // (`parallax eval cluster ../shared/data/ptc/train-articles
            // --gold bench/cluster_events/groups.tsv --split tune --sweep`,
            // docs/compare.md); the other knobs on PolNeAR train parts
            threshold: 0.1,
            k: 10,
            name_weight: 0.0,
            term_weight: 0.4,
            gram_weight: 0.4,
            scale_k: 10,
            scale: 1.0,
            bg_cap: f32::INFINITY,
            mutual: false,
            link_margin: 0.015,
            attach_margin: Some(0.0),
            sure_link: 0.6,
            exact_up_to: EXACT_SEARCH_UP_TO,
        }
    }
}

/// What clustering keeps of one article.
#[derive(Clone, Debug)]
pub struct DocFeatures {
    pub vec: Vec<f32>,
    /// Hashes of the lowercased names the article uses, sorted, deduplicated.
    pub names: Vec<u64>,
    /// Hash of a content-word stem -> 1 + ln tf.
    pub terms: Sparse<u64>,
    /// Hash of a character 5- or 6-gram of a content word marked at both
    /// ends, `<word>` -> 1 + ln tf.
    pub grams: Sparse<u32>,
    /// The names the article uses most (at most [`TOP_NAMES`], most
    /// frequent first), as written at their first use: what a story's
    /// members share is shown from these ([`Story::shared_names`]).
    pub top_names: Vec<String>,
}

/// A sparse vector: keys in ascending order and their weights, in two
/// exactly sized arrays. A 32-bit key and its weight take 8 bytes, a 64-bit
/// key 12 (a `(u64, f32)` pair takes 16 with its padding), with no spare
/// capacity: at 100,000 articles the character-gram vectors (then their
/// tf-idf weights) are most of the memory of `parallax cluster`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sparse<K> {
    keys: Box<[K]>,
    vals: Box<[f32]>,
}

impl<K: Copy> Sparse<K> {
    /// From (key, weight) pairs already in ascending key order.
    fn from_sorted(pairs: impl IntoIterator<Item = (K, f32)>) -> Self {
        let (keys, vals): (Vec<K>, Vec<f32>) = pairs.into_iter().unzip();
        Sparse {
            keys: keys.into_boxed_slice(),
            vals: vals.into_boxed_slice(),
        }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// (key, weight) in ascending key order.
    pub fn iter(&self) -> impl Iterator<Item = (K, f32)> + '_ {
        self.keys.iter().copied().zip(self.vals.iter().copied())
    }
}

/// Names kept per article for [`Story::shared_names`].
pub const TOP_NAMES: usize = 8;

fn hash(s: &str) -> u64 {
    hash_bytes(s.bytes())
}

fn hash_bytes(bytes: impl Iterator<Item = u8>) -> u64 {
    // FNV-1a: stable across runs and platforms
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// Lengths (in characters) of the character n-grams of [`DocFeatures::grams`].
const GRAMS: std::ops::RangeInclusive<usize> = 5..=6;

/// Character n-grams of the content words, `<word>` (so a short word is a
/// gram of its own and prefixes and suffixes are marked): (32-bit hash,
/// 1 + ln tf), sorted by hash. They match inflections and compounds that
/// the 5-letter stems miss ("nominee"/"nomination" share `omina`,
/// "impeach"/"impeachment" share `<impe`) and keep apart words the stems
/// merge ("president"/"presidio").
fn char_grams(words: &[String]) -> Sparse<u32> {
    let mut all: Vec<u32> = Vec::new();
    for w in words.iter().filter(|w| crate::is_content(w)) {
        let marked = format!("<{w}>");
        let starts: Vec<usize> = marked.char_indices().map(|(i, _)| i).collect();
        for n in GRAMS {
            for a in 0..starts.len().saturating_sub(n - 1) {
                let b = starts.get(a + n).copied().unwrap_or(marked.len());
                let h = hash_bytes(marked[starts[a]..b].bytes());
                all.push((h ^ (h >> 32)) as u32);
            }
        }
    }
    all.sort_unstable();
    let mut out: Vec<(u32, f32)> = Vec::new();
    for h in all {
        match out.last_mut() {
            Some((g, c)) if *g == h => *c += 1.0,
            _ => out.push((h, 1.0)),
        }
    }
    Sparse::from_sorted(out.into_iter().map(|(g, c)| (g, 1.0 + c.ln())))
}

pub fn features(doc: &Document) -> DocFeatures {
    let e = StaticEmbedder::get();
    let mut vec = vec![0f32; crate::embed::SentenceEncoder::dim(e)];
    // mean of the sentence vectors (each L2-normalized), so that every
    // sentence counts the same and a long one does not set the direction
    let mut tmp = vec![0f32; vec.len()];
    for s in &doc.segments.sentences {
        tmp.iter_mut().for_each(|x| *x = 0.0);
        e.sum_into(&doc.text[s.span.start..s.span.end], &mut tmp);
        normalize(&mut tmp);
        vec.iter_mut().zip(&tmp).for_each(|(a, b)| *a += b);
    }
    normalize(&mut vec);
    // (count, first use, display form) per name hash
    let mut seen: HashMap<u64, (usize, usize, String)> = HashMap::new();
    for s in &doc.segments.sentences {
        let t = &doc.text[s.span.start..s.span.end];
        for (a, b) in evidence::names(t) {
            let n = &t[a..b];
            let n = crate::rules::alias_of(n).unwrap_or(n);
            let next = seen.len();
            seen.entry(hash(&n.to_lowercase()))
                .or_insert_with(|| (0, next, n.to_string()))
                .0 += 1;
        }
    }
    let mut names: Vec<u64> = seen.keys().copied().collect();
    names.sort_unstable();
    let mut top: Vec<(usize, usize, String)> = seen.into_values().collect();
    top.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let top_names = top.into_iter().take(TOP_NAMES).map(|x| x.2).collect();
    let words = evidence::words(&doc.text);
    let mut tf: BTreeMap<u64, f32> = BTreeMap::new();
    for st in crate::stems_all(&words) {
        *tf.entry(hash(&st)).or_default() += 1.0;
    }
    let terms = Sparse::from_sorted(tf.into_iter().map(|(h, c)| (h, 1.0 + c.ln())));
    let grams = char_grams(&words);
    DocFeatures {
        vec,
        names,
        terms,
        grams,
        top_names,
    }
}

fn sparse_dot<K: Ord>(a: &Sparse<K>, b: &Sparse<K>) -> f32 {
    let (ak, bk) = (&a.keys[..], &b.keys[..]);
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < ak.len() && j < bk.len() {
        match ak[i].cmp(&bk[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a.vals[i] * b.vals[j];
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// Dot product in 8 independent lanes (the compiler vectorizes it; a plain
/// `zip().sum()` is a serial chain of float adds). Same order for (a,b) and
/// (b,a), so exactly symmetric.
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for l in 0..8 {
            acc[l] += x[l] * y[l];
        }
    }
    let mut s = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
    for (x, y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

/// Idf-weighted (`ln((1+n)/(1+df))`) and L2-normalized sparse vectors over
/// the batch. A key found in one row only is dropped after the norm is
/// taken: it never meets another row, so cosines are unchanged and the
/// vectors are shorter (the candidate sketch no longer carries it either).
/// Each row is turned into its tf-idf vector in place (no second
/// allocation). One progress step per row.
fn tfidf<K>(mut rows: Vec<Sparse<K>>, progress: &(dyn Fn(usize) + Sync)) -> Vec<Sparse<K>>
where
    K: Copy + Eq + std::hash::Hash + Send + Sync,
{
    let mut df: HashMap<K, u32> = HashMap::new();
    for r in &rows {
        for h in r.keys.iter() {
            *df.entry(*h).or_default() += 1;
        }
    }
    let n = rows.len() as f32;
    rows.par_iter_mut().enumerate().for_each(|(i, r)| {
        let mut keys = std::mem::take(&mut r.keys).into_vec();
        let mut vals = std::mem::take(&mut r.vals).into_vec();
        let mut shared = vec![false; keys.len()];
        for ((h, w), s) in keys.iter().zip(vals.iter_mut()).zip(shared.iter_mut()) {
            let d = df[h];
            *w *= ((1.0 + n) / (1.0 + d as f32)).ln();
            *s = d > 1;
        }
        let norm = vals.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            vals.iter_mut().for_each(|x| *x /= norm);
        }
        let mut kept = 0;
        for x in 0..keys.len() {
            if shared[x] {
                keys[kept] = keys[x];
                vals[kept] = vals[x];
                kept += 1;
            }
        }
        keys.truncate(kept);
        vals.truncate(kept);
        r.keys = keys.into_boxed_slice();
        r.vals = vals.into_boxed_slice();
        tick(i, progress);
    });
    rows
}

/// Dimensions of the hashed (signed feature-hashing) sketch of the sparse
/// vectors used to find neighbour candidates.
const SKETCH: usize = 256;

fn sketch_into<K: Copy + Into<u64>>(v: &Sparse<K>, w: f32, out: &mut [f32]) {
    for (h, x) in v.iter() {
        // mix the FNV hash so the low bits are spread
        let m = h.into().wrapping_mul(0x9E3779B97F4A7C15);
        let i = (m >> 40) as usize % out.len();
        let sign = if m >> 63 == 1 { -1.0 } else { 1.0 };
        out[i] += sign * w * x;
    }
}

/// Groups the articles; returns a group id per article (groups numbered by
/// their first member, in input order).
pub fn cluster(feats: &[DocFeatures], opts: &ClusterOptions) -> Vec<usize> {
    cluster_with_progress(feats, opts, &|_| {})
}

/// [`cluster`], calling `progress(m)` as it gets through `m` more of the
/// [`progress_steps`] steps (in chunks of 256, so a little under that many
/// are reported).
pub fn cluster_with_progress(
    feats: &[DocFeatures],
    opts: &ClusterOptions,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<usize> {
    let terms = feats.iter().map(|f| f.terms.clone()).collect();
    let grams = if opts.gram_weight > 0.0 {
        feats.iter().map(|f| f.grams.clone()).collect()
    } else {
        Vec::new()
    };
    cluster_vectors(feats, terms, grams, opts, progress)
}

/// [`cluster_with_progress`] for a caller done with the word and gram
/// vectors of `feats`: they are taken out (left empty; the embedding and
/// the names stay, for [`stories`]) and turned into their tf-idf vectors
/// in place, so the batch holds one copy of them, not two. Same groups;
/// what `parallax cluster` runs (at 100,000 articles the gram vectors
/// alone are about 1.6 GB).
pub fn cluster_taking(
    feats: &mut [DocFeatures],
    opts: &ClusterOptions,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<usize> {
    let terms = feats
        .iter_mut()
        .map(|f| std::mem::take(&mut f.terms))
        .collect();
    let grams = feats
        .iter_mut()
        .map(|f| std::mem::take(&mut f.grams))
        .collect();
    cluster_vectors(feats, terms, grams, opts, progress)
}

/// The clustering proper, given the word and gram vectors of the articles
/// of `feats` (the caller's copies, or the vectors it handed over), which
/// it turns into tf-idf vectors in place.
fn cluster_vectors(
    feats: &[DocFeatures],
    terms: Vec<Sparse<u64>>,
    grams: Vec<Sparse<u32>>,
    opts: &ClusterOptions,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<usize> {
    let n = feats.len();
    if n == 0 {
        return Vec::new();
    }
    // tf-idf of content words and of grams over this batch, L2-normalized
    let terms = tfidf(terms, progress);
    let grams = if opts.gram_weight > 0.0 {
        tfidf(grams, progress)
    } else {
        vec![Sparse::default(); n]
    };
    let dim = feats[0].vec.len();
    // center on the batch mean so shared "news-ness" does not dominate
    let mut mean = vec![0f32; dim];
    for f in feats {
        for (m, x) in mean.iter_mut().zip(&f.vec) {
            *m += x;
        }
    }
    mean.iter_mut().for_each(|m| *m /= n as f32);
    let flat: Vec<f32> = feats
        .iter()
        .flat_map(|f| {
            let mut v: Vec<f32> = f.vec.iter().zip(&mean).map(|(x, m)| x - m).collect();
            normalize(&mut v);
            v
        })
        .collect();
    let row = |i: usize| &flat[i * dim..(i + 1) * dim];
    // tf-idf of names over this batch, L2-normalized
    let (wn, wt, wg) = (opts.name_weight, opts.term_weight, opts.gram_weight);
    let names = if wn > 0.0 {
        let name_rows: Vec<Sparse<u64>> = feats
            .iter()
            .map(|f| Sparse::from_sorted(f.names.iter().map(|&h| (h, 1.0))))
            .collect();
        tfidf(name_rows, &|_| {})
    } else {
        vec![Sparse::default(); n]
    };
    let we = (1.0 - wn - wt - wg).max(0.0);
    let sim = |i: usize, j: usize| {
        we * dot(row(i), row(j))
            + wn * sparse_dot(&names[i], &names[j])
            + wt * sparse_dot(&terms[i], &terms[j])
            + wg * sparse_dot(&grams[i], &grams[j])
    };
    // dense proxy of `sim` for the candidate search: the embedding and a
    // signed hashed sketch of both sparse vectors (dot ≈ sim)
    let pd = dim + SKETCH;
    let proxy: Vec<f32> = (0..n)
        .into_par_iter()
        .flat_map_iter(|i| {
            let mut v = vec![0f32; pd];
            for (a, b) in v[..dim].iter_mut().zip(row(i)) {
                *a = we.sqrt() * b;
            }
            sketch_into(&terms[i], wt.sqrt(), &mut v[dim..]);
            sketch_into(&names[i], wn.sqrt(), &mut v[dim..]);
            sketch_into(&grams[i], wg.sqrt(), &mut v[dim..]);
            v
        })
        .collect();
    let k = opts.k.max(opts.scale_k).min(n.saturating_sub(1));
    // k nearest neighbours: the 4k best by the proxy, re-scored exactly
    // (in parallel; one pass over the articles, like the search)
    let rescored = |m: usize| progress(WEIGHT_RESCORE * m);
    let knn: Vec<Vec<(usize, f32)>> = candidates(&proxy, pd, 4 * k, opts.exact_up_to, progress)
        .into_par_iter()
        .enumerate()
        .map(|(i, best)| {
            let mut cand: Vec<(usize, f32)> = best.into_iter().map(|j| (j, sim(i, j))).collect();
            cand.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            cand.truncate(k);
            tick(i, &rescored);
            cand
        })
        .collect();
    // local scaling: an article's background is the mean similarity of its
    // `scale_k` nearest neighbours; a pair scores its similarity minus λ
    // times the mean background of the two (articles in a crowded topic
    // need more to stand out; CSLS, Conneau et al. 2018, when λ = 1)
    let sk = opts.scale_k.min(k);
    let bg: Vec<f32> = knn
        .iter()
        .map(|v| {
            if sk == 0 || v.is_empty() {
                0.0
            } else {
                let r = v.iter().take(sk).map(|x| x.1).sum::<f32>() / v.len().min(sk) as f32;
                r.min(opts.bg_cap)
            }
        })
        .collect();
    let lam = opts.scale;
    let score = |i: usize, j: usize, s: f32| s - lam * 0.5 * (bg[i] + bg[j]);
    let k_link = opts.k.min(k);
    // kNN edges (mutual if asked) over the threshold, strongest first
    let mut edges: Vec<(f32, usize, usize)> = Vec::new();
    for i in 0..n {
        for &(j, s) in knn[i].iter().take(k_link) {
            let sure = s >= opts.sure_link;
            let s = score(i, j, s);
            if s < opts.threshold && !sure {
                continue;
            }
            let back = knn[j].iter().take(k_link).any(|&(x, _)| x == i);
            if opts.mutual && !back {
                continue;
            }
            if i < j || !back {
                edges.push((s, i.min(j), i.max(j)));
            }
        }
    }
    edges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    // average-linkage merge restricted to the edges
    let mut parent: Vec<usize> = (0..n).collect();
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while p[r] != r {
            r = p[r];
        }
        let mut y = x;
        while p[y] != r {
            let nx = p[y];
            p[y] = r;
            y = nx;
        }
        r
    }
    // mean score and mean similarity over cross pairs (sampled for big groups)
    let mean_score = |ma: &[usize], mb: &[usize]| {
        let step_a = (ma.len() / 16).max(1);
        let step_b = (mb.len() / 16).max(1);
        let (mut tot, mut raw) = (0.0, 0.0);
        let mut cnt = 0usize;
        for &x in ma.iter().step_by(step_a) {
            for &y in mb.iter().step_by(step_b) {
                let s = sim(x, y);
                tot += score(x, y, s);
                raw += s;
                cnt += 1;
            }
        }
        (tot / cnt as f32, raw / cnt as f32)
    };
    let close = |(m, raw): (f32, f32), floor: f32| m >= floor || raw >= opts.sure_link;
    let merge = |parent: &mut Vec<usize>, members: &mut Vec<Vec<usize>>, a: usize, b: usize| {
        let (keep, gone) = if a < b { (a, b) } else { (b, a) };
        parent[gone] = keep;
        let moved = std::mem::take(&mut members[gone]);
        members[keep].extend(moved);
    };
    let merged = |m: usize| progress(WEIGHT_MERGE * m);
    for (e, &(_, i, j)) in edges.iter().enumerate() {
        // the merges count as a pass over the articles, spread over the edges
        (e * n / edges.len()..(e + 1) * n / edges.len()).for_each(|x| tick(x, &merged));
        let (a, b) = (find(&mut parent, i), find(&mut parent, j));
        if a == b {
            continue;
        }
        if !close(
            mean_score(&members[a], &members[b]),
            opts.threshold - opts.link_margin,
        ) {
            continue;
        }
        merge(&mut parent, &mut members, a, b);
    }
    // second pass: articles left alone join the best group among their
    // neighbours' groups, if close enough to it on average
    if let Some(margin) = opts.attach_margin {
        for (i, nb) in knn.iter().enumerate() {
            let a = find(&mut parent, i);
            if members[a].len() != 1 {
                continue;
            }
            let mut best: Option<((f32, f32), usize)> = None;
            for &(j, _) in nb.iter().take(k_link) {
                let b = find(&mut parent, j);
                if b == a || best.is_some_and(|(_, g)| g == b) {
                    continue;
                }
                let m = mean_score(&[i], &members[b]);
                if best.is_none_or(|(s, g)| m.0 > s.0 || (m.0 == s.0 && b < g)) {
                    best = Some((m, b));
                }
            }
            if let Some((m, b)) = best {
                if close(m, opts.threshold - margin) {
                    merge(&mut parent, &mut members, a, b);
                }
            }
        }
    }
    let mut ids: HashMap<usize, usize> = HashMap::new();
    (0..n)
        .map(|i| {
            let r = find(&mut parent, i);
            let next = ids.len();
            *ids.entry(r).or_insert(next)
        })
        .collect()
}

/// How many steps [`cluster_with_progress`] goes through for `n`
/// articles: it passes over the articles to make the tf-idf vectors of
/// the words (and of the grams, when they are weighted), for each round of
/// the k-means of the inverted file (above [`ClusterOptions::exact_up_to`]
/// articles), and to search candidates, re-score them and merge. Each
/// article counts one step per pass, times the pass's weight, so that a
/// progress bar moves about evenly at 100,000 articles (on two cores:
/// tf-idf about 5 s for two passes, k-means 6 s for five rounds, search
/// 35 s, re-scoring 15 s, merges 7 s; the search of one article grows
/// with the batch, so in smaller ones the bar moves faster through it).
pub fn progress_steps(n: usize, opts: &ClusterOptions) -> usize {
    let tfidf = if opts.gram_weight > 0.0 { 2 } else { 1 };
    let kmeans = if n > opts.exact_up_to {
        KMEANS_ROUNDS
    } else {
        0
    };
    (tfidf + kmeans + WEIGHT_SEARCH + WEIGHT_RESCORE + WEIGHT_MERGE) * n
}

/// Progress weights of the passes of [`progress_steps`] (a tf-idf pass
/// or a k-means round weighs 1).
const WEIGHT_SEARCH: usize = 8;
const WEIGHT_RESCORE: usize = 4;
const WEIGHT_MERGE: usize = 2;

/// Default of [`ClusterOptions::exact_up_to`]: up to this many articles the
/// candidate search compares every pair exactly (the whole clustering of
/// 10,000 articles takes about 20 s on one core); above it, it probes an
/// inverted file ([`ivf_candidates`]).
pub const EXACT_SEARCH_UP_TO: usize = 20_000;

/// Reports progress in chunks of 256 items: called once per item `i`,
/// it reports 256 at every 256th.
fn tick(i: usize, progress: &(dyn Fn(usize) + Sync)) {
    if i % 256 == 255 {
        progress(256);
    }
}

/// For each row of `proxy` (`n` rows of `pd` floats), the other rows with
/// the highest dot product: at least the best `m` (see [`Top`]).
fn candidates(
    proxy: &[f32],
    pd: usize,
    m: usize,
    exact_up_to: usize,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<Vec<usize>> {
    let n = proxy.len() / pd.max(1);
    if n > exact_up_to {
        return ivf_candidates(proxy, pd, m, progress);
    }
    let searched = |m: usize| progress(WEIGHT_SEARCH * m);
    // Blocks of QUERY_BLOCK rows scan all rows together: each row read
    // serves the whole block from cache (9% faster at 20,000 articles).
    // Per query row, the same dot products are offered to the same
    // selection in the same order as a scan of its own (`top_by_dot`),
    // so the candidates are the same (unit test
    // `blocked_exact_search_equals_one_row_at_a_time`).
    let blocks: Vec<Vec<Vec<usize>>> = (0..n.div_ceil(QUERY_BLOCK))
        .into_par_iter()
        .map(|b| {
            let queries = b * QUERY_BLOCK..((b + 1) * QUERY_BLOCK).min(n);
            let row = |i: usize| &proxy[i * pd..(i + 1) * pd];
            let mut tops: Vec<Top> = queries.clone().map(|_| Top::new(m)).collect();
            for j in 0..n {
                let rj = row(j);
                for (top, i) in tops.iter_mut().zip(queries.clone()) {
                    if i != j {
                        top.offer(dot(row(i), rj), j);
                    }
                }
            }
            queries.for_each(|i| tick(i, &searched));
            tops.into_iter().map(Top::ids).collect()
        })
        .collect();
    blocks.into_iter().flatten().collect()
}

/// Query rows per block of the exact candidate search.
const QUERY_BLOCK: usize = 16;

/// A running selection of the highest scores: the best `m` offered and
/// possibly some more (up to `2m`, those over the running floor since the
/// last cut).
struct Top {
    best: Vec<(f32, usize)>,
    floor: f32,
    m: usize,
}

impl Top {
    fn new(m: usize) -> Self {
        Top {
            best: Vec::with_capacity(2 * m + 1),
            floor: f32::MIN,
            m,
        }
    }

    fn offer(&mut self, c: f32, j: usize) {
        if c > self.floor || self.best.len() < self.m {
            self.best.push((c, j));
            if self.best.len() > 2 * self.m {
                self.best
                    .sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                self.best.truncate(self.m);
                self.floor = self.best.last().unwrap().0;
            }
        }
    }

    /// The rows selected, in no particular order.
    fn ids(self) -> Vec<usize> {
        self.best.into_iter().map(|x| x.1).collect()
    }
}

/// The rows among `pool` (never `i` itself) with the highest dot product
/// with row `i`: the best `m` and possibly some more (see [`Top`]), in no
/// particular order. (The search itself scans in blocks, [`candidates`].)
#[cfg(test)]
fn top_by_dot(
    proxy: &[f32],
    pd: usize,
    i: usize,
    pool: impl Iterator<Item = usize>,
    m: usize,
) -> Vec<usize> {
    let ri = &proxy[i * pd..(i + 1) * pd];
    top_by(i, pool, m, |j| dot(ri, &proxy[j * pd..(j + 1) * pd]))
}

/// The rows among `pool` (never `i`) with the highest `score`: the best
/// `m` and possibly some more (see [`Top`]).
fn top_by(
    i: usize,
    pool: impl Iterator<Item = usize>,
    m: usize,
    score: impl Fn(usize) -> f32,
) -> Vec<usize> {
    let mut top = Top::new(m);
    for j in pool.filter(|&j| j != i) {
        top.offer(score(j), j);
    }
    top.ids()
}

/// Rows quantized to 8 bits for the scan of the inverted file: each row
/// scaled so its largest magnitude is 127. Scanning reads a quarter of the
/// bytes of the f32 rows, and the scan is bound by memory, not arithmetic;
/// the candidates it returns are re-scored exactly anyway.
struct Quantized {
    q: Vec<i8>,
    scale: Vec<f32>,
    pd: usize,
}

impl Quantized {
    fn new(proxy: &[f32], pd: usize) -> Self {
        let n = proxy.len() / pd;
        let mut q = vec![0i8; proxy.len()];
        let mut scale = vec![0f32; n];
        for x in 0..n {
            let r = &proxy[x * pd..(x + 1) * pd];
            let mx = r.iter().fold(0f32, |a, v| a.max(v.abs()));
            if mx > 0.0 {
                let k = 127.0 / mx;
                for (o, v) in q[x * pd..(x + 1) * pd].iter_mut().zip(r) {
                    *o = (v * k).round() as i8;
                }
                scale[x] = mx / 127.0;
            }
        }
        Quantized { q, scale, pd }
    }

    fn row(&self, x: usize) -> &[i8] {
        &self.q[x * self.pd..(x + 1) * self.pd]
    }

    /// About the dot product of rows `a` and `b` divided by row `a`'s
    /// scale (a constant for one query).
    fn score(&self, a: &[i8], b: usize) -> f32 {
        self.scale[b] * dot_i8(a, self.row(b)) as f32
    }
}

/// Integer dot product in 16 lanes (the compiler vectorizes it).
fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    let mut acc = [0i32; 16];
    let (ca, cb) = (a.chunks_exact(16), b.chunks_exact(16));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for l in 0..16 {
            acc[l] += i32::from(x[l]) * i32::from(y[l]);
        }
    }
    let mut s: i32 = acc.iter().sum();
    for (x, y) in ra.iter().zip(rb) {
        s += i32::from(*x) * i32::from(*y);
    }
    s
}

/// Rounds of k-means that make the lists of [`ivf_candidates`].
const KMEANS_ROUNDS: usize = 5;

/// Lists probed per article by [`ivf_candidates`].
const IVF_PROBES: usize = 12;

/// Candidate search for large batches, an inverted file (IVF, as in FAISS):
/// the rows are grouped into about √n lists by a few rounds of spherical
/// k-means (seeded by evenly spaced rows, so the result is deterministic),
/// and each row is compared only with the members of the [`IVF_PROBES`]
/// lists whose centroids are closest to it: about 12/√n of the pairs
/// (4% at 100,000 articles), on 8-bit copies of the rows ([`Quantized`]:
/// 30,000 articles clustered in 31 s instead of 52 s with f32 rows, the
/// same groups). Near neighbours almost always share a list or sit in a
/// close one; recall against the exact search is measured in the unit
/// tests and BENCHMARKS.md.
fn ivf_candidates(
    proxy: &[f32],
    pd: usize,
    m: usize,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<Vec<usize>> {
    let n = proxy.len() / pd;
    let row = |x: usize| &proxy[x * pd..(x + 1) * pd];
    let lists_n = ((n as f64).sqrt().round() as usize).clamp(1, n);
    let mut cent: Vec<f32> = (0..lists_n)
        .flat_map(|c| {
            let mut v = row(c * n / lists_n).to_vec();
            normalize(&mut v);
            v
        })
        .collect();
    // the `p` lists whose centroids are closest to row `x`, closest first
    // (ties: lower list first); a selection, not a sort of all √n lists,
    // since the k-means asks for the closest one of every row five times
    let nearest = |cent: &[f32], x: usize, p: usize| -> Vec<usize> {
        let mut d: Vec<(f32, usize)> = (0..lists_n)
            .map(|c| (dot(row(x), &cent[c * pd..(c + 1) * pd]), c))
            .collect();
        let order = |a: &(f32, usize), b: &(f32, usize)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if p < d.len() {
            d.select_nth_unstable_by(p - 1, order);
            d.truncate(p);
        }
        d.sort_by(order);
        d.into_iter().map(|x| x.1).collect()
    };
    let mut assign: Vec<usize> = Vec::new();
    for round in 0..KMEANS_ROUNDS {
        assign = (0..n)
            .into_par_iter()
            .map(|x| {
                tick(x, progress);
                nearest(&cent, x, 1)[0]
            })
            .collect();
        if round == KMEANS_ROUNDS - 1 {
            break;
        }
        let mut sums = vec![0f32; lists_n * pd];
        for (x, &c) in assign.iter().enumerate() {
            for (s, v) in sums[c * pd..(c + 1) * pd].iter_mut().zip(row(x)) {
                *s += v;
            }
        }
        for c in 0..lists_n {
            let v = &mut sums[c * pd..(c + 1) * pd];
            if v.iter().any(|&x| x != 0.0) {
                normalize(v);
                cent[c * pd..(c + 1) * pd].copy_from_slice(v);
            }
        }
    }
    let mut lists: Vec<Vec<usize>> = vec![Vec::new(); lists_n];
    for (x, &c) in assign.iter().enumerate() {
        lists[c].push(x);
    }
    let probes = IVF_PROBES.min(lists_n);
    let quant = Quantized::new(proxy, pd);
    let searched = |m: usize| progress(WEIGHT_SEARCH * m);
    (0..n)
        .into_par_iter()
        .map(|i| {
            let pool = nearest(&cent, i, probes)
                .into_iter()
                .flat_map(|c| lists[c].iter().copied());
            let qi = quant.row(i);
            let best = top_by(i, pool, m, |j| quant.score(qi, j));
            tick(i, &searched);
            best
        })
        .collect()
}

/// B-cubed precision, recall and F1 of predicted groups against gold groups.
pub fn bcubed(pred: &[usize], gold: &[usize]) -> (f64, f64, f64) {
    let per = bcubed_per_item(pred, gold);
    let n = per.len().max(1) as f64;
    let p = per.iter().map(|x| x.0).sum::<f64>() / n;
    let r = per.iter().map(|x| x.1).sum::<f64>() / n;
    (p, r, parallax_core::metrics::f1(p, r))
}

/// Each item's B-cubed precision (share of its predicted group in its
/// gold group) and recall (share of its gold group in its predicted
/// group); [`bcubed`] averages them.
pub fn bcubed_per_item(pred: &[usize], gold: &[usize]) -> Vec<(f64, f64)> {
    let n = pred.len();
    let mut pc: HashMap<usize, usize> = HashMap::new();
    let mut gc: HashMap<usize, usize> = HashMap::new();
    let mut both: HashMap<(usize, usize), usize> = HashMap::new();
    for i in 0..n {
        *pc.entry(pred[i]).or_default() += 1;
        *gc.entry(gold[i]).or_default() += 1;
        *both.entry((pred[i], gold[i])).or_default() += 1;
    }
    (0..n)
        .map(|i| {
            let c = both[&(pred[i], gold[i])] as f64;
            (c / pc[&pred[i]] as f64, c / gc[&gold[i]] as f64)
        })
        .collect()
}

/// Version of the `parallax cluster` / `GET /api/cluster` JSON
/// (docs/schema.md, "Cluster").
pub const CLUSTER_SCHEMA: &str = "cluster/1.1";

/// One story group in the JSON output.
#[derive(Serialize, Debug)]
pub struct Story {
    pub story: usize,
    pub size: usize,
    /// Why the members are together, in words: the names (among each
    /// member's most used) that at least half of the members, and at least
    /// two, use; most shared first, at most 5. Empty for a story of one.
    pub shared_names: Vec<String>,
    pub members: Vec<StoryMember>,
}

#[derive(Serialize, Debug)]
pub struct StoryMember {
    pub id: String,
    pub title: Option<String>,
}

/// Story groups as JSON-ready records, biggest first.
pub fn stories(
    labels: &[usize],
    docs: &[(String, Option<String>)],
    feats: &[DocFeatures],
) -> Vec<Story> {
    let mut by: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &l) in labels.iter().enumerate() {
        by.entry(l).or_default().push(i);
    }
    let mut v: Vec<Story> = by
        .into_values()
        .map(|m| Story {
            story: 0,
            size: m.len(),
            shared_names: shared_names(&m, feats),
            members: m
                .into_iter()
                .map(|i| StoryMember {
                    id: docs[i].0.clone(),
                    title: docs[i].1.clone(),
                })
                .collect(),
        })
        .collect();
    v.sort_by_key(|s| std::cmp::Reverse(s.size));
    for (k, s) in v.iter_mut().enumerate() {
        s.story = k;
    }
    v
}

/// The names that at least half of `members` (and at least two) have
/// among their most used, most shared first (then by name), at most 5.
/// A name is keyed by its last word, so "Governor Lagarde" in one article
/// and "Lagarde" in another are one name, shown in its shortest form.
fn shared_names(members: &[usize], feats: &[DocFeatures]) -> Vec<String> {
    if members.len() < 2 {
        return Vec::new();
    }
    // last word, lowercased -> (members using it, shortest form seen)
    let mut count: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for &i in members {
        let mut keys: BTreeMap<String, &str> = BTreeMap::new();
        for n in &feats[i].top_names {
            let key = n.split_whitespace().last().unwrap_or(n).to_lowercase();
            let e = keys.entry(key).or_insert(n);
            if n.len() < e.len() {
                *e = n;
            }
        }
        for (key, n) in keys {
            let e = count.entry(key).or_insert((0, n.to_string()));
            e.0 += 1;
            if n.len() < e.1.len() || (n.len() == e.1.len() && n < e.1.as_str()) {
                e.1 = n.to_string();
            }
        }
    }
    let need = members.len().div_ceil(2).max(2);
    let mut v: Vec<(usize, String)> = count.into_values().filter(|(c, _)| *c >= need).collect();
    v.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    v.into_iter().take(5).map(|x| x.1).collect()
}

/// Splits a text into `parts` contiguous pieces of about equal sentence
/// count (the synthetic "same story" groups of `parallax eval cluster`).
pub fn split_parts(doc: &Document, parts: usize) -> Vec<String> {
    let s = &doc.segments.sentences;
    if s.len() < parts {
        return Vec::new();
    }
    (0..parts)
        .map(|p| {
            let a = p * s.len() / parts;
            let b = (p + 1) * s.len() / parts;
            doc.text[s[a].span.start..s[b - 1].span.end].to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bcubed_perfect_and_lumped() {
        assert_eq!(bcubed(&[0, 0, 1, 1], &[5, 5, 7, 7]), (1.0, 1.0, 1.0));
        // item 2 sits alone: full precision, half its story's recall
        assert_eq!(bcubed_per_item(&[0, 0, 1, 2], &[5, 5, 7, 7])[2], (1.0, 0.5));
        let (p, r, _) = bcubed(&[0, 0, 0, 0], &[5, 5, 7, 7]);
        assert_eq!((p, r), (0.5, 1.0));
    }

    /// `n` unit rows of `pd` floats around `topics` random directions.
    fn clustered_rows(n: usize, pd: usize, topics: usize) -> Vec<f32> {
        let mut r = parallax_core::rng::SplitMix::new(3);
        let mut u = move || (r.next_u64() >> 11) as f32 / (1u64 << 53) as f32 - 0.5;
        let centers: Vec<f32> = (0..topics * pd).map(|_| u()).collect();
        (0..n)
            .flat_map(|i| {
                let c = &centers[(i % topics) * pd..(i % topics + 1) * pd];
                let mut v: Vec<f32> = c.iter().map(|x| x + 0.6 * u()).collect();
                normalize(&mut v);
                v
            })
            .collect()
    }

    /// The exact search, which scans in blocks of query rows, finds for
    /// each row the same candidates as a scan of that row alone, in the
    /// same order (a row count that leaves a partial last block).
    #[test]
    fn blocked_exact_search_equals_one_row_at_a_time() {
        let (n, pd, m) = (3 * QUERY_BLOCK + 5, 24, 6);
        let proxy = clustered_rows(n, pd, 7);
        let blocked = candidates(&proxy, pd, m, usize::MAX, &|_| {});
        assert_eq!(blocked.len(), n);
        for (i, got) in blocked.iter().enumerate() {
            assert_eq!(got, &top_by_dot(&proxy, pd, i, 0..n, m), "row {i}");
        }
    }

    #[test]
    fn inverted_file_finds_the_exact_neighbours() {
        let (n, pd, m) = (3000, 32, 40);
        let proxy = clustered_rows(n, pd, 150);
        let ivf = ivf_candidates(&proxy, pd, m, &|_| {});
        let all: Vec<usize> = (0..n).collect();
        // the exact 10 nearest of each row, as the clustering keeps them
        let (mut found, mut total) = (0usize, 0usize);
        for (i, cand) in ivf.iter().enumerate() {
            assert!(cand.len() >= m && !cand.contains(&i));
            let mut exact: Vec<(f32, usize)> = top_by_dot(&proxy, pd, i, all.iter().copied(), m)
                .into_iter()
                .map(|j| {
                    (
                        dot(&proxy[i * pd..(i + 1) * pd], &proxy[j * pd..(j + 1) * pd]),
                        j,
                    )
                })
                .collect();
            exact.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            for (_, j) in exact.iter().take(10) {
                total += 1;
                found += usize::from(cand.contains(j));
            }
        }
        let recall = found as f64 / total as f64;
        assert!(recall > 0.97, "recall of the exact 10 nearest: {recall}");
        // deterministic, whatever the thread schedule
        assert_eq!(ivf, ivf_candidates(&proxy, pd, m, &|_| {}));
        // and it does scan fewer rows: the probed lists hold a fraction
        let lists = (n as f64).sqrt().round() as usize;
        assert!(IVF_PROBES * 2 < lists);
    }

    #[test]
    fn progress_counts_the_articles_searched() {
        let proxy = clustered_rows(1000, 16, 20);
        let seen = std::sync::atomic::AtomicUsize::new(0);
        let add = |m: usize| {
            seen.fetch_add(m, std::sync::atomic::Ordering::Relaxed);
        };
        candidates(&proxy, 16, 8, usize::MAX, &add);
        // reported in steps of 256, never more than the rows (times the
        // weight of the search)
        assert_eq!(seen.into_inner(), 768 * WEIGHT_SEARCH);
        let seen = std::sync::atomic::AtomicUsize::new(0);
        ivf_candidates(&proxy, 16, 8, &|m| {
            seen.fetch_add(m, std::sync::atomic::Ordering::Relaxed);
        });
        // and the rounds of k-means before the search
        assert_eq!(seen.into_inner(), 768 * (KMEANS_ROUNDS + WEIGHT_SEARCH));
    }

    /// The whole clustering reports about `progress_steps` steps: every
    /// pass over the articles, less what is left of a last chunk of 256.
    #[test]
    fn progress_counts_every_pass_of_the_clustering() {
        let texts: Vec<String> = (0..600)
            .map(|i| {
                let s = &FLOOD[i % 5..i % 5 + 3];
                format!("{} Report number {i} from district {}.", s.join(" "), i % 7)
            })
            .collect();
        let feats: Vec<DocFeatures> = texts
            .iter()
            .map(|t| features(&Document::from_text("x", t)))
            .collect();
        for exact_up_to in [usize::MAX, 100] {
            let opts = ClusterOptions {
                exact_up_to,
                ..ClusterOptions::default()
            };
            let seen = std::sync::atomic::AtomicUsize::new(0);
            cluster_with_progress(&feats, &opts, &|m| {
                seen.fetch_add(m, std::sync::atomic::Ordering::Relaxed);
            });
            let (seen, steps) = (seen.into_inner(), progress_steps(600, &opts));
            let passes = steps / 600;
            assert_eq!(passes, if exact_up_to == 100 { 21 } else { 16 });
            // each pass reports its 600 articles as two chunks of 256
            assert_eq!(seen, passes * 512, "{seen} of {steps}");
        }
    }

    /// A key in one row only is dropped after the norm is taken (it never
    /// meets another row).
    #[test]
    fn tfidf_drops_keys_of_one_row_after_the_norm() {
        let a = Sparse::from_sorted([(1u32, 1.0), (2, 1.0)]);
        let b = Sparse::from_sorted([(1u32, 1.0)]);
        let c = Sparse::from_sorted([(3u32, 1.0)]);
        let t = tfidf(vec![a, b, c], &|_| {});
        let (w1, w2) = ((4f32 / 3.0).ln(), 2f32.ln());
        let norm = (w1 * w1 + w2 * w2).sqrt();
        assert_eq!(t[0], Sparse::from_sorted([(1u32, w1 / norm)]));
        assert_eq!(t[1], Sparse::from_sorted([(1u32, 1.0)]));
        assert!(t[2].is_empty());
    }

    #[test]
    fn groups_same_topic_apart_from_other() {
        let texts = [
            "The central bank raised interest rates by half a point on Tuesday, citing inflation. Governor Lagarde said more hikes may follow.",
            "Interest rates went up half a point as the central bank fights inflation, Lagarde told reporters on Tuesday.",
            "The football club won the cup final 3-1 after extra time in Madrid. Striker Benzema scored twice.",
            "Benzema scored two goals as the club beat its rivals 3-1 in the cup final in Madrid.",
        ];
        let feats: Vec<DocFeatures> = texts
            .iter()
            .map(|t| features(&Document::from_text("x", t)))
            .collect();
        let l = cluster(&feats, &ClusterOptions::default());
        assert_eq!(l[0], l[1]);
        assert_eq!(l[2], l[3]);
        assert_ne!(l[0], l[2]);
    }

    /// The sentences of one story (a flood), which the tests below cut into
    /// versions.
    const FLOOD: [&str; 8] = [
        "Heavy rain flooded the river valley overnight.",
        "Rescue teams evacuated two thousand residents from Riverton.",
        "The mayor of Riverton declared a state of emergency on Monday.",
        "Water levels on the Meuse rose four metres above normal.",
        "Three bridges were closed and the railway line was cut.",
        "Volunteers filled sandbags at the town hall through the night.",
        "Forecasters expect more rain until Thursday.",
        "Insurers said the damage could exceed fifty million euros.",
    ];

    /// A story of eight near-duplicate articles (close to `scale_k`, whose
    /// background is then the story itself) stays one group, apart from
    /// another story.
    #[test]
    fn big_story_of_near_duplicates_stays_one_group() {
        let flood = FLOOD;
        let budget = [
            "The finance minister presented the annual budget to parliament.",
            "Spending on schools rises by three percent next year.",
            "The opposition said the tax cuts favour the wealthy.",
            "Debt will fall to sixty percent of output by 2030, the ministry said.",
            "A vote on the budget is expected before Christmas.",
        ];
        // each story as several articles, each leaving one sentence out
        let mut texts: Vec<String> = Vec::new();
        for story in [&flood[..], &budget[..]] {
            for drop in 0..story.len() {
                let t: Vec<&str> = story
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != drop)
                    .map(|x| *x.1)
                    .collect();
                texts.push(t.join(" "));
            }
        }
        let feats: Vec<DocFeatures> = texts
            .iter()
            .map(|t| features(&Document::from_text("x", t)))
            .collect();
        let l = cluster(&feats, &ClusterOptions::default());
        let n = flood.len();
        assert!(l[..n].iter().all(|&x| x == l[0]), "{l:?}");
        assert!(l[n..].iter().all(|&x| x == l[n]), "{l:?}");
        assert_ne!(l[0], l[n]);
    }

    /// A story of 24 articles (far more than `scale_k`: every neighbour of
    /// each is the story itself, so local scaling scores its pairs about
    /// 0) stays one group through the sure links, apart from the
    /// unrelated articles beside it; without them it falls apart.
    #[test]
    fn story_larger_than_the_background_stays_whole() {
        let base = FLOOD;
        let mut texts: Vec<String> = Vec::new();
        for v in 0..24 {
            // each version leaves out one or two sentences
            let t: Vec<&str> = base
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != v % 8 && (v < 8 || *i != (v / 8 + v) % 8))
                .map(|x| *x.1)
                .collect();
            texts.push(t.join(" "));
        }
        let others = [
            "The finance minister presented the annual budget to parliament on Tuesday.",
            "The football club won the cup final after extra time in Madrid.",
            "A new vaccine against malaria was approved by regulators in Ghana.",
            "The central bank raised interest rates by half a point to fight inflation.",
        ];
        texts.extend(others.iter().map(|s| s.to_string()));
        let feats: Vec<DocFeatures> = texts
            .iter()
            .map(|t| features(&Document::from_text("x", t)))
            .collect();
        let l = cluster(&feats, &ClusterOptions::default());
        assert!(l[..24].iter().all(|&x| x == l[0]), "{l:?}");
        assert!(l[24..].iter().all(|&x| x != l[0]), "{l:?}");
        let off = ClusterOptions {
            sure_link: 1.0,
            ..ClusterOptions::default()
        };
        let l = cluster(&feats, &off);
        assert!(l[..24].iter().any(|&x| x != l[0]), "{l:?}");
        // the inverted-file path, forced on this small batch, gives the
        // same groups (its 5 lists are all probed here, so this checks the
        // path end to end; the probing itself is checked by
        // `inverted_file_finds_the_exact_neighbours`)
        let ivf = ClusterOptions {
            exact_up_to: 10,
            ..ClusterOptions::default()
        };
        assert_eq!(
            cluster(&feats, &ivf),
            cluster(&feats, &ClusterOptions::default())
        );
        // what the CLI runs: the same groups, with the word and gram
        // vectors taken out of the features (the names stay for `stories`)
        let mut taken = feats.clone();
        assert_eq!(
            cluster_taking(&mut taken, &ClusterOptions::default(), &|_| {}),
            cluster(&feats, &ClusterOptions::default())
        );
        assert!(taken
            .iter()
            .all(|f| f.terms.is_empty() && f.grams.is_empty()));
        assert!(taken
            .iter()
            .zip(&feats)
            .all(|(t, f)| t.names == f.names && t.top_names == f.top_names));
    }
}
