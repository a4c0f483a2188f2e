//! The hall beyond one window: show control over Open Sound Control ([`osc`]). Plain Rust;
//! the exhibit's listener (`app::hall`) runs it on a thread of its own.

pub mod osc;
