//! Sentence embeddings.
//!
//! The embedded default is a *static* table distilled from all-MiniLM-L6-v2
//! (`models/embeddings/`, see its model card and `tools/distill_embeddings.py`):
//! one int8 vector (with an f32 scale) per WordPiece token, already PCA'd and
//! frequency-weighted, so a sentence vector is the mean of its token rows,
//! L2-normalized. No transformer runs at inference time: thousands of times
//! faster than the full model, at the agreement measured in the model card.
//!
//! Other backends (the full transformer) plug in through [`SentenceEncoder`].

use crate::entities::model::KeyMap;
use once_cell::sync::Lazy;
use unicode_normalization::UnicodeNormalization;

static TABLE: &[u8] = include_bytes!("../../../models/embeddings/static.bin");
static VOCAB: &str = include_str!("../../../models/embeddings/vocab.txt");

/// Turns text into a fixed-size vector; cosine of two vectors says how
/// close two sentences are in meaning. Implementations must be pure.
pub trait SentenceEncoder: Send + Sync {
    /// Name shown in outputs (which backend produced the similarities).
    fn name(&self) -> &str;
    fn dim(&self) -> usize;
    /// L2-normalized vector (all zeros for text with no known token).
    fn encode(&self, text: &str) -> Vec<f32>;
}

