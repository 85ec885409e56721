//! Reading accepted responses back with their scores, one response at a
//! time: what `rollups::rebuild` counts. Rows stream from the database in
//! response order, so memory stays flat at any number of responses.

use app::domain::scoring::Attribute;
use futures::TryStreamExt;
use sqlx::{AnyConnection, Row};

/// One response and its scores.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScoredResponse {
    pub service_id: String,
    pub questionnaire_id: String,
    pub questionnaire_version: i64,
    pub answered_at_ms: i64,
    /// Respondent attributes in [`Attribute::ALL`] order, as stored.
    pub attributes: [Option<String>; 5],
    /// (item code, score 1–4).
    pub scores: Vec<(String, i64)>,
}

fn column(a: Attribute) -> &'static str {
    match a {
        Attribute::Sex => "respondent_sex",
        Attribute::AgeBand => "respondent_age_band",
        Attribute::Education => "respondent_education",
        Attribute::Occupation => "respondent_occupation",
        Attribute::Disability => "respondent_disability",
    }
}

/// Calls `each` for every stored response, with all its scores, on
/// connection `c` (so that it can run inside a transaction).
pub async fn scan_scored(
    c: &mut AnyConnection,
    mut each: impl FnMut(&ScoredResponse),
) -> sqlx::Result<()> {
    let attributes: Vec<String> = Attribute::ALL
        .iter()
        .map(|a| format!("r.{}", column(*a)))
        .collect();
    let sql = format!(
        "SELECT r.id, r.service_id, r.questionnaire_id, r.questionnaire_version, \
         r.answered_at_ms, {}, s.item_code, s.score \
         FROM responses r JOIN response_scores s ON s.response_id = r.id \
         ORDER BY r.id, s.item_code",
        attributes.join(", ")
    );
    let mut rows = sqlx::query(&sql).fetch(&mut *c);
    let mut current: Option<(String, ScoredResponse)> = None;
    while let Some(row) = rows.try_next().await? {
        let id: String = row.try_get("id")?;
        if current.as_ref().is_some_and(|(c, _)| *c != id) {
            if let Some((_, r)) = current.take() {
                each(&r);
            }
        }
        let (_, r) = match &mut current {
            Some(c) => c,
            None => {
                let mut attributes: [Option<String>; 5] = Default::default();
                for (slot, a) in attributes.iter_mut().zip(Attribute::ALL) {
                    *slot = row.try_get(column(a))?;
                }
                current.insert((
                    id,
                    ScoredResponse {
                        service_id: row.try_get("service_id")?,
                        questionnaire_id: row.try_get("questionnaire_id")?,
                        questionnaire_version: row.try_get("questionnaire_version")?,
                        answered_at_ms: row.try_get("answered_at_ms")?,
                        attributes,
                        scores: Vec::new(),
                    },
                ))
            }
        };
        r.scores
            .push((row.try_get("item_code")?, row.try_get("score")?));
    }
    if let Some((_, r)) = current {
        each(&r);
    }
    Ok(())
}
