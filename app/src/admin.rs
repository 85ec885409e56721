//! What the administration page shows (server-side only): the catalogue,
//! the accounts, the questionnaires a service may use, the audit log.

use crate::domain::catalog::Catalog;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminAccount {
    pub email: String,
    pub role: String,
    pub disabled: bool,
    pub units: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditView {
    pub at_ms: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Clone, Debug)]
pub struct AdminData {
    /// Who is signed in.
    pub email: String,
    pub catalog: Catalog,
    pub accounts: Vec<AdminAccount>,
    /// Newest first.
    pub audit: Vec<AuditView>,
}

#[derive(Clone, Debug)]
pub enum AdminOutcome {
    SignedOut,
    /// Signed in, but not an administrator.
    Forbidden,
    Ready(Box<AdminData>),
}
