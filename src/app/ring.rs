//! The panoramic ring in Bevy: its scene (one merged mesh, a pool of texts, pulsing points,
//! a marquee of alerts and a slow light sweep) on render layer 1, drawn into a texture for
//! the touchscreen's strip preview and the hall view, or straight to a window for the LED
//! wall. It follows the map's selection.

use bevy::asset::RenderAssetUsages;
use bevy::camera::visibility::RenderLayers;
use bevy::camera::{RenderTarget, ScalingMode};
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;
use bevy::render::render_resource::TextureFormat;
use bevy::sprite::Anchor;
use bevy::text::FontHinting;
use bevy::window::{PrimaryWindow, WindowRef, WindowResolution};

use super::AppSystems;
use super::state::{City, CurrentLang, Focus, MainView};
use super::theme;
use crate::palette;
use crate::scene::format::Lang;
use crate::scene::labels;
use crate::scene::ring::data::{self, Named, WidgetData};
use crate::scene::ring::draw::{self, Align, CANVAS, Frame, TICKER, WidgetAnim};
use crate::scene::ring::layout::{self, DEFAULT_SPAN_DEG, Layout};

/// Render layer of the ring's scene.
pub const RING_LAYER: usize = 1;
/// Render layer of the hall view's projected wall.
pub const HALL_LAYER: usize = 2;
/// Size of the texture the ring is drawn into for the preview and the hall view.
pub const TEXTURE_SIZE: (u32, u32) = (2560, 360);
/// Seconds for values to ease and lines to draw in after the selection changes.
const EASE_SECONDS: f64 = 0.9;
/// Size of the marquee's text, canvas px.
const MARQUEE_FONT: f32 = 28.0;
/// Marquee speed, canvas px per second.
const MARQUEE_SPEED: f64 = 90.0;
/// Horizontal field of view of the hall view, degrees.
const HALL_FOV_DEG: f64 = 80.0;

/// Glyph pixels per canvas pixel: the ring's texts are laid out on the 7680 × 1080 canvas
/// but drawn where they land, in the 2560 × 360 texture or on the LED wall's window. Their
/// glyphs are made at that size (crisp, and a ninth of the atlas space in the texture) and
/// the text scaled back up to canvas units.
#[derive(Resource, Clone, Copy)]
struct RingTextScale(f32);

impl RingTextScale {
    /// For the ring drawn into the texture and into each of `windows` (pixel sizes: the LED
    /// wall's window, the main window when it shows the ring), the largest of them.
    fn new(windows: impl IntoIterator<Item = (u32, u32)>) -> Self {
        let fit =
            |(w, h): (u32, u32)| (w as f32 / CANVAS[0] as f32).min(h as f32 / CANVAS[1] as f32);
        Self(
            windows
                .into_iter()
                .map(fit)
                .fold(fit(TEXTURE_SIZE), f32::max),
        )
    }

    /// The font, hinting and transform scale of a text `size` canvas pixels high.
    fn font(self, size: f32) -> (TextFont, FontHinting, Vec3) {
        (
            TextFont::from_font_size(theme::text_px(size * self.0)),
            // Hinted, as the panels' texts are: legible at the texture's small sizes, and
            // sizes the panels also use share their glyph atlases.
            FontHinting::Enabled,
            Vec3::splat(self.0.recip()),
        )
    }
}

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
    pub region: usize,
    departments: Vec<draw::DepartmentStyle>,
    /// Tappable ranking rows (canvas rectangles) and their regions.
    pub hotspots: Vec<([f64; 4], usize)>,
    redraw: bool,
}

impl RingState {
    /// Whether values are still easing or lines drawing in.
    pub fn animating(&self) -> bool {
        self.since < EASE_SECONDS
    }
}

/// The texture the ring is drawn into.
#[derive(Resource, Clone)]
pub struct RingCanvas(pub Handle<Image>);

/// Where the hall view looks, degrees from the left end of the ring.
#[derive(Resource, Debug, Clone, Copy, PartialEq)]
pub struct HallYaw(pub f64);

/// An extra window for the LED wall, if asked for.
#[derive(Resource, Debug, Clone, Copy)]
pub struct RingWindow(pub Option<(u32, u32)>);

#[derive(Component)]
struct RingMesh;
#[derive(Component)]
struct RingText;
#[derive(Component)]
struct RingPulse(f32);
#[derive(Component)]
struct Marquee {
    offset: f64,
}
#[derive(Component)]
struct Sweep;
#[derive(Component)]
pub struct CanvasCamera;
/// The camera that shows the hall view or the ring in the main window.
#[derive(Component)]
pub struct AltCamera;
#[derive(Component)]
struct HallMesh;

