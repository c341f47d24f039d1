//! 付费会员 for operators: the tiers (price, term, benefits, member prices, gift packs, retire),
//! the gift packs (bundles of coupon templates) and the stored-value top-up bonus. Everyone in the
//! operator team reads it; only the mall administrator changes it.

use crate::components::ErrorBox;
use crate::i18n::{fill, use_lang, use_tr};
use crate::operator::notices::{is_admin, AdminOnlyNote, SavedNotice};
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::dto::{GiftPackView, OpsMembership, OpsTier, TierForm, TopupPolicyView};
use plaza_types::AppError;

#[server(endpoint = "ops/membership")]
pub async fn get_ops_membership() -> Result<OpsMembership, AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    let ctx = app()?;
    plaza_core::operator::membership::page(&ctx.db, plaza_core::Timestamp::now()).await.map_err(user_error)
}

#[server(endpoint = "ops/membership/tier-create")]
pub async fn create_tier(form: TierForm) -> Result<i64, AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_core::membership::admin::{self, TierChange};
    let staff = require_staff(&[plaza_types::StaffRole::OperatorAdmin]).await?;
    let change = TierChange::from_form(&form).map_err(user_error)?;
    let ctx = app()?;
    let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
    let id = admin::create_tier(&ctx.db, &form.code, &change, &operator, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/ops/membership?saved=tier#tiers");
    Ok(id)
}

#[server(endpoint = "ops/membership/tier-update")]
pub async fn update_tier(tier_id: i64, form: TierForm) -> Result<(), AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_core::membership::admin::{self, TierChange};
    let staff = require_staff(&[plaza_types::StaffRole::OperatorAdmin]).await?;
    let change = TierChange::from_form(&form).map_err(user_error)?;
    let ctx = app()?;
    let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
    admin::update_tier(&ctx.db, tier_id, &change, &operator, plaza_core::Timestamp::now()).await.map_err(user_error)?;
    leptos_axum::redirect("/ops/membership?saved=tier#tiers");
    Ok(())
}

#[server(endpoint = "ops/membership/tier-status")]
pub async fn set_tier_active(tier_id: i64, active: bool) -> Result<(), AppError> {
    use crate::server::{app, require_staff, user_error};
    let staff = require_staff(&[plaza_types::StaffRole::OperatorAdmin]).await?;
    let ctx = app()?;
    let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
    plaza_core::membership::admin::set_tier_active(&ctx.db, tier_id, active, &operator, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/ops/membership?saved=status#tiers");
    Ok(())
}

#[server(endpoint = "ops/membership/pack-create")]
pub async fn create_gift_pack(code: String, name_zh: String, name_en: String, items: String) -> Result<i64, AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_types::dto::Localized;
    let staff = require_staff(&[plaza_types::StaffRole::OperatorAdmin]).await?;
    let ctx = app()?;
    let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
    let name = Localized::new(name_zh, name_en);
    let id = plaza_core::coupons::packs::create(&ctx.db, &code, &name, &items, &operator, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/ops/membership?saved=pack#packs");
    Ok(id)
}

#[server(endpoint = "ops/membership/pack-update")]
pub async fn update_gift_pack(pack_id: i64, name_zh: String, name_en: String, items: String) -> Result<(), AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_types::dto::Localized;
    let staff = require_staff(&[plaza_types::StaffRole::OperatorAdmin]).await?;
    let ctx = app()?;
    let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
    let name = Localized::new(name_zh, name_en);
    plaza_core::coupons::packs::update(&ctx.db, pack_id, &name, &items, &operator, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/ops/membership?saved=pack#packs");
    Ok(())
}

#[server(endpoint = "ops/membership/topup")]
pub async fn set_topup_policy(tiers: String, presets: String, min: String, max: String) -> Result<(), AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_core::topup;
    let staff = require_staff(&[plaza_types::StaffRole::OperatorAdmin]).await?;
    let policy = topup::parse_policy(&tiers, &presets, &min, &max).map_err(user_error)?;
    let ctx = app()?;
    let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
    topup::save_policy(&ctx.db, &policy, &operator, plaza_core::Timestamp::now()).await.map_err(user_error)?;
    leptos_axum::redirect("/ops/membership?saved=topup#topup");
    Ok(())
}

