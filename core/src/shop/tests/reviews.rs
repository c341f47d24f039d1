//! Reviews: only the buyer of a completed line, once; photos; the shop's one reply; an
//! operator hides an abusive one with a reason, and the rating follows.

use super::catalog::{png, tempdir};
use super::*;
use crate::shop::photos;
use crate::shop::purchases;
use crate::shop::reviews::{self, NewReview};
use crate::testing::seed_member;
use plaza_types::dto::{OrderLineId, ReviewId};

struct Bought {
    m: Mall,
    storage: crate::storage::Storage,
    dir: std::path::PathBuf,
    product: ProductId,
    buyer: plaza_types::MemberId,
    other: plaza_types::MemberId,
    done: OrderLineId,
    open: OrderLineId,
}

async fn bought() -> Bought {
    let m = mall().await;
    let product = listed(&m, m.a, "不锈钢保温杯", "杯壶", &[("颜色", &["白", "黑"])], "99", "9").await;
    let sku = products::console_get(&m.db, m.a, product).await.unwrap().skus[1].id;
    let buyer = seed_member(&m.db, "13800138000").await;
    let other = seed_member(&m.db, "13900139000").await;
    let mut tx = m.db.begin_write().await.unwrap();
    let done = purchases::record_line(&mut tx, buyer, sku, 1, 9900, Some(m.now), m.now).await.unwrap();
    let open = purchases::record_line(&mut tx, buyer, sku, 2, 9900, None, m.now).await.unwrap();
    tx.commit().await.unwrap();
    let dir = tempdir();
    let storage = crate::storage::Storage::local(dir.clone()).unwrap();
    Bought { m, storage, dir, product, buyer, other, done, open }
}

fn review(line: OrderLineId, rating: i64, body: &str, photos: usize) -> NewReview {
    let shaped = |i: usize| {
        let checked = crate::receipts::photo::prepare(&png(300 + i as u32, 200)).unwrap();
        photos::shape(&checked.jpeg, photos::Shape::Review).unwrap()
    };
    NewReview { line, rating, body: body.into(), photos: (0..photos).map(shaped).collect() }
}

#[tokio::test]
async fn only_the_buyer_of_a_completed_line_reviews_it_once() {
    let b = bought().await;
    let m = &b.m;
    for (who, line) in [(b.other, b.done), (b.buyer, b.open), (b.buyer, OrderLineId(999_999))] {
        assert_eq!(
            problem(reviews::write(&m.db, &b.storage, who, review(line, 5, "好", 0), m.now).await),
            ShopProblem::NotReviewable
        );
    }
    for (rating, body, n, expected) in
        [(0, "x", 0, ShopProblem::Rating), (6, "x", 0, ShopProblem::Rating), (5, "x", 7, ShopProblem::ReviewPhotos)]
    {
        assert_eq!(
            problem(reviews::write(&m.db, &b.storage, b.buyer, review(b.done, rating, body, n), m.now).await),
            expected
        );
    }
    let long = "好".repeat(501);
    assert_eq!(
        problem(reviews::write(&m.db, &b.storage, b.buyer, review(b.done, 5, &long, 0), m.now).await),
        ShopProblem::ReviewText
    );
    assert!(
        reviews::prepare_photo(b"not a photo".to_vec()).await.is_err(),
        "garbage is refused before anything is kept"
    );
    assert!(reviews::prepare_photo(png(10, 10)).await.is_ok());
    assert_eq!(reviews::mine(&m.db, b.buyer).await.unwrap().to_review.len(), 1, "nothing was written");
    assert!(no_files(&b.dir), "no photo was stored for a review not written");

    let id = reviews::write(&m.db, &b.storage, b.buyer, review(b.done, 4, "保温效果很好，就是有点重", 2), m.now)
        .await
        .unwrap();
    assert_eq!(
        problem(reviews::write(&m.db, &b.storage, b.buyer, review(b.done, 5, "再来", 0), m.now).await),
        ShopProblem::AlreadyReviewed
    );
    let mine = reviews::mine(&m.db, b.buyer).await.unwrap();
    assert!(mine.to_review.is_empty());
    assert_eq!(mine.written[0].id, id);
    let (list, _) = reviews::of_product(&m.db, b.product, false, 1).await.unwrap();
    assert_eq!(
        (list[0].rating, list[0].reviewer.as_str(), list[0].spec.as_str(), list[0].photos.len()),
        (4, "会员****8000", "黑", 2)
    );
    let key = list[0].photos[0].url.trim_start_matches("/media/").to_string();
    assert!(photos::read_public(&m.db, &b.storage, &key).await.unwrap().is_some());
    let summary = reviews::summary(&m.db, b.product).await.unwrap();
    assert_eq!((summary.count, summary.average_x100, summary.stars, summary.with_photos), (1, 400, [0, 0, 0, 1, 0], 1));
    let (x100, count): (i64, i64) = sqlx::query_as("SELECT rating_x100, rating_count FROM shop_products WHERE id = $1")
        .bind(b.product.0)
        .fetch_one(m.db.pool())
        .await
        .unwrap();
    assert_eq!((x100, count), (400, 1));
    let _ = std::fs::remove_dir_all(&b.dir);
}

