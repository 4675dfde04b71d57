//! The arithmetic every `eval` command shares: a mean over a count that may
//! be zero, and the harmonic mean of precision and recall.

/// `sum / count`, or 0 when nothing was counted.
pub fn mean(sum: f64, count: usize) -> f64 {
    if count == 0 {
        0.0
    } else {
        sum / count as f64
    }
}

/// F1 from precision and recall (0 when both are 0).
pub fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

/// A percentile interval over items (articles): `samples` resamplings of
/// the `n` items with replacement (SplitMix64, seeded, so the same call
/// prints the same interval), `stat` computing the figure of one
/// resampling from its item indices; returns the 2.5% and 97.5%
/// percentiles. How much a figure would move with another set of items
/// of the same kind. `(0, 0)` when there is nothing to resample.
pub fn bootstrap_interval(
    n: usize,
    samples: usize,
    seed: u64,
    mut stat: impl FnMut(&[usize]) -> f64,
) -> (f64, f64) {
    if n == 0 || samples == 0 {
        return (0.0, 0.0);
    }
    let mut rng = crate::rng::SplitMix::new(seed);
    let mut idx = vec![0usize; n];
    let mut figs: Vec<f64> = (0..samples)
        .map(|_| {
            idx.iter_mut()
                .for_each(|i| *i = (rng.next_u64() % n as u64) as usize);
            stat(&idx)
        })
        .collect();
    figs.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| figs[((samples - 1) as f64 * q).round() as usize];
    (at(0.025), at(0.975))
}

/// Area under the ROC curve of `(score, positive)` pairs (ties count
/// half): how well a score ranks the positives first, whatever the
/// threshold. 0 when either class is absent.
pub fn auc(scored: &[(f32, bool)]) -> f64 {
    let pos: Vec<f32> = scored.iter().filter(|x| x.1).map(|x| x.0).collect();
    let neg: Vec<f32> = scored.iter().filter(|x| !x.1).map(|x| x.0).collect();
    if pos.is_empty() || neg.is_empty() {
        return 0.0;
    }
    let mut wins = 0.0;
    for p in &pos {
        for n in &neg {
            wins += if p > n {
                1.0
            } else if p == n {
                0.5
            } else {
                0.0
            };
        }
    }
    wins / (pos.len() * neg.len()) as f64
}

#[cfg(test)]
mod tests {
    #[test]
    fn auc_ranks() {
        assert_eq!(super::auc(&[(0.9, true), (0.1, false)]), 1.0);
        assert_eq!(super::auc(&[(0.1, true), (0.9, false)]), 0.0);
        assert_eq!(super::auc(&[(0.5, true), (0.5, false)]), 0.5);
    }

    #[test]
    fn bootstrap_brackets_and_repeats() {
        let xs = [0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0];
        let mean = |idx: &[usize]| idx.iter().map(|&i| xs[i]).sum::<f64>() / idx.len() as f64;
        let (lo, hi) = super::bootstrap_interval(xs.len(), 1000, 7, mean);
        assert!(lo < 0.625 && 0.625 < hi, "{lo} {hi}");
        assert!(lo >= 0.0 && hi <= 1.0);
        assert_eq!(super::bootstrap_interval(xs.len(), 1000, 7, mean), (lo, hi));
        assert_eq!(super::bootstrap_interval(0, 10, 1, mean), (0.0, 0.0));
    }

    #[test]
    fn edges() {
        assert_eq!(super::mean(3.0, 0), 0.0);
        assert_eq!(super::mean(3.0, 4), 0.75);
        assert_eq!(super::f1(0.0, 0.0), 0.0);
        assert!((super::f1(0.5, 1.0) - 2.0 / 3.0).abs() < 1e-12);
    }
}
