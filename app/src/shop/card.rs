//! A product in a list: square photo, title, price (from–to), member price, sales or rating.

use crate::i18n::{fill, use_tr, Tr};
use leptos::prelude::*;
use plaza_types::dto::ProductCard;
use plaza_types::Fen;

/// `¥59`, or `¥59 起` when the SKUs' prices differ.
pub fn price_range(t: &Tr, min: i64, max: i64) -> String {
    if max > min {
        fill(t.sh_price_from, &[("price", &Fen(min).short())])
    } else {
        Fen(min).short()
    }
}

/// `4.6` from an average × 100.
pub fn rating_text(x100: i64) -> String {
    format!("{:.1}", x100 as f64 / 100.0)
}

#[component]
pub fn ProductGrid(items: Vec<ProductCard>) -> impl IntoView {
    view! {
        <ul class="product-grid" data-testid="product-grid">
            {items.into_iter().map(|p| view! { <Card p /> }).collect_view()}
        </ul>
    }
}

#[component]
fn Card(p: ProductCard) -> impl IntoView {
    let t = use_tr();
    let href = format!("/mall/p/{}", p.id.0);
    let meta = if p.rating_count > 0 {
        fill(t.sh_card_rating, &[("score", &rating_text(p.rating_x100)), ("n", &p.rating_count.to_string())])
    } else if p.sales > 0 {
        fill(t.sh_card_sales, &[("n", &p.sales.to_string())])
    } else {
        String::new()
    };
    view! {
        <li class="product-card" data-testid="product-card">
            <a href=href>
                {match p.cover {
                    Some(src) => view! { <img class="product-card-photo" src=src alt="" loading="lazy" width="200" height="200" /> }.into_any(),
                    None => view! { <span class="product-card-photo product-card-nophoto"></span> }.into_any(),
                }}
                <span class="product-card-title">{p.title}</span>
                <span class="product-card-price">
                    <strong>{price_range(t, p.min_price_fen, p.max_price_fen)}</strong>
                    {p.member_price_fen.map(|m| view! { <small class="member-price">{t.sh_member_price}" "{Fen(m).short()}</small> })}
                </span>
                <span class="product-card-meta">
                    <span>{p.shop_name}</span>
                    {(!p.in_stock).then(|| view! { <span class="badge badge-muted">{t.sh_sold_out}</span> })}
                    {(!meta.is_empty()).then(|| view! { <span>{meta.clone()}</span> })}
                </span>
            </a>
        </li>
    }
}
