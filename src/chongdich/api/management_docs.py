"""Render the API reference (docs/api/) from the OpenAPI schema."""

from __future__ import annotations

import json


def openapi_schema() -> dict:
    from chongdich.api.main import api

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
                lines.append("| parameter | in | type | required |")
                lines.append("|---|---|---|---|")
                for param in params:
                    kind = param.get("schema", {}).get("type", param.get("schema", {}).get("anyOf", [{}])[0].get("type", ""))
                    lines.append(f"| `{param['name']}` | {param['in']} | {kind} | {'yes' if param.get('required') else 'no'} |")
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
        lines.append("| field | type | required |")
        lines.append("|---|---|---|")
        required = set(component.get("required", []))
        for field, spec in component.get("properties", {}).items():
            kind = spec.get("type") or " | ".join(s.get("type", s.get("$ref", "").split("/")[-1]) for s in spec.get("anyOf", [])) or spec.get("$ref", "").split("/")[-1]
            if spec.get("format"):
                kind += f" ({spec['format']})"
            lines.append(f"| `{field}` | {kind} | {'yes' if field in required else 'no'} |")
        lines.append("")
    return "\n".join(lines)


def render() -> tuple[str, str]:
    schema = openapi_schema()
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n", markdown(schema) + "\n"
