//! Complaints (pengaduan): tracking codes, the states and who may move a
//! complaint between them, working-day deadlines, and the redaction of
//! text shown outside the unit. Pure, like the rest of the domain.

pub mod calendar;
pub mod code;
pub mod key;
pub mod outcomes;
pub mod redact;
pub mod state;
pub mod submission;

pub use calendar::{Calendar, Closure, DayOff};
pub use code::{CodeError, TrackingCode};
pub use redact::redact;
pub use state::{
    check, deadline, moves, Actor, Deadline, DeadlineKind, Move, State, TransitionError,
};
pub use submission::{
    ComplaintBatch, ComplaintRejection, ComplaintResult, ComplaintResults, ComplaintSubmission,
    Privacy, ValidComplaint,
};
