//! Time controls: play/pause, step to the next scheduled event, speed (1×, 5×, 30×), the simulated
//! clock, and reset to the start. While playing, simulated time advances with real time.

use super::prefs::t;
use super::workbench::WbCtx;
use crate::model::clock::{human_duration, rfc3339, EPOCH_SECS};
use leptos::prelude::*;
use std::time::Duration;

/// Real milliseconds between ticks while playing.
const TICK_MS: u64 = 250;
const SPEEDS: [u64; 3] = [1, 5, 30];

#[component]
pub fn TimeBar() -> impl IntoView {
    let ctx = expect_context::<WbCtx>();
    let playing = RwSignal::new(true);
    let speed = RwSignal::new(1u64);
    let now = RwSignal::new(ctx.wb.with_untracked(|w| w.now_ms()));
    let tick = move |ms: u64| {
        if !ctx.booted_untracked() {
            return;
        }
        let mut changed = false;
        ctx.wb.update_untracked(|w| {
            changed = w.tick(ms);
            now.set(w.now_ms());
        });
        if changed {
            ctx.wb.notify();
        }
    };
    if let Ok(h) = set_interval_with_handle(
        move || {
            if playing.try_get_untracked() == Some(true) {
                tick(TICK_MS * speed.get_untracked());
            }
        },
        Duration::from_millis(TICK_MS),
    ) {
        on_cleanup(move || h.clear());
    }
    // Applies and commands change the cluster too: keep the clock display in step.
    Effect::new(move |_| now.set(ctx.wb.with(|w| w.now_ms())));

    let step = move |_| {
        let (cur, next) = ctx.wb.with_untracked(|w| (w.now_ms(), w.next_wakeup()));
        // To the next thing that is scheduled (a container starting, a cronjob firing), at most 10m.
        let ms = next.filter(|n| *n > cur).map_or(1000, |n| (n - cur).min(600_000));
        tick(ms);
    };
    let clock = move || rfc3339(EPOCH_SECS + (now.get() / 1000) as i64);
    let elapsed = move || format!("+{}", human_duration((now.get() / 1000) as i64));

    view! {
        <div class="timebar" role="group" aria-label=move || t("time.label")>
            <button type="button" class="play" aria-pressed=move || playing.get().to_string() on:click=move |_| playing.update(|p| *p = !*p)>
                {move || if playing.get() { t("time.pause") } else { t("time.play") }}
            </button>
            <button type="button" on:click=step>{move || t("time.step")}</button>
            <label class="speed">
                <span>{move || t("time.speed")}</span>
                <select on:change=move |ev| {
                    let v = event_target_value(&ev).trim_end_matches('×').parse::<u64>().unwrap_or(1);
                    speed.set(v.clamp(1, 30));
                }>
                    {SPEEDS.iter().map(|s| view! { <option value=s.to_string() selected=*s == 1>{format!("{s}×")}</option> }).collect_view()}
                </select>
            </label>
            <span class="clock" aria-label=move || t("time.clock")>
                <time>{clock}</time>" "<span class="elapsed">{elapsed}</span>
            </span>
            <button type="button" class="reset" on:click=move |_| ctx.reset()>{move || t("time.reset")}</button>
        </div>
    }
}
