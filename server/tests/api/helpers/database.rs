//! Test databases: made fresh for each test, removed when it is over, even
//! when it failed.

use super::{Db, TestApp};
use std::net::SocketAddr;
use suara::store::Store;

/// The PostgreSQL server tests use: `SUARA_TEST_PG_URL`, a URL whose role may
/// create databases (`make test` sets it up). Without it the PostgreSQL tests
/// fail loudly rather than pass without having run.
fn pg_admin_url() -> String {
    std::env::var("SUARA_TEST_PG_URL").unwrap_or_else(|_| {
        panic!(
            "SUARA_TEST_PG_URL is not set: the PostgreSQL half of the suite cannot run. \
             Run `make test`, which starts PostgreSQL and sets it."
        )
    })
}

/// A new database with nothing in it, removed when the test is over (once
/// served, by its [`TestApp`]).
pub struct EmptyDatabase {
    /// What `suara --database-url` takes to reach it.
    pub url: String,
    cleanup: Option<(String, String)>,
    sqlite_file: Option<std::path::PathBuf>,
}

impl EmptyDatabase {
    /// A database someone else keeps (nothing removed afterwards).
    pub fn existing(url: &str) -> Self {
        Self {
            url: url.to_owned(),
            cleanup: None,
            sqlite_file: None,
        }
    }

    pub async fn new(db: Db) -> Self {
        match db {
            Db::Sqlite => {
                let path =
                    std::env::temp_dir().join(format!("suara-test-{}.db", uuid::Uuid::new_v4()));
                Self {
                    url: format!("sqlite://{}", path.display()),
                    cleanup: None,
                    sqlite_file: Some(path),
                }
            }
            Db::Postgres => {
                let admin = pg_admin_url();
                let name = format!("suara_test_{}", uuid::Uuid::new_v4().simple());
                let admin_store = Store::connect(&admin)
                    .await
                    .expect("connect to PostgreSQL as the test role");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(admin_store.pool())
                    .await
                    .expect("create test database");
                admin_store.pool().close().await;
                let (prefix, _) = admin.rsplit_once('/').expect("database URL has a path");
                Self {
                    url: format!("{prefix}/{name}"),
                    cleanup: Some((admin, name)),
                    sqlite_file: None,
                }
            }
        }
    }

    /// The server over this database (already migrated into `store`).
    /// The server as `config` says (its database and address aside: this
    /// database, a free port).
    pub async fn serve(mut self, store: Store, config: suara::Config) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let config = suara::Config {
            database_url: self.url.clone(),
            addr,
            ..config
        };
        let router = suara::app_router(store.clone(), &config, addr);
        tokio::spawn(suara::serve_router(
            listener,
            router,
            std::future::pending(),
        ));
        TestApp {
            base: format!("http://{addr}"),
            store,
            database_url: std::mem::take(&mut self.url),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cleanup: self.cleanup.take(),
            sqlite_file: self.sqlite_file.take(),
        }
    }
}

pub(super) async fn drop_database(admin: &str, name: &str) {
    let admin = Store::connect(admin).await.unwrap();
    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(admin.pool())
        .await;
}

/// A database never served is removed as well.
impl Drop for EmptyDatabase {
    fn drop(&mut self) {
        remove_sqlite_files(self.sqlite_file.take());
        remove_database(self.cleanup.take());
    }
}

/// Drops a PostgreSQL test database from a thread of its own (this may run
/// inside the test's runtime).
pub(super) fn remove_database(cleanup: Option<(String, String)>) {
    if let Some((admin, name)) = cleanup {
        let _ = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(drop_database(&admin, &name))
        })
        .join();
    }
}
/// Removes a SQLite test database with its journal files.
pub(super) fn remove_sqlite_files(file: Option<std::path::PathBuf>) {
    if let Some(path) = file {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
}
