//! The `suara` command line: what it accepts (here) and what each
//! command does ([`run`]).

use crate::auth::Role;
use clap::{Parser, Subcommand, ValueEnum};

mod run;
pub use run::run;

#[derive(Parser, Debug)]
#[command(
    name = "suara",
    version,
    about = "Suara: citizens rate public services; unit heads and auditors act on it."
)]
pub struct Cli {
    /// Where the data lives: sqlite://path/to/file.db or postgres://user:pass@host/db.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/suara.db",
        global = true
    )]
    pub database_url: String,

    /// How log lines are written to stderr: `text` for people, `json` (one
    /// object a line, with the request id and spans) for log collectors.
    /// Which lines: RUST_LOG (default `info,sqlx=warn`).
    #[arg(
        long,
        env = "SUARA_LOG_FORMAT",
        value_enum,
        default_value_t = LogFormat::Text,
        global = true
    )]
    pub log_format: LogFormat,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl Cli {
    /// Writes the log as `--log-format` says, to stderr.
    pub fn start_logging(&self) {
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| "info,sqlx=warn".into());
        let log = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr);
        match self.log_format {
            LogFormat::Text => log.init(),
            LogFormat::Json => log
                .json()
                .with_current_span(true)
                .with_span_list(true)
                .init(),
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Migrates the database and serves the app and the API.
    Serve(ServeArgs),
    /// Creates or updates the database schema, then exits.
    Migrate,
    /// Loads the demo catalogue and demo accounts (idempotent) and, once,
    /// into a database with no responses yet, a year of realistic responses
    /// (with profiles and comments, through the real ingest) so that the
    /// dashboard, trend, equity tab and report have something to show.
    SeedDemo {
        /// The catalogue and accounts only, no responses.
        #[arg(long)]
        empty: bool,
        /// How many responses the demo year holds.
        #[arg(long, default_value_t = 20_000)]
        responses: u64,
        /// `national`: also a whole regency's catalogue, 15 agencies and 240
        /// services (`server/seed/katalog-sukamaju.csv`), through the same
        /// import as `suara catalog import`.
        #[arg(long, value_enum, default_value_t = DemoCatalogue::Demo)]
        catalogue: DemoCatalogue,
    },
    /// The service catalogue from a spreadsheet (CSV or XLSX, one row per
    /// service) and back.
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
    /// Manages staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manages API tokens for scripts.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Writes a backup of the database to FILE, safely while the server
    /// serves (SQLite: `VACUUM INTO`; PostgreSQL: `pg_dump`), and says what
    /// it holds.
    Backup {
        /// A new file.
        file: std::path::PathBuf,
    },
    /// Restores a backup into the database (stop the server first on
    /// SQLite), migrates it to this build and says what it holds. Check it
    /// then with `suara verify` on an export and `suara rollups rebuild`.
    Restore {
        /// A file written by `suara backup`.
        file: std::path::PathBuf,
        /// Restore even when the database holds responses (they are lost).
        #[arg(long)]
        replace: bool,
    },
    /// Manages the roll-ups that summaries and dashboards read.
    Rollups {
        #[command(subcommand)]
        command: RollupsCommand,
    },
    /// Loads the demo catalogue and N realistic responses over a year, through
    /// the sync ingest (for trying Suara at scale and for benchmarks).
    SeedSynthetic {
        /// How many responses.
        #[arg(long)]
        responses: u64,
        /// Over how many days before today.
        #[arg(long, default_value_t = 365)]
        days: u32,
        /// The same seed gives the same responses.
        #[arg(long, default_value_t = 2017)]
        seed: u64,
    },
    /// Checks an export (CSV or JSON Lines): every row's content hash, the
    /// order and links of the response chain, and with the export's
    /// manifest, its row count and ends. Exits non-zero, naming the first
    /// bad row, when anything was altered, dropped, inserted or reordered.
    Verify {
        /// The exported file.
        file: std::path::PathBuf,
        /// The export's manifest (JSON, from the export's `Link` header or
        /// `GET /api/v1/export/manifest`); needed for a filtered export.
        #[arg(long)]
        manifest: Option<std::path::PathBuf>,
        /// Also compare every row with the live server at this address
        /// (`https://suara.example`): altered, dropped or inserted rows are
        /// found even when every hash in the file was recomputed.
        #[arg(long, requires = "token")]
        against: Option<String>,
        /// An API token for `--against` (`suara token create`); the
        /// exporting account's, or an auditor's.
        #[arg(long, env = "SUARA_TOKEN")]
        token: Option<String>,
    },
    /// Checks the database itself, for an auditor: every response's content
    /// against its hash and the chain, every row derived from it (its
    /// columns and scores) against its content, and the roll-ups against a
    /// rebuild. Exits non-zero, naming the first difference.
    AuditDb,
    /// Checks a published SKM period: scores again the unit's responses of
    /// the period up to the publication's chain sequence number, from the
    /// server's export, and compares them with the published figures. Exits
    /// non-zero, naming the first difference, when they disagree.
    VerifyPublication {
        /// The unit's public page (`https://suara.example/publik/UNIT`).
        url: String,
        /// Which publication (its id; default: the one in force).
        #[arg(long)]
        publication: Option<String>,
        /// An API token that may export the unit's responses (an auditor's,
        /// or the unit head's; `suara token create`): checks the responses
        /// themselves, not only the published aggregate.
        #[arg(long, env = "SUARA_TOKEN")]
        token: Option<String>,
    },
    /// Benchmarks.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
}

