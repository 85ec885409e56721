//! `suara seed-synthetic --responses N`: a year of realistic responses across
//! the demo catalogue, sent through the same ingest as the sync API (so
//! validation, content hashes and roll-ups are all real), for trying Suara at
//! scale and for benchmarks.
//!
//! Realism, roughly: busier services get more responses; each service has its
//! own level, and some standards (complaint handling, waiting time) trail the
//! others; a respondent's mood moves all their answers together; one item in
//! twenty is skipped; two in three give some profile; one in ten comments.
//! Responses arrive as phones send them: per service and day, in batches.

pub mod complaints;

use crate::store::catalogue::ServiceRow;
use crate::store::Store;
use app::domain::Questionnaire;
use serde_json::{json, Value};
use time::{Duration, OffsetDateTime};

/// A seeded generator (SplitMix64): the same data for the same seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// One of `xs`, uniformly.
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

const COMMENTS: [&str; 8] = [
    "Petugas ramah dan membantu.",
    "Antrean terlalu lama, mohon ditambah loket.",
    "Persyaratan kurang jelas di website.",
    "Pelayanan cepat, terima kasih!",
    "Ruang tunggu panas, AC tidak menyala.",
    "Biaya tidak sesuai dengan yang diumumkan.",
    "Pengaduan saya belum ditanggapi.",
    "Sangat puas, prosesnya mudah.",
];

/// The items that trail in practice.
const WEAK_ITEMS: [&str; 4] = ["U3", "U8", "responsive", "participatory"];

struct Service {
    id: String,
    questionnaire: Questionnaire,
    /// Relative traffic.
    weight: f64,
    /// Mean answer on a 0–3 scale before mood and noise.
    level: f64,
}

fn respondent(rng: &mut Rng) -> Option<Value> {
    if rng.below(3) == 0 {
        return None;
    }
    let mut p = serde_json::Map::new();
    let mut maybe = |rng: &mut Rng, key: &str, values: &[&str]| {
        if rng.below(5) != 0 {
            p.insert(key.into(), json!(*rng.pick(values)));
        }
    };
    maybe(rng, "sex", &["female", "male"]);
    maybe(
        rng,
        "age_band",
        &["under-20", "20-29", "30-39", "40-49", "50-59", "60-plus"],
    );
    maybe(
        rng,
        "education",
        &[
            "SD", "SMP", "SMA", "SMA", "D1-D3", "D4-S1", "D4-S1", "S2", "S3",
        ],
    );
    maybe(
        rng,
        "occupation",
        &[
            "pns",
            "tni-polri",
            "swasta",
            "swasta",
            "wirausaha",
            "pelajar-mahasiswa",
            "lainnya",
        ],
    );
    if rng.below(5) != 0 {
        let d = if rng.below(20) == 0 {
            "yes"
        } else if rng.below(15) == 0 {
            "prefer-not-to-say"
        } else {
            "no"
        };
        p.insert("disability".into(), json!(d));
    }
    Some(Value::Object(p))
}

fn response(rng: &mut Rng, s: &Service, answered_at: OffsetDateTime) -> Value {
    let mood = (rng.unit() - 0.5) * 1.6;
    let mut scores = serde_json::Map::new();
    for item in &s.questionnaire.items {
        if rng.below(20) == 0 {
            continue;
        }
        let weak = if WEAK_ITEMS.contains(&item.code.as_str()) {
            0.45
        } else {
            0.0
        };
        let x = s.level + mood - weak + (rng.unit() - 0.5) * 1.2;
        scores.insert(
            item.code.to_string(),
            json!((x.round().clamp(0.0, 3.0) as i64) + 1),
        );
    }
    let channel = ["phone", "phone", "link", "kiosk"][rng.below(4) as usize];
    let mut r = json!({
        "id": uuid::Uuid::from_u64_pair(rng.next_u64(), rng.next_u64()).to_string(),
        "service_id": s.id,
        "questionnaire_id": s.questionnaire.id,
        "questionnaire_version": s.questionnaire.version,
        "answered_at": app::domain::response::rfc3339_millis(answered_at),
        "channel": channel,
        "scores": scores,
        "app_version": "synthetic",
        "device_id": uuid::Uuid::from_u64_pair(rng.next_u64(), rng.next_u64()).to_string(),
    });
    if let Some(p) = respondent(rng) {
        r["respondent"] = p;
    }
    if rng.below(10) == 0 {
        r["comment"] = json!(COMMENTS[rng.below(COMMENTS.len() as u64) as usize]);
    }
    r
}

