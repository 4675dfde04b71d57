//! The NER model: weights (one per tag per feature hash), the resources the
//! features need (gazetteer, clusters, lowercase vocabulary), greedy
//! left-to-right decoding with IOB2 constraints, and a small binary format.
//!
//! File format (`models/ner/ner.bin`, little endian):
//! `PXNER\x01`, u32 tag count, f32 weight scale, u32 n + n x (u64 feature,
//! i16 x tags) weights, u32 n + n x (u64 key, u8 type mask) gazetteer, u8
//! longest gazetteer entry, u32 n + n x u64 lowercase vocabulary, u32 n + n x
//! (u16 len, bytes, u16, u16) clusters, u32 len + JSON training metadata.

use super::features::{self, Resources, TokInfo, TYPES};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// IOB2 tags, in weight order.
pub const TAGS: [&str; 9] = [
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
];
pub const NTAGS: usize = 9;

/// Tag index of a tag string (unknown tags read as `O`).
pub fn tag_index(t: &str) -> u8 {
    TAGS.iter().position(|x| *x == t).unwrap_or(0) as u8
}

/// Type index (0..4) of a non-O tag.
pub fn tag_type(t: u8) -> Option<usize> {
    (t != 0).then(|| (t as usize - 1) / 2)
}

pub fn is_inside(t: u8) -> bool {
    t != 0 && t & 1 == 0
}

/// May tag `t` follow tag `prev` in IOB2? (`I-X` only after `B-X`/`I-X`.)
#[inline]
pub fn allowed(prev: u8, t: u8) -> bool {
    !is_inside(t) || (prev != 0 && tag_type(prev) == tag_type(t))
}

/// Tag transitions the decoder may take: `t[prev][tag]`. IOB2-valid
/// transitions that never occur in the training data are closed too (in
/// CoNLL-2003 a person name never directly follows another one, so "Kim Jong
/// Un" cannot split into "Kim" + "Jong Un").
pub type Transitions = [[bool; NTAGS]; NTAGS];

/// All IOB2-valid transitions.
pub fn iob2_transitions() -> Transitions {
    let mut t = [[false; NTAGS]; NTAGS];
    for (p, row) in t.iter_mut().enumerate() {
        for (c, x) in row.iter_mut().enumerate() {
            *x = allowed(p as u8, c as u8);
        }
    }
    t
}

/// Transitions between two entity tags must be seen this often in the
/// training data to stay open (B-PER B-LOC occurs 3 times in 6,600 names).
pub const MIN_TRANSITION_COUNT: u32 = 5;

#[allow(clippy::needless_range_loop)] // (prev, tag) matrices read clearer as indices
/// IOB2-valid transitions seen in `seqs` (sentence start = `O`); a
/// transition from an entity tag to `B-X` needs [`MIN_TRANSITION_COUNT`].
pub fn observed_transitions<'a>(seqs: impl Iterator<Item = &'a [u8]>) -> Transitions {
    let mut n = [[0u32; NTAGS]; NTAGS];
    for s in seqs {
        let mut p = 0u8;
        for &c in s {
            n[p as usize][c as usize] += 1;
            p = c;
        }
    }
    let mut t = [[false; NTAGS]; NTAGS];
    t[0][0] = true;
    for p in 0..NTAGS {
        for c in 0..NTAGS {
            let entity_to_begin = p != 0 && c != 0 && !is_inside(c as u8);
            let min = if entity_to_begin {
                MIN_TRANSITION_COUNT
            } else {
                1
            };
            t[p][c] = n[p][c] >= min;
        }
    }
    let valid = iob2_transitions();
    for p in 0..NTAGS {
        for c in 0..NTAGS {
            t[p][c] &= valid[p][c];
        }
        // O and B-X always stay reachable after O.
        if p == 0 {
            for c in 0..NTAGS {
                t[0][c] |= !is_inside(c as u8);
            }
        }
    }
    t
}

/// Pass-through hasher: feature keys are already FNV hashes; one
/// multiply-xorshift spreads them over the table's high and low bits.
#[derive(Default, Clone, Copy)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("KeyHasher hashes u64 keys only")
    }
    #[inline]
    fn write_u64(&mut self, k: u64) {
        let x = k.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = x ^ (x >> 29);
    }
}

