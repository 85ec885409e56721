//! The notification outbox (migration 0023): a row per person, kind and
//! subject, written in the transaction of the event that calls for it
//! ([`notify_unit`]), then claimed, sent and marked by the sender task
//! (`server/src/notifications/`) — by one replica of several, once.

use super::Store;
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

/// What calls for a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A complaint was filed at one of the person's units.
    ComplaintFiled,
    /// A complaint was forwarded to one of the person's units.
    ComplaintForwarded,
    /// The citizen added to a complaint (what was asked for, or more).
    ComplaintReplied,
    /// The citizen said an answer did not resolve the problem.
    ComplaintDisputed,
    /// A complaint's deadline (verify, first follow-up, resolve) is one
    /// working day away.
    DeadlineNear,
    /// A complaint's deadline passed.
    Overdue,
    /// A one-time link to choose a password (an invitation or a reset).
    AccountLink,
    /// The week of one of the person's units: index, responses, complaints,
    /// flags, publication (`notifications::weekly`).
    WeeklyDigest,
    /// An element of one of the person's units fell, or its grade changed,
    /// in the latest complete month (`notifications::alerts`).
    Alert,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::ComplaintFiled,
        Kind::ComplaintForwarded,
        Kind::ComplaintReplied,
        Kind::ComplaintDisputed,
        Kind::DeadlineNear,
        Kind::Overdue,
        Kind::Alert,
        Kind::WeeklyDigest,
        Kind::AccountLink,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::ComplaintFiled => "complaint-filed",
            Kind::ComplaintForwarded => "complaint-forwarded",
            Kind::ComplaintReplied => "complaint-replied",
            Kind::ComplaintDisputed => "complaint-disputed",
            Kind::DeadlineNear => "deadline-near",
            Kind::Overdue => "overdue",
            Kind::AccountLink => "account-link",
            Kind::WeeklyDigest => "weekly-digest",
            Kind::Alert => "alert",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Complaints that need the person are sent at once unless they chose
    /// otherwise; so is a link, which nobody can turn off.
    pub fn default_delivery(self) -> Delivery {
        Delivery::Immediate
    }

    /// Whether a person may choose how this kind reaches them.
    pub fn choosable(self) -> bool {
        self != Kind::AccountLink
    }
}

/// How a kind reaches a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    Immediate,
    /// Gathered into one message a day, at [`next_digest_ms`].
    Digest,
    Off,
}

impl Delivery {
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Immediate => "immediate",
            Delivery::Digest => "digest",
            Delivery::Off => "off",
        }
    }

    pub fn parse(s: &str) -> Option<Delivery> {
        [Delivery::Immediate, Delivery::Digest, Delivery::Off]
            .into_iter()
            .find(|d| d.as_str() == s)
    }
}

/// The daily digest goes at 07:00 WIB (00:00 UTC): the first after `at_ms`.
pub fn next_digest_ms(at_ms: i64) -> i64 {
    const DAY: i64 = 86_400_000;
    (at_ms.div_euclid(DAY) + 1) * DAY
}

/// Writes, in the caller's transaction, a notification of `kind` about
/// `subject` (complaint `complaint`) for every active unit head of
/// `unit_id` who has not turned the kind off. Written twice, it is there
/// once.
pub(crate) async fn notify_unit(
    c: &mut AnyConnection,
    kind: Kind,
    subject: &str,
    complaint: Uuid,
    unit_id: Uuid,
    at_ms: i64,
) -> sqlx::Result<()> {
    notify_heads(c, kind, subject, (Some(complaint), None), unit_id, at_ms).await?;
    Ok(())
}

