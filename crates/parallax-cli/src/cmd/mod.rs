pub mod analyze;
pub mod eval;
pub mod extract;
pub mod techniques;
pub mod train;
