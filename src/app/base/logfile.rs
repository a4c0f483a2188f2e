//! The exhibit's log on disk: `citygrid.log` in the data directory, rotated at 5 MB with
//! three old files kept, so twelve-hour days for years never fill the disk. A panic is
//! logged with its place before the process ends (and systemd starts it again).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bevy::log::BoxedLayer;
use bevy::log::tracing_subscriber::{self, Layer};
use bevy::prelude::*;

/// Rotate when the log passes this size.
const MAX_BYTES: u64 = 5 * 1024 * 1024;
/// Old logs kept: citygrid.log.1 … citygrid.log.3.
const KEEP: usize = 3;

/// Where the log goes; inserted before the log plugin is built.
#[derive(Resource, Debug, Clone)]
pub struct LogDir(pub PathBuf);

struct Rotating {
    path: PathBuf,
    file: Option<File>,
    size: u64,
}

impl Rotating {
    fn open(path: &Path) -> Option<File> {
        OpenOptions::new().create(true).append(true).open(path).ok()
    }

    fn rotate(&mut self) {
        self.file = None;
        for k in (1..KEEP).rev() {
            let _ = std::fs::rename(
                self.path.with_extension(format!("log.{k}")),
                self.path.with_extension(format!("log.{}", k + 1)),
            );
        }
        let _ = std::fs::rename(&self.path, self.path.with_extension("log.1"));
        self.file = Self::open(&self.path);
        self.size = 0;
    }
}

/// A `MakeWriter` that appends to the rotating log.
#[derive(Clone)]
struct LogWriter(Arc<Mutex<Rotating>>);

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let Ok(mut r) = self.0.lock() else {
            return Ok(buf.len());
        };
        if r.size + buf.len() as u64 > MAX_BYTES {
            r.rotate();
        }
        if let Some(f) = r.file.as_mut() {
            f.write_all(buf)?;
        }
        r.size += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.0.lock() {
            Ok(mut r) => r.file.as_mut().map_or(Ok(()), File::flush),
            Err(_) => Ok(()),
        }
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogWriter {
    type Writer = LogWriter;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// The log plugin's extra layer: the rotating file, when the app has a [`LogDir`].
pub fn file_layer(app: &mut App) -> Option<BoxedLayer> {
    let dir = app.world().get_resource::<LogDir>()?.0.clone();
    std::fs::create_dir_all(&dir).ok()?;
    let path = dir.join("citygrid.log");
    let file = Rotating::open(&path)?;
    let size = file.metadata().map_or(0, |m| m.len());
    let writer = LogWriter(Arc::new(Mutex::new(Rotating {
        path,
        file: Some(file),
        size,
    })));
    install_panic_log();
    Some(
        tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(writer)
            .boxed(),
    )
}

/// Logs every panic with its place, then lets the default hook report it.
fn install_panic_log() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let place = info.location().map_or_else(
            || "unknown place".to_string(),
            |l| format!("{}:{}:{}", l.file(), l.line(), l.column()),
        );
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".into());
        error!("panic at {place}: {message}");
        if message.contains("Failed to build event loop") {
            error!(
                "{} (DISPLAY={:?}, WAYLAND_DISPLAY={:?})",
                super::window::DISPLAY_HINT,
                std::env::var("DISPLAY").unwrap_or_default(),
                std::env::var("WAYLAND_DISPLAY").unwrap_or_default()
            );
        }
        default(info);
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_rotates_and_keeps_three() {
        let dir = std::env::temp_dir().join(format!("citygrid-log-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("citygrid.log");
        let mut w = LogWriter(Arc::new(Mutex::new(Rotating {
            file: Rotating::open(&path),
            path: path.clone(),
            size: 0,
        })));
        let line = vec![b'x'; 1024 * 1024];
        for _ in 0..30 {
            w.write_all(&line).expect("write");
        }
        assert!(path.metadata().expect("log").len() <= MAX_BYTES);
        for k in 1..=KEEP {
            assert!(path.with_extension(format!("log.{k}")).exists(), "log.{k}");
        }
        assert!(!path.with_extension(format!("log.{}", KEEP + 1)).exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
