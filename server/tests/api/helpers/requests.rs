//! What a test's requests are made of and how their answers are read.

/// Who a request of a test is from.
#[derive(Clone, Copy)]
pub enum As<'a> {
    Nobody,
    /// An API token (`Authorization: Bearer`).
    Token(&'a str),
    /// A browser's session cookie (`suara_session=…`).
    Cookie(&'a str),
}

impl As<'_> {
    pub fn on(self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self {
            Self::Nobody => req,
            Self::Token(t) => req.bearer_auth(t),
            Self::Cookie(c) => req.header("cookie", c),
        }
    }
}

/// A valid response to `service_id` (on skm-2017) with the given id and scores.
pub fn response(id: &str, service_id: &str, scores: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "service_id": service_id,
        "questionnaire_id": "skm-2017",
        "questionnaire_version": 1,
        "answered_at": "2026-11-20T09:15:00+07:00",
        "channel": "phone",
        "scores": scores,
        "device_id": uuid::Uuid::new_v4().to_string(),
    })
}

/// A request sent, which must reach the server.
pub trait Sent {
    async fn sent(self) -> reqwest::Response;
}

impl Sent for reqwest::RequestBuilder {
    async fn sent(self) -> reqwest::Response {
        self.send().await.unwrap()
    }
}

/// `resp` is a problem document (RFC 9457) with `status` and a detail, and
/// sets no cookie; its body.
pub async fn problem(resp: reqwest::Response, status: u16) -> serde_json::Value {
    assert_eq!(resp.status(), status);
    assert_eq!(resp.headers()["content-type"], "application/problem+json");
    assert!(resp.headers().get("set-cookie").is_none());
    let p: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(p["status"], status);
    assert!(!p["detail"].as_str().unwrap().is_empty());
    p
}

/// Where a redirect sends the browser.
pub fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

/// Runs the `suara` command line, with `SUARA_TOKEN` when given: its standard
/// output when it succeeds, its standard error when it fails.
pub fn suara<S: AsRef<std::ffi::OsStr>>(
    args: impl IntoIterator<Item = S>,
    token: Option<&str>,
) -> Result<String, String> {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_suara"));
    cmd.args(args);
    if let Some(token) = token {
        cmd.env("SUARA_TOKEN", token);
    }
    let out = cmd.output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    if out.status.success() {
        Ok(text(&out.stdout))
    } else {
        Err(text(&out.stderr))
    }
}

pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The header row of a CSV document being read.
pub fn csv_header<R: std::io::Read>(reader: &mut csv::Reader<R>) -> Vec<String> {
    reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect()
}
