//! Complaints kept on the device: filed offline, sent by the same sync
//! client as responses, and kept afterwards so that the citizen finds their
//! codes on this device (`/pengaduan`). Their photos wait in a store of
//! their own until the server holds them.
//!
//! What the results of a batch do to the records is decided here, purely,
//! and tested on the host.

use super::RecordState;
use crate::domain::complaint::submission::{ComplaintResult, CODE_TAKEN};
use crate::domain::response::SyncStatus;
use serde::{Deserialize, Serialize};

/// Most photos a complaint carries.
pub const MAX_PHOTOS: usize = 3;
/// How many times a device makes a new code when the server says its code
/// is taken (with 55 random bits, once is already a rarity).
pub const MAX_NEW_CODES: u8 = 3;

/// A photo waiting to be uploaded; its bytes are in the `files` store
/// under the same id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PhotoRef {
    pub id: String,
    /// `image/jpeg` (what the device's shrinking makes).
    pub content_type: String,
    /// The server's reason when it refused the file; the complaint stands.
    #[serde(default)]
    pub refused: Option<String>,
}

/// One complaint on the device, as stored in IndexedDB.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComplaintRecord {
    /// The complaint's UUID: the store's key and the server's idempotency key.
    pub id: String,
    /// Its tracking code, `XXXX-XXXX-XXXX` (a new one if the server said the
    /// first was taken).
    pub code: String,
    /// The complaint exactly as it will be sent (JSON of a `ComplaintSubmission`).
    pub complaint: String,
    pub state: RecordState,
    /// The server holds it.
    #[serde(default)]
    pub delivered: bool,
    /// The server's reason, for `rejected` and `conflict`.
    #[serde(default)]
    pub reason: Option<String>,
    pub service_name: String,
    /// When it was filed (milliseconds since the epoch, the device's clock).
    pub queued_at_ms: f64,
    /// Photos not yet on the server.
    #[serde(default)]
    pub photos: Vec<PhotoRef>,
    /// Codes made again after the server found the code taken.
    #[serde(default)]
    pub new_codes: u8,
    /// The code the citizen was first shown, when it had to change.
    #[serde(default)]
    pub first_code: Option<String>,
    /// The citizen's key (also in `complaint`), for the tracking link; none
    /// for a complaint kept before keys existed.
    #[serde(default)]
    pub key: Option<String>,
}

impl ComplaintRecord {
    /// Still something to send: the complaint, or one of its photos.
    pub fn is_waiting(&self) -> bool {
        if self.delivered {
            self.photos.iter().any(|p| p.refused.is_none())
        } else {
            self.state.is_waiting()
        }
    }

    /// Refused by the server (the complaint itself), kept with the reason.
    pub fn is_refused(&self) -> bool {
        !self.delivered && !self.state.is_waiting()
    }
}

/// What one result does to a complaint of the batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ComplaintChange {
    /// The server holds it (`accepted` or `duplicate`); its photos go next.
    Delivered(String),
    /// Its code belongs to another complaint: make a new one and send again.
    NewCode(String),
    /// Refused: keep it, visible, with the reason.
    Keep {
        id: String,
        state: RecordState,
        reason: String,
    },
    /// No result came back for it: send it again later.
    Retry(String),
}

/// The changes `results` make to the complaints of the batch `sent`
/// (their ids, in order, with how many codes each already remade).
pub fn complaint_changes(
    sent: &[(String, u8)],
    results: &[ComplaintResult],
) -> Vec<ComplaintChange> {
    sent.iter()
        .map(|(id, new_codes)| {
            let result = results
                .iter()
                .find(|r| r.id.map(|u| u.to_string()).as_deref() == Some(id.as_str()));
            match result {
                Some(r) if r.status.is_delivered() => ComplaintChange::Delivered(id.clone()),
                Some(r)
                    if r.status == SyncStatus::Conflict
                        && r.reason.as_deref() == Some(CODE_TAKEN)
                        && *new_codes < MAX_NEW_CODES =>
                {
                    ComplaintChange::NewCode(id.clone())
                }
                Some(r) => ComplaintChange::Keep {
                    id: id.clone(),
                    state: match r.status {
                        SyncStatus::Conflict => RecordState::Conflict,
                        _ => RecordState::Rejected,
                    },
                    reason: r.reason.clone().unwrap_or_default(),
                },
                None => ComplaintChange::Retry(id.clone()),
            }
        })
        .collect()
}

/// What an upload's HTTP status means for the photo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Upload {
    /// Stored (201) or stored before (200): forget the device's copy.
    Stored,
    /// Refused for good (another 4xx): keep the reason, the complaint stands.
    Refused,
    /// Try again later (no answer, 5xx, 408, 429).
    Later,
}

