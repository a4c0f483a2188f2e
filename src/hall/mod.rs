//! The hall beyond one window: show control over Open Sound Control ([`osc`]) and the
//! docent's web console ([`console`]). Plain Rust; the exhibit (`app::hall`) runs their
//! listeners on threads of their own.

pub mod console;
pub mod osc;
