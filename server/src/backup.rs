//! `suara backup FILE` and `suara restore FILE`.
//!
//! - **SQLite**: `VACUUM INTO` writes a consistent copy of the database as it
//!   was when the statement began, while the server goes on serving (it is a
//!   read transaction: writers are not blocked in WAL mode). Restoring checks
//!   that the file is a sound Suara database (`PRAGMA integrity_check`, its
//!   migrations table), then puts it in place of the target file by rename,
//!   so a crash midway leaves the old file or the new one, never half of one.
//!   The server must be stopped while a SQLite database is restored.
//! - **PostgreSQL**: `pg_dump --format=custom` (a consistent snapshot, safe
//!   while serving) and `pg_restore --single-transaction` into the target
//!   database (all or nothing). PostgreSQL's client programs must be on
//!   `PATH`, at the server's major version or newer.
//!
//! Restoring over a database that holds responses is refused unless told
//! `replace`. Either way the restored database is migrated to this build's
//! schema and described (responses, complaints, the chain head), so the
//! operator can compare it with what `backup` printed.

use crate::store::{Engine, Store};
use anyhow::{bail, Context};
use sqlx::Row as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What a database holds, as `backup` and `restore` print it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents {
    pub responses: i64,
    pub complaints: i64,
    pub chain_seq: i64,
    pub chain_hash: String,
}

impl std::fmt::Display for Contents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} responses, {} complaints, chain head {} ({})",
            self.responses, self.complaints, self.chain_seq, self.chain_hash
        )
    }
}

/// What `store` holds now.
pub async fn contents(store: &Store) -> anyhow::Result<Contents> {
    let mut conn = store.pool().acquire().await?;
    contents_in(&mut conn).await
}

/// What a connection sees (inside its transaction, if any).
async fn contents_in(conn: &mut sqlx::AnyConnection) -> anyhow::Result<Contents> {
    let mut count = async |table: &str| {
        sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&mut *conn)
            .await
            .with_context(|| format!("counting {table}"))
    };
    let responses = count("responses").await?;
    let complaints = count("complaints").await?;
    let head = sqlx::query("SELECT seq, chain_hash FROM chain_head WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    Ok(Contents {
        responses,
        complaints,
        chain_seq: head.try_get("seq")?,
        chain_hash: head.try_get("chain_hash")?,
    })
}

/// Writes a backup of the database at `url` to `file` (which must not
/// exist), and says what it holds.
pub async fn backup(url: &str, file: &Path) -> anyhow::Result<Contents> {
    if file.exists() {
        bail!("{} exists already; choose a new file", file.display());
    }
    let store = Store::connect(url).await?;
    match store.engine() {
        Engine::Sqlite => {
            // The copy and the description come from one read transaction
            // would be ideal; VACUUM INTO cannot run inside one, so the
            // description is read from the copy itself.
            sqlx::query("VACUUM INTO $1")
                .bind(file.to_string_lossy().into_owned())
                .execute(store.pool())
                .await
                .with_context(|| format!("writing {}", file.display()))?;
            store.pool().close().await;
            let copy = Store::connect(&sqlite_url(file)).await?;
            let described = contents(&copy).await;
            copy.pool().close().await;
            described
        }
        Engine::Postgres => {
            // pg_dump reads the snapshot of a transaction that also counts
            // what it holds: the description is exactly the dump's.
            let mut tx = store.pool().begin().await?;
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(&mut *tx)
                .await?;
            let snapshot: String = sqlx::query_scalar("SELECT pg_export_snapshot()")
                .fetch_one(&mut *tx)
                .await?;
            let held = contents_in(&mut tx).await?;
            let mut dump = Command::new("pg_dump");
            dump.args(["--format=custom", "--no-owner", "--no-privileges"])
                .arg(format!("--snapshot={snapshot}"))
                .arg("--file")
                .arg(file)
                .arg(format!("--dbname={url}"));
            tokio::task::spawn_blocking(move || run(&mut dump)).await??;
            tx.commit().await?;
            store.pool().close().await;
            describe_dump(file)?;
            Ok(held)
        }
    }
}

