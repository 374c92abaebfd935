//! Logs built byte by byte after docs/darshan.md (format 3.41, uncompressed regions): the reader
//! gets back what was written, in both byte orders, and survives extreme values (the fuzzer's
//! first finding was an overflow summing DXT segment lengths).

use impacts_darshan::{id, Compression, Log};

mod support;
use support::Builder;

#[test]
fn a_log_written_by_hand_reads_back_in_both_byte_orders() {
    for big in [false, true] {
        let bytes = Builder { big }.log([100, 200], 1);
        let log = Log::parse("hand.darshan", &bytes).expect("readable");
        assert_eq!(
            (log.version.as_str(), log.big_endian, log.compression),
            ("3.41", big, Compression::None)
        );
        assert_eq!(
            (log.job.uid, log.job.nprocs, log.job.jobid),
            (1000, 8, 4242)
        );
        assert!(
            (log.job.run_time - 100.5).abs() < 1e-9,
            "{}",
            log.job.run_time
        );
        assert_eq!(
            log.job.metadata.get("lib_ver").map(String::as_str),
            Some("3.4.4")
        );
        assert_eq!(log.exe, "./app -n 3");
        assert_eq!(log.mounts.len(), 2);
        assert_eq!(
            (log.mounts[0].fs_type.as_str(), log.mounts[0].path.as_str()),
            ("lustre", "/scratch")
        );
        assert_eq!(log.names.get(&12).map(String::as_str), Some("/home/in.txt"));
        let posix = log.module(id::POSIX).expect("POSIX");
        let r = log.records(posix).expect("records");
        assert_eq!(
            (r.len(), r[0].rank, r[0].bytes_read, r[0].bytes_written),
            (1, -1, 4096, 1 << 30)
        );
        let dxt = log.module(id::DXT_POSIX).expect("DXT");
        assert!(dxt.partial, "the partial flag of DXT_POSIX");
        let d = log.records(dxt).expect("segments");
        assert_eq!(d[0].segments.len(), 2);
        assert!(d[0].segments[0].write && !d[0].segments[1].write);
        assert_eq!((d[0].hostname.len(), d[0].segments[1].thread), (64, 7));
        assert_eq!((d[0].bytes_written, d[0].bytes_read), (100, 200));
    }
}

#[test]
fn extreme_values_do_not_overflow() {
    // Two writes of i64::MAX bytes: their sum saturates instead of overflowing.
    let bytes = Builder { big: false }.log([i64::MAX, i64::MAX], 2);
    let log = Log::parse("hand.darshan", &bytes).expect("readable");
    let dxt = log.module(id::DXT_POSIX).expect("DXT");
    let d = log.records(dxt).expect("segments");
    assert_eq!(d[0].bytes_written, i64::MAX);
    // A record announcing more segments than the region holds is an error that says so.
    let mut cut = bytes.clone();
    cut.truncate(cut.len() - 40);
    let n = cut.len() as u64;
    // Shorten the DXT map's length to match the cut file.
    let at = 48 + 16 * id::DXT_POSIX + 8;
    let len = u64::from_le_bytes(cut[at..at + 8].try_into().expect("8 bytes"));
    cut[at..at + 8].copy_from_slice(&(len - 40).to_le_bytes());
    assert!(n > 0);
    let log = Log::parse("cut.darshan", &cut).expect("readable header");
    let dxt = log.module(id::DXT_POSIX).expect("DXT");
    let e = log.records(dxt).expect_err("segments beyond the region");
    assert!(e.to_string().contains("segments beyond the region"), "{e}");
}

/// One fixed-size record in an old layout: id 5, rank 2, `head` (a file record id or padding)
/// when given, then counter i = 100 + i and double j = j + 0.5, except where `set` says.
fn old_record(
    big: bool,
    head: Option<u64>,
    ints: usize,
    doubles: usize,
    set: &[(usize, i64)],
) -> Vec<u8> {
    let b = Builder { big };
    let mut r = Vec::new();
    r.extend_from_slice(&b.u64(5));
    r.extend_from_slice(&b.u64(2));
    if let Some(h) = head {
        r.extend_from_slice(&b.u64(h));
    }
    for i in 0..ints {
        let v = set
            .iter()
            .find(|(k, _)| *k == i)
            .map(|(_, v)| *v)
            .unwrap_or(100 + i as i64);
        r.extend_from_slice(&b.u64(v as u64));
    }
    for j in 0..doubles {
        r.extend_from_slice(&b.u64((j as f64 + 0.5).to_bits()));
    }
    r
}

