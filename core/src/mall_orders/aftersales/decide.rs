//! The decisions on a request: the shop approves or rejects it, the shopper disputes a
//! rejection once, an operator arbitrates a dispute. An approval — the shop's, or the operator's
//! refund — claims the request with a conditional update (of two taps, one wins; the other is
//! told it is decided), announces a line refund in `mall_refunds` exactly as the console's
//! `refund_lines` does and asks the payment engine: partial, per line, tenders reversed in
//! order, points reversed, units back in stock when the goods came back. If the engine refuses,
//! the request goes back to where it was.

use super::{note, priced, record, refused};
use crate::audit::{self, Actor, Entry};
use crate::mall_orders::shopper::{announce_refund, refund_failed};
use crate::payments::{self, PaymentProvider, RefundRequest};
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{AfterSalesParty, AfterSalesProblem, AfterSalesState, MallOrderState};
use plaza_types::error::Field;
use plaza_types::{AppError, Fen, MemberId, StaffId, TenantId};

/// The operator's ruling on a disputed request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ruling {
    /// The shopper is right: refund as the shop's approval would have.
    Refund,
    /// The shop's rejection stands.
    Uphold,
}

/// The request's state when it belongs to `tenant` (another shop's is not found).
async fn of_shop(db: &Db, tenant: TenantId, request: i64) -> Result<AfterSalesState> {
    let row: Option<(String,)> = sqlx::query_as("SELECT state FROM mall_aftersales WHERE id = $1 AND tenant_id = $2")
        .bind(request)
        .bind(tenant.0)
        .fetch_optional(db.pool())
        .await?;
    let (state,) = row.ok_or(AppError::NotFound)?;
    AfterSalesState::parse(&state).ok_or_else(|| crate::Error::internal("after-sales state"))
}

/// The shop approves a request: the refund goes through the engine. The amount refunded.
pub async fn approve(
    db: &Db,
    provider: &dyn PaymentProvider,
    tenant: TenantId,
    by: StaffId,
    request: i64,
    now: Timestamp,
) -> Result<Fen> {
    of_shop(db, tenant, request).await?;
    pay_back(db, provider, request, AfterSalesState::Requested, AfterSalesParty::Shop, by, "", now).await
}

/// The shop rejects a request with a reason the shopper sees.
pub async fn reject(db: &Db, tenant: TenantId, request: i64, reason: &str, now: Timestamp) -> Result<()> {
    let reason = note(reason)?;
    of_shop(db, tenant, request).await?;
    let mut tx = db.begin_write().await?;
    let moved = sqlx::query(
        "UPDATE mall_aftersales SET state = 'rejected', shop_note = $1, version = version + 1, updated_at = $2 \
         WHERE id = $3 AND tenant_id = $4 AND state = 'requested'",
    )
    .bind(&reason)
    .bind(now.millis())
    .bind(request)
    .bind(tenant.0)
    .execute(&mut **tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Err(refused(AfterSalesProblem::AlreadyDecided));
    }
    record(&mut tx, request, AfterSalesState::Rejected, AfterSalesParty::Shop, &reason, now).await?;
    tx.commit().await
}

/// The shopper disputes the shop's rejection (once, with a note): the operator decides.
pub async fn dispute(db: &Db, member: MemberId, request: i64, words: &str, now: Timestamp) -> Result<()> {
    let words = note(words)?;
    let mut tx = db.begin_write().await?;
    let row: Option<(i64, String, i64)> =
        sqlx::query_as("SELECT order_id, state, disputed FROM mall_aftersales WHERE id = $1 AND member_id = $2")
            .bind(request)
            .bind(member.0)
            .fetch_optional(&mut **tx)
            .await?;
    let (order, state, disputed) = row.ok_or(AppError::NotFound)?;
    if state != AfterSalesState::Rejected.as_str() || disputed != 0 {
        return Err(refused(AfterSalesProblem::NotDisputable));
    }
    if super::open_request(&mut tx, order).await?.is_some() {
        return Err(refused(AfterSalesProblem::AlreadyOpen));
    }
    let moved = sqlx::query(
        "UPDATE mall_aftersales SET state = 'disputed', disputed = 1, dispute_note = $1, version = version + 1, \
         updated_at = $2 WHERE id = $3 AND state = 'rejected' AND disputed = 0",
    )
    .bind(&words)
    .bind(now.millis())
    .bind(request)
    .execute(&mut **tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Err(refused(AfterSalesProblem::NotDisputable));
    }
    record(&mut tx, request, AfterSalesState::Disputed, AfterSalesParty::Shopper, &words, now).await?;
    tx.commit().await
}

