use super::*;
use proptest::prelude::*;
use uuid::Uuid;

fn result(id: &str, status: SyncStatus, reason: Option<&str>) -> SyncResult {
    SyncResult {
        id: Some(Uuid::parse_str(id).unwrap()),
        status,
        reason: reason.map(str::to_owned),
    }
}

#[test]
fn only_delivered_records_are_removed() {
    let ids: Vec<String> = (0..5).map(|_| Uuid::new_v4().to_string()).collect();
    let results = vec![
        result(&ids[0], SyncStatus::Accepted, None),
        result(&ids[1], SyncStatus::Duplicate, None),
        result(&ids[2], SyncStatus::Rejected, Some("U1: 7 is not 1..4")),
        result(&ids[3], SyncStatus::Conflict, Some("different content")),
        // ids[4]: no result at all
    ];
    let changes = changes_for(&ids, &results);
    assert_eq!(
        changes,
        vec![
            OutboxChange::Remove(ids[0].clone()),
            OutboxChange::Remove(ids[1].clone()),
            OutboxChange::Keep {
                id: ids[2].clone(),
                state: RecordState::Rejected,
                reason: "U1: 7 is not 1..4".into()
            },
            OutboxChange::Keep {
                id: ids[3].clone(),
                state: RecordState::Conflict,
                reason: "different content".into()
            },
            OutboxChange::Retry(ids[4].clone()),
        ]
    );
}

#[test]
fn a_result_for_another_id_never_removes_a_record() {
    let mine = Uuid::new_v4().to_string();
    let other = Uuid::new_v4().to_string();
    let changes = changes_for(
        std::slice::from_ref(&mine),
        &[result(&other, SyncStatus::Accepted, None)],
    );
    assert_eq!(changes, vec![OutboxChange::Retry(mine)]);
}

#[test]
fn record_round_trips_through_json_with_lowercase_states() {
    let r = OutboxRecord {
        id: Uuid::new_v4().to_string(),
        response: "{}".into(),
        state: RecordState::Conflict,
        reason: Some("x".into()),
        service_name: "KTP".into(),
        queued_at_ms: 1.0,
    };
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["state"], "conflict");
    assert_eq!(serde_json::from_value::<OutboxRecord>(json).unwrap(), r);
}

#[test]
fn upgrade_from_each_version_creates_exactly_the_missing_stores() {
    let names = |from| {
        upgrade_steps(from)
            .map(|s| s.create_store)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(0),
        vec![OUTBOX_STORE, META_STORE, COMPLAINTS_STORE, FILES_STORE]
    );
    assert_eq!(names(1), vec![META_STORE, COMPLAINTS_STORE, FILES_STORE]);
    assert_eq!(
        names(2),
        vec![COMPLAINTS_STORE, FILES_STORE],
        "a phone with responses waiting keeps them and gains the complaint stores"
    );
    assert!(names(SCHEMA_VERSION).is_empty());
    // Versions are consecutive and end at the current one.
    let versions: Vec<u32> = SCHEMA.iter().map(|s| s.version).collect();
    assert_eq!(versions, (1..=SCHEMA_VERSION).collect::<Vec<_>>());
}

#[test]
fn first_retries_are_seconds_apart() {
    assert_eq!(retry_delay_ms(0, 0.0), 1_000.0);
    assert_eq!(retry_delay_ms(0, 1.0), 2_000.0);
    assert_eq!(retry_delay_ms(3, 0.0), 8_000.0);
}

proptest! {
    #[test]
    fn retry_delay_grows_and_never_passes_five_minutes(attempt in 0u32..200, r in 0.0f64..1.0) {
        let d = retry_delay_ms(attempt, r);
        prop_assert!(d <= MAX_RETRY_MS);
        prop_assert!(d >= retry_delay_ms(attempt.saturating_sub(1), 0.0).min(MAX_RETRY_MS / 2.0));
        prop_assert!(d >= FIRST_RETRY_MS / 2.0);
    }
}
