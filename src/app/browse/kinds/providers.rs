//! SAML and OIDC identity providers.

use serde_json::Value;

use super::*;

pub static KIND: Kind = Kind {
    view: ViewKind::Providers,
    names: &["providers", "provider", "idp", "idps"],
    title: "Identity providers",
    columns: &[
        col("NAME", 0),
        col("TYPE", 0),
        col("CREATED", 2),
        col("DETAIL", 1),
    ],
    sort: Some(0),
    lists: &[],
    pages: None,
    rows: |data, _| {
        let saml = data.saml.items.iter().map(|p| {
            let mut r = row(
                Some(Target::SamlProvider(p.arn.clone())),
                Some(p.arn.clone()),
                vec![
                    p.arn.rsplit('/').next().unwrap_or(&p.arn).to_string(),
                    "SAML".into(),
                    date(p.create_date),
                    p.valid_until
                        .map(|v| format!("valid until {}", date(Some(v))))
                        .unwrap_or_default(),
                ],
            );
            r.json = shape::text(shape::saml(p));
            r
        });
        let oidc = data.oidc.items.iter().map(|p| {
            let mut r = row(
                Some(Target::OidcProvider(p.arn.clone())),
                Some(p.arn.clone()),
                vec![
                    p.arn
                        .split_once(":oidc-provider/")
                        .map_or(p.arn.as_str(), |x| x.1)
                        .to_string(),
                    "OIDC".into(),
                    date(p.create_date),
                    p.client_ids.join(", "),
                ],
            );
            r.json = shape::text(shape::oidc(p));
            r
        });
        saml.chain(oidc).collect()
    },
    status: |d| vec![d.saml.status.clone(), d.oidc.status.clone()],
};

pub static DETAIL: DetailKind = DetailKind {
    view: ViewKind::Providers,
    tabs: &[Tab::Json],
    calls: |target| match target {
        Target::SamlProvider(arn) => {
            vec![(Part::Main, Call::GetSamlProvider { arn: arn.clone() })]
        }
        Target::OidcProvider(arn) => {
            vec![(Part::Main, Call::GetOidcProvider { arn: arn.clone() })]
        }
        _ => Vec::new(),
    },
    facts: |d| {
        let arn = d
            .saml
            .as_ref()
            .map(|p| (p.arn.clone(), p.create_date))
            .or_else(|| d.oidc.as_ref().map(|p| (p.arn.clone(), p.create_date)));
        vec![
            ("ARN", fact(d, Part::Main, arn.as_ref(), |a| a.0.clone())),
            ("Created", fact(d, Part::Main, arn.as_ref(), |a| date(a.1))),
        ]
    },
    json: |d| {
        d.saml
            .as_ref()
            .map(shape::saml)
            .or_else(|| d.oidc.as_ref().map(shape::oidc))
            .unwrap_or(Value::Object(Default::default()))
    },
    blockers: |_| Vec::new(),
};