fn read_module(
    big: bool,
    module: usize,
    version: u32,
    data: Vec<u8>,
) -> Result<Vec<impacts_darshan::Record>, impacts_darshan::DarshanError> {
    let log = Log::parse("hand.darshan", &Builder { big }.log([1, 2], 1)).expect("readable");
    let m = impacts_darshan::Module {
        id: module,
        version,
        partial: false,
        data,
    };
    log.records(&m)
}

/// Layouts no shared log has (tests/official.rs covers the others against the official reader):
/// each old counter lands where docs/darshan.md says, and counters the version lacked read −1.
#[test]
fn old_layouts_are_upconverted_to_the_current_one() {
    use impacts_darshan::counters::*;
    for big in [false, true] {
        // POSIX 2: 64 counters, 15 doubles (no CLOSE_START, OPEN_END; no FILENOS, DUPS, renames).
        let r = &read_module(big, id::POSIX, 2, old_record(big, None, 64, 15, &[]))
            .expect("POSIX 2")[0];
        assert_eq!((r.counters.len(), r.fcounters.len()), (69, 17));
        assert_eq!((r.id, r.rank), (5, 2));
        assert_eq!(
            [
                r.c(posix::OPENS),
                r.c(posix::FILENOS),
                r.c(posix::DUPS),
                r.c(posix::READS),
                r.c(posix::FDSYNCS)
            ],
            [100, -1, -1, 101, 107]
        );
        assert_eq!(
            [
                r.c(posix::RENAME_SOURCES),
                r.c(posix::RENAME_TARGETS),
                r.c(posix::RENAMED_FROM),
                r.c(posix::MODE),
                r.c(posix::BYTES_READ)
            ],
            [-1, -1, 0, 108, 109]
        );
        assert_eq!(r.c(posix::SLOWEST_RANK_BYTES), 163);
        assert_eq!((r.bytes_read, r.bytes_written), (109, 110));
        assert_eq!(
            [
                r.f(posix::F_OPEN_START_TIMESTAMP),
                r.f(posix::F_WRITE_START_TIMESTAMP),
                r.f(posix::F_CLOSE_START_TIMESTAMP),
                r.f(posix::F_OPEN_END_TIMESTAMP),
                r.f(posix::F_READ_END_TIMESTAMP)
            ],
            [0.5, 2.5, -1.0, -1.0, 3.5]
        );
        assert_eq!(r.f(posix::F_VARIANCE_RANK_BYTES), 14.5);
        // POSIX 1: four STDIO counters after MMAPS; a record using them is skipped, as the
        // official reader does.
        let mut data = old_record(big, None, 68, 15, &[(6, 0)]);
        data.extend(old_record(big, None, 68, 15, &[(6, 3)]));
        let rs = read_module(big, id::POSIX, 1, data).expect("POSIX 1");
        assert_eq!(rs.len(), 1, "the record with fopens is skipped");
        assert_eq!(
            [
                rs[0].c(posix::MMAPS),
                rs[0].c(posix::FSYNCS),
                rs[0].c(posix::BYTES_READ)
            ],
            [105, 110, 113]
        );
        // H5F 1 and 2.
        let r = &read_module(big, id::H5F, 1, old_record(big, None, 1, 2, &[])).expect("H5F 1")[0];
        assert_eq!(r.counters, [100, -1, -1]);
        assert_eq!(r.fcounters, [0.5, -1.0, -1.0, 1.5, -1.0]);
        let r = &read_module(big, id::H5F, 2, old_record(big, None, 1, 4, &[])).expect("H5F 2")[0];
        assert_eq!(r.fcounters, [0.5, 1.5, 2.5, 3.5, -1.0]);
        // H5D 1: no file record id.
        let r =
            &read_module(big, id::H5D, 1, old_record(big, None, 94, 17, &[])).expect("H5D 1")[0];
        assert_eq!(
            (r.file_rec_id, r.c(h5d::BYTES_READ), r.bytes_read),
            (Some(0), 104, 104)
        );
        let r = &read_module(big, id::H5D, 2, old_record(big, Some(77), 94, 17, &[]))
            .expect("H5D 2")[0];
        assert_eq!((r.file_rec_id, r.c(h5d::OPENS)), (Some(77), 100));
        // PNETCDF_FILE 1 and 2: independent + collective opens become OPENS; new counters −1,
        // bytes unknown (0).
        let r = &read_module(big, id::PNETCDF_FILE, 1, old_record(big, None, 2, 2, &[]))
            .expect("PNETCDF 1")[0];
        assert_eq!(r.counters, [-1, 201, -1, -1, -1, -1, -1, -1, -1]);
        assert_eq!(r.fcounters, [0.5, -1.0, -1.0, -1.0, 1.5, -1.0, -1.0, -1.0]);
        assert_eq!((r.bytes_read, r.bytes_written), (0, 0));
        let r = &read_module(big, id::PNETCDF_FILE, 2, old_record(big, None, 2, 4, &[]))
            .expect("PNETCDF 2")[0];
        assert_eq!(r.fcounters, [0.5, 1.5, -1.0, 2.5, 3.5, -1.0, -1.0, -1.0]);
        // BG/Q 1: padding before the counters.
        let r =
            &read_module(big, id::BGQ, 1, old_record(big, Some(9), 11, 1, &[])).expect("BG/Q 1")[0];
        assert_eq!(
            (
                r.c(bgq::CSJOBID),
                r.c(bgq::TORUSENABLED),
                r.f(bgq::F_TIMESTAMP)
            ),
            (100, 110, 0.5)
        );
        // A version from the future is an error that names it.
        let e = read_module(big, id::POSIX, 5, old_record(big, None, 69, 17, &[]))
            .expect_err("POSIX 5");
        assert!(e.to_string().contains("record version 5"), "{e}");
        // A region that is not a whole number of records.
        let e = read_module(big, id::H5F, 3, vec![0; 81]).expect_err("81 bytes");
        assert!(e.to_string().contains("not a whole number"), "{e}");
    }
}