/// The operator's ruling on a disputed request, with words everyone sees (audited).
pub async fn arbitrate(
    db: &Db,
    provider: &dyn PaymentProvider,
    by: StaffId,
    request: i64,
    ruling: Ruling,
    words: &str,
    now: Timestamp,
) -> Result<()> {
    let words = note(words)?;
    let exists: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM mall_aftersales WHERE id = $1").bind(request).fetch_optional(db.pool()).await?;
    exists.ok_or(AppError::NotFound)?;
    match ruling {
        Ruling::Refund => {
            pay_back(db, provider, request, AfterSalesState::Disputed, AfterSalesParty::Operator, by, &words, now)
                .await
                .map(|_| ())
        }
        Ruling::Uphold => {
            let mut tx = db.begin_write().await?;
            let moved = sqlx::query(
                "UPDATE mall_aftersales SET state = 'upheld', operator_note = $1, version = version + 1, updated_at = $2 \
                 WHERE id = $3 AND state = 'disputed'",
            )
            .bind(&words)
            .bind(now.millis())
            .bind(request)
            .execute(&mut **tx)
            .await?;
            if moved.rows_affected() != 1 {
                return Err(refused(AfterSalesProblem::AlreadyDecided));
            }
            let (member, tenant, amount): (i64, i64, i64) =
                sqlx::query_as("SELECT member_id, tenant_id, amount_fen FROM mall_aftersales WHERE id = $1")
                    .bind(request)
                    .fetch_one(&mut **tx)
                    .await?;
            let entry = Entry::new(&Actor::Staff(by), "mall.aftersales.uphold")
                .member(MemberId(member))
                .tenant(Some(TenantId(tenant)))
                .subject(format!("aftersales:{request}"))
                .details(format!("{amount} fen asked"))
                .reason(words.clone());
            audit::append(&mut tx, entry, now).await?;
            record(&mut tx, request, AfterSalesState::Upheld, AfterSalesParty::Operator, &words, now).await?;
            tx.commit().await
        }
    }
}

