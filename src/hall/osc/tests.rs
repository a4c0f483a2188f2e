use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use rosc::{OscBundle, OscMessage, OscPacket, OscTime, OscType};

use super::*;

const KEY: &str = "hall-key-2026";

fn message(addr: &str, args: Vec<OscType>) -> OscPacket {
    OscPacket::Message(OscMessage {
        addr: addr.into(),
        args,
    })
}

fn keyed(addr: &str, mut rest: Vec<OscType>) -> Vec<u8> {
    let mut args = vec![OscType::String(KEY.into())];
    args.append(&mut rest);
    rosc::encoder::encode(&message(addr, args)).unwrap_or_default()
}

fn s(v: &str) -> OscType {
    OscType::String(v.into())
}

#[test]
fn the_address_space_reads_into_commands() {
    let cases = [
        (
            keyed("/citygrid/focus", vec![s("370203005")]),
            HallCommand::Focus("370203005".into()),
        ),
        (keyed("/citygrid/back", vec![]), HallCommand::Back),
        (
            keyed("/citygrid/lang", vec![s("en")]),
            HallCommand::Lang("en".into()),
        ),
        (
            keyed("/citygrid/view", vec![s("ring")]),
            HallCommand::View("ring".into()),
        ),
        (
            keyed("/citygrid/story/start", vec![s("night-market")]),
            HallCommand::StoryStart("night-market".into()),
        ),
        (
            keyed("/citygrid/story/next", vec![]),
            HallCommand::StoryStep(1),
        ),
        (
            keyed("/citygrid/story/prev", vec![]),
            HallCommand::StoryStep(-1),
        ),
        (keyed("/citygrid/story/end", vec![]), HallCommand::StoryEnd),
        (
            keyed("/citygrid/attract", vec![OscType::Int(1)]),
            HallCommand::Attract(true),
        ),
        (
            keyed("/citygrid/attract", vec![OscType::Float(0.0)]),
            HallCommand::Attract(false),
        ),
        (
            keyed("/citygrid/attract", vec![OscType::Bool(true)]),
            HallCommand::Attract(true),
        ),
        (keyed("/citygrid/state", vec![]), HallCommand::Query),
        (
            keyed("/citygrid/screens", vec![OscType::Int(0)]),
            HallCommand::Screens(false),
        ),
        (
            keyed("/citygrid/screens", vec![OscType::Float(1.0)]),
            HallCommand::Screens(true),
        ),
        (keyed("/citygrid/follow", vec![]), HallCommand::Follow),
    ];
    for (datagram, expected) in cases {
        assert_eq!(parse(&datagram, KEY), Ok(vec![expected]));
    }
    assert_eq!(
        parse(&follow_message(KEY).unwrap_or_default(), KEY),
        Ok(vec![HallCommand::Follow])
    );
}

#[test]
fn bundles_act_whole_or_not_at_all() {
    let bundle = |content: Vec<OscPacket>| {
        rosc::encoder::encode(&OscPacket::Bundle(OscBundle {
            timetag: OscTime {
                seconds: 0,
                fractional: 1,
            },
            content,
        }))
        .unwrap_or_default()
    };
    let k = || s(KEY);
    let good = bundle(vec![
        message("/citygrid/lang", vec![k(), s("en")]),
        message("/citygrid/focus", vec![k(), s("370203")]),
    ]);
    assert_eq!(
        parse(&good, KEY),
        Ok(vec![
            HallCommand::Lang("en".into()),
            HallCommand::Focus("370203".into())
        ])
    );
    let one_bad = bundle(vec![
        message("/citygrid/lang", vec![k(), s("en")]),
        message("/citygrid/quit", vec![k()]),
    ]);
    assert_eq!(
        parse(&one_bad, KEY),
        Err(Refused::Unknown("/citygrid/quit".into()))
    );
    let many = bundle(
        (0..20)
            .map(|_| message("/citygrid/back", vec![k()]))
            .collect(),
    );
    assert_eq!(parse(&many, KEY), Err(Refused::TooMany));
    let mut deep = message("/citygrid/back", vec![k()]);
    for _ in 0..6 {
        deep = OscPacket::Bundle(OscBundle {
            timetag: OscTime {
                seconds: 0,
                fractional: 1,
            },
            content: vec![deep],
        });
    }
    let deep = rosc::encoder::encode(&deep).unwrap_or_default();
    assert_eq!(parse(&deep, KEY), Err(Refused::TooDeep));
}

