//! Sending the notification outbox by e-mail (SMTP, `lettre`). Each
//! notification was written in its event's transaction
//! (`store::notifications`); here a sender — every replica runs one —
//! claims what is due, sends it, and marks it sent. A claim is a guarded
//! update, so two replicas never send the same row; a failure (the mail
//! server away) leaves the row for a later attempt, with backoff; nothing is
//! lost. The Message-ID is the row's own, so the one case that can still
//! repeat a message — a crash after the mail server took it and before the
//! row was marked — repeats it under the same id, which mail clients fold.

pub mod alerts;
pub mod message;
pub mod weekly;

use crate::config::MailConfig;
use crate::store::notifications::{Delivery, Kind, Pending};
use crate::store::{now_ms, Store};
use app::model::notification::{NotificationLine, NotificationsPage};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::time::Duration;

/// How long a claim holds: longer than one message takes to send.
const CLAIM_MS: i64 = 120_000;
/// The longest wait between two attempts at one message.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);
/// Rows taken in one round.
const ROUND: i64 = 50;

/// Where messages go out, from whom, and the address links point to.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    base: String,
    /// The Message-ID's domain: the public URL's host.
    domain: String,
}

impl Mailer {
    /// A mailer for `mail`, its links under `public_url`.
    pub fn new(mail: &MailConfig, public_url: &str) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&mail.smtp_url)
            .map_err(|e| anyhow::anyhow!("SUARA_SMTP_URL: {e}"))?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from: Mailbox = mail
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("SUARA_MAIL_FROM: {e}"))?;
        let base = public_url.trim_end_matches('/').to_owned();
        let domain = base
            .split("://")
            .nth(1)
            .unwrap_or("suara.local")
            .split(['/', ':'])
            .next()
            .unwrap_or("suara.local")
            .to_owned();
        Ok(Self {
            transport,
            from,
            base,
            domain,
        })
    }
}

/// Sends what is due every `every`, for ever.
pub async fn run(store: Store, mailer: Mailer, every: Duration) {
    let me = uuid::Uuid::new_v4().to_string();
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match send_due(&store, &mailer, &me, every).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(sent = n, "notifications sent"),
            Err(e) => {
                tracing::warn!(error = %e, "sending notifications failed; trying again later")
            }
        }
    }
}

/// One round: every due notification this sender can claim, sent (a day's
/// digest of one person as one message). How many messages went out.
#[tracing::instrument(name = "notifications.send_due", skip_all)]
pub async fn send_due(
    store: &Store,
    mailer: &Mailer,
    me: &str,
    every: Duration,
) -> anyhow::Result<usize> {
    let now = now_ms();
    let due = store.due_notifications(now, ROUND).await?;
    let mut messages: BTreeMap<(String, bool, String), Vec<Pending>> = BTreeMap::new();
    for n in due {
        if !store
            .claim_notification(&n, me, now, now + CLAIM_MS)
            .await?
        {
            continue; // another replica has it
        }
        // A digest gathers a person's due rows; anything else goes alone.
        let key = match n.digest {
            true => (n.account_id.clone(), true, String::new()),
            false => (
                n.account_id.clone(),
                false,
                n.subject.clone() + n.kind.as_str(),
            ),
        };
        messages.entry(key).or_default().push(n);
    }
    let mut sent = 0;
    for rows in messages.values() {
        match send(store, mailer, rows).await {
            Ok(token) => {
                let hash = crate::auth::hash_token(&token);
                for n in rows {
                    store.notification_sent(n, me, now_ms(), &hash).await?;
                }
                sent += 1;
                metrics::counter!("suara_notifications_sent_total").increment(1);
            }
            Err(e) => {
                for n in rows {
                    let wait = backoff(every, n.attempts);
                    let retry = now_ms() + wait.as_millis() as i64;
                    store
                        .notification_failed(n, me, retry, &e.to_string())
                        .await?;
                }
                metrics::counter!("suara_notifications_failed_total").increment(1);
                tracing::warn!(error = %e, to = %rows[0].email, "a notification was not sent; it is tried again");
            }
        }
    }
    Ok(sent)
}

