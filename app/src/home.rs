//! 首页: the mall, the member's way in, the in-store tools, and the shop directory.

use crate::auth::get_viewer;
use crate::components::{awaited, Icon, IconSvg, LangSwitch};
use crate::i18n::{use_lang, use_tr, Tr};
use crate::mall::{get_mall_directory, get_mall_info};
use crate::points::CheckinCard;
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::dto::{TenantKind, TenantSummary, Viewer};
use std::collections::BTreeMap;

#[component]
pub fn HomePage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let mall = crate::components::page_resource(|| (), |_| get_mall_info());
    let viewer = crate::components::page_resource(|| (), |_| get_viewer());
    let directory = crate::components::page_resource(|| (), |_| get_mall_directory());

    // The page's data awaited in place, each part built once (components::awaited).
    view! {
        <Title text="" />
        <header class="home-hero">
            <div class="row-between">
                {awaited(mall, move |mall| {
                    let name = mall.ok().map(|m| m.name.get(lang).to_string()).unwrap_or_default();
                    view! { <h1 class="home-mall-name">{name}</h1> }
                })}
                <LangSwitch />
            </div>
            {awaited(viewer, move |v| match v {
                Ok(Viewer::Member(m)) => view! {
                    <a class="home-member" href="/card">
                        <span data-testid="hello">{crate::i18n::fill(t.hello, &[("name", &crate::member::display_name(t, &m.name, &m.phone_last4))])}</span>
                        <span class="home-member-cta">{t.show_member_code}" ›"</span>
                    </a>
                }.into_any(),
                _ => view! {
                    <a class="home-member" href="/login?next=%2Fcard">
                        <span>{t.join_pitch}</span>
                        <span class="home-member-cta">{t.sign_in_or_up}" ›"</span>
                    </a>
                }.into_any(),
            })}
        </header>
        <main class="page home-page">
            <nav class="tool-grid" aria-label=t.tools_label>
                <Tool href=Some("/card") icon=Icon::Code label=|t| t.tab_card />
                <Tool href=Some("/scan") icon=Icon::Scan label=|t| t.tab_scan />
                <Tool href=Some("/coupons/claim") icon=Icon::Ticket label=|t| t.tool_coupons />
                <Tool href=Some("/rewards") icon=Icon::Gift label=|t| t.tool_points_mall />
                <Tool href=Some("/invite") icon=Icon::Users label=|t| t.my_invite />
                <Tool href=Some("/receipts") icon=Icon::Receipt label=|t| t.tool_receipt />
                <Tool href=None icon=Icon::Car label=|t| t.tool_parking />
            </nav>
            {awaited(viewer, |v| matches!(v, Ok(Viewer::Member(_))).then(|| view! { <CheckinCard /> }))}
            <section class="panel">
                <h2>{t.directory_title}</h2>
                {awaited(directory, |d| d.map(|tenants| view! { <Directory tenants /> }))}
            </section>
        </main>
    }
}

/// An in-store tool; one without `href` is not available yet and says so.
#[component]
fn Tool(href: Option<&'static str>, icon: Icon, label: fn(&Tr) -> &'static str) -> impl IntoView {
    let t = use_tr();
    match href {
        Some(href) => view! {
            <a class="tool" href=href>
                <IconSvg icon=icon />
                <span>{move || label(t)}</span>
            </a>
        }
        .into_any(),
        None => view! {
            <span class="tool tool-coming" aria-disabled="true">
                <IconSvg icon=icon />
                <span>{move || label(t)}</span>
                <small>{t.coming_badge}</small>
            </span>
        }
        .into_any(),
    }
}

#[component]
fn Directory(tenants: Vec<TenantSummary>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let mut floors: BTreeMap<String, Vec<TenantSummary>> = BTreeMap::new();
    for tenant in tenants {
        floors.entry(tenant.floor.clone()).or_default().push(tenant);
    }
    floors
        .into_iter()
        .map(|(floor, tenants)| {
            view! {
                <h3 class="floor">{floor}</h3>
                <ul class="tenant-list">
                    {tenants.into_iter().map(|tenant| {
                        let name = tenant.name.clone();
                        let category = tenant.category.clone();
                        view! {
                            <li class="tenant-row">
                                <span class="tenant-unit">{tenant.unit_no.clone()}</span>
                                <span class="tenant-name">{move || name.get(lang).to_string()}</span>
                                <span class="muted">{move || category.get(lang).to_string()}</span>
                                <span class="badge">{move || kind_label(t, tenant.kind)}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
        })
        .collect_view()
}

pub fn kind_label(t: &Tr, kind: TenantKind) -> &'static str {
    match kind {
        TenantKind::Plate => t.kind_plate,
        TenantKind::Restaurant => t.kind_restaurant,
        TenantKind::Store => t.kind_store,
    }
}
