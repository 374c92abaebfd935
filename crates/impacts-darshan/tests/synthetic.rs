//! Logs built byte by byte after docs/darshan.md (format 3.41, uncompressed regions): the reader
//! gets back what was written, in both byte orders, and survives extreme values (the fuzzer's
//! first finding was an overflow summing DXT segment lengths).

use impacts_darshan::{id, Compression, Log};

struct Builder {
    big: bool,
}

impl Builder {
    fn u64(&self, v: u64) -> [u8; 8] {
        if self.big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    }
    fn u32(&self, v: u32) -> [u8; 4] {
        if self.big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    }

    /// A 3.41 log with a job, two names, one POSIX record and one DXT_POSIX record.
    fn log(&self, dxt_lengths: [i64; 2], writes: u64) -> Vec<u8> {
        // Regions.
        let mut job = Vec::new();
        for v in [
            1000i64,
            1_700_000_000,
            250_000_000,
            1_700_000_100,
            750_000_000,
            8,
            4242,
        ] {
            job.extend_from_slice(&self.u64(v as u64));
        }
        let mut meta = b"lib_ver=3.4.4\nh=romio_no_indep_rw=true\n".to_vec();
        meta.resize(1024, 0);
        job.extend_from_slice(&meta);
        job.extend_from_slice(b"./app -n 3\nlustre\t/scratch\nnfs\t/home\0");
        let mut names = Vec::new();
        for (rid, n) in [(11u64, "/scratch/out.dat"), (12, "/home/in.txt")] {
            names.extend_from_slice(&self.u64(rid));
            names.extend_from_slice(n.as_bytes());
            names.push(0);
        }
        // POSIX v4: base (id, rank) + 69 counters + 17 doubles; BYTES_READ is counter 14.
        let mut posix = Vec::new();
        posix.extend_from_slice(&self.u64(11));
        posix.extend_from_slice(&self.u64(u64::MAX)); // rank −1: shared
        for i in 0..69u64 {
            let v = match i {
                14 => 4096,
                15 => 1 << 30,
                _ => 0,
            };
            posix.extend_from_slice(&self.u64(v));
        }
        for _ in 0..17 {
            posix.extend_from_slice(&self.u64(0f64.to_bits()));
        }
        // DXT_POSIX v2: base + shared + hostname[64] + write_count + read_count, then 40-byte segments.
        let mut dxt = Vec::new();
        dxt.extend_from_slice(&self.u64(11));
        dxt.extend_from_slice(&self.u64(3));
        dxt.extend_from_slice(&self.u64(0));
        dxt.extend_from_slice(&[b'n'; 64]);
        dxt.extend_from_slice(&self.u64(writes));
        dxt.extend_from_slice(&self.u64(2 - writes));
        for (k, len) in dxt_lengths.iter().enumerate() {
            dxt.extend_from_slice(&self.u64(0));
            dxt.extend_from_slice(&self.u64(*len as u64));
            dxt.extend_from_slice(&self.u64((k as f64).to_bits()));
            dxt.extend_from_slice(&self.u64((k as f64 + 0.5).to_bits()));
            dxt.extend_from_slice(&self.u64(7));
        }
        // Header: version, magic, compression 2 (none), partial flags, name map, 64 module maps,
        // 64 module versions.
        let header_len = 1328u64;
        let job_off = header_len;
        let name_off = job_off + job.len() as u64;
        let posix_off = name_off + names.len() as u64;
        let dxt_off = posix_off + posix.len() as u64;
        let mut h = b"3.41\0\0\0\0".to_vec();
        h.extend_from_slice(&self.u64(6_567_223));
        h.push(2);
        h.extend_from_slice(&[0; 7]);
        h.extend_from_slice(&self.u64(1 << id::DXT_POSIX));
        h.extend_from_slice(&self.u64(name_off));
        h.extend_from_slice(&self.u64(names.len() as u64));
        for m in 0..64usize {
            let (off, len) = match m {
                id::POSIX => (posix_off, posix.len() as u64),
                id::DXT_POSIX => (dxt_off, dxt.len() as u64),
                _ => (0, 0),
            };
            h.extend_from_slice(&self.u64(off));
            h.extend_from_slice(&self.u64(len));
        }
        for m in 0..64usize {
            let v = match m {
                id::POSIX => 4,
                id::DXT_POSIX => 2,
                _ => 0,
            };
            h.extend_from_slice(&self.u32(v));
        }
        assert_eq!(h.len() as u64, header_len);
        h.extend_from_slice(&job);
        h.extend_from_slice(&names);
        h.extend_from_slice(&posix);
        h.extend_from_slice(&dxt);
        h
    }
}

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
