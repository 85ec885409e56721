//! The Suara server: command line, HTTP, storage.

pub mod audit;
pub mod auth;
pub mod backup;
pub mod bench;
pub mod catalogue;
pub mod chain;
pub mod cli;
pub mod complaints;
pub mod config;
pub mod export;
pub mod figures;
pub mod http;
pub mod integrity;
pub mod notifications;
pub mod open311;
pub mod overview;
pub mod page_data;
pub mod publications;
pub mod refusal;
pub mod report;
pub mod seed;
pub mod store;
pub mod synthetic;
pub mod verify;

pub use config::{Config, RateLimits};
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

/// The whole HTTP application over `store`, as `config` says, listening on
/// `bound`.
pub fn app_router(
    store: store::Store,
    config: &Config,
    bound: std::net::SocketAddr,
) -> axum::Router {
    let state = http::AppState::new(store, config, bound);
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
    config: &Config,
) -> anyhow::Result<()> {
    let router = app_router(store.clone(), config, listener.local_addr()?);
    tokio::spawn(close_unconfirmed_complaints(
        store.clone(),
        config.auto_close_every,
    ));
    tokio::spawn(forget_the_past(store.clone(), config.housekeeping_every));
    match &config.mail {
        Some(mail) => {
            let mailer =
                notifications::Mailer::new(mail, &config.public_url_at(listener.local_addr()?))?;
            tokio::spawn(notifications::run(
                store.clone(),
                mailer,
                config.notify_every,
            ));
        }
        None => tracing::info!(
            "e-mail is off (no SUARA_SMTP_URL): notifications are listed in the app, not sent"
        ),
    }
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

/// Every `every` (ten minutes by default), closes answered complaints whose
/// ten working days passed without a word from the citizen, tells unit
/// heads of deadlines one working day away or passed, writes each
/// unit's weekly digest when its week has come and, hourly, its alerts. Every replica
/// may run it: each complaint moves once (see [`complaints::auto_close`]).
async fn close_unconfirmed_complaints(store: store::Store, every: std::time::Duration) {
    let mut tick = tokio::time::interval(every);
    let mut alerts_checked: Option<std::time::Instant> = None;
    loop {
        tick.tick().await;
        match complaints::auto_close(&store, time::OffsetDateTime::now_utc()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(closed = n, "complaints closed without confirmation"),
            Err(e) => {
                tracing::warn!(error = %e, "closing unconfirmed complaints failed; trying again later")
            }
        }
        // Deadlines near and passed: their unit heads are told, once each.
        if let Err(e) = complaints::remind(&store, time::OffsetDateTime::now_utc()).await {
            tracing::warn!(error = %e, "complaint reminders failed; trying again later");
        }
        // Each unit's week, once its Monday 07:00 has come.
        match notifications::weekly::queue(&store, time::OffsetDateTime::now_utc()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(units = n, "weekly digests written"),
            Err(e) => tracing::warn!(error = %e, "weekly digests failed; trying again later"),
        }
        // Each unit's alerts of its latest complete month, looked for
        // hourly (they change only when a month ends or late ratings come).
        if alerts_checked.is_none_or(|at| at.elapsed() >= ALERTS_EVERY) {
            alerts_checked = Some(std::time::Instant::now());
            match notifications::alerts::queue(&store, time::OffsetDateTime::now_utc()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(units = n, "alerts written"),
                Err(e) => tracing::warn!(error = %e, "alerts failed; trying again later"),
            }
        }
    }
}

/// How often each unit's alerts are looked for.
const ALERTS_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Every `every` (an hour by default), forgets what no rule reads any more
/// (see [`store::housekeeping`]).
async fn forget_the_past(store: store::Store, every: std::time::Duration) {
    let mut tick = tokio::time::interval(every);
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
mod architecture;