/// [`notify_unit`] about a complaint or none, with what the message
/// carries that its subject does not (`payload`, JSON): how many people's
/// notifications were new.
async fn notify_heads(
    c: &mut AnyConnection,
    kind: Kind,
    subject: &str,
    (complaint, payload): (Option<Uuid>, Option<&str>),
    unit_id: Uuid,
    at_ms: i64,
) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "INSERT INTO notifications (account_id, kind, subject, complaint_id, created_at_ms, \
         delivery, next_attempt_at_ms, payload) \
         SELECT a.id, $1, $2, $3, $4, COALESCE(p.delivery, $5), \
                CASE WHEN COALESCE(p.delivery, $5) = 'digest' THEN $6 ELSE $4 END, $8 \
         FROM accounts a \
         JOIN account_units au ON au.account_id = a.id \
         LEFT JOIN notification_preferences p ON p.account_id = a.id AND p.kind = $1 \
         WHERE au.unit_id = $7 AND a.role = 'unit-head' AND a.disabled = 0 \
           AND COALESCE(p.delivery, $5) <> 'off' \
         ON CONFLICT DO NOTHING",
    )
    .bind(kind.as_str())
    .bind(subject)
    .bind(complaint.map(|c| c.to_string()))
    .bind(at_ms)
    .bind(kind.default_delivery().as_str())
    .bind(next_digest_ms(at_ms))
    .bind(unit_id.to_string())
    .bind(payload)
    .execute(&mut *c)
    .await?;
    Ok(done.rows_affected())
}

/// Writes, in the caller's transaction, the e-mail that carries a one-time
/// link to the account `account_id` (`link_id` its subject); the link
/// itself is forgotten once the message is sent.
pub(crate) async fn notify_link(
    c: &mut AnyConnection,
    account_id: &str,
    link_id: &str,
    path: &str,
    at_ms: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO notifications (account_id, kind, subject, secret, created_at_ms, delivery, \
         next_attempt_at_ms) VALUES ($1, $2, $3, $4, $5, 'immediate', $5) \
         ON CONFLICT DO NOTHING",
    )
    .bind(account_id)
    .bind(Kind::AccountLink.as_str())
    .bind(link_id)
    .bind(path)
    .bind(at_ms)
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// A notification not e-mailed within three days (e-mail was off, or the
/// mail server away that long) is not e-mailed late: it stays listed on
/// `/notifikasi`. Turning e-mail on does not send a backlog.
pub const STALE_MS: i64 = 3 * 86_400_000;

/// A notification waiting to be sent, with whom it is for.
#[derive(Clone, Debug)]
pub struct Pending {
    pub account_id: String,
    pub kind: Kind,
    pub subject: String,
    pub complaint_id: Option<Uuid>,
    pub secret: Option<String>,
    pub digest: bool,
    pub attempts: i64,
    pub email: String,
    pub lang: String,
    /// What the message carries that its subject does not (JSON).
    pub payload: Option<String>,
}

/// One notification as its person's list shows it.
#[derive(Clone, Debug)]
pub struct Listed {
    pub kind: Kind,
    /// The tracking code of the complaint it is about, as stored.
    pub complaint_code: Option<String>,
    pub created_at_ms: i64,
    pub sent_at_ms: Option<i64>,
    pub attempts: i64,
    pub last_error: Option<String>,
    /// The time zone of the complaint's unit (WIB for what concerns none).
    pub zone: app::domain::zone::Zone,
}

impl Store {
    /// Writes a notification of `kind` about `subject` for the unit heads
    /// of `unit_id`, in a transaction of its own (the clock's events: a
    /// deadline near or passed). Once per subject, however often it runs.
    pub async fn notify_unit_now(
        &self,
        kind: Kind,
        subject: &str,
        complaint: Uuid,
        unit_id: Uuid,
        at_ms: i64,
    ) -> sqlx::Result<()> {
        let mut tx = self.begin_write().await?;
        notify_unit(&mut tx, kind, subject, complaint, unit_id, at_ms).await?;
        tx.commit().await
    }

