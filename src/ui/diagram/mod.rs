//! The live diagram: view tabs, the SVG picture (`canvas`), a legend, the details panel of the
//! selected element and a table alternative (`panel`). Everything it draws comes from
//! `crate::diagram` (graph and layout are pure); this module only reads signals and renders.

mod canvas;
mod panel;

use canvas::Canvas;
use panel::{Details, Legend, TextTable};

use crate::diagram::{layout_in, Graph, Layout, Options, Status, View};
use crate::model::Key;
use leptos::prelude::*;
use std::collections::HashMap;

pub(crate) use crate::ui::prefs::t;

/// A view's graph with an index by element id (so each keyed element finds itself quickly).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scene {
    pub graph: Graph,
    pub index: HashMap<String, usize>,
    pub edge_index: HashMap<String, usize>,
}

impl Scene {
    pub fn new(graph: Graph) -> Scene {
        let index = graph.nodes.iter().enumerate().map(|(i, n)| (n.id.clone(), i)).collect();
        let edge_index = graph.edges.iter().enumerate().map(|(i, e)| (e.id.clone(), i)).collect();
        Scene { graph, index, edge_index }
    }
    pub fn node(&self, id: &str) -> Option<&crate::diagram::GNode> {
        self.index.get(id).and_then(|&i| self.graph.nodes.get(i))
    }
    pub fn edge(&self, id: &str) -> Option<&crate::diagram::GEdge> {
        self.edge_index.get(id).and_then(|&i| self.graph.edges.get(i))
    }
}

/// What the parts of the diagram share.
#[derive(Clone, Copy)]
pub(crate) struct DiagramCtx {
    pub scene: Memo<Scene>,
    pub layout: Memo<Layout>,
    pub selected: RwSignal<Option<String>>,
    /// The element under the pointer (previewed in the details panel while nothing is selected).
    pub hovered: RwSignal<Option<String>>,
    pub on_select: Option<Callback<Option<Key>>>,
    /// The canvas's inner width in CSS pixels (0 until measured).
    pub width: RwSignal<i32>,
}

impl DiagramCtx {
    /// Selects an element (or clears the selection) and tells the page which object it is.
    pub fn select(self, id: Option<String>) {
        let key = id.as_deref().and_then(|i| self.scene.with_untracked(|s| s.node(i).and_then(|n| n.key.clone())));
        self.selected.set(id);
        if let Some(cb) = self.on_select {
            cb.run(key);
        }
    }
}

/// The picture is laid out for its panel drawn at this scale (so a lesson's panel holds a
/// Deployment's three pods in a row); it shrinks further only to `canvas::MIN_SCALE`.
const PREFERRED_SCALE: f64 = 0.86;

/// Layout pixels for a canvas `css` pixels wide, in steps of 16 so small resizes relayout nothing.
fn layout_width(css: i32) -> i32 {
    if css <= 0 {
        return crate::diagram::layout::DEFAULT_WIDTH;
    }
    ((css as f64 / PREFERRED_SCALE) as i32) / 16 * 16
}

pub(crate) fn view_label(v: View) -> &'static str {
    match v {
        View::Cluster => t("diagram.view.cluster"),
        View::Ownership => t("diagram.view.ownership"),
        View::Networking => t("diagram.view.networking"),
        View::Storage => t("diagram.view.storage"),
        View::Config => t("diagram.view.config"),
        View::Rbac => t("diagram.view.rbac"),
    }
}

pub(crate) fn status_label(s: Status) -> &'static str {
    match s {
        Status::Running => t("diagram.status.running"),
        Status::Pending => t("diagram.status.pending"),
        Status::Failed => t("diagram.status.failed"),
        Status::Completed => t("diagram.status.completed"),
        Status::Terminating => t("diagram.status.terminating"),
        Status::Neutral => t("diagram.status.neutral"),
        Status::Missing => t("diagram.status.missing"),
        Status::Ghost => t("diagram.status.ghost"),
    }
}

/// The diagram. `graph` builds a view's graph from the current cluster and must read the
/// cluster's signal inside, so the diagram follows every change, e.g.
/// `Callback::new(move |(v, o)| wb.with(|w| crate::diagram::graph(&w.cluster.store, v, &o)))`.
/// `on_select` receives the object behind the selected element (None when cleared or when the
/// element is not an object) so the editor can highlight the manifest lines it came from.
#[component]
pub fn Diagram(
    graph: Callback<(View, Options), Graph>,
    #[prop(optional)] on_select: Option<Callback<Option<Key>>>,
    /// The picture is out of date (the editor's text has errors): drawn dimmed.
    #[prop(optional, into)]
    stale: Signal<bool>,
    #[prop(optional)] initial_view: Option<View>,
    /// The view, when the page keeps it (to share it); `initial_view` is then ignored.
    #[prop(optional)]
    view: Option<RwSignal<View>>,
) -> impl IntoView {
    let view = view.unwrap_or_else(|| RwSignal::new(initial_view.unwrap_or(View::Cluster)));
    let show_system = RwSignal::new(false);
    let scene = Memo::new(move |_| Scene::new(graph.run((view.get(), Options { show_system: show_system.get() }))));
    let width = RwSignal::new(0);
    let layout = Memo::new(move |prev: Option<&Layout>| {
        let (v, w) = (view.get(), layout_width(width.get()));
        scene.with(|s| layout_in(&s.graph, v, prev, w))
    });
    let ctx = DiagramCtx { scene, layout, selected: RwSignal::new(None), hovered: RwSignal::new(None), on_select, width };
    provide_context(ctx);
    let tabs: Vec<_> = View::ALL.into_iter().map(|v| {
        let pick = move |_| {
            view.set(v);
            ctx.select(None);
        };
        view! {
            <button type="button" role="tab" class="diagram-tab" id=format!("diagram-tab-{}", v.id())
                aria-selected=move || (view.get() == v).to_string()
                tabindex=move || if view.get() == v { "0" } else { "-1" }
                on:click=pick
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    let i = View::ALL.iter().position(|x| *x == view.get_untracked()).unwrap_or(0);
                    let next = match ev.key().as_str() {
                        "ArrowRight" => Some((i + 1) % View::ALL.len()),
                        "ArrowLeft" => Some((i + View::ALL.len() - 1) % View::ALL.len()),
                        _ => None,
                    };
                    if let Some(n) = next {
                        ev.prevent_default();
                        view.set(View::ALL[n]);
                        ctx.select(None);
                        focus_id(&format!("diagram-tab-{}", View::ALL[n].id()));
                    }
                }>
                {move || view_label(v)}
            </button>
        }
    }).collect();
    view! {
        <div class="diagram" class:stale=move || stale.get() data-view=move || view.get().id()>
            <div class="diagram-bar">
                <div role="tablist" class="diagram-tabs" aria-label=move || t("diagram.views")>{tabs}</div>
                <label class="diagram-system">
                    <input type="checkbox" prop:checked=move || show_system.get()
                        on:change=move |ev| show_system.set(event_target_checked(&ev)) />
                    {move || t("diagram.show_system")}
                </label>
            </div>
            <div class="diagram-body" role="tabpanel" aria-labelledby=move || format!("diagram-tab-{}", view.get().id())>
                <Canvas />
                <Details />
            </div>
            <Legend />
            <TextTable />
        </div>
    }
}

fn focus_id(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id)) {
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}
