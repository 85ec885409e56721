//! What an export query asks for, checked against the caller's scope, and
//! the manifest that places the selected rows in the response chain.

use super::{ExportError, Format};
use crate::store::accounts::Account;
use crate::store::export::ExportFilter;
use crate::store::Store;
use app::domain::period::parse_day;
use app::domain::response::rfc3339_millis;
use app::model::figures::Selection;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, Time};
use uuid::Uuid;

/// How an export is asked for: its format, which responses and where in the
/// chain it stops. Its parameters in the API document are this and
/// [`Selection`].
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ExportQuery {
    /// `csv` (the default), `jsonl`, `xlsx` or `datapackage` (a zip).
    #[param(schema_with = export_formats)]
    pub format: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    pub filters: Selection,
    /// Only responses accepted up to this sequence number (default: all so
    /// far). Every export states its own in its manifest, so asking again with
    /// it gives the same rows.
    #[param(minimum = 0)]
    pub up_to_seq: Option<i64>,
}

fn export_formats() -> utoipa::openapi::schema::Object {
    app::model::schema::one_of(&["csv", "jsonl", "xlsx", "datapackage"])
}

impl ExportQuery {
    /// Empty fields as absent: a form sends `unit=` for "every unit".
    pub fn given(mut self) -> Self {
        let blank = |v: &mut Option<String>| {
            if v.as_deref().is_some_and(|s| s.trim().is_empty()) {
                *v = None;
            }
        };
        blank(&mut self.format);
        self.filters
            .fields_mut()
            .into_iter()
            .for_each(|(_, v)| blank(v));
        self
    }

    /// The manifest's address for this export, pinned to its `up_to_seq`.
    pub fn manifest_link(&self, up_to_seq: i64) -> String {
        let pairs: Vec<(&str, String)> = self
            .format
            .iter()
            .map(|f| ("format", f.clone()))
            .chain(self.filters.query_pairs())
            .chain([("up_to_seq", up_to_seq.to_string())])
            .collect();
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("/api/v1/export/manifest?{query}")
    }
}

/// What an export holds, so that an auditor can prove it whole: its filters,
/// how many rows, where they sit in the response chain and the chain hashes
/// around them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Manifest {
    pub format: String,
    /// The filters as asked (codes, days), `null` where not given.
    pub filters: ManifestFilters,
    /// True when nothing but `up_to_seq` narrows it: every accepted response
    /// from sequence number 1 to `up_to_seq` is a row, in order.
    pub complete: bool,
    pub up_to_seq: i64,
    pub row_count: u64,
    pub first_seq: Option<i64>,
    pub last_seq: Option<i64>,
    /// The chain hash before the first row (64 zeros before response 1).
    pub chain_before: String,
    /// The chain hash after the last row.
    pub chain_after: String,
    pub server_version: String,
    pub generated_at: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ManifestFilters {
    #[serde(flatten)]
    pub asked: Selection,
    /// A unit head's export is limited to their units: their codes.
    pub units_in_scope: Option<Vec<String>>,
}

/// A day or an instant; a day as upper bound means through its end.
fn parse_bound(s: &str, upper: bool) -> Result<i64, ExportError> {
    let t = if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        t
    } else {
        let d = parse_day(s).ok_or_else(|| ExportError::InvalidDate(s.to_owned()))?;
        let d = if upper { d.next_day().unwrap_or(d) } else { d };
        d.with_time(Time::MIDNIGHT).assume_utc()
    };
    Ok(crate::store::datetime_to_ms(t))
}

/// The format and filter an export query asks for, checked against the
/// caller's scope, and the manifest of what it selects.
pub async fn select(
    store: &Store,
    account: &Account,
    q: &ExportQuery,
) -> Result<(Format, ExportFilter, Manifest), ExportError> {
    let format = Format::parse(q.format.as_deref())?;
    let asked = &q.filters;
    let unknown = |kind: &'static str, code: &str| ExportError::Unknown {
        kind,
        code: code.to_owned(),
    };
    let mut filter = ExportFilter {
        from_ms: asked
            .from
            .as_deref()
            .map(|s| parse_bound(s, false))
            .transpose()?,
        to_ms: asked
            .to
            .as_deref()
            .map(|s| parse_bound(s, true))
            .transpose()?,
        questionnaire: asked.questionnaire.clone(),
        ..Default::default()
    };
    if let Some(code) = asked.agency.as_deref() {
        let id = store.agency_id_by_code(code).await?;
        filter.agency = Some(id.ok_or_else(|| unknown("agency", code))?);
    }
    if let Some(code) = asked.unit.as_deref() {
        let id = store.unit_id_by_code(code).await?;
        filter.unit = Some(id.ok_or_else(|| unknown("unit", code))?);
    }
    let mut service_unit = None;
    if let Some(code) = asked.service.as_deref() {
        let (id, unit) = store
            .service_ids_by_code(code)
            .await?
            .ok_or_else(|| unknown("service", code))?;
        filter.service = Some(id);
        service_unit = Some(unit);
    }
    // Leadership reads figures, not the rows (nor complaints' words).
    if !account.reads_complaints() {
        return Err(ExportError::NotYours);
    }
    let mut units_in_scope = None;
    if let Some(scope) = account.unit_scope() {
        let mine = |u: Option<Uuid>| u.is_none_or(|u| scope.contains(&u));
        if !mine(filter.unit) || !mine(service_unit) {
            return Err(ExportError::NotYours);
        }
        filter.scope = Some(scope.to_vec());
        let all = store.all_services().await?;
        let codes = crate::store::catalogue::units_in_scope(&all, Some(scope))
            .into_iter()
            .map(|(code, _)| code)
            .collect();
        units_in_scope = Some(codes);
    }
    let head = store.chain_head_seq().await?;
    let up_to_seq = match q.up_to_seq {
        Some(s) if s < 0 || s > head => return Err(ExportError::BadUpToSeq(head)),
        Some(s) => s,
        None => head,
    };
    filter.up_to_seq = Some(up_to_seq);
    let extent = store.export_extent(&filter).await?;
    let manifest = Manifest {
        format: format.as_str().to_owned(),
        filters: ManifestFilters {
            asked: asked.clone(),
            units_in_scope,
        },
        complete: filter.is_complete(),
        up_to_seq,
        row_count: extent.rows,
        first_seq: extent.first_seq,
        last_seq: extent.last_seq,
        chain_before: extent.chain_before,
        chain_after: extent.chain_after,
        server_version: env!("CARGO_PKG_VERSION").to_owned(),
        generated_at: rfc3339_millis(OffsetDateTime::now_utc()),
    };
    Ok((format, filter, manifest))
}
