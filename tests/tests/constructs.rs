//! What the generated types do with each OpenAPI construct, through serde:
//! the fixture crates in `tests/fixtures/*-api`, generated from
//! `tests/fixtures/specs`. (That they compile, clippy-clean, is the
//! workspace build; what they look like is the snapshots.)

use serde_json::{Value, json};

fn round_trip<T>(wire: Value) -> T
where
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
{
    let value: T = serde_json::from_value(wire.clone()).expect("reads");
    let again: T = serde_json::from_value(serde_json::to_value(&value).unwrap()).unwrap();
    assert_eq!(again, value, "writing and reading back changes nothing");
    value
}

mod defaults {
    use super::*;
    use defaults_api::types::{Limits, Mode, Settings, SettingsFlavor, SettingsMode};

    #[test]
    fn missing_fields_read_as_the_spec_defaults() {
        let settings: Settings = serde_json::from_value(json!({"name": "n"})).unwrap();
        assert!(settings.active, "`active: default true` reads as true");
        assert_eq!(settings.retries, 3);
        assert_eq!(settings.ratio, 0.5);
        // The shortest literals that read back as the document's values, in
        // the field's type (clippy's `excessive_precision` checks the rest).
        assert_eq!(settings.threshold, 0.400_000_005_960_464_5_f64 as f32);
        assert_eq!(settings.precise, 0.1);
        assert_eq!(settings.tiny, f32::from_bits(1));
        assert_eq!(settings.huge, f64::MAX);
        assert_eq!(settings.floor, i64::MIN);
        assert_eq!(settings.greeting, "hello");
        assert_eq!(settings.mode, SettingsMode::Safe);
        assert_eq!(
            settings.ref_mode,
            Mode::Fast,
            "through an allOf-wrapped $ref"
        );
        assert_eq!(settings.tags, Vec::<String>::new());
        assert_eq!(settings.levels, vec![1, 2, 3]);
        assert!(settings.labels.is_empty());
        assert_eq!(
            settings.limits,
            Limits::default(),
            "default: {{}} on a struct"
        );
        assert_eq!(settings.limits.max_items, 100, "whose own defaults apply");
        assert_eq!(settings.limits.max_bytes, 1_048_576);
        // A default outside the enum's values is kept as the spec says.
        assert_eq!(settings.flavor, SettingsFlavor::Unknown("bitter".into()));
        // Defaults that do not fit their type are not invented.
        assert_eq!(settings.timeout, None);
        assert_eq!(settings.enabled, None);
    }

    #[test]
    fn given_values_win_and_are_written() {
        let settings: Settings =
            serde_json::from_value(json!({"name": "n", "active": false, "retries": 7})).unwrap();
        assert!(!settings.active);
        assert_eq!(settings.retries, 7);
        let written = serde_json::to_value(&settings).unwrap();
        assert_eq!(written["active"], json!(false));
        assert_eq!(written["greeting"], json!("hello"));
    }

    #[test]
    fn defaulted_required_field_is_still_required() {
        let error = serde_json::from_value::<Settings>(json!({})).unwrap_err();
        assert!(error.to_string().contains("name"), "{error}");
    }
}

mod nullable {
    use super::*;
    use nullable_api::types::{UpdateWidget, Widget};

    #[test]
    fn a_request_body_sends_absent_null_and_value_apart() {
        let leave = UpdateWidget::default();
        assert_eq!(serde_json::to_value(&leave).unwrap(), json!({}));
        let clear = UpdateWidget {
            description: Some(None),
            ..UpdateWidget::default()
        };
        assert_eq!(
            serde_json::to_value(&clear).unwrap(),
            json!({"description": null})
        );
        let set = UpdateWidget {
            description: Some(Some("new".into())),
            ..UpdateWidget::default()
        };
        assert_eq!(
            serde_json::to_value(&set).unwrap(),
            json!({"description": "new"})
        );
    }

    #[test]
    fn three_states_read_back_apart() {
        let absent: UpdateWidget = serde_json::from_value(json!({})).unwrap();
        let null: UpdateWidget = serde_json::from_value(json!({"count": null})).unwrap();
        let value: UpdateWidget = serde_json::from_value(json!({"count": 3})).unwrap();
        assert_eq!(absent.count, None);
        assert_eq!(null.count, Some(None));
        assert_eq!(value.count, Some(Some(3)));
    }

