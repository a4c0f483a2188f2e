//! The ring follows the map: selecting a region refocuses every widget that has values for
//! it, the numbers ease to their new values, and going back restores the district.

mod common;

use std::time::Duration;

use bevy::prelude::*;
use citygrid::app::ring::RingState;
use citygrid::app::{Focus, MapRequest};
use citygrid::scene::ring::data::Content;
use citygrid::scene::ring::draw::primary_value;

fn settle(app: &mut App) {
    for _ in 0..300 {
        app.update();
        if !app.world().resource::<RingState>().animating() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the ring never settled");
}

#[test]
fn selection_refocuses_the_ring_and_back_restores_it() {
    let (mut app, city) = common::headless_app();
    settle(&mut app);
    let district = city.index.district;
    let before: Vec<f64> = {
        let ring = app.world().resource::<RingState>();
        assert_eq!(ring.region, district);
        ring.anims.iter().map(|a| a.shown).collect()
    };

    let street = city.index.region_by_id["370203005"];
    app.world_mut()
        .write_message(MapRequest::Focus(Focus::Street(street)));
    app.update();
    {
        let ring = app.world().resource::<RingState>();
        assert_eq!(ring.region, street, "the ring follows in the same frame");
        assert!(ring.animating(), "and eases to the new values");
        let exact = ring
            .widgets
            .iter()
            .filter(|w| w.exact && w.scope.region == street)
            .count();
        assert!(
            exact >= ring.widgets.len() * 3 / 4,
            "{exact} of {} widgets show the subdistrict",
            ring.widgets.len()
        );
    }
    settle(&mut app);
    {
        let ring = app.world().resource::<RingState>();
        let mut changed = 0;
        for ((w, a), b) in ring.widgets.iter().zip(&ring.anims).zip(&before) {
            assert!(
                (a.shown - primary_value(w)).abs() < 1e-9,
                "eased to the data"
            );
            assert!((a.reveal - 1.0).abs() < 1e-9);
            if (a.shown - b).abs() > 1e-9 {
                changed += 1;
            }
        }
        assert!(
            changed > ring.widgets.len() / 2,
            "only {changed} values changed"
        );
        // Rankings list the subdistrict's communities.
        let ranking = ring.widgets.iter().find_map(|w| match &w.content {
            Content::Ranking { entries, .. } => Some(entries.clone()),
            _ => None,
        });
        let entries = ranking.expect("a ranking widget");
        assert!(
            entries
                .iter()
                .all(|(n, _)| city.index.parent[n.region] == Some(street))
        );
    }

    app.world_mut().write_message(MapRequest::Back);
    settle(&mut app);
    let ring = app.world().resource::<RingState>();
    assert_eq!(ring.region, district);
    let after: Vec<f64> = ring.anims.iter().map(|a| a.shown).collect();
    assert_eq!(after, before, "going back restores the district's values");
}

#[test]
fn a_building_focus_shows_its_community() {
    let (mut app, city) = common::headless_app();
    let street = city.index.region_by_id["370203016"];
    let community = city.index.children[street][0];
    let building = city.index.buildings_of[community][0];
    app.world_mut()
        .write_message(MapRequest::Focus(Focus::Building(building)));
    app.update();
    assert_eq!(app.world().resource::<RingState>().region, community);
}

#[test]
fn a_grid_focus_brings_the_case_flows_down_to_the_grid() {
    let (mut app, city) = common::headless_app();
    settle(&mut app);
    let gi = &city.index.governance;
    let g = (0..city.snapshot.grids.len())
        .max_by_key(|&g| gi.cases_of_grid[g].len())
        .expect("the demo has grids");
    let flows_total = |app: &App| -> u32 {
        app.world()
            .resource::<RingState>()
            .widgets
            .iter()
            .map(|w| match &w.content {
                Content::CaseFlow { stats } => stats.total,
                _ => 0,
            })
            .sum()
    };
    assert_eq!(flows_total(&app) as usize, city.snapshot.cases.len());
    app.world_mut()
        .write_message(MapRequest::Focus(Focus::Grid(g)));
    app.update();
    app.update();
    let ring = app.world().resource::<RingState>();
    assert_eq!(ring.grid, Some(g));
    assert_eq!(ring.region, gi.grid_community[g] as usize);
    assert_eq!(flows_total(&app) as usize, gi.cases_of_grid[g].len());
    // A building of the grid keeps the grid.
    let b = gi.buildings_of_grid[g][0];
    app.world_mut()
        .write_message(MapRequest::Focus(Focus::Building(b)));
    app.update();
    app.update();
    assert_eq!(app.world().resource::<RingState>().grid, Some(g));
}
