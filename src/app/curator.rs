//! Curator mode: reached by a hidden gesture (a 3-second press in the top-left corner, or
//! Ctrl+Alt+C) and a PIN; lists snapshot files in the watch folder, on removable media and
//! in the data directory (or opens the system's file dialog where there is one), shows a
//! file's validation report against the running snapshot, and applies or cancels it. The
//! running snapshot is never touched until Apply. Only here can a kiosk be quit.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender, channel};

use bevy::input::touch::{TouchInput, TouchPhase};
use bevy::picking::events::{Click, Pointer};
use bevy::prelude::*;

use super::AppSystems;
use super::kiosk::HallConfig;
use super::state::City;
use super::swap::{Decide, LoadOutcome, LoadSnapshot, Swapper};
use super::theme::{self, size};
use super::ui::{button_for, label, panel};
use crate::config::PinHash;
use crate::palette;

/// Seconds a finger must rest in the corner to call the curator.
pub const HOLD_SECONDS: f64 = 3.0;
/// The corner that hides the gesture, logical px from the top-left.
pub const CORNER_PX: f32 = 140.0;
/// Wrong PINs before the gate locks, and for how long.
const MAX_FAILURES: u32 = 3;
const LOCK_SECONDS: f64 = 60.0;

/// Where the curator is.
#[derive(Resource, Debug, Clone, PartialEq, Default)]
pub enum Curator {
    #[default]
    Closed,
    /// Entering the PIN.
    Pin {
        entered: String,
        message: Option<String>,
    },
    Open,
}

impl Curator {
    pub fn is_closed(&self) -> bool {
        *self == Curator::Closed
    }
}

/// Counts wrong PINs and locks the gate after three.
#[derive(Resource, Debug, Clone, Default)]
pub struct PinGate {
    failures: u32,
    locked_until: f64,
}

/// What the gate answered.
#[derive(Debug, Clone, PartialEq)]
pub enum GateAnswer {
    Open,
    Wrong { left: u32 },
    Locked { seconds: f64 },
}

impl PinGate {
    pub fn check(&mut self, hash: &PinHash, pin: &str, now: f64) -> GateAnswer {
        if now < self.locked_until {
            return GateAnswer::Locked {
                seconds: self.locked_until - now,
            };
        }
        if hash.matches(pin) {
            self.failures = 0;
            return GateAnswer::Open;
        }
        self.failures += 1;
        if self.failures >= MAX_FAILURES {
            self.failures = 0;
            self.locked_until = now + LOCK_SECONDS;
            return GateAnswer::Locked {
                seconds: LOCK_SECONDS,
            };
        }
        GateAnswer::Wrong {
            left: MAX_FAILURES - self.failures,
        }
    }
}

/// What a curator's button does.
#[derive(Component, Debug, Clone, PartialEq)]
pub enum CuratorAction {
    Digit(char),
    Erase,
    SubmitPin,
    Close,
    Load(PathBuf),
    OpenDialog,
    Apply,
    Cancel,
    Quit,
}

/// A line for the curator about the last file dialog (it may not exist on this system).
#[derive(Resource, Debug, Clone, Default, PartialEq)]
pub struct CuratorNote(pub Option<String>);

/// Paths chosen in the system's file dialog, arriving from its thread.
#[derive(Resource)]
struct DialogInbox(Mutex<Receiver<Option<PathBuf>>>, Sender<Option<PathBuf>>);

#[derive(Component)]
struct CuratorRoot;

pub(crate) fn plugin(app: &mut App) {
    let (tx, rx) = channel();
    app.init_resource::<Curator>()
        .init_resource::<PinGate>()
        .init_resource::<CuratorNote>()
        .insert_resource(DialogInbox(Mutex::new(rx), tx))
        .add_message::<CuratorActionMessage>()
        .add_systems(
            Update,
            (hidden_gesture, act, dialog_results)
                .chain()
                .in_set(AppSystems::Input)
                .before(super::map::logic::ReadPointers),
        );
}

/// The overlay (windowed app only).
pub(crate) fn overlay_plugin(app: &mut App) {
    app.add_observer(press)
        .add_systems(Update, rebuild.in_set(AppSystems::Rebuild));
}

