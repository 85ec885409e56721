//! `suara verify-publication URL`: a published SKM figure checked by anyone
//! holding an API token: the unit's public page names the publication's
//! period and chain position; the server's export of the unit's responses
//! in that period up to that sequence number is scored again, as the server
//! scores; the two must agree.

use anyhow::{bail, Context};
use app::domain::period::period_days;
use app::domain::questionnaire::{ItemCode, ScoringMethod};
use app::domain::scoring::recompute::{first_difference, summary_of};
use app::domain::scoring::Summary;
use app::model::publication::{PublicUnit, Publication};
use std::collections::BTreeMap;

/// What the check found.
#[derive(Debug)]
pub struct PublicationCheck {
    pub publication: Publication,
    /// The first disagreement; `None` when the figures match.
    pub problem: Option<String>,
    /// How many responses were scored.
    pub rows: u64,
}

/// The site and unit a public address names: `…/publik/{unit}` or
/// `…/api/v1/public/units/{unit}`.
pub fn site_and_unit(url: &str) -> anyhow::Result<(String, String)> {
    let url = url.trim_end_matches('/');
    for marker in ["/api/v1/public/units/", "/publik/"] {
        if let Some((base, unit)) = url.split_once(marker) {
            let unit = unit.split(['?', '#', '/']).next().unwrap_or_default();
            if !unit.is_empty() {
                return Ok((base.to_owned(), unit.to_owned()));
            }
        }
    }
    bail!("{url} is not a unit's public page (…/publik/UNIT)")
}

/// Checks the publication `id` (by default the one in force) of the unit
/// at `url`, reading the export with `token`.
pub async fn verify_publication(
    url: &str,
    id: Option<&str>,
    token: &str,
) -> anyhow::Result<PublicationCheck> {
    let (base, unit) = site_and_unit(url)?;
    let http = reqwest::Client::new();
    let page_url = format!("{base}/api/v1/public/units/{unit}");
    let page: PublicUnit = http
        .get(&page_url)
        .send()
        .await
        .with_context(|| format!("cannot reach {page_url}"))?
        .error_for_status()?
        .json()
        .await
        .with_context(|| format!("{page_url} is not a unit's public data"))?;
    let publication = match id {
        Some(id) => page.publications.iter().find(|p| p.id.to_string() == id),
        None => page.publications.iter().find(|p| p.superseded_by.is_none()),
    }
    .cloned()
    .with_context(|| format!("{unit} has no such publication"))?;
    let published: Summary = serde_json::from_value(publication.figures.clone())
        .context("the publication's figures cannot be read")?;
    let f = &publication.figures;
    let questionnaire = f["questionnaire"]["id"].as_str().unwrap_or_default();
    let method: ScoringMethod = serde_json::from_value(f["questionnaire"]["method"].clone())
        .context("the publication names no scoring method")?;
    let codes: Vec<ItemCode> = published.items.iter().map(|i| i.code.clone()).collect();
    let (from, to) = period_days(&publication.period)
        .with_context(|| format!("{} is not a period", publication.period))?;
    let export_url = format!("{base}/api/v1/export");
    let response = http
        .get(&export_url)
        .query(&[
            ("format", "jsonl".to_owned()),
            ("unit", unit.clone()),
            ("questionnaire", questionnaire.to_owned()),
            ("from", from.to_string()),
            ("to", to.to_string()),
            ("up_to_seq", publication.up_to_seq.to_string()),
        ])
        .bearer_auth(token)
        .send()
        .await
        .with_context(|| format!("cannot reach {export_url}"))?;
    if !response.status().is_success() {
        let status = response.status();
        bail!(
            "the export answered {status}: {}",
            response.text().await.unwrap_or_default()
        );
    }
    let body = response.text().await?;
    let mut rows: Vec<BTreeMap<String, u8>> = Vec::new();
    for line in body.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value =
            serde_json::from_str(line).context("an export row is not JSON")?;
        let scores = v["scores"]
            .as_object()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, s)| Some((k.clone(), u8::try_from(s.as_u64()?).ok()?)))
                    .collect()
            })
            .unwrap_or_default();
        rows.push(scores);
    }
    let recomputed = summary_of(&codes, &rows, method, published.sample_target);
    Ok(PublicationCheck {
        problem: first_difference(&published, &recomputed),
        rows: rows.len() as u64,
        publication,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_public_address_names_its_site_and_unit() {
        for url in [
            "https://suara.example/publik/kanim-bandung",
            "https://suara.example/publik/kanim-bandung/?published=x",
            "https://suara.example/api/v1/public/units/kanim-bandung",
        ] {
            assert_eq!(
                super::site_and_unit(url).unwrap(),
                (
                    "https://suara.example".to_owned(),
                    "kanim-bandung".to_owned()
                ),
                "{url}"
            );
        }
        assert!(super::site_and_unit("https://suara.example/dashboard").is_err());
    }
}
