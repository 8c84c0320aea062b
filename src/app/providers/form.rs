//! The fields of the identity provider forms and IAM's rules for them (CreateSAMLProvider,
//! UpdateSAMLProvider, CreateOpenIDConnectProvider, AddClientIDToOpenIDConnectProvider,
//! UpdateOpenIDConnectProviderThumbprint in the IAM API Reference).

use crate::app::model::rules::{new_tags as tags, new_tags_of as tags_of};
use crate::app::shell::form::{Field, Form};
use crate::iam::{CreateOidcProvider, Tag};

/// IAM's SAMLMetadataDocument: 1,000 to 10,000,000 characters.
const METADATA_MIN: usize = 1000;
const METADATA_MAX: usize = 10_000_000;

fn saml_name(s: &str) -> Result<(), String> {
    crate::app::model::rules::name(s, "provider", 128, "._-")
}

fn file(s: &str) -> Result<(), String> {
    match s.is_empty() {
        true => Err("the path of the IdP's SAML metadata XML file".into()),
        false => Ok(()),
    }
}

fn url(s: &str) -> Result<(), String> {
    let Some(rest) = s.strip_prefix("https://") else {
        return Err(
            "the URL begins with https:// (https://token.actions.githubusercontent.com)".into(),
        );
    };
    if rest.trim_end_matches('/').is_empty() {
        return Err("a host follows https://".into());
    }
    if s.len() > 255 {
        return Err(format!("{} characters: the URL has at most 255", s.len()));
    }
    if s.contains(['?', '#']) {
        return Err("no query or fragment: the issuer URL, with a path at most".into());
    }
    if s.contains(char::is_whitespace) {
        return Err("a URL has no spaces".into());
    }
    Ok(())
}

