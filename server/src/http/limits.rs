//! Rate limits on what anyone may ask without an account.
//!
//! Three budgets per client address, each a token bucket (GCRA, from the
//! `governor` crate): `read` (pages, the catalogue, public data and other
//! GETs), `write` (syncs, complaints, photos and every other POST or PUT) and
//! `sign-in` (`POST /login`, and choosing a password through an invitation
//! or reset link). Static files, `/healthz` and the dashboards'
//! live feed are not counted. The defaults let a district office's shared
//! Wi-Fi (a hundred phones behind one address) rate and sync freely, and stop
//! one client posting a thousand requests a second within a second.
//!
//! A refused request gets `429` with `Retry-After`: a problem document for
//! the API, a short page in both languages for a person's browser. The
//! offline client treats it as an outage: it keeps everything and tries again
//! later.
//!
//! **The client's address** is the connection's peer, unless the peer is a
//! configured trusted proxy: then it is the last address in
//! `X-Forwarded-For` that is not itself a trusted proxy. A header from anyone
//! else is ignored, so nobody escapes a limit by inventing addresses. An IPv6
//! client counts by its /64 network, as one household or office gets one.
//!
//! **Memory is bounded however many addresses appear**: addresses are hashed
//! (with a key chosen at start, so nobody can aim at another's bucket) into
//! at most [`BUCKETS`](crate::config::limits::BUCKETS) buckets per budget, and buckets that have refilled are dropped
//! every few seconds. Two addresses sharing a bucket share its budget, which
//! the defaults are generous enough to absorb.

use crate::config::limits::{Rate, RateLimits};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use ipnet::IpNet;
use std::hash::{BuildHasher, RandomState};
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often buckets that have refilled are forgotten.
const SWEEP_EVERY: Duration = Duration::from_secs(10);

/// The three budgets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Read,
    Write,
    SignIn,
}

impl Class {
    const ALL: [Class; 3] = [Class::Read, Class::Write, Class::SignIn];

    fn name(self) -> &'static str {
        match self {
            Class::Read => "read",
            Class::Write => "write",
            Class::SignIn => "sign-in",
        }
    }

    /// The budget a request counts against, if any.
    pub fn of(method: &Method, path: &str) -> Option<Class> {
        let unlimited = path == "/healthz"
            || path == "/api/v1/healthz"
            || path == "/api/v1/events"
            || path == "/sw.js"
            || path.starts_with("/pkg/")
            || path.starts_with("/icons/");
        if unlimited {
            return None;
        }
        match *method {
            Method::GET | Method::HEAD => {
                let last = path.rsplit('/').next().unwrap_or_default();
                let data = ["/api/", "/open311/", "/publik/"]
                    .iter()
                    .any(|p| path.starts_with(p));
                // A file of the built site (`favicon.svg`, `staff.js`, …).
                (data || !last.contains('.')).then_some(Class::Read)
            }
            Method::OPTIONS => None,
            // Choosing a password through a link is signing in.
            _ if path == "/login" || path.starts_with("/account/link/") => Some(Class::SignIn),
            _ => Some(Class::Write),
        }
    }
}

type Limiter = DefaultKeyedRateLimiter<u32>;

/// The buckets of one server process.
pub struct Limits {
    read: Option<Limiter>,
    write: Option<Limiter>,
    sign_in: Option<Limiter>,
    trusted: Vec<IpNet>,
    buckets: u64,
    hasher: RandomState,
    started: Instant,
    /// Milliseconds after `started` of the last sweep.
    swept_ms: AtomicU64,
}

impl Limits {
    pub fn new(config: &RateLimits) -> Self {
        let limiter = |rate: &Option<Rate>| {
            rate.map(|r| {
                RateLimiter::keyed(
                    Quota::with_period(r.every)
                        .expect("a rate's period is above zero")
                        .allow_burst(r.burst),
                )
            })
        };
        Self {
            read: limiter(&config.read),
            write: limiter(&config.write),
            sign_in: limiter(&config.sign_in),
            trusted: config.trusted_proxies.clone(),
            buckets: u64::from(config.buckets.max(1)),
            hasher: RandomState::new(),
            started: Instant::now(),
            swept_ms: AtomicU64::new(0),
        }
    }

    fn limiter(&self, class: Class) -> Option<&Limiter> {
        match class {
            Class::Read => self.read.as_ref(),
            Class::Write => self.write.as_ref(),
            Class::SignIn => self.sign_in.as_ref(),
        }
    }

