//! The Suara server: command line, HTTP, storage.

pub mod audit;
pub mod auth;
pub mod backup;
pub mod bench;
pub mod catalogue;
pub mod chain;
pub mod cli;
pub mod complaints;
pub mod export;
pub mod figures;
pub mod http;
pub mod integrity;
pub mod open311;
pub mod page_data;
pub mod publications;
pub mod refusal;
pub mod report;
pub mod seed;
pub mod store;
pub mod synthetic;
pub mod verify;

pub use http::limits::Config as RateLimits;
use leptos::prelude::LeptosOptions;

/// The Leptos options for a site built by cargo-leptos into `site_root`.
pub fn leptos_options(site_root: &str, addr: std::net::SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("suara")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(leptos::config::Env::PROD)
        .build()
}

/// The whole HTTP application over `store`. `public_url` is where citizens
/// open Suara (for links and QR codes); `None` means the listening address.
pub fn app_router(
    store: store::Store,
    site_root: &str,
    addr: std::net::SocketAddr,
    public_url: Option<&str>,
    limits: &RateLimits,
) -> axum::Router {
    let public_url = public_url
        .map(|u| u.trim_end_matches('/').to_owned())
        .unwrap_or_else(|| format!("http://{addr}"));
    let state = http::AppState::new(store, leptos_options(site_root, addr), public_url, limits);
    http::router(state)
}

/// Serves `router` on `listener`, telling it each connection's peer
/// address (rate limits count by it), until `stop` resolves.
pub async fn serve_router(
    listener: tokio::net::TcpListener,
    router: axum::Router,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(stop)
    .await
}

/// Serves Suara on `listener` until the process is told to stop (SIGTERM
/// or Ctrl-C). Then it stops taking connections, lets the requests in
/// flight finish (a sync is answered only after its commit, so none is left
/// half-written) for at most [`SHUTDOWN_GRACE`], and closes the database.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: store::Store,
    site_root: &str,
    public_url: Option<&str>,
    limits: &RateLimits,
) -> anyhow::Result<()> {
    let router = app_router(
        store.clone(),
        site_root,
        listener.local_addr()?,
        public_url,
        limits,
    );
    tokio::spawn(close_unconfirmed_complaints(store.clone()));
    tokio::spawn(forget_the_past(store.clone()));
    let (told, mut waiting) = tokio::sync::watch::channel(false);
    let server = serve_router(listener, router, async move {
        let _ = waiting.wait_for(|s| *s).await;
    });
    tokio::pin!(server);
    tokio::select! {
        done = &mut server => done?,
        () = stop_signal() => {
            tracing::info!("stopping: no new connections; finishing the requests in flight");
            let _ = told.send(true);
            match tokio::time::timeout(SHUTDOWN_GRACE, &mut server).await {
                Ok(done) => done?,
                Err(_) => tracing::warn!(
                    "stopping: requests still open after {SHUTDOWN_GRACE:?} (live feeds); closing them"
                ),
            }
        }
    }
    store.pool().close().await;
    tracing::info!("stopped");
    Ok(())
}

