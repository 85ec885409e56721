//! What pages read: the app's [`Backend`] seam, implemented over the
//! store and the service modules (figures, the SKM report).

use crate::auth::Role;
use crate::complaints;
use crate::figures::{figures, select_scope, FigureQuery};
use crate::refusal::Refuse;
use crate::report;
use crate::store::accounts::Account;
use crate::store::catalogue::units_in_scope;
use crate::store::comments::CommentQuery;
use crate::store::Store;
use app::backend::{Backend, BackendError};
use app::domain::catalogue::Catalog;
use app::domain::period::DAY_MS;
use app::domain::query::DayRange;
use app::model::account_link::{IssuedLink, LinkOffer};
use app::model::admin_page::AdminData;
use app::model::catalogue_import::ImportPreview;
use app::model::complaint::{ComplaintPage, Queue, QueueFilter};
use app::model::dashboard::{AccountView, Dashboard, ServiceSummary};
use app::model::export_page::ExportPageData;
use app::model::figures::{CommentFilter, CommentView, ScopeChoice, StaffFigures};
use app::model::form::{Poster, PosterSet, ServiceForm};
use app::model::integrity::IntegrityPage;
use app::model::notification::NotificationsPage;
use app::model::outcome::Staff;
use app::model::overview::RegencyOverview;
use app::model::publication::{PublicUnit, PublicUnitLine};
use app::model::report::SkmReport;
pub use app::qr::svg as qr_svg;
use std::sync::Arc;

mod tools;

pub struct StoreBackend {
    store: Store,
    /// Every unit's overview row, shared with the spreadsheet downloads.
    overviews: Arc<crate::overview::Overviews>,
    /// Where citizens open Suara, without a trailing slash.
    public_url: String,
    /// Whether notifications go out by e-mail.
    mail: bool,
}

impl StoreBackend {
    pub fn new(
        store: Store,
        overviews: Arc<crate::overview::Overviews>,
        public_url: String,
        mail: bool,
    ) -> Self {
        Self {
            store,
            overviews,
            public_url,
            mail,
        }
    }

    async fn session(&self, token: &str) -> Result<Option<Account>, BackendError> {
        self.store.session_account(token).await.map_err(err)
    }
}

fn view_of(account: Account) -> AccountView {
    AccountView {
        email: account.email,
        role: account.role.as_str().to_owned(),
    }
}

fn err(e: sqlx::Error) -> BackendError {
    BackendError::new(e)
}

/// A page's refusal (its status and detail) made by `outcome`, or the
/// server's failure.
fn refused<T, E: Refuse + Send + Sync + 'static>(e: E) -> Result<Staff<T>, BackendError> {
    match e.refusal() {
        Some(reason) => Ok(Staff::Refused {
            reason,
            detail: e.to_string(),
        }),
        None => Err(BackendError::new(e)),
    }
}

#[async_trait::async_trait]
impl Backend for StoreBackend {
    async fn catalog(&self) -> Result<Catalog, BackendError> {
        self.store.catalog().await.map_err(err)
    }

    async fn service_form(&self, code: &str) -> Result<Option<ServiceForm>, BackendError> {
        Ok(self
            .store
            .service_by_code(code)
            .await
            .map_err(err)?
            .map(|(row, questionnaire)| ServiceForm {
                service: row.service,
                unit_code: row.unit_code,
                unit_name: row.unit_name,
                agency_name: row.agency_name,
                questionnaire,
            }))
    }

    async fn poster(&self, code: &str) -> Result<Option<Poster>, BackendError> {
        let Some((row, _)) = self.store.service_by_code(code).await.map_err(err)? else {
            return Ok(None);
        };
        let link = format!("{}/s/{}", self.public_url, row.service.code);
        let qr_svg =
            qr_svg(&link).ok_or_else(|| BackendError(format!("no QR code for {link}").into()))?;
        Ok(Some(Poster {
            service_name: row.service.name,
            unit_name: row.unit_name,
            agency_name: row.agency_name,
            link,
            qr_svg,
        }))
    }

    async fn posters(
        &self,
        session_token: &str,
        unit: Option<String>,
        agency: Option<String>,
    ) -> Result<Staff<PosterSet>, BackendError> {
        tools::posters(self, session_token, unit, agency).await
    }

    async fn dashboard(&self, session_token: &str) -> Result<Option<Dashboard>, BackendError> {
        let Some(account) = self.session(session_token).await? else {
            return Ok(None);
        };
        let services = self
            .store
            .service_tallies(account.unit_scope())
            .await
            .map_err(err)?
            .into_iter()
            .map(ServiceSummary::from)
            .collect();
        // Counted from the open complaints' clocks: no words are read.
        let now = time::OffsetDateTime::now_utc();
        let cal = self.store.calendar().await.map_err(err)?;
        let (mut open, mut overdue) = (0, 0);
        let clocks = self.store.open_clocks(account.unit_scope()).await;
        for c in clocks.map_err(err)? {
            open += 1;
            let late = c.running_deadline(&cal);
            overdue += u64::from(late.is_some_and(|d| d.overdue(c.unit_zone.date(now))));
        }
        Ok(Some(Dashboard {
            account: view_of(account),
            services,
            complaints_open: open,
            complaints_overdue: overdue,
        }))
    }

