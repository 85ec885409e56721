//! `suara seed-synthetic --complaints N`: a year of complaints and their
//! handling across the demo catalogue, filed through the same path as the
//! phones' outbox (validation, redaction, notifications all real) and moved
//! through the unit's states as units do: most verified within three
//! working days, some late, some never; answered, confirmed by the citizen
//! or closed by the clock; a few forwarded, disputed or closed.

use super::Rng;
use crate::store::complaints::{ComplaintRecord, Step};
use crate::store::{datetime_to_ms, Store};
use app::domain::complaint::{State, TrackingCode};
use app::domain::response::rfc3339_millis;
use serde_json::json;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

const TEXTS: [&str; 6] = [
    "Antrean loket sangat panjang dan tidak ada nomor antrean sejak pagi.",
    "Petugas meminta biaya tambahan yang tidak ada di papan tarif.",
    "Berkas saya dinyatakan hilang setelah dua minggu menunggu.",
    "Informasi persyaratan di situs berbeda dengan yang diminta di loket.",
    "Ruang tunggu tidak memiliki kursi untuk lansia dan ibu hamil.",
    "Jadwal layanan berubah tanpa pemberitahuan, saya datang sia-sia.",
];

/// Files `total` complaints spread over the `days` days before `until` and
/// moves them as units would have by `until`. Returns how many were filed.
pub async fn seed(
    store: &Store,
    total: u64,
    days: u32,
    seed: u64,
    until: OffsetDateTime,
    progress: &indicatif::ProgressBar,
) -> anyhow::Result<u64> {
    crate::seed::demo(store).await?;
    let mut rng = Rng::new(seed ^ 0xC04D_1A17);
    let services = store.all_services().await?;
    anyhow::ensure!(!services.is_empty(), "no services to complain about");
    let units: Vec<Uuid> = services.iter().map(|s| s.unit_id).collect();
    let days = i64::from(days.max(1));
    let start = until - Duration::days(days);
    let mut filed = 0u64;
    let mut left = total;
    // About a day's complaints a batch (at most 500), in order, each batch
    // received at the end of its day.
    let per_batch = total.div_ceil(days as u64).clamp(1, 500);
    while left > 0 {
        let n = left.min(per_batch);
        let day = (total - left) as i64 * days / total as i64;
        left -= n;
        let received = (start + Duration::days(day + 1)).min(until);
        let mut batch = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let s = rng.pick(&services);
            let random: [u8; 11] = Uuid::from_u64_pair(rng.next_u64(), rng.next_u64()).as_bytes()
                [..11]
                .try_into()
                .unwrap_or([0; 11]);
            let privacy = ["publik", "publik", "anonim", "rahasia"][rng.below(4) as usize];
            let at = received - Duration::seconds(rng.below(86_400) as i64);
            batch.push(json!({
                "id": Uuid::from_u64_pair(rng.next_u64(), rng.next_u64()),
                "code": TrackingCode::from_random(random).to_string(),
                "service_id": s.service.id,
                "items": [],
                "text": rng.pick(&TEXTS),
                "privacy": privacy,
                "channel": "phone",
                "submitted_at": rfc3339_millis(at),
            }));
        }
        let results = store.file_complaints(batch, received).await?;
        let mut moves = Vec::with_capacity(results.len());
        for r in results {
            let Some(id) =
                r.id.filter(|_| r.status == app::domain::response::SyncStatus::Accepted)
            else {
                continue;
            };
            filed += 1;
            let Some(c) = store.complaint_by_id(id).await? else {
                continue;
            };
            let steps = course(&mut rng, &c, &units, until);
            moves.push((c, steps));
        }
        store.move_complaints(&mut moves).await?;
        progress.inc(n);
    }
    Ok(filed)
}

/// The moves of complaint `c` that happened before `until`.
fn course(
    rng: &mut Rng,
    c: &ComplaintRecord,
    units: &[Uuid],
    until: OffsetDateTime,
) -> Vec<Step<'static>> {
    let until = datetime_to_ms(until);
    let day = 86_400_000i64;
    let mut at = c.state_since_ms;
    let mut steps = Vec::new();
    let step = |to: State, at: i64, actor: &'static str| {
        let mut s = Step::by_citizen(to, at);
        s.actor = actor;
        s
    };
    let staff = "petugas@suara.test";
    // One in forty goes to another unit first, which then handles it.
    if rng.below(40) == 0 {
        at += rng.below(2 * day as u64) as i64;
        let mut s = step(State::Dialihkan, at, staff);
        s.unit = Some(*rng.pick(units));
        s.note = Some("Bukan kewenangan unit ini.");
        steps.push(s);
    }
    // One in thirty is closed (a duplicate, no substance).
    if rng.below(30) == 0 {
        at += rng.below(3 * day as u64) as i64;
        let mut s = step(State::Ditutup, at, staff);
        s.note = Some("Pengaduan ganda.");
        steps.push(s);
        return steps.into_iter().filter(|s| s.at_ms <= until).collect();
    }
    // Verified: mostly within three days, one in six later.
    at += if rng.below(6) == 0 {
        (3 + rng.below(10)) as i64 * day
    } else {
        rng.below(3 * day as u64) as i64
    };
    steps.push(step(State::Diverifikasi, at, staff));
    at += rng.below(5 * day as u64) as i64;
    steps.push(step(State::Ditindaklanjuti, at, staff));
    // Answered in days to weeks; one in ten months later.
    at += if rng.below(10) == 0 {
        (60 + rng.below(60)) as i64 * day
    } else {
        (1 + rng.below(30)) as i64 * day
    };
    let mut answer = step(State::Dijawab, at, staff);
    answer.note = Some("Sudah kami tindak lanjuti, terima kasih atas laporannya.");
    answer.note_is_message = true;
    steps.push(answer);
    // The citizen confirms (half), disputes (one in twenty) or is silent
    // and the clock closes it after ten working days.
    match rng.below(20) {
        0 => steps.push(step(State::Ditindaklanjuti, at + day, "citizen")),
        1..=10 => steps.push(step(
            State::Selesai,
            at + rng.below(5 * day as u64) as i64,
            "citizen",
        )),
        _ => steps.push(step(State::SelesaiTanpaKonfirmasi, at + 15 * day, "system")),
    }
    steps.into_iter().filter(|s| s.at_ms <= until).collect()
}
