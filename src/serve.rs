//! `agenda serve`: builds the site as `agenda build` does, holds the build in memory as an
//! immutable snapshot, answers HTTP from it, and rebuilds on a timer and on content changes.
//!
//! The build is kept in memory ([`crate::build::live::Live`]): a rebuild reads only the
//! documents the watcher reported (every document's size and time on a timer), merges
//! again only the days they touch, renders again only the files whose inputs changed, and
//! swaps in a new [`Snapshot`] sharing the unchanged files with the last one; the changed
//! files are then written to the output folder as `agenda build` writes them. A request
//! holds the snapshot it started with: every response comes from one whole build. A
//! failed rebuild keeps the last good snapshot and shows its error in `/healthz`; the
//! next one reads everything again.
//!
//! Reads the clock: for "today" (as `agenda build` does by default), for `/healthz` times,
//! and for the scheduler.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::build::live::{Changes, Live, Update};

pub mod http;
pub mod schedule;
pub mod snapshot;
mod watch;

pub use snapshot::{Counts, Snapshot};

/// What `agenda serve` is given.
#[derive(Debug, Clone)]
pub struct ServeArgs {
    pub content: PathBuf,
    pub out: PathBuf,
    pub config: Option<PathBuf>,
    /// Fixed "today" (tests); None: today in Paris at each rebuild, as `agenda build`.
    pub today: Option<jiff::civil::Date>,
    pub cache: bool,
    pub addr: SocketAddr,
    pub max_age: u32,
    pub schedule: schedule::Schedule,
    pub watch: bool,
}

/// What `/healthz` reports.
#[derive(Debug, Clone, Default)]
pub struct Health {
    /// Seconds since the epoch.
    pub last_success: Option<u64>,
    pub last_attempt: Option<u64>,
    pub last_error: Option<String>,
    /// Wall time of the last successful rebuild, from its start to the new snapshot
    /// swapped in, in milliseconds.
    pub last_rebuild_ms: Option<f64>,
    /// Then the time taken to write its changes to the output folder.
    pub last_write_ms: Option<f64>,
    /// Successful rebuilds since the start.
    pub builds: u64,
}

/// What the HTTP side and the rebuilds share.
#[derive(Debug)]
pub struct Shared {
    /// Read by every request without a lock or a shared count (see `arc_swap`).
    snapshot: arc_swap::ArcSwap<Snapshot>,
    health: Mutex<Health>,
    /// `Cache-Control` of every file (its max-age configurable).
    pub cache_control: axum::http::HeaderValue,
}

impl Shared {
    pub fn new(snapshot: Snapshot, max_age: u32) -> Shared {
        Shared {
            snapshot: arc_swap::ArcSwap::from_pointee(snapshot),
            health: Mutex::new(Health::default()),
            // Digits and ASCII text: always a valid header value.
            cache_control: axum::http::HeaderValue::from_str(&format!("public, max-age={max_age}"))
                .unwrap_or(axum::http::HeaderValue::from_static("public, max-age=300")),
        }
    }

    /// The current snapshot; it stays whole for as long as the caller holds it.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.load_full()
    }

    /// The current snapshot for the length of one request (cheaper than
    /// [`Shared::snapshot`]: no shared count is touched).
    pub fn current(&self) -> arc_swap::Guard<Arc<Snapshot>> {
        self.snapshot.load()
    }

    fn swap(&self, snapshot: Snapshot) {
        self.snapshot.store(Arc::new(snapshot));
    }

    pub fn health(&self) -> Health {
        self.health
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn update_health(&self, f: impl FnOnce(&mut Health)) {
        f(&mut self.health.lock().unwrap_or_else(|e| e.into_inner()));
    }

    /// `/healthz`: times of the last successful build and of the last attempt, the last
    /// error, and the counts of the snapshot served.
    pub fn health_json(&self) -> Vec<u8> {
        let h = self.health();
        let s = self.snapshot();
        let time = |t: Option<u64>| {
            t.and_then(|t| jiff::Timestamp::from_second(t as i64).ok())
                .map(|t| t.to_string())
        };
        let v = serde_json::json!({
            "status": if h.last_error.is_none() && h.last_success.is_some() { "ok" } else { "error" },
            "last_success": time(h.last_success),
            "last_attempt": time(h.last_attempt),
            "last_error": h.last_error,
            "last_rebuild_ms": h.last_rebuild_ms,
            "last_write_ms": h.last_write_ms,
            "builds": h.builds,
            "documents": s.counts.documents,
            "events": s.counts.events,
            "files": s.len(),
        });
        let mut out = serde_json::to_vec_pretty(&v).unwrap_or_default();
        out.push(b'\n');
        out
    }
}

