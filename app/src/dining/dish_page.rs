use super::menu_path;
use crate::components::{ErrorBox, LangSwitch, TopBar};
use crate::i18n::{fill, use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use plaza_types::dto::{DishOptionGroup, DishView};
use plaza_types::AppError;
use std::collections::BTreeMap;

/// One dish of a restaurant's menu at a table (anyone may look).
#[server(endpoint = "dining/dish")]
pub async fn get_dish(code: String, shop: String, dish: i64) -> Result<DishView, AppError> {
    use crate::server::{app, caller, user_error};
    use plaza_core::auth::Principal;
    let viewer = match caller().await? {
        Some(Principal::Member(m)) => Some(m),
        _ => None,
    };
    let ctx = app()?;
    plaza_core::dining::menu::dish(&ctx.db, &code, &shop, dish, viewer, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)
}

/// `back` with `added=1` in its query (before any `#fragment`).
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
fn with_added(back: &str) -> String {
    let (path, fragment) = back.split_once('#').map_or((back, None), |(p, f)| (p, Some(f)));
    let joiner = if path.contains('?') { '&' } else { '?' };
    match fragment {
        Some(f) => format!("{path}{joiner}added=1#{f}"),
        None => format!("{path}{joiner}added=1"),
    }
}

/// Puts a dish with its chosen options into the shopper's cart at this restaurant. `options`
/// holds the chosen options' ids (one field per single-choice group, one per ticked add-on); the
/// server checks them against the dish and prices them itself.
#[server(endpoint = "dining/cart/add")]
pub async fn add_to_cart(
    code: String,
    shop: String,
    dish: i64,
    quantity: Option<String>,
    remark: Option<String>,
    options: Option<BTreeMap<String, String>>,
    back: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::{encode_component, safe_next};
    use crate::server::{app, require_member, user_error};
    use plaza_types::error::Field;
    let fallback = menu_path(&code, &shop);
    let back = safe_next(back.as_deref().unwrap_or_default(), &fallback);
    let member = match require_member().await {
        Ok(member) => member,
        Err(AppError::Unauthenticated) => {
            let next = format!("/t/{code}/{shop}/dish/{dish}");
            leptos_axum::redirect(&format!("/login?next={}", encode_component(&next)));
            return Err(AppError::Unauthenticated);
        }
        Err(e) => return Err(e),
    };
    let quantity = match quantity.as_deref().map(str::trim) {
        None | Some("") => 1,
        Some(q) => q.parse::<i64>().map_err(|_| AppError::invalid(Field::Quantity))?,
    };
    let options = options
        .unwrap_or_default()
        .into_values()
        .filter(|v| !v.is_empty())
        .map(|v| v.parse::<i64>().map_err(|_| AppError::invalid(Field::DishOptions)))
        .collect::<Result<Vec<_>, _>>()?;
    if options.len() > 64 {
        return Err(AppError::invalid(Field::DishOptions));
    }
    let add = plaza_core::dining::cart::AddDish {
        table_code: code,
        restaurant_code: shop,
        dish,
        options,
        quantity,
        remark: remark.unwrap_or_default(),
    };
    let ctx = app()?;
    plaza_core::dining::cart::add(&ctx.db, member, &add, plaza_core::Timestamp::now()).await.map_err(user_error)?;
    leptos_axum::redirect(&with_added(&back));
    Ok(())
}

/// `/t/<code>/<shop>/dish/<id>`: the dish's photo, description, ingredients, taste, price and
/// member price, its option groups and a remark, then "add to cart"; recommended pairings below.
#[component]
pub fn DishPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let params = use_params_map();
    let key = move || {
        params.with(|p| {
            (
                p.get("code").unwrap_or_default(),
                p.get("shop").unwrap_or_default(),
                p.get("dish").and_then(|d| d.parse::<i64>().ok()).unwrap_or(0),
            )
        })
    };
    let dish = Resource::new(key, |(code, shop, dish)| get_dish(code, shop, dish));
    let add = ServerAction::<AddToCart>::new();
    let title = move || dish.get().and_then(|r| r.ok()).map(|d| d.card.name.get(lang).to_string()).unwrap_or_default();
    view! {
        <Title text=t.dn_title />
        <Suspense>
            <TopBar title=Signal::derive(title)><LangSwitch /></TopBar>
        </Suspense>
        <main class="page dining-page dining-flow dish-page">
            <ErrorBox error=Signal::derive(move || add.value().get().and_then(|r| r.err())) />
            <Suspense>
                {move || dish.get().map(|r| {
                    let (code, shop, _) = key();
                    match r {
                        Err(e) => view! {
                            <ErrorBox error=Some(e) />
                            <a class="button button-block" href=menu_path(&code, &shop)>{t.dn_back_to_menu}</a>
                        }.into_any(),
                        Ok(d) => view! { <Dish d code shop add /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn Dish(d: DishView, code: String, shop: String, add: ServerAction<AddToCart>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let menu = menu_path(&code, &shop);
    let price = match (d.member_prices, d.card.member_price) {
        (true, Some(m)) => view! {
            <p class="dish-page-price"><strong>{m.to_string()}</strong>" "<s class="muted">{d.card.price.to_string()}</s>
                " "<span class="badge">{t.dn_member_price_applied}</span></p>
        }
        .into_any(),
        (false, Some(m)) => view! {
            <p class="dish-page-price"><strong>{d.card.price.to_string()}</strong>" "
                <span class="dish-member">{fill(t.dn_member_price, &[("price", &m.to_string())])}</span></p>
        }
        .into_any(),
        (_, None) => view! { <p class="dish-page-price"><strong>{d.card.price.to_string()}</strong></p> }.into_any(),
    };
    let facts = [(t.dn_ingredients, d.ingredients.get(lang).to_string()), (t.dn_taste, d.taste.get(lang).to_string())]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> })
        .collect_view();
    let orderable = !d.card.sold_out && d.serving;
    let window = d.window.map(|w| fill(t.dn_serving_window, &[("hours", &w.text())]));
    let pairings = d
        .pairings
        .iter()
        .map(|p| {
            let href = format!("/t/{code}/{shop}/dish/{}", p.id);
            view! { <li><a href=href>{p.name.get(lang).to_string()}" · "{p.price.to_string()}</a></li> }
        })
        .collect_view();
    let has_pairings = !d.pairings.is_empty();
    let back = menu.clone();
    let form = orderable.then(|| {
        let groups = d.groups.iter().map(|g| view! { <Group g=g.clone() /> }).collect_view();
        view! {
            <ActionForm action=add attr:class="stack dish-form">
                <input type="hidden" name="code" value=code.clone() />
                <input type="hidden" name="shop" value=shop.clone() />
                <input type="hidden" name="dish" value=d.card.id />
                <input type="hidden" name="back" value=back />
                {groups}
                <div class="panel">
                    <label class="field"><span>{t.dn_dish_remark}</span>
                        <input type="text" name="remark" maxlength="40" placeholder=t.dn_dish_remark_hint data-testid="dish-remark" /></label>
                    <label class="field"><span>{t.field_quantity}</span>
                        <input type="number" name="quantity" value="1" min="1" max="99" inputmode="numeric" data-testid="dish-quantity" /></label>
                </div>
                <div class="action-bar">
                    <button type="submit" class="button button-primary button-block" data-testid="add-to-cart">{t.dn_add_to_cart}</button>
                </div>
            </ActionForm>
        }
    });
    view! {
        <article class="dish-sheet" data-testid="dish-sheet">
            {d.photo.clone().map(|src| view! { <img class="dish-sheet-photo" src=src width="800" height="600" alt=d.card.name.get(lang).to_string() /> })}
            <div class="panel">
                <h2 class="dish-sheet-name">{d.card.name.get(lang).to_string()}</h2>
                {price}
                {(!d.card.description.get(lang).is_empty()).then(|| view! { <p>{d.card.description.get(lang).to_string()}</p> })}
                <dl class="facts dish-facts">{facts}</dl>
                {window.map(|w| view! { <p class="muted small">{d.category.get(lang).to_string()}" · "{w}</p> })}
                {d.card.sold_out.then(|| view! { <p class="notice notice-error" data-testid="dish-sold-out">{t.dn_sold_out_long}</p> })}
                {(!d.card.sold_out && !d.serving).then(|| view! { <p class="notice">{t.dn_not_now_long}</p> })}
            </div>
            {form}
            {has_pairings.then(|| view! {
                <section class="panel">
                    <h3>{t.dn_pairings}</h3>
                    <ul class="pairing-list">{pairings}</ul>
                </section>
            })}
            <a class="button button-block" href=menu>{t.dn_back_to_menu}</a>
        </article>
    }
}

/// One option group: radios for a single choice (the first preselected when required),
/// checkboxes for add-ons.
#[component]
fn Group(g: DishOptionGroup) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let rule = match (g.required(), g.single()) {
        (true, true) => t.dn_choose_one.to_string(),
        (false, true) => t.dn_choose_optional.to_string(),
        (true, false) => fill(t.dn_choose_between, &[("min", &g.min.to_string()), ("max", &g.max.to_string())]),
        (false, false) => fill(t.dn_choose_up_to, &[("max", &g.max.to_string())]),
    };
    let single = g.single();
    let required = g.required();
    let group_field = format!("options[g{}]", g.id);
    view! {
        <fieldset class="panel option-group" data-testid="option-group">
            <legend>{g.name.get(lang).to_string()}" "<small class="muted">{rule}</small></legend>
            {g.options.iter().enumerate().map(|(i, o)| {
                let name = if single { group_field.clone() } else { format!("options[o{}]", o.id) };
                let delta = (o.price_delta.0 > 0).then(|| format!("+{}", o.price_delta.short()));
                view! {
                    <label class="choice">
                        {if single {
                            view! { <input type="radio" name=name value=o.id checked=required && i == 0 required=required /> }.into_any()
                        } else {
                            view! { <input type="checkbox" name=name value=o.id /> }.into_any()
                        }}
                        <span class="choice-text">{o.name.get(lang).to_string()}</span>
                        {delta.map(|d| view! { <span class="choice-value">{d}</span> })}
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_added_flag_goes_before_the_fragment() {
        assert_eq!(super::with_added("/t/a/b#d3"), "/t/a/b?added=1#d3");
        assert_eq!(super::with_added("/t/a/b?x=1"), "/t/a/b?x=1&added=1");
    }
}
