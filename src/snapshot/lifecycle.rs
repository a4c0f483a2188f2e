//! A case's lifecycle: the stages from report to closure (上报 → 立案 → 派遣 → 处置 → 核查 →
//! 结案) with the instant each was reached, kept compact (48 bytes a case), and the deadline
//! tiers with the hours each allows.

use serde::{Deserialize, Serialize};

use super::time::Time;

/// The stages of a case, in lifecycle order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// 上报
    Reported,
    /// 立案
    Registered,
    /// 派遣
    Dispatched,
    /// 处置
    Handled,
    /// 核查
    Verified,
    /// 结案
    Closed,
}

impl Stage {
    /// Every stage in lifecycle order; `Stage::ALL[k] as usize == k`.
    pub const ALL: [Stage; 6] = [
        Self::Reported,
        Self::Registered,
        Self::Dispatched,
        Self::Handled,
        Self::Verified,
        Self::Closed,
    ];

    /// The field name in the file (`reported`, `registered`…).
    pub fn field(self) -> &'static str {
        [
            "reported",
            "registered",
            "dispatched",
            "handled",
            "verified",
            "closed",
        ][self as usize]
    }

    /// (Chinese, English) display names.
    pub fn names(self) -> (&'static str, &'static str) {
        [
            ("上报", "Reported"),
            ("立案", "Registered"),
            ("派遣", "Dispatched"),
            ("处置", "Handled"),
            ("核查", "Verified"),
            ("结案", "Closed"),
        ][self as usize]
    }
}

/// Sentinel for a stage not reached.
const NOT_REACHED: i64 = i64::MIN;

/// When a case reached each stage: one instant per stage reached. In memory 48 bytes
/// (seconds since the epoch, a sentinel for stages not reached); in the file
/// `(reported: "…", registered: Some("…"), …)` with stages not reached left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "LifecycleFile", into = "LifecycleFile")]
pub struct Lifecycle {
    at: [i64; 6],
}

impl Lifecycle {
    /// A case just reported at `t`.
    pub fn reported(t: Time) -> Self {
        let mut at = [NOT_REACHED; 6];
        at[0] = t.0;
        Self { at }
    }

    /// When the case reached `stage`, if it did.
    pub fn at(&self, stage: Stage) -> Option<Time> {
        let v = self.at[stage as usize];
        (v != NOT_REACHED).then_some(Time(v))
    }

    /// Sets or clears a stage's instant.
    pub fn set(&mut self, stage: Stage, t: Option<Time>) {
        self.at[stage as usize] = t.map_or(NOT_REACHED, |t| t.0);
    }

    /// When the case was reported.
    pub fn reported_at(&self) -> Time {
        Time(self.at[0])
    }

    /// The furthest stage with an instant (the case's current stage when the lifecycle is
    /// valid: no gaps).
    pub fn current(&self) -> Stage {
        Stage::ALL
            .iter()
            .rev()
            .copied()
            .find(|s| self.at(*s).is_some())
            .unwrap_or(Stage::Reported)
    }

    /// Whether the case reached [`Stage::Closed`].
    pub fn is_closed(&self) -> bool {
        self.at[Stage::Closed as usize] != NOT_REACHED
    }

    /// Seconds from report to closure, for closed cases.
    pub fn handling_s(&self) -> Option<i64> {
        self.at(Stage::Closed).map(|c| c.0 - self.at[0])
    }
}

/// The lifecycle as written in the file. Unknown fields are refused: a typo such as
/// `closd:` would otherwise read the case as open.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LifecycleFile {
    reported: Time,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    registered: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dispatched: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    handled: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    verified: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    closed: Option<Time>,
}

impl From<LifecycleFile> for Lifecycle {
    fn from(f: LifecycleFile) -> Self {
        let mut l = Lifecycle::reported(f.reported);
        l.set(Stage::Registered, f.registered);
        l.set(Stage::Dispatched, f.dispatched);
        l.set(Stage::Handled, f.handled);
        l.set(Stage::Verified, f.verified);
        l.set(Stage::Closed, f.closed);
        l
    }
}

impl From<Lifecycle> for LifecycleFile {
    fn from(l: Lifecycle) -> Self {
        Self {
            reported: l.reported_at(),
            registered: l.at(Stage::Registered),
            dispatched: l.at(Stage::Dispatched),
            handled: l.at(Stage::Handled),
            verified: l.at(Stage::Verified),
            closed: l.at(Stage::Closed),
        }
    }
}

/// How long a case may take from report to closure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DeadlineTier {
    /// 紧急: 2 hours (a blocked fire lane, a gas smell).
    Urgent,
    /// 较急: 24 hours.
    Priority,
    /// 一般: 72 hours.
    Normal,
    /// 复杂: 7 days (repairs that need a contractor).
    Extended,
}

impl DeadlineTier {
    /// Every tier, shortest first.
    pub const ALL: [DeadlineTier; 4] = [Self::Urgent, Self::Priority, Self::Normal, Self::Extended];

    /// Hours the tier allows from report to closure.
    pub fn hours(self) -> u32 {
        match self {
            Self::Urgent => 2,
            Self::Priority => 24,
            Self::Normal => 72,
            Self::Extended => 168,
        }
    }

    /// (Chinese, English) display names.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Self::Urgent => ("紧急", "Urgent"),
            Self::Priority => ("较急", "Priority"),
            Self::Normal => ("一般", "Normal"),
            Self::Extended => ("复杂", "Extended"),
        }
    }
}
