//! Center files: the bundled Jean Zay description and the checks of the schema.

use impacts_center::{AllocationKey, Center};
use impacts_data::Bundle;
use impacts_model::criteria::Constants;
use impacts_model::eval::{MonteCarlo, Plan};
use impacts_model::job::{job_model, JobModel, JobOptions};
use impacts_model::layout::job_measures::{NODE_POWER, PARK_POWER};

/// The job model of a cluster of a center, or of one of its node groups.
fn model(
    b: &Bundle,
    constants: &Constants,
    c: &Center,
    cluster: usize,
    group: Option<usize>,
) -> JobModel {
    let opts = JobOptions {
        cluster,
        group,
        ..JobOptions::default()
    };
    job_model(&b.criteria, constants, &c.spec, &opts).unwrap()
}

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
        let m = model(&b, &constants, &c, cluster, None);
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
        for (gi, g) in part.groups.iter().enumerate() {
            let m = model(&b, &constants, &c, part.cluster, Some(gi));
            let plan = Plan::new(
                &m.graph,
                &[m.outputs.measure(&NODE_POWER).expect("node power")],
            );
            let mut out = [0.0];
            plan.evaluator().eval(&[1.0, 1.0, 100.0, 100.0], &mut out);
            sum += out[0] * g.nodes as f64;
        }
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

/// A center file with a node type of every part, for the bounds: each case replaces one value.
const PARTS: &str = r#"name = "T"
zone = "FR"
[node_types.n]
cpus = [{ model = "AMD EPYC 7543", count = 2, cores = 32, tdp_w = 225, die_area_mm2 = 1008 }]
gpus = [{ model = "NVIDIA H100 SXM5", count = 4, tdp_w = 700, die_area_mm2 = 814, memory_gb = 80 }]
ram = { size_gb = 512, manufacturer = "Samsung", density_gb_per_cm2 = 1.0 }
ssds = [{ size = "3.84TB", count = 2 }]
hdds = 0
motherboards = 1
psus = { count = 2, mass_kg = 2.5 }
cores = 64
memory_gb = 512
[partitions.p]
node_type = "n"
nodes = 4
[partitions.q]
groups = [{ node_type = "n", nodes = 2 }, { node_type = "n", nodes = 3 }]
allocation = "decreasing"
age_years = 2
"#;

/// `text` with `from` replaced by `to` (`from` must occur once).
fn replaced(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from}");
    text.replacen(from, to, 1)
}

/// `PARTS` with `from` replaced by `to`.
fn parts_with(from: &str, to: &str) -> String {
    replaced(PARTS, from, to)
}

#[test]
fn the_parts_center_loads() {
    let c = load(PARTS).unwrap();
    assert_eq!(c.partition("q").unwrap().nodes, 5);
}

