//! How responses travel: compressed, cached where they can be, revalidated
//! where they must be.
//!
//! - Static files come from the built site, precompressed at build time
//!   (`cargo leptos build --release --precompress` writes `.br` and `.gz`
//!   beside each file), chosen by the client's `Accept-Encoding`. The browser
//!   app's files in `pkg/` carry a hash of their content in their names
//!   (cargo-leptos `hash-files`), so they are cached for a year as
//!   `immutable`; every other static file is revalidated (`no-cache`, with
//!   `Last-Modified`).
//! - Everything else that compresses (pages, JSON, CSV and JSON Lines
//!   exports) is compressed on the fly, brotli or gzip as the client accepts.
//! - Pages and JSON answers get a weak `ETag` of their body and `no-cache`
//!   (`private` when the request carried credentials), so a revalidation that
//!   finds nothing changed costs a 304 and no body.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel, DefaultPredicate};

/// Compression of what the handlers answer; already compressed formats
/// (images, XLSX and zip exports) and server-sent events pass as they are.
pub fn compression() -> CompressionLayer<impl Predicate> {
    let predicate = DefaultPredicate::new()
        .and(SizeAbove::new(256))
        .and(NotForContentType::const_new("application/zip"))
        .and(NotForContentType::const_new(
            "application/vnd.openxmlformats",
        ));
    CompressionLayer::new()
        .br(true)
        .gzip(true)
        .no_deflate()
        .no_zstd()
        // Brotli 5 / gzip 5: most of the gain at a fraction of the CPU of the
        // highest levels, which are kept for the precompressed static files.
        .quality(CompressionLevel::Precise(5))
        .compress_when(predicate)
}

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The `Cache-Control` of a static file at `path`: a year for the browser
/// app's content-hashed files, revalidation for everything else.
pub fn static_cache_control(path: &str) -> &'static str {
    match path.strip_prefix("/pkg/") {
        Some(name) if is_hashed_name(name) => IMMUTABLE,
        _ => "no-cache",
    }
}

/// `suara.<hash>.js`, `suara.<hash>.wasm` (and their `.br`/`.gz`): a name
/// cargo-leptos gave a hash of the file's content.
fn is_hashed_name(name: &str) -> bool {
    let mut parts = name.split('.');
    let _stem = parts.next();
    parts.next().is_some_and(|hash| {
        hash.len() >= 8
            && hash
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    }) && parts.next().is_some()
}

/// Static files of `site_root`, precompressed variants first; `None` when
/// there is no such file.
pub async fn static_file(site_root: &str, req: Request) -> Option<Response> {
    use tower::ServiceExt as _;
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return None;
    }
    let path = req.uri().path().to_owned();
    let files = tower_http::services::ServeDir::new(site_root)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false);
    let response = files.oneshot(req).await.ok()?;
    if response.status() == StatusCode::NOT_FOUND {
        return None;
    }
    let mut response = response.map(Body::new);
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let h = response.headers_mut();
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(static_cache_control(&path)),
        );
        // Precompressed or not, the bytes depend on what the client accepts.
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    Some(response)
}

/// Largest body the ETag layer reads whole; larger answers pass untagged,
/// as they come (never refused: a public list made long by anyone must not
/// become an error for everyone).
const ETAG_MAX_BODY: usize = 8 * 1024 * 1024;

/// Whether a response of this type is a page or a JSON answer (exports,
/// events and files have their own caching).
fn revalidated_type(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|t| t.split(';').next())
        .is_some_and(|t| {
            let t = t.trim();
            t.eq_ignore_ascii_case("text/html") || t.eq_ignore_ascii_case("application/json")
        })
}

fn has_credentials(headers: &HeaderMap) -> bool {
    headers.contains_key(header::AUTHORIZATION) || app::session::session_token(headers).is_some()
}

/// A weak validator of `body`.
pub fn etag_of(body: &[u8]) -> String {
    format!("W/\"{}\"", hex::encode(&Sha256::digest(body)[..12]))
}

/// `If-None-Match` names `etag` (or is `*`).
fn matches(request: &HeaderMap, etag: &str) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|t| t == "*" || t.trim_start_matches("W/") == etag.trim_start_matches("W/"))
}

