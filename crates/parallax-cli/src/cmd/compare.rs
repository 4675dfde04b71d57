//! `parallax compare A B [C ...]`: several articles on one story side by side.

use crate::batch;
use crate::cmd::analyze::InputArgs;
use parallax_analyze::{Config, Pipeline};
use parallax_compare::{Comparer, Options};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq)]
pub enum CompareFormat {
    Json,
    Text,
    None,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    /// Write a self-contained HTML report (default file: compare.html).
    #[arg(long, num_args = 0..=1, default_missing_value = "compare.html", value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// What to print on stdout (default: json, or text when --html is given).
    #[arg(long, short, value_enum)]
    pub format: Option<CompareFormat>,
    /// Layers to skip, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub skip: Vec<String>,
    /// Minimum pair score for two sentences to align (0..1).
    #[arg(long, default_value_t = Options::default().align_threshold)]
    pub align_threshold: f32,
    /// Use the full transformer from this folder (config.json, vocab.txt,
    /// model.safetensors of all-MiniLM-L6-v2) instead of the embedded
    /// static table. Much slower; the thresholds were tuned on the table.
    #[arg(long, value_name = "DIR")]
    pub model_dir: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let paths = batch::paths_or_stdin(args.input.paths.clone())?;
    let pipeline = Pipeline::new(Config {
        skip: args.skip.clone(),
    });
    let mut analyses = Vec::new();
    let mut opts = args.input.batch_options();
    opts.progress = false;
    let outcome = batch::run(
        &paths,
        &opts,
        |doc| pipeline.analyze(doc),
        |a| {
            analyses.push(a);
            Ok(())
        },
    )?;
    anyhow::ensure!(
        analyses.len() >= 2,
        "compare needs at least two readable articles ({} read, {} failed)",
        analyses.len(),
        outcome.failed
    );
    let full = match &args.model_dir {
        Some(d) => Some(
            parallax_compare::full::FullModel::load(d)
                .map_err(|e| anyhow::anyhow!("--model-dir: {e}"))?,
        ),
        None => None,
    };
    let mut comparer = Comparer {
        options: Options {
            align_threshold: args.align_threshold,
            same_fact: if full.is_some() {
                parallax_compare::SAME_FACT_CALIBRATION_FULL
            } else {
                parallax_compare::SAME_FACT_CALIBRATION
            },
            ..Options::default()
        },
        ..Comparer::default()
    };
    if let Some(m) = &full {
        comparer.encoder = m;
    }
    let views = comparer.views(&analyses);
    let cmp = comparer.compare_views(&views);
    if let Some(path) = &args.html {
        std::fs::write(path, parallax_compare::html::render(&cmp, &views))
            .map_err(|e| anyhow::anyhow!("{}: cannot write the report: {e}", path.display()))?;
        eprintln!("parallax: wrote {}", path.display());
    }
    let format = args.format.unwrap_or(if args.html.is_some() {
        CompareFormat::Text
    } else {
        CompareFormat::Json
    });
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    match format {
        CompareFormat::Json => {
            serde_json::to_writer_pretty(&mut w, &cmp)?;
            writeln!(w)?;
        }
        CompareFormat::Text => write!(w, "{}", parallax_compare::summary(&cmp))?,
        CompareFormat::None => {}
    }
    w.flush()?;
    Ok(outcome.exit_code())
}
