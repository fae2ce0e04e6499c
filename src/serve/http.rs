//! The HTTP side of `agenda serve`: answers from the current snapshot only.
//!
//! A URL path is looked up as a key of the snapshot, never turned into a file system path:
//! anything that is not exactly an output path (`/../`, `%2e%2e`, `%2f`, `//`, NUL) is 404.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, Response, StatusCode};
use axum::Router;

pub use super::snapshot::http_date;
use super::snapshot::{Asset, Coding};
use super::Shared;

/// Largest total size of a request's headers (names and values).
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// The service of `agenda serve` (`/healthz`, then every path of the snapshot), for any
/// request body: none is ever read.
pub fn service<B>(
    shared: Arc<Shared>,
) -> impl tower::Service<
    Request<B>,
    Response = Response<Body>,
    Error = std::convert::Infallible,
    Future = std::future::Ready<Result<Response<Body>, std::convert::Infallible>>,
> + Clone {
    tower::service_fn(move |req: Request<B>| std::future::ready(Ok(answer(&shared, &req))))
}

/// The same as an axum [`Router`], to be nested in a larger application.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback_service(service::<Body>(shared))
}

/// The answer to one request.
pub fn answer<B>(shared: &Shared, req: &Request<B>) -> Response<Body> {
    let headers_size: usize = req
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len())
        .sum();
    if headers_size > MAX_HEADER_BYTES {
        return status(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
    }
    let head = req.method() == Method::HEAD;
    if req.method() != Method::GET && !head {
        let mut r = status(StatusCode::METHOD_NOT_ALLOWED);
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let path = req.uri().path();
    if path == "/healthz" {
        let mut r = Response::new(Body::from(shared.health_json()));
        let h = r.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return r;
    }
    let Some(rel) = output_path(path) else {
        return status(StatusCode::NOT_FOUND);
    };
    let snapshot = shared.current();
    let Some(asset) = snapshot.get(rel) else {
        return status(StatusCode::NOT_FOUND);
    };
    file(asset, req.headers(), head, &shared.cache_control)
}

/// The output path a URL path names, when it can name one: `/` is `index.html`; only
/// plain segments of letters, digits, `-`, `_` and `.` (not `.` or `..` alone).
pub fn output_path(path: &str) -> Option<&str> {
    let rel = path.strip_prefix('/')?;
    if rel.is_empty() {
        return Some("index.html");
    }
    let plain = rel.split('/').all(|seg| {
        !seg.is_empty()
            && seg != "."
            && seg != ".."
            && seg
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    });
    plain.then_some(rel)
}

fn status(code: StatusCode) -> Response<Body> {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = code;
    r
}

/// A file of the snapshot, with its validators and caching headers; 304 when the client's
/// copy is current.
fn file(asset: &Asset, req: &HeaderMap, head: bool, cache_control: &HeaderValue) -> Response<Body> {
    let not_modified = fresh(asset, req);
    let coding = choose_coding(req);
    let encoded = match coding {
        Coding::Identity => None,
        _ => asset.encoded(coding),
    };
    let coding = if encoded.is_some() {
        coding
    } else {
        Coding::Identity
    };
    let mut r = if not_modified {
        status(StatusCode::NOT_MODIFIED)
    } else {
        let len = HeaderValue::from(encoded.as_ref().map_or(asset.len(), Bytes::len));
        let mut r = Response::new(match encoded {
            _ if head => Body::empty(),
            Some(body) => Body::from(body),
            None => Body::from(asset.bytes()),
        });
        let h = r.headers_mut();
        h.insert(header::CONTENT_TYPE, asset.content_type_value.clone());
        h.insert(header::CONTENT_LENGTH, len);
        if let Some(c) = coding.name() {
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(c));
        }
        r
    };
    let h = r.headers_mut();
    h.insert(header::ETAG, asset.etag(coding).clone());
    h.insert(header::LAST_MODIFIED, asset.last_modified.clone());
    h.insert(header::CACHE_CONTROL, cache_control.clone());
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if asset.content_type.contains("json") || asset.content_type.starts_with("text/calendar") {
        h.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
    }
    r
}

/// Whether the client's copy is current: `If-None-Match` when sent (any representation of
/// these bytes, or `*`), else `If-Modified-Since`.
fn fresh(asset: &Asset, req: &HeaderMap) -> bool {
    if let Some(inm) = req.get(header::IF_NONE_MATCH) {
        let Ok(inm) = inm.to_str() else {
            return false;
        };
        return inm.split(',').map(str::trim).any(|tag| {
            if tag == "*" {
                return true;
            }
            let tag = tag.strip_prefix("W/").unwrap_or(tag);
            let Some(opaque) = tag.strip_prefix('"').and_then(|t| t.strip_suffix('"')) else {
                return false;
            };
            let base = opaque
                .strip_suffix("-gzip")
                .or_else(|| opaque.strip_suffix("-br"))
                .unwrap_or(opaque);
            base == asset.hash
        });
    }
    req.get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_http_date)
        .is_some_and(|since| asset.modified <= since)
}

/// Brotli, then gzip, when the client accepts them (`q=0` refuses); else identity.
fn choose_coding(req: &HeaderMap) -> Coding {
    let mut br = false;
    let mut gz = false;
    for value in req.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let refused = parts.any(|p| {
                let p = p.trim();
                p.strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            match name.as_str() {
                "br" => br = !refused,
                "gzip" | "x-gzip" => gz = !refused,
                _ => {}
            }
        }
    }
    if br {
        Coding::Brotli
    } else if gz {
        Coding::Gzip
    } else {
        Coding::Identity
    }
}

/// Seconds since the epoch of an HTTP date (the IMF-fixdate form only).
pub fn parse_http_date(s: &str) -> Option<u64> {
    let t = jiff::fmt::strtime::parse("%a, %d %b %Y %H:%M:%S GMT", s.trim()).ok()?;
    let dt = t.to_datetime().ok()?;
    let ts = dt.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
    u64::try_from(ts.as_second()).ok()
}
