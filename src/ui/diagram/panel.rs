//! Beside the picture: the details of the selected element (its state, why, detail lines and
//! links with their reasons), the legend (colour plus shape), and the table alternative.

use super::canvas::{accessible_name, icon};
use super::{status_label, t, DiagramCtx};
use crate::diagram::{text, Status};
use leptos::prelude::*;

#[component]
pub fn Details() -> impl IntoView {
    let ctx = expect_context::<DiagramCtx>();
    let info = Memo::new(move |_| {
        let id = ctx.selected.get().or_else(|| ctx.hovered.get())?;
        ctx.scene.with(|s| {
            let n = s.node(&id)?.clone();
            let links: Vec<(bool, String, String, bool)> = s
                .graph
                .edges
                .iter()
                .filter(|e| e.from == id || e.to == id)
                .take(50)
                .map(|e| {
                    let out = e.from == id;
                    let other = s.node(if out { &e.to } else { &e.from }).map(accessible_name).unwrap_or_default();
                    (out, other, e.reason.clone(), e.broken)
                })
                .collect();
            Some((n, links))
        })
    });
    view! {
        <aside class="diagram-details" aria-live="polite" aria-label=move || t("diagram.details")>
            {move || match info.get() {
                None => view! { <p class="muted">{t("diagram.none_selected")}</p> }.into_any(),
                Some((n, links)) => {
                    let ns = n.namespace.clone();
                    view! {
                        <h3><span class="kind">{n.kind_label().to_string()}</span>" "<span class="name">{n.name.clone()}</span></h3>
                        {(!ns.is_empty()).then(|| view! { <p class="muted">{t("diagram.namespace")}": "{ns}</p> })}
                        <p class=format!("state st-{}", n.status.id())>
                            <svg class="legend-ico" width="14" height="14" viewBox="-7 -7 14 14" aria-hidden="true">{icon(n.status)}</svg>
                            " "{status_label(n.status)}
                            {(!n.state.is_empty() && n.state != status_label(n.status)).then(|| format!(" — {}", n.state))}
                        </p>
                        {n.why.clone().map(|w| view! { <p class="why"><strong>{t("diagram.why")}": "</strong>{w}</p> })}
                        <dl>
                            {n.details.iter().map(|(k, v)| view! { <dt>{t(*k)}</dt><dd>{v.clone()}</dd> }).collect_view()}
                        </dl>
                        {(!links.is_empty()).then(|| view! {
                            <h4>{t("diagram.links")}</h4>
                            <ul class="links">
                                {links.into_iter().map(|(out, other, reason, broken)| view! {
                                    <li class:broken=broken>
                                        {if out { "→ " } else { "← " }}{other}
                                        {broken.then(|| view! { " " <strong>"("{t("diagram.broken")}")"</strong> })}
                                        <br /><span class="reason">{reason}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        })}
                        <button type="button" class="diagram-close" on:click=move |_| ctx.select(None)>{t("diagram.close")}</button>
                    }.into_any()
                }
            }}
        </aside>
    }
}

#[component]
pub fn Legend() -> impl IntoView {
    let ctx = expect_context::<DiagramCtx>();
    let ghost = Memo::new(move |_| ctx.scene.with(|s| s.graph.nodes.iter().any(|n| n.status == Status::Ghost)));
    let items: Vec<_> = Status::ALL.into_iter().map(|s| {
        view! {
            <li class=format!("st-{}", s.id())>
                <svg class="legend-ico" width="14" height="14" viewBox="-7 -7 14 14" aria-hidden="true">
                    <rect class="box" x="-7" y="-7" width="14" height="14" rx="3" />{icon(s)}
                </svg>
                " "{move || status_label(s)}
            </li>
        }
    }).collect();
    view! {
        <ul class="diagram-legend" aria-label=move || t("diagram.legend")>
            {items}
            <Show when=move || ghost.get()>
                <li class="st-ghost">
                    <svg class="legend-ico" width="14" height="14" viewBox="-7 -7 14 14" aria-hidden="true">
                        <rect class="box" x="-7" y="-7" width="14" height="14" rx="3" />{icon(Status::Ghost)}
                    </svg>
                    " "{move || status_label(Status::Ghost)}
                </li>
            </Show>
            <li class="edge-key"><svg width="28" height="10" aria-hidden="true"><path class="edge-line" d="M2 5H26" /></svg>" "{move || t("diagram.legend.link")}</li>
            <li class="edge-key broken"><svg width="28" height="10" aria-hidden="true"><path class="edge-line" d="M2 5H26" /></svg>" "{move || t("diagram.legend.broken")}</li>
        </ul>
    }
}

/// The same graph as a table (kind, name, namespace, state, links), for screen readers and for
/// anyone who prefers text. Built only while open.
#[component]
pub fn TextTable() -> impl IntoView {
    let ctx = expect_context::<DiagramCtx>();
    let open = RwSignal::new(false);
    let rows = Memo::new(move |_| if open.get() { ctx.scene.with(|s| text::rows(&s.graph)) } else { Vec::new() });
    view! {
        <details class="diagram-table">
            <summary on:click=move |_| open.update(|o| *o = !*o)>{move || t("diagram.table")}</summary>
            <table>
                <thead><tr>
                    <th scope="col">{move || t("diagram.col.kind")}</th>
                    <th scope="col">{move || t("diagram.col.name")}</th>
                    <th scope="col">{move || t("diagram.col.status")}</th>
                    <th scope="col">{move || t("diagram.col.links")}</th>
                </tr></thead>
                <tbody>
                    <For each=move || rows.get() key=|r| (r.id.clone(), r.state.clone(), r.links.len(), r.status) let(r)>
                        <tr data-id=r.id.clone()>
                            <td>{r.kind.clone()}</td>
                            <td>{if r.namespace.is_empty() { r.name.clone() } else { format!("{}/{}", r.namespace, r.name) }}
                                {r.lane.clone().map(|l| format!(" @ {l}"))}</td>
                            <td>{status_label(r.status)}{(!r.state.is_empty()).then(|| format!(" ({})", r.state))}</td>
                            <td>{r.links.iter().map(|l| format!("{}{}{}: {}",
                                if l.outgoing { "→ " } else { "← " }, l.other, if l.broken { " ✗" } else { "" }, l.reason))
                                .collect::<Vec<_>>().join("; ")}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </details>
    }
}
