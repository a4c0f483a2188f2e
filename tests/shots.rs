//! Screenshots of the real exhibit under a display (Xvfb + lavapipe in CI, via
//! `scripts/test.sh`): every drill level renders, differs from the others, shows the demo
//! badge, highlights the selection, and switches language; and every picture matches its
//! stored reference in `tests/reference/` (visual regression, see `docs/testing.md`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use image::RgbImage;

fn shot(dir: &Path, name: &str, args: &[&str]) -> RgbImage {
    let out = dir.join(format!("{name}.png"));
    let o = Command::new(env!("CARGO_BIN_EXE_citygrid"))
        .arg("shot")
        .args(["--size", "1280x720", "-o"])
        .arg(&out)
        // A private data directory: no accepted snapshot or configuration of this machine.
        .env("XDG_DATA_HOME", dir)
        .args(args)
        .output()
        .expect("citygrid runs");
    let log = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "shot {name} failed: {log}");
    // A clean start: no warning or error in the log but the software renderer's notice
    // (on these machines, lavapipe).
    let noise: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("WARN") || l.contains("ERROR"))
        .filter(|l| !l.contains("only supports software rendering"))
        .collect();
    assert!(noise.is_empty(), "shot {name} logged: {noise:#?}");
    image::open(&out).expect("a PNG was written").to_rgb8()
}

/// A pixel counts as changed when one of its channels moved by more than this.
const PIXEL_TOLERANCE: i32 = 32;
/// A picture fails when more than this share of its pixels changed (0.1%: 922 pixels of
/// 1280 × 720 — less than one short label, far less than a moved panel).
const CHANGED_SHARE: f64 = 0.001;

/// Compares a shot with `tests/reference/NAME.png`. With `CITYGRID_UPDATE_REFERENCES=1`
/// the shot becomes the reference instead. On failure the shot and a picture of the
/// changed pixels are left in `target/visual-diff/` to look at.
fn check_reference(name: &str, shot: &RgbImage) -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let reference_path = root.join("tests/reference").join(format!("{name}.png"));
    if std::env::var("CITYGRID_UPDATE_REFERENCES").as_deref() == Ok("1") {
        shot.save(&reference_path).expect("reference written");
        eprintln!("updated {}", reference_path.display());
        return Ok(());
    }
    let reference = image::open(&reference_path)
        .map_err(|e| format!("{}: {e}", reference_path.display()))?
        .to_rgb8();
    let (changed, diff) = changed_pixels(&reference, shot);
    let share = changed as f64 / (shot.width() * shot.height()) as f64;
    if share <= CHANGED_SHARE {
        return Ok(());
    }
    let out = root.join("target/visual-diff");
    std::fs::create_dir_all(&out).expect("diff folder");
    shot.save(out.join(format!("{name}.png")))
        .expect("shot saved");
    diff.save(out.join(format!("{name}-diff.png")))
        .expect("diff saved");
    Err(format!(
        "{name}: {changed} pixels ({:.3}%) differ from {} (allowed {:.1}%); see {}",
        share * 100.0,
        reference_path.display(),
        CHANGED_SHARE * 100.0,
        out.display()
    ))
}

/// The number of changed pixels, and a picture: the reference dimmed, changes in magenta.
fn changed_pixels(reference: &RgbImage, shot: &RgbImage) -> (usize, RgbImage) {
    if reference.dimensions() != shot.dimensions() {
        let n = (shot.width() * shot.height()) as usize;
        return (n, shot.clone());
    }
    let mut diff = RgbImage::new(shot.width(), shot.height());
    let mut changed = 0;
    for ((a, b), d) in reference.pixels().zip(shot.pixels()).zip(diff.pixels_mut()) {
        let moved = (0..3).any(|i| (a.0[i] as i32 - b.0[i] as i32).abs() > PIXEL_TOLERANCE);
        if moved {
            changed += 1;
            d.0 = [255, 0, 255];
        } else {
            d.0 = [a.0[0] / 4, a.0[1] / 4, a.0[2] / 4];
        }
    }
    (changed, diff)
}

fn count_color(
    img: &RgbImage,
    rgb: [u8; 3],
    tol: i32,
    region: Option<(u32, u32, u32, u32)>,
) -> usize {
    let (x0, y0, x1, y1) = region.unwrap_or((0, 0, img.width(), img.height()));
    let mut n = 0;
    for y in y0..y1.min(img.height()) {
        for x in x0..x1.min(img.width()) {
            let p = img.get_pixel(x, y).0;
            if (0..3).all(|i| (p[i] as i32 - rgb[i] as i32).abs() <= tol) {
                n += 1;
            }
        }
    }
    n
}

