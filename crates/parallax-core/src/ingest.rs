//! Ingestion: paths, directories, JSONL corpora and stdin become [`RawDoc`]s,
//! then [`Document`]s.
//!
//! Every failure is an [`IngestError`] naming the input (a path, `path:line`
//! for JSONL, or `-` for stdin) and the reason, so one bad input never stops
//! a batch: [`Inputs`] yields `Result`s and goes on.

use crate::document::{DocMeta, Document, InputFormat};
use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// One bad input: which one, and why. Displayed as `input: reason`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{input}: {reason}")]
pub struct IngestError {
    pub input: String,
    pub reason: String,
}

impl IngestError {
    pub fn new(input: impl Into<String>, reason: impl Into<String>) -> Self {
        IngestError {
            input: input.into(),
            reason: reason.into(),
        }
    }
}

/// Default size limit for one input file or JSONL line: 20 MB.
pub const DEFAULT_MAX_BYTES: u64 = 20 * 1024 * 1024;

/// File extensions picked up when walking a directory.
pub const ARTICLE_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "html", "htm", "xhtml", "jsonl", "ndjson",
];

#[derive(Clone, Debug)]
pub struct IngestOptions {
    /// Inputs larger than this are refused.
    pub max_bytes: u64,
    /// Force a format instead of deciding by extension and content.
    pub format: Option<InputFormat>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            max_bytes: DEFAULT_MAX_BYTES,
            format: None,
        }
    }
}

/// The body of an input before extraction.
#[derive(Clone, Debug)]
pub enum RawBody {
    Text(String),
    Markdown(String),
    Html(String),
}

/// An input as read: metadata plus an unprocessed body.
#[derive(Clone, Debug)]
pub struct RawDoc {
    pub meta: DocMeta,
    pub body: RawBody,
    pub warnings: Vec<String>,
}

/// Either a document or the error for one input.
pub type Ingested = Result<Document, IngestError>;

impl RawDoc {
    /// Extracts the text (HTML main text, Markdown links) and builds the [`Document`].
    pub fn into_document(self) -> Result<Document, IngestError> {
        let RawDoc {
            mut meta,
            body,
            warnings,
        } = self;
        let (text, links) = match body {
            RawBody::Text(t) => {
                if meta.title.is_none() {
                    meta.title = headline(&t);
                }
                (t, Vec::new())
            }
            RawBody::Markdown(t) => {
                let links = markdown_links(&t);
                if meta.title.is_none() {
                    meta.title = t
                        .lines()
                        .find_map(|l| l.strip_prefix("# "))
                        .map(|s| s.trim().to_string());
                }
                (t, links)
            }
            RawBody::Html(h) => {
                let x = crate::html::extract(&h)
                    .map_err(|r| IngestError::new(meta.origin.clone(), r))?;
                meta.title = meta.title.or(x.title);
                meta.author = meta.author.or(x.author);
                meta.published = meta.published.or(x.published);
                meta.source = meta.source.or(x.site_name);
                meta.url = meta.url.or(x.url);
                (x.text, x.links)
            }
        };
        if text.trim().is_empty() {
            return Err(IngestError::new(
                meta.origin.clone(),
                "no text (the input is blank)",
            ));
        }
        let mut doc = Document::new(meta, text, links);
        doc.warnings = warnings;
        Ok(doc)
    }
}

/// The first line of a plain text when it looks like a headline: short,
/// no sentence-final period, and followed by a blank line or another line.
fn headline(t: &str) -> Option<String> {
    let first = t.trim_start_matches('\u{feff}').lines().next()?.trim();
    let ok = !first.is_empty()
        && first.chars().count() <= 200
        && !first.ends_with('.')
        && t.lines().nth(1).is_some();
    ok.then(|| first.to_string())
}

/// `[anchor](href)` links in Markdown, with the anchor's byte range.
fn markdown_links(t: &str) -> Vec<(usize, usize, String)> {
    use once_cell::sync::Lazy;
    static RE: Lazy<regex::Regex> =
        Lazy::new(|| regex::Regex::new(r"\[([^\]\n]+)\]\(([^)\s]+)(?:\s+[^)]*)?\)").unwrap());
    RE.captures_iter(t)
        .map(|c| {
            let a = c.get(1).unwrap();
            (a.start(), a.end(), c[2].to_string())
        })
        .collect()
}

