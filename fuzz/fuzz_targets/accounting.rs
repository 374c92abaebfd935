//! `impacts accounting` end to end on arbitrary bytes: the input's compression and format
//! detected, every record read past bad ones (`--skip-bad-lines`), mapped to a partition of the
//! bundled Jean Zay center, estimated, written as a JSON Lines row and summed (groups by user,
//! partition, state, day and month; Monte Carlo bounds). The run returns a report or an error,
//! never a panic, and the report's numbers are finite.
//!
//!   cargo fuzz run accounting fuzz/corpus/accounting   (fuzz/seed.sh fills the corpus)

#![no_main]

mod common;

use std::sync::OnceLock;

use impacts::impacts_model::report::Estimate;
use impacts::{Engine, OrderedMap};
use impacts_accounting::accountant::{Accountant, AccountingReport, Options};
use impacts_accounting::sink::open_sink;
use impacts_accounting::summary::GroupBy;
use libfuzzer_sys::fuzz_target;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::new().expect("embedded bundle"))
}

fn finite(what: &str, m: &OrderedMap<Estimate>) {
    for (k, e) in &m.0 {
        assert!(
            e.value.is_finite() && e.low.is_finite() && e.high.is_finite(),
            "{what} {k}: {} [{}, {}]",
            e.value,
            e.low,
            e.high
        );
    }
}

fn check(r: &AccountingReport) {
    finite("impacts", &r.impacts);
    for (p, m) in &r.phases.0 {
        finite(p, m);
    }
    for (k, v) in r.energy.0.iter().chain(&r.usage.0) {
        assert!(v.is_finite(), "{k}: {v}");
    }
    for (g, rows) in &r.groups.0 {
        for row in rows {
            assert!(
                row.energy_kwh.is_finite() && row.energy_with_overhead_kwh.is_finite(),
                "group {g} {}: {} kWh",
                row.key,
                row.energy_kwh
            );
            finite(g, &row.impacts);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let input = common::scratch_file("accounting", "in", data);
    let output = common::scratch_path("accounting", "out.jsonl");
    let opts = Options {
        skip_bad_lines: true,
        samples: 16,
        group_by: vec![
            GroupBy::User,
            GroupBy::Partition,
            GroupBy::State,
            GroupBy::Day,
            GroupBy::Month,
        ],
        top: 3,
        ..Options::default()
    };
    let mut acc = Accountant::new(engine(), opts).expect("the bundled center");
    let mut sink = open_sink(output, acc.columns(), &acc.metadata()).expect("the output");
    if let Ok(r) = acc.run(&[input.to_string()], sink.as_mut(), &mut |_| {}) {
        check(&r);
    }
});
