//! The exhibit's shared state: the city data, what the map is focused on, the language, the
//! visitor's choices, the hall's configuration, and the requests that change them.

use std::sync::Arc;

use bevy::prelude::*;

use super::modes::MainView;
use super::options::AppOptions;
use crate::scene::format::Lang;
use crate::scene::layers::{Depth, Figure, Overlays};
use crate::snapshot::Level;
use crate::snapshot::index::CityData;
use crate::snapshot::{StatusFilter, StoryStep};

/// The snapshot on show and its index.
#[derive(Resource, Clone)]
pub struct City(pub Arc<CityData>);

/// What the map is drilled into. Indices point into the snapshot's tables.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Focus {
    #[default]
    District,
    Street(usize),
    Community(usize),
    /// A grid (网格) of a community: an index into the snapshot's `grids`.
    Grid(usize),
    Building(usize),
}

impl Focus {
    /// The focus for a region of the given level.
    pub fn of_region(city: &CityData, region: usize) -> Focus {
        match city.snapshot.regions.get(region).map(|r| r.level) {
            Some(Level::Street) => Focus::Street(region),
            Some(Level::Community) => Focus::Community(region),
            _ => Focus::District,
        }
    }

    /// Looks up a region, grid or building id.
    pub fn from_id(city: &CityData, id: &str) -> Option<Focus> {
        if let Some(&r) = city.index.region_by_id.get(id) {
            return Some(Focus::of_region(city, r));
        }
        if let Some(&g) = city.index.governance.grid_by_id.get(id) {
            return Some(Focus::Grid(g));
        }
        city.index
            .building_by_id
            .get(id)
            .map(|&b| Focus::Building(b))
    }

    /// Where a case (an index into the snapshot's `cases`) is shown: its grid, or its
    /// community when it has none.
    pub fn of_case(city: &CityData, case: usize) -> Focus {
        let gi = &city.index.governance;
        let none = crate::snapshot::governance_index::NONE;
        match (gi.case_grid.get(case), gi.case_community.get(case)) {
            (Some(&g), _) if g != none => Focus::Grid(g as usize),
            (_, Some(&c)) if c != none => Focus::of_region(city, c as usize),
            _ => Focus::District,
        }
    }

    /// The grid a building lies in, when the snapshot names one.
    pub fn grid_of_building(city: &CityData, b: usize) -> Option<usize> {
        city.index
            .governance
            .building_grid
            .get(b)
            .filter(|&&g| g != crate::snapshot::governance_index::NONE)
            .map(|&g| g as usize)
    }

    /// The grid the focus is in: the focused grid, or a focused building's grid.
    pub fn grid(self, city: &CityData) -> Option<usize> {
        match self {
            Focus::Grid(g) => Some(g),
            Focus::Building(b) => Focus::grid_of_building(city, b),
            _ => None,
        }
    }

    /// The region whose figures the card shows (the building's community for a building).
    pub fn region(self, city: &CityData) -> usize {
        match self {
            Focus::District => city.index.district,
            Focus::Street(r) | Focus::Community(r) => r,
            Focus::Grid(g) => city
                .index
                .governance
                .grid_community
                .get(g)
                .filter(|&&c| (c as usize) < city.snapshot.regions.len())
                .map_or(city.index.district, |&c| c as usize),
            Focus::Building(b) => city
                .index
                .community_of
                .get(b)
                .copied()
                .unwrap_or(city.index.district),
        }
    }

    /// One level up.
    pub fn up(self, city: &CityData) -> Focus {
        match self {
            Focus::District => Focus::District,
            Focus::Building(b) => match Focus::grid_of_building(city, b) {
                Some(g) => Focus::Grid(g),
                None => Focus::Community(self.region(city)),
            },
            Focus::Grid(_) => Focus::Community(self.region(city)),
            Focus::Street(_) | Focus::Community(_) => {
                let r = self.region(city);
                match city.index.parent.get(r).copied().flatten() {
                    Some(p) => Focus::of_region(city, p),
                    None => Focus::District,
                }
            }
        }
    }

