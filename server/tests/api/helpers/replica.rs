//! Replicas: `suara serve` processes beside a test's own server.

use super::*;

/// A `suara serve` process on a test's database, killed when dropped.
pub struct Replica {
    child: std::process::Child,
    /// The same database, reached through this process.
    pub app: TestApp,
}

impl Replica {
    /// Starts `suara serve` on `app`'s database with the environment `env`,
    /// and waits until it answers.
    pub async fn start(app: &TestApp, env: &[(&str, &str)]) -> Self {
        let port = free_port();
        Self::start_on(app, &app.database_url, port, env).await
    }

    /// Starts `suara serve` on `port` over the database at `url` (which
    /// `app` reaches too, maybe by another way), and waits until it answers.
    pub async fn start_on(app: &TestApp, url: &str, port: u16, env: &[(&str, &str)]) -> Self {
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_suara"))
            .args(["--database-url", url, "serve", "--addr"])
            .arg(format!("127.0.0.1:{port}"))
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("suara serve starts");
        let replica = Self {
            child,
            app: TestApp {
                base: format!("http://127.0.0.1:{port}"),
                store: app.store.clone(),
                database_url: app.database_url.clone(),
                http: app.http.clone(),
                cleanup: None,
                sqlite_file: None,
            },
        };
        let up = async {
            while !replica
                .app
                .http
                .get(replica.app.url("/healthz"))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(30), up)
            .await
            .expect("suara serve answers within 30 s");
        replica
    }

    /// Sends the process a signal (`TERM`, `KILL`, …).
    pub fn signal(&self, name: &str) {
        let sent = std::process::Command::new("kill")
            .args(["-s", name, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success(), "kill -s {name}");
    }

    /// Waits up to `within` for the process to end: its exit status.
    pub async fn exited(&mut self, within: std::time::Duration) -> std::process::ExitStatus {
        let started = std::time::Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                started.elapsed() < within,
                "suara serve still running after {within:?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}

/// A port nothing listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
