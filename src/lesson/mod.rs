//! Lessons are content: loaded from `lessons/<NN-slug>/`, with steps whose goals are checked
//! against the simulated cluster.
