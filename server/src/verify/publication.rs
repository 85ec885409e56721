//! `suara verify-publication URL`: a published SKM figure checked by anyone.
//!
//! The unit's public page names the publication's period, chain position and
//! the anonymised aggregate its figures were computed from, with that file's
//! SHA-256. Anyone can fetch the aggregate, check its hash and score it again
//! as the server scores: the figures must follow. With an API token that may
//! export the unit's responses, the check goes on to the responses
//! themselves: the export of the unit's responses in the period up to the
//! publication's sequence number must give the same aggregate and the same
//! figures, so a response altered after publishing is found.

use anyhow::{bail, Context};
use app::domain::period::period_days;
use app::domain::questionnaire::Score;
use app::domain::scoring::recompute::{
    first_aggregate_difference, first_difference, summary_of_aggregate,
};
use app::domain::scoring::{Moments, Summary};
use app::model::publication::{PublicUnit, Publication, PublishedAggregate};

/// What the check found.
#[derive(Debug)]
pub struct PublicationCheck {
    pub publication: Publication,
    /// The first disagreement; `None` when everything matches.
    pub problem: Option<String>,
    /// How many responses were scored: `None` without a token (only the
    /// aggregate was checked).
    pub rows: Option<u64>,
    /// The respondents the aggregate counts.
    pub respondents: u64,
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

/// Sends `request` (to `url`): its answer when it succeeds.
async fn sent_ok(request: reqwest::RequestBuilder, url: &str) -> anyhow::Result<reqwest::Response> {
    let r = request
        .send()
        .await
        .with_context(|| format!("cannot reach {url}"))?;
    if !r.status().is_success() {
        let status = r.status();
        bail!(
            "{url} answered {status}: {}",
            r.text().await.unwrap_or_default()
        );
    }
    Ok(r)
}

/// The moments of the export rows (JSON lines) over the items `codes`.
fn moments_of_export(body: &str, codes: &[String]) -> anyhow::Result<(Moments, u64)> {
    let mut moments = Moments::new(codes.len());
    let mut rows = 0;
    for line in body.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value =
            serde_json::from_str(line).context("an export row is not JSON")?;
        let scores: Vec<Option<Score>> = codes
            .iter()
            .map(|c| {
                v["scores"][c.as_str()]
                    .as_i64()
                    .and_then(|s| Score::new(s).ok())
            })
            .collect();
        moments.record(&scores);
        rows += 1;
    }
    Ok((moments, rows))
}

/// Checks the publication `id` (by default the one in force) of the unit
/// at `url`: from its published aggregate, and with `token` also from the
/// responses.
pub async fn verify_publication(
    url: &str,
    id: Option<&str>,
    token: Option<&str>,
) -> anyhow::Result<PublicationCheck> {
    let (base, unit) = site_and_unit(url)?;
    let http = reqwest::Client::new();
    let page_url = format!("{base}/api/v1/public/units/{unit}");
    let page: PublicUnit = sent_ok(http.get(&page_url), &page_url)
        .await?
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
    if publication.figures.get("withheld").is_some() {
        anyhow::bail!(
            "this publication withholds its figures (fewer respondents than the suppression \
             threshold): it publishes only their number, {}, which an export can confirm",
            published.n
        );
    }
    let reference = publication.aggregate.clone().context(
        "this publication was made before aggregates were published; only an export can check it",
    )?;

    // The aggregate: the bytes the publication names, and the figures.
    let aggregate_url = format!("{base}{}", reference.url);
    let bytes = sent_ok(http.get(&aggregate_url), &aggregate_url)
        .await?
        .bytes()
        .await?;
    let mut check = PublicationCheck {
        problem: None,
        rows: None,
        respondents: 0,
        publication,
    };
    let got = crate::store::sha256_hex(&bytes);
    if got != reference.sha256 {
        check.problem = Some(format!(
            "the aggregate's SHA-256 is {got}, the publication names {}",
            reference.sha256
        ));
        return Ok(check);
    }
    let aggregate: PublishedAggregate =
        serde_json::from_slice(&bytes).context("the aggregate cannot be read")?;
    let p = &check.publication;
    if aggregate.up_to_seq != p.up_to_seq || aggregate.chain_hash != p.chain_hash {
        check.problem = Some("the aggregate names another chain position".to_owned());
        return Ok(check);
    }
    check.respondents = aggregate.moments.respondents();
    let from_aggregate = summary_of_aggregate(
        &aggregate.items,
        &aggregate.moments,
        aggregate.method,
        aggregate.sample_target,
    )
    .map_err(anyhow::Error::msg)?;
    if let Some(d) = first_difference(&published, &from_aggregate) {
        check.problem = Some(format!("the aggregate does not give the figures: {d}"));
        return Ok(check);
    }
    let Some(token) = token else {
        return Ok(check);
    };

    // The responses, through the export.
    let (from, to) =
        period_days(&p.period).with_context(|| format!("{} is not a period", p.period))?;
    let export_url = format!("{base}/api/v1/export");
    let request = http.get(&export_url).bearer_auth(token).query(&[
        ("format", "jsonl".to_owned()),
        ("unit", unit.clone()),
        ("questionnaire", aggregate.questionnaire.clone()),
        ("from", from.to_string()),
        ("to", to.to_string()),
        ("up_to_seq", p.up_to_seq.to_string()),
    ]);
    let response = sent_ok(request, &export_url).await?;
    let (moments, rows) = moments_of_export(&response.text().await?, &aggregate.items)?;
    check.rows = Some(rows);
    check.problem = first_aggregate_difference(&aggregate.items, &aggregate.moments, &moments)
        .map(|d| format!("the responses do not give the published aggregate: {d}"));
    Ok(check)
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
