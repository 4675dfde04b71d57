//! `parallax techniques ...` and `parallax eval techniques`: the PTC tasks
//! on folders of `article<ID>.txt` files.

use parallax_analyze::techniques::{
    self,
    metric::{Fragment, Score, Task},
    model::LinearModel,
    ptc, train as tt, TechniqueModel,
};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum TechniquesCommand {
    /// Fill in the technique of given spans (the TC task). Prints
    /// `ID<TAB>TECHNIQUE<TAB>START<TAB>END` lines.
    Classify {
        /// Folder of `article<ID>.txt` files.
        #[arg(long)]
        articles: PathBuf,
        /// Span file (or folder of them): `ID<TAB>START<TAB>END` or
        /// `ID<TAB>ANY<TAB>START<TAB>END` lines, code-point offsets.
        #[arg(long)]
        spans: PathBuf,
        /// A model file from `parallax train techniques` instead of the embedded one.
        #[arg(long)]
        model: Option<PathBuf>,
    },
    /// List the 14 techniques with their definitions.
    List,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum TaskArg {
    Si,
    Tc,
    Full,
}

#[derive(clap::Args, Debug)]
pub struct EvalArgs {
    /// `si`: span identification (spans from the model); `tc`: technique
    /// classification of the gold spans; `full`: end to end (the model's
    /// spans with its techniques, scored like TC: labels must match).
    #[arg(long, value_enum)]
    pub task: TaskArg,
    /// Folder of `article<ID>.txt` files.
    #[arg(long)]
    pub articles: PathBuf,
    /// Gold label file or folder (TC or SI format).
    #[arg(long)]
    pub labels: PathBuf,
    /// Score only the model's held-out validation articles.
    #[arg(long)]
    pub held_out: bool,
    /// A model file from `parallax train techniques` instead of the embedded one.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// A fine-tuned encoder folder from `parallax train
    /// techniques-encoder`, mixed into the span tagger (SI and end to end;
    /// TC stays the linear classifier's).
    #[arg(long)]
    pub encoder_dir: Option<PathBuf>,
    /// The embedded fine-tuned encoder (`techniques-encoder-v1`, what
    /// `analyze --techniques-encoder` uses) mixed into the embedded span
    /// tagger.
    #[arg(long, conflicts_with_all = ["encoder_dir", "model"])]
    pub encoder: bool,
}

fn load_model(p: &Option<PathBuf>) -> anyhow::Result<Option<LinearModel>> {
    match p {
        None => Ok(None),
        Some(p) => {
            let b = std::fs::read(p).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
            Ok(Some(
                LinearModel::from_bytes(&b).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?,
            ))
        }
    }
}

pub fn eval(a: EvalArgs) -> anyhow::Result<ExitCode> {
    let loaded = load_model(&a.model)?;
    let model: &LinearModel = loaded.as_ref().unwrap_or(&techniques::DEFAULT_MODEL);
    let mut articles = ptc::load_articles(&a.articles)?;
    let labels = ptc::load_labels(&a.labels)?;
    if a.held_out {
        articles.retain(|x| model.meta.validation_ids.contains(&x.id));
        anyhow::ensure!(
            !articles.is_empty(),
            "{}: none of the model's {} validation articles is here",
            a.articles.display(),
            model.meta.validation_ids.len()
        );
    }
    let seen = articles
        .iter()
        .filter(|x| model.meta.train_ids.contains(&x.id))
        .count();
    if seen > 0 {
        eprintln!(
            "parallax: warning: {seen} of {} articles were used to train this model: these scores are not held-out (use --held-out)",
            articles.len()
        );
    }
    let missing = articles
        .iter()
        .filter(|x| !labels.contains_key(&x.id))
        .count();
    if missing > 0 {
        eprintln!(
            "parallax: note: {missing} articles have no gold labels (scored as having no spans)"
        );
    }
    let exs = tt::examples(&articles, &labels);
    let refs: Vec<&tt::Example> = exs.iter().collect();
    let task = match a.task {
        TaskArg::Si => Task::Si,
        TaskArg::Tc => Task::Tc,
        TaskArg::Full => Task::Full,
    };
    let fused = match &a.encoder_dir {
        Some(d) => Some(super::finetune_techniques::load_fused(
            "--encoder-dir",
            d,
            model,
        )?),
        None => None,
    };
    let m: &dyn TechniqueModel = match &fused {
        Some(f) => f,
        None if a.encoder => parallax_compare::full::techniques::embedded(),
        None => model,
    };
    let per = tt::evaluate_per_article(m, &refs, task);
    let s = Score::total(&per);
    println!(
        "techniques {} on {} articles ({} predicted, {} gold fragments)",
        match task {
            Task::Si => "SI (span identification)",
            Task::Tc => "TC (technique classification of gold spans)",
            Task::Full => "end to end (the model's spans and techniques)",
        },
        s.articles,
        s.predicted,
        s.gold
    );
    println!("{}", s.summary());
    let (lo, hi) = techniques::metric::bootstrap_f1(&per, 1000, 7);
    println!(
        "F1 95% interval over articles {lo:.4}-{hi:.4} (1,000 bootstrap resamples of the {} articles, seed 7)",
        per.len()
    );
    if task == Task::Si {
        println!("recall per technique (share of each gold span that the model's spans cover):");
        println!("{:<34} {:>6} {:>7}", "technique", "gold", "R");
        let rows = tt::si_recall_per_technique(m, &refs);
        for i in most_gold_first(|i| rows[i].0) {
            let (n, covered) = rows[i];
            println!(
                "{:<34} {:>6} {:>7.4}",
                techniques::Technique::ALL[i].ptc_label(),
                n,
                parallax_core::metrics::mean(covered, n)
            );
        }
    }
    if task == Task::Tc {
        println!("per technique (P: right / spans labelled so; R: right / gold spans):");
        println!(
            "{:<34} {:>6} {:>9} {:>7} {:>7} {:>7}",
            "technique", "gold", "predicted", "P", "R", "F1"
        );
        let counts = tt::tc_per_technique(m, &refs);
        for i in most_gold_first(|i| counts[i][0]) {
            let [gold, pred, right] = counts[i];
            use parallax_core::metrics::{f1, mean};
            let (p, r) = (mean(right as f64, pred), mean(right as f64, gold));
            let f = f1(p, r);
            println!(
                "{:<34} {:>6} {:>9} {:>7.4} {:>7.4} {:>7.4}",
                techniques::Technique::ALL[i].ptc_label(),
                gold,
                pred,
                p,
                r,
                f
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Technique indices, the most gold spans first (ties in label order).
fn most_gold_first(gold: impl Fn(usize) -> usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..techniques::Technique::ALL.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(gold(i)));
    order
}

pub fn run(cmd: TechniquesCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        TechniquesCommand::List => {
            for t in techniques::Technique::ALL {
                println!("{}\t{}\t{}", t.ptc_label(), t.name(), t.definition());
            }
            Ok(ExitCode::SUCCESS)
        }
        TechniquesCommand::Classify {
            articles,
            spans,
            model,
        } => classify(&articles, &spans, &model),
    }
}

fn classify(articles: &Path, spans: &Path, model: &Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let loaded = load_model(model)?;
    let model: &LinearModel = loaded.as_ref().unwrap_or(&techniques::DEFAULT_MODEL);
    let wanted = ptc::load_labels(spans)?;
    let docs = ptc::load_articles(articles)?;
    let mut failed = 0usize;
    let mut out = String::new();
    for (id, frags) in &wanted {
        let Some(a) = docs.iter().find(|d| &d.id == id) else {
            eprintln!(
                "parallax: {}: article {id} not found in {} ({} spans skipped)",
                spans.display(),
                articles.display(),
                frags.len()
            );
            failed += 1;
            continue;
        };
        let doc = parallax_core::Document::from_text(&a.id, &a.text);
        let n = doc.char_len();
        let (ok, bad): (Vec<Fragment>, Vec<Fragment>) = frags
            .iter()
            .cloned()
            .partition(|f| f.end <= n && f.start < f.end);
        for f in &bad {
            eprintln!(
                "parallax: {}: span {id} {}..{} is empty or outside the article ({} code points); skipped",
                spans.display(),
                f.start,
                f.end,
                n
            );
            failed += 1;
        }
        for f in tt::classify_fragments(model, &doc, &ok) {
            out.push_str(&format!(
                "{id}\t{}\t{}\t{}\n",
                f.label.as_deref().unwrap_or(""),
                f.start,
                f.end
            ));
        }
    }
    print!("{out}");
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
