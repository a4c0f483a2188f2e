//! Snapshot files a curator can pick without a desktop: the watch folder, removable media
//! and the data directory.

use std::path::{Path, PathBuf};

/// Snapshot files a curator can pick: the watch folder, removable media and the data
/// directory; newest first.
pub fn candidate_files(watch: Option<&Path>, data_dir: Option<&Path>) -> Vec<PathBuf> {
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
    for d in dirs {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().and_then(|x| x.to_str()) == Some("ron")
                && p.file_name().and_then(|n| n.to_str()) != Some("citygrid.ron")
                && let Ok(m) = e.metadata()
                && m.is_file()
            {
                files.push((m.modified().unwrap_or(std::time::UNIX_EPOCH), p));
            }
        }
    }
    files.sort_by_key(|f| std::cmp::Reverse(f.0));
    files.dedup_by(|a, b| a.1 == b.1);
    files.into_iter().map(|f| f.1).take(12).collect()
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
