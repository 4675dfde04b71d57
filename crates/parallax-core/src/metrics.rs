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

#[cfg(test)]
mod tests {
    #[test]
    fn edges() {
        assert_eq!(super::mean(3.0, 0), 0.0);
        assert_eq!(super::mean(3.0, 4), 0.75);
        assert_eq!(super::f1(0.0, 0.0), 0.0);
        assert!((super::f1(0.5, 1.0) - 2.0 / 3.0).abs() < 1e-12);
    }
}
