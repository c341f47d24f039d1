//! Alipay's daily trade bill and its refund query. `alipay.data.dataservice.bill.downloadurl.query`
//! (bill_type `trade`) answers, signed, a `bill_download_url` good for a short while; the file there
//! is a zip of GBK CSV files: the business details (业务明细) and their summary (汇总). The details
//! file opens with `#` comment lines, then the header, the rows (fields padded with a tab so
//! spreadsheets keep long numbers), `#` lines with the day's totals. A `交易` row is a payment, a
//! `退款` row a refund named by our `out_request_no`.

use super::client::{malformed, text, yuan_field, AlipayClient};
use crate::payment_providers::bill::{amount_fen, bad, units_to_fen, yuan_units, BillLine, BillLineKind, DailyBill};
use crate::payment_providers::error::ProviderError;
use plaza_types::Fen;
use serde_json::json;
use std::io::Read;

const PROVIDER: &str = "alipay";
/// Larger than any day of a mall's trades, small enough that a hostile archive cannot fill memory.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// What `alipay.trade.fastpay.refund.query` says of one refund.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlipayRefundState {
    pub refund_amount: Fen,
    /// `REFUND_SUCCESS`; empty in older answers, which Alipay documents as success too.
    pub refund_status: String,
}

impl AlipayClient {
    /// The day's trade bill as one CSV text, or `None` when Alipay has no bill for the day
    /// (nothing happened). `date` is `yyyy-MM-dd`.
    pub async fn trade_bill(&self, date: &str) -> Result<Option<String>, ProviderError> {
        let biz = json!({ "bill_type": "trade", "bill_date": date });
        let answer = match self.call("alipay.data.dataservice.bill.downloadurl.query", biz, false).await {
            Ok(answer) => answer,
            Err(e) if e.refusal_code() == Some("isp.bill_not_exist") => return Ok(None),
            Err(e) => return Err(e),
        };
        let url = text(&answer, "bill_download_url")?;
        let url = reqwest::Url::parse(&url).map_err(|e| malformed(format!("bill_download_url: {e}")))?;
        let response =
            self.http.get(url).send().await.map_err(|e| ProviderError::from_reqwest(PROVIDER, self.timeout, e))?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(ProviderError::Unavailable { provider: PROVIDER, status, code: "bill download".into() });
        }
        let zip = response.bytes().await.map_err(|e| ProviderError::from_reqwest(PROVIDER, self.timeout, e))?;
        details_csv(&zip).map(Some)
    }

    /// `alipay.trade.fastpay.refund.query` of refund `out_request_no` on trade `out_trade_no`;
    /// `None` when Alipay knows no such refund (it did not happen).
    pub async fn refund_query(
        &self,
        out_trade_no: &str,
        out_request_no: &str,
    ) -> Result<Option<AlipayRefundState>, ProviderError> {
        let biz = json!({ "out_trade_no": out_trade_no, "out_request_no": out_request_no });
        let answer = match self.call("alipay.trade.fastpay.refund.query", biz, false).await {
            Ok(answer) => answer,
            Err(e) if e.refusal_code() == Some("ACQ.TRADE_NOT_EXIST") => return Ok(None),
            Err(e) => return Err(e),
        };
        // A success with no refund in it: Alipay has no such refund.
        if answer["out_request_no"].as_str().is_none_or(str::is_empty) {
            return Ok(None);
        }
        if text(&answer, "out_request_no")? != out_request_no || text(&answer, "out_trade_no")? != out_trade_no {
            return Err(malformed("the answer is about another refund".into()));
        }
        Ok(Some(AlipayRefundState {
            refund_amount: yuan_field(&answer, "refund_amount")?,
            refund_status: answer["refund_status"].as_str().unwrap_or_default().to_string(),
        }))
    }
}

/// The business-details CSV inside the bill archive, decoded from GBK.
pub fn details_csv(zip: &[u8]) -> Result<String, ProviderError> {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(zip)).map_err(|e| bad(PROVIDER, format!("not a zip: {e}")))?;
    for i in 0..archive.len() {
        let file = archive.by_index(i).map_err(|e| bad(PROVIDER, format!("zip entry: {e}")))?;
        let mut bytes = Vec::new();
        file.take(MAX_FILE_BYTES).read_to_end(&mut bytes).map_err(|e| bad(PROVIDER, format!("zip entry: {e}")))?;
        let (text, _, had_errors) = encoding_rs::GBK.decode(&bytes);
        // The summary file has another header; the details are the file with this one.
        if !had_errors && text.lines().any(|l| l.starts_with("支付宝交易号,")) {
            return Ok(text.into_owned());
        }
    }
    Err(bad(PROVIDER, "no business-details file in the archive".into()))
}

