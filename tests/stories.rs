//! Stories and the case filters, headless: a story played through by touch (each step
//! moves the map, filters the cases, brings departments forward), ended with the visitor's
//! filters back; the attract mode plays it between tours; the filters' requests.

mod common;

use bevy::input::touch::TouchPhase;
use bevy::prelude::*;
use citygrid::app::base::{Chooser, MapOverlays, Overlay, RingForward, StoryPlay};
use citygrid::app::kiosk::Idle;
use citygrid::app::stories::StepClock;
use citygrid::app::{Focus, KioskMode, MapRequest, SelectedCase};
use citygrid::scene::layers::Overlays;
use citygrid::snapshot::index::CityData;
use citygrid::snapshot::{Focus as StepFocus, StatusFilter};

fn request(app: &mut App, r: MapRequest) {
    app.world_mut().write_message(r);
    app.update();
    app.update();
}

fn step(app: &App) -> Option<usize> {
    app.world()
        .resource::<StoryPlay>()
        .0
        .as_ref()
        .map(|p| p.step)
}

/// What the map should show for a step's focus.
fn expected_focus(city: &CityData, f: &StepFocus) -> (Focus, Option<usize>) {
    match f {
        StepFocus::Case(id) => {
            let c = city.index.governance.case_by_id[id];
            (Focus::of_case(city, c), Some(c))
        }
        other => (
            Focus::from_id(city, other.id()).expect("step focus exists"),
            None,
        ),
    }
}

/// Checks that the map, the filter and the ring show step `i` of the demo's story.
fn shows_step(app: &App, city: &CityData, i: usize) {
    let story = &city.snapshot.stories[0];
    let s = &story.steps[i];
    assert_eq!(step(app), Some(i));
    let (focus, case) = expected_focus(city, &s.focus);
    assert_eq!(*app.world().resource::<Focus>(), focus, "step {i}'s focus");
    assert_eq!(
        app.world().resource::<SelectedCase>().0,
        case,
        "step {i}'s case"
    );
    let want = match &s.filter {
        Some(f) => Overlays::of_filter(city, f),
        None => Overlays::default(),
    };
    assert_eq!(
        app.world().resource::<MapOverlays>().0,
        want,
        "step {i}'s filter"
    );
    let forward = &app.world().resource::<RingForward>().0;
    assert_eq!(forward.len(), s.departments.len(), "step {i}'s departments");
    for d in forward {
        assert!(s.departments.contains(&city.snapshot.departments[*d].id));
    }
}

#[test]
fn a_story_plays_through_by_touch_and_gives_the_visitor_back_their_filters() {
    let (mut app, city) = common::headless_app();
    let story = &city.snapshot.stories[0];
    assert!(story.steps.len() >= 5, "the demo's story has its steps");
    // The visitor had switched the places off and kept one department's cases.
    request(&mut app, MapRequest::ToggleOverlay(Overlay::Places));
    request(&mut app, MapRequest::ToggleDepartment(1));
    let theirs = app.world().resource::<MapOverlays>().0.clone();
    assert!(!theirs.places && theirs.departments == vec![1]);

    request(&mut app, MapRequest::ToggleChooser(Chooser::Stories));
    assert_eq!(*app.world().resource::<Chooser>(), Chooser::Stories);
    request(&mut app, MapRequest::StartStory(0));
    assert_eq!(
        *app.world().resource::<Chooser>(),
        Chooser::None,
        "the list closes"
    );
    shows_step(&app, &city, 0);
    // A story started by hand waits for the next touch.
    app.world_mut().resource_mut::<StepClock>().0 = 1e6;
    app.update();
    shows_step(&app, &city, 0);

    // The visitor wanders off on the map; "back to the step" brings the step's place back.
    request(&mut app, MapRequest::StoryStep(1));
    shows_step(&app, &city, 1);
    request(&mut app, MapRequest::Back);
    assert_ne!(
        *app.world().resource::<Focus>(),
        expected_focus(&city, &story.steps[1].focus).0
    );
    request(&mut app, MapRequest::StoryStep(0));
    shows_step(&app, &city, 1);
    request(&mut app, MapRequest::StoryStep(-1));
    shows_step(&app, &city, 0);

    let mut saw_case = false;
    for i in 1..story.steps.len() {
        request(&mut app, MapRequest::StoryStep(1));
        shows_step(&app, &city, i);
        saw_case |= app.world().resource::<SelectedCase>().0.is_some();
    }
    assert!(saw_case, "one step opens a case's card");
    // Back one step and forward again.
    let last = story.steps.len() - 1;
    request(&mut app, MapRequest::StoryStep(-1));
    shows_step(&app, &city, last - 1);
    request(&mut app, MapRequest::StoryStep(1));
    shows_step(&app, &city, last);
    // "Done" on the last step ends it: the visitor's filters come back, the ring lets go,
    // the map stays where the story left it.
    let left_at = *app.world().resource::<Focus>();
    request(&mut app, MapRequest::StoryStep(1));
    assert_eq!(step(&app), None);
    assert_eq!(app.world().resource::<MapOverlays>().0, theirs);
    assert!(app.world().resource::<RingForward>().0.is_empty());
    assert_eq!(*app.world().resource::<Focus>(), left_at);

    // Ended half-way by "end story".
    request(&mut app, MapRequest::StartStory(0));
    request(&mut app, MapRequest::StoryStep(1));
    shows_step(&app, &city, 1);
    request(&mut app, MapRequest::EndStory);
    assert_eq!(step(&app), None);
    assert_eq!(app.world().resource::<MapOverlays>().0, theirs);
}

