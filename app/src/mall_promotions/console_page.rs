//! `/tenant/promotions`: a storefront owner's promotions — running, upcoming and ended — and a
//! plain form for each kind (works without JavaScript), within the mall's cap.

use super::tier_text;
use crate::components::ErrorBox;
use crate::i18n::{fill, use_tr, Tr};
use crate::tenant::TenantScope;
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::dto::{PromotionConsole, PromotionKind, PromotionSkuChoice, PromotionStatus, PromotionView};
use plaza_types::AppError;

/// The form's names of the 满减 tiers' boxes and the bundle's SKU rows: one per tier and item the
/// engine allows (`MAX_TIERS`, `MAX_BUNDLE_ITEMS`), matching `create_promotion`'s arguments.
const TIER_FIELDS: [(&str, &str); plaza_types::pricing::MAX_TIERS] =
    [("t1", "o1"), ("t2", "o2"), ("t3", "o3"), ("t4", "o4"), ("t5", "o5")];
const ITEM_FIELDS: [(&str, &str); plaza_types::pricing::MAX_BUNDLE_ITEMS] =
    [("s1", "q1"), ("s2", "q2"), ("s3", "q3"), ("s4", "q4"), ("s5", "q5")];

#[cfg(feature = "ssr")]
const OWNER: [plaza_types::StaffRole; 1] = [plaza_types::StaffRole::TenantOwner];

#[server(endpoint = "tenant/promotions")]
pub async fn get_promotions(tenant: i64) -> Result<PromotionConsole, AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_types::TenantId;
    require_tenant_staff(TenantId(tenant), &OWNER).await?;
    let ctx = app()?;
    let tz = plaza_core::mall::timezone(&ctx.db).await.map_err(user_error)?;
    plaza_core::shop::promotions::manage::console(&ctx.db, TenantId(tenant), plaza_core::Timestamp::now(), &tz)
        .await
        .map_err(user_error)
}

/// Creates a promotion of `kind` from the form of that kind (the other boxes are absent).
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "tenant/promotions/create")]
pub async fn create_promotion(
    tenant: i64,
    kind: String,
    name: Option<String>,
    starts: Option<String>,
    ends: Option<String>,
    sku: Option<String>,
    price: Option<String>,
    t1: Option<String>,
    o1: Option<String>,
    t2: Option<String>,
    o2: Option<String>,
    t3: Option<String>,
    o3: Option<String>,
    t4: Option<String>,
    o4: Option<String>,
    t5: Option<String>,
    o5: Option<String>,
    s1: Option<String>,
    q1: Option<String>,
    s2: Option<String>,
    q2: Option<String>,
    s3: Option<String>,
    q3: Option<String>,
    s4: Option<String>,
    q4: Option<String>,
    s5: Option<String>,
    q5: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_core::audit::Actor;
    use plaza_core::shop::promotions::manage::{self, NewPromotion, PromotionInput};
    use plaza_types::pricing::PromotionProblem;
    use plaza_types::TenantId;
    let staff = require_tenant_staff(TenantId(tenant), &OWNER).await?;
    let ctx = app()?;
    let text = |v: Option<String>| v.unwrap_or_default();
    // Selects and number boxes arrive as text (an empty choice is "").
    let number = |v: &Option<String>| v.as_deref().and_then(|v| v.trim().parse::<i64>().ok());
    let input = match PromotionKind::parse(&kind) {
        Some(PromotionKind::Limited) => PromotionInput::Limited {
            prices: vec![(
                number(&sku).ok_or(AppError::Promotion { problem: PromotionProblem::UnknownSku })?,
                text(price),
            )],
        },
        Some(PromotionKind::SpendOff) => {
            let tiers = [(t1, o1), (t2, o2), (t3, o3), (t4, o4), (t5, o5)];
            PromotionInput::SpendOff { tiers: tiers.into_iter().map(|(t, o)| (text(t), text(o))).collect() }
        }
        Some(PromotionKind::Bundle) => PromotionInput::Bundle {
            items: [(&s1, &q1), (&s2, &q2), (&s3, &q3), (&s4, &q4), (&s5, &q5)]
                .into_iter()
                .filter_map(|(s, q)| number(s).map(|s| (s, number(q).unwrap_or(1))))
                .collect(),
            price: text(price),
        },
        None => return Err(AppError::NotFound),
    };
    let new = NewPromotion { name: text(name), starts: text(starts), ends: text(ends), input };
    let tz = plaza_core::mall::timezone(&ctx.db).await.map_err(user_error)?;
    let now = plaza_core::Timestamp::now();
    manage::create(&ctx.db, TenantId(tenant), &new, &Actor::Staff(staff.staff_id), now, &tz)
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/tenant/promotions?saved=1");
    Ok(())
}

