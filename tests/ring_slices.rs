//! The ring split across outputs: screenshots of three slices of the 301° canvas
//! (`--ring-slice`), placed side by side, are the screenshot of the whole canvas — widgets,
//! values and the calm motion's phase agree across the seams (under a display: Xvfb +
//! lavapipe in CI, via `scripts/test.sh`).

mod common;

use std::path::Path;
use std::process::Command;

use image::RgbImage;

fn ring_shot(dir: &Path, name: &str, size: &str, slice: Option<&str>) -> RgbImage {
    let out = dir.join(format!("{name}.png"));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_citygrid"));
    cmd.args(["shot", "--view", "ring", "--size", size, "-o"])
        .arg(&out)
        .env("XDG_DATA_HOME", dir);
    if let Some(s) = slice {
        cmd.args(["--ring-slice", s]);
    }
    let o = cmd.output().expect("citygrid runs");
    assert!(
        o.status.success(),
        "shot {name}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    image::open(&out).expect("a PNG").to_rgb8()
}

#[test]
fn three_slices_side_by_side_are_the_whole_ring() {
    if !common::display_available("the ring slice test") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("citygrid-slices-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    // The 7680 × 1080 canvas at a quarter: 1920 × 270, three outputs of 640 × 270.
    let whole = ring_shot(&dir, "whole", "1920x270", None);
    let slices = ["0..100.33", "100.33..200.67", "200.67..301"];
    let mut joined = RgbImage::new(1920, 270);
    for (i, s) in slices.iter().enumerate() {
        let part = ring_shot(&dir, &format!("slice{i}"), "640x270", Some(s));
        assert_eq!(part.dimensions(), (640, 270));
        image::imageops::replace(&mut joined, &part, i as i64 * 640, 0);
    }
    let changed = whole
        .pixels()
        .zip(joined.pixels())
        .filter(|(a, b)| {
            a.0.iter()
                .zip(b.0.iter())
                .any(|(x, y)| (i32::from(*x) - i32::from(*y)).abs() > 40)
        })
        .count();
    let share = changed as f64 / f64::from(1920 * 270);
    // Text is laid out per output (its glyphs at the size they land on): a few edge pixels
    // differ; a misplaced slice or a motion out of phase would differ by whole panels.
    if share >= 0.005 {
        let _ = joined.save(dir.join("joined.png"));
        panic!(
            "{changed} pixels ({:.2}%) differ between the whole ring and its slices side by \
             side; see {}",
            share * 100.0,
            dir.display()
        );
    }
    // And the slices are not all the same picture (each shows its part).
    let a = image::imageops::crop_imm(&joined, 0, 0, 640, 270).to_image();
    let b = image::imageops::crop_imm(&joined, 640, 0, 640, 270).to_image();
    assert_ne!(a, b, "the slices show different parts of the ring");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_slice_outside_the_ring_is_refused() {
    let dir = std::env::temp_dir().join(format!("citygrid-slice-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    for (slice, says) in [
        ("0..400", "0 <= FROM < TO <= 360"),
        ("200..100", "0 <= FROM < TO <= 360"),
        ("a..b", "not a number"),
        ("0..320", "the ring spans 301"),
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_citygrid"))
            .args(["--view", "ring", "--ring-slice", slice])
            .env("XDG_DATA_HOME", &dir)
            .output()
            .expect("citygrid runs");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{slice}: {err}");
        assert!(err.contains(says), "{slice}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
