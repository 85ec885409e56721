//! Pieces of the OpenAPI document that derives cannot say: a query
//! parameter that takes one of a few words, a day or an instant. A query
//! parameter sent empty (`unit=`, as a form sends a field left blank) is the
//! same as one not sent, and the document says so.

use utoipa::openapi::schema::{
    AnyOfBuilder, KnownFormat, Object, ObjectBuilder, Schema, SchemaFormat, Type,
};

/// A string that is one of `words`, or empty (not given).
pub fn one_of(words: &[&str]) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(words.iter().copied().chain([""])))
        .build()
}

fn formatted(format: KnownFormat) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(format)))
        .build()
}

fn empty() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(0))
        .description(Some("Empty: the same as not given"))
        .build()
}

/// A day (`YYYY-MM-DD`) or an instant (RFC 3339), or empty (not given).
pub fn day_or_instant() -> Schema {
    AnyOfBuilder::new()
        .item(formatted(KnownFormat::Date))
        .item(formatted(KnownFormat::DateTime))
        .item(empty())
        .build()
        .into()
}

/// A day, `YYYY-MM-DD`, or empty (not given).
pub fn day() -> Schema {
    AnyOfBuilder::new()
        .item(formatted(KnownFormat::Date))
        .item(empty())
        .build()
        .into()
}

/// An instant (RFC 3339), or empty (not given).
pub fn instant() -> Schema {
    AnyOfBuilder::new()
        .item(formatted(KnownFormat::DateTime))
        .item(empty())
        .build()
        .into()
}

/// The states of a complaint, by their names.
pub fn complaint_state() -> Object {
    let names: Vec<&str> = crate::domain::complaint::State::ALL
        .iter()
        .map(|s| s.as_str())
        .collect();
    one_of(&names)
}
