//! ZIP-FIT: rank source records by how well they align with a target set, using only a compressor.

pub mod compress;
