//! Features of the NER tagger. Every feature is a 64-bit FNV-1a hash of a
//! template id and its parts, so extraction allocates no strings per feature
//! and the model is a map from hash to one weight per tag.
//!
//! Static features (computed once per sentence): the word, its lowercase
//! form, prefixes and suffixes, the word shape (`Xxxx`, `X.X.`, `dd-dd`),
//! casing flags, the two words and shapes on each side, word bigrams,
//! gazetteer matches (entity strings seen in the training data), word
//! clusters learned from the training text, and whether the word is usually
//! written lowercase. Dynamic features (per step of greedy decoding): the two
//! previous predicted tags, the previous tag with the word, and the label this
//! same word got earlier in the document (a cheap non-local feature).

use std::collections::{HashMap, HashSet};

/// FNV-1a 64-bit hasher for feature keys.
#[derive(Clone, Copy)]
pub struct Fh(u64);

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

impl Fh {
    #[inline]
    pub fn new(template: u8) -> Self {
        Fh(FNV_OFFSET).byte(template)
    }
    #[inline]
    pub fn byte(mut self, b: u8) -> Self {
        self.0 ^= b as u64;
        self.0 = self.0.wrapping_mul(FNV_PRIME);
        self
    }
    #[inline]
    pub fn bytes(mut self, bs: &[u8]) -> Self {
        for &b in bs {
            self = self.byte(b);
        }
        self.byte(0xff)
    }
    #[inline]
    pub fn str(self, s: &str) -> Self {
        self.bytes(s.as_bytes())
    }
    #[inline]
    pub fn u32(self, v: u32) -> Self {
        self.bytes(&v.to_le_bytes())
    }
    #[inline]
    pub fn get(self) -> u64 {
        self.0
    }
}

/// Hash of a lowercase token sequence (gazetteer keys).
pub fn seq_key<S: AsRef<str>>(words: &[S]) -> u64 {
    let mut h = Fh::new(0);
    for w in words {
        h = h.str(w.as_ref());
    }
    h.get()
}

/// Hash of one lowercase word (the lowercase-vocabulary set).
pub fn word_key(w: &str) -> u64 {
    Fh::new(1).str(w).get()
}

/// Resources learned from the training data besides the weights.
#[derive(Clone, Debug, Default)]
pub struct Resources {
    /// Lowercase entity strings (as `seq_key`) -> bit mask of types (bit t
    /// for `TYPES[t]`).
    pub gazetteer: HashMap<u64, u8>,
    /// Longest gazetteer entry in tokens.
    pub gaz_max_len: usize,
    /// Lowercase words usually written lowercase in the training text.
    pub lower_common: HashSet<u64>,
    /// Lowercase word -> cluster ids at a coarse and a fine granularity.
    pub clusters: HashMap<String, [u16; 2]>,
}

/// Entity types, in tag order.
pub const TYPES: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

/// Maps typographic quotes and dashes to the ASCII forms of the CoNLL
/// (Reuters) text, so that the model sees the same symbols.
pub fn normalize_token(s: &str) -> String {
    if s.is_ascii() && !s.contains(['[', ']', '{', '}']) {
        return s.to_string();
    }
    s.chars()
        .map(|c| match c {
            '’' | '‘' | '‛' | '′' => '\'',
            '“' | '”' | '„' | '«' | '»' => '"',
            '–' | '—' | '‑' | '‐' => '-',
            '[' | '{' => '(',
            ']' | '}' => ')',
            _ => c,
        })
        .collect()
}

/// Word shape: `X` upper, `x` lower, `d` digit, other chars kept; capped at
/// 12 chars. `short` collapses repeats (`Xxxxx` -> `Xx`).
pub fn shape(w: &str) -> (String, String) {
    let mut long = String::new();
    let mut short = String::new();
    let mut last = '\0';
    for (i, c) in w.chars().enumerate() {
        let m = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else if c.is_alphabetic() {
            'a'
        } else {
            c
        };
        if i < 12 {
            long.push(m);
        }
        if m != last {
            short.push(m);
            last = m;
        }
    }
    (long, short)
}

