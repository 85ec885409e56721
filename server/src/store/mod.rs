//! Storage through sqlx: SQLite (embedded default) or PostgreSQL, chosen by
//! the database URL. One module per aggregate; plain `query` calls with `$n`
//! placeholders, which both databases understand, through sqlx's `Any` driver.

pub mod account_links;
pub mod accounts;
pub mod admin;
pub mod audit;
pub mod calendar;
pub mod catalogue;
pub mod catalogue_import;
pub mod chain_head;
pub mod comments;
pub mod complaints;
pub mod dashboard;
pub mod ensure;
pub mod export;
pub mod fresh;
pub mod group_commit;
pub mod housekeeping;
pub mod integrity;
pub mod live;
pub mod notifications;
pub mod publications;
pub mod reports;
pub mod responses;
pub mod rollups;
pub mod scores;
pub mod sessions;
pub mod sqlite_scan;

use anyhow::Context;
use futures::future::BoxFuture;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, Migrator};
use sqlx::{AnyConnection, AnyPool, Row};
use std::path::Path;
use std::sync::Once;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The database behind every Suara process.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    engine: Engine,
    /// The SQLite file, for reads that bypass the pool (`sqlite_scan`).
    sqlite_file: Option<std::path::PathBuf>,
    /// The PostgreSQL URL, for connections outside the pool (`LISTEN`).
    postgres_url: Option<DatabaseUrl>,
    /// What the integrity monitor flags ([`Store::with_integrity_rules`]).
    integrity: app::domain::integrity::Rules,
    /// Every complaint's course, shared by the pages that compute from it.
    courses: std::sync::Arc<complaints::courses::CoursesCache>,
    /// How many writes went through this process ([`Store::wrote`]).
    writes: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

/// A database URL, which may hold a password: never printed whole.
#[derive(Clone)]
struct DatabaseUrl(String);

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&redact(&self.0))
    }
}

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// The migration that keys scores and flags by the response's seq.
const KEYED_BY_SEQ: i64 = 22;

/// Some of the migrations, to run as a set of their own.
#[derive(Debug)]
struct Through(Vec<Migration>);

impl MigrationSource<'static> for Through {
    fn resolve(self) -> BoxFuture<'static, Result<Vec<Migration>, BoxDynError>> {
        Box::pin(async move { Ok(self.0) })
    }
}