    #[test]
    fn required_nullable_is_written_as_null() {
        let base = json!({
            "req_string": "s", "req_null_string": null,
            "req_int": 1, "req_null_int": null,
            "req_part": {"name": "p"}, "req_null_part": null,
            "req_list": [], "req_null_list": null,
        });
        let widget: Widget = round_trip(base.clone());
        assert_eq!(widget.req_null_string, None);
        assert_eq!(
            widget.opt_null_string, None,
            "read-only types: plain Option"
        );
        let written = serde_json::to_value(&widget).unwrap();
        assert_eq!(written["req_null_string"], Value::Null, "written as null");
        assert!(
            written.get("opt_string").is_none(),
            "optional None is left out"
        );

        // Reading is lenient: a server that leaves it out reads as None.
        let mut missing = base;
        missing.as_object_mut().unwrap().remove("req_null_int");
        assert_eq!(
            serde_json::from_value::<Widget>(missing)
                .unwrap()
                .req_null_int,
            None
        );
    }
}

mod maps {
    use super::*;
    use maps_api::types::{Closed, Inventory, Metadata};

    #[test]
    fn properties_beside_additional_properties_keep_both() {
        let metadata: Metadata =
            round_trip(json!({"version": 2, "owner": "o", "region": "eu", "tier": "gold"}));
        assert_eq!(metadata.version, 2);
        assert_eq!(metadata.additional_properties.len(), 2);
        assert_eq!(metadata.additional_properties["region"], "eu");
        let written = serde_json::to_value(&metadata).unwrap();
        assert_eq!(written["tier"], "gold", "extra keys are written back flat");
    }

    #[test]
    fn free_form_and_nested_maps_round_trip() {
        let wire = json!({
            "items": {"a": {"count": 1}},
            "labels": {"k": "v"},
            "open": {"anything": [1, {"x": null}]},
            "free_form": {"deep": {"er": true}},
            "anything": 42,
            "empty_schema": "text",
            "bins": {"b": ["x", "y"]},
            "matrix": {"r": {"c": 2}},
            "history": [{"t": 1.5}],
        });
        let inventory: Inventory = round_trip(wire.clone());
        assert_eq!(inventory.items["a"].count, 1);
        let written = serde_json::to_value(&inventory).unwrap();
        for key in ["open", "free_form", "anything", "empty_schema"] {
            assert_eq!(written[key], wire[key], "{key} is kept as it came");
        }
    }

    #[test]
    fn additional_properties_false_is_a_plain_struct() {
        // Not enforced on reading (an old client must survive a new server).
        let closed: Closed = serde_json::from_value(json!({"id": "x", "new": 1})).unwrap();
        assert_eq!(closed.id.as_deref(), Some("x"));
    }
}

mod unions {
    use super::*;
    use oneof_api::types::{
        Bike, Contact, Dog, Figure, IdOrName, Level, OneOrMany, Pet, Shape, Unions, Vehicle,
    };

    #[test]
    fn tagged_by_enum_and_by_const() {
        let shape: Shape = round_trip(json!({"kind": "rectangle", "width": 2.0, "height": 3.0}));
        let Shape::Rectangle(r) = &shape else {
            panic!("{shape:?}")
        };
        assert_eq!((r.width, r.height), (2.0, 3.0));
        assert_eq!(serde_json::to_value(&shape).unwrap()["kind"], "rectangle");
        let figure: Figure = round_trip(json!({"kind": "triangle", "base": 1.0, "height": 2.0}));
        assert!(
            matches!(figure, Figure::Triangle(_)),
            "a `const` tag is a tag"
        );
    }

    #[test]
    fn discriminator_mapping_and_schema_names() {
        let pet: Pet = round_trip(json!({"pet_type": "dog", "bark": true}));
        assert!(matches!(&pet, Pet::Dog(d) if d.bark));
        let vehicle: Vehicle = round_trip(json!({"type": "Bike", "gears": 3}));
        assert!(matches!(&vehicle, Vehicle::Bike(b) if b.gears == Some(3)));
    }

