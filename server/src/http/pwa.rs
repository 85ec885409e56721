//! What makes Suara an offline app: the service worker script and the app
//! shell it serves for any page when there is no network.
//!
//! Both are made once at start from the built site: the worker's cache name is
//! tied to a hash of the files in `pkg/`, and its precache list is those files
//! (whatever cargo-leptos named them) plus the shell and the icons. A new build
//! thus yields a new `/sw.js`, which the browser installs as an update.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;

/// The worker's logic; the server prepends the build's constants.
const WORKER_SOURCE: &str = include_str!("../../../public/sw.js");

/// Static files every offline visit needs besides `pkg/`. The PNG icons
/// are not among them: the browser fetches them itself when it installs
/// the app, and precaching them would add 16 KB to every first visit.
const SHELL_FILES: &[&str] = &["/shell", "/manifest.webmanifest", "/favicon.svg"];

#[derive(Debug)]
pub struct PwaAssets {
    pub build_id: String,
    pub worker_js: String,
    pub shell_html: String,
    /// The shell's Content-Security-Policy: its inline scripts by hash (a
    /// cached shell has no fresh nonce).
    pub shell_policy: String,
    /// Where the browser app's files are, for the pages the server renders.
    pub app: app::Assets,
}

impl PwaAssets {
    /// Reads `{site_root}/pkg`. A missing directory (a server built without
    /// its front end, as in API tests) gives a worker that precaches only
    /// the shell and static files.
    pub fn load(site_root: &str, output_name: &str) -> Arc<Self> {
        let pkg = Path::new(site_root).join("pkg");
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        collect(&pkg, "/pkg", &mut files);
        // Type declarations (`.d.ts`, whose content hash cargo-leptos puts
        // before `.ts`) are for developers, not browsers; precompressed
        // copies are the same files in other encodings.
        files.retain(|(url, _)| ![".ts", ".br", ".gz"].iter().any(|ext| url.ends_with(ext)));
        files.sort();
        let mut hasher = Sha256::new();
        hasher.update(WORKER_SOURCE.as_bytes());
        for (url, bytes) in &files {
            hasher.update(url.as_bytes());
            hasher.update(bytes);
        }
        let build_id = hex::encode(&hasher.finalize()[..6]);
        let find = |ext: &str, fallback: String| {
            files
                .iter()
                .map(|(u, _)| u)
                .find(|u| u.matches('/').count() == 2 && u.ends_with(ext))
                .cloned()
                .unwrap_or(fallback)
        };
        let app = app::Assets {
            js: find(".js", format!("/pkg/{output_name}.js")),
            wasm: find(".wasm", format!("/pkg/{output_name}.wasm")),
            css: find(".css", format!("/pkg/{output_name}.css")),
        };
        let precache: Vec<String> = SHELL_FILES
            .iter()
            .map(|s| s.to_string())
            .chain(files.iter().map(|(u, _)| u.clone()))
            .collect();
        let worker_js = format!(
            "// Suara service worker, build {build_id}.\nconst SUARA_BUILD = {};\nconst SUARA_PRECACHE = {};\n{WORKER_SOURCE}",
            serde_json::Value::from(build_id.clone()),
            serde_json::Value::from(precache),
        );
        let shell_html = shell_html(&app);
        let shell_policy =
            super::security::policy_with_hashes([LANG_SCRIPT, app.start_script().as_str()]);
        Arc::new(Self {
            build_id,
            worker_js,
            shell_html,
            shell_policy,
            app,
        })
    }
}

fn collect(dir: &Path, url: &str, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let child = format!("{url}/{name}");
        if path.is_dir() {
            collect(&path, &child, out);
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push((child, bytes));
        }
    }
}

/// Sets `<html lang>` from the language cookie before anything renders.
const LANG_SCRIPT: &str = "document.documentElement.lang = (document.cookie.match(/(?:^|; )suara_lang=(id|en)(?:;|$)/) || [0, 'id'])[1];";

/// The page the worker answers with for any navigation it cannot fetch: the
/// same head as a server-rendered page, an empty body, and a script that
/// renders the app in the browser (`mount`), as every citizen page does.
fn shell_html(app: &app::Assets) -> String {
    let css = &app.css;
    let script = app.start_script();
    format!(
        r##"<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<meta name="theme-color" content="#0b5f4a"/>
<link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
<link rel="manifest" href="/manifest.webmanifest"/>
<link rel="stylesheet" id="leptos" href="{css}"/>
<title>Suara</title>
<script>{LANG_SCRIPT}</script>
<script type="module">{script}</script>
</head>
<body data-shell="true"></body>
</html>
"##
    )
}

const NO_CACHE: (header::HeaderName, &str) = (header::CACHE_CONTROL, "no-cache");

pub async fn service_worker(State(assets): State<Arc<PwaAssets>>) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            NO_CACHE,
        ],
        assets.worker_js.clone(),
    )
}

pub async fn shell(State(assets): State<Arc<PwaAssets>>) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
            (NO_CACHE.0, NO_CACHE.1.to_owned()),
            (header::CONTENT_SECURITY_POLICY, assets.shell_policy.clone()),
        ],
        assets.shell_html.clone(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_id_follows_the_built_files_and_the_precache_lists_them() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_str().unwrap();
        std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
        std::fs::write(dir.path().join("pkg/suara.abc123.js"), "js").unwrap();
        std::fs::write(dir.path().join("pkg/suara.abc123_bg.wasm"), "wasm").unwrap();
        std::fs::write(dir.path().join("pkg/suara.abc123.css"), "css").unwrap();
        let first = PwaAssets::load(root, "suara");
        assert!(first.worker_js.contains("\"/pkg/suara.abc123_bg.wasm\""));
        assert!(first.worker_js.contains("\"/shell\""));
        assert!(first.shell_html.contains("from '/pkg/suara.abc123.js'"));
        assert!(first.shell_html.contains("href=\"/pkg/suara.abc123.css\""));
        assert!(first.shell_html.contains(&first.app.start_script()));
        assert_eq!(first.app.wasm, "/pkg/suara.abc123_bg.wasm");
        assert_eq!(first.build_id, PwaAssets::load(root, "suara").build_id);
        std::fs::write(dir.path().join("pkg/suara.abc123_bg.wasm"), "wasm2").unwrap();
        assert_ne!(first.build_id, PwaAssets::load(root, "suara").build_id);
    }
}
