//! The touchscreen's panels: title and breadcrumb, language toggle and demo badge, the
//! figures card, the legend, and the big buttons along the bottom. Rebuilt whenever what
//! they show changes; every panel takes its touches away from the map.

use bevy::picking::events::{Click, Pointer};
use bevy::prelude::*;

use super::AppSystems;
use super::map::logic::UiBlockers;
use super::map::render::CurrentLegend;
use super::ring::{RingCanvas, RingState};
use super::state::{
    City, CurrentLang, Focus, MainView, MapFigure, MapRequest, Settings, ShowAllBuildings,
};
use super::theme::{self, size};
use crate::palette;
use crate::scene::format::{self, Lang, Text as Words, text};
use crate::scene::layers::Figure;
use crate::snapshot::index::CityData;

/// The root of all panels (despawned and rebuilt on change).
#[derive(Component)]
struct UiRoot;

/// A panel that takes touches away from the map.
#[derive(Component)]
pub struct BlocksMap;

/// What a button asks for when tapped.
#[derive(Component, Clone, Copy)]
pub struct OnPress(pub MapRequest);

/// A button's resting color, to return to after a press.
#[derive(Component, Clone, Copy)]
pub(crate) struct ButtonLook(Color);

pub(crate) fn plugin(app: &mut App) {
    app.add_observer(press_button)
        .add_observer(tap_strip)
        .add_systems(
            Update,
            (
                rebuild_ui
                    .in_set(AppSystems::Rebuild)
                    .after(super::map::render::RebuildLayers)
                    .run_if(
                        resource_changed::<Focus>
                            .or_else(resource_changed::<City>)
                            .or_else(resource_changed::<CurrentLang>)
                            .or_else(resource_changed::<MapFigure>)
                            .or_else(resource_changed::<ShowAllBuildings>)
                            .or_else(resource_changed::<CurrentLegend>)
                            .or_else(resource_changed::<MainView>),
                    ),
                (fit_ui_scale, button_feedback, collect_blockers)
                    .chain()
                    .in_set(AppSystems::Input)
                    .before(super::map::logic::ReadPointers),
            ),
        );
}

fn press_button(
    click: On<Pointer<Click>>,
    buttons: Query<&OnPress>,
    mut requests: MessageWriter<MapRequest>,
) {
    if let Ok(p) = buttons.get(click.entity) {
        requests.write(p.0);
    }
}

fn button_feedback(
    mut q: Query<(&Interaction, &ButtonLook, &mut BackgroundColor), Changed<Interaction>>,
) {
    for (i, look, mut bg) in &mut q {
        bg.0 = match i {
            Interaction::Pressed => theme::color(palette::BUTTON_PRESSED),
            _ => look.0,
        };
    }
}

/// The UI scale for a window on the configured screen: panels are designed for 1920 × 1080
/// and scale with the window (a 4K wall gets twice the size), and never below the scale at
/// which the smallest button is 15 mm on the screen's glass.
pub fn ui_scale_for(width: f32, height: f32, screen: &crate::config::Screen) -> f32 {
    let fit = (width / 1920.0).min(height / 1080.0);
    let min_target = screen.min_target_px() as f32;
    fit.max(min_target / MIN_BUTTON).clamp(0.5, 6.0)
}

pub fn fit_ui_scale(
    window: Option<Single<&Window, With<bevy::window::PrimaryWindow>>>,
    config: Option<Res<super::kiosk::HallConfig>>,
    mut scale: ResMut<UiScale>,
) {
    let Some(window) = window else {
        return;
    };
    let screen = config.map(|c| c.0.screen).unwrap_or_default();
    let k = ui_scale_for(window.width(), window.height(), &screen);
    if (scale.0 - k).abs() > 1e-4 {
        scale.0 = k;
    }
}

/// Window pixels per physical pixel.
fn window_inverse_scale(
    window: &Option<Single<&Window, With<bevy::window::PrimaryWindow>>>,
) -> f32 {
    window.as_ref().map_or(1.0, |w| 1.0 / w.scale_factor())
}