/// What the feature extractor needs of one token.
#[derive(Clone, Debug)]
pub struct TokInfo {
    pub word: String,
    pub lower: String,
    pub shape: String,
    pub short_shape: String,
    pub init_cap: bool,
    pub all_caps: bool,
    pub cluster: Option<[u16; 2]>,
}

impl TokInfo {
    pub fn new(raw: &str, res: &Resources) -> Self {
        let word = normalize_token(raw);
        let lower: String = word
            .chars()
            .flat_map(char::to_lowercase)
            .map(|c| if c.is_ascii_digit() { '0' } else { c })
            .collect();
        let (shape, short_shape) = shape(&word);
        let init_cap = word.chars().next().is_some_and(char::is_uppercase);
        let all_caps =
            word.chars().any(char::is_alphabetic) && !word.chars().any(char::is_lowercase);
        let cluster = res.clusters.get(&lower).copied();
        TokInfo {
            word,
            lower,
            shape,
            short_shape,
            init_cap,
            all_caps,
            cluster,
        }
    }
}

// Template ids (one byte each; keep stable: the model stores hashes).
mod t {
    pub const BIAS: u8 = 10;
    pub const WORD: u8 = 11;
    pub const LOWER: u8 = 12;
    pub const PREFIX: u8 = 13;
    pub const SUFFIX: u8 = 14;
    pub const SHAPE: u8 = 15;
    pub const SHORT_SHAPE: u8 = 16;
    pub const CTX_WORD: u8 = 17;
    pub const CTX_SHAPE: u8 = 18;
    pub const SHAPE3: u8 = 19;
    pub const BIGRAM_L: u8 = 20;
    pub const BIGRAM_R: u8 = 21;
    pub const FIRST: u8 = 22;
    pub const CAPS_SENT: u8 = 23;
    pub const GAZ: u8 = 24;
    pub const GAZ_CTX: u8 = 25;
    pub const CLUSTER: u8 = 26;
    pub const CTX_CLUSTER: u8 = 27;
    pub const LOWER_COMMON: u8 = 28;
    pub const PREV_TAG: u8 = 40;
    pub const PREV2_TAG: u8 = 41;
    pub const PREV_TAG_WORD: u8 = 42;
    pub const PREV_TAG_SHAPE: u8 = 43;
    pub const HIST: u8 = 44;
    pub const HIST_SHAPE: u8 = 45;
    pub const NEXT_WORD_PREV_TAG: u8 = 46;
    pub const PREV_TAG_RARE: u8 = 47;
    pub const RARE_SHAPE: u8 = 29;
}

/// Gazetteer hits per token: `type * 4 + position` (0 begin, 1 inside,
/// 2 last, 3 unit), deduplicated.
pub fn gazetteer_hits(toks: &[TokInfo], res: &Resources) -> Vec<Vec<u8>> {
    let n = toks.len();
    let mut hits = vec![Vec::new(); n];
    if res.gazetteer.is_empty() {
        return hits;
    }
    for i in 0..n {
        if !(toks[i].init_cap || toks[i].word.starts_with(|c: char| c.is_ascii_digit())) {
            continue;
        }
        let mut h = Fh::new(0);
        for j in i..n.min(i + res.gaz_max_len) {
            h = h.str(&toks[j].lower);
            if let Some(&mask) = res.gazetteer.get(&h.get()) {
                for ty in 0..4u8 {
                    if mask & (1 << ty) == 0 {
                        continue;
                    }
                    for k in i..=j {
                        let pos = if i == j {
                            3
                        } else if k == i {
                            0
                        } else if k == j {
                            2
                        } else {
                            1
                        };
                        let code = ty * 4 + pos;
                        if !hits[k].contains(&code) {
                            hits[k].push(code);
                        }
                    }
                }
            }
        }
    }
    hits
}

fn prefix(s: &str, n: usize) -> Option<&str> {
    let mut it = s.char_indices();
    let (b, _) = it.nth(n)?;
    Some(&s[..b])
}

fn suffix(s: &str, n: usize) -> Option<&str> {
    let count = s.chars().count();
    if count <= n {
        return None;
    }
    let (b, _) = s.char_indices().nth(count - n)?;
    Some(&s[b..])
}

