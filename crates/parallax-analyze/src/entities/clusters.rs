//! Word clusters from raw text with the exchange algorithm (Kneser & Ney
//! 1993; Martin, Liermann & Ney 1998): words are moved between a fixed
//! number of classes to maximize the likelihood of a class bigram model, so
//! words used in the same contexts ("Monday"/"Tuesday", "Clinton"/"Yeltsin")
//! share a class. The tagger uses the class ids as features, which helps on
//! words it saw rarely or never with a label.
//!
//! Deterministic: words are visited by descending frequency (ties by
//! spelling), classes initialized round-robin; no randomness is involved.

use std::collections::HashMap;

#[inline]
fn xlogx(x: f64) -> f64 {
    if x <= 0.0 {
        0.0
    } else {
        x * x.ln()
    }
}

/// Minimum count for a word to get its own cluster id.
const MIN_COUNT: u32 = 2;

/// Clusters the lowercase words of `sents` at two granularities
/// (`ks = [coarse, fine]`), with `iters` exchange passes each.
pub fn cluster(
    sents: &[Vec<String>],
    ks: [usize; 2],
    iters: usize,
    _seed: u64,
) -> HashMap<String, [u16; 2]> {
    // Vocabulary by frequency; rare words share one pseudo-word.
    let mut freq: HashMap<&str, u32> = HashMap::new();
    for s in sents {
        for w in s {
            *freq.entry(w.as_str()).or_default() += 1;
        }
    }
    let mut vocab: Vec<(&str, u32)> = freq
        .iter()
        .filter(|(_, &c)| c >= MIN_COUNT)
        .map(|(&w, &c)| (w, c))
        .collect();
    vocab.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let rare = vocab.len() as u32;
    let boundary = rare + 1;
    let id: HashMap<&str, u32> = vocab
        .iter()
        .enumerate()
        .map(|(i, (w, _))| (*w, i as u32))
        .collect();
    let nw = vocab.len() + 2;
    // Bigram counts (successors and predecessors of each word), sentence
    // boundaries as a word of their own; self-bigrams are left out.
    let mut succ: Vec<HashMap<u32, u32>> = vec![HashMap::new(); nw];
    let mut pred: Vec<HashMap<u32, u32>> = vec![HashMap::new(); nw];
    for s in sents {
        let mut prev = boundary;
        for w in s
            .iter()
            .map(|w| *id.get(w.as_str()).unwrap_or(&rare))
            .chain([boundary])
        {
            if w != prev {
                *succ[prev as usize].entry(w).or_default() += 1;
                *pred[w as usize].entry(prev).or_default() += 1;
            }
            prev = w;
        }
    }
    let succ: Vec<Vec<(u32, u32)>> = succ.into_iter().map(sorted).collect();
    let pred: Vec<Vec<(u32, u32)>> = pred.into_iter().map(sorted).collect();
    let mut out: HashMap<String, [u16; 2]> =
        vocab.iter().map(|(w, _)| (w.to_string(), [0, 0])).collect();
    for (g, &k) in ks.iter().enumerate() {
        let classes = exchange(&succ, &pred, k.max(2), iters);
        for (i, (w, _)) in vocab.iter().enumerate() {
            out.get_mut(*w).expect("in vocab")[g] = classes[i] as u16;
        }
    }
    out
}

fn sorted(m: HashMap<u32, u32>) -> Vec<(u32, u32)> {
    let mut v: Vec<(u32, u32)> = m.into_iter().collect();
    v.sort_unstable();
    v
}

