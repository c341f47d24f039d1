use super::menu_path;
use super::pay_form::{DiningPayForm, PayChoices, TenderOffer};
use super::table_page::TableBanner;
use crate::components::{read_error, unless_signed_in, ErrorBox, TopBar};
use crate::i18n::{fill, use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use plaza_types::dto::{DiningCart, DiningCartLine, DiningCheckout, DishProblem};
use plaza_types::AppError;

/// The shopper's cart at this restaurant and what they may pay it with.
#[server(endpoint = "dining/checkout")]
pub async fn get_checkout(code: String, shop: String) -> Result<DiningCheckout, AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    let ctx = app()?;
    let tz = plaza_core::mall::timezone(&ctx.db).await.map_err(user_error)?;
    let now = plaza_core::Timestamp::now();
    plaza_core::dining::checkout::options(&ctx.db, member, &shop, Some(&code), now, &tz).await.map_err(user_error)
}

/// Changes a line's quantity in the shopper's own cart (0 removes it).
#[server(endpoint = "dining/cart/line")]
pub async fn set_cart_line(code: String, shop: String, line: i64, quantity: i64) -> Result<(), AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    let ctx = app()?;
    plaza_core::dining::cart::set_quantity(&ctx.db, member, line, quantity).await.map_err(user_error)?;
    leptos_axum::redirect(&format!("{}/cart", menu_path(&code, &shop)));
    Ok(())
}

/// Places the cart as an order with the tenders chosen and starts paying: the browser goes on to
/// the provider's page, or (nothing left to pay) to the order. A refusal returns to the cart with
/// the reason and the cart as it was.
#[server(endpoint = "dining/order/place")]
#[allow(clippy::too_many_arguments)]
pub async fn place_order(
    code: String,
    shop: String,
    remark: Option<String>,
    coupon: Option<String>,
    points: Option<String>,
    sv: Option<String>,
    expected_total: Option<String>,
    expected_to_pay: Option<String>,
    request_key: String,
) -> Result<String, AppError> {
    use crate::auth::encode_component;
    use crate::components::error_param;
    use crate::server::{app, require_member, user_error};
    use plaza_core::dining::{cart, checkout};
    use plaza_core::payments::Choice;
    use plaza_types::error::Field;
    let cart_page = format!("{}/cart", menu_path(&code, &shop));
    let member = match require_member().await {
        Ok(member) => member,
        Err(AppError::Unauthenticated) => {
            leptos_axum::redirect(&format!("/login?next={}", encode_component(&cart_page)));
            return Err(AppError::Unauthenticated);
        }
        Err(e) => return Err(e),
    };
    let fen = |v: Option<String>| v.and_then(|v| v.trim().parse::<i64>().ok()).map(plaza_types::Fen);
    let attempt = async {
        let ctx = app()?;
        let now = plaza_core::Timestamp::now();
        if let Some(remark) = remark.as_deref() {
            cart::set_remark(&ctx.db, member, &shop, remark, now).await.map_err(user_error)?;
        }
        let coupon = match coupon.as_deref().filter(|c| !c.is_empty()) {
            Some(id) => Some(id.parse::<i64>().map_err(|_| AppError::invalid(Field::Coupon))?),
            None => None,
        };
        let order = checkout::PlaceOrder {
            table_code: code.clone(),
            restaurant_code: shop.clone(),
            choice: Choice { coupon, use_points: points.is_some(), use_stored_value: sv.is_some() },
            expected_total: fen(expected_total),
            expected_to_pay: fen(expected_to_pay),
            request_key: request_key.chars().take(64).collect(),
        };
        let provider = ctx.payments.provider.clone();
        checkout::place(&ctx.db, provider.as_ref(), member, &order, now).await.map_err(user_error)
    };
    match attempt.await {
        Ok(created) => {
            let next = created.pay_url.clone().unwrap_or_else(|| format!("/dining/order/{}", created.payment_no));
            leptos_axum::redirect(&next);
            Ok(created.payment_no.to_string())
        }
        Err(error) => {
            leptos_axum::redirect(&format!("{cart_page}?{}", error_param(&error)));
            Err(error)
        }
    }
}

