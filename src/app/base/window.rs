//! Bevy's plugins as the exhibit sets them up: the window (fullscreen without a cursor in
//! kiosk mode), the renderer's settings and the log (to the terminal and the log file).

use bevy::prelude::*;
use bevy::window::{CursorOptions, MonitorSelection, PresentMode, WindowMode, WindowResolution};

use super::logfile;

/// Bevy's plugins as the exhibit sets them up: the window, the renderer, the log.
/// The renderer's settings: smaller device-memory blocks, given back when empty (a 2D
/// exhibit allocates little, and on a software renderer every block is the process's own
/// memory), and no validation of indirect draws' arguments — as Bevy means to do in release
/// builds except on DX12, but its check sees DX12 among the default backends on Linux too.
/// The check's compute pipelines cost 5 MiB under lavapipe. `WGPU_VALIDATION_INDIRECT_CALL=1`
/// turns it back on.
fn wgpu_settings() -> bevy::render::settings::WgpuSettings {
    use bevy::render::settings::{InstanceFlags, MemoryHints, WgpuSettings};
    let mut settings = WgpuSettings {
        memory_hints: MemoryHints::MemoryUsage,
        ..default()
    };
    settings
        .instance_flags
        .remove(InstanceFlags::VALIDATION_INDIRECT_CALL);
    settings.instance_flags = settings.instance_flags.with_env();
    settings
}

/// Bevy's default plugins with the exhibit's window (`size` in logical px), renderer and log.
pub fn window_plugins(
    title: String,
    size: (u32, u32),
    kiosk: bool,
) -> bevy::app::PluginGroupBuilder {
    DefaultPlugins
        .set(WindowPlugin {
            primary_window: Some(Window {
                title,
                resolution: WindowResolution::new(size.0, size.1).with_scale_factor_override(1.0),
                present_mode: PresentMode::AutoVsync,
                mode: if kiosk {
                    WindowMode::BorderlessFullscreen(MonitorSelection::Current)
                } else {
                    WindowMode::Windowed
                },
                ..default()
            }),
            primary_cursor_options: Some(CursorOptions {
                visible: !kiosk,
                ..default()
            }),
            // A kiosk ignores close requests (Alt+F4, the window manager); only the
            // hall's staff end it.
            close_when_requested: !kiosk,
            ..default()
        })
        .set(bevy::render::RenderPlugin {
            render_creation: wgpu_settings().into(),
            // Each pipeline is compiled when first needed, in that frame: the first frame
            // is complete (no frames drawn with pieces missing while shaders compile in the
            // background, each costing a whole frame on a software renderer), and a view
            // seen for the first time later arrives whole, a few milliseconds late.
            synchronous_pipeline_compilation: true,
            ..default()
        })
        .set(bevy::log::LogPlugin {
            // Under Wayland the window-decoration library asks the desktop portal for its
            // colour scheme and logs an error where there is none (a kiosk compositor): the
            // kiosk window has no decorations to colour.
            filter: "wgpu=error,naga=warn,bevy_render=warn,bevy_winit=warn,winit=error,\
                     sctk_adwaita=off,citygrid=info"
                .into(),
            custom_layer: logfile::file_layer,
            ..default()
        })
        .add(mesh_buffers)
}

/// Why no window can open: neither `DISPLAY` (X11) nor `wayland` (`WAYLAND_DISPLAY`, or
/// `WAYLAND_SOCKET` where a compositor hands the exhibit its socket) names a display server
/// (unset or empty, as winit tests them), and winit would stop the exhibit with a panic
/// ("Failed to build event loop"). `None` when either is set; whether that server answers is
/// known only when winit connects (see [`DISPLAY_HINT`]).
pub fn missing_display(display: Option<&str>, wayland: Option<&str>) -> Option<String> {
    let set = |v: Option<&str>| v.is_some_and(|v| !v.is_empty());
    (!set(display) && !set(wayland)).then(|| {
        "no display to open a window on: neither DISPLAY (X11) nor WAYLAND_DISPLAY is set. \
         Start the exhibit inside the hall PC's graphical session (or after its X server or \
         compositor, with DISPLAY=:0), or use `citygrid validate`, `import` or `accept` for work without a \
         screen"
            .to_string()
    })
}

/// What the log adds when winit cannot connect to the display server named by `DISPLAY` or
/// `WAYLAND_DISPLAY` (the panic's message contains "Failed to build event loop").
pub const DISPLAY_HINT: &str = "the display server could not be reached: is the X server or \
     compositor running, and do DISPLAY / WAYLAND_DISPLAY (and XDG_RUNTIME_DIR) name it?";

/// Seconds between checks of the kiosk window against its monitor; the first comes after
/// this long too, so that a window manager answers the fullscreen request first. A check is
/// a borrow and two of winit's cached values, and at rest updates come seconds apart.
const FILL_MONITOR_EVERY_S: f32 = 0.5;

