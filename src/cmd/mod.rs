//! One file per subcommand; each prints to the terminal and returns the exit status.

pub mod build;
pub mod check;
pub mod deploy;
pub mod export;
pub mod import;
pub mod init;
pub mod merge_file;
pub mod new;
pub mod plaques;
pub mod serve;
pub mod stats;
pub mod verify;
