use super::*;
use crate::domain::zone::Zone;
use time::macros::datetime;

const SERVICE: Uuid = Uuid::from_u128(1);
const OTHER_SERVICE: Uuid = Uuid::from_u128(2);
const UNIT: Uuid = Uuid::from_u128(10);
const PHONE: Uuid = Uuid::from_u128(100);

fn arrival(at: OffsetDateTime, vector: &str) -> Arrival {
    Arrival {
        service: SERVICE,
        unit: UNIT,
        unit_yearly_volume: Some(20_000),
        unit_zone: Zone::Wib,
        unit_hours: None,
        channel: Channel::Phone,
        device: Some(PHONE),
        answered_at: at,
        received_at: at,
        app_version: Some(crate::APP_VERSION.to_owned()),
        items: vector.split(' ').count(),
        vector: vector.to_owned(),
    }
}

/// Nine items, all answered `score`.
fn all(score: u8) -> String {
    vector_of((1..=9).map(|i| {
        (
            ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"][i - 1],
            score,
        )
    }))
}

#[test]
fn vectors_are_in_item_order_whatever_order_they_came_in() {
    assert_eq!(vector_of([("U2", 3), ("U1", 4)]), "U1=4 U2=3");
    assert_eq!(all(4).split(' ').count(), 9);
}

#[test]
fn a_phone_rating_a_service_a_fourth_time_in_a_day_is_flagged_and_the_next_day_starts_afresh() {
    let rules = Rules::default();
    let mut ledger = Ledger::default();
    let morning = datetime!(2026-11-20 02:00 UTC);
    let flags: Vec<_> = (0..5)
        .map(|i| {
            let mut a = arrival(morning + time::Duration::minutes(i * 20), &all(3));
            a.vector = format!("U1={}", 1 + i % 4); // not a run
            a.items = 1;
            ledger.arrive(&a, &rules)
        })
        .collect();
    assert_eq!(flags[..3], [vec![], vec![], vec![]]);
    assert_eq!(flags[3], [FlagReason::SameDevice]);
    assert_eq!(flags[4], [FlagReason::SameDevice]);
    // Another service, or the next day: not the same pattern.
    let mut other = arrival(morning, "U1=4");
    other.items = 1;
    other.service = OTHER_SERVICE;
    assert!(ledger.arrive(&other, &rules).is_empty());
    let mut tomorrow = arrival(morning + time::Duration::days(1), "U1=4");
    tomorrow.items = 1;
    assert!(ledger.arrive(&tomorrow, &rules).is_empty());
    // A kiosk is one device all day: never "same device".
    let mut kiosk = arrival(morning, "U1=2");
    kiosk.items = 1;
    kiosk.channel = Channel::Kiosk;
    assert!(ledger.arrive(&kiosk, &rules).is_empty());
}

#[test]
fn a_burst_is_measured_against_the_units_yearly_volume_with_a_floor() {
    let rules = Rules::default();
    // 20,000 a year over 2,000 hours: 10 an hour expected, 100 a burst.
    assert_eq!(rules.burst_threshold(Some(20_000)), 100);
    // A small or unknown unit: the floor.
    assert_eq!(rules.burst_threshold(Some(384)), 40);
    assert_eq!(rules.burst_threshold(None), 40);

    let mut ledger = Ledger::default();
    let hour = datetime!(2026-11-20 03:00 UTC);
    let mut flagged = 0;
    for i in 0..130 {
        let mut a = arrival(hour + time::Duration::seconds(i * 20), "U1=3");
        a.device = Some(uuid::Uuid::new_v4());
        a.items = 1;
        flagged += ledger.arrive(&a, &rules).contains(&FlagReason::Burst) as usize;
    }
    assert_eq!(flagged, 30, "the 101st to the 130th of the hour");
    // The next hour is counted afresh.
    let mut next = arrival(hour + time::Duration::hours(1), "U1=3");
    next.device = Some(uuid::Uuid::new_v4());
    next.items = 1;
    assert!(ledger.arrive(&next, &rules).is_empty());
}

