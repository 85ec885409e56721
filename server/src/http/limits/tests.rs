use super::*;
use crate::config::limits::{RateLimits as Config, BUCKETS};

fn limits(spec: &[&str], proxies: &[&str]) -> Limits {
    limits_in(spec, proxies, BUCKETS)
}

fn limits_in(spec: &[&str], proxies: &[&str], buckets: u32) -> Limits {
    let mut config = Config {
        buckets,
        ..Config::default()
    };
    for s in spec {
        config.set(s).unwrap();
    }
    config.trusted_proxies = proxies.iter().map(|p| p.parse().unwrap()).collect();
    Limits::new(&config)
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn requests_count_against_the_budget_their_route_belongs_to() {
    let class = |m: Method, p: &str| Class::of(&m, p);
    assert_eq!(class(Method::POST, "/api/v1/responses"), Some(Class::Write));
    assert_eq!(
        class(Method::POST, "/api/v1/complaints"),
        Some(Class::Write)
    );
    assert_eq!(
        class(Method::PUT, "/api/v1/complaints/K7Q2-9XJ4/attachments/x"),
        Some(Class::Write)
    );
    assert_eq!(class(Method::POST, "/login"), Some(Class::SignIn));
    // Choosing a password through an invitation or reset link.
    assert_eq!(
        class(Method::POST, "/account/link/Ab-9_z"),
        Some(Class::SignIn)
    );
    assert_eq!(
        class(Method::GET, "/account/link/Ab-9_z"),
        Some(Class::Read)
    );
    assert_eq!(class(Method::GET, "/login"), Some(Class::Read));
    assert_eq!(class(Method::GET, "/s/PASPOR"), Some(Class::Read));
    assert_eq!(class(Method::GET, "/api/v1/catalog"), Some(Class::Read));
    assert_eq!(class(Method::GET, "/publik/X/badge.svg"), Some(Class::Read));
    assert_eq!(
        class(Method::GET, "/open311/v2/requests.json"),
        Some(Class::Read)
    );
    for free in [
        "/pkg/suara.abc.wasm",
        "/sw.js",
        "/favicon.svg",
        "/manifest.webmanifest",
        "/healthz",
        "/api/v1/events",
    ] {
        assert_eq!(class(Method::GET, free), None, "{free}");
    }
}

#[test]
fn rates_are_read_as_written_and_bad_ones_say_how_to_write_them() {
    let r: Rate = "600:10/s".parse().unwrap();
    assert_eq!(r.burst.get(), 600);
    assert_eq!(r.every, Duration::from_millis(100));
    let r: Rate = "20:6/min".parse().unwrap();
    assert_eq!(r.every, Duration::from_secs(10));
    for bad in ["600", "0:1/s", "5:0/s", "5:1/day", "x:1/s"] {
        assert!(bad.parse::<Rate>().is_err(), "{bad}");
    }
    let mut c = Config::default();
    c.set("write=off").unwrap();
    assert_eq!(c.write, None);
    assert!(c.read.is_some());
    c.set("off").unwrap();
    assert_eq!(c, Config::off());
    assert!(c
        .set("reads=1:1/s")
        .unwrap_err()
        .contains("read, write or sign-in"));
}

#[test]
fn a_flood_is_refused_after_its_burst_and_told_how_long_to_wait() {
    let l = limits(&["write=5:1/min"], &[]);
    let a = ip("203.0.113.9");
    for _ in 0..5 {
        assert_eq!(l.check(Class::Write, a), Ok(()));
    }
    let wait = l.check(Class::Write, a).unwrap_err();
    assert!(wait > Duration::from_secs(50) && wait <= Duration::from_secs(60));
    // Another address, and another budget, are untouched.
    assert_eq!(l.check(Class::Write, ip("203.0.113.10")), Ok(()));
    assert_eq!(l.check(Class::Read, a), Ok(()));
}

#[test]
fn an_ipv6_household_counts_once_whatever_its_interface_ids() {
    let l = limits(&["write=3:1/min"], &[]);
    for i in 0..3 {
        let a = ip(&format!("2001:db8:1:2::{i:x}"));
        assert_eq!(l.check(Class::Write, a), Ok(()));
    }
    assert!(l.check(Class::Write, ip("2001:db8:1:2:ffff::1")).is_err());
    assert_eq!(l.check(Class::Write, ip("2001:db8:1:3::1")), Ok(()));
}

#[test]
fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
    let l = limits(&[], &["10.0.0.0/8"]);
    let mut h = HeaderMap::new();
    h.insert(
        "x-forwarded-for",
        "6.6.6.6, 198.51.100.7, 10.1.2.3".parse().unwrap(),
    );
    // Through the proxies: the nearest address they did not add.
    assert_eq!(l.client(ip("10.0.0.1"), &h), ip("198.51.100.7"));
    // Straight from the internet: the header is the client's invention.
    assert_eq!(l.client(ip("192.0.2.1"), &h), ip("192.0.2.1"));
    // A trusted proxy without the header: the proxy itself.
    assert_eq!(l.client(ip("10.0.0.1"), &HeaderMap::new()), ip("10.0.0.1"));
    // Garbage in the header stops the walk at the last good hop.
    let mut g = HeaderMap::new();
    g.insert("x-forwarded-for", "not-an-ip, 10.9.9.9".parse().unwrap());
    assert_eq!(l.client(ip("10.0.0.1"), &g), ip("10.9.9.9"));
}

#[test]
fn memory_stays_bounded_however_many_addresses_appear() {
    let l = limits_in(&["read=1:1/h"], &[], 4096);
    for i in 0..100_000u32 {
        let _ = l.check(
            Class::Read,
            IpAddr::from(i.wrapping_mul(2_654_435_761).to_be_bytes()),
        );
    }
    assert!(l.tracked() <= 4096, "{}", l.tracked());
    assert!(l.tracked() > 4000, "{}", l.tracked());
}