/// Cosine of two L2-normalized vectors. Exactly symmetric: `cos(a,b) == cos(b,a)`.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// BERT uncased WordPiece tokenizer (basic tokenizer + greedy longest match),
/// the same as the model's `tokenizer.json` for the text Parallax reads.
///
/// Entries are keyed by their 64-bit FNV-1a hash, so a candidate piece is
/// looked up without building a string (`##` + suffix is hashed in place);
/// loading checks that no two entries share a hash.
#[derive(Clone)]
pub struct WordPiece {
    vocab: KeyMap<u32>,
    unk: u32,
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

#[inline]
fn fnv_more(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

impl WordPiece {
    pub fn from_vocab(lines: &str) -> Self {
        let mut vocab: KeyMap<u32> = KeyMap::default();
        let mut n = 0;
        for (i, l) in lines.lines().enumerate() {
            if vocab
                .insert(fnv_more(FNV_OFFSET, l.as_bytes()), i as u32)
                .is_some()
            {
                panic!("WordPiece vocabulary: entry {i} ({l:?}) repeats or collides with an earlier one");
            }
            n += 1;
        }
        debug_assert_eq!(vocab.len(), n);
        let unk = vocab
            .get(&fnv_more(FNV_OFFSET, b"[UNK]"))
            .copied()
            .unwrap_or(100);
        WordPiece { vocab, unk }
    }

    /// Number of vocabulary entries.
    pub fn len(&self) -> usize {
        self.vocab.len()
    }

    /// True for an empty vocabulary.
    pub fn is_empty(&self) -> bool {
        self.vocab.is_empty()
    }

    /// The id of a vocabulary entry such as `[CLS]`.
    pub fn token_id(&self, token: &str) -> Option<u32> {
        self.vocab
            .get(&fnv_more(FNV_OFFSET, token.as_bytes()))
            .copied()
    }

    /// Token ids of `text`, without [CLS]/[SEP].
    pub fn ids(&self, text: &str) -> Vec<u32> {
        let mut out = Vec::new();
        self.for_each_id(text, |id| out.push(id));
        out
    }

    /// Calls `f` with each token id of `text` in order (no allocation per token).
    pub fn for_each_id(&self, text: &str, mut f: impl FnMut(u32)) {
        let mut word = String::new();
        let flush = |word: &mut String, f: &mut dyn FnMut(u32)| {
            if !word.is_empty() {
                self.wordpiece(word, f);
                word.clear();
            }
        };
        for c in text.chars() {
            if c == '\0' || c == '\u{fffd}' || (c.is_control() && !c.is_whitespace()) {
                continue;
            }
            if c.is_whitespace() {
                flush(&mut word, &mut f);
                continue;
            }
            if c.is_ascii() {
                if is_punct(c) {
                    flush(&mut word, &mut f);
                    word.push(c);
                    flush(&mut word, &mut f);
                } else {
                    word.push(c.to_ascii_lowercase());
                }
                continue;
            }
            if is_cjk(c) || is_punct(c) {
                flush(&mut word, &mut f);
                word.push(c);
                flush(&mut word, &mut f);
                continue;
            }
            // lowercase, NFD, drop combining marks (BERT's strip_accents)
            for l in c.to_lowercase() {
                for d in std::iter::once(l).nfd() {
                    if !is_mark(d) {
                        if is_punct(d) {
                            flush(&mut word, &mut f);
                            word.push(d);
                            flush(&mut word, &mut f);
                        } else {
                            word.push(d);
                        }
                    }
                }
            }
        }
        flush(&mut word, &mut f);
    }

    fn wordpiece(&self, word: &str, f: &mut dyn FnMut(u32)) {
        if word.chars().count() > 100 {
            f(self.unk);
            return;
        }
        let mut pieces: Vec<u32> = Vec::new();
        let mut start = 0;
        let cont = fnv_more(FNV_OFFSET, b"##");
        while start < word.len() {
            let mut end = word.len();
            let mut found = None;
            let seed = if start > 0 { cont } else { FNV_OFFSET };
            while start < end {
                let key = fnv_more(seed, &word.as_bytes()[start..end]);
                if let Some(&id) = self.vocab.get(&key) {
                    found = Some(id);
                    break;
                }
                end -= 1;
                while end > start && !word.is_char_boundary(end) {
                    end -= 1;
                }
            }
            match found {
                Some(id) => {
                    pieces.push(id);
                    start = end;
                }
                None => {
                    f(self.unk);
                    return;
                }
            }
        }
        pieces.into_iter().for_each(f);
    }
}

fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

/// BERT's punctuation: all ASCII non-alphanumerics plus Unicode punctuation
/// (approximated by the punctuation blocks Parallax meets in news text).
fn is_punct(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    matches!(c as u32,
        0x00A1 | 0x00A7 | 0x00AB | 0x00B6 | 0x00B7 | 0x00BB | 0x00BF | 0x037E | 0x0387
        | 0x2010..=0x2027 | 0x2030..=0x205E | 0x2E00..=0x2E4F | 0x3001..=0x3003
        | 0x3008..=0x3011 | 0x3014..=0x301F | 0xFF01..=0xFF03 | 0xFF05..=0xFF0A
        | 0xFF0C..=0xFF0F | 0xFF1A | 0xFF1B | 0xFF1F | 0xFF20 | 0xFF3B..=0xFF3D | 0xFF3F
        | 0xFF5B | 0xFF5D)
}

/// The embedded static table (int8 rows, f32 row scales).
pub struct StaticEmbedder {
    pub tokenizer: WordPiece,
    dim: usize,
    scales: &'static [u8],
    rows: &'static [u8],
}

impl StaticEmbedder {
    fn load() -> Self {
        assert_eq!(
            &TABLE[..6],
            b"PXEMB1",
            "models/embeddings/static.bin: bad magic"
        );
        let v = u32::from_le_bytes(TABLE[8..12].try_into().unwrap()) as usize;
        let dim = u32::from_le_bytes(TABLE[12..16].try_into().unwrap()) as usize;
        let scales = &TABLE[16..16 + 4 * v];
        let rows = &TABLE[16 + 4 * v..16 + 4 * v + v * dim];
        let tokenizer = WordPiece::from_vocab(VOCAB);
        assert_eq!(
            tokenizer.vocab.len(),
            v,
            "vocab.txt and static.bin disagree"
        );
        StaticEmbedder {
            tokenizer,
            dim,
            scales,
            rows,
        }
    }

    /// The embedded default, loaded once.
    pub fn get() -> &'static StaticEmbedder {
        static E: Lazy<StaticEmbedder> = Lazy::new(StaticEmbedder::load);
        &E
    }

    /// Row `id`: its f32 scale and its int8 values.
    fn row(&self, id: u32) -> (f32, &[u8]) {
        let id = id as usize;
        let s = f32::from_le_bytes(self.scales[4 * id..4 * id + 4].try_into().unwrap());
        (s, &self.rows[id * self.dim..(id + 1) * self.dim])
    }

    /// Vocabulary size (rows of the table).
    pub fn vocab_size(&self) -> usize {
        self.scales.len() / 4
    }

    /// Dimension of the vectors.
    pub fn dimension(&self) -> usize {
        self.dim
    }

    /// Whether a token id carries meaning (not [CLS], [SEP], [PAD], [MASK]
    /// or an unused slot; [UNK] counts): the ids [`StaticEmbedder::sum_into`] adds.
    pub fn is_content(id: u32) -> bool {
        id > 103 || id == 100
    }

    /// Adds row `id` times `k` to `acc`.
    pub fn add_row_scaled(&self, id: u32, k: f32, acc: &mut [f32]) {
        let (s, row) = self.row(id);
        let s = k * s;
        for (a, &q) in acc.iter_mut().zip(row) {
            *a += (q as i8) as f32 * s;
        }
    }

    /// Dot product of row `id` with `w`.
    pub fn row_dot(&self, id: u32, w: &[f32]) -> f32 {
        let (s, row) = self.row(id);
        s * row
            .iter()
            .zip(w)
            .map(|(&q, &x)| (q as i8) as f32 * x)
            .sum::<f32>()
    }

    /// Unnormalized sum of token rows and the token count (for pooling over
    /// many sentences, e.g. a whole document).
    pub fn sum_into(&self, text: &str, acc: &mut [f32]) -> usize {
        let mut n = 0;
        self.tokenizer.for_each_id(text, |id| {
            if Self::is_content(id) {
                self.add_row_scaled(id, 1.0, acc);
                n += 1;
            }
        });
        n
    }
}

/// L2-normalizes in place (zero vectors stay zero).
pub fn normalize(v: &mut [f32]) {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if n > 0.0 {
        v.iter_mut().for_each(|x| *x /= n);
    }
}

impl SentenceEncoder for StaticEmbedder {
    fn name(&self) -> &str {
        "static-minilm-l6-v2"
    }
    fn dim(&self) -> usize {
        self.dim
    }
    fn encode(&self, text: &str) -> Vec<f32> {
        let mut acc = vec![0f32; self.dim];
        let n = self.sum_into(text, &mut acc);
        if n > 0 {
            normalize(&mut acc);
        }
        acc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `models/embeddings/check.tsv` is written by the distillation script
    /// with the Python `tokenizers` ids and the first values of the Python
    /// static vector: the Rust side must agree.
    #[test]
    fn matches_python_reference() {
        let check = include_str!("../../../models/embeddings/check.tsv");
        let e = StaticEmbedder::get();
        for line in check.lines() {
            let mut parts = line.split('\t');
            let text = parts.next().unwrap();
            let ids: Vec<u32> = parts
                .next()
                .unwrap()
                .split(' ')
                .map(|x| x.parse().unwrap())
                .collect();
            let vals: Vec<f32> = parts
                .next()
                .unwrap()
                .split(' ')
                .map(|x| x.parse().unwrap())
                .collect();
            let got = e.tokenizer.ids(text);
            assert_eq!(&got[..], &ids[1..ids.len() - 1], "ids of {text:?}");
            let v = e.encode(text);
            for (a, b) in v.iter().zip(&vals) {
                assert!((a - b).abs() < 2e-3, "{text:?}: {a} vs {b}");
            }
        }
    }

    #[test]
    fn similar_sentences_score_higher() {
        let e = StaticEmbedder::get();
        let a = e.encode("North Korea armed Palestinian groups in the 1970s.");
        let b = e.encode("Pyongyang supplied weapons to Palestinian militants in the 1970s.");
        let c = e.encode("The recipe needs two cups of flour and an egg.");
        assert!(cosine(&a, &b) > cosine(&a, &c) + 0.1);
        assert_eq!(cosine(&a, &b), cosine(&b, &a));
    }

    #[test]
    fn empty_text_is_zero() {
        let v = StaticEmbedder::get().encode("   ");
        assert!(v.iter().all(|x| *x == 0.0));
    }
}