#[component]
pub fn OpsMembershipPage() -> impl IntoView {
    let t = use_tr();
    let admin = is_admin();
    let page = crate::components::page_resource(|| (), |_| get_ops_membership());
    view! {
        <Title text=t.ops_ms_title />
        <h1>{t.ops_ms_title}</h1>
        {(!admin).then(|| view! { <AdminOnlyNote /> })}
        <SavedNotice />
        <nav class="ops-jump" aria-label=t.ops_sections>
            <a href="#tiers">{t.ops_ms_tiers}</a>
            <a href="#packs">{t.ops_ms_packs}</a>
            <a href="#topup">{t.ops_ms_topup}</a>
        </nav>
        <Suspense>
            {move || page.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(p) => view! {
                    <TiersSection tiers=p.tiers.clone() packs=p.packs.clone() admin />
                    <PacksSection packs=p.packs.clone() templates=p.templates.iter().map(|c| c.code.clone()).collect() admin />
                    <TopupSection topup=p.topup.clone() admin />
                }.into_any(),
            })}
        </Suspense>
    }
}

/// The fields a tier has, filled from `tier` when editing.
#[component]
fn TierFields(tier: Option<OpsTier>, packs: Vec<GiftPackView>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let v = tier.as_ref().map(|o| o.tier.clone());
    let text = |f: fn(&plaza_types::dto::TierView) -> String| v.as_ref().map(f).unwrap_or_default();
    let pack_select = move |name: &'static str, chosen: Option<i64>| {
        view! {
            <select name=name>
                <option value="" selected=chosen.is_none()>{t.ops_ms_no_pack}</option>
                {packs.iter().map(|p| view! {
                    <option value=p.id selected=chosen == Some(p.id)>{format!("{} ({})", p.name.get(lang), p.code)}</option>
                }).collect_view()}
            </select>
        }
    };
    let first = tier.as_ref().and_then(|o| o.first_pack_id);
    let renewal = tier.as_ref().and_then(|o| o.renewal_pack_id);
    let member_prices = v.as_ref().is_none_or(|v| v.member_prices);
    view! {
        <label class="field">
            <span>{t.ops_name_zh}</span>
            <input type="text" name="form[name_zh]" required maxlength="20" value=text(|v| v.name.zh.clone()) />
        </label>
        <label class="field">
            <span>{t.ops_name_en}</span>
            <input type="text" name="form[name_en]" maxlength="40" value=text(|v| v.name.en.clone()) />
        </label>
        <label class="field">
            <span>{t.ops_ms_price}</span>
            <input type="text" name="form[price]" inputmode="decimal" required value=text(|v| v.price.yuan_input()) />
        </label>
        <label class="field">
            <span>{t.ops_ms_term}</span>
            <input type="number" name="form[term_days]" min="1" max="3660" required value=text(|v| v.term_days.to_string()) />
        </label>
        <label class="field ops-wide">
            <span>{t.ops_ms_benefits_zh}</span>
            <textarea name="form[benefits_zh]" rows="3" maxlength="500">{text(|v| v.benefits.zh.clone())}</textarea>
        </label>
        <label class="field ops-wide">
            <span>{t.ops_ms_benefits_en}</span>
            <textarea name="form[benefits_en]" rows="3" maxlength="1000">{text(|v| v.benefits.en.clone())}</textarea>
        </label>
        <label class="field">
            <span>{t.ops_ms_first_pack}</span>
            {pack_select.clone()("form[first_pack]", first)}
        </label>
        <label class="field">
            <span>{t.ops_ms_renewal_pack}</span>
            {pack_select("form[renewal_pack]", renewal)}
        </label>
        <label class="ops-check ops-span">
            <input type="checkbox" name="form[member_prices]" value="on" checked=member_prices />
            <span>{t.ops_ms_member_prices}</span>
        </label>
    }
}

