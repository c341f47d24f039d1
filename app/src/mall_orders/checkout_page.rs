use crate::components::{read_error, unless_signed_in, ErrorBox, TopBar};
use crate::i18n::{fill, use_lang, use_tr};
use crate::mall_promotions::{LineExplain, ShopTiers, StackingRules};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::{MallCartShop, MallCheckout};
use plaza_types::tender::{split, Split, TenderInputs};
use plaza_types::{AppError, Fen};
use std::collections::BTreeMap;

/// The checkout page: the cart by shop, the address book and the tenders on offer.
#[server(endpoint = "mall/checkout")]
pub async fn get_mall_checkout() -> Result<MallCheckout, AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    let ctx = app()?;
    let tz = plaza_core::mall::timezone(&ctx.db).await.map_err(user_error)?;
    plaza_core::mall_orders::checkout::options(&ctx.db, member, plaza_core::Timestamp::now(), &tz)
        .await
        .map_err(user_error)
}

/// Adds an address to the shopper's own address book and returns to checkout.
#[server(endpoint = "mall/address/add")]
pub async fn add_mall_address(name: String, phone: String, address: String) -> Result<(), AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    let ctx = app()?;
    plaza_core::mall_orders::addresses::add(&ctx.db, member, &name, &phone, &address, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/mall/checkout");
    Ok(())
}

/// Places the cart as one order per shop and starts their one payment: the browser goes on to
/// the provider's page, or (nothing left to pay) to the orders. `fulfil[<shop>]` is `pickup` or
/// `delivery:<address id>`. A refusal returns to checkout with the reason; nothing was taken.
#[server(endpoint = "mall/order/place")]
#[allow(clippy::too_many_arguments)]
pub async fn place_mall_order(
    fulfil: Option<BTreeMap<String, String>>,
    coupon: Option<String>,
    points: Option<String>,
    sv: Option<String>,
    expected_total: Option<String>,
    expected_to_pay: Option<String>,
    request_key: String,
) -> Result<String, AppError> {
    use crate::components::error_param;
    use crate::server::{app, require_member, user_error};
    use plaza_core::mall_orders::checkout::{self, PlaceMallOrder, ShopChoice};
    use plaza_core::payments::Choice;
    use plaza_types::dto::MallFulfilment;
    use plaza_types::error::Field;
    use plaza_types::TenantId;
    let member = require_member().await?;
    let fen = |v: Option<String>| v.and_then(|v| v.trim().parse::<i64>().ok()).map(Fen);
    let attempt = async {
        let ctx = app()?;
        let mut shops = Vec::new();
        for (tenant, choice) in fulfil.unwrap_or_default() {
            let tenant: i64 = tenant.parse().map_err(|_| AppError::invalid(Field::Tenant))?;
            let (fulfilment, address) = match choice.split_once(':') {
                None if choice == "pickup" => (MallFulfilment::Pickup, None),
                Some(("delivery", id)) => {
                    (MallFulfilment::Delivery, Some(id.parse::<i64>().map_err(|_| AppError::invalid(Field::Phone))?))
                }
                _ => return Err(AppError::invalid(Field::Phone)),
            };
            shops.push(ShopChoice { tenant: TenantId(tenant), fulfilment, address });
        }
        let coupon = match coupon.as_deref().filter(|c| !c.is_empty()) {
            Some(id) => Some(id.parse::<i64>().map_err(|_| AppError::invalid(Field::Coupon))?),
            None => None,
        };
        let order = PlaceMallOrder {
            choice: Choice { coupon, use_points: points.is_some(), use_stored_value: sv.is_some() },
            shops,
            expected_total: fen(expected_total),
            expected_to_pay: fen(expected_to_pay),
            request_key: request_key.chars().take(64).collect(),
        };
        let provider = ctx.payments.provider.clone();
        checkout::place(&ctx.db, provider.as_ref(), member, &order, plaza_core::Timestamp::now())
            .await
            .map_err(user_error)
    };
    match attempt.await {
        Ok(created) => {
            let next = created.pay_url.clone().unwrap_or_else(|| "/mall/orders".to_string());
            leptos_axum::redirect(&next);
            Ok(created.payment_no.to_string())
        }
        Err(error) => {
            leptos_axum::redirect(&format!("/mall/checkout?{}", error_param(&error)));
            Err(error)
        }
    }
}

/// The shopper's choices, from the page's query (an "update" without JavaScript) or the best
/// offer: the largest coupon, points and stored value, every shop picked up.
#[derive(Clone, Debug, Default)]
struct Chosen {
    coupon: Option<String>,
    points: bool,
    sv: bool,
    fulfil: BTreeMap<i64, String>,
}

