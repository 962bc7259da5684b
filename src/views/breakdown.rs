//! `Breakdown`: what the selection is made of, by a short field such as `origin`.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::text::thousands;
use crate::bridge::Scored;
use crate::protocol::Groups;
use crate::shared::Shared;

#[derive(Properties, PartialEq)]
pub struct BreakdownProps {
    pub fields: Vec<String>,
    pub field: String,
    pub groups: Option<Shared<Groups>>,
    pub scored: Shared<Scored>,
    pub kept: usize,
    pub on_field: Callback<String>,
}

/// What the selection is made of, by the values of a short field such as `origin`.
#[function_component(Breakdown)]
pub fn breakdown(props: &BreakdownProps) -> Html {
    // Counting walks every record: only when the labels or the selection change.
    let rows = use_memo(
        (
            props.groups.clone(),
            props.field.clone(),
            props.scored.clone(),
            props.kept,
        ),
        |(groups, field, scored, kept)| {
            let groups = groups.as_ref().filter(|g| g.field == *field)?;
            let mut total = vec![0usize; groups.labels.len()];
            let mut kept_counts = vec![0usize; groups.labels.len()];
            for &code in &groups.codes {
                total[code as usize] += 1;
            }
            for &i in &scored.order[..*kept] {
                kept_counts[groups.codes[i as usize] as usize] += 1;
            }
            let mut rows: Vec<(String, usize, usize)> = groups
                .labels
                .iter()
                .cloned()
                .zip(kept_counts)
                .zip(total)
                .map(|((label, k), t)| (label, k, t))
                .collect();
            rows.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)));
            rows.truncate(12);
            Some(rows)
        },
    );
    if props.fields.is_empty() {
        return html! {};
    }
    let field_changed = {
        let on_field = props.on_field.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            on_field.emit(select.value());
        })
    };
    let rows = rows.as_ref();
    html! {
        <div class="breakdown" id="breakdown">
            <h3><label for="group-field">{ "Kept by " }</label>
                <select id="group-field" onchange={field_changed}>
                    { for props.fields.iter().map(|f| html! { <option value={f.clone()} selected={*f == props.field}>{ f }</option> }) }
                </select>
            </h3>
            if let Some(rows) = rows {
                <table>
                    { for rows.iter().map(|(label, kept, total)| {
                        let share = if props.kept == 0 { 0.0 } else { *kept as f64 / props.kept as f64 };
                        html! {
                            <tr>
                                <td class="label">{ label }</td>
                                <td class="meter"><span style={format!("width: {:.1}%", share * 100.0)}></span></td>
                                <td class="num">{ format!("{} / {}", thousands(*kept), thousands(*total)) }</td>
                            </tr>
                        }
                    }) }
                </table>
            } else {
                <p class="status">{ "counting…" }</p>
            }
        </div>
    }
}
