//! Plans in other tools' formats.

pub mod tjp;

pub use tjp::to_tjp;
