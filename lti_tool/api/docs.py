"""`GET /api/docs`: the API reference rendered from the OpenAPI document, no CDN needed."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, render_template_string
from flask_smorest import Api

METHODS = ("get", "post", "put", "patch", "delete")

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ info.title }} API {{ info.version }}</title>
<link rel="stylesheet" href="/static/api-docs.css"></head><body>
<h1>{{ info.title }} REST API {{ info.version }}</h1>
<p>Base path <code>/api/v1</code>. Authenticate with <code>Authorization: Bearer cp_…</code>
(an API key with scopes read, write, admin) or a widget token. Errors are
<code>{code, status, message, errors}</code>. Lists take <code>?page=&amp;per_page=</code>
(at most 100) and answer <code>Link</code> and <code>X-Total-Count</code>. GETs carry an
<code>ETag</code> (send <code>If-None-Match</code> for a 304). POSTs accept an
<code>Idempotency-Key</code>. Machine-readable: <a href="/api/openapi.json">openapi.json</a>.</p>
{% for tag in tags %}<h2 id="{{ tag.name }}">{{ tag.name }}</h2><p>{{ tag.description }}</p>
{% for op in tag.operations %}<div class="op"><p><span class="m">{{ op.method }}</span>
<code>{{ op.path }}</code> — {{ op.summary }}</p>
{% if op.parameters %}<table><tr><th>parameter</th><th>in</th><th>type</th></tr>
{% for p in op.parameters %}<tr><td>{{ p.name }}</td><td>{{ p["in"] }}</td>
<td>{{ p.get("schema", {}).get("type", "") }}</td></tr>{% endfor %}</table>{% endif %}
{% if op.body %}<p>Body: <code>{{ op.body }}</code></p>{% endif %}
<p>Responses: {% for code, r in op.responses %}<code>{{ code }}</code> {{ r }}
{%- if not loop.last %}, {% endif %}{% endfor %}</p>
</div>{% endfor %}{% endfor %}
</body></html>"""


def init_app(app: Any, api: Api) -> None:
    """Serve the docs page next to /api/openapi.json."""
    bp = Blueprint("api_docs_page", __name__)

    @bp.get("/api/docs")
    def api_docs() -> Response:
        """The API reference, built from the same document the SDK and tests use."""
        spec = api.spec.to_dict()
        html = render_template_string(PAGE, info=spec["info"], tags=_tags(spec))
        return Response(html, mimetype="text/html")

    app.register_blueprint(bp)


def _tags(spec: dict[str, Any]) -> list[dict[str, Any]]:
    tags = [{**t, "operations": []} for t in spec.get("tags", [])]
    by_name = {t["name"]: t for t in tags}
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            tag = by_name.setdefault(op.get("tags", ["other"])[0], {
                "name": op.get("tags", ["other"])[0], "description": "", "operations": []})
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            tag["operations"].append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "parameters": item.get("parameters", []) + op.get("parameters", []),
                "body": body.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1],
                "responses": [(code, r.get("description", "")) for code, r in
                              op.get("responses", {}).items()]})
    if "other" in by_name and by_name["other"] not in tags:
        tags.append(by_name["other"])
    return tags
