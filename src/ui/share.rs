//! Share by URL in the page: the Share button (a `#v1:` link to the clipboard, or a .yaml download
//! when the link would be too long), and opening such a link without overwriting the learner's
//! saved work until they choose to keep it. Link content is untrusted: text nodes only.

use super::prefs::{t, Prefs};
use super::workbench::WbCtx;
use crate::i18n::{fill, Lang};
use crate::lesson::Lesson;
use crate::share::{self, Placement, ShareError, SharedState, MAX_LINK, MAX_STATE_BYTES};
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// What the address's fragment held when the page opened: nothing, a state, or why it failed.
pub type Opened = Option<Result<SharedState, ShareError>>;

/// `#v1:…` (or a future `#v2:…`) is meant as a share link; `#main` and other anchors are not.
fn looks_like_link(hash: &str) -> bool {
    let h = hash.strip_prefix('#').unwrap_or(hash);
    let mut c = h.chars();
    c.next() == Some('v') && c.next().is_some_and(|d| d.is_ascii_digit()) && h.contains(':')
}

/// Reads a share link from the address; sets the language it names (for this visit only, not
/// remembered). The caller loads `opens_here`'s text into the editor without saving it.
pub fn from_location() -> Opened {
    let hash = web_sys::window()?.location().hash().ok()?;
    if !looks_like_link(&hash) {
        return None;
    }
    let r = share::decode(&hash);
    if let Some(l) = r.as_ref().ok().and_then(|s| s.lang.as_deref()).and_then(Lang::parse) {
        if let Some(p) = use_context::<Prefs>() {
            p.lang.set(l);
        }
    }
    Some(r)
}

/// Where a good link belongs, compared with this page (the lesson, or None for the playground).
fn placement_of(state: &SharedState, lesson: Option<&Lesson>) -> Placement {
    share::placement(state.lesson.as_deref(), lesson.map(|l| l.id.as_str()), |s| crate::lesson::find(s).is_some())
}

/// The state of a good link made for this page (loaded at once); None for no link, a broken
/// one, or one made on another page.
pub fn opens_here(opened: &Opened, lesson: Option<&Lesson>) -> Option<SharedState> {
    let state = opened.as_ref()?.as_ref().ok()?;
    (placement_of(state, lesson) == Placement::Here).then(|| state.clone())
}

/// The address of the page a link belongs on, with the link's fragment.
fn page_url(p: &Placement) -> String {
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    let path = match p {
        Placement::Lesson(slug) => format!("lessons/{slug}"),
        _ => "playground".to_string(),
    };
    format!("{}{path}{hash}", super::storage::base_path())
}

