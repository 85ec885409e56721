//! The Suara server: command line, HTTP, storage.

pub mod auth;
pub mod backend;
pub mod bench;
pub mod chain;
pub mod cli;
pub mod export_files;
pub mod http;
pub mod records;
pub mod seed;
pub mod store;
pub mod synthetic;
pub mod verify;

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
) -> axum::Router {
    let public_url = public_url
        .map(|u| u.trim_end_matches('/').to_owned())
        .unwrap_or_else(|| format!("http://{addr}"));
    let state = http::AppState::new(store, leptos_options(site_root, addr), public_url);
    http::router(state)
}

/// Serves Suara on `listener` until the process is stopped.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: store::Store,
    site_root: &str,
    public_url: Option<&str>,
) -> anyhow::Result<()> {
    let router = app_router(store, site_root, listener.local_addr()?, public_url);
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