/// Ends one of the shop's own promotions now.
#[server(endpoint = "tenant/promotions/end")]
pub async fn end_promotion(tenant: i64, id: i64) -> Result<(), AppError> {
    use crate::server::{app, require_tenant_staff, user_error};
    use plaza_core::audit::Actor;
    use plaza_types::TenantId;
    let staff = require_tenant_staff(TenantId(tenant), &OWNER).await?;
    let ctx = app()?;
    let now = plaza_core::Timestamp::now();
    plaza_core::shop::promotions::manage::end(&ctx.db, TenantId(tenant), id, &Actor::Staff(staff.staff_id), now)
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/tenant/promotions?ended=1");
    Ok(())
}

pub fn kind_label(t: &Tr, kind: PromotionKind) -> &'static str {
    match kind {
        PromotionKind::Limited => t.pr_limited,
        PromotionKind::SpendOff => t.pr_spend_off,
        PromotionKind::Bundle => t.pr_bundle,
    }
}

fn status_label(t: &Tr, status: PromotionStatus) -> &'static str {
    match status {
        PromotionStatus::Upcoming => t.pr_upcoming,
        PromotionStatus::Running => t.pr_running,
        PromotionStatus::Ended => t.pr_ended,
    }
}

#[component]
pub fn PromotionsPage() -> impl IntoView {
    let t = use_tr();
    let scope = expect_context::<TenantScope>();
    let tenant = scope.tenant.id.0;
    let create = ServerAction::<CreatePromotion>::new();
    let end = ServerAction::<EndPromotion>::new();
    let data = Resource::new(move || (create.version().get(), end.version().get()), move |_| get_promotions(tenant));
    view! {
        <Title text=t.pr_title />
        <h1>{t.pr_title}</h1>
        <ErrorBox error=Signal::derive(move || create.value().get().and_then(|r| r.err())) />
        <ErrorBox error=Signal::derive(move || end.value().get().and_then(|r| r.err())) />
        <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(c) => view! { <Console c tenant create end /> }.into_any(),
            })}
        </Suspense>
    }
}

fn sku_options(skus: &[PromotionSkuChoice], empty: bool) -> impl IntoView {
    view! {
        {empty.then(|| view! { <option value="">"—"</option> })}
        {skus.iter().map(|s| view! {
            <option value=s.sku_id>{format!("{} ({})", s.label, s.list_price)}</option>
        }).collect_view()}
    }
}

fn period(t: &'static Tr, start: &str, end: &str) -> impl IntoView {
    view! {
        <label class="field"><span>{t.pr_starts}</span>
            <input type="datetime-local" name="starts" value=start.to_string() data-testid="promo-starts" /></label>
        <label class="field"><span>{t.pr_ends}</span>
            <input type="datetime-local" name="ends" value=end.to_string() required data-testid="promo-ends" /></label>
    }
}

fn hidden(tenant: i64, kind: PromotionKind) -> impl IntoView {
    view! {
        <input type="hidden" name="tenant" value=tenant />
        <input type="hidden" name="kind" value=kind.as_str() />
    }
}

