//! The integrity monitor: responses that arrive in patterns honest use does
//! not make are flagged, with the reason. Nothing is dropped: a flagged
//! response is stored, chained and exported like any other; figures can be
//! read with or without flagged responses, and an auditor may clear a flag
//! (with a reason, in the audit log).
//!
//! The patterns, each judged when a response is accepted, against what
//! arrived before it (in the order of the chain):
//!
//! - **same device** — the same install (its random `device_id`) rating the
//!   same service more than [`Rules::same_device_per_day`] times in one day,
//!   from a phone or a link. A kiosk is one device that rates all day, so
//!   its responses are judged by the other patterns only.
//! - **no device** — a phone or link response without the `device_id` that
//!   every client since [`DEVICE_ID_SINCE`] sends (a script that leaves it
//!   out to escape the same-device rule), or without an app version at all.
//! - **backdated** — answered more than [`Rules::backdated_days`] days
//!   before it arrived (a phone may hold answers offline for days, not for
//!   weeks; moving answers into an earlier, perhaps published, period is
//!   what back-dating would do).
//! - **burst** — more responses to a unit within one clock hour *of
//!   receipt* (so that back-dating cannot spread them) than
//!   [`Rules::burst_factor`] times its yearly service volume spread over the
//!   working hours of a year, and never fewer than [`Rules::burst_floor`].
//! - **closed hours** — a kiosk (which stands in the unit's hall) answering
//!   at night, between [`Rules::closed_from`] and [`Rules::closed_until`]
//!   local time.
//! - **identical run** — the same answers to every item, in a row, for the
//!   [`Rules::identical_run`]th time or more at one service (only for
//!   answers to at least [`MIN_ITEMS_FOR_RUN`] items, as a one-question
//!   smiley kiosk repeats itself honestly).

use super::zone::{OpeningHours, Zone};
use super::Channel;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::OffsetDateTime;
use uuid::Uuid;

/// Why a response was flagged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum FlagReason {
    SameDevice,
    Burst,
    ClosedHours,
    IdenticalRun,
    NoDevice,
    Backdated,
}

impl FlagReason {
    pub const ALL: [FlagReason; 6] = [
        FlagReason::SameDevice,
        FlagReason::Burst,
        FlagReason::ClosedHours,
        FlagReason::IdenticalRun,
        FlagReason::NoDevice,
        FlagReason::Backdated,
    ];

    /// The wire and storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SameDevice => "same-device",
            Self::Burst => "burst",
            Self::ClosedHours => "closed-hours",
            Self::IdenticalRun => "identical-run",
            Self::NoDevice => "no-device",
            Self::Backdated => "backdated",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Whether figures count flagged responses. By default they do not: a
/// flagged response is held for review until an auditor clears it, so a
/// unit cannot raise its own score by stuffing; it is still stored,
/// exported and counted in `flagged`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Flagged {
    #[default]
    Exclude,
    Include,
}

impl Flagged {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Exclude => "exclude",
            Self::Include => "include",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "exclude" => Some(Self::Exclude),
            "include" => Some(Self::Include),
            _ => None,
        }
    }
}

/// The first app version whose phones and links all send a `device_id`.
pub const DEVICE_ID_SINCE: (u32, u32, u32) = (0, 2, 0);

/// Whether `app_version` is a release from before device ids, which may
/// leave it out honestly. No version at all is not one: every release of
/// the app names itself.
fn before_device_ids(app_version: Option<&str>) -> bool {
    let Some(v) = app_version else {
        return false;
    };
    let mut parts = v.split(['.', '-', '+']).map(|p| p.parse::<u32>());
    match (parts.next(), parts.next(), parts.next()) {
        (Some(Ok(a)), Some(Ok(b)), Some(Ok(c))) => (a, b, c) < DEVICE_ID_SINCE,
        _ => false,
    }
}

/// Fewer answered items than this never make an identical run.
pub const MIN_ITEMS_FOR_RUN: usize = 5;

/// The thresholds; [`Rules::default`] is what Suara uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    /// Ratings of one service from one device in a day before the next is
    /// flagged.
    pub same_device_per_day: u32,
    /// How many times a unit's expected hourly volume a burst is.
    pub burst_factor: u32,
    /// A burst is never fewer responses in an hour than this.
    pub burst_floor: u32,
    /// Working hours in a year (250 days of 8 hours), over which a unit's
    /// yearly volume is spread.
    pub working_hours_per_year: u32,
    /// The length of an identical run that is flagged (from this response on).
    pub identical_run: u32,
    /// Kiosks are closed from this hour of their unit's zone…
    pub closed_from: u8,
    /// …until this one (exclusive), the next morning: for a unit whose
    /// opening hours are not known.
    pub closed_until: u8,
    /// A unit's kiosk is closed outside its opening hours widened by this
    /// many minutes on each side (a citizen rates just after being served).
    pub open_margin_minutes: u16,
    /// Answered more than this many days before it arrived is back-dated.
    pub backdated_days: i64,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            same_device_per_day: 3,
            burst_factor: 10,
            burst_floor: 40,
            working_hours_per_year: 2_000,
            identical_run: 20,
            closed_from: 21,
            closed_until: 5,
            open_margin_minutes: 60,
            backdated_days: 14,
        }
    }
}

impl Rules {
    /// The most responses a unit takes in an hour before the next is a burst.
    pub fn burst_threshold(&self, yearly_volume: Option<i64>) -> u32 {
        let yearly = yearly_volume.unwrap_or(0).max(0) as u64;
        let expected =
            yearly * u64::from(self.burst_factor) / u64::from(self.working_hours_per_year.max(1));
        (expected as u32).max(self.burst_floor)
    }

