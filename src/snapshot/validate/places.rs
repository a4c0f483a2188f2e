//! Places and participation: a place's id, names, point inside the community or grid it
//! names, and services; participation rows name an existing community, once, with counts
//! that are not negative.

use std::collections::HashSet;

use super::cases::check_area;
use super::geometry::check_point;
use super::lookup::Lookup;
use super::privacy::check_free_text;
use super::{Report, check_count, check_name, display_id};
use crate::snapshot::model::{Level, Snapshot};

pub(super) fn check_places(s: &Snapshot, l: &Lookup<'_>, r: &mut Report) {
    let mut seen: HashSet<&str> = HashSet::with_capacity(s.places.len());
    for (i, p) in s.places.iter().enumerate() {
        let place = || format!("places[{}]", display_id(&p.id, i));
        if p.id.trim().is_empty() {
            r.error(place(), "empty id");
        } else if !seen.insert(p.id.as_str()) {
            r.error(place(), format!("duplicate place id {}", p.id));
        }
        check_name(r, &place(), &p.name, &p.name_en);
        check_free_text(r, &place, "name", &p.name);
        check_free_text(r, &place, "name_en", &p.name_en);
        for (k, service) in p.services.iter().enumerate() {
            check_free_text(r, &place, &format!("services[{k}]"), service);
        }
        let area = check_area(s, l, r, &place, "region", &p.region);
        let located = check_point(r, s.crs, &place(), "point", p.point);
        if let (Some(area), true) = (area, located)
            && !l.contains(area, p.point)
        {
            r.error(
                place(),
                format!(
                    "point ({}, {}) lies outside its region {}",
                    p.point.0, p.point.1, p.region
                ),
            );
        }
        if let Some(k) = p.services.iter().position(|x| x.trim().is_empty()) {
            r.error(place(), format!("services[{k}] is empty"));
        }
    }
}

pub(super) fn check_participation(s: &Snapshot, l: &Lookup<'_>, r: &mut Report) {
    let mut seen: HashSet<&str> = HashSet::with_capacity(s.participation.len());
    for (i, p) in s.participation.iter().enumerate() {
        let place = format!("participation[{}]", display_id(&p.community, i));
        match l.regions.get(p.community.as_str()) {
            None => r.error(&place, format!("community {} does not exist", p.community)),
            Some(&k) if s.regions[k].level != Level::Community => r.error(
                &place,
                format!(
                    "community {} is not a region of level Community",
                    p.community
                ),
            ),
            Some(_) => {
                if !seen.insert(p.community.as_str()) {
                    r.error(
                        &place,
                        format!("community {} has a second participation row", p.community),
                    );
                }
            }
        }
        check_count(r, &place, "platform_members", p.platform_members);
        check_count(r, &place, "households_reached", p.households_reached);
        check_count(r, &place, "organizations", p.organizations);
        check_count(r, &place, "service_items", p.service_items);
    }
}
