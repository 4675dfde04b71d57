//! `parallax`: the command-line edge of Parallax. Library errors become
//! `anyhow` errors here; bad inputs are reported one line each on stderr
//! and never stop a batch.

mod batch;
mod cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

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
    /// Score an analyzer on held-out data.
    #[command(subcommand)]
    Eval(cmd::eval::EvalCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(a) => cmd::analyze::run(a),
        Command::Extract(a) => cmd::extract::run(a),
        Command::Compare(a) => cmd::compare::run(a),
        Command::Cluster(a) => cmd::cluster::run(a),
        Command::Eval(a) => cmd::eval::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("parallax: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
