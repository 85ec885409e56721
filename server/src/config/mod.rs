//! Everything a running server is told, in one place: built once — from the
//! command line and the environment by `suara serve`, field by field by the
//! tests — and checked ([`Config::checked`]) before anything starts, so a
//! mistake is a clear message at start rather than a surprise later.

pub mod limits;

pub use limits::RateLimits;
use std::net::SocketAddr;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://path` or `postgres://…`.
    pub database_url: String,
    /// Where to listen.
    pub addr: SocketAddr,
    /// Where citizens open Suara (links, QR codes), without a trailing
    /// slash; HTTPS there makes cookies `Secure`. `None`: the listening
    /// address.
    pub public_url: Option<String>,
    /// The built site (wasm, js, css, public files), as cargo-leptos writes it.
    pub site_root: String,
    /// Budgets per client address, and the proxies trusted to name it.
    pub limits: RateLimits,
    /// How often answered complaints nobody confirmed are closed.
    pub auto_close_every: Duration,
    /// How often what no rule reads any more is forgotten.
    pub housekeeping_every: Duration,
    /// E-mail: `None` lists notifications in the app and sends nothing.
    pub mail: Option<MailConfig>,
    /// How often the outbox is looked at (and the first wait after a
    /// failed attempt, doubled each time).
    pub notify_every: Duration,
    /// The bearer token `/metrics` asks for; `None`: `/metrics` is off.
    pub metrics_token: Option<String>,
}

/// Where e-mail goes out (`SUARA_SMTP_URL`) and whom it is from
/// (`SUARA_MAIL_FROM`).
#[derive(Clone, Debug)]
pub struct MailConfig {
    /// `smtp://host:25`, `smtp://user:pass@host:587?tls=required` or
    /// `smtps://user:pass@host:465`.
    pub smtp_url: String,
    /// `Suara Kabupaten <suara@example.go.id>`.
    pub from: String,
}

impl Config {
    /// The defaults, over `database_url`.
    pub fn new(database_url: impl Into<String>) -> Self {
        Self {
            database_url: database_url.into(),
            addr: SocketAddr::from(([127, 0, 0, 1], 3000)),
            public_url: None,
            site_root: "target/site".to_owned(),
            limits: RateLimits::default(),
            auto_close_every: Duration::from_secs(600),
            housekeeping_every: Duration::from_secs(3600),
            mail: None,
            notify_every: Duration::from_secs(15),
            metrics_token: None,
        }
    }

    /// This configuration if it can run: the public URL an `http(s)://`
    /// address, the periods not zero. Otherwise what is wrong, naming the
    /// setting. A site root without a built site is only warned of.
    pub fn checked(mut self) -> anyhow::Result<Self> {
        if let Some(url) = &self.public_url {
            let url = url.trim().trim_end_matches('/');
            let host = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"));
            match host {
                Some(h) if !h.is_empty() && !h.contains(char::is_whitespace) => {}
                _ => anyhow::bail!(
                    "--public-url (SUARA_PUBLIC_URL) must be an http:// or https:// address, \
                     such as https://suara.example.go.id: got {url:?}"
                ),
            }
            self.public_url = Some(url.to_owned());
        }
        if !std::path::Path::new(&self.site_root).join("pkg").is_dir() {
            // Pages still work as plain forms, so this is said, not refused.
            tracing::warn!(
                site_root = %self.site_root,
                "--site-root (LEPTOS_SITE_ROOT) holds no built site (no pkg/ in it): pages \
                 are served without the browser app; build it with `cargo leptos build` \
                 (or `make build-release`)"
            );
        }
        for (name, every) in [
            (
                "--auto-close-every (SUARA_AUTO_CLOSE_SECONDS)",
                self.auto_close_every,
            ),
            (
                "--housekeeping-every (SUARA_HOUSEKEEPING_SECONDS)",
                self.housekeeping_every,
            ),
            ("--notify-every (SUARA_NOTIFY_SECONDS)", self.notify_every),
        ] {
            if every.is_zero() {
                anyhow::bail!("{name} must be at least one second");
            }
        }
        if self.metrics_token.as_deref().is_some_and(|t| t.len() < 16) {
            anyhow::bail!(
                "--metrics-token (SUARA_METRICS_TOKEN) must be at least 16 characters: \
                 it is all that keeps /metrics from the public"
            );
        }
        if let Some(mail) = &self.mail {
            use lettre::{message::Mailbox, AsyncSmtpTransport, Tokio1Executor};
            AsyncSmtpTransport::<Tokio1Executor>::from_url(&mail.smtp_url).map_err(|e| {
                anyhow::anyhow!(
                    "--smtp-url (SUARA_SMTP_URL) must be smtp://host:port, \
                     smtp://user:password@host:587?tls=required or smtps://user:password@host:465: {e}"
                )
            })?;
            mail.from.parse::<Mailbox>().map_err(|e| {
                anyhow::anyhow!(
                    "--mail-from (SUARA_MAIL_FROM) must be an address such as \
                     \"Suara <suara@example.go.id>\": {e}"
                )
            })?;
        }
        Ok(self)
    }

    /// Where citizens open Suara, once the server listens on `bound`.
    pub fn public_url_at(&self, bound: SocketAddr) -> String {
        self.public_url
            .as_deref()
            .map(|u| u.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| format!("http://{bound}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("pkg")).unwrap();
        dir
    }

    #[test]
    fn a_good_configuration_passes_with_its_public_url_tidied() {
        let dir = site();
        let c = Config {
            public_url: Some("https://suara.example.go.id/".into()),
            site_root: dir.path().to_string_lossy().into(),
            ..Config::new("sqlite://x.db")
        }
        .checked()
        .unwrap();
        assert_eq!(c.public_url.as_deref(), Some("https://suara.example.go.id"));
        assert_eq!(
            c.public_url_at("127.0.0.1:9".parse().unwrap()),
            "https://suara.example.go.id"
        );
        let plain = Config {
            site_root: dir.path().to_string_lossy().into(),
            ..Config::new("sqlite://x.db")
        };
        assert_eq!(
            plain.public_url_at("127.0.0.1:9".parse().unwrap()),
            "http://127.0.0.1:9"
        );
    }

    #[test]
    fn each_mistake_is_named_at_start() {
        let dir = site();
        let base = || Config {
            site_root: dir.path().to_string_lossy().into(),
            ..Config::new("sqlite://x.db")
        };
        for (bad, says) in [
            (
                Config {
                    public_url: Some("suara.example.go.id".into()),
                    ..base()
                },
                "--public-url",
            ),
            (
                Config {
                    public_url: Some("https://".into()),
                    ..base()
                },
                "--public-url",
            ),
            (
                Config {
                    auto_close_every: Duration::ZERO,
                    ..base()
                },
                "--auto-close-every",
            ),
        ] {
            let e = bad.checked().unwrap_err().to_string();
            assert!(e.contains(says), "{e}");
        }
    }
}
