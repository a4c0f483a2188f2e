//! An export folder zipped on a USB stick: imported like the folder, wherever its files sit
//! in the archive; junk refused with the archive and entry named.

use std::io::Write;
use std::path::{Path, PathBuf};

use citygrid::import::{import_dir, import_zip};

const EXAMPLE: &str = "data/example-import";

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("citygrid-zip-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// Zips the example export under `prefix/` (as a file manager zips a folder), with `extra`
/// entries beside it.
fn zip_example(to: &Path, prefix: &str, extra: &[(&str, &[u8])]) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(to).expect("create"));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for entry in std::fs::read_dir(EXAMPLE).expect("example") {
        let p = entry.expect("entry").path();
        let name = p.file_name().and_then(|n| n.to_str()).expect("name");
        w.start_file(format!("{prefix}{name}"), options)
            .expect("start");
        w.write_all(&std::fs::read(&p).expect("read"))
            .expect("write");
    }
    for (name, bytes) in extra {
        w.start_file(*name, options).expect("start");
        w.write_all(bytes).expect("write");
    }
    w.finish().expect("finish");
}

#[test]
fn a_zipped_export_imports_like_its_folder() {
    let dir = temp("ok");
    let zipped = dir.join("shibei-export.zip");
    zip_example(
        &zipped,
        "export/",
        &[
            ("__MACOSX/export/._district.geojson", b"junk"),
            ("export/.DS_Store", b"junk"),
        ],
    );
    let from_zip = import_zip(&zipped, None).expect("the zip imports");
    let from_dir = import_dir(Path::new(EXAMPLE), None).expect("the folder imports");
    assert_eq!(from_zip.snapshot.regions, from_dir.snapshot.regions);
    assert_eq!(from_zip.snapshot.buildings, from_dir.snapshot.buildings);
    assert_eq!(from_zip.snapshot.cases.len(), from_dir.snapshot.cases.len());

    // Through the command line too.
    let out = dir.join("out.ron");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_citygrid"))
        .arg("import")
        .arg(&zipped)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn junk_archives_are_refused_by_name() {
    let dir = temp("junk");
    // Not a zip at all.
    let fake = dir.join("fake.zip");
    std::fs::write(&fake, b"PK\x03\x04 but not really").expect("write");
    let e = import_zip(&fake, None)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("fake.zip: archive: not a readable zip"), "{e}");
    // Two exports in one archive.
    let two = dir.join("two.zip");
    zip_example(&two, "a/", &[("b/streets.geojson", b"{}")]);
    let e = import_zip(&two, None)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        e.contains("b/streets.geojson") && e.contains("a second file named streets.geojson"),
        "{e}"
    );
    // A file missing from the archive is named with it.
    let partial = dir.join("partial.zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&partial).expect("create"));
    w.start_file("district.geojson", zip::write::SimpleFileOptions::default())
        .expect("start");
    w.write_all(&std::fs::read(Path::new(EXAMPLE).join("district.geojson")).expect("read"))
        .expect("write");
    w.finish().expect("finish");
    let e = import_zip(&partial, None)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        e.contains("partial.zip:streets.geojson: cannot read"),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_mapping_and_its_spreadsheet_travel_in_the_zip() {
    let dir = temp("mapping");
    let zipped = dir.join("with-figures.zip");
    let xlsx = std::fs::read("tests/fixtures/command-center-tables.xlsx").expect("fixture");
    let mapping = r#"(regions: [(table: (file: "stats.xlsx", sheet: "社区人口"), id: "区划代码",
                                   residents: "常住人口（人）")])"#;
    zip_example(
        &zipped,
        "export/",
        &[
            ("export/stats.xlsx", &xlsx),
            ("export/mapping.ron", mapping.as_bytes()),
        ],
    );
    let imported = import_zip(&zipped, None).unwrap_or_else(|e| panic!("{e}"));
    let keji = imported
        .snapshot
        .regions
        .iter()
        .find(|r| r.id == "370203005001")
        .and_then(|r| r.figures)
        .expect("figures");
    assert_eq!(keji.residents, 1441, "`1,441` in the zipped sheet");
    assert!(
        imported
            .notes
            .iter()
            .any(|n| n.contains("with-figures.zip:mapping.ron: mapping read")),
        "{:?}",
        imported.notes
    );
}