/// Which catalogue `seed-demo` loads.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DemoCatalogue {
    /// The few services the demo accounts and tests use.
    Demo,
    /// Those and a regency's 240 services of 15 agencies.
    National,
}

#[derive(Subcommand, Debug)]
pub enum CatalogCommand {
    /// Adds and updates agencies, units and services by code from FILE
    /// (`.csv` or `.xlsx`; columns agency_code, agency_name, unit_code,
    /// unit_name, unit_yearly_volume, service_code, service_name,
    /// questionnaire, and optionally agency_name_en, unit_name_en,
    /// service_name_en). Prints what it adds, renames and moves, every
    /// refused row with its line, and the services the file does not name
    /// (never removed); applies it all in one audited transaction, or
    /// nothing when a row is refused (exits non-zero).
    Import {
        file: std::path::PathBuf,
        /// Print what the import would do and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Writes the whole catalogue to FILE (`.csv` or `.xlsx`) in the
    /// columns an import reads.
    Export { file: std::path::PathBuf },
}

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// p50/p95 of the unit overview's summary (last 365 days) from the
    /// roll-ups, against a GROUP BY over raw responses, in the same run.
    Summary {
        /// A unit's code (default: the unit with the most responses).
        #[arg(long)]
        unit: Option<String>,
        /// Runs of the roll-up summary.
        #[arg(long, default_value_t = 200)]
        iterations: usize,
        /// Runs of the raw GROUP BY (default: as many); it takes seconds a
        /// run at ten million responses.
        #[arg(long)]
        raw_iterations: Option<usize>,
    },
    /// p50/p95 of every view a unit head opens (summary API with series,
    /// breakdowns and change; dashboard tabs; SKM report) over HTTP, against
    /// the server's floor (`GET /healthz`) in the same rounds. Prints a
    /// Markdown table.
    Views {
        /// A unit's code (default: the unit with the most responses).
        #[arg(long)]
        unit: Option<String>,
        /// Rounds (every view once a round).
        #[arg(long, default_value_t = 200)]
        iterations: usize,
        /// The built site (for the pages' asset links).
        #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
        site_root: String,
    },
    /// Responses a second through the sync API (batches of 500 over HTTP,
    /// one client, a fresh SQLite file) against raw inserts of the same rows
    /// in the same run.
    Ingest {
        /// How many responses each side stores.
        #[arg(long, default_value_t = 50_000)]
        responses: u64,
        /// Where the two temporary database files go.
        #[arg(long, default_value_os_t = std::env::temp_dir())]
        dir: std::path::PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum RollupsCommand {
    /// Recomputes every roll-up from the stored responses (they are kept up
    /// to date on every accepted response; this is for repair and checking).
    Rebuild,
}

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
        }
        .checked()
    }
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Adds an account; reads its password from standard input.
    Add {
        #[command(flatten)]
        account: NewAccountArgs,
    },
    /// Creates an account without a password and prints a one-time link,
    /// valid for 72 hours, that its holder opens to choose one.
    Invite {
        #[command(flatten)]
        account: NewAccountArgs,
        #[command(flatten)]
        base: LinkBase,
    },
    /// Prints a one-time link, valid for 72 hours, with which the holder of
    /// an account chooses a new password (a forgotten one); the account's
    /// earlier open links stop working.
    Link {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        base: LinkBase,
    },
}

