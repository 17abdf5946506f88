"""The dashboard's pages. Each reads through the strategy services, as the API does, with the signed-in principal."""

from __future__ import annotations

from datetime import UTC, date, datetime
from html import escape
from urllib.parse import parse_qs, quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from agencies.principals import Principal
from gateway.dashboard.charts import COLOURS, money_bars, percent, progress_bar, trend
from gateway.dashboard.report import REPORT_COLUMNS, last_quarter_end, quarter, report_csv, report_rows
from gateway.dashboard.session import (
    BLOCKED,
    DASHBOARD_PATH,
    Site,
    csrf_for,
    plausible,
    same_origin,
    signed_in,
    signed_out,
)
from gateway.repositories import Repositories
from gateway.strategy.types import ratio
from strategy import service
from strategy.errors import StrategyError
from strategy.models import Pillar
from strategy.progress import Progress
from strategy.resources import dollars
from strategy.state_laws import NonCriminalisation

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # with no-referrer, Chromium sends `Origin: null` on the sign-in POST
}
STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1em; color: #222; }
header { display: flex; justify-content: space-between; align-items: center; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .5em 0 1.5em; } td, th { padding: 3px 8px; border-bottom: 1px solid #eee;
text-align: left; vertical-align: top; } .status { font-weight: 600; } .demo { background: #fff3cd; padding: .5em; }
.held { color: #666; font-size: 12px; } nav.crumbs { margin: .5em 0; } .states td { font-size: 12px; }
@media print { header form, nav, .noprint { display: none; } body { max-width: none; } }
"""


def page(title: str, body: str, principal: Principal | None = None, csrf: str = "") -> str:
    who = (
        f'<form method="post" action="{DASHBOARD_PATH}/logout"><span>{escape(principal.subject)} '
        f"({escape(principal.agency_id)})</span> "
        f'<input type="hidden" name="csrf" value="{escape(csrf)}"><button type="submit">Sign out</button></form>'
        if principal
        else ""
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f'<link rel="icon" href="data:,"><style>{STYLE}</style></head><body>'
        f"<header><h1>{escape(title)}</h1>{who}</header>{body}</body></html>"
    )


def status_cell(found: Progress, id: str) -> str:
    colour = COLOURS[found.status]
    return f'<span class="status" data-status="{escape(id)}" style="color:{colour}">{found.status.value}</span>'


def progress_cells(found: Progress, id: str) -> str:
    achieved = ratio(found.achieved)
    expected = ratio(found.expected) or 0.0
    held = ", ".join(f"{escape(h.title)} ({h.status.value})" for h in found.held_back_by)
    return (
        f'<td>{progress_bar(achieved, expected, found.status)}</td><td data-progress="{escape(id)}">{percent(achieved)}'
        f"</td><td>{percent(expected)}</td><td>{status_cell(found, id)}"
        + (f'<div class="held">held back by: {held}</div>' if held else "")
        + "</td>"
    )


HEAD = "<tr><th>{}</th><th>progress</th><th>p</th><th>expected</th><th>status</th></tr>"


class Dashboard:
    """The routes under /dashboard."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def _html(
        self, request: Request, title: str, body: str, principal: Principal | None, status: int = 200
    ) -> Response:
        response = HTMLResponse("", status, headers=HEADERS)
        csrf = csrf_for(request, response, self.site)
        response.body = response.render(page(title, body, principal, csrf))
        response.headers["content-length"] = str(len(response.body))
        return response

    def routes(self) -> list[Route]:
        base = DASHBOARD_PATH
        return [
            Route(base, self.home, methods=["GET"]),
            Route(f"{base}/login", self.login, methods=["POST"]),
            Route(f"{base}/logout", self.logout, methods=["POST"]),
            Route(base + "/strategies/{id}", self.strategy, methods=["GET"]),
            Route(base + "/strategies/{id}/goals/{goal}", self.goal, methods=["GET"]),
            Route(base + "/strategies/{id}/objectives/{objective}", self.objective, methods=["GET"]),
            Route(base + "/strategies/{id}/indicators/{indicator}", self.indicator, methods=["GET"]),
            Route(base + "/strategies/{id}/report", self.report, methods=["GET"]),
            Route(base + "/strategies/{id}/report.csv", self.report_csv, methods=["GET"]),
        ]

    async def home(self, request: Request) -> Response:
        principal = request.state.principal
        if principal is None:
            return self._login_form(request)
        found = await service.list_strategies(principal=principal, repository=_repos(request).strategy)
        items = "".join(
            f'<li><a data-drill="strategy" href="{DASHBOARD_PATH}/strategies/{quote(s.id)}">{escape(s.title)}</a>'
            + (" <em>(demo data)</em>" if s.demo else "")
            + "</li>"
            for s in found
        )
        return self._html(
            request, "Sett: National Strategy", f"<ul>{items or '<li>No strategy yet.</li>'}</ul>", principal
        )

    def _login_form(self, request: Request, message: str = "", status: int = 200) -> Response:
        why = request.query_params.get("signed_out")
        if why == BLOCKED:
            message = message or "Too many failed sign-ins: that token is refused for a while."
        elif why:
            message = message or "The token was not accepted (mistyped, expired or revoked): sign in again."
        response = HTMLResponse("", status, headers=HEADERS)
        csrf = csrf_for(request, response, self.site)
        body = (
            (f'<p role="alert">{escape(message)}</p>' if message else "")
            + f'<form method="post" action="{DASHBOARD_PATH}/login"><label>Sett token or agency JWT<br>'
            '<input name="token" type="password" autocomplete="off" size="60" required></label>'
            f'<input type="hidden" name="csrf" value="{escape(csrf)}"> <button type="submit">Sign in</button></form>'
            "<p>The token is kept in an HttpOnly cookie for this dashboard only, for up to 8 hours.</p>"
        )
        response.body = response.render(page("Sett: sign in", body))
        response.headers["content-length"] = str(len(response.body))
        return response

    async def login(self, request: Request) -> Response:
        form = await _form(request)
        csrf, token = form.get("csrf"), form.get("token")
        if not same_origin(request, csrf, self.site):
            return self._login_form(request, "The form expired or came from another site: try again.", 403)
        token_text = (token or "").strip()
        if not plausible(token_text):
            return self._login_form(request, "Paste a token.", 400)
        return signed_in(
            request, token_text, self.site
        )  # verified by the middleware on the next request, like any bearer

    async def logout(self, request: Request) -> Response:
        form = await _form(request)
        if not same_origin(request, form.get("csrf"), self.site):
            return PlainTextResponse("refused: the form came from another site", 403, headers=HEADERS)
        return signed_out()

    async def _overview(self, request: Request) -> tuple[Principal, service.Overview] | Response:
        principal = request.state.principal
        if principal is None:
            return signed_out()
        try:
            as_of = date.fromisoformat(request.query_params["asOf"]) if "asOf" in request.query_params else None
        except ValueError:
            return self._html(request, "Bad date", "<p>asOf is a day such as 2026-09-30.</p>", principal, 400)
        try:
            overview = await service.strategy_on(
                principal=principal,
                strategy_id=request.path_params["id"],
                as_of=as_of or _report_day(request),
                repository=_repos(request).strategy,
                counts=_repos(request).strategy,
            )
        except StrategyError as error:
            return self._html(request, "Not found", f"<p>{escape(str(error))}</p>", principal, 404)
        return principal, overview

    async def strategy(self, request: Request) -> Response:
        found = await self._overview(request)
        if isinstance(found, Response):
            return found
        principal, overview = found
        plan, seen = overview.plan, overview.picture
        base = f"{DASHBOARD_PATH}/strategies/{quote(plan.strategy.id)}"
        pillars = "".join(f"<tr><td>{p.value}</td>{progress_cells(seen.pillars[p], p.value)}</tr>" for p in Pillar)
        goals = "".join(
            f'<tr><td><a data-drill="goal" href="{base}/goals/{quote(g.id)}{_as_of(request)}">{escape(g.title)}</a>'
            f"<div class=held>{g.pillar.value}</div></td>{progress_cells(seen.goals[g.id], g.id)}</tr>"
            for g in plan.goals
        )
        streams = money_bars(
            [(t.title, dollars(t.allocated_cents), dollars(t.spent_cents)) for t in overview.totals.by_stream]
        )
        laws = await service.state_laws_in(
            principal=principal, year=seen.as_of.year, repository=_repos(request).strategy
        )
        full = sum(1 for row in laws if row.law and row.law.non_criminalisation is NonCriminalisation.FULL)
        state_rows = "".join(
            f"<tr><td>{row.state}</td><td>{escape(row.name)}</td>"
            + (
                f"<td>{row.law.non_criminalisation.value}</td><td>{row.law.year}</td><td>{escape(row.law.source)}</td>"
                if row.law
                else "<td colspan=3>not recorded</td>"
            )
            + "</tr>"
            for row in laws
        )
        body = (
            _demo_note(overview)
            + f"<p>As of <strong data-as-of>{seen.as_of.isoformat()}</strong> (measurements after it are ignored). "
            f'Overall: <span data-progress="strategy">{percent(ratio(seen.strategy.achieved))}</span> '
            f"{status_cell(seen.strategy, 'strategy')}</p>"
            f'<form class="noprint" method="get"><label>As of <input type="date" name="asOf" '
            f'value="{seen.as_of.isoformat()}"></label> <button>Show</button> '
            f'<a href="{base}/report?asOf={seen.as_of.isoformat()}">Quarterly report</a> · '
            f'<a href="{base}/report.csv?asOf={seen.as_of.isoformat()}">CSV</a></form>'
            f"<h2>Pillars</h2><table>{HEAD.format('pillar')}{pillars}</table>"
            f"<h2>Goals</h2><table>{HEAD.format('goal')}{goals}</table>"
            f"<h2>Resources by funding stream{_current(request)}</h2>"
            f"<p>Allocated ${dollars(overview.totals.allocated_cents):,}, spent "
            f"${dollars(overview.totals.spent_cents):,}.</p>{streams}"
            f"<h2>State Safe Harbor laws ({seen.as_of.year})</h2><p>{full} of 51 with full non-criminalisation.</p>"
            f'<table class="states"><tr><th>state</th><th></th><th>non-criminalisation</th><th>year</th>'
            f"<th>source</th></tr>{state_rows}</table>"
        )
        return self._html(request, plan.strategy.title, body, principal)

    async def goal(self, request: Request) -> Response:
        found = await self._overview(request)
        if isinstance(found, Response):
            return found
        principal, overview = found
        plan, seen = overview.plan, overview.picture
        goal = next((g for g in plan.goals if g.id == request.path_params["goal"]), None)
        if goal is None:
            return self._html(request, "Not found", "<p>No such goal.</p>", principal, 404)
        base = f"{DASHBOARD_PATH}/strategies/{quote(plan.strategy.id)}"
        rows = "".join(
            f'<tr><td><a data-drill="objective" href="{base}/objectives/{quote(o.id)}{_as_of(request)}">'
            f"{escape(o.title)}</a><div class=held>lead {o.lead_agency_id}; supporting "
            f"{', '.join(sorted(o.supporting_agency_ids)) or 'none'}</div></td>"
            f"{progress_cells(seen.objectives[o.id], o.id)}</tr>"
            for o in plan.objectives_of(goal.id)
        )
        body = (
            _crumbs(request, plan.strategy.title, seen.as_of)
            + f"<p>{goal.pillar.value} · {status_cell(seen.goals[goal.id], goal.id)} "
            f'<span data-progress="{escape(goal.id)}">{percent(ratio(seen.goals[goal.id].achieved))}</span></p>'
            f"<table>{HEAD.format('objective')}{rows}</table>"
        )
        return self._html(request, goal.title, body, principal)

    async def objective(self, request: Request) -> Response:
        found = await self._overview(request)
        if isinstance(found, Response):
            return found
        principal, overview = found
        plan, seen = overview.plan, overview.picture
        objective = next((o for o in plan.objectives if o.id == request.path_params["objective"]), None)
        if objective is None:
            return self._html(request, "Not found", "<p>No such objective.</p>", principal, 404)
        base = f"{DASHBOARD_PATH}/strategies/{quote(plan.strategy.id)}"
        rows = "".join(
            f'<tr><td><a data-drill="indicator" href="{base}/indicators/{quote(i.id)}{_as_of(request)}">'
            f"{escape(i.title)}</a><div class=held>{i.kind.value}, {escape(i.unit)}: {i.baseline} → {i.target} by "
            f"{i.target_date.isoformat()}</div></td>{progress_cells(seen.indicators[i.id], i.id)}</tr>"
            for i in plan.indicators_of(objective.id)
        )
        resources = "".join(
            f"<tr><td>{escape(r.title)}</td><td>{r.kind.value}</td><td>{escape(r.stream)}</td><td>{r.agency_id}</td>"
            f"<td>${dollars(r.amount_cents):,}</td><td>${dollars(r.spent_cents):,}</td></tr>"
            for r in overview.resources
            if r.objective_id == objective.id
        )
        body = (
            _crumbs(request, plan.strategy.title, seen.as_of)
            + f"<p>Lead agency <strong>{objective.lead_agency_id}</strong>; supporting "
            f"{', '.join(sorted(objective.supporting_agency_ids)) or 'none'}.</p>"
            f"<table>{HEAD.format('indicator')}{rows}</table><h2>Resources{_current(request)}</h2>"
            f"<table><tr><th>resource</th><th>kind</th><th>stream</th><th>agency</th><th>allocated</th><th>spent</th></tr>{resources}</table>"
        )
        return self._html(request, objective.title, body, principal)

    async def indicator(self, request: Request) -> Response:
        found = await self._overview(request)
        if isinstance(found, Response):
            return found
        principal, overview = found
        plan, seen = overview.plan, overview.picture
        indicator = next((i for i in plan.indicators if i.id == request.path_params["indicator"]), None)
        if indicator is None:
            return self._html(request, "Not found", "<p>No such indicator.</p>", principal, 404)
        measured = [m for m in overview.measurements if m.indicator_id == indicator.id]
        rows = "".join(
            f'<tr data-measurement="{escape(m.id)}"><td>{m.as_of.isoformat()}</td><td data-value>{m.value}</td>'
            f"<td>{escape(m.reporting_agency_id)}</td><td data-source>{escape(m.source)}</td><td>{escape(m.note)}</td>"
            f"<td>{escape(m.recorded_by)}, {m.recorded_at.isoformat(timespec='seconds')}</td></tr>"
            for m in measured
        )
        progress = seen.indicators[indicator.id]
        body = (
            _crumbs(request, plan.strategy.title, seen.as_of)
            + f"<p>{indicator.kind.value} · {escape(indicator.unit)}: baseline {indicator.baseline}, target "
            f"{indicator.target} by {indicator.target_date.isoformat()} (from {indicator.start_date.isoformat()}).</p>"
            f"<table>{HEAD.format('indicator')}<tr><td>{escape(indicator.title)}</td>"
            f"{progress_cells(progress, indicator.id)}</tr></table>{trend(indicator, measured)}"
            f"<h2>Measurements and their sources</h2><table><tr><th>as of</th><th>value</th><th>reported by</th>"
            f"<th>source</th><th>note</th><th>recorded</th></tr>{rows}</table>"
        )
        return self._html(request, indicator.title, body, principal)

    async def report(self, request: Request) -> Response:
        found = await self._overview(request)
        if isinstance(found, Response):
            return found
        principal, overview = found
        rows = "".join(
            "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in report_rows(overview)
        )
        head = "".join(f"<th>{escape(name)}</th>" for name in REPORT_COLUMNS)
        seen = overview.picture
        body = (
            _demo_note(overview)
            + f"<p>Quarterly progress report as of {seen.as_of.isoformat()} ({quarter(seen.as_of)}); overall "
            f"{percent(ratio(seen.strategy.achieved))}, {seen.strategy.status.value}. Print this page, or "
            f'<a class="noprint" href="report.csv?asOf={seen.as_of.isoformat()}">download it as CSV</a>.</p>'
            f"<table><tr>{head}</tr>{rows}</table>"
        )
        return self._html(request, f"{overview.plan.strategy.title}: {quarter(seen.as_of)}", body, principal)

    async def report_csv(self, request: Request) -> Response:
        found = await self._overview(request)
        if isinstance(found, Response):
            return found
        _, overview = found
        name = f"sett-progress-{overview.picture.as_of.isoformat()}.csv"
        headers = {**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'}
        return Response(report_csv(overview), media_type="text/csv; charset=utf-8", headers=headers)


def _report_day(request: Request) -> date | None:
    """The report defaults to the last quarter's end; the other pages to today."""
    if not request.url.path.endswith(("/report", "/report.csv")):
        return None
    return last_quarter_end(datetime.now(UTC).date())


def _as_of(request: Request) -> str:
    day = request.query_params.get("asOf")
    return f"?asOf={quote(day)}" if day else ""


def _current(request: Request) -> str:
    """What a page says of its resources when it shows a past day: they are kept as they stand now, not by day."""
    if "asOf" not in request.query_params:
        return ""
    return ' <small class="held" data-resources-current>(current: resources are not kept by day)</small>'


def _crumbs(request: Request, title: str, as_of: date) -> str:
    """The way back to the strategy, on the same day, and the day this page shows."""
    base = f"{DASHBOARD_PATH}/strategies/{quote(request.path_params['id'])}"
    return (
        f'<nav class="crumbs"><a href="{base}{_as_of(request)}">← {escape(title)}</a></nav>'
        f"<p>As of <strong data-as-of>{as_of.isoformat()}</strong> (measurements after it are ignored).</p>"
    )


def _demo_note(overview: service.Overview) -> str:
    if not overview.plan.strategy.demo:
        return ""
    return '<p class="demo" data-demo>Demo data: synthetic numbers, loaded by <code>make run</code>.</p>'


MAX_FORM = 16 * 1024


async def _form(request: Request) -> dict[str, str]:
    """A small urlencoded form (the sign-in and sign-out forms), each field's first value."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        return {}
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM:
            return {}
    try:
        fields = parse_qs(body.decode("utf-8"), max_num_fields=10)
    except (UnicodeDecodeError, ValueError):
        return {}
    return {name: values[0] for name, values in fields.items()}


def _repos(request: Request) -> Repositories:
    repositories: Repositories = request.app.state.repositories
    return repositories
