//! WeChat Pay as the payment engine's provider: the order placed by the shopper's browser (JSAPI
//! inside WeChat, H5 in another phone browser, Native on our code page on a desktop: see
//! [`super::checkout`]), the order query mapped onto [`ProviderStatus`], close-then-query, and
//! refunds of the external share.

use super::checkout::{cashier_url, Flow, Launch, LaunchRequest, Method};
use super::provider::{code_page_url, PaymentProvider, ProviderOrder, ProviderRefund, ProviderStatus, RefundProgress};
use crate::payment_providers::bill::DailyBill;
use crate::payment_providers::wechat::{
    beijing_time, parse_fund_flow_bill, parse_trade_bill, NativeOrder, RefundStatus, TradeState, WechatClient,
};
use crate::payment_providers::ProviderError;
use crate::{Db, Result, Timestamp};
use async_trait::async_trait;
use plaza_types::{AppError, Fen};

pub struct WechatPay {
    pub client: WechatClient,
}

#[async_trait]
impl PaymentProvider for WechatPay {
    fn name(&self) -> &'static str {
        "wechat"
    }

    /// Nothing is placed yet: the cashier places the order once it knows the browser, since one
    /// order number can only ever be one trade type.
    async fn start(&self, _db: &Db, order: &ProviderOrder, _now: Timestamp) -> Result<String> {
        Ok(cashier_url(&order.payment_no))
    }

    fn methods(&self) -> Vec<Method> {
        vec![Method::Wechat]
    }

    async fn launch(&self, _db: &Db, order: &ProviderOrder, request: &LaunchRequest, now: Timestamp) -> Result<Launch> {
        let wx = NativeOrder {
            out_trade_no: order.payment_no.clone(),
            description: truncate(&order.description, 127),
            total: order.amount,
            time_expire: beijing_time(order.expires_at.secs()),
        };
        match request.flow {
            Flow::WechatNative => {
                let code_url = self.client.native_prepay(&wx).await?;
                Ok(Launch::Redirect(code_page_url(&order.payment_no, &code_url)))
            }
            Flow::WechatH5 => {
                let h5_url = self.client.h5_prepay(&wx, &request.client_ip).await?;
                let back: String = url::form_urlencoded::byte_serialize(request.return_url.as_bytes()).collect();
                Ok(Launch::Redirect(format!("{h5_url}&redirect_url={back}")))
            }
            Flow::WechatJsapi => {
                let Some(openid) = request.openid.as_deref() else { return Ok(Launch::NeedOpenid) };
                let prepay_id = self.client.jsapi_prepay(&wx, openid).await?;
                let params = self.client.bridge_params(&prepay_id, now.secs())?;
                // Inside WeChat the bridge takes over; the form's own target is the result page.
                Ok(Launch::Bridge { params, action: format!("/pay/result/{}", order.payment_no) })
            }
            Flow::AlipayWap | Flow::AlipayCode => Err(AppError::NotUsable.into()),
        }
    }

    fn jsapi_appid(&self) -> Option<String> {
        self.client.has_oauth().then(|| self.client.appid().to_string())
    }

    fn oauth_authorize_url(&self, redirect_uri: &str, state: &str) -> Option<String> {
        self.client.oauth_authorize_url(redirect_uri, state)
    }

    async fn oauth_openid(&self, _db: &Db, code: &str, _now: Timestamp) -> Result<String> {
        Ok(self.client.oauth_openid(code).await?)
    }

    async fn query(&self, _db: &Db, payment_no: &str) -> Result<ProviderStatus> {
        let Some(txn) = self.client.query(payment_no).await? else { return Ok(ProviderStatus::Unknown) };
        Ok(match txn.trade_state {
            // REFUND: paid, and refunded since (in part or whole); it was paid all the same.
            TradeState::Success | TradeState::Refund => ProviderStatus::Paid {
                transaction_id: txn.transaction_id.unwrap_or_default(),
                amount: txn.amount.total,
                paid_at: txn
                    .success_time
                    .as_deref()
                    .and_then(|t| t.parse::<jiff::Timestamp>().ok())
                    .map(|t| Timestamp(t.as_millisecond()))
                    .unwrap_or_else(Timestamp::now),
            },
            TradeState::NotPay | TradeState::UserPaying => ProviderStatus::Open,
            TradeState::Closed | TradeState::Revoked | TradeState::PayError => ProviderStatus::Closed,
            TradeState::Unknown => ProviderStatus::Unknown,
        })
    }

    /// Closing is idempotent at WeChat; a refusal (already paid, never placed) is not an answer
    /// in itself, so the query that follows says what became of the order either way.
    async fn close(&self, db: &Db, payment_no: &str, _now: Timestamp) -> Result<ProviderStatus> {
        let refused = match self.client.close(payment_no).await {
            Ok(()) => None,
            Err(error @ ProviderError::Refused { .. }) => Some(error),
            Err(error) => return Err(error.into()),
        };
        let status = self.query(db, payment_no).await?;
        match (status, refused) {
            // Still payable after a refused close: the tenders must not be given back.
            (ProviderStatus::Open, Some(error)) => Err(error.into()),
            (status, _) => Ok(status),
        }
    }

    async fn refund(
        &self,
        db: &Db,
        payment_no: &str,
        refund_no: &str,
        amount: Fen,
        _now: Timestamp,
    ) -> Result<ProviderRefund> {
        // WeChat wants the order's total with every refund: the share it collected.
        let total: Option<(i64,)> = sqlx::query_as("SELECT external_fen FROM payments WHERE payment_no = $1")
            .bind(payment_no)
            .fetch_optional(db.pool())
            .await?;
        let (total,) = total.ok_or(AppError::NotFound)?;
        let answer = self.client.refund(payment_no, refund_no, amount, Fen(total)).await?;
        match progress(answer.status) {
            RefundProgress::Closed | RefundProgress::Unknown => Err(ProviderError::Refused {
                provider: "wechat",
                status: 200,
                code: format!("{:?}", answer.status).to_ascii_uppercase(),
                message: format!("refund {refund_no} not made"),
            }
            .into()),
            progress => Ok(ProviderRefund { id: answer.refund_id, progress }),
        }
    }

    /// The `ALL` trade bill, with the day's fund flows; both files checked by their SHA1.
    async fn daily_bill(&self, _db: &Db, date: &str) -> Result<Option<DailyBill>> {
        let mut bill = match self.client.trade_bill(date).await? {
            Some(text) => parse_trade_bill(&text)?,
            None => DailyBill::default(),
        };
        let (income, expense) = match self.client.fund_flow_bill(date).await? {
            Some(text) => parse_fund_flow_bill(&text)?,
            None => (0, 0),
        };
        (bill.fund_income_fen, bill.fund_expense_fen) = (Some(income), Some(expense));
        Ok(Some(bill))
    }

    async fn refund_query(&self, _db: &Db, _payment_no: &str, refund_no: &str) -> Result<RefundProgress> {
        Ok(match self.client.refund_query(refund_no).await? {
            Some(answer) => progress(answer.status),
            None => RefundProgress::Unknown,
        })
    }
}

/// WeChat's refund status as the engine's.
pub(crate) fn progress(status: RefundStatus) -> RefundProgress {
    match status {
        RefundStatus::Success => RefundProgress::Succeeded,
        RefundStatus::Processing => RefundProgress::Processing,
        RefundStatus::Abnormal => RefundProgress::Abnormal,
        RefundStatus::Closed => RefundProgress::Closed,
        RefundStatus::Unknown => RefundProgress::Unknown,
    }
}

/// At most `max_bytes` of `text`, cut at a character boundary (WeChat counts bytes).
pub(crate) fn truncate(text: &str, max_bytes: usize) -> String {
    let mut end = text.len().min(max_bytes);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_string()
}
