//! Earning-rate overrides per category or tenant, and points campaigns.

use crate::components::ErrorBox;
use crate::i18n::{fill, use_lang, use_tr};
use crate::operator::labels::{scope_label, scope_options};
use leptos::prelude::*;
use plaza_types::dto::{CampaignState, PointsRules};
use plaza_types::AppError;

/// Sets the rate of one category or tenant (`scope` is `category:3` or `tenant:5`).
#[server(endpoint = "ops/rules/override-set")]
pub async fn set_rate_override(scope: String, rate: String) -> Result<i64, AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_types::{dto::RateMilli, dto::RuleScope, error::Field, StaffRole};
    let staff = require_staff(&[StaffRole::OperatorAdmin]).await?;
    let scope = RuleScope::parse(&scope).ok_or_else(|| AppError::invalid(Field::Tenant))?;
    let rate = RateMilli::parse(&rate).ok_or_else(|| AppError::invalid(Field::Amount))?;
    let ctx = app()?;
    let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
    let id = plaza_core::operator::rules::set_override(&ctx.db, scope, rate, &operator, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/ops/points?saved=override#overrides");
    Ok(id)
}

#[server(endpoint = "ops/rules/override-remove")]
pub async fn remove_rate_override(id: i64) -> Result<(), AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_types::StaffRole;
    let staff = require_staff(&[StaffRole::OperatorAdmin]).await?;
    let ctx = app()?;
    let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
    plaza_core::operator::rules::remove_override(&ctx.db, id, &operator, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/ops/points?saved=override#overrides");
    Ok(())
}

/// Adds a campaign between two mall-local dates (both inclusive).
#[server(endpoint = "ops/rules/campaign-add")]
pub async fn add_points_campaign(
    name_zh: String,
    name_en: String,
    multiplier_pct: String,
    starts_on: String,
    ends_on: String,
    scope: String,
) -> Result<i64, AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_core::input;
    use plaza_core::operator::rules;
    use plaza_types::{dto::Localized, dto::RuleScope, error::Field, StaffRole};
    let staff = require_staff(&[StaffRole::OperatorAdmin]).await?;
    let campaign = rules::NewCampaign {
        name: Localized::new(name_zh, name_en),
        multiplier_pct: input::number(&multiplier_pct, Field::Amount).map_err(user_error)?,
        starts_on: input::date(&starts_on).map_err(user_error)?,
        ends_on: input::date(&ends_on).map_err(user_error)?,
        scope: RuleScope::parse(&scope).ok_or_else(|| AppError::invalid(Field::Tenant))?,
    };
    let ctx = app()?;
    let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
    let id =
        rules::add_campaign(&ctx.db, &campaign, &operator, plaza_core::Timestamp::now()).await.map_err(user_error)?;
    leptos_axum::redirect("/ops/points?saved=campaign#campaigns");
    Ok(id)
}

#[server(endpoint = "ops/rules/campaign-remove")]
pub async fn remove_points_campaign(id: i64) -> Result<(), AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_types::StaffRole;
    let staff = require_staff(&[StaffRole::OperatorAdmin]).await?;
    let ctx = app()?;
    let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
    plaza_core::operator::rules::remove_campaign(&ctx.db, id, &operator, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/ops/points?saved=campaign#campaigns");
    Ok(())
}

