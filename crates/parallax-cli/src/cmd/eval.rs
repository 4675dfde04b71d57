//! `parallax eval ...`: scores on held-out data, printed so anyone can rerun them.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum EvalCommand {
    /// Sentence-boundary precision/recall/F1 against PTC articles (one gold sentence a line).
    Sentences {
        /// Folder of PTC `article*.txt` files.
        #[arg(long)]
        ptc: PathBuf,
    },
    /// Story clustering, B-cubed P/R/F1 on synthetic same-story groups:
    /// each article of DIR (.txt) is cut into --parts contiguous parts and
    /// the parts of one article form one gold story.
    Cluster {
        /// Folder of plain-text articles (e.g. ../shared/data/polnear/dev/text).
        dir: PathBuf,
        /// Parts per article.
        #[arg(long, default_value_t = 3)]
        parts: usize,
        /// Clustering threshold (default: the shipped one).
        #[arg(long)]
        threshold: Option<f32>,
        /// Also print F1 over a range of thresholds (for tuning on a train split).
        #[arg(long)]
        sweep: bool,
    },
}

pub fn run(cmd: EvalCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        EvalCommand::Cluster { dir, parts, threshold, sweep } => eval_cluster(&dir, parts, threshold, sweep),
        EvalCommand::Sentences { ptc } => {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&ptc)
                .map_err(|e| anyhow::anyhow!("{}: {e}", ptc.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect();
            files.sort();
            anyhow::ensure!(!files.is_empty(), "{}: no .txt articles", ptc.display());
            let mut total = parallax_core::segment::BoundaryScore::default();
            for f in &files {
                let text = std::fs::read_to_string(f)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?;
                total.add(&parallax_core::segment::score_line_gold(&text));
            }
            println!(
                "sentence boundaries on {} articles ({} gold sentences)",
                files.len(),
                total.gold
            );
            println!(
                "precision {:.4}  recall {:.4}  F1 {:.4}",
                total.precision(),
                total.recall(),
                total.f1()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn eval_cluster(dir: &std::path::Path, parts: usize, threshold: Option<f32>, sweep: bool) -> anyhow::Result<ExitCode> {
    use parallax_compare::cluster::{self, ClusterOptions};
    use rayon::prelude::*;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    anyhow::ensure!(!files.is_empty(), "{}: no .txt articles", dir.display());
    let items: Vec<(usize, parallax_compare::cluster::DocFeatures)> = files
        .par_iter()
        .enumerate()
        .flat_map(|(i, f)| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            let doc = parallax_core::Document::from_text("x", &text);
            cluster::split_parts(&doc, parts)
                .into_iter()
                .map(|p| (i, cluster::features(&parallax_core::Document::from_text("p", &p))))
                .collect::<Vec<_>>()
        })
        .collect();
    let gold: Vec<usize> = items.iter().map(|x| x.0).collect();
    let feats: Vec<_> = items.into_iter().map(|x| x.1).collect();
    let stories = gold.iter().collect::<std::collections::BTreeSet<_>>().len();
    println!(
        "story clustering on {} parts of {} articles from {} ({} parts each)",
        feats.len(),
        stories,
        dir.display(),
        parts
    );
    let base = ClusterOptions::default();
    if sweep {
        for t in [0.15f32, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6] {
            let l = cluster::cluster(&feats, &ClusterOptions { threshold: t, ..base.clone() });
            let (p, r, f) = cluster::bcubed(&l, &gold);
            println!("  threshold {t:.2}: B-cubed P {p:.4} R {r:.4} F1 {f:.4}");
        }
    }
    let opts = ClusterOptions { threshold: threshold.unwrap_or(base.threshold), ..base };
    let l = cluster::cluster(&feats, &opts);
    let (p, r, f) = cluster::bcubed(&l, &gold);
    let groups = l.iter().collect::<std::collections::BTreeSet<_>>().len();
    println!("threshold {:.2}: {} groups for {} gold stories", opts.threshold, groups, stories);
    println!("B-cubed precision {p:.4}  recall {r:.4}  F1 {f:.4}");
    Ok(ExitCode::SUCCESS)
}