    #[test]
    fn the_variant_writes_its_own_tag() {
        let pet = Pet::Dog(Dog {
            pet_type: String::new(),
            bark: false,
        });
        assert_eq!(serde_json::to_value(&pet).unwrap()["pet_type"], "dog");
        let vehicle = Vehicle::Bike(Bike {
            r#type: "Car".into(),
            gears: None,
        });
        assert_eq!(serde_json::to_value(&vehicle).unwrap()["type"], "Bike");
    }

    #[test]
    fn unknown_tags_are_kept_whole() {
        let wire = json!({"pet_type": "parrot", "words": ["hello"]});
        let pet: Pet = round_trip(wire.clone());
        assert_eq!(pet, Pet::Unknown(wire.clone()));
        assert_eq!(serde_json::to_value(&pet).unwrap(), wire);
    }

    #[test]
    fn untagged_primitives_and_objects() {
        assert_eq!(round_trip::<IdOrName>(json!(42)), IdOrName::Integer(42));
        assert_eq!(
            round_trip::<IdOrName>(json!("forty-two")),
            IdOrName::String("forty-two".into())
        );
        assert_eq!(
            round_trip::<OneOrMany>(json!(["a", "b"])),
            OneOrMany::Array(vec!["a".into(), "b".into()])
        );
        let contact: Contact = round_trip(json!({"phone": "555"}));
        assert!(matches!(contact, Contact::Phone(p) if p.phone == "555"));
    }

    #[test]
    fn enum_of_documented_values_keeps_unknown_ones() {
        assert_eq!(round_trip::<Level>(json!("warn")), Level::Warn);
        assert_eq!(
            round_trip::<Level>(json!("trace")),
            Level::Unknown("trace".into())
        );
    }

    #[test]
    fn all_together_in_one_body() {
        let unions: Unions = round_trip(json!({
            "shape": {"kind": "circle", "radius": 1.0},
            "pet": {"pet_type": "cat", "lives": 9},
            "id_or_name": "x",
            "either": {"weight": 1.5},
            "level": "debug"
        }));
        assert!(matches!(unions.shape, Shape::Circle(_)));
    }
}

/// What the wire tests found in real documents (GitHub's), reduced to
/// their shapes in `wire.yaml`.
mod wire {
    use super::*;
    use wire_api::types::{Delivery, Environment, Form, Group, IssueResult, TimelineEvent};

    #[test]
    fn a_string_beside_additional_properties_is_a_string() {
        let delivery: Delivery =
            round_trip(json!({"id": 1, "response": {"payload": "ok", "status": 200}}));
        assert_eq!(delivery.response.payload.as_deref(), Some("ok"));
        let delivery: Delivery =
            round_trip(json!({"id": 2, "response": {"payload": null, "status": 500}}));
        assert_eq!(delivery.response.payload, None);
    }

    #[test]
    fn an_any_of_of_inline_objects_keeps_every_members_keys() {
        let wire = json!({"name": "production", "protection_rules": [
            {"id": 2, "type": "required_reviewers", "prevent_self_review": true,
             "reviewers": [{"type": "User", "id": 7}]},
            {"id": 4, "type": "mixed", "wait_timer": 5, "reviewers": []},
        ]});
        let environment: Environment = round_trip(wire.clone());
        assert_eq!(serde_json::to_value(&environment).unwrap(), wire);
        let rules = environment.protection_rules.unwrap();
        assert_eq!(rules[0].reviewers.as_ref().map(Vec::len), Some(1));
        assert_eq!(rules[1].wait_timer, Some(5), "both members' keys are kept");
    }

    #[test]
    fn an_untagged_union_reads_the_variant_that_keeps_every_key() {
        let committed = json!({"id": 3, "event": "committed", "sha": "0a1b2c",
                               "message": "Fix it", "author": {"login": "octocat"}});
        let event: TimelineEvent = round_trip(committed.clone());
        assert!(
            matches!(event, TimelineEvent::CommittedEvent(_)),
            "{event:?}"
        );
        assert_eq!(serde_json::to_value(&event).unwrap(), committed);
        let labeled = json!({"id": 1, "event": "labeled", "label": {"name": "bug"}});
        assert!(matches!(
            round_trip::<TimelineEvent>(labeled),
            TimelineEvent::LabeledEvent(_)
        ));
        // What every variant reads whole is the first of them.
        assert!(matches!(
            round_trip::<TimelineEvent>(json!({"id": 4, "event": "closed"})),
            TimelineEvent::Event(_)
        ));
        // A key no variant declares is lost whichever is chosen: the first
        // that loses least.
        assert!(matches!(
            round_trip::<TimelineEvent>(json!({"id": 5, "event": "x", "body": "b", "extra": 1})),
            TimelineEvent::CommentedEvent(_)
        ));
        let error = serde_json::from_value::<TimelineEvent>(json!("text")).unwrap_err();
        assert!(error.to_string().contains("TimelineEvent"), "{error}");
    }