#[derive(Resource)]
struct RingMaterials {
    white: Handle<ColorMaterial>,
}

/// The ring's state and its response to the map's selection, without drawing: runs in
/// headless tests.
pub(crate) fn logic_plugin(app: &mut App) {
    let city = app.world().resource::<City>().0.clone();
    let span = app
        .world()
        .get_resource::<super::state::RingSpan>()
        .map_or(DEFAULT_SPAN_DEG, |s| s.0);
    let layout = layout::layout(&city.snapshot, span);
    let departments = draw::department_styles(&city.snapshot);
    let n = layout.slots.len();
    app.insert_resource(HallYaw(layout.span_deg * 0.5));
    app.insert_resource(RingState {
        layout,
        widgets: Vec::new(),
        anims: vec![
            WidgetAnim {
                reveal: 0.0,
                shown: 0.0
            };
            n
        ],
        from: vec![0.0; n],
        since: 0.0,
        region: usize::MAX,
        departments,
        hotspots: Vec::new(),
        redraw: true,
    })
    .add_systems(
        Update,
        (
            refocus.in_set(AppSystems::Rebuild),
            animate.in_set(AppSystems::Animate).before(RingDraw),
        ),
    );
}

/// The system set that draws the ring after its animation has advanced.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RingDraw;

/// Drawing the ring, the hall view and the LED window.
pub(crate) fn plugin(app: &mut App) {
    app.add_systems(Startup, setup).add_systems(
        Update,
        (
            follow_text_scale,
            rebuild_marquee,
            redraw,
            idle_motion,
            (hall_drag, hall_mesh).chain(),
            switch_cameras,
            throttle_canvas,
        )
            .chain()
            .in_set(AppSystems::Animate)
            .in_set(RingDraw),
    );
}

fn setup(
    mut commands: Commands,
    mut images: ResMut<Assets<Image>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<ColorMaterial>>,
    ring_window: Option<Res<RingWindow>>,
) {
    let mut image = Image::new_target_texture(
        TEXTURE_SIZE.0,
        TEXTURE_SIZE.1,
        TextureFormat::Rgba8Unorm,
        Some(TextureFormat::Rgba8UnormSrgb),
    );
    // Drawn by its camera only: no 3.5 MiB of zeros kept in main memory and uploaded, and
    // never resized, so nothing to copy over.
    image.data = None;
    image.copy_on_resize = false;
    let image = images.add(image);
    commands.insert_resource(RingCanvas(image.clone()));
    commands.insert_resource(RingTextScale::new(ring_window.as_ref().and_then(|r| r.0)));
    let fixed = || {
        Projection::Orthographic(OrthographicProjection {
            scaling_mode: ScalingMode::Fixed {
                width: CANVAS[0] as f32,
                height: CANVAS[1] as f32,
            },
            ..OrthographicProjection::default_2d()
        })
    };
    commands.spawn((
        Name::new("Ring canvas camera"),
        CanvasCamera,
        Camera2d,
        // The texture is sampled smoothly anyway; 4× samples would quadruple its cost.
        Msaa::Off,
        Camera {
            order: -1,
            clear_color: ClearColorConfig::Custom(theme::color(palette::BACKGROUND)),
            ..default()
        },
        RenderTarget::Image(image.clone().into()),
        fixed(),
        RenderLayers::layer(RING_LAYER),
    ));
    if let Some((w, h)) = ring_window.and_then(|r| r.0) {
        let window = commands
            .spawn(Window {
                title: "citygrid — ring".into(),
                resolution: WindowResolution::new(w, h).with_scale_factor_override(1.0),
                ..default()
            })
            .id();
        commands.spawn((
            Name::new("LED wall camera"),
            Camera2d,
            Camera {
                order: 2,
                clear_color: ClearColorConfig::Custom(theme::color(palette::BACKGROUND)),
                ..default()
            },
            RenderTarget::Window(WindowRef::Entity(window)),
            Projection::Orthographic(OrthographicProjection {
                scaling_mode: ScalingMode::AutoMin {
                    min_width: CANVAS[0] as f32,
                    min_height: CANVAS[1] as f32,
                },
                ..OrthographicProjection::default_2d()
            }),
            RenderLayers::layer(RING_LAYER),
        ));
    }
    commands.spawn((
        Name::new("Hall and ring camera"),
        AltCamera,
        Camera2d,
        Camera {
            order: 1,
            is_active: false,
            clear_color: ClearColorConfig::Custom(theme::color(palette::BACKGROUND)),
            ..default()
        },
        RenderLayers::layer(HALL_LAYER),
    ));
    let white = materials.add(ColorMaterial::default());
    let hall = materials.add(ColorMaterial {
        texture: Some(image),
        ..default()
    });
    commands.spawn((
        Name::new("Ring"),
        RingMesh,
        Mesh2d(meshes.add(placeholder(false))),
        MeshMaterial2d(white.clone()),
        Transform::default(),
        RenderLayers::layer(RING_LAYER),
    ));
    commands.spawn((
        Name::new("Hall wall"),
        HallMesh,
        Mesh2d(meshes.add(placeholder(true))),
        MeshMaterial2d(hall),
        Transform::default(),
        RenderLayers::layer(HALL_LAYER),
    ));
    // A soft light that sweeps the heading band.
    let mut sweep = crate::scene::meshes::MeshBuffers::default();
    let (w, h) = (700.0f32, draw::HEADER as f32);
    let glow = palette::ACCENT;
    for (x0, x1, a0, a1) in [(-w * 0.5, 0.0, 0u8, 40u8), (0.0, w * 0.5, 40, 0)] {
        let base = sweep.positions.len() as u32;
        for (x, y, a) in [
            (x0, -h * 0.5, a0),
            (x1, -h * 0.5, a1),
            (x1, h * 0.5, a1),
            (x0, h * 0.5, a0),
        ] {
            sweep.positions.push([x, y, 0.0]);
            sweep.colors.push(glow.with_alpha(a).linear());
        }
        sweep
            .indices
            .extend_from_slice(&[base, base + 1, base + 2, base, base + 2, base + 3]);
    }
    commands.spawn((
        Name::new("Ring light sweep"),
        Sweep,
        Mesh2d(meshes.add(mesh_from(sweep))),
        MeshMaterial2d(white.clone()),
        Transform::from_xyz(0.0, (CANVAS[1] * 0.5 - draw::HEADER * 0.5) as f32, 0.5),
        RenderLayers::layer(RING_LAYER),
    ));
    commands.insert_resource(RingMaterials { white });
}

