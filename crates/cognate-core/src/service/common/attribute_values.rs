//! Whether an attribute value fits its schema entry: type, length, number range, and the
//! formats of booleans, dates and date-times. The wording of each problem follows the line
//! format of Cognito's "Attributes did not conform to the schema" message.

use crate::model::{AttributeDataType, SchemaAttribute};
use crate::service::common::standard_schema::MAX_STRING_LENGTH;

/// What is wrong with `value` for `def`, if anything.
pub fn problem(def: &SchemaAttribute, value: &str) -> Option<String> {
    match def.data_type {
        AttributeDataType::String => string_problem(def, value),
        AttributeDataType::Number => number_problem(def, value),
        AttributeDataType::Boolean => {
            (!is_boolean(value)).then(|| "Attribute value must be either true or false.".to_owned())
        }
        AttributeDataType::DateTime => (!is_date_time(value)).then(|| {
            "Attribute value must be a date and time in ISO 8601 format (YYYY-MM-DDThh:mm:ssZ)."
                .to_owned()
        }),
    }
}

fn string_problem(def: &SchemaAttribute, value: &str) -> Option<String> {
    let len = value.chars().count();
    // A string never holds more than 2048 characters, whatever its constraints say.
    let max = def
        .max_length
        .unwrap_or(MAX_STRING_LENGTH)
        .min(MAX_STRING_LENGTH) as usize;
    if len > max {
        return Some(format!("String must be no longer than {max} characters."));
    }
    if let Some(min) = def.min_length.filter(|m| len < *m as usize) {
        return Some(format!("String must be no shorter than {min} characters."));
    }
    if def.name == "birthdate" && !is_date(value) {
        return Some("Attribute value must be a date in the format YYYY-MM-DD.".to_owned());
    }
    None
}

fn number_problem(def: &SchemaAttribute, value: &str) -> Option<String> {
    let digits = value.strip_prefix('-').unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Some("Attribute value must be a whole number.".to_owned());
    }
    // Too many digits for i64: beyond any bound a schema can set, on the value's side.
    let n = value.parse::<i64>().unwrap_or(if value.starts_with('-') {
        i64::MIN
    } else {
        i64::MAX
    });
    if let Some(min) = def.min_value.filter(|m| n < *m) {
        return Some(format!("Number must be no less than {min}."));
    }
    if let Some(max) = def.max_value.filter(|m| n > *m) {
        return Some(format!("Number must be no greater than {max}."));
    }
    None
}

pub fn is_boolean(value: &str) -> bool {
    value == "true" || value == "false"
}

/// `YYYY-MM-DD` with a month 01-12 and a day 01-31.
pub fn is_date(value: &str) -> bool {
    let b = value.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let number = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = value.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    matches!(
        (number(0..4), number(5..7), number(8..10)),
        (Some(_), Some(1..=12), Some(1..=31))
    )
}

/// ISO 8601 / RFC 3339: a date, then optionally `T` (or a space) and `hh:mm[:ss[.fff]]` with
/// an optional `Z` or `±hh:mm` offset.
pub fn is_date_time(value: &str) -> bool {
    let Some(date) = value.get(..10) else {
        return false;
    };
    if !is_date(date) {
        return false;
    }
    let rest = &value[10..];
    if rest.is_empty() {
        return true;
    }
    let Some(time) = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' ')) else {
        return false;
    };
    let (clock, offset) = match time.find(['Z', '+', '-']) {
        Some(i) => time.split_at(i),
        None => (time, ""),
    };
    let offset_ok = offset.is_empty() || offset == "Z" || is_hh_mm(&offset[1..]);
    offset_ok && is_clock(clock)
}

fn is_hh_mm(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 5
        && b[2] == b':'
        && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit())
        && s[..2].parse::<u32>().is_ok_and(|h| h < 24)
        && s[3..].parse::<u32>().is_ok_and(|m| m < 60)
}

fn is_clock(s: &str) -> bool {
    let (hm, rest) = s.split_at(s.len().min(5));
    if !is_hh_mm(hm) {
        return false;
    }
    if rest.is_empty() {
        return true;
    }
    let Some(seconds) = rest.strip_prefix(':') else {
        return false;
    };
    let (whole, fraction) = seconds.split_once('.').unwrap_or((seconds, "0"));
    whole.len() == 2
        && whole.parse::<u32>().is_ok_and(|s| s < 61)
        && !fraction.is_empty()
        && fraction.bytes().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::common::standard_schema::standard_attribute;

    fn custom(data_type: AttributeDataType) -> SchemaAttribute {
        SchemaAttribute {
            name: "custom:x".into(),
            data_type,
            mutable: true,
            required: false,
            developer_only: false,
            min_length: None,
            max_length: None,
            min_value: None,
            max_value: None,
        }
    }

    #[test]
    fn strings_respect_their_lengths_and_2048() {
        let mut s = custom(AttributeDataType::String);
        assert!(problem(&s, &"x".repeat(2048)).is_none());
        assert!(problem(&s, &"x".repeat(2049)).is_some());
        s.min_length = Some(2);
        s.max_length = Some(3);
        assert!(problem(&s, "a").is_some());
        assert!(problem(&s, "abc").is_none());
        assert_eq!(
            problem(&s, "abcd").as_deref(),
            Some("String must be no longer than 3 characters.")
        );
        // characters, not bytes
        assert!(problem(&s, "äöü").is_none());
    }

    #[test]
    fn numbers_are_whole_and_in_range() {
        let mut n = custom(AttributeDataType::Number);
        for ok in ["0", "-7", "42", "99999999999999999999999"] {
            assert!(problem(&n, ok).is_none(), "{ok}");
        }
        for bad in ["", "-", "1.5", "1e3", "ten", " 1"] {
            assert!(problem(&n, bad).is_some(), "{bad}");
        }
        n.min_value = Some(1);
        n.max_value = Some(10);
        assert!(problem(&n, "0").is_some());
        assert!(problem(&n, "11").is_some());
        assert!(problem(&n, "99999999999999999999999").is_some());
        assert!(problem(&n, "10").is_none());
        let updated_at = standard_attribute("updated_at").expect("updated_at");
        assert!(problem(&updated_at, "-1").is_some());
        assert!(problem(&updated_at, "1700000000").is_none());
    }

    #[test]
    fn booleans_are_true_or_false() {
        let b = custom(AttributeDataType::Boolean);
        assert!(problem(&b, "true").is_none() && problem(&b, "false").is_none());
        for bad in ["TRUE", "yes", "1", ""] {
            assert!(problem(&b, bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn birthdate_is_a_date() {
        let b = standard_attribute("birthdate").expect("birthdate");
        assert!(problem(&b, "1990-02-28").is_none());
        for bad in [
            "1990-13-01",
            "1990-1-1",
            "28.02.1990",
            "1990",
            "1990-02-28Z",
        ] {
            assert!(problem(&b, bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn date_times_are_iso_8601() {
        for ok in [
            "2024-05-06",
            "2024-05-06T07:08:09Z",
            "2024-05-06T07:08:09.123+02:00",
            "2024-05-06 07:08",
            "2024-05-06T07:08:09-05:30",
        ] {
            assert!(is_date_time(ok), "{ok}");
        }
        for bad in [
            "",
            "yesterday",
            "2024-05-06T",
            "2024-05-06T25:00",
            "2024-05-06T07:08:09+2",
            "1715000000",
        ] {
            assert!(!is_date_time(bad), "{bad}");
        }
    }
}
