//! The account model every room reads: what has been loaded (`data`), the resource kinds and
//! their descriptors (`kinds`), list rows (`table`) and resource details (`detail`). It is not a
//! room: it holds no screen and handles no command.

pub mod data;
pub mod detail;
pub mod diff;
pub mod kinds;
pub mod rules;
pub mod table;
pub mod tags;
