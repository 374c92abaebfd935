//! Storage and transfers against hand calculations (central values, no Monte Carlo), and their
//! bad inputs.

use impacts::{
    CenterSource, Engine, Options, StorageActivityRequest, StorageRequest, TransferRequest,
};

/// A center with one HDD tier whose every figure is given: the hand calculation needs only the
/// bundle's per-drive HDD impact (hdd.unit: 31,110 gCO2eq, 0.25 gSbeq, 276 MJ; BoaviztAPI), the
/// HDD's power (hdd.power_w: 6.4 W) and France's electricity factor (44.18 gCO2eq/kWh, Ember 2024:
/// data/electricity_2024.csv).
const CENTER: &str = r#"
name = "Tiered"
zone = "FR"
pue = 1.3
lifetime_years = 5
usage_rate = 0.8

[node_types.n]
cpus = [{ model = "AMD EPYC 7543", count = 2 }]
ram_gb = 256

[partitions.cpu]
node_type = "n"
nodes = 10

[storage.work]
media = "hdd"
drive_capacity_tb = 20
redundancy = 1.25
enclosure_overhead = 1.8
power_overhead = 1.5
lifetime_years = 5
drive_throughput_mb_s = 200
busy_fraction = 0.25
mounts = ["/lustre/work/"]

[storage.archive]
media = "tape"
redundancy = 2
mounts = ["/hpss"]

[storage.vendor]
media = "ssd"
redundancy = 1.0
power_w_per_tb = 0.5
manufacturing_per_tb = { gwp = 2900.0 }
"#;

fn opts() -> Options {
    Options {
        samples: 0,
        ..Options::default()
    }
}

fn center() -> CenterSource {
    CenterSource::Text {
        label: "tiered.toml".into(),
        text: CENTER.into(),
    }
}

fn total(r: &impacts::Report, c: &str) -> f64 {
    r.impacts.get(c).map_or(f64::NAN, |e| e.value)
}

/// France's climate factor of electricity: Ember 2024 (data/electricity_2024.csv).
const FR_GWP: f64 = 44.18;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1e-12)
}

#[test]
fn hdd_tier_by_hand() {
    let engine = Engine::new().expect("engine");
    let req = StorageRequest {
        volume_tb: 100.0,
        years: 5.0,
        center: Some(center()),
        tier: Some("work".into()),
        ..StorageRequest::default()
    };
    let r = engine.storage(&req, &opts()).expect("storage");
    // 100 TB × 1.25 = 125 TB raw = 6.25 drives of 20 TB, kept their whole 5-year lifetime.
    let drives = 6.25;
    let manufacturing = drives * 31_110.0 * 1.8 * (5.0 / 5.0);
    // 6.25 drives × 6.4 W × 1.5 = 60 W for 5 × 8,766 h, × PUE 1.3 = 3,418.74 kWh.
    let energy = 60.0 * 5.0 * 8766.0 / 1000.0 * 1.3;
    assert!(close(
        r.quantities.get("energy").expect("energy").value,
        energy
    ));
    assert!(close(
        r.quantities.get("drives").expect("drives").value,
        drives
    ));
    let m = r
        .phases
        .get("manufacturing")
        .and_then(|m| m.get("gwp"))
        .expect("manufacturing")
        .value;
    assert!(close(m, manufacturing), "{m} vs {manufacturing}");
    assert!(close(total(&r, "gwp"), manufacturing + energy * FR_GWP));
    assert!(close(
        total(&r, "adpe"),
        drives * 0.25 * 1.8 + energy * 4.85798e-05
    ));
    // No defaults were needed: no storage.defaults warning.
    assert!(
        !r.warnings.iter().any(|w| w.code == "storage.defaults"),
        "{:?}",
        r.warnings
    );
    // Ten years: the drives are bought twice.
    let r10 = engine
        .storage(
            &StorageRequest {
                years: 10.0,
                ..req.clone()
            },
            &opts(),
        )
        .expect("storage");
    let m10 = r10
        .phases
        .get("manufacturing")
        .and_then(|m| m.get("gwp"))
        .expect("m")
        .value;
    assert!(close(m10, 2.0 * manufacturing));
}

