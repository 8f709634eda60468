//! Freshness as of the build date: GOV-SITE-06, GOV-UPD-01..05.
//! (Being written: this family reports nothing yet.)

use super::Ctx;
use crate::diag::Diagnostic;

pub fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}
