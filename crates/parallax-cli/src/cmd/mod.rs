pub mod analyze;
pub mod eval;
pub mod extract;
pub mod ner;
pub mod train;
