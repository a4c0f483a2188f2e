//! The map's labels: UI text kept at their plane anchors as the view moves, shrunk or
//! moved to an alternate place where they would collide, hidden where nothing fits
//! (`scene::labels`); shown on the map view only.

use bevy::ecs::spawn::SpawnWith;
use bevy::prelude::*;

use crate::app::base::map_view::map_insets;
use crate::app::base::theme::{self, size};
use crate::app::base::{City, MainView, MapView};
use crate::palette;
use crate::scene::format::Lang;
use crate::scene::labels::{self, Candidate};
use crate::scene::layers::MapLabel;

/// A map label and the plane point it belongs to.
#[derive(Component, Debug, Clone)]
pub struct MapLabelNode {
    pub anchor: [f64; 2],
    pub alternates: Vec<[f64; 2]>,
    /// Metres above the ground (its region's roof in the 3D map).
    pub height: f64,
    /// Size at full font size, logical px.
    pub size: [f64; 2],
    pub priority: f64,
    /// Full font size, logical px.
    pub font: f32,
    /// A cluster's count: hidden with its disc when a raised region stands in front.
    pub count: bool,
}

/// The regions the 3D map raises now and their heights, metres (`scene::layers`): what may
/// hide a cluster's disc, and so its count.
#[derive(Resource, Debug, Default)]
pub(super) struct RaisedRegions(pub Vec<(usize, f64)>);

/// The bundle of one map label, hidden until [`place_labels`] places it.
pub(super) fn label(l: MapLabel, lang: Lang) -> impl Bundle {
    let text = lang.pick(&l.zh, &l.en).to_string();
    let muted = l.priority < 0.0;
    let font = if muted || l.count.is_some() {
        size::SMALL
    } else {
        size::LABEL
    };
    // Names get a shadow to read on any fill; a cluster's count is dark on its bright disc
    // and needs none (one glyph pass fewer for each).
    let (ink, shadow) = match (l.count, muted) {
        (Some(ink), _) => (ink, false),
        (None, true) => (palette::TEXT_MUTED, true),
        (None, false) => (palette::TEXT, true),
    };
    let sz = labels::text_size(&text, font as f64);
    (
        Name::new(format!("Label {text}")),
        super::render::MapLayer,
        MapLabelNode {
            anchor: l.anchor,
            alternates: l.alternates,
            height: l.height,
            size: sz,
            priority: l.priority,
            font,
            count: l.count.is_some(),
        },
        Node {
            position_type: PositionType::Absolute,
            width: px(sz[0] as f32),
            height: px(sz[1] as f32),
            justify_content: JustifyContent::Center,
            align_items: AlignItems::Center,
            ..default()
        },
        Visibility::Hidden,
        GlobalZIndex(-1),
        Children::spawn(SpawnWith(move |parent: &mut ChildSpawner| {
            let mut text = parent.spawn((
                Text::new(text),
                TextFont::from_font_size(font),
                TextLayout::default().with_no_wrap(),
                TextColor(theme::color(ink)),
            ));
            if shadow {
                text.insert(TextShadow {
                    offset: Vec2::new(1.5, 1.5),
                    color: theme::color(palette::BACKGROUND.with_alpha(230)),
                });
            }
        })),
    )
}

/// Places the labels where the view puts their anchors (on the map view only: the state
/// changing back to it counts as a change).
pub(super) fn place_labels(
    map: Res<MapView>,
    view: Res<State<MainView>>,
    mut nodes: Query<(&MapLabelNode, &mut Node, &mut Visibility, &Children)>,
    mut fonts: Query<&mut TextFont>,
    added: Query<(), Added<MapLabelNode>>,
    (city, raised): (Res<City>, Res<RaisedRegions>),
) {
    if !map.is_changed() && added.is_empty() && !view.is_changed() {
        return;
    }
    let v = &map.view;
    // Label sizes are in UI units; the screen is in window pixels.
    let k = map.ui_scale as f64;
    // A count whose disc a raised region hides goes with it, before the others are placed
    // (it takes no room from them). Only the regions whose bounds the line of sight crosses
    // are tried.
    let index = &city.0.index;
    let tallest = raised.0.iter().map(|&(_, h)| h).fold(0.0f64, f64::max);
    let hidden: Vec<bool> = nodes
        .iter()
        .map(|(l, _, _, _)| {
            if !l.count || raised.0.is_empty() {
                return false;
            }
            let screen = v.to_screen3(l.anchor, l.height);
            let sight = crate::scene::pick::sight_bounds(v, screen, tallest);
            let prisms = raised
                .0
                .iter()
                .filter(|&&(r, _)| {
                    index
                        .region_bounds
                        .get(r)
                        .is_some_and(|b| b.intersects(&sight))
                })
                .flat_map(|&(r, h)| {
                    index
                        .region_shapes
                        .get(r)
                        .into_iter()
                        .flatten()
                        .map(move |poly| (poly, h))
                });
            crate::scene::pick::hidden_behind(v, screen, l.height, prisms)
        })
        .collect();
    let candidates: Vec<Candidate> = nodes
        .iter()
        .zip(&hidden)
        .filter(|(_, hidden)| !**hidden)
        .map(|((l, _, _, _), _)| Candidate {
            center: v.to_screen3(l.anchor, l.height),
            alternates: l
                .alternates
                .iter()
                .map(|a| v.to_screen3(*a, l.height))
                .collect(),
            size: [l.size[0] * k, l.size[1] * k],
            priority: l.priority,
        })
        .collect();
    let insets = map_insets(map.ui_scale);
    let area = [
        8.0,
        insets.top - 10.0,
        v.viewport[0] - insets.right + 20.0,
        v.viewport[1] - insets.bottom + 10.0,
    ];
    let mut placed_ones = labels::place(&candidates, area, 4.0).into_iter();
    let shown: Vec<_> = hidden
        .iter()
        .map(|&h| {
            if h {
                None
            } else {
                placed_ones.next().flatten()
            }
        })
        .collect();
    for ((l, mut node, mut vis, children), placed) in nodes.iter_mut().zip(shown) {
        let visible = placed.is_some();
        let (center, scale) = placed.map_or(([0.0, 0.0], 1.0), |p| (p.center, p.scale));
        let (w, h) = (l.size[0] * scale, l.size[1] * scale);
        node.left = px(((center[0] / k) - w * 0.5) as f32);
        node.top = px(((center[1] / k) - h * 0.5) as f32);
        node.width = px(w as f32);
        node.height = px(h as f32);
        *vis = if visible {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        };
        let size = FontSize::Px(theme::text_px((l.font as f64 * scale) as f32));
        for child in children.iter() {
            if let Ok(mut f) = fonts.get_mut(child)
                && f.font_size != size
            {
                f.font_size = size;
            }
        }
    }
}

/// Map labels are panels of the touchscreen's map only: hidden when the main window shows
/// the hall view or the ring.
pub(super) fn hide_labels(mut nodes: Query<&mut Visibility, With<MapLabelNode>>) {
    for mut vis in &mut nodes {
        *vis = Visibility::Hidden;
    }
}
