//! Drawing: pure functions from `App` to a frame. The terminal itself lives in `terminal`.

mod bulk;
mod cascade;
mod chrome;
mod detail;
mod editor;
mod identity;
mod list;
mod overlay;
pub mod qr;
pub mod terminal;
mod too_small;
pub mod widgets;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::widgets::Block;

use crate::app::App;
use crate::app::shell::nav::Screen;
use crate::commands::palette::ViewKind;

pub use chrome::thousands;
pub use identity::error_line as error_text;

/// Below this the layout cannot show a header, a body and a footer legibly.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small::draw(frame, area);
        return;
    }
    frame.render_widget(Block::new().style(app.theme.style("ui.text")), area);
    // The prompt line, and under it the whole of a problem with what was typed.
    let prompt_height = app.prompt.as_ref().map_or(0, |p| {
        let error = p.error.as_deref().map_or(0, |e| {
            widgets::wrap(&ratatui::text::Line::from(e), usize::from(area.width)).len()
        });
        1 + (error as u16).min(area.height / 3)
    });
    let [header, body, prompt, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(prompt_height),
        Constraint::Length(1),
    ])
    .areas(area);
    chrome::draw_header(frame, header, app);
    match app.nav.current() {
        Screen::List(l) if l.kind == ViewKind::Whoami => identity::draw(frame, body, app),
        // Before connecting, and when connecting failed, the identity screen says why.
        _ if app.backend.loaded().is_none() => identity::draw(frame, body, app),
        Screen::List(l) => list::draw(frame, body, app, l),
        Screen::Detail(d) => detail::draw(frame, body, app, d),
    }
    if let Some(e) = &app.editor {
        // The editor takes the body and the footer; the header keeps who you are visible.
        let room = ratatui::layout::Rect {
            height: body.height + footer.height,
            ..body
        };
        editor::draw(frame, room, app, e);
        if let Some(p) = &app.prompt {
            overlay::prompt(frame, prompt, app, p);
        }
        return;
    }
    if let Some(o) = &app.overlay {
        // The MFA QR code needs every line a small terminal has.
        let room = if matches!(o, crate::app::shell::overlay::Overlay::Mfa(_)) {
            ratatui::layout::Rect {
                height: area.height.saturating_sub(1),
                ..area
            }
        } else {
            body
        };
        overlay::draw(frame, room, app, o);
    }
    if let Some(p) = &app.prompt {
        overlay::prompt(frame, prompt, app, p);
    }
    chrome::draw_footer(frame, footer, app);
}

#[cfg(test)]
mod view_tests;

#[cfg(test)]
mod editor_tests;

#[cfg(test)]
mod read_only_tests;

#[cfg(test)]
pub(crate) mod test_support {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::buffer::Buffer;

    use crate::app::App;

