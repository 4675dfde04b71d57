//! # parallax-store
//!
//! The corpus: an embedded SQLite database (WAL journal, FTS5 full-text
//! index) holding each article's text, metadata and the JSON of its
//! analysis, plus a denormalized `findings` table (one row per span found
//! by any layer) that search filters and corpus statistics read.
//!
//! The store knows nothing of the analyzers: it reads the versioned
//! analysis JSON (`docs/schema.md`) generically, so a new layer is stored,
//! searchable by label and counted in stats without a change here.
//!
//! Guarantees:
//! - **Idempotent**: articles are keyed by the SHA-256 of their text
//!   (`content_hash`, UNIQUE); inserting the same text again changes nothing.
//! - **Atomic batches**: [`Store::insert_batch`] writes a batch in one
//!   transaction, so a killed process leaves whole articles or none; a rerun
//!   skips what was committed (resumable).
//! - **No paths from outside**: the store opens the one database file it
//!   is given and nothing else.

mod findings;
mod query;

pub use findings::{extract_findings, Finding};
pub use query::fts_query;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use serde::Serialize;
use std::collections::HashSet;
use std::path::Path;

/// Errors of the store, each saying what went wrong and where.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("analysis JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Version of the database layout (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = 2;

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS articles (
    id            INTEGER PRIMARY KEY,
    doc_id        TEXT NOT NULL,
    content_hash  TEXT NOT NULL UNIQUE,
    title         TEXT,
    url           TEXT,
    source        TEXT,
    author        TEXT,
    published     TEXT,
    date          TEXT,      -- YYYY-MM-DD when `published` starts with one
    month         TEXT,      -- YYYY-MM
    language      TEXT,
    origin        TEXT NOT NULL,
    format        TEXT NOT NULL,
    char_length   INTEGER NOT NULL,
    token_count   INTEGER NOT NULL,
    text          TEXT NOT NULL,
    analysis      TEXT NOT NULL,  -- the analysis JSON (schema.md)
    added_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
CREATE INDEX IF NOT EXISTS articles_date ON articles(date);
CREATE TABLE IF NOT EXISTS findings (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    layer       TEXT NOT NULL,
    path        TEXT NOT NULL,   -- where in the layer, e.g. `quotes[].speaker`
    label       TEXT,
    start       INTEGER NOT NULL, -- code points, end exclusive
    end         INTEGER NOT NULL,
    text        TEXT,
    confidence  REAL,
    who         TEXT,            -- speaker / source named by the finding, if any
    role        TEXT             -- `speaker`, `cited` or NULL (see findings.rs)
);
CREATE INDEX IF NOT EXISTS findings_article ON findings(article_id);
CREATE INDEX IF NOT EXISTS findings_layer_label ON findings(layer, label);
CREATE INDEX IF NOT EXISTS findings_role_who ON findings(role, who);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, text, content='articles', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
"#;

/// One article to add: everything is read from its analysis JSON.
#[derive(Clone, Debug)]
pub struct NewArticle {
    pub doc_id: String,
    pub content_hash: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
    pub published: Option<String>,
    pub language: Option<String>,
    pub origin: String,
    pub format: String,
    pub char_length: i64,
    pub token_count: i64,
    pub text: String,
    pub analysis: String,
    pub findings: Vec<Finding>,
}

impl NewArticle {
    /// Reads an analysis as printed by `parallax analyze --format jsonl`.
    pub fn from_analysis_json(json: &str) -> Result<NewArticle> {
        let v: serde_json::Value = serde_json::from_str(json)?;
        let doc = v
            .get("document")
            .and_then(|d| d.as_object())
            .ok_or_else(|| StoreError::Invalid("no `document` object".into()))?;
        let s = |k: &str| doc.get(k).and_then(|x| x.as_str()).map(str::to_string);
        let text = s("text").ok_or_else(|| StoreError::Invalid("no `document.text`".into()))?;
        let content_hash = s("content_hash")
            .ok_or_else(|| StoreError::Invalid("no `document.content_hash`".into()))?;
        let findings = v.get("layers").map(extract_findings).unwrap_or_default();
        Ok(NewArticle {
            doc_id: s("id").unwrap_or_else(|| content_hash[..12.min(content_hash.len())].into()),
            content_hash,
            title: s("title"),
            url: s("url"),
            source: s("source"),
            author: s("author"),
            published: s("published"),
            language: s("language"),
            origin: s("origin").unwrap_or_default(),
            format: s("format").unwrap_or_else(|| "text".into()),
            char_length: doc
                .get("char_length")
                .and_then(|x| x.as_i64())
                .unwrap_or_else(|| text.chars().count() as i64),
            token_count: v
                .pointer("/segments/token_count")
                .and_then(|x| x.as_i64())
                .unwrap_or(0),
            text,
            analysis: json.to_string(),
            findings,
        })
    }
}

/// What one batch did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BatchResult {
    pub added: usize,
    /// Already in the corpus (same text).
    pub skipped: usize,
}