/// How long a stopping server waits for the requests in flight.
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// SIGTERM (how service managers and containers stop a process) or Ctrl-C.
async fn stop_signal() {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM can be watched");
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

/// Every few minutes, closes answered complaints whose ten working days
/// passed without a word from the citizen. Every replica may run it: each
/// complaint moves once (see [`complaints::auto_close`]).
async fn close_unconfirmed_complaints(store: store::Store) {
    let every = std::env::var("SUARA_AUTO_CLOSE_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(every));
    loop {
        tick.tick().await;
        match complaints::auto_close(&store, time::OffsetDateTime::now_utc()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(closed = n, "complaints closed without confirmation"),
            Err(e) => {
                tracing::warn!(error = %e, "closing unconfirmed complaints failed; trying again later")
            }
        }
    }
}

/// Every hour (`SUARA_HOUSEKEEPING_SECONDS`), forgets what no rule reads
/// any more (see [`store::housekeeping`]).
async fn forget_the_past(store: store::Store) {
    let every = std::env::var("SUARA_HOUSEKEEPING_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3600);
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(every));
    loop {
        tick.tick().await;
        match store.forget_the_past(time::OffsetDateTime::now_utc()).await {
            Ok(f) if f.total() == 0 => {}
            Ok(f) => tracing::info!(?f, "forgot what no rule reads any more"),
            Err(e) => tracing::warn!(error = %e, "housekeeping failed; trying again later"),
        }
    }
}

/// The shape ARCHITECTURE.md describes, checked on the sources.
#[cfg(test)]
mod architecture {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// Each module (a file under `src/`, `mod.rs` as its folder) and the
    /// modules of this crate it names as `crate::a::b`.
    fn imports() -> BTreeMap<String, BTreeSet<String>> {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        sources(&src, &mut files);
        let mut graph = BTreeMap::new();
        for file in files {
            let rel = file.strip_prefix(&src).unwrap().with_extension("");
            let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into()).collect();
            if parts
                .last()
                .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
            {
                parts.pop();
            }
            let module = parts.join("::");
            let text = std::fs::read_to_string(&file).unwrap();
            let mut named = BTreeSet::new();
            for (i, _) in text.match_indices("crate::") {
                let path: String = text[i + 7..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                let segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
                // Modules are lower case; stop at the first item.
                let mods: Vec<&str> = segs
                    .iter()
                    .take_while(|s| s.chars().next().is_some_and(|c| c.is_lowercase()))
                    .copied()
                    .collect();
                if let Some(first) = mods.first() {
                    named.insert(first.to_string());
                }
            }
            graph.insert(module, named);
        }
        graph
    }

    #[test]
    fn nothing_outside_http_reaches_into_it() {
        let offenders: Vec<String> = imports()
            .into_iter()
            .filter(|(m, named)| {
                !(m == "http" || m.starts_with("http::")) && named.contains("http")
            })
            .map(|(m, _)| m)
            .collect();
        assert!(
            offenders.is_empty(),
            "modules importing crate::http: {offenders:?}"
        );
    }

    #[test]
    fn no_two_top_level_modules_import_each_other() {
        let top = |m: &str| m.split("::").next().unwrap_or_default().to_owned();
        let mut edges: BTreeSet<(String, String)> = BTreeSet::new();
        for (m, named) in imports() {
            for n in named {
                if top(&m) != n && !m.is_empty() {
                    edges.insert((top(&m), n));
                }
            }
        }
        let circles: Vec<_> = edges
            .iter()
            .filter(|(a, b)| a < b && edges.contains(&(b.clone(), a.clone())))
            .collect();
        assert!(circles.is_empty(), "import circles: {circles:?}");
    }

    /// Every file under `dir` (build output and installed packages left
    /// out), as paths relative to the repository.
    fn repository_files(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if name.starts_with('.') || name == "target" || name == "node_modules" {
                continue;
            }
            if path.is_dir() {
                out.push(path.strip_prefix(root).unwrap().to_string_lossy().into());
                repository_files(root, &path, out);
            } else {
                out.push(path.strip_prefix(root).unwrap().to_string_lossy().into());
            }
        }
    }

    /// ARCHITECTURE.md names files and folders in backticks, from the
    /// repository root or from the folder its table or step is about
    /// (`store/responses.rs` in the server's table): each must be a real
    /// file or folder, at the end of some path in the repository.
    #[test]
    fn every_path_architecture_md_names_exists() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
        let mut all = Vec::new();
        repository_files(root, root, &mut all);
        let looks_like_a_path = |t: &str| {
            !t.is_empty()
                && !t.starts_with('/')
                && !t.contains([' ', '{', '*', '…', '=', '(', '<'])
                && (t.contains('/')
                    || [
                        ".rs", ".js", ".md", ".sql", ".json", ".csv", ".toml", ".ts", ".sh",
                    ]
                    .iter()
                    .any(|e| t.ends_with(e)))
        };
        let mut missing = Vec::new();
        for (i, token) in text.split('`').enumerate() {
            // Odd pieces are inside backticks.
            if i % 2 == 0 || !looks_like_a_path(token) {
                continue;
            }
            let wanted = token.trim_end_matches('/');
            let found = all
                .iter()
                .any(|p| p == wanted || p.ends_with(&format!("/{wanted}")));
            if !found {
                missing.push(token.to_owned());
            }
        }
        assert!(
            missing.is_empty(),
            "ARCHITECTURE.md names paths that do not exist: {missing:?}"
        );
    }
}
