"""GraphiQL for development, served whole by Sett, so that it works on a network without the Internet.

Its bundles (GraphiQL's UMD build, React and ReactDOM 18) come from the npm registry through `make graphiql`
(`npm ci` in `tools/graphiql/`, which `make run` and `make test` run too) and are served from a fixed list under
`/graphiql/assets/`; nothing else of `node_modules` is reachable. The page itself is Sett's: a Sett example
operation, and the headers editor opened on `Authorization` and `X-Sett-Purpose`.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

from gateway.errors import request_error

ASSET_PATH = "/graphiql/assets"
JAVASCRIPT = "text/javascript; charset=utf-8"
CSS = "text/css; charset=utf-8"
PACKAGED: dict[str, tuple[str, str]] = {
    "graphiql.min.css": ("graphiql/graphiql.min.css", CSS),
    "react.production.min.js": ("react/umd/react.production.min.js", JAVASCRIPT),
    "react-dom.production.min.js": ("react-dom/umd/react-dom.production.min.js", JAVASCRIPT),
    "graphiql.min.js": ("graphiql/graphiql.min.js", JAVASCRIPT),
}
"""URL name → (path under `node_modules`, content type), in the order the page loads them."""
PAGE_SCRIPT = "sett-graphiql.js"
STATIC = Path(__file__).with_name("static")
INSTALL_HINT = "run `make graphiql` in the Sett folder (it runs `npm ci` in tools/graphiql; `make run` does it too)"

DEFAULT_QUERY = (Path(__file__).with_name("operations") / "graphiql" / "my-cases.graphql").read_text()
"""The committed (and in production trusted) example operation, so the page and the manifest never drift."""
DEFAULT_HEADERS = json.dumps({"Authorization": "Bearer <token>", "X-Sett-Purpose": "<why you read>"}, indent=2)

PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Sett GraphiQL</title>
    <link rel="icon" href="data:,">
    <style>body {{ margin: 0; }} #graphiql {{ height: 100vh; }}</style>
{styles}
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL&hellip;</div>
    <noscript>GraphiQL needs JavaScript.</noscript>
    <script type="application/json" id="sett-graphiql-config">{config}</script>
{scripts}
  </body>
</html>
"""

MISSING = """<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Sett GraphiQL: not installed</title><link rel="icon" href="data:,"></head>
  <body>
    <h1>GraphiQL is not installed</h1>
    <p>Sett serves GraphiQL's files itself, and they are missing from <code>{folder}</code>
      ({missing}).</p>
    <p>To install them, run <code>make graphiql</code> in the Sett folder (it runs <code>npm ci</code> in
      <code>tools/graphiql</code>; <code>make run</code> does it too), then reload this page.</p>
    <p>The API itself answers at <code>POST {url}</code>. Request id: <code>{request_id}</code>.</p>
  </body>
</html>
"""


class GraphiQL:
    """The page and its assets; `packages` is the `node_modules` folder that `make graphiql` fills."""

    def __init__(self, packages: Path) -> None:
        self.packages = packages
        self.files = {name: (packages / path, media) for name, (path, media) in PACKAGED.items()}
        self.files[PAGE_SCRIPT] = (STATIC / PAGE_SCRIPT, JAVASCRIPT)

    def missing(self) -> list[str]:
        return [name for name, (path, _) in self.files.items() if not path.is_file()]

    def routes(self) -> list[Route]:
        return [Route(ASSET_PATH + "/{name}", self.asset, methods=["GET"])]

    def page(self, request: Request) -> Response:
        """The GraphiQL page, or, when its files are missing, a page that says how to install them (503)."""
        root = request.scope.get("root_path", "")
        missing = self.missing()
        if missing:
            body = MISSING.format(
                folder=escape(str(self.packages)),
                missing=escape(", ".join(missing)),
                url=escape(f"{root}/graphql"),
                request_id=escape(str(request.state.request_id)),
            )
            return HTMLResponse(body, 503)
        config = {"url": f"{root}/graphql", "query": DEFAULT_QUERY, "headers": DEFAULT_HEADERS}
        assets = f"{root}{ASSET_PATH}"
        styles = [f'    <link rel="stylesheet" href="{assets}/{name}">' for name in self.files if name.endswith(".css")]
        scripts = [f'    <script src="{assets}/{name}"></script>' for name in self.files if name.endswith(".js")]
        page = PAGE.format(
            styles="\n".join(styles),
            scripts="\n".join(scripts),
            config=json.dumps(config).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"),
        )
        return HTMLResponse(page, headers={"Cache-Control": "no-store"})

    async def asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        found = self.files.get(name)
        if found is None or not found[0].is_file():
            message = f"no GraphiQL asset {name!r}" if found is None else f"GraphiQL is not installed: {INSTALL_HINT}"
            return request_error(404, message, request_id=request.state.request_id, code="NOT_FOUND")
        path, media_type = found
        headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
        return FileResponse(path, media_type=media_type, headers=headers)
