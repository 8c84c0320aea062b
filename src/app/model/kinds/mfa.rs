//! Every MFA device of the account.

use super::*;
use crate::app::model::table::Mark;

pub static KIND: Kind = Kind {
    view: ViewKind::Mfa,
    names: &["mfa", "mfadevices", "devices"],
    title: "MFA devices",
    columns: &[
        col("SERIAL", 0),
        col("TYPE", 1),
        col("USER", 0),
        col("ENABLED", 2),
    ],
    sort: Some(0),
    lists: &[ViewKind::Users, ViewKind::Mfa],
    pages: &[whole!(ListVirtualMfa, MfaDevices, d => d.virtual_mfa)],
    rows: |data, _| {
        data.all_mfa()
            .iter()
            .map(|d| {
                let mut r = row(
                    d.user_name.clone().map(Target::user),
                    d.serial_number
                        .starts_with("arn:")
                        .then(|| d.serial_number.clone()),
                    vec![
                        d.serial_number.clone(),
                        match d.kind {
                            MfaKind::Virtual => "virtual",
                            MfaKind::SecurityKey => "security key",
                            MfaKind::Hardware => "hardware",
                        }
                        .into(),
                        d.user_name.clone().unwrap_or_else(|| "(unassigned)".into()),
                        date(d.enable_date),
                    ],
                );
                if d.user_name.is_none() {
                    r.mark = Mark::Warn;
                }
                r.json = shape::text(shape::mfa(d));
                r
            })
            .collect()
    },
    status: |d| vec![d.users.status.clone(), d.virtual_mfa.status.clone()],
};
