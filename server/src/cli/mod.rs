//! The `suara` command line: the commands (here), and one module for each
//! holding what it accepts and what it does.

use crate::store::Store;
use clap::{Parser, Subcommand, ValueEnum};

mod audit_db;
mod backup;
mod bench;
mod catalogue;
mod migrate;
mod restore;
mod rollups;
mod seed_demo;
mod seed_synthetic;
mod serve;
mod token;
mod user;
mod verify;
mod verify_publication;

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
    Serve(serve::ServeArgs),
    /// Creates or updates the database schema, then exits.
    Migrate,
    /// Loads the demo catalogue and demo accounts (idempotent) and, once,
    /// into a database with no responses yet, a year of realistic responses
    /// (with profiles and comments, through the real ingest) so that the
    /// dashboard, trend, equity tab and report have something to show.
    SeedDemo(seed_demo::SeedDemoArgs),
    /// The service catalogue from a spreadsheet (CSV or XLSX, one row per
    /// service) and back.
    Catalog {
        #[command(subcommand)]
        command: catalogue::CatalogCommand,
    },
    /// Manages staff accounts.
    User {
        #[command(subcommand)]
        command: user::UserCommand,
    },
    /// Manages API tokens for scripts.
    Token {
        #[command(subcommand)]
        command: token::TokenCommand,
    },
    /// Writes a backup of the database to FILE, safely while the server
    /// serves (SQLite: `VACUUM INTO`; PostgreSQL: `pg_dump`), and says what
    /// it holds.
    Backup(backup::BackupArgs),
    /// Restores a backup into the database (stop the server first on
    /// SQLite), migrates it to this build and says what it holds. Check it
    /// then with `suara verify` on an export and `suara rollups rebuild`.
    Restore(restore::RestoreArgs),
    /// Manages the roll-ups that summaries and dashboards read.
    Rollups {
        #[command(subcommand)]
        command: rollups::RollupsCommand,
    },
    /// Loads the demo catalogue and N realistic responses over a year, through
    /// the sync ingest (for trying Suara at scale and for benchmarks).
    SeedSynthetic(seed_synthetic::SeedSyntheticArgs),
    /// Checks an export (CSV or JSON Lines): every row's content hash, the
    /// order and links of the response chain, and with the export's
    /// manifest, its row count and ends. Exits non-zero, naming the first
    /// bad row, when anything was altered, dropped, inserted or reordered.
    Verify(verify::VerifyArgs),
    /// Checks the database itself, for an auditor: every response's content
    /// against its hash and the chain, every row derived from it (its
    /// columns and scores) against its content, and the roll-ups against a
    /// rebuild. Exits non-zero, naming the first difference.
    AuditDb,
    /// Checks a published SKM period: scores again the unit's responses of
    /// the period up to the publication's chain sequence number, from the
    /// server's export, and compares them with the published figures. Exits
    /// non-zero, naming the first difference, when they disagree.
    VerifyPublication(verify_publication::VerifyPublicationArgs),
    /// Benchmarks.
    Bench {
        #[command(subcommand)]
        command: bench::BenchCommand,
    },
}

/// Runs the command the line names.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let db = cli.database_url.as_str();
    match cli.command {
        Command::Serve(args) => args.run(db).await,
        Command::Migrate => migrate::run(db).await,
        Command::SeedDemo(args) => args.run(db).await,
        Command::Catalog { command } => command.run(db).await,
        Command::User { command } => command.run(db).await,
        Command::Token { command } => command.run(db).await,
        Command::Backup(args) => args.run(db).await,
        Command::Restore(args) => args.run(db).await,
        Command::Rollups { command } => command.run(db).await,
        Command::SeedSynthetic(args) => args.run(db).await,
        Command::Verify(args) => args.run().await,
        Command::AuditDb => audit_db::run(db).await,
        Command::VerifyPublication(args) => args.run().await,
        Command::Bench { command } => command.run(db).await,
    }
}

/// The database at `url`, migrated to this build.
async fn open(url: &str) -> anyhow::Result<Store> {
    let store = Store::connect(url).await?;
    store.migrate().await?;
    Ok(store)
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