fn format_of_ext(p: &Path) -> Option<InputFormat> {
    let ext = p.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "txt" | "text" => InputFormat::Text,
        "md" | "markdown" => InputFormat::Markdown,
        "html" | "htm" | "xhtml" => InputFormat::Html,
        "jsonl" | "ndjson" => InputFormat::Jsonl,
        _ => return None,
    })
}

/// Guesses the format of content without a telling extension.
pub fn sniff(bytes: &[u8]) -> InputFormat {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let t = head.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('<')
        && (t.contains("<html")
            || t.contains("<body")
            || t.contains("<!doctype")
            || t.contains("<p")
            || t.contains("<div")
            || t.contains("<article"))
    {
        InputFormat::Html
    } else if t.starts_with('{')
        && t.lines()
            .next()
            .is_some_and(|l| l.trim_end().ends_with('}'))
    {
        InputFormat::Jsonl
    } else {
        InputFormat::Text
    }
}

/// Decodes bytes to text. UTF-8 (a BOM is dropped) passes through; UTF-16
/// with a BOM, an HTML `charset`, or else windows-1252 are decoded with a
/// warning. Binary content (NUL bytes) is refused.
pub fn decode(bytes: &[u8], html: bool) -> Result<(String, Option<String>), String> {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        if enc == encoding_rs::UTF_8 {
            return std::str::from_utf8(body)
                .map(|s| (s.to_string(), None))
                .map_err(|e| {
                    format!(
                        "invalid UTF-8 after a UTF-8 byte-order mark at byte {}",
                        e.valid_up_to() + bom_len
                    )
                });
        }
        let (text, bad) = enc.decode_without_bom_handling(body);
        let note = format!(
            "decoded from {}{}",
            enc.name(),
            if bad {
                " (some bytes were invalid and replaced)"
            } else {
                ""
            }
        );
        return Ok((text.into_owned(), Some(note)));
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(
            "binary file (contains NUL bytes); expected text, Markdown, HTML or JSONL".into(),
        );
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), None));
    }
    let mut enc = encoding_rs::WINDOWS_1252;
    if html {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
        if let Some(i) = head.find("charset=") {
            let rest = head[i + 8..].trim_start_matches(['"', '\'']);
            let label: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            if let Some(e) = encoding_rs::Encoding::for_label(label.as_bytes()) {
                enc = e;
            }
        }
    }
    let (text, bad) = enc.decode_without_bom_handling(bytes);
    let ctrl = text
        .chars()
        .filter(|c| c.is_control() && !c.is_whitespace())
        .count();
    if ctrl * 20 > text.chars().count().max(1) {
        return Err("binary or undecodable content (not UTF-8, and mostly control characters as windows-1252)".into());
    }
    Ok((
        text.into_owned(),
        Some(format!(
            "not valid UTF-8; decoded as {}{}",
            enc.name(),
            if bad { " with replacements" } else { "" }
        )),
    ))
}

enum Source {
    File {
        path: PathBuf,
        format: Option<InputFormat>,
    },
    Stdin,
    Failed(IngestError),
}

struct JsonlState {
    origin: String,
    stem: String,
    reader: Box<dyn BufRead + Send>,
    line_no: usize,
}

/// A streaming iterator over all inputs named on a command line.
///
/// Directories are walked recursively (sorted, by extension); JSONL files
/// are read line by line, so memory stays bounded whatever their size.
pub struct Inputs {
    queue: VecDeque<Source>,
    jsonl: Option<JsonlState>,
    opts: IngestOptions,
    seen_ids: HashMap<String, String>,
    seen_paths: HashMap<PathBuf, ()>,
}

