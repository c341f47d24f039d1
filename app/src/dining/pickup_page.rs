use super::pickup_wall::PickupWall;
use crate::components::ErrorBox;
use crate::i18n::{use_lang, use_tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use plaza_types::dto::PickupBoard;
use plaza_types::AppError;

/// The wall screen's numbers (public: numbers and nothing else).
#[server(endpoint = "dining/pickup")]
pub async fn get_pickup_board(shop: String) -> Result<PickupBoard, AppError> {
    use crate::server::{app, user_error};
    let ctx = app()?;
    plaza_core::dining::pickup::board(&ctx.db, &shop, plaza_core::Timestamp::now()).await.map_err(user_error)
}

/// `/pickup/<shop>`: the call-number screen on a wall beside the counter — numbers being
/// prepared, and in large type the numbers to collect, updated live (every 10 s without
/// JavaScript).
#[component]
pub fn PickupScreenPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let params = use_params_map();
    let shop = move || params.with(|p| p.get("shop").unwrap_or_default());
    let board = Resource::new(shop, get_pickup_board);
    view! {
        <Title text=t.dn_pickup_title />
        <main class="pickup-screen">
            <noscript><meta http-equiv="refresh" content="10" /></noscript>
            <Suspense>
                {move || board.get().map(|r| match r {
                    Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                    Ok(board) => view! {
                        <h1 class="pickup-name">{board.restaurant.get(lang).to_string()}" · "{t.dn_pickup_title}</h1>
                        <PickupWall board />
                    }.into_any(),
                })}
            </Suspense>
        </main>
    }
}
