//! A job against the French 2023 series: the use phase's GWP is the job's electricity (with the
//! facility overhead) times the window's mean intensity computed by hand; the idle share, the
//! facility, ADPe and PE keep the annual factors.

mod common;

use impacts::impacts_grid::{Options as SeriesOptions, Series};
use impacts::impacts_model::calendar::seconds_from_civil;
use impacts::{CenterSource, Engine, JobRequest, Options};

fn job(hours: f64) -> JobRequest {
    JobRequest {
        center: CenterSource::Bundled("jean-zay".into()),
        partition: "gpu_p6".into(),
        nodes: Some(4.0),
        hours,
        load: Some(80.0),
        ..JobRequest::default()
    }
}

fn opts() -> Options {
    Options {
        samples: 0,
        ..Options::default()
    }
}

fn value(r: &impacts::Report, phase: &str, c: &str) -> f64 {
    r.phases
        .get(phase)
        .and_then(|m| m.get(c))
        .map_or(f64::NAN, |e| e.value)
}

#[test]
fn use_phase_follows_the_window() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let path = shared.join("data/carbon-intensity/satrai-lab_cozybench/FR_2023_hourly.csv");
    let series = Series::read(&path.to_string_lossy(), &SeriesOptions::default()).expect("series");
    let engine = Engine::new().expect("engine");
    let center = engine
        .center(&CenterSource::Bundled("jean-zay".into()), "default", None)
        .expect("center");
    let annual = engine
        .annual_factor(&center, "gwp")
        .expect("annual factor of France");
    let base = engine.job(&job(2.5), &opts()).expect("job");

    // 2023-03-01 20:00–22:30 UTC: (122.79 + 126.15 + 0.5 × 133.47) / 2.5 gCO2eq/kWh (rows of the file).
    let start = seconds_from_civil(2023, 3, 1, 20, 0, 0).expect("date");
    let (g, w) = engine
        .grid_factor(&series, &center, start, 2.5)
        .expect("factor");
    assert!(w.is_empty());
    let g = g.expect("covered");
    let by_hand = (122.79 + 126.15 + 0.5 * 133.47) / 2.5;
    assert!(
        (g.gwp_per_kwh - by_hand).abs() < 1e-9,
        "{} vs {by_hand}",
        g.gwp_per_kwh
    );
    assert!(g.warnings.is_empty(), "{:?}", g.warnings);
    let mut req = job(2.5);
    req.grid = Some(g);
    let r = engine.job(&req, &opts()).expect("job");
    let energy = r
        .quantities
        .get("energy_with_overhead")
        .expect("energy")
        .value;
    // The integral: use-phase GWP = E × mean intensity.
    assert!((value(&r, "use", "gwp") - energy * by_hand).abs() < 1e-9 * energy * by_hand);
    assert!((value(&base, "use", "gwp") - energy * annual).abs() < 1e-9 * energy * annual);
    // What does not follow the clock.
    for (ph, c) in [
        ("idle", "gwp"),
        ("facility", "gwp"),
        ("manufacturing", "gwp"),
        ("use", "adpe"),
        ("use", "pe"),
    ] {
        assert_eq!(value(&r, ph, c), value(&base, ph, c), "{ph} {c}");
    }
    let grid = r.inputs.get("grid").expect("grid in the report");
    assert!(
        (grid["use_gwp_difference"].as_f64().unwrap_or(0.0) - energy * (by_hand - annual)).abs()
            < 1e-6
    );

    // 2023-12-31 21:00 for 5 h: 3 h in the series (26.11, 26.83, 29.06), 2 h after its end at
    // the annual factor.
    let start = seconds_from_civil(2023, 12, 31, 21, 0, 0).expect("date");
    let (g, _) = engine
        .grid_factor(&series, &center, start, 5.0)
        .expect("factor");
    let g = g.expect("partly covered");
    let by_hand = (26.11 + 26.83 + 29.06 + 2.0 * annual) / 5.0;
    assert!(
        (g.gwp_per_kwh - by_hand).abs() < 1e-9,
        "{} vs {by_hand}",
        g.gwp_per_kwh
    );
    assert!(
        g.warnings
            .iter()
            .any(|w| w.code == "electricity.series-partial"
                && w.message.contains("2 h after its end"))
    );
    let mut req = job(5.0);
    req.grid = Some(g);
    let r = engine.job(&req, &opts()).expect("job");
    assert!(r
        .warnings
        .iter()
        .any(|w| w.code == "electricity.series-partial"));
    let energy = r
        .quantities
        .get("energy_with_overhead")
        .expect("energy")
        .value;
    assert!((value(&r, "use", "gwp") - energy * by_hand).abs() < 1e-9 * energy * by_hand);

    // Entirely before the series: no factor, a warning, the annual factor stays.
    let start = seconds_from_civil(2022, 7, 1, 0, 0, 0).expect("date");
    let (g, w) = engine
        .grid_factor(&series, &center, start, 3.0)
        .expect("factor");
    assert!(g.is_none());
    assert!(w.iter().any(|w| w.code == "electricity.series-outside"));

    // A series for another zone than the job's is flagged.
    let center_de = engine
        .center(
            &CenterSource::Bundled("jean-zay".into()),
            "default",
            Some("DE"),
        )
        .expect("center in Germany");
    let start = seconds_from_civil(2023, 3, 1, 20, 0, 0).expect("date");
    let (g, _) = engine
        .grid_factor(&series, &center_de, start, 1.0)
        .expect("factor");
    assert!(g
        .expect("covered")
        .warnings
        .iter()
        .any(|w| w.code == "electricity.series-zone"));
}
