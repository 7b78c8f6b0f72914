"""The API reference in docs/ is generated from the live OpenAPI schema and kept current."""

from pathlib import Path

from chongdich.api.management_docs import render

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api"


def test_api_reference_is_up_to_date():
    schema, reference = render()
    assert (DOCS / "openapi.json").read_text(encoding="utf-8") == schema, "run: ./run manage export_api_docs"
    assert (DOCS / "README.md").read_text(encoding="utf-8") == reference, "run: ./run manage export_api_docs"
