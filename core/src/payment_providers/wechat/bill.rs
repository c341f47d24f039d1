//! WeChat Pay's daily bills: `GET /v3/bill/tradebill` and `/v3/bill/fundflowbill` answer (signed)
//! a `download_url` and the SHA1 of the file; the file itself comes unsigned from that URL and is
//! believed only when its SHA1 matches. A file is CSV: a header row, detail rows whose every field
//! starts with a backtick (so spreadsheets keep long numbers), then a summary header and one summary
//! row. Columns are found by their names, never by position (WeChat's bill types order them
//! differently); amounts are yuan, fees with five decimals.

use super::client::{malformed, parse, refusal, request_error, WechatClient};
use crate::payment_providers::bill::{amount_fen, bad, units_to_fen, yuan_units, BillLine, BillLineKind, DailyBill};
use crate::payment_providers::ProviderError;
use serde::Deserialize;
use sha1::{Digest, Sha1};

const PROVIDER: &str = "wechat";
/// The first column of a trade bill's summary header.
const TRADE_SUMMARY: &str = "总交易单数";
/// The first column of a fund-flow bill's summary header.
const FUND_SUMMARY: &str = "资金流水总笔数";

#[derive(Deserialize)]
struct BillAddress {
    hash_type: String,
    hash_value: String,
    download_url: String,
}

impl WechatClient {
    /// The day's trade bill (`bill_type=ALL`: payments and refunds), or `None` when WeChat has no
    /// bill for the day because nothing happened (`NO_STATEMENT_EXIST`). `date` is `yyyy-MM-dd`.
    pub async fn trade_bill(&self, date: &str) -> Result<Option<String>, ProviderError> {
        self.bill(&format!("/v3/bill/tradebill?bill_date={}&bill_type=ALL", checked_date(date)?)).await
    }

    /// The day's fund-flow bill of the basic account, or `None` when there is none.
    pub async fn fund_flow_bill(&self, date: &str) -> Result<Option<String>, ProviderError> {
        self.bill(&format!("/v3/bill/fundflowbill?bill_date={}&account_type=BASIC", checked_date(date)?)).await
    }

    async fn bill(&self, path: &str) -> Result<Option<String>, ProviderError> {
        let address: BillAddress = match self.call("GET", path, None).await {
            Ok((_, raw)) => parse(&raw)?,
            Err(e) if e.refusal_code() == Some("NO_STATEMENT_EXIST") => return Ok(None),
            Err(e) => return Err(e),
        };
        if address.hash_type != "SHA1" {
            return Err(malformed(format!("hash_type {}", address.hash_type)));
        }
        let url = reqwest::Url::parse(&address.download_url)
            .map_err(|e| malformed(format!("download_url {:?}: {e}", address.download_url)))?;
        // The download is signed with our key: only WeChat's own host may have it.
        if !self.same_origin(&url) {
            return Err(malformed(format!("download_url on another host: {url}")));
        }
        let (status, _, raw) = self.send("GET", url, None).await?;
        if status != 200 {
            return Err(refusal(status, &raw));
        }
        let digest = hex::encode(Sha1::digest(&raw));
        if !digest.eq_ignore_ascii_case(address.hash_value.trim()) {
            return Err(ProviderError::Unverified {
                provider: PROVIDER,
                reason: format!("bill SHA1 {digest}, WeChat said {}", address.hash_value),
            });
        }
        String::from_utf8(raw).map(Some).map_err(|_| malformed("the bill is not UTF-8".into()))
    }
}

fn checked_date(date: &str) -> Result<&str, ProviderError> {
    match jiff::civil::Date::strptime("%Y-%m-%d", date) {
        Ok(_) => Ok(date),
        Err(_) => Err(request_error(format!("bill date {date:?}"))),
    }
}

/// A bill file as rows of fields, the backticks taken off: (header, details, summary header,
/// summary row).
type Table = (Vec<String>, Vec<Vec<String>>, Vec<String>, Vec<String>);

