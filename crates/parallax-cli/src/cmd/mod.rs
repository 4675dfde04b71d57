pub mod analyze;
pub mod eval;
pub mod extract;
