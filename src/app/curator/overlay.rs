//! The curator's screens: the PIN pad, and the panel with the snapshot files, the checked
//! file's report and map preview, and apply / cancel / close / quit.

use std::path::PathBuf;

use bevy::prelude::*;

use super::files::candidate_files;
use super::{CuratorAction, CuratorNote, PinEntry};
use crate::app::base::swap::{LoadOutcome, PREVIEW_SIZE, Swapper};
use crate::app::base::theme::{self, size};
use crate::app::base::widgets::{BlocksMap, Fill, button_for, label, panel, rim};
use crate::app::base::{City, CuratorMode, DataDir, HallConfig, HallLink};
use crate::palette;

/// The root of the curator's screen (despawned on rebuild and when its mode ends).
#[derive(Component)]
pub(super) struct CuratorRoot;

/// Draws the PIN pad or the curator's panel again when what they show changed; each
/// lives as long as its mode.
pub(super) fn rebuild(
    mut commands: Commands,
    mode: Res<State<CuratorMode>>,
    entry: Res<PinEntry>,
    swapper: Res<Swapper>,
    city: Res<City>,
    config: Res<HallConfig>,
    data_dir: Option<Res<DataDir>>,
    old: Query<Entity, With<CuratorRoot>>,
    mut images: ResMut<Assets<Image>>,
    note: Res<CuratorNote>,
    link: Res<HallLink>,
    mut on_show_hash: Local<Option<OnShowHash>>,
) {
    if !mode.is_changed()
        && !entry.is_changed()
        && !swapper.is_changed()
        && !city.is_changed()
        && !note.is_changed()
        && !link.is_changed()
    {
        return;
    }
    for e in &old {
        commands.entity(e).despawn();
    }
    let root = commands
        .spawn((
            Name::new("Curator"),
            CuratorRoot,
            DespawnOnExit(*mode.get()),
            Node {
                position_type: PositionType::Absolute,
                width: percent(100),
                height: percent(100),
                justify_content: JustifyContent::Center,
                align_items: AlignItems::Center,
                ..default()
            },
            Fill(theme::color(palette::BACKGROUND.with_alpha(225))),
            BlocksMap,
            GlobalZIndex(20),
        ))
        .id();
    let body = match mode.get() {
        CuratorMode::Pin => commands
            .spawn(pin_pad(&entry.entered, entry.message.as_deref()))
            .id(),
        _ => {
            let files = candidate_files(
                config.0.watch_folder.as_deref(),
                data_dir.as_ref().map(|d| d.0.as_path()),
            );
            let kept = data_dir
                .as_ref()
                .map(|d| kept_snapshots(&d.0, config.0.history_keep, &mut on_show_hash))
                .unwrap_or_default();
            // The new map, as it will look, beside the report.
            let ready = matches!(swapper.last, Some(LoadOutcome::Ready { .. }));
            let preview = swapper
                .pending
                .as_ref()
                .filter(|p| ready && !p.preview.is_empty())
                .map(|p| {
                    let (w, h) = PREVIEW_SIZE;
                    images.add(Image::new(
                        bevy::render::render_resource::Extent3d {
                            width: w,
                            height: h,
                            depth_or_array_layers: 1,
                        },
                        bevy::render::render_resource::TextureDimension::D2,
                        p.preview.clone(),
                        bevy::render::render_resource::TextureFormat::Rgba8UnormSrgb,
                        bevy::asset::RenderAssetUsages::RENDER_WORLD,
                    ))
                });
            commands
                .spawn(curator_panel(
                    &city.0,
                    &swapper,
                    files,
                    kept,
                    note.0.clone().or_else(|| link.describe()),
                    preview,
                ))
                .id()
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
                    Spawn(button_for("删除", false, CuratorAction::Erase)),
                    Spawn(button_for("0", false, CuratorAction::Digit('0'))),
                    Spawn(button_for("OK", true, CuratorAction::SubmitPin)),
                )),
            )),
            Spawn(button_for("取消 · Cancel", false, CuratorAction::Close)),
        )),
    )
}

/// The hash of the accepted snapshot, with the file's modification time and length it
/// was taken at (the panel hashes the file again only when those change).
pub(super) struct OnShowHash {
    stamp: (Option<std::time::SystemTime>, u64),
    hash: String,
}

/// How many kept snapshots the panel lists (newest first).
const HISTORY_SHOWN: usize = 4;
/// How many snapshot files and exports the panel lists (newest first).
const FILES_SHOWN: usize = 6;

