//! The browse room: the account's lists and each resource's detail view.

pub mod commands;
pub mod filter;
pub mod loading;
pub mod marks;
pub mod views;

use crate::app::shell::intent::Intent;
use crate::app::shell::overlay::{Input, Pending, Prompt, PromptKind};
use crate::app::shell::state::App;
use crate::iam::{Tag, TagTarget};

/// The tags prompt was submitted: the changed tags are saved (the shell performs the calls),
/// or the prompt opens again saying what is wrong.
pub fn submit_tags(app: &mut App, target: TagTarget, before: Vec<Tag>, input: Input, text: &str) {
    match commands::tag_calls(&target, &before, text) {
        Ok(calls) if calls.is_empty() => app.set_status("tags unchanged"),
        Ok(calls) => {
            // Re-opened with the text and the error if IAM refuses the tags.
            app.refusable_prompt = Some(Prompt {
                error: None,
                kind: PromptKind::Tags { target, before },
                input,
            });
            app.ask(Intent::Perform(Pending::new("Tags saved", calls)))
        }
        Err(e) => {
            app.prompt = Some(Prompt {
                error: Some(e),
                kind: PromptKind::Tags { target, before },
                input,
            })
        }
    }
}

#[cfg(test)]
mod profile_tests;
