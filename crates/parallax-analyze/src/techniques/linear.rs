//! Hashed linear models: binary and multinomial logistic regression trained
//! by averaged SGD with a seeded shuffle (reproducible bit for bit), stored
//! sparse and quantized to 16 bits.

/// Adds to each class score the dot product of its row of `w` (`k` rows
/// of `x.len()` weights, one per class) with the dense input `x`: the
/// dense part of a multinomial model's scores, in training and inference.
pub fn add_dense_scores(w: &[f32], x: &[f32], scores: &mut [f32]) {
    for (s, row) in scores.iter_mut().zip(w.chunks_exact(x.len())) {
        *s += row.iter().zip(x).map(|(a, b)| a * b).sum::<f32>();
    }
}

/// The seeded generator of training shuffles (SplitMix64).
pub use parallax_core::rng::SplitMix as Rng;

pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// Softmax in place.
pub fn softmax(v: &mut [f32]) {
    let m = v.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
    let mut z = 0.0;
    for x in v.iter_mut() {
        *x = (*x - m).exp();
        z += *x;
    }
    for x in v.iter_mut() {
        *x /= z;
    }
}

/// Linear model over hashed features with `k` outputs per bucket
/// (`k == 1`: binary logistic regression; `k > 1`: softmax over `k` classes).
#[derive(Clone, Debug, PartialEq)]
pub struct Linear {
    pub bits: u32,
    pub k: usize,
    /// Dense weights, `[bucket * k + class]`.
    pub w: Vec<f32>,
}

/// Training settings.
#[derive(Clone, Debug)]
pub struct SgdConfig {
    pub epochs: usize,
    pub lr: f32,
    pub seed: u64,
    /// Weight of positive examples (binary only).
    pub pos_weight: f32,
    /// Buckets seen in fewer examples than this are dropped when stored.
    pub min_count: u32,
}

impl Linear {
    pub fn zeros(bits: u32, k: usize) -> Self {
        Linear {
            bits,
            k,
            w: vec![0.0; (1usize << bits) * k],
        }
    }

    /// Raw score (binary).
    pub fn score(&self, feats: &[u32]) -> f32 {
        feats.iter().map(|&f| self.w[f as usize]).sum()
    }

    /// Class scores (multinomial), written into `out` (len `k`).
    pub fn scores(&self, feats: &[u32], out: &mut [f32]) {
        out.iter_mut().for_each(|x| *x = 0.0);
        for &f in feats {
            let row = &self.w[f as usize * self.k..(f as usize + 1) * self.k];
            for (o, w) in out.iter_mut().zip(row) {
                *o += w;
            }
        }
    }

    /// Class probabilities (multinomial).
    pub fn probs(&self, feats: &[u32]) -> Vec<f32> {
        let mut p = vec![0.0; self.k];
        self.scores(feats, &mut p);
        softmax(&mut p);
        p
    }

    /// Trains on `(features, label)`; binary labels are 0/1. Binary models
    /// are [`Linear::train_binary_dense`] with no dense input, multinomial
    /// ones [`Linear::train_multi_dense`] with none.
    pub fn train(bits: u32, k: usize, data: &[(Vec<u32>, u16)], cfg: &SgdConfig) -> Self {
        if k == 1 {
            return Self::train_binary_dense(bits, data, 0, &|_, _| {}, &|_| 1.0, cfg).0;
        }
        Self::train_multi_dense(bits, k, data, 0, &|_, _| {}, cfg).0
    }

