//! Check-worthiness model: logistic regression over hashed sparse features,
//! trained with seeded AdaGrad SGD. Pure Rust, no dependencies.
//!
//! Features of a sentence (all binary, hashed with FNV-1a into `2^bits` slots):
//! lowercased words (`w:`), word bigrams with sentence boundaries (`b:`),
//! the first word (`f:`), number shapes (`n:0,000`), cue flags for numbers,
//! number words, percentages, money, years, comparatives and capitalized
//! words inside the sentence (`c:`), and a length bucket (`len:`).
//!
//! The stored bias already includes the decision threshold tuned on the
//! development split, so `score >= 0.5` is the model's "check-worthy" call.

use std::fmt::Write as _;

/// FNV-1a 64-bit: stable across platforms and Rust versions (unlike `DefaultHasher`).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The seeded generator of training shuffles.
pub use parallax_core::rng::SplitMix;

const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "fifteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
    "billions",
    "trillion",
    "trillions",
    "dozen",
    "dozens",
    "half",
    "twice",
    "double",
    "triple",
    "percent",
    "per",
    "cent",
    "third",
    "quarter",
];
const COMPARATIVES: &[&str] = &[
    "more",
    "less",
    "fewer",
    "most",
    "least",
    "higher",
    "lower",
    "increase",
    "increased",
    "decrease",
    "decreased",
    "cut",
    "cuts",
    "raised",
    "doubled",
    "tripled",
    "largest",
    "biggest",
    "highest",
    "lowest",
    "record",
    "since",
    "ago",
    "last",
    "first",
    "only",
];

/// Membership in a short word list, checking the length and first byte
/// before comparing (most words of a sentence match neither list).
fn in_list(list: &[&str], w: &str) -> bool {
    let (n, b) = (w.len(), w.as_bytes().first());
    list.iter()
        .any(|x| x.len() == n && x.as_bytes().first() == b && *x == w)
}

fn is_number_word(w: &str) -> bool {
    in_list(NUMBER_WORDS, w)
}

fn is_comparative(w: &str) -> bool {
    in_list(COMPARATIVES, w)
}

/// Lowercased word tokens of a sentence plus their "was capitalized" flag.
/// Words are runs of letters/digits with inner `'`, `.`, `,` kept when between
/// alphanumerics ("don't", "3.8", "1,000"); `$` and `%` are tokens of their own.
fn words(s: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() {
            let st = i;
            while i < chars.len() {
                let c = chars[i];
                let inner = matches!(c, '\'' | '’' | '.' | ',' | '-')
                    && i + 1 < chars.len()
                    && chars[i + 1].is_alphanumeric()
                    && i > st
                    && (c != ',' && c != '.'
                        || (chars[i - 1].is_ascii_digit() && chars[i + 1].is_ascii_digit()));
                if c.is_alphanumeric() || inner {
                    i += 1;
                } else {
                    break;
                }
            }
            let w: String = chars[st..i].iter().collect();
            let cap = c.is_uppercase();
            out.push((w.to_lowercase().replace('’', "'"), cap));
        } else {
            if matches!(c, '$' | '%' | '€' | '£') {
                out.push((c.to_string(), false));
            }
            i += 1;
        }
    }
    out
}

fn shape(w: &str) -> String {
    w.chars()
        .map(|c| if c.is_ascii_digit() { '0' } else { c })
        .collect()
}

/// Feature-set flags stored in the model: which optional features it uses.
pub const FEAT_NORM: u32 = 1;
pub const FEAT_TRIGRAMS: u32 = 2;
pub const FEAT_PREFIX: u32 = 4;
pub const FEAT_CHARGRAMS: u32 = 8;
pub const FEAT_SHAPES: u32 = 16;
pub const FEAT_CONTEXT: u32 = 32;
/// Dense features: the sentence's static embedding (`crate::embed`, the
/// table distilled from all-MiniLM-L6-v2), times `embed_scale`, with one
/// weight per dimension. Gives the linear model what words mean, not only
/// which words occur.
pub const FEAT_EMBED: u32 = 64;
/// With [`FEAT_EMBED`]: the dense input is the static sentence vector
/// followed by an outside sentence encoder's vector, which the caller puts
/// in [`Ctx::vec`] (the full all-MiniLM-L6-v2 model of `--model-dir`,
/// L2-normalized). Such a model is not embedded: it scores only where the
/// encoder runs (`parallax checkworthy --model-dir`).
pub const FEAT_ENCODER: u32 = 128;

/// The sentence vector the dense weights apply to (L2-normalized; zeros for
/// text with no known token).
pub fn sentence_vector(text: &str) -> Vec<f32> {
    use crate::embed::{SentenceEncoder, StaticEmbedder};
    StaticEmbedder::get().encode(text)
}

