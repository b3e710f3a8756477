//! `waymark serve`.

pub use crate::serve::Options;

pub fn run(opts: Options) -> i32 {
    crate::serve::run(opts)
}
