//! Open Sound Control, the show-control standard, as the hall's wire: what a datagram from
//! QLab, Medialon, TouchOSC or a Chinese hall's central-control tablet may ask of the
//! exhibit (`docs/osc.md` is the address space), checked before anything acts on it.
//!
//! Every message carries the hall's key as its first argument (a string of 8 or more
//! characters in the configuration): OSC has no authentication of its own, and the key
//! keeps a stray sender on the hall's LAN from driving the screens. Datagrams over
//! [`MAX_DATAGRAM`] bytes, bundles nested deeper than [`MAX_DEPTH`] or holding more than
//! [`MAX_MESSAGES`] messages, unknown addresses, wrong argument types and a wrong key are
//! refused with the reason (the caller logs it with the sender and drops the datagram).
//! Nothing here reads or writes files, quits the exhibit or reaches curator mode: the
//! commands below are all there is.

use rosc::{OscMessage, OscPacket, OscType};

/// Largest datagram read, bytes: a command is a few dozen.
pub const MAX_DATAGRAM: usize = 1024;
/// Largest `/citygrid/thumb` datagram, bytes: a follower's screen as a PNG of ~30 KB
/// (320 px wide); the only message allowed over [`MAX_DATAGRAM`], and only alone.
pub const MAX_THUMB_DATAGRAM: usize = 60_000;
/// Most screens a process reports thumbnails of.
pub const MAX_SCREENS: i32 = 16;
/// The PNG signature a thumbnail starts with.
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
/// A thumbnail datagram's first bytes: its address, NUL-padded to 4 bytes as OSC pads it.
const THUMB_PREFIX: &[u8] = b"/citygrid/thumb\0";
/// Then its type tags: the key, the screen, the name, the PNG.
const THUMB_TAGS: &[u8] = b",sisb\0\0\0";

/// `s` as an OSC string: its bytes, a NUL, padded with NULs to a multiple of 4.
fn osc_string(s: &str) -> Vec<u8> {
    let mut b = s.as_bytes().to_vec();
    b.push(0);
    while !b.len().is_multiple_of(4) {
        b.push(0);
    }
    b
}
/// Deepest bundle nesting taken.
pub const MAX_DEPTH: usize = 4;
/// Most messages taken from one datagram.
pub const MAX_MESSAGES: usize = 16;
/// Longest text argument taken (an id, a language, a view), characters.
const MAX_TEXT: usize = 64;

/// What a message may ask of the exhibit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HallCommand {
    /// `/citygrid/focus ID`: drill the map to a region, grid or building by its id
    /// (`370203005`); `district` (or the district's id) for the whole district.
    Focus(String),
    /// `/citygrid/back`: one level up.
    Back,
    /// `/citygrid/lang zh|en`.
    Lang(String),
    /// `/citygrid/view NAME`: the main view (`map`, `ring`, …, as `--view` takes).
    View(String),
    /// `/citygrid/story/start ID`: a story of the snapshot from its first step.
    StoryStart(String),
    /// `/citygrid/story/next`, `/citygrid/story/prev`: a step on or back.
    StoryStep(i8),
    /// `/citygrid/story/end`.
    StoryEnd,
    /// `/citygrid/attract 1|0`: the attract tour on, or back to explore.
    Attract(bool),
    /// `/citygrid/state`: answer the sender with `/citygrid/state` and the state (see
    /// [`state_reply`]).
    Query,
    /// `/citygrid/sync` and the state's eight arguments: what the leader of the hall shows,
    /// sent by it to its followers on every change and once a second.
    Sync(HallState),
    /// `/citygrid/follow`: a follower asks the leader to send it what it shows (sent once a
    /// second from the follower's own OSC port, which is where the syncs go). Taken only
    /// by a process that leads (`--lead`); handled by the listener, not the exhibit.
    Follow,
    /// `/citygrid/screens 1|0`: the screens on, or black with the exhibit at rest (as
    /// outside the opening hours).
    Screens(bool),
    /// `/citygrid/thumb/want`: a leader whose docent's console is open asks a follower for
    /// thumbnails of its screens (for a few seconds; it asks again every 2 s). Taken by a
    /// follower from its leader only.
    ThumbWant,
    /// `/citygrid/thumb`, a screen's number (0–15), its name and a PNG blob: a follower's
    /// answer to [`HallCommand::ThumbWant`], up to [`MAX_THUMB_DATAGRAM`] bytes. Taken by a
    /// leader from its followers only.
    Thumb(ScreenThumb),
}