    /// Multinomial logistic regression over hashed features plus a dense
    /// input of `dim` values per example (`dense(ix, x)` writes example
    /// `ix`'s), by averaged SGD with a seeded shuffle. Returns the sparse
    /// model and the dense weights (`k × dim`, one row per class).
    pub fn train_multi_dense(
        bits: u32,
        k: usize,
        data: &[(Vec<u32>, u16)],
        dim: usize,
        dense: &dyn Fn(usize, &mut [f32]),
        cfg: &SgdConfig,
    ) -> (Self, Vec<f32>) {
        let mut m = Linear::zeros(bits, k);
        // Averaged SGD: avg = w - u / c.
        let mut u = vec![0.0f32; m.w.len()];
        let mut dw = vec![0.0f32; k * dim];
        let mut du = vec![0.0f32; k * dim];
        let mut x = vec![0.0f32; dim];
        let mut c = 1.0f32;
        let mut order: Vec<usize> = (0..data.len()).collect();
        let mut rng = Rng::new(cfg.seed);
        let mut p = vec![0.0f32; k];
        for epoch in 0..cfg.epochs {
            rng.shuffle(&mut order);
            let lr = cfg.lr / (1.0 + epoch as f32 * 0.5);
            for &ix in &order {
                let (f, y) = &data[ix];
                m.scores(f, &mut p);
                if dim > 0 {
                    dense(ix, &mut x);
                    add_dense_scores(&dw, &x, &mut p);
                }
                softmax(&mut p);
                for (cl, pc) in p.iter_mut().enumerate() {
                    let yv = (cl == *y as usize) as u8 as f32;
                    *pc = lr * (yv - *pc);
                }
                for &b in f {
                    let base = b as usize * k;
                    for cl in 0..k {
                        m.w[base + cl] += p[cl];
                        u[base + cl] += c * p[cl];
                    }
                }
                if dim > 0 {
                    for (cl, &g) in p.iter().enumerate() {
                        let rows = cl * dim..(cl + 1) * dim;
                        for ((w, uu), &xv) in dw[rows.clone()].iter_mut().zip(&mut du[rows]).zip(&x)
                        {
                            *w += g * xv;
                            *uu += c * g * xv;
                        }
                    }
                }
                c += 1.0;
            }
        }
        for (w, u) in m.w.iter_mut().zip(&u) {
            *w -= u / c;
        }
        for (w, u) in dw.iter_mut().zip(&du) {
            *w -= u / c;
        }
        m.prune_rare(data, cfg.min_count);
        (m, dw)
    }

    /// Zeroes the buckets seen in fewer than `min_count` examples of
    /// `data` (they mostly fit noise; dropping them keeps the file small).
    fn prune_rare(&mut self, data: &[(Vec<u32>, u16)], min_count: u32) {
        let mut counts = vec![0u32; 1usize << self.bits];
        for (f, _) in data {
            for &b in f {
                counts[b as usize] = counts[b as usize].saturating_add(1);
            }
        }
        let k = self.k;
        for (b, &n) in counts.iter().enumerate() {
            if n < min_count {
                self.w[b * k..(b + 1) * k].iter_mut().for_each(|x| *x = 0.0);
            }
        }
    }

    /// Binary logistic regression over hashed features plus a dense input
    /// of `dim` values per example (`dense(ix, x)` writes example `ix`'s),
    /// and `weight(ix)` scaling example `ix`'s gradient, by averaged SGD with
    /// a seeded shuffle. Returns the sparse model and
    /// the dense weights.
    pub fn train_binary_dense(
        bits: u32,
        data: &[(Vec<u32>, u16)],
        dim: usize,
        dense: &dyn Fn(usize, &mut [f32]),
        weight: &dyn Fn(usize) -> f32,
        cfg: &SgdConfig,
    ) -> (Self, Vec<f32>) {
        let mut m = Linear::zeros(bits, 1);
        // Averaged SGD: avg = w - u / c.
        let mut u = vec![0.0f32; m.w.len()];
        let mut dw = vec![0.0f32; dim];
        let mut du = vec![0.0f32; dim];
        let mut x = vec![0.0f32; dim];
        let mut c = 1.0f32;
        let mut order: Vec<usize> = (0..data.len()).collect();
        let mut rng = Rng::new(cfg.seed);
        for epoch in 0..cfg.epochs {
            rng.shuffle(&mut order);
            let lr = cfg.lr / (1.0 + epoch as f32 * 0.5);
            for &ix in &order {
                let (f, y) = &data[ix];
                dense(ix, &mut x);
                let d: f32 = x.iter().zip(&dw).map(|(a, b)| a * b).sum();
                let pr = sigmoid(m.score(f) + d);
                let yv = (*y > 0) as u8 as f32;
                let wgt = weight(ix) * if *y > 0 { cfg.pos_weight } else { 1.0 };
                let g = lr * wgt * (yv - pr);
                if g.abs() < 1e-7 {
                    c += 1.0;
                    continue;
                }
                for &b in f {
                    m.w[b as usize] += g;
                    u[b as usize] += c * g;
                }
                for ((w, uu), &xv) in dw.iter_mut().zip(du.iter_mut()).zip(&x) {
                    *w += g * xv;
                    *uu += c * g * xv;
                }
                c += 1.0;
            }
        }
        for (w, u) in m.w.iter_mut().zip(&u) {
            *w -= u / c;
        }
        for (w, u) in dw.iter_mut().zip(&du) {
            *w -= u / c;
        }
        m.prune_rare(data, cfg.min_count);
        (m, dw)
    }