/// Paths the watcher reported since the last rebuild.
#[derive(Debug, Default)]
pub struct Pending {
    paths: std::collections::BTreeSet<PathBuf>,
    /// Something was missed (the watcher lost events, or a rebuild failed): look at
    /// every document.
    rescan: bool,
}

impl Pending {
    pub fn add(&mut self, path: PathBuf) {
        self.paths.insert(path);
    }

    pub fn rescan(&mut self) {
        self.rescan = true;
    }

    fn take(&mut self, trigger: schedule::Trigger) -> Changes {
        let paths = std::mem::take(&mut self.paths);
        let rescan = std::mem::take(&mut self.rescan);
        if rescan || trigger == schedule::Trigger::Timer || paths.is_empty() {
            Changes::Rescan
        } else {
            Changes::Paths(paths)
        }
    }
}

/// Builds the site and swaps the result in.
#[derive(Clone)]
pub struct Rebuilder {
    pub args: ServeArgs,
    pub shared: Arc<Shared>,
    live: Arc<Mutex<Option<Live>>>,
    pending: Arc<Mutex<Pending>>,
}

impl Rebuilder {
    pub fn new(args: ServeArgs, shared: Arc<Shared>) -> Rebuilder {
        Rebuilder {
            args,
            shared,
            live: Arc::new(Mutex::new(None)),
            pending: Arc::new(Mutex::new(Pending::default())),
        }
    }

    /// Where the watcher records what it sees.
    pub fn pending(&self) -> Arc<Mutex<Pending>> {
        Arc::clone(&self.pending)
    }

    /// A rebuild looking at every document (as on a timer).
    pub fn rebuild(&self) -> Result<(), String> {
        self.rebuild_for(schedule::Trigger::Timer)
    }

    /// One rebuild: on success the new snapshot is served, then its changes are written to
    /// the output folder; on failure the last good snapshot stays and the error is
    /// recorded (and returned).
    pub fn rebuild_for(&self, trigger: schedule::Trigger) -> Result<(), String> {
        let started = Instant::now();
        let attempt = snapshot::now_secs();
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        let changes = self
            .pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take(trigger);
        let result = self.update(&mut live, changes);
        let result = result.map(|update| {
            let snapshot = Snapshot::from_live(&self.shared.snapshot(), &update, attempt);
            (update, snapshot)
        });
        let (update, snapshot) = match result {
            Ok(done) => done,
            Err(e) => {
                // Read everything again next time.
                *live = None;
                self.shared.update_health(|h| {
                    h.last_attempt = Some(attempt);
                    h.last_error = Some(e.clone());
                });
                return Err(e);
            }
        };
        self.shared.swap(snapshot);
        let swapped = started.elapsed();
        let written = live.as_mut().map_or(Ok(()), |l| l.write(&update));
        let write_ms = (started.elapsed() - swapped).as_secs_f64() * 1000.0;
        eprintln!(
            "agenda serve: rebuilt: {} documents ({} extracted again), {} files changed, {} \
             removed; served after {:.1} ms, written in {:.1} ms more",
            update.documents,
            update.extracted,
            update.changed.len(),
            update.removed.len(),
            swapped.as_secs_f64() * 1000.0,
            write_ms,
        );
        if let Err(e) = &written {
            eprintln!("agenda serve: {e}");
        }
        self.shared.update_health(|h| {
            h.last_attempt = Some(attempt);
            h.last_success = Some(attempt);
            h.last_error = written.as_ref().err().cloned();
            h.last_rebuild_ms = Some(swapped.as_secs_f64() * 1000.0);
            h.last_write_ms = Some(write_ms);
            h.builds += 1;
        });
        Ok(())
    }

