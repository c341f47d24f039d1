use super::adjust::{AdjustMemberPoints, AdjustMemberStoredValue, HandOutCoupon};
use super::profile_ledgers::{AuditTable, CouponsTable, LotsTable, PointsTable, SvTable};
use crate::components::ErrorBox;
use crate::i18n::{use_lang, use_tr};
use crate::member::display_name;
use crate::operator::notices::SavedNotice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use plaza_types::dto::{Choice, MemberProfile};
use plaza_types::AppError;

#[server(endpoint = "ops/members/profile")]
pub async fn get_member_profile(member_id: i64) -> Result<MemberProfile, AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    let ctx = app()?;
    plaza_core::operator::members::profile(&ctx.db, plaza_types::MemberId(member_id), plaza_core::Timestamp::now())
        .await
        .map_err(user_error)
}

/// 会员档案: balances, the three manual changes, and every ledger an operator may need.
#[component]
pub fn OpsMemberPage() -> impl IntoView {
    let t = use_tr();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0));
    let profile = crate::components::page_resource(id, get_member_profile);
    let points = ServerAction::<AdjustMemberPoints>::new();
    let stored = ServerAction::<AdjustMemberStoredValue>::new();
    let hand_out = ServerAction::<HandOutCoupon>::new();
    let points_error = Signal::derive(move || points.value().get().and_then(|r| r.err()));
    let stored_error = Signal::derive(move || stored.value().get().and_then(|r| r.err()));
    let hand_out_error = Signal::derive(move || hand_out.value().get().and_then(|r| r.err()));
    view! {
        <Title text=t.ops_member_profile />
        <p><a href="/ops/members">{t.ops_back_to_members}</a></p>
        <Suspense>
            {move || profile.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(p) => {
                    let member_id = p.member_id.0;
                    let templates = p.handout_templates.clone();
                    view! {
                        <Summary profile=p.clone() />
                        <SavedNotice />
                        <div class="ops-forms">
                            <section class="panel">
                                <h2>{t.ops_adjust_points}</h2>
                                <ErrorBox error=points_error />
                                <ActionForm action=points attr:class="stack" attr:data-testid="adjust-points">
                                    <input type="hidden" name="member_id" value=member_id />
                                    <label class="field">
                                        <span>{t.ops_points_delta}</span>
                                        <input type="text" name="points" inputmode="numeric" required placeholder="+100 / -100" />
                                        <small class="muted">{t.ops_points_delta_hint}</small>
                                    </label>
                                    <ReasonField />
                                    <button type="submit" class="button button-primary">{t.ops_apply}</button>
                                </ActionForm>
                            </section>
                            <section class="panel">
                                <h2>{t.ops_adjust_stored_value}</h2>
                                <ErrorBox error=stored_error />
                                <crate::operator::sv_credits::CreditPendingNotice />
                                <ActionForm action=stored attr:class="stack" attr:data-testid="adjust-stored-value">
                                    <input type="hidden" name="member_id" value=member_id />
                                    <label class="field">
                                        <span>{t.ops_sv_delta}</span>
                                        <input type="text" name="amount" inputmode="decimal" required placeholder="12.50 / -12.50" />
                                        <small class="muted">{t.ops_sv_delta_hint}" "{t.ops_sv_credit_admin_only}</small>
                                    </label>
                                    <ReasonField />
                                    <button type="submit" class="button button-primary">{t.ops_apply}</button>
                                </ActionForm>
                            </section>
                            <section class="panel">
                                <h2>{t.ops_hand_out}</h2>
                                <ErrorBox error=hand_out_error />
                                <HandOutForm action=hand_out member_id templates />
                            </section>
                        </div>
                        <LotsTable lots=p.lots.clone() />
                        <PointsTable lines=p.points_lines.clone() />
                        <CouponsTable coupons=p.coupons.clone() />
                        <SvTable lines=p.sv_lines.clone() />
                        <AuditTable lines=p.audit.clone() />
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

#[component]
fn Summary(profile: MemberProfile) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let p = profile;
    let stat = |label: &'static str, value: String| {
        view! {
            <div class="stat">
                <dt>{label}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    view! {
        <h1>
            {display_name(t, &p.name, &p.phone_last4)}" "
            <span class="badge">{p.level.get(lang).to_string()}</span>
            {(!p.active).then(|| view! { " "<span class="badge badge-muted">{t.ops_member_inactive}</span> })}
        </h1>
        <section class="panel">
            <dl class="facts">
                <div><dt>{t.field_phone}</dt><dd class="ops-mono">{p.masked_phone.clone()}</dd></div>
                <div><dt>{t.level}</dt><dd>{p.level.get(lang).to_string()}</dd></div>
                <div><dt>{t.field_birthday}</dt><dd>{p.birthday.clone().unwrap_or_else(|| "—".into())}</dd></div>
                <div><dt>{t.member_since}</dt><dd>{p.joined.clone()}</dd></div>
            </dl>
        </section>
        <dl class="stats ops-stats" data-testid="member-balances">
            {stat(t.points_available_label, p.points_available.to_string())}
            {stat(t.points_pending_label, p.points_pending.to_string())}
            {stat(t.ops_points_debt, p.points_debt.to_string())}
            {stat(t.stored_value, p.stored_value.to_string())}
        </dl>
    }
    .into_any()
}

#[component]
fn ReasonField() -> impl IntoView {
    let t = use_tr();
    view! {
        <label class="field">
            <span>{t.field_reason}</span>
            <input type="text" name="reason" required minlength="2" maxlength="200" placeholder=t.ops_reason_placeholder />
        </label>
    }
    .into_any()
}

#[component]
fn HandOutForm(action: ServerAction<HandOutCoupon>, member_id: i64, templates: Vec<Choice>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    if templates.is_empty() {
        return view! { <p class="muted">{t.ops_no_active_templates}</p> }.into_any();
    }
    view! {
        <ActionForm action attr:class="stack" attr:data-testid="hand-out">
            <input type="hidden" name="member_id" value=member_id />
            <label class="field">
                <span>{t.field_coupon}</span>
                <select name="template_id" required>
                    {templates.into_iter().map(|c| view! {
                        <option value=c.id>{format!("{} ({})", c.name.get(lang), c.code)}</option>
                    }).collect_view()}
                </select>
            </label>
            <ReasonField />
            <button type="submit" class="button button-primary">{t.ops_hand_out_button}</button>
        </ActionForm>
    }
    .into_any()
}
