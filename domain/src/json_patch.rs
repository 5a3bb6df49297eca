//! JSON documents: RFC 7396 merge patches (how clients edit a proposal) and RFC 6902 patches (how
//! the history records what changed).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// Applies an RFC 7396 merge patch: objects merge member by member, `null` removes, anything else
/// replaces.
pub fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        (t, p) => *t = strip_nulls(p),
    }
}

/// The value without `null` members (an absent optional field and a `null` one are the same).
pub fn strip_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), strip_nulls(v)))
                .collect::<Map<_, _>>(),
        ),
        other => other.clone(),
    }
}

/// One RFC 6902 operation, with the value it replaced or removed kept for the record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PatchOp {
    /// `add`, `remove` or `replace`.
    pub op: String,
    /// JSON Pointer (RFC 6901) to the changed member.
    pub path: String,
    /// The new value (`add`, `replace`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<serde_json::Value>)]
    pub value: Option<Value>,
    /// The value before (`remove`, `replace`): not part of RFC 6902, kept so the history reads alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<serde_json::Value>)]
    pub old: Option<Value>,
}

impl PatchOp {
    /// `add` of a member that was not there.
    pub fn add(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self {
            op: "add".into(),
            path: path.into(),
            value: Some(value.into()),
            old: None,
        }
    }

    /// The change of one member from `old` to `new`: `add` when it was absent, `remove` when it
    /// goes, else `replace` (nothing when equal). `null` is absent.
    pub fn change(
        path: impl Into<String>,
        old: impl Into<Value>,
        new: impl Into<Value>,
    ) -> Option<Self> {
        let old = old.into();
        let new = new.into();
        let path = path.into();
        match (old.is_null(), new.is_null()) {
            _ if old == new => None,
            (true, _) => Some(Self {
                op: "add".into(),
                path,
                value: Some(new),
                old: None,
            }),
            (false, true) => Some(Self {
                op: "remove".into(),
                path,
                value: None,
                old: Some(old),
            }),
            (false, false) => Some(Self {
                op: "replace".into(),
                path,
                value: Some(new),
                old: Some(old),
            }),
        }
    }
}

/// The operations that turn `old` into `new`. Objects are compared member by member; arrays and
/// scalars that differ are replaced whole (arrays of KPIs or tasks read better whole than as moves).
pub fn diff(old: &Value, new: &Value) -> Vec<PatchOp> {
    let mut ops = Vec::new();
    diff_at(String::new(), old, new, &mut ops);
    ops
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn diff_at(path: String, old: &Value, new: &Value, ops: &mut Vec<PatchOp>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, va) in a {
                let p = format!("{path}/{}", escape(k));
                match b.get(k) {
                    None => ops.push(PatchOp {
                        op: "remove".into(),
                        path: p,
                        value: None,
                        old: Some(va.clone()),
                    }),
                    Some(vb) => diff_at(p, va, vb, ops),
                }
            }
            for (k, vb) in b {
                if !a.contains_key(k) {
                    ops.push(PatchOp {
                        op: "add".into(),
                        path: format!("{path}/{}", escape(k)),
                        value: Some(vb.clone()),
                        old: None,
                    });
                }
            }
        }
        (a, b) if a == b => {}
        (a, b) => ops.push(PatchOp {
            op: "replace".into(),
            path,
            value: Some(b.clone()),
            old: Some(a.clone()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc_7396() {
        let mut doc = json!({"a": "b", "c": {"d": "e", "f": "g"}});
        merge(&mut doc, &json!({"a": "z", "c": {"f": null}}));
        assert_eq!(doc, json!({"a": "z", "c": {"d": "e"}}));
        let mut doc = json!({"a": [1, 2]});
        merge(&mut doc, &json!({"a": [3], "n": {"x": null, "y": 1}}));
        assert_eq!(doc, json!({"a": [3], "n": {"y": 1}}));
    }

    #[test]
    fn diff_names_each_change() {
        let old =
            json!({"form": {"brain_name": "甲", "contact": {"name": "x"}}, "plan": {"basis": "b"}});
        let new =
            json!({"form": {"brain_name": "乙", "contact": {}}, "plan": {"basis": "b", "x/y": 1}});
        let ops = diff(&old, &new);
        let summary: Vec<(&str, &str)> = ops
            .iter()
            .map(|o| (o.op.as_str(), o.path.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                ("replace", "/form/brain_name"),
                ("remove", "/form/contact/name"),
                ("add", "/plan/x~1y")
            ]
        );
        assert_eq!(ops[0].old, Some(json!("甲")));
        assert!(diff(&old, &old).is_empty());
    }

    proptest::proptest! {
        /// Applying the diff's values in order reproduces the new document.
        #[test]
        fn diff_then_apply(a in arb(), b in arb()) {
            let mut doc = a.clone();
            for op in diff(&a, &b) {
                apply(&mut doc, &op);
            }
            proptest::prop_assert_eq!(doc, b);
        }
    }

    fn arb() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            (0i64..5).prop_map(Value::from)
        ];
        leaf.prop_recursive(3, 16, 3, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
                proptest::collection::btree_map("[ab/~]", inner, 0..3)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn apply(doc: &mut Value, op: &PatchOp) {
        if op.path.is_empty() {
            *doc = op.value.clone().unwrap_or(Value::Null);
            return;
        }
        let (parent, last) = op.path.rsplit_once('/').unwrap();
        let key = last.replace("~1", "/").replace("~0", "~");
        let target = if parent.is_empty() {
            doc
        } else {
            doc.pointer_mut(parent).unwrap()
        };
        let obj = target.as_object_mut().unwrap();
        match op.op.as_str() {
            "remove" => {
                obj.remove(&key);
            }
            _ => {
                obj.insert(key, op.value.clone().unwrap());
            }
        }
    }
}