impl Inputs {
    /// Plans the inputs. `-` stands for stdin.
    pub fn new(paths: &[PathBuf], opts: IngestOptions) -> Self {
        let mut queue = VecDeque::new();
        for p in paths {
            if p.as_os_str() == "-" {
                queue.push_back(Source::Stdin);
                continue;
            }
            let shown = p.display().to_string();
            match std::fs::metadata(p) {
                Err(e) => queue.push_back(Source::Failed(IngestError::new(shown, io_reason(&e)))),
                Ok(m) if m.is_dir() => {
                    let mut files = Vec::new();
                    if let Err(e) = walk(p, &mut files) {
                        queue.push_back(Source::Failed(IngestError::new(
                            shown.clone(),
                            format!("cannot list directory: {e}"),
                        )));
                    }
                    if files.is_empty() {
                        queue.push_back(Source::Failed(IngestError::new(
                            shown,
                            format!(
                                "directory holds no article files (extensions: {})",
                                ARTICLE_EXTENSIONS.join(", ")
                            ),
                        )));
                    }
                    files.sort();
                    for f in files {
                        let format = format_of_ext(&f);
                        queue.push_back(Source::File { path: f, format });
                    }
                }
                Ok(_) => queue.push_back(Source::File {
                    path: p.clone(),
                    format: format_of_ext(p),
                }),
            }
        }
        Inputs {
            queue,
            jsonl: None,
            opts,
            seen_ids: HashMap::new(),
            seen_paths: HashMap::new(),
        }
    }

    /// Number of planned sources (files, stdin); a JSONL file counts once.
    pub fn planned(&self) -> usize {
        self.queue.len()
    }

    fn register_id(&mut self, mut raw: RawDoc, explicit: bool) -> Result<RawDoc, IngestError> {
        let id = raw.meta.id.clone();
        if let Some(first) = self.seen_ids.get(&id) {
            if explicit {
                return Err(IngestError::new(
                    raw.meta.origin.clone(),
                    format!("duplicate id `{id}` (first used by {first}); skipped"),
                ));
            }
            // File-derived ids: fall back to the path, which is unique.
            raw.meta.id = raw.meta.origin.clone();
        }
        self.seen_ids
            .insert(raw.meta.id.clone(), raw.meta.origin.clone());
        Ok(raw)
    }

    fn next_jsonl(&mut self) -> Option<Result<RawDoc, IngestError>> {
        loop {
            let st = self.jsonl.as_mut()?;
            let mut buf = Vec::new();
            st.line_no += 1;
            let n = match st
                .reader
                .as_mut()
                .take(self.opts.max_bytes + 1)
                .read_until(b'\n', &mut buf)
            {
                Ok(n) => n,
                Err(e) => {
                    let origin = st.origin.clone();
                    self.jsonl = None;
                    return Some(Err(IngestError::new(origin, format!("read error: {e}"))));
                }
            };
            if n == 0 {
                self.jsonl = None;
                return None;
            }
            let input = format!("{}:{}", st.origin, st.line_no);
            if buf.len() as u64 > self.opts.max_bytes {
                // Skip the rest of this over-long line.
                let mut sink = Vec::new();
                let _ = st.reader.read_until(b'\n', &mut sink);
                return Some(Err(IngestError::new(
                    input,
                    format!("line is over the {} byte limit", self.opts.max_bytes),
                )));
            }
            if buf.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            let stem = st.stem.clone();
            let line_no = st.line_no;
            let r = parse_jsonl_line(&buf, &input, &stem, line_no).and_then(|raw| {
                let explicit = raw.meta.id != format!("{stem}:{line_no}");
                self.register_id(raw, explicit)
            });
            return Some(r);
        }
    }

