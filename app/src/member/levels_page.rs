//! 会员等级 (`/levels`): every level, the 12-month spend it takes and the points it earns, when
//! levels are reviewed, and — signed in — where the member stands.

use crate::components::{ErrorBox, TopBar};
use crate::i18n::{fill, use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use plaza_types::dto::{LevelRung, LevelsView};
use plaza_types::AppError;

/// The level ladder (anyone may look); a signed-in member also gets their own standing.
#[server(endpoint = "member/levels")]
pub async fn get_levels() -> Result<LevelsView, AppError> {
    use crate::server::{app, caller, user_error};
    use plaza_core::auth::Principal;
    let member = match caller().await? {
        Some(Principal::Member(member)) => Some(member),
        _ => None,
    };
    let ctx = app()?;
    plaza_core::levels::ladder(&ctx.db, member, plaza_core::Timestamp::now()).await.map_err(user_error)
}

/// "1.5 倍" / "1.5×" from a percentage.
fn multiplier(pct: i64) -> String {
    let whole = pct / 100;
    match pct % 100 {
        0 => whole.to_string(),
        rest if rest % 10 == 0 => format!("{whole}.{}", rest / 10),
        rest => format!("{whole}.{rest:02}"),
    }
}

#[component]
pub fn LevelsPage() -> impl IntoView {
    let t = use_tr();
    let levels = crate::components::page_resource(|| (), |_| get_levels());
    view! {
        <Title text=t.levels_title />
        <TopBar title=t.levels_title />
        <main class="page levels-page">
            <Suspense>
                {move || levels.get().map(|r| match r {
                    Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                    Ok(view) => view! { <Ladder view /> }.into_any(),
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn Ladder(view: LevelsView) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let current = view.mine.as_ref().map(|m| m.code.clone());
    let standing = view.mine.clone().map(|mine| {
        let name = view
            .levels
            .iter()
            .find(|l| l.badge.code == mine.code)
            .map(|l| l.badge.name.get(lang).to_string())
            .unwrap_or_default();
        let next = match (&mine.progress.next, mine.progress.needed) {
            (Some(next), Some(needed)) => {
                fill(t.level_next, &[("amount", &needed.to_string()), ("level", next.name.get(lang))])
            }
            _ => t.level_top.to_string(),
        };
        view! {
            <section class="panel levels-mine" data-testid="levels-mine">
                <p class="muted small">{t.levels_yours}</p>
                <p class="levels-mine-name">{name}</p>
                <p>{fill(t.levels_spend_12m, &[("amount", &mine.progress.spend_12m.to_string())])}</p>
                <p class="muted">{next}</p>
            </section>
        }
    });
    let rungs = view
        .levels
        .iter()
        .map(|rung| {
            let LevelRung { badge, min_spend, multiplier_pct } = rung.clone();
            let mine = current.as_deref() == Some(badge.code.as_str());
            let threshold = if min_spend.0 == 0 {
                t.levels_from_start.to_string()
            } else {
                fill(t.levels_threshold, &[("amount", &min_spend.short())])
            };
            view! {
                <li class=format!("level-rung level-{}", badge.code) class:level-rung-mine=mine data-testid="level-rung"
                    data-level=badge.code.clone() aria-current=mine.then_some("true")>
                    <div class="level-rung-head">
                        <strong>{badge.name.get(lang).to_string()}</strong>
                        {mine.then(|| view! { <span class="badge">{t.levels_current}</span> })}
                    </div>
                    <p class="muted small">{threshold}</p>
                    <p>{fill(t.levels_multiplier, &[("x", &multiplier(multiplier_pct))])}</p>
                </li>
            }
        })
        .collect_view();
    let review =
        fill(t.levels_review, &[("month", &view.review_month.to_string()), ("day", &view.review_day.to_string())]);
    view! {
        {standing}
        <ul class="plain-list levels-list" data-testid="levels">{rungs}</ul>
        <section class="panel">
            <h2>{t.levels_how_title}</h2>
            <p class="small">{t.levels_how}</p>
            <p class="small">{review}</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::multiplier;

    #[test]
    fn multipliers_read_as_decimals() {
        assert_eq!(multiplier(100), "1");
        assert_eq!(multiplier(120), "1.2");
        assert_eq!(multiplier(150), "1.5");
        assert_eq!(multiplier(125), "1.25");
        assert_eq!(multiplier(200), "2");
    }
}
