use crate::auth::{encode_component, get_viewer, SignOutButton};
use crate::components::ErrorBox;
use crate::i18n::use_tr;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;
use plaza_types::dto::{StaffViewer, Viewer};
use plaza_types::AppError;

/// Renders `children` for a staff account that `accepts`; sends anyone signed out to the staff
/// sign-in (and back here after), and tells a signed-in account of the wrong kind where it belongs.
/// The server functions behind the pages check again: this only spares people a useless page.
#[component]
pub fn StaffGate(
    accepts: fn(&StaffViewer) -> bool,
    children: std::sync::Arc<dyn Fn(StaffViewer) -> AnyView + Send + Sync>,
) -> impl IntoView {
    let t = use_tr();
    let viewer = Resource::new(|| (), |_| get_viewer());
    let location = use_location();
    view! {
        <Suspense>
            {move || {
                let children = children.clone();
                viewer.get().map(move |result| match result {
                    Ok(Viewer::Staff(staff)) if accepts(&staff) => children(staff),
                    Ok(Viewer::Anonymous) | Err(AppError::Unauthenticated) => {
                        let here = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
                        view! { <Redirect path=format!("/staff/login?next={}", encode_component(&here)) /> }.into_any()
                    }
                    Ok(_) => view! {
                        <main class="page page-center">
                            <h1>{t.wrong_account_title}</h1>
                            <p class="muted">{t.wrong_account_body}</p>
                            <SignOutButton />
                        </main>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                })
            }}
        </Suspense>
    }
}
