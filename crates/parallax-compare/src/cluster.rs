//! Story clustering: groups articles about the same story, with no fixed
//! number of groups.
//!
//! Each article becomes a document vector (the static embedding of its
//! whole text, centered on the batch mean) plus the set of names it uses
//! (capitalized names, aliases folded). Two articles are linked when each
//! is among the other's `k` nearest neighbours and their similarity
//! (`(1-w)·cosine + w·Jaccard(names)`) reaches the threshold; stories are
//! the groups of an average-linkage merge over those links (a link between
//! two groups holds only if the mean similarity of all their cross pairs
//! that were computed stays over the threshold), so one loose link does
//! not chain two stories together. Neighbours are exact (blocked, parallel
//! brute force over 256-d int8-derived vectors): 10,000 articles take
//! seconds (BENCHMARKS.md).

use crate::embed::{normalize, StaticEmbedder};
use crate::evidence;
use parallax_core::Document;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Clone, Debug)]
pub struct ClusterOptions {
    pub threshold: f32,
    pub k: usize,
    /// Weight of the Jaccard overlap of names.
    pub name_weight: f32,
    /// Weight of the tf-idf cosine of content words (the rest: embedding cosine).
    pub term_weight: f32,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            threshold: 0.30,
            k: 10,
            name_weight: 0.2,
            term_weight: 0.4,
        }
    }
}

/// What clustering keeps of one article.
#[derive(Clone, Debug)]
pub struct DocFeatures {
    pub vec: Vec<f32>,
    /// Hashes of the lowercased names the article uses, sorted, deduplicated.
    pub names: Vec<u64>,
    /// (hash of a content-word stem, 1 + ln tf), sorted by hash.
    pub terms: Vec<(u64, f32)>,
}

fn hash(s: &str) -> u64 {
    // FNV-1a: stable across runs and platforms
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

pub fn features(doc: &Document) -> DocFeatures {
    let e = StaticEmbedder::get();
    let mut vec = vec![0f32; crate::embed::SentenceEncoder::dim(e)];
    e.sum_into(&doc.text, &mut vec);
    normalize(&mut vec);
    let mut names: Vec<u64> = Vec::new();
    for s in &doc.segments.sentences {
        let t = &doc.text[s.span.start..s.span.end];
        for (a, b) in evidence::names(t) {
            let n = &t[a..b];
            let n = crate::rules::alias_of(n).unwrap_or(n);
            names.push(hash(&n.to_lowercase()));
        }
    }
    names.sort_unstable();
    names.dedup();
    let words = evidence::words(&doc.text);
    let mut tf: BTreeMap<u64, f32> = BTreeMap::new();
    for st in crate::stems_all(&words) {
        *tf.entry(hash(&st)).or_default() += 1.0;
    }
    let terms = tf.into_iter().map(|(h, c)| (h, 1.0 + c.ln())).collect();
    DocFeatures { vec, names, terms }
}

fn sparse_dot(a: &[(u64, f32)], b: &[(u64, f32)]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

fn jaccard(a: &[u64], b: &[u64]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut c) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                c += 1;
                i += 1;
                j += 1;
            }
        }
    }
    c as f32 / (a.len() + b.len() - c) as f32
}

