//! A publication's follow-up plan: actions with their status and
//! evidence, kept by the unit's head or an administrator; audited.

use super::PublicationError;
use crate::store::accounts::Account;
use crate::store::publications::{ActionRow, PublicationRow};
use crate::store::Store;
use app::domain::follow_up::{check_status, FollowUpStatus};
use app::domain::period::parse_day;
use app::model::publication::{ActionStatus, FollowUpAction, NewAction};
use time::OffsetDateTime;
use uuid::Uuid;

pub(super) fn action_view(a: &ActionRow, today: time::Date) -> FollowUpAction {
    let status = FollowUpStatus::parse(&a.status).unwrap_or(FollowUpStatus::Planned);
    FollowUpAction {
        id: a.id,
        item: a.item.clone(),
        action: a.action.clone(),
        responsible: a.responsible.clone(),
        due_on: a.due_on.clone(),
        status,
        reason: a.reason.clone(),
        overdue: status.is_open() && parse_day(&a.due_on).is_some_and(|d| d < today),
        evidence: a
            .files
            .iter()
            .map(|f| format!("/api/v1/follow-up/{}/evidence/{f}", a.id))
            .collect(),
    }
}

/// Whether `account` may publish and keep the follow-up of unit `unit`.
pub fn may_edit(account: &Account, unit: Uuid) -> bool {
    account.keeps(unit)
}

/// The publication `id` and the action rows of it, checked that `account`
/// may keep its follow-up.
async fn editable_publication(
    store: &Store,
    account: &Account,
    id: Uuid,
) -> Result<PublicationRow, PublicationError> {
    let p = store
        .publication(id)
        .await?
        .ok_or_else(|| PublicationError::UnknownPublication(id.to_string()))?;
    if account.reads_only() {
        return Err(PublicationError::ReadOnly);
    }
    if !may_edit(account, p.unit_id) {
        return Err(PublicationError::NotYours);
    }
    Ok(p)
}

/// The action `id` as stored.
async fn action_row(store: &Store, id: Uuid) -> Result<ActionRow, PublicationError> {
    store
        .action(id)
        .await?
        .ok_or_else(|| PublicationError::UnknownAction(id.to_string()))
}

async fn action_now(
    store: &Store,
    id: Uuid,
    now: OffsetDateTime,
) -> Result<FollowUpAction, PublicationError> {
    let a = action_row(store, id).await?;
    let with_files = store
        .actions_of(&[a.publication_id])
        .await?
        .into_iter()
        .find(|x| x.id == id)
        .unwrap_or(a);
    Ok(action_view(&with_files, now.date()))
}

/// Adds an action to the follow-up plan of publication `publication`.
pub async fn add_action(
    store: &Store,
    account: &Account,
    publication: Uuid,
    new: &NewAction,
    now: OffsetDateTime,
) -> Result<FollowUpAction, PublicationError> {
    let p = editable_publication(store, account, publication).await?;
    let figures: serde_json::Value = serde_json::from_str(&p.figures).unwrap_or_default();
    let items: Vec<&str> = figures["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|i| i["code"].as_str()).collect())
        .unwrap_or_default();
    let bad = |why: &str| Err(PublicationError::BadAction(why.to_owned()));
    if !items.contains(&new.item.as_str()) {
        return bad("item: name one of the published period's elements (U1…U9)");
    }
    let (action, responsible) = (new.action.trim(), new.responsible.trim());
    if !(3..=1000).contains(&action.chars().count()) {
        return bad("action: say what will be done (3 to 1,000 characters)");
    }
    if !(2..=200).contains(&responsible.chars().count()) {
        return bad("responsible: name who is responsible (2 to 200 characters)");
    }
    for (field, text) in [("action", action), ("responsible", responsible)] {
        if let Err(e) = app::domain::text::check(text) {
            return bad(&format!("{field}: {e}"));
        }
    }
    let Some(due) = parse_day(new.due_on.trim()) else {
        return bad("due_on: a day, YYYY-MM-DD");
    };
    let row = ActionRow {
        id: Uuid::new_v4(),
        publication_id: p.id,
        item: new.item.clone(),
        action: action.to_owned(),
        responsible: responsible.to_owned(),
        due_on: due.to_string(),
        status: FollowUpStatus::Planned.as_str().to_owned(),
        reason: None,
        files: Vec::new(),
    };
    store
        .add_action(&row, &account.email, crate::store::datetime_to_ms(now))
        .await?;
    Ok(action_view(&row, now.date()))
}

/// Moves action `id` to `change.status` (a dropped one with its reason).
pub async fn set_status(
    store: &Store,
    account: &Account,
    id: Uuid,
    change: &ActionStatus,
    now: OffsetDateTime,
) -> Result<FollowUpAction, PublicationError> {
    let a = action_row(store, id).await?;
    editable_publication(store, account, a.publication_id).await?;
    check_status(change.status, change.reason.as_deref())?;
    let reason = change
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty() && change.status == FollowUpStatus::Dropped);
    store
        .set_action_status(
            &a,
            change.status.as_str(),
            reason,
            &account.email,
            crate::store::datetime_to_ms(now),
        )
        .await?;
    action_now(store, id, now).await
}

/// The most bytes of one piece of evidence.
pub const MAX_EVIDENCE_BYTES: usize = 5 * 1024 * 1024;

/// Attaches evidence to action `id`: a photo (its metadata removed) or a PDF.
pub async fn add_evidence(
    store: &Store,
    account: &Account,
    id: Uuid,
    data: bytes::Bytes,
    now: OffsetDateTime,
) -> Result<FollowUpAction, PublicationError> {
    use crate::complaints::attachments::{strip, Kind};
    let a = action_row(store, id).await?;
    editable_publication(store, account, a.publication_id).await?;
    if data.len() > MAX_EVIDENCE_BYTES {
        return Err(PublicationError::BadFile);
    }
    let kind = Kind::sniff(&data).ok_or(PublicationError::BadFile)?;
    let clean = strip(kind, data).ok_or(PublicationError::BadFile)?;
    store
        .add_action_file(
            id,
            kind.content_type(),
            &clean,
            &account.email,
            crate::store::datetime_to_ms(now),
        )
        .await?;
    action_now(store, id, now).await
}

/// An evidence file of action `action`: its type and bytes.
pub async fn evidence(
    store: &Store,
    action: Uuid,
    file: Uuid,
) -> Result<(String, Vec<u8>), PublicationError> {
    store
        .action_file(action, file)
        .await?
        .ok_or_else(|| PublicationError::UnknownAction(action.to_string()))
}