impl Store {
    /// Connects to `url` (`sqlite://path` or `postgres://…`). A SQLite file and
    /// its directory are created when missing.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        Self::connect_sized(url, None).await
    }

    /// [`Store::connect`] with at most `connections` in the pool instead of
    /// the engine's default (8 for SQLite, 16 for PostgreSQL).
    pub async fn connect_sized(url: &str, connections: Option<u32>) -> anyhow::Result<Self> {
        static DRIVERS: Once = Once::new();
        DRIVERS.call_once(sqlx::any::install_default_drivers);

        let (engine, url) = if url.starts_with("sqlite:") {
            (Engine::Sqlite, sqlite_url(url)?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Engine::Postgres, url.to_owned())
        } else {
            anyhow::bail!("unsupported database URL {url:?}: use sqlite://… or postgres://…");
        };
        // A connection whose transaction the database ended by itself (SQLite
        // rolls back on its own when the disk is full) still counts as in a
        // transaction in sqlx, and every BEGIN on it would then fail: such a
        // connection is closed rather than handed out again.
        let options = AnyPoolOptions::new()
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .before_acquire(|c, _| {
                Box::pin(async move { Ok(!sqlx::Connection::is_in_transaction(c)) })
            });
        let pool = match engine {
            // One writer at a time is SQLite's rule; a few readers beside it.
            // A 16 MB page cache per connection (SQLite's default is 2 MB):
            // ingest updates the id index at random places, and roll-up
            // reads revisit the same pages. Eight connections stay well
            // under the 100 MB an export may take. Reads map the file (up to
            // 1 GiB) rather than copy each page in with a system call: the
            // SKM report's matrix took a third less time (writes still go
            // through SQLite's journal as before). No ping before handing a
            // connection out: a file cannot have gone away like a server,
            // and the ping is one more round trip to the connection's thread.
            Engine::Sqlite => options
                .max_connections(connections.unwrap_or(8))
                .test_before_acquire(false)
                .after_connect(|c, _| {
                    Box::pin(async move {
                        sqlx::query("PRAGMA cache_size = -16384")
                            .execute(&mut *c)
                            .await?;
                        sqlx::query("PRAGMA mmap_size = 1073741824")
                            .execute(c)
                            .await?;
                        Ok(())
                    })
                }),
            // No JIT: Suara's queries are short, and a plan whose estimate
            // crosses `jit_above_cost` (the SKM report's matrix at 10M
            // responses) spent ~380 ms compiling to run in ~25.
            Engine::Postgres => options
                .max_connections(connections.unwrap_or(16))
                .after_connect(|c, _| {
                    Box::pin(async move {
                        sqlx::query("SET jit = off").execute(&mut *c).await?;
                        Ok(())
                    })
                }),
        }
        .connect(&url)
        .await
        .with_context(|| format!("cannot open database {}", redact(&url)))?;
        if engine == Engine::Sqlite {
            // Persistent in the file: readers never wait for the writer.
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
        }
        let sqlite_file = (engine == Engine::Sqlite)
            .then(|| {
                url.trim_start_matches("sqlite://")
                    .split('?')
                    .next()
                    .unwrap_or("")
            })
            .filter(|p| !p.is_empty() && *p != ":memory:")
            .map(std::path::PathBuf::from);
        Ok(Self {
            pool,
            engine,
            sqlite_file,
            postgres_url: (engine == Engine::Postgres).then_some(DatabaseUrl(url)),
            integrity: app::domain::integrity::Rules::default(),
            courses: Default::default(),
            writes: Default::default(),
        })
    }

    /// Every complaint's course and the figures computed from them.
    pub(crate) fn courses_cache(&self) -> &complaints::courses::CoursesCache {
        &self.courses
    }

    /// Says that something may have been written (a request that changes
    /// things was answered), after it committed: what is computed from
    /// everything and kept a few seconds is computed again.
    pub fn wrote(&self) {
        self.writes
            .fetch_add(1, std::sync::atomic::Ordering::Release);
    }

    /// How many writes [`Store::wrote`] and complaint changes counted.
    pub fn writes(&self) -> u64 {
        self.writes.load(std::sync::atomic::Ordering::Acquire) + self.courses.version()
    }

    /// The integrity monitor judging by `rules` instead of the defaults (a
    /// region whose phones stay offline longer, say; the test suite, whose
    /// fixtures replay answers of fixed past days as an import would).
    pub fn with_integrity_rules(mut self, rules: app::domain::integrity::Rules) -> Self {
        self.integrity = rules;
        self
    }

    fn migrations(&self) -> &'static Migrator {
        match self.engine {
            Engine::Sqlite => &SQLITE_MIGRATIONS,
            Engine::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    /// Applies the migrations numbered below `version` that are not yet
    /// applied, and no later one: the first half of [`Store::migrate`], and
    /// how a test builds a database as an earlier release left it.
    pub async fn migrate_before(&self, version: i64) -> anyhow::Result<()> {
        let earlier: Vec<Migration> = self
            .migrations()
            .iter()
            .filter(|m| m.version < version)
            .cloned()
            .collect();
        let mut earlier = Migrator::new(Through(earlier))
            .await
            .context("database migration failed")?;
        // A database already past `version` has later migrations applied.
        earlier.set_ignore_missing(true);
        earlier
            .run(&self.pool)
            .await
            .context("database migration failed")
    }

    /// Brings the schema up to date, then chains any responses stored
    /// before the response chain existed and rebuilds the roll-ups if there
    /// are none while scored responses exist (as after the migration that
    /// packed them).
    pub async fn migrate(&self) -> anyhow::Result<()> {
        // Scores and flags are keyed by the response's seq from migration
        // 22 on, so a database that still holds responses from before the
        // chain has them chained (in Rust: it hashes) before that runs.
        self.migrate_before(KEYED_BY_SEQ).await?;
        let chained = self
            .chain_unchained()
            .await
            .context("chaining earlier responses failed")?;
        if chained > 0 {
            tracing::info!(chained, "responses stored before the chain are now chained");
        }
        self.migrations()
            .run(&self.pool)
            .await
            .context("database migration failed")?;
        let copied = self
            .fill_public_copies()
            .await
            .context("redacting earlier complaints failed")?;
        if copied > 0 {
            tracing::info!(
                copied,
                "complaint texts written before public copies were kept"
            );
        }
        if let Some(counted) = self
            .rebuild_rollups_if_missing()
            .await
            .context("rebuilding the roll-ups failed")?
        {
            tracing::info!(counted, "roll-ups were missing: rebuilt from the responses");
        }
        Ok(())
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The PostgreSQL database's URL (none on SQLite).
    pub fn postgres_url(&self) -> Option<&str> {
        self.postgres_url.as_ref().map(|u| u.0.as_str())
    }

    /// The SQLite file behind the pool (none for PostgreSQL or in memory).
    pub fn sqlite_file(&self) -> Option<&std::path::Path> {
        self.sqlite_file.as_deref()
    }

    /// A transaction that holds the write lock from its first statement, so
    /// that concurrent writers queue instead of failing on SQLite.
    pub async fn begin_write(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
        match self.engine {
            Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Engine::Postgres => self.pool.begin().await,
        }
    }

    /// [`Store::begin_write`] on the connection `c`.
    pub async fn begin_write_on<'c>(
        &self,
        c: &'c mut AnyConnection,
    ) -> sqlx::Result<sqlx::Transaction<'c, sqlx::Any>> {
        use sqlx::Connection;
        match self.engine {
            Engine::Sqlite => c.begin_with("BEGIN IMMEDIATE").await,
            Engine::Postgres => c.begin().await,
        }
    }

    /// ` FOR UPDATE` on PostgreSQL, to end a `SELECT` of the row a check
    /// reads before the write it decides: a second transaction then waits
    /// for the first and sees its write (check-then-act without a race).
    /// Nothing on SQLite, whose write transactions (`BEGIN IMMEDIATE`)
    /// already run one at a time.
    pub fn for_update(&self) -> &'static str {
        match self.engine {
            Engine::Sqlite => "",
            Engine::Postgres => " FOR UPDATE",
        }
    }

    pub async fn ping(&self) -> sqlx::Result<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

