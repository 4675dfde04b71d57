//! Adapters from the analyzer layers (`parallax_analyze::Layers`) into the
//! comparison's [`ArticleView`]. Each layer is used when present; what a
//! layer does not give is filled by the light rules.

use crate::view::ArticleView;
use parallax_analyze::Analysis;

/// Which parts came from layers (the rest fall back to rules).
#[derive(Default)]
pub struct Used {
    pub quotes: bool,
    pub sources: bool,
    pub entities: bool,
}

pub fn adapt_layers(_v: &mut ArticleView, _a: &Analysis) -> Used {
    Used::default()
}
