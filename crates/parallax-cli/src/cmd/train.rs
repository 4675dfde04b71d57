//! `parallax train ...`: seeded, reproducible training of the embedded models.

use crate::cmd::checkworthy::read_rows;
use parallax_analyze::claims::data;
use parallax_analyze::claims::model::{self, TrainConfig};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum TrainCommand {
    /// Check-worthiness model (claims layer) from a CheckThat! TSV.
    Checkworthy(CheckworthyArgs),
}

#[derive(clap::Args, Debug)]
pub struct CheckworthyArgs {
    /// CheckThat! 2024 Task 1 training TSV.
    #[arg(long)]
    pub tsv: PathBuf,
    /// Where to write the model (e.g. models/checkworthy/model.bin).
    #[arg(long)]
    pub out: PathBuf,
    /// Seed of the train/dev/held-out split and of the shuffles.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    #[arg(long, default_value_t = TrainConfig::default().epochs)]
    pub epochs: usize,
    /// log2 of the number of hashed feature slots.
    #[arg(long, default_value_t = TrainConfig::default().bits)]
    pub bits: u32,
    /// AdaGrad learning rate.
    #[arg(long, default_value_t = TrainConfig::default().learning_rate)]
    pub lr: f32,
    /// L2 regularization per update.
    #[arg(long, default_value_t = TrainConfig::default().l2)]
    pub l2: f32,
    /// Feature-set flags: 1 normalize, 2 word trigrams, 4 word prefixes, 8 char n-grams, 16 shapes and suffixes, 32 neighbor sentences (sum them).
    #[arg(long, default_value_t = TrainConfig::default().flags)]
    pub features: u32,
    /// Average the weights over all SGD steps (true/false).
    #[arg(long, default_value_t = TrainConfig::default().average, action = clap::ArgAction::Set)]
    pub average: bool,
    /// Use only the first N rows of the file (quick runs and CI).
    #[arg(long)]
    pub limit: Option<usize>,
}

pub fn run(cmd: TrainCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        TrainCommand::Checkworthy(a) => checkworthy(a),
    }
}

fn checkworthy(a: CheckworthyArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!((8..=22).contains(&a.bits), "--bits must be in 8..=22");
    let mut rows = read_rows(&a.tsv)?;
    if let Some(n) = a.limit {
        rows.truncate(n);
    }
    let [train, dev, held] = data::split(&rows, a.seed);
    anyhow::ensure!(
        !train.is_empty() && !dev.is_empty(),
        "{}: too few labeled rows to train",
        a.tsv.display()
    );
    let cfg = TrainConfig {
        bits: a.bits,
        epochs: a.epochs,
        seed: a.seed,
        learning_rate: a.lr,
        l2: a.l2,
        flags: a.features,
        average: a.average,
    };
    let (m, report) = model::train(&train, &dev, &cfg);
    let mut held_prf = model::Prf::default();
    for (s, y) in &held {
        held_prf.add(*y, m.score_ctx(s) >= 0.5);
    }
    if let Some(dir) = a.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&a.out, m.to_bytes())
        .map_err(|e| anyhow::anyhow!("{}: {e}", a.out.display()))?;
    println!(
        "trained on {} sentences (seed {}, {} epochs, 2^{} slots, lr {}, l2 {}, features {}, average {}); dev {} / held-out {}",
        train.len(),
        a.seed,
        a.epochs,
        a.bits,
        a.lr,
        a.l2,
        a.features,
        a.average,
        dev.len(),
        held.len()
    );
    println!("threshold tuned on dev: {:.2}", report.threshold);
    println!("dev      {}", report.dev.report());
    println!("held-out {}", held_prf.report());
    println!("wrote {}", a.out.display());
    Ok(ExitCode::SUCCESS)
}
