"""Start the scripted OpenAI-compatible server, so the LLM stage can be tried without a model.

    .venv/bin/python scripts/llm_demo_server.py --port 8765 &
    .venv/bin/scrutiny review --llm-url http://127.0.0.1:8765/v1 --llm-model demo examples/

The server runs no model: it agrees with every static finding, reports POST routes without an
authentication check (one a line off, to show re-anchoring) and one quote that is not in the code
(to show it dropped). See docs/llm.md. Stop it with Ctrl-C.
"""

from __future__ import annotations

import argparse
import sys
import time

from scrutiny.llm.fakeserver import FakeLLM, demo_answer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    args = parser.parse_args(argv)
    server = FakeLLM(demo_answer, port=args.port).start()
    print(f"scripted LLM server at {server.url} (Ctrl-C stops it)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
