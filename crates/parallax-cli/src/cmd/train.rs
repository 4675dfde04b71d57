//! `parallax train ...`: retrain the project's own models, seeded and
//! reproducible. Each model is one variant of [`TrainCommand`].

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum TrainCommand {
    /// Train the named-entity tagger (averaged perceptron) on CoNLL-2003.
    Ner(NerArgs),
}

pub fn run(cmd: TrainCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        TrainCommand::Ner(a) => super::ner::train(a),
    }
}

#[derive(clap::Args, Debug)]
pub struct NerArgs {
    /// CoNLL training file.
    #[arg(long, default_value = "../shared/data/conll2003/train.txt")]
    pub train: PathBuf,
    /// CoNLL file scored after training (held out; not used for training).
    #[arg(long)]
    pub dev: Option<PathBuf>,
    /// Output folder; the model is written to OUT/ner.bin.
    #[arg(long, default_value = "models/ner")]
    pub out: PathBuf,
    /// Perceptron epochs.
    #[arg(long, default_value_t = 12)]
    pub epochs: usize,
    /// Seed of the document shuffling.
    #[arg(long, default_value_t = 13)]
    pub seed: u64,
    /// Train on the first N documents only (quick runs, tests).
    #[arg(long)]
    pub max_docs: Option<usize>,
    /// Word-cluster counts, coarse and fine (0,0 = no clusters).
    #[arg(long, value_delimiter = ',', default_value = "64,400")]
    pub clusters: Vec<usize>,
    /// Exchange-algorithm passes for the clusters.
    #[arg(long, default_value_t = 4)]
    pub cluster_iters: usize,
}
