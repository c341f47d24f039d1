//! 店铺资料: the storefront's profile as shoppers see it on `/mall/s/<code>` — its name in the
//! mall, introduction, opening hours, pickup point and whether it delivers — with the logo and
//! banner uploaded as plain multipart forms to `/tenant/shop/storefront-picture`. The owner's.

use super::shop_products::ShopTabs;
use super::TenantScope;
use crate::components::{read_error, ErrorBox};
use crate::i18n::use_tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::StorefrontProfile;
use plaza_types::AppError;

#[server(endpoint = "tenant/shop/storefront")]
pub async fn get_storefront_profile(tenant: i64) -> Result<(StorefrontProfile, String), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_core::shop::storefront;
    use plaza_types::{StaffRole, TenantId};
    require_tenant_staff(TenantId(tenant), &[StaffRole::TenantOwner]).await?;
    let db = &app()?.db;
    let profile = storefront::profile(db, TenantId(tenant)).await.map_err(user_error)?;
    let mut conn = db.pool().acquire().await.map_err(|e| user_error(e.into()))?;
    let code = storefront::by_tenant(&mut conn, TenantId(tenant)).await.map_err(user_error)?.code;
    Ok((profile, code))
}

#[server(endpoint = "tenant/shop/storefront/save")]
pub async fn save_storefront_profile(
    tenant: i64,
    name: String,
    intro: String,
    opening_hours: String,
    pickup_unit: String,
    delivers: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_core::shop::storefront::{self, ProfileInput};
    use plaza_types::{StaffRole, TenantId};
    let staff = require_tenant_staff(TenantId(tenant), &[StaffRole::TenantOwner]).await?;
    let input = ProfileInput { name, intro, opening_hours, pickup_unit, delivers: delivers.is_some() };
    let actor = plaza_core::audit::Actor::Staff(staff.staff_id);
    storefront::update(&app()?.db, TenantId(tenant), &input, &actor, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/tenant/products/storefront?saved=profile");
    Ok(())
}

/// `/tenant/products/storefront`.
#[component]
pub fn ShopStorefrontPage() -> impl IntoView {
    let t = use_tr();
    let scope = expect_context::<TenantScope>();
    let tenant = scope.tenant.id.0;
    let query = use_query_map();
    let save = ServerAction::<SaveStorefrontProfile>::new();
    let profile = Resource::new(move || save.version().get(), move |_| get_storefront_profile(tenant));
    let error = Signal::derive(move || {
        read_error(query.with(|q| q.get("error"))).or_else(|| save.value().get().and_then(|r| r.err()))
    });
    let saved = move || query.with(|q| q.get("saved").is_some());
    view! {
        <Title text=t.stc_tab_storefront />
        <h1>{t.nav_products}</h1>
        <ShopTabs current="/tenant/products/storefront" />
        <ErrorBox error />
        {move || saved().then(|| view! { <p class="notice notice-ok" role="status" data-testid="storefront-saved">{t.stc_saved}</p> })}
        <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
            {move || profile.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok((p, code)) => view! {
                    <section class="panel">
                        <p><a href=format!("/mall/s/{code}") target="_blank">{t.stc_view_storefront}</a></p>
                        <ActionForm action=save attr:class="stack shop-form">
                            <input type="hidden" name="tenant" value=tenant />
                            <label class="field"><span>{t.stc_shop_name}</span><input type="text" name="name" value=p.name.clone() required maxlength="30" data-testid="storefront-name" /></label>
                            <label class="field"><span>{t.stc_intro}</span><textarea name="intro" rows="4" maxlength="500">{p.intro.clone()}</textarea></label>
                            <div class="shop-two">
                                <label class="field"><span>{t.stc_hours}</span><input type="text" name="opening_hours" value=p.opening_hours.clone() maxlength="40" placeholder="10:00-22:00" /></label>
                                <label class="field"><span>{t.stc_pickup_unit}</span><input type="text" name="pickup_unit" value=p.pickup_unit.clone() maxlength="20" /></label>
                            </div>
                            <label class="check"><input type="checkbox" name="delivers" value="on" checked=p.delivers />" "{t.stc_delivers}</label>
                            <button type="submit" class="button button-primary" data-testid="save-storefront">{t.stc_save}</button>
                        </ActionForm>
                    </section>
                    <section class="panel">
                        <h2>{t.stc_pictures}</h2>
                        <div class="shop-two">
                            {[("logo", t.stc_logo, p.logo.clone()), ("banner", t.stc_banner, p.banner.clone())].into_iter().map(|(which, label, current)| view! {
                                <form method="post" action="/tenant/shop/storefront-picture" enctype="multipart/form-data" class="stack">
                                    <label for=format!("picture-{which}")><strong>{label}</strong></label>
                                    {current.map(|src| view! { <img class=format!("shop-{which}") src=src alt=label /> })}
                                    <input type="hidden" name="which" value=which />
                                    <input type="file" id=format!("picture-{which}") name="photo" accept="image/jpeg,image/png,image/webp" required />
                                    <button type="submit" class="button">{t.stc_upload}</button>
                                </form>
                            }).collect_view()}
                        </div>
                        <p class="muted small">{t.stc_pictures_hint}</p>
                    </section>
                }.into_any(),
            })}
        </Suspense>
    }
}