#[test]
fn tape_and_given_per_tb_figures() {
    let engine = Engine::new().expect("engine");
    // Tape: 20 TB × redundancy 2 × 5 years × 70 gCO2eq per TB and year (storage.tape.per_tb_year).
    let r = engine
        .storage(
            &StorageRequest {
                volume_tb: 20.0,
                years: 5.0,
                center: Some(center()),
                tier: Some("archive".into()),
                ..StorageRequest::default()
            },
            &opts(),
        )
        .expect("tape");
    assert!(close(total(&r, "gwp"), 20.0 * 2.0 * 5.0 * 70.0));
    assert!(
        r.warnings
            .iter()
            .any(|w| w.code == "coverage.missing-factor"),
        "tape has GWP only"
    );
    // Figures per TB from the file: 10 TB × 2,900 g × (3 / 5) + 10 TB × 0.5 W × 3 years.
    let r = engine
        .storage(
            &StorageRequest {
                volume_tb: 10.0,
                years: 3.0,
                center: Some(center()),
                tier: Some("vendor".into()),
                ..StorageRequest::default()
            },
            &opts(),
        )
        .expect("vendor figures");
    let energy = 10.0 * 0.5 * 3.0 * 8766.0 / 1000.0 * 1.3;
    assert!(close(
        total(&r, "gwp"),
        10.0 * 2900.0 * 3.0 / 5.0 + energy * FR_GWP
    ));
}

#[test]
fn storage_bad_requests() {
    let engine = Engine::new().expect("engine");
    let base = StorageRequest {
        volume_tb: 1.0,
        years: 1.0,
        center: Some(center()),
        ..StorageRequest::default()
    };
    let e = engine.storage(&base, &opts()).expect_err("several tiers");
    assert!(
        e.to_string().contains("several storage tiers")
            && e.to_string().contains("archive, vendor, work"),
        "{e}"
    );
    let e = engine
        .storage(
            &StorageRequest {
                tier: Some("scratch".into()),
                ..base.clone()
            },
            &opts(),
        )
        .expect_err("unknown");
    assert_eq!(e.input().and_then(|i| i.field.as_deref()), Some("tier"));
    assert!(e.to_string().contains("unknown tier 'scratch'"), "{e}");
    let e = engine
        .storage(
            &StorageRequest {
                years: 0.0,
                tier: Some("work".into()),
                ..base.clone()
            },
            &opts(),
        )
        .expect_err("years");
    assert!(e.to_string().starts_with("invalid years '0'"), "{e}");
    let e = engine
        .storage(
            &StorageRequest {
                redundancy: Some(0.5),
                tier: Some("work".into()),
                ..base.clone()
            },
            &opts(),
        )
        .expect_err("redundancy");
    assert!(e.to_string().starts_with("invalid redundancy '0.5'"), "{e}");
    let bad = CENTER.replace("media = \"tape\"", "media = \"floppy\"");
    let e = engine
        .storage(
            &StorageRequest {
                center: Some(CenterSource::Text {
                    label: "bad.toml".into(),
                    text: bad,
                }),
                ..base.clone()
            },
            &opts(),
        )
        .expect_err("media");
    assert!(
        e.to_string().contains("bad.toml:") && e.to_string().contains("unknown media `floppy`"),
        "{e}"
    );
}

#[test]
fn transfer_by_hand() {
    let engine = Engine::new().expect("engine");
    let r = engine
        .transfer(
            &TransferRequest {
                volume_gb: 1000.0,
                from: "FR".into(),
                to: "DE".into(),
                factor: Some("0.002".into()),
            },
            &opts(),
        )
        .expect("transfer");
    // Network: 1,000 GB × 0.002 kWh/GB = 2 kWh, half in each zone. Ends: 1,000 GB at 250 MB/s is
    // 4,000 drive-seconds × 9.4 W = 37,600 J = 0.010444 kWh, × PUE 1.2; written × 1.25.
    let read = 4000.0 * 9.4 / 3.6e6 * 1.2;
    let write = read * 1.25;
    assert!(close(
        r.quantities.get("network_energy").expect("network").value,
        2.0
    ));
    assert!(close(
        r.quantities.get("read_energy").expect("read").value,
        read
    ));
    // Germany: 342.06 gCO2eq/kWh (Ember 2024).
    let gwp = (1.0 + read) * FR_GWP + (1.0 + write) * 342.06;
    assert!(
        close(total(&r, "gwp"), gwp),
        "{} vs {gwp}",
        total(&r, "gwp")
    );
    assert!(r.warnings.iter().any(|w| w.code == "transfer.scope"));
    // The default factor: 0.06 kWh/GB in 2015 halving every 2 years, to 2025 (Aslan et al. 2018).
    let d = engine
        .transfer(
            &TransferRequest {
                volume_gb: 1000.0,
                from: "FR".into(),
                to: "FR".into(),
                factor: None,
            },
            &opts(),
        )
        .expect("transfer");
    assert!(close(
        d.quantities.get("network_energy").expect("network").value,
        1000.0 * 0.06 / 32.0
    ));
    let e = engine
        .transfer(
            &TransferRequest {
                volume_gb: 1.0,
                from: "FR".into(),
                to: "Atlantis".into(),
                factor: None,
            },
            &opts(),
        )
        .expect_err("zone");
    let input = e.input().expect("an input error");
    assert_eq!(
        (input.field.as_deref(), input.value.as_deref()),
        (Some("to"), Some("Atlantis")),
        "{e}"
    );
}