    #[test]
    fn properties_beside_an_all_of_are_merged_with_it() {
        let wire = json!({"objectType": "Group", "objectId": "g-1", "displayName": "Admins"});
        let group: Group = round_trip(wire.clone());
        assert_eq!(group.object_type, "Group", "the base's required key");
        assert_eq!(serde_json::to_value(&group).unwrap(), wire);
    }

    #[test]
    fn property_sets_beside_properties_are_optional_fields() {
        let one: IssueResult = round_trip(json!({"title": "XSS", "project": {"id": "p1"}}));
        assert_eq!(one.project.map(|p| p.id).as_deref(), Some("p1"));
        let many: IssueResult =
            round_trip(json!({"title": "CSRF", "projects": [{"id": "p1"}, {"id": "p2"}]}));
        assert_eq!(many.projects.map(|p| p.len()), Some(2));
    }

    #[test]
    fn items_beside_type_object_is_an_object() {
        let wire = json!({"id": "contact", "fields": {"email": {"type": "string"}}});
        let form: Form = round_trip(wire.clone());
        assert_eq!(serde_json::to_value(&form).unwrap(), wire);
    }
}

mod allof {
    use super::*;
    use allof_api::types::{NewPet, Owner, StoredPet};

    #[test]
    fn merged_members_unite_their_required_fields() {
        // `name` (first member), `tags` (second), `species` (inline) and, in
        // StoredPet, `id`: required, so plain values; the rest optional.
        let pet: StoredPet = round_trip(json!({
            "name": "Rex", "tags": ["good"], "species": "dog", "id": "p1",
            "created_at": "2024-01-02T03:04:05Z"
        }));
        assert_eq!((pet.name.as_str(), pet.id.as_str()), ("Rex", "p1"));
        assert_eq!(pet.age, None);
        for missing in ["name", "tags", "species"] {
            let mut wire = json!({"name": "Rex", "tags": [], "species": "dog"});
            wire.as_object_mut().unwrap().remove(missing);
            assert!(
                serde_json::from_value::<NewPet>(wire).is_err(),
                "`{missing}` is required"
            );
        }
    }

    #[test]
    fn nullable_single_allof_wrapper() {
        let owner: Owner = serde_json::from_value(json!({"id": "o", "home": null})).unwrap();
        assert_eq!(owner.home, None);
        let owner: Owner = round_trip(json!({"id": "o", "home": {"street": "Main", "city": "X"}}));
        assert_eq!(owner.home.map(|a| a.city).as_deref(), Some("X"));
        // Required and nullable: written as null, even when it is None.
        let written = serde_json::to_value(Owner {
            id: "o".into(),
            home: None,
            work: None,
            billing: None,
        })
        .unwrap();
        assert_eq!(written, json!({"id": "o", "home": null}));
    }
}

mod recursion {
    use super::*;
    use recursive_api::types::{Graph, ListNode};

    #[test]
    fn deep_recursive_values_round_trip() {
        let list = ListNode {
            value: 1,
            next: Some(Box::new(ListNode {
                value: 2,
                next: None,
            })),
        };
        let written = serde_json::to_value(&list).unwrap();
        assert_eq!(written, json!({"value": 1, "next": {"value": 2}}));
        let graph: Graph = round_trip(json!({
            "tree": {"value": "root", "children": [{"value": "leaf", "children": []}]},
            "person": {"name": "p", "employer": {"name": "c", "ceo": {"name": "q"}}},
            "expr": {"sum": [{"value": 1.0}, {"negate": {"value": 2.0}}]},
        }));
        assert!(graph.expr.is_some());
    }
}

mod formats {
    use super::*;
    use formats_api::types::OptionalFormats;

