//! Water, the fourth criterion: a job's use phase consumes the zone's water per kWh of its
//! electricity with overhead (off-site, WRI 2020) plus the center's WUE per kWh of its IT
//! electricity (on-site, The Green Grid's definition), by hand; its idle share the same; its
//! manufacturing is not counted, said once; bounds span the single source's range.

use impacts::{CenterSource, Engine, JobRequest, Options};

fn job(center: CenterSource) -> JobRequest {
    JobRequest {
        center,
        partition: "cpu_p1".into(),
        nodes: Some(1.0),
        hours: 10.0,
        load: Some(100.0),
        ..JobRequest::default()
    }
}

fn phase(r: &impacts::Report, phase: &str) -> f64 {
    r.phases
        .get(phase)
        .and_then(|m| m.get("water"))
        .map_or(f64::NAN, |e| e.value)
}

fn quantity(r: &impacts::Report, key: &str) -> f64 {
    r.quantities.get(key).map_or(f64::NAN, |e| e.value)
}

#[test]
fn water_is_the_grid_s_and_the_cooling_s() {
    let engine = Engine::new().unwrap();
    let opts = Options {
        samples: 0,
        ..Options::default()
    };
    let r = engine
        .job(&job(CenterSource::Bundled("jean-zay".into())), &opts)
        .unwrap();
    let (it, with_pue, idle) = (
        quantity(&r, "it_energy"),
        quantity(&r, "energy_with_overhead"),
        quantity(&r, "idle_energy"),
    );
    // France: 3.67 L per kWh generated (WRI 2020); Jean Zay gives no WUE: 0.4 L per IT kWh,
    // and no PUE: 1.2 (the idle energy is given with it).
    let want_use = with_pue * 3.67 + it * 0.4;
    let want_idle = idle * 3.67 + idle / 1.2 * 0.4;
    assert!(
        (phase(&r, "use") - want_use).abs() < 1e-9 * want_use,
        "{} vs {want_use}",
        phase(&r, "use")
    );
    assert!(
        (phase(&r, "idle") - want_idle).abs() < 1e-9 * want_idle,
        "{} vs {want_idle}",
        phase(&r, "idle")
    );
    assert_eq!(phase(&r, "manufacturing"), 0.0);
    let total = r.impacts.get("water").unwrap().value;
    assert!((total - want_use - want_idle).abs() < 1e-9 * total);
    let said = |code: &str| r.warnings.iter().filter(|w| w.code == code).count();
    assert_eq!(said("coverage.manufacturing-not-counted"), 1);
    assert_eq!(said("center.wue-default"), 1);
    assert!(
        !r.warnings
            .iter()
            .any(|w| w.code == "coverage.missing-factor" && w.message.contains("water")),
        "one warning for the manufacturing, not one per part"
    );
    // A center cooled without evaporation (wue = 0): the grid's water only.
    let text = format!(
        "wue = 0\n{}",
        engine
            .center_text(&CenterSource::Bundled("jean-zay".into()))
            .unwrap()
            .1
    );
    let dry = CenterSource::Text {
        label: "dry.toml".into(),
        text,
    };
    let d = engine.job(&job(dry), &opts).unwrap();
    assert!((phase(&d, "use") - with_pue * 3.67).abs() < 1e-9 * with_pue * 3.67);
}

/// Every zone's water factor spans at least half to twice its value, also where a second source
/// exists (Italy: WRI 4.84 and ThirstyFLOPS 5.14 L/kWh).
#[test]
fn every_zone_s_water_range_is_at_least_half_to_twice() {
    use impacts::impacts_model::quantity::Dist;
    let engine = Engine::new().unwrap();
    let c = engine
        .bundle()
        .criteria
        .iter()
        .position(|c| c.key == "water")
        .unwrap();
    for (zone, value, low, high) in [
        ("IT", 4.84, 2.42, 9.68),
        ("FR", 3.67, 1.835, 7.34),
        ("DE", 1.95, 0.975, 3.9),
    ] {
        let z = engine.bundle().zone(zone).unwrap();
        let q = &z.spec.factors[c].as_ref().unwrap().quantity;
        assert_eq!(q.value, value, "{zone}");
        // Log-normal around the value, its 95 % interval (± 1.96 geometric sd) from half to
        // twice it.
        match q.dist {
            Dist::LogNormal { gsd } => {
                let (l, h) = (value / gsd.powf(1.96), value * gsd.powf(1.96));
                assert!(
                    (l - low).abs() < 1e-9 && (h - high).abs() < 1e-9,
                    "{zone}: {l} {h}"
                );
            }
            ref other => panic!("{zone}: {other:?}"),
        }
    }
}

#[test]
fn water_bounds_span_the_single_source_range() {
    let engine = Engine::new().unwrap();
    let opts = Options {
        samples: 2000,
        ..Options::default()
    };
    let r = engine
        .job(&job(CenterSource::Bundled("jean-zay".into())), &opts)
        .unwrap();
    let w = r.impacts.get("water").unwrap();
    assert!(w.low < w.value && w.value < w.high, "{w:?}");
    // The zone factor spans 0.5 to 2 times 3.67 L/kWh: the high bound is well above the value,
    // the low one below it, neither beyond the extremes (everything at half or twice, WUE 0–1.8).
    let e = quantity(&r, "energy_with_overhead") + quantity(&r, "idle_energy");
    assert!(w.high > 1.2 * w.value && w.low < 0.9 * w.value, "{w:?}");
    assert!(w.high < e * 3.67 * 2.0 * 1.6 + e * 1.8, "{w:?}");
    // Electricity alone: 1,000 kWh of French electricity is 3,670 L.
    let req = impacts::EnergyRequest {
        energy_kwh: 1000.0,
        zone: "FR".into(),
    };
    let e = engine
        .energy(
            &req,
            &Options {
                samples: 0,
                ..Options::default()
            },
        )
        .unwrap();
    assert!((e.impacts.get("water").unwrap().value - 3670.0).abs() < 1e-6);
}
