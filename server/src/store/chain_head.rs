//! The chain head: the sequence number and hash of the latest accepted
//! response, one row that every write transaction touching the chain (the
//! ingest, clearing a flag, rebuilding the roll-ups) locks first, so they
//! take turns.

use super::Engine;
use sqlx::{AnyConnection, Row};

/// The last link of the response chain: the sequence number and chain hash
/// of the latest accepted response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainHead {
    pub seq: i64,
    pub chain_hash: String,
}

/// Reads the chain head inside a write transaction, locking it on
/// PostgreSQL until the transaction ends (SQLite's `BEGIN IMMEDIATE` already
/// holds the one write lock), so that concurrent batches take turns.
pub(crate) async fn lock_chain_head(
    c: &mut AnyConnection,
    engine: Engine,
) -> sqlx::Result<ChainHead> {
    let lock = match engine {
        Engine::Postgres => " FOR UPDATE",
        Engine::Sqlite => "",
    };
    let row = sqlx::query(&format!(
        "SELECT seq, chain_hash FROM chain_head WHERE id = 1{lock}"
    ))
    .fetch_one(&mut *c)
    .await?;
    Ok(ChainHead {
        seq: row.try_get("seq")?,
        chain_hash: row.try_get("chain_hash")?,
    })
}

pub(crate) async fn save_chain_head(c: &mut AnyConnection, head: &ChainHead) -> sqlx::Result<()> {
    sqlx::query("UPDATE chain_head SET seq = $1, chain_hash = $2 WHERE id = 1")
        .bind(head.seq)
        .bind(&head.chain_hash)
        .execute(&mut *c)
        .await?;
    Ok(())
}
