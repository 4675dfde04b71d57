//! Runs a per-document job over many inputs: parallel (rayon), in bounded
//! chunks so memory stays flat, output in input order, one stderr line per
//! bad input, a progress bar on a terminal, and a closing summary.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use parallax_core::{Document, IngestError, IngestOptions, Inputs, RawDoc};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Documents processed in parallel per chunk.
const CHUNK: usize = 256;

pub struct Outcome {
    pub ok: usize,
    pub failed: usize,
}

impl Outcome {
    pub fn exit_code(&self) -> std::process::ExitCode {
        if self.failed > 0 {
            std::process::ExitCode::from(1)
        } else {
            std::process::ExitCode::SUCCESS
        }
    }
}

/// A finished job: its result, the document's warnings, and its origin.
type Done<T> = (T, Vec<String>, String);

/// Settings shared by every batch command.
pub struct BatchOptions {
    pub ingest: IngestOptions,
    pub progress: bool,
    /// Print the `N ok, M failed` line even for one input.
    pub always_summarize: bool,
}

/// A progress bar of `len` steps on stderr, drawn 8 times a second with
/// `template`, when `show` and stderr is a terminal (never in a pipe).
pub fn progress_bar(show: bool, len: u64, template: &str) -> Option<ProgressBar> {
    (show && std::io::stderr().is_terminal()).then(|| {
        let pb = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr_with_hz(8));
        pb.set_style(ProgressStyle::with_template(template).unwrap());
        pb
    })
}

/// Reads every input, runs `job` on each document in parallel, and hands
/// the results to `sink` in input order. Errors go to stderr.
pub fn run<T: Send>(
    paths: &[PathBuf],
    opts: &BatchOptions,
    job: impl Fn(Document) -> T + Sync,
    mut sink: impl FnMut(T) -> std::io::Result<()>,
) -> std::io::Result<Outcome> {
    let mut inputs = Inputs::new(paths, opts.ingest.clone());
    let planned = inputs.planned();
    let pb = progress_bar(
        opts.progress && planned > 1,
        planned as u64,
        "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} docs ({per_sec}, ETA {eta})",
    );
    let mut out = Outcome { ok: 0, failed: 0 };
    let stderr = std::io::stderr();
    loop {
        let chunk: Vec<Result<RawDoc, IngestError>> = inputs.by_ref().take(CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        let results: Vec<Result<Done<T>, IngestError>> = chunk
            .into_par_iter()
            .map(|r| {
                r.and_then(RawDoc::into_document).and_then(|d| {
                    let warnings = d.warnings.clone();
                    let origin = d.meta.origin.clone();
                    // An analyzer bug on one document is that document's
                    // error, not the end of the batch.
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(d)))
                        .map(|t| (t, warnings, origin.clone()))
                        .map_err(|p| {
                            IngestError::new(
                                origin,
                                format!(
                                    "internal error while analyzing: {}; please report it",
                                    panic_message(&p)
                                ),
                            )
                        })
                })
            })
            .collect();
        for r in results {
            match r {
                Ok((t, warnings, origin)) => {
                    for w in warnings {
                        let _ = writeln!(stderr.lock(), "parallax: warning: {origin}: {w}");
                    }
                    sink(t)?;
                    out.ok += 1;
                }
                Err(e) => {
                    let line = format!("parallax: error: {e}");
                    match &pb {
                        Some(pb) => pb.println(line),
                        None => {
                            let _ = writeln!(stderr.lock(), "{line}");
                        }
                    }
                    out.failed += 1;
                }
            }
            if let Some(pb) = &pb {
                // JSONL files expand to many documents: grow the bar.
                if pb.position() + 1 >= pb.length().unwrap_or(0) {
                    pb.set_length(pb.position() + 1 + inputs.planned() as u64);
                }
                pb.inc(1);
            }
        }
    }
    if let Some(pb) = pb {
        pb.finish_and_clear();
    }
    if out.failed > 0 || out.ok + out.failed > 1 || opts.always_summarize {
        let _ = writeln!(
            stderr.lock(),
            "parallax: {} ok, {} failed",
            out.ok,
            out.failed
        );
    }
    if out.ok + out.failed == 0 {
        let _ = writeln!(
            stderr.lock(),
            "parallax: error: no input given (name files or directories, or - for stdin)"
        );
        out.failed = 1;
    }
    Ok(out)
}

fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(160)
        .collect()
}

/// Inputs from the command line; none means stdin when it is piped.
pub fn paths_or_stdin(paths: Vec<PathBuf>) -> anyhow::Result<Vec<PathBuf>> {
    if !paths.is_empty() {
        return Ok(paths);
    }
    if std::io::stdin().is_terminal() {
        anyhow::bail!("no input: name files or directories, or pipe text in (use - for stdin)");
    }
    Ok(vec![PathBuf::from("-")])
}

/// True when the inputs can only be one document (one plain file or stdin).
pub fn single_document(paths: &[PathBuf]) -> bool {
    paths.len() == 1 && {
        let p = &paths[0];
        p.as_os_str() == "-"
            || (p.is_file()
                && !p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                    e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson")
                }))
    }
}

/// Writes one record per document: as they come (JSONL, text), or as the
/// elements of one JSON array (`--format json` with many documents).
pub struct RecordWriter<W: Write> {
    w: W,
    array: bool,
    first: bool,
}

impl<W: Write> RecordWriter<W> {
    pub fn new(mut w: W, array: bool) -> std::io::Result<Self> {
        if array {
            writeln!(w, "[")?;
        }
        Ok(RecordWriter {
            w,
            array,
            first: true,
        })
    }

    pub fn write(&mut self, record: &str) -> std::io::Result<()> {
        if self.array && !self.first {
            writeln!(self.w, ",")?;
        }
        self.first = false;
        self.w.write_all(record.as_bytes())?;
        if !record.ends_with('\n') {
            self.w.write_all(b"\n")?;
        }
        Ok(())
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        if self.array {
            writeln!(self.w, "]")?;
        }
        self.w.flush()
    }
}
