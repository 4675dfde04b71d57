//! `parallax checkworthy --tsv FILE`: one `Sentence_id<TAB>score` line per
//! sentence of a CheckThat! TSV, plus the shared helpers of the
//! `eval checkworthy` and `train checkworthy` commands.

use parallax_analyze::claims::data::{self, Part, Row};
use parallax_analyze::claims::model::Model;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Which rows of a TSV to use, by the seeded split of `claims::data`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Split {
    /// Every row (use for a file the model was not trained on).
    All,
    /// Rows whose id falls in the held-out part (10%), never trained or tuned on.
    Heldout,
    /// Rows in the dev part (10%), used to tune the threshold.
    Dev,
    /// Rows in the training part (80%).
    Train,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// CheckThat! TSV: `Sentence_id<TAB>Text[<TAB>class_label]` with a header line.
    #[arg(long)]
    pub tsv: PathBuf,
    /// Score with this linear model file (`train checkworthy`) instead of
    /// the embedded fine-tuned encoder.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Score with the embedded linear model (`checkworthy-lr-v2`, the one
    /// `analyze` uses by default: hundreds of times faster, F1 0.682 on the
    /// held-out part) instead of the embedded fine-tuned encoder (0.739).
    #[arg(long, conflicts_with_all = ["model", "model_dir", "int8"])]
    pub linear: bool,
    /// No progress bar on stderr (there is none when stderr is not a
    /// terminal either).
    #[arg(long)]
    pub no_progress: bool,
    /// Only the rows of this part of the seeded split.
    #[arg(long, value_enum, default_value = "all")]
    pub split: Split,
    /// Folder of the full all-MiniLM-L6-v2 model (config.json, vocab.txt,
    /// model.safetensors), for a model trained with it (`train checkworthy
    /// --model-dir`); or, without --model, a folder written by `train
    /// checkworthy-encoder`, which then does the scoring itself. Tens of
    /// sentences a second per core.
    #[arg(long)]
    pub model_dir: Option<PathBuf>,
    /// With a fine-tuned encoder in --model-dir: round its weights to 8
    /// bits (one scale per row) before scoring, to measure what an int8
    /// copy of the model would score.
    #[arg(long)]
    pub int8: bool,
}

/// The full model's sentence vectors (L2-normalized) of the rows for which
/// `want` holds, in row order; an empty vector for the others. Reports
/// progress on stderr (the full model is slow).
pub fn encode_rows(
    rows: &[Row],
    dir: &Path,
    want: impl Fn(&Row) -> bool + Sync,
) -> anyhow::Result<Vec<Vec<f32>>> {
    use parallax_compare::embed::SentenceEncoder;
    use rayon::prelude::*;
    let full = parallax_compare::full::FullModel::load(dir)
        .map_err(|e| anyhow::anyhow!("--model-dir {}: {e}", dir.display()))?;
    let n = rows.iter().filter(|r| want(r)).count();
    eprintln!(
        "encoding {n} sentences with the full model in {}",
        dir.display()
    );
    let t = std::time::Instant::now();
    let vecs = rows
        .par_iter()
        .map(|r| {
            if !want(r) {
                return Vec::new();
            }
            full.encode(&r.text)
        })
        .collect();
    eprintln!("encoded in {:.0} s", t.elapsed().as_secs_f64());
    Ok(vecs)
}

/// The encoder vectors a model needs (None when it needs none), checking
/// that `--model-dir` is given exactly when the model uses an encoder.
pub fn encoder_vectors(
    model: &Model,
    model_dir: Option<&Path>,
    rows: &[Row],
    want: impl Fn(&Row) -> bool + Sync,
) -> anyhow::Result<Option<Vec<Vec<f32>>>> {
    match (model.needs_encoder(), model_dir) {
        (false, None) => Ok(None),
        (true, Some(d)) => encode_rows(rows, d, want).map(Some),
        (true, None) => anyhow::bail!(
            "this model was trained with the full sentence encoder: give --model-dir DIR (the all-MiniLM-L6-v2 folder)"
        ),
        (false, Some(_)) => anyhow::bail!(
            "--model-dir: this model uses no outside encoder (train one with `parallax train checkworthy --model-dir`)"
        ),
    }
}

