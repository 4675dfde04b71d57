//! `parallax checkworthy --tsv FILE`: one `Sentence_id<TAB>score` line per
//! sentence of a CheckThat! TSV, plus the shared helpers of the
//! `eval checkworthy` and `train checkworthy` commands.

use parallax_analyze::claims::data::{self, Part, Row};
use parallax_analyze::claims::model::Model;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Which rows of a TSV to use, by the seeded split of `claims::data`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Split {
    /// Every row (use for a file the model was not trained on).
    All,
    /// Rows whose id falls in the held-out part (10%), never trained or tuned on.
    Heldout,
    /// Rows in the dev part (10%), used to tune the threshold.
    Dev,
    /// Rows in the training part (80%).
    Train,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// CheckThat! TSV: `Sentence_id<TAB>Text[<TAB>class_label]` with a header line.
    #[arg(long)]
    pub tsv: PathBuf,
    /// Score with this model file instead of the embedded one.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Only the rows of this part of the seeded split.
    #[arg(long, value_enum, default_value = "all")]
    pub split: Split,
}

pub fn read_rows(path: &Path) -> anyhow::Result<Vec<Row>> {
    let text =
        std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let rows = data::parse_tsv(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    anyhow::ensure!(!rows.is_empty(), "{}: no rows", path.display());
    Ok(rows)
}

pub fn load_model(path: Option<&Path>) -> anyhow::Result<std::borrow::Cow<'static, Model>> {
    match path {
        None => Ok(std::borrow::Cow::Borrowed(
            parallax_analyze::claims::embedded_model(),
        )),
        Some(p) => {
            let b = std::fs::read(p).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
            let m = Model::from_bytes(&b).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
            Ok(std::borrow::Cow::Owned(m))
        }
    }
}

/// Rows of the chosen part (the split uses the model's seed).
pub fn select(rows: Vec<Row>, split: Split, seed: u64) -> Vec<Row> {
    let want = match split {
        Split::All => return rows,
        Split::Heldout => Part::Heldout,
        Split::Dev => Part::Dev,
        Split::Train => Part::Train,
    };
    rows.into_iter()
        .filter(|r| data::part_of(&r.id, seed) == want)
        .collect()
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let model = load_model(args.model.as_deref())?;
    let rows = select(read_rows(&args.tsv)?, args.split, model.seed);
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    writeln!(w, "Sentence_id\tscore")?;
    for r in &rows {
        writeln!(w, "{}\t{:.4}", r.id, model.score(&r.text))?;
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}
