//! The SVG picture: lanes behind, edges, then elements, each keyed by id in a `<For>` so one
//! changed pod updates one SVG group; positions are CSS transforms, so moves animate.

use super::{status_label, t, DiagramCtx};
use crate::diagram::layout::{is_lane, Rect};
use crate::diagram::{GNode, NodeKind, Status};
use leptos::prelude::*;

/// Longest name drawn in full in an element box (the full name is in its title and label).
const NAME_CHARS: usize = 20;
/// A control-plane chip's name is drawn in the proportional font, which fits more.
const CHIP_CHARS: usize = 26;
/// The picture shrinks to fit its panel down to this scale, then scrolls, so its text stays readable.
pub(crate) const MIN_SCALE: f64 = 0.8;

fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// The status shape drawn beside the colour, so the state never depends on colour alone.
pub(crate) fn icon(s: Status) -> AnyView {
    match s {
        Status::Running => view! { <circle class="ico" r="5" /> }.into_any(),
        Status::Pending => view! { <g class="ico hollow"><circle r="5" /><path d="M0 -3V0L2 2" /></g> }.into_any(),
        Status::Failed => view! { <path class="ico line" d="M-4 -4L4 4M4 -4L-4 4" /> }.into_any(),
        Status::Completed => view! { <path class="ico line" d="M-4 0L-1 3L4 -3" /> }.into_any(),
        Status::Terminating => view! { <g class="ico hollow"><circle r="5" /><path d="M-3 0H3" /></g> }.into_any(),
        Status::Neutral => view! { <rect class="ico" x="-3.5" y="-3.5" width="7" height="7" /> }.into_any(),
        Status::Missing => view! { <text class="ico-q" text-anchor="middle" y="4">"?"</text> }.into_any(),
        Status::Ghost => view! { <g class="ico hollow"><circle r="5" /><path d="M-2.5 0H2.5M0 -2.5V2.5" /></g> }.into_any(),
    }
}

/// The accessible name of an element: kind, name, namespace, state.
pub(crate) fn accessible_name(n: &GNode) -> String {
    let mut s = format!("{} {}", n.kind_label(), n.name);
    if !n.namespace.is_empty() && n.kind != NodeKind::Component {
        s.push_str(&format!(" ({})", n.namespace));
    }
    s.push_str(", ");
    s.push_str(status_label(n.status));
    if !n.state.is_empty() {
        s.push_str(&format!(" ({})", n.state));
    }
    s
}

#[component]
pub fn Canvas() -> impl IntoView {
    let ctx = expect_context::<DiagramCtx>();
    let ids = move |lanes: bool| {
        ctx.scene.with(|s| s.graph.nodes.iter().filter(|n| is_lane(n) == lanes).map(|n| n.id.clone()).collect::<Vec<_>>())
    };
    let edge_ids = move || ctx.scene.with(|s| s.graph.edges.iter().map(|e| e.id.clone()).collect::<Vec<_>>());
    let size = move || ctx.layout.with(|l| (l.width.max(120), l.height.max(60)));
    let box_ref = NodeRef::<leptos::html::Div>::new();
    watch_width(box_ref, ctx.width);
    view! {
        <div class="diagram-canvas" node_ref=box_ref>
            <Show when=move || ctx.scene.with(|s| s.graph.nodes.is_empty())>
                <p class="diagram-empty">{move || t("diagram.empty")}</p>
            </Show>
            <svg class="diagram-svg" xmlns="http://www.w3.org/2000/svg" role="group"
                aria-label=move || t("diagram.label")
                viewBox=move || { let (w, h) = size(); format!("0 0 {w} {h}") }
                style=move || { let w = size().0; format!("max-width:{w}px;min-width:{}px", (w as f64 * MIN_SCALE) as i32) }
                on:click=move |_| ctx.select(None)>
                <defs>
                    <marker id="diagram-arrow" class="diagram-arrow" viewBox="0 0 8 8" refX="8" refY="4"
                        markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0 0L8 4L0 8z" />
                    </marker>
                </defs>
                <g class="lanes">
                    <For each=move || ids(true) key=|id| id.clone() let(id)><Lane id=id /></For>
                </g>
                <g class="edges">
                    <For each=edge_ids key=|id| id.clone() let(id)><Edge id=id /></For>
                </g>
                <g class="elements">
                    <For each=move || ids(false) key=|id| id.clone() let(id)><Element id=id /></For>
                </g>
            </svg>
        </div>
    }
}

/// The name as drawn in a box (chips fit more; rules a little more).
fn drawn_name(n: &GNode) -> String {
    match n.kind {
        NodeKind::Component => short(&n.name, CHIP_CHARS),
        NodeKind::Rule => short(&n.name, NAME_CHARS + 3),
        _ => short(&n.name, NAME_CHARS),
    }
}

fn translate(r: Option<Rect>) -> String {
    let r = r.unwrap_or(NOWHERE);
    format!("transform:translate({}px,{}px)", r.x, r.y)
}

const NOWHERE: Rect = Rect { x: 0, y: 0, w: 0, h: 0 };

