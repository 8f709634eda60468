//! The rendered output: links (GOV-VETO-02, SEC-EXT-02/03), footer and meta (GOV-FOOT-*, GOV-META-*, GOV-SITE-02/03), self-contained pages and integrity (SEC-EXT-01, SEC-INT-01/02), accessibility lint (A11Y-02/06/07).
//! (Being written: this family reports nothing yet.)

use super::Ctx;
use crate::diag::Diagnostic;

pub fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}