/// Groups the articles; returns a group id per article (groups numbered by
/// their first member, in input order).
pub fn cluster(feats: &[DocFeatures], opts: &ClusterOptions) -> Vec<usize> {
    let n = feats.len();
    if n == 0 {
        return Vec::new();
    }
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
    // tf-idf over this batch, L2-normalized
    let mut df: HashMap<u64, u32> = HashMap::new();
    for f in feats {
        for (h, _) in &f.terms {
            *df.entry(*h).or_default() += 1;
        }
    }
    let terms: Vec<Vec<(u64, f32)>> = feats
        .par_iter()
        .map(|f| {
            let mut v: Vec<(u64, f32)> = f
                .terms
                .iter()
                .map(|(h, w)| (*h, w * ((1.0 + n as f32) / (1.0 + df[h] as f32)).ln()))
                .collect();
            let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|x| x.1 /= norm);
            }
            v
        })
        .collect();
    let (wn, wt) = (opts.name_weight, opts.term_weight);
    let sim = |i: usize, j: usize| {
        let c: f32 = row(i).iter().zip(row(j)).map(|(a, b)| a * b).sum();
        (1.0 - wn - wt) * c
            + wn * jaccard(&feats[i].names, &feats[j].names)
            + wt * sparse_dot(&terms[i], &terms[j])
    };
    let k = opts.k.min(n.saturating_sub(1));
    // exact k nearest neighbours by cosine, then re-scored with names
    let knn: Vec<Vec<(usize, f32)>> = (0..n)
        .into_par_iter()
        .map(|i| {
            let ri = row(i);
            let mut best: Vec<(f32, usize)> = Vec::with_capacity(4 * k + 1);
            let mut floor = f32::MIN;
            for j in 0..n {
                if j == i {
                    continue;
                }
                let c: f32 = ri.iter().zip(row(j)).map(|(a, b)| a * b).sum();
                if c > floor || best.len() < 4 * k {
                    best.push((c, j));
                    if best.len() > 8 * k {
                        best.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                        best.truncate(4 * k);
                        floor = best.last().unwrap().0;
                    }
                }
            }
            let mut cand: Vec<(usize, f32)> =
                best.into_iter().map(|(_, j)| (j, sim(i, j))).collect();
            cand.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            cand.truncate(k);
            cand
        })
        .collect();
    // mutual kNN edges over the threshold, strongest first
    let mut edges: Vec<(f32, usize, usize)> = Vec::new();
    for i in 0..n {
        for &(j, s) in &knn[i] {
            if i < j && s >= opts.threshold && knn[j].iter().any(|&(x, _)| x == i) {
                edges.push((s, i, j));
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
    for &(_, i, j) in &edges {
        let (a, b) = (find(&mut parent, i), find(&mut parent, j));
        if a == b {
            continue;
        }
        // mean similarity over cross pairs (sampled for big groups)
        let (ma, mb) = (&members[a], &members[b]);
        let step_a = (ma.len() / 16).max(1);
        let step_b = (mb.len() / 16).max(1);
        let mut tot = 0.0;
        let mut cnt = 0usize;
        for &x in ma.iter().step_by(step_a) {
            for &y in mb.iter().step_by(step_b) {
                tot += sim(x, y);
                cnt += 1;
            }
        }
        if tot / (cnt as f32) < opts.threshold * 0.85 {
            continue;
        }
        let (keep, gone) = if a < b { (a, b) } else { (b, a) };
        parent[gone] = keep;
        let moved = std::mem::take(&mut members[gone]);
        members[keep].extend(moved);
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

/// B-cubed precision, recall and F1 of predicted groups against gold groups.
pub fn bcubed(pred: &[usize], gold: &[usize]) -> (f64, f64, f64) {
    let n = pred.len();
    let mut pc: HashMap<usize, usize> = HashMap::new();
    let mut gc: HashMap<usize, usize> = HashMap::new();
    let mut both: HashMap<(usize, usize), usize> = HashMap::new();
    for i in 0..n {
        *pc.entry(pred[i]).or_default() += 1;
        *gc.entry(gold[i]).or_default() += 1;
        *both.entry((pred[i], gold[i])).or_default() += 1;
    }
    let (mut p, mut r) = (0.0, 0.0);
    for i in 0..n {
        let c = both[&(pred[i], gold[i])] as f64;
        p += c / pc[&pred[i]] as f64;
        r += c / gc[&gold[i]] as f64;
    }
    p /= n as f64;
    r /= n as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

/// One story group in the JSON output.
#[derive(Serialize, Debug)]
pub struct Story {
    pub story: usize,
    pub size: usize,
    pub members: Vec<StoryMember>,
}

#[derive(Serialize, Debug)]
pub struct StoryMember {
    pub id: String,
    pub title: Option<String>,
}

/// Story groups as JSON-ready records, biggest first.
pub fn stories(labels: &[usize], docs: &[(String, Option<String>)]) -> Vec<Story> {
    let mut by: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &l) in labels.iter().enumerate() {
        by.entry(l).or_default().push(i);
    }
    let mut v: Vec<Story> = by
        .into_values()
        .map(|m| Story {
            story: 0,
            size: m.len(),
            members: m
                .into_iter()
                .map(|i| StoryMember {
                    id: docs[i].0.clone(),
                    title: docs[i].1.clone(),
                })
                .collect(),
        })
        .collect();
    v.sort_by(|a, b| b.size.cmp(&a.size));
    for (k, s) in v.iter_mut().enumerate() {
        s.story = k;
    }
    v
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
        let (p, r, _) = bcubed(&[0, 0, 0, 0], &[5, 5, 7, 7]);
        assert_eq!((p, r), (0.5, 1.0));
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
        let l = cluster(
            &feats,
            &ClusterOptions {
                threshold: 0.3,
                ..Default::default()
            },
        );
        assert_eq!(l[0], l[1]);
        assert_eq!(l[2], l[3]);
        assert_ne!(l[0], l[2]);
    }
}
