//! Carbon-intensity series (Electricity Maps, eco2mix, plain CSV) on arbitrary bytes:
//! `Series::parse` returns a series or an error, never a panic; a series that parses gives a
//! finite intensity over a job's window (`Engine::grid_factor`, as `impacts job --grid-series`
//! does): over its first step and over its whole span.
//!
//!   cargo fuzz run grid_series fuzz/corpus/grid_series   (fuzz/seed.sh fills the corpus)

#![no_main]

use std::sync::OnceLock;

use impacts::impacts_center::Center;
use impacts::impacts_grid::{Column, Options, Series};
use impacts::{CenterSource, Engine};
use libfuzzer_sys::fuzz_target;

fn fixed() -> &'static (Engine, Center) {
    static F: OnceLock<(Engine, Center)> = OnceLock::new();
    F.get_or_init(|| {
        let engine = Engine::new().expect("embedded bundle");
        let center = engine
            .center(&CenterSource::Bundled("jean-zay".into()), "default", None)
            .expect("bundled center");
        (engine, center)
    })
}

fuzz_target!(|data: &[u8]| {
    let (engine, center) = fixed();
    for column in [Column::LifeCycle, Column::Direct] {
        let Ok(s) = Series::parse("fuzz.csv", data, &Options { column }) else {
            continue;
        };
        assert!(!s.times.is_empty() && s.times.len() == s.values.len());
        assert!(s.values.iter().all(|v| v.is_finite()), "{:?}", s.values);
        let _ = (s.start(), s.end(), s.gap_s(), s.mean());
        let span_h = (s.end() as f64 - s.start() as f64) / 3600.0;
        for hours in [s.step_s as f64 / 3600.0, span_h] {
            if let Ok((Some(g), _)) = engine.grid_factor(&s, center, s.start(), hours) {
                assert!(
                    g.gwp_per_kwh.is_finite(),
                    "{} over {hours} h",
                    g.gwp_per_kwh
                );
            }
        }
    }
});
