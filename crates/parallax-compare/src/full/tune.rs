//! Fine-tuning the full encoder as a sentence classifier, in plain Rust.
//!
//! The model is the BERT encoder of [`FullModel`] (optionally only its
//! first layers), mean-pooled over all tokens, and one logistic output:
//! `p = σ(w · mean(h) + b)`. Training is what a transformer fine-tune does in
//! PyTorch, written out by hand: a forward pass that keeps what the backward
//! pass needs, the backward pass of every operation (linear layers, layer
//! norm, softmax attention, exact GELU, dropout, the embedding sums, mean
//! pooling, binary cross-entropy), gradient clipping by global norm and AdamW
//! with linear warm-up and decay. Matrix products use `matrixmultiply`
//! (pure Rust, runtime CPU detection); a batch is cut into a fixed number of
//! sub-batches that run in parallel, each with its own gradient buffer, summed
//! in a fixed order, so a run gives the same weights whatever the thread
//! count. The unit tests check the gradients against finite differences and
//! the forward pass against [`FullModel::hidden`].
//!
//! Used by `parallax train checkworthy-encoder` (issue #4).

// The kernels index several arrays with one position; plain index loops
// read closest to the formulas they implement.
#![allow(clippy::needless_range_loop)]

use super::{erf, gelu, Config, FullModel, Layer, Linear, Norm};
use parallax_core::rng::SplitMix;
use rayon::prelude::*;

/// Trainable tensors of one encoder layer, in PyTorch layout.
#[derive(Clone)]
struct LayerP {
    wq: Vec<f32>,
    bq: Vec<f32>,
    wk: Vec<f32>,
    bk: Vec<f32>,
    wv: Vec<f32>,
    bv: Vec<f32>,
    wo: Vec<f32>,
    bo: Vec<f32>,
    g1: Vec<f32>,
    b1: Vec<f32>,
    wu: Vec<f32>,
    bu: Vec<f32>,
    wd: Vec<f32>,
    bd: Vec<f32>,
    g2: Vec<f32>,
    b2: Vec<f32>,
}

impl LayerP {
    fn all(&self) -> [&Vec<f32>; 16] {
        [
            &self.wq, &self.bq, &self.wk, &self.bk, &self.wv, &self.bv, &self.wo, &self.bo,
            &self.g1, &self.b1, &self.wu, &self.bu, &self.wd, &self.bd, &self.g2, &self.b2,
        ]
    }
    fn all_mut(&mut self) -> [&mut Vec<f32>; 16] {
        [
            &mut self.wq,
            &mut self.bq,
            &mut self.wk,
            &mut self.bk,
            &mut self.wv,
            &mut self.bv,
            &mut self.wo,
            &mut self.bo,
            &mut self.g1,
            &mut self.b1,
            &mut self.wu,
            &mut self.bu,
            &mut self.wd,
            &mut self.bd,
            &mut self.g2,
            &mut self.b2,
        ]
    }
}

/// The encoder and its logistic head as trainable tensors (also the shape
/// of a gradient and of the optimizer's moments).
#[derive(Clone)]
pub struct Net {
    pub config: Config,
    word: Vec<f32>,
    pos: Vec<f32>,
    /// Both token-type rows (only row 0 is used and trained).
    typ: Vec<f32>,
    eg: Vec<f32>,
    eb: Vec<f32>,
    layers: Vec<LayerP>,
    /// Head: `hidden` weights and one bias.
    hw: Vec<f32>,
    hb: Vec<f32>,
}

