//! 小票规则 (/ops/receipts/rules): the upload window, the minimum amount, the caps and the tenants
//! whose receipts earn nothing. Both operator roles read them; the mall administrator changes them
//! with a reason that goes into the audit log. Bad input changes nothing.

use crate::components::ErrorBox;
use crate::error_text::error_text;
use crate::i18n::{fill, use_lang, use_tr, Tr};
use crate::operator::notices::{is_admin, AdminOnlyNote, SavedNotice};
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::dto::{ReceiptRulesView, TenantSummary};
use plaza_types::error::Field;
use plaza_types::{AppError, Fen};

#[server(endpoint = "ops/receipts/rules")]
pub async fn get_receipt_rules() -> Result<(ReceiptRulesView, Vec<TenantSummary>), AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    let ctx = app()?;
    let rules: plaza_core::receipts::ReceiptRules =
        plaza_core::settings::get(ctx.db.pool()).await.map_err(user_error)?;
    let tenants = plaza_core::tenants::list(&ctx.db).await.map_err(user_error)?;
    Ok((rules.view(), tenants))
}

/// `min_amount` in yuan as typed; `excluded` is tenant codes separated by commas or spaces.
/// Refusals name the field in [`rules_error_text`]: the window as `Date`, the minimum as
/// `Amount`, either cap as `LimitReached`, an unknown code as `Tenant`.
#[server(endpoint = "ops/receipts/rules/set")]
pub async fn set_receipt_rules(
    window_days: String,
    min_amount: String,
    per_tenant_daily: String,
    per_day: String,
    excluded: String,
    reason: String,
) -> Result<(), AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_core::input;
    use plaza_types::StaffRole;
    let staff = require_staff(&[StaffRole::OperatorAdmin]).await?;
    let view = ReceiptRulesView {
        window_days: input::number(&window_days, Field::Date).map_err(user_error)?,
        min_amount_fen: Fen::from_yuan_str(min_amount.trim()).map_err(|_| AppError::invalid(Field::Amount))?.0,
        per_tenant_daily: input::number(&per_tenant_daily, Field::Amount).map_err(|_| AppError::LimitReached)?,
        per_day: input::number(&per_day, Field::Amount).map_err(|_| AppError::LimitReached)?,
        excluded_tenants: split_codes(&excluded),
    };
    let ctx = app()?;
    let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
    let mut tx = ctx.db.begin_write().await.map_err(user_error)?;
    plaza_core::receipts::rules::update(&mut tx, &view, &operator, &reason, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    tx.commit().await.map_err(user_error)?;
    leptos_axum::redirect("/ops/receipts/rules?saved=rules");
    Ok(())
}

/// Tenant codes as an operator types them: `roast, coffee` or one per line; case kept (codes are
/// lower case already), blanks dropped.
#[cfg(any(feature = "ssr", test))]
fn split_codes(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c == '，' || c == '、' || c.is_whitespace())
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

/// The refusal in the words of this form: which rule was out of range, and its range.
/// The upload window in words: the deadline is the end of the purchase day plus `days` (mall
/// time), as `core/src/receipts` decides it.
fn window_text(t: &Tr, days: i64) -> String {
    match days {
        0 => t.ops_rcr_window_same_day.to_string(),
        1 => t.ops_rcr_window_next_day.to_string(),
        n => fill(t.ops_rcr_window_value, &[("n", &n.to_string())]),
    }
}

fn rules_error_text(t: &Tr, error: &AppError) -> String {
    match error {
        AppError::Invalid { field: Field::Date } => t.ops_rcr_err_window.into(),
        AppError::Invalid { field: Field::Amount } => t.ops_rcr_err_minimum.into(),
        AppError::Invalid { field: Field::Tenant } => t.ops_rcr_err_tenant.into(),
        AppError::Invalid { field: Field::Reason } => t.ops_rcr_err_reason.into(),
        AppError::LimitReached => t.ops_rcr_err_caps.into(),
        other => error_text(t, other),
    }
}

