//! Staff accounts: the list with enable and disable, a new account, and
//! the units of a unit head.

use super::options;
use crate::model::admin_page::AdminAccount;
use crate::pages::staff::{data_table, Field, Labelled};
use crate::text::{tr, use_lang, Msg};
use leptos::prelude::*;

#[component]
pub(super) fn AccountsSection(
    accounts: Vec<AdminAccount>,
    /// The signed-in administrator, who cannot disable their own account.
    me: String,
    units: Vec<(String, String)>,
) -> impl IntoView {
    let lang = use_lang().get_untracked();
    let (new_units, head_units) = (options(&units), options(&units));
    let heads = accounts
        .iter()
        .filter(|a| a.role == "unit-head")
        .map(|a| view! { <option value=a.email.clone()>{a.email.clone()}</option> })
        .collect_view();
    let rows = accounts
        .into_iter()
        .map(|a| {
            let (action, label) = if a.disabled {
                ("/admin/account/enable", Msg::Enable)
            } else {
                ("/admin/account/disable", Msg::Disable)
            };
            let own = a.email == me;
            let button_label = format!("{} {}", label.text(lang), a.email);
            view! {
                <tr data-account=a.email.clone()>
                    <th scope="row">{a.email.clone()}</th>
                    <td>{a.role.clone()}</td>
                    <td>{a.units.join(", ")}</td>
                    <td>
                        {tr(if a.disabled { Msg::Disabled } else { Msg::Active })}
                        {(!own)
                            .then(|| {
                                view! {
                                    <form method="post" action=action class="inline">
                                        <input type="hidden" name="email" value=a.email.clone()/>
                                        <button type="submit" aria-label=button_label>
                                            {tr(label)}
                                        </button>
                                    </form>
                                }
                            })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="accounts-title">
            <h2 id="accounts-title">{tr(Msg::Accounts)}</h2>
            {data_table(Some("accounts"), &[Msg::Email, Msg::Role, Msg::Unit, Msg::State], rows)}
            <details>
                <summary>{tr(Msg::AddAccount)}</summary>
                <form method="post" action="/admin/account" class="login">
                    <Field id="account-email" name="email" label=Msg::Email kind="email"/>
                    <Labelled id="account-role".into() label=Msg::Role>
                        <select id="account-role" name="role">
                            <option value="unit-head">"unit-head"</option>
                            <option value="auditor">"auditor"</option>
                            <option value="admin">"admin"</option>
                        </select>
                    </Labelled>
                    <Labelled id="account-units".into() label=Msg::UnitsOfHead>
                        <select id="account-units" name="units" multiple size="5">
                            {new_units}
                        </select>
                    </Labelled>
                    <Field
                        id="account-password"
                        name="password"
                        label=Msg::NewPassword
                        kind="password"
                        autocomplete="new-password"
                        minlength="10"
                    />
                    <button type="submit" class="primary">{tr(Msg::AddAccount)}</button>
                </form>
            </details>
        </section>
        <section class="card" aria-labelledby="heads-title">
            <h2 id="heads-title">{tr(Msg::AssignUnits)}</h2>
            <form method="post" action="/admin/account/units" class="login">
                <Labelled id="heads-email".into() label=Msg::Email>
                    <select id="heads-email" name="email">{heads}</select>
                </Labelled>
                <Labelled id="heads-units".into() label=Msg::UnitsOfHead>
                    <select id="heads-units" name="units" multiple size="5">
                        {head_units}
                    </select>
                </Labelled>
                <button type="submit" class="primary">{tr(Msg::AssignUnits)}</button>
            </form>
        </section>
    }
}