/// The dense input of a sentence under feature flags `flags`: its static
/// vector, followed with [`FEAT_ENCODER`] by the encoder's vector.
pub fn dense_input(c: &Ctx, flags: u32) -> Vec<f32> {
    let mut x = sentence_vector(c.text);
    if flags & FEAT_ENCODER != 0 {
        if let Some(v) = c.vec {
            x.extend_from_slice(v);
        }
    }
    x
}

/// Name of the cue that stands for the dense part in explanations.
pub const EMBED_CUE: &str = "e:sentence-meaning";

/// A sentence with its neighbors (the sentences before and after it).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Ctx<'a> {
    pub prev: Option<&'a str>,
    pub text: &'a str,
    pub next: Option<&'a str>,
    /// The outside encoder's vector of `text`, for models with
    /// [`FEAT_ENCODER`] (ignored by the others).
    pub vec: Option<&'a [f32]>,
}

impl<'a> Ctx<'a> {
    /// A sentence without neighbors.
    pub fn alone(text: &'a str) -> Self {
        Ctx {
            prev: None,
            text,
            next: None,
            vec: None,
        }
    }
}

/// Features of a sentence plus, with [`FEAT_CONTEXT`], the words and cue
/// flags of its neighbors (prefixed `p` and `n`: `pw:percent`, `nc:number`).
pub fn features_ctx(c: &Ctx, flags: u32) -> Vec<String> {
    let mut f = features_with(c.text, flags);
    if flags & FEAT_CONTEXT != 0 {
        for (tag, o) in [("p", c.prev), ("n", c.next)] {
            match o {
                None => f.push(format!("{tag}:none")),
                Some(t) => {
                    for g in features_with(t, 0) {
                        if g.starts_with("w:") || g.starts_with("c:") {
                            f.push(format!("{tag}{g}"));
                        }
                    }
                }
            }
        }
        f.sort();
        f.dedup();
    }
    f
}

/// The feature strings of one sentence with the default feature set.
pub fn features(sentence: &str) -> Vec<String> {
    features_with(sentence, 0)
}

/// The feature strings of one sentence (deduplicated, in a stable order).
pub fn features_with(sentence: &str, flags: u32) -> Vec<String> {
    let mut f: Vec<String> = Vec::with_capacity(64);
    emit_features(sentence, flags, &mut |x| f.push(x.to_string()));
    f.sort();
    f.dedup();
    f
}

/// Calls `out` with each feature string of one sentence (possibly
/// repeated, in emission order), from one reused buffer: no allocation per
/// feature.
fn emit_features(sentence: &str, flags: u32, out: &mut dyn FnMut(&str)) {
    let mut buf = String::with_capacity(64);
    let mut put = |args: std::fmt::Arguments| {
        buf.clear();
        let _ = buf.write_fmt(args);
        out(&buf);
    };
    let ws = words(sentence);
    let mut prev = "<s>".to_string();
    let mut prev2 = "<s0>".to_string();
    let mut prev_shape = "^";
    let (mut num, mut numw, mut pct, mut money, mut year, mut comp, mut caps) =
        (false, false, false, false, false, false, 0usize);
    for (k, (w, cap)) in ws.iter().enumerate() {
        let is_num = w.chars().next().is_some_and(|c| c.is_ascii_digit());
        let unit = if is_num {
            let sh = shape(w);
            if sh.len() == 4 && (w.starts_with("19") || w.starts_with("20")) {
                year = true;
            }
            put(format_args!("n:{sh}"));
            num = true;
            "<num>".to_string()
        } else {
            w.clone()
        };
        if is_number_word(w) {
            numw = true;
        }
        if w == "%" || w == "percent" {
            pct = true;
        }
        if w == "$" || w == "dollars" || w == "€" || w == "£" {
            money = true;
        }
        if is_comparative(w) {
            comp = true;
        }
        if *cap && k > 0 && w != "i" {
            caps += 1;
        }
        if k == 0 {
            put(format_args!("f:{unit}"));
        }
        put(format_args!("w:{unit}"));
        if flags & FEAT_PREFIX != 0 && unit.chars().count() > 5 {
            let p: String = unit.chars().take(5).collect();
            put(format_args!("p:{p}"));
        }
        if flags & FEAT_CHARGRAMS != 0 && !is_num {
            let cs: Vec<char> = format!("<{unit}>").chars().collect();
            for n in [3usize, 4, 5] {
                for win in cs.windows(n) {
                    let g: String = win.iter().collect();
                    put(format_args!("g:{g}"));
                }
            }
        }
        if flags & FEAT_SHAPES != 0 {
            let sh = if is_num {
                "N"
            } else if *cap && k > 0 {
                "C"
            } else {
                "w"
            };
            if !is_num && unit.chars().count() > 4 {
                let suf: String = unit
                    .chars()
                    .rev()
                    .take(3)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                put(format_args!("s:{suf}"));
            }
            put(format_args!("sb:{prev_shape}{sh}"));
            prev_shape = sh;
        }
        put(format_args!("b:{prev} {unit}"));
        if flags & FEAT_TRIGRAMS != 0 {
            put(format_args!("t:{prev2} {prev} {unit}"));
        }
        prev2 = std::mem::replace(&mut prev, unit);
    }
    put(format_args!("b:{prev} </s>"));
    for (on, name) in [
        (num, "c:number"),
        (numw, "c:numword"),
        (pct, "c:percent"),
        (money, "c:money"),
        (year, "c:year"),
        (comp, "c:comparative"),
    ] {
        if on {
            put(format_args!("{name}"));
        }
    }
    put(format_args!("c:caps{}", caps.min(4)));
    let n = ws.len();
    let bucket = match n {
        0..=3 => "0-3",
        4..=6 => "4-6",
        7..=10 => "7-10",
        11..=15 => "11-15",
        16..=25 => "16-25",
        _ => "26+",
    };
    put(format_args!("len:{bucket}"));
    put(format_args!("bias"));
}

