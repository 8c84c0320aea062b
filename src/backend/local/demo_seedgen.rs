// Throwaway: writes data/demo/account.json from the Rust-built demo account.
use chrono::{Duration, TimeZone, Utc};

use super::*;

struct G {
    now: Timestamp,
    fills: Vec<(String, String)>,
}

fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

impl G {
    fn t(&self, s: &str) -> String {
        let mut s = s.to_string();
        for (a, b) in &self.fills {
            s = s.replace(a.as_str(), b);
        }
        s
    }
    fn s(&self, s: &str) -> String {
        q(&self.t(s))
    }
    fn rel(&self, t: Timestamp) -> String {
        let d = t - self.now;
        let sign = if d < Duration::zero() { '-' } else { '+' };
        let mut secs = d.num_seconds().abs();
        assert_eq!(d.subsec_nanos(), 0, "{t}");
        let days = secs / 86400;
        secs %= 86400;
        let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
        let mut out = format!("{sign}");
        if days > 0 {
            out += &format!("{days}d");
        }
        if h > 0 {
            out += &format!("{h}h");
        }
        if m > 0 {
            out += &format!("{m}m");
        }
        if s > 0 {
            out += &format!("{s}s");
        }
        if out.len() == 1 {
            out += "0s";
        }
        q(&out)
    }
    fn doc(&self, text: &str, indent: usize) -> String {
        let pad = " ".repeat(indent);
        self.t(text)
            .lines()
            .enumerate()
            .map(|(i, l)| {
                if i == 0 || l.is_empty() {
                    l.to_string()
                } else {
                    format!("{pad}{l}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
    fn list(&self, items: &[String]) -> String {
        format!(
            "[{}]",
            items.iter().map(|i| self.s(i)).collect::<Vec<_>>().join(", ")
        )
    }
    fn tags(&self, tags: &[Tag]) -> String {
        format!(
            "{{{}}}",
            tags.iter()
                .map(|t| format!("{}: {}", q(&t.key), self.s(&t.value)))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
    fn last_used(&self, l: &LastUsed) -> Option<String> {
        let date = l.date?;
        let mut parts = vec![format!("\"date\": {}", self.rel(date))];
        if let Some(s) = &l.service {
            parts.push(format!("\"service\": {}", q(s)));
        }
        if let Some(r) = &l.region {
            parts.push(format!("\"region\": {}", q(r)));
        }
        Some(format!("{{{}}}", parts.join(", ")))
    }
    fn inline(&self, t: &Table<InlinePolicyRecord>, indent: usize) -> String {
        let pad = " ".repeat(indent);
        let items: Vec<String> = t
            .iter()
            .map(|p| {
                format!(
                    "{pad}    {}: {}",
                    q(&p.name),
                    self.doc(&p.document, indent + 4)
                )
            })
            .collect();
        format!("{{\n{}\n{pad}}}", items.join(",\n"))
    }
}

fn object(fields: Vec<String>, indent: usize) -> String {
    let pad = " ".repeat(indent);
    format!(
        "{pad}{{\n{}\n{pad}}}",
        fields
            .iter()
            .map(|f| format!("{pad}    {f}"))
            .collect::<Vec<_>>()
            .join(",\n")
    )
}

pub(super) fn seed(now: Timestamp, a: &Account) -> String {
    let uuid_in = |text: &str| -> String {
        let b = text.as_bytes();
        for i in 0..b.len().saturating_sub(36) {
            let c = &text[i..i + 36];
            if c.chars().enumerate().all(|(j, ch)| {
                if [8, 13, 18, 23].contains(&j) {
                    ch == '-'
                } else {
                    ch.is_ascii_hexdigit() && !ch.is_ascii_uppercase()
                }
            }) {
                return c.to_string();
            }
        }
        panic!("no uuid")
    };
    let external = uuid_in(&a.roles.get("VendorMonitoringRole").unwrap().assume_role_policy);
    let backup = uuid_in(a.policies.get("BackupWriter").unwrap().default_document().unwrap());
    let app = uuid_in(
        &a.roles
            .get("WebAppInstanceRole")
            .unwrap()
            .inline_policies
            .get("ReadAppConfig")
            .unwrap()
            .document,
    );
    let g = G {
        now,
        fills: vec![
            (a.account_id.clone(), "{account}".into()),
            (external, "{uuid:external-id}".into()),
            (backup, "{uuid:backup-key}".into()),
            (app, "{uuid:app-config-key}".into()),
            (
                (now - Duration::days(30)).format("%Y-%m-%d").to_string(),
                "{date:-30d}".into(),
            ),
            (
                (now + Duration::days(75)).format("%Y-%m-%d").to_string(),
                "{date:+75d}".into(),
            ),
        ],
    };
    let mut top = Vec::new();
    top.push(format!("\"created\": {}", g.rel(a.created)));
    top.push(format!("\"aliases\": {}", g.list(&a.aliases)));
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    serde::Serialize::serialize(a.password_policy.as_ref().unwrap(), &mut ser).unwrap();
    let pp = String::from_utf8(buf).unwrap();
    top.push(format!("\"password_policy\": {}", g.doc(&pp, 4)));

    let policies: Vec<String> = a
        .policies
        .iter()
        .map(|p| {
            let versions: Vec<String> = p
                .versions
                .iter()
                .map(|v| {
                    object(
                        vec![
                            format!("\"id\": {}", q(&v.version_id)),
                            format!("\"created\": {}", g.rel(v.create_date)),
                            format!("\"document\": {}", g.doc(&v.document, 20)),
                        ],
                        16,
                    )
                })
                .collect();
            let next: u32 = p.versions.last().unwrap().version_id[1..].parse::<u32>().unwrap() + 1;
            assert_eq!(next, p.next_version);
            assert_eq!(
                p.update_date,
                p.versions
                    .iter()
                    .find(|v| v.version_id == p.default_version_id)
                    .unwrap()
                    .create_date
            );
            object(
                vec![
                    format!("\"name\": {}", q(&p.name)),
                    format!("\"path\": {}", q(&p.path)),
                    format!("\"created\": {}", g.rel(p.create_date)),
                    format!("\"description\": {}", q(p.description.as_deref().unwrap())),
                    format!("\"tags\": {}", g.tags(&p.tags)),
                    format!("\"default_version\": {}", q(&p.default_version_id)),
                    format!("\"versions\": [\n{}\n            ]", versions.join(",\n")),
                ],
                8,
            )
        })
        .collect();
    top.push(format!("\"policies\": [\n{}\n    ]", policies.join(",\n")));

    let groups: Vec<String> = a
        .groups
        .iter()
        .map(|gr| {
            let mut f = vec![
                format!("\"name\": {}", q(&gr.name)),
                format!("\"path\": {}", q(&gr.path)),
                format!("\"created\": {}", g.rel(gr.create_date)),
                format!("\"attached\": {}", g.list(&gr.attached_policies)),
            ];
            if !gr.inline_policies.is_empty() {
                f.push(format!("\"inline\": {}", g.inline(&gr.inline_policies, 12)));
            }
            object(f, 8)
        })
        .collect();
    top.push(format!("\"groups\": [\n{}\n    ]", groups.join(",\n")));

    let users: Vec<String> = a
        .users
        .iter()
        .map(|u| {
            let mut f = vec![
                format!("\"name\": {}", q(&u.name)),
                format!("\"path\": {}", q(&u.path)),
                format!("\"created\": {}", g.rel(u.create_date)),
                format!("\"tags\": {}", g.tags(&u.tags)),
            ];
            if !u.groups.is_empty() {
                f.push(format!("\"groups\": {}", g.list(&u.groups)));
            }
            match &u.login_profile {
                Some(l) => {
                    let mut p = vec![format!("\"created\": {}", g.rel(l.create_date))];
                    if let Some(d) = u.password_last_used {
                        p.push(format!("\"last_used\": {}", g.rel(d)));
                    }
                    if l.password_reset_required {
                        p.push("\"reset_required\": true".into());
                    }
                    f.push(format!("\"password\": {{{}}}", p.join(", ")));
                }
                None => assert!(u.password_last_used.is_none()),
            }
            assert!(u.mfa_devices.len() <= 1);
            if let Some(m) = u.mfa_devices.first() {
                let d = a.virtual_mfa_devices.get(&m.serial_number).unwrap();
                assert_eq!(d.name, u.name);
                assert_eq!(d.path, "/");
                assert_eq!(d.enable_date, Some(m.enable_date));
                assert!(d.tags.is_empty());
                assert_eq!(m.serial_number, iam_arn(&a.account_id, "mfa", "/", &u.name));
                f.push(format!(
                    "\"mfa\": {{\"created\": {}, \"enabled\": {}}}",
                    g.rel(d.create_date),
                    g.rel(m.enable_date)
                ));
            }
            if !u.access_keys.is_empty() {
                let keys: Vec<String> = u
                    .access_keys
                    .iter()
                    .map(|k| {
                        let mut p = vec![format!("\"created\": {}", g.rel(k.create_date))];
                        if k.status == KeyStatus::Inactive {
                            p.push("\"status\": \"Inactive\"".into());
                        }
                        if let Some(l) = g.last_used(&k.last_used) {
                            p.push(format!("\"last_used\": {l}"));
                        }
                        format!("                {{{}}}", p.join(", "))
                    })
                    .collect();
                f.push(format!("\"access_keys\": [\n{}\n            ]", keys.join(",\n")));
            }
            if !u.attached_policies.is_empty() {
                f.push(format!("\"attached\": {}", g.list(&u.attached_policies)));
            }
            if !u.inline_policies.is_empty() {
                f.push(format!("\"inline\": {}", g.inline(&u.inline_policies, 12)));
            }
            if let Some(b) = &u.permissions_boundary {
                f.push(format!("\"boundary\": {}", g.s(b)));
            }
            object(f, 8)
        })
        .collect();
    top.push(format!("\"users\": [\n{}\n    ]", users.join(",\n")));

    let roles: Vec<String> = a
        .roles
        .iter()
        .map(|r| {
            let mut f = vec![
                format!("\"name\": {}", q(&r.name)),
                format!("\"path\": {}", q(&r.path)),
                format!("\"created\": {}", g.rel(r.create_date)),
                format!("\"description\": {}", q(r.description.as_deref().unwrap())),
            ];
            if r.max_session_duration != 3600 {
                f.push(format!("\"max_session_duration\": {}", r.max_session_duration));
            }
            if !r.tags.is_empty() {
                f.push(format!("\"tags\": {}", g.tags(&r.tags)));
            }
            let profile = a.instance_profiles.get(&r.name);
            if let Some(p) = profile {
                assert_eq!(p.roles, [r.name.clone()]);
                assert_eq!((&p.path, p.create_date), (&r.path, r.create_date));
                f.push("\"instance_profile\": true".into());
            }
            f.push(format!("\"trust\": {}", g.doc(&r.assume_role_policy, 12)));
            if !r.attached_policies.is_empty() {
                f.push(format!("\"attached\": {}", g.list(&r.attached_policies)));
            }
            if !r.inline_policies.is_empty() {
                f.push(format!("\"inline\": {}", g.inline(&r.inline_policies, 12)));
            }
            if let Some(b) = &r.permissions_boundary {
                f.push(format!("\"boundary\": {}", g.s(b)));
            }
            if let Some(l) = g.last_used(&r.last_used) {
                f.push(format!("\"last_used\": {l}"));
            }
            object(f, 8)
        })
        .collect();
    top.push(format!("\"roles\": [\n{}\n    ]", roles.join(",\n")));

    let devices: Vec<String> = a
        .virtual_mfa_devices
        .iter()
        .filter(|d| d.user.is_none())
        .map(|d| {
            assert!(d.tags.is_empty() && d.enable_date.is_none());
            assert_eq!(d.serial_number, iam_arn(&a.account_id, "mfa", &d.path, &d.name));
            format!(
                "        {{\"name\": {}, \"path\": {}, \"created\": {}}}",
                q(&d.name),
                q(&d.path),
                g.rel(d.create_date)
            )
        })
        .collect();
    top.push(format!(
        "\"unassigned_mfa_devices\": [\n{}\n    ]",
        devices.join(",\n")
    ));

    let saml: Vec<String> = a
        .saml_providers
        .iter()
        .map(|s| {
            let doc = &s.metadata_document;
            let attr = |name: &str| {
                let start = doc.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                doc[start..start + doc[start..].find('"').unwrap()].to_string()
            };
            let vu = s.valid_until.unwrap();
            let rel_vu = whole_seconds(now + Duration::days(3 * 365));
            assert_eq!(vu, rel_vu);
            object(
                vec![
                    format!("\"name\": {}", q(&s.name)),
                    format!("\"entity_id\": {}", q(&attr("entityID"))),
                    format!("\"sso_url\": {}", q(&attr("Location"))),
                    format!("\"created\": {}", g.rel(s.create_date)),
                    "\"valid_until\": \"+1095d\"".into(),
                    format!("\"tags\": {}", g.tags(&s.tags)),
                ],
                8,
            )
        })
        .collect();
    top.push(format!("\"saml_providers\": [\n{}\n    ]", saml.join(",\n")));
    let oidc: Vec<String> = a
        .oidc_providers
        .iter()
        .map(|o| {
            object(
                vec![
                    format!("\"url\": {}", q(&o.url)),
                    format!("\"client_ids\": {}", g.list(&o.client_ids)),
                    format!("\"thumbprints\": {}", g.list(&o.thumbprints)),
                    format!("\"created\": {}", g.rel(o.create_date)),
                    format!("\"tags\": {}", g.tags(&o.tags)),
                ],
                8,
            )
        })
        .collect();
    top.push(format!("\"oidc_providers\": [\n{}\n    ]", oidc.join(",\n")));
    format!("{}\n", object(top, 0))
}

#[test]
fn write_seed() {
    let now = Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap();
    let a = built_demo_account(now);
    let text = seed(now, &a);
    std::fs::create_dir_all("data/demo").unwrap();
    std::fs::write("data/demo/account.json", text).unwrap();
}

fn normalised(account: &Account) -> String {
    use std::collections::BTreeMap;
    let mut text = serde_json::to_string_pretty(account).unwrap();
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    map.insert(account.account_id.clone(), "123456789012".into());
    let mut n = 0;
    let mut fixed = |prefix: &str, len: usize, map: &mut BTreeMap<String, String>, old: &str| {
        n += 1;
        let digits = format!("{n:0width$}", width = len - prefix.len());
        map.insert(old.to_string(), format!("{prefix}{digits}"));
    };
    for u in account.users.iter() {
        fixed("AIDA", 21, &mut map, &u.user_id);
        for k in &u.access_keys {
            fixed("AKIA", 20, &mut map, &k.access_key_id);
            map.insert(k.secret_access_key.expose().to_string(), "S".repeat(40));
        }
    }
    for g in account.groups.iter() {
        fixed("AGPA", 21, &mut map, &g.group_id);
    }
    for r in account.roles.iter() {
        fixed("AROA", 21, &mut map, &r.role_id);
    }
    for p in account.policies.iter() {
        fixed("ANPA", 21, &mut map, &p.policy_id);
    }
    for p in account.instance_profiles.iter() {
        fixed("AIPA", 21, &mut map, &p.instance_profile_id);
    }
    for d in account.virtual_mfa_devices.iter() {
        map.insert(d.seed_base32.expose().to_string(), "JBSWY3DPEHPK3PXP".repeat(4));
    }
    let ext = |t: &str| {
        let b = t.as_bytes();
        (0..b.len().saturating_sub(36))
            .map(|i| &t[i..i + 36])
            .filter(|c| {
                c.chars().enumerate().all(|(j, ch)| {
                    if [8, 13, 18, 23].contains(&j) {
                        ch == '-'
                    } else {
                        ch.is_ascii_hexdigit() && !ch.is_ascii_uppercase()
                    }
                })
            })
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    for (i, u) in ext(&text).into_iter().enumerate() {
        map.insert(u, format!("UUID{i}"));
    }
    for s in account.saml_providers.iter() {
        let d = &s.metadata_document;
        let a = d.find("<ds:X509Certificate>").unwrap();
        let b = d.find("</ds:X509Certificate>").unwrap();
        let cert = serde_json::to_string(&d[a..b]).unwrap();
        map.insert(cert[1..cert.len() - 1].to_string(), "CERT".into());
    }
    for (old, new) in &map {
        text = text.replace(old.as_str(), new);
    }
    text
}

#[test]
fn the_seed_loads_the_built_account() {
    for now in [
        Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap(),
        Utc::now(),
        Utc.with_ymd_and_hms(2024, 2, 29, 23, 59, 59).unwrap() + Duration::nanoseconds(123_456_789),
    ] {
        let old = built_demo_account(now);
        let new = demo_account_with(now, &super::names::SequentialIds::new());
        let (o, n) = (normalised(&old), normalised(&new));
        if o != n {
            std::fs::write("/tmp/demo-old.json", &o).unwrap();
            std::fs::write("/tmp/demo-new.json", &n).unwrap();
            panic!("differ at {now}");
        }
        let new_random = demo_account(now);
        assert_eq!(normalised(&new_random), n);
    }
}
