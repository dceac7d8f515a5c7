//! Where each field of a scenario lies in its source text.
//!
//! Readers record the byte range of every field they read under the field's
//! [`FieldPath`]; diagnostics from the engine, which only know paths, are placed with it.

use std::collections::BTreeMap;
use std::ops::Range;

use akkoord_core::diag::FieldPath;

/// Byte ranges of fields, by path.
#[derive(Clone, Debug, Default)]
pub struct SpanMap(BTreeMap<FieldPath, Range<usize>>);

impl SpanMap {
    /// Records where the field at `path` lies.
    pub fn insert(&mut self, path: FieldPath, span: Range<usize>) {
        self.0.insert(path, span);
    }

    /// The span of the field at `path`, or of its nearest recorded ancestor.
    pub fn locate(&self, path: &FieldPath) -> Option<Range<usize>> {
        let mut current = Some(path.clone());
        while let Some(p) = current {
            if let Some(span) = self.0.get(&p) {
                return Some(span.clone());
            }
            current = p.parent();
        }
        None
    }
}
