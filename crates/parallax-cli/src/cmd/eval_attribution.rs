//! `parallax eval attribution --polnear DIR`: scores the attributions layer
//! against PolNeAR (`DIR/text/NAME.txt`, `DIR/attributions/NAME_ANN.ann`).
//! When an article has several annotators, the first annotation file in
//! name order is the gold.

use parallax_analyze::attribution::{self, eval};
use parallax_core::Document;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

pub fn run(dir: &Path, limit: Option<usize>, errors: Option<&Path>) -> anyhow::Result<ExitCode> {
    let text_dir = dir.join("text");
    let ann_dir = dir.join("attributions");
    let read_dir = |d: &Path| -> anyhow::Result<Vec<PathBuf>> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(d)
            .map_err(|e| {
                anyhow::anyhow!(
                    "{}: {e} (expected a PolNeAR split with text/ and attributions/)",
                    d.display()
                )
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        v.sort();
        Ok(v)
    };
    let texts: Vec<PathBuf> = read_dir(&text_dir)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    let anns: Vec<PathBuf> = read_dir(&ann_dir)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "ann"))
        .collect();
    let mut pairs: Vec<(PathBuf, PathBuf)> = Vec::new();
    for t in &texts {
        let stem = t.file_stem().unwrap().to_string_lossy().to_string();
        let prefix = format!("{stem}_");
        if let Some(a) = anns.iter().find(|a| {
            a.file_stem().is_some_and(|s| {
                s.to_string_lossy()
                    .strip_prefix(&prefix)
                    .is_some_and(|r| !r.contains('_'))
            })
        }) {
            pairs.push((t.clone(), a.clone()));
        }
    }
    if let Some(n) = limit {
        pairs.truncate(n);
    }
    anyhow::ensure!(
        !pairs.is_empty(),
        "{}: no article with an annotation file",
        dir.display()
    );
    let started = Instant::now();
    let results: Vec<anyhow::Result<(eval::Score, eval::Score, Vec<String>)>> = pairs
        .par_iter()
        .map(|(t, a)| {
            let text =
                std::fs::read_to_string(t).map_err(|e| anyhow::anyhow!("{}: {e}", t.display()))?;
            let ann =
                std::fs::read_to_string(a).map_err(|e| anyhow::anyhow!("{}: {e}", a.display()))?;
            let doc = Document::from_text(&t.file_stem().unwrap().to_string_lossy(), &text);
            let layer = attribution::analyze(&doc);
            let gold = eval::parse_ann(&ann);
            let pred = eval::predicted_items(&doc, &layer);
            let all_pred: Vec<eval::Item> = pred.iter().map(|p| p.0.clone()).collect();
            let dir_pred: Vec<eval::Item> =
                pred.iter().filter(|p| p.1).map(|p| p.0.clone()).collect();
            let dir_gold: Vec<eval::Item> = gold
                .iter()
                .filter(|g| eval::gold_is_direct(&doc, g))
                .cloned()
                .collect();
            let mut all = eval::Score::default();
            all.add(&all_pred, &gold);
            let mut direct = eval::Score::default();
            direct.add(&dir_pred, &dir_gold);
            let mut errs = Vec::new();
            if errors.is_some() {
                for l in eval::error_lines(&doc, &all_pred, &gold, &gold) {
                    errs.push(format!("all\t{l}"));
                }
                for l in eval::error_lines(&doc, &dir_pred, &dir_gold, &gold) {
                    errs.push(format!("direct\t{l}"));
                }
            }
            Ok((all, direct, errs))
        })
        .collect();
    let secs = started.elapsed().as_secs_f64();
    let mut all = eval::Score::default();
    let mut direct = eval::Score::default();
    let mut error_text = String::new();
    let mut failed = 0;
    // each article's sums, for the intervals over articles
    let mut per: Vec<(eval::Score, eval::Score)> = Vec::new();
    for r in results {
        match r {
            Ok((a, d, errs)) => {
                merge(&mut all, &a);
                merge(&mut direct, &d);
                per.push((a, d));
                for l in errs {
                    error_text.push_str(&l);
                    error_text.push('\n');
                }
            }
            Err(e) => {
                eprintln!("parallax: {e:#}");
                failed += 1;
            }
        }
    }
    println!(
        "attribution eval on {} articles of {} ({} failed, {:.1} articles/s)",
        pairs.len() - failed,
        dir.display(),
        failed,
        (pairs.len() - failed) as f64 / secs.max(1e-9)
    );
    if let Some(p) = errors {
        std::fs::write(p, &error_text).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
    }
    for (name, s) in [("all attributions", &all), ("direct quotations", &direct)] {
        println!(
            "{name:18} content P {:.4}  R {:.4}  F1 {:.4}  (pred {}, gold {})  source accuracy {:.4} ({}/{})",
            s.precision(),
            s.recall(),
            s.f1(),
            s.predicted,
            s.gold,
            s.source_accuracy(),
            s.source_correct,
            s.source_matched
        );
    }
    // 95% intervals over articles: how much another set of articles of
    // the same kind could move each figure
    for (name, direct_only) in [("all attributions", false), ("direct quotations", true)] {
        let pooled = |idx: &[usize]| {
            let mut t = eval::Score::default();
            for &i in idx {
                merge(&mut t, if direct_only { &per[i].1 } else { &per[i].0 });
            }
            t
        };
        let interval = |f: fn(&eval::Score) -> f64| {
            parallax_core::metrics::bootstrap_interval(per.len(), 1000, 7, |idx| f(&pooled(idx)))
        };
        let (f_lo, f_hi) = interval(eval::Score::f1);
        let (a_lo, a_hi) = interval(eval::Score::source_accuracy);
        println!(
            "{name:18} 95% interval over articles: content F1 {f_lo:.4}-{f_hi:.4}  source accuracy {a_lo:.4}-{a_hi:.4} (1,000 bootstrap resamples, seed 7)"
        );
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn merge(into: &mut eval::Score, s: &eval::Score) {
    into.predicted += s.predicted;
    into.gold += s.gold;
    into.p_sum += s.p_sum;
    into.r_sum += s.r_sum;
    into.source_matched += s.source_matched;
    into.source_correct += s.source_correct;
}
