//! Virtual MFA devices: create, assign with two real TOTP codes, list, deactivate, delete.

use std::sync::Arc;

use iamtui::iam::*;
use secrecy::ExposeSecret;

use super::util::*;
use crate::common::totp_codes;

fn serials(devices: &[MfaDevice]) -> Vec<String> {
    sorted(devices.iter().map(|d| d.serial_number.as_str()))
}

pub async fn virtual_mfa_lifecycle(b: Arc<dyn Backend>) {
    let account = account_id(&*b).await;
    user(&*b, "dave").await;
    let dev = b
        .create_virtual_mfa_device("dave-phone", None)
        .await
        .expect("create virtual mfa");
    let serial = format!("arn:aws:iam::{account}:mfa/dave-phone");
    assert_eq!(dev.serial_number, serial);
    assert_base32_seed(dev.seed_base32.expose_secret());
    assert!(!format!("{dev:?}").contains(dev.seed_base32.expose_secret()));

    let unassigned = b
        .list_virtual_mfa_devices(MfaAssignment::Unassigned)
        .await
        .expect("list unassigned");
    assert_eq!(serials(&unassigned), [serial.as_str()]);
    assert_eq!(unassigned[0].user_name, None);
    assert_eq!(unassigned[0].kind, MfaKind::Virtual);
    assert!(
        b.list_virtual_mfa_devices(MfaAssignment::Assigned)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(b.list_mfa_devices(Some("dave")).await.unwrap().is_empty());

    let (code1, code2) = totp_codes(dev.seed_base32.expose_secret());
    b.enable_mfa_device("dave", &serial, &code1, &code2)
        .await
        .expect("enable mfa");

    let mine = b.list_mfa_devices(Some("dave")).await.expect("dave's mfa");
    assert_eq!(serials(&mine), [serial.as_str()]);
    assert_eq!(mine[0].user_name.as_deref(), Some("dave"));
    assert_eq!(mine[0].kind, MfaKind::Virtual);
    assert_recent(mine[0].enable_date.expect("enable date"), "mfa enable_date");

    let assigned = b
        .list_virtual_mfa_devices(MfaAssignment::Assigned)
        .await
        .unwrap();
    assert_eq!(serials(&assigned), [serial.as_str()]);
    assert_eq!(assigned[0].user_name.as_deref(), Some("dave"));
    assert!(
        b.list_virtual_mfa_devices(MfaAssignment::Unassigned)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        serials(
            &b.list_virtual_mfa_devices(MfaAssignment::Any)
                .await
                .unwrap()
        ),
        [serial.as_str()]
    );

    b.deactivate_mfa_device("dave", &serial)
        .await
        .expect("deactivate");
    assert!(b.list_mfa_devices(Some("dave")).await.unwrap().is_empty());
    let unassigned = b
        .list_virtual_mfa_devices(MfaAssignment::Unassigned)
        .await
        .unwrap();
    assert_eq!(serials(&unassigned), [serial.as_str()]);
    assert_eq!(unassigned[0].user_name, None);

    b.delete_virtual_mfa_device(&serial)
        .await
        .expect("delete device");
    assert!(
        b.list_virtual_mfa_devices(MfaAssignment::Any)
            .await
            .unwrap()
            .is_empty()
    );
    assert_err!(
        b.delete_virtual_mfa_device(&serial).await,
        ErrorKind::NotFound(_)
    );
}

pub async fn mfa_errors(b: Arc<dyn Backend>) {
    b.create_virtual_mfa_device("twin", Some("/"))
        .await
        .expect("create");
    assert_err!(
        b.create_virtual_mfa_device("twin", None).await,
        ErrorKind::AlreadyExists(_)
    );
    assert_err!(
        b.list_mfa_devices(Some("ghost")).await,
        ErrorKind::NotFound(_)
    );
}