/// One row of an article listing or search result.
#[derive(Clone, Debug, Serialize)]
pub struct ArticleSummary {
    pub id: i64,
    pub doc_id: String,
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
    pub char_length: i64,
    /// Search hits only: BM25 score (lower is better, SQLite's sign).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Search hits only: matching passage, hits between `\u{1}` and `\u{2}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
}

/// One stored article with its analysis.
#[derive(Clone, Debug, Serialize)]
pub struct Article {
    pub id: i64,
    pub added_at: String,
    /// The analysis JSON as stored (schema.md).
    pub analysis: serde_json::Value,
}

/// A search: FTS5 query plus filters.
#[derive(Clone, Debug, Default)]
pub struct SearchQuery {
    /// Words and "quoted phrases"; `OR` between terms; `word*` for prefixes.
    /// Empty: no text condition (filters only, newest first).
    pub text: String,
    pub source: Option<String>,
    /// Inclusive, `YYYY-MM-DD` (or a prefix such as `2016-03`).
    pub from: Option<String>,
    pub to: Option<String>,
    /// Only articles with a finding of this label in the `techniques` layer.
    pub technique: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct GroupStat {
    /// Source name or month (`YYYY-MM`); `(unknown)` when absent.
    pub key: String,
    pub articles: i64,
    pub tokens: i64,
    /// Findings in the `techniques` layer.
    pub techniques: i64,
    /// Techniques per 1,000 tokens.
    pub density: f64,
    /// Technique label -> count, most frequent first.
    pub by_label: Vec<(String, i64)>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct NameCount {
    pub name: String,
    pub count: i64,
    pub articles: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LayerLabel {
    pub layer: String,
    pub label: String,
    pub count: i64,
}

/// Corpus statistics; every figure is a count over stored findings.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Stats {
    pub articles: i64,
    pub tokens: i64,
    pub per_source: Vec<GroupStat>,
    pub per_month: Vec<GroupStat>,
    /// Speakers of quotes/attributions, most quoted first.
    pub speakers: Vec<NameCount>,
    /// Cited sources (documents, outlets, institutions), most cited first.
    pub cited_sources: Vec<NameCount>,
    /// Every (layer, label) with its count: new layers show up here.
    pub layers: Vec<LayerLabel>,
}

/// The corpus database.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) a corpus database at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path)?;
        Self::setup(conn, true)
    }

