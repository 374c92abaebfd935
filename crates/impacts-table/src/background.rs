//! A sink that formats and writes on its own thread.
//!
//! Formatting numbers and compressing are most of the cost of a row. [`Background`] records the
//! values of the rows it receives in compact batches (numbers as numbers, text as bytes) and hands
//! each batch to a thread that replays it into the real sink; batches come back empty to be
//! reused, through bounded channels, so memory stays bounded. The caller's thread does little
//! more than copy values; on a machine with a core to spare, rows cost about what the caller
//! spends recording them.
//!
//! An error of the real sink (a full disk, a refused value) is reported by the next
//! [`RowSink::end_row`] after it happened, or by [`RowSink::finish`]; the output is then not
//! completed (its temporary file is removed), as when the sink is used directly.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

use crate::{RowSink, TableError};

/// Rows per batch handed to the writing thread.
const ROWS: usize = 4096;

/// A recorded value.
#[derive(Clone, Copy, Debug)]
enum Value {
    /// Text: a range of the batch's bytes, or absent.
    Text(Option<(u32, u32)>),
    Timestamp(Option<i64>),
    Integer(Option<i64>),
    Number(Option<f64>),
    /// Codes: a range of the batch's code ranges.
    Codes(u32, u32),
}

/// Rows recorded for the writing thread.
#[derive(Default)]
struct Batch {
    values: Vec<Value>,
    bytes: Vec<u8>,
    codes: Vec<(u32, u32)>,
    /// Values per row.
    width: usize,
}

impl Batch {
    fn clear(&mut self) {
        self.values.clear();
        self.bytes.clear();
        self.codes.clear();
    }

    fn text(&mut self, s: &str) -> (u32, u32) {
        let start = self.bytes.len() as u32;
        self.bytes.extend_from_slice(s.as_bytes());
        (start, self.bytes.len() as u32)
    }

    fn str(&self, (a, b): (u32, u32)) -> &str {
        // The bytes were copied from a &str at a char boundary: valid UTF-8.
        std::str::from_utf8(&self.bytes[a as usize..b as usize]).unwrap_or("")
    }

    /// Replays the batch into a sink, row by row.
    fn replay(&self, sink: &mut dyn RowSink) -> Result<(), TableError> {
        let mut codes: Vec<&str> = Vec::new();
        for row in self.values.chunks(self.width.max(1)) {
            for v in row {
                match *v {
                    Value::Text(t) => sink.text(t.map(|r| self.str(r))),
                    Value::Timestamp(t) => sink.timestamp(t),
                    Value::Integer(i) => sink.integer(i),
                    Value::Number(x) => sink.number(x),
                    Value::Codes(a, b) => {
                        codes.clear();
                        codes.extend(
                            self.codes[a as usize..b as usize]
                                .iter()
                                .map(|r| self.str(*r)),
                        );
                        sink.codes(&codes);
                    }
                }
            }
            sink.end_row()?;
        }
        Ok(())
    }
}

/// What the writing thread receives.
enum Msg {
    Rows(Batch),
    Finish,
}

/// A sink whose rows are written on a thread of their own.
pub struct Background {
    batch: Batch,
    rows: usize,
    width: Option<usize>,
    to_writer: Option<SyncSender<Msg>>,
    empties: Receiver<Batch>,
    errors: Receiver<TableError>,
    writer: Option<JoinHandle<()>>,
}

impl Background {
    /// Runs `sink` on a thread of its own.
    pub fn new(mut sink: Box<dyn RowSink>) -> Background {
        let (to_writer, from_caller) = sync_channel::<Msg>(2);
        let (to_caller, empties) = sync_channel::<Batch>(3);
        let (error_tx, errors) = sync_channel::<TableError>(1);
        let writer = std::thread::spawn(move || {
            while let Ok(msg) = from_caller.recv() {
                let done = match msg {
                    Msg::Rows(mut batch) => {
                        let r = batch.replay(sink.as_mut());
                        batch.clear();
                        let _ = to_caller.try_send(batch);
                        r.map(|_| false)
                    }
                    Msg::Finish => sink.finish().map(|_| true),
                };
                match done {
                    Ok(false) => {}
                    Ok(true) => return,
                    Err(e) => {
                        let _ = error_tx.send(e);
                        return;
                    }
                }
            }
        });
        Background {
            batch: Batch::default(),
            rows: 0,
            width: None,
            to_writer: Some(to_writer),
            empties,
            errors,
            writer: Some(writer),
        }
    }

    /// The writing thread's error, if it stopped on one.
    fn failed(&mut self) -> Result<(), TableError> {
        match self.errors.try_recv() {
            Ok(e) => {
                self.to_writer = None;
                Err(e)
            }
            Err(_) => Ok(()),
        }
    }

