#!/usr/bin/python3
"""Plays a WHEP stream with aiortc and reports what it decoded.

An independent WebRTC receiver for interop tests: aiortc (aioice ICE, OpenSSL DTLS through
pyOpenSSL, libsrtp, libvpx and Opus through PyAV), driven by a minimal WHEP client written with
the standard library. Prints one JSON line when done:
{"video_frames": N, "width": W, "height": H, "audio_frames": M}

Usage: aiortc_whep_play.py URL SECONDS
"""
import asyncio
import json
import sys
import urllib.request

from aiortc import RTCPeerConnection, RTCSessionDescription


async def consume(track, counts, kind):
    while True:
        frame = await track.recv()
        counts[kind + "_frames"] += 1
        if kind == "video":
            counts["width"] = frame.width
            counts["height"] = frame.height


async def play(url, seconds):
    pc = RTCPeerConnection()
    pc.addTransceiver("video", direction="recvonly")
    pc.addTransceiver("audio", direction="recvonly")
    counts = {"video_frames": 0, "width": 0, "height": 0, "audio_frames": 0}
    tasks = []

    @pc.on("track")
    def on_track(track):
        tasks.append(asyncio.ensure_future(consume(track, counts, track.kind)))

    await pc.setLocalDescription(await pc.createOffer())
    request = urllib.request.Request(
        url,
        data=pc.localDescription.sdp.encode(),
        method="POST",
        headers={"Content-Type": "application/sdp"},
    )
    loop = asyncio.get_running_loop()
    response = await loop.run_in_executor(None, lambda: urllib.request.urlopen(request, timeout=10))
    if response.status != 201:
        raise SystemExit("WHEP answered %d" % response.status)
    answer = response.read().decode()
    await pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
    await asyncio.sleep(seconds)
    for t in tasks:
        t.cancel()
    print(json.dumps(counts), flush=True)
    await pc.close()


if __name__ == "__main__":
    asyncio.run(play(sys.argv[1], float(sys.argv[2])))
