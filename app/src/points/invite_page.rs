use crate::components::{unless_signed_in, TopBar};
use crate::i18n::{fill, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::dto::InviteInfo;
use plaza_types::AppError;

#[server(endpoint = "points/invite")]
pub async fn get_invite() -> Result<InviteInfo, AppError> {
    use crate::server::{app, require_member, user_error};
    use plaza_core::invites;
    let member = require_member().await?;
    let ctx = app()?;
    let code = invites::code_for(&ctx.db, member, plaza_core::Timestamp::now()).await.map_err(user_error)?;
    let (invited, rewarded, points_earned) = invites::summary(&ctx.db, member).await.map_err(user_error)?;
    let policy: invites::InvitePolicy = plaza_core::settings::get(ctx.db.pool()).await.map_err(user_error)?;
    let points: plaza_core::points::PointsPolicy =
        plaza_core::settings::get(ctx.db.pool()).await.map_err(user_error)?;
    let link = ctx.public_link(&format!("/i/{code}"));
    Ok(InviteInfo {
        qr_svg: plaza_core::codes::qr_svg(&link),
        code,
        link,
        invited,
        rewarded,
        points_earned,
        reward_points: policy.inviter_points,
        min_purchase: plaza_types::Fen(policy.min_purchase_fen),
        refund_window_days: points.refund_window_days,
    })
}

#[component]
pub fn InvitePage() -> impl IntoView {
    let t = use_tr();
    let info = crate::components::page_resource(|| (), |_| get_invite());
    view! {
        <Title text=t.invite_title />
        <TopBar title=t.invite_title />
        <main class="page invite-page">
            <Suspense>
                {move || info.get().map(|r| match r {
                    Err(e) => unless_signed_in(e, "/invite"),
                    Ok(i) => view! {
                        <section class="panel panel-center">
                            <p>{fill(t.invite_pitch, &[
                                ("n", &i.reward_points.to_string()),
                                ("min", &i.min_purchase.short()),
                                ("days", &i.refund_window_days.to_string()),
                            ])}</p>
                            <div class="qr" inner_html=i.qr_svg.clone()></div>
                            <p class="muted small">{t.invite_code}</p>
                            <p class="voucher-code" data-testid="invite-code">{i.code.clone()}</p>
                            <p class="muted small">{t.invite_link}</p>
                            <p class="scan-text"><a href=i.link.clone()>{i.link.clone()}</a></p>
                        </section>
                        <p class="muted">{fill(t.invite_stats, &[
                            ("invited", &i.invited.to_string()),
                            ("rewarded", &i.rewarded.to_string()),
                            ("points", &i.points_earned.to_string()),
                        ])}</p>
                    }.into_any(),
                })}
            </Suspense>
        </main>
    }
}
