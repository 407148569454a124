//! The schema rules, one test per rule.

use super::*;

fn def(name: &str, data_type: Option<AttributeDataType>) -> SchemaDefinition {
    SchemaDefinition {
        name: name.into(),
        data_type,
        ..Default::default()
    }
}

fn string(name: &str) -> SchemaDefinition {
    def(name, Some(AttributeDataType::String))
}

fn number(name: &str) -> SchemaDefinition {
    def(name, Some(AttributeDataType::Number))
}

fn bounds(min: Option<&str>, max: Option<&str>) -> Option<Bounds> {
    Some(Bounds {
        min: min.map(String::from),
        max: max.map(String::from),
    })
}

fn message(result: Result<Vec<SchemaAttribute>>) -> String {
    match result {
        Ok(_) => "accepted".into(),
        Err(e) => {
            assert_eq!(e.kind, crate::ErrorKind::InvalidParameter, "{}", e.message);
            e.message
        }
    }
}

fn find<'a>(schema: &'a [SchemaAttribute], name: &str) -> &'a SchemaAttribute {
    schema
        .iter()
        .find(|a| a.name == name)
        .unwrap_or_else(|| panic!("{name} not in the schema"))
}

#[test]
fn no_definitions_is_the_standard_schema() {
    assert_eq!(create_schema(&[]).ok(), Some(default_schema()));
}

#[test]
fn custom_names_get_the_custom_prefix_even_when_they_have_one() {
    let schema = create_schema(&[string("tier"), string("custom:plan")]).expect("schema");
    find(&schema, "custom:tier");
    find(&schema, "custom:custom:plan");
    assert_eq!(schema.len(), 22);
}

#[test]
fn developer_only_attributes_get_the_dev_prefix() {
    let schema = create_schema(&[SchemaDefinition {
        developer_only: Some(true),
        ..string("secret")
    }])
    .expect("schema");
    let a = find(&schema, "dev:custom:secret");
    assert!(a.developer_only && a.is_custom());
}

#[test]
fn custom_attribute_needs_a_data_type() {
    assert_eq!(
        message(create_schema(&[def("tier", None)])),
        "Invalid AttributeDataType input, consider using the provided AttributeDataType enum."
    );
}

#[test]
fn custom_attribute_cannot_be_required() {
    let required = SchemaDefinition {
        required: Some(true),
        ..string("tier")
    };
    assert_eq!(
        message(create_schema(&[required])),
        "Required custom attributes are not supported currently."
    );
}

#[test]
fn custom_attributes_are_mutable_unless_said_otherwise() {
    let schema = create_schema(&[
        string("a"),
        SchemaDefinition {
            mutable: Some(false),
            ..string("b")
        },
    ])
    .expect("schema");
    assert!(find(&schema, "custom:a").mutable);
    assert!(!find(&schema, "custom:b").mutable);
}

#[test]
fn standard_attribute_keeps_its_type_and_cannot_be_developer_only() {
    let expected = "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email";
    assert_eq!(message(create_schema(&[number("email")])), expected);
    let dev = SchemaDefinition {
        developer_only: Some(true),
        ..def("email", None)
    };
    assert_eq!(message(create_schema(&[dev])), expected);
}

#[test]
fn standard_attribute_may_become_required_immutable_and_shorter() {
    let schema = create_schema(&[SchemaDefinition {
        required: Some(true),
        mutable: Some(false),
        string_constraints: bounds(Some("3"), Some("64")),
        ..def("name", None)
    }])
    .expect("schema");
    let name = find(&schema, "name");
    assert!(name.required && !name.mutable);
    assert_eq!((name.min_length, name.max_length), (Some(3), Some(64)));
}

#[test]
fn sub_keeps_its_definition() {
    let schema = create_schema(&[SchemaDefinition {
        mutable: Some(true),
        required: Some(false),
        ..string("sub")
    }])
    .expect("schema");
    let sub = find(&schema, "sub");
    assert!(!sub.mutable && sub.required);
    assert_eq!(
        message(create_schema(&[number("sub")])),
        "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute sub"
    );
}

#[test]
fn verified_flags_in_a_schema_are_custom_attributes() {
    let schema =
        create_schema(&[def("email_verified", Some(AttributeDataType::Boolean))]).expect("schema");
    find(&schema, "custom:email_verified");
}

#[test]
fn string_lengths_are_whole_numbers() {
    for bad in ["abc", "-1", "1.5", " 2"] {
        let d = SchemaDefinition {
            string_constraints: bounds(Some(bad), None),
            ..string("tier")
        };
        assert_eq!(
            message(create_schema(&[d])),
            "Invalid StringAttributeConstraints for schema attribute custom:tier",
            "{bad}"
        );
    }
}

