//! The order of the exhibit's per-frame work, and the named points where one feature's
//! systems must run before or after another's.

use bevy::prelude::*;

/// The order of the exhibit's per-frame work (chained in this order in `Update`).
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppSystems {
    /// Read touches, mouse and keys and turn them into requests.
    Input,
    /// Apply requests: focus, language, toggles.
    Apply,
    /// Rebuild what changed: map layers, cards.
    Rebuild,
    /// Move things: camera easing, label positions.
    Animate,
}

/// Inside [`AppSystems::Input`]: the map reads touches and the mouse. Whatever may take a
/// pointer away from the map (panels, the curator's gesture, the attract mode's waking
/// touch) runs before it.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReadPointers;

/// Inside [`AppSystems::Input`], first: commands from the hall's show control (OSC) become
/// map requests and [`super::state::RemoteInput`]s, which the idle clock then reads.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RemoteCommands;

/// Inside [`AppSystems::Input`]: Bevy's `UiScale` follows the window (`widgets::fit_ui_scale`),
/// before the map fits its view and sizes its markers to it.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FitUiScale;

/// Inside [`AppSystems::Apply`]: map requests are applied (focus, language, figure).
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ApplyRequests;

/// Inside [`AppSystems::Rebuild`]: the map's layers are rebuilt (the panels' legend follows).
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RebuildLayers;

/// Inside [`AppSystems::Animate`]: the map's view moves; its camera and labels follow.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EaseView;

/// Inside [`AppSystems::Animate`]: the ring is drawn after its animation has advanced.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RingDraw;

/// Chains the four [`AppSystems`] in `Update`.
pub fn configure(app: &mut App) {
    app.configure_sets(
        Update,
        (
            AppSystems::Input,
            AppSystems::Apply,
            AppSystems::Rebuild,
            AppSystems::Animate,
        )
            .chain(),
    )
    .configure_sets(
        Update,
        RemoteCommands
            .in_set(AppSystems::Input)
            .before(ReadPointers),
    );
}