/// Who a new account is for.
#[derive(clap::Args, Debug)]
pub struct NewAccountArgs {
    #[arg(long)]
    pub email: String,
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// A unit (by code) a unit head is responsible for; repeat for several.
    #[arg(long = "unit", value_name = "CODE")]
    pub units: Vec<String>,
}

/// Where the links `suara user invite` and `suara user link` print point.
#[derive(clap::Args, Debug)]
pub struct LinkBase {
    /// The public URL people open (as `serve --public-url`).
    #[arg(
        long,
        env = "SUARA_PUBLIC_URL",
        default_value = "http://127.0.0.1:3000"
    )]
    pub public_url: String,
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Prints a new bearer token for the account with this email.
    Create {
        #[arg(long)]
        email: String,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum RoleArg {
    Admin,
    UnitHead,
    Auditor,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Admin => Role::Admin,
            RoleArg::UnitHead => Role::UnitHead,
            RoleArg::Auditor => Role::Auditor,
        }
    }
}

/// The command line's reference, as the documentation book holds it
/// (`docs/src/reference/cli.md`): each command's own `--help`, so the book
/// says what the binary does. Environment values are never shown.
pub fn reference() -> String {
    use clap::CommandFactory;
    fn each(cmd: &mut clap::Command, path: &str, out: &mut String) {
        let path = if path.is_empty() {
            cmd.get_name().to_owned()
        } else {
            format!("{path} {}", cmd.get_name())
        };
        let help = cmd.render_long_help().to_string();
        out.push_str(&format!(
            "\n## `{path}`\n\n```text\n{}\n```\n",
            help.trim_end()
        ));
        for sub in cmd.get_subcommands_mut() {
            if sub.get_name() != "help" {
                each(sub, &path, out);
            }
        }
    }
    fn quiet(cmd: clap::Command) -> clap::Command {
        cmd.mut_args(|a| a.hide_env_values(true))
            .mut_subcommands(quiet)
    }
    let mut cmd = quiet(Cli::command());
    cmd.build();
    let mut out = String::from(
        "# Command line\n\n\
         <!-- Made from the binary's own help by `reference()` in server/src/cli/mod.rs: edit the \
         doc comments there, then run `SUARA_BLESS=1 cargo test -p server --lib cli::` -->\n\n\
         Run from the repository root after a build (`target/release/suara` or \
         `target/debug/suara`). Every command takes `--database-url` (env `DATABASE_URL`): \
         `sqlite://data/suara.db` (the default) or `postgres://user:password@host/db`. \
         `SUARA_PUBLIC_URL=https://…` is the address citizens open (links, QR codes) and makes \
         session cookies `Secure`.\n",
    );
    each(&mut cmd, "", &mut out);
    out
}

#[cfg(test)]
mod reference_tests {
    /// A test fails when the book's reference is not what the binary says.
    #[test]
    fn the_books_command_line_reference_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/src/reference/cli.md");
        let now = super::reference();
        if std::env::var_os("SUARA_BLESS").is_some() {
            std::fs::write(path, &now).unwrap();
        }
        let book = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            book == now,
            "docs/src/reference/cli.md is not what `suara --help` says: run \
             `SUARA_BLESS=1 cargo test -p server --lib cli::` and commit it"
        );
    }
}
