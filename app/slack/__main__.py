"""``python -m app.slack``: the Socket Mode bot (same as ``asklytics slack socket``)."""
from app.cli.slack import socket

if __name__ == "__main__":
    socket()