/// LUSTRE 1 (one layout) and 2 (components, the unused ones dropped with their OSTs).
#[test]
fn lustre_layouts_read_in_both_versions() {
    use impacts_darshan::counters::lustre;
    for big in [false, true] {
        let b = Builder { big };
        let mut v1 = Vec::new();
        for x in [5u64, 0, 12, 1, 0, 4 << 20, 2, 3, 9] {
            v1.extend_from_slice(&b.u64(x));
        }
        let r = &read_module(big, id::LUSTRE, 1, v1).expect("LUSTRE 1")[0];
        assert_eq!(r.lustre.len(), 1);
        assert_eq!(r.lustre[0].counters, [4 << 20, 2, -1, -1, 0, -1, -1]);
        assert_eq!(r.lustre[0].ost_ids, [3, 9]);
        let mut v2 = Vec::new();
        for x in [6u64, u64::MAX, 2, 3] {
            v2.extend_from_slice(&b.u64(x));
        }
        for comp in [[1i64 << 20, 2, 1, 0, 0, -1, 0], [-1, 1, 0, 0, 0, 0, 0]] {
            for x in comp {
                v2.extend_from_slice(&b.u64(x as u64));
            }
            let mut pool = b"fast".to_vec();
            pool.resize(16, 0);
            v2.extend_from_slice(&pool);
        }
        for ost in [5u64, 6, 7] {
            v2.extend_from_slice(&b.u64(ost));
        }
        let r = &read_module(big, id::LUSTRE, 2, v2.clone()).expect("LUSTRE 2")[0];
        assert_eq!((r.id, r.rank, r.lustre.len()), (6, -1, 1));
        assert_eq!(r.lustre[0].counters[lustre::STRIPE_SIZE], 1 << 20);
        assert_eq!(
            (r.lustre[0].pool_name.as_str(), r.lustre[0].ost_ids.clone()),
            ("fast", vec![5, 6])
        );
        // A component claiming more stripes than the record holds is an error.
        let at = 32 + 8 * lustre::STRIPE_COUNT;
        v2[at..at + 8].copy_from_slice(&b.u64(4));
        let e = read_module(big, id::LUSTRE, 2, v2).expect_err("too many stripes");
        assert!(e.to_string().contains("more than the record's 3"), "{e}");
    }
}
