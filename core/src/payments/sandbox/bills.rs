//! The sandbox's daily bill, from its own books, so reconciliation runs on one machine: every
//! order it collected on the Beijing day and every refund asked that day, as WeChat's trade bill
//! lists them (a 0.6 % fee, given back in proportion by a refund; a refund's state as WeChat
//! writes it). With the setting `sandbox.bill` the bill leaves numbers out or shows other
//! amounts — the stand-ins' `BillChanges` — so each kind of difference can be shown and walked
//! (the demo mall seeds a day of them: `demo::reconcile`).

use crate::payment_providers::bill::{BillLine, BillLineKind, DailyBill};
use crate::settings::{self, Setting};
use crate::{Db, MallTz, Result};
use plaza_types::error::Field;
use plaza_types::{AppError, Fen};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SandboxBill {
    /// Order or refund numbers the bill leaves out.
    #[serde(default)]
    pub left_out: Vec<String>,
    /// Order or refund number → the amount (fen) the bill shows instead.
    #[serde(default)]
    pub amounts: BTreeMap<String, i64>,
}

impl Setting for SandboxBill {
    const KEY: &'static str = "sandbox.bill";
}

/// WeChat's fee on an amount: 0.6 %, to the nearest fen.
fn fee(fen: i64) -> i64 {
    (fen * 6 + 500) / 1000
}

/// How WeChat's bill writes a refund's state.
fn bill_status(status: &str) -> String {
    match status {
        "ABNORMAL" => "CHANGE".into(),
        "CLOSED" => "FAIL".into(),
        other => other.into(),
    }
}

type OrderRow = (String, i64, Option<String>);
type RefundRow = (String, String, i64, String, String);

/// The bill of `date` (`yyyy-MM-dd`, Beijing time).
pub async fn daily(db: &Db, date: &str) -> Result<DailyBill> {
    let day = jiff::civil::Date::strptime("%Y-%m-%d", date).map_err(|_| AppError::invalid(Field::Date))?;
    let next = day.tomorrow().map_err(|_| AppError::invalid(Field::Date))?;
    let beijing = MallTz::parse("Asia/Shanghai").unwrap_or_else(MallTz::utc);
    let (start, end) = (beijing.start_of_date(day)?.millis(), beijing.start_of_date(next)?.millis());
    let changes: SandboxBill = settings::get(db.pool()).await?;
    let orders: Vec<OrderRow> = sqlx::query_as(
        "SELECT payment_no, amount_fen, transaction_id FROM sandbox_orders \
         WHERE state = 'paid' AND paid_at >= $1 AND paid_at < $2 ORDER BY paid_at, payment_no",
    )
    .bind(start)
    .bind(end)
    .fetch_all(db.pool())
    .await?;
    let refunds: Vec<RefundRow> = sqlx::query_as(
        "SELECT refund_no, payment_no, amount_fen, refund_id, status FROM sandbox_refunds \
         WHERE created_at >= $1 AND created_at < $2 ORDER BY created_at, refund_no",
    )
    .bind(start)
    .bind(end)
    .fetch_all(db.pool())
    .await?;
    let shown = |no: &str, fen: i64| changes.amounts.get(no).copied().unwrap_or(fen);
    let payments = orders.into_iter().map(|(no, fen, txn)| {
        let amount = shown(&no, fen);
        BillLine {
            kind: BillLineKind::Payment,
            out_trade_no: no,
            out_refund_no: String::new(),
            provider_txn: txn.unwrap_or_default(),
            amount: Fen(amount),
            fee_fen: fee(amount),
            status: "SUCCESS".into(),
        }
    });
    let refunds = refunds.into_iter().map(|(refund_no, no, fen, id, status)| {
        let amount = shown(&refund_no, fen);
        BillLine {
            kind: BillLineKind::Refund,
            out_trade_no: no,
            out_refund_no: refund_no,
            provider_txn: id,
            amount: Fen(amount),
            fee_fen: -fee(amount),
            status: bill_status(&status),
        }
    });
    let left_out = |line: &BillLine| {
        let number = if line.kind == BillLineKind::Refund { &line.out_refund_no } else { &line.out_trade_no };
        changes.left_out.contains(number)
    };
    let lines = payments.chain(refunds).filter(|line| !left_out(line)).collect();
    Ok(DailyBill { lines, fund_income_fen: None, fund_expense_fen: None })
}
