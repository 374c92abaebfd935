//! The data bundle: coverage, provenance, lookups.

use impacts_data::resolve::{CpuQuery, GpuQuery, RamQuery, SsdQuery};
use impacts_data::{Bundle, DataError};
use impacts_model::quantity::{Dist, Status};

fn bundle() -> Bundle {
    Bundle::embedded().expect("the embedded bundle loads")
}

#[test]
fn at_least_1800_cpu_models_with_provenance() {
    let b = bundle();
    assert!(b.cpus.len() >= 1800, "{} CPU models", b.cpus.len());
    for c in &b.cpus {
        assert!(!c.name.is_empty());
        assert!(
            b.bibliography.contains_key(&c.source),
            "{}: source {}",
            c.name,
            c.source
        );
        assert!(
            c.year.is_some() && !c.licence.is_empty() && !c.origin.is_empty(),
            "{}",
            c.name
        );
        if let Some(d) = c.die_area_mm2 {
            assert!(
                d > 0.0 && !c.die_area_basis.is_empty(),
                "{}: die area {d} without basis",
                c.name
            );
        }
    }
    let with_die = b.cpus.iter().filter(|c| c.die_area_mm2.is_some()).count();
    let with_tdp = b.cpus.iter().filter(|c| c.tdp_w.is_some()).count();
    let with_family = b.cpus.iter().filter(|c| !c.family.is_empty()).count();
    assert!(
        with_die > 1400 && with_tdp > 900 && with_family > 1500,
        "{with_die} {with_tdp} {with_family}"
    );
    let upper = b
        .cpus
        .iter()
        .filter(|c| c.die_area_basis == "family-upper-bound")
        .count();
    assert!(
        upper > 500,
        "family upper bounds keep their status ({upper})"
    );
}

#[test]
fn the_data_center_gpus_of_the_issue_are_all_there() {
    let b = bundle();
    let constants = b.constants("default").unwrap();
    let wanted = [
        ("NVIDIA Tesla V100 SXM2 16 GB", 16.0),
        ("NVIDIA Tesla V100 SXM2 32 GB", 32.0),
        ("NVIDIA A100 PCIe 40 GB", 40.0),
        ("NVIDIA A100 PCIe 80 GB", 80.0),
        ("NVIDIA A100 SXM4 40 GB", 40.0),
        ("NVIDIA A100 SXM4 80 GB", 80.0),
        ("NVIDIA H100 PCIe", 80.0),
        ("NVIDIA H100 SXM5", 80.0),
        ("NVIDIA H100 NVL", 94.0),
        ("NVIDIA H200 SXM 141 GB", 141.0),
        ("NVIDIA GH200 96 GB", 96.0),
        ("NVIDIA B200 SXM 180 GB", 180.0),
        ("NVIDIA L40S", 48.0),
        ("AMD Radeon Instinct MI250X", 128.0),
        ("AMD Instinct MI300A", 128.0),
        ("AMD Instinct MI300X", 192.0),
    ];
    for (name, mem) in wanted {
        let r = b
            .resolve_gpu(
                &GpuQuery {
                    name: Some(name.into()),
                    ..GpuQuery::default()
                },
                &constants,
            )
            .unwrap();
        let m = r.name_match.unwrap();
        assert_eq!(m.kind, "exact", "{name}");
        assert!(r.spec.die_area_mm2.quantity.value > 500.0, "{name} die");
        assert!(r.spec.tdp_w.quantity.value >= 250.0, "{name} TDP");
        assert_eq!(r.spec.memory_gb.quantity.value, mem, "{name} memory");
        assert_ne!(
            r.spec.die_area_mm2.quantity.provenance.status,
            Status::Estimated,
            "{name}"
        );
    }
    // The short names that the reference could not match now match, with a warning.
    for (q, expect) in [
        ("H200", "H200"),
        ("GH200", "GH200"),
        ("L40S", "NVIDIA L40S"),
        ("MI300X", "MI300X"),
        ("B200", "B200"),
    ] {
        let r = b
            .resolve_gpu(
                &GpuQuery {
                    name: Some(q.into()),
                    ..GpuQuery::default()
                },
                &constants,
            )
            .unwrap();
        let m = r.name_match.unwrap();
        assert!(
            m.matched.iter().all(|n| n.contains(expect)),
            "{q}: {:?}",
            m.matched
        );
        assert!(matches!(m.kind.as_str(), "fuzzy" | "ambiguous"), "{q}");
        assert!(
            r.warnings.iter().any(|w| w.code.starts_with("match.")),
            "{q}: a warning says it was matched"
        );
    }
}