/// One screen's picture as a follower sends it to its leader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenThumb {
    /// The screen's number in the follower (0 its main window).
    pub screen: u8,
    /// What it shows (`环幕 Ring`), at most 64 characters.
    pub name: String,
    /// A PNG file.
    pub png: Vec<u8>,
}

/// Why a datagram was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("{0} bytes is over the {MAX_DATAGRAM}-byte limit")]
    TooLarge(usize),
    #[error("not an OSC packet: {0}")]
    NotOsc(String),
    #[error("bundles nested deeper than {MAX_DEPTH}")]
    TooDeep,
    #[error("more than {MAX_MESSAGES} messages in one datagram")]
    TooMany,
    #[error("a bundle without messages")]
    Empty,
    #[error("{0:?}: the key (first argument) is missing or wrong")]
    Key(String),
    #[error("{0:?}: unknown address (see docs/osc.md)")]
    Unknown(String),
    #[error("{address:?}: {message}")]
    Arguments { address: String, message: String },
}

/// The commands of one datagram, in order; nothing when any message is refused (a
/// datagram acts whole or not at all). `key`: the hall's key, compared in constant time.
pub fn parse(datagram: &[u8], key: &str) -> Result<Vec<HallCommand>, Refused> {
    let thumb = datagram.starts_with(THUMB_PREFIX);
    if datagram.len() > MAX_THUMB_DATAGRAM || (datagram.len() > MAX_DATAGRAM && !thumb) {
        return Err(Refused::TooLarge(datagram.len()));
    }
    if datagram.len() > MAX_DATAGRAM {
        // Before anything is decoded: exactly a thumbnail's type tags, and the key.
        let address = "/citygrid/thumb".to_string();
        let rest = &datagram[THUMB_PREFIX.len()..];
        let Some(rest) = rest.strip_prefix(THUMB_TAGS) else {
            return Err(Refused::Arguments {
                address,
                message: "a datagram this large is a thumbnail: key, screen, name, PNG".into(),
            });
        };
        let key = osc_string(key);
        let theirs = rest.get(..key.len()).unwrap_or_default();
        if !same_bytes(theirs, &key) {
            return Err(Refused::Key(address));
        }
    }
    let (_, packet) =
        rosc::decoder::decode_udp(datagram).map_err(|e| Refused::NotOsc(format!("{e:?}")))?;
    let mut messages = Vec::new();
    flatten(&packet, 0, &mut messages)?;
    // Nothing to check the key of: refused, so that no datagram acts without it.
    if messages.is_empty() {
        return Err(Refused::Empty);
    }
    messages.into_iter().map(|m| command(m, key)).collect()
}

fn flatten<'p>(
    packet: &'p OscPacket,
    depth: usize,
    out: &mut Vec<&'p OscMessage>,
) -> Result<(), Refused> {
    match packet {
        OscPacket::Message(m) => {
            if out.len() == MAX_MESSAGES {
                return Err(Refused::TooMany);
            }
            out.push(m);
        }
        OscPacket::Bundle(b) => {
            if depth >= MAX_DEPTH {
                return Err(Refused::TooDeep);
            }
            for p in &b.content {
                flatten(p, depth + 1, out)?;
            }
        }
    }
    Ok(())
}

/// Whether two texts are equal, in time that does not depend on where they differ.
pub(crate) fn same(a: &str, b: &str) -> bool {
    same_bytes(a.as_bytes(), b.as_bytes())
}

