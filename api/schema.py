"""What the OpenAPI schema says beyond each view's happy path, in one place for every operation.

A drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]) adds:

- the error answers every API door can give, as `application/problem+json` (api/errors.py):
  401 and 403 (the gate), 429 (rate limits), 400 where the request carries input, 404 on an
  object's path, 409/422 for a POST's Idempotency-Key and 412 for If-Match (api/retry.py);
- the `Idempotency-Key` header on every POST and `If-Match` on every change to an object;
- times of day as RFC 3339 `partial-time` ("22:00:00", "22:00" accepted): they are the
  company's wall clock and carry no offset, while JSON Schema's `time` format demands one;
- the inspection and site fields a client is never shown, as optional.

schemathesis (tests/api/test_schemathesis.py) holds the API to what this schema says.
"""

from http import HTTPStatus

from api.retry import MAX_KEY_LENGTH
from api.views.inspections import STAFF_ONLY_FIELDS
from api.views.sites import INTERNAL_FIELDS

PROBLEM_JSON = "application/problem+json"
PROBLEM = "Problem"
UNSAFE = ("post", "put", "patch", "delete")
PARTIAL_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string", "example": "about:blank"},
        "title": {"type": "string", "example": "Bad Request"},
        "status": {"type": "integer", "example": 400},
        "detail": {"type": "string"},
        "code": {"type": "string", "description": "A stable machine-readable reason."},
        "errors": {
            "type": "object",
            "description": "Validation errors only: field (or `non_field_errors`) → messages.",
            "additionalProperties": {},
        },
    },
    "required": ["type", "title", "status"],
}

IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    "description": (
        "Makes the POST safe to retry: the same key with the same request within the "
        "retention window answers as the first did (Idempotent-Replayed: true) and changes "
        "nothing; with a different request it is a 422."
    ),
}
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": "The ETag the object was read with: 412 instead of overwriting a newer change.",
}

# Optional fields of a component: fields some callers are not shown (a client, for one).
OPTIONAL_FIELDS = {"Inspection": STAFF_ONLY_FIELDS, "Site": INTERNAL_FIELDS}


def _error_statuses(path, method, operation):
    statuses = {401, 403, 429}
    has_object = "{id}" in path
    query = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    if method == "post" or query or "requestBody" in operation:
        statuses.add(400)
    if has_object or query & {"page", "cursor"}:
        statuses.add(404)  # no such object, page or cursor
    if method == "post":
        statuses |= {409, 422}  # Idempotency-Key still in flight / reused
    if has_object and method in UNSAFE:
        statuses.add(412)  # If-Match
    return sorted(statuses)


def _add_parameter(operation, parameter):
    parameters = operation.setdefault("parameters", [])
    if not any(p["in"] == "header" and p["name"] == parameter["name"] for p in parameters):
        parameters.append(parameter)


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def document_errors_and_retries(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas[PROBLEM] = PROBLEM_SCHEMA
    problem = {"$ref": f"#/components/schemas/{PROBLEM}"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for status in _error_statuses(path, method, operation):
                responses.setdefault(
                    str(status),
                    {
                        "description": HTTPStatus(status).phrase,
                        "content": {PROBLEM_JSON: {"schema": problem}},
                    },
                )
            if method == "post":
                _add_parameter(operation, IDEMPOTENCY_KEY)
            if "{id}" in path and method in UNSAFE:
                _add_parameter(operation, IF_MATCH)
    for node in _walk(schemas):
        if node.get("type") == "string" and node.get("format") == "time":
            node.update(format="partial-time", pattern=PARTIAL_TIME)
    for name, fields in OPTIONAL_FIELDS.items():
        if name in schemas and "required" in schemas[name]:
            schemas[name]["required"] = [f for f in schemas[name]["required"] if f not in fields]
    return result
