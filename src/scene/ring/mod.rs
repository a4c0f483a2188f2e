//! The panoramic data ring in plain Rust: where widgets go (`layout`), what they show for
//! the region the map has selected (`data`), and how they are drawn (`draw`).

pub mod data;
pub mod draw;
pub mod layout;
