//! 公文 lint and disclosure metadata: DOC-NO-*, DOC-DATE-01, DOC-ATT-02, META-*, OGI-01, OGI-07.
//! (Being written: this family reports nothing yet.)

use super::Ctx;
use crate::diag::Diagnostic;

pub fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}
