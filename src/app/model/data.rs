//! What the console has loaded from the account, shared by every view. Lists fill a page at a
//! time; per-user and per-group facts (keys, MFA devices, memberships) arrive from bounded
//! fan-outs. Every change bumps `version`, so views know when to rebuild their rows.

use std::any::{Any, TypeId};
use std::collections::{BTreeMap, HashMap};

use crate::iam::*;

/// Where a list's load stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Status {
    #[default]
    Idle,
    /// Pages are arriving.
    Loading,
    Complete,
    /// The call that failed, in words (the message names the operation and the reason).
    Failed(String),
}

impl Status {
    pub fn started(&self) -> bool {
        !matches!(self, Status::Idle)
    }
}

#[derive(Debug, Clone)]
pub struct List<T> {
    pub items: Vec<T>,
    pub status: Status,
}

impl<T> Default for List<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            status: Status::Idle,
        }
    }
}

/// Why a value is not shown: the call for it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailable {
    /// The caller's policies do not allow the call.
    Denied,
    /// Any other failure.
    Failed,
}

impl Unavailable {
    pub fn of(e: &BackendError) -> Self {
        match e.kind {
            ErrorKind::AccessDenied { .. } => Self::Denied,
            _ => Self::Failed,
        }
    }

    /// What a cell shows instead of the value.
    pub fn word(self) -> &'static str {
        match self {
            Self::Denied => "denied",
            Self::Failed => "n/a",
        }
    }
}

/// A per-entity fact loaded by its own call, whose failure is remembered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fact {
    /// The credential report (one for the account: its key is empty).
    Report,
    Keys,
    Mfa,
    Members,
    KeyLastUsed,
}

/// Progress of a fan-out over many entities: done of total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub failed: usize,
}

impl Progress {
    pub fn running(&self) -> bool {
        self.done < self.total
    }
}

#[derive(Debug, Default)]
pub struct AccountData {
    pub version: u64,
    pub users: List<User>,
    pub groups: List<Group>,
    pub roles: List<Role>,
    pub policies: List<ManagedPolicy>,
    /// The credential report: key counts, ages, MFA and password use for every user in one
    /// call.
    pub report: Option<CredentialReport>,
    pub report_status: Status,
    /// Members of each group (from GetGroup), for the users' Groups column.
    pub members: HashMap<String, Vec<String>>,
    pub members_progress: Progress,
    /// Access keys of each user (ListAccessKeys per user) and each key's last use.
    pub keys: BTreeMap<String, Vec<AccessKey>>,
    pub keys_progress: Progress,
    pub last_used: HashMap<String, AccessKeyLastUsed>,
    /// Every MFA device: virtual ones from the account list, others from each user's list.
    pub virtual_mfa: List<MfaDevice>,
    pub user_mfa: HashMap<String, Vec<MfaDevice>>,
    pub mfa_progress: Progress,
    /// The lists only their own kind reads (instance profiles, providers, the password policy,
    /// the account summary).
    pub kinds: KindLists,
    /// Per-entity facts whose call failed, by fact and entity name.
    pub unavailable: HashMap<(Fact, String), Unavailable>,
}

/// Lists by item type: a kind whose list no other view reads keeps it here, so adding one
/// adds no field to [`AccountData`].
#[derive(Default)]
pub struct KindLists(HashMap<TypeId, Box<dyn Any + Send + Sync>>);

impl std::fmt::Debug for KindLists {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} kind lists", self.0.len())
    }
}

impl AccountData {
    /// The managed policies as a picker offers them: `(name  (AWS|customer), ARN)`.
    pub fn policy_choices(&self) -> Vec<(String, String)> {
        self.policies
            .items
            .iter()
            .map(|p| {
                let kind = if p.is_aws_managed() {
                    "AWS"
                } else {
                    "customer"
                };
                (format!("{}  ({kind})", p.name), p.arn.clone())
            })
            .collect()
    }

    /// The groups as a picker offers them: `(name, name)`.
    pub fn group_choices(&self) -> Vec<(String, String)> {
        self.groups
            .items
            .iter()
            .map(|g| (g.name.clone(), g.name.clone()))
            .collect()
    }

    /// The list of `T`s, empty until its first page arrives.
    pub fn list<T: Send + Sync + 'static>(&self) -> Option<&List<T>> {
        self.kinds.0.get(&TypeId::of::<T>())?.downcast_ref()
    }

    pub fn list_mut<T: Send + Sync + 'static>(&mut self) -> &mut List<T> {
        self.kinds
            .0
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Box::new(List::<T>::default()))
            .downcast_mut()
            .expect("stored under its own type")
    }

    pub fn touch(&mut self) {
        self.version += 1;
    }

    /// Remembers that a per-entity call failed, so its cells say so instead of waiting.
    pub fn failed(&mut self, fact: Fact, who: &str, e: &BackendError) {
        self.unavailable
            .insert((fact, who.to_string()), Unavailable::of(e));
    }

    pub fn unavailable(&self, fact: Fact, who: &str) -> Option<Unavailable> {
        self.unavailable.get(&(fact, who.to_string())).copied()
    }

    /// Each user's groups, as far as loaded (built once per rebuild of the users' rows).
    pub fn groups_by_user(&self) -> HashMap<&str, Vec<&str>> {
        let mut out: HashMap<&str, Vec<&str>> = HashMap::new();
        for (g, members) in &self.members {
            for u in members {
                out.entry(u.as_str()).or_default().push(g.as_str());
            }
        }
        for groups in out.values_mut() {
            groups.sort_unstable();
        }
        out
    }

    /// The credential report's rows by user name.
    pub fn report_by_user(&self) -> HashMap<&str, &CredentialReportRow> {
        self.report
            .iter()
            .flat_map(|r| r.rows.iter())
            .map(|r| (r.user.as_str(), r))
            .collect()
    }

    /// Every MFA device, each once (a virtual device shows in both lists once assigned).
    pub fn all_mfa(&self) -> Vec<MfaDevice> {
        let mut out: Vec<MfaDevice> = self.virtual_mfa.items.clone();
        for devices in self.user_mfa.values() {
            for d in devices {
                if !out.iter().any(|o| o.serial_number == d.serial_number) {
                    out.push(d.clone());
                }
            }
        }
        out
    }
}
