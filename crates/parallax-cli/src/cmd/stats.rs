//! `parallax stats --db corpus.db`: what the corpus holds, per source and month.

use parallax_store::Store;
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
    #[arg(long)]
    pub db: PathBuf,
    /// Entries per list.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    #[arg(long, short, value_enum, default_value = "text")]
    pub format: OutFormat,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let store = Store::open_read_only(&args.db)?;
    let st = store.stats(args.top.max(1))?;
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    if let OutFormat::Json = args.format {
        writeln!(w, "{}", serde_json::to_string_pretty(&st)?)?;
        w.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(w, "{} articles, {} tokens", st.articles, st.tokens)?;
    for (title, groups) in [("source", &st.per_source), ("month", &st.per_month)] {
        writeln!(w, "\ntechniques per 1,000 tokens, by {title}:")?;
        writeln!(
            w,
            "  {:<28} {:>8} {:>10} {:>8}  top techniques",
            title, "articles", "techniques", "density"
        )?;
        for g in groups.iter() {
            let top: Vec<String> = g
                .by_label
                .iter()
                .take(3)
                .map(|(l, n)| format!("{l} {n}"))
                .collect();
            writeln!(
                w,
                "  {:<28} {:>8} {:>10} {:>8.2}  {}",
                g.key,
                g.articles,
                g.techniques,
                g.density,
                top.join(", ")
            )?;
        }
    }
    for (title, list) in [
        ("most-quoted speakers", &st.speakers),
        ("most-cited sources", &st.cited_sources),
    ] {
        writeln!(w, "\n{title}:")?;
        if list.is_empty() {
            writeln!(w, "  (none: the layer is absent or found nothing)")?;
        }
        for n in list.iter() {
            writeln!(w, "  {:>6}  {} ({} articles)", n.count, n.name, n.articles)?;
        }
    }
    writeln!(w, "\nfindings per layer and label:")?;
    for l in &st.layers {
        writeln!(w, "  {:<14} {:<36} {:>8}", l.layer, l.label, l.count)?;
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}
