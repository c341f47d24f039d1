//! Refunds needing attention: an ABNORMAL one at once, a PROCESSING one after a day; asking the
//! provider again settles one it has finished; "handled" needs a note, is audited and happens once.

use super::checkout::{self, Flow};
use super::provider_tests::{order, request, state, wechat};
use super::refund_attention::{list, mark_handled, retry, TOO_LONG_SECS};
use super::refund_waiting::Settled;
use super::tests::{shop, T0};
use super::*;
use crate::audit::Actor;
use crate::auth::staff::{self, NewStaff};
use crate::principal::StaffPrincipal;
use crate::MallTz;
use plaza_types::{AppError, StaffRole};

#[tokio::test]
async fn abnormal_and_long_waiting_refunds_are_listed_asked_again_and_marked_handled_once() {
    let s = shop().await;
    let (mock, wechat) = wechat().await;
    let tz = MallTz::shanghai();
    let no = create(&s.db, &wechat, &order(&s, 3_000, "at1"), T0).await.unwrap().payment_no;
    checkout::launch(&s.db, &wechat, s.member, &no, &request(Flow::WechatNative, &no), T0).await.unwrap();
    mock.pay(&no, crate::Timestamp::now().secs());
    views::settle_return(&s.db, &wechat, &no, T0).await.unwrap();
    for (refund_no, fen) in [("RT-1", 1_000), ("RT-2", 500)] {
        let ask = RefundRequest { payment_no: &no, refund_no, amount: Fen(fen), reason: "退货" };
        assert!(refund(&s.db, &wechat, ask, &Actor::System, T0).await.unwrap().waiting);
    }
    assert!(list(&s.db, &tz, T0).await.unwrap().is_empty(), "processing for minutes: nobody needs to look");

    mock.settle_refund("RT-1", "ABNORMAL");
    assert_eq!(retry(&s.db, &wechat, "RT-1", T0).await.unwrap(), Settled::Abnormal);
    let listed = list(&s.db, &tz, T0).await.unwrap();
    assert_eq!(listed.iter().map(|r| r.refund_no.as_str()).collect::<Vec<_>>(), ["RT-1"]);
    let day_later = T0.plus_secs(TOO_LONG_SECS);
    let listed = list(&s.db, &tz, day_later).await.unwrap();
    assert_eq!(listed.iter().map(|r| r.refund_no.as_str()).collect::<Vec<_>>(), ["RT-1", "RT-2"], "abnormal first");
    assert_eq!(listed[1].waiting_hours, 24);

    // WeChat finished RT-2 meanwhile: asking again settles it and it leaves the list.
    mock.settle_refund("RT-2", "SUCCESS");
    assert_eq!(retry(&s.db, &wechat, "RT-2", day_later).await.unwrap(), Settled::Finished);
    assert_eq!(state(&s, &no).await, "partially_refunded");
    assert!(matches!(
        retry(&s.db, &wechat, "RT-2", day_later).await.unwrap_err(),
        crate::Error::User(AppError::NotFound)
    ));

    let mut tx = s.db.begin_write().await.unwrap();
    let new = NewStaff {
        username: "finance",
        display_name: "财务",
        password: "password-1",
        role: StaffRole::OperatorAdmin,
        tenant_id: None,
    };
    let id = staff::create(&mut tx, new, T0).await.unwrap();
    tx.commit().await.unwrap();
    let admin = StaffPrincipal { staff_id: id, role: StaffRole::OperatorAdmin, tenant_id: None };
    let blank = mark_handled(&s.db, &admin, "RT-1", "  ", day_later).await.unwrap_err();
    assert!(matches!(blank, crate::Error::User(AppError::Invalid { .. })), "{blank}");
    mark_handled(&s.db, &admin, "RT-1", "已在商户平台改退至零钱", day_later).await.unwrap();
    let again = mark_handled(&s.db, &admin, "RT-1", "again", day_later).await.unwrap_err();
    assert!(matches!(again, crate::Error::User(AppError::AlreadyExists)), "{again}");
    assert!(list(&s.db, &tz, day_later).await.unwrap().is_empty());
    let (n, details): (i64, String) = sqlx::query_as(
        "SELECT COUNT(*), MAX(details) FROM audit_log WHERE action = 'refund.handled' AND subject = 'refund:RT-1'",
    )
    .fetch_one(s.db.pool())
    .await
    .unwrap();
    assert_eq!((n, details.as_str()), (1, "已在商户平台改退至零钱"));
    assert!(mark_handled(&s.db, &admin, "NO-SUCH", "x", day_later).await.is_err());
}