    #[test]
    fn bytes_are_base64_and_integers_keep_their_width() {
        let formats: OptionalFormats = round_trip(json!({
            "bytes": "aGVsbG8=",
            "u8": 255,
            "i8": -128,
            "u64": 18446744073709551615u64,
            "date": "2024-02-29",
            "date_time": "2024-02-29T12:00:00Z",
            "uuid": "67e55044-10b1-426f-9247-bb680e5fe0c8",
            "decimal": "1.10",
            "made_up_integer": 7,
        }));
        assert_eq!(formats.bytes.as_deref(), Some(&b"hello"[..]));
        assert_eq!(formats.u64, Some(u64::MAX));
        assert_eq!(formats.u8, Some(255u8));
        let written = serde_json::to_value(&formats).unwrap();
        assert_eq!(written["bytes"], "aGVsbG8=");
        assert_eq!(written["decimal"], "1.10", "decimals keep their scale");
        // URL-safe and unpadded base64 is read too.
        let lax: OptionalFormats = serde_json::from_value(json!({"bytes": "-_8"})).unwrap();
        assert_eq!(lax.bytes.as_deref(), Some(&[0xfb, 0xff][..]));
        assert!(serde_json::from_value::<OptionalFormats>(json!({"u8": 256})).is_err());
    }

    #[test]
    fn integers_read_whole_floats_and_refuse_the_rest() {
        // A server that moved a field to `number` writes `12.0`.
        let read = |value: Value| serde_json::from_value::<OptionalFormats>(value);
        let whole = read(json!({"u8": 255.0, "i8": -128.0, "i64": -9.007199254740992e15, "u64": 1e19, "int": null})).unwrap();
        assert_eq!(whole.u8, Some(255));
        assert_eq!(whole.i8, Some(-128));
        assert_eq!(whole.i64, Some(-9_007_199_254_740_992));
        assert_eq!(whole.u64, Some(10_000_000_000_000_000_000));
        assert_eq!(whole.int, None, "null is still None");
        for refused in [
            json!({"u8": 12.5}),
            json!({"u8": 256.0}),
            json!({"u8": -1.0}),
            json!({"i8": -129.0}),
            json!({"u64": 1.8446744073709552e19}),
            json!({"i64": 1e300}),
            json!({"u8": "12"}),
        ] {
            assert!(read(refused.clone()).is_err(), "{refused} is refused");
        }
        // Written as integers, whatever they were read from.
        assert_eq!(serde_json::to_value(&whole).unwrap()["u8"], json!(255));
    }
}

mod names {
    use super::*;
    use naming_api::types::Option as OptionSchema;

    #[test]
    fn awkward_names_keep_their_wire_names() {
        let wire = json!({
            "type": "t", "match": "m", "async": "a", "self": "s", "x-rate-limit": 5,
            "2fa.enabled": true, "first name": "f", "größe": 3, "名前": "n", "": "empty",
            "fooBar": "camel", "foo_bar": "snake"
        });
        let value: OptionSchema = round_trip(wire.clone());
        assert_eq!(value.r#type.as_deref(), Some("t"));
        assert_eq!(value.groesse, Some(3));
        assert_eq!(value.u540d_u524d.as_deref(), Some("n"));
        assert_eq!(
            (value.foo_bar.as_deref(), value.foo_bar2.as_deref()),
            (Some("camel"), Some("snake"))
        );
        assert_eq!(serde_json::to_value(&value).unwrap(), wire);
    }
}

mod deprecation {
    #[test]
    #[allow(deprecated)]
    fn deprecated_items_stay_usable() {
        let account: deprecated_api::types::Account =
            serde_json::from_value(serde_json::json!({"id": "a", "plan": "free", "username": "u"}))
                .unwrap();
        assert_eq!(account.username.as_deref(), Some("u"));
    }
}

mod realworld {
    use super::*;
    use realworld_api::types::{
        Angle, AngleUnit, Currency, Design, DesignSide, Origin, OriginCustom, Point,
    };
    use rust_decimal::Decimal;

