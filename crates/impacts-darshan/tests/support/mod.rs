//! A Darshan log written byte by byte after docs/darshan.md (format 3.41, uncompressed regions),
//! shared by the reader's tests and the characterization's (`#[path]` from crates/impacts-io).

use impacts_darshan::id;

/// Writes logs in either byte order.
pub struct Builder {
    /// Big-endian.
    pub big: bool,
}

impl Builder {
    /// A u64 in the byte order.
    pub fn u64(&self, v: u64) -> [u8; 8] {
        if self.big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    }
    /// A u32 in the byte order.
    pub fn u32(&self, v: u32) -> [u8; 4] {
        if self.big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    }

    /// A 3.41 log with a job, two names, one POSIX record and one DXT_POSIX record.
    #[allow(dead_code)]
    pub fn log(&self, dxt_lengths: [i64; 2], writes: u64) -> Vec<u8> {
        self.log_with(dxt_lengths, writes, &[], 1)
    }

    /// The same with `copies` POSIX records (ranks −1, 0, 1, …), each with `counters` (index,
    /// value) set besides BYTES_READ (4,096) and BYTES_WRITTEN (2³⁰).
    pub fn log_with(
        &self,
        dxt_lengths: [i64; 2],
        writes: u64,
        counters: &[(usize, u64)],
        copies: usize,
    ) -> Vec<u8> {
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
        for copy in 0..copies {
            posix.extend_from_slice(&self.u64(11));
            // The first is rank −1 (shared), the next ranks 0, 1, …
            posix.extend_from_slice(&self.u64((copy as u64).wrapping_sub(1)));
            for i in 0..69usize {
                let v = match (i, counters.iter().find(|(k, _)| *k == i)) {
                    (_, Some((_, v))) => *v,
                    (14, None) => 4096,
                    (15, None) => 1 << 30,
                    _ => 0,
                };
                posix.extend_from_slice(&self.u64(v));
            }
            for _ in 0..17 {
                posix.extend_from_slice(&self.u64(0f64.to_bits()));
            }
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
