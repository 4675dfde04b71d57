//! # parallax-server
//!
//! The HTTP API and the web app of Parallax, on axum. One binary serves
//! both: the web assets (`src/assets/`) are embedded with `include_str!`,
//! nothing is fetched from a CDN.
//!
//! Safety rails, all set by [`ServerConfig`]:
//! - bound to `127.0.0.1` by default (the CLI's `--addr`);
//! - request bodies over `max_body_bytes` get a 413 JSON error;
//! - at most `max_concurrent` requests run at once, others wait up to
//!   `timeout` and then get a 503; a request running over `timeout` gets a 504;
//! - every error is JSON `{"error": "...", "status": N}` saying what is wrong;
//! - no request names a file: the server reads and writes only the one
//!   corpus database it was started with;
//! - writes (`POST /api/articles`) need the `token` when one is set
//!   (`Authorization: Bearer TOKEN`), and are refused on a non-loopback
//!   address when none is set.
//!
//! The route table ([`routes`]) is the single list the router is built
//! from; a test checks it against the OpenAPI document (`/openapi.json`).

mod api;
mod compare;
mod openapi;

pub use openapi::openapi_document;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use parallax_analyze::Pipeline;
use parallax_store::Store;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

/// Settings of a server.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    pub db: PathBuf,
    pub addr: SocketAddr,
    /// Required for writes when set.
    pub token: Option<String>,
    pub max_body_bytes: usize,
    pub timeout: Duration,
    pub max_concurrent: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            db: PathBuf::from("corpus.db"),
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            token: None,
            max_body_bytes: 2 * 1024 * 1024,
            timeout: Duration::from_secs(30),
            max_concurrent: 64,
        }
    }
}

/// Shared by every request.
pub struct AppState {
    pub store: Mutex<Store>,
    pub pipeline: Pipeline,
    pub config: ServerConfig,
    permits: Semaphore,
}

pub type Shared = Arc<AppState>;

impl AppState {
    pub fn new(store: Store, config: ServerConfig) -> Shared {
        Arc::new(AppState {
            store: Mutex::new(store),
            pipeline: Pipeline::default(),
            permits: Semaphore::new(config.max_concurrent.max(1)),
            config,
        })
    }

    /// Writes allowed at all (a token, or a loopback address).
    pub fn writes_open(&self) -> bool {
        self.config.token.is_some() || self.config.addr.ip().is_loopback()
    }
}

/// An error answered as JSON.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": self.message, "status": self.status.as_u16()});
        (self.status, axum::Json(body)).into_response()
    }
}

impl From<parallax_store::StoreError> for ApiError {
    fn from(e: parallax_store::StoreError) -> Self {
        match e {
            parallax_store::StoreError::Invalid(m) => ApiError::bad_request(m),
            e => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        }
    }
}

/// Every route: method, path (OpenAPI syntax) and handler. The router is
/// built from this list and only from it.
pub fn routes() -> Vec<(&'static str, &'static str, MethodRouter<Shared>)> {
    let mut r: Vec<(&'static str, &'static str, MethodRouter<Shared>)> = vec![
        ("get", "/", get(asset_index)),
        ("get", "/app.js", get(asset_js)),
        ("get", "/app.css", get(asset_css)),
        ("get", "/openapi.json", get(api::openapi)),
        ("get", "/api/health", get(api::health)),
        ("post", "/api/analyze", post(api::analyze)),
        ("get", "/api/articles", get(api::list_articles)),
        ("post", "/api/articles", post(api::add_article)),
        ("get", "/api/articles/{id}", get(api::get_article)),
        ("get", "/api/search", get(api::search)),
        ("get", "/api/stats", get(api::stats)),
    ];
    r.extend(api::extra_routes());
    r
}

/// The application: routes, limits and JSON fallbacks.
pub fn app(state: Shared) -> Router {
    let mut router: Router<Shared> = Router::new();
    // Two methods on one path must share one MethodRouter.
    let mut merged: Vec<(&'static str, MethodRouter<Shared>)> = Vec::new();
    for (_, path, mr) in routes() {
        match merged.iter_mut().find(|(p, _)| *p == path) {
            Some((_, m)) => *m = std::mem::take(m).merge(mr),
            None => merged.push((path, mr)),
        }
    }
    for (path, mr) in merged {
        router = router.route(path, mr);
    }
    let max_body = state.config.max_body_bytes;
    router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(state)
}

/// Concurrency limit and timeout around every request.
async fn guard(State(st): State<Shared>, req: Request, next: Next) -> Response {
    let t = st.config.timeout;
    let permit = match tokio::time::timeout(t, st.permits.acquire()).await {
        Ok(Ok(p)) => p,
        _ => {
            return ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "server busy: {} requests already running; retry later",
                    st.config.max_concurrent
                ),
            )
            .into_response()
        }
    };
    let res = match tokio::time::timeout(t, next.run(req)).await {
        Ok(r) => r,
        Err(_) => ApiError::new(
            StatusCode::GATEWAY_TIMEOUT,
            format!("request took over the {} s limit", t.as_secs_f64()),
        )
        .into_response(),
    };
    drop(permit);
    res
}

async fn not_found(req: Request) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!(
            "no such route: {} {} (the API is described at /openapi.json)",
            req.method(),
            req.uri().path()
        ),
    )
}

async fn method_not_allowed(req: Request) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!(
            "{} is not allowed on {} (see /openapi.json)",
            req.method(),
            req.uri().path()
        ),
    )
}

fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // Everything the page needs comes from this server.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

async fn asset_index() -> Response {
    asset(
        include_str!("assets/index.html"),
        "text/html; charset=utf-8",
    )
}
async fn asset_js() -> Response {
    asset(
        include_str!("assets/app.js"),
        "text/javascript; charset=utf-8",
    )
}
async fn asset_css() -> Response {
    asset(include_str!("assets/app.css"), "text/css; charset=utf-8")
}

/// Serves until Ctrl-C. Prints the address it listens on.
pub fn serve(config: ServerConfig) -> anyhow_like::Result<()> {
    let store = Store::open(&config.db).map_err(|e| format!("{}: {e}", config.db.display()))?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let state = AppState::new(store, config);
        if !state.writes_open() {
            eprintln!(
                "parallax: warning: listening on {} with no --token: writes are refused",
                addr
            );
        }
        println!("parallax: serving http://{addr}/ (Ctrl-C to stop)");
        use std::io::Write;
        let _ = std::io::stdout().flush();
        axum::serve(listener, app(state))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| e.to_string())
    })?;
    Ok(())
}

/// String errors at the crate's edge (the CLI wraps them in anyhow).
pub mod anyhow_like {
    pub type Result<T> = std::result::Result<T, String>;
}

#[cfg(test)]
mod tests;
