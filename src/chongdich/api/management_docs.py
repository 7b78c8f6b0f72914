"""Render the API reference (docs/api/) from the OpenAPI schema."""

from __future__ import annotations

import json

from chongdich.api.main import api
from chongdich.core.webapi.pagination import DEFAULT_LIMIT, MAX_LIMIT


def _limits(spec: dict) -> str:
    """ "≤ 120 chars", "1–100", "one of: M, F" from a JSON schema (or the first of its anyOf)."""
    spec = next((s for s in spec.get("anyOf", []) if s.get("type") != "null"), spec)
    parts = []
    if "maxLength" in spec:
        parts.append(f"≤ {spec['maxLength']} chars")
    low, high = spec.get("minimum"), spec.get("maximum")
    if low is not None or high is not None:
        parts.append(f"{'' if low is None else low}–{'' if high is None else high}")
    if "enum" in spec:
        parts.append("one of: " + ", ".join(f"`{value}`" if value != "" else "“”" for value in spec["enum"]))
    return "; ".join(parts)


def openapi_schema() -> dict:
    return api.get_openapi_schema(path_prefix="/api/v1")


def markdown(schema: dict) -> str:
    lines = [
        "# chongdich API reference",
        "",
        "Generated from the OpenAPI schema by `chongdich export_api_docs` — do not edit by hand.",
        "The live, interactive version is served at `/api/docs` (Swagger UI, no internet needed);",
        "the machine-readable schema is [openapi.json](openapi.json).",
        "",
        "## Authentication",
        "",
        "Every call needs a bearer token (`Authorization: Bearer cd_…`, created on the profile page for a",
        "device or integration) or a logged-in browser session. Data is scoped exactly like the pages:",
        "records outside the caller's administrative area answer 404, as if they did not exist.",
        "",
        "## Idempotent writes",
        "",
        "Send an `Idempotency-Key` header (or `client_id` in the body) with every create. Sending the same",
        "request again — a retry on a bad connection — returns the original record with status 200",
        "instead of creating a duplicate.",
        "",
        "## Lists: pages and cursors",
        "",
        'Every list answers one page: `{"items": [...], "next": "…"}`.',
        f"Ask for at most {MAX_LIMIT} rows with `limit` (default {DEFAULT_LIMIT}); a larger `limit` is refused (422).",
        "While `next` is not null, send it back as `cursor` (with the same filters) for the next page; on the last",
        "page it is null.",
        "The cursor is opaque and signed: it keeps its place when records are added meanwhile, costs the same on",
        "the thousandth page as on the first, and only fits the list (and filters) that gave it. There is no total",
        "count and no `offset` (both made one request able to pull a whole province). Every page of people or",
        "samples sent is recorded in the audit log with the ids of the people on it.",
        "",
        "## Errors",
        "",
        "Every refusal has the same shape, in the caller's language (Vietnamese unless the `django_language`",
        'cookie says `en`): `{"detail": "…", "errors": {"field": ["…"]}}`.',
        "",
        "| status | when |",
        "|---|---|",
        "| `400` | the data cannot be stored at all: a NUL character or broken Unicode anywhere (address, query, "
        "header, body), or a body that is not JSON |",
        "| `401` | no valid token or session |",
        "| `403` | your roles do not allow the operation |",
        "| `404` | no such record, or outside your area (the two are indistinguishable) |",
        "| `409` | a duplicate (same CCCD, or same name, year and phone: send `confirm_new`) |",
        "| `422` | a value outside its bounds, named in `errors`: lengths of the database columns, choices, "
        "plausible years, and date windows (no sample, case or exposure before the epidemic reached Viet Nam on "
        "23/01/2020 or after today; see docs/operations) |",
        "",
        "## Endpoints",
        "",
    ]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            lines.append(f"### `{method.upper()} {path}`")
            lines.append("")
            summary = operation.get("summary") or ""
            description = (operation.get("description") or "").strip()
            if summary:
                lines.append(f"**{summary}**" + (f" — {description}" if description else ""))
                lines.append("")
            params = operation.get("parameters", [])
            if params:
                lines.append("| parameter | in | type | required | limits |")
                lines.append("|---|---|---|---|---|")
                for param in params:
                    spec = param.get("schema", {})
                    first = spec.get("anyOf", [spec])[0]
                    kind = spec.get("type") or first.get("type") or first.get("$ref", "").split("/")[-1]
                    lines.append(
                        f"| `{param['name']}` | {param['in']} | {kind} | {'yes' if param.get('required') else 'no'} "
                        f"| {_limits(param.get('schema', {}))} |"
                    )
                lines.append("")
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body:
                lines.append(f"Request body: `{body.get('$ref', '').split('/')[-1] or body.get('type')}`")
                lines.append("")
            codes = ", ".join(f"`{code}`" for code in operation.get("responses", {}))
            lines.append(f"Responses: {codes}")
            lines.append("")
    lines.append("## Schemas")
    lines.append("")
    for name, component in schema.get("components", {}).get("schemas", {}).items():
        lines.append(f"### {name}")
        lines.append("")
        lines.append("| field | type | required | limits |")
        lines.append("|---|---|---|---|")
        required = set(component.get("required", []))
        for field, spec in component.get("properties", {}).items():
            kind = (
                spec.get("type")
                or " | ".join(s.get("type", s.get("$ref", "").split("/")[-1]) for s in spec.get("anyOf", []))
                or spec.get("$ref", "").split("/")[-1]
            )
            if spec.get("format"):
                kind += f" ({spec['format']})"
            lines.append(f"| `{field}` | {kind} | {'yes' if field in required else 'no'} | {_limits(spec)} |")
        lines.append("")
    return "\n".join(lines)


def render() -> tuple[str, str]:
    schema = openapi_schema()
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n", markdown(schema) + "\n"
