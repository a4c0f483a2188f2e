//! What a curator can pick without a desktop — snapshot files, export folders and their
//! zips — in the watch folder, on removable media and in the data directory.

use std::path::{Path, PathBuf};

/// What a search for snapshot files found: the files, newest first (12 at most), and
/// each folder searched with how many snapshot files it held — shown to the curator, so
/// an empty list says where it looked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Found {
    pub files: Vec<PathBuf>,
    pub searched: Vec<(PathBuf, usize)>,
}

/// What a curator can pick: snapshot files (`.ron`), GIS export folders (holding
/// `district.geojson` or `district.shp`) and their `.zip`s, in the watch folder, on
/// removable media (`/media`, `/run/media`, `/mnt`, two levels down) and in the data
/// directory; newest first.
pub fn candidate_files(watch: Option<&Path>, data_dir: Option<&Path>) -> Found {
    let mut dirs: Vec<PathBuf> = Vec::new();
    dirs.extend(watch.map(Path::to_path_buf));
    for base in ["/media", "/run/media", "/mnt"] {
        for level1 in read_dirs(Path::new(base)) {
            dirs.push(level1.clone());
            dirs.extend(read_dirs(&level1));
        }
    }
    dirs.extend(data_dir.map(Path::to_path_buf));
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
    let mut searched = Vec::new();
    for d in dirs {
        let Ok(entries) = std::fs::read_dir(&d) else {
            searched.push((d, 0));
            continue;
        };
        let before = files.len();
        for e in entries.flatten() {
            let p = e.path();
            let Ok(m) = e.metadata() else { continue };
            let ext = p
                .extension()
                .and_then(|x| x.to_str())
                .map(str::to_ascii_lowercase);
            let snapshot = m.is_file()
                && ext.as_deref() == Some("ron")
                && p.file_name().and_then(|n| n.to_str()) != Some("citygrid.ron");
            let zip = m.is_file() && ext.as_deref() == Some("zip");
            let export_folder = m.is_dir()
                && (p.join("district.geojson").is_file() || p.join("district.shp").is_file());
            if snapshot || zip || export_folder {
                files.push((m.modified().unwrap_or(std::time::UNIX_EPOCH), p));
            }
        }
        searched.push((d, files.len() - before));
    }
    files.sort_by_key(|f| std::cmp::Reverse(f.0));
    files.dedup_by(|a, b| a.1 == b.1);
    Found {
        files: files.into_iter().map(|f| f.1).take(12).collect(),
        searched,
    }
}

fn read_dirs(p: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(p)
        .map(|it| {
            it.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default()
}
