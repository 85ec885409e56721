//! The page data of the staff's tools: every poster of a unit; and the
//! administrators': their page, the preview of an uploaded catalogue file,
//! an invitation link just made.

use super::{err, qr_svg, refused, StoreBackend};
use crate::auth::Role;
use crate::store::accounts::Account;
use crate::store::catalogue::units_in_scope;
use app::backend::{Backend, BackendError};
use app::model::account_link::{IssuedLink, LinkState};
use app::model::admin_page::AdminData;
use app::model::catalogue_import::ImportPreview;
use app::model::form::{Poster, PosterSet};
use app::model::outcome::{Refusal, Staff};

pub(super) async fn posters(
    b: &StoreBackend,
    session_token: &str,
    unit: Option<String>,
    agency: Option<String>,
) -> Result<Staff<PosterSet>, BackendError> {
    let Some(account) = b.session(session_token).await? else {
        return Ok(Staff::SignedOut);
    };
    let all = b.store.all_services().await.map_err(err)?;
    let scope = account.unit_scope();
    let units = units_in_scope(&all, scope);
    let (chosen, title): (Vec<_>, String) = match (&unit, &agency) {
        (Some(u), _) => {
            let rows: Vec<_> = all.iter().filter(|r| &r.unit_code == u).collect();
            let title = rows
                .first()
                .map(|r| r.unit_name.clone())
                .unwrap_or_default();
            (rows, title)
        }
        (None, Some(a)) => {
            let rows: Vec<_> = all.iter().filter(|r| &r.agency_code == a).collect();
            let title = rows
                .first()
                .map(|r| r.agency_name.clone())
                .unwrap_or_default();
            (rows, title)
        }
        (None, None) => {
            return Ok(Staff::Ready(Box::new(PosterSet {
                title: String::new(),
                posters: vec![],
                units,
            })))
        }
    };
    if chosen.is_empty() {
        return Ok(Staff::Refused {
            reason: Refusal::NotFound,
            detail: "no unit or agency with services has this code".into(),
        });
    }
    // A unit head prints their own units' posters, of an agency too.
    let mine: Vec<_> = chosen
        .into_iter()
        .filter(|r| scope.is_none_or(|u| u.contains(&r.unit_id)))
        .collect();
    if mine.is_empty() {
        return Ok(Staff::Refused {
            reason: Refusal::Forbidden,
            detail: "these services are not in your units".into(),
        });
    }
    let mut posters = Vec::with_capacity(mine.len());
    for row in mine {
        let link = format!("{}/s/{}", b.public_url, row.service.code);
        let qr_svg =
            qr_svg(&link).ok_or_else(|| BackendError(format!("no QR code for {link}").into()))?;
        posters.push(Poster {
            service_name: row.service.name.clone(),
            unit_name: row.unit_name.clone(),
            agency_name: row.agency_name.clone(),
            link,
            qr_svg,
        });
    }
    Ok(Staff::Ready(Box::new(PosterSet {
        title,
        posters,
        units,
    })))
}

pub(super) async fn catalogue_import(
    b: &StoreBackend,
    session_token: &str,
    id: &str,
) -> Result<Staff<ImportPreview>, BackendError> {
    if let Err(page) = administrator(b, session_token, "importing the catalogue").await? {
        return Ok(page);
    }
    let Ok(id) = uuid::Uuid::parse_str(id) else {
        return refused(crate::catalogue::CatalogueError::UnknownUpload);
    };
    match crate::catalogue::preview_upload(&b.store, id).await {
        Ok((import, file_name, uploaded_by)) => Ok(Staff::Ready(Box::new(ImportPreview {
            id,
            file_name,
            sha256: import.sha256,
            uploaded_by,
            plan: import.plan,
        }))),
        Err(e) => refused(e),
    }
}

pub(super) async fn issued_link(
    b: &StoreBackend,
    session_token: &str,
    id: &str,
    token: Option<String>,
) -> Result<Staff<IssuedLink>, BackendError> {
    if let Err(page) = administrator(b, session_token, "making invitation links").await? {
        return Ok(page);
    }
    let found = match uuid::Uuid::parse_str(id) {
        Ok(id) => b.store.account_link(id).await.map_err(err)?,
        Err(_) => None,
    };
    let Some((link, hash)) = found else {
        return Ok(Staff::Refused {
            reason: Refusal::NotFound,
            detail: "no invitation or reset link has this address".into(),
        });
    };
    // The address only for the browser that made it, while it can be used.
    let url = token
        .filter(|t| crate::auth::hash_token(t) == hash && link.state == LinkState::Open)
        .map(|t| b.public_link(&crate::store::account_links::link_path(&t)));
    Ok(Staff::Ready(Box::new(IssuedLink { link, url })))
}

/// The session's account when it is an administrator's; else what the page
/// shows instead (sign in first, or `what` is for administrators).
async fn administrator<T>(
    b: &StoreBackend,
    session_token: &str,
    what: &str,
) -> Result<Result<Account, Staff<T>>, BackendError> {
    let Some(account) = b.session(session_token).await? else {
        return Ok(Err(Staff::SignedOut));
    };
    if account.role != Role::Admin {
        return Ok(Err(Staff::Refused {
            reason: Refusal::Forbidden,
            detail: format!("{what} is for administrators"),
        }));
    }
    Ok(Ok(account))
}

pub(super) async fn admin(
    b: &StoreBackend,
    session_token: &str,
) -> Result<Staff<AdminData>, BackendError> {
    let account = match administrator(b, session_token, "the administration page").await? {
        Ok(account) => account,
        Err(page) => return Ok(page),
    };
    let store = &b.store;
    let this_year = time::OffsetDateTime::now_utc().year();
    let calendar = store
        .calendar()
        .await
        .map_err(err)?
        .closures()
        .filter(|c| c.date.year() >= this_year)
        .cloned()
        .collect();
    Ok(Staff::Ready(Box::new(AdminData {
        email: account.email,
        catalog: store.catalog().await.map_err(err)?,
        accounts: store.admin_accounts().await.map_err(err)?,
        audit: store.audit_log(100).await.map_err(err)?,
        calendar,
        links: store.open_links().await.map_err(err)?,
        mail_on: b.mail,
    })))
}
