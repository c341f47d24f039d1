//! The external providers behind one trait: WeChat Pay, Alipay, and the built-in sandbox that
//! behaves like them (a hosted pay page, signed and encrypted notifications with retries).

use super::checkout::{Launch, LaunchRequest, Method};
use crate::payment_providers::bill::DailyBill;
use crate::{Db, Result, Timestamp};
use async_trait::async_trait;
use plaza_types::{AppError, Fen};
use std::sync::Arc;

/// What the provider is asked to collect.
#[derive(Clone, Debug)]
pub struct ProviderOrder {
    pub payment_no: String,
    pub amount: Fen,
    pub description: String,
    /// After this the provider must refuse to take the money (our timeout job closes then).
    pub expires_at: Timestamp,
}

/// Where a shopper is sent to pay a provider's code (WeChat's `code_url`, Alipay's `qr_code`):
/// our own page, which shows it as a QR code (and, for Alipay's `https://qr.alipay.com/…`, a link
/// that opens the app). The code rides along in the stored `pay_url`; the page reads it from there,
/// never from the address bar, so a crafted link cannot show someone else's code.
pub fn code_page_url(payment_no: &str, code: &str) -> String {
    let code: String = url::form_urlencoded::byte_serialize(code.as_bytes()).collect();
    format!("/pay/code/{payment_no}?code={code}")
}

/// The code inside a `pay_url` made by [`code_page_url`].
pub fn code_in_page_url(pay_url: &str) -> Option<String> {
    let (_, query) = pay_url.strip_prefix("/pay/code/")?.split_once('?')?;
    url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "code").map(|(_, v)| v.into_owned())
}

/// The provider's code of a payment, from its stored `pay_url`.
pub async fn stored_code(db: &Db, payment_no: &str) -> Result<Option<String>> {
    let row: Option<(Option<String>,)> = sqlx::query_as("SELECT pay_url FROM payments WHERE payment_no = $1")
        .bind(payment_no)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.and_then(|(url,)| url).as_deref().and_then(code_in_page_url))
}

/// What the provider says became of an order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProviderStatus {
    /// Waiting for the shopper.
    Open,
    Paid {
        transaction_id: String,
        amount: Fen,
        paid_at: Timestamp,
    },
    /// Cancelled by the shopper or closed by us; it can no longer be paid.
    Closed,
    Unknown,
}

/// How far the provider has got with a refund of its share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefundProgress {
    /// The money is back with the payer.
    Succeeded,
    /// Accepted, not finished (WeChat's `PROCESSING`): ask again later.
    Processing,
    /// Accepted, but the money could not go back (a cancelled card): a person must act.
    Abnormal,
    /// Not made; nothing moved.
    Closed,
    /// The provider does not know the refund (yet).
    Unknown,
}

impl RefundProgress {
    pub fn as_str(self) -> &'static str {
        match self {
            RefundProgress::Succeeded => "SUCCESS",
            RefundProgress::Processing => "PROCESSING",
            RefundProgress::Abnormal => "ABNORMAL",
            RefundProgress::Closed => "CLOSED",
            RefundProgress::Unknown => "UNKNOWN",
        }
    }
}

/// A refund the provider accepted: its id and how far it has got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderRefund {
    pub id: String,
    pub progress: RefundProgress,
}

#[async_trait]
pub trait PaymentProvider: Send + Sync + 'static {
    fn name(&self) -> &'static str;

    /// Starts collecting; returns where to send the shopper (a pay page or a QR-code URL).
    async fn start(&self, db: &Db, order: &ProviderOrder, now: Timestamp) -> Result<String>;

    /// Asks what became of an order (the browser's return, the timeout job).
    async fn query(&self, db: &Db, payment_no: &str) -> Result<ProviderStatus>;

    /// Closes an unpaid order so it can no longer be paid (before we give the tenders back).
    async fn close(&self, db: &Db, payment_no: &str, now: Timestamp) -> Result<ProviderStatus>;

    /// Refunds part of a paid order; the same `refund_no` is one refund however often asked.
    /// A refund the provider did not make is an error.
    async fn refund(
        &self,
        db: &Db,
        payment_no: &str,
        refund_no: &str,
        amount: Fen,
        now: Timestamp,
    ) -> Result<ProviderRefund>;

    /// How far a refund answered `Processing` has got (the refunds job asks).
    async fn refund_query(&self, db: &Db, payment_no: &str, refund_no: &str) -> Result<RefundProgress> {
        let _ = (db, payment_no, refund_no);
        Ok(RefundProgress::Unknown)
    }

    /// The provider's bill of `date` (`yyyy-MM-dd`, the provider's day in Beijing time) for
    /// reconciliation: an empty bill when nothing happened that day; `None` when this provider
    /// keeps no bills. The sandbox reads its bill from its own books (`db`).
    async fn daily_bill(&self, db: &Db, date: &str) -> Result<Option<DailyBill>> {
        let _ = (db, date);
        Ok(None)
    }

    /// The ways to pay the shopper may choose between (see [`super::checkout`]).
    fn methods(&self) -> Vec<Method> {
        Vec::new()
    }

    /// Places the order by the flow the shopper's browser needs. Without phone flows: `start`'s page.
    async fn launch(&self, db: &Db, order: &ProviderOrder, request: &LaunchRequest, now: Timestamp) -> Result<Launch> {
        let _ = request;
        Ok(Launch::Redirect(self.start(db, order, now).await?))
    }

    /// The app id a JSAPI payer's openid belongs to, when JSAPI can be offered.
    fn jsapi_appid(&self) -> Option<String> {
        None
    }

    /// Where the shopper's WeChat goes for a silent OAuth that comes back to `redirect_uri`.
    fn oauth_authorize_url(&self, redirect_uri: &str, state: &str) -> Option<String> {
        let _ = (redirect_uri, state);
        None
    }

    /// The shopper's openid for the OAuth `code` WeChat gave their browser.
    async fn oauth_openid(&self, db: &Db, code: &str, now: Timestamp) -> Result<String> {
        let _ = (db, code, now);
        Err(AppError::Unavailable.into())
    }
}

pub type SharedProvider = Arc<dyn PaymentProvider>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_survives_the_page_url() {
        let code = "weixin://wxpay/bizpayurl?pr=Ab+c/d&e=f";
        let url = code_page_url("P20261122000000AAAAAAAA", code);
        assert!(url.starts_with("/pay/code/P20261122000000AAAAAAAA?code=weixin%3A%2F%2F"), "{url}");
        assert_eq!(code_in_page_url(&url).as_deref(), Some(code));
        assert_eq!(code_in_page_url("/sandbox/pay/P1"), None);
    }
}
