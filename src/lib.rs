//! gongshi (公示): a static site generator for Chinese government public
//! disclosure and publicity.
//!
//! The build is a pipeline of stages, each its own module with data in and
//! data out: [`content`] loads, [`link`] links, [`render`] renders, [`write`]
//! writes; [`pipeline::build`] runs them in order. [`serve`] rebuilds into
//! memory on every change. The CLI ([`cli`]) is a thin layer over this.

#![forbid(unsafe_code)]

pub mod calendar;
pub mod chart;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod datafile;
pub mod dates;
pub mod diag;
pub mod generation;
pub mod frontmatter;
pub mod lang;
pub mod ledger;
pub mod link;
pub mod markdown;
pub mod model;
pub mod opendata;
pub mod output;
pub mod package;
pub mod pipeline;
pub mod records;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod source;
pub mod splice;
pub mod theme;
pub mod watch;
pub mod write;