/// Makes a kiosk window cover its whole monitor where nothing else does.
///
/// winit asks the window manager for borderless fullscreen (`_NET_WM_STATE_FULLSCREEN` on
/// X11) and leaves the size to it. A bare X server — a kiosk started by `xinit` or a display
/// manager with no window manager — has no one to grant it: the window stays at winit's 800 ×
/// 600 px default in the monitor's corner, while Bevy lays the exhibit out at the configured
/// size, so the panels and the strip are cut off. Every [`FILL_MONITOR_EVERY_S`] seconds the
/// primary window's real size (winit's, in physical px) is compared with its monitor's; where
/// they differ it is moved to the monitor's origin and asked for the monitor's size, which an
/// X server without a window manager grants as asked (winit then reports the resize and Bevy
/// lays out again). Under a window manager or compositor that made the window fullscreen the
/// sizes agree and nothing is asked. Only for windows in `BorderlessFullscreen` mode.
pub fn fill_monitor(
    time: Res<Time<Real>>,
    mut since: Local<f32>,
    mut asked: Local<Option<[u32; 4]>>,
    mut windows: Query<(Entity, &mut Window), With<bevy::window::PrimaryWindow>>,
    _main_thread: bevy::ecs::system::NonSendMarker,
) {
    *since += time.delta_secs();
    if *since < FILL_MONITOR_EVERY_S {
        return;
    }
    *since = 0.0;
    let Ok((entity, mut window)) = windows.single_mut() else {
        return;
    };
    if !matches!(window.mode, WindowMode::BorderlessFullscreen(_)) {
        return;
    }
    bevy::winit::WINIT_WINDOWS.with_borrow(|winit_windows| {
        let Some(winit_window) = winit_windows.get_window(entity) else {
            return;
        };
        let Some(monitor) = winit_window
            .current_monitor()
            .or_else(|| winit_window.primary_monitor())
        else {
            return;
        };
        let (have, want) = (winit_window.inner_size(), monitor.size());
        let pair = [have.width, have.height, want.width, want.height];
        if !off_monitor(pair) {
            // It covers its monitor: a later change of size may be asked again.
            *asked = None;
            return;
        }
        if !should_fill(pair, *asked) {
            return;
        }
        *asked = Some(pair);
        info!(
            "kiosk: the window is {}×{} px on a {}×{} px monitor (no window manager made it \
             fullscreen): resizing it to the monitor",
            have.width, have.height, want.width, want.height
        );
        winit_window.set_outer_position(monitor.position());
        // `None` (X11): the resize arrives as an event, which Bevy applies to the window;
        // a platform that resizes at once says so here, and Bevy is told the same.
        if let Some(now) = winit_window.request_inner_size(want) {
            window
                .resolution
                .set_physical_resolution(now.width, now.height);
        }
    });
}

/// Whether a window of `[width, height, monitor width, monitor height]` (physical px) fails
/// to cover its monitor: the monitor's size is known and the window is more than 2 px off in
/// either direction (a compositor's fractional scaling rounds).
fn off_monitor([w, h, mw, mh]: [u32; 4]) -> bool {
    mw > 0 && mh > 0 && (w.abs_diff(mw) > 2 || h.abs_diff(mh) > 2)
}

/// Whether a kiosk window of these sizes (as [`off_monitor`]) should be resized to its
/// monitor: it is off its monitor, and the same request was not made before for the same
/// sizes (a platform that refuses is asked once, not twice a second all day).
fn should_fill(sizes: [u32; 4], asked: Option<[u32; 4]>) -> bool {
    off_monitor(sizes) && asked != Some(sizes)
}

/// Every mesh in a vertex and index buffer of its own. Bevy's default packs small meshes
/// into shared slabs, each with a free-list table for 131,072 allocations — 2 MiB of
/// memory for every slab, whatever its size: 16.8 MB for the exhibit's eight (heaptrack,
/// docs/performance.md "Cheaper pixels"). The exhibit draws a few dozen meshes, each
/// replaced whole when it changes, so sharing buffers saves it nothing. A buffer of its own
/// is exactly the data's size, so every mesh must have indices (`U32`, as `MeshBuffers`
/// makes them): wgpu refuses an empty buffer slice and a `U16` list of odd length. The
/// map's layers skip empty meshes (`MeshBuffers::is_empty`), and the ring's pieces always
/// have triangles.
fn mesh_buffers(app: &mut App) {
    if let Some(render_app) = app.get_sub_app_mut(bevy::render::RenderApp) {
        render_app.insert_resource(bevy::render::mesh::allocator::MeshAllocatorSettings {
            slab_allocator_settings: bevy::render::slab_allocator::SlabAllocatorSettings {
                large_threshold: 0,
                ..default()
            },
            ..default()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::{missing_display, should_fill};

    #[test]
    fn a_kiosk_window_smaller_than_its_monitor_is_resized_once() {
        let bare_x = [800, 600, 3840, 2160];
        assert!(should_fill(bare_x, None));
        assert!(!should_fill(bare_x, Some(bare_x)), "asked already");
        assert!(
            should_fill([1920, 1080, 3840, 2160], Some(bare_x)),
            "sizes changed"
        );
        assert!(
            !should_fill([3840, 2160, 3840, 2160], None),
            "fullscreen already"
        );
        assert!(!should_fill([3839, 2161, 3840, 2160], None), "rounding");
        assert!(!should_fill([800, 600, 0, 0], None), "monitor unknown");
    }

    #[test]
    fn a_window_needs_a_display_server_named() {
        assert!(missing_display(None, None).is_some());
        assert!(missing_display(Some(""), Some("")).is_some());
        assert!(missing_display(Some(":0"), None).is_none());
        assert!(missing_display(None, Some("wayland-0")).is_none());
        assert!(missing_display(Some(""), Some("wayland-1")).is_none());
    }
}
