//! Batch issue: one coupon of a template to each phone number in a list. The outcome travels back
//! in the redirect's query (masked numbers only), so the page shows it without JavaScript too.

use crate::components::ErrorBox;
use crate::i18n::{fill, use_lang, use_tr};
use crate::operator::labels::skip_reason_label;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::{BatchOutcome, CouponTemplateView};
use plaza_types::AppError;

#[server(endpoint = "ops/coupons/batch")]
pub async fn issue_coupon_batch(template_id: String, phones: String) -> Result<BatchOutcome, AppError> {
    use crate::auth::encode_component;
    use crate::server::{app, require_staff, user_error};
    use plaza_types::{error::Field, StaffRole};
    /// Most skipped lines the page lists (the rest are counted), so the address stays short.
    const SHOWN_SKIPS: usize = 50;
    let staff = require_staff(&[StaffRole::OperatorAdmin]).await?;
    let template = plaza_core::input::number(&template_id, Field::Coupon).map_err(user_error)?;
    let ctx = app()?;
    let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
    let outcome =
        plaza_core::coupons::admin::batch(&ctx.db, template, &phones, &operator, plaza_core::Timestamp::now())
            .await
            .map_err(user_error)?;
    let skipped: Vec<String> = outcome
        .skipped
        .iter()
        .take(SHOWN_SKIPS)
        .map(|(line, why)| format!("{}\t{why}", line.chars().take(24).collect::<String>()))
        .collect();
    let more = outcome.skipped.len().saturating_sub(SHOWN_SKIPS);
    leptos_axum::redirect(&format!(
        "/ops/coupons?issued={}&skipped={}&more={more}#batch",
        outcome.issued,
        encode_component(&skipped.join("\n"))
    ));
    Ok(outcome)
}

#[component]
pub fn BatchSection(templates: Vec<CouponTemplateView>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let action = ServerAction::<IssueCouponBatch>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let query = use_query_map();
    let outcome = move || {
        query.with(|q| {
            let issued = q.get("issued")?.parse::<i64>().ok()?;
            let skipped: Vec<(String, String)> = q
                .get("skipped")
                .unwrap_or_default()
                .lines()
                .filter_map(|l| l.split_once('\t').map(|(a, b)| (a.to_string(), b.to_string())))
                .collect();
            let more = q.get("more").and_then(|m| m.parse::<usize>().ok()).unwrap_or(0);
            Some((issued, skipped, more))
        })
    };
    let usable: Vec<CouponTemplateView> = templates.into_iter().filter(|tpl| tpl.status == "active").collect();
    view! {
        <section class="panel" id="batch">
            <h2>{t.ops_batch_title}</h2>
            <p class="muted small">{t.ops_batch_hint}</p>
            <ErrorBox error />
            {move || outcome().map(|(issued, skipped, more)| view! {
                <div class="notice notice-ok" role="status" data-testid="batch-outcome">
                    <p>{fill(t.ops_batch_issued, &[("n", &issued.to_string())])}</p>
                    {(!skipped.is_empty()).then(|| view! {
                        <p>{fill(t.ops_batch_skipped, &[("n", &(skipped.len() + more).to_string())])}</p>
                        <ul class="ops-skips">
                            {skipped.into_iter().map(|(line, why)| view! {
                                <li><span class="ops-mono">{line}</span>" · "{skip_reason_label(t, &why)}</li>
                            }).collect_view()}
                        </ul>
                        {(more > 0).then(|| view! { <p class="small">{fill(t.ops_batch_more, &[("n", &more.to_string())])}</p> })}
                    })}
                </div>
            })}
            {if usable.is_empty() {
                view! { <p class="muted">{t.ops_no_active_templates}</p> }.into_any()
            } else {
                view! {
                    <ActionForm action attr:class="stack" attr:data-testid="batch-form">
                        <label class="field">
                            <span>{t.field_coupon}</span>
                            <select name="template_id" required>
                                {usable.into_iter().map(|tpl| view! {
                                    <option value=tpl.id>{format!("{} ({})", tpl.terms.name.get(lang), tpl.code)}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <label class="field">
                            <span>{t.ops_batch_phones}</span>
                            <textarea name="phones" rows="6" required placeholder="13800138000\n13900139000"></textarea>
                        </label>
                        <div><button type="submit" class="button button-primary">{t.ops_batch_button}</button></div>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}
