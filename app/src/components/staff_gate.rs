use crate::auth::{encode_component, get_viewer, SignOutButton};
use crate::components::ErrorBox;
use crate::i18n::use_tr;
use leptos::prelude::*;
use leptos_router::components::Redirect;
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
    let viewer = super::page_resource(|| (), |_| get_viewer());
    // The console is built once, after the viewer is known: built inside a plain reactive
    // closure, server rendering would run it twice and start every resource of the page twice,
    // the first copy losing its request context halfway ("AppContext missing").
    view! {
        <Suspense>
            {move || {
                let children = children.clone();
                Suspend::new(async move { match viewer.await {
                    Ok(Viewer::Staff(staff)) if accepts(&staff) => children(staff),
                    Ok(Viewer::Anonymous) | Err(AppError::Unauthenticated) => {
                        let here = super::current_address();
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
                }})
            }}
        </Suspense>
    }
}
