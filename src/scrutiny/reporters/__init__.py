"""Reporters: one `render(review, options) -> str` signature per output format."""

from __future__ import annotations

from collections.abc import Callable

from scrutiny.reporters import gerrit, github, json_report, markdown, sarif, text
from scrutiny.reporters.common import RenderOptions
from scrutiny.review import Review

Renderer = Callable[[Review, RenderOptions], str]

REPORTERS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "markdown": markdown.render,
    "gerrit": gerrit.render,
    "github": github.render,
}

__all__ = ["REPORTERS", "RenderOptions", "Renderer"]
