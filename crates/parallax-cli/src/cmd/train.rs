//! `parallax train ...`: retrain the project's own models, seeded and
//! reproducible. Each model is one variant of [`TrainCommand`].

use crate::cmd::checkworthy::read_rows;
use parallax_analyze::claims::data;
use parallax_analyze::claims::model::{self, TrainConfig};
use parallax_analyze::techniques::{metric::Task, ptc, train as tt, TechniqueModel};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Subcommand, Debug)]
pub enum TrainCommand {
    /// Train the named-entity tagger (averaged perceptron) on CoNLL-2003.
    Ner(NerArgs),
    /// Persuasion techniques (SI tagger + TC classifier) on the PTC corpus.
    Techniques(TechniquesArgs),
    /// Check-worthiness model (claims layer) from a CheckThat! TSV.
    Checkworthy(CheckworthyArgs),
    /// Check-worthiness by fine-tuning the full encoder (all-MiniLM-L6-v2
    /// from --model-dir) end to end; writes a model folder for
    /// `checkworthy --model-dir` (slow: minutes an epoch).
    CheckworthyEncoder(super::finetune::Args),
    /// Persuasion-technique spans by fine-tuning the full encoder
    /// (all-MiniLM-L6-v2 from --model-dir) as a word tagger mixed into the
    /// linear span tagger; writes a model folder for `eval techniques
    /// --encoder-dir` (slow: minutes an epoch).
    TechniquesEncoder(super::finetune_techniques::Args),
}

pub fn run(cmd: TrainCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        TrainCommand::Ner(a) => super::ner::train(a),
        TrainCommand::Techniques(a) => techniques(a),
        TrainCommand::Checkworthy(a) => checkworthy(a),
        TrainCommand::CheckworthyEncoder(a) => super::finetune::train(a),
        TrainCommand::TechniquesEncoder(a) => super::finetune_techniques::train(a),
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
    /// Scale of the span tagger's dense inputs: the static embedding of each
    /// token and of its sentence (0: none).
    #[arg(long, default_value_t = tt::TrainConfig::default().dense_scale)]
    pub dense_scale: f32,
    /// Tune the span decoding on out-of-fold probabilities of all training
    /// articles with this many folds (0: on a 10% tuning slice).
    #[arg(long, default_value_t = tt::TrainConfig::default().folds)]
    pub folds: usize,
    /// Weigh a token inside a gold span of n tokens by (pivot / n)^power,
    /// clamped to 1/4..4, so short spans count in training about as much as
    /// long ones (0: every token weighs 1).
    #[arg(long, default_value_t = tt::TrainConfig::default().span_pivot)]
    pub span_pivot: f32,
    /// Power of the span-length weight (see --span-pivot).
    #[arg(long, default_value_t = tt::TrainConfig::default().span_power)]
    pub span_power: f32,
    /// Scale of the technique classifier's dense inputs: the mean
    /// embedding of the span and of its sentence (0: none).
    #[arg(long, default_value_t = tt::TrainConfig::default().tc_dense_scale)]
    pub tc_dense_scale: f32,
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
        dense_scale: a.dense_scale,
        folds: a.folds,
        span_pivot: a.span_pivot,
        span_power: a.span_power,
        tc_dense_scale: a.tc_dense_scale,
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
        "split: {} training articles ({} of them used to tune the span decoding), {} validation articles",
        report.train_articles, report.tune_articles, report.validation_articles
    );
    for t in report.tuning.iter().take(5) {
        println!(
            "tuning: threshold {:.2} gap {} fill {:.1} peak {:.2}: SI F1 {:.4}",
            t.threshold, t.gap, t.fill, t.peak, t.f1
        );
    }
    println!(
        "chosen: threshold {:.2}, gap {}, fill {:.1} (above 1: off), peak {:.2}",
        model.meta.threshold, model.meta.gap, model.meta.fill, model.meta.peak
    );
    if let Some(cv) = &report.cross_validated {
        println!(
            "cross-validated SI ({} articles, each fold decoded as tuned on the other folds): {}",
            cv.articles,
            cv.summary()
        );
    }
    if let Some(tc) = &report.tc_out_of_fold {
        println!(
            "out-of-fold TC ({} articles, each by a classifier fit on the other folds): {}",
            tc.articles,
            tc.summary()
        );
    }
    if let Some(s) = &report.subsets {
        println!(
            "noise: SI F1 of {} random sets of {} out-of-fold articles (the validation set's size): mean {:.4}, sd {:.4}, 5th-95th percentile {:.4}-{:.4}",
            s.draws, s.size, s.mean, s.sd, s.p5, s.p95
        );
    }
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
    for (name, task) in [
        ("SI", Task::Si),
        ("TC", Task::Tc),
        ("end-to-end", Task::Full),
    ] {
        let s = tt::evaluate(m, &valid, task);
        println!(
            "validation {name} ({} articles): {}",
            s.articles,
            s.summary()
        );
    }
    Ok(ExitCode::SUCCESS)
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
    /// Feature-set flags: 1 normalize, 2 word trigrams, 4 word prefixes, 8 char n-grams, 16 shapes and suffixes, 32 neighbor sentences, 64 sentence embedding (sum them).
    #[arg(long, default_value_t = TrainConfig::default().flags)]
    pub features: u32,
    /// Average the weights over all SGD steps (true/false).
    #[arg(long, default_value_t = TrainConfig::default().average, action = clap::ArgAction::Set)]
    pub average: bool,
    /// Value scale of the sentence-embedding features (feature flag 64).
    #[arg(long, default_value_t = TrainConfig::default().embed_scale)]
    pub embed_scale: f32,
    /// Cross-validated bagging over the train and dev parts: K models, each
    /// trained on K-1 folds, averaged; the threshold is tuned on the
    /// out-of-fold scores (0 = train on the train part, tune on dev).
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// With --folds: cross-validate on the train part only and score the
    /// dev part as a second held-out set (to compare settings without
    /// touching the held-out part).
    #[arg(long)]
    pub dev_aside: bool,
    /// Use only the first N rows of the file (quick runs and CI).
    #[arg(long)]
    pub limit: Option<usize>,
    /// Add the full all-MiniLM-L6-v2 sentence vector from this folder to the
    /// dense input (feature flag 128): a model that scores only with the same
    /// --model-dir; encoding takes minutes.
    #[arg(long)]
    pub model_dir: Option<PathBuf>,
}