/// Removes the fragment from the address (after keep / back / dismiss), so a reload shows the
/// learner's own work again.
fn drop_fragment() {
    let Some(w) = web_sys::window() else { return };
    let loc = w.location();
    let url = format!("{}{}", loc.pathname().unwrap_or_default(), loc.search().unwrap_or_default());
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// A share link pasted into the address bar of an open page changes only the fragment (no page
/// load): reload so it opens like any other link. Installed once per page.
fn reload_on_link_hashchange() {
    thread_local!(static INSTALLED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if INSTALLED.with(|i| i.replace(true)) {
        return;
    }
    let Some(w) = web_sys::window() else { return };
    let cb = Closure::<dyn Fn()>::new(|| {
        if let Some(loc) = web_sys::window().map(|w| w.location()) {
            if loc.hash().is_ok_and(|h| looks_like_link(&h)) {
                let _ = loc.reload();
            }
        }
    });
    let _ = w.add_event_listener_with_callback("hashchange", cb.as_ref().unchecked_ref());
    // Lives as long as the page.
    cb.forget();
}

/// The translated message for each way a link can fail.
fn error_text(e: &ShareError) -> String {
    let max_frag = share::MAX_FRAGMENT.to_string();
    let max_state = MAX_STATE_BYTES.to_string();
    let msg = match e {
        ShareError::UnknownVersion => t("share.err.version").to_string(),
        ShareError::TooLong => fill(t("share.err.too_long"), &[("max", &max_frag)]),
        ShareError::BadEncoding => t("share.err.encoding").to_string(),
        ShareError::BadCompression => t("share.err.compression").to_string(),
        ShareError::TooLarge => fill(t("share.err.too_large"), &[("max", &max_state)]),
        ShareError::BadContent => t("share.err.content").to_string(),
        ShareError::BadField(f) => {
            let field = match *f {
                "lesson" => t("share.field.lesson"),
                "step" => t("share.field.step"),
                "language" => t("share.field.language"),
                "view" => t("share.field.view"),
                _ => t("share.field.history"),
            };
            fill(t("share.err.field"), &[("field", field)])
        }
    };
    format!("{msg} {}", t("share.err.unchanged"))
}

/// Writes `text` to the clipboard; `done(true)` once it is there, `done(false)` if the browser has
/// no clipboard or refuses.
fn copy(text: &str, done: impl Fn(bool) + Clone + 'static) {
    let Some(w) = web_sys::window() else { return done(false) };
    let nav = w.navigator();
    let has = js_sys::Reflect::get(&nav, &"clipboard".into()).is_ok_and(|v| !v.is_undefined() && !v.is_null());
    if !has {
        return done(false);
    }
    let d2 = done.clone();
    let ok = Closure::<dyn FnMut(JsValue)>::new(move |_| done(true));
    let err = Closure::<dyn FnMut(JsValue)>::new(move |_| d2(false));
    let _ = nav.clipboard().write_text(text).then2(&ok, &err);
    // One small pair per click, called once by the promise: leaking them is their lifetime.
    ok.forget();
    err.forget();
}

/// An object URL for the manifest as a .yaml file.
fn download_url(text: &str) -> Option<String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/yaml");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// Ids the codec accepts (`slug_like` in `crate::share`).
fn slug_like(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[derive(Clone, PartialEq)]
enum Panel {
    Closed,
    /// The link; `copied` is unknown until the clipboard answers.
    Link { url: String, copied: Option<bool> },
    /// Too long for a link: the manifest as a download instead.
    TooLong { len: usize, href: String, file: String },
}

#[derive(Clone, PartialEq)]
enum Notice {
    None,
    Opened,
    Failed(ShareError),
    /// A good link made on another page: not loaded; go there, or open it here anyway.
    Elsewhere(Placement, SharedState),
}

/// The Share button, its link / download panel, and the "opened from a link" or error notice.
/// `mine` is the learner's own text (saved or start), for "back to my work".
#[component]
pub fn ShareBar(opened: Opened, mine: String, lesson: Option<&'static Lesson>) -> impl IntoView {
    reload_on_link_hashchange();
    let ctx = expect_context::<WbCtx>();
    let prefs = use_context::<Prefs>();
    let panel = RwSignal::new(Panel::Closed);
    let notice = RwSignal::new(match opened {
        Some(Ok(s)) => match placement_of(&s, lesson) {
            Placement::Here => Notice::Opened,
            p => Notice::Elsewhere(p, s),
        },
        Some(Err(e)) => Notice::Failed(e),
        None => Notice::None,
    });
    let mine = StoredValue::new(mine);
    let object_url = StoredValue::new(None::<String>);
    on_cleanup(move || {
        if let Some(u) = object_url.try_get_value().flatten() {
            let _ = web_sys::Url::revoke_object_url(&u);
        }
    });

    let on_share = move |_| {
        // Making a link (JSON, deflate, base64) ships with the simulator's module (`Panes`);
        // the button waits for it.
        let Some(make_link) = ctx.panes.get_untracked().map(|p| p.link) else { return };
        let step = lesson.and_then(|l| {
            let i = super::lesson::load_progress().lesson(&l.id).current(l)?;
            l.steps.get(i).map(|s| s.id.clone()).filter(|s| slug_like(s))
        });
        let state = SharedState {
            text: ctx.text.get_untracked(),
            lesson: lesson.map(|l| l.id.clone()).filter(|s| slug_like(s)),
            step,
            lang: Some(prefs.map(|p| p.lang.get_untracked()).unwrap_or_default().code().to_string()),
            view: Some(ctx.view.get_untracked().id().to_string()),
            history: ctx.commands.with_value(|c| share::history_for_link(c)),
        };
        let here = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
        let url = make_link(&here, &state);
        let len = url.chars().count();
        if let Some(u) = object_url.get_value() {
            let _ = web_sys::Url::revoke_object_url(&u);
            object_url.set_value(None);
        }
        if len > MAX_LINK {
            let href = download_url(&state.text).unwrap_or_default();
            object_url.set_value(Some(href.clone()));
            let file = format!("{}.yaml", state.lesson.as_deref().unwrap_or("kubelab-manifest"));
            panel.set(Panel::TooLong { len, href, file });
        } else {
            panel.set(Panel::Link { url: url.clone(), copied: None });
            let to_copy = url.clone();
            copy(&to_copy, move |ok| {
                let _ = panel.try_update(|p| {
                    if let Panel::Link { copied, url: u } = p {
                        if *u == url {
                            *copied = Some(ok);
                        }
                    }
                });
            });
        }
    };
    let keep = move |_| {
        ctx.hold.set(false);
        ctx.save(&ctx.text.get_untracked());
        notice.set(Notice::None);
        drop_fragment();
    };
    let back = move |_| {
        ctx.hold.set(false);
        ctx.replace_text(mine.get_value());
        notice.set(Notice::None);
        drop_fragment();
    };
    let dismiss = move |_| {
        notice.set(Notice::None);
        drop_fragment();
    };
    let close = move |_| panel.set(Panel::Closed);
    let open_here = move |state: SharedState| {
        ctx.hold.set(true);
        ctx.replace_text(state.text);
        if let Some(v) = state.view.as_deref().and_then(crate::diagram::View::from_id) {
            ctx.view.set(v);
        }
        ctx.replay.set(state.history);
        notice.set(Notice::Opened);
    };

    let notice_view = move || match notice.get() {
        Notice::None => ().into_any(),
        Notice::Opened => view! {
            <div class="notice warn share-opened" role="status">
                <span>{move || t("share.opened")}</span>" "
                <button type="button" class="share-keep" on:click=keep>{move || t("share.keep")}</button>" "
                <button type="button" class="share-back" on:click=back>{move || t("share.back")}</button>
            </div>
        }
        .into_any(),
        Notice::Elsewhere(place, state) => {
            let url = page_url(&place);
            let (what, go) = match &place {
                Placement::Lesson(slug) => {
                    let title = crate::lesson::find(slug).map(|l| format!("{:02}. {}", l.number, l.title.get(super::lesson::lesson_lang(super::prefs::lang()))));
                    (fill(t("share.elsewhere.lesson"), &[("lesson", &title.unwrap_or_else(|| slug.clone()))]), t("share.go_lesson"))
                }
                _ => (t("share.elsewhere.playground").to_string(), t("share.go_playground")),
            };
            view! {
                <div class="notice warn share-elsewhere" role="alert">
                    <span>{what}</span>" "
                    <button type="button" class="share-go" on:click=move |_| {
                        if let Some(w) = web_sys::window() {
                            let _ = w.location().assign(&url);
                        }
                    }>{go}</button>" "
                    <button type="button" class="share-here" on:click=move |_| open_here(state.clone())>{t("share.open_here")}</button>
                </div>
            }
            .into_any()
        }
        Notice::Failed(e) => view! {
            <div class="notice error share-error" role="alert">
                <span>{move || error_text(&e)}</span>" "
                <button type="button" on:click=dismiss>{move || t("persist.dismiss")}</button>
            </div>
        }
        .into_any(),
    };
    let panel_view = move || match panel.get() {
        Panel::Closed => ().into_any(),
        Panel::Link { url, copied } => {
            let n = url.chars().count().to_string();
            let key = if copied == Some(true) { "share.copied" } else { "share.copy_by_hand" };
            view! {
                <div class="notice share-panel" role="status" data-copied=copied.map(|c| c.to_string())>
                    <label>
                        <span class="share-status">{move || fill(t(key), &[("n", &n)])}</span>" "
                        <input type="text" class="share-link" readonly size="40" prop:value=url
                            on:focus=move |ev| {
                                if let Some(i) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                    i.select();
                                }
                            } />
                    </label>" "
                    <button type="button" on:click=close>{move || t("share.close")}</button>
                </div>
            }
            .into_any()
        }
        Panel::TooLong { len, href, file } => {
            let (n, max) = (len.to_string(), MAX_LINK.to_string());
            view! {
                <div class="notice warn share-panel share-too-long" role="status">
                    <span>{move || fill(t("share.too_long"), &[("n", &n), ("max", &max)])}</span>" "
                    <a class="share-download" href=href download=file>{move || t("share.download")}</a>" "
                    <button type="button" on:click=close>{move || t("share.close")}</button>
                </div>
            }
            .into_any()
        }
    };

    view! {
        <div class="sharebar">
            {notice_view}
            <div class="share-row" style="display:flex;justify-content:flex-end;margin-bottom:0.5rem">
                <button type="button" class="share" disabled=move || !ctx.booted() on:click=on_share>{move || t("share.button")}</button>
            </div>
            {panel_view}
        </div>
    }
}
