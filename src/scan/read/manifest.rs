//! Package manifests: the runtime dependencies an application declares.
//!
//! A dependency on a Kafka client, an ORM driver or a gRPC library says what
//! the code talks to. Development and test dependencies are left out: they
//! do not run in production. Structured formats go through their parsers
//! (JSON, TOML, XML); `go.mod`, `requirements.txt`, Gemfiles and Gradle
//! scripts are line formats (or code) and are read line by line.

use super::{Deployable, Input, line_of};
use crate::scan::Scan;
use crate::scan::detectors::ManifestFormat;

/// A dependency and the line that declares it.
#[derive(Debug, PartialEq)]
struct Dependency {
    name: String,
    line: usize,
}

pub(super) fn read(input: &Input<'_>, format: ManifestFormat, scan: &mut Scan) {
    let dependencies = match dependencies(input.text, format) {
        Ok(found) => found,
        Err(why) => {
            input.unread(scan, why);
            return;
        }
    };
    scan.languages
        .entry(format.language())
        .or_default()
        .push(input.evidence(1, format!("{} manifest", format.language())));
    if input.deployed && !input.relative.contains('/') {
        scan.deployables.root_manifests.push(Deployable {
            name: ".".to_owned(),
            evidence: input.evidence(1, "one application at the top"),
        });
    }
    for dependency in dependencies {
        for tech in input.detectors.by_package(&dependency.name) {
            scan.add(
                tech,
                input.evidence(dependency.line, format!("dependency {}", dependency.name)),
            );
        }
    }
}

fn dependencies(text: &str, format: ManifestFormat) -> Result<Vec<Dependency>, String> {
    match format {
        ManifestFormat::Npm => npm(text),
        ManifestFormat::Go => Ok(go_mod(text)),
        ManifestFormat::Cargo => cargo(text),
        ManifestFormat::Python => pyproject(text),
        ManifestFormat::Requirements => Ok(requirements(text)),
        ManifestFormat::Maven => maven(text),
        ManifestFormat::Gradle => Ok(gradle(text)),
        ManifestFormat::Bundler => Ok(gemfile(text)),
        ManifestFormat::Nuget => nuget(text),
    }
}

/// A dependency by name, at the first line that declares it: quoted (JSON)
/// or as a TOML key (`name = ...`, `name.workspace = true`).
fn named(text: &str, name: &str, quoted: bool) -> Dependency {
    let line = if quoted {
        line_of(text, &format!("\"{name}\""))
    } else {
        text.lines()
            .position(|l| {
                l.trim_start()
                    .strip_prefix(name)
                    .is_some_and(|rest| rest.starts_with([' ', '=', '.']))
            })
            .map_or(1, |i| i + 1)
    };
    Dependency {
        name: name.to_owned(),
        line,
    }
}

fn npm(text: &str) -> Result<Vec<Dependency>, String> {
    let doc: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let mut out = Vec::new();
    for section in ["dependencies", "optionalDependencies", "peerDependencies"] {
        if let Some(deps) = doc.get(section).and_then(|d| d.as_object()) {
            out.extend(deps.keys().map(|name| named(text, name, true)));
        }
    }
    Ok(out)
}

/// `require` lines and blocks; indirect requirements are someone else's.
fn go_mod(text: &str) -> Vec<Dependency> {
    let mut out = Vec::new();
    let mut in_block = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let spec = if in_block {
            if line.starts_with(')') {
                in_block = false;
                continue;
            }
            line
        } else if line == "require (" {
            in_block = true;
            continue;
        } else if let Some(rest) = line.strip_prefix("require ") {
            rest
        } else {
            continue;
        };
        if spec.contains("// indirect") {
            continue;
        }
        if let Some(path) = spec
            .split_whitespace()
            .next()
            .filter(|p| !p.starts_with("//"))
        {
            out.push(Dependency {
                name: path.to_owned(),
                line: i + 1,
            });
        }
    }
    out
}