    /// Hands the recorded rows to the writing thread.
    fn send(&mut self) -> Result<(), TableError> {
        let next = self.empties.try_recv().unwrap_or_default();
        let mut batch = std::mem::replace(&mut self.batch, next);
        batch.width = self.width.unwrap_or(1);
        self.rows = 0;
        let stopped = match &self.to_writer {
            Some(tx) => tx.send(Msg::Rows(batch)).is_err(),
            None => true,
        };
        if stopped {
            self.join_error()?;
            return Err(stopped_error());
        }
        Ok(())
    }

    /// Waits for the writing thread and returns its error, if any.
    fn join_error(&mut self) -> Result<(), TableError> {
        self.to_writer = None;
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
        match self.errors.try_recv() {
            Ok(e) => Err(e),
            Err(_) => Ok(()),
        }
    }
}

fn stopped_error() -> TableError {
    TableError::Io {
        path: "the per-row output".into(),
        source: std::io::Error::other("its writing thread stopped"),
    }
}

impl RowSink for Background {
    fn text(&mut self, v: Option<&str>) {
        let t = v.map(|s| self.batch.text(s));
        self.batch.values.push(Value::Text(t));
    }

    fn timestamp(&mut self, v: Option<i64>) {
        self.batch.values.push(Value::Timestamp(v));
    }

    fn integer(&mut self, v: Option<i64>) {
        self.batch.values.push(Value::Integer(v));
    }

    fn number(&mut self, v: Option<f64>) {
        self.batch.values.push(Value::Number(v));
    }

    fn codes(&mut self, v: &[&str]) {
        let a = self.batch.codes.len() as u32;
        for c in v {
            let r = self.batch.text(c);
            self.batch.codes.push(r);
        }
        let b = self.batch.codes.len() as u32;
        self.batch.values.push(Value::Codes(a, b));
    }

    fn end_row(&mut self) -> Result<(), TableError> {
        self.rows += 1;
        if self.width.is_none() {
            self.width = Some(self.batch.values.len());
        }
        if self.rows == ROWS {
            self.failed()?;
            self.send()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), TableError> {
        if self.rows > 0 {
            self.send()?;
        }
        let stopped = match &self.to_writer {
            Some(tx) => tx.send(Msg::Finish).is_err(),
            None => true,
        };
        let result = self.join_error();
        match (result, stopped) {
            (Err(e), _) => Err(e),
            (Ok(()), true) => Err(stopped_error()),
            (Ok(()), false) => Ok(()),
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        // Without Finish the writing thread drops the real sink, which removes its temporary file.
        self.to_writer = None;
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{open, Column, Kind};

    #[test]
    fn rows_written_in_the_background_are_the_rows_written_directly() {
        let dir = std::env::temp_dir().join(format!("impacts-background-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let cols = || {
            vec![
                Column::new("id", Kind::Text),
                Column::new("t", Kind::Timestamp),
                Column::new("n", Kind::Integer),
                Column::new("x", Kind::Number),
                Column::new("w", Kind::Codes),
            ]
        };
        let write = |sink: &mut dyn RowSink| {
            for i in 0..10_000i64 {
                sink.text(if i % 7 == 0 { None } else { Some("job,é") });
                sink.timestamp(Some(1_700_000_000 + i));
                sink.integer(Some(i));
                sink.number(Some(i as f64 / 3.0));
                sink.codes(&["a.b", "c"][..(i % 3) as usize]);
                sink.end_row().unwrap();
            }
            sink.finish().unwrap();
        };
        let direct = dir.join("direct.csv");
        let behind = dir.join("behind.csv");
        write(
            open(direct.to_str().unwrap(), cols(), &[])
                .unwrap()
                .as_mut(),
        );
        let mut b = Background::new(open(behind.to_str().unwrap(), cols(), &[]).unwrap());
        write(&mut b);
        let a = std::fs::read(&direct).unwrap();
        assert!(a.len() > 100_000);
        assert_eq!(a, std::fs::read(&behind).unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_refused_row_fails_the_output_and_leaves_nothing() {
        let dir =
            std::env::temp_dir().join(format!("impacts-background-nan-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.csv");
        let mut b = Background::new(
            open(
                path.to_str().unwrap(),
                vec![Column::new("x", Kind::Number)],
                &[],
            )
            .unwrap(),
        );
        let mut failed = false;
        for i in 0..(3 * ROWS) {
            b.number(Some(if i == 10 { f64::NAN } else { 1.0 }));
            failed |= b.end_row().is_err();
        }
        failed |= b.finish().is_err();
        drop(b);
        assert!(failed, "the non-finite number was refused");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "nothing left");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