#[test]
fn a_kiosk_is_closed_in_its_own_units_night() {
    let rules = Rules::default();
    // 21:30 UTC: 04:30 WIB (closed), 05:30 WITA and 06:30 WIT (open);
    // 13:30 UTC: 20:30 WIB (open), 21:30 WITA and 22:30 WIT (closed).
    for (utc, zone, closed) in [
        (datetime!(2026-11-20 21:30 UTC), Zone::Wib, true),
        (datetime!(2026-11-20 21:30 UTC), Zone::Wita, false),
        (datetime!(2026-11-20 21:30 UTC), Zone::Wit, false),
        (datetime!(2026-11-20 13:30 UTC), Zone::Wib, false),
        (datetime!(2026-11-20 13:30 UTC), Zone::Wita, true),
        (datetime!(2026-11-20 13:30 UTC), Zone::Wit, true),
        // 20:00 UTC: 03:00 WIB, 04:00 WITA, 05:00 WIT (opens at 05).
        (datetime!(2026-11-20 20:00 UTC), Zone::Wit, false),
        (datetime!(2026-11-20 19:59 UTC), Zone::Wit, true),
    ] {
        let mut kiosk = arrival(utc, "U1=4");
        kiosk.items = 1;
        kiosk.channel = Channel::Kiosk;
        kiosk.device = None;
        kiosk.unit_zone = zone;
        let flags = Ledger::default().arrive(&kiosk, &rules);
        assert_eq!(
            flags.contains(&FlagReason::ClosedHours),
            closed,
            "{utc} {zone:?}"
        );
    }
}

#[test]
fn a_kiosk_is_closed_outside_its_units_opening_hours_with_an_hours_margin() {
    let rules = Rules::default();
    let hours = crate::domain::zone::OpeningHours::parse("08.00-15.00");
    // In Jayapura (UTC+9): 06.59 closed, 07.00 open, 15.59 open, 16.00
    // closed, 21.30 closed (as at night without hours).
    for (utc, closed) in [
        (datetime!(2026-11-19 21:59 UTC), true),
        (datetime!(2026-11-19 22:00 UTC), false),
        (datetime!(2026-11-20 06:59 UTC), false),
        (datetime!(2026-11-20 07:00 UTC), true),
        (datetime!(2026-11-20 12:30 UTC), true),
    ] {
        let mut kiosk = arrival(utc, "U1=4");
        kiosk.items = 1;
        kiosk.channel = Channel::Kiosk;
        kiosk.device = None;
        kiosk.unit_zone = Zone::Wit;
        kiosk.unit_hours = hours;
        let flags = Ledger::default().arrive(&kiosk, &rules);
        assert_eq!(flags.contains(&FlagReason::ClosedHours), closed, "{utc}");
    }
}

#[test]
fn a_kiosk_answering_at_night_is_flagged_a_phone_at_home_is_not() {
    let rules = Rules::default();
    let mut ledger = Ledger::default();
    // 23:30 WIB is 16:30 UTC; 09:00 WIB is 02:00 UTC.
    for (utc, closed) in [
        (datetime!(2026-11-20 16:30 UTC), true),
        (datetime!(2026-11-20 21:59 UTC), true),  // 04:59 WIB
        (datetime!(2026-11-20 22:00 UTC), false), // 05:00 WIB
        (datetime!(2026-11-20 02:00 UTC), false),
        (datetime!(2026-11-20 13:59 UTC), false), // 20:59 WIB
        (datetime!(2026-11-20 14:00 UTC), true),  // 21:00 WIB
    ] {
        let mut kiosk = arrival(utc, "U1=4");
        kiosk.items = 1;
        kiosk.channel = Channel::Kiosk;
        kiosk.device = None;
        let flags = ledger.arrive(&kiosk, &rules);
        assert_eq!(flags.contains(&FlagReason::ClosedHours), closed, "{utc}");
        let mut phone = arrival(utc, "U1=4");
        phone.items = 1;
        phone.device = Some(uuid::Uuid::new_v4());
        assert!(ledger.arrive(&phone, &rules).is_empty(), "{utc}");
    }
}