    /// The build in memory brought up to date (opened first when there is none, or when
    /// the settings changed).
    fn update(&self, live: &mut Option<Live>, changes: Changes) -> Result<Update, String> {
        let a = &self.args;
        let today = a.today.unwrap_or_else(today_in_paris);
        if let Some(l) = live.as_mut() {
            if !l.needs_reopen()? {
                return l.update(changes, today);
            }
        }
        *live = None;
        let (l, update) = Live::open(&a.content, &a.out, a.config.as_deref(), today, a.cache)?;
        *live = Some(l);
        Ok(update)
    }

    /// The build already in the output folder, served until a rebuild succeeds (when the
    /// first build fails at start).
    fn load_existing(&self) -> Result<(), String> {
        let snapshot = Snapshot::load(&self.args.out, &Snapshot::default(), Counts::default())?;
        self.shared.swap(snapshot);
        Ok(())
    }
}

impl std::fmt::Debug for Rebuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rebuilder")
            .field("args", &self.args)
            .finish()
    }
}

fn today_in_paris() -> jiff::civil::Date {
    jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC))
        .date()
}

/// How long open connections may take to finish once shutdown begins.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Largest buffer for a request's head (request line and headers) on a connection.
const MAX_HEAD_BUFFER: usize = 32 * 1024;

/// Time allowed to send a request's headers, counted from the end of the previous response
/// (hyper's header read timeout): a keep-alive connection idle for this long is closed.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A connection whose client reads nothing of a response for this long is closed by the
/// system (`TCP_USER_TIMEOUT`: data left unacknowledged or unsent that long), at no cost
/// per request.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// Run `agenda serve`; returns the exit status (0 after a graceful shutdown, 2 when it
/// cannot start).
pub fn run(args: ServeArgs) -> u8 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("agenda serve: cannot start: {e}");
            return 2;
        }
    };
    match runtime.block_on(serve(args)) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("agenda serve: {e}");
            2
        }
    }
}

async fn serve(args: ServeArgs) -> Result<(), String> {
    let shared = Arc::new(Shared::new(Snapshot::default(), args.max_age));
    let rebuilder = Rebuilder::new(args.clone(), Arc::clone(&shared));
    let first = rebuilder.clone();
    let started = tokio::task::spawn_blocking(move || {
        let r = first.rebuild();
        if let Err(e) = &r {
            eprintln!("agenda serve: build failed: {e}");
            if first.load_existing().is_ok() {
                eprintln!(
                    "agenda serve: serving the build already in {}",
                    first.args.out.display()
                );
            }
        }
        r
    })
    .await
    .map_err(|e| e.to_string())?;
    if started.is_ok() {
        let s = shared.snapshot();
        eprintln!(
            "agenda serve: {} documents, {} events, {} files",
            s.counts.documents,
            s.counts.events,
            s.len()
        );
    }

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let (change_tx, change_rx) = tokio::sync::mpsc::channel(1);
    let config = args.config.clone().or_else(|| {
        let default = PathBuf::from("agenda.toml");
        default.is_file().then_some(default)
    });
    // Without a watcher (none asked, or the system refuses one) rebuilds follow --every.
    let _watcher = if args.watch {
        watch::start(
            &args.content,
            config.as_deref(),
            &args.out,
            change_tx,
            rebuilder.pending(),
        )
        .map_err(|e| eprintln!("agenda serve: {e}: rebuilds only follow --every"))
        .ok()
    } else {
        drop(change_tx);
        None
    };
    let scheduler = tokio::spawn(schedule::run(
        args.schedule,
        change_rx,
        stop_rx.clone(),
        move |trigger| {
            let r = rebuilder.clone();
            async move {
                match tokio::task::spawn_blocking(move || r.rebuild_for(trigger)).await {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => eprintln!(
                        "agenda serve: rebuild failed, still serving the last good build: {e}"
                    ),
                    Err(e) => eprintln!("agenda serve: rebuild failed: {e}"),
                }
            }
        },
    ));

    let (listeners, bound) = listeners(args.addr)?;
    eprintln!("agenda serve: listening on http://{bound}");
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop_tx.send(true);
    });
    // One thread per core, each with its own runtime accepting on the socket, as nginx runs
    // its workers: a connection stays on the thread that accepted it, and a request never
    // wakes another thread.
    let workers: Vec<std::thread::JoinHandle<()>> = listeners
        .into_iter()
        .enumerate()
        .map(|(n, socket)| {
            let (shared, stop) = (Arc::clone(&shared), stop_rx.clone());
            std::thread::Builder::new()
                .name(format!("agenda-http-{n}"))
                .spawn(move || worker(socket, shared, stop))
                .map_err(|e| format!("cannot start a worker: {e}"))
        })
        .collect::<Result<_, _>>()?;
    let _ = tokio::task::spawn_blocking(move || {
        for w in workers {
            let _ = w.join();
        }
    })
    .await;
    let _ = scheduler.await;
    eprintln!("agenda serve: stopped");
    Ok(())
}

