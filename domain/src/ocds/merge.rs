//! The OCDS merge routine (standard 1.1, "Merging"): releases of one contracting process, oldest
//! first, folded into its compiled release.
//!
//! Objects merge member by member; an array whose every item is an object with an `id` merges
//! item by item on that `id` (each item recursively); any other array and any other value is
//! replaced by the later release's. A member absent from a later release keeps its earlier
//! value. The release-level `id`, `date` and `tag` are the compiled release's own.

use serde_json::{Map, Value};

/// Whether `a` is an array of objects that each carry an `id` (merged by identifier).
fn identified(a: &[Value]) -> bool {
    !a.is_empty()
        && a.iter()
            .all(|v| v.as_object().is_some_and(|o| o.contains_key("id")))
}

/// Merges `later` into `into` (both the same member of successive releases).
fn merge_value(into: &mut Value, later: &Value) {
    match (into, later) {
        (Value::Object(a), Value::Object(b)) => merge_object(a, b),
        (Value::Array(a), Value::Array(b)) if identified(a) && identified(b) => {
            for item in b {
                let id = item.get("id");
                match a.iter_mut().find(|x| x.get("id") == id) {
                    Some(old) => merge_value(old, item),
                    None => a.push(item.clone()),
                }
            }
        }
        (slot, v) => *slot = v.clone(),
    }
}

fn merge_object(into: &mut Map<String, Value>, later: &Map<String, Value>) {
    for (k, v) in later {
        match into.get_mut(k) {
            Some(old) => merge_value(old, v),
            None => {
                into.insert(k.clone(), v.clone());
            }
        }
    }
}

/// The compiled release of `releases` (oldest first, all of one `ocid`): `id` is `<ocid>-compiled`,
/// `date` the latest release's, `tag` `["compiled"]`.
pub fn compile(ocid: &str, releases: &[Value]) -> Value {
    let mut out = Map::new();
    let mut date = Value::Null;
    for r in releases {
        let Some(o) = r.as_object() else { continue };
        for (k, v) in o {
            match k.as_str() {
                "id" | "tag" => {}
                "date" => date = v.clone(),
                _ => match out.get_mut(k) {
                    Some(old) => merge_value(old, v),
                    None => {
                        out.insert(k.clone(), v.clone());
                    }
                },
            }
        }
    }
    out.insert("ocid".into(), Value::from(ocid));
    out.insert("id".into(), Value::from(format!("{ocid}-compiled")));
    out.insert("date".into(), date);
    out.insert("tag".into(), Value::from(vec!["compiled"]));
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::compile;

    #[test]
    fn merges_objects_and_identified_arrays_and_replaces_the_rest() {
        let r1 = json!({"ocid": "o", "id": "1", "date": "d1", "tag": ["tender"],
            "tender": {"id": "t", "status": "active", "numberOfTenderers": 0},
            "parties": [{"id": "a", "roles": ["buyer"]}],
            "x": [1, 2]});
        let r2 = json!({"ocid": "o", "id": "2", "date": "d2", "tag": ["tenderUpdate"],
            "tender": {"id": "t", "numberOfTenderers": 3},
            "parties": [{"id": "a", "roles": ["buyer", "reviewBody"]}, {"id": "b", "name": "B"}],
            "x": [3]});
        let c = compile("o", &[r1, r2]);
        assert_eq!(c["id"], "o-compiled");
        assert_eq!(c["date"], "d2");
        assert_eq!(c["tag"], json!(["compiled"]));
        assert_eq!(
            c["tender"]["status"], "active",
            "kept from the earlier release"
        );
        assert_eq!(c["tender"]["numberOfTenderers"], 3, "the later value wins");
        assert_eq!(
            c["parties"],
            json!([{"id": "a", "roles": ["buyer", "reviewBody"]}, {"id": "b", "name": "B"}]),
            "merged by id; a plain array inside is replaced"
        );
        assert_eq!(c["x"], json!([3]), "arrays without ids are replaced");
    }

    #[test]
    fn nested_identified_arrays_merge_by_id() {
        let r1 = json!({"awards": [{"id": "a1", "status": "pending", "suppliers": [{"id": "s", "name": "S"}]}]});
        let r2 = json!({"awards": [{"id": "a1", "status": "active"}, {"id": "a2", "status": "pending"}]});
        let c = compile("o", &[r1, r2]);
        assert_eq!(c["awards"][0]["status"], "active");
        assert_eq!(c["awards"][0]["suppliers"][0]["name"], "S");
        assert_eq!(c["awards"][1]["id"], "a2");
    }
}
