//! Show control over OSC against the real exhibit (under a display: Xvfb + lavapipe in CI,
//! via `scripts/test.sh`): a focus and a language sent with the hall's key are shown and
//! answered by `/citygrid/state`; a wrong key, an unknown address and a flood of 10,000
//! junk datagrams change nothing, and the exhibit still answers. A leader and a follower
//! as two processes on the loopback address: the follower shows what the leader shows,
//! runs on its own when the leader is gone, and follows it again when it is back; the same
//! with `--lead` and `--follow` on the command line (a story's step reaches the follower, a
//! sync from anyone but its leader does not, a restarted leader is found again).

mod common;

use std::net::UdpSocket;
use std::process::Command;
use std::time::{Duration, Instant};

use rosc::{OscMessage, OscPacket, OscType};

const KEY: &str = "hall-key-2026";

use common::Killed as Exhibit;

fn send(socket: &UdpSocket, port: u16, addr: &str, args: Vec<OscType>) {
    let packet = OscPacket::Message(OscMessage {
        addr: addr.into(),
        args,
    });
    let bytes = rosc::encoder::encode(&packet).expect("encode");
    socket.send_to(&bytes, ("127.0.0.1", port)).expect("send");
}

fn s(v: &str) -> OscType {
    OscType::String(v.into())
}

/// Asks for the state until `want` holds of its arguments (or 60 s pass): the exhibit
/// needs a while to start under a software renderer.
fn state_until(socket: &UdpSocket, port: u16, want: impl Fn(&[OscType]) -> bool) -> Vec<OscType> {
    let until = Instant::now() + Duration::from_secs(60);
    let mut last = Vec::new();
    let mut buf = [0u8; 2048];
    while Instant::now() < until {
        send(socket, port, "/citygrid/state", vec![s(KEY)]);
        if let Ok((n, _)) = socket.recv_from(&mut buf)
            && let Ok((_, OscPacket::Message(m))) = rosc::decoder::decode_udp(&buf[..n])
        {
            assert_eq!(m.addr, "/citygrid/state");
            if want(&m.args) {
                return m.args;
            }
            last = m.args;
        }
    }
    panic!(
        "the state never matched; last {last:?} (the exhibit's log is stderr.log in its temporary folder)"
    );
}

use common::free_udp_port as free_port;

fn spawn(dir: &std::path::Path, name: &str, config: &str, args: &[&str]) -> Exhibit {
    common::spawn_exhibit(dir, name, config, args)
}

/// The exhibit with `osc` as its configuration's OSC section.
fn exhibit(dir: &std::path::Path, name: &str, osc: &str) -> Exhibit {
    spawn(dir, name, &format!("(osc: Some(({osc})))"), &[])
}

/// The exhibit started with `args` after a configuration holding only the hall's key.
fn exhibit_with(dir: &std::path::Path, name: &str, args: &[&str]) -> Exhibit {
    spawn(dir, name, &format!("(osc: Some((key: \"{KEY}\")))"), args)
}

/// The resident memory of a process, KiB (Linux).
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn client() -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("socket");
    socket
        .set_read_timeout(Some(Duration::from_millis(500)))
        .expect("timeout");
    socket
}

