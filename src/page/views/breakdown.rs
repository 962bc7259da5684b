//! `Breakdown`: what the selection is made of, by a short field such as `origin`.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::page::text::thousands;

#[derive(Properties, PartialEq)]
pub struct BreakdownProps {
    pub fields: Vec<String>,
    pub field: String,
    /// (label, kept, total), most kept first, from the worker; `None` while counting.
    pub rows: Option<Vec<(String, usize, usize)>>,
    pub kept: usize,
    pub on_field: Callback<String>,
}

/// What the selection is made of, by the values of a short field such as `origin`.
#[function_component(Breakdown)]
pub fn breakdown(props: &BreakdownProps) -> Html {
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
    let rows = props.rows.as_ref();
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
