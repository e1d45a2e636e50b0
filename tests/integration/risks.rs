//! The built-in risks and contradictions (`rules/risks.toml`), flagged by
//! the real binary. Each case starts from a scenario's answers that flag
//! nothing, changes a few answers (and, where a risk reads a decision that
//! the rules rarely make under those answers, adds a policy that forces it),
//! and asserts the exact set of risks in the JSON report. Near misses just
//! below each threshold assert that nothing more is flagged, and every
//! built-in risk must be flagged by some case.

use crate::support::{Scratch, Tradeoff, repo};
use std::collections::BTreeSet;

/// Full answers to every topic: a mobile-first social feed on microservices.
const FEED: &str = "tests/scenarios/product-social-feed.toml";
/// Full answers to every topic: a four-person CRUD SaaS.
const CRUD: &str = "tests/scenarios/product-crud-saas-small-team.toml";
/// A webhook relay on functions (architecture and compute only).
const RELAY: &str = "tests/scenarios/linked-serverless-webhook-relay.toml";
/// An event-sourced policy system (CQRS/ES and messaging only).
const POLICY_HISTORY: &str = "tests/scenarios/linked-policy-history-messaging.toml";

struct Case {
    name: &'static str,
    base: &'static str,
    /// Topics to decide; empty for all.
    topics: &'static [&'static str],
    set: &'static [&'static str],
    /// `topic=option` that an organisation policy requires.
    require: Option<&'static str>,
    flagged: &'static [&'static str],
}

const fn case(
    name: &'static str,
    base: &'static str,
    set: &'static [&'static str],
    flagged: &'static [&'static str],
) -> Case {
    Case {
        name,
        base,
        topics: &[],
        set,
        require: None,
        flagged,
    }
}

const SERVERLESS_CRUD: [&str; 4] = [
    "traffic_shape=spiky",
    "budget=tight",
    "team_experience=serverless,managed_queue",
    "ops_maturity=low",
];

