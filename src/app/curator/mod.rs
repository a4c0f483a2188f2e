//! Curator mode: reached by a hidden gesture (a 3-second press in the top-left corner, or
//! Ctrl+Alt+C) and a PIN; lists snapshot files in the watch folder, on removable media and
//! in the data directory (or opens the system's file dialog where there is one), shows a
//! file's validation report against the running snapshot, and applies or cancels it. The
//! running snapshot is never touched until Apply. Only here can a kiosk be quit. Where the
//! gate stands is the `CuratorMode` state; visitors' input reaches the map only while it is
//! closed.

mod files;
mod gate;
mod overlay;
mod report;

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender, channel};

use bevy::input::touch::{TouchInput, TouchPhase};
use bevy::picking::events::{Click, Pointer};
use bevy::prelude::*;
use bevy::window::RequestRedraw;

use crate::app::base::map_view::MOUSE_ID;
use crate::app::base::sets::ReadPointers;
use crate::app::base::swap::{Decide, LoadSnapshot};
use crate::app::base::{AppSystems, CuratorMode, HallConfig};
use crate::config::PinHash;

pub use files::{Found, candidate_files};
pub use gate::{GateAnswer, PinGate};

/// Seconds a finger must rest in the corner to call the curator.
pub const HOLD_SECONDS: f64 = 3.0;
/// The corner that hides the gesture, logical px from the top-left.
pub const CORNER_PX: f32 = 140.0;

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
    /// Roll back to a kept snapshot: loaded, checked and applied in one tap.
    Rollback(PathBuf),
}

/// A line for the curator about the last file dialog (it may not exist on this system).
#[derive(Resource, Debug, Clone, Default, PartialEq)]
pub struct CuratorNote(pub Option<String>);

/// Paths chosen in the system's file dialog, arriving from its thread with how long the
/// dialog was open (`None`: closed without a file, or no dialog on this system).
#[derive(Resource)]
struct DialogInbox {
    results: Mutex<Receiver<(Option<PathBuf>, std::time::Duration)>>,
    sender: Sender<(Option<PathBuf>, std::time::Duration)>,
}

/// The PIN being entered, and the gate's last word on it.
#[derive(Resource, Debug, Clone, Default, PartialEq)]
pub struct PinEntry {
    /// The digits entered so far (at most 12).
    pub entered: String,
    /// The gate's answer to the last PIN (wrong, locked), shown under the dots.
    pub message: Option<String>,
}

/// A press held in the corner: which finger (or the mouse), where, since when (seconds).
#[derive(Debug, Clone, Copy)]
struct Hold {
    id: u64,
    at: Vec2,
    since: f64,
}

/// The gate, the actions and the file dialog (headless as well as windowed).
pub fn plugin(app: &mut App) {
    let (tx, rx) = channel();
    app.init_resource::<PinEntry>()
        .init_resource::<PinGate>()
        .init_resource::<CuratorNote>()
        .insert_resource(DialogInbox {
            results: Mutex::new(rx),
            sender: tx,
        })
        .add_message::<CuratorActionMessage>()
        .add_systems(
            Update,
            (
                hidden_gesture.run_if(in_state(CuratorMode::Closed)),
                act,
                dialog_results,
            )
                .chain()
                .in_set(AppSystems::Input)
                .before(ReadPointers),
        );
}

/// The curator's screens (windowed app only).
pub fn overlay_plugin(app: &mut App) {
    app.add_observer(press).add_systems(
        Update,
        overlay::rebuild
            .in_set(AppSystems::Rebuild)
            .run_if(not(in_state(CuratorMode::Closed))),
    );
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
    mut next: ResMut<NextState<CuratorMode>>,
    mut entry: ResMut<PinEntry>,
    mut holds: Local<Vec<Hold>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let now = time.elapsed_secs_f64();
    let corner = |p: Vec2| p.x <= CORNER_PX && p.y <= CORNER_PX;
    for t in touches.read() {
        match t.phase {
            TouchPhase::Started if corner(t.position) => holds.push(Hold {
                id: t.id,
                at: t.position,
                since: now,
            }),
            TouchPhase::Moved => holds.retain(|h| h.id != t.id || h.at.distance(t.position) < 20.0),
            TouchPhase::Ended | TouchPhase::Canceled => holds.retain(|h| h.id != t.id),
            _ => {}
        }
    }
    let cursor = window.as_ref().and_then(|w| w.cursor_position());
    if mouse.just_pressed(MouseButton::Left)
        && let Some(c) = cursor
        && corner(c)
    {
        holds.push(Hold {
            id: MOUSE_ID,
            at: c,
            since: now,
        });
    }
    if !mouse.pressed(MouseButton::Left) {
        holds.retain(|h| h.id != MOUSE_ID);
    }
    let held = holds.iter().any(|h| now - h.since >= HOLD_SECONDS);
    if !holds.is_empty() && !held {
        // A finger held still sends nothing: look again next frame, so that the gate
        // opens after three seconds, not at the next wake of an exhibit at rest.
        redraw.write(RequestRedraw);
    }
    let keyed = keys.pressed(KeyCode::ControlLeft)
        && keys.pressed(KeyCode::AltLeft)
        && keys.just_pressed(KeyCode::KeyC);
    if held || keyed {
        holds.clear();
        match (&config.0.pin_hash, config.0.kiosk) {
            (Some(_), _) => {
                *entry = PinEntry::default();
                NextState::set_if_neq(&mut next, CuratorMode::Pin);
            }
            (None, false) => NextState::set_if_neq(&mut next, CuratorMode::Open),
            (None, true) => {
                warn!("curator mode asked for, but no curator PIN is configured (citygrid pin)");
            }
        }
    }
}

