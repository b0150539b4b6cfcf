//! Part of load: YAML text → a JSON value.
//!
//! serde_json's own `Value` takes a YAML integer beyond 64 bits (flagsmith's
//! `minimum: -9223372036854776000`, a Python float printed as an integer)
//! as an error about the whole document. This reader takes the same
//! values into the same model, and such an integer as the nearest
//! floating-point number, as JSON text would have it; load then brings
//! integer bounds into range (see `clamp_integer_bounds`).

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// A JSON value read from YAML.
pub(super) struct YamlValue(pub(super) Value);

impl<'de> Deserialize<'de> for YamlValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor).map(YamlValue)
    }
}

struct ValueVisitor;

/// A number JSON can hold: a float that is not finite is `null`, as
/// serde_json's own `Value` makes it.
fn float(value: f64) -> Value {
    Number::from_f64(value).map_or(Value::Null, Value::Number)
}

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<Value, E> {
        Ok(match (i64::try_from(value), u64::try_from(value)) {
            (Ok(small), _) => Value::from(small),
            (_, Ok(unsigned)) => Value::from(unsigned),
            // Beyond 64 bits: the nearest float, as JSON text would read.
            _ => float(value as f64),
        })
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<Value, E> {
        Ok(match u64::try_from(value) {
            Ok(small) => Value::from(small),
            Err(_) => float(value as f64),
        })
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        Ok(float(value))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        YamlValue::deserialize(deserializer).map(|v| v.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(YamlValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        // Keys are read as text, as serde_json's `Value` reads them: a
        // status code (`200:`) is the key "200".
        while let Some((key, YamlValue(value))) = map.next_entry::<String, YamlValue>()? {
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Value {
        serde_yaml::from_str::<YamlValue>(text).unwrap().0
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let text =
            "a: 1\nb: -2\nc: 1.5\nd: [true, null, x]\n200: {e: ~}\nf: 18446744073709551615\n";
        let expected: Value = serde_yaml::from_str(text).unwrap();
        assert_eq!(read(text), expected);
        assert_eq!(
            serde_json::to_string(&read(text)).unwrap(),
            serde_json::to_string(&expected).unwrap()
        );
    }

    #[test]
    fn integers_beyond_64_bits_are_the_nearest_float() {
        // serde_json's `Value` refuses the whole document for these.
        assert!(serde_yaml::from_str::<Value>("minimum: -9223372036854776000\n").is_err());
        let value = read("minimum: -9223372036854776000\nmaximum: 36893488147419103232\n");
        assert_eq!(
            value["minimum"].as_f64(),
            Some(-9_223_372_036_854_776_000.0)
        );
        assert_eq!(
            value["maximum"].as_f64(),
            Some(36_893_488_147_419_103_232.0)
        );
        assert_eq!(
            read("n: 9223372036854775807\n")["n"].as_i64(),
            Some(i64::MAX)
        );
    }
}