    /// Sparse, quantized bytes: `bits u32, k u32, scale f32, n u32, n x (bucket u32, k x i16)`.
    pub fn to_bytes(&self, out: &mut Vec<u8>) {
        let max = self.w.iter().fold(0.0f32, |a, &x| a.max(x.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let rows: Vec<usize> = (0..(1usize << self.bits))
            .filter(|&b| {
                self.w[b * self.k..(b + 1) * self.k]
                    .iter()
                    .any(|x| (x / scale).round() != 0.0)
            })
            .collect();
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&(self.k as u32).to_le_bytes());
        out.extend_from_slice(&scale.to_le_bytes());
        out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        for b in rows {
            out.extend_from_slice(&(b as u32).to_le_bytes());
            for x in &self.w[b * self.k..(b + 1) * self.k] {
                out.extend_from_slice(&((x / scale).round() as i16).to_le_bytes());
            }
        }
    }

    /// Reads what [`Linear::to_bytes`] wrote; returns the model and the rest.
    pub fn from_bytes(b: &[u8]) -> Result<(Self, &[u8]), String> {
        let mut r = Reader(b);
        let bits = r.u32()?;
        let k = r.u32()? as usize;
        if bits > 26 || k == 0 || k > 64 {
            return Err(format!("bad model header (bits {bits}, k {k})"));
        }
        let scale = f32::from_bits(r.u32()?);
        let n = r.u32()? as usize;
        let mut m = Linear::zeros(bits, k);
        for _ in 0..n {
            let bucket = r.u32()? as usize;
            if bucket >= 1usize << bits {
                return Err("bucket out of range".into());
            }
            for c in 0..k {
                m.w[bucket * k + c] = r.i16()? as f32 * scale;
            }
        }
        Ok((m, r.0))
    }
}

/// Little-endian reader over a byte slice.
pub struct Reader<'a>(pub &'a [u8]);

impl<'a> Reader<'a> {
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.0.len() < n {
            return Err("model file truncated".into());
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Ok(a)
    }
    pub fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    pub fn i16(&mut self) -> Result<i16, String> {
        Ok(i16::from_le_bytes(self.take(2)?.try_into().unwrap()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_and_round_trips() {
        // Feature 1 means positive, feature 2 negative; 3 is noise.
        let data: Vec<(Vec<u32>, u16)> = (0..200)
            .map(|i| {
                if i % 2 == 0 {
                    (vec![0, 1, 3], 1)
                } else {
                    (vec![0, 2, 3], 0)
                }
            })
            .collect();
        let cfg = SgdConfig {
            epochs: 5,
            lr: 0.1,
            seed: 7,
            pos_weight: 1.0,
            min_count: 1,
        };
        let m = Linear::train(4, 1, &data, &cfg);
        assert!(sigmoid(m.score(&[0, 1, 3])) > 0.8);
        assert!(sigmoid(m.score(&[0, 2, 3])) < 0.2);
        assert_eq!(
            m,
            Linear::train(4, 1, &data, &cfg),
            "seeded training is reproducible"
        );
        let mut bytes = Vec::new();
        m.to_bytes(&mut bytes);
        let (back, rest) = Linear::from_bytes(&bytes).unwrap();
        assert!(rest.is_empty());
        for (a, b) in m.w.iter().zip(&back.w) {
            assert!((a - b).abs() < 1e-3);
        }
        let multi: Vec<(Vec<u32>, u16)> = (0..300)
            .map(|i| (vec![0, 1 + (i % 3) as u32], (i % 3) as u16))
            .collect();
        let mm = Linear::train(3, 3, &multi, &cfg);
        for c in 0..3u32 {
            let p = mm.probs(&[0, 1 + c]);
            assert!(p[c as usize] > 0.6, "{p:?}");
        }
    }
}