pub type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// A trained tagger.
#[derive(Clone, Debug)]
pub struct Model {
    /// Feature key -> weights per tag: the one store of the weights, built
    /// for scoring (see [`Packed`]).
    pub weights: Packed,
    pub res: Resources,
    pub trans: Transitions,
    /// JSON metadata written by training (data, seed, epochs, scores).
    pub meta: String,
}

impl Default for Model {
    fn default() -> Self {
        Model {
            weights: Packed::default(),
            res: Resources::default(),
            trans: iob2_transitions(),
            meta: String::new(),
        }
    }
}

/// Open-addressing table (linear probing, power-of-two size) of feature
/// key -> the feature's weights, one 64-byte slot (a cache line) per
/// entry. Scoring a token first prefetches the slot of each of its
/// features, then reads them: the reads are memory-bound and the
/// prefetches let them overlap.
#[derive(Clone, Debug, Default)]
pub struct Packed {
    slots: Vec<Slot>,
    len: usize,
}

#[derive(Clone, Copy, Debug, Default)]
#[repr(C, align(64))]
struct Slot {
    key: u64,
    used: bool,
    w: [f32; NTAGS],
}

impl Packed {
    /// The table of `rows` (feature key, weights); a key given twice keeps
    /// its last weights.
    pub fn from_rows(rows: impl ExactSizeIterator<Item = (u64, [f32; NTAGS])>) -> Packed {
        let cap = (rows.len() * 10 / 7).max(8).next_power_of_two();
        let mut p = Packed {
            slots: vec![Slot::default(); cap],
            len: 0,
        };
        let mask = cap - 1;
        for (k, w) in rows {
            let mut j = p.home(k);
            while p.slots[j].used && p.slots[j].key != k {
                j = (j + 1) & mask;
            }
            if !p.slots[j].used {
                p.len += 1;
            }
            p.slots[j] = Slot {
                key: k,
                used: true,
                w,
            };
        }
        p
    }

    /// Number of features.
    pub fn len(&self) -> usize {
        self.len
    }

    /// The rows (feature key, weights) sorted by key.
    pub fn rows(&self) -> Vec<(u64, [f32; NTAGS])> {
        let mut r: Vec<(u64, [f32; NTAGS])> = self
            .slots
            .iter()
            .filter(|s| s.used)
            .map(|s| (s.key, s.w))
            .collect();
        r.sort_unstable_by_key(|x| x.0);
        r
    }

    /// The weights of feature `k`.
    pub fn get(&self, k: u64) -> Option<&[f32; NTAGS]> {
        if self.slots.is_empty() {
            return None;
        }
        self.get_from(self.home(k), k)
    }
    #[inline]
    fn home(&self, k: u64) -> usize {
        let x = k.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        ((x ^ (x >> 29)) as usize) & (self.slots.len() - 1)
    }
    #[inline]
    fn get_from(&self, mut i: usize, k: u64) -> Option<&[f32; NTAGS]> {
        let mask = self.slots.len() - 1;
        loop {
            let s = &self.slots[i];
            if !s.used {
                return None;
            }
            if s.key == k {
                return Some(&s.w);
            }
            i = (i + 1) & mask;
        }
    }
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
    #[inline]
    fn prefetch(&self, i: usize) {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a prefetch is a hint and never faults; the address is in bounds.
        unsafe {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            _mm_prefetch(self.slots.as_ptr().add(i) as *const i8, _MM_HINT_T0);
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = i;
    }
}

/// Errors reading a model file.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("not a Parallax NER model (bad magic bytes)")]
    Magic,
    #[error("model file is truncated")]
    Truncated,
    #[error("model has {0} tags, expected {NTAGS}")]
    Tags(u32),
}

/// Per-document state for the non-local "earlier label of this word" feature.
#[derive(Default)]
pub struct DocHistory {
    seen: HashMap<String, [u16; 4]>,
}

impl DocHistory {
    /// 0 when the word had no entity label earlier in the document, else
    /// 1 + the type it got most often.
    pub fn get(&self, tok: &TokInfo) -> u8 {
        if !tok.init_cap {
            return 0;
        }
        match self.seen.get(&tok.word) {
            None => 0,
            Some(c) => {
                let mut best = 0;
                for (k, &n) in c.iter().enumerate().skip(1) {
                    if n > c[best] {
                        best = k;
                    }
                }
                best as u8 + 1
            }
        }
    }