/// Sends `total` responses spread over the `days` days before `until`, and
/// draws a progress bar on stderr when it is a terminal. Returns how many were accepted.
pub async fn seed(
    store: &Store,
    total: u64,
    days: u32,
    seed: u64,
    until: OffsetDateTime,
) -> anyhow::Result<u64> {
    // Hidden (no output at all) when stderr is not a terminal.
    let progress = indicatif::ProgressBar::new(total);
    progress.set_style(
        indicatif::ProgressStyle::with_template(
            "[{bar:30}] {pos}/{len} responses ({percent}%), {per_sec}, {eta} left",
        )
        .expect("a valid template")
        .progress_chars("#>."),
    );
    let mut accepted = 0u64;
    let mut batches = Batches::new(store, total, days, seed, until).await?;
    while let Some((mut batch, received_at)) = batches.next_batch() {
        let n = batch.len() as u64;
        accepted += send(store, &mut batch, received_at).await?;
        progress.inc(n);
    }
    progress.finish_and_clear();
    Ok(accepted)
}

/// Realistic responses as the sync API receives them: `total` spread over
/// the `days` days before `until`, in batches of at most 500 received at
/// the end of their day (the demo catalogue loaded first).
pub struct Batches {
    rng: Rng,
    services: Vec<Service>,
    left: Vec<u64>,
    start: OffsetDateTime,
    days: u32,
    day: u32,
    /// The day's responses not yet handed out.
    pending: Vec<Value>,
}

impl Batches {
    pub async fn new(
        store: &Store,
        total: u64,
        days: u32,
        seed: u64,
        until: OffsetDateTime,
    ) -> anyhow::Result<Self> {
        crate::seed::demo(store).await?;
        let mut rng = Rng::new(seed);
        let rows: Vec<ServiceRow> = store.all_services().await?;
        let mut services = Vec::new();
        for row in rows {
            let Some(q) = store
                .questionnaire_versions(&row.service.questionnaire_id)
                .await?
                .into_iter()
                .find(|q| q.version == row.service.questionnaire_version)
            else {
                continue;
            };
            services.push(Service {
                id: row.service.id.to_string(),
                questionnaire: q,
                weight: 0.3 + rng.unit() * 2.0,
                level: 1.6 + rng.unit() * 1.0,
            });
        }
        anyhow::ensure!(!services.is_empty(), "no services to rate");
        let weights: f64 = services.iter().map(|s| s.weight).sum();
        // Each service's share of the total, the remainder to the first.
        let mut left: Vec<u64> = services
            .iter()
            .map(|s| (total as f64 * s.weight / weights).floor() as u64)
            .collect();
        left[0] += total - left.iter().sum::<u64>();
        let days = days.max(1);
        Ok(Self {
            rng,
            services,
            left,
            start: until - Duration::days(i64::from(days)),
            days,
            day: 0,
            pending: Vec::new(),
        })
    }

    /// The next batch and when it is received; `None` after the last.
    pub fn next_batch(&mut self) -> Option<(Vec<Value>, OffsetDateTime)> {
        while self.pending.is_empty() && self.day < self.days {
            self.fill_day();
        }
        if self.pending.is_empty() {
            return None;
        }
        let day_start = self.start + Duration::days(i64::from(self.day - 1));
        let take = self.pending.len().min(500);
        let batch: Vec<Value> = self.pending.drain(..take).collect();
        Some((batch, day_start + Duration::days(1)))
    }

    /// The responses of the next day.
    fn fill_day(&mut self) {
        let day_start = self.start + Duration::days(i64::from(self.day));
        let remaining_days = u64::from(self.days - self.day);
        self.day += 1;
        for (s, left) in self.services.iter().zip(self.left.iter_mut()) {
            // Spread evenly over the days still to come; the last takes the rest.
            let n = if remaining_days == 1 {
                *left
            } else {
                (*left as f64 / remaining_days as f64).round() as u64
            };
            *left -= n;
            for _ in 0..n {
                // Office hours, 08:00–16:00 WIB (01:00–09:00 UTC).
                let at = day_start + Duration::seconds(3_600 + self.rng.below(8 * 3_600) as i64);
                self.pending.push(response(&mut self.rng, s, at));
            }
        }
    }
}

/// Ingests a day's batch as the sync API would, received at the day's end.
async fn send(
    store: &Store,
    batch: &mut Vec<Value>,
    day_start: OffsetDateTime,
) -> anyhow::Result<u64> {
    let results = store
        .ingest(std::mem::take(batch), day_start + Duration::days(1))
        .await?;
    Ok(results
        .iter()
        .filter(|r| r.status == app::domain::response::SyncStatus::Accepted)
        .count() as u64)
}
