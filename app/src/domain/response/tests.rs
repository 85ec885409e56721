use super::*;
use crate::domain::builtin::skm_2017;
use serde_json::json;
use time::macros::datetime;

fn submission(scores: serde_json::Value) -> ResponseSubmission {
    serde_json::from_value(json!({
        "id": "7f1d3c8e-8a51-4c1e-9a43-3f2b2b9c6a10",
        "service_id": "0b8e5a8e-1111-4c1e-9a43-3f2b2b9c6a10",
        "questionnaire_id": "skm-2017",
        "questionnaire_version": 1,
        "answered_at": "2026-11-20T09:15:00+07:00",
        "channel": "phone",
        "scores": scores,
        "comment": "  Antrean lama 😞, tapi petugas ramah, \"baik\"  ",
    }))
    .unwrap()
}

const NOW: OffsetDateTime = datetime!(2026-11-22 00:00 UTC);

fn parse(s: ResponseSubmission) -> Result<ValidResponse, Rejection> {
    ValidResponse::parse(s, "skm-2017", &skm_2017(), NOW)
}

#[test]
fn valid_response_is_normalised() {
    let r = parse(submission(json!({"U1": 4, "U3": 2}))).unwrap();
    assert_eq!(r.scores.len(), 2);
    assert_eq!(r.answered_at, datetime!(2026-11-20 02:15 UTC));
    assert_eq!(
        r.comment.as_deref(),
        Some("Antrean lama 😞, tapi petugas ramah, \"baik\"")
    );
}

#[test]
fn scores_outside_the_scale_are_rejected_naming_the_item() {
    let e = parse(submission(json!({"U1": 5}))).unwrap_err();
    assert_eq!(
        e,
        Rejection::BadScore {
            item: "U1".into(),
            problem: "5 is outside the scale; scores must be 1, 2, 3 or 4".into()
        }
    );
    assert!(e.to_string().contains("U1"));
    assert!(matches!(
        parse(submission(json!({"U1": 0}))),
        Err(Rejection::BadScore { .. })
    ));
    assert!(matches!(
        parse(submission(json!({"U1": "4"}))),
        Err(Rejection::BadScore { .. })
    ));
    assert!(matches!(
        parse(submission(json!({"U1": 2.5}))),
        Err(Rejection::BadScore { .. })
    ));
}

#[test]
fn unknown_items_and_empty_responses_are_rejected() {
    assert_eq!(
        parse(submission(json!({"U10": 3}))).unwrap_err(),
        Rejection::UnknownItem("U10".into())
    );
    assert_eq!(
        parse(submission(json!({}))).unwrap_err(),
        Rejection::NoScores
    );
}

#[test]
fn comment_limit_counts_characters_not_bytes() {
    let mut s = submission(json!({"U1": 3}));
    s.comment = Some("é".repeat(2000));
    assert!(parse(s.clone()).is_ok());
    s.comment = Some("é".repeat(2001));
    assert_eq!(parse(s).unwrap_err(), Rejection::CommentTooLong(2001));
}

#[test]
fn answered_at_in_the_future_counts_at_receipt() {
    let mut s = submission(json!({"U1": 3}));
    s.answered_at = "2030-01-01T00:00:00Z".into();
    let r = parse(s).unwrap();
    assert_eq!(r.answered_at, NOW);
    assert_eq!(r.answered_at_reported, datetime!(2030-01-01 00:00 UTC));
    let mut s = submission(json!({"U1": 3}));
    s.answered_at = "yesterday".into();
    assert!(matches!(parse(s), Err(Rejection::BadTimestamp(_))));
}

#[test]
fn questionnaire_must_be_the_services() {
    let mut s = submission(json!({"U1": 3}));
    s.questionnaire_id = "etika-pelayanan".into();
    assert!(matches!(
        parse(s),
        Err(Rejection::WrongQuestionnaire { .. })
    ));
    let mut s = submission(json!({"U1": 3}));
    s.questionnaire_version = 7;
    assert!(matches!(
        parse(s),
        Err(Rejection::UnknownQuestionnaire { .. })
    ));
}

#[test]
fn canonical_form_ignores_key_order_and_offset_but_not_content() {
    let a = parse(submission(json!({"U1": 4, "U3": 2}))).unwrap();
    let mut s = submission(json!({"U3": 2, "U1": 4}));
    s.answered_at = "2026-11-20T02:15:00Z".into();
    let b = parse(s).unwrap();
    assert_eq!(a.canonical_json(), b.canonical_json());
    let c = parse(submission(json!({"U1": 4, "U3": 3}))).unwrap();
    assert_ne!(a.canonical_json(), c.canonical_json());
}

#[test]
fn unknown_profile_values_do_not_parse() {
    let v = json!({"sex": "other-value"});
    assert!(serde_json::from_value::<Respondent>(v).is_err());
    let v = json!({"sex": "female", "education": "D4-S1", "occupation": "pelajar-mahasiswa", "disability": "prefer-not-to-say", "age_band": "20-29"});
    assert!(serde_json::from_value::<Respondent>(v).is_ok());
}
