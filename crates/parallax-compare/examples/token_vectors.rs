//! Contextual word vectors from the full transformer
//! (`parallax_compare::full`, all-MiniLM-L6-v2 last hidden states) for
//! research scripts: one sentence per line on stdin, its words separated
//! by tabs; for every word, in input order, the mean of its word pieces'
//! hidden states as raw little-endian f32 on stdout (zeros for a word cut
//! off by the model's input length or with no piece).
//!
//!     cargo run --release -p parallax-compare --example token_vectors -- MODEL_DIR < words.tsv > vecs.f32
//!
//! With `--static` instead of MODEL_DIR: each word's vector from the
//! embedded static table (the mean of its pieces' rows, no context), for
//! the side-by-side comparison.
//!
//! Used to measure what contextual token features would add to the span
//! tagger of the techniques layer (see models/techniques/README.md).
use rayon::prelude::*;
use std::io::{BufRead, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: token_vectors MODEL_DIR|--static < words.tsv > vectors")?;
    if dir == "--static" {
        let e = parallax_analyze::embed::StaticEmbedder::get();
        let d = e.dimension();
        let mut o = std::io::BufWriter::new(std::io::stdout().lock());
        for l in std::io::stdin().lock().lines() {
            for w in l?.split('\t') {
                let mut acc = vec![0f32; d];
                let n = e.sum_into(w, &mut acc).max(1);
                for x in acc {
                    o.write_all(&(x / n as f32).to_le_bytes())?;
                }
            }
        }
        o.flush()?;
        return Ok(());
    }
    let m = parallax_compare::full::FullModel::load(std::path::Path::new(&dir))
        .map_err(|e| format!("{dir}: {e}"))?;
    let (cls, sep, max_len) = m.specials();
    let lines: Vec<String> = std::io::stdin().lock().lines().collect::<Result<_, _>>()?;
    let out: Vec<Vec<f32>> = lines
        .par_iter()
        .map(|l| {
            let words: Vec<&str> = l.split('\t').collect();
            let mut ids = vec![cls];
            let mut pos = Vec::with_capacity(words.len());
            for w in &words {
                let p = m.piece_ids(w);
                let room = (max_len - 1).saturating_sub(ids.len());
                let take = p.len().min(room);
                pos.push((ids.len(), ids.len() + take));
                ids.extend_from_slice(&p[..take]);
            }
            ids.push(sep);
            let x = m.hidden(&ids);
            let h = x.len() / ids.len();
            let mut v = vec![0f32; words.len() * h];
            for (k, &(a, b)) in pos.iter().enumerate() {
                for t in a..b {
                    for j in 0..h {
                        v[k * h + j] += x[t * h + j] / (b - a) as f32;
                    }
                }
            }
            v
        })
        .collect();
    let mut o = std::io::BufWriter::new(std::io::stdout().lock());
    for v in out {
        for x in v {
            o.write_all(&x.to_le_bytes())?;
        }
    }
    o.flush()?;
    Ok(())
}