/// The wait before attempt `attempts + 1`: doubling from `every`, at most
/// an hour.
fn backoff(every: Duration, attempts: i64) -> Duration {
    let doubled = every.saturating_mul(1u32 << attempts.clamp(0, 16) as u32);
    doubled.min(MAX_BACKOFF)
}

/// Sends one message for `rows` (one person's); its unsubscribe token.
async fn send(store: &Store, mailer: &Mailer, rows: &[Pending]) -> anyhow::Result<String> {
    let first = &rows[0];
    let mut complaints = Vec::with_capacity(rows.len());
    for n in rows {
        complaints.push(match n.complaint_id {
            Some(id) => store.complaint_by_id(id).await?,
            None => None,
        });
    }
    let items: Vec<_> = rows
        .iter()
        .zip(complaints.iter().map(Option::as_ref))
        .collect();
    let token = crate::auth::new_token();
    let unsubscribe = format!("{}/notifikasi/berhenti/{token}", mailer.base);
    let m = message::compose(&items, &first.lang, &mailer.base, &unsubscribe);
    let id = {
        let mut h = Sha256::new();
        for n in rows {
            h.update(format!(
                "{}\n{}\n{}\n",
                n.account_id,
                n.kind.as_str(),
                n.subject
            ));
        }
        hex::encode(&h.finalize()[..16])
    };
    let header = |name: &'static str, value: String| {
        HeaderValue::new(HeaderName::new_from_ascii_str(name), value)
    };
    let email = lettre::Message::builder()
        .from(mailer.from.clone())
        .to(first.email.parse()?)
        .subject(m.subject)
        .message_id(Some(format!("<{id}@{}>", mailer.domain)))
        .raw_header(header("List-Unsubscribe", format!("<{unsubscribe}>")))
        .raw_header(header(
            "List-Unsubscribe-Post",
            "List-Unsubscribe=One-Click".into(),
        ))
        .multipart(MultiPart::alternative_plain_html(m.text, m.html))?;
    mailer.transport.send(email).await?;
    Ok(token)
}

/// `/notifikasi` for `account`: its latest notifications and its choices.
pub async fn page(
    store: &Store,
    account: &crate::store::accounts::Account,
    mail_on: bool,
) -> sqlx::Result<NotificationsPage> {
    let id = account.id.to_string();
    let (prefs, lang) = store.notification_preferences(&id).await?;
    let recent = store
        .notifications_of(&id, 50)
        .await?
        .into_iter()
        .map(|n| NotificationLine {
            kind: n.kind.as_str().to_owned(),
            complaint: n
                .complaint_code
                .and_then(|c| app::domain::complaint::TrackingCode::parse(&c).ok())
                .map(|c| c.to_string()),
            at: n.zone.show(crate::store::ms_to_datetime(n.created_at_ms)),
            sent: n
                .sent_at_ms
                .map(|ms| n.zone.show(crate::store::ms_to_datetime(ms))),
            attempts: n.attempts,
            last_error: n.last_error,
        })
        .collect();
    Ok(NotificationsPage {
        email: account.email.clone(),
        mail_on,
        lang,
        preferences: prefs
            .into_iter()
            .map(|(k, d)| (k.as_str().to_owned(), d.as_str().to_owned()))
            .collect(),
        recent,
    })
}

/// Saves the choices of `/notifikasi`'s form: a delivery per kind (fields
/// named by kind) and the language of messages. Unknown fields and values
/// are left alone.
pub async fn save_choices(
    store: &Store,
    account: &crate::store::accounts::Account,
    fields: &[(String, String)],
) -> sqlx::Result<()> {
    let id = account.id.to_string();
    for (name, value) in fields {
        if name == "lang" {
            store.set_account_lang(&id, value).await?;
        } else if let (Some(kind), Some(delivery)) = (Kind::parse(name), Delivery::parse(value)) {
            if kind.choosable() {
                store
                    .set_notification_preference(&id, kind, delivery)
                    .await?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_period_and_stops_at_an_hour() {
        let s = Duration::from_secs;
        assert_eq!(backoff(s(10), 0), s(10));
        assert_eq!(backoff(s(10), 3), s(80));
        assert_eq!(backoff(s(10), 40), MAX_BACKOFF);
    }
}