    #[test]
    fn defaults_of_structs_unions_money_and_enums_apply_when_absent() {
        let design: Design = serde_json::from_value(json!({"id": "d1"})).unwrap();
        assert_eq!(
            design.currency,
            Currency::Usd,
            "a string default on an allOf-wrapped enum"
        );
        assert_eq!(
            design.center,
            Point { x: 0.0, y: 0.0 },
            "an object default on a struct"
        );
        assert_eq!(
            design.rotation,
            Angle {
                unit: AngleUnit::Degrees,
                value: 15.0
            }
        );
        assert_eq!(
            design.origin,
            Origin::Custom(OriginCustom {
                origin: Point { x: 1.0, y: 2.0 }
            }),
            "an object default on a tagged union picks its variant by the tag"
        );
        assert_eq!(
            design.corners,
            vec![Point { x: 0.0, y: 0.0 }, Point { x: 1.0, y: 1.0 }]
        );
        // A nullable property's default: absent is the default, `null` is `None`.
        assert_eq!(design.side, Some(DesignSide::Right));
        let both: Design = serde_json::from_value(json!({"id": "d1", "side": null})).unwrap();
        assert_eq!(both.side, None);
        // Money defaults are exact, and keep the scale the document wrote.
        assert_eq!(design.price, Decimal::new(1250, 2));
        assert_eq!(design.discount, Decimal::ZERO);
        let written = serde_json::to_value(&design).unwrap();
        assert_eq!(written["price"], json!("12.50"));
        assert_eq!(written["discount"], json!("0.0"));
    }

    #[test]
    fn all_of_around_one_non_object_schema_is_that_schema() {
        let design: Design = round_trip(json!({
            "id": "d1",
            "currency": "eur",
            "previous_currency": null,
            "tags": ["a", "b"],
            "views": 18446744073709551615u64,
            "title": "Gear"
        }));
        assert_eq!(design.currency, Currency::Eur);
        assert_eq!(design.previous_currency, None);
        assert_eq!(design.tags, Some(vec!["a".to_owned(), "b".to_owned()]));
        // A `maximum` beyond 64 bits in the document does not stop it: the
        // type is the format's, and reads its whole range.
        assert_eq!(design.views, Some(u64::MAX));
        // A `$ref` into another schema's properties is that property's type.
        assert_eq!(design.title.as_deref(), Some("Gear"));
    }
}

mod degrade {
    use super::*;
    use degrade_api::types::{HttpHealthCheck, HttpHealthCheck2, Subscription};

    #[test]
    fn schemas_whose_names_meet_each_keep_their_own_shape() {
        let check: HttpHealthCheck = round_trip(json!({"port": 80}));
        assert_eq!(check.port, Some(80));
        let legacy: HttpHealthCheck2 = round_trip(json!({"host": "example.com"}));
        assert_eq!(legacy.host.as_deref(), Some("example.com"));
    }

    #[test]
    fn a_dangling_reference_costs_only_its_field() {
        let wire = json!({"url": "https://example.com/hook", "filter": {"any": ["thing", 1]}});
        let subscription: Subscription = round_trip(wire.clone());
        assert_eq!(subscription.url, "https://example.com/hook");
        assert_eq!(subscription.filter, Some(wire["filter"].clone()));
    }
}

/// OpenAPI 3.1 (`openapi31.yaml`), read into the 3.0 model at load: what
/// each 3.1 construct becomes, on the wire.
mod openapi31 {
    use super::*;
    use openapi31_api::types::{
        Carrier, CarrierKind, Parcel, ParcelDeliveredPayload, ParcelReference, Priority, Status,
    };

    fn parcel() -> Value {
        json!({
            "id": "p_1",
            "weight_kg": 2.5,
            "note": null,
            "reference": "order-7",
            "dimensions": [30.0, 20.0, 10.5],
            "route": {"stops": [{"city": "Lyon"}], "eta_days": null},
        })
    }

    fn with(key: &str, value: Value) -> Value {
        let mut parcel = parcel();
        parcel[key] = value;
        parcel
    }

    fn without(key: &str) -> Value {
        let mut parcel = parcel();
        parcel.as_object_mut().unwrap().remove(key);
        parcel
    }

    #[test]
    fn a_type_list_with_null_is_an_option_that_is_still_required() {
        let parcel: Parcel = round_trip(parcel());
        assert_eq!(parcel.note, None);
        assert_eq!(parcel.route.eta_days, None);
        let written = serde_json::to_value(&parcel).unwrap();
        assert_eq!(written["note"], Value::Null, "required: written as null");
        let noted: Parcel = round_trip(with("note", json!("fragile")));
        assert_eq!(noted.note.as_deref(), Some("fragile"));
        let eta: Parcel = round_trip(with("route", json!({"stops": [], "eta_days": 3})));
        assert_eq!(eta.route.eta_days, Some(3));
    }