/// Whether `e` means the database cannot be used for now (PostgreSQL gone
/// or restarting, no connection within the pool's wait, SQLite's disk full
/// or failing, a lock held too long) rather than that the request or the
/// server is wrong: the request may be sent again later, unchanged.
pub fn unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(d) => {
            if let Some(pg) = d.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                // Connection exception, insufficient resources (disk full,
                // too many connections), operator intervention (shutdown).
                let code = pg.code();
                code.starts_with("08") || code.starts_with("53") || code.starts_with("57P")
            } else if d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                // The extended result code; its low byte is the primary one.
                let primary = d
                    .code()
                    .and_then(|c| c.parse::<i32>().ok())
                    .map(|c| c & 0xff);
                // BUSY, LOCKED, NOMEM, IOERR, FULL, CANTOPEN.
                matches!(primary, Some(5 | 6 | 7 | 10 | 13 | 14))
            } else {
                false
            }
        }
        _ => false,
    }
}

/// How long a request waits for a database connection before it is
/// answered "unavailable, try again" (`503`) instead of hanging.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// `sqlite://data/suara.db` → a URL that creates the file, with its directory made.
fn sqlite_url(url: &str) -> anyhow::Result<String> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:" {
        if let Some(dir) = Path::new(path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create directory {}", dir.display()))?;
        }
    }
    let mut url = format!("sqlite://{path}");
    let mut params: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    if !params.iter().any(|p| p.starts_with("mode=")) {
        params.push("mode=rwc");
    }
    url.push('?');
    url.push_str(&params.join("&"));
    Ok(url)
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}://{user}:***@{}", &url[..s], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

pub fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

pub fn ms_to_datetime(ms: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

pub fn datetime_to_ms(t: time::OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

/// Reads a UUID stored as text.
pub fn uuid_col(row: &AnyRow, col: &str) -> sqlx::Result<uuid::Uuid> {
    let s: String = row.try_get(col)?;
    s.parse().map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// The SHA-256 of `data`, in lowercase hex.
pub fn sha256_hex(data: impl AsRef<[u8]>) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(data.as_ref()))
}

/// `$1, $2, …` on PostgreSQL; `?` on SQLite, which looks each named
/// parameter up by walking a list (binding thousands of them was two thirds
/// of ingest's time) where its anonymous `?` binds in order at no cost.
pub(crate) struct Marks {
    anonymous: bool,
    n: usize,
}

impl Marks {
    pub(crate) fn new(c: &AnyConnection) -> Self {
        Self {
            anonymous: c.backend_name() == "SQLite",
            n: 0,
        }
    }

    /// PostgreSQL's numbered placeholders, whatever the connection.
    #[cfg(test)]
    pub(crate) fn numbered() -> Self {
        Self {
            anonymous: false,
            n: 0,
        }
    }

    /// `count` placeholders, comma-separated.
    pub(crate) fn take(&mut self, count: usize) -> String {
        (0..count)
            .map(|_| {
                self.n += 1;
                if self.anonymous {
                    "?".to_owned()
                } else {
                    format!("${}", self.n)
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `(…), (…)`: `rows` groups of `width` placeholders, for a multi-row
    /// `VALUES` list.
    pub(crate) fn rows(&mut self, rows: usize, width: usize) -> String {
        (0..rows)
            .map(|_| format!("({})", self.take(width)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_create_files() {
        assert_eq!(
            sqlite_url("sqlite://x.db").unwrap(),
            "sqlite://x.db?mode=rwc"
        );
        assert_eq!(
            sqlite_url("sqlite:x.db?mode=ro").unwrap(),
            "sqlite://x.db?mode=ro"
        );
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/d"),
            "postgres://u:***@h:5432/d"
        );
        assert_eq!(redact("sqlite://a.db"), "sqlite://a.db");
    }
}
