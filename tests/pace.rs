//! Drawing on demand, headless: the exhibit asks for frames while something changes on
//! screen and for a few frames after, then rests.

mod common;

use std::time::{Duration, Instant};

use bevy::ecs::message::MessageCursor;
use bevy::prelude::*;
use bevy::window::RequestRedraw;
use citygrid::app::base::pace::SETTLE_FRAMES;
use citygrid::app::{Focus, MapRequest, MapView};

/// Where the test has read the exhibit's redraw requests up to.
#[derive(Resource, Default)]
struct Seen(MessageCursor<RequestRedraw>);

/// Runs one update and says whether it asked for another frame.
fn asks_for_a_frame(app: &mut App) -> bool {
    app.update();
    app.world_mut()
        .resource_scope(|world, mut seen: Mut<Seen>| {
            let messages = world.resource::<Messages<RequestRedraw>>();
            seen.0.read(messages).count()
        })
        > 0
}

#[test]
fn frames_are_asked_for_while_something_moves_then_it_rests() {
    let (mut app, city) = common::headless_app();
    app.init_resource::<Seen>();
    // After the start's own settling, nothing moves: no frame is asked for.
    for _ in 0..=SETTLE_FRAMES {
        asks_for_a_frame(&mut app);
    }
    for _ in 0..5 {
        assert!(!asks_for_a_frame(&mut app), "at rest it rests");
    }

    // A tap on a subdistrict: frames while the camera eases in…
    let street = city.index.children[city.index.district][0];
    app.world_mut()
        .write_message(MapRequest::Focus(Focus::Street(street)));
    assert!(
        asks_for_a_frame(&mut app),
        "the tap's frame asks for the next"
    );
    let start = Instant::now();
    while !app.world().resource::<MapView>().settled() {
        assert!(asks_for_a_frame(&mut app), "every frame of the transition");
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the transition ends"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    // …a few more for the text to settle, then none.
    let mut settling = 0;
    while asks_for_a_frame(&mut app) {
        settling += 1;
        assert!(settling <= SETTLE_FRAMES as usize + 1, "it comes to rest");
    }
    for _ in 0..5 {
        assert!(!asks_for_a_frame(&mut app), "and stays at rest");
    }

    // A change of language alone also draws a few frames.
    app.world_mut().write_message(MapRequest::ToggleLang);
    assert!(asks_for_a_frame(&mut app));
}
