use super::amount_keypad::AmountKeypad;
use crate::components::{ErrorBox, TopBar};
use crate::i18n::{use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use plaza_types::dto::PlateView;
use plaza_types::tender::{MAX_PAYMENT, MIN_PLATE_PAYMENT};
use plaza_types::AppError;

/// The plate a QR code leads to (anyone may look: the scan happens before sign-in).
#[server(endpoint = "pay/plate-info")]
pub async fn get_plate(code: String) -> Result<PlateView, AppError> {
    use crate::server::{app, user_error};
    let ctx = app()?;
    plaza_core::payments::plate_pay::active_plate(&ctx.db, &code).await.map_err(user_error)
}

/// 码牌: where a scanned counter plate lands. The shopper types the amount; the form is a plain
/// GET to the pay page, so the amount survives a detour through sign-in.
#[component]
pub fn PlatePage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let params = use_params_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let plate = crate::components::page_resource(code, get_plate);
    view! {
        <Title text=t.plate_title />
        <TopBar title=t.plate_title />
        <main class="page plate-page">
            <Suspense>
                {move || plate.get().map(|r| match r {
                    Err(AppError::NotFound | AppError::NotUsable) => view! {
                        <p class="notice notice-error" role="alert" data-testid="plate-unavailable">{t.plate_unavailable}</p>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                    Ok(plate) => {
                        let action = format!("/p/{}/pay", plate.code);
                        view! {
                            <section class="panel plate-shop">
                                <p class="plate-shop-name" data-testid="plate-tenant">{plate.tenant.get(lang).to_string()}</p>
                                <p class="muted small">{plate.unit_no.clone()}" · "{plate.name.clone()}</p>
                            </section>
                            <form method="get" action=action class="stack">
                                <AmountKeypad min_fen=MIN_PLATE_PAYMENT.0 max_fen=MAX_PAYMENT.0 initial=String::new() />
                            </form>
                        }.into_any()
                    }
                })}
            </Suspense>
        </main>
    }
}
