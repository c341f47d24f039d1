//! Paying at a tenant's counter plate: the amount the shopper typed, the tenders on offer for
//! it, and the payment started with exactly the breakdown the shopper confirmed.

use super::create::{create, Choice, Created, NewPayment, MAX_PAYMENT};
use super::provider::PaymentProvider;
use super::purpose::{Details, Fulfilled, RefundLine, Reversed};
use super::views::cancel;
use super::{sale, Payment, PaymentState, Purpose};
use crate::points::PointsPolicy;
use crate::MallTz;
use crate::{coupons, plates, points, settings, stored_value, Db, Result, Timestamp, WriteTx};
use async_trait::async_trait;
use plaza_types::dto::{PayOptions, PlateView};
use plaza_types::{AppError, Fen, MemberId, TenantId};
use std::sync::Arc;

/// The points-ledger source of what a plate payment earns.
const POINTS_SOURCE: &str = "plate_pay";

pub use plaza_types::tender::MIN_PLATE_PAYMENT;

/// Reads what the shopper typed on the keypad: yuan with at most two decimals, within bounds.
pub fn parse_amount(input: &str) -> std::result::Result<Fen, AppError> {
    plaza_types::tender::parse_amount_within(input, MIN_PLATE_PAYMENT, MAX_PAYMENT)
}

/// A plate that takes payments now: an unknown code is not found, a revoked plate (or a closed
/// shop's) is not usable.
pub async fn active_plate(db: &Db, code: &str) -> Result<PlateView> {
    if code.is_empty() || code.len() > 32 {
        return Err(AppError::NotFound.into());
    }
    match plates::get(db, code).await? {
        Some(plate) if plate.active => Ok(plate),
        Some(_) => Err(AppError::NotUsable.into()),
        None => Err(AppError::NotFound.into()),
    }
}

pub async fn options(
    db: &Db,
    member: MemberId,
    code: &str,
    amount: Fen,
    now: Timestamp,
    tz: &MallTz,
) -> Result<PayOptions> {
    let plate = active_plate(db, code).await?;
    let tenant = Some(TenantId(plate.tenant_id));
    let policy: PointsPolicy = settings::get(db.pool()).await?;
    let coupons = coupons::usable_for(db, member, tenant, amount, now, tz).await?;
    let points = points::account::balance(db.pool(), member).await?;
    let stored_value = stored_value::balance(db.pool(), member).await?;
    Ok(PayOptions {
        plate,
        amount,
        coupons,
        points_available: points.available.max(0),
        points_per_yuan: policy.points_per_yuan_spent,
        max_points_pct: policy.max_payment_share_pct,
        stored_value,
        request_key: crate::codes::random_key(),
    })
}

/// What the shopper confirmed on the pay page.
#[derive(Clone, Debug)]
pub struct PlateOrder {
    pub code: String,
    pub amount: Fen,
    pub choice: Choice,
    /// What the page showed as left to pay; when given, a different breakdown is refused.
    pub expected_to_pay: Option<Fen>,
    pub request_key: String,
}

pub async fn start(
    db: &Db,
    provider: &dyn PaymentProvider,
    member: MemberId,
    order: &PlateOrder,
    now: Timestamp,
) -> Result<Created> {
    let plate = active_plate(db, &order.code).await?;
    let tenant = TenantId(plate.tenant_id);
    let new = NewPayment {
        member,
        details: Arc::new(PlateDetails { plate_id: plate.id, tenant }),
        subject: plate.tenant.zh.clone(),
        amount: order.amount,
        coupon: order.choice.coupon,
        use_points: order.choice.use_points,
        use_stored_value: order.choice.use_stored_value,
        request_key: order.request_key.clone(),
    };
    // A repeated request (same key) returns the payment it created, whatever became of it.
    let created = create(db, provider, &new, now).await?;
    let changed = order.expected_to_pay.is_some_and(|expected| created.split.external != expected);
    if changed || created.state == PaymentState::Closed {
        // The balances moved since the page showed the breakdown: give everything back.
        cancel(db, provider, member, &created.payment_no, now).await?;
        return Err(AppError::QuoteChanged.into());
    }
    Ok(created)
}

/// A plate payment's own row: the plate it was paid at.
#[derive(Debug)]
pub struct PlateDetails {
    pub plate_id: i64,
    pub tenant: TenantId,
}

#[async_trait]
impl Details for PlateDetails {
    fn purpose(&self) -> Purpose {
        Purpose::Plate
    }

    fn tenant(&self) -> Option<TenantId> {
        Some(self.tenant)
    }

    async fn record(&self, tx: &mut WriteTx, payment_id: i64, _now: Timestamp) -> Result<()> {
        sqlx::query("INSERT INTO plate_payments (payment_id, plate_id, tenant_id) VALUES ($1, $2, $3)")
            .bind(payment_id)
            .bind(self.plate_id)
            .bind(self.tenant.0)
            .execute(&mut ***tx)
            .await?;
        Ok(())
    }
}

/// Paid at the plate: the tenant's sale (on its counter screen at once) and the points earned.
pub async fn fulfil(tx: &mut WriteTx, p: &Payment, now: Timestamp) -> Result<Fulfilled> {
    let tenant = p.require_tenant()?;
    sale::record(tx, p, tenant, Fen(p.amount_fen), None, now).await?;
    let points = sale::earn_points(tx, p, tenant, POINTS_SOURCE, now).await?;
    Ok(Fulfilled { points })
}

/// Refunded: the tenant's refund line, and the points earned reversed in proportion.
pub async fn reverse(tx: &mut WriteTx, p: &Payment, refund: &RefundLine, now: Timestamp) -> Result<Reversed> {
    let tenant = p.require_tenant()?;
    sale::record(tx, p, tenant, refund.amount, Some(refund.refund_id), now).await?;
    let points_reversed = sale::reverse_points(tx, p, POINTS_SOURCE, &refund.refund_no, refund.money, now).await?;
    Ok(Reversed { points_reversed })
}

/// The plate's code a payment was made at (to pay there again).
pub async fn plate_code(db: &Db, p: &Payment) -> Result<Option<String>> {
    if p.purpose != Purpose::Plate {
        return Ok(None);
    }
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT pl.code FROM plate_payments pp JOIN payment_plates pl ON pl.id = pp.plate_id WHERE pp.payment_id = $1",
    )
    .bind(p.id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(code,)| code))
}
