//! The simulator as the page holds it: a `Box<dyn Simulator>`. The page calls the model only
//! through this trait, whose one implementation (`Workbench`) is boxed inside the page's single
//! split point (`ui::workbench::start_simulator`). So nothing in the page's own code reaches the
//! model, kubectl or the manifest checks except through the vtable made there, and wasm-split-cli
//! (`scripts/split.sh`) moves all of that into a second wasm module, which the page fetches as it
//! mounts.
//!
//! Until it has loaded, the page holds `Booting`, which has no cluster and changes nothing.

use super::table::{rows, Row};
use super::Workbench;
use crate::diagram::{GhostSpec, Graph, Options, View};
use crate::kubectl::CmdOutput;
use crate::lesson::{Lesson, LessonProgress, Outcome, Step};
use crate::manifest::Diagnostic;
use crate::model::Key;

/// What the page asks of the simulated cluster and its editor (see `Workbench` for each).
pub trait Simulator: Send + Sync {
    /// The editor's text changed (`Workbench::set_text`).
    fn set_text(&mut self, text: &str);
    /// Back to the start; returns the start text.
    fn reset(&mut self) -> String;
    /// One terminal line.
    fn run(&mut self, line: &str) -> CmdOutput;
    /// Tab-completion candidates for a terminal line.
    fn complete(&self, line: &str) -> Vec<String>;
    /// Moves simulated time forward; true if the cluster changed.
    fn tick(&mut self, ms: u64) -> bool;
    /// Simulated time, in milliseconds since the cluster's epoch.
    fn now_ms(&self) -> u64;
    /// When something is next scheduled to happen, if anything is.
    fn next_wakeup(&self) -> Option<u64>;
    /// Problems in the current text.
    fn diagnostics(&self) -> &[Diagnostic];
    /// True while the text has errors and the cluster shows the last good manifest.
    fn stale(&self) -> bool;
    /// The manifest lines (first, last) an object came from.
    fn lines_of(&self, key: &Key) -> Option<(u32, u32)>;
    /// The objects table below the diagram.
    fn rows(&self) -> Vec<Row>;
    /// The diagram's graph for a view, with the current step's ghosts drawn in.
    fn graph(&self, view: View, options: &Options, ghosts: &[GhostSpec]) -> Graph;
    /// Ticks the lesson's steps the cluster now satisfies; returns the ids ticked.
    fn update_progress(&self, progress: &mut LessonProgress, lesson: &Lesson) -> Vec<String>;
    /// Checks one step's goal against the cluster.
    fn check(&self, step: &Step) -> Outcome;
}

impl Simulator for Workbench {
    fn set_text(&mut self, text: &str) {
        Workbench::set_text(self, text);
    }
    fn reset(&mut self) -> String {
        Workbench::reset(self)
    }
    fn run(&mut self, line: &str) -> CmdOutput {
        Workbench::run(self, line)
    }
    fn complete(&self, line: &str) -> Vec<String> {
        Workbench::complete(self, line)
    }
    fn tick(&mut self, ms: u64) -> bool {
        let before = self.revision;
        Workbench::tick(self, ms);
        self.revision != before
    }
    fn now_ms(&self) -> u64 {
        self.cluster.now_ms()
    }
    fn next_wakeup(&self) -> Option<u64> {
        self.cluster.next_wakeup()
    }
    fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
    fn stale(&self) -> bool {
        self.stale
    }
    fn lines_of(&self, key: &Key) -> Option<(u32, u32)> {
        Workbench::lines_of(self, key)
    }
    fn rows(&self) -> Vec<Row> {
        rows(&self.cluster)
    }
    fn graph(&self, view: View, options: &Options, ghosts: &[GhostSpec]) -> Graph {
        let mut g = crate::diagram::graph(&self.cluster.store, view, options);
        crate::diagram::add_ghosts(&mut g, view, &self.cluster.store, ghosts);
        g
    }
    fn update_progress(&self, progress: &mut LessonProgress, lesson: &Lesson) -> Vec<String> {
        progress.update(lesson, &self.cluster)
    }
    fn check(&self, step: &Step) -> Outcome {
        step.check(&self.cluster)
    }
}

/// The page's stand-in while the simulator loads: no objects, no time, nothing to change.
#[derive(Clone, Copy, Debug, Default)]
pub struct Booting;

impl Simulator for Booting {
    fn set_text(&mut self, _: &str) {}
    fn reset(&mut self) -> String {
        String::new()
    }
    fn run(&mut self, _: &str) -> CmdOutput {
        CmdOutput::default()
    }
    fn complete(&self, _: &str) -> Vec<String> {
        Vec::new()
    }
    fn tick(&mut self, _: u64) -> bool {
        false
    }
    fn now_ms(&self) -> u64 {
        0
    }
    fn next_wakeup(&self) -> Option<u64> {
        None
    }
    fn diagnostics(&self) -> &[Diagnostic] {
        &[]
    }
    fn stale(&self) -> bool {
        false
    }
    fn lines_of(&self, _: &Key) -> Option<(u32, u32)> {
        None
    }
    fn rows(&self) -> Vec<Row> {
        Vec::new()
    }
    fn graph(&self, _: View, _: &Options, _: &[GhostSpec]) -> Graph {
        Graph::default()
    }
    fn update_progress(&self, _: &mut LessonProgress, _: &Lesson) -> Vec<String> {
        Vec::new()
    }
    fn check(&self, _: &Step) -> Outcome {
        Outcome { passed: false, detail: Default::default() }
    }
}
