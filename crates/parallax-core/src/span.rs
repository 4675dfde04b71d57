//! Spans: byte ranges into a document's text that also know their
//! Unicode code-point offsets.
//!
//! Analyzers work in bytes (cheap slicing of `&str`); users, PTC, brat and
//! browsers want character offsets. A [`Span`] carries both, computed once
//! by [`OffsetIndex`] when the span is made, so that output never needs the
//! text to convert and no layer can forget to.

use serde::{Serialize, Serializer};

/// A half-open range `[start, end)` into a document's text.
///
/// `start`/`end` are byte offsets (always on char boundaries);
/// `cp_start`/`cp_end` are the same positions in Unicode code points.
/// Serialized as `{"start": cp_start, "end": cp_end}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub cp_start: usize,
    pub cp_end: usize,
}

impl Span {
    /// Byte range, for slicing the document text.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    /// Length in code points.
    pub fn cp_len(&self) -> usize {
        self.cp_end - self.cp_start
    }
    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    /// The smallest span covering both.
    pub fn cover(&self, other: &Span) -> Span {
        let (s, cs) = if self.start <= other.start {
            (self.start, self.cp_start)
        } else {
            (other.start, other.cp_start)
        };
        let (e, ce) = if self.end >= other.end {
            (self.end, self.cp_end)
        } else {
            (other.end, other.cp_end)
        };
        Span {
            start: s,
            end: e,
            cp_start: cs,
            cp_end: ce,
        }
    }
}

impl Serialize for Span {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Span", 2)?;
        st.serialize_field("start", &self.cp_start)?;
        st.serialize_field("end", &self.cp_end)?;
        st.end()
    }
}

/// Converts byte offsets to code-point offsets in O(1) amortized time.
///
/// Stores the code-point count at every 64th byte; a lookup counts the
/// non-continuation bytes in at most 63 bytes after the checkpoint.
/// For pure-ASCII text no table is built at all.
#[derive(Clone, Debug, Default)]
pub struct OffsetIndex {
    ascii: bool,
    checkpoints: Vec<u32>,
    len: usize,
}

const STRIDE: usize = 64;

#[inline]
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl OffsetIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        if text.is_ascii() {
            return OffsetIndex {
                ascii: true,
                checkpoints: Vec::new(),
                len: bytes.len(),
            };
        }
        let mut checkpoints = Vec::with_capacity(bytes.len() / STRIDE + 1);
        let mut acc = 0u32;
        for chunk in bytes.chunks(STRIDE) {
            checkpoints.push(acc);
            acc += count_chars(chunk) as u32;
        }
        checkpoints.push(acc);
        OffsetIndex {
            ascii: false,
            checkpoints,
            len: bytes.len(),
        }
    }

    /// Code-point offset of byte offset `b` (which must be a char boundary).
    pub fn cp(&self, text: &str, b: usize) -> usize {
        debug_assert!(b <= self.len && text.is_char_boundary(b));
        if self.ascii {
            return b;
        }
        let k = b / STRIDE;
        self.checkpoints[k] as usize + count_chars(&text.as_bytes()[k * STRIDE..b])
    }

    /// Byte offset of code-point offset `c`, or `None` past the end.
    pub fn byte(&self, text: &str, c: usize) -> Option<usize> {
        if self.ascii {
            return (c <= self.len).then_some(c);
        }
        // Last checkpoint whose count <= c.
        let k = match self.checkpoints.binary_search(&(c as u32)) {
            Ok(mut k) => {
                while k > 0 && self.checkpoints[k - 1] == c as u32 {
                    k -= 1;
                }
                k
            }
            Err(0) => 0,
            Err(k) => k - 1,
        };
        let mut left = c - self.checkpoints[k] as usize;
        let bytes = text.as_bytes();
        let mut b = (k * STRIDE).min(bytes.len());
        while b < bytes.len() {
            if (bytes[b] as i8) >= -0x40 {
                if left == 0 {
                    return Some(b);
                }
                left -= 1;
            }
            b += 1;
        }
        (left == 0).then_some(bytes.len())
    }

    /// Makes a span from a byte range.
    pub fn span(&self, text: &str, start: usize, end: usize) -> Span {
        Span {
            start,
            end,
            cp_start: self.cp(text, start),
            cp_end: self.cp(text, end),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ascii_and_unicode() {
        let t = "a€b😀c";
        let ix = OffsetIndex::new(t);
        assert_eq!(ix.cp(t, 0), 0);
        assert_eq!(ix.cp(t, 1), 1);
        assert_eq!(ix.cp(t, 4), 2);
        assert_eq!(ix.cp(t, 5), 3);
        assert_eq!(ix.cp(t, 9), 4);
        assert_eq!(ix.byte(t, 4), Some(9));
        assert_eq!(ix.byte(t, 5), Some(10));
        assert_eq!(ix.byte(t, 6), None);
        let s = ix.span(t, 4, 9);
        assert_eq!(serde_json::to_string(&s).unwrap(), r#"{"start":2,"end":4}"#);
    }

    proptest! {
        #[test]
        fn roundtrip(text in "\\PC{0,300}") {
            let ix = OffsetIndex::new(&text);
            for (cp, (b, _)) in text.char_indices().enumerate() {
                prop_assert_eq!(ix.cp(&text, b), cp);
                prop_assert_eq!(ix.byte(&text, cp), Some(b));
            }
            let n = text.chars().count();
            prop_assert_eq!(ix.cp(&text, text.len()), n);
            prop_assert_eq!(ix.byte(&text, n), Some(text.len()));
        }
    }
}
