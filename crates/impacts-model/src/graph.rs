//! The expression graph: every formula of the model is built once as a graph of operations over
//! inputs (leaves), job parameters and constants, then evaluated as plain numbers
//! ([`crate::eval::Plan`]), as Monte Carlo samples ([`crate::eval::MonteCarlo`]) or as an
//! explanation ([`crate::explain`]). No formula is written twice.
//!
//! Leaves are deduplicated by key: a factor used in several places is one node, so it is drawn
//! once per Monte Carlo sample and the correlation between the places that use it is right by
//! construction. Operations are hash-consed: the same operation on the same operands is one node.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::quantity::Quantity;

/// The index of a node of a [`Graph`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NodeId(pub u32);

impl NodeId {
    /// The index as usize.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One operation of the graph.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    /// A number that is part of a formula (a unit conversion, 1, 100).
    Const(f64),
    /// An input with uncertainty and provenance: index into [`Graph::leaves`].
    Leaf(u32),
    /// A parameter set at evaluation time (a job's hours, nodes, load): index into [`Graph::params`].
    Param(u32),
    /// a + b
    Add(NodeId, NodeId),
    /// a − b
    Sub(NodeId, NodeId),
    /// a × b
    Mul(NodeId, NodeId),
    /// a / b
    Div(NodeId, NodeId),
    /// min(a, b)
    Min(NodeId, NodeId),
    /// max(a, b)
    Max(NodeId, NodeId),
    /// a ^ b
    Pow(NodeId, NodeId),
    /// ln(a)
    Ln(NodeId),
    /// The value of another node under a second name.
    Alias(NodeId),
}

impl Op {
    /// The operands of the operation.
    pub fn operands(&self) -> impl Iterator<Item = NodeId> {
        let (a, b) = match *self {
            Op::Const(_) | Op::Leaf(_) | Op::Param(_) => (None, None),
            Op::Ln(a) | Op::Alias(a) => (Some(a), None),
            Op::Add(a, b)
            | Op::Sub(a, b)
            | Op::Mul(a, b)
            | Op::Div(a, b)
            | Op::Min(a, b)
            | Op::Max(a, b)
            | Op::Pow(a, b) => (Some(a), Some(b)),
        };
        a.into_iter().chain(b)
    }

    /// Applies the operation to operand values.
    #[inline(always)]
    pub fn apply(code: OpCode, a: f64, b: f64) -> f64 {
        match code {
            OpCode::Add => a + b,
            OpCode::Sub => a - b,
            OpCode::Mul => a * b,
            OpCode::Div => a / b,
            OpCode::Min => a.min(b),
            OpCode::Max => a.max(b),
            OpCode::Pow => a.powf(b),
            OpCode::Ln => a.ln(),
            OpCode::Copy => a,
        }
    }

    /// The operation's code and operands, for operations with operands.
    pub fn code(&self) -> Option<(OpCode, NodeId, NodeId)> {
        Some(match *self {
            Op::Add(a, b) => (OpCode::Add, a, b),
            Op::Sub(a, b) => (OpCode::Sub, a, b),
            Op::Mul(a, b) => (OpCode::Mul, a, b),
            Op::Div(a, b) => (OpCode::Div, a, b),
            Op::Min(a, b) => (OpCode::Min, a, b),
            Op::Max(a, b) => (OpCode::Max, a, b),
            Op::Pow(a, b) => (OpCode::Pow, a, b),
            Op::Ln(a) => (OpCode::Ln, a, a),
            Op::Alias(a) => (OpCode::Copy, a, a),
            Op::Const(_) | Op::Leaf(_) | Op::Param(_) => return None,
        })
    }
}

/// The arithmetic of an operation, without its operands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OpCode {
    /// a + b
    Add,
    /// a − b
    Sub,
    /// a × b
    Mul,
    /// a / b
    Div,
    /// min(a, b)
    Min,
    /// max(a, b)
    Max,
    /// a ^ b
    Pow,
    /// ln(a)
    Ln,
    /// a
    Copy,
}

