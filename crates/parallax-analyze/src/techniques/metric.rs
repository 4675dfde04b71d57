//! The SemEval-2020 Task 11 scores, implemented as the task defines them.
//!
//! Per article, with predicted fragments S and gold fragments T:
//! precision = (1/|S|) Σ_{s∈S, t∈T} |s∩t| / |s|,
//! recall    = (1/|T|) Σ_{s∈S, t∈T} |s∩t| / |t|,
//! and F1 from those. Over many articles the sums and the counts |S|, |T|
//! are added up first (micro average). For span identification (SI) labels
//! are ignored and overlapping fragments of one side are merged first; for
//! technique classification (TC) a pair counts only when the labels match
//! (on gold spans this is micro-averaged accuracy).

/// A fragment `[start, end)` in code points, with its label (TC) or none (SI).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fragment {
    pub start: usize,
    pub end: usize,
    pub label: Option<String>,
}

impl Fragment {
    pub fn new(start: usize, end: usize, label: Option<&str>) -> Self {
        Fragment {
            start,
            end,
            label: label.map(str::to_string),
        }
    }
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Code points shared with `o`.
    pub fn overlap(&self, o: &Fragment) -> usize {
        self.end.min(o.end).saturating_sub(self.start.max(o.start))
    }
}

/// Which of the two subtasks, or both together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Task {
    /// Span identification.
    Si,
    /// Technique classification.
    Tc,
    /// End to end: the model's own spans with their techniques, scored as
    /// TC (a pair counts only when the labels match; no merging).
    Full,
}

/// Accumulated sums; add articles with [`Score::add_article`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Score {
    pub precision_sum: f64,
    pub predicted: usize,
    pub recall_sum: f64,
    pub gold: usize,
    pub articles: usize,
}

/// Merges overlapping fragments (labels dropped). Empty fragments vanish.
pub fn merge(frags: &[Fragment]) -> Vec<Fragment> {
    let mut v: Vec<Fragment> = frags
        .iter()
        .filter(|f| !f.is_empty())
        .map(|f| Fragment::new(f.start, f.end, None))
        .collect();
    v.sort();
    let mut out: Vec<Fragment> = Vec::with_capacity(v.len());
    for f in v {
        match out.last_mut() {
            Some(last) if f.start < last.end => last.end = last.end.max(f.end),
            _ => out.push(f),
        }
    }
    out
}

impl Score {
    /// Scores one article and adds it to the totals.
    pub fn add_article(&mut self, pred: &[Fragment], gold: &[Fragment], task: Task) {
        let (s, t): (Vec<Fragment>, Vec<Fragment>) = match task {
            Task::Si => (merge(pred), merge(gold)),
            Task::Tc | Task::Full => (
                pred.iter().filter(|f| !f.is_empty()).cloned().collect(),
                gold.iter().filter(|f| !f.is_empty()).cloned().collect(),
            ),
        };
        for a in &s {
            for b in &t {
                if task != Task::Si && a.label != b.label {
                    continue;
                }
                let o = a.overlap(b) as f64;
                if o > 0.0 {
                    self.precision_sum += o / a.len() as f64;
                    self.recall_sum += o / b.len() as f64;
                }
            }
        }
        self.predicted += s.len();
        self.gold += t.len();
        self.articles += 1;
    }

    pub fn precision(&self) -> f64 {
        parallax_core::metrics::mean(self.precision_sum, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        parallax_core::metrics::mean(self.recall_sum, self.gold)
    }
    pub fn f1(&self) -> f64 {
        parallax_core::metrics::f1(self.precision(), self.recall())
    }
    /// `precision P  recall R  F1 F` to four decimals, as the eval and
    /// training logs print it.
    pub fn summary(&self) -> String {
        format!(
            "precision {:.4}  recall {:.4}  F1 {:.4}",
            self.precision(),
            self.recall(),
            self.f1()
        )
    }

    /// Adds another set of totals to these (micro-averaging over both).
    pub fn absorb(&mut self, o: &Score) {
        self.precision_sum += o.precision_sum;
        self.predicted += o.predicted;
        self.recall_sum += o.recall_sum;
        self.gold += o.gold;
        self.articles += o.articles;
    }

    /// The totals of several scores together (micro-averaging over all).
    pub fn total<'a>(scores: impl IntoIterator<Item = &'a Score>) -> Score {
        let mut t = Score::default();
        scores.into_iter().for_each(|s| t.absorb(s));
        t
    }
}

