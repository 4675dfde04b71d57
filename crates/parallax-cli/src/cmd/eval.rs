//! `parallax eval ...`: scores on held-out data, printed so anyone can rerun them.

use parallax_compare::cluster::ClusterOptions;
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
    /// Story clustering, B-cubed P/R/F1. Without --gold, on synthetic
    /// same-story groups: each article of DIR (.txt) is cut into --parts
    /// contiguous parts and the parts of one article form one gold story.
    /// With --gold, on articles (or their parts) grouped into stories by a
    /// labelled file.
    Cluster {
        /// Folder of plain-text articles (e.g. ../shared/data/polnear/dev/text).
        dir: PathBuf,
        /// Parts per article (default: 3; with --gold 1, the whole article).
        #[arg(long)]
        parts: Option<usize>,
        /// Labelled stories: `article_id<TAB>story` lines, one for every
        /// article of DIR (`-`: a story of its own). The id is the file
        /// stem, or the stem without a leading `article`
        /// (e.g. bench/cluster_events/groups.tsv for the PTC articles).
        #[arg(long, value_name = "TSV")]
        gold: Option<PathBuf>,
        /// With --gold: cluster only the articles of this split (third
        /// column of the labels: tune or test), or all.
        #[arg(long, default_value = "all")]
        split: String,
        /// Also print F1 over thresholds around --threshold (for tuning on a train split).
        #[arg(long)]
        sweep: bool,
        #[command(flatten)]
        opts: ClusterArgs,
    },
    /// Sentence embeddings: agreement (Spearman, Pearson) of the embedded
    /// static table with the full transformer on seeded sentence pairs, and
    /// the speed of both.
    Embeddings {
        /// Folder with the full model: config.json, vocab.txt, model.safetensors.
        #[arg(long, value_name = "DIR")]
        model_dir: PathBuf,
        /// Folder of plain-text articles (e.g. ../shared/data/polnear/dev/text).
        texts: PathBuf,
        /// Pairs of each kind (nearby in one article, across articles).
        #[arg(long, default_value_t = 100)]
        pairs: usize,
        #[arg(long, default_value_t = 13)]
        seed: u64,
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
        /// Write the misses to this TSV (subset, article, FP/FN/SRC, source, content).
        #[arg(long)]
        errors: Option<PathBuf>,
    },
    /// Aligned claims of `compare`: precision and recall against
    /// hand-labelled sentence pairs (bench/align/pairs.tsv), per threshold.
    Align {
        /// Labelled pairs (split, article, start, end, article, start, end, S/R/U).
        #[arg(long, default_value = "bench/align/pairs.tsv")]
        pairs: PathBuf,
        /// Folders holding the articles as ID.txt (repeat the flag).
        #[arg(long, required = true)]
        texts: Vec<PathBuf>,
        /// Score only these splits (comma-separated: tune, test, test2,
        /// ptc-tune, ptc-test) or all.
        #[arg(long, default_value = "all")]
        split: String,
        /// Embed with the full transformer from this folder instead of the
        /// embedded table (the calibration was fitted on the table).
        #[arg(long, value_name = "DIR")]
        model_dir: Option<PathBuf>,
    },
    /// Persuasion techniques: PTC span identification (si) or technique classification (tc).
    Techniques(super::techniques::EvalArgs),
    /// Check-worthiness F1 (positive class), precision and recall on a CheckThat! TSV.
    Checkworthy(crate::cmd::checkworthy::Args),
    /// The claims layer of `analyze` on news articles: F1 against
    /// hand-labelled sentences (bench/claims_news/labels.tsv), per threshold.
    Claims {
        /// Labelled sentences (split, article, start, end, Y/N).
        #[arg(long, default_value = "bench/claims_news/labels.tsv")]
        labels: PathBuf,
        /// Folders holding the articles as ID.txt (repeat the flag).
        #[arg(long, required = true)]
        texts: Vec<PathBuf>,
        /// Score only this split: tune, test or all.
        #[arg(long, default_value = "all")]
        split: String,
        /// Score the sentences with the fine-tuned encoder in this folder
        /// (`train checkworthy-encoder`) instead of the layer's embedded
        /// model (threshold: the encoder's own, 0.5 after folding).
        #[arg(long, conflicts_with = "encoder")]
        model_dir: Option<PathBuf>,
        /// Score the sentences with the embedded fine-tuned encoder, as
        /// `analyze --claims-encoder` does.
        #[arg(long)]
        encoder: bool,
    },
}