/// Carries out the curator's actions in the mode they belong to.
fn act(
    mut actions: MessageReader<CuratorActionMessage>,
    mode: Res<State<CuratorMode>>,
    mut next: ResMut<NextState<CuratorMode>>,
    mut entry: ResMut<PinEntry>,
    mut gate: ResMut<PinGate>,
    config: Res<HallConfig>,
    time: Res<Time<Real>>,
    inbox: Res<DialogInbox>,
    mut load: MessageWriter<LoadSnapshot>,
    mut decide: MessageWriter<Decide>,
    mut exit: MessageWriter<AppExit>,
) {
    for CuratorActionMessage(a) in actions.read() {
        match (a, mode.get()) {
            (CuratorAction::Digit(d), CuratorMode::Pin) => {
                if entry.entered.len() < 12 {
                    entry.entered.push(*d);
                }
                entry.message = None;
            }
            (CuratorAction::Erase, CuratorMode::Pin) => {
                entry.entered.pop();
            }
            (CuratorAction::SubmitPin, CuratorMode::Pin) => {
                let Some(hash) = config.0.pin_hash.as_deref().and_then(PinHash::parse) else {
                    NextState::set_if_neq(&mut next, CuratorMode::Closed);
                    continue;
                };
                let PinEntry { entered, message } = &mut *entry;
                match gate.check(&hash, entered, time.elapsed_secs_f64()) {
                    GateAnswer::Open => {
                        info!("curator mode opened");
                        if hash.is_legacy() {
                            warn!(
                                "the curator PIN's hash is the older blake3 form: set the PIN \
                                 again with `citygrid pin` for an Argon2id hash"
                            );
                        }
                        entered.clear();
                        NextState::set_if_neq(&mut next, CuratorMode::Open);
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
                NextState::set_if_neq(&mut next, CuratorMode::Closed);
            }
            (CuratorAction::Load(path), CuratorMode::Open) => {
                load.write(LoadSnapshot {
                    path: path.clone(),
                    apply: false,
                });
            }
            (CuratorAction::Rollback(path), CuratorMode::Open) => {
                info!("curator rolls back to {}", path.display());
                load.write(LoadSnapshot {
                    path: path.clone(),
                    apply: true,
                });
            }
            (CuratorAction::OpenDialog, CuratorMode::Open) => {
                let tx = inbox.sender.clone();
                std::thread::spawn(move || {
                    let opened = std::time::Instant::now();
                    let picked = rfd::FileDialog::new()
                        .add_filter("citygrid snapshot", &["ron"])
                        .pick_file();
                    let _ = tx.send((picked, opened.elapsed()));
                });
            }
            (CuratorAction::Apply, CuratorMode::Open) => {
                decide.write(Decide::Apply);
            }
            (CuratorAction::Cancel, CuratorMode::Open) => {
                decide.write(Decide::Cancel);
            }
            (CuratorAction::Quit, CuratorMode::Open) => {
                info!("quit from curator mode");
                exit.write(AppExit::Success);
            }
            _ => {}
        }
    }
}

fn dialog_results(
    inbox: Res<DialogInbox>,
    mut load: MessageWriter<LoadSnapshot>,
    mut note: ResMut<CuratorNote>,
) {
    let Ok(rx) = inbox.results.lock() else {
        return;
    };
    for (picked, open_for) in rx.try_iter() {
        match picked {
            Some(path) => {
                note.0 = None;
                load.write(LoadSnapshot { path, apply: false });
            }
            // A dialog nobody could have used: there is none on this machine.
            None if open_for < NO_DIALOG_WITHIN => {
                warn!("no system file dialog on this machine (no desktop portal)");
                note.0 = Some(
                    "这台机器没有系统文件对话框（无桌面门户）：请从上面的列表选择 / \
                     This machine has no system file dialog (no desktop portal): \
                     pick from the list above"
                        .into(),
                );
            }
            None => info!("file dialog closed without a file"),
        }
    }
}

/// A file dialog that closes this soon was never shown (no portal or zenity answered).
const NO_DIALOG_WITHIN: std::time::Duration = std::time::Duration::from_millis(700);
