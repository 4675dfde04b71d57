//! Dense inputs of the span tagger: the static sentence-embedding table
//! (`crate::embed`, distilled from all-MiniLM-L6-v2) applied to each token
//! to its neighbours and to its sentence. The tagger's score of token `i`
//! gains `scale · (w_tok · mean_rows(i) + w_prev · mean_rows(i − 1) +
//! w_next · mean_rows(i + 1) + w_sent · mean_rows(sentence of i))`
//! (neighbours inside the sentence only),
//! where `mean_rows` is the mean of the table rows of the WordPiece ids
//! (unnormalized, so the part is linear in the rows).
//!
//! At inference the two dot products are taken once per vocabulary id
//! ([`DenseScorer`]), so a token costs a table lookup per WordPiece.

use super::features::DocCtx;
use crate::embed::StaticEmbedder;

/// Blocks of the dense input: token, token before, token after, sentence.
pub const BLOCKS: usize = OFFSETS.len() + 1;

/// Token offsets of the token blocks (the token itself, then neighbours);
/// the last block is the sentence.
pub const OFFSETS: &[isize] = &[0, -1, 1];

/// WordPiece ids of every token and sentence of one document.
pub struct DensePieces {
    /// Ids of all tokens, concatenated.
    pub ids: Vec<u32>,
    /// `ids[off[i]..off[i + 1]]` are the ids of token `i`.
    pub off: Vec<u32>,
    /// Sentence index of each token.
    pub sent: Vec<u32>,
    /// Token range of each sentence.
    pub sent_toks: Vec<(u32, u32)>,
}

impl DensePieces {
    pub fn new(ctx: &DocCtx) -> Self {
        let e = StaticEmbedder::get();
        let mut ids = Vec::with_capacity(ctx.toks.len() * 2);
        let mut off = Vec::with_capacity(ctx.toks.len() + 1);
        off.push(0);
        for t in &ctx.toks {
            e.tokenizer.for_each_id(t.text, |id| {
                if StaticEmbedder::is_content(id) {
                    ids.push(id);
                }
            });
            off.push(ids.len() as u32);
        }
        let sent = ctx.toks.iter().map(|t| t.sent as u32).collect();
        let sent_toks = ctx
            .sents
            .iter()
            .map(|s| (s.toks.start as u32, s.toks.end as u32))
            .collect();
        DensePieces {
            ids,
            off,
            sent,
            sent_toks,
        }
    }

    pub fn token_ids(&self, i: usize) -> &[u32] {
        &self.ids[self.off[i] as usize..self.off[i + 1] as usize]
    }

    /// Ids of sentence `s`.
    pub fn sentence_ids(&self, s: usize) -> &[u32] {
        let (a, b) = self.sent_toks[s];
        &self.ids[self.off[a as usize] as usize..self.off[b as usize] as usize]
    }

    /// The technique classifier's dense input for the span over tokens `r`
    /// ([`TC_BLOCKS`]`·dim` values): the mean table rows of the span's word
    /// pieces, then of its sentence's (the sentence of its first token),
    /// times `scale`, written into `x`.
    pub fn span_input(&self, r: std::ops::Range<usize>, scale: f32, x: &mut [f32]) {
        let dim = StaticEmbedder::get().dimension();
        x.iter_mut().for_each(|v| *v = 0.0);
        if r.is_empty() {
            return;
        }
        let span = &self.ids[self.off[r.start] as usize..self.off[r.end] as usize];
        add_mean(span, scale, &mut x[..dim]);
        let sent = self.sentence_ids(self.sent[r.start] as usize);
        add_mean(sent, scale, &mut x[dim..2 * dim]);
    }

    /// Token `i + d` when it is in the same sentence as `i`.
    pub fn neighbour(&self, i: usize, d: isize) -> Option<usize> {
        let j = i as isize + d;
        let (a, b) = self.sent_toks[self.sent[i] as usize];
        (j >= a as isize && j < b as isize).then_some(j as usize)
    }

    /// The sentence block of every sentence (mean rows times `scale`,
    /// `dim` values per sentence), for [`DensePieces::input`].
    pub fn sentence_means(&self, scale: f32) -> Vec<f32> {
        let dim = StaticEmbedder::get().dimension();
        let mut out = vec![0f32; self.sent_toks.len() * dim];
        for (s, block) in out.chunks_mut(dim).enumerate() {
            add_mean(self.sentence_ids(s), scale, block);
        }
        out
    }

