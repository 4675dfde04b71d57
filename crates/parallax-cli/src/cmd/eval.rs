//! `parallax eval ...`: scores on held-out data, printed so anyone can rerun them.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum EvalCommand {
    /// Sentence-boundary precision/recall/F1 against PTC articles (one gold sentence a line).
    Sentences {
        /// Folder of PTC `article*.txt` files.
        #[arg(long)]
        ptc: PathBuf,
    },
    /// Named entities: precision/recall/F1 per type, CoNLL entity-level metric.
    Ner {
        /// Gold CoNLL file (last column = IOB tag), e.g. ../shared/data/conll2003/valid.txt.
        #[arg(long)]
        conll: PathBuf,
        /// Model file instead of the embedded one.
        #[arg(long)]
        model: Option<PathBuf>,
    },
    /// Attribution content P/R/F1 (PTC span metric) and source accuracy against PolNeAR (text/ + attributions/).
    Attribution {
        /// PolNeAR split folder holding `text/` and `attributions/`.
        #[arg(long)]
        polnear: PathBuf,
        /// Score at most this many articles (sorted by name).
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Persuasion techniques: PTC span identification (si) or technique classification (tc).
    Techniques(super::techniques::EvalArgs),
    /// Check-worthiness F1 (positive class), precision and recall on a CheckThat! TSV.
    Checkworthy(crate::cmd::checkworthy::Args),
}

pub fn run(cmd: EvalCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        EvalCommand::Ner { conll, model } => super::ner::eval(&conll, &model),
        EvalCommand::Attribution { polnear, limit } => {
            super::eval_attribution::run(&polnear, limit)
        }
        EvalCommand::Techniques(a) => super::techniques::eval(a),
        EvalCommand::Checkworthy(a) => checkworthy(a),
        EvalCommand::Sentences { ptc } => {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&ptc)
                .map_err(|e| anyhow::anyhow!("{}: {e}", ptc.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect();
            files.sort();
            anyhow::ensure!(!files.is_empty(), "{}: no .txt articles", ptc.display());
            let mut total = parallax_core::segment::BoundaryScore::default();
            for f in &files {
                let text = std::fs::read_to_string(f)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?;
                total.add(&parallax_core::segment::score_line_gold(&text));
            }
            println!(
                "sentence boundaries on {} articles ({} gold sentences)",
                files.len(),
                total.gold
            );
            println!(
                "precision {:.4}  recall {:.4}  F1 {:.4}",
                total.precision(),
                total.recall(),
                total.f1()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn checkworthy(a: crate::cmd::checkworthy::Args) -> anyhow::Result<ExitCode> {
    use crate::cmd::checkworthy::{load_model, read_rows, selected, Split};
    use parallax_analyze::claims::data::{contexts, part_of, Part};
    let model = load_model(a.model.as_deref())?;
    let all = read_rows(&a.tsv)?;
    let ctxs = contexts(&all);
    let rows: Vec<_> = all
        .iter()
        .zip(&ctxs)
        .filter(|(r, _)| selected(r, a.split, model.seed))
        .collect();
    let mut prf = parallax_analyze::claims::model::Prf::default();
    let mut unlabeled = 0;
    let mut in_train = 0;
    for (r, c) in &rows {
        let Some(y) = r.label else {
            unlabeled += 1;
            continue;
        };
        if part_of(&r.id, model.seed) != Part::Heldout {
            in_train += 1;
        }
        prf.add(y, model.score_ctx(c) >= 0.5);
    }
    anyhow::ensure!(
        unlabeled < rows.len(),
        "{}: no class_label column to score against",
        a.tsv.display()
    );
    println!(
        "check-worthiness on {} ({:?} split, {} labeled sentences, model {})",
        a.tsv.display(),
        a.split,
        rows.len() - unlabeled,
        a.model
            .as_ref()
            .map_or("embedded".to_string(), |p| p.display().to_string())
    );
    if a.split == Split::All && in_train > 0 {
        println!(
            "note: {in_train} of these ids fall in the model's train/dev split (seed {}); if this is the CheckThat! train file, use --split heldout",
            model.seed
        );
    }
    println!("{}", prf.report());
    Ok(ExitCode::SUCCESS)
}
