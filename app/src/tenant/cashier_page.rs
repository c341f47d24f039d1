use super::counter_sale::{counter_sales_today, AwardCounterSale, ReverseCounterSale};
use super::member_check::{get_member_check, CheckMember};
use super::TenantScope;
use crate::components::{CameraScanner, ErrorBox};
use crate::error_text::error_text;
use crate::i18n::{fill, use_lang, use_tr, Tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::{CounterSaleLine, MemberCheckView};
use plaza_types::{AppError, StaffRole};

/// 收银台: scan the member's code with the camera, or type it; see who the member is (level,
/// points, paid membership) and award the points of a sale rung up on the shop's own till. The
/// code is posted, never put in the address; the page then shows the member by the check's
/// token. Today's awards are listed, and the owner may reverse one the same day.
#[component]
pub fn CashierPage() -> impl IntoView {
    let t = use_tr();
    let scope = expect_context::<TenantScope>();
    let tenant_id = scope.tenant.id.0;
    let owner = scope.role == StaffRole::TenantOwner;
    let query = use_query_map();
    let token = move || query.with(|q| q.get("check").unwrap_or_default());
    let awarded = move || query.with(|q| q.get("awarded").and_then(|v| v.parse::<i64>().ok()));
    let reversed = move || query.with(|q| q.get("reversed").is_some());
    let check = ServerAction::<CheckMember>::new();
    let award = ServerAction::<AwardCounterSale>::new();
    let reverse = ServerAction::<ReverseCounterSale>::new();
    let check_error = Signal::derive(move || check.value().get().and_then(|r| r.err()));
    let award_error = Signal::derive(move || award.value().get().and_then(|r| r.err()).map(|e| sale_error_text(t, &e)));
    let reverse_error = Signal::derive(move || reverse.value().get().and_then(|r| r.err()));
    let found = crate::components::page_resource(token, move |token| async move {
        if token.is_empty() {
            None
        } else {
            Some(get_member_check(tenant_id, token).await)
        }
    });
    let sales = crate::components::page_resource(|| (), move |_| counter_sales_today(tenant_id));
    view! {
        <Title text=t.nav_cashier />
        <h1>{t.nav_cashier}</h1>
        {move || reversed().then(|| view! { <p class="notice notice-ok" role="status">{t.cs_reversed}</p> })}
        <Suspense>
            {move || awarded().and_then(|id| sales.get().and_then(|r| r.ok()).and_then(|list| list.into_iter().find(|s| s.id == id))).map(|sale| view! {
                <p class="notice notice-ok" role="status" data-testid="sale-awarded">
                    {fill(t.cs_awarded, &[("points", &sale.points.to_string()), ("phone", &sale.member_masked_phone), ("no", &sale.receipt_no)])}
                </p>
            })}
        </Suspense>
        <div class="cashier">
            <section class="panel">
                <h2>{t.scan_member_code_title}</h2>
                <CashierScanner tenant_id />
            </section>
            <section class="panel">
                <h2>{t.type_member_code_title}</h2>
                <ActionForm action=check attr:class="stack">
                    <input type="hidden" name="tenant_id" value=tenant_id />
                    <label class="field">
                        <span>{t.field_member_code}</span>
                        <input type="text" name="code" inputmode="numeric" autocomplete="off" required
                            placeholder=t.member_code_placeholder data-testid="code-input" />
                    </label>
                    <button type="submit" class="button button-primary">{t.identify}</button>
                </ActionForm>
                <ErrorBox error=check_error />
                <Suspense>
                    {move || found.get().flatten().map(|r| match r {
                        Ok(member) => view! {
                            <MemberFound member=member.clone() />
                            <AwardForm member tenant_id action=award error=award_error />
                        }.into_any(),
                        Err(AppError::MemberCodeExpired) => view! {
                            <p class="notice notice-error" role="alert">{t.cs_check_expired}</p>
                        }.into_any(),
                        Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                    })}
                </Suspense>
            </section>
        </div>
        <section class="panel" data-testid="counter-sales">
            <h2>{t.cs_today_title}</h2>
            <ErrorBox error=reverse_error />
            <Suspense>
                {move || sales.get().map(|r| match r {
                    Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="muted">{t.cs_today_empty}</p> }.into_any(),
                    Ok(list) => view! { <SalesToday list tenant_id owner action=reverse /> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// What this page says for a refused award: the shop's own words where the generic ones
/// would not tell the cashier what to do.
fn sale_error_text(t: &Tr, error: &AppError) -> String {
    match error {
        AppError::AlreadyExists => t.cs_err_duplicate.to_string(),
        AppError::MemberCodeExpired => t.cs_check_expired.to_string(),
        other => error_text(t, other),
    }
}

/// The camera, in the browser: a scanned code is posted as the typed one is.
#[cfg_attr(feature = "islands-staff", island)]
#[cfg_attr(not(feature = "islands-staff"), component)]
fn CashierScanner(tenant_id: i64) -> impl IntoView {
    let form = NodeRef::<leptos::html::Form>::new();
    let code = NodeRef::<leptos::html::Input>::new();
    let on_code = Callback::new(move |text: String| {
        #[cfg(feature = "hydrate")]
        if let (Some(form), Some(input)) = (form.get_untracked(), code.get_untracked()) {
            input.set_value(&text);
            let _ = form.submit();
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (text, form, code);
    });
    view! {
        <CameraScanner on_code />
        <form method="post" action="/api/tenant/member-check" node_ref=form hidden>
            <input type="hidden" name="tenant_id" value=tenant_id />
            <input type="hidden" name="code" node_ref=code />
        </form>
    }
}

#[component]
fn MemberFound(member: MemberCheckView) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let who = member.member.clone();
    view! {
        <div class="member-found" role="status" data-testid="member-found">
            <p class="member-found-title">
                {t.member_identified}
                {member.paid.clone().map(|paid| view! {
                    " "<span class="badge badge-paid" data-testid="member-paid">
                        {paid.tier.get(lang).to_string()}
                        {paid.subcard.then(|| format!(" · {}", t.card_paid_subcard))}
                    </span>
                })}
            </p>
            <dl class="facts">
                <div><dt>{t.field_name}</dt><dd>{crate::member::display_name(t, &who.name, &who.phone_last4)}</dd></div>
                <div><dt>{t.field_phone}</dt><dd data-testid="member-phone">{who.masked_phone.clone()}</dd></div>
                <div><dt>{t.level}</dt><dd data-testid="member-level">{who.level.name.get(lang).to_string()}</dd></div>
                <div><dt>{t.points_available}</dt><dd data-testid="member-points">{member.points_available}</dd></div>
                <div><dt>{t.points_pending}</dt><dd>{member.points_pending}</dd></div>
            </dl>
            {member.subcard.then(|| view! { <p class="small">{t.cs_subcard_note}</p> })}
        </div>
    }
}

/// Amount and receipt number of the sale on the shop's till.
#[component]
fn AwardForm(
    member: MemberCheckView,
    tenant_id: i64,
    action: ServerAction<AwardCounterSale>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let t = use_tr();
    if member.used {
        return view! { <p class="notice" data-testid="check-used">{t.cs_check_used}</p> }.into_any();
    }
    let minutes = (member.expires_in_secs + 59) / 60;
    view! {
        <div class="award-sale">
            <h3>{t.cs_award_title}</h3>
            <p class="muted small">{fill(t.cs_award_hint, &[("n", &minutes.to_string())])}</p>
            {move || error.get().map(|text| view! { <p class="notice notice-error" role="alert">{text}</p> })}
            <ActionForm action attr:class="ops-inline-form" attr:data-testid="award-form">
                <input type="hidden" name="tenant_id" value=tenant_id />
                <input type="hidden" name="check" value=member.token.clone() />
                <label class="field"><span>{t.cs_amount}</span>
                    <input type="text" name="amount" inputmode="decimal" autocomplete="off" required placeholder="0.00" data-testid="sale-amount-input" /></label>
                <label class="field"><span>{t.cs_receipt_no}</span>
                    <input type="text" name="receipt_no" autocomplete="off" required maxlength="40" data-testid="sale-receipt-input" /></label>
                <button type="submit" class="button button-primary" data-testid="award-submit">{t.cs_award_submit}</button>
            </ActionForm>
        </div>
    }
    .into_any()
}

#[component]
fn SalesToday(
    list: Vec<CounterSaleLine>,
    tenant_id: i64,
    owner: bool,
    action: ServerAction<ReverseCounterSale>,
) -> impl IntoView {
    let t = use_tr();
    view! {
        <ul class="sale-list counter-sales">
            {list.into_iter().map(|sale| view! {
                <li class="sale-line" class:sale-refund=sale.reversed data-testid="counter-sale" data-receipt=sale.receipt_no.clone()>
                    <div class="sale-main">
                        <span class="sale-time">{sale.at.clone()}</span>
                        <span>{fill(t.cs_receipt_line, &[("no", &sale.receipt_no)])}</span>
                        <span class="sale-member">{sale.member_masked_phone.clone()}</span>
                        <strong class="sale-amount">{sale.amount.to_string()}</strong>
                    </div>
                    <div class="muted small">
                        {fill(t.cs_points_line, &[("points", &sale.points.to_string()), ("by", &sale.awarded_by)])}
                        {sale.reversed.then(|| format!(" · {}", t.cs_reversed_badge))}
                    </div>
                    {(owner && sale.reversible).then(|| view! {
                        <details class="sale-refund-form">
                            <summary>{t.cs_reverse}</summary>
                            <ActionForm action>
                                <input type="hidden" name="tenant_id" value=tenant_id />
                                <input type="hidden" name="sale_id" value=sale.id />
                                <label class="field"><span>{t.counter_refund_reason}</span>
                                    <input type="text" name="reason" required minlength="2" maxlength="100" data-testid="reverse-reason" /></label>
                                <button type="submit" class="button button-danger" data-testid="reverse-submit">{t.cs_reverse_submit}</button>
                            </ActionForm>
                        </details>
                    })}
                </li>
            }).collect_view()}
        </ul>
    }
}