    /// The dense input of token `i` ([`BLOCKS`]`·dim`: mean rows of the
    /// token, of the token before, of the token after, times `scale`, then
    /// its sentence's block from `means` ([`DensePieces::sentence_means`])),
    /// written into `x`.
    pub fn input(&self, i: usize, scale: f32, means: &[f32], x: &mut [f32]) {
        let dim = StaticEmbedder::get().dimension();
        let (toks, sent) = x.split_at_mut((BLOCKS - 1) * dim);
        toks.iter_mut().for_each(|v| *v = 0.0);
        for (block, &d) in OFFSETS.iter().enumerate() {
            if let Some(j) = self.neighbour(i, d) {
                add_mean(
                    self.token_ids(j),
                    scale,
                    &mut toks[block * dim..(block + 1) * dim],
                );
            }
        }
        let s = self.sent[i] as usize;
        sent.copy_from_slice(&means[s * dim..(s + 1) * dim]);
    }
}

/// Blocks of the technique classifier's dense input: the span, its sentence.
pub const TC_BLOCKS: usize = 2;

/// Adds the mean of the table rows of `ids`, times `scale`, to `out`.
fn add_mean(ids: &[u32], scale: f32, out: &mut [f32]) {
    let e = StaticEmbedder::get();
    for &id in ids {
        e.add_row_scaled(id, scale / ids.len() as f32, out);
    }
}

/// The dense part of a trained tagger, ready to score: per vocabulary id,
/// `scale · w_tok · row` and `scale · w_sent · row`.
#[derive(Clone, Debug)]
pub struct DenseScorer {
    /// One table per block: `scale · w_block · row(id)`.
    tables: Vec<Vec<f32>>,
}

impl DenseScorer {
    /// `w` holds the weights of the [`BLOCKS`] blocks (`BLOCKS·dim` values).
    pub fn new(w: &[f32], scale: f32) -> Self {
        let e = StaticEmbedder::get();
        let dim = e.dimension();
        let n = e.vocab_size();
        let tables = w
            .chunks(dim)
            .map(|wb| (0..n as u32).map(|id| scale * e.row_dot(id, wb)).collect())
            .collect();
        DenseScorer { tables }
    }

    /// The dense part of every token's score.
    pub fn scores(&self, p: &DensePieces) -> Vec<f32> {
        let mean = |table: &[f32], ids: &[u32]| {
            if ids.is_empty() {
                0.0
            } else {
                ids.iter().map(|&id| table[id as usize]).sum::<f32>() / ids.len() as f32
            }
        };
        let sent_table = &self.tables[BLOCKS - 1];
        let sent: Vec<f32> = (0..p.sent_toks.len())
            .map(|s| mean(sent_table, p.sentence_ids(s)))
            .collect();
        (0..p.sent.len())
            .map(|i| {
                let toks: f32 = OFFSETS
                    .iter()
                    .zip(&self.tables)
                    .map(|(&d, table)| {
                        p.neighbour(i, d)
                            .map_or(0.0, |j| mean(table, p.token_ids(j)))
                    })
                    .sum();
                toks + sent[p.sent[i] as usize]
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parallax_core::Document;

    /// Training computes `w · input`; inference sums per-id scores: the
    /// two must agree for every token.
    #[test]
    fn per_id_scores_equal_the_dot_product_of_the_input() {
        let doc = Document::from_text(
            "t",
            "The corrupt elites betrayed the nation! Voters deserve the truth.\n\nA calm, quiet day.",
        );
        let ctx = DocCtx::new(&doc);
        let p = DensePieces::new(&ctx);
        let dim = StaticEmbedder::get().dimension();
        let w: Vec<f32> = (0..BLOCKS * dim)
            .map(|i| ((i * 37 % 101) as f32 - 50.0) / 50.0)
            .collect();
        let scale = 0.5;
        let fast = DenseScorer::new(&w, scale).scores(&p);
        let mut x = vec![0f32; BLOCKS * dim];
        let means = p.sentence_means(scale);
        assert_eq!(fast.len(), ctx.toks.len());
        for (i, f) in fast.iter().enumerate() {
            p.input(i, scale, &means, &mut x);
            let slow: f32 = x.iter().zip(&w).map(|(a, b)| a * b).sum();
            assert!(
                (slow - f).abs() < 1e-3 * (1.0 + slow.abs()),
                "token {i}: {slow} vs {f}"
            );
        }
        // punctuation has no pieces of meaning only if the table says so;
        // every word token has at least one id
        assert!((0..ctx.toks.len())
            .filter(|&i| ctx.toks[i].kind == parallax_core::TokenKind::Word)
            .all(|i| !p.token_ids(i).is_empty()));
    }
}