// Each part below rebuilds its group only when what the group *is* changes (a chip or a box, a
// node lane or not, a label or none). A change of state, place or selection updates the one
// attribute or text that shows it: with `erase_components` a rebuilt element drops and sets
// every attribute and listener again, which was most of a keystroke's DOM work.

#[component]
fn Element(id: String) -> impl IntoView {
    let ctx = expect_context::<DiagramCtx>();
    let (i1, i2, i3) = (id.clone(), id.clone(), id.clone());
    let node = Memo::new(move |_| ctx.scene.with(|s| s.node(&i1).cloned()));
    let rect = Memo::new(move |_| ctx.layout.with(|l| l.rects.get(&i2).copied()));
    let selected = Memo::new(move |_| ctx.selected.with(|s| s.as_deref() == Some(i3.as_str())));
    let chip = Memo::new(move |_| node.with(|n| n.as_ref().map(|n| n.kind == NodeKind::Component)));
    let placed = Memo::new(move |_| rect.with(Option::is_some));
    let status = Memo::new(move |_| node.with(|n| n.as_ref().map_or(Status::Neutral, |n| n.status)));
    let read = move |f: fn(&GNode) -> String| node.with(|n| n.as_ref().map(f).unwrap_or_default());
    let r = move || rect.get().unwrap_or(NOWHERE);
    let pick = {
        let id = id.clone();
        move || ctx.select(if selected.get_untracked() { None } else { Some(id.clone()) })
    };
    let pick2 = pick.clone();
    move || {
        let chip = chip.get()?;
        if !placed.get() {
            return None;
        }
        let (pick, pick2) = (pick.clone(), pick2.clone());
        let hover_id = id.clone();
        let class = move || {
            let base = read(|n| format!("el st-{} k-{}", n.status.id(), n.kind_label().to_ascii_lowercase()));
            if selected.get() { base + " sel" } else { base }
        };
        let inner = if chip {
            // A control-plane component: its state is the colour and icon (and its label).
            let name_class = move || read(|n| if n.name.chars().count() > 18 { "name long" } else { "name" }.to_string());
            view! {
                <g transform=move || format!("translate(14,{})", r().h / 2)>{move || icon(status.get())}</g>
                <text class=name_class x="27" y=move || r().h / 2 + 5>{move || read(drawn_name)}</text>
            }
            .into_any()
        } else {
            let state = move || read(|n| if n.status == Status::Ghost { t("diagram.ghost.state").to_string() } else { short(&n.state, 14) });
            view! {
                <g transform="translate(14,16)">{move || icon(status.get())}</g>
                <text class="kind" x="27" y="20">{move || read(|n| n.kind_short().to_string())}</text>
                <text class="state" x=move || r().w - 8 y="20" text-anchor="end">{state}</text>
                <text class="name" x="10" y="38">{move || read(drawn_name)}</text>
            }
            .into_any()
        };
        Some(view! {
            <g class=class style=move || translate(rect.get()) tabindex="0" role="button"
                aria-pressed=move || selected.get().to_string() aria-label=move || read(accessible_name) data-id=id.clone()
                on:click=move |ev| { ev.stop_propagation(); pick() }
                on:mouseenter=move |_| ctx.hovered.set(Some(hover_id.clone()))
                on:mouseleave=move |_| ctx.hovered.set(None)
                on:keydown=move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
                    "Enter" | " " => { ev.prevent_default(); pick2() }
                    "Escape" => ctx.select(None),
                    _ => {}
                }>
                <title>{move || read(accessible_name)}</title>
                <rect class="box" width=move || r().w height=move || r().h rx="6" />
                {inner}
            </g>
        })
    }
}

/// A lane's heading: the control plane's and the pending and goal lanes' are words; a node's is its name.
fn lane_title(n: &GNode) -> String {
    match n.id.as_str() {
        crate::diagram::CONTROL_PLANE_LANE => t("diagram.control_plane").to_string(),
        crate::diagram::PENDING_LANE => t("diagram.pending_lane").to_string(),
        crate::diagram::GOAL_LANE => t("diagram.goal_lane").to_string(),
        _ => n.name.clone(),
    }
}