/// A trained check-worthiness model.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// log2 of the number of hashed weight slots.
    pub bits: u32,
    /// Seed of the split and of the shuffles it was trained with.
    pub seed: u64,
    /// Bias, already shifted by the tuned threshold.
    pub bias: f32,
    /// Feature-set flags (`FEAT_*`).
    pub flags: u32,
    pub weights: Vec<f32>,
    /// With [`FEAT_EMBED`]: one weight per embedding dimension (else empty).
    pub dense: Vec<f32>,
    /// Value scale of the embedding features.
    pub embed_scale: f32,
}

const MAGIC: &[u8; 8] = b"PXCW0002";
const HEADER: usize = 28;

/// Value of each of `n` active binary features (1, or 1/sqrt(n) when normalized).
fn feature_value(flags: u32, n: usize) -> f32 {
    if flags & FEAT_NORM != 0 && n > 0 {
        1.0 / (n as f32).sqrt()
    } else {
        1.0
    }
}

impl Model {
    fn slot(&self, feature: &str) -> usize {
        (fnv1a(feature.as_bytes()) & ((1u64 << self.bits) - 1)) as usize
    }

    /// Whether the model needs an outside encoder's vector in [`Ctx::vec`].
    pub fn needs_encoder(&self) -> bool {
        self.flags & FEAT_ENCODER != 0
    }

    /// Contribution of the dense embedding features to the margin (0 without
    /// them). A model with [`FEAT_ENCODER`] scored without the encoder's
    /// vector sees only the static part (callers check
    /// [`Model::needs_encoder`]).
    fn dense_margin(&self, c: &Ctx) -> f32 {
        if self.dense.is_empty() {
            return 0.0;
        }
        let x = dense_input(c, self.flags);
        self.embed_scale * x.iter().zip(&self.dense).map(|(a, b)| a * b).sum::<f32>()
    }

    fn margin_of(&self, feats: &[String]) -> f32 {
        let v = feature_value(self.flags, feats.len());
        self.bias
            + v * feats
                .iter()
                .map(|f| self.weights[self.slot(f)])
                .sum::<f32>()
    }

    /// Score in [0, 1]; `>= 0.5` means check-worthy.
    pub fn score(&self, sentence: &str) -> f32 {
        self.score_ctx(&Ctx::alone(sentence))
    }

    /// Score of a sentence with its neighbors.
    pub fn score_ctx(&self, c: &Ctx) -> f32 {
        if self.flags & FEAT_CONTEXT == 0 {
            return self.explain_fast(c, 0).0;
        }
        sigmoid(self.margin_of(&features_ctx(c, self.flags)) + self.dense_margin(c))
    }

    /// Score plus the `k` features that pushed it up most (the cues shown to users).
    pub fn explain(&self, sentence: &str, k: usize) -> (f32, Vec<(String, f32)>) {
        self.explain_ctx(&Ctx::alone(sentence), k)
    }

    /// [`Model::explain`] with neighbors.
    pub fn explain_ctx(&self, c: &Ctx, k: usize) -> (f32, Vec<(String, f32)>) {
        if self.flags & FEAT_CONTEXT == 0 {
            return self.explain_fast(c, k);
        }
        self.explain_slow(c, k)
    }

