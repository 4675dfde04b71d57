//! The OpenAPI 3.1 document served at `/openapi.json`. A test checks that
//! its paths and methods are exactly the API routes of [`crate::routes`].

use serde_json::{json, Value};

fn err(desc: &str) -> Value {
    json!({"description": desc, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

fn ok(desc: &str, schema: Value) -> Value {
    json!({"description": desc, "content": {"application/json": {"schema": schema}}})
}

fn qp(name: &str, desc: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": desc, "schema": schema})
}

/// The document; `extra` adds the optional routes (compare, cluster).
pub fn openapi_document() -> Value {
    let analysis = json!({"$ref": "#/components/schemas/Analysis"});
    let mut paths = json!({
        "/openapi.json": {"get": {
            "summary": "This document.",
            "responses": {"200": ok("OpenAPI 3.1 document", json!({"type": "object"}))}
        }},
        "/api/health": {"get": {
            "summary": "Liveness, version and the number of stored articles.",
            "responses": {"200": ok("ok", json!({"type": "object", "properties": {
                "status": {"type": "string"}, "version": {"type": "string"},
                "schema_version": {"type": "string"}, "articles": {"type": "integer"}}}))}
        }},
        "/api/analyze": {"post": {
            "summary": "Analyze posted text or HTML; nothing is stored.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AnalyzeRequest"}}}},
            "responses": {
                "200": ok("The analysis (docs/schema.md): spans are code-point offsets, end exclusive", analysis.clone()),
                "400": err("Malformed JSON, unknown field, or neither `text` nor `html`"),
                "413": err("Body over the server's --max-body-bytes"),
                "422": err("No article text could be extracted"),
                "503": err("Too many requests running"),
                "504": err("Over the server's time limit")
            }
        }},
        "/api/articles": {
            "get": {
                "summary": "Stored articles, newest first.",
                "parameters": [
                    qp("limit", "1..500, default 50", json!({"type": "integer"})),
                    qp("offset", "default 0", json!({"type": "integer"}))
                ],
                "responses": {"200": ok("A page of articles", json!({"type": "object", "properties": {
                    "articles": {"type": "array", "items": {"$ref": "#/components/schemas/ArticleSummary"}}}})),
                    "400": err("Bad query parameter")}
            },
            "post": {
                "summary": "Analyze and store an article (idempotent by text hash). Needs the token when the server has one.",
                "security": [{"bearer": []}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AnalyzeRequest"}}}},
                "responses": {
                    "201": ok("Stored", json!({"type": "object", "properties": {"id": {"type": "integer"}, "added": {"type": "boolean"}}})),
                    "200": ok("Already stored (same text)", json!({"type": "object", "properties": {"id": {"type": "integer"}, "added": {"type": "boolean"}}})),
                    "400": err("Malformed request"),
                    "401": err("Token missing"),
                    "403": err("Wrong token, or writes off on an exposed server"),
                    "413": err("Body too large"),
                    "422": err("No article text")
                }
            }
        },
        "/api/articles/{id}": {"get": {
            "summary": "One stored article with every analysis layer.",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
            "responses": {
                "200": ok("The article", json!({"type": "object", "properties": {
                    "id": {"type": "integer"}, "added_at": {"type": "string"}, "analysis": analysis}})),
                "400": err("id is not an integer"),
                "404": err("No such article")
            }
        }},
        "/api/search": {"get": {
            "summary": "Full-text search (SQLite FTS5, BM25; title weighs 5x) with filters.",
            "parameters": [
                qp("q", "words, \"phrases\", OR, prefix*; empty: filters only", json!({"type": "string"})),
                qp("source", "exact source (outlet) name", json!({"type": "string"})),
                qp("from", "published on or after, YYYY-MM-DD or YYYY-MM", json!({"type": "string"})),
                qp("to", "published on or before, YYYY-MM-DD or YYYY-MM (whole month)", json!({"type": "string"})),
                qp("technique", "only articles with this label in the techniques layer", json!({"type": "string"})),
                qp("limit", "1..500, default 20", json!({"type": "integer"})),
                qp("offset", "default 0", json!({"type": "integer"}))
            ],
            "responses": {
                "200": ok("Hits, best first; snippets mark matches between U+0001 and U+0002", json!({"type": "object", "properties": {
                    "hits": {"type": "array", "items": {"$ref": "#/components/schemas/ArticleSummary"}}}})),
                "400": err("Bad query or date")
            }
        }},
        "/api/stats": {"get": {
            "summary": "Technique density per source and per month, most-quoted speakers, most-cited sources, counts per layer and label.",
            "parameters": [qp("top", "entries per list, 1..500, default 10", json!({"type": "integer"}))],
            "responses": {"200": ok("Corpus statistics", json!({"$ref": "#/components/schemas/Stats"})), "400": err("Bad parameter")}
        }}
    });
    for (path, item) in crate::api::extra_openapi() {
        paths[path] = item;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Parallax API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Analyze articles and query a local corpus. Every span is {start, end} in Unicode code points, end exclusive. Labels describe the text; nothing here is a verdict on truth. Errors are JSON {error, status}."
        },
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error", "status"], "properties": {
                    "error": {"type": "string", "description": "what is wrong"}, "status": {"type": "integer"}}},
                "AnalyzeRequest": {"type": "object", "additionalProperties": false, "properties": {
                    "text": {"type": "string", "description": "plain text (kept exactly; offsets refer to it)"},
                    "html": {"type": "string", "description": "an HTML page; its main text is extracted"},
                    "id": {"type": "string"}, "title": {"type": "string"}, "url": {"type": "string"},
                    "source": {"type": "string"}, "author": {"type": "string"}, "published": {"type": "string"},
                    "skip": {"type": "array", "items": {"type": "string"}, "description": "layers not to run"},
                    "claims": {"type": "string", "enum": ["linear", "encoder", "explain"], "default": "linear",
                        "description": "what scores the claims layer: the embedded linear model (fast, per-word cues), the embedded fine-tuned encoder checkworthy-encoder-v1 (more accurate, about a hundred times slower), or the encoder with word reasons found by occlusion (about ten times the encoder's work)"},
                    "techniques": {"type": "string", "enum": ["linear", "encoder"], "default": "linear",
                        "description": "what finds the spans of the techniques layer: the embedded linear tagger (fast), or the embedded fine-tuned encoder techniques-encoder-v1 mixed into it (held-out SI F1 0.405 against 0.364, about a hundred times slower); techniques are named by the linear classifier either way"}}},
                "Analysis": {"type": "object", "description": "docs/schema.md", "properties": {
                    "schema_version": {"type": "string"}, "document": {"type": "object"}, "links": {"type": "array"},
                    "segments": {"type": "object"}, "layers": {"type": "object"}}},
                "ArticleSummary": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "doc_id": {"type": "string"}, "title": {"type": ["string", "null"]},
                    "source": {"type": ["string", "null"]}, "published": {"type": ["string", "null"]},
                    "char_length": {"type": "integer"}, "score": {"type": "number"}, "snippet": {"type": "string"}}},
                "Stats": {"type": "object", "properties": {
                    "articles": {"type": "integer"}, "tokens": {"type": "integer"},
                    "per_source": {"type": "array"}, "per_month": {"type": "array"},
                    "speakers": {"type": "array"}, "cited_sources": {"type": "array"}, "layers": {"type": "array"}}}
            }
        }
    })
}
