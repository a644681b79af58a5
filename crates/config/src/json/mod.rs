//! Lossless JSON: a validating span scanner, the file's formatting style, and minimal patches.
//!
//! This is the only place that knows how JSON text is laid out; everything above it works with
//! `serde_json::Value`s for small pieces (one server entry) and [`patch::ObjectPatch`]es for
//! changes.

pub mod patch;
pub mod scan;
pub(crate) mod style;
