//! Payments as people see them: the result page after paying, the member's history. Also the
//! browser's return from the provider, which asks the provider and completes or closes.

use super::close::close;
use super::complete::{complete, Confirmation};
use super::provider::{PaymentProvider, ProviderStatus};
use super::{find, Payment, PaymentState, PAYMENT_COLUMNS};
use crate::MallTz;
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{Breakdown, Localized, PaymentView};
use plaza_types::{AppError, Fen, MemberId};

/// What the shopper's browser coming back from the provider means: ask the provider, then
/// complete (paid) or close (cancelled) through the same commands as notifications and the
/// timeout job. A payment still open at the provider is left alone.
pub async fn settle_return(db: &Db, provider: &dyn PaymentProvider, payment_no: &str, now: Timestamp) -> Result<()> {
    let Some(p) = find(db.pool(), payment_no).await? else { return Ok(()) };
    if p.state != PaymentState::Paying || p.provider.as_deref() != Some(provider.name()) {
        return Ok(());
    }
    match provider.query(db, payment_no).await? {
        ProviderStatus::Paid { transaction_id, amount, paid_at } => {
            let confirmation = Confirmation { provider: p.provider.clone(), transaction_id, amount, paid_at };
            complete(db, payment_no, &confirmation, now).await?;
        }
        ProviderStatus::Closed => {
            close(db, payment_no, "cancelled", now).await?;
        }
        ProviderStatus::Open | ProviderStatus::Unknown => {}
    }
    Ok(())
}

/// The shopper cancels before paying: the provider's order is closed first (so it can no longer
/// be paid), then ours, giving the tenders back. A payment the provider already took is completed.
pub async fn cancel(
    db: &Db,
    provider: &dyn PaymentProvider,
    member: MemberId,
    payment_no: &str,
    now: Timestamp,
) -> Result<()> {
    let p = find(db.pool(), payment_no).await?.filter(|p| p.member_id == member.0).ok_or(AppError::NotFound)?;
    if !p.state.is_open() {
        return Ok(());
    }
    if p.provider.as_deref() == Some(provider.name()) {
        if let ProviderStatus::Paid { transaction_id, amount, paid_at } = provider.close(db, payment_no, now).await? {
            let confirmation = Confirmation { provider: p.provider.clone(), transaction_id, amount, paid_at };
            complete(db, payment_no, &confirmation, now).await?;
            return Ok(());
        }
    }
    close(db, payment_no, "cancelled", now).await?;
    Ok(())
}

async fn points_earned(db: &Db, payment_no: &str) -> Result<i64> {
    let (points,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM points_movements WHERE kind = 'earn' AND ref = $1",
    )
    .bind(payment_no)
    .fetch_one(db.pool())
    .await?;
    Ok(points)
}

async fn tenant_name(db: &Db, tenant: Option<i64>) -> Result<Option<Localized>> {
    let Some(id) = tenant else { return Ok(None) };
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT name_zh, name_en FROM tenants WHERE id = $1").bind(id).fetch_optional(db.pool()).await?;
    Ok(row.map(|(zh, en)| Localized::new(zh, en)))
}

pub async fn view(db: &Db, p: &Payment, tz: &MallTz) -> Result<PaymentView> {
    let pay_url: Option<String> = sqlx::query_as::<_, (Option<String>,)>("SELECT pay_url FROM payments WHERE id = $1")
        .bind(p.id)
        .fetch_one(db.pool())
        .await?
        .0;
    Ok(PaymentView {
        payment_no: p.payment_no.to_string(),
        state: p.state,
        purpose: p.purpose,
        subject: p.subject.clone(),
        tenant: tenant_name(db, p.tenant_id).await?,
        plate: super::plate_pay::plate_code(db, p).await?,
        breakdown: Breakdown {
            amount: Fen(p.amount_fen),
            coupon: Fen(p.coupon_fen),
            points_used: p.points_used,
            points_value: Fen(p.points_fen),
            stored_value: Fen(p.sv_fen),
            to_pay: Fen(p.external_fen),
        },
        refunded: Fen(p.refunded_fen),
        points_earned: points_earned(db, &p.payment_no).await?,
        pay_url: pay_url.filter(|_| p.state == PaymentState::Paying),
        created_at: Timestamp(p.created_at).format_local(tz),
        paid_at: p.paid_at.map(|t| Timestamp(t).format_local(tz)),
    })
}

/// One of the member's own payments (another member's is not found).
pub async fn of_member(db: &Db, member: MemberId, payment_no: &str, tz: &MallTz) -> Result<PaymentView> {
    let p = find(db.pool(), payment_no).await?.filter(|p| p.member_id == member.0).ok_or(AppError::NotFound)?;
    view(db, &p, tz).await
}

/// The member's payments, newest first (closed ones that never took money left out).
pub async fn history(db: &Db, member: MemberId, limit: i64, tz: &MallTz) -> Result<Vec<PaymentView>> {
    let rows: Vec<Payment> = sqlx::query_as(&format!(
        "SELECT {PAYMENT_COLUMNS} FROM payments WHERE member_id = $1 AND state <> 'closed' ORDER BY id DESC LIMIT $2"
    ))
    .bind(member.0)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for p in &rows {
        out.push(view(db, p, tz).await?);
    }
    Ok(out)
}
