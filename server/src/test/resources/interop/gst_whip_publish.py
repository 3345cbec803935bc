#!/usr/bin/python3
"""Publishes a GStreamer test pattern and tone to a WHIP endpoint with webrtcbin.

An independent WebRTC stack for interop tests: GStreamer's webrtcbin (libnice ICE, OpenSSL
DTLS, libsrtp), driven by a minimal WHIP client (RFC 9725) written with the standard library.
Debian's simple-whip-client uses the same webrtcbin but aborts at start on bookworm (it links
libsoup 2 while libnice pulls in libsoup 3), so this script stands in for it.

Usage: gst_whip_publish.py URL [SECONDS] [LOCAL_ADDRESS]
"""
import os
import sys
import urllib.request

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstWebRTC", "1.0")
gi.require_version("GstSdp", "1.0")
from gi.repository import GLib, Gst, GstSdp, GstWebRTC  # noqa: E402

PIPELINE = (
    "webrtcbin name=send bundle-policy=max-bundle "
    "videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=30/1 "
    "! videoconvert ! queue ! vp8enc deadline=1 keyframe-max-dist=30 ! rtpvp8pay pt=96 "
    "! queue ! application/x-rtp,media=video,encoding-name=VP8,payload=96 ! send. "
    "audiotestsrc is-live=true wave=red-noise ! audioconvert ! audioresample ! queue "
    "! opusenc ! rtpopuspay pt=111 ! queue "
    "! application/x-rtp,media=audio,encoding-name=OPUS,payload=111 ! send."
)


def main():
    url = sys.argv[1]
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    local_address = sys.argv[3] if len(sys.argv) > 3 else "127.0.0.1"
    Gst.init(None)
    loop = GLib.MainLoop()
    pipe = Gst.parse_launch(PIPELINE)
    webrtc = pipe.get_by_name("send")
    # Tests run on loopback only: gather candidates there instead of on every interface.
    # (Keep the agent referenced: PyGObject drops a reference it does not own when it is freed.)
    agent = webrtc.get_property("ice-agent")
    agent.emit("add-local-ip-address", local_address)
    state = {}

    def fail(message):
        print("error: " + message, flush=True)
        loop.quit()
        state["failed"] = True

    def on_offer(promise, _element, _data):
        reply = promise.get_reply()
        offer = reply.get_value("offer") if reply else None
        if offer is None:
            return fail("no offer: %s" % (reply.to_string() if reply else None))
        webrtc.emit("set-local-description", offer, Gst.Promise.new())
        request = urllib.request.Request(
            url,
            data=offer.sdp.as_text().encode(),
            method="POST",
            headers={"Content-Type": "application/sdp"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                if response.status != 201:
                    return fail("WHIP answered %d" % response.status)
                state["location"] = response.headers["Location"]
                answer_text = response.read().decode()
        except Exception as e:  # noqa: BLE001 - report any HTTP failure and stop
            return fail("WHIP POST failed: %s" % e)
        ok, sdp = GstSdp.SDPMessage.new_from_text(answer_text)
        if ok != GstSdp.SDPResult.OK:
            return fail("cannot parse the answer")
        answer = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.ANSWER, sdp)
        webrtc.emit("set-remote-description", answer, Gst.Promise.new())
        print("published: " + state["location"], flush=True)

    def create_offer():
        # Once the pipeline runs, both transceivers exist; offering earlier races their creation.
        webrtc.emit("create-offer", None, Gst.Promise.new_with_change_func(on_offer, webrtc, None))
        return False

    def on_state(element, _pspec):
        print("connection state: %s" % element.get_property("connection-state"), flush=True)

    webrtc.connect("notify::connection-state", on_state)
    pipe.set_state(Gst.State.PLAYING)
    GLib.timeout_add(500, create_offer)
    GLib.timeout_add_seconds(seconds, loop.quit)
    loop.run()
    pipe.set_state(Gst.State.NULL)
    del agent
    return 1 if state.get("failed") else 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # skip GObject finalizers at exit: they only print warnings
