//! The settings on the rules page: the base points policy, check-in, invites, the birthday gift.

use crate::components::ErrorBox;
use crate::i18n::{use_lang, use_tr};
use leptos::prelude::*;
use plaza_types::dto::{CheckinPolicyView, Choice, InvitePolicyView, PointsPolicyView};
use plaza_types::AppError;

#[server(endpoint = "ops/rules/points-policy")]
pub async fn set_points_policy(
    rate: String,
    refund_window_days: String,
    daily_cap: String,
    negative_balance: String,
) -> Result<(), AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_core::input;
    use plaza_core::operator::rules;
    use plaza_core::points::NegativeBalance;
    use plaza_types::{dto::RateMilli, error::Field, StaffRole};
    let staff = require_staff(&[StaffRole::OperatorAdmin]).await?;
    let change = rules::PolicyChange {
        rate: RateMilli::parse(&rate).ok_or_else(|| AppError::invalid(Field::Amount))?,
        refund_window_days: input::number(&refund_window_days, Field::Amount).map_err(user_error)?,
        daily_earn_cap: input::optional_number(&daily_cap, Field::Amount).map_err(user_error)?,
        negative_balance: match negative_balance.as_str() {
            "allow" => NegativeBalance::Allow,
            "clamp" => NegativeBalance::Clamp,
            _ => return Err(AppError::invalid(Field::Amount)),
        },
    };
    let ctx = app()?;
    let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
    rules::save_points_policy(&ctx.db, &change, &operator, plaza_core::Timestamp::now()).await.map_err(user_error)?;
    leptos_axum::redirect("/ops/points?saved=policy#policy");
    Ok(())
}

#[server(endpoint = "ops/rules/checkin")]
pub async fn set_checkin_policy(
    enabled: Option<String>,
    base_points: String,
    streak_bonus: String,
    cycle_days: String,
) -> Result<(), AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_core::input;
    use plaza_core::operator::rules;
    use plaza_types::{error::Field, StaffRole};
    let staff = require_staff(&[StaffRole::OperatorAdmin]).await?;
    let policy = plaza_core::checkin::CheckinPolicy {
        enabled: enabled.is_some(),
        base_points: input::number(&base_points, Field::Amount).map_err(user_error)?,
        streak_bonus: rules::parse_streak_bonus(&streak_bonus).map_err(user_error)?,
        cycle_days: input::number(&cycle_days, Field::Amount).map_err(user_error)?,
    };
    let ctx = app()?;
    let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
    rules::save_checkin(&ctx.db, &policy, &operator, plaza_core::Timestamp::now()).await.map_err(user_error)?;
    leptos_axum::redirect("/ops/points?saved=checkin#checkin");
    Ok(())
}

#[server(endpoint = "ops/rules/invite")]
pub async fn set_invite_policy(
    inviter_points: String,
    max_rewards_per_day: String,
    min_purchase: String,
) -> Result<(), AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_core::input;
    use plaza_core::operator::rules;
    use plaza_types::{error::Field, StaffRole};
    let staff = require_staff(&[StaffRole::OperatorAdmin]).await?;
    let policy = plaza_core::invites::InvitePolicy {
        inviter_points: input::number(&inviter_points, Field::Amount).map_err(user_error)?,
        max_rewards_per_day: input::number(&max_rewards_per_day, Field::Amount).map_err(user_error)?,
        min_purchase_fen: plaza_types::Fen::from_yuan_str(&min_purchase)
            .map_err(|_| AppError::invalid(Field::Amount))?
            .0,
    };
    let ctx = app()?;
    let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
    rules::save_invite(&ctx.db, &policy, &operator, plaza_core::Timestamp::now()).await.map_err(user_error)?;
    leptos_axum::redirect("/ops/points?saved=invite#invite");
    Ok(())
}

/// `template_code` empty turns the birthday gift off.
#[server(endpoint = "ops/rules/birthday")]
pub async fn set_birthday_gift(template_code: String) -> Result<(), AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_types::StaffRole;
    let staff = require_staff(&[StaffRole::OperatorAdmin]).await?;
    let code = Some(template_code.trim()).filter(|c| !c.is_empty());
    let ctx = app()?;
    let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
    plaza_core::operator::rules::save_birthday_gift(&ctx.db, code, &operator, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/ops/points?saved=birthday#birthday");
    Ok(())
}