/// The listening socket on `addr`, one handle per core (each worker waits on it; the one
/// free first takes a new connection), and the address bound.
fn listeners(addr: SocketAddr) -> Result<(Vec<std::net::TcpListener>, SocketAddr), String> {
    let cannot = |e: std::io::Error| format!("cannot listen on {addr}: {e}");
    let n = std::thread::available_parallelism().map_or(1, |n| n.get());
    let first = std::net::TcpListener::bind(addr).map_err(cannot)?;
    first.set_nonblocking(true).map_err(cannot)?;
    let bound = first.local_addr().map_err(cannot)?;
    let mut all = Vec::with_capacity(n);
    for _ in 1..n {
        all.push(first.try_clone().map_err(cannot)?);
    }
    all.push(first);
    Ok((all, bound))
}

/// A worker thread: its own single-threaded runtime accepting on its own socket until
/// `stop` turns true.
fn worker(
    socket: std::net::TcpListener,
    shared: Arc<Shared>,
    stop: tokio::sync::watch::Receiver<bool>,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("agenda serve: cannot start a worker: {e}");
            return;
        }
    };
    runtime.block_on(async move {
        match tokio::net::TcpListener::from_std(socket) {
            Ok(listener) => accept(listener, shared, stop).await,
            Err(e) => eprintln!("agenda serve: cannot listen: {e}"),
        }
    });
}

/// Accept connections until `stop` turns true, then let open ones finish (for at most
/// [`SHUTDOWN_GRACE`]).
async fn accept(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .max_buf_size(MAX_HEAD_BUFFER)
        .keep_alive(true);
    loop {
        tokio::select! {
            conn = listener.accept() => {
                let Ok((stream, _)) = conn else { continue };
                let _ = stream.set_nodelay(true);
                limit_unread(&stream);
                let service = TowerToHyperService::new(http::service(Arc::clone(&shared)));
                let conn = builder.serve_connection(TokioIo::new(stream), service);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
            r = stop.changed() => if r.is_err() || *stop.borrow() { break },
        }
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        eprintln!("agenda serve: connections still open after {SHUTDOWN_GRACE:?}: closed");
    }
}

/// Close the connection when its client stops reading for [`WRITE_TIMEOUT`].
fn limit_unread(stream: &tokio::net::TcpStream) {
    #[cfg(target_os = "linux")]
    {
        let _ = socket2::SockRef::from(stream).set_tcp_user_timeout(Some(WRITE_TIMEOUT));
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (stream, WRITE_TIMEOUT);
}

/// SIGINT or SIGTERM.
async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let term = async {
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term => {}
    }
    eprintln!("agenda serve: shutting down");
}
