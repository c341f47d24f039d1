//! The Alipay stand-in's daily trade bill, made as Alipay makes it (see [`super::bill`]): a zip of
//! two GBK CSV files, the business details with their `#` comment lines and totals, and the
//! summary; fees at 0.6 %; and, on request, a bill that differs from what happened.

use super::client::fen_to_yuan;
use super::mock_server::MockState;
use crate::payment_providers::bill::BillChanges;
use plaza_types::Fen;
use std::io::Write;

const ACCOUNT: &str = "20880211096256330156";
const HEADER: &str = "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注";

/// 0.6 % of `fen`, rounded half up, as Alipay prints a fee it takes (negative) or gives back.
fn fee(fen: i64, taken: bool) -> String {
    let fee = (fen * 6 + 500) / 1000;
    fen_to_yuan(Fen(if taken { -fee } else { fee }))
}

/// The bill archive of `date` (`yyyy-MM-dd`), or `None` when nothing happened that day.
pub fn trade_bill_zip(state: &MockState, date: &str, changes: &BillChanges) -> Option<Vec<u8>> {
    let shown = |no: &str, fen: i64| changes.amounts.get(no).copied().unwrap_or(fen);
    let mut rows = Vec::new();
    let (mut trades, mut trade_fen) = (0, 0);
    for (no, t) in &state.trades {
        let Some(at) = t.paid_at.as_deref().filter(|at| at.starts_with(date)) else { continue };
        if changes.left_out.contains(no) {
            continue;
        }
        let total = shown(no, t.total);
        trades += 1;
        trade_fen += total;
        let amount = fen_to_yuan(Fen(total));
        rows.push((at.to_string(), format!(
            "{}\t,{no}\t,交易\t,星汇广场,{at},{at},\t,\t,\t,\t,*明(159****5620)\t,{amount},{amount},0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,\t,{},0.00,",
            t.trade_no,
            fee(total, true)
        )));
    }
    let (mut refunds, mut refund_fen) = (0, 0);
    for (request_no, (no, amount)) in &state.refunds {
        let at = state.refund_times.get(request_no).cloned().unwrap_or_default();
        if !at.starts_with(date) || changes.left_out.contains(request_no) {
            continue;
        }
        let Some(t) = state.trades.get(no) else { continue };
        let amount = shown(request_no, *amount);
        refunds += 1;
        refund_fen += amount;
        let back = fen_to_yuan(Fen(-amount));
        rows.push((at.clone(), format!(
            "{}\t,{no}\t,退款\t,星汇广场,{},{at},\t,\t,\t,\t,*明(159****5620)\t,{back},{back},0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,{request_no}\t,{},0.00,",
            t.trade_no,
            t.paid_at.clone().unwrap_or_default(),
            fee(amount, false)
        )));
    }
    if rows.is_empty() {
        return None;
    }
    rows.sort();
    let compact = date.replace('-', "");
    let mut details = vec![
        "#支付宝业务明细查询".to_string(),
        format!("#账号：[{ACCOUNT}]"),
        format!("#起始日期：[{date} 00:00:00]   终止日期：[{date} 23:59:59]"),
        "#-----------------------------------------业务明细列表----------------------------------------".into(),
        HEADER.into(),
    ];
    details.extend(rows.into_iter().map(|(_, row)| row));
    details.extend([
        "#-----------------------------------------业务明细列表结束------------------------------------".into(),
        format!("#交易合计：{trades}笔，商家实收共{}元，商家优惠共0.00元", fen_to_yuan(Fen(trade_fen))),
        format!("#退款合计：{refunds}笔，商家实收退款共{}元，商家优惠退款共0.00元", fen_to_yuan(Fen(-refund_fen))),
        format!("#导出时间：[{date} 09:30:00]"),
    ]);
    let summary = [
        "#支付宝业务汇总查询".to_string(),
        format!("#账号：[{ACCOUNT}]"),
        "门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）,商家实收（元）".into(),
        format!(
            ",合计,{trades},{refunds},{},{}",
            fen_to_yuan(Fen(trade_fen)),
            fen_to_yuan(Fen(trade_fen - refund_fen))
        ),
        "#-----------------------------------------业务汇总列表结束------------------------------------".into(),
    ];
    let gbk = |lines: &[String]| encoding_rs::GBK.encode(&(lines.join("\r\n") + "\r\n")).0.into_owned();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file(format!("{ACCOUNT}_{compact}_业务明细(汇总).csv"), options).ok()?;
    zip.write_all(&gbk(&summary)).ok()?;
    zip.start_file(format!("{ACCOUNT}_{compact}_业务明细.csv"), options).ok()?;
    zip.write_all(&gbk(&details)).ok()?;
    let mut bytes = zip.finish().ok()?.into_inner();
    if changes.corrupt {
        bytes.truncate(bytes.len() / 2);
    }
    Some(bytes)
}