fn phase(r: &impacts::Report, ph: &str, c: &str) -> f64 {
    r.phases
        .get(ph)
        .and_then(|m| m.get(c))
        .map_or(f64::NAN, |e| e.value)
}

#[test]
fn io_on_an_hdd_tier_by_hand() {
    let engine = Engine::new().expect("engine");
    let r = engine
        .storage_activity(
            &StorageActivityRequest {
                read_gb: 300.0,
                written_gb: 100.0,
                center: Some(center()),
                tier: Some("work".into()),
                ..StorageActivityRequest::default()
            },
            &opts(),
        )
        .expect("activity");
    // 300 GB read + 100 GB written × 1.25 = 425 GB at the drives; at 200 MB/s, 2,125 drive-seconds
    // = 0.590278 busy drive-hours; busy a quarter of the time, the system's drives give 4 hours
    // for each busy one: 2.361111 drive-hours allocated, of 5 × 8,766 h of a drive's life.
    let q = |k: &str| r.quantities.get(k).expect(k).value;
    assert!(close(q("data_at_drives"), 425.0));
    let busy = 425_000.0 / 200.0 / 3600.0;
    assert!(close(q("busy_drive_hours"), busy));
    let allocated = busy / 0.25;
    assert!(close(q("allocated_drive_hours"), allocated));
    let lifetimes = allocated / (5.0 * 8766.0);
    // Manufacturing: 31,110 gCO2eq per drive (hdd.unit) × enclosure 1.8.
    let m = lifetimes * 31_110.0 * 1.8;
    assert!(close(phase(&r, "manufacturing", "gwp"), m), "{m}");
    // Electricity: 6.4 W per drive × 1.5 overhead over the allocated hours, × PUE 1.3; France 44.18 g/kWh.
    let energy = allocated * 6.4 * 1.5 / 1000.0 * 1.3;
    assert!(close(q("energy"), energy));
    assert!(close(total(&r, "gwp"), m + energy * FR_GWP));
    assert!(close(
        total(&r, "adpe"),
        lifetimes * 0.25 * 1.8 + energy * 4.85798e-05
    ));
    // Every figure given: no defaults.
    assert!(
        !r.warnings.iter().any(|w| w.code == "storage.defaults"),
        "{:?}",
        r.warnings
    );
    // Linear in the bytes: twice the reads and writes, twice the footprint.
    let r2 = engine
        .storage_activity(
            &StorageActivityRequest {
                read_gb: 600.0,
                written_gb: 200.0,
                center: Some(center()),
                tier: Some("work".into()),
                ..StorageActivityRequest::default()
            },
            &opts(),
        )
        .expect("activity");
    assert!(close(total(&r2, "pe"), 2.0 * total(&r, "pe")));
}

/// The activity key and the capacity key allocate the same system: I/O that keeps D drives busy
/// their busy fraction of a whole lifetime carries the footprint of keeping those D drives'
/// capacity for that lifetime.
#[test]
fn the_activity_and_capacity_keys_allocate_the_same_system() {
    let engine = Engine::new().expect("engine");
    // (tier, drive TB, redundancy, throughput MB/s, busy fraction): `vendor` takes the method's
    // SSD defaults (15.36 TB, 3,000 MB/s, 0.2) with its per-TB figures.
    for (tier, drive_tb, red, rate, busy) in [
        ("work", 20.0, 1.25, 200.0, 0.25),
        ("vendor", 15.36, 1.0, 3000.0, 0.2),
    ] {
        let drives = 8.0;
        let life_h = 5.0 * 8766.0;
        let busy_h = drives * life_h * busy;
        let read_gb = busy_h * 3600.0 * rate / 1000.0;
        let a = engine
            .storage_activity(
                &StorageActivityRequest {
                    read_gb,
                    written_gb: 0.0,
                    center: Some(center()),
                    tier: Some(tier.into()),
                    ..StorageActivityRequest::default()
                },
                &opts(),
            )
            .expect("activity");
        let c = engine
            .storage(
                &StorageRequest {
                    volume_tb: drives * drive_tb / red,
                    years: 5.0,
                    center: Some(center()),
                    tier: Some(tier.into()),
                    ..StorageRequest::default()
                },
                &opts(),
            )
            .expect("capacity");
        for k in ["gwp", "adpe", "pe"] {
            for ph in ["manufacturing", "use"] {
                let (x, y) = (phase(&a, ph, k), phase(&c, ph, k));
                assert!(
                    (x - y).abs() <= 1e-9 * y.abs(),
                    "{tier} {ph} {k}: {x} vs {y}"
                );
            }
        }
    }
}

