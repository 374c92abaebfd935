//! Values of a stored row, and the row sink that collects a job's row as values.

use impacts_table::{RowSink, TableError};

/// A value of a column.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Absent.
    Null,
    /// A whole number (a count, UTC seconds).
    Integer(i64),
    /// A number.
    Real(f64),
    /// Text.
    Text(String),
}

impl Value {
    /// The number, if it is one (integers too).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Real(x) => Some(*x),
            Value::Integer(i) => Some(*i as f64),
            _ => None,
        }
    }

    /// The integer, if it is one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Integer(i) => Some(*i),
            _ => None,
        }
    }

    /// The text, if it is text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// Collects the values of one row, in column order (the per-job columns of `impacts-accounting`
/// write themselves through [`RowSink`]: the store takes the same columns as the files).
#[derive(Default)]
pub(crate) struct Collector {
    pub(crate) values: Vec<Value>,
}

impl RowSink for Collector {
    fn text(&mut self, v: Option<&str>) {
        self.values
            .push(v.map_or(Value::Null, |s| Value::Text(s.to_string())));
    }
    fn timestamp(&mut self, v: Option<i64>) {
        self.values.push(v.map_or(Value::Null, Value::Integer));
    }
    fn integer(&mut self, v: Option<i64>) {
        self.values.push(v.map_or(Value::Null, Value::Integer));
    }
    fn number(&mut self, v: Option<f64>) {
        // The accountant refuses non-finite results before they reach a sink; a store never
        // holds one either.
        self.values
            .push(v.filter(|x| x.is_finite()).map_or(Value::Null, Value::Real));
    }
    fn codes(&mut self, v: &[&str]) {
        self.values.push(Value::Text(v.join(";")));
    }
    fn end_row(&mut self) -> Result<(), TableError> {
        Ok(())
    }
    fn finish(&mut self) -> Result<(), TableError> {
        Ok(())
    }
}