pub fn read_rows(path: &Path) -> anyhow::Result<Vec<Row>> {
    let text =
        std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let rows = data::parse_tsv(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    anyhow::ensure!(!rows.is_empty(), "{}: no rows", path.display());
    Ok(rows)
}

pub fn load_model(path: Option<&Path>) -> anyhow::Result<std::borrow::Cow<'static, Model>> {
    match path {
        None => Ok(std::borrow::Cow::Borrowed(
            parallax_analyze::claims::embedded_model(),
        )),
        Some(p) => {
            let b = std::fs::read(p).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
            let m = Model::from_bytes(&b).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
            Ok(std::borrow::Cow::Owned(m))
        }
    }
}

/// Whether a row is in the chosen part (the split uses the model's seed).
pub fn selected(r: &Row, split: Split, seed: u64) -> bool {
    let want = match split {
        Split::All => return true,
        Split::Heldout => Part::Heldout,
        Split::Dev => Part::Dev,
        Split::Train => Part::Train,
    };
    data::part_of(&r.id, seed) == want
}

/// A fine-tuned encoder chosen by the options: its model, the seed of its
/// split and its name in reports.
pub struct Tuned {
    pub model: parallax_compare::full::FullModel,
    pub seed: u64,
    pub name: String,
}

/// The fine-tuned classifier to score with: the one in `--model-dir` when
/// `--model` is not given and the folder holds one; the embedded one when
/// no option names another model; None for a linear model.
pub fn tuned(args: &Args) -> anyhow::Result<Option<Tuned>> {
    use parallax_compare::full::embedded;
    let t = match (&args.model, &args.model_dir, args.linear) {
        (None, Some(d), _) => {
            crate::cmd::finetune::load_classifier("--model-dir", d)?.map(|(model, seed)| Tuned {
                model,
                seed,
                name: format!("fine-tuned encoder {}", d.display()),
            })
        }
        (None, None, false) => Some(Tuned {
            model: embedded::checkworthy(),
            seed: embedded::checkworthy_seed(),
            name: format!("embedded {} (fine-tuned encoder, int8)", embedded::NAME),
        }),
        _ => None,
    };
    anyhow::ensure!(
        !args.int8 || (args.model_dir.is_some() && t.is_some()),
        "--int8 needs --model-dir with a fine-tuned encoder (train checkworthy-encoder); the embedded one is int8 already"
    );
    Ok(t.map(|mut t| {
        if args.int8 {
            t.model.round_to_int8();
            t.name.push_str(", weights rounded to int8");
        }
        t
    }))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let rows = read_rows(&args.tsv)?;
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    if let Some(t) = tuned(&args)? {
        // scored a block at a time and written as it goes: a long file
        // shows output early, and `| head` stops the work
        let chosen: Vec<&Row> = rows
            .iter()
            .filter(|r| selected(r, args.split, t.seed))
            .collect();
        let c = parallax_compare::full::claims::Classifier::new(t.model);
        writeln!(w, "Sentence_id\tscore")?;
        w.flush()?;
        let texts: Vec<&str> = chosen.iter().map(|r| r.text.as_str()).collect();
        let mut ids = chosen.iter().map(|r| &r.id);
        crate::cmd::finetune::scores_in_blocks(&c, &texts, !args.no_progress, |block| {
            for s in block {
                writeln!(w, "{}\t{:.4}", ids.next().expect("one id a score"), s)?;
            }
            w.flush()
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let model = load_model(args.model.as_deref())?;
    let vecs = encoder_vectors(&model, args.model_dir.as_deref(), &rows, |r| {
        selected(r, args.split, model.seed)
    })?;
    writeln!(w, "Sentence_id\tscore")?;
    for (r, c) in rows.iter().zip(data::contexts_with(&rows, vecs.as_deref())) {
        if selected(r, args.split, model.seed) {
            writeln!(w, "{}\t{:.4}", r.id, model.score_ctx(&c))?;
        }
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}