/// A mesh with every attribute but nothing visible, until the first real frame.
fn placeholder(uv: bool) -> Mesh {
    let mut m = Mesh::new(
        PrimitiveTopology::TriangleList,
        RenderAssetUsages::RENDER_WORLD,
    )
    .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, vec![[0.0f32, 0.0, 0.0]; 3])
    .with_inserted_indices(Indices::U32(vec![0, 1, 2]));
    if uv {
        m.insert_attribute(Mesh::ATTRIBUTE_UV_0, vec![[0.0f32, 0.0]; 3]);
    } else {
        m.insert_attribute(Mesh::ATTRIBUTE_COLOR, vec![[0.0f32; 4]; 3]);
    }
    m
}

fn mesh_from(b: crate::scene::meshes::MeshBuffers) -> Mesh {
    Mesh::new(
        PrimitiveTopology::TriangleList,
        RenderAssetUsages::RENDER_WORLD,
    )
    .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, b.positions)
    .with_inserted_attribute(Mesh::ATTRIBUTE_COLOR, b.colors)
    .with_inserted_indices(Indices::U32(b.indices))
}

/// A new selection: new widget data; animations restart from what is shown.
fn refocus(
    city: Res<City>,
    focus: Res<Focus>,
    lang: Res<CurrentLang>,
    span: Option<Res<super::state::RingSpan>>,
    mut ring: ResMut<RingState>,
) {
    if city.is_changed() && !city.is_added() {
        // A new snapshot: new departments, new layout, everything drawn afresh.
        let span = span.map_or(DEFAULT_SPAN_DEG, |s| s.0);
        ring.layout = layout::layout(&city.0.snapshot, span);
        ring.departments = draw::department_styles(&city.0.snapshot);
        let n = ring.layout.slots.len();
        ring.anims = vec![
            WidgetAnim {
                reveal: 0.0,
                shown: 0.0
            };
            n
        ];
        ring.from = vec![0.0; n];
        ring.widgets.clear();
        ring.region = usize::MAX;
    }
    let region = data::ring_region(&city.0, focus.region(&city.0));
    if lang.is_changed() {
        ring.redraw = true;
    }
    if region == ring.region && !ring.widgets.is_empty() {
        return;
    }
    let first = ring.widgets.is_empty();
    let widgets: Vec<WidgetData> = ring
        .layout
        .slots
        .iter()
        .map(|s| data::widget(&city.0, s, region))
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
    ring.region = region;
    ring.redraw = true;
}

