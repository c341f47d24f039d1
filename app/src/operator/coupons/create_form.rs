//! The create-template form: kind, names, value, scope, validity, limits.

use crate::components::ErrorBox;
use crate::i18n::{use_lang, use_tr};
use crate::operator::labels::coupon_kind_label;
use leptos::prelude::*;
use plaza_types::dto::{Choice, CouponKind, TemplateForm};
use plaza_types::AppError;

/// Creates a template from the form (`form[code]=…`); returns its id.
#[server(endpoint = "ops/coupons/create")]
pub async fn create_coupon_template(form: TemplateForm) -> Result<i64, AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_types::StaffRole;
    let staff = require_staff(&[StaffRole::OperatorAdmin]).await?;
    let ctx = app()?;
    let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
    let id = plaza_core::coupons::admin::create(&ctx.db, &form, &operator, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/ops/coupons?saved=template");
    Ok(id)
}

#[component]
pub fn CreateTemplateSection(categories: Vec<Choice>, tenants: Vec<Choice>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let action = ServerAction::<CreateCouponTemplate>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let checkboxes = move |name: &'static str, list: Vec<Choice>| {
        list.into_iter()
            .map(|c| {
                view! {
                    <label class="ops-check">
                        <input type="checkbox" name=name value=c.id />
                        <span>{c.name.get(lang).to_string()}</span>
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <section class="panel" id="create">
            <h2>{t.ops_create_template}</h2>
            <ErrorBox error />
            <ActionForm action attr:class="ops-form-grid" attr:data-testid="template-form">
                <label class="field">
                    <span>{t.ops_template_code}</span>
                    <input type="text" name="form[code]" required pattern="[a-z0-9\\-]{2,40}" placeholder="spring-50" />
                    <small class="muted">{t.ops_template_code_hint}</small>
                </label>
                <label class="field">
                    <span>{t.ops_col_kind}</span>
                    <select name="form[kind]">
                        {CouponKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{coupon_kind_label(t, k)}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field"><span>{t.ops_name_zh}</span><input type="text" name="form[name_zh]" required maxlength="40" /></label>
                <label class="field"><span>{t.ops_name_en}</span><input type="text" name="form[name_en]" maxlength="60" /></label>
                <label class="field">
                    <span>{t.ops_value_yuan}</span>
                    <input type="text" name="form[value]" inputmode="decimal" placeholder="20" />
                    <small class="muted">{t.ops_value_hint}</small>
                </label>
                <label class="field">
                    <span>{t.ops_threshold_yuan}</span>
                    <input type="text" name="form[threshold]" inputmode="decimal" placeholder="100" />
                    <small class="muted">{t.ops_threshold_hint}</small>
                </label>
                <label class="field">
                    <span>{t.ops_percent_off}</span>
                    <input type="number" name="form[percent_off]" min="1" max="99" placeholder="20" />
                    <small class="muted">{t.ops_percent_off_hint}</small>
                </label>
                <label class="field">
                    <span>{t.ops_parking_minutes}</span>
                    <input type="number" name="form[parking_minutes]" min="1" max="1440" placeholder="120" />
                </label>
                <fieldset class="ops-fieldset ops-span">
                    <legend>{t.ops_col_scope}</legend>
                    <label class="ops-check"><input type="radio" name="form[scope]" value="mall" checked /><span>{t.ops_scope_mall}</span></label>
                    <label class="ops-check"><input type="radio" name="form[scope]" value="category" /><span>{t.ops_scope_categories}</span></label>
                    <div class="ops-checks">{checkboxes("form[category_ids][]", categories)}</div>
                    <label class="ops-check"><input type="radio" name="form[scope]" value="tenant" /><span>{t.ops_scope_tenants}</span></label>
                    <div class="ops-checks">{checkboxes("form[tenant_ids][]", tenants)}</div>
                </fieldset>
                <fieldset class="ops-fieldset ops-span">
                    <legend>{t.ops_col_valid}</legend>
                    <div class="ops-inline-form">
                        <label class="ops-check"><input type="radio" name="form[validity]" value="days" checked /><span>{t.ops_validity_days}</span></label>
                        <label class="field"><span>{t.ops_valid_days}</span><input type="number" name="form[valid_days]" min="1" max="3650" value="30" /></label>
                    </div>
                    <div class="ops-inline-form">
                        <label class="ops-check"><input type="radio" name="form[validity]" value="fixed" /><span>{t.ops_validity_fixed}</span></label>
                        <label class="field"><span>{t.ops_starts_on}</span><input type="date" name="form[valid_from]" /></label>
                        <label class="field"><span>{t.ops_ends_on}</span><input type="date" name="form[valid_until]" /></label>
                    </div>
                </fieldset>
                <label class="field">
                    <span>{t.ops_per_member_limit}</span>
                    <input type="number" name="form[per_member_limit]" min="1" max="100" required value="1" />
                </label>
                <label class="field">
                    <span>{t.ops_total_stock}</span>
                    <input type="number" name="form[total_stock]" min="1" />
                    <small class="muted">{t.ops_empty_unlimited}</small>
                </label>
                <label class="ops-check"><input type="checkbox" name="form[claimable]" value="on" /><span>{t.ops_claimable_label}</span></label>
                <label class="field ops-span"><span>{t.ops_description_zh}</span><input type="text" name="form[description_zh]" maxlength="200" /></label>
                <label class="field ops-span"><span>{t.ops_description_en}</span><input type="text" name="form[description_en]" maxlength="200" /></label>
                <p class="ops-span"><button type="submit" class="button button-primary">{t.ops_create_template}</button></p>
            </ActionForm>
        </section>
    }
    .into_any()
}