fn cases() -> Vec<Case> {
    vec![
        case("feed as it is", FEED, &[], &[]),
        case("crud as it is", CRUD, &[], &[]),
        Case {
            topics: &["architecture", "compute-scaling"],
            ..case("relay as it is", RELAY, &[], &[])
        },
        Case {
            topics: &["cqrs-es", "messaging"],
            ..case("policy history as it is", POLICY_HISTORY, &[], &[])
        },
        // Consistency, availability and latency
        case(
            "strong writes surviving a region at 5 ms",
            FEED,
            &[
                "consistency=strong",
                "latency_p99_ms=5",
                "survive_region_failure=true",
                "rpo_minutes=0",
            ],
            &[
                "invariants-checked-against-a-cache",
                "strong-consistency-multi-region-writes-low-latency",
                "zero-rpo-with-active-passive",
            ],
        ),
        case(
            "near miss: the same at 10 ms",
            FEED,
            &[
                "consistency=strong",
                "latency_p99_ms=10",
                "survive_region_failure=true",
                "rpo_minutes=0",
            ],
            &[
                "invariants-checked-against-a-cache",
                "zero-rpo-with-active-passive",
            ],
        ),
        case(
            "strong and always writable",
            FEED,
            &["consistency=strong", "writes_merge_later=true"],
            &[
                "invariants-checked-against-a-cache",
                "strong-consistency-and-always-writable",
            ],
        ),
        case(
            "hot expensive reads win a lazy cache that must never be stale",
            FEED,
            &[
                "staleness_tolerance=none",
                "source_latency=expensive",
                "consistency=eventual",
                "latency_p99_ms=50",
            ],
            &["lazy-cache-with-no-staleness"],
        ),
        case(
            "strong consistency behind a cache",
            FEED,
            &["consistency=strong"],
            &["invariants-checked-against-a-cache"],
        ),
        case(
            "zero data loss with a standby region",
            FEED,
            &["rpo_minutes=0", "survive_region_failure=true"],
            &["zero-rpo-with-active-passive"],
        ),
        case(
            "residency and a second region",
            FEED,
            &["compliance=data_residency", "survive_region_failure=true"],
            &["data-residency-vs-cross-region-replication"],
        ),
        // Availability, budget and operations
        case(
            "four nines without on-call",
            FEED,
            &["availability_slo=99.99", "ops_maturity=low"],
            &["four-nines-without-on-call", "services-without-ops-basics"],
        ),
        case(
            "four nines on a tight budget",
            FEED,
            &["availability_slo=99.99", "budget=tight"],
            &["four-nines-on-a-tight-budget"],
        ),
        case(
            "near miss: 99.95 on a tight budget",
            FEED,
            &["availability_slo=99.95", "budget=tight"],
            &[],
        ),
        case(
            "a flaky dependency on the request path",
            FEED,
            &["dependency_reliability=flaky"],
            &["flaky-dependency-caps-availability"],
        ),
        case(
            "four nines across four synchronous calls",
            FEED,
            &["availability_slo=99.99", "sync_dependencies=4"],
            &["long-synchronous-chain-vs-four-nines"],
        ),
        // Team, services and operations
        case(
            "six engineers on microservices",
            FEED,
            &["team_size=6", "current_architecture=microservices"],
            &["small-team-many-services"],
        ),
        case("near miss: nine engineers", FEED, &["team_size=9"], &[]),
        case(
            "services without ops basics",
            FEED,
            &["ops_maturity=low"],
            &["services-without-ops-basics"],
        ),
        case(
            "microservices on one shared database",
            FEED,
            &["data_ownership=shared"],
            &["microservices-sharing-one-database"],
        ),
        case(
            "many irreversible cross-service writes",
            FEED,
            &[
                "cross_service_writes=many",
                "compensable=false",
                "can_colocate=false",
            ],
            &["irreversible-cross-service-writes"],
        ),
        Case {
            topics: &["cqrs-es", "messaging"],
            require: Some("cqrs-es=event-sourcing"),
            ..case(
                "event sourcing required for five engineers",
                POLICY_HISTORY,
                &["team_size=5"],
                &["event-sourcing-with-a-small-team"],
            )
        },
        // Serverless limits
        Case {
            topics: &["architecture", "compute-scaling"],
            require: Some("architecture=serverless"),
            ..case(
                "functions required for 30-minute jobs",
                RELAY,
                &["long_running_work=true", "longest_job_minutes=30"],
                &["serverless-with-jobs-beyond-the-time-limit"],
            )
        },
        Case {
            topics: &["architecture", "compute-scaling"],
            require: Some("architecture=serverless"),
            ..case(
                "near miss: 15-minute jobs",
                RELAY,
                &["long_running_work=true", "longest_job_minutes=15"],
                &[],
            )
        },
        case(
            "functions under a 100 ms p99",
            CRUD,
            &[
                SERVERLESS_CRUD[0],
                SERVERLESS_CRUD[1],
                SERVERLESS_CRUD[2],
                SERVERLESS_CRUD[3],
                "latency_p99_ms=100",
            ],
            &["serverless-cold-starts-vs-tight-latency"],
        ),
        case(
            "functions at 800 requests/s on PostgreSQL",
            CRUD,
            &[
                SERVERLESS_CRUD[0],
                SERVERLESS_CRUD[1],
                SERVERLESS_CRUD[2],
                SERVERLESS_CRUD[3],
                "peak_rps=800",
            ],
            &["functions-exhaust-database-connections"],
        ),
        // Messaging
        Case {
            require: Some("messaging=redis-streams"),
            ..case(
                "Redis required for messages that matter",
                FEED,
                &[],
                &["messages-that-matter-in-redis"],
            )
        },
        case(
            "one total order at 5,000 messages/s",
            FEED,
            &["ordering=global", "message_rate=5000"],
            &["global-order-at-high-message-rates"],
        ),
        case(
            "near miss: one total order at 3,000 messages/s",
            FEED,
            &["ordering=global", "message_rate=3000"],
            &[],
        ),
        // Data store, sessions and tenancy
        case(
            "hot keys on a key-value store",
            FEED,
            &[
                "data_relationships=aggregates",
                "transactions=single_record",
            ],
            &["hot-keys-on-a-partitioned-store"],
        ),
        Case {
            require: Some("session-state=stateless-tokens"),
            ..case(
                "tokens required where logout must be instant",
                FEED,
                &["instant_revocation=true"],
                &["tokens-that-must-be-revocable-at-once"],
            )
        },
        case(
            "500 tenants that each need their own stack",
            FEED,
            &[
                "multi_tenant=true",
                "tenant_isolation=all_dedicated",
                "tenant_count=500",
            ],
            &["dedicated-infrastructure-for-many-tenants"],
        ),
        case(
            "whales in a pool",
            FEED,
            &[
                "multi_tenant=true",
                "tenant_isolation=logical",
                "tenant_count=500",
                "whale_tenants=true",
            ],
            &["whale-tenants-in-a-pool"],
        ),
    ]
}

