//! Published SKM periods and a unit's public page: what anyone may see
//! without signing in (server only).

use super::complaint::NamedRef;
use crate::domain::complaint::outcomes::ComplaintFigures;
use crate::domain::follow_up::{FollowUpStatus, Progress};
use crate::domain::questionnaire::ScoringMethod;
use crate::domain::scoring::{Moments, Summary};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `POST /api/v1/publications`: publish `unit`'s figures for `period`.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct PublishRequest {
    /// The unit's code.
    pub unit: String,
    /// `2026`, `2026-S1`, `2026-Q3` or `2026-11`.
    pub period: String,
}

/// A published period: frozen figures and the response chain's position
/// they were computed from. Never edited; a correction supersedes it.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Publication {
    pub id: Uuid,
    pub unit: NamedRef,
    pub period: String,
    /// The responses counted are those of the unit in the period with a
    /// sequence number up to this one.
    pub up_to_seq: i64,
    /// The chain hash at `up_to_seq`.
    pub chain_hash: String,
    pub published_at: String,
    /// The publication this one corrects.
    pub supersedes: Option<Uuid>,
    /// The publication that corrects this one.
    pub superseded_by: Option<Uuid>,
    /// The figures as `/api/v1/summary` gives them.
    #[schema(value_type = Object)]
    pub figures: serde_json::Value,
    /// The follow-up plan: what the unit does about its weakest elements.
    #[serde(default)]
    pub follow_up: Vec<FollowUpAction>,
    #[serde(default)]
    pub follow_up_progress: Progress,
    /// The anonymised aggregate the figures were computed from, frozen with
    /// them: anyone can recompute the figures from it. None for
    /// publications made before aggregates were kept.
    #[serde(default)]
    pub aggregate: Option<AggregateRef>,
    /// The report as the unit filed it, frozen when published: forum day,
    /// signatory, how the sample was reached, respondents by channel and
    /// the periods before. None for publications made before reports were
    /// kept with them.
    #[serde(default)]
    pub report: Option<super::report::PublishedReport>,
}

/// Where a publication's aggregate is, and the SHA-256 of its bytes.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AggregateRef {
    pub url: String,
    pub sha256: String,
}

/// `GET /api/v1/public/units/{code}/publications/{id}/aggregate.json`: what
/// a published period's figures are computed from — counts and sums over
/// the period's responses, never a response. Frozen when published; its
/// SHA-256 is in the publication and the audit log.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PublishedAggregate {
    pub unit: String,
    pub period: String,
    pub up_to_seq: i64,
    pub chain_hash: String,
    pub questionnaire: String,
    #[schema(value_type = String)]
    pub method: ScoringMethod,
    /// The item codes, in the order of `moments`.
    pub items: Vec<String>,
    pub sample_target: u64,
    /// Respondents; each item's count of answers 1, 2, 3 and 4; and for
    /// each pair of items (i < j, in order) the respondents who scored
    /// both and the sums of a, b and a×b (for the index's interval).
    #[schema(value_type = Object)]
    pub moments: Moments,
}

/// One action of a follow-up plan.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FollowUpAction {
    pub id: Uuid,
    /// The service element (item code) it answers.
    pub item: String,
    pub action: String,
    pub responsible: String,
    /// By when (YYYY-MM-DD).
    pub due_on: String,
    pub status: FollowUpStatus,
    /// Why it was dropped.
    pub reason: Option<String>,
    /// Open and past its day.
    pub overdue: bool,
    /// Evidence: addresses of photos or documents.
    pub evidence: Vec<String>,
}

/// `POST /api/v1/publications/{id}/follow-up`: a new action.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct NewAction {
    pub item: String,
    pub action: String,
    pub responsible: String,
    /// YYYY-MM-DD.
    pub due_on: String,
}

/// `POST /api/v1/follow-up/{id}`: where an action stands now.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct ActionStatus {
    pub status: FollowUpStatus,
    /// Required to drop an action.
    pub reason: Option<String>,
}

impl Publication {
    /// The frozen figures, read back.
    pub fn summary(&self) -> Option<Summary> {
        serde_json::from_value(self.figures.clone()).ok()
    }

    /// The name of element `code` in language `lang` (`id` or `en`), as the
    /// frozen figures name it; the code itself when they do not.
    pub fn item_label(&self, code: &str, lang: &str) -> String {
        self.figures["questionnaire"]["items"]
            .as_array()
            .and_then(|items| items.iter().find(|i| i["code"] == code))
            .and_then(|i| i["label"][lang].as_str())
            .unwrap_or(code)
            .to_owned()
    }

    /// The scoring method the grade was given by (`skm-2017`, …).
    pub fn method(&self) -> Option<&str> {
        self.figures["questionnaire"]["method"].as_str()
    }
}