    /// Units with at least one active unit head (those a weekly digest is
    /// for), with their zones, and the weeks among `weeks` each was written
    /// for already.
    pub async fn weekly_digest_units(
        &self,
        weeks: &[String],
    ) -> sqlx::Result<Vec<(Uuid, String, app::domain::zone::Zone, Vec<String>)>> {
        let rows = sqlx::query(
            "SELECT DISTINCT u.id, u.code, u.time_zone FROM units u \
             JOIN account_units au ON au.unit_id = u.id \
             JOIN accounts a ON a.id = au.account_id \
             WHERE a.role = 'unit-head' AND a.disabled = 0",
        )
        .fetch_all(self.pool())
        .await?;
        let marks: Vec<String> = (1..=weeks.len()).map(|i| format!("${i}")).collect();
        let mut written: Vec<(String, String)> = Vec::new();
        if !weeks.is_empty() {
            let sql = format!(
                "SELECT unit_id, week FROM weekly_digests WHERE week IN ({})",
                marks.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for w in weeks {
                q = q.bind(w.as_str());
            }
            for r in q.fetch_all(self.pool()).await? {
                written.push((r.try_get("unit_id")?, r.try_get("week")?));
            }
        }
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: String = r.try_get("id")?;
            let zone = app::domain::zone::Zone::parse(&r.try_get::<String, _>("time_zone")?)
                .unwrap_or_default();
            let done = written
                .iter()
                .filter(|(u, _)| *u == id)
                .map(|(_, w)| w.clone())
                .collect();
            let Ok(uuid) = id.parse() else { continue };
            out.push((uuid, r.try_get("code")?, zone, done));
        }
        Ok(out)
    }

    /// Writes unit `unit_id`'s digest of `week` for its heads, once: false
    /// when it was written already (by another replica, say).
    pub async fn write_weekly_digest(
        &self,
        unit_id: Uuid,
        week: &str,
        payload: &str,
        at_ms: i64,
    ) -> sqlx::Result<bool> {
        let mut tx = self.begin_write().await?;
        let first = sqlx::query(
            "INSERT INTO weekly_digests (unit_id, week, written_at_ms) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(unit_id.to_string())
        .bind(week)
        .bind(at_ms)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if first {
            let subject = format!("{unit_id}:{week}");
            notify_heads(
                &mut tx,
                Kind::WeeklyDigest,
                &subject,
                (None, Some(payload)),
                unit_id,
                at_ms,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(first)
    }

    /// Writes unit `unit_id`'s alert of `month` for each of its heads who
    /// has none for it yet (and has not turned alerts off): how many.
    pub async fn write_alert(
        &self,
        unit_id: Uuid,
        month: &str,
        payload: &str,
        at_ms: i64,
    ) -> sqlx::Result<u64> {
        let mut tx = self.begin_write().await?;
        let subject = format!("{unit_id}:{month}");
        let written = notify_heads(
            &mut tx,
            Kind::Alert,
            &subject,
            (None, Some(payload)),
            unit_id,
            at_ms,
        )
        .await?;
        tx.commit().await?;
        Ok(written)
    }

    /// Notifications not sent yet (within [`STALE_MS`]), and of those, how
    /// many failed at least once: what `/metrics` reports.
    pub async fn outbox_depth(&self) -> sqlx::Result<(i64, i64)> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS pending, \
             COALESCE(SUM(CASE WHEN attempts > 0 THEN 1 ELSE 0 END), 0) AS failing \
             FROM notifications WHERE sent_at_ms IS NULL AND created_at_ms >= $1",
        )
        .bind(super::now_ms() - STALE_MS)
        .fetch_one(self.pool())
        .await?;
        Ok((row.try_get("pending")?, row.try_get("failing")?))
    }

    /// Up to `limit` notifications due by `now_ms` that no sender holds,
    /// written within [`STALE_MS`].
    pub async fn due_notifications(&self, now_ms: i64, limit: i64) -> sqlx::Result<Vec<Pending>> {
        let rows = sqlx::query(
            "SELECT n.account_id, n.kind, n.subject, n.complaint_id, n.secret, n.delivery, \
             n.attempts, a.email, a.lang, n.payload \
             FROM notifications n JOIN accounts a ON a.id = n.account_id \
             WHERE n.sent_at_ms IS NULL AND n.next_attempt_at_ms <= $1 \
               AND n.created_at_ms >= $3 \
               AND (n.claimed_until_ms IS NULL OR n.claimed_until_ms < $1) \
             ORDER BY n.next_attempt_at_ms LIMIT $2",
        )
        .bind(now_ms)
        .bind(limit)
        .bind(now_ms - STALE_MS)
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let kind: String = r.try_get("kind")?;
            let Some(kind) = Kind::parse(&kind) else {
                continue; // a kind of a later version: left for it
            };
            let complaint: Option<String> = r.try_get("complaint_id")?;
            out.push(Pending {
                account_id: r.try_get("account_id")?,
                kind,
                subject: r.try_get("subject")?,
                complaint_id: complaint.and_then(|c| c.parse().ok()),
                secret: r.try_get("secret")?,
                digest: r.try_get::<String, _>("delivery")? == "digest",
                attempts: r.try_get("attempts")?,
                email: r.try_get("email")?,
                lang: r.try_get("lang")?,
                payload: r.try_get("payload")?,
            });
        }
        Ok(out)
    }