    /// [`Model::explain_ctx`] without building the feature strings: each
    /// feature is hashed from a reused buffer, duplicates are dropped by
    /// hash, and only the top `k` cues keep their names. Same result.
    fn explain_fast(&self, c: &Ctx, k: usize) -> (f32, Vec<(String, f32)>) {
        let sentence = c.text;
        let mask = (1u64 << self.bits) - 1;
        // Pass 1: hash every feature, prefetch its weight (the table is
        // megabytes: the loads overlap instead of waiting one by one) and
        // keep its name in one arena.
        let mut arena = String::with_capacity(sentence.len() * 8);
        let mut feats: Vec<(u64, u32, u32)> = Vec::with_capacity(96);
        emit_features(sentence, self.flags, &mut |f| {
            let h = fnv1a(f.as_bytes());
            prefetch(&self.weights, (h & mask) as usize);
            let at = arena.len() as u32;
            arena.push_str(f);
            feats.push((h, at, arena.len() as u32));
        });
        // Pass 2: the top `k` positive cues by weight (ties by name).
        let mut top: Vec<(&str, f32)> = Vec::with_capacity(k + 1);
        if k > 0 {
            let better = |a: (&str, f32), b: (&str, f32)| a.1 > b.1 || (a.1 == b.1 && a.0 < b.0);
            for &(h, s, e) in &feats {
                let w = self.weights[(h & mask) as usize];
                let f = &arena[s as usize..e as usize];
                if w <= 0.0 || f == "bias" || top.iter().any(|t| t.0 == f) {
                    continue;
                }
                if top.len() < k {
                    top.push((f, w));
                } else if let Some(worst) =
                    (0..top.len()).reduce(|x, y| if better(top[x], top[y]) { y } else { x })
                {
                    if better((f, w), top[worst]) {
                        top[worst] = (f, w);
                    }
                }
            }
        }
        let mut hashes: Vec<u64> = feats.iter().map(|x| x.0).collect();
        hashes.sort_unstable();
        hashes.dedup();
        let v = feature_value(self.flags, hashes.len());
        let sum: f32 = hashes
            .iter()
            .map(|&h| self.weights[(h & mask) as usize])
            .sum();
        let dense = self.dense_margin(c);
        // The dense part competes for a cue slot on the scale of one sparse
        // weight: the weight a single feature would need to add as much.
        if k > 0 && dense > 0.0 && v > 0.0 {
            let d = (EMBED_CUE, dense / v);
            if top.len() < k {
                top.push(d);
            } else if let Some(worst) =
                (0..top.len()).min_by(|&x, &y| top[x].1.total_cmp(&top[y].1))
            {
                if d.1 > top[worst].1 {
                    top[worst] = d;
                }
            }
        }
        top.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        let top = top.into_iter().map(|(f, w)| (f.to_string(), w)).collect();
        (sigmoid(self.bias + v * sum + dense), top)
    }

    fn explain_slow(&self, c: &Ctx, k: usize) -> (f32, Vec<(String, f32)>) {
        let feats = features_ctx(c, self.flags);
        let v = feature_value(self.flags, feats.len());
        let mut sum = 0f32;
        let mut contrib: Vec<(String, f32)> = Vec::new();
        for f in feats {
            let w = self.weights[self.slot(&f)];
            sum += w;
            if w > 0.0 && f != "bias" {
                contrib.push((f, w));
            }
        }
        let dense = self.dense_margin(c);
        if dense > 0.0 && v > 0.0 {
            contrib.push((EMBED_CUE.to_string(), dense / v));
        }
        let score = sigmoid(self.bias + v * sum + dense);
        contrib.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        contrib.truncate(k);
        (score, contrib)
    }