fn collect_blockers(
    panels: Query<(&ComputedNode, &UiGlobalTransform, &InheritedVisibility), With<BlocksMap>>,
    window: Option<Single<&Window, With<bevy::window::PrimaryWindow>>>,
    mut blockers: ResMut<UiBlockers>,
) {
    blockers.0.clear();
    let inv = window_inverse_scale(&window);
    for (node, t, vis) in &panels {
        if !vis.get() {
            continue;
        }
        let c = t.translation * inv;
        let half = node.size() * inv * 0.5;
        blockers
            .0
            .push([c.x - half.x, c.y - half.y, c.x + half.x, c.y + half.y]);
    }
}

pub(crate) fn panel() -> (BackgroundColor, BorderColor, BlocksMap) {
    (
        BackgroundColor(theme::color(palette::PANEL.with_alpha(235))),
        BorderColor::all(theme::color(palette::PANEL_BORDER)),
        BlocksMap,
    )
}

pub(crate) fn label(s: impl Into<String>, font: f32, color: palette::Srgba) -> impl Bundle {
    (
        Text::new(s),
        TextFont::from_font_size(font),
        TextColor(theme::color(color)),
        Pickable::IGNORE,
    )
}

/// Smallest side of a touch button, UI px: 15 mm on a 55" full-HD panel is 24 px, on a 24"
/// one 54 px (see `config::Screen::min_target_px`; a test checks the range of screens).
pub const MIN_BUTTON: f32 = 64.0;

/// A big touch button that asks for a map request.
fn button(caption: impl Into<String>, active: bool, request: MapRequest) -> impl Bundle {
    button_for(caption, active, OnPress(request))
}

/// A big touch button carrying `action`, a component an observer acts on.
pub(crate) fn button_for(
    caption: impl Into<String>,
    active: bool,
    action: impl Component,
) -> impl Bundle {
    let base = theme::color(if active {
        palette::BUTTON_ACTIVE
    } else {
        palette::BUTTON
    });
    (
        Button,
        action,
        ButtonLook(base),
        BlocksMap,
        Node {
            min_height: px(MIN_BUTTON),
            min_width: px(MIN_BUTTON),
            padding: UiRect::axes(px(22), px(10)),
            justify_content: JustifyContent::Center,
            align_items: AlignItems::Center,
            border: UiRect::all(px(2)),
            border_radius: BorderRadius::all(px(10)),
            ..default()
        },
        BackgroundColor(base),
        BorderColor::all(theme::color(palette::PANEL_BORDER)),
        children![label(caption, size::BUTTON, palette::TEXT)],
    )
}

#[allow(clippy::too_many_arguments)]
fn rebuild_ui(
    mut commands: Commands,
    old: Query<Entity, With<UiRoot>>,
    city: Res<City>,
    focus: Res<Focus>,
    lang: Res<CurrentLang>,
    figure: Res<MapFigure>,
    all: Res<ShowAllBuildings>,
    legend: Res<CurrentLegend>,
    settings: Res<Settings>,
    view: Res<MainView>,
    canvas: Option<Res<RingCanvas>>,
    config: Option<Res<super::kiosk::HallConfig>>,
) {
    let reach = config.is_some_and(|c| c.0.reach_mode);
    for e in &old {
        commands.entity(e).despawn();
    }
    let city = &*city.0;
    let lang = lang.0;
    if *view == MainView::Ring {
        // The LED wall shows the ring alone.
        return;
    }
    let root = commands
        .spawn((
            Name::new("UI root"),
            UiRoot,
            Node {
                width: percent(100),
                height: percent(100),
                position_type: PositionType::Absolute,
                ..default()
            },
            Pickable::IGNORE,
        ))
        .id();
    let corner = commands.spawn(top_right(city, lang, *view, reach)).id();
    commands.entity(root).add_child(corner);
    if *view == MainView::Hall {
        let hint = commands.spawn(hall_hint(lang)).id();
        commands.entity(root).add_child(hint);
        return;
    }
    let top = commands.spawn(top_bar(city, *focus, lang, reach)).id();
    let card = commands
        .spawn(card(city, *focus, lang, settings.full_owner_names))
        .id();
    let bottom = commands
        .spawn(bottom_bar(city, *focus, lang, figure.0, all.0))
        .id();
    commands.entity(root).add_children(&[top, card, bottom]);
    // In reach mode the breadcrumb takes the strip's place, low on the screen.
    if let Some(canvas) = canvas.filter(|_| !reach) {
        let strip = commands.spawn(strip_preview(canvas.0.clone())).id();
        commands.entity(root).add_child(strip);
    }
    if let Some(l) = legend.0
        && focus.depth() <= 1
    {
        let legend = commands.spawn(legend_panel(city, lang, l)).id();
        commands.entity(root).add_child(legend);
    } else if focus.depth() >= 2 {
        let legend = commands.spawn(building_legend(lang)).id();
        commands.entity(root).add_child(legend);
    }
}