    /// The id of what is focused.
    pub fn id(self, city: &CityData) -> &str {
        match self {
            Focus::Building(b) => city.snapshot.buildings.get(b).map_or("", |x| x.id.as_str()),
            Focus::Grid(g) => city.snapshot.grids.get(g).map_or("", |x| x.id.as_str()),
            _ => city
                .snapshot
                .regions
                .get(self.region(city))
                .map_or("", |x| x.id.as_str()),
        }
    }

    /// What the map draws for this focus.
    pub fn layer_depth(self, city: &CityData) -> Depth {
        match self {
            Focus::District => Depth::District,
            Focus::Street(r) => Depth::Street(r),
            Focus::Community(c) => Depth::Community(c, None),
            Focus::Grid(g) => Depth::Grid(self.region(city), g, None),
            Focus::Building(b) => match Focus::grid_of_building(city, b) {
                Some(g) => Depth::Grid(self.region(city), g, Some(b)),
                None => Depth::Community(self.region(city), Some(b)),
            },
        }
    }

    /// The drill depth: district 0, subdistrict 1, community 2, grid 3, building 4.
    pub fn depth(self) -> u8 {
        match self {
            Focus::District => 0,
            Focus::Street(_) => 1,
            Focus::Community(_) => 2,
            Focus::Grid(_) => 3,
            Focus::Building(_) => 4,
        }
    }
}

/// The current language.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CurrentLang(pub Lang);

/// The figure the map colors its regions by.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MapFigure(pub Figure);

/// The case (事件) whose card is open, if any: an index into the snapshot's `cases`. Set by
/// a tap on a case's dot, cleared when the focus moves or by Back.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SelectedCase(pub Option<usize>);

/// Which governance layers the map draws and which cases it keeps (the layer panel's
/// choices, or a story step's filter while a story plays).
#[derive(Resource, Debug, Clone, PartialEq, Eq, Default)]
pub struct MapOverlays(pub Overlays);

/// The story on show, if any.
#[derive(Resource, Debug, Clone, PartialEq, Default)]
pub struct StoryPlay(pub Option<Playing>);

/// A story being played.
#[derive(Debug, Clone, PartialEq)]
pub struct Playing {
    /// Index into the snapshot's stories.
    pub story: usize,
    /// Index into its steps.
    pub step: usize,
    /// Steps advance by themselves after their `duration_s` (the attract mode plays it);
    /// else they wait for a touch.
    pub auto: bool,
    /// The visitor's layers and filters before the story, put back at its end.
    pub saved: Overlays,
    /// Counts requests to show the current step again (after the visitor moved the map).
    pub visit: u32,
}

impl Playing {
    /// The step on show, when the snapshot has it.
    pub fn step_of<'a>(&self, s: &'a crate::snapshot::Snapshot) -> Option<&'a StoryStep> {
        s.stories
            .get(self.story)
            .and_then(|x| x.steps.get(self.step))
    }
}

impl StoryPlay {
    /// Whether a story waits for touches (a visitor's or docent's, not the attract mode's).
    pub fn led_by_hand(&self) -> bool {
        self.0.as_ref().is_some_and(|p| !p.auto)
    }

    /// Ends the story on show; gives back the visitor's layers and filters to restore.
    pub fn end(&mut self) -> Option<Overlays> {
        self.0.take().map(|p| p.saved)
    }
}

/// Departments (indices into the snapshot's departments) the ring brings forward: a story
/// step's. Empty: none.
#[derive(Resource, Debug, Clone, PartialEq, Eq, Default)]
pub struct RingForward(pub Vec<usize>);

/// Which of the bottom bar's choosers is open above it, if any.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Chooser {
    /// None is open.
    #[default]
    None,
    /// The layers and case filters.
    Layers,
    /// The list of stories.
    Stories,
}

/// A governance layer the layer panel switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Overlay {
    /// Cases (事件): clusters at the district and subdistricts, dots below.
    Cases,
    /// Service stations, social organizations' venues, party-member service points.
    Places,
    /// Grid (网格) outlines and names.
    Grids,
}

/// Whether the district view shows every building at once.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ShowAllBuildings(pub bool);

