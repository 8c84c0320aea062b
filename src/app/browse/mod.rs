//! The browse room: the account's lists and each resource's detail view.

pub mod commands;
pub mod data;
pub mod detail;
pub mod filter;
pub mod kinds;
pub mod table;
pub mod views;
