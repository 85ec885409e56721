//! `/notifikasi`: what reached a staff member, and how each kind should.

use serde::{Deserialize, Serialize};

/// The page's data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationsPage {
    pub email: String,
    /// Whether messages go out by e-mail (`SUARA_SMTP_URL`); otherwise this
    /// list is where they are.
    pub mail_on: bool,
    /// `id` or `en`: the language messages are written in.
    pub lang: String,
    /// Each kind the person may choose for, and their choice
    /// (`immediate`, `digest` or `off`).
    pub preferences: Vec<(String, String)>,
    /// The latest, newest first.
    pub recent: Vec<NotificationLine>,
}

/// One notification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationLine {
    pub kind: String,
    /// The complaint it is about, for its link.
    pub complaint: Option<String>,
    /// When it was written, `YYYY-MM-DD HH:MM` UTC.
    pub at: String,
    /// Sent by e-mail (`None`: not yet, or not by e-mail).
    pub sent: Option<String>,
    /// Failed attempts so far, with the last error.
    pub attempts: i64,
    pub last_error: Option<String>,
}
