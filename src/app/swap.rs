//! Swapping the snapshot while the exhibit runs: a file is read, validated and indexed on a
//! worker thread (no frame waits for it); a valid one is accepted into the store and takes
//! over at once, an invalid one is refused with its report and the running snapshot stays.
//! The watch folder feeds it: files that have stopped growing are loaded, and applied
//! automatically when the configuration says so. What it is doing shows in the base's
//! `Swapper` status; the map follows the new snapshot by itself.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use bevy::prelude::*;
use bevy::window::RequestRedraw;

use crate::app::base::swap::{Decide, LoadOutcome, LoadSnapshot, PREVIEW_SIZE, Pending, Swapper};
use crate::app::base::{AppSystems, City, DataDir, Focus, HallConfig, SelectedCase, Settings};
use crate::snapshot::index::CityData;
use crate::snapshot::{DEFAULT_SIZE_LIMIT, LoadError, Report, load_bytes, read_bytes};
use crate::store::{Store, Summary};

/// A file for the loader thread, and whether to apply it as soon as it is valid.
struct Job {
    path: PathBuf,
    apply: bool,
}

/// A file the loader thread found valid, indexed, with a preview when a curator will look.
struct Checked {
    path: PathBuf,
    city: Arc<CityData>,
    bytes: Vec<u8>,
    report: Report,
    notes: Vec<String>,
    apply: bool,
    /// RGBA, [`PREVIEW_SIZE`]; empty when the snapshot is applied without a look.
    preview: Vec<u8>,
}

/// A file the loader thread refused, and why.
struct Refused {
    path: PathBuf,
    message: String,
    report: Option<Report>,
}

impl Refused {
    fn of(path: PathBuf, error: LoadError) -> Self {
        let report = match &error {
            LoadError::Invalid { report, .. } => Some(report.clone()),
            _ => None,
        };
        Self {
            path,
            message: error.to_string(),
            report,
        }
    }
}

/// The loader thread's channels: jobs out, results back.
#[derive(Resource)]
struct Loader {
    jobs: Option<Sender<Job>>,
    results: Mutex<Receiver<Result<Checked, Refused>>>,
}

