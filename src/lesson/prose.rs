//! A lesson's prose (`ko.md`, `en.md`) as the build renders it (`render.rs`): an intro, one section
//! per step (a heading ending in `{#step-id}`) and a recap (`{#recap}`), each already HTML. Both
//! languages of a lesson travel together as one JSON file that the page fetches when the lesson
//! opens (`Lesson::prose_file`). Plain serde data: `build.rs` includes this file too.

use serde::{Deserialize, Serialize};

/// One `## Title {#id}` section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: String,
    /// The section's body as HTML (without its heading).
    pub html: String,
}

/// A whole prose file, split.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prose {
    /// Text before the first `{#id}` heading, as HTML.
    pub intro_html: String,
    /// Step sections and the recap, in file order.
    pub sections: Vec<Section>,
}

impl Prose {
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }
    /// Ids of the sections in order (step ids, then `recap`).
    pub fn ids(&self) -> Vec<&str> {
        self.sections.iter().map(|s| s.id.as_str()).collect()
    }
}

/// Both languages of one lesson's prose: the content of its prose file.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonProse {
    pub ko: Prose,
    pub en: Prose,
}
