//! The cluster pane: the diagram's place (the diagram engineer's `crate::ui::diagram::Diagram`)
//! and a table of the learner's objects (`workbench::table`) from the same model: a text
//! alternative to the picture, marked out of date while the editor's text has errors. The table
//! is drawn a frame after the diagram. The page draws the pane's frame; its contents are made by
//! the simulator's module once that has loaded (`contents`, through `Panes`).

use super::prefs::t;
use super::workbench::WbCtx;
use super::diagram::Diagram;
use crate::diagram::{Options, View};
use crate::model::Key;
use leptos::prelude::*;
use std::time::Duration;

#[component]
pub fn ClusterView() -> impl IntoView {
    let ctx = expect_context::<WbCtx>();
    let stale = move || ctx.wb.with(|w| w.stale());
    view! {
        <div class="cluster" class:stale=stale>
            <Show when=stale>
                <p class="badge stale" role="status">{move || t("cluster.stale")}</p>
            </Show>
            <Show when=move || ctx.booted() fallback=move || move || if ctx.load_failed.get() {
                view! { <p class="notice error load-failed" role="alert">{move || t("cluster.load_failed")}</p> }.into_any()
            } else {
                view! { <p class="booting muted" role="status">{move || t("cluster.starting")}</p> }.into_any()
            }>
                {move || ctx.panes.get().map(|p| (p.cluster)())}
            </Show>
        </div>
    }
}

/// The diagram and the objects table: made by the simulator's module once it has loaded
/// (`Panes`), so their code ships with it, not with the page.
pub fn contents() -> AnyView {
    let ctx = expect_context::<WbCtx>();
    // The table follows the cluster a frame late: it sits below the diagram, usually off screen,
    // so a keystroke's frame draws the diagram first and the rows are built after it is painted.
    let drawn = RwSignal::new(0u64);
    let queued = StoredValue::new(false);
    Effect::new(move |_| {
        ctx.wb.track();
        if !queued.get_value() {
            queued.set_value(true);
            request_animation_frame(move || {
                set_timeout(move || {
                    queued.try_update_value(|q| *q = false);
                    drawn.try_update(|n| *n += 1);
                }, Duration::ZERO)
            });
        }
    });
    let table = Memo::new(move |_| {
        drawn.track();
        ctx.wb.with_untracked(|w| w.rows())
    });
    let stale = move || ctx.wb.with(|w| w.stale());
    view! {
            <div class="diagram-slot">
            <Diagram
                graph=Callback::new(move |(v, o): (View, Options)| {
                    let ghosts = ctx.ghosts.get();
                    ctx.wb.with(|w| w.graph(v, &o, &ghosts))
                })
                view=ctx.view
                on_select=Callback::new(move |k: Option<Key>| ctx.focus_lines.set(k.and_then(|k| ctx.wb.with_untracked(|w| w.lines_of(&k)))))
                stale=Signal::derive(stale) />
        </div>
        // Below the diagram and usually off screen: its wrapper lets Chrome skip painting it
        // on every keystroke (a table box cannot take `content-visibility` itself).
        <div class="objects-wrap">
        <table class="objects">
            <caption>{move || t("cluster.objects")}</caption>
            <thead><tr>
                <th scope="col">{move || t("cluster.kind")}</th>
                <th scope="col">{move || t("cluster.name")}</th>
                <th scope="col">{move || t("cluster.status")}</th>
                <th scope="col">{move || t("cluster.node")}</th>
            </tr></thead>
            <tbody>
                <For each=move || table.get() key=|r| r.clone() let(r)>
                    <tr data-kind=r.kind data-name=r.name.clone()>
                        <td>{r.kind}</td>
                        <td>{if r.namespace.is_empty() || r.namespace == "default" { r.name.clone() } else { format!("{}/{}", r.namespace, r.name) }}</td>
                        <td>{r.status}</td>
                        <td>{r.node}</td>
                    </tr>
                </For>
            </tbody>
        </table>
        </div>
        <Show when=move || table.with(|r| r.is_empty())>
            <p class="muted">{move || t("cluster.empty")}</p>
        </Show>
    }
    .into_any()
}
