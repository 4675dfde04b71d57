//! Sentence-level tests for each pattern, including non-attributions.

use super::*;

fn run(t: &str) -> AttributionLayer {
    analyze(&Document::from_text("t", t))
}

#[test]
fn smoke() {
    let l = run("“We will win,” Smith said.");
    assert_eq!(l.attributions.len(), 1);
}
