use super::batch::BatchSection;
use super::create_form::CreateTemplateSection;
use crate::components::ErrorBox;
use crate::coupons::{headline, scope};
use crate::i18n::{fill, use_lang, use_tr};
use crate::operator::labels::{coupon_kind_label, template_status_label};
use crate::operator::notices::{is_admin, AdminOnlyNote, SavedNotice};
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::dto::{CouponTemplateView, CouponsAdmin};
use plaza_types::AppError;

#[server(endpoint = "ops/coupons")]
pub async fn get_coupon_templates() -> Result<CouponsAdmin, AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    let ctx = app()?;
    plaza_core::coupons::admin::page(&ctx.db).await.map_err(user_error)
}

/// `active`, `paused` or `ended` (ended is final: no new issues, nothing resumes it).
#[server(endpoint = "ops/coupons/status")]
pub async fn set_template_status(template_id: i64, status: String) -> Result<(), AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_types::StaffRole;
    let staff = require_staff(&[StaffRole::OperatorAdmin]).await?;
    let ctx = app()?;
    let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
    plaza_core::coupons::admin::set_status(&ctx.db, template_id, &status, &operator, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/ops/coupons?saved=status");
    Ok(())
}

/// 优惠券: every template with its terms in words; the administrator creates, pauses, resumes,
/// ends and issues batches.
#[component]
pub fn OpsCouponsPage() -> impl IntoView {
    let t = use_tr();
    let admin = is_admin();
    let admin_data = crate::components::page_resource(|| (), |_| get_coupon_templates());
    let status = ServerAction::<SetTemplateStatus>::new();
    let status_error = Signal::derive(move || status.value().get().and_then(|r| r.err()));
    view! {
        <Title text=t.nav_coupons />
        <h1>{t.nav_coupons}</h1>
        {(!admin).then(|| view! { <AdminOnlyNote /> })}
        <SavedNotice />
        <ErrorBox error=status_error />
        <Suspense>
            {move || admin_data.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(data) => view! {
                    <TemplatesTable templates=data.templates.clone() admin status />
                    {admin.then(|| view! {
                        <BatchSection templates=data.templates.clone() />
                        <CreateTemplateSection categories=data.categories.clone() tenants=data.tenants.clone() />
                    })}
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn TemplatesTable(
    templates: Vec<CouponTemplateView>,
    admin: bool,
    status: ServerAction<SetTemplateStatus>,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    if templates.is_empty() {
        return view! { <section class="panel"><p class="muted">{t.ops_nothing_yet}</p></section> }.into_any();
    }
    let status_button = move |id: i64, to: &'static str, label: &'static str| {
        view! {
            <ActionForm action=status>
                <input type="hidden" name="template_id" value=id />
                <input type="hidden" name="status" value=to />
                <button type="submit" class="link-button">{label}</button>
            </ActionForm>
        }
    };
    view! {
        <section class="panel">
            <h2>{t.ops_templates_title}</h2>
            <div class="ops-table-wrap">
                <table class="table" data-testid="templates">
                    <thead><tr>
                        <th>{t.field_coupon}</th><th>{t.ops_col_terms}</th>
                        <th>{t.ops_col_valid}</th><th>{t.ops_col_limits}</th><th>{t.ops_col_issued}</th>
                        <th>{t.status}</th>{admin.then(|| view! { <th></th> })}
                    </tr></thead>
                    <tbody>
                        {templates.into_iter().map(|tpl| {
                            let validity = match (&tpl.valid_from, &tpl.valid_until, tpl.valid_days) {
                                (_, _, Some(days)) => fill(t.coupon_valid_days, &[("n", &days.to_string())]),
                                (Some(from), Some(until), None) => format!("{from} – {until}"),
                                (None, Some(until), None) => fill(t.coupon_valid_until, &[("date", until)]),
                                _ => String::new(),
                            };
                            let stock = match tpl.total_stock {
                                Some(total) => format!("{} / {total}", tpl.issued),
                                None => fill(t.ops_issued_unlimited, &[("n", &tpl.issued.to_string())]),
                            };
                            let id = tpl.id;
                            let state = tpl.status.clone();
                            view! {
                                <tr>
                                    <td class="ops-cell-wide">
                                        <strong>{tpl.terms.name.get(lang).to_string()}</strong>
                                        <div class="muted small ops-mono">{tpl.code.clone()}</div>
                                    </td>
                                    <td class="ops-cell-wide">
                                        {headline(t, &tpl.terms)}
                                        <div class="muted small">{format!("{} · {}", coupon_kind_label(t, tpl.terms.kind), scope(t, &tpl.terms, lang))}</div>
                                    </td>
                                    <td>{validity}</td>
                                    <td>
                                        {fill(t.ops_per_member, &[("n", &tpl.per_member_limit.to_string())])}
                                        {tpl.claimable.then(|| view! { <div><span class="badge">{t.ops_claimable}</span></div> })}
                                    </td>
                                    <td class="ops-nowrap">{stock}</td>
                                    <td><span class="badge" class:badge-muted=state != "active">{template_status_label(t, &state)}</span></td>
                                    {admin.then(|| view! {
                                        <td><div class="ops-actions">
                                            {(state == "active").then(|| status_button(id, "paused", t.ops_pause))}
                                            {(state == "paused").then(|| status_button(id, "active", t.ops_resume))}
                                            {(state != "ended").then(|| status_button(id, "ended", t.ops_end))}
                                        </div></td>
                                    })}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}
