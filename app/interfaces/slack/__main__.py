"""``python -m app.interfaces.slack``: the Socket Mode bot (same as ``asklytics slack socket``)."""
from app.interfaces.slack.app import run_socket_mode
from app.settings import get_settings

if __name__ == "__main__":
    run_socket_mode(get_settings())