#[component]
fn Console(
    c: PromotionConsole,
    tenant: i64,
    create: ServerAction<CreatePromotion>,
    end: ServerAction<EndPromotion>,
) -> impl IntoView {
    let t = use_tr();
    let PromotionConsole { promotions, skus, max_off_pct, default_start, default_end } = c;
    let list = if promotions.is_empty() {
        view! { <p class="muted">{t.pr_none}</p> }.into_any()
    } else {
        view! {
            <ul class="pr-list">
                {promotions.into_iter().map(|p| view! { <Row p tenant end /> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let limited = view! {
        {hidden(tenant, PromotionKind::Limited)}
        <label class="field"><span>{t.pr_sku}</span>
            <select name="sku" required data-testid="limited-sku">{sku_options(&skus, false)}</select></label>
        <label class="field"><span>{t.pr_price}</span>
            <input type="text" name="price" inputmode="decimal" required size="8" data-testid="limited-price" /></label>
        <label class="field"><span>{t.pr_name}</span><input type="text" name="name" maxlength="20" /></label>
        {period(t, &default_start, &default_end)}
        <button type="submit" class="button button-primary" data-testid="create-limited">{t.pr_create}</button>
    };
    let spend_off = view! {
        {hidden(tenant, PromotionKind::SpendOff)}
        // As many rows as the engine allows (MAX_TIERS); the empty ones are left out.
        {TIER_FIELDS.into_iter().enumerate().map(|(i, (th, of))| (th, of, i == 0)).map(|(th, of, req)| view! {
            <div class="pr-tier-row">
                <label class="field"><span>{t.pr_threshold}</span>
                    <input type="text" name=th inputmode="decimal" size="8" required=req data-testid=th /></label>
                <label class="field"><span>{t.pr_off}</span>
                    <input type="text" name=of inputmode="decimal" size="8" required=req data-testid=of /></label>
            </div>
        }).collect_view()}
        <label class="field"><span>{t.pr_name}</span><input type="text" name="name" maxlength="20" /></label>
        {period(t, &default_start, &default_end)}
        <button type="submit" class="button button-primary" data-testid="create-spend-off">{t.pr_create}</button>
    };
    let bundle = view! {
        {hidden(tenant, PromotionKind::Bundle)}
        <label class="field"><span>{t.pr_name}</span>
            <input type="text" name="name" maxlength="20" required data-testid="bundle-name" /></label>
        // As many rows as a bundle may hold (MAX_BUNDLE_ITEMS); two are needed.
        {ITEM_FIELDS.into_iter().enumerate().map(|(i, (s, q))| (s, q, i < 2)).map(|(s, q, req)| view! {
            <div class="pr-tier-row">
                <label class="field"><span>{t.pr_sku}</span>
                    <select name=s required=req data-testid=s>{sku_options(&skus, !req)}</select></label>
                <label class="field"><span>{t.pr_quantity}</span>
                    <input type="number" name=q min="1" max="99" value="1" size="3" /></label>
            </div>
        }).collect_view()}
        <label class="field"><span>{t.pr_bundle_price}</span>
            <input type="text" name="price" inputmode="decimal" required size="8" data-testid="bundle-price" /></label>
        {period(t, &default_start, &default_end)}
        <button type="submit" class="button button-primary" data-testid="create-bundle">{t.pr_create}</button>
    };
    view! {
        <p class="muted small" data-testid="promo-cap">{fill(t.pr_cap_note, &[("pct", &max_off_pct.to_string())])}</p>
        <section class="panel" data-testid="promo-list">
            <h2>{t.pr_list}</h2>
            {list}
        </section>
        <section class="panel" id="limited">
            <h2>{t.pr_new_limited}</h2>
            <ActionForm action=create attr:class="pr-form" attr:data-testid="form-limited">{limited}</ActionForm>
        </section>
        <section class="panel" id="spend-off">
            <h2>{t.pr_new_spend_off}</h2>
            <ActionForm action=create attr:class="pr-form" attr:data-testid="form-spend-off">{spend_off}</ActionForm>
        </section>
        <section class="panel" id="bundle">
            <h2>{t.pr_new_bundle}</h2>
            <ActionForm action=create attr:class="pr-form" attr:data-testid="form-bundle">{bundle}</ActionForm>
        </section>
    }
}

#[component]
fn Row(p: PromotionView, tenant: i64, end: ServerAction<EndPromotion>) -> impl IntoView {
    let t = use_tr();
    let what = match p.kind {
        PromotionKind::Limited => p
            .skus
            .iter()
            .map(|s| format!("{} {} → {}", s.label, s.list_price, s.price.unwrap_or_default()))
            .collect::<Vec<_>>()
            .join("; "),
        PromotionKind::SpendOff => p.tiers.iter().map(|x| tier_text(t, x)).collect::<Vec<_>>().join(" · "),
        PromotionKind::Bundle => format!(
            "{} = {}",
            p.skus.iter().map(|s| format!("{} ×{}", s.label, s.quantity)).collect::<Vec<_>>().join(" + "),
            p.bundle_price.unwrap_or_default()
        ),
    };
    let open = p.status != PromotionStatus::Ended;
    let status_class = match p.status {
        PromotionStatus::Running => "badge badge-ok",
        _ => "badge",
    };
    view! {
        <li class="pr-row" data-testid="promo-row">
            <div class="pr-row-main">
                <span class=status_class data-testid="promo-status">{status_label(t, p.status)}</span>" "
                <strong>{kind_label(t, p.kind)}" · "{p.name.clone()}</strong>
                <span class="small" data-testid="promo-what">{what}</span>
                <span class="muted small">{format!("{} – {}", p.starts_at, p.ends_at)}</span>
                {p.beyond_cap.then(|| view! {
                    <span class="badge pr-badge" data-testid="promo-beyond-cap">{t.pr_beyond_cap}</span>
                })}
            </div>
            {open.then(|| view! {
                <ActionForm action=end attr:class="inline-form">
                    <input type="hidden" name="tenant" value=tenant />
                    <input type="hidden" name="id" value=p.id />
                    <button type="submit" class="button" data-testid="promo-end">{t.pr_end}</button>
                </ActionForm>
            })}
        </li>
    }
}
