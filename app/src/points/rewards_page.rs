use crate::components::{unless_signed_in, ErrorBox, TopBar};
use crate::i18n::{fill, use_lang, use_tr, Tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::{RedemptionView, RewardView};
use plaza_types::AppError;

/// The rewards on offer, with what this member already redeemed (anyone may look).
#[server(endpoint = "points/rewards")]
pub async fn get_rewards() -> Result<Vec<RewardView>, AppError> {
    use crate::server::{app, caller, user_error};
    use plaza_core::auth::Principal;
    let ctx = app()?;
    let member = match caller().await? {
        Some(Principal::Member(m)) => Some(m),
        _ => None,
    };
    plaza_core::rewards::list(&ctx.db, member, false).await.map_err(user_error)
}

/// Redeems a reward; `request_key` (one per rendered button) makes a resubmitted form redeem once.
#[server(endpoint = "points/redeem")]
pub async fn redeem_reward(reward_id: i64, request_key: String) -> Result<i64, AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    let ctx = app()?;
    let id = plaza_core::rewards::redeem(&ctx.db, member, reward_id, &request_key, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect(&format!("/rewards/mine?new={id}"));
    Ok(id)
}

#[server(endpoint = "points/redemptions")]
pub async fn get_my_redemptions() -> Result<Vec<RedemptionView>, AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    let ctx = app()?;
    let tz = plaza_core::mall::timezone(&ctx.db).await.map_err(user_error)?;
    plaza_core::rewards::redemptions(&ctx.db, member, &tz).await.map_err(user_error)
}

/// A fresh key for one redeem button (rendered on the server).
fn request_key() -> String {
    #[cfg(feature = "ssr")]
    {
        plaza_core::codes::random_key()
    }
    #[cfg(not(feature = "ssr"))]
    String::new()
}

fn kind_label(t: &Tr, kind: &str) -> &'static str {
    match kind {
        "gift" => t.rewards_kind_gift,
        "parking" => t.rewards_kind_parking,
        _ => t.rewards_kind_coupon,
    }
}

#[component]
pub fn RewardsPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let rewards = Resource::new(|| (), |_| get_rewards());
    let balance = Resource::new(|| (), |_| crate::member::get_my_card());
    let redeem = ServerAction::<RedeemReward>::new();
    let error = Signal::derive(move || redeem.value().get().and_then(|r| r.err()));
    view! {
        <Title text=t.rewards_title />
        <TopBar title=t.rewards_title>
            <a href="/rewards/mine">{t.rewards_mine}</a>
        </TopBar>
        <main class="page rewards-page">
            <Suspense>
                {move || balance.get().and_then(|r| r.ok()).map(|card| view! {
                    <p class="notice">{t.points_available_label}" "<strong data-testid="points-balance">{card.points_available}</strong></p>
                })}
            </Suspense>
            <ErrorBox error=error />
            <Suspense>
                {move || rewards.get().map(|r| match r {
                    Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="muted">{t.rewards_empty}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="card-grid">
                            {list.into_iter().map(|reward| {
                                let sold_out = reward.stock_left == Some(0);
                                let at_limit = reward.per_member_limit.is_some_and(|l| reward.redeemed_by_me >= l);
                                view! {
                                    <li class="reward-card" data-testid="reward">
                                        <span class="badge">{kind_label(t, &reward.kind)}</span>
                                        <h3>{reward.name.get(lang).to_string()}</h3>
                                        <p class="reward-price">{fill(t.rewards_price, &[("points", &reward.points_price.to_string())])}</p>
                                        <p class="muted small">
                                            {reward.stock_left.map(|n| fill(t.claim_left, &[("n", &n.to_string())]))}
                                            {reward.per_member_limit.map(|n| format!(" · {}", fill(t.rewards_limit, &[("n", &n.to_string())])))}
                                        </p>
                                        <ActionForm action=redeem>
                                            <input type="hidden" name="reward_id" value=reward.id />
                                            <input type="hidden" name="request_key" value=request_key() />
                                            <button type="submit" class="button button-primary button-block" disabled=sold_out || at_limit>
                                                {if sold_out { t.claim_sold_out } else { t.rewards_redeem }}
                                            </button>
                                        </ActionForm>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
        </main>
    }
}

#[component]
pub fn MyRewardsPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let query = use_query_map();
    let fresh = move || query.with(|q| q.get("new").and_then(|n| n.parse::<i64>().ok()));
    let mine = Resource::new(|| (), |_| get_my_redemptions());
    view! {
        <Title text=t.rewards_mine />
        <TopBar title=t.rewards_mine />
        <main class="page">
            {move || fresh().map(|_| view! { <p class="notice notice-ok" role="status">{t.rewards_done}</p> })}
            <Suspense>
                {move || mine.get().map(|r| match r {
                    Err(e) => unless_signed_in(e, "/rewards/mine"),
                    Ok(list) => view! {
                        <ul class="plain-list">
                            {list.into_iter().map(|d| view! {
                                <li class="panel redemption" data-testid="redemption">
                                    <div class="row-between">
                                        <strong>{d.reward.get(lang).to_string()}</strong>
                                        <span class="muted">{fill(t.rewards_price, &[("points", &d.points.to_string())])}</span>
                                    </div>
                                    {match d.voucher_code.clone() {
                                        Some(code) => view! {
                                            <p>{t.rewards_voucher}": "<strong class="voucher-code">{code}</strong></p>
                                            <p class="muted small">{t.rewards_voucher_hint}</p>
                                        }.into_any(),
                                        None => view! { <p class="muted small">{t.rewards_coupon_hint}" · "<a href="/coupons">{t.my_coupons}</a></p> }.into_any(),
                                    }}
                                    <p class="muted small">{d.at.clone()}</p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
        </main>
    }
}
