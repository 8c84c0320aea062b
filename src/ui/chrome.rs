//! The header (where the data comes from, who you are) and the status bar (what happened,
//! what is loading, which keys help).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::widgets::Styled;
use crate::app::model::data::Status;
use crate::app::{App, Load};
use crate::commands::Context;
use crate::config::theme::Theme;

pub fn draw_header(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let bar = t.style("ui.statusbar");
    let mut spans = vec![Span::styled(" iamtui ", t.style("ui.title").patch(bar))];
    // Right after the name, so a narrow terminal cuts the source off rather than the marker.
    if app.read_only() {
        spans.push(t.span("[RO]", "ui.statusbar.readonly"));
        spans.push(Span::styled(" ", bar));
    }
    let info = &app.info;
    // The source (a long file path, a profile) gives way first: who you are matters more.
    let source_at = spans.len();
    spans.push(Span::raw(""));
    if let Some(region) = &info.region {
        spans.push(Span::styled(format!("│ {region} "), bar));
    }
    let countdown = crate::app::assume::countdown(app).map(|(text, warn)| {
        let scope = if warn {
            "ui.statusbar.error"
        } else {
            "ui.statusbar.progress"
        };
        t.span(format!("│ {text} "), scope)
    });
    if let Load::Loaded(id) = app.identity.state() {
        if app.assume.identities.is_empty() {
            spans.push(Span::styled(format!("│ {} │ {} ", id.account, id.arn), bar));
        } else {
            // The identity stack as a breadcrumb: where each assumed role came from. Who the
            // console works as now, and until when, must stay in view: the earlier identities
            // give way first.
            let fixed: usize = spans
                .iter()
                .chain(countdown.as_ref())
                .map(|s| s.content.chars().count())
                .sum();
            let chain: Vec<&str> = app
                .assume
                .identities
                .iter()
                .filter_map(|f| f.identity.as_ref())
                .map(|i| short_arn(&i.arn))
                .collect();
            let room = (area.width as usize).saturating_sub(fixed);
            let (crumbs, who) = chain_label(&chain, short_arn(&id.arn), room);
            spans.push(Span::styled(crumbs, t.style("ui.breadcrumb").patch(bar)));
            spans.push(Span::styled(who, bar));
        }
    }
    spans.extend(countdown);
    let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    let room = (area.width as usize).saturating_sub(used);
    spans[source_at] = Span::styled(source_label(info.kind, &info.source, room), bar);
    frame.render_widget(Paragraph::new(Line::from(spans)).style(bar), area);
}

/// `user/x` of `arn:aws:iam::1:user/x`.
fn short_arn(arn: &str) -> &str {
    arn.rsplit(':').next().unwrap_or(arn)
}

/// The breadcrumb of earlier identities (`│ a › b › `) and the current one, in `room`
/// columns. The breadcrumb is cut from its start (`…`) down to `│ … › `; only then does the
/// current identity lose its `assumed-role/` prefix, keeping the role and the session.
fn chain_label(chain: &[&str], current: &str, room: usize) -> (String, String) {
    let full = format!("{current} ");
    let crumbs = format!("{} › ", chain.join(" › "));
    let bare = current
        .strip_prefix("assumed-role/")
        .map_or_else(|| full.clone(), |rest| format!("{rest} "));
    let len = |s: &str| s.chars().count();
    // "│ " before the breadcrumb, "…" when it is cut.
    let fit = |who: &str| -> Option<String> {
        let left = room.checked_sub(len(who) + 2)?;
        if len(&crumbs) <= left {
            return Some(format!("│ {crumbs}"));
        }
        // At least "… › " of the breadcrumb: there was something before.
        let keep = left.checked_sub(1).filter(|k| *k >= 3)?;
        let tail: String = crumbs.chars().skip(len(&crumbs) - keep).collect();
        Some(format!("│ …{tail}"))
    };
    if let Some(c) = fit(&full) {
        return (c, full);
    }
    match fit(&bare) {
        Some(c) => (c, bare),
        None => ("│ ".into(), bare),
    }
}

