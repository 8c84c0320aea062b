//! Fixtures shared by the integration-test binaries (`mod common;`). Not every binary uses every
//! helper.
#![allow(dead_code)]

pub mod moto;