/// Keeps the ring's glyphs at the size they are shown: the main window showing the ring
/// itself (the LED wall's own machine) draws them larger than the texture does.
fn follow_text_scale(
    view: Res<MainView>,
    ring_window: Option<Res<RingWindow>>,
    window: Option<Single<&Window, With<PrimaryWindow>>>,
    mut scale: ResMut<RingTextScale>,
    mut ring: ResMut<RingState>,
    mut marquee: Query<(&mut TextFont, &mut Transform), With<Marquee>>,
) {
    let main = window
        .filter(|_| *view == MainView::Ring)
        .map(|w| (w.physical_width(), w.physical_height()));
    let now = RingTextScale::new(ring_window.and_then(|r| r.0).into_iter().chain(main));
    if now.0 == scale.0 {
        return;
    }
    *scale = now;
    ring.redraw = true;
    let (font, _, to) = now.font(MARQUEE_FONT);
    for (mut f, mut t) in &mut marquee {
        f.font_size = font.font_size;
        t.scale = to;
    }
}

/// The marquee: the selected region's alerts, or a calm line when there are none.
fn rebuild_marquee(
    mut commands: Commands,
    city: Res<City>,
    lang: Res<CurrentLang>,
    ring: Res<RingState>,
    marquees: Query<Entity, With<Marquee>>,
    text_scale: Res<RingTextScale>,
    mut shown: Local<Option<(usize, Lang, usize)>>,
) {
    // Keyed by region, language and snapshot (a swapped-in snapshot has new alerts).
    let key = (
        ring.region,
        lang.0,
        std::sync::Arc::as_ptr(&city.0) as usize,
    );
    if ring.widgets.is_empty() || *shown == Some(key) {
        return;
    }
    *shown = Some(key);
    for e in &marquees {
        commands.entity(e).despawn();
    }
    let region = ring.region;
    let name = Named::of(&city.0, region);
    let mut items: Vec<String> = data::alerts(&city.0, region)
        .into_iter()
        .map(|(zh, en)| lang.0.pick(&zh, &en).to_string())
        .collect();
    let head = format!(
        "{} · {}",
        name.pick(lang.0),
        lang.0.pick("城市运行态势", "City operations")
    );
    if items.is_empty() {
        items.push(
            lang.0
                .pick("各项指标运行平稳", "All indicators normal")
                .to_string(),
        );
    }
    items.insert(0, head);
    let mut x = 0.0;
    for item in items {
        let w = labels::text_size(&item, MARQUEE_FONT as f64)[0] + 160.0;
        let (font, hinting, scale) = text_scale.font(MARQUEE_FONT);
        commands.spawn((
            Name::new("Ring marquee item"),
            Marquee { offset: x },
            Text2d::new(item),
            font,
            hinting,
            TextColor(theme::color(palette::TEXT)),
            Anchor::CENTER_LEFT,
            Transform::from_xyz(0.0, (TICKER * 0.5 - CANVAS[1] * 0.5) as f32, 2.0)
                .with_scale(scale),
            RenderLayers::layer(RING_LAYER),
        ));
        x += w;
    }
    commands.insert_resource(MarqueeLength(x.max(CANVAS[0])));
}

#[derive(Resource)]
struct MarqueeLength(f64);

fn animate(time: Res<Time<Real>>, mut ring: ResMut<RingState>) {
    if !ring.animating() {
        return;
    }
    ring.since += time.delta_secs_f64();
    let t = crate::scene::view::ease_out(ring.since / EASE_SECONDS);
    let targets: Vec<f64> = ring.widgets.iter().map(draw::primary_value).collect();
    let from = ring.from.clone();
    for ((a, to), from) in ring.anims.iter_mut().zip(targets).zip(from) {
        a.reveal = t;
        a.shown = from + (to - from) * t;
    }
    ring.redraw = true;
}

