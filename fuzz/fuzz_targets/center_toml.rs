//! Center files on arbitrary text: `Center::from_toml` returns a center or an error, never a panic;
//! and a center that parses cannot make the model panic or give non-finite numbers. A job of one
//! node for one hour is evaluated on each of its partitions (the first eight, and its default node
//! type), compiled (`JobEstimator`, as `impacts accounting` does: no panic) and as a report
//! (`Engine::job`, as `impacts job` does, with 32 Monte Carlo samples): every value and bound of
//! the report is finite, or the call returns an error.
//!
//!   cargo fuzz run center_toml fuzz/corpus/center_toml   (fuzz/seed.sh fills the corpus)

#![no_main]

use std::sync::OnceLock;

use impacts::impacts_center::Center;
use impacts::impacts_data::Bundle;
use impacts::impacts_model::criteria::Constants;
use impacts::report::Report;
use impacts::{CenterSource, Engine, JobEstimator, JobRequest, Options};
use libfuzzer_sys::fuzz_target;

struct Fixed {
    bundle: Bundle,
    constants: Constants,
    engine: Engine,
}

fn fixed() -> &'static Fixed {
    static F: OnceLock<Fixed> = OnceLock::new();
    F.get_or_init(|| {
        let bundle = Bundle::embedded().expect("embedded bundle");
        let constants = bundle.constants("default").expect("default method");
        Fixed {
            engine: Engine::with_bundle(bundle.clone()),
            bundle,
            constants,
        }
    })
}

const LABEL: &str = "fuzz.toml";

fn check_report(r: &Report, partition: &str) {
    let maps = std::iter::once(&r.impacts)
        .chain(r.phases.0.iter().map(|(_, m)| m))
        .chain(r.components.0.iter().map(|(_, m)| m))
        .chain(std::iter::once(&r.quantities));
    for m in maps {
        for (k, e) in &m.0 {
            assert!(
                e.value.is_finite() && e.low.is_finite() && e.high.is_finite(),
                "partition {partition}: {k} = {} [{}, {}]",
                e.value,
                e.low,
                e.high
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let f = fixed();
    let Ok(center) = Center::from_toml(LABEL, text, &f.bundle, &f.constants, None) else {
        return;
    };
    let _ = center.partition_names();
    let partitions = center
        .partitions
        .iter()
        .take(8)
        .chain(center.default_partition.iter());
    for p in partitions {
        let _ = center.warnings_for(p);
        // The compiled estimator gives raw numbers: its caller (the accountant's
        // `check_finite`) turns a non-finite one into the job's error, so only panics count here.
        if let Ok(est) = JobEstimator::new(&f.engine, &center, p, None, "default", false) {
            let mut buf = est.buffer();
            let mut out = vec![0.0; est.outputs().len()];
            est.point_in(&mut buf, &[1.0, 1.0, 50.0, 50.0], &mut out);
        }
        let req = JobRequest {
            center: CenterSource::Text {
                label: LABEL.into(),
                text: text.into(),
            },
            partition: p.name.clone(),
            nodes: Some(1.0),
            hours: 1.0,
            ..JobRequest::default()
        };
        let opts = Options {
            samples: 32,
            sensitivity: false,
            ..Options::default()
        };
        if let Ok(r) = f.engine.job(&req, &opts) {
            check_report(&r, &p.name);
        }
    }
});
