//! The ring's state and its response to the map's selection, without drawing: each new
//! selection gives the widgets that region's values, which ease from what is shown
//! (0.9 s) while lines draw in. Runs in headless tests.

use bevy::prelude::*;

use crate::app::base::pace::animation_step;
use crate::app::base::sets::RingDraw;
use crate::app::base::{AppSystems, City, CurrentLang, Focus, RingForward, RingSpan};
use crate::scene::ring::data::{self, WidgetData};
use crate::scene::ring::draw::{self, WidgetAnim};
use crate::scene::ring::layout::{self, DEFAULT_SPAN_DEG, Layout};

/// Seconds for values to ease and lines to draw in after the selection changes.
const EASE_SECONDS: f64 = 0.9;

/// The ring's layout, what its widgets show, and how far their animations have come.
#[derive(Resource)]
pub struct RingState {
    pub layout: Layout,
    pub widgets: Vec<WidgetData>,
    pub anims: Vec<WidgetAnim>,
    /// Values the animations started from.
    from: Vec<f64>,
    /// Seconds since the selection last changed.
    since: f64,
    /// The region the widgets show (`usize::MAX` before the first).
    pub region: usize,
    /// The grid (网格) the governance widgets and the ticker show, when one is selected.
    pub grid: Option<usize>,
    pub(super) departments: Vec<draw::DepartmentStyle>,
    /// Departments (indices) a story step brings forward; empty: none.
    pub forward: Vec<usize>,
    /// Whether the ring's picture must be drawn again.
    pub(super) redraw: bool,
    /// Counts the selections and snapshots shown, so drawing can tell a new one.
    pub(super) generation: u64,
}

impl RingState {
    /// Whether values are still easing or lines drawing in.
    pub fn animating(&self) -> bool {
        self.since < EASE_SECONDS
    }
}

/// Every widget at rest and hidden, for `n` widgets.
fn fresh_anims(n: usize) -> Vec<WidgetAnim> {
    vec![
        WidgetAnim {
            reveal: 0.0,
            shown: 0.0
        };
        n
    ]
}

/// The ring's state and its response to the map's selection (headless as well as
/// windowed).
pub fn plugin(app: &mut App) {
    let city = app.world().resource::<City>().0.clone();
    let span = app
        .world()
        .get_resource::<RingSpan>()
        .map_or(DEFAULT_SPAN_DEG, |s| s.0);
    let layout = layout::layout(&city.snapshot, span);
    let departments = draw::department_styles(&city.snapshot);
    let n = layout.slots.len();
    app.insert_resource(super::hall::HallYaw(layout.span_deg * 0.5));
    app.insert_resource(RingState {
        layout,
        widgets: Vec::new(),
        anims: fresh_anims(n),
        from: vec![0.0; n],
        since: 0.0,
        region: usize::MAX,
        grid: None,
        departments,
        forward: Vec::new(),
        redraw: true,
        generation: 0,
    })
    .add_systems(
        Update,
        (
            refocus.in_set(AppSystems::Rebuild),
            bring_forward
                .in_set(AppSystems::Rebuild)
                .run_if(resource_changed::<RingForward>),
            animate.in_set(AppSystems::Animate).before(RingDraw),
        ),
    );
}

/// A new selection: new widget data; animations restart from what is shown.
fn refocus(
    city: Res<City>,
    focus: Res<Focus>,
    lang: Res<CurrentLang>,
    span: Option<Res<RingSpan>>,
    mut ring: ResMut<RingState>,
) {
    if city.is_changed() && !city.is_added() {
        // A new snapshot: new departments, new layout, everything drawn afresh.
        let span = span.map_or(DEFAULT_SPAN_DEG, |s| s.0);
        ring.layout = layout::layout(&city.0.snapshot, span);
        ring.departments = draw::department_styles(&city.0.snapshot);
        let n = ring.layout.slots.len();
        ring.anims = fresh_anims(n);
        ring.from = vec![0.0; n];
        ring.widgets.clear();
        ring.region = usize::MAX;
    }
    let region = data::ring_region(&city.0, focus.region(&city.0));
    let grid = focus.grid(&city.0);
    if lang.is_changed() {
        ring.redraw = true;
    }
    if region == ring.region && grid == ring.grid && !ring.widgets.is_empty() {
        return;
    }
    let first = ring.widgets.is_empty();
    let widgets: Vec<WidgetData> = ring
        .layout
        .slots
        .iter()
        .map(|s| data::widget_at(&city.0, s, region, grid))
        .collect();
    ring.from = if first {
        widgets.iter().map(draw::primary_value).collect()
    } else {
        ring.anims.iter().map(|a| a.shown).collect()
    };
    for (a, w) in ring.anims.iter_mut().zip(&widgets) {
        a.reveal = 0.0;
        if first {
            a.shown = draw::primary_value(w);
        }
    }
    ring.widgets = widgets;
    ring.since = 0.0;
    ring.generation += 1;
    ring.region = region;
    ring.grid = grid;
    ring.redraw = true;
}

/// A story step names the departments to bring forward: the ring draws again with their
/// sectors framed.
fn bring_forward(forward: Res<RingForward>, mut ring: ResMut<RingState>) {
    if ring.forward != forward.0 {
        ring.forward = forward.0.clone();
        ring.redraw = true;
    }
}

fn animate(time: Res<Time<Real>>, mut ring: ResMut<RingState>) {
    if !ring.animating() {
        return;
    }
    ring.since += animation_step(&time);
    let t = crate::scene::view::ease_out(ring.since / EASE_SECONDS);
    let targets: Vec<f64> = ring.widgets.iter().map(draw::primary_value).collect();
    let from = ring.from.clone();
    for ((a, to), from) in ring.anims.iter_mut().zip(targets).zip(from) {
        a.reveal = t;
        a.shown = from + (to - from) * t;
    }
    ring.redraw = true;
}
