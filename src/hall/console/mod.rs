//! The docent's console (`docs/console.md`): a small web page that the leading exhibit
//! serves to a tablet's browser on the hall LAN, to choose a region, play a story, switch
//! the language, the attract tour and the screens, and see what each screen shows.
//!
//! Off unless the configuration has a `console` section. Everything but the page itself
//! needs a session opened with the docent's PIN ([`gate`]); a POST also needs the
//! `X-Citygrid` header (which a form on another site cannot send) and a JSON body of at
//! most [`MAX_BODY`] bytes. Connections are capped and timed (`http`); requests are
//! rate-limited per address; every answer says
//! `Cache-Control: no-store` and the session cookie has no expiry date, so nothing stays
//! on the tablet when its browser closes. A request can only become one of the
//! [`HallCommand`]s that show control may send: nothing here reads or writes files, quits
//! the exhibit or reaches curator mode.

pub mod gate;
mod http;
mod server;

use serde::Deserialize;

use crate::hall::osc::HallCommand;
pub use server::{Console, Hook, Order, Shared, Thumb, Verdict, next_serial, serve};

/// Largest request body read, bytes (a command is a few dozen).
pub const MAX_BODY: usize = 1024;
/// Longest id taken in a command, characters.
const MAX_ID: usize = 64;

/// A command as the page posts it (`{"do":"focus","id":"370203005"}`).
#[derive(Debug, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case", deny_unknown_fields)]
enum Ask {
    Focus { id: String },
    // (Empty braces, not unit variants: serde checks unknown fields only in these.)
    Back {},
    Lang { value: String },
    View { value: String },
    StoryStart { id: String },
    StoryStep { delta: i8 },
    StoryEnd {},
    Attract { on: bool },
    Screens { on: bool },
}

/// The show-control command a posted body asks for. Errors: the reason, for the page
/// (not JSON, an unknown command, a field missing or out of range).
pub fn command(body: &[u8]) -> Result<HallCommand, String> {
    let ask: Ask = serde_json::from_slice(body).map_err(|e| format!("not a command: {e}"))?;
    let id = |id: String| {
        if id.is_empty() || id.chars().count() > MAX_ID {
            Err(format!(
                "an id of 1–{MAX_ID} characters, not {:?}",
                id.len()
            ))
        } else {
            Ok(id)
        }
    };
    Ok(match ask {
        Ask::Focus { id: i } => HallCommand::Focus(id(i)?),
        Ask::Back {} => HallCommand::Back,
        Ask::Lang { value } if value == "zh" || value == "en" => HallCommand::Lang(value),
        Ask::Lang { value } => return Err(format!("language {value:?} is not zh or en")),
        Ask::View { value } => HallCommand::View(id(value)?),
        Ask::StoryStart { id: i } => HallCommand::StoryStart(id(i)?),
        Ask::StoryStep { delta } if (-16..=16).contains(&delta) && delta != 0 => {
            HallCommand::StoryStep(delta)
        }
        Ask::StoryStep { delta } => return Err(format!("a story step of {delta}")),
        Ask::StoryEnd {} => HallCommand::StoryEnd,
        Ask::Attract { on } => HallCommand::Attract(on),
        Ask::Screens { on } => HallCommand::Screens(on),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posted_commands_become_show_control_commands_or_are_refused() {
        let ok = |b: &str| command(b.as_bytes()).expect(b);
        assert_eq!(
            ok(r#"{"do":"focus","id":"370203005"}"#),
            HallCommand::Focus("370203005".into())
        );
        assert_eq!(
            ok(r#"{"do":"story_step","delta":-1}"#),
            HallCommand::StoryStep(-1)
        );
        assert_eq!(
            ok(r#"{"do":"screens","on":false}"#),
            HallCommand::Screens(false)
        );
        assert_eq!(
            ok(r#"{"do":"lang","value":"en"}"#),
            HallCommand::Lang("en".into())
        );
        assert_eq!(ok(r#"{"do":"back"}"#), HallCommand::Back);
        assert_eq!(ok(r#"{"do":"story_end"}"#), HallCommand::StoryEnd);
        for bad in [
            "",
            "{",
            r#"{"do":"quit"}"#,
            r#"{"do":"curator"}"#,
            r#"{"do":"focus"}"#,
            r#"{"do":"focus","id":""}"#,
            r#"{"do":"lang","value":"fr"}"#,
            r#"{"do":"story_step","delta":0}"#,
            r#"{"do":"story_step","delta":900}"#,
            r#"{"do":"back","extra":1}"#,
            r#"{"do":"story_end","x":null}"#,
            r#"{"do":"attract","on":"yes"}"#,
        ] {
            assert!(command(bad.as_bytes()).is_err(), "{bad} refused");
        }
        let long = format!(r#"{{"do":"focus","id":"{}"}}"#, "9".repeat(65));
        assert!(command(long.as_bytes()).is_err());
    }
}
