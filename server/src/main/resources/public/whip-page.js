'use strict';
const ui = VisioDemo.bind();
document.getElementById('start').addEventListener('click', () => ui.run(() => VisioDemo.publish(ui.stream(), {video: {width: 1280, height: 720}})));
document.getElementById('stop').addEventListener('click', () => ui.run(() => VisioDemo.stop()));
