//! Edits of a scenario's TOML text, made with `toml_edit` so that the user's comments and
//! layout survive: a stance edit changes the numbers of one `[[appointment.stances]]` table in
//! place, or appends a table when the file has none for that actor and candidate. This module
//! never validates: the edited text goes through the loader like any file.

use serde::Deserialize;
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

/// A stance edit: one actor's view of one candidate. Unset numbers stay as they are.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StanceEdit {
    /// The actor's id.
    pub actor: String,
    /// The candidate's id.
    pub candidate: String,
    /// Support, 0..100.
    pub support: Option<f64>,
    /// Uncertainty of the support, in points.
    pub sd: Option<f64>,
    /// Salience, 0..1.
    pub salience: Option<f64>,
}

/// Why an edit could not be made.
#[derive(Debug, PartialEq, Eq)]
pub enum EditError {
    /// The text is not TOML.
    NotToml(String),
    /// The scenario has no `[appointment]` to hold stances.
    NoAppointment,
    /// `appointment.stances` is not an array of tables.
    StancesNotTables,
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotToml(reason) => write!(f, "the file is not valid TOML: {reason}"),
            Self::NoAppointment => write!(f, "the scenario has no [appointment] to edit"),
            Self::StancesNotTables => {
                write!(
                    f,
                    "appointment.stances must be written as [[appointment.stances]] tables"
                )
            }
        }
    }
}

/// The text `text` with `edit` applied.
pub fn apply_stance(text: &str, edit: &StanceEdit) -> Result<String, EditError> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| EditError::NotToml(e.message().to_owned()))?;
    let appointment = doc
        .get_mut("appointment")
        .and_then(Item::as_table_mut)
        .ok_or(EditError::NoAppointment)?;
    let stances = appointment
        .entry("stances")
        .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()))
        .as_array_of_tables_mut()
        .ok_or(EditError::StancesNotTables)?;
    let is_this = |t: &Table| {
        t.get("actor").and_then(Item::as_str) == Some(edit.actor.as_str())
            && t.get("candidate").and_then(Item::as_str) == Some(edit.candidate.as_str())
    };
    let index = stances.iter().position(is_this);
    let stance = match index {
        Some(i) => stances.get_mut(i).ok_or(EditError::StancesNotTables)?,
        None => {
            let mut table = Table::new();
            table["actor"] = value(edit.actor.as_str());
            table["candidate"] = value(edit.candidate.as_str());
            stances.push(table);
            let last = stances.len() - 1;
            stances.get_mut(last).ok_or(EditError::StancesNotTables)?
        }
    };
    for (key, number) in [
        ("support", edit.support),
        ("salience", edit.salience),
        ("sd", edit.sd),
    ] {
        if let Some(number) = number {
            set_number(stance, key, number);
        }
    }
    Ok(doc.to_string())
}

/// Sets `key` to `number`, written as an integer when it is one (as people write `support =
/// 20`), keeping the comment decoration of an existing value.
fn set_number(table: &mut Table, key: &str, number: f64) {
    #[allow(clippy::cast_possible_truncation)] // only when the number is a small whole number
    let new = if number.fract() == 0.0 && number.abs() < 1e15 {
        toml_edit::Value::from(number as i64)
    } else {
        toml_edit::Value::from(number)
    };
    match table.get_mut(key).and_then(Item::as_value_mut) {
        Some(old) => {
            let decor = old.decor().clone();
            *old = new;
            *old.decor_mut() = decor;
        }
        None => table[key] = Item::Value(new),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# top\n[appointment]\nid = \"sg\"\n\n# Hungary doubts Rutte.\n[[appointment.stances]]\nactor = \"HUN\"\ncandidate = \"rutte\"\nsupport = 20 # low\nsd = 15\n";

    fn edit(actor: &str, support: f64) -> StanceEdit {
        StanceEdit {
            actor: actor.to_owned(),
            candidate: "rutte".to_owned(),
            support: Some(support),
            sd: None,
            salience: Some(0.5),
        }
    }

    #[test]
    fn changes_a_stance_in_place_and_keeps_comments() {
        let out = apply_stance(TEXT, &edit("HUN", 70.0)).expect("edited");
        assert_eq!(
            out,
            "# top\n[appointment]\nid = \"sg\"\n\n# Hungary doubts Rutte.\n[[appointment.stances]]\nactor = \"HUN\"\ncandidate = \"rutte\"\nsupport = 70 # low\nsd = 15\nsalience = 0.5\n"
        );
    }

    #[test]
    fn appends_a_stance_the_file_lacks() {
        let out = apply_stance(TEXT, &edit("POL", 62.5)).expect("edited");
        assert!(out.starts_with(TEXT), "{out}");
        assert!(
            out.ends_with("[[appointment.stances]]\nactor = \"POL\"\ncandidate = \"rutte\"\nsupport = 62.5\nsalience = 0.5\n"),
            "{out}"
        );
    }

    #[test]
    fn refuses_a_scenario_without_an_appointment_or_not_toml() {
        assert_eq!(
            apply_stance("format = 1\n", &edit("HUN", 1.0)),
            Err(EditError::NoAppointment)
        );
        assert!(matches!(
            apply_stance("[[", &edit("HUN", 1.0)),
            Err(EditError::NotToml(_))
        ));
    }
}
