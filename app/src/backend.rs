//! The seam through which server-rendered pages get their data (server
//! only): the server crate implements [`Backend`] over its store and
//! provides it as context; the pages' loaders call it. The app thus never
//! sees SQL, and the store never sees a component. What it returns are the
//! read models of [`crate::model`], which import nothing above them.

use crate::domain::catalogue::Catalog;
use crate::domain::integrity::Flagged;
use crate::domain::query::FigureQuery;
use crate::model::account_link::{IssuedLink, LinkOffer};
use crate::model::admin_page::AdminData;
use crate::model::catalogue_import::ImportPreview;
use crate::model::complaint::{ComplaintPage, Queue, QueueFilter};
use crate::model::dashboard::{AccountView, Dashboard};
use crate::model::export_page::ExportPageData;
use crate::model::figures::{CommentFilter, StaffFigures};
use crate::model::form::{Poster, PosterSet, ServiceForm};
use crate::model::integrity::IntegrityPage;
use crate::model::notification::NotificationsPage;
use crate::model::outcome::Staff;
use crate::model::overview::RegencyOverview;
use crate::model::publication::{PublicUnit, PublicUnitLine};
use crate::model::report::SkmReport;
use std::sync::Arc;

/// A failure the page may show only as "something went wrong"; its chain
/// of causes goes to the server log.
#[derive(Debug, thiserror::Error)]
#[error("the page's data could not be read")]
pub struct BackendError(#[source] pub Box<dyn std::error::Error + Send + Sync>);

impl BackendError {
    pub fn new(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self(Box::new(e))
    }

    /// Writes this error and every cause under it to the server's log.
    pub fn log(&self) {
        leptos::logging::error!("{}", self.chain());
    }

    /// This error and every cause under it.
    fn chain(&self) -> String {
        let mut out = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(e) = source {
            out.push_str(": ");
            out.push_str(&e.to_string());
            source = e.source();
        }
        out
    }
}

#[async_trait::async_trait]
pub trait Backend: Send + Sync {
    async fn catalog(&self) -> Result<Catalog, BackendError>;
    async fn service_form(&self, code: &str) -> Result<Option<ServiceForm>, BackendError>;
    /// The poster of service `code`, with its QR code; `None` if unknown.
    async fn poster(&self, code: &str) -> Result<Option<Poster>, BackendError>;
    /// Who is signed in; `None` when the session is unknown or expired.
    async fn account(&self, session_token: &str) -> Result<Option<AccountView>, BackendError>;
    /// `None` when the session is unknown or expired.
    async fn dashboard(&self, session_token: &str) -> Result<Option<Dashboard>, BackendError>;
    /// The figures `query` asks for, within what the session's account
    /// may see, and the comments of the same scope and days when asked.
    async fn figures(
        &self,
        session_token: &str,
        query: FigureQuery,
        comments: Option<CommentFilter>,
    ) -> Result<Staff<StaffFigures>, BackendError>;
    /// The administration page's data, for administrators only.
    async fn admin(&self, session_token: &str) -> Result<Staff<AdminData>, BackendError>;
    /// The posters of `unit`'s (or `agency`'s) services, within the units
    /// the account sees; with neither, the units it may choose from.
    async fn posters(
        &self,
        session_token: &str,
        unit: Option<String>,
        agency: Option<String>,
    ) -> Result<Staff<PosterSet>, BackendError>;
    /// What importing the catalogue file uploaded as `id` would change
    /// (administrators only; not found once applied or a day old).
    async fn catalogue_import(
        &self,
        session_token: &str,
        id: &str,
    ) -> Result<Staff<ImportPreview>, BackendError>;
    /// The link an administrator just made (`id`), with its address when
    /// `token` (from the cookie the making left in their browser) is its
    /// token and it is still open (administrators only).
    async fn issued_link(
        &self,
        session_token: &str,
        id: &str,
        token: Option<String>,
    ) -> Result<Staff<IssuedLink>, BackendError>;
    /// What the page of an invitation or reset link shows; `None` unless
    /// the link is open.
    async fn link_offer(&self, token: &str) -> Result<Option<LinkOffer>, BackendError>;
    /// Every unit in one table (of `agency`), ordered by `sort`:
    /// administrators and auditors only.
    async fn overview(
        &self,
        session_token: &str,
        agency: Option<String>,
        sort: String,
    ) -> Result<Staff<RegencyOverview>, BackendError>;
    /// The notifications of the account of `session_token`, and its choices.
    async fn notifications(
        &self,
        session_token: &str,
    ) -> Result<Staff<NotificationsPage>, BackendError>;
    /// The data page for the account of `session_token`.
    async fn export_page(&self, session_token: &str)
        -> Result<Staff<ExportPageData>, BackendError>;
    /// The flagged responses the account may see: of `unit` (or all its
    /// units), answered between `from` and `to` (days, inclusive).
    async fn integrity(
        &self,
        session_token: &str,
        unit: Option<String>,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<Staff<IntegrityPage>, BackendError>;
    /// The SKM report of `unit` (default: the account's first) for
    /// `period` (default: this year).
    async fn skm_report(
        &self,
        session_token: &str,
        unit: Option<String>,
        period: Option<String>,
        flagged: Flagged,
    ) -> Result<Staff<SkmReport>, BackendError>;
    /// `/pengaduan/{code}` for the session's account, or for anyone holding
    /// the code (no session).
    async fn complaint(
        &self,
        session_token: Option<String>,
        code: &str,
    ) -> Result<ComplaintPage, BackendError>;
    /// The complaint queue of the session's account.
    async fn complaint_queue(
        &self,
        session_token: &str,
        filter: QueueFilter,
    ) -> Result<Staff<Queue>, BackendError>;
    /// Every unit with its latest published grade (public).
    async fn public_units(&self) -> Result<Vec<PublicUnitLine>, BackendError>;
    /// Unit `code`'s public page; `None` when no unit has that code. With
    /// the session of an account that may keep its follow-up, `editable`.
    async fn public_unit(
        &self,
        session_token: Option<String>,
        code: &str,
    ) -> Result<Option<PublicUnit>, BackendError>;
    /// The public address of `path` (`/publik/x`), as citizens reach the site.
    fn public_link(&self, path: &str) -> String;
    /// The tracking link of complaint `code` (with the citizen's `key` after
    /// `#` when given) and its QR code (inline SVG).
    fn tracking_link(&self, code: &str, key: Option<&str>) -> (String, Option<String>);
    /// Whether cookies must carry `Secure` (the public URL is HTTPS).
    fn secure_cookies(&self) -> bool;
}

pub type SharedBackend = Arc<dyn Backend>;

/// The backend of the request being rendered.
pub fn backend() -> SharedBackend {
    leptos::prelude::expect_context::<SharedBackend>()
}
