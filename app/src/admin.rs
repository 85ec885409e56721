//! What the administration page shows (server-side only): the catalogue,
//! the accounts, the questionnaires a service may use, the audit log; and
//! what the data page (`/export`) shows.

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

/// The data page: what the signed-in account may export, and where the
/// response chain stands.
#[derive(Clone, Debug)]
pub struct ExportPageData {
    pub email: String,
    /// (code, name) of the units the account may export.
    pub units: Vec<(String, String)>,
    /// The latest sequence number: the page pins its downloads to it.
    pub up_to_seq: i64,
    /// The chain hash at `up_to_seq`.
    pub chain_hash: String,
    /// Auditors and administrators: the latest audit entries, newest first.
    pub audit: Option<Vec<AuditView>>,
}

#[derive(Clone, Debug)]
pub enum ExportOutcome {
    SignedOut,
    Ready(Box<ExportPageData>),
}
