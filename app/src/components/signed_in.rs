use super::ErrorBox;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use plaza_types::AppError;

/// What a member-only page shows when its data could not be loaded: the sign-in page (coming
/// back to `next` afterwards) for a signed-out visitor, otherwise the error.
pub fn unless_signed_in(error: AppError, next: &str) -> AnyView {
    match error {
        AppError::Unauthenticated => {
            let path = format!("/login?next={}", crate::auth::encode_component(next));
            view! { <Redirect path=path /> }.into_any()
        }
        other => view! { <ErrorBox error=Some(other) /> }.into_any(),
    }
}