fn cargo(text: &str) -> Result<Vec<Dependency>, String> {
    let doc: toml::Table =
        toml::from_str(text).map_err(|e| format!("not TOML: {}", e.message()))?;
    let mut tables: Vec<&toml::Table> = Vec::new();
    tables.extend(doc.get("dependencies").and_then(|d| d.as_table()));
    let targets = doc.get("target").and_then(|t| t.as_table());
    for target in targets.into_iter().flat_map(|t| t.values()) {
        tables.extend(target.get("dependencies").and_then(|d| d.as_table()));
    }
    let mut out = Vec::new();
    for table in tables {
        out.extend(table.keys().map(|name| named(text, name, false)));
    }
    Ok(out)
}

/// PEP 621 `project.dependencies` and Poetry's `tool.poetry.dependencies`.
fn pyproject(text: &str) -> Result<Vec<Dependency>, String> {
    let doc: toml::Table =
        toml::from_str(text).map_err(|e| format!("not TOML: {}", e.message()))?;
    let mut out = Vec::new();
    let project = doc.get("project").and_then(|p| p.get("dependencies"));
    for spec in project.and_then(|d| d.as_array()).into_iter().flatten() {
        if let Some(name) = spec.as_str().and_then(python_name) {
            out.push(Dependency {
                line: line_of(text, spec.as_str().unwrap_or_default()),
                name,
            });
        }
    }
    let poetry = doc
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(|p| p.get("dependencies"))
        .and_then(|d| d.as_table());
    for name in poetry.into_iter().flat_map(|t| t.keys()) {
        if name != "python" {
            out.push(named(text, name, false));
        }
    }
    Ok(out)
}

/// The distribution name of a PEP 508 requirement, normalised:
/// `psycopg2-binary>=2.9; python_version>"3"` is `psycopg2-binary`.
fn python_name(spec: &str) -> Option<String> {
    let name: String = spec
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    (!name.is_empty()).then(|| name.to_ascii_lowercase().replace('_', "-"))
}

fn requirements(text: &str) -> Vec<Dependency> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with(['#', '-']))
        .filter_map(|(i, l)| python_name(l).map(|name| Dependency { name, line: i + 1 }))
        .collect()
}

/// The project's own dependencies (`groupId:artifactId`), not those it
/// only pins in `dependencyManagement` or gives its plugins.
fn maven(text: &str) -> Result<Vec<Dependency>, String> {
    let doc = roxmltree::Document::parse(text).map_err(|e| format!("not XML: {e}"))?;
    let mut out = Vec::new();
    for dependency in doc.descendants().filter(|n| n.has_tag_name("dependency")) {
        let in_project = dependency
            .parent()
            .and_then(|p| p.parent())
            .is_some_and(|g| g.has_tag_name("project"));
        if !in_project {
            continue;
        }
        let child = |tag: &str| {
            dependency
                .children()
                .find(|c| c.has_tag_name(tag))
                .and_then(|c| c.text())
                .map(str::trim)
        };
        if let (Some(group), Some(artifact)) = (child("groupId"), child("artifactId")) {
            out.push(Dependency {
                name: format!("{group}:{artifact}"),
                line: doc.text_pos_at(dependency.range().start).row as usize,
            });
        }
    }
    Ok(out)
}

/// `implementation "group:artifact:version"` and the like. A Gradle script
/// is code; its dependency lines are the part with a common shape.
fn gradle(text: &str) -> Vec<Dependency> {
    const CONFIGURATIONS: &[&str] = &["implementation", "api", "compile", "runtimeOnly"];
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if !CONFIGURATIONS.iter().any(|c| line.starts_with(c)) {
            continue;
        }
        let quoted = line.split(['"', '\'']).nth(1).unwrap_or("");
        let mut parts = quoted.split(':');
        if let (Some(group), Some(artifact)) = (parts.next(), parts.next()) {
            out.push(Dependency {
                name: format!("{group}:{artifact}"),
                line: i + 1,
            });
        }
    }
    out
}

/// `gem "name"` lines, outside `group :development`/`:test` blocks.
fn gemfile(text: &str) -> Vec<Dependency> {
    let mut out = Vec::new();
    let mut dev_depth = 0usize;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.starts_with("group ") && line.ends_with(" do") {
            let production = line.contains(":production") || line.contains(":default");
            if dev_depth > 0 || !production {
                dev_depth += 1;
            }
            continue;
        }
        if line == "end" {
            dev_depth = dev_depth.saturating_sub(1);
            continue;
        }
        if dev_depth > 0 {
            continue;
        }
        let Some(rest) = line.strip_prefix("gem ") else {
            continue;
        };
        let name = rest.trim().split(['"', '\'']).nth(1).unwrap_or("");
        if !name.is_empty() {
            out.push(Dependency {
                name: name.to_owned(),
                line: i + 1,
            });
        }
    }
    out
}

