pub mod analyze;
pub mod eval;
pub mod extract;
pub mod ingest;
pub mod search;
pub mod serve;
pub mod stats;