    pub fn record(&mut self, tok: &TokInfo, tag: u8) {
        if let Some(ty) = tag_type(tag) {
            if tok.init_cap {
                self.seen.entry(tok.word.clone()).or_default()[ty] += 1;
            }
        }
    }
}

impl Model {
    #[inline]
    pub fn score_into(&self, feats: &[u64], scores: &mut [f32; NTAGS]) {
        *scores = [0.0; NTAGS];
        let p = &self.weights;
        if p.is_empty() {
            return;
        }
        let mut homes = [0usize; 128];
        let n = feats.len().min(homes.len());
        for (h, &f) in homes.iter_mut().zip(&feats[..n]) {
            *h = p.home(f);
            p.prefetch(*h);
        }
        for (i, &f) in feats.iter().enumerate() {
            let home = if i < n { homes[i] } else { p.home(f) };
            if let Some(w) = p.get_from(home, f) {
                for (s, x) in scores.iter_mut().zip(w) {
                    *s += x;
                }
            }
        }
    }

    /// Token infos of a sentence of raw token strings.
    pub fn infos<S: AsRef<str>>(&self, words: &[S]) -> Vec<TokInfo> {
        words
            .iter()
            .map(|w| TokInfo::new(w.as_ref(), &self.res))
            .collect()
    }

    /// Tags one sentence greedily, updating the document history. Returns
    /// the tag indices and, for each, a confidence (softmax of the allowed
    /// tags' scores).
    pub fn tag_sentence(&self, toks: &[TokInfo], hist: &mut DocHistory) -> (Vec<u8>, Vec<f32>) {
        let stat = features::static_features(toks, &self.res);
        let mut tags = Vec::with_capacity(toks.len());
        let mut confs = Vec::with_capacity(toks.len());
        let (mut prev, mut prev2) = (0u8, 0u8);
        let mut feats: Vec<u64> = Vec::with_capacity(64);
        let mut scores = [0f32; NTAGS];
        for (i, tok) in toks.iter().enumerate() {
            feats.clear();
            feats.extend_from_slice(&stat[i]);
            features::dynamic_features(
                &mut feats,
                tok,
                toks.get(i + 1),
                prev,
                prev2,
                hist.get(tok),
            );
            self.score_into(&feats, &mut scores);
            let mut best = best_allowed(&scores, &self.trans[prev as usize]);
            if continues_name(prev, best, tok, &self.res) {
                best = 2; // I-PER
            }
            confs.push(confidence(&scores, &self.trans[prev as usize], best));
            tags.push(best);
            prev2 = prev;
            prev = best;
        }
        for (tok, &t) in toks.iter().zip(&tags) {
            hist.record(tok, t);
        }
        (tags, confs)
    }

