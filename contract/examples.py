"""Every request-body example in the document validates against its schema, and every error
response carries an example problem document.

Usage: python examples.py openapi.json
"""

import json
import sys

import jsonschema_rs


def main(path):
    doc = json.load(open(path, encoding="utf-8"))
    components = doc["components"]
    failures, checked, missing = [], 0, []
    for route, item in doc["paths"].items():
        for method, op in item.items():
            body = op.get("requestBody")
            where = f"{method.upper()} {route} ({op['operationId']})"
            if body:
                for content_type, media in body["content"].items():
                    schema = media.get("schema", {})
                    example = media.get("example")
                    if example is None and "$ref" in schema:
                        example = components["schemas"][schema["$ref"].rsplit("/", 1)[1]].get("example")
                    if example is None:
                        missing.append(where)
                        continue
                    root = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "components": components}
                    errors = [e.message for e in jsonschema_rs.validator_for(root).iter_errors(example)]
                    checked += 1
                    if errors:
                        failures.append(f"{where}: the example does not validate: {errors[:3]}")
            for status, response in op["responses"].items():
                if not status.startswith(("4", "5")):
                    continue
                if "$ref" in response:
                    response = components["responses"][response["$ref"].rsplit("/", 1)[1]]
                for content_type, media in response.get("content", {}).items():
                    if content_type == "application/problem+json" and "example" not in media and "examples" not in media:
                        failures.append(f"{where}: the {status} response has no example")
    for where in missing:
        print(f"no request-body example: {where}")
    for f in failures:
        print(f)
    print(f"{checked} request-body examples validate against their schemas; {len(missing)} bodies without an example")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
