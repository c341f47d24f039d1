use super::dish_page::AddToCart;
use super::menu_path;
use super::table_page::TableBanner;
use crate::components::{ErrorBox, LangSwitch, TopBar};
use crate::i18n::{fill, use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use plaza_types::dto::{DishCard, MenuView};
use plaza_types::AppError;

/// A restaurant's menu at a table, with the viewer's cart there (anyone may read the menu).
#[server(endpoint = "dining/menu")]
pub async fn get_menu(code: String, shop: String) -> Result<MenuView, AppError> {
    use crate::server::{app, caller, user_error};
    use plaza_core::auth::Principal;
    let viewer = match caller().await? {
        Some(Principal::Member(m)) => Some(m),
        _ => None,
    };
    let ctx = app()?;
    plaza_core::dining::menu::at_table(&ctx.db, &code, &shop, viewer, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)
}

/// `/t/<code>/<shop>`: the menu by category under a sticky category bar, photos loaded lazily,
/// dishes without options added with one tap, the cart's count and total at the bottom.
#[component]
pub fn MenuPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || params.with(|p| (p.get("code").unwrap_or_default(), p.get("shop").unwrap_or_default()));
    let menu = Resource::new(key, |(code, shop)| get_menu(code, shop));
    let add = ServerAction::<AddToCart>::new();
    let added = move || query.with(|q| q.get("added").is_some());
    let title = move || {
        menu.get()
            .and_then(|r| r.ok())
            .map(|m| m.restaurant.name.get(lang).to_string())
            .unwrap_or_else(|| t.dn_title.to_string())
    };
    view! {
        <Title text=t.dn_title />
        <Suspense>
            <TopBar title=Signal::derive(title)><LangSwitch /></TopBar>
        </Suspense>
        <main class="page dining-page dining-flow menu-page">
            <ErrorBox error=Signal::derive(move || add.value().get().and_then(|r| r.err())) />
            {move || added().then(|| view! { <p class="notice notice-ok" role="status" data-testid="added">{t.dn_added}</p> })}
            <Suspense>
                {move || menu.get().map(|r| match r {
                    Err(AppError::NotFound) => view! {
                        <p class="notice notice-error" role="alert" data-testid="table-unknown">{t.dn_table_unknown}</p>
                    }.into_any(),
                    Err(AppError::NotUsable) => view! {
                        <p class="notice notice-error" role="alert" data-testid="table-revoked">{t.dn_table_revoked}</p>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                    Ok(menu) => view! { <Menu menu add /> }.into_any(),
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn Menu(menu: MenuView, add: ServerAction<AddToCart>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let code = menu.table.code.clone();
    let shop = menu.restaurant.code.clone();
    let here = menu_path(&code, &shop);
    let cart = format!("{here}/cart");
    let other_restaurants = (menu.table.restaurants.len() > 1).then(|| format!("/t/{code}"));
    let member_prices = menu.member_prices;
    view! {
        <div class="menu-head">
            <TableBanner table=menu.table.clone() />
            {other_restaurants.map(|href| view! { <a class="small" href=href data-testid="other-restaurants">{t.dn_other_restaurants}</a> })}
        </div>
        {(!menu.restaurant.open).then(|| view! { <p class="notice notice-error" role="alert">{t.dn_restaurant_closed}</p> })}
        {member_prices.then(|| view! { <p class="notice notice-ok small" data-testid="member-prices">{t.dn_member_prices_on}</p> })}
        {menu.categories.is_empty().then(|| view! { <p class="muted">{t.dn_menu_empty}</p> })}
        <nav class="menu-cats" aria-label=t.dn_categories>
            {menu.categories.iter().map(|c| view! {
                <a href=format!("#c{}", c.id)>{c.name.get(lang).to_string()}</a>
            }).collect_view()}
        </nav>
        {menu.categories.iter().map(|c| {
            let window = c.window.map(|w| fill(t.dn_serving_window, &[("hours", &w.text())]));
            let serving = c.serving;
            view! {
                <section class="menu-section" id=format!("c{}", c.id)>
                    <h2>{c.name.get(lang).to_string()}
                        {window.map(|w| view! { <small class=if serving { "muted" } else { "menu-not-now" }>{w}</small> })}
                    </h2>
                    <ul class="dish-list">
                        {c.dishes.iter().map(|d| view! {
                            <DishRow dish=d.clone() code=code.clone() shop=shop.clone() serving member_prices add />
                        }).collect_view()}
                    </ul>
                </section>
            }
        }).collect_view()}
        <div class="cart-bar-space"></div>
        <a class="cart-bar" href=cart data-testid="cart-bar">
            <span class="cart-bar-count" data-testid="cart-count">{menu.cart_count}</span>
            <span class="cart-bar-total">{if menu.cart_count > 0 { menu.cart_total.to_string() } else { t.dn_cart_empty.to_string() }}</span>
            <span class="cart-bar-go">{t.dn_to_cart}</span>
        </a>
    }
}

#[component]
fn DishRow(
    dish: DishCard,
    code: String,
    shop: String,
    serving: bool,
    member_prices: bool,
    add: ServerAction<AddToCart>,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let href = format!("/t/{code}/{shop}/dish/{}", dish.id);
    let back = format!("{}#d{}", menu_path(&code, &shop), dish.id);
    let name = dish.name.get(lang).to_string();
    let price = match (member_prices, dish.member_price) {
        (true, Some(m)) => view! {
            <span class="dish-price">{m.to_string()}</span>
            <s class="dish-was muted">{dish.price.to_string()}</s>
        }
        .into_any(),
        (false, Some(m)) => view! {
            <span class="dish-price">{dish.price.to_string()}</span>
            <span class="dish-member">{fill(t.dn_member_price, &[("price", &m.to_string())])}</span>
        }
        .into_any(),
        (_, None) => view! { <span class="dish-price">{dish.price.to_string()}</span> }.into_any(),
    };
    let add_label = fill(t.dn_add_one, &[("dish", &name)]);
    let action = if dish.sold_out {
        view! { <span class="badge badge-muted" data-testid="sold-out">{t.dn_sold_out}</span> }.into_any()
    } else if !serving {
        view! { <span class="badge badge-muted">{t.dn_not_now}</span> }.into_any()
    } else if dish.has_options {
        view! { <a class="button button-small" href=href.clone() data-testid="choose-options">{t.dn_choose}</a> }
            .into_any()
    } else {
        view! {
            <ActionForm action=add attr:class="inline-form">
                <input type="hidden" name="code" value=code.clone() />
                <input type="hidden" name="shop" value=shop.clone() />
                <input type="hidden" name="dish" value=dish.id />
                <input type="hidden" name="quantity" value="1" />
                <input type="hidden" name="back" value=back />
                <button type="submit" class="dish-add" aria-label=add_label data-testid="quick-add">"+"</button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <li class=if dish.sold_out { "dish-row dish-sold-out" } else { "dish-row" } id=format!("d{}", dish.id)
            data-testid="dish-row" data-dish=dish.id>
            <a class="dish-photo" href=href.clone() tabindex="-1" aria-hidden="true">
                {match dish.thumb.clone() {
                    Some(src) => view! { <img src=src loading="lazy" decoding="async" width="88" height="88" alt="" /> }.into_any(),
                    None => view! { <span class="dish-photo-none" aria-hidden="true">{name.chars().next().map(String::from).unwrap_or_default()}</span> }.into_any(),
                }}
            </a>
            <div class="dish-main">
                <a class="dish-name" href=href>{name.clone()}</a>
                <span class="dish-desc muted">{dish.description.get(lang).to_string()}</span>
                <div class="dish-foot">
                    <span class="dish-prices">{price}</span>
                    {action}
                </div>
            </div>
        </li>
    }
}
