"""The analysis engine: reading sources, scopes and names, the one walk, models."""