    async fn account(&self, session_token: &str) -> Result<Option<AccountView>, BackendError> {
        Ok(self.session(session_token).await?.map(view_of))
    }

    async fn figures(
        &self,
        session_token: &str,
        query: FigureQuery,
        comments: Option<CommentFilter>,
    ) -> Result<Staff<StaffFigures>, BackendError> {
        let Some(account) = self.session(session_token).await? else {
            return Ok(Staff::SignedOut);
        };
        let scope = account.unit_scope();
        let all = self.store.all_services().await.map_err(err)?;
        // The picker offers what the account may see; the figures, the scope asked for.
        let mine: Vec<_> = all
            .iter()
            .filter(|s| scope.is_none_or(|u| u.contains(&s.unit_id)))
            .cloned()
            .collect();
        let (view, services) = match select_scope(all, &query.scope, scope) {
            Ok(found) => found,
            Err(e) => return refused(e),
        };
        let service_ids: Vec<_> = services.iter().map(|s| s.service.id).collect();
        let days = query.days.day_numbers();
        let answer = match figures(&self.store, view, services, &query).await {
            Ok(a) => a,
            Err(e) => return refused(e),
        };
        let mut choices: Vec<ScopeChoice> = Vec::new();
        for s in &mine {
            if !choices
                .iter()
                .any(|c| c.kind == "unit" && c.code == s.unit_code)
            {
                choices.push(ScopeChoice {
                    kind: "unit",
                    code: s.unit_code.clone(),
                    name: s.unit_name.clone(),
                    unit_name: None,
                });
            }
        }
        choices.extend(mine.into_iter().map(|s| ScopeChoice {
            kind: "service",
            code: s.service.code,
            name: s.service.name,
            unit_name: Some(s.unit_name),
        }));
        let comments = match comments {
            None => None,
            Some(f) => {
                let q = CommentQuery {
                    services: service_ids,
                    from_ms: days.0.map(|d| d * DAY_MS),
                    to_ms: days.1.map(|d| d * DAY_MS),
                    item_score: f.item_score.map(|(i, s)| (i, i64::from(s))),
                    before_ms: f.before_ms,
                    limit: 50,
                };
                let rows = self.store.comments(&q).await.map_err(err)?;
                Some(
                    rows.into_iter()
                        .map(|c| CommentView {
                            service_name: c.service_name,
                            answered_at: c
                                .zone
                                .show(crate::store::ms_to_datetime(c.answered_at_ms)),
                            answered_at_ms: c.answered_at_ms,
                            comment: c.comment,
                            scores: c
                                .scores
                                .into_iter()
                                .map(|(i, s)| (i, u8::try_from(s).unwrap_or(0)))
                                .collect(),
                        })
                        .collect(),
                )
            }
        };
        Ok(Staff::Ready(Box::new(StaffFigures {
            account: view_of(account),
            choices,
            answer,
            comments,
        })))
    }

    async fn catalogue_import(
        &self,
        session_token: &str,
        id: &str,
    ) -> Result<Staff<ImportPreview>, BackendError> {
        tools::catalogue_import(self, session_token, id).await
    }

    async fn admin(&self, session_token: &str) -> Result<Staff<AdminData>, BackendError> {
        tools::admin(self, session_token).await
    }

    async fn issued_link(
        &self,
        session_token: &str,
        id: &str,
        token: Option<String>,
    ) -> Result<Staff<IssuedLink>, BackendError> {
        tools::issued_link(self, session_token, id, token).await
    }

    async fn link_offer(&self, token: &str) -> Result<Option<LinkOffer>, BackendError> {
        self.store.link_offer(token).await.map_err(err)
    }

    async fn overview(
        &self,
        session_token: &str,
        agency: Option<String>,
        sort: String,
    ) -> Result<Staff<RegencyOverview>, BackendError> {
        let Some(account) = self.session(session_token).await? else {
            return Ok(Staff::SignedOut);
        };
        if !matches!(account.role, Role::Admin | Role::Auditor | Role::Leadership) {
            return Ok(Staff::Refused {
                reason: app::model::outcome::Refusal::Forbidden,
                detail: "the regency overview is for administrators, auditors and leadership"
                    .into(),
            });
        }
        let now = time::OffsetDateTime::now_utc();
        crate::overview::regency(
            &self.store,
            &self.overviews,
            &account,
            agency.as_deref(),
            &sort,
            now,
        )
        .await
        .map(|o| Staff::Ready(Box::new(o)))
        .map_err(BackendError::new)
    }

    async fn notifications(
        &self,
        session_token: &str,
    ) -> Result<Staff<NotificationsPage>, BackendError> {
        let Some(account) = self.session(session_token).await? else {
            return Ok(Staff::SignedOut);
        };
        let page = crate::notifications::page(&self.store, &account, self.mail)
            .await
            .map_err(err)?;
        Ok(Staff::Ready(Box::new(page)))
    }