fn checkworthy(a: CheckworthyArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!((8..=22).contains(&a.bits), "--bits must be in 8..=22");
    let mut rows = read_rows(&a.tsv)?;
    if let Some(n) = a.limit {
        rows.truncate(n);
    }
    let vecs = match &a.model_dir {
        Some(d) => Some(crate::cmd::checkworthy::encode_rows(&rows, d, |r| {
            r.label.is_some()
        })?),
        None => None,
    };
    let [train, dev, held] = data::split_with(&rows, a.seed, vecs.as_deref());
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
        flags: if a.model_dir.is_some() {
            a.features | model::FEAT_EMBED | model::FEAT_ENCODER
        } else {
            a.features
        },
        average: a.average,
        embed_scale: a.embed_scale,
    };
    anyhow::ensure!(
        a.folds != 1,
        "--folds must be 0 (no cross-validation) or at least 2"
    );
    let (m, report) = if a.folds >= 2 {
        let mut rows = train.clone();
        if !a.dev_aside {
            rows.extend(dev.iter().copied());
        }
        let (m, r) = model::train_cv(&rows, a.folds, &cfg);
        println!(
            "{}-fold cross-validation on {} sentences; out-of-fold {}",
            a.folds,
            rows.len(),
            r.dev.report()
        );
        if a.dev_aside {
            let mut p = model::Prf::default();
            for (s, y) in &dev {
                p.add(*y, m.score_ctx(s) >= 0.5);
            }
            (m, model::TrainReport { dev: p, ..r })
        } else {
            (m, r)
        }
    } else {
        model::train(&train, &dev, &cfg)
    };
    let mut held_prf = model::Prf::default();
    for (s, y) in &held {
        held_prf.add(*y, m.score_ctx(s) >= 0.5);
    }
    if let Some(dir) = a.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&a.out, m.to_bytes())
        .map_err(|e| anyhow::anyhow!("{}: {e}", a.out.display()))?;
    let (trained_on, tuned_on) = match (a.folds >= 2, a.dev_aside) {
        (false, _) => (train.len(), "dev"),
        (true, false) => (train.len() + dev.len(), "out-of-fold scores"),
        (true, true) => (train.len(), "out-of-fold scores"),
    };
    println!(
        "trained on {} sentences (seed {}, {} epochs, 2^{} slots, lr {}, l2 {}, features {}, average {}, embed scale {}, folds {}); dev {} / held-out {}",
        trained_on,
        a.seed,
        a.epochs,
        a.bits,
        a.lr,
        a.l2,
        cfg.flags,
        a.average,
        a.embed_scale,
        a.folds,
        dev.len(),
        held.len()
    );
    println!("threshold tuned on {tuned_on}: {:.2}", report.threshold);
    if a.folds < 2 || a.dev_aside {
        println!("dev      {}", report.dev.report());
    }
    println!("held-out {}", held_prf.report());
    println!("wrote {}", a.out.display());
    Ok(ExitCode::SUCCESS)
}