#[component]
fn Lane(id: String) -> impl IntoView {
    let ctx = expect_context::<DiagramCtx>();
    let (i1, i2, i3) = (id.clone(), id.clone(), id.clone());
    let node = Memo::new(move |_| ctx.scene.with(|s| s.node(&i1).cloned()));
    let rect = Memo::new(move |_| ctx.layout.with(|l| l.rects.get(&i2).copied()));
    let count = Memo::new(move |_| ctx.scene.with(|s| s.graph.nodes.iter().filter(|n| n.lane.as_deref() == Some(i3.as_str())).count()));
    let selected = Memo::new({
        let id = id.clone();
        move |_| ctx.selected.with(|s| s.as_deref() == Some(id.as_str()))
    });
    let is_node = Memo::new(move |_| node.with(|n| n.as_ref().map(|n| matches!(n.kind, NodeKind::Object(_)))));
    let placed = Memo::new(move |_| rect.with(Option::is_some));
    let status = Memo::new(move |_| node.with(|n| n.as_ref().map_or(Status::Neutral, |n| n.status)));
    let read = move |f: fn(&GNode) -> String| node.with(|n| n.as_ref().map(f).unwrap_or_default());
    let r = move || rect.get().unwrap_or(NOWHERE);
    move || {
        let is_node = is_node.get()?;
        if !placed.get() {
            return None;
        }
        let control_plane = id == crate::diagram::CONTROL_PLANE_LANE;
        let sub = move || {
            if control_plane {
                return String::new();
            }
            let pods = crate::i18n::fill(t("diagram.pods"), &[("n", &count.get().to_string())]);
            let state = read(|n| n.state.clone());
            if is_node && !state.is_empty() { format!("{state} · {pods}") } else { pods }
        };
        let label = move || if is_node { read(accessible_name) } else { read(lane_title) };
        let (id1, id2, id3) = (id.clone(), id.clone(), id.clone());
        Some(view! {
            <g class=move || format!("lane st-{}{}", status.get().id(), if selected.get() { " sel" } else { "" })
                style=move || translate(rect.get()) data-id=id1>
                <rect class="lane-box" width=move || r().w height=move || r().h rx="10" />
                <g class="lane-head" tabindex={if is_node { "0" } else { "-1" }} role={if is_node { "button" } else { "presentation" }}
                    aria-label=label
                    on:click=move |ev| { if is_node { ev.stop_propagation(); ctx.select(Some(id2.clone())) } }
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if is_node && (ev.key() == "Enter" || ev.key() == " ") { ev.prevent_default(); ctx.select(Some(id3.clone())) }
                    }>
                    <rect class="lane-head-box" x="3" y="3" width=move || r().w - 6 height={crate::diagram::layout::LANE_HEAD - 6} rx="7" />
                    <g transform="translate(17,16)">{move || icon(status.get())}</g>
                    <text class="lane-title" x="30" y="21">{move || short(&read(lane_title), 24)}</text>
                    <text class="lane-sub" x=move || r().w - 12 y="21" text-anchor="end">{sub}</text>
                </g>
            </g>
        })
    }
}

#[component]
fn Edge(id: String) -> impl IntoView {
    let ctx = expect_context::<DiagramCtx>();
    let (i1, i2) = (id.clone(), id.clone());
    let edge = Memo::new(move |_| ctx.scene.with(|s| s.edge(&i1).cloned()));
    let path = Memo::new(move |_| ctx.layout.with(|l| l.edges.get(&i2).cloned()));
    // Whether it has a label: what the group's shape depends on.
    let labelled = Memo::new(move |_| edge.with(|e| e.as_ref().map(|e| !e.label.is_empty() || e.broken)));
    let placed = Memo::new(move |_| path.with(Option::is_some));
    let read = move |f: fn(&crate::diagram::GEdge) -> String| edge.with(|e| e.as_ref().map(f).unwrap_or_default());
    let at = move |f: fn(&crate::diagram::layout::EdgePath) -> i32| path.with(|p| p.as_ref().map_or(0, f));
    move || {
        let labelled = labelled.get()?;
        if !placed.get() {
            return None;
        }
        let class = move || {
            let (broken, lit) = edge.with(|e| {
                e.as_ref().map_or((false, false), |e| (e.broken, ctx.selected.with(|s| s.as_deref().is_some_and(|s| s == e.from || s == e.to))))
            });
            format!("edge{}{}", if broken { " broken" } else { "" }, if lit { " lit" } else { "" })
        };
        let broken = move || edge.with(|e| e.as_ref().is_some_and(|e| e.broken));
        Some(view! {
            <g class=class data-id=id.clone()>
                <title>{move || read(|e| e.reason.clone())}</title>
                <path d=move || path.with(|p| p.as_ref().map(|p| p.d.clone()).unwrap_or_default()) marker-end="url(#diagram-arrow)" />
                {labelled.then(|| view! {
                    <text class="edge-label" x=move || at(|p| p.label_x) y=move || at(|p| p.label_y)>
                        {move || read(|e| e.label.clone())}
                        {move || broken().then(|| view! {
                            <tspan class="broken-label">{move || if read(|e| e.label.clone()).is_empty() { "" } else { " · " }}{t("diagram.broken")}</tspan>
                        })}
                    </text>
                })}
            </g>
        })
    }
}

/// Keeps `width` at the canvas's inner width in CSS pixels (measured on mount and on resize), so
/// the layout wraps to the panel it is drawn in.
fn watch_width(el: NodeRef<leptos::html::Div>, width: RwSignal<i32>) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    Effect::new(move |_| {
        let Some(div) = el.get() else { return };
        let measure = {
            let div = div.clone();
            move || {
                let w = div.client_width();
                if w > 0 && width.try_get_untracked() != Some(w) {
                    let _ = width.try_set(w);
                }
            }
        };
        measure();
        let cb = Closure::<dyn Fn()>::new(measure);
        if let Ok(obs) = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()) {
            obs.observe(&div);
            // Stops observing when the diagram goes away.
            let obs = StoredValue::new_local(obs);
            on_cleanup(move || obs.with_value(|o| o.disconnect()));
        }
        // The observer holds the callback as long as the element lives.
        cb.forget();
    });
}