    /// Opens an existing corpus read-only.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        if !path.is_file() {
            return Err(StoreError::Invalid(format!(
                "{}: no such corpus (create it with `parallax ingest PATH --db {}`)",
                path.display(),
                path.display()
            )));
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        Self::setup(conn, false)
    }

    /// An in-memory corpus (tests).
    pub fn open_in_memory() -> Result<Store> {
        Self::setup(Connection::open_in_memory()?, true)
    }

    fn setup(conn: Connection, write: bool) -> Result<Store> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        if write {
            // WAL: readers (the server) never block the writer (ingest).
            conn.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(()))?;
            conn.execute_batch("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")?;
            let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if version > 0 && version < SCHEMA_VERSION {
                return Err(StoreError::Invalid(format!(
                    "database layout version {version} is older than this parallax ({SCHEMA_VERSION}): re-ingest into a new file"
                )));
            }
            if version > SCHEMA_VERSION {
                return Err(StoreError::Invalid(format!(
                    "database layout version {version} is newer than this parallax ({SCHEMA_VERSION})"
                )));
            }
            conn.execute_batch(SCHEMA)?;
            conn.execute_batch(&format!("PRAGMA user_version={SCHEMA_VERSION}"))?;
        } else {
            let has: i64 = conn.query_row(
                "SELECT count(*) FROM sqlite_master WHERE name='articles'",
                [],
                |r| r.get(0),
            )?;
            if has == 0 {
                return Err(StoreError::Invalid(
                    "not a parallax corpus (no `articles` table)".into(),
                ));
            }
        }
        Ok(Store { conn })
    }

    /// Content hashes already stored: ingest skips these before analyzing.
    pub fn known_hashes(&self) -> Result<HashSet<String>> {
        let mut st = self.conn.prepare("SELECT content_hash FROM articles")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Adds articles in ONE transaction: all of them or none.
    /// Articles whose text is already stored are skipped.
    pub fn insert_batch(&mut self, batch: &[NewArticle]) -> Result<BatchResult> {
        let tx = self.conn.transaction()?;
        let mut res = BatchResult::default();
        {
            let mut ins = tx.prepare_cached(
                "INSERT OR IGNORE INTO articles (doc_id, content_hash, title, url, source, author,
                 published, date, month, language, origin, format, char_length, token_count, text, analysis)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            )?;
            let mut fts = tx.prepare_cached(
                "INSERT INTO articles_fts (rowid, title, text) VALUES (?1, ?2, ?3)",
            )?;
            let mut fnd = tx.prepare_cached(
                "INSERT INTO findings (article_id, layer, path, label, start, end, text, confidence, who, role)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            for a in batch {
                let (date, month) = date_parts(a.published.as_deref());
                let n = ins.execute(params![
                    a.doc_id,
                    a.content_hash,
                    a.title,
                    a.url,
                    a.source,
                    a.author,
                    a.published,
                    date,
                    month,
                    a.language,
                    a.origin,
                    a.format,
                    a.char_length,
                    a.token_count,
                    a.text,
                    a.analysis
                ])?;
                if n == 0 {
                    res.skipped += 1;
                    continue;
                }
                let id = tx.last_insert_rowid();
                fts.execute(params![id, a.title, a.text])?;
                for f in &a.findings {
                    fnd.execute(params![
                        id,
                        f.layer,
                        f.path,
                        f.label,
                        f.start as i64,
                        f.end as i64,
                        f.text,
                        f.confidence,
                        f.who,
                        f.role
                    ])?;
                }
                res.added += 1;
            }
        }
        tx.commit()?;
        Ok(res)
    }

    /// The id of the article with this text hash.
    pub fn id_by_hash(&self, hash: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM articles WHERE content_hash = ?1",
                [hash],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))?)
    }

    /// `PRAGMA integrity_check` plus the FTS index's own check; `ok` when sound.
    pub fn integrity_check(&self) -> Result<String> {
        let s: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if s != "ok" {
            return Ok(s);
        }
        match self.conn.execute(
            "INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)",
            [],
        ) {
            Ok(_) => Ok("ok".into()),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ReadOnly =>
            {
                Ok("ok".into())
            }
            Err(e) => Ok(format!("fts: {e}")),
        }
    }

    /// One article with its analysis.
    pub fn article(&self, id: i64) -> Result<Option<Article>> {
        let row = self
            .conn
            .query_row(
                "SELECT id, added_at, analysis FROM articles WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                },
            )
            .optional()?;
        match row {
            None => Ok(None),
            Some((id, added_at, analysis)) => Ok(Some(Article {
                id,
                added_at,
                analysis: serde_json::from_str(&analysis)?,
            })),
        }
    }

    /// The analysis JSON of one article, as stored.
    pub fn analysis_json(&self, id: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT analysis FROM articles WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Articles, newest added first.
    pub fn list(&self, limit: usize, offset: usize) -> Result<Vec<ArticleSummary>> {
        self.search(&SearchQuery {
            limit,
            offset,
            ..Default::default()
        })
    }

    /// Full-text search (BM25 ranking; title weighs 5x the body) with filters.
    pub fn search(&self, q: &SearchQuery) -> Result<Vec<ArticleSummary>> {
        let fts = fts_query(&q.text)?;
        let mut sql = String::new();
        let mut args: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
        if let Some(m) = &fts {
            sql.push_str(
                "SELECT a.id, a.doc_id, a.title, a.source, a.published, a.char_length,
                        bm25(articles_fts, 5.0, 1.0) AS score,
                        snippet(articles_fts, 1, char(1), char(2), '…', 16)
                 FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
                 WHERE articles_fts MATCH ?",
            );
            args.push(Box::new(m.clone()));
        } else {
            sql.push_str(
                "SELECT a.id, a.doc_id, a.title, a.source, a.published, a.char_length, NULL, NULL
                 FROM articles a WHERE 1",
            );
        }
        if let Some(s) = &q.source {
            sql.push_str(" AND a.source = ?");
            args.push(Box::new(s.clone()));
        }
        if let Some(f) = &q.from {
            check_date(f, "from")?;
            sql.push_str(" AND a.date >= ?");
            args.push(Box::new(f.clone()));
        }
        if let Some(t) = &q.to {
            check_date(t, "to")?;
            // A prefix such as `2016-03` covers the whole month.
            sql.push_str(" AND a.date <= ?");
            args.push(Box::new(format!("{t}\u{10FFFF}")));
        }
        if let Some(t) = &q.technique {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM findings f WHERE f.article_id = a.id
                   AND f.layer = 'techniques' AND f.label = ?)",
            );
            args.push(Box::new(t.clone()));
        }
        sql.push_str(if fts.is_some() {
            " ORDER BY score, a.id LIMIT ? OFFSET ?"
        } else {
            " ORDER BY a.id DESC LIMIT ? OFFSET ?"
        });
        args.push(Box::new(q.limit.max(1) as i64));
        args.push(Box::new(q.offset as i64));
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map(
            rusqlite::params_from_iter(args.iter().map(|b| b.as_ref())),
            |r| {
                Ok(ArticleSummary {
                    id: r.get(0)?,
                    doc_id: r.get(1)?,
                    title: r.get(2)?,
                    source: r.get(3)?,
                    published: r.get(4)?,
                    char_length: r.get(5)?,
                    score: r.get(6)?,
                    snippet: r.get(7)?,
                })
            },
        );
        let rows = match rows {
            Ok(r) => r,
            Err(e) => return Err(fts_error(e)),
        };
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(fts_error)
    }

    /// Technique density per source and per month, top speakers and cited
    /// sources, and counts of every (layer, label).
    pub fn stats(&self, top: usize) -> Result<Stats> {
        let (articles, tokens): (i64, i64) = self.conn.query_row(
            "SELECT count(*), coalesce(sum(token_count), 0) FROM articles",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let per_source = self.group_stats("coalesce(a.source, '(unknown)')", top)?;
        let per_month = self.group_stats("coalesce(a.month, '(unknown)')", top)?;
        let names = |role: &str| -> Result<Vec<NameCount>> {
            let mut st = self.conn.prepare(
                "SELECT who, count(*), count(DISTINCT article_id) FROM findings
                 WHERE role = ?1 AND who IS NOT NULL AND who != ''
                 GROUP BY who ORDER BY count(*) DESC, who LIMIT ?2",
            )?;
            let rows = st.query_map(rusqlite::params![role, top as i64], |r| {
                Ok(NameCount {
                    name: r.get(0)?,
                    count: r.get(1)?,
                    articles: r.get(2)?,
                })
            })?;
            Ok(rows.collect::<std::result::Result<_, _>>()?)
        };
        let speakers = names("speaker")?;
        let cited_sources = names("cited")?;
        let mut st = self.conn.prepare(
            "SELECT layer, coalesce(label, path), count(*) FROM findings
             GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2",
        )?;
        let layers = st
            .query_map([], |r| {
                Ok(LayerLabel {
                    layer: r.get(0)?,
                    label: r.get(1)?,
                    count: r.get(2)?,
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        Ok(Stats {
            articles,
            tokens,
            per_source,
            per_month,
            speakers,
            cited_sources,
            layers,
        })
    }

    fn group_stats(&self, key: &str, top: usize) -> Result<Vec<GroupStat>> {
        let sql = format!(
            "SELECT {key} AS k, count(*), coalesce(sum(a.token_count), 0),
                    coalesce(sum((SELECT count(*) FROM findings f
                                  WHERE f.article_id = a.id AND f.layer = 'techniques')), 0)
             FROM articles a GROUP BY k ORDER BY k"
        );
        let mut st = self.conn.prepare(&sql)?;
        let mut groups: Vec<GroupStat> = st
            .query_map([], |r| {
                let tokens: i64 = r.get(2)?;
                let techniques: i64 = r.get(3)?;
                Ok(GroupStat {
                    key: r.get(0)?,
                    articles: r.get(1)?,
                    tokens,
                    techniques,
                    density: if tokens > 0 {
                        techniques as f64 * 1000.0 / tokens as f64
                    } else {
                        0.0
                    },
                    by_label: Vec::new(),
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        let sql = format!(
            "SELECT {key} AS k, f.label, count(*) FROM findings f JOIN articles a ON a.id = f.article_id
             WHERE f.layer = 'techniques' AND f.label IS NOT NULL
             GROUP BY k, f.label ORDER BY k, 3 DESC, f.label"
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (k, label, n) = row?;
            if let Some(g) = groups.iter_mut().find(|g| g.key == k) {
                if g.by_label.len() < top {
                    g.by_label.push((label, n));
                }
            }
        }
        Ok(groups)
    }

    /// The underlying connection (tests, benchmarks).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// `YYYY-MM-DD` and `YYYY-MM` from a published date, when it starts with one.
pub fn date_parts(published: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(p) = published.map(str::trim) else {
        return (None, None);
    };
    let b = p.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.len() >= r.end && b[r].iter().all(u8::is_ascii_digit);
    if !(digits(0..4) && b.len() >= 7 && b[4] == b'-' && digits(5..7)) {
        return (None, None);
    }
    let month = p[..7].to_string();
    let date = (b.len() >= 10 && b[7] == b'-' && digits(8..10)).then(|| p[..10].to_string());
    (date, Some(month))
}

fn check_date(d: &str, which: &str) -> Result<()> {
    let ok = !d.is_empty()
        && d.len() <= 10
        && d.chars().all(|c| c.is_ascii_digit() || c == '-')
        && d.as_bytes()[0].is_ascii_digit();
    if ok {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "`{which}` must be a date like 2016-03-11 or 2016-03, got `{d}`"
        )))
    }
}

fn fts_error(e: rusqlite::Error) -> StoreError {
    let msg = e.to_string();
    if msg.contains("fts5") || msg.contains("syntax error") {
        StoreError::Invalid(format!("search query: {msg}"))
    } else {
        StoreError::Sqlite(e)
    }
}

#[cfg(test)]
mod tests;
