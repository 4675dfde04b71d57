//! `parallax eval embeddings --model-dir DIR TEXTS`: how closely the
//! embedded static table follows the full transformer, and how much faster
//! it is. Sentence pairs are drawn (seeded) from the articles in TEXTS:
//! half are nearby sentences of one article, half are sentences of two
//! different articles; each pair gets a cosine under both encoders.

use parallax_analyze::claims::model::SplitMix;
use parallax_compare::embed::{cosine, SentenceEncoder, StaticEmbedder};
use parallax_compare::full::FullModel;
use parallax_core::Document;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Ranks with ties averaged (for Spearman's rho).
fn ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0;
        for &k in &idx[i..=j] {
            r[k] = avg;
        }
        i = j + 1;
    }
    r
}

/// Pearson correlation of two equally long samples.
pub fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    if saa == 0.0 || sbb == 0.0 {
        0.0
    } else {
        sab / (saa * sbb).sqrt()
    }
}

/// Spearman's rank correlation.
pub fn spearman(a: &[f64], b: &[f64]) -> f64 {
    pearson(&ranks(a), &ranks(b))
}

pub fn run(model_dir: &Path, texts: &Path, pairs: usize, seed: u64) -> anyhow::Result<ExitCode> {
    let full = FullModel::load(model_dir).map_err(|e| anyhow::anyhow!("--model-dir: {e}"))?;
    let files = super::eval::txt_articles(texts)?;
    // Sentences of five words or more, per article.
    let mut arts: Vec<Vec<String>> = Vec::new();
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            eprintln!(
                "parallax: {}: not readable as UTF-8 text, skipped",
                f.display()
            );
            continue;
        };
        let doc = Document::from_text("x", &text);
        let s: Vec<String> = doc
            .segments
            .sentences
            .iter()
            .map(|s| doc.slice(&s.span).trim().to_string())
            .filter(|s| s.split_whitespace().count() >= 5)
            .collect();
        if s.len() >= 4 {
            arts.push(s);
        }
    }
    anyhow::ensure!(
        arts.len() >= 2,
        "{}: need at least two articles with four sentences or more",
        texts.display()
    );
    let mut rng = SplitMix::new(seed);
    let mut pick = |n: usize| (rng.next_u64() % n as u64) as usize;
    let mut list: Vec<(String, String, &str)> = Vec::new();
    for _ in 0..pairs {
        let a = pick(arts.len());
        let i = pick(arts[a].len() - 1);
        let j = (i + 1 + pick(3)).min(arts[a].len() - 1);
        list.push((arts[a][i].clone(), arts[a][j].clone(), "nearby"));
    }
    for _ in 0..pairs {
        let a = pick(arts.len());
        let mut b = pick(arts.len());
        if b == a {
            b = (a + 1) % arts.len();
        }
        let (i, j) = (pick(arts[a].len()), pick(arts[b].len()));
        list.push((arts[a][i].clone(), arts[b][j].clone(), "across"));
    }
    let mut sents: Vec<&str> = list
        .iter()
        .flat_map(|p| [p.0.as_str(), p.1.as_str()])
        .collect();
    sents.sort_unstable();
    sents.dedup();
    let words: usize = sents.iter().map(|s| s.split_whitespace().count()).sum();
    let st = StaticEmbedder::get();
    let encode_all = |e: &dyn SentenceEncoder| {
        let t = Instant::now();
        let v: std::collections::HashMap<&str, Vec<f32>> =
            sents.iter().map(|s| (*s, e.encode(s))).collect();
        (v, t.elapsed().as_secs_f64())
    };
    let (vs, ts) = encode_all(st);
    let (vf, tf) = encode_all(&full);
    let cs: Vec<f64> = list
        .iter()
        .map(|p| cosine(&vs[p.0.as_str()], &vs[p.1.as_str()]) as f64)
        .collect();
    let cf: Vec<f64> = list
        .iter()
        .map(|p| cosine(&vf[p.0.as_str()], &vf[p.1.as_str()]) as f64)
        .collect();
    println!(
        "embeddings: {} sentence pairs ({} nearby in one article, {} across articles) from {} articles of {}, seed {seed}",
        list.len(),
        pairs,
        pairs,
        arts.len(),
        texts.display()
    );
    println!(
        "agreement of pair cosines, static table vs full model: Spearman {:.4}  Pearson {:.4}",
        spearman(&cs, &cf),
        pearson(&cs, &cf)
    );
    for kind in ["nearby", "across"] {
        let m = |c: &[f64]| {
            let v: Vec<f64> = list
                .iter()
                .zip(c)
                .filter(|(p, _)| p.2 == kind)
                .map(|(_, x)| *x)
                .collect();
            v.iter().sum::<f64>() / v.len().max(1) as f64
        };
        println!(
            "mean cosine of {kind} pairs: static {:.4}  full {:.4}",
            m(&cs),
            m(&cf)
        );
    }
    let sps = sents.len() as f64 / ts.max(1e-9);
    let spf = sents.len() as f64 / tf.max(1e-9);
    println!(
        "speed, one thread, {} sentences ({} words): static {:.0} sentences/s, full {:.1} sentences/s: static is {:.0}x faster",
        sents.len(),
        words,
        sps,
        spf,
        sps / spf.max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correlations() {
        let a = [1.0, 2.0, 3.0, 4.0];
        assert!((pearson(&a, &[2.0, 4.0, 6.0, 8.0]) - 1.0).abs() < 1e-12);
        assert!((spearman(&a, &[1.0, 10.0, 100.0, 1000.0]) - 1.0).abs() < 1e-12);
        assert!((spearman(&a, &[4.0, 3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
        assert_eq!(ranks(&[5.0, 1.0, 5.0]), vec![1.5, 0.0, 1.5]);
    }
}
