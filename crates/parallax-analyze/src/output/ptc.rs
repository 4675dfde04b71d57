//! PTC output: one line per technique span,
//! `ID<TAB>TECHNIQUE<TAB>START<TAB>END` (SemEval-2020 Task 11 format),
//! code-point offsets, end exclusive. The ID is the document id without a
//! leading `article` (so `article123.txt` gives `123`).

use crate::Analysis;
use std::fmt::Write;

/// The article id PTC files use.
pub fn ptc_id(id: &str) -> &str {
    match id.strip_prefix("article") {
        Some(rest) if !rest.is_empty() => rest,
        _ => id,
    }
}

/// The technique spans of one analysis as PTC lines (empty if none).
pub fn render(a: &Analysis) -> String {
    let mut s = String::new();
    let id = ptc_id(&a.doc.meta.id);
    if let Some(t) = &a.layers.techniques {
        for sp in &t.spans {
            let _ = writeln!(
                s,
                "{id}\t{}\t{}\t{}",
                sp.technique.ptc_label(),
                sp.span.cp_start,
                sp.span.cp_end
            );
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert_eq!(ptc_id("article111"), "111");
        assert_eq!(ptc_id("article"), "article");
        assert_eq!(ptc_id("op-ed"), "op-ed");
    }
}
