//! `spawn_app`: the real server on a free port, over a fresh database.

mod database;
mod replica;
mod requests;
mod smtp;

pub use database::EmptyDatabase;
use database::{drop_database, remove_database};
pub use replica::{free_port, Replica};
pub use requests::{csv_header, location, new_id, problem, response, suara, As, Sent};
pub use smtp::{Received, Smtp};

use suara::auth::Role;
use suara::store::Store;

#[derive(Clone, Copy, Debug)]
pub enum Db {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub store: Store,
    /// What `suara --database-url` takes to reach the same database.
    pub database_url: String,
    pub http: reqwest::Client,
    cleanup: Option<(String, String)>,
    sqlite_file: Option<std::path::PathBuf>,
}

pub async fn spawn_app(db: Db) -> TestApp {
    TestApp::builder().spawn(db).await
}

/// How a test's server is made: the defaults (the built site, the default
/// rate limits, the integrity rules of [`replaying`], the default pool),
/// each changed by name, in the manner of crates.io's `TestApp::builder()`.
pub struct TestAppBuilder {
    config: suara::Config,
    connections: Option<u32>,
    default_rules: bool,
}

impl TestApp {
    pub fn builder() -> TestAppBuilder {
        TestAppBuilder {
            config: suara::Config::new(""),
            connections: None,
            default_rules: false,
        }
    }
}

impl TestAppBuilder {
    /// The site served (default `target/site`).
    pub fn site_root(mut self, dir: &str) -> Self {
        self.config.site_root = dir.to_owned();
        self
    }

    /// Where citizens open Suara (default: the server's own address).
    pub fn public_url(mut self, url: &str) -> Self {
        self.config.public_url = Some(url.to_owned());
        self
    }

    pub fn limits(mut self, limits: suara::RateLimits) -> Self {
        self.config.limits = limits;
        self
    }

    /// A pool of at most `n` database connections.
    pub fn connections(mut self, n: u32) -> Self {
        self.connections = Some(n);
        self
    }

    /// Notifications go out through `smtp` (the server itself sends none:
    /// a test runs the sender, see `notifications.rs`).
    pub fn mail(mut self, smtp: &Smtp) -> Self {
        self.config.mail = Some(suara::config::MailConfig {
            smtp_url: smtp.url(),
            from: "Suara Test <suara@test.example>".into(),
        });
        self
    }

    /// `/metrics` on, for a scraper with `token`.
    pub fn metrics_token(mut self, token: &str) -> Self {
        self.config.metrics_token = Some(token.to_owned());
        self
    }

    /// The integrity monitor's default rules (no replaying of fixed days).
    pub fn default_rules(mut self) -> Self {
        self.default_rules = true;
        self
    }

    /// The server over a fresh, migrated database with the demo catalogue.
    pub async fn spawn(self, db: Db) -> TestApp {
        let fresh = EmptyDatabase::new(db).await;
        let store = Store::connect_sized(&fresh.url, self.connections)
            .await
            .expect("connect to test database");
        let store = if self.default_rules {
            store
        } else {
            store.with_integrity_rules(replaying())
        };
        store.migrate().await.expect("migrate");
        suara::seed::demo(&store).await.expect("seed demo");
        fresh.serve(store, self.config).await
    }
}