/// Every knob of the clustering (defaults: the shipped ones), so that each
/// tuning run in docs/compare.md can be rerun.
#[derive(clap::Args, Debug)]
pub struct ClusterArgs {
    /// Link score threshold (similarity minus the pair's mean background).
    #[arg(long, default_value_t = ClusterOptions::default().threshold, allow_negative_numbers = true)]
    pub threshold: f32,
    /// Neighbours per article that can be linked.
    #[arg(long, default_value_t = ClusterOptions::default().k)]
    pub k: usize,
    /// Weight of the tf-idf cosine of content words.
    #[arg(long, default_value_t = ClusterOptions::default().term_weight)]
    pub term_weight: f32,
    /// Weight of the tf-idf cosine of character 5-6-grams of content words.
    #[arg(long, default_value_t = ClusterOptions::default().gram_weight)]
    pub gram_weight: f32,
    /// Weight of the idf-weighted cosine of names (the rest: embedding cosine).
    #[arg(long, default_value_t = ClusterOptions::default().name_weight)]
    pub name_weight: f32,
    /// Nearest neighbours that make an article's background similarity (0: no local scaling).
    #[arg(long, default_value_t = ClusterOptions::default().scale_k)]
    pub scale_k: usize,
    /// Local scaling strength λ (score = similarity − λ × mean background).
    #[arg(long, default_value_t = ClusterOptions::default().scale)]
    pub scale: f32,
    /// Cap on an article's background similarity.
    #[arg(long, default_value_t = ClusterOptions::default().bg_cap)]
    pub bg_cap: f32,
    /// Link mutual neighbours only.
    #[arg(long)]
    pub mutual: bool,
    /// Average-linkage margin: groups merge while their mean cross score >= threshold − margin.
    #[arg(long, default_value_t = ClusterOptions::default().link_margin, allow_negative_numbers = true)]
    pub link_margin: f32,
    /// Second-pass margin for articles left alone (negative: no second pass).
    #[arg(long, default_value_t = ClusterOptions::default().attach_margin.unwrap_or(-1.0), allow_negative_numbers = true)]
    pub attach_margin: f32,
    /// Similarity at which two articles link whatever their background (1: off).
    #[arg(long, default_value_t = ClusterOptions::default().sure_link)]
    pub sure_link: f32,
}

impl ClusterArgs {
    pub fn options(&self) -> ClusterOptions {
        ClusterOptions {
            threshold: self.threshold,
            k: self.k,
            name_weight: self.name_weight,
            term_weight: self.term_weight,
            gram_weight: self.gram_weight,
            scale_k: self.scale_k,
            scale: self.scale,
            bg_cap: self.bg_cap,
            mutual: self.mutual,
            link_margin: self.link_margin,
            attach_margin: (self.attach_margin >= 0.0).then_some(self.attach_margin),
            sure_link: self.sure_link,
            ..Default::default()
        }
    }
}

/// The `.txt` files of a folder (not recursive), sorted by name; an error
/// naming the folder when it cannot be read or holds none.
pub fn txt_articles(dir: &std::path::Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    anyhow::ensure!(!files.is_empty(), "{}: no .txt articles", dir.display());
    Ok(files)
}

