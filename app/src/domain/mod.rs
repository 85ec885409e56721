//! The pure domain: questionnaires, responses and their validation, scoring.
//!
//! No I/O lives here. The module compiles for the server and for wasm and is
//! unit-tested on the host, so the phone and the server agree on every rule.

pub mod builtin;
pub mod catalogue;
pub mod complaint;
pub mod follow_up;
pub mod integrity;
pub mod period;
pub mod query;
pub mod questionnaire;
pub mod report;
pub mod response;
pub mod scoring;
pub mod text;
pub mod zone;

pub use questionnaire::{
    AnswerOption, Item, ItemCode, Localized, Questionnaire, Score, ScoringMethod,
};
pub use response::{Channel, Rejection, Respondent, ResponseSubmission, ValidResponse};
