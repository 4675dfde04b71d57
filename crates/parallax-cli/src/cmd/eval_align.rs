//! `parallax eval align`: how often an aligned pair of `parallax compare`
//! is one fact told twice, against hand-labelled sentence pairs.
//!
//! The pairs file (`bench/align/pairs.tsv`) holds, per line, a split
//! (`tune` or `test`), two article ids with the code-point span of one
//! sentence (or half sentence) in each, and a label: `S` the two state the
//! same fact, event or claim; `R` related (same topic or actors, different
//! facts); `U` unrelated. The texts are read from the folders given with
//! `--texts` (`ID.txt`), never copied into the file.
//!
//! For each article pair the real comparer runs (all layers, the embedded
//! table) and its aligned pairs are matched to the labelled ones by span:
//! precision = `S` among the labelled aligned pairs; recall = aligned `S`
//! pairs among all `S` pairs. The labelled pairs are the comparer's own
//! candidates at a low threshold (0.35), so recall is relative to what it
//! proposes, and an aligned pair nobody labelled is counted apart.

use crate::batch;
use parallax_analyze::{Analysis, Config, Pipeline};
use parallax_compare::{view, Comparer, Options};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

type Cp = (usize, usize);

/// One labelled pair of units.
#[derive(Clone, Debug, PartialEq)]
pub struct Labelled {
    pub split: String,
    pub a: String,
    pub sa: Cp,
    pub b: String,
    pub sb: Cp,
    pub label: char,
}

/// Parses the pairs file: tab-separated `split a start end b start end
/// label`; `#` lines and the header are skipped; any other malformed line
/// is an error naming its number.
pub fn parse_pairs(text: &str) -> anyhow::Result<Vec<Labelled>> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') || line.starts_with("split\t") {
            continue;
        }
        let c: Vec<&str> = line.split('\t').collect();
        let bad = || {
            anyhow::anyhow!("line {}: expected split, a, start, end, b, start, end, label (tab-separated): {line}", n + 1)
        };
        if c.len() != 8 {
            return Err(bad());
        }
        let num = |s: &str| s.parse::<usize>().map_err(|_| bad());
        let label = c[7]
            .chars()
            .next()
            .filter(|l| "SRU".contains(*l) && c[7].len() == 1);
        out.push(Labelled {
            split: c[0].to_string(),
            a: c[1].to_string(),
            sa: (num(c[2])?, num(c[3])?),
            b: c[4].to_string(),
            sb: (num(c[5])?, num(c[6])?),
            label: label.ok_or_else(bad)?,
        });
    }
    Ok(out)
}

/// Counts at one threshold.
#[derive(Default, Debug, Clone, Copy, PartialEq)]
pub struct Counts {
    /// Aligned pairs found in the labelled set, by label.
    pub s: usize,
    pub r: usize,
    pub u: usize,
    /// Aligned pairs that no one labelled.
    pub unlabelled: usize,
    /// `S` pairs in the labelled set.
    pub gold_s: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        parallax_core::metrics::mean(self.s as f64, self.s + self.r + self.u)
    }
    pub fn recall(&self) -> f64 {
        parallax_core::metrics::mean(self.s as f64, self.gold_s)
    }
    pub fn f1(&self) -> f64 {
        parallax_core::metrics::f1(self.precision(), self.recall())
    }
    /// `aligned S 1 R 0 U 0 unlabelled 0  precision … recall … F1 …`.
    pub fn line(&self) -> String {
        format!(
            "aligned S {} R {} U {} unlabelled {}  precision {:.4}  recall {:.4}  F1 {:.4}",
            self.s,
            self.r,
            self.u,
            self.unlabelled,
            self.precision(),
            self.recall(),
            self.f1()
        )
    }
}

/// The labelled pairs that `aligned` (code-point spans of side 0, side 1,
/// with the article order of `pairs`) hits, counted.
pub fn count(aligned: &[(Cp, Cp)], pairs: &[&Labelled]) -> Counts {
    let mut c = Counts {
        gold_s: pairs.iter().filter(|p| p.label == 'S').count(),
        ..Counts::default()
    };
    for &(x, y) in aligned {
        match pairs.iter().find(|p| p.sa == x && p.sb == y) {
            Some(p) if p.label == 'S' => c.s += 1,
            Some(p) if p.label == 'R' => c.r += 1,
            Some(_) => c.u += 1,
            None => c.unlabelled += 1,
        }
    }
    c
}

