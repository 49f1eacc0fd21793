"""The outbound dialer: claims due campaign entries, places the calls with `bgapi originate` over the inbound ESL
link, and hands answered calls (back over the outbound socket) to agents or to the script (answered.py)."""

from .answered import CampaignCalls
from .process import Dialer

__all__ = ["CampaignCalls", "Dialer"]