#[test]
fn an_ambiguous_name_widens_the_uncertainty() {
    let b = bundle();
    let constants = b.constants("default").unwrap();
    let r = b
        .resolve_gpu(
            &GpuQuery {
                name: Some("H200".into()),
                ..GpuQuery::default()
            },
            &constants,
        )
        .unwrap();
    assert_eq!(r.name_match.as_ref().unwrap().kind, "ambiguous");
    let tdp = &r.spec.tdp_w.quantity;
    // H200 SXM (700 W) and H200 NVL (600 W): mean 650 W, the two values as distribution.
    assert_eq!(tdp.value, 650.0);
    assert_eq!(
        tdp.dist,
        Dist::Empirical {
            values: vec![600.0, 700.0]
        }
    );
    assert!(r.warnings.iter().any(|w| w.code == "match.ambiguous"));
}

#[test]
fn an_unknown_name_is_a_warning_and_an_estimate() {
    let b = bundle();
    let constants = b.constants("default").unwrap();
    let r = b
        .resolve_cpu(
            &CpuQuery {
                name: Some("Ampere Altra Q80-30".into()),
                ..CpuQuery::default()
            },
            &constants,
        )
        .unwrap();
    assert_eq!(r.name_match.unwrap().kind, "none");
    let codes: Vec<&str> = r.warnings.iter().map(|w| w.code.as_str()).collect();
    assert!(
        codes.contains(&"match.none")
            && codes.contains(&"cpu.die-area.estimated")
            && codes.contains(&"cpu.power.profile"),
        "{codes:?}"
    );
    assert_eq!(
        r.spec.die_area_mm2.quantity.provenance.status,
        Status::Estimated
    );
    assert!(
        !r.spec.die_area_mm2.quantity.dist.is_fixed(),
        "an estimate carries the spread of the rows it averages"
    );
}

#[test]
fn at_least_139_zones_with_three_sourced_criteria() {
    let b = bundle();
    assert!(b.zones.len() >= 139);
    for z in &b.zones {
        let found = b.zone(&z.code3).unwrap();
        for (c, f) in b.criteria.iter().zip(&found.spec.factors) {
            let f = f
                .as_ref()
                .unwrap_or_else(|| panic!("{} has no {} factor", z.code3, c.key));
            let p = &f.quantity.provenance;
            assert!(
                b.bibliography.contains_key(&p.source),
                "{} {}",
                z.code3,
                c.key
            );
            assert!(p.year.is_some(), "{} {}: year", z.code3, c.key);
            assert!(p.licence.is_some(), "{} {}: licence", z.code3, c.key);
            assert!(f.quantity.value >= 0.0);
        }
    }
}

