//! The statement and the sales by day as CSV for a spreadsheet: UTF-8 with a byte-order mark
//! (so Excel reads the Chinese right), headers in Chinese and English, amounts in yuan with two
//! decimals.

use plaza_types::dto::{bps_percent, SalesReport, Statement};
use plaza_types::Fen;

const BOM: &str = "\u{feff}";

/// One CSV field, quoted when it must be (and never read as a formula by a spreadsheet).
fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) && text.parse::<f64>().is_err() {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn row(out: &mut String, fields: &[String]) {
    let line: Vec<String> = fields.iter().map(|f| field(f)).collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
}

fn yuan(f: Fen) -> String {
    f.yuan_decimal()
}

/// The sales by day, a total row last.
pub fn sales_by_day(report: &SalesReport) -> Vec<u8> {
    let mut out = String::from(BOM);
    row(
        &mut out,
        &[
            "日期 Date",
            "笔数 Sales",
            "原价 Gross (¥)",
            "优惠 Discounts (¥)",
            "退款笔数 Refunds",
            "退款 Refunded (¥)",
            "净销售额 Net (¥)",
        ]
        .map(String::from),
    );
    let figures = report.days.iter().map(|d| (d.date.clone(), &d.figures));
    for (date, f) in figures.chain(std::iter::once(("合计 Total".to_string(), &report.total))) {
        row(
            &mut out,
            &[
                date,
                f.count.to_string(),
                yuan(f.gross),
                yuan(f.discounts),
                f.refund_count.to_string(),
                yuan(f.refunds),
                yuan(f.net),
            ],
        );
    }
    out.into_bytes()
}

/// The settlement statement: one line per figure, each with its amount.
pub fn statement(s: &Statement) -> Vec<u8> {
    let mut out = String::from(BOM);
    row(&mut out, &["项目 Item".into(), "金额 Amount (¥)".into(), "说明 Note".into()]);
    let name = if s.tenant.en.is_empty() { s.tenant.zh.clone() } else { format!("{} {}", s.tenant.zh, s.tenant.en) };
    row(&mut out, &["商户 Tenant".into(), String::new(), name]);
    row(&mut out, &["期间 Period".into(), String::new(), format!("{} – {}", s.period.from, s.period.to)]);
    let line = |out: &mut String, item: &str, amount: Fen, note: String| row(out, &[item.into(), yuan(amount), note]);
    line(&mut out, "销售额 Sales", s.sales, format!("{} 笔 sales", s.sale_count));
    line(&mut out, "退款 Refunds", s.refunds, format!("{} 笔 refunds", s.refund_count));
    line(&mut out, "净销售额 Net sales", s.net_sales, String::new());
    for part in &s.commission_parts {
        let rate = bps_percent(part.rate_bps);
        line(&mut out, &format!("佣金 Commission {rate}"), part.commission, format!("基数 base {}", yuan(part.base)));
    }
    line(&mut out, "佣金合计 Commission", s.commission, String::new());
    line(&mut out, "商户承担优惠券 Coupons funded by tenant", s.coupons_tenant, String::new());
    line(&mut out, "商场承担优惠券 Coupons funded by mall", s.coupons_mall, String::new());
    line(&mut out, "积分抵扣（商场承担） Points (mall)", s.points, String::new());
    line(&mut out, "储值支付 Stored value", s.stored_value, String::new());
    line(&mut out, "第三方支付 Provider collected", s.provider, String::new());
    line(&mut out, "应结算给商户 Net owed to tenant", s.net_owed, String::new());
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_and_never_formulas() {
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(field("-12.30"), "-12.30");
        assert_eq!(field("面"), "面");
    }
}
