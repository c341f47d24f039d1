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

/// 积分商城: the rewards on offer. Redeeming takes two taps: 兑换 opens a confirmation
/// (`?confirm=<id>`, a plain link, so it works without JavaScript) saying what it costs and what
/// is left; only 确认兑换 spends the points.
#[component]
pub fn RewardsPage() -> impl IntoView {
    let t = use_tr();
    let query = use_query_map();
    let confirming = move || query.with(|q| q.get("confirm").and_then(|id| id.parse::<i64>().ok()));
    let rewards = crate::components::page_resource(|| (), |_| get_rewards());
    let balance = crate::components::page_resource(|| (), |_| crate::member::get_my_card());
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
                    Ok(list) => {
                        let available = balance.get().and_then(|r| r.ok()).map(|card| card.points_available);
                        let confirm = confirming()
                            .and_then(|id| list.iter().find(|r| r.id == id).cloned())
                            .map(|reward| view! { <ConfirmRedeem reward available redeem /> });
                        view! {
                            {confirm}
                            <ul class="card-grid">
                                {list.into_iter().map(|reward| view! { <RewardCard reward /> }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                })}
            </Suspense>
        </main>
    }
}

/// One reward on offer; 兑换 leads to the confirmation.
#[component]
fn RewardCard(reward: RewardView) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let sold_out = reward.stock_left == Some(0);
    let at_limit = reward.per_member_limit.is_some_and(|l| reward.redeemed_by_me >= l);
    view! {
        <li class="reward-card" data-testid="reward">
            <span class="badge">{kind_label(t, &reward.kind)}</span>
            <h2>{reward.name.get(lang).to_string()}</h2>
            <p class="reward-price">{fill(t.rewards_price, &[("points", &reward.points_price.to_string())])}</p>
            <p class="muted small">
                {reward.stock_left.map(|n| fill(t.claim_left, &[("n", &n.to_string())]))}
                {reward.per_member_limit.map(|n| format!(" · {}", fill(t.rewards_limit, &[("n", &n.to_string())])))}
            </p>
            {if sold_out || at_limit {
                view! {
                    <button type="button" class="button button-primary button-block" disabled=true>
                        {if sold_out { t.claim_sold_out } else { t.rewards_redeem }}
                    </button>
                }.into_any()
            } else {
                view! {
                    <a class="button button-primary button-block" href=format!("/rewards?confirm={}#confirm", reward.id)
                        data-testid="redeem-open">{t.rewards_redeem}</a>
                }.into_any()
            }}
        </li>
    }
}

/// What redeeming costs, and the only button that spends the points.
#[component]
fn ConfirmRedeem(reward: RewardView, available: Option<i64>, redeem: ServerAction<RedeemReward>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let price = reward.points_price;
    let after = available.map(|a| a - price);
    view! {
        <section class="panel confirm-panel" id="confirm" data-testid="redeem-confirm" aria-labelledby="confirm-title">
            <h2 id="confirm-title">{t.rewards_confirm_title}</h2>
            <p class="confirm-what">
                <strong>{reward.name.get(lang).to_string()}</strong>
                <span class="reward-price">{fill(t.rewards_price, &[("points", &price.to_string())])}</span>
            </p>
            {match after {
                Some(left) if left < 0 => view! {
                    <p class="notice notice-error" role="alert">
                        {fill(t.err_insufficient_points, &[("n", &available.unwrap_or_default().to_string())])}
                    </p>
                    <p><a class="button" href="/rewards">{t.rewards_confirm_cancel}</a></p>
                }.into_any(),
                after => view! {
                    {after.map(|left| view! {
                        <p class="muted small" data-testid="redeem-after">{fill(t.rewards_confirm_after, &[("n", &left.to_string())])}</p>
                    })}
                    <p class="muted small">{t.rewards_confirm_note}</p>
                    <ActionForm action=redeem attr:class="confirm-actions">
                        <input type="hidden" name="reward_id" value=reward.id />
                        <input type="hidden" name="request_key" value=request_key() />
                        <a class="button" href="/rewards">{t.rewards_confirm_cancel}</a>
                        <button type="submit" class="button button-primary" data-testid="redeem-submit">{t.rewards_confirm_submit}</button>
                    </ActionForm>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
pub fn MyRewardsPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let query = use_query_map();
    let fresh = move || query.with(|q| q.get("new").and_then(|n| n.parse::<i64>().ok()));
    let mine = crate::components::page_resource(|| (), |_| get_my_redemptions());
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
