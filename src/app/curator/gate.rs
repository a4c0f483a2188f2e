//! The PIN gate's lock: three wrong PINs lock it for a minute, even against the right one.

use crate::config::PinHash;

/// Wrong PINs before the gate locks, and for how long (seconds).
const MAX_FAILURES: u32 = 3;
const LOCK_SECONDS: f64 = 60.0;

/// Counts wrong PINs and locks the gate after three.
#[derive(bevy::prelude::Resource, Debug, Clone, Default)]
pub struct PinGate {
    failures: u32,
    locked_until: f64,
}

/// What the gate answered.
#[derive(Debug, Clone, PartialEq)]
pub enum GateAnswer {
    Open,
    Wrong { left: u32 },
    Locked { seconds: f64 },
}

impl PinGate {
    /// Checks `pin` against `hash` at `now` (seconds on any steady clock).
    pub fn check(&mut self, hash: &PinHash, pin: &str, now: f64) -> GateAnswer {
        if now < self.locked_until {
            return GateAnswer::Locked {
                seconds: self.locked_until - now,
            };
        }
        if hash.matches(pin) {
            self.failures = 0;
            return GateAnswer::Open;
        }
        self.failures += 1;
        if self.failures >= MAX_FAILURES {
            self.failures = 0;
            self.locked_until = now + LOCK_SECONDS;
            return GateAnswer::Locked {
                seconds: LOCK_SECONDS,
            };
        }
        GateAnswer::Wrong {
            left: MAX_FAILURES - self.failures,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_wrong_pins_lock_the_gate() {
        let hash = PinHash::new("2468").unwrap_or_else(|e| panic!("{e}"));
        let mut gate = PinGate::default();
        assert_eq!(
            gate.check(&hash, "1111", 0.0),
            GateAnswer::Wrong { left: 2 }
        );
        assert_eq!(
            gate.check(&hash, "2222", 1.0),
            GateAnswer::Wrong { left: 1 }
        );
        assert!(matches!(
            gate.check(&hash, "3333", 2.0),
            GateAnswer::Locked { .. }
        ));
        // Even the right PIN waits out the lock.
        assert!(matches!(
            gate.check(&hash, "2468", 10.0),
            GateAnswer::Locked { .. }
        ));
        assert_eq!(gate.check(&hash, "2468", 70.0), GateAnswer::Open);
    }
}
