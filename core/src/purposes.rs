//! The one dispatcher from a payment's [`Purpose`] to the module that owns it, installed into the
//! payment engine at start (see `payments::purpose` for why it is installed rather than called).
//! Every match here is exhaustive: a new purpose does not compile until each moment is handled.

use crate::payments::{plate_pay, Fulfilled, Payment, Purposes, RefundLine, Reversed};
use crate::topup;
use crate::{dining, mall_orders, membership_purchase, Result, Timestamp, WriteTx};
use async_trait::async_trait;
use plaza_types::{AppError, Fen, Purpose};

struct AllPurposes;

static ALL: AllPurposes = AllPurposes;

/// Installs the dispatcher into the payment engine (idempotent): the server at start, the test
/// database for tests.
pub fn install() {
    crate::payments::purpose::install(&ALL);
}

#[async_trait]
impl Purposes for AllPurposes {
    async fn fulfil(&self, tx: &mut WriteTx, payment: &Payment, now: Timestamp) -> Result<Fulfilled> {
        match payment.purpose {
            Purpose::Plate => plate_pay::fulfil(tx, payment, now).await,
            Purpose::Membership => membership_purchase::fulfil(tx, payment, now).await,
            Purpose::Topup => topup::fulfil(tx, payment, now).await,
            Purpose::Dining => dining::fulfil::fulfil(tx, payment, now).await,
            Purpose::Mall => mall_orders::fulfil::fulfil(tx, payment, now).await,
        }
    }

    async fn may_refund(&self, tx: &mut WriteTx, payment: &Payment, amount: Fen, _now: Timestamp) -> Result<()> {
        match payment.purpose {
            Purpose::Plate => Ok(()),
            // Only a cancellation of the order refunds it, in full (dining::cancel).
            Purpose::Dining => dining::fulfil::may_refund(tx, payment, amount).await,
            // Only a cancellation or the shop's refund of lines, announced first (mall_orders).
            Purpose::Mall => mall_orders::fulfil::may_refund(tx, payment, amount).await,
            // A period granted and its gift pack, or stored value that may be spent already:
            // not taken back by a refund (see docs/decisions/0011-payment-purposes.md).
            Purpose::Membership | Purpose::Topup => Err(AppError::NotUsable.into()),
        }
    }

    async fn reverse(
        &self,
        tx: &mut WriteTx,
        payment: &Payment,
        refund: &RefundLine,
        now: Timestamp,
    ) -> Result<Reversed> {
        match payment.purpose {
            Purpose::Plate => plate_pay::reverse(tx, payment, refund, now).await,
            Purpose::Dining => dining::fulfil::reverse(tx, payment, refund, now).await,
            Purpose::Mall => mall_orders::fulfil::reverse(tx, payment, refund, now).await,
            // Refused by `may_refund` before any money moved.
            Purpose::Membership | Purpose::Topup => {
                Err(crate::Error::internal(format!("{} payments are not refunded", payment.purpose.as_str())))
            }
        }
    }

    async fn closed(&self, tx: &mut WriteTx, payment: &Payment, now: Timestamp) -> Result<()> {
        match payment.purpose {
            // Nothing was held for them beyond the tenders, which the engine gives back.
            Purpose::Plate | Purpose::Membership | Purpose::Topup => Ok(()),
            // The unpaid order is released (it never blocks its table) and its dishes go back
            // into the cart.
            Purpose::Dining => dining::fulfil::closed(tx, payment, now).await,
            // The unpaid orders expire; their units go back to stock, their lines to the cart.
            Purpose::Mall => mall_orders::fulfil::closed(tx, payment, now).await,
        }
    }
}