/// The answers part of a scenario file (everything before its expectations).
fn answers_of(base: &str) -> String {
    let text = std::fs::read_to_string(repo().join(base))
        .unwrap_or_else(|e| panic!("cannot read {base}: {e}"));
    match text.find("\n[expect") {
        Some(end) => text[..end].to_owned(),
        None => text,
    }
}

/// The ids of the risks `tradeoff decide` flags for one case.
fn flagged(case: &Case, scratch: &Scratch) -> Result<BTreeSet<String>, String> {
    let mut args: Vec<String> = vec!["decide".into(), "--answers".into(), "-".into()];
    for topic in case.topics {
        args.extend(["--topic".into(), (*topic).into()]);
    }
    for set in case.set {
        args.extend(["--set".into(), (*set).into()]);
    }
    if let Some(require) = case.require {
        let (topic, option) = require
            .split_once('=')
            .unwrap_or_else(|| panic!("{}: require is topic=option", case.name));
        let path = scratch.write(
            &format!("{topic}.policy.toml"),
            &format!(
                "[policy]\nname = \"test\"\n\n[[technology]]\ntopic = \"{topic}\"\noption = \"{option}\"\nstatus = \"required\"\n"
            ),
        );
        args.extend(["--policy".into(), path.display().to_string()]);
    }
    args.extend(["--format".into(), "json".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = Tradeoff::new(&args).stdin(&answers_of(case.base)).run();
    if run.code != 0 {
        return Err(format!("exit {}: {}", run.code, run.stderr));
    }
    let json: serde_json::Value =
        serde_json::from_str(&run.stdout).map_err(|e| format!("not JSON: {e}"))?;
    let risks = json["risks"]
        .as_array()
        .ok_or_else(|| "no `risks` array in the report".to_owned())?;
    Ok(risks
        .iter()
        .filter_map(|r| r["id"].as_str().map(str::to_owned))
        .collect())
}

#[test]
fn every_case_flags_exactly_its_risks() {
    let scratch = Scratch::new();
    let mut failures = String::new();
    for case in cases() {
        let expected: BTreeSet<String> = case.flagged.iter().map(|s| (*s).to_owned()).collect();
        match flagged(&case, &scratch) {
            Ok(actual) if actual == expected => {}
            Ok(actual) => failures.push_str(&format!(
                "{}: expected {expected:?}, flagged {actual:?}\n",
                case.name
            )),
            Err(e) => failures.push_str(&format!("{}: {e}\n", case.name)),
        }
    }
    assert!(failures.is_empty(), "risk cases failed:\n{failures}");
}

#[test]
fn every_built_in_risk_is_flagged_by_some_case() {
    let rb = tradeoff::builtin::rule_base().unwrap_or_else(|e| panic!("{e}"));
    let covered: BTreeSet<&str> = cases()
        .iter()
        .flat_map(|c| c.flagged.iter().copied())
        .collect();
    let missing: Vec<&str> = rb
        .risks()
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| !covered.contains(id))
        .collect();
    assert!(missing.is_empty(), "risks no case flags: {missing:?}");
    let unknown: Vec<&str> = covered
        .iter()
        .copied()
        .filter(|id| !rb.risks().iter().any(|r| r.id.as_str() == *id))
        .collect();
    assert!(
        unknown.is_empty(),
        "cases expect unknown risks: {unknown:?}"
    );
    assert!(
        (15..=25).contains(&rb.risks().len()),
        "the rule base should hold 15 to 25 risks and contradictions, found {}",
        rb.risks().len()
    );
}