/// Words separated by spaces or commas.
pub fn words(s: &str) -> Vec<String> {
    s.split([' ', ',', '\t'])
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn client_ids(s: &str) -> Result<(), String> {
    let ids = words(s);
    if ids.len() > 100 {
        return Err(format!(
            "{} client ids: a provider has at most 100",
            ids.len()
        ));
    }
    match ids.iter().find(|id| id.chars().count() > 255) {
        Some(id) => Err(format!(
            "`{}…` is longer than 255 characters",
            id.chars().take(20).collect::<String>()
        )),
        None => Ok(()),
    }
}

fn thumbprints(s: &str) -> Result<(), String> {
    let t = words(s);
    if t.len() > 5 {
        return Err(format!("{} thumbprints: a provider has at most 5", t.len()));
    }
    match t
        .iter()
        .find(|t| t.len() != 40 || !t.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        Some(bad) => Err(format!(
            "`{bad}` is not a thumbprint: 40 hexadecimal characters (a SHA-1 hash)"
        )),
        None => Ok(()),
    }
}

fn file_field() -> Field {
    Field::text("file", "Metadata file", "")
        .check(file)
        .hint("the path of the SAML metadata XML document your IdP exports (read on Enter)")
}

pub fn new_saml() -> Form {
    Form::new(vec![
        Field::text("name", "Name", "")
            .check(saml_name)
            .hint("1–128 of letters, digits and ._-: the name in the provider's ARN"),
        file_field(),
        Field::text("tags", "Tags", "")
            .check(tags)
            .hint("optional: key=value words, quoted when they hold spaces"),
    ])
}

pub fn update_saml() -> Form {
    Form::new(vec![file_field()])
}

fn client_ids_field(now: &str) -> Field {
    Field::text("client_ids", "Client ids", now)
        .check(client_ids)
        .hint("the audiences (aud), space or comma separated; at most 100 (AWS STS: sts.amazonaws.com)")
}

fn thumbprints_field(now: &str) -> Field {
    Field::text("thumbprints", "Thumbprints", now)
        .check(thumbprints)
        .hint("optional: up to 5 SHA-1 hashes of 40 hex characters of the IdP's certificate")
}

pub fn new_oidc() -> Form {
    Form::new(vec![
        Field::text("url", "URL", "https://")
            .check(url)
            .hint("the issuer: https:// and a host, a path at most (no query), ≤255 characters"),
        client_ids_field("sts.amazonaws.com"),
        thumbprints_field(""),
        Field::text("tags", "Tags", "")
            .check(tags)
            .hint("optional: key=value words, quoted when they hold spaces"),
    ])
}

pub fn update_oidc(client_ids: &[String], thumbprints: &[String]) -> Form {
    Form::new(vec![
        client_ids_field(&client_ids.join(" ")),
        thumbprints_field(&thumbprints.join(" ")),
    ])
}

pub fn read_oidc(form: &Form) -> CreateOidcProvider {
    CreateOidcProvider {
        url: form.get("url"),
        client_ids: words(&form.get("client_ids")),
        thumbprints: words(&form.get("thumbprints")),
        tags: tags_of(&form.get("tags")),
    }
}

pub fn read_tags(form: &Form) -> Vec<Tag> {
    tags_of(&form.get("tags"))
}

/// The metadata document at `path` (`~/` is the home directory), or what is wrong with it.
pub fn read_metadata(path: &str) -> Result<String, String> {
    let expanded = match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => std::path::Path::new(&home).join(rest),
        _ => std::path::PathBuf::from(path),
    };
    let text = std::fs::read_to_string(&expanded).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::InvalidData => "not text (UTF-8)".to_string(),
            _ => e.to_string().to_lowercase(),
        };
        format!("cannot read `{path}`: {why}")
    })?;
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if !body.starts_with('<') || !text.contains("EntityDescriptor") {
        return Err(format!(
            "`{path}` is not SAML metadata: an XML document with an EntityDescriptor element"
        ));
    }
    let n = text.chars().count();
    if !(METADATA_MIN..=METADATA_MAX).contains(&n) {
        return Err(format!(
            "{n} characters: IAM takes a metadata document of 1,000 to 10,000,000"
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iams_rules_are_checked_as_typed() {
        assert!(saml_name("Okta_2.corp-idp").is_ok());
        assert!(saml_name("has space").is_err());
        assert!(saml_name(&"a".repeat(129)).is_err());
        assert!(url("https://token.actions.githubusercontent.com").is_ok());
        assert!(url("http://example.com").is_err());
        assert!(url("https://example.com/?a=1").is_err());
        assert!(url(&format!("https://{}", "a".repeat(250))).is_err());
        assert!(client_ids("sts.amazonaws.com, my-app").is_ok());
        assert_eq!(words("a, b  c,d"), ["a", "b", "c", "d"]);
        assert!(client_ids(&"a ".repeat(101)).is_err());
        assert!(client_ids(&"x".repeat(256)).is_err());
        assert!(thumbprints("").is_ok());
        assert!(thumbprints(&"a1".repeat(20)).is_ok());
        assert!(thumbprints("abc").is_err());
        assert!(thumbprints(&"g".repeat(40)).is_err());
        assert!(thumbprints(&format!("{} ", "a".repeat(40)).repeat(6)).is_err());
    }

    #[test]
    fn a_metadata_file_must_be_readable_xml_of_iams_size() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none.xml");
        let e = read_metadata(missing.to_str().unwrap()).unwrap_err();
        assert!(e.contains("no such file"), "{e}");
        let json = dir.path().join("idp.json");
        std::fs::write(&json, "{\"not\": \"xml\"}").unwrap();
        let e = read_metadata(json.to_str().unwrap()).unwrap_err();
        assert!(e.contains("not SAML metadata"), "{e}");
        let short = dir.path().join("short.xml");
        std::fs::write(&short, "<md:EntityDescriptor/>").unwrap();
        let e = read_metadata(short.to_str().unwrap()).unwrap_err();
        assert!(e.contains("1,000 to 10,000,000"), "{e}");
    }
}