#[component]
pub fn PolicySection(policy: PointsPolicyView, admin: bool) -> impl IntoView {
    let t = use_tr();
    let action = ServerAction::<SetPointsPolicy>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let cap = policy.daily_earn_cap.map(|c| c.to_string()).unwrap_or_default();
    let allow = policy.negative_balance == "allow";
    view! {
        <section class="panel" id="policy">
            <h2>{t.ops_policy_title}</h2>
            <ErrorBox error />
            <ActionForm action attr:class="ops-form-grid" attr:data-testid="policy-form">
                <fieldset class="ops-fieldset" disabled=!admin>
                    <label class="field">
                        <span>{t.ops_rate_label}</span>
                        <input type="text" name="rate" inputmode="decimal" required value=policy.rate.to_string() />
                        <small class="muted">{t.ops_rate_hint}</small>
                    </label>
                    <label class="field">
                        <span>{t.ops_refund_window_label}</span>
                        <input type="number" name="refund_window_days" min="0" max="90" required value=policy.refund_window_days />
                        <small class="muted">{t.ops_refund_window_hint}</small>
                    </label>
                    <label class="field">
                        <span>{t.ops_daily_cap_label}</span>
                        <input type="number" name="daily_cap" min="1" value=cap />
                        <small class="muted">{t.ops_daily_cap_hint}</small>
                    </label>
                    <label class="field ops-wide">
                        <span>{t.ops_negative_label}</span>
                        <select name="negative_balance">
                            <option value="allow" selected=allow>{t.ops_negative_allow}</option>
                            <option value="clamp" selected=!allow>{t.ops_negative_clamp}</option>
                        </select>
                    </label>
                    {admin.then(|| view! { <div class="ops-span"><button type="submit" class="button button-primary">{t.save}</button></div> })}
                </fieldset>
            </ActionForm>
        </section>
    }
    .into_any()
}

#[component]
pub fn CheckinSection(checkin: CheckinPolicyView, admin: bool) -> impl IntoView {
    let t = use_tr();
    let action = ServerAction::<SetCheckinPolicy>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    view! {
        <section class="panel" id="checkin">
            <h2>{t.ops_checkin_title}</h2>
            <ErrorBox error />
            <ActionForm action attr:class="ops-form-grid" attr:data-testid="checkin-form">
                <fieldset class="ops-fieldset" disabled=!admin>
                    <label class="ops-check ops-span">
                        <input type="checkbox" name="enabled" value="on" checked=checkin.enabled />
                        <span>{t.ops_checkin_enabled}</span>
                    </label>
                    <label class="field">
                        <span>{t.ops_checkin_base}</span>
                        <input type="number" name="base_points" min="0" required value=checkin.base_points />
                    </label>
                    <label class="field">
                        <span>{t.ops_checkin_bonus}</span>
                        <input type="text" name="streak_bonus" value=checkin.streak_bonus.clone() placeholder="3:10, 7:30" />
                        <small class="muted">{t.ops_checkin_bonus_hint}</small>
                    </label>
                    <label class="field">
                        <span>{t.ops_checkin_cycle}</span>
                        <input type="number" name="cycle_days" min="1" max="31" required value=checkin.cycle_days />
                    </label>
                    {admin.then(|| view! { <div class="ops-span"><button type="submit" class="button button-primary">{t.save}</button></div> })}
                </fieldset>
            </ActionForm>
        </section>
    }
    .into_any()
}

#[component]
pub fn InviteSection(invite: InvitePolicyView, admin: bool) -> impl IntoView {
    let t = use_tr();
    let action = ServerAction::<SetInvitePolicy>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    view! {
        <section class="panel" id="invite">
            <h2>{t.ops_invite_title}</h2>
            <ErrorBox error />
            <ActionForm action attr:class="ops-form-grid" attr:data-testid="invite-form">
                <fieldset class="ops-fieldset" disabled=!admin>
                    <label class="field">
                        <span>{t.ops_invite_points}</span>
                        <input type="number" name="inviter_points" min="0" required value=invite.inviter_points />
                    </label>
                    <label class="field">
                        <span>{t.ops_invite_daily}</span>
                        <input type="number" name="max_rewards_per_day" min="0" required value=invite.max_rewards_per_day />
                    </label>
                    <label class="field">
                        <span>{t.ops_invite_min_purchase}</span>
                        <input type="text" inputmode="decimal" name="min_purchase" required value=invite.min_purchase.yuan_input() />
                        <small class="muted">{t.ops_invite_min_purchase_help}</small>
                    </label>
                    {admin.then(|| view! { <div class="ops-span"><button type="submit" class="button button-primary">{t.save}</button></div> })}
                </fieldset>
            </ActionForm>
        </section>
    }
    .into_any()
}

#[component]
pub fn BirthdaySection(current: Option<String>, templates: Vec<Choice>, admin: bool) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let action = ServerAction::<SetBirthdayGift>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let none = current.is_none();
    view! {
        <section class="panel" id="birthday">
            <h2>{t.ops_birthday_title}</h2>
            <p class="muted small">{t.ops_birthday_hint}</p>
            <ErrorBox error />
            <ActionForm action attr:class="ops-form-grid" attr:data-testid="birthday-form">
                <fieldset class="ops-fieldset" disabled=!admin>
                    <label class="field ops-wide">
                        <span>{t.ops_birthday_template}</span>
                        <select name="template_code">
                            <option value="" selected=none>{t.ops_birthday_none}</option>
                            {templates.into_iter().map(|c| {
                                let selected = current.as_deref() == Some(c.code.as_str());
                                view! { <option value=c.code.clone() selected=selected>{format!("{} ({})", c.name.get(lang), c.code)}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    {admin.then(|| view! { <div class="ops-span"><button type="submit" class="button button-primary">{t.save}</button></div> })}
                </fieldset>
            </ActionForm>
        </section>
    }
    .into_any()
}