fn add(t: &mut Counts, c: Counts) {
    t.s += c.s;
    t.r += c.r;
    t.u += c.u;
    t.unlabelled += c.unlabelled;
    t.gold_s += c.gold_s;
}

/// The unit (sentence or half) of an article view with these code points.
fn unit(v: &view::ArticleView, s: Cp) -> Option<&view::SentenceView> {
    v.sentences
        .iter()
        .find(|u| (u.span.cp_start, u.span.cp_end) == s)
}

fn find_text(id: &str, dirs: &[PathBuf]) -> anyhow::Result<PathBuf> {
    dirs.iter()
        .map(|d| d.join(format!("{id}.txt")))
        .find(|p| p.is_file())
        .ok_or_else(|| anyhow::anyhow!("article {id}: no {id}.txt in any --texts folder"))
}

/// Finds each article (`ID.txt` in one of `texts`) and runs the full
/// pipeline on it: the analyses by article id. Any article that cannot
/// be found or read is an error (a labelled set must be scored whole).
pub fn analyze_articles(
    ids: &[&str],
    texts: &[PathBuf],
) -> anyhow::Result<HashMap<String, Analysis>> {
    let paths = ids
        .iter()
        .map(|id| find_text(id, texts))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let pipeline = Pipeline::new(Config::default());
    let mut analyses: HashMap<String, Analysis> = HashMap::new();
    let opts = batch::BatchOptions {
        ingest: Default::default(),
        progress: false,
        always_summarize: false,
    };
    let outcome = batch::run(
        &paths,
        &opts,
        |doc| pipeline.analyze(doc),
        |a| {
            analyses.insert(a.doc.meta.id.clone(), a);
            Ok(())
        },
    )?;
    anyhow::ensure!(
        outcome.failed == 0,
        "{} article(s) could not be read",
        outcome.failed
    );
    Ok(analyses)
}

