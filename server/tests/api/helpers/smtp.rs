//! A real SMTP server for the notification tests: `aiosmtpd` (PyPI, in the
//! virtualenv `make test` keeps at `target/py`), writing every message it
//! takes into a Maildir the test reads and parses.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The SMTP server, stopped when dropped.
pub struct Smtp {
    pub port: u16,
    maildir: tempfile::TempDir,
    child: Option<Child>,
}

/// A message the server took, parsed.
#[derive(Clone, Debug)]
pub struct Received {
    pub to: String,
    pub subject: String,
    pub message_id: String,
    pub list_unsubscribe: String,
    pub list_unsubscribe_post: String,
    pub text: String,
    pub html: String,
}

impl Received {
    /// The unsubscribe link between `<` and `>`.
    pub fn unsubscribe_url(&self) -> String {
        self.list_unsubscribe
            .trim_start_matches('<')
            .trim_end_matches('>')
            .to_owned()
    }
}

fn python() -> PathBuf {
    let venv = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/py/bin/python");
    let path = std::env::var_os("SUARA_PYTHON").map_or_else(|| PathBuf::from(venv), PathBuf::from);
    assert!(
        path.exists(),
        "{} is missing: run `make test`, which installs aiosmtpd into target/py",
        path.display()
    );
    path
}

impl Smtp {
    pub async fn start() -> Self {
        let mut s = Self {
            port: super::free_port(),
            maildir: tempfile::tempdir().unwrap(),
            child: None,
        };
        s.restart().await;
        s
    }

    /// `smtp://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Stops taking mail: the port refuses connections.
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Takes mail again, on the same port, into the same Maildir.
    pub async fn restart(&mut self) {
        self.stop();
        let child = Command::new(python())
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{}", self.port))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(self.maildir.path().join("box"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts (make test installs it)");
        self.child = Some(child);
        let started = Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .is_err()
        {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "aiosmtpd did not listen"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Every message taken so far, in no particular order.
    pub fn received(&self) -> Vec<Received> {
        let dir = self.maildir.path().join("box/new");
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        entries
            .map(|e| parse(&std::fs::read(e.unwrap().path()).unwrap()))
            .collect()
    }

    /// Waits until at least `n` messages were taken (at most `within`),
    /// then a little longer, and returns all of them: a message sent twice
    /// would be among them.
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<Received> {
        let started = Instant::now();
        while self.received().len() < n {
            assert!(
                started.elapsed() < within,
                "{} of {n} messages arrived within {within:?}",
                self.received().len()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tokio::time::sleep(Duration::from_millis(2500)).await;
        self.received()
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        self.stop();
    }
}

fn parse(raw: &[u8]) -> Received {
    let m = mailparse::parse_mail(raw).expect("a message");
    let h = |name: &str| {
        m.headers
            .iter()
            .find(|x| x.get_key_ref().eq_ignore_ascii_case(name))
            .map(|x| x.get_value())
            .unwrap_or_default()
    };
    let (mut text, mut html) = (String::new(), String::new());
    for part in m.subparts.iter() {
        match part.ctype.mimetype.as_str() {
            "text/plain" => text = part.get_body().unwrap(),
            "text/html" => html = part.get_body().unwrap(),
            _ => {}
        }
    }
    Received {
        to: h("X-RcptTo"),
        subject: h("Subject"),
        message_id: h("Message-ID"),
        list_unsubscribe: h("List-Unsubscribe"),
        list_unsubscribe_post: h("List-Unsubscribe-Post"),
        text,
        html,
    }
}
