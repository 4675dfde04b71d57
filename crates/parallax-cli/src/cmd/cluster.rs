//! `parallax cluster PATH...`: group articles into stories.

use crate::batch;
use crate::cmd::analyze::InputArgs;
use parallax_compare::cluster::{self, ClusterOptions};
use std::io::Write;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    /// Link score two articles need to join one story: their similarity minus
    /// their mean background similarity (0: closer to each other than to
    /// their usual neighbours; higher: stricter).
    #[arg(long, default_value_t = ClusterOptions::default().threshold, allow_negative_numbers = true)]
    pub threshold: f32,
    /// Neighbours considered per article.
    #[arg(long, default_value_t = ClusterOptions::default().k)]
    pub k: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let paths = batch::paths_or_stdin(args.input.paths.clone())?;
    let batch_opts = args.input.batch_options();
    let mut docs = Vec::new();
    let mut feats = Vec::new();
    let outcome = batch::run(
        &paths,
        &batch_opts,
        |doc| {
            let f = cluster::features(&doc);
            ((doc.meta.id.clone(), doc.meta.title.clone()), f)
        },
        |(d, f)| {
            docs.push(d);
            feats.push(f);
            Ok(())
        },
    )?;
    let opts = ClusterOptions {
        threshold: args.threshold,
        k: args.k,
        ..Default::default()
    };
    // clustering a big batch takes a while too: a second bar
    let pb = batch::progress_bar(
        batch_opts.progress && feats.len() > 1,
        cluster::progress_steps(feats.len(), &opts) as u64,
        "{spinner} [{elapsed_precise}] {wide_bar} {percent}% clustered: tf-idf, neighbours, exact scores, links (ETA {eta})",
    );
    // (the word and gram vectors are handed over and made tf-idf in place)
    let labels = cluster::cluster_taking(&mut feats, &opts, &|m| {
        if let Some(pb) = &pb {
            pb.inc(m as u64);
        }
    });
    if let Some(pb) = pb {
        pb.finish_and_clear();
    }
    let stories = cluster::stories(&labels, &docs, &feats);
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    serde_json::to_writer_pretty(
        &mut w,
        &serde_json::json!({"schema": cluster::CLUSTER_SCHEMA, "articles": docs.len(), "stories": stories}),
    )?;
    writeln!(w)?;
    w.flush()?;
    Ok(outcome.exit_code())
}
