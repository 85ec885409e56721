//! What the public sees of a unit: its publications in force, its
//! complaint outcomes and the resolved complaints it may show.

use super::{at, views, PublicationError, RESOLVED_SHOWN};
use crate::store::complaints::ComplaintRecord;
use crate::store::Store;
use app::domain::complaint::outcomes::ComplaintFigures;
use app::domain::complaint::State;
use app::model::complaint::NamedRef;
use app::model::publication::{PublicUnit, PublicUnitLine, ResolvedComplaint};
use time::OffsetDateTime;
use uuid::Uuid;

/// Every unit with services, with its latest publication in force, ranked
/// in bands by it, and how it handles its complaints.
pub async fn public_units(store: &Store) -> Result<Vec<PublicUnitLine>, PublicationError> {
    let all = store.all_services().await?;
    let rows = store.publications(None).await?;
    let mut lines = lines_of(&all, &rows);
    let complaints = store.complaint_figures().await?;
    for l in &mut lines {
        if let Some(s) = all.iter().find(|s| s.unit_code == l.unit.code) {
            l.complaints = complaints.get(&s.unit_id).cloned().unwrap_or_default();
        }
    }
    let keys: Vec<_> = lines
        .iter()
        .map(|l| (l.respondents.unwrap_or(0), l.index, l.interval))
        .collect();
    for (l, band) in lines.iter_mut().zip(app::model::overview::bands(&keys)) {
        l.band = band;
    }
    Ok(lines)
}

/// Every unit of the catalogue `all` with its latest publication in force
/// among `rows`, by agency and unit name.
fn lines_of(
    all: &[crate::store::catalogue::ServiceRow],
    rows: &[crate::store::publications::PublicationRow],
) -> Vec<PublicUnitLine> {
    let mut lines: Vec<PublicUnitLine> = Vec::new();
    for s in all {
        if lines.iter().any(|l| l.unit.code == s.unit_code) {
            continue;
        }
        let latest = rows
            .iter()
            .filter(|r| r.unit_id == s.unit_id)
            .find(|r| !rows.iter().any(|o| o.supersedes == Some(r.id)));
        let figures: Option<serde_json::Value> =
            latest.and_then(|r| serde_json::from_str(&r.figures).ok());
        lines.push(PublicUnitLine {
            unit: NamedRef {
                code: s.unit_code.clone(),
                name: s.unit_name.clone(),
            },
            agency: NamedRef {
                code: s.agency_code.clone(),
                name: s.agency_name.clone(),
            },
            period: latest.map(|r| r.period.clone()),
            index: figures.as_ref().and_then(|f| f["index"].as_f64()),
            grade: figures
                .as_ref()
                .and_then(|f| f["grade"].as_str().map(str::to_owned)),
            respondents: figures.as_ref().and_then(|f| f["n"].as_u64()),
            interval: figures.as_ref().and_then(|f| {
                let i = &f["index_interval"];
                Some((i["low"].as_f64()?, i["high"].as_f64()?))
            }),
            band: None,
            complaints: Default::default(),
        });
    }
    lines.sort_by(|a, b| (&a.agency.name, &a.unit.name).cmp(&(&b.agency.name, &b.unit.name)));
    lines
}

/// What anyone sees of unit `code`: its publications, how it handles
/// complaints, and the resolved ones that may be published, redacted.
pub async fn public_unit(store: &Store, code: &str) -> Result<PublicUnit, PublicationError> {
    public_unit_in(store, &store.all_services().await?, code).await
}

/// [`public_unit`] with the catalogue read already.
pub async fn public_unit_in(
    store: &Store,
    all: &[crate::store::catalogue::ServiceRow],
    code: &str,
) -> Result<PublicUnit, PublicationError> {
    let s = all
        .iter()
        .find(|s| s.unit_code == code)
        .ok_or_else(|| PublicationError::UnknownUnit(code.to_owned()))?;
    let rows = store.publications(Some(s.unit_id)).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let actions = store.actions_of(&ids).await?;
    let complaints = store.complaint_figures().await?;
    let shown = store
        .resolved_public_of_unit(s.unit_id, RESOLVED_SHOWN)
        .await?;
    let ids: Vec<Uuid> = shown.iter().map(|c| c.id).collect();
    let mut events = store.complaint_events_of(&ids).await?;
    let mut resolved = Vec::new();
    for c in &shown {
        let history = events.remove(&c.id).unwrap_or_default();
        let files = store.attachments_of(c.id).await?;
        resolved.push(resolved_view(c, &history, &files));
    }
    let figures = complaints.get(&s.unit_id).cloned().unwrap_or_default();
    let mut unit = unit_of(s, all, &rows, &actions, figures);
    unit.resolved = resolved;
    Ok(unit)
}

