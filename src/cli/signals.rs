//! Leaving a session cleanly when a signal ends it.
//!
//! A prompt puts the terminal in raw mode while it waits for a key. If the
//! process died there, the shell would be left without echo or line
//! editing, and without a cursor. So for the length of a session, Ctrl-C
//! (SIGINT), SIGTERM and SIGHUP restore the terminal settings saved when
//! the session started, show the cursor, and exit: 130 after Ctrl-C, with a
//! message that says truthfully whether anything was saved; 128 + the
//! signal's number otherwise, as a shell reports a death by signal.
//! SIGKILL cannot be caught: after `kill -9`, `stty sane` repairs the
//! terminal.

use console::Term;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// The signal that is ending the process, set in the signal handler
/// itself: a read interrupted by it comes back to a prompt as if Ctrl-C were
/// pressed, and must not race the handler to exit with another status.
static RECEIVED: OnceLock<Arc<AtomicUsize>> = OnceLock::new();

/// If a signal is ending the process, waits for its handler to end it;
/// otherwise returns at once.
pub fn wait_if_signalled() {
    let signalled = RECEIVED
        .get()
        .is_some_and(|received| received.load(Ordering::SeqCst) != 0);
    if signalled {
        // The handler's thread exits the process; this one only waits.
        loop {
            std::thread::park();
        }
    }
}

/// What Ctrl-C says, worked out when it is pressed (whether the session
/// file exists by then).
pub type InterruptMessage = Box<dyn Fn() -> String + Send + 'static>;

/// Installs the handlers; later signals go through them until the process
/// ends.
#[cfg(unix)]
pub fn install(interrupted: InterruptMessage) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let saved = nix::sys::termios::tcgetattr(std::io::stdin()).ok();
    let received = RECEIVED.get_or_init(|| Arc::new(AtomicUsize::new(0)));
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        let value = usize::try_from(signal).unwrap_or(1);
        let _ = signal_hook::flag::register_usize(signal, Arc::clone(received), value);
    }
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            if let Some(saved) = &saved {
                let _ = nix::sys::termios::tcsetattr(
                    std::io::stdin(),
                    nix::sys::termios::SetArg::TCSANOW,
                    saved,
                );
            }
            show_cursor();
            if signal == SIGINT {
                eprintln!("\ninterrupted: {}", interrupted());
                std::process::exit(i32::from(super::EXIT_INTERRUPTED));
            }
            std::process::exit(128 + signal);
        }
    });
}

/// Installs the handler for Ctrl-C (the only signal there is to catch).
#[cfg(not(unix))]
pub fn install(interrupted: InterruptMessage) {
    let _ = ctrlc::set_handler(move || {
        show_cursor();
        eprintln!("\ninterrupted: {}", interrupted());
        std::process::exit(i32::from(super::EXIT_INTERRUPTED));
    });
}

fn show_cursor() {
    let term = Term::stderr();
    if term.is_term() {
        let _ = term.show_cursor();
    }
}