impl Chosen {
    fn read(q: &leptos_router::params::ParamsMap, c: &MallCheckout) -> Chosen {
        let fulfil = c
            .cart
            .shops
            .iter()
            .filter_map(|s| q.get(&format!("fulfil[{}]", s.tenant_id)).map(|v| (s.tenant_id, v)))
            .collect();
        if q.get("chosen").is_some() {
            let coupon = q.get("coupon").filter(|id| c.coupons.iter().any(|u| u.id.to_string() == *id));
            Chosen { coupon, points: q.get("points").is_some(), sv: q.get("sv").is_some(), fulfil }
        } else {
            Chosen {
                coupon: c.coupons.first().map(|u| u.id.to_string()),
                points: c.points_available > 0,
                sv: c.stored_value.0 > 0,
                fulfil,
            }
        }
    }

    fn breakdown(&self, c: &MallCheckout) -> Split {
        let discount = self
            .coupon
            .as_ref()
            .and_then(|id| c.coupons.iter().find(|u| u.id.to_string() == *id))
            .map_or(Fen::ZERO, |u| u.discount);
        split(TenderInputs {
            amount: c.cart.total,
            coupon_discount: discount,
            points_available: c.points_available,
            use_points: self.points,
            points_per_yuan: c.points_per_yuan,
            max_points_pct: c.max_points_pct,
            stored_value: c.stored_value,
            use_stored_value: self.sv,
        })
    }
}

