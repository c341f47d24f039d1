//! Awarding the points of one till sale.

use super::{check, receipt_number, SOURCE};
use crate::audit::{self, Actor, Entry};
use crate::members::code;
use crate::points::{award_for_purchase, Award};
use crate::{Db, Result, Timestamp};
use plaza_types::error::Field;
use plaza_types::tender::{parse_amount_within, MAX_PAYMENT};
use plaza_types::{AppError, Fen, StaffId, TenantId};

/// What the cashier typed for the sale.
#[derive(Clone, Debug)]
pub struct CounterSale<'a> {
    /// The member check's token (from the scan).
    pub check: &'a str,
    /// The amount paid, in yuan as typed (`128`, `128.50`).
    pub amount: &'a str,
    /// The receipt number printed by the shop's own till.
    pub receipt_no: &'a str,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Awarded {
    pub sale_id: i64,
    pub receipt_no: String,
    pub amount: Fen,
    pub points: i64,
    /// Points the daily cap kept back.
    pub capped: i64,
    pub matures_at: Timestamp,
}

/// Awards the points for a sale at `tenant`'s till, by its cashier or owner `staff`: the
/// earning rules decide the points (pending through the refund window, to the main card for a
/// sub-card); the receipt number earns once while its award stands; the member code of the
/// check is used once. Refusals change nothing.
pub async fn award(
    db: &Db,
    tenant: TenantId,
    staff: StaffId,
    sale: &CounterSale<'_>,
    now: Timestamp,
) -> Result<Awarded> {
    let amount = parse_amount_within(sale.amount, Fen(1), MAX_PAYMENT)?;
    let receipt_no = receipt_number(sale.receipt_no).ok_or(AppError::invalid(Field::ReceiptNo))?;
    let mut tx = db.begin_write().await?;
    let (member, digits, _) = check::live(&mut **tx, tenant, sale.check, now).await?;
    let taken: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM counter_sales WHERE tenant_id = $1 AND receipt_no = $2 AND reversed_at IS NULL")
            .bind(tenant.0)
            .bind(&receipt_no)
            .fetch_optional(&mut **tx)
            .await?;
    if taken.is_some() {
        return Err(AppError::AlreadyExists.into());
    }
    code::use_once(&mut tx, &digits, member, SOURCE, now).await?;
    // The sale's row first, so the award can be keyed by it: a reversed sale's receipt number
    // may earn again under a new row, never under the old key.
    let (sale_id,): (i64,) = sqlx::query_as(
        "INSERT INTO counter_sales (tenant_id, receipt_no, member_id, amount_fen, points, award_id, awarded_by, created_at) \
         VALUES ($1, $2, $3, $4, 0, NULL, $5, $6) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(tenant.0)
    .bind(&receipt_no)
    .bind(member.0)
    .bind(amount.0)
    .bind(staff.0)
    .bind(now.millis())
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::AlreadyExists)?;
    let earned = award_for_purchase(
        &mut tx,
        &Award { member, tenant: Some(tenant), amount, source: SOURCE, external_ref: format!("sale:{sale_id}") },
        now,
    )
    .await?;
    sqlx::query("UPDATE counter_sales SET points = $1, award_id = $2 WHERE id = $3")
        .bind(earned.points)
        .bind(earned.award_id)
        .bind(sale_id)
        .execute(&mut **tx)
        .await?;
    let entry = Entry::new(&Actor::Staff(staff), "counter_sale.award")
        .member(member)
        .tenant(Some(tenant))
        .subject(format!("receipt:{receipt_no}"))
        .amount(amount.0)
        .details(format!("points={} sale={sale_id}", earned.points));
    audit::append(&mut tx, entry, now).await?;
    tx.commit().await?;
    Ok(Awarded {
        sale_id,
        receipt_no,
        amount,
        points: earned.points,
        capped: earned.capped,
        matures_at: earned.matures_at,
    })
}
