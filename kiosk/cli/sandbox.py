"""``kiosk sandbox``: run the sandbox eKYC broker in the foreground."""
from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path

from kiosk import paths
from kiosk.cli import print_json

HELP = ("Run the sandbox eKYC broker (a local stand-in for the remote broker) until Ctrl-C; "
        "prints one JSON line with its URL, credentials folder and FlowId.")


def add_arguments(parser) -> None:
    parser.add_argument("--port", type=int, default=0, help="TCP port (0: any free port).")
    parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
    parser.add_argument("--credentials", type=Path, default=None,
                        help="Folder of the demo provider's credentials (created if missing; "
                             "default: the kiosk's sandbox folder).")
    parser.add_argument("--config", type=Path, default=None,
                        help="JSON file of SandboxConfig fields or of the provider's properties "
                             "(see resources/sandbox/provider.json).")
    parser.add_argument("--envelope", choices=("original", "ResponseCode", "RespnsCode", "RespenseCode"), default=None,
                        help="Spelling of the envelope's response-code keys (default 'original': each method as the "
                             "original document's sample for it).")
    parser.add_argument("--lenient", action="store_true",
                        help="Accept more than the original document allows (any Base64 flavour of tokenSignature, a "
                             "default admittance sentence, ResponseCode everywhere, VerifyToken closes an incomplete "
                             "token). Default: strict, exactly as the original.")
    parser.add_argument("--faults", type=Path, default=None,
                        help="JSON file of faults to inject (test use only): one object of Faults fields "
                             "(delay, status, reset, reset_after_bytes, truncate, non_json, bad_signature, "
                             "expire_token, process, methods, skip, times) or a list of them, first match wins.")
    parser.add_argument("--verbose", action="store_true", help="Log every request (method, status, time).")


def run(args) -> int:
    from kiosk.sandbox.config import SandboxConfig, load_faults  # noqa: PLC0415 - heavy, deferred: `kiosk --help` loads every command
    from kiosk.sandbox.server import SandboxBroker  # noqa: PLC0415 - heavy, deferred: `kiosk --help` loads every command

    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        config = SandboxConfig.from_file(args.config) if args.config else SandboxConfig()
        if getattr(args, "lenient", False):
            config.strict = False
        if args.envelope:
            config.envelope_spelling = args.envelope
        if getattr(args, "faults", None):
            config.faults = load_faults(args.faults)
            logging.getLogger("kiosk.sandbox").warning("faults injected from %s (test use only)", args.faults)
    except (ValueError, TypeError) as exc:
        print_json({"error": str(exc)})
        return 2
    directory = args.credentials or paths.sandbox_dir()
    broker = SandboxBroker(directory, port=args.port, host=args.host, config=config)
    stop = threading.Event()

    def _stop(signum, frame):
        stop.set()

    previous = {s: signal.signal(s, _stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        broker.start()
        print_json({"url": broker.url, "credentials": str(Path(directory).resolve()), "flow_id": broker.flow_id})
        broker.serve_until(stop)
    except OSError as exc:
        print_json({"error": f"cannot listen on {args.host}:{args.port}: {exc}"})
        return 1
    finally:
        broker.stop()
        for s, h in previous.items():
            signal.signal(s, h)
    return 0
