//! What the member sees of their points: the ledger, newest first, and what expires soon.

use crate::{Db, Result, Timestamp};
use crate::MallTz;
use plaza_types::dto::{ExpiringLot, Localized, PointsLine};
use plaza_types::MemberId;

#[derive(sqlx::FromRow)]
struct LineRow {
    id: i64,
    kind: String,
    points: i64,
    source: String,
    reference: String,
    reason: String,
    tenant_zh: Option<String>,
    tenant_en: Option<String>,
    created_at: i64,
}

/// The newest ledger lines, with the tenant's name where there is one.
pub async fn lines(db: &Db, member: MemberId, before_id: Option<i64>, limit: i64, tz: &MallTz) -> Result<Vec<PointsLine>> {
    let rows: Vec<LineRow> = sqlx::query_as(
        "SELECT m.id, m.kind, m.points, m.source, m.ref AS reference, m.reason, t.name_zh AS tenant_zh, \
         t.name_en AS tenant_en, m.created_at \
         FROM points_movements m LEFT JOIN tenants t ON t.id = m.tenant_id \
         WHERE m.member_id = $1 AND ($2 IS NULL OR m.id < $2) ORDER BY m.id DESC LIMIT $3",
    )
    .bind(member.0)
    .bind(before_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PointsLine {
            id: r.id,
            kind: r.kind,
            points: r.points,
            source: r.source,
            reference: r.reference,
            reason: r.reason,
            tenant: r.tenant_zh.map(|zh| Localized::new(zh, r.tenant_en.unwrap_or_default())),
            at: Timestamp(r.created_at).format_local(tz),
        })
        .collect())
}

/// Available lots expiring within `days`, soonest first.
pub async fn expiring(db: &Db, member: MemberId, now: Timestamp, days: i64, tz: &MallTz) -> Result<Vec<ExpiringLot>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT remaining, expires_at FROM points_lots WHERE member_id = $1 AND state = 'available' AND remaining > 0 \
         AND expires_at <= $2 ORDER BY expires_at, id",
    )
    .bind(member.0)
    .bind(now.plus_secs(days * 86_400).millis())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(points, expires_at)| ExpiringLot { points, expires_on: Timestamp(expires_at - 1).local_date(tz) })
        .collect())
}