/// A curator action as a message (from buttons, keys, tests).
#[derive(Message, Debug, Clone, PartialEq)]
pub struct CuratorActionMessage(pub CuratorAction);

fn press(
    click: On<Pointer<Click>>,
    q: Query<&CuratorAction>,
    mut out: MessageWriter<CuratorActionMessage>,
) {
    if let Ok(a) = q.get(click.entity) {
        out.write(CuratorActionMessage(a.clone()));
    }
}

/// Watches for the hidden gesture: a press held still in the top-left corner.
fn hidden_gesture(
    mut touches: MessageReader<TouchInput>,
    mouse: Res<ButtonInput<MouseButton>>,
    keys: Res<ButtonInput<KeyCode>>,
    window: Option<Single<&Window, With<bevy::window::PrimaryWindow>>>,
    time: Res<Time<Real>>,
    config: Res<HallConfig>,
    mut curator: ResMut<Curator>,
    mut holds: Local<Vec<(u64, Vec2, f64)>>,
) {
    let now = time.elapsed_secs_f64();
    let corner = |p: Vec2| p.x <= CORNER_PX && p.y <= CORNER_PX;
    for t in touches.read() {
        match t.phase {
            TouchPhase::Started if corner(t.position) => holds.push((t.id, t.position, now)),
            TouchPhase::Moved => holds.retain(|h| h.0 != t.id || h.1.distance(t.position) < 20.0),
            TouchPhase::Ended | TouchPhase::Canceled => holds.retain(|h| h.0 != t.id),
            _ => {}
        }
    }
    const MOUSE: u64 = u64::MAX;
    let cursor = window.as_ref().and_then(|w| w.cursor_position());
    if mouse.just_pressed(MouseButton::Left)
        && let Some(c) = cursor
        && corner(c)
    {
        holds.push((MOUSE, c, now));
    }
    if !mouse.pressed(MouseButton::Left) {
        holds.retain(|h| h.0 != MOUSE);
    }
    let held = holds.iter().any(|h| now - h.2 >= HOLD_SECONDS);
    let keyed = keys.pressed(KeyCode::ControlLeft)
        && keys.pressed(KeyCode::AltLeft)
        && keys.just_pressed(KeyCode::KeyC);
    if (held || keyed) && curator.is_closed() {
        holds.clear();
        *curator = match (&config.0.pin_hash, config.0.kiosk) {
            (Some(_), _) => Curator::Pin {
                entered: String::new(),
                message: None,
            },
            (None, false) => Curator::Open,
            (None, true) => {
                warn!("curator mode asked for, but no curator PIN is configured (citygrid pin)");
                Curator::Closed
            }
        };
    }
}