#[test]
fn the_twentieth_identical_answer_sheet_in_a_row_is_flagged_and_a_different_one_ends_the_run() {
    let rules = Rules::default();
    let mut ledger = Ledger::default();
    let start = datetime!(2026-11-20 02:00 UTC);
    let mut flags = Vec::new();
    for i in 0..25 {
        let mut a = arrival(start + time::Duration::minutes(i * 20), &all(4));
        a.device = Some(uuid::Uuid::new_v4());
        flags.push(ledger.arrive(&a, &rules));
    }
    assert!(flags[..19].iter().all(Vec::is_empty));
    assert!(flags[19..].iter().all(|f| f == &[FlagReason::IdenticalRun]));
    let mut different = arrival(start + time::Duration::hours(9), &all(3));
    different.device = Some(uuid::Uuid::new_v4());
    assert!(ledger.arrive(&different, &rules).is_empty());
    let mut again = arrival(start + time::Duration::hours(9), &all(4));
    again.device = Some(uuid::Uuid::new_v4());
    assert!(
        ledger.arrive(&again, &rules).is_empty(),
        "the run starts again at one"
    );
    // Short answer sheets never make a run.
    let mut short = Ledger::default();
    for _ in 0..40 {
        let mut a = arrival(start, "U1=4 U2=4");
        a.device = Some(uuid::Uuid::new_v4());
        assert!(short.arrive(&a, &rules).is_empty());
    }
}

#[test]
fn a_unit_head_posting_perfect_ratings_from_their_phone_is_flagged_for_every_pattern_it_makes() {
    let rules = Rules::default();
    let mut ledger = Ledger::default();
    let at = datetime!(2026-11-20 03:00 UTC);
    let flags: Vec<Vec<FlagReason>> = (0..60)
        .map(|i| ledger.arrive(&arrival(at + time::Duration::seconds(i), &all(4)), &rules))
        .collect();
    let flagged = flags.iter().filter(|f| !f.is_empty()).count();
    assert_eq!(flagged, 57, "all but the first three");
    assert!(flags[59].contains(&FlagReason::SameDevice));
    assert!(flags[59].contains(&FlagReason::IdenticalRun));
}

#[test]
fn keys_name_each_entry_once() {
    let at = datetime!(2026-11-20 03:00 UTC);
    let a = arrival(at, "U1=4");
    let b = arrival(at + time::Duration::minutes(1), "U1=4");
    let keys = Ledger::keys([&a, &b]);
    assert_eq!(keys.devices.len(), 1);
    assert_eq!(keys.hours.len(), 1);
    assert_eq!(keys.runs, vec![SERVICE]);
}

#[test]
fn leaving_out_the_device_or_back_dating_is_flagged() {
    let rules = Rules::default();
    let mut ledger = Ledger::default();
    let now = datetime!(2026-11-20 03:00 UTC);
    let mut a = arrival(now, "U1=3");
    a.device = None;
    for (version, flagged) in [
        (None, true),
        (Some("0.2.0"), true),
        (Some("1.0.0-beta"), true),
        (Some("synthetic"), true),
        (Some("0.1.0"), false),
        (Some("0.1.9"), false),
    ] {
        a.app_version = version.map(str::to_owned);
        let flags = ledger.arrive(&a, &rules);
        assert_eq!(
            flags.contains(&FlagReason::NoDevice),
            flagged,
            "{version:?}"
        );
    }
    a.channel = Channel::Kiosk;
    a.app_version = None;
    assert!(!ledger.arrive(&a, &rules).contains(&FlagReason::NoDevice));

    let mut old = arrival(now - time::Duration::days(15), "U1=3");
    old.received_at = now;
    assert_eq!(ledger.arrive(&old, &rules), [FlagReason::Backdated]);
    let mut offline = arrival(now - time::Duration::days(13), "U1=3");
    offline.received_at = now;
    assert!(ledger.arrive(&offline, &rules).is_empty());
}
