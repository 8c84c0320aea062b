//! The account summary (GetAccountSummary): the account alias, then each count against its
//! quota.

use super::*;
use crate::app::model::table::Mark;

pub static KIND: Kind = Kind {
    view: ViewKind::Summary,
    names: &["summary", "quotas", "limits"],
    title: "Account summary",
    columns: &[col("ENTRY", 0), col("USAGE", 0), num("USED", 1)],
    sort: None,
    lists: &[ViewKind::Summary],
    pages: &[
        whole!(AccountAliases, Names, d => d.list_mut::<AccountAlias>()),
        Pages {
            call: |_| Call::AccountSummary,
            status: |d| &mut d.list_mut::<AccountSummary>().status,
            store: |d, reply| {
                if let Reply::AccountSummary(s) = reply {
                    d.list_mut().items = vec![s];
                }
                None
            },
        },
    ],
    rows: |data, _| {
        let alias = data
            .list::<AccountAlias>()
            .filter(|l| l.status == Status::Complete);
        let alias = alias.map(|l| {
            let name = l
                .items
                .first()
                .map_or("none (u sets one)", |a| a.0.as_str());
            row(
                None,
                None,
                vec!["AccountAlias".into(), name.into(), String::new()],
            )
        });
        alias
            .into_iter()
            .chain(
                data.list::<AccountSummary>()
                    .into_iter()
                    .flat_map(|l| l.items.iter().flat_map(rows)),
            )
            .collect()
    },
    status: |d| {
        let mut s = one_of::<AccountSummary>(d);
        s.extend(one_of::<AccountAlias>(d));
        s
    },
};

/// The account's alias (ListAccountAliases gives one at most).
pub struct AccountAlias(pub String);

impl From<String> for AccountAlias {
    fn from(s: String) -> Self {
        AccountAlias(s)
    }
}

/// A quota this full is worth a look; a full one is in the way.
const NEAR: i64 = 80;

/// Counts with their quota first (`Users 35 / 5000`), then limits that count nothing here
/// (`GroupsPerUserQuota`), then plain facts (`AccountMFAEnabled`).
fn rows(s: &AccountSummary) -> Vec<Row> {
    let e = &s.entries;
    let mut counted = Vec::new();
    let mut limits = Vec::new();
    let mut facts = Vec::new();
    for (key, &value) in e {
        if let Some(base) = key.strip_suffix("Quota") {
            if e.contains_key(base) {
                continue;
            }
            limits.push(row(None, None, vec![key.clone(), format!("limit {value}")]));
        } else if let Some(&quota) = e.get(&format!("{key}Quota")) {
            let percent = if quota > 0 { value * 100 / quota } else { 0 };
            let mut r = row(
                None,
                None,
                vec![
                    key.clone(),
                    format!("{value} / {quota}"),
                    format!("{percent}%"),
                ],
            );
            r.numbers[2] = Some(percent);
            r.mark = match percent {
                p if p >= 100 => Mark::Bad,
                p if p >= NEAR => Mark::Warn,
                _ => Mark::Normal,
            };
            counted.push(r);
        } else {
            facts.push(row(None, None, vec![key.clone(), value.to_string()]));
        }
    }
    for r in limits.iter_mut().chain(facts.iter_mut()) {
        r.cells.push(String::new());
        r.numbers.push(None);
    }
    counted.into_iter().chain(limits).chain(facts).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_show_against_their_quota_and_full_ones_are_marked() {
        let entries = [
            ("Users", 35),
            ("UsersQuota", 5000),
            ("Groups", 290),
            ("GroupsQuota", 300),
            ("Roles", 10),
            ("RolesQuota", 10),
            ("GroupsPerUserQuota", 10),
            ("AccountMFAEnabled", 1),
        ];
        let s = AccountSummary {
            entries: entries.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        };
        let shown: Vec<(Vec<String>, Mark)> =
            rows(&s).into_iter().map(|r| (r.cells, r.mark)).collect();
        let cells = |v: [&str; 3]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            shown,
            [
                (cells(["Groups", "290 / 300", "96%"]), Mark::Warn),
                (cells(["Roles", "10 / 10", "100%"]), Mark::Bad),
                (cells(["Users", "35 / 5000", "0%"]), Mark::Normal),
                (cells(["GroupsPerUserQuota", "limit 10", ""]), Mark::Normal),
                (cells(["AccountMFAEnabled", "1", ""]), Mark::Normal),
            ]
        );
    }
}
