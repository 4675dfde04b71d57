//! `POST /api/compare` and `GET /api/cluster`: the compare crate over
//! stored articles. A stored article is rebuilt as a `Document` from its
//! stored text and metadata and analyzed again (analysis is deterministic,
//! so this gives the stored layers back) because the comparer reads typed
//! analyses, not JSON.

use crate::api::{blocking, lock, parse_body, query, Filters};
use crate::{ApiError, Shared};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use parallax_compare::cluster::{self, ClusterOptions};
use parallax_compare::Comparer;
use parallax_core::{DocMeta, Document, InputFormat};
use serde::Deserialize;
use serde_json::{json, Value};

/// Most articles one comparison takes.
pub const MAX_COMPARE: usize = 8;
/// Most articles one clustering takes.
pub const MAX_CLUSTER: usize = 2000;

/// Rebuilds the document of a stored analysis: same text, metadata, links.
pub fn document_from_analysis(v: &Value) -> Option<Document> {
    let d = v.get("document")?;
    let text = d.get("text")?.as_str()?;
    let s = |k: &str| d.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let format = match d.get("format").and_then(|x| x.as_str()) {
        Some("html") => InputFormat::Html,
        Some("markdown") => InputFormat::Markdown,
        Some("jsonl") => InputFormat::Jsonl,
        _ => InputFormat::Text,
    };
    let meta = DocMeta {
        id: s("id").unwrap_or_default(),
        title: s("title"),
        url: s("url"),
        source: s("source"),
        author: s("author"),
        published: s("published"),
        language: s("language"),
        origin: s("origin").unwrap_or_default(),
        format,
        content_hash: String::new(),
    };
    // Stored links are code points; Document::new takes bytes.
    let byte_of: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let links = v
        .get("links")
        .and_then(|l| l.as_array())
        .into_iter()
        .flatten()
        .filter_map(|l| {
            let st = l.pointer("/span/start")?.as_u64()? as usize;
            let en = l.pointer("/span/end")?.as_u64()? as usize;
            Some((
                *byte_of.get(st)?,
                *byte_of.get(en)?,
                l.get("href")?.as_str()?.to_string(),
            ))
        })
        .collect();
    Some(Document::new(meta, text.to_string(), links))
}

fn load_docs(st: &Shared, ids: &[i64]) -> Result<Vec<Document>, ApiError> {
    let store = lock(st)?;
    ids.iter()
        .map(|&id| {
            let json = store.analysis_json(id)?.ok_or_else(|| {
                ApiError::new(StatusCode::NOT_FOUND, format!("no article with id {id}"))
            })?;
            let v: Value = serde_json::from_str(&json).map_err(|e| {
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("article {id}: {e}"),
                )
            })?;
            let mut doc = document_from_analysis(&v).ok_or_else(|| {
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("article {id}: stored analysis has no document"),
                )
            })?;
            // The comparison names each side by its corpus id.
            doc.meta.id = id.to_string();
            Ok(doc)
        })
        .collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareRequest {
    pub ids: Vec<i64>,
}

pub async fn compare(
    State(st): State<Shared>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let req: CompareRequest = parse_body(&st, body)?;
    let mut seen = std::collections::HashSet::new();
    if let Some(d) = req.ids.iter().find(|i| !seen.insert(**i)) {
        return Err(ApiError::bad_request(format!(
            "`ids` names article {d} twice"
        )));
    }
    if req.ids.len() < 2 || req.ids.len() > MAX_COMPARE {
        return Err(ApiError::bad_request(format!(
            "`ids` must name 2 to {MAX_COMPARE} stored articles, got {}",
            req.ids.len()
        )));
    }
    let out = blocking(move || {
        let docs = load_docs(&st, &req.ids)?;
        let analyses: Vec<_> = docs.into_iter().map(|d| st.pipeline.analyze(d)).collect();
        let c = Comparer::default().compare(&analyses);
        Ok(serde_json::to_value(c).expect("serializable"))
    })
    .await?;
    Ok(Json(out))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterParams {
    #[serde(default)]
    pub q: String,
    pub source: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: Option<usize>,
    pub threshold: Option<f32>,
}

pub async fn cluster(
    State(st): State<Shared>,
    q: Result<Query<ClusterParams>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let p = query(q)?;
    let limit = p.limit.unwrap_or(200);
    if limit == 0 || limit > MAX_CLUSTER {
        return Err(ApiError::bad_request(format!(
            "`limit` must be 1 to {MAX_CLUSTER}"
        )));
    }
    let mut opts = ClusterOptions::default();
    if let Some(t) = p.threshold {
        if !(0.0..=1.0).contains(&t) {
            return Err(ApiError::bad_request("`threshold` must be between 0 and 1"));
        }
        opts.threshold = t;
    }
    let filters = Filters {
        source: p.source,
        from: p.from,
        to: p.to,
        technique: None,
    };
    let sq = filters.query(p.q, limit, 0);
    let out = blocking(move || {
        let hits = lock(&st)?.search(&sq)?;
        let ids: Vec<i64> = hits.iter().map(|h| h.id).collect();
        let docs = load_docs(&st, &ids)?;
        let mut feats: Vec<_> = {
            use rayon::prelude::*;
            docs.par_iter().map(cluster::features).collect()
        };
        // the word and gram vectors are not needed after: made tf-idf in place
        let labels = cluster::cluster_taking(&mut feats, &opts, &|_| {});
        let names: Vec<(String, Option<String>)> = hits
            .iter()
            .map(|h| (h.id.to_string(), h.title.clone()))
            .collect();
        let stories = cluster::stories(&labels, &names, &feats);
        Ok(json!({"schema": cluster::CLUSTER_SCHEMA, "articles": ids.len(), "stories": stories}))
    })
    .await?;
    Ok(Json(out))
}
