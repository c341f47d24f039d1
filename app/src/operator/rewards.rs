//! The points mall for operators: every reward (paused too), creating, pausing and resuming.

use crate::components::ErrorBox;
use crate::i18n::{fill, use_lang, use_tr, Tr};
use crate::operator::notices::{is_admin, AdminOnlyNote, SavedNotice};
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::dto::{Choice, RewardForm, RewardView, RewardsAdmin};
use plaza_types::AppError;

#[server(endpoint = "ops/rewards")]
pub async fn get_rewards_admin() -> Result<RewardsAdmin, AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    let ctx = app()?;
    plaza_core::rewards::admin::page(&ctx.db).await.map_err(user_error)
}

/// Creates a reward from the form (`form[kind]=…`); returns its id.
#[server(endpoint = "ops/rewards/create")]
pub async fn create_reward(form: RewardForm) -> Result<i64, AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_types::StaffRole;
    let staff = require_staff(&[StaffRole::OperatorAdmin]).await?;
    let ctx = app()?;
    let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
    let id = plaza_core::rewards::admin::create(&ctx.db, &form, &operator, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/ops/rewards?saved=reward");
    Ok(id)
}

#[server(endpoint = "ops/rewards/status")]
pub async fn set_reward_status(reward_id: i64, active: bool) -> Result<(), AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_types::StaffRole;
    let staff = require_staff(&[StaffRole::OperatorAdmin]).await?;
    let ctx = app()?;
    let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
    plaza_core::rewards::admin::set_status(&ctx.db, reward_id, active, &operator, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/ops/rewards?saved=status");
    Ok(())
}

fn kind_label(t: &Tr, kind: &str) -> &'static str {
    match kind {
        "gift" => t.rewards_kind_gift,
        "parking" => t.rewards_kind_parking,
        _ => t.rewards_kind_coupon,
    }
}

/// 积分商城: the rewards on offer and paused, with stock left and limits.
#[component]
pub fn OpsRewardsPage() -> impl IntoView {
    let t = use_tr();
    let admin = is_admin();
    let data = crate::components::page_resource(|| (), |_| get_rewards_admin());
    let status = ServerAction::<SetRewardStatus>::new();
    let status_error = Signal::derive(move || status.value().get().and_then(|r| r.err()));
    view! {
        <Title text=t.ops_nav_rewards />
        <h1>{t.ops_nav_rewards}</h1>
        {(!admin).then(|| view! { <AdminOnlyNote /> })}
        <SavedNotice />
        <ErrorBox error=status_error />
        <Suspense>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(data) => view! {
                    <RewardsTable rewards=data.rewards.clone() admin status />
                    {admin.then(|| view! { <CreateRewardSection templates=data.templates.clone() /> })}
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn RewardsTable(rewards: Vec<RewardView>, admin: bool, status: ServerAction<SetRewardStatus>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    if rewards.is_empty() {
        return view! { <section class="panel"><p class="muted">{t.ops_nothing_yet}</p></section> }.into_any();
    }
    view! {
        <section class="panel">
            <table class="table" data-testid="rewards">
                <thead><tr>
                    <th>{t.field_reward}</th><th>{t.ops_col_kind}</th><th class="ops-num">{t.ops_points_price}</th>
                    <th class="ops-num">{t.ops_stock_left}</th><th>{t.ops_col_limits}</th><th>{t.status}</th>
                    {admin.then(|| view! { <th></th> })}
                </tr></thead>
                <tbody>
                    {rewards.into_iter().map(|r| view! {
                        <tr>
                            <td>{r.name.get(lang).to_string()}</td>
                            <td>{kind_label(t, &r.kind)}</td>
                            <td class="ops-num">{r.points_price}</td>
                            <td class="ops-num">{r.stock_left.map(|n| n.to_string()).unwrap_or_else(|| t.ops_unlimited.to_string())}</td>
                            <td>{r.per_member_limit.map(|n| fill(t.ops_per_member, &[("n", &n.to_string())])).unwrap_or_else(|| t.ops_unlimited.to_string())}</td>
                            <td><span class="badge" class:badge-muted=!r.active>{if r.active { t.ops_status_active } else { t.ops_status_paused }}</span></td>
                            {admin.then(|| view! {
                                <td><div class="ops-actions">
                                    <ActionForm action=status>
                                        <input type="hidden" name="reward_id" value=r.id />
                                        <input type="hidden" name="active" value=(!r.active).to_string() />
                                        <button type="submit" class="link-button">{if r.active { t.ops_pause } else { t.ops_resume }}</button>
                                    </ActionForm>
                                </div></td>
                            })}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
    .into_any()
}

#[component]
fn CreateRewardSection(templates: Vec<Choice>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let action = ServerAction::<CreateReward>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    view! {
        <section class="panel" id="create">
            <h2>{t.ops_create_reward}</h2>
            <ErrorBox error />
            <ActionForm action attr:class="ops-form-grid" attr:data-testid="reward-form">
                <label class="field">
                    <span>{t.ops_col_kind}</span>
                    <select name="form[kind]">
                        <option value="gift">{t.rewards_kind_gift}</option>
                        <option value="coupon">{t.rewards_kind_coupon}</option>
                        <option value="parking">{t.rewards_kind_parking}</option>
                    </select>
                </label>
                <label class="field">
                    <span>{t.ops_reward_template}</span>
                    <select name="form[coupon_template]">
                        <option value="">{t.ops_reward_no_template}</option>
                        {templates.into_iter().map(|c| view! { <option value=c.id>{format!("{} ({})", c.name.get(lang), c.code)}</option> }).collect_view()}
                    </select>
                    <small class="muted">{t.ops_reward_template_hint}</small>
                </label>
                <label class="field"><span>{t.ops_name_zh}</span><input type="text" name="form[name_zh]" required maxlength="40" /></label>
                <label class="field"><span>{t.ops_name_en}</span><input type="text" name="form[name_en]" maxlength="60" /></label>
                <label class="field"><span>{t.ops_points_price}</span><input type="number" name="form[points_price]" min="1" required /></label>
                <label class="field">
                    <span>{t.ops_total_stock}</span>
                    <input type="number" name="form[stock]" min="0" />
                    <small class="muted">{t.ops_empty_unlimited}</small>
                </label>
                <label class="field">
                    <span>{t.ops_per_member_limit}</span>
                    <input type="number" name="form[per_member_limit]" min="1" />
                    <small class="muted">{t.ops_empty_unlimited}</small>
                </label>
                <label class="field ops-span"><span>{t.ops_description_zh}</span><input type="text" name="form[description_zh]" maxlength="200" /></label>
                <label class="field ops-span"><span>{t.ops_description_en}</span><input type="text" name="form[description_en]" maxlength="200" /></label>
                <p class="ops-span"><button type="submit" class="button button-primary">{t.ops_create_reward}</button></p>
            </ActionForm>
        </section>
    }
    .into_any()
}
