//! `parallax`: the command-line edge of Parallax. Library errors become
//! `anyhow` errors here; bad inputs are reported one line each on stderr
//! and never stop a batch.

mod batch;
mod cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// mimalloc: the analyzers allocate many small strings per token; this
/// allocator serves them faster than the system one (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "parallax",
    version,
    about = "Read contested news with the text as evidence: claims, quotes, sources, naming, persuasion techniques, and comparisons."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyze articles (files, directories, JSONL, or - for stdin).
    Analyze(cmd::analyze::Args),
    /// Print the main text of an article (HTML main-text extraction).
    Extract(cmd::extract::Args),
    /// Compare several articles on one story side by side (JSON, --html report).
    Compare(cmd::compare::Args),
    /// Group articles into stories (JSON).
    Cluster(cmd::cluster::Args),
    /// Analyze articles into a corpus database (idempotent, resumable).
    Ingest(cmd::ingest::Args),
    /// Full-text search of a corpus (BM25) with filters.
    Search(cmd::search::Args),
    /// Corpus statistics: technique density per source and month, speakers, sources.
    Stats(cmd::stats::Args),
    /// Serve the HTTP API and the web app (127.0.0.1 by default).
    Serve(cmd::serve::Args),
    /// Score an analyzer on held-out data.
    #[command(subcommand)]
    Eval(cmd::eval::EvalCommand),
    /// Retrain one of the project's models (seeded, reproducible).
    #[command(subcommand)]
    Train(cmd::train::TrainCommand),
    /// Tag a CoNLL file with named entities (predicted tag appended to each token line).
    Ner(cmd::ner::Args),
    /// Persuasion techniques: classify given spans, list the techniques.
    #[command(subcommand)]
    Techniques(cmd::techniques::TechniquesCommand),
    /// Score sentences of a CheckThat! TSV for check-worthiness (`Sentence_id<TAB>score`).
    Checkworthy(cmd::checkworthy::Args),
}

/// Rust ignores SIGPIPE, so writing to a closed pipe (`parallax eval … |
/// head`) is an error, or a panic inside `println!`. A command-line tool
/// should end quietly there, as `cat` does: the default action is put
/// back, except for `serve`, whose writes go to sockets and must never
/// end the server.
fn default_sigpipe(cmd: &Command) {
    #[cfg(unix)]
    if !matches!(cmd, Command::Serve(_)) {
        // SAFETY: called once at startup, before any thread is spawned;
        // `signal` with `SIG_DFL` has no other effect.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    #[cfg(not(unix))]
    let _ = cmd;
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    default_sigpipe(&cli.command);
    let result = match cli.command {
        Command::Analyze(a) => cmd::analyze::run(a),
        Command::Extract(a) => cmd::extract::run(a),
        Command::Compare(a) => cmd::compare::run(a),
        Command::Cluster(a) => cmd::cluster::run(a),
        Command::Eval(a) => cmd::eval::run(a),
        Command::Ingest(a) => cmd::ingest::run(a),
        Command::Search(a) => cmd::search::run(a),
        Command::Stats(a) => cmd::stats::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::Train(a) => cmd::train::run(a),
        Command::Ner(a) => cmd::ner::run(a),
        Command::Techniques(a) => cmd::techniques::run(a),
        Command::Checkworthy(a) => cmd::checkworthy::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("parallax: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