#[test]
fn each_bound_refuses_its_key_at_its_value() {
    // (from, to, location, key, expected)
    let cases = [
        (
            "count = 2, cores",
            "count = 129, cores",
            "test.toml:4:44:",
            "node_types.n.cpus[0].count",
            "at most 128 CPUs per node",
        ),
        (
            "count = 2, cores = 32, tdp_w = 225, die_area_mm2 = 1008 }]",
            "count = 100, cores = 32 }, { model = \"AMD EPYC 7543\", count = 29 }]",
            "test.toml:4:98:",
            "node_types.n.cpus[1].count",
            "at most 128 CPUs per node (all the entries of `cpus` together)",
        ),
        (
            "cores = 32",
            "cores = 5000",
            "test.toml:4:55:",
            "node_types.n.cpus[0].cores",
            "at most 4096 cores per CPU",
        ),
        (
            "tdp_w = 225",
            "tdp_w = 1e308",
            "test.toml:4:67:",
            "node_types.n.cpus[0].tdp_w",
            "at most 50,000 W (the TDP of one CPU)",
        ),
        (
            "tdp_w = 225",
            "tdp_w = { value = 225, low = 200, high = 6e4 }",
            "test.toml:4:67:",
            "node_types.n.cpus[0].tdp_w",
            "at most 50,000 W (the TDP of one CPU)",
        ),
        (
            "die_area_mm2 = 1008 }]",
            "die_area_mm2 = 1e6 }]",
            "test.toml:4:87:",
            "node_types.n.cpus[0].die_area_mm2",
            "at most 50,000 mm² (the die area of one CPU)",
        ),
        (
            "tdp_w = 225,",
            "power_points = [[0, 100], [50, 200], [100, 60000]],",
            "test.toml:4:74:",
            "node_types.n.cpus[0].power_points",
            "at most 50,000 W (the power of one CPU)",
        ),
        (
            "count = 4",
            "count = 5000000000",
            "test.toml:5:47:",
            "node_types.n.gpus[0].count",
            "at most 128 GPUs per node",
        ),
        (
            "tdp_w = 700",
            "tdp_w = 1e308",
            "test.toml:5:58:",
            "node_types.n.gpus[0].tdp_w",
            "at most 50,000 W (the TDP of one GPU)",
        ),
        (
            "die_area_mm2 = 814",
            "die_area_mm2 = 50001",
            "test.toml:5:78:",
            "node_types.n.gpus[0].die_area_mm2",
            "at most 50,000 mm² (the die area of one GPU)",
        ),
        (
            "memory_gb = 80",
            "memory_gb = 1e9",
            "test.toml:5:95:",
            "node_types.n.gpus[0].memory_gb",
            "at most 65,536 GB (the memory of one GPU)",
        ),
        (
            "ram = { size_gb = 512, manufacturer = \"Samsung\", density_gb_per_cm2 = 1.0 }",
            "ram_gb = 1e308",
            "test.toml:6:10:",
            "node_types.n.ram_gb",
            "at most 65,536 GB of memory per node",
        ),
        (
            "size_gb = 512",
            "size_gb = 65537",
            "test.toml:6:19:",
            "node_types.n.ram.size_gb",
            "at most 65,536 GB of memory per node",
        ),
        (
            "density_gb_per_cm2 = 1.0",
            "density_gb_per_cm2 = 1e-300",
            "test.toml:6:71:",
            "node_types.n.ram.density_gb_per_cm2",
            "between 0.001 and 100 GB/cm²",
        ),
        (
            "count = 2 }]\nhdds",
            "count = 1000 }]\nhdds",
            "test.toml:7:36:",
            "node_types.n.ssds[0].count",
            "at most 128 SSDs per node",
        ),
        (
            "size = \"3.84TB\"",
            "size = \"2PB\"",
            "test.toml:7:18:",
            "node_types.n.ssds[0].size",
            "at most 1,000,000 GB per SSD",
        ),
        (
            "hdds = 0",
            "hdds = 129",
            "test.toml:8:8:",
            "node_types.n.hdds",
            "at most 128 HDDs per node",
        ),
        (
            "motherboards = 1",
            "motherboards = 1000",
            "test.toml:9:16:",
            "node_types.n.motherboards",
            "at most 128 motherboards per node",
        ),
        (
            "psus = { count = 2,",
            "psus = { count = 9223372036854775807,",
            "test.toml:10:18:",
            "node_types.n.psus.count",
            "at most 128 power supplies per node",
        ),
        (
            "mass_kg = 2.5",
            "mass_kg = 1e308",
            "test.toml:10:31:",
            "node_types.n.psus.mass_kg",
            "at most 100 kg per power supply",
        ),
        (
            "cores = 64",
            "cores = 524289",
            "test.toml:11:9:",
            "node_types.n.cores",
            "at most 524,288 cores per node",
        ),
        (
            "memory_gb = 512",
            "memory_gb = nan",
            "test.toml:12:13:",
            "node_types.n.memory_gb",
            "between 0 and 65,536 GB of memory per node",
        ),
        (
            "nodes = 4",
            "nodes = 10000001",
            "test.toml:15:9:",
            "partitions.p.nodes",
            "at most 10,000,000 nodes per partition",
        ),
        (
            "nodes = 3 }",
            "nodes = 9999999 }",
            "test.toml:17:70:",
            "partitions.q.groups[1].nodes",
            "at most 10,000,000 nodes per partition (all its groups together)",
        ),
        (
            "age_years = 2",
            "age_years = 51",
            "test.toml:19:13:",
            "partitions.q.age_years",
            "at most 50 years (the age of the nodes)",
        ),
    ];
    for (from, to, at, key, expected) in cases {
        let e = load(&parts_with(from, to)).expect_err(key);
        let s = e.to_string();
        assert!(s.starts_with(at), "{s} should start with {at}");
        assert_eq!(e.field.as_deref(), Some(key), "{s}");
        assert!(e.expected.contains(expected), "{s} should say {expected}");
    }
}

