pub mod analyze;
pub mod cluster;
pub mod compare;
pub mod eval;
pub mod extract;
