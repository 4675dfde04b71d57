pub mod analyze;
pub mod eval;
pub mod eval_attribution;
pub mod extract;