#[component]
fn TiersSection(tiers: Vec<OpsTier>, packs: Vec<GiftPackView>, admin: bool) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let create = ServerAction::<CreateTier>::new();
    let update = ServerAction::<UpdateTier>::new();
    let status = ServerAction::<SetTierActive>::new();
    let error = Signal::derive(move || {
        create
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| update.value().get().and_then(|r| r.err()))
            .or_else(|| status.value().get().and_then(|r| r.err()))
    });
    let packs_new = packs.clone();
    view! {
        <section class="panel" id="tiers">
            <h2>{t.ops_ms_tiers}</h2>
            <p class="muted small">{t.ops_ms_tiers_hint}</p>
            <ErrorBox error />
            {tiers.into_iter().map(|o| {
                let v = o.tier.clone();
                let choices = packs.clone();
                let state = if v.active { t.ops_ms_on_sale } else { t.ops_ms_retired };
                view! {
                    <details class="ops-ms-tier" data-testid="ops-tier" data-code=v.code.clone()>
                        <summary>
                            <strong>{v.name.get(lang).to_string()}</strong>
                            <span>{format!("{} / {}", v.price.short(), fill(t.ms_term_days, &[("n", &v.term_days.to_string())]))}</span>
                            <span class=if v.active { "badge" } else { "badge badge-muted" }>{state}</span>
                            <span class="muted small">{fill(t.ops_ms_active_members, &[("n", &o.active_members.to_string())])}</span>
                            <span class="muted small ops-mono">{v.code.clone()}</span>
                        </summary>
                        <ActionForm action=update attr:class="ops-form-grid">
                            <fieldset class="ops-fieldset" disabled=!admin>
                                <input type="hidden" name="tier_id" value=v.id />
                                <TierFields tier=Some(o.clone()) packs=choices />
                                {admin.then(|| view! { <div class="ops-span"><button type="submit" class="button button-primary">{t.save}</button></div> })}
                            </fieldset>
                        </ActionForm>
                        {admin.then(|| view! {
                            <ActionForm action=status>
                                <input type="hidden" name="tier_id" value=v.id />
                                <input type="hidden" name="active" value=(!v.active).to_string() />
                                <button type="submit" class="button" data-testid="ops-tier-status">
                                    {if v.active { t.ops_ms_retire } else { t.ops_ms_reactivate }}
                                </button>
                            </ActionForm>
                        })}
                    </details>
                }
            }).collect_view()}
            {admin.then(|| view! {
                <details class="ops-ms-tier">
                    <summary><strong>{t.ops_ms_new_tier}</strong></summary>
                    <ActionForm action=create attr:class="ops-form-grid" attr:data-testid="ops-tier-create">
                        <fieldset class="ops-fieldset">
                            <label class="field">
                                <span>{t.ops_ms_code}</span>
                                <input type="text" name="form[code]" required pattern="[a-z0-9\\-]{2,32}" maxlength="32" placeholder="family" />
                            </label>
                            <TierFields tier=None packs=packs_new />
                            <div class="ops-span"><button type="submit" class="button button-primary">{t.ops_ms_create}</button></div>
                        </fieldset>
                    </ActionForm>
                </details>
            })}
        </section>
    }
}

