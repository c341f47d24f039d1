use super::menu_path;
use crate::components::{ErrorBox, LangSwitch, TopBar};
use crate::i18n::{use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;
use plaza_types::dto::{Fulfilment, TableView};
use plaza_types::AppError;

/// The table a scanned code names, with its restaurants (anyone may look: the scan comes first).
#[server(endpoint = "dining/table")]
pub async fn get_table(code: String) -> Result<TableView, AppError> {
    use crate::server::{app, user_error};
    let ctx = app()?;
    plaza_core::dining::tables::by_code(&ctx.db, &code).await.map_err(user_error)
}

/// `/t/<code>`: where a table's printed code lands. A restaurant's own table goes straight to its
/// menu; a food-court table lets the shopper choose between the restaurants of the court.
#[component]
pub fn TablePage() -> impl IntoView {
    let t = use_tr();
    let params = use_params_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let table = Resource::new(code, get_table);
    view! {
        <Title text=t.dn_title />
        <TopBar title=t.dn_title><LangSwitch /></TopBar>
        <main class="page dining-page dining-flow">
            <Suspense>
                {move || table.get().map(|r| match r {
                    Err(AppError::NotFound) => view! {
                        <p class="notice notice-error" role="alert" data-testid="table-unknown">{t.dn_table_unknown}</p>
                    }.into_any(),
                    Err(AppError::NotUsable) => view! {
                        <p class="notice notice-error" role="alert" data-testid="table-revoked">{t.dn_table_revoked}</p>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                    Ok(table) if table.restaurants.len() == 1 => {
                        view! { <Redirect path=menu_path(&table.code, &table.restaurants[0].code) /> }.into_any()
                    }
                    Ok(table) => view! { <Chooser table /> }.into_any(),
                })}
            </Suspense>
        </main>
    }
}

/// A food court's restaurants.
#[component]
fn Chooser(table: TableView) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    view! {
        <TableBanner table=table.clone() />
        <h2 class="dining-choose">{t.dn_choose_restaurant}</h2>
        {table.restaurants.is_empty().then(|| view! { <p class="muted">{t.dn_no_restaurants}</p> })}
        <ul class="restaurant-list" data-testid="restaurant-list">
            {table.restaurants.iter().map(|r| {
                let mode = match r.fulfilment {
                    Fulfilment::CallNumber => t.dn_mode_call_number,
                    Fulfilment::TableDelivery => t.dn_mode_table_delivery,
                };
                view! {
                    <li>
                        <a class="restaurant-card" href=menu_path(&table.code, &r.code) data-testid="restaurant-choice">
                            <span class="restaurant-name">{r.name.get(lang).to_string()}</span>
                            <span class="muted small">{r.unit_no.clone()}" · "{mode}</span>
                            {(!r.open).then(|| view! { <span class="badge badge-muted">{t.dn_closed}</span> })}
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// The table at the top of every ordering page.
#[component]
pub fn TableBanner(table: TableView) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    view! {
        <p class="table-banner" data-testid="table-banner">
            <span class="table-banner-area">{table.area.get(lang).to_string()}</span>
            <strong class="table-banner-label">{crate::i18n::fill(t.dn_table_label, &[("n", &table.label)])}</strong>
        </p>
    }
}