pub fn run(
    pairs_file: &Path,
    texts: &[PathBuf],
    split: Option<&str>,
    model_dir: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let full = match model_dir {
        Some(d) => Some(
            parallax_compare::full::FullModel::load(d)
                .map_err(|e| anyhow::anyhow!("--model-dir: {e}"))?,
        ),
        None => None,
    };
    let text = std::fs::read_to_string(pairs_file)
        .map_err(|e| anyhow::anyhow!("{}: {e}", pairs_file.display()))?;
    let all = parse_pairs(&text).map_err(|e| anyhow::anyhow!("{}: {e}", pairs_file.display()))?;
    let pairs: Vec<&Labelled> = all
        .iter()
        .filter(|p| split.is_none_or(|s| s == "all" || s.split(',').any(|x| x == p.split)))
        .collect();
    anyhow::ensure!(
        !pairs.is_empty(),
        "{}: no pairs in split {}",
        pairs_file.display(),
        split.unwrap_or("all")
    );
    let mut by_articles: BTreeMap<(&str, &str), Vec<&Labelled>> = BTreeMap::new();
    for p in &pairs {
        by_articles.entry((&p.a, &p.b)).or_default().push(p);
    }
    let mut ids: Vec<&str> = by_articles.keys().flat_map(|k| [k.0, k.1]).collect();
    ids.sort_unstable();
    ids.dedup();
    let analyses = analyze_articles(&ids, texts)?;
    let mut thresholds = vec![0.40f32, 0.43, 0.45, 0.47, 0.50, 0.53, 0.55, 0.60];
    let default_t = Options::default().align_threshold;
    // the default is one of the rows (added when it is not in the list)
    let default_k = match thresholds.iter().position(|&t| t == default_t) {
        Some(k) => k,
        None => {
            thresholds.push(default_t);
            thresholds.len() - 1
        }
    };
    let mut totals = vec![Counts::default(); thresholds.len()];
    // the default threshold's pairs that keep a same-fact label
    let mut same_label = Counts::default();
    let mut scored = Vec::new();
    let mut aligned_scored = Vec::new();
    let mut missing = 0;
    // each article pair's counts, for the intervals over article pairs
    let mut per_pair_default: Vec<Counts> = Vec::new();
    let mut per_pair_same: Vec<Counts> = Vec::new();
    let mut comparer = Comparer::default();
    if let Some(m) = &full {
        comparer.encoder = m;
        comparer.options.same_fact = parallax_compare::SAME_FACT_CALIBRATION_FULL;
    }
    for ((a, b), ps) in &by_articles {
        let views = comparer.views(&[analyses[*a].clone(), analyses[*b].clone()]);
        // labelled pairs the comparer aligns at the lowest threshold
        let mut aligned_low: Vec<(Cp, Cp)> = Vec::new();
        for (k, t) in thresholds.iter().enumerate() {
            let c = Comparer {
                options: Options {
                    align_threshold: *t,
                    ..comparer.options.clone()
                },
                ..comparer
            };
            let cmp = c.compare_views(&views);
            let aligned: Vec<(Cp, Cp)> = cmp
                .aligned
                .iter()
                .map(|al| {
                    let cp = |s: &parallax_core::Span| (s.cp_start, s.cp_end);
                    (cp(&al.sides[0].span), cp(&al.sides[1].span))
                })
                .collect();
            let got = count(&aligned, ps);
            add(&mut totals[k], got);
            if k == 0 {
                aligned_low.clone_from(&aligned);
            }
            if k == default_k {
                per_pair_default.push(got);
                let same: Vec<(Cp, Cp)> = cmp
                    .aligned
                    .iter()
                    .zip(&aligned)
                    .filter(|(al, _)| al.label != parallax_compare::AlignLabel::Related)
                    .map(|(_, x)| *x)
                    .collect();
                let got = count(&same, ps);
                add(&mut same_label, got);
                per_pair_same.push(got);
            }
        }
        for p in ps {
            match (unit(&views[0], p.sa), unit(&views[1], p.sb)) {
                (Some(x), Some(y)) => {
                    let sc = (parallax_compare::pair_score(x, y), p.label == 'S');
                    scored.push(sc);
                    // the population the calibration describes
                    if aligned_low.contains(&(p.sa, p.sb)) {
                        aligned_scored.push(sc);
                    }
                }
                _ => missing += 1,
            }
        }
    }
    let n = |l: char| pairs.iter().filter(|p| p.label == l).count();
    println!("encoder: {}", comparer.encoder.name());
    println!(
        "aligned claims against {} labelled pairs ({} S, {} R, {} U) of {} article pairs, split {}, from {}",
        pairs.len(),
        n('S'),
        n('R'),
        n('U'),
        by_articles.len(),
        split.unwrap_or("all"),
        pairs_file.display()
    );
    println!(
        "pair score AUC (S against R+U) {:.4} on {} pairs ({} units not found)",
        parallax_core::metrics::auc(&scored),
        scored.len(),
        missing
    );
    // The calibration describes what a user sees: the labelled pairs that
    // the comparer aligns at the lowest threshold of the table below.
    let cal = &aligned_scored;
    let (sa, sb) = comparer.options.same_fact;
    let brier = |f: &dyn Fn(f32) -> f64| {
        cal.iter()
            .map(|&(x, y)| (f(x) - if y { 1.0 } else { 0.0 }).powi(2))
            .sum::<f64>()
            / cal.len().max(1) as f64
    };
    let rate = cal.iter().filter(|x| x.1).count() as f64 / cal.len().max(1) as f64;
    let shipped = |x: f32| parallax_compare::calibrated((sa, sb), x) as f64;
    println!(
        "same-fact calibration, on the {} labelled pairs aligned at threshold {:.2}:",
        cal.len(),
        thresholds[0]
    );
    if cal.iter().any(|x| x.1) && cal.iter().any(|x| !x.1) {
        let (a, b) = fit_logistic(cal);
        println!(
            "  fitted on these pairs: a {a:.2} b {b:.2} (P = 0.5 at score {:.3}); shipped: a {sa:.2} b {sb:.2}",
            -b / a
        );
    }
    println!(
        "  shipped calibration: Brier {:.4} (constant base rate {rate:.3}: {:.4}); mean P {:.3} against {rate:.3} observed",
        brier(&shipped),
        brier(&|_| rate),
        cal.iter().map(|x| shipped(x.0)).sum::<f64>() / cal.len().max(1) as f64
    );
    for (t, c) in thresholds.iter().zip(&totals) {
        println!("threshold {t:.2}: {}", c.line());
    }
    println!("default   {default_t:.2}: {}", totals[default_k].line());
    println!(
        "same-fact labels at the default threshold (label not `related`): {}",
        same_label.line()
    );
    let interval = |per: &[Counts]| {
        parallax_core::metrics::bootstrap_interval(per.len(), 1000, 7, |idx| {
            let mut t = Counts::default();
            idx.iter().for_each(|&i| add(&mut t, per[i]));
            t.precision()
        })
    };
    let (a_lo, a_hi) = interval(&per_pair_default);
    let (s_lo, s_hi) = interval(&per_pair_same);
    println!(
        "precision 95% intervals over article pairs (1,000 bootstrap resamples of the {} pairs, seed 7): aligned at the default {a_lo:.4}-{a_hi:.4}, same-fact labels {s_lo:.4}-{s_hi:.4}",
        per_pair_default.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// One-feature logistic regression `P(y) = 1 / (1 + e^-(a x + b))` by
/// Newton's method (no regularization; 50 steps from a = b = 0).
pub fn fit_logistic(xy: &[(f32, bool)]) -> (f64, f64) {
    let (mut a, mut b) = (0.0f64, 0.0f64);
    for _ in 0..50 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for &(x, y) in xy {
            let x = x as f64;
            let p = 1.0 / (1.0 + (-(a * x + b)).exp());
            let r = p - if y { 1.0 } else { 0.0 };
            let w = (p * (1.0 - p)).max(1e-12);
            ga += r * x;
            gb += r;
            haa += w * x * x;
            hab += w * x;
            hbb += w;
        }
        let det = haa * hbb - hab * hab;
        if det.abs() < 1e-18 {
            break;
        }
        let da = (hbb * ga - hab * gb) / det;
        let db = (haa * gb - hab * ga) / det;
        a -= da;
        b -= db;
        if da.abs() + db.abs() < 1e-10 {
            break;
        }
    }
    (a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let ok = "# comment\nsplit\ta\tsa\tea\tb\tsb\teb\tlabel\ntune\tx\t0\t10\ty\t5\t9\tS\n";
        let p = parse_pairs(ok).unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!((p[0].sa, p[0].sb, p[0].label), ((0, 10), (5, 9), 'S'));
        assert!(parse_pairs("tune\tx\t0\t10\ty\t5\t9\tQ\n").is_err());
        assert!(parse_pairs("tune\tx\t0\tten\ty\t5\t9\tS\n").is_err());
        let e = parse_pairs("tune\tx\t0\n").unwrap_err().to_string();
        assert!(e.contains("line 1"), "{e}");
    }

    #[test]
    fn counts_by_label_and_unlabelled() {
        let l = |sa, label| Labelled {
            split: "tune".into(),
            a: "x".into(),
            sa,
            b: "y".into(),
            sb: (0, 5),
            label,
        };
        let (p1, p2, p3) = (l((0, 5), 'S'), l((6, 9), 'R'), l((10, 20), 'S'));
        let ps = vec![&p1, &p2, &p3];
        let c = count(
            &[((0, 5), (0, 5)), ((6, 9), (0, 5)), ((30, 40), (0, 5))],
            &ps,
        );
        assert_eq!((c.s, c.r, c.u, c.unlabelled, c.gold_s), (1, 1, 0, 1, 2));
        assert!((c.precision() - 0.5).abs() < 1e-9);
        assert!((c.recall() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn logistic_fit_finds_the_crossing() {
        // positives above 0.6, negatives below, with overlap around it
        let xy: Vec<(f32, bool)> = (0..100)
            .map(|i| {
                let x = i as f32 / 100.0;
                (
                    x,
                    if (40..80).contains(&i) {
                        i % 2 == 0
                    } else {
                        i >= 80
                    },
                )
            })
            .collect();
        let (a, b) = fit_logistic(&xy);
        let mid = -b / a;
        assert!(
            a > 0.0 && (0.5..0.7).contains(&mid),
            "a {a} b {b} mid {mid}"
        );
    }
}
