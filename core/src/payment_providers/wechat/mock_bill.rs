//! The WeChat stand-in's daily bills, written as WeChat writes them (see [`super::bill`]): an
//! `ALL` trade bill of the day's paid orders and accepted refunds, a fund-flow bill of the same
//! money, fees at 0.6 %, the summary rows; and, on request, a bill that differs from the truth.

use super::mock_server::{MockState, APPID, MCHID};
pub use crate::payment_providers::bill::BillChanges;
use serde_json::Value;

const TRADE_HEADER: &str = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
const TRADE_SUMMARY: &str =
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";
const FUND_HEADER: &str =
    "记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额(元),账户结余(元),资金变更提交申请人,备注,业务凭证号";
const FUND_SUMMARY: &str = "资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额";

/// Fen as yuan with two decimals.
fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", fen.abs() / 100, fen.abs() % 100)
}

/// A fee of 0.6 % as WeChat prints it: yuan with five decimals (1/100,000 yuan = 6 × fen).
fn fee(fen: i64) -> String {
    let units = fen * 6;
    let sign = if units < 0 { "-" } else { "" };
    format!("{sign}{}.{:05}", units.abs() / 100_000, units.abs() % 100_000)
}

fn row(fields: &[String]) -> String {
    fields.iter().map(|f| format!("`{f}")).collect::<Vec<_>>().join(",")
}

/// `2026-03-10 10:00:00` from WeChat's RFC 3339 `2026-03-10T10:00:00+08:00`.
fn bill_time(rfc3339: &str) -> String {
    rfc3339.get(..19).unwrap_or_default().replace('T', " ")
}

struct Line {
    time: String,
    txn: String,
    out_trade_no: String,
    refund_id: String,
    out_refund_no: String,
    total: i64,
    refund: i64,
    refund_status: &'static str,
}

fn lines_of(state: &MockState, date: &str, changes: &BillChanges) -> Vec<Line> {
    let shown = |no: &str, fen: i64| changes.amounts.get(no).copied().unwrap_or(fen);
    let mut lines = Vec::new();
    for (no, order) in &state.orders {
        let (Some(txn), Some(at)) = (&order.transaction_id, &order.success_time) else { continue };
        if at.starts_with(date) && !changes.left_out.contains(no) {
            lines.push(Line {
                time: bill_time(at),
                txn: txn.clone(),
                out_trade_no: no.clone(),
                refund_id: "0".into(),
                out_refund_no: "0".into(),
                total: shown(no, order.total),
                refund: 0,
                refund_status: "",
            });
        }
    }
    for (refund_no, refund) in &state.refunds {
        let at = refund["create_time"].as_str().unwrap_or_default();
        if !at.starts_with(date) || changes.left_out.contains(refund_no) {
            continue;
        }
        let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
        lines.push(Line {
            time: bill_time(at),
            txn: text(&refund["transaction_id"]),
            out_trade_no: text(&refund["out_trade_no"]),
            refund_id: text(&refund["refund_id"]),
            out_refund_no: refund_no.clone(),
            total: refund["amount"]["total"].as_i64().unwrap_or(0),
            refund: shown(refund_no, refund["amount"]["refund"].as_i64().unwrap_or(0)),
            refund_status: match refund["status"].as_str() {
                Some("SUCCESS") => "SUCCESS",
                Some("ABNORMAL") => "CHANGE",
                Some("CLOSED") => "FAIL",
                _ => "PROCESSING",
            },
        });
    }
    lines.sort_by(|a, b| (&a.time, &a.out_refund_no).cmp(&(&b.time, &b.out_refund_no)));
    lines
}

/// The `ALL` trade bill of `date` (`yyyy-MM-dd`), or `None` when nothing happened that day.
pub fn trade_bill(state: &MockState, date: &str, changes: &BillChanges) -> Option<String> {
    let lines = lines_of(state, date, changes);
    if lines.is_empty() {
        return None;
    }
    let mut out = vec![TRADE_HEADER.to_string()];
    let (mut settle, mut refunds, mut fees, mut totals) = (0, 0, 0, 0);
    for l in &lines {
        let is_refund = l.refund > 0;
        let (state, settled, fee_fen) = match is_refund {
            true => ("REFUND", 0, -l.refund),
            false => ("SUCCESS", l.total, l.total),
        };
        settle += settled;
        refunds += l.refund;
        fees += fee_fen * 6;
        totals += if is_refund { 0 } else { l.total };
        out.push(row(&[
            l.time.clone(),
            APPID.into(),
            MCHID.into(),
            "0".into(),
            String::new(),
            l.txn.clone(),
            l.out_trade_no.clone(),
            "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o".into(),
            "NATIVE".into(),
            state.into(),
            "OTHERS".into(),
            "CNY".into(),
            yuan(settled),
            "0.00".into(),
            l.refund_id.clone(),
            l.out_refund_no.clone(),
            yuan(l.refund),
            "0.00".into(),
            if is_refund { "ORIGINAL".into() } else { String::new() },
            l.refund_status.into(),
            "星汇, 广场".into(),
            String::new(),
            fee(fee_fen),
            "0.60%".into(),
            yuan(if is_refund { 0 } else { l.total }),
            yuan(l.refund),
            String::new(),
        ]));
    }
    out.push(TRADE_SUMMARY.into());
    let fees = format!("{}{}.{:05}", if fees < 0 { "-" } else { "" }, fees.abs() / 100_000, fees.abs() % 100_000);
    out.push(row(&[
        lines.len().to_string(),
        yuan(settle),
        yuan(refunds),
        "0.00".into(),
        fees,
        yuan(totals),
        yuan(refunds),
    ]));
    Some(out.join("\r\n") + "\r\n")
}

/// The fund-flow bill of `date`: each payment as income, each refund as expense.
pub fn fund_flow_bill(state: &MockState, date: &str, changes: &BillChanges) -> Option<String> {
    let lines = lines_of(state, date, changes);
    if lines.is_empty() {
        return None;
    }
    let mut out = vec![FUND_HEADER.to_string()];
    let (mut balance, mut income, mut expense, mut incomes) = (0, 0, 0, 0);
    for (i, l) in lines.iter().enumerate() {
        let (kind, amount) = if l.refund > 0 { ("支出", l.refund) } else { ("收入", l.total) };
        match kind {
            "收入" => {
                income += amount;
                incomes += 1;
                balance += amount;
            }
            _ => {
                expense += amount;
                balance -= amount;
            }
        }
        out.push(row(&[
            l.time.clone(),
            l.txn.clone(),
            format!("{:030}", i + 1),
            if l.refund > 0 { "退款".into() } else { "交易".into() },
            if l.refund > 0 { "退款".into() } else { "交易".into() },
            kind.into(),
            yuan(amount),
            yuan(balance),
            "system".into(),
            String::new(),
            l.out_trade_no.clone(),
        ]));
    }
    out.push(FUND_SUMMARY.into());
    out.push(row(&[
        lines.len().to_string(),
        incomes.to_string(),
        yuan(income),
        (lines.len() - incomes).to_string(),
        yuan(expense),
    ]));
    Some(out.join("\r\n") + "\r\n")
}
