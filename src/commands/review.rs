//! `gantry review FILE`: the post-implementation review as Markdown, with
//! planned against actual computed (`governance::review_facts`).

use std::io::{self, Write};

use crate::cli::ReviewArgs;
use crate::governance;

use super::read_plan;
use super::status::{finish_output, scheduled, status_date};

pub fn run(args: &ReviewArgs) -> anyhow::Result<u8> {
    let loaded = match read_plan(&args.file, true)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let plan = &loaded.plan;
    let schedule = match scheduled(&args.file, plan) {
        Ok(schedule) => schedule,
        Err(code) => return Ok(code),
    };
    let facts = governance::review_facts(plan, &schedule, status_date(plan, args.date));
    let text = governance::review_markdown(plan, &facts);
    let mut out = io::stdout().lock();
    finish_output(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}
