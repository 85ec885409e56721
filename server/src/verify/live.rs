//! `suara verify --against URL`: an export compared row by row with what the
//! live server holds.

use super::each_record;
use crate::export::records::Record;
use crate::export::Manifest;
use anyhow::Context;
use std::path::Path;

/// What the live server holds of one response.
#[derive(Debug)]
struct Live {
    seq: i64,
    id: String,
    unit_code: String,
    content_hash: String,
    chain_hash: String,
}

/// Compares the export at `path` (already verified on its own) row by row
/// with the live server's chain at `base` (`https://suara.example`): the
/// server's own export of the same filters, up to the same sequence number,
/// as JSON Lines. Returns the first difference, naming its row.
pub async fn against(
    path: &Path,
    manifest: Option<&Manifest>,
    last_seq: Option<i64>,
    base: &str,
    token: &str,
) -> anyhow::Result<Option<String>> {
    let mut query: Vec<(&str, String)> = vec![("format", "jsonl".to_owned())];
    let mut scope: Option<Vec<String>> = None;
    match manifest {
        Some(m) => {
            query.extend(m.filters.asked.query_pairs());
            query.push(("up_to_seq", m.up_to_seq.to_string()));
            scope = m.filters.units_in_scope.clone();
        }
        None => query.push(("up_to_seq", last_seq.unwrap_or(0).to_string())),
    }
    let url = format!("{}/api/v1/export", base.trim_end_matches('/'));
    let response = reqwest::Client::new()
        .get(&url)
        .query(&query)
        .bearer_auth(token)
        .send()
        .await
        .with_context(|| format!("cannot reach {url}"))?;
    if !response.status().is_success() {
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        anyhow::bail!("the server answered {status}: {body}");
    }
    // The file's rows, read on a blocking thread, side by side with the
    // server's, read as they arrive: memory stays flat at any size.
    let (tx, mut file_rows) = tokio::sync::mpsc::channel::<(u64, Record)>(1024);
    let path = path.to_owned();
    let reader = tokio::task::spawn_blocking(move || {
        each_record(&path, |n, r| match r {
            Ok(r) => tx.blocking_send((n, r)).is_ok(),
            Err(_) => false,
        })
    });
    let mut body = response.bytes_stream();
    let mut pending: Vec<u8> = Vec::new();
    let mut server_rows = std::collections::VecDeque::new();
    let mut server_done = false;
    let mut file_row = file_rows.recv().await;
    let in_scope = |unit: &str| scope.as_ref().is_none_or(|s| s.iter().any(|u| u == unit));
    loop {
        while server_rows.is_empty() && !server_done {
            match futures::StreamExt::next(&mut body).await {
                Some(chunk) => {
                    pending.extend_from_slice(&chunk?);
                    while let Some(at) = pending.iter().position(|b| *b == b'\n') {
                        let line: Vec<u8> = pending.drain(..=at).collect();
                        let v: serde_json::Value = serde_json::from_slice(&line)?;
                        let text = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
                        server_rows.push_back(Live {
                            seq: v["seq"].as_i64().unwrap_or(0),
                            id: text("id"),
                            unit_code: text("unit_code"),
                            content_hash: text("content_hash"),
                            chain_hash: text("chain_hash"),
                        });
                    }
                }
                None => server_done = true,
            }
        }
        let problem = match (&file_row, server_rows.front()) {
            (None, None) => None,
            (Some((n, r)), live) if live.is_none_or(|l| r.seq < l.seq) => Some(format!(
                "row {n} (seq {}, id {}): the server has no such response among those this \
                 token may export: the row was inserted",
                r.seq, r.response.id
            )),
            (Some((n, r)), Some(l)) if r.seq == l.seq => {
                if r.content_hash != l.content_hash || r.chain_hash != l.chain_hash {
                    Some(format!(
                        "row {n} (seq {}, id {}): differs from the server's response {} (content \
                         hash {}): the row was altered",
                        r.seq, r.response.id, l.seq, l.content_hash
                    ))
                } else {
                    file_row = file_rows.recv().await;
                    server_rows.pop_front();
                    continue;
                }
            }
            (file, Some(l)) => {
                if in_scope(&l.unit_code) {
                    let before = file
                        .as_ref()
                        .map_or("at the end".to_owned(), |(n, _)| format!("before row {n}"));
                    Some(format!(
                        "the server's response {} (id {}) is missing from the file {before}: \
                         it was dropped",
                        l.seq, l.id
                    ))
                } else {
                    // Outside the exporting account's units.
                    server_rows.pop_front();
                    continue;
                }
            }
            (Some(_), None) => unreachable!("matched above"),
        };
        drop(file_rows);
        reader.await??;
        return Ok(problem);
    }
}
