//! Access keys and virtual MFA devices. Codes are real TOTP (RFC 6238), checked against the
//! device's seed; a code is accepted once.

use secrecy::SecretString;

use crate::iam::error::{BackendError, Result};
use crate::iam::totp;
use crate::iam::types::*;

use super::super::call::Call;
use super::super::model::{AccessKeyRecord, MfaAssignmentRecord, Secret, VirtualMfaRecord};
use super::identities::{named, new_path, user_arn};
use super::quota;

/// How many 30-second steps of clock drift IAM-style checks tolerate either side.
const DRIFT_STEPS: u64 = 10;

fn key_of(user: &str, k: &AccessKeyRecord) -> AccessKey {
    AccessKey {
        user_name: user.to_string(),
        access_key_id: k.access_key_id.clone(),
        status: k.status,
        create_date: k.create_date,
    }
}

pub fn list_access_keys(c: &mut Call<'_>, user: Option<&str>) -> Result<Vec<AccessKey>> {
    if user.is_none() && c.caller.is_root() {
        // The root's own keys are not modelled: it has none.
        return Ok(Vec::new());
    }
    let name = c.own_user(user)?;
    c.authorize("iam:ListAccessKeys", &user_arn(c, &name))?;
    let u = named(c, &c.account.users, "user", &name)?;
    Ok(u.access_keys.iter().map(|k| key_of(&u.name, k)).collect())
}

pub fn get_access_key_last_used(c: &mut Call<'_>, id: &str) -> Result<AccessKeyLastUsed> {
    let found = c.account.users.iter().find_map(|u| {
        u.access_keys
            .iter()
            .find(|k| k.access_key_id == id)
            .map(|k| (u.name.clone(), k.last_used.clone()))
    });
    let resource = match &found {
        Some((user, _)) => user_arn(c, user),
        None => "*".to_string(),
    };
    c.authorize("iam:GetAccessKeyLastUsed", &resource)?;
    match found {
        Some((_, last)) => Ok(AccessKeyLastUsed {
            date: last.date,
            service: last.service,
            region: last.region,
        }),
        None => Err(no_key(c, id)),
    }
}

pub fn create_access_key(c: &mut Call<'_>, user: Option<&str>) -> Result<NewAccessKey> {
    if user.is_none() && c.caller.is_root() {
        return c.fail(
            "ValidationError",
            "the local account's administrator identity has no access keys of its own; name a user",
        );
    }
    let name = c.own_user(user)?;
    c.authorize("iam:CreateAccessKey", &user_arn(c, &name))?;
    let u = named(c, &c.account.users, "user", &name)?;
    quota(
        c,
        u.access_keys.len(),
        super::ACCESS_KEYS_PER_USER,
        "AccessKeysPerUser",
    )?;
    let record = AccessKeyRecord {
        access_key_id: c.ids.access_key_id("AKIA"),
        secret_access_key: Secret(c.ids.secret_access_key()),
        status: KeyStatus::Active,
        create_date: c.now,
        last_used: Default::default(),
    };
    let u = &mut c.account.users[&name];
    let key = key_of(&u.name, &record);
    let secret = SecretString::from(record.secret_access_key.expose().to_string());
    u.access_keys.push(record);
    Ok(NewAccessKey {
        key,
        secret_access_key: secret,
    })
}

fn no_key(c: &Call<'_>, id: &str) -> BackendError {
    c.error(
        "NoSuchEntity",
        format!("The Access Key with id {id} cannot be found"),
    )
}

fn key_mut<'a>(c: &'a mut Call<'_>, user: &str, id: &str) -> Result<&'a mut AccessKeyRecord> {
    named(c, &c.account.users, "user", user)?;
    let missing = no_key(c, id);
    let keys = &mut c.account.users[user].access_keys;
    keys.iter_mut()
        .find(|k| k.access_key_id == id)
        .ok_or(missing)
}

pub fn update_access_key(
    c: &mut Call<'_>,
    user: Option<&str>,
    id: &str,
    status: KeyStatus,
) -> Result<()> {
    let name = c.own_user(user)?;
    c.authorize("iam:UpdateAccessKey", &user_arn(c, &name))?;
    key_mut(c, &name, id)?.status = status;
    Ok(())
}

