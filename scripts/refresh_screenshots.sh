#!/usr/bin/env bash
# Refreshes the screenshots the docs show (docs/screenshots/): runs the browser tests with their screenshots
# pointed there. An ordinary test run writes them under var/screenshots/ (ignored), so it never changes a
# tracked file; run this on purpose, look at the images, and commit the ones that should change.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export HOTLINE_SCREENSHOTS="$ROOT/docs/screenshots"
exec bash "$ROOT/test.sh" -q -m browser "$@"
