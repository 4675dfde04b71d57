//! `parallax search "query" --db corpus.db`: full-text search of a corpus.

use parallax_store::{SearchQuery, Store};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum OutFormat {
    Text,
    Json,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Words, "quoted phrases", OR between terms, word* for prefixes.
    pub query: String,
    #[arg(long)]
    pub db: PathBuf,
    /// Only articles from this source (outlet), exactly.
    #[arg(long)]
    pub source: Option<String>,
    /// Published on or after (YYYY-MM-DD or YYYY-MM).
    #[arg(long)]
    pub from: Option<String>,
    /// Published on or before (YYYY-MM-DD, or YYYY-MM for the whole month).
    #[arg(long)]
    pub to: Option<String>,
    /// Only articles with this label in the techniques layer.
    #[arg(long)]
    pub technique: Option<String>,
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[arg(long, short, value_enum, default_value = "text")]
    pub format: OutFormat,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let store = Store::open_read_only(&args.db)?;
    let hits = store.search(&SearchQuery {
        text: args.query,
        source: args.source,
        from: args.from,
        to: args.to,
        technique: args.technique,
        limit: args.limit,
        offset: 0,
    })?;
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    match args.format {
        OutFormat::Json => writeln!(w, "{}", serde_json::to_string_pretty(&hits)?)?,
        OutFormat::Text => {
            for h in &hits {
                let meta: Vec<&str> = [h.source.as_deref(), h.published.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect();
                writeln!(
                    w,
                    "#{:<6} {:>7.2}  {}  [{}]",
                    h.id,
                    -h.score.unwrap_or(0.0),
                    h.title.as_deref().unwrap_or(&h.doc_id),
                    meta.join(", ")
                )?;
                if let Some(s) = &h.snippet {
                    let s = s.replace('\u{1}', "[").replace('\u{2}', "]");
                    writeln!(
                        w,
                        "         {}",
                        s.split_whitespace().collect::<Vec<_>>().join(" ")
                    )?;
                }
            }
            if hits.is_empty() {
                eprintln!("parallax: no matches");
            }
        }
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}
