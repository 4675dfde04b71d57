//! `parallax analyze PATH...`

use crate::batch::{self, BatchOptions};
use parallax_analyze::output::{self, Format};
use parallax_analyze::{Config, Pipeline};
use parallax_core::{IngestOptions, InputFormat};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum OutFormat {
    Json,
    Jsonl,
    Text,
    /// brat standoff .ann of the attributions (Source/Cue/Content, as in PolNeAR).
    Brat,
    /// PTC technique lines: `ID<TAB>TECHNIQUE<TAB>START<TAB>END`.
    Ptc,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum InFormat {
    Auto,
    Text,
    Markdown,
    Html,
    Jsonl,
}

impl InFormat {
    pub fn forced(self) -> Option<InputFormat> {
        match self {
            InFormat::Auto => None,
            InFormat::Text => Some(InputFormat::Text),
            InFormat::Markdown => Some(InputFormat::Markdown),
            InFormat::Html => Some(InputFormat::Html),
            InFormat::Jsonl => Some(InputFormat::Jsonl),
        }
    }
}

/// Input options shared by the commands that read articles.
#[derive(clap::Args, Debug, Clone)]
pub struct InputArgs {
    /// Files, directories (recursive: .txt .md .html .htm .jsonl) or - for stdin.
    pub paths: Vec<PathBuf>,
    /// Treat every input as this format instead of guessing by extension.
    #[arg(long, value_enum, default_value = "auto")]
    pub input_format: InFormat,
    /// Refuse inputs (files, JSONL lines) larger than this many bytes.
    #[arg(long, default_value_t = parallax_core::ingest::DEFAULT_MAX_BYTES)]
    pub max_bytes: u64,
    /// Hide the progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// Worker threads (default: one per core; also RAYON_NUM_THREADS).
    #[arg(long)]
    pub threads: Option<usize>,
}

impl InputArgs {
    pub fn batch_options(&self) -> BatchOptions {
        if let Some(n) = self.threads {
            // Only the first call can set the global pool; later ones keep it.
            let _ = rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build_global();
        }
        BatchOptions {
            ingest: IngestOptions {
                max_bytes: self.max_bytes,
                format: self.input_format.forced(),
            },
            progress: !self.no_progress,
            always_summarize: false,
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format (default: json for one document, jsonl for many).
    #[arg(long, short, value_enum)]
    pub format: Option<OutFormat>,
    /// Layers to skip, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub skip: Vec<String>,
    /// Score the `claims` layer with the fine-tuned encoder in this folder
    /// (`parallax train checkworthy-encoder`) instead of the embedded linear
    /// model: more accurate, without per-word cues (see `--claims-explain`),
    /// and tens of sentences a second per core instead of tens of thousands.
    #[arg(long, conflicts_with = "claims_encoder")]
    pub claims_model_dir: Option<PathBuf>,
    /// Score the `claims` layer with the embedded fine-tuned encoder
    /// (`checkworthy-encoder-v1`, the default of `parallax checkworthy`)
    /// instead of the embedded linear model: held-out F1 0.74 against 0.68,
    /// no per-word cues (see `--claims-explain`), a few articles a second
    /// instead of hundreds.
    #[arg(long)]
    pub claims_encoder: bool,
    /// Score the `claims` layer with an encoder (the embedded one, or the
    /// folder of `--claims-model-dir`) and explain each check-worthy
    /// sentence by occlusion, scoring it again without each of its words;
    /// the words whose removal lowers the score most become its `w:` cues
    /// (weight: the drop in log-odds). About ten times the work of
    /// `--claims-encoder`.
    #[arg(long)]
    pub claims_explain: bool,
    /// Find the spans of the `techniques` layer with the embedded
    /// fine-tuned encoder (`techniques-encoder-v1`) mixed into the linear
    /// span tagger: held-out SI F1 0.405 against 0.364, each span's
    /// evidence led by the two taggers' probabilities; techniques still
    /// from the linear classifier. A few articles a second per core
    /// instead of hundreds.
    #[arg(long)]
    pub techniques_encoder: bool,
    /// As `--techniques-encoder`, with the encoder in this folder
    /// (`parallax train techniques-encoder`).
    #[arg(long, conflicts_with = "techniques_encoder")]
    pub techniques_model_dir: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let paths = batch::paths_or_stdin(args.input.paths.clone())?;
    let single = batch::single_document(&paths);
    let format = match args.format {
        Some(OutFormat::Json) => Format::Json,
        Some(OutFormat::Jsonl) => Format::Jsonl,
        Some(OutFormat::Text) => Format::Text,
        Some(OutFormat::Brat) => Format::Brat,
        Some(OutFormat::Ptc) => Format::Ptc,
        None if single => Format::Json,
        None => Format::Jsonl,
    };
    let pipeline = Pipeline::new(Config {
        skip: args.skip.clone(),
    });
    let encoder = crate::cmd::finetune::claims_encoder(
        "--claims-model-dir",
        args.claims_model_dir.as_deref(),
        args.claims_encoder || args.claims_explain,
    )?;
    let techniques = crate::cmd::finetune_techniques::techniques_encoder(
        "--techniques-model-dir",
        args.techniques_model_dir.as_deref(),
        args.techniques_encoder,
    )?;
    let stdout = std::io::stdout();
    let array = format == Format::Json && !single;
    let mut out = batch::RecordWriter::new(std::io::BufWriter::new(stdout.lock()), array)?;
    let outcome = batch::run(
        &paths,
        &args.input.batch_options(),
        |doc| {
            let mut a = pipeline.analyze(doc);
            if let (Some((m, name)), Some(c)) = (&encoder, a.layers.claims.as_mut()) {
                parallax_compare::full::claims::rescore_claims(c, m, name, args.claims_explain);
            }
            if let (Some(m), Some(t)) = (&techniques, a.layers.techniques.as_mut()) {
                *t = parallax_analyze::techniques::analyze_with(&**m, &a.doc);
            }
            output::render(&a, format)
        },
        |s| {
            // Line formats (ptc, brat) write nothing for a document without findings.
            if s.is_empty() {
                return Ok(());
            }
            out.write(&s)
        },
    )?;
    out.finish()?;
    Ok(outcome.exit_code())
}