    #[test]
    fn a_type_list_of_several_types_is_an_untagged_union() {
        let named: Parcel = round_trip(parcel());
        assert_eq!(named.reference, ParcelReference::String("order-7".into()));
        let numbered: Parcel = round_trip(with("reference", json!(42)));
        assert_eq!(numbered.reference, ParcelReference::Integer(42));
        assert_eq!(
            serde_json::to_value(&numbered).unwrap()["reference"],
            json!(42)
        );
        assert!(serde_json::from_value::<Parcel>(with("reference", json!(true))).is_err());
    }

    #[test]
    fn prefix_items_are_a_tuple_of_fixed_length() {
        let parcel: Parcel = round_trip(parcel());
        assert_eq!(parcel.dimensions, (30.0, 20.0, 10.5));
        assert_eq!(
            serde_json::to_value(&parcel).unwrap()["dimensions"],
            json!([30.0, 20.0, 10.5])
        );
        for wrong in [json!([1.0, 2.0]), json!([1.0, 2.0, 3.0, 4.0])] {
            assert!(
                serde_json::from_value::<Parcel>(with("dimensions", wrong.clone())).is_err(),
                "{wrong} is not three numbers"
            );
        }
    }

    #[test]
    fn a_ref_keeps_its_default_and_description() {
        let parcel: Parcel = round_trip(parcel());
        assert_eq!(parcel.status, Status::Created, "`default` beside a `$ref`");
        assert_eq!(parcel.priority, Priority::Normal);
        let source = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/openapi31-api/src/types.rs"
        ))
        .unwrap();
        assert!(
            source.contains(
                "/// Where the parcel is now.\n    ///\n    /// Defaults to `\"created\"`."
            ),
            "`description` beside a `$ref` documents the field"
        );
    }

    #[test]
    fn a_union_with_null_is_an_option_of_the_other_member() {
        let none: Parcel = round_trip(with("carrier", Value::Null));
        assert_eq!(none.carrier, None);
        let carried: Parcel =
            round_trip(with("carrier", json!({"kind": "courier", "name": "Velo"})));
        assert_eq!(
            carried.carrier,
            Some(Carrier {
                kind: CarrierKind::Courier,
                name: "Velo".into()
            }),
            "`const` is a one-value enum"
        );
        let insured: Parcel = round_trip(with("insured_value", json!("1200.50")));
        assert_eq!(
            insured.insured_value.map(|d| d.to_string()).as_deref(),
            Some("1200.50"),
            "FastAPI's `anyOf: [T, null]` keeps T's format: money stays exact"
        );
        assert_eq!(
            round_trip::<Parcel>(without("insured_value")).insured_value,
            None
        );
    }

    #[test]
    fn content_encoding_is_bytes_and_the_null_type_reads_null() {
        let signed: Parcel = round_trip(with("signature", json!("iVBORw==")));
        assert_eq!(
            signed.signature.as_deref(),
            Some(&[0x89, b'P', b'N', b'G'][..])
        );
        let legacy: Parcel = round_trip(with("legacy", Value::Null));
        assert_eq!(legacy.legacy, None);
    }

    #[test]
    fn defs_and_webhook_payloads_are_types() {
        let parcel: Parcel = round_trip(parcel());
        assert_eq!(parcel.route.stops[0].city, "Lyon", "a `$ref` into `$defs`");
        let delivered: ParcelDeliveredPayload = round_trip(json!({
            "parcel_id": "p_1",
            "at": "2026-11-26T10:00:00Z",
        }));
        assert_eq!(delivered.parcel_id, "p_1");
    }

    #[test]
    fn operations_from_path_items_and_content_media_type_bodies_are_methods() {
        let client = openapi31_api::Client::new();
        // `components/pathItems`, through a `$ref` in `paths`.
        let _ = client.get_parcel("p_1");
        // `contentMediaType` without an encoding: the body is raw bytes.
        let _ = client.upload_label(vec![0x89, b'P', b'N', b'G']);
    }
}
