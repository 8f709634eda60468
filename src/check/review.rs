//! Feedback and review: GOV-INT-01, SEC-REV-01, GOV-VETO-03.
//! (Being written: this family reports nothing yet.)

use super::Ctx;
use crate::diag::Diagnostic;

pub fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}
