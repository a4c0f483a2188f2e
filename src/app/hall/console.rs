//! The docent's console in the exhibit (`docs/console.md`): starts the web server of
//! [`crate::hall::console`] when the configuration has a `console` section and puts up
//! what the exhibit shows (as JSON) with the latest thumbnails of its windows and its
//! followers' ([`super::thumbs`]). Its commands join the OSC commands in [`super::apply`].

use std::sync::Arc;
use std::time::Instant;

use bevy::prelude::*;
use bevy::winit::{EventLoopProxyWrapper, WinitUserEvent};
use serde_json::json;

use super::thumbs::{OwnThumbs, WATCH_TTL};
use super::{OscInbox, Shown};
use crate::app::base::{CuratorMode, Focus, HallConfig, HallLink, KioskMode, RemoteInput};
use crate::hall::console::{Console, Hook, Thumb, serve};
use crate::snapshot::index::CityData;

/// The running console.
#[derive(Resource)]
pub struct ConsoleInbox(pub Console);

/// Starts the console (after the OSC listener: both or either may run).
pub fn plugin(app: &mut App) {
    app.add_systems(Startup, start).add_systems(
        Update,
        publish
            .in_set(crate::app::base::AppSystems::Rebuild)
            .run_if(resource_exists::<ConsoleInbox>),
    );
}

fn start(
    mut commands: Commands,
    config: Res<HallConfig>,
    proxy: Option<Res<EventLoopProxyWrapper>>,
) {
    let Some(cfg) = config.0.console.clone() else {
        return;
    };
    let wake: Option<Hook> = proxy.map(|p| {
        let p = (**p).clone();
        Arc::new(move |_: &str| {
            let _ = p.send_event(WinitUserEvent::WakeUp);
        }) as Hook
    });
    let log: Hook = Arc::new(|line: &str| warn!("{line}"));
    match serve(&cfg, wake, log) {
        Ok(console) => {
            info!(
                "console: the docent's page is at http://{}/",
                console.address
            );
            commands.insert_resource(ConsoleInbox(console));
        }
        Err(e) => error!("console: {e}; the exhibit runs without the docent's console"),
    }
}

/// A region's, grid's or building's names (Chinese, English) and level.
fn names(city: &CityData, f: Focus) -> (String, String, &'static str) {
    let s = &city.snapshot;
    match f {
        Focus::Building(b) => s.buildings.get(b).map_or_else(Default::default, |x| {
            let zh = if x.name.is_empty() { &x.id } else { &x.name };
            (zh.clone(), x.name_en.clone(), "building")
        }),
        Focus::Grid(g) => s.grids.get(g).map_or_else(Default::default, |x| {
            (x.name.clone(), x.name_en.clone(), "grid")
        }),
        _ => {
            let level = match f {
                Focus::Street(_) => "street",
                Focus::Community(_) => "community",
                _ => "district",
            };
            s.regions
                .get(f.region(city))
                .map_or_else(Default::default, |r| {
                    (r.name.clone(), r.name_en.clone(), level)
                })
        }
    }
}

/// The state as `GET /api/state` gives it.
fn state_json(
    shown: &Shown,
    curator: bool,
    link: &HallLink,
    followers: Vec<String>,
    thumbs: &[Thumb],
) -> serde_json::Value {
    let c = &shown.city.0;
    let s = shown.state();
    let mut path = Vec::new();
    let mut f = *shown.focus;
    loop {
        let (name, name_en, _) = names(c, f);
        path.push(json!({ "id": f.id(c), "name": name, "name_en": name_en }));
        if f == Focus::District {
            break;
        }
        f = f.up(c);
    }
    path.reverse();
    let (name, name_en, level) = names(c, *shown.focus);
    let story = shown.play.0.as_ref().and_then(|p| {
        let st = c.snapshot.stories.get(p.story)?;
        let step = st.steps.get(p.step)?;
        let caption = if s.lang == "en" {
            &step.caption_en
        } else {
            &step.caption
        };
        Some(json!({
            "id": st.id, "title": st.title, "title_en": st.title_en,
            "step": p.step, "steps": st.steps.len(), "caption": caption,
        }))
    });
    json!({
        "focus": { "id": s.focus, "name": name, "name_en": name_en, "level": level },
        "path": path,
        "lang": s.lang,
        "view": s.view,
        "attract": s.attract,
        "screens": s.screens,
        "curator": curator,
        "story": story,
        "data": s.data,
        "leader": link.leader.map(|a| a.to_string()),
        "followers": followers,
        "thumbs": thumbs.iter().map(|t| json!({ "name": t.name, "serial": t.serial })).collect::<Vec<_>>(),
    })
}

