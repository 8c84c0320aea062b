//! Paging through lists longer than one page (IAM pages at 100 items by default).

use std::sync::Arc;

use iamtui::iam::backend::{all_policies, all_roles};
use iamtui::iam::*;

use super::util::*;

const ROLES: usize = 230;
const POLICIES: usize = 130;

// The fixtures are created one request at a time: moto is not thread-safe (concurrent CreateRole
// calls fail with HTTP 500, "dictionary changed size during iteration" in its models.py), and
// one at a time is quick enough (both tests take about 2 s together).

pub async fn roles_span_pages(b: Arc<dyn Backend>) {
    let names: Vec<String> = (0..ROLES).map(|i| format!("role-{i:03}")).collect();
    for name in &names {
        role(&*b, name).await;
    }

    let first = b.list_roles(PageRequest::first()).await.expect("page 1");
    assert_eq!(first.items.len(), 100);
    let marker = first.next_marker.clone().expect("page 1 has a marker");
    let second = b
        .list_roles(PageRequest::after(Some(marker)))
        .await
        .expect("page 2");
    assert_eq!(second.items.len(), 100);
    let third = b
        .list_roles(PageRequest::after(second.next_marker.clone()))
        .await
        .expect("page 3");
    assert_eq!(third.items.len(), ROLES - 200);
    assert_eq!(third.next_marker, None, "the last page has no marker");
    let paged: Vec<String> = [first.items, second.items, third.items]
        .into_iter()
        .flatten()
        .map(|r| r.name)
        .collect();
    assert_eq!(unique(&paged), unique(&names));

    let all: Vec<String> = all_roles(b.as_ref())
        .await
        .expect("all roles")
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(all.len(), ROLES);
    assert_eq!(unique(&all), unique(&names));

    // A smaller MaxItems is honoured.
    let small = b.list_roles(small_page(None, 7)).await.unwrap();
    assert_eq!(small.items.len(), 7);
    assert!(small.next_marker.is_some());
    let by_37 = collect_pages("ListRoles", |marker| b.list_roles(small_page(marker, 37)))
        .await
        .unwrap();
    let by_37: Vec<String> = by_37.into_iter().map(|r| r.name).collect();
    assert_eq!(unique(&by_37), unique(&names));
}

pub async fn policies_span_pages(b: Arc<dyn Backend>) {
    let names: Vec<String> = (0..POLICIES).map(|i| format!("policy-{i:03}")).collect();
    for name in &names {
        policy(&*b, name).await;
    }

    let first = b
        .list_policies(PolicyScope::Local, false, PageRequest::first())
        .await
        .expect("page 1");
    assert_eq!(first.items.len(), 100);
    assert!(first.next_marker.is_some());

    let all: Vec<String> = all_policies(b.as_ref(), PolicyScope::Local, false)
        .await
        .expect("all local policies")
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(all.len(), POLICIES);
    assert_eq!(unique(&all), unique(&names));

    let by_45 = collect_pages("ListPolicies", |marker| {
        b.list_policies(PolicyScope::Local, false, small_page(marker, 45))
    })
    .await
    .unwrap();
    let by_45: Vec<String> = by_45.into_iter().map(|p| p.name).collect();
    assert_eq!(unique(&by_45), unique(&names));
}

/// Every attachment of a role comes back (the backend follows ListAttachedRolePolicies' markers).
pub async fn attached_policies_are_complete(b: Arc<dyn Backend>) {
    role(&*b, "many").await;
    let mut arns = Vec::new();
    for i in 0..10 {
        let p = policy(&*b, &format!("att-{i}")).await;
        b.attach_policy(&EntityRef::role("many"), &p.arn)
            .await
            .unwrap();
        arns.push(p.arn);
    }
    let got: Vec<String> = b
        .list_attached_policies(&EntityRef::role("many"))
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.arn)
        .collect();
    assert_eq!(unique(&got), unique(&arns));
}
