//! Speed of compare and cluster (no criterion: plain timing, median of runs).
//!
//!     RAYON_NUM_THREADS=1 cargo bench -p parallax-compare --bench speed
//!
//! compare: two ~1,500-word articles (the shared samples topped up with a
//! PolNeAR dev article), one core, embedded static encoder; reports the
//! median of 20 runs of (segmentation + comparison) and of the comparison alone.
//! cluster: 10,000 article-sized documents built from the PolNeAR, PTC and
//! CoNLL texts in ../shared/data (each text reused with different sentence
//! subsets until 10,000), features + clustering; also B-cubed of the groups
//! against the source text of each variant (big same-story groups).

use parallax_analyze::Pipeline;
use parallax_compare::cluster::{self, ClusterOptions};
use parallax_compare::Comparer;
use parallax_core::Document;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn words(t: &str, n: usize) -> String {
    t.split_inclusive(char::is_whitespace).take(n).collect()
}

fn txts(dir: &Path) -> Vec<String> {
    let mut f: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    f.retain(|p| p.extension().is_some_and(|x| x == "txt"));
    f.sort();
    f.iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let d = data();
    let samples = txts(&d.join("samples"));
    let dev = txts(&d.join("data/polnear/dev/text"));
    assert!(samples.len() >= 2, "needs ../shared/samples");
    let a = words(
        &format!(
            "{}\n\n{}",
            samples[0],
            dev.first().cloned().unwrap_or_default()
        ),
        1500,
    );
    let b = words(
        &format!(
            "{}\n\n{}",
            samples[1],
            dev.get(1).cloned().unwrap_or_default()
        ),
        1500,
    );
    let wa = a.split_whitespace().count();
    let wb = b.split_whitespace().count();
    let p = Pipeline::default();
    let c = Comparer::default();
    let _ = c.compare(&[
        p.analyze(Document::from_text("a", &a)),
        p.analyze(Document::from_text("b", &b)),
    ]);
    let (mut full, mut only) = (Vec::new(), Vec::new());
    for _ in 0..20 {
        let t0 = Instant::now();
        let an = [
            p.analyze(Document::from_text("a", &a)),
            p.analyze(Document::from_text("b", &b)),
        ];
        let t1 = Instant::now();
        let r = c.compare(&an);
        let t2 = Instant::now();
        assert!(!r.articles.is_empty());
        full.push((t2 - t0).as_secs_f64() * 1e3);
        only.push((t2 - t1).as_secs_f64() * 1e3);
    }
    println!(
        "compare {wa}+{wb} words, {} thread(s): median {:.1} ms end to end (segment + analyze + compare), {:.1} ms compare alone",
        rayon::current_num_threads(),
        median(full),
        median(only)
    );

    let mut pool: Vec<String> = txts(&d.join("data/polnear/train/text"));
    pool.extend(txts(&d.join("data/polnear/dev/text")));
    pool.extend(txts(&d.join("data/ptc/train-articles")));
    if pool.is_empty() {
        println!("cluster: skipped (no ../shared/data)");
        return;
    }
    // PARALLAX_BENCH_CLUSTER_N: batch size (10,000 by default); above
    // cluster::EXACT_SEARCH_UP_TO the neighbour search probes an inverted
    // file, and PARALLAX_BENCH_EXACT_TOO=1 also runs the exact search on
    // the same batch for the time ratio and the agreement of the groups
    let n: usize = std::env::var("PARALLAX_BENCH_CLUSTER_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let docs: Vec<String> = (0..n)
        .map(|i| {
            let t = &pool[i % pool.len()];
            let round = i / pool.len();
            // variant: drop every (round+2)-th paragraph
            t.split('\n')
                .enumerate()
                .filter(|(k, _)| round == 0 || k % (round + 2) != 1)
                .map(|x| x.1)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    let words_total: usize = docs.iter().map(|t| t.split_whitespace().count()).sum();
    let t0 = Instant::now();
    let feats: Vec<_> = docs
        .par_iter()
        .map(|t| cluster::features(&Document::from_text("d", t)))
        .collect();
    let t1 = Instant::now();
    let labels = cluster::cluster(&feats, &ClusterOptions::default());
    let t2 = Instant::now();
    let groups = labels
        .iter()
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    // the variants of one source text should form one group (big groups:
    // about 10000 / pool size variants each)
    let source: Vec<usize> = (0..n).map(|i| i % pool.len()).collect();
    let (p, r, f) = cluster::bcubed(&labels, &source);
    println!(
        "cluster {n} documents ({} words avg), {} thread(s): {:.1} s total = {:.1} s reading+features + {:.1} s clustering; {groups} groups for {} source texts (B-cubed P {p:.3} R {r:.3} F1 {f:.3} against the source of each variant)",
        words_total / n,
        rayon::current_num_threads(),
        (t2 - t0).as_secs_f64(),
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64(),
        pool.len()
    );
    if n > cluster::EXACT_SEARCH_UP_TO
        && std::env::var("PARALLAX_BENCH_EXACT_TOO").is_ok_and(|v| v == "1")
    {
        let t3 = Instant::now();
        let exact = cluster::cluster(
            &feats,
            &ClusterOptions {
                exact_up_to: usize::MAX,
                ..Default::default()
            },
        );
        let t4 = Instant::now();
        let (ep, er, ef) = cluster::bcubed(&exact, &source);
        let (ap, ar, af) = cluster::bcubed(&labels, &exact);
        println!(
            "  same batch, exact neighbour search: {:.1} s clustering ({:.1}x the inverted file's time); B-cubed P {ep:.3} R {er:.3} F1 {ef:.3} against the sources; inverted-file groups against exact groups: B-cubed P {ap:.4} R {ar:.4} F1 {af:.4}",
            (t4 - t3).as_secs_f64(),
            (t4 - t3).as_secs_f64() / (t2 - t1).as_secs_f64()
        );
    }
}
