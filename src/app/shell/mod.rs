//! The shell: the event loop, requests in flight and their fan-out, navigation, prompts and
//! dialogs, and the routing of keys, commands and replies to the rooms.

pub mod actions;
pub mod calls;
pub mod event_loop;
pub mod form;
pub mod intent;
pub mod loadable;
pub mod loads;
pub mod message;
pub mod nav;
pub mod overlay;
pub mod signals;
pub mod state;
pub mod tasks;
pub mod update;
