//! The `Schema` of CreateUserPool and the `CustomAttributes` of AddCustomAttributes, checked
//! with Cognito's rules and messages:
//!
//! - a name that is a standard attribute redefines it: its type cannot change and it cannot be
//!   developer-only; `Mutable`, `Required` and the constraints of its type may be set (`sub`
//!   keeps its own). Every other name (AddCustomAttributes: every name) is a custom attribute,
//!   `custom:<name>`, or `dev:custom:<name>` when developer-only; it needs an
//!   `AttributeDataType` and cannot be required;
//! - string lengths are whole numbers up to 2048, MinLength ≤ MaxLength; number bounds are
//!   integers, MinValue ≤ MaxValue; constraints of the other type are ignored;
//! - a name already in the schema is refused, and a pool holds at most 50 custom attributes.

use crate::model::{AttributeDataType, SchemaAttribute};
use crate::service::common::standard_schema::{
    default_schema, is_definable_standard, MAX_STRING_LENGTH,
};
use crate::{CognitoError, Result};

/// How many custom (and developer-only) attributes a pool may have.
pub const MAX_CUSTOM_ATTRIBUTES: usize = 50;

/// One `SchemaAttributeType` as the request gave it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaDefinition {
    pub name: String,
    pub data_type: Option<AttributeDataType>,
    pub developer_only: Option<bool>,
    pub mutable: Option<bool>,
    pub required: Option<bool>,
    /// `StringAttributeConstraints` (MinLength, MaxLength), as strings.
    pub string_constraints: Option<Bounds>,
    /// `NumberAttributeConstraints` (MinValue, MaxValue), as strings.
    pub number_constraints: Option<Bounds>,
}

/// A pair of bounds as the wire carries them: decimal strings, each optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bounds {
    pub min: Option<String>,
    pub max: Option<String>,
}

fn invalid(message: String) -> CognitoError {
    CognitoError::invalid_parameter(message)
}

/// The schema of a new pool: the standard attributes, redefined or extended by `definitions`.
pub fn create_schema(definitions: &[SchemaDefinition]) -> Result<Vec<SchemaAttribute>> {
    let mut schema = default_schema();
    let mut redefined: Vec<&str> = Vec::new();
    let mut custom = Vec::new();
    for def in definitions {
        if !is_definable_standard(&def.name) {
            custom.push(def.clone());
            continue;
        }
        if redefined.contains(&def.name.as_str()) {
            return Err(exists(&def.name, &def.name));
        }
        redefined.push(&def.name);
        if let Some(slot) = schema.iter_mut().find(|a| a.name == def.name) {
            *slot = redefine_standard(def, slot.clone())?;
        }
    }
    add_custom_attributes(&mut schema, &custom)?;
    Ok(schema)
}

/// AddCustomAttributes: every definition is a custom attribute, appended to `schema`.
pub fn add_custom_attributes(
    schema: &mut Vec<SchemaAttribute>,
    definitions: &[SchemaDefinition],
) -> Result<()> {
    let mut added = Vec::with_capacity(definitions.len());
    for def in definitions {
        let attribute = custom_attribute(def)?;
        let taken = schema
            .iter()
            .chain(&added)
            .any(|a: &SchemaAttribute| a.name == attribute.name);
        if taken {
            return Err(exists(&format!("custom:{}", def.name), &attribute.name));
        }
        added.push(attribute);
    }
    let custom = schema.iter().filter(|a| a.is_custom()).count();
    if custom + added.len() > MAX_CUSTOM_ATTRIBUTES {
        return Err(invalid(format!(
            "A user pool can have at most {MAX_CUSTOM_ATTRIBUTES} custom attributes."
        )));
    }
    schema.extend(added);
    Ok(())
}

fn exists(name: &str, existing: &str) -> CognitoError {
    invalid(format!(
        "{name}: Existing attribute already has name {existing}."
    ))
}

fn redefine_standard(def: &SchemaDefinition, standard: SchemaAttribute) -> Result<SchemaAttribute> {
    if def.data_type.is_some_and(|t| t != standard.data_type) || def.developer_only == Some(true) {
        return Err(invalid(format!(
            "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute {}",
            standard.name
        )));
    }
    if standard.name == "sub" {
        // Always immutable, required, 1-2048 characters.
        return Ok(standard);
    }
    let mut attribute = SchemaAttribute {
        mutable: def.mutable.unwrap_or(standard.mutable),
        required: def.required.unwrap_or(standard.required),
        ..standard
    };
    set_constraints(&mut attribute, def)?;
    Ok(attribute)
}