    fn read_source(&mut self, src: Source) -> Option<Result<RawDoc, IngestError>> {
        let (path, ext_format) = match src {
            Source::Failed(e) => return Some(Err(e)),
            Source::Stdin => {
                let mut bytes = Vec::new();
                if let Err(e) = std::io::stdin()
                    .lock()
                    .take(self.opts.max_bytes + 1)
                    .read_to_end(&mut bytes)
                {
                    return Some(Err(IngestError::new(
                        "-",
                        format!("cannot read stdin: {e}"),
                    )));
                }
                return self.read_bytes("-".into(), "stdin".into(), bytes, None);
            }
            Source::File { path, format } => (path, format),
        };
        let shown = path.display().to_string();
        let canon = std::fs::canonicalize(&path).unwrap_or(path.clone());
        if self.seen_paths.insert(canon, ()).is_some() {
            return Some(Err(IngestError::new(
                shown,
                "given more than once; skipped",
            )));
        }
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => return Some(Err(IngestError::new(shown, io_reason(&e)))),
        };
        let format = self.opts.format.or(ext_format);
        // A JSONL corpus may be any size: the limit applies to each line.
        if meta.len() > self.opts.max_bytes && format != Some(InputFormat::Jsonl) {
            return Some(Err(IngestError::new(
                shown,
                format!(
                    "file is {}, over the {} limit (raise it with --max-bytes)",
                    human_bytes(meta.len()),
                    human_bytes(self.opts.max_bytes)
                ),
            )));
        }
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| shown.clone());
        if format == Some(InputFormat::Jsonl) {
            match File::open(&path) {
                Ok(f) => {
                    if meta.len() == 0 {
                        return Some(Err(IngestError::new(shown, "empty file")));
                    }
                    self.jsonl = Some(JsonlState {
                        origin: shown,
                        stem,
                        reader: Box::new(BufReader::new(f)),
                        line_no: 0,
                    });
                    return self.next_jsonl().or_else(|| self.next());
                }
                Err(e) => return Some(Err(IngestError::new(shown, io_reason(&e)))),
            }
        }
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => return Some(Err(IngestError::new(shown, io_reason(&e)))),
        };
        self.read_bytes(shown, stem, bytes, format)
    }

    fn read_bytes(
        &mut self,
        origin: String,
        stem: String,
        bytes: Vec<u8>,
        format: Option<InputFormat>,
    ) -> Option<Result<RawDoc, IngestError>> {
        if bytes.len() as u64 > self.opts.max_bytes {
            return Some(Err(IngestError::new(
                origin,
                format!(
                    "input is over the {} limit (raise it with --max-bytes)",
                    human_bytes(self.opts.max_bytes)
                ),
            )));
        }
        if bytes.is_empty() {
            return Some(Err(IngestError::new(origin, "empty file")));
        }
        let format = format.or(self.opts.format).unwrap_or_else(|| sniff(&bytes));
        if format == InputFormat::Jsonl {
            let reader: Box<dyn BufRead + Send> = Box::new(std::io::Cursor::new(bytes));
            self.jsonl = Some(JsonlState {
                origin,
                stem,
                reader,
                line_no: 0,
            });
            return self.next_jsonl().or_else(|| self.next());
        }
        let (text, warning) = match decode(&bytes, format == InputFormat::Html) {
            Ok(x) => x,
            Err(r) => return Some(Err(IngestError::new(origin, r))),
        };
        if text.trim().is_empty() {
            return Some(Err(IngestError::new(origin, "no text (the file is blank)")));
        }
        let meta = DocMeta {
            id: stem,
            origin: origin.clone(),
            format,
            ..Default::default()
        };
        let body = match format {
            InputFormat::Html => RawBody::Html(text),
            InputFormat::Markdown => RawBody::Markdown(text),
            _ => RawBody::Text(text),
        };
        let raw = RawDoc {
            meta,
            body,
            warnings: warning.into_iter().collect(),
        };
        Some(self.register_id(raw, false))
    }
}

impl Iterator for Inputs {
    type Item = Result<RawDoc, IngestError>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.jsonl.is_some() {
            if let Some(r) = self.next_jsonl() {
                return Some(r);
            }
        }
        let src = self.queue.pop_front()?;
        self.read_source(src)
    }
}