#[test]
fn io_on_tape_counts_zero_with_a_warning_and_bad_volumes_are_refused() {
    let engine = Engine::new().expect("engine");
    let req = StorageActivityRequest {
        read_gb: 10.0,
        written_gb: 10.0,
        center: Some(center()),
        tier: Some("archive".into()),
        ..StorageActivityRequest::default()
    };
    let r = engine.storage_activity(&req, &opts()).expect("tape");
    assert_eq!(total(&r, "gwp"), 0.0);
    assert!(r
        .warnings
        .iter()
        .any(|w| w.code == "storage.tape-activity-not-modelled"));
    for bad in [-1.0, f64::NAN, f64::INFINITY] {
        let e = engine
            .storage_activity(
                &StorageActivityRequest {
                    written_gb: bad,
                    ..req.clone()
                },
                &opts(),
            )
            .expect_err("bad volume");
        let input = e.input().expect("an input error");
        assert_eq!(input.field.as_deref(), Some("written_gb"), "{e}");
        assert!(e.to_string().starts_with("invalid written_gb '"), "{e}");
    }
    // No center, no medium: HDD defaults, each default named.
    let r = engine
        .storage_activity(
            &StorageActivityRequest {
                read_gb: 1.0,
                zone: Some("FR".into()),
                ..StorageActivityRequest::default()
            },
            &opts(),
        )
        .expect("defaults");
    let codes: Vec<&str> = r.warnings.iter().map(|w| w.code.as_str()).collect();
    assert!(codes.contains(&"storage.media-default"), "{codes:?}");
    let d = r
        .warnings
        .iter()
        .find(|w| w.code == "storage.defaults")
        .expect("defaults");
    for name in [
        "drive throughput",
        "share of time the drives are busy",
        "enclosure overhead",
    ] {
        assert!(d.message.contains(name), "{}", d.message);
    }
}

#[test]
fn mount_points_find_their_tier() {
    let engine = Engine::new().expect("engine");
    let c = engine.center(&center(), "default", None).expect("center");
    let tier = |m: &str| c.storage_for_mount(m).map(|t| t.name.as_str());
    // Listed as "/lustre/work/": the trailing slash does not matter.
    assert_eq!(tier("/lustre/work"), Some("work"));
    assert_eq!(tier("/lustre/work/project1"), Some("work"));
    assert_eq!(tier("/lustre/workshop"), None);
    assert_eq!(tier("/lustre"), None);
    assert_eq!(tier("/hpss/"), Some("archive"));
    assert_eq!(tier("/"), None);
    // A mount point in two tiers, and one that is not a path: errors at the line.
    for (bad, want) in [
        (
            CENTER.replace("mounts = [\"/hpss\"]", "mounts = [\"/lustre/work\"]"),
            "is also a mount of storage.archive",
        ),
        (
            CENTER.replace("mounts = [\"/hpss\"]", "mounts = [\"hpss\"]"),
            "is not a mount point",
        ),
    ] {
        let e = engine
            .center(
                &CenterSource::Text {
                    label: "m.toml".into(),
                    text: bad,
                },
                "default",
                None,
            )
            .expect_err(want);
        let line = CENTER
            .lines()
            .position(|l| {
                l.contains(if want.contains("also") {
                    "/lustre/work/"
                } else {
                    "/hpss"
                })
            })
            .expect("line")
            + 1;
        assert!(e.to_string().contains(want), "{e}");
        // The error is at the later tier's entry: work's for the duplicate, archive's for "hpss".
        assert!(e.to_string().contains(&format!("m.toml:{line}:")), "{e}");
    }
}
