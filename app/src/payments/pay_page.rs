use super::pay_form::{PayForm, Selection};
use crate::auth::encode_component;
use crate::components::{read_error, unless_signed_in, ErrorBox, TopBar};
use crate::i18n::{use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use plaza_types::dto::PayOptions;
use plaza_types::AppError;

/// What the signed-in shopper may pay this amount at this plate with.
#[server(endpoint = "pay/options")]
pub async fn get_pay_options(code: String, amount: String) -> Result<PayOptions, AppError> {
    use crate::server::{app, require_member, user_error};
    use plaza_core::payments::plate_pay;
    let member = require_member().await?;
    let amount = plate_pay::parse_amount(&amount)?;
    let ctx = app()?;
    let tz = plaza_core::mall::timezone(&ctx.db).await.map_err(user_error)?;
    plate_pay::options(&ctx.db, member, &code, amount, plaza_core::Timestamp::now(), &tz).await.map_err(user_error)
}

/// Pays at a plate with the tenders the shopper chose. The browser goes on to the provider's
/// page, or straight to the result when nothing is left to pay; a refusal returns to the pay page
/// with the same choices and the reason.
#[server(endpoint = "pay/plate")]
#[allow(clippy::too_many_arguments)]
pub async fn pay_at_plate(
    code: String,
    amount: String,
    coupon: Option<String>,
    points: Option<String>,
    sv: Option<String>,
    expected_to_pay: Option<String>,
    request_key: String,
) -> Result<String, AppError> {
    use crate::server::{app, require_member, user_error};
    use plaza_core::payments::{plate_pay, Choice};
    let coupon = coupon.filter(|c| !c.is_empty());
    let back = Selection { coupon: coupon.clone(), points: points.is_some(), sv: sv.is_some() }.query(&code, &amount);
    let member = match require_member().await {
        Ok(member) => member,
        Err(AppError::Unauthenticated) => {
            leptos_axum::redirect(&format!("/login?next={}", encode_component(&back)));
            return Err(AppError::Unauthenticated);
        }
        Err(e) => return Err(e),
    };
    let attempt = async {
        let ctx = app()?;
        let order = plate_pay::PlateOrder {
            code: code.clone(),
            amount: plate_pay::parse_amount(&amount)?,
            choice: Choice {
                coupon: match coupon.as_deref() {
                    Some(id) => Some(id.parse().map_err(|_| AppError::invalid(plaza_types::error::Field::Coupon))?),
                    None => None,
                },
                use_points: points.is_some(),
                use_stored_value: sv.is_some(),
            },
            expected_to_pay: expected_to_pay.and_then(|v| v.parse().ok()).map(plaza_types::Fen),
            request_key: request_key.chars().take(64).collect(),
        };
        let provider = ctx.payments.provider.clone();
        plate_pay::start(&ctx.db, provider.as_ref(), member, &order, plaza_core::Timestamp::now())
            .await
            .map_err(user_error)
    };
    match attempt.await {
        Ok(created) => {
            let next = created.pay_url.clone().unwrap_or_else(|| format!("/pay/result/{}", created.payment_no));
            leptos_axum::redirect(&next);
            Ok(created.payment_no.to_string())
        }
        Err(error) => {
            leptos_axum::redirect(&format!("{back}&{}", crate::components::error_param(&error)));
            Err(error)
        }
    }
}

/// 确认支付: the amount, the coupons, points and stored value on offer, and what is left to pay
/// through WeChat Pay / Alipay, recomputed live as the shopper changes them.
#[component]
pub fn PlatePayPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let amount = move || query.with(|q| q.get("amount").unwrap_or_default());
    let refused = move || read_error(query.with(|q| q.get("error")));
    let options =
        crate::components::page_resource(move || (code(), amount()), |(code, amount)| get_pay_options(code, amount));
    view! {
        <Title text=t.pay_title />
        <TopBar title=t.pay_title />
        <main class="page pay-page">
            <ErrorBox error=Signal::derive(refused) />
            <Suspense>
                {move || options.get().map(|r| match r {
                    Err(AppError::Unauthenticated) => {
                        let here = format!("/p/{}/pay?amount={}", code(), encode_component(&amount()));
                        unless_signed_in(AppError::Unauthenticated, &here)
                    }
                    Err(e) => view! {
                        <ErrorBox error=Some(e) />
                        <a class="button button-block" href=format!("/p/{}", code())>{t.pay_change_amount}</a>
                    }.into_any(),
                    Ok(options) => {
                        let selection = query.with(|q| Selection::from_query(q.get("chosen").is_some(), q.get("coupon"), q.get("points").is_some(), q.get("sv").is_some(), &options));
                        view! {
                            <section class="panel pay-summary">
                                <p class="muted">{options.plate.tenant.get(lang).to_string()}" · "{options.plate.unit_no.clone()}</p>
                                <p class="pay-amount" data-testid="pay-amount">{options.amount.to_string()}</p>
                                <a class="small" href=format!("/p/{}", options.plate.code)>{t.pay_change_amount}</a>
                            </section>
                            <PayForm options amount_text=amount() selection />
                        }.into_any()
                    }
                })}
            </Suspense>
        </main>
    }
}