fn table(text: &str, summary_first: &str) -> Result<Table, ProviderError> {
    let rows: Vec<Vec<String>> = text
        .trim_start_matches('\u{feff}')
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').map(|f| f.trim().trim_start_matches('`').to_string()).collect())
        .collect();
    let Some((header, rest)) = rows.split_first() else { return Err(bad(PROVIDER, "empty file".into())) };
    let at = rest
        .iter()
        .position(|r| r.first().map(String::as_str) == Some(summary_first))
        .ok_or_else(|| bad(PROVIDER, format!("no {summary_first} summary: the file is cut")))?;
    let (details, summary) = rest.split_at(at);
    let [summary_header, summary_row] = summary else {
        return Err(bad(PROVIDER, "the summary is not one header and one row".into()));
    };
    Ok((header.clone(), details.to_vec(), summary_header.clone(), summary_row.clone()))
}

/// Looks fields up by column name.
struct Columns<'a> {
    header: &'a [String],
}

impl Columns<'_> {
    fn index(&self, name: &str) -> Result<usize, ProviderError> {
        self.header.iter().position(|h| h == name).ok_or_else(|| bad(PROVIDER, format!("no column {name}")))
    }

    fn get<'r>(&self, row: &'r [String], name: &str) -> Result<&'r str, ProviderError> {
        Ok(row.get(self.index(name)?).map(String::as_str).unwrap_or_default())
    }
}

/// A detail row with as many fields as the header: free text WeChat did not escape (a product
/// name with a comma) is joined back into the product-name column.
fn fitted(header: &[String], mut row: Vec<String>, free_text: Option<usize>) -> Result<Vec<String>, ProviderError> {
    if row.len() > header.len() {
        let Some(at) = free_text else { return Err(bad(PROVIDER, format!("a row of {} fields", row.len()))) };
        let extra = row.len() - header.len();
        let joined = row.drain(at..=at + extra).collect::<Vec<_>>().join(",");
        row.insert(at, joined);
    }
    if row.len() != header.len() {
        return Err(bad(PROVIDER, format!("a row of {} fields under {} columns", row.len(), header.len())));
    }
    Ok(row)
}

fn units(column: &str, text: &str) -> Result<i64, ProviderError> {
    yuan_units(text).ok_or_else(|| bad(PROVIDER, format!("{column} {text:?}")))
}

/// Reads an `ALL` trade bill: a `SUCCESS` row is a payment, a `REFUND` row a refund (its amount
/// the refund asked for: 申请退款金额 where the bill has it, else 退款金额). The summary's count and
/// totals must equal the rows'.
pub fn parse_trade_bill(text: &str) -> Result<DailyBill, ProviderError> {
    let (header, details, summary_header, summary) = table(text, TRADE_SUMMARY)?;
    let c = Columns { header: &header };
    let free_text = c.index("商品名称").ok();
    let asked = if header.iter().any(|h| h == "申请退款金额") { "申请退款金额" } else { "退款金额" };
    let mut lines = Vec::with_capacity(details.len());
    let (mut refund_units, mut fee_units) = (0i64, 0i64);
    for row in details {
        let row = fitted(&header, row, free_text)?;
        let fee = units("手续费", c.get(&row, "手续费")?)?;
        fee_units += fee;
        let line = match c.get(&row, "交易状态")? {
            "REFUND" => {
                refund_units += units("退款金额", c.get(&row, "退款金额")?)?;
                BillLine {
                    kind: BillLineKind::Refund,
                    out_refund_no: c.get(&row, "商户退款单号")?.to_string(),
                    amount: amount_fen(PROVIDER, asked, c.get(&row, asked)?)?,
                    status: c.get(&row, "退款状态")?.to_string(),
                    ..payment_of(&c, &row, fee)?
                }
            }
            state => BillLine { status: state.to_string(), ..payment_of(&c, &row, fee)? },
        };
        lines.push(line);
    }
    let s = Columns { header: &summary_header };
    let count: usize =
        s.get(&summary, TRADE_SUMMARY)?.parse().map_err(|_| bad(PROVIDER, "the summary count".into()))?;
    if count != lines.len() {
        return Err(bad(PROVIDER, format!("{} rows, the summary says {count}", lines.len())));
    }
    if units("退款总金额", s.get(&summary, "退款总金额")?)? != refund_units {
        return Err(bad(PROVIDER, "the refunds do not add up to 退款总金额".into()));
    }
    if units("手续费总金额", s.get(&summary, "手续费总金额")?)? != fee_units {
        return Err(bad(PROVIDER, "the fees do not add up to 手续费总金额".into()));
    }
    Ok(DailyBill { lines, ..DailyBill::default() })
}

fn payment_of(c: &Columns, row: &[String], fee_units: i64) -> Result<BillLine, ProviderError> {
    Ok(BillLine {
        kind: BillLineKind::Payment,
        out_trade_no: c.get(row, "商户订单号")?.to_string(),
        out_refund_no: String::new(),
        provider_txn: c.get(row, "微信订单号")?.to_string(),
        amount: amount_fen(PROVIDER, "订单金额", c.get(row, "订单金额")?)?,
        fee_fen: units_to_fen(fee_units),
        status: String::new(),
    })
}

/// Money into and out of the account by a fund-flow bill: (income fen, expense fen), checked
/// against its summary.
pub fn parse_fund_flow_bill(text: &str) -> Result<(i64, i64), ProviderError> {
    let (header, details, summary_header, summary) = table(text, FUND_SUMMARY)?;
    let c = Columns { header: &header };
    let (mut income, mut expense) = (0i64, 0i64);
    for row in &details {
        let row = fitted(&header, row.clone(), c.index("备注").ok())?;
        let amount = units("收支金额(元)", c.get(&row, "收支金额(元)")?)?;
        match c.get(&row, "收支类型")? {
            "收入" => income += amount,
            "支出" => expense += amount,
            other => return Err(bad(PROVIDER, format!("收支类型 {other:?}"))),
        }
    }
    let s = Columns { header: &summary_header };
    let count: usize = s.get(&summary, FUND_SUMMARY)?.parse().map_err(|_| bad(PROVIDER, "the summary count".into()))?;
    if count != details.len()
        || units("收入金额", s.get(&summary, "收入金额")?)? != income
        || units("支出金额", s.get(&summary, "支出金额")?)? != expense
    {
        return Err(bad(PROVIDER, "the fund flows do not add up to the summary".into()));
    }
    Ok((units_to_fen(income), units_to_fen(expense)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use plaza_types::Fen;

    /// The layout of WeChat's documented `ALL` bill: a payment, a refund of part of it, the
    /// summary; every field after the header starts with a backtick.
    const BILL: &str = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注\r\n\
`2026-03-10 10:00:01,`wxd678efh567hg6787,`1900009191,`0,`,`4200002026000000000001,`P20260310020000AAAAAAAA,`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`NATIVE,`SUCCESS,`OTHERS,`CNY,`30.00,`0.00,`0,`0,`0.00,`0.00,`,`,`星汇 · 码牌支付,`,`0.18000,`0.60%,`30.00,`0.00,`\r\n\
`2026-03-10 11:30:00,`wxd678efh567hg6787,`1900009191,`0,`,`4200002026000000000001,`P20260310020000AAAAAAAA,`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`NATIVE,`REFUND,`OTHERS,`CNY,`0.00,`0.00,`50300000001001,`R-1,`10.00,`0.00,`ORIGINAL,`SUCCESS,`星汇 · 码牌支付,`,`-0.06000,`0.60%,`0.00,`10.00,`\r\n\
总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n\
`2,`30.00,`10.00,`0.00,`0.12000,`30.00,`10.00\r\n";

    #[test]
    fn reads_the_documented_trade_bill_and_refuses_one_that_does_not_add_up() {
        let bill = parse_trade_bill(BILL).unwrap();
        assert_eq!(bill.lines.len(), 2);
        let (paid, refund) = (&bill.lines[0], &bill.lines[1]);
        assert_eq!(
            (paid.kind, paid.out_trade_no.as_str(), paid.amount, paid.fee_fen),
            (BillLineKind::Payment, "P20260310020000AAAAAAAA", Fen(3000), 18)
        );
        assert_eq!(paid.status, "SUCCESS");
        assert_eq!(
            (refund.kind, refund.out_refund_no.as_str(), refund.amount, refund.fee_fen),
            (BillLineKind::Refund, "R-1", Fen(1000), -6)
        );
        assert_eq!(bill.fee_fen(), 12);
        let cut = BILL.replace("`2,`30.00", "`3,`30.00");
        assert!(parse_trade_bill(&cut).is_err(), "a row missing");
        let altered = BILL.replace("`0.12000", "`0.13000");
        assert!(parse_trade_bill(&altered).is_err(), "fees that do not add up");
        assert!(parse_trade_bill(BILL.split("总交易单数").next().unwrap()).is_err(), "no summary");
    }

    #[test]
    fn reads_a_fund_flow_bill() {
        let text = "记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额(元),账户结余(元),资金变更提交申请人,备注,业务凭证号\r\n\
`2026-03-10 10:00:01,`4200002026000000000001,`000000000000000000000000000001,`交易,`交易,`收入,`30.00,`30.00,`system,`,`P20260310020000AAAAAAAA\r\n\
`2026-03-10 11:30:00,`4200002026000000000001,`000000000000000000000000000002,`退款,`退款,`支出,`10.00,`20.00,`system,`,`P20260310020000AAAAAAAA\r\n\
资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额\r\n`2,`1,`30.00,`1,`10.00\r\n";
        assert_eq!(parse_fund_flow_bill(text).unwrap(), (3000, 1000));
        assert!(parse_fund_flow_bill(&text.replace("`1,`10.00\r\n", "`1,`11.00\r\n")).is_err());
    }
}
