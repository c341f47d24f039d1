use leptos::prelude::*;

/// Line icons (24×24, stroke follows the text colour).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icon {
    Home,
    Code,
    Scan,
    Bag,
    User,
    Store,
    Chart,
    Users,
    Ticket,
    Receipt,
    Gift,
    Car,
    Plate,
    Dining,
    Box,
    Shield,
}

impl Icon {
    fn path(self) -> &'static str {
        match self {
            Icon::Home => "M3 11l9-8 9 8v10a1 1 0 0 1-1 1h-5v-7h-6v7H4a1 1 0 0 1-1-1z",
            Icon::Code => "M3 3h7v7H3zM14 3h7v7h-7zM3 14h7v7H3zM14 14h3v3h-3zM18 18h3v3h-3zM18 14h3M14 18v3",
            Icon::Scan => {
                "M3 8V4a1 1 0 0 1 1-1h4M16 3h4a1 1 0 0 1 1 1v4M21 16v4a1 1 0 0 1-1 1h-4M8 21H4a1 1 0 0 1-1-1v-4M3 12h18"
            }
            Icon::Bag => "M5 8h14l-1 13H6zM9 8V6a3 3 0 0 1 6 0v2",
            Icon::User => "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0",
            Icon::Store => "M3 9l2-5h14l2 5M3 9h18v2a3 3 0 0 1-6 0 3 3 0 0 1-6 0 3 3 0 0 1-6 0zM5 13v8h14v-8",
            Icon::Chart => "M4 20V10M10 20V4M16 20v-7M22 20H2",
            Icon::Users => {
                "M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21a7 7 0 0 1 14 0M16 3.5a4 4 0 0 1 0 7M22 21a7 7 0 0 0-4-6.3"
            }
            Icon::Ticket => "M3 7h18v3a2 2 0 0 0 0 4v3H3v-3a2 2 0 0 0 0-4zM13 7v10",
            Icon::Receipt => "M6 2h12v20l-3-2-3 2-3-2-3 2zM9 7h6M9 11h6M9 15h4",
            Icon::Gift => "M3 8h18v4H3zM5 12v9h14v-9M12 8v13M12 8S10 3 7.5 4 8 8 12 8zM12 8s2-5 4.5-4S16 8 12 8",
            Icon::Car => "M5 16V11l2-5h10l2 5v5M5 16h14M5 16v3M19 16v3M7 13h2M15 13h2",
            Icon::Plate => "M4 4h16v16H4zM8 8h3v3H8zM13 13h3v3h-3zM13 8h3M8 13v3",
            Icon::Dining => "M7 3v8M5 3v5a2 2 0 0 0 4 0V3M7 11v10M17 3c-2 0-3 3-3 7h3v11",
            Icon::Box => "M3 7l9-4 9 4v10l-9 4-9-4zM3 7l9 4 9-4M12 11v10",
            Icon::Shield => "M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z",
        }
    }
}

#[component]
pub fn IconSvg(icon: Icon) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor"
            stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
            <path d=icon.path() />
        </svg>
    }
}