/// Whether the map is seen in 3D (tilted, regions raised by their figure): a visitor's
/// choice, put back to flat by the idle reset.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Map3d(pub bool);

/// The 3D map's storey height, metres (the configuration's `storey_m`, 3 m by default): a
/// building stands its floors times this.
#[derive(Resource, Debug, Clone, Copy, PartialEq)]
pub struct StoreyHeight(pub f64);

impl Default for StoreyHeight {
    fn default() -> Self {
        Self(crate::scene::extrude::STOREY_M)
    }
}

/// The floor picked in the 3D map's floor stack (1 = the ground floor), if any: cleared
/// when the focus moves.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SelectedFloor(pub Option<i64>);

/// Choices made by the hall's staff, not by visitors.
#[derive(Resource, Debug, Clone, Default)]
pub struct Settings {
    /// Show owner names in full instead of masked.
    pub full_owner_names: bool,
    /// Where the snapshot came from.
    pub origin: String,
}

/// Angular span of the ring screen, degrees.
#[derive(Resource, Debug, Clone, Copy, PartialEq)]
pub struct RingSpan(pub f64);

/// The hall's configuration, as loaded at start (`citygrid --config`, docs/configuration.md).
#[derive(Resource, Debug, Clone)]
pub struct HallConfig(pub crate::config::Config);

/// The data directory the store and the log live in (absent: nothing is written).
#[derive(Resource, Debug, Clone)]
pub struct DataDir(pub std::path::PathBuf);

/// Takes a finger (its touch id) or the mouse ([`super::map_view::MOUSE_ID`]) away from the
/// map until it lifts: the touch that wakes the exhibit from its attract mode selects
/// nothing. Written before [`super::sets::ReadPointers`], read by the map in the same frame.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct IgnorePointer(pub u64);

/// This process's place in a hall of several (`app::hall`): the leader it follows while
/// it hears it, whether that leader shows other data, and whether it mirrors the leader's
/// attract tour (its own tour then waits). Changes only when one of these does.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq)]
pub struct HallLink {
    /// The leader's address, while it is heard.
    pub leader: Option<std::net::SocketAddr>,
    /// Which data the leader shows (its export time and a digest) where it differs from
    /// this one's: then only language and view follow, and this process keeps its own.
    pub other_data: Option<String>,
    /// The leader is in its attract mode and this process shows what it shows.
    pub mirroring_attract: bool,
}

impl HallLink {
    /// A line for the curator's panel while a leader is followed.
    pub fn describe(&self) -> Option<String> {
        let leader = self.leader?;
        Some(match &self.other_data {
            None => format!("跟随 / Following {leader} (same data)"),
            Some(theirs) => format!(
                "跟随 / Following {leader}: it shows other data (exported {theirs}); this \
                 screen keeps its own and follows language and view only"
            ),
        })
    }
}

/// A command arrived from the hall's show control (OSC), for the idle clock and the attract
/// mode (which the kiosk keeps): written in [`super::sets::RemoteCommands`].
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoteInput {
    /// A command for the map (focus, language, story…): counts as a touch — the idle clock
    /// restarts, so the exhibit does not reset under a docent leading it from a tablet, and
    /// the attract tour ends (without moving the map: the command says where it goes).
    Command,
    /// The attract tour on (the reset for the next visitor, then the tour, as after the
    /// idle timeout) or off (back to explore, at the district).
    Attract(bool),
    /// The screens on (waking into the attract mode) or black, until the opening hours'
    /// next change (`/citygrid/screens`).
    Screens(bool),
    /// Back to the opening hours: a command to the screens no longer holds (a follower
    /// that lost its leader).
    ScreensByHours,
}

