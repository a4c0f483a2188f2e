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

#[test]
fn the_attract_tour_may_show_the_city_in_3d_turning_at_each_stop() {
    use citygrid::app::Map3d;
    use citygrid::app::base::HallConfig;
    let (mut app, _city) = common::headless_app();
    // Default: a visitor's 3D is put back to flat by the reset.
    app.world_mut().write_message(MapRequest::Toggle3d);
    app.update();
    app.world_mut().resource_mut::<Idle>().seconds = 61.0;
    app.update();
    app.update();
    assert!(attract(&app));
    assert!(!app.world().resource::<Map3d>().0, "the tour is flat");

    // `attract_3d: true`: the tour tilts into 3D, north up whatever the last visitor left,
    // and turns 20° at each stop.
    let (mut app, _city) = common::headless_app();
    app.world_mut().resource_mut::<HallConfig>().0.attract_3d = true;
    app.world_mut().write_message(MapRequest::Toggle3d);
    common::settle(&mut app);
    {
        let mut map = app.world_mut().resource_mut::<MapView>();
        map.target.heading = 1.0;
        map.view.heading = 1.0;
    }
    app.world_mut().resource_mut::<Idle>().seconds = 61.0;
    app.update();
    app.update();
    assert!(attract(&app));
    assert!(app.world().resource::<Map3d>().0, "the tour is in 3D");
    common::settle(&mut app);
    let before = app.world().resource::<MapView>().view.heading;
    assert!(before.abs() < 1e-9, "the tour starts north up: {before}");
    app.world_mut().resource_mut::<Idle>().tour_clock = 100.0;
    app.update();
    common::settle(&mut app);
    let v = app.world().resource::<MapView>().view;
    assert!(v.tilt > 0.0);
    let turned = (v.heading - before).to_degrees();
    assert!((turned - 20.0).abs() < 1e-6, "turned {turned}°");

    // A visitor's touch ends the tour on the flat map.
    common::touch(&mut app, 7, TouchPhase::Started, Vec2::new(900.0, 500.0));
    common::touch(&mut app, 7, TouchPhase::Ended, Vec2::new(900.0, 500.0));
    app.update();
    common::settle(&mut app);
    assert!(!attract(&app));
    assert!(!app.world().resource::<Map3d>().0, "a visitor starts flat");
    let v = app.world().resource::<MapView>().view;
    assert_eq!((v.tilt, v.heading), (0.0, 0.0));
}
