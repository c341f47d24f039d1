use crate::components::{unless_signed_in, ErrorBox, TopBar};
use crate::i18n::{fill, use_lang, use_tr};
use crate::mall_promotions::{LineExplain, ShopTiers, StackingRules};
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::dto::{CartLineProblem, MallCart, MallCartLine};
use plaza_types::AppError;

/// The shopper's cart across shops, priced now.
#[server(endpoint = "mall/cart")]
pub async fn get_mall_cart() -> Result<MallCart, AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    let ctx = app()?;
    plaza_core::mall_orders::cart::view(&ctx.db, member, plaza_core::Timestamp::now()).await.map_err(user_error)
}

/// Puts units of a SKU into the shopper's own cart and goes to the cart.
#[server(endpoint = "mall/cart/add")]
pub async fn add_to_mall_cart(sku: i64, quantity: Option<i64>) -> Result<(), AppError> {
    use crate::server::{app, require_member, user_error};
    use plaza_types::dto::SkuId;
    let member = require_member().await?;
    let ctx = app()?;
    plaza_core::mall_orders::cart::add(
        &ctx.db,
        member,
        SkuId(sku),
        quantity.unwrap_or(1),
        plaza_core::Timestamp::now(),
    )
    .await
    .map_err(user_error)?;
    leptos_axum::redirect("/mall/cart");
    Ok(())
}

/// Sets a line's quantity in the shopper's own cart (0 removes it).
#[server(endpoint = "mall/cart/line")]
pub async fn set_mall_cart_line(sku: i64, quantity: i64) -> Result<(), AppError> {
    use crate::server::{app, require_member, user_error};
    use plaza_core::mall_orders::cart;
    use plaza_types::dto::SkuId;
    let member = require_member().await?;
    let ctx = app()?;
    let now = plaza_core::Timestamp::now();
    if quantity == 0 {
        cart::remove(&ctx.db, member, SkuId(sku)).await.map_err(user_error)?;
    } else {
        cart::set_quantity(&ctx.db, member, SkuId(sku), quantity, now).await.map_err(user_error)?;
    }
    leptos_axum::redirect("/mall/cart");
    Ok(())
}

/// The product page's button: one unit of the chosen SKU into the cart (signing in first).
#[component]
pub fn AddToCart(sku: i64) -> impl IntoView {
    let t = use_tr();
    let add = ServerAction::<AddToMallCart>::new();
    view! {
        <ErrorBox error=Signal::derive(move || add.value().get().and_then(|r| r.err())) />
        <ActionForm action=add attr:class="add-to-cart">
            <input type="hidden" name="sku" value=sku />
            <button type="submit" class="button button-primary button-block" data-testid="add-to-cart">{t.mo_add_to_cart}</button>
        </ActionForm>
    }
}