fn mean_difference(a: &RgbImage, b: &RgbImage) -> f64 {
    let total: u64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(x, y)| (*x as i32 - *y as i32).unsigned_abs() as u64)
        .sum();
    total as f64 / a.as_raw().len() as f64
}

fn distinct_colors(img: &RgbImage) -> usize {
    let mut seen = std::collections::HashSet::new();
    for p in img.pixels().step_by(7) {
        seen.insert(p.0);
    }
    seen.len()
}

#[test]
fn every_level_renders_differently() {
    if !common::display_available("screenshot tests") {
        return;
    }
    let dir: PathBuf = std::env::temp_dir().join(format!("citygrid-shots-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let district = shot(&dir, "district", &[]);
    let street = shot(&dir, "street", &["--focus", "370203005"]);
    let community = shot(&dir, "community", &["--focus", "370203005001"]);
    let building = shot(&dir, "building", &["--focus", "3702030050010003"]);
    let english = shot(&dir, "district-en", &["--lang", "en"]);
    // A grid (网格) of that community, and an overdue case in it with its card open.
    let grid = shot(&dir, "grid", &["--focus", "370203005001002"]);
    let grid_en = shot(
        &dir,
        "grid-en",
        &["--focus", "370203005001002", "--lang", "en"],
    );
    let case = shot(&dir, "case", &["--focus", "SB202611250062"]);
    let case_en = shot(
        &dir,
        "case-en",
        &["--focus", "SB202611250062", "--lang", "en"],
    );
    // A story's step (the night market's joint drill, in its grid), and in English the
    // step that opens one case's card (city management framed on the ring).
    let story = shot(
        &dir,
        "story",
        &["--story", "fangyuan-night-market", "--step", "3"],
    );
    let story_en = shot(
        &dir,
        "story-en",
        &[
            "--story",
            "fangyuan-night-market",
            "--step",
            "5",
            "--lang",
            "en",
        ],
    );

    let background = [0x07, 0x0e, 0x1c];
    let highlight = [0xff, 0xd1, 0x66];
    let badge = [0xff, 0xc8, 0x57];
    for (name, img) in [
        ("district", &district),
        ("street", &street),
        ("community", &community),
        ("building", &building),
        ("grid", &grid),
        ("case", &case),
        ("story", &story),
        ("story-en", &story_en),
    ] {
        assert_eq!((img.width(), img.height()), (1280, 720), "{name}");
        let bg = count_color(img, background, 2, None) as f64 / (1280.0 * 720.0);
        assert!(
            bg < 0.9,
            "{name} is mostly empty ({:.0}% background)",
            bg * 100.0
        );
        assert!(
            distinct_colors(img) > 60,
            "{name} has too few colors to be a map"
        );
        // The demo badge sits in the top-right corner while the snapshot says demo.
        assert!(
            count_color(img, badge, 6, Some((640, 0, 1280, 90))) > 300,
            "{name} lacks the demo badge"
        );
    }
    assert_eq!(
        count_color(&district, highlight, 6, Some((0, 120, 900, 415))),
        0,
        "nothing selected on the district view"
    );
    for (name, img) in [
        ("street", &street),
        ("community", &community),
        ("building", &building),
        ("grid", &grid),
    ] {
        assert!(
            count_color(img, highlight, 8, Some((0, 120, 900, 415))) > 200,
            "{name} highlights its selection"
        );
    }
    // The case card (right) marks the overdue case in red: its status and the stage late.
    let alert = [0xff, 0x4d, 0x4f];
    for (name, img) in [("case", &case), ("case-en", &case_en)] {
        assert!(
            count_color(img, alert, 24, Some((960, 60, 1280, 720))) > 40,
            "{name}: the card does not mark the case overdue"
        );
    }
    // A story's caption sits where the breadcrumb was, framed in the selection's color,
    // and the ring's strip frames the step's departments in it too.
    let strip = Some((0, 515, 970, 655));
    let unframed = count_color(&grid, highlight, 8, strip);
    for (name, img) in [("story", &story), ("story-en", &story_en)] {
        assert!(
            count_color(img, highlight, 8, Some((0, 50, 640, 120))) > 300,
            "{name}: no story caption under the title"
        );
        let framed = count_color(img, highlight, 8, strip);
        assert!(
            framed > unframed + 100,
            "{name}: the strip frames no department ({framed} against {unframed} px)"
        );
    }
    let pairs = [
        ("story/grid", &story, &grid),
        ("story zh/en", &story, &story_en),
        ("district/street", &district, &street),
        ("street/community", &street, &community),
        ("community/building", &community, &building),
        ("community/grid", &community, &grid),
        ("grid/case", &grid, &case),
        ("grid zh/en", &grid, &grid_en),
        ("case zh/en", &case, &case_en),
        ("zh/en", &district, &english),
    ];
    for (name, a, b) in pairs {
        let d = mean_difference(a, b);
        assert!(d > 0.5, "{name} look the same (mean difference {d:.2})");
    }
    // Every building on the district view (drawn as one picture, see `scene::picture`).
    let all_buildings = shot(&dir, "district-all", &["--all-buildings"]);
    let d = mean_difference(&district, &all_buildings);
    assert!(
        d > 1.0,
        "all buildings look like the plain district ({d:.2})"
    );
    // The map in 3D (issue 17): raised subdistricts, and a subdistrict's communities.
    let district_3d = shot(&dir, "district-3d", &["--3d"]);
    let street_3d_en = shot(
        &dir,
        "street-3d-en",
        &["--3d", "--lang", "en", "--focus", "370203021"],
    );
    let community_3d = shot(&dir, "community-3d", &["--3d", "--focus", "370203021001"]);
    // A building's floor stack: figures per floor (zh), and totals spread, said so (en).
    let building_3d = shot(
        &dir,
        "building-3d",
        // Its third floor picked: the slab lit and the floor banded on the building.
        &["--3d", "--focus", "3702030050010004", "--floor", "3"],
    );
    let building_3d_en = shot(
        &dir,
        "building-3d-en",
        &["--3d", "--lang", "en", "--focus", "3702030050010003"],
    );
    // Every building standing on the flat district (one merged mesh).
    let all_3d = shot(&dir, "district-all-3d", &["--3d", "--all-buildings"]);
    for (name, a, b) in [
        ("district flat/3D", &district, &district_3d),
        ("community flat/3D", &community, &community_3d),
        ("district 3D / street 3D", &district_3d, &street_3d_en),
        ("building flat/3D", &building, &building_3d),
        ("all buildings flat/3D", &all_buildings, &all_3d),
    ] {
        let d = mean_difference(a, b);
        assert!(d > 1.0, "{name} look the same ({d:.2})");
    }
    // The ring: the LED canvas and the hall view render and differ from the map.
    let ring = shot(&dir, "ring", &["--view", "ring"]);
    let hall = shot(&dir, "hall", &["--view", "hall", "--focus", "370203016"]);
    // The hall view on data as command centers commonly export it (district series, one
    // value per subdistrict): no empty panel, no one-bar chart.
    let mut exported = citygrid::demo::load_demo().expect("demo").snapshot;
    citygrid::generate::metrics::as_commonly_exported(&mut exported);
    let exported_file = dir.join("exported.ron");
    std::fs::write(
        &exported_file,
        citygrid::snapshot::to_ron(&exported).expect("encodes"),
    )
    .expect("write");
    let exported_path = exported_file.display().to_string();
    let hall_exported = shot(
        &dir,
        "hall-exported",
        &[
            "--view",
            "hall",
            "--focus",
            "370203016",
            "--snapshot",
            &exported_path,
        ],
    );
    for (name, img) in [("ring", &ring), ("hall", &hall)] {
        assert!(distinct_colors(img) > 100, "{name} has too few colors");
        assert!(
            mean_difference(img, &district) > 5.0,
            "{name} looks like the map"
        );
    }
    // Visual regression: every picture as stored (all checked before failing, so one run
    // shows every picture that changed).
    let failures: Vec<String> = [
        ("district", &district),
        ("street", &street),
        ("community", &community),
        ("building", &building),
        ("district-en", &english),
        ("grid", &grid),
        ("grid-en", &grid_en),
        ("case", &case),
        ("case-en", &case_en),
        ("story", &story),
        ("story-en", &story_en),
        ("district-all", &all_buildings),
        ("district-3d", &district_3d),
        ("street-3d-en", &street_3d_en),
        ("community-3d", &community_3d),
        ("building-3d", &building_3d),
        ("building-3d-en", &building_3d_en),
        ("district-all-3d", &all_3d),
        ("ring", &ring),
        ("hall", &hall),
        ("hall-exported", &hall_exported),
    ]
    .into_iter()
    .filter_map(|(name, img)| check_reference(name, img).err())
    .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every department's color shows on the ring.
    for rgb in [
        [0xe5, 0x48, 0x4d],
        [0xf5, 0xa5, 0x24],
        [0x3e, 0x9b, 0xff],
        [0x30, 0xc2, 0x6b],
    ] {
        assert!(
            count_color(&ring, rgb, 10, None) > 100,
            "department color {rgb:?} missing on the ring"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
