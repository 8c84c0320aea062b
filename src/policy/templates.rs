//! Starting points for a new policy, formatted as [`super::format::format_policy`] formats.
//! Placeholders use the names AWS documentation reserves for examples (account
//! `111122223333`, bucket `amzn-s3-demo-bucket`), so nothing real is granted by accident.

use super::validate::PolicyType;

pub struct Template {
    pub name: &'static str,
    pub description: &'static str,
    pub policy_type: PolicyType,
    pub text: &'static str,
}

const TEMPLATES: &[Template] = &[
    Template {
        name: "empty",
        description: "one Allow statement to fill in",
        policy_type: PolicyType::Identity,
        text: r#"{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Statement1",
            "Effect": "Allow",
            "Action": [
                "s3:ListAllMyBuckets"
            ],
            "Resource": "*"
        }
    ]
}
"#,
    },
    Template {
        name: "read-only",
        description: "Describe, Get and List on a few services",
        policy_type: PolicyType::Identity,
        text: r#"{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ReadOnly",
            "Effect": "Allow",
            "Action": [
                "ec2:Describe*",
                "s3:GetBucketLocation",
                "s3:ListAllMyBuckets",
                "iam:GetAccountSummary",
                "iam:ListRoles",
                "cloudwatch:GetMetricData",
                "cloudwatch:ListMetrics",
                "logs:DescribeLogGroups"
            ],
            "Resource": "*"
        }
    ]
}
"#,
    },
    Template {
        name: "s3-bucket",
        description: "list one bucket, read and write its objects",
        policy_type: PolicyType::Identity,
        text: r#"{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ListTheBucket",
            "Effect": "Allow",
            "Action": [
                "s3:ListBucket"
            ],
            "Resource": "arn:aws:s3:::amzn-s3-demo-bucket"
        },
        {
            "Sid": "ReadWriteObjects",
            "Effect": "Allow",
            "Action": [
                "s3:GetObject",
                "s3:PutObject",
                "s3:DeleteObject"
            ],
            "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"
        }
    ]
}
"#,
    },
    Template {
        name: "cross-account-trust",
        description: "another account may assume the role with an ExternalId",
        policy_type: PolicyType::Trust,
        text: r#"{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "TrustPartnerWithExternalId",
            "Effect": "Allow",
            "Principal": {
                "AWS": "arn:aws:iam::111122223333:root"
            },
            "Action": "sts:AssumeRole",
            "Condition": {
                "StringEquals": {
                    "sts:ExternalId": "replace-with-a-shared-secret"
                }
            }
        }
    ]
}
"#,
    },
    Template {
        name: "mfa-trust",
        description: "the account's users may assume the role with MFA used within the hour",
        policy_type: PolicyType::Trust,
        text: r#"{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "TrustUsersWithRecentMfa",
            "Effect": "Allow",
            "Principal": {
                "AWS": "arn:aws:iam::111122223333:root"
            },
            "Action": "sts:AssumeRole",
            "Condition": {
                "Bool": {
                    "aws:MultiFactorAuthPresent": "true"
                },
                "NumericLessThan": {
                    "aws:MultiFactorAuthAge": "3600"
                }
            }
        }
    ]
}
"#,
    },
];

pub fn templates() -> &'static [Template] {
    TEMPLATES
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Severity;
    use crate::policy::validate::{Options, validate};

    #[test]
    fn templates_are_formatted_and_valid() {
        for t in templates() {
            assert_eq!(
                crate::policy::format::format_policy(t.text).unwrap(),
                t.text,
                "{} is not formatted",
                t.name
            );
            let report = validate(t.text, &Options::new(t.policy_type));
            let bad: Vec<_> = report
                .findings
                .iter()
                .filter(|f| matches!(f.severity, Severity::Error | Severity::SecurityWarning))
                .collect();
            assert!(bad.is_empty(), "{}: {bad:?}", t.name);
        }
    }

    #[test]
    fn the_issue_s_templates_exist() {
        let names: Vec<&str> = templates().iter().map(|t| t.name).collect();
        for n in [
            "empty",
            "read-only",
            "s3-bucket",
            "cross-account-trust",
            "mfa-trust",
        ] {
            assert!(names.contains(&n), "{n}");
        }
    }
}