/// The legend's place: bottom right, under the card.
fn legend_box() -> Node {
    Node {
        position_type: PositionType::Absolute,
        right: px(24),
        bottom: px(24),
        width: px(420),
        flex_direction: FlexDirection::Column,
        padding: UiRect::all(px(16)),
        row_gap: px(8),
        border: UiRect::all(px(2)),
        border_radius: BorderRadius::all(px(14)),
        ..default()
    }
}

/// How buildings are colored: hue by use, lightness by height.
fn building_legend(lang: Lang) -> impl Bundle {
    let ramp = |residential: bool| {
        (
            Node {
                flex_direction: FlexDirection::Row,
                height: px(16),
                flex_grow: 1.0,
                ..default()
            },
            Pickable::IGNORE,
            Children::spawn(SpawnIter([1, 3, 6, 12, 24, 33].into_iter().map(
                move |floors| {
                    (
                        Node {
                            flex_grow: 1.0,
                            ..default()
                        },
                        BackgroundColor(theme::color(palette::building(residential, floors))),
                    )
                },
            ))),
        )
    };
    let row = |name: &'static str, residential: bool| {
        (
            Node {
                flex_direction: FlexDirection::Row,
                align_items: AlignItems::Center,
                column_gap: px(12),
                ..default()
            },
            Pickable::IGNORE,
            children![
                (
                    Node {
                        width: px(110),
                        ..default()
                    },
                    Pickable::IGNORE,
                    children![label(name, size::SMALL, palette::TEXT_MUTED)],
                ),
                ramp(residential),
            ],
        )
    };
    (
        Name::new("Building legend"),
        legend_box(),
        panel(),
        Children::spawn((
            Spawn(label(
                text(Words::Buildings, lang),
                size::BODY,
                palette::TEXT,
            )),
            Spawn(row(text(Words::Residential, lang), true)),
            Spawn(row(text(Words::OtherUse, lang), false)),
            Spawn((
                Node {
                    flex_direction: FlexDirection::Row,
                    justify_content: JustifyContent::SpaceBetween,
                    margin: UiRect::left(px(122)),
                    ..default()
                },
                Pickable::IGNORE,
                children![
                    label(
                        lang.pick("低层", "low-rise"),
                        size::SMALL,
                        palette::TEXT_MUTED
                    ),
                    label(
                        lang.pick("高层", "high-rise"),
                        size::SMALL,
                        palette::TEXT_MUTED
                    ),
                ],
            )),
        )),
    )
}

fn region_name(city: &CityData, r: usize, lang: Lang) -> String {
    city.snapshot
        .regions
        .get(r)
        .map(|x| lang.pick(&x.name, &x.name_en).to_string())
        .unwrap_or_default()
}

/// Where a panel sits: its usual place, or low on the screen in reach mode (every control
/// within a seated visitor's reach).
fn place(reach: bool, left: Option<f32>, right: Option<f32>, top: f32, reach_bottom: f32) -> Node {
    Node {
        position_type: PositionType::Absolute,
        left: left.map_or(Val::Auto, px),
        right: right.map_or(Val::Auto, px),
        top: if reach { Val::Auto } else { px(top) },
        bottom: if reach { px(reach_bottom) } else { Val::Auto },
        ..default()
    }
}

