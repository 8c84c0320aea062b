//! The body for this milestone: who the backend acts as, or why we cannot tell.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Padding, Paragraph, Wrap};

use crate::app::{App, Load};
use crate::iam::{BackendError, ErrorKind, Identity};

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let mut lines = vec![
        Line::styled("Caller identity", app.theme.style("ui.title")),
        Line::default(),
    ];
    // A failed connection leaves no backend to ask, so its error is the one to show.
    match (app.backend.state(), app.identity.state()) {
        (Load::Failed(err), _) | (Load::Loaded(_), Load::Failed(err)) => lines.push(Line::styled(
            error_line(err),
            Style::new().add_modifier(Modifier::BOLD),
        )),
        (Load::Loaded(_), Load::Loaded(identity)) => lines.extend(identity_lines(identity)),
        _ => lines.push(Line::raw("loading…")),
    }
    let body = Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(Block::new().padding(Padding::new(2, 2, 1, 0)));
    frame.render_widget(body, area);
}

fn identity_lines(id: &Identity) -> Vec<Line<'static>> {
    [
        ("Account", &id.account),
        ("ARN", &id.arn),
        ("User ID", &id.user_id),
    ]
    .into_iter()
    .map(|(label, value)| {
        Line::from(vec![
            Span::styled(
                format!("{label:<9}"),
                Style::new().add_modifier(Modifier::DIM),
            ),
            Span::raw(value.clone()),
        ])
    })
    .collect()
}

/// The failed call and what went wrong (BackendError's Display), then what to do about it.
pub fn error_line(err: &BackendError) -> String {
    match advice(&err.kind) {
        Some(advice) => format!("{err}; {advice}"),
        None => err.to_string(),
    }
}

fn advice(kind: &ErrorKind) -> Option<&'static str> {
    match kind {
        ErrorKind::Network(_) => Some(
            "check the network and the endpoint (--endpoint-url, AWS_ENDPOINT_URL), then restart iamtui",
        ),
        ErrorKind::Throttled(_) => Some("wait a moment, then restart iamtui"),
        ErrorKind::AccessDenied { .. } => Some(
            "ask an administrator for that permission, or act as someone else (--profile; U returns from an assumed role)",
        ),
        // The backend's own credential messages already say what to do; a bare service
        // rejection ("the security token is invalid") does not.
        ErrorKind::Credentials(message)
            if !(message.contains("--profile") || message.contains("AWS_PROFILE")) =>
        {
            Some("check the access keys of this profile, or pick another with --profile")
        }
        _ => None,
    }
}
