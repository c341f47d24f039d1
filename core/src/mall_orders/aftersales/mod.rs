//! After-sales (售后) of mall orders. A shopper asks to refund some lines of a paid order (within
//! the points refund window after completion): a reason from the list and words, up to
//! [`MAX_PHOTOS`] photos (checked, re-encoded without metadata and stored under `aftersales/…`,
//! served only to the shopper, the shop's staff and operators), and whether the goods come back.
//! One open request per order (a unique index). The shop approves — the refund goes through the
//! payment engine as the console's line refunds do ([`decide`]) — or rejects with a reason; the
//! shopper may dispute a rejection once, and an operator then refunds or upholds it (audited).
//! Every step is a conditional update (a second tap finds the request decided), is kept in the
//! request's history and announces the order through the outbox.

pub mod decide;
pub mod views;

#[cfg(test)]
mod tests;

use super::{announce, clean_text};
use crate::points::PointsPolicy;
use crate::shop::photos::{self, Shape, ShopPhoto};
use crate::storage::Storage;
use crate::{settings, Db, Result, Timestamp, WriteTx};
use plaza_types::dto::{AfterSalesParty, AfterSalesProblem, AfterSalesReason, AfterSalesState, MallOrderState};
use plaza_types::error::Field;
use plaza_types::{AppError, MemberId};
use sqlx::AnyConnection;

pub use decide::{approve, arbitrate, dispute, reject, Ruling};

/// Photos one request may carry.
pub const MAX_PHOTOS: usize = 6;

pub(crate) fn refused(problem: AfterSalesProblem) -> crate::Error {
    AppError::AfterSales { problem }.into()
}

/// A request as the shopper sends it.
#[derive(Clone, Debug, Default)]
pub struct NewRequest {
    pub order_no: String,
    /// (order line id, units).
    pub lines: Vec<(i64, i64)>,
    pub reason: String,
    pub reason_text: String,
    pub returning: bool,
    /// Checked and cut one at a time as they arrive ([`prepare_photo`]).
    pub photos: Vec<ShopPhoto>,
}

/// Checks an uploaded photo (size, type from the bytes, pixels), re-encodes it without metadata
/// and cuts it to the review shape (long side 1,200 px, a 240 px square thumbnail).
pub async fn prepare_photo(upload: Vec<u8>) -> Result<ShopPhoto> {
    Ok(photos::prepare(upload, Shape::Review).await?)
}

/// 2–200 characters of words (a rejection, a dispute, an arbitration).
pub(crate) fn note(text: &str) -> Result<String> {
    let text = clean_text(text, 200, true, Field::Reason).map_err(|_| refused(AfterSalesProblem::Note))?;
    if text.chars().count() < 2 {
        return Err(refused(AfterSalesProblem::Note));
    }
    Ok(text)
}

/// What can be checked before any photo is decoded: the reason and its words, the lines chosen,
/// the number of photos.
pub fn check(new: &NewRequest) -> Result<(AfterSalesReason, String)> {
    let reason = AfterSalesReason::parse(new.reason.trim()).ok_or_else(|| refused(AfterSalesProblem::Reason))?;
    let words =
        clean_text(&new.reason_text, 200, false, Field::Reason).map_err(|_| refused(AfterSalesProblem::Reason))?;
    if reason == AfterSalesReason::Other && words.chars().count() < 2 {
        return Err(refused(AfterSalesProblem::Reason));
    }
    let duplicate = new.lines.iter().enumerate().any(|(i, (l, _))| new.lines[..i].iter().any(|(m, _)| m == l));
    if new.lines.is_empty()
        || new.lines.len() > 100
        || duplicate
        || new.lines.iter().any(|(_, q)| *q <= 0 || *q > 9_999)
    {
        return Err(refused(AfterSalesProblem::Lines));
    }
    if new.photos.len() > MAX_PHOTOS {
        return Err(refused(AfterSalesProblem::TooManyPhotos));
    }
    Ok((reason, words))
}

/// (order id, tenant) of the member's order when a request may be made on it now: paid and not
/// cancelled, completed no longer ago than the refund window, no request open.
async fn eligible(conn: &mut AnyConnection, member: MemberId, order_no: &str, now: Timestamp) -> Result<(i64, i64)> {
    let row: Option<(i64, i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT id, tenant_id, state, completed_at FROM mall_orders WHERE order_no = $1 AND member_id = $2",
    )
    .bind(order_no)
    .bind(member.0)
    .fetch_optional(&mut *conn)
    .await?;
    let (order, tenant, state, completed_at) = row.ok_or(AppError::NotFound)?;
    let policy: PointsPolicy = settings::get(&mut *conn).await?;
    let open_state = matches!(
        super::parse_state(&state)?,
        MallOrderState::Paid
            | MallOrderState::Ready
            | MallOrderState::Accepted
            | MallOrderState::Shipped
            | MallOrderState::Delivered
    );
    let in_window = state == MallOrderState::Completed.as_str()
        && completed_at.is_some_and(|at| Timestamp(at).plus_secs(policy.refund_window_days * 86_400) > now);
    if !open_state && !in_window {
        return Err(refused(AfterSalesProblem::NotEligible));
    }
    if open_request(conn, order).await?.is_some() {
        return Err(refused(AfterSalesProblem::AlreadyOpen));
    }
    Ok((order, tenant))
}

async fn open_request(conn: &mut AnyConnection, order: i64) -> Result<Option<i64>> {
    let open: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM mall_aftersales WHERE order_id = $1 AND state IN ('requested', 'refunding', 'disputed')",
    )
    .bind(order)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(open.map(|(id,)| id))
}

