//! Snapshots: the data a city command center exports, as loaded, validated and indexed.
//! Plain Rust with no Bevy types.

pub mod cache;
pub mod governance;
pub mod governance_index;
pub mod index;
pub mod lifecycle;
pub mod load;
pub mod model;
pub mod read;
pub mod time;
pub mod validate;

pub use cache::{Cache, CacheUse};
pub use governance::*;
pub use index::Index;
pub use load::{DEFAULT_SIZE_LIMIT, LoadError, Loaded, load_bytes, load_file, parse_str, to_ron};
pub use model::*;
pub use read::{ReadError, read_bytes};
pub use time::Time;
pub use validate::{Issue, Report, Severity, validate};
