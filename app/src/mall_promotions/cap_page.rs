//! `/ops/shop/promotions`: the operator's cap on every shop's promotions (the deepest discount, in
//! percent off the list price).

use crate::components::ErrorBox;
use crate::i18n::{fill, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::AppError;

#[server(endpoint = "ops/promotions/cap")]
pub async fn get_promotion_cap() -> Result<i64, AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    let ctx = app()?;
    Ok(plaza_core::shop::promotions::cap::current(&ctx.db).await.map_err(user_error)?.max_off_pct)
}

#[server(endpoint = "ops/promotions/cap/set")]
pub async fn set_promotion_cap(max_off_pct: i64) -> Result<(), AppError> {
    use crate::server::{app, require_staff, user_error};
    let staff = require_staff(&[plaza_types::StaffRole::OperatorAdmin]).await?;
    let ctx = app()?;
    plaza_core::shop::promotions::cap::set(&ctx.db, max_off_pct, staff.staff_id, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/ops/shop/promotions?saved=1");
    Ok(())
}

#[component]
pub fn PromotionCapPage() -> impl IntoView {
    let t = use_tr();
    let set = ServerAction::<SetPromotionCap>::new();
    let cap = Resource::new(move || set.version().get(), |_| get_promotion_cap());
    view! {
        <Title text=t.pr_cap_title />
        <h1>{t.pr_cap_title}</h1>
        <ErrorBox error=Signal::derive(move || set.value().get().and_then(|r| r.err())) />
        <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
            {move || cap.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(pct) => view! {
                    <section class="panel">
                        <p data-testid="cap-now">{fill(t.pr_cap_note, &[("pct", &pct.to_string())])}</p>
                        <ActionForm action=set attr:class="dn-inline-fields">
                            <label class="field"><span>{t.pr_cap_label}</span>
                                <input type="number" name="max_off_pct" min="1" max="99" value=pct required data-testid="cap-input" /></label>
                            <button type="submit" class="button button-primary" data-testid="cap-save">{t.pr_save}</button>
                        </ActionForm>
                        <p class="muted small">{t.pr_cap_hint}</p>
                    </section>
                }.into_any(),
            })}
        </Suspense>
    }
}
