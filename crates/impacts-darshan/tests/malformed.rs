//! Damaged logs give errors, never a panic: truncations, bad headers, and a seeded mutation run over
//! the real logs (bit flips, overwritten bytes, cuts) that exercises every region and record path.

use std::path::PathBuf;

use impacts_darshan::Log;

fn logs() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/darshan-logs");
    if !dir.is_dir() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("../shared/data is absent, and CI=true requires it");
        }
        eprintln!("notice: ../shared/data is absent; skipping");
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("folder") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "darshan") {
                out.push((
                    p.to_string_lossy().into_owned(),
                    std::fs::read(&p).expect("log"),
                ));
            }
        }
    }
    out.sort();
    out
}

fn read_all(name: &str, bytes: &[u8]) -> Result<usize, String> {
    let log = Log::parse(name, bytes).map_err(|e| e.to_string())?;
    let mut n = 0;
    for m in &log.modules {
        if let Ok(r) = log.records(m) {
            n += r.len();
        }
    }
    Ok(n)
}

#[test]
fn headers_that_are_not_darshan() {
    let e = Log::parse("x", b"hello").expect_err("short");
    assert!(
        e.to_string().starts_with("x: header:") && e.to_string().contains("too short"),
        "{e}"
    );
    let mut fake = b"3.41\0\0\0\0".to_vec();
    fake.extend_from_slice(&[0u8; 2000]);
    let e = Log::parse("x", &fake).expect_err("magic");
    assert!(e.to_string().contains("bad magic number"), "{e}");
    let mut fake = b"2.06\0\0\0\0".to_vec();
    fake.extend_from_slice(&[0u8; 2000]);
    let e = Log::parse("x", &fake).expect_err("version");
    assert!(
        e.to_string().contains("format 2.06 is not supported"),
        "{e}"
    );
    let e = Log::parse("x", &vec![0xffu8; 4000]).expect_err("garbage");
    assert!(e.to_string().contains("not a Darshan log"), "{e}");
}

#[test]
fn truncated_logs_say_so() {
    let all = logs();
    for (name, bytes) in &all {
        for cut in [bytes.len() / 2, bytes.len() - 1] {
            let e = read_all(name, &bytes[..cut]);
            if let Err(m) = &e {
                assert!(m.starts_with(name.as_str()), "{m}");
            }
        }
    }
    // A log cut in its module regions says which region runs past the end.
    if let Some((name, bytes)) = all
        .iter()
        .find(|(n, _)| n.ends_with("mpi-io-test-x86_64-3.4.0.darshan"))
    {
        let e = Log::parse(name, &bytes[..bytes.len() - 100]).expect_err("cut");
        assert!(
            e.to_string().contains("runs past the end of the file"),
            "{e}"
        );
    }
}

/// A deterministic mutation run (xorshift, seed 1): 40 mutants of each of the 69 logs.
#[test]
fn mutated_logs_never_panic() {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut outcomes = [0usize; 2];
    for (name, bytes) in logs() {
        for _ in 0..40 {
            let mut m = bytes.clone();
            match next() % 4 {
                0 => {
                    let i = (next() as usize) % m.len();
                    m[i] ^= 1 << (next() % 8);
                }
                1 => {
                    // Overwrite 8 bytes (often a length, an offset or a count) with a random value.
                    let i = (next() as usize) % m.len().saturating_sub(8).max(1);
                    let v = next().to_le_bytes();
                    for (k, b) in v.iter().enumerate() {
                        if let Some(x) = m.get_mut(i + k) {
                            *x = *b;
                        }
                    }
                }
                2 => {
                    let cut = (next() as usize) % m.len();
                    m.truncate(cut);
                }
                _ => {
                    // Damage the header's region table.
                    for k in 0..4 {
                        let i = 24 + ((next() as usize) % 300) + k;
                        if let Some(x) = m.get_mut(i) {
                            *x = next() as u8;
                        }
                    }
                }
            }
            let r = std::panic::catch_unwind(|| read_all(&name, &m));
            match r {
                Ok(Ok(_)) => outcomes[0] += 1,
                Ok(Err(_)) => outcomes[1] += 1,
                Err(_) => panic!("{name}: a mutant made the reader panic"),
            }
        }
    }
    if outcomes.iter().sum::<usize>() > 0 {
        assert!(
            outcomes[1] > 0,
            "some mutants must be refused: {outcomes:?}"
        );
    }
}
