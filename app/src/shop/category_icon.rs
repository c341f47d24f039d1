//! The icons a category wears (`CATEGORY_ICONS`), drawn as lines like the app's other icons.

use leptos::prelude::*;

fn path(name: &str) -> &'static str {
    match name {
        "cup" => "M5 8h12v6a5 5 0 0 1-5 5h-2a5 5 0 0 1-5-5zM17 10h2a2 2 0 0 1 0 4h-2M8 3v3M12 3v3",
        "home" => "M3 11l9-7 9 7M5 10v10h14V10M10 20v-6h4v6",
        "kitchen" => "M4 10h16v6a4 4 0 0 1-4 4H8a4 4 0 0 1-4-4zM2 10h20M9 6h6M12 6V4",
        "bed" => "M3 18V7M3 14h18v4M21 14v-2a3 3 0 0 0-3-3h-7v5M7 12.5a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3z",
        "plant" => "M12 21v-9M12 12c0-4 3-7 7-7 0 4-3 7-7 7zM12 14c0-3-2-5-6-5 0 3 2 5 6 5zM7 21h10",
        "book" => "M4 5a2 2 0 0 1 2-2h13v16H6a2 2 0 0 0-2 2zM4 19V5M8 7h7",
        "pen" => "M15 4l5 5-11 11H4v-5zM13 6l5 5",
        "phone" => "M7 2h10a1 1 0 0 1 1 1v18a1 1 0 0 1-1 1H7a1 1 0 0 1-1-1V3a1 1 0 0 1 1-1zM11 18h2",
        "laptop" => "M5 5h14v10H5zM3 19h18",
        "headphones" => "M4 14v-2a8 8 0 0 1 16 0v2M4 14h3v6H4zM17 14h3v6h-3z",
        "camera" => "M4 8h4l2-3h4l2 3h4v11H4zM12 16.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z",
        "gift" => "M4 10h16v10H4zM3 7h18v3H3zM12 7v13M12 7c-2-4-6-3-5 0M12 7c2-4 6-3 5 0",
        "toy" => "M4 9h5V6a2 2 0 0 1 4 0v3h5v4h-2a2 2 0 0 0 0 4h2v4H4z",
        "shirt" => "M8 3L3 7l3 3 2-1v12h8V9l2 1 3-3-5-4a4 4 0 0 1-8 0z",
        "sport" => "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM3 12h18M12 3c3 3 3 15 0 18M12 3c-3 3-3 15 0 18",
        _ => "M3 7l9-4 9 4v10l-9 4-9-4zM3 7l9 4 9-4M12 11v10",
    }
}

#[component]
pub fn CategoryIcon(#[prop(into)] name: String) -> impl IntoView {
    view! {
        <svg class="icon category-icon" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor"
            stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">
            <path d=path(&name) />
        </svg>
    }
}
