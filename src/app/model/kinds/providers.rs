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
    lists: &[ViewKind::Providers],
    pages: &[
        whole!(ListSamlProviders, SamlProviders, d => d.list_mut::<SamlProvider>()),
        whole!(ListOidcProviders, OidcProviders, d => d.list_mut::<OidcProvider>()),
    ],
    rows: |data, _| {
        let saml = data
            .list::<SamlProvider>()
            .into_iter()
            .flat_map(|l| &l.items);
        let saml = saml.map(|p| {
            let mut r = row(
                Some(Target::of_kind(&DETAIL, &p.arn)),
                Some(p.arn.clone()),
                vec![
                    name(&p.arn).to_string(),
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
        let oidc = data
            .list::<OidcProvider>()
            .into_iter()
            .flat_map(|l| &l.items);
        let oidc = oidc.map(|p| {
            let mut r = row(
                Some(Target::of_kind(&DETAIL, &p.arn)),
                Some(p.arn.clone()),
                vec![
                    name(&p.arn).to_string(),
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
    status: |d| [one_of::<SamlProvider>(d), one_of::<OidcProvider>(d)].concat(),
};

main_reply!(SamlProvider, Saml);

main_reply!(OidcProvider, Oidc);

pub static DETAIL: DetailKind = DetailKind {
    view: ViewKind::Providers,
    noun: "provider",
    name,
    entity: None,
    tabs: &[Tab::TrustedBy, Tab::Json],
    // The roles come with their trust policies from ListRoles: those naming the provider as
    // a `Federated` principal trust it (the Trusted by tab, and the delete's warning).
    calls: |arn| {
        let main = match saml(arn) {
            true => Call::GetSamlProvider { arn: arn.into() },
            false => Call::GetOidcProvider { arn: arn.into() },
        };
        vec![
            (Part::Main, main),
            (Part::TrustedBy, Call::ListRoles { marker: None }),
        ]
    },
    facts: |d| {
        let arn = d
            .main::<SamlProvider>()
            .map(|p| (p.arn.clone(), p.create_date))
            .or_else(|| {
                d.main::<OidcProvider>()
                    .map(|p| (p.arn.clone(), p.create_date))
            });
        vec![
            ("ARN", fact(d, Part::Main, arn.as_ref(), |a| a.0.clone())),
            ("Created", fact(d, Part::Main, arn.as_ref(), |a| date(a.1))),
        ]
    },
    json: |d| {
        d.main::<SamlProvider>()
            .map(shape::saml)
            .or_else(|| d.main::<OidcProvider>().map(shape::oidc))
            .unwrap_or(Value::Object(Default::default()))
    },
    // IAM deletes a provider roles still trust; the confirmation names them (detail::warnings).
    delete: |arn| match saml(arn) {
        true => Ok(Call::DeleteSamlProvider { arn: arn.into() }),
        false => Ok(Call::DeleteOidcProvider { arn: arn.into() }),
    },
    tags: |arn| match saml(arn) {
        true => Ok(TagTarget::SamlProvider(arn.into())),
        false => Ok(TagTarget::OidcProvider(arn.into())),
    },
};

/// A provider's name: what follows the resource type in its ARN (an OIDC provider's URL
/// without `https://`, which may hold slashes).
fn name(arn: &str) -> &str {
    arn.split_once('/').map_or(arn, |x| x.1)
}

fn saml(arn: &str) -> bool {
    arn.contains(":saml-provider/")
}