/// `/t/<code>/<shop>/cart`: the cart (quantities, remarks, what cannot be ordered now and why),
/// the order's remark, the tenders and the pay button.
#[component]
pub fn CartPage() -> impl IntoView {
    let t = use_tr();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || params.with(|p| (p.get("code").unwrap_or_default(), p.get("shop").unwrap_or_default()));
    let checkout = Resource::new(key, |(code, shop)| get_checkout(code, shop));
    let line = ServerAction::<SetCartLine>::new();
    let refused = move || read_error(query.with(|q| q.get("error")));
    view! {
        <Title text=t.dn_cart_title />
        <TopBar title=t.dn_cart_title />
        <main class="page dining-page dining-flow cart-page">
            <ErrorBox error=Signal::derive(refused) />
            <ErrorBox error=Signal::derive(move || line.value().get().and_then(|r| r.err())) />
            <Suspense>
                {move || checkout.get().map(|r| {
                    let (code, shop) = key();
                    match r {
                        Err(e @ AppError::Unauthenticated) => unless_signed_in(e, &format!("{}/cart", menu_path(&code, &shop))),
                        Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                        Ok(c) => {
                            let choices = query.with(|q| PayChoices::from_query(
                                q.get("chosen").is_some(), q.get("coupon"), q.get("points").is_some(), q.get("sv").is_some(), &c));
                            // A remark typed before "update" (without JavaScript) comes back in the query.
                            let remark = query.with(|q| q.get("remark"));
                            view! { <Cart c code shop line choices remark /> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn Cart(
    c: DiningCheckout,
    code: String,
    shop: String,
    line: ServerAction<SetCartLine>,
    choices: PayChoices,
    remark: Option<String>,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let menu = menu_path(&code, &shop);
    let cart: DiningCart = c.cart.clone();
    if cart.lines.is_empty() {
        return view! {
            <section class="panel panel-center" data-testid="cart-empty">
                <p>{t.dn_cart_is_empty}</p>
                <a class="button button-primary" href=menu>{t.dn_back_to_menu}</a>
            </section>
        }
        .into_any();
    }
    let offer = TenderOffer {
        code: code.clone(),
        shop: shop.clone(),
        total: cart.total,
        remark: remark.unwrap_or_else(|| cart.remark.clone()),
        blocked: cart.blocked,
        coupons: c.coupons.clone(),
        points_available: c.points_available,
        points_per_yuan: c.points_per_yuan,
        max_points_pct: c.max_points_pct,
        stored_value: c.stored_value,
        request_key: c.request_key.clone(),
    };
    view! {
        {cart.table.clone().map(|table| view! { <TableBanner table /> })}
        <p class="muted">{cart.restaurant.name.get(lang).to_string()}</p>
        {cart.member_prices.then(|| view! { <p class="notice notice-ok small">{t.dn_member_prices_on}</p> })}
        {cart.blocked.then(|| view! { <p class="notice notice-error" role="alert" data-testid="cart-blocked">{t.dn_cart_blocked}</p> })}
        <ul class="panel cart-lines" data-testid="cart-lines">
            {cart.lines.into_iter().map(|l| view! { <CartLineRow l code=code.clone() shop=shop.clone() line /> }).collect_view()}
        </ul>
        <a class="button-link" href=menu>{t.dn_add_more}</a>
        <DiningPayForm offer choices />
    }
    .into_any()
}

/// One line of the cart: the dish, its options and remark, why it cannot be ordered (if so), and
/// the −/+ forms (or "remove" for a line that cannot be ordered).
#[component]
fn CartLineRow(l: DiningCartLine, code: String, shop: String, line: ServerAction<SetCartLine>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let options = l.options.iter().map(|o| o.get(lang).to_string()).collect::<Vec<_>>().join(" · ");
    let problem = l.problem.map(|p| match p {
        DishProblem::SoldOut => t.dn_sold_out,
        DishProblem::NotNow => t.dn_not_now,
        DishProblem::Changed => t.dn_changed,
    });
    let name = l.name.get(lang).to_string();
    let step = move |quantity: i64, label: &'static str, aria: String, testid: &'static str| {
        let (code, shop) = (code.clone(), shop.clone());
        view! {
            <ActionForm action=line attr:class="inline-form">
                <input type="hidden" name="code" value=code />
                <input type="hidden" name="shop" value=shop />
                <input type="hidden" name="line" value=l.id />
                <input type="hidden" name="quantity" value=quantity />
                <button type="submit" class="qty-button" aria-label=aria data-testid=testid>{label}</button>
            </ActionForm>
        }
    };
    let controls = if problem.is_some() {
        step(0, "×", fill(t.dn_remove, &[("dish", &name)]), "line-remove").into_any()
    } else {
        let less = step(l.quantity - 1, "−", fill(t.dn_less, &[("dish", &name)]), "line-less");
        let more =
            (l.quantity < 99).then(|| step(l.quantity + 1, "+", fill(t.dn_more, &[("dish", &name)]), "line-more"));
        view! {
            {less}
            <span class="qty-n" data-testid="line-quantity">{l.quantity}</span>
            {more}
        }
        .into_any()
    };
    view! {
        <li class=if problem.is_some() { "cart-line cart-line-problem" } else { "cart-line" } data-testid="cart-line"
            data-problem=l.problem.map(|p| format!("{p:?}").to_lowercase())>
            <div class="cart-line-main">
                <strong>{name.clone()}</strong>
                {(!options.is_empty()).then(|| view! { <span class="muted small">{options}</span> })}
                {(!l.remark.is_empty()).then(|| view! { <span class="small">{t.field_remark}"："{l.remark.clone()}</span> })}
                {problem.map(|p| view! { <span class="badge" data-testid="line-problem">{p}</span> })}
            </div>
            <div class="cart-line-side">
                <span class="cart-line-total">{l.total.to_string()}</span>
                <div class="qty">{controls}</div>
            </div>
        </li>
    }
}
