//! The budgets of anonymous clients, as `suara serve` is told them; the
//! buckets that keep them are `http::limits`.

use ipnet::IpNet;
use std::num::NonZeroU32;
use std::str::FromStr;
use std::time::Duration;

/// Buckets per budget: at most this many addresses are tracked at once
/// (a few megabytes), whatever a flood from many addresses does.
pub const BUCKETS: u32 = 1 << 18;

/// A bucket: `burst` requests at once, refilled by one every `every`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    pub burst: NonZeroU32,
    pub every: Duration,
}

impl Rate {
    pub fn new(burst: u32, per: u32, period: Duration) -> Self {
        Self {
            burst: NonZeroU32::new(burst).expect("burst is positive"),
            every: period / per,
        }
    }
}

/// `BURST:N/s`, `BURST:N/min` or `BURST:N/h`: `600:10/s` allows 600 at
/// once, then ten a second.
impl FromStr for Rate {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not a rate: write BURST:N/s, BURST:N/min or BURST:N/h");
        let (burst, rest) = s.split_once(':').ok_or_else(bad)?;
        let (per, unit) = rest.split_once('/').ok_or_else(bad)?;
        let burst: u32 = burst.trim().parse().map_err(|_| bad())?;
        let per: u32 = per.trim().parse().map_err(|_| bad())?;
        let period = match unit.trim() {
            "s" => Duration::from_secs(1),
            "min" => Duration::from_secs(60),
            "h" => Duration::from_secs(3600),
            _ => return Err(bad()),
        };
        if burst == 0 || per == 0 || per > 1_000_000 {
            return Err(format!("`{s}`: the burst and the rate must be above zero"));
        }
        Ok(Rate::new(burst, per, period))
    }
}

/// What `suara serve` is told about limits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimits {
    pub read: Option<Rate>,
    pub write: Option<Rate>,
    pub sign_in: Option<Rate>,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpNet>,
    /// Buckets per budget ([`BUCKETS`]).
    pub buckets: u32,
}

impl Default for RateLimits {
    /// Generous for people, tight for scripts: 600 reads at once then ten a
    /// second; 300 writes at once then five a second; 20 sign-ins at once
    /// then six a minute.
    fn default() -> Self {
        Self {
            read: Some(Rate::new(600, 10, Duration::from_secs(1))),
            write: Some(Rate::new(300, 5, Duration::from_secs(1))),
            sign_in: Some(Rate::new(20, 6, Duration::from_secs(60))),
            trusted_proxies: Vec::new(),
            buckets: BUCKETS,
        }
    }
}

impl RateLimits {
    /// No limits at all (benchmarks on loopback).
    pub fn off() -> Self {
        Self {
            read: None,
            write: None,
            sign_in: None,
            trusted_proxies: Vec::new(),
            buckets: BUCKETS,
        }
    }

    /// The budget named `name` (`read`, `write` or `sign-in`).
    fn slot(&mut self, name: &str) -> Option<&mut Option<Rate>> {
        match name {
            "read" => Some(&mut self.read),
            "write" => Some(&mut self.write),
            "sign-in" => Some(&mut self.sign_in),
            _ => None,
        }
    }

    /// Applies one setting: `off`, `CLASS=off` or `CLASS=BURST:N/UNIT`.
    pub fn set(&mut self, spec: &str) -> Result<(), String> {
        let spec = spec.trim();
        if spec.is_empty() {
            return Ok(());
        }
        if spec == "off" {
            let proxies = std::mem::take(&mut self.trusted_proxies);
            *self = Self::off();
            self.trusted_proxies = proxies;
            return Ok(());
        }
        let (name, value) = spec
            .split_once('=')
            .ok_or_else(|| format!("`{spec}`: write off, CLASS=off or CLASS=BURST:N/s"))?;
        let slot = self
            .slot(name.trim())
            .ok_or_else(|| format!("`{name}` is not a limit: read, write or sign-in"))?;
        *slot = match value.trim() {
            "off" => None,
            rate => Some(rate.parse()?),
        };
        Ok(())
    }
}