/// Restores `file` (from [`backup`]) into the database at `url`, migrates it
/// and says what it holds. `replace`: even when the target holds responses.
pub async fn restore(url: &str, file: &Path, replace: bool) -> anyhow::Result<Contents> {
    if !file.is_file() {
        bail!("{} is not a file", file.display());
    }
    let target = Store::connect(url).await?;
    let held = responses_held(&target).await;
    let engine = target.engine();
    let sqlite_file = target.sqlite_file().map(Path::to_owned);
    target.pool().close().await;
    if held > 0 && !replace {
        bail!(
            "the target database holds {held} responses; restoring would replace them. \
             Say --replace if that is what you want"
        );
    }
    match engine {
        Engine::Sqlite => {
            let target = sqlite_file.context("an in-memory database cannot be restored into")?;
            restore_sqlite(&target, file).await?
        }
        Engine::Postgres => {
            describe_dump(file)?;
            run(Command::new("pg_restore")
                .args([
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                ])
                .arg(format!("--dbname={url}"))
                .arg(file))?;
        }
    }
    let store = Store::connect(url).await?;
    store.migrate().await?;
    let restored = contents(&store).await;
    store.pool().close().await;
    restored
}

/// Responses in a database that may not have Suara's schema yet.
async fn responses_held(store: &Store) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM responses")
        .fetch_one(store.pool())
        .await
        .unwrap_or(0)
}

async fn restore_sqlite(target: &Path, file: &Path) -> anyhow::Result<()> {
    // The backup must be a sound Suara database before anything is touched.
    let copy = Store::connect(&format!("{}?mode=ro", sqlite_url(file))).await?;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(copy.pool())
        .await
        .with_context(|| format!("{} is not a SQLite database", file.display()))?;
    if check != "ok" {
        bail!("{} is damaged: {check}", file.display());
    }
    let migrated: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(copy.pool())
        .await
        .with_context(|| format!("{} is not a Suara database", file.display()))?;
    copy.pool().close().await;
    if migrated == 0 {
        bail!("{} is not a Suara database", file.display());
    }
    let staged = target.with_extension("restoring");
    std::fs::copy(file, &staged).with_context(|| format!("copying to {}", staged.display()))?;
    std::fs::File::open(&staged)?.sync_all()?;
    // The old file's write-ahead log belongs to the old file.
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", target.display()));
        if side.exists() {
            std::fs::remove_file(&side).with_context(|| format!("removing {}", side.display()))?;
        }
    }
    std::fs::rename(&staged, target)
        .with_context(|| format!("putting the backup in place of {}", target.display()))?;
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// `pg_restore --list` reads the dump's table of contents: a file that is
/// not a dump is refused before the target is touched.
fn describe_dump(file: &Path) -> anyhow::Result<()> {
    let out = Command::new("pg_restore")
        .arg("--list")
        .arg(file)
        .output()
        .context("pg_restore (PostgreSQL's client programs) is not installed")?;
    if !out.status.success() {
        bail!(
            "{} is not a PostgreSQL dump: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let toc = String::from_utf8_lossy(&out.stdout);
    if !toc.contains("TABLE DATA public responses") {
        bail!("{} is not a dump of a Suara database", file.display());
    }
    Ok(())
}

fn run(cmd: &mut Command) -> anyhow::Result<()> {
    let program = cmd.get_program().to_string_lossy().into_owned();
    let out = cmd
        .output()
        .with_context(|| format!("{program} (PostgreSQL's client programs) is not installed"))?;
    if !out.status.success() {
        bail!(
            "{program} failed: {}",
            crate::store::redact(String::from_utf8_lossy(&out.stderr).trim())
        );
    }
    Ok(())
}

fn sqlite_url(file: &Path) -> String {
    format!("sqlite://{}", file.display())
}