pub fn run(cmd: EvalCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        EvalCommand::Cluster {
            dir,
            parts,
            gold,
            split,
            sweep,
            opts,
        } => eval_cluster(
            &dir,
            parts.unwrap_or(if gold.is_some() { 1 } else { 3 }).max(1),
            gold.as_deref().map(|g| (g, split.as_str())),
            &opts.options(),
            sweep,
        ),
        EvalCommand::Ner { conll, model } => super::ner::eval(&conll, &model),
        EvalCommand::Embeddings {
            model_dir,
            texts,
            pairs,
            seed,
        } => super::eval_embeddings::run(&model_dir, &texts, pairs, seed),
        EvalCommand::Attribution {
            polnear,
            limit,
            errors,
        } => super::eval_attribution::run(&polnear, limit, errors.as_deref()),
        EvalCommand::Align {
            pairs,
            texts,
            split,
            model_dir,
        } => super::eval_align::run(&pairs, &texts, Some(&split), model_dir.as_deref()),
        EvalCommand::Techniques(a) => super::techniques::eval(a),
        EvalCommand::Checkworthy(a) => checkworthy(a),
        EvalCommand::Claims {
            labels,
            texts,
            split,
            model_dir,
            encoder,
        } => super::eval_claims::run(&labels, &texts, &split, model_dir.as_deref(), encoder),
        EvalCommand::Sentences { ptc } => {
            let files = txt_articles(&ptc)?;
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

/// A labelled article: its story (`-`: a story of its own) and split.
struct StoryLabel {
    story: String,
    split: String,
}

/// Reads `article_id<TAB>story[<TAB>split]` lines; `-` (or an empty
/// story) is a story of its own. Errors name the file and the line.
fn read_story_labels(
    path: &std::path::Path,
) -> anyhow::Result<std::collections::HashMap<String, StoryLabel>> {
    let text =
        std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let mut out = std::collections::HashMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut cols = line.split('\t').map(str::trim);
        let (Some(id), Some(story)) = (cols.next(), cols.next()) else {
            anyhow::bail!(
                "{}:{}: expected `article_id<TAB>story[<TAB>split]`",
                path.display(),
                n + 1
            );
        };
        let label = StoryLabel {
            story: story.to_string(),
            split: cols.next().unwrap_or("").to_string(),
        };
        anyhow::ensure!(
            out.insert(id.to_string(), label).is_none(),
            "{}:{}: article {} is labelled twice",
            path.display(),
            n + 1,
            id
        );
    }
    anyhow::ensure!(!out.is_empty(), "{}: no labels", path.display());
    Ok(out)
}

/// The articles of `files` in `split` (`all`: every one) and their gold
/// story ids, from labels keyed by file stem (or the stem without a
/// leading `article`); `-` gives an article a story of its own.
fn gold_stories(
    files: &[PathBuf],
    labels: &std::collections::HashMap<String, StoryLabel>,
    path: &std::path::Path,
    split: &str,
) -> anyhow::Result<(Vec<PathBuf>, Vec<usize>)> {
    let mut ids: std::collections::HashMap<&str, usize> = Default::default();
    let (mut kept, mut gold) = (Vec::new(), Vec::new());
    let mut missing = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let Some(label) = labels
            .get(stem)
            .or_else(|| labels.get(stem.trim_start_matches("article")))
        else {
            missing.push(stem.to_string());
            continue;
        };
        if split != "all" && label.split != split {
            continue;
        }
        kept.push(f.clone());
        match label.story.as_str() {
            "-" | "" => gold.push(files.len() + i),
            s => {
                let next = ids.len();
                gold.push(*ids.entry(s).or_insert(next));
            }
        }
    }
    anyhow::ensure!(
        missing.is_empty(),
        "{}: no label for {} article(s) of the folder, e.g. {}",
        path.display(),
        missing.len(),
        missing[..missing.len().min(3)].join(", ")
    );
    anyhow::ensure!(
        !kept.is_empty(),
        "{}: no article in split {split}",
        path.display()
    );
    Ok((kept, gold))
}

