//! Every input the fuzz targets in `fuzz/` ever crashed on, kept in `fuzz/regressions/`, run
//! again through the same entry points: each must now return without a panic. The seeds
//! the fuzzers start from must still be valid inputs (else the fuzzers would only ever
//! explore error paths).

use std::path::{Path, PathBuf};

use citygrid::fuzzing::{IMPORT_FILES, IMPORT_SEPARATOR, import_input, snapshot_input};

fn files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    out.sort();
    out
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Runs every input in `dir` through `target` (a panic names the input it came from).
fn replay(dir: &str, target: fn(&[u8])) {
    for p in files(dir) {
        eprintln!("{}", p.display());
        target(&read(&p));
    }
}

#[test]
fn snapshot_regressions_return() {
    replay("fuzz/regressions/snapshot", snapshot_input);
}

#[test]
fn import_regressions_return() {
    replay("fuzz/regressions/import", import_input);
}

#[test]
fn snapshot_seeds_are_valid() {
    let seeds = files("fuzz/seeds/snapshot");
    assert!(!seeds.is_empty());
    for p in seeds {
        let bytes = read(&p);
        let loaded = citygrid::snapshot::load::load_bytes("seed", &bytes, 1 << 24);
        assert!(loaded.is_ok(), "{}: {:?}", p.display(), loaded.err());
        snapshot_input(&bytes);
    }
}

#[test]
fn import_seeds_are_valid() {
    let seeds = files("fuzz/seeds/import");
    assert!(!seeds.is_empty());
    for p in seeds {
        let bytes = read(&p);
        let parts: Vec<&[u8]> = bytes[1..].split(|b| *b == IMPORT_SEPARATOR).collect();
        assert_eq!(parts.len(), IMPORT_FILES.len(), "{}", p.display());
        let named: Vec<(&str, &[u8])> = IMPORT_FILES.iter().copied().zip(parts).collect();
        let imported = citygrid::import::import_bytes(&named, None);
        assert!(imported.is_ok(), "{}: {:?}", p.display(), imported.err());
        import_input(&bytes);
    }
}