fn act(
    mut actions: MessageReader<CuratorActionMessage>,
    mut curator: ResMut<Curator>,
    mut gate: ResMut<PinGate>,
    config: Res<HallConfig>,
    time: Res<Time<Real>>,
    inbox: Res<DialogInbox>,
    mut load: MessageWriter<LoadSnapshot>,
    mut decide: MessageWriter<Decide>,
    mut exit: MessageWriter<AppExit>,
) {
    for CuratorActionMessage(a) in actions.read() {
        match (a, &mut *curator) {
            (CuratorAction::Digit(d), Curator::Pin { entered, message }) => {
                if entered.len() < 12 {
                    entered.push(*d);
                }
                *message = None;
            }
            (CuratorAction::Erase, Curator::Pin { entered, .. }) => {
                entered.pop();
            }
            (CuratorAction::SubmitPin, Curator::Pin { entered, message }) => {
                let Some(hash) = config.0.pin_hash.as_deref().and_then(PinHash::parse) else {
                    *curator = Curator::Closed;
                    continue;
                };
                match gate.check(&hash, entered, time.elapsed_secs_f64()) {
                    GateAnswer::Open => {
                        info!("curator mode opened");
                        *curator = Curator::Open;
                    }
                    GateAnswer::Wrong { left } => {
                        entered.clear();
                        *message = Some(format!(
                            "PIN 错误，还可尝试 {left} 次 / Wrong PIN, {left} tries left"
                        ));
                    }
                    GateAnswer::Locked { seconds } => {
                        entered.clear();
                        warn!("curator PIN gate locked after repeated wrong PINs");
                        *message = Some(format!(
                            "已锁定 {seconds:.0} 秒 / Locked for {seconds:.0} s"
                        ));
                    }
                }
            }
            (CuratorAction::Close, _) => {
                decide.write(Decide::Cancel);
                *curator = Curator::Closed;
            }
            (CuratorAction::Load(path), Curator::Open) => {
                load.write(LoadSnapshot {
                    path: path.clone(),
                    apply: false,
                });
            }
            (CuratorAction::OpenDialog, Curator::Open) => {
                let tx = inbox.1.clone();
                std::thread::spawn(move || {
                    let picked = rfd::FileDialog::new()
                        .add_filter("citygrid snapshot", &["ron"])
                        .pick_file();
                    let _ = tx.send(picked);
                });
            }
            (CuratorAction::Apply, Curator::Open) => {
                decide.write(Decide::Apply);
            }
            (CuratorAction::Cancel, Curator::Open) => {
                decide.write(Decide::Cancel);
            }
            (CuratorAction::Quit, Curator::Open) => {
                info!("quit from curator mode");
                exit.write(AppExit::Success);
            }
            _ => {}
        }
    }
}

fn dialog_results(inbox: Res<DialogInbox>, mut load: MessageWriter<LoadSnapshot>) {
    let Ok(rx) = inbox.0.lock() else {
        return;
    };
    for picked in rx.try_iter() {
        match picked {
            Some(path) => {
                load.write(LoadSnapshot { path, apply: false });
            }
            None => {
                info!("file dialog closed without a file (or none on this system: use the list)")
            }
        }
    }
}

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

fn rebuild(
    mut commands: Commands,
    curator: Res<Curator>,
    swapper: Res<Swapper>,
    city: Res<City>,
    config: Res<HallConfig>,
    data_dir: Option<Res<super::swap::DataDir>>,
    old: Query<Entity, With<CuratorRoot>>,
    mut images: ResMut<Assets<Image>>,
    note: Res<CuratorNote>,
) {
    if !curator.is_changed() && !swapper.is_changed() && !city.is_changed() && !note.is_changed() {
        return;
    }
    for e in &old {
        commands.entity(e).despawn();
    }
    if curator.is_closed() {
        return;
    }
    let root = commands
        .spawn((
            Name::new("Curator"),
            CuratorRoot,
            Node {
                position_type: PositionType::Absolute,
                width: percent(100),
                height: percent(100),
                justify_content: JustifyContent::Center,
                align_items: AlignItems::Center,
                ..default()
            },
            BackgroundColor(theme::color(palette::BACKGROUND.with_alpha(225))),
            super::ui::BlocksMap,
            GlobalZIndex(20),
        ))
        .id();
    let body = match &*curator {
        Curator::Pin { entered, message } => {
            commands.spawn(pin_pad(entered, message.as_deref())).id()
        }
        _ => {
            let files = candidate_files(
                config.0.watch_folder.as_deref(),
                data_dir.as_ref().map(|d| d.0.as_path()),
            );
            let panel = commands
                .spawn(curator_panel(&city.0, &swapper, files, note.0.clone()))
                .id();
            // The new map, as it will look, beside the report.
            let ready = matches!(swapper.last, Some(LoadOutcome::Ready { .. }));
            if let Some(p) = swapper
                .pending
                .as_ref()
                .filter(|p| ready && !p.preview.is_empty())
            {
                let (w, h) = super::swap::PREVIEW_SIZE;
                let image = Image::new(
                    bevy::render::render_resource::Extent3d {
                        width: w,
                        height: h,
                        depth_or_array_layers: 1,
                    },
                    bevy::render::render_resource::TextureDimension::D2,
                    p.preview.clone(),
                    bevy::render::render_resource::TextureFormat::Rgba8UnormSrgb,
                    bevy::asset::RenderAssetUsages::RENDER_WORLD,
                );
                let preview = commands
                    .spawn((
                        Name::new("Snapshot preview"),
                        Node {
                            width: px(w as f32),
                            height: px(h as f32),
                            border: UiRect::all(px(2)),
                            ..default()
                        },
                        BorderColor::all(theme::color(palette::PANEL_BORDER)),
                        ImageNode::new(images.add(image)),
                    ))
                    .id();
                // After the report, before the buttons.
                commands.entity(panel).insert_children(6, &[preview]);
            }
            panel
        }
    };
    commands.entity(root).add_child(body);
}

