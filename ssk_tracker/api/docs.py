"""/api/docs/: the API's endpoints listed from the generated OpenAPI schema, in the site's own page (no
Swagger UI or Redoc: those load from a CDN, and the intranet has none)."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[dict[str, Any]]
    fields: list["BodyField"]
    content_types: list[str]


@dataclass(frozen=True)
class BodyField:
    """One field of a write's request body."""

    name: str
    type: str
    required: bool
    description: str


def schema() -> dict[str, Any]:
    """The OpenAPI schema, as /api/schema/ serves it."""
    generated: dict[str, Any] = SchemaGenerator().get_schema(request=None, public=True)
    return generated


def body_fields(openapi: dict[str, Any], operation: dict[str, Any]) -> tuple[list[BodyField], list[str]]:
    """The request body's fields (its first content type's schema, a component resolved) and content types."""
    content = operation.get("requestBody", {}).get("content", {})
    if not content:
        return [], []
    body = next(iter(content.values())).get("schema", {})
    if "$ref" in body:
        body = openapi["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]
    required = set(body.get("required", []))
    fields = [
        BodyField(
            name=name,
            type=field.get("type", "array" if "items" in field else "string"),
            required=name in required,
            description=field.get("description", ""),
        )
        for name, field in body.get("properties", {}).items()
    ]
    return fields, list(content)


def endpoints(openapi: dict[str, Any]) -> list[Endpoint]:
    return [
        Endpoint(
            method=method.upper(),
            path=path,
            summary=operation.get("summary", ""),
            description=operation.get("description", ""),
            parameters=[p for p in operation.get("parameters", []) if p.get("in") in ("query", "path")],
            fields=(body := body_fields(openapi, operation))[0],
            content_types=body[1],
        )
        for path, item in openapi.get("paths", {}).items()
        for method, operation in item.items()
        if method in METHODS
    ]


@login_required
def api_docs(request: HttpRequest) -> HttpResponse:
    openapi = schema()
    return render(
        request,
        "api/docs.html",
        {"info": openapi.get("info", {}), "endpoints": endpoints(openapi)},
    )
