//! Kiosk life, headless: idle → reset and attract tour → the first touch returns to the
//! district view without selecting anything.

mod common;

use bevy::input::touch::TouchPhase;
use bevy::prelude::*;
use citygrid::app::base::CurrentLang;
use citygrid::app::kiosk::Idle;
use citygrid::app::{Focus, KioskMode, MainView, MapRequest, MapView};
use citygrid::scene::format::Lang;

fn attract(app: &App) -> bool {
    *app.world().resource::<State<KioskMode>>().get() == KioskMode::Attract
}

#[test]
fn idle_resets_tours_and_the_first_touch_returns() {
    let (mut app, city) = common::headless_app();
    // A visitor leaves the exhibit in English on a subdistrict.
    let street = city.index.region_by_id["370203016"];
    app.world_mut()
        .write_message(MapRequest::Focus(Focus::Street(street)));
    app.world_mut().write_message(MapRequest::ToggleLang);
    app.update();
    assert_eq!(app.world().resource::<CurrentLang>().0, Lang::En);

    // Sixty seconds pass without a touch.
    app.world_mut().resource_mut::<Idle>().seconds = 61.0;
    app.update();
    app.update();
    assert!(attract(&app), "the attract mode starts");
    assert_eq!(
        *app.world().resource::<Focus>(),
        Focus::District,
        "selection reset"
    );
    assert_eq!(
        app.world().resource::<CurrentLang>().0,
        Lang::Zh,
        "language reset"
    );
    assert_eq!(
        *app.world().resource::<State<MainView>>().get(),
        MainView::Map
    );

    // The tour moves on to a subdistrict.
    app.world_mut().resource_mut::<Idle>().tour_clock = 100.0;
    app.update();
    app.update();
    assert!(
        matches!(*app.world().resource::<Focus>(), Focus::Street(_)),
        "the tour shows a subdistrict"
    );

    // A touch on the map: back to the district, and the touch selects nothing.
    let view = app.world().resource::<MapView>().view;
    let s = view.to_screen(city.index.region_shapes[street][0].label_point());
    let pos = Vec2::new(s[0] as f32, s[1] as f32);
    common::touch(&mut app, 9, TouchPhase::Started, pos);
    app.update();
    common::touch(&mut app, 9, TouchPhase::Ended, pos);
    app.update();
    assert!(!attract(&app), "the attract mode ends");
    assert_eq!(*app.world().resource::<Focus>(), Focus::District);
    assert!(app.world().resource::<Idle>().seconds < 1.0);

    // The next touch works as usual.
    let view = app.world().resource::<MapView>().view;
    let s = view.to_screen(city.index.region_shapes[street][0].label_point());
    let pos = Vec2::new(s[0] as f32, s[1] as f32);
    common::touch(&mut app, 10, TouchPhase::Started, pos);
    app.update();
    common::touch(&mut app, 10, TouchPhase::Ended, pos);
    app.update();
    assert_eq!(*app.world().resource::<Focus>(), Focus::Street(street));
}
