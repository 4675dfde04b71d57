//! Handlers of the JSON API under `/api/`. Each one checks its input and
//! answers a JSON error naming the field at fault; heavy work (analysis,
//! database queries) runs on the blocking pool.

use crate::{ApiError, AppState, Shared};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use axum::Json;
use parallax_analyze::output::{self, Format};
use parallax_analyze::{Analysis, Config, Pipeline};
use parallax_core::{DocMeta, InputFormat, RawBody, RawDoc};
use parallax_store::{NewArticle, SearchQuery};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

/// Routes that depend on optional capabilities (compare, cluster).
pub fn extra_routes() -> Vec<(&'static str, &'static str, MethodRouter<Shared>)> {
    vec![
        (
            "post",
            "/api/compare",
            axum::routing::post(crate::compare::compare),
        ),
        (
            "get",
            "/api/cluster",
            axum::routing::get(crate::compare::cluster),
        ),
    ]
}

/// OpenAPI path items of [`extra_routes`].
pub fn extra_openapi() -> Vec<(&'static str, Value)> {
    let err = |d: &str| json!({"description": d, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let qp = |n: &str, d: &str, t: &str| json!({"name": n, "in": "query", "required": false, "description": d, "schema": {"type": t}});
    vec![
        (
            "/api/compare",
            json!({"post": {
                "summary": "Compare 2 to 8 stored articles (parallax-compare): aligned sentences with evidence labels, what only one article has, quotes by speaker, naming, profiles. Symmetric: the order of ids does not change the findings.",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                    "type": "object", "additionalProperties": false, "required": ["ids"],
                    "properties": {"ids": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 8}}}}}},
                "responses": {
                    "200": {"description": "The comparison (docs/schema.md, Compare)", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "400": err("Malformed body, fewer than 2 or more than 8 ids, or an id twice"),
                    "404": err("No article with one of the ids")
                }
            }}),
        ),
        (
            "/api/cluster",
            json!({"get": {
                "summary": "Group stored articles into stories: the articles matching the search (or the latest ones).",
                "parameters": [
                    qp("q", "search text as in /api/search; empty: the latest articles", "string"),
                    qp("source", "exact source", "string"),
                    qp("from", "YYYY-MM-DD or YYYY-MM", "string"),
                    qp("to", "YYYY-MM-DD or YYYY-MM", "string"),
                    qp("limit", "articles to cluster, 1..2000, default 200", "integer"),
                    qp("threshold", &format!("link score to join a story (similarity minus the pair's background, docs/compare.md), 0..1, default {}", parallax_compare::cluster::ClusterOptions::default().threshold), "number")
                ],
                "responses": {
                    "200": {"description": "Stories, biggest first; member ids are corpus ids", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "400": err("Bad parameter")
                }
            }}),
        ),
    ]
}

/// Runs blocking work off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("worker failed: {e}"),
        )
    })?
}

fn json_text(body: String) -> Response {
    let mut r = body.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// A JSON body, or a 4xx saying why not.
pub(crate) fn parse_body<T: DeserializeOwned>(
    st: &AppState,
    body: Result<Bytes, BytesRejection>,
) -> Result<T, ApiError> {
    let bytes = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "request body is over the {} byte limit (server option --max-body-bytes)",
                    st.config.max_body_bytes
                ),
            )
        } else {
            ApiError::new(r.status(), r.body_text())
        }
    })?;
    if bytes.is_empty() {
        return Err(ApiError::bad_request(
            "request body is empty: send a JSON object",
        ));
    }
    serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request(format!("request body is not the expected JSON: {e}")))
}

pub(crate) fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(t)| t)
        .map_err(|r| ApiError::bad_request(format!("query string: {}", r.body_text())))
}

pub(crate) fn lock(
    st: &AppState,
) -> Result<std::sync::MutexGuard<'_, parallax_store::Store>, ApiError> {
    st.store
        .lock()
        .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "store lock poisoned"))
}

pub async fn openapi() -> Json<Value> {
    Json(crate::openapi_document())
}

