//! brat standoff (`.ann`) of the attributions layer, as in PolNeAR: `T`
//! lines for `Source`, `Cue` and `Content` (and the `Attribution` trigger
//! on the cue), `E` lines tying them. Offsets are code points into the
//! text as read, end exclusive; a content over several lines or pieces is
//! written as fragments `start end;start end`.

use crate::attribution::Part;
use crate::Analysis;
use std::fmt::Write;

/// Splits a part at line breaks (brat fragments may not cross lines).
fn fragments(text: &str, parts: &[&Part]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    for p in parts {
        let slice = &text[p.span.range()];
        let mut cp = p.span.cp_start;
        for line in slice.split('\n') {
            let n = line.chars().count();
            let trimmed = line.trim_end_matches('\r');
            let lead = trimmed.len() - trimmed.trim_start().len();
            let lead_cp = trimmed[..lead].chars().count();
            let t = trimmed.trim();
            if !t.is_empty() {
                let s = cp + lead_cp;
                out.push((s, s + t.chars().count(), t.to_string()));
            }
            cp += n + 1;
        }
    }
    out
}

fn t_line(s: &mut String, id: usize, label: &str, frags: &[(usize, usize, String)]) {
    let offs: Vec<String> = frags.iter().map(|f| format!("{} {}", f.0, f.1)).collect();
    let texts: Vec<&str> = frags.iter().map(|f| f.2.as_str()).collect();
    let _ = writeln!(s, "T{id}\t{label} {}\t{}", offs.join(";"), texts.join(" "));
}

/// The `.ann` text for one analysis (empty when the layer did not run).
pub fn ann(a: &Analysis) -> String {
    let mut s = String::new();
    let Some(layer) = &a.layers.attributions else {
        return s;
    };
    let text = &a.doc.text;
    let mut t = 0;
    for (ei, at) in layer.attributions.iter().enumerate() {
        let mut args = Vec::new();
        let cue: Vec<&Part> = at.cue.iter().collect();
        let cue = fragments(text, &cue);
        if let Some(src) = &at.source {
            let f = fragments(text, &[src]);
            if !f.is_empty() {
                t += 1;
                t_line(&mut s, t, "Source", &f);
                args.push(format!("Source:T{t}"));
            }
        }
        if !cue.is_empty() {
            t += 1;
            t_line(&mut s, t, "Cue", &cue);
            args.push(format!("Cue:T{t}"));
        }
        let parts: Vec<&Part> = at.content.iter().collect();
        let f = fragments(text, &parts);
        if !f.is_empty() {
            t += 1;
            t_line(&mut s, t, "Content", &f);
            args.push(format!("Content:T{t}"));
        }
        t += 1;
        let trig = if at.source.is_some() {
            "Attribution"
        } else {
            "Attribution-no-source"
        };
        // The trigger sits on the cue, else on the content's first piece.
        let anchor = if cue.is_empty() {
            f[..1.min(f.len())].to_vec()
        } else {
            cue
        };
        if anchor.is_empty() {
            continue;
        }
        t_line(&mut s, t, trig, &anchor);
        let _ = writeln!(s, "E{}\t{trig}:T{t} {}", ei + 1, args.join(" "));
    }
    s
}