pub fn upload_outcome(status: u16) -> Upload {
    match status {
        200 | 201 => Upload::Stored,
        408 | 429 => Upload::Later,
        400..=499 => Upload::Refused,
        _ => Upload::Later,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn result(id: Uuid, status: SyncStatus, reason: Option<&str>) -> ComplaintResult {
        ComplaintResult {
            id: Some(id),
            code: None,
            status,
            reason: reason.map(str::to_owned),
        }
    }

    #[test]
    fn a_taken_code_is_made_again_a_few_times_then_kept_as_conflict() {
        let ids: Vec<Uuid> = (1..=6).map(Uuid::from_u128).collect();
        let sent: Vec<(String, u8)> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.to_string(), if i == 3 { MAX_NEW_CODES } else { 0 }))
            .collect();
        let results = vec![
            result(ids[0], SyncStatus::Accepted, None),
            result(ids[1], SyncStatus::Duplicate, None),
            result(ids[2], SyncStatus::Conflict, Some(CODE_TAKEN)),
            result(ids[3], SyncStatus::Conflict, Some(CODE_TAKEN)),
            result(ids[4], SyncStatus::Conflict, Some("a different complaint")),
            // ids[5]: no result
        ];
        let s = |i: usize| ids[i].to_string();
        assert_eq!(
            complaint_changes(&sent, &results),
            vec![
                ComplaintChange::Delivered(s(0)),
                ComplaintChange::Delivered(s(1)),
                ComplaintChange::NewCode(s(2)),
                ComplaintChange::Keep {
                    id: s(3),
                    state: RecordState::Conflict,
                    reason: CODE_TAKEN.into()
                },
                ComplaintChange::Keep {
                    id: s(4),
                    state: RecordState::Conflict,
                    reason: "a different complaint".into()
                },
                ComplaintChange::Retry(s(5)),
            ]
        );
        let rejected = result(ids[0], SyncStatus::Rejected, Some("text too short"));
        assert_eq!(
            complaint_changes(&sent[..1], &[rejected]),
            vec![ComplaintChange::Keep {
                id: s(0),
                state: RecordState::Rejected,
                reason: "text too short".into()
            }]
        );
    }

    #[test]
    fn a_delivered_complaint_waits_only_for_photos_not_refused() {
        let mut r = ComplaintRecord {
            id: "x".into(),
            code: "ABCD-EFGH-JKMN".into(),
            complaint: "{}".into(),
            state: RecordState::Pending,
            delivered: false,
            reason: None,
            service_name: "KTP".into(),
            queued_at_ms: 0.0,
            photos: vec![PhotoRef {
                id: "p".into(),
                content_type: "image/jpeg".into(),
                refused: None,
            }],
            new_codes: 0,
            first_code: None,
            key: None,
        };
        assert!(r.is_waiting() && !r.is_refused());
        r.state = RecordState::Rejected;
        assert!(
            !r.is_waiting() && r.is_refused(),
            "a refused complaint sends no photo"
        );
        r.delivered = true;
        assert!(r.is_waiting(), "delivered, its photo still goes");
        r.photos[0].refused = Some("too large".into());
        assert!(!r.is_waiting() && !r.is_refused());
    }

    #[test]
    fn uploads_are_retried_only_when_the_server_may_take_them_later() {
        assert_eq!(upload_outcome(201), Upload::Stored);
        assert_eq!(upload_outcome(200), Upload::Stored);
        assert_eq!(upload_outcome(413), Upload::Refused);
        assert_eq!(upload_outcome(415), Upload::Refused);
        assert_eq!(upload_outcome(409), Upload::Refused);
        assert_eq!(upload_outcome(429), Upload::Later);
        assert_eq!(upload_outcome(503), Upload::Later);
        assert_eq!(upload_outcome(0), Upload::Later);
    }
}

/// Longest side of a photo after shrinking on the device, and the size it
/// aims at.
pub const PHOTO_MAX_SIDE: u32 = 1600;
pub const PHOTO_TARGET_BYTES: f64 = 400_000.0;

/// The size a `width` × `height` photo is drawn at: its longest side at
/// most [`PHOTO_MAX_SIDE`], its proportions kept, never enlarged.
pub fn fit(width: u32, height: u32) -> (u32, u32) {
    let longest = width.max(height);
    if longest <= PHOTO_MAX_SIDE || longest == 0 {
        return (width.max(1), height.max(1));
    }
    let scale = |side: u32| {
        ((u64::from(side) * u64::from(PHOTO_MAX_SIDE) + u64::from(longest) / 2)
            / u64::from(longest))
        .max(1) as u32
    };
    (scale(width), scale(height))
}

#[cfg(test)]
mod fit_tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn phone_photos_shrink_to_1600_on_the_long_side() {
        assert_eq!(fit(4000, 3000), (1600, 1200));
        assert_eq!(fit(3000, 4000), (1200, 1600));
        assert_eq!(fit(800, 600), (800, 600), "never enlarged");
        assert_eq!(fit(100_000, 10), (1600, 1));
        assert_eq!(fit(1, 3201), (1, 1600), "a side never shrinks to nothing");
    }

    proptest! {
        #[test]
        fn the_long_side_never_passes_1600_and_the_shape_holds(w in 1u32..20_000, h in 1u32..20_000) {
            let (a, b) = fit(w, h);
            prop_assert!(a.max(b) <= PHOTO_MAX_SIDE && a >= 1 && b >= 1);
            // A short side that would shrink below one pixel is kept at one
            // (`fit(1, 3201)`): its shape cannot hold, and is checked apart.
            let short = f64::from(w.min(h)) * f64::from(PHOTO_MAX_SIDE) / f64::from(w.max(h));
            if w.max(h) > PHOTO_MAX_SIDE && short >= 1.0 {
                prop_assert_eq!(a.max(b), PHOTO_MAX_SIDE);
                let want = f64::from(w) / f64::from(h);
                let got = f64::from(a) / f64::from(b);
                // Within a pixel's rounding of the short side.
                prop_assert!((got - want).abs() <= want / f64::from(a.min(b)).max(1.0) + 1e-9);
            }
        }
    }
}
