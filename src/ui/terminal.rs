//! Owning the terminal: raw mode, alternate screen, hidden cursor, and getting out of all three
//! whatever happens (normal exit, error, panic, signal).

use std::io::{self, Stdout, Write};
use std::mem::ManuallyDrop;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::{Hide, Show};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// Whether the terminal is in our modes; shared by the guard and the panic hook so whichever
/// runs first restores it and the other does nothing.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Puts the terminal into full-screen mode; dropping it puts the terminal back.
pub struct TerminalGuard {
    /// Never dropped: ratatui's Drop shows the cursor again and `eprintln!`s if that fails,
    /// which panics once the terminal has hung up (stderr then returns EIO). `restore` shows
    /// the cursor itself; the buffers are freed when the process exits.
    terminal: ManuallyDrop<Tui>,
}

impl TerminalGuard {
    pub fn enter() -> io::Result<Self> {
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let setup = || -> io::Result<Tui> {
            execute!(io::stdout(), EnterAlternateScreen, Hide)?;
            Terminal::new(CrosstermBackend::new(io::stdout()))
        };
        match setup() {
            Ok(terminal) => Ok(Self {
                terminal: ManuallyDrop::new(terminal),
            }),
            Err(err) => {
                restore();
                Err(err)
            }
        }
    }

    pub fn terminal(&mut self) -> &mut Tui {
        &mut self.terminal
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Leaves the alternate screen and raw mode and shows the cursor. Errors are ignored: after a
/// hangup there may be no terminal left to write to, and there is nothing better to do.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = execute!(io::stdout(), LeaveAlternateScreen, Show);
        let _ = disable_raw_mode();
    }
}

/// Replaces the default panic output: restore the terminal first (otherwise the message lands
/// on the alternate screen and vanishes, and the shell is left in raw mode), then print one
/// short line to stderr and put the details, with a backtrace, in the log.
pub fn install_panic_hook(log_file: PathBuf) {
    std::panic::set_hook(Box::new(move |info| {
        restore();
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("unknown cause");
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let backtrace = std::backtrace::Backtrace::force_capture();
        tracing::error!("panic at {location}: {message}\n{backtrace}");
        // Not eprintln!: after a hangup stderr fails, and a panic inside the hook aborts.
        let _ = writeln!(
            io::stderr(),
            "iamtui crashed: {message} (at {location}); details are in {}",
            log_file.display()
        );
    }));
}
