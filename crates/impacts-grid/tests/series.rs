//! Real series of `../shared/data/carbon-intensity`, integrated over windows computed by hand, and
//! malformed series: each error or documented handling.

use std::path::PathBuf;

use impacts_grid::{Column, Format, Kind, Options, Series};
use impacts_model::calendar::seconds_from_civil;

fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel);
    if p.exists() {
        return Some(p);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("../shared/data is absent, and CI=true requires it");
    }
    eprintln!("notice: ../shared/data is absent; skipping a test that reads a real series");
    None
}

fn utc(y: i64, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
    seconds_from_civil(y, mo, d, h, mi, 0).expect("a valid date")
}

fn parse(text: &str) -> Result<Series, String> {
    Series::parse("t.csv", text.as_bytes(), &Options::default()).map_err(|e| e.to_string())
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// FR 2023 (Electricity Maps, life-cycle column), three windows by hand from the file's rows:
/// - 2023-03-01 20:00–22:30: rows 20:00 (122.79), 21:00 (126.15) whole and 22:00 (133.47) for half
///   an hour: (122.79 + 126.15 + 0.5 × 133.47) / 2.5 = 126.27 gCO2eq/kWh;
/// - 2023-07-14 10:30–13:15: 10:00 (27.91) for 30 min, 11:00 (26.33) and 12:00 (26.38) whole,
///   13:00 (26.14) for 15 min: (0.5 × 27.91 + 26.33 + 26.38 + 0.25 × 26.14) / 2.75 = 26.618… ;
/// - 2023-12-31 21:00 for 5 h, crossing the end of the series at 2024-01-01 00:00: rows 21:00
///   (26.11), 22:00 (26.83), 23:00 (29.06) cover 3 h; 2 h are after the series.
#[test]
fn france_2023_three_windows() {
    let Some(p) = shared("carbon-intensity/satrai-lab_cozybench/FR_2023_hourly.csv") else {
        return;
    };
    let s = Series::read(&p.to_string_lossy(), &Options::default()).expect("readable");
    assert_eq!(
        (s.format, s.kind),
        (Format::ElectricityMaps, Kind::LifeCycle)
    );
    assert_eq!(s.zone.as_deref(), Some("FR"));
    assert_eq!((s.step_s, s.times.len()), (3600, 8760));
    assert_eq!(
        (s.start(), s.end()),
        (utc(2023, 1, 1, 0, 0), utc(2024, 1, 1, 0, 0))
    );
    assert_eq!(s.gap_s(), 0);
    assert_eq!(s.estimated_rows, 5);

    let w = s.window(utc(2023, 3, 1, 20, 0), utc(2023, 3, 1, 22, 30));
    assert_eq!((w.covered_s, w.uncovered_s(), w.rows), (9000, 0, 3));
    assert!(close(
        w.mean().unwrap_or(0.0),
        (122.79 + 126.15 + 0.5 * 133.47) / 2.5
    ));
    assert!(close(w.mean().unwrap_or(0.0), 126.27));
    assert_eq!((w.min, w.max), (Some(122.79), Some(133.47)));

    let w = s.window(utc(2023, 7, 14, 10, 30), utc(2023, 7, 14, 13, 15));
    assert_eq!((w.covered_s, w.rows), (9900, 4));
    assert!(close(
        w.mean().unwrap_or(0.0),
        (0.5 * 27.91 + 26.33 + 26.38 + 0.25 * 26.14) / 2.75
    ));

    let w = s.window(utc(2023, 12, 31, 21, 0), utc(2024, 1, 1, 2, 0));
    assert_eq!(
        (w.covered_s, w.after_s, w.before_s, w.gap_s),
        (3 * 3600, 2 * 3600, 0, 0)
    );
    assert!(close(w.weighted, 3600.0 * (26.11 + 26.83 + 29.06)));
    // With an annual factor of 98 gCO2eq/kWh for the two hours after the series.
    assert!(close(
        w.mean_with(98.0),
        (26.11 + 26.83 + 29.06 + 2.0 * 98.0) / 5.0
    ));

    // Entirely outside: nothing covered.
    let w = s.window(utc(2022, 6, 1, 0, 0), utc(2022, 6, 1, 3, 0));
    assert_eq!((w.covered_s, w.before_s), (0, 3 * 3600));
    assert_eq!(w.mean(), None);

    // The direct column on request: 2023-03-01 20:00–21:00 is 91.06.
    let d = Series::read(
        &p.to_string_lossy(),
        &Options {
            column: Column::Direct,
        },
    )
    .expect("readable");
    assert_eq!(d.kind, Kind::Direct);
    let w = d.window(utc(2023, 3, 1, 20, 0), utc(2023, 3, 1, 21, 0));
    assert_eq!(w.mean(), Some(91.06));
}

/// The eco2mix fixture (its layout is RTE's; its values are made up, see ORIGIN.txt): two
/// quarter-hour rows with `date_heure` in UTC; taux_co2 28 and 28.
#[test]
fn eco2mix_layout() {
    let Some(p) = shared("carbon-intensity/eco2mix_format_fixture/export_sample.csv") else {
        return;
    };
    let s = Series::read(&p.to_string_lossy(), &Options::default()).expect("readable");
    assert_eq!(
        (s.format, s.kind, s.step_s),
        (Format::Eco2mix, Kind::Direct, 900)
    );
    assert_eq!(s.zone.as_deref(), Some("FR"));
    assert_eq!(s.times, vec![utc(2026, 9, 7, 3, 0), utc(2026, 9, 7, 3, 15)]);
    assert_eq!(s.values, vec![28.0, 28.0]);
}

const EM_HEADER: &str = "Datetime (UTC),Country,Zone Name,Zone Id,Carbon Intensity gCO₂eq/kWh (direct),Carbon Intensity gCO₂eq/kWh (LCA),Low Carbon Percentage,Renewable Percentage,Data Source,Data Estimated,Data Estimation Method";

#[test]
fn gaps_are_reported_and_filled_by_the_caller() {
    // 01:00 is missing: the row of 00:00 holds for one hour only, the hour 01:00–02:00 is a gap.
    let s = parse("timestamp,gco2eq_per_kwh_lifecycle\n2023-03-01T00:00:00Z,50\n2023-03-01T02:00:00Z,70\n2023-03-01T03:00:00Z,90\n").expect("a gap is not an error");
    assert_eq!((s.step_s, s.gap_s()), (3600, 3600));
    let w = s.window(utc(2023, 3, 1, 0, 30), utc(2023, 3, 1, 3, 0));
    assert_eq!((w.covered_s, w.gap_s), (1800 + 3600, 3600));
    assert!(close(
        w.mean_with(100.0),
        (0.5 * 50.0 + 1.0 * 100.0 + 70.0) / 2.5
    ));
    // eco2mix leaves taux_co2 empty at times: such rows are gaps, counted.
    let text = "date_heure;taux_co2\n2023-03-01T00:00:00+01:00;30\n2023-03-01T00:15:00+01:00;\n2023-03-01T00:30:00+01:00;32\n";
    let s = Series::parse("e.csv", text.as_bytes(), &Options::default()).expect("readable");
    assert_eq!((s.empty_rows, s.step_s, s.gap_s()), (1, 900, 900));
}

#[test]
fn duplicates_unsorted_and_irregular_rows_are_errors() {
    let e = parse("timestamp,gco2eq_per_kwh\n2023-03-01T00:00:00Z,50\n2023-03-01T01:00:00Z,60\n2023-03-01T01:00:00Z,61\n").expect_err("duplicate");
    assert!(
        e.starts_with("t.csv:4: 2023-03-01T01:00:00Z is also on line 3"),
        "{e}"
    );
    let e = parse("timestamp,gco2eq_per_kwh\n2023-03-01T01:00:00Z,50\n2023-03-01T00:00:00Z,60\n")
        .expect_err("unsorted");
    assert!(e.starts_with("t.csv:3: 2023-03-01T00:00:00Z comes before the previous row's 2023-03-01T01:00:00Z (line 2)"), "{e}");
    let e = parse("timestamp,gco2eq_per_kwh\n2023-03-01T00:00:00Z,50\n2023-03-01T01:00:00Z,60\n2023-03-01T01:40:00Z,60\n").expect_err("irregular");
    // The smallest step is 40 min (01:00 to 01:40): the hour before is not a multiple of it.
    assert!(e.starts_with("t.csv:3: 3600 s after the previous row, which is not a multiple of the series' step (2400 s)"), "{e}");
    let e = parse("timestamp,gco2eq_per_kwh\n2023-03-01T00:00:00Z,50\n").expect_err("one row");
    assert!(e.contains("at least two rows"), "{e}");
}

#[test]
fn units_and_values_are_checked() {
    let e = parse("timestamp,co2\n2023-03-01T00:00:00Z,50\n2023-03-01T01:00:00Z,60\n")
        .expect_err("unknown unit");
    assert!(e.starts_with("t.csv:1: unknown unit column 'co2'"), "{e}");
    // kg written in a g column.
    let e =
        parse("timestamp,gco2eq_per_kwh\n2023-03-01T00:00:00Z,0.05\n2023-03-01T01:00:00Z,0.06\n")
            .expect_err("kg as g");
    assert!(e.contains("look like kgCO2eq/kWh"), "{e}");
    // The same, declared as kg: converted.
    let s =
        parse("timestamp,kgco2eq_per_kwh\n2023-03-01T00:00:00Z,0.05\n2023-03-01T01:00:00Z,0.06\n")
            .expect("kg column");
    assert_eq!(s.values, vec![50.0, 60.0]);
    // Grams per MWh written in a g/kWh column: implausible values.
    let e =
        parse("timestamp,gco2eq_per_kwh\n2023-03-01T00:00:00Z,50000\n2023-03-01T01:00:00Z,60000\n")
            .expect_err("too high");
    assert!(
        e.starts_with("t.csv:2: intensity 50000 gCO2eq/kWh is implausible"),
        "{e}"
    );
    let e = parse("timestamp,gco2eq_per_kwh\n2023-03-01T00:00:00Z,-5\n2023-03-01T01:00:00Z,60\n")
        .expect_err("negative");
    assert!(
        e.starts_with("t.csv:2: expected a non-negative intensity"),
        "{e}"
    );
    let e = parse("timestamp,gco2eq_per_kwh\n2023-03-01T00:00:00Z,fifty\n").expect_err("text");
    assert!(
        e.starts_with("t.csv:2: expected an intensity (a number), found 'fifty'"),
        "{e}"
    );
    let text = format!(
        "{EM_HEADER}\n2023-01-01 00:00:00,France,France,FR,35.34,56.64,92.78,40.96,x,false,\n"
    );
    let e = Series::parse(
        "em.csv",
        text.replace("gCO₂eq/kWh (LCA)", "tCO₂eq/GWh (LCA)")
            .as_bytes(),
        &Options::default(),
    )
    .expect_err("unit");
    assert!(
        e.to_string().contains("expected the unit gCO₂eq/kWh"),
        "{e}"
    );
}

#[test]
fn clocks_must_be_stated_and_local_times_resolved() {
    // A plain series without a zone.
    let e = parse("timestamp,gco2eq_per_kwh\n2023-03-01 00:00:00,50\n2023-03-01 01:00:00,60\n")
        .expect_err("naive");
    assert!(
        e.starts_with("t.csv:2: '2023-03-01 00:00:00' does not say its time zone"),
        "{e}"
    );
    // ... unless the column says UTC.
    let s = parse("timestamp_utc,gco2eq_per_kwh\n2023-03-01 00:00:00,50\n2023-03-01 01:00:00,60\n")
        .expect("UTC column");
    assert_eq!(s.times[0], utc(2023, 3, 1, 0, 0));
    // Offsets are honoured: 01:00+01:00 is 00:00Z.
    let s = parse(
        "timestamp,gco2eq_per_kwh\n2023-03-01T01:00:00+01:00,50\n2023-03-01T02:00:00+01:00,60\n",
    )
    .expect("offsets");
    assert_eq!(s.times[0], utc(2023, 3, 1, 0, 0));
    // eco2mix in Paris time: the spring hour 02:00–03:00 of 26 March 2023 does not exist.
    let spring = "date;heure;taux_co2\n2023-03-26;01:45;30\n2023-03-26;02:00;31\n";
    let e =
        Series::parse("e.csv", spring.as_bytes(), &Options::default()).expect_err("non-existent");
    assert!(
        e.to_string()
            .starts_with("e.csv:3: 2023-03-26 02:00 does not exist in Paris time"),
        "{e}"
    );
    let spring = "date;heure;taux_co2\n2023-03-26;01:45;30\n2023-03-26;03:00;31\n";
    let s = Series::parse("e.csv", spring.as_bytes(), &Options::default())
        .expect("03:00 follows 01:45");
    assert_eq!(
        s.times,
        vec![utc(2023, 3, 26, 0, 45), utc(2023, 3, 26, 1, 0)]
    );
    // The autumn hour 02:00–03:00 of 29 October 2023 happens twice: by the order of the rows, the
    // first 02:30 is summer time (00:30Z), the second winter time (01:30Z).
    let autumn = "date;heure;taux_co2\n2023-10-29;02:30;30\n2023-10-29;02:00;31\n2023-10-29;02:30;32\n2023-10-29;03:00;33\n";
    let autumn = autumn.replacen(
        "2023-10-29;02:00;31\n",
        "2023-10-29;02:45;31\n2023-10-29;02:00;31\n2023-10-29;02:15;31\n",
        1,
    );
    let s =
        Series::parse("e.csv", autumn.as_bytes(), &Options::default()).expect("resolved by order");
    assert_eq!(
        s.times,
        vec![
            utc(2023, 10, 29, 0, 30),
            utc(2023, 10, 29, 0, 45),
            utc(2023, 10, 29, 1, 0),
            utc(2023, 10, 29, 1, 15),
            utc(2023, 10, 29, 1, 30),
            utc(2023, 10, 29, 2, 0)
        ]
    );
    assert!(
        !s.notes.is_empty() && s.notes[0].contains("happens twice"),
        "{:?}",
        s.notes
    );
}

#[test]
fn files_that_are_not_series() {
    let e = parse("").expect_err("empty");
    assert!(e.contains("expected a header row"), "{e}");
    let e = parse("a,b,c\n1,2,3\n").expect_err("three columns");
    assert!(e.contains("expected two columns"), "{e}");
    let e = parse("when,gco2eq_per_kwh\n2023-03-01T00:00:00Z,50\n").expect_err("first column");
    assert!(e.contains("first column named timestamp"), "{e}");
    let text = format!("{EM_HEADER}\n2023-01-01 00:00:00,France,France,FR,35.34,56.64,92.78\n");
    let e = Series::parse("em.csv", text.as_bytes(), &Options::default()).expect_err("short row");
    assert!(e.to_string().starts_with("em.csv:2: malformed row"), "{e}");
}
