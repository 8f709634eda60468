//! 公示 notices: PUB-01, PUB-04, PUB-05, PUB-06, PUB-08, CAL-01.
//! (Being written: this family reports nothing yet.)

use super::Ctx;
use crate::diag::Diagnostic;

pub fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}
