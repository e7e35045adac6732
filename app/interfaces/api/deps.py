"""FastAPI dependencies as ``Annotated`` aliases (route handlers stay short)."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.interfaces.shared.context import ApiContext
from app.interfaces.shared.state import AppState
from app.settings import Settings


def get_state(request: Request) -> AppState:
    return request.app.state.asklytics


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.asklytics.settings


def get_api(request: Request) -> ApiContext:
    return request.app.state.api


StateDep = Annotated[AppState, Depends(get_state)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
ApiDep = Annotated[ApiContext, Depends(get_api)]
