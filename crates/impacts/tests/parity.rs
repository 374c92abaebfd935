//! Parity with the reference implementation (Impacts-HPC 0.0.8).
//!
//! Runs every case of `shared/parity/reference-cases.json` with the `impacts-hpc` method (the
//! reference's assumptions) and no sampling. Where the reference's model is right, every central
//! value agrees within 1 %. Where a documented defect applies (docs/parity.md), the expected value
//! is the reference's own number with the documented correction applied by hand, and ours must
//! equal that within 1e-6.

mod common;

use impacts::impacts_data::resolve::{CpuQuery, GpuQuery, RamQuery, SsdQuery};
use impacts::impacts_model::builder::Builder;
use impacts::impacts_model::eval::Plan;
use impacts::impacts_model::hardware::CaseKind;
use impacts::impacts_model::job::{allocation_share, Allocation};
use impacts::{
    CenterSource, ComponentRequest, EnergyRequest, Engine, JobRequest, Options, Report,
    ServerRequest,
};
use serde_json::Value;

const PARITY: f64 = 0.01;
const EXACT: f64 = 1e-6;

fn opts() -> Options {
    Options {
        method: "impacts-hpc".into(),
        samples: 0,
        ..Options::default()
    }
}

struct Check {
    case: String,
    what: String,
    reference: f64,
    expected: f64,
    ours: f64,
    tolerance: f64,
}

fn v(x: &Value, path: &[&str]) -> f64 {
    let mut cur = x;
    for p in path {
        cur = &cur[*p];
    }
    if cur.is_object() {
        cur = &cur["value"];
    }
    cur.as_f64()
        .unwrap_or_else(|| panic!("no number at {path:?}"))
}

fn total(r: &Report, c: &str) -> f64 {
    r.impacts.get(c).expect("criterion").value
}

fn phase(r: &Report, p: &str, c: &str) -> f64 {
    r.phases.get(p).and_then(|m| m.get(c)).expect("phase").value
}

fn qty(r: &Report, q: &str) -> f64 {
    r.quantities.get(q).expect("quantity").value
}

/// A park of 100 servers (2 × Intel Xeon Gold 6248, 192 GB RAM, one motherboard, no power supply,
/// rack case) as the reference builds it, PUE 1.2, lifetime 6 years, usage rate 0.9.
fn park(zone: &str) -> CenterSource {
    CenterSource::Text {
        label: "reference-park.toml".into(),
        text: format!(
            r#"
name = "reference park"
zone = "{zone}"
pue = 1.2
lifetime_years = 6
usage_rate = 0.9
[node_types.cpu]
cpus = [{{ model = "Intel 6248", count = 2 }}]
ram_gb = 192
[partitions.cluster]
node_type = "cpu"
nodes = 100
"#
        ),
    }
}

/// The reference's "2x Intel 6248, 192 GB RAM, one motherboard" server (no power supply).
fn reference_server() -> ServerRequest {
    ServerRequest {
        cpus: vec![(
            CpuQuery {
                name: Some("Intel 6248".into()),
                ..CpuQuery::default()
            },
            2,
        )],
        ram: vec![RamQuery {
            size_gb: 192.0,
            ..RamQuery::default()
        }],
        motherboards: 1,
        ..ServerRequest::default()
    }
}

