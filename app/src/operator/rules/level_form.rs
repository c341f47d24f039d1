//! The level table: names, the 12-month spend each level needs, and its earning multiplier.
//! One form for the whole table, because thresholds are checked against each other.

use crate::components::ErrorBox;
use crate::i18n::use_tr;
use leptos::prelude::*;
use plaza_types::dto::{LevelForm, LevelView};
use plaza_types::AppError;

/// The whole table, lowest level first (`levels[0][code]=…`).
#[server(endpoint = "ops/rules/levels")]
pub async fn set_levels(levels: Vec<LevelForm>) -> Result<(), AppError> {
    use crate::server::{app, require_staff, user_error};
    use plaza_types::StaffRole;
    let staff = require_staff(&[StaffRole::OperatorAdmin]).await?;
    let ctx = app()?;
    let operator = plaza_core::audit::Actor::Staff(staff.staff_id);
    plaza_core::operator::rules::save_levels(&ctx.db, &levels, &operator, plaza_core::Timestamp::now())
        .await
        .map_err(user_error)?;
    leptos_axum::redirect("/ops/points?saved=levels#levels");
    Ok(())
}

#[component]
pub fn LevelsSection(levels: Vec<LevelView>, admin: bool) -> impl IntoView {
    let t = use_tr();
    let action = ServerAction::<SetLevels>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    view! {
        <section class="panel" id="levels">
            <h2>{t.ops_levels_title}</h2>
            <p class="muted small">{t.ops_levels_hint}</p>
            <ErrorBox error />
            <ActionForm action attr:data-testid="levels-form">
                <fieldset class="ops-fieldset ops-fieldset-plain" disabled=!admin>
                    <table class="table">
                        <thead><tr>
                            <th>{t.ops_level_code}</th><th>{t.ops_name_zh}</th><th>{t.ops_name_en}</th>
                            <th>{t.ops_level_min_spend}</th><th>{t.ops_multiplier}</th>
                        </tr></thead>
                        <tbody>
                            {levels.into_iter().enumerate().map(|(i, level)| {
                                let name = |field: &str| format!("levels[{i}][{field}]");
                                view! {
                                    <tr>
                                        <td class="ops-mono">
                                            {level.code.clone()}
                                            <input type="hidden" name=name("code") value=level.code.clone() />
                                        </td>
                                        <td><input class="ops-cell-input" type="text" name=name("name_zh") aria-label=format!("{} {}", level.code, t.ops_name_zh) required maxlength="20" value=level.name.zh.clone() /></td>
                                        <td><input class="ops-cell-input" type="text" name=name("name_en") aria-label=format!("{} {}", level.code, t.ops_name_en) maxlength="40" value=level.name.en.clone() /></td>
                                        <td><input class="ops-cell-input" type="text" inputmode="decimal" name=name("min_spend") aria-label=format!("{} {}", level.code, t.ops_level_min_spend) required value=level.min_spend.yuan_input() /></td>
                                        <td><input class="ops-cell-input" type="number" min="100" max="1000" name=name("multiplier_pct") aria-label=format!("{} {}", level.code, t.ops_multiplier) required value=level.multiplier_pct /></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    {admin.then(|| view! { <p class="ops-form-end"><button type="submit" class="button button-primary">{t.save}</button></p> })}
                </fieldset>
            </ActionForm>
        </section>
    }
    .into_any()
}
