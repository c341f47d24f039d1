use super::terms::{scope, stub};
use crate::components::{unless_signed_in, TopBar};
use crate::i18n::{fill, use_lang, use_tr, Tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::{CouponStatus, WalletCoupon};
use plaza_types::AppError;

#[server(endpoint = "coupons/mine")]
pub async fn get_my_coupons() -> Result<Vec<WalletCoupon>, AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    let ctx = app()?;
    let tz = plaza_core::mall::timezone(&ctx.db).await.map_err(user_error)?;
    plaza_core::coupons::wallet::wallet(&ctx.db, member, plaza_core::Timestamp::now(), &tz).await.map_err(user_error)
}

fn status_label(t: &Tr, s: CouponStatus) -> &'static str {
    match s {
        CouponStatus::Usable => t.coupon_status_usable,
        CouponStatus::Reserved => t.coupon_status_reserved,
        CouponStatus::Used => t.coupon_status_used,
        CouponStatus::Expired => t.coupon_status_expired,
        CouponStatus::Upcoming => t.coupon_status_upcoming,
    }
}

/// 我的卡券: usable, used and expired coupons, each with its rules in plain words.
#[component]
pub fn CouponsPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let query = use_query_map();
    let tab = move || query.with(|q| q.get("tab").unwrap_or_else(|| "usable".into()));
    let coupons = crate::components::page_resource(|| (), |_| get_my_coupons());
    let in_tab = move |c: &WalletCoupon, tab: &str| match tab {
        "used" => c.status == CouponStatus::Used,
        "expired" => c.status == CouponStatus::Expired,
        _ => matches!(c.status, CouponStatus::Usable | CouponStatus::Reserved | CouponStatus::Upcoming),
    };
    view! {
        <Title text=t.coupons_title />
        <TopBar title=t.coupons_title>
            <a href="/coupons/claim">{t.claim_title}</a>
        </TopBar>
        <main class="page coupons-page">
            <nav class="tabs">
                {[("usable", t.coupons_tab_usable), ("used", t.coupons_tab_used), ("expired", t.coupons_tab_expired)]
                    .into_iter()
                    .map(|(key, label)| view! {
                        <a href=format!("/coupons?tab={key}") aria-current=move || (tab() == key).then_some("page")>{label}</a>
                    })
                    .collect_view()}
            </nav>
            <Suspense>
                {move || coupons.get().map(|r| match r {
                    Err(e) => unless_signed_in(e, "/coupons"),
                    Ok(list) => {
                        let current = tab();
                        let shown: Vec<WalletCoupon> = list.into_iter().filter(|c| in_tab(c, &current)).collect();
                        if shown.is_empty() {
                            return view! {
                                <section class="panel panel-center">
                                    <p class="muted">{t.coupons_empty}</p>
                                    <a class="button" href="/coupons/claim">{t.coupons_go_claim}</a>
                                </section>
                            }.into_any();
                        }
                        view! {
                            <ul class="plain-list">
                                {shown.into_iter().map(|c| {
                                    let dim = !matches!(c.status, CouponStatus::Usable | CouponStatus::Reserved);
                                    view! {
                                        <li class="coupon" class:coupon-dim=dim data-testid="coupon">
                                            {
                                            let (big, small) = stub(t, &c.terms);
                                            view! { <div class="coupon-value"><strong>{big}</strong><span>{small}</span></div> }
                                        }
                                            <div class="coupon-body">
                                                <p class="coupon-name">{c.terms.name.get(lang).to_string()}</p>
                                                <p class="muted small">{scope(t, &c.terms, lang)}</p>
                                                {(!c.terms.description.zh.is_empty()).then(|| view! {
                                                    <p class="muted small">{c.terms.description.get(lang).to_string()}</p>
                                                })}
                                                <p class="muted small">{fill(t.coupon_valid_until, &[("date", &c.valid_until)])}</p>
                                            </div>
                                            <span class="badge">{status_label(t, c.status)}</span>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                })}
            </Suspense>
        </main>
    }
}