#[component]
fn PacksSection(packs: Vec<GiftPackView>, templates: Vec<String>, admin: bool) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let create = ServerAction::<CreateGiftPack>::new();
    let update = ServerAction::<UpdateGiftPack>::new();
    let error = Signal::derive(move || {
        create.value().get().and_then(|r| r.err()).or_else(|| update.value().get().and_then(|r| r.err()))
    });
    view! {
        <section class="panel" id="packs">
            <h2>{t.ops_ms_packs}</h2>
            <p class="muted small">{t.ops_ms_packs_hint}</p>
            <p class="muted small">{t.ops_ms_templates}": "<span class="ops-ms-codes">{templates.join(", ")}</span></p>
            <ErrorBox error />
            {packs.into_iter().map(|p| {
                let items = p.items.iter().map(|i| format!("{}:{}", i.template_code, i.quantity)).collect::<Vec<_>>().join(", ");
                view! {
                    <details class="ops-ms-tier" data-testid="ops-pack" data-code=p.code.clone()>
                        <summary>
                            <strong>{p.name.get(lang).to_string()}</strong>
                            <span class="muted small ops-mono">{p.code.clone()}</span>
                        </summary>
                        <ul class="ops-ms-pack-items">
                            {p.items.iter().map(|i| view! { <li>{format!("{} × {}", i.name.get(lang), i.quantity)}</li> }).collect_view()}
                        </ul>
                        <ActionForm action=update attr:class="ops-form-grid">
                            <fieldset class="ops-fieldset" disabled=!admin>
                                <input type="hidden" name="pack_id" value=p.id />
                                <label class="field">
                                    <span>{t.ops_name_zh}</span>
                                    <input type="text" name="name_zh" required maxlength="20" value=p.name.zh.clone() />
                                </label>
                                <label class="field">
                                    <span>{t.ops_name_en}</span>
                                    <input type="text" name="name_en" maxlength="40" value=p.name.en.clone() />
                                </label>
                                <label class="field ops-wide">
                                    <span>{t.ops_ms_pack_items}</span>
                                    <input type="text" name="items" required value=items />
                                </label>
                                {admin.then(|| view! { <div class="ops-span"><button type="submit" class="button button-primary">{t.save}</button></div> })}
                            </fieldset>
                        </ActionForm>
                    </details>
                }
            }).collect_view()}
            {admin.then(|| view! {
                <details class="ops-ms-tier">
                    <summary><strong>{t.ops_ms_new_pack}</strong></summary>
                    <ActionForm action=create attr:class="ops-form-grid" attr:data-testid="ops-pack-create">
                        <fieldset class="ops-fieldset">
                            <label class="field">
                                <span>{t.ops_ms_code}</span>
                                <input type="text" name="code" required pattern="[a-z0-9\\-]{2,32}" maxlength="32" />
                            </label>
                            <label class="field">
                                <span>{t.ops_name_zh}</span>
                                <input type="text" name="name_zh" required maxlength="20" />
                            </label>
                            <label class="field">
                                <span>{t.ops_name_en}</span>
                                <input type="text" name="name_en" maxlength="40" />
                            </label>
                            <label class="field ops-wide">
                                <span>{t.ops_ms_pack_items}</span>
                                <input type="text" name="items" required placeholder="parking-2h:1, cash-10:2" />
                            </label>
                            <div class="ops-span"><button type="submit" class="button button-primary">{t.ops_ms_create}</button></div>
                        </fieldset>
                    </ActionForm>
                </details>
            })}
        </section>
    }
}

#[component]
fn TopupSection(topup: TopupPolicyView, admin: bool) -> impl IntoView {
    let t = use_tr();
    let action = ServerAction::<SetTopupPolicy>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    view! {
        <section class="panel" id="topup">
            <h2>{t.ops_ms_topup}</h2>
            <p class="muted small">{t.ops_ms_topup_hint}</p>
            <ErrorBox error />
            <ActionForm action attr:class="ops-form-grid" attr:data-testid="ops-topup-form">
                <fieldset class="ops-fieldset" disabled=!admin>
                    <label class="field ops-wide">
                        <span>{t.ops_ms_topup_tiers}</span>
                        <input type="text" name="tiers" value=topup.tiers.clone() placeholder="200:10, 500:30, 1000:80" />
                    </label>
                    <label class="field ops-wide">
                        <span>{t.ops_ms_topup_presets}</span>
                        <input type="text" name="presets" required value=topup.presets.clone() />
                    </label>
                    <label class="field">
                        <span>{t.ops_ms_topup_min}</span>
                        <input type="text" name="min" inputmode="decimal" required value=topup.min.yuan_input() />
                    </label>
                    <label class="field">
                        <span>{t.ops_ms_topup_max}</span>
                        <input type="text" name="max" inputmode="decimal" required value=topup.max.yuan_input() />
                    </label>
                    {admin.then(|| view! { <div class="ops-span"><button type="submit" class="button button-primary">{t.save}</button></div> })}
                </fieldset>
            </ActionForm>
        </section>
    }
}
