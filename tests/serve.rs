//! `agenda serve` as feed readers and operators meet it: the HTTP rules answered in process
//! (tower `oneshot`), rebuilds against full `agenda build`s of the same content, and the
//! real binary watching a site and stopping on SIGTERM.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use agenda::serve::http::{http_date, service};
use agenda::serve::schedule::Schedule;
use agenda::serve::{Counts, Rebuilder, ServeArgs, Shared, Snapshot};
use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use tower::ServiceExt;

mod common;
use common::{copy_dir, fixture, read_outputs};

/// 2026-01-15 10:00:00 UTC.
const MODIFIED: u64 = 1_768_471_200;

fn calendar() -> Vec<u8> {
    let mut s = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
    for i in 0..40 {
        s.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:e{i}@example.org\r\nSUMMARY:Atelier numéro {i}\r\nEND:VEVENT\r\n"
        ));
    }
    s.push_str("END:VCALENDAR\r\n");
    s.into_bytes()
}

fn sample(max_age: u32) -> Arc<Shared> {
    let files = vec![
        ("agenda.ics".to_string(), calendar(), MODIFIED),
        (
            "events/e1.ics".to_string(),
            b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".to_vec(),
            MODIFIED,
        ),
        (
            "events.json".to_string(),
            b"{\"events\": []}\n".to_vec(),
            MODIFIED,
        ),
        (
            "releases.json".to_string(),
            b"{\"version\": \"https://jsonfeed.org/version/1.1\"}\n".to_vec(),
            MODIFIED,
        ),
        (
            "agenda.rss".to_string(),
            b"<rss version=\"2.0\"></rss>\n".to_vec(),
            MODIFIED,
        ),
        (
            "agenda.atom".to_string(),
            b"<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>\n".to_vec(),
            MODIFIED,
        ),
        (
            "index.html".to_string(),
            b"<!doctype html><title>Agenda</title>\n".to_vec(),
            MODIFIED,
        ),
    ];
    Arc::new(Shared::new(
        Snapshot::from_files(
            files,
            Counts {
                documents: 3,
                events: 2,
            },
        ),
        max_age,
    ))
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(&name)
            .map(|v| v.to_str().expect("ASCII header"))
            .unwrap_or("")
    }
}