    async fn export_page(
        &self,
        session_token: &str,
    ) -> Result<Staff<ExportPageData>, BackendError> {
        let Some(account) = self.session(session_token).await? else {
            return Ok(Staff::SignedOut);
        };
        if !account.reads_complaints() {
            return Ok(Staff::Refused {
                reason: app::model::outcome::Refusal::Forbidden,
                detail: "leadership reads the overview and the reports, not the rows".into(),
            });
        }
        let all = self.store.all_services().await.map_err(err)?;
        let units = units_in_scope(&all, account.unit_scope());
        let up_to_seq = self.store.chain_head_seq().await.map_err(err)?;
        let chain_hash = self
            .store
            .chain_at(up_to_seq)
            .await
            .map_err(err)?
            .unwrap_or_default();
        let audit = match account.role {
            Role::Auditor | Role::Admin => Some(self.store.audit_log(50).await.map_err(err)?),
            Role::UnitHead | Role::Leadership => None,
        };
        Ok(Staff::Ready(Box::new(ExportPageData {
            email: account.email,
            units,
            up_to_seq,
            chain_hash,
            audit,
        })))
    }

    async fn skm_report(
        &self,
        session_token: &str,
        unit: Option<String>,
        period: Option<String>,
        flagged: app::domain::integrity::Flagged,
    ) -> Result<Staff<SkmReport>, BackendError> {
        let Some(account) = self.session(session_token).await? else {
            return Ok(Staff::SignedOut);
        };
        match report::skm_report(&self.store, &account, unit, period, flagged).await {
            Ok(r) => Ok(Staff::Ready(Box::new(r))),
            Err(e) => refused(e),
        }
    }

    async fn complaint(
        &self,
        session_token: Option<String>,
        code: &str,
    ) -> Result<ComplaintPage, BackendError> {
        let account = match session_token {
            Some(t) => self.session(&t).await?,
            None => None,
        };
        let now = time::OffsetDateTime::now_utc();
        complaints::page(&self.store, account.as_ref(), code, now)
            .await
            .map_err(BackendError::new)
    }

    async fn public_units(&self) -> Result<Vec<PublicUnitLine>, BackendError> {
        crate::publications::public_units(&self.store)
            .await
            .map_err(BackendError::new)
    }

    async fn public_unit(
        &self,
        session_token: Option<String>,
        code: &str,
    ) -> Result<Option<PublicUnit>, BackendError> {
        match crate::publications::public_unit(&self.store, code).await {
            Ok(mut u) => {
                if let Some(token) = session_token {
                    if let Some(account) = self.session(&token).await? {
                        let units = self.store.all_services().await.map_err(err)?;
                        u.editable = units
                            .iter()
                            .find(|s| s.unit_code == code)
                            .is_some_and(|s| crate::publications::may_edit(&account, s.unit_id));
                    }
                }
                Ok(Some(u))
            }
            Err(crate::publications::PublicationError::UnknownUnit(_)) => Ok(None),
            Err(e) => Err(BackendError::new(e)),
        }
    }

    async fn integrity(
        &self,
        session_token: &str,
        unit: Option<String>,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<Staff<IntegrityPage>, BackendError> {
        let Some(account) = self.session(session_token).await? else {
            return Ok(Staff::SignedOut);
        };
        let days = match DayRange::parse(from.as_deref(), to.as_deref()) {
            Ok(days) => days,
            Err(e) => return refused(crate::integrity::IntegrityError::from(e)),
        };
        let all = self.store.all_services().await.map_err(err)?;
        let flagged =
            match crate::integrity::list(&self.store, &account, &all, unit.as_deref(), &days).await
            {
                Ok(flagged) => flagged,
                Err(e) => return refused(e),
            };
        Ok(Staff::Ready(Box::new(IntegrityPage {
            units: units_in_scope(&all, account.unit_scope()),
            may_clear: account.role == Role::Auditor,
            email: account.email,
            flagged,
        })))
    }

    async fn complaint_queue(
        &self,
        session_token: &str,
        filter: QueueFilter,
    ) -> Result<Staff<Queue>, BackendError> {
        let Some(account) = self.session(session_token).await? else {
            return Ok(Staff::SignedOut);
        };
        let now = time::OffsetDateTime::now_utc();
        match complaints::readable_queue(&self.store, &account, &filter, now).await {
            Ok(q) => Ok(Staff::Ready(Box::new(q))),
            Err(e) => refused(e),
        }
    }

    fn public_link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }

    fn tracking_link(&self, code: &str, key: Option<&str>) -> (String, Option<String>) {
        let fragment = key
            .map(app::domain::complaint::key::fragment)
            .unwrap_or_default();
        let link = self.public_link(&format!("/pengaduan/{code}{fragment}"));
        let qr = qr_svg(&link);
        (link, qr)
    }

    fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}
