//! Speed of the local account at IAM's largest size: 5,000 users, 5,000 roles, 5,000
//! customer-managed policies, 300 groups (`iamtui --local --generate 5000`).
//!
//! Run: `cargo bench --bench local_account` (criterion prints the median of each). Figures are
//! in the README.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};

use iamtui::backend::local::LocalBackend;
use iamtui::backend::local::generate::generated_account;
use iamtui::iam::backend::all_users;
use iamtui::iam::*;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime")
}

fn large_account(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("account.json");
    let now = chrono::Utc::now();
    let mut g = c.benchmark_group("local account, 5,000 users");
    g.sample_size(10);
    g.bench_function("generate", |b| {
        b.iter(|| generated_account(black_box(5_000), now))
    });
    let backend =
        LocalBackend::open(&path, || generated_account(5_000, now)).expect("open the account");
    let size = std::fs::metadata(&path).expect("file").len();
    println!("account file: {:.1} MB", size as f64 / 1e6);
    drop(backend);
    g.bench_function("open the file (read, check, lock)", |b| {
        b.iter(|| LocalBackend::open(&path, || unreachable!()).expect("open"))
    });
    let backend = LocalBackend::open(&path, || unreachable!()).expect("open");
    let rt = runtime();
    g.bench_function("ListUsers, first page of 100", |b| {
        b.iter(|| {
            rt.block_on(backend.list_users(PageRequest::first()))
                .expect("list")
        })
    });
    g.bench_function("every user, 50 pages", |b| {
        b.iter(|| rt.block_on(all_users(&backend)).expect("all users"))
    });
    g.bench_function("ListPolicies, first page of 100", |b| {
        b.iter(|| {
            rt.block_on(backend.list_policies(PolicyScope::All, false, PageRequest::first()))
                .expect("list")
        })
    });
    // A member of several groups, authorised by the engine on every call.
    let member = backend
        .snapshot()
        .users
        .iter()
        .find(|u| u.groups.len() >= 2)
        .map(|u| u.name.clone())
        .expect("a member of groups");
    let as_member: Arc<dyn Backend> = Arc::new(backend.acting_as(&member));
    g.bench_function("GetUser as a non-administrator (authorised)", |b| {
        b.iter(|| {
            let _ = rt.block_on(as_member.get_user(Some(&member)));
        })
    });
    // The account is at the users quota, so the writes change an existing user.
    let target = TagTarget::User(member.clone());
    g.bench_function("TagUser + UntagUser (two atomic writes of the file)", |b| {
        b.iter(|| {
            rt.block_on(async {
                backend
                    .tag(&target, &[Tag::new("bench", "1")])
                    .await
                    .expect("tag");
                backend
                    .untag(&target, &["bench".to_string()])
                    .await
                    .expect("untag");
            })
        })
    });
    g.finish();
}

criterion_group!(benches, large_account);
criterion_main!(benches);
