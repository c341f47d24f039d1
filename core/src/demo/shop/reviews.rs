//! The demo shop's first reviews, so a new visitor sees ratings and reviews on product pages.
//! Three past customers (members of their own, not the demo shoppers whose balances the README
//! lists) top up stored value, buy through the real checkout, collect at the shop against their
//! pickup code and review what they bought — by the same rules as anyone: only a buyer of a
//! completed order line, once. One review has photos, one the shop's reply.

use super::items::{Look, ITEMS};
use super::pictures::picture;
use crate::audit::Actor;
use crate::mall_orders::checkout::{self, PlaceMallOrder};
use crate::mall_orders::views::{self, Viewer};
use crate::mall_orders::{cart, console};
use crate::members::{self, ProfileUpdate};
use crate::payments::sandbox::{Delivery, Sandbox};
use crate::payments::{Choice, PaymentState};
use crate::shop::reviews::{self, NewReview};
use crate::storage::Storage;
use crate::{stored_value, Db, Result, Timestamp};
use plaza_types::dto::{OrderLineId, SkuId};
use plaza_types::{Fen, MemberId, PhoneNumber, StaffId, TenantId};

/// The reviewers: (phone, name).
const CUSTOMERS: [(&str, &str); 3] = [("13500135001", "周雨"), ("13500135002", "吴桐"), ("13500135003", "赵敏")];

struct DemoReview {
    /// Index into [`CUSTOMERS`].
    customer: usize,
    product: &'static str,
    rating: i64,
    body: &'static str,
    /// How many of the customer's own photos come with it.
    photos: u32,
    /// The shop's answer.
    reply: &'static str,
}

const REVIEWS: [DemoReview; 6] = [
    DemoReview {
        customer: 0,
        product: "HG-CUP500",
        rating: 5,
        body: "保温效果很好，早上装的热水到晚上还是温的。颜色和图片一样，杯口也不漏水。",
        photos: 2,
        reply: "",
    },
    DemoReview {
        customer: 1,
        product: "HG-CUP500",
        rating: 4,
        body: "容量够大，一天两杯就够了。就是装满有点重，放包里要注意。",
        photos: 0,
        reply: "谢谢您的评价！杯盖和密封圈都可以拆下来清洗，到店还可以免费换一个新的密封圈。",
    },
    DemoReview {
        customer: 2,
        product: "HG-DRIP",
        rating: 5,
        body: "香气很足，酸度适中，办公室冲一包刚刚好。",
        photos: 0,
        reply: "",
    },
    DemoReview {
        customer: 2,
        product: "GK-XM5",
        rating: 5,
        body: "降噪很强，地铁上也很安静。下单后第二天就到店自提了，店员还帮忙配对了手机。",
        photos: 1,
        reply: "",
    },
    DemoReview {
        customer: 0,
        product: "BW-3BODY",
        rating: 5,
        body: "书的品相很好，包装仔细，没有磕碰。",
        photos: 0,
        reply: "",
    },
    DemoReview {
        customer: 1,
        product: "CZ-SHEETS",
        rating: 4,
        body: "很柔软，洗过一次没有起球。",
        photos: 0,
        reply: "",
    },
];

/// What each customer tops up first (covers everything they buy here).
const TOP_UP: Fen = Fen(400_000);