/// The exchange algorithm proper over word ids `0..n` (already sorted by
/// descending frequency). Returns the class of each word.
fn exchange(
    succ: &[Vec<(u32, u32)>],
    pred: &[Vec<(u32, u32)>],
    k: usize,
    iters: usize,
) -> Vec<usize> {
    let n = succ.len();
    let mut class: Vec<usize> = (0..n).map(|i| i % k).collect();
    // Class bigram matrix and marginals.
    let mut m = vec![0f64; k * k];
    let mut nl = vec![0f64; k];
    let mut nr = vec![0f64; k];
    for (w, s) in succ.iter().enumerate() {
        for &(v, c) in s {
            m[class[w] * k + class[v as usize]] += c as f64;
            nl[class[w]] += c as f64;
            nr[class[v as usize]] += c as f64;
        }
    }
    let mut lw = vec![0f64; k];
    let mut rw = vec![0f64; k];
    let mut lnz: Vec<usize> = Vec::new();
    let mut rnz: Vec<usize> = Vec::new();
    for _ in 0..iters {
        let mut moved = 0;
        for w in 0..n {
            // Class counts of w's predecessors (lw) and successors (rw).
            lnz.clear();
            rnz.clear();
            for &(v, c) in &pred[w] {
                let cl = class[v as usize];
                if lw[cl] == 0.0 {
                    lnz.push(cl);
                }
                lw[cl] += c as f64;
            }
            for &(v, c) in &succ[w] {
                let cl = class[v as usize];
                if rw[cl] == 0.0 {
                    rnz.push(cl);
                }
                rw[cl] += c as f64;
            }
            let wl: f64 = rnz.iter().map(|&c| rw[c]).sum();
            let wr: f64 = lnz.iter().map(|&c| lw[c]).sum();
            // Remove w from its class.
            let a = class[w];
            for &c in &lnz {
                m[c * k + a] -= lw[c];
            }
            for &c in &rnz {
                m[a * k + c] -= rw[c];
            }
            nl[a] -= wl;
            nr[a] -= wr;
            // Best class to add it to.
            let mut best = a;
            let mut best_gain = f64::NEG_INFINITY;
            for b in 0..k {
                let mut g = 0.0;
                for &c in &lnz {
                    if c != b {
                        let x = m[c * k + b];
                        g += xlogx(x + lw[c]) - xlogx(x);
                    }
                }
                for &c in &rnz {
                    if c != b {
                        let x = m[b * k + c];
                        g += xlogx(x + rw[c]) - xlogx(x);
                    }
                }
                let x = m[b * k + b];
                g += xlogx(x + lw[b] + rw[b]) - xlogx(x);
                g -= xlogx(nl[b] + wl) - xlogx(nl[b]);
                g -= xlogx(nr[b] + wr) - xlogx(nr[b]);
                if g > best_gain + 1e-9 {
                    best_gain = g;
                    best = b;
                }
            }
            // Add it there.
            for &c in &lnz {
                if c != best {
                    m[c * k + best] += lw[c];
                }
            }
            for &c in &rnz {
                if c != best {
                    m[best * k + c] += rw[c];
                }
            }
            m[best * k + best] += lw[best] + rw[best];
            nl[best] += wl;
            nr[best] += wr;
            if best != a {
                moved += 1;
                class[w] = best;
            }
            for &c in &lnz {
                lw[c] = 0.0;
            }
            for &c in &rnz {
                rw[c] = 0.0;
            }
        }
        if moved == 0 {
            break;
        }
    }
    class
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_the_same_contexts_share_a_class() {
        let mut sents = Vec::new();
        for (day, name) in [
            ("monday", "smith"),
            ("tuesday", "jones"),
            ("friday", "brown"),
        ] {
            for _ in 0..5 {
                sents.push(
                    format!("on {day} the talks ended")
                        .split(' ')
                        .map(String::from)
                        .collect::<Vec<_>>(),
                );
                sents.push(
                    format!("mr {name} said it was over")
                        .split(' ')
                        .map(String::from)
                        .collect::<Vec<_>>(),
                );
            }
        }
        let c = cluster(&sents, [2, 6], 10, 0);
        assert_eq!(c["monday"][1], c["tuesday"][1]);
        assert_eq!(c["monday"][1], c["friday"][1]);
        assert_eq!(c["smith"][1], c["jones"][1]);
        assert_ne!(c["monday"][1], c["smith"][1]);
        // Deterministic.
        assert_eq!(c, cluster(&sents, [2, 6], 10, 0));
    }
}