/// Every unit's public page but its resolved complaints (what the Data
/// Package holds), reading each table once however many units there are.
pub async fn public_units_whole(store: &Store) -> Result<Vec<PublicUnit>, PublicationError> {
    let all = store.all_services().await?;
    let rows = store.publications(None).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let actions = store.actions_of(&ids).await?;
    let complaints = store.complaint_figures().await?;
    let mut out = Vec::new();
    for line in lines_of(&all, &rows) {
        let Some(s) = all.iter().find(|s| s.unit_code == line.unit.code) else {
            continue;
        };
        let mine: Vec<_> = rows
            .iter()
            .filter(|r| r.unit_id == s.unit_id)
            .cloned()
            .collect();
        let figures = complaints.get(&s.unit_id).cloned().unwrap_or_default();
        out.push(unit_of(s, &all, &mine, &actions, figures));
    }
    Ok(out)
}

/// Unit `s`'s public page from the catalogue `all`, its publication
/// `rows`, the follow-up `actions` (of these or more publications) and how
/// it handled its complaints; no resolved complaints.
fn unit_of(
    s: &crate::store::catalogue::ServiceRow,
    all: &[crate::store::catalogue::ServiceRow],
    rows: &[crate::store::publications::PublicationRow],
    actions: &[crate::store::publications::ActionRow],
    complaints: ComplaintFigures,
) -> PublicUnit {
    let unit = NamedRef {
        code: s.unit_code.clone(),
        name: s.unit_name.clone(),
    };
    let agency = NamedRef {
        code: s.agency_code.clone(),
        name: s.agency_name.clone(),
    };
    let today = OffsetDateTime::now_utc().date();
    let publications = views(rows, &unit, actions, today);
    let services = all
        .iter()
        .filter(|o| o.unit_id == s.unit_id)
        .map(|o| NamedRef {
            code: o.service.code.clone(),
            name: o.service.name.clone(),
        })
        .collect();
    PublicUnit {
        unit,
        agency,
        services,
        opening_hours: s
            .unit_hours
            .map(|h| format!("{h} {}", s.unit_zone.abbreviation())),
        publications,
        complaints,
        resolved: Vec::new(),
        editable: false,
    }
}

/// A complaint the public may read: resolved and publishable.
fn published(c: &ComplaintRecord) -> bool {
    c.state.is_resolved() && c.publishable()
}

/// The unit's evidence `file` of resolved complaint `id`, for anyone: only
/// of complaints the public may read, and only what the unit sent.
pub async fn complaint_evidence(
    store: &Store,
    id: Uuid,
    file: Uuid,
) -> Result<(String, Vec<u8>), PublicationError> {
    let missing = || PublicationError::UnknownAction(file.to_string());
    let c = store.complaint_by_id(id).await?.ok_or_else(missing)?;
    if !published(&c) {
        return Err(missing());
    }
    let (a, data) = store.attachment(id, file).await?.ok_or_else(missing)?;
    if a.sender != app::model::complaint::Sender::Unit {
        return Err(missing());
    }
    Ok((a.content_type, data))
}

fn resolved_view(
    c: &ComplaintRecord,
    history: &[crate::store::complaints::EventRecord],
    files: &[crate::store::complaints::AttachmentRecord],
) -> ResolvedComplaint {
    let answer = history.iter().rev().find(|e| e.state == State::Dijawab);
    ResolvedComplaint {
        id: c.id,
        service: c.service.clone(),
        submitted_at: at(c.submitted_at_ms),
        items: c.items.clone(),
        text: c.public_text.clone(),
        answer: answer.and_then(|e| e.public_note.clone()),
        answered_at: answer.map(|e| at(e.at_ms)),
        state: c.state.as_str().to_owned(),
        evidence: files
            .iter()
            .filter(|f| f.sender == app::model::complaint::Sender::Unit)
            .map(|f| format!("/api/v1/public/complaints/{}/evidence/{}", c.id, f.id))
            .collect(),
    }
}