pub fn delete_access_key(c: &mut Call<'_>, user: Option<&str>, id: &str) -> Result<()> {
    let name = c.own_user(user)?;
    c.authorize("iam:DeleteAccessKey", &user_arn(c, &name))?;
    key_mut(c, &name, id)?;
    c.account.users[&name]
        .access_keys
        .retain(|k| k.access_key_id != id);
    Ok(())
}

// --- MFA --------------------------------------------------------------------------------------

fn device_of(d: &VirtualMfaRecord) -> MfaDevice {
    MfaDevice {
        serial_number: d.serial_number.clone(),
        user_name: d.user.clone(),
        enable_date: d.enable_date,
        kind: MfaKind::Virtual,
    }
}

pub fn list_mfa_devices(c: &mut Call<'_>, user: Option<&str>) -> Result<Vec<MfaDevice>> {
    if user.is_none() && c.caller.is_root() {
        return Ok(Vec::new());
    }
    let name = c.own_user(user)?;
    c.authorize("iam:ListMFADevices", &user_arn(c, &name))?;
    let u = named(c, &c.account.users, "user", &name)?;
    Ok(u.mfa_devices
        .iter()
        .map(|m| MfaDevice {
            serial_number: m.serial_number.clone(),
            user_name: Some(u.name.clone()),
            enable_date: Some(m.enable_date),
            kind: MfaKind::from_serial(&m.serial_number),
        })
        .collect())
}

pub fn list_virtual_mfa_devices(c: &mut Call<'_>, filter: MfaAssignment) -> Result<Vec<MfaDevice>> {
    c.authorize("iam:ListVirtualMFADevices", "*")?;
    Ok(c.account
        .virtual_mfa_devices
        .iter()
        .filter(|d| match filter {
            MfaAssignment::Any => true,
            MfaAssignment::Assigned => d.user.is_some(),
            MfaAssignment::Unassigned => d.user.is_none(),
        })
        .map(device_of)
        .collect())
}

pub fn create_virtual_mfa_device(
    c: &mut Call<'_>,
    name: &str,
    path: Option<&str>,
) -> Result<NewVirtualMfa> {
    let path = new_path(c, ("virtualMFADeviceName", name, 226), path)?;
    let serial = c.arn("mfa", &path, name);
    c.authorize("iam:CreateVirtualMFADevice", &serial)?;
    if c.account.virtual_mfa_devices.contains(&serial) {
        return c.fail(
            "EntityAlreadyExists",
            "MFADevice entity at the same path and name already exists.",
        );
    }
    let seed = c.ids.totp_seed();
    c.account.virtual_mfa_devices.insert(VirtualMfaRecord {
        name: name.to_string(),
        path,
        serial_number: serial.clone(),
        seed_base32: Secret(seed.clone()),
        create_date: c.now,
        ..Default::default()
    });
    Ok(NewVirtualMfa {
        serial_number: serial,
        seed_base32: SecretString::from(seed),
    })
}

fn no_device<T>(c: &Call<'_>, serial: &str) -> Result<T> {
    c.fail(
        "NoSuchEntity",
        format!("VirtualMFADevice with serial number {serial} doesn't exist."),
    )
}

/// Whether `find` (given the device's key and the current step) finds the device's code(s) at a
/// step newer than the last one accepted, which that step then becomes: a code is good once.
fn accept_codes(
    c: &mut Call<'_>,
    serial: &str,
    find: impl FnOnce(&[u8], u64) -> Option<u64>,
) -> bool {
    let now = totp::step_at(c.now.timestamp().max(0) as u64);
    let Some(d) = c.account.virtual_mfa_devices.get_mut(serial) else {
        return false;
    };
    let step = totp::decode_seed(d.seed_base32.expose()).and_then(|key| find(&key, now));
    match step {
        Some(step) if d.last_step.is_none_or(|last| step > last) => {
            d.last_step = Some(step);
            true
        }
        _ => false,
    }
}