/// A resolved `publik` or `anonim` complaint, redacted: "you said, we did".
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ResolvedComplaint {
    /// The complaint's id (never its tracking code).
    pub id: Uuid,
    pub service: NamedRef,
    pub submitted_at: String,
    /// The standards (item codes) it concerned.
    pub items: Vec<String>,
    /// What the citizen said, redacted.
    pub text: String,
    /// The unit's answer, redacted.
    pub answer: Option<String>,
    pub answered_at: Option<String>,
    /// `selesai` (the citizen confirmed) or `selesai_tanpa_konfirmasi`.
    pub state: String,
    /// The unit's evidence (photos or documents): their addresses.
    #[serde(default)]
    pub evidence: Vec<String>,
}

/// `GET /api/v1/public/units/{code}`: a unit's public page.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PublicUnit {
    pub unit: NamedRef,
    pub agency: NamedRef,
    /// The services citizens rate at this unit (their codes are on its
    /// posters: `/s/{code}`).
    #[serde(default)]
    pub services: Vec<NamedRef>,
    /// When it serves the public on working days, in its own time:
    /// `08.00–16.00 WIT`; absent when the unit has not said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opening_hours: Option<String>,
    /// Newest first; superseded ones stay, marked.
    pub publications: Vec<Publication>,
    pub complaints: ComplaintFigures,
    /// Newest first.
    pub resolved: Vec<ResolvedComplaint>,
    /// The signed-in viewer may publish and keep the follow-up of this unit
    /// (pages only).
    #[serde(skip)]
    pub editable: bool,
}

/// A unit on `/publik`: its latest published grade, if any.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PublicUnitLine {
    pub unit: NamedRef,
    pub agency: NamedRef,
    /// The latest publication not superseded: its period, index and grade.
    pub period: Option<String>,
    pub index: Option<f64>,
    pub grade: Option<String>,
    /// Of that publication: its respondents and the index's 95% interval.
    #[serde(default)]
    pub respondents: Option<u64>,
    #[serde(default)]
    pub interval: Option<(f64, f64)>,
    /// Its rank band among the units' publications in force, as the regency
    /// overview ranks (overlapping intervals share a band; fewer than 30
    /// respondents: not ranked).
    #[serde(default)]
    pub band: Option<u32>,
    /// How the unit handles its complaints now, as its own page shows.
    #[serde(default)]
    pub complaints: ComplaintFigures,
}

/// The badge a unit puts on its website: its latest published grade and
/// index with the period, or that nothing is published yet; the title and
/// label say it in words for screen readers.
pub fn badge_svg(line: &PublicUnitLine, english: bool) -> String {
    let label = if english { "Satisfaction" } else { "IKM" };
    let value = match (&line.grade, line.index, &line.period) {
        (Some(g), Some(i), Some(p)) => {
            let index = if english {
                format!("{i:.2}")
            } else {
                format!("{i:.2}").replace('.', ",")
            };
            format!("{g} · {index} · {p}")
        }
        _ if english => "not published yet".to_owned(),
        _ => "belum dipublikasikan".to_owned(),
    };
    let title = format!(
        "{}: {value} — {}",
        if english {
            "Community satisfaction index (SKM)"
        } else {
            "Indeks Kepuasan Masyarakat (SKM)"
        },
        line.unit.name
    );
    // About 7 px a character at 11 px: wide enough without measuring text.
    let (lw, vw) = (
        label.chars().count() * 7 + 12,
        value.chars().count() * 7 + 12,
    );
    let width = lw + vw;
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="{t}"><title>{t}</title><rect width="{lw}" height="20" fill="#30363d"/><rect x="{lw}" width="{vw}" height="20" fill="#0b5f4a"/><g fill="#fff" font-family="DejaVu Sans,Verdana,sans-serif" font-size="11"><text x="6" y="14">{l}</text><text x="{vx}" y="14">{v}</text></g></svg>"##,
        t = esc(&title),
        l = esc(label),
        v = esc(&value),
        vx = lw + 6,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(grade: Option<&str>) -> PublicUnitLine {
        PublicUnitLine {
            unit: NamedRef {
                code: "kanim-x".into(),
                name: "Kanim <X> & Co".into(),
            },
            agency: NamedRef {
                code: "a".into(),
                name: "A".into(),
            },
            period: grade.map(|_| "2026-S1".into()),
            respondents: None,
            interval: None,
            band: None,
            complaints: ComplaintFigures::default(),
            index: grade.map(|_| 82.5),
            grade: grade.map(str::to_owned),
        }
    }

    #[test]
    fn the_badge_says_grade_index_and_period_in_either_language() {
        let id = badge_svg(&line(Some("B")), false);
        assert!(id.contains("B · 82,50 · 2026-S1") && id.contains("<title>Indeks Kepuasan"));
        assert!(
            id.contains("Kanim &lt;X&gt; &amp; Co"),
            "names are escaped: {id}"
        );
        let en = badge_svg(&line(Some("B")), true);
        assert!(en.contains("B · 82.50 · 2026-S1") && en.contains("role=\"img\""));
        assert!(badge_svg(&line(None), false).contains("belum dipublikasikan"));
    }
}
