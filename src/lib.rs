//! kubelab: learn Kubernetes by doing, against a simulated cluster that runs in the page.

pub mod bench;
pub mod diagram;
pub mod i18n;
pub mod kubectl;
pub mod lesson;
pub mod manifest;
pub mod model;
pub mod script;
pub mod share;
pub mod sort;
pub mod value;
pub mod workbench;

#[cfg(feature = "web")]
pub mod ui;