#[test]
fn zones_by_code_and_name() {
    let b = bundle();
    for q in ["FR", "fr", "FRA", "France", "french republic"] {
        assert_eq!(b.zone(q).unwrap().spec.code, "FRA", "{q}");
    }
    assert_eq!(b.zone("DE").unwrap().spec.code, "DEU");
    assert_eq!(b.zone("Europe").unwrap().spec.code, "EEE");
    assert_eq!(b.zone("World").unwrap().spec.code, "WOR");
    assert!(b
        .zone("Europe")
        .unwrap()
        .warnings
        .iter()
        .any(|w| w.code == "electricity.aggregate"));
    match b.zone("Frnace") {
        Err(DataError::Input(e)) => {
            assert_eq!(e.kind, impacts_data::InputError::unknown("", "", "").kind);
            assert_eq!(e.field.as_deref(), Some("zone"));
            assert_eq!(e.value.as_deref(), Some("Frnace"));
            assert!(e.expected.contains("; closest: FRA (France)"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    // Namibia's primary-energy factor is an artefact of its derivation: flagged.
    let nam = b.zone("NAM").unwrap();
    assert!(nam
        .warnings
        .iter()
        .any(|w| w.code == "electricity.pe-outlier"));
}

#[test]
fn the_hash_identifies_the_content() {
    let b = bundle();
    assert_eq!(b.hash.len(), 64);
    assert!(b.hash.chars().all(|c| c.is_ascii_hexdigit()));
    let again = bundle();
    assert_eq!(b.hash, again.hash, "stable");
    let mut files: Vec<(String, String)> = b.files().to_vec();
    let i = files.iter().position(|(n, _)| n == "bundle.toml").unwrap();
    files[i].1.push_str("\n# a comment\n");
    let changed = Bundle::from_files(files).unwrap();
    assert_ne!(
        b.hash, changed.hash,
        "any change of any file changes the hash"
    );
}

#[test]
fn a_source_missing_from_the_bibliography_is_an_error() {
    let b = bundle();
    let mut files: Vec<(String, String)> = b.files().to_vec();
    let i = files
        .iter()
        .position(|(n, _)| n == "constants.toml")
        .unwrap();
    files[i].1 = files[i]
        .1
        .replacen("source = \"boavizta-2024\"", "source = \"nowhere-2024\"", 1);
    match Bundle::from_files(files) {
        Err(DataError::Bundle { file, message, .. }) => {
            assert_eq!(file, "constants.toml");
            assert!(message.contains("nowhere-2024"));
        }
        other => panic!("{:?}", other.map(|_| ())),
    }
}

#[test]
fn memory_densities_follow_the_tables() {
    let b = bundle();
    let constants = b.constants("default").unwrap();
    // ram_manufacture.csv: Samsung 20 nm, 1.75 GB/cm².
    let r = b
        .resolve_ram(
            &RamQuery {
                size_gb: 64.0,
                manufacturer: Some("Samsung".into()),
                process_nm: Some(20.0),
                ..RamQuery::default()
            },
            &constants,
        )
        .unwrap();
    assert_eq!(r.spec.density.quantity.value, 1.75);
    let codes = |r: &impacts_data::resolve::Resolution<_>| -> Vec<String> {
        r.warnings.iter().map(|w| w.code.clone()).collect()
    };
    assert!(!codes(&r).contains(&"ram.density.default".to_string()));
    // 64 GB of unknown generation: two modules of BoaviztAPI's 32 GB archetype, said.
    assert_eq!(r.spec.modules, 2);
    assert!(codes(&r).contains(&"ram.modules-assumed".to_string()));
    assert!(codes(&r).contains(&"ram.generation-unknown".to_string()));
    // Without details: the default density of an unknown generation (BoaviztAPI 2.5.0's table
    // mean, 1.244 GB/cm²), with a warning; the reference method keeps MLCA's 0.625 and one base.
    let q = RamQuery {
        size_gb: 64.0,
        ..RamQuery::default()
    };
    let r = b.resolve_ram(&q, &constants).unwrap();
    assert_eq!(r.spec.density.quantity.value, 1.244);
    assert!(codes(&r).contains(&"ram.density.default".to_string()));
    let reference = b.constants("impacts-hpc").unwrap();
    let r = b.resolve_ram(&q, &reference).unwrap();
    assert_eq!(r.spec.density.quantity.value, 0.625);
    assert_eq!(r.spec.modules, 1);
    // The processors' family gives the generation (memory_generations.csv: Genoa takes DDR5):
    // DDR5's density and 64 GB modules, no generation warning.
    let genoa = RamQuery {
        size_gb: 768.0,
        cpu_family: Some("Genoa".into()),
        ..RamQuery::default()
    };
    let r = b.resolve_ram(&genoa, &constants).unwrap();
    assert_eq!(r.spec.density.quantity.value, 1.69);
    assert_eq!(r.spec.modules, 12);
    assert!(!codes(&r).contains(&"ram.generation-unknown".to_string()));
    // A family matched as a prefix (Cascade Lake-SP → Cascade Lake, DDR4), and LPDDR5X soldered:
    // no module.
    let r = b
        .resolve_ram(
            &RamQuery {
                size_gb: 192.0,
                cpu_family: Some("Cascade Lake-SP".into()),
                ..RamQuery::default()
            },
            &constants,
        )
        .unwrap();
    assert_eq!((r.spec.density.quantity.value, r.spec.modules), (1.244, 6));
    let r = b
        .resolve_ram(
            &RamQuery {
                size_gb: 480.0,
                generation: Some("LPDDR5X".into()),
                ..RamQuery::default()
            },
            &constants,
        )
        .unwrap();
    assert_eq!((r.spec.density.quantity.value, r.spec.modules), (1.69, 0));
    // An unknown generation is refused, naming the field.
    let bad = RamQuery {
        size_gb: 16.0,
        generation: Some("SDRAM-9".into()),
        ..RamQuery::default()
    };
    let e = b.resolve_ram(&bad, &constants).unwrap_err().to_string();
    assert!(e.contains("generation") && e.contains("SDRAM-9"), "{e}");
    // ssd_manufacture.csv: Samsung 96 layers, 57 GB/cm²; the table mean is 54.884 (19 rows).
    let s = b
        .resolve_ssd(&SsdQuery {
            size_gb: 1000.0,
            manufacturer: Some("Samsung".into()),
            layers: Some(96),
            density: None,
        })
        .unwrap();
    assert_eq!(s.spec.density.quantity.value, 57.0);
    let s = b
        .resolve_ssd(&SsdQuery {
            size_gb: 1000.0,
            ..SsdQuery::default()
        })
        .unwrap();
    assert!((s.spec.density.quantity.value - 54.88421052631579).abs() < 1e-9);
    assert!(s.warnings.iter().any(|w| w.code == "ssd.density.average"));
}

#[test]
fn every_constant_has_a_source_and_methods_override_known_constants() {
    let b = bundle();
    for m in ["default", "impacts-hpc"] {
        let c = b.constants(m).unwrap();
        for (k, q) in c.iter() {
            assert!(b.bibliography.contains_key(&q.provenance.source), "{k}");
        }
    }
    let hpc = b.constants("impacts-hpc").unwrap();
    assert_eq!(
        hpc.get("server.other_power_ratio", None).unwrap().value,
        0.0
    );
    assert!(hpc
        .get("server.other_power_ratio", None)
        .unwrap()
        .dist
        .is_fixed());
    let def = b.constants("default").unwrap();
    assert_eq!(
        def.get("server.other_power_ratio", None).unwrap().value,
        0.33
    );
    match b.constants("nope") {
        Err(DataError::Input(e)) => {
            assert_eq!(e.field.as_deref(), Some("method"));
            assert_eq!(
                e.to_string(),
                "unknown method 'nope': expected one of default, impacts-hpc"
            );
        }
        other => panic!("{other:?}"),
    }
}

/// A center's accelerator is a data-center part: `A100` goes to the A100 PCIe cards (averaged,
/// said by match.ambiguous), not to the automotive DRIVE A100 whose name is shorter; a query that
/// names the marker still finds the automotive part.
#[test]
fn fuzzy_gpu_names_prefer_data_center_parts() {
    let b = bundle();
    let c = b.constants("default").unwrap();
    let q = |name: &str| GpuQuery {
        name: Some(name.into()),
        ..GpuQuery::default()
    };
    let r = b.resolve_gpu(&q("A100"), &c).unwrap();
    let m = r.name_match.expect("a fuzzy match");
    assert!(
        m.matched.iter().all(|n| !n.contains("DRIVE"))
            && m.matched.iter().any(|n| n.contains("PCIe")),
        "{:?}",
        m.matched
    );
    assert!(r
        .warnings
        .iter()
        .any(|w| w.code == "match.ambiguous" && w.message.contains("averaged")));
    let r = b.resolve_gpu(&q("DRIVE A100"), &c).unwrap();
    assert_eq!(
        r.name_match.expect("match").matched,
        ["NVIDIA DRIVE A100 PROD"]
    );
}

#[test]
fn a_memory_generation_reads_its_speed_grade_and_its_spelling() {
    let b = bundle();
    let constants = b.constants("default").unwrap();
    for (given, density) in [("DDR4-3200", 1.244), ("ddr5 4800", 1.69), ("LPDDR5X", 1.69)] {
        let q = RamQuery {
            size_gb: 64.0,
            generation: Some(given.into()),
            ..RamQuery::default()
        };
        let r = b.resolve_ram(&q, &constants).unwrap();
        assert_eq!(r.spec.density.quantity.value, density, "{given}");
        assert!(r
            .warnings
            .iter()
            .all(|w| w.code != "ram.generation-unknown"));
    }
    // The reference method checks a given generation too, and a given density and module count
    // need no generation: no warning about it.
    let reference = b.constants("impacts-hpc").unwrap();
    let bad = RamQuery {
        size_gb: 64.0,
        generation: Some("DDR9".into()),
        ..RamQuery::default()
    };
    assert!(b.resolve_ram(&bad, &reference).is_err());
    let known = RamQuery {
        size_gb: 64.0,
        density: Some(2.0),
        modules: Some(4),
        ..RamQuery::default()
    };
    let r = b.resolve_ram(&known, &constants).unwrap();
    assert_eq!(r.spec.modules, 4);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}
