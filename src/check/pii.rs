//! Personal data: PII-ID-01/02, PII-TEL-01, PII-BANK-01, PII-CTX-01.
//! (Being written: this family reports nothing yet.)

use super::Ctx;
use crate::diag::Diagnostic;

pub fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}
