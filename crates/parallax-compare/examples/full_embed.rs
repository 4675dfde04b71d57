//! Sentence embeddings from the full transformer (`parallax_compare::full`,
//! all-MiniLM-L6-v2 mean-pooled, not normalized) for research scripts: one
//! sentence per line on stdin, the vectors as raw little-endian f32 on
//! stdout, in input order.
//!
//!     cargo run --release -p parallax-compare --example full_embed -- MODEL_DIR < lines.txt > vecs.f32
//!
//! Used by `bench/checkworthy_prototypes.py --model-dir` (how much a
//! contextual encoder would add to check-worthiness).
use rayon::prelude::*;
use std::io::{BufRead, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: full_embed MODEL_DIR < lines > vectors")?;
    let m = parallax_compare::full::FullModel::load(std::path::Path::new(&dir))
        .map_err(|e| format!("{dir}: {e}"))?;
    let lines: Vec<String> = std::io::stdin().lock().lines().collect::<Result<_, _>>()?;
    let vecs: Vec<Vec<f32>> = lines
        .par_iter()
        .map(|l| m.pooled(&m.input_ids(l)))
        .collect();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for v in vecs {
        for x in v {
            out.write_all(&x.to_le_bytes())?;
        }
    }
    out.flush()?;
    Ok(())
}
