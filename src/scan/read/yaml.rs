//! YAML and JSON documents: compose files, Kubernetes objects,
//! CloudFormation templates and API descriptions.
//!
//! YAML is read with `saphyr`, a maintained YAML 1.2 parser whose marked
//! nodes keep their line, so each finding points at the line that says it.
//! Most YAML in a repository is none of these (CI workflows, configuration),
//! so a document is parsed only when its text holds a key some reader uses.

use super::{Deployable, Input, line_of};
use crate::scan::Scan;
use crate::scan::detectors::Role;
use saphyr::{LoadableYamlNode, MarkedYaml};

/// Kubernetes kinds that deploy an application of their own.
const WORKLOAD_KINDS: &[&str] = &["Deployment", "StatefulSet"];

/// The roles of technologies that run beside an application: a workload
/// whose every image is one of these is infrastructure, not a service.
const INFRASTRUCTURE: &[Role] = &[Role::Store, Role::Cache, Role::Messaging, Role::Operations];

fn load<'a>(input: &Input<'a>, scan: &mut Scan) -> Option<Vec<MarkedYaml<'a>>> {
    match MarkedYaml::load_from_str(input.text) {
        Ok(docs) => Some(docs),
        Err(e) => {
            input.unread(scan, format!("not YAML (a template?): {e}"));
            None
        }
    }
}

fn line(node: &MarkedYaml<'_>) -> usize {
    node.span.start.line().max(1)
}

fn get<'n, 'a>(node: &'n MarkedYaml<'a>, key: &str) -> Option<&'n MarkedYaml<'a>> {
    node.data.as_mapping_get(key)
}

fn string<'n>(node: &'n MarkedYaml<'_>, key: &str) -> Option<&'n str> {
    get(node, key).and_then(|n| n.data.as_str())
}

/// A compose file: each service's image, and the services built here.
pub(super) fn compose(input: &Input<'_>, scan: &mut Scan) {
    let Some(docs) = load(input, scan) else {
        return;
    };
    let Some(services) = docs
        .first()
        .and_then(|d| get(d, "services"))
        .and_then(|s| s.data.as_mapping())
    else {
        return;
    };
    for (key, service) in services {
        let Some(name) = key.data.as_str() else {
            continue;
        };
        if let Some(image) = get(service, "image")
            && let Some(reference) = image.data.as_str()
        {
            image_evidence(input, reference, line(image), scan);
        }
        if let Some(build) = get(service, "build").filter(|_| input.deployed) {
            // Services built from one context are one application run
            // several times (a leader and its followers), not several.
            let context = build_context(build);
            scan.deployables.compose.push(Deployable {
                evidence: input
                    .evidence(line(key), format!("service {name}, built from {context}")),
                name: context,
            });
        }
    }
}

/// The build context and Dockerfile of a compose `build`, as one name.
fn build_context(build: &MarkedYaml<'_>) -> String {
    if let Some(context) = build.data.as_str() {
        return context.to_owned();
    }
    let context = string(build, "context").unwrap_or(".");
    match string(build, "dockerfile") {
        Some(dockerfile) => format!("{context} ({dockerfile})"),
        None => context.to_owned(),
    }
}

/// Records the technologies an image names; returns whether any did, as
/// infrastructure (a database, cache or broker).
fn image_evidence(input: &Input<'_>, reference: &str, line: usize, scan: &mut Scan) -> bool {
    let mut infrastructure = false;
    let name = image_name(reference);
    for tech in input.detectors.by_image(&name) {
        infrastructure |= INFRASTRUCTURE.contains(&input.detectors.techs[tech].role);
        scan.add(tech, input.evidence(line, format!("image {reference}")));
    }
    infrastructure
}

/// The name of an image without registry, path or tag:
/// `docker.io/bitnami/postgresql:15@sha256:...` is `postgresql`.
pub(crate) fn image_name(reference: &str) -> String {
    let without_digest = reference.split('@').next().unwrap_or(reference);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    last.split(':').next().unwrap_or(last).to_ascii_lowercase()
}

/// Any other YAML file: Kubernetes objects, CloudFormation templates and
/// documents known by a top-level key (`openapi`).
pub(super) fn documents(input: &Input<'_>, scan: &mut Scan) {
    let mut keys = input.detectors.keys();
    let worth_parsing = input.text.contains("kind:")
        || input.text.contains("Resources:")
        || keys.any(|k| input.text.contains(&format!("{k}:")));
    if !worth_parsing {
        return;
    }
    let Some(docs) = load(input, scan) else {
        return;
    };
    for doc in &docs {
        if let (Some(kind), Some(_)) = (get(doc, "kind"), get(doc, "apiVersion")) {
            kubernetes_object(input, doc, kind, scan);
        }
        if let Some(resources) = get(doc, "Resources").and_then(|r| r.data.as_mapping()) {
            for resource in resources.values() {
                if let Some(kind) = get(resource, "Type") {
                    cloudformation(input, kind.data.as_str(), line(kind), scan);
                }
            }
        }
        top_level_keys(input, doc, scan);
    }
}

