//! Swapping the snapshot while the exhibit runs: a file is read, validated and indexed on a
//! worker thread (no frame waits for it); a valid one is accepted into the store and takes
//! over at once, an invalid one is refused with its report and the running snapshot stays.
//! The watch folder feeds it: files that have stopped growing are loaded, and applied
//! automatically when the configuration says so.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use bevy::prelude::*;

use super::AppSystems;
use super::kiosk::HallConfig;
use super::map::logic::{MapView, focus_bounds, map_insets};
use super::state::{City, Focus, Settings};
use crate::scene::view::View;
use crate::snapshot::index::CityData;
use crate::snapshot::{DEFAULT_SIZE_LIMIT, LoadError, Report, load_bytes};
use crate::store::Store;

/// Ask for a snapshot file to be loaded; `apply` swaps it in when it is valid.
#[derive(Message, Debug, Clone, PartialEq)]
pub struct LoadSnapshot {
    pub path: PathBuf,
    pub apply: bool,
}

/// A curator's decision on the snapshot waiting for approval.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decide {
    Apply,
    Cancel,
}

/// A checked snapshot waiting for a curator's approval, with a picture of its map.
#[derive(Debug, Clone)]
pub struct Pending {
    pub path: PathBuf,
    pub city: Arc<CityData>,
    pub bytes: Vec<u8>,
    /// RGBA pixels, [`PREVIEW_SIZE`].
    pub preview: Vec<u8>,
}

/// Size of the preview picture.
pub const PREVIEW_SIZE: (u32, u32) = (480, 300);

/// What became of the last load.
#[derive(Debug, Clone)]
pub enum LoadOutcome {
    /// Valid and on show.
    Applied { file: String, report: Report },
    /// Valid, waiting for a curator's approval.
    Ready { file: String, report: Report },
    /// Refused; the running snapshot stays.
    Refused {
        file: String,
        message: String,
        report: Option<Report>,
    },
}

type Loaded =
    Result<(PathBuf, Arc<CityData>, Vec<u8>, Report, bool, Vec<u8>), (PathBuf, LoadError)>;

/// Loads in flight and their results.
#[derive(Resource, Default)]
pub struct Swapper {
    inbox: Option<Mutex<Receiver<Loaded>>>,
    in_flight: usize,
    /// The latest outcome, for the curator screen and the tests.
    pub last: Option<LoadOutcome>,
    /// A valid snapshot waiting for approval.
    pub pending: Option<Pending>,
    jobs: Option<std::sync::mpsc::Sender<(PathBuf, bool)>>,
}

impl Swapper {
    /// Whether a load is still running.
    pub fn busy(&self) -> bool {
        self.in_flight > 0
    }
}

/// The data directory the store lives in (absent: nothing is written).
#[derive(Resource, Debug, Clone)]
pub struct DataDir(pub PathBuf);

pub(crate) fn plugin(app: &mut App) {
    let (tx, rx) = channel();
    let (jobs, job_rx) = channel::<(PathBuf, bool)>();
    // One long-lived worker: loads run one after another, and their memory comes back to
    // the same allocator arena instead of one per thread.
    let spawned = std::thread::Builder::new()
        .name("citygrid-snapshot-loader".into())
        .spawn(move || {
            for (path, apply) in job_rx {
                let result = load(&path).map(|(city, bytes, report)| {
                    // A curator will look before applying: draw the new map for them.
                    let preview = if apply {
                        Vec::new()
                    } else {
                        crate::scene::preview::render(&city, PREVIEW_SIZE.0, PREVIEW_SIZE.1)
                    };
                    (path.clone(), city, bytes, report, apply, preview)
                });
                if tx.send(result.map_err(|e| (path, e))).is_err() {
                    break;
                }
            }
        });
    if let Err(e) = &spawned {
        error!("cannot start the snapshot loader: {e}");
    }
    app.insert_resource(Swapper {
        inbox: Some(Mutex::new(rx)),
        jobs: spawned.ok().map(|_| jobs),
        ..default()
    })
    .init_resource::<Watch>()
    .add_message::<LoadSnapshot>()
    .add_message::<Decide>()
    .add_systems(
        Update,
        (watch_folder, start_loads, finish_loads, decide)
            .chain()
            .in_set(AppSystems::Input),
    );
}

fn start_loads(mut requests: MessageReader<LoadSnapshot>, mut swapper: ResMut<Swapper>) {
    for r in requests.read() {
        let Some(jobs) = swapper.jobs.clone() else {
            warn!("no snapshot loader: {} not loaded", r.path.display());
            continue;
        };
        if jobs.send((r.path.clone(), r.apply)).is_ok() {
            swapper.in_flight += 1;
        }
    }
}

/// Reads, validates and indexes a snapshot file (runs on a worker thread).
fn load(path: &Path) -> Result<(Arc<CityData>, Vec<u8>, Report), LoadError> {
    let file = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|source| LoadError::Io {
        file: file.clone(),
        source,
    })?;
    if meta.len() > DEFAULT_SIZE_LIMIT {
        return Err(LoadError::TooLarge {
            file,
            size: meta.len(),
            limit: DEFAULT_SIZE_LIMIT,
        });
    }
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        file: file.clone(),
        source,
    })?;
    let loaded = load_bytes(&file, &bytes, DEFAULT_SIZE_LIMIT)?;
    Ok((
        Arc::new(CityData::new(loaded.snapshot)),
        bytes,
        loaded.report,
    ))
}

