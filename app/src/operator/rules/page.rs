use super::earning_forms::{CampaignsSection, OverridesSection};
use super::level_form::LevelsSection;
use super::settings_forms::{BirthdaySection, CheckinSection, InviteSection, PolicySection};
use crate::components::ErrorBox;
use crate::i18n::use_tr;
use crate::operator::notices::{is_admin, AdminOnlyNote, SavedNotice};
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::dto::PointsRules;
use plaza_types::AppError;

#[server(endpoint = "ops/rules")]
pub async fn get_points_rules() -> Result<PointsRules, AppError> {
    use crate::server::{app, require_operator, user_error};
    require_operator().await?;
    let ctx = app()?;
    plaza_core::operator::rules::page(&ctx.db, plaza_core::Timestamp::now()).await.map_err(user_error)
}

/// 积分与等级: every earning rule on one page. Operator staff see it; the administrator changes it.
#[component]
pub fn OpsRulesPage() -> impl IntoView {
    let t = use_tr();
    let admin = is_admin();
    let rules = crate::components::page_resource(|| (), |_| get_points_rules());
    view! {
        <Title text=t.nav_points_rules />
        <h1>{t.nav_points_rules}</h1>
        {(!admin).then(|| view! { <AdminOnlyNote /> })}
        <SavedNotice />
        <nav class="ops-jump" aria-label=t.ops_sections>
            <a href="#policy">{t.ops_policy_title}</a>
            <a href="#overrides">{t.ops_overrides_title}</a>
            <a href="#campaigns">{t.ops_campaigns_title}</a>
            <a href="#levels">{t.ops_levels_title}</a>
            <a href="#checkin">{t.ops_checkin_title}</a>
            <a href="#invite">{t.ops_invite_title}</a>
            <a href="#birthday">{t.ops_birthday_title}</a>
        </nav>
        <Suspense>
            {move || rules.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(rules) => view! {
                    <PolicySection policy=rules.policy.clone() admin />
                    <OverridesSection rules=rules.clone() admin />
                    <CampaignsSection rules=rules.clone() admin />
                    <LevelsSection levels=rules.levels.clone() admin />
                    <CheckinSection checkin=rules.checkin.clone() admin />
                    <InviteSection invite=rules.invite.clone() admin />
                    <BirthdaySection current=rules.birthday_template.clone() templates=rules.templates.clone() admin />
                }.into_any(),
            })}
        </Suspense>
    }
}