/// The integrity rules of the test servers: the defaults, except that the
/// fixtures' fixed days (`2026-11-20`, …) are never back-dated, however long
/// after them the suite runs (`integrity.rs` checks the default).
pub fn replaying() -> app::domain::integrity::Rules {
    app::domain::integrity::Rules {
        backdated_days: 1_000_000,
        ..Default::default()
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn catalog(&self) -> serde_json::Value {
        self.http
            .get(self.url("/api/v1/catalog"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// The id of the service with `code`.
    pub async fn service_id(&self, code: &str) -> String {
        let c = self.catalog().await;
        for a in c["agencies"].as_array().unwrap() {
            for u in a["units"].as_array().unwrap() {
                for s in u["services"].as_array().unwrap() {
                    if s["code"] == code {
                        return s["id"].as_str().unwrap().to_owned();
                    }
                }
            }
        }
        panic!("no service {code}")
    }

    pub async fn post_batch(&self, responses: Vec<serde_json::Value>) -> reqwest::Response {
        self.http
            .post(self.url("/api/v1/responses"))
            .json(&serde_json::json!({ "responses": responses }))
            .send()
            .await
            .unwrap()
    }

    pub async fn post_results(&self, responses: Vec<serde_json::Value>) -> Vec<serde_json::Value> {
        let r = self.post_batch(responses).await;
        assert_eq!(r.status(), 200);
        let v: serde_json::Value = r.json().await.unwrap();
        v["results"].as_array().unwrap().clone()
    }

    /// A bearer token for a new account with `role`.
    pub async fn token(&self, role: Role, units: &[&str]) -> String {
        let email = format!("{}@test.example", uuid::Uuid::new_v4().simple());
        let units: Vec<String> = units.iter().map(|u| u.to_string()).collect();
        self.store
            .add_account(&email, role, "long enough password", &units)
            .await
            .unwrap();
        self.store.create_api_token(&email).await.unwrap()
    }

    /// A session cookie header value for a new account with `role`.
    pub async fn session_cookie(&self, role: Role, units: &[&str]) -> String {
        let email = format!("{}@test.example", uuid::Uuid::new_v4().simple());
        let units: Vec<String> = units.iter().map(|u| u.to_string()).collect();
        let id = self
            .store
            .add_account(&email, role, "long enough password", &units)
            .await
            .unwrap();
        format!(
            "suara_session={}",
            self.store.create_session(id).await.unwrap()
        )
    }

    /// Posts the sign-in form as a browser on Suara's own page does.
    pub async fn sign_in(&self, email: &str, password: &str) -> reqwest::Response {
        self.sign_in_then(email, password, None).await
    }

    /// Posts the sign-in form, with the page to go to afterwards (`next`).
    pub async fn sign_in_then(
        &self,
        email: &str,
        password: &str,
        next: Option<&str>,
    ) -> reqwest::Response {
        let mut form = vec![("email", email), ("password", password)];
        form.extend(next.map(|n| ("next", n)));
        self.http
            .post(self.url("/login"))
            .header("origin", self.url(""))
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// The body of `GET path`, sent with a `Cookie` header (may be empty).
    pub async fn get_text(&self, path: &str, cookie: &str) -> String {
        let mut req = self.http.get(self.url(path));
        if !cookie.is_empty() {
            req = req.header("cookie", cookie);
        }
        req.send().await.unwrap().text().await.unwrap()
    }

    /// Where `GET path` without a session sends the browser: the status and
    /// `Location`.
    pub async fn signed_out_redirect(&self, path: &str) -> (u16, String) {
        let r = self.http.get(self.url(path)).send().await.unwrap();
        let to = r
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (r.status().as_u16(), to)
    }

    /// `GET path` as `who`.
    pub async fn get(&self, path: &str, who: As<'_>) -> reqwest::Response {
        who.on(self.http.get(self.url(path))).sent().await
    }

    /// `POST path` as Suara's own pages send it (same `Origin`), as `who`.
    pub fn post(&self, path: &str, who: As<'_>) -> reqwest::RequestBuilder {
        who.on(self.http.post(self.url(path)))
            .header("origin", self.url(""))
    }

    /// Posts a form as a browser on Suara's own page does, as `who`.
    pub async fn post_form<F: serde::Serialize + ?Sized>(
        &self,
        path: &str,
        who: As<'_>,
        form: &F,
    ) -> reqwest::Response {
        self.post(path, who).form(form).sent().await
    }

    /// `SELECT COUNT(*) … WHERE … = $1` with `bind` as its one parameter.
    pub async fn count(&self, sql: &str, bind: &str) -> i64 {
        let row = sqlx::query(sql)
            .bind(bind)
            .fetch_one(self.store.pool())
            .await
            .unwrap();
        sqlx::Row::get(&row, 0)
    }

    /// The audit log's last administrative changes, newest first: sign-ins
    /// are in the log too, and left out.
    pub async fn audited_changes(&self) -> Vec<app::model::audit::AuditView> {
        let log = self.store.audit_log(20).await.unwrap();
        log.into_iter().filter(|e| e.action != "sign-in").collect()
    }

    /// `GET /api/v1/summary?{query}` (`unit=…&by=month`) as `who`.
    pub async fn summary(&self, query: &str, who: As<'_>) -> reqwest::Response {
        let url = self.url(&format!(
            "/api/v1/summary?{}",
            query.trim_start_matches('?')
        ));
        who.on(self.http.get(url)).send().await.unwrap()
    }

    /// The figures `query` asks for, as `who`, which must be answered.
    pub async fn summary_json(&self, query: &str, who: As<'_>) -> serde_json::Value {
        let r = self.summary(query, who).await;
        assert_eq!(r.status(), 200, "summary?{query}");
        r.json().await.unwrap()
    }

    pub async fn export(&self, token: &str, query: &str) -> reqwest::Response {
        self.http
            .get(self.url(&format!("/api/v1/export.csv{query}")))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    /// Drops the PostgreSQL database of this test.
    pub async fn finish(mut self) {
        // `close` waits for checked-out connections; a server task that still
        // holds one must not hang the suite (PostgreSQL's FORCE drop ends it).
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(10),
            self.store.pool().close(),
        )
        .await;
        self.remove_sqlite_files();
        if let Some((admin, name)) = self.cleanup.take() {
            drop_database(&admin, &name).await;
        }
    }

    fn remove_sqlite_files(&mut self) {
        database::remove_sqlite_files(self.sqlite_file.take());
    }
}

/// A test that failed before `finish` still removes its database.
impl Drop for TestApp {
    fn drop(&mut self) {
        self.remove_sqlite_files();
        remove_database(self.cleanup.take());
    }
}

/// Runs each named case against SQLite and against PostgreSQL.
#[macro_export]
macro_rules! both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::helpers::Db::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::helpers::Db::Postgres).await
                }
            )*
        }
    };
}
