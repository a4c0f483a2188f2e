//! Coordinate systems named by a Shapefile's `.prj`: WKT 1 as ESRI tools (ArcGIS,
//! SuperMap) and OGC tools (GDAL, QGIS) write it.

use super::crs::{ImportCrs, SUPPORTED};

/// The system a `.prj` file's WKT (ESRI or OGC WKT 1, as ArcGIS, SuperMap, QGIS and GDAL
/// write it) describes: its outermost `AUTHORITY["EPSG", …]` when it has one; else
/// recognised by name and parameters — WGS 84 and CGCS2000 geographic, Web Mercator
/// (Auxiliary Sphere), and CGCS2000 Transverse Mercator / Gauss–Krüger 3-degree zones
/// from their central meridian and false easting. Errors: anything else, named.
pub fn from_wkt(wkt: &str) -> Result<ImportCrs, String> {
    let text = wkt.trim().trim_start_matches('\u{feff}');
    let upper = text.to_ascii_uppercase();
    let outer_name = text
        .split_once('"')
        .and_then(|(_, rest)| rest.split_once('"'))
        .map_or("", |(name, _)| name);
    // The outermost object's own AUTHORITY (depth 1, outside quotes); one that names a
    // system not supported falls through to the names and parameters below.
    if let Some(code) = outer_authority(&upper)
        && let Ok(crs) = ImportCrs::parse(&format!("EPSG:{code}"))
    {
        return Ok(crs);
    }
    let cgcs = upper.contains("CGCS")
        || upper.contains("CHINA_GEODETIC_COORDINATE_SYSTEM_2000")
        || upper.contains("CHINA GEODETIC COORDINATE SYSTEM 2000");
    let unsupported =
        || format!("{outer_name:?} is not a supported coordinate system ({SUPPORTED})");
    if upper.starts_with("GEOGCS") {
        return if cgcs {
            Ok(ImportCrs::Cgcs2000)
        } else if upper.contains("WGS_1984") || upper.contains("WGS 84") || upper.contains("WGS84")
        {
            Ok(ImportCrs::Wgs84)
        } else {
            Err(unsupported())
        };
    }
    if !upper.starts_with("PROJCS") {
        return Err(format!(
            "is not WKT 1 (no GEOGCS or PROJCS): {:?}",
            &text[..text.len().min(60)]
        ));
    }
    if upper.contains("MERCATOR_AUXILIARY_SPHERE")
        || upper.contains("WEB_MERCATOR")
        || upper.contains("PSEUDO-MERCATOR")
        || upper.contains("PSEUDO_MERCATOR")
    {
        return Ok(ImportCrs::WebMercator);
    }
    let param = |name: &str| -> Option<f64> {
        let at = upper.find(&format!("PARAMETER[\"{name}\""))?;
        upper[at..]
            .split_once(',')?
            .1
            .split(']')
            .next()?
            .trim()
            .parse()
            .ok()
    };
    let transverse = upper.contains("TRANSVERSE_MERCATOR") || upper.contains("GAUSS_KRUGER");
    if cgcs && transverse {
        let cm = param("CENTRAL_MERIDIAN").unwrap_or(f64::NAN);
        let fe = param("FALSE_EASTING").unwrap_or(f64::NAN);
        let k = param("SCALE_FACTOR").unwrap_or(1.0);
        if cm.fract() == 0.0 && (75.0..=135.0).contains(&cm) && cm % 3.0 == 0.0 && k == 1.0 {
            let step = ((cm - 75.0) / 3.0) as u16;
            let zone = cm / 3.0;
            if fe == 500_000.0 {
                return Ok(ImportCrs::GaussKruger { epsg: 4534 + step });
            }
            if fe == zone * 1_000_000.0 + 500_000.0 {
                return Ok(ImportCrs::GaussKruger { epsg: 4513 + step });
            }
        }
        return Err(format!(
            "{outer_name:?} (Transverse Mercator, central meridian {cm}, false easting {fe}) \
             is not a CGCS2000 3-degree Gauss–Krüger zone ({SUPPORTED})"
        ));
    }
    Err(unsupported())
}

/// The EPSG code of the `AUTHORITY["EPSG","…"]` directly inside the outermost object
/// (bracket depth 1, quoted text skipped), if it has one.
fn outer_authority(upper: &str) -> Option<String> {
    let mut depth = 0usize;
    let mut quoted = false;
    for (i, c) in upper.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '[' | '(' if !quoted => depth += 1,
            ']' | ')' if !quoted => depth = depth.saturating_sub(1),
            'A' if !quoted && depth == 1 => {
                let rest = upper.get(i..)?;
                if let Some(after) = rest.strip_prefix("AUTHORITY[\"EPSG\"") {
                    let code: String = after
                        .chars()
                        .skip_while(|c| !c.is_ascii_digit())
                        .take_while(char::is_ascii_digit)
                        .collect();
                    return (!code.is_empty()).then_some(code);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prj_files_as_gis_tools_write_them() {
        // ArcGIS (ESRI WKT, no authority).
        let esri = r#"PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        assert_eq!(from_wkt(esri), Ok(ImportCrs::GaussKruger { epsg: 4549 }));
        let zone = esri
            .replace("CM_120E", "Zone_40")
            .replace("\"False_Easting\",500000.0", "\"False_Easting\",40500000.0");
        assert_eq!(from_wkt(&zone), Ok(ImportCrs::GaussKruger { epsg: 4528 }));
        // GDAL / QGIS (OGC WKT with authorities: the outermost one counts).
        let ogc = r#"PROJCS["WGS 84 / Pseudo-Mercator",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Mercator_1SP"],PARAMETER["central_meridian",0],UNIT["metre",1],AUTHORITY["EPSG","3857"]]"#;
        assert_eq!(from_wkt(ogc), Ok(ImportCrs::WebMercator));
        // Authorities only inside (a unit's, a datum's): read by name and parameters.
        let inner = esri.replace(
            r#"UNIT["Meter",1.0]]"#,
            r#"UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH]]"#,
        );
        assert_eq!(from_wkt(&inner), Ok(ImportCrs::GaussKruger { epsg: 4549 }));
        // Truncated at an authority, a full-width comma, non-ASCII text: refused, no panic.
        assert!(from_wkt(r#"PROJCS["x",AUTHORITY["EPSG""#).is_err());
        assert_eq!(
            from_wkt(r#"GEOGCS["x",AUTHORITY["EPSG"，"4490"]]"#),
            Ok(ImportCrs::Cgcs2000),
            "read leniently"
        );
        assert!(from_wkt(&"x坐标系".repeat(30)).is_err());
        let wgs = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
        assert_eq!(from_wkt(wgs), Ok(ImportCrs::Wgs84));
        let cgcs = r#"GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]"#;
        assert_eq!(from_wkt(cgcs), Ok(ImportCrs::Cgcs2000));
        let xian = r#"PROJCS["Xian_1980_3_Degree_GK_CM_120E",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]]],PROJECTION["Gauss_Kruger"],PARAMETER["Central_Meridian",120.0]]"#;
        let e = from_wkt(xian).expect_err("Xi'an 1980 is not supported");
        assert!(e.contains("Xian_1980_3_Degree_GK_CM_120E"), "{e}");
    }
}
