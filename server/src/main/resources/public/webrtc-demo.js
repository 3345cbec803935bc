// WHIP (RFC 9725) and WHEP clients in plain browser JavaScript, used by the demo pages and by the
// browser end-to-end tests. No request leaves this origin.
'use strict';
const VisioDemo = (() => {
  let pc = null;
  let resource = null;
  let localStream = null;

  async function exchange(url, offerSdp, token) {
    const headers = {'Content-Type': 'application/sdp'};
    if (token) headers['Authorization'] = 'Bearer ' + token;
    const res = await fetch(url, {method: 'POST', headers, body: offerSdp});
    const body = await res.text();
    if (res.status !== 201) throw new Error('HTTP ' + res.status + ': ' + body.trim());
    resource = new URL(res.headers.get('Location'), location.href).href;
    return body;
  }

  async function publish(stream, constraints = {}, token) {
    localStream = await navigator.mediaDevices.getUserMedia({audio: true, video: constraints.video || true});
    const video = document.getElementById('preview');
    if (video) video.srcObject = localStream;
    pc = new RTCPeerConnection();
    for (const track of localStream.getTracks()) {
      pc.addTransceiver(track, {direction: 'sendonly', streams: [localStream]});
    }
    await pc.setLocalDescription(await pc.createOffer());
    const answer = await exchange('/whip/' + encodeURIComponent(stream), pc.localDescription.sdp, token);
    await pc.setRemoteDescription({type: 'answer', sdp: answer});
    return resource;
  }

  async function play(stream, token) {
    pc = new RTCPeerConnection();
    pc.addTransceiver('video', {direction: 'recvonly'});
    pc.addTransceiver('audio', {direction: 'recvonly'});
    const remote = new MediaStream();
    pc.ontrack = (e) => {
      remote.addTrack(e.track);
      const video = document.getElementById('preview');
      if (video) video.srcObject = remote;
    };
    await pc.setLocalDescription(await pc.createOffer());
    const answer = await exchange('/whep/' + encodeURIComponent(stream), pc.localDescription.sdp, token);
    await pc.setRemoteDescription({type: 'answer', sdp: answer});
    return resource;
  }

  async function stop() {
    if (resource) await fetch(resource, {method: 'DELETE'});
    if (pc) pc.close();
    if (localStream) localStream.getTracks().forEach((t) => t.stop());
    pc = null; resource = null; localStream = null;
  }

  /** Summary of inbound and outbound RTP stats, for tests and the status line. */
  async function stats() {
    const out = {connectionState: pc ? pc.connectionState : 'closed', inbound: {}, outbound: {}};
    if (!pc) return out;
    (await pc.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp') {
        out.inbound[s.kind] = {packetsReceived: s.packetsReceived || 0, framesDecoded: s.framesDecoded || 0,
          frameWidth: s.frameWidth || 0, bytesReceived: s.bytesReceived || 0};
      } else if (s.type === 'outbound-rtp') {
        out.outbound[s.kind] = {packetsSent: s.packetsSent || 0, framesEncoded: s.framesEncoded || 0};
      }
    });
    return out;
  }

  function bind() {
    const status = document.getElementById('status');
    const start = document.getElementById('start');
    const stopButton = document.getElementById('stop');
    setInterval(async () => {
      if (pc) status.textContent = JSON.stringify(await stats());
    }, 1000);
    return {
      stream: () => document.getElementById('stream').value,
      run: async (action) => {
        try {
          start.disabled = true;
          await action();
          stopButton.disabled = !pc;
          start.disabled = !!pc;
        } catch (e) {
          status.textContent = 'error: ' + e.message;
          start.disabled = false;
        }
      },
    };
  }

  /** Every getStats() report, for diagnosing a failed test. */
  async function rawStats() {
    const out = [];
    if (pc) (await pc.getStats()).forEach((s) => out.push(s));
    return JSON.stringify({local: pc && pc.localDescription && pc.localDescription.sdp,
      remote: pc && pc.remoteDescription && pc.remoteDescription.sdp, stats: out});
  }

  return {publish, play, stop, stats, rawStats, bind};
})();