fn parse_jsonl_line(
    buf: &[u8],
    input: &str,
    stem: &str,
    line_no: usize,
) -> Result<RawDoc, IngestError> {
    let err = |r: String| IngestError::new(input, r);
    let line = std::str::from_utf8(buf).map_err(|e| {
        err(format!(
            "not valid UTF-8 at byte {} of the line",
            e.valid_up_to()
        ))
    })?;
    let v: serde_json::Value =
        serde_json::from_str(line).map_err(|e| err(format!("malformed JSON: {e}")))?;
    let obj = v
        .as_object()
        .ok_or_else(|| err("expected a JSON object with `text` or `html`".into()))?;
    let field = |k: &str| -> Result<Option<String>, IngestError> {
        match obj.get(k) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(serde_json::Value::Number(n)) if k == "id" => Ok(Some(n.to_string())),
            Some(_) => Err(err(format!("field `{k}` must be a string"))),
        }
    };
    let id = field("id")?.unwrap_or_else(|| format!("{stem}:{line_no}"));
    let mut meta = DocMeta {
        id,
        title: field("title")?,
        url: field("url")?,
        source: field("source")?,
        author: field("author")?,
        published: field("published")?,
        origin: input.to_string(),
        format: InputFormat::Jsonl,
        ..Default::default()
    };
    let body = match (field("text")?, field("html")?) {
        (Some(t), _) if !t.trim().is_empty() => RawBody::Text(t),
        (_, Some(h)) if !h.trim().is_empty() => {
            meta.format = InputFormat::Html;
            RawBody::Html(h)
        }
        (Some(_), _) | (_, Some(_)) => return Err(err("`text`/`html` is blank".into())),
        (None, None) => return Err(err("no `text` or `html` field".into())),
    };
    Ok(RawDoc {
        meta,
        body,
        warnings: Vec::new(),
    })
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let p = entry.path();
        let ft = entry.file_type()?;
        if ft.is_dir() {
            // Hidden directories (.git) are not article folders.
            if !p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
            {
                walk(&p, out)?;
            }
        } else if format_of_ext(&p).is_some() {
            out.push(p);
        }
    }
    Ok(())
}

/// "1.5 MB", "2.0 KB", "17 bytes".
pub fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        n if n >= 1_000 => format!("{:.1} KB", n as f64 / 1e3),
        n => format!("{n} bytes"),
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied (cannot read it)".into(),
        _ => {
            let s = e.to_string();
            if s.contains("Is a directory") {
                "is a directory".into()
            } else {
                s
            }
        }
    }
}

/// Reads and extracts every input, in order: a convenience for small batches.
pub fn read_all(paths: &[PathBuf], opts: IngestOptions) -> Vec<Ingested> {
    Inputs::new(paths, opts)
        .map(|r| r.and_then(RawDoc::into_document))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        assert_eq!(
            decode("héllo".as_bytes(), false).unwrap(),
            ("héllo".to_string(), None)
        );
        let (t, w) = decode(b"caf\xe9 cr\xe8me", false).unwrap();
        assert_eq!(t, "café crème");
        assert!(w.unwrap().contains("windows-1252"));
        assert!(decode(b"\x00\x01\x02abc", false)
            .unwrap_err()
            .contains("binary"));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("hi".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&utf16, false).unwrap().0, "hi");
    }

    #[test]
    fn jsonl_lines() {
        let ok = parse_jsonl_line(
            br#"{"id":"a1","title":"T","text":"Hello there.","source":"X"}"#,
            "f:1",
            "f",
            1,
        )
        .unwrap();
        assert_eq!(ok.meta.id, "a1");
        assert_eq!(ok.meta.source.as_deref(), Some("X"));
        assert!(parse_jsonl_line(b"{not json", "f:2", "f", 2)
            .unwrap_err()
            .reason
            .contains("malformed JSON"));
        assert!(parse_jsonl_line(br#"{"id":"x"}"#, "f:3", "f", 3)
            .unwrap_err()
            .reason
            .contains("no `text`"));
        assert!(parse_jsonl_line(br#"[1]"#, "f:4", "f", 4)
            .unwrap_err()
            .reason
            .contains("JSON object"));
        let anon = parse_jsonl_line(br#"{"text":"x y"}"#, "f:5", "f", 5).unwrap();
        assert_eq!(anon.meta.id, "f:5");
    }

    #[test]
    fn markdown_link_spans() {
        let t = "# Title\n\nSee [the report](https://example.org/r \"t\") here.";
        let l = markdown_links(t);
        assert_eq!(&t[l[0].0..l[0].1], "the report");
        assert_eq!(l[0].2, "https://example.org/r");
    }

    #[test]
    fn headlines() {
        assert_eq!(
            headline("Big news today\n\nBody text.").as_deref(),
            Some("Big news today")
        );
        assert_eq!(headline("A full sentence.\nMore."), None);
        assert_eq!(headline("Only one line"), None);
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff(b"  <!DOCTYPE html><html>"), InputFormat::Html);
        assert_eq!(sniff(b"{\"text\":\"a\"}\n"), InputFormat::Jsonl);
        assert_eq!(sniff(b"Plain words."), InputFormat::Text);
    }
}
