//! An entry of the audit log as pages show it.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditView {
    pub at_ms: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub before: Option<String>,
    pub after: Option<String>,
}
