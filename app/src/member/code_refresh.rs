//! Keeps the member code fresh on screen: a new code shortly before the old one expires, and at
//! once when the phone wakes up with a stale one. Browser-only; the server-rendered page relies
//! on a `<noscript>` refresh instead.

use leptos::prelude::*;

/// Seconds before expiry at which a new code is fetched.
pub const REFRESH_MARGIN_SECS: i64 = 5;

/// Bumps `tick` when the code received now (valid `ttl_secs`) is about to expire, and keeps
/// `seconds_left` counting down for the label.
pub fn schedule(tick: RwSignal<u32>, ttl_secs: i64, seconds_left: RwSignal<Option<i64>>) {
    #[cfg(feature = "hydrate")]
    {
        use std::time::Duration;
        let received_at = js_sys::Date::now();
        let refresh_after = (ttl_secs - REFRESH_MARGIN_SECS).max(1);
        let seen_tick = tick.get_untracked();
        let stale = move || (js_sys::Date::now() - received_at) / 1000.0 >= refresh_after as f64;
        let bump = move || {
            if tick.get_untracked() == seen_tick {
                tick.update(|n| *n += 1);
            }
        };
        set_timeout(bump, Duration::from_secs(refresh_after as u64));
        if let Ok(handle) = set_interval_with_handle(
            move || {
                let left = ttl_secs - ((js_sys::Date::now() - received_at) / 1000.0) as i64;
                seconds_left.set(Some(left.max(0)));
                // Timers sleep while the screen is off; catch up on waking.
                if stale() {
                    bump();
                }
            },
            Duration::from_secs(1),
        ) {
            on_cleanup(move || handle.clear());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (tick, ttl_secs, seconds_left);
    }
}
