//! Korean and English UI strings as keyed data.