fn top_bar(city: &CityData, focus: Focus, lang: Lang, reach: bool) -> impl Bundle {
    let mut crumbs: Vec<(String, Focus)> = Vec::new();
    for r in city.index.ancestry(focus.region(city)) {
        crumbs.push((region_name(city, r, lang), Focus::of_region(city, r)));
    }
    if let Focus::Building(b) = focus
        && let Some(x) = city.snapshot.buildings.get(b)
    {
        let name = lang.pick(&x.name, &x.name_en);
        crumbs.push((
            if name.is_empty() {
                x.id.clone()
            } else {
                name.to_string()
            },
            focus,
        ));
    }
    let n = crumbs.len();
    let title = format!(
        "{} · {}",
        region_name(city, city.index.district, lang),
        text(Words::Title, lang)
    );
    (
        Name::new("Top bar"),
        Node {
            max_width: percent(70),
            flex_direction: FlexDirection::Column,
            row_gap: px(10),
            ..place(reach, Some(24.0), None, 18.0, 104.0)
        },
        Pickable::IGNORE,
        Children::spawn((
            Spawn((
                Node {
                    padding: UiRect::axes(px(16), px(6)),
                    border_radius: BorderRadius::all(px(10)),
                    align_self: AlignSelf::FlexStart,
                    ..default()
                },
                BackgroundColor(theme::color(palette::PANEL.with_alpha(220))),
                BlocksMap,
                children![label(title, size::TITLE, palette::TEXT)],
            )),
            Spawn((
                Node {
                    flex_direction: FlexDirection::Row,
                    flex_wrap: FlexWrap::Wrap,
                    align_items: AlignItems::Center,
                    column_gap: px(6),
                    row_gap: px(6),
                    ..default()
                },
                Pickable::IGNORE,
                Children::spawn(SpawnIter(crumbs.into_iter().enumerate().map(
                    move |(i, (name, f))| {
                        let caption = if i + 1 < n {
                            format!("{name}  ›")
                        } else {
                            name
                        };
                        button(caption, i + 1 == n, MapRequest::Focus(f))
                    },
                ))),
            )),
        )),
    )
}

fn top_right(city: &CityData, lang: Lang, view: MainView, reach: bool) -> impl Bundle {
    let demo = city.snapshot.demo;
    let (caption, next) = match view {
        MainView::Map => (lang.pick("环幕视角", "Ring view"), MainView::Hall),
        _ => (lang.pick("返回地图", "Map"), MainView::Map),
    };
    (
        Name::new("Language and badge"),
        Node {
            flex_direction: FlexDirection::Row,
            align_items: AlignItems::Center,
            column_gap: px(14),
            ..place(reach, None, Some(24.0), 18.0, 200.0)
        },
        Pickable::IGNORE,
        Children::spawn((
            Spawn((
                Node {
                    padding: UiRect::axes(px(16), px(8)),
                    border_radius: BorderRadius::all(px(8)),
                    display: if demo { Display::Flex } else { Display::None },
                    ..default()
                },
                BackgroundColor(theme::color(palette::DEMO_BADGE)),
                BlocksMap,
                children![label(
                    text(Words::DemoData, lang),
                    size::BODY,
                    palette::DEMO_BADGE_TEXT
                )],
            )),
            Spawn(button(caption, false, MapRequest::SetView(next))),
            Spawn(button(
                text(Words::LanguageToggle, lang),
                false,
                MapRequest::ToggleLang,
            )),
        )),
    )
}