/// The 95% percentile interval of the micro F1 over articles
/// (`samples` seeded resamplings of the articles, each scored by summing
/// its articles' sums; [`parallax_core::metrics::bootstrap_interval`]).
pub fn bootstrap_f1(per_article: &[Score], samples: usize, seed: u64) -> (f64, f64) {
    parallax_core::metrics::bootstrap_interval(per_article.len(), samples, seed, |idx| {
        Score::total(idx.iter().map(|&i| &per_article[i])).f1()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bootstrap_interval_brackets_the_figure() {
        // two articles: one perfect, one with half its span found
        let mut per = Vec::new();
        for (p, g) in [((0, 10), (0, 10)), ((0, 5), (0, 10))] {
            let mut s = Score::default();
            s.add_article(
                &[Fragment::new(p.0, p.1, None)],
                &[Fragment::new(g.0, g.1, None)],
                Task::Si,
            );
            per.push(s);
        }
        let all = Score::total(&per);
        let (lo, hi) = bootstrap_f1(&per, 500, 7);
        assert!(lo <= all.f1() && all.f1() <= hi, "{lo} {} {hi}", all.f1());
        // all-bad and all-good resamples are possible: the bounds are the extremes
        assert!(
            (lo - per[1].f1()).abs() < 1e-9 && (hi - 1.0).abs() < 1e-9,
            "{lo} {hi}"
        );
        assert_eq!(bootstrap_f1(&per, 500, 7), (lo, hi), "seeded");
        assert_eq!(bootstrap_f1(&[], 10, 1), (0.0, 0.0));
    }

    fn f(s: usize, e: usize, l: Option<&str>) -> Fragment {
        Fragment::new(s, e, l)
    }

    #[test]
    fn si_partial_overlap() {
        let mut sc = Score::default();
        // pred [0,10), gold [5,25): overlap 5.
        sc.add_article(&[f(0, 10, None)], &[f(5, 25, None)], Task::Si);
        assert!((sc.precision() - 0.5).abs() < 1e-9);
        assert!((sc.recall() - 0.25).abs() < 1e-9);
        assert!((sc.f1() - 2.0 * 0.5 * 0.25 / 0.75).abs() < 1e-9);
    }

    #[test]
    fn si_merges_overlaps_and_ignores_labels() {
        let mut sc = Score::default();
        sc.add_article(
            &[f(0, 6, Some("A")), f(4, 10, Some("B"))],
            &[f(0, 10, Some("C")), f(2, 3, Some("D"))],
            Task::Si,
        );
        assert_eq!((sc.predicted, sc.gold), (1, 1));
        assert!((sc.f1() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn tc_needs_matching_labels_and_is_accuracy_on_gold_spans() {
        let gold = [
            f(0, 5, Some("A")),
            f(10, 20, Some("B")),
            f(30, 40, Some("C")),
        ];
        let pred = [
            f(0, 5, Some("A")),
            f(10, 20, Some("X")),
            f(30, 40, Some("C")),
        ];
        let mut sc = Score::default();
        sc.add_article(&pred, &gold, Task::Tc);
        // end to end scores the same pairs the same way (labels must match)
        let mut full = Score::default();
        full.add_article(&pred, &gold, Task::Full);
        assert_eq!(full, sc);
        assert!((sc.precision() - 2.0 / 3.0).abs() < 1e-9);
        assert!((sc.recall() - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn micro_over_articles() {
        let mut sc = Score::default();
        sc.add_article(&[f(0, 10, None)], &[f(0, 10, None)], Task::Si);
        sc.add_article(&[f(0, 10, None)], &[], Task::Si);
        sc.add_article(&[], &[f(0, 10, None)], Task::Si);
        assert_eq!(sc.articles, 3);
        assert!((sc.precision() - 0.5).abs() < 1e-9);
        assert!((sc.recall() - 0.5).abs() < 1e-9);
    }
}
