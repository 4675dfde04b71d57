pub mod analyze;
pub mod checkworthy;
pub mod eval;
pub mod eval_attribution;
pub mod extract;
pub mod ner;
pub mod techniques;
pub mod train;
