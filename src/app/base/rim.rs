//! A panel's or button's rim drawn as eight small pieces along its edge instead of Bevy's
//! border. Bevy UI draws a border as a second quad the size of the whole node and decides
//! per pixel, across its whole area, whether the pixel lies on the border. On a software
//! renderer every one of those pixels costs: the panels' borders were ~4 ms of a 25 ms
//! frame at the district view (1920 × 1080, lavapipe; docs/performance.md). The pieces
//! cover only the rim — four corner boxes twice the node's radius, each with Bevy's own
//! rounded border on its two outer sides, and four straight strips between them — so the
//! picture is the same and the cost is the rim's area.

use bevy::prelude::*;

/// Draws the node's border in this color as rim pieces. The node keeps its `border` widths
/// (so its layout and its background's inset are unchanged) and has no `BorderColor` of
/// its own. Widths and radius are read from the node's `border.left` and
/// `border_radius.top_left` when the rim is added, in logical px (`Val::Px`; other units
/// and radii over [`MAX_RIM_RADIUS`] fall back to Bevy's border); the same width all round
/// is assumed, and a node at least twice its radius wide and high.
#[derive(Component, Debug, Clone, Copy)]
pub struct Rim(pub Color);

/// One piece of a rim (never takes a touch).
#[derive(Component, Debug)]
pub struct RimPiece;

/// Radii above this (logical px) are left to Bevy's border: the corner boxes are twice the
/// radius and would reach past small nodes (a pill's `BorderRadius::MAX`).
pub const MAX_RIM_RADIUS: f32 = 32.0;

/// Adds the rim pieces when a [`Rim`] is added.
pub fn plugin(app: &mut App) {
    app.add_observer(add_rim);
}

/// `Val::Px(v)` as `v`, a radius of `BorderRadius::MAX` as `max`.
fn px_of(v: Val, max: f32) -> Option<f32> {
    match v {
        Val::Px(p) => Some(p.min(max)),
        _ => None,
    }
}

/// The eight pieces of a rim `w` logical px wide around a node whose corner radius is `r`
/// logical px, as nodes positioned against the node's padding box (where absolutely placed
/// children are measured from, so the border box starts at `-w`), in this order: corners
/// top left, top right, bottom right, bottom left, then strips top, bottom, left, right.
pub fn rim_pieces(w: f32, r: f32) -> [Node; 8] {
    // Each corner box is twice the radius (Bevy keeps a radius within half the box's side),
    // at least the width.
    let c = (2.0 * r).max(w);
    let corner = |left: bool, top: bool| {
        let mut n = Node {
            position_type: PositionType::Absolute,
            width: px(c),
            height: px(c),
            ..default()
        };
        if left {
            n.left = px(-w);
            n.border.left = px(w);
        } else {
            n.right = px(-w);
            n.border.right = px(w);
        }
        if top {
            n.top = px(-w);
            n.border.top = px(w);
        } else {
            n.bottom = px(-w);
            n.border.bottom = px(w);
        }
        n.border_radius = match (left, top) {
            (true, true) => BorderRadius::top_left(px(r)),
            (false, true) => BorderRadius::top_right(px(r)),
            (false, false) => BorderRadius::bottom_right(px(r)),
            (true, false) => BorderRadius::bottom_left(px(r)),
        };
        n
    };
    let along = c - w;
    let horizontal = |top: bool| {
        let mut n = Node {
            position_type: PositionType::Absolute,
            left: px(along),
            right: px(along),
            height: px(w),
            ..default()
        };
        if top {
            n.top = px(-w);
        } else {
            n.bottom = px(-w);
        }
        n
    };
    let vertical = |left: bool| {
        let mut n = Node {
            position_type: PositionType::Absolute,
            top: px(along),
            bottom: px(along),
            width: px(w),
            ..default()
        };
        if left {
            n.left = px(-w);
        } else {
            n.right = px(-w);
        }
        n
    };
    [
        corner(true, true),
        corner(false, true),
        corner(false, false),
        corner(true, false),
        horizontal(true),
        horizontal(false),
        vertical(true),
        vertical(false),
    ]
}