#[test]
fn what_the_hall_did_not_send_is_refused_with_the_reason() {
    let no_key =
        rosc::encoder::encode(&message("/citygrid/focus", vec![s("370203")])).unwrap_or_default();
    assert_eq!(
        parse(&no_key, KEY),
        Err(Refused::Key("/citygrid/focus".into()))
    );
    let wrong_key = rosc::encoder::encode(&message("/citygrid/back", vec![s("hall-key-2025")]))
        .unwrap_or_default();
    assert_eq!(
        parse(&wrong_key, KEY),
        Err(Refused::Key("/citygrid/back".into()))
    );
    for (datagram, why) in [
        (keyed("/citygrid/lang", vec![s("fr")]), "zh or en"),
        (keyed("/citygrid/focus", vec![]), "one string"),
        (
            keyed("/citygrid/focus", vec![OscType::Int(3)]),
            "one string",
        ),
        (
            keyed("/citygrid/focus", vec![s(&"9".repeat(65))]),
            "too long",
        ),
        (keyed("/citygrid/back", vec![s("x")]), "key only"),
        (keyed("/citygrid/attract", vec![OscType::Int(2)]), "1 or 0"),
        (keyed("/citygrid/screens", vec![s("off")]), "1 or 0"),
        (keyed("/citygrid/follow", vec![s("x")]), "key only"),
    ] {
        let e = parse(&datagram, KEY)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains(why), "{e}");
    }
    for unknown in [
        "/citygrid/curator",
        "/citygrid/quit",
        "/citygrid/load",
        "/other",
    ] {
        assert_eq!(
            parse(&keyed(unknown, vec![]), KEY),
            Err(Refused::Unknown(unknown.into()))
        );
    }
    assert_eq!(
        parse(&vec![0u8; MAX_DATAGRAM + 1], KEY),
        Err(Refused::TooLarge(MAX_DATAGRAM + 1))
    );
}

#[test]
fn ten_thousand_junk_datagrams_are_refused_without_a_panic() {
    // A fixed-seed generator: random bytes, truncated valid messages and bit flips.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let valid = keyed("/citygrid/focus", vec![s("370203005")]);
    let mut accepted = 0;
    for i in 0..10_000 {
        let datagram: Vec<u8> = match i % 3 {
            0 => (0..next() % 200).map(|_| next() as u8).collect(),
            1 => valid[..(next() as usize % valid.len())].to_vec(),
            _ => {
                let mut d = valid.clone();
                let at = next() as usize % d.len();
                d[at] ^= 1 << (next() % 8);
                d
            }
        };
        if parse(&datagram, KEY).is_ok() {
            accepted += 1;
        }
    }
    // A flipped bit in the id's text is still a well-formed focus with the key; nothing
    // else gets through.
    assert!(accepted < 1_000, "{accepted}");
}

#[test]
fn the_state_answers_in_osc() {
    let reply = state_reply(&HallState {
        focus: "370203005".into(),
        lang: "en".into(),
        view: "map".into(),
        story: Some(("night-market".into(), 2)),
        attract: false,
        screens: true,
        data: "2026-11-27T18:00:00+08:00 3a6b6691c0de".into(),
    })
    .unwrap_or_default();
    let decoded = rosc::decoder::decode_udp(&reply).map(|(_, p)| p);
    let Ok(OscPacket::Message(m)) = decoded else {
        panic!("{decoded:?}");
    };
    assert_eq!(m.addr, "/citygrid/state");
    assert_eq!(
        m.args,
        vec![
            s("370203005"),
            s("en"),
            s("map"),
            s("night-market"),
            OscType::Int(2),
            OscType::Int(0),
            s("2026-11-27T18:00:00+08:00 3a6b6691c0de"),
            OscType::Int(1)
        ]
    );
}

#[test]
fn each_sender_is_held_to_its_rate() {
    let mut limit = RateLimit::new(10);
    let (a, b) = (
        IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)),
        IpAddr::V4(Ipv4Addr::new(10, 0, 0, 3)),
    );
    let t0 = Instant::now();
    let burst = (0..100).filter(|_| limit.allow(a, t0)).count();
    assert_eq!(burst, 20, "a burst of twice the rate");
    assert!(limit.allow(b, t0), "another sender has its own bucket");
    let later = t0 + Duration::from_millis(500);
    let refilled = (0..100).filter(|_| limit.allow(a, later)).count();
    assert_eq!(refilled, 5, "10 a second");
}

