//! What a shopper sees of their receipts.

use crate::points::PointsPolicy;
use crate::MallTz;
use crate::{mall, settings, Db, Result, Timestamp};
use plaza_types::dto::{ReceiptStatus, ReceiptView};
use plaza_types::{AppError, MemberId};

type Row = (
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    i64,
    Option<String>,
    String,
    i64,
    Option<i64>,
);

const SELECT: &str =
    "SELECT r.id, r.status, t.name_zh, r.merchant, r.total_fen, r.purchased_text, r.points, r.reason, \
     r.note, r.created_at, r.decided_at FROM receipts r LEFT JOIN tenants t ON t.id = r.tenant_id";

fn view(row: Row, tz: &MallTz, refund_window_days: i64, now: Timestamp) -> ReceiptView {
    let (id, status, tenant, merchant, total_fen, purchased, points, reason, note, created_at, decided_at) = row;
    let status = ReceiptStatus::parse(&status).unwrap_or(ReceiptStatus::Review);
    ReceiptView {
        id,
        status,
        shop: tenant.or(merchant),
        total_fen,
        purchased,
        points,
        points_pending: status == ReceiptStatus::Approved
            && decided_at.is_some_and(|at| Timestamp(at).plus_secs(refund_window_days * 86_400) > now),
        reason: if status == ReceiptStatus::Approved { None } else { reason },
        note,
        uploaded_at: Timestamp(created_at).format_local(tz),
    }
}

/// The member's receipts, newest first.
pub async fn mine(db: &Db, member: MemberId, limit: i64, now: Timestamp) -> Result<Vec<ReceiptView>> {
    let tz = mall::timezone(db).await?;
    let policy: PointsPolicy = settings::get(db.pool()).await?;
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} WHERE r.member_id = $1 ORDER BY r.id DESC LIMIT $2"))
        .bind(member.0)
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    Ok(rows.into_iter().map(|r| view(r, &tz, policy.refund_window_days, now)).collect())
}

/// One of the member's receipts (another member's is "not found").
pub async fn one(db: &Db, member: MemberId, id: i64, now: Timestamp) -> Result<ReceiptView> {
    let tz = mall::timezone(db).await?;
    let policy: PointsPolicy = settings::get(db.pool()).await?;
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE r.id = $1 AND r.member_id = $2"))
        .bind(id)
        .bind(member.0)
        .fetch_optional(db.pool())
        .await?;
    let row = row.ok_or(AppError::NotFound)?;
    Ok(view(row, &tz, policy.refund_window_days, now))
}

/// The storage keys of a receipt's photo and thumbnail, with its owner (for access checks).
pub async fn photo_keys(db: &Db, id: i64) -> Result<(MemberId, String, String)> {
    let row: Option<(i64, String, String)> =
        sqlx::query_as("SELECT member_id, photo_key, thumb_key FROM receipts WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    let (member, photo, thumb) = row.ok_or(AppError::NotFound)?;
    Ok((MemberId(member), photo, thumb))
}