/// Static features of every token of a sentence.
pub fn static_features(toks: &[TokInfo], res: &Resources) -> Vec<Vec<u64>> {
    let n = toks.len();
    let gaz = gazetteer_hits(toks, res);
    let caps_sentence = n > 2 && toks.iter().filter(|t| t.all_caps).count() * 10 >= n * 7;
    let bos = "<s>";
    let eos = "</s>";
    let ctx_lower = |j: isize| -> &str {
        if j < 0 {
            bos
        } else if j as usize >= n {
            eos
        } else {
            &toks[j as usize].lower
        }
    };
    let ctx_shape = |j: isize| -> &str {
        if j < 0 {
            bos
        } else if j as usize >= n {
            eos
        } else {
            &toks[j as usize].short_shape
        }
    };
    let mut out = Vec::with_capacity(n);
    for (i, tk) in toks.iter().enumerate() {
        let ii = i as isize;
        let mut f = Vec::with_capacity(48);
        f.push(Fh::new(t::BIAS).get());
        f.push(Fh::new(t::WORD).str(&tk.word).get());
        f.push(Fh::new(t::LOWER).str(&tk.lower).get());
        for k in 1..=4 {
            if let Some(p) = prefix(&tk.lower, k) {
                f.push(Fh::new(t::PREFIX).byte(k as u8).str(p).get());
            }
            if let Some(s) = suffix(&tk.lower, k) {
                f.push(Fh::new(t::SUFFIX).byte(k as u8).str(s).get());
            }
        }
        f.push(Fh::new(t::SHAPE).str(&tk.shape).get());
        f.push(Fh::new(t::SHORT_SHAPE).str(&tk.short_shape).get());
        for d in [-2isize, -1, 1, 2] {
            f.push(
                Fh::new(t::CTX_WORD)
                    .byte(d as u8)
                    .str(ctx_lower(ii + d))
                    .get(),
            );
        }
        for d in [-1isize, 1] {
            f.push(
                Fh::new(t::CTX_SHAPE)
                    .byte(d as u8)
                    .str(ctx_shape(ii + d))
                    .str(&tk.short_shape)
                    .get(),
            );
        }
        f.push(
            Fh::new(t::SHAPE3)
                .str(ctx_shape(ii - 1))
                .str(&tk.short_shape)
                .str(ctx_shape(ii + 1))
                .get(),
        );
        f.push(
            Fh::new(t::BIGRAM_L)
                .str(ctx_lower(ii - 1))
                .str(&tk.lower)
                .get(),
        );
        f.push(
            Fh::new(t::BIGRAM_R)
                .str(&tk.lower)
                .str(ctx_lower(ii + 1))
                .get(),
        );
        if i == 0 {
            f.push(Fh::new(t::FIRST).str(&tk.short_shape).get());
        }
        if caps_sentence {
            f.push(Fh::new(t::CAPS_SENT).str(&tk.short_shape).get());
        }
        for &g in &gaz[i] {
            f.push(Fh::new(t::GAZ).byte(g).get());
            f.push(Fh::new(t::GAZ).byte(g).str(&tk.short_shape).get());
        }
        for d in [-1isize, 1] {
            let j = ii + d;
            if j >= 0 && (j as usize) < n {
                for &g in &gaz[j as usize] {
                    f.push(Fh::new(t::GAZ_CTX).byte(d as u8).byte(g / 4).get());
                }
            }
        }
        if let Some(c) = tk.cluster {
            f.push(Fh::new(t::CLUSTER).byte(0).u32(c[0] as u32).get());
            f.push(Fh::new(t::CLUSTER).byte(1).u32(c[1] as u32).get());
            f.push(
                Fh::new(t::CLUSTER)
                    .byte(2)
                    .u32(c[1] as u32)
                    .str(&tk.short_shape)
                    .get(),
            );
        }
        for d in [-1isize, 1] {
            let j = ii + d;
            if j >= 0 && (j as usize) < n {
                if let Some(c) = toks[j as usize].cluster {
                    f.push(Fh::new(t::CTX_CLUSTER).byte(d as u8).u32(c[1] as u32).get());
                }
            }
        }
        if tk.cluster.is_none() && !res.clusters.is_empty() {
            f.push(
                Fh::new(t::RARE_SHAPE)
                    .str(&tk.short_shape)
                    .byte(i.min(1) as u8)
                    .get(),
            );
        }
        if tk.init_cap && res.lower_common.contains(&word_key(&tk.lower)) {
            f.push(Fh::new(t::LOWER_COMMON).byte(i.min(1) as u8).get());
        }
        out.push(f);
    }
    out
}