/// Whether two byte strings are equal, in time that does not depend on where they differ.
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn command(m: &OscMessage, key: &str) -> Result<HallCommand, Refused> {
    // As logged: at most 64 characters of whatever the sender wrote.
    let address: String = m.addr.chars().take(64).collect();
    let mut args = m.args.iter();
    match args.next() {
        Some(OscType::String(k)) if same(k, key) => {}
        _ => return Err(Refused::Key(address)),
    }
    let rest: Vec<&OscType> = args.collect();
    let bad = |message: &str| Refused::Arguments {
        address: address.clone(),
        message: message.to_string(),
    };
    let text = || -> Result<String, Refused> {
        match rest.as_slice() {
            [OscType::String(s)] if !s.is_empty() && s.chars().count() <= MAX_TEXT => Ok(s.clone()),
            [OscType::String(_)] => Err(bad("the text is empty or too long")),
            _ => Err(bad("takes the key and one string")),
        }
    };
    let none = |c: HallCommand| -> Result<HallCommand, Refused> {
        if rest.is_empty() {
            Ok(c)
        } else {
            Err(bad("takes the key only"))
        }
    };
    match address.as_str() {
        "/citygrid/focus" => text().map(HallCommand::Focus),
        "/citygrid/back" => none(HallCommand::Back),
        "/citygrid/lang" => match text()?.as_str() {
            l @ ("zh" | "en") => Ok(HallCommand::Lang(l.to_string())),
            _ => Err(bad("the language is zh or en")),
        },
        "/citygrid/view" => text().map(HallCommand::View),
        "/citygrid/story/start" => text().map(HallCommand::StoryStart),
        "/citygrid/story/next" => none(HallCommand::StoryStep(1)),
        "/citygrid/story/prev" => none(HallCommand::StoryStep(-1)),
        "/citygrid/story/end" => none(HallCommand::StoryEnd),
        "/citygrid/attract" => switch(&rest)
            .map(HallCommand::Attract)
            .ok_or_else(|| bad("takes the key and 1 or 0")),
        "/citygrid/screens" => switch(&rest)
            .map(HallCommand::Screens)
            .ok_or_else(|| bad("takes the key and 1 or 0")),
        "/citygrid/follow" => none(HallCommand::Follow),
        "/citygrid/thumb/want" => none(HallCommand::ThumbWant),
        "/citygrid/thumb" => match rest.as_slice() {
            [OscType::Int(n), OscType::String(name), OscType::Blob(png)]
                if (0..MAX_SCREENS).contains(n)
                    && name.chars().count() <= MAX_TEXT
                    && png.starts_with(PNG_SIGNATURE) =>
            {
                Ok(HallCommand::Thumb(ScreenThumb {
                    screen: *n as u8,
                    name: name.clone(),
                    png: png.clone(),
                }))
            }
            _ => Err(bad("takes the key, a screen 0–15, its name and a PNG blob")),
        },
        "/citygrid/state" => none(HallCommand::Query),
        "/citygrid/sync" => sync_state(&rest).map(HallCommand::Sync).ok_or_else(|| {
            bad("takes the key and the state: focus, lang, view, story, step, attract, data, screens")
        }),
        _ => Err(Refused::Unknown(address)),
    }
}

/// An on/off argument as show-control systems send it: the integer 1 or 0, an OSC
/// true/false, or the float 1.0 or 0.0 (TouchOSC's buttons).
fn switch(rest: &[&OscType]) -> Option<bool> {
    match rest {
        [OscType::Int(v)] if matches!(v, 0 | 1) => Some(*v == 1),
        [OscType::Bool(b)] => Some(*b),
        [OscType::Float(v)] if *v == 0.0 || *v == 1.0 => Some(*v == 1.0),
        _ => None,
    }
}

/// A follower's request to be led: `/citygrid/follow` and the key.
pub fn follow_message(key: &str) -> Option<Vec<u8>> {
    let message = OscMessage {
        addr: "/citygrid/follow".into(),
        args: vec![OscType::String(key.to_string())],
    };
    rosc::encoder::encode(&OscPacket::Message(message)).ok()
}

/// A leader's request for its followers' thumbnails: `/citygrid/thumb/want` and the key.
pub fn thumb_want_message(key: &str) -> Option<Vec<u8>> {
    let message = OscMessage {
        addr: "/citygrid/thumb/want".into(),
        args: vec![OscType::String(key.to_string())],
    };
    rosc::encoder::encode(&OscPacket::Message(message)).ok()
}

/// A follower's screen for its leader: `/citygrid/thumb`, the key, the screen's number, its
/// name and the PNG. `None` when it would be over [`MAX_THUMB_DATAGRAM`].
pub fn thumb_message(key: &str, t: &ScreenThumb) -> Option<Vec<u8>> {
    let message = OscMessage {
        addr: "/citygrid/thumb".into(),
        args: vec![
            OscType::String(key.to_string()),
            OscType::Int(i32::from(t.screen)),
            OscType::String(t.name.chars().take(MAX_TEXT).collect()),
            OscType::Blob(t.png.clone()),
        ],
    };
    rosc::encoder::encode(&OscPacket::Message(message))
        .ok()
        .filter(|d| d.len() <= MAX_THUMB_DATAGRAM)
}

