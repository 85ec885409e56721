//! What the data page (`/export`) shows.

use super::audit::AuditView;

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