/// The loader thread, the swap's requests and the watch folder (headless as well as
/// windowed).
pub fn plugin(app: &mut App) {
    let (tx, rx) = channel();
    let (jobs, job_rx) = channel::<Job>();
    // One long-lived worker: loads run one after another, and their memory comes back to
    // the same allocator arena instead of one per thread.
    let spawned = std::thread::Builder::new()
        .name("citygrid-snapshot-loader".into())
        .spawn(move || {
            for job in job_rx {
                let result = check(job);
                if tx.send(result).is_err() {
                    break;
                }
            }
        });
    if let Err(e) = &spawned {
        error!("cannot start the snapshot loader: {e}");
    }
    app.init_resource::<Swapper>()
        .insert_resource(Loader {
            jobs: spawned.ok().map(|_| jobs),
            results: Mutex::new(rx),
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

fn start_loads(
    mut requests: MessageReader<LoadSnapshot>,
    loader: Res<Loader>,
    mut swapper: ResMut<Swapper>,
) {
    for r in requests.read() {
        let Some(jobs) = &loader.jobs else {
            warn!("no snapshot loader: {} not loaded", r.path.display());
            continue;
        };
        let job = Job {
            path: r.path.clone(),
            apply: r.apply,
        };
        if jobs.send(job).is_ok() {
            swapper.in_flight += 1;
        }
    }
}

/// What kind of export a path is, when it is one.
enum Export {
    Folder,
    Zip,
}

/// An export folder (it holds `district.geojson` or `district.shp`) or a `.zip`.
fn export_kind(path: &std::path::Path) -> Option<Export> {
    if path.is_dir() {
        let holds = |f: &str| path.join(f).is_file();
        return (holds("district.geojson") || holds("district.shp")).then_some(Export::Folder);
    }
    path.extension()
        .and_then(|e| e.to_str())
        .filter(|e| e.eq_ignore_ascii_case("zip"))
        .map(|_| Export::Zip)
}

/// Reads, validates and indexes a snapshot file, and draws its preview when a curator will
/// look before applying it (runs on the loader thread).
fn check(Job { path, apply }: Job) -> Result<Checked, Refused> {
    let file = path.display().to_string();
    // An export folder or its zip is imported first (what the import noticed goes with
    // it); its snapshot is then checked, stored and applied like any snapshot file.
    let (bytes, notes) = match export_kind(&path) {
        Some(kind) => {
            let imported = match kind {
                Export::Folder => crate::import::import_dir(&path, None),
                Export::Zip => crate::import::import_zip(&path, None),
            };
            let imported = imported.map_err(|e| Refused {
                path: path.clone(),
                message: format!("the export was not imported: {e}"),
                report: match &e {
                    crate::import::ImportError::Invalid(r) => Some(r.clone()),
                    _ => None,
                },
            })?;
            let text = crate::snapshot::to_ron(&imported.snapshot).map_err(|e| Refused {
                path: path.clone(),
                message: format!("the imported snapshot could not be written: {e}"),
                report: None,
            })?;
            (text.into_bytes(), imported.notes)
        }
        None => match read_bytes(&path, DEFAULT_SIZE_LIMIT) {
            Ok(b) => (b, Vec::new()),
            Err(e) => return Err(Refused::of(path, e.into())),
        },
    };
    let loaded = match load_bytes(&file, &bytes, DEFAULT_SIZE_LIMIT) {
        Ok(l) => l,
        Err(error) => return Err(Refused::of(path, error)),
    };
    let city = Arc::new(CityData::new(loaded.snapshot));
    let preview = if apply {
        Vec::new()
    } else {
        crate::scene::preview::render(&city, PREVIEW_SIZE.0, PREVIEW_SIZE.1)
    };
    Ok(Checked {
        path,
        city,
        bytes,
        report: loaded.report,
        notes,
        apply,
        preview,
    })
}

fn finish_loads(
    loader: Res<Loader>,
    mut swapper: ResMut<Swapper>,
    mut on_show: OnShow,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    if swapper.busy() {
        // Look for the loader's result again at the next frame, not at the next wake.
        redraw.write(RequestRedraw);
    }
    let results: Vec<Result<Checked, Refused>> = match loader.results.lock() {
        Ok(rx) => rx.try_iter().collect(),
        Err(_) => return,
    };
    for result in results {
        swapper.in_flight = swapper.in_flight.saturating_sub(1);
        match result {
            Ok(Checked {
                path,
                city,
                bytes,
                report,
                notes,
                apply,
                preview,
            }) => {
                let file = path.display().to_string();
                if !apply {
                    info!("snapshot {file} is valid and waits for approval");
                    swapper.last = Some(LoadOutcome::Ready { file, report });
                    swapper.pending = Some(Pending {
                        path,
                        city,
                        bytes,
                        preview,
                        notes,
                    });
                    continue;
                }
                let file = on_show.apply(&file, city, bytes, &report);
                swapper.last = Some(LoadOutcome::Applied { file, report });
            }
            Err(Refused {
                path,
                message,
                report,
            }) => {
                let file = path.display().to_string();
                warn!("snapshot refused, the running one stays: {message}");
                // The file on the curator's screen is now this one: nothing waits.
                swapper.pending = None;
                swapper.last = Some(LoadOutcome::Refused {
                    file,
                    message,
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
    case: ResMut<'w, SelectedCase>,
    /// The floor picked in a building of the old snapshot.
    floor: Option<ResMut<'w, crate::app::base::SelectedFloor>>,
    settings: ResMut<'w, Settings>,
    data_dir: Option<Res<'w, DataDir>>,
    hall: Option<Res<'w, HallConfig>>,
}

impl OnShow<'_> {
    /// Puts a validated snapshot on show, from the district view, and into the store. The
    /// map and the ring see `City` change and follow. Returns how the curator's screen names
    /// what was applied: the file, or for a kept snapshot the file it came from, marked as a
    /// rollback.
    fn apply(
        &mut self,
        file: &str,
        new_city: Arc<CityData>,
        bytes: Vec<u8>,
        report: &Report,
    ) -> String {
        let mut shown = file.to_string();
        if let Some(dir) = &self.data_dir {
            let keep = self
                .hall
                .as_ref()
                .map_or(crate::store::DEFAULT_KEEP, |h| h.0.history_keep);
            let store = Store::new(&dir.0).with_keep(keep);
            let s = &new_city.snapshot;
            let summary = Summary {
                regions: s.regions.len(),
                buildings: s.buildings.len(),
                grids: s.grids.len(),
                cases: s.cases.len(),
                warnings: report.warnings().count(),
            };
            let stored = if store.is_kept(std::path::Path::new(file)) {
                store.accept_kept(&bytes, file, summary)
            } else {
                store.accept(&bytes, file, summary)
            };
            match stored {
                // On show anyway; the next start falls back to the previous one.
                Err(e) => error!("snapshot {file} is on show but could not be stored: {e}"),
                Ok(entry) => {
                    if entry.rollback_of.is_some() {
                        shown = entry.source.clone();
                    }
                    // The next start reads it from the start cache; written off the frame.
                    let (city, report, file) = (new_city.clone(), report.clone(), file.to_string());
                    std::thread::spawn(move || {
                        if let Err(e) = store.cache().store(&bytes, &city.snapshot, &report) {
                            warn!("start cache not written for {file}: {e}");
                        }
                    });
                }
            }
        }
        info!(
            "snapshot {file} applied: {} regions, {} buildings",
            new_city.snapshot.regions.len(),
            new_city.snapshot.buildings.len(),
        );
        self.city.0 = new_city;
        self.settings.origin = file.to_string();
        *self.focus = Focus::District;
        self.case.0 = None;
        if let Some(floor) = self.floor.as_mut() {
            floor.set_if_neq(crate::app::base::SelectedFloor(None));
        }
        shown
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
                let file = on_show.apply(&file, new_city, bytes, &report);
                swapper.last = Some(LoadOutcome::Applied { file, report });
            }
            Decide::Cancel => {
                info!("snapshot {file} was not applied");
                swapper.last = None;
            }
        }
    }
}

/// A file in the watch folder as last seen.
struct Seen {
    path: PathBuf,
    size: u64,
    modified: Option<SystemTime>,
    /// Whether it was handed to the loader (at this size and time).
    handed_on: bool,
}

/// What the watch folder has seen.
#[derive(Resource, Default)]
struct Watch {
    clock: f64,
    seen: Vec<Seen>,
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
        match watch.seen.iter_mut().find(|s| s.path == path) {
            Some(s) if s.size == size && s.modified == modified => {
                if !s.handed_on {
                    s.handed_on = true;
                    info!("watch folder: {} arrived", path.display());
                    requests.write(LoadSnapshot { path, apply });
                }
            }
            Some(s) => {
                // Still growing, or replaced: look again next time.
                s.size = size;
                s.modified = modified;
                s.handed_on = false;
            }
            None => watch.seen.push(Seen {
                path,
                size,
                modified,
                handed_on: false,
            }),
        }
    }
}