fn no_files(dir: &std::path::Path) -> bool {
    walk(dir).is_empty()
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[tokio::test]
async fn the_shop_replies_once_and_the_mall_hides_abuse() {
    let b = bought().await;
    let m = &b.m;
    let id =
        reviews::write(&m.db, &b.storage, b.buyer, review(b.done, 1, "垃圾商家!!! 加我微信", 1), m.now).await.unwrap();
    not_found(reviews::reply(&m.db, m.b, id, "不是我们的", m.staff_b, m.now).await);
    assert_eq!(problem(reviews::reply(&m.db, m.a, id, "", m.staff_a, m.now).await), ShopProblem::ReplyText);
    reviews::reply(&m.db, m.a, id, "抱歉给您带来不便，已联系您处理", m.staff_a, m.now).await.unwrap();
    assert_eq!(
        problem(reviews::reply(&m.db, m.a, id, "再说一次", m.staff_a, m.now).await),
        ShopProblem::AlreadyReplied
    );
    let (list, _) = reviews::of_tenant(&m.db, m.a, false, 1).await.unwrap();
    assert_eq!(list[0].reply.as_deref(), Some("抱歉给您带来不便，已联系您处理"));
    assert!(reviews::of_tenant(&m.db, m.a, true, 1).await.unwrap().0.is_empty(), "nothing unanswered");
    assert!(reviews::of_tenant(&m.db, m.b, false, 1).await.unwrap().0.is_empty());

    let photo = list[0].photos[0].url.trim_start_matches("/media/").to_string();
    assert_eq!(problem(reviews::hide(&m.db, id, "", m.operator, m.now).await), ShopProblem::Reason);
    reviews::hide(&m.db, id, "含联系方式与辱骂", m.operator, m.now).await.unwrap();
    not_found(reviews::hide(&m.db, id, "again", m.operator, m.now).await);
    not_found(reviews::hide(&m.db, ReviewId(999_999), "x", m.operator, m.now).await);
    assert!(reviews::of_product(&m.db, b.product, false, 1).await.unwrap().0.is_empty());
    assert_eq!(reviews::summary(&m.db, b.product).await.unwrap().count, 0);
    let (x100, count): (i64, i64) = sqlx::query_as("SELECT rating_x100, rating_count FROM shop_products WHERE id = $1")
        .bind(b.product.0)
        .fetch_one(m.db.pool())
        .await
        .unwrap();
    assert_eq!((x100, count), (0, 0));
    assert_eq!(
        reviews::mine(&m.db, b.buyer).await.unwrap().written[0].hidden_reason.as_deref(),
        Some("含联系方式与辱骂"),
        "the author sees why"
    );
    assert!(
        photos::read_public(&m.db, &b.storage, &photo).await.unwrap().is_none(),
        "a hidden review's photos are not served"
    );
    let (hidden, _) = reviews::all(&m.db, true, 1).await.unwrap();
    assert_eq!(hidden.len(), 1);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'shop.review.hide'")
        .fetch_one(m.db.pool())
        .await
        .unwrap();
    assert_eq!(n, 1);
    // The media route never serves receipts or anything outside the mall's photos.
    assert!(photos::read_public(&m.db, &b.storage, "receipts/ab/x.jpg").await.unwrap().is_none());
    assert!(photos::read_public(&m.db, &b.storage, "products/../receipts/x.jpg").await.unwrap().is_none());
    let _ = std::fs::remove_dir_all(&b.dir);
}