#[test]
fn a_leaders_state_reads_back_as_it_was_sent() {
    let state = HallState {
        focus: "370203005".into(),
        lang: "en".into(),
        view: "ring".into(),
        story: Some(("night-market".into(), 3)),
        attract: true,
        screens: true,
        data: "2026-11-27T18:00:00+08:00 3a6b6691c0de".into(),
    };
    let datagram = sync_message(&state, KEY).unwrap_or_default();
    assert_eq!(
        parse(&datagram, KEY),
        Ok(vec![HallCommand::Sync(state.clone())])
    );
    let none = HallState {
        story: None,
        ..state
    };
    let datagram = sync_message(&none, KEY).unwrap_or_default();
    assert_eq!(parse(&datagram, KEY), Ok(vec![HallCommand::Sync(none)]));
    assert!(parse(&keyed("/citygrid/sync", vec![s("x")]), KEY).is_err());
    assert!(
        sync_message(
            &HallState {
                focus: String::new(),
                lang: String::new(),
                view: String::new(),
                story: None,
                attract: false,
                screens: true,
                data: String::new(),
            },
            "wrong-key-0"
        )
        .is_some_and(|d| parse(&d, KEY).is_err())
    );
}

#[test]
fn thumbnails_travel_alone_up_to_their_own_limit() {
    let png = |n: usize| {
        let mut p = b"\x89PNG\r\n\x1a\n".to_vec();
        p.resize(n, 7);
        p
    };
    let t = ScreenThumb {
        screen: 1,
        name: "环幕 Ring".into(),
        png: png(30_000),
    };
    let d = thumb_message(KEY, &t).unwrap_or_default();
    assert!(d.len() > MAX_DATAGRAM);
    assert_eq!(parse(&d, KEY), Ok(vec![HallCommand::Thumb(t.clone())]));
    assert_eq!(
        parse(&thumb_want_message(KEY).unwrap_or_default(), KEY),
        Ok(vec![HallCommand::ThumbWant])
    );
    // Too big to send; over the limit when received.
    let big = ScreenThumb {
        png: png(MAX_THUMB_DATAGRAM),
        ..t.clone()
    };
    assert_eq!(thumb_message(KEY, &big), None);
    let mut over = d.clone();
    over.resize(MAX_THUMB_DATAGRAM + 1, 0);
    assert_eq!(
        parse(&over, KEY),
        Err(Refused::TooLarge(MAX_THUMB_DATAGRAM + 1))
    );
    // Not a PNG, a screen out of range, the wrong key.
    let not_png = ScreenThumb {
        png: vec![1, 2, 3],
        ..t.clone()
    };
    assert!(matches!(
        parse(&thumb_message(KEY, &not_png).unwrap_or_default(), KEY),
        Err(Refused::Arguments { .. })
    ));
    assert!(matches!(
        parse(
            &keyed(
                "/citygrid/thumb",
                vec![OscType::Int(99), s("x"), OscType::Blob(png(20))]
            ),
            KEY
        ),
        Err(Refused::Arguments { .. })
    ));
    assert!(matches!(
        parse(&d, "another-key-0000"),
        Err(Refused::Key(_))
    ));
    // Another message as large is refused unread.
    let mut large_focus = keyed("/citygrid/focus", vec![s(&"9".repeat(40))]);
    large_focus.resize(MAX_DATAGRAM + 100, 0);
    assert_eq!(
        parse(&large_focus, KEY),
        Err(Refused::TooLarge(MAX_DATAGRAM + 100))
    );
}

#[test]
fn a_large_datagram_is_checked_before_it_is_decoded() {
    let t = ScreenThumb {
        screen: 0,
        name: "x".into(),
        png: {
            let mut p = b"\x89PNG\r\n\x1a\n".to_vec();
            p.resize(5000, 1);
            p
        },
    };
    let good = thumb_message(KEY, &t).unwrap_or_default();
    assert!(parse(&good, KEY).is_ok());
    // The address of a thumbnail but other type tags (here: 30,000 nested arrays).
    let mut nested = b"/citygrid/thumb\0,".to_vec();
    nested.extend(std::iter::repeat_n(b'[', 20_000));
    nested.extend(std::iter::repeat_n(b']', 20_000));
    assert!(matches!(
        parse(&nested, KEY),
        Err(Refused::Arguments { .. })
    ));
    // The right tags, the wrong key.
    let wrong = thumb_message("another-key-0000", &t).unwrap_or_default();
    assert!(matches!(parse(&wrong, KEY), Err(Refused::Key(_))));
}
