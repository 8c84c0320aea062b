//! Every user's access keys.

use super::*;
use crate::app::model::data::Fact;
use crate::app::model::table::Mark;

pub static KIND: Kind = Kind {
    view: ViewKind::Keys,
    names: &["keys", "key", "accesskeys", "ak"],
    title: "Access keys",
    columns: &[
        col("USER", 0),
        col("KEY ID", 0),
        col("STATUS", 0),
        num("AGE", 0),
        col("LAST USED", 1),
        col("SERVICE", 2),
        col("REGION", 3),
    ],
    sort: Some(0),
    lists: &[ViewKind::Users],
    pages: &[],
    rows,
    status: |d| one(&d.users),
};

fn rows(data: &AccountData, opts: RowOptions) -> Vec<Row> {
    data.keys
        .values()
        .flatten()
        .map(|k| {
            let age = days_since(k.create_date, opts.now);
            let last = data.last_used.get(&k.access_key_id);
            let mark = if k.status == KeyStatus::Active && age > opts.key_age_warn_days {
                Mark::Warn
            } else {
                Mark::Normal
            };
            Row {
                target: Some(Target::user(&k.user_name)),
                arn: None,
                cells: vec![
                    k.user_name.clone(),
                    k.access_key_id.clone(),
                    k.status.as_str().into(),
                    format!("{age}d"),
                    match last {
                        None => data
                            .unavailable(Fact::KeyLastUsed, &k.access_key_id)
                            .map_or("…", |u| u.word())
                            .into(),
                        Some(l) => l.date.map_or_else(|| "never".into(), |d| date(Some(d))),
                    },
                    last.and_then(|l| l.service.clone()).unwrap_or_default(),
                    last.and_then(|l| l.region.clone()).unwrap_or_default(),
                ],
                numbers: vec![None, None, None, Some(age), None, None, None],
                mark,
                json: shape::text(shape::access_key(k)),
                access_key: Some((k.user_name.clone(), k.access_key_id.clone())),
            }
        })
        .collect()
}
