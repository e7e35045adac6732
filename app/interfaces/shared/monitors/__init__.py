"""Monitors for the front doors (docs/monitors.md): add/list/remove (``service``), a run that posts
one digest per audience (``runner``), the digest's shapes (``digest``), posting (``delivery``) and
the background scheduler of ``serve`` (``scheduler``)."""
