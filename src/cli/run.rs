//! `citygrid run` (the default) and `citygrid shot`: the options of the exhibit's window,
//! merged from the command line, the configuration and the data directory, then the window.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;

use crate::app::{self, AppOptions};
use crate::config::Config;
use crate::demo::load_snapshot_cached;
use crate::scene::format::Lang;
use crate::snapshot::CacheUse;
use crate::snapshot::LoadError;
use crate::snapshot::index::CityData;
use crate::store::{Startup, Store};

#[derive(Args, Debug, Clone, Default)]
pub(super) struct RunArgs {
    /// Snapshot file to show instead of the embedded demo.
    #[arg(long, global = true)]
    snapshot: Option<PathBuf>,
    /// Start language.
    #[arg(long, value_parser = ["zh", "en"], global = true)]
    lang: Option<String>,
    /// Window size in logical pixels, WIDTHxHEIGHT.
    #[arg(long, value_parser = parse_size, global = true)]
    size: Option<(u32, u32)>,
    /// Start focused on a region or building id.
    #[arg(long, global = true)]
    focus: Option<String>,
    /// Start playing a story (its id in the snapshot's `stories`), e.g. for a screenshot
    /// of one of its steps or from the hall's show control.
    #[arg(long, global = true)]
    story: Option<String>,
    /// With --story: the step to start at, counted from 1.
    #[arg(long, global = true, requires = "story", value_parser = clap::value_parser!(u32).range(1..))]
    step: Option<u32>,
    /// Show every building on the district view.
    #[arg(long, global = true)]
    all_buildings: bool,
    /// Start with the map in 3D (tilted, regions raised by their figure).
    #[arg(long = "3d", global = true)]
    map_3d: bool,
    /// With --focus on a building: start with this floor picked in its floor stack
    /// (1 = the ground floor; shown with --3d).
    #[arg(long, global = true, requires = "focus", allow_negative_numbers = true,
          value_parser = clap::value_parser!(i64).range(1..=200))]
    floor: Option<i64>,
    /// Turn antialiasing off (the same as --antialias off).
    #[arg(long, global = true)]
    no_msaa: bool,
    /// How the map's edges are antialiased: msaa (4×, the default), fxaa, or off (fastest
    /// on a software renderer, where thin borders then break into dashes).
    #[arg(long, global = true, value_parser = ["msaa", "fxaa", "off"])]
    antialias: Option<String>,
    /// What the window shows: the touchscreen map, the ring seen from the hall's centre,
    /// or the ring's canvas for the LED wall.
    #[arg(long, value_parser = ["map", "hall", "ring"], global = true)]
    view: Option<String>,
    /// Also open a window of this size (WIDTHxHEIGHT) for the LED ring, e.g. 7680x1080.
    #[arg(long, value_parser = parse_size, global = true)]
    ring_window: Option<(u32, u32)>,
    /// Angular span of the ring screen in degrees (default 301); a snapshot's own ring
    /// layout sets its own.
    #[arg(long, value_parser = parse_span, global = true)]
    ring_span: Option<f64>,
    /// Draw only this slice of the ring on the LED output (`--view ring`, `--ring-window`):
    /// FROM..TO in degrees of the ring's span, e.g. 0..100.33 of 301, stretched to fill
    /// the window; the hall's processes each draw their slice of one canvas.
    #[arg(long, value_parser = parse_slice, global = true, value_name = "FROM..TO")]
    ring_slice: Option<[f64; 2]>,
    /// Fullscreen kiosk: no cursor, no exit shortcuts, idle reset and attract mode.
    #[arg(long, global = true)]
    kiosk: bool,
    /// Configuration file (default: citygrid.ron in the data directory, if there).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// This process's OSC port (show control, the hall's leader and followers); the key
    /// and the rest come from the configuration's `osc` section (docs/osc.md).
    #[arg(long, global = true, value_parser = clap::value_parser!(u16).range(1024..))]
    osc_port: Option<u16>,
    /// Lead the hall: processes started with --follow naming this one's OSC port show
    /// what it shows.
    #[arg(long, global = true, conflicts_with = "follow")]
    lead: bool,
    /// Follow the leader whose OSC port is IP:PORT (e.g. 127.0.0.1:9000 on this PC,
    /// 192.168.10.11:9000 on the LAN).
    #[arg(long, global = true, value_name = "IP:PORT")]
    follow: Option<String>,
    /// Data directory: the accepted snapshot and the configuration
    /// (default: $XDG_DATA_HOME/citygrid or ~/.local/share/citygrid).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
}

fn parse_span(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number of degrees"))?;
    if v.is_finite() && v > 30.0 && v <= 360.0 {
        Ok(v)
    } else {
        Err(format!(
            "{s}: the span must be more than 30 and at most 360 degrees"
        ))
    }
}