/// A request to change what the map shows; written by touch, buttons, keys and automation.
#[derive(Message, Debug, Clone, Copy, PartialEq)]
pub enum MapRequest {
    Focus(Focus),
    /// Opens a case's card (an index into the snapshot's `cases`); the focus stays.
    SelectCase(usize),
    Back,
    ToggleLang,
    SetFigure(Figure),
    ToggleAllBuildings,
    /// The map flat or in 3D (the camera tilts in [`crate::app::base::map_view::TILT_SECONDS`]).
    Toggle3d,
    /// The 3D map turns back to north up (the compass).
    NorthUp,
    /// Picks a floor of the focused building in its floor stack (1 = the ground floor).
    SelectFloor(i64),
    /// Picks the floor above (+1) or below (−1) the picked one in the floor stack.
    StepFloor(i8),
    SetView(MainView),
    CycleView,
    /// Opens a chooser above the bottom bar, or closes it when it is open.
    ToggleChooser(Chooser),
    /// Switches a governance layer on or off.
    ToggleOverlay(Overlay),
    /// Keeps the cases of a status.
    SetStatus(StatusFilter),
    /// Adds a department (an index into the snapshot's departments) to the case filter or
    /// takes it out.
    ToggleDepartment(u32),
    /// Keeps every department's cases.
    AllDepartments,
    /// Starts a story (an index into the snapshot's stories) at its first step.
    StartStory(usize),
    /// The story's next step (+1), the one before (−1), or the current one again (0).
    StoryStep(i8),
    /// Ends the story: the map keeps its place, the visitor's filters come back.
    EndStory,
}

/// What a step's focus asks of the map: a region, grid or building is focused; a case
/// focuses its grid (or community) and opens its card. Nothing for an id the snapshot lacks
/// (the validator refuses such stories already).
pub fn step_requests(city: &CityData, focus: &crate::snapshot::Focus) -> Vec<MapRequest> {
    use crate::snapshot::Focus as StepFocus;
    match focus {
        StepFocus::Case(id) => match city.index.governance.case_by_id.get(id) {
            Some(&c) => vec![
                MapRequest::Focus(Focus::of_case(city, c)),
                MapRequest::SelectCase(c),
            ],
            None => Vec::new(),
        },
        other => Focus::from_id(city, other.id())
            .map(MapRequest::Focus)
            .into_iter()
            .collect(),
    }
}

/// Inserts the shared state for `options`: the snapshot, the focus it starts on, language,
/// settings, the hall's configuration and the modes.
pub fn insert(app: &mut App, options: &AppOptions) {
    let city = &options.city;
    let case = options
        .focus
        .as_deref()
        .and_then(|id| city.index.governance.case_by_id.get(id).copied());
    // A case id focuses the case's grid (or community) with its card open.
    let focus = match case {
        Some(c) => Focus::of_case(city, c),
        None => options
            .focus
            .as_deref()
            .and_then(|id| Focus::from_id(city, id))
            .unwrap_or_default(),
    };
    let floor = match focus {
        Focus::Building(b) => options.floor.and_then(|f| {
            city.snapshot
                .buildings
                .get(b)
                .map(|x| f.clamp(1, x.floors.max(1)))
        }),
        _ => None,
    };
    if let (Some(f), None) = (options.floor, floor) {
        warn!("--floor {f}: the focus is not a building, so there is no floor stack to pick in");
    }
    app.insert_resource(City(options.city.clone()))
        .insert_resource(focus)
        .insert_resource(SelectedCase(case))
        .insert_resource(CurrentLang(options.lang))
        .insert_resource(MapFigure::default())
        .insert_resource(MapOverlays(Overlays {
            cases: options.cases_shown,
            ..Overlays::default()
        }))
        .init_resource::<Chooser>()
        .init_resource::<RingForward>()
        .init_resource::<StoryPlay>()
        .insert_resource(ShowAllBuildings(options.show_all_buildings))
        .insert_resource(Map3d(options.map_3d))
        .insert_resource(SelectedFloor(floor))
        .insert_resource(StoreyHeight(options.config.storey_m))
        .insert_resource(RingSpan(options.ring_span_deg))
        .insert_resource(Settings {
            full_owner_names: options.full_owner_names,
            origin: options.origin.clone(),
        })
        .insert_resource(HallConfig(options.config.clone()))
        .add_message::<MapRequest>()
        .add_message::<IgnorePointer>()
        .add_message::<RemoteInput>();
    app.init_resource::<HallLink>();
    if let Some(dir) = &options.data_dir {
        app.insert_resource(DataDir(dir.clone()));
    }
    super::modes::insert(app, options.view);
}