pub async fn health(State(st): State<Shared>) -> Result<Json<Value>, ApiError> {
    let n = blocking(move || Ok(lock(&st)?.count()?)).await?;
    Ok(Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "schema_version": parallax_analyze::SCHEMA_VERSION,
        "articles": n,
    })))
}

/// Body of `POST /api/analyze` and `POST /api/articles`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalyzeRequest {
    pub text: Option<String>,
    pub html: Option<String>,
    pub id: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
    pub published: Option<String>,
    /// Layers to skip.
    #[serde(default)]
    pub skip: Vec<String>,
    /// What scores the `claims` layer (default: the linear model).
    #[serde(default)]
    pub claims: ClaimsScorer,
    /// What finds the spans of the `techniques` layer (default: the linear
    /// tagger).
    #[serde(default)]
    pub techniques: TechniquesTagger,
}

/// The span tagger of the `techniques` layer a request asks for.
#[derive(Deserialize, Default, Clone, Copy, Debug, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum TechniquesTagger {
    /// The embedded linear model (fast).
    #[default]
    Linear,
    /// The embedded fine-tuned encoder mixed into the linear tagger (more
    /// accurate spans, about a hundred times slower).
    Encoder,
}

/// The scorer of the `claims` layer a request asks for.
#[derive(Deserialize, Default, Clone, Copy, Debug)]
#[serde(rename_all = "lowercase")]
pub enum ClaimsScorer {
    /// The embedded linear model, with per-word cues (fast).
    #[default]
    Linear,
    /// The embedded fine-tuned encoder (more accurate, about a hundred
    /// times slower).
    Encoder,
    /// The encoder, and word reasons for its check-worthy calls by
    /// occlusion (about ten times the encoder's work).
    Explain,
}

pub fn run_analysis(pipeline: &Pipeline, req: AnalyzeRequest) -> Result<Analysis, ApiError> {
    let nonblank = |s: &Option<String>| s.as_deref().is_some_and(|t| !t.trim().is_empty());
    let (body, format) = if nonblank(&req.text) {
        (RawBody::Text(req.text.unwrap()), InputFormat::Text)
    } else if nonblank(&req.html) {
        (RawBody::Html(req.html.unwrap()), InputFormat::Html)
    } else {
        return Err(ApiError::bad_request(
            "give the article as `text` or `html` (a non-blank string)",
        ));
    };
    let meta = DocMeta {
        id: req.id.unwrap_or_else(|| "posted".into()),
        title: req.title,
        url: req.url,
        source: req.source,
        author: req.author,
        published: req.published,
        origin: "request".into(),
        format,
        ..Default::default()
    };
    let doc = RawDoc {
        meta,
        body,
        warnings: Vec::new(),
    }
    .into_document()
    .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.reason))?;
    let mut a = if req.skip.is_empty() {
        pipeline.analyze(doc)
    } else {
        Pipeline::new(Config { skip: req.skip }).analyze(doc)
    };
    let explain = match req.claims {
        ClaimsScorer::Linear => None,
        ClaimsScorer::Encoder => Some(false),
        ClaimsScorer::Explain => Some(true),
    };
    if let (Some(explain), Some(c)) = (explain, a.layers.claims.as_mut()) {
        use parallax_compare::full::{claims, embedded};
        claims::rescore_claims(c, claims::embedded_classifier(), embedded::NAME, explain);
    }
    if let (TechniquesTagger::Encoder, Some(t)) = (req.techniques, a.layers.techniques.as_mut()) {
        *t = parallax_analyze::techniques::analyze_with(
            parallax_compare::full::techniques::embedded(),
            &a.doc,
        );
    }
    Ok(a)
}

pub async fn analyze(
    State(st): State<Shared>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let req: AnalyzeRequest = parse_body(&st, body)?;
    let out = blocking(move || {
        let a = run_analysis(&st.pipeline, req)?;
        Ok(output::render(&a, Format::Jsonl))
    })
    .await?;
    Ok(json_text(out))
}

