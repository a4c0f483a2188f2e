//! Snapshot bytes → parse → validate → index → map layers, preview and ring.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| citygrid::fuzzing::snapshot_input(data));
