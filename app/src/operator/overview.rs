use crate::components::ErrorBox;
use crate::i18n::use_tr;
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::dto::OperatorOverview;
use plaza_types::AppError;

#[server(endpoint = "ops/overview")]
pub async fn get_operator_overview() -> Result<OperatorOverview, AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    let ctx = app()?;
    plaza_core::operator::overview(&ctx.db, plaza_core::Timestamp::now()).await.map_err(user_error)
}

#[component]
pub fn OperatorOverviewPage() -> impl IntoView {
    let t = use_tr();
    let overview = crate::components::page_resource(|| (), |_| get_operator_overview());
    let stat = move |label: &'static str, value: i64| {
        view! {
            <div class="stat">
                <dt>{label}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    view! {
        <Title text=t.nav_ops_overview />
        <h1>{t.nav_ops_overview}</h1>
        <Suspense>
            {move || overview.get().map(|r| match r {
                Ok(o) => {
                    view! {
                        <dl class="stats">
                            {stat(t.stat_members, o.members)}
                            {stat(t.stat_members_today, o.members_joined_today)}
                            {stat(t.stat_tenants_plate, o.tenants_plate)}
                            {stat(t.stat_tenants_restaurant, o.tenants_restaurant)}
                            {stat(t.stat_tenants_store, o.tenants_store)}
                            {stat(t.stat_staff, o.staff)}
                        </dl>
                    }.into_any()
                }
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
            })}
        </Suspense>
    }
}
