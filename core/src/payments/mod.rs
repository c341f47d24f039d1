//! The payment engine: one payment record for every purchase (plate payments, paid membership,
//! top-ups; later food and mall orders), paid by a split tender in the fixed order coupon →
//! points → stored value → an external provider for the rest.
//!
//! - `create` takes the internal tenders at once (coupon reserved, points and stored value
//!   taken) and asks the provider to collect the rest;
//! - `complete` is the one idempotent completion command, keyed by payment number: the
//!   browser's return, every provider notification and the reconciliation job all call it;
//! - `close` gives the internal tenders back when a payment is cancelled or times out;
//! - `refund` reverses tenders in the opposite order, with the points the purchase earned.

pub mod alipay_notifications;
pub mod alipay_pay;
pub mod checkout;
pub mod close;
pub mod complete;
pub mod create;
pub mod gateway;
pub mod notifications;
pub mod plate_pay;
pub mod provider;
pub mod purpose;
pub mod reconcile;
pub mod refund;
pub mod refund_attention;
pub mod refund_waiting;
pub mod refusals;
pub mod sale;
pub mod sales;
pub mod sandbox;
pub mod views;
pub mod wechat_pay;

pub use close::{close, expire_due};
pub use complete::{complete, Completion, Confirmation};
pub use create::{create, quote, Choice, Created, NewPayment, PaymentTimeout, MAX_PAYMENT};
pub use gateway::Gateway;
pub use plaza_types::tender::{split, Split, TenderInputs};
pub use plaza_types::{PaymentNo, PaymentState, Purpose};
pub use provider::{PaymentProvider, ProviderStatus, SharedProvider};
pub use purpose::{Details, Fulfilled, Purposes, RefundLine, Reversed};
pub use refund::{refund, RefundDone, RefundRequest};

#[cfg(test)]
mod certificate_notify_tests;
#[cfg(test)]
mod checkout_tests;
#[cfg(test)]
mod concurrency_tests;
#[cfg(test)]
mod plate_tests;
#[cfg(test)]
mod provider_tests;
#[cfg(test)]
mod refund_attention_tests;
#[cfg(test)]
mod refund_waiting_tests;
#[cfg(test)]
mod tests;

use crate::events::{self, Scope};
use crate::{Timestamp, WriteTx};
use plaza_types::events::{Event, PaymentChange};
use plaza_types::{Fen, MemberId, TenantId};
use rand::Rng;
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

/// A payment number: `P`, the time (UTC, to the second) and 8 random characters — 23 characters,
/// within WeChat's 32 for `out_trade_no`, unique without a counter shared between instances.
pub fn new_number(prefix: char, now: Timestamp) -> PaymentNo {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let stamp = jiff::Timestamp::from_millisecond(now.millis())
        .map(|t| t.strftime("%Y%m%d%H%M%S").to_string())
        .unwrap_or_default();
    let mut rng = rand::rngs::OsRng;
    let tail: String = (0..8).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect();
    PaymentNo::issued(format!("{prefix}{stamp}{tail}"))
}

/// Takes the row lock of the member's points account, and of the main card's where a sub-card's
/// points land, before anything else a payment's transaction writes (PostgreSQL): every
/// transaction touching a member's balances takes them in this one order, so two of them never
/// wait for each other crosswise. (It began when audit entries locked the chain's head; they no
/// longer do, decision 0015, and the order still keeps the account locks deadlock-free.)
///
/// On SQLite it does nothing: a write transaction there holds the database's one write lock from
/// `BEGIN IMMEDIATE` on, so there are no row locks to order; its three statements were three of
/// the 51 the single writer ran per plate payment (decision 0026).
pub(crate) async fn lock_member(tx: &mut WriteTx, member: plaza_types::MemberId, now: Timestamp) -> crate::Result<()> {
    if tx.backend() == crate::Backend::Sqlite {
        return Ok(());
    }
    let conn: &mut AnyConnection = tx;
    crate::points::account::lock(conn, member, now).await?;
    // The stored-value row too, always after the points account (a stored-value change on its own
    // takes only this row), so no two transactions wait for each other crosswise.
    sqlx::query("UPDATE sv_accounts SET updated_at = updated_at WHERE member_id = $1")
        .bind(member.0)
        .execute(&mut *conn)
        .await?;
    let beneficiary = crate::membership::beneficiary(conn, member, now).await?;
    if beneficiary != member {
        crate::points::account::lock(conn, beneficiary, now).await?;
    }
    Ok(())
}

/// Appends to the payment's own event trail.
pub(crate) async fn event(
    conn: &mut AnyConnection,
    payment_id: i64,
    event: &str,
    detail: &str,
    now: Timestamp,
) -> crate::Result<()> {
    sqlx::query("INSERT INTO payment_events (payment_id, event, detail, created_at) VALUES ($1, $2, $3, $4)")
        .bind(payment_id)
        .bind(event)
        .bind(detail)
        .bind(now.millis())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A payment as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Payment {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub payment_no: PaymentNo,
    #[sqlx(try_from = "String")]
    pub purpose: Purpose,
    pub member_id: i64,
    pub tenant_id: Option<i64>,
    pub subject: String,
    pub amount_fen: i64,
    pub coupon_id: Option<i64>,
    pub coupon_fen: i64,
    pub points_used: i64,
    pub points_fen: i64,
    pub sv_fen: i64,
    pub external_fen: i64,
    pub provider: Option<String>,
    pub provider_txn: Option<String>,
    #[sqlx(try_from = "String")]
    pub state: PaymentState,
    pub refunded_fen: i64,
    pub created_at: i64,
    pub expires_at: i64,
    pub paid_at: Option<i64>,
}

pub(crate) const PAYMENT_COLUMNS: &str = "id, payment_no, purpose, member_id, tenant_id, subject, amount_fen, coupon_id, \
     coupon_fen, points_used, points_fen, sv_fen, external_fen, provider, provider_txn, state, refunded_fen, created_at, \
     expires_at, paid_at";

pub async fn find<'c, E: sqlx::Executor<'c, Database = sqlx::Any>>(
    executor: E,
    payment_no: &str,
) -> crate::Result<Option<Payment>> {
    Ok(sqlx::query_as(&format!("SELECT {PAYMENT_COLUMNS} FROM payments WHERE payment_no = $1"))
        .bind(payment_no)
        .fetch_optional(executor)
        .await?)
}

impl Payment {
    pub fn member(&self) -> MemberId {
        MemberId(self.member_id)
    }

    pub fn tenant(&self) -> Option<TenantId> {
        self.tenant_id.map(TenantId)
    }

    /// The tenant of a purpose that always has one (plates, food orders).
    pub fn require_tenant(&self) -> crate::Result<TenantId> {
        self.tenant().ok_or_else(|| crate::Error::internal(format!("payment {} has no tenant", self.payment_no)))
    }
}

/// Tells the payer's screens (and the tenant's, for a one-tenant payment) that the payment moved.
pub(crate) async fn announce(
    tx: &mut WriteTx,
    p: &Payment,
    state: PaymentState,
    refunded: Fen,
    now: Timestamp,
) -> crate::Result<()> {
    let change = PaymentChange {
        payment_no: p.payment_no.clone(),
        purpose: p.purpose,
        state,
        amount: Fen(p.amount_fen),
        refunded,
    };
    events::publish(tx, Scope::member(p.member()).with_tenant(p.tenant()), &Event::Payment(change), now)?;
    Ok(())
}
