"""What the platform (wallboard, desk) and the runtime's ACD share: the Redis key layout (keys.py) and the
ACD's defaults (defaults.py). It sits below both, so no platform module imports the runtime."""
