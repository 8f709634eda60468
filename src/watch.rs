//! File-event classification for serve (being written).