fn redraw(
    mut commands: Commands,
    mut ring: ResMut<RingState>,
    city: Res<City>,
    lang: Res<CurrentLang>,
    mut meshes: ResMut<Assets<Mesh>>,
    mesh: Query<&Mesh2d, With<RingMesh>>,
    mut texts: Query<
        (
            Entity,
            &mut Text2d,
            &mut TextFont,
            &mut TextColor,
            &mut Anchor,
            &mut Transform,
            &mut Visibility,
        ),
        With<RingText>,
    >,
    mut pulses: Query<(Entity, &mut RingPulse, &mut Transform, &mut Visibility), Without<RingText>>,
    materials: Res<RingMaterials>,
    text_scale: Res<RingTextScale>,
) {
    if !ring.redraw || ring.widgets.is_empty() {
        return;
    }
    ring.redraw = false;
    let name = Named::of(&city.0, ring.region);
    let Frame {
        mesh: buffers,
        texts: items,
        pulses: points,
        hotspots,
    } = draw::draw(
        &ring.layout,
        &ring.departments,
        &ring.widgets,
        &ring.anims,
        lang.0,
        (&name.zh, &name.en),
    );
    ring.hotspots = hotspots;
    if let Ok(handle) = mesh.single()
        && let Some(mut m) = meshes.get_mut(&handle.0)
    {
        *m = mesh_from(buffers);
    }
    // Reuse text entities; change only what differs, so text is laid out again only when
    // its words change.
    let mut pool = texts.iter_mut();
    for item in &items {
        let p = draw::to_world(item.pos);
        let anchor = match item.align {
            Align::Left => Anchor::CENTER_LEFT,
            Align::Center => Anchor::CENTER,
            Align::Right => Anchor::CENTER_RIGHT,
        };
        let color = theme::color(item.color);
        let (want, hinting, scale) = text_scale.font(item.size);
        if let Some((_, mut text, mut font, mut tc, mut a, mut t, mut vis)) = pool.next() {
            if text.0 != item.text {
                text.0.clone_from(&item.text);
            }
            if font.font_size != want.font_size {
                font.font_size = want.font_size;
            }
            if tc.0 != color {
                tc.0 = color;
            }
            if *a != anchor {
                *a = anchor;
            }
            t.translation = Vec3::new(p[0], p[1], 1.0);
            t.scale = scale;
            if *vis != Visibility::Inherited {
                *vis = Visibility::Inherited;
            }
        } else {
            commands.spawn((
                Name::new("Ring text"),
                RingText,
                Text2d::new(item.text.clone()),
                want,
                hinting,
                TextColor(color),
                anchor,
                Transform::from_xyz(p[0], p[1], 1.0).with_scale(scale),
                RenderLayers::layer(RING_LAYER),
            ));
        }
    }
    for (_, _, _, _, _, _, mut vis) in pool {
        *vis = Visibility::Hidden;
    }
    let mut pool = pulses.iter_mut();
    for (pos, color) in &points {
        let p = draw::to_world(*pos);
        if let Some((_, mut pulse, mut t, mut vis)) = pool.next() {
            t.translation = Vec3::new(p[0], p[1], 1.5);
            pulse.0 = t.translation.x * 0.001;
            *vis = Visibility::Inherited;
        } else {
            commands.spawn((
                Name::new("Ring pulse"),
                RingPulse(p[0] * 0.001),
                Mesh2d(meshes.add(Circle::new(7.0))),
                MeshMaterial2d(materials.white.clone()),
                Transform::from_xyz(p[0], p[1], 1.5),
                RenderLayers::layer(RING_LAYER),
            ));
        }
        let _ = color;
    }
    for (_, _, _, mut vis) in pool {
        *vis = Visibility::Hidden;
    }
}

/// The calm motion of a wall that is never still: pulsing latest values, the alerts
/// marquee, and a slow light sweeping the headings.
fn idle_motion(
    time: Res<Time<Real>>,
    length: Option<Res<MarqueeLength>>,
    mut pulses: Query<(&RingPulse, &mut Transform), (Without<Marquee>, Without<Sweep>)>,
    mut marquee: Query<(&Marquee, &mut Transform), (Without<RingPulse>, Without<Sweep>)>,
    mut sweep: Query<&mut Transform, (With<Sweep>, Without<RingPulse>, Without<Marquee>)>,
) {
    let t = time.elapsed_secs_f64();
    for (p, mut tr) in &mut pulses {
        let s = 1.0 + 0.35 * ((t * 2.4 + p.0 as f64).sin() * 0.5 + 0.5);
        tr.scale = Vec3::splat(s as f32);
    }
    if let Some(len) = length {
        // Items run right to left and come round again, one after the other.
        let total = len.0 + CANVAS[0];
        for (m, mut tr) in &mut marquee {
            let x = (m.offset + CANVAS[0] - t * MARQUEE_SPEED).rem_euclid(total) - len.0;
            tr.translation.x = (x - CANVAS[0] * 0.5) as f32;
        }
    }
    for mut tr in &mut sweep {
        let period = 14.0;
        let x = (t / period).fract() * (CANVAS[0] + 1400.0) - 700.0;
        tr.translation.x = (x - CANVAS[0] * 0.5) as f32;
    }
}

