#!/usr/bin/python3
"""A LiveKit participant's data channels, in aiortc, for interop tests.

An independent data channel stack (aioice ICE, OpenSSL DTLS, aiortc's own SCTP and DCEP) standing
in for livekit-client's data path. The test does the LiveKit signalling over the WebSocket and
talks to this script in JSON lines: SDP in and out, data packets (LiveKit DataPacket protobufs,
base64) to send, and every message received. aiortc gathers its candidates before it describes
itself and the server is ICE-lite with its candidates in its SDP, so there is no trickle.

Usage: aiortc_livekit_data.py MODE
  v1    one peer connection (/rtc/v1): we offer, with _reliable and _lossy on it; the server sends
        on the same channels.
  dual  two peer connections (/rtc): we offer the publisher one with _reliable and _lossy; the
        server offers the subscriber one and opens its own _reliable and _lossy on it.

In (stdin):  {"answer": SDP}  {"offer": SDP}  {"send": LABEL, "data": BASE64}
Out (stdout): {"offer": SDP}  {"answer": SDP}  {"open": LABEL, "pc": PC, "ordered": B,
              "max_retransmits": N, "remote_partial_reliability": B}
              {"message": LABEL, "pc": PC, "data": BASE64}
With VISIO_AIORTC_DEBUG=PREFIX in the environment, aiortc's debug log (every SCTP chunk) goes to
PREFIX<pid>.
"""
import asyncio
import base64
import json
import logging
import os
import sys

from aiortc import RTCPeerConnection, RTCSessionDescription


def emit(**fields):
    print(json.dumps(fields), flush=True)


def watch(channel, pc_name, pc):
    """Reports the channel once open, and every message on it."""

    def opened():
        emit(
            open=channel.label,
            pc=pc_name,
            ordered=channel.ordered,
            max_retransmits=channel.maxRetransmits,
            # Whether the server's INIT or INIT ACK offered PR-SCTP (RFC 3758 section 4.1).
            remote_partial_reliability=pc.sctp._remote_partial_reliability,
        )

    if channel.readyState == "open":
        opened()
    else:
        channel.on("open", opened)

    @channel.on("message")
    def on_message(message):
        data = message if isinstance(message, bytes) else message.encode()
        emit(message=channel.label, pc=pc_name, data=base64.b64encode(data).decode())


async def main(mode):
    loop = asyncio.get_running_loop()
    stdin = asyncio.StreamReader(limit=1 << 22)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdin), sys.stdin)

    publisher = RTCPeerConnection()
    # As livekit-client opens them on the connection it publishes on.
    channels = {
        "_reliable": publisher.createDataChannel("_reliable", ordered=True),
        "_lossy": publisher.createDataChannel("_lossy", ordered=True, maxRetransmits=0),
    }
    for c in channels.values():
        watch(c, "publisher", publisher)
    subscriber = None
    if mode == "dual":
        subscriber = RTCPeerConnection()

        @subscriber.on("datachannel")
        def on_datachannel(channel):
            watch(channel, "subscriber", subscriber)

    await publisher.setLocalDescription(await publisher.createOffer())
    emit(offer=publisher.localDescription.sdp)

    while True:
        line = await stdin.readline()
        if not line:
            break
        request = json.loads(line)
        if "answer" in request:
            await publisher.setRemoteDescription(
                RTCSessionDescription(sdp=request["answer"], type="answer")
            )
        elif "offer" in request:
            await subscriber.setRemoteDescription(
                RTCSessionDescription(sdp=request["offer"], type="offer")
            )
            await subscriber.setLocalDescription(await subscriber.createAnswer())
            emit(answer=subscriber.localDescription.sdp)
        elif "send" in request:
            channels[request["send"]].send(base64.b64decode(request["data"]))
    await publisher.close()
    if subscriber is not None:
        await subscriber.close()


if __name__ == "__main__":
    if os.environ.get("VISIO_AIORTC_DEBUG"):
        logging.basicConfig(
            level=logging.DEBUG, filename=os.environ["VISIO_AIORTC_DEBUG"] + str(os.getpid())
        )
    asyncio.run(main(sys.argv[1]))
