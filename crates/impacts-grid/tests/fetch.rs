//! The readers of the services' responses (`impacts_grid::fetch`), on recorded responses
//! (tests/fixtures, provenance in its README) and on ENTSO-E documents written here in the
//! documented layout; what they write read back by `Series::parse`.

use impacts_grid::fetch::{electricity_maps, entsoe, odre, psr_factors};
use impacts_grid::{Kind, Options, Series};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn at(s: &str) -> i64 {
    s.parse::<jiff::Timestamp>().unwrap().as_second()
}

/// The values of the recorded Electricity Maps answer, in order (tests/fixtures/README.md).
const FR_JULY_2024: [f64; 24] = [
    19., 20., 20., 19., 19., 18., 17., 17., 16., 17., 17., 20., 17., 18., 19., 19., 18., 19., 19.,
    18., 18., 18., 18., 19.,
];

#[test]
fn electricity_maps_history() {
    let f = electricity_maps("em.json", &fixture("electricitymaps-history.json")).unwrap();
    assert_eq!(
        (f.zone.as_str(), f.kind, f.missing),
        ("FR", Kind::LifeCycle, 0)
    );
    let values: Vec<f64> = f.points.iter().map(|p| p.value).collect();
    assert_eq!(values, FR_JULY_2024);
    assert_eq!(f.points[0].t, at("2024-07-04T11:00:00Z"));
    assert_eq!(f.points[23].t, at("2024-07-05T10:00:00Z"));
    let estimated: Vec<usize> = (0..24).filter(|&i| f.points[i].estimated).collect();
    assert_eq!(estimated, [21, 22, 23]);
    // Written as an Electricity Maps export, read back as the same series.
    let s = Series::parse("em.csv", f.to_csv().as_bytes(), &Options::default()).unwrap();
    assert_eq!(
        (s.zone.as_deref(), s.step_s, s.estimated_rows),
        (Some("FR"), 3600, 3)
    );
    assert_eq!(s.values, FR_JULY_2024);
    assert_eq!(s.kind, Kind::LifeCycle);
    // `past-range` names its rows `data`; an error answer says so.
    let data = fixture("electricitymaps-history.json").replace("\"history\"", "\"data\"");
    assert_eq!(electricity_maps("em.json", &data).unwrap(), f);
    let e = electricity_maps("em.json", r#"{"error": "Invalid auth-token"}"#).unwrap_err();
    assert!(e.to_string().contains("Invalid auth-token"), "{e}");
    assert!(electricity_maps("em.json", "<html>").is_err());
}

#[test]
fn rte_eco2mix_through_odre() {
    let f = odre("odre.json", &fixture("odre-eco2mix.json")).unwrap();
    assert_eq!(
        (f.zone.as_str(), f.kind, f.source.as_str()),
        ("FR", Kind::Direct, "rte")
    );
    assert_eq!(f.points.len() + f.missing, 97);
    assert_eq!(f.points[0].t, at("2024-07-03T00:00:00Z"));
    assert_eq!(f.points[1].t - f.points[0].t, 900);
    assert_eq!(f.points[0].value, 13.0);
    // Direct intensities: read back only when asked for.
    let csv = f.to_csv();
    let e = Series::parse("rte.csv", csv.as_bytes(), &Options::default()).unwrap_err();
    assert!(e.to_string().contains("choose it explicitly"), "{e}");
    let direct = Options {
        column: impacts_grid::Column::Direct,
    };
    let s = Series::parse("rte.csv", csv.as_bytes(), &direct).unwrap();
    assert_eq!((s.kind, s.step_s), (Kind::Direct, 900));
    // The export endpoint answers an array of the same rows.
    let v: serde_json::Value = serde_json::from_str(&fixture("odre-eco2mix.json")).unwrap();
    let export = serde_json::to_string(&v["results"]).unwrap();
    assert_eq!(odre("odre.json", &export).unwrap().points, f.points);
    // A 0 (ODRE's placeholder for a quarter-hour not computed yet) is a missing instant.
    let zero = fixture("odre-eco2mix.json").replacen("\"taux_co2\": 13", "\"taux_co2\": 0", 1);
    let z = odre("odre.json", &zero).unwrap();
    assert_eq!(
        (z.points.len(), z.missing),
        (f.points.len() - 1, f.missing + 1)
    );
    assert_eq!(z.points[0].t, at("2024-07-03T00:15:00Z"));
}

/// A generation document of SE-SE4, 2025-10-20 11:00–14:00 UTC (three hours), quantities of a
/// real answer; curve type A03 (a position equal to the previous one left out), hourly.
fn se4(extra: &str) -> String {
    let series = |psr: &str, points: &[(u32, f64)]| {
        let p: String = points
            .iter()
            .map(|(pos, q)| {
                format!("<Point><position>{pos}</position><quantity>{q}</quantity></Point>")
            })
            .collect();
        format!(
            "<TimeSeries><mRID>1</mRID><businessType>A01</businessType>\
             <inBiddingZone_Domain.mRID codingScheme=\"A01\">10Y1001A1001A47J</inBiddingZone_Domain.mRID>\
             <quantity_Measure_Unit.name>MAW</quantity_Measure_Unit.name><curveType>A03</curveType>\
             <MktPSRType><psrType>{psr}</psrType></MktPSRType><Period><timeInterval>\
             <start>2025-10-20T11:00Z</start><end>2025-10-20T14:00Z</end></timeInterval>\
             <resolution>PT60M</resolution>{p}</Period></TimeSeries>"
        )
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <GL_MarketDocument xmlns=\"urn:iec62325.351:tc57wg16:451-6:generationloaddocument:3:0\">\
         <type>A75</type>{}{}{}{}{}{extra}</GL_MarketDocument>",
        series("B04", &[(1, 0.9), (2, 0.7), (3, 0.6)]),
        // Hydro repeats its value at position 2 (left out) and changes at 3.
        series("B12", &[(1, 90.23), (3, 90.22)]),
        series("B16", &[(1, 300.51), (2, 250.13), (3, 164.41)]),
        series("B19", &[(1, 1434.47), (2, 1399.7), (3, 1367.78)]),
        series("B20", &[(1, 184.23), (2, 176.87), (3, 172.11)]),
    )
}

/// By hand: Σ MW × factor / Σ MW with gas 490, hydro 24, solar 45, wind onshore 11, other 700.
fn by_hand(gas: f64, hydro: f64, solar: f64, wind: f64, other: f64) -> f64 {
    (gas * 490.0 + hydro * 24.0 + solar * 45.0 + wind * 11.0 + other * 700.0)
        / (gas + hydro + solar + wind + other)
}

#[test]
fn entsoe_generation_becomes_a_life_cycle_intensity() {
    let factors = psr_factors();
    assert_eq!(factors["B04"], Some(490.0));
    assert_eq!(factors["B10"], None, "storage discharge is left out");
    let f = entsoe("se4.xml", &se4(""), "SE-SE4").unwrap();
    assert_eq!((f.kind, f.missing), (Kind::LifeCycle, 0));
    let want = [
        by_hand(0.9, 90.23, 300.51, 1434.47, 184.23),
        by_hand(0.7, 90.23, 250.13, 1399.7, 176.87),
        by_hand(0.6, 90.22, 164.41, 1367.78, 172.11),
    ];
    // 160,869.64 / 2,010.34 = 80.02 for the first hour.
    assert!((want[0] - 80.02).abs() < 0.005);
    let got: Vec<f64> = f.points.iter().map(|p| p.value).collect();
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() < 1e-9, "{got:?} vs {want:?}");
    }
    assert_eq!(f.points[0].t, at("2025-10-20T11:00:00Z"));
    // Consumption (pumping: an `out` domain) and storage discharge change nothing; a quarter-hour
    // type is summed into its hours; an hour a type misses is left out, counted.
    let pumping = "<TimeSeries><outBiddingZone_Domain.mRID>10Y1001A1001A47J</outBiddingZone_Domain.mRID>\
        <curveType>A01</curveType><MktPSRType><psrType>B10</psrType></MktPSRType><Period><timeInterval>\
        <start>2025-10-20T11:00Z</start><end>2025-10-20T14:00Z</end></timeInterval><resolution>PT60M</resolution>\
        <Point><position>1</position><quantity>500</quantity></Point></Period></TimeSeries>";
    let discharge = pumping
        .replace("outBiddingZone", "inBiddingZone")
        .replace(
            "<position>1</position><quantity>500",
            "<position>1</position><quantity>400",
        )
        .replace("<curveType>A01", "<curveType>A03");
    let with = entsoe("se4.xml", &se4(&format!("{pumping}{discharge}")), "SE-SE4").unwrap();
    assert_eq!(with.points, f.points);
    // Nuclear every quarter-hour of the first two hours only (A01): the third hour is left out.
    let quarter: String = (1..=8)
        .map(|k| {
            format!(
                "<Point><position>{k}</position><quantity>{}</quantity></Point>",
                100 * k
            )
        })
        .collect();
    let nuclear = format!(
        "<TimeSeries><inBiddingZone_Domain.mRID>x</inBiddingZone_Domain.mRID><curveType>A01</curveType>\
         <MktPSRType><psrType>B14</psrType></MktPSRType><Period><timeInterval><start>2025-10-20T11:00Z</start>\
         <end>2025-10-20T14:00Z</end></timeInterval><resolution>PT15M</resolution>{quarter}</Period></TimeSeries>"
    );
    let n = entsoe("se4.xml", &se4(&nuclear), "SE-SE4").unwrap();
    assert_eq!((n.points.len(), n.missing), (2, 1));
    // Hour 1: nuclear 100, 200, 300, 400 MW for a quarter each: 250 MWh at 12 g.
    let first = (0.9 * 490.0
        + 90.23 * 24.0
        + 300.51 * 45.0
        + 1434.47 * 11.0
        + 184.23 * 700.0
        + 250.0 * 12.0)
        / (0.9 + 90.23 + 300.51 + 1434.47 + 184.23 + 250.0);
    assert!(
        (n.points[0].value - first).abs() < 1e-9,
        "{} vs {first}",
        n.points[0].value
    );
    // A negative generation is a gap: its hour is left out, the others kept.
    let negative = entsoe(
        "se4.xml",
        &se4("").replace("<quantity>0.7", "<quantity>-3"),
        "SE-SE4",
    )
    .unwrap();
    assert_eq!((negative.points.len(), negative.missing), (2, 1));
    assert_eq!(negative.points[1].t, at("2025-10-20T13:00:00Z"));
    // Nuclear reported from 12:00 only (a series that starts later): 11:00 keeps its mix.
    let later = nuclear.replace("2025-10-20T11:00Z</start>", "2025-10-20T12:00Z</start>");
    let l = entsoe("se4.xml", &se4(&later), "SE-SE4").unwrap();
    assert_eq!((l.points.len(), l.missing), (3, 0));
    assert_eq!(l.points[0].value, f.points[0].value);
    // Written and read back.
    let s = Series::parse("se4.csv", f.to_csv().as_bytes(), &Options::default()).unwrap();
    assert_eq!(s.zone.as_deref(), Some("SE-SE4"));
    assert_eq!(s.values.len(), 3);
}

#[test]
fn entsoe_refusals_say_why() {
    let e = entsoe("ack.xml", &fixture("entsoe-no-data.xml"), "FR").unwrap_err();
    assert!(
        e.to_string().contains("999") && e.to_string().contains("No matching data found"),
        "{e}"
    );
    let bad = [
        (se4("").replace("PT60M", "P1D"), "resolution"),
        (se4("").replace("B20", "B99"), "B99"),
        (
            se4("").replace("<quantity>0.9", "<quantity>abc"),
            "quantity",
        ),
        (
            se4("").replace(
                "<position>3</position><quantity>0.6",
                "<position>9</position><quantity>0.6",
            ),
            "position 9",
        ),
        ("<html/>".to_string(), "GL_MarketDocument"),
        ("not xml".to_string(), "XML"),
    ];
    for (doc, says) in bad {
        let e = entsoe("bad.xml", &doc, "SE-SE4").unwrap_err();
        assert!(e.to_string().contains(says), "{says}: {e}");
    }
}