/// Builds the hall view: the ring's texture on a cylinder seen from the hall's centre.
fn hall_mesh(
    yaw: Res<HallYaw>,
    view: Res<MainView>,
    window: Option<Single<&Window, With<PrimaryWindow>>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mesh: Query<&Mesh2d, With<HallMesh>>,
    mut last: Local<Option<(f64, [f32; 2])>>,
    ring: Res<RingState>,
) {
    if *view != MainView::Hall {
        return;
    }
    let Some(window) = window else {
        return;
    };
    let size = [window.width(), window.height()];
    if *last == Some((yaw.0, size)) {
        return;
    }
    *last = Some((yaw.0, size));
    let span = ring.layout.span_deg;
    let buffers = hall_geometry(yaw.0, span, size);
    if let Ok(handle) = mesh.single()
        && let Some(mut m) = meshes.get_mut(&handle.0)
    {
        *m = Mesh::new(
            PrimitiveTopology::TriangleList,
            RenderAssetUsages::RENDER_WORLD,
        )
        .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, buffers.0)
        .with_inserted_attribute(Mesh::ATTRIBUTE_UV_0, buffers.1)
        .with_inserted_indices(Indices::U32(buffers.2));
    }
}

/// How the hall view projects the ring's wall onto the window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HallLens {
    /// Focal length, window px.
    pub f: f64,
    /// Half the horizontal field of view, radians.
    pub half_fov: f64,
    /// The wall's top and bottom relative to the eye, in radii.
    pub top: f64,
    pub bottom: f64,
}

impl HallLens {
    pub fn new(span: f64, size: [f32; 2]) -> Self {
        let half_fov = (HALL_FOV_DEG * 0.5).to_radians();
        // The wall's height is fixed by the canvas: 301° of circumference over 7680 px is
        // 0.74 radius for 1080 px.
        let height = span.to_radians() * CANVAS[1] / CANVAS[0];
        // Wide enough for the field of view, small enough that the wall's middle fits the
        // window's height; the wall is centred vertically.
        let f = (size[0] as f64 * 0.5 / half_fov.tan()).min(size[1] as f64 * 0.8 / height);
        Self {
            f,
            half_fov: (size[0] as f64 * 0.5 / f).atan(),
            top: height * 0.5,
            bottom: -height * 0.5,
        }
    }

    /// The canvas point (px) seen at a window position (px, origin top-left), if the wall
    /// is there.
    pub fn canvas_at(
        &self,
        yaw: f64,
        span: f64,
        size: [f32; 2],
        screen: [f64; 2],
    ) -> Option<[f64; 2]> {
        let wx = screen[0] - size[0] as f64 * 0.5;
        let wy = size[1] as f64 * 0.5 - screen[1];
        let phi = (wx / self.f).atan();
        let u = (yaw + phi.to_degrees()) / span;
        let h = wy * phi.cos() / self.f;
        let v = (self.top - h) / (self.top - self.bottom);
        ((0.0..=1.0).contains(&u) && (0.0..=1.0).contains(&v))
            .then(|| [u * CANVAS[0], v * CANVAS[1]])
    }
}

/// Positions (window px, centre origin), texture coordinates and indices of the wall seen
/// from the centre looking at `yaw` degrees: a column at angle φ off the view axis lands at
/// x = f·tan φ and is 1/cos φ taller, as a cylinder's wall does.
pub fn hall_geometry(
    yaw: f64,
    span: f64,
    size: [f32; 2],
) -> (Vec<[f32; 3]>, Vec<[f32; 2]>, Vec<u32>) {
    let HallLens {
        f,
        half_fov,
        top,
        bottom,
    } = HallLens::new(span, size);
    let columns = 120;
    let mut pos = Vec::new();
    let mut uv = Vec::new();
    let mut idx = Vec::new();
    let mut prev: Option<u32> = None;
    for k in 0..=columns {
        let phi = -half_fov + 2.0 * half_fov * k as f64 / columns as f64;
        let angle = yaw + phi.to_degrees();
        let u = angle / span;
        if !(0.0..=1.0).contains(&u) {
            prev = None;
            continue;
        }
        let x = f * phi.tan();
        let scale = f / phi.cos();
        let base = pos.len() as u32;
        pos.push([x as f32, (top * scale) as f32, 0.0]);
        pos.push([x as f32, (bottom * scale) as f32, 0.0]);
        uv.push([u as f32, 0.0]);
        uv.push([u as f32, 1.0]);
        if let Some(p) = prev {
            idx.extend_from_slice(&[p, p + 1, base, base, p + 1, base + 1]);
        }
        prev = Some(base);
    }
    (pos, uv, idx)
}

