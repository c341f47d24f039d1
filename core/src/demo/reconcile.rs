//! Yesterday's reconciliation, so the operator's 对账 page has something to show: a shopper paid
//! 剪艺美发's counter plate four times through the sandbox (Beijing time, yesterday afternoon) and
//! one payment was partly refunded; one payment's notification was lost and the shopper never came
//! back; the sandbox's bill (setting `sandbox.bill`) leaves one payment out and shows another
//! payment and the refund at other amounts. The morning's run — what the hourly job does — finds
//! the four kinds of difference and completes the missed payment through the completion command.

use crate::audit::Actor;
use crate::members;
use crate::payments::checkout::{self, Flow, LaunchRequest};
use crate::payments::plate_pay::{self, PlateOrder};
use crate::payments::sandbox::bills::SandboxBill;
use crate::payments::sandbox::{self, Delivery, Sandbox};
use crate::payments::{reconcile, refund, views, Choice, RefundRequest};
use crate::{settings, Db, MallTz, Result, Timestamp};
use plaza_types::{Fen, PhoneNumber};

/// The shopper of yesterday's payments (not one of the demo shoppers, whose balances the browser
/// tests spend).
pub const RECONCILE_SHOPPER: &str = "13500135000";

/// Amounts of the four payments, in fen: clean (and partly refunded), left out of the bill, shown
/// at another amount, and missed (paid there, not here).
const AMOUNTS: [i64; 4] = [12_800, 8_800, 25_600, 6_600];

pub async fn seed(db: &Db, now: Timestamp) -> Result<()> {
    let beijing = MallTz::parse("Asia/Shanghai").unwrap_or_else(MallTz::utc);
    let day = beijing.civil_date(now).yesterday().map_err(|e| crate::Error::internal(e.to_string()))?;
    let afternoon = beijing.start_of_date(day)?.plus_secs(14 * 3600);
    let provider = Sandbox { notify_url: String::new(), delivery: Delivery::Normal };
    let phone = PhoneNumber::parse(RECONCILE_SHOPPER).map_err(|_| crate::Error::internal("demo phone"))?;
    let mut tx = db.begin_write().await?;
    let (member, _) = members::find_or_create_by_phone(&mut tx, &phone, afternoon).await?;
    tx.commit().await?;
    let (plate,): (String,) = sqlx::query_as(
        "SELECT p.code FROM payment_plates p JOIN tenants t ON t.id = p.tenant_id \
         WHERE t.code = 'hair' AND p.status = 'active' ORDER BY p.id LIMIT 1",
    )
    .fetch_one(db.pool())
    .await?;
    let mut numbers = Vec::new();
    for (i, fen) in AMOUNTS.into_iter().enumerate() {
        let at = afternoon.plus_secs(600 * i as i64);
        let order = PlateOrder {
            code: plate.clone(),
            amount: Fen(fen),
            choice: Choice::default(),
            expected_to_pay: None,
            request_key: format!("demo-reconcile-{i}"),
        };
        let no = plate_pay::start(db, &provider, member, &order, at).await?.payment_no.to_string();
        let launch = LaunchRequest {
            flow: Flow::WechatNative,
            openid: None,
            return_url: String::new(),
            client_ip: "127.0.0.1".into(),
        };
        checkout::launch(db, &provider, member, &no, &launch, at).await?;
        sandbox::confirm_unnotified(db, &no, at.plus_secs(30)).await?;
        // The shopper came back from the first three (the result page's query); not from the last.
        if i < 3 {
            views::settle_return(db, &provider, &no, at.plus_secs(40)).await?;
        }
        numbers.push(no);
    }
    let [clean, left_out, altered, _missed] =
        <[String; 4]>::try_from(numbers).map_err(|_| crate::Error::internal("four payments"))?;
    let refund_no = format!("{clean}R1");
    let ask =
        RefundRequest { payment_no: &clean, refund_no: &refund_no, amount: Fen(3_000), reason: "顾客退回一件" };
    refund(db, &provider, ask, &Actor::System, afternoon.plus_secs(7_200)).await?;
    let mut bill = SandboxBill::default();
    bill.left_out.push(left_out);
    bill.amounts.insert(altered, AMOUNTS[2] - 600);
    bill.amounts.insert(refund_no, 3_500);
    let mut tx = db.begin_write().await?;
    settings::put(&mut **tx, &bill, now).await?;
    tx.commit().await?;
    reconcile::run(db, &provider, day, &Actor::System, now).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::test_db;
    use crate::Timestamp;

    #[tokio::test]
    async fn the_demo_day_shows_each_kind_of_difference_and_the_missed_payment_completed() {
        let db = test_db().await;
        let now = Timestamp::now();
        assert!(crate::demo::seed(&db, now).await.unwrap());
        let found: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT d.kind, d.resolution, COALESCE(p.state, r.state) FROM reconcile_differences d \
             LEFT JOIN payments p ON p.payment_no = d.number LEFT JOIN refunds r ON r.refund_no = d.number \
             ORDER BY d.kind",
        )
        .fetch_all(db.pool())
        .await
        .unwrap();
        let expected = [
            ("amount_mismatch", "open", "paid"),
            ("missing_here", "completed", "paid"),
            ("missing_there", "open", "paid"),
            ("refund_mismatch", "open", "succeeded"),
        ];
        let found: Vec<(&str, &str, &str)> =
            found.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
        assert_eq!(found, expected);
        let (state, differences): (String, i64) =
            sqlx::query_as("SELECT state, differences FROM reconcile_runs WHERE provider = 'sandbox'")
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!((state.as_str(), differences), ("done", 4));
    }
}