async fn request(
    shared: &Arc<Shared>,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
) -> Answer {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = service(Arc::clone(shared))
        .oneshot(req.body(Body::empty()).expect("request"))
        .await
        .expect("infallible");
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .expect("body")
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

async fn get(shared: &Arc<Shared>, uri: &str, headers: &[(&str, &str)]) -> Answer {
    request(shared, Method::GET, uri, headers).await
}

#[tokio::test]
async fn a_file_comes_with_its_type_validators_and_caching_headers() {
    let shared = sample(300);
    let a = get(&shared, "/agenda.ics", &[]).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body, calendar());
    assert_eq!(
        a.header(header::CONTENT_TYPE),
        "text/calendar; charset=utf-8"
    );
    assert_eq!(
        a.header(header::CONTENT_LENGTH),
        calendar().len().to_string()
    );
    let etag = a.header(header::ETAG);
    assert!(
        etag.starts_with('"') && etag.ends_with('"') && etag.len() > 20,
        "strong ETag: {etag}"
    );
    assert_eq!(
        a.header(header::LAST_MODIFIED),
        "Thu, 15 Jan 2026 10:00:00 GMT"
    );
    assert_eq!(a.header(header::CACHE_CONTROL), "public, max-age=300");
    assert_eq!(a.header(header::VARY), "Accept-Encoding");
    assert_eq!(a.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    // The same bytes give the same ETag; other bytes another.
    assert_eq!(
        get(&shared, "/agenda.ics", &[]).await.header(header::ETAG),
        etag
    );
    assert_ne!(
        get(&shared, "/events/e1.ics", &[])
            .await
            .header(header::ETAG),
        etag
    );
}

#[tokio::test]
async fn max_age_is_configurable() {
    let a = get(&sample(60), "/agenda.rss", &[]).await;
    assert_eq!(a.header(header::CACHE_CONTROL), "public, max-age=60");
}

#[tokio::test]
async fn each_output_has_its_content_type_and_cors_only_on_json_and_calendars() {
    let shared = sample(300);
    for (path, ty, cors) in [
        ("/agenda.ics", "text/calendar; charset=utf-8", true),
        ("/events/e1.ics", "text/calendar; charset=utf-8", true),
        ("/agenda.rss", "application/rss+xml", false),
        ("/agenda.atom", "application/atom+xml", false),
        ("/releases.json", "application/feed+json", true),
        ("/events.json", "application/json", true),
        ("/index.html", "text/html; charset=utf-8", false),
        ("/", "text/html; charset=utf-8", false),
    ] {
        let a = get(&shared, path, &[]).await;
        assert_eq!(a.status, StatusCode::OK, "{path}");
        assert_eq!(a.header(header::CONTENT_TYPE), ty, "{path}");
        assert_eq!(
            a.header(header::ACCESS_CONTROL_ALLOW_ORIGIN) == "*",
            cors,
            "{path}"
        );
    }
    assert_eq!(
        get(&shared, "/", &[]).await.body,
        get(&shared, "/index.html", &[]).await.body
    );
}

#[tokio::test]
async fn no_index_page_means_404_at_the_root() {
    let shared = Arc::new(Shared::new(
        Snapshot::from_files(
            vec![("agenda.ics".into(), calendar(), MODIFIED)],
            Counts::default(),
        ),
        300,
    ));
    assert_eq!(get(&shared, "/", &[]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_current_copy_gets_304_by_etag_or_date() {
    let shared = sample(300);
    let etag = get(&shared, "/agenda.ics", &[])
        .await
        .header(header::ETAG)
        .to_string();
    let inm = |v: String| {
        let shared = Arc::clone(&shared);
        async move { get(&shared, "/agenda.ics", &[("if-none-match", &v)]).await }
    };
    let hit = get(&shared, "/agenda.ics", &[("if-none-match", &etag)]).await;
    assert_eq!(hit.status, StatusCode::NOT_MODIFIED);
    assert!(hit.body.is_empty());
    assert_eq!(hit.header(header::ETAG), etag);
    assert_eq!(hit.header(header::CACHE_CONTROL), "public, max-age=300");
    assert_eq!(hit.header(header::LAST_MODIFIED), http_date(MODIFIED));
    assert_eq!(
        inm(format!("\"other\", {etag}")).await.status,
        StatusCode::NOT_MODIFIED
    );
    assert_eq!(
        inm(format!("W/{etag}")).await.status,
        StatusCode::NOT_MODIFIED
    );
    assert_eq!(inm("*".into()).await.status, StatusCode::NOT_MODIFIED);
    assert_eq!(inm("\"other\"".into()).await.status, StatusCode::OK);

    let ims = |secs: u64| {
        let shared = Arc::clone(&shared);
        async move {
            get(
                &shared,
                "/agenda.ics",
                &[("if-modified-since", &http_date(secs))],
            )
            .await
            .status
        }
    };
    assert_eq!(ims(MODIFIED).await, StatusCode::NOT_MODIFIED);
    assert_eq!(ims(MODIFIED + 3600).await, StatusCode::NOT_MODIFIED);
    assert_eq!(ims(MODIFIED - 1).await, StatusCode::OK);
    // An unreadable date is ignored.
    let bad = get(
        &shared,
        "/agenda.ics",
        &[("if-modified-since", "yesterday")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::OK);
    // If-None-Match wins over If-Modified-Since.
    let both = get(
        &shared,
        "/agenda.ics",
        &[
            ("if-none-match", "\"other\""),
            ("if-modified-since", &http_date(MODIFIED)),
        ],
    )
    .await;
    assert_eq!(both.status, StatusCode::OK);
}

#[tokio::test]
async fn head_gives_the_headers_of_get_without_the_body() {
    let shared = sample(300);
    let g = get(&shared, "/agenda.ics", &[]).await;
    let h = request(&shared, Method::HEAD, "/agenda.ics", &[]).await;
    assert_eq!(h.status, StatusCode::OK);
    assert!(h.body.is_empty());
    for name in [
        header::CONTENT_TYPE,
        header::CONTENT_LENGTH,
        header::ETAG,
        header::LAST_MODIFIED,
        header::CACHE_CONTROL,
    ] {
        assert_eq!(h.header(name.clone()), g.header(name.clone()), "{name}");
    }
    let cond = request(
        &shared,
        Method::HEAD,
        "/agenda.ics",
        &[("if-none-match", g.header(header::ETAG))],
    )
    .await;
    assert_eq!(cond.status, StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn other_methods_are_refused_and_nothing_is_written() {
    let shared = sample(300);
    for m in [Method::POST, Method::PUT, Method::DELETE] {
        let a = request(&shared, m.clone(), "/agenda.ics", &[]).await;
        assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED, "{m}");
        assert_eq!(a.header(header::ALLOW), "GET, HEAD");
    }
    assert_eq!(get(&shared, "/agenda.ics", &[]).await.body, calendar());
}

#[tokio::test]
async fn brotli_or_gzip_by_accept_encoding() {
    let shared = sample(300);
    let plain = get(&shared, "/agenda.ics", &[]).await;

    let br = get(
        &shared,
        "/agenda.ics",
        &[("accept-encoding", "gzip, deflate, br")],
    )
    .await;
    assert_eq!(br.header(header::CONTENT_ENCODING), "br");
    assert!(br.body.len() < plain.body.len());
    assert_eq!(br.header(header::CONTENT_LENGTH), br.body.len().to_string());
    let mut decoded = Vec::new();
    brotli::BrotliDecompress(&mut &br.body[..], &mut decoded).expect("brotli");
    assert_eq!(decoded, plain.body);
    // Another representation, another strong ETag; either one validates the cached copy.
    let br_tag = br.header(header::ETAG).to_string();
    assert_ne!(br_tag, plain.header(header::ETAG));
    let again = get(
        &shared,
        "/agenda.ics",
        &[("accept-encoding", "br"), ("if-none-match", &br_tag)],
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);

    let gz = get(&shared, "/agenda.ics", &[("accept-encoding", "gzip")]).await;
    assert_eq!(gz.header(header::CONTENT_ENCODING), "gzip");
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&gz.body[..])
        .read_to_end(&mut decoded)
        .expect("gzip");
    assert_eq!(decoded, plain.body);

    let refused = get(
        &shared,
        "/agenda.ics",
        &[("accept-encoding", "br;q=0, gzip;q=0")],
    )
    .await;
    assert_eq!(refused.header(header::CONTENT_ENCODING), "");
    assert_eq!(refused.body, plain.body);
    // A file too small to gain is sent as it is.
    let small = get(
        &shared,
        "/events/e1.ics",
        &[("accept-encoding", "br, gzip")],
    )
    .await;
    assert_eq!(small.header(header::CONTENT_ENCODING), "");
}

#[tokio::test]
async fn paths_outside_the_build_are_404() {
    let shared = sample(300);
    for uri in [
        "/../agenda.ics",
        "/events/../agenda.ics",
        "/./agenda.ics",
        "/%2e%2e/agenda.ics",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/events%2fe1.ics",
        "/events%2Fe1.ics",
        "//agenda.ics",
        "/events//e1.ics",
        "/etc/passwd",
        "/agenda.ics%00",
        "/agenda.ics%00.html",
        "/.agenda-state.json",
        "/.agenda-cache",
        "/agenda.ics/",
        "/events/",
        "/AGENDA.ICS",
        "/agenda%2eics",
    ] {
        let a = get(&shared, uri, &[]).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(a.body.is_empty(), "{uri}");
    }
}

#[tokio::test]
async fn oversized_headers_are_refused() {
    let shared = sample(300);
    let big = "x".repeat(20_000);
    let a = get(&shared, "/agenda.ics", &[("cookie", &big)]).await;
    assert_eq!(a.status, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
}

#[tokio::test]
async fn healthz_reports_counts() {
    let shared = sample(300);
    let a = get(&shared, "/healthz", &[]).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.header(header::CONTENT_TYPE), "application/json");
    assert_eq!(a.header(header::CACHE_CONTROL), "no-store");
    let v: serde_json::Value = serde_json::from_slice(&a.body).expect("JSON");
    assert_eq!(v["documents"], 3);
    assert_eq!(v["events"], 2);
    assert!(v["last_success"].is_null(), "nothing built yet");
}

// Rebuilds of a real site.

const TODAY: &str = "2026-03-01";

/// A copy of the fixture site, served from memory.
struct Site {
    dir: tempfile::TempDir,
    rebuilder: Rebuilder,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().expect("temporary folder");
        copy_dir(&fixture(), dir.path());
        let args = serve_args(dir.path(), TODAY, true);
        let shared = Arc::new(Shared::new(Snapshot::default(), 300));
        Site {
            dir,
            rebuilder: Rebuilder::new(args, shared),
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.path(rel);
        let text = fs::read_to_string(&path).expect("fixture file");
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        fs::write(&path, text.replacen(from, to, 1)).expect("write");
    }

    fn shared(&self) -> &Arc<Shared> {
        &self.rebuilder.shared
    }

    /// What the snapshot serves, by output path.
    fn served(&self) -> BTreeMap<String, Vec<u8>> {
        let s = self.shared().snapshot();
        s.paths()
            .into_iter()
            .map(|p| (p.to_string(), s.get(p).expect("listed").bytes().to_vec()))
            .collect()
    }
}

/// `agenda serve`'s arguments for the site in `dir` (`content/`, `agenda.toml`, output in
/// `feeds/`), without a watcher.
fn serve_args(dir: &Path, today: &str, cache: bool) -> ServeArgs {
    ServeArgs {
        content: dir.join("content"),
        out: dir.join("feeds"),
        config: Some(dir.join("agenda.toml")),
        today: Some(today.parse().expect("date")),
        cache,
        addr: "127.0.0.1:0".parse().expect("address"),
        max_age: 300,
        schedule: Schedule {
            every: None,
            debounce: Duration::from_millis(50),
        },
        watch: false,
    }
}

/// A full `agenda build` (no extraction cache) of the site in `dir` into `out`.
fn full_build(dir: &Path, today: &str, out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_agenda"))
        .args(["build", "--no-cache", "--today", today, "--content"])
        .arg(dir.join("content"))
        .arg("--out")
        .arg(out)
        .arg("--config")
        .arg(dir.join("agenda.toml"))
        .stderr(Stdio::null())
        .status()
        .expect("agenda runs");
    assert!(
        status.code().is_some_and(|c| c <= 1),
        "build failed: {status}"
    );
}

#[test]
fn served_bytes_equal_a_full_build_after_each_edit() {
    let site = Site::new();
    // The reference builds follow the same history (SEQUENCE depends on earlier builds).
    let reference = tempfile::tempdir().expect("temporary folder");
    let check = |what: &str| {
        site.rebuilder.rebuild().expect("rebuild");
        full_build(site.dir.path(), TODAY, reference.path());
        let served = site.served();
        let built = read_outputs(reference.path());
        assert_eq!(
            served.keys().collect::<Vec<_>>(),
            built.keys().collect::<Vec<_>>(),
            "{what}: paths"
        );
        for (path, bytes) in &built {
            assert!(
                served[path] == *bytes,
                "{what}: {path} differs from agenda build"
            );
        }
        served
    };
    let first = check("first build");
    assert!(first.contains_key("agenda.ics"));

    // One document's event moves: its entry, agenda.ics and its own calendar change.
    site.edit(
        "content/evenements/atelier-donnees.md",
        "start_time: \"14:00\"",
        "start_time: \"15:00\"",
    );
    let moved = check("moved event");
    assert_ne!(moved["agenda.ics"], first["agenda.ics"]);
    assert_eq!(
        moved["releases.rss"], first["releases.rss"],
        "the releases did not change"
    );

    // A document added, then one removed.
    let added = "content/evenements/nouvel-atelier.md";
    fs::write(
        site.path(added),
        "---\ntitle: Atelier accessibilité à Rennes\ndate: 2026-02-20 10:00:00 +01:00\n\
         event_start_date: 2026-05-12 09:30:00 +02:00\nlieu: Rennes\n---\n\n\
         Un atelier le 12 mai 2026 à Rennes.\n",
    )
    .expect("write");
    let with_new = check("document added");
    assert!(
        with_new.len() > moved.len(),
        "the new event has its own calendar"
    );
    fs::remove_file(site.path(added)).expect("remove");
    let removed = check("document removed");
    assert_eq!(
        removed.keys().collect::<Vec<_>>(),
        moved.keys().collect::<Vec<_>>()
    );
}

#[test]
fn unchanged_files_keep_their_validators_across_rebuilds() {
    let site = Site::new();
    site.rebuilder.rebuild().expect("build");
    let before = site.shared().snapshot();
    site.edit(
        "content/evenements/atelier-donnees.md",
        "start_time: \"14:00\"",
        "start_time: \"15:00\"",
    );
    site.rebuilder.rebuild().expect("rebuild");
    let after = site.shared().snapshot();
    let releases = |s: &Snapshot| {
        let a = s.get("releases.rss").expect("releases.rss");
        (a.hash.clone(), a.modified)
    };
    assert_eq!(releases(&before), releases(&after));
    assert_ne!(
        before.get("agenda.ics").expect("agenda").hash,
        after.get("agenda.ics").expect("agenda").hash
    );
}

#[tokio::test]
async fn a_failed_rebuild_keeps_serving_the_last_good_build() {
    let site = Site::new();
    site.rebuilder.rebuild().expect("first build");
    let good = get(site.shared(), "/agenda.ics", &[]).await;
    assert_eq!(good.status, StatusCode::OK);
    let health = || async {
        let a = get(site.shared(), "/healthz", &[]).await;
        serde_json::from_slice::<serde_json::Value>(&a.body).expect("JSON")
    };
    let ok = health().await;
    assert_eq!(ok["status"], "ok");
    assert!(ok["last_error"].is_null());
    assert!(ok["events"].as_u64().unwrap_or(0) > 0);

    // An invalid configuration, while a document changed too.
    fs::write(site.path("agenda.toml"), "feed_size = \"many\"\n").expect("write");
    site.edit(
        "content/evenements/atelier-donnees.md",
        "start_time: \"14:00\"",
        "start_time: \"15:00\"",
    );
    let err = site.rebuilder.rebuild().expect_err("invalid configuration");
    let still = get(site.shared(), "/agenda.ics", &[]).await;
    assert_eq!(still.status, StatusCode::OK);
    assert_eq!(still.body, good.body);
    assert_eq!(still.header(header::ETAG), good.header(header::ETAG));
    let bad = health().await;
    assert_eq!(bad["status"], "error");
    assert_eq!(bad["last_error"], err.as_str());
    assert!(err.contains("agenda.toml"), "{err}");
    assert_eq!(bad["last_success"], ok["last_success"]);
    assert_eq!(bad["events"], ok["events"]);

    // An unreadable content folder.
    fs::copy(fixture().join("agenda.toml"), site.path("agenda.toml")).expect("restore");
    fs::rename(site.path("content"), site.path("moved")).expect("move");
    assert!(site.rebuilder.rebuild().is_err());
    assert_eq!(get(site.shared(), "/agenda.ics", &[]).await.body, good.body);

    // Fixed: the next rebuild is served.
    fs::rename(site.path("moved"), site.path("content")).expect("move back");
    site.rebuilder.rebuild().expect("rebuild");
    assert_ne!(get(site.shared(), "/agenda.ics", &[]).await.body, good.body);
    assert_eq!(health().await["status"], "ok");
}

// The binary.

/// A GET over loopback; returns the status line and the ETag.
fn http_get(addr: &str, path: &str) -> (String, String) {
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut text = Vec::new();
    s.read_to_end(&mut text).expect("read");
    let text = String::from_utf8_lossy(&text);
    let status = text.lines().next().unwrap_or("").to_string();
    let etag = text
        .lines()
        .find_map(|l| l.strip_prefix("etag: "))
        .unwrap_or("")
        .to_string();
    (status, etag)
}

#[test]
fn the_binary_serves_follows_edits_and_stops_on_sigterm() {
    let site = Site::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_agenda"))
        .current_dir(site.dir.path())
        .args([
            "serve",
            "--content",
            "content",
            "--out",
            "feeds",
            "--config",
            "agenda.toml",
            "--addr",
            "127.0.0.1:0",
            "--debounce",
            "50ms",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .expect("agenda serve runs");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    let addr = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("agenda serve starts");
        if let Some(a) = line.strip_prefix("agenda serve: listening on http://") {
            break a.to_string();
        }
    };
    let (status, etag) = http_get(&addr, "/agenda.ics");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(
        site.path("feeds/agenda.ics").is_file(),
        "written as agenda build writes it"
    );
    assert_eq!(
        http_get(&addr, "/../agenda.toml").0,
        "HTTP/1.1 404 Not Found"
    );

    site.edit(
        "content/evenements/atelier-donnees.md",
        "start_time: \"14:00\"",
        "start_time: \"15:00\"",
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (status, now) = http_get(&addr, "/agenda.ics");
        assert_eq!(status, "HTTP/1.1 200 OK");
        if now != etag {
            break;
        }
        assert!(Instant::now() < deadline, "the edit was never served");
        std::thread::sleep(Duration::from_millis(50));
    }

    let term = Command::new("sh")
        .args(["-c", &format!("kill -TERM {}", child.id())])
        .status()
        .expect("kill runs");
    assert!(term.success());
    let status = child.wait().expect("agenda serve exits");
    assert!(status.success(), "graceful shutdown: {status}");
}

/// A generated site large enough for the calendars and `events.json` to be kept in many
/// blocks: `n` releases, each announcing one event (some days announced twice, so that
/// entries merge), with tags from a small set and a few releases sharing a slug.
fn generated_site(dir: &Path, n: usize) {
    let content = dir.join("content");
    for folder in ["evenements", "communiques"] {
        fs::create_dir_all(content.join(folder)).expect("folder");
    }
    fs::copy(fixture().join("agenda.toml"), dir.join("agenda.toml")).expect("configuration");
    for i in 0..n {
        fs::write(content.join(generated_path(i)), generated_release(i, "")).expect("write");
    }
}

const TAGS: [&str; 5] = [
    "Ateliers",
    "Données publiques",
    "Forums",
    "Inclusion",
    "Salons",
];

fn generated_path(i: usize) -> String {
    // Every 50th release has the slug of the one before, in the other folder.
    let slug = if i % 50 == 1 { i - 1 } else { i };
    let folder = if i % 50 == 1 {
        "communiques"
    } else {
        "evenements"
    };
    format!("{folder}/rendez-vous-{slug}.md")
}

fn generated_release(i: usize, extra: &str) -> String {
    // Every 7th release announces the day of the release before it (a second announcement).
    let day = if i % 7 == 3 { i - 1 } else { i };
    let date = jiff::civil::date(2026, 1, 5)
        .checked_add(jiff::Span::new().days(i64::try_from(day).expect("small") * 3))
        .expect("in range");
    let hour = 9 + day % 9;
    format!(
        "---\ntitle: Rendez-vous numéro {day} à Rennes\ndate: 2025-12-{:02} 10:00:00 +01:00\n\
         tags:\n- {}\n- {}\nchapeau-text: Le rendez-vous {day}.{extra}\n\
         event_start_date: {date} {hour:02}:00:00 +01:00\nlieu: Salle {day}, Rennes\n---\n\n\
         Le rendez-vous {day} a lieu le {date} à {hour} h, salle {day} à Rennes.\n",
        1 + i % 28,
        TAGS[i % 5],
        TAGS[(i / 5) % 5],
    )
}

#[test]
fn served_bytes_equal_a_full_build_on_a_large_site_edited_document_by_document() {
    let dir = tempfile::tempdir().expect("temporary folder");
    generated_site(dir.path(), 400);
    let args = serve_args(dir.path(), "2026-01-01", false);
    let rebuilder = Rebuilder::new(args, Arc::new(Shared::new(Snapshot::default(), 300)));
    let reference = tempfile::tempdir().expect("temporary folder");
    let content = dir.path().join("content");
    // Each change reported as the watcher reports it: the paths only.
    let report = |rels: &[String]| {
        let pending = rebuilder.pending();
        let mut pending = pending.lock().expect("lock");
        for rel in rels {
            pending.add(fs::canonicalize(&content).expect("content").join(rel));
        }
    };
    let check = |what: &str| {
        rebuilder
            .rebuild_for(agenda::serve::schedule::Trigger::Change)
            .expect("rebuild");
        full_build(dir.path(), "2026-01-01", reference.path());
        let s = rebuilder.shared.snapshot();
        let built = read_outputs(reference.path());
        assert_eq!(
            s.paths(),
            built.keys().map(String::as_str).collect::<Vec<_>>(),
            "{what}: paths"
        );
        for (path, bytes) in &built {
            let served = s.get(path).expect("served").bytes();
            assert!(
                served == bytes[..],
                "{what}: {path} differs from agenda build"
            );
        }
        s
    };
    let first = check("first build");
    assert!(
        first.counts.events < 400 && first.counts.events > 300,
        "some announcements merge: {} events",
        first.counts.events
    );
    let ics = first.get("agenda.ics").expect("agenda.ics");
    assert!(ics.parts().len() > 3, "agenda.ics is kept in blocks");

    let edit = |i: usize, extra: &str| {
        let rel = generated_path(i);
        fs::write(content.join(&rel), generated_release(i, extra)).expect("write");
        rel
    };
    // A chapeau (in the event's description) changes.
    report(&[edit(120, " Nouveau texte.")]);
    check("chapeau changed");
    // An event announced twice changes in one of its announcements.
    report(&[edit(10, " Précision.")]);
    check("one announcement of a merged event changed");
    // A tag changes: the event moves from one tag's calendar to another.
    let rel = generated_path(200);
    let text = generated_release(200, "").replace(TAGS[0], "Nouveau thème");
    fs::write(content.join(&rel), text).expect("write");
    report(&[rel]);
    check("tag changed");
    // The release keeping a shared slug is removed: the other takes the slug.
    let gone = generated_path(50);
    fs::remove_file(content.join(&gone)).expect("remove");
    report(&[gone]);
    check("release with a shared slug removed");
    // A new release, and several changes reported at once.
    let added = "evenements/nouveau.md".to_string();
    fs::write(content.join(&added), generated_release(999, "")).expect("write");
    report(&[added, edit(3, " Encore."), edit(399, " Fin.")]);
    check("several changes at once");
    // A change the watcher did not report is found by a rescan.
    edit(250, " Sans rapport.");
    let before = rebuilder.shared.snapshot();
    let last = check("change found by a rescan");
    assert_ne!(
        before.get("events.json").expect("events").hash,
        last.get("events.json").expect("events").hash
    );
}