/// The snapshot's regions, grids and stories as `GET /api/city` gives them.
fn city_json(city: &CityData, data: &str) -> serde_json::Value {
    let s = &city.snapshot;
    let level = |l: crate::snapshot::Level| match l {
        crate::snapshot::Level::District => "district",
        crate::snapshot::Level::Street => "street",
        crate::snapshot::Level::Community => "community",
    };
    let mut regions: Vec<serde_json::Value> = s
        .regions
        .iter()
        .map(|r| {
            json!({ "id": r.id, "parent": r.parent, "level": level(r.level),
                    "name": r.name, "name_en": r.name_en })
        })
        .collect();
    regions.extend(s.grids.iter().map(|g| {
        json!({ "id": g.id, "parent": g.community, "level": "grid",
                "name": g.name, "name_en": g.name_en })
    }));
    json!({
        "data": data,
        "regions": regions,
        "stories": s.stories.iter().map(|st| json!({
            "id": st.id, "title": st.title, "title_en": st.title_en, "steps": st.steps.len(),
        })).collect::<Vec<_>>(),
    })
}

/// How long after a docent's last command the console holds the hall.
const HOLD: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Puts up the state when it changed, and the city when the snapshot did, while a console
/// watches. While a
/// signed-in console watches and its docent sent a command within [`HOLD`], the docent
/// holds the hall: the idle clock restarts every few seconds, so the attract tour does not
/// start under a delegation (the console's Attract button starts it).
#[allow(clippy::too_many_arguments)]
fn publish(
    console: Res<ConsoleInbox>,
    osc: Option<Res<OscInbox>>,
    shown: Shown,
    curator: Res<State<CuratorMode>>,
    link: Res<HallLink>,
    own: Res<OwnThumbs>,
    mut remote: MessageWriter<RemoteInput>,
    mut held: Local<Option<Instant>>,
    mut last_city: Local<Option<String>>,
) {
    let shared = &console.0.shared;
    let watched = shared.watched_within(WATCH_TTL);
    if *shown.kiosk.get() == KioskMode::Explore
        && watched
        && shared.commanded_within(HOLD)
        && held.is_none_or(|t| t.elapsed() >= WATCH_TTL)
    {
        remote.write(RemoteInput::Command);
        *held = Some(Instant::now());
    }
    // Only while a console watches (its requests wake the exhibit), and once at start so
    // that the first request finds a state: no JSON is made frame after frame for no one.
    if !watched && last_city.is_some() {
        return;
    }
    let data = super::data_id(&shown.city.0.snapshot);
    if last_city.as_deref() != Some(data.as_str()) {
        let body = city_json(&shown.city.0, &data).to_string().into_bytes();
        if let Ok(mut c) = shared.city.lock() {
            *c = Arc::new(body);
        }
        *last_city = Some(data);
    }
    let now = Instant::now();
    let followers = osc
        .as_ref()
        .and_then(|o| {
            o.followers
                .lock()
                .ok()
                .map(|mut f| f.all(now).iter().map(|a| a.to_string()).collect())
        })
        .unwrap_or_default();
    // This exhibit's windows, then its followers' (each follower's, by address).
    let mut thumbs: Vec<Thumb> = own.0.lock().map(|t| t.clone()).unwrap_or_default();
    if let Some(o) = &osc
        && let Ok(mut f) = o.thumbs.lock()
    {
        thumbs.extend(f.fresh(now));
    }
    if let Ok(mut t) = shared.thumbs.lock() {
        t.clone_from(&thumbs);
    }
    let body = state_json(
        &shown,
        *curator.get() != CuratorMode::Closed,
        &link,
        followers,
        &thumbs,
    )
    .to_string()
    .into_bytes();
    if let Ok(mut s) = shared.state.lock()
        && **s != body
    {
        *s = Arc::new(body);
    }
}