/// Whether `member` may ask for after-sales on the order now (before any photo is read).
pub async fn ensure_requestable(db: &Db, member: MemberId, order_no: &str, now: Timestamp) -> Result<()> {
    let mut conn = db.pool().acquire().await?;
    eligible(&mut conn, member, order_no, now).await.map(|_| ())
}

/// The money for `lines`: each line's share of what was paid for it after its promotions, as
/// the console's line refunds count it; refused when a line is not of the order or more units
/// are asked than are left to refund.
pub(crate) async fn priced(conn: &mut AnyConnection, order: i64, lines: &[(i64, i64)]) -> Result<i64> {
    let mut amount = 0;
    for (line, quantity) in lines {
        let row: Option<(i64, i64, i64)> = sqlx::query_as(
            "SELECT quantity, refunded_quantity, COALESCE(paid_fen, unit_price_fen * quantity) FROM shop_order_lines \
             WHERE id = $1 AND order_id = $2",
        )
        .bind(line)
        .bind(order)
        .fetch_optional(&mut *conn)
        .await?;
        let (bought, done, paid) = row.ok_or_else(|| refused(AfterSalesProblem::Lines))?;
        if *quantity > bought - done {
            return Err(refused(AfterSalesProblem::Lines));
        }
        amount += plaza_types::pricing::refund_for_units(plaza_types::Fen(paid), bought, done, *quantity).0;
    }
    Ok(amount)
}

/// Opens a request on one of the member's orders; its id. The photos are stored first and
/// removed again if the request is refused.
pub async fn request(db: &Db, storage: &Storage, member: MemberId, new: NewRequest, now: Timestamp) -> Result<i64> {
    let (reason, words) = check(&new)?;
    ensure_requestable(db, member, &new.order_no, now).await?;
    let mut stored: Vec<(String, String)> = Vec::new();
    for photo in new.photos {
        match photos::store(storage, &photos::new_key(&format!("aftersales/{}", member.0)), photo).await {
            Ok(keys) => stored.push(keys),
            Err(e) => {
                forget(storage, &stored).await;
                return Err(e);
            }
        }
    }
    let saved = async {
        let mut tx = db.begin_write().await?;
        // Again under the write lock: two requests at once cannot both open.
        let (order, tenant) = eligible(&mut tx, member, &new.order_no, now).await?;
        let amount = priced(&mut tx, order, &new.lines).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO mall_aftersales (order_id, tenant_id, member_id, state, reason, reason_text, goods_back, amount_fen, \
             created_at, updated_at) VALUES ($1, $2, $3, 'requested', $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(order)
        .bind(tenant)
        .bind(member.0)
        .bind(reason.as_str())
        .bind(&words)
        .bind(i64::from(new.returning))
        .bind(amount)
        .bind(now.millis())
        .fetch_one(&mut **tx)
        .await?;
        for (line, quantity) in &new.lines {
            sqlx::query("INSERT INTO mall_aftersales_lines (request_id, line_id, quantity) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(line)
                .bind(quantity)
                .execute(&mut **tx)
                .await?;
        }
        for (position, (key, thumb)) in stored.iter().enumerate() {
            sqlx::query(
                "INSERT INTO mall_aftersales_photos (request_id, position, photo_key, thumb_key) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(position as i64)
            .bind(key)
            .bind(thumb)
            .execute(&mut **tx)
            .await?;
        }
        record(&mut tx, id, AfterSalesState::Requested, AfterSalesParty::Shopper, &words, now).await?;
        tx.commit().await?;
        Ok(id)
    }
    .await;
    if saved.is_err() {
        forget(storage, &stored).await;
    }
    saved
}

async fn forget(storage: &Storage, stored: &[(String, String)]) {
    let keys: Vec<String> = stored.iter().flat_map(|(a, b)| [a.clone(), b.clone()]).collect();
    photos::forget(storage, &keys).await;
}

fn party(p: AfterSalesParty) -> &'static str {
    match p {
        AfterSalesParty::Shopper => "shopper",
        AfterSalesParty::Shop => "shop",
        AfterSalesParty::Operator => "operator",
        AfterSalesParty::System => "system",
    }
}

pub(crate) fn parse_party(p: &str) -> AfterSalesParty {
    match p {
        "shopper" => AfterSalesParty::Shopper,
        "shop" => AfterSalesParty::Shop,
        "operator" => AfterSalesParty::Operator,
        _ => AfterSalesParty::System,
    }
}

/// Appends a step to the request's history and tells the order's screens (the shop's and the
/// shopper's) that it changed: the order's version moves and its event goes in the outbox.
pub(crate) async fn record(
    tx: &mut WriteTx,
    request: i64,
    state: AfterSalesState,
    by: AfterSalesParty,
    note: &str,
    now: Timestamp,
) -> Result<()> {
    sqlx::query("INSERT INTO mall_aftersales_steps (request_id, state, actor, note, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(request)
        .bind(state.as_str())
        .bind(party(by))
        .bind(note)
        .bind(now.millis())
        .execute(&mut ***tx)
        .await?;
    let (order,): (i64,) = sqlx::query_as("SELECT order_id FROM mall_aftersales WHERE id = $1")
        .bind(request)
        .fetch_one(&mut ***tx)
        .await?;
    sqlx::query("UPDATE mall_orders SET version = version + 1, updated_at = $1 WHERE id = $2")
        .bind(now.millis())
        .bind(order)
        .execute(&mut ***tx)
        .await?;
    announce(tx, order, now).await
}
