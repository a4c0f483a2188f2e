use super::*;

#[test]
fn missing_fields_take_defaults() {
    let c = Config::parse("c.ron", b"(idle_timeout_s: 90)").expect("valid");
    assert_eq!(c.idle_timeout_s, 90.0);
    assert_eq!(c.language, "zh");
    assert_eq!(c.owner_names, OwnerNames::Masked);
    assert_eq!(
        Config::parse("c.ron", b"()").expect("valid"),
        Config::default()
    );
}

#[test]
fn errors_name_the_field() {
    let e = Config::parse("c.ron", b"(idle_timeout_s: 2)")
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        e.as_deref(),
        Some("c.ron: field `idle_timeout_s`: 2 is outside 10–86400 seconds")
    );
    let e = Config::parse("c.ron", b"(storey_m: 30.0)")
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        e.as_deref(),
        Some("c.ron: field `storey_m`: 30 is outside 2–6 metres")
    );
    let nan = Config::parse("c.ron", b"(storey_m: NaN)");
    assert!(nan.is_err(), "NaN is no storey height");
    assert_eq!(
        Config::parse("c.ron", b"(storey_m: 3.5, attract_3d: true)")
            .map(|c| (c.storey_m, c.attract_3d))
            .ok(),
        Some((3.5, true))
    );
    let e = Config::parse("c.ron", b"(\n  idle_timout_s: 60,\n)")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        e.starts_with("c.ron:2:") && e.contains("idle_timout_s"),
        "{e}"
    );
    let e = Config::parse("c.ron", b"(language: \"fr\")")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("field `language`"), "{e}");
    let e = Config::parse("c.ron", b"(screen: (diagonal_in: \"big\"))")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.starts_with("c.ron:1:"), "{e}");
    let e = Config::parse("c.ron", b"(pin_hash: Some(\"1234\"))")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("field `pin_hash`"), "{e}");
    let e = Config::parse("c.ron", b"(pace: (ambient_fps: 0))")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("field `pace.ambient_fps`"), "{e}");
    let e = Config::parse("c.ron", b"(pace: (rest_wait_s: 1e9))")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("field `pace.rest_wait_s`"), "{e}");
    assert!(Config::parse("c.ron", &[0xff, 0xfe]).is_err());
}

#[test]
fn pin_hash_round_trips_and_rejects_wrong_pins() {
    let h = PinHash::new("2468").expect("hashed");
    let parsed = PinHash::parse(&h.to_string()).expect("parses");
    assert!(parsed.matches("2468"));
    assert!(!parsed.matches("2469"));
    assert!(!parsed.matches(""));
    // As the configuration holds it: a RON string.
    let config = format!("(pin_hash: Some(\"{h}\"))");
    let c = Config::parse("c.ron", config.as_bytes()).expect("valid");
    assert_eq!(c.pin_hash, Some(h.to_string()));
}

#[test]
fn touch_targets_are_fifteen_millimetres() {
    let s = Screen::default();
    // A 55" full-HD panel has about 0.63 mm pixels: 15 mm is 24 px.
    assert_eq!(s.min_target_px(), 24.0);
    let small = Screen {
        diagonal_in: 24.0,
        width_px: 1920,
        height_px: 1080,
    };
    assert_eq!(small.min_target_px(), 55.0);
}

#[test]
fn show_control_is_off_unless_configured_and_checked() {
    assert_eq!(Config::default().osc, None);
    let ok = Config::parse(
        "c.ron",
        br#"(osc: Some((port: 9000, key: "hall-key-2026", allow: ["192.168.10.20"])))"#,
    );
    let osc = ok.ok().and_then(|c| c.osc);
    assert_eq!(osc.as_ref().map(|o| o.bind.as_str()), Some("127.0.0.1"));
    assert_eq!(osc.map(|o| o.max_per_s), Some(50));
    for (text, field) in [
        (&br#"(osc: Some((key: "short")))"#[..], "osc.key"),
        (
            &br#"(osc: Some((port: 80, key: "hall-key-2026")))"#[..],
            "osc.port",
        ),
        (
            &br#"(osc: Some((key: "hall-key-2026", allow: ["hall-pc"])))"#[..],
            "osc.allow",
        ),
        (
            &br#"(osc: Some((key: "hall-key-2026", bind: "lan")))"#[..],
            "osc.bind",
        ),
        (
            &br#"(osc: Some((key: "hall-key-2026", followers: ["ring-pc"])))"#[..],
            "osc.followers",
        ),
        (
            &br#"(osc: Some((key: "hall-key-2026", leader_timeout_s: 0.5)))"#[..],
            "osc.leader_timeout_s",
        ),
        (
            &br#"(osc: Some((port: 9000, key: "hall-key-2026", followers: ["127.0.0.1:9000"])))"#[..],
            "osc.followers",
        ),
        (
            &br#"(osc: Some((key: "hall-key-2026", leader: Some("table-pc"))))"#[..],
            "osc.leader",
        ),
        (
            &br#"(osc: Some((key: "hall-key-2026", leader: Some("127.0.0.1:9000"))))"#[..],
            "osc.leader",
        ),
        (
            &br#"(osc: Some((key: "hall-key-2026", leader: Some("192.168.10.11:9000"))))"#[..],
            "osc.leader",
        ),
        (
            &br#"(osc: Some((port: 9001, key: "hall-key-2026", lead: true, leader: Some("127.0.0.1:9000"))))"#[..],
            "osc.leader",
        ),
    ] {
        let e = Config::parse("c.ron", text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains(&format!("field `{field}`")), "{e}");
    }
}

#[test]
fn the_example_configuration_that_ships_is_valid() {
    let c = Config::parse(
        "deploy/citygrid.example.ron",
        include_bytes!("../deploy/citygrid.example.ron"),
    );
    let c = c.unwrap_or_else(|e| panic!("{e}"));
    assert!(c.kiosk && c.osc.is_some() && c.hours.is_some());
}

#[test]
fn the_docents_console_is_off_unless_configured_and_needs_an_argon2id_pin() {
    assert_eq!(Config::default().console, None);
    let hash = crate::config::PinHash::new("1357").map(|h| h.to_string());
    let hash = hash.unwrap_or_default();
    let text = format!("(console: Some((port: 8088, pin_hash: Some({hash:?}))))");
    let c = Config::parse("c.ron", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let console = c.console.unwrap_or_default();
    assert_eq!(
        (console.bind.as_str(), console.max_attempts),
        ("127.0.0.1", 5)
    );
    for (text, field) in [
        ("(console: Some(()))".to_string(), "console.pin_hash"),
        (
            "(console: Some((pin_hash: Some(\"blake3:00:00\"))))".to_string(),
            "console.pin_hash",
        ),
        (
            format!("(console: Some((port: 80, pin_hash: Some({hash:?}))))"),
            "console.port",
        ),
        (
            format!("(console: Some((bind: \"lan\", pin_hash: Some({hash:?}))))"),
            "console.bind",
        ),
        (
            format!("(console: Some((max_attempts: 1000, pin_hash: Some({hash:?}))))"),
            "console.max_attempts",
        ),
        (
            format!("(console: Some((lockout_s: 1, pin_hash: Some({hash:?}))))"),
            "console.lockout_s",
        ),
    ] {
        let e = Config::parse("c.ron", text.as_bytes())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains(&format!("field `{field}`")), "{text}: {e}");
    }
}
