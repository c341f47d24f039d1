//! The one completion command. The browser's return, every provider notification (first,
//! repeated, late, out of order) and the reconciliation job call it with what the provider
//! confirmed; it checks the provider and the amount, moves the payment to `paid` at most once,
//! and in that same transaction redeems the coupon and has the purpose fulfil the purchase (its
//! sale, points, period, credit or order: see [`super::purpose`]). A payment is never moved
//! backwards.

use super::purpose::purposes;
use super::{announce, event, find, lock_member, Payment, PaymentState};
use crate::audit::{self, Actor, Entry};
use crate::{coupons, jobs, Db, Result, Timestamp};
use plaza_types::{Fen, MemberId};

/// What a provider confirmed (or, for a payment covered by internal tenders, nothing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirmation {
    /// `None`: no provider was involved.
    pub provider: Option<String>,
    pub transaction_id: String,
    /// What the provider collected, in fen.
    pub amount: Fen,
    pub paid_at: Timestamp,
}

impl Confirmation {
    pub fn internal(now: Timestamp) -> Confirmation {
        Confirmation { provider: None, transaction_id: String::new(), amount: Fen::ZERO, paid_at: now }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Completion {
    /// This call completed the payment.
    Completed { payment: Box<Payment>, points: i64 },
    /// Already complete (a repeated notification, the browser after the notification): nothing changed.
    AlreadyComplete,
    /// The money arrived for a payment already closed (timed out): it is being refunded.
    PaidAfterClose,
    /// Not accepted: unknown payment, another provider, or a different amount. Nothing changed.
    Rejected(String),
}

pub async fn complete(db: &Db, payment_no: &str, confirmation: &Confirmation, now: Timestamp) -> Result<Completion> {
    let purposes = purposes()?;
    // Read before the transaction, on a reader: what it uses of the row was fixed when the payment
    // was created, and its state is settled by the conditional update below. On SQLite every
    // statement inside a write transaction holds the one writer (decision 0026).
    let Some(p) = find(db.pool(), payment_no).await? else {
        return Ok(Completion::Rejected(format!("unknown payment {payment_no}")));
    };
    let mut tx = db.begin_write().await?;
    if p.provider != confirmation.provider || confirmation.amount.0 != p.external_fen {
        let why = format!(
            "provider {:?}/{:?} amount {}/{}",
            confirmation.provider, p.provider, confirmation.amount.0, p.external_fen
        );
        event(&mut tx, p.id, "confirmation_rejected", &why, now).await?;
        let entry = Entry::new(&Actor::System, "payment.reject")
            .member(MemberId(p.member_id))
            .subject(format!("payment:{payment_no}"))
            .details(why.clone());
        audit::append(&mut tx, entry, now).await?;
        tx.commit().await?;
        return Ok(Completion::Rejected(why));
    }
    let moved = sqlx::query(
        "UPDATE payments SET state = 'paid', paid_at = $1, provider_txn = $2 WHERE id = $3 AND state IN ('created', 'paying')",
    )
    .bind(confirmation.paid_at.millis())
    .bind((!confirmation.transaction_id.is_empty()).then_some(&confirmation.transaction_id))
    .bind(p.id)
    .execute(&mut **tx)
    .await?;
    if moved.rows_affected() != 1 {
        // Read again, inside the transaction: `p` was read before it and may predate a close that
        // committed since, and money for a closed payment must be sent back, not acknowledged.
        let current = find(&mut **tx, payment_no).await?.map(|p| p.state);
        if current == Some(PaymentState::Closed) {
            let fresh = jobs::enqueue(
                &mut tx,
                "payments.refund_late",
                &serde_json::json!({ "payment_no": payment_no, "transaction_id": confirmation.transaction_id, "amount_fen": confirmation.amount.0 }),
                now,
                Some(&format!("refund_late:{payment_no}")),
                now,
            )
            .await?;
            if fresh.is_some() {
                event(&mut tx, p.id, "paid_after_close", &confirmation.transaction_id, now).await?;
                let entry = Entry::new(&Actor::System, "payment.paid_after_close")
                    .member(MemberId(p.member_id))
                    .subject(format!("payment:{payment_no}"))
                    .amount(confirmation.amount.0);
                audit::append(&mut tx, entry, now).await?;
            }
            tx.commit().await?;
            return Ok(Completion::PaidAfterClose);
        }
        return Ok(Completion::AlreadyComplete);
    }

    lock_member(&mut tx, MemberId(p.member_id), now).await?;
    if let Some(coupon) = p.coupon_id {
        coupons::redeem(&mut tx, coupon, payment_no, now).await?;
    }
    let paid = Payment {
        state: PaymentState::Paid,
        paid_at: Some(confirmation.paid_at.millis()),
        provider_txn: (!confirmation.transaction_id.is_empty()).then(|| confirmation.transaction_id.clone()),
        ..p
    };
    let fulfilled = purposes.fulfil(&mut tx, &paid, now).await?;
    event(&mut tx, paid.id, "paid", &confirmation.transaction_id, now).await?;
    let entry = Entry::new(&Actor::System, "payment.paid")
        .member(paid.member())
        .tenant(paid.tenant())
        .subject(format!("payment:{payment_no}"))
        .amount(paid.amount_fen)
        .details(format!("external={} txn={}", confirmation.amount.0, confirmation.transaction_id));
    audit::append(&mut tx, entry, now).await?;
    announce(&mut tx, &paid, PaymentState::Paid, Fen::ZERO, now).await?;
    tx.commit().await?;
    // What the row now holds: the update above changed only these three columns.
    Ok(Completion::Completed { payment: Box::new(paid), points: fulfilled.points })
}