#[component]
pub fn OpsReceiptRulesPage() -> impl IntoView {
    let t = use_tr();
    let admin = is_admin();
    let rules = crate::components::page_resource(|| (), |_| get_receipt_rules());
    view! {
        <Title text=t.ops_rcr_title />
        <h1>{t.ops_rcr_title}</h1>
        <p><a href="/ops/receipts">{t.ops_rc_back}</a></p>
        {(!admin).then(|| view! { <AdminOnlyNote /> })}
        <SavedNotice />
        <Suspense>
            {move || rules.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok((rules, tenants)) => view! { <RulesSection rules tenants admin /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn RulesSection(rules: ReceiptRulesView, tenants: Vec<TenantSummary>, admin: bool) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let action = ServerAction::<SetReceiptRules>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let min_yuan = plaza_types::Fen(rules.min_amount_fen).yuan_decimal();
    let excluded_names = tenants
        .iter()
        .filter(|tn| rules.excluded_tenants.contains(&tn.code))
        .map(|tn| tn.name.get(lang).to_string())
        .collect::<Vec<_>>();
    let codes = tenants.iter().map(|tn| format!("{} {}", tn.code, tn.name.get(lang))).collect::<Vec<_>>().join("，");
    view! {
        <section class="panel" id="rules">
            <dl class="facts" data-testid="receipt-rules">
                <div><dt>{t.ops_rcr_window}</dt><dd data-testid="rules-window">{window_text(t, rules.window_days)}</dd></div>
                <div><dt>{t.ops_rcr_minimum}</dt><dd data-testid="rules-minimum">{Fen(rules.min_amount_fen).to_string()}</dd></div>
                <div><dt>{t.ops_rcr_per_tenant}</dt><dd>{rules.per_tenant_daily}</dd></div>
                <div><dt>{t.ops_rcr_per_day}</dt><dd>{rules.per_day}</dd></div>
                <div><dt>{t.ops_rcr_excluded}</dt><dd>{if excluded_names.is_empty() { t.ops_rcr_none.to_string() } else { excluded_names.join("、") }}</dd></div>
            </dl>
        </section>
        {admin.then(|| view! {
            <section class="panel">
                <h2>{t.ops_rcr_change}</h2>
                {move || error.get().map(|e| view! {
                    <p class="notice notice-error" role="alert" data-testid="rules-error">{rules_error_text(t, &e)}</p>
                })}
                <ActionForm action attr:class="ops-form-grid" attr:data-testid="receipt-rules-form">
                    <label class="field">
                        <span>{t.ops_rcr_window}</span>
                        <input type="number" name="window_days" min="0" max="30" required value=rules.window_days />
                        <small class="muted">{t.ops_rcr_window_hint}</small>
                    </label>
                    <label class="field">
                        <span>{t.ops_rcr_minimum_yuan}</span>
                        <input type="text" name="min_amount" inputmode="decimal" required value=min_yuan />
                        <small class="muted">{t.ops_rcr_minimum_hint}</small>
                    </label>
                    <label class="field">
                        <span>{t.ops_rcr_per_tenant}</span>
                        <input type="number" name="per_tenant_daily" min="1" max="50" required value=rules.per_tenant_daily />
                        <small class="muted">{t.ops_rcr_caps_hint}</small>
                    </label>
                    <label class="field">
                        <span>{t.ops_rcr_per_day}</span>
                        <input type="number" name="per_day" min="1" max="50" required value=rules.per_day />
                    </label>
                    <label class="field ops-span">
                        <span>{t.ops_rcr_excluded_codes}</span>
                        <input type="text" name="excluded" value=rules.excluded_tenants.join(", ") placeholder="roast, coffee" />
                        <small class="muted">{fill(t.ops_rcr_codes_hint, &[("codes", &codes)])}</small>
                    </label>
                    <label class="field ops-span">
                        <span>{t.ops_rcr_reason}</span>
                        <input type="text" name="reason" maxlength="200" required />
                    </label>
                    <div class="ops-span"><button type="submit" class="button button-primary">{t.save}</button></div>
                </ActionForm>
            </section>
        })}
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::split_codes;

    #[test]
    fn codes_split_on_commas_and_spaces() {
        assert_eq!(split_codes(" roast, coffee，noodle\nsichuan、 "), ["roast", "coffee", "noodle", "sichuan"]);
        assert!(split_codes("  ").is_empty());
    }
}