    /// Whether `t` is in the closed hours of a unit in `zone` open
    /// `hours` (when known).
    fn closed_at(&self, t: OffsetDateTime, zone: Zone, hours: Option<OpeningHours>) -> bool {
        let local = t.to_offset(zone.offset());
        if let Some(h) = hours {
            let minute = u16::from(local.hour()) * 60 + u16::from(local.minute());
            return !h.open_at(minute, self.open_margin_minutes);
        }
        let local = local.hour();
        if self.closed_from > self.closed_until {
            local >= self.closed_from || local < self.closed_until
        } else {
            local >= self.closed_from && local < self.closed_until
        }
    }
}

/// A response as the monitor sees it.
#[derive(Clone, Debug)]
pub struct Arrival {
    pub service: Uuid,
    pub unit: Uuid,
    pub unit_yearly_volume: Option<i64>,
    /// The unit's time zone: its closed hours are its own night…
    pub unit_zone: Zone,
    /// …or outside its opening hours, when known.
    pub unit_hours: Option<OpeningHours>,
    pub channel: Channel,
    pub device: Option<Uuid>,
    pub answered_at: OffsetDateTime,
    /// When the server received it.
    pub received_at: OffsetDateTime,
    /// The version of the app that sent it, as it says.
    pub app_version: Option<String>,
    /// Its answers, as [`vector_of`] writes them.
    pub vector: String,
    /// How many items it answers.
    pub items: usize,
}

/// Answers as one comparable value: `U1=4 U2=3 …`, in item order.
pub fn vector_of<'a>(scores: impl IntoIterator<Item = (&'a str, u8)>) -> String {
    let mut parts: Vec<(&str, u8)> = scores.into_iter().collect();
    parts.sort_unstable();
    parts
        .iter()
        .map(|(code, score)| format!("{code}={score}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The UTC day (days since 1970-01-01) and hour (hours since then) of a time.
pub fn day_and_hour(t: OffsetDateTime) -> (i64, i64) {
    let seconds = t.unix_timestamp();
    (seconds.div_euclid(86_400), seconds.div_euclid(3_600))
}

/// What the monitor remembers between arrivals: counts per device and day,
/// per unit and hour, and each service's current run of identical answers.
/// The caller loads the entries an arrival needs ([`Ledger::keys`]) from
/// storage, lets the monitor judge and count, and stores what changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    /// (service, device, UTC day) → ratings so far.
    pub devices: HashMap<(Uuid, Uuid, i64), u32>,
    /// (unit, UTC hour) → responses so far.
    pub hours: HashMap<(Uuid, i64), u32>,
    /// Service → (the last answer vector, how many times in a row).
    pub runs: HashMap<Uuid, (String, u32)>,
}

/// The entries of a [`Ledger`] that judging some arrivals reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keys {
    pub devices: Vec<(Uuid, Uuid, i64)>,
    pub hours: Vec<(Uuid, i64)>,
    pub runs: Vec<Uuid>,
}

impl Ledger {
    /// What must be loaded to judge `arrivals`.
    pub fn keys<'a>(arrivals: impl IntoIterator<Item = &'a Arrival>) -> Keys {
        let mut keys = Keys::default();
        for a in arrivals {
            let (day, _) = day_and_hour(a.answered_at);
            let (_, hour) = day_and_hour(a.received_at);
            if let Some(device) = a.device {
                keys.devices.push((a.service, device, day));
            }
            keys.hours.push((a.unit, hour));
            keys.runs.push(a.service);
        }
        keys.devices.sort_unstable();
        keys.devices.dedup();
        keys.hours.sort_unstable();
        keys.hours.dedup();
        keys.runs.sort_unstable();
        keys.runs.dedup();
        keys
    }

    /// Judges `a` against what came before it, then counts it: the reasons
    /// it is flagged for (none for most).
    pub fn arrive(&mut self, a: &Arrival, rules: &Rules) -> Vec<FlagReason> {
        let (day, _) = day_and_hour(a.answered_at);
        let (_, hour) = day_and_hour(a.received_at);
        let mut flags = Vec::new();

        let phone_or_link = matches!(a.channel, Channel::Phone | Channel::Link);
        if phone_or_link && a.device.is_none() && !before_device_ids(a.app_version.as_deref()) {
            flags.push(FlagReason::NoDevice);
        }
        if a.received_at - a.answered_at > time::Duration::days(rules.backdated_days) {
            flags.push(FlagReason::Backdated);
        }

        if let Some(device) = a.device {
            let seen = self.devices.entry((a.service, device, day)).or_default();
            if a.channel != Channel::Kiosk && *seen >= rules.same_device_per_day {
                flags.push(FlagReason::SameDevice);
            }
            *seen += 1;
        }

        let in_hour = self.hours.entry((a.unit, hour)).or_default();
        if *in_hour >= rules.burst_threshold(a.unit_yearly_volume) {
            flags.push(FlagReason::Burst);
        }
        *in_hour += 1;

        if a.channel == Channel::Kiosk && rules.closed_at(a.answered_at, a.unit_zone, a.unit_hours)
        {
            flags.push(FlagReason::ClosedHours);
        }

        let run = self
            .runs
            .entry(a.service)
            .or_insert_with(|| (String::new(), 0));
        if a.items >= MIN_ITEMS_FOR_RUN && run.0 == a.vector {
            run.1 += 1;
        } else {
            *run = (a.vector.clone(), 1);
        }
        if a.items >= MIN_ITEMS_FOR_RUN && run.1 >= rules.identical_run {
            flags.push(FlagReason::IdenticalRun);
        }
        flags
    }
}

#[cfg(test)]
mod tests;