#[test]
fn string_lengths_stop_at_2048() {
    for (min, max) in [
        (None, Some("2049")),
        (Some("2049"), None),
        (None, Some("99999999999999999999999")),
    ] {
        let d = SchemaDefinition {
            string_constraints: bounds(min, max),
            ..def("email", Some(AttributeDataType::String))
        };
        assert_eq!(
            message(create_schema(&[d])),
            "user.email: String attributes cannot have a length of more than 2048"
        );
    }
    let ok = SchemaDefinition {
        string_constraints: bounds(Some("0"), Some("2048")),
        ..string("tier")
    };
    assert!(create_schema(&[ok]).is_ok());
}

#[test]
fn min_length_above_max_length_is_refused() {
    let d = SchemaDefinition {
        string_constraints: bounds(Some("5"), Some("4")),
        ..string("tier")
    };
    assert_eq!(
        message(create_schema(&[d])),
        "user.custom:tier: Max length cannot be less than min length."
    );
}

#[test]
fn number_bounds_are_integers_in_order() {
    let d = SchemaDefinition {
        number_constraints: bounds(Some("x"), None),
        ..number("score")
    };
    assert_eq!(
        message(create_schema(&[d])),
        "Invalid NumberAttributeConstraints for schema attribute custom:score"
    );
    let d = SchemaDefinition {
        number_constraints: bounds(Some("10"), Some("9")),
        ..number("score")
    };
    assert_eq!(
        message(create_schema(&[d])),
        "user.custom:score: Max value cannot be less than min value."
    );
    let d = SchemaDefinition {
        number_constraints: bounds(Some("-5"), Some("5")),
        ..number("score")
    };
    let schema = create_schema(&[d]).expect("negative bounds");
    let score = find(&schema, "custom:score");
    assert_eq!((score.min_value, score.max_value), (Some(-5), Some(5)));
}

#[test]
fn constraints_of_the_other_type_are_ignored() {
    let d = SchemaDefinition {
        string_constraints: bounds(Some("nonsense"), None),
        number_constraints: bounds(Some("1"), Some("9")),
        ..def("flag", Some(AttributeDataType::Boolean))
    };
    let schema = create_schema(&[d]).expect("schema");
    let flag = find(&schema, "custom:flag");
    assert_eq!((flag.min_length, flag.min_value), (None, None));
}

#[test]
fn partial_constraints_keep_only_what_was_given() {
    let d = SchemaDefinition {
        string_constraints: bounds(None, Some("10")),
        ..string("tier")
    };
    let schema = create_schema(&[d]).expect("schema");
    let tier = find(&schema, "custom:tier");
    assert_eq!((tier.min_length, tier.max_length), (None, Some(10)));
}

#[test]
fn duplicate_names_are_refused() {
    assert_eq!(
        message(create_schema(&[string("tier"), number("tier")])),
        "custom:tier: Existing attribute already has name custom:tier."
    );
    assert_eq!(
        message(create_schema(&[def("email", None), def("email", None)])),
        "email: Existing attribute already has name email."
    );
}

#[test]
fn add_custom_attributes_refuses_existing_names_and_adds_nothing() {
    let mut schema = create_schema(&[string("tier")]).expect("schema");
    let before = schema.clone();
    let e = add_custom_attributes(&mut schema, &[string("plan"), string("tier")]).expect_err("dup");
    assert_eq!(
        e.message,
        "custom:tier: Existing attribute already has name custom:tier."
    );
    assert_eq!(schema, before);
    // A standard name is a custom attribute there.
    add_custom_attributes(&mut schema, &[string("email")]).expect("custom:email");
    find(&schema, "custom:email");
}

#[test]
fn at_most_fifty_custom_attributes() {
    let mut schema = default_schema();
    let first: Vec<_> = (0..25).map(|i| string(&format!("a{i}"))).collect();
    let second: Vec<_> = (0..25).map(|i| string(&format!("b{i}"))).collect();
    add_custom_attributes(&mut schema, &first).expect("25");
    add_custom_attributes(&mut schema, &second).expect("50");
    let e = add_custom_attributes(&mut schema, &[string("one_more")]).expect_err("51");
    assert_eq!(e.kind, crate::ErrorKind::InvalidParameter);
    assert_eq!(schema.iter().filter(|a| a.is_custom()).count(), 50);
}