    /// Serializes to the binary format, quantizing weights to i16.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(b"PXNER\x01");
        out.extend_from_slice(&(NTAGS as u32).to_le_bytes());
        for row in &self.trans {
            out.extend(row.iter().map(|&b| b as u8));
        }
        let rows = self.weights.rows();
        let maxw = rows
            .iter()
            .flat_map(|(_, w)| w.iter())
            .fold(0f32, |m, &x| m.max(x.abs()))
            .max(1e-9);
        let scale = maxw / 32767.0;
        out.extend_from_slice(&scale.to_le_bytes());
        out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        for (k, ws) in &rows {
            out.extend_from_slice(&k.to_le_bytes());
            for &w in ws {
                let q = (w / scale).round().clamp(-32767.0, 32767.0) as i16;
                out.extend_from_slice(&q.to_le_bytes());
            }
        }
        let mut gaz: Vec<(u64, u8)> = self.res.gazetteer.iter().map(|(&k, &v)| (k, v)).collect();
        gaz.sort_unstable();
        out.extend_from_slice(&(gaz.len() as u32).to_le_bytes());
        for (k, m) in gaz {
            out.extend_from_slice(&k.to_le_bytes());
            out.push(m);
        }
        out.push(self.res.gaz_max_len as u8);
        let mut lc: Vec<u64> = self.res.lower_common.iter().copied().collect();
        lc.sort_unstable();
        out.extend_from_slice(&(lc.len() as u32).to_le_bytes());
        for k in lc {
            out.extend_from_slice(&k.to_le_bytes());
        }
        let mut cl: Vec<(&String, &[u16; 2])> = self.res.clusters.iter().collect();
        cl.sort();
        out.extend_from_slice(&(cl.len() as u32).to_le_bytes());
        for (w, c) in cl {
            out.extend_from_slice(&(w.len() as u16).to_le_bytes());
            out.extend_from_slice(w.as_bytes());
            out.extend_from_slice(&c[0].to_le_bytes());
            out.extend_from_slice(&c[1].to_le_bytes());
        }
        out.extend_from_slice(&(self.meta.len() as u32).to_le_bytes());
        out.extend_from_slice(self.meta.as_bytes());
        out
    }

    /// Reads the binary format.
    pub fn from_bytes(b: &[u8]) -> Result<Model, ModelError> {
        let mut r = Reader { b, p: 0 };
        if r.take(6)? != b"PXNER\x01" {
            return Err(ModelError::Magic);
        }
        let nt = r.u32()?;
        if nt as usize != NTAGS {
            return Err(ModelError::Tags(nt));
        }
        let mut trans = [[false; NTAGS]; NTAGS];
        for row in trans.iter_mut() {
            for x in row.iter_mut() {
                *x = r.take(1)?[0] != 0;
            }
        }
        let scale = f32::from_le_bytes(r.take(4)?.try_into().unwrap());
        let n = r.u32()? as usize;
        let mut rows = Vec::with_capacity(n.min(b.len() / 8));
        for _ in 0..n {
            let k = r.u64()?;
            let mut w = [0f32; NTAGS];
            for x in w.iter_mut() {
                *x = i16::from_le_bytes(r.take(2)?.try_into().unwrap()) as f32 * scale;
            }
            rows.push((k, w));
        }
        let weights = Packed::from_rows(rows.into_iter());
        let mut res = Resources::default();
        let n = r.u32()? as usize;
        for _ in 0..n {
            let k = r.u64()?;
            let m = r.take(1)?[0];
            res.gazetteer.insert(k, m);
        }
        res.gaz_max_len = r.take(1)?[0] as usize;
        let n = r.u32()? as usize;
        for _ in 0..n {
            res.lower_common.insert(r.u64()?);
        }
        let n = r.u32()? as usize;
        for _ in 0..n {
            let l = u16::from_le_bytes(r.take(2)?.try_into().unwrap()) as usize;
            let w = String::from_utf8_lossy(r.take(l)?).into_owned();
            let c0 = u16::from_le_bytes(r.take(2)?.try_into().unwrap());
            let c1 = u16::from_le_bytes(r.take(2)?.try_into().unwrap());
            res.clusters.insert(w, [c0, c1]);
        }
        let l = r.u32()? as usize;
        let meta = String::from_utf8_lossy(r.take(l)?).into_owned();
        Ok(Model {
            weights,
            res,
            trans,
            meta,
        })
    }

    /// Drops features whose weights all round to zero at `min_abs`.
    pub fn prune(&mut self, min_abs: f32) {
        let kept: Vec<(u64, [f32; NTAGS])> = self
            .weights
            .rows()
            .into_iter()
            .filter(|(_, w)| w.iter().any(|x| x.abs() >= min_abs))
            .collect();
        self.weights = Packed::from_rows(kept.into_iter());
    }
}

struct Reader<'a> {
    b: &'a [u8],
    p: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let s = self
            .b
            .get(self.p..self.p + n)
            .ok_or(ModelError::Truncated)?;
        self.p += n;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    fn u64(&mut self) -> Result<u64, ModelError> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().unwrap()))
    }
}

/// Name continuation, applied when decoding (not in training): a
/// capitalized, alphabetic, not-all-capitals word right after a person name
/// continues it unless the word is usually written lowercase. CoNLL-2003 has
/// few names like "Kim Jong Un" or "Kim Il Sung", whose syllables look like
/// other things to the affix features ("Un" ~ UN, "Jong" ~ Hong Kong); the
/// training data itself almost never has a person name directly followed by
/// another capitalized word that is not part of it.
#[inline]
pub fn continues_name(prev: u8, best: u8, tok: &TokInfo, res: &Resources) -> bool {
    (prev == 1 || prev == 2)
        && best != 2
        && tok.init_cap
        && !tok.all_caps
        && tok.word.chars().all(char::is_alphabetic)
        && !res.lower_common.contains(&features::word_key(&tok.lower))
}

