//! Serializes a struct's fields into another struct being serialized: what
//! `#[serde(flatten)]` does, but the outer value stays a struct. serde's
//! flatten turns it into a map, and a map's keys are strings made at run
//! time where a struct's are `&'static str`; tera copies each such key into
//! a string of its own (see `render::PageView`).

use serde::Serialize;
use serde::ser::{Error, Impossible, SerializeStruct, Serializer};

/// `value.serialize(Fields(&mut outer))` adds `value`'s fields to `outer`,
/// in their order; a value that is not a struct is an error.
pub struct Fields<'a, S>(pub &'a mut S);

fn not_a_struct<E: Error>() -> E {
    E::custom("only a struct's fields can be spliced into another struct")
}

impl<S: SerializeStruct> SerializeStruct for Fields<'_, S> {
    type Ok = ();
    type Error = S::Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), S::Error> {
        self.0.serialize_field(key, value)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
        self.0.skip_field(key)
    }

    fn end(self) -> Result<(), S::Error> {
        Ok(())
    }
}

/// Every method but `serialize_struct` refuses.
macro_rules! refuse {
    ($($name:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $name(self, $(_: $arg),*) -> Result<(), S::Error> { Err(not_a_struct()) })*
    };
}

impl<'a, S: SerializeStruct> Serializer for Fields<'a, S> {
    type Ok = ();
    type Error = S::Error;
    type SerializeSeq = Impossible<(), S::Error>;
    type SerializeTuple = Impossible<(), S::Error>;
    type SerializeTupleStruct = Impossible<(), S::Error>;
    type SerializeTupleVariant = Impossible<(), S::Error>;
    type SerializeMap = Impossible<(), S::Error>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), S::Error>;

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self, S::Error> {
        Ok(self)
    }

    refuse!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), S::Error> {
        Err(not_a_struct())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, _: &T) -> Result<(), S::Error> {
        Err(not_a_struct())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &'static str, _: u32, _: &'static str, _: &T) -> Result<(), S::Error> {
        Err(not_a_struct())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        Err(not_a_struct())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, S::Error> {
        Err(not_a_struct())
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, S::Error> {
        Err(not_a_struct())
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self::SerializeTupleVariant, S::Error> {
        Err(not_a_struct())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        Err(not_a_struct())
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self::SerializeStructVariant, S::Error> {
        Err(not_a_struct())
    }
}

#[cfg(test)]
mod tests {
    use super::Fields;
    use serde::Serialize;
    use serde::ser::SerializeStruct;

    #[derive(Serialize)]
    struct Inner {
        a: u8,
        #[serde(skip)]
        _hidden: u8,
        b: &'static str,
    }

    struct Outer(Inner);

    impl Serialize for Outer {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut st = s.serialize_struct("Outer", 3)?;
            self.0.serialize(Fields(&mut st))?;
            st.serialize_field("c", &true)?;
            st.end()
        }
    }

    #[test]
    fn splices_fields_in_order_as_flatten_would() {
        let v = serde_json::to_string(&Outer(Inner { a: 1, _hidden: 9, b: "x" })).unwrap();
        assert_eq!(v, r#"{"a":1,"b":"x","c":true}"#);
    }

    #[test]
    fn refuses_what_is_not_a_struct() {
        struct Bad;
        impl Serialize for Bad {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut st = s.serialize_struct("Bad", 1)?;
                7u8.serialize(Fields(&mut st))?;
                st.end()
            }
        }
        assert!(serde_json::to_string(&Bad).is_err());
    }
}