/// The curator's dialogs: a padded, rounded column.
fn dialog_box() -> Node {
    Node {
        flex_direction: FlexDirection::Column,
        padding: UiRect::all(px(28)),
        border: UiRect::all(px(2)),
        border_radius: BorderRadius::all(px(16)),
        ..default()
    }
}

fn pin_pad(entered: &str, message: Option<&str>) -> impl Bundle {
    let dots: String =
        "●".repeat(entered.len()) + &"○".repeat(4usize.saturating_sub(entered.len()));
    let keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];
    (
        Node {
            width: px(520),
            align_items: AlignItems::Center,
            row_gap: px(16),
            ..dialog_box()
        },
        panel(),
        Children::spawn((
            Spawn(label(
                "策展人 PIN · Curator PIN",
                size::HEADING,
                palette::TEXT,
            )),
            Spawn(label(dots, size::TITLE, palette::ACCENT)),
            Spawn(label(
                message.unwrap_or(" ").to_string(),
                size::SMALL,
                palette::HIGHLIGHT,
            )),
            Spawn((
                Node {
                    display: Display::Grid,
                    grid_template_columns: RepeatedGridTrack::px(3, 110.0),
                    row_gap: px(12),
                    column_gap: px(12),
                    ..default()
                },
                Children::spawn((
                    SpawnIter(
                        keys.into_iter()
                            .map(|k| button_for(k.to_string(), false, CuratorAction::Digit(k))),
                    ),
                    Spawn(button_for("⌫", false, CuratorAction::Erase)),
                    Spawn(button_for("0", false, CuratorAction::Digit('0'))),
                    Spawn(button_for("OK", true, CuratorAction::SubmitPin)),
                )),
            )),
            Spawn(button_for("取消 · Cancel", false, CuratorAction::Close)),
        )),
    )
}