fn card(city: &CityData, focus: Focus, lang: Lang, full_names: bool) -> impl Bundle {
    let mut rows: Vec<(String, String)> = Vec::new();
    let (title, subtitle);
    let unit = |zh: &'static str| if lang == Lang::Zh { zh } else { "" };
    if let Focus::Building(b) = focus
        && let Some(x) = city.snapshot.buildings.get(b)
    {
        let name = lang.pick(&x.name, &x.name_en);
        title = if name.is_empty() {
            x.id.clone()
        } else {
            name.to_string()
        };
        subtitle = format!("{} · {}", format::use_name(x.usage, lang), x.id);
        rows.push((
            text(Words::Floors, lang).into(),
            format!("{}{}", x.floors, unit(" 层")),
        ));
        rows.push((
            text(Words::FloorArea, lang).into(),
            format::area(x.floor_area_m2, lang),
        ));
        rows.push((
            text(Words::Residents, lang).into(),
            format!("{}{}", format::count(x.residents, lang), unit(" 人")),
        ));
        rows.push((
            text(Words::Households, lang).into(),
            format!("{}{}", format::count(x.households, lang), unit(" 户")),
        ));
        if let Some(y) = x.year_built {
            rows.push((
                text(Words::YearBuilt, lang).into(),
                format!("{y}{}", unit(" 年")),
            ));
        }
        if !x.owners.is_empty() {
            let shown: Vec<String> = x
                .owners
                .iter()
                .take(8)
                .map(|o| {
                    if full_names {
                        o.to_string()
                    } else {
                        format::mask_name(o)
                    }
                })
                .collect();
            let mut list = shown.join(lang.pick("、", ", "));
            if x.owners.len() > shown.len() {
                list.push_str(&match lang {
                    Lang::Zh => format!(" 等{}人", x.owners.len()),
                    Lang::En => format!(" and {} more", x.owners.len() - shown.len()),
                });
            }
            let head = if full_names {
                text(Words::Owners, lang).to_string()
            } else {
                format!(
                    "{}（{}）",
                    text(Words::Owners, lang),
                    text(Words::OwnersMasked, lang)
                )
            };
            rows.push((head, list));
        }
    } else {
        let r = focus.region(city);
        let region = &city.snapshot.regions[r];
        title = lang.pick(&region.name, &region.name_en).to_string();
        subtitle = format!(
            "{} · {} {}",
            format::level_name(region.level, lang),
            text(Words::Code, lang),
            region.id
        );
        let f = city.figures(r);
        rows.push((
            text(Words::ResidentialBuildings, lang).into(),
            format!(
                "{}{}",
                format::count(f.residential_buildings, lang),
                unit(" 栋")
            ),
        ));
        rows.push((
            text(Words::FloorArea, lang).into(),
            format::area(f.floor_area_m2, lang),
        ));
        rows.push((
            text(Words::Residents, lang).into(),
            format!("{}{}", format::count(f.residents, lang), unit(" 人")),
        ));
        rows.push((
            text(Words::Households, lang).into(),
            format!("{}{}", format::count(f.households, lang), unit(" 户")),
        ));
    }
    let owners_row = matches!(focus, Focus::Building(b) if city.snapshot.buildings.get(b).is_some_and(|x| !x.owners.is_empty()));
    let last_row = rows.len().saturating_sub(1);
    (
        Name::new("Card"),
        Node {
            position_type: PositionType::Absolute,
            right: px(24),
            top: px(110),
            width: px(420),
            flex_direction: FlexDirection::Column,
            padding: UiRect::all(px(24)),
            row_gap: px(14),
            border: UiRect::all(px(2)),
            border_radius: BorderRadius::all(px(14)),
            ..default()
        },
        panel(),
        Children::spawn((
            Spawn(label(title, size::HEADING, palette::TEXT)),
            Spawn(label(subtitle, size::SMALL, palette::ACCENT)),
            Spawn((
                Node {
                    height: px(2),
                    ..default()
                },
                BackgroundColor(theme::color(palette::PANEL_BORDER)),
            )),
            SpawnIter(rows.into_iter().enumerate().map(move |(i, (k, v))| {
                // The owners' list comes last and is long: body size, wrapping.
                let value_size = if owners_row && i == last_row {
                    size::BODY
                } else {
                    size::FIGURE
                };
                (
                    Node {
                        flex_direction: FlexDirection::Column,
                        row_gap: px(2),
                        ..default()
                    },
                    Pickable::IGNORE,
                    children![
                        label(k, size::SMALL, palette::TEXT_MUTED),
                        label(v, value_size, palette::TEXT),
                    ],
                )
            })),
        )),
    )
}