fn finish_loads(mut swapper: ResMut<Swapper>, mut on_show: OnShow) {
    let results: Vec<Loaded> = match swapper.inbox.as_ref().and_then(|m| m.lock().ok()) {
        Some(rx) => rx.try_iter().collect(),
        None => return,
    };
    for result in results {
        swapper.in_flight = swapper.in_flight.saturating_sub(1);
        match result {
            Ok((path, new_city, bytes, report, apply_now, preview)) => {
                let file = path.display().to_string();
                if !apply_now {
                    info!("snapshot {file} is valid and waits for approval");
                    swapper.last = Some(LoadOutcome::Ready { file, report });
                    swapper.pending = Some(Pending {
                        path,
                        city: new_city,
                        bytes,
                        preview,
                    });
                    continue;
                }
                on_show.apply(&file, new_city, &bytes);
                swapper.last = Some(LoadOutcome::Applied { file, report });
            }
            Err((path, e)) => {
                let file = path.display().to_string();
                warn!("snapshot refused, the running one stays: {e}");
                let report = match &e {
                    LoadError::Invalid { report, .. } => Some(report.clone()),
                    _ => None,
                };
                // The file on the curator's screen is now this one: nothing waits.
                swapper.pending = None;
                swapper.last = Some(LoadOutcome::Refused {
                    file,
                    message: e.to_string(),
                    report,
                });
            }
        }
    }
}

/// What is on show, and everything that must follow when it changes.
#[derive(bevy::ecs::system::SystemParam)]
struct OnShow<'w> {
    city: ResMut<'w, City>,
    focus: ResMut<'w, Focus>,
    map: ResMut<'w, MapView>,
    settings: ResMut<'w, Settings>,
    data_dir: Option<Res<'w, DataDir>>,
}

impl OnShow<'_> {
    /// Puts a validated snapshot on show, from the district view, and into the store.
    fn apply(&mut self, file: &str, new_city: Arc<CityData>, bytes: &[u8]) {
        if let Some(dir) = &self.data_dir
            && let Err(e) = Store::new(&dir.0).accept(bytes)
        {
            // On show anyway; the next start falls back to the previous one.
            error!("snapshot {file} is on show but could not be stored: {e}");
        }
        info!(
            "snapshot {file} applied: {} regions, {} buildings",
            new_city.snapshot.regions.len(),
            new_city.snapshot.buildings.len(),
        );
        self.city.0 = new_city;
        self.settings.origin = file.to_string();
        *self.focus = Focus::District;
        let fit = View::fit(
            &focus_bounds(&self.city.0, Focus::District),
            self.map.view.viewport,
            map_insets(self.map.ui_scale),
        );
        self.map.view = fit;
        self.map.target = fit;
        self.map.transition = None;
    }
}

/// Applies or drops the snapshot waiting for approval.
fn decide(mut decisions: MessageReader<Decide>, mut swapper: ResMut<Swapper>, mut on_show: OnShow) {
    for d in decisions.read() {
        let Some(Pending {
            path,
            city: new_city,
            bytes,
            ..
        }) = swapper.pending.take()
        else {
            continue;
        };
        let file = path.display().to_string();
        match d {
            Decide::Apply => {
                let report = match swapper.last.take() {
                    Some(LoadOutcome::Ready { report, .. }) => report,
                    _ => Report::default(),
                };
                on_show.apply(&file, new_city, &bytes);
                swapper.last = Some(LoadOutcome::Applied { file, report });
            }
            Decide::Cancel => {
                info!("snapshot {file} was not applied");
                swapper.last = None;
            }
        }
    }
}

/// What the watch folder has seen: each file's size and time, and whether it was handed on.
#[derive(Resource, Default)]
struct Watch {
    clock: f64,
    seen: Vec<(PathBuf, u64, Option<SystemTime>, bool)>,
}

/// Seconds between looks at the watch folder.
const WATCH_SECONDS: f64 = 2.0;

/// New `.ron` files in the watch folder, once they have stopped growing (the same size and
/// time at two looks in a row: a copy or sync still under way is not read too early).
fn watch_folder(
    time: Res<Time<Real>>,
    config: Option<Res<HallConfig>>,
    mut watch: ResMut<Watch>,
    mut requests: MessageWriter<LoadSnapshot>,
) {
    let Some(dir) = config.as_ref().and_then(|c| c.0.watch_folder.clone()) else {
        return;
    };
    watch.clock += time.delta_secs_f64();
    if watch.clock < WATCH_SECONDS {
        return;
    }
    watch.clock = 0.0;
    let apply = config.is_some_and(|c| c.0.auto_apply);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("ron") {
            continue;
        }
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        let (size, modified) = (meta.len(), meta.modified().ok());
        match watch.seen.iter_mut().find(|s| s.0 == path) {
            Some(s) if s.1 == size && s.2 == modified => {
                if !s.3 {
                    s.3 = true;
                    info!("watch folder: {} arrived", path.display());
                    requests.write(LoadSnapshot { path, apply });
                }
            }
            Some(s) => {
                // Still growing, or replaced: look again next time.
                s.1 = size;
                s.2 = modified;
                s.3 = false;
            }
            None => watch.seen.push((path, size, modified, false)),
        }
    }
}