fn parse_slice(s: &str) -> Result<[f64; 2], String> {
    let (a, b) = s
        .split_once("..")
        .ok_or_else(|| format!("{s:?} is not FROM..TO in degrees, like 0..100.33"))?;
    let num = |v: &str| {
        v.trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("{v:?} in {s:?} is not a number of degrees"))
    };
    let (a, b) = (num(a)?, num(b)?);
    if !(0.0 <= a && a < b && b <= 360.0) {
        return Err(format!("{s}: needs 0 <= FROM < TO <= 360"));
    }
    Ok([a, b])
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("{s:?} is not WIDTHxHEIGHT"))?;
    let w: u32 = w
        .trim()
        .parse()
        .map_err(|_| format!("bad width in {s:?}"))?;
    let h: u32 = h
        .trim()
        .parse()
        .map_err(|_| format!("bad height in {s:?}"))?;
    if !(320..=16_384).contains(&w) || !(240..=16_384).contains(&h) {
        return Err(format!("{s}: each side must be 320–16384 px (height 240+)"));
    }
    Ok((w, h))
}

pub(super) fn merge(a: &RunArgs, b: &RunArgs) -> RunArgs {
    RunArgs {
        snapshot: b.snapshot.clone().or(a.snapshot.clone()),
        lang: b.lang.clone().or(a.lang.clone()),
        size: b.size.or(a.size),
        focus: b.focus.clone().or(a.focus.clone()),
        // The step goes with the story it was given with.
        story: b.story.clone().or(a.story.clone()),
        step: if b.story.is_some() { b.step } else { a.step },
        all_buildings: a.all_buildings || b.all_buildings,
        map_3d: a.map_3d || b.map_3d,
        floor: b.floor.or(a.floor),
        no_msaa: a.no_msaa || b.no_msaa,
        antialias: b.antialias.clone().or(a.antialias.clone()),
        view: b.view.clone().or(a.view.clone()),
        ring_window: b.ring_window.or(a.ring_window),
        ring_span: b.ring_span.or(a.ring_span),
        ring_slice: b.ring_slice.or(a.ring_slice),
        kiosk: a.kiosk || b.kiosk,
        config: b.config.clone().or(a.config.clone()),
        osc_port: b.osc_port.or(a.osc_port),
        lead: a.lead || b.lead,
        follow: b.follow.clone().or(a.follow.clone()),
        data_dir: b.data_dir.clone().or(a.data_dir.clone()),
    }
}

/// The data directory in force.
pub(super) fn data_dir(args: &RunArgs) -> PathBuf {
    args.data_dir
        .clone()
        .unwrap_or_else(crate::config::default_data_dir)
}

/// How many accepted snapshots the history keeps: the configuration's `history_keep`;
/// where the configuration cannot be read, all of them (nothing is pruned on a guess, and
/// an accept never fails for it).
pub(super) fn history_keep(args: &RunArgs) -> usize {
    match load_config(args) {
        Ok(c) => c.history_keep,
        Err(e) => {
            eprintln!("citygrid: {e}; the history is not pruned this time");
            usize::MAX
        }
    }
}

/// The configuration: the given file, else the data directory's, else the defaults.
fn load_config(args: &RunArgs) -> Result<Config, crate::config::ConfigError> {
    match &args.config {
        Some(path) => Config::load(path),
        None => {
            let path = data_dir(args).join("citygrid.ron");
            if path.exists() {
                Config::load(&path)
            } else {
                Ok(Config::default())
            }
        }
    }
}

/// The configuration's `osc` section with the command line's `--osc-port`, `--lead` and
/// `--follow` over it (the command line wins: `--lead` drops a configured leader,
/// `--follow` a configured lead), checked again. Errors: these options without an `osc`
/// section (the key lives only in the configuration, never on a command line that `ps`
/// shows), or a combination the checks refuse.
fn hall_options(args: &RunArgs, mut config: Config) -> Result<Config, String> {
    if args.osc_port.is_none() && !args.lead && args.follow.is_none() {
        return Ok(config);
    }
    let Some(osc) = config.osc.as_mut() else {
        return Err(
            "--osc-port, --lead and --follow need the hall's key: add an `osc` \
                    section with its `key` to the configuration (docs/osc.md)"
                .into(),
        );
    };
    if let Some(port) = args.osc_port {
        osc.port = port;
    }
    if args.lead {
        osc.lead = true;
        osc.leader = None;
    }
    if let Some(l) = &args.follow {
        osc.leader = Some(l.clone());
        osc.lead = false;
        osc.followers.clear();
    }
    config
        .check("the command line with the configuration")
        .map_err(|e| e.to_string())?;
    Ok(config)
}

