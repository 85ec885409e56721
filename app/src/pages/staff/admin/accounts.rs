//! Staff accounts: the list with enable and disable and reset links, a new
//! account (by invitation link), the links still open, and the units of a
//! unit head.

use super::{options, ChangeForm};
use crate::model::account_link::AccountLink;
use crate::model::admin_page::AdminAccount;
use crate::pages::staff::dashboard::moment;
use crate::pages::staff::link::kind;
use crate::pages::staff::{data_table, ActionButton, Field, Labelled};
use crate::text::{tr, Msg};
use leptos::prelude::*;

#[component]
pub(super) fn AccountsSection(
    accounts: Vec<AdminAccount>,
    /// The signed-in administrator, who cannot disable their own account.
    me: String,
    units: Vec<(String, String)>,
    /// (code, name) of every agency: a leadership account's scope.
    agencies: Vec<(String, String)>,
    links: Vec<AccountLink>,
) -> impl IntoView {
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
            let state = if a.disabled {
                Msg::Disabled
            } else if a.invited {
                Msg::Invited
            } else {
                Msg::Active
            };
            let email = a.email.clone();
            view! {
                <tr data-account=a.email.clone()>
                    <th scope="row">{a.email.clone()}</th>
                    <td>{a.role.clone()}</td>
                    <td>{a.units.join(", ")}</td>
                    <td>
                        {tr(state)}
                        {(!a.disabled)
                            .then(|| {
                                view! {
                                    <ActionButton
                                        action="/admin/account/link".into()
                                        text=Msg::NewLink
                                        about=email.clone()
                                        field="email"
                                    />
                                }
                            })}
                        {(!own)
                            .then(|| {
                                view! {
                                    <ActionButton
                                        action=action.into()
                                        text=label
                                        about=email.clone()
                                        field="email"
                                    />
                                }
                            })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="accounts" aria-labelledby="accounts-title">
            <h2 id="accounts-title">{tr(Msg::Accounts)}</h2>
            {data_table(Some("accounts"), &[Msg::Email, Msg::Role, Msg::Unit, Msg::State], rows)}
            <ChangeForm title=Msg::AddAccount action="/admin/account">
                    <Field id="account-email" name="email" label=Msg::Email kind="email"/>
                    <Labelled id="account-role".into() label=Msg::Role>
                        <select id="account-role" name="role">
                            <option value="unit-head">"unit-head"</option>
                            <option value="auditor">"auditor"</option>
                            <option value="leadership">"leadership"</option>
                            <option value="admin">"admin"</option>
                        </select>
                    </Labelled>
                    <Labelled id="account-units".into() label=Msg::UnitsOfHead>
                        <select id="account-units" name="units" multiple size="5">
                            {new_units}
                        </select>
                    </Labelled>
                    <Labelled id="account-agencies".into() label=Msg::AgenciesOfLeadership>
                        <select id="account-agencies" name="agencies" multiple size="4">
                            {options(&agencies)}
                        </select>
                    </Labelled>
                    <p class="muted" id="account-hint">{tr(Msg::AddAccountHint)}</p>
            </ChangeForm>
        </section>
        <LinksSection links/>
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

/// The invitation and reset links still open, each revocable.
#[component]
fn LinksSection(links: Vec<AccountLink>) -> impl IntoView {
    let none = links
        .is_empty()
        .then(|| view! { <p class="muted">{tr(Msg::NoOpenLinks)}</p> });
    let rows = links
        .into_iter()
        .map(|l| {
            let (page, revoke) = (
                format!("/admin/tautan/{}", l.id),
                format!("/admin/tautan/{}/cabut", l.id),
            );
            view! {
                <tr data-link=l.email.clone()>
                    <th scope="row">
                        <a href=page>{l.email.clone()}</a>
                    </th>
                    <td>{tr(kind(l.purpose))}</td>
                    <td>{l.created_by.clone()}</td>
                    <td>{moment(l.expires_at_ms)}</td>
                    <td>
                        <ActionButton action=revoke text=Msg::LinkRevoke about=l.email.clone()/>
                    </td>
                </tr>
            }
        })
        .collect_view();
    const COLUMNS: [Msg; 5] = [
        Msg::Email,
        Msg::LinkKind,
        Msg::LinkMadeBy,
        Msg::LinkValidUntil,
        Msg::LinkRevoke,
    ];
    view! {
        <section class="card" id="links" aria-labelledby="links-title">
            <h2 id="links-title">{tr(Msg::OpenLinks)}</h2>
            {none}
            {data_table(Some("links"), &COLUMNS, rows)}
        </section>
    }
}
