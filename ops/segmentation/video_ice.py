"""Where the browser and the server look for a WebRTC path: no public STUN server unless one is named.

On the teacher's laptop (loopback) and on a LAN both ends reach each other by their own addresses, so
the default is no ICE servers at all: nothing leaves the network, and a classroom without internet
works. Networks that need one (NAT between students and server) name STUN/TURN servers as JSON in
$PIXELWISE_ICE_SERVERS, the RTCIceServer list of the WebRTC standard, e.g.

    PIXELWISE_ICE_SERVERS='[{"urls": "stun:stun.lan:3478"},
                            {"urls": "turn:turn.lan:3478", "username": "class", "credential": "secret"}]'
"""

import json
import os

from ops.errors import UserFacingError

ENV_VAR = "PIXELWISE_ICE_SERVERS"


class BadIceServers(UserFacingError):
    """$PIXELWISE_ICE_SERVERS is not a JSON list of {"urls": ...} objects."""


def ice_servers(raw: str | None = None) -> list[dict]:
    """The RTCIceServer list from $PIXELWISE_ICE_SERVERS (or `raw`); [] when unset or blank."""
    raw = os.environ.get(ENV_VAR, "") if raw is None else raw
    if not raw.strip():
        return []
    try:
        servers = json.loads(raw)
    except ValueError as error:
        raise BadIceServers("live_video.error.ice_servers", variable=ENV_VAR, problem=str(error)) from None
    if isinstance(servers, dict):
        servers = [servers]
    if not isinstance(servers, list) or not all(isinstance(s, dict) and s.get("urls") for s in servers):
        raise BadIceServers("live_video.error.ice_servers", variable=ENV_VAR,
                            problem='each entry needs "urls"')
    return servers


def rtc_configuration(raw: str | None = None) -> dict:
    """The RTCConfiguration both ends use: always an explicit iceServers list (streamlit-webrtc would
    otherwise fill in servers of its own on the internet)."""
    return {"iceServers": ice_servers(raw)}