/// Writes the demo reviews if the mall has none yet (products must be on sale); how many.
pub(super) async fn seed(db: &Db, storage: &Storage, now: Timestamp) -> Result<usize> {
    let (existing,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM shop_reviews").fetch_one(db.pool()).await?;
    if existing > 0 {
        return Ok(0);
    }
    let mut customers = Vec::new();
    for (i, (phone, name)) in CUSTOMERS.iter().enumerate() {
        let phone = PhoneNumber::parse(phone).map_err(|_| crate::Error::internal("demo phone"))?;
        let mut tx = db.begin_write().await?;
        let member = members::find_or_create_by_phone(&mut tx, &phone, now).await?.0;
        let reference = format!("demo-review-topup-{i}");
        stored_value::credit(&mut tx, member, TOP_UP, "topup", &reference, "", &Actor::System, now).await?;
        tx.commit().await?;
        members::update_profile(db, member, &ProfileUpdate { name: name.to_string(), birthday: String::new() }, now)
            .await?;
        customers.push(member);
    }
    let mut written = 0;
    for (n, review) in REVIEWS.iter().enumerate() {
        let member = customers[review.customer];
        let Some((tenant, sku)) = sellable_sku(db, review.product).await? else { continue };
        let line = bought_and_collected(db, member, tenant, sku, &format!("demo-review-{n}"), now).await?;
        let look = ITEMS.iter().find(|i| i.code == review.product).map(|i| i.look);
        let mut photos = Vec::new();
        for k in 0..review.photos {
            photos.push(reviews::prepare_photo(customer_photo(look, n as u32 * 7 + k + 1).await?).await?);
        }
        let new = NewReview { line, rating: review.rating, body: review.body.into(), photos };
        let id = reviews::write(db, storage, member, new, now).await?;
        if !review.reply.is_empty() {
            let owner = owner(db, tenant).await?;
            reviews::reply(db, tenant, id, review.reply, owner, now).await?;
        }
        written += 1;
    }
    Ok(written)
}

/// The shop and first SKU on sale with stock of a demo product, if it is on sale.
async fn sellable_sku(db: &Db, code: &str) -> Result<Option<(TenantId, SkuId)>> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT k.tenant_id, k.id FROM shop_skus k JOIN shop_products p ON p.id = k.product_id \
         WHERE p.code = $1 AND p.status = 'published' AND k.enabled = 1 AND k.removed_at IS NULL AND k.stock > 0 \
         ORDER BY k.id LIMIT 1",
    )
    .bind(code)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(t, k)| (TenantId(t), SkuId(k))))
}

async fn owner(db: &Db, tenant: TenantId) -> Result<StaffId> {
    let (id,): (i64,) =
        sqlx::query_as("SELECT id FROM staff WHERE tenant_id = $1 AND role = 'tenant_owner' ORDER BY id LIMIT 1")
            .bind(tenant.0)
            .fetch_one(db.pool())
            .await?;
    Ok(StaffId(id))
}

/// The member buys one of `sku` (cart, checkout paid from stored value), the shop accepts and
/// hands it over against the pickup code; the completed order line.
async fn bought_and_collected(
    db: &Db,
    member: MemberId,
    tenant: TenantId,
    sku: SkuId,
    key: &str,
    now: Timestamp,
) -> Result<OrderLineId> {
    cart::add(db, member, sku, 1, now).await?;
    let order = PlaceMallOrder {
        choice: Choice { coupon: None, use_points: false, use_stored_value: true },
        shops: Vec::new(),
        expected_total: None,
        expected_to_pay: None,
        request_key: key.to_string(),
    };
    // Stored value covers it all: the provider is never asked.
    let provider = Sandbox { notify_url: String::new(), delivery: Delivery::Normal };
    let created = checkout::place(db, &provider, member, &order, now).await?;
    if created.state != PaymentState::Paid {
        return Err(crate::Error::internal("a demo order was not paid from stored value"));
    }
    let order_no = format!("{}-1", created.payment_no);
    let by = owner(db, tenant).await?;
    console::accept(db, tenant, by, &order_no, now).await?;
    let code = views::order(db, Viewer::Shopper(member), &order_no, now)
        .await?
        .pickup_code
        .ok_or_else(|| crate::Error::internal("a demo order without its pickup code"))?;
    console::hand_over(db, tenant, by, &code, now).await?;
    let (line,): (i64,) = sqlx::query_as(
        "SELECT l.id FROM shop_order_lines l JOIN mall_orders o ON o.id = l.order_id \
         WHERE o.order_no = $1 AND l.completed_at IS NOT NULL",
    )
    .bind(&order_no)
    .fetch_one(db.pool())
    .await?;
    Ok(OrderLineId(line))
}

/// A customer's snapshot of the product: the product's shape on another backdrop.
async fn customer_photo(look: Option<Look>, seed: u32) -> Result<Vec<u8>> {
    let look = look.unwrap_or(Look::Package(0x888888));
    tokio::task::spawn_blocking(move || picture(look, seed))
        .await
        .map_err(|e| crate::Error::internal(format!("drawing a review photo: {e}")))
}

/// For the demo's test: a product's (reviews, with photos, answered).
#[cfg(test)]
pub(super) async fn summary_of(db: &Db, product: plaza_types::dto::ProductId) -> (i64, i64, usize) {
    let summary = reviews::summary(db, product).await.unwrap();
    let (shown, _) = reviews::of_product(db, product, false, 1).await.unwrap();
    (summary.count, summary.with_photos, shown.iter().filter(|r| r.reply.is_some()).count())
}