fn check_token(st: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &st.config.token else {
        if st.writes_open() {
            return Ok(());
        }
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "writes are off: this server listens beyond loopback and was started without --token",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .or_else(|| {
            headers
                .get("x-parallax-token")
                .and_then(|v| v.to_str().ok())
        });
    match given {
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "this write needs the server token: send `Authorization: Bearer TOKEN`",
        )),
        // Compare every byte so timing says nothing about the token.
        Some(g)
            if g.len() == token.len()
                && g.bytes()
                    .zip(token.bytes())
                    .fold(0u8, |a, (x, y)| a | (x ^ y))
                    == 0 =>
        {
            Ok(())
        }
        Some(_) => Err(ApiError::new(StatusCode::FORBIDDEN, "wrong token")),
    }
}

pub async fn add_article(
    State(st): State<Shared>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    check_token(&st, &headers)?;
    let req: AnalyzeRequest = parse_body(&st, body)?;
    let out = blocking(move || {
        let a = run_analysis(&st.pipeline, req)?;
        let art = NewArticle::from_analysis_json(&output::render(&a, Format::Jsonl))?;
        let hash = art.content_hash.clone();
        let mut store = lock(&st)?;
        let r = store.insert_batch(std::slice::from_ref(&art))?;
        let id = store.id_by_hash(&hash)?;
        Ok(json!({"id": id, "added": r.added == 1}))
    })
    .await?;
    let status = if out["added"] == json!(true) {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(out)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

const MAX_LIMIT: usize = 500;

fn limit(l: Option<usize>, default: usize) -> Result<usize, ApiError> {
    match l.unwrap_or(default) {
        0 => Err(ApiError::bad_request("`limit` must be at least 1")),
        n if n > MAX_LIMIT => Err(ApiError::bad_request(format!(
            "`limit` must be at most {MAX_LIMIT}"
        ))),
        n => Ok(n),
    }
}

pub async fn list_articles(
    State(st): State<Shared>,
    q: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let p = query(q)?;
    let lim = limit(p.limit, 50)?;
    let rows = blocking(move || Ok(lock(&st)?.list(lim, p.offset.unwrap_or(0))?)).await?;
    Ok(Json(json!({"articles": rows})))
}

pub async fn get_article(
    State(st): State<Shared>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let Path(id) = id.map_err(|_| ApiError::bad_request("article id must be an integer"))?;
    let a = blocking(move || Ok(lock(&st)?.article(id)?)).await?;
    match a {
        Some(a) => Ok(Json(serde_json::to_value(a).expect("serializable"))),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no article with id {id}"),
        )),
    }
}

/// The optional search filters of `/api/search` and `/api/cluster`; a blank
/// value means no filter.
pub(crate) struct Filters {
    pub source: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub technique: Option<String>,
}

impl Filters {
    pub(crate) fn query(self, text: String, limit: usize, offset: usize) -> SearchQuery {
        let nonempty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        SearchQuery {
            text,
            source: nonempty(self.source),
            from: nonempty(self.from),
            to: nonempty(self.to),
            technique: nonempty(self.technique),
            limit,
            offset,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    pub source: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub technique: Option<String>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

pub async fn search(
    State(st): State<Shared>,
    q: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let p = query(q)?;
    let filters = Filters {
        source: p.source,
        from: p.from,
        to: p.to,
        technique: p.technique,
    };
    let sq = filters.query(p.q, limit(p.limit, 20)?, p.offset.unwrap_or(0));
    let hits = blocking(move || Ok(lock(&st)?.search(&sq)?)).await?;
    Ok(Json(json!({"hits": hits})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatsParams {
    pub top: Option<usize>,
}

pub async fn stats(
    State(st): State<Shared>,
    q: Result<Query<StatsParams>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let p = query(q)?;
    let top = limit(p.top, 10)?;
    let s = blocking(move || Ok(lock(&st)?.stats(top)?)).await?;
    Ok(Json(serde_json::to_value(s).expect("serializable")))
}