fn add_rim(add: On<Add, Rim>, nodes: Query<(&Node, &Rim)>, mut commands: Commands) {
    let Ok((node, rim)) = nodes.get(add.entity) else {
        return;
    };
    let color = rim.0;
    let (Some(w), Some(r)) = (
        px_of(node.border.left, f32::MAX),
        px_of(node.border_radius.top_left, 1e4),
    ) else {
        // Not in px: Bevy's own border draws it.
        commands.entity(add.entity).insert(BorderColor::all(color));
        return;
    };
    if w <= 0.0 {
        return;
    }
    if r > MAX_RIM_RADIUS {
        commands.entity(add.entity).insert(BorderColor::all(color));
        return;
    }
    let pieces = rim_pieces(w, r);
    commands.entity(add.entity).with_children(|parent| {
        for (i, piece) in pieces.into_iter().enumerate() {
            // Corners draw Bevy's rounded border in their box; strips are filled.
            if i < 4 {
                parent.spawn((piece, BorderColor::all(color), RimPiece, Pickable::IGNORE));
            } else {
                parent.spawn((piece, BackgroundColor(color), RimPiece, Pickable::IGNORE));
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn val(v: Val) -> f32 {
        match v {
            Val::Px(p) => p,
            Val::Auto => f32::NAN,
            _ => f32::INFINITY,
        }
    }

    #[test]
    fn pieces_meet_and_cover_only_the_rim() {
        let (w, r) = (2.0, 14.0);
        let pieces = rim_pieces(w, r);
        // Corners: 2r × 2r boxes starting at the border box's corner.
        let tl = &pieces[0];
        assert_eq!((val(tl.left), val(tl.top)), (-w, -w));
        assert_eq!((val(tl.width), val(tl.height)), (2.0 * r, 2.0 * r));
        assert_eq!((val(tl.border.left), val(tl.border.top)), (w, w));
        assert_eq!(val(tl.border.right), 0.0);
        let br = &pieces[2];
        assert_eq!((val(br.right), val(br.bottom)), (-w, -w));
        assert_eq!((val(br.border.right), val(br.border.bottom)), (w, w));
        // The top strip starts where the corner box ends: at 2r - w from the padding box.
        let top = &pieces[4];
        let along = 2.0 * r - w;
        assert_eq!((val(top.left), val(top.right)), (along, along));
        assert_eq!((val(top.top), val(top.height)), (-w, w));
        let left = &pieces[6];
        assert_eq!((val(left.top), val(left.bottom)), (along, along));
        assert_eq!((val(left.left), val(left.width)), (-w, w));
    }

    #[test]
    fn a_square_node_gets_corner_boxes_as_wide_as_the_rim() {
        let pieces = rim_pieces(2.0, 0.0);
        assert_eq!(val(pieces[0].width), 2.0);
        assert_eq!(val(pieces[4].left), 0.0);
    }

    /// An app with the rim plugin and one node 2 px wide with `radius`, after a frame.
    fn rimmed(radius: BorderRadius) -> (App, Entity) {
        let mut app = App::new();
        app.add_plugins(plugin);
        let e = app
            .world_mut()
            .spawn((
                Node {
                    border: UiRect::all(px(2)),
                    border_radius: radius,
                    ..default()
                },
                Rim(Color::WHITE),
            ))
            .id();
        app.update();
        (app, e)
    }

    #[test]
    fn adding_a_rim_spawns_eight_untouchable_pieces() {
        let (app, e) = rimmed(BorderRadius::all(px(10)));
        let children = app.world().get::<Children>(e).map(|c| c.to_vec());
        let children = children.unwrap_or_default();
        assert_eq!(children.len(), 8);
        for c in children {
            assert!(app.world().get::<RimPiece>(c).is_some());
            assert!(app.world().get::<Pickable>(c).is_some());
        }
        let own = app.world().get::<BorderColor>(e);
        assert!(own.is_none_or(|b| b.top.is_fully_transparent()));
    }

    #[test]
    fn a_pill_keeps_bevys_border() {
        let (app, e) = rimmed(BorderRadius::MAX);
        assert!(app.world().get::<Children>(e).is_none());
        let own = app.world().get::<BorderColor>(e).map(|b| b.top);
        assert_eq!(own, Some(Color::WHITE));
    }
}
