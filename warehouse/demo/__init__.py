"""The deterministic synthetic demo warehouse (shared/spec/demo-warehouse.md).

``build_demo_warehouse(path, scale=1, seed=42)`` writes a DuckDB file with the
contract's tables (campaigns, ad_spend, installs, events) plus a small
``asklytics_meta`` table recording the seed, scale, generator version and as_of.
"""
from warehouse.demo.build import GENERATOR_VERSION, DemoBuildReport, build_demo_warehouse
from warehouse.demo.calendar import AS_OF, WINDOW_END, WINDOW_START

__all__ = ["AS_OF", "GENERATOR_VERSION", "WINDOW_END", "WINDOW_START", "DemoBuildReport",
           "build_demo_warehouse"]
