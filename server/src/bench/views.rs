//! `suara bench views`: how long a unit head waits for each view they open —
//! the summary API with its series, breakdowns and change, the dashboard's
//! tabs, the SKM report — over HTTP from Suara's own server on loopback,
//! against the server's floor (`GET /healthz`) measured in the same rounds.

use super::{busiest_unit, ms, percentile, responses_per_unit};
use crate::auth::Role;
use crate::store::accounts::{AccountError, NewAccount};
use crate::store::Store;
use sqlx::Row;
use std::time::{Duration, Instant};

/// One view's timings.
#[derive(Debug)]
pub struct ViewTiming {
    pub name: &'static str,
    pub path: String,
    /// Sorted.
    pub times: Vec<Duration>,
    /// The body's size, uncompressed.
    pub bytes: usize,
}

impl ViewTiming {
    pub fn p50(&self) -> Duration {
        percentile(&self.times, 50)
    }

    pub fn p95(&self) -> Duration {
        percentile(&self.times, 95)
    }
}

/// What `suara bench views` measured.
#[derive(Debug)]
pub struct ViewFigures {
    pub unit: String,
    /// Responses with scores, in all and in the unit.
    pub responses: u64,
    pub unit_responses: u64,
    /// The baseline first, then each view.
    pub views: Vec<ViewTiming>,
}

impl ViewFigures {
    /// A Markdown table: p50, p95 and p50 against the baseline's p50.
    pub fn table(&self) -> String {
        let base = ms(self.views[0].p50());
        let mut out = String::from(
            "| view | p50 ms | p95 ms | p50 ÷ server floor | body |\n|---|---|---|---|---|\n",
        );
        for v in &self.views {
            out.push_str(&format!(
                "| {} (`{}`) | {:.1} | {:.1} | {:.1}× | {:.0} KB |\n",
                v.name,
                v.path,
                ms(v.p50()),
                ms(v.p95()),
                ms(v.p50()) / base,
                v.bytes as f64 / 1e3,
            ));
        }
        out
    }
}

/// A member of staff for the bench (made once, with a password nobody
/// knows), signed in: `unit`'s head, or an administrator without one.
async fn bench_session(store: &Store, unit: Option<&str>) -> anyhow::Result<String> {
    let (email, role, units) = match unit {
        Some(u) => (
            format!("bench-{u}@bench.invalid"),
            Role::UnitHead,
            vec![u.to_owned()],
        ),
        None => ("bench-admin@bench.invalid".to_owned(), Role::Admin, vec![]),
    };
    let password = uuid::Uuid::new_v4().simple().to_string();
    let new = NewAccount::parse(&email, role, &password, &units)?;
    let id = match store.create_account(None, new).await {
        Ok(id) => id,
        Err(AccountError::EmailTaken(_)) => {
            let id: String = sqlx::query("SELECT id FROM accounts WHERE email = $1")
                .bind(email.as_str())
                .fetch_one(store.pool())
                .await?
                .try_get("id")?;
            id.parse()?
        }
        Err(e) => return Err(e.into()),
    };
    Ok(store.create_session(id).await?)
}

/// Times every view of `unit` (default: the busiest) `iterations` times,
/// the views taking turns so that each sees the same state of the caches.
/// The overview timed just after a write, when its kept table is computed
/// anew (every other round of it reads the kept one).
const RECOMPUTED: &str = "regency overview, just after a change";

pub async fn views(
    store: &Store,
    site_root: &str,
    unit: Option<String>,
    iterations: usize,
) -> anyhow::Result<ViewFigures> {
    let unit = match unit {
        Some(u) => u,
        None => busiest_unit(store).await?,
    };
    let per_unit = responses_per_unit(store).await?;
    let responses = per_unit.values().sum();
    let unit_responses = per_unit.get(&unit).copied().unwrap_or(0);
    let session = bench_session(store, Some(&unit)).await?;
    let admin = bench_session(store, None).await?;
    let today = time::OffsetDateTime::now_utc().date();
    let summary = format!("/api/v1/summary?unit={unit}");
    let paths: Vec<(&'static str, String)> = vec![
        ("server floor", "/healthz".into()),
        ("summary", summary.clone()),
        ("summary by month", format!("{summary}&by=month")),
        ("summary by week", format!("{summary}&by=week")),
        ("by month, by sex", format!("{summary}&by=month&group=sex")),
        (
            "by quarter, by age",
            format!("{summary}&by=quarter&group=age_band"),
        ),
        (
            "last 90 days by week",
            format!(
                "{summary}&by=week&from={}",
                today - time::Duration::days(89)
            ),
        ),
        ("dashboard", "/dashboard".into()),
        ("dashboard, equity", "/dashboard?tab=equity".into()),
        (
            "dashboard, weekly trend",
            "/dashboard?tab=trend&by=week".into(),
        ),
        (
            "SKM report, this year",
            format!("/reports/skm?unit={unit}&period={}", today.year()),
        ),
        // An administrator's: every unit of the regency.
        ("regency overview", "/ikhtisar".into()),
        ("regency overview, CSV", "/ikhtisar.csv".into()),
        // The table is kept for many readers; after any write it is
        // computed anew, as here.
        (RECOMPUTED, "/ikhtisar".into()),
    ];

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    // The views are measured, not the limits a flood from one address meets.
    let config = crate::Config {
        site_root: site_root.to_owned(),
        limits: crate::RateLimits::off(),
        ..crate::Config::new("")
    };
    let router = crate::app_router(store.clone(), &config, addr);
    let server = tokio::spawn(crate::serve_router(
        listener,
        router,
        std::future::pending(),
    ));
    let http = reqwest::Client::new();
    let cookie = format!("suara_session={session}");
    let admin_cookie = format!("suara_session={admin}");
    let get = |path: &str| {
        let who = if path.starts_with("/ikhtisar") {
            &admin_cookie
        } else {
            &cookie
        };
        http.get(format!("http://{addr}{path}"))
            .header("cookie", who.as_str())
            .send()
    };

    let mut out: Vec<ViewTiming> = paths
        .into_iter()
        .map(|(name, path)| ViewTiming {
            name,
            path,
            times: Vec::with_capacity(iterations),
            bytes: 0,
        })
        .collect();
    // One round to warm up, in which every view must answer 200.
    for round in 0..=iterations.max(1) {
        for v in &mut out {
            if v.name == RECOMPUTED {
                store.wrote();
            }
            let started = Instant::now();
            let r = get(&v.path).await?;
            let status = r.status();
            let body = r.bytes().await?;
            let took = started.elapsed();
            if round == 0 {
                anyhow::ensure!(
                    status.is_success(),
                    "{} answered {status}: {}",
                    v.path,
                    String::from_utf8_lossy(&body[..body.len().min(300)])
                );
                v.bytes = body.len();
            } else {
                v.times.push(took);
            }
        }
    }
    server.abort();
    for v in &mut out {
        v.times.sort();
    }
    Ok(ViewFigures {
        unit,
        responses,
        unit_responses,
        views: out,
    })
}
