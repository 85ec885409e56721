//! `suara audit-db`: the database proven from its own chain. Every figure
//! is computed from rows derived from each response's `content` (its
//! columns, its `response_scores`, the roll-ups), and the chain proves only
//! `content`: so every response's content is checked against its hash and
//! the chain, every derived row against its content, and the roll-ups
//! against a rebuild, naming the first difference. `suara rollups rebuild`
//! runs the first two checks before it rebuilds, so it never rebuilds from
//! rows the content does not give.

use crate::chain::{content_hash, link, GENESIS};
use crate::store::scores::{scan_stored, StoredResponse};
use crate::store::{datetime_to_ms, Store};
use app::domain::response::Canonical;
use app::domain::scoring::Attribute;
use time::format_description::well_known::Rfc3339;

/// What an audit of the database found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Audit {
    /// Responses checked (all of them when nothing is wrong).
    pub responses: u64,
    /// The first difference, in words; `None` when the database is whole.
    pub problem: Option<String>,
}

impl Audit {
    pub fn ok(&self) -> bool {
        self.problem.is_none()
    }
}

/// Checks every response's content against its hash and the chain, and
/// every row derived from it (its columns and scores); the roll-ups too
/// when `rollups`.
pub async fn audit_database(store: &Store, rollups: bool) -> anyhow::Result<Audit> {
    let mut audit = Audit::default();
    let mut previous = (0i64, GENESIS.to_owned());
    let mut c = store.pool().acquire().await?;
    scan_stored(&mut c, |r| {
        audit.responses += 1;
        match check(&r, &previous) {
            Ok(()) => {
                previous = (r.seq, r.chain_hash.clone());
                true
            }
            Err(why) => {
                audit.problem = Some(format!("response {} (seq {}): {why}", r.id, r.seq));
                false
            }
        }
    })
    .await?;
    drop(c);
    if audit.problem.is_none() && rollups {
        if let Some((stored, rebuilt)) = store.rollups_differ().await? {
            audit.problem = Some(format!(
                "the roll-ups are not what the responses give: stored «{stored}», \
                 rebuilt «{rebuilt}»"
            ));
        }
    }
    Ok(audit)
}

/// One response against its own content and the chain before it.
fn check(r: &StoredResponse, (seq, chain): &(i64, String)) -> Result<(), String> {
    if r.seq != seq + 1 {
        return Err(format!(
            "follows seq {seq}: a response is missing or was inserted"
        ));
    }
    if content_hash(&r.content) != r.content_hash {
        return Err("its content does not match its content hash: the content was altered".into());
    }
    if link(chain, &r.content_hash).as_deref() != Some(r.chain_hash.as_str()) {
        return Err("its chain hash does not follow the one before: altered or inserted".into());
    }
    let c: Canonical =
        serde_json::from_str(&r.content).map_err(|e| format!("its content cannot be read: {e}"))?;
    if c.to_json() != r.content {
        return Err("its content is not in canonical form".into());
    }
    let differs = |what: &str, stored: String, content: String| {
        format!("its {what} is {stored:?} where its content says {content:?}: a derived row was altered")
    };
    let s = &r.scored;
    let fields = [
        ("id", r.id.clone(), c.id.to_string()),
        ("service", s.service_id.clone(), c.service_id.to_string()),
        (
            "questionnaire",
            s.questionnaire_id.clone(),
            c.questionnaire_id.clone(),
        ),
        (
            "questionnaire version",
            s.questionnaire_version.to_string(),
            c.questionnaire_version.to_string(),
        ),
        ("channel", r.channel.clone(), c.channel.as_str().to_owned()),
        (
            "comment",
            format!("{:?}", r.comment),
            format!("{:?}", c.comment),
        ),
        (
            "device",
            format!("{:?}", r.device_id),
            format!("{:?}", c.device_id.map(|d| d.to_string())),
        ),
    ];
    for (what, stored, content) in fields {
        if stored != content {
            return Err(differs(what, stored, content));
        }
    }
    let reported = time::OffsetDateTime::parse(&c.answered_at, &Rfc3339)
        .map_err(|_| "its content's answered_at is not a time".to_owned())?;
    let answered = datetime_to_ms(reported).min(r.received_at_ms);
    if s.answered_at_ms != answered {
        return Err(differs(
            "answered_at_ms",
            s.answered_at_ms.to_string(),
            answered.to_string(),
        ));
    }
    for (a, stored) in Attribute::ALL.into_iter().zip(&s.attributes) {
        let content = c.respondent.as_ref().and_then(|p| a.value_of(p));
        if stored.as_deref() != content {
            return Err(differs(
                &format!("respondent {}", a.as_str()),
                format!("{stored:?}"),
                format!("{content:?}"),
            ));
        }
    }
    let content: Vec<(String, i64)> = c
        .scores
        .iter()
        .map(|(code, score)| (code.clone(), i64::from(*score)))
        .collect();
    if s.scores != content {
        return Err(differs(
            "scores",
            format!("{:?}", s.scores),
            format!("{content:?}"),
        ));
    }
    Ok(())
}
