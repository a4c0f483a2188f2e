//! The panoramic data ring in plain Rust: where widgets go (`layout`), what they show for
//! the region the map has selected (`data`; the case flows and participation in
//! `governance`), the ticker's alerts (`alerts`), how they are drawn (`draw`), and how the
//! hall view sees the ring's wall (`hall`).

pub mod alerts;
pub mod data;
pub mod draw;
mod gaps;
mod governance;
pub mod hall;
pub mod layout;