/// `│ kind: source `, cut from the left of the source to fit `room` columns.
fn source_label(kind: &str, source: &str, room: usize) -> String {
    let full = format!("│ {kind}: {source} ");
    let len = full.chars().count();
    if len <= room {
        return full;
    }
    let fixed = format!("│ {kind}: ").chars().count() + 2; // "…" and the trailing space
    if room < fixed + 8 {
        let bare = format!("│ {kind} ");
        return if bare.chars().count() <= room {
            bare
        } else {
            String::new()
        };
    }
    let keep = room - fixed;
    let tail: String = source.chars().skip(source.chars().count() - keep).collect();
    format!("│ {kind}: …{tail} ")
}

/// ` text `, or when it is too wide, cut with `…` and where to read the whole of it.
fn status_text(text: &str, width: usize) -> String {
    // Only the first line: a multi-line text is read in the log.
    let first = text.lines().next().unwrap_or("");
    if first.len() == text.len() && Span::raw(text).width() + 2 <= width {
        return format!(" {text} ");
    }
    const HINT: &str = " (:messages)";
    let room = width.saturating_sub(2 + HINT.len());
    format!(" {}{HINT} ", super::widgets::cut(first, room.max(1)))
}

/// Counts of what is still loading: `users 1,000…`, `keys 120/5,000`.
pub fn progress(app: &App) -> Vec<String> {
    let d = &app.data;
    let lists = [
        ("users", &d.users.status, d.users.items.len()),
        ("groups", &d.groups.status, d.groups.items.len()),
        ("roles", &d.roles.status, d.roles.items.len()),
        ("policies", &d.policies.status, d.policies.items.len()),
    ];
    let mut out: Vec<String> = lists
        .into_iter()
        .filter(|(_, status, _)| **status == Status::Loading)
        .map(|(name, _, n)| format!("{name} {}…", thousands(n)))
        .collect();
    let fans = [
        ("memberships", &d.members_progress),
        ("keys", &d.keys_progress),
        ("mfa", &d.mfa_progress),
    ];
    for (name, p) in fans.into_iter().filter(|(_, p)| p.running()) {
        out.push(format!(
            "{name} {}/{}",
            thousands(p.done),
            thousands(p.total)
        ));
    }
    if d.report_status == Status::Loading {
        out.push("credential report…".into());
    }
    if let Some(n) = old_keys(app).filter(|n| *n > 0) {
        out.push(format!(
            "{n} active key{} older than {} days",
            if n == 1 { "" } else { "s" },
            app.options.key_age_warn_days
        ));
    }
    out
}

/// Active access keys older than the warning threshold, from the credential report (one call,
/// loaded at start-up with the users).
pub fn old_keys(app: &App) -> Option<usize> {
    let report = app.data.report.as_ref()?;
    let now = app.now();
    let limit = app.options.key_age_warn_days;
    let old = |active: &str, rotated: &str| {
        active == "true"
            && chrono::DateTime::parse_from_rfc3339(rotated)
                .is_ok_and(|t| (now - t.with_timezone(&chrono::Utc)).num_days() > limit)
    };
    Some(
        report
            .rows
            .iter()
            .map(|r| {
                usize::from(old(&r.access_key_1_active, &r.access_key_1_last_rotated))
                    + usize::from(old(&r.access_key_2_active, &r.access_key_2_last_rotated))
            })
            .sum(),
    )
}

/// `12345` as `12,345`.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// ` key label` pairs for a status bar.
pub fn key_hints<'a>(
    t: &Theme,
    keys: impl IntoIterator<Item = (String, &'a str)>,
) -> Vec<Span<'static>> {
    let bar = t.style("ui.statusbar");
    keys.into_iter()
        .flat_map(|(k, label)| {
            [
                Span::styled(format!(" {k}"), t.style("ui.help.key").patch(bar)),
                Span::styled(format!(" {label}"), bar),
            ]
        })
        .collect()
}

