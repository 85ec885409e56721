//! The working-day calendar on `/admin`: the days off complaint deadlines
//! skip, from this year on; add, rename or remove one (each audited).

use super::ChangeForm;
use crate::domain::complaint::{Closure, DayOff};
use crate::pages::staff::{ActionButton, Field, Picker};
use crate::text::{tr, Msg};
use leptos::prelude::*;

fn kind_name(k: DayOff) -> Msg {
    match k {
        DayOff::Holiday => Msg::DayOffHoliday,
        DayOff::CollectiveLeave => Msg::DayOffCollectiveLeave,
    }
}

#[component]
pub fn CalendarSection(closures: Vec<Closure>) -> impl IntoView {
    let rows = closures
        .into_iter()
        .map(|c| {
            let day = c.date.to_string();
            view! {
                <tr data-day=day.clone()>
                    <td>{day.clone()}</td>
                    <td>{tr(kind_name(c.kind))}</td>
                    <td>{c.name}</td>
                    <td>
                        <ActionButton
                            action="/admin/calendar/remove".into()
                            text=Msg::CalendarRemove
                            about=day.clone()
                            field="day"
                        />
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="calendar-title">
            <h2 id="calendar-title">{tr(Msg::CalendarTitle)}</h2>
            <p class="muted">{tr(Msg::CalendarHint)}</p>
            <ChangeForm title=Msg::CalendarAdd action="/admin/calendar" name="calendar">
                    <Field id="calendar-day" name="day" label=Msg::CalendarDay kind="date"/>
                    <Picker id="kind" label=Msg::CalendarKind>
                        <option value="holiday">{tr(Msg::DayOffHoliday)}</option>
                        <option value="collective_leave">{tr(Msg::DayOffCollectiveLeave)}</option>
                    </Picker>
                    <Field id="calendar-name" name="name" label=Msg::CalendarName/>
            </ChangeForm>
            <div class="table-wrap" tabindex="0">
                <table data-figure="calendar">
                    <thead>
                        <tr>
                            <th scope="col">{tr(Msg::CalendarDay)}</th>
                            <th scope="col">{tr(Msg::CalendarKind)}</th>
                            <th scope="col">{tr(Msg::CalendarName)}</th>
                            <th scope="col"><span class="visually-hidden">{tr(Msg::CalendarRemove)}</span></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}