/// An input of the graph: a quantity with its key and human name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Leaf {
    /// Unique key; two uses of the same key are the same input.
    pub key: String,
    /// Human name.
    pub name: String,
    /// The value, its uncertainty and provenance.
    pub quantity: Quantity,
}

/// A parameter of the graph, set at each evaluation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Param {
    /// Unique key (`hours`, `nodes`, ...).
    pub key: String,
    /// Human name.
    pub name: String,
    /// Unit.
    pub unit: String,
}

/// The name and unit of an intermediate result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Label {
    /// Human name.
    pub name: String,
    /// Unit of the result.
    pub unit: String,
    /// What the formula means, where it comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A graph of operations. Build it with the methods below; nodes are only ever appended, so a
/// node's operands always have smaller indices (the graph is topologically ordered).
#[derive(Clone, Debug, Default)]
pub struct Graph {
    ops: Vec<Op>,
    labels: Vec<Option<Label>>,
    leaves: Vec<Leaf>,
    leaf_nodes: Vec<NodeId>,
    params: Vec<Param>,
    param_nodes: Vec<NodeId>,
    dedup: HashMap<(u8, u32, u32, u64), NodeId>,
    leaf_by_key: HashMap<String, NodeId>,
    param_by_key: HashMap<String, NodeId>,
}

