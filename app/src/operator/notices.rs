//! The notices every operator form page shares: "saved" after a change, and the note that only
//! the mall administrator may change what the page shows.

use crate::i18n::use_tr;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use plaza_types::StaffRole;

/// The operator's role, provided by the console layout for the pages inside it.
#[derive(Clone, Copy, Debug)]
pub struct OperatorScope {
    pub role: StaffRole,
}

/// True for the mall administrator: pages show rule-changing forms only to them (the server
/// functions check again).
pub fn is_admin() -> bool {
    use_context::<OperatorScope>().is_some_and(|s| s.role == StaffRole::OperatorAdmin)
}

/// "Saved" when a form redirected back with `?saved=…`, unless a later form post came back with
/// an error (which travels in `__err`, as `ActionForm` does without JavaScript).
#[component]
pub fn SavedNotice() -> impl IntoView {
    let t = use_tr();
    let query = use_query_map();
    move || {
        query
            .with(|q| q.get("saved").is_some() && q.get("__err").is_none())
            .then(|| view! { <p class="notice notice-ok" role="status" data-testid="saved">{t.saved}</p> })
    }
}

/// Shown to operator staff where the administrator alone may change things.
#[component]
pub fn AdminOnlyNote() -> impl IntoView {
    let t = use_tr();
    view! { <p class="notice" data-testid="admin-only">{t.ops_admin_only}</p> }
}