#[component]
pub fn OverridesSection(rules: PointsRules, admin: bool) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let set = ServerAction::<SetRateOverride>::new();
    let remove = ServerAction::<RemoveRateOverride>::new();
    let error = Signal::derive(move || {
        set.value().get().and_then(|r| r.err()).or_else(|| remove.value().get().and_then(|r| r.err()))
    });
    let options = scope_options(t, &rules.categories, &rules.tenants, false, lang);
    view! {
        <section class="panel" id="overrides">
            <h2>{t.ops_overrides_title}</h2>
            <p class="muted small">{t.ops_overrides_hint}</p>
            <ErrorBox error />
            {if rules.overrides.is_empty() {
                view! { <p class="muted">{t.ops_nothing_yet}</p> }.into_any()
            } else {
                view! {
                    <table class="table" data-testid="overrides">
                        <thead><tr><th>{t.ops_col_scope}</th><th>{t.ops_rate_label}</th>{admin.then(|| view! { <th></th> })}</tr></thead>
                        <tbody>
                            {rules.overrides.iter().map(|o| { let id = o.id; view! {
                                <tr>
                                    <td>{scope_label(t, o.scope, Some(&o.target), lang)}</td>
                                    <td>{fill(t.ops_rate_value, &[("rate", &o.rate.to_string())])}</td>
                                    {admin.then(|| view! {
                                        <td><div class="ops-actions">
                                            <ActionForm action=remove>
                                                <input type="hidden" name="id" value=id />
                                                <button type="submit" class="link-button">{t.ops_remove}</button>
                                            </ActionForm>
                                        </div></td>
                                    })}
                                </tr>
                            }}).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            {admin.then(|| view! {
                <ActionForm action=set attr:class="ops-inline-form" attr:data-testid="override-form">
                    <label class="field">
                        <span>{t.ops_col_scope}</span>
                        <select name="scope" required>
                            {options.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class="field">
                        <span>{t.ops_rate_label}</span>
                        <input type="text" name="rate" inputmode="decimal" required placeholder="2" />
                    </label>
                    <button type="submit" class="button button-primary">{t.ops_set_rate}</button>
                </ActionForm>
            })}
        </section>
    }
    .into_any()
}

#[component]
pub fn CampaignsSection(rules: PointsRules, admin: bool) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let add = ServerAction::<AddPointsCampaign>::new();
    let remove = ServerAction::<RemovePointsCampaign>::new();
    let error = Signal::derive(move || {
        add.value().get().and_then(|r| r.err()).or_else(|| remove.value().get().and_then(|r| r.err()))
    });
    let options = scope_options(t, &rules.categories, &rules.tenants, true, lang);
    let state_label = move |s: CampaignState| match s {
        CampaignState::Upcoming => t.ops_campaign_upcoming,
        CampaignState::Running => t.ops_campaign_running,
        CampaignState::Ended => t.ops_campaign_ended,
    };
    view! {
        <section class="panel" id="campaigns">
            <h2>{t.ops_campaigns_title}</h2>
            <p class="muted small">{t.ops_campaigns_hint}</p>
            <ErrorBox error />
            {if rules.campaigns.is_empty() {
                view! { <p class="muted">{t.ops_nothing_yet}</p> }.into_any()
            } else {
                view! {
                    <table class="table" data-testid="campaigns">
                        <thead><tr>
                            <th>{t.ops_col_name}</th><th>{t.ops_multiplier}</th><th>{t.ops_col_dates}</th>
                            <th>{t.ops_col_scope}</th><th>{t.status}</th>{admin.then(|| view! { <th></th> })}
                        </tr></thead>
                        <tbody>
                            {rules.campaigns.iter().map(|c| { let id = c.id; view! {
                                <tr>
                                    <td>{c.name.get(lang).to_string()}</td>
                                    <td>{format!("{}%", c.multiplier_pct)}</td>
                                    <td class="ops-nowrap">{format!("{} – {}", c.starts_on, c.ends_on)}</td>
                                    <td>{scope_label(t, c.scope, c.target.as_ref(), lang)}</td>
                                    <td><span class="badge" class:badge-muted=c.state == CampaignState::Ended>{state_label(c.state)}</span></td>
                                    {admin.then(|| view! {
                                        <td><div class="ops-actions">
                                            <ActionForm action=remove>
                                                <input type="hidden" name="id" value=id />
                                                <button type="submit" class="link-button">{t.ops_remove}</button>
                                            </ActionForm>
                                        </div></td>
                                    })}
                                </tr>
                            }}).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            {admin.then(|| view! {
                <ActionForm action=add attr:class="ops-form-grid" attr:data-testid="campaign-form">
                    <label class="field"><span>{t.ops_name_zh}</span><input type="text" name="name_zh" required maxlength="40" /></label>
                    <label class="field"><span>{t.ops_name_en}</span><input type="text" name="name_en" maxlength="60" /></label>
                    <label class="field">
                        <span>{t.ops_multiplier}</span>
                        <input type="number" name="multiplier_pct" min="101" max="1000" required value="200" />
                        <small class="muted">{t.ops_multiplier_hint}</small>
                    </label>
                    <label class="field"><span>{t.ops_starts_on}</span><input type="date" name="starts_on" required /></label>
                    <label class="field"><span>{t.ops_ends_on}</span><input type="date" name="ends_on" required /></label>
                    <label class="field">
                        <span>{t.ops_col_scope}</span>
                        <select name="scope">
                            {options.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                        </select>
                    </label>
                    <div class="ops-span"><button type="submit" class="button button-primary">{t.ops_add_campaign}</button></div>
                </ActionForm>
            })}
        </section>
    }
    .into_any()
}