    /// Draws the app on a test terminal and returns the screen as lines of text.
    pub fn render(app: &App, width: u16, height: u16) -> Vec<String> {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|frame| super::draw(frame, app)).unwrap();
        lines(terminal.backend().buffer())
    }

    pub fn lines(buffer: &Buffer) -> Vec<String> {
        (0..buffer.area.height)
            .map(|y| {
                (0..buffer.area.width)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect()
    }

    pub fn screen_contains(screen: &[String], needle: &str) -> bool {
        screen.iter().any(|line| line.contains(needle))
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{render, screen_contains};
    use crate::app::App;
    use crate::app::test_support::{alice, cli_info, connect, connected_app, identity};
    use crate::iam::{BackendError, ErrorKind};

    fn shows(screen: &[String], needle: &str) {
        assert!(
            screen_contains(screen, needle),
            "`{needle}` not on screen:\n{}",
            screen.join("\n")
        );
    }

    #[tokio::test]
    async fn identity_is_shown_once_it_arrives() {
        let mut app = connected_app(false).await;
        let screen = render(&app, 80, 20);
        shows(&screen, "loading…");

        identity(&mut app, 1, Ok(alice()));
        let screen = render(&app, 80, 20);
        shows(&screen, "Caller identity");
        shows(&screen, "Account  123456789012");
        shows(&screen, "ARN      arn:aws:iam::123456789012:user/alice");
        shows(&screen, "User ID  AIDAALICEEXAMPLE");
        assert!(!screen_contains(&screen, "loading…"));
    }

    #[tokio::test]
    async fn header_names_backend_source_and_region_and_footer_the_keys() {
        let app = connected_app(false).await;
        let screen = render(&app, 80, 20);
        assert!(
            screen[0].starts_with(" iamtui │ aws: endpoint http://127.0.0.1:1 │ us-east-1"),
            "{}",
            screen[0]
        );
        assert!(!screen[0].contains("[RO]"));
        // The footer names the keys that matter, from the keymap.
        assert!(
            screen[19].contains("? help") && screen[19].contains("q quit"),
            "{}",
            screen[19]
        );
    }

    #[tokio::test]
    async fn read_only_is_marked_in_the_header() {
        let app = connected_app(true).await;
        let screen = render(&app, 80, 20);
        assert!(screen[0].contains("[RO]"), "{}", screen[0]);
    }

    #[test]
    fn read_only_marker_survives_a_narrow_terminal() {
        let mut info = cli_info(true);
        info.source = format!("endpoint http://{}.example.com", "x".repeat(80));
        let screen = render(&App::new(info), 40, 10);
        assert!(screen[0].starts_with(" iamtui [RO] │"), "{}", screen[0]);
    }

    #[test]
    fn read_only_is_marked_before_connecting_too() {
        let app = App::new(cli_info(true));
        let screen = render(&app, 60, 12);
        assert!(screen[0].contains("aws: profile dev"), "{}", screen[0]);
        assert!(screen[0].contains("[RO]"), "{}", screen[0]);
        shows(&screen, "loading…");
    }

    #[tokio::test]
    async fn a_failed_call_is_one_line_naming_the_call_and_what_to_do() {
        let mut app = connected_app(false).await;
        let err = BackendError::new(
            "GetCallerIdentity",
            ErrorKind::Network("cannot reach the endpoint: Connection refused".into()),
        );
        identity(&mut app, 1, Err(err));
        let screen = render(&app, 200, 20);
        shows(
            &screen,
            "GetCallerIdentity failed: network: cannot reach the endpoint: Connection refused; \
             check the network and the endpoint",
        );
    }

    #[test]
    fn a_failed_connection_shows_its_error() {
        let mut app = App::new(cli_info(false));
        let message = "profile `nope` is not in ~/.aws/config; pick another with --profile";
        let kind = ErrorKind::Credentials(message.into());
        connect(&mut app, Err(BackendError::new("LoadProfile", kind)));
        let screen = render(&app, 120, 20);
        shows(
            &screen,
            &format!("LoadProfile failed: credentials: {message}"),
        );
        // The message says what to do already; no second piece of advice is appended.
        assert!(!screen_contains(&screen, "check the access keys"));
    }

    #[test]
    fn too_small_shows_a_notice_instead_of_the_layout() {
        let app = App::new(cli_info(true));
        for (w, h) in [(39, 10), (40, 9), (30, 8)] {
            let screen = render(&app, w, h);
            shows(&screen, "too small");
            assert!(
                !screen_contains(&screen, "iamtui │"),
                "no header at {w}x{h}"
            );
            assert!(!screen_contains(&screen, "quit"), "no footer at {w}x{h}");
        }
        let screen = render(&app, 40, 10);
        assert!(!screen_contains(&screen, "too small"));
        shows(&screen, "q quit");
    }

    #[test]
    fn a_tiny_terminal_does_not_panic() {
        let app = App::new(cli_info(false));
        for (w, h) in [(0, 0), (1, 1), (5, 1), (1, 5)] {
            render(&app, w, h);
        }
    }
}