/// Highest-scoring tag among those `open` (a row of [`Transitions`]).
#[inline]
pub fn best_allowed(scores: &[f32; NTAGS], open: &[bool; NTAGS]) -> u8 {
    let mut best = 0u8;
    let mut bs = f32::NEG_INFINITY;
    for (t, &s) in scores.iter().enumerate() {
        if s > bs && open[t] {
            bs = s;
            best = t as u8;
        }
    }
    best
}

/// Softmax probability of `chosen` among the tags allowed after `prev`.
/// Perceptron scores are not calibrated: this is a ranking signal.
fn confidence(scores: &[f32; NTAGS], open: &[bool; NTAGS], chosen: u8) -> f32 {
    let top = scores[chosen as usize];
    let mut z = 0f32;
    for (t, &s) in scores.iter().enumerate() {
        if open[t] {
            z += ((s - top) / TEMPERATURE).exp();
        }
    }
    1.0 / z
}

/// Divides scores before the softmax of [`confidence`].
const TEMPERATURE: f32 = 4.0;

/// Type name of a type index.
pub fn type_name(ty: usize) -> &'static str {
    TYPES[ty]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iob2_constraints() {
        assert!(allowed(0, 1));
        assert!(!allowed(0, 2));
        assert!(allowed(1, 2));
        assert!(allowed(2, 2));
        assert!(!allowed(1, 4));
        let mut s = [0f32; NTAGS];
        s[4] = 5.0; // I-ORG best, but not allowed after O
        s[3] = 1.0;
        let t = iob2_transitions();
        assert_eq!(best_allowed(&s, &t[0]), 3);
        assert_eq!(best_allowed(&s, &t[3]), 4);
    }

    #[test]
    fn unseen_transitions_are_closed() {
        // B-PER I-PER, then B-PER after O: B-PER -> B-PER never seen.
        let seqs: Vec<Vec<u8>> = vec![vec![1, 2, 0, 1], vec![3, 3, 3, 3, 3, 3]];
        let t = observed_transitions(seqs.iter().map(|v| v.as_slice()));
        assert!(t[1][2]);
        assert!(!t[1][1], "B-PER after B-PER never seen");
        assert!(t[3][3], "B-ORG after B-ORG seen");
        assert!(!t[0][2], "I-PER after O is never valid");
        assert!(t[0][7], "B-MISC after O stays open");
        let mut s = [0f32; NTAGS];
        s[1] = 3.0;
        s[2] = 1.0;
        assert_eq!(best_allowed(&s, &t[1]), 2);
    }

    #[test]
    fn binary_round_trip() {
        let mut m = Model {
            weights: Packed::from_rows(
                [(42u64, [1.0, -2.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 3.0])].into_iter(),
            ),
            ..Model::default()
        };
        m.res.gazetteer.insert(7, 3);
        m.res.gaz_max_len = 4;
        m.res.lower_common.insert(99);
        m.res.clusters.insert("kim".into(), [1, 2]);
        m.meta = "{\"x\":1}".into();
        m.trans[1][1] = false;
        let b = m.to_bytes();
        let r = Model::from_bytes(&b).unwrap();
        assert_eq!(r.weights.len(), 1);
        assert!((r.weights.get(42).unwrap()[1] + 2.0).abs() < 1e-3);
        assert!(r.weights.get(43).is_none());
        assert_eq!(Model::from_bytes(&r.to_bytes()).unwrap().to_bytes(), b);
        assert_eq!(r.res.gazetteer[&7], 3);
        assert_eq!(r.res.gaz_max_len, 4);
        assert_eq!(r.res.clusters["kim"], [1, 2]);
        assert_eq!(r.meta, m.meta);
        assert_eq!(r.trans, m.trans);
        assert!(matches!(
            Model::from_bytes(&b[..b.len() - 3]),
            Err(ModelError::Truncated)
        ));
        assert!(matches!(
            Model::from_bytes(b"nope!!xx"),
            Err(ModelError::Magic)
        ));
    }
}
