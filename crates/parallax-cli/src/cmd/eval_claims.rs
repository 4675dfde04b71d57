//! `parallax eval claims`: the claims layer of `parallax analyze` on news
//! articles, against hand-labelled sentences.
//!
//! The check-worthiness model is trained on debate transcripts (CheckThat!
//! 2024); this eval measures what a user of `analyze` sees on news. The
//! labels file (`bench/claims_news/labels.tsv`) holds, per line, a split
//! (`tune` or `test`), an article id, the code-point span of one sentence
//! as `analyze` cuts it, and `Y` (check-worthy) or `N`. The texts are read
//! from the folders given with `--texts` (`ID.txt`), never copied into the
//! file. Each article runs through the real pipeline and each labelled
//! span is matched to the claims layer's sentence with the same span.

use crate::cmd::eval_align::analyze_articles;
use parallax_analyze::claims::model::Prf;
use parallax_core::metrics::auc;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// One labelled sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelledSentence {
    pub split: String,
    pub article: String,
    /// Code-point span.
    pub span: (usize, usize),
    pub worthy: bool,
}

/// Parses the labels file: tab-separated `split article start end Y|N`;
/// `#` lines and the header are skipped; any other malformed line is an
/// error naming its number.
pub fn parse_labels(text: &str) -> anyhow::Result<Vec<LabelledSentence>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.starts_with("split\t") || line.trim().is_empty() {
            continue;
        }
        let bad = || anyhow::anyhow!("line {}: expected `split article start end Y|N`", i + 1);
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() != 5 {
            return Err(bad());
        }
        let num = |s: &str| s.parse::<usize>().map_err(|_| bad());
        let (start, end) = (num(c[2])?, num(c[3])?);
        if end <= start {
            return Err(bad());
        }
        let worthy = match c[4] {
            "Y" => true,
            "N" => false,
            _ => return Err(bad()),
        };
        out.push(LabelledSentence {
            split: c[0].to_string(),
            article: c[1].to_string(),
            span: (start, end),
            worthy,
        });
    }
    Ok(out)
}

pub fn run(
    labels_file: &Path,
    texts: &[PathBuf],
    split: &str,
    model_dir: Option<&Path>,
    embedded_encoder: bool,
) -> anyhow::Result<ExitCode> {
    let encoder = crate::cmd::finetune::claims_encoder("--model-dir", model_dir, embedded_encoder)?
        .map(|(c, _)| c);
    let text = std::fs::read_to_string(labels_file)
        .map_err(|e| anyhow::anyhow!("{}: {e}", labels_file.display()))?;
    let all = parse_labels(&text).map_err(|e| anyhow::anyhow!("{}: {e}", labels_file.display()))?;
    let labels: Vec<&LabelledSentence> = all
        .iter()
        .filter(|l| split == "all" || l.split == split)
        .collect();
    anyhow::ensure!(
        !labels.is_empty(),
        "{}: no labelled sentences in split {split}",
        labels_file.display()
    );
    let mut by_article: BTreeMap<&str, Vec<&LabelledSentence>> = BTreeMap::new();
    for l in &labels {
        by_article.entry(&l.article).or_default().push(l);
    }
    let ids: Vec<&str> = by_article.keys().copied().collect();
    let analyses = analyze_articles(&ids, texts)?;
    // (score, gold) per labelled sentence found in the claims layer
    let mut scored: Vec<(f32, bool)> = Vec::new();
    // the range of `scored` that each article holds, for the interval
    let mut article_rows: Vec<(usize, usize)> = Vec::new();
    let mut missing = 0;
    let mut layer_threshold = None;
    for (id, ls) in &by_article {
        let first = scored.len();
        let claims = analyses[*id]
            .layers
            .claims
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("article {id}: no claims layer"))?;
        layer_threshold = Some(if encoder.is_some() {
            0.5
        } else {
            claims.threshold
        });
        // the encoder scores the article's sentences together (packed)
        let encoded = encoder.as_ref().map(|m| {
            let texts: Vec<&str> = claims.sentences.iter().map(|s| s.text.as_str()).collect();
            m.scores(&texts)
        });
        for l in ls {
            match claims
                .sentences
                .iter()
                .position(|s| (s.span.cp_start, s.span.cp_end) == l.span)
            {
                Some(i) => {
                    let score = match &encoded {
                        Some(e) => e[i],
                        None => claims.sentences[i].score,
                    };
                    scored.push((score, l.worthy))
                }
                None => missing += 1,
            }
        }
        article_rows.push((first, scored.len()));
    }
    let layer_threshold = layer_threshold.unwrap_or(0.5);
    let yes = labels.iter().filter(|l| l.worthy).count();
    if let Some(d) = model_dir {
        println!(
            "scores from the fine-tuned encoder in {} (not the layer's model)",
            d.display()
        );
    } else if embedded_encoder {
        println!(
            "scores from the embedded fine-tuned encoder {} (analyze --claims-encoder)",
            parallax_compare::full::embedded::NAME
        );
    }
    println!(
        "claims layer on {} labelled news sentences ({} Y, {} N) of {} articles, split {split}, from {}",
        labels.len(),
        yes,
        labels.len() - yes,
        by_article.len(),
        labels_file.display()
    );
    println!(
        "score AUC (Y against N) {:.4} on {} sentences ({} spans not found)",
        auc(&scored),
        scored.len(),
        missing
    );
    let prf_at = |t: f32| {
        let mut p = Prf::default();
        for &(s, y) in &scored {
            p.add(y, s >= t);
        }
        p
    };
    for t in [0.3f32, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] {
        let p = prf_at(t);
        println!(
            "threshold {t:.2}: labelled check-worthy {:>4} of {}  {}",
            p.tp + p.fp,
            scored.len(),
            p.report()
        );
    }
    let p = prf_at(layer_threshold);
    println!(
        "layer     {layer_threshold:.2}: labelled check-worthy {:>4} of {} (gold {})  {}",
        p.tp + p.fp,
        scored.len(),
        scored.iter().filter(|x| x.1).count(),
        p.report()
    );
    let (lo, hi) = parallax_core::metrics::bootstrap_interval(article_rows.len(), 1000, 7, |idx| {
        let mut p = Prf::default();
        for &i in idx {
            let (a, b) = article_rows[i];
            for &(s, y) in &scored[a..b] {
                p.add(y, s >= layer_threshold);
            }
        }
        p.f1()
    });
    println!(
        "layer F1 95% interval over articles {lo:.4}-{hi:.4} (1,000 bootstrap resamples of the {} articles, seed 7)",
        article_rows.len()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let ok = "# c\nsplit\tarticle\tstart\tend\tlabel\ntune\ta\t0\t10\tY\ntest\tb\t5\t9\tN\n";
        let v = parse_labels(ok).unwrap();
        assert_eq!(v.len(), 2);
        assert!(v[0].worthy && !v[1].worthy);
        assert_eq!(v[1].span, (5, 9));
        for bad in ["tune\ta\t0\t10\tX", "tune\ta\t10\t0\tY", "tune\ta\t0\tY"] {
            let e = parse_labels(bad).unwrap_err().to_string();
            assert!(e.contains("line 1"), "{e}");
        }
    }
}
