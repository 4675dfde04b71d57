pub mod analyze;
pub mod checkworthy;
pub mod eval;
pub mod extract;
pub mod train;