fn eval_cluster(
    dir: &std::path::Path,
    parts: usize,
    gold_file: Option<(&std::path::Path, &str)>,
    opts: &ClusterOptions,
    sweep: bool,
) -> anyhow::Result<ExitCode> {
    use parallax_compare::cluster;
    use rayon::prelude::*;
    let mut files = txt_articles(dir)?;
    let read = |f: &PathBuf| -> anyhow::Result<String> {
        std::fs::read_to_string(f).map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))
    };
    // each article's gold story: its labelled story, or the article itself
    let article_gold: Vec<usize> = match gold_file {
        Some((path, split)) => {
            let (kept, gold) = gold_stories(&files, &read_story_labels(path)?, path, split)?;
            files = kept;
            gold
        }
        None => (0..files.len()).collect(),
    };
    // a whole article is one item (parts 1); otherwise each of its parts
    // is one, in the article's story
    let items: Vec<(usize, cluster::DocFeatures)> = files
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            let text = read(f)?;
            let doc = parallax_core::Document::from_text("x", &text);
            if parts == 1 {
                return Ok(vec![(i, cluster::features(&doc))]);
            }
            Ok(cluster::split_parts(&doc, parts)
                .into_iter()
                .map(|p| {
                    (
                        i,
                        cluster::features(&parallax_core::Document::from_text("p", &p)),
                    )
                })
                .collect::<Vec<_>>())
        })
        .collect::<anyhow::Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    let article: Vec<usize> = items.iter().map(|x| x.0).collect();
    let gold: Vec<usize> = article.iter().map(|&a| article_gold[a]).collect();
    let feats: Vec<cluster::DocFeatures> = items.into_iter().map(|x| x.1).collect();
    let mut by_story: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (i, g) in gold.iter().enumerate() {
        by_story.entry(*g).or_default().push(i);
    }
    let stories = by_story.len();
    // the stories of 2 or more articles (with --gold)
    let mut articles_in: std::collections::HashMap<usize, usize> = Default::default();
    for g in &article_gold {
        *articles_in.entry(*g).or_default() += 1;
    }
    let shared: Vec<Vec<usize>> = by_story
        .iter()
        .filter(|(g, _)| articles_in.get(g).copied().unwrap_or(0) > 1)
        .map(|(_, v)| v.clone())
        .collect();
    match gold_file {
        Some((path, split)) => {
            println!(
                "story clustering on {} {} of {} articles from {} in {} stories of {} (split {split}; {} stories of 2 or more articles, holding {} items)",
                feats.len(),
                if parts == 1 { "items (whole articles)".to_string() } else { format!("items ({parts} parts per article)") },
                files.len(),
                dir.display(),
                stories,
                path.display(),
                shared.len(),
                shared.iter().map(Vec::len).sum::<usize>()
            );
        }
        None => println!(
            "story clustering on {} parts of {} articles from {} ({} parts each)",
            feats.len(),
            stories,
            dir.display(),
            parts
        ),
    }
    println!("{opts:?}");
    if sweep {
        for d in [
            -0.04f32, -0.03, -0.02, -0.015, -0.01, -0.005, 0.0, 0.005, 0.01, 0.015, 0.02, 0.03,
            0.04,
        ] {
            let t = opts.threshold + d;
            let l = cluster::cluster(
                &feats,
                &ClusterOptions {
                    threshold: t,
                    ..opts.clone()
                },
            );
            let (p, r, f) = cluster::bcubed(&l, &gold);
            println!("  threshold {t:.3}: B-cubed P {p:.4} R {r:.4} F1 {f:.4}");
        }
    }
    let l = cluster::cluster(&feats, opts);
    let groups = l.iter().collect::<std::collections::BTreeSet<_>>().len();
    println!(
        "threshold {:.3}: {} groups for {} gold stories",
        opts.threshold, groups, stories
    );
    let stories_items: Vec<Vec<usize>> = by_story.into_values().collect();
    let per = cluster::bcubed_per_item(&l, &gold);
    report_bcubed("", &per, &stories_items);
    if gold_file.is_some() {
        // the items of stories with other articles: the figure that a
        // folder of mostly unrelated articles cannot inflate, next to the
        // same figures for putting every article alone (its parts together)
        report_bcubed("stories of 2 or more articles: ", &per, &shared);
        let per_alone = cluster::bcubed_per_item(&article, &gold);
        println!("baseline, every article alone:");
        report_bcubed("  all items: ", &per_alone, &stories_items);
        report_bcubed("  stories of 2 or more articles: ", &per_alone, &shared);
    }
    Ok(ExitCode::SUCCESS)
}