fn kubernetes_object(
    input: &Input<'_>,
    doc: &MarkedYaml<'_>,
    kind_node: &MarkedYaml<'_>,
    scan: &mut Scan,
) {
    let Some(kind) = kind_node.data.as_str() else {
        return;
    };
    let name = get(doc, "metadata")
        .and_then(|m| string(m, "name"))
        .unwrap_or("(unnamed)");
    for tech in input.detectors.by_kind(kind) {
        scan.add(
            tech,
            input.evidence(line(kind_node), format!("kind {kind} {name}")),
        );
    }
    if !WORKLOAD_KINDS.contains(&kind) {
        return;
    }
    let containers = get(doc, "spec")
        .and_then(|s| get(s, "template"))
        .and_then(|t| get(t, "spec"))
        .and_then(|s| get(s, "containers"))
        .and_then(|c| c.data.as_vec());
    let mut images = 0;
    let mut infrastructure = 0;
    for image in containers
        .into_iter()
        .flatten()
        .filter_map(|c| get(c, "image"))
    {
        if let Some(reference) = image.data.as_str() {
            images += 1;
            if image_evidence(input, reference, line(image), scan) {
                infrastructure += 1;
            }
        }
    }
    if input.deployed && (images == 0 || infrastructure < images) {
        scan.deployables.kubernetes.push(Deployable {
            name: name.to_owned(),
            evidence: input.evidence(line(kind_node), format!("kind {kind} {name}")),
        });
    }
}

fn cloudformation(input: &Input<'_>, kind: Option<&str>, line: usize, scan: &mut Scan) {
    let Some(kind) = kind else {
        return;
    };
    for tech in input.detectors.by_cloudformation(kind) {
        scan.add(tech, input.evidence(line, format!("Type {kind}")));
    }
}

fn top_level_keys(input: &Input<'_>, doc: &MarkedYaml<'_>, scan: &mut Scan) {
    let Some(mapping) = doc.data.as_mapping() else {
        return;
    };
    for (key, value) in mapping {
        let Some(key_text) = key.data.as_str() else {
            continue;
        };
        for tech in input.detectors.by_key(key_text) {
            let said =
                scalar_text(value).map_or(key_text.to_owned(), |v| format!("{key_text} {v}"));
            scan.add(tech, input.evidence(line(key), said));
        }
    }
}

fn scalar_text(node: &MarkedYaml<'_>) -> Option<String> {
    node.data
        .as_str()
        .map(str::to_owned)
        .or_else(|| node.data.as_floating_point().map(|f| f.to_string()))
}

/// A JSON document: CloudFormation templates and API descriptions. Only
/// files that name such a key near the top are parsed.
pub(super) fn json(input: &Input<'_>, scan: &mut Scan) {
    let head = input.text.get(..4096).unwrap_or(input.text);
    let mut keys = input.detectors.keys();
    let worth_parsing =
        head.contains("\"Resources\"") || keys.any(|k| head.contains(&format!("\"{k}\"")));
    if !worth_parsing {
        return;
    }
    let Ok(serde_json::Value::Object(doc)) = serde_json::from_str(input.text) else {
        input.unread(scan, "not JSON");
        return;
    };
    for (key, value) in &doc {
        for tech in input.detectors.by_key(key) {
            let said = value.as_str().map_or(key.clone(), |v| format!("{key} {v}"));
            scan.add(
                tech,
                input.evidence(line_of(input.text, &format!("\"{key}\"")), said),
            );
        }
    }
    let resources = doc.get("Resources").and_then(|r| r.as_object());
    for resource in resources.into_iter().flat_map(|r| r.values()) {
        let kind = resource.get("Type").and_then(|t| t.as_str());
        let at = kind.map_or(1, |k| line_of(input.text, &format!("\"{k}\"")));
        cloudformation(input, kind, at, scan);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_names_drop_registry_path_tag_and_digest() {
        assert_eq!(image_name("postgres:16"), "postgres");
        assert_eq!(image_name("docker.io/bitnami/postgresql:15"), "postgresql");
        assert_eq!(image_name("localhost:5000/shop/cart@sha256:abc"), "cart");
        assert_eq!(image_name("Redis"), "redis");
    }
}
