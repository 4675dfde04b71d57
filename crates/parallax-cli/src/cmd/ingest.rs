//! `parallax ingest PATH... --db corpus.db`: analyze articles and store them.
//!
//! Idempotent and resumable: an article whose text (SHA-256) is already in
//! the corpus is skipped before it is analyzed, and articles are committed
//! in batches, one transaction each, so a killed ingest loses at most the
//! batch in flight and a rerun picks up where it stopped.

use super::analyze::InputArgs;
use crate::batch;
use parallax_analyze::output::{self, Format};
use parallax_analyze::{Config, Pipeline};
use parallax_store::{NewArticle, Store};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    /// The corpus database (created if absent).
    #[arg(long)]
    pub db: PathBuf,
    /// Articles per transaction.
    #[arg(long, default_value_t = 100)]
    pub batch_size: usize,
    /// Layers to skip, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub skip: Vec<String>,
}

enum Job {
    Known,
    New(Box<NewArticle>),
    Failed(String),
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let paths = batch::paths_or_stdin(args.input.paths.clone())?;
    anyhow::ensure!(args.batch_size > 0, "--batch-size must be at least 1");
    let mut store =
        Store::open(&args.db).map_err(|e| anyhow::anyhow!("{}: {e}", args.db.display()))?;
    let known = store.known_hashes()?;
    let pipeline = Pipeline::new(Config {
        skip: args.skip.clone(),
    });
    let started = Instant::now();
    let (mut added, mut skipped, mut failed) = (0usize, 0usize, 0usize);
    let mut pending: Vec<NewArticle> = Vec::with_capacity(args.batch_size);
    let mut flush = |pending: &mut Vec<NewArticle>, added: &mut usize, skipped: &mut usize| {
        if pending.is_empty() {
            return Ok(());
        }
        let r = store
            .insert_batch(pending)
            .map_err(|e| std::io::Error::other(format!("{}: {e}", args.db.display())))?;
        *added += r.added;
        *skipped += r.skipped;
        pending.clear();
        Ok::<(), std::io::Error>(())
    };
    let mut opts = args.input.batch_options();
    opts.always_summarize = false;
    let outcome = batch::run(
        &paths,
        &opts,
        |doc| {
            if known.contains(&doc.meta.content_hash) {
                return Job::Known;
            }
            let origin = doc.meta.origin.clone();
            let json = output::render(&pipeline.analyze(doc), Format::Jsonl);
            match NewArticle::from_analysis_json(&json) {
                Ok(a) => Job::New(Box::new(a)),
                Err(e) => Job::Failed(format!("{origin}: {e}")),
            }
        },
        |job| {
            match job {
                Job::Known => skipped += 1,
                Job::New(a) => {
                    pending.push(*a);
                    if pending.len() >= args.batch_size {
                        flush(&mut pending, &mut added, &mut skipped)?;
                    }
                }
                Job::Failed(e) => {
                    eprintln!("parallax: error: {e}");
                    failed += 1;
                }
            }
            Ok(())
        },
    )?;
    flush(&mut pending, &mut added, &mut skipped)?;
    let secs = started.elapsed().as_secs_f64();
    let total = store.count()?;
    eprintln!(
        "parallax: ingest: {added} added, {skipped} skipped (already stored), {} failed in {secs:.1} s ({:.1} articles/s); {} holds {total} articles",
        outcome.failed + failed,
        (added + skipped) as f64 / secs.max(1e-9),
        args.db.display(),
    );
    Ok(if outcome.failed + failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
