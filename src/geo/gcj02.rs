//! GCJ-02 ("Mars coordinates", used by Chinese web maps) to and from WGS 84. The offset is
//! the published obfuscation formula; the inverse is found by iteration to well under a
//! centimetre. Outside China there is no offset. BD-09 (Baidu's system, a further shift
//! of GCJ-02) to and from GCJ-02 by Baidu's published formula.

const A: f64 = 6_378_245.0;
const EE: f64 = 0.006_693_421_622_965_943;

fn out_of_china(lon: f64, lat: f64) -> bool {
    !(72.004..=137.8347).contains(&lon) || !(0.8293..=55.8271).contains(&lat)
}

fn transform_lat(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn transform_lon(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// WGS 84 → GCJ-02, (lon, lat) in degrees.
pub fn from_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    use std::f64::consts::PI;
    if out_of_china(lon, lat) {
        return (lon, lat);
    }
    let mut d_lat = transform_lat(lon - 105.0, lat - 35.0);
    let mut d_lon = transform_lon(lon - 105.0, lat - 35.0);
    let rad_lat = lat / 180.0 * PI;
    let magic = 1.0 - EE * rad_lat.sin().powi(2);
    let sqrt_magic = magic.sqrt();
    d_lat = (d_lat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI);
    d_lon = (d_lon * 180.0) / (A / sqrt_magic * rad_lat.cos() * PI);
    (lon + d_lon, lat + d_lat)
}

/// GCJ-02 → WGS 84, (lon, lat) in degrees.
pub fn to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    if out_of_china(lon, lat) {
        return (lon, lat);
    }
    let (mut x, mut y) = (lon, lat);
    for _ in 0..20 {
        let (gx, gy) = from_wgs84(x, y);
        let (dx, dy) = (gx - lon, gy - lat);
        x -= dx;
        y -= dy;
        if dx.abs() < 1e-11 && dy.abs() < 1e-11 {
            break;
        }
    }
    (x, y)
}

/// `X_PI` of the BD-09 formula: π · 3000 / 180.
const X_PI: f64 = std::f64::consts::PI * 3000.0 / 180.0;

/// BD-09 longitude/latitude (degrees) to GCJ-02.
pub fn bd09_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    let (x, y) = (lon - 0.0065, lat - 0.006);
    let z = x.hypot(y) - 0.000_02 * (y * X_PI).sin();
    let theta = y.atan2(x) - 0.000_003 * (x * X_PI).cos();
    (z * theta.cos(), z * theta.sin())
}

/// GCJ-02 longitude/latitude (degrees) to BD-09.
pub fn gcj02_to_bd09(lon: f64, lat: f64) -> (f64, f64) {
    let z = lon.hypot(lat) + 0.000_02 * (lat * X_PI).sin();
    let theta = lat.atan2(lon) + 0.000_003 * (lon * X_PI).cos();
    (z * theta.cos() + 0.0065, z * theta.sin() + 0.006)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_in_qingdao_is_a_few_hundred_metres_and_inverts() {
        let (lon, lat) = (120.3745, 36.0870);
        let (gx, gy) = from_wgs84(lon, lat);
        let metres = ((gx - lon) * 90_000.0).hypot((gy - lat) * 111_000.0);
        assert!((100.0..1_000.0).contains(&metres), "{metres}");
        let (bx, by) = to_wgs84(gx, gy);
        assert!((bx - lon).abs() < 1e-9 && (by - lat).abs() < 1e-9);
        assert_eq!(
            from_wgs84(2.35, 48.85),
            (2.35, 48.85),
            "no offset outside China"
        );
    }

    /// The test point every implementation of the formula publishes (e.g. the
    /// coordtransform library's README): (116.404, 39.915) both ways.
    #[test]
    fn bd09_matches_the_published_test_point() {
        let (lon, lat) = bd09_to_gcj02(116.404, 39.915);
        assert!((lon - 116.397_627_291_193_15).abs() < 1e-12, "{lon}");
        assert!((lat - 39.908_656_739_576_31).abs() < 1e-12, "{lat}");
        let (lon, lat) = gcj02_to_bd09(116.404, 39.915);
        assert!((lon - 116.410_369_493_710_29).abs() < 1e-12, "{lon}");
        assert!((lat - 39.921_336_993_510_21).abs() < 1e-12, "{lat}");
    }
}