fn nuget(text: &str) -> Result<Vec<Dependency>, String> {
    let doc = roxmltree::Document::parse(text).map_err(|e| format!("not XML: {e}"))?;
    Ok(doc
        .descendants()
        .filter(|n| n.has_tag_name("PackageReference"))
        .filter_map(|n| {
            n.attribute("Include").map(|name| Dependency {
                name: name.to_owned(),
                line: doc.text_pos_at(n.range().start).row as usize,
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(found: Vec<Dependency>) -> Vec<(String, usize)> {
        found.into_iter().map(|d| (d.name, d.line)).collect()
    }

    #[test]
    fn npm_reads_runtime_dependencies_only() {
        let text =
            "{\n \"dependencies\": {\"pg\": \"8\"},\n \"devDependencies\": {\"jest\": \"1\"}\n}";
        assert_eq!(names(npm(text).unwrap()), [("pg".to_owned(), 2)]);
    }

    #[test]
    fn go_mod_skips_indirect_requirements() {
        let text = "module x\n\nrequire (\n\tgithub.com/jackc/pgx/v5 v5.5.0\n\tgolang.org/x/text v0.1 // indirect\n)\nrequire google.golang.org/grpc v1.60.0\n";
        assert_eq!(
            names(go_mod(text)),
            [
                ("github.com/jackc/pgx/v5".to_owned(), 4),
                ("google.golang.org/grpc".to_owned(), 7)
            ]
        );
    }

    #[test]
    fn python_names_are_normalised() {
        assert_eq!(
            python_name("Psycopg2_Binary>=2.9; python_version>'3'").unwrap(),
            "psycopg2-binary"
        );
        let text = "# comment\n-r base.txt\nredis==5.0\n";
        assert_eq!(names(requirements(text)), [("redis".to_owned(), 3)]);
        let text = "[project]\ndependencies = [\n  \"Django>=4\",\n  \"celery[redis]\",\n]\n";
        assert_eq!(
            names(pyproject(text).unwrap()),
            [("django".to_owned(), 3), ("celery".to_owned(), 4)]
        );
    }

    #[test]
    fn maven_reads_the_project_dependencies() {
        let text = "<project>\n<dependencyManagement><dependencies><dependency><groupId>a</groupId><artifactId>pinned</artifactId></dependency></dependencies></dependencyManagement>\n<dependencies>\n<dependency>\n<groupId>org.postgresql</groupId><artifactId>postgresql</artifactId>\n</dependency>\n</dependencies>\n</project>";
        assert_eq!(
            names(maven(text).unwrap()),
            [("org.postgresql:postgresql".to_owned(), 4)]
        );
    }

    #[test]
    fn gemfile_skips_development_groups() {
        let text = "gem 'rails'\ngroup :development, :test do\n  gem 'rspec'\nend\ngem \"pg\", \"~> 1.5\"\n";
        assert_eq!(
            names(gemfile(text)),
            [("rails".to_owned(), 1), ("pg".to_owned(), 5)]
        );
    }

    #[test]
    fn gradle_and_nuget_and_cargo() {
        let text = "dependencies {\n  implementation \"io.grpc:grpc-netty:1.6\"\n  testImplementation 'junit:junit:4'\n}";
        assert_eq!(names(gradle(text)), [("io.grpc:grpc-netty".to_owned(), 2)]);
        let text = "<Project>\n  <ItemGroup>\n    <PackageReference Include=\"StackExchange.Redis\" Version=\"2\" />\n  </ItemGroup>\n</Project>";
        assert_eq!(
            names(nuget(text).unwrap()),
            [("StackExchange.Redis".to_owned(), 3)]
        );
        let text = "[package]\nname = \"x\"\n\n[dependencies]\ntokio-postgres = \"0.7\"\n\n[dev-dependencies]\nredis = \"1\"\n";
        assert_eq!(
            names(cargo(text).unwrap()),
            [("tokio-postgres".to_owned(), 5)]
        );
    }
}
