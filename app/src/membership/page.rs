use super::subcard::SubcardSection;
use crate::components::{read_error, unless_signed_in, ErrorBox, TopBar};
use crate::i18n::{fill, use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::{MembershipPage, MembershipView, TierView};
use plaza_types::AppError;

#[server(endpoint = "membership/page")]
pub async fn get_membership_page() -> Result<MembershipPage, AppError> {
    use crate::server::{app, require_member, user_error};
    let member = require_member().await?;
    let ctx = app()?;
    let tz = plaza_core::mall::timezone(&ctx.db).await.map_err(user_error)?;
    let link = |code: &str| ctx.public_link(&format!("/sub/{code}"));
    plaza_core::membership::sharing::page(&ctx.db, member, plaza_core::Timestamp::now(), &tz, &link)
        .await
        .map_err(user_error)
}

/// 付费会员: my status, the tiers to buy or renew, and the sub-card.
#[component]
pub fn MembershipPage() -> impl IntoView {
    let t = use_tr();
    let query = use_query_map();
    let refused = move || read_error(query.with(|q| q.get("error")));
    let done = move || {
        query.with(|q| {
            if q.get("bound").is_some() {
                Some(t.ms_sub_accepted)
            } else if q.get("unbound").is_some() {
                Some(t.ms_sub_unbound)
            } else if q.get("left").is_some() {
                Some(t.ms_left)
            } else if q.get("invited").is_some() {
                Some(t.ms_sub_invited)
            } else {
                None
            }
        })
    };
    let page = crate::components::page_resource(|| (), |_| get_membership_page());
    view! {
        <Title text=t.ms_title />
        <TopBar title=t.ms_title />
        <main class="page ms-page">
            {move || done().map(|text| view! { <p class="notice notice-ok" role="status">{text}</p> })}
            <ErrorBox error=Signal::derive(refused) />
            <Suspense>
                {move || page.get().map(|r| match r {
                    Err(e) => unless_signed_in(e, "/membership"),
                    Ok(page) => {
                        // A lapsed main card still sees (and may unbind) the sub-card it has.
                        let holds_main = page.status.main_card_holder.is_none()
                            && (page.status.active || page.status.subcard_holder.is_some());
                        view! {
                            <StatusPanel status=page.status.clone() />
                            {holds_main.then(|| view! { <SubcardSection page=page.clone() /> })}
                            {page.status.main_card_holder.clone().map(|main_phone| view! {
                                <super::LeaveSection main_phone cooldown_days=page.subcard_cooldown_days />
                            })}
                            <h2 class="ms-section-title">{t.ms_tiers_title}</h2>
                            {page.tiers.is_empty().then(|| view! { <p class="muted">{t.ms_no_tiers}</p> })}
                            {page.tiers.iter().cloned().map(|tier| view! {
                                <TierCard tier status=page.status.clone() request_key=page.request_key.clone() stored_value=page.stored_value />
                            }).collect_view()}
                        }.into_any()
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn StatusPanel(status: MembershipView) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let tier = status.tier.as_ref().map(|n| n.get(lang).to_string()).unwrap_or_default();
    let ends = status.ends_on.clone().unwrap_or_default();
    let (headline, detail) = match (&status.main_card_holder, status.active, status.tier.is_some()) {
        (Some(main), _, _) => (t.ms_status_sub.to_string(), fill(t.ms_status_sub_of, &[("phone", main)])),
        (None, true, _) => (tier.clone(), fill(t.ms_status_until, &[("date", &ends)])),
        (None, false, true) => (tier.clone(), fill(t.ms_status_lapsed, &[("date", &ends)])),
        (None, false, false) => (t.ms_status_none.to_string(), t.ms_status_pitch.to_string()),
    };
    let class = if status.active || status.member_prices { "panel ms-status ms-status-on" } else { "panel ms-status" };
    view! {
        <section class=class data-testid="ms-status">
            <p class="ms-status-label">{t.ms_my_status}</p>
            <p class="ms-status-tier">{headline}</p>
            <p class="ms-status-detail">{detail}</p>
            {status.member_prices.then(|| view! { <span class="badge ms-badge">{t.ms_member_prices_on}</span> })}
        </section>
    }
}

#[component]
fn TierCard(
    tier: TierView,
    status: MembershipView,
    request_key: String,
    stored_value: plaza_types::Fen,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let name = tier.name.get(lang).to_string();
    let mine = status.tier_id == Some(tier.id);
    let label = if mine { t.ms_renew } else { t.ms_buy };
    let term = if tier.term_days % 365 == 0 {
        fill(t.ms_term_years, &[("n", &(tier.term_days / 365).to_string())])
    } else {
        fill(t.ms_term_days, &[("n", &tier.term_days.to_string())])
    };
    let benefits: Vec<String> =
        tier.benefits.get(lang).lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
    let packs: Vec<String> = [(t.ms_first_pack, &tier.first_pack), (t.ms_renewal_pack, &tier.renewal_pack)]
        .into_iter()
        .filter_map(|(label, pack)| {
            pack.as_ref().map(|p| fill(t.ms_pack_line, &[("label", label), ("name", p.get(lang))]))
        })
        .collect();
    let sv_note = fill(t.ms_pay_with_sv, &[("amount", &stored_value.to_string())]);
    view! {
        <section class="panel ms-tier" data-testid="tier">
            <div class="ms-tier-head">
                <h3 class="ms-tier-name">{name}</h3>
                <p class="ms-tier-price"><strong>{tier.price.short()}</strong><span class="muted">" / "{term}</span></p>
            </div>
            {(!benefits.is_empty()).then(|| view! {
                <ul class="ms-benefits">{benefits.into_iter().map(|b| view! { <li>{b}</li> }).collect_view()}</ul>
            })}
            {(!packs.is_empty()).then(|| view! {
                <p class="muted small">{packs.join(" · ")}</p>
            })}
            {mine.then(|| view! { <p class="muted small">{t.ms_renew_note}</p> })}
            <form method="post" action="/api/membership/buy" class="stack">
                <input type="hidden" name="tier_id" value=tier.id />
                <input type="hidden" name="request_key" value=request_key />
                {(stored_value.0 > 0).then(|| view! {
                    <label class="choice">
                        <input type="checkbox" name="sv" value="on" />
                        <span class="choice-text">{sv_note}</span>
                    </label>
                })}
                <button type="submit" class="button button-primary button-block" data-testid="tier-buy">
                    {format!("{label} {}", tier.price.short())}
                </button>
            </form>
        </section>
    }
}
