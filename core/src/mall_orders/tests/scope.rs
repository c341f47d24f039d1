use super::*;
use crate::mall_orders::views::{self, ListFilter, Viewer};
use crate::mall_orders::{addresses, console, shopper};
use plaza_types::AppError;

/// Shopper B on shopper A's order, and shop B on shop A's order: not found, and nothing moves.
#[tokio::test]
async fn another_shopper_or_shop_never_reaches_an_order() {
    let m = mall("10").await;
    let no = m.bought_mugs(m.buyer, 1, "s1").await;
    let not_found = AppError::NotFound;
    assert_eq!(user_error(views::order(&m.db, Viewer::Shopper(m.other), &no, m.now).await), not_found);
    assert_eq!(user_error(shopper::cancel(&m.db, &sandbox(), m.other, &no, "", m.now).await), not_found);
    assert_eq!(user_error(shopper::confirm_receipt(&m.db, m.other, &no, m.now).await), not_found);
    assert!(views::list(&m.db, Viewer::Shopper(m.other), &ListFilter::default(), 20).await.unwrap().is_empty());
    assert_eq!(user_error(views::order(&m.db, Viewer::Shop(m.b), &no, m.now).await), not_found);
    assert_eq!(user_error(console::accept(&m.db, m.b, m.staff_b, &no, m.now).await), not_found);
    assert_eq!(user_error(console::dispatch(&m.db, m.b, m.staff_b, &no, "顺丰", "SF123456", m.now).await), not_found);
    assert_eq!(user_error(console::mark_delivered(&m.db, m.b, m.staff_b, &no, m.now).await), not_found);
    assert_eq!(
        user_error(console::refund_lines(&m.db, &sandbox(), m.b, m.staff_b, &no, &[(1, 1)], true, "退货", m.now).await),
        not_found
    );
    let search = ListFilter { state: None, query: no.clone() };
    assert!(views::list(&m.db, Viewer::Shop(m.b), &search, 20).await.unwrap().is_empty());
    assert_eq!(m.state(&no).await, "paid");
    assert_eq!(m.stock(m.mug).await, 9);
    // Addresses are the shopper's own.
    let address = addresses::add(&m.db, m.buyer, "王小明", "13800138000", "上海市人民大道 1 号", m.now).await.unwrap();
    assert_eq!(user_error(addresses::remove(&m.db, m.other, address, m.now).await), not_found);
    assert!(addresses::list(&m.db, m.other).await.unwrap().is_empty());
    assert_eq!(addresses::list(&m.db, m.buyer).await.unwrap().len(), 1);
}

/// Typed pickup codes are limited per shop: a counter cannot try its way through the codes.
#[tokio::test]
async fn guessing_pickup_codes_is_rate_limited() {
    let m = mall("10").await;
    let mut limited = false;
    for i in 0..40 {
        match console::hand_over(&m.db, m.a, m.staff_a, &format!("{:08}", i), m.now).await {
            Err(e) if matches!(e.user(), Some(AppError::RateLimited { .. })) => {
                limited = true;
                assert!(i >= 30, "limited after {i}");
                break;
            }
            Err(e) => assert_eq!(e.user(), Some(&AppError::NotFound)),
            Ok(no) => panic!("guessed {no}"),
        }
    }
    assert!(limited);
}