/// Appends the features that depend on earlier decisions: the previous two
/// tags, and the type this same word was given earlier in the document
/// (`hist`, 0 = none, 1 + type index otherwise).
#[inline]
pub fn dynamic_features(
    out: &mut Vec<u64>,
    tok: &TokInfo,
    next: Option<&TokInfo>,
    prev: u8,
    prev2: u8,
    hist: u8,
) {
    out.push(Fh::new(t::PREV_TAG).byte(prev).get());
    out.push(Fh::new(t::PREV2_TAG).byte(prev2).byte(prev).get());
    out.push(Fh::new(t::PREV_TAG_WORD).byte(prev).str(&tok.lower).get());
    out.push(
        Fh::new(t::PREV_TAG_SHAPE)
            .byte(prev)
            .str(&tok.short_shape)
            .get(),
    );
    out.push(
        Fh::new(t::NEXT_WORD_PREV_TAG)
            .byte(prev)
            .str(next.map_or("</s>", |n| n.lower.as_str()))
            .get(),
    );
    if tok.cluster.is_none() {
        // A word too rare to have a cluster: lean on the previous tag.
        out.push(
            Fh::new(t::PREV_TAG_RARE)
                .byte(prev)
                .str(&tok.short_shape)
                .get(),
        );
    }
    if hist != 0 {
        out.push(Fh::new(t::HIST).byte(hist).get());
        out.push(
            Fh::new(t::HIST_SHAPE)
                .byte(hist)
                .str(&tok.short_shape)
                .get(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(shape("Kim").0, "Xxx");
        assert_eq!(shape("Kim").1, "Xx");
        assert_eq!(shape("U.S.").1, "X.X.");
        assert_eq!(shape("1996-08-22").1, "d-d-d");
        assert_eq!(shape("McDonald").1, "XxXx");
    }

    #[test]
    fn normalization_maps_typography_to_conll_ascii() {
        assert_eq!(normalize_token("’s"), "'s");
        assert_eq!(normalize_token("“"), "\"");
        assert_eq!(normalize_token("Israel"), "Israel");
    }

    #[test]
    fn affixes_are_char_based() {
        assert_eq!(prefix("zürich", 2), Some("zü"));
        assert_eq!(suffix("zürich", 3), Some("ich"));
        assert_eq!(suffix("ab", 2), None);
    }

    #[test]
    fn gazetteer_marks_positions() {
        let mut res = Resources::default();
        res.gazetteer.insert(seq_key(&["north", "korea"]), 1 << 2);
        res.gaz_max_len = 2;
        let toks: Vec<TokInfo> = ["in", "North", "Korea", "today"]
            .iter()
            .map(|w| TokInfo::new(w, &res))
            .collect();
        let h = gazetteer_hits(&toks, &res);
        assert!(h[0].is_empty());
        assert_eq!(h[1], vec![2 * 4]);
        assert_eq!(h[2], vec![2 * 4 + 2]);
        assert!(h[3].is_empty());
    }

    #[test]
    fn features_are_deterministic_and_context_sensitive() {
        let res = Resources::default();
        let a: Vec<TokInfo> = ["Kim", "said"]
            .iter()
            .map(|w| TokInfo::new(w, &res))
            .collect();
        let b: Vec<TokInfo> = ["Kim", "went"]
            .iter()
            .map(|w| TokInfo::new(w, &res))
            .collect();
        let fa = static_features(&a, &res);
        assert_eq!(fa, static_features(&a, &res));
        assert_ne!(fa[0], static_features(&b, &res)[0]);
        // The word feature itself is shared.
        assert!(fa[0].contains(&Fh::new(11).str("Kim").get()));
    }
}