/// Adds `ETag` and `Cache-Control` to successful page and JSON answers, and
/// answers 304 when the client's copy is current.
///
/// A page's tag leaves out its CSP nonce, which is new on every response:
/// a page that did not change is a 304, which carries no new policy (see
/// `security::headers`), so the browser keeps its copy with the policy and
/// nonce that came with it.
pub async fn revalidation(req: Request, next: Next) -> Response {
    if req.method() != Method::GET {
        return next.run(req).await;
    }
    let request_headers = req.headers().clone();
    let nonce = req.extensions().get::<app::CspNonce>().map(|n| n.0.clone());
    let response = next.run(req).await;
    // Pages and JSON get a tag here; any other answer that carries its own
    // (the public CSV, the Data Package, the badge) is revalidated by it.
    if response.status() != StatusCode::OK
        || !(revalidated_type(response.headers()) || response.headers().contains_key(header::ETAG))
    {
        return response;
    }
    let private = has_credentials(&request_headers);
    let (mut parts, body) = response.into_parts();
    if !parts.headers.contains_key(header::CACHE_CONTROL) {
        let value = if private {
            "private, no-cache"
        } else {
            "no-cache"
        };
        parts
            .headers
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    let (etag, body) = match parts.headers.get(header::ETAG) {
        Some(existing) => (existing.to_str().unwrap_or_default().to_owned(), body),
        None => match read_up_to(body, ETAG_MAX_BODY).await {
            Whole(bytes) => {
                let etag = match &nonce {
                    Some(n) if !n.is_empty() => etag_of(
                        String::from_utf8_lossy(&bytes)
                            .replace(n.as_str(), "")
                            .as_bytes(),
                    ),
                    _ => etag_of(&bytes),
                };
                if let Ok(v) = HeaderValue::from_str(&etag) {
                    parts.headers.insert(header::ETAG, v);
                }
                (etag, Body::from(bytes))
            }
            // Too large to tag: sent as it comes, without a validator.
            Longer(body) => return Response::from_parts(parts, body),
            Broken(e) => {
                // A body that failed while it was made cannot be sent either.
                tracing::error!(error = %e, "response body");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        },
    };
    if matches(&request_headers, &etag) {
        let mut not_modified = StatusCode::NOT_MODIFIED.into_response();
        for name in [header::ETAG, header::CACHE_CONTROL, header::VARY] {
            if let Some(v) = parts.headers.get(&name) {
                not_modified.headers_mut().insert(name, v.clone());
            }
        }
        return not_modified;
    }
    Response::from_parts(parts, body)
}

/// A body read as far as a limit.
enum ReadUpTo {
    /// The whole body, within the limit.
    Whole(Bytes),
    /// Past the limit: what was read, then the rest as it comes.
    Longer(Body),
    /// The body failed while it was read.
    Broken(axum::Error),
}
use ReadUpTo::{Broken, Longer, Whole};

/// Reads `body` whole when it is at most `limit` bytes; a longer one is
/// given back unharmed, its first bytes in front of the rest.
async fn read_up_to(body: Body, limit: usize) -> ReadUpTo {
    use futures::StreamExt as _;
    let mut stream = body.into_data_stream();
    let mut read = bytes::BytesMut::new();
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(c) => read.extend_from_slice(&c),
            Err(e) => return Broken(e),
        }
        if read.len() > limit {
            let head = futures::stream::once(async move { Ok::<_, axum::Error>(read.freeze()) });
            return Longer(Body::from_stream(head.chain(stream)));
        }
    }
    Whole(read.freeze())
}

/// A download: `body` as file `file` of `content_type`, never cached.
pub fn download(
    content_type: &str,
    file: &str,
    body: axum::body::Body,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_content_hashed_app_files_are_immutable() {
        assert_eq!(
            static_cache_control("/pkg/suara.3f9aK-x_0bZ1.wasm"),
            IMMUTABLE
        );
        assert_eq!(
            static_cache_control("/pkg/suara.3f9aK-x_0bZ1.js.br"),
            IMMUTABLE
        );
        assert_eq!(static_cache_control("/pkg/suara.js"), "no-cache");
        assert_eq!(static_cache_control("/pkg/release-note.txt"), "no-cache");
        assert_eq!(static_cache_control("/favicon.svg"), "no-cache");
        assert_eq!(static_cache_control("/icons/icon-192.png"), "no-cache");
    }

    #[test]
    fn only_pages_and_json_are_read_whole_for_a_tag() {
        let typed = |t: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(t));
            revalidated_type(&h)
        };
        assert!(typed("text/html; charset=utf-8"));
        assert!(typed("application/json"));
        // Exports stream, whatever their size: never buffered.
        assert!(!typed("application/jsonl; charset=utf-8"));
        assert!(!typed("text/csv; charset=utf-8; header=present"));
        assert!(!typed("text/event-stream"));
        assert!(!typed("application/problem+json"));
        assert!(!revalidated_type(&HeaderMap::new()));
    }

    #[tokio::test]
    async fn a_body_past_the_limit_is_passed_on_whole_and_untagged() {
        let chunks: Vec<Result<Bytes, std::io::Error>> =
            (0..5u8).map(|i| Ok(Bytes::from(vec![i; 1000]))).collect();
        let body = Body::from_stream(futures::stream::iter(chunks));
        let Longer(rest) = read_up_to(body, 2500).await else {
            panic!("a 5,000-byte body is longer than 2,500");
        };
        let all = axum::body::to_bytes(rest, usize::MAX).await.unwrap();
        assert_eq!(all.len(), 5000);
        assert!(all
            .chunks(1000)
            .enumerate()
            .all(|(i, c)| c.iter().all(|b| *b == i as u8)));
        let Whole(small) = read_up_to(Body::from("page"), 2500).await else {
            panic!("a short body is read whole");
        };
        assert_eq!(&small[..], b"page");
    }

    #[test]
    fn if_none_match_finds_the_tag_weak_or_strong() {
        let etag = etag_of(b"page");
        let mut h = HeaderMap::new();
        assert!(!matches(&h, &etag));
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(&format!("\"x\", {etag}")).unwrap(),
        );
        assert!(matches(&h, &etag));
        assert!(!matches(&h, &etag_of(b"other page")));
    }
}
