//! "Tentang Anda — tidak wajib": the optional respondent profile of SKM
//! practice, asked after the items on the rating form and the kiosk. It is
//! what lets the equity tab and the SKM report show whether some groups are
//! served worse than others.
//!
//! Every question can be skipped, and each has "prefer not to say". On a
//! citizen's own phone the answers may be remembered on the device (opt-in,
//! in IndexedDB, with a way to forget them); a kiosk never remembers.

use crate::domain::scoring::Attribute;
use crate::domain::Respondent;
use crate::text::{tr, use_lang, Lang, Msg};
use leptos::prelude::*;
use leptos_i18n::td_string;

/// The value of "prefer not to say": a group of its own for disability,
/// no stated value for the other attributes.
pub const PREFER_NOT: &str = "prefer-not-to-say";

/// The chosen answers, by attribute (`"sex"` → `"female"`).
pub type Choices = crate::pairs::Pairs<String>;

/// The name of a form's radio group for `attribute`.
pub fn field_name(attribute: Attribute) -> String {
    format!("profile-{}", attribute.as_str())
}

/// The profile a response carries for `choices`; `None` when nothing was
/// stated. Values the attribute does not know are left out.
pub fn respondent(choices: &Choices) -> Option<Respondent> {
    let mut profile = Respondent::default();
    for a in Attribute::ALL {
        if let Some(value) = choices.get(a.as_str()) {
            a.set(&mut profile, value);
        }
    }
    (profile != Respondent::default()).then_some(profile)
}

/// The choices that show `profile` on the form.
pub fn choices_of(profile: &Respondent) -> Choices {
    Attribute::ALL
        .into_iter()
        .filter_map(|a| Some((a.as_str().to_owned(), a.value_of(profile)?.to_owned())))
        .collect()
}

/// A group's name in the page's language (the wire spells it as a code).
pub fn group_name(group: &str, lang: Lang) -> String {
    let locale = lang.locale();
    let name: &str = match group {
        "female" => td_string!(locale, group_female),
        "male" => td_string!(locale, group_male),
        "under-20" => td_string!(locale, group_under_20),
        "20-29" => td_string!(locale, group_20_29),
        "30-39" => td_string!(locale, group_30_39),
        "40-49" => td_string!(locale, group_40_49),
        "50-59" => td_string!(locale, group_50_59),
        "60-plus" => td_string!(locale, group_60_plus),
        "SD" => td_string!(locale, group_sd),
        "SMP" => td_string!(locale, group_smp),
        "SMA" => td_string!(locale, group_sma),
        "D1-D3" => td_string!(locale, group_d1_d3),
        "D4-S1" => td_string!(locale, group_d4_s1),
        "S2" => td_string!(locale, group_s2),
        "S3" => td_string!(locale, group_s3),
        "pns" => td_string!(locale, group_pns),
        "tni-polri" => td_string!(locale, group_tni_polri),
        "swasta" => td_string!(locale, group_swasta),
        "wirausaha" => td_string!(locale, group_wirausaha),
        "pelajar-mahasiswa" => td_string!(locale, group_pelajar),
        "lainnya" => td_string!(locale, group_lainnya),
        "yes" => td_string!(locale, group_yes),
        "no" => td_string!(locale, group_no),
        PREFER_NOT => td_string!(locale, group_prefer_not),
        "not-stated" => td_string!(locale, group_not_stated),
        other => other,
    };
    name.to_owned()
}

pub fn attribute_label(a: Attribute) -> Msg {
    match a {
        Attribute::Sex => Msg::AttrSex,
        Attribute::AgeBand => Msg::AttrAge,
        Attribute::Education => Msg::AttrEducation,
        Attribute::Occupation => Msg::AttrOccupation,
        Attribute::Disability => Msg::AttrDisability,
    }
}

/// The options of one question: its groups, then "prefer not to say".
fn options(a: Attribute) -> Vec<&'static str> {
    let mut values: Vec<&'static str> = a.groups().to_vec();
    if !values.contains(&PREFER_NOT) {
        values.push(PREFER_NOT);
    }
    values
}

/// Where the citizen asked to remember the profile, and whether something
/// is remembered (phone only).
#[derive(Clone, Copy)]
pub struct Remember {
    pub wanted: RwSignal<bool>,
    pub stored: RwSignal<bool>,
}

