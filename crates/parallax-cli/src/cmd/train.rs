//! `parallax train ...`: trains the project's models, seeded and reproducible.

use parallax_analyze::techniques::{metric::Task, ptc, train as tt, TechniqueModel};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Subcommand, Debug)]
pub enum TrainCommand {
    /// Persuasion techniques (SI tagger + TC classifier) on the PTC corpus.
    Techniques(TechniquesArgs),
}

#[derive(clap::Args, Debug)]
pub struct TechniquesArgs {
    /// PTC folder holding `train-articles/` and `train-labels-TC/`.
    #[arg(long, default_value = "../shared/data/ptc")]
    pub data: PathBuf,
    /// Where to write `model.bin` and `validation-ids.txt`.
    #[arg(long, default_value = "models/techniques")]
    pub out: PathBuf,
    /// Seed of the split and of the SGD shuffles.
    #[arg(long, default_value_t = tt::TrainConfig::default().seed)]
    pub seed: u64,
    /// Use only the first N articles (by id), e.g. for a quick check.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Epochs of the span tagger.
    #[arg(long, default_value_t = tt::TrainConfig::default().si_epochs)]
    pub si_epochs: usize,
    /// Epochs of the technique classifier.
    #[arg(long, default_value_t = tt::TrainConfig::default().tc_epochs)]
    pub tc_epochs: usize,
    /// Hash bits of the span tagger (smaller: smaller file, more collisions).
    #[arg(long, default_value_t = tt::TrainConfig::default().si_bits)]
    pub si_bits: u32,
    /// Hash bits of the technique classifier.
    #[arg(long, default_value_t = tt::TrainConfig::default().tc_bits)]
    pub tc_bits: u32,
}

pub fn run(cmd: TrainCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        TrainCommand::Techniques(a) => techniques(a),
    }
}

fn techniques(a: TechniquesArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        (8..=24).contains(&a.si_bits) && (8..=22).contains(&a.tc_bits),
        "--si-bits must be 8..=24 and --tc-bits 8..=22"
    );
    let t0 = Instant::now();
    let mut articles = ptc::load_articles(&a.data.join("train-articles"))?;
    if let Some(n) = a.limit {
        articles.truncate(n);
    }
    let labels = ptc::load_labels(&a.data.join("train-labels-TC"))?;
    let exs = tt::examples(&articles, &labels);
    let cfg = tt::TrainConfig {
        seed: a.seed,
        si_epochs: a.si_epochs,
        tc_epochs: a.tc_epochs,
        si_bits: a.si_bits,
        tc_bits: a.tc_bits,
        ..Default::default()
    };
    eprintln!(
        "training on {} articles ({} gold spans; {:.1}% of words inside spans), seed {}",
        exs.len(),
        exs.iter().map(|e| e.gold.len()).sum::<usize>(),
        100.0 * tt::positive_share(&exs),
        cfg.seed
    );
    let (model, report) = tt::train(&exs, &cfg);
    let train_s = t0.elapsed().as_secs_f64();
    println!(
        "split: {} training articles ({} of them first used to tune the span threshold), {} validation articles",
        report.train_articles, report.tune_articles, report.validation_articles
    );
    for (thr, gap, fill, f1) in report.tuning.iter().take(3) {
        println!("tuning: threshold {thr:.2} gap {gap} fill {fill:.1}: SI F1 {f1:.4}");
    }
    println!(
        "chosen: threshold {:.2}, gap {}, fill {:.1} (above 1: off)",
        model.meta.threshold, model.meta.gap, model.meta.fill
    );
    std::fs::create_dir_all(&a.out).map_err(|e| anyhow::anyhow!("{}: {e}", a.out.display()))?;
    let bytes = model.to_bytes();
    let path = a.out.join("model.bin");
    std::fs::write(&path, &bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let ids = a.out.join("validation-ids.txt");
    std::fs::write(&ids, model.meta.validation_ids.join("\n") + "\n")
        .map_err(|e| anyhow::anyhow!("{}: {e}", ids.display()))?;
    println!(
        "wrote {} ({:.2} MB) and {} in {:.1} s",
        path.display(),
        bytes.len() as f64 / 1e6,
        ids.display(),
        train_s
    );
    let valid: Vec<&tt::Example> = exs
        .iter()
        .filter(|e| model.meta.validation_ids.contains(&e.doc.meta.id))
        .collect();
    let m: &dyn TechniqueModel = &model;
    for (name, task) in [("SI", Task::Si), ("TC", Task::Tc)] {
        let s = tt::evaluate(m, &valid, task);
        println!(
            "validation {name} ({} articles): precision {:.4}  recall {:.4}  F1 {:.4}",
            s.articles,
            s.precision(),
            s.recall(),
            s.f1()
        );
    }
    Ok(ExitCode::SUCCESS)
}