impl Graph {
    /// An empty graph.
    pub fn new() -> Graph {
        Graph::default()
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// True when the graph has no node.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// The operation of a node.
    pub fn op(&self, id: NodeId) -> Op {
        self.ops[id.index()]
    }

    /// The label of a node, if it has one.
    pub fn label_of(&self, id: NodeId) -> Option<&Label> {
        self.labels[id.index()].as_ref()
    }

    /// The name of a node: its label, or the name of a leaf or parameter.
    pub fn name_of(&self, id: NodeId) -> Option<String> {
        match self.ops[id.index()] {
            Op::Leaf(l) => Some(self.leaves[l as usize].name.clone()),
            Op::Param(p) => Some(self.params[p as usize].name.clone()),
            _ => self.labels[id.index()].as_ref().map(|l| l.name.clone()),
        }
    }

    /// All leaves, in creation order.
    pub fn leaves(&self) -> &[Leaf] {
        &self.leaves
    }

    /// The node of each leaf, in creation order.
    pub fn leaf_nodes(&self) -> &[NodeId] {
        &self.leaf_nodes
    }

    /// All parameters, in creation order.
    pub fn params(&self) -> &[Param] {
        &self.params
    }

    /// The node of each parameter.
    pub fn param_nodes(&self) -> &[NodeId] {
        &self.param_nodes
    }

    /// The node of a leaf by key.
    pub fn leaf_node(&self, key: &str) -> Option<NodeId> {
        self.leaf_by_key.get(key).copied()
    }

    /// The index of a parameter by key.
    pub fn param_index(&self, key: &str) -> Option<usize> {
        self.params.iter().position(|p| p.key == key)
    }

    fn push(&mut self, op: Op) -> NodeId {
        let id = NodeId(self.ops.len() as u32);
        self.ops.push(op);
        self.labels.push(None);
        id
    }

    /// An input quantity. A second call with the same key returns the first node (the quantity
    /// given the second time is ignored: keys must identify quantities).
    pub fn leaf(&mut self, key: &str, name: &str, quantity: Quantity) -> NodeId {
        if let Some(&id) = self.leaf_by_key.get(key) {
            return id;
        }
        let idx = self.leaves.len() as u32;
        let id = self.push(Op::Leaf(idx));
        self.leaves.push(Leaf {
            key: key.to_string(),
            name: name.to_string(),
            quantity,
        });
        self.leaf_nodes.push(id);
        self.leaf_by_key.insert(key.to_string(), id);
        id
    }

    /// A parameter, set at each evaluation. Same key, same node.
    pub fn param(&mut self, key: &str, name: &str, unit: &str) -> NodeId {
        if let Some(&id) = self.param_by_key.get(key) {
            return id;
        }
        let idx = self.params.len() as u32;
        let id = self.push(Op::Param(idx));
        self.params.push(Param {
            key: key.to_string(),
            name: name.to_string(),
            unit: unit.to_string(),
        });
        self.param_nodes.push(id);
        self.param_by_key.insert(key.to_string(), id);
        id
    }

    /// A number of a formula.
    pub fn constant(&mut self, v: f64) -> NodeId {
        let key = (0u8, 0, 0, v.to_bits());
        if let Some(&id) = self.dedup.get(&key) {
            return id;
        }
        let id = self.push(Op::Const(v));
        self.dedup.insert(key, id);
        id
    }

    fn binary(&mut self, tag: u8, a: NodeId, b: NodeId, make: fn(NodeId, NodeId) -> Op) -> NodeId {
        let key = (tag, a.0, b.0, 0);
        if let Some(&id) = self.dedup.get(&key) {
            return id;
        }
        let id = self.push(make(a, b));
        self.dedup.insert(key, id);
        id
    }

    /// a + b
    pub fn add(&mut self, a: NodeId, b: NodeId) -> NodeId {
        self.binary(1, a, b, Op::Add)
    }

    /// a − b
    pub fn sub(&mut self, a: NodeId, b: NodeId) -> NodeId {
        self.binary(2, a, b, Op::Sub)
    }

    /// a × b
    pub fn mul(&mut self, a: NodeId, b: NodeId) -> NodeId {
        self.binary(3, a, b, Op::Mul)
    }

    /// a / b
    pub fn div(&mut self, a: NodeId, b: NodeId) -> NodeId {
        self.binary(4, a, b, Op::Div)
    }

    /// min(a, b)
    pub fn min(&mut self, a: NodeId, b: NodeId) -> NodeId {
        self.binary(5, a, b, Op::Min)
    }

    /// max(a, b)
    pub fn max(&mut self, a: NodeId, b: NodeId) -> NodeId {
        self.binary(6, a, b, Op::Max)
    }

    /// a ^ b
    pub fn pow(&mut self, a: NodeId, b: NodeId) -> NodeId {
        self.binary(7, a, b, Op::Pow)
    }

    /// ln(a)
    pub fn ln(&mut self, a: NodeId) -> NodeId {
        self.binary(8, a, a, |a, _| Op::Ln(a))
    }

    /// a × k for a number k of the formula.
    pub fn scale(&mut self, a: NodeId, k: f64) -> NodeId {
        let c = self.constant(k);
        self.mul(a, c)
    }

    /// The sum of the nodes (0 for none).
    pub fn sum(&mut self, xs: &[NodeId]) -> NodeId {
        match xs {
            [] => self.constant(0.0),
            [x] => *x,
            [first, rest @ ..] => rest.iter().fold(*first, |acc, x| self.add(acc, *x)),
        }
    }

    /// The product of the nodes (1 for none).
    pub fn product(&mut self, xs: &[NodeId]) -> NodeId {
        match xs {
            [] => self.constant(1.0),
            [x] => *x,
            [first, rest @ ..] => rest.iter().fold(*first, |acc, x| self.mul(acc, *x)),
        }
    }

    /// Names a node. A node that already has another name (it was shared by hash-consing) gets an
    /// alias node carrying the new name, which is returned.
    pub fn label(&mut self, id: NodeId, name: &str, unit: &str) -> NodeId {
        self.label_with_note(id, name, unit, None)
    }

    /// Names a node and explains it.
    pub fn label_with_note(
        &mut self,
        id: NodeId,
        name: &str,
        unit: &str,
        note: Option<&str>,
    ) -> NodeId {
        let label = Label {
            name: name.to_string(),
            unit: unit.to_string(),
            note: note.map(str::to_string),
        };
        let op = self.ops[id.index()];
        let target = match (&self.labels[id.index()], op) {
            (Some(existing), _) if existing.name == label.name => return id,
            (Some(_), _) | (None, Op::Leaf(_) | Op::Param(_) | Op::Const(_)) => {
                self.push(Op::Alias(id))
            }
            (None, _) => id,
        };
        self.labels[target.index()] = Some(label);
        target
    }

    /// Evaluates every node with each leaf at its central value.
    pub fn eval_central(&self, params: &[f64]) -> Vec<f64> {
        let mut v = vec![0.0; self.ops.len()];
        for (i, op) in self.ops.iter().enumerate() {
            v[i] = match *op {
                Op::Const(c) => c,
                Op::Leaf(l) => self.leaves[l as usize].quantity.value,
                Op::Param(p) => params.get(p as usize).copied().unwrap_or(f64::NAN),
                _ => {
                    let (code, a, b) = op.code().expect("operation with operands");
                    Op::apply(code, v[a.index()], v[b.index()])
                }
            };
        }
        v
    }

    /// For each node, whether its value depends on a parameter.
    pub fn dynamic_mask(&self) -> Vec<bool> {
        let mut d = vec![false; self.ops.len()];
        for (i, op) in self.ops.iter().enumerate() {
            d[i] = matches!(op, Op::Param(_)) || op.operands().any(|o| d[o.index()]);
        }
        d
    }

    /// For each node, whether it is needed to compute one of `outputs`.
    pub fn needed_mask(&self, outputs: &[NodeId]) -> Vec<bool> {
        let mut need = vec![false; self.ops.len()];
        for o in outputs {
            need[o.index()] = true;
        }
        for i in (0..self.ops.len()).rev() {
            if need[i] {
                for o in self.ops[i].operands() {
                    need[o.index()] = true;
                }
            }
        }
        need
    }

    /// The leaves (indices into [`Graph::leaves`]) that `output` depends on.
    pub fn leaf_ancestors(&self, output: NodeId) -> Vec<usize> {
        let need = self.needed_mask(&[output]);
        self.leaf_nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| need[n.index()])
            .map(|(i, _)| i)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::{Provenance, Status};

    fn q(v: f64) -> Quantity {
        Quantity::fixed(v, "1", Provenance::new(Status::Default, "test"))
    }

    #[test]
    fn leaves_with_the_same_key_are_one_node() {
        let mut g = Graph::new();
        let a = g.leaf("pue", "PUE", q(1.2));
        let b = g.leaf("pue", "PUE", q(9.0));
        assert_eq!(a, b);
        assert_eq!(g.leaves().len(), 1);
        assert_eq!(g.eval_central(&[])[a.index()], 1.2);
    }

    #[test]
    fn operations_are_hash_consed() {
        let mut g = Graph::new();
        let a = g.leaf("a", "a", q(2.0));
        let b = g.leaf("b", "b", q(3.0));
        let x = g.mul(a, b);
        let y = g.mul(a, b);
        assert_eq!(x, y);
        let z = g.mul(b, a);
        assert_ne!(x, z, "operand order is part of the key");
    }

    #[test]
    fn a_second_label_makes_an_alias() {
        let mut g = Graph::new();
        let a = g.leaf("a", "a", q(2.0));
        let two = g.scale(a, 2.0);
        let n1 = g.label(two, "first", "W");
        let n2 = g.label(two, "second", "W");
        assert_eq!(n1, two);
        assert_ne!(n2, two);
        let v = g.eval_central(&[]);
        assert_eq!(v[n2.index()], 4.0);
        assert_eq!(g.label_of(n2).map(|l| l.name.as_str()), Some("second"));
    }

    #[test]
    fn central_evaluation_follows_the_formula() {
        // (2 + 3) × h / 4 with h = 8 → 10.
        let mut g = Graph::new();
        let a = g.leaf("a", "a", q(2.0));
        let b = g.leaf("b", "b", q(3.0));
        let h = g.param("h", "hours", "h");
        let s = g.add(a, b);
        let m = g.mul(s, h);
        let d = g.scale(m, 0.25);
        assert_eq!(g.eval_central(&[8.0])[d.index()], 10.0);
        let dynm = g.dynamic_mask();
        assert!(!dynm[s.index()]);
        assert!(dynm[d.index()]);
        assert_eq!(g.leaf_ancestors(d), vec![0, 1]);
    }
}