pub(super) fn run(args: &RunArgs, shot: Option<PathBuf>) -> ExitCode {
    let set = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let wayland = set("WAYLAND_DISPLAY").or_else(|| set("WAYLAND_SOCKET"));
    if let Some(problem) =
        app::base::window::missing_display(set("DISPLAY").as_deref(), wayland.as_deref())
    {
        eprintln!("citygrid: {problem}");
        return ExitCode::from(2);
    }
    let config = match load_config(args).map_err(|e| e.to_string()) {
        Ok(c) => hall_options(args, c),
        Err(e) => Err(e),
    };
    let config = match config {
        Ok(c) => c,
        Err(e) => {
            eprintln!("citygrid: {e}");
            return ExitCode::from(2);
        }
    };
    let store = Store::new(data_dir(args));
    let loaded = match &args.snapshot {
        Some(_) => load_snapshot_cached(args.snapshot.as_deref(), &store.cache()),
        None => store.startup_cached().map(|(s, used)| match s {
            Startup::Accepted(l) => (l, used),
            Startup::Demo(l, reason) => {
                if let Some(e) = reason {
                    eprintln!(
                        "citygrid: the accepted snapshot cannot be used, showing the demo: {e}"
                    );
                }
                (l, used)
            }
        }),
    };
    let loaded = loaded.map(|(l, used)| {
        match used {
            CacheUse::Hit => {}
            CacheUse::Written { reason } => {
                eprintln!("citygrid: start cache written for {} ({reason})", l.origin)
            }
            CacheUse::NotWritten { reason } => {
                eprintln!(
                    "citygrid: start cache not written for {}: {reason}",
                    l.origin
                )
            }
        }
        l
    });
    let loaded = match loaded {
        Ok(l) => l,
        Err(e) => {
            eprintln!("citygrid: {e}");
            if let LoadError::Invalid { report, .. } = &e {
                for issue in report.issues.iter().take(20) {
                    eprintln!("  {issue}");
                }
            }
            return ExitCode::from(2);
        }
    };
    let city = Arc::new(CityData::new(loaded.snapshot));
    let mut options = AppOptions::new(city.clone(), loaded.origin);
    options.lang = args
        .lang
        .as_deref()
        .or(Some(config.language.as_str()))
        .and_then(Lang::parse)
        .unwrap_or_default();
    options.full_owner_names = config.owner_names == crate::config::OwnerNames::Full;
    options.kiosk = args.kiosk || config.kiosk;
    options.ring_window = config.ring.window;
    options.ring_span_deg = config.ring.span_deg;
    if let Some(size) = args.size {
        options.size = size;
    }
    if let Some(id) = &args.focus {
        if app::Focus::from_id(&city, id).is_none()
            && !city.index.governance.case_by_id.contains_key(id)
        {
            eprintln!("citygrid: --focus {id}: no region, grid, case or building has this id");
            return ExitCode::from(2);
        }
        options.focus = Some(id.clone());
    }
    if let Some(id) = &args.story {
        let stories = &city.snapshot.stories;
        let Some(story) = stories.iter().position(|s| s.id == *id) else {
            let known: Vec<&str> = stories.iter().map(|s| s.id.as_str()).collect();
            eprintln!(
                "citygrid: --story {id}: the snapshot has no story with this id ({})",
                if known.is_empty() {
                    "it has no stories".to_string()
                } else {
                    format!("its stories: {}", known.join(", "))
                }
            );
            return ExitCode::from(2);
        };
        let steps = stories[story].steps.len();
        let step = args.step.unwrap_or(1) as usize;
        if step > steps {
            eprintln!("citygrid: --step {step}: story {id} has {steps} steps");
            return ExitCode::from(2);
        }
        options.story = Some((story, step - 1));
    }
    options.show_all_buildings = args.all_buildings;
    options.map_3d = args.map_3d;
    options.floor = args.floor;
    options.antialias = if args.no_msaa {
        app::base::map_view::Antialias::Off
    } else {
        args.antialias
            .as_deref()
            .and_then(app::base::map_view::Antialias::parse)
            .unwrap_or_default()
    };
    options.view = args
        .view
        .as_deref()
        .and_then(app::MainView::parse)
        .unwrap_or_default();
    if args.ring_window.is_some() {
        options.ring_window = args.ring_window;
    }
    options.config = config;
    if let Some(span) = args.ring_span {
        options.ring_span_deg = span;
    }
    if let Some([from, to]) = args.ring_slice {
        let span = options.ring_span_deg;
        if to > span + 1e-9 {
            eprintln!(
                "citygrid: --ring-slice {from}..{to}: the ring spans {span}° (--ring-span, \
                 ring.span_deg): the slice must end within it"
            );
            return ExitCode::from(2);
        }
        options.ring_slice = Some([from, to]);
    }
    // The hall's log goes to the data directory; screenshots leave no trace there.
    if shot.is_none() {
        options.data_dir = Some(data_dir(args));
    }
    options.shot = shot;
    match app::run(options) {
        bevy::app::AppExit::Success => ExitCode::SUCCESS,
        bevy::app::AppExit::Error(code) => ExitCode::from(code.get()),
    }
}
