//! Pieces shared by several pages.

pub mod outbox_status;
