//! A value fetched in the background: one request in flight, stale answers dropped.

use crate::iam::BackendError;

/// Where a background fetch stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Load<T> {
    Idle,
    Loading,
    Loaded(T),
    Failed(BackendError),
}

/// Identifies one request, so a reply to an older request is recognised and ignored.
pub type Generation = u64;

#[derive(Debug, Clone)]
pub struct Loadable<T> {
    state: Load<T>,
    generation: Generation,
}

impl<T> Default for Loadable<T> {
    fn default() -> Self {
        Self {
            state: Load::Idle,
            generation: 0,
        }
    }
}

impl<T> Loadable<T> {
    pub fn state(&self) -> &Load<T> {
        &self.state
    }

    pub fn loaded(&self) -> Option<&T> {
        match &self.state {
            Load::Loaded(value) => Some(value),
            _ => None,
        }
    }

    /// Starts a new request; whatever an earlier one returns from now on is stale.
    pub fn begin(&mut self) -> Generation {
        self.generation += 1;
        self.state = Load::Loading;
        self.generation
    }

    /// Records a reply. Returns false (and changes nothing) when the reply is stale.
    pub fn finish(&mut self, generation: Generation, result: Result<T, BackendError>) -> bool {
        if generation != self.generation || !matches!(self.state, Load::Loading) {
            return false;
        }
        self.state = match result {
            Ok(value) => Load::Loaded(value),
            Err(err) => Load::Failed(err),
        };
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::ErrorKind;

    #[test]
    fn a_reply_lands_once() {
        let mut l = Loadable::<u32>::default();
        assert_eq!(l.state(), &Load::Idle);
        let g = l.begin();
        assert_eq!(l.state(), &Load::Loading);
        assert!(l.finish(g, Ok(7)));
        assert_eq!(l.loaded(), Some(&7));
        assert!(
            !l.finish(g, Ok(8)),
            "a second reply to the same request is ignored"
        );
        assert_eq!(l.loaded(), Some(&7));
    }

    #[test]
    fn stale_replies_are_dropped() {
        let mut l = Loadable::<u32>::default();
        let old = l.begin();
        let new = l.begin();
        let err = BackendError::new("Op", ErrorKind::Network("down".into()));
        assert!(!l.finish(old, Err(err.clone())));
        assert_eq!(l.state(), &Load::Loading);
        assert!(l.finish(new, Err(err.clone())));
        assert_eq!(l.state(), &Load::Failed(err));
    }
}