#[test]
fn the_attract_mode_plays_the_story_after_its_tour_and_a_touch_ends_it() {
    let (mut app, city) = common::headless_app();
    app.world_mut().resource_mut::<Idle>().seconds = 1e4;
    app.update();
    app.update();
    assert_eq!(
        *app.world().resource::<State<KioskMode>>().get(),
        KioskMode::Attract
    );
    // The tour: every subdistrict, the district, then the story.
    let stops = city.index.children[city.index.district].len() + 1;
    for _ in 0..stops {
        assert_eq!(step(&app), None, "the tour comes first");
        app.world_mut().resource_mut::<Idle>().tour_clock = 100.0;
        app.update();
    }
    app.world_mut().resource_mut::<Idle>().tour_clock = 100.0;
    app.update();
    app.update();
    shows_step(&app, &city, 0);
    assert!(!app.world().resource::<StoryPlay>().led_by_hand());
    // Its steps advance by themselves after their time.
    app.world_mut().resource_mut::<StepClock>().0 = 1e6;
    app.update();
    app.update();
    shows_step(&app, &city, 1);

    // A touch ends the attract mode and its story.
    let pos = Vec2::new(960.0, 500.0);
    common::touch(&mut app, 3, TouchPhase::Started, pos);
    app.update();
    common::touch(&mut app, 3, TouchPhase::Ended, pos);
    app.update();
    app.update();
    assert_eq!(step(&app), None);
    assert_eq!(app.world().resource::<MapOverlays>().0, Overlays::default());
    assert_eq!(*app.world().resource::<Focus>(), Focus::District);
}

#[test]
fn the_case_filters_follow_their_buttons_and_the_reset_clears_them() {
    let (mut app, _city) = common::headless_app();
    request(&mut app, MapRequest::ToggleChooser(Chooser::Layers));
    assert_eq!(*app.world().resource::<Chooser>(), Chooser::Layers);
    request(&mut app, MapRequest::SetStatus(StatusFilter::Overdue));
    request(&mut app, MapRequest::ToggleDepartment(2));
    request(&mut app, MapRequest::ToggleDepartment(0));
    request(&mut app, MapRequest::ToggleDepartment(u32::MAX));
    request(&mut app, MapRequest::ToggleOverlay(Overlay::Grids));
    let o = app.world().resource::<MapOverlays>().0.clone();
    assert_eq!(o.status, StatusFilter::Overdue);
    assert_eq!(
        o.departments,
        vec![0, 2],
        "an unknown department is ignored"
    );
    assert!(!o.grids && o.cases && o.places);
    request(&mut app, MapRequest::AllDepartments);
    assert!(
        app.world()
            .resource::<MapOverlays>()
            .0
            .departments
            .is_empty()
    );
    request(&mut app, MapRequest::ToggleChooser(Chooser::Layers));
    assert_eq!(*app.world().resource::<Chooser>(), Chooser::None);
    // The idle reset puts the hall's defaults back.
    request(&mut app, MapRequest::ToggleChooser(Chooser::Layers));
    app.world_mut().resource_mut::<Idle>().seconds = 1e4;
    app.update();
    app.update();
    assert_eq!(app.world().resource::<MapOverlays>().0, Overlays::default());
    assert_eq!(*app.world().resource::<Chooser>(), Chooser::None);
}
