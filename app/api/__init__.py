"""The FastAPI application (REST API; the web UI and Slack mount here later)."""
from app.api.main import create_app

__all__ = ["create_app"]