/// Dragging in the hall view turns the view around the ring; tapping a ranking row on the
/// wall selects that region, as on the touchscreen's strip.
fn hall_drag(
    view: Res<MainView>,
    mut touches: MessageReader<bevy::input::touch::TouchInput>,
    mouse: Res<ButtonInput<MouseButton>>,
    mut motion: MessageReader<bevy::input::mouse::MouseMotion>,
    keys: Res<ButtonInput<KeyCode>>,
    time: Res<Time<Real>>,
    window: Option<Single<&Window, With<PrimaryWindow>>>,
    mut yaw: ResMut<HallYaw>,
    mut fingers: Local<Vec<(u64, Vec2, Vec2)>>,
    mut mouse_start: Local<Option<Vec2>>,
    ring: Res<RingState>,
    city: Res<City>,
    mut requests: MessageWriter<super::state::MapRequest>,
) {
    if *view != MainView::Hall {
        touches.clear();
        motion.clear();
        return;
    }
    let size = window
        .as_ref()
        .map_or([1920.0, 1080.0], |w| [w.width(), w.height()]);
    let cursor = window.as_ref().and_then(|w| w.cursor_position());
    let deg_per_px = HALL_FOV_DEG / size[0] as f64;
    let span = ring.layout.span_deg;
    let mut dx = 0.0;
    let mut taps: Vec<Vec2> = Vec::new();
    for t in touches.read() {
        use bevy::input::touch::TouchPhase;
        match t.phase {
            TouchPhase::Started => fingers.push((t.id, t.position, t.position)),
            TouchPhase::Moved => {
                if let Some(e) = fingers.iter_mut().find(|e| e.0 == t.id) {
                    dx += (t.position.x - e.2.x) as f64;
                    e.2 = t.position;
                }
            }
            TouchPhase::Ended | TouchPhase::Canceled => {
                if let Some(k) = fingers.iter().position(|e| e.0 == t.id) {
                    let (_, start, _) = fingers.swap_remove(k);
                    if t.phase == TouchPhase::Ended && start.distance(t.position) < 14.0 {
                        taps.push(t.position);
                    }
                }
            }
        }
    }
    if mouse.just_pressed(MouseButton::Left) {
        *mouse_start = cursor;
    }
    if mouse.pressed(MouseButton::Left) {
        for m in motion.read() {
            dx += m.delta.x as f64;
        }
    } else {
        motion.clear();
    }
    if mouse.just_released(MouseButton::Left)
        && let (Some(start), Some(end)) = (mouse_start.take(), cursor)
        && start.distance(end) < 14.0
    {
        taps.push(end);
    }
    let lens = HallLens::new(span, size);
    for tap in taps {
        let Some(c) = lens.canvas_at(yaw.0, span, size, [tap.x as f64, tap.y as f64]) else {
            continue;
        };
        if let Some((_, region)) = ring
            .hotspots
            .iter()
            .find(|(r, _)| c[0] >= r[0] && c[0] <= r[2] && c[1] >= r[1] && c[1] <= r[3])
        {
            requests.write(super::state::MapRequest::Focus(Focus::of_region(
                &city.0, *region,
            )));
        }
    }
    let keys_dx = if keys.pressed(KeyCode::ArrowLeft) {
        -1.0
    } else if keys.pressed(KeyCode::ArrowRight) {
        1.0
    } else {
        0.0
    };
    let next = (yaw.0 - dx * deg_per_px + keys_dx * 40.0 * time.delta_secs_f64()).clamp(0.0, span);
    if (next - yaw.0).abs() > 1e-9 {
        yaw.0 = next;
    }
}

/// Frames the canvas keeps rendering after its content changed (text is laid out a frame
/// after it is set).
const SETTLE_FRAMES: u32 = 3;

