//! The scheduler's memos within one pass: what a pod asks for (`Asks`), read once per kind of
//! pod, and every node's verdict on a kind of pod (`Class`), re-judged only where a pod was placed.
//! Both rest on the same fact: a Deployment's replicas read alike, and the filters and scores are
//! pure functions of what they read. Debug builds check each memo against a fresh computation.

use super::{nonzero, score, unfit, NodeInfo, PodView, Resolvable};
use crate::model::controllers::resources::{pod_requests, qos_class, Requests};
use crate::model::object::{field_arr, Object};
use crate::value::Value;

/// What a pod asks for: its requests as the filters count them (`req`), as the scores count them
/// (`nz`, with the non-zero defaults) and its QoS class. All three read only the `resources` of
/// its containers and init containers and the init containers' `restartPolicy`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Asks {
    pub req: Requests,
    pub nz: Requests,
    pub qos: &'static str,
}

impl Asks {
    fn read(pod: &Object) -> Asks {
        let req = pod_requests(pod);
        Asks { req, nz: nonzero(req, pod), qos: qos_class(pod) }
    }
}

/// The last pod's `Asks`, reused while the next pod's containers ask alike: parsing every quantity
/// of 1,000 alike replicas (requests, non-zero requests, QoS class) was a fifth of the scheduler.
#[derive(Default)]
pub(super) struct AsksMemo<'a> {
    /// The last pod's containers and init containers, and what they ask for.
    last: Option<(Containers<'a>, Asks)>,
}

type Containers<'a> = (&'a [Value], &'a [Value]);

impl<'a> AsksMemo<'a> {
    pub fn of(&mut self, pod: &'a Object) -> Asks {
        let spec = pod.get("spec");
        let arr = |f: &str| spec.map_or(&[][..], |s| field_arr(s, f));
        let these = (arr("containers"), arr("initContainers"));
        if let Some((last, asks)) = self.last {
            if ask_alike(last, these) {
                debug_assert_eq!(asks, Asks::read(pod), "the scheduler's memo of requests is stale");
                return asks;
            }
        }
        let asks = Asks::read(pod);
        self.last = Some((these, asks));
        asks
    }
}

/// Whether two pods' containers and init containers have equal `resources` (and init containers
/// equal `restartPolicy`), which is all `Asks::read` reads.
fn ask_alike(a: Containers, b: Containers) -> bool {
    let same = |x: &[Value], y: &[Value], policy: bool| {
        x.len() == y.len()
            && x.iter().zip(y).all(|(c, d)| c.get("resources") == d.get("resources") && (!policy || c.get("restartPolicy") == d.get("restartPolicy")))
    };
    same(a.0, b.0, false) && same(a.1, b.1, true)
}

/// The verdict of every node on pods that read the same (a Deployment's replicas do): filter and
/// score are pure functions of the pod's view and requests and of the node, and within a pass a
/// node changes only when a pod is placed on it, so the next pod of the class re-judges that node
/// alone instead of all of them (1,000 replicas on 100 nodes judged 101,000 pairs per settle).
/// Every node is still filtered and scored, as kube-scheduler does at this size.
pub(super) struct Class<'a> {
    view: PodView<'a>,
    req: Requests,
    nz: Requests,
    /// Per node (in `nodes` order): its score, or None when it fails a filter.
    scores: Vec<Option<i64>>,
}

impl<'a> Class<'a> {
    fn verdict(view: &PodView, req: Requests, nz: Requests, n: &NodeInfo) -> Option<i64> {
        unfit(view, req, n).ok().map(|()| score(view, nz, n))
    }
    pub fn judge(view: PodView<'a>, req: Requests, nz: Requests, nodes: &[NodeInfo]) -> Self {
        let scores = nodes.iter().map(|n| Self::verdict(&view, req, nz, n)).collect();
        Class { view, req, nz, scores }
    }
    pub fn is(&self, view: &PodView, req: Requests, nz: Requests) -> bool {
        self.req == req && self.nz == nz && self.view == *view
    }
    /// Node `i` changed (a pod was placed on it).
    pub fn rejudge(&mut self, i: usize, n: &NodeInfo) {
        self.scores[i] = Self::verdict(&self.view, self.req, self.nz, n);
    }
    /// The first node with the highest score (ties go to the earlier node, as before the memo).
    pub fn best(&self) -> Option<usize> {
        let mut best: Option<(i64, usize)> = None;
        for (i, s) in self.scores.iter().enumerate() {
            if let Some(s) = *s {
                if best.is_none_or(|(bs, _)| s > bs) {
                    best = Some((s, i));
                }
            }
        }
        best.map(|(_, i)| i)
    }
    /// Every node's reasons, worded (only when none fits).
    pub fn failures(&self, nodes: &[NodeInfo]) -> Vec<(Vec<String>, Resolvable)> {
        nodes.iter().filter_map(|n| unfit(&self.view, self.req, n).err().map(|u| u.reasons())).collect()
    }
    /// Debug builds: the memo agrees with judging every node afresh.
    #[cfg(debug_assertions)]
    pub fn check(&self, nodes: &[NodeInfo]) {
        let fresh: Vec<Option<i64>> = nodes.iter().map(|n| Self::verdict(&self.view, self.req, self.nz, n)).collect();
        assert_eq!(self.scores, fresh, "the scheduler's memo of node verdicts is stale");
    }
}