/// Claims the request (from `from` to refunding), announces the line refund and asks the
/// engine. The amount refunded.
#[allow(clippy::too_many_arguments)]
async fn pay_back(
    db: &Db,
    provider: &dyn PaymentProvider,
    request: i64,
    from: AfterSalesState,
    by_party: AfterSalesParty,
    by: StaffId,
    words: &str,
    now: Timestamp,
) -> Result<Fen> {
    let mut tx = db.begin_write().await?;
    let claimed = sqlx::query(
        "UPDATE mall_aftersales SET state = 'refunding', version = version + 1, updated_at = $1 WHERE id = $2 AND state = $3",
    )
    .bind(now.millis())
    .bind(request)
    .bind(from.as_str())
    .execute(&mut **tx)
    .await?;
    if claimed.rows_affected() != 1 {
        return Err(refused(AfterSalesProblem::AlreadyDecided));
    }
    if by_party == AfterSalesParty::Operator {
        sqlx::query("UPDATE mall_aftersales SET operator_note = $1 WHERE id = $2")
            .bind(words)
            .bind(request)
            .execute(&mut **tx)
            .await?;
    }
    type Row = (i64, i64, i64, i64, String, String, String, i64, i64);
    let (order, member, tenant, returning, order_no, payment_no, state, total, refunded): Row = sqlx::query_as(
        "SELECT a.order_id, a.member_id, a.tenant_id, a.goods_back, o.order_no, o.payment_no, o.state, o.total_fen, \
         o.refunded_fen FROM mall_aftersales a JOIN mall_orders o ON o.id = a.order_id WHERE a.id = $1",
    )
    .bind(request)
    .fetch_one(&mut **tx)
    .await?;
    if matches!(
        crate::mall_orders::parse_state(&state)?,
        MallOrderState::Pending | MallOrderState::Cancelling | MallOrderState::Cancelled | MallOrderState::Expired
    ) {
        return Err(refused(AfterSalesProblem::NotEligible));
    }
    let (pending,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM mall_refunds WHERE order_id = $1 AND state = 'pending'")
            .bind(order)
            .fetch_one(&mut **tx)
            .await?;
    if pending > 0 {
        return Err(AppError::NotUsable.into());
    }
    let lines: Vec<(i64, i64)> =
        sqlx::query_as("SELECT line_id, quantity FROM mall_aftersales_lines WHERE request_id = $1 ORDER BY line_id")
            .bind(request)
            .fetch_all(&mut **tx)
            .await?;
    // Priced again now: the shop may have refunded some of these units from its console since.
    let amount = priced(&mut tx, order, &lines).await?;
    if amount <= 0 || amount > total - refunded {
        return Err(AppError::invalid(Field::Amount).into());
    }
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mall_refunds WHERE order_id = $1")
        .bind(order)
        .fetch_one(&mut **tx)
        .await?;
    let refund_no = format!("R{order_no}-{}", count + 1);
    let reason = format!("售后 AS{request}");
    let actor = format!("staff:{}", by.0);
    let id = announce_refund(&mut tx, &refund_no, order, "lines", amount, returning == 1, &reason, &actor, now).await?;
    for (line, quantity) in &lines {
        sqlx::query("INSERT INTO mall_refund_lines (refund_id, line_id, quantity) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(line)
            .bind(quantity)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("UPDATE mall_aftersales SET refund_no = $1, amount_fen = $2 WHERE id = $3")
        .bind(&refund_no)
        .bind(amount)
        .bind(request)
        .execute(&mut **tx)
        .await?;
    if by_party == AfterSalesParty::Operator {
        let entry = Entry::new(&Actor::Staff(by), "mall.aftersales.refund")
            .member(MemberId(member))
            .tenant(Some(TenantId(tenant)))
            .subject(format!("aftersales:{request}"))
            .amount(amount)
            .details(refund_no.clone())
            .reason(words.to_string());
        audit::append(&mut tx, entry, now).await?;
    }
    record(&mut tx, request, AfterSalesState::Refunding, by_party, words, now).await?;
    tx.commit().await?;

    let refund = RefundRequest { payment_no: &payment_no, refund_no: &refund_no, amount: Fen(amount), reason: &reason };
    let result = payments::refund(db, provider, refund, &Actor::Staff(by), now).await;
    let mut tx = db.begin_write().await?;
    match result {
        Ok(_) => {
            sqlx::query(
                "UPDATE mall_aftersales SET state = 'refunded', updated_at = $1 WHERE id = $2 AND state = 'refunding'",
            )
            .bind(now.millis())
            .bind(request)
            .execute(&mut **tx)
            .await?;
            record(&mut tx, request, AfterSalesState::Refunded, AfterSalesParty::System, &refund_no, now).await?;
            tx.commit().await?;
            Ok(Fen(amount))
        }
        Err(error) => {
            refund_failed(&mut tx, &refund_no, now).await?;
            sqlx::query(
                "UPDATE mall_aftersales SET state = $1, refund_no = NULL, updated_at = $2 WHERE id = $3 AND state = 'refunding'",
            )
            .bind(from.as_str())
            .bind(now.millis())
            .bind(request)
            .execute(&mut **tx)
            .await?;
            record(&mut tx, request, from, AfterSalesParty::System, "refund failed", now).await?;
            tx.commit().await?;
            Err(error)
        }
    }
}