/// The ring's texture is drawn every frame only where it is the main picture (the hall
/// view). Under the map it is a thumbnail: it is drawn when the ring's values have settled
/// after a change, and then left alone — on a software renderer a texture pass costs a few
/// hundred milliseconds, and the LED wall has its own camera anyway.
fn throttle_canvas(
    view: Res<MainView>,
    ring: Res<RingState>,
    lang: Res<CurrentLang>,
    mut camera: Query<&mut Camera, With<CanvasCamera>>,
    mut frames_left: Local<u32>,
    mut was_animating: Local<bool>,
) {
    let animating = ring.animating();
    if (*was_animating && !animating) || lang.is_changed() || ring.is_added() || view.is_changed() {
        *frames_left = SETTLE_FRAMES;
    }
    *was_animating = animating;
    let active = *view == MainView::Hall || *frames_left > 0;
    *frames_left = frames_left.saturating_sub(1);
    for mut cam in &mut camera {
        if cam.is_active != active {
            cam.is_active = active;
        }
    }
}

/// The main window shows the map, the hall view or the ring itself.
fn switch_cameras(
    view: Res<MainView>,
    mut commands: Commands,
    mut alt: Query<(Entity, &mut Camera, &mut RenderLayers, &mut Projection), With<AltCamera>>,
    mut map: Query<
        (Entity, &mut Camera),
        (With<super::map::render::MapCamera>, Without<AltCamera>),
    >,
) {
    if !view.is_changed() {
        return;
    }
    let on_map = *view == MainView::Map;
    for (e, mut cam) in &mut map {
        cam.is_active = on_map;
        if on_map {
            commands.entity(e).insert(bevy::ui::IsDefaultUiCamera);
        } else {
            commands.entity(e).remove::<bevy::ui::IsDefaultUiCamera>();
        }
    }
    for (e, mut cam, mut layers, mut proj) in &mut alt {
        cam.is_active = !on_map;
        if on_map {
            commands.entity(e).remove::<bevy::ui::IsDefaultUiCamera>();
        } else {
            commands.entity(e).insert(bevy::ui::IsDefaultUiCamera);
        }
        match *view {
            MainView::Ring => {
                *layers = RenderLayers::layer(RING_LAYER);
                *proj = Projection::Orthographic(OrthographicProjection {
                    scaling_mode: ScalingMode::AutoMin {
                        min_width: CANVAS[0] as f32,
                        min_height: CANVAS[1] as f32,
                    },
                    ..OrthographicProjection::default_2d()
                });
            }
            _ => {
                *layers = RenderLayers::layer(HALL_LAYER);
                *proj = Projection::Orthographic(OrthographicProjection::default_2d());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hall_view_covers_the_screen_and_widens_at_the_edges() {
        let (pos, uv, idx) = hall_geometry(150.0, 301.0, [1920.0, 1080.0]);
        assert!(!idx.is_empty());
        assert!(idx.iter().all(|&i| (i as usize) < pos.len()));
        let xs: Vec<f32> = pos.iter().map(|p| p[0]).collect();
        assert!(xs.iter().cloned().fold(f32::MAX, f32::min) <= -959.0);
        assert!(xs.iter().cloned().fold(f32::MIN, f32::max) >= 959.0);
        // The wall is taller at the edge of the view than in its middle.
        let h = |i: usize| pos[2 * i][1] - pos[2 * i + 1][1];
        assert!(h(0) > h(pos.len() / 4));
        assert!(uv.iter().all(|t| (0.0..=1.0).contains(&t[0])));
        // A point on the wall maps back to the canvas where the texture puts it.
        let lens = HallLens::new(301.0, [1920.0, 1080.0]);
        let mid = lens.canvas_at(150.0, 301.0, [1920.0, 1080.0], [960.0, 540.0]);
        let mid = mid.expect("the wall is in front");
        assert!(
            (mid[0] - 150.0 / 301.0 * CANVAS[0]).abs() < 1e-6
                && (mid[1] - CANVAS[1] * 0.5).abs() < 1e-6
        );
        assert!(
            lens.canvas_at(150.0, 301.0, [1920.0, 1080.0], [960.0, 5.0])
                .is_none(),
            "above the wall"
        );
        // Looking at the gap behind the visitor shows nothing there.
        let (pos, _, _) = hall_geometry(-120.0, 301.0, [1920.0, 1080.0]);
        assert!(pos.is_empty());
    }
}