    /// Takes notification `n` for sender `me` until `until_ms`, if no other
    /// sender holds it and it is still unsent: whether it is `me`'s now.
    pub async fn claim_notification(
        &self,
        n: &Pending,
        me: &str,
        now_ms: i64,
        until_ms: i64,
    ) -> sqlx::Result<bool> {
        let claimed = sqlx::query(
            "UPDATE notifications SET claimed_by = $1, claimed_until_ms = $2 \
             WHERE account_id = $3 AND kind = $4 AND subject = $5 AND sent_at_ms IS NULL \
               AND (claimed_until_ms IS NULL OR claimed_until_ms < $6)",
        )
        .bind(me)
        .bind(until_ms)
        .bind(&n.account_id)
        .bind(n.kind.as_str())
        .bind(&n.subject)
        .bind(now_ms)
        .execute(self.pool())
        .await?
        .rows_affected();
        Ok(claimed == 1)
    }

    /// `n` was handed to the mail server: sent, its link forgotten, and the
    /// hash of the unsubscribe token its message carried kept.
    pub async fn notification_sent(
        &self,
        n: &Pending,
        me: &str,
        at_ms: i64,
        unsubscribe_hash: &str,
    ) -> sqlx::Result<()> {
        self.release(
            n,
            me,
            "sent_at_ms = $1, secret = NULL, unsubscribe_hash = $2, last_error = NULL",
            at_ms,
            unsubscribe_hash,
        )
        .await
    }

    /// Sending `n` failed: tried again from `retry_at_ms`.
    pub async fn notification_failed(
        &self,
        n: &Pending,
        me: &str,
        retry_at_ms: i64,
        error: &str,
    ) -> sqlx::Result<()> {
        let error: String = error.chars().take(500).collect();
        let set = "attempts = attempts + 1, next_attempt_at_ms = $1, last_error = $2";
        self.release(n, me, set, retry_at_ms, &error).await
    }

