//! Center files: the bundled Jean Zay description and the checks of the schema.

use impacts_center::{AllocationKey, Center};
use impacts_data::Bundle;
use impacts_model::eval::Plan;
use impacts_model::job::{job_model, JobOptions};
use impacts_model::layout::job_measures::{NODE_POWER, PARK_POWER};

fn jean_zay(bundle: &Bundle) -> Center {
    let constants = bundle.constants("default").unwrap();
    let (path, text) = bundle.center_file("jean-zay").unwrap();
    Center::from_toml(path, text, bundle, &constants, None).unwrap()
}

#[test]
fn jean_zay_has_every_partition_of_the_idris_pages() {
    let b = Bundle::embedded().unwrap();
    let c = jean_zay(&b);
    assert_eq!(c.spec.zone.code, "FRA");
    // Facts of shared/data/README.md (IDRIS public pages).
    let expect = [
        ("cpu_p1", 1528, 40.0, 0.0, 192.0, AllocationKey::Cores),
        ("gpu_p13", 261 + 351, 40.0, 4.0, 192.0, AllocationKey::Gpus),
        (
            "gpu_p2",
            20 + 11,
            24.0,
            8.0,
            (20.0 * 384.0 + 11.0 * 768.0) / 31.0,
            AllocationKey::Gpus,
        ),
        ("gpu_p2s", 20, 24.0, 8.0, 384.0, AllocationKey::Gpus),
        ("gpu_p2l", 11, 24.0, 8.0, 768.0, AllocationKey::Gpus),
        ("gpu_p5", 52, 64.0, 8.0, 512.0, AllocationKey::Gpus),
        ("gpu_p6", 364, 96.0, 4.0, 512.0, AllocationKey::Gpus),
        ("prepost", 4, 48.0, 1.0, 3072.0, AllocationKey::Cores),
    ];
    for (name, nodes, cores, gpus, mem, key) in expect {
        let p = c.partition(name).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(p.nodes, nodes, "{name} nodes");
        assert_eq!(p.cores_per_node, cores, "{name} cores");
        assert_eq!(p.gpus_per_node, gpus, "{name} gpus");
        assert!((p.memory_gb_per_node - mem).abs() < 1e-9, "{name} memory");
        assert_eq!(p.allocation_key, key, "{name} key");
    }
    let gpu_p6 = &c.spec.clusters[c.partition("gpu_p6").unwrap().cluster];
    assert_eq!(
        gpu_p6.groups[0].server.gpus[0].spec.name,
        "NVIDIA H100 SXM5"
    );
    assert_eq!(
        gpu_p6.groups[0].server.cpus[0].spec.name,
        "Intel Xeon Platinum 8468"
    );
    // No PUE is published: the default applies, visibly.
    assert!(c.warnings.iter().any(|w| w.code == "center.pue-default"));
}

#[test]
fn partitions_that_share_nodes_count_once_in_the_park() {
    let b = Bundle::embedded().unwrap();
    let constants = b.constants("impacts-hpc").unwrap();
    let c = jean_zay(&b);
    let park = |cluster: usize| {
        let m = job_model(
            &b.criteria,
            &constants,
            &c.spec,
            &JobOptions {
                cluster,
                ..JobOptions::default()
            },
        )
        .unwrap();
        let plan = Plan::new(
            &m.graph,
            &[m.outputs.measure(&PARK_POWER).expect("park power")],
        );
        let mut out = [0.0];
        plan.evaluator().eval(&[1.0, 1.0, 100.0, 100.0], &mut out);
        out[0]
    };
    // The same park, whichever partition the job runs on (gpu_p2s and gpu_p2l are part of gpu_p2).
    let p0 = park(c.partition("cpu_p1").unwrap().cluster);
    for name in ["gpu_p2s", "gpu_p2l", "gpu_p6", "prepost"] {
        let p = park(c.partition(name).unwrap().cluster);
        assert!((p - p0).abs() < 1e-9 * p0, "{name}: {p} vs {p0}");
    }
    // Sum of node count × node peak power over the partitions in the park.
    let mut sum = 0.0;
    for part in c
        .partitions
        .iter()
        .filter(|p| !["gpu_p2s", "gpu_p2l"].contains(&p.name.as_str()))
    {
        let m = job_model(
            &b.criteria,
            &constants,
            &c.spec,
            &JobOptions {
                cluster: part.cluster,
                ..JobOptions::default()
            },
        )
        .unwrap();
        let plan = Plan::new(
            &m.graph,
            &[m.outputs.measure(&NODE_POWER).expect("node power")],
        );
        for (gi, g) in part.groups.iter().enumerate() {
            let m = job_model(
                &b.criteria,
                &constants,
                &c.spec,
                &JobOptions {
                    cluster: part.cluster,
                    group: Some(gi),
                    ..JobOptions::default()
                },
            )
            .unwrap();
            let plan = Plan::new(
                &m.graph,
                &[m.outputs.measure(&NODE_POWER).expect("node power")],
            );
            let mut out = [0.0];
            plan.evaluator().eval(&[1.0, 1.0, 100.0, 100.0], &mut out);
            sum += out[0] * g.nodes as f64;
        }
        let _ = plan;
    }
    assert!((sum - p0).abs() < 1e-9 * p0, "{sum} vs {p0}");
}