/// The profile questions; `remember` is `None` on a kiosk.
#[component]
pub fn ProfileFields(choices: RwSignal<Choices>, remember: Option<Remember>) -> impl IntoView {
    let lang = use_lang();
    let forgotten = RwSignal::new(false);
    let questions = Attribute::ALL
        .into_iter()
        .map(|a| {
            let name = field_name(a);
            let radios = options(a)
                .into_iter()
                .map(|value| {
                    let id = format!("{name}-{value}");
                    let key = a.as_str();
                    view! {
                        <span class="chip">
                            <input
                                type="radio"
                                id=id.clone()
                                name=name.clone()
                                value=value
                                prop:checked=move || {
                                    choices.with(|c| c.get(key).map(String::as_str) == Some(value))
                                }
                                on:change=move |_| {
                                    choices.update(|c| {
                                        c.insert(key.to_owned(), value.to_owned());
                                    })
                                }
                            />
                            <label for=id>{move || group_name(value, lang.get())}</label>
                        </span>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="profile-question">
                    <legend>{tr(attribute_label(a))}</legend>
                    <div class="chips">{radios}</div>
                </fieldset>
            }
        })
        .collect_view();
    let remember_view = remember.map(|r| {
        let forget = move |_| {
            choices.set(Choices::new());
            r.wanted.set(false);
            leptos::task::spawn_local(async move {
                if crate::offline::remember_profile(None).await.is_ok() {
                    r.stored.set(false);
                    forgotten.set(true);
                }
            });
        };
        view! {
            <div class="remember">
                <input
                    type="checkbox"
                    id="remember-profile"
                    name="remember-profile"
                    aria-describedby="remember-hint"
                    bind:checked=r.wanted
                    on:change=move |_| forgotten.set(false)
                />
                <label for="remember-profile">{tr(Msg::RememberProfile)}</label>
                <p id="remember-hint" class="muted">{tr(Msg::RememberHint)}</p>
                <Show when=move || r.stored.get()>
                    <button type="button" class="link-button" on:click=forget>
                        {tr(Msg::ForgetProfile)}
                    </button>
                </Show>
                <p role="status" class="muted">
                    {move || forgotten.get().then(|| Msg::ProfileForgotten.text(lang.get()))}
                </p>
            </div>
        }
    });
    view! {
        <section class="profile" aria-labelledby="profile-title" aria-describedby="profile-hint">
            <h2 id="profile-title">
                {tr(Msg::ProfileTitle)} " " <span class="muted">"— " {tr(Msg::ProfileOptional)}</span>
            </h2>
            <p id="profile-hint" class="muted">{tr(Msg::ProfileHint)}</p>
            {questions}
            {remember_view}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::response::{Disability, Education, Sex};

    fn choices(pairs: &[(&str, &str)]) -> Choices {
        pairs
            .iter()
            .map(|(a, v)| (a.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn chosen_answers_become_the_responses_profile() {
        let r = respondent(&choices(&[
            ("sex", "female"),
            ("education", "D4-S1"),
            ("disability", PREFER_NOT),
        ]))
        .unwrap();
        assert_eq!(r.sex, Some(Sex::Female));
        assert_eq!(r.education, Some(Education::D4S1));
        assert_eq!(r.disability, Some(Disability::PreferNotToSay));
        assert_eq!(r.age_band, None);
        assert_eq!(choices_of(&r).len(), 3);
        assert_eq!(respondent(&choices_of(&r)), Some(r));
    }

    #[test]
    fn prefer_not_to_say_and_nothing_chosen_state_nothing() {
        assert_eq!(respondent(&Choices::new()), None);
        // Only disability has a "prefer not to say" group of its own.
        assert_eq!(
            respondent(&choices(&[("sex", PREFER_NOT), ("age_band", PREFER_NOT)])),
            None
        );
        // Values a question does not offer never reach the server.
        assert_eq!(
            respondent(&choices(&[("sex", "robot"), ("colour", "blue")])),
            None
        );
    }

    #[test]
    fn every_question_offers_prefer_not_to_say_once() {
        for a in Attribute::ALL {
            let o = options(a);
            assert_eq!(o.iter().filter(|v| **v == PREFER_NOT).count(), 1, "{a:?}");
            assert_eq!(o.last(), Some(&PREFER_NOT));
        }
    }
}