fn legend_value(city: &CityData, figure: Figure, v: f64, lang: Lang) -> String {
    match figure {
        Figure::FloorArea => format::area(v, lang),
        Figure::Metric(m) => {
            let unit = city
                .snapshot
                .metrics
                .get(m)
                .map(|x| lang.pick(&x.unit, &x.unit_en).to_string())
                .unwrap_or_default();
            let n = if v.fract().abs() < 1e-9 && v.abs() < 1e15 {
                format::count(v as i64, lang)
            } else {
                format!("{v:.1}")
            };
            format!("{n} {unit}").trim().to_string()
        }
        _ => format::count(v.round() as i64, lang),
    }
}

fn legend_panel(city: &CityData, lang: Lang, l: crate::scene::layers::Legend) -> impl Bundle {
    let name = l.figure.name(city, lang);
    let lo = legend_value(city, l.figure, l.min, lang);
    let hi = legend_value(city, l.figure, l.max, lang);
    (
        Name::new("Legend"),
        legend_box(),
        panel(),
        Children::spawn((
            Spawn(label(name, size::BODY, palette::TEXT)),
            Spawn((
                Node {
                    flex_direction: FlexDirection::Row,
                    height: px(18),
                    ..default()
                },
                Pickable::IGNORE,
                Children::spawn(SpawnIter(palette::RAMP.into_iter().map(|c| {
                    (
                        Node {
                            flex_grow: 1.0,
                            ..default()
                        },
                        BackgroundColor(theme::color(c)),
                    )
                }))),
            )),
            Spawn((
                Node {
                    flex_direction: FlexDirection::Row,
                    justify_content: JustifyContent::SpaceBetween,
                    ..default()
                },
                Pickable::IGNORE,
                children![
                    label(lo, size::SMALL, palette::TEXT_MUTED),
                    label(hi, size::SMALL, palette::TEXT_MUTED),
                ],
            )),
        )),
    )
}

fn bottom_bar(city: &CityData, focus: Focus, lang: Lang, figure: Figure, all: bool) -> impl Bundle {
    let mut buttons: Vec<(String, bool, MapRequest)> = Vec::new();
    if focus != Focus::District {
        buttons.push((
            format!("‹ {}", text(Words::Back, lang)),
            false,
            MapRequest::Back,
        ));
    }
    if focus.depth() <= 1 {
        for f in [
            Figure::Residents,
            Figure::ResidentialBuildings,
            Figure::FloorArea,
            Figure::Households,
        ] {
            buttons.push((f.name(city, lang), f == figure, MapRequest::SetFigure(f)));
        }
        let metrics = Figure::metric_choices(city);
        if !metrics.is_empty() {
            let current = metrics.iter().position(|m| *m == figure);
            let next = current.map_or(0, |i| (i + 1) % metrics.len());
            let caption = match current {
                Some(_) => format!("{} ›", figure.name(city, lang)),
                None => lang.pick("部门指标 ›", "Department data ›").to_string(),
            };
            buttons.push((
                caption,
                current.is_some(),
                MapRequest::SetFigure(metrics[next]),
            ));
        }
    }
    if focus == Focus::District {
        buttons.push((
            text(Words::AllBuildings, lang).into(),
            all,
            MapRequest::ToggleAllBuildings,
        ));
    }
    (
        Name::new("Bottom bar"),
        Node {
            position_type: PositionType::Absolute,
            left: px(24),
            bottom: px(24),
            max_width: percent(72),
            flex_direction: FlexDirection::Row,
            flex_wrap: FlexWrap::Wrap,
            column_gap: px(12),
            row_gap: px(12),
            ..default()
        },
        Pickable::IGNORE,
        Children::spawn(SpawnIter(
            buttons
                .into_iter()
                .map(|(caption, active, req)| button(caption, active, req)),
        )),
    )
}

