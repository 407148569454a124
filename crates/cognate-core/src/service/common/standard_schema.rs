//! Cognito's standard attributes: the schema every new pool starts with, in the order and with
//! the constraints DescribeUserPool reports them (`sub`, the OpenID Connect attributes, the two
//! `_verified` flags, `updated_at`).

use crate::model::{AttributeDataType, SchemaAttribute};

/// Longest value a string attribute may hold, and the largest `MaxLength` a schema may set.
pub const MAX_STRING_LENGTH: u32 = 2048;

/// One standard attribute: name, type, and the constraints Cognito gives it.
struct Standard {
    name: &'static str,
    data_type: AttributeDataType,
    mutable: bool,
    required: bool,
    /// (MinLength, MaxLength) for strings.
    lengths: Option<(u32, u32)>,
    /// MinValue for numbers.
    min_value: Option<i64>,
}

const fn string(name: &'static str) -> Standard {
    Standard {
        name,
        data_type: AttributeDataType::String,
        mutable: true,
        required: false,
        lengths: Some((0, MAX_STRING_LENGTH)),
        min_value: None,
    }
}

const fn boolean(name: &'static str) -> Standard {
    Standard {
        name,
        data_type: AttributeDataType::Boolean,
        mutable: true,
        required: false,
        lengths: None,
        min_value: None,
    }
}

const STANDARD: &[Standard] = &[
    Standard {
        mutable: false,
        required: true,
        lengths: Some((1, MAX_STRING_LENGTH)),
        ..string("sub")
    },
    string("name"),
    string("given_name"),
    string("family_name"),
    string("middle_name"),
    string("nickname"),
    string("preferred_username"),
    string("profile"),
    string("picture"),
    string("website"),
    string("email"),
    boolean("email_verified"),
    string("gender"),
    // OpenID Connect's YYYY-MM-DD: exactly ten characters.
    Standard {
        lengths: Some((10, 10)),
        ..string("birthdate")
    },
    string("zoneinfo"),
    string("locale"),
    string("phone_number"),
    boolean("phone_number_verified"),
    string("address"),
    // Seconds since the epoch.
    Standard {
        name: "updated_at",
        data_type: AttributeDataType::Number,
        mutable: true,
        required: false,
        lengths: None,
        min_value: Some(0),
    },
];

fn attribute(s: &Standard) -> SchemaAttribute {
    SchemaAttribute {
        name: s.name.to_owned(),
        data_type: s.data_type,
        mutable: s.mutable,
        required: s.required,
        developer_only: false,
        min_length: s.lengths.map(|(min, _)| min),
        max_length: s.lengths.map(|(_, max)| max),
        min_value: s.min_value,
        max_value: None,
    }
}

/// The schema of a pool created without a `Schema`.
pub fn default_schema() -> Vec<SchemaAttribute> {
    STANDARD.iter().map(attribute).collect()
}

/// The standard attribute called `name`, as a new pool has it.
pub fn standard_attribute(name: &str) -> Option<SchemaAttribute> {
    STANDARD.iter().find(|s| s.name == name).map(attribute)
}

/// Whether a `Schema` entry called `name` redefines a standard attribute. The `_verified` flags
/// are not among them: Cognito takes those names as custom attributes in a `Schema`.
pub fn is_definable_standard(name: &str) -> bool {
    !name.ends_with("_verified") && STANDARD.iter().any(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_schema_is_cognitos() {
        let schema = default_schema();
        assert_eq!(schema.len(), 20);
        assert_eq!(schema[0].name, "sub");
        assert!(!schema[0].mutable && schema[0].required);
        let birthdate = standard_attribute("birthdate").expect("birthdate");
        assert_eq!(
            (birthdate.min_length, birthdate.max_length),
            (Some(10), Some(10))
        );
        let updated_at = standard_attribute("updated_at").expect("updated_at");
        assert_eq!(updated_at.data_type, AttributeDataType::Number);
        assert_eq!(
            (updated_at.min_value, updated_at.max_value),
            (Some(0), None)
        );
        let verified = standard_attribute("email_verified").expect("flag");
        assert_eq!(verified.min_length, None);
        assert!(is_definable_standard("email"));
        assert!(is_definable_standard("sub"));
        assert!(!is_definable_standard("email_verified"));
        assert!(!is_definable_standard("tier"));
    }
}
