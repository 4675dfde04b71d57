//! The derived sentiment/subjectivity lexicon (`models/techniques/lexicon.tsv`,
//! built by `models/techniques/build_lexicon.py` from VADER, textblob/pattern
//! and AFINN; terms in `models/techniques/README.md`). Embedded in the binary.

use once_cell::sync::Lazy;
use std::collections::HashMap;

/// Scores of one word; `None` where the source lexicon lacks it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LexEntry {
    /// VADER mean valence, -4..4.
    pub vader: Option<f32>,
    /// AFINN valence, -5..5.
    pub afinn: Option<i8>,
    /// pattern/textblob subjectivity, 0..1.
    pub subjectivity: Option<f32>,
    /// pattern/textblob polarity, -1..1.
    pub polarity: Option<f32>,
}

impl LexEntry {
    /// Strongly valenced (either sign) in VADER or AFINN.
    pub fn strong(&self) -> bool {
        self.vader.is_some_and(|v| v.abs() >= 2.0) || self.afinn.is_some_and(|a| a.abs() >= 3)
    }
    /// Negative in VADER or AFINN.
    pub fn negative(&self) -> bool {
        self.vader.is_some_and(|v| v <= -1.0) || self.afinn.is_some_and(|a| a <= -2)
    }
    /// Positive in VADER or AFINN.
    pub fn positive(&self) -> bool {
        self.vader.is_some_and(|v| v >= 1.0) || self.afinn.is_some_and(|a| a >= 2)
    }
    /// Subjective in pattern (>= 0.6).
    pub fn subjective(&self) -> bool {
        self.subjectivity.is_some_and(|s| s >= 0.6)
    }
    /// Short description for evidence, e.g. `VADER -3.4, AFINN -3, subjectivity 1.0`.
    pub fn describe(&self) -> String {
        let mut v = Vec::new();
        if let Some(x) = self.vader {
            v.push(format!("VADER {x:+.1}"));
        }
        if let Some(x) = self.afinn {
            v.push(format!("AFINN {x:+}"));
        }
        if let Some(x) = self.subjectivity {
            v.push(format!("subjectivity {x:.1}"));
        }
        v.join(", ")
    }
}

static TSV: &str = include_str!("../../../../models/techniques/lexicon.tsv");

static LEXICON: Lazy<HashMap<&'static str, LexEntry>> = Lazy::new(|| parse(TSV));

fn parse(tsv: &str) -> HashMap<&str, LexEntry> {
    let mut m = HashMap::new();
    for line in tsv.lines() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 5 {
            continue;
        }
        let num = |s: &str| s.parse::<f32>().ok();
        m.insert(
            f[0],
            LexEntry {
                vader: num(f[1]),
                afinn: f[2].parse::<i8>().ok(),
                subjectivity: num(f[3]),
                polarity: num(f[4]),
            },
        );
    }
    m
}

/// Looks up a lowercased word.
pub fn lookup(lower: &str) -> Option<&'static LexEntry> {
    LEXICON.get(lower)
}

/// Number of words in the embedded lexicon.
pub fn len() -> usize {
    LEXICON.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_loads_and_has_known_words() {
        assert!(len() > 8000);
        let evil = lookup("evil").unwrap();
        assert!(evil.strong() && evil.negative() && evil.subjective());
        assert!(lookup("great").unwrap().positive());
        assert!(lookup("the").is_none());
    }
}