    /// Serializes: magic, bits (u32), seed (u64), bias (f32), then the
    /// weights as f16 (IEEE half, little-endian) to halve the file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER + self.weights.len() * 2);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&self.seed.to_le_bytes());
        out.extend_from_slice(&self.bias.to_le_bytes());
        out.extend_from_slice(&self.flags.to_le_bytes());
        for w in &self.weights {
            out.extend_from_slice(&f32_to_f16(*w).to_le_bytes());
        }
        if self.flags & FEAT_EMBED != 0 {
            out.extend_from_slice(&(self.dense.len() as u32).to_le_bytes());
            out.extend_from_slice(&self.embed_scale.to_le_bytes());
            for w in &self.dense {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    pub fn from_bytes(b: &[u8]) -> Result<Model, String> {
        if b.len() < HEADER || &b[..8] != MAGIC {
            return Err("not a parallax check-worthiness model (bad magic)".into());
        }
        let bits = u32::from_le_bytes(b[8..12].try_into().unwrap());
        let seed = u64::from_le_bytes(b[12..20].try_into().unwrap());
        let bias = f32::from_le_bytes(b[20..24].try_into().unwrap());
        let flags = u32::from_le_bytes(b[24..28].try_into().unwrap());
        if !(1..=24).contains(&bits) {
            return Err(format!("bad model: {bits} hash bits"));
        }
        let n = 1usize << bits;
        let sparse_end = HEADER + 2 * n;
        let (dense, embed_scale) = if flags & FEAT_EMBED != 0 && b.len() >= sparse_end + 8 {
            let dim =
                u32::from_le_bytes(b[sparse_end..sparse_end + 4].try_into().unwrap()) as usize;
            let scale = f32::from_le_bytes(b[sparse_end + 4..sparse_end + 8].try_into().unwrap());
            let d = &b[sparse_end + 8..];
            if d.len() != 4 * dim {
                return Err(format!(
                    "bad model: {} bytes of dense weights, expected {}",
                    d.len(),
                    4 * dim
                ));
            }
            let dense = d
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
                .collect();
            (dense, scale)
        } else {
            if b.len() != sparse_end {
                return Err(format!(
                    "bad model: {} bytes of weights, expected {}",
                    b.len() - HEADER,
                    2 * n
                ));
            }
            (Vec::new(), 0.0)
        };
        let weights = b[HEADER..sparse_end]
            .chunks_exact(2)
            .map(|c| f16_to_f32(u16::from_le_bytes([c[0], c[1]])))
            .collect();
        Ok(Model {
            bits,
            seed,
            bias,
            flags,
            weights,
            dense,
            embed_scale,
        })
    }

    /// Shifts the bias so that `score >= 0.5` means "probability >= threshold".
    pub fn fold_threshold(&mut self, threshold: f32) {
        self.bias -= (threshold / (1.0 - threshold)).ln();
    }

    /// Rounds weights through f16 so that a model in memory scores exactly
    /// like the same model after a save/load.
    pub fn quantize(&mut self) {
        for w in &mut self.weights {
            *w = f16_to_f32(f32_to_f16(*w));
        }
    }
}

/// Hint the CPU to load `v[i]` soon (no effect on results).
#[inline]
fn prefetch(v: &[f32], i: usize) {
    #[cfg(target_arch = "x86_64")]
    if i < v.len() {
        // SAFETY: a prefetch is a hint and never faults; the address is in bounds.
        unsafe {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            _mm_prefetch(v.as_ptr().add(i) as *const i8, _MM_HINT_T0);
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (v, i);
}

pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// f32 -> IEEE 754 half (round to nearest, flush tiny values to zero).
pub fn f32_to_f16(x: f32) -> u16 {
    let bits = x.to_bits();
    let sign = ((bits >> 16) & 0x8000) as u16;
    let exp = ((bits >> 23) & 0xff) as i32;
    let mant = bits & 0x7f_ffff;
    if exp == 0xff {
        return sign | 0x7c00 | if mant != 0 { 0x200 } else { 0 };
    }
    let e = exp - 127 + 15;
    if e >= 0x1f {
        return sign | 0x7c00;
    }
    if e <= 0 {
        if e < -10 {
            return sign;
        }
        let m = (mant | 0x80_0000) >> (1 - e);
        let round = (m >> 12) & 1;
        return sign | ((m >> 13) + round) as u16;
    }
    let m = mant >> 13;
    let round = (mant >> 12) & 1;
    (sign | ((e as u16) << 10) | m as u16).wrapping_add(round as u16)
}

pub fn f16_to_f32(h: u16) -> f32 {
    let sign = ((h & 0x8000) as u32) << 16;
    let exp = ((h >> 10) & 0x1f) as u32;
    let mant = (h & 0x3ff) as u32;
    let bits = if exp == 0 {
        if mant == 0 {
            sign
        } else {
            // subnormal
            let mut e = 127 - 15 + 1;
            let mut m = mant;
            while m & 0x400 == 0 {
                m <<= 1;
                e -= 1;
            }
            sign | ((e as u32) << 23) | ((m & 0x3ff) << 13)
        }
    } else if exp == 0x1f {
        sign | 0x7f80_0000 | (mant << 13)
    } else {
        sign | ((exp + 127 - 15) << 23) | (mant << 13)
    };
    f32::from_bits(bits)
}

/// Training settings. `Default` is the configuration of the shipped model.
#[derive(Clone, Debug)]
pub struct TrainConfig {
    pub bits: u32,
    pub epochs: usize,
    pub learning_rate: f32,
    pub l2: f32,
    pub seed: u64,
    /// Feature-set flags (`FEAT_*`).
    pub flags: u32,
    /// Average the weights over all SGD steps.
    pub average: bool,
    /// Value scale of the embedding features (with [`FEAT_EMBED`]).
    pub embed_scale: f32,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            bits: 20,
            epochs: 10,
            learning_rate: 0.2,
            l2: 1e-6,
            seed: 42,
            flags: FEAT_NORM | FEAT_TRIGRAMS | FEAT_EMBED,
            average: false,
            embed_scale: 3.0,
        }
    }
}

/// Precision / recall / F1 of the positive class.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Prf {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    pub tn: usize,
}

impl Prf {
    pub fn add(&mut self, gold: bool, pred: bool) {
        match (gold, pred) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        parallax_core::metrics::f1(self.precision(), self.recall())
    }
    pub fn accuracy(&self) -> f64 {
        ratio(self.tp + self.tn, self.tp + self.tn + self.fp + self.fn_)
    }
    pub fn report(&self) -> String {
        let mut s = String::new();
        let _ = write!(
            s,
            "F1 {:.4}  precision {:.4}  recall {:.4}  accuracy {:.4}  (tp {} fp {} fn {} tn {})",
            self.f1(),
            self.precision(),
            self.recall(),
            self.accuracy(),
            self.tp,
            self.fp,
            self.fn_,
            self.tn
        );
        s
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// What training reports besides the model.
#[derive(Clone, Debug)]
pub struct TrainReport {
    /// Threshold on the raw probability that maximized dev F1 (folded into the bias).
    pub threshold: f32,
    /// Dev-split scores at that threshold.
    pub dev: Prf,
}

/// Trains on `train`, tunes the decision threshold on `dev`, and returns a
/// quantized model whose `score >= 0.5` is the tuned decision.
pub fn train(
    train: &[(Ctx, bool)],
    dev: &[(Ctx, bool)],
    cfg: &TrainConfig,
) -> (Model, TrainReport) {
    let mut model = fit(train, cfg);
    model.quantize();
    let dev_scores: Vec<(f32, bool)> = dev.iter().map(|(s, y)| (model.score_ctx(s), *y)).collect();
    let (threshold, dev_prf) = best_threshold(&dev_scores);
    if !dev.is_empty() {
        model.fold_threshold(threshold);
    }
    (
        model,
        TrainReport {
            threshold,
            dev: dev_prf,
        },
    )
}

/// Cross-validated bagging: splits `rows` into `folds` parts (seeded), trains
/// one model per part on the other parts, and returns the mean of those
/// models, with the decision threshold tuned on the pooled out-of-fold
/// scores (every row is scored by a model that did not see it). Every row
/// trains 1 − 1/`folds` of the models, so no labelled row is spent on
/// tuning alone; the report's `dev` is the out-of-fold score.
pub fn train_cv(rows: &[(Ctx, bool)], folds: usize, cfg: &TrainConfig) -> (Model, TrainReport) {
    assert!(folds >= 2, "cross-validation needs at least 2 folds");
    let mut order: Vec<usize> = (0..rows.len()).collect();
    SplitMix::new(cfg.seed ^ 0xC0FFEE).shuffle(&mut order);
    let mut fold_of = vec![0usize; rows.len()];
    for (k, &i) in order.iter().enumerate() {
        fold_of[i] = k % folds;
    }
    let mut oof: Vec<(f32, bool)> = Vec::with_capacity(rows.len());
    let mut sum: Option<Model> = None;
    for f in 0..folds {
        let part: Vec<(Ctx, bool)> = rows
            .iter()
            .zip(&fold_of)
            .filter(|(_, &k)| k != f)
            .map(|(r, _)| *r)
            .collect();
        let m = fit(&part, cfg);
        for (r, _) in rows.iter().zip(&fold_of).filter(|(_, &k)| k == f) {
            oof.push((m.score_ctx(&r.0), r.1));
        }
        sum = Some(match sum {
            None => m,
            Some(mut acc) => {
                acc.bias += m.bias;
                acc.weights
                    .iter_mut()
                    .zip(&m.weights)
                    .for_each(|(a, b)| *a += b);
                acc.dense
                    .iter_mut()
                    .zip(&m.dense)
                    .for_each(|(a, b)| *a += b);
                acc
            }
        });
    }
    let mut model = sum.expect("folds >= 2");
    let n = folds as f32;
    model.bias /= n;
    model.weights.iter_mut().for_each(|w| *w /= n);
    model.dense.iter_mut().for_each(|w| *w /= n);
    model.quantize();
    let (threshold, dev) = best_threshold(&oof);
    model.fold_threshold(threshold);
    (model, TrainReport { threshold, dev })
}

/// The threshold on the probability (0.05..0.95 in steps of 0.01) that
/// maximizes positive-class F1, and the scores at it.
fn best_threshold(scores: &[(f32, bool)]) -> (f32, Prf) {
    let mut best = (0.5f32, Prf::default(), -1.0f64);
    for k in 5..=95 {
        let t = k as f32 / 100.0;
        let mut p = Prf::default();
        for (s, y) in scores {
            p.add(*y, *s >= t);
        }
        if p.f1() > best.2 {
            best = (t, p, p.f1());
        }
    }
    (best.0, best.1)
}

/// One AdaGrad step on weight `w` with accumulated squared gradient `g2`
/// and gradient `grad`; returns the step taken (subtracted from `w`).
#[inline]
fn adagrad(w: &mut f32, g2: &mut f32, grad: f32, lr: f32) -> f32 {
    *g2 += grad * grad;
    let d = lr * grad / (g2.sqrt() + 1e-6);
    *w -= d;
    d
}

/// Trains one model on `train` (no threshold tuning, not quantized).
fn fit(train: &[(Ctx, bool)], cfg: &TrainConfig) -> Model {
    let n = 1usize << cfg.bits;
    let mask = (n as u64) - 1;
    let slots = |s: &Ctx| -> Vec<u32> {
        let mut v: Vec<u32> = features_ctx(s, cfg.flags)
            .iter()
            .map(|f| (fnv1a(f.as_bytes()) & mask) as u32)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let data: Vec<(Vec<u32>, bool)> = train.iter().map(|(s, y)| (slots(s), *y)).collect();
    let embed = cfg.flags & FEAT_EMBED != 0;
    let xs: Vec<Vec<f32>> = if embed {
        train
            .iter()
            .map(|(s, _)| {
                let mut x = dense_input(s, cfg.flags);
                x.iter_mut().for_each(|a| *a *= cfg.embed_scale);
                x
            })
            .collect()
    } else {
        Vec::new()
    };
    let dim = xs.first().map_or(0, |x| x.len());
    let mut dw = vec![0f32; dim];
    let mut dg2 = vec![0f32; dim];
    let mut du = vec![0f64; if cfg.average { dim } else { 0 }];
    let mut w = vec![0f32; n];
    let mut g2 = vec![0f32; n];
    let mut bias = 0f32;
    let mut bias_g2 = 0f32;
    // Averaged SGD (lazy form): the model is the mean of the weights over
    // all steps, kept as `w - u / c` where `u` sums `c * update`.
    let mut u = if cfg.average {
        vec![0f64; n]
    } else {
        Vec::new()
    };
    let mut bias_u = 0f64;
    let mut c = 1f64;
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = SplitMix::new(cfg.seed);
    for _ in 0..cfg.epochs {
        rng.shuffle(&mut order);
        for &i in &order {
            let (x, y) = &data[i];
            let v = feature_value(cfg.flags, x.len());
            let dx: &[f32] = if embed { &xs[i] } else { &[] };
            let m: f32 = bias
                + v * x.iter().map(|&j| w[j as usize]).sum::<f32>()
                + dx.iter().zip(&dw).map(|(a, b)| a * b).sum::<f32>();
            let g = sigmoid(m) - if *y { 1.0 } else { 0.0 };
            for (j, &xj) in dx.iter().enumerate() {
                let grad = g * xj + cfg.l2 * dw[j];
                let d = adagrad(&mut dw[j], &mut dg2[j], grad, cfg.learning_rate);
                if cfg.average {
                    du[j] -= c * d as f64;
                }
            }
            for &j in x {
                let j = j as usize;
                let grad = g * v + cfg.l2 * w[j];
                let d = adagrad(&mut w[j], &mut g2[j], grad, cfg.learning_rate);
                if cfg.average {
                    u[j] -= c * d as f64;
                }
            }
            let d = adagrad(&mut bias, &mut bias_g2, g, cfg.learning_rate);
            bias_u -= c * d as f64;
            c += 1.0;
        }
    }
    if cfg.average {
        for (wj, uj) in w.iter_mut().zip(&u) {
            *wj = (*wj as f64 - uj / c) as f32;
        }
        bias = (bias as f64 - bias_u / c) as f32;
        for (wj, uj) in dw.iter_mut().zip(&du) {
            *wj = (*wj as f64 - uj / c) as f32;
        }
    }
    Model {
        bits: cfg.bits,
        seed: cfg.seed,
        bias,
        flags: cfg.flags,
        weights: w,
        dense: dw,
        embed_scale: if embed { cfg.embed_scale } else { 0.0 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_cover_words_numbers_and_cues() {
        let f = features("Unemployment rose 3.5% in 1992, to $4 billion.");
        for want in [
            "w:unemployment",
            "b:<s> unemployment",
            "f:unemployment",
            "n:0.0",
            "n:0000",
            "c:number",
            "c:percent",
            "c:money",
            "c:year",
            "c:numword",
            "b:<num> %",
        ] {
            assert!(f.contains(&want.to_string()), "{want} missing from {f:?}");
        }
        let g = features("I'd like to mention one thing.");
        assert!(g.contains(&"w:i'd".to_string()), "{g:?}");
        assert!(!g.contains(&"c:number".to_string()));
    }

    #[test]
    fn fast_scoring_equals_the_feature_string_path() {
        let m = crate::claims::embedded_model();
        for s in [
            "Unemployment rose 3.5% in 1992, to $4 billion.",
            "Thank you, thank you very much.",
            "The the the same same word word.",
            "",
            "We cut taxes by 40 percent since 2010 and created 3 million jobs.",
        ] {
            let c = Ctx::alone(s);
            let (fast, top) = m.explain_fast(&c, 3);
            let (slow, top_slow) = m.explain_slow(&c, 3);
            assert!((fast - slow).abs() < 1e-6, "{s}: {fast} vs {slow}");
            assert_eq!(top, top_slow, "{s}");
        }
    }

    #[test]
    fn f16_roundtrip_is_close() {
        for x in [0.0f32, 1.0, -1.0, 0.123, -3.75, 1e-3, 12.5, 1e-6] {
            let y = f16_to_f32(f32_to_f16(x));
            assert!((x - y).abs() <= x.abs() * 1e-3 + 1e-6, "{x} -> {y}");
        }
    }

    #[test]
    fn bytes_roundtrip_and_bad_input() {
        let mut m = Model {
            bits: 4,
            seed: 7,
            bias: -0.25,
            flags: FEAT_NORM,
            weights: (0..16).map(|i| i as f32 * 0.1 - 0.8).collect(),
            dense: Vec::new(),
            embed_scale: 0.0,
        };
        m.quantize();
        assert_eq!(Model::from_bytes(&m.to_bytes()).unwrap(), m);
        let mut e = m.clone();
        e.flags |= FEAT_EMBED;
        e.dense = vec![0.5, -1.25, 3.0];
        e.embed_scale = 2.0;
        assert_eq!(Model::from_bytes(&e.to_bytes()).unwrap(), e);
        let mut b = e.to_bytes();
        b.pop();
        assert!(Model::from_bytes(&b).is_err());
        assert!(Model::from_bytes(b"nope").is_err());
        let mut b = m.to_bytes();
        b.pop();
        assert!(Model::from_bytes(&b).is_err());
    }

    #[test]
    fn learns_a_separable_toy_task() {
        let pos = [
            "Taxes rose 40 percent in 1990.",
            "We spent $3 billion on defense last year.",
            "Unemployment is at 8 percent.",
            "The deficit doubled since 1980.",
        ];
        let neg = [
            "Thank you very much.",
            "I'd like to mention one thing.",
            "Let me answer that.",
            "Good evening everyone.",
        ];
        let data: Vec<(Ctx, bool)> = pos
            .iter()
            .map(|s| (Ctx::alone(s), true))
            .chain(neg.iter().map(|s| (Ctx::alone(s), false)))
            .collect();
        let cfg = TrainConfig {
            bits: 12,
            epochs: 20,
            ..Default::default()
        };
        let (m, rep) = train(&data, &data, &cfg);
        assert_eq!(rep.dev.f1(), 1.0);
        assert!(m.score("Inflation rose 12 percent in 1979.") > m.score("Thank you, everyone."));
        // Deterministic: same data and seed, same model.
        let (m2, _) = train(&data, &data, &cfg);
        assert_eq!(m, m2);
    }

    /// With FEAT_ENCODER the outside vector in `Ctx::vec` is part of the
    /// dense input: identical sentences told apart only by it are learned,
    /// and the model without that vector cannot tell them apart.
    #[test]
    fn encoder_vector_is_read_only_with_its_flag() {
        let (yes, no) = ([1.0f32, 0.0], [0.0f32, 1.0]);
        let texts = ["He said it again.", "So it goes.", "Well, there we are."];
        let mut data: Vec<(Ctx, bool)> = Vec::new();
        for t in texts {
            for (v, y) in [(&yes[..], true), (&no[..], false)] {
                data.push((
                    Ctx {
                        vec: Some(v),
                        ..Ctx::alone(t)
                    },
                    y,
                ));
            }
        }
        let cfg = TrainConfig {
            bits: 10,
            epochs: 30,
            flags: FEAT_NORM | FEAT_EMBED | FEAT_ENCODER,
            ..Default::default()
        };
        let m = fit(&data, &cfg);
        assert!(m.needs_encoder());
        assert_eq!(m.dense.len(), sentence_vector("x").len() + 2);
        for t in texts {
            let with = |v: &[f32]| {
                m.score_ctx(&Ctx {
                    vec: Some(v),
                    ..Ctx::alone(t)
                })
            };
            assert!(with(&yes) > 0.5 && with(&no) < 0.5, "{t}");
        }
        let plain = fit(
            &data,
            &TrainConfig {
                flags: FEAT_NORM | FEAT_EMBED,
                ..cfg
            },
        );
        assert!(!plain.needs_encoder());
        let c = data[0].0;
        assert_eq!(
            plain.score_ctx(&c),
            plain.score_ctx(&Ctx { vec: None, ..c })
        );
    }
}
