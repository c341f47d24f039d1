//! The amount keypad: digits, one decimal point, two decimals at most, the bounds checked as the
//! shopper types. Without JavaScript the same field is a plain text input with the phone's own
//! decimal keyboard, and the server checks the same rules.

use crate::error_text::error_text;
use crate::i18n::use_tr;
use leptos::prelude::*;
use plaza_types::tender::parse_amount_within;
use plaza_types::{AppError, Fen};

/// What the amount typed so far means: nothing yet, a valid amount, or why not.
pub fn check(input: &str, min_fen: i64, max_fen: i64) -> Result<Option<Fen>, AppError> {
    if input.trim().is_empty() {
        return Ok(None);
    }
    parse_amount_within(input, Fen(min_fen), Fen(max_fen)).map(Some)
}

/// The text after pressing `key` (a digit, `.` or `⌫`): keys that would make it malformed are
/// ignored, a leading zero is replaced, and the whole part is kept to 6 digits.
pub fn press(current: &str, key: char) -> String {
    let mut next = current.to_string();
    match key {
        '⌫' => {
            next.pop();
        }
        '.' if !next.contains('.') => {
            if next.is_empty() {
                next.push('0');
            }
            next.push('.');
        }
        d if d.is_ascii_digit() => {
            let decimals = next.split_once('.').map(|(_, f)| f.len());
            match decimals {
                Some(n) if n >= 2 => {}
                Some(_) => next.push(d),
                None if next == "0" => next = d.to_string(),
                None if next.len() >= 6 => {}
                None => next.push(d),
            }
        }
        _ => {}
    }
    next
}

#[cfg_attr(feature = "islands-shopper", island)]
#[cfg_attr(not(feature = "islands-shopper"), component)]
pub fn AmountKeypad(min_fen: i64, max_fen: i64, initial: String) -> impl IntoView {
    let t = use_tr();
    let text = RwSignal::new(initial.clone());
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let verdict = move || check(&text.get(), min_fen, max_fen);
    let error = move || verdict().err().map(|e| error_text(t, &e));
    let ready = move || matches!(verdict(), Ok(Some(_)));
    let key = move |k: char| {
        view! {
            <button type="button" class="key" data-testid=format!("key-{k}")
                on:click=move |_| text.update(|s| *s = press(s, k))>
                {k.to_string()}
            </button>
        }
    };
    view! {
        <label class="amount-field">
            <span class="amount-label">{t.plate_amount}</span>
            <span class="amount-input">
                <span class="amount-currency">"¥"</span>
                <input type="text" name="amount" inputmode="decimal" autocomplete="off" required
                    placeholder="0.00" data-testid="amount-input"
                    readonly=move || hydrated.get()
                    value=initial prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev)) />
            </span>
        </label>
        <p class="field-error" role="alert" data-testid="amount-error">{error}</p>
        {move || hydrated.get().then(|| view! {
            <div class="keypad" role="group" aria-label=t.plate_amount>
                {['1', '2', '3', '4', '5', '6', '7', '8', '9', '.', '0', '⌫'].into_iter().map(key).collect_view()}
            </div>
        })}
        <div class="action-bar">
            <button type="submit" class="button button-primary button-block" data-testid="amount-next"
                disabled=move || hydrated.get() && !ready()>
                {t.plate_next}
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keypad_builds_well_formed_amounts() {
        let typed = |keys: &str| keys.chars().fold(String::new(), |s, k| press(&s, k));
        assert_eq!(typed("12.345"), "12.34");
        assert_eq!(typed(".5"), "0.5");
        assert_eq!(typed("0012"), "12");
        assert_eq!(typed("1..2"), "1.2");
        assert_eq!(typed("1234567"), "123456");
        assert_eq!(typed("12⌫3"), "13");
    }

    #[test]
    fn the_bounds_are_checked_as_typed() {
        assert_eq!(check("", 1, 100), Ok(None));
        assert_eq!(check("0.01", 1, 100), Ok(Some(Fen(1))));
        assert_eq!(check("0", 1, 100), Err(AppError::AmountOutOfRange { min_fen: 1, max_fen: 100 }));
        assert_eq!(check("1.001", 1, 100_000), Err(AppError::AmountTooPrecise));
        assert!(check("abc", 1, 100).is_err());
    }
}