/// Greatest height of the ring's strip preview on the touchscreen, logical px; it spans the
/// width left of the card in the ring's 7680 × 1080 proportions.
pub const STRIP_HEIGHT: f32 = 205.0;

/// Marks the strip preview, whose ranking rows can be tapped.
#[derive(Component)]
struct StripPreview;

fn strip_preview(image: Handle<Image>) -> impl Bundle {
    (
        Name::new("Ring strip preview"),
        StripPreview,
        BlocksMap,
        Node {
            position_type: PositionType::Absolute,
            left: px(24),
            right: px(468),
            bottom: px(104),
            max_height: px(STRIP_HEIGHT),
            aspect_ratio: Some(
                (crate::scene::ring::draw::CANVAS[0] / crate::scene::ring::draw::CANVAS[1]) as f32,
            ),
            border: UiRect::all(px(2)),
            ..default()
        },
        BorderColor::all(theme::color(palette::PANEL_BORDER)),
        ImageNode::new(image),
    )
}

/// A tap on a ranking row in the strip preview selects that region on the map.
fn tap_strip(
    click: On<Pointer<Click>>,
    strips: Query<(&ComputedNode, &UiGlobalTransform), With<StripPreview>>,
    window: Option<Single<&Window, With<bevy::window::PrimaryWindow>>>,
    ring: Res<RingState>,
    city: Res<City>,
    mut requests: MessageWriter<MapRequest>,
) {
    let Ok((node, transform)) = strips.get(click.entity) else {
        return;
    };
    let inv = window_inverse_scale(&window);
    let size = node.size() * inv;
    let center = transform.translation * inv;
    let p = click.pointer_location.position;
    let u = ((p.x - (center.x - size.x * 0.5)) / size.x) as f64;
    let v = ((p.y - (center.y - size.y * 0.5)) / size.y) as f64;
    let canvas = [
        u * crate::scene::ring::draw::CANVAS[0],
        v * crate::scene::ring::draw::CANVAS[1],
    ];
    if let Some((_, region)) = ring.hotspots.iter().find(|(r, _)| {
        canvas[0] >= r[0] && canvas[0] <= r[2] && canvas[1] >= r[1] && canvas[1] <= r[3]
    }) {
        requests.write(MapRequest::Focus(Focus::of_region(&city.0, *region)));
    }
}

fn hall_hint(lang: Lang) -> impl Bundle {
    (
        Name::new("Hall hint"),
        Node {
            position_type: PositionType::Absolute,
            bottom: px(28),
            left: percent(50),
            margin: UiRect::left(px(-200)),
            width: px(400),
            justify_content: JustifyContent::Center,
            padding: UiRect::axes(px(16), px(8)),
            border_radius: BorderRadius::all(px(10)),
            ..default()
        },
        BackgroundColor(theme::color(palette::PANEL.with_alpha(220))),
        Pickable::IGNORE,
        children![label(
            lang.pick("拖动画面环视全景", "Drag to look around the ring"),
            size::BODY,
            palette::TEXT
        )],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Screen;

    #[test]
    fn every_button_is_at_least_fifteen_millimetres() {
        for (w, h) in [(1920u32, 1080u32), (3840, 2160), (1280, 800), (2560, 1440)] {
            for diagonal in [10.0, 15.6, 21.5, 24.0, 32.0, 43.0, 55.0, 65.0, 86.0, 100.0] {
                let screen = Screen {
                    diagonal_in: diagonal,
                    width_px: w,
                    height_px: h,
                };
                let k = ui_scale_for(w as f32, h as f32, &screen);
                let button_px = MIN_BUTTON * k;
                let mm = button_px as f64 / screen.px_per_mm();
                assert!(
                    mm >= 15.0 - 1e-6,
                    "{diagonal}\" at {w}×{h}: buttons are {mm:.1} mm"
                );
            }
        }
    }
}