/// `/mall/checkout`: one order per shop (pickup or delivery each), the tenders, the breakdown and
/// the pay button; all plain forms.
#[component]
pub fn MallCheckoutPage() -> impl IntoView {
    let t = use_tr();
    let query = use_query_map();
    let checkout = Resource::new(|| (), |_| get_mall_checkout());
    let address = ServerAction::<AddMallAddress>::new();
    let refused = move || read_error(query.with(|q| q.get("error")));
    view! {
        <Title text=t.mo_checkout_title />
        <TopBar title=t.mo_checkout_title />
        <main class="page mall-orders checkout-page">
            <ErrorBox error=Signal::derive(refused) />
            <ErrorBox error=Signal::derive(move || address.value().get().and_then(|r| r.err())) />
            <Suspense>
                {move || checkout.get().map(|r| match r {
                    Err(e @ AppError::Unauthenticated) => unless_signed_in(e, "/mall/checkout"),
                    Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                    Ok(c) if c.cart.shops.is_empty() || c.cart.has_problems => view! {
                        <leptos_router::components::Redirect path="/mall/cart" />
                    }.into_any(),
                    Ok(c) => {
                        let chosen = query.with(|q| Chosen::read(q, &c));
                        view! { <Checkout c chosen address /> }.into_any()
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn Checkout(c: MallCheckout, chosen: Chosen, address: ServerAction<AddMallAddress>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let b = chosen.breakdown(&c);
    let n = c.cart.shops.len().to_string();
    let saving = Fen(c.cart.list_total.0 - c.cart.total.0);
    let pay_label = if b.external.0 == 0 {
        fill(t.mo_pay_internal, &[("amount", &c.cart.total.to_string())])
    } else {
        fill(t.mo_pay, &[("amount", &b.external.to_string())])
    };
    let points_note = fill(
        t.pay_points_note,
        &[
            ("n", &c.points_available.to_string()),
            ("rate", &c.points_per_yuan.to_string()),
            ("pct", &c.max_points_pct.to_string()),
        ],
    );
    let sv_note = fill(t.pay_sv_note, &[("amount", &c.stored_value.to_string())]);
    let shops = c.cart.shops.clone();
    let addresses = c.addresses.clone();
    view! {
        {(shops.len() > 1).then(|| view! { <p class="notice small">{fill(t.mo_one_payment, &[("n", &n)])}</p> })}
        <form method="post" action="/api/mall/order/place" class="stack pay-form" data-testid="checkout-form">
            <input type="hidden" name="request_key" value=c.request_key.clone() />
            <input type="hidden" name="expected_total" value=c.cart.total.0.to_string() />
            <input type="hidden" name="expected_to_pay" value=b.external.0.to_string() />
            {shops.into_iter().map(|s| {
                let current = chosen.fulfil.get(&s.tenant_id).cloned().unwrap_or_else(|| "pickup".into());
                view! { <ShopOrder s current addresses=addresses.clone() /> }
            }).collect_view()}
            <section class="panel">
                <h2>{t.pay_coupons}</h2>
                {if c.coupons.is_empty() {
                    view! { <p class="muted small">{t.pay_no_coupons}</p> }.into_any()
                } else {
                    view! {
                        {c.coupons.iter().map(|u| {
                            let id = u.id.to_string();
                            view! {
                                <label class="choice" data-testid="coupon-choice">
                                    <input type="radio" name="coupon" value=id.clone() checked=chosen.coupon.as_deref() == Some(id.as_str()) />
                                    <span class="choice-text">{u.name.get(lang).to_string()}</span>
                                    <span class="choice-value">"-"{u.discount.to_string()}</span>
                                </label>
                            }
                        }).collect_view()}
                        <label class="choice">
                            <input type="radio" name="coupon" value="" checked=chosen.coupon.is_none() />
                            <span class="choice-text">{t.pay_no_coupon}</span>
                        </label>
                    }.into_any()
                }}
            </section>
            <section class="panel">
                <label class="choice">
                    <input type="checkbox" name="points" data-testid="use-points" disabled=c.points_available == 0 checked=chosen.points />
                    <span class="choice-text">{t.pay_use_points}<small class="muted">{points_note}</small></span>
                    <span class="choice-value">"-"{b.points_value.to_string()}</span>
                </label>
                <label class="choice">
                    <input type="checkbox" name="sv" data-testid="use-sv" disabled=c.stored_value.0 == 0 checked=chosen.sv />
                    <span class="choice-text">{t.pay_use_sv}<small class="muted">{sv_note}</small></span>
                    <span class="choice-value">"-"{b.stored_value.to_string()}</span>
                </label>
            </section>
            <section class="panel breakdown">
                <dl class="facts">
                    <div><dt>{t.mo_goods_total}</dt><dd>{c.cart.list_total.to_string()}</dd></div>
                    {(saving.0 > 0).then(|| view! { <div><dt>{t.pr_saving}</dt><dd>"-"{saving.to_string()}</dd></div> })}
                    <div><dt>{t.pay_coupon_off}</dt><dd>"-"{b.coupon.to_string()}</dd></div>
                    <div><dt>{fill(t.pay_points_off, &[("n", &b.points_used.to_string())])}</dt><dd>"-"{b.points_value.to_string()}</dd></div>
                    <div><dt>{t.pay_sv_off}</dt><dd>"-"{b.stored_value.to_string()}</dd></div>
                    <div class="total"><dt>{t.pay_to_pay}</dt><dd data-testid="bd-to-pay">{b.external.to_string()}</dd></div>
                </dl>
                <button type="submit" class="button button-block" formmethod="get" formaction="/mall/checkout" name="chosen" value="1" data-testid="update-breakdown">
                    {t.pay_update}
                </button>
            </section>
            <StackingRules />
            <div class="action-bar">
                <button type="submit" class="button button-primary button-block" data-testid="place-order">{pay_label}</button>
            </div>
        </form>
        <details class="panel" data-testid="add-address">
            <summary>{t.mo_add_address}</summary>
            <ActionForm action=address attr:class="stack">
                <label class="field"><span>{t.mo_address_name}</span><input type="text" name="name" maxlength="30" required /></label>
                <label class="field"><span>{t.mo_address_phone}</span><input type="tel" name="phone" maxlength="20" required /></label>
                <label class="field"><span>{t.mo_address_text}</span><input type="text" name="address" maxlength="200" required /></label>
                <button type="submit" class="button">{t.mo_save_address}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn ShopOrder(s: MallCartShop, current: String, addresses: Vec<plaza_types::dto::MallAddress>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let field = format!("fulfil[{}]", s.tenant_id);
    view! {
        <section class="panel mo-shop" data-testid="checkout-shop">
            <h2>{s.name.get(lang).to_string()}</h2>
            <ul class="mo-lines">
                {s.lines.iter().map(|l| view! {
                    <li>
                        <span>{l.title.clone()}{(!l.spec.is_empty()).then(|| format!(" · {}", l.spec))}" × "{l.quantity}
                            " "<LineExplain price=l.price.clone() /></span>
                        <span>{l.line_total.to_string()}
                            {(l.unit_price != l.list_price).then(|| view! { " "<s class="muted small">{Fen(l.list_price.0 * l.quantity).to_string()}</s> })}
                        </span>
                    </li>
                }).collect_view()}
            </ul>
            <ShopTiers tiers=s.tiers.clone() reached=s.tier spend_off=s.spend_off next=s.next_tier
                everyday_total=s.everyday_total bundles=s.bundles.clone() />
            <fieldset class="stack">
                <legend>{t.mo_fulfilment}</legend>
                <label class="choice">
                    <input type="radio" name=field.clone() value="pickup" checked=current == "pickup" data-testid="fulfil-pickup" />
                    <span class="choice-text">{fill(t.mo_pickup_at, &[("unit", &s.pickup_unit)])}</span>
                </label>
                {if s.delivers {
                    addresses.into_iter().map(|a| {
                        let value = format!("delivery:{}", a.id);
                        view! {
                            <label class="choice">
                                <input type="radio" name=field.clone() value=value.clone() checked=current == value data-testid="fulfil-delivery" />
                                <span class="choice-text">{fill(t.mo_delivery_to, &[("name", &a.name), ("phone", &a.phone), ("address", &a.address)])}</span>
                            </label>
                        }
                    }).collect_view().into_any()
                } else {
                    view! { <p class="muted small">{t.mo_no_delivery}</p> }.into_any()
                }}
            </fieldset>
            <p class="mo-subtotal">{t.mo_shop_total}" "<strong>{s.total.to_string()}</strong></p>
        </section>
    }
}
