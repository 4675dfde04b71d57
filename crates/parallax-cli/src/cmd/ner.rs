//! `parallax ner --conll-in FILE`, `parallax eval ner`, `parallax train ner`:
//! the named-entity tagger on CoNLL files.

use super::train::NerArgs;
use anyhow::Context;
use parallax_analyze::entities::{conll, model, train, Model, MODEL};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// CoNLL file (one token a line, blank lines between sentences); each
    /// token line is written back with the predicted tag appended.
    #[arg(long)]
    pub conll_in: PathBuf,
    /// Model file instead of the embedded one.
    #[arg(long)]
    pub model: Option<PathBuf>,
}

pub fn read_conll(p: &Path) -> anyhow::Result<Vec<conll::ConllDoc>> {
    let text = std::fs::read_to_string(p).with_context(|| format!("{}", p.display()))?;
    conll::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))
}

pub fn load_model(p: &Option<PathBuf>) -> anyhow::Result<std::borrow::Cow<'static, Model>> {
    Ok(match p {
        None => std::borrow::Cow::Borrowed(&*MODEL),
        Some(p) => {
            let b = std::fs::read(p).with_context(|| format!("{}", p.display()))?;
            std::borrow::Cow::Owned(
                Model::from_bytes(&b).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?,
            )
        }
    })
}

/// `parallax ner --conll-in FILE`
pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let m = load_model(&a.model)?;
    let docs = read_conll(&a.conll_in)?;
    let pred = train::predict(&m, &docs);
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    for (d, pd) in docs.iter().zip(&pred) {
        if let Some(ds) = &d.docstart {
            writeln!(w, "{ds} O\n")?;
        }
        for (s, p) in d.sentences.iter().zip(pd) {
            for (line, &t) in s.lines.iter().zip(p) {
                writeln!(w, "{line} {}", model::TAGS[t as usize])?;
            }
            writeln!(w)?;
        }
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `parallax eval ner --conll FILE`
pub fn eval(file: &Path, model: &Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let m = load_model(model)?;
    let docs = read_conll(file)?;
    anyhow::ensure!(!docs.is_empty(), "{}: no sentences", file.display());
    let t = std::time::Instant::now();
    let s = train::evaluate(&m, &docs);
    let secs = t.elapsed().as_secs_f64();
    println!(
        "NER on {} ({} documents), CoNLL entity-level metric",
        file.display(),
        docs.len()
    );
    print!("{}", s.report());
    println!(
        "tagged {} tokens in {:.2}s ({:.0} tokens/s, one thread)",
        s.tokens,
        secs,
        s.tokens as f64 / secs.max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}

/// `parallax train ner`
pub fn train(a: NerArgs) -> anyhow::Result<ExitCode> {
    let t = std::time::Instant::now();
    let mut docs = read_conll(&a.train)?;
    if let Some(n) = a.max_docs {
        docs.truncate(n);
    }
    let dev = a.dev.as_deref().map(read_conll).transpose()?;
    anyhow::ensure!(
        a.clusters.len() == 2,
        "--clusters takes two numbers, e.g. 64,400"
    );
    let cfg = train::TrainConfig {
        epochs: a.epochs,
        seed: a.seed,
        clusters: [a.clusters[0], a.clusters[1]],
        cluster_iters: a.cluster_iters,
        ..Default::default()
    };
    let ntok: usize = docs.iter().map(|d| d.token_count()).sum();
    eprintln!(
        "training on {} documents, {} tokens from {}",
        docs.len(),
        ntok,
        a.train.display()
    );
    let mut m = train::train(&docs, dev.as_deref(), &cfg, |l| eprintln!("  {l}"));
    m.meta = serde_json::json!({
        "name": parallax_analyze::entities::MODEL_NAME,
        "train": a.train.file_name().map(|s| s.to_string_lossy().into_owned()),
        "documents": docs.len(),
        "tokens": ntok,
        "epochs": cfg.epochs,
        "seed": cfg.seed,
        "clusters": cfg.clusters,
        "cluster_iters": cfg.cluster_iters,
        "features": m.weights.len(),
    })
    .to_string();
    std::fs::create_dir_all(&a.out).with_context(|| format!("{}", a.out.display()))?;
    let path = a.out.join("ner.bin");
    let bytes = m.to_bytes();
    std::fs::write(&path, &bytes).with_context(|| format!("{}", path.display()))?;
    eprintln!(
        "wrote {} ({:.1} MB, {} features) in {:.1}s",
        path.display(),
        bytes.len() as f64 / 1e6,
        m.weights.len(),
        t.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