impl Net {
    /// The first `layers` layers of `m` (all when 0 or more than it has) and
    /// a head drawn as PyTorch's `Linear(hidden, 1)` draws it: uniform in
    /// ±1/√hidden, from `seed`. A model that already has a head keeps it.
    pub fn from_model(m: &FullModel, layers: usize, seed: u64) -> Net {
        let h = m.config.hidden;
        let nl = if layers == 0 {
            m.layers.len()
        } else {
            layers.min(m.layers.len())
        };
        let lin = |l: &Linear| (l.w.clone(), l.b.clone());
        let layers = m.layers[..nl]
            .iter()
            .map(|l| {
                let (wq, bq) = lin(&l.q);
                let (wk, bk) = lin(&l.k);
                let (wv, bv) = lin(&l.v);
                let (wo, bo) = lin(&l.attn_out);
                let (wu, bu) = lin(&l.up);
                let (wd, bd) = lin(&l.down);
                LayerP {
                    wq,
                    bq,
                    wk,
                    bk,
                    wv,
                    bv,
                    wo,
                    bo,
                    g1: l.ln1.g.clone(),
                    b1: l.ln1.b.clone(),
                    wu,
                    bu,
                    wd,
                    bd,
                    g2: l.ln2.g.clone(),
                    b2: l.ln2.b.clone(),
                }
            })
            .collect();
        let (hw, hb) = match &m.head {
            Some((w, b)) => (w.clone(), vec![*b]),
            None => {
                let mut r = SplitMix::new(seed);
                let bound = 1.0 / (h as f32).sqrt();
                let mut u =
                    || ((r.next_u64() >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0) * bound;
                let hw = (0..h).map(|_| u()).collect();
                (hw, vec![u()])
            }
        };
        let mut config = m.config.clone();
        config.layers = nl;
        Net {
            config,
            word: m.word.clone(),
            pos: m.pos.clone(),
            typ: m.typ.clone(),
            eg: m.emb_ln.g.clone(),
            eb: m.emb_ln.b.clone(),
            layers,
            hw,
            hb,
        }
    }

    fn tensors(&self) -> Vec<&Vec<f32>> {
        let mut v = vec![&self.word, &self.pos, &self.typ, &self.eg, &self.eb];
        for l in &self.layers {
            v.extend(l.all());
        }
        v.push(&self.hw);
        v.push(&self.hb);
        v
    }

    fn tensors_mut(&mut self) -> Vec<&mut Vec<f32>> {
        let mut v = vec![
            &mut self.word,
            &mut self.pos,
            &mut self.typ,
            &mut self.eg,
            &mut self.eb,
        ];
        for l in &mut self.layers {
            v.extend(l.all_mut());
        }
        v.push(&mut self.hw);
        v.push(&mut self.hb);
        v
    }

    /// A net of the same shape, all zeros.
    fn zeros_like(&self) -> Net {
        let mut z = self.clone();
        z.tensors_mut().into_iter().for_each(|t| t.fill(0.0));
        z
    }

    /// Number of trainable values.
    pub fn parameters(&self) -> usize {
        self.tensors().iter().map(|t| t.len()).sum()
    }

    /// Adds `shift` to the head's bias (to fold a decision threshold in).
    pub fn shift_bias(&mut self, shift: f32) {
        self.hb[0] += shift;
    }

    /// The net as a [`FullModel`] with a head (for scoring and saving).
    pub fn to_model(&self, base: &FullModel) -> FullModel {
        let lin = |w: &Vec<f32>, b: &Vec<f32>| Linear {
            inp: w.len() / b.len(),
            out: b.len(),
            w: w.clone(),
            b: b.clone(),
        };
        let norm = |g: &Vec<f32>, b: &Vec<f32>| Norm {
            g: g.clone(),
            b: b.clone(),
        };
        FullModel {
            config: self.config.clone(),
            name: format!(
                "fine-tuned classifier ({} layers, {} wide)",
                self.config.layers, self.config.hidden
            ),
            tok: base.tok.clone(),
            cls: base.cls,
            sep: base.sep,
            word: self.word.clone(),
            pos: self.pos.clone(),
            typ: self.typ.clone(),
            emb_ln: norm(&self.eg, &self.eb),
            layers: self
                .layers
                .iter()
                .map(|l| Layer {
                    q: lin(&l.wq, &l.bq),
                    k: lin(&l.wk, &l.bk),
                    v: lin(&l.wv, &l.bv),
                    attn_out: lin(&l.wo, &l.bo),
                    ln1: norm(&l.g1, &l.b1),
                    up: lin(&l.wu, &l.bu),
                    down: lin(&l.wd, &l.bd),
                    ln2: norm(&l.g2, &l.b2),
                })
                .collect(),
            max_len: base.max_len,
            head: Some((self.hw.clone(), self.hb[0])),
        }
    }

    /// Probabilities of the positive class, one per token sequence.
    pub fn scores(&self, seqs: &[Vec<u32>]) -> Vec<f32> {
        let refs: Vec<&[u32]> = seqs.iter().map(|s| s.as_slice()).collect();
        refs.par_chunks(16)
            .map_init(Buffers::default, |buf, c| {
                self.infer(c, buf)
                    .into_iter()
                    .map(sigmoid)
                    .collect::<Vec<_>>()
            })
            .flatten_iter()
            .collect()
    }

    /// Probabilities of the positive class for every token of every
    /// sequence (the head on each token's last state: a token tagger
    /// trained by [`finetune_tokens`]).
    pub fn token_scores(&self, seqs: &[Vec<u32>]) -> Vec<Vec<f32>> {
        let refs: Vec<&[u32]> = seqs.iter().map(|s| s.as_slice()).collect();
        refs.par_chunks(16)
            .map_init(Buffers::default, |buf, c| {
                let z = self.infer_tokens(c, buf);
                let mut out = Vec::with_capacity(c.len());
                let mut at = 0;
                for s in c {
                    out.push(z[at..at + s.len()].iter().map(|&v| sigmoid(v)).collect());
                    at += s.len();
                }
                out
            })
            .flatten_iter()
            .collect()
    }
}

/// Sequences packed one after another: their ids and each one's (offset,
/// length).
fn pack(seqs: &[&[u32]]) -> (Vec<u32>, Vec<(usize, usize)>) {
    let mut offs = Vec::with_capacity(seqs.len());
    let mut ids = Vec::new();
    for s in seqs {
        offs.push((ids.len(), s.len()));
        ids.extend_from_slice(s);
    }
    (ids, offs)
}

/// The working buffers of [`Net::infer`], kept between packs (no fresh
/// pages to fault in and zero for every pack of sentences).
#[derive(Default)]
struct Buffers {
    x: Vec<f32>,
    r: Vec<f32>,
    xhat: Vec<f32>,
    inv: Vec<f32>,
    q: Vec<f32>,
    k: Vec<f32>,
    v: Vec<f32>,
    p: Vec<f32>,
    ctx: Vec<f32>,
    y1: Vec<f32>,
    u: Vec<f32>,
}

/// Self-attention of each packed sequence within itself: the softmaxed
/// scores into `p` (per sequence and head, `n × n`), and their weighted
/// sum of `v` added into `ctx` (zeroed by the caller). `mask`: the dropout
/// mask of the scores, as `p` is laid out (None: no dropout).
#[allow(clippy::too_many_arguments)]
fn attend(
    q: &[f32],
    k: &[f32],
    v: &[f32],
    offs: &[(usize, usize)],
    heads: usize,
    p: &mut [f32],
    mask: Option<&[f32]>,
    ctx: &mut [f32],
) {
    let h = q.len() / offs.iter().map(|&(_, n)| n).sum::<usize>().max(1);
    let d = h / heads;
    let scale = 1.0 / (d as f32).sqrt();
    let mut po = 0;
    for &(o, n) in offs {
        for hd in 0..heads {
            let c0 = hd * d;
            for i in 0..n {
                let qi = &q[(o + i) * h + c0..(o + i) * h + c0 + d];
                let prow = &mut p[po + i * n..po + (i + 1) * n];
                let mut mx = f32::MIN;
                for j in 0..n {
                    let kj = &k[(o + j) * h + c0..(o + j) * h + c0 + d];
                    let s = super::dot(qi, kj) * scale;
                    prow[j] = s;
                    mx = mx.max(s);
                }
                let mut sum = 0f32;
                for a in prow.iter_mut() {
                    *a = (*a - mx).exp();
                    sum += *a;
                }
                prow.iter_mut().for_each(|a| *a /= sum);
                let mrow = mask.map(|m| &m[po + i * n..po + (i + 1) * n]);
                let ci = &mut ctx[(o + i) * h + c0..(o + i) * h + c0 + d];
                for j in 0..n {
                    let w = match mrow {
                        Some(m) => prow[j] * m[j],
                        None => prow[j],
                    };
                    let vj = &v[(o + j) * h + c0..(o + j) * h + c0 + d];
                    for (cc, vv) in ci.iter_mut().zip(vj) {
                        *cc += w * vv;
                    }
                }
            }
            po += n * n;
        }
    }
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

/// `out (t × o) = x (t × i) · wᵀ + b`.
pub(super) fn lin_fwd(x: &[f32], w: &[f32], b: &[f32], out: &mut [f32]) {
    let (o, i) = (b.len(), w.len() / b.len());
    let t = x.len() / i;
    debug_assert_eq!(out.len(), t * o);
    // SAFETY: the strides describe x (t × i, row-major), wᵀ (i × o, read
    // from w, o × i row-major) and out (t × o), all within their slices.
    unsafe {
        matrixmultiply::sgemm(
            t,
            i,
            o,
            1.0,
            x.as_ptr(),
            i as isize,
            1,
            w.as_ptr(),
            1,
            i as isize,
            0.0,
            out.as_mut_ptr(),
            o as isize,
            1,
        );
    }
    for row in out.chunks_exact_mut(o) {
        for (r, bb) in row.iter_mut().zip(b) {
            *r += bb;
        }
    }
}

/// Backward of [`lin_fwd`]: `dw += dyᵀ x`, `db += Σ dy`, and
/// `dx = dy · w` (added to `dx` when `add`).
#[allow(clippy::too_many_arguments)]
fn lin_bwd(
    x: &[f32],
    dy: &[f32],
    w: &[f32],
    dw: &mut [f32],
    db: &mut [f32],
    dx: &mut [f32],
    add: bool,
) {
    let (o, i) = (db.len(), w.len() / db.len());
    let t = x.len() / i;
    // SAFETY: dyᵀ (o × t) read from dy (t × o); x (t × i); dw (o × i);
    // dy (t × o); w (o × i); dx (t × i); all within their slices.
    unsafe {
        matrixmultiply::sgemm(
            o,
            t,
            i,
            1.0,
            dy.as_ptr(),
            1,
            o as isize,
            x.as_ptr(),
            i as isize,
            1,
            1.0,
            dw.as_mut_ptr(),
            i as isize,
            1,
        );
        matrixmultiply::sgemm(
            t,
            o,
            i,
            1.0,
            dy.as_ptr(),
            o as isize,
            1,
            w.as_ptr(),
            i as isize,
            1,
            if add { 1.0 } else { 0.0 },
            dx.as_mut_ptr(),
            i as isize,
            1,
        );
    }
    for row in dy.chunks_exact(o) {
        for (d, r) in db.iter_mut().zip(row) {
            *d += r;
        }
    }
}

/// Layer norm of each row of `r`; keeps the normalized rows and the inverse
/// standard deviations for the backward pass.
fn ln_fwd(
    r: &[f32],
    g: &[f32],
    b: &[f32],
    eps: f32,
    xhat: &mut [f32],
    inv: &mut [f32],
    y: &mut [f32],
) {
    let h = g.len();
    for (t, row) in r.chunks_exact(h).enumerate() {
        let m = row.iter().sum::<f32>() / h as f32;
        let var = row.iter().map(|v| (v - m) * (v - m)).sum::<f32>() / h as f32;
        let iv = 1.0 / (var + eps).sqrt();
        inv[t] = iv;
        for j in 0..h {
            let xh = (row[j] - m) * iv;
            xhat[t * h + j] = xh;
            y[t * h + j] = xh * g[j] + b[j];
        }
    }
}

/// Backward of [`ln_fwd`]: `dg`, `db` accumulate; `dr` is written.
fn ln_bwd(
    dy: &[f32],
    xhat: &[f32],
    inv: &[f32],
    g: &[f32],
    dg: &mut [f32],
    db: &mut [f32],
    dr: &mut [f32],
) {
    let h = g.len();
    let mut dxh = vec![0f32; h];
    for (t, drow) in dy.chunks_exact(h).enumerate() {
        let xr = &xhat[t * h..(t + 1) * h];
        let (mut s1, mut s2) = (0f32, 0f32);
        for j in 0..h {
            dg[j] += drow[j] * xr[j];
            db[j] += drow[j];
            dxh[j] = drow[j] * g[j];
            s1 += dxh[j];
            s2 += dxh[j] * xr[j];
        }
        let (m1, m2) = (s1 / h as f32, s2 / h as f32);
        for j in 0..h {
            dr[t * h + j] = inv[t] * (dxh[j] - m1 - xr[j] * m2);
        }
    }
}

/// The end of a sub-layer, `LN(dropout(x · wᵀ + b) + residual)`: returns
/// the dropout mask, the normalized rows, their inverse deviations and the
/// output.
fn dense_add_norm(
    x: &[f32],
    (w, b): (&[f32], &[f32]),
    residual: &[f32],
    (g, gb): (&[f32], &[f32]),
    eps: f32,
    (drop, rng): (f32, &mut SplitMix),
) -> (Vec<f32>, Vec<f32>, Vec<f32>, Vec<f32>) {
    let n = residual.len();
    let mut r = vec![0f32; n];
    lin_fwd(x, w, b, &mut r);
    let m = mask(n, drop, rng);
    for ((a, mm), res) in r.iter_mut().zip(&m).zip(residual) {
        *a = *a * mm + res;
    }
    let mut xhat = vec![0f32; n];
    let mut inv = vec![0f32; n / g.len()];
    let mut y = vec![0f32; n];
    ln_fwd(&r, g, gb, eps, &mut xhat, &mut inv, &mut y);
    (m, xhat, inv, y)
}

fn gelu_grad(u: f32) -> f32 {
    let cdf = 0.5 * (1.0 + erf(u / std::f32::consts::SQRT_2));
    let pdf = (-0.5 * u * u).exp() / (2.0 * std::f32::consts::PI).sqrt();
    cdf + u * pdf
}

/// Dropout masks: each value kept with probability 1 − p and scaled by
/// 1/(1 − p), or all ones when p is 0.
fn mask(len: usize, p: f32, rng: &mut SplitMix) -> Vec<f32> {
    if p <= 0.0 {
        return vec![1.0; len];
    }
    let keep = 1.0 / (1.0 - p);
    let cut = (p as f64 * (1u64 << 53) as f64) as u64;
    (0..len)
        .map(|_| {
            if (rng.next_u64() >> 11) < cut {
                0.0
            } else {
                keep
            }
        })
        .collect()
}

struct LayerCache {
    x: Vec<f32>,
    q: Vec<f32>,
    k: Vec<f32>,
    v: Vec<f32>,
    /// Softmax probabilities, per sentence and head, `n × n` each.
    p: Vec<f32>,
    /// Attention dropout masks, same layout as `p`.
    pm: Vec<f32>,
    ctx: Vec<f32>,
    /// Dropout mask on the attention output.
    am: Vec<f32>,
    xhat1: Vec<f32>,
    inv1: Vec<f32>,
    y1: Vec<f32>,
    u: Vec<f32>,
    g: Vec<f32>,
    /// Dropout mask on the feed-forward output.
    dm: Vec<f32>,
    xhat2: Vec<f32>,
    inv2: Vec<f32>,
}

/// What the backward pass needs from a forward pass over one sub-batch.
struct Cache {
    ids: Vec<u32>,
    /// Start of each sentence in the packed rows, and its length.
    offs: Vec<(usize, usize)>,
    xhat0: Vec<f32>,
    inv0: Vec<f32>,
    /// Dropout mask on the embeddings.
    em: Vec<f32>,
    layers: Vec<LayerCache>,
    /// Last hidden states (the token head reads them).
    out: Vec<f32>,
    pooled: Vec<f32>,
    /// Logits, one per sentence.
    z: Vec<f32>,
}

impl Net {
    /// Forward pass over sentences packed one after another (attention stays
    /// within a sentence), keeping what the backward pass needs. `drop` is
    /// the dropout rate, its masks drawn from `seed` (scoring uses
    /// [`Net::infer`]).
    fn forward(&self, seqs: &[&[u32]], drop: f32, seed: u64) -> Cache {
        let c = &self.config;
        let (h, heads) = (c.hidden, c.heads);
        let mut rng = SplitMix::new(seed);
        let (ids, offs) = pack(seqs);
        let t = ids.len();
        let mut e = vec![0f32; t * h];
        self.embed(&ids, &offs, &mut e);
        let mut xhat0 = vec![0f32; t * h];
        let mut inv0 = vec![0f32; t];
        let mut x = vec![0f32; t * h];
        ln_fwd(&e, &self.eg, &self.eb, c.eps, &mut xhat0, &mut inv0, &mut x);
        let em = mask(t * h, drop, &mut rng);
        x.iter_mut().zip(&em).for_each(|(a, m)| *a *= m);
        let plen: usize = offs.iter().map(|&(_, n)| heads * n * n).sum();
        let mut layers = Vec::with_capacity(self.layers.len());
        for l in &self.layers {
            let mut q = vec![0f32; t * h];
            let mut k = vec![0f32; t * h];
            let mut v = vec![0f32; t * h];
            lin_fwd(&x, &l.wq, &l.bq, &mut q);
            lin_fwd(&x, &l.wk, &l.bk, &mut k);
            lin_fwd(&x, &l.wv, &l.bv, &mut v);
            let mut p = vec![0f32; plen];
            let pm = mask(plen, drop, &mut rng);
            let mut ctx = vec![0f32; t * h];
            attend(&q, &k, &v, &offs, heads, &mut p, Some(&pm), &mut ctx);
            let (am, xhat1, inv1, y1) = dense_add_norm(
                &ctx,
                (&l.wo, &l.bo),
                &x,
                (&l.g1, &l.b1),
                c.eps,
                (drop, &mut rng),
            );
            let mut u = vec![0f32; t * c.intermediate];
            lin_fwd(&y1, &l.wu, &l.bu, &mut u);
            let g: Vec<f32> = u.iter().map(|&a| gelu(a)).collect();
            let (dm, xhat2, inv2, out) = dense_add_norm(
                &g,
                (&l.wd, &l.bd),
                &y1,
                (&l.g2, &l.b2),
                c.eps,
                (drop, &mut rng),
            );
            let x_in = std::mem::replace(&mut x, out);
            layers.push(LayerCache {
                x: x_in,
                q,
                k,
                v,
                p,
                pm,
                ctx,
                am,
                xhat1,
                inv1,
                y1,
                u,
                g,
                dm,
                xhat2,
                inv2,
            });
        }
        let (pooled, z) = self.pool(&x, &offs);
        Cache {
            ids,
            offs,
            xhat0,
            inv0,
            em,
            layers,
            out: x,
            pooled,
            z,
        }
    }

    /// The embedding rows (word + position + token type 0) of the packed
    /// sequences into `e` (`tokens × hidden`, every value written).
    fn embed(&self, ids: &[u32], offs: &[(usize, usize)], e: &mut [f32]) {
        let h = self.config.hidden;
        for &(o, n) in offs {
            for p in 0..n {
                let id = ids[o + p] as usize;
                let row = &mut e[(o + p) * h..(o + p + 1) * h];
                let w = &self.word[id * h..(id + 1) * h];
                let ps = &self.pos[p * h..(p + 1) * h];
                for j in 0..h {
                    row[j] = w[j] + ps[j] + self.typ[j];
                }
            }
        }
    }

    /// Mean of each sequence's rows of `x`, and the head's logit on it.
    fn pool(&self, x: &[f32], offs: &[(usize, usize)]) -> (Vec<f32>, Vec<f32>) {
        let h = self.config.hidden;
        let mut pooled = vec![0f32; offs.len() * h];
        let mut z = Vec::with_capacity(offs.len());
        for (s, &(o, n)) in offs.iter().enumerate() {
            let pr = &mut pooled[s * h..(s + 1) * h];
            for p in 0..n {
                for (a, b) in pr.iter_mut().zip(&x[(o + p) * h..(o + p + 1) * h]) {
                    *a += b;
                }
            }
            pr.iter_mut().for_each(|a| *a /= n as f32);
            z.push(super::dot(pr, &self.hw) + self.hb[0]);
        }
        (pooled, z)
    }

    /// The forward pass without dropout and without keeping what the
    /// backward pass needs: the logits of the packed sequences, computed
    /// in `buf`'s buffers, which are reused from one pack to the next.
    /// The same operations in the same order as [`Net::forward`] with
    /// dropout 0 (a mask of ones multiplies exactly), so the same bits.
    fn infer(&self, seqs: &[&[u32]], buf: &mut Buffers) -> Vec<f32> {
        let offs = self.encode(seqs, buf);
        self.pool(&buf.x, &offs).1
    }

    /// [`Net::infer`] with the head on every token instead of the mean:
    /// one logit per token of the packed sequences, in order.
    fn infer_tokens(&self, seqs: &[&[u32]], buf: &mut Buffers) -> Vec<f32> {
        self.encode(seqs, buf);
        self.token_logits(&buf.x)
    }

    /// The head on each row of `x` (`tokens × hidden`).
    fn token_logits(&self, x: &[f32]) -> Vec<f32> {
        x.chunks(self.config.hidden)
            .map(|row| super::dot(row, &self.hw) + self.hb[0])
            .collect()
    }

    /// The encoder of [`Net::infer`]: leaves the last hidden states of the
    /// packed sequences in `buf.x` and returns each one's (offset, length).
    fn encode(&self, seqs: &[&[u32]], buf: &mut Buffers) -> Vec<(usize, usize)> {
        let c = &self.config;
        let h = c.hidden;
        let (ids, offs) = pack(seqs);
        let t = ids.len();
        let plen: usize = offs.iter().map(|&(_, n)| c.heads * n * n).sum();
        let Buffers {
            x,
            r,
            xhat,
            inv,
            q,
            k,
            v,
            p,
            ctx,
            y1,
            u,
        } = buf;
        for (b, n) in [
            (&mut *x, t * h),
            (&mut *r, t * h),
            (&mut *xhat, t * h),
            (&mut *inv, t),
            (&mut *q, t * h),
            (&mut *k, t * h),
            (&mut *v, t * h),
            (&mut *p, plen),
            (&mut *ctx, t * h),
            (&mut *y1, t * h),
            (&mut *u, t * c.intermediate),
        ] {
            b.resize(n, 0.0);
        }
        self.embed(&ids, &offs, r);
        ln_fwd(r, &self.eg, &self.eb, c.eps, xhat, inv, x);
        for l in &self.layers {
            lin_fwd(x, &l.wq, &l.bq, q);
            lin_fwd(x, &l.wk, &l.bk, k);
            lin_fwd(x, &l.wv, &l.bv, v);
            ctx.fill(0.0);
            attend(q, k, v, &offs, c.heads, p, None, ctx);
            // LN(ctx · woᵀ + bo + x) -> y1
            lin_fwd(ctx, &l.wo, &l.bo, r);
            r.iter_mut().zip(x.iter()).for_each(|(a, res)| *a += res);
            ln_fwd(r, &l.g1, &l.b1, c.eps, xhat, inv, y1);
            lin_fwd(y1, &l.wu, &l.bu, u);
            u.iter_mut().for_each(|a| *a = gelu(*a));
            // LN(gelu(u) · wdᵀ + bd + y1) -> x
            lin_fwd(u, &l.wd, &l.bd, r);
            r.iter_mut().zip(y1.iter()).for_each(|(a, res)| *a += res);
            ln_fwd(r, &l.g2, &l.b2, c.eps, xhat, inv, x);
        }
        offs
    }

    /// Backward pass: adds to `grad` the gradient of
    /// `weight · Σ BCE(z_s, y_s)` over the sub-batch, returns the summed loss.
    fn backward(&self, c: &Cache, ys: &[f32], weight: f32, grad: &mut Net) -> f32 {
        let h = self.config.hidden;
        let mut loss = 0f32;
        let mut dx = vec![0f32; c.ids.len() * h];
        for (s, &(o, n)) in c.offs.iter().enumerate() {
            let (z, y) = (c.z[s], ys[s]);
            loss += bce(z, y);
            let dz = (sigmoid(z) - y) * weight;
            let pr = &c.pooled[s * h..(s + 1) * h];
            for j in 0..h {
                grad.hw[j] += dz * pr[j];
            }
            grad.hb[0] += dz;
            for p in 0..n {
                let row = &mut dx[(o + p) * h..(o + p + 1) * h];
                for j in 0..h {
                    row[j] = dz * self.hw[j] / n as f32;
                }
            }
        }
        self.backward_encoder(c, dx, grad);
        loss
    }

    /// Backward pass of the head on every token: adds to `grad` the
    /// gradient of `weight · Σ BCE(z_t, y_t)` over the tokens of the
    /// sub-batch whose label `ys[t]` (packed order) is not negative, and
    /// returns that summed loss.
    fn backward_tokens(&self, c: &Cache, ys: &[f32], weight: f32, grad: &mut Net) -> f32 {
        let h = self.config.hidden;
        let z = self.token_logits(&c.out);
        let mut loss = 0f32;
        let mut dx = vec![0f32; c.ids.len() * h];
        for (t, (&z, &y)) in z.iter().zip(ys).enumerate() {
            if y < 0.0 {
                continue;
            }
            loss += bce(z, y);
            let dz = (sigmoid(z) - y) * weight;
            let xr = &c.out[t * h..(t + 1) * h];
            for j in 0..h {
                grad.hw[j] += dz * xr[j];
            }
            grad.hb[0] += dz;
            let row = &mut dx[t * h..(t + 1) * h];
            for j in 0..h {
                row[j] = dz * self.hw[j];
            }
        }
        self.backward_encoder(c, dx, grad);
        loss
    }

    /// Backward pass through the encoder, from `dx`, the gradient of the
    /// loss with respect to the last hidden states.
    fn backward_encoder(&self, c: &Cache, mut dx: Vec<f32>, grad: &mut Net) {
        let cf = &self.config;
        let (h, heads) = (cf.hidden, cf.heads);
        let d = h / heads;
        let scale = 1.0 / (d as f32).sqrt();
        let t = c.ids.len();
        for (li, l) in self.layers.iter().enumerate().rev() {
            let lc = &c.layers[li];
            let gl = &mut grad.layers[li];
            // x_out = LN2(dropout(down(g)) + y1)
            let mut dr2 = vec![0f32; t * h];
            ln_bwd(
                &dx, &lc.xhat2, &lc.inv2, &l.g2, &mut gl.g2, &mut gl.b2, &mut dr2,
            );
            let mut dy1 = dr2.clone();
            dr2.iter_mut().zip(&lc.dm).for_each(|(a, m)| *a *= m);
            let mut dg = vec![0f32; lc.g.len()];
            lin_bwd(&lc.g, &dr2, &l.wd, &mut gl.wd, &mut gl.bd, &mut dg, false);
            for (a, &u) in dg.iter_mut().zip(&lc.u) {
                *a *= gelu_grad(u);
            }
            lin_bwd(&lc.y1, &dg, &l.wu, &mut gl.wu, &mut gl.bu, &mut dy1, true);
            // y1 = LN1(dropout(attn_out(ctx)) + x)
            let mut dr1 = vec![0f32; t * h];
            ln_bwd(
                &dy1, &lc.xhat1, &lc.inv1, &l.g1, &mut gl.g1, &mut gl.b1, &mut dr1,
            );
            let mut dxin = dr1.clone();
            dr1.iter_mut().zip(&lc.am).for_each(|(a, m)| *a *= m);
            let mut dctx = vec![0f32; t * h];
            lin_bwd(
                &lc.ctx, &dr1, &l.wo, &mut gl.wo, &mut gl.bo, &mut dctx, false,
            );
            let mut dq = vec![0f32; t * h];
            let mut dk = vec![0f32; t * h];
            let mut dv = vec![0f32; t * h];
            let mut po = 0;
            let mut dp = Vec::new();
            for &(o, n) in &c.offs {
                dp.resize(n, 0f32);
                for hd in 0..heads {
                    let c0 = hd * d;
                    for i in 0..n {
                        let prow = &lc.p[po + i * n..po + (i + 1) * n];
                        let mrow = &lc.pm[po + i * n..po + (i + 1) * n];
                        let dci = &dctx[(o + i) * h + c0..(o + i) * h + c0 + d];
                        let mut sum = 0f32;
                        for j in 0..n {
                            let vj = &lc.v[(o + j) * h + c0..(o + j) * h + c0 + d];
                            // through the dropout on the probabilities
                            dp[j] = super::dot(dci, vj) * mrow[j];
                            sum += dp[j] * prow[j];
                            let w = prow[j] * mrow[j];
                            let dvj = &mut dv[(o + j) * h + c0..(o + j) * h + c0 + d];
                            for (a, b) in dvj.iter_mut().zip(dci) {
                                *a += w * b;
                            }
                        }
                        let qi = &lc.q[(o + i) * h + c0..(o + i) * h + c0 + d];
                        for j in 0..n {
                            let ds = prow[j] * (dp[j] - sum) * scale;
                            if ds == 0.0 {
                                continue;
                            }
                            let kj = &lc.k[(o + j) * h + c0..(o + j) * h + c0 + d];
                            let dqi = &mut dq[(o + i) * h + c0..(o + i) * h + c0 + d];
                            for (a, b) in dqi.iter_mut().zip(kj) {
                                *a += ds * b;
                            }
                            let dkj = &mut dk[(o + j) * h + c0..(o + j) * h + c0 + d];
                            for (a, b) in dkj.iter_mut().zip(qi) {
                                *a += ds * b;
                            }
                        }
                    }
                    po += n * n;
                }
            }
            lin_bwd(&lc.x, &dq, &l.wq, &mut gl.wq, &mut gl.bq, &mut dxin, true);
            lin_bwd(&lc.x, &dk, &l.wk, &mut gl.wk, &mut gl.bk, &mut dxin, true);
            lin_bwd(&lc.x, &dv, &l.wv, &mut gl.wv, &mut gl.bv, &mut dxin, true);
            dx = dxin;
        }
        // x0 = dropout(LN(word + pos + typ))
        dx.iter_mut().zip(&c.em).for_each(|(a, m)| *a *= m);
        let mut de = vec![0f32; t * h];
        ln_bwd(
            &dx,
            &c.xhat0,
            &c.inv0,
            &self.eg,
            &mut grad.eg,
            &mut grad.eb,
            &mut de,
        );
        for &(o, n) in &c.offs {
            for p in 0..n {
                let id = c.ids[o + p] as usize;
                let row = &de[(o + p) * h..(o + p + 1) * h];
                for j in 0..h {
                    grad.word[id * h + j] += row[j];
                    grad.pos[p * h + j] += row[j];
                    grad.typ[j] += row[j];
                }
            }
        }
    }
}

/// Binary cross-entropy of logit `z` against `y`, computed stably.
fn bce(z: f32, y: f32) -> f32 {
    z.max(0.0) - z * y + (-z.abs()).exp().ln_1p()
}

/// Settings of a fine-tuning run (the defaults are those of
/// `bench/checkworthy_finetune.py`, the PyTorch measurement).
#[derive(Clone, Debug)]
pub struct TuneOptions {
    pub epochs: usize,
    pub batch: usize,
    pub lr: f32,
    /// Share of the steps with a linearly rising learning rate.
    pub warmup: f32,
    pub weight_decay: f32,
    /// Largest global gradient norm (clipped above).
    pub clip: f32,
    pub dropout: f32,
    pub seed: u64,
    /// Sub-batches computed in parallel (fixed, so the result does not
    /// depend on the thread count).
    pub parts: usize,
}

impl Default for TuneOptions {
    fn default() -> Self {
        TuneOptions {
            epochs: 3,
            batch: 32,
            lr: 5e-5,
            warmup: 0.06,
            weight_decay: 0.01,
            clip: 1.0,
            dropout: 0.1,
            seed: 42,
            parts: 4,
        }
    }
}

/// AdamW state.
struct Adam {
    m: Net,
    v: Net,
    step: u32,
}

impl Adam {
    fn update(&mut self, net: &mut Net, grad: &Net, lr: f32, wd: f32) {
        const B1: f32 = 0.9;
        const B2: f32 = 0.999;
        const EPS: f32 = 1e-8;
        self.step += 1;
        let bc1 = 1.0 - B1.powi(self.step as i32);
        let bc2 = 1.0 - B2.powi(self.step as i32);
        let step = lr / bc1;
        let sq2 = bc2.sqrt();
        let ps = net.tensors_mut();
        let gs = grad.tensors();
        let ms = self.m.tensors_mut();
        let vs = self.v.tensors_mut();
        for (((p, g), m), v) in ps.into_iter().zip(gs).zip(ms).zip(vs) {
            p.par_chunks_mut(1 << 14)
                .zip(g.par_chunks(1 << 14))
                .zip(m.par_chunks_mut(1 << 14))
                .zip(v.par_chunks_mut(1 << 14))
                .for_each(|(((p, g), m), v)| {
                    for i in 0..p.len() {
                        p[i] *= 1.0 - lr * wd;
                        m[i] = B1 * m[i] + (1.0 - B1) * g[i];
                        v[i] = B2 * v[i] + (1.0 - B2) * g[i] * g[i];
                        p[i] -= step * m[i] / (v[i].sqrt() / sq2 + EPS);
                    }
                });
        }
    }
}

/// What the trainer reports as it goes.
pub enum Progress<'a> {
    /// Every 50 batches: epoch, batch, batches per epoch, mean loss since the last report.
    Batch(usize, usize, usize, f32),
    /// After each epoch: the epoch's dev scores.
    Epoch(&'a EpochReport),
}

/// Dev scores of one epoch.
#[derive(Clone, Debug)]
pub struct EpochReport {
    pub epoch: usize,
    /// Best F1 over thresholds 0.05, 0.06, …, 0.95, and that threshold.
    pub dev_f1: f64,
    pub threshold: f32,
    pub dev_f1_at_half: f64,
    pub seconds: f64,
}

/// F1 of the positive class when `score >= t` is the call.
pub fn f1_at(scores: &[f32], gold: &[bool], t: f32) -> f64 {
    let (mut tp, mut fp, mut fnn) = (0usize, 0usize, 0usize);
    for (&s, &g) in scores.iter().zip(gold) {
        match (s >= t, g) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fnn += 1,
            _ => {}
        }
    }
    if tp == 0 {
        return 0.0;
    }
    2.0 * tp as f64 / (2 * tp + fp + fnn) as f64
}

/// The threshold in 0.05, 0.06, …, 0.95 with the best F1 (the lowest of equals).
pub fn best_threshold(scores: &[f32], gold: &[bool]) -> (f32, f64) {
    let mut best = (0.5, -1.0);
    for i in 5..=95 {
        let t = i as f32 / 100.0;
        let f = f1_at(scores, gold, t);
        if f > best.1 {
            best = (t, f);
        }
    }
    best
}

/// Fine-tunes `net` on `train` (token ids, label), scoring `dev` after each
/// epoch; returns the net of the epoch with the best dev F1 (the later of
/// equals), the reports, and the index of that epoch's report.
pub fn finetune(
    net: Net,
    train: &[(Vec<u32>, bool)],
    dev: &[(Vec<u32>, bool)],
    o: &TuneOptions,
    report: &mut dyn FnMut(Progress),
) -> (Net, Vec<EpochReport>, usize) {
    let dev_ids: Vec<Vec<u32>> = dev.iter().map(|(s, _)| s.clone()).collect();
    let dev_gold: Vec<bool> = dev.iter().map(|&(_, y)| y).collect();
    fit(
        net,
        train.len(),
        &|net, batch, part, seed, g| {
            let seqs: Vec<&[u32]> = part.iter().map(|&i| train[i].0.as_slice()).collect();
            let ys: Vec<f32> = part.iter().map(|&i| train[i].1 as u8 as f32).collect();
            let cache = net.forward(&seqs, o.dropout, seed);
            let loss = net.backward(&cache, &ys, 1.0 / batch.len() as f32, g);
            (loss, part.len())
        },
        &mut |net| (net.scores(&dev_ids), dev_gold.clone()),
        o,
        report,
    )
}

/// Fine-tunes `net` as a token tagger: the head on every token's last
/// state, trained on `train` (token ids, and a label per token: 1 inside,
/// 0 outside, negative for tokens left out of the loss, such as `[CLS]`).
/// The loss is the mean over the labelled tokens of a batch. Dev F1 (for
/// the epoch) is over the labelled tokens of `dev`, at the best threshold.
pub fn finetune_tokens(
    net: Net,
    train: &[(Vec<u32>, Vec<f32>)],
    dev: &[(Vec<u32>, Vec<f32>)],
    o: &TuneOptions,
    report: &mut dyn FnMut(Progress),
) -> (Net, Vec<EpochReport>, usize) {
    let dev_ids: Vec<Vec<u32>> = dev.iter().map(|(s, _)| s.clone()).collect();
    let labelled = |ys: &[f32]| ys.iter().filter(|&&y| y >= 0.0).count();
    fit(
        net,
        train.len(),
        &|net, batch, part, seed, g| {
            let seqs: Vec<&[u32]> = part.iter().map(|&i| train[i].0.as_slice()).collect();
            let ys: Vec<f32> = part
                .iter()
                .flat_map(|&i| train[i].1.iter().copied())
                .collect();
            let n: usize = batch.iter().map(|&i| labelled(&train[i].1)).sum();
            let cache = net.forward(&seqs, o.dropout, seed);
            let loss = net.backward_tokens(&cache, &ys, 1.0 / n.max(1) as f32, g);
            (loss, labelled(&ys))
        },
        &mut |net| {
            let mut scores = Vec::new();
            let mut gold = Vec::new();
            for (p, (_, ys)) in net.token_scores(&dev_ids).into_iter().zip(dev) {
                for (s, &y) in p.into_iter().zip(ys) {
                    if y >= 0.0 {
                        scores.push(s);
                        gold.push(y >= 0.5);
                    }
                }
            }
            (scores, gold)
        },
        o,
        report,
    )
}

/// The training loop of [`finetune`] and [`finetune_tokens`]: `grad_of`
/// adds the gradient of one sub-batch (`part` of `batch`, dropout masks
/// from `seed`) into the buffer it is given and returns its summed loss
/// and the count the loss is a mean over; `dev_scores` gives the dev
/// probabilities and gold after each epoch.
#[allow(clippy::type_complexity)]
fn fit(
    mut net: Net,
    n_train: usize,
    grad_of: &(dyn Fn(&Net, &[usize], &[usize], u64, &mut Net) -> (f32, usize) + Sync),
    dev_scores: &mut dyn FnMut(&Net) -> (Vec<f32>, Vec<bool>),
    o: &TuneOptions,
    report: &mut dyn FnMut(Progress),
) -> (Net, Vec<EpochReport>, usize) {
    let start = std::time::Instant::now();
    let per_epoch = n_train.div_ceil(o.batch);
    let steps = (o.epochs * per_epoch).max(1);
    let warm = o.warmup * steps as f32;
    let mut adam = Adam {
        m: net.zeros_like(),
        v: net.zeros_like(),
        step: 0,
    };
    let mut grads: Vec<Net> = (0..o.parts.max(1)).map(|_| net.zeros_like()).collect();
    let mut order: Vec<usize> = (0..n_train).collect();
    let mut rng = SplitMix::new(o.seed);
    let mut best: Option<(Net, f64, usize)> = None;
    let mut reports = Vec::new();
    let mut step = 0usize;
    for epoch in 1..=o.epochs {
        rng.shuffle(&mut order);
        let (mut loss_sum, mut loss_n) = (0f32, 0usize);
        for (bi, batch) in order.chunks(o.batch).enumerate() {
            let bsz = batch.len();
            let per = bsz.div_ceil(grads.len());
            let seed = rng.next_u64();
            let net_ref = &net;
            let losses: Vec<(f32, usize)> = grads
                .par_iter_mut()
                .enumerate()
                .map(|(pi, g)| {
                    g.tensors_mut().into_iter().for_each(|t| t.fill(0.0));
                    let part = &batch[(pi * per).min(bsz)..((pi + 1) * per).min(bsz)];
                    if part.is_empty() {
                        return (0.0, 0);
                    }
                    grad_of(net_ref, batch, part, seed ^ ((pi as u64 + 1) * 0x9E37), g)
                })
                .collect();
            loss_sum += losses.iter().map(|l| l.0).sum::<f32>();
            loss_n += losses.iter().map(|l| l.1).sum::<usize>();
            // sum the parts' gradients into the first, in a fixed order
            let (first, rest) = grads.split_at_mut(1);
            let mut total = first[0].tensors_mut();
            for g in rest.iter() {
                for (a, b) in total.iter_mut().zip(g.tensors()) {
                    a.par_iter_mut()
                        .zip(b.par_iter())
                        .for_each(|(x, y)| *x += y);
                }
            }
            let norm = total
                .iter()
                .map(|t| t.par_iter().map(|&x| (x as f64) * (x as f64)).sum::<f64>())
                .sum::<f64>()
                .sqrt() as f32;
            let coef = o.clip / (norm + 1e-6);
            if coef < 1.0 {
                for t in total.iter_mut() {
                    t.par_iter_mut().for_each(|x| *x *= coef);
                }
            }
            let lr = o.lr
                * (((step + 1) as f32 / warm.max(1e-9)).min(1.0))
                * ((steps - step) as f32 / steps as f32).max(0.0);
            adam.update(&mut net, &grads[0], lr, o.weight_decay);
            step += 1;
            if (bi + 1) % 50 == 0 {
                report(Progress::Batch(
                    epoch,
                    bi + 1,
                    per_epoch,
                    loss_sum / loss_n.max(1) as f32,
                ));
                (loss_sum, loss_n) = (0.0, 0);
            }
        }
        let (s, dev_gold) = dev_scores(&net);
        let (threshold, dev_f1) = best_threshold(&s, &dev_gold);
        let r = EpochReport {
            epoch,
            dev_f1,
            threshold,
            dev_f1_at_half: f1_at(&s, &dev_gold, 0.5),
            seconds: start.elapsed().as_secs_f64(),
        };
        report(Progress::Epoch(&r));
        if best.as_ref().is_none_or(|b| dev_f1 >= b.1) {
            best = Some((net.clone(), dev_f1, reports.len()));
        }
        reports.push(r);
    }
    match best {
        Some((net, _, i)) => (net, reports, i),
        None => (net, reports, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::tiny_model as tiny;

    fn seqs() -> Vec<(Vec<u32>, bool)> {
        vec![
            (vec![2, 4, 5, 6, 7, 4, 8, 3], true),
            (vec![2, 9, 11, 3], false),
            (vec![2, 5, 10, 6, 3], true),
        ]
    }

    fn loss(net: &Net, data: &[(Vec<u32>, bool)], drop: f32) -> f64 {
        let s: Vec<&[u32]> = data.iter().map(|d| d.0.as_slice()).collect();
        let ys: Vec<f32> = data.iter().map(|d| d.1 as u8 as f32).collect();
        let c = net.forward(&s, drop, 5);
        let mut g = net.zeros_like();
        net.backward(&c, &ys, 1.0, &mut g) as f64
    }

    #[test]
    fn forward_matches_the_inference_encoder() {
        let m = tiny(1);
        let net = Net::from_model(&m, 0, 3);
        let ids = [2u32, 4, 5, 6, 7, 3];
        let c = net.forward(&[&ids], 0.0, 0);
        let want = m.hidden(&ids);
        for (a, b) in c.out.iter().zip(&want) {
            assert!((a - b).abs() < 1e-4, "{a} vs {b}");
        }
        // the head on the pooled states, as FullModel::classify computes it
        let tuned = net.to_model(&m);
        let p = tuned.classify_ids(&ids).unwrap();
        assert!((p - sigmoid(c.z[0])).abs() < 1e-6);
    }

    /// The scoring pass gives the training forward's logits bit for bit,
    /// pack after pack in the same reused buffers (a long pack, then a
    /// shorter one, then a longer one: nothing stale leaks through), and
    /// `scores` is their sigmoid in order.
    #[test]
    fn infer_gives_the_forward_logits_exactly() {
        let net = Net::from_model(&tiny(7), 0, 3);
        let data = seqs();
        let all: Vec<&[u32]> = data.iter().map(|d| d.0.as_slice()).collect();
        let mut buf = Buffers::default();
        for pack in [&all[..], &all[1..2], &all[..], &all[2..]] {
            let want = net.forward(pack, 0.0, 0).z;
            assert_eq!(net.infer(pack, &mut buf), want);
        }
        let owned: Vec<Vec<u32>> = data.iter().map(|d| d.0.clone()).collect();
        let want: Vec<f32> = net
            .forward(&all, 0.0, 0)
            .z
            .into_iter()
            .map(sigmoid)
            .collect();
        assert_eq!(net.scores(&owned), want);
    }

    /// Every gradient the backward pass gives agrees with central finite
    /// differences of the loss (with dropout on: the masks are seeded, so
    /// the loss is a fixed function of the weights).
    #[test]
    fn gradients_match_finite_differences() {
        for drop in [0.0f32, 0.3] {
            let m = tiny(2);
            let net = Net::from_model(&m, 0, 4);
            let data = seqs();
            let s: Vec<&[u32]> = data.iter().map(|d| d.0.as_slice()).collect();
            let ys: Vec<f32> = data.iter().map(|d| d.1 as u8 as f32).collect();
            let c = net.forward(&s, drop, 5);
            let mut g = net.zeros_like();
            net.backward(&c, &ys, 1.0, &mut g);
            let grads: Vec<Vec<f32>> = g.tensors().into_iter().cloned().collect();
            let n_tensors = grads.len();
            let mut checked = 0;
            let mut r = SplitMix::new(9);
            for ti in 0..n_tensors {
                let len = grads[ti].len();
                for _ in 0..6 {
                    let k = (r.next_u64() % len as u64) as usize;
                    let eps = 1e-2f32;
                    let mut plus = net.clone();
                    plus.tensors_mut()[ti][k] += eps;
                    let mut minus = net.clone();
                    minus.tensors_mut()[ti][k] -= eps;
                    let num =
                        (loss(&plus, &data, drop) - loss(&minus, &data, drop)) / (2.0 * eps as f64);
                    let ana = grads[ti][k] as f64;
                    let tol = 2e-3 + 2e-2 * ana.abs().max(num.abs());
                    assert!(
                        (num - ana).abs() <= tol,
                        "dropout {drop}, tensor {ti} [{k}]: analytic {ana}, numeric {num}"
                    );
                    checked += 1;
                }
            }
            assert!(checked >= 6 * 39);
        }
    }

    /// A few steps on three sentences drive the loss down, and the run is
    /// the same bit for bit with one thread or several.
    #[test]
    fn training_fits_a_tiny_set_reproducibly() {
        let m = tiny(3);
        let data = seqs();
        let o = TuneOptions {
            epochs: 30,
            batch: 3,
            lr: 1e-2,
            dropout: 0.0,
            ..TuneOptions::default()
        };
        let before = loss(&Net::from_model(&m, 0, 1), &data, 0.0);
        let run = || finetune(Net::from_model(&m, 0, 1), &data, &data, &o, &mut |_| {}).0;
        let a = run();
        let after = loss(&a, &data, 0.0);
        assert!(after < before * 0.5, "{before} -> {after}");
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let b = one.install(run);
        assert!(a.tensors().iter().zip(b.tensors()).all(|(x, y)| x == &y));
    }

    /// Per-token labels for `seqs()`: `[CLS]`/`[SEP]` left out (-1), the
    /// rest inside (1) or outside (0) by a fixed pattern.
    fn token_data() -> Vec<(Vec<u32>, Vec<f32>)> {
        seqs()
            .into_iter()
            .map(|(ids, _)| {
                let n = ids.len();
                let ys = (0..n)
                    .map(|i| match i {
                        0 => -1.0,
                        i if i == n - 1 => -1.0,
                        i => ((ids[i] + i as u32) % 2) as f32,
                    })
                    .collect();
                (ids, ys)
            })
            .collect()
    }

    fn token_loss(net: &Net, data: &[(Vec<u32>, Vec<f32>)], drop: f32) -> f64 {
        let s: Vec<&[u32]> = data.iter().map(|d| d.0.as_slice()).collect();
        let ys: Vec<f32> = data.iter().flat_map(|d| d.1.iter().copied()).collect();
        let c = net.forward(&s, drop, 5);
        let mut g = net.zeros_like();
        net.backward_tokens(&c, &ys, 1.0, &mut g) as f64
    }

    /// The token head's gradients agree with central finite differences
    /// too (labels of -1 stay out of the loss), with and without dropout.
    #[test]
    fn token_head_gradients_match_finite_differences() {
        for drop in [0.0f32, 0.3] {
            let net = Net::from_model(&tiny(2), 0, 4);
            let data = token_data();
            let s: Vec<&[u32]> = data.iter().map(|d| d.0.as_slice()).collect();
            let ys: Vec<f32> = data.iter().flat_map(|d| d.1.iter().copied()).collect();
            let c = net.forward(&s, drop, 5);
            let mut g = net.zeros_like();
            net.backward_tokens(&c, &ys, 1.0, &mut g);
            let grads: Vec<Vec<f32>> = g.tensors().into_iter().cloned().collect();
            let mut r = SplitMix::new(11);
            for ti in 0..grads.len() {
                for _ in 0..4 {
                    let k = (r.next_u64() % grads[ti].len() as u64) as usize;
                    let eps = 1e-2f32;
                    let mut plus = net.clone();
                    plus.tensors_mut()[ti][k] += eps;
                    let mut minus = net.clone();
                    minus.tensors_mut()[ti][k] -= eps;
                    let num = (token_loss(&plus, &data, drop) - token_loss(&minus, &data, drop))
                        / (2.0 * eps as f64);
                    let ana = grads[ti][k] as f64;
                    let tol = 2e-3 + 2e-2 * ana.abs().max(num.abs());
                    assert!(
                        (num - ana).abs() <= tol,
                        "dropout {drop}, tensor {ti} [{k}]: analytic {ana}, numeric {num}"
                    );
                }
            }
        }
        // a token labelled -1 adds nothing
        let net = Net::from_model(&tiny(2), 0, 4);
        let ids = [2u32, 4, 5, 3];
        let c = net.forward(&[&ids], 0.0, 0);
        let mut g = net.zeros_like();
        assert_eq!(net.backward_tokens(&c, &[-1.0; 4], 1.0, &mut g), 0.0);
        assert!(g.tensors().iter().all(|t| t.iter().all(|&v| v == 0.0)));
    }

    /// Token scores are the sigmoid of the head on each last hidden state
    /// of the training forward, sequence by sequence, bit for bit.
    #[test]
    fn token_scores_are_the_forward_head_on_every_token() {
        let net = Net::from_model(&tiny(7), 0, 3);
        let data = seqs();
        let all: Vec<&[u32]> = data.iter().map(|d| d.0.as_slice()).collect();
        let c = net.forward(&all, 0.0, 0);
        let want: Vec<f32> = net.token_logits(&c.out).into_iter().map(sigmoid).collect();
        let owned: Vec<Vec<u32>> = data.iter().map(|d| d.0.clone()).collect();
        let got = net.token_scores(&owned);
        assert_eq!(got.iter().map(|v| v.len()).collect::<Vec<_>>(), [8, 4, 5]);
        assert_eq!(got.concat(), want);
    }

    /// A token tagger fits a tiny set, reproducibly whatever the threads.
    #[test]
    fn token_training_fits_a_tiny_set_reproducibly() {
        let m = tiny(3);
        let data = token_data();
        let o = TuneOptions {
            epochs: 40,
            batch: 3,
            lr: 1e-2,
            dropout: 0.0,
            ..TuneOptions::default()
        };
        let before = token_loss(&Net::from_model(&m, 0, 1), &data, 0.0);
        let run = || finetune_tokens(Net::from_model(&m, 0, 1), &data, &data, &o, &mut |_| {});
        let (a, reports, best) = run();
        let after = token_loss(&a, &data, 0.0);
        assert!(after < before * 0.5, "{before} -> {after}");
        assert!(reports[best].dev_f1 > 0.9, "{:?}", reports[best]);
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let b = one.install(run).0;
        assert!(a.tensors().iter().zip(b.tensors()).all(|(x, y)| x == &y));
    }

    /// A net saved as a model folder loads back as a classifier that gives
    /// the same probabilities.
    #[test]
    fn saved_classifier_loads_back() {
        let m = tiny(4);
        let mut net = Net::from_model(&m, 1, 2);
        net.shift_bias(0.25);
        let tuned = net.to_model(&m);
        let dir = std::env::temp_dir().join(format!("parallax-tune-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let cfg = r#"{"hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2,
            "intermediate_size": 16, "max_position_embeddings": 16, "layer_norm_eps": 1e-12}"#;
        std::fs::write(dir.join("config.json"), cfg).unwrap();
        let vocab = "[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\ncat\nsat\non\nmat\nit\n##s\nwas";
        std::fs::write(dir.join("vocab.txt"), vocab).unwrap();
        std::fs::write(dir.join("model.safetensors"), tuned.to_safetensors()).unwrap();
        let back = FullModel::load(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(back.is_classifier() && !m.is_classifier());
        assert_eq!(back.config.layers, 1);
        for text in ["the cat sat on the mat", "it was its mat"] {
            let (a, b) = (tuned.classify(text).unwrap(), back.classify(text).unwrap());
            assert_eq!(a, b);
            let s = net.scores(&[tuned.classify_input(text)])[0];
            assert!((a - s).abs() < 1e-6, "{a} vs {s}");
        }
        assert_eq!(m.classify("the cat"), None);
    }

    /// Rounding to int8 moves each weight by at most half a step of its
    /// row's scale and leaves norms, biases and the head alone.
    #[test]
    fn int8_rounding_stays_within_half_a_step() {
        let m = tiny(5);
        let mut r = m.clone();
        r.round_to_int8();
        let h = m.config.hidden;
        for (a, b) in m.word.chunks(h).zip(r.word.chunks(h)) {
            let step = a.iter().fold(0f32, |x, v| x.max(v.abs())) / 127.0;
            for (x, y) in a.iter().zip(b) {
                assert!((x - y).abs() <= step / 2.0 + 1e-7, "{x} -> {y}");
            }
            // 255 levels at most per row
            let mut levels: Vec<i32> = b.iter().map(|y| (y / step).round() as i32).collect();
            levels.dedup();
            assert!(levels.iter().all(|l| l.abs() <= 127));
        }
        assert_ne!(m.layers[0].q.w, r.layers[0].q.w);
        assert_eq!(m.layers[0].q.b, r.layers[0].q.b);
        assert_eq!(m.layers[1].ln2.g, r.layers[1].ln2.g);
    }

    #[test]
    fn thresholds_are_swept_on_the_hundredths() {
        let s = [0.9f32, 0.8, 0.3, 0.2, 0.1];
        let g = [true, true, true, false, false];
        let (t, f) = best_threshold(&s, &g);
        assert_eq!((t, f), (0.21, 1.0));
        assert_eq!(f1_at(&s, &g, 0.5), 0.8);
    }
}
