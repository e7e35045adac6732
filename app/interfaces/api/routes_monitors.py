"""``/api/v1/monitors``: your scope's monitors (docs/monitors.md) -- add, list, read, remove, and run
one now (``?dry_run=true``: the digests it would post, nothing posted or recorded)."""
from __future__ import annotations

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from app.interfaces.api.deps import StateDep
from app.interfaces.api.errors import ERROR_RESPONSES, ErrorBody
from app.interfaces.api.security import Caller, CallerDep
from app.interfaces.shared.errors import RequestError
from app.interfaces.shared.monitors import service
from app.interfaces.shared.monitors.runner import MonitorRunner
from app.interfaces.shared.monitors.service import MonitorIn, MonitorOut
from common.errors import AsklyticsError

router = APIRouter(prefix="/api/v1", tags=["monitors"], responses=ERROR_RESPONSES)
NOT_FOUND = {404: {"model": ErrorBody, "description": "No such monitor in your scope."}}


class MonitorRunOutcome(BaseModel):
    id: str
    name: str
    status: str
    new_anomalies: int
    posted_to: list[str]
    error: str | None = None


class MonitorRunOut(BaseModel):
    runner: str
    monitors: list[MonitorRunOutcome]
    busy: bool  # another runner holds the monitor right now; nothing was run
    digests: list[dict]  # dry runs: {audience, target, slack_blocks | webhook_body}


def _actor(caller: Caller) -> str:
    return f"key:{caller.key_id}" if caller.key_id else f"scope:{caller.scope}"


@router.post("/monitors", response_model=MonitorOut, status_code=201, summary="Add a monitor",
             description="A metric's series watched on a schedule; each run posts its new anomalies, "
                         "explained, to a Slack channel and/or a webhook. Runs use your access policy.")
async def add_monitor(request: MonitorIn, state: StateDep, caller: CallerDep) -> MonitorOut:
    assistant = await run_in_threadpool(state.assistant)
    return await run_in_threadpool(service.add_monitor, state.database, assistant.model, request,
                                   scope=caller.scope, owner=_actor(caller), key_id=caller.key_id)


@router.get("/monitors", response_model=list[MonitorOut], summary="The monitors of your scope")
async def list_monitors(state: StateDep, caller: CallerDep) -> list[MonitorOut]:
    return await run_in_threadpool(service.list_monitors, state.database, caller.scope)


@router.get("/monitors/{monitor_id}", response_model=MonitorOut, summary="One monitor", responses=NOT_FOUND)
async def get_monitor(monitor_id: str, state: StateDep, caller: CallerDep) -> MonitorOut:
    return await run_in_threadpool(service.get_monitor, state.database, monitor_id, caller.scope)


@router.delete("/monitors/{monitor_id}", status_code=204, response_class=Response,
               summary="Remove a monitor", responses=NOT_FOUND)
async def remove_monitor(monitor_id: str, state: StateDep, caller: CallerDep) -> Response:
    await run_in_threadpool(service.remove_monitor, state.database, monitor_id, actor=_actor(caller),
                            scope=caller.scope)
    return Response(status_code=204)


@router.post("/monitors/{monitor_id}/run", response_model=MonitorRunOut, summary="Run a monitor now",
             description="Evaluates it and posts its new anomalies (not posted before) to its audience; "
                         "the schedule is left as it is. dry_run: return the digests instead.",
             responses=NOT_FOUND)
async def run_monitor(monitor_id: str, state: StateDep, caller: CallerDep,
                      dry_run: bool = Query(False, description="Post nothing, record nothing.")
                      ) -> MonitorRunOut:
    runner = MonitorRunner.from_state(state)
    try:
        report = await run_in_threadpool(runner.run_one, monitor_id, scope=caller.scope, dry_run=dry_run)
    except AsklyticsError as exc:
        if exc.code == "not_found":
            raise RequestError(404, "not_found", f"no monitor {monitor_id!r} in your scope") from None
        raise
    return MonitorRunOut(runner=report.runner, busy=bool(report.skipped), digests=report.digests,
                         monitors=[MonitorRunOutcome(**vars(o)) for o in report.monitors])
