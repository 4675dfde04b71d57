//! `parallax extract FILE`: the main text of an article, alone.

use super::analyze::InputArgs;
use crate::batch;
use serde::Serialize;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum OutFormat {
    Text,
    Json,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[arg(long, short, value_enum, default_value = "text")]
    pub format: OutFormat,
}

#[derive(Serialize)]
struct Extracted<'a> {
    #[serde(flatten)]
    meta: &'a parallax_core::DocMeta,
    text: &'a str,
    links: &'a [parallax_core::Link],
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let paths = batch::paths_or_stdin(args.input.paths.clone())?;
    let stdout = std::io::stdout();
    let format = args.format;
    let array = matches!(format, OutFormat::Json) && !batch::single_document(&paths);
    let mut out = batch::RecordWriter::new(std::io::BufWriter::new(stdout.lock()), array)?;
    let outcome = batch::run(
        &paths,
        &args.input.batch_options(),
        |doc| match format {
            OutFormat::Text => doc.text.clone(),
            OutFormat::Json => serde_json::to_string_pretty(&Extracted {
                meta: &doc.meta,
                text: &doc.text,
                links: &doc.links,
            })
            .expect("serializable"),
        },
        |s| out.write(&s),
    )?;
    out.finish()?;
    Ok(outcome.exit_code())
}