pub fn draw_footer(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let bar = t.style("ui.statusbar");
    let mut spans: Vec<Span> = match &app.status {
        Some(s) => {
            let style = if s.error {
                t.style("ui.statusbar.error")
            } else {
                bar
            };
            vec![Span::styled(
                status_text(&s.text, usize::from(area.width)),
                style,
            )]
        }
        // The keys that matter most, from the active keymap.
        None => key_hints(
            t,
            ["help", "quit", "command", "filter", "open", "back"]
                .into_iter()
                .filter_map(|name| {
                    let keys = [Context::List, Context::Global]
                        .into_iter()
                        .find_map(|c| app.keymap.key_for(c, name))?;
                    Some((keys, name))
                }),
        ),
    };
    let progress = progress(app).join("  ");
    let used: usize = spans.iter().map(|s| s.width()).sum();
    // Two cells apart from what is on the left, one from the right edge.
    let room = (area.width as usize).saturating_sub(used + 3);
    if !progress.is_empty() && room > 4 {
        // Every character of the progress text is one cell wide.
        let text = super::widgets::cut(&progress, room);
        let pad = room.saturating_sub(text.chars().count()) + 2;
        spans.push(Span::styled(" ".repeat(pad), bar));
        spans.push(t.span(text, "ui.statusbar.progress"));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(bar), area);
}

#[cfg(test)]
mod tests {
    use super::source_label;

    #[test]
    fn the_source_gives_way_from_the_left() {
        assert_eq!(
            source_label("local", "/a/b.json", 80),
            "│ local: /a/b.json "
        );
        let cut = source_label(
            "local",
            "/home/someone/.local/share/iamtui/account.json",
            30,
        );
        assert_eq!(cut.chars().count(), 30);
        assert!(cut.ends_with("account.json "), "{cut}");
        assert!(cut.starts_with("│ local: …"), "{cut}");
        assert_eq!(
            source_label("local", "/home/someone/x.json", 12),
            "│ local "
        );
        assert_eq!(source_label("local", "/home/someone/x.json", 3), "");
    }

    #[test]
    fn the_chain_gives_way_before_the_current_identity() {
        let chain = ["user/alice", "assumed-role/Admin/alice"];
        let current = "assumed-role/Sandbox/alice";
        let (crumbs, who) = super::chain_label(&chain, current, 200);
        assert_eq!(
            format!("{crumbs}{who}"),
            "│ user/alice › assumed-role/Admin/alice › assumed-role/Sandbox/alice "
        );
        // Cut from the start of the chain, the current identity whole.
        let (crumbs, who) = super::chain_label(&chain, current, 50);
        assert_eq!(who, "assumed-role/Sandbox/alice ");
        assert_eq!(format!("{crumbs}{who}").chars().count(), 50);
        assert!(
            crumbs.starts_with("│ …") && crumbs.ends_with("Admin/alice › "),
            "{crumbs}"
        );
        // Then the role's prefix goes; the role and the session stay.
        let (crumbs, who) = super::chain_label(&chain, current, 30);
        assert_eq!(who, "Sandbox/alice ");
        assert!(crumbs.starts_with("│ …"), "{crumbs}");
        assert!(format!("{crumbs}{who}").chars().count() <= 30);
    }

    #[test]
    fn a_long_status_is_cut_with_a_marker_and_a_pointer_to_the_log() {
        assert_eq!(super::status_text("saved", 40), " saved ");
        let long = format!("CreateUser failed: {}", "x".repeat(100));
        let shown = super::status_text(&long, 60);
        assert_eq!(shown.chars().count(), 60, "{shown}");
        assert!(shown.ends_with("… (:messages) "), "{shown}");
        assert!(shown.starts_with(" CreateUser failed: xxx"), "{shown}");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1000), "1,000");
        assert_eq!(super::thousands(15000), "15,000");
        assert_eq!(super::thousands(1234567), "1,234,567");
    }
}