/// The kept snapshots for the panel: a line each and the file to roll back to (`None` for
/// the one on show); a line saying why when the history cannot be read.
fn kept_snapshots(
    data_dir: &std::path::Path,
    keep: usize,
    cached: &mut Option<OnShowHash>,
) -> Vec<(String, Option<PathBuf>)> {
    let store = crate::store::Store::new(data_dir).with_keep(keep);
    let entries = match store.history() {
        Ok(e) => e,
        Err(e) => return vec![(format!("历史不可读 / History unreadable: {e}"), None)],
    };
    // Every entry with the content on show is "on show" (a rollback repeats a content).
    // The accepted file (tens of MiB) is hashed again only when it changed.
    let stamp = std::fs::metadata(store.accepted_path())
        .ok()
        .map(|m| (m.modified().ok(), m.len()));
    let current = match (cached.as_ref(), stamp) {
        (Some(c), Some(s)) if c.stamp == s => Some(c.hash.clone()),
        (_, Some(stamp)) => {
            let hash = store.current_hash();
            *cached = hash.clone().map(|hash| OnShowHash { stamp, hash });
            hash
        }
        (_, None) => None,
    };
    entries
        .iter()
        .take(HISTORY_SHOWN)
        .map(|e| {
            let on_show = current.as_deref() == Some(e.hash.as_str());
            let line = format!(
                "{}{} · {} · {} regions · {} buildings · {} cases",
                if on_show {
                    "● 当前 / On show · "
                } else {
                    "↺ "
                },
                e.accepted_at,
                e.source,
                e.summary.regions,
                e.summary.buildings,
                e.summary.cases
            );
            (line, (!on_show).then(|| store.kept_path(e)))
        })
        .collect()
}

fn curator_panel(
    city: &crate::snapshot::index::CityData,
    swapper: &Swapper,
    found: super::Found,
    kept: Vec<(String, Option<PathBuf>)>,
    note: Option<String>,
    preview: Option<Handle<Image>>,
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
            let notes = swapper.pending.as_ref().map_or(&[][..], |p| &p.notes[..]);
            report_lines.extend(super::report::lines(notes, report));
        }
        Some(LoadOutcome::Applied { file, .. }) => {
            report_lines.push((format!("√ 已应用 / Applied: {file}"), palette::ACCENT));
        }
    }
    let (mut on_show, mut others) = (Vec::new(), Vec::new());
    let kept_any = !kept.is_empty();
    for (line, path) in kept {
        match path {
            Some(p) => others.push((line, p)),
            None => on_show.push(line),
        }
    }
    // Where it looked, so an empty list is not a mystery.
    let searched = found
        .searched
        .iter()
        .map(|(d, n)| format!("{} ({n})", d.display()))
        .collect::<Vec<_>>()
        .join(" · ");
    let searched = if found.files.is_empty() {
        format!("没有找到快照文件 / No snapshot files in: {searched}")
    } else {
        format!("查找位置 / Searched: {searched}")
    };
    let files: Vec<(String, PathBuf)> = found
        .files
        .into_iter()
        .map(|p| (p.display().to_string(), p))
        .collect();
    let column = |width: f32| Node {
        flex_direction: FlexDirection::Column,
        width: percent(width),
        row_gap: px(10),
        ..default()
    };
    // Two columns, so that the lists, the report and the preview fit a 1080-line screen:
    // what can be chosen on the left, what was checked and the decision on the right.
    let choose = (
        column(52.0),
        Children::spawn((
            Spawn(label(
                "快照与导出 / Snapshots and GIS exports (folder or .zip)",
                size::BODY,
                palette::ACCENT,
            )),
            Spawn(label(searched, size::SMALL, palette::TEXT_MUTED)),
            SpawnIter(
                files
                    .into_iter()
                    .take(FILES_SHOWN)
                    .map(|(name, p)| button_for(name, false, CuratorAction::Load(p))),
            ),
            Spawn(button_for(
                "打开文件… / Open file…",
                false,
                CuratorAction::OpenDialog,
            )),
            Spawn(label(
                if !kept_any {
                    "历史 / History: 尚无已接受的快照 / nothing accepted yet"
                } else {
                    "历史 / History — 点一下即回滚 / one tap rolls back (checked first)"
                },
                size::BODY,
                palette::ACCENT,
            )),
            // The one on show first (a line, nothing to tap), then the others.
            SpawnIter(
                on_show
                    .into_iter()
                    .map(|line| label(line, size::SMALL, palette::ACCENT)),
            ),
            SpawnIter(
                others
                    .into_iter()
                    .map(|(line, p)| button_for(line, false, CuratorAction::Rollback(p))),
            ),
        )),
    );
    let (w, h) = PREVIEW_SIZE;
    let decide = (
        column(46.0),
        Children::spawn((
            Spawn((
                Node {
                    flex_direction: FlexDirection::Column,
                    row_gap: px(4),
                    padding: UiRect::all(px(12)),
                    border: UiRect::all(px(1)),
                    ..default()
                },
                rim(),
                Children::spawn(SpawnIter(
                    report_lines
                        .into_iter()
                        .map(|(t, c)| label(t, size::SMALL, c)),
                )),
            )),
            // The new map, as it will look.
            SpawnIter(preview.into_iter().map(move |image| {
                (
                    Name::new("Snapshot preview"),
                    Node {
                        width: px(w as f32),
                        height: px(h as f32),
                        border: UiRect::all(px(2)),
                        ..default()
                    },
                    rim(),
                    ImageNode::new(image),
                )
            })),
            Spawn((
                Node {
                    flex_direction: FlexDirection::Row,
                    flex_wrap: FlexWrap::Wrap,
                    column_gap: px(12),
                    row_gap: px(12),
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
    );
    (
        Node {
            width: px(1760),
            max_width: percent(96),
            max_height: percent(96),
            row_gap: px(12),
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
            Spawn((
                Node {
                    flex_direction: FlexDirection::Row,
                    column_gap: px(24),
                    justify_content: JustifyContent::SpaceBetween,
                    ..default()
                },
                Children::spawn((Spawn(choose), Spawn(decide))),
            )),
        )),
    )
}
