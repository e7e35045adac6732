"""The steps of one question's way through the system (see app/engine/assistant.py)."""
