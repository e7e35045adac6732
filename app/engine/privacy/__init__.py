"""Privacy thresholds: a minimum number of distinct users behind every cell of an answer
(docs/governance.md, "Privacy thresholds")."""
from app.engine.privacy.threshold import GroupThreshold, PrivacyRefusal, build_threshold, threshold_with_floor

__all__ = ["GroupThreshold", "PrivacyRefusal", "build_threshold", "threshold_with_floor"]
