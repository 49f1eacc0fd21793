"""The runtime's FreeSWITCH Event Socket adapters: the outbound-socket session one call runs on
(outbound.py), the flow engine's Channel over it (channel.py), and the inbound api/events link
(inbound_link.py)."""