    /// The bucket an address counts against.
    fn slot(&self, client: IpAddr) -> u32 {
        let network = match client {
            IpAddr::V4(v4) => u128::from(u32::from(v4)),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => u128::from(u32::from(v4)),
                // The /64 network, marked apart from every IPv4 address.
                None => (u128::from(v6) >> 64) | (1 << 64),
            },
        };
        (self.hasher.hash_one(network) % self.buckets) as u32
    }

    /// `Ok` when `client` may make a request of `class` now; otherwise how
    /// long to wait.
    pub fn check(&self, class: Class, client: IpAddr) -> Result<(), Duration> {
        let Some(limiter) = self.limiter(class) else {
            return Ok(());
        };
        self.sweep_now_and_then();
        limiter
            .check_key(&self.slot(client))
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    /// How many buckets are held now, across the budgets.
    pub fn tracked(&self) -> usize {
        Class::ALL
            .into_iter()
            .filter_map(|c| self.limiter(c))
            .map(|l| l.len())
            .sum()
    }

    /// Forgets buckets that have refilled, at most once every [`SWEEP_EVERY`].
    fn sweep_now_and_then(&self) {
        let now = self.started.elapsed().as_millis() as u64;
        let last = self.swept_ms.load(Ordering::Relaxed);
        if now.saturating_sub(last) < SWEEP_EVERY.as_millis() as u64 {
            return;
        }
        if self
            .swept_ms
            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
        {
            return; // another request is sweeping
        }
        for limiter in Class::ALL.into_iter().filter_map(|c| self.limiter(c)) {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }

    /// Who is asking: the peer, or what trusted proxies say it forwarded.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let trusted = |ip: &IpAddr| self.trusted.iter().any(|n| n.contains(ip));
        if !trusted(&peer) {
            return peer;
        }
        let forwarded: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect();
        let mut client = peer;
        // From the nearest hop back: the first address no trusted proxy
        // added is the client's; anything before it may be made up.
        for hop in forwarded.iter().rev() {
            match hop.trim().parse::<IpAddr>() {
                Ok(ip) => {
                    client = ip;
                    if !trusted(&ip) {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
        client
    }
}

impl Limits {
    /// The client of a request: its peer, or what trusted proxies forwarded.
    pub fn client_of(&self, extensions: &axum::http::Extensions, headers: &HeaderMap) -> IpAddr {
        let peer = extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::from([0, 0, 0, 0]));
        self.client(peer, headers)
    }
}

/// An address as sign-in throttling counts it: an IPv4 address, or the /64
/// network of an IPv6 one (one household or office).
pub fn network_of(client: IpAddr) -> String {
    match client {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => ipnet::Ipv6Net::new(v6, 64)
                .map(|n| n.trunc().to_string())
                .unwrap_or_else(|_| v6.to_string()),
        },
    }
}

/// The middleware: counts the request against its budget, or refuses it.
pub async fn guard(State(limits): State<Arc<Limits>>, req: Request, next: Next) -> Response {
    let Some(class) = Class::of(req.method(), req.uri().path()) else {
        return next.run(req).await;
    };
    let client = limits.client_of(req.extensions(), req.headers());
    match limits.check(class, client) {
        Ok(()) => next.run(req).await,
        Err(wait) => {
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            tracing::info!(%client, limit = class.name(), seconds, "rate limited");
            too_many(&req, seconds.max(1))
        }
    }
}

/// `429` with `Retry-After`: a problem document, or a page for a browser.
fn too_many(req: &Request, seconds: u64) -> Response {
    let wants_page = !req.uri().path().starts_with("/api/")
        && req
            .headers()
            .get(header::ACCEPT)
            .and_then(|a| a.to_str().ok())
            .is_some_and(|a| a.contains("text/html"));
    if !wants_page {
        return super::problem::Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate-limited",
            format!(
                "too many requests from your address; try again in {seconds} s \
                 (nothing you sent in this request was kept: send it again then)"
            ),
        )
        .retry_after(seconds)
        .into_response();
    }
    let page = format!(
        "<!doctype html><html lang=\"id\"><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>Terlalu banyak permintaan</title>\
         <h1>Terlalu banyak permintaan</h1>\
         <p>Terlalu banyak permintaan dari alamat Anda. Coba lagi dalam {seconds} detik.</p>\
         <p lang=\"en\">Too many requests from your address. Try again in {seconds} seconds.</p>"
    );
    (
        StatusCode::TOO_MANY_REQUESTS,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::RETRY_AFTER, HeaderValue::from(seconds)),
        ],
        page,
    )
        .into_response()
}

#[cfg(test)]
mod tests;
