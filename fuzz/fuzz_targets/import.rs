//! A GIS export (five files in one input) → import → index → map layers, preview and ring.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| citygrid::fuzzing::import_input(data));