fn load(text: &str) -> Result<Center, impacts_center::CenterError> {
    let b = Bundle::embedded().unwrap();
    let constants = b.constants("default").unwrap();
    Center::from_toml("test.toml", text, &b, &constants, None)
}

const BASE: &str = r#"name = "T"
zone = "FR"
[node_types.n]
cpus = [{ model = "AMD EPYC 7543", count = 2 }]
ram_gb = 256
psus = { count = 2 }
[partitions.p]
node_type = "n"
nodes = 4
"#;

#[test]
fn a_minimal_center_loads_and_reports_its_defaults() {
    let c = load(BASE).unwrap();
    let codes: Vec<&str> = c.warnings.iter().map(|w| w.code.as_str()).collect();
    for code in [
        "center.pue-default",
        "center.lifetime-default",
        "center.usage-rate-default",
    ] {
        assert!(codes.contains(&code), "{code}: {codes:?}");
    }
    let p = c.partition("p").unwrap();
    assert_eq!(p.cores_per_node, 64.0);
    assert_eq!(p.allocation_key, AllocationKey::Max);
}

#[test]
fn schema_errors_are_located() {
    let cases = [
        (
            BASE.replace("ram_gb = 256", "ram_gb = 256\nfoo = 1"),
            "test.toml:6:1:",
            "unknown field `foo`",
        ),
        (
            BASE.replace("zone = \"FR\"", "zone = 33"),
            "test.toml:2:8:",
            "zone: invalid type",
        ),
        (
            BASE.replace("zone = \"FR\"", "zone = \"Atlantis\""),
            "test.toml:2:8:",
            "unknown zone 'Atlantis': expected an electricity zone",
        ),
        (
            BASE.replace("nodes = 4", "nodes = 0"),
            "test.toml:9:9:",
            "positive integer",
        ),
        (
            BASE.replace("node_type = \"n\"", "node_type = \"m\""),
            "test.toml:8:13:",
            "unknown node type `m`",
        ),
        (
            BASE.replace("count = 2 }]", "count = -2 }]"),
            "test.toml:4:9:",
            "cpu count must be a positive integer",
        ),
        (
            BASE.replace(
                "zone = \"FR\"",
                "zone = \"FR\"\npue = { value = 1.2, low = 1.3, high = 1.5 }",
            ),
            "test.toml:3:7:",
            "low <= value <= high",
        ),
        (
            BASE.replace("zone = \"FR\"", "zone = \"FR\"\npue = 0.5"),
            "test.toml:3:7:",
            "PUE must be between 1 and 5",
        ),
        (
            BASE.replace("zone = \"FR\"", "zone = \"FR\"\nallocation_key = \"bytes\""),
            "test.toml:3:18:",
            "unknown allocation_key `bytes`",
        ),
        (
            BASE.replace("ram_gb = 256", "ram_gb = 256\nssds = [{ size = \"12QB\" }]"),
            "test.toml:6:9:",
            "invalid value '12QB'",
        ),
        (
            BASE.replace("[partitions.p]\nnode_type = \"n\"\nnodes = 4\n", ""),
            "test.toml:1:1:",
            "missing field `partitions`",
        ),
        (
            BASE.replace(
                "[partitions.p]\nnode_type = \"n\"\nnodes = 4\n",
                "[partitions]\n",
            ),
            "test.toml",
            "at least one partition",
        ),
    ];
    for (text, at, what) in cases {
        let e = load(&text).expect_err(what);
        let s = e.to_string();
        assert!(s.starts_with(at), "{s} should start with {at}");
        assert!(s.contains(what), "{s} should contain {what}");
    }
}