    /// Lets go of `n`, which sender `me` holds, setting `set` (over `$1`
    /// and `$2`) as it does.
    async fn release(
        &self,
        n: &Pending,
        me: &str,
        set: &str,
        first: i64,
        second: &str,
    ) -> sqlx::Result<()> {
        sqlx::query(&format!(
            "UPDATE notifications SET {set}, claimed_by = NULL, claimed_until_ms = NULL \
             WHERE account_id = $3 AND kind = $4 AND subject = $5 AND claimed_by = $6"
        ))
        .bind(first)
        .bind(second.to_owned())
        .bind(&n.account_id)
        .bind(n.kind.as_str())
        .bind(&n.subject)
        .bind(me)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The latest `limit` notifications of account `account_id`, newest
    /// first: what `/notifikasi` lists (also when no e-mail is sent).
    pub async fn notifications_of(
        &self,
        account_id: &str,
        limit: i64,
    ) -> sqlx::Result<Vec<Listed>> {
        let rows = sqlx::query(
            "SELECT n.kind, c.code, n.created_at_ms, n.sent_at_ms, n.attempts, n.last_error, \
             u.time_zone FROM notifications n LEFT JOIN complaints c ON c.id = n.complaint_id \
             LEFT JOIN units u ON u.id = c.unit_id \
             WHERE n.account_id = $1 ORDER BY n.created_at_ms DESC LIMIT $2",
        )
        .bind(account_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let Some(kind) = Kind::parse(&r.try_get::<String, _>("kind")?) else {
                continue;
            };
            out.push(Listed {
                kind,
                complaint_code: r.try_get("code")?,
                created_at_ms: r.try_get("created_at_ms")?,
                sent_at_ms: r.try_get("sent_at_ms")?,
                attempts: r.try_get("attempts")?,
                last_error: r.try_get("last_error")?,
                zone: r
                    .try_get::<Option<String>, _>("time_zone")?
                    .and_then(|z| app::domain::zone::Zone::parse(&z))
                    .unwrap_or_default(),
            });
        }
        Ok(out)
    }

    /// How each choosable kind reaches account `account_id`, and the
    /// language its messages are written in.
    pub async fn notification_preferences(
        &self,
        account_id: &str,
    ) -> sqlx::Result<(Vec<(Kind, Delivery)>, String)> {
        let rows = sqlx::query(
            "SELECT kind, delivery FROM notification_preferences WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_all(self.pool())
        .await?;
        let mut chosen = Vec::new();
        for r in rows {
            let (k, d): (String, String) = (r.try_get("kind")?, r.try_get("delivery")?);
            if let (Some(k), Some(d)) = (Kind::parse(&k), Delivery::parse(&d)) {
                chosen.push((k, d));
            }
        }
        let prefs = Kind::ALL
            .into_iter()
            .filter(|k| k.choosable())
            .map(|k| {
                let d = chosen.iter().find(|(c, _)| *c == k).map(|(_, d)| *d);
                (k, d.unwrap_or(k.default_delivery()))
            })
            .collect();
        let lang: Option<String> = sqlx::query_scalar("SELECT lang FROM accounts WHERE id = $1")
            .bind(account_id)
            .fetch_optional(self.pool())
            .await?;
        Ok((prefs, lang.unwrap_or_else(|| "id".into())))
    }

    /// Sets how `kind` reaches account `account_id`.
    pub async fn set_notification_preference(
        &self,
        account_id: &str,
        kind: Kind,
        delivery: Delivery,
    ) -> sqlx::Result<()> {
        sqlx::query(
            "INSERT INTO notification_preferences (account_id, kind, delivery) VALUES ($1, $2, $3) \
             ON CONFLICT (account_id, kind) DO UPDATE SET delivery = excluded.delivery",
        )
        .bind(account_id)
        .bind(kind.as_str())
        .bind(delivery.as_str())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Sets the language of account `account_id`'s messages (`id` or `en`).
    pub async fn set_account_lang(&self, account_id: &str, lang: &str) -> sqlx::Result<()> {
        let lang = if lang == "en" { "en" } else { "id" };
        sqlx::query("UPDATE accounts SET lang = $1 WHERE id = $2")
            .bind(lang)
            .bind(account_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The one-click unsubscribe of a message: the kinds it was of (one, or
    /// several in a digest) are turned off for its person. Which account,
    /// or `None` for a token no message carried.
    pub async fn unsubscribe(&self, token_hash: &str) -> sqlx::Result<Option<String>> {
        let rows = sqlx::query(
            "SELECT n.account_id, n.kind, a.email FROM notifications n \
             JOIN accounts a ON a.id = n.account_id WHERE n.unsubscribe_hash = $1",
        )
        .bind(token_hash)
        .fetch_all(self.pool())
        .await?;
        let mut email = None;
        for row in rows {
            let kind = Kind::parse(&row.try_get::<String, _>("kind")?);
            if let Some(kind) = kind.filter(|k| k.choosable()) {
                let account: String = row.try_get("account_id")?;
                self.set_notification_preference(&account, kind, Delivery::Off)
                    .await?;
            }
            email = Some(row.try_get("email")?);
        }
        Ok(email)
    }
}
