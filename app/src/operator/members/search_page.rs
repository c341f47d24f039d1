use crate::components::ErrorBox;
use crate::i18n::{fill, use_lang, use_tr};
use crate::member::display_name;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use plaza_types::dto::MemberRow;
use plaza_types::error::Field;
use plaza_types::AppError;

/// Members by full phone number or its last four digits; no query lists the newest members.
#[server(endpoint = "ops/members/search")]
pub async fn search_members(query: String) -> Result<Vec<MemberRow>, AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    let ctx = app()?;
    plaza_core::operator::members::search(&ctx.db, &query).await.map_err(user_error)
}

/// 会员: search by phone (a plain GET form, so it works without JavaScript), masked results.
#[component]
pub fn OpsMembersPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let query = use_query_map();
    let q = move || query.with(|q| q.get("q").unwrap_or_default());
    let results = crate::components::page_resource(q, search_members);
    view! {
        <Title text=t.nav_members />
        <h1>{t.nav_members}</h1>
        <section class="panel">
            <Form method="GET" action="" attr:class="ops-inline-form" attr:role="search">
                <label class="field">
                    <span>{t.ops_member_search_label}</span>
                    <input type="search" name="q" value=q autocomplete="off"
                        placeholder=t.ops_member_search_placeholder data-testid="member-search" />
                </label>
                <button type="submit" class="button button-primary">{t.ops_search}</button>
            </Form>
        </section>
        <Suspense>
            {move || results.get().map(|r| match r {
                // The shared message asks for all 11 digits; here the last four do too.
                Err(AppError::Invalid { field: Field::Phone }) => view! {
                    <p class="notice notice-error" role="alert">{t.ops_member_search_invalid}</p>
                }.into_any(),
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(rows) if rows.is_empty() => view! { <p class="muted">{t.ops_member_none}</p> }.into_any(),
                Ok(rows) => {
                    let heading = if q().trim().is_empty() {
                        t.ops_members_newest.to_string()
                    } else {
                        fill(t.ops_members_found, &[("n", &rows.len().to_string())])
                    };
                    view! {
                        <h2>{heading}</h2>
                        <table class="table table-cards" data-testid="member-results">
                            <thead><tr>
                                <th>{t.field_phone}</th>
                                <th>{t.field_name}</th>
                                <th>{t.level}</th>
                                <th>{t.member_since}</th>
                                <th></th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|m| view! {
                                    <tr>
                                        <td class="ops-mono" data-label=t.field_phone>{m.masked_phone.clone()}</td>
                                        <td data-label=t.field_name>
                                            {display_name(t, &m.name, &m.phone_last4)}
                                            {(!m.active).then(|| view! { " "<span class="badge badge-muted">{t.ops_member_inactive}</span> })}
                                        </td>
                                        <td data-label=t.level>{m.level.get(lang).to_string()}</td>
                                        <td data-label=t.member_since>{m.joined.clone()}</td>
                                        <td class="actions"><a href=format!("/ops/members/{}", m.member_id)>{t.ops_view_profile}</a></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}