/// Checks two consecutive codes for a device (enable, resync) and records the step used.
fn check_two_codes(c: &mut Call<'_>, serial: &str, code1: &str, code2: &str) -> Result<()> {
    if !c.account.virtual_mfa_devices.contains(serial) {
        return no_device(c, serial);
    }
    let (code1, code2) = (code1.trim(), code2.trim());
    if accept_codes(c, serial, |key, now| {
        totp::find_consecutive(key, code1, code2, now, DRIFT_STEPS)
    }) {
        return Ok(());
    }
    c.fail(
        "InvalidAuthenticationCode",
        format!("Authentication code for device '{serial}' is not valid."),
    )
}

/// Checks one code of the device assigned to `user` (AssumeRole / GetSessionToken with MFA).
/// The code must be current (one step of drift either way) and not used before.
pub(crate) fn check_one_code(c: &mut Call<'_>, user: &str, serial: &str, code: &str) -> bool {
    let device = c.account.virtual_mfa_devices.get(serial);
    let assigned = device.and_then(|d| d.user.as_deref());
    assigned.is_some_and(|u| u.eq_ignore_ascii_case(user))
        && accept_codes(c, serial, |key, now| {
            totp::find_code(key, code.trim(), now, 1)
        })
}

pub fn enable_mfa_device(
    c: &mut Call<'_>,
    user: &str,
    serial: &str,
    code1: &str,
    code2: &str,
) -> Result<()> {
    c.authorize("iam:EnableMFADevice", &user_arn(c, user))?;
    let u = named(c, &c.account.users, "user", user)?;
    let user_name = u.name.clone();
    quota(
        c,
        u.mfa_devices.len(),
        super::MFA_DEVICES_PER_USER,
        "MFADevicesPerUser",
    )?;
    if let Some(d) = c.account.virtual_mfa_devices.get(serial)
        && d.user.is_some()
    {
        return c.fail(
            "EntityAlreadyExists",
            format!("MFA Device {serial} is already in use."),
        );
    }
    check_two_codes(c, serial, code1, code2)?;
    let now = c.now;
    let d = &mut c.account.virtual_mfa_devices[serial];
    d.user = Some(user_name.clone());
    d.enable_date = Some(now);
    c.account.users[&user_name]
        .mfa_devices
        .push(MfaAssignmentRecord {
            serial_number: serial.to_string(),
            enable_date: now,
        });
    Ok(())
}

fn assigned_to(c: &Call<'_>, user: &str, serial: &str) -> Result<()> {
    let u = named(c, &c.account.users, "user", user)?;
    if !u.mfa_devices.iter().any(|m| m.serial_number == serial) {
        return c.fail(
            "NoSuchEntity",
            format!("MFA Device with serial number {serial} does not exist for user {user}."),
        );
    }
    Ok(())
}

pub fn resync_mfa_device(
    c: &mut Call<'_>,
    user: &str,
    serial: &str,
    code1: &str,
    code2: &str,
) -> Result<()> {
    c.authorize("iam:ResyncMFADevice", &user_arn(c, user))?;
    assigned_to(c, user, serial)?;
    check_two_codes(c, serial, code1, code2)
}

pub fn deactivate_mfa_device(c: &mut Call<'_>, user: &str, serial: &str) -> Result<()> {
    c.authorize("iam:DeactivateMFADevice", &user_arn(c, user))?;
    assigned_to(c, user, serial)?;
    c.account.users[user]
        .mfa_devices
        .retain(|m| m.serial_number != serial);
    if let Some(d) = c.account.virtual_mfa_devices.get_mut(serial) {
        d.user = None;
        d.enable_date = None;
    }
    Ok(())
}

pub fn delete_virtual_mfa_device(c: &mut Call<'_>, serial: &str) -> Result<()> {
    c.authorize("iam:DeleteVirtualMFADevice", serial)?;
    let Some(d) = c.account.virtual_mfa_devices.get(serial) else {
        return no_device(c, serial);
    };
    if d.user.is_some() {
        return c.fail("DeleteConflict", "MFA Device is still in use.");
    }
    c.account.virtual_mfa_devices.remove(serial);
    Ok(())
}
