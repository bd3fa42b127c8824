//! Cluster state → graph → layout, pure and deterministic, for the live diagrams.