/// B-cubed P/R/F1 averaged over the items of `stories`, and a 95% interval
/// of F1 over those stories (1,000 bootstrap resamples of the stories,
/// seed 7, averaging the per-item scores of the items drawn; the grouping
/// is not redone for each resample).
fn report_bcubed(label: &str, per: &[(f64, f64)], stories: &[Vec<usize>]) {
    let mean = |idx: &[usize]| {
        let (mut sp, mut sr, mut k) = (0.0, 0.0, 0usize);
        for &s in idx {
            for &i in &stories[s] {
                sp += per[i].0;
                sr += per[i].1;
                k += 1;
            }
        }
        let k = k.max(1) as f64;
        (sp / k, sr / k)
    };
    let all: Vec<usize> = (0..stories.len()).collect();
    let (p, r) = mean(&all);
    let f = parallax_core::metrics::f1(p, r);
    println!("{label}B-cubed precision {p:.4}  recall {r:.4}  F1 {f:.4}");
    let (lo, hi) = parallax_core::metrics::bootstrap_interval(stories.len(), 1000, 7, |idx| {
        let (p, r) = mean(idx);
        parallax_core::metrics::f1(p, r)
    });
    println!(
        "{label}B-cubed F1 95% interval over stories {lo:.4}-{hi:.4} (1,000 bootstrap resamples of the {} stories, seed 7; the grouping is not redone)",
        stories.len()
    );
}

fn checkworthy(a: crate::cmd::checkworthy::Args) -> anyhow::Result<ExitCode> {
    use crate::cmd::checkworthy::{encoder_vectors, load_model, read_rows, selected, tuned, Split};
    use parallax_analyze::claims::data::{contexts_with, part_of, Part};
    let all = read_rows(&a.tsv)?;
    // one score per row of the chosen part, from the fine-tuned encoder in
    // --model-dir or from the linear model
    let (scores, seed, name): (Vec<Option<f32>>, u64, String) = match tuned(&a)? {
        Some(t) => {
            let s = crate::cmd::finetune::classify_rows(
                t.model,
                &all,
                |r| r.label.is_some() && selected(r, a.split, t.seed),
                !a.no_progress,
            );
            (s, t.seed, t.name)
        }
        None => {
            let model = load_model(a.model.as_deref())?;
            let vecs = encoder_vectors(&model, a.model_dir.as_deref(), &all, |r| {
                r.label.is_some() && selected(r, a.split, model.seed)
            })?;
            let ctxs = contexts_with(&all, vecs.as_deref());
            let s = all
                .iter()
                .zip(&ctxs)
                .map(|(r, c)| selected(r, a.split, model.seed).then(|| model.score_ctx(c)))
                .collect();
            let name = a
                .model
                .as_ref()
                .map_or("embedded checkworthy-lr-v2 (linear)".to_string(), |p| {
                    p.display().to_string()
                });
            (s, model.seed, name)
        }
    };
    let rows: Vec<_> = all
        .iter()
        .zip(&scores)
        .filter(|(r, _)| selected(r, a.split, seed))
        .collect();
    let mut unlabeled = 0;
    let mut in_train = 0;
    // (gold, predicted) per labelled sentence, for the interval
    let mut calls: Vec<(bool, bool)> = Vec::new();
    for (r, sc) in &rows {
        let Some(y) = r.label else {
            unlabeled += 1;
            continue;
        };
        if part_of(&r.id, seed) != Part::Heldout {
            in_train += 1;
        }
        calls.push((y, sc.unwrap_or(0.0) >= 0.5));
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
        name
    );
    if a.split == Split::All && in_train > 0 {
        println!(
            "note: {in_train} of these ids fall in the model's train/dev split (seed {seed}); if this is the CheckThat! train file, use --split heldout"
        );
    }
    let (prf, (lo, hi)) = crate::cmd::finetune::prf_with_interval(&calls);
    println!("{}", prf.report());
    println!("F1 95% interval over sentences {lo:.4}-{hi:.4} (1,000 bootstrap resamples, seed 7)");
    Ok(ExitCode::SUCCESS)
}
