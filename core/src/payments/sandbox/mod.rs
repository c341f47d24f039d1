//! The built-in sandbox provider: it behaves like WeChat Pay on one machine. It keeps its own
//! books (`sandbox_orders`, `sandbox_refunds`), shows the shopper a hosted page to confirm or
//! cancel, and reports payments with notifications signed and encrypted exactly like WeChat
//! Pay's, delivered by a durable job with retries — verified by the same code as production's.

use super::checkout::{cashier_url, Launch, LaunchRequest, Method};
use super::provider::{PaymentProvider, ProviderOrder, ProviderRefund, ProviderStatus, RefundProgress};
use crate::payment_providers::bill::DailyBill;
use crate::{jobs, Db, Result, Timestamp};
use async_trait::async_trait;
use plaza_types::{AppError, Fen};

pub mod bills;
pub mod notify;
pub mod phone;
pub mod refunds;
use rand::Rng;

/// The durable job that delivers one signed notification to `notify_url`.
pub const NOTIFY_JOB: &str = "sandbox.notify";

/// How notifications are delivered: like WeChat, or (for tests) duplicated and out of order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Delivery {
    #[default]
    Normal,
    /// Each payment is notified `copies` times, at shuffled moments within a few seconds.
    Chaos { copies: u32 },
}

#[derive(Clone, Debug)]
pub struct Sandbox {
    /// Where "WeChat" sends its notifications: our own `/notify/wechat`.
    pub notify_url: String,
    pub delivery: Delivery,
}

#[async_trait]
impl PaymentProvider for Sandbox {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    async fn start(&self, db: &Db, order: &ProviderOrder, now: Timestamp) -> Result<String> {
        let open = sqlx::query(
            "INSERT INTO sandbox_orders (payment_no, amount_fen, description, state, created_at) VALUES ($1, $2, $3, 'open', $4) \
             ON CONFLICT (payment_no) DO NOTHING",
        )
        .bind(&order.payment_no)
        .bind(order.amount.0)
        .bind(&order.description)
        .bind(now.millis());
        db.write_one(open).await?;
        Ok(cashier_url(&order.payment_no))
    }

    /// The sandbox plays both WeChat Pay and Alipay, each flow as the real one goes.
    fn methods(&self) -> Vec<Method> {
        vec![Method::Wechat, Method::Alipay]
    }

    async fn launch(&self, db: &Db, order: &ProviderOrder, request: &LaunchRequest, now: Timestamp) -> Result<Launch> {
        self.start(db, order, now).await?;
        phone::launch(db, order, request, now).await
    }

    fn jsapi_appid(&self) -> Option<String> {
        Some(notify::SANDBOX_APPID.to_string())
    }

    fn oauth_authorize_url(&self, redirect_uri: &str, state: &str) -> Option<String> {
        let base = phone::AUTHORIZE_PATH;
        Some(crate::payment_providers::wechat::authorize_url(base, notify::SANDBOX_APPID, redirect_uri, state))
    }

    async fn oauth_openid(&self, db: &Db, code: &str, now: Timestamp) -> Result<String> {
        phone::openid_for_code(db, code, now).await
    }

    /// Its own books as WeChat's bill, with the differences `sandbox.bill` asks for.
    async fn daily_bill(&self, db: &Db, date: &str) -> Result<Option<DailyBill>> {
        bills::daily(db, date).await.map(Some)
    }

    async fn query(&self, db: &Db, payment_no: &str) -> Result<ProviderStatus> {
        let row: Option<(String, i64, Option<String>, Option<i64>)> = sqlx::query_as(
            "SELECT state, amount_fen, transaction_id, paid_at FROM sandbox_orders WHERE payment_no = $1",
        )
        .bind(payment_no)
        .fetch_optional(db.pool())
        .await?;
        Ok(match row {
            None => ProviderStatus::Unknown,
            Some((state, amount, txn, paid_at)) => match state.as_str() {
                "open" => ProviderStatus::Open,
                "paid" => ProviderStatus::Paid {
                    transaction_id: txn.unwrap_or_default(),
                    amount: Fen(amount),
                    paid_at: Timestamp(paid_at.unwrap_or_default()),
                },
                _ => ProviderStatus::Closed,
            },
        })
    }

    async fn close(&self, db: &Db, payment_no: &str, _now: Timestamp) -> Result<ProviderStatus> {
        let mut tx = db.begin_write().await?;
        sqlx::query("UPDATE sandbox_orders SET state = 'closed' WHERE payment_no = $1 AND state = 'open'")
            .bind(payment_no)
            .execute(&mut **tx)
            .await?;
        tx.commit().await?;
        self.query(db, payment_no).await
    }

