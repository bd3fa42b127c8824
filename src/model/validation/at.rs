//! Field paths written out only for an error: pod validation walks a dozen fields of every
//! container of every pod a controller creates, and nearly all of them are fine.

use std::fmt;

/// `spec`, `spec.containers[0]`, `spec.containers[0].resources`: a prefix and its parents, on
/// the stack; `Display` writes what `format!` of the same segments gave.
#[derive(Clone, Copy)]
pub(crate) enum At<'a> {
    Root(&'a str),
    /// `<parent>.<field>`
    Field(&'a At<'a>, &'a str),
    /// `<parent>.<list>[<i>]`
    Index(&'a At<'a>, &'a str, usize),
}

impl<'a> At<'a> {
    pub fn field(&'a self, name: &'a str) -> At<'a> {
        At::Field(self, name)
    }
    pub fn index(&'a self, list: &'a str, i: usize) -> At<'a> {
        At::Index(self, list, i)
    }
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            At::Root(s) => f.write_str(s),
            At::Field(p, n) => write!(f, "{p}.{n}"),
            At::Index(p, list, i) => write!(f, "{p}.{list}[{i}]"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::At;

    #[test]
    fn written_as_the_formatted_paths() {
        let root = At::Root("spec.template.spec");
        let c = root.index("containers", 2);
        assert_eq!(c.to_string(), "spec.template.spec.containers[2]");
        let p = c.field("livenessProbe");
        assert_eq!(format!("{}.periodSeconds", p.index("ports", 0)), "spec.template.spec.containers[2].livenessProbe.ports[0].periodSeconds");
        assert_eq!(At::Root("spec").field("resources").to_string(), "spec.resources");
    }
}