/// What the exhibit shows, as `/citygrid/state` answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HallState {
    /// The focused region's, grid's or building's id.
    pub focus: String,
    /// `zh` or `en`.
    pub lang: String,
    /// The main view's name.
    pub view: String,
    /// The story playing and its step (from 0), if one is.
    pub story: Option<(String, usize)>,
    pub attract: bool,
    /// The screens show the exhibit (not black: outside the opening hours or on command).
    pub screens: bool,
    /// Which data is on show: the snapshot's `exported_at`, a space and 12 hex digits of
    /// BLAKE3 over its source, export time, table sizes and first and last building ids
    /// (`2026-11-27T18:00:00+08:00 3a6b6691c0de`); two snapshots exported at the same
    /// time but holding other data differ here.
    pub data: String,
}

/// The state as OSC arguments: focus, lang, view, story id (empty when none), story step
/// (−1 when none), attract (1/0), which data is on show ([`HallState::data`]) and the
/// screens (1 on, 0 black).
fn state_args(s: &HallState) -> Vec<OscType> {
    let (story, step) = match &s.story {
        Some((id, step)) => (id.clone(), i32::try_from(*step).unwrap_or(i32::MAX)),
        None => (String::new(), -1),
    };
    vec![
        OscType::String(s.focus.clone()),
        OscType::String(s.lang.clone()),
        OscType::String(s.view.clone()),
        OscType::String(story),
        OscType::Int(step),
        OscType::Int(i32::from(s.attract)),
        OscType::String(s.data.clone()),
        OscType::Int(i32::from(s.screens)),
    ]
}

/// The state read back from [`state_args`]' form; `None` when the arguments are not that.
fn sync_state(args: &[&OscType]) -> Option<HallState> {
    let text = |v: &OscType| match v {
        OscType::String(s) if s.chars().count() <= MAX_TEXT => Some(s.clone()),
        _ => None,
    };
    let [focus, lang, view, story, step, attract, data, screens] = args else {
        return None;
    };
    let (OscType::Int(step), OscType::Int(attract), OscType::Int(screens)) =
        (step, attract, screens)
    else {
        return None;
    };
    let story = text(story)?;
    Some(HallState {
        focus: text(focus)?,
        lang: text(lang)?,
        view: text(view)?,
        story: match (story.is_empty(), usize::try_from(*step)) {
            (false, Ok(step)) => Some((story, step)),
            _ => None,
        },
        attract: *attract == 1,
        screens: *screens != 0,
        data: text(data)?,
    })
}

/// The answer to a query: `/citygrid/state` with the state (see [`state_args`]). The key
/// is not sent back.
pub fn state_reply(s: &HallState) -> Option<Vec<u8>> {
    let message = OscMessage {
        addr: "/citygrid/state".into(),
        args: state_args(s),
    };
    rosc::encoder::encode(&OscPacket::Message(message)).ok()
}

/// What a leader sends its followers: `/citygrid/sync`, the key, then the state.
pub fn sync_message(s: &HallState, key: &str) -> Option<Vec<u8>> {
    let mut args = vec![OscType::String(key.to_string())];
    args.extend(state_args(s));
    let message = OscMessage {
        addr: "/citygrid/sync".into(),
        args,
    };
    rosc::encoder::encode(&OscPacket::Message(message)).ok()
}

/// A token bucket per sender: `per_s` messages a second on average, bursts up to twice
/// that; what exceeds it is dropped (and counted by the caller).
#[derive(Debug)]
pub struct RateLimit {
    per_s: f64,
    buckets: std::collections::HashMap<std::net::IpAddr, (f64, std::time::Instant)>,
}

impl RateLimit {
    /// At most `per_s` (≥ 1) datagrams a second from each sender.
    pub fn new(per_s: u32) -> Self {
        Self {
            per_s: f64::from(per_s.max(1)),
            buckets: std::collections::HashMap::new(),
        }
    }

    /// Whether a datagram from `from` at `now` is within the limit (and takes a token).
    /// Senders are forgotten after a minute of silence, so the table stays small.
    pub fn allow(&mut self, from: std::net::IpAddr, now: std::time::Instant) -> bool {
        let burst = self.per_s * 2.0;
        if self.buckets.len() > 1024 {
            self.buckets
                .retain(|_, (_, t)| now.saturating_duration_since(*t).as_secs() < 60);
        }
        let (tokens, last) = self.buckets.entry(from).or_insert((burst, now));
        let elapsed = now.saturating_duration_since(*last).as_secs_f64();
        *tokens = (*tokens + elapsed * self.per_s).min(burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests;