/// `/mall/cart`: the cart by shop, each line's price as it stands now and what changed.
#[component]
pub fn MallCartPage() -> impl IntoView {
    let t = use_tr();
    let cart = Resource::new(|| (), |_| get_mall_cart());
    let line = ServerAction::<SetMallCartLine>::new();
    view! {
        <Title text=t.mo_cart_title />
        <TopBar title=t.mo_cart_title />
        <main class="page mall-orders cart-page">
            <ErrorBox error=Signal::derive(move || line.value().get().and_then(|r| r.err())) />
            <Suspense>
                {move || cart.get().map(|r| match r {
                    Err(e @ AppError::Unauthenticated) => unless_signed_in(e, "/mall/cart"),
                    Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                    Ok(c) => view! { <Cart c line /> }.into_any(),
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn Cart(c: MallCart, line: ServerAction<SetMallCartLine>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    if c.shops.is_empty() {
        return view! {
            <section class="panel panel-center" data-testid="cart-empty">
                <p>{t.mo_cart_empty}</p>
                <a class="button button-primary" href="/mall">{t.mo_go_shopping}</a>
            </section>
        }
        .into_any();
    }
    view! {
        {c.member_prices.then(|| view! { <p class="notice notice-ok small">{t.mo_member_prices_on}</p> })}
        {c.has_problems.then(|| view! { <p class="notice notice-error" role="alert" data-testid="cart-blocked">{t.mo_cart_blocked}</p> })}
        {c.shops.into_iter().map(|s| view! {
            <section class="panel mo-shop" data-testid="cart-shop">
                <h2>{s.name.get(lang).to_string()}</h2>
                <ul class="cart-lines">
                    {s.lines.into_iter().map(|l| view! { <Line l line /> }).collect_view()}
                </ul>
                <ShopTiers tiers=s.tiers reached=s.tier spend_off=s.spend_off next=s.next_tier
                    everyday_total=s.everyday_total bundles=s.bundles />
                <p class="mo-subtotal">{t.mo_shop_total}" "<strong>{s.total.to_string()}</strong></p>
            </section>
        }).collect_view()}
        <StackingRules />
        <div class="action-bar">
            <span class="mo-total" data-testid="cart-total">{c.total.to_string()}</span>
            {if c.has_problems {
                view! { <span class="button button-primary" aria-disabled="true">{t.mo_checkout}</span> }.into_any()
            } else {
                view! { <a class="button button-primary" href="/mall/checkout" data-testid="go-checkout">{t.mo_checkout}</a> }.into_any()
            }}
        </div>
    }
    .into_any()
}

#[component]
fn Line(l: MallCartLine, line: ServerAction<SetMallCartLine>) -> impl IntoView {
    let t = use_tr();
    let problem = l.problem.map(|p| match p {
        CartLineProblem::NotSellable => t.mo_problem_not_sellable.to_string(),
        CartLineProblem::StockShort => fill(t.mo_problem_stock_short, &[("n", &l.stock.to_string())]),
        CartLineProblem::PriceChanged => fill(t.mo_problem_price_changed, &[("seen", &l.seen_price.to_string())]),
    });
    let name = l.title.clone();
    let sku = l.sku_id;
    let step = move |quantity: i64, label: &'static str, aria: String, testid: &'static str| {
        view! {
            <ActionForm action=line attr:class="inline-form">
                <input type="hidden" name="sku" value=sku />
                <input type="hidden" name="quantity" value=quantity />
                <button type="submit" class="qty-button" aria-label=aria data-testid=testid>{label}</button>
            </ActionForm>
        }
    };
    let fits = l.stock.clamp(1, 99);
    let less = if l.quantity > 1 {
        step(l.quantity - 1, "−", fill(t.mo_less, &[("item", &name)]), "line-less").into_any()
    } else {
        step(0, "×", fill(t.mo_remove, &[("item", &name)]), "line-remove").into_any()
    };
    let more = (l.quantity < fits && l.problem.is_none())
        .then(|| step(l.quantity + 1, "+", fill(t.mo_more, &[("item", &name)]), "line-more"));
    // A short line can be set to what is left in one press.
    let fix = (l.problem == Some(CartLineProblem::StockShort) && l.stock > 0)
        .then(|| step(l.stock, "✓", fill(t.mo_less, &[("item", &name)]), "line-fit"));
    // A repriced line is accepted at the new price by setting its quantity again.
    let accept = (l.problem == Some(CartLineProblem::PriceChanged))
        .then(|| step(l.quantity, "✓", fill(t.mo_more, &[("item", &name)]), "line-accept"));
    view! {
        <li class=if l.problem.is_some() { "cart-line cart-line-problem" } else { "cart-line" } data-testid="cart-line">
            {l.thumb.clone().map(|src| view! { <img class="mo-thumb" src=src alt="" width="56" height="56" loading="lazy" /> })}
            <div class="cart-line-main">
                <a href=format!("/mall/p/{}", l.product_id)><strong>{name.clone()}</strong></a>
                {(!l.spec.is_empty()).then(|| view! { <span class="muted small">{l.spec.clone()}</span> })}
                <span class="small">{l.unit_price.to_string()}
                    {(l.unit_price != l.list_price).then(|| view! { " "<s class="muted">{fill(t.mo_list_price, &[("price", &l.list_price.to_string())])}</s> })}
                </span>
                {l.problem.is_none().then(|| view! { <LineExplain price=l.price.clone() /> })}
                {problem.map(|p| view! { <span class="badge" data-testid="line-problem">{p}</span> })}
            </div>
            <div class="cart-line-side">
                <span class="cart-line-total">{l.line_total.to_string()}</span>
                <div class="qty">
                    {less}
                    <span class="qty-n" data-testid="line-quantity">{l.quantity}</span>
                    {more}{fix}{accept}
                </div>
            </div>
        </li>
    }
}
