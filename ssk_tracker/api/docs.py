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


def schema() -> dict[str, Any]:
    """The OpenAPI schema, as /api/schema/ serves it."""
    generated: dict[str, Any] = SchemaGenerator().get_schema(request=None, public=True)
    return generated


def endpoints(openapi: dict[str, Any]) -> list[Endpoint]:
    return [
        Endpoint(
            method=method.upper(),
            path=path,
            summary=operation.get("summary", ""),
            description=operation.get("description", ""),
            parameters=[p for p in operation.get("parameters", []) if p.get("in") in ("query", "path")],
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
