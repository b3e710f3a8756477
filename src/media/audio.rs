//! Audio guides: published as they are, with the duration (read from the file's headers by
//! lofty) and the size shown beside the player, so a tourist on 3G knows what a tap costs.

use lofty::config::ParseOptions;
use lofty::file::{AudioFile, FileType};
use lofty::probe::Probe;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What the page needs to know of an audio guide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Audio {
    pub seconds: u64,
    pub bytes: u64,
    pub mime: String,
}

/// The formats every phone browser plays, by extension.
pub fn mime_of(file: &str) -> Option<&'static str> {
    let ext = file.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "mp3" => Some("audio/mpeg"),
        "m4a" | "aac" | "mp4" => Some("audio/mp4"),
        "ogg" | "oga" | "opus" => Some("audio/ogg"),
        _ => None,
    }
}

/// Read the duration of the audio file at `path`. The error says what is wrong with it.
pub fn probe(path: &Path, name: &str) -> Result<Audio, String> {
    let mime = mime_of(name)
        .ok_or_else(|| "is not MP3, M4A or Ogg, the formats phone browsers play".to_string())?;
    let bytes = std::fs::metadata(path)
        .map_err(|e| format!("cannot be read: {e}"))?
        .len();
    let options = ParseOptions::new().read_tags(false).read_cover_art(false);
    let probe = Probe::open(path)
        .map_err(|e| format!("cannot be read: {e}"))?
        .options(options)
        .guess_file_type()
        .map_err(|e| format!("cannot be read: {e}"))?;
    let kind = probe.file_type();
    let plays = matches!(
        kind,
        Some(FileType::Mpeg | FileType::Mp4 | FileType::Vorbis | FileType::Opus | FileType::Aac)
    );
    if !plays {
        return Err("is not an MP3, M4A or Ogg audio file (its content is something else)".into());
    }
    let file = probe
        .read()
        .map_err(|e| format!("is damaged or not audio: {e}"))?;
    let seconds = file.properties().duration().as_secs_f64().round() as u64;
    if seconds == 0 {
        return Err("has no sound in it (its duration is 0 seconds)".into());
    }
    Ok(Audio {
        seconds,
        bytes,
        mime: mime.to_string(),
    })
}

/// `3:25` or `1:02:05`.
pub fn format_duration(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// `2.1 MB`, `850 KB`.
pub fn format_size(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    } else {
        format!("{} KB", bytes.div_ceil(1000))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_for_the_page() {
        assert_eq!(format_duration(205), "3:25");
        assert_eq!(format_duration(3725), "1:02:05");
        assert_eq!(format_size(2_140_000), "2.1 MB");
        assert_eq!(format_size(850_001), "851 KB");
        assert_eq!(mime_of("guide.MP3"), Some("audio/mpeg"));
        assert_eq!(mime_of("guide.wav"), None);
    }
}