fn curator_panel(
    city: &crate::snapshot::index::CityData,
    swapper: &Swapper,
    files: Vec<PathBuf>,
    note: Option<String>,
) -> impl Bundle {
    let s = &city.snapshot;
    let running = format!(
        "{} · {} · {} regions · {} buildings · {} metrics{}",
        s.source,
        s.exported_at,
        s.regions.len(),
        s.buildings.len(),
        s.metrics.len(),
        if s.demo { " · demo" } else { "" }
    );
    let mut report_lines: Vec<(String, palette::Srgba)> = Vec::new();
    if let Some(n) = note {
        report_lines.push((n, palette::HIGHLIGHT));
    }
    let mut can_apply = false;
    match &swapper.last {
        _ if swapper.busy() => {
            report_lines.push(("正在检查… / Checking…".into(), palette::TEXT_MUTED))
        }
        None => report_lines.push((
            "选择一个文件以检查 / Choose a file to check it".into(),
            palette::TEXT_MUTED,
        )),
        Some(LoadOutcome::Refused {
            file,
            message,
            report,
        }) => {
            report_lines.push((format!("× 已拒绝 / Refused: {file}"), palette::HIGHLIGHT));
            report_lines.push((message.clone(), palette::TEXT));
            if let Some(r) = report {
                for i in r.errors().chain(r.warnings()).take(8) {
                    report_lines.push((i.to_string(), palette::TEXT_MUTED));
                }
            }
            report_lines.push((
                "当前数据保持不变 / The running snapshot stays".into(),
                palette::ACCENT,
            ));
        }
        Some(LoadOutcome::Ready { file, report }) => {
            can_apply = true;
            report_lines.push((format!("√ 有效 / Valid: {file}"), palette::ACCENT));
            if let Some(p) = &swapper.pending {
                let n = &p.city.snapshot;
                report_lines.push((
                    format!(
                        "{} regions · {} buildings · {} metrics · exported {} (running: {})",
                        n.regions.len(),
                        n.buildings.len(),
                        n.metrics.len(),
                        n.exported_at,
                        s.exported_at
                    ),
                    palette::TEXT,
                ));
            }
            report_lines.push((
                format!("{} warning(s)", report.warnings().count()),
                palette::TEXT_MUTED,
            ));
            for i in report.warnings().take(6) {
                report_lines.push((i.to_string(), palette::TEXT_MUTED));
            }
        }
        Some(LoadOutcome::Applied { file, .. }) => {
            report_lines.push((format!("√ 已应用 / Applied: {file}"), palette::ACCENT));
        }
    }
    let files: Vec<(String, PathBuf)> = files
        .into_iter()
        .map(|p| (p.display().to_string(), p))
        .collect();
    (
        Node {
            width: px(1500),
            max_width: percent(94),
            row_gap: px(14),
            ..dialog_box()
        },
        panel(),
        Children::spawn((
            Spawn(label(
                format!("策展人模式 · Curator — citygrid {}", crate::build_id()),
                size::HEADING,
                palette::TEXT,
            )),
            Spawn(label(
                format!("当前 / Running: {running}"),
                size::SMALL,
                palette::TEXT_MUTED,
            )),
            Spawn(label(
                "快照文件 / Snapshot files (watch folder, USB media, data directory)",
                size::BODY,
                palette::ACCENT,
            )),
            Spawn((
                Node {
                    flex_direction: FlexDirection::Column,
                    row_gap: px(8),
                    ..default()
                },
                Children::spawn(SpawnIter(
                    files
                        .into_iter()
                        .map(|(name, p)| button_for(name, false, CuratorAction::Load(p))),
                )),
            )),
            Spawn(button_for(
                "打开文件… / Open file…",
                false,
                CuratorAction::OpenDialog,
            )),
            Spawn((
                Node {
                    flex_direction: FlexDirection::Column,
                    row_gap: px(4),
                    padding: UiRect::all(px(12)),
                    border: UiRect::all(px(1)),
                    ..default()
                },
                BorderColor::all(theme::color(palette::PANEL_BORDER)),
                Children::spawn(SpawnIter(
                    report_lines
                        .into_iter()
                        .map(|(t, c)| label(t, size::SMALL, c)),
                )),
            )),
            Spawn((
                Node {
                    flex_direction: FlexDirection::Row,
                    column_gap: px(12),
                    ..default()
                },
                Children::spawn((
                    Spawn(button_for(
                        if can_apply {
                            "应用 / Apply"
                        } else {
                            "应用 / Apply (choose a valid file)"
                        },
                        can_apply,
                        if can_apply {
                            CuratorAction::Apply
                        } else {
                            CuratorAction::Cancel
                        },
                    )),
                    Spawn(button_for("取消 / Cancel", false, CuratorAction::Cancel)),
                    Spawn(button_for("关闭 / Close", false, CuratorAction::Close)),
                    Spawn(button_for("退出展项 / Quit", false, CuratorAction::Quit)),
                )),
            )),
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_wrong_pins_lock_the_gate() {
        let hash = PinHash::new("2468");
        let mut gate = PinGate::default();
        assert_eq!(
            gate.check(&hash, "1111", 0.0),
            GateAnswer::Wrong { left: 2 }
        );
        assert_eq!(
            gate.check(&hash, "2222", 1.0),
            GateAnswer::Wrong { left: 1 }
        );
        assert!(matches!(
            gate.check(&hash, "3333", 2.0),
            GateAnswer::Locked { .. }
        ));
        // Even the right PIN waits out the lock.
        assert!(matches!(
            gate.check(&hash, "2468", 10.0),
            GateAnswer::Locked { .. }
        ));
        assert_eq!(gate.check(&hash, "2468", 70.0), GateAnswer::Open);
    }
}
