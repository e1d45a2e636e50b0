//! Terraform files: the resource types a configuration declares.
//!
//! HCL is parsed with `hcl-edit`, which keeps each block's position, so a
//! finding points at its `resource` line. Resource types name both the
//! cloud (`aws_*`) and the managed service (`aws_db_instance`).

use super::{Input, line_at};
use crate::scan::Scan;
use hcl_edit::Span as _;
use hcl_edit::structure::Structure;

pub(super) fn read(input: &Input<'_>, scan: &mut Scan) {
    let body = match hcl_edit::parser::parse_body(input.text) {
        Ok(body) => body,
        Err(e) => {
            let first = e.to_string();
            let first = first.lines().next().unwrap_or("");
            input.unread(scan, format!("not HCL: {first}"));
            return;
        }
    };
    for structure in body.iter() {
        let Structure::Block(block) = structure else {
            continue;
        };
        if block.ident.as_str() != "resource" {
            continue;
        }
        let Some(kind) = block.labels.first().map(|l| l.as_str()) else {
            continue;
        };
        let name = block.labels.get(1).map_or("", |l| l.as_str());
        let line = block
            .span()
            .map_or(1, |span| line_at(input.text, span.start));
        for tech in input.detectors.by_terraform(kind) {
            scan.add(
                tech,
                input.evidence(line, format!("resource \"{kind}\" \"{name}\"")),
            );
        }
    }
}