#[test]
fn a_follower_shows_what_its_leader_shows_and_runs_on_its_own_without_it() {
    if !common::display_available("the OSC tests") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("citygrid-osc-hall-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let (lead_port, follow_port) = (free_port(), free_port());
    let leader_osc =
        format!("port: {lead_port}, key: \"{KEY}\", followers: [\"127.0.0.1:{follow_port}\"]");
    let _follower = exhibit(
        &dir,
        "follower",
        &format!("port: {follow_port}, key: \"{KEY}\", leader_timeout_s: 2.0"),
    );
    let leader = exhibit(&dir, "leader", &leader_osc);
    let socket = client();
    state_until(&socket, lead_port, |_| true);

    send(
        &socket,
        lead_port,
        "/citygrid/focus",
        vec![s(KEY), s("370203005")],
    );
    send(&socket, lead_port, "/citygrid/lang", vec![s(KEY), s("en")]);
    state_until(&socket, follow_port, |a| {
        a.first() == Some(&s("370203005")) && a.get(1) == Some(&s("en"))
    });

    // The leader gone: after leader_timeout_s the follower runs its own attract mode.
    drop(leader);
    state_until(&socket, follow_port, |a| a.get(5) == Some(&OscType::Int(1)));

    // Back (a fresh process at the district): followed again.
    let _leader = exhibit(&dir, "leader-again", &leader_osc);
    state_until(&socket, lead_port, |_| true);
    state_until(&socket, follow_port, |a| {
        a.get(5) == Some(&OscType::Int(0)) && a.first() == Some(&s("370203"))
    });
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn lead_and_follow_on_the_command_line_make_one_hall() {
    if !common::display_available("the OSC tests") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("citygrid-osc-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let (lead_port, follow_port) = (free_port(), free_port());
    let (lp, fp) = (lead_port.to_string(), follow_port.to_string());
    let leader_at = format!("127.0.0.1:{lead_port}");
    // The follower first: it asks until a leader answers.
    let _follower = exhibit_with(
        &dir,
        "follower",
        &["--osc-port", &fp, "--follow", &leader_at],
    );
    let leader = exhibit_with(&dir, "leader", &["--osc-port", &lp, "--lead"]);
    let socket = client();
    state_until(&socket, lead_port, |_| true);

    send(
        &socket,
        lead_port,
        "/citygrid/focus",
        vec![s(KEY), s("370203005")],
    );
    send(&socket, lead_port, "/citygrid/lang", vec![s(KEY), s("en")]);
    state_until(&socket, follow_port, |a| {
        a.first() == Some(&s("370203005")) && a.get(1) == Some(&s("en"))
    });
    // A story and a step on the leader: the follower plays the same step.
    send(
        &socket,
        lead_port,
        "/citygrid/story/start",
        vec![s(KEY), s("fangyuan-night-market")],
    );
    send(&socket, lead_port, "/citygrid/story/next", vec![s(KEY)]);
    state_until(&socket, follow_port, |a| {
        a.get(3) == Some(&s("fangyuan-night-market")) && a.get(4) == Some(&OscType::Int(1))
    });
    send(&socket, lead_port, "/citygrid/story/end", vec![s(KEY)]);
    let ended = state_until(&socket, follow_port, |a| a.get(3) == Some(&s("")));
    // The hall's screens go black together, and light up together.
    send(
        &socket,
        lead_port,
        "/citygrid/screens",
        vec![s(KEY), OscType::Int(0)],
    );
    state_until(&socket, follow_port, |a| a.get(7) == Some(&OscType::Int(0)));
    send(
        &socket,
        lead_port,
        "/citygrid/screens",
        vec![s(KEY), OscType::Int(1)],
    );
    state_until(&socket, follow_port, |a| a.get(7) == Some(&OscType::Int(1)));
    send(
        &socket,
        lead_port,
        "/citygrid/attract",
        vec![s(KEY), OscType::Int(0)],
    );
    let ended = state_until(&socket, follow_port, |a| {
        a.get(5) == Some(&OscType::Int(0)) && a.get(3) == ended.get(3)
    });

    // A sync with the key but not from the leader's port: the follower ignores it.
    let mut spoof = ended.clone();
    spoof[0] = s("370203001");
    let mut args = vec![s(KEY)];
    args.extend(spoof);
    send(&socket, follow_port, "/citygrid/sync", args);
    std::thread::sleep(Duration::from_secs(2));
    let kept = state_until(&socket, follow_port, |_| true);
    assert_eq!(kept[0], ended[0], "a sync from a stranger was followed");

    // The leader restarted (at the district): the follower finds it again by itself,
    // before its own timeout (10 s) could have run out.
    drop(leader);
    let _leader = exhibit_with(&dir, "leader-again", &["--osc-port", &lp, "--lead"]);
    state_until(&socket, lead_port, |_| true);
    let back = state_until(&socket, follow_port, |a| a.first() == Some(&s("370203")));
    assert_eq!(back[5], OscType::Int(0), "following, not in its own tour");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn hall_options_without_a_key_are_refused_before_any_window() {
    let dir = std::env::temp_dir().join(format!("citygrid-osc-nokey-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let config = dir.join("plain.ron");
    // Exits with status 2 before any window, saying `says`.
    let refused = |args: &[&str], says: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_citygrid"))
            .arg("--config")
            .arg(&config)
            .args(args)
            .env("XDG_DATA_HOME", &dir)
            .output()
            .expect("citygrid runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    };
    std::fs::write(&config, "()").expect("config");
    for args in [
        &["--lead"][..],
        &["--osc-port", "9100"][..],
        &["--follow", "127.0.0.1:9000"][..],
    ] {
        refused(args, "need the hall's key");
    }
    std::fs::write(
        &config,
        format!("(osc: Some((key: \"{KEY}\", port: 9100)))"),
    )
    .expect("config");
    refused(&["--follow", "table-pc:9000"], "osc.leader");
    refused(&["--follow", "127.0.0.1:9100"], "cannot follow itself");
    refused(
        &["--lead", "--follow", "127.0.0.1:9000"],
        "cannot be used with",
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn show_control_drives_the_exhibit_and_junk_changes_nothing() {
    if !common::display_available("the OSC tests") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("citygrid-osc-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let port = free_port();
    let exhibit = exhibit(
        &dir,
        "stderr",
        &format!("port: {port}, key: \"{KEY}\", allow: [\"127.0.0.1\"]"),
    );
    let socket = client();

    let start = state_until(&socket, port, |_| true);
    assert_eq!(start[0], s("370203"), "the demo starts at the district");
    assert_eq!(start[1], s("zh"));

    send(
        &socket,
        port,
        "/citygrid/focus",
        vec![s(KEY), s("370203005")],
    );
    send(&socket, port, "/citygrid/lang", vec![s(KEY), s("en")]);
    let shown = state_until(&socket, port, |a| {
        a.first() == Some(&s("370203005")) && a.get(1) == Some(&s("en"))
    });
    assert_eq!(shown[5], OscType::Int(0), "not in the attract mode");

    // A wrong key, an unknown address and 10,000 junk datagrams: dropped, and the memory
    // the exhibit holds does not grow with them.
    std::thread::sleep(Duration::from_secs(1));
    let rss_before = rss_kib(exhibit.0.id());
    send(
        &socket,
        port,
        "/citygrid/focus",
        vec![s("wrong-key-000"), s("370203")],
    );
    send(&socket, port, "/citygrid/quit", vec![s(KEY)]);
    let mut x: u32 = 12_345;
    for i in 0..10_000u32 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let junk: Vec<u8> = (0..(x % 300))
            .map(|k| (x >> (k % 24)) as u8 ^ i as u8)
            .collect();
        let _ = socket.send_to(&junk, ("127.0.0.1", port));
    }
    // Answers to earlier queries may still be queued: drained first.
    std::thread::sleep(Duration::from_secs(1));
    let mut buf = [0u8; 2048];
    while socket.recv_from(&mut buf).is_ok() {}
    let after = state_until(&socket, port, |_| true);
    assert_eq!(after[0], s("370203005"), "the focus did not move");
    let rss_after = rss_kib(exhibit.0.id());
    eprintln!("resident memory around the junk flood: {rss_before} KiB → {rss_after} KiB");
    assert!(
        rss_after < rss_before + 8 * 1024,
        "the flood grew the exhibit by {} KiB",
        rss_after.saturating_sub(rss_before)
    );
    assert_eq!(after[1], s("en"));

    // The attract tour on command (the reset for the next visitor, then the tour), and a
    // focus that ends it where the command says.
    send(
        &socket,
        port,
        "/citygrid/attract",
        vec![s(KEY), OscType::Int(1)],
    );
    state_until(&socket, port, |a| a.get(5) == Some(&OscType::Int(1)));
    send(
        &socket,
        port,
        "/citygrid/focus",
        vec![s(KEY), s("370203005")],
    );
    let woken = state_until(&socket, port, |a| a.get(5) == Some(&OscType::Int(0)));
    let settled = state_until(&socket, port, |a| a.first() == Some(&s("370203005")));
    assert_eq!(settled[5], OscType::Int(0), "{woken:?} → {settled:?}");
    assert_eq!(settled[7], OscType::Int(1), "the screens are on");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn outside_the_opening_hours_the_screens_are_black_until_told() {
    if !common::display_available("the OSC tests") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("citygrid-osc-hours-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let port = free_port();
    let _exhibit = spawn(
        &dir,
        "closed",
        &format!(
            "(osc: Some((port: {port}, key: \"{KEY}\")), \
             hours: Some((closed: [\"2000-01-01..2100-12-31\"])))"
        ),
        &[],
    );
    let socket = client();
    let start = state_until(&socket, port, |_| true);
    assert_eq!(start[7], OscType::Int(0), "closed: black from the start");
    assert_eq!(start[5], OscType::Int(0), "no attract tour while black");
    // On by command (staff after hours): awake, into the attract mode.
    send(
        &socket,
        port,
        "/citygrid/screens",
        vec![s(KEY), OscType::Int(1)],
    );
    state_until(&socket, port, |a| {
        a.get(7) == Some(&OscType::Int(1)) && a.get(5) == Some(&OscType::Int(1))
    });
    send(
        &socket,
        port,
        "/citygrid/screens",
        vec![s(KEY), OscType::Int(0)],
    );
    state_until(&socket, port, |a| a.get(7) == Some(&OscType::Int(0)));
    let _ = std::fs::remove_dir_all(&dir);
}
