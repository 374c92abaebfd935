//! Files written under a temporary name and renamed when complete.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The temporary files of outputs being written, for [`remove_temporary_files`].
static TEMPORARY: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn temporary() -> MutexGuard<'static, Vec<PathBuf>> {
    TEMPORARY.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes the temporary files of every output being written: a process ended by a signal
/// calls it so that no half-written file is left (the destinations are untouched).
pub fn remove_temporary_files() {
    for p in temporary().drain(..) {
        let _ = fs::remove_file(p);
    }
}

/// A file written under a temporary name beside its destination and renamed when complete: a
/// failed or interrupted run leaves no half-written file at the destination, nor its temporary
/// file.
pub struct AtomicFile {
    tmp: PathBuf,
    dest: PathBuf,
    file: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Creates the temporary file beside `dest`; fails at once (with
    /// [`io::ErrorKind::InvalidInput`]) when `dest` is a folder, or when its folder cannot be
    /// written.
    pub fn create(dest: &Path) -> io::Result<AtomicFile> {
        if dest.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} is a folder: expected a file name", dest.display()),
            ));
        }
        let name = dest
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("output");
        let tmp = dest.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
        let f = File::create(&tmp)?;
        temporary().push(tmp.clone());
        Ok(AtomicFile {
            tmp,
            dest: dest.to_path_buf(),
            file: Some(BufWriter::with_capacity(1 << 17, f)),
        })
    }

    /// Flushes, syncs and renames into place (removes the temporary file if any step fails).
    pub fn commit(&mut self) -> io::Result<()> {
        if let Some(mut f) = self.file.take() {
            let done = f
                .flush()
                .and_then(|_| f.into_inner().map_err(|e| e.into_error()))
                .and_then(|f| f.sync_all())
                .and_then(|_| fs::rename(&self.tmp, &self.dest));
            if done.is_err() {
                let _ = fs::remove_file(&self.tmp);
            }
            temporary().retain(|p| p != &self.tmp);
            done?;
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file
            .as_mut()
            .ok_or_else(|| io::Error::other("file already committed"))?
            .write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        match self.file.as_mut() {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
            temporary().retain(|p| p != &self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_appears_only_when_committed_and_a_dropped_one_leaves_nothing() {
        let dir = std::env::temp_dir().join(format!("impacts-atomic-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let dest = dir.join("out.csv");
        let mut f = AtomicFile::create(&dest).unwrap();
        f.write_all(b"a\n").unwrap();
        assert!(!dest.exists());
        f.commit().unwrap();
        assert_eq!(fs::read_to_string(&dest).unwrap(), "a\n");
        let other = dir.join("other.csv");
        let g = AtomicFile::create(&other).unwrap();
        drop(g);
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            1,
            "only out.csv is left"
        );
        let e = AtomicFile::create(&dir).err().expect("a folder is refused");
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        fs::remove_dir_all(&dir).unwrap();
    }
}
