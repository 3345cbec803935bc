// WHIP (RFC 9725) and WHEP clients in plain browser JavaScript, used by the demo pages and by the
// browser end-to-end tests. No request leaves this origin.
//
// A page may hold several sessions at once (a participant publishes and plays others): publish and
// play return the session's resource URL, which stop, stats and rawStats take to pick the session.
// Without it, stats and rawStats use the latest session and stop ends them all.
'use strict';
const VisioDemo = (() => {
  // Open sessions by resource URL: {pc, resource, localStream, video}.
  const sessions = new Map();
  let latest = null;

  // Simulcast layers, lowest first: Chrome needs the top layer's bandwidth before it sends it.
  const SIMULCAST = [
    {rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150000},
    {rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500000},
    {rid: 'f', maxBitrate: 1700000},
  ];

  async function exchange(url, offerSdp, token) {
    const headers = {'Content-Type': 'application/sdp'};
    if (token) headers['Authorization'] = 'Bearer ' + token;
    const res = await fetch(url, {method: 'POST', headers, body: offerSdp});
    const body = await res.text();
    if (res.status !== 201) throw new Error('HTTP ' + res.status + ': ' + body.trim());
    return {answer: body, resource: new URL(res.headers.get('Location'), location.href).href};
  }

  // The page's #preview while it is free, else a new video element: one per session.
  function show(media, local) {
    let video = document.getElementById('preview');
    if (!video || video.srcObject) {
      video = document.createElement('video');
      video.autoplay = true;
      video.playsInline = true;
      document.body.appendChild(video);
    }
    if (local) video.muted = true;
    video.srcObject = media;
    return video;
  }

  async function negotiate(session, url, token) {
    try {
      await session.pc.setLocalDescription(await session.pc.createOffer());
      const {answer, resource} = await exchange(url, session.pc.localDescription.sdp, token);
      session.resource = resource;
      await session.pc.setRemoteDescription({type: 'answer', sdp: answer});
    } catch (e) {
      await close(session);
      throw e;
    }
    sessions.set(session.resource, session);
    latest = session;
    return session.resource;
  }

  /**
   * Publishes camera and microphone to {@code stream}. Options: {@code video}, the camera's
   * getUserMedia constraints; {@code simulcast: true}, three video layers (rids q, h, f at 1/4,
   * 1/2 and full size), the camera then asked at 1280x720 unless {@code video} says otherwise.
   */
  async function publish(stream, options = {}, token) {
    const video = options.video || (options.simulcast ? {width: 1280, height: 720} : true);
    const localStream = await navigator.mediaDevices.getUserMedia({audio: true, video});
    const session = {pc: new RTCPeerConnection(), resource: null, localStream, video: null};
    for (const track of localStream.getTracks()) {
      const init = {direction: 'sendonly', streams: [localStream]};
      if (options.simulcast && track.kind === 'video') {
        init.sendEncodings = SIMULCAST.map((layer) => ({...layer}));
      }
      session.pc.addTransceiver(track, init);
    }
    session.video = show(localStream, true);
    return negotiate(session, '/whip/' + encodeURIComponent(stream), token);
  }

  /**
   * Plays {@code stream}. Options: {@code width} and {@code height}, the size the viewer wants,
   * sent as query parameters of the WHEP POST (the server picks the simulcast layer from them).
   * A string in place of the options is taken as the token, as before options existed.
   */
  async function play(stream, options = {}, token) {
    if (typeof options === 'string') {
      token = options;
      options = {};
    }
    const session = {pc: new RTCPeerConnection(), resource: null, localStream: null, video: null};
    session.pc.addTransceiver('video', {direction: 'recvonly'});
    session.pc.addTransceiver('audio', {direction: 'recvonly'});
    const remote = new MediaStream();
    session.pc.ontrack = (e) => {
      remote.addTrack(e.track);
      if (!session.video) session.video = show(remote, false);
    };
    const query = new URLSearchParams();
    if (options.width) query.set('width', String(options.width));
    if (options.height) query.set('height', String(options.height));
    const search = query.toString();
    const url = '/whep/' + encodeURIComponent(stream) + (search ? '?' + search : '');
    return negotiate(session, url, token);
  }

  async function close(session) {
    sessions.delete(session.resource);
    if (latest === session) latest = [...sessions.values()].pop() || null;
    if (session.resource) await fetch(session.resource, {method: 'DELETE'});
    session.pc.close();
    if (session.localStream) session.localStream.getTracks().forEach((t) => t.stop());
    if (session.video) {
      session.video.srcObject = null;
      if (session.video.id !== 'preview') session.video.remove();
    }
  }

  /** Ends the session at {@code resource}, or every session. */
  async function stop(resource) {
    const ending = resource ? [sessions.get(resource)].filter(Boolean) : [...sessions.values()];
    for (const session of ending) await close(session);
  }

  function pick(resource) {
    return resource ? sessions.get(resource) || null : latest;
  }

  /**
   * Summary of inbound and outbound RTP stats, for tests and the status line. A simulcast
   * publisher's video layers are under outbound.layers by rid.
   */
  async function stats(resource) {
    const session = pick(resource);
    const pc = session && session.pc;
    const out = {connectionState: pc ? pc.connectionState : 'closed', inbound: {}, outbound: {}};
    if (!pc) return out;
    (await pc.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp') {
        out.inbound[s.kind] = {packetsReceived: s.packetsReceived || 0, framesDecoded: s.framesDecoded || 0,
          frameWidth: s.frameWidth || 0, frameHeight: s.frameHeight || 0, bytesReceived: s.bytesReceived || 0,
          totalSamplesReceived: s.totalSamplesReceived || 0, totalAudioEnergy: s.totalAudioEnergy || 0};
      } else if (s.type === 'outbound-rtp') {
        const sent = {packetsSent: s.packetsSent || 0, framesEncoded: s.framesEncoded || 0,
          frameWidth: s.frameWidth || 0};
        if (s.rid) {
          out.outbound.layers = out.outbound.layers || {};
          out.outbound.layers[s.rid] = sent;
        } else {
          out.outbound[s.kind] = sent;
        }
      }
    });
    return out;
  }

  function bind() {
    const status = document.getElementById('status');
    const start = document.getElementById('start');
    const stopButton = document.getElementById('stop');
    setInterval(async () => {
      if (latest) status.textContent = JSON.stringify(await stats());
    }, 1000);
    return {
      stream: () => document.getElementById('stream').value,
      run: async (action) => {
        try {
          start.disabled = true;
          await action();
          stopButton.disabled = sessions.size === 0;
          start.disabled = sessions.size > 0;
        } catch (e) {
          status.textContent = 'error: ' + e.message;
          start.disabled = false;
        }
      },
    };
  }

  /** Every getStats() report of a session (default: the latest), for diagnosing a failed test. */
  async function rawStats(resource) {
    const session = pick(resource);
    const pc = session && session.pc;
    const out = [];
    if (pc) (await pc.getStats()).forEach((s) => out.push(s));
    return JSON.stringify({local: pc && pc.localDescription && pc.localDescription.sdp,
      remote: pc && pc.remoteDescription && pc.remoteDescription.sdp, stats: out});
  }

  return {publish, play, stop, stats, rawStats, bind};
})();