fn custom_attribute(def: &SchemaDefinition) -> Result<SchemaAttribute> {
    let data_type = def.data_type.ok_or_else(|| {
        invalid(
            "Invalid AttributeDataType input, consider using the provided AttributeDataType enum."
                .into(),
        )
    })?;
    let developer_only = def.developer_only.unwrap_or(false);
    let name = if developer_only {
        format!("dev:custom:{}", def.name)
    } else {
        format!("custom:{}", def.name)
    };
    if def.required == Some(true) {
        return Err(invalid(
            "Required custom attributes are not supported currently.".into(),
        ));
    }
    let mut attribute = SchemaAttribute {
        name,
        data_type,
        mutable: def.mutable.unwrap_or(true),
        required: false,
        developer_only,
        min_length: None,
        max_length: None,
        min_value: None,
        max_value: None,
    };
    set_constraints(&mut attribute, def)?;
    Ok(attribute)
}

/// Applies the constraints of the attribute's own type; the other type's are ignored.
fn set_constraints(attribute: &mut SchemaAttribute, def: &SchemaDefinition) -> Result<()> {
    match attribute.data_type {
        AttributeDataType::String => {
            if let Some(bounds) = &def.string_constraints {
                let (min, max) = lengths(&attribute.name, bounds)?;
                attribute.min_length = min;
                attribute.max_length = max;
            }
        }
        AttributeDataType::Number => {
            if let Some(bounds) = &def.number_constraints {
                let (min, max) = values(&attribute.name, bounds)?;
                attribute.min_value = min;
                attribute.max_value = max;
            }
        }
        AttributeDataType::Boolean | AttributeDataType::DateTime => {}
    }
    Ok(())
}

/// A bound as given: absent or empty is no bound.
fn given(bound: &Option<String>) -> Option<&str> {
    bound.as_deref().filter(|b| !b.is_empty())
}

fn lengths(name: &str, bounds: &Bounds) -> Result<(Option<u32>, Option<u32>)> {
    let parse = |bound: &Option<String>| -> Result<Option<u64>> {
        let Some(b) = given(bound) else {
            return Ok(None);
        };
        if !b.bytes().all(|c| c.is_ascii_digit()) {
            return Err(invalid(format!(
                "Invalid StringAttributeConstraints for schema attribute {name}"
            )));
        }
        // All digits: only too many of them can fail, and that is over 2048 anyway.
        Ok(Some(b.parse().unwrap_or(u64::MAX)))
    };
    let (min, max) = (parse(&bounds.min)?, parse(&bounds.max)?);
    let limit = u64::from(MAX_STRING_LENGTH);
    if min.is_some_and(|m| m > limit) || max.is_some_and(|m| m > limit) {
        return Err(invalid(format!(
            "user.{name}: String attributes cannot have a length of more than {MAX_STRING_LENGTH}"
        )));
    }
    if let (Some(min), Some(max)) = (min, max) {
        if min > max {
            return Err(invalid(format!(
                "user.{name}: Max length cannot be less than min length."
            )));
        }
    }
    // Both are at most 2048 here.
    let narrow = |v: Option<u64>| v.and_then(|v| u32::try_from(v).ok());
    Ok((narrow(min), narrow(max)))
}

fn values(name: &str, bounds: &Bounds) -> Result<(Option<i64>, Option<i64>)> {
    let parse = |bound: &Option<String>| -> Result<Option<i64>> {
        given(bound)
            .map(|b| {
                b.parse::<i64>().map_err(|_| {
                    invalid(format!(
                        "Invalid NumberAttributeConstraints for schema attribute {name}"
                    ))
                })
            })
            .transpose()
    };
    let (min, max) = (parse(&bounds.min)?, parse(&bounds.max)?);
    if let (Some(min), Some(max)) = (min, max) {
        if min > max {
            return Err(invalid(format!(
                "user.{name}: Max value cannot be less than min value."
            )));
        }
    }
    Ok((min, max))
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
