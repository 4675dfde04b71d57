//! `quantities` layer: amounts, percentages, fractions, counts, measures
//! ([`numbers`]) and dates ([`dates`]), each normalized, with its span.
//!
//! Deterministic rules, no model. Dates are found first; their digits are
//! not counted again as quantities ("October 7" is a date, not 7 of
//! something; "1948" is a year).

pub mod dates;
pub mod numbers;

pub use dates::DateMention;
pub use numbers::{Counted, Quantity};

use parallax_core::Document;
use serde::Serialize;

/// The `quantities` layer.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct QuantitiesLayer {
    pub quantities: Vec<Quantity>,
    pub dates: Vec<DateMention>,
}

/// Finds every quantity and date of a document.
pub fn analyze(doc: &Document) -> QuantitiesLayer {
    let dates = dates::find(doc);
    let skip: Vec<(usize, usize)> = dates.iter().map(|d| (d.span.start, d.span.end)).collect();
    let quantities = numbers::find(doc, &skip);
    QuantitiesLayer { quantities, dates }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Any text: no panic, every span is the evidence of its finding.
        #[test]
        fn spans_are_evidence(text in "([a-zA-Z$€%,.\\-’ 0-9]|over |about |one-third|million |percent|May |19[0-9]{2}|ü|\\n){0,40}") {
            let doc = Document::from_text("p", &text);
            let l = analyze(&doc);
            for q in &l.quantities {
                prop_assert_eq!(doc.slice(&q.span), q.text.as_str());
                prop_assert!(q.value.is_finite());
                if let Some(c) = &q.counted {
                    prop_assert_eq!(doc.slice(&c.span), c.text.as_str());
                    prop_assert!(c.span.start >= q.span.end);
                }
            }
            for d in &l.dates {
                prop_assert_eq!(doc.slice(&d.span), d.text.as_str());
            }
            // Quantities never overlap dates.
            for q in &l.quantities {
                prop_assert!(l.dates.iter().all(|d| !d.span.overlaps(&q.span)));
            }
        }
    }
}