#[test]
fn the_numbers_with_a_range_are_finite_and_bounded() {
    let cases = [
        (
            "zone = \"FR\"",
            "zone = \"FR\"\npue = inf",
            "PUE must be between 1 and 5",
        ),
        (
            "zone = \"FR\"",
            "zone = \"FR\"\nlifetime_years = { value = 5, low = 1, high = 1e308 }",
            "node lifetime must be between 0.1 and 50",
        ),
        (
            "zone = \"FR\"",
            "zone = \"FR\"\nusage_rate = nan",
            "usage rate must be between 0.01 and 1",
        ),
        (
            "[node_types.n]",
            "[facility]\nbattery_autonomy_minutes = 1e308\n[node_types.n]",
            "battery autonomy (minutes) must be between 0.1 and 600",
        ),
        (
            "[node_types.n]",
            "[facility]\ncooling_capacity_kw = inf\n[node_types.n]",
            "cooling capacity (kW) must be between 0.001 and 1.00000e7",
        ),
        (
            "age_years = 2",
            "age_years = 2\npue = -inf",
            "partition q: PUE must be between 1 and 5",
        ),
        (
            "[partitions.p]",
            "[storage.s]\nmedia = \"hdd\"\ndrive_capacity_tb = 1e308\n[partitions.p]",
            "storage.s.drive_capacity_tb must be between 0.001 and 1000",
        ),
    ];
    for (from, to, what) in cases {
        let e = load(&parts_with(from, to)).expect_err(what);
        assert!(e.to_string().contains(what), "{e} should say {what}");
    }
}

/// `PARTS` at every bound: the most nodes, parts, power, memory and mass a file may give, the
/// least dense memory, the shortest lifetime and usage rate, the highest PUE.
fn at_the_limits() -> String {
    let center =
        "pue = { value = 5, low = 4, high = 5 }\nlifetime_years = 0.1\nusage_rate = 0.01\n\
                  [facility]\nbattery_autonomy_minutes = 600\ncooling_capacity_kw = 1e7\n";
    let cpus = "count = 64, cores = 4096, tdp_w = 50000, die_area_mm2 = 50000 }, \
                { family = \"EPYC\", count = 64, cores = 4096, die_area_mm2 = 50000, \
                power_points = [[0, 5000], [50, 8000], [100, 50000]] }]";
    let gpus = "count = 128, tdp_w = 50000, die_area_mm2 = 50000, memory_gb = 65536";
    let changes = [
        ("[node_types.n]", &format!("{center}[node_types.n]")[..]),
        (
            "count = 2, cores = 32, tdp_w = 225, die_area_mm2 = 1008 }]",
            cpus,
        ),
        (
            "count = 4, tdp_w = 700, die_area_mm2 = 814, memory_gb = 80",
            gpus,
        ),
        (
            "size_gb = 512, manufacturer = \"Samsung\", density_gb_per_cm2 = 1.0",
            "size_gb = 65536, density_gb_per_cm2 = 0.001",
        ),
        (
            "size = \"3.84TB\", count = 2",
            "size = \"1PB\", count = 128",
        ),
        ("hdds = 0", "hdds = 128"),
        ("motherboards = 1", "motherboards = 128"),
        ("count = 2, mass_kg = 2.5", "count = 128, mass_kg = 100"),
        ("cores = 64", "cores = 524288"),
        ("memory_gb = 512", "memory_gb = 65536"),
        ("nodes = 4", "nodes = 10000000"),
        ("nodes = 2 }", "nodes = 5000000 }"),
        ("nodes = 3 }", "nodes = 5000000 }"),
        ("age_years = 2", "age_years = 50"),
    ];
    changes.iter().fold(PARTS.to_string(), |text, (from, to)| {
        replaced(&text, from, to)
    })
}

