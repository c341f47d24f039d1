//! Alipay as the payment engine's provider: the signed WAP form in a phone browser, a precreated
//! code on our code page on a desktop or inside WeChat (see [`super::checkout`]), the trade query
//! mapped onto [`ProviderStatus`], close-then-query, and refunds of the external share.

use super::checkout::{cashier_url, Flow, Launch, LaunchRequest, Method};
use super::provider::{code_page_url, PaymentProvider, ProviderOrder, ProviderRefund, ProviderStatus, RefundProgress};
use super::wechat_pay::truncate;
use crate::payment_providers::alipay::{parse_beijing_datetime, parse_trade_bill, AlipayClient, TradeStatus, WapOrder};
use crate::payment_providers::bill::DailyBill;
use crate::payment_providers::ProviderError;
use crate::{Db, Result, Timestamp};
use async_trait::async_trait;
use plaza_types::{AppError, Fen};

pub struct AlipayPay {
    pub client: AlipayClient,
}

#[async_trait]
impl PaymentProvider for AlipayPay {
    fn name(&self) -> &'static str {
        "alipay"
    }

    /// Nothing is placed yet: the cashier chooses WAP or a code once it knows the browser.
    async fn start(&self, _db: &Db, order: &ProviderOrder, _now: Timestamp) -> Result<String> {
        Ok(cashier_url(&order.payment_no))
    }

    fn methods(&self) -> Vec<Method> {
        vec![Method::Alipay]
    }

    async fn launch(&self, _db: &Db, order: &ProviderOrder, request: &LaunchRequest, now: Timestamp) -> Result<Launch> {
        let subject = truncate(&order.description, 256);
        match request.flow {
            Flow::AlipayCode => {
                let minutes = (order.expires_at.secs() - now.secs()) / 60;
                let qr_code = self.client.precreate(&order.payment_no, &subject, order.amount, minutes).await?;
                Ok(Launch::Redirect(code_page_url(&order.payment_no, &qr_code)))
            }
            Flow::AlipayWap => {
                let wap = WapOrder {
                    out_trade_no: order.payment_no.clone(),
                    subject,
                    total: order.amount,
                    expires_at_secs: order.expires_at.secs(),
                    return_url: request.return_url.clone(),
                    quit_url: request.return_url.clone(),
                };
                Ok(Launch::Form(self.client.wap_pay_form(&wap, now.secs())?))
            }
            Flow::WechatJsapi | Flow::WechatH5 | Flow::WechatNative => Err(AppError::NotUsable.into()),
        }
    }

    async fn query(&self, _db: &Db, payment_no: &str) -> Result<ProviderStatus> {
        // No trade yet: the code has not been scanned.
        let Some(trade) = self.client.query(payment_no).await? else { return Ok(ProviderStatus::Unknown) };
        Ok(match trade.trade_status {
            TradeStatus::TradeSuccess | TradeStatus::TradeFinished => ProviderStatus::Paid {
                paid_at: trade
                    .send_pay_date
                    .as_deref()
                    .and_then(parse_beijing_datetime)
                    .map(Timestamp)
                    .unwrap_or_else(Timestamp::now),
                transaction_id: trade.trade_no,
                amount: trade.total,
            },
            TradeStatus::WaitBuyerPay => ProviderStatus::Open,
            // Closed unpaid — or fully refunded, which the engine has recorded itself.
            TradeStatus::TradeClosed => ProviderStatus::Closed,
            TradeStatus::Other(_) => ProviderStatus::Unknown,
        })
    }

    /// A refusal (not scanned yet, already closed, paid) is followed by the query that says what
    /// became of the trade. An unscanned code stays scannable until its `timeout_express`; a
    /// payment that arrives after we closed ours is refunded by the completion command.
    async fn close(&self, db: &Db, payment_no: &str, _now: Timestamp) -> Result<ProviderStatus> {
        let refused = match self.client.close(payment_no).await {
            Ok(()) => None,
            Err(error @ ProviderError::Refused { .. }) => Some(error),
            Err(error) => return Err(error.into()),
        };
        match (self.query(db, payment_no).await?, refused) {
            (ProviderStatus::Open, Some(error)) => Err(error.into()),
            (status, _) => Ok(status),
        }
    }

    async fn refund(
        &self,
        _db: &Db,
        payment_no: &str,
        refund_no: &str,
        amount: Fen,
        _now: Timestamp,
    ) -> Result<ProviderRefund> {
        let done = match self.client.refund(payment_no, refund_no, amount).await {
            Ok(done) => done,
            // No answer, or "try again": the refund may have been made. It waits, and the refunds
            // job asks Alipay (and asks again for it under the same number if it was not made).
            Err(ProviderError::Timeout { .. } | ProviderError::Unavailable { .. } | ProviderError::Network { .. }) => {
                return Ok(ProviderRefund { id: String::new(), progress: RefundProgress::Processing });
            }
            Err(error) => return Err(error.into()),
        };
        if done.refund_fee < amount {
            return Err(ProviderError::Malformed {
                provider: "alipay",
                reason: format!("refund {refund_no}: only {} refunded in all", done.refund_fee),
            }
            .into());
        }
        // Alipay names a refund by our request number on its trade; a code-10000 answer whose
        // total covers this refund means the money has gone back.
        Ok(ProviderRefund { id: format!("{}:{refund_no}", done.trade_no), progress: RefundProgress::Succeeded })
    }

    /// `alipay.trade.fastpay.refund.query`: a refund Alipay made is done; one it never made is
    /// asked for again under the same number (Alipay's own advice; the same number is never a
    /// second refund), and an answer that is still lost keeps it waiting.
    async fn refund_query(&self, db: &Db, payment_no: &str, refund_no: &str) -> Result<RefundProgress> {
        if self.client.refund_query(payment_no, refund_no).await?.is_some() {
            return Ok(RefundProgress::Succeeded);
        }
        let asked: Option<(i64,)> = sqlx::query_as("SELECT external_fen FROM refunds WHERE refund_no = $1")
            .bind(refund_no)
            .fetch_optional(db.pool())
            .await?;
        let Some((amount,)) = asked.filter(|(a,)| *a > 0) else { return Ok(RefundProgress::Unknown) };
        match self.client.refund(payment_no, refund_no, Fen(amount)).await {
            Ok(done) if done.refund_fee >= Fen(amount) => Ok(RefundProgress::Succeeded),
            Ok(_) => Ok(RefundProgress::Unknown),
            Err(ProviderError::Refused { .. }) => Ok(RefundProgress::Closed),
            Err(ProviderError::Timeout { .. } | ProviderError::Unavailable { .. } | ProviderError::Network { .. }) => {
                Ok(RefundProgress::Processing)
            }
            Err(error) => Err(error.into()),
        }
    }

    /// The trade bill's business details (交易 and 退款 rows) from the day's archive.
    async fn daily_bill(&self, _db: &Db, date: &str) -> Result<Option<DailyBill>> {
        Ok(Some(match self.client.trade_bill(date).await? {
            Some(text) => parse_trade_bill(&text)?,
            None => DailyBill::default(),
        }))
    }
}
