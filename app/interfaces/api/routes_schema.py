"""The warehouse schema the assistant can see."""
from __future__ import annotations

from fastapi import APIRouter

from app.interfaces.api.deps import StateDep
from app.interfaces.api.errors import ERROR_RESPONSES
from app.interfaces.api.security import CallerDep

router = APIRouter(prefix="/api/v1", tags=["schema"], responses=ERROR_RESPONSES)


@router.get("/schema", summary="Tables and columns of the configured warehouse")
def get_schema(state: StateDep, caller: CallerDep) -> dict:
    schema = state.assistant().visible_schema
    return {
        "warehouse": state.settings.warehouse,
        "tables": [
            {
                "name": table.name,
                "row_count": table.row_count,
                "columns": [{"name": c.name, "type": c.type, "values": list(c.values)}
                            for c in table.columns],
            }
            for table in schema.tables.values()
        ],
    }
