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