/// Reads the business details: rows between the header and the first `#` line after it; the
/// `#交易合计：N笔` and `#退款合计：N笔` lines must count the rows.
pub fn parse_trade_bill(text: &str) -> Result<DailyBill, ProviderError> {
    let mut lines = text.lines().map(|l| l.trim_end_matches('\r'));
    let header: Vec<String> = lines
        .by_ref()
        .find(|l| l.starts_with("支付宝交易号,"))
        .ok_or_else(|| bad(PROVIDER, "no header".into()))?
        .split(',')
        .map(|f| f.trim().to_string())
        .collect();
    let column =
        |name: &str| header.iter().position(|h| h == name).ok_or_else(|| bad(PROVIDER, format!("no column {name}")));
    let (trade_no, out_trade_no, kind, total, received, request_no, fee) = (
        column("支付宝交易号")?,
        column("商户订单号")?,
        column("业务类型")?,
        column("订单金额（元）")?,
        column("商家实收（元）")?,
        column("退款批次号/请求号")?,
        column("服务费（元）")?,
    );
    let mut bill = DailyBill::default();
    let mut footer = Vec::new();
    for line in lines.by_ref() {
        if line.starts_with('#') {
            footer.push(line.to_string());
            break;
        }
        if line.trim().is_empty() {
            continue;
        }
        let row: Vec<&str> = line.split(',').map(str::trim).collect();
        if row.len() != header.len() {
            return Err(bad(PROVIDER, format!("a row of {} fields under {} columns", row.len(), header.len())));
        }
        let fee_units = yuan_units(row[fee]).ok_or_else(|| bad(PROVIDER, format!("服务费 {:?}", row[fee])))?;
        let common = BillLine {
            kind: BillLineKind::Payment,
            out_trade_no: row[out_trade_no].to_string(),
            out_refund_no: String::new(),
            provider_txn: row[trade_no].to_string(),
            amount: amount_fen(PROVIDER, "订单金额（元）", row[total])?,
            // Alipay prints the fee it takes as a negative amount, the fee it gives back positive.
            fee_fen: -units_to_fen(fee_units),
            status: "SUCCESS".into(),
        };
        bill.lines.push(match row[kind] {
            "交易" => common,
            "退款" => BillLine {
                kind: BillLineKind::Refund,
                out_refund_no: row[request_no].to_string(),
                amount: amount_fen(PROVIDER, "商家实收（元）", row[received])?,
                ..common
            },
            other => return Err(bad(PROVIDER, format!("业务类型 {other:?}"))),
        });
    }
    footer.extend(lines.map(str::to_string));
    let count = |label: &str| -> Result<usize, ProviderError> {
        let line = footer.iter().find(|l| l.starts_with(label)).ok_or_else(|| bad(PROVIDER, format!("no {label}")))?;
        let digits: String = line[label.len()..].chars().take_while(char::is_ascii_digit).collect();
        digits.parse().map_err(|_| bad(PROVIDER, format!("{label} {line:?}")))
    };
    let trades = bill.lines.iter().filter(|l| l.kind == BillLineKind::Payment).count();
    if count("#交易合计：")? != trades || count("#退款合计：")? != bill.lines.len() - trades {
        return Err(bad(PROVIDER, "the rows do not match the totals: the file is cut".into()));
    }
    Ok(bill)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The layout of Alipay's business-details file (after GBK decoding): comment lines, the
    /// header, rows padded with tabs, the totals.
    const DETAILS: &str = "#支付宝业务明细查询\r\n#账号：[20880211096256330156]\r\n\
#起始日期：[2026年03月10日 00:00:00]   终止日期：[2026年03月11日 00:00:00]\r\n\
#-----------------------------------------业务明细列表----------------------------------------\r\n\
支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注\r\n\
2026031022001458860515315453\t,P20260310020000AAAAAAAA\t,交易\t,星汇广场,2026-03-10 10:55:16,2026-03-10 10:55:23,\t,\t,\t,\t,*明(159****5620)\t,30.00,30.00,0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,\t,-0.18,0.00,\r\n\
2026031022001458860515315453\t,P20260310020000AAAAAAAA\t,退款\t,星汇广场,2026-03-10 10:55:16,2026-03-10 10:56:48,\t,\t,\t,\t,*明(159****5620)\t,-10.00,-10.00,0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,R-1\t,0.06,0.00,\r\n\
#-----------------------------------------业务明细列表结束------------------------------------\r\n\
#交易合计：1笔，商家实收共30.00元，商家优惠共0.00元\r\n#退款合计：1笔，商家实收退款共-10.00元，商家优惠退款共0.00元\r\n\
#导出时间：[2026年03月11日 05:38:04]\r\n";

    #[test]
    fn reads_the_business_details_and_refuses_a_cut_file() {
        let bill = parse_trade_bill(DETAILS).unwrap();
        assert_eq!(bill.lines.len(), 2);
        assert_eq!(
            (bill.lines[0].kind, bill.lines[0].amount, bill.lines[0].fee_fen),
            (BillLineKind::Payment, Fen(3000), 18)
        );
        assert_eq!(
            (bill.lines[1].out_refund_no.as_str(), bill.lines[1].amount, bill.lines[1].fee_fen),
            ("R-1", Fen(1000), -6)
        );
        let cut = DETAILS.replace("#交易合计：1笔", "#交易合计：2笔");
        assert!(parse_trade_bill(&cut).is_err());
        let gbk = encoding_rs::GBK.encode(DETAILS).0.into_owned();
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file("20880211096256330156_20260310_业务明细.csv", zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut zip, &gbk).unwrap();
        let archive = zip.finish().unwrap().into_inner();
        assert_eq!(details_csv(&archive).unwrap(), DETAILS);
        assert!(details_csv(b"not a zip").is_err());
    }
}