#[test]
fn a_center_at_the_limits_gives_finite_numbers() {
    let b = Bundle::embedded().unwrap();
    let constants = b.constants("default").unwrap();
    let c = load(&at_the_limits()).unwrap();
    for name in ["p", "q"] {
        let p = c.partition(name).unwrap();
        assert_eq!(p.nodes, 10_000_000);
        let m = model(&b, &constants, &c, p.cluster, None);
        // A year on every node of the partition, at full load.
        let params = [8760.0, 10_000_000.0, 100.0, 100.0];
        let plan = Plan::new(&m.graph, &m.outputs.nodes);
        let mut out = vec![0.0; m.outputs.nodes.len()];
        plan.evaluator().eval(&params, &mut out);
        assert!(
            out.iter().all(|x| x.is_finite()),
            "{name}: {out:?} should be finite"
        );
        let mc = MonteCarlo::new(&m.graph, &m.outputs.nodes, 64, 0);
        let mut scratch = mc.scratch();
        mc.evaluate(&mut scratch, &params);
        for i in 0..m.outputs.nodes.len() {
            let samples = mc.output(&scratch, i);
            assert!(samples.iter().all(|x| x.is_finite()), "{name}: output {i}");
        }
        for w in c.warnings_for(p).iter().chain(&m.warnings) {
            assert!(!w.message.contains("inf"), "{}: {}", w.code, w.message);
        }
    }
}

/// The memory and GPU entries of issue 14: a generation, modules, memory whose power an
/// accelerator already counts, dies of a GPU; each refused with its place when wrong.
#[test]
fn memory_and_gpu_details_are_read_and_checked() {
    let gpu_node = BASE.replace(
        "ram_gb = 256",
        "gpus = [{ model = \"AMD Instinct MI300X\", count = 2, dies = 12 }]\nram = { size_gb = 256, generation = \"DDR5\", modules = 8, power_in_gpus = true }",
    );
    let c = load(&gpu_node).unwrap();
    let server = &c.spec.clusters[0].groups[0].server;
    assert_eq!(server.gpus[0].spec.dies, 12);
    assert_eq!(
        (server.ram[0].modules, server.ram[0].power_in_gpus),
        (8, true)
    );
    let cases = [
        (
            BASE.replace(
                "ram_gb = 256",
                "ram = { size_gb = 256, power_in_gpus = true }",
            ),
            "needs the accelerators",
        ),
        (
            BASE.replace("ram_gb = 256", "ram = { size_gb = 256, modules = 0 }"),
            "ram.modules must be a number of memory modules from 1 to 4096, found 0",
        ),
        (
            BASE.replace(
                "ram_gb = 256",
                "ram = { size_gb = 256, generation = \"SDR\" }",
            ),
            "generation",
        ),
        (
            gpu_node.replace("dies = 12", "dies = 0"),
            "dies must be a number of dies from 1 to 64, found 0",
        ),
    ];
    for (text, expected) in cases {
        let e = load(&text).unwrap_err().to_string();
        assert!(e.contains(expected) && e.starts_with("test.toml:"), "{e}");
    }
}