#[test]
fn every_reference_case_is_reproduced_or_documented() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let text = std::fs::read_to_string(shared.join("parity/reference-cases.json"))
        .expect("reference cases");
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    let cases = doc["cases"].as_array().expect("cases");
    let engine = Engine::new().unwrap();
    let mut checks: Vec<Check> = Vec::new();
    let mut push =
        |case: &str, what: &str, reference: f64, expected: f64, ours: f64, tolerance: f64| {
            checks.push(Check {
                case: case.into(),
                what: what.into(),
                reference,
                expected,
                ours,
                tolerance,
            })
        };
    let crits = ["gwp", "adpe", "pe"];
    let mut seen = 0;
    for c in cases {
        let id = c["id"].as_str().unwrap();
        let inputs = &c["inputs"];
        let inter = &c["intermediate"];
        seen += 1;
        match c["category"].as_str().unwrap() {
            "electricity" => {
                let r = engine
                    .energy(
                        &EnergyRequest {
                            energy_kwh: 1000.0,
                            zone: inputs["location"].as_str().unwrap().into(),
                        },
                        &opts(),
                    )
                    .unwrap();
                for k in crits {
                    let reference = v(&c["impacts"], &[k, "value"]);
                    push(id, k, reference, reference, total(&r, k), PARITY);
                }
            }
            "cpu" => {
                let q = CpuQuery {
                    name: inputs["model_name"]
                        .as_str()
                        .or(inputs["model_name_query"].as_str())
                        .map(String::from),
                    family: inputs["cpu_family"].as_str().map(String::from),
                    cores: inputs["cores"].as_u64().map(|x| x as u32),
                    tdp_w: inputs["tdp_W"].as_f64(),
                    die_area_mm2: inputs["die_size"]
                        .as_str()
                        .map(|s| s.trim_end_matches(" mm²").parse().unwrap()),
                    ..CpuQuery::default()
                };
                let r = engine
                    .component(&ComponentRequest::Cpu(Box::new(q)), &opts())
                    .unwrap();
                for k in crits {
                    let reference = v(inter, &["embodied", k, "value"]);
                    push(
                        id,
                        &format!("embodied {k}"),
                        reference,
                        reference,
                        total(&r, k),
                        PARITY,
                    );
                }
                let p = v(inter, &["electric_power"]);
                push(id, "power at 100 %", p, p, qty(&r, "power"), PARITY);
                let i = v(inter, &["idle_power"]);
                push(id, "idle power", i, i, qty(&r, "idle_power"), PARITY);
                if let Some(name) = inter["resolved_name"].as_str() {
                    let m = &r.matches[0];
                    assert_eq!(m.matched, vec![name.to_string()], "{id}: resolved name");
                }
            }
            "gpu" => {
                let name = inputs["model_name"].as_str().unwrap();
                let r = engine
                    .component(
                        &ComponentRequest::Gpu(GpuQuery {
                            name: Some(name.into()),
                            ..GpuQuery::default()
                        }),
                        &opts(),
                    )
                    .unwrap();
                let die = v(inter, &["die_size_mm2"]);
                let gwp = v(inter, &["embodied", "gwp", "value"]);
                push(id, "embodied gwp", gwp, gwp, total(&r, "gwp"), PARITY);
                // Defect: the reference stores the die's ADPe under a stray key `adp`, and writes the
                // die factor 5.80e-7 gSbeq/cm² and base 0.0170687302 gSbeq for values given in kg at the
                // source (docs/parity.md). Corrected: memory ADPe + 5.8e-6 g/mm² × die + 17.0687302 g.
                let adpe_ref = v(inter, &["embodied", "adpe", "value"]);
                push(
                    id,
                    "embodied adpe (defect: stray key, kg read as g)",
                    adpe_ref,
                    adpe_ref + 5.8e-6 * die + 17.0687302,
                    total(&r, "adpe"),
                    EXACT,
                );
                // Defect: the die's PE factor and base are written in J instead of MJ.
                let pe_ref = v(inter, &["embodied", "pe", "value"]);
                let die_j = (26.5 * die / 100.0 + 156.0) * 1e-6;
                push(
                    id,
                    "embodied pe (defect: J instead of MJ)",
                    pe_ref,
                    pe_ref - die_j + (0.265 * die + 156.0),
                    total(&r, "pe"),
                    EXACT,
                );
                let p = v(inter, &["electric_power"]);
                push(id, "power at 100 %", p, p, qty(&r, "power"), PARITY);
                // Defect: the reference returns no idle power for a GPU; ours is 10 % of TDP.
                push(
                    id,
                    "idle power (defect: dropped)",
                    f64::NAN,
                    0.1 * p,
                    qty(&r, "idle_power"),
                    EXACT,
                );
            }
            "ram" => {
                let size: f64 = inputs["size"]
                    .as_str()
                    .unwrap()
                    .trim_end_matches(" GB")
                    .parse()
                    .unwrap();
                let q = RamQuery {
                    size_gb: size,
                    manufacturer: inputs["manufacturer"].as_str().map(String::from),
                    process_nm: inputs["engraving_process_thickness"]
                        .as_str()
                        .map(|s| s.trim_end_matches(" nm").parse().unwrap()),
                    ..RamQuery::default()
                };
                let r = engine
                    .component(&ComponentRequest::Ram(q), &opts())
                    .unwrap();
                for k in crits {
                    let reference = v(inter, &["embodied", k, "value"]);
                    push(
                        id,
                        &format!("embodied {k}"),
                        reference,
                        reference,
                        total(&r, k),
                        PARITY,
                    );
                }
                let p = v(inter, &["electric_power"]);
                push(id, "power", p, p, qty(&r, "power"), PARITY);
            }
            "ssd" => {
                let s = inputs["size"].as_str().unwrap();
                let q = SsdQuery {
                    size_gb: impacts::impacts_data::units::parse_size_gb(&s.replace(' ', ""))
                        .unwrap(),
                    manufacturer: inputs["manufacturer"].as_str().map(String::from),
                    layers: inputs["layers"].as_u64().map(|x| x as u32),
                    density: None,
                };
                let r = engine
                    .component(&ComponentRequest::Ssd(q), &opts())
                    .unwrap();
                for k in crits {
                    let reference = v(inter, &["embodied", k, "value"]);
                    push(
                        id,
                        &format!("embodied {k}"),
                        reference,
                        reference,
                        total(&r, k),
                        PARITY,
                    );
                }
            }
            "other" => {
                let req = match id {
                    "hdd" => ComponentRequest::Hdd,
                    "motherboard" => ComponentRequest::Motherboard,
                    "power_supply_default" => ComponentRequest::PowerSupply { mass_kg: None },
                    "case_rack" => ComponentRequest::Case(CaseKind::Rack),
                    "case_blade" => ComponentRequest::Case(CaseKind::Blade),
                    other => panic!("unknown case {other}"),
                };
                let r = engine.component(&req, &opts()).unwrap();
                for k in crits {
                    let reference = v(inter, &["embodied", k, "value"]);
                    push(
                        id,
                        &format!("embodied {k}"),
                        reference,
                        reference,
                        total(&r, k),
                        PARITY,
                    );
                }
            }
            "server" => {
                let r = engine.server(&reference_server(), &opts()).unwrap();
                for k in crits {
                    let reference = v(inter, &["embodied", k, "value"]);
                    push(
                        id,
                        &format!("embodied {k}"),
                        reference,
                        reference,
                        total(&r, k),
                        PARITY,
                    );
                    let h = v(inter, &["embedded_for_1_h", k, "value"]);
                    push(
                        id,
                        &format!("manufacturing per hour {k}"),
                        h,
                        h,
                        phase(&r, "manufacturing_per_hour_of_use", k),
                        PARITY,
                    );
                }
                let p = v(inter, &["electric_power", "value"]);
                push(id, "power", p, p, qty(&r, "power"), PARITY);
                let i = v(inter, &["idle_power", "value"]);
                push(id, "idle power", i, i, qty(&r, "idle_power"), PARITY);
            }
            "allocation" => {
                // 100 h of the same server over a 4-year lifetime at a usage rate of 0.9.
                let s = engine.server(&reference_server(), &opts()).unwrap();
                let constants = engine.bundle().constants("impacts-hpc").unwrap();
                let mut b = Builder::new(&engine.bundle().criteria, &constants);
                let hours = b.graph.param("hours", "hours", "h");
                let life = b.graph.constant(4.0);
                let usage = b.graph.constant(0.9);
                let share =
                    allocation_share(&mut b, &Allocation::Linear, hours, life, usage).unwrap();
                let (g, _) = b.finish();
                let plan = Plan::new(&g, &[share]);
                let mut out = [0.0];
                plan.evaluator().eval(&[100.0], &mut out);
                for k in crits {
                    let reference = v(inter, &["embedded_for_100_h", k, "value"]);
                    push(
                        id,
                        &format!("allocated {k}"),
                        reference,
                        reference,
                        total(&s, k) * out[0],
                        PARITY,
                    );
                }
            }
            "job" => {
                let zone = inputs["location"].as_str().unwrap();
                let nodes = inputs["nodes"].as_f64().unwrap();
                let hours: f64 = inputs["duration"]
                    .as_str()
                    .unwrap()
                    .trim_end_matches(" h")
                    .parse()
                    .unwrap();
                let r = engine
                    .job(
                        &JobRequest {
                            center: park(zone),
                            partition: "cluster".into(),
                            nodes: Some(nodes),
                            hours,
                            load: Some(100.0),
                            ..JobRequest::default()
                        },
                        &opts(),
                    )
                    .unwrap();
                let b = &inter["breakdown"];
                let pue = 1.2;
                for k in crits {
                    let usage = v(b, &["usage_impact", k, "value"]);
                    push(
                        id,
                        &format!("use {k}"),
                        usage,
                        usage,
                        phase(&r, "use", k),
                        PARITY,
                    );
                    let servers = v(b, &["servers_embeded_impacts", k, "value"]);
                    push(
                        id,
                        &format!("manufacturing {k}"),
                        servers,
                        servers,
                        phase(&r, "manufacturing", k),
                        PARITY,
                    );
                    // Defect: the idle share counts one node whatever the job's size.
                    let stat = v(b, &["job_static_impact", k, "value"]);
                    push(
                        id,
                        &format!("idle {k} (defect: one node only)"),
                        stat,
                        stat * nodes,
                        phase(&r, "idle", k),
                        EXACT,
                    );
                    // Defect: cooling primary energy read per W instead of per kW (1000× too high).
                    // Deviation: batteries sized for the IT power, not the power with PUE (docs/parity.md).
                    let cool = v(b, &["job_cooling_embedded_impact", k, "value"]);
                    let cool_ours = if k == "pe" { cool / 1000.0 } else { cool };
                    let bat = if k == "gwp" {
                        v(b, &["job_batteries_embedded_impact", "gwp", "value"])
                    } else {
                        0.0
                    };
                    let fac_ref = cool + bat;
                    push(
                        id,
                        &format!("facility {k} (defect: cooling pe ×1000; batteries on IT power)"),
                        fac_ref,
                        cool_ours + bat / pue,
                        phase(&r, "facility", k),
                        EXACT,
                    );
                    let tot = v(inter, &["total", k, "value"]);
                    let expected = tot - stat - cool - bat + stat * nodes + cool_ours + bat / pue;
                    let tol = if k == "gwp" && nodes == 1.0 {
                        PARITY
                    } else {
                        EXACT
                    };
                    push(id, &format!("total {k}"), tot, expected, total(&r, k), tol);
                }
                let p = v(inter, &["node_electric_power", "value"]);
                push(id, "node power", p, p, qty(&r, "node_power"), PARITY);
            }
            other => panic!("unknown category {other}"),
        }
    }
    assert_eq!(seen, 28, "every case of the file is run");
    let mut failures = Vec::new();
    println!("| case | quantity | reference | expected | ours | rel. diff. to expected |");
    println!("|---|---|---|---|---|---|");
    for c in &checks {
        let d = if c.expected == 0.0 {
            c.ours.abs()
        } else {
            ((c.ours - c.expected) / c.expected).abs()
        };
        println!(
            "| {} | {} | {} | {} | {} | {:.2e} |",
            c.case, c.what, c.reference, c.expected, c.ours, d
        );
        if d.is_nan() || d > c.tolerance {
            failures.push(format!(
                "{} / {}: expected {} (reference {}), got {}",
                c.case, c.what, c.expected, c.reference, c.ours
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "parity failures:\n{}",
        failures.join("\n")
    );
}
