//! One question of the rating form: its answers as radio buttons, with
//! drawn faces on a kiosk.

use super::super::localized;
use crate::domain::Item;
use crate::pairs::Pairs;
use leptos::prelude::*;

/// The mouths of the faces shown beside the answer words on a kiosk, worst
/// to best, as SVG paths in a 24×24 face: drawn, not emoji, so they look the
/// same on every device whatever its fonts.
const MOUTHS: [&str; 4] = [
    "M7.5 17.5q4.5-5 9 0",
    "M8 16.5q4-2.5 8 0",
    "M8 15q4 2.5 8 0",
    "M7 14q5 6 10 0",
];

/// A face for answer `value` (1–4); hidden from screen readers, which read
/// the answer's words.
#[component]
fn Face(value: u8) -> impl IntoView {
    let mouth = MOUTHS[usize::from(value.clamp(1, 4) - 1)];
    view! {
        <svg class="face" viewBox="0 0 24 24" aria-hidden="true" focusable="false" width="40" height="40">
            <circle cx="12" cy="12" r="10.5" class="face-head"/>
            <circle cx="8.5" cy="9.5" r="1.4" class="face-eye"/>
            <circle cx="15.5" cy="9.5" r="1.4" class="face-eye"/>
            <path d=mouth class="face-mouth"/>
        </svg>
    }
}

#[component]
pub(super) fn ItemField(item: Item, answers: RwSignal<Pairs<u8>>, kiosk: bool) -> impl IntoView {
    let code = item.code.to_string();
    let question_id = format!("q-{code}");
    let described_by = question_id.clone();
    let options = item
        .options
        .iter()
        .cloned()
        .zip(1u8..=4)
        .map(|(wording, value)| {
            let code = code.clone();
            let checked_code = code.clone();
            let input_id = format!("{code}-{value}");
            let name = format!("item-{code}");
            view! {
                <div class="option">
                    <input
                        type="radio"
                        id=input_id.clone()
                        name=name
                        value=value.to_string()
                        prop:checked=move || {
                            answers.with(|a| a.get(&checked_code) == Some(&value))
                        }
                        on:change=move |_| {
                            answers.update(|a| {
                                a.insert(code.clone(), value);
                            })
                        }
                    />
                    <label for=input_id>
                        {kiosk.then(|| view! { <Face value/> })}
                        <span class="num" aria-hidden="true">{value}</span>
                        {localized(wording)}
                    </label>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="item" aria-describedby=described_by>
            <legend>{localized(item.label.clone())}</legend>
            <p id=question_id class="question">{localized(item.question.clone())}</p>
            <div class="options">{options}</div>
        </fieldset>
    }
}