    async fn refund(
        &self,
        db: &Db,
        payment_no: &str,
        refund_no: &str,
        amount: Fen,
        now: Timestamp,
    ) -> Result<ProviderRefund> {
        let mut tx = db.begin_write().await?;
        let existing: Option<(String, String)> =
            sqlx::query_as("SELECT refund_id, status FROM sandbox_refunds WHERE refund_no = $1")
                .bind(refund_no)
                .fetch_optional(&mut **tx)
                .await?;
        if let Some((id, status)) = existing {
            return Ok(ProviderRefund { id, progress: refunds::progress(&status) });
        }
        let answer = refunds::answer(&mut tx).await?;
        // Like WeChat: only a paid order, and never more than was paid.
        let taken = sqlx::query(
            "UPDATE sandbox_orders SET refunded_fen = refunded_fen + $1 WHERE payment_no = $2 AND state = 'paid' \
             AND refunded_fen + $1 <= amount_fen",
        )
        .bind(amount.0)
        .bind(payment_no)
        .execute(&mut **tx)
        .await?;
        if taken.rows_affected() != 1 {
            return Err(AppError::NotUsable.into());
        }
        let refund_id = format!("SR{}", random_digits(18));
        sqlx::query(
            "INSERT INTO sandbox_refunds (refund_no, payment_no, amount_fen, refund_id, created_at, status) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(refund_no)
        .bind(payment_no)
        .bind(amount.0)
        .bind(&refund_id)
        .bind(now.millis())
        .bind(answer)
        .execute(&mut **tx)
        .await?;
        tx.commit().await?;
        Ok(ProviderRefund { id: refund_id, progress: refunds::progress(answer) })
    }

    async fn refund_query(&self, db: &Db, _payment_no: &str, refund_no: &str) -> Result<RefundProgress> {
        let row: Option<(String,)> = sqlx::query_as("SELECT status FROM sandbox_refunds WHERE refund_no = $1")
            .bind(refund_no)
            .fetch_optional(db.pool())
            .await?;
        Ok(row.map(|(status,)| refunds::progress(&status)).unwrap_or(RefundProgress::Unknown))
    }
}

fn random_digits(n: usize) -> String {
    let mut rng = rand::rngs::OsRng;
    (0..n).map(|_| char::from(b'0' + rng.gen_range(0..10u8))).collect()
}

/// What the hosted page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SandboxOrder {
    pub payment_no: String,
    pub amount: Fen,
    pub description: String,
    pub state: String,
}

pub async fn order(db: &Db, payment_no: &str) -> Result<Option<SandboxOrder>> {
    let row: Option<(String, i64, String, String)> =
        sqlx::query_as("SELECT payment_no, amount_fen, description, state FROM sandbox_orders WHERE payment_no = $1")
            .bind(payment_no)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(payment_no, amount, description, state)| SandboxOrder {
        payment_no,
        amount: Fen(amount),
        description,
        state,
    }))
}

/// The shopper confirms on the hosted page: the sandbox takes the money and queues its
/// notification(s). Confirming twice changes nothing.
pub async fn confirm(db: &Db, sandbox: &Sandbox, payment_no: &str, now: Timestamp) -> Result<bool> {
    let mut tx = db.begin_write().await?;
    if !take(&mut tx, payment_no, now).await? {
        return Ok(false);
    }
    let copies = match sandbox.delivery {
        Delivery::Normal => 1,
        Delivery::Chaos { copies } => copies.max(1),
    };
    for copy in 0..copies {
        let delay = match sandbox.delivery {
            Delivery::Normal => 0,
            Delivery::Chaos { .. } => rand::rngs::OsRng.gen_range(0..3),
        };
        let payload = serde_json::json!({ "payment_no": payment_no, "notify_url": sandbox.notify_url });
        jobs::enqueue(
            &mut tx,
            NOTIFY_JOB,
            &payload,
            now.plus_secs(delay),
            Some(&format!("sandbox-notify:{payment_no}:{copy}")),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// The sandbox takes the money for an open order; whether this call took it.
async fn take(tx: &mut crate::WriteTx, payment_no: &str, now: Timestamp) -> Result<bool> {
    let paid = sqlx::query(
        "UPDATE sandbox_orders SET state = 'paid', transaction_id = $1, paid_at = $2 WHERE payment_no = $3 AND state = 'open'",
    )
    .bind(format!("42{}", random_digits(26)))
    .bind(now.millis())
    .bind(payment_no)
    .execute(&mut ***tx)
    .await?;
    Ok(paid.rows_affected() == 1)
}

/// The shopper paid on the hosted page and the notification was lost: the money is taken and
/// nobody tells us (the demo's day to reconcile, and tests of what finds such a payment).
pub async fn confirm_unnotified(db: &Db, payment_no: &str, now: Timestamp) -> Result<bool> {
    let mut tx = db.begin_write().await?;
    let taken = take(&mut tx, payment_no, now).await?;
    tx.commit().await?;
    Ok(taken)
}

/// The shopper cancels on the hosted page.
pub async fn cancel(db: &Db, payment_no: &str) -> Result<bool> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query("UPDATE sandbox_orders SET state = 'cancelled' WHERE payment_no = $1 AND state = 'open'")
        .bind(payment_no)
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}
