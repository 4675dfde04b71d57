//! Throughput of the `quantities` and `claims` layers.
//!
//! ```text
//! cargo run --release -p parallax-analyze --example bench_claims -- ../shared/data/ptc/train-articles
//! ```
//!
//! Reads every `.txt` article of the folder, builds the documents (ingest
//! and segmentation are not timed), then times each layer alone over all
//! documents, best of 5 rounds.

use parallax_analyze::{claims, quantities};
use parallax_core::Document;
use std::time::Instant;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/data/ptc/train-articles".into());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let docs: Vec<Document> = files
        .iter()
        .map(|p| {
            let t = std::fs::read_to_string(p).unwrap();
            Document::from_text(&p.display().to_string(), &t)
        })
        .collect();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let sentences: usize = docs.iter().map(|d| d.segments.sentences.len()).sum();
    println!(
        "{} articles, {} sentences, {:.2} MB, 1 thread",
        docs.len(),
        sentences,
        bytes as f64 / 1e6
    );
    // Load the embedded model before timing.
    let _ = claims::embedded_model();
    let time = |name: &str, f: &mut dyn FnMut(&Document) -> usize| {
        let mut best = f64::INFINITY;
        let mut n = 0;
        for _ in 0..5 {
            let t = Instant::now();
            n = docs.iter().map(&mut *f).sum();
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!(
            "{name:<11} {:>8.1} ms  {:>9.0} docs/s  {:>10.0} sentences/s  {:>6.1} MB/s  ({n} findings)",
            best * 1e3,
            docs.len() as f64 / best,
            sentences as f64 / best,
            bytes as f64 / 1e6 / best
        );
    };
    time("quantities", &mut |d| {
        let l = quantities::analyze(d);
        l.quantities.len() + l.dates.len()
    });
    time("claims", &mut |d| claims::analyze(d).check_worthy);
}
