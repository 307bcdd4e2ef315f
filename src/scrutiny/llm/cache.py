"""The on-disk answer cache: one JSON file per request, keyed by endpoint, model, prompt template
version, prompt and settings, so a rerun on unchanged code sends nothing and `--llm-replay`
reproduces a review byte for byte."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from typing import Any

from scrutiny.llm.client import Completion


def cache_key(
    url: str, model: str, version: str, messages: list[dict[str, str]], settings: dict[str, Any]
) -> str:
    blob = json.dumps(
        {
            "url": url.rstrip("/"),
            "model": model,
            "template": version,
            "messages": messages,
            "settings": settings,
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()


class Cache:
    def __init__(self, directory: str | None) -> None:
        self.directory = directory

    def _path(self, key: str) -> str:
        assert self.directory is not None
        return os.path.join(self.directory, key[:2], key + ".json")

    def get(self, key: str) -> Completion | None:
        if self.directory is None:
            return None
        try:
            with open(self._path(key), encoding="utf-8") as handle:
                return Completion.from_json(json.load(handle))
        except (OSError, ValueError, KeyError, TypeError):  # missing or damaged: ask again
            return None

    def put(self, key: str, completion: Completion) -> None:
        if self.directory is None:
            return
        path = self._path(key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        # Write then rename: a run killed half-way never leaves a truncated entry behind.
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(completion.to_json(), handle, ensure_ascii=False, sort_keys=True)
        os.replace(tmp, path)
