//! `suara serve`.

use anyhow::Context;

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "SUARA_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: std::net::SocketAddr,
    /// The public URL citizens open (links, QR codes); HTTPS makes cookies Secure.
    #[arg(long, env = "SUARA_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The built site (wasm, js, css, public files), as cargo-leptos writes it.
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,
    /// Rate limits per client address, changing the defaults: `off`,
    /// `CLASS=off` or `CLASS=BURST:N/s|min|h` for CLASS `read`, `write` or
    /// `sign-in` (defaults: read=600:10/s, write=300:5/s, sign-in=20:6/min).
    #[arg(
        long = "rate-limit",
        env = "SUARA_RATE_LIMITS",
        value_delimiter = ',',
        value_name = "SPEC"
    )]
    pub rate_limits: Vec<String>,
    /// A reverse proxy (address or CIDR range) whose `X-Forwarded-For` names
    /// the client; repeat for several. Without one, the header is ignored.
    #[arg(
        long = "trusted-proxy",
        env = "SUARA_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_name = "CIDR"
    )]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// How often, in seconds, answered complaints nobody confirmed within
    /// their working days are closed.
    #[arg(
        long = "auto-close-every",
        env = "SUARA_AUTO_CLOSE_SECONDS",
        default_value_t = 600,
        value_name = "SECONDS"
    )]
    pub auto_close_seconds: u64,
    /// How often, in seconds, the integrity monitor's old days and hours,
    /// expired sessions and old sign-in failures are forgotten.
    #[arg(
        long = "housekeeping-every",
        env = "SUARA_HOUSEKEEPING_SECONDS",
        default_value_t = 3600,
        value_name = "SECONDS"
    )]
    pub housekeeping_seconds: u64,
    /// The SMTP server notifications go out through: smtp://host:port,
    /// smtp://user:password@host:587?tls=required or
    /// smtps://user:password@host:465. Without it (and --mail-from),
    /// notifications are only listed in the app.
    #[arg(long, env = "SUARA_SMTP_URL", requires = "mail_from")]
    pub smtp_url: Option<String>,
    /// Whom notifications are from: "Suara Kabupaten <suara@example.go.id>".
    #[arg(long, env = "SUARA_MAIL_FROM", requires = "smtp_url")]
    pub mail_from: Option<String>,
    /// How often, in seconds, notifications due are sent (and the first
    /// wait after a failed attempt, doubled each time up to an hour).
    #[arg(
        long = "notify-every",
        env = "SUARA_NOTIFY_SECONDS",
        default_value_t = 15,
        value_name = "SECONDS"
    )]
    pub notify_seconds: u64,
    /// Serves /metrics (Prometheus) to a scraper sending
    /// `Authorization: Bearer TOKEN`; at least 16 characters. Without it,
    /// /metrics is off.
    #[arg(long, env = "SUARA_METRICS_TOKEN", value_name = "TOKEN")]
    pub metrics_token: Option<String>,
}

impl ServeArgs {
    /// The server's configuration these arguments (and the database
    /// option) ask for, checked.
    pub fn config(&self, database_url: &str) -> anyhow::Result<crate::Config> {
        let mut limits = crate::RateLimits::default();
        for spec in &self.rate_limits {
            limits
                .set(spec)
                .map_err(|e| anyhow::anyhow!("--rate-limit {e}"))?;
        }
        limits.trusted_proxies = self.trusted_proxies.clone();
        crate::Config {
            database_url: database_url.to_owned(),
            addr: self.addr,
            public_url: self.public_url.clone(),
            site_root: self.site_root.clone(),
            limits,
            auto_close_every: std::time::Duration::from_secs(self.auto_close_seconds),
            housekeeping_every: std::time::Duration::from_secs(self.housekeeping_seconds),
            mail: self
                .smtp_url
                .clone()
                .zip(self.mail_from.clone())
                .map(|(smtp_url, from)| crate::config::MailConfig { smtp_url, from }),
            notify_every: std::time::Duration::from_secs(self.notify_seconds),
            metrics_token: self.metrics_token.clone(),
        }
        .checked()
    }
}

impl ServeArgs {
    pub async fn run(self, database_url: &str) -> anyhow::Result<()> {
        let config = self.config(database_url)?;
        let store = super::open(&config.database_url).await?;
        crate::seed::builtin_questionnaires(&store).await?;
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.addr))?;
        let addr = listener.local_addr()?;
        println!(
            "Suara is serving at http://{addr}  (database: {})",
            crate::store::redact(database_url)
        );
        crate::serve(listener, store, &config).await
    }
}
