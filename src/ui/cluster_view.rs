//! The cluster pane: the diagram's place (the diagram engineer's `crate::ui::diagram::Diagram`)
//! and a table of the learner's objects (kind, name, status, node) from the same model: a text
//! alternative to the picture, marked out of date while the editor's text has errors. The table
//! is drawn a frame after the diagram.

use super::prefs::t;
use super::workbench::WbCtx;
use crate::model::{Cluster, Kind, ObjExt};
use super::diagram::Diagram;
use crate::diagram::{Options, View};
use crate::model::Key;
use leptos::prelude::*;
use std::time::Duration;

#[derive(Clone, PartialEq, Eq, Hash)]
struct Row {
    key: String,
    kind: &'static str,
    name: String,
    namespace: String,
    status: String,
    node: String,
}

/// Namespaces the learner did not make (shown only when asked with kubectl).
fn system_ns(ns: &str) -> bool {
    ns.starts_with("kube-")
}

/// A short status for the table: a pod's phase (or Terminating), a workload's ready count.
fn status(kind: Kind, o: &crate::value::Value) -> String {
    if o.is_deleting() {
        return "Terminating".into();
    }
    match kind {
        Kind::Pod => o.str_at("status.phase").unwrap_or("Pending").to_string(),
        Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet => {
            format!("{}/{}", o.i64_at("status.readyReplicas").unwrap_or(0), o.i64_at("spec.replicas").unwrap_or(1))
        }
        Kind::PersistentVolumeClaim | Kind::PersistentVolume | Kind::Namespace => o.str_at("status.phase").unwrap_or("").to_string(),
        Kind::Service => o.str_at("spec.clusterIP").unwrap_or("").to_string(),
        _ => String::new(),
    }
}

fn rows(c: &Cluster) -> Vec<Row> {
    c.store
        .all_entries()
        .filter_map(|(key, o)| {
            // The key's kind, not the object's: the events (most of a busy store) are skipped
            // without reading them.
            let kind = key.kind;
            if matches!(kind, Kind::Event | Kind::Endpoints | Kind::EndpointSlice | Kind::Lease | Kind::Node | Kind::ServiceAccount)
                || (kind == Kind::ConfigMap && &*key.name == "kube-root-ca.crt")
            {
                return None;
            }
            if system_ns(&key.namespace) || (!kind.namespaced() && kind != Kind::PersistentVolume && kind != Kind::Namespace) {
                return None;
            }
            if kind == Kind::Namespace && (system_ns(&key.name) || &*key.name == "default") {
                return None;
            }
            if kind == Kind::Service && &*key.name == "kubernetes" && &*key.namespace == "default" {
                return None;
            }
            Some(Row {
                key: format!("{kind:?}/{}/{}", key.namespace, key.name),
                kind: kind.name(),
                name: key.name.to_string(),
                namespace: key.namespace.to_string(),
                status: status(kind, o),
                node: o.str_at("spec.nodeName").unwrap_or("").to_string(),
            })
        })
        .take(2000)
        .collect()
}

#[component]
pub fn ClusterView() -> impl IntoView {
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
        ctx.wb.with_untracked(|w| rows(&w.cluster))
    });
    let stale = move || ctx.wb.with(|w| w.stale);
    view! {
        <div class="cluster" class:stale=stale>
            <Show when=stale>
                <p class="badge stale" role="status">{move || t("cluster.stale")}</p>
            </Show>
            <Show when=move || ctx.booted.get() fallback=|| view! {
                <p class="booting muted" role="status">{move || t("cluster.starting")}</p>
            }>
            <div class="diagram-slot">
                <Diagram
                    graph=Callback::new(move |(v, o): (View, Options)| {
                        let ghosts = ctx.ghosts.get();
                        ctx.wb.with(|w| {
                            let mut g = crate::diagram::graph(&w.cluster.store, v, &o);
                            crate::diagram::add_ghosts(&mut g, v, &w.cluster.store, &ghosts);
                            g
                        })
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
            </Show>
        </div>
    }
}
