"""``python -m hotline.runtime.simswitch --socket 127.0.0.1:8084 --esl 127.0.0.1:8021``."""

from .server import main

raise SystemExit(main())
