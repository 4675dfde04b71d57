//! Would a fine-tuned encoder's word probabilities, mixed into the span
//! tagger's token probabilities, reach the SI target of issue #5?
//!
//! `bench/techniques_finetune.py MODEL_DIR 2 DUMP` fine-tunes
//! all-MiniLM-L6-v2 as a word tagger on 301 of the 334 training articles
//! and writes its word probabilities for the other 33 (`dev-ids.txt`, a
//! seeded tenth) and for the 37 held-out articles of the shipped model.
//! Here, on the 33 dev articles, the tagger's probabilities come from a
//! tagger fit on the same 301 articles (so neither side saw them); the
//! mixing weight `a` (p = (1 - a) · tagger + a · encoder, per token, the
//! encoder's value the mean of the words that overlap the token) and the
//! threshold and peak of the decoding (gap and fill as shipped) are chosen
//! there; the held-out articles are then scored once with the shipped
//! tagger and that setting.
//!
//! ```sh
//! cargo run --release -p parallax-analyze --example techniques_fusion -- ../shared/data/ptc DUMP
//! ```

use parallax_analyze::techniques::features::DocCtx;
use parallax_analyze::techniques::metric::{Fragment, Score, Task};
use parallax_analyze::techniques::model::LinearModel;
use parallax_analyze::techniques::train::{self as tt, Example, TrainConfig};
use parallax_analyze::techniques::{ptc, DEFAULT_MODEL};
use std::collections::HashMap;
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (data, dump) = (PathBuf::from(&args[1]), PathBuf::from(&args[2]));
    let articles = ptc::load_articles(&data.join("train-articles")).expect("articles");
    let labels = ptc::load_labels(&data.join("train-labels-TC")).expect("labels");
    let exs = tt::examples(&articles, &labels);
    let shipped: &LinearModel = &DEFAULT_MODEL;
    let held = &shipped.meta.validation_ids;
    let dev: Vec<String> = std::fs::read_to_string(dump.join("dev-ids.txt"))
        .expect("dev-ids.txt")
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let mut words: HashMap<String, Vec<(usize, usize, f32)>> = HashMap::new();
    for l in std::fs::read_to_string(dump.join("words.tsv"))
        .expect("words.tsv")
        .lines()
    {
        let f: Vec<&str> = l.split('\t').collect();
        words.entry(f[0].to_string()).or_default().push((
            f[1].parse().unwrap(),
            f[2].parse().unwrap(),
            f[3].parse().unwrap(),
        ));
    }
    let rest: Vec<&Example> = exs
        .iter()
        .filter(|e| !held.contains(&e.doc.meta.id) && !dev.contains(&e.doc.meta.id))
        .collect();
    eprintln!(
        "tagger fit on {} articles; dev {}, held-out {}",
        rest.len(),
        dev.len(),
        held.len()
    );
    let tagger = tt::tagger_only(&rest, &TrainConfig::default());
    // (example, context, tagger probabilities, encoder probabilities)
    let side = |ids: &[String], m: &LinearModel| -> Vec<(&Example, Vec<f32>, Vec<f32>)> {
        exs.iter()
            .filter(|e| ids.contains(&e.doc.meta.id))
            .map(|e| {
                let ctx = DocCtx::new(&e.doc);
                let pt = m.token_probs(&ctx);
                let ws = words
                    .get(&e.doc.meta.id)
                    .map(|v| v.as_slice())
                    .unwrap_or(&[]);
                let pe = e
                    .doc
                    .segments
                    .tokens
                    .iter()
                    .zip(&pt)
                    .map(|(t, &p)| {
                        let s = e.doc.span(t.span.start, t.span.end);
                        let hits: Vec<f32> = ws
                            .iter()
                            .filter(|w| w.0 < s.cp_end && w.1 > s.cp_start)
                            .map(|w| w.2)
                            .collect();
                        if hits.is_empty() {
                            p
                        } else {
                            hits.iter().sum::<f32>() / hits.len() as f32
                        }
                    })
                    .collect();
                (e, pt, pe)
            })
            .collect()
    };
    let dev_side = side(&dev, &tagger);
    let held_side = side(held, shipped);
    let shipped_gf = (shipped.meta.gap, shipped.meta.fill);
    // FUSE_FULL_GRID: also choose gap and fill on dev (as training does)
    let gfs: Vec<(usize, f32)> = if std::env::var("FUSE_FULL_GRID").is_ok() {
        [2.0f32, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2]
            .iter()
            .flat_map(|&f| [0usize, 1, 2].map(|g| (g, f)))
            .collect()
    } else {
        vec![shipped_gf]
    };
    let in_logits = std::env::var("FUSE_LOGITS").is_ok();
    let logit = |p: f32| {
        let p = p.clamp(1e-6, 1.0 - 1e-6);
        (p / (1.0 - p)).ln()
    };
    // mix in probability space, or (`in_logits`) in log-odds
    let score =
        |set: &[(&Example, Vec<f32>, Vec<f32>)], a: f32, thr: f32, peak: f32, gf: (usize, f32)| {
            let mut sc = Score::default();
            for (e, pt, pe) in set {
                let ctx = DocCtx::new(&e.doc);
                let (gap, fill) = gf;
                let p: Vec<f32> = pt
                    .iter()
                    .zip(pe)
                    .map(|(&x, &y)| {
                        if in_logits {
                            1.0 / (1.0 + (-((1.0 - a) * logit(x) + a * logit(y))).exp())
                        } else {
                            (1.0 - a) * x + a * y
                        }
                    })
                    .collect();
                let pred: Vec<Fragment> = LinearModel::decode(&ctx, &p, thr, gap, fill, peak)
                    .iter()
                    .map(|c| Fragment::new(c.span.cp_start, c.span.cp_end, None))
                    .collect();
                sc.add_article(&pred, &e.gold, Task::Si);
            }
            sc
        };
    println!(
        "shipped decoding: threshold {} gap {} fill {} peak {}; held-out with it, tagger alone: {}",
        shipped.meta.threshold,
        shipped_gf.0,
        shipped_gf.1,
        shipped.meta.peak,
        score(
            &held_side,
            0.0,
            shipped.meta.threshold,
            shipped.meta.peak,
            shipped_gf
        )
        .summary()
    );
    let peaks = [0.0f32, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];
    let mut best_all = (-1.0, 0.0, 0.0, 0.0, shipped_gf);
    for ai in 0..=10 {
        let a = ai as f32 / 10.0;
        let mut best = (-1.0, 0.0, 0.0, shipped_gf);
        for &gf in &gfs {
            for t in 0..15 {
                let thr = 0.05 + 0.05 * t as f32;
                for &peak in peaks.iter().filter(|&&p| p == 0.0 || p > thr + 1e-6) {
                    let f = score(&dev_side, a, thr, peak, gf).f1();
                    if f > best.0 {
                        best = (f, thr, peak, gf);
                    }
                }
            }
        }
        let h = score(&held_side, a, best.1, best.2, best.3);
        println!(
            "a {a:.1}: dev SI F1 {:.4} at threshold {:.2} peak {:.2} gap {} fill {}; held-out {}",
            best.0,
            best.1,
            best.2,
            best.3 .0,
            best.3 .1,
            h.summary()
        );
        if best.0 > best_all.0 {
            best_all = (best.0, a, best.1, best.2, best.3);
        }
    }
    let (f, a, thr, peak, gf) = best_all;
    println!(
        "chosen on dev: a {a:.1} threshold {thr:.2} peak {peak:.2} gap {} fill {} (dev {f:.4}); held-out {}",
        gf.0,
        gf.1,
        score(&held_side, a, thr, peak, gf).summary()
    );
}
